#include "data/text_table.h"

// How a text table is laid out before it is split: its delimiter (sniffed from sample lines,
// whitespace runs included), its comment lines, and the rewrite of a whitespace-delimited text
// into single-space fields. Used by read_table.

#include <array>

namespace latentscape::data::internal {

/// Fields of `line` split at runs of spaces and tabs outside quotes (leading and trailing ones
/// ignored), up to a comment character.
std::size_t whitespace_fields(std::string_view line, std::optional<char> comment) {
    std::size_t n = 0;
    bool in_field = false, q = false;
    for (char ch : line) {
        if (!q && comment && ch == *comment) break;
        if (ch == '"') q = !q;
        const bool space = !q && (ch == ' ' || ch == '\t' || ch == '\r');
        if (!space && !in_field) ++n;
        in_field = !space;
    }
    return n;
}

/// The delimiter of the sample lines (blank and comment lines already left out): the one of
/// ',' '\t' ';' '|' that splits every line into the same number of fields, the most fields
/// winning; ' ' (runs of whitespace) when that gives more fields still, consistently.
char sniff_delimiter(const std::vector<std::string_view>& lines, std::optional<char> comment) {
    const std::array<char, 4> candidates{',', '\t', ';', '|'};
    char best = ',';
    std::size_t best_fields = 1;
    const auto consider = [&](char c, auto&& count) {
        std::size_t first = 0;
        bool consistent = true;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            const std::size_t n = count(lines[i]);
            if (i == 0) first = n;
            else if (n != first && i + 1 < lines.size()) consistent = false;  // last line may be cut
        }
        if (consistent && first > best_fields) {
            best = c;
            best_fields = first;
        }
    };
    for (char c : candidates)
        consider(c, [c](std::string_view line) {
            std::size_t n = 1;
            bool q = false;
            for (char ch : line) {
                if (ch == '"') q = !q;
                else if (ch == c && !q) ++n;
            }
            return n;
        });
    consider(' ', [comment](std::string_view line) { return whitespace_fields(line, comment); });
    return best;
}

/// The first non-blank character of [b, e) is the comment character.
bool is_comment_line(const char* b, const char* e, std::optional<char> comment) {
    if (!comment) return false;
    while (b < e && (*b == ' ' || *b == '\t')) ++b;
    return b < e && *b == *comment;
}

/// A whitespace-delimited text rewritten with single spaces between fields: runs of spaces and
/// tabs outside quotes become one space, leading and trailing ones go, and a comment character
/// ends a data line (comment lines themselves are kept, collapsed). Line breaks (`br`) are kept
/// as they are, so every line keeps its number; from `from` on (earlier bytes are copied as they are).
std::string collapse_whitespace(std::string_view text, std::size_t from, char br, std::optional<char> comment) {
    std::string out;
    out.reserve(text.size());
    out.append(text.substr(0, from));
    bool q = false;               // inside a quoted field (which may span lines)
    bool line_start = true;       // no field of this line seen yet
    bool pending_space = false;   // whitespace seen after a field
    bool comment_line = false;
    bool skipping = false;        // after an inline comment character
    for (std::size_t i = from; i < text.size(); ++i) {
        const char ch = text[i];
        if (ch == br && !q) {
            out += br;
            line_start = true;
            pending_space = comment_line = skipping = false;
            continue;
        }
        if (skipping) continue;
        const bool space = !q && (ch == ' ' || ch == '\t' || ch == '\r');
        if (space) {
            if (!line_start) pending_space = true;
            continue;
        }
        if (!q && comment && ch == *comment && !comment_line) {
            if (line_start) comment_line = true;  // kept: it may hold the header
            else {
                skipping = true;
                continue;
            }
        }
        if (pending_space) out += ' ';
        pending_space = false;
        line_start = false;
        if (ch == '"') q = !q;
        out += ch;
    }
    return out;
}

}  // namespace latentscape::data::internal
