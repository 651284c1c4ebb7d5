// load_h5ad: AnnData's HDF5 layout (.h5ad), as anndata 0.7 and later write it.
//   X          a dense 2-D dataset, or a sparse group (encoding-type csr_matrix / csc_matrix with a
//              'shape' attribute; anndata 0.7's h5sparse_format / h5sparse_shape) of data, indices,
//              indptr. Densified into the float32 feature matrix after a memory check.
//   var        its index (attribute _index names the dataset) gives the feature names.
//   obs        its index gives the row ids; its columns (attribute column-order) become metadata:
//              categoricals (anndata >= 0.8: a group of categories + codes; 0.7: integer codes with a
//              'categories' object reference into obs/__categories), numbers, strings, bools,
//              nullable integers and booleans (0.9+). Other column kinds are left out.
//   obsm       every 2-D numeric array with one row per cell (X_umap, X_pca, ...) becomes a
//              PrecomputedEmbedding.
// Every inconsistency is a LoadError naming the file and the object inside it ("/X/indptr: ...").

#include "data/hdf5_file.h"
#include "data/load.h"

#include "common/error.h"
#include "common/file_io.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace latentscape::data {
namespace {

using internal::h5::Kind;
using internal::h5::Object;

// Values are read in blocks of about this many bytes, so that the staging buffer stays small
// whatever the matrix size.
constexpr std::uint64_t block_bytes = std::uint64_t(16) << 20;
// The CSV loader's limit for a categorical label: the GUI draws a swatch per category.
constexpr std::size_t max_label_categories = 256;

bool is_numeric(Kind k) { return k == Kind::Float || k == Kind::Signed || k == Kind::Unsigned; }

std::string encoding_of(const Object& o) { return o.string_attribute("encoding-type").value_or(""); }

std::string shape_string(const std::vector<std::int64_t>& shape) {
    std::string s = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + (shape.size() == 1 ? ",)" : ")");
}

std::string describe(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
}

// A value headed for float32, checked: finite and within float32's range.
float to_float(double v, const Object& where, const std::string& at) {
    if (!std::isfinite(v))
        where.fail(describe(v) + " at " + at + "; every value must be finite (fill or drop missing values first)");
    if (std::fabs(v) > double(std::numeric_limits<float>::max()))
        where.fail("value " + describe(v) + " at " + at + " is too large for float32");
    return float(v);
}

struct Names {
    const std::vector<std::string>* rows;  // may be empty
    const std::vector<std::string>* cols;
    std::string cell(std::int64_t r, std::int64_t c) const {
        std::string s = "row " + std::to_string(r);
        if (!rows->empty()) s += " (" + (*rows)[std::size_t(r)] + ")";
        s += ", column " + std::to_string(c);
        if (!cols->empty()) s += " (" + (*cols)[std::size_t(c)] + ")";
        return s;
    }
};

// --- the feature matrix ---------------------------------------------------------------------------

struct MatrixShape {
    std::int64_t n = 0, d = 0;
    bool sparse = false;
    bool csr = true;
};

MatrixShape matrix_shape(const Object& x) {
    MatrixShape m;
    if (x.is_dataset()) {
        const auto shape = x.shape();
        if (shape.size() != 2)
            x.fail("expected a 2-D matrix (cells x features), found shape " + shape_string(shape));
        m.n = shape[0];
        m.d = shape[1];
        return m;
    }
    const std::string enc = encoding_of(x);
    const std::string legacy = x.string_attribute("h5sparse_format").value_or("");
    if (enc == "csr_matrix" || enc == "csc_matrix") {
        m.csr = enc == "csr_matrix";
    } else if (enc.empty() && (legacy == "csr" || legacy == "csc")) {
        m.csr = legacy == "csr";
    } else {
        x.fail("is a group that is not a sparse matrix (encoding-type '" + enc +
               "'); expected a dense array or a csr_matrix / csc_matrix group");
    }
    m.sparse = true;
    auto shape = x.int_list_attribute(enc.empty() ? "h5sparse_shape" : "shape");
    if (!shape || shape->size() != 2 || (*shape)[0] < 0 || (*shape)[1] < 0)
        x.fail(std::string("a sparse matrix needs a 'shape' attribute of two non-negative integers") +
               (shape ? ", found " + shape_string(*shape) : ", and it has none"));
    m.n = (*shape)[0];
    m.d = (*shape)[1];
    return m;
}

void check_memory(const std::string& file, const MatrixShape& m, std::uint64_t staging) {
    const std::uint64_t bytes = io::checked_mul(file, io::checked_mul(file, std::uint64_t(m.n), std::uint64_t(m.d)), 4);
    io::check_fits_in_memory(file, bytes + staging,
                             "the feature matrix (" + std::to_string(m.n) + " x " + std::to_string(m.d) +
                                 " float32" + (m.sparse ? ", densified from a sparse X" : "") + ")");
}

void read_dense(const Object& x, const MatrixShape& m, const Names& names, Dataset& ds) {
    const Kind kind = x.kind();
    if (!is_numeric(kind))
        x.fail("unsupported element type " + x.type_name() + "; X must hold integers or floating-point numbers");
    const std::string type = x.type_name();
    const bool direct = type == "float32";
    const std::int64_t rows_per_block = std::max<std::int64_t>(1, std::int64_t(block_bytes / std::uint64_t(m.d * 8)));
    check_memory(x.file().path(), m, direct ? 0 : std::uint64_t(std::min(rows_per_block, m.n) * m.d * 8));
    ds.features.resize(std::size_t(m.n * m.d));
    float* out = ds.features.data();
    std::vector<double> f64;
    std::vector<std::int64_t> i64;
    std::vector<std::uint64_t> u64;
    for (std::int64_t r0 = 0; r0 < m.n; r0 += rows_per_block) {
        const std::int64_t rows = std::min(rows_per_block, m.n - r0);
        const std::size_t count = std::size_t(rows * m.d);
        float* dst = out + r0 * m.d;
        if (direct) {
            x.read_rows(H5T_NATIVE_FLOAT, r0, rows, dst);
            for (std::size_t k = 0; k < count; ++k)
                if (!std::isfinite(dst[k])) {
                    const std::int64_t at = r0 * m.d + std::int64_t(k);
                    to_float(dst[k], x, names.cell(at / m.d, at % m.d));
                }
        } else if (kind == Kind::Float) {
            f64.resize(count);
            x.read_rows(H5T_NATIVE_DOUBLE, r0, rows, f64.data());
            for (std::size_t k = 0; k < count; ++k) {
                const double v = f64[k];
                if (std::isfinite(v) && std::fabs(v) <= double(std::numeric_limits<float>::max())) {
                    dst[k] = float(v);
                } else {
                    const std::int64_t at = r0 * m.d + std::int64_t(k);
                    to_float(v, x, names.cell(at / m.d, at % m.d));
                }
            }
        } else if (kind == Kind::Signed) {
            i64.resize(count);
            x.read_rows(H5T_NATIVE_INT64, r0, rows, i64.data());
            for (std::size_t k = 0; k < count; ++k) dst[k] = float(i64[k]);  // one rounding, as numpy's astype
        } else {
            u64.resize(count);
            x.read_rows(H5T_NATIVE_UINT64, r0, rows, u64.data());
            for (std::size_t k = 0; k < count; ++k) dst[k] = float(u64[k]);
        }
    }
}

// The three arrays of a CSR (rows compressed) or CSC (columns compressed) matrix, checked against
// each other and the shape: indptr starts at 0, never decreases and ends at the number of stored
// values. for_each_block then hands out whole rows (columns) in blocks of about block_bytes,
// each entry's index checked against the other dimension and each value for float32.
class SparseParts {
public:
    SparseParts(const Object& x, const MatrixShape& m)
        : m_(m), data_(part(x, "data")), indices_(part(x, "indices")), indptr_(part(x, "indptr")) {
        if (!is_numeric(data_.kind()))
            data_.fail("unsupported element type " + data_.type_name() + "; X must hold integers or floating-point numbers");
        for (const Object* o : {&indices_, &indptr_})
            if (o->kind() != Kind::Signed && o->kind() != Kind::Unsigned)
                o->fail("unsupported element type " + o->type_name() + "; sparse indices must be integers");
        const std::int64_t major = m.csr ? m.n : m.d;
        nnz_ = data_.element_count();
        if (indices_.element_count() != nnz_)
            indices_.fail("holds " + std::to_string(indices_.element_count()) + " entries but " + data_.path() +
                          " holds " + std::to_string(nnz_) + "; they must match");
        if (indptr_.element_count() != major + 1)
            indptr_.fail("holds " + std::to_string(indptr_.element_count()) + " entries, but a " +
                         (m.csr ? "CSR" : "CSC") + " matrix of shape " + shape_string({m.n, m.d}) + " needs " +
                         std::to_string(major + 1) + " (one per " + major_name() + ", plus one)");
        ptr_ = indptr_.read_int64();
        if (ptr_[0] != 0) indptr_.fail("starts at " + std::to_string(ptr_[0]) + "; it must start at 0");
        for (std::int64_t i = 0; i < major; ++i)
            if (ptr_[std::size_t(i + 1)] < ptr_[std::size_t(i)])
                indptr_.fail("decreases at entry " + std::to_string(i + 1) + " (from " +
                             std::to_string(ptr_[std::size_t(i)]) + " to " + std::to_string(ptr_[std::size_t(i + 1)]) +
                             "); it must never decrease");
        if (ptr_.back() != nnz_)
            indptr_.fail("ends at " + std::to_string(ptr_.back()) + " but " + data_.path() + " holds " +
                         std::to_string(nnz_) + " values; they must match");
    }

