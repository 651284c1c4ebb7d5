#pragma once
/// @file t-distributed stochastic neighbour embedding (van der Maaten & Hinton 2008), as a
/// resumable state object (DESIGN.md section 3):
///
///     auto status = tsne::initialize(X, n, d, options);   // PCA, neighbours, affinities
///     std::vector<double> Y = status.initial_embedding();
///     while (!status.finished()) status.run(Y, status.iteration() + 50);   // a live view
///
/// Input affinities: k = floor(3 x perplexity) nearest neighbours (exact, or approximate with
/// hnswlib for large n), a per-point Gaussian bandwidth found by safeguarded Newton steps on the
/// perplexity, symmetrised and normalised to sum 1. Repulsive forces: exact O(n^2), Barnes-Hut (2-D and 3-D)
/// or FFT-accelerated interpolation (Linderman et al. 2019, 2-D). Optimiser: gradient descent
/// with momentum and per-coordinate gains, early exaggeration, learning rate n / exaggeration
/// (Belkina et al. 2019) and a PCA initialisation scaled to standard deviation 1e-4 (Kobak &
/// Berens 2019).
///
/// The gradient is dC/dy_i = 4 sum_j (p_ij - q_ij) w_ij (y_i - y_j); the factor 4 is folded into
/// the learning rate as in bhtsne, FIt-SNE and openTSNE (scikit-learn keeps it and divides its
/// learning rate by 4: the steps are the same).
///
/// Determinism: the same options and seed give the same embedding bit for bit, whatever the
/// thread count and however run() is chunked (every sum has a fixed order).

