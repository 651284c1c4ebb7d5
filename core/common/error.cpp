#include "common/error.h"

namespace latentscape {

namespace {
/// Length of the valid UTF-8 sequence at s[i] (1..4), or 0 when the bytes there are not one
/// (overlong forms, surrogates and code points above U+10FFFF are not valid).
std::size_t utf8_length(std::string_view s, std::size_t i) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    if (c < 0x80) return 1;
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) len = 2, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF) len = 3, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4) len = 4, cp = c & 0x07;
    else return 0;
    if (i + len > s.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        if ((b(i + k) & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b(i + k) & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    if (len == 2 && cp >= 0x80 && cp <= 0x9F) return 0;  // C1 controls: escaped like C0 ones
    return len;
}
}  // namespace

std::string printable(std::string_view text) {
    static const char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        const std::size_t len = utf8_length(text, i);
        if (len == 0 || c < 0x20 || c == 0x7F) {
            // a control character, or a byte that starts no valid UTF-8 sequence (a C1 control's
            // two bytes are both escaped, so the text stays valid UTF-8 whatever follows)
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
            ++i;
        } else {
            out.append(text.substr(i, len));
            i += len;
        }
    }
    return out;
}

namespace {
std::string compose(const std::string& file, const std::string& cause, std::optional<std::int64_t> line,
                    std::optional<std::int64_t> offset) {
    std::string s = printable(file);
    if (line) s += ":" + std::to_string(*line);
    if (offset) s += " (byte " + std::to_string(*offset) + ")";
    s += ": " + printable(cause);
    return s;
}
}  // namespace

LoadError::LoadError(std::string file, std::string cause, std::optional<std::int64_t> line,
                     std::optional<std::int64_t> offset)
    : std::runtime_error(compose(file, cause, line, offset)),
      file_(std::move(file)),
      cause_(printable(cause)),
      line_(line),
      offset_(offset) {}

MissingValuesError::MissingValuesError(std::string file, std::string cause, std::int64_t line,
                                       std::int64_t cells, std::int64_t rows)
    : LoadError(std::move(file), std::move(cause), line), cells_(cells), rows_(rows) {}

}  // namespace latentscape
