// latentscape-bench umap: UMAP of the first n rows (default all 70,000) of Fashion-MNIST's
// 50-component PCA (n_neighbors 15, min_dist 0.1, spectral initialisation, umap-learn's default
// epochs) against umap-learn on the same float32 file in the same run (umap_learn.py). Both
// embeddings are scored by the same code: trustworthiness (k = 10) and leave-one-out 10-NN label
// accuracy, exact up to 20,000 points and estimated from a fixed sample of 5,000 query points
// above (core/metrics' rule; each query still ranks all n points). The neighbour search is
// timed apart on both sides.
#include "benches.h"

#include "common/json.h"
#include "data/load.h"
#include "data/write.h"
#include "metrics/quality.h"
#include "reduce/umap.h"

#include <omp.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace latentscape::bench {
namespace {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

struct Scores {
    double trust = -1, accuracy = -1;
    bool sampled = false;
};

Scores score(const float* X, std::int64_t n, std::int64_t d, const float* Y, int dims, const std::int32_t* labels) {
    Scores s;
    const metrics::Estimate t = metrics::trustworthiness(X, n, d, Y, dims, 10);
    s.trust = t.value;
    s.sampled = t.sampled;
    if (labels) s.accuracy = metrics::knn_accuracy(Y, n, dims, labels, 10).value;
    return s;
}

struct Reference {
    double seconds = -1, neighbors = -1, compile = -1;
    std::string version;
    std::vector<float> Y;
};

std::string script_path() {
    const std::string source = std::string(LATENTSCAPE_BENCH_SOURCE_DIR) + "/umap_learn.py";
    if (fs::exists(source)) return source;
    return "/usr/share/latentscape/bench/umap_learn.py";
}

// Pulls "key": number out of the script's one-line JSON.
double json_number(const std::string& text, const std::string& key) {
    const auto at = text.find("\"" + key + "\":");
    if (at == std::string::npos) return -1;
    return std::atof(text.c_str() + at + key.size() + 3);
}

Reference umap_learn(const std::string& file, const std::string& dir, std::int64_t n, int dims) {
    const std::string out = dir + "/umap_learn_" + std::to_string(n) + "_" + std::to_string(dims) + "d.npy";
    fs::remove(out);
    const std::string cmd = std::string(kPython) + " " + script_path() + " --data " + file + " --out " + out +
                            " --dims " + std::to_string(dims) + " --threads " + std::to_string(omp_get_max_threads()) +
                            " 2>/dev/null";
    std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
    Reference r;
    if (!p) return r;
    std::string text;
    char buf[4096];
    while (std::fgets(buf, sizeof buf, p.get())) text += buf;
    r.seconds = json_number(text, "seconds");
    r.neighbors = json_number(text, "neighbors_seconds");
    r.compile = json_number(text, "compile_seconds");
    const auto v = text.find("\"umap_version\": \"");
    if (v != std::string::npos) r.version = text.substr(v + 17, text.find('"', v + 17) - v - 17);
    if (r.seconds <= 0 || !fs::exists(out)) return Reference{};
    const data::Dataset y = data::load(out);
    r.Y.assign(y.features.begin(), y.features.end());
    return r;
}

}  // namespace

