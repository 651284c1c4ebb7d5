// latentscape-cli transform: place new rows on a map saved by 'reduce --method tsne|umap
// --save-model MAP' (reduce/transform.h), or encode them with an autoencoder (.lsae: 'encode').
#include "commands.h"

#include "common/error.h"
#include "common/json.h"
#include "common/parallel.h"
#include "data/load.h"
#include "reduce/pca.h"
#include "reduce/transform.h"

#include <chrono>
#include <cstdio>

namespace latentscape::cli {

namespace placement = reduce::placement;

const char* const kTransformHelp =
    "usage: latentscape-cli transform NEW --model MODEL --out OUT.csv|OUT.npy|OUT.npz [--json]\n"
    "\n"
    "Places NEW's rows on the map saved by 'latentscape-cli reduce --method tsne|umap --save-model\n"
    "MODEL': each row from its nearest rows of the fitted data, then optimised alone against the\n"
    "fixed map (openTSNE's and umap-learn's transform), so a row lands in the same place whichever\n"
    "rows come with it. A PCA model ('reduce --method pca --save-model MODEL') projects the rows\n"
    "with the fitted mean, scaling and components (as scikit-learn's PCA.transform). With an\n"
    "autoencoder model (.lsae) this is 'latentscape-cli encode'.\n"
    "\n"
    "options:\n"
    "  --model MODEL       the saved map (or autoencoder)\n"
    "  --out OUT           the positions, with NEW's label column and row ids\n"
    "  --threads T         worker threads (results do not depend on it)\n"
    "  --json              print one JSON summary on stdout\n"
    "  (and the loading options of 'info': --label --missing --header --delimiter --labels\n"
    "   --metadata --array)\n"
    "  --help              this text\n";

void save_map(const data::Dataset& ds, std::optional<int> pca_dims, std::uint64_t seed, const std::vector<double>& Y,
              int dims, bool tsne, const reduce::tsne::Options* to, const reduce::umap::Options* uo, double a,
              double b, const std::string& path) {
    placement::Model m;
    m.method = tsne ? placement::Model::Method::Tsne : placement::Model::Method::Umap;
    m.reference = placement::make_reference(ds.features.data(), ds.n, ds.d, pca_dims, seed, Y.data(), dims);
    if (to) m.tsne = placement::tsne_options(*to);
    if (uo) m.umap = placement::umap_options(*uo, a, b);
    placement::save_model(m, path);
}

namespace {

/// transform with a PCA model: the rows projected by reduce::transform.
int transform_pca(const Args& a, const reduce::PcaResult& fit, const data::Dataset& ds, const std::string& in,
                  const std::string& model_path) {
    const auto start = std::chrono::steady_clock::now();
    const FloatVector out = reduce::transform(fit, ds.features.data(), ds.n, ds.d);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    write_embedding(ds, out, fit.k, "PC", a.get("out"));
    if (a.has("json")) {
        json::Writer w;
        w.begin_object();
        w.key("input").value(in).key("model").value(model_path).key("output").value(a.get("out"));
        w.key("method").value("pca").key("rows").value(ds.n).key("features").value(ds.d);
        w.key("dims").value(fit.k).key("whiten").value(fit.whitened);
        w.key("threads").value(parallel::max_threads()).key("seconds").value(seconds);
        w.end_object();
        std::printf("%s\n", w.str().c_str());
    } else {
        std::printf("projected %lld rows with the PCA model %s (%d components), %.3f s; wrote %s\n",
                    static_cast<long long>(ds.n), model_path.c_str(), fit.k, seconds, a.get("out").c_str());
    }
    return 0;
}

}  // namespace

int run_transform(const Args& a) {
    const std::string& in = single_input(a);
    if (!a.has("model")) throw UsageError{"--model is required"};
    if (!a.has("out")) throw UsageError{"--out is required"};
    const std::string model_path = a.get("model");
    if (!placement::is_model_file(model_path)) return run_encode(a);  // an autoencoder (.lsae)
    check_output_name(a.get("out"));
    if (a.has("threads")) {
        const int t = number<int>(a, "threads", 1);
        if (t < 1) throw UsageError{"--threads must be at least 1"};
        parallel::set_max_threads(t);
    }
    const placement::Model m = placement::load_model(model_path);
    const data::Dataset ds = data::load(in, load_options(a));
    if (ds.d != placement::input_dims(m))
        throw LoadError(in, "the model " + model_path + " has " + std::to_string(placement::input_dims(m)) +
                                " columns; " + in + " has " + std::to_string(ds.d));
    if (m.method == placement::Model::Method::Pca) return transform_pca(a, m.pca, ds, in, model_path);
    const bool tsne = m.method == placement::Model::Method::Tsne;
    const auto start = std::chrono::steady_clock::now();
    const std::vector<double> P = tsne ? placement::place_tsne(m.reference, ds.features.data(), ds.n, ds.d, m.tsne)
                                       : placement::place_umap(m.reference, ds.features.data(), ds.n, ds.d, m.umap);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    FloatVector out(P.size());
    for (std::size_t e = 0; e < P.size(); ++e) out[e] = float(P[e]);
    write_embedding(ds, out, m.reference.dims, tsne ? "tSNE" : "UMAP", a.get("out"));
    if (a.has("json")) {
        json::Writer w;
        w.begin_object();
        w.key("input").value(in).key("model").value(model_path).key("output").value(a.get("out"));
        w.key("method").value(tsne ? "tsne" : "umap").key("rows").value(ds.n).key("features").value(ds.d);
        w.key("dims").value(m.reference.dims).key("reference_rows").value(m.reference.n);
        w.key("input_dims").value(m.reference.feature_dims);
        if (tsne) w.key("perplexity").value(m.tsne.perplexity).key("iterations").value(m.tsne.iterations);
        else w.key("n_neighbors").value(m.umap.n_neighbors).key("epochs").value(m.umap.n_epochs);
        w.key("threads").value(parallel::max_threads()).key("seconds").value(seconds);
        w.end_object();
        std::printf("%s\n", w.str().c_str());
    } else {
        std::printf("placed %lld rows on the %s map %s (%lld reference rows), %.2f s; wrote %s\n",
                    static_cast<long long>(ds.n), tsne ? "t-SNE" : "UMAP", model_path.c_str(),
                    static_cast<long long>(m.reference.n), seconds, a.get("out").c_str());
    }
    return 0;
}

}  // namespace latentscape::cli
