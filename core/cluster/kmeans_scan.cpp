// Choosing k: inertia and mean silhouette over a range of k. The silhouette here is a small
// internal implementation (the metrics module has the public one).
#include "cluster/kmeans.h"

#include "cluster/kmeans_internal.h"
#include "common/parallel.h"
#include "common/rng.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

namespace latentscape::cluster {
namespace {

/// Mean silhouette coefficient (Euclidean) of the points `rows` with labels `labels[rows[i]]`
/// in [0, k). NaN when fewer than 2 or as many labels as points occur (undefined, as in
/// scikit-learn). Per-point values do not depend on the thread count; their mean is summed in order.
double mean_silhouette(const float* X, std::int64_t d, const std::vector<std::int64_t>& rows,
                       const std::vector<std::int32_t>& labels, int k) {
    const std::int64_t m = std::int64_t(rows.size());
    std::vector<std::int64_t> size(std::size_t(k), 0);
    for (std::int64_t r : rows) ++size[std::size_t(labels[std::size_t(r)])];
    const auto present = std::count_if(size.begin(), size.end(), [](std::int64_t s) { return s > 0; });
    if (present < 2 || present >= m) return std::numeric_limits<double>::quiet_NaN();
    std::vector<double> s(std::size_t(m), 0.0);
    parallel::for_each(m, [&](std::int64_t i) {
        std::vector<double> sum(std::size_t(k), 0.0);
        const float* xi = X + rows[std::size_t(i)] * d;
        for (std::int64_t j = 0; j < m; ++j) {
            if (j == i) continue;
            const std::int64_t r = rows[std::size_t(j)];
            sum[std::size_t(labels[std::size_t(r)])] += std::sqrt(double(detail::sq_dist(xi, X + r * d, d)));
        }
        const std::int32_t own = labels[std::size_t(rows[std::size_t(i)])];
        const std::int64_t own_size = size[std::size_t(own)];
        if (own_size < 2) return;  // a singleton scores 0
        const double a = sum[std::size_t(own)] / double(own_size - 1);
        double b = std::numeric_limits<double>::infinity();
        for (int c = 0; c < k; ++c)
            if (c != own && size[std::size_t(c)] > 0) b = std::min(b, sum[std::size_t(c)] / double(size[std::size_t(c)]));
        const double den = std::max(a, b);
        s[std::size_t(i)] = den > 0.0 ? (b - a) / den : 0.0;
    }, m * m * d >= (1 << 16));  // small samples on one thread: waking the team costs more
    double total = 0.0;
    for (double v : s) total += v;
    return total / double(m);
}

/// All rows, or a sorted uniform sample of `sample` rows drawn without replacement.
std::vector<std::int64_t> silhouette_rows(std::int64_t n, std::int64_t sample, std::uint64_t seed) {
    std::vector<std::int64_t> rows(static_cast<std::size_t>(n));
    std::iota(rows.begin(), rows.end(), 0);
    if (n <= sample) return rows;
    Rng rng = Rng::stream(seed, 0x5117u);  // a stream of its own, apart from the restarts'
    for (std::int64_t i = 0; i < sample; ++i)  // partial Fisher-Yates
        std::swap(rows[std::size_t(i)], rows[std::size_t(i + std::int64_t(rng.below(std::uint64_t(n - i))))]);
    rows.resize(std::size_t(sample));
    std::sort(rows.begin(), rows.end());
    return rows;
}

}  // namespace

std::vector<KScanPoint> scan_k(const float* X, std::int64_t n, std::int64_t d, int k_min, int k_max,
                               const KMeansOptions& base, std::int64_t silhouette_sample) {
    if (k_min < 1) throw std::invalid_argument("k_min (" + std::to_string(k_min) + ") must be >= 1");
    if (k_max < k_min)
        throw std::invalid_argument("k_max (" + std::to_string(k_max) + ") must be >= k_min (" +
                                    std::to_string(k_min) + ")");
    if (k_max > n)
        throw std::invalid_argument("k_max (" + std::to_string(k_max) + ") must be <= n (" + std::to_string(n) + ")");
    if (silhouette_sample < 2)
        throw std::invalid_argument("silhouette_sample (" + std::to_string(silhouette_sample) + ") must be >= 2");
    const std::vector<std::int64_t> rows = silhouette_rows(n, silhouette_sample, base.seed);
    std::vector<KScanPoint> out;
    for (int k = k_min; k <= k_max; ++k) {
        KMeansOptions o = base;
        o.k = k;
        const KMeansResult r = kmeans(X, n, d, o);
        out.push_back({k, r.inertia, mean_silhouette(X, d, rows, r.labels, k)});
    }
    return out;
}

}  // namespace latentscape::cluster
