#include "metrics/quality.h"

#include "metrics/neighbors.h"
#include "metrics/quality_internal.h"

#include <algorithm>
#include <iterator>
#include <stdexcept>
#include <string>

namespace latentscape::metrics {
namespace detail {

void check_k(int k, std::int64_t n, const char* what) {
    if (k < 1) throw std::invalid_argument("k (" + std::to_string(k) + ") must be >= 1");
    if (k >= n) throw std::invalid_argument("k (" + std::to_string(k) + ") must be < " + what + " (" + std::to_string(n) + ")");
}

void check_k_for_ranks(int k, std::int64_t n) {
    check_k(k, n, "n");
    if (2 * std::int64_t(k) >= n)
        throw std::invalid_argument("k (" + std::to_string(k) + ") must be < n / 2 (n = " + std::to_string(n) +
                                    ") for trustworthiness and continuity");
}

void check_pair(const float* X, std::int64_t n, std::int64_t dx, const float* Y, std::int64_t dy) {
    check_matrix("X", X, n, dx);
    check_matrix("Y", Y, n, dy);
}

namespace {

/// Members of `mine` not in `other` (both sorted).
void difference(const std::vector<std::int64_t>& mine, const std::vector<std::int64_t>& other,
                std::vector<std::int64_t>& out) {
    out.clear();
    std::set_difference(mine.begin(), mine.end(), other.begin(), other.end(), std::back_inserter(out));
}

}  // namespace

PointCounts point_counts(const double* row_x, const double* row_y, std::int64_t n, std::int64_t i, int k,
                         bool with_ranks, QualityScratch& s) {
    s.nn_x.resize(std::size_t(k));
    s.nn_y.resize(std::size_t(k));
    select_nearest(row_x, n, i, k, s.nn_x.data(), s.order);
    select_nearest(row_y, n, i, k, s.nn_y.data(), s.order);
    std::sort(s.nn_x.begin(), s.nn_x.end());
    std::sort(s.nn_y.begin(), s.nn_y.end());
    PointCounts c;
    difference(s.nn_y, s.nn_x, s.outsiders);
    c.shared = k - std::int64_t(s.outsiders.size());
    if (!with_ranks) return c;
    c.trust = rank_penalty(row_x, n, i, k, s.outsiders, s.counts);
    difference(s.nn_x, s.nn_y, s.outsiders);
    c.cont = rank_penalty(row_y, n, i, k, s.outsiders, s.counts);
    return c;
}

double from_penalty(std::int64_t penalty, std::int64_t n, std::int64_t queries, int k) {
    return 1.0 - double(penalty) * (2.0 / (double(queries * k) * (2.0 * double(n) - 3.0 * k - 1.0)));
}

}  // namespace detail

namespace {

using detail::check_k;
using detail::PointCounts;
using detail::QualityScratch;
using detail::from_penalty;

void check_pair(const float* X, std::int64_t n, std::int64_t dx, const float* Y, std::int64_t dy,
                const EstimateOptions& options) {
    detail::check_pair(X, n, dx, Y, dy);
    detail::check_estimate_options(options);
}

Estimate make_estimate(double value, bool sampled, std::int64_t queries, double start) {
    Estimate e;
    e.value = value;
    e.sampled = sampled;
    e.sample_size = queries;
    e.elapsed_seconds = detail::now_seconds() - start;
    return e;
}

/// The shared loop: distance rows in X and Y for each query block, then per-query counts.
/// `with_ranks` false skips the rank penalties (recall only).
QualityResult compute(const float* X, std::int64_t n, std::int64_t dx, const float* Y, std::int64_t dy, int k,
                      const EstimateOptions& options, bool with_ranks) {
    const double start = detail::now_seconds();
    bool sampled = false;
    const std::vector<std::int64_t> queries = detail::choose_queries(detail::all_points(n), options, sampled);
    const auto m = std::int64_t(queries.size());
    std::vector<PointCounts> counts(static_cast<std::size_t>(m));
    detail::for_each_query_block<QualityScratch>(m, [&](QualityScratch& s, std::int64_t first, std::int64_t count) {
        s.rows_x.resize(std::size_t(count * n));
        s.rows_y.resize(std::size_t(count * n));
        detail::squared_distance_rows(X, n, dx, queries.data() + first, count, s.rows_x.data());
        detail::squared_distance_rows(Y, n, dy, queries.data() + first, count, s.rows_y.data());
        for (std::int64_t q = 0; q < count; ++q)
            counts[std::size_t(first + q)] = detail::point_counts(s.rows_x.data() + q * n, s.rows_y.data() + q * n,
                                                                  n, queries[std::size_t(first + q)], k, with_ranks, s);
    });
    PointCounts total;
    for (const PointCounts& c : counts) {
        total.trust += c.trust;
        total.cont += c.cont;
        total.shared += c.shared;
    }
    QualityResult r;
    r.k = k;
    r.trustworthiness = make_estimate(from_penalty(total.trust, n, m, k), sampled, m, start);
    r.continuity = make_estimate(from_penalty(total.cont, n, m, k), sampled, m, start);
    r.knn_recall = make_estimate(double(total.shared) / (double(m) * k), sampled, m, start);
    r.elapsed_seconds = r.knn_recall.elapsed_seconds;
    return r;
}

}  // namespace

QualityResult quality(const float* X, std::int64_t n, std::int64_t dx, const float* Y, std::int64_t dy, int k,
                      const EstimateOptions& options) {
    check_pair(X, n, dx, Y, dy, options);
    detail::check_k_for_ranks(k, n);
    return compute(X, n, dx, Y, dy, k, options, true);
}

Estimate trustworthiness(const float* X, std::int64_t n, std::int64_t dx, const float* Y, std::int64_t dy, int k,
                         const EstimateOptions& options) {
    return quality(X, n, dx, Y, dy, k, options).trustworthiness;
}

Estimate continuity(const float* X, std::int64_t n, std::int64_t dx, const float* Y, std::int64_t dy, int k,
                    const EstimateOptions& options) {
    return quality(X, n, dx, Y, dy, k, options).continuity;
}

Estimate knn_recall(const float* X, std::int64_t n, std::int64_t dx, const float* Y, std::int64_t dy, int k,
                    const EstimateOptions& options) {
    // Defined for any k < n, unlike trustworthiness (k < n / 2).
    check_pair(X, n, dx, Y, dy, options);
    check_k(k, n, "n");
    return compute(X, n, dx, Y, dy, k, options, false).knn_recall;
}

Estimate knn_accuracy(const float* Y, std::int64_t n, std::int64_t dy, const std::int32_t* labels, int k,
                      const EstimateOptions& options) {
    const double start = detail::now_seconds();
    // Only labelled points take part, as queries and as voters.
    const detail::LabelledRows z = detail::labelled_rows("Y", Y, n, dy, labels, options);
    const auto nl = std::int64_t(z.ids.size());
    check_k(k, nl, "the number of labelled points");
    bool sampled = false;
    const std::vector<std::int64_t> queries = detail::choose_queries(detail::all_points(nl), options, sampled);
    const auto m = std::int64_t(queries.size());
    std::vector<std::uint8_t> hit(static_cast<std::size_t>(m));
    const auto label_of = [&](std::int64_t r) { return labels[z.ids[std::size_t(r)]]; };
    detail::for_each_query_block<QualityScratch>(m, [&](QualityScratch& s, std::int64_t first, std::int64_t count) {
        s.rows_y.resize(std::size_t(count * nl));
        detail::squared_distance_rows(z.features.data(), nl, dy, queries.data() + first, count, s.rows_y.data());
        s.nn_y.resize(std::size_t(k));
        s.votes.resize(std::size_t(k));
        for (std::int64_t q = 0; q < count; ++q) {
            const std::int64_t i = queries[std::size_t(first + q)];
            detail::select_nearest(s.rows_y.data() + q * nl, nl, i, k, s.nn_y.data(), s.order);
            for (int v = 0; v < k; ++v) s.votes[std::size_t(v)] = label_of(s.nn_y[std::size_t(v)]);
            std::sort(s.votes.begin(), s.votes.end());
            // Longest run of equal labels; the first (smallest) label keeps a tie.
            std::int32_t best = s.votes[0];
            std::int64_t best_run = 0;
            for (auto a = s.votes.begin(); a != s.votes.end();) {
                const auto b = std::upper_bound(a, s.votes.end(), *a);
                if (b - a > best_run) {
                    best_run = b - a;
                    best = *a;
                }
                a = b;
            }
            hit[std::size_t(first + q)] = best == label_of(i) ? 1 : 0;
        }
    });
    std::int64_t hits = 0;
    for (std::uint8_t h : hit) hits += h;
    return make_estimate(double(hits) / double(m), sampled, m, start);
}

}  // namespace latentscape::metrics
