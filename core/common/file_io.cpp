#include "common/file_io.h"

#include "common/error.h"

#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <chrono>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <utility>

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace latentscape::io {

std::uint64_t available_memory() {
    std::ifstream in("/proc/meminfo");
    std::string key;
    std::uint64_t value = 0;
    std::string unit;
    while (in >> key >> value >> unit) {
        if (key == "MemAvailable:") return value * 1024;
    }
    return std::numeric_limits<std::uint64_t>::max() / 4;
}

std::string human_bytes(std::uint64_t b) {
    char buf[64];
    if (b >= (1ull << 30)) std::snprintf(buf, sizeof buf, "%.1f GiB", double(b) / double(1ull << 30));
    else if (b >= (1ull << 20)) std::snprintf(buf, sizeof buf, "%.1f MiB", double(b) / double(1ull << 20));
    else std::snprintf(buf, sizeof buf, "%llu bytes", static_cast<unsigned long long>(b));
    return buf;
}

std::uint64_t parse_memory_size(std::string_view text) {
    const std::string shown(text);
    const auto bad = [&] {
        return std::invalid_argument("memory limit '" + printable(shown) +
                                     "' is not a size (examples: 512M, 4G, 2.5GiB, 1000000000)");
    };
    std::string t(text);
    while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.pop_back();
    std::size_t used = 0;
    double v = 0;
    try {
        v = std::stod(t, &used);
    } catch (const std::exception&) {
        throw bad();
    }
    std::string unit = t.substr(used);
    while (!unit.empty() && unit.front() == ' ') unit.erase(unit.begin());
    for (char& c : unit) c = char(std::toupper(static_cast<unsigned char>(c)));
    double scale = 1;
    if (!unit.empty()) {
        const char p = unit.front();
        const std::string rest = unit.substr(1);
        if (unit == "B") scale = 1;
        else if (rest.empty() || rest == "B" || rest == "IB") {
            switch (p) {
                case 'K': scale = 1024.0; break;
                case 'M': scale = 1024.0 * 1024; break;
                case 'G': scale = 1024.0 * 1024 * 1024; break;
                case 'T': scale = 1024.0 * 1024 * 1024 * 1024; break;
                default: throw bad();
            }
        } else {
            throw bad();
        }
    }
    const double bytes = v * scale;
    if (!(bytes >= 1) || !std::isfinite(bytes) || bytes > 1.8e19) throw bad();
    return std::uint64_t(bytes);
}

namespace {
// 0: none. Set from the environment on first use unless set_memory_limit() came first.
std::atomic<std::uint64_t> g_user_limit{0};
std::once_flag g_env_once;
std::atomic<bool> g_set_explicitly{false};

void read_environment_limit() {
    std::call_once(g_env_once, [] {
        if (g_set_explicitly.load()) return;
        const char* env = std::getenv("LATENTSCAPE_MEMORY_LIMIT");
        if (!env || !*env) return;
        try {
            g_user_limit.store(parse_memory_size(env));
        } catch (const std::invalid_argument& e) {
            // A bad variable must not silently mean "no limit": refuse every budgeted read with why.
            g_user_limit.store(1);
            std::fprintf(stderr, "latentscape: LATENTSCAPE_MEMORY_LIMIT: %s; reading nothing\n", e.what());
        }
    });
}
}  // namespace

std::uint64_t user_memory_limit() {
    read_environment_limit();
    return g_user_limit.load();
}

void set_memory_limit(std::uint64_t bytes) {
    g_set_explicitly.store(true);
    read_environment_limit();
    g_user_limit.store(bytes);
}

std::uint64_t memory_limit() {
    const std::uint64_t user = user_memory_limit();
    const std::uint64_t avail = available_memory();
    return user ? std::min(user, avail) : avail;
}

std::string over_budget(std::uint64_t budget) {
    const std::uint64_t user = user_memory_limit();
    if (user && budget >= user)
        return "exceeds the memory limit of " + human_bytes(user) + " (--memory-limit or LATENTSCAPE_MEMORY_LIMIT)";
    return "exceeds the " + human_bytes(budget) + " of available memory";
}

void check_fits_in_memory(const std::string& file, std::uint64_t bytes, const std::string& what) {
    const std::uint64_t user = user_memory_limit();
    if (user && bytes > user)
        throw LoadError(file, what + " needs " + human_bytes(bytes) + ", more than the memory limit of " +
                                  human_bytes(user) + " (--memory-limit or LATENTSCAPE_MEMORY_LIMIT)");
    const std::uint64_t avail = available_memory();
    if (bytes > avail)
        throw LoadError(file, what + " needs " + human_bytes(bytes) + " but only " + human_bytes(avail) +
                                  " of memory is available");
}

std::uint64_t checked_mul(const std::string& file, std::uint64_t n, std::uint64_t m) {
    if (n != 0 && m > std::numeric_limits<std::uint64_t>::max() / n)
        throw LoadError(file, "size " + std::to_string(n) + " x " + std::to_string(m) + " overflows");
    return n * m;
}

bool is_gzip(const char* data, std::size_t size) {
    return size >= 2 && static_cast<unsigned char>(data[0]) == 0x1f && static_cast<unsigned char>(data[1]) == 0x8b;
}

std::string gunzip(const std::string& path, const char* data, std::size_t size) {
    // The trailer's ISIZE (size mod 2^32 of the last member) is only a hint for the first
    // reservation, and a damaged or cut trailer can claim anything: trust it only up to a
    // plausible compression ratio; the buffer grows by doubling beyond that.
    std::string out;
    const std::uint64_t avail = memory_limit();
    if (size >= 18) {
        std::uint32_t isize = 0;
        std::memcpy(&isize, data + size - 4, 4);
        const std::uint64_t plausible = std::uint64_t(size) * 16 + (1u << 20);
        if (isize > 0) out.reserve(std::size_t(std::min({std::uint64_t(isize), plausible, avail + 1})));
    }
    z_stream zs{};
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) throw LoadError(path, "cannot initialise zlib");
    struct Guard {
        z_stream* z;
        ~Guard() { inflateEnd(z); }
    } guard{&zs};

    std::size_t consumed = 0;
    for (;;) {
        // zlib counts in 32-bit units: feed the input in bounded pieces.
        const std::size_t in_chunk = std::min<std::size_t>(size - consumed, 1u << 30);
        zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data + consumed));
        zs.avail_in = static_cast<uInt>(in_chunk);
        const std::size_t in_before = zs.avail_in;
        if (out.size() == out.capacity()) {
            // Grow by doubling, but never past the budget (one byte over it: enough to tell).
            const std::uint64_t want = std::max<std::uint64_t>(std::uint64_t(out.capacity()) * 2, 1u << 16);
            out.reserve(std::size_t(std::min<std::uint64_t>(want, avail + 1)));
        }
        const std::size_t old = out.size();
        const std::size_t room = std::min<std::size_t>(out.capacity() - old, 1u << 30);
        out.resize(old + room);
        zs.next_out = reinterpret_cast<Bytef*>(out.data() + old);
        zs.avail_out = static_cast<uInt>(room);
        const int rc = inflate(&zs, Z_NO_FLUSH);
        out.resize(old + (room - zs.avail_out));
        consumed += in_before - zs.avail_in;
        if (out.size() > avail) throw LoadError(path, "decompressed data " + over_budget(avail));
        if (rc == Z_STREAM_END) {
            if (consumed == size) break;
            // Another gzip member may follow (concatenated .gz files); trailing zeros are padding.
            bool only_zeros = std::all_of(data + consumed, data + size, [](char c) { return c == 0; });
            if (only_zeros) break;
            if (!is_gzip(data + consumed, size - consumed))
                throw LoadError(path, "unexpected bytes after the end of the gzip stream", std::nullopt,
                                std::int64_t(consumed));
            inflateReset(&zs);
            continue;
        }
        if (rc == Z_OK) continue;
        if (rc == Z_BUF_ERROR) {
            if (consumed == size)
                throw LoadError(path, "gzip stream is cut short (truncated file)", std::nullopt, std::int64_t(size));
            continue;  // no progress possible only for lack of output room: loop grows the buffer
        }
        throw LoadError(path,
                        std::string("corrupt gzip data: ") + (zs.msg ? zs.msg : "inflate error " + std::to_string(rc)),
                        std::nullopt, std::int64_t(consumed));
    }
    return out;
}

