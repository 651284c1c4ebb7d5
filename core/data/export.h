#pragma once
/// @file Exporting what an exploration produced: an embedding of a dataset's rows with their ids
/// and metadata (CSV, or NPY plus a sidecar CSV), and one label column with the row ids.
/// Every file is written atomically (io::write_atomically): a failed export leaves the files
/// that were there before unchanged and no partial file behind.
///
/// The CSV columns, in this order:
///   id        the row's id (Dataset::row_id: the file's id column, else the row index)
///   index     the row's 0-based index in the dataset (so rows of a partial export can be found)
///   <label>   the label column under its own name, when the dataset has one
///   ...       every other metadata column in dataset order ("cluster" and "groups" included)
///   selected  1 or 0, when a selection is given
///   <coords>  the coordinates, e.g. tSNE1, tSNE2, as float32 in their shortest round-trip form
/// A metadata column that only repeats the id or the index under that name is not written twice;
/// one whose name is taken by another column is written as "<name>_2" (or _3, ...).
/// Loaded back with data::load, "id" and "index" are recognised as ids (not features).

#include "data/dataset.h"
#include "select/selection.h"

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace latentscape::data {

/// What export_embedding writes besides the coordinates, and which rows.
struct EmbeddingExportOptions {
    /// Prefix of the coordinate columns: "tSNE" names them tSNE1, tSNE2, ... Default "dim".
    std::string method = "dim";
    /// Explicit names of the coordinate columns, one per dimension (e.g. the two plotted
    /// features); when not empty, `method` is not used.
    std::vector<std::string> coordinate_names;
    /// The selection (one bit per dataset row). When set, a "selected" column (1/0) is written.
    /// Unset: no such column.
    std::optional<select::Selection> selection;
    /// Export only the selected rows, in increasing row order (requires a non-empty
    /// `selection`). False: every row.
    bool selection_only = false;
};

/// Writes `embedding` (ds.n x dims floats, row-major) of the rows of `ds` to `path`, by extension:
/// - ".csv": one line per exported row with the columns described at the top of this file;
/// - ".npy": the coordinates only (float32, little-endian, C order, exported rows x dims, in
///   order), plus a sidecar "<path without .npy>.meta.csv" with the same non-coordinate columns
///   as the CSV, row for row. The sidecar is written first under a temporary name and renamed
///   into place after the NPY, so a failure leaves the old pair (if any) as it was.
/// Returns the files written (the main file first). Throws std::invalid_argument for another
/// extension, an embedding of the wrong size, dims < 1, a selection of the wrong size, names of
/// the wrong count or `selection_only` without selected rows; std::runtime_error naming the path
/// when the file cannot be written.
std::vector<std::string> export_embedding(const Dataset& ds, std::span<const float> embedding, int dims,
                                          const std::string& path, const EmbeddingExportOptions& options = {});

/// The sidecar export_embedding writes next to an NPY export: "a/emb.npy" -> "a/emb.meta.csv".
std::string embedding_sidecar_path(const std::string& npy_path);

/// Writes one metadata column (cluster ids, groups, a label: any kind) as a CSV with a header
/// "id,<column>" and one line per row (only the rows of `rows`, in increasing order, when given):
/// the row id and the value as text, empty where missing (DBSCAN noise in "cluster").
/// Throws std::invalid_argument for an unknown column, a path not ending in ".csv" or a
/// selection of the wrong size; std::runtime_error naming the path when it cannot be written.
void export_labels(const Dataset& ds, const std::string& column, const std::string& path,
                   const std::optional<select::Selection>& rows = std::nullopt);

}  // namespace latentscape::data
