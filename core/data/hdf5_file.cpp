#include "data/hdf5_file.h"

#include "common/error.h"
#include "common/file_io.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>

#include <sys/stat.h>

namespace latentscape::data::internal::h5 {
namespace {

std::mutex& hdf5_mutex() {
    static std::mutex m;
    return m;
}

herr_t innermost(unsigned n, const H5E_error2_t* err, void* data) {
    auto* msg = static_cast<std::string*>(data);
    if (n == 0 && err && err->desc) *msg = err->desc;
    return 0;
}

herr_t collect_name(hid_t, const char* name, const H5L_info_t*, void* data) {
    static_cast<std::vector<std::string>*>(data)->emplace_back(name);
    return 0;
}

// A number as Python's str() writes it: 3, 2.5, 1.0, 1e-05, nan.
std::string python_str(double v) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    std::string s(buf, r.ptr);
    if (s.find_first_of(".en") == std::string::npos) s += ".0";
    return s;
}

bool is_bool_enum(hid_t type) {
    if (H5Tget_nmembers(type) != 2) return false;
    char* a = H5Tget_member_name(type, 0);
    char* b = H5Tget_member_name(type, 1);
    const bool yes = a && b && std::strcmp(a, "FALSE") == 0 && std::strcmp(b, "TRUE") == 0;
    H5free_memory(a);
    H5free_memory(b);
    return yes;
}

Kind kind_of(hid_t type) {
    switch (H5Tget_class(type)) {
        case H5T_FLOAT: return Kind::Float;
        case H5T_INTEGER: return H5Tget_sign(type) == H5T_SGN_NONE ? Kind::Unsigned : Kind::Signed;
        case H5T_ENUM: return is_bool_enum(type) ? Kind::Bool : Kind::Enum;
        case H5T_STRING: return Kind::String;
        default: return Kind::Other;
    }
}

std::string name_of(hid_t type) {
    const std::size_t bits = H5Tget_size(type) * 8;
    switch (H5Tget_class(type)) {
        case H5T_FLOAT: return "float" + std::to_string(bits);
        case H5T_INTEGER: return (H5Tget_sign(type) == H5T_SGN_NONE ? "uint" : "int") + std::to_string(bits);
        case H5T_ENUM: return is_bool_enum(type) ? "bool" : "enum";
        case H5T_STRING: return "string";
        case H5T_COMPOUND: return "compound (a record type)";
        case H5T_REFERENCE: return "reference";
        case H5T_OPAQUE: return "opaque";
        case H5T_ARRAY: return "array";
        case H5T_VLEN: return "variable-length sequence";
        case H5T_BITFIELD: return "bitfield";
        case H5T_TIME: return "time";
        default: return "unknown";
    }
}

// Reads a string dataset or attribute (all its elements) with `read(memtype, buffer)`.
template <class Read>
std::vector<std::string> read_string_elements(hid_t ftype, std::size_t count, hid_t space, Read read, bool& ok) {
    ok = false;
    std::vector<std::string> out;
    const Id mem(H5Tcopy(H5T_C_S1), H5Tclose);
    if (!mem.valid() || H5Tset_cset(mem.get(), H5Tget_cset(ftype)) < 0) return out;
    if (H5Tis_variable_str(ftype) > 0) {
        if (H5Tset_size(mem.get(), H5T_VARIABLE) < 0) return out;
        std::vector<char*> ptrs(count, nullptr);
        if (read(mem.get(), ptrs.data()) < 0) return out;
        out.reserve(count);
        for (char* p : ptrs) out.emplace_back(p ? p : "");
        H5Dvlen_reclaim(mem.get(), space, H5P_DEFAULT, ptrs.data());
    } else {
        const std::size_t size = H5Tget_size(ftype);
        if (size == 0 || H5Tset_size(mem.get(), size) < 0 || H5Tset_strpad(mem.get(), H5T_STR_NULLPAD) < 0) return out;
        std::vector<char> buf(count * size);
        if (read(mem.get(), buf.data()) < 0) return out;
        out.reserve(count);
        for (std::size_t i = 0; i < count; ++i) {
            const char* p = buf.data() + i * size;
            std::size_t len = std::find(p, p + size, '\0') - p;
            if (H5Tget_strpad(ftype) == H5T_STR_SPACEPAD)
                while (len > 0 && p[len - 1] == ' ') --len;
            out.emplace_back(p, len);
        }
    }
    ok = true;
    return out;
}

}  // namespace

