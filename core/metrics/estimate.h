#pragma once
/// @file What the point-averaged metrics share: when to sample, and how a result says it sampled.
/// Validation and sampling helpers used by the metric implementations live in `detail`.

#include <cstdint>
#include <string>
#include <vector>

namespace latentscape::metrics {

/// When a metric averaged over points is computed exactly and how it is estimated beyond that.
/// Exact: every point is a query, compared with all n points (O(n^2 d) time, O(n) memory per
/// thread). Sampled (n > max_exact): `sample` query points drawn without replacement (seeded),
/// each still compared with ALL n points, so the result is an unbiased estimate of the exact
/// value, with a standard error of about sd(per-point value) / sqrt(sample).
struct EstimateOptions {
    /// Largest number of (eligible) points computed exactly; above it the metric is sampled.
    /// 20,000 keeps the exact path to seconds for low-dimensional inputs.
    std::int64_t max_exact = 20000;
    /// Query points drawn when sampling; 5,000 gives a standard error around 0.002 for
    /// trustworthiness-like metrics (measured: within 0.01 of exact at 1,000 of 3,000). Must be >= 1.
    std::int64_t sample = 5000;
    /// Query x point comparisons at most when sampling: above max_work / sample points (1,000,000
    /// by default) the sample shrinks to max_work / n queries, never below min_sample, so that
    /// 10,000,000 points take 500 queries (seconds) instead of 5,000 (minutes). Each query still
    /// compares with all n points: the estimate stays unbiased, its standard error grows as
    /// 1 / sqrt(queries) (about 0.005 for trustworthiness at 500). 0: no limit.
    std::int64_t max_work = 5'000'000'000;
    /// The fewest queries max_work may leave. >= 1.
    std::int64_t min_sample = 500;
    /// Seed of the sample draw: the same seed gives the same sample and the same estimate.
    std::uint64_t seed = 42;
};

/// A metric value and how it was obtained.
struct Estimate {
    double value = 0.0;           ///< the metric (exact, or the sample mean when sampled)
    bool sampled = false;         ///< true when only `sample_size` query points were evaluated
    std::int64_t sample_size = 0; ///< query points evaluated (all eligible points when exact)
    double elapsed_seconds = 0.0; ///< wall time of the computation
};

namespace detail {

/// Throws std::invalid_argument unless `values` (rows x cols) is non-null and all finite; the
/// message names the matrix, the row and the column.
void check_matrix(const char* name, const float* values, std::int64_t rows, std::int64_t cols);

/// Throws std::invalid_argument for bad EstimateOptions (max_exact < 1, sample < 1, max_work < 0
/// or min_sample < 1).
void check_estimate_options(const EstimateOptions& options);

/// The query points for `eligible` (ascending point ids): all of them when their count is at
/// most options.max_exact, else options.sample of them (fewer above the max_work limit) drawn
/// without replacement with options.seed, returned in ascending order. Sets `sampled`
/// accordingly. Each query is assumed to be compared with all the eligible points.
std::vector<std::int64_t> choose_queries(const std::vector<std::int64_t>& eligible,
                                         const EstimateOptions& options, bool& sampled);

/// 0, 1, ..., n - 1.
std::vector<std::int64_t> all_points(std::int64_t n);

/// The rows of X (n x d) whose label is >= 0, copied into a compact matrix, with their ids, after
/// validating X (named `name`), the labels pointer and the options (std::invalid_argument).
struct LabelledRows {
    std::vector<std::int64_t> ids;  ///< original row ids, ascending
    std::vector<float> features;    ///< ids.size() x d
};
LabelledRows labelled_rows(const char* name, const float* X, std::int64_t n, std::int64_t d,
                           const std::int32_t* labels, const EstimateOptions& options);

/// Seconds since an arbitrary fixed point (steady clock).
double now_seconds();

}  // namespace detail
}  // namespace latentscape::metrics
