#pragma once
// Shared by the fuzz targets: every reader takes a path, so each input is written to one file
// per process (on /dev/shm when there is one: no disk I/O per execution) and read back from there.
// An exception derived from std::exception is a clean refusal; anything else (a crash, a
// sanitizer report, a timeout, running out of memory) is a finding.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace fuzz {

/// Writes `size` bytes to a file whose name ends in `suffix` (so format detection by name works)
/// and returns its path. The same path for the same suffix within one process.
inline std::string write_input(const std::uint8_t* data, std::size_t size, const std::string& suffix) {
    static const std::string dir = [] {
        std::error_code ec;
        const std::filesystem::path base = std::filesystem::is_directory("/dev/shm", ec) ? "/dev/shm" : std::filesystem::temp_directory_path();
        const std::filesystem::path d = base / ("latentscape-fuzz-" + std::to_string(::getpid()));
        std::filesystem::create_directories(d);
        return d.string();
    }();
    const std::string path = dir + "/input" + suffix;
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) std::abort();
    if (size && std::fwrite(data, 1, size, f) != size) std::abort();
    std::fclose(f);
    return path;
}

}  // namespace fuzz
