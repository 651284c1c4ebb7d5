#pragma once
/// @file Internal: splitting a delimited text buffer into records and typed cells. Shared by the
/// CSV/TSV loader and the Embedding Projector loader.

#include "common/file_io.h"
#include "data/dataset.h"
#include "data/load.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace latentscape::data::internal {

/// One record (a logical row; a quoted field may span several physical lines). 16 bytes: a file
/// of short lines has as many records as bytes / 2, so the line number is not stored but counted
/// when a message needs it (Table::line_of).
struct Record {
    std::size_t begin = 0;  ///< offset of the first byte in Table::text
    std::size_t end = 0;    ///< offset one past the last byte, line break excluded
};

/// A delimited text file split into records, with the header (if any) taken off.
struct Table {
    std::string path;
    io::FileBytes bytes;              ///< the whole (decompressed) file, mapped or owned, BOM skipped
    std::string_view text() const { return bytes.view(); }
    char delimiter = ',';
    bool quoted = false;              ///< the file contains '"' somewhere: use the RFC 4180 splitter
    bool has_header = false;
    std::vector<std::string> names;   ///< column names (generated as col1.. when there is no header)
    std::vector<bool> unnamed;        ///< per column: the header cell was empty (a pandas index)
    bool field_is_unnamed(std::size_t c) const { return c < unnamed.size() && unnamed[c]; }
    std::vector<Record> records;      ///< data records only
    /// The 1-based physical line where `r` starts: the line breaks before it, counted.
    std::int64_t line_of(const Record& r) const;
    char line_break = '\n';          ///< '\r' for CR-only files
    std::size_t line_base = 0;        ///< offset in text() where line first_line starts
    std::int64_t first_line = 1;      ///< the line number there (after skipped rows)
    bool truncated = false;           ///< TableOptions::max_records stopped reading before the end
    std::size_t columns() const { return names.size(); }
    /// Field `col` of record `r`, unquoted and unescaped.
    std::string field(std::size_t r, std::size_t col) const;
    /// All fields of record r (unquoted).
    std::vector<std::string> fields(std::size_t r) const;
};

/// Reads `path` (gzip allowed), detects the delimiter (unless given) and the header and splits
/// the records. Throws LoadError on empty files, binary data, unterminated quotes and header-only
/// files. (Ragged rows are found by parse_numeric, in the same pass as the numbers.)
Table read_table(const std::string& path, std::optional<char> delimiter, HeaderMode header);

/// How to read a text table beyond the delimiter and header (LoadOptions' fields of the same names).
struct TableOptions {
    std::optional<char> delimiter;  ///< ' ': runs of spaces/tabs; unset: detected
    HeaderMode header = HeaderMode::Auto;
    std::int64_t skip_rows = 0;
    std::optional<char> comment = '#';
    /// Data records to read at most (a header not counted); 0: all. For a quick look.
    std::int64_t max_records = 0;
};
/// As above, and: the first `skip_rows` lines skipped; comment lines skipped (in whitespace
/// tables, a comment character also ends the line's data); a comment line just above the first
/// row with as many fields as the rows offered as the header; old Mac files (CR line breaks
/// only) split into lines. Line numbers in errors are the file's.
Table read_table(const std::string& path, const TableOptions& options);

// The layout of a text table (text_layout.cpp).

/// Fields of `line` split at runs of spaces and tabs outside quotes (leading and trailing ones
/// ignored), up to a comment character.
std::size_t whitespace_fields(std::string_view line, std::optional<char> comment);
/// The delimiter of sample lines (blank and comment lines left out): one of ',' '\t' ';' '|',
/// the most consistent fields winning, or ' ' (runs of whitespace) when that gives more still.
char sniff_delimiter(const std::vector<std::string_view>& lines, std::optional<char> comment);
/// The first non-blank character of [b, e) is the comment character.
bool is_comment_line(const char* b, const char* e, std::optional<char> comment);
/// A whitespace-delimited text rewritten with single spaces between fields, line breaks `br`
/// kept (every line keeps its number), from byte `from` on.
std::string collapse_whitespace(std::string_view text, std::size_t from, char br, std::optional<char> comment);

/// How a cell parsed.
enum class Cell : std::uint8_t { Number, Missing, Text, NonFinite };

/// Parses one raw (possibly quoted) field. On Number, `value` holds it.
Cell parse_cell(std::string_view raw, float& value);