std::string take_error_message() {
    std::string msg;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost, &msg);
    H5Eclear2(H5E_DEFAULT);
    return msg;
}

// --- File ---------------------------------------------------------------------------------------

File::File(const std::string& path) : lock_(hdf5_mutex()), path_(path) {
    std::uint64_t file_size = 0;
    {
        // HDF5 would block on a FIFO and never finish a device: the shared checks first.
        const io::InputFile file(path);
        file_size = file.size();
        if (file.size() == 0) throw LoadError(path, "file is empty");
        char magic[2] = {};
        const std::size_t got = file.read_at(magic, 2, 0);
        if (io::is_gzip(magic, got))
            throw LoadError(path, "is gzip-compressed; HDF5 files are read in place: decompress it first (gunzip)");
    }
    // The core never prints: HDF5's default handler would write its error stack to stderr.
    H5Eget_auto2(H5E_DEFAULT, &saved_func_, &saved_data_);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    const htri_t is_hdf5 = H5Fis_hdf5(path.c_str());
    if (is_hdf5 <= 0) {
        take_error_message();
        H5Eset_auto2(H5E_DEFAULT, saved_func_, saved_data_);
        throw LoadError(path, "not an HDF5 file (no HDF5 signature at byte 0, 512, 1024, ...); an .h5ad file is "
                              "written by anndata's write_h5ad",
                        std::nullopt, 0);
    }
    const Id fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
    // Closing the file closes everything still open in it.
    H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_STRONG);
    id_ = Id(H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl.get()), H5Fclose);
    if (!id_.valid()) {
        const std::string msg = take_error_message();
        H5Eset_auto2(H5E_DEFAULT, saved_func_, saved_data_);
        if (msg.find("truncated") != std::string::npos)
            throw LoadError(path,
                            "file is truncated: it ends at byte " + std::to_string(file_size) +
                                " but its HDF5 superblock says it is longer (HDF5: " + msg + ")",
                            std::nullopt, std::int64_t(file_size));
        throw LoadError(path, "cannot open as HDF5: the file is damaged or cut short" +
                                  (msg.empty() ? std::string() : " (HDF5: " + msg + ")"));
    }
}

File::~File() {
    id_ = Id();
    H5Eclear2(H5E_DEFAULT);
    H5Eset_auto2(H5E_DEFAULT, saved_func_, saved_data_);
}

Object File::root() const {
    Id g(H5Gopen2(id_.get(), "/", H5P_DEFAULT), H5Gclose);
    if (!g.valid()) fail_hdf5("/", "cannot open the root group");
    return Object(*this, std::move(g), "/", true);
}

void File::fail_hdf5(const std::string& where, const std::string& what) const {
    const std::string msg = take_error_message();
    throw LoadError(path_, where + ": " + what + (msg.empty() ? "" : " (HDF5: " + msg + "; the file may be damaged)"));
}

// --- Object -------------------------------------------------------------------------------------

Object::Object(const File& file, Id id, std::string path, bool is_group)
    : file_(&file), id_(std::move(id)), path_(std::move(path)), group_(is_group) {}

void Object::fail(const std::string& cause) const { throw LoadError(file_->path(), path_ + ": " + cause); }

std::optional<Object> Object::child(const std::string& name) const {
    if (!group_) return std::nullopt;
    const htri_t exists = H5Lexists(id(), name.c_str(), H5P_DEFAULT);
    const std::string child_path = (path_ == "/" ? "/" : path_ + "/") + name;
    if (exists < 0) file_->fail_hdf5(child_path, "cannot look it up");
    if (exists == 0) return std::nullopt;
    // A dangling soft link exists as a link but not as an object: treat it as absent.
    if (H5Oexists_by_name(id(), name.c_str(), H5P_DEFAULT) <= 0) {
        take_error_message();
        return std::nullopt;
    }
    Id obj(H5Oopen(id(), name.c_str(), H5P_DEFAULT), H5Oclose);
    if (!obj.valid()) file_->fail_hdf5(child_path, "cannot open");
    const H5I_type_t type = H5Iget_type(obj.get());
    if (type != H5I_GROUP && type != H5I_DATASET) return std::nullopt;  // a named datatype
    return Object(*file_, std::move(obj), child_path, type == H5I_GROUP);
}

