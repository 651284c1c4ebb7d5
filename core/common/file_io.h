#pragma once
/// @file Whole-file reading (with transparent gzip), memory checks and atomic writes.

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace latentscape::io {

/// Bytes of memory the system can still hand out (MemAvailable), or a large number if unknown.
std::uint64_t available_memory();

/// The memory budget every reader checks its declared and inflated sizes against before it
/// allocates: the smaller of available_memory() and the user's limit, if one is set. The limit
/// comes from set_memory_limit() (latentscape-cli --memory-limit) or else the environment
/// variable LATENTSCAPE_MEMORY_LIMIT ("512M", "4G", "2.5GiB", "1000000000"; read once).
std::uint64_t memory_limit();
/// The user's limit in bytes, or 0 when none is set (then only available memory counts).
std::uint64_t user_memory_limit();
/// Sets the user's limit (0: none; the environment variable no longer counts). Process-wide.
void set_memory_limit(std::uint64_t bytes);
/// "512M", "4G", "2.5GiB", "64k", "1e9", "1000000000" as bytes (K/M/G/T are powers of 1024, with
/// or without "iB"/"B"); throws std::invalid_argument naming the text for anything else, zero or
/// a negative number.
std::uint64_t parse_memory_size(std::string_view text);
/// "1.5 GiB", "12.0 MiB", "512 bytes".
std::string human_bytes(std::uint64_t bytes);

/// "exceeds the memory limit of 1.0 GiB (...)" or "exceeds the 3.2 GiB of available memory": the
/// end of a message for a stream that outgrew `budget` (a memory_limit() value).
std::string over_budget(std::uint64_t budget);

/// Throws LoadError for `file` if `bytes` more would not fit in the memory budget
/// (memory_limit()); the message says which bound it hit and how to change the user's limit.
/// `what` names the allocation in the message ("decompressed data", "feature matrix").
void check_fits_in_memory(const std::string& file, std::uint64_t bytes, const std::string& what);

/// n * m, or throws LoadError for `file` if it overflows 64 bits.
std::uint64_t checked_mul(const std::string& file, std::uint64_t n, std::uint64_t m);

/// True if the buffer starts with the gzip magic bytes.
bool is_gzip(const char* data, std::size_t size);

/// Checks, without opening it, that `path` is a regular file (symbolic links followed) and returns
/// its size. Readers call it before anything opens the path: opening a FIFO blocks until a writer
/// comes, and a device such as /dev/zero never ends. Throws LoadError naming the file: "no such
/// file", "too many levels of symbolic links (a symbolic link loop)", "is a directory, not a file",
/// "is a FIFO (named pipe), not a regular file", "is a character device, not a regular file", ...
std::uint64_t require_regular_file(const std::string& path);

/// A regular file opened read-only for a reader: require_regular_file() first, then opened with
/// O_NONBLOCK and checked again on the descriptor (a file swapped for a FIFO in between is refused
/// rather than waited on). Closes on destruction.
class InputFile {
public:
    explicit InputFile(const std::string& path);
    ~InputFile();
    InputFile(const InputFile&) = delete;
    InputFile& operator=(const InputFile&) = delete;

    int fd() const { return fd_; }
    const std::string& path() const { return path_; }
    /// The size stat gave. 0 for a regular file may still hold bytes (/proc and /sys files).
    std::uint64_t size() const { return size_; }
    /// Reads up to `len` bytes at `offset` (fewer only at the end of the file); throws on errors.
    std::size_t read_at(char* dst, std::size_t len, std::uint64_t offset) const;
    /// Reads the whole file as a stream, to its end, whatever its stat size (files under /proc
    /// report 0); throws LoadError if it outgrows the available memory.
    std::string read_all() const;

private:
    std::string path_;
    int fd_ = -1;
    std::uint64_t size_ = 0;
};

/// Reads a whole file. If it is gzip-compressed (by content, not by name) it is decompressed,
/// including concatenated members. Errors (missing, unreadable, empty when `allow_empty` is
/// false, truncated or corrupt gzip, too large for memory) throw LoadError naming the file and
/// the byte offset.
std::string read_file(const std::string& path, bool allow_empty = false);

/// The bytes of a whole file, for parsers that only read them: a plain file is memory-mapped
/// read-only (no copy, no zero-fill: the page cache is used in place); a gzipped one is
/// decompressed into memory. Movable, not copyable.
/// Mapped files and SIGBUS. A file truncated (or rewritten in place) while it is memory-mapped
/// makes every later read of its lost pages raise SIGBUS, which would end the program with "Bus
/// error" and nothing else. Mappings registered here turn that into a message naming the file
/// ("... was truncated or changed while it was open ...") and exit status 2. A SIGBUS outside
/// them keeps its default action. At most 256 mappings are registered at once (beyond that a
/// mapping is simply not named). Async-signal-safe to look up; registering is thread-safe.
void register_mapping(const void* begin, std::size_t length, const std::string& path) noexcept;
/// Forgets the mapping that starts at `begin` (before it is unmapped). No-op if not registered.
void unregister_mapping(const void* begin) noexcept;

class FileBytes {
public:
    FileBytes() = default;
    ~FileBytes();
    FileBytes(FileBytes&& other) noexcept;
    FileBytes& operator=(FileBytes&& other) noexcept;
    FileBytes(const FileBytes&) = delete;
    FileBytes& operator=(const FileBytes&) = delete;

    std::string_view view() const { return view_; }
    /// Drops `n` bytes from the front of the view (a byte-order mark, say).
    void skip(std::size_t n) { view_.remove_prefix(n); }
    /// Holds `text` instead of the file's bytes (a rewritten copy of them); a mapping is released.
    void replace(std::string text);

private:
    friend FileBytes map_file(const std::string& path, bool allow_empty);
    void* map_ = nullptr;
    std::size_t map_size_ = 0;
    std::string owned_;
    std::string_view view_;
};

/// Like read_file, with the same checks and errors, but maps a plain file instead of copying it.
FileBytes map_file(const std::string& path, bool allow_empty = false);

/// Inflates a gzip buffer; `path` is only used in error messages.
std::string gunzip(const std::string& path, const char* data, std::size_t size);

/// Writes a file atomically: `write` fills a stream opened on a temporary file next to `path`,
/// which is flushed, synced and renamed over `path`. If anything throws, the temporary file is
/// removed and `path` is left as it was. Temporaries of `path` left by processes killed while
/// writing it are removed first (remove_stale_temporaries). Throws std::runtime_error naming the
/// path on I/O errors.
void write_atomically(const std::string& path, const std::function<void(std::ostream&)>& write);

/// A hidden name next to `target` for a write in progress: ".<name>.<tag>-<pid>-<random>". The
/// process id lets a later writer tell a temporary abandoned by a killed process from one still
/// being written.
std::string temporary_path(const std::string& target, const std::string& tag = "tmp");

/// Removes the temporaries of `target` (named by temporary_path with `tag`) whose process no
/// longer runs on this machine, and older unnamed ones (".<name>.<tag>-<random>", written before
/// names carried a pid) not touched for a day. Another process's live temporary is kept, and so is
/// one of this process (another thread may be writing the same target). Best effort: a temporary
/// that cannot be removed is left. Returns how many were removed.
int remove_stale_temporaries(const std::string& target, const std::string& tag = "tmp");

/// Lower-case extension of a path without the dot, looking through a trailing ".gz":
/// "a/b.CSV.gz" -> "csv". `gzipped` (if given) is set when the name ends in ".gz".
std::string extension(const std::string& path, bool* gzipped = nullptr);

}  // namespace latentscape::io
