// load_npy: NumPy .npy files (plain or gzipped), with an optional 1-D labels .npy; and what the
// .npy, .npz and IDX loaders share beyond the array format: reading whole input files, and
// turning label arrays into label columns.

#include "data/load.h"

#include "common/error.h"
#include "common/file_io.h"
#include "common/parallel.h"
#include "data/npy_format.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <limits>
#include <memory>
#include <map>
#include <set>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace latentscape::data {
namespace {

using internal::Source;

// numpy writes headers of a few hundred bytes (and refuses over 10000 by default); a larger
// length field means a corrupt file, and must not make us read gigabytes as "header".
constexpr std::size_t max_header_size = std::size_t(1) << 20;

// A read-only file with positioned reads, so that threads can fill disjoint parts of one buffer.
class InputFile {
public:
    explicit InputFile(const std::string& path) : path_(path) {
        // Opening a FIFO blocks until a writer comes, and a device may never end: refuse both
        // before opening. O_NONBLOCK and the second check cover a file swapped for a FIFO in
        // between (for regular files the flag changes nothing).
        io::require_regular_file(path);
        struct stat st {};
        fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        if (fd_ < 0) throw LoadError(path, std::string("cannot open: ") + std::strerror(errno));
        const bool stat_ok = ::fstat(fd_, &st) == 0;
        const int error = errno;
        if (!stat_ok || !S_ISREG(st.st_mode)) {
            ::close(fd_);
            throw LoadError(path, stat_ok ? std::string("is not a regular file")
                                          : std::string("cannot read its size: ") + std::strerror(error));
        }
        size_ = std::uint64_t(st.st_size);
    }
    ~InputFile() { ::close(fd_); }
    InputFile(const InputFile&) = delete;
    InputFile& operator=(const InputFile&) = delete;

    const std::string& path() const { return path_; }
    std::uint64_t size() const { return size_; }
    int fd() const { return fd_; }

