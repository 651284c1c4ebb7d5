#pragma once
/// @file Built-in synthetic datasets with known structure, for demos, tests and benchmarks.
/// Deterministic: the same options and seed give the same data on every machine.

#include "data/dataset.h"

#include <cstdint>

namespace latentscape::data::synthetic {

struct BlobsOptions {
    std::int64_t n = 3000;    ///< points, split as evenly as possible between the blobs
    std::int64_t d = 50;      ///< dimensions
    int k = 6;                ///< blobs; the label column "blob" holds 0..k-1
    double spread = 1.0;      ///< standard deviation of each blob along every axis
    double separation = 10.0; ///< centres drawn uniformly in [-separation, separation]^d
    std::uint64_t seed = 42;
};
/// Isotropic Gaussian blobs in d dimensions, labelled by blob.
Dataset blobs(const BlobsOptions& options = {});

struct ManifoldOptions {
    std::int64_t n = 3000;  ///< points
    double noise = 0.05;    ///< standard deviation of the Gaussian noise added to x, y, z
    std::uint64_t seed = 42;
};
/// The 3-D Swiss roll (as scikit-learn's make_swiss_roll): numeric metadata "t" (position along
/// the roll) and a categorical label "segment" (t cut into 6 equal bins).
Dataset swiss_roll(const ManifoldOptions& options = {});
/// The 3-D S-curve (as scikit-learn's make_s_curve), with "t" and "segment" as for swiss_roll.
Dataset s_curve(const ManifoldOptions& options = {});

}  // namespace latentscape::data::synthetic
