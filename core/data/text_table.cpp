#include "data/text_table.h"

#include "common/error.h"
#include "common/file_io.h"

#include "common/parallel.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace latentscape::data::internal {
namespace {

constexpr std::size_t kSniffLines = 20;

/// Offset of the end of the record that starts at `pos` (at its '\n' or at `size`), honouring
/// quotes when `quoted`. `lines` is incremented by the line breaks inside quoted fields.
/// Returns npos for an unterminated quote.
std::size_t record_end(std::string_view t, std::size_t pos, bool quoted, std::int64_t& lines, char br) {
    const std::size_t size = t.size();
    if (!quoted) {
        const void* nl = std::memchr(t.data() + pos, br, size - pos);
        return nl ? std::size_t(static_cast<const char*>(nl) - t.data()) : size;
    }
    bool in_quotes = false;
    for (std::size_t i = pos; i < size; ++i) {
        const char c = t[i];
        if (c == '"') in_quotes = !in_quotes;  // "" inside quotes toggles twice: stays quoted
        else if (c == br) {
            if (!in_quotes) return i;
            ++lines;
        }
    }
    return in_quotes ? std::string::npos : size;
}

/// Calls f(begin, end) for each raw field of [b, e). Raw fields keep their quotes.
template <class F>
std::size_t for_each_field(const char* b, const char* e, char delim, bool quoted, F&& f) {
    std::size_t count = 0;
    const char* p = b;
    for (;;) {
        const char* field_end;
        if (quoted) {
            bool in_quotes = false;
            const char* q = p;
            for (; q < e; ++q) {
                if (*q == '"') in_quotes = !in_quotes;
                else if (*q == delim && !in_quotes) break;
            }
            field_end = q;
        } else {
            const void* d = std::memchr(p, delim, std::size_t(e - p));
            field_end = d ? static_cast<const char*>(d) : e;
        }
        f(count, p, field_end);
        ++count;
        if (field_end >= e) break;
        p = field_end + 1;
    }
    return count;
}

}  // namespace

std::string_view nth_field(const char* b, const char* e, char delim, bool quoted, std::size_t col) {
    const char* p = b;
    for (std::size_t c = 0;; ++c) {
        const char* field_end = e;
        bool in_quotes = false;
        for (const char* q = p; q < e; ++q) {
            if (quoted && *q == '"') in_quotes = !in_quotes;
            else if (*q == delim && !in_quotes) {
                field_end = q;
                break;
            }
        }
        if (c == col) return std::string_view(p, std::size_t(field_end - p));
        if (field_end >= e) return {};
        p = field_end + 1;
    }
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

std::string unquote(std::string_view raw) {
    std::string_view s = trim(raw);
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"') {
        s = s.substr(1, s.size() - 2);
        std::string out;
        out.reserve(s.size());
        for (std::size_t i = 0; i < s.size(); ++i) {
            out += s[i];
            if (s[i] == '"' && i + 1 < s.size() && s[i + 1] == '"') ++i;
        }
        return out;
    }
    return std::string(s);
}

bool is_missing_token(std::string_view s) {
    if (s.empty()) return true;
    if (s.size() > 4) return false;
    char low[5] = {};
    for (std::size_t i = 0; i < s.size(); ++i) low[i] = char(std::tolower(static_cast<unsigned char>(s[i])));
    const std::string_view l(low, s.size());
    return l == "na" || l == "n/a" || l == "nan" || l == "null" || l == "none";
}

