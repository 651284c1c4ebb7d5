#pragma once
/// @file The k-nearest-neighbour graph: the one result type of the neighbour module, shared by
/// t-SNE, UMAP, the placement of new rows and the quality metrics (which can reuse a run's graph),
/// and its fast builders, an exact fused brute force and an approximate hnswlib search.
///
/// The module (core/neighbors) holds every neighbour search of the core:
/// - knn.h: KnnGraph; build(), exact_knn() (float32 SIMD filter, double re-rank: fast) and
///   approximate_knn() (hnswlib).
/// - brute.h: brute_force_knn(), exact in double from whole distance rows (the float64 ranking
///   bit for bit: the reference), and the row building blocks the metrics rank all points with.
/// - radius.h: radius queries (2-D grid, kd-tree, blocked brute force) and k-th-neighbour
///   distances, exact at the boundary, for DBSCAN and its k-distance curve.
///
///     neighbors::Options o;
///     o.k = 15;
///     const neighbors::KnnGraph g = neighbors::build(X, n, d, o);   // Auto: exact or approximate
///
/// Conventions: Euclidean metric; each row's own index is excluded; neighbours are ordered by
/// (distance, index), so equal distances rank the smaller index first; distances are SQUARED
/// Euclidean, recomputed in double from the float input for the k survivors and stored rounded
/// to float. Results are deterministic for a seed and independent of the thread count.

#include "common/cancel.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace latentscape::neighbors {

/// The k nearest neighbours of each of n rows, self excluded.
struct KnnGraph {
    std::int64_t n = 0;                ///< rows
    int k = 0;                         ///< neighbours per row
    std::vector<std::int32_t> indices; ///< n * k neighbour ids, row i at [i * k, (i + 1) * k), nearest first
    std::vector<float> sq_distances;   ///< n * k squared Euclidean distances, ascending per row
    bool exact = true;                 ///< found by exhaustive search (else approximately, by hnswlib)

    /// The a-th nearest neighbour of row i (a in [0, k)) and its squared distance.
    std::int32_t neighbor(std::int64_t i, int a) const { return indices[std::size_t(i * k + a)]; }
    float sq_distance(std::int64_t i, int a) const { return sq_distances[std::size_t(i * k + a)]; }
};

/// How build() searches.
enum class Method {
    Auto,        ///< Exact while n^2 d <= Options::exact_work_limit, else Approximate
    Exact,       ///< every pair (fused float32 SIMD scan, re-ranked in double): recall 1, O(n^2 d)
    Approximate, ///< hnswlib graph (Malkov & Yashunin 2018): recall ~0.99 at the defaults, sub-quadratic
};

/// Options of build(). Validated there; every error names the offending value.
struct Options {
    /// Neighbours per row, self excluded. In [1, n - 1].
    int k = 15;
    /// Search method; see Method.
    Method method = Method::Auto;
    /// Auto picks Exact while n^2 d stays at or below this. 1e12 (70,000 x 50 is 2.5e11: ~2.4 s on
    /// 2 cores) keeps the exact search below ~10 s; lower it to favour speed over recall. > 0.
    double exact_work_limit = 1e12;
    /// hnswlib: links per node. More raises recall and memory and build time. In [2, 100].
    int hnsw_m = 16;
    /// hnswlib: candidate list while inserting. More is a better graph, built slower. >= hnsw_m.
    int hnsw_ef_construction = 100;
    /// hnswlib: candidate list of each query. Unset: max(2k, 64). More is higher recall, slower. >= k.
    std::optional<int> hnsw_ef_search;
    /// hnswlib: seed of the graph's random levels (the graph is built sequentially, so it depends
    /// on the seed only, never on the thread count).
    std::uint64_t seed = 42;
};

/// The method build() uses for an n x d input: `method` itself unless it is Auto.
Method resolve(Method method, std::int64_t n, std::int64_t d, double exact_work_limit = Options{}.exact_work_limit);

/// k nearest neighbours of every row of the n x d row-major matrix X (see the file comment).
/// Throws std::invalid_argument when n < 2, d < 1, n >= 2^31, X holds a NaN or an infinity (row
/// and column named), values are too large for float32 distances, or an option is out of its
/// documented range (k outside [1, n - 1] names n); std::runtime_error when the approximate search
/// finds fewer than k neighbours for a row (names it).
/// `canceled`, when given, is polled from any thread between blocks of work (a few milliseconds);
/// once it answers true, build() throws latentscape::Canceled.
KnnGraph build(const float* X, std::int64_t n, std::int64_t d, const Options& options = {},
               const std::function<bool()>& canceled = {});

/// Exact neighbours by brute force: distances |x_j|^2 - 2 x_i.x_j in float32 in register blocks of
/// 8 queries x 16 references on centred data, each block filtered against the rows' current k-th
/// distance, so the n x n distance matrix never exists; the k survivors' distances are then
/// recomputed in double and re-sorted, so near-ties are ranked by the true distance. Requires
/// 1 <= k < n; does not check X for NaN (build() does).
KnnGraph exact_knn(const float* X, std::int64_t n, std::int64_t d, int k, const std::function<bool()>& canceled = {});

/// Approximate neighbours from an hnswlib graph with options' hnsw_* parameters and seed, built
/// sequentially (so it depends on the seed only), queried in parallel. options.k is the k.
KnnGraph approximate_knn(const float* X, std::int64_t n, std::int64_t d, const Options& options,
                         const std::function<bool()>& canceled = {});

/// "auto", "exact", "approximate".
const char* to_string(Method method);

}  // namespace latentscape::neighbors
