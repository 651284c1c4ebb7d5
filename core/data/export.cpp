#include "data/export.h"

#include "common/file_io.h"
#include "data/write.h"

#include <charconv>
#include <filesystem>
#include <ostream>
#include <random>
#include <set>
#include <stdexcept>
#include <system_error>

namespace latentscape::data {
namespace {

/// Gives every column a distinct name: a taken one becomes "<name>_2", "<name>_3", ...
class ColumnNames {
public:
    bool taken(const std::string& name) const { return used_.count(name) > 0; }
    std::string claim(const std::string& name) {
        std::string candidate = name;
        for (int k = 2; taken(candidate); ++k) candidate = name + "_" + std::to_string(k);
        used_.insert(candidate);
        return candidate;
    }

private:
    std::set<std::string> used_;
};

/// True when column `m` holds, row for row, exactly `value(i)`.
template <class Value>
bool repeats(const MetadataColumn& m, std::int64_t n, Value value) {
    for (std::int64_t i = 0; i < n; ++i)
        if (m.value_string(std::size_t(i)) != value(i)) return false;
    return true;
}

/// The non-coordinate columns of an embedding export (see the top of export.h).
struct TextColumns {
    const Dataset* ds = nullptr;
    const select::Selection* selection = nullptr;
    std::vector<std::string> names;               ///< header: id, index, metadata..., [selected]
    std::vector<const MetadataColumn*> metadata;  ///< in output order