    std::int64_t nnz() const { return nnz_; }
    const std::vector<std::int64_t>& indptr() const { return ptr_; }
    /// Bytes of the staging buffers for_each_block uses.
    std::uint64_t staging_bytes() const { return std::uint64_t(std::min(block_entries, nnz_)) * 16; }

    /// Calls visit(row, column, value) for every stored entry, rows (CSR) or columns (CSC) in order.
    template <class Visit>
    void for_each(const Names& names, Visit visit) const {
        const std::int64_t major = m_.csr ? m_.n : m_.d;
        const std::int64_t minor = m_.csr ? m_.d : m_.n;
        std::vector<std::int64_t> idx;
        std::vector<double> val;
        std::int64_t j0 = 0;
        while (j0 < major) {
            // Whole rows (columns) up to about block_entries stored values; at least one.
            std::int64_t j1 = j0 + 1;
            while (j1 < major && ptr_[std::size_t(j1 + 1)] - ptr_[std::size_t(j0)] <= block_entries) ++j1;
            const std::int64_t first = ptr_[std::size_t(j0)];
            const std::int64_t count = ptr_[std::size_t(j1)] - first;
            idx.resize(std::size_t(count));
            val.resize(std::size_t(count));
            indices_.read_rows(H5T_NATIVE_INT64, first, count, idx.data());
            data_.read_rows(H5T_NATIVE_DOUBLE, first, count, val.data());
            for (std::int64_t j = j0; j < j1; ++j)
                for (std::int64_t k = ptr_[std::size_t(j)]; k < ptr_[std::size_t(j + 1)]; ++k) {
                    const std::int64_t i = idx[std::size_t(k - first)];
                    if (i < 0 || i >= minor)
                        indices_.fail("entry " + std::to_string(k) + " (in " + major_name() + " " + std::to_string(j) +
                                      ") is " + std::to_string(i) + ", outside 0.." + std::to_string(minor - 1) +
                                      " (the matrix has " + std::to_string(minor) + " " + minor_name() + "s)");
                    const std::int64_t r = m_.csr ? j : i;
                    const std::int64_t c = m_.csr ? i : j;
                    visit(r, c, to_float(val[std::size_t(k - first)], data_, "entry " + std::to_string(k) + ", " + names.cell(r, c)));
                }
            j0 = j1;
        }
    }

private:
    static constexpr std::int64_t block_entries = std::int64_t(block_bytes / 16);

