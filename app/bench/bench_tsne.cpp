// latentscape-bench tsne: t-SNE of the first n rows of Fashion-MNIST's 50-component PCA
// (perplexity 30, 1000 iterations, PCA initialisation) against scikit-learn's TSNE (Barnes-Hut)
// on the same float32 file in the same run. Both embeddings are scored the same way: the exact
// KL divergence against Latentscape's P (scikit-learn's own estimate is printed beside it) and
// trustworthiness (k = 10) on a fixed 5,000-point sample. The neighbour search is compared with
// scikit-learn's brute force, and the approximate (hnswlib) search is scored by its recall.
#include "benches.h"

#include "common/json.h"
#include "common/rng.h"
#include "data/load.h"
#include "data/write.h"
#include "metrics/quality.h"
#include "reduce/tsne.h"
#include "reduce/tsne_internal.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <set>
#include <string>
#include <vector>

namespace latentscape::bench {
namespace {
namespace fs = std::filesystem;
namespace ti = reduce::tsne::internal;
using Clock = std::chrono::steady_clock;

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

/// Peak resident memory of this process so far, in MiB (VmHWM).
double peak_mib() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::atof(line.c_str() + 6) / 1024.0;
    return -1;
}

/// 5,000 (or n) rows drawn without replacement by a fixed seed, sorted.
std::vector<std::int64_t> sample_rows(std::int64_t n, std::int64_t count) {
    std::vector<std::int64_t> ids(static_cast<std::size_t>(n));
    std::iota(ids.begin(), ids.end(), 0);
    Rng rng(0);
    count = std::min(count, n);
    for (std::int64_t i = 0; i < count; ++i) std::swap(ids[std::size_t(i)], ids[std::size_t(i + std::int64_t(rng.below(std::uint64_t(n - i))))]);
    ids.resize(std::size_t(count));
    std::sort(ids.begin(), ids.end());
    return ids;
}

/// Trustworthiness (k = 10) of the rows `ids` of embedding Y (n x dims) against X (n x d).
double sampled_trustworthiness(const float* X, std::int64_t d, const std::vector<double>& Y, int dims,
                               const std::vector<std::int64_t>& ids) {
    std::vector<float> xs, ys;
    for (std::int64_t i : ids) {
        xs.insert(xs.end(), X + i * d, X + (i + 1) * d);
        for (int a = 0; a < dims; ++a) ys.push_back(float(Y[std::size_t(i * dims + a)]));
    }
    const auto m = std::int64_t(ids.size());
    return metrics::trustworthiness(xs.data(), m, d, ys.data(), dims, 10).value;
}

struct Reference {
    double seconds = -1, kl = -1;
    std::vector<double> Y;
};

Reference sklearn_tsne(const std::string& file, const std::string& dir, std::int64_t n, int dims) {
    const std::string out = dir + "/tsne_sklearn_" + std::to_string(n) + "_" + std::to_string(dims) + "d.npy";
    const std::string side = out + ".txt";
    fs::remove(side);
    const double seconds = python_number(
        "import time, numpy as np\nfrom sklearn.manifold import TSNE\n"
        "X = np.load(\"" + file + "\").astype(np.float32)\n"
        "t = time.perf_counter()\n"
        "m = TSNE(n_components=" + std::to_string(dims) + ", perplexity=30.0, n_iter=1000, init=\"pca\", "
        "learning_rate=\"auto\", method=\"barnes_hut\", angle=0.5, random_state=0, n_jobs=2)\n"
        "Y = m.fit_transform(X)\ns = time.perf_counter() - t\n"
        "np.save(\"" + out + "\", Y.astype(np.float64))\n"
        "open(\"" + side + "\", \"w\").write(\"%r %r\\n\" % (s, float(m.kl_divergence_)))\nprint(s)");
    Reference r;
    std::ifstream in(side);
    if (seconds < 0 || !(in >> r.seconds >> r.kl)) return Reference{};
    const data::Dataset y = data::load(out);
    r.Y.assign(y.features.begin(), y.features.end());
    return r;
}

double sklearn_knn_seconds(const std::string& file, int k) {
    return python_number(
        "import time, numpy as np\nfrom sklearn.neighbors import NearestNeighbors\n"
        "X = np.load(\"" + file + "\").astype(np.float32)\n"
        "t = time.perf_counter()\n"
        "NearestNeighbors(n_neighbors=" + std::to_string(k) + ", algorithm=\"brute\", n_jobs=2).fit(X).kneighbors()\n"
        "print(time.perf_counter() - t)");
}

}  // namespace

