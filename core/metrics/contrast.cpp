#include "metrics/contrast.h"

#include "common/parallel.h"
#include "neighbors/brute.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace latentscape::metrics {

std::vector<FeatureContrast> contrast(const float* X, std::int64_t n, std::int64_t d, const select::Selection& selected,
                                      int top) {
    if (selected.size() != n)
        throw std::invalid_argument("contrast: the selection covers " + std::to_string(selected.size()) + " rows, the data " +
                                    std::to_string(n));
    const std::int64_t n1 = selected.count(), n2 = n - n1;
    if (n1 == 0) throw std::invalid_argument("contrast: nothing is selected");
    if (n2 == 0) throw std::invalid_argument("contrast: every row is selected; there is no rest to compare with");
    // Per block of rows: sum and sum of squares of (x - shift) for both groups, shift = row 0.
    constexpr std::int64_t block = 2048;
    const std::int64_t blocks = (n + block - 1) / block;
    std::vector<double> part(static_cast<std::size_t>(blocks * 4 * d), 0.0);
    parallel::for_each(blocks, [&](std::int64_t b) {
        double* s = part.data() + b * 4 * d;
        const std::int64_t end = std::min(n, (b + 1) * block);
        for (std::int64_t i = b * block; i < end; ++i) {
            double* g = s + (selected.contains(i) ? 0 : 2 * d);
            const float* row = X + i * d;
            for (std::int64_t j = 0; j < d; ++j) {
                const double v = double(row[j]) - double(X[j]);
                g[j] += v;
                g[d + j] += v * v;
            }
        }
    });
    std::vector<FeatureContrast> out(static_cast<std::size_t>(d));
    for (std::int64_t j = 0; j < d; ++j) {
        double s1 = 0, q1 = 0, s2 = 0, q2 = 0;
        for (std::int64_t b = 0; b < blocks; ++b) {
            const double* s = part.data() + b * 4 * d;
            s1 += s[j], q1 += s[d + j], s2 += s[2 * d + j], q2 += s[3 * d + j];
        }
        const double m1 = s1 / double(n1), m2 = s2 / double(n2);
        const double ss1 = std::max(0.0, q1 - double(n1) * m1 * m1), ss2 = std::max(0.0, q2 - double(n2) * m2 * m2);
        const double dof = double(n1 + n2 - 2);
        const double sd = dof > 0 ? std::sqrt((ss1 + ss2) / dof) : 0.0;
        FeatureContrast& c = out[std::size_t(j)];
        c.feature = j;
        c.mean_selected = m1 + double(X[j]);
        c.mean_rest = m2 + double(X[j]);
        const double diff = m1 - m2;
        c.effect_size = diff == 0.0 ? 0.0 : sd > 0.0 ? diff / sd : std::copysign(std::numeric_limits<double>::infinity(), diff);
    }
    std::stable_sort(out.begin(), out.end(), [](const FeatureContrast& a, const FeatureContrast& b) {
        return std::abs(a.effect_size) > std::abs(b.effect_size);
    });
    if (top > 0 && std::int64_t(out.size()) > top) out.resize(static_cast<std::size_t>(top));
    return out;
}

std::vector<std::int64_t> category_counts(const std::vector<std::int32_t>& codes, int categories,
                                          const select::Selection& selected) {
    if (std::int64_t(codes.size()) != selected.size())
        throw std::invalid_argument("category counts: " + std::to_string(codes.size()) + " codes for a selection of " +
                                    std::to_string(selected.size()) + " rows");
    std::vector<std::int64_t> counts(static_cast<std::size_t>(std::max(categories, 0)) + 1, 0);
    for (std::int64_t i : selected.ids()) {
        const std::int32_t c = codes[std::size_t(i)];
        counts[c >= 0 && c < categories ? std::size_t(c) : counts.size() - 1]++;
    }
    return counts;
}

std::vector<std::int64_t> nearest_rows(const float* X, std::int64_t n, std::int64_t d, std::int64_t row, int k) {
    if (row < 0 || row >= n) throw std::invalid_argument("nearest rows: row " + std::to_string(row) + " is outside the data");
    k = int(std::min<std::int64_t>(k, n - 1));
    if (k <= 0) return {};
    std::vector<double> dist(static_cast<std::size_t>(n));
    parallel::for_each(n, [&](std::int64_t j) { dist[std::size_t(j)] = neighbors::squared_distance(X + row * d, X + j * d, d); });
    std::vector<std::int64_t> out(static_cast<std::size_t>(k)), scratch;
    neighbors::rows::select_nearest(dist.data(), n, row, k, out.data(), scratch);
    return out;
}

}  // namespace latentscape::metrics
