#pragma once
/// @file DBSCAN (Ester et al. 1996): exact density-based clustering with noise, and the
/// k-distance curve the UI uses to suggest eps.

#include "data/dataset.h"

#include <cstdint>
#include <string>
#include <vector>

namespace latentscape::cluster {

/// How the exact eps-neighbourhoods are found. All give the same neighbours (distances are
/// evaluated in double precision from the float32 input either way), so the labels do not
/// depend on this choice; only the speed does.
enum class NeighborIndex {
    Auto,        ///< grid for 2-D, kd-tree up to d = 16, brute force above (a kd-tree stops pruning in high d)
    KdTree,      ///< nanoflann kd-tree: fast for low dimensions
    BruteForce,  ///< blocked all-pairs distances (float GEMM filter, double-precision check)
    Grid         ///< 2-D only (dbscan): cells of side ~eps, the fastest for 2-D embeddings; falls
                 ///< back to the kd-tree when eps is so small against the extent that the grid
                 ///< would need more than ~16 cells per point. k_distance treats it as KdTree.
};

/// Options of dbscan(). DBSCAN has no randomness, hence no seed: same input, same labels.
struct DbscanOptions {
    /// Neighbourhood radius (Euclidean). A point q is a neighbour of p when |p - q| <= eps, as in
    /// scikit-learn. Too small: everything is noise; too large: clusters merge. k_distance()
    /// helps choosing it (look for the knee of the curve).
    double eps = 0.5;
    /// Neighbours (the point itself included, as scikit-learn's min_samples) a point needs to be
    /// a core point. Larger values demand denser clusters and mark more points as noise.
    int min_points = 5;
    /// Neighbour search structure; Auto picks by dimension.
    NeighborIndex index = NeighborIndex::Auto;
};

/// Outcome of dbscan().
struct DbscanResult {
    /// Cluster of each point: -1 = noise, clusters 0..clusters-1 numbered in the order of their
    /// first (lowest-index) core point.
    std::vector<std::int32_t> labels;
    /// 1 for core points (at least min_points neighbours within eps, itself included), else 0.
    std::vector<std::uint8_t> core;
    int clusters = 0;           ///< number of clusters
    std::int64_t noise = 0;     ///< points labelled -1
    std::string index_used;     ///< "grid", "kd-tree" or "brute-force"
    double elapsed_seconds = 0; ///< wall time of the whole call
};

/// Exact DBSCAN of the n x d row-major float32 matrix X (Euclidean distance).
///
/// Core points and their connected components are unique, so core labels equal scikit-learn's
/// up to a renumbering of the clusters. A border point (not core, within eps of a core point)
/// may touch several clusters; it joins the one with the smallest cluster id among its core
/// neighbours, which is the cluster a breadth-first expansion in index order reaches it from
/// first. scikit-learn assigns it to whichever cluster its own expansion order reaches first, so
/// such points (and only those) may legitimately carry a different cluster.
///
/// The neighbourhood queries run in parallel; the core components come from a concurrent
/// union-find whose roots are always the lowest index, and border points take a minimum, so the
/// labels are identical for any thread count (and equal those of the sequential expansion).
/// Memory: the neighbour lists of the core points (like scikit-learn, which keeps all lists).
/// Throws std::invalid_argument for n < 1, d < 1, eps not finite or <= 0, min_points < 1, or a
/// non-finite input value.
DbscanResult dbscan(const float* X, std::int64_t n, std::int64_t d, const DbscanOptions& options = {});

/// DBSCAN of a dataset's features.
DbscanResult dbscan(const data::Dataset& dataset, const DbscanOptions& options = {});

/// The k-distance curve: for every point, the distance to its k-th nearest neighbour counting the
/// point itself as the first (what scikit-learn's NearestNeighbors(n_neighbors=k).kneighbors(X)
/// returns in its last column when queried on its own training set; k = 1 gives 0). Pass
/// k = min_points: a point is a core point exactly when this distance is <= eps. Returned sorted
/// in descending order; the knee of this curve is a good eps. Throws std::invalid_argument when
/// k < 1, k > n, d < 1 or an input value is not finite.
std::vector<float> k_distance(const float* X, std::int64_t n, std::int64_t d, int k,
                              NeighborIndex index = NeighborIndex::Auto);

}  // namespace latentscape::cluster
