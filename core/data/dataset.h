#pragma once
/// @file The in-memory dataset every loader produces and every algorithm reads.

#include "common/default_init.h"
#include "data/feature_array.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace latentscape::data {

/// What a metadata column holds. Metadata is never used as features.
enum class ColumnKind { Categorical, Numeric, Text };

/// Name of a ColumnKind, for messages and JSON ("categorical", "numeric", "text").
const char* to_string(ColumnKind kind);

/// One metadata column (labels, ids, free text, numeric annotations). Exactly one of the value
/// vectors is filled, according to `kind`, with one entry per dataset row.
struct MetadataColumn {
    std::string name;
    ColumnKind kind = ColumnKind::Text;
    std::vector<std::int32_t> codes;      ///< Categorical: index into `categories`; -1 = missing
    std::vector<std::string> categories;  ///< Categorical: the distinct values, in code order
    std::vector<double> numbers;          ///< Numeric: NaN = missing
    std::vector<std::string> texts;       ///< Text: empty string = missing

    static MetadataColumn categorical(std::string name, std::vector<std::int32_t> codes,
                                      std::vector<std::string> categories);
    static MetadataColumn numeric(std::string name, std::vector<double> numbers);
    static MetadataColumn text(std::string name, std::vector<std::string> texts);

    /// Number of rows this column holds.
    std::size_t size() const;
    /// Row i rendered as text ("" when missing), for tables, tooltips and CSV export.
    std::string value_string(std::size_t i) const;
    /// Number of missing entries.
    std::size_t missing_count() const;
};

/// Images attached to the rows (MNIST-style data): n images of width x height x channels bytes.
struct ImageStack {
    int width = 0;
    int height = 0;
    int channels = 1;                  ///< 1 = grey, 3 = RGB
    std::vector<std::uint8_t> pixels;  ///< row-major, image after image

    bool empty() const { return pixels.empty(); }
    std::size_t image_bytes() const { return std::size_t(width) * height * channels; }
    const std::uint8_t* image(std::size_t i) const { return pixels.data() + i * image_bytes(); }
};

/// How missing feature cells were handled while loading (all zero when there were none).
struct MissingReport {
    std::int64_t cells = 0;         ///< missing feature cells found in the file
    std::int64_t rows_dropped = 0;  ///< rows removed by MissingPolicy::DropRows
    std::int64_t cells_imputed = 0; ///< cells replaced by their column mean (MissingPolicy::ImputeMean)
};

/// An embedding computed elsewhere and stored with the data (AnnData's obsm: X_umap, X_pca,
/// X_tsne, ...), ready to be shown as a finished run without computing anything.
struct PrecomputedEmbedding {
    std::string name;          ///< the key it was stored under ("X_umap")
    std::int64_t dims = 0;     ///< columns: 2 or 3 for a plot, more for PCA scores (X_pca has 50)
    std::vector<float> values; ///< n * dims, row-major: row i at [i * dims, (i + 1) * dims)

    const float* row(std::int64_t i) const { return values.data() + i * dims; }
};

/// An n x d float32 feature matrix (row-major, contiguous) plus everything that is not a feature.
/// Loaders build it completely or throw; the rest of the program shares it as
/// `std::shared_ptr<const Dataset>`.
struct Dataset {
    std::int64_t n = 0;                      ///< rows (points)
    std::int64_t d = 0;                      ///< feature columns
    FeatureArray features;                   ///< n * d values, row i at [i * d, (i + 1) * d); may map a file
    std::vector<std::string> feature_names;  ///< d names
    std::vector<MetadataColumn> metadata;    ///< each with n entries
    std::optional<std::size_t> label_column; ///< index into metadata of the label, if any
    std::vector<std::string> row_ids;        ///< n ids, or empty when rows are simply 0..n-1
    ImageStack images;                       ///< empty, or one image per row
    std::string source;                      ///< path (or description) it was loaded from
    std::string format;                      ///< "csv", "tsv", "npy", "npz", "idx", "projector", "h5ad", "synthetic"
    MissingReport missing;
    /// Embeddings stored in the file (an .h5ad's obsm), each with n rows; empty for other formats.
    std::vector<PrecomputedEmbedding> embeddings;

    const float* row(std::int64_t i) const { return features.data() + i * d; }
    float at(std::int64_t i, std::int64_t j) const { return features[std::size_t(i * d + j)]; }
    /// The label column, or nullptr.
    const MetadataColumn* label() const;
    /// Index of the metadata column with this name, if present.
    std::optional<std::size_t> find_metadata(const std::string& name) const;
    /// The stored embedding with this name ("X_umap"), or nullptr.
    const PrecomputedEmbedding* find_embedding(const std::string& name) const;
    /// Id of row i: row_ids[i], or its index as text.
    std::string row_id(std::int64_t i) const;
    /// Throws std::logic_error if the sizes disagree; loaders call it before returning.
    void check_consistent() const;
};

}  // namespace latentscape::data