int bench_umap(const BenchArgs& args) {
    const std::string full = pca50_file(args.dir);
    const data::Dataset all = data::load(full);
    const std::int64_t n = std::min(args.n > 0 ? args.n : all.n, all.n);
    const std::int64_t d = all.d;
    std::string file = full;
    if (n < all.n) {
        file = args.dir + "/fashion70k_pca50_first" + std::to_string(n) + ".npy";
        if (!fs::exists(file)) {
            data::Dataset part;
            part.n = n;
            part.d = d;
            part.feature_names = all.feature_names;
            part.features.assign(all.features.begin(), all.features.begin() + n * d);
            data::write_npy(part, file);
        }
    }
    const float* X = all.features.data(); // the first n rows are the subset
    // Labels: Fashion-MNIST's classes in the same row order as the PCA file.
    std::vector<std::int32_t> labels;
    {
        const data::Dataset images = fashion70k();
        if (images.label_column) {
            const auto& codes = images.metadata.at(*images.label_column).codes;
            labels.assign(codes.begin(), codes.begin() + n);
        }
    }

    reduce::umap::Options o;
    o.dims = args.dims;
    o.seed = 0;
    if (args.epochs > 0) o.n_epochs = args.epochs;
    const auto t0 = Clock::now();
    auto status = reduce::umap::initialize(X, n, d, o);
    const double first_frame = since(t0);
    std::vector<double> Y = status.initial_embedding();
    status.run(Y, status.max_iterations());
    const double total = since(t0);
    const std::vector<float> Yf(Y.begin(), Y.end());
    const Scores ours = score(X, n, d, Yf.data(), o.dims, labels.empty() ? nullptr : labels.data());

    Reference ref;
    if (args.reference) ref = umap_learn(file, args.dir, n, o.dims);
    const bool have_ref = ref.seconds > 0 && std::int64_t(ref.Y.size()) == n * o.dims;
    const Scores theirs =
        have_ref ? score(X, n, d, ref.Y.data(), o.dims, labels.empty() ? nullptr : labels.data()) : Scores{};
    const double speedup = have_ref ? ref.seconds / total : -1;
    const auto& tm = status.timings();

    if (args.json) {
        json::Writer w;
        w.begin_object();
        w.key("threads").value(omp_get_max_threads()).key("file").value(file).key("n").value(n).key("d").value(d);
        w.key("dims").value(o.dims).key("n_neighbors").value(o.n_neighbors).key("min_dist").value(o.min_dist);
        w.key("epochs").value(status.max_iterations()).key("metrics_sampled").value(ours.sampled);
        w.key("latentscape").begin_object();
        w.key("seconds").value(total).key("first_frame_seconds").value(first_frame);
        w.key("neighbors_seconds").value(tm.neighbors).key("graph_seconds").value(tm.graph);
        w.key("init_seconds").value(tm.init).key("optimisation_seconds").value(status.optimisation_seconds());
        w.key("neighbors").value(neighbors::to_string(status.neighbors()));
        w.key("init").value(reduce::umap::to_string(status.init()));
        w.key("trustworthiness").value(ours.trust).key("knn_accuracy").value(ours.accuracy);
        w.end_object();
        w.key("umap_learn").begin_object();
        w.key("version").value(ref.version).key("seconds").value(ref.seconds);
        w.key("neighbors_seconds").value(ref.neighbors).key("compile_seconds").value(ref.compile);
        w.key("trustworthiness").value(theirs.trust).key("knn_accuracy").value(theirs.accuracy);
        w.end_object();
        w.key("speedup").value(speedup);
        w.key("neighbors_speedup").value(have_ref && ref.neighbors > 0 ? ref.neighbors / tm.neighbors : -1.0);
        w.end_object();
        std::printf("%s\n", w.str().c_str());
        return 0;
    }
    std::printf("UMAP benchmark, %d OpenMP thread(s): %lld x %lld (Fashion-MNIST PCA 50), %d-D, n_neighbors 15, "
                "min_dist 0.1, %d epochs, spectral init\n",
                omp_get_max_threads(), static_cast<long long>(n), static_cast<long long>(d), o.dims,
                status.max_iterations());
    std::printf("trustworthiness k = 10 and 10-NN label accuracy, %s\n",
                ours.sampled ? "estimated from 5,000 sampled query points" : "exact");
    std::printf("%-30s %9s %11s %9s %10s\n", "implementation", "seconds", "neighbours", "trust", "10-NN acc");
    std::printf("%-30s %9.2f %11.2f %9.4f %10.4f\n", "latentscape", total, tm.neighbors, ours.trust, ours.accuracy);
    if (have_ref)
        std::printf("%-30s %9.2f %11.2f %9.4f %10.4f\n", ("umap-learn " + ref.version).c_str(), ref.seconds,
                    ref.neighbors, theirs.trust, theirs.accuracy);
    std::printf("latentscape: %s neighbours %.2f s, graph %.2f s, %s init %.2f s, %d epochs %.2f s (first frame "
                "after %.2f s)\n",
                neighbors::to_string(status.neighbors()), tm.neighbors, tm.graph,
                reduce::umap::to_string(status.init()), tm.init, status.max_iterations(),
                status.optimisation_seconds(), first_frame);
    if (!have_ref) {
        if (args.reference) std::printf("(umap-learn was not available: run packaging/install-deps.sh --bench)\n");
        return 0;
    }
    std::printf("umap-learn: fit %.2f s (its neighbour search alone %.2f s; numba compilation before, not counted: "
                "%.1f s)\n",
                ref.seconds, ref.neighbors, ref.compile);
    std::printf("speedup %.2fx (neighbours %.2fx); trustworthiness %+.4f, 10-NN accuracy %+.4f (ours - umap-learn)\n",
                speedup, ref.neighbors > 0 ? ref.neighbors / tm.neighbors : -1.0, ours.trust - theirs.trust,
                ours.accuracy - theirs.accuracy);
    return 0;
}

}  // namespace latentscape::bench
