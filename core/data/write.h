#pragma once
/// @file Writing datasets. Every writer is atomic: a temporary file renamed over the target.

#include "data/dataset.h"

#include <string>

namespace latentscape::data {

/// CSV with a header: the feature columns, then every metadata column (quoted where needed).
/// Floats are written in their shortest round-trip form.
void write_csv(const Dataset& ds, const std::string& path);

/// NPY (format 1.0, little-endian float32, C order) of the n x d feature matrix only.
void write_npy(const Dataset& ds, const std::string& path);

/// NPZ (stored members): "X" the features (float32), plus "labels" (int32 codes, -1 = missing)
/// when the dataset has a categorical label.
void write_npz(const Dataset& ds, const std::string& path);

/// Writes by extension: .csv, .npy or .npz; throws std::invalid_argument for any other.
void write(const Dataset& ds, const std::string& path);

}  // namespace latentscape::data
