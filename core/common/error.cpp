#include "common/error.h"

namespace latentscape {
namespace {
std::string compose(const std::string& file, const std::string& cause, std::optional<std::int64_t> line,
                    std::optional<std::int64_t> offset) {
    std::string s = file;
    if (line) s += ":" + std::to_string(*line);
    if (offset) s += " (byte " + std::to_string(*offset) + ")";
    s += ": " + cause;
    return s;
}
}  // namespace

LoadError::LoadError(std::string file, std::string cause, std::optional<std::int64_t> line,
                     std::optional<std::int64_t> offset)
    : std::runtime_error(compose(file, cause, line, offset)),
      file_(std::move(file)),
      cause_(std::move(cause)),
      line_(line),
      offset_(offset) {}

MissingValuesError::MissingValuesError(std::string file, std::string cause, std::int64_t line,
                                       std::int64_t cells, std::int64_t rows)
    : LoadError(std::move(file), std::move(cause), line), cells_(cells), rows_(rows) {}

}  // namespace latentscape
