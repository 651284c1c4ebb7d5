// scaffolding: being written
#include "data/load.h"
#include "data/write.h"
#include <stdexcept>
namespace latentscape::data {
Dataset load_csv(const std::string&, const LoadOptions&) { throw std::logic_error("csv: not built yet"); }
Dataset load_projector(const std::string&, const LoadOptions&) { throw std::logic_error("projector: not built yet"); }
void write_csv(const Dataset&, const std::string&) { throw std::logic_error("csv: not built yet"); }
void write(const Dataset&, const std::string&) { throw std::logic_error("write: not built yet"); }
}
