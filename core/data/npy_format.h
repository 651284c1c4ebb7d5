#pragma once
/// @file The NPY array format, shared by the .npy, .npz and IDX loaders:
/// header parsing, conversion of raw array bytes of any supported element type to float32, and
/// turning an array into a Dataset's features (npy_format.cpp); reading the input files and
/// turning label arrays into label columns (npy_reader.cpp). Internal to core/data.

#include "data/dataset.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace latentscape::data::internal {

/// Family of an array's element type.
/// Text: numpy's fixed-width unicode strings ('U', UTF-32 code units); only labels may be text
/// (parse_npy_header's allow_text), never features.
enum class ScalarKind { Float, SignedInt, UnsignedInt, Bool, Text };

/// Element type of an array, decoded from an NPY descr such as "<f4" (or built for IDX data).
struct ScalarType {
    ScalarKind kind = ScalarKind::Float;
    int size = 4;             ///< bytes per element: 1, 2, 4 or 8 (2 for floats = float16)
    bool big_endian = false;  ///< byte order of the stored elements (irrelevant for 1-byte types)
    std::string descr;        ///< as written in the file, e.g. "<f4", for messages
};

/// Where the bytes being parsed come from, so that errors name the file and a byte offset.
struct Source {
    std::string file;       ///< the path as the user gave it
    std::int64_t base = 0;  ///< file offset of byte 0 of the buffer being parsed
    /// Archive member the bytes belong to ("X.npy"), empty for a plain file.
    std::string member;
    /// The bytes were inflated: positions inside them are not file offsets. Errors in a deflated
    /// member report `base` (where the member's data start) and say where in the inflated data;
    /// errors in a gzipped file report the decompressed position and say so.
    bool inflated = false;

    /// Throws LoadError for the byte at position `pos` of the buffer.
    [[noreturn]] void fail(const std::string& cause, std::uint64_t pos) const;
};

/// A parsed NPY header.
struct NpyHeader {
    int major = 1;                    ///< format version 1, 2 or 3
    ScalarType dtype;
    bool fortran_order = false;       ///< column-major (Fortran) element order
    std::vector<std::int64_t> shape;  ///< empty for a 0-d array
    std::size_t data_offset = 0;      ///< bytes from the start of the NPY data to the array data
    std::uint64_t count = 0;          ///< elements: the product of the shape
    std::uint64_t data_bytes = 0;     ///< count * dtype.size
};

/// Leading bytes that always suffice to learn the header's length (magic, version, length field).
inline constexpr std::size_t npy_preamble_size = 12;

/// Length of the whole header (preamble + dict + padding) from the first `size` bytes; checks the
/// magic string and the version. Throws LoadError on bad magic, unknown version or too few bytes.
std::size_t npy_header_size(const Source& src, const char* data, std::size_t size);

/// Parses the header at the start of `data`, which must hold at least the whole header. The
/// element count and byte size are checked for overflow; the data itself is not looked at, so
/// callers compare `data_bytes` with what is present before allocating anything. A text dtype
/// ('<U8') is refused as unsupported unless `allow_text`.
NpyHeader parse_npy_header(const Source& src, const char* data, std::size_t size, bool allow_text = false);

/// Throws LoadError ("truncated") unless `available` bytes (those following the header) hold
/// the whole array.
void check_data_present(const Source& src, const NpyHeader& header, std::uint64_t available);

/// A shape as Python writes it: "(70000, 784)", "(5,)", "()".
std::string shape_string(const std::vector<std::int64_t>& shape);

/// How an array becomes an n x d feature matrix, and whether it is an image stack.
struct ArrayLayout {
    std::int64_t n = 0;
    std::int64_t d = 0;
    int image_height = 0;  ///< 0 unless the array is a uint8 stack (n, h, w) or (n, h, w, c)
    int image_width = 0;
    int image_channels = 0;
};

/// (n,) -> n x 1, (n, d) -> n x d, (n, ...) -> n x prod(...); uint8 (n, h, w) and (n, h, w, c)
/// with c in {1, 3} are image stacks as well. 0-d and empty arrays throw LoadError.
ArrayLayout features_layout(const Source& src, const NpyHeader& header);

/// True when the array's bytes are already the row-major float32 matrix this machine uses, so
/// they can be read straight into Dataset::features.
bool is_native_float32_rows(const NpyHeader& header);

/// Converts the raw array (elements of `type`, C or Fortran order, with `shape`) to a row-major
/// rows x cols matrix (rows = shape[0], cols = the product of the rest). Runs in parallel over
/// rows; the result does not depend on the thread count.
void convert_array(const ScalarType& type, bool fortran_order, const std::vector<std::int64_t>& shape,
                   const char* data, float* out);
