#pragma once
/// @file Silhouette coefficients (Rousseeuw 1987) of a labelling, Euclidean distance.

#include "metrics/estimate.h"

#include <cstdint>
#include <vector>

namespace latentscape::metrics {

/// Mean silhouette and the per-point values behind it.
struct SilhouetteResult {
    double mean = 0.0;            ///< mean of the evaluated points' values (sklearn silhouette_score)
    /// n values, one per point (sklearn silhouette_samples); NaN for noise points (label < 0) and,
    /// when sampled, for points outside the sample.
    std::vector<double> values;
    int clusters = 0;             ///< distinct non-negative labels
    bool sampled = false;         ///< true when only `sample_size` points were evaluated
    std::int64_t sample_size = 0; ///< points evaluated (all non-noise points when exact)
    double elapsed_seconds = 0.0;
};

/// Silhouette of each point of X (n x d, row-major) under `labels` (n int32 codes):
/// s(i) = (b - a) / max(a, b), a = mean distance to the other members of i's cluster, b = the
/// smallest mean distance to another cluster; 0 for points in singleton clusters and when
/// a = b = 0, as scikit-learn. Equal to sklearn silhouette_samples / silhouette_score.
/// Noise (label < 0, e.g. DBSCAN's -1) is EXCLUDED: noise points get no value and do not count
/// in other points' a and b, i.e. the result equals scikit-learn's on the non-noise points
/// alone. Needs 2 <= clusters <= (non-noise points) - 1. Above options.max_exact non-noise
/// points, `options.sample` of them are evaluated (each against all points) and `mean` is their
/// mean, an unbiased estimate. Throws std::invalid_argument for bad input.
SilhouetteResult silhouette(const float* X, std::int64_t n, std::int64_t d, const std::int32_t* labels,
                            const EstimateOptions& options = {});

}  // namespace latentscape::metrics
