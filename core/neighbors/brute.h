#pragma once
/// @file Exact nearest neighbours in double precision from whole distance rows: the reference
/// search of the module, and the building blocks of callers that need every distance of a row
/// (the quality metrics rank all n points, not only the k nearest).
///
/// Distances are squared Euclidean, computed from float inputs in double precision (each
/// coordinate difference is exact in double), so rankings match a float64 reference such as
/// scikit-learn's. Ties are broken by point index: the order is (distance, index), which makes
/// every result deterministic and independent of the thread count. O(n^2 d) without the SIMD
/// fusion of exact_knn() (knn.h): use that one for speed, this one where the ranking must be
/// the float64 ranking exactly (exact_knn()'s float filter may swap neighbours whose distances
/// agree to ~1e-7 relative).

#include "common/parallel.h"
#include "neighbors/knn.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace latentscape::neighbors {

namespace detail {
/// Squared Euclidean distance of two d-dimensional rows of T (float or double), accumulated in
/// double in a fixed order: eight interleaved partial sums (which the compiler vectorises),
/// added pairwise at the end.
template <class T>
inline double squared_distance_of(const T* a, const T* b, std::int64_t d) {
    double acc[8] = {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0};
    std::int64_t t = 0;
    for (; t + 8 <= d; t += 8)
#pragma GCC unroll 8
        for (int l = 0; l < 8; ++l) {
            const double diff = double(a[t + l]) - double(b[t + l]);
            acc[l] += diff * diff;
        }
    for (; t < d; ++t) {
        const double diff = double(a[t]) - double(b[t]);
        acc[0] += diff * diff;
    }
    return ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
}
}  // namespace detail

/// Squared Euclidean distance between two d-dimensional float rows, in double, in a fixed order,
/// so the value never depends on threads or on the caller.
inline double squared_distance(const float* a, const float* b, std::int64_t d) {
    return detail::squared_distance_of(a, b, d);
}

/// squared_distance() of two rows already widened to double: the same operations in the same
/// order, for callers that compare one row with many and convert each row once. The compiler
/// may fuse multiply-adds differently in the two, so a value can differ in its last bit (seen
/// for d = 7 in 2% of pairs, none for d a multiple of 8): a search uses one of them throughout.
/// squared_distance_rows() and the metrics use this one.
inline double squared_distance(const double* a, const double* b, std::int64_t d) {
    return detail::squared_distance_of(a, b, d);
}

/// Exact k nearest neighbours of every row of X (n x d, row-major), self excluded, ordered by
/// (squared distance in double, index); the graph stores them rounded to float, exact = true.
/// Brute force in blocks of query rows, parallel over blocks: O(n^2 d) time. Throws
/// std::invalid_argument unless 1 <= k < n, n < 2^31 and X is non-null and finite.
KnnGraph brute_force_knn(const float* X, std::int64_t n, std::int64_t d, int k);

/// Building blocks for searches over whole distance rows.
namespace rows {

/// Query rows handled together: each reference row is loaded once per block, not once per query.
inline constexpr std::int64_t query_block = 16;

/// Splits m queries into blocks of query_block and calls body(scratch, first, count) for each, in
/// parallel; `scratch` is a default-constructed Scratch reused by everything one thread runs.
template <class Scratch, class Body>
void for_each_query_block(std::int64_t m, Body&& body) {
    std::vector<Scratch> scratch(static_cast<std::size_t>(parallel::max_threads()));
    const std::int64_t blocks = (m + query_block - 1) / query_block;
    parallel::for_each_with_thread(blocks, [&](int thread, std::int64_t b) {
        const std::int64_t first = b * query_block;
        body(scratch[std::size_t(thread)], first, std::min(query_block, m - first));
    });
}

/// out[q * n + j] = squared_distance(row queries[q], row j) for q in [0, count), j in [0, n).
void squared_distance_rows(const float* X, std::int64_t n, std::int64_t d, const std::int64_t* queries,
                           std::int64_t count, double* out);

/// Writes to `out` the k ids nearest by (row[j], j) among j in [0, n), j != self, nearest first.
/// `scratch` is reused storage (k entries).
void select_nearest(const double* row, std::int64_t n, std::int64_t self, int k, std::int64_t* out,
                    std::vector<std::int64_t>& scratch);

}  // namespace rows
}  // namespace latentscape::neighbors
