// t-SNE's input affinities: a Gaussian per point whose bandwidth matches the perplexity, then the
// symmetrised joint distribution in compressed rows.
#include "reduce/tsne_internal.h"

#include "common/parallel.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace latentscape::reduce::tsne::internal {

double conditional_row(const float* sq_distances, int k, double perplexity, double* p) {
    const double target = std::log(perplexity);
    // Distances relative to the nearest: the same distribution, no underflow of exp() for
    // points far from everything.
    const double d0 = sq_distances[0];
    double beta = 1.0;
    double lo = 0.0;
    double hi = std::numeric_limits<double>::infinity();
    // Entropy H(beta) = log(sum) + beta * sum(p_j * d_j) / sum falls monotonically from log(k)
    // (beta = 0) to log(#nearest ties) (beta -> inf), with slope dH/dbeta = -beta Var_p(d).
    // Newton steps on it, kept inside the bracket [lo, hi] that every evaluation narrows (a step
    // that would leave it bisects, or doubles while hi is unknown): ~6 evaluations instead of
    // bisection's ~40 for the same tolerance.
    // The scale of beta is set by the distances, so start from their spread.
    const double spread = double(sq_distances[k - 1]) - d0;
    if (spread > 0.0) beta = 1.0 / spread;
    bool converged = false;
    for (int step = 0; step < 200; ++step) {
        double sum = 0.0;
        double weighted = 0.0;
        double weighted2 = 0.0;
        for (int j = 0; j < k; ++j) {
            const double dj = double(sq_distances[j]) - d0;
            const double e = std::exp(-beta * dj);
            p[j] = e;
            sum += e;
            weighted += e * dj;
            weighted2 += e * dj * dj;
        }
        const double mean = weighted / sum;
        const double entropy = std::log(sum) + beta * mean;
        const double diff = entropy - target;
        if (std::abs(diff) < 1e-10) {
            converged = true;
            break;
        }
        if (diff > 0.0)  // too flat: narrower Gaussian
            lo = beta;
        else
            hi = beta;
        const double slope = -beta * std::max(weighted2 / sum - mean * mean, 0.0);
        const double newton = slope < 0.0 ? beta - diff / slope : std::numeric_limits<double>::quiet_NaN();
        if (newton > lo && newton < hi)
            beta = newton;
        else
            beta = std::isinf(hi) ? beta * 2.0 : 0.5 * (lo + hi);
        if (beta > 1e300) break;  // the nearest ties outnumber the perplexity: p is uniform over them
    }
    double sum = 0.0;
    if (converged) {
        for (int j = 0; j < k; ++j) sum += p[j];
    } else {
        for (int j = 0; j < k; ++j) {
            const double dj = double(sq_distances[j]) - d0;
            p[j] = std::exp(-beta * dj);
            sum += p[j];
        }
    }
    for (int j = 0; j < k; ++j) p[j] /= sum;
    return beta;
}

std::vector<std::int32_t> locality_order(const Knn& knn) {
    const std::int64_t n = knn.n;
    const int k = knn.k;
    std::vector<std::int32_t> order;
    order.reserve(std::size_t(n));
    std::vector<char> reached(std::size_t(n), 0);
    // `order` doubles as the queue: the points taken so far, each visited in turn.
    std::size_t next = 0;
    for (std::int64_t root = 0; root < n; ++root) {
        if (reached[std::size_t(root)]) continue;
        reached[std::size_t(root)] = 1;
        order.push_back(std::int32_t(root));
        for (; next < order.size(); ++next) {
            const std::int64_t u = order[next];
            for (int a = 0; a < k; ++a) {
                const std::int32_t v = knn.indices[std::size_t(u * k + a)];
                if (reached[std::size_t(v)]) continue;
                reached[std::size_t(v)] = 1;
                order.push_back(v);
            }
        }
    }
    return order;
}

