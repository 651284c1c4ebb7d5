#pragma once
/// @file Pieces shared by kmeans.cpp and kmeans_scan.cpp (not part of the public API).

#include "cluster/kmeans.h"
#include "common/distance.h"
#include "common/parallel.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace latentscape::cluster::detail {

/// Squared Euclidean distance in float with 8 independent partial sums, combined in a fixed
/// order: vectorisable without -ffast-math, and the same value wherever it is called.
inline float sq_dist(const float* a, const float* b, std::int64_t d) {
    float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    std::int64_t j = 0;
    for (; j + 8 <= d; j += 8)
        for (int l = 0; l < 8; ++l) {
            const float t = a[j + l] - b[j + l];
            acc[l] += t * t;
        }
    float tail = 0.0f;
    for (; j < d; ++j) {
        const float t = a[j] - b[j];
        tail += t * t;
    }
    return (((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]))) + tail;
}

/// Squared Euclidean distance accumulated in double (inertia, silhouette).
inline double sq_dist_double(const float* a, const float* b, std::int64_t d) {
    return squared_distance_sequential(a, b, d);
}

/// Number of point blocks for sums over points: a function of the sizes only (never of the
/// thread count), at most 64, and small enough that `per_block` doubles per block stay under
/// 32 MB in all.
inline std::int64_t block_count(std::int64_t n, std::int64_t per_block = 0) {
    std::int64_t c = std::min<std::int64_t>(64, std::max<std::int64_t>(1, n / 512));
    if (per_block > 0) c = std::min(c, std::max<std::int64_t>(1, (std::int64_t(4) << 20) / per_block));
    return c;
}
inline std::int64_t block_begin(std::int64_t n, std::int64_t blocks, std::int64_t b) { return n * b / blocks; }

/// Sum of f(i) over [0, n) in double: sequential within fixed blocks, blocks added in order.
template <class F>
double blocked_sum(std::int64_t n, F&& f) {
    const std::int64_t nb = block_count(n);
    std::vector<double> part(std::size_t(nb), 0.0);
    parallel::for_each(
        nb,
        [&](std::int64_t b) {
            double s = 0.0;
            const std::int64_t end = block_begin(n, nb, b + 1);
            for (std::int64_t i = block_begin(n, nb, b); i < end; ++i) s += f(i);
            part[std::size_t(b)] = s;
        },
        nb > 1);
    double total = 0.0;
    for (double p : part) total += p;
    return total;
}

/// One k-means run (options.restarts is ignored) from the given k x d initial centres instead of
/// k-means++: for tests (empty-cluster re-seeding) and for comparisons with a reference started
/// from the same centres. Validates like kmeans(); also throws if centres has not k * d values.
KMeansResult kmeans_from(const float* X, std::int64_t n, std::int64_t d, const KMeansOptions& options,
                         std::vector<float> centres);

}  // namespace latentscape::cluster::detail
