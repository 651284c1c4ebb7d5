#pragma once
/// @file Uniform Manifold Approximation and Projection (McInnes, Healy & Melville 2018), as a
/// resumable state object (DESIGN.md section 3), following umap-learn 0.5:
///
///     auto status = umap::initialize(X, n, d, options);   // PCA, neighbours, fuzzy graph, init
///     std::vector<double> Y = status.initial_embedding();
///     while (!status.finished()) status.run(Y, status.iteration() + 10);   // a live view
///
/// The high-dimensional fuzzy simplicial set: the n_neighbors - 1 nearest neighbours of each
/// point (umap-learn counts the point itself as its first neighbour), a per-point offset rho
/// (distance to the nearest neighbour, local_connectivity) and scale sigma found by bisection so
/// that sum_j exp(-(d_ij - rho_i) / sigma_i) = log2(n_neighbors); the directed memberships are
/// combined by fuzzy union (set_op_mix_ratio). The low-dimensional similarity is
/// 1 / (1 + a d^(2b)), a and b fitted to min_dist and spread by least squares (umap-learn's
/// find_ab_params). The layout starts from the normalised graph Laplacian's eigenvectors
/// (Lanczos), or PCA, or uniform noise, scaled to [0, 10], and is optimised by stochastic
/// gradient descent over epochs: every edge is sampled in proportion to its membership (an edge
/// of weight w every max_w / w epochs), pulling its ends together, with negative_sample_rate
/// random points pushed away per sample; step 1 decaying linearly to 0, each gradient component
/// clipped to [-4, 4].
///
/// Determinism (where umap-learn's parallel SGD races): an epoch moves every point by its own
/// edges in a fixed order (its row of the graph, columns ascending), reading the other points'
/// positions as the previous epoch left them, and draws its negative samples from a random stream
/// keyed by (seed, epoch, point). So no two threads ever write the same point, nothing depends on
/// scheduling, and the same seed gives the same embedding bit for bit whatever the thread count
/// and however run() is chunked. A sampled edge moves its head point only (the graph is
/// symmetric: the reverse edge moves the other end), and the edge and its negative samples are
/// evaluated from the same position, their clipped steps added in order, so they are computed
/// side by side (AVX-512). On Fashion-MNIST 70,000 this keeps trustworthiness (k = 10) and 10-NN
/// accuracy at or above umap-learn's (latentscape-bench umap).

#include "common/cancel.h"
#include "common/default_init.h"
#include "neighbors/knn.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace latentscape::reduce::umap {

/// The starting layout.
enum class Init {
    Spectral, ///< eigenvectors 2..dims+1 of the normalised Laplacian I - D^-1/2 W D^-1/2 (falls back to
              ///< Pca when the graph has several connected components, or when the eigensolver fails)
    Pca,      ///< the first `dims` principal components of the (preprocessed) input
    Random,   ///< uniform in [-10, 10], from the seed
};

/// Options of initialize(). Validated there; every error names the offending value.
struct Options {
    /// Output dimensions: 2 or 3.
    int dims = 2;
    /// Size of the local neighbourhood, the point itself counted (as umap-learn): larger keeps
    /// more global structure, smaller more local detail. In [2, n - 1].
    int n_neighbors = 15;
    /// Smallest distance between points in the embedding: smaller packs clusters tighter,
    /// larger spreads them. In [0, spread].
    double min_dist = 0.1;
    /// Scale of the embedded points (with min_dist it sets a and b). > 0.
    double spread = 1.0;
    /// Optimisation epochs. Unset: 500 for n <= 10,000, else 200 (umap-learn's rule). >= 1.
    std::optional<int> n_epochs;
    /// Initial SGD step, decaying linearly to 0 over the epochs. > 0.
    double learning_rate = 1.0;
    /// Random points pushed away per positive sample. More separates clusters more, costs
    /// proportionally. In [0, 100].
    int negative_sample_rate = 5;
    /// Weight of the repulsion (gamma). > 0.
    double repulsion_strength = 1.0;
    /// Fuzzy union (1) versus fuzzy intersection (0) of the directed memberships. In [0, 1].
    double set_op_mix_ratio = 1.0;
    /// Nearest neighbours assumed fully connected (rho interpolates between the floor and the ceiling
    /// of this). Larger keeps the graph connected at the cost of local detail. In [0, n_neighbors - 1].
    double local_connectivity = 1.0;
    /// Curve parameters of the embedding similarity 1 / (1 + a d^(2b)). Unset: fitted to min_dist
    /// and spread. Set both or neither; > 0.
    std::optional<double> a;
    std::optional<double> b;
    /// Starting layout; see Init.
    Init init = Init::Spectral;
    /// Neighbour search (neighbors::Method): Auto is exact while n^2 d <= 1e12 (70,000 x 50 takes
    /// ~2.4 s on 2 cores), else hnswlib.
    neighbors::Method neighbors = neighbors::Method::Auto;
    /// Reduce the input to this many principal components first (denoises and speeds up the
    /// neighbour search). Unset: 50 when d > 50, else none. 0: none.
    std::optional<int> pca_dims;
    /// Seed of everything random: the approximate graph, the initial layout's noise, the negative
    /// samples, the preprocessing PCA's sketch.
    std::uint64_t seed = 42;
};

