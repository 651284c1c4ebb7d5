// load_idx: MNIST-style IDX files (images, optionally with their labels), gzipped or not.

#include "data/load.h"

#include "common/error.h"
#include "common/file_io.h"
#include "data/npy_format.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace latentscape::data {
namespace {

using internal::ScalarKind;
using internal::Source;

const char* const fashion_classes[] = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                       "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
// Labels are class indices; a larger value is not a class id but a corrupt or foreign file.
constexpr double max_label = 65535;
// Classes 0..top are all categories (a class keeps its colour whichever classes a file holds)
// while they fit the GUI's swatches; beyond, only the classes present are (see attach_label).
constexpr double max_dense_label = 255;

/// The IDX header as an NpyHeader: element type, dimensions and where the data start.
internal::NpyHeader parse_idx_header(const Source& src, const std::string& bytes) {
    if (bytes.size() < 4) src.fail("IDX header is truncated", bytes.size());
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(bytes[k]); };
    if (byte(0) != 0 || byte(1) != 0)
        src.fail("not an IDX file: the magic number must start with two zero bytes", 0);
    internal::NpyHeader h;
    switch (byte(2)) {
        case 0x08: h.dtype = {ScalarKind::UnsignedInt, 1, true, "ubyte"}; break;
        case 0x09: h.dtype = {ScalarKind::SignedInt, 1, true, "sbyte"}; break;
        case 0x0B: h.dtype = {ScalarKind::SignedInt, 2, true, "int16"}; break;
        case 0x0C: h.dtype = {ScalarKind::SignedInt, 4, true, "int32"}; break;
        case 0x0D: h.dtype = {ScalarKind::Float, 4, true, "float32"}; break;
        case 0x0E: h.dtype = {ScalarKind::Float, 8, true, "float64"}; break;
        default: {
            char code[8];
            std::snprintf(code, sizeof code, "0x%02X", byte(2));
            src.fail(std::string("unknown IDX element type ") + code +
                         " (expected 0x08 ubyte, 0x09 sbyte, 0x0B int16, 0x0C int32, 0x0D float32 or 0x0E float64)",
                     2);
        }
    }
    const std::size_t ndims = byte(3);
    if (ndims == 0) src.fail("IDX file has no dimensions", 3);
    h.data_offset = 4 + 4 * ndims;
    if (bytes.size() < h.data_offset) src.fail("IDX header is truncated (the dimensions are cut short)", bytes.size());
    h.count = 1;
    for (std::size_t k = 0; k < ndims; ++k) {
        const std::size_t at = 4 + 4 * k;
        const std::int64_t dim = std::int64_t(byte(at)) << 24 | std::int64_t(byte(at + 1)) << 16 |
                                 std::int64_t(byte(at + 2)) << 8 | std::int64_t(byte(at + 3));
        h.shape.push_back(dim);
        h.count = io::checked_mul(src.file, h.count, std::uint64_t(dim));
    }
    h.data_bytes = io::checked_mul(src.file, h.count, std::uint64_t(h.dtype.size));
    internal::check_data_present(src, h, bytes.size() - h.data_offset);
    return h;
}

/// "train-images-idx3-ubyte[.gz]" -> an existing "train-labels-idx1-ubyte[.gz]" next to it.
std::optional<std::string> find_labels(const std::string& images_path) {
    namespace fs = std::filesystem;
    const fs::path p(images_path);
    const std::string name = p.filename().string();
    for (const auto& [from, to] : {std::pair{"images-idx3", "labels-idx1"}, std::pair{"images.idx3", "labels.idx1"}}) {
        const auto at = name.find(from);
        if (at == std::string::npos) continue;
        std::string same = name;
        same.replace(at, std::strlen(from), to);
        const std::string other = same.ends_with(".gz") ? same.substr(0, same.size() - 3) : same + ".gz";
        for (const auto& candidate : {same, other}) {
            std::error_code ec;
            if (fs::is_regular_file(p.parent_path() / candidate, ec)) return (p.parent_path() / candidate).string();
        }
    }
    return std::nullopt;
}

void attach_labels(const std::string& images_path, const std::string& labels_path, Dataset& ds) {
    const internal::FileContent content = internal::read_content(labels_path);
    const std::string& bytes = content.bytes;
    const Source src{labels_path, 0, {}, content.gzipped};
    const internal::NpyHeader h = parse_idx_header(src, bytes);
    if (h.shape.size() != 1)
        src.fail("an IDX labels file must be 1-D, but this one has shape " + internal::shape_string(h.shape), 3);
    if (h.dtype.kind == ScalarKind::Float) src.fail("IDX labels must be integers, not " + h.dtype.descr, 2);
    std::vector<double> values(std::size_t(h.count));
    internal::convert_array(h.dtype, false, h.shape, bytes.data() + h.data_offset, values.data());
    double top = -1;
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (values[i] < 0 || values[i] > max_label)
            src.fail("label " + std::to_string(std::int64_t(values[i])) + " of image " + std::to_string(i) +
                         " is not a class index (0.." + std::to_string(std::int64_t(max_label)) + ")",
                     h.data_offset + i * std::size_t(h.dtype.size));
        top = std::max(top, values[i]);
    }
    std::vector<std::string> classes;
    const bool fashion = lower(images_path).find("fashion") != std::string::npos ||
                         lower(labels_path).find("fashion") != std::string::npos;
    if (fashion && top < 10) classes.assign(std::begin(fashion_classes), std::end(fashion_classes));
    else if (top <= max_dense_label)
        for (std::int64_t c = 0; c <= std::int64_t(top); ++c) classes.push_back(std::to_string(c));
    internal::attach_label(src, "label", values, ds, classes);
}

}  // namespace

Dataset load_idx(const std::string& path, const LoadOptions& options) {
    Dataset ds;
    {
        const internal::FileContent content = internal::read_content(path);
        const std::string& bytes = content.bytes;
        const Source src{path, 0, {}, content.gzipped};
        const internal::NpyHeader h = parse_idx_header(src, bytes);
        if (h.shape.size() == 1)
            src.fail("this is an IDX labels file (" + std::to_string(h.count) +
                         " labels); open the matching images file (...-images-idx3-...) instead: its labels are found "
                         "automatically",
                     3);
        const internal::ArrayLayout layout = internal::features_layout(src, h);
        io::check_fits_in_memory(path, io::checked_mul(path, h.count, sizeof(float)), "the feature matrix");
        internal::allocate_features(ds, layout.n, layout.d);
        const char* raw = bytes.data() + h.data_offset;
        internal::convert_array(h.dtype, false, h.shape, raw, ds.features.data());
        internal::check_finite(src, h, layout, raw, ds.features.data());
        internal::describe_features(layout, ds);
        if (h.shape.size() == 3) {
            // MNIST-style images: name each pixel by its position, as the image viewers show it.
            for (std::int64_t r = 0, j = 0; r < h.shape[1]; ++r)
                for (std::int64_t c = 0; c < h.shape[2]; ++c, ++j)
                    ds.feature_names[std::size_t(j)] = "px_" + std::to_string(r) + "_" + std::to_string(c);
        }
    }
    const std::optional<std::string> labels = options.labels_path ? options.labels_path : find_labels(path);
    if (labels) attach_labels(path, *labels, ds);
    ds.source = path;
    ds.format = "idx";
    ds.check_consistent();
    return ds;
}

}  // namespace latentscape::data
