#include "metrics/quality.h"

#include "common/parallel.h"
#include "neighbors/brute.h"
#include "metrics/quality_internal.h"

#include <algorithm>
#include <cmath>
#include <sstream>
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

std::int64_t rank_penalty(const double* row, std::int64_t n, std::int64_t self, int k,
                          std::vector<std::int64_t>& outsiders, std::vector<std::int64_t>& counts) {
    if (outsiders.empty()) return 0;
    const auto less = [row](std::int64_t a, std::int64_t b) { return row[a] < row[b] || (row[a] == row[b] && a < b); };
    std::sort(outsiders.begin(), outsiders.end(), less);
    const std::size_t m = outsiders.size();
    // counts[p]: points l whose key lies between threshold p-1 and threshold p; each counts as
    // "closer" for every threshold from p on. One pass over the row, O(n log m).
    counts.assign(m + 1, 0);
    const std::int64_t last = outsiders.back();
    for (std::int64_t l = 0; l < n; ++l) {
        if (l == self || row[l] > row[last]) continue;
        const auto p = std::size_t(std::upper_bound(outsiders.begin(), outsiders.end(), l, less) - outsiders.begin());
        ++counts[p];
    }
    std::int64_t penalty = 0, closer = 0;
    for (std::size_t p = 0; p < m; ++p) {
        closer += counts[p];
        penalty += (closer + 1) - k;  // rank = 1 + points strictly before it
    }
    return penalty;
}

