// .npy shards as one dataset: a folder of .npy files, or a manifest naming them (load.h).
// Written by a sharded job, e.g. packaging/dask-transform.py: one `latentscape-cli transform` per
// partition, each writing its rows' positions as a shard.
#include "data/load.h"

#include "common/error.h"
#include "common/file_io.h"
#include "data/npy_format.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <filesystem>

namespace latentscape::data {

namespace fs = std::filesystem;

namespace {

constexpr const char* kManifestName = "manifest.json";

struct Shard {
    std::string features;                ///< the path, resolved
    std::optional<std::string> labels;   ///< a 1-D .npy of its rows' labels
    std::optional<std::int64_t> rows;    ///< as the manifest declares them
};

struct ShardList {
    std::optional<std::string> manifest;
    std::vector<Shard> shards;
};

bool is_npy_name(const std::string& name) { return lower(name).ends_with(".npy"); }
bool is_labels_name(const std::string& name) { return lower(name).ends_with(".labels.npy"); }

/// "part-2" before "part-10": runs of digits compare by value, the rest byte by byte.
bool natural_less(const std::string& a, const std::string& b) {
    std::size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        const bool da = std::isdigit(static_cast<unsigned char>(a[i])), db = std::isdigit(static_cast<unsigned char>(b[j]));
        if (da && db) {
            std::size_t ie = i, je = j;
            while (ie < a.size() && std::isdigit(static_cast<unsigned char>(a[ie]))) ++ie;
            while (je < b.size() && std::isdigit(static_cast<unsigned char>(b[je]))) ++je;
            std::size_t is = i, js = j;  // leading zeros do not count
            while (is + 1 < ie && a[is] == '0') ++is;
            while (js + 1 < je && b[js] == '0') ++js;
            if (ie - is != je - js) return ie - is < je - js;
            const int c = a.compare(is, ie - is, b, js, je - js);
            if (c != 0) return c < 0;
            i = ie;
            j = je;
        } else {
            if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
            ++i;
            ++j;
        }
    }
    if ((a.size() - i) != (b.size() - j)) return a.size() - i < b.size() - j;
    return a < b;
}

ShardList read_manifest(const std::string& path) {
    const std::string text = io::read_file(path);
    nlohmann::json root;
    try {
        root = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw LoadError(path, std::string("not a valid JSON manifest: ") + e.what(), std::nullopt,
                        std::int64_t(e.byte > 0 ? e.byte - 1 : 0));
    }
    auto bad = [&](const std::string& cause) { throw LoadError(path, cause); };
    if (!root.is_object()) bad("a shards manifest must be a JSON object");
    const auto format = root.find("format");
    if (format == root.end() || !format->is_string() || *format != "latentscape-shards")
        bad("not a shards manifest: \"format\" must be \"latentscape-shards\"");
    const auto version = root.find("version");
    if (version == root.end() || !version->is_number_integer()) bad("\"version\" must be an integer");
    if (version->get<std::int64_t>() != 1)
        bad("manifest version " + std::to_string(version->get<std::int64_t>()) +
            " is not supported (this version reads version 1)");
    const auto shards = root.find("shards");
    if (shards == root.end() || !shards->is_array() || shards->empty()) bad("\"shards\" must be a non-empty array");
    const fs::path folder = fs::path(path).parent_path();
    ShardList list;
    list.manifest = path;
    for (std::size_t i = 0; i < shards->size(); ++i) {
        const nlohmann::json& s = (*shards)[i];
        const std::string where = "shard " + std::to_string(i);
        if (!s.is_object()) bad(where + " must be an object");
        const auto features = s.find("features");
        if (features == s.end() || !features->is_string() || features->get<std::string>().empty())
            bad(where + " needs \"features\": the path of its .npy");
        Shard shard;
        shard.features = (folder / features->get<std::string>()).string();
        if (const auto labels = s.find("labels"); labels != s.end() && !labels->is_null()) {
            if (!labels->is_string() || labels->get<std::string>().empty())
                bad(where + ": \"labels\" must be the path of a 1-D .npy");
            shard.labels = (folder / labels->get<std::string>()).string();
        }
        if (const auto rows = s.find("rows"); rows != s.end()) {
            if (!rows->is_number_integer() || rows->get<std::int64_t>() < 0)
                bad(where + ": \"rows\" must be a count of rows");
            shard.rows = rows->get<std::int64_t>();
        }
        list.shards.push_back(std::move(shard));
    }
    return list;
}

/// A folder entry named *.npy must be a readable regular file: a broken link, a link loop or a
/// folder is an error naming it, never a silently missing shard.
void require_regular(const fs::path& entry) {
    std::error_code ec;
    const fs::file_status st = fs::status(entry, ec);
    if (ec) {
        std::error_code lec;
        const bool link = fs::is_symlink(fs::symlink_status(entry, lec));
        throw LoadError(entry.string(), (link ? "is a broken link (" : "cannot be read as a shard (") + ec.message() +
                                            "): remove it from the shard folder or restore it");
    }
    if (!fs::is_regular_file(st))
        throw LoadError(entry.string(), "is not a regular file (a folder or a device): remove it from the shard folder");
}

ShardList list_shards(const std::string& path) {
    std::error_code ec;
    if (!fs::is_directory(path, ec)) return read_manifest(path);
    const fs::path manifest = fs::path(path) / kManifestName;
    std::error_code mec;
    if (fs::symlink_status(manifest, mec).type() != fs::file_type::not_found && !mec) {
        require_regular(manifest);  // a broken link is named, not taken for "no manifest"
        return read_manifest(manifest.string());
    }
    std::vector<std::string> names;
    for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (is_npy_name(name) && !is_labels_name(name)) names.push_back(name);
    }
    if (ec) throw LoadError(path, "cannot list the folder (" + ec.message() + ")");
    if (names.empty()) throw LoadError(path, "holds no .npy shards and no manifest.json");
    std::sort(names.begin(), names.end(), natural_less);
    ShardList list;
    for (const std::string& name : names) {
        Shard shard;
        require_regular(fs::path(path) / name);
        shard.features = (fs::path(path) / name).string();
        const fs::path labels = fs::path(path) / (name.substr(0, name.size() - 4) + ".labels.npy");
        std::error_code lec;
        if (fs::symlink_status(labels, lec).type() != fs::file_type::not_found && !lec) {
            require_regular(labels);
            shard.labels = labels.string();
        }
        list.shards.push_back(std::move(shard));
    }
    return list;
}

