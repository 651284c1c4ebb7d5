#pragma once
/// @file Agreement between two labellings of the same n points (e.g. clusters vs classes).
/// Labels are arbitrary int32 values and every value, -1 included, is a label of its own, as in
/// scikit-learn; drop noise points first to leave them out. Both are exact (no sampling; O(n log n)).

#include <cstdint>

namespace latentscape::metrics {

/// Adjusted Rand index (Hubert & Arabie 1985), equal to sklearn.metrics.adjusted_rand_score:
/// 1 for identical partitions (any renaming), about 0 for independent ones, can be negative.
/// Degenerate cases as scikit-learn: n = 0, or both labellings one cluster, or both all
/// singletons, give 1.0. Throws std::invalid_argument for null labels with n > 0 or n < 0.
double adjusted_rand_index(const std::int32_t* a, const std::int32_t* b, std::int64_t n);

/// Normalised mutual information with arithmetic normalisation, MI / ((H(a) + H(b)) / 2), equal to
/// sklearn.metrics.normalized_mutual_info_score(a, b) (its default). Degenerate cases as
/// scikit-learn: both labellings a single cluster (or n = 0) gives 1.0; otherwise MI = 0 gives 0.0.
double normalized_mutual_info(const std::int32_t* a, const std::int32_t* b, std::int64_t n);

}  // namespace latentscape::metrics
