// Exact neighbours in double precision from whole distance rows (neighbors/brute.h).
#include "neighbors/brute.h"

#include "common/parallel.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace latentscape::neighbors {
namespace rows {

void squared_distance_rows(const float* X, std::int64_t n, std::int64_t d, const std::int64_t* queries,
                           std::int64_t count, double* out) {
    // Every row widened to double once (exact), not once per pair.
    std::vector<double> query_rows(static_cast<std::size_t>(count * d)), ref(static_cast<std::size_t>(d));
    for (std::int64_t q = 0; q < count; ++q)
        for (std::int64_t t = 0; t < d; ++t) query_rows[std::size_t(q * d + t)] = X[queries[q] * d + t];
    for (std::int64_t j = 0; j < n; ++j) {
        for (std::int64_t t = 0; t < d; ++t) ref[std::size_t(t)] = X[j * d + t];
        for (std::int64_t q = 0; q < count; ++q)
            out[q * n + j] = squared_distance(query_rows.data() + q * d, ref.data(), d);
    }
}

void select_nearest(const double* row, std::int64_t n, std::int64_t self, int k, std::int64_t* out,
                    std::vector<std::int64_t>& scratch) {
    // One pass with a max-heap of the k best so far (heap order on `less`): ids come in ascending
    // order, so a later id whose distance ties the worst kept one never displaces it, which is
    // the (row[j], j) order. O(n) and no copy of the row's ids (80 MB at 10,000,000 points).
    const auto less = [row](std::int64_t a, std::int64_t b) { return row[a] < row[b] || (row[a] == row[b] && a < b); };
    scratch.clear();
    std::int64_t j = 0;
    for (; j < n && std::int64_t(scratch.size()) < k; ++j)
        if (j != self) scratch.push_back(j);
    std::make_heap(scratch.begin(), scratch.end(), less);
    double worst = scratch.empty() ? 0.0 : row[scratch.front()];
    for (; j < n; ++j) {
        if (!(row[j] < worst) || j == self) continue;
        std::pop_heap(scratch.begin(), scratch.end(), less);
        scratch.back() = j;
        std::push_heap(scratch.begin(), scratch.end(), less);
        worst = row[scratch.front()];
    }
    std::sort_heap(scratch.begin(), scratch.end(), less);
    std::copy(scratch.begin(), scratch.end(), out);
}

}  // namespace rows

KnnGraph brute_force_knn(const float* X, std::int64_t n, std::int64_t d, int k) {
    if (n < 1 || d < 1)
        throw std::invalid_argument("X must have at least one row and one column (got " + std::to_string(n) + " x " +
                                    std::to_string(d) + ")");
    if (!X) throw std::invalid_argument("X is null");
    if (n > std::numeric_limits<std::int32_t>::max())
        throw std::invalid_argument("neighbour search supports at most 2^31 - 1 rows");
    const std::int64_t bad = parallel::first_index_where(n * d, [&](std::int64_t e) { return !std::isfinite(X[e]); });
    if (bad < n * d)
        throw std::invalid_argument("X has a non-finite value at row " + std::to_string(bad / d) + ", column " +
                                    std::to_string(bad % d));
    if (k < 1) throw std::invalid_argument("k (" + std::to_string(k) + ") must be >= 1");
    if (k >= n) throw std::invalid_argument("k (" + std::to_string(k) + ") must be < n (" + std::to_string(n) + ")");
    KnnGraph graph;
    graph.n = n;
    graph.k = k;
    graph.exact = true;
    graph.indices.resize(std::size_t(n * k));
    graph.sq_distances.resize(std::size_t(n * k));
    struct Scratch {
        std::vector<double> rows;
        std::vector<std::int64_t> ids, order, nearest;
    };
    rows::for_each_query_block<Scratch>(n, [&](Scratch& s, std::int64_t first, std::int64_t count) {
        s.ids.resize(std::size_t(count));
        for (std::int64_t q = 0; q < count; ++q) s.ids[std::size_t(q)] = first + q;
        s.rows.resize(std::size_t(count * n));
        s.nearest.resize(std::size_t(k));
        rows::squared_distance_rows(X, n, d, s.ids.data(), count, s.rows.data());
        for (std::int64_t q = 0; q < count; ++q) {
            const std::int64_t i = first + q;
            const double* row = s.rows.data() + q * n;
            rows::select_nearest(row, n, i, k, s.nearest.data(), s.order);
            for (int m = 0; m < k; ++m) {
                graph.indices[std::size_t(i * k + m)] = std::int32_t(s.nearest[std::size_t(m)]);
                graph.sq_distances[std::size_t(i * k + m)] = float(row[s.nearest[std::size_t(m)]]);
            }
        }
    });
    return graph;
}

}  // namespace latentscape::neighbors
