#pragma once
/// @file The pieces of the t-SNE engine (tsne.h), exposed for tests: neighbours, affinities and
/// the forces. Every function is deterministic and independent of the thread count.

#include "neighbors/knn.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace latentscape::reduce::tsne::internal {

/// k nearest neighbours of every row, self excluded, nearest first (ties: smaller index first),
/// with squared Euclidean distances: the project's one kNN graph (neighbors/knn.h).
using Knn = neighbors::KnnGraph;

/// Exact neighbours by brute force (neighbors::exact_knn). `canceled` as there.
inline Knn exact_knn(const float* X, std::int64_t n, std::int64_t d, int k,
                     const std::function<bool()>& canceled = {}) {
    return neighbors::exact_knn(X, n, d, k, canceled);
}

/// Approximate neighbours from an hnswlib graph (M = 16, ef_construction = 100, ef = max(2k, 64):
/// neighbors::Options' defaults), built sequentially so the graph depends on the seed only.
inline Knn approximate_knn(const float* X, std::int64_t n, std::int64_t d, int k, std::uint64_t seed,
                           const std::function<bool()>& canceled = {}) {
    neighbors::Options o;
    o.k = k;
    o.seed = seed;
    return neighbors::approximate_knn(X, n, d, o, canceled);
}

/// Bandwidth of one point: beta = 1 / (2 sigma^2) such that the conditional distribution
/// p_j = exp(-beta (d_j - d_0)) / sum has entropy log(perplexity) (to 1e-10, by Newton steps
/// safeguarded by a bisection bracket).
/// Writes the k probabilities (summing to 1) and returns beta. sq_distances ascending.
double conditional_row(const float* sq_distances, int k, double perplexity, double* p);

/// Symmetric joint probabilities in compressed rows: p_ij = (p_j|i + p_i|j) / (2n), sum 1.
/// Columns within a row are ascending. Rows and columns are points, or, when `order` is set,
/// positions in it: row r (and column r) is point order[r].
struct Affinities {
    std::int64_t n = 0;
    std::vector<std::int64_t> row_start; ///< n + 1 offsets
    std::vector<std::int32_t> columns;
    std::vector<double> values;
    std::vector<std::int32_t> order;     ///< empty, or the point at each row: a permutation of 0 .. n - 1

    /// The point at row r.
    std::int64_t point(std::int64_t r) const { return order.empty() ? r : std::int64_t(order[std::size_t(r)]); }
};

/// How affinities() numbers P's rows.
enum class RowOrder {
    Points,   ///< row i is point i
    Locality, ///< breadth-first over the kNN graph, so that neighbours sit near each other in memory
};

/// Affinities from the neighbours: conditional_row per point, then symmetrisation. In Locality
/// order the attraction reads neighbours' coordinates that mostly sit near each other in memory.
/// Measured once (2026-12-08, 2 threads, attraction_f32 in 2-D): with a P built from the 2-D
/// neighbours of a finished 1,000,000-point embedding whose points come in no spatial order, one
/// call took 181 ms in point order and 54 ms in Locality order; no change at 70,000 points, whose
/// coordinates fit in L2. P's values are the same numbers either way, only placed differently;
/// the forces differ in the last bits (another summation order).
Affinities affinities(const Knn& knn, double perplexity, RowOrder row_order = RowOrder::Points);

/// Breadth-first order over the kNN graph: from point 0 along each point's neighbours (nearest
/// first), then from the smallest point not reached yet. Deterministic; O(n k).
std::vector<std::int32_t> locality_order(const Knn& knn);

/// out[i] = sum_j p_ij w_ij (y_i - y_j), w_ij = 1 / (1 + |y_i - y_j|^2): the attractive forces.
/// Also returns sum_ij p_ij log(w_ij) through `sum_p_log_w` when it is non-null (for the cost).
void attraction(const Affinities& P, const double* Y, int dims, double* out, double* sum_p_log_w = nullptr);

/// attraction() in float32 (relative error ~1e-6), the optimiser's version; `values` is
/// P.values as float, `scratch` reused storage.
void attraction_f32(const Affinities& P, const std::vector<float>& values, const double* Y, int dims, double* out,
                    std::vector<float>& scratch);

/// Exact repulsion: out[i] = sum_{j != i} w_ij^2 (y_i - y_j); returns Z = sum_{i != j} w_ij.
double exact_repulsion(const double* Y, std::int64_t n, int dims, double* out);

/// exact_repulsion() in float32 arithmetic, each pair once for both points, 16 lanes at a time
/// (about 25x faster on 2 cores; with AVX-512 the reciprocal is the 14-bit estimate, so forces
/// are within ~3e-5 and Z within ~1e-5 of the double sums): the optimiser's exact gradient.
/// `scratch` is reused storage.
double exact_repulsion_f32(const double* Y, std::int64_t n, int dims, double* out, std::vector<float>& scratch);

/// Exact Z = sum_{i != j} w_ij only (for the exact cost).
double exact_normalisation(const double* Y, std::int64_t n, int dims);

/// FFT-accelerated interpolation of the repulsion in 2-D (Linderman et al. 2019, with
/// smooth-PME B-spline spreading; see tsne_fft.cpp): the squared Cauchy kernel is interpolated by
/// tensor B-splines on a uniform grid, the grid convolution is done by FFT (FFTW, planned with
/// FFTW_ESTIMATE so results are reproducible) and three charge terms (1, y1, y2) give both the
/// forces and Z. Same contract as exact_repulsion(). Keeps plans and buffers between calls; not
/// thread-safe (one per run).
class FftRepulsion {
public:
    /// spline_order: 2, 4, 6 or 8 (nodes per point and dimension); min_nodes: grid nodes per
    /// dimension at least; nodes_per_unit: node density once the embedding is wide.
    FftRepulsion(int spline_order, int min_nodes, double nodes_per_unit);
    FftRepulsion(FftRepulsion&&) noexcept;
    FftRepulsion& operator=(FftRepulsion&&) noexcept;
    ~FftRepulsion();
    double compute(const double* Y, std::int64_t n, double* out);
    /// Whether Y's grid stays within the node limit (1,600 per dimension, ~570 MB: ~800 units at 2 nodes per unit); compute()
    /// throws std::runtime_error beyond it, so callers switch to Barnes-Hut there.
    bool grid_fits(const double* Y, std::int64_t n) const;
    /// Grid nodes per dimension chosen by the last compute() (for tests and diagnostics).
    int last_nodes() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace latentscape::reduce::tsne::internal
