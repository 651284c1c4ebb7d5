#include "metrics/pointwise.h"

#include "common/cancel.h"
#include "metrics/estimate.h"
#include "metrics/neighbors.h"
#include "metrics/quality_internal.h"

#include <atomic>
#include <stdexcept>
#include <string>

namespace latentscape::metrics {
namespace {

void check_rows(std::span<const std::int64_t> rows, std::int64_t n) {
    for (std::size_t q = 0; q < rows.size(); ++q)
        if (rows[q] < 0 || rows[q] >= n)
            throw std::invalid_argument("row index " + std::to_string(rows[q]) + " (entry " + std::to_string(q) +
                                        " of rows) is outside [0, " + std::to_string(n) + ")");
}

/// Distance rows in X and Y for each block of queries, then each query's own counts turned into
/// values. Every value depends only on its query, so blocks may run on any thread.
PointwiseQuality compute(const float* X, std::int64_t n, std::int64_t dx, const float* Y, std::int64_t dy, int k,
                         std::span<const std::int64_t> queries, bool with_ranks,
                         const std::function<bool()>& canceled) {
    const double start = detail::now_seconds();
    const auto m = std::int64_t(queries.size());
    PointwiseQuality r;
    r.k = k;
    if (with_ranks) {
        r.trustworthiness.resize(std::size_t(m));
        r.continuity.resize(std::size_t(m));
    }
    r.knn_recall.resize(std::size_t(m));
    std::atomic<bool> stop{false};
    detail::for_each_query_block<detail::QualityScratch>(
        m, [&](detail::QualityScratch& s, std::int64_t first, std::int64_t count) {
            // Exceptions must not leave an OpenMP region: a cancel skips the remaining blocks and
            // is thrown below. A block costs 16 distance rows: milliseconds up to n of a few 10^5.
            if (stop.load(std::memory_order_relaxed)) return;
            if (canceled && canceled()) {
                stop.store(true, std::memory_order_relaxed);
                return;
            }
            s.rows_x.resize(std::size_t(count * n));
            s.rows_y.resize(std::size_t(count * n));
            detail::squared_distance_rows(X, n, dx, queries.data() + first, count, s.rows_x.data());
            detail::squared_distance_rows(Y, n, dy, queries.data() + first, count, s.rows_y.data());
            for (std::int64_t q = 0; q < count; ++q) {
                const auto at = std::size_t(first + q);
                const detail::PointCounts c = detail::point_counts(s.rows_x.data() + q * n, s.rows_y.data() + q * n,
                                                                   n, queries[at], k, with_ranks, s);
                r.knn_recall[at] = double(c.shared) / double(k);
                if (!with_ranks) continue;
                // One query's share of the averaged metric's normalisation (queries = 1).
                r.trustworthiness[at] = detail::from_penalty(c.trust, n, 1, k);
                r.continuity[at] = detail::from_penalty(c.cont, n, 1, k);
            }
        });
    if (stop.load()) throw Canceled();
    r.elapsed_seconds = detail::now_seconds() - start;
    return r;
}

}  // namespace

PointwiseQuality pointwise_quality(const float* X, std::int64_t n, std::int64_t dx, const float* Y, std::int64_t dy,
                                   int k, std::span<const std::int64_t> rows,
                                   const std::function<bool()>& canceled) {
    detail::check_pair(X, n, dx, Y, dy);
    detail::check_k_for_ranks(k, n);
    check_rows(rows, n);
    return compute(X, n, dx, Y, dy, k, rows, true, canceled);
}

PointwiseQuality pointwise_quality(const float* X, std::int64_t n, std::int64_t dx, const float* Y, std::int64_t dy,
                                   int k, const std::function<bool()>& canceled) {
    detail::check_pair(X, n, dx, Y, dy);
    detail::check_k_for_ranks(k, n);
    const std::vector<std::int64_t> all = detail::all_points(n);
    return compute(X, n, dx, Y, dy, k, all, true, canceled);
}

std::vector<double> pointwise_trustworthiness(const float* X, std::int64_t n, std::int64_t dx, const float* Y,
                                              std::int64_t dy, int k, const std::function<bool()>& canceled) {
    return pointwise_quality(X, n, dx, Y, dy, k, canceled).trustworthiness;
}

std::vector<double> pointwise_continuity(const float* X, std::int64_t n, std::int64_t dx, const float* Y,
                                         std::int64_t dy, int k, const std::function<bool()>& canceled) {
    return pointwise_quality(X, n, dx, Y, dy, k, canceled).continuity;
}

std::vector<double> pointwise_knn_recall(const float* X, std::int64_t n, std::int64_t dx, const float* Y,
                                         std::int64_t dy, int k, const std::function<bool()>& canceled) {
    // Defined for any k < n, unlike trustworthiness (k < n / 2).
    detail::check_pair(X, n, dx, Y, dy);
    detail::check_k(k, n, "n");
    const std::vector<std::int64_t> all = detail::all_points(n);
    return compute(X, n, dx, Y, dy, k, all, false, canceled).knn_recall;
}

}  // namespace latentscape::metrics
