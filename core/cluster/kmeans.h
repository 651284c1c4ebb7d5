#pragma once
/// @file k-means clustering (k-means++ initialisation, Lloyd or Hamerly iterations, restarts) and
/// a helper for choosing k (inertia and silhouette over a range of k).
///
/// Determinism: the same input, options and seed give bit-identical labels, centres and inertia
/// whatever the OpenMP thread count. Every floating-point sum over points is taken over a fixed
/// number of point blocks (a function of n, k and d only), each summed sequentially, and the
/// block sums are added in block order.

#include "data/dataset.h"

#include <cstdint>
#include <vector>

namespace latentscape::cluster {

struct KMeansOptions {
    /// Number of clusters, 1 <= k <= n.
    int k = 8;
    /// Independent runs (scikit-learn's n_init), each from its own k-means++ seeding; the run with
    /// the lowest inertia is kept. More restarts cost proportionally more time and rarely help on
    /// well-separated data.
    int restarts = 1;
    /// Upper bound on assignment + update rounds per restart; a run that reaches it is reported
    /// with converged = false (its result is still valid, only possibly not a local optimum).
    int max_iterations = 300;
    /// Convergence threshold on the summed squared centre shift of one round, relative to the
    /// data as in scikit-learn: tolerance * (mean over features of the feature variance). A round
    /// that changes no label also ends the run. 0 = iterate until no label changes.
    double tolerance = 1e-4;
    /// Lloyd computes all n x k distances each round; Hamerly keeps per-point upper/lower distance
    /// bounds (triangle inequality) and skips points whose label cannot change. Both give the same
    /// labels, centres and iteration count from the same seed; Hamerly is faster when k is small
    /// to moderate.
    enum class Algorithm { Lloyd, Hamerly } algorithm = Algorithm::Hamerly;
    /// Seed of the k-means++ sampling; restart r uses the independent stream r of this seed.
    std::uint64_t seed = 42;
};

struct KMeansResult {
    std::vector<std::int32_t> labels;  ///< n cluster ids in [0, k)
    std::vector<float> centres;        ///< k x d, row-major (cluster means)
    double inertia = 0.0;              ///< sum of squared distances of points to their centre
    int iterations = 0;                ///< rounds of the kept restart
    bool converged = false;            ///< the kept restart met the tolerance or stopped changing
    int best_restart = 0;              ///< index of the kept restart (lowest inertia, first on ties)
    double elapsed_seconds = 0.0;      ///< wall time of the whole call, all restarts
};

/// Clusters the n x d row-major float matrix X into options.k clusters.
///
/// Initialisation is scikit-learn's greedy k-means++: the first centre is a uniformly drawn point;
/// each further centre is the best (lowest resulting potential) of 2 + floor(ln k) candidates
/// drawn with probability proportional to the squared distance to the nearest chosen centre.
///
/// Empty clusters (a centre that got no point in a round) are re-seeded with the point farthest
/// from its own centre (ties: lowest index), taken only from clusters that keep at least one
/// point. With fewer distinct points than k there may be no such point at a positive distance:
/// the empty cluster then keeps its previous centre and stays empty (k-means++ has already placed
/// it on a duplicate point); the run ends normally once no label changes.
///
/// Arithmetic: distances in float (as the data), centre sums and inertia in double.
/// Throws std::invalid_argument for k < 1, k > n, restarts < 1, max_iterations < 1, a negative or
/// non-finite tolerance, an empty matrix, or a non-finite value in X (naming its row and column).
KMeansResult kmeans(const float* X, std::int64_t n, std::int64_t d, const KMeansOptions& options);

/// kmeans() on a dataset's feature matrix.
KMeansResult kmeans(const data::Dataset& dataset, const KMeansOptions& options);

/// One point of a k scan.
struct KScanPoint {
    int k = 0;
    double inertia = 0.0;     ///< inertia of the best restart at this k
    double silhouette = 0.0;  ///< mean silhouette coefficient; NaN for k = 1 or k = n (undefined)
};

/// Runs kmeans() for every k in [k_min, k_max] with the other options taken from `base`, and
/// reports the inertia and the mean silhouette coefficient (Euclidean) of each clustering.
///
/// The silhouette needs all pairwise distances (quadratic): when n > silhouette_sample it is
/// estimated on a uniform sample of silhouette_sample points drawn without replacement (seeded by
/// base.seed, the same sample for every k), using the full-data labels restricted to the sample.
/// A point alone in its cluster (within the sample) scores 0, as in scikit-learn.
/// Throws std::invalid_argument for k_min < 1, k_max < k_min, k_max > n or silhouette_sample < 2.
std::vector<KScanPoint> scan_k(const float* X, std::int64_t n, std::int64_t d, int k_min, int k_max,
                               const KMeansOptions& base, std::int64_t silhouette_sample = 5000);

}  // namespace latentscape::cluster
