// write_npy and write_npz: the feature matrix (and the label) in NumPy's formats.
//
// How write_npz writes the label, as the "labels" array. NPY has no portable string arrays, so:
// - a categorical label whose categories are all integers in their plain decimal spelling ("3",
//   "-1"; at most 2^53 in magnitude) is written as those integer values: int64, or float64 with
//   NaN where the label is missing. numpy sees the real classes, and load_npz gives back the same
//   category names (in increasing numeric order);
// - any other categorical label (e.g. "T-shirt/top") is written as its codes 0..k-1 (int32, or
//   float64 with NaN for missing): the category names are lost, and callers that write NPZ
//   should tell the user so (the CLI is to print a note);
// - a numeric label is written as float64 (NaN = missing); a text label is not written.

#include "data/write.h"

#include "common/file_io.h"
#include "data/npy_format.h"

#include <zlib.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <ostream>

namespace latentscape::data {
namespace {

// Python's zipfile switches to zip64 above 2^31 - 1 because some readers treat the 32-bit fields
// as signed; doing the same keeps the archives readable everywhere.
constexpr std::uint64_t zip32_limit = (std::uint64_t(1) << 31) - 1;
// 1980-01-01 00:00 in MS-DOS form: a fixed timestamp makes the output reproducible.
constexpr std::uint16_t dos_date = (1 << 5) | 1;
constexpr std::uint16_t dos_time = 0;

void put16(std::string& s, std::uint64_t v) {
    s += char(v & 0xff);
    s += char((v >> 8) & 0xff);
}
void put32(std::string& s, std::uint64_t v) {
    put16(s, v & 0xffff);
    put16(s, (v >> 16) & 0xffff);
}
void put64(std::string& s, std::uint64_t v) {
    put32(s, v & 0xffffffffu);
    put32(s, v >> 32);
}

/// The header of an NPY 1.0 file of C-order `descr` data, padded with spaces so that the data
/// start at a multiple of 64 bytes, as numpy writes it.
std::string npy_header(const std::string& descr, const std::vector<std::int64_t>& shape) {
    std::string dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + internal::shape_string(shape) + ", }";
    dict.append((64 - (10 + dict.size() + 1) % 64) % 64, ' ');
    dict += '\n';
    std::string header("\x93NUMPY\x01\x00", 8);
    put16(header, dict.size());
    return header + dict;
}

/// Writes 4-byte values little-endian whatever the host's byte order.
template <typename T>
void write_le32(std::ostream& out, const T* values, std::size_t count) {
    static_assert(sizeof(T) == 4);
    if constexpr (std::endian::native == std::endian::little) {
        out.write(reinterpret_cast<const char*>(values), std::streamsize(count * 4));
    } else {
        std::vector<std::uint32_t> buf;
        for (std::size_t at = 0; at < count; at += 1 << 16) {
            const std::size_t len = std::min<std::size_t>(1 << 16, count - at);
            buf.resize(len);
            std::memcpy(buf.data(), values + at, len * 4);
            for (auto& v : buf) v = __builtin_bswap32(v);
            out.write(reinterpret_cast<const char*>(buf.data()), std::streamsize(len * 4));
        }
    }
}

/// One .npy member of an archive: its header, then either the features (float32, written
/// little-endian from where they are, without a copy) or a small array already encoded.
struct NpyMember {
    std::string name;
    std::string header;
    const float* floats = nullptr;  ///< the features, or nullptr
    std::size_t count = 0;          ///< number of floats
    std::string encoded;            ///< when floats is nullptr: little-endian array data
    std::uint32_t crc = 0;
    std::uint64_t local_offset = 0;