    static Object part(const Object& x, const char* name) {
        auto o = x.child(name);
        if (!o || !o->is_dataset())
            x.fail(std::string("a sparse matrix needs a dataset '") + name + "' (with data, indices and indptr)");
        const auto shape = o->shape();
        if (shape.size() != 1) o->fail("expected a 1-D array, found shape " + shape_string(shape));
        return std::move(*o);
    }
    const char* major_name() const { return m_.csr ? "row" : "column"; }
    const char* minor_name() const { return m_.csr ? "column" : "row"; }

    MatrixShape m_;
    Object data_, indices_, indptr_;
    std::int64_t nnz_ = 0;
    std::vector<std::int64_t> ptr_;
};

// A sparse X densified. Duplicate entries add up, as scipy's toarray() does.
void read_sparse(const Object& x, const MatrixShape& m, const Names& names, Dataset& ds) {
    const SparseParts parts(x, m);
    check_memory(x.file().path(), m, parts.staging_bytes());
    ds.features.resize(std::size_t(m.n * m.d));
    std::fill(ds.features.begin(), ds.features.end(), 0.0f);
    float* out = ds.features.data();
    parts.for_each(names, [&](std::int64_t r, std::int64_t c, float v) { out[r * m.d + c] += v; });
}

// --- obs / var ----------------------------------------------------------------------------------

std::vector<std::string> read_index(const Object& frame, std::int64_t expected, const std::string& expected_what) {
    if (frame.is_dataset())
        frame.fail("is a table (anndata before 0.7 wrote obs and var so); re-save the file with anndata 0.7 or later");
    const std::string index_name = frame.string_attribute("_index").value_or("_index");
    const auto index = frame.child(index_name);
    if (!index || !index->is_dataset()) return {};
    const auto shape = index->shape();
    if (shape.size() != 1 || shape[0] != expected)
        index->fail("holds " + shape_string(shape) + " names but " + expected_what + "; the shapes must agree");
    return index->read_strings();
}

struct Column {
    MetadataColumn column;
    bool from_bool = false;
};

void check_length(const Object& o, std::int64_t n) {
    const auto shape = o.shape();
    if (shape.size() != 1 || shape[0] != n)
        o.fail("holds " + shape_string(shape) + " values but X has " + std::to_string(n) +
               " rows; every obs column needs one value per row");
}

Column categorical(const std::string& name, const Object& codes_obj, const Object& categories_obj, std::int64_t n) {
    if (codes_obj.kind() != Kind::Signed && codes_obj.kind() != Kind::Unsigned)
        codes_obj.fail("unsupported element type " + codes_obj.type_name() + "; categorical codes must be integers");
    check_length(codes_obj, n);
    if (categories_obj.shape().size() != 1) categories_obj.fail("expected a 1-D array of categories");
    std::vector<std::string> categories = categories_obj.read_strings();
    const std::vector<std::int64_t> raw = codes_obj.read_int64();
    std::vector<std::int32_t> codes(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] < -1 || raw[i] >= std::int64_t(categories.size()))
            codes_obj.fail("row " + std::to_string(i) + " has code " + std::to_string(raw[i]) + ", but there are " +
                           std::to_string(categories.size()) + " categories (-1 means missing)");
        codes[i] = std::int32_t(raw[i]);
    }
    return {MetadataColumn::categorical(name, std::move(codes), std::move(categories)), false};
}