#include "common/cancel.h"
#include "common/default_init.h"

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace latentscape::reduce::tsne {

/// How the repulsive forces are computed.
enum class Gradient {
    Auto,      ///< 2-D: Exact up to 25,000 points, then Fft; 3-D: Exact up to 10,000, then BarnesHut
    Exact,     ///< all pairs, no approximation of the sums, O(n^2) per iteration in float32 SIMD
               ///< (forces within ~3e-5 of double precision); the fastest up to ~25,000 points
               ///< (2.5 ms per iteration at 10,000 on 2 cores)
    BarnesHut, ///< space-partitioning tree, O(n log n), 2-D or 3-D, accuracy set by theta
    Fft,       ///< interpolation on a grid + FFT convolution, O(n), 2-D only: fastest for large n
};

/// How the k nearest neighbours of the input affinities are found.
enum class Neighbors {
    Auto,        ///< Exact while n^2 d <= 1e12 (70,000 x 50 takes 2.4 s on 2 cores), else Approximate
    Exact,       ///< brute force, every pair: recall 1
    Approximate, ///< hnswlib graph (Malkov & Yashunin): recall ~0.99, sub-quadratic
};

/// The starting embedding.
enum class Init {
    Pca,    ///< the first `dims` principal components, scaled so column 0 has std 1e-4
    Random, ///< Gaussian with std 1e-4, from the seed
};

/// Options of initialize(). Validated there; every error names the offending value.
struct Options {
    /// Output dimensions: 2 or 3.
    int dims = 2;
    /// Effective number of neighbours each point's Gaussian covers. Larger keeps more global
    /// structure and costs more (k = 3 x perplexity neighbours). Must be < (n - 1) / 3.
    double perplexity = 30.0;
    /// Total gradient-descent iterations (including the exaggeration phase). >= 1.
    int iterations = 1000;
    /// Early exaggeration: P is multiplied by this during the first exaggeration_iterations,
    /// which lets clusters form and move past each other. >= 1.
    double exaggeration = 12.0;
    /// Iterations of early exaggeration (and of the first momentum). >= 0.
    int exaggeration_iterations = 250;
    /// Momentum during early exaggeration, then after it. In [0, 1).
    double momentum = 0.5;
    double final_momentum = 0.8;
    /// Step size. Unset: max(n / exaggeration, 50) (Belkina et al. 2019), which converges far
    /// better at large n than the classic 200. > 0.
    std::optional<double> learning_rate;
    /// Lower bound of the per-coordinate adaptive gains. > 0.
    double min_gain = 0.01;
    /// Repulsion method; see Gradient.
    Gradient gradient = Gradient::Auto;
    /// Barnes-Hut accuracy: a cell whose width / distance is below theta acts as one point.
    /// 0 is exact (slow); 0.5 is the usual trade-off; larger is faster and coarser. In [0, 1.5].
    double theta = 0.5;
    /// FFT gradient: order of the B-splines that spread the points to the grid and interpolate
    /// the potentials back (order x order nodes per point). 4 (cubic) is accurate at 2 nodes per
    /// unit; 6 is more accurate on the same grid at 1.5x the spreading cost. 2, 4, 6 or 8.
    int fft_spline_order = 4;
    /// FFT gradient: minimum number of grid nodes per dimension (a narrow embedding spans them
    /// at a finer spacing). In [20, 1000].
    int fft_min_nodes = 100;
    /// FFT gradient: grid nodes per unit of embedding length once the embedding is wide. The
    /// force error is ~8e-3 at 2 (Fashion-MNIST 70,000) and falls ~2.5x per extra half node;
    /// the transform's cost grows with its square. (0, 10].
    double fft_nodes_per_unit = 2.0;
    /// Neighbour search; see Neighbors.
    Neighbors neighbors = Neighbors::Auto;
    /// Reduce the input to this many principal components first (denoises and speeds up the
    /// neighbour search). Unset: 50 when d > 50, else none. 0: none.
    std::optional<int> pca_dims;
    /// Starting embedding.
    Init init = Init::Pca;
    /// Seed of the random initialisation and of the approximate neighbour graph.
    std::uint64_t seed = 42;
};

/// Seconds spent before the first iteration.
struct Timings {
    double pca = 0.0;        ///< preprocessing PCA (0 when skipped)
    double neighbors = 0.0;  ///< k-nearest-neighbour search
    double affinities = 0.0; ///< bandwidth search, symmetrisation
    double init = 0.0;       ///< initial embedding
};

namespace internal {
struct State;
}

/// A t-SNE run in progress. Movable, not copyable. Not thread-safe: one thread drives it.
class Status {
public:
    Status(Status&&) noexcept;
    Status& operator=(Status&&) noexcept;
    ~Status();

    std::int64_t n() const;
    int dims() const;
    /// Iterations done so far.
    int iteration() const;
    /// Options::iterations.
    int max_iterations() const;
    bool finished() const { return iteration() >= max_iterations(); }

    /// The starting embedding, n x dims row-major: the Y to pass to the first run().
    std::vector<double> initial_embedding() const;

    /// Optimises Y (n x dims, row-major) until iteration() == min(until, max_iterations()).
    /// Y must be the array the previous run() left (the optimiser's momentum belongs to it).
    /// Throws std::invalid_argument if Y has the wrong size or holds a non-finite value.
    void run(std::vector<double>& Y, int until);

    /// KL(P || Q) of Y, without exaggeration. exact = false uses the normalisation Z of the
    /// configured repulsion method (approximate for Barnes-Hut and FFT, O(n) or O(n log n));
    /// exact = true sums every pair (O(n^2): ~2 s at 70,000 points).
    double cost(const std::vector<double>& Y, bool exact = false) const;

    /// What was chosen and how long it took.
    Gradient gradient() const;
    Neighbors neighbors() const;
    int k() const;                  ///< neighbours per point
    int input_dims() const;         ///< dimensions after the preprocessing PCA
    double learning_rate() const;   ///< the step size in use
    const Timings& timings() const;
    double optimisation_seconds() const; ///< time spent in run() so far

    /// The symmetric joint probabilities P (sum 1) in compressed rows, for tests.
    /// Rows and columns are positions in p_order(): row r is point p_order()[r] (an order that
    /// keeps neighbours together in memory, for the attraction).
    const std::vector<std::int64_t>& p_row_start() const;
    const std::vector<std::int32_t>& p_columns() const;
    const std::vector<double>& p_values() const;
    const std::vector<std::int32_t>& p_order() const;

private:
    friend Status initialize(const float*, std::int64_t, std::int64_t, const Options&, const std::function<bool()>&);
    explicit Status(std::unique_ptr<internal::State> state);
    std::unique_ptr<internal::State> state_;
};

/// Thrown by initialize() when its `canceled` callback answered true: core's one cancel
/// exception (common/cancel.h), named here too so that existing catch sites keep compiling.
using Canceled = latentscape::Canceled;

/// Prepares a t-SNE run of the n x d row-major matrix X: preprocessing PCA, neighbours,
/// affinities, starting embedding. Throws std::invalid_argument (message names the value) when
/// n < 4, d < 1, X holds a NaN or an infinity (row and column named), every row is the same
/// point, perplexity < 1 or >= (n - 1) / 3, or another option is out of its documented range
/// (e.g. the FFT gradient in 3-D).
/// `canceled`, when given, is polled between the phases and inside the neighbour search (from
/// any thread, every few milliseconds); once it answers true, initialize() throws Canceled.
Status initialize(const float* X, std::int64_t n, std::int64_t d, const Options& options = {},
                  const std::function<bool()>& canceled = {});

/// A finished run, for callers that do not watch it.
struct Result {
    std::int64_t n = 0;
    int dims = 0;
    FloatVector embedding;        ///< n x dims row-major
    double kl_divergence = 0.0;   ///< cost(Y, exact) if n <= exact_cost_limit, else the approximate one
    bool kl_exact = false;
    int iterations = 0;
    Timings timings;
    double optimisation_seconds = 0.0;
    std::string gradient;         ///< "exact", "barnes-hut" or "fft"
    std::string neighbors;        ///< "exact" or "approximate"
    int k = 0;
    int input_dims = 0;
    double learning_rate = 0.0;
};

/// Points up to which run_to_end() reports the exact KL divergence.
inline constexpr std::int64_t exact_cost_limit = 100000;

/// initialize() and run() to the end in one call.
Result run_to_end(const float* X, std::int64_t n, std::int64_t d, const Options& options = {});

/// Names for messages, the CLI and JSON: "auto", "exact", "barnes-hut", "fft"; "auto", "exact",
/// "approximate"; "pca", "random".
const char* to_string(Gradient gradient);
const char* to_string(Neighbors neighbors);
const char* to_string(Init init);

}  // namespace latentscape::reduce::tsne