/// As convert_array, to double (for label arrays, so that int64 values stay exact).
void convert_array(const ScalarType& type, bool fortran_order, const std::vector<std::int64_t>& shape,
                   const char* data, double* out);

/// Gives `ds.features` n * d uninitialised elements, for the caller's parallel loops to fill (and
/// so fault in on all threads). Large matrices are advised to use transparent huge pages.
void allocate_features(Dataset& ds, std::int64_t n, std::int64_t d);

/// Index of the first non-finite value (NaN or +-inf) among values[0, count), or -1. Parallel,
/// and the answer is the lowest such index whatever the thread count.
std::int64_t first_non_finite(const float* values, std::int64_t count);

/// Throws LoadError for the non-finite feature at flat row-major index `index` of the converted
/// matrix, naming its row, column and byte offset (and saying when a finite float64 value only
/// overflowed float32). `raw` is the unconverted array data.
[[noreturn]] void fail_non_finite(const Source& src, const NpyHeader& header, const ArrayLayout& layout,
                                  const char* raw, const float* values, std::int64_t index);

/// Throws LoadError if any of the converted features is not finite (see fail_non_finite).
void check_finite(const Source& src, const NpyHeader& header, const ArrayLayout& layout, const char* raw,
                  const float* values);

/// Fills n, d, the feature names "x0".."x<d-1>" and, for image stacks, Dataset::images (from the
/// already converted features, which hold the uint8 values exactly).
void describe_features(const ArrayLayout& layout, Dataset& ds);

/// Builds the features of `ds` from a whole NPY buffer (header and data, e.g. an .npz member or a
/// gunzipped .npy): parse, size checks, memory check, conversion, finiteness check.
void features_from_npy(const Source& src, const char* data, std::size_t size, Dataset& ds);

// ---- Shared by the .npy, .npz and IDX loaders; defined in npy_reader.cpp ----

/// Reads a whole NPY buffer that must hold a 1-D array (labels) and returns its values.
std::vector<double> values_from_npy(const Source& src, const char* data, std::size_t size);

/// A 1-D label array: numbers, or text (numpy's str arrays, dtype 'U').
struct LabelValues {
    bool text = false;
    std::vector<double> numbers;     ///< when !text
    std::vector<std::string> texts;  ///< when text, UTF-8; "" (an empty string) is missing
    std::size_t size() const { return text ? texts.size() : numbers.size(); }
    /// Appends `more`; throws std::invalid_argument when one holds numbers and the other text.
    void append(const LabelValues& more);
};

/// Reads a whole NPY buffer that must hold a 1-D array of labels: numbers as values_from_npy, or
/// strings ('<U', trailing NULs dropped; an invalid code point is a LoadError at its offset).
/// With `rows` >= 0, a different count is a LoadError before anything is allocated (a '<U0'
/// header can declare any count in a few bytes).
LabelValues labels_from_npy(const Source& src, const char* data, std::size_t size, std::int64_t rows = -1);

/// A whole file's bytes, inflated when its content is gzip.
struct FileContent {
    std::string bytes;
    bool gzipped = false;  ///< positions in `bytes` are not file offsets: goes to Source::inflated
};

/// Reads a regular file whole (a FIFO or a device is refused with "is not a regular file" instead
/// of blocking), inflating gzip content. Unlike io::read_file it tells whether the file was
/// gzipped, which error messages need, from the bytes it read: the file is opened once.
FileContent read_content(const std::string& path);

/// Makes `values`, a label array read from `src`, the label column `name` of `ds` (appended to
/// its metadata). Throws LoadError at `src` unless there is one value per row.
/// The column follows the CSV loader's rules, so a dataset looks the same whatever format it came
/// in: integers with at most 256 distinct values are categorical, each category named by its
/// value, in increasing order; more, or values with a fractional part, give a numeric column.
/// NaN (only a float array can hold it) is the only missing value: in an integer array every
/// value is a label, -1 included (+-1 binary labels). `class_names`, if not empty, names the
/// classes 0..k-1: when every value is such an index, the categories are exactly these names
/// and the codes the values (IDX class ids keep their colours whichever classes a file holds).
void attach_label(const Source& src, std::string name, const std::vector<double>& values, Dataset& ds,
                  const std::vector<std::string>& class_names = {});
/// The same for labels that may be text: text labels are categorical, their categories the
/// distinct strings in sorted order, as the CSV loader makes a text label column (more than 256
/// distinct strings: a text column).
void attach_label(const Source& src, std::string name, const LabelValues& values, Dataset& ds);

}  // namespace latentscape::data::internal