// One obs column, decoded; nothing for kinds a dataset cannot hold (2-D arrays, records, ...).
std::optional<Column> read_column(const Object& obs, const std::string& name, std::int64_t n) {
    const auto col = obs.child(name);
    if (!col) obs.fail("its column-order names '" + name + "', but there is no such column");
    if (col->is_group()) {
        const std::string enc = encoding_of(*col);
        if (enc == "categorical") {
            const auto codes = col->child("codes");
            const auto categories = col->child("categories");
            if (!codes || !categories || !codes->is_dataset() || !categories->is_dataset())
                col->fail("a categorical needs the datasets 'codes' and 'categories'");
            return categorical(name, *codes, *categories, n);
        }
        if (enc == "nullable-integer" || enc == "nullable-boolean") {
            const auto values = col->child("values");
            const auto mask = col->child("mask");
            if (!values || !mask || !values->is_dataset() || !mask->is_dataset())
                col->fail("a " + enc + " column needs the datasets 'values' and 'mask'");
            check_length(*values, n);
            check_length(*mask, n);
            std::vector<double> v = values->read_doubles();
            const std::vector<double> missing = mask->read_doubles();
            if (enc == "nullable-integer") {
                for (std::size_t i = 0; i < v.size(); ++i)
                    if (missing[i] != 0) v[i] = std::numeric_limits<double>::quiet_NaN();
                return Column{MetadataColumn::numeric(name, std::move(v)), false};
            }
            std::vector<std::int32_t> codes(v.size());
            for (std::size_t i = 0; i < v.size(); ++i) codes[i] = missing[i] != 0 ? -1 : (v[i] != 0 ? 1 : 0);
            return Column{MetadataColumn::categorical(name, std::move(codes), {"False", "True"}), true};
        }
        return std::nullopt;
    }
    const Kind kind = col->kind();
    if (kind == Kind::Other || col->shape().size() != 1) return std::nullopt;
    // anndata 0.7: integer codes pointing (by an object reference) at obs/__categories/<name>.
    if (kind == Kind::Signed || kind == Kind::Unsigned) {
        std::optional<Object> categories = col->referenced_by_attribute("categories");
        if (!categories && col->has_attribute("categories"))
            if (const auto dir = obs.child("__categories")) categories = dir->child(name);
        if (categories) {
            if (!categories->is_dataset()) categories->fail("expected an array of categories");
            return categorical(name, *col, *categories, n);
        }
    }
    check_length(*col, n);
    if (kind == Kind::String) return Column{MetadataColumn::text(name, col->read_strings()), false};
    if (kind == Kind::Bool || kind == Kind::Enum) {
        std::vector<std::string> names;
        auto codes = col->read_enum(names);
        return Column{MetadataColumn::categorical(name, std::move(codes), std::move(names)), kind == Kind::Bool};
    }
    return Column{MetadataColumn::numeric(name, col->read_doubles()), false};
}

