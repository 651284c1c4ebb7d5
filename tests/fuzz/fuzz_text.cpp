// libFuzzer target: the text table reader (CSV, TSV, whitespace .txt/.dat) through data::load.
// The first byte picks the extension and the loading options; the rest is the file.
#include "fuzz_file.h"

#include "data/load.h"

#include <exception>
#include <optional>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const std::uint8_t pick = data[0];
    static const char* const suffixes[] = {".csv", ".tsv", ".txt", ".dat"};
    const std::string path = fuzz::write_input(data + 1, size - 1, suffixes[pick & 3]);
    latentscape::data::LoadOptions o;
    o.header = (pick >> 2 & 3) == 0 ? latentscape::data::HeaderMode::Auto
             : (pick >> 2 & 3) == 1 ? latentscape::data::HeaderMode::Present
                                    : latentscape::data::HeaderMode::Absent;
    o.missing = (pick >> 4 & 3) == 0 ? latentscape::data::MissingPolicy::Error
              : (pick >> 4 & 3) == 1 ? latentscape::data::MissingPolicy::DropRows
                                     : latentscape::data::MissingPolicy::ImputeMean;
    if (pick & 0x40) o.skip_rows = 1;
    std::optional<latentscape::data::Dataset> ds;
    try {
        ds = latentscape::data::load(path, o);
    } catch (const std::exception&) {
        return 0;  // refused, with a message: fine
    }
    ds->check_consistent();  // a loaded dataset is whole: an exception here aborts (a finding)
    return 0;
}
