#include "common/input_checks.h"

#include "common/parallel.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace latentscape {

std::string embedding_input_problem(const float* X, std::int64_t n, std::int64_t d) {
    const auto at = [d](std::int64_t e) { return "row " + std::to_string(e / d + 1) + ", column " + std::to_string(e % d + 1); };
    const std::int64_t bad = parallel::first_index_where(n * d, [&](std::int64_t e) { return !std::isfinite(X[e]); });
    if (bad < n * d) return at(bad) + " is " + (std::isnan(X[bad]) ? "NaN" : "infinite") + ": remove or impute missing values first";
    // Squared distances must fit in float32 (d * (2 max|x|)^2 < 3e38).
    const double limit_value = std::sqrt(3e38 / double(d)) / 4.0;
    const std::int64_t huge = parallel::first_index_where(n * d, [&](std::int64_t e) { return std::abs(double(X[e])) > limit_value; });
    if (huge < n * d) {
        std::ostringstream value;
        value << X[huge];
        return at(huge) + " is " + value.str() + ": values this large overflow float32 distances; rescale the data";
    }
    const std::int64_t differs = parallel::first_index_where(n, [&](std::int64_t i) { return !std::equal(X + i * d, X + (i + 1) * d, X); });
    if (differs == n) return "every row is the same point: there is no structure to embed";
    return {};
}

std::string embedding_state_problem(const std::vector<double>& Y, std::int64_t n, int dims) {
    if (std::int64_t(Y.size()) != n * dims)
        return "the embedding has " + std::to_string(Y.size()) + " values, expected " + std::to_string(n * dims);
    const std::int64_t bad =
        parallel::first_index_where(std::int64_t(Y.size()), [&](std::int64_t e) { return !std::isfinite(Y[std::size_t(e)]); });
    if (bad < std::int64_t(Y.size())) return "the embedding is not finite at point " + std::to_string(bad / dims + 1);
    return {};
}

}  // namespace latentscape
