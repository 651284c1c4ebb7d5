// libFuzzer target: the binary dataset readers (NPY, NPZ, IDX, gzip-wrapped IDX) through
// data::load. The first byte picks the format (by the file's name, as the app detects it); the
// rest is the file. A loaded dataset must be whole (Dataset::check_consistent).
#include "fuzz_file.h"

#include "data/load.h"

#include <exception>
#include <optional>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    static const char* const suffixes[] = {".npy", ".npz", "-images-idx3-ubyte", "-images-idx3-ubyte.gz"};
    const std::string path = fuzz::write_input(data + 1, size - 1, suffixes[data[0] & 3]);
    std::optional<latentscape::data::Dataset> ds;
    try {
        ds = latentscape::data::load(path);
    } catch (const std::exception&) {
        return 0;
    }
    ds->check_consistent();
    return 0;
}
