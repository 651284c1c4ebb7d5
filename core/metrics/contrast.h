#pragma once
/// @file What sets a selection apart: the features whose values differ most between the selected
/// rows and the rest (standardised mean difference), and the label composition of a selection.

#include "select/selection.h"

#include <cstdint>
#include <vector>

namespace latentscape::metrics {

/// One feature's difference between the selected rows and the others.
struct FeatureContrast {
    std::int64_t feature = 0;
    double mean_selected = 0.0;
    double mean_rest = 0.0;
    /// Cohen's d: (mean_selected - mean_rest) / pooled standard deviation (ddof 1 per group).
    /// 0 when both means are equal; +-infinity when the pooled deviation is 0 but the means differ.
    double effect_size = 0.0;
};

/// Every feature of X (n x d, row-major) ranked by |effect size|, largest first (ties by feature
/// index), at most `top` of them (all when top <= 0). Sums are taken in fixed blocks of rows, in
/// double, around each feature's first value: the result does not depend on the thread count.
/// Throws std::invalid_argument if the selection is empty or holds every row, or its size is not n.
std::vector<FeatureContrast> contrast(const float* X, std::int64_t n, std::int64_t d, const select::Selection& selected,
                                      int top = 0);

/// How many selected rows carry each category code (codes: n entries, -1 = missing; categories:
/// the number of codes). Returns categories + 1 counts: the last one counts missing values.
std::vector<std::int64_t> category_counts(const std::vector<std::int32_t>& codes, int categories,
                                          const select::Selection& selected);

/// The k rows nearest to row `row` of X (n x d) in Euclidean distance, self excluded, nearest first
/// (ties by index); k is capped at n - 1.
std::vector<std::int64_t> nearest_rows(const float* X, std::int64_t n, std::int64_t d, std::int64_t row, int k);

}  // namespace latentscape::metrics
