#pragma once
/// @file Principal component analysis: exact (covariance + symmetric eigensolver, or a full SVD)
/// and randomized (Halko, Martinsson & Tropp 2011). Also the preprocessing step and the
/// initialisation of t-SNE, so a fit is cheap to call and `transform` projects new rows.
///
/// Conventions shared by every method:
/// - Variances use n - 1 (as scikit-learn's PCA): explained_variance[j] is the variance of score
///   column j, and explained_variance_ratio[j] divides it by the total variance of the
///   (centred, scaled) input columns.
/// - Sign: each component is flipped so that its entry of largest magnitude is positive (the
///   first such entry on ties). Eigenvectors are only defined up to sign; this makes results
///   deterministic. scikit-learn uses a different rule (svd_flip on U), so compare up to sign.
/// - Results do not depend on the thread count: every sum has a fixed order (DESIGN.md 3).

#include "common/default_init.h"
#include "data/dataset.h"

#include <cstdint>
#include <string>
#include <optional>
#include <vector>

namespace latentscape::reduce {

/// Options of pca(). Validated by pca(); see its documentation for the errors.
struct PcaOptions {
    /// Components to keep: 2 or 3 for a view, more (e.g. 50) as preprocessing. 1..min(n, d).
    int components = 2;
    /// Subtract the column means first. Without centring this is a truncated SVD of the raw
    /// data and "variance" means mean square about zero.
    bool center = true;
    /// Divide each column by its standard deviation (population, ddof = 0, as scikit-learn's
    /// StandardScaler) so that units do not matter. A column with zero variance is left unscaled
    /// (divided by 1: it is constant, so after centring it is all zeros and contributes nothing),
    /// again as StandardScaler does: image data has constant border pixels.
    bool scale = false;
    /// Divide each score column by its standard deviation so that every component has unit
    /// variance (components with zero variance keep zero scores).
    bool whiten = false;
    /// Auto: Exact when d <= 2000 (a d x d covariance is then cheaper than repeated passes over
    /// the data); otherwise Randomized when components + oversamples <= min(n, d) / 4, else Exact.
    /// Exact: covariance + eigensolver when d <= 2000, else a full SVD of the data (needs
    /// n * d doubles of memory). Randomized: subspace iteration; approximate, much cheaper for
    /// large d and few components.
    enum class Method { Auto, Exact, Randomized };
    Method method = Method::Auto;
    /// Randomized: extra dimensions of the sketch beyond `components` (10 is the usual choice;
    /// more gives better accuracy at linear cost). >= 0.
    int oversamples = 10;
    /// Randomized: passes of subspace (power) iteration, each two passes over the data. More
    /// iterations matter when the spectrum decays slowly. >= 0.
    int power_iterations = 4;
    /// Seed of the randomized method's Gaussian test matrix (unused by the exact methods).
    std::uint64_t seed = 42;
};

/// What pca() found. Matrices are row-major float32, like data::Dataset::features.
struct PcaResult {
    std::int64_t n = 0;                     ///< rows fitted
    std::int64_t d = 0;                     ///< input columns
    int k = 0;                              ///< components kept
    FloatVector scores;                     ///< n x k projections of the fitted rows (whitened if asked)
    std::vector<float> components;          ///< k x d unit vectors, strongest first
    std::vector<double> explained_variance; ///< k variances of the (unwhitened) scores, ddof = 1
    std::vector<double> explained_variance_ratio; ///< k fractions of the total variance
    double total_variance = 0;              ///< sum of the input columns' variances after centring/scaling
    std::vector<double> mean;               ///< d column means subtracted (zeros without centring)
    std::vector<double> scale;              ///< d divisors applied (ones without scaling)
    bool whitened = false;                  ///< scores were divided by sqrt(explained_variance)
    std::string method_used;                ///< "exact-covariance", "exact-svd" or "randomized"
    int power_iterations = 0;               ///< subspace iterations run (randomized only)
    double elapsed_seconds = 0;

    /// Score of row i on component j.
    float score(std::int64_t i, int j) const { return scores[std::size_t(i * k + j)]; }
};

/// Fits PCA to the n x d row-major matrix X and returns the scores of its rows.
/// Throws std::invalid_argument when n < 2, d < 1, components is outside [1, min(n, d)],
/// oversamples or power_iterations is negative, or X holds a NaN or an infinity (the message
/// names its row and column).
PcaResult pca(const float* X, std::int64_t n, std::int64_t d, const PcaOptions& options = {});

/// PCA of a dataset's features.
PcaResult pca(const data::Dataset& dataset, const PcaOptions& options = {});

/// Projects the n x d rows of X with a fitted result: (x - mean) / scale onto the components,
/// whitened when the fit was. Returns n x k row-major scores. For the fitted rows this gives
/// `fit.scores` up to rounding. Throws std::invalid_argument when d differs from the fit's.
FloatVector transform(const PcaResult& fit, const float* X, std::int64_t n, std::int64_t d);

/// Per-row squared reconstruction error ||z_i - V V^T z_i||^2 of the n x d rows of X under a
/// fitted PCA, with z_i = (x_i - mean) / scale the row in the units the fit worked in: centred
/// when fit.mean is non-zero (PcaOptions::center), in standard deviations per column when the fit
/// scaled (PcaOptions::scale), in the data's own units otherwise. Whitening does not enter: V
/// holds the first `components` unit components. Equivalently the squared distance from the row
/// to the fitted subspace (through the mean when centred): what the view cannot show of it.
/// `components` in [1, fit.k] keeps that many components; 0 (default) keeps all fit.k. For the
/// fitted rows and the exact methods, sum_i error_i / (n - 1) = fit.total_variance minus the
/// explained variances kept. Computed in double, per row (independent of threads and of the
/// other rows). Throws std::invalid_argument when d differs from the fit's, `components` is out of
/// range, or X is null or holds a NaN or an infinity (row and column named).
std::vector<double> pca_reconstruction_error(const PcaResult& fit, const float* X, std::int64_t n, std::int64_t d,
                                             int components = 0);

/// The preprocessing PCA of the neighbour-embedding methods (t-SNE, UMAP, and the placement of
/// new rows on their maps): `pca_dims` components, unset meaning 50 when d > 50 and none
/// otherwise; none either when pca_dims is 0 or not below d. At most n components; `seed` is the
/// randomized solver's. Returns the fit (its scores are the reduced rows), or nothing when the
/// rule applies no PCA. One rule in one place: a map and the rows placed on it are reduced alike.
std::optional<PcaResult> preprocessing_pca(const float* X, std::int64_t n, std::int64_t d, std::optional<int> pca_dims,
                                           std::uint64_t seed);

/// Name of a method ("auto", "exact", "randomized"), for messages and JSON.
const char* to_string(PcaOptions::Method method);

}  // namespace latentscape::reduce