namespace {

/// Parses the fields of an unquoted record [p, e) into vals/kinds (at most ncol of them) and
/// returns how many fields it has. Integers are converted while the field is scanned; anything
/// else falls back to parse_cell.
std::size_t parse_unquoted_record(const char* p, const char* e, char delim, std::size_t ncol, float* vals,
                                  Cell* kinds, std::int64_t* counts) {
    std::size_t c = 0;
    for (;;) {
        const char* start = p;
        float value;  // never address-taken: it stays in a register on the integer path
        Cell kind;
        bool neg = false;
        if (p < e && *p == '-') {
            neg = true;
            ++p;
        }
        std::int32_t v = 0;
        int digits = 0;
        while (p < e && digits < 9 && unsigned(*p - '0') < 10) {
            v = v * 10 + (*p - '0');
            ++p;
            ++digits;
        }
        if (digits > 0 && (p == e || *p == delim)) {
            value = neg ? -float(v) : float(v);  // "-0" is -0, as strtof reads it
            kind = Cell::Number;
        } else {
            const void* d = std::memchr(p, delim, std::size_t(e - p));
            p = d ? static_cast<const char*>(d) : e;
            float parsed = std::numeric_limits<float>::quiet_NaN();
            kind = parse_cell({start, std::size_t(p - start)}, parsed);
            value = kind == Cell::Number ? parsed : std::numeric_limits<float>::quiet_NaN();
        }
        if (c < ncol) {
            vals[c] = value;
            kinds[c] = kind;
            ++counts[(kind == Cell::Number ? 0 : kind == Cell::Missing ? 1 : 2) * ncol + c];
        }
        ++c;
        if (p >= e) return c;
        ++p;  // the delimiter
    }
}

/// For a decimal number that from_chars read whole but found out of range: true if its magnitude is
/// below 1 (it underflowed), false if above (it overflowed). Worked out from the digits and the
/// exponent, which may itself be too long for any integer type.
bool below_one(const char* b, const char* e) {
    const char* p = b;
    if (p < e && (*p == '-' || *p == '+')) ++p;
    // Decimal position of the first non-zero digit: 0 for 1.x, -1 for 0.1, 2 for 100.
    std::int64_t lead = 0;
    bool found = false;
    std::int64_t int_digits = 0;
    for (; p < e && *p >= '0' && *p <= '9'; ++p) {
        if (!found && *p != '0') {
            found = true;
            int_digits = 0;
        }
        if (found) ++int_digits;
    }
    if (found) lead = int_digits - 1;
    if (p < e && *p == '.') {
        ++p;
        std::int64_t j = 0;
        for (; p < e && *p >= '0' && *p <= '9'; ++p, ++j)
            if (!found && *p != '0') {
                found = true;
                lead = -(j + 1);
            }
    }
    if (!found) return true;  // all zeros never range-fails; treat as zero anyway
    std::int64_t exponent = 0;
    if (p < e && (*p == 'e' || *p == 'E')) {
        ++p;
        bool negative = false;
        if (p < e && (*p == '-' || *p == '+')) negative = *p++ == '-';
        constexpr std::int64_t cap = std::int64_t(1) << 40;  // far beyond any double exponent
        for (; p < e && *p >= '0' && *p <= '9'; ++p) exponent = std::min(cap, exponent * 10 + (*p - '0'));
        if (negative) exponent = -exponent;
    }
    return lead + exponent < 0;
}

}  // namespace

Cell parse_cell(std::string_view raw, float& value) {
    std::string_view s = trim(raw);
    std::string unq;
    if (!s.empty() && s.front() == '"') {
        unq = unquote(s);
        s = trim(unq);
    }
    if (is_missing_token(s)) return Cell::Missing;
    const char* b = s.data();
    const char* e = b + s.size();
    // Fast path: short integers (pixel values, counts, codes) convert exactly.
    {
        const char* p = b;
        bool neg = false;
        if (*p == '-' || *p == '+') {
            neg = *p == '-';
            ++p;
        }
        const std::size_t digits = std::size_t(e - p);
        if (digits > 0 && digits <= 9) {
            std::int32_t v = 0;
            const char* q = p;
            for (; q < e; ++q) {
                const unsigned d = unsigned(*q - '0');
                if (d > 9) break;
                v = v * 10 + std::int32_t(d);
            }
            if (q == e) {
                value = neg ? -float(v) : float(v);  // "-0" is -0, as strtof reads it
                return Cell::Number;
            }
        }
    }
    if (*b == '+') ++b;  // from_chars does not take a leading '+'
    if (b == e) return Cell::Text;
    float f = 0;
    auto [ptr, ec] = std::from_chars(b, e, f);
    if (ptr != e) return Cell::Text;
    if (ec == std::errc::result_out_of_range) {
        double dbl = 0;
        auto r = std::from_chars(b, e, dbl);
        if (r.ptr == e && r.ec == std::errc::result_out_of_range && below_one(b, e)) {
            // Too small even for a double (1e-400): zero, as 1e-50 is (float32 rounds both to 0).
            value = *b == '-' ? -0.0f : 0.0f;
            return Cell::Number;
        }
        if (r.ptr != e || r.ec != std::errc() || std::fabs(dbl) > std::numeric_limits<float>::max())
            return Cell::NonFinite;
        f = float(dbl);  // an underflow to zero or a subnormal
    } else if (ec != std::errc()) {
        return Cell::Text;
    }
    if (std::isnan(f)) return Cell::Missing;
    if (std::isinf(f)) return Cell::NonFinite;
    value = f;
    return Cell::Number;
}