    /// Writes the fields of row i, comma-separated, without a line break.
    void write_row(std::ostream& out, std::int64_t i) const {
        internal::put_csv_field(out, ds->row_id(i));
        out << ',' << i;
        for (const MetadataColumn* m : metadata) {
            out << ',';
            internal::put_csv_field(out, m->value_string(std::size_t(i)));
        }
        if (selection) out << ',' << (selection->contains(i) ? '1' : '0');
    }
    void write_header(std::ostream& out) const {
        for (std::size_t c = 0; c < names.size(); ++c) {
            if (c) out << ',';
            internal::put_csv_field(out, names[c]);
        }
    }
};

/// Chooses the columns and their names; `coordinates` receives the unique coordinate names.
TextColumns text_columns(const Dataset& ds, const EmbeddingExportOptions& options, int dims,
                         std::vector<std::string>& coordinates) {
    TextColumns t;
    t.ds = &ds;
    t.selection = options.selection ? &*options.selection : nullptr;
    ColumnNames names;
    t.names.push_back(names.claim("id"));
    t.names.push_back(names.claim("index"));
    if (t.selection) names.claim("selected");
    coordinates.clear();
    for (int k = 0; k < dims; ++k)
        coordinates.push_back(names.claim(options.coordinate_names.empty() ? options.method + std::to_string(k + 1)
                                                                           : options.coordinate_names[std::size_t(k)]));
    std::vector<const MetadataColumn*> order;
    if (const MetadataColumn* label = ds.label()) order.push_back(label);
    for (const MetadataColumn& m : ds.metadata)
        if (&m != ds.label()) order.push_back(&m);
    for (const MetadataColumn* m : order) {
        // A CSV's id column is both a metadata column and the row ids: write it once.
        if (m->name == "id" && repeats(*m, ds.n, [&ds](std::int64_t i) { return ds.row_id(i); })) continue;
        if (m->name == "index" && repeats(*m, ds.n, [](std::int64_t i) { return std::to_string(i); })) continue;
        t.metadata.push_back(m);
        t.names.push_back(names.claim(m->name));
    }
    if (t.selection) t.names.push_back("selected");
    return t;
}

/// Throws std::runtime_error naming `path` when its folder does not exist.
void check_folder(const std::string& path) {
    namespace fs = std::filesystem;
    const fs::path dir = fs::path(path).parent_path();
    std::error_code ec;
    if (!dir.empty() && !fs::is_directory(dir, ec))
        throw std::runtime_error(path + ": cannot write it: the folder " + dir.string() + " does not exist");
}

void write_float(std::ostream& out, float v) {
    // The shortest text that reads back as the same float32 (at most 9 significant digits).
    char buf[32];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    out.write(buf, res.ptr - buf);
}

}  // namespace

std::string embedding_sidecar_path(const std::string& npy_path) {
    std::string base = npy_path;
    if (io::extension(npy_path) == "npy" && base.size() >= 4) base.resize(base.size() - 4);
    return base + ".meta.csv";
}

std::vector<std::string> export_embedding(const Dataset& ds, std::span<const float> embedding, int dims,
                                          const std::string& path, const EmbeddingExportOptions& options) {
    bool gzipped = false;
    const std::string ext = io::extension(path, &gzipped);
    if (gzipped || (ext != "csv" && ext != "npy"))
        throw std::invalid_argument(path + ": an embedding is exported as .csv or .npy");
    if (dims < 1) throw std::invalid_argument("export: the embedding needs at least one dimension");
    if (embedding.size() != std::size_t(ds.n) * std::size_t(dims))
        throw std::invalid_argument("export: the embedding holds " + std::to_string(embedding.size()) + " values, not " +
                                    std::to_string(ds.n) + " rows x " + std::to_string(dims));
    if (!options.coordinate_names.empty() && options.coordinate_names.size() != std::size_t(dims))
        throw std::invalid_argument("export: " + std::to_string(options.coordinate_names.size()) +
                                    " coordinate names for " + std::to_string(dims) + " dimensions");
    if (options.selection && options.selection->size() != ds.n)
        throw std::invalid_argument("export: the selection is for " + std::to_string(options.selection->size()) +
                                    " rows, the dataset has " + std::to_string(ds.n));
    if (options.selection_only && (!options.selection || options.selection->empty()))
        throw std::invalid_argument("export: nothing is selected");
    check_folder(path);

    std::vector<std::int64_t> rows;
    if (options.selection_only) {
        rows = options.selection->ids();
    } else {
        rows.resize(std::size_t(ds.n));
        for (std::int64_t i = 0; i < ds.n; ++i) rows[std::size_t(i)] = i;
    }
    std::vector<std::string> coordinates;
    const TextColumns columns = text_columns(ds, options, dims, coordinates);
    const auto write_text = [&](std::ostream& out, bool with_coordinates) {
        columns.write_header(out);
        if (with_coordinates)
            for (const std::string& name : coordinates) {
                out << ',';
                internal::put_csv_field(out, name);
            }
        out << '\n';
        for (const std::int64_t i : rows) {
            columns.write_row(out, i);
            if (with_coordinates) {
                const float* y = embedding.data() + std::size_t(i) * std::size_t(dims);
                for (int k = 0; k < dims; ++k) {
                    out << ',';
                    write_float(out, y[k]);
                }
            }
            out << '\n';
        }
    };

    if (ext == "csv") {
        io::write_atomically(path, [&](std::ostream& out) { write_text(out, true); });
        return {path};
    }

    // NPY: the coordinates of the exported rows as a features-only dataset, for write_npy.
    Dataset coords;
    coords.n = std::int64_t(rows.size());
    coords.d = dims;
    coords.features.resize(rows.size() * std::size_t(dims));
    for (std::size_t r = 0; r < rows.size(); ++r)
        for (int k = 0; k < dims; ++k)
            coords.features[r * std::size_t(dims) + std::size_t(k)] =
                embedding[std::size_t(rows[r]) * std::size_t(dims) + std::size_t(k)];
    coords.feature_names = coordinates;

    // The pair is replaced together: the sidecar waits under a hidden name until the NPY is in
    // place, so a failed export leaves both old files as they were.
    namespace fs = std::filesystem;
    const std::string sidecar = embedding_sidecar_path(path);
    // Pending sidecars of exports killed before their rename go first (as write_atomically's own
    // temporaries do).
    io::remove_stale_temporaries(sidecar, "pending");
    const fs::path pending = io::temporary_path(sidecar, "pending");
    try {
        io::write_atomically(pending.string(), [&](std::ostream& out) { write_text(out, false); });
    } catch (const std::runtime_error& e) {
        // Name the file the user asked for, not the hidden one.
        std::string cause = e.what();
        const std::string prefix = pending.string() + ": ";
        if (cause.starts_with(prefix)) cause.erase(0, prefix.size());
        throw std::runtime_error(sidecar + ": " + cause);
    }
    std::error_code ec;
    try {
        write_npy(coords, path);
    } catch (...) {
        fs::remove(pending, ec);
        throw;
    }
    fs::rename(pending, sidecar, ec);
    if (ec) {
        std::error_code ignore;
        fs::remove(pending, ignore);
        throw std::runtime_error(sidecar + ": cannot replace the file: " + ec.message() + " (" + path +
                                 " was written)");
    }
    return {path, sidecar};
}

void export_labels(const Dataset& ds, const std::string& column, const std::string& path,
                   const std::optional<select::Selection>& rows) {
    const std::optional<std::size_t> at = ds.find_metadata(column);
    if (!at) throw std::invalid_argument("export: the dataset has no column '" + column + "'");
    bool gzipped = false;
    if (io::extension(path, &gzipped) != "csv" || gzipped)
        throw std::invalid_argument(path + ": labels are exported as .csv");
    if (rows && rows->size() != ds.n)
        throw std::invalid_argument("export: the selection is for " + std::to_string(rows->size()) +
                                    " rows, the dataset has " + std::to_string(ds.n));
    check_folder(path);
    const MetadataColumn& m = ds.metadata[*at];
    io::write_atomically(path, [&](std::ostream& out) {
        ColumnNames names;
        out << names.claim("id") << ',';
        internal::put_csv_field(out, names.claim(m.name));
        out << '\n';
        for (std::int64_t i = 0; i < ds.n; ++i) {
            if (rows && !rows->contains(i)) continue;
            internal::put_csv_field(out, ds.row_id(i));
            out << ',';
            internal::put_csv_field(out, m.value_string(std::size_t(i)));
            out << '\n';
        }
    });
}

}  // namespace latentscape::data
