#pragma once
/// @file Loading datasets from files. Every loader either returns a complete Dataset or throws
/// LoadError (or MissingValuesError) naming the file, the line or byte offset, and the cause.

#include "data/dataset.h"
#include "data/sparse.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace latentscape::data {

/// What to do with missing feature cells (empty, NA, N/A, NaN, null) in text tables.
enum class MissingPolicy {
    Error,      ///< default: refuse, with a MissingValuesError that says how many and where
    DropRows,   ///< drop every row with a missing feature cell (counted in Dataset::missing)
    ImputeMean  ///< replace each missing cell by its column's mean over the present cells
};

/// What a column of a text table is used as.
enum class ColumnRole {
    Feature,   ///< a feature (must hold numbers)
    Label,     ///< the label: metadata, coloured and scored by; integer codes become categories
    Metadata,  ///< kept beside the features (tooltips, colouring), never a feature
    Ignore     ///< not loaded at all
};

/// "feature", "label", "metadata", "ignore".
const char* to_string(ColumnRole role);
/// The role named by to_string's words (any case; also "ignored", "meta"); nullopt otherwise.
std::optional<ColumnRole> column_role_from_string(const std::string& name);

/// Whether a text table's first row is a header.
enum class HeaderMode { Auto, Present, Absent };

/// Whether a plain .npy of native float32 rows is memory-mapped instead of read into memory
/// (see FeatureArray: no copy, no zero-fill, no memory budget of its own; the file must not be
/// rewritten in place while it is open).
enum class MemoryMap {
    Auto,    ///< map matrices of kMapThreshold bytes or more; read smaller ones
    Always,  ///< map whenever the layout allows it
    Never    ///< always read into memory of its own
};
/// The size from which MemoryMap::Auto maps: 64 MiB.
inline constexpr std::uint64_t kMapThreshold = std::uint64_t(64) << 20;

struct LoadOptions {
    /// Label column: a column name for CSV/TSV, an array name inside an .npz. Unset: a column
    /// named label/class/target/y (any case; 'y' not when an 'x' column says they are
    /// coordinates) if there is one, else the first categorical column.
    std::optional<std::string> label;
    /// Separate labels file: a 1-D .npy for .npy features, an IDX labels file for IDX images
    /// (found automatically next to train-images/t10k-images files when unset).
    std::optional<std::string> labels_path;
    /// Metadata TSV of a TensorFlow Embedding Projector pair (vectors TSV + metadata TSV).
    /// Found automatically when the vectors file's name contains "vectors" or "tensors" and a
    /// file with "metadata" in its place exists.
    std::optional<std::string> metadata_path;
    /// Array of features inside an .npz. Unset: the only array, or one named X/x/data/features/
    /// embeddings/arr_0. For an .h5ad, a matrix's path inside the file ("layers/counts", "raw/X",
    /// "obsm/X_pca"); unset: X.
    std::optional<std::string> array;
    MissingPolicy missing = MissingPolicy::Error;
    HeaderMode header = HeaderMode::Auto;
    /// Field delimiter of text tables; ' ' means runs of spaces and tabs, with leading and
    /// trailing ones ignored (numpy.loadtxt's default). Unset: ',' '\t' ';' '|' detected from the
    /// first lines, else whitespace when that splits them into a consistent number of fields
    /// (always '\t' for .tsv).
    std::optional<char> delimiter;
    /// Lines of a text table to skip before anything else is read (a preamble).
    std::int64_t skip_rows = 0;
    /// Lines of a text table whose first non-blank character is this are comments and skipped.
    /// In whitespace-delimited tables, it also ends a line's data (numpy.loadtxt's "1 2 # note").
    /// The comment line just above the first row is taken as the header when it names as many
    /// columns as the rows have (numpy.savetxt's header="..."). Unset: no comments.
    std::optional<char> comment = '#';
    /// Roles of text-table columns by name (for a file without a header: col1, col2, ...);
    /// columns not named here get the automatic role (numbers: feature; text, ids and
    /// label-named columns: metadata). A Label role is the label (as `label`, which must then
    /// name the same column, if set); at most one. A name that is not a column, or Feature for a
    /// column of text, is a LoadError. Ignored by the binary formats.
    std::map<std::string, ColumnRole> roles;
    /// Memory-mapping of .npy feature matrices (other formats are always read).
    MemoryMap memory_map = MemoryMap::Auto;
};

