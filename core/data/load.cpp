#include "data/load.h"

#include "common/error.h"
#include "common/file_io.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace latentscape::data {
std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

namespace {

bool looks_like_idx_name(const std::string& path) {
    const std::string name = lower(std::filesystem::path(path).filename().string());
    return name.find("idx1") != std::string::npos || name.find("idx2") != std::string::npos ||
           name.find("idx3") != std::string::npos || name.find("idx4") != std::string::npos ||
           name.ends_with(".idx") || name.ends_with(".idx.gz");
}

}  // namespace

bool is_label_name(const std::string& column_name) {
    const std::string n = lower(column_name);
    return n == "label" || n == "labels" || n == "class" || n == "target" || n == "y";
}

std::string detect_format(const std::string& path, const LoadOptions& options) {
    if (is_shard_folder(path)) return "shards";
    bool gz = false;
    const std::string ext = io::extension(path, &gz);
    // A known extension wins over an IDX-like name ("res-idx1.csv" is a CSV).
    if (ext == "csv" || ext == "txt" || ext == "dat" || ext == "data") return "csv";
    if (ext == "tsv") {
        const std::string name = lower(std::filesystem::path(path).filename().string());
        if (options.metadata_path) return "projector";
        if (name.find("vectors") != std::string::npos || name.find("tensors") != std::string::npos)
            return "projector";
        return "tsv";
    }
    if (ext == "npy") return "npy";
    if (ext == "npz") return "npz";
    if (ext == "h5ad") return "h5ad";
    if (ext == "json") return "shards";
    if (looks_like_idx_name(path)) return "idx";
    throw LoadError(path, ext.empty() ? "file type not recognised (no extension); supported: .csv .tsv .txt .dat .data "
                                        ".npy .npz and MNIST IDX files, each optionally .gz; .h5ad; .json (shards manifest)"
                                      : "unsupported file type '." + ext +
                                            "'; supported: .csv .tsv .txt .dat .data .npy .npz and MNIST IDX files, "
                                            "each optionally .gz; .h5ad; .json (shards manifest)");
}

Dataset load(const std::string& path, const LoadOptions& options) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        if (is_shard_folder(path)) return load_shards(path, options);
        throw LoadError(path, "is a folder without .npy shards or a manifest.json (a folder of images opens in the app)");
    }
    const std::string format = detect_format(path, options);
    // A labels file the format would not read must not be dropped without a word.
    if (options.labels_path && format != "npy" && format != "idx" && format != "shards") {
        const std::string instead = format == "npz"         ? "name the label array inside it instead (--label NAME)"
                                    : format == "projector" ? "its labels come from the metadata TSV (--metadata)"
                                                            : "name its label column instead (--label COL)";
        throw LoadError(path, "a separate labels file (" + *options.labels_path +
                                  ") applies to .npy features and IDX images only; " + instead);
    }
    if (format == "csv" || format == "tsv") return load_csv(path, options);
    if (format == "projector") return load_projector(path, options);
    if (format == "npy") return load_npy(path, options);
    if (format == "npz") return load_npz(path, options);
    if (format == "h5ad") return load_h5ad(path, options);
    if (format == "shards") return load_shards(path, options);
    return load_idx(path, options);
}

}  // namespace latentscape::data
