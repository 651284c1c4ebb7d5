#pragma once
/// @file Internal: a small read-only view of an HDF5 file over the C API, for the AnnData loader.
/// Every failure is a LoadError naming the file and the object's path inside it ("/X/indptr: ...")
/// with HDF5's own innermost message where it has one; HDF5 never prints (its automatic error
/// printing is off while a File is open). All HDF5 calls made through these classes are serialised
/// by one process-wide lock, held from File's construction to its destruction, so that a build of
/// libhdf5 without thread safety is safe too.

#include <hdf5.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace latentscape::data::internal::h5 {

/// What a dataset's (or attribute's) element type is, as far as the loader cares.
enum class Kind {
    Float,     ///< IEEE float of any size
    Signed,    ///< signed integer
    Unsigned,  ///< unsigned integer
    Bool,      ///< h5py's bool: an enum of an integer with members FALSE = 0 and TRUE = 1
    Enum,      ///< any other enum
    String,    ///< fixed or variable length
    Other      ///< compound, reference, opaque, array, ...
};

/// Owns one hid_t and closes it with the right H5*close.
class Id {
public:
    Id() = default;
    Id(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
    ~Id() { reset(); }
    Id(Id&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = -1; }
    Id& operator=(Id&& o) noexcept {
        if (this != &o) {
            reset();
            id_ = o.id_;
            close_ = o.close_;
            o.id_ = -1;
        }
        return *this;
    }
    Id(const Id&) = delete;
    Id& operator=(const Id&) = delete;
    hid_t get() const { return id_; }
    bool valid() const { return id_ >= 0; }

private:
    void reset() {
        if (id_ >= 0 && close_) close_(id_);
        id_ = -1;
    }
    hid_t id_ = -1;
    herr_t (*close_)(hid_t) = nullptr;
};

class File;

/// A group or a dataset of an open File, known by its absolute path ("/obs/cell_type").
class Object {
public:
    Object(const File& file, Id id, std::string path, bool is_group);

    const std::string& path() const { return path_; }
    bool is_group() const { return group_; }
    bool is_dataset() const { return !group_; }
    const File& file() const { return *file_; }
    hid_t id() const { return id_.get(); }

    /// Throws LoadError(file, "<path>: <cause>").
    [[noreturn]] void fail(const std::string& cause) const;

    // --- children (groups) ---
    /// The child called `name` (a group or a dataset; soft links followed), or nothing.
    std::optional<Object> child(const std::string& name) const;
    /// Names of the children, in HDF5's name order.
    std::vector<std::string> children() const;

    // --- attributes ---
    bool has_attribute(const std::string& name) const;
    /// A string attribute (the first element of a string array); nothing when absent or not text.
    std::optional<std::string> string_attribute(const std::string& name) const;
    /// A 1-D string attribute as a list; empty when absent, empty, or numeric (anndata writes an
    /// empty 'column-order' as a float array).
    std::vector<std::string> string_list_attribute(const std::string& name) const;
    /// An integer attribute (a scalar or 1-D array); nothing when absent or not integral.
    std::optional<std::vector<std::int64_t>> int_list_attribute(const std::string& name) const;
    /// The object an object-reference attribute points to (anndata 0.7's categories), or nothing.
    std::optional<Object> referenced_by_attribute(const std::string& name) const;

    // --- datasets ---
    /// Dimensions (empty for a scalar).
    std::vector<std::int64_t> shape() const;
    std::int64_t element_count() const;
    Kind kind() const;
    /// The element type as a reader would name it: "float32", "int64", "string", "compound", ...
    std::string type_name() const;
    /// Reads `count` entries along the first dimension starting at `first` (whole rows of a 2-D
    /// dataset) converted to `memtype` (H5T_NATIVE_DOUBLE, ...), into `dst`.
    void read_rows(hid_t memtype, std::int64_t first, std::int64_t count, void* dst) const;
    /// The whole dataset as doubles (numeric only; bools as 0/1).
    std::vector<double> read_doubles() const;
    /// The whole dataset as 64-bit integers (integer types only).
    std::vector<std::int64_t> read_int64() const;
    /// The whole dataset as strings; numbers are formatted as Python's str() would.
    std::vector<std::string> read_strings() const;
    /// An enum dataset (bool included) as codes into `names` (its member names in value order).
    std::vector<std::int32_t> read_enum(std::vector<std::string>& names) const;

private:
    const File* file_;
    Id id_;
    std::string path_;
    bool group_;
};

/// An HDF5 file opened read-only. Refuses what is not a regular file or not HDF5, and reports a
/// truncated file as such.
class File {
public:
    explicit File(const std::string& path);
    ~File();
    File(const File&) = delete;
    File& operator=(const File&) = delete;

    const std::string& path() const { return path_; }
    Object root() const;
    /// Throws LoadError naming the file and `where` with HDF5's current error message appended.
    [[noreturn]] void fail_hdf5(const std::string& where, const std::string& what) const;

private:
    std::unique_lock<std::mutex> lock_;
    std::string path_;
    H5E_auto2_t saved_func_ = nullptr;
    void* saved_data_ = nullptr;
    Id id_;
};

/// HDF5's innermost error description on this thread's stack ("" if none), then clears it.
std::string take_error_message();

}  // namespace latentscape::data::internal::h5
