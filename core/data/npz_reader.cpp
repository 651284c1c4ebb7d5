// load_npz: NumPy .npz archives, i.e. zip files of .npy members, stored or deflated, zip64 included.

#include "data/load.h"

#include "common/error.h"
#include "common/file_io.h"
#include "data/npy_format.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace latentscape::data {
namespace {

using internal::Source;

constexpr std::uint32_t sig_local = 0x04034b50;
constexpr std::uint32_t sig_central = 0x02014b50;
constexpr std::uint32_t sig_end = 0x06054b50;
constexpr std::uint32_t sig_end64 = 0x06064b50;
constexpr std::uint32_t sig_locator64 = 0x07064b50;
constexpr std::uint32_t u32_max = 0xFFFFFFFFu;
// Deflate cannot compress better than about 1032:1, so a larger claimed size is corruption and
// must not be allocated.
constexpr std::uint64_t max_deflate_ratio = 1032;

std::uint16_t u16(const char* p) { return std::uint16_t(std::uint8_t(p[0]) | std::uint8_t(p[1]) << 8); }
std::uint32_t u32(const char* p) { return std::uint32_t(u16(p)) | std::uint32_t(u16(p + 2)) << 16; }
std::uint64_t u64(const char* p) { return std::uint64_t(u32(p)) | std::uint64_t(u32(p + 4)) << 32; }

struct Member {
    std::string name;
    std::uint16_t flags = 0;
    std::uint16_t method = 0;
    std::uint32_t crc = 0;
    std::uint64_t compressed = 0;
    std::uint64_t uncompressed = 0;
    std::uint64_t local_offset = 0;
    std::uint64_t central_offset = 0;  ///< where its central directory entry starts, for messages
};

/// The bytes of one member, inflated if needed, with the Source its errors are reported against.
struct MemberData {
    Source src;
    const char* data = nullptr;
    std::size_t size = 0;
    std::string inflated;  ///< owns the bytes of a deflated member
};

class Archive {
public:
    Archive(std::string path, std::string bytes) : path_(std::move(path)), bytes_(std::move(bytes)) { read_directory(); }

    const std::vector<Member>& members() const { return members_; }
    /// Where the central directory (the list of members) starts: the offset of "no such array".
    std::uint64_t directory_offset() const { return directory_offset_; }

    [[noreturn]] void fail(const std::string& cause, std::uint64_t offset) const {
        throw LoadError(path_, cause, std::nullopt, std::int64_t(offset));
    }

    MemberData read(const Member& m) const {
        const std::string what = "member '" + m.name + "'";
        if (m.flags & 1u) fail(what + " is encrypted; encrypted archives are not supported", m.central_offset);
        if (m.method != 0 && m.method != 8)
            fail(what + " uses compression method " + std::to_string(m.method) + method_name(m.method) +
                     "; only stored (0) and deflated (8) members are supported, as numpy writes them",
                 m.central_offset);
        need(m.local_offset, 30, what + "'s local header");
        const char* local = bytes_.data() + m.local_offset;
        if (u32(local) != sig_local) fail("bad local header signature for " + what, m.local_offset);
        const std::uint64_t start = m.local_offset + 30 + u16(local + 26) + u16(local + 28);
        need(start, m.compressed, what + "'s data");
        MemberData out;
        out.src = Source{path_, std::int64_t(start), m.name, m.method == 8};
        if (m.method == 0) {
            if (m.compressed != m.uncompressed) fail(what + " is stored but its two sizes differ", m.central_offset);
            out.data = bytes_.data() + start;
            out.size = std::size_t(m.uncompressed);
        } else {
            out.inflated = inflate_member(m, start);
            out.data = out.inflated.data();
            out.size = out.inflated.size();
        }
        if (crc32_z(0, reinterpret_cast<const Bytef*>(out.data), out.size) != m.crc)
            fail(what + " fails its CRC-32 check: the archive is corrupt", start);
        return out;
    }

private:
    static std::string method_name(std::uint16_t method) {
        switch (method) {
            case 9: return " (deflate64)";
            case 12: return " (bzip2)";
            case 14: return " (LZMA)";
            case 93: return " (zstd)";
            case 95: return " (xz)";
            default: return "";
        }
    }

    void need(std::uint64_t offset, std::uint64_t len, const std::string& what) const {
        if (offset > bytes_.size() || len > bytes_.size() - offset)
            fail("archive is truncated: " + what + " needs bytes " + std::to_string(offset) + ".." +
                     std::to_string(offset + len) + " but the file has " + std::to_string(bytes_.size()),
                 std::min<std::uint64_t>(offset, bytes_.size()));
    }