std::uint64_t require_regular_file(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        const int error = errno;
        if (error == ENOENT) {
            struct stat link {};
            if (::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode))
                throw LoadError(path, "no such file (a symbolic link to a file that is not there)");
            throw LoadError(path, "no such file");
        }
        if (error == ELOOP) throw LoadError(path, "too many levels of symbolic links (a symbolic link loop)");
        if (error == ENOTDIR) throw LoadError(path, "no such file (a part of its path is not a directory)");
        if (error == EACCES) throw LoadError(path, "cannot open: permission denied");
        throw LoadError(path, std::string("cannot open: ") + std::strerror(error));
    }
    if (S_ISREG(st.st_mode)) return std::uint64_t(st.st_size);
    if (S_ISDIR(st.st_mode)) throw LoadError(path, "is a directory, not a file");
    const char* kind = S_ISFIFO(st.st_mode)   ? "a FIFO (named pipe)"
                       : S_ISCHR(st.st_mode)  ? "a character device"
                       : S_ISBLK(st.st_mode)  ? "a block device"
                       : S_ISSOCK(st.st_mode) ? "a socket"
                                              : "a special file";
    // Opening a FIFO would block until a writer comes, and a device such as /dev/zero never ends.
    throw LoadError(path, std::string("is ") + kind + ", not a regular file: only regular files are read");
}