    std::uint64_t size() const { return header.size() + (floats ? std::uint64_t(count) * 4 : encoded.size()); }
    void write_data(std::ostream& out) const {
        out.write(header.data(), std::streamsize(header.size()));
        if (floats) write_le32(out, floats, count);
        else out.write(encoded.data(), std::streamsize(encoded.size()));
    }
    void compute_crc() {
        crc = std::uint32_t(crc32_z(0, reinterpret_cast<const Bytef*>(header.data()), header.size()));
        if (!floats) {
            crc = std::uint32_t(crc32_z(crc, reinterpret_cast<const Bytef*>(encoded.data()), encoded.size()));
        } else if constexpr (std::endian::native == std::endian::little) {
            crc = std::uint32_t(crc32_z(crc, reinterpret_cast<const Bytef*>(floats), count * 4));
        } else {
            for (std::size_t i = 0; i < count; ++i) {
                std::uint32_t v = std::bit_cast<std::uint32_t>(floats[i]);
                v = __builtin_bswap32(v);
                crc = std::uint32_t(crc32_z(crc, reinterpret_cast<const Bytef*>(&v), 4));
            }
        }
    }
};

// Larger integers are not exact in the doubles the loaders convert labels to.
constexpr std::int64_t max_exact_integer = std::int64_t(1) << 53;

/// The categories as integers, if every one is an integer in its plain decimal spelling: "07" or
/// "+7" would come back as "7" (and "7" and "07" would merge), so they are not integers here.
std::optional<std::vector<std::int64_t>> integer_categories(const std::vector<std::string>& categories) {
    std::vector<std::int64_t> values;
    values.reserve(categories.size());
    for (const std::string& c : categories) {
        std::int64_t v = 0;
        const auto [end, ec] = std::from_chars(c.data(), c.data() + c.size(), v);
        if (ec != std::errc() || end != c.data() + c.size() || v > max_exact_integer || v < -max_exact_integer ||
            std::to_string(v) != c)
            return std::nullopt;
        values.push_back(v);
    }
    return values;
}

/// The "labels" member for a categorical or numeric label (see the top of this file).
NpyMember labels_member(const MetadataColumn& label) {
    NpyMember m;
    m.name = "labels.npy";
    std::string& out = m.encoded;
    const auto put_double = [&out](double v) { put64(out, std::bit_cast<std::uint64_t>(v)); };
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const std::int64_t n = std::int64_t(label.size());
    if (label.kind == ColumnKind::Numeric) {
        out.reserve(std::size_t(n) * 8);
        for (const double v : label.numbers) put_double(v);
        m.header = npy_header("<f8", {n});
        return m;
    }
    const std::optional<std::vector<std::int64_t>> integers = integer_categories(label.categories);
    const std::size_t k = label.categories.size();
    const bool missing = std::any_of(label.codes.begin(), label.codes.end(),
                                     [k](std::int32_t c) { return c < 0 || std::size_t(c) >= k; });
    out.reserve(std::size_t(n) * 8);
    for (const std::int32_t c : label.codes) {
        const bool present = c >= 0 && std::size_t(c) < k;
        const std::int64_t value = present && integers ? (*integers)[std::size_t(c)] : c;
        if (missing) put_double(present ? double(value) : nan);
        else if (integers) put64(out, std::uint64_t(value));
        else put32(out, std::uint32_t(value));
    }
    m.header = npy_header(missing ? "<f8" : integers ? "<i8" : "<i4", {n});
    return m;
}

std::string local_header(const NpyMember& m) {
    const bool zip64 = m.size() > zip32_limit;
    std::string h;
    put32(h, 0x04034b50);
    put16(h, zip64 ? 45 : 20);  // version needed to extract
    put16(h, 0);                // flags
    put16(h, 0);                // method: stored
    put16(h, dos_time);
    put16(h, dos_date);
    put32(h, m.crc);
    put32(h, zip64 ? 0xFFFFFFFFu : m.size());
    put32(h, zip64 ? 0xFFFFFFFFu : m.size());
    put16(h, m.name.size());
    put16(h, zip64 ? 20 : 0);
    h += m.name;
    if (zip64) {  // a local zip64 extra holds both sizes
        put16(h, 0x0001);
        put16(h, 16);
        put64(h, m.size());
        put64(h, m.size());
    }
    return h;
}

std::string central_entry(const NpyMember& m) {
    const bool big_size = m.size() > zip32_limit;
    const bool big_offset = m.local_offset > zip32_limit;
    std::string extra;
    if (big_size || big_offset) {
        put16(extra, 0x0001);
        put16(extra, (big_size ? 16 : 0) + (big_offset ? 8 : 0));
        if (big_size) {
            put64(extra, m.size());
            put64(extra, m.size());
        }
        if (big_offset) put64(extra, m.local_offset);
    }
    const int version = extra.empty() ? 20 : 45;
    std::string e;
    put32(e, 0x02014b50);
    put16(e, (3 << 8) | version);  // made by: Unix
    put16(e, version);
    put16(e, 0);
    put16(e, 0);
    put16(e, dos_time);
    put16(e, dos_date);
    put32(e, m.crc);
    put32(e, big_size ? 0xFFFFFFFFu : m.size());
    put32(e, big_size ? 0xFFFFFFFFu : m.size());
    put16(e, m.name.size());
    put16(e, extra.size());
    put16(e, 0);                   // comment length
    put16(e, 0);                   // disk number
    put16(e, 0);                   // internal attributes
    put32(e, std::uint32_t(0100644) << 16);  // external attributes: a regular file, rw-r--r--
    put32(e, big_offset ? 0xFFFFFFFFu : m.local_offset);
    return e + m.name + extra;
}

std::string end_records(std::uint64_t entries, std::uint64_t dir_offset, std::uint64_t dir_size) {
    std::string e;
    const bool zip64 = entries >= 0xFFFF || dir_offset > zip32_limit || dir_size > zip32_limit;
    if (zip64) {
        const std::uint64_t end64_offset = dir_offset + dir_size;
        put32(e, 0x06064b50);
        put64(e, 44);  // size of the rest of this record
        put16(e, (3 << 8) | 45);
        put16(e, 45);
        put32(e, 0);
        put32(e, 0);
        put64(e, entries);
        put64(e, entries);
        put64(e, dir_size);
        put64(e, dir_offset);
        put32(e, 0x07064b50);  // locator of the record above
        put32(e, 0);
        put64(e, end64_offset);
        put32(e, 1);
    }
    put32(e, 0x06054b50);
    put16(e, 0);
    put16(e, 0);
    put16(e, std::min<std::uint64_t>(entries, 0xFFFF));
    put16(e, std::min<std::uint64_t>(entries, 0xFFFF));
    put32(e, dir_size > zip32_limit ? 0xFFFFFFFFu : dir_size);
    put32(e, dir_offset > zip32_limit ? 0xFFFFFFFFu : dir_offset);
    put16(e, 0);
    return e;
}

}  // namespace

void write_npy(const Dataset& ds, const std::string& path) {
    ds.check_consistent();
    const std::string header = npy_header("<f4", {ds.n, ds.d});
    io::write_atomically(path, [&](std::ostream& out) {
        out.write(header.data(), std::streamsize(header.size()));
        write_le32(out, ds.features.data(), ds.features.size());
    });
}

void write_npz(const Dataset& ds, const std::string& path) {
    ds.check_consistent();
    std::vector<NpyMember> members(1);
    members[0].name = "X.npy";
    members[0].header = npy_header("<f4", {ds.n, ds.d});
    members[0].floats = ds.features.data();
    members[0].count = ds.features.size();
    const MetadataColumn* label = ds.label();
    if (label && label->kind != ColumnKind::Text) members.push_back(labels_member(*label));
    std::uint64_t offset = 0;
    for (auto& m : members) {
        m.compute_crc();
        m.local_offset = offset;
        offset += local_header(m).size() + m.size();
    }
    io::write_atomically(path, [&](std::ostream& out) {
        for (const auto& m : members) {
            const std::string h = local_header(m);
            out.write(h.data(), std::streamsize(h.size()));
            m.write_data(out);
        }
        std::string directory;
        for (const auto& m : members) directory += central_entry(m);
        out.write(directory.data(), std::streamsize(directory.size()));
        const std::string end = end_records(members.size(), offset, directory.size());
        out.write(end.data(), std::streamsize(end.size()));
    });
}

}  // namespace latentscape::data
