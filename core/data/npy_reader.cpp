// scaffolding: replaced by the binary-formats work
#include "data/load.h"
#include "data/write.h"
#include <stdexcept>
namespace latentscape::data {
Dataset load_npy(const std::string&, const LoadOptions&) { throw std::logic_error("npy: not built yet"); }
Dataset load_npz(const std::string&, const LoadOptions&) { throw std::logic_error("npz: not built yet"); }
Dataset load_idx(const std::string&, const LoadOptions&) { throw std::logic_error("idx: not built yet"); }
void write_npy(const Dataset&, const std::string&) { throw std::logic_error("npy: not built yet"); }
void write_npz(const Dataset&, const std::string&) { throw std::logic_error("npz: not built yet"); }
}