InputFile::InputFile(const std::string& path) : path_(path) {
    require_regular_file(path);
    // O_NONBLOCK: a path swapped for a FIFO since the check opens at once instead of waiting for
    // a writer (and fstat refuses it); for a regular file the flag changes nothing.
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd_ < 0) {
        const int error = errno;
        if (error == ELOOP) throw LoadError(path, "too many levels of symbolic links (a symbolic link loop)");
        if (error == ENOENT) throw LoadError(path, "no such file");
        throw LoadError(path, std::string("cannot open: ") + std::strerror(error));
    }
    struct stat st {};
    const bool stat_ok = ::fstat(fd_, &st) == 0;
    const int error = errno;
    if (!stat_ok || !S_ISREG(st.st_mode)) {
        ::close(fd_);
        fd_ = -1;
        throw LoadError(path, stat_ok ? std::string("is not a regular file (it changed while being opened)")
                                      : std::string("cannot read its size: ") + std::strerror(error));
    }
    size_ = std::uint64_t(st.st_size);
}

InputFile::~InputFile() {
    if (fd_ >= 0) ::close(fd_);
}

std::size_t InputFile::read_at(char* dst, std::size_t len, std::uint64_t offset) const {
    std::size_t got = 0;
    while (got < len) {
        const ssize_t r = ::pread(fd_, dst + got, len - got, off_t(offset + got));
        if (r < 0) {
            if (errno == EINTR) continue;
            throw LoadError(path_, std::string("read error: ") + std::strerror(errno), std::nullopt,
                            std::int64_t(offset + got));
        }
        if (r == 0) break;
        got += std::size_t(r);
    }
    return got;
}

std::string InputFile::read_all() const {
    const std::uint64_t avail = memory_limit();
    std::string out;
    std::size_t got = 0;
    for (;;) {
        if (got == out.size())
            out.resize(std::size_t(std::min<std::uint64_t>(std::max<std::uint64_t>(out.size() * 2, 1u << 16), avail + 1)));
        const ssize_t r = ::read(fd_, out.data() + got, out.size() - got);
        if (r < 0) {
            if (errno == EINTR) continue;
            throw LoadError(path_, std::string("read error: ") + std::strerror(errno), std::nullopt, std::int64_t(got));
        }
        if (r == 0) break;
        got += std::size_t(r);
        if (got > avail)
            throw LoadError(path_, "reading the file " + over_budget(avail));
    }
    out.resize(got);
    return out;
}

std::string read_file(const std::string& path, bool allow_empty) {
    const InputFile file(path);
    std::string buf;
    if (file.size() == 0) {
        // A regular file that says it is empty may still have bytes: /proc and /sys files are
        // generated as they are read. Read it as a stream.
        buf = file.read_all();
    } else {
        check_fits_in_memory(path, file.size(), "reading the file");
        buf.resize(std::size_t(file.size()));
        buf.resize(file.read_at(buf.data(), buf.size(), 0));  // shorter if the file shrank meanwhile
    }
    if (buf.empty() && !allow_empty) throw LoadError(path, "file is empty");
    if (is_gzip(buf.data(), buf.size())) {
        buf = gunzip(path, buf.data(), buf.size());
        if (buf.empty() && !allow_empty) throw LoadError(path, "file is empty (after gzip decompression)");
    }
    return buf;
}

