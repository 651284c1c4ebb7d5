#include "metrics/estimate.h"

#include "common/parallel.h"
#include "common/rng.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace latentscape::metrics::detail {

void check_matrix(const char* name, const float* values, std::int64_t rows, std::int64_t cols) {
    if (rows < 1 || cols < 1)
        throw std::invalid_argument(std::string(name) + " must have at least one row and one column (got " +
                                    std::to_string(rows) + " x " + std::to_string(cols) + ")");
    if (!values) throw std::invalid_argument(std::string(name) + " is null");
    const std::int64_t bad = parallel::first_index_where(rows, [&](std::int64_t i) {
        const float* row = values + i * cols;
        for (std::int64_t j = 0; j < cols; ++j)
            if (!std::isfinite(row[j])) return true;
        return false;
    });
    if (bad < rows) {
        const float* row = values + bad * cols;
        std::int64_t col = 0;
        while (std::isfinite(row[col])) ++col;
        throw std::invalid_argument(std::string(name) + " has a non-finite value at row " + std::to_string(bad) +
                                    ", column " + std::to_string(col));
    }
}

void check_estimate_options(const EstimateOptions& options) {
    if (options.max_exact < 1)
        throw std::invalid_argument("max_exact (" + std::to_string(options.max_exact) + ") must be >= 1");
    if (options.sample < 1)
        throw std::invalid_argument("sample (" + std::to_string(options.sample) + ") must be >= 1");
    if (options.max_work < 0)
        throw std::invalid_argument("max_work (" + std::to_string(options.max_work) + ") must be >= 0");
    if (options.min_sample < 1)
        throw std::invalid_argument("min_sample (" + std::to_string(options.min_sample) + ") must be >= 1");
}

std::vector<std::int64_t> choose_queries(const std::vector<std::int64_t>& eligible,
                                         const EstimateOptions& options, bool& sampled) {
    const auto count = std::int64_t(eligible.size());
    std::int64_t sample = options.sample;
    if (options.max_work > 0 && count > 0)
        sample = std::min(sample, std::max(options.min_sample, options.max_work / count));
    if (count <= options.max_exact || sample >= count) {
        sampled = false;
        return eligible;
    }
    // Partial Fisher-Yates: the first `sample` slots become a uniform sample without replacement.
    std::vector<std::int64_t> pool = eligible;
    Rng rng(options.seed);
    for (std::int64_t i = 0; i < sample; ++i) {
        const auto j = i + std::int64_t(rng.below(std::uint64_t(count - i)));
        std::swap(pool[std::size_t(i)], pool[std::size_t(j)]);
    }
    pool.resize(std::size_t(sample));
    std::sort(pool.begin(), pool.end());  // ascending: memory order, and easy to read back
    sampled = true;
    return pool;
}

std::vector<std::int64_t> all_points(std::int64_t n) {
    std::vector<std::int64_t> ids(static_cast<std::size_t>(n));
    std::iota(ids.begin(), ids.end(), std::int64_t(0));
    return ids;
}

LabelledRows labelled_rows(const char* name, const float* X, std::int64_t n, std::int64_t d,
                           const std::int32_t* labels, const EstimateOptions& options) {
    check_matrix(name, X, n, d);
    check_estimate_options(options);
    if (!labels) throw std::invalid_argument("labels is null");
    LabelledRows out;
    for (std::int64_t i = 0; i < n; ++i)
        if (labels[i] >= 0) out.ids.push_back(i);
    out.features.resize(out.ids.size() * std::size_t(d));
    for (std::size_t r = 0; r < out.ids.size(); ++r)
        std::copy(X + out.ids[r] * d, X + (out.ids[r] + 1) * d, out.features.begin() + std::int64_t(r) * d);
    return out;
}

double now_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace latentscape::metrics::detail
