#pragma once
/// @file Column preprocessing shared by every method: standardise, min-max, log1p or none.
/// Fitted on a dataset's features (per column, in double precision), then applied to them or to
/// new rows with the same parameters.

#include "data/dataset.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace latentscape::data {

enum class Preprocess {
    None,         ///< the features as they are
    Standardize,  ///< (x - mean) / std, population std (ddof 0) as scikit-learn's StandardScaler
    MinMax,       ///< (x - min) / (max - min) into [0, 1], as scikit-learn's MinMaxScaler
    Log1p,        ///< log(1 + x), for counts and other skewed non-negative values; x must be > -1
};

/// "none", "standardize", "minmax", "log1p" (also "standardise", "min-max"); unset otherwise.
std::optional<Preprocess> parse_preprocess(std::string_view name);
const char* preprocess_name(Preprocess kind);

/// y = (f(x) - offset) / divisor per column, f = log1p for Log1p, else identity. A column
/// without spread (std or range 0) keeps divisor 1, as scikit-learn does.
struct PreprocessFit {
    Preprocess kind = Preprocess::None;
    std::vector<double> offset;   ///< d values
    std::vector<double> divisor;  ///< d values
};

/// Fits `kind` on the n x d row-major `X`. Throws std::invalid_argument for log1p of a value
/// <= -1, naming the column (`names`, when given) and the row.
PreprocessFit fit_preprocess(const float* X, std::int64_t n, std::int64_t d, Preprocess kind,
                             const std::vector<std::string>* names = nullptr);
/// Applies a fit to n rows of `fit.offset.size()` columns, in place. Throws std::invalid_argument
/// for log1p of a value <= -1.
void apply_preprocess(const PreprocessFit& fit, float* X, std::int64_t n);
/// A copy of `ds` with its features preprocessed (metadata, names and images unchanged).
Dataset preprocessed(const Dataset& ds, Preprocess kind);

}  // namespace latentscape::data