namespace {

struct MappingSlot {
    std::atomic<const char*> begin{nullptr};
    std::atomic<std::size_t> length{0};
    std::atomic<bool> taken{false};
    char path[1024] = {};
};
MappingSlot g_mappings[256];
struct sigaction g_previous_sigbus;

void write_all(const char* text, std::size_t n) {
    while (n > 0) {
        const ssize_t w = ::write(STDERR_FILENO, text, n);
        if (w <= 0) return;
        text += w;
        n -= std::size_t(w);
    }
}

void on_sigbus(int sig, siginfo_t* info, void* context) {
    const char* addr = static_cast<const char*>(info ? info->si_addr : nullptr);
    for (MappingSlot& m : g_mappings) {
        const char* b = m.begin.load(std::memory_order_acquire);
        if (b && addr >= b && addr < b + m.length.load(std::memory_order_relaxed)) {
            static const char head[] = "latentscape: ";
            static const char tail[] = ": the file was truncated or changed while it was open (memory-mapped), so its "
                                       "data are gone; the program cannot go on. Reopen the file, and do not rewrite a "
                                       "file in place while it is open (write a new one and rename it).\n";
            write_all(head, sizeof head - 1);
            write_all(m.path, std::strlen(m.path));
            write_all(tail, sizeof tail - 1);
            ::_exit(2);
        }
    }
    // Not ours: what would have happened without this handler.
    if (g_previous_sigbus.sa_flags & SA_SIGINFO) {
        if (g_previous_sigbus.sa_sigaction) return g_previous_sigbus.sa_sigaction(sig, info, context);
    } else if (g_previous_sigbus.sa_handler != SIG_DFL && g_previous_sigbus.sa_handler != SIG_IGN &&
               g_previous_sigbus.sa_handler) {
        return g_previous_sigbus.sa_handler(sig);
    }
    ::signal(SIGBUS, SIG_DFL);  // the faulting access runs again and gets the default action
}

void install_sigbus_handler() {
    static std::once_flag once;
    std::call_once(once, [] {
        struct sigaction sa = {};
        sa.sa_sigaction = on_sigbus;
        sa.sa_flags = SA_SIGINFO | SA_NODEFER;
        sigemptyset(&sa.sa_mask);
        ::sigaction(SIGBUS, &sa, &g_previous_sigbus);
    });
}

}  // namespace

void register_mapping(const void* begin, std::size_t length, const std::string& path) noexcept {
    if (!begin || length == 0) return;
    install_sigbus_handler();
    for (MappingSlot& m : g_mappings) {
        bool expected = false;
        if (!m.taken.compare_exchange_strong(expected, true)) continue;
        const std::size_t n = std::min(path.size(), sizeof m.path - 1);
        std::memcpy(m.path, path.data(), n);
        m.path[n] = '\0';
        m.length.store(length, std::memory_order_relaxed);
        m.begin.store(static_cast<const char*>(begin), std::memory_order_release);
        return;
    }
}

void unregister_mapping(const void* begin) noexcept {
    if (!begin) return;
    for (MappingSlot& m : g_mappings)
        if (m.begin.load(std::memory_order_acquire) == begin) {
            m.begin.store(nullptr, std::memory_order_release);
            m.taken.store(false, std::memory_order_release);
            return;
        }
}

FileBytes::~FileBytes() {
    if (map_) {
        unregister_mapping(map_);
        ::munmap(map_, map_size_);
    }
}

FileBytes::FileBytes(FileBytes&& o) noexcept { *this = std::move(o); }

void FileBytes::replace(std::string text) {
    if (map_) {
        unregister_mapping(map_);
        ::munmap(map_, map_size_);
    }
    map_ = nullptr;
    map_size_ = 0;
    owned_ = std::move(text);
    view_ = owned_;
}

FileBytes& FileBytes::operator=(FileBytes&& o) noexcept {
    if (this == &o) return *this;
    if (map_) {
        unregister_mapping(map_);
        ::munmap(map_, map_size_);
    }
    map_ = std::exchange(o.map_, nullptr);
    map_size_ = std::exchange(o.map_size_, 0);
    // The view points into the mapping (unchanged by the move) or into owned_ (moved: re-aim it).
    const bool in_owned = !o.owned_.empty() && o.view_.data() >= o.owned_.data() &&
                          o.view_.data() <= o.owned_.data() + o.owned_.size();
    const std::size_t offset = in_owned ? std::size_t(o.view_.data() - o.owned_.data()) : 0;
    const std::size_t length = o.view_.size();
    owned_ = std::move(o.owned_);
    view_ = in_owned ? std::string_view(owned_.data() + offset, length) : o.view_;
    o.view_ = {};
    return *this;
}