std::int64_t Table::line_of(const Record& r) const {
    const std::string_view t = text();
    std::int64_t line = first_line;
    const char* q = t.data() + std::min(line_base, t.size());
    const char* const stop = t.data() + std::min(r.begin, t.size());
    while (q < stop) {
        const void* nl = std::memchr(q, line_break, std::size_t(stop - q));
        if (!nl) break;
        ++line;
        q = static_cast<const char*>(nl) + 1;
    }
    return line;
}

std::string Table::field(std::size_t r, std::size_t col) const {
    const Record& rec = records[r];
    return unquote(nth_field(text().data() + rec.begin, text().data() + rec.end, delimiter, quoted, col));
}

std::vector<std::string> Table::fields(std::size_t r) const {
    const Record& rec = records[r];
    std::vector<std::string> out;
    for_each_field(text().data() + rec.begin, text().data() + rec.end, delimiter, quoted,
                   [&](std::size_t, const char* b, const char* e) {
                       out.push_back(unquote(std::string_view(b, std::size_t(e - b))));
                   });
    return out;
}

Table read_table(const std::string& path, std::optional<char> delimiter, HeaderMode header) {
    TableOptions o;
    o.delimiter = delimiter;
    o.header = header;
    o.comment = std::nullopt;
    return read_table(path, o);
}