std::vector<Column> read_obs_columns(const Object& obs, const std::string& index_name, std::int64_t n) {
    std::vector<std::string> order = obs.string_list_attribute("column-order");
    if (order.empty() && !obs.has_attribute("column-order"))
        for (auto& child : obs.children())
            if (child != index_name && child != "__categories") order.push_back(std::move(child));
    std::vector<Column> columns;
    for (const auto& name : order)
        if (auto c = read_column(obs, name, n)) columns.push_back(std::move(*c));
    return columns;
}

// The label: the requested column; else one named label/class/target/y; else one that usually
// holds cell types or clusters in single-cell data; else the first categorical (not a bool, and
// with few enough categories to colour).
std::optional<std::size_t> choose_label(const std::string& path, const std::vector<Column>& columns,
                                        const std::optional<std::string>& requested) {
    if (requested) {
        for (std::size_t i = 0; i < columns.size(); ++i)
            if (columns[i].column.name == *requested) return i;
        std::string names;
        for (const auto& c : columns) names += (names.empty() ? "" : ", ") + c.column.name;
        throw LoadError(path, "label column '" + *requested + "' not found in /obs" +
                                  (names.empty() ? std::string(" (it has no columns)") : " (its columns: " + names + ")"));
    }
    auto colourable = [&](const Column& c) {
        return c.column.kind == ColumnKind::Categorical && !c.from_bool &&
               c.column.categories.size() <= max_label_categories;
    };
    for (std::size_t i = 0; i < columns.size(); ++i)
        if (is_label_name(columns[i].column.name) && columns[i].column.kind != ColumnKind::Text) return i;
    for (const char* name : {"cell_type", "celltype", "cell_types", "cell_ontology_class", "cell_type_original",
                             "leiden", "louvain", "cluster", "clusters"})
        for (std::size_t i = 0; i < columns.size(); ++i)
            if (lower(columns[i].column.name) == name && colourable(columns[i])) return i;
    for (std::size_t i = 0; i < columns.size(); ++i)
        if (colourable(columns[i])) return i;
    return std::nullopt;
}

