// How a table column that is not a feature becomes metadata (numeric, categorical or text), and
// which of those columns is the label: the column typing of the text readers (text_table.h).
#include "data/text_table.h"

#include "common/error.h"
#include "common/parallel.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <set>

namespace latentscape::data::internal {

namespace {

/// The raw text of column `col` in each of `rows` (quotes still on), in one pass per record.
std::vector<std::string_view> column_fields(const Table& t, std::size_t col, const std::vector<std::size_t>& rows) {
    std::vector<std::string_view> out(rows.size());
    parallel::for_each(std::int64_t(rows.size()), [&](std::int64_t i) {
        const Record& rec = t.records[rows[std::size_t(i)]];
        out[std::size_t(i)] = nth_field(t.text().data() + rec.begin, t.text().data() + rec.end, t.delimiter,
                                        t.quoted, col);
    });
    return out;
}

/// A cell of a numeric metadata column at full double precision (ids, timestamps and large
/// integer labels do not survive float32). NaN when missing.
double parse_double(std::string_view raw) {
    std::string unq;
    std::string_view s = trim(raw);
    if (!s.empty() && s.front() == '"') {
        unq = unquote(s);
        s = trim(unq);
    }
    if (is_missing_token(s)) return std::numeric_limits<double>::quiet_NaN();
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    double v = std::numeric_limits<double>::quiet_NaN();
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

}  // namespace

MetadataColumn make_metadata_column(const Table& t, const NumericCells& cells, std::size_t col,
                                    const std::vector<std::size_t>& rows, bool is_label, bool numeric_unless_class) {
    const std::string& name = t.names[col];
    const std::vector<std::string_view> raw = column_fields(t, col, rows);
    if (cells.texts[col] == 0) {
        std::vector<double> numbers(raw.size());
        for (std::size_t i = 0; i < raw.size(); ++i) numbers[i] = parse_double(raw[i]);
        // Integer codes with few distinct values are categories (class labels, cluster ids).
        std::set<double> distinct;
        bool integral = true;
        for (double v : numbers) {
            if (std::isnan(v)) continue;
            if (v != std::floor(v)) integral = false;
            distinct.insert(v);
            if (distinct.size() > 256) break;
        }
        const bool few = numeric_unless_class && !is_label
                             ? distinct.size() <= 30
                             : distinct.size() <= 256 && (is_label || distinct.size() * 4 <= rows.size() * 3);
        if (!(integral && few)) return MetadataColumn::numeric(name, std::move(numbers));
        std::vector<std::string> categories;
        std::map<double, std::int32_t> code_of;
        for (double v : distinct) {
            code_of[v] = std::int32_t(categories.size());
            char buf[32];
            const auto res = std::to_chars(buf, buf + sizeof buf, v);
            categories.emplace_back(buf, res.ptr);
        }
        std::vector<std::int32_t> codes;
        codes.reserve(numbers.size());
        for (double v : numbers) codes.push_back(std::isnan(v) ? -1 : code_of[v]);
        return MetadataColumn::categorical(name, std::move(codes), std::move(categories));
    }
    std::vector<std::string> texts;
    texts.reserve(raw.size());
    for (std::string_view f : raw) texts.push_back(unquote(f));
    std::map<std::string, std::int32_t> code_of;
    for (const auto& s : texts) {
        if (!s.empty()) code_of.emplace(s, 0);
        if (code_of.size() > 256) break;
    }
    const bool categorical = code_of.size() <= 256 && (is_label || code_of.size() * 4 <= texts.size() * 3);
    if (!categorical) return MetadataColumn::text(name, std::move(texts));
    std::vector<std::string> categories;
    for (auto& [value, code] : code_of) {
        code = std::int32_t(categories.size());
        categories.push_back(value);
    }
    std::vector<std::int32_t> codes;
    codes.reserve(texts.size());
    for (const auto& s : texts) codes.push_back(s.empty() ? -1 : code_of[s]);
    return MetadataColumn::categorical(name, std::move(codes), std::move(categories));
}

namespace {

bool integer_like(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || c == '-'; });
}

/// `names` is categorical with non-numeric categories, `codes` categorical with integer ones, and
/// each code goes with exactly one name and back.
bool same_partition_with_names(const MetadataColumn& codes, const MetadataColumn& names) {
    if (codes.kind != ColumnKind::Categorical || names.kind != ColumnKind::Categorical) return false;
    if (codes.categories.size() != names.categories.size()) return false;
    if (!std::all_of(codes.categories.begin(), codes.categories.end(), integer_like)) return false;
    if (std::any_of(names.categories.begin(), names.categories.end(), integer_like)) return false;
    std::vector<std::int32_t> to_name(codes.categories.size(), -2), to_code(names.categories.size(), -2);
    for (std::size_t r = 0; r < codes.codes.size(); ++r) {
        const std::int32_t a = codes.codes[r], b = names.codes[r];
        if ((a < 0) != (b < 0)) return false;
        if (a < 0) continue;
        if (to_name[std::size_t(a)] == -2) to_name[std::size_t(a)] = b;
        if (to_code[std::size_t(b)] == -2) to_code[std::size_t(b)] = a;
        if (to_name[std::size_t(a)] != b || to_code[std::size_t(b)] != a) return false;
    }
    return true;
}

}  // namespace

std::optional<std::size_t> choose_label(const std::string& path, const std::vector<MetadataColumn>& metadata,
                                        const std::optional<std::string>& requested) {
    if (requested) {
        for (std::size_t i = 0; i < metadata.size(); ++i)
            if (metadata[i].name == *requested) return i;
        std::string names;
        for (const auto& m : metadata) names += (names.empty() ? "" : ", ") + m.name;
        throw LoadError(path, "label column '" + *requested + "' not found" +
                                  (names.empty() ? std::string() : " (metadata columns: " + names + ")"));
    }
    for (std::size_t i = 0; i < metadata.size(); ++i) {
        if (!is_label_name(metadata[i].name)) continue;
        // scikit-learn exports carry 'target' as codes 0..k-1 beside a column of class names
        // that splits the rows identically: the names make the better label.
        for (std::size_t j = 0; j < metadata.size(); ++j)
            if (j != i && same_partition_with_names(metadata[i], metadata[j])) return j;
        return i;
    }
    for (std::size_t i = 0; i < metadata.size(); ++i)
        if (metadata[i].kind == ColumnKind::Categorical) return i;
    return std::nullopt;
}

}  // namespace latentscape::data::internal