    /// Reads exactly `len` bytes at `offset`; a file that shrank meanwhile is reported as truncated.
    void read_at(char* dst, std::size_t len, std::uint64_t offset) const {
        std::size_t got = 0;
        while (got < len) {
            const ssize_t r = ::pread(fd_, dst + got, len - got, off_t(offset + got));
            if (r < 0 && errno == EINTR) continue;
            if (r < 0)
                throw LoadError(path_, std::string("read error: ") + std::strerror(errno), std::nullopt,
                                std::int64_t(offset + got));
            if (r == 0)
                throw LoadError(path_, "file is truncated (it shrank while being read)", std::nullopt,
                                std::int64_t(offset + got));
            got += std::size_t(r);
        }
    }

private:
    std::string path_;
    int fd_ = -1;
    std::uint64_t size_ = 0;
};

// Reads `bytes` at `offset` into `dst` with one positioned read per 1 MiB chunk, the chunks split
// between threads: copying out of the page cache with two cores beats one. When `floats` is set
// (dst holds float32 values), each chunk is checked for non-finite values while still in cache;
// returns the lowest non-finite index, or -1.
std::int64_t read_parallel(const InputFile& file, std::uint64_t offset, char* dst, std::uint64_t bytes, bool floats) {
    constexpr std::uint64_t chunk = std::uint64_t(1) << 20;
    const std::int64_t chunks = std::int64_t((bytes + chunk - 1) / chunk);
    constexpr std::int64_t none = std::numeric_limits<std::int64_t>::max();
    // Errors are kept per chunk and the first failing chunk is reported, whatever the thread count.
    std::vector<std::exception_ptr> errors(static_cast<std::size_t>(chunks));
    const std::int64_t first_bad = parallel::min_of(
        chunks,
        [&](std::int64_t c) {
            const std::uint64_t begin = std::uint64_t(c) * chunk;
            const std::uint64_t len = std::min(chunk, bytes - begin);
            try {
                file.read_at(dst + begin, std::size_t(len), offset + begin);
            } catch (...) {
                errors[std::size_t(c)] = std::current_exception();
                return none;
            }
            if (!floats) return none;
            const auto* values = reinterpret_cast<const float*>(dst + begin);
            const std::int64_t bad = internal::first_non_finite(values, std::int64_t(len / sizeof(float)));
            return bad >= 0 ? std::int64_t(begin / sizeof(float)) + bad : none;
        },
        none, chunks > 1);
    for (const auto& error : errors)
        if (error) std::rethrow_exception(error);
    return first_bad == none ? -1 : first_bad;
}

bool wants_map(MemoryMap mode, std::uint64_t bytes) {
    return mode == MemoryMap::Always || (mode == MemoryMap::Auto && bytes >= kMapThreshold);
}

void load_plain(const InputFile& file, const Source& src, const char* preamble, std::size_t got, Dataset& ds,
                MemoryMap map_mode) {
    const std::size_t header_size = internal::npy_header_size(src, preamble, got);
    if (header_size > max_header_size)
        src.fail("NPY header claims " + std::to_string(header_size) + " bytes, far more than any real header", 8);
    std::string header_bytes(std::size_t(std::min<std::uint64_t>(header_size, file.size())), '\0');
    file.read_at(header_bytes.data(), header_bytes.size(), 0);
    const internal::NpyHeader h = internal::parse_npy_header(src, header_bytes.data(), header_bytes.size());
    // Everything below is sized from the header only after the file proved to hold that much.
    internal::check_data_present(src, h, file.size() - h.data_offset);
    const internal::ArrayLayout layout = internal::features_layout(src, h);
    const std::uint64_t matrix_bytes = io::checked_mul(src.file, h.count, sizeof(float));
    const bool direct = internal::is_native_float32_rows(h);
    if (direct && h.data_offset % sizeof(float) == 0 && wants_map(map_mode, matrix_bytes)) {
        // The file's bytes are the matrix: map them in place (no copy, no memory of our own, so
        // no memory budget: the page cache holds them).
        try {
            ds.features = FeatureArray::map_file(file.fd(), std::size_t(h.data_offset), std::size_t(h.count), file.path());
        } catch (const std::runtime_error& e) {
            throw LoadError(src.file, e.what());
        }
        ds.n = layout.n;
        ds.d = layout.d;
        const float* values = ds.features.data();
        const std::int64_t bad = internal::first_non_finite(values, std::int64_t(h.count));  // parallel; faults the pages in
        if (bad >= 0) internal::fail_non_finite(src, h, layout, reinterpret_cast<const char*>(values), values, bad);
        internal::describe_features(layout, ds);
        return;
    }
    io::check_fits_in_memory(src.file, matrix_bytes + (direct ? 0 : h.data_bytes), "the feature matrix");
    internal::allocate_features(ds, layout.n, layout.d);
    float* values = ds.features.data();
    if (direct) {
        // The file's bytes are the matrix: read them straight into place, no staging copy.
        const std::int64_t bad =
            read_parallel(file, h.data_offset, reinterpret_cast<char*>(values), h.data_bytes, true);
        if (bad >= 0) internal::fail_non_finite(src, h, layout, reinterpret_cast<const char*>(values), values, bad);
    } else {
        const std::unique_ptr<char[]> raw(new char[h.data_bytes]);  // uninitialised: filled by the read
        read_parallel(file, h.data_offset, raw.get(), h.data_bytes, false);
        internal::convert_array(h.dtype, h.fortran_order, h.shape, raw.get(), values);
        internal::check_finite(src, h, layout, raw.get(), values);
    }
    internal::describe_features(layout, ds);
}

internal::FileContent read_whole(const InputFile& file) {
    if (file.size() == 0) throw LoadError(file.path(), "file is empty");
    io::check_fits_in_memory(file.path(), file.size(), "reading the file");
    std::string raw(std::size_t(file.size()), '\0');
    file.read_at(raw.data(), raw.size(), 0);
    if (!io::is_gzip(raw.data(), raw.size())) return {std::move(raw), false};
    std::string bytes = io::gunzip(file.path(), raw.data(), raw.size());
    if (bytes.empty()) throw LoadError(file.path(), "file is empty (after gzip decompression)");
    return {std::move(bytes), true};
}

// The CSV loader's limit (make_metadata_column): the GUI draws a swatch per category.
constexpr std::size_t max_categories = 256;
// Integers beyond 2^53 are not exact as doubles (and would make absurd category names): numeric.
constexpr double max_exact_integer = 9007199254740992.0;

MetadataColumn label_column(std::string name, const std::vector<double>& values,
                            const std::vector<std::string>& class_names) {
    std::set<double> distinct;
    for (const double v : values) {
        if (std::isnan(v)) continue;
        if (!(std::fabs(v) <= max_exact_integer && v == std::floor(v))) return MetadataColumn::numeric(std::move(name), values);
        if (distinct.insert(v).second && distinct.size() > max_categories)
            return MetadataColumn::numeric(std::move(name), values);
    }
    const bool indices = !class_names.empty() && (distinct.empty() || (*distinct.begin() >= 0 &&
                                                                      *distinct.rbegin() < double(class_names.size())));
    std::vector<std::string> categories;
    if (indices) {
        categories = class_names;
    } else {
        for (const double v : distinct) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.0f", v);
            categories.emplace_back(buf);
        }
    }
    const std::vector<double> sorted(distinct.begin(), distinct.end());
    std::vector<std::int32_t> codes(values.size(), -1);
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (std::isnan(values[i])) continue;
        codes[i] = indices ? std::int32_t(values[i])
                           : std::int32_t(std::lower_bound(sorted.begin(), sorted.end(), values[i]) - sorted.begin());
    }
    return MetadataColumn::categorical(std::move(name), std::move(codes), std::move(categories));
}

}  // namespace