// --- obsm ---------------------------------------------------------------------------------------

std::vector<PrecomputedEmbedding> read_obsm(const Object& obsm, std::int64_t n, const std::vector<std::string>& ids) {
    std::vector<PrecomputedEmbedding> out;
    const std::vector<std::string> no_names;
    for (const auto& key : obsm.children()) {
        const auto o = obsm.child(key);
        // Data frames and sparse matrices in obsm are not embeddings.
        if (!o || !o->is_dataset() || !is_numeric(o->kind())) continue;
        const auto shape = o->shape();
        if (shape.size() != 2 || shape[1] < 1) continue;
        if (shape[0] != n)
            o->fail("holds " + shape_string(shape) + " but X has " + std::to_string(n) +
                    " rows; an obsm array needs one row per cell");
        PrecomputedEmbedding e;
        e.name = key;
        e.dims = shape[1];
        const std::string& file = obsm.file().path();
        const std::uint64_t bytes = io::checked_mul(file, io::checked_mul(file, std::uint64_t(n), std::uint64_t(e.dims)), 12);
        io::check_fits_in_memory(file, bytes, "the embedding " + o->path());
        std::vector<double> v(std::size_t(n * e.dims));
        o->read_rows(H5T_NATIVE_DOUBLE, 0, n, v.data());
        e.values.resize(v.size());
        const Names names{&ids, &no_names};
        for (std::size_t k = 0; k < v.size(); ++k)
            e.values[k] = to_float(v[k], *o, names.cell(std::int64_t(k) / e.dims, std::int64_t(k) % e.dims));
        out.push_back(std::move(e));
    }
    return out;
}

// The features matrix: X, or the one LoadOptions::array names ("layers/counts", "raw/X",
// "obsm/X_pca": a path inside the file).
Object find_matrix(const std::string& path, const Object& root, const std::string& x_path, bool requested) {
    std::optional<Object> at = root.child(x_path.substr(0, x_path.find('/')));
    for (std::size_t pos = x_path.find('/'); at && pos != std::string::npos;) {
        const std::size_t next = x_path.find('/', pos + 1);
        at = at->child(x_path.substr(pos + 1, next == std::string::npos ? std::string::npos : next - pos - 1));
        pos = next;
    }
    if (at) return std::move(*at);
    std::string members;
    for (const auto& c : root.children()) members += (members.empty() ? "" : ", ") + c;
    if (requested)
        throw LoadError(path, "/" + x_path + ": no such matrix in the file (its top level holds: " + members + ")");
    const bool anndata = root.child("obs").has_value() && root.child("var").has_value();
    throw LoadError(path, anndata ? "/X: this AnnData file has no X matrix; choose another matrix as the "
                                    "features with --array (e.g. layers/counts or obsm/X_pca)"
                                  : "not an AnnData file: there is no /X matrix (its top level holds: " +
                                        (members.empty() ? std::string("nothing") : members) + ")");
}

