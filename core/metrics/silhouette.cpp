#include "metrics/silhouette.h"

#include "metrics/estimate.h"
#include "neighbors/brute.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace latentscape::metrics {

SilhouetteResult silhouette(const float* X, std::int64_t n, std::int64_t d, const std::int32_t* labels,
                            const EstimateOptions& options) {
    const double start = detail::now_seconds();
    // Non-noise points, copied into a compact matrix, with cluster codes 0..C-1 in label order.
    const detail::LabelledRows z = detail::labelled_rows("X", X, n, d, labels, options);
    const auto m = std::int64_t(z.ids.size());
    std::vector<std::int32_t> distinct(static_cast<std::size_t>(m));
    for (std::int64_t r = 0; r < m; ++r) distinct[std::size_t(r)] = labels[z.ids[std::size_t(r)]];
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    const auto clusters = std::int64_t(distinct.size());
    if (clusters < 2 || clusters > m - 1)
        throw std::invalid_argument("silhouette needs 2 to (labelled points - 1) clusters: got " +
                                    std::to_string(clusters) + " cluster(s) among " + std::to_string(m) +
                                    " labelled (non-noise) points");
    std::vector<std::int32_t> code(static_cast<std::size_t>(m));
    std::vector<std::int64_t> size(std::size_t(clusters), 0);
    for (std::int64_t r = 0; r < m; ++r) {
        const std::int32_t label = labels[z.ids[std::size_t(r)]];
        code[std::size_t(r)] = std::int32_t(std::lower_bound(distinct.begin(), distinct.end(), label) - distinct.begin());
        ++size[std::size_t(code[std::size_t(r)])];
    }

    SilhouetteResult result;
    const std::vector<std::int64_t> queries = detail::choose_queries(detail::all_points(m), options, result.sampled);
    const auto count = std::int64_t(queries.size());
    std::vector<double> value(static_cast<std::size_t>(count));
    struct Scratch {
        std::vector<double> rows, sums;
    };
    neighbors::rows::for_each_query_block<Scratch>(count, [&](Scratch& s, std::int64_t first, std::int64_t block) {
        s.rows.resize(std::size_t(block * m));
        neighbors::rows::squared_distance_rows(z.features.data(), m, d, queries.data() + first, block, s.rows.data());
        for (std::int64_t q = 0; q < block; ++q) {
            const std::int64_t i = queries[std::size_t(first + q)];
            double* row = s.rows.data() + q * m;
            for (std::int64_t j = 0; j < m; ++j) row[j] = std::sqrt(row[j]);  // a separate, vectorised pass
            // Distance sums per cluster, in point order (fixed, thread-independent).
            s.sums.assign(std::size_t(clusters), 0.0);
            for (std::int64_t j = 0; j < m; ++j) s.sums[std::size_t(code[std::size_t(j)])] += row[j];
            const auto own = std::size_t(code[std::size_t(i)]);
            double v = 0.0;
            if (size[own] > 1) {
                const double a = s.sums[own] / double(size[own] - 1);
                double bmin = std::numeric_limits<double>::infinity();
                for (std::size_t c = 0; c < std::size_t(clusters); ++c)
                    if (c != own) bmin = std::min(bmin, s.sums[c] / double(size[c]));
                const double denom = std::max(a, bmin);
                v = denom > 0.0 ? (bmin - a) / denom : 0.0;
            }
            value[std::size_t(first + q)] = v;
        }
    });
    result.values.assign(std::size_t(n), std::numeric_limits<double>::quiet_NaN());
    double total = 0.0;
    for (std::int64_t q = 0; q < count; ++q) {
        total += value[std::size_t(q)];
        result.values[std::size_t(z.ids[std::size_t(queries[std::size_t(q)])])] = value[std::size_t(q)];
    }
    result.mean = total / double(count);
    result.clusters = int(clusters);
    result.sample_size = count;
    result.elapsed_seconds = detail::now_seconds() - start;
    return result;
}

}  // namespace latentscape::metrics