int bench_tsne(const BenchArgs& args) {
    const std::string full = pca50_file(args.dir);
    const data::Dataset all = data::load(full);
    const std::int64_t n = std::min(args.n > 0 ? args.n : std::int64_t(10000), all.n);
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
    const float* X = all.features.data();  // the first n rows are the subset

    reduce::tsne::Options o;
    o.dims = args.dims;
    o.seed = 0;
    const auto t0 = Clock::now();
    auto status = reduce::tsne::initialize(X, n, d, o);
    const double first_frame = since(t0);
    std::vector<double> Y = status.initial_embedding();
    status.run(Y, status.max_iterations());
    const double total = since(t0);
    const double peak = peak_mib();
    const double kl = status.cost(Y, true);
    const double kl_approx = status.cost(Y, false);
    const auto ids = sample_rows(n, 5000);
    const double trust = sampled_trustworthiness(X, d, Y, o.dims, ids);

    // Neighbour search: exact (what ran above) and approximate, scored by recall.
    const int k = status.k();
    auto t1 = Clock::now();
    const ti::Knn exact = ti::exact_knn(X, n, d, k);
    const double exact_s = since(t1);
    t1 = Clock::now();
    const ti::Knn approx = ti::approximate_knn(X, n, d, k, 0);
    const double approx_s = since(t1);
    std::int64_t hits = 0;
    for (std::int64_t i = 0; i < n; ++i) {
        const std::set<std::int32_t> truth(exact.indices.begin() + i * k, exact.indices.begin() + (i + 1) * k);
        for (int a = 0; a < k; ++a) hits += truth.count(approx.indices[std::size_t(i * k + a)]);
    }
    const double recall = double(hits) / double(n * k);

    Reference ref;
    double sk_knn = -1;
    if (args.reference) {
        sk_knn = sklearn_knn_seconds(file, k);
        ref = sklearn_tsne(file, args.dir, n, o.dims);
    }
    const bool have_ref = ref.seconds > 0 && std::int64_t(ref.Y.size()) == n * o.dims;
    const double ref_kl = have_ref ? status.cost(ref.Y, true) : -1;
    const double ref_trust = have_ref ? sampled_trustworthiness(X, d, ref.Y, o.dims, ids) : -1;
    const double speedup = have_ref ? ref.seconds / total : -1;

    if (args.json) {
        json::Writer w;
        w.begin_object();
        w.key("threads").value(omp_get_max_threads()).key("file").value(file).key("n").value(n).key("d").value(d);
        w.key("dims").value(o.dims).key("perplexity").value(o.perplexity).key("iterations").value(o.iterations);
        w.key("latentscape").begin_object();
        w.key("seconds").value(total).key("first_frame_seconds").value(first_frame);
        w.key("neighbors_seconds").value(status.timings().neighbors).key("affinities_seconds").value(status.timings().affinities);
        w.key("optimisation_seconds").value(status.optimisation_seconds());
        w.key("gradient").value(reduce::tsne::to_string(status.gradient()));
        w.key("kl_exact").value(kl).key("kl_estimate").value(kl_approx).key("trustworthiness").value(trust);
        w.key("peak_mib").value(peak);
        w.end_object();
        w.key("neighbors").begin_object();
        w.key("k").value(k).key("exact_seconds").value(exact_s).key("approximate_seconds").value(approx_s);
        w.key("approximate_recall").value(recall).key("sklearn_brute_seconds").value(sk_knn);
        w.end_object();
        w.key("sklearn").begin_object();
        w.key("seconds").value(ref.seconds).key("kl_own_estimate").value(ref.kl).key("kl_exact").value(ref_kl);
        w.key("trustworthiness").value(ref_trust);
        w.end_object();
        w.key("speedup").value(speedup).key("kl_ratio").value(have_ref ? kl / ref_kl : -1.0);
        w.end_object();
        std::printf("%s\n", w.str().c_str());
        return 0;
    }
    std::printf("t-SNE benchmark, %d OpenMP thread(s): %lld x %lld (Fashion-MNIST PCA 50), %d-D, perplexity 30, "
                "1000 iterations, PCA init\n",
                omp_get_max_threads(), static_cast<long long>(n), static_cast<long long>(d), o.dims);
    std::printf("KL: exact, against Latentscape's P (scikit-learn's own estimate in brackets); trustworthiness "
                "k = 10 on a fixed 5,000-point sample\n");
    std::printf("%-34s %9s %18s %10s\n", "implementation", "seconds", "KL", "trust");
    std::printf("%-34s %9.2f %10.4f (%.4f) %10.5f\n",
                (std::string("latentscape (") + reduce::tsne::to_string(status.gradient()) + ")").c_str(), total, kl,
                kl_approx, trust);
    if (have_ref)
        std::printf("%-34s %9.2f %10.4f (%.4f) %10.5f\n", "scikit-learn TSNE (Barnes-Hut)", ref.seconds, ref_kl, ref.kl,
                    ref_trust);
    std::printf("latentscape: first frame after %.2f s (neighbours %.2f s, affinities %.2f s), optimisation %.2f s, "
                "peak memory %.0f MiB\n",
                first_frame, status.timings().neighbors, status.timings().affinities, status.optimisation_seconds(),
                peak);
    std::printf("neighbours, k = %d: exact %.2f s, approximate (hnswlib) %.2f s at recall %.4f", k, exact_s, approx_s,
                recall);
    if (sk_knn > 0) std::printf(", scikit-learn brute force %.2f s (%.1fx)", sk_knn, sk_knn / exact_s);
    std::printf("\n");
    if (!have_ref) {
        if (args.reference) std::printf("(the reference was not available: run packaging/install-deps.sh --bench)\n");
        return 0;
    }
    std::printf("speedup %.2fx, KL ratio %.4f (ours / scikit-learn's, both exact)\n", speedup, kl / ref_kl);
    return 0;
}

}  // namespace latentscape::bench