FileBytes map_file(const std::string& path, bool allow_empty) {
    FileBytes out;
    std::uint64_t size = 0;
    void* map = MAP_FAILED;
    {
        const InputFile file(path);
        size = file.size();
        if (size == 0) {
            // Empty by stat, but perhaps generated as it is read (/proc, /sys): read it whole.
            std::string text = file.read_all();
            if (text.empty()) {
                if (!allow_empty) throw LoadError(path, "file is empty");
                return out;
            }
            if (is_gzip(text.data(), text.size())) {
                text = gunzip(path, text.data(), text.size());
                if (text.empty() && !allow_empty) throw LoadError(path, "file is empty (after gzip decompression)");
            }
            out.owned_ = std::move(text);
            out.view_ = out.owned_;
            return out;
        }
        map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, file.fd(), 0);
    }
    if (map == MAP_FAILED) {
        // Some file systems cannot map: fall back to reading.
        out.owned_ = read_file(path, allow_empty);
        out.view_ = out.owned_;
        return out;
    }
    out.map_ = map;
    out.map_size_ = size;
    register_mapping(map, size, path);
    out.view_ = std::string_view(static_cast<const char*>(map), size);
    if (is_gzip(out.view_.data(), out.view_.size())) {
        out.owned_ = gunzip(path, out.view_.data(), out.view_.size());
        unregister_mapping(out.map_);
        ::munmap(out.map_, out.map_size_);
        out.map_ = nullptr;
        out.map_size_ = 0;
        if (out.owned_.empty() && !allow_empty) throw LoadError(path, "file is empty (after gzip decompression)");
        out.view_ = out.owned_;
    }
    return out;
}

std::string temporary_path(const std::string& target, const std::string& tag) {
    namespace fs = std::filesystem;
    const fs::path t(target);
    fs::path dir = t.parent_path();
    if (dir.empty()) dir = ".";
    std::random_device rd;
    return (dir / ("." + t.filename().string() + "." + tag + "-" + std::to_string(::getpid()) + "-" +
                   std::to_string(rd())))
        .string();
}

int remove_stale_temporaries(const std::string& target, const std::string& tag) {
    namespace fs = std::filesystem;
    const fs::path t(target);
    fs::path dir = t.parent_path();
    if (dir.empty()) dir = ".";
    const std::string prefix = "." + t.filename().string() + "." + tag + "-";
    auto digits = [](std::string_view s) {
        return !s.empty() && s.size() <= 19 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    int removed = 0;
    std::error_code ec;
    fs::directory_iterator it(dir, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (!name.starts_with(prefix)) continue;
        const std::string_view rest = std::string_view(name).substr(prefix.size());
        const auto dash = rest.find('-');
        bool stale = false;
        std::error_code ignore;
        if (dash != std::string_view::npos && digits(rest.substr(0, dash)) && digits(rest.substr(dash + 1))) {
            const long long pid = std::stoll(std::string(rest.substr(0, dash)));
            // kill(pid, 0) sends nothing: ESRCH means no such process (EPERM: alive, someone else's).
            stale = pid > 0 && pid != ::getpid() && pid <= std::numeric_limits<pid_t>::max() &&
                    ::kill(pid_t(pid), 0) != 0 && errno == ESRCH;
        } else if (dash == std::string_view::npos && digits(rest)) {
            // Named before temporaries carried a pid: only an old one is surely abandoned.
            const auto written = fs::last_write_time(it->path(), ignore);
            stale = !ignore && fs::file_time_type::clock::now() - written > std::chrono::hours(24);
        }
        if (stale && it->is_regular_file(ignore) && fs::remove(it->path(), ignore)) ++removed;
    }
    return removed;
}

void write_atomically(const std::string& path, const std::function<void(std::ostream&)>& write) {
    namespace fs = std::filesystem;
    const fs::path target(path);
    fs::path dir = target.parent_path();
    if (dir.empty()) dir = ".";
    // A process killed while writing `path` left its temporary behind: clear those first, so that
    // repeated interrupted runs do not pile up hidden copies of the output.
    remove_stale_temporaries(path);
    const fs::path tmp = temporary_path(path);
    try {
        {
            std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
            if (!out) throw std::runtime_error(path + ": cannot create a file in " + dir.string() + ": " + std::strerror(errno));
            write(out);
            out.flush();
            if (!out) throw std::runtime_error(path + ": write failed (disk full?)");
        }
        const int fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            ::fsync(fd);
            ::close(fd);
        }
        std::error_code ec;
        fs::rename(tmp, target, ec);
        if (ec) throw std::runtime_error(path + ": cannot replace the file: " + ec.message());
    } catch (...) {
        std::error_code ignore;
        fs::remove(tmp, ignore);
        throw;
    }
}

std::string extension(const std::string& path, bool* gzipped) {
    std::string name = std::filesystem::path(path).filename().string();
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    bool gz = false;
    if (name.size() > 3 && name.ends_with(".gz")) {
        gz = true;
        name.resize(name.size() - 3);
    }
    if (gzipped) *gzipped = gz;
    const auto dot = name.rfind('.');
    return dot == std::string::npos ? std::string() : name.substr(dot + 1);
}

}  // namespace latentscape::io