bool is_image_name(const std::string& name) {
    const std::string n = lower(name);
    for (const char* ext : {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff", ".pgm", ".ppm"})
        if (n.ends_with(ext)) return true;
    return false;
}

/// A shard's shape from its header alone (plain .npy files; gzipped ones are unknown until read).
struct Peek {
    bool known = false;
    std::int64_t rows = 0;
    std::int64_t cols = 0;
    bool image_bytes = false;  ///< a 3-D or 4-D uint8 stack: the loader keeps the images too
};

Peek peek(const std::string& path) {
    const io::InputFile file(path);
    char preamble[internal::npy_preamble_size];
    const std::size_t got = file.read_at(preamble, sizeof preamble, 0);
    Peek p;
    if (got == 0 || io::is_gzip(preamble, got)) return p;
    const internal::Source src{path, 0, {}, false};
    const std::size_t header_size = internal::npy_header_size(src, preamble, got);
    std::string header(header_size, '\0');
    header.resize(file.read_at(header.data(), header_size, 0));
    const internal::NpyHeader h = internal::parse_npy_header(src, header.data(), header.size());
    if (h.shape.empty()) return p;  // a 0-d array: the loader says what is wrong
    p.known = true;
    p.rows = h.shape[0];
    p.cols = 1;
    for (std::size_t k = 1; k < h.shape.size(); ++k) p.cols = std::int64_t(io::checked_mul(path, std::uint64_t(p.cols), std::uint64_t(h.shape[k])));
    p.image_bytes = (h.shape.size() == 3 || h.shape.size() == 4) && h.dtype.kind == internal::ScalarKind::UnsignedInt &&
                    h.dtype.size == 1;
    return p;
}

}  // namespace

bool is_shard_folder(const std::string& path) {
    std::error_code ec;
    if (!fs::is_directory(path, ec)) return false;
    std::error_code mec;
    if (fs::symlink_status(fs::path(path) / kManifestName, mec).type() != fs::file_type::not_found && !mec) return true;
    // .npy files, and nothing of an image folder: no images beside them, and no sub-folder with
    // images directly in it (a class of an image folder). Other sub-folders (an output folder,
    // Jupyter's .ipynb_checkpoints) and hidden entries do not count.
    bool npy = false;
    for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.starts_with('.')) continue;
        std::error_code tec;
        if (is_image_name(name)) return false;
        if (it->is_directory(tec)) {
            std::error_code sec;
            for (fs::directory_iterator sub(it->path(), sec), send; !sec && sub != send; sub.increment(sec))
                if (is_image_name(sub->path().filename().string())) return false;
            continue;
        }
        if (is_npy_name(name) && !is_labels_name(name)) npy = true;
    }
    return npy;
}

std::vector<std::string> shard_files(const std::string& path) {
    const ShardList list = list_shards(path);
    std::vector<std::string> files;
    if (list.manifest) files.push_back(*list.manifest);
    for (const Shard& s : list.shards) {
        files.push_back(s.features);
        if (s.labels) files.push_back(*s.labels);
    }
    return files;
}

