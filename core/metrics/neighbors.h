#pragma once
/// @file The metrics' nearest neighbours, kept under their old names for existing callers: the
/// search now lives in the neighbour module (neighbors/brute.h), and its graph is the module's
/// one result type, neighbors::KnnGraph (int32 ids, squared distances rounded to float).

#include "neighbors/brute.h"

#include <cstdint>

namespace latentscape::metrics {

using neighbors::KnnGraph;
using neighbors::squared_distance;

/// neighbors::brute_force_knn(): exact k nearest neighbours of every row, self excluded, ordered
/// by (squared distance in double, index).
inline KnnGraph exact_knn(const float* X, std::int64_t n, std::int64_t d, int k) {
    return neighbors::brute_force_knn(X, n, d, k);
}

}  // namespace latentscape::metrics