/// Seconds spent before the first epoch.
struct Timings {
    double pca = 0.0;       ///< preprocessing PCA (0 when skipped)
    double neighbors = 0.0; ///< k-nearest-neighbour search
    double graph = 0.0;     ///< smooth distances, memberships, fuzzy union, a and b
    double init = 0.0;      ///< initial layout (spectral eigenvectors, PCA or noise)
};

/// The fuzzy simplicial set in compressed rows: symmetric, columns ascending within a row, zero
/// entries removed (umap-learn's graph_).
struct FuzzyGraph {
    std::int64_t n = 0;
    std::vector<std::int64_t> row_start; ///< n + 1 offsets
    std::vector<std::int32_t> columns;
    std::vector<float> values;           ///< memberships in (0, 1]
};

namespace internal {
struct State;
}

/// A UMAP run in progress. Movable, not copyable. Not thread-safe: one thread drives it.
class Status {
public:
    Status(Status&&) noexcept;
    Status& operator=(Status&&) noexcept;
    ~Status();

    std::int64_t n() const;
    int dims() const;
    /// Epochs done so far.
    int iteration() const;
    /// The number of epochs (Options::n_epochs or its default).
    int max_iterations() const;
    bool finished() const { return iteration() >= max_iterations(); }

    /// The starting layout, n x dims row-major, in [0, 10] per column: the Y to pass to the first run().
    std::vector<double> initial_embedding() const;

    /// Optimises Y (n x dims, row-major) until iteration() == min(until, max_iterations()).
    /// Y must be the array the previous run() left. Throws std::invalid_argument if Y has the wrong
    /// size or holds a non-finite value.
    void run(std::vector<double>& Y, int until);

    /// The fuzzy set cross entropy between the graph W and Y's similarities v = 1 / (1 + a d^(2b)):
    /// sum over edges of w log(w / v) + (1 - w) log((1 - w) / (1 - v)), plus -log(1 - v) over the
    /// pairs that are not edges: all of them for n <= 2,000, else estimated from a fixed sample of
    /// 2^18 pairs drawn from the seed (the same pairs at every call, so the values of one run are
    /// comparable). Each unordered pair counts once. O(nnz + min(n^2, 2^18)).
    double cost(const std::vector<double>& Y) const;

    /// What was chosen and how long it took.
    neighbors::Method neighbors() const; ///< the search used (never Auto)
    Init init() const;                   ///< the layout used (Pca where Spectral fell back)
    int k() const;                       ///< neighbours searched per point (n_neighbors - 1)
    int input_dims() const;              ///< dimensions after the preprocessing PCA
    double a() const;
    double b() const;
    const Timings& timings() const;
    double optimisation_seconds() const; ///< time spent in run() so far

    /// The fuzzy simplicial set (before the epochs' pruning of edges too weak to be sampled).
    const FuzzyGraph& graph() const;
    /// The neighbours the graph was built from.
    const neighbors::KnnGraph& knn() const;

private:
    friend Status initialize(const float*, std::int64_t, std::int64_t, const Options&, const std::function<bool()>&);
    explicit Status(std::unique_ptr<internal::State> state);
    std::unique_ptr<internal::State> state_;
};

/// Prepares a UMAP run of the n x d row-major matrix X: preprocessing PCA, neighbours, fuzzy
/// graph, a and b, starting layout. Throws std::invalid_argument (the message names the value)
/// when n < 4, d < 1, X holds a NaN or an infinity (row and column named), n_neighbors is outside
/// [2, n - 1], min_dist > spread, dims is not 2 or 3, or another option is out of its documented
/// range. `canceled`, when given, is polled between the phases and inside the neighbour search
/// and the eigensolver; once it answers true, initialize() throws latentscape::Canceled.
Status initialize(const float* X, std::int64_t n, std::int64_t d, const Options& options = {},
                  const std::function<bool()>& canceled = {});

/// A finished run, for callers that do not watch it.
struct Result {
    std::int64_t n = 0;
    int dims = 0;
    FloatVector embedding; ///< n x dims row-major
    int epochs = 0;
    double cost = 0.0;     ///< Status::cost() of the final layout
    Timings timings;
    double optimisation_seconds = 0.0;
    std::string neighbors; ///< "exact" or "approximate"
    std::string init;      ///< "spectral", "pca" or "random" (what was used)
    int n_neighbors = 0;
    int input_dims = 0;
    double a = 0.0;
    double b = 0.0;
    neighbors::KnnGraph knn; ///< the input neighbours (for metrics that reuse them)
};

/// initialize() and run() to the end in one call.
Result run_to_end(const float* X, std::int64_t n, std::int64_t d, const Options& options = {},
                  const std::function<bool()>& canceled = {});

/// "spectral", "pca", "random".
const char* to_string(Init init);

}  // namespace latentscape::reduce::umap
