#include "metrics/pointwise.h"

#include "common/cancel.h"
#include "metrics/estimate.h"
#include "neighbors/brute.h"
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

/// One thread's storage: the metrics' scratch plus the counts of a block.
struct Scratch : detail::QualityScratch {
    std::vector<detail::PointCounts> block;
};

/// Distance rows in X and Y (or X's neighbours from `graph`) for each block of queries, then
/// each query's own counts turned into values. Every value depends only on its query, so blocks may run on any thread.
PointwiseQuality compute(const float* X, std::int64_t n, std::int64_t dx, const float* Y, std::int64_t dy, int k,
                         std::span<const std::int64_t> queries, bool with_ranks,
                         const neighbors::KnnGraph* graph, const std::function<bool()>& canceled) {
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
    neighbors::rows::for_each_query_block<Scratch>(
        m, [&](Scratch& s, std::int64_t first, std::int64_t count) {
            // Exceptions must not leave an OpenMP region: a cancel skips the remaining blocks and
            // is thrown below. A block costs 16 distance rows: milliseconds up to n of a few 10^5.
            if (stop.load(std::memory_order_relaxed)) return;
            if (canceled && canceled()) {
                stop.store(true, std::memory_order_relaxed);
                return;
            }
            s.block.resize(std::size_t(count));
            detail::block_counts(X, n, dx, Y, dy, k, queries.data() + first, count, with_ranks, graph, s,
                                 s.block.data());
            for (std::int64_t q = 0; q < count; ++q) {
                const auto at = std::size_t(first + q);
                const detail::PointCounts& c = s.block[std::size_t(q)];
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
    return compute(X, n, dx, Y, dy, k, rows, true, nullptr, canceled);
}

PointwiseQuality pointwise_quality(const float* X, std::int64_t n, std::int64_t dx, const float* Y, std::int64_t dy,
                                   int k, const std::function<bool()>& canceled) {
    detail::check_pair(X, n, dx, Y, dy);
    detail::check_k_for_ranks(k, n);
    const std::vector<std::int64_t> all = detail::all_points(n);
    return compute(X, n, dx, Y, dy, k, all, true, nullptr, canceled);
}

PointwiseQuality pointwise_quality(const float* X, std::int64_t n, std::int64_t dx, const float* Y, std::int64_t dy,
                                   int k, const neighbors::KnnGraph& x_graph, std::span<const std::int64_t> rows,
                                   const std::function<bool()>& canceled) {
    detail::check_pair(X, n, dx, Y, dy);
    detail::check_k_for_ranks(k, n);
    check_rows(rows, n);
    detail::check_graph(x_graph, X, n, dx, k, std::vector<std::int64_t>(rows.begin(), rows.end()));
    return compute(X, n, dx, Y, dy, k, rows, true, &x_graph, canceled);
}

PointwiseQuality pointwise_quality(const float* X, std::int64_t n, std::int64_t dx, const float* Y, std::int64_t dy,
                                   int k, const neighbors::KnnGraph& x_graph, const std::function<bool()>& canceled) {
    detail::check_pair(X, n, dx, Y, dy);
    detail::check_k_for_ranks(k, n);
    const std::vector<std::int64_t> all = detail::all_points(n);
    detail::check_graph(x_graph, X, n, dx, k, all);
    return compute(X, n, dx, Y, dy, k, all, true, &x_graph, canceled);
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
    return compute(X, n, dx, Y, dy, k, all, false, nullptr, canceled).knn_recall;
}

}  // namespace latentscape::metrics