/// The matrix the options name (X unless --array), with its shape; an empty one is refused.
struct Matrix {
    std::string path;  ///< inside the file
    Object object;
    MatrixShape shape;
};
Matrix open_matrix(const std::string& file_path, const Object& root, const LoadOptions& options) {
    const std::string x_path = options.array ? *options.array : "X";
    Object x = find_matrix(file_path, root, x_path, options.array.has_value());
    const MatrixShape m = matrix_shape(x);
    if (m.n == 0 || m.d == 0) x.fail("the matrix is empty: shape " + shape_string({m.n, m.d}));
    return {x_path, std::move(x), m};
}

// The matrix's column names: var's index for X and layers, raw/var's for raw/X, else
// "<key>_1", "<key>_2", ...
std::vector<std::string> column_names(const Object& root, const std::string& x_path, std::int64_t d) {
    std::optional<Object> var;
    if (x_path.starts_with("raw/")) {
        if (const auto raw = root.child("raw")) var = raw->child("var");
    } else if (!x_path.starts_with("obsm/")) {
        var = root.child("var");
    }
    std::vector<std::string> names;
    if (var) names = read_index(*var, d, "/" + x_path + " has " + std::to_string(d) + " columns");
    if (names.empty()) {
        const std::string stem = x_path.substr(x_path.rfind('/') + 1);
        for (std::int64_t j = 0; j < d; ++j) names.push_back(stem + "_" + std::to_string(j + 1));
    }
    return names;
}

}  // namespace

Dataset load_h5ad(const std::string& path, const LoadOptions& options) {
    Dataset ds;
    {
        const internal::h5::File file(path);
        const Object root = file.root();
        const Matrix matrix = open_matrix(path, root, options);
        const std::string& x_path = matrix.path;
        const Object& x = matrix.object;
        const MatrixShape& m = matrix.shape;
        // Names first, so that errors in X can name the cell and the gene.
        ds.feature_names = column_names(root, x_path, m.d);
        std::vector<Column> columns;
        if (const auto obs = root.child("obs")) {
            ds.row_ids = read_index(*obs, m.n, "/" + x_path + " has " + std::to_string(m.n) + " rows");
            columns = read_obs_columns(*obs, obs->string_attribute("_index").value_or("_index"), m.n);
        }
        const Names names{&ds.row_ids, &ds.feature_names};
        if (m.sparse)
            read_sparse(x, m, names, ds);
        else
            read_dense(x, m, names, ds);
        ds.n = m.n;
        ds.d = m.d;

        if (const auto obsm = root.child("obsm"); obsm && obsm->is_group())
            ds.embeddings = read_obsm(*obsm, m.n, ds.row_ids);
        const auto label = choose_label(path, columns, options.label);
        for (auto& c : columns) ds.metadata.push_back(std::move(c.column));
        ds.label_column = label;
    }
    ds.source = path;
    ds.format = "h5ad";
    ds.check_consistent();
    return ds;
}

}  // namespace latentscape::data

