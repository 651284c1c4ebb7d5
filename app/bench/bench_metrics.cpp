// latentscape-bench metrics: the exact neighbour queries behind the quality metrics, DBSCAN and
// the k-distance curve, on the first n rows (default 10,000) of Fashion-MNIST's 50-component PCA
// (X, 50-D) and its first two components (Y, 2-D, a stand-in embedding). Timed so that a change
// of the neighbour code can be checked for speed: trustworthiness/continuity/recall together
// (exact: every point ranks all n), per-point quality, 10-NN accuracy, the double-precision
// exact kNN graph, k_distance (brute force in 50-D, kd-tree in 2-D) and DBSCAN (kd-tree in 10-D,
// brute force in 50-D). Then the metrics of a real embedding (UMAP of X, exact neighbours) without
// and with a run's exact kNN graph of X: UMAP's own (k = 14) and a t-SNE-sized one (k = 90, as
// perplexity 30). Latentscape only: no reference.
#include "benches.h"

#include "cluster/dbscan.h"
#include "common/json.h"
#include "data/load.h"
#include "metrics/pointwise.h"
#include "metrics/quality.h"
#include "neighbors/brute.h"
#include "neighbors/knn.h"
#include "reduce/umap.h"

#include <omp.h>

#include <cstdio>
#include <string>
#include <vector>

namespace latentscape::bench {

int bench_metrics(const BenchArgs& args) {
    const data::Dataset all = data::load(pca50_file(args.dir));
    const std::int64_t n = std::min(args.n > 0 ? args.n : std::int64_t(10000), all.n);
    const std::int64_t d = all.d;
    std::vector<float> X(all.features.begin(), all.features.begin() + n * d);
    std::vector<float> Y(std::size_t(n * 2)), X10(std::size_t(n * 10));
    for (std::int64_t i = 0; i < n; ++i) {
        for (int j = 0; j < 2; ++j) Y[std::size_t(i * 2 + j)] = X[std::size_t(i * d + j)];
        for (int j = 0; j < 10; ++j) X10[std::size_t(i * 10 + j)] = X[std::size_t(i * d + j)];
    }
    std::vector<std::int32_t> labels;
    {
        const data::Dataset images = fashion70k();
        if (images.label_column) {
            const auto& codes = images.metadata.at(*images.label_column).codes;
            labels.assign(codes.begin(), codes.begin() + n);
        }
    }
    const int k = 10;
    struct Row {
        std::string name;
        double seconds;
        double value;
    };
    std::vector<Row> rows;
    auto time = [&](const std::string& name, auto&& f) {
        double value = 0;
        const double s = best_seconds(args.repeat, [&] { value = f(); });
        rows.push_back({name, s, value});
    };
    metrics::QualityResult q;
    time("quality (T, C, recall), k 10", [&] {
        q = metrics::quality(X.data(), n, d, Y.data(), 2, k);
        return q.trustworthiness.value;
    });
    time("pointwise quality, all rows", [&] {
        const auto p = metrics::pointwise_quality(X.data(), n, d, Y.data(), 2, k);
        return p.trustworthiness.empty() ? 0.0 : p.trustworthiness[0];
    });
    if (!labels.empty())
        time("10-NN accuracy in Y", [&] { return metrics::knn_accuracy(Y.data(), n, 2, labels.data(), k).value; });
    time("exact kNN graph (double), k 10", [&] {
        const auto g = neighbors::brute_force_knn(X.data(), n, d, k);
        return double(g.sq_distances.back());
    });
    time("k_distance 50-D (brute), k 10", [&] { return double(cluster::k_distance(X.data(), n, d, k).front()); });
    time("k_distance 2-D (kd-tree), k 10", [&] { return double(cluster::k_distance(Y.data(), n, 2, k).front()); });
    cluster::DbscanOptions o10;
    o10.eps = 400;
    o10.min_points = 10;
    time("dbscan 10-D (kd-tree)", [&] { return double(cluster::dbscan(X10.data(), n, 10, o10).clusters); });
    cluster::DbscanOptions o50 = o10;
    o50.eps = 700;
    time("dbscan 50-D (brute force)", [&] { return double(cluster::dbscan(X.data(), n, d, o50).clusters); });
    // A real embedding and its run's graph: UMAP of X with exact neighbours (d = 50: no PCA first,
    // so its k = 14 graph is X's own), and a t-SNE-sized exact graph (k = 90) of the same rows.
    reduce::umap::Options uo;
    uo.neighbors = neighbors::Method::Exact;
    uo.seed = 0;
    auto status = reduce::umap::initialize(X.data(), n, d, uo);
    std::vector<double> Yd = status.initial_embedding();
    status.run(Yd, status.max_iterations());
    const std::vector<float> U(Yd.begin(), Yd.end());
    neighbors::Options no;
    no.k = 90;
    no.method = neighbors::Method::Exact;
    const neighbors::KnnGraph g90 = neighbors::build(X.data(), n, d, no);
    const neighbors::KnnGraph& g14 = status.knn();
    time("UMAP embedding: quality, no graph", [&] { return metrics::quality(X.data(), n, d, U.data(), 2, k).trustworthiness.value; });
    time("UMAP embedding: quality, its graph (k 14)",
         [&] { return metrics::quality(X.data(), n, d, U.data(), 2, k, g14).trustworthiness.value; });
    time("UMAP embedding: quality, graph k 90",
         [&] { return metrics::quality(X.data(), n, d, U.data(), 2, k, g90).trustworthiness.value; });
    time("UMAP embedding: kNN recall, no graph", [&] { return metrics::knn_recall(X.data(), n, d, U.data(), 2, k).value; });
    time("UMAP embedding: kNN recall, its graph (k 14)",
         [&] { return metrics::knn_recall(X.data(), n, d, U.data(), 2, k, g14).value; });
    time("UMAP embedding: pointwise, no graph", [&] {
        return metrics::pointwise_quality(X.data(), n, d, U.data(), 2, k).trustworthiness[0];
    });
    time("UMAP embedding: pointwise, graph k 90", [&] {
        return metrics::pointwise_quality(X.data(), n, d, U.data(), 2, k, g90).trustworthiness[0];
    });

    if (args.json) {
        json::Writer w;
        w.begin_object();
        w.key("threads").value(omp_get_max_threads()).key("n").value(n).key("d").value(d).key("k").value(k);
        w.key("results").begin_array();
        for (const Row& r : rows) {
            w.begin_object();
            w.key("name").value(r.name).key("seconds").value(r.seconds).key("value").value(r.value);
            w.end_object();
        }
        w.end_array();
        w.end_object();
        std::printf("%s\n", w.str().c_str());
        return 0;
    }
    std::printf("metrics and neighbour queries, %d OpenMP thread(s), best of %d, n = %lld (X %lld-D, Y 2-D)\n",
                omp_get_max_threads(), args.repeat, (long long)n, (long long)d);
    for (const Row& r : rows) std::printf("%-48s %9.4f s   (%.6g)\n", r.name.c_str(), r.seconds, r.value);
    return 0;
}

}  // namespace latentscape::bench
