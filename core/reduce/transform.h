#pragma once
/// @file Placing new rows on an existing t-SNE or UMAP map (issue 14), and the saved map models
/// (t-SNE, UMAP, PCA) that 'latentscape-cli transform' reads:
///
///     auto ref = placement::make_reference(X, n, d, fit_options.pca_dims, fit_options.seed, Y, 2);
///     std::vector<double> P = placement::place_umap(ref, Xnew, m, d, placement::umap_options(fit_options, a, b));
///
/// Each new row is placed on its own: its exact nearest reference rows (in the space the map was
/// fitted in, i.e. after the fit's preprocessing PCA), its affinities or memberships to them, a
/// start at their weighted mean position, then an optimisation that moves that row alone against
/// the FIXED reference embedding (no interaction between new rows). So a row's position depends on
/// the row, the reference and the options only: transformed alone or among others, with any
/// thread count, it lands on the same bits.
///
/// - t-SNE (openTSNE's transform): k = floor(3 x perplexity) neighbours, conditional affinities
///   p_j|i by the fit's bandwidth bisection, then gradient descent on KL(p_.|i || q_.|i) with
///   q_j|i = w_ij / sum_l w_il over every reference point l (exact sums), momentum 0.8, adaptive
///   gains, the gradient clipped to norm 0.25 and the attraction exaggerated 1.5x (openTSNE's
///   transform defaults).
/// - UMAP (umap-learn's transform): n_neighbors neighbours, memberships by the fit's smooth-kNN
///   sigma and rho (local_connectivity - 1, as umap-learn: the new row is not its own neighbour),
///   start at the membership-weighted mean, then SGD epochs on that row alone: edges sampled in
///   proportion to their membership (relative to the row's strongest, where umap-learn uses the
///   batch's strongest, which ties rows together), negative samples drawn among the reference
///   points from a stream keyed by (seed, the row's values), step learning_rate / 4 decaying to 0.

#include "common/default_init.h"
#include "neighbors/knn.h"
#include "reduce/pca.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace latentscape::reduce::umap {
struct Options;
}
namespace latentscape::reduce::tsne {
struct Options;
}