std::vector<std::string> Object::children() const {
    std::vector<std::string> names;
    if (!group_) return names;
    hsize_t idx = 0;
    if (H5Literate(id(), H5_INDEX_NAME, H5_ITER_INC, &idx, collect_name, &names) < 0)
        file_->fail_hdf5(path_, "cannot list its members");
    return names;
}

bool Object::has_attribute(const std::string& name) const {
    const htri_t r = H5Aexists(id(), name.c_str());
    if (r < 0) file_->fail_hdf5(path_, "cannot read attribute '" + name + "'");
    return r > 0;
}

std::vector<std::string> Object::string_list_attribute(const std::string& name) const {
    if (!has_attribute(name)) return {};
    const Id attr(H5Aopen(id(), name.c_str(), H5P_DEFAULT), H5Aclose);
    const Id type(attr.valid() ? H5Aget_type(attr.get()) : -1, H5Tclose);
    const Id space(attr.valid() ? H5Aget_space(attr.get()) : -1, H5Sclose);
    if (!type.valid() || !space.valid()) file_->fail_hdf5(path_, "cannot read attribute '" + name + "'");
    if (H5Tget_class(type.get()) != H5T_STRING) return {};
    const hssize_t count = H5Sget_simple_extent_npoints(space.get());
    if (count <= 0) return {};
    bool ok = false;
    auto out = read_string_elements(
        type.get(), std::size_t(count), space.get(), [&](hid_t mem, void* buf) { return H5Aread(attr.get(), mem, buf); },
        ok);
    if (!ok) file_->fail_hdf5(path_, "cannot read attribute '" + name + "'");
    return out;
}

std::optional<std::string> Object::string_attribute(const std::string& name) const {
    auto list = string_list_attribute(name);
    if (list.empty()) return std::nullopt;
    return std::move(list.front());
}

std::optional<std::vector<std::int64_t>> Object::int_list_attribute(const std::string& name) const {
    if (!has_attribute(name)) return std::nullopt;
    const Id attr(H5Aopen(id(), name.c_str(), H5P_DEFAULT), H5Aclose);
    const Id type(attr.valid() ? H5Aget_type(attr.get()) : -1, H5Tclose);
    const Id space(attr.valid() ? H5Aget_space(attr.get()) : -1, H5Sclose);
    if (!type.valid() || !space.valid()) file_->fail_hdf5(path_, "cannot read attribute '" + name + "'");
    if (H5Tget_class(type.get()) != H5T_INTEGER) return std::nullopt;
    const hssize_t count = H5Sget_simple_extent_npoints(space.get());
    if (count < 0 || count > 64) return std::nullopt;
    std::vector<std::int64_t> values(static_cast<std::size_t>(count));
    if (count > 0 && H5Aread(attr.get(), H5T_NATIVE_INT64, values.data()) < 0)
        file_->fail_hdf5(path_, "cannot read attribute '" + name + "'");
    return values;
}