PointCounts point_counts(const double* row_x, const double* row_y, std::int64_t n, std::int64_t i, int k,
                         bool with_ranks, QualityScratch& s) {
    s.nn_x.resize(std::size_t(k));
    s.nn_y.resize(std::size_t(k));
    neighbors::rows::select_nearest(row_x, n, i, k, s.nn_x.data(), s.order);
    neighbors::rows::select_nearest(row_y, n, i, k, s.nn_y.data(), s.order);
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

void check_graph(const neighbors::KnnGraph& g, const float* X, std::int64_t n, std::int64_t dx, int k,
                 const std::vector<std::int64_t>& queries) {
    auto fail = [](const std::string& message) {
        throw std::invalid_argument("the kNN graph given for X " + message);
    };
    if (g.n != n) fail("has " + std::to_string(g.n) + " rows; X has " + std::to_string(n));
    if (!g.exact)
        fail("is approximate; the metrics need exact neighbours (neighbors::Method::Exact), or pass no graph");
    if (g.k < k)
        fail("has k = " + std::to_string(g.k) + " neighbours per row; the metric needs k = " + std::to_string(k) +
             " or more");
    if (g.indices.size() != std::size_t(n) * std::size_t(g.k) || g.sq_distances.size() != g.indices.size())
        fail("holds " + std::to_string(g.indices.size()) + " entries, not n x k = " + std::to_string(n * g.k));
    // Every query's row, as the metric will use it: cheap (k distances against the n of a row).
    const auto m = std::int64_t(queries.size());
    const std::int64_t bad = parallel::first_index_where(m, [&](std::int64_t q) {
        const std::int64_t i = queries[std::size_t(q)];
        float previous = 0.0f;
        for (int a = 0; a < g.k; ++a) {
            const std::int32_t j = g.neighbor(i, a);
            const float stored = g.sq_distance(i, a);
            if (j < 0 || j >= n || j == i || !(stored >= previous)) return true;
            previous = stored;
            const double actual = neighbors::squared_distance(X + i * dx, X + std::int64_t(j) * dx, dx);
            if (!(std::abs(double(stored) - actual) <= 1e-5 * actual + 1e-30)) return true;
        }
        return false;
    });
    if (bad == m) return;
    const std::int64_t i = queries[std::size_t(bad)];
    for (int a = 0; a < g.k; ++a) {
        const std::int32_t j = g.neighbor(i, a);
        if (j < 0 || j >= n || j == i)
            fail("lists neighbour " + std::to_string(j) + " for row " + std::to_string(i) + " (n = " +
                 std::to_string(n) + ")");
        if (a > 0 && !(g.sq_distance(i, a) >= g.sq_distance(i, a - 1)))
            fail("is not sorted by distance in row " + std::to_string(i));
        const double actual = neighbors::squared_distance(X + i * dx, X + std::int64_t(j) * dx, dx);
        if (!(std::abs(double(g.sq_distance(i, a)) - actual) <= 1e-5 * actual + 1e-30)) {
            std::ostringstream msg;
            msg << "does not match X: row " << i << "'s neighbour " << j << " is at squared distance "
                << g.sq_distance(i, a) << " in the graph but " << actual
                << " in X (was it built on other rows or features, e.g. after a PCA?)";
            fail(msg.str());
        }
    }
}

namespace {

using Key = std::pair<double, std::int64_t>;  // (squared distance, id): the project's neighbour order

/// Offers (d, j) to a max-heap of the k smallest keys. Ids arrive in ascending order, so a tie
/// with the largest kept key never enters: the same k as neighbors::rows::select_nearest().
inline void offer(Key* heap, int& size, int k, double d, std::int64_t j) {
    if (size < k) {
        heap[size++] = Key{d, j};
        std::push_heap(heap, heap + size);
    } else if (d < heap[0].first) {
        std::pop_heap(heap, heap + k);
        heap[k - 1] = Key{d, j};
        std::push_heap(heap, heap + k);
    }
}

/// Adds one point's key to the rank counts of a query's sorted outsider keys, as rank_penalty()
/// does from a whole row: counts[p] for the first outsider whose key exceeds it.
inline void count_rank(const Key* keys, std::int64_t m, std::int64_t* counts, double d, std::int64_t j) {
    if (m == 0 || d > keys[m - 1].first) return;
    const Key key{d, j};
    ++counts[std::upper_bound(keys, keys + m, key) - keys];
}

std::int64_t penalty_of(const std::int64_t* counts, std::int64_t m, int k) {
    std::int64_t penalty = 0, closer = 0;
    for (std::int64_t p = 0; p < m; ++p) {
        closer += counts[p];
        penalty += (closer + 1) - k;
    }
    return penalty;
}

}  // namespace

// point_counts() without the distance rows (16 x n doubles per thread: 1.3 GB at 10,000,000
// points, written once and read three times). One pass over the points keeps each query's k
// nearest in X and in Y; a second recomputes the same distances and counts, for each outsider,
// the points ranked before it. The distances are squared_distance_rows()'s (rows widened to
// double once), so the counts are point_counts()'s on those rows.
void stream_counts(const float* X, std::int64_t n, std::int64_t dx, const float* Y, std::int64_t dy, int k,
                   const std::int64_t* queries, std::int64_t count, bool with_ranks, QualityScratch& s,
                   PointCounts* out) {
    const auto K = std::size_t(k);
    s.heap_x.resize(std::size_t(count) * K);
    s.heap_y.resize(std::size_t(count) * K);
    std::vector<int> size_x(std::size_t(count), 0), size_y(std::size_t(count), 0);
    // Rows widened to double once (exact): the queries', and each point's as it comes.
    std::vector<double> qx(static_cast<std::size_t>(count * dx)), qy(static_cast<std::size_t>(count * dy));
    std::vector<double> xj(static_cast<std::size_t>(dx)), yj(static_cast<std::size_t>(dy));
    for (std::int64_t q = 0; q < count; ++q) {
        for (std::int64_t t = 0; t < dx; ++t) qx[std::size_t(q * dx + t)] = X[queries[q] * dx + t];
        for (std::int64_t t = 0; t < dy; ++t) qy[std::size_t(q * dy + t)] = Y[queries[q] * dy + t];
    }
    const auto widen = [&](std::int64_t j) {
        for (std::int64_t t = 0; t < dx; ++t) xj[std::size_t(t)] = X[j * dx + t];
        for (std::int64_t t = 0; t < dy; ++t) yj[std::size_t(t)] = Y[j * dy + t];
    };
    for (std::int64_t j = 0; j < n; ++j) {
        widen(j);
        for (std::int64_t q = 0; q < count; ++q) {
            if (j == queries[q]) continue;
            offer(s.heap_x.data() + q * k, size_x[std::size_t(q)], k,
                  neighbors::squared_distance(qx.data() + q * dx, xj.data(), dx), j);
            offer(s.heap_y.data() + q * k, size_y[std::size_t(q)], k,
                  neighbors::squared_distance(qy.data() + q * dy, yj.data(), dy), j);
        }
    }
    s.keys_x.clear();
    s.keys_y.clear();
    s.keys_x_start.assign(1, 0);
    s.keys_y_start.assign(1, 0);
    s.nn_x.resize(K);
    s.nn_y.resize(K);
    // Each outsider's key from the same widened rows as the counting pass below: an outsider
    // must meet its own key there exactly.
    const auto add_keys = [&](std::vector<Key>& keys, std::vector<std::int64_t>& starts, const double* query,
                              const std::vector<double>& row, std::int64_t dims) {
        const auto first = keys.size();
        for (std::int64_t o : s.outsiders) {
            widen(o);
            keys.emplace_back(neighbors::squared_distance(query, row.data(), dims), o);
        }
        std::sort(keys.begin() + std::ptrdiff_t(first), keys.end());
        starts.push_back(std::int64_t(keys.size()));
    };
    for (std::int64_t q = 0; q < count; ++q) {
        for (std::size_t a = 0; a < K; ++a) {
            s.nn_x[a] = s.heap_x[std::size_t(q) * K + a].second;
            s.nn_y[a] = s.heap_y[std::size_t(q) * K + a].second;
        }
        std::sort(s.nn_x.begin(), s.nn_x.end());
        std::sort(s.nn_y.begin(), s.nn_y.end());
        PointCounts c;
        difference(s.nn_y, s.nn_x, s.outsiders);
        c.shared = k - std::int64_t(s.outsiders.size());
        out[q] = c;
        if (!with_ranks) continue;
        // Trustworthiness: the embedding's neighbours missing from X's, ranked by X distance.
        add_keys(s.keys_x, s.keys_x_start, qx.data() + q * dx, xj, dx);
        // Continuity: X's neighbours missing from the embedding's, ranked by Y distance.
        difference(s.nn_x, s.nn_y, s.outsiders);
        add_keys(s.keys_y, s.keys_y_start, qy.data() + q * dy, yj, dy);
    }
    if (!with_ranks) return;
    s.counts_x.assign(s.keys_x.size() + std::size_t(count), 0);
    s.counts_y.assign(s.keys_y.size() + std::size_t(count), 0);
    for (std::int64_t j = 0; j < n; ++j) {
        widen(j);
        for (std::int64_t q = 0; q < count; ++q) {
            if (j == queries[q]) continue;
            const std::int64_t bx = s.keys_x_start[std::size_t(q)], mx = s.keys_x_start[std::size_t(q) + 1] - bx;
            const std::int64_t by = s.keys_y_start[std::size_t(q)], my = s.keys_y_start[std::size_t(q) + 1] - by;
            // Query q's counts sit after its keys' offset plus q (each has m + 1 slots).
            if (mx > 0)
                count_rank(s.keys_x.data() + bx, mx, s.counts_x.data() + bx + q,
                           neighbors::squared_distance(qx.data() + q * dx, xj.data(), dx), j);
            if (my > 0)
                count_rank(s.keys_y.data() + by, my, s.counts_y.data() + by + q,
                           neighbors::squared_distance(qy.data() + q * dy, yj.data(), dy), j);
        }
    }
    for (std::int64_t q = 0; q < count; ++q) {
        const std::int64_t bx = s.keys_x_start[std::size_t(q)], mx = s.keys_x_start[std::size_t(q) + 1] - bx;
        const std::int64_t by = s.keys_y_start[std::size_t(q)], my = s.keys_y_start[std::size_t(q) + 1] - by;
        out[q].trust = penalty_of(s.counts_x.data() + bx + q, mx, k);
        out[q].cont = penalty_of(s.counts_y.data() + by + q, my, k);
    }
}

void block_counts(const float* X, std::int64_t n, std::int64_t dx, const float* Y, std::int64_t dy, int k,
                  const std::int64_t* queries, std::int64_t count, bool with_ranks,
                  const neighbors::KnnGraph* graph, QualityScratch& s, PointCounts* out) {
    if (!graph) {
        // Whole rows while the block's two sets fit in 512 MB per thread (n up to ~2,000,000):
        // they are computed once. Above that, the streaming passes compute them twice but keep
        // no rows (10,000,000 points: 2.2 GB peak instead of 7.3 GB).
        if (std::int64_t(2 * sizeof(double)) * count * n > (std::int64_t(1) << 29)) {
            stream_counts(X, n, dx, Y, dy, k, queries, count, with_ranks, s, out);
            return;
        }
        s.rows_y.resize(std::size_t(count * n));
        neighbors::rows::squared_distance_rows(Y, n, dy, queries, count, s.rows_y.data());
        s.rows_x.resize(std::size_t(count * n));
        neighbors::rows::squared_distance_rows(X, n, dx, queries, count, s.rows_x.data());
        for (std::int64_t q = 0; q < count; ++q)
            out[q] = point_counts(s.rows_x.data() + q * n, s.rows_y.data() + q * n, n, queries[q], k, with_ranks, s);
        return;
    }
    s.rows_y.resize(std::size_t(count * n));
    neighbors::rows::squared_distance_rows(Y, n, dy, queries, count, s.rows_y.data());
    const neighbors::KnnGraph& g = *graph;
    s.pending.clear();
    s.pending_ids.clear();
    s.pending_start.assign(1, 0);
    s.pending_outsiders.clear();
    s.nn_x.resize(std::size_t(k));
    s.nn_y.resize(std::size_t(k));
    for (std::int64_t q = 0; q < count; ++q) {
        const std::int64_t i = queries[q];
        const double* row_y = s.rows_y.data() + q * n;
        // The graph's first k are X's k nearest in (distance, index) order, as select_nearest()
        // would pick them from X's row.
        for (int a = 0; a < k; ++a) s.nn_x[std::size_t(a)] = g.neighbor(i, a);
        neighbors::rows::select_nearest(row_y, n, i, k, s.nn_y.data(), s.order);
        std::sort(s.nn_x.begin(), s.nn_x.end());
        std::sort(s.nn_y.begin(), s.nn_y.end());
        PointCounts c;
        difference(s.nn_x, s.nn_y, s.outsiders);
        c.shared = k - std::int64_t(s.outsiders.size());
        if (with_ranks) {
            c.cont = rank_penalty(row_y, n, i, k, s.outsiders, s.counts);
            difference(s.nn_y, s.nn_x, s.outsiders);
            // An outsider's rank in X is its position + 1 when it is among the graph's g.k.
            bool all_found = true;
            for (const std::int64_t j : s.outsiders) {
                int a = k;
                while (a < g.k && g.neighbor(i, a) != j) ++a;
                if (a == g.k) {
                    all_found = false;
                    break;
                }
                c.trust += (a + 1) - k;
            }
            if (!all_found) {
                c.trust = 0;
                s.pending.push_back(q);
                s.pending_ids.push_back(i);
                s.pending_outsiders.insert(s.pending_outsiders.end(), s.outsiders.begin(), s.outsiders.end());
                s.pending_start.push_back(std::int64_t(s.pending_outsiders.size()));
            }
        }
        out[q] = c;
    }
    if (s.pending.empty()) return;
    const auto f = std::int64_t(s.pending.size());
    s.rows_x.resize(std::size_t(f * n));
    neighbors::rows::squared_distance_rows(X, n, dx, s.pending_ids.data(), f, s.rows_x.data());
    for (std::int64_t p = 0; p < f; ++p) {
        s.outsiders.assign(s.pending_outsiders.begin() + s.pending_start[std::size_t(p)],
                           s.pending_outsiders.begin() + s.pending_start[std::size_t(p) + 1]);
        out[s.pending[std::size_t(p)]].trust =
            rank_penalty(s.rows_x.data() + p * n, n, s.pending_ids[std::size_t(p)], k, s.outsiders, s.counts);
    }
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

/// The shared loop: distance rows in X and Y (or X's neighbours from `graph`) for each query
/// block, then per-query counts. `with_ranks` false skips the rank penalties (recall only).
QualityResult compute(const float* X, std::int64_t n, std::int64_t dx, const float* Y, std::int64_t dy, int k,
                      const EstimateOptions& options, bool with_ranks, const neighbors::KnnGraph* graph) {
    const double start = detail::now_seconds();
    bool sampled = false;
    const std::vector<std::int64_t> queries = detail::choose_queries(detail::all_points(n), options, sampled);
    const auto m = std::int64_t(queries.size());
    std::vector<PointCounts> counts(static_cast<std::size_t>(m));
    if (graph) detail::check_graph(*graph, X, n, dx, k, queries);
    neighbors::rows::for_each_query_block<QualityScratch>(m, [&](QualityScratch& s, std::int64_t first, std::int64_t count) {
        detail::block_counts(X, n, dx, Y, dy, k, queries.data() + first, count, with_ranks, graph, s,
                             counts.data() + first);
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
    return compute(X, n, dx, Y, dy, k, options, true, nullptr);
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
    return compute(X, n, dx, Y, dy, k, options, false, nullptr).knn_recall;
}

QualityResult quality(const float* X, std::int64_t n, std::int64_t dx, const float* Y, std::int64_t dy, int k,
                      const neighbors::KnnGraph& x_graph, const EstimateOptions& options) {
    check_pair(X, n, dx, Y, dy, options);
    detail::check_k_for_ranks(k, n);
    return compute(X, n, dx, Y, dy, k, options, true, &x_graph);
}

Estimate trustworthiness(const float* X, std::int64_t n, std::int64_t dx, const float* Y, std::int64_t dy, int k,
                         const neighbors::KnnGraph& x_graph, const EstimateOptions& options) {
    return quality(X, n, dx, Y, dy, k, x_graph, options).trustworthiness;
}

Estimate continuity(const float* X, std::int64_t n, std::int64_t dx, const float* Y, std::int64_t dy, int k,
                    const neighbors::KnnGraph& x_graph, const EstimateOptions& options) {
    return quality(X, n, dx, Y, dy, k, x_graph, options).continuity;
}

Estimate knn_recall(const float* X, std::int64_t n, std::int64_t dx, const float* Y, std::int64_t dy, int k,
                    const neighbors::KnnGraph& x_graph, const EstimateOptions& options) {
    check_pair(X, n, dx, Y, dy, options);
    check_k(k, n, "n");
    return compute(X, n, dx, Y, dy, k, options, false, &x_graph).knn_recall;
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
    neighbors::rows::for_each_query_block<QualityScratch>(m, [&](QualityScratch& s, std::int64_t first, std::int64_t count) {
        s.rows_y.resize(std::size_t(count * nl));
        neighbors::rows::squared_distance_rows(z.features.data(), nl, dy, queries.data() + first, count, s.rows_y.data());
        s.nn_y.resize(std::size_t(k));
        s.votes.resize(std::size_t(k));
        for (std::int64_t q = 0; q < count; ++q) {
            const std::int64_t i = queries[std::size_t(first + q)];
            neighbors::rows::select_nearest(s.rows_y.data() + q * nl, nl, i, k, s.nn_y.data(), s.order);
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