namespace latentscape::data {

bool h5ad_x_is_sparse(const std::string& path, const LoadOptions& options) {
    const internal::h5::File file(path);
    return open_matrix(path, file.root(), options).shape.sparse;
}

CsrMatrix load_h5ad_csr(const std::string& path, const LoadOptions& options, Dataset* rows_out) {
    CsrMatrix out;
    std::vector<Column> columns;
    {
        const internal::h5::File file(path);
        const Object root = file.root();
        const Matrix matrix = open_matrix(path, root, options);
        const std::string& x_path = matrix.path;
        const Object& x = matrix.object;
        const MatrixShape& m = matrix.shape;
        if (!m.sparse) x.fail("is stored dense, not as a sparse matrix; load it with load_h5ad");
        if (m.d > std::numeric_limits<std::int32_t>::max())
            x.fail("has " + std::to_string(m.d) + " columns; at most 2^31 - 1 are supported");
        const std::vector<std::string> feature_names = column_names(root, x_path, m.d);
        std::vector<std::string> row_ids;
        if (const auto obs = root.child("obs")) {
            row_ids = read_index(*obs, m.n, "/" + x_path + " has " + std::to_string(m.n) + " rows");
            if (rows_out) columns = read_obs_columns(*obs, obs->string_attribute("_index").value_or("_index"), m.n);
        }
        if (rows_out) {
            Dataset& r = *rows_out;
            r = Dataset{};
            r.n = m.n;
            r.row_ids = row_ids;
            r.label_column = choose_label(path, columns, options.label);
            for (auto& c : columns) r.metadata.push_back(std::move(c.column));
            r.source = path;
            r.format = "h5ad";
        }
        const SparseParts parts(x, m);
        const std::uint64_t nnz = std::uint64_t(parts.nnz());
        const std::string& f = file.path();
        io::check_fits_in_memory(f,
                                 io::checked_mul(f, nnz, m.csr ? 8 : 24) + io::checked_mul(f, std::uint64_t(m.n) + 1, 8) +
                                     parts.staging_bytes(),
                                 "the sparse matrix (" + std::to_string(nnz) + " stored values)");
        out.n = m.n;
        out.d = m.d;
        out.indices.resize(nnz);
        out.values.resize(nnz);
        const Names names{&row_ids, &feature_names};
        if (m.csr) {
            out.indptr = parts.indptr();
            std::size_t k = 0;
            parts.for_each(names, [&](std::int64_t, std::int64_t c, float v) {
                out.indices[k] = std::int32_t(c);
                out.values[k++] = v;
            });
        } else {
            // CSC: visited column by column, so a stable bucket by row leaves each row's columns ascending.
            std::vector<std::int64_t> rows(nnz), cols(nnz);
            std::vector<float> vals(nnz);
            std::size_t k = 0;
            out.indptr.assign(std::size_t(m.n) + 1, 0);
            parts.for_each(names, [&](std::int64_t r, std::int64_t c, float v) {
                rows[k] = r;
                cols[k] = c;
                vals[k++] = v;
                ++out.indptr[std::size_t(r) + 1];
            });
            for (std::int64_t i = 0; i < m.n; ++i) out.indptr[std::size_t(i + 1)] += out.indptr[std::size_t(i)];
            std::vector<std::int64_t> next(out.indptr.begin(), out.indptr.end() - 1);
            for (std::size_t e = 0; e < nnz; ++e) {
                const std::size_t at = std::size_t(next[std::size_t(rows[e])]++);
                out.indices[at] = std::int32_t(cols[e]);
                out.values[at] = vals[e];
            }
        }
    }
    // Canonical form: each row's columns ascending, duplicates summed (as scipy's sum_duplicates).
    std::vector<std::pair<std::int32_t, float>> row;
    std::int64_t write = 0;
    for (std::int64_t i = 0; i < out.n; ++i) {
        const std::int64_t begin = out.indptr[std::size_t(i)], end = out.indptr[std::size_t(i + 1)];
        out.indptr[std::size_t(i)] = write;
        row.clear();
        for (std::int64_t k = begin; k < end; ++k) row.emplace_back(out.indices[std::size_t(k)], out.values[std::size_t(k)]);
        std::stable_sort(row.begin(), row.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        for (std::size_t k = 0; k < row.size(); ++k) {
            if (k > 0 && row[k].first == row[k - 1].first) {
                out.values[std::size_t(write - 1)] += row[k].second;
                continue;
            }
            out.indices[std::size_t(write)] = row[k].first;
            out.values[std::size_t(write++)] = row[k].second;
        }
    }
    out.indptr.back() = write;
    out.indices.resize(std::size_t(write));
    out.values.resize(std::size_t(write));
    out.check_consistent();
    return out;
}

}  // namespace latentscape::data