std::optional<Object> Object::referenced_by_attribute(const std::string& name) const {
    if (!has_attribute(name)) return std::nullopt;
    const Id attr(H5Aopen(id(), name.c_str(), H5P_DEFAULT), H5Aclose);
    const Id type(attr.valid() ? H5Aget_type(attr.get()) : -1, H5Tclose);
    const Id space(attr.valid() ? H5Aget_space(attr.get()) : -1, H5Sclose);
    if (!type.valid() || !space.valid()) file_->fail_hdf5(path_, "cannot read attribute '" + name + "'");
    if (H5Tget_class(type.get()) != H5T_REFERENCE || H5Tequal(type.get(), H5T_STD_REF_OBJ) <= 0 ||
        H5Sget_simple_extent_npoints(space.get()) != 1)
        return std::nullopt;
    hobj_ref_t ref{};
    if (H5Aread(attr.get(), H5T_STD_REF_OBJ, &ref) < 0) file_->fail_hdf5(path_, "cannot read attribute '" + name + "'");
    Id obj(H5Rdereference2(id(), H5P_DEFAULT, H5R_OBJECT, &ref), H5Oclose);
    if (!obj.valid()) file_->fail_hdf5(path_, "attribute '" + name + "' points to nothing");
    const H5I_type_t t = H5Iget_type(obj.get());
    if (t != H5I_GROUP && t != H5I_DATASET) return std::nullopt;
    char buf[1024];
    const ssize_t len = H5Iget_name(obj.get(), buf, sizeof buf);
    std::string target = len > 0 ? std::string(buf, std::size_t(std::min<ssize_t>(len, sizeof buf - 1)))
                                 : path_ + "@" + name;
    return Object(*file_, std::move(obj), std::move(target), t == H5I_GROUP);
}

std::vector<std::int64_t> Object::shape() const {
    const Id space(H5Dget_space(id()), H5Sclose);
    if (!space.valid()) file_->fail_hdf5(path_, "cannot read its shape");
    const int rank = H5Sget_simple_extent_ndims(space.get());
    if (rank < 0) file_->fail_hdf5(path_, "cannot read its shape");
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    if (rank > 0 && H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr) < 0)
        file_->fail_hdf5(path_, "cannot read its shape");
    std::vector<std::int64_t> out;
    for (const hsize_t v : dims) {
        if (v > hsize_t(INT64_MAX)) fail("impossible dimension " + std::to_string(v));
        out.push_back(std::int64_t(v));
    }
    return out;
}

std::int64_t Object::element_count() const {
    std::uint64_t count = 1;
    for (const std::int64_t v : shape()) count = io::checked_mul(file_->path(), count, std::uint64_t(v));
    if (count > std::uint64_t(INT64_MAX)) fail("impossible element count");
    return std::int64_t(count);
}

Kind Object::kind() const {
    const Id type(H5Dget_type(id()), H5Tclose);
    if (!type.valid()) file_->fail_hdf5(path_, "cannot read its element type");
    return kind_of(type.get());
}

std::string Object::type_name() const {
    const Id type(H5Dget_type(id()), H5Tclose);
    if (!type.valid()) file_->fail_hdf5(path_, "cannot read its element type");
    return name_of(type.get());
}

void Object::read_rows(hid_t memtype, std::int64_t first, std::int64_t count, void* dst) const {
    if (count <= 0) return;
    const Id fspace(H5Dget_space(id()), H5Sclose);
    if (!fspace.valid()) file_->fail_hdf5(path_, "cannot read its shape");
    const int rank = H5Sget_simple_extent_ndims(fspace.get());
    if (rank < 1) fail("expected an array, found a scalar");
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank)), start(std::size_t(rank), 0);
    H5Sget_simple_extent_dims(fspace.get(), dims.data(), nullptr);
    start[0] = hsize_t(first);
    dims[0] = hsize_t(count);
    if (H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, start.data(), nullptr, dims.data(), nullptr) < 0)
        file_->fail_hdf5(path_, "cannot select entries " + std::to_string(first) + ".." + std::to_string(first + count));
    const Id mspace(H5Screate_simple(rank, dims.data(), nullptr), H5Sclose);
    if (H5Dread(id(), memtype, mspace.get(), fspace.get(), H5P_DEFAULT, dst) < 0)
        file_->fail_hdf5(path_, "cannot read entries " + std::to_string(first) + ".." + std::to_string(first + count - 1));
}

