#include "metrics/neighbors.h"

#include "common/parallel.h"
#include "metrics/estimate.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace latentscape::metrics {
namespace detail {

void squared_distance_rows(const float* X, std::int64_t n, std::int64_t d, const std::int64_t* queries,
                           std::int64_t count, double* out) {
    for (std::int64_t j = 0; j < n; ++j) {
        const float* ref = X + j * d;
        for (std::int64_t q = 0; q < count; ++q) out[q * n + j] = squared_distance(X + queries[q] * d, ref, d);
    }
}

void select_nearest(const double* row, std::int64_t n, std::int64_t self, int k, std::int64_t* out,
                    std::vector<std::int64_t>& scratch) {
    scratch.resize(std::size_t(n));
    std::int64_t m = 0;
    for (std::int64_t j = 0; j < n; ++j)
        if (j != self) scratch[std::size_t(m++)] = j;
    const auto less = [row](std::int64_t a, std::int64_t b) { return row[a] < row[b] || (row[a] == row[b] && a < b); };
    auto first = scratch.begin();
    auto last = first + m;
    std::nth_element(first, first + (k - 1), last, less);
    std::sort(first, first + k, less);
    std::copy(first, first + k, out);
}

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

}  // namespace detail

KnnGraph exact_knn(const float* X, std::int64_t n, std::int64_t d, int k) {
    detail::check_matrix("X", X, n, d);
    if (k < 1) throw std::invalid_argument("k (" + std::to_string(k) + ") must be >= 1");
    if (k >= n) throw std::invalid_argument("k (" + std::to_string(k) + ") must be < n (" + std::to_string(n) + ")");
    KnnGraph graph;
    graph.n = n;
    graph.k = k;
    graph.indices.resize(std::size_t(n * k));
    graph.sq_distances.resize(std::size_t(n * k));
    struct Scratch {
        std::vector<double> rows;
        std::vector<std::int64_t> ids, order;
    };
    detail::for_each_query_block<Scratch>(n, [&](Scratch& s, std::int64_t first, std::int64_t count) {
        s.ids.resize(std::size_t(count));
        for (std::int64_t q = 0; q < count; ++q) s.ids[std::size_t(q)] = first + q;
        s.rows.resize(std::size_t(count * n));
        detail::squared_distance_rows(X, n, d, s.ids.data(), count, s.rows.data());
        for (std::int64_t q = 0; q < count; ++q) {
            const std::int64_t i = first + q;
            const double* row = s.rows.data() + q * n;
            std::int64_t* out = graph.indices.data() + i * k;
            detail::select_nearest(row, n, i, k, out, s.order);
            for (int m = 0; m < k; ++m) graph.sq_distances[std::size_t(i * k + m)] = row[out[m]];
        }
    });
    return graph;
}

}  // namespace latentscape::metrics