/// Loads any supported file, chosen by extension (".csv", ".tsv", ".txt", ".dat", ".data", ".npy", ".npz",
/// IDX names such as "train-images-idx3-ubyte", each optionally ".gz"; ".h5ad"; ".json" for a shards
/// manifest) and checked against the content (a .csv that holds NPY bytes is refused, not misread).
/// A folder of .npy shards (is_shard_folder) loads as load_shards.
Dataset load(const std::string& path, const LoadOptions& options = {});

/// The format `load` would use for this path: "csv", "tsv", "npy", "npz", "idx", "projector", "h5ad" or
/// "shards" (a .json manifest, or a folder is_shard_folder accepts);
/// throws LoadError for an unsupported extension.
std::string detect_format(const std::string& path, const LoadOptions& options = {});

/// CSV / TSV (plain or gzipped), RFC 4180 quoting, header and delimiter detection.
Dataset load_csv(const std::string& path, const LoadOptions& options = {});
/// NumPy .npy, format versions 1-3.
Dataset load_npy(const std::string& path, const LoadOptions& options = {});
/// NumPy .npz (stored or deflated members, zip64 included).
Dataset load_npz(const std::string& path, const LoadOptions& options = {});
/// MNIST IDX images (+ labels), gzipped or not.
Dataset load_idx(const std::string& path, const LoadOptions& options = {});
/// TensorFlow Embedding Projector: vectors TSV (no header) + optional metadata TSV.
Dataset load_projector(const std::string& vectors_path, const LoadOptions& options = {});
/// AnnData (.h5ad, HDF5; anndata 0.7 and later): X dense or sparse (CSR/CSC, densified after a
/// memory check) as the features, var's index as their names, obs's index as the row ids and its
/// columns as metadata (categoricals decoded; a label chosen as for CSV, with cell_type, leiden,
/// louvain... before the first categorical), and obsm's 2-D arrays (X_umap, X_pca, ...) as
/// Dataset::embeddings. Errors name the object inside the file ("/X/indptr: ...").
Dataset load_h5ad(const std::string& path, const LoadOptions& options = {});
/// NumPy .npy shards read as one dataset, their rows one after another: either a folder of .npy files
/// (in natural name order, part-2 before part-10; NAME.labels.npy beside NAME.npy holds its rows'
/// labels, for every shard or none), or a manifest, JSON, the folder's manifest.json when it has one:
///   {"format": "latentscape-shards", "version": 1,
///    "shards": [{"features": "part-00000.npy", "labels": "part-00000.labels.npy", "rows": 1000}, ...]}
/// ("labels" and "rows" optional; paths relative to the manifest's folder). Every shard must have the
/// same columns; errors name the shard. Native float32 shards are mapped while they are copied, so
/// the peak is about the dataset itself. Dataset::format is "shards".
Dataset load_shards(const std::string& path, const LoadOptions& options = {});
/// Whether `path` is a folder load() reads as shards: it holds a manifest.json or an .npy file.
bool is_shard_folder(const std::string& path);
/// The files a shards dataset is read from, in order: the manifest (if any), then each shard's
/// features and labels. What a session hashes to know the dataset has not changed.
std::vector<std::string> shard_files(const std::string& path);

/// An .h5ad's sparse X (or the sparse matrix LoadOptions::array names) as it is, not densified:
/// CSR kept, CSC converted, duplicate entries within a row summed, columns sorted. Checked as
/// load_h5ad checks it, with the same errors; a dense X is a LoadError (use load_h5ad). Memory:
/// about 16 bytes per stored value while converting, 8 after. With `rows`, also the rows'
/// description as load_h5ad reads it: n, row ids, obs columns as metadata and the label, with no
/// feature columns (d = 0).
CsrMatrix load_h5ad_csr(const std::string& path, const LoadOptions& options = {}, Dataset* rows = nullptr);
/// Whether an .h5ad's X (or the matrix LoadOptions::array names) is stored sparse: reads the
/// file's structure only. Throws LoadError as load_h5ad does for a file without a usable X.
bool h5ad_x_is_sparse(const std::string& path, const LoadOptions& options = {});

/// ASCII lower case (file names, column names).
std::string lower(std::string s);

/// Names used for an automatic label column: label, class, target, y (case-insensitive).
bool is_label_name(const std::string& column_name);

}  // namespace latentscape::data