Dataset load_shards(const std::string& path, const LoadOptions& options) {
    if (options.labels_path)
        throw LoadError(path, "a separate labels file does not apply to shards: each shard's labels sit beside it "
                              "(NAME.labels.npy) or are named in the manifest");
    const ShardList list = list_shards(path);
    const std::string& origin = list.manifest ? *list.manifest : path;
    const bool labelled = list.shards.front().labels.has_value();
    LoadOptions shard_options;
    shard_options.memory_map = MemoryMap::Always;  // native float32 shards: copied straight from the page cache

    // Pass 1: every shard's shape from its header (a gzipped one is read now), its labels, the
    // total; the memory is checked before anything of the size of the dataset is allocated.
    const std::size_t count = list.shards.size();
    std::vector<Peek> shapes(count);
    std::vector<std::optional<Dataset>> early(count);
    std::int64_t n = 0, d = -1;
    std::size_t reference = 0;
    std::uint64_t bytes = 0;
    internal::LabelValues labels;
    for (std::size_t i = 0; i < count; ++i) {
        const Shard& s = list.shards[i];
        Peek p = peek(s.features);
        if (!p.known) {
            early[i] = load_npy(s.features, shard_options);
            p = {true, early[i]->n, early[i]->d, !early[i]->images.empty()};
        }
        shapes[i] = p;
        if (d < 0) {
            d = p.cols;
            reference = i;
        } else if (p.cols != d) {
            throw LoadError(s.features, "has " + std::to_string(p.cols) + " columns but " + list.shards[reference].features +
                                            " has " + std::to_string(d) + "; every shard must have the same columns");
        }
        if (s.labels.has_value() != labelled)
            throw LoadError(origin, "shard " + std::to_string(i) + " (" + s.features + ") " +
                                        (labelled ? "has no labels but the first shard has"
                                                  : "has labels but the first shard has none") +
                                        ": either every shard is labelled or none is");
        if (s.rows && *s.rows != p.rows)
            throw LoadError(origin, "shard " + std::to_string(i) + " (" + s.features + ") has " + std::to_string(p.rows) +
                                        " rows but the manifest says " + std::to_string(*s.rows));
        if (s.labels) {
            const internal::FileContent content = internal::read_content(*s.labels);
            const internal::Source src{*s.labels, 0, {}, content.gzipped};
            const internal::LabelValues values =
                internal::labels_from_npy(src, content.bytes.data(), content.bytes.size(), p.rows);
            if (std::int64_t(values.size()) != p.rows)
                src.fail("holds " + std::to_string(values.size()) + " labels but its shard " + s.features + " has " +
                             std::to_string(p.rows) + " rows; there must be one label per row",
                         0);
            try {
                labels.append(values);
            } catch (const std::invalid_argument&) {
                src.fail(std::string("holds ") + (values.text ? "text" : "numbers") + " but the earlier shards' labels are " +
                             (values.text ? "numbers" : "text"),
                         0);
            }
        }
        n += p.rows;
        const std::uint64_t cells = io::checked_mul(s.features, std::uint64_t(p.rows), std::uint64_t(p.cols));
        bytes += io::checked_mul(s.features, cells, sizeof(float) + (p.image_bytes ? 1 : 0));
    }
    if (n == 0) throw LoadError(origin, "every shard is empty: there are no rows to load");
    io::check_fits_in_memory(origin, bytes, "the shards' rows");

    // Pass 2: each non-empty shard read (or mapped) in turn, copied into place and let go.
    Dataset ds;
    ds.n = n;
    ds.d = d;
    internal::allocate_features(ds, n, d);
    bool images = true;  // while every shard so far has had images of the same size
    std::size_t at = 0;
    for (std::size_t i = 0; i < count; ++i) {
        if (shapes[i].rows == 0) continue;  // e.g. an empty partition of a filtered job
        const Shard& s = list.shards[i];
        Dataset part = early[i] ? std::move(*early[i]) : load_npy(s.features, shard_options);
        early[i].reset();
        if (part.n != shapes[i].rows || part.d != d)
            throw LoadError(s.features, "changed while the shards were being read: reopen the folder");
        if (ds.feature_names.empty()) ds.feature_names = part.feature_names;
        const std::size_t values = std::size_t(part.n) * std::size_t(part.d);
        std::memcpy(ds.features.data() + at, part.features.data(), values * sizeof(float));
        at += values;
        if (images && !part.images.empty() &&
            (ds.images.empty() ? at == values
                               : part.images.width == ds.images.width && part.images.height == ds.images.height &&
                                     part.images.channels == ds.images.channels)) {
            if (ds.images.empty()) {
                ds.images.width = part.images.width;
                ds.images.height = part.images.height;
                ds.images.channels = part.images.channels;
                ds.images.pixels.reserve(std::size_t(n) * part.images.image_bytes());
            }
            ds.images.pixels.insert(ds.images.pixels.end(), part.images.pixels.begin(), part.images.pixels.end());
        } else {
            images = false;
            ds.images = ImageStack{};
        }
    }
    if (labelled) internal::attach_label(internal::Source{origin, 0, {}, false}, "label", labels, ds);
    ds.source = path;
    ds.format = "shards";
    ds.check_consistent();
    return ds;
}

}  // namespace latentscape::data