namespace latentscape::reduce::placement {

/// The map new rows are placed on: the fit's preprocessing, its (preprocessed) input rows and its
/// embedding.
struct Reference {
    std::int64_t n = 0;              ///< reference rows
    std::int64_t input_dims = 0;     ///< columns of the raw data (what new rows must have)
    int pca_dims = 0;                ///< components of the preprocessing PCA; 0: none
    std::vector<double> pca_mean;    ///< input_dims column means (empty without PCA)
    std::vector<float> pca_components; ///< pca_dims x input_dims, row-major (empty without PCA)
    std::int64_t feature_dims = 0;   ///< pca_dims, or input_dims without PCA
    FloatVector features;            ///< n x feature_dims: the rows the fit's neighbours were found in
    int dims = 2;                    ///< embedding dimensions (2 or 3)
    std::vector<double> embedding;   ///< n x dims row-major
};

/// Builds the reference of a fit of the n x d rows X with `pca_dims` and `seed` as given to
/// tsne::initialize / umap::initialize (the same rule: unset is 50 when d > 50; the same PCA, so
/// the same preprocessed rows bit for bit), and its embedding (n x dims). Throws
/// std::invalid_argument on NaN, dims not 2 or 3, a non-finite embedding or sizes that disagree.
Reference make_reference(const float* X, std::int64_t n, std::int64_t d, std::optional<int> pca_dims,
                         std::uint64_t seed, const double* embedding, int dims);

/// Checks the m x d new rows against the reference (column count: "the model has 784 columns; the
/// new rows have 783"; NaN or infinity: row and column named) and projects them with the
/// reference's PCA (per row, in double, fixed order). Returns m x feature_dims.
FloatVector preprocess(const Reference& ref, const float* X, std::int64_t m, std::int64_t d);

/// Exact k nearest reference rows of each of the m preprocessed rows Z (m x feature_dims): squared
/// distances in double, ordered by (distance, index), each row on its own. Throws
/// std::invalid_argument when k is outside [1, n - 1].
neighbors::KnnGraph reference_neighbors(const Reference& ref, const float* Z, std::int64_t m, int k);

/// Options of place_tsne(). Defaults: openTSNE's transform, except the perplexity (the fit's).
struct TsneOptions {
    /// Affinity perplexity; k = floor(3 x perplexity) neighbours, < n. >= 1.
    double perplexity = 30.0;
    /// Gradient-descent iterations. >= 0 (0: the weighted-mean start only).
    int iterations = 250;
    /// Step size (the per-point gradient is O(1): openTSNE's 0.1). > 0.
    double learning_rate = 0.1;
    /// Attraction multiplier (openTSNE's transform keeps points near their neighbours with 1.5). >= 1.
    double exaggeration = 1.5;
    /// Momentum. In [0, 1).
    double momentum = 0.8;
    /// The gradient's norm is clipped to this (openTSNE's max_grad_norm). > 0.
    double max_grad_norm = 0.25;
    /// Lower bound of the adaptive gains. > 0.
    double min_gain = 0.01;
};

/// The placement options that match a t-SNE fit (its perplexity).
TsneOptions tsne_options(const tsne::Options& fit);

/// Places the m x d new rows X on a t-SNE reference: m x dims positions, row-major.
/// Throws std::invalid_argument as preprocess() and for options out of range or k >= n.
std::vector<double> place_tsne(const Reference& ref, const float* X, std::int64_t m, std::int64_t d,
                               const TsneOptions& options = {});

/// Options of place_umap(). Those of the fit must be passed on (umap_options() does it).
struct UmapOptions {
    int n_neighbors = 15;            ///< neighbours of a new row in the reference. In [2, n - 1].
    double local_connectivity = 1.0; ///< the fit's; the placement uses max(0, this - 1)
    double a = 1.577;                ///< the fit's curve parameters (umap::Status::a(), b())
    double b = 0.895;
    int negative_sample_rate = 5;    ///< the fit's. In [0, 100].
    double repulsion_strength = 1.0; ///< the fit's. > 0.
    double learning_rate = 1.0;      ///< the fit's; the placement starts at a quarter of it. > 0.
    int n_epochs = 100;              ///< SGD epochs per row (umap-learn: 100 for batches up to 10,000). >= 0.
    std::uint64_t seed = 42;         ///< keyed with each row's values for its negative samples
};

/// The placement options that match a UMAP fit with curve parameters a, b.
UmapOptions umap_options(const umap::Options& fit, double a, double b);

/// Places the m x d new rows X on a UMAP reference: m x dims positions, row-major.
/// Throws std::invalid_argument as preprocess() and for options out of range.
std::vector<double> place_umap(const Reference& ref, const float* X, std::int64_t m, std::int64_t d,
                               const UmapOptions& options = {});

/// A saved map: the reference and the placement options of its method (t-SNE, UMAP), or a PCA
/// fit, whose new rows are projected (reduce::transform: (x - mean) / scale onto the components,
/// whitened when the fit was).
struct Model {
    enum class Method { Tsne, Umap, Pca };
    Method method = Method::Umap;
    Reference reference; ///< t-SNE, UMAP
    TsneOptions tsne;    ///< t-SNE
    UmapOptions umap;    ///< UMAP
    /// PCA: the fit's d, k, mean, scale, components, explained_variance and whitened (no scores).
    PcaResult pca;
};

/// A PCA model of `fit` (its scores are not kept: new rows need the projection only).
Model pca_model(const PcaResult& fit);

/// The columns new rows must have: the reference's input_dims, or the PCA fit's d.
std::int64_t input_dims(const Model& model);

/// The format's version, written in its first line.
inline constexpr int model_format_version = 1;

/// Writes the model atomically (format in transform_io.cpp). Throws std::runtime_error on I/O errors.
void save_model(const Model& model, const std::string& path);
/// Reads a model written by save_model(). Throws LoadError naming the file on any inconsistency.
Model load_model(const std::string& path);
/// True when the file starts with the model's magic line (so callers can tell it from an .lsae).
bool is_model_file(const std::string& path);

}  // namespace latentscape::reduce::placement