Table read_table(const std::string& path, const TableOptions& options) {
    Table t;
    t.path = path;
    t.bytes = io::map_file(path);
    if (t.bytes.view().size() >= 3 && std::memcmp(t.bytes.view().data(), "\xEF\xBB\xBF", 3) == 0) t.bytes.skip(3);  // UTF-8 BOM
    std::string_view text = t.text();

    const std::size_t probe = std::min<std::size_t>(text.size(), 1 << 16);
    if (text.size() >= 6 && std::memcmp(text.data(), "\x93NUMPY", 6) == 0)
        throw LoadError(path, "this is a NumPy .npy file, not a text table: rename it to .npy", std::nullopt, 0);
    if (text.size() >= 4 && std::memcmp(text.data(), "PK\x03\x04", 4) == 0)
        throw LoadError(path,
                        "this is a zip archive (an Excel .xlsx workbook, or a NumPy .npz?), not a text table: "
                        "export it as CSV, or rename an .npz to .npz",
                        std::nullopt, 0);
    if (text.size() >= 2 && ((text[0] == '\xFF' && text[1] == '\xFE') || (text[0] == '\xFE' && text[1] == '\xFF')))
        throw LoadError(path, "this text is UTF-16 (a spreadsheet's \"Unicode text\" export): save it as UTF-8 CSV",
                        std::nullopt, 0);
    if (const void* nul = std::memchr(text.data(), '\0', probe))
        throw LoadError(path, "binary data (a NUL byte), not a delimited text table", std::nullopt,
                        std::int64_t(static_cast<const char*>(nul) - text.data()));
    if (options.skip_rows < 0)
        throw LoadError(path, "rows to skip (" + std::to_string(options.skip_rows) + ") must be 0 or more");

    // Old Mac files break lines with CR alone: without that rule the whole file is one row.
    const char br = std::memchr(text.data(), '\n', text.size()) == nullptr &&
                            std::memchr(text.data(), '\r', text.size()) != nullptr
                        ? '\r'
                        : '\n';
    const std::optional<char> comment = options.comment;

    // The preamble: the first skip_rows lines.
    std::size_t start = 0;
    std::int64_t first_line = 1;
    for (; first_line <= options.skip_rows; ++first_line) {
        const void* nl = std::memchr(text.data() + start, br, text.size() - start);
        if (!nl) throw LoadError(path, "only " + std::to_string(first_line) + " lines, fewer than the " +
                                           std::to_string(options.skip_rows) + " to skip", first_line);
        start = std::size_t(static_cast<const char*>(nl) - text.data()) + 1;
    }

    // A quick look (max_records): only the head of the file is kept, so that what follows (the
    // whitespace collapsing copies all it is given) costs the same for any file size. Twice the
    // records and some more lines leave room for blank and comment lines.
    bool cut = false;
    if (options.max_records > 0) {
        const std::int64_t want = 2 * options.max_records + 64;
        std::size_t pos = start;
        for (std::int64_t lines = 0; pos < text.size() && lines < want; ++lines) {
            const void* nl = std::memchr(text.data() + pos, br, text.size() - pos);
            pos = nl ? std::size_t(static_cast<const char*>(nl) - text.data()) + 1 : text.size();
        }
        if (pos < text.size()) {
            t.bytes.replace(std::string(text.substr(0, pos)));
            text = t.text();
            cut = true;
        }
    }

    bool whitespace = options.delimiter && *options.delimiter == ' ';
    if (options.delimiter) {
        t.delimiter = *options.delimiter;
    } else {
        std::vector<std::string_view> sample;
        std::size_t pos = start;
        while (pos < text.size() && sample.size() < kSniffLines) {
            const void* nl = std::memchr(text.data() + pos, br, text.size() - pos);
            const std::size_t end = nl ? std::size_t(static_cast<const char*>(nl) - text.data()) : text.size();
            const std::string_view line(text.data() + pos, end - pos);
            if (!trim(line).empty() && !is_comment_line(line.data(), line.data() + line.size(), comment))
                sample.push_back(line);
            pos = end + 1;
        }
        t.delimiter = sniff_delimiter(sample, comment);
        whitespace = t.delimiter == ' ';
    }
    if (whitespace) {
        t.bytes.replace(collapse_whitespace(text, start, br, comment));
        text = t.text();
    }
    t.quoted = std::memchr(text.data() + start, '"', text.size() - start) != nullptr;

    // Split records; blank lines and comment lines are skipped. The comment line right above the
    // first record is kept aside: it may be the header ("# a b c", numpy.savetxt's).
    // The records of a file of short lines take many times its size (24 bytes for a 2-byte line).
    // Counting the line breaks first (memchr: a fraction of the parse) sizes the list once: no
    // doubling, which held the old and the new list at once, and the memory budget is checked
    // before anything is allocated. Lines, not records: an upper bound when quoted fields span
    // lines, or blank and comment lines are skipped.
    std::size_t lines_left = 1;
    for (const char* q = text.data() + start; options.max_records <= 0;) {
        const void* nl = std::memchr(q, br, std::size_t(text.data() + text.size() - q));
        if (!nl) break;
        ++lines_left;
        q = static_cast<const char*>(nl) + 1;
    }
    std::vector<Record> all;
    if (options.max_records > 0) {
        all.reserve(std::size_t(options.max_records) + 2);
    } else {
        io::check_fits_in_memory(path, io::checked_mul(path, lines_left, sizeof(Record)),
                                 "the list of the table's " + std::to_string(lines_left) + " lines");
        all.reserve(lines_left);
    }
    std::optional<Record> comment_above;
    t.line_break = br;
    t.line_base = start;
    t.first_line = first_line;
    std::int64_t line = first_line;
    std::size_t pos = start;
    while (pos < text.size()) {
        std::int64_t extra = 0;
        const std::size_t end = record_end(text, pos, t.quoted, extra, br);
        if (end == std::string::npos) {
            if (cut) break;  // a quoted field that goes on past the head
            throw LoadError(path, "a quoted field is never closed (unbalanced '\"')", line);
        }
        std::size_t stop = end;
        if (stop > pos && text[stop - 1] == '\r') --stop;
        const std::string_view content(text.data() + pos, stop - pos);
        if (is_comment_line(content.data(), content.data() + content.size(), comment)) {
            if (all.empty()) {
                std::size_t b = pos + content.find(*comment) + 1;
                while (b < stop && (text[b] == ' ' || text[b] == '\t')) ++b;
                comment_above = Record{b, stop};
            }
        } else if (!trim(content).empty()) {
            // One more than asked: the first may be the header.
            if (options.max_records > 0 && std::int64_t(all.size()) > options.max_records) {
                t.truncated = true;
                break;
            }
            all.push_back({pos, stop});
        } else if (all.empty()) {
            comment_above.reset();  // a blank line parts a comment from the table
        }
        line += 1 + extra;
        pos = end + 1;
    }
    if (all.empty()) throw LoadError(path, "file holds no data, only blank lines");
    if (comment_above && options.header != HeaderMode::Absent && comment_above->end > comment_above->begin) {
        const auto count = [&](const Record& r) {
            return for_each_field(text.data() + r.begin, text.data() + r.end, t.delimiter, t.quoted,
                                  [](std::size_t, const char*, const char*) {});
        };
        // Only names: a commented-out row of numbers stays out.
        std::set<std::string> names;
        bool all_text = true;
        for_each_field(text.data() + comment_above->begin, text.data() + comment_above->end, t.delimiter, t.quoted,
                       [&](std::size_t, const char* b, const char* e) {
                           float v;
                           const std::string name = unquote({b, std::size_t(e - b)});
                           all_text = all_text && parse_cell(name, v) == Cell::Text;
                           names.insert(name);
                       });
        const std::size_t fields = count(*comment_above);
        if (all_text && names.size() == fields && fields == count(all.front()))
            all.insert(all.begin(), *comment_above);
    }

    const std::size_t ncols = for_each_field(text.data() + all[0].begin, text.data() + all[0].end, t.delimiter,
                                             t.quoted, [](std::size_t, const char*, const char*) {});
    std::vector<std::string> first = [&] {
        std::vector<std::string> f;
        for_each_field(text.data() + all[0].begin, text.data() + all[0].end, t.delimiter, t.quoted,
                       [&](std::size_t, const char* b, const char* e) { f.push_back(unquote({b, std::size_t(e - b)})); });
        return f;
    }();

    bool has_header = options.header == HeaderMode::Present;
    if (options.header == HeaderMode::Auto) {
        // A header if some column is text in the first row but numeric below it, or if every
        // cell of the first row is distinct non-numeric text.
        float v;
        std::set<std::string> distinct;
        bool all_text = true;
        for (const auto& f : first) {
            if (parse_cell(f, v) != Cell::Text) all_text = false;
            distinct.insert(f);
        }
        has_header = all_text && distinct.size() == first.size();
        for (std::size_t r = 1; r < std::min<std::size_t>(all.size(), 11) && !has_header; ++r) {
            std::vector<Cell> kinds;
            for_each_field(text.data() + all[r].begin, text.data() + all[r].end, t.delimiter, t.quoted,
                           [&](std::size_t, const char* b, const char* e) {
                               float x;
                               kinds.push_back(parse_cell({b, std::size_t(e - b)}, x));
                           });
            for (std::size_t c = 0; c < std::min(kinds.size(), first.size()); ++c)
                if (kinds[c] == Cell::Number && parse_cell(first[c], v) == Cell::Text) has_header = true;
        }
    }
    t.has_header = has_header;
    if (has_header) {
        // A repeated name gets the first free "_2", "_3", ... suffix. Names are only ever added,
        // so the first free suffix of a name never goes down: each name resumes where its last
        // search stopped, and a header of 20,000 identical names costs O(n log n), not O(n^2).
        std::unordered_set<std::string> seen;
        std::unordered_map<std::string, int> next_suffix;
        seen.reserve(first.size());
        for (std::size_t c = 0; c < first.size(); ++c) {
            std::string name = first[c].empty() ? "col" + std::to_string(c + 1) : first[c];
            t.unnamed.push_back(first[c].empty());
            if (seen.count(name)) {
                int& k = next_suffix.try_emplace(first[c], 2).first->second;
                for (;; ++k) {
                    name = first[c] + "_" + std::to_string(k);
                    if (!seen.count(name)) break;
                }
                ++k;
            }
            seen.insert(name);
            t.names.push_back(name);
        }
        const std::int64_t header_line = t.line_of(all.front());
        all.erase(all.begin());
        if (all.empty()) throw LoadError(path, "only a header line, no data rows", header_line);
    } else {
        for (std::size_t c = 0; c < ncols; ++c) t.names.push_back("col" + std::to_string(c + 1));
    }

    if (options.max_records > 0 && std::int64_t(all.size()) > options.max_records) {
        all.resize(std::size_t(options.max_records));
        t.truncated = true;
    }
    if (cut) t.truncated = true;
    t.records = std::move(all);
    return t;
}

