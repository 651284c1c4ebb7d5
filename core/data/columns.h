#pragma once
/// @file A quick look at a text table's columns before loading it: names, whether each holds
/// numbers, how many distinct values, the role loading would give it, and whether it looks like
/// a class (for the GUI's Columns dialog and its "use it as the label?" offer).

#include "data/load.h"

#include <cstdint>
#include <string>
#include <vector>

namespace latentscape::data {

/// One column as inspect_columns sees it.
struct ColumnInfo {
    std::string name;
    bool numeric = false;          ///< mostly numbers (a feature candidate)
    bool integral = false;         ///< numeric and every number an integer
    std::int64_t distinct = 0;     ///< distinct present values among the rows read, up to distinct_cap + 1
    std::int64_t missing = 0;      ///< missing cells among the rows read
    /// Numeric with integer values and 2..30 distinct ones, or named like a class (class, label,
    /// target, y, cultivar, species, category, diagnosis, ...) with at most 256 distinct values.
    bool looks_like_class = false;
    /// The role loading with the options given would give it (the options' roles included).
    ColumnRole role = ColumnRole::Feature;
};

/// What inspect_columns found.
struct TableInspection {
    std::vector<ColumnInfo> columns;
    bool has_header = false;
    char delimiter = ',';                          ///< ' ': runs of whitespace
    std::int64_t rows_read = 0;                    ///< data rows looked at
    bool complete = false;                         ///< the file has no more rows than these
    std::vector<std::vector<std::string>> preview; ///< the first rows' cells (at most preview_rows)
};

/// Most distinct values counted per column; more are reported as distinct_cap + 1.
inline constexpr std::int64_t distinct_cap = 256;

/// Reads the first `max_rows` data rows of a CSV/TSV/text table with `options` (delimiter,
/// header, skip_rows, comment, label and roles; a role naming no column is ignored here) and
/// describes its columns. Throws LoadError as load_csv does for an unreadable table.
TableInspection inspect_columns(const std::string& path, const LoadOptions& options = {},
                                std::int64_t max_rows = 5000, std::int64_t preview_rows = 8);

/// Whether a column name says "class": is_label_name's, and cultivar, species, category,
/// diagnosis, outcome, genre, digit, type, kind, group, cluster (any case).
bool is_class_like_name(const std::string& column_name);

/// The column inspect_columns would offer as the label: a column whose role is Feature and that
/// looks like a class (a class-like name first, else the fewest distinct values, the later
/// column on a tie); -1 when there is none or some column already has the Label role.
int suggested_label_column(const TableInspection& inspection);

}  // namespace latentscape::data
