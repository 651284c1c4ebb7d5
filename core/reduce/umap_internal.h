#pragma once
/// @file The pieces of the UMAP engine (umap.h), exposed for tests: the fuzzy simplicial set, the
/// curve fit of a and b, the spectral layout and one epoch of the optimiser. Every function is
/// deterministic and independent of the thread count.

#include "neighbors/knn.h"
#include "reduce/umap.h"

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

namespace latentscape::reduce::umap::internal {

/// umap-learn's smooth_knn_dist for one point. `distances` are the k = n_neighbors - 1 Euclidean
/// (not squared) distances to the point's neighbours, ascending; the point itself is the implicit
/// first neighbour at distance 0, as in umap-learn's rows. Returns (sigma, rho): rho the distance
/// to the local_connectivity-th nearest neighbour at a nonzero distance (interpolated), sigma
/// found by bisection (64 steps, tolerance 1e-5) so that sum_j exp(-max(0, d_j - rho) / sigma)
/// = log2(n_neighbors), then kept at least 1e-3 x the mean distance of the row (rho > 0) or of
/// the whole graph (`mean_all`, rho == 0).
std::pair<double, double> smooth_distances(const double* distances, int k, double local_connectivity, double mean_all);

/// The two steps of smooth_distances(), shared with the placement of new rows (transform.cpp),
/// which differs only in its target and its floor. smooth_rho: the distance to the
/// local_connectivity-th neighbour at a nonzero distance (interpolated). smooth_sigma: the
/// bisection (64 steps, tolerance 1e-5) for sum_j exp(-max(0, d_j - rho) / sigma) = target,
/// before any floor.
double smooth_rho(const double* distances, int k, double local_connectivity);
double smooth_sigma(const double* distances, int k, double rho, double target);

/// The directed memberships exp(-(d_ij - rho_i) / sigma_i) (1 within rho) of every neighbour, then
/// their fuzzy union w = mix (a + b - ab) + (1 - mix) ab, symmetric, zeros removed. Also returns
/// each point's sigma and rho when the pointers are set (n values each).
FuzzyGraph fuzzy_simplicial_set(const neighbors::KnnGraph& knn, double set_op_mix_ratio, double local_connectivity,
                                std::vector<double>* sigmas = nullptr, std::vector<double>* rhos = nullptr);

/// umap-learn's find_ab_params: least-squares fit (Levenberg-Marquardt in double, from a = b = 1)
/// of 1 / (1 + a x^(2b)) to 1 for x < min_dist and exp(-(x - min_dist) / spread) beyond, on 300
/// points evenly spaced in [0, 3 spread].
std::pair<double, double> find_ab_params(double spread, double min_dist);

/// Connected components of the graph: a label per point in [0, count), numbered by their smallest point.
int connected_components(const FuzzyGraph& graph, std::vector<std::int32_t>& labels);

/// Eigenvectors 2..dims+1 (by increasing eigenvalue) of the normalised Laplacian
/// I - D^-1/2 W D^-1/2 of a connected graph, n x dims row-major, by thick-restart Lanczos with
/// full reorthogonalisation from a seeded start (each column's sign: its largest entry positive).
/// Returns false (and leaves `out` alone) when the solver does not reach a residual of `tolerance`
/// within `max_restarts`. `canceled` is polled per step.
bool spectral_layout(const FuzzyGraph& graph, int dims, std::uint64_t seed, std::vector<double>& out,
                     const std::function<bool()>& canceled = {}, double tolerance = 1e-4, int max_restarts = 200);

/// The edges the optimiser samples: the graph's entries at or above max / n_epochs (umap-learn
/// drops the rest), in compressed rows, with epochs_per_sample = max / w.
struct Edges {
    std::int64_t n = 0;
    std::vector<std::int64_t> row_start;
    std::vector<std::int32_t> columns;
    std::vector<double> epochs_per_sample;
};
Edges sampled_edges(const FuzzyGraph& graph, int n_epochs);

/// The optimiser between epochs: umap-learn's per-edge schedule (epoch_of_next_sample,
/// epoch_of_next_negative_sample, epochs_per_negative_sample) and the positions an epoch reads.
struct Optimizer {
    Edges edges;
    std::vector<double> next_sample;
    std::vector<double> next_negative;
    std::vector<double> per_negative;
    std::vector<double> previous;
    double a = 0.0, b = 0.0;
    double repulsion_strength = 1.0;
    std::uint64_t seed = 0;
};
Optimizer make_optimizer(const FuzzyGraph& graph, int n_epochs, int negative_sample_rate, double a, double b,
                         double repulsion_strength, std::uint64_t seed);

/// Epoch `epoch` (0-based) at step `alpha` on Y (n x dims, dims 2 or 3): every point moves through
/// its own sampled edges and negative samples, reading the others where the previous epoch left
/// them (see umap.h); parallel over blocks of points, the same bits with any thread count.
void run_epoch(Optimizer& optimizer, int dims, int epoch, double alpha, std::vector<double>& Y);

/// Status::cost(): the fuzzy set cross entropy of Y (n x dims) against the graph.
double cross_entropy(const FuzzyGraph& graph, double a, double b, const std::vector<double>& Y, int dims,
                     std::uint64_t seed);

}  // namespace latentscape::reduce::umap::internal
