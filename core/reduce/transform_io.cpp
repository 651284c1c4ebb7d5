// The map model file (transform.h: save_model, load_model), written by
// 'latentscape-cli reduce --method tsne|umap --save-model MAP.lsmap' and read by 'transform'.
//
// Format, version 1: a text header of "key value" lines, readable with `head`, then the arrays
// as raw little-endian bytes, in this order:
//
//     latentscape-map 1
//     method umap                 (or tsne)
//     rows N                      reference rows
//     input_dims D                columns of the raw data new rows must have
//     pca_dims P                  0: no preprocessing PCA
//     dims K                      embedding dimensions (2 or 3)
//     tsne.perplexity ...         the placement options (TsneOptions, UmapOptions), one a line
//     umap.n_neighbors ...        (every field of both structs, so the file says what it will do)
//     data
//     <P == 0 ? nothing : D float64 PCA means, then P x D float32 components, row-major>
//     <N x (P or D) float32 preprocessed reference rows, row-major>
//     <N x K float64 embedding, row-major>
//
// A PCA model (method pca) has its own header and arrays:
//
//     latentscape-map 1
//     method pca
//     input_dims D                columns new rows must have
//     components K
//     whiten W                    1: scores divided by sqrt(explained variance)
//     data
//     <D float64 means><D float64 scales><K x D float32 components, row-major><K float64 variances>
//
// Unknown keys are an error (a newer writer), as are a short or long file.
#include "reduce/transform.h"

#include "common/error.h"
#include "common/file_io.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <ostream>
#include <sstream>
#include <stdexcept>