/// A fixed-size array left uninitialised on allocation, so that the parallel loop that fills it
/// is also the one that first touches its pages (a zero-fill of 200+ MB costs as much as parsing).
template <class T>
class RawArray {
public:
    void allocate(std::size_t n) { data_.reset(new T[n]); }
    T* data() { return data_.get(); }
    const T* data() const { return data_.get(); }
    T& operator[](std::size_t i) { return data_[i]; }
    const T& operator[](std::size_t i) const { return data_[i]; }

private:
    std::unique_ptr<T[]> data_;
};

/// Raw field `col` of the record [b, e), quotes still on, scanning no further than needed (a
/// label in the first column of a 785-column row costs one field, not 785); empty if the record
/// has fewer fields.
std::string_view nth_field(const char* b, const char* e, char delim, bool quoted, std::size_t col);
/// `s` without leading and trailing spaces, tabs and carriage returns.
std::string_view trim(std::string_view s);
/// RFC 4180 unquoting of a raw field (trimmed first): "a ""b""" -> a "b".
std::string unquote(std::string_view raw);
/// Whether a trimmed cell means "missing": empty, NA, N/A, NaN, null or None (any case).
bool is_missing_token(std::string_view s);

/// Result of parsing every cell of a table as a number.
struct NumericCells {
    /// records x columns, row-major; NaN where not a number. A FloatVector (left uninitialised on
    /// allocation, as RawArray) so that assemble_features can hand it over as the features.
    FloatVector values;
    RawArray<Cell> kinds;                 ///< records x columns
    std::vector<std::int64_t> numbers;    ///< per column: cells that are numbers
    std::vector<std::int64_t> missing;    ///< per column: missing cells
    std::vector<std::int64_t> texts;      ///< per column: non-numeric cells
    std::vector<std::int64_t> first_text; ///< per column: first record with a non-numeric cell, or -1
    std::vector<std::int64_t> first_nonfinite;  ///< per column: first record with inf, or -1
};

/// Parses all cells in parallel (the result does not depend on the thread count). Throws
/// LoadError at the first record whose field count differs from the table's.
NumericCells parse_numeric(const Table& table);

/// Builds a metadata column from a table column: categorical when the values repeat (at most
/// 256 distinct values, and at most 3/4 as many as rows), numeric when every present value is a
/// number and they do not look like category codes, text otherwise. `rows` selects and orders
/// the records to keep. `force_categorical` is used for label columns holding integer codes.
/// `numeric_unless_class`: a column of numbers stays numeric unless it looks like class codes
/// (integers, at most 30 distinct values): a column the user marked as metadata, such as a
/// price, is not split into a hundred categories.
MetadataColumn make_metadata_column(const Table& table, const NumericCells& cells, std::size_t col,
                                    const std::vector<std::size_t>& rows, bool is_label,
                                    bool numeric_unless_class = false);

/// Feature columns cut out of a parsed table, with the missing-value policy applied.
struct FeatureBlock {
    FloatVector features;            ///< rows.size() x feature_cols.size(), row-major
    std::vector<std::size_t> rows;   ///< the records kept, in order
    MissingReport missing;
};

/// Checks the feature columns (a non-numeric or non-finite cell is a LoadError at its line),
/// applies `policy` to missing cells (MissingValuesError for MissingPolicy::Error) and copies the
/// kept rows out. The result does not depend on the thread count. When the feature columns are
/// side by side and every record is kept as it is, the values are compacted in place and handed
/// over (`cells.values` is then empty): no second matrix is allocated.
FeatureBlock assemble_features(const Table& table, NumericCells& cells,
                               const std::vector<std::size_t>& feature_cols, MissingPolicy policy);

/// How load_csv uses each column of a table: the roles of LoadOptions::roles applied over the
/// automatic ones, and the label column they choose (if any).
struct ColumnPlan {
    std::vector<ColumnRole> roles;        ///< per column
    std::vector<bool> numeric;            ///< per column: mostly numbers
    std::vector<bool> index;              ///< per column: a row index or id column (kept as text)
    std::optional<std::size_t> label;     ///< the label column asked for (role or LoadOptions::label)
};
/// Throws LoadError for a role naming no column (when `strict`), a Feature role on a column of
/// text, two Label roles, or a label option that disagrees with the Label role.
ColumnPlan plan_columns(const Table& table, const NumericCells& cells, const LoadOptions& options, bool strict);

/// Chooses the label column among the metadata: the one named by `requested` (error if absent),
/// else one named label/class/target/y (or, when that one holds integer codes, a column of class
/// names that splits the rows the same way), else the first categorical column.
std::optional<std::size_t> choose_label(const std::string& path, const std::vector<MetadataColumn>& metadata,
                                        const std::optional<std::string>& requested);

}  // namespace latentscape::data::internal