    void read_directory() {
        const std::size_t size = bytes_.size();
        const char* b = bytes_.data();
        if (size >= 6 && std::memcmp(b, "\x93NUMPY", 6) == 0)
            fail("this is an NPY file, not an NPZ archive; rename it to .npy", 0);
        if (size < 4 || u32(b) != sig_local)
            fail(size >= 4 && u32(b) == sig_end ? "the zip archive is empty"
                                                 : "not an NPZ file: it is not a zip archive",
                 0);
        // The end record sits in the last 22 + 65535 (maximal comment) bytes.
        if (size < 22) fail("archive is truncated: too short for a zip end record", size);
        const std::size_t lowest = size - 22 > 65535 ? size - 22 - 65535 : 0;
        std::uint64_t end = size;
        for (std::size_t p = size - 22 + 1; p-- > lowest;)
            if (u32(b + p) == sig_end) {
                end = p;
                break;
            }
        if (end == size) fail("archive is truncated: no end-of-central-directory record", size);
        if (u16(b + end + 4) != 0 || u16(b + end + 6) != 0) fail("multi-part zip archives are not supported", end);
        std::uint64_t entries = u16(b + end + 10);
        std::uint64_t dir_size = u32(b + end + 12);
        std::uint64_t dir_offset = u32(b + end + 16);
        if (end >= 20 && u32(b + end - 20) == sig_locator64) {
            const std::uint64_t at = u64(b + end - 20 + 8);
            need(at, 56, "the zip64 end record");
            if (u32(b + at) != sig_end64) fail("bad zip64 end-of-central-directory signature", at);
            entries = u64(b + at + 32);
            dir_size = u64(b + at + 40);
            dir_offset = u64(b + at + 48);
        }
        need(dir_offset, dir_size, "the central directory");
        directory_offset_ = dir_offset;
        if (entries > dir_size / 46) fail("central directory is too small for its " + std::to_string(entries) + " entries", end);
        std::uint64_t p = dir_offset;
        for (std::uint64_t k = 0; k < entries; ++k) {
            need(p, 46, "a central directory entry");
            const char* e = b + p;
            if (u32(e) != sig_central) fail("bad central directory entry signature", p);
            Member m;
            m.central_offset = p;
            m.flags = u16(e + 8);
            m.method = u16(e + 10);
            m.crc = u32(e + 16);
            m.compressed = u32(e + 20);
            m.uncompressed = u32(e + 24);
            m.local_offset = u32(e + 42);
            const std::size_t name_len = u16(e + 28), extra_len = u16(e + 30), comment_len = u16(e + 32);
            need(p + 46, name_len + extra_len + comment_len, "a central directory entry");
            m.name.assign(e + 46, name_len);
            read_zip64_extra(m, e + 46 + name_len, extra_len, p + 46 + name_len);
            members_.push_back(std::move(m));
            p += 46 + name_len + extra_len + comment_len;
        }
    }

    // Only the fields whose 32-bit slot holds 0xFFFFFFFF are present, in this order.
    void read_zip64_extra(Member& m, const char* extra, std::size_t len, std::uint64_t offset) const {
        for (std::size_t q = 0; q + 4 <= len;) {
            const std::uint16_t id = u16(extra + q), field_len = u16(extra + q + 2);
            if (q + 4 + field_len > len) fail("extra field of member '" + m.name + "' overruns its entry", offset + q);
            if (id == 0x0001) {
                std::size_t r = q + 4;
                for (std::uint64_t* v : {&m.uncompressed, &m.compressed, &m.local_offset}) {
                    if (*v != u32_max) continue;
                    if (r + 8 > q + 4 + field_len) fail("zip64 extra field of member '" + m.name + "' is too short", offset + q);
                    *v = u64(extra + r);
                    r += 8;
                }
            }
            q += 4 + field_len;
        }
    }