Affinities affinities(const Knn& knn, double perplexity, RowOrder row_order) {
    const std::int64_t n = knn.n;
    const int k = knn.k;
    std::vector<double> conditional(std::size_t(n * k));
    parallel::for_each(n, [&](std::int64_t i) {
        conditional_row(knn.sq_distances.data() + i * k, k, perplexity, conditional.data() + i * k);
    });

    // Transpose: for each j, the rows i that chose j, in increasing i (counting sort).
    std::vector<std::int64_t> t_start(std::size_t(n + 1), 0);
    for (std::int64_t e = 0; e < n * k; ++e) ++t_start[std::size_t(knn.indices[std::size_t(e)]) + 1];
    for (std::int64_t j = 0; j < n; ++j) t_start[std::size_t(j + 1)] += t_start[std::size_t(j)];
    std::vector<std::int32_t> t_rows(std::size_t(n * k));
    std::vector<double> t_values(std::size_t(n * k));
    {
        std::vector<std::int64_t> fill(t_start.begin(), t_start.end() - 1);
        for (std::int64_t i = 0; i < n; ++i)
            for (int a = 0; a < k; ++a) {
                const std::size_t e = std::size_t(i * k + a);
                const std::size_t slot = std::size_t(fill[std::size_t(knn.indices[e])]++);
                t_rows[slot] = std::int32_t(i);
                t_values[slot] = conditional[e];
            }
    }

    // Row i of P merges i's own choices (sorted by column) with the rows that chose i.
    auto sorted_row = [&](std::int64_t i, std::vector<std::pair<std::int32_t, double>>& out) {
        out.clear();
        for (int a = 0; a < k; ++a)
            out.emplace_back(knn.indices[std::size_t(i * k + a)], conditional[std::size_t(i * k + a)]);
        std::sort(out.begin(), out.end());
    };
    auto merge = [&](std::int64_t i, const std::vector<std::pair<std::int32_t, double>>& own, auto&& emit) {
        std::size_t a = 0;
        std::int64_t b = t_start[std::size_t(i)];
        const std::int64_t b_end = t_start[std::size_t(i + 1)];
        while (a < own.size() || b < b_end) {
            if (b >= b_end || (a < own.size() && own[a].first < t_rows[std::size_t(b)])) {
                emit(own[a].first, own[a].second);
                ++a;
            } else if (a >= own.size() || t_rows[std::size_t(b)] < own[a].first) {
                emit(t_rows[std::size_t(b)], t_values[std::size_t(b)]);
                ++b;
            } else {
                emit(own[a].first, own[a].second + t_values[std::size_t(b)]);
                ++a;
                ++b;
            }
        }
    };

    Affinities P;
    P.n = n;
    // Row r holds point P.point(r); a column j is written as position_of[j].
    std::vector<std::int32_t> position_of;
    if (row_order == RowOrder::Locality) {
        P.order = locality_order(knn);
        position_of.resize(std::size_t(n));
        for (std::int64_t r = 0; r < n; ++r) position_of[std::size_t(P.order[std::size_t(r)])] = std::int32_t(r);
    }
    P.row_start.assign(std::size_t(n + 1), 0);
    std::vector<std::vector<std::pair<std::int32_t, double>>> scratch(static_cast<std::size_t>(parallel::max_threads()));
    parallel::for_each_with_thread(n, [&](int thread, std::int64_t r) {
        auto& own = scratch[std::size_t(thread)];
        const std::int64_t i = P.point(r);
        sorted_row(i, own);
        std::int64_t count = 0;
        merge(i, own, [&](std::int32_t, double) { ++count; });
        P.row_start[std::size_t(r + 1)] = count;
    });
    for (std::int64_t r = 0; r < n; ++r) P.row_start[std::size_t(r + 1)] += P.row_start[std::size_t(r)];
    P.columns.resize(std::size_t(P.row_start.back()));
    P.values.resize(std::size_t(P.row_start.back()));
    const double scale = 1.0 / (2.0 * double(n));
    std::vector<std::vector<std::pair<std::int32_t, double>>> renumbered(scratch.size());
    parallel::for_each_with_thread(n, [&](int thread, std::int64_t r) {
        auto& own = scratch[std::size_t(thread)];
        const std::int64_t i = P.point(r);
        sorted_row(i, own);
        std::size_t slot = std::size_t(P.row_start[std::size_t(r)]);
        if (position_of.empty()) {
            merge(i, own, [&](std::int32_t j, double v) {
                P.columns[slot] = j;
                P.values[slot] = v * scale;
                ++slot;
            });
            return;
        }
        // The same entries under their positions, ascending again.
        auto& row = renumbered[std::size_t(thread)];
        row.clear();
        merge(i, own, [&](std::int32_t j, double v) { row.emplace_back(position_of[std::size_t(j)], v * scale); });
        std::sort(row.begin(), row.end());
        for (const auto& [j, v] : row) {
            P.columns[slot] = j;
            P.values[slot] = v;
            ++slot;
        }
    });
    return P;
}

}  // namespace latentscape::reduce::tsne::internal
