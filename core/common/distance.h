#pragma once
/// @file Distance kernels shared by the clustering code.

#include <cstdint>

namespace latentscape {

/// Squared Euclidean distance of two d-dimensional float rows, accumulated in double in index
/// order: the exact value k-means' inertia and DBSCAN's eps test rely on, the same wherever it is
/// called.
inline double squared_distance_sequential(const float* a, const float* b, std::int64_t d) {
    double s = 0.0;
    for (std::int64_t j = 0; j < d; ++j) {
        const double t = double(a[j]) - double(b[j]);
        s += t * t;
    }
    return s;
}

}  // namespace latentscape