std::vector<double> Object::read_doubles() const {
    const Kind k = kind();
    if (k != Kind::Float && k != Kind::Signed && k != Kind::Unsigned && k != Kind::Bool)
        fail("expected numbers, found " + type_name());
    const std::int64_t count = element_count();
    io::check_fits_in_memory(file_->path(), io::checked_mul(file_->path(), std::uint64_t(count), sizeof(double)), path_);
    std::vector<double> out(static_cast<std::size_t>(count));
    if (count == 0) return out;
    if (k == Kind::Bool) {
        std::vector<std::string> names;
        const auto codes = read_enum(names);
        for (std::size_t i = 0; i < codes.size(); ++i) out[i] = codes[i];
        return out;
    }
    if (H5Dread(id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) < 0)
        file_->fail_hdf5(path_, "cannot read it");
    return out;
}

std::vector<std::int64_t> Object::read_int64() const {
    const Kind k = kind();
    if (k != Kind::Signed && k != Kind::Unsigned) fail("expected integers, found " + type_name());
    const std::int64_t count = element_count();
    io::check_fits_in_memory(file_->path(), io::checked_mul(file_->path(), std::uint64_t(count), 8), path_);
    std::vector<std::int64_t> out(static_cast<std::size_t>(count));
    if (count > 0 && H5Dread(id(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) < 0)
        file_->fail_hdf5(path_, "cannot read it");
    return out;
}

std::vector<std::string> Object::read_strings() const {
    const Kind k = kind();
    if (k == Kind::Float || k == Kind::Signed || k == Kind::Unsigned) {
        std::vector<std::string> out;
        if (k == Kind::Float) {
            for (const double v : read_doubles()) out.push_back(python_str(v));
        } else {
            for (const std::int64_t v : read_int64()) out.push_back(std::to_string(v));
        }
        return out;
    }
    if (k != Kind::String) fail("expected strings, found " + type_name());
    const std::int64_t count = element_count();
    if (count == 0) return {};
    const Id type(H5Dget_type(id()), H5Tclose);
    const Id space(H5Dget_space(id()), H5Sclose);
    if (!type.valid() || !space.valid()) file_->fail_hdf5(path_, "cannot read it");
    bool ok = false;
    auto out = read_string_elements(
        type.get(), std::size_t(count), space.get(),
        [&](hid_t mem, void* buf) { return H5Dread(id(), mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf); }, ok);
    if (!ok) file_->fail_hdf5(path_, "cannot read its strings");
    return out;
}

std::vector<std::int32_t> Object::read_enum(std::vector<std::string>& names) const {
    const Id ftype(H5Dget_type(id()), H5Tclose);
    if (!ftype.valid() || H5Tget_class(ftype.get()) != H5T_ENUM) fail("expected an enum, found " + type_name());
    const Id mtype(H5Tget_native_type(ftype.get(), H5T_DIR_DEFAULT), H5Tclose);
    const int members = H5Tget_nmembers(mtype.get());
    const std::size_t size = H5Tget_size(mtype.get());
    if (!mtype.valid() || members <= 0 || size == 0 || size > 8) fail("unsupported enum type");
    // Member values as raw native bytes, compared byte-wise with each element.
    std::vector<std::vector<unsigned char>> values(static_cast<std::size_t>(members), std::vector<unsigned char>(size));
    names.clear();
    const bool is_bool = is_bool_enum(ftype.get());
    for (int m = 0; m < members; ++m) {
        char* name = H5Tget_member_name(mtype.get(), unsigned(m));
        std::string s = name ? name : "";
        H5free_memory(name);
        if (is_bool) s = m == 0 ? "False" : "True";  // as pandas writes a bool
        names.push_back(std::move(s));
        H5Tget_member_value(mtype.get(), unsigned(m), values[std::size_t(m)].data());
    }
    const std::int64_t count = element_count();
    std::vector<unsigned char> raw(std::size_t(count) * size);
    if (count > 0 && H5Dread(id(), mtype.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()) < 0)
        file_->fail_hdf5(path_, "cannot read it");
    std::vector<std::int32_t> codes(std::size_t(count), -1);
    for (std::int64_t i = 0; i < count; ++i)
        for (int m = 0; m < members; ++m)
            if (std::memcmp(raw.data() + std::size_t(i) * size, values[std::size_t(m)].data(), size) == 0) {
                codes[std::size_t(i)] = m;
                break;
            }
    return codes;
}

}  // namespace latentscape::data::internal::h5
