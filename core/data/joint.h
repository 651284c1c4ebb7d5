#pragma once
/// @file Real rows and generated ones in one dataset, to embed them side by side.

#include "data/dataset.h"

#include <cstdint>
#include <string>

namespace latentscape::data {

/// `real`'s rows followed by n generated rows (real.d values each, row-major): the features, a
/// categorical "source" column (real / `generator`: "gan", "vae") that becomes the label, the
/// real label kept as a column (missing for generated rows), the other metadata columns dropped,
/// and, when `real` has images of d 8-bit pixels, the generated rows as images too (rounded,
/// clamped to 0..255). Row ids are the real ones, then "<generator>-1", "<generator>-2", ...
/// Throws std::invalid_argument for a negative n or a null `rows` with n > 0.
Dataset append_generated(const Dataset& real, const float* rows, std::int64_t n, const std::string& generator);

}  // namespace latentscape::data