namespace latentscape::reduce::placement {

namespace {
/// The most iterations (t-SNE) or epochs (UMAP) a map may ask placing a row to take.
constexpr long long kMaxSteps = 1000000;
}  // namespace

namespace {

static_assert(std::endian::native == std::endian::little, "the model format is little-endian");

constexpr const char* magic = "latentscape-map";

template <class T>
void put(std::ostream& out, const std::vector<T>& v) {
    out.write(reinterpret_cast<const char*>(v.data()), std::streamsize(v.size() * sizeof(T)));
}

std::string number(double v) {
    std::ostringstream s;
    s.precision(17);
    s << v;
    return s.str();
}

}  // namespace

Model pca_model(const PcaResult& fit) {
    if (fit.k < 1 || fit.d < 1 || fit.mean.size() != std::size_t(fit.d) || fit.scale.size() != std::size_t(fit.d) ||
        fit.components.size() != std::size_t(fit.k) * std::size_t(fit.d) ||
        fit.explained_variance.size() != std::size_t(fit.k))
        throw std::invalid_argument("PCA model: the fit's sizes disagree (not a result of reduce::pca?)");
    Model m;
    m.method = Model::Method::Pca;
    m.pca.n = fit.n;
    m.pca.d = fit.d;
    m.pca.k = fit.k;
    m.pca.components = fit.components;
    m.pca.explained_variance = fit.explained_variance;
    m.pca.explained_variance_ratio = fit.explained_variance_ratio;
    m.pca.total_variance = fit.total_variance;
    m.pca.mean = fit.mean;
    m.pca.scale = fit.scale;
    m.pca.whitened = fit.whitened;
    m.pca.method_used = fit.method_used;
    return m;
}

std::int64_t input_dims(const Model& model) {
    return model.method == Model::Method::Pca ? model.pca.d : model.reference.input_dims;
}

namespace {

void save_pca(const PcaResult& p, std::ostream& out) {
    out << magic << ' ' << model_format_version << '\n';
    out << "method pca\ninput_dims " << p.d << "\ncomponents " << p.k << "\nwhiten " << (p.whitened ? 1 : 0)
        << "\ndata\n";
    put(out, p.mean);
    put(out, p.scale);
    put(out, p.components);
    put(out, p.explained_variance);
}

}  // namespace

void save_model(const Model& model, const std::string& path) {
    if (model.method == Model::Method::Pca) {
        pca_model(model.pca);  // checks the sizes
        io::write_atomically(path, [&](std::ostream& out) { save_pca(model.pca, out); });
        return;
    }
    const Reference& r = model.reference;
    io::write_atomically(path, [&](std::ostream& out) {
        out << magic << ' ' << model_format_version << '\n';
        out << "method " << (model.method == Model::Method::Tsne ? "tsne" : "umap") << '\n';
        out << "rows " << r.n << "\ninput_dims " << r.input_dims << "\npca_dims " << r.pca_dims << "\ndims " << r.dims
            << '\n';
        const TsneOptions& t = model.tsne;
        out << "tsne.perplexity " << number(t.perplexity) << "\ntsne.iterations " << t.iterations
            << "\ntsne.learning_rate " << number(t.learning_rate) << "\ntsne.exaggeration " << number(t.exaggeration)
            << "\ntsne.momentum " << number(t.momentum) << "\ntsne.max_grad_norm " << number(t.max_grad_norm)
            << "\ntsne.min_gain " << number(t.min_gain) << '\n';
        const UmapOptions& u = model.umap;
        out << "umap.n_neighbors " << u.n_neighbors << "\numap.local_connectivity " << number(u.local_connectivity)
            << "\numap.a " << number(u.a) << "\numap.b " << number(u.b) << "\numap.negative_sample_rate "
            << u.negative_sample_rate << "\numap.repulsion_strength " << number(u.repulsion_strength)
            << "\numap.learning_rate " << number(u.learning_rate) << "\numap.n_epochs " << u.n_epochs
            << "\numap.seed " << u.seed << '\n';
        out << "data\n";
        if (r.pca_dims > 0) {
            put(out, r.pca_mean);
            put(out, r.pca_components);
        }
        out.write(reinterpret_cast<const char*>(r.features.data()), std::streamsize(r.features.size() * sizeof(float)));
        put(out, r.embedding);
    });
}

bool is_model_file(const std::string& path) {
    std::string head;
    try {
        const io::FileBytes f = io::map_file(path, true);
        head.assign(f.view().substr(0, std::strlen(magic)));
    } catch (const std::exception&) {
        return false;
    }
    return head == magic;
}

Model load_model(const std::string& path) {
    const io::FileBytes f = io::map_file(path);
    const char* p = f.view().data();
    const char* end = p + f.view().size();
    std::map<std::string, std::string> kv;
    bool first = true;
    for (;;) {
        const char* nl = static_cast<const char*>(std::memchr(p, '\n', std::size_t(end - p)));
        if (!nl) throw LoadError(path, "not a latentscape map model (no 'data' line)");
        const std::string line(p, nl);
        p = nl + 1;
        if (first) {
            if (line != std::string(magic) + " " + std::to_string(model_format_version))
                throw LoadError(path, line.rfind(magic, 0) == 0
                                          ? "model format '" + line + "' is not version " +
                                                std::to_string(model_format_version) + " (a newer latentscape?)"
                                          : "not a latentscape map model");
            first = false;
            continue;
        }
        if (line == "data") break;
        const auto space = line.find(' ');
        if (space == std::string::npos) throw LoadError(path, "bad header line '" + line + "'");
        kv[line.substr(0, space)] = line.substr(space + 1);
    }
    auto take = [&](const std::string& key) {
        const auto it = kv.find(key);
        if (it == kv.end()) throw LoadError(path, "header lacks '" + key + "'");
        std::string v = it->second;
        kv.erase(it);
        return v;
    };
    auto integer = [&](const std::string& key, long long lo = std::numeric_limits<long long>::min(),
                       long long hi = std::numeric_limits<long long>::max()) {
        const std::string v = take(key);
        long long x = 0;
        try {
            std::size_t used = 0;
            x = std::stoll(v, &used);
            if (used != v.size()) throw std::invalid_argument(v);
        } catch (const std::exception&) {
            throw LoadError(path, "'" + key + "' is not an integer: " + v);
        }
        // A count read into an int must fit it: 10000000001 epochs became 1410065409 and the
        // placement ran for hours (found by fuzzing).
        if (x < lo || x > hi)
            throw LoadError(path, "'" + key + "' is " + v + ", outside [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
        return x;
    };
    auto real = [&](const std::string& key) {
        const std::string v = take(key);
        try {
            std::size_t used = 0;
            const double x = std::stod(v, &used);
            if (used != v.size()) throw std::invalid_argument(v);
            return x;
        } catch (const std::exception&) {
            throw LoadError(path, "'" + key + "' is not a number: " + v);
        }
    };
    Model m;
    const std::string method = take("method");
    if (method == "tsne") m.method = Model::Method::Tsne;
    else if (method == "umap") m.method = Model::Method::Umap;
    else if (method == "pca") m.method = Model::Method::Pca;
    else throw LoadError(path, "unknown method '" + method + "'");
    auto read = [&](auto& v, std::size_t count) {
        v.resize(count);
        std::memcpy(v.data(), p, count * sizeof(v[0]));
        p += count * sizeof(v[0]);
    };
    if (m.method == Model::Method::Pca) {
        PcaResult& f = m.pca;
        f.d = integer("input_dims");
        const long long k = integer("components");
        const long long whiten = integer("whiten");
        if (!kv.empty()) throw LoadError(path, "unknown header key '" + kv.begin()->first + "'");
        if (f.d < 1 || f.d > (std::int64_t(1) << 31) || k < 1 || k > f.d || (whiten != 0 && whiten != 1))
            throw LoadError(path, "inconsistent sizes in the header");
        f.k = int(k);
        f.whitened = whiten == 1;
        const std::uint64_t d = std::uint64_t(f.d), kk = std::uint64_t(k);
        const std::uint64_t want = 2 * d * 8 + kk * d * 4 + kk * 8;
        const std::uint64_t have = std::uint64_t(end - p);
        if (have != want)
            throw LoadError(path, "holds " + std::to_string(have) + " bytes of data where the header promises " +
                                      std::to_string(want) + (have < want ? " (truncated)" : ""));
        read(f.mean, std::size_t(d));
        read(f.scale, std::size_t(d));
        read(f.components, std::size_t(kk * d));
        read(f.explained_variance, std::size_t(kk));
        for (std::size_t j = 0; j < f.scale.size(); ++j)
            if (!(f.scale[j] > 0) || !std::isfinite(f.mean[j]))
                throw LoadError(path, "column " + std::to_string(j + 1) + " has a bad mean or scale");
        return m;
    }
    Reference& r = m.reference;
    r.n = integer("rows");
    r.input_dims = integer("input_dims");
    r.pca_dims = int(integer("pca_dims", 0, std::numeric_limits<int>::max()));
    r.dims = int(integer("dims", 2, 3));
    if (r.n < 2 || r.input_dims < 1 || r.pca_dims < 0 || r.pca_dims > r.input_dims || (r.dims != 2 && r.dims != 3) ||
        r.n > (std::int64_t(1) << 31))
        throw LoadError(path, "inconsistent sizes in the header");
    r.feature_dims = r.pca_dims > 0 ? r.pca_dims : r.input_dims;
    TsneOptions& t = m.tsne;
    t.perplexity = real("tsne.perplexity");
    t.iterations = int(integer("tsne.iterations", 0, kMaxSteps));
    t.learning_rate = real("tsne.learning_rate");
    t.exaggeration = real("tsne.exaggeration");
    t.momentum = real("tsne.momentum");
    t.max_grad_norm = real("tsne.max_grad_norm");
    t.min_gain = real("tsne.min_gain");
    UmapOptions& u = m.umap;
    u.n_neighbors = int(integer("umap.n_neighbors", 2, std::numeric_limits<int>::max()));
    u.local_connectivity = real("umap.local_connectivity");
    u.a = real("umap.a");
    u.b = real("umap.b");
    u.negative_sample_rate = int(integer("umap.negative_sample_rate", 0, 100));
    u.repulsion_strength = real("umap.repulsion_strength");
    u.learning_rate = real("umap.learning_rate");
    u.n_epochs = int(integer("umap.n_epochs", 0, kMaxSteps));
    u.seed = std::uint64_t(std::stoull(take("umap.seed")));
    if (!kv.empty()) throw LoadError(path, "unknown header key '" + kv.begin()->first + "'");

    const std::uint64_t pca_bytes =
        r.pca_dims > 0 ? std::uint64_t(r.input_dims) * 8 + std::uint64_t(r.pca_dims) * std::uint64_t(r.input_dims) * 4 : 0;
    const std::uint64_t want = pca_bytes + std::uint64_t(r.n) * std::uint64_t(r.feature_dims) * 4 +
                               std::uint64_t(r.n) * std::uint64_t(r.dims) * 8;
    const std::uint64_t have = std::uint64_t(end - p);
    if (have != want)
        throw LoadError(path, "holds " + std::to_string(have) + " bytes of data where the header promises " +
                                  std::to_string(want) + (have < want ? " (truncated)" : ""));
    if (r.pca_dims > 0) {
        read(r.pca_mean, std::size_t(r.input_dims));
        read(r.pca_components, std::size_t(r.pca_dims) * std::size_t(r.input_dims));
    }
    read(r.features, std::size_t(r.n * r.feature_dims));
    read(r.embedding, std::size_t(r.n * r.dims));
    return m;
}

}  // namespace latentscape::reduce::placement
