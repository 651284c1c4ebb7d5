#pragma once
/// @file Writing datasets. Every writer is atomic: a temporary file renamed over the target.

#include "data/dataset.h"

#include <iosfwd>
#include <string>

namespace latentscape::data {

/// CSV with a header: the feature columns, then every metadata column (quoted where needed).
/// Floats are written in their shortest round-trip form.
void write_csv(const Dataset& ds, const std::string& path);

/// NPY (format 1.0, little-endian float32, C order) of the n x d feature matrix only.
void write_npy(const Dataset& ds, const std::string& path);

/// NPZ (stored members): "X" the features (float32), plus "labels" when the dataset has a
/// categorical or numeric label: integer categories as their values (int64; float64 with NaN for
/// missing), other categories as codes 0..k-1 (int32, or float64 with NaN; the names are lost,
/// see npz_loses_label_names), numeric labels as float64. Text labels are not written.
void write_npz(const Dataset& ds, const std::string& path);

/// True when write_npz can only store this dataset's label as codes, dropping category names.
bool npz_loses_label_names(const Dataset& ds);

/// Writes by extension: .csv, .npy or .npz; throws std::invalid_argument for any other.
void write(const Dataset& ds, const std::string& path);

namespace internal {
/// Writes one CSV field, quoted as RFC 4180 says when it holds a comma, a quote or a line break
/// (shared with the embedding export, data/export.h).
void put_csv_field(std::ostream& out, const std::string& s);
}  // namespace internal

}  // namespace latentscape::data