NumericCells parse_numeric(const Table& t) {
    const std::size_t nrec = t.records.size();
    const std::size_t ncol = t.columns();
    NumericCells out;
    const std::uint64_t cells = io::checked_mul(t.path, nrec, ncol);
    auto fields_of = [&](const Record& rec) {
        return for_each_field(t.text().data() + rec.begin, t.text().data() + rec.end, t.delimiter, t.quoted,
                              [](std::size_t, const char*, const char*) {});
    };
    auto ragged_error = [&](const Record& rec) {
        return LoadError(t.path,
                         "ragged row: " + std::to_string(fields_of(rec)) + " fields, expected " + std::to_string(ncol) +
                             (t.has_header ? " (as in the header)" : " (as in the first row)"),
                         t.line_of(rec));
    };
    // Every field but the last ends in a delimiter byte, so a table of records x columns cells
    // needs at least records x (columns - 1) bytes. When the file is smaller some row must be
    // short: say so rather than ask for memory sized by one over-wide first row.
    if (cells > t.text().size() + nrec) {
        for (const Record& rec : t.records)
            if (fields_of(rec) != ncol) throw ragged_error(rec);
    }
    // What the load holds at its peak besides the text and the records: the parsed values and
    // their kinds, the feature matrix copied out of them and the kept rows' indices.
    const std::uint64_t peak = io::checked_mul(t.path, cells, 2 * sizeof(float) + sizeof(Cell)) +
                               io::checked_mul(t.path, nrec, sizeof(std::size_t));
    io::check_fits_in_memory(t.path, peak, "parsing the table (" + std::to_string(nrec) + " rows x " + std::to_string(ncol) + " columns)");
    out.values.resize(cells);
    out.kinds.allocate(cells);

    // Per-thread counts (integers: their sum is exact in any order) and first ragged record.
    const std::size_t threads = std::size_t(parallel::max_threads());
    std::vector<std::vector<std::int64_t>> counts(threads, std::vector<std::int64_t>(3 * ncol, 0));
    std::vector<std::int64_t> ragged_at(threads, std::numeric_limits<std::int64_t>::max());
    parallel::for_each_with_thread(std::int64_t(nrec), [&](int thread, std::int64_t r) {
            std::int64_t* local = counts[std::size_t(thread)].data();
            const Record& rec = t.records[std::size_t(r)];
            float* vals = out.values.data() + std::size_t(r) * ncol;
            Cell* kinds = out.kinds.data() + std::size_t(r) * ncol;
            const char* b = t.text().data() + rec.begin;
            const char* e = t.text().data() + rec.end;
            std::size_t fields;
            if (!t.quoted) {
                fields = parse_unquoted_record(b, e, t.delimiter, ncol, vals, kinds, local);
            } else {
                fields = for_each_field(b, e, t.delimiter, true, [&](std::size_t c, const char* fb, const char* fe) {
                    if (c >= ncol) return;
                    float v = std::numeric_limits<float>::quiet_NaN();
                    const Cell k = parse_cell({fb, std::size_t(fe - fb)}, v);
                    vals[c] = k == Cell::Number ? v : std::numeric_limits<float>::quiet_NaN();
                    kinds[c] = k;
                    ++local[(k == Cell::Number ? 0 : k == Cell::Missing ? 1 : 2) * ncol + c];
                });
            }
            if (fields != ncol) ragged_at[std::size_t(thread)] = std::min(ragged_at[std::size_t(thread)], r);
    });
    const std::int64_t ragged = *std::min_element(ragged_at.begin(), ragged_at.end());
    if (ragged != std::numeric_limits<std::int64_t>::max()) throw ragged_error(t.records[std::size_t(ragged)]);
    out.numbers.assign(ncol, 0);
    out.missing.assign(ncol, 0);
    out.texts.assign(ncol, 0);
    for (const auto& local : counts)
        for (std::size_t c = 0; c < ncol; ++c) {
            out.numbers[c] += local[c];
            out.missing[c] += local[ncol + c];
            out.texts[c] += local[2 * ncol + c];
        }
    out.first_text.assign(ncol, -1);
    out.first_nonfinite.assign(ncol, -1);
    for (std::size_t c = 0; c < ncol; ++c) {
        if (out.texts[c] == 0) continue;
        for (std::size_t r = 0; r < nrec; ++r) {
            const Cell k = out.kinds[r * ncol + c];
            if (k == Cell::Text && out.first_text[c] < 0) out.first_text[c] = std::int64_t(r);
            if (k == Cell::NonFinite && out.first_nonfinite[c] < 0) out.first_nonfinite[c] = std::int64_t(r);
            if (out.first_text[c] >= 0 && out.first_nonfinite[c] >= 0) break;
        }
    }
    return out;
}

}  // namespace latentscape::data::internal