namespace internal {

std::vector<double> values_from_npy(const Source& src, const char* data, std::size_t size) {
    const NpyHeader h = parse_npy_header(src, data, size);
    check_data_present(src, h, size - h.data_offset);
    if (h.shape.size() != 1)
        src.fail("labels must be a 1-D array, but this one has shape " + shape_string(h.shape), h.data_offset);
    io::check_fits_in_memory(src.file, io::checked_mul(src.file, h.count, sizeof(double)), "the labels");
    std::vector<double> values(std::size_t(h.count));
    convert_array(h.dtype, false, h.shape, data + h.data_offset, values.data());
    return values;
}

void LabelValues::append(const LabelValues& more) {
    if (more.size() == 0) return;
    if (size() == 0) text = more.text;
    else if (text != more.text) throw std::invalid_argument("some labels are numbers and some are text");
    if (text) texts.insert(texts.end(), more.texts.begin(), more.texts.end());
    else numbers.insert(numbers.end(), more.numbers.begin(), more.numbers.end());
}

LabelValues labels_from_npy(const Source& src, const char* data, std::size_t size, std::int64_t rows) {
    const NpyHeader h = parse_npy_header(src, data, size, /*allow_text=*/true);
    // Numbers are bounded by the bytes present; strings are not ('<U0' holds none), so their count
    // is checked first.
    if (h.dtype.kind == ScalarKind::Text && rows >= 0 && h.shape.size() == 1 && h.shape[0] != rows)
        src.fail("holds " + std::to_string(h.shape[0]) + " labels but the features have " + std::to_string(rows) +
                     " rows; there must be one label per row",
                 0);
    LabelValues out;
    if (h.dtype.kind != ScalarKind::Text) {
        out.numbers = values_from_npy(src, data, size);
        return out;
    }
    check_data_present(src, h, size - h.data_offset);
    if (h.shape.size() != 1)
        src.fail("labels must be a 1-D array, but this one has shape " + shape_string(h.shape), h.data_offset);
    io::check_fits_in_memory(src.file, io::checked_mul(src.file, h.count, std::uint64_t(h.dtype.size) + 32), "the labels");
    out.text = true;
    out.texts.resize(std::size_t(h.count));
    const std::size_t width = std::size_t(h.dtype.size) / 4;
    for (std::size_t i = 0; i < out.texts.size(); ++i) {
        std::string& text = out.texts[i];
        const std::size_t at = h.data_offset + i * std::size_t(h.dtype.size);
        for (std::size_t c = 0; c < width; ++c) {
            std::uint32_t cp = 0;
            std::memcpy(&cp, data + at + 4 * c, 4);
            if (h.dtype.big_endian != (std::endian::native == std::endian::big)) cp = __builtin_bswap32(cp);
            if (cp == 0) break;  // numpy pads shorter strings with NULs
            if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                src.fail("label " + std::to_string(i) + " holds an invalid character (code point " + std::to_string(cp) + ")",
                         at + 4 * c);
            if (cp < 0x80) {
                text += char(cp);
            } else if (cp < 0x800) {
                text += char(0xC0 | (cp >> 6));
                text += char(0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                text += char(0xE0 | (cp >> 12));
                text += char(0x80 | ((cp >> 6) & 0x3F));
                text += char(0x80 | (cp & 0x3F));
            } else {
                text += char(0xF0 | (cp >> 18));
                text += char(0x80 | ((cp >> 12) & 0x3F));
                text += char(0x80 | ((cp >> 6) & 0x3F));
                text += char(0x80 | (cp & 0x3F));
            }
        }
    }
    return out;
}

FileContent read_content(const std::string& path) { return read_whole(InputFile(path)); }

void attach_label(const Source& src, std::string name, const std::vector<double>& values, Dataset& ds,
                  const std::vector<std::string>& class_names) {
    if (std::int64_t(values.size()) != ds.n)
        src.fail("holds " + std::to_string(values.size()) + " labels but " +
                     (ds.images.empty() ? "the features have " + std::to_string(ds.n) + " rows"
                                        : "there are " + std::to_string(ds.n) + " images") +
                     "; there must be one label per row",
                 0);
    ds.metadata.push_back(label_column(std::move(name), values, class_names));
    ds.label_column = ds.metadata.size() - 1;
}

void attach_label(const Source& src, std::string name, const LabelValues& values, Dataset& ds) {
    if (!values.text) return attach_label(src, std::move(name), values.numbers, ds);
    if (std::int64_t(values.texts.size()) != ds.n)
        src.fail("holds " + std::to_string(values.texts.size()) + " labels but the features have " + std::to_string(ds.n) +
                     " rows; there must be one label per row",
                 0);
    std::map<std::string, std::int32_t> code_of;
    for (const std::string& t : values.texts) {
        if (!t.empty()) code_of.emplace(t, 0);
        if (code_of.size() > max_categories) break;
    }
    if (code_of.size() > max_categories) {
        ds.metadata.push_back(MetadataColumn::text(std::move(name), values.texts));
    } else {
        std::vector<std::string> categories;
        for (auto& [value, code] : code_of) {
            code = std::int32_t(categories.size());
            categories.push_back(value);
        }
        std::vector<std::int32_t> codes;
        codes.reserve(values.texts.size());
        for (const std::string& t : values.texts) codes.push_back(t.empty() ? -1 : code_of[t]);
        ds.metadata.push_back(MetadataColumn::categorical(std::move(name), std::move(codes), std::move(categories)));
    }
    ds.label_column = ds.metadata.size() - 1;
}

}  // namespace internal

Dataset load_npy(const std::string& path, const LoadOptions& options) {
    Dataset ds;
    {
        const InputFile file(path);
        if (file.size() == 0) throw LoadError(path, "file is empty");
        char preamble[internal::npy_preamble_size];
        const std::size_t got = std::size_t(std::min<std::uint64_t>(file.size(), sizeof preamble));
        file.read_at(preamble, got, 0);
        if (io::is_gzip(preamble, got)) {
            // Compressed data cannot be read in place; inflate once and convert from memory.
            const internal::FileContent content = read_whole(file);
            internal::features_from_npy(Source{path, 0, {}, true}, content.bytes.data(), content.bytes.size(), ds);
        } else {
            load_plain(file, Source{path, 0, {}, false}, preamble, got, ds, options.memory_map);
        }
    }
    if (options.labels_path) {
        const internal::FileContent content = internal::read_content(*options.labels_path);
        const Source src{*options.labels_path, 0, {}, content.gzipped};
        internal::attach_label(src, "label",
                               internal::labels_from_npy(src, content.bytes.data(), content.bytes.size(), ds.n), ds);
    }
    ds.source = path;
    ds.format = "npy";
    ds.check_consistent();
    return ds;
}

}  // namespace latentscape::data