    std::string inflate_member(const Member& m, std::uint64_t start) const {
        const std::string what = "member '" + m.name + "'";
        if (m.uncompressed > m.compressed * max_deflate_ratio + 1024)
            fail(what + " claims to inflate to " + std::to_string(m.uncompressed) + " bytes from " +
                     std::to_string(m.compressed) + ", more than deflate can achieve: the archive is corrupt",
                 m.central_offset);
        io::check_fits_in_memory(path_, m.uncompressed, "inflating " + what);
        std::string out(std::size_t(m.uncompressed), '\0');
        z_stream zs{};
        if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) fail("cannot initialise zlib", start);
        const std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&zs, inflateEnd);
        std::uint64_t in_done = 0, out_done = 0;
        constexpr std::uint64_t piece = std::uint64_t(1) << 30;  // zlib counts in 32-bit units
        int rc = Z_OK;
        while (rc != Z_STREAM_END) {
            zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes_.data() + start + in_done));
            zs.avail_in = uInt(std::min(piece, m.compressed - in_done));
            zs.next_out = reinterpret_cast<Bytef*>(out.data() + out_done);
            zs.avail_out = uInt(std::min(piece, m.uncompressed - out_done));
            const uInt in_before = zs.avail_in, out_before = zs.avail_out;
            rc = inflate(&zs, Z_NO_FLUSH);
            in_done += in_before - zs.avail_in;
            out_done += out_before - zs.avail_out;
            if (rc == Z_STREAM_END || rc == Z_OK) continue;
            if (rc == Z_BUF_ERROR && out_done == m.uncompressed)
                fail(what + " inflates to more than its declared " + std::to_string(m.uncompressed) + " bytes",
                     start + in_done);
            if (rc == Z_BUF_ERROR && in_done == m.compressed)
                fail(what + "'s compressed data end too soon (truncated or corrupt)", start + in_done);
            fail(what + " has corrupt deflate data: " + (zs.msg ? zs.msg : "inflate error " + std::to_string(rc)),
                 start + in_done);
        }
        if (out_done != m.uncompressed)
            fail(what + " inflates to " + std::to_string(out_done) + " bytes, not the declared " +
                     std::to_string(m.uncompressed),
                 start);
        return out;
    }

    std::string path_;
    std::string bytes_;
    std::vector<Member> members_;
    std::uint64_t directory_offset_ = 0;
};

std::string array_name(const std::string& member) {
    return member.ends_with(".npy") ? member.substr(0, member.size() - 4) : std::string();
}

std::string available_arrays(const Archive& archive) {
    std::string list;
    for (const auto& m : archive.members())
        if (const std::string a = array_name(m.name); !a.empty()) list += (list.empty() ? "" : ", ") + a;
    return list.empty() ? "no arrays" : "the arrays " + list;
}

const Member* find_array(const Archive& archive, const std::string& name) {
    const std::string wanted = name.ends_with(".npy") ? name.substr(0, name.size() - 4) : name;
    for (const auto& m : archive.members())
        if (array_name(m.name) == wanted && !wanted.empty()) return &m;
    return nullptr;
}

const Member* choose_features(const Archive& archive, const LoadOptions& options) {
    if (options.array) {
        if (const Member* m = find_array(archive, *options.array)) return m;
        archive.fail("no array named '" + *options.array + "'; the archive holds " + available_arrays(archive),
                     archive.directory_offset());
    }
    const Member* only = nullptr;
    int count = 0;
    for (const auto& m : archive.members())
        if (!array_name(m.name).empty()) {
            only = &m;
            ++count;
        }
    if (count == 1) return only;
    for (const char* name : {"X", "x", "data", "features", "embeddings", "arr_0"})
        if (const Member* m = find_array(archive, name)) return m;
    archive.fail(count == 0 ? "the archive holds no arrays (.npy members)"
                            : "cannot tell which array holds the features: the archive holds " +
                                  available_arrays(archive) + "; choose one with --array NAME",
                 archive.directory_offset());
}

void find_and_attach_label(const Archive& archive, const Member& features, const LoadOptions& options, Dataset& ds) {
    if (options.label) {
        const Member* label = find_array(archive, *options.label);
        if (!label)
            archive.fail("no label array named '" + *options.label + "'; the archive holds " + available_arrays(archive),
                         archive.directory_offset());
        const MemberData data = archive.read(*label);
        internal::attach_label(data.src, array_name(label->name),
                               internal::labels_from_npy(data.src, data.data, data.size, ds.n), ds);
        return;
    }
    // Guessed by the names the CSV loader uses. A guessed array is only used when it fits (1-D
    // numbers, one per row), so that an array merely named "y" cannot make the file unloadable;
    // the first that fits, in archive order, wins.
    for (const Member& m : archive.members()) {
        if (&m == &features || !is_label_name(array_name(m.name))) continue;
        const MemberData data = archive.read(m);
        try {
            const auto h = internal::parse_npy_header(data.src, data.data, data.size, /*allow_text=*/true);
            if (h.shape.size() != 1 || h.shape[0] != ds.n) continue;
        } catch (const LoadError&) {
            continue;
        }
        internal::attach_label(data.src, array_name(m.name), internal::labels_from_npy(data.src, data.data, data.size, ds.n),
                               ds);
        return;
    }
}

}  // namespace

Dataset load_npz(const std::string& path, const LoadOptions& options) {
    // Whole-file read: members are then parsed in place, and a gzipped .npz.gz works too.
    const Archive archive(path, io::read_file(path));
    const Member& features = *choose_features(archive, options);
    Dataset ds;
    {
        const MemberData data = archive.read(features);
        internal::features_from_npy(data.src, data.data, data.size, ds);
    }
    find_and_attach_label(archive, features, options, ds);
    ds.source = path;
    ds.format = "npz";
    ds.check_consistent();
    return ds;
}

}  // namespace latentscape::data
