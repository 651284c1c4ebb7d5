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

ShardList list_shards(const std::string& path) {
    std::error_code ec;
    if (!fs::is_directory(path, ec)) return read_manifest(path);
    const fs::path manifest = fs::path(path) / kManifestName;
    if (fs::is_regular_file(manifest, ec)) return read_manifest(manifest.string());
    std::vector<std::string> names;
    for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (is_npy_name(name) && !is_labels_name(name) && it->is_regular_file(ec)) names.push_back(name);
    }
    if (ec) throw LoadError(path, "cannot list the folder (" + ec.message() + ")");
    if (names.empty()) throw LoadError(path, "holds no .npy shards and no manifest.json");
    std::sort(names.begin(), names.end(), natural_less);
    ShardList list;
    for (const std::string& name : names) {
        Shard shard;
        shard.features = (fs::path(path) / name).string();
        const fs::path labels = fs::path(path) / (name.substr(0, name.size() - 4) + ".labels.npy");
        if (fs::is_regular_file(labels, ec)) shard.labels = labels.string();
        list.shards.push_back(std::move(shard));
    }
    return list;
}

}  // namespace

bool is_shard_folder(const std::string& path) {
    std::error_code ec;
    if (!fs::is_directory(path, ec)) return false;
    if (fs::is_regular_file(fs::path(path) / kManifestName, ec)) return true;
    for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec))
        if (is_npy_name(it->path().filename().string()) && it->is_regular_file(ec)) return true;
    return false;
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
    // Each shard as the .npy loader reads it (native float32 ones mapped, so nothing is held twice),
    // then the rows copied into one matrix.
    LoadOptions shard_options;
    shard_options.memory_map = MemoryMap::Always;
    std::vector<Dataset> parts;
    parts.reserve(list.shards.size());
    std::int64_t n = 0;
    std::uint64_t bytes = 0;
    internal::LabelValues labels;
    for (std::size_t i = 0; i < list.shards.size(); ++i) {
        const Shard& s = list.shards[i];
        if (s.labels.has_value() != labelled)
            throw LoadError(origin, "shard " + std::to_string(i) + " (" + s.features + ") " +
                                        (labelled ? "has no labels but the first shard has"
                                                  : "has labels but the first shard has none") +
                                        ": either every shard is labelled or none is");
        Dataset part = load_npy(s.features, shard_options);
        if (!parts.empty() && part.d != parts.front().d)
            throw LoadError(s.features, "has " + std::to_string(part.d) + " columns but " + list.shards.front().features +
                                            " has " + std::to_string(parts.front().d) +
                                            "; every shard must have the same columns");
        if (s.rows && *s.rows != part.n)
            throw LoadError(origin, "shard " + std::to_string(i) + " (" + s.features + ") has " + std::to_string(part.n) +
                                        " rows but the manifest says " + std::to_string(*s.rows));
        if (s.labels) {
            const internal::FileContent content = internal::read_content(*s.labels);
            const internal::Source src{*s.labels, 0, {}, content.gzipped};
            const internal::LabelValues values = internal::labels_from_npy(src, content.bytes.data(), content.bytes.size());
            if (std::int64_t(values.size()) != part.n)
                src.fail("holds " + std::to_string(values.size()) + " labels but its shard " + s.features + " has " +
                             std::to_string(part.n) + " rows; there must be one label per row",
                         0);
            try {
                labels.append(values);
            } catch (const std::invalid_argument&) {
                src.fail(std::string("holds ") + (values.text ? "text" : "numbers") + " but the earlier shards' labels are " +
                             (values.text ? "numbers" : "text"),
                         0);
            }
        }
        n += part.n;
        bytes += io::checked_mul(s.features, std::uint64_t(part.n) * std::uint64_t(part.d), sizeof(float));
        parts.push_back(std::move(part));
    }
    io::check_fits_in_memory(origin, bytes, "the shards' features");
    const Dataset& first = parts.front();
    const bool images = std::all_of(parts.begin(), parts.end(), [&](const Dataset& p) {
        return !p.images.empty() && p.images.width == first.images.width && p.images.height == first.images.height &&
               p.images.channels == first.images.channels;
    });
    Dataset ds;
    ds.n = n;
    ds.d = first.d;
    internal::allocate_features(ds, n, first.d);
    ds.feature_names = first.feature_names;
    if (images) {
        ds.images.width = first.images.width;
        ds.images.height = first.images.height;
        ds.images.channels = first.images.channels;
        ds.images.pixels.reserve(std::size_t(n) * first.images.image_bytes());
    }
    std::size_t at = 0;
    for (Dataset& p : parts) {
        const std::size_t count = std::size_t(p.n) * std::size_t(p.d);
        if (count) std::memcpy(ds.features.data() + at, p.features.data(), count * sizeof(float));
        at += count;
        if (images) ds.images.pixels.insert(ds.images.pixels.end(), p.images.pixels.begin(), p.images.pixels.end());
        p = Dataset{};  // unmapped (or freed) as soon as it is copied
    }
    if (labelled) internal::attach_label(internal::Source{origin, 0, {}, false}, "label", labels, ds);
    ds.source = path;
    ds.format = "shards";
    ds.check_consistent();
    return ds;
}

}  // namespace latentscape::data
