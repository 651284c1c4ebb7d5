#include "common/error.h"
#include "common/file_io.h"
#include "common/parallel.h"
#include "data/load.h"
#include "data/text_table.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

namespace latentscape::data {
namespace internal {
namespace {

std::string quoted_excerpt(const std::string& s) {
    std::string out = s.substr(0, 40);
    if (s.size() > 40) out += "...";
    return "'" + out + "'";
}

std::string column_label(const Table& t, std::size_t c) {
    return "column " + std::to_string(c + 1) + (t.has_header ? " ('" + t.names[c] + "')" : "");
}

}  // namespace

FeatureBlock assemble_features(const Table& t, NumericCells& cells, const std::vector<std::size_t>& feature_cols,
                               MissingPolicy policy) {
    const std::size_t ncol = t.columns();
    const std::size_t nrec = t.records.size();
    const std::size_t d = feature_cols.size();

    // The earliest bad cell (by record, then column) among the feature columns.
    std::int64_t bad_rec = std::numeric_limits<std::int64_t>::max();
    std::size_t bad_col = 0;
    for (std::size_t c : feature_cols)
        for (std::int64_t r : {cells.first_text[c], cells.first_nonfinite[c]})
            if (r >= 0 && (r < bad_rec || (r == bad_rec && c < bad_col))) {
                bad_rec = r;
                bad_col = c;
            }
    if (bad_rec != std::numeric_limits<std::int64_t>::max()) {
        const std::size_t r = std::size_t(bad_rec);
        const std::string value = t.field(r, bad_col);
        if (cells.kinds[r * ncol + bad_col] == Cell::NonFinite)
            throw LoadError(t.path, column_label(t, bad_col) + ": " + quoted_excerpt(value) +
                                        " is not a finite float32 number", t.line_of(t.records[r]));
        throw LoadError(t.path, column_label(t, bad_col) + ": non-numeric value " + quoted_excerpt(value) +
                                    " in a numeric feature column (" + std::to_string(cells.numbers[bad_col]) +
                                    " of its cells are numbers)" +
                                    (r < 3 ? std::string("; if the lines above it are a preamble, not the header, skip "
                                                          "them (skip rows)")
                                            : std::string()),
                        t.line_of(t.records[r]));
    }

    FeatureBlock out;
    std::int64_t missing_cells = 0;
    for (std::size_t c : feature_cols) missing_cells += cells.missing[c];
    out.missing.cells = missing_cells;

    std::vector<std::uint8_t> row_missing(nrec, 0);
    if (missing_cells > 0) {
        parallel::for_each(std::int64_t(nrec), [&](std::int64_t r) {
            for (std::size_t c : feature_cols)
                if (cells.kinds[std::size_t(r) * ncol + c] == Cell::Missing) {
                    row_missing[std::size_t(r)] = 1;
                    break;
                }
        });
    }
    const std::int64_t rows_with_missing = std::count(row_missing.begin(), row_missing.end(), 1);

    if (missing_cells > 0 && policy == MissingPolicy::Error) {
        const std::size_t first = std::size_t(std::find(row_missing.begin(), row_missing.end(), 1) - row_missing.begin());
        std::size_t first_col = 0;
        for (std::size_t c : feature_cols)
            if (cells.kinds[first * ncol + c] == Cell::Missing) {
                first_col = c;
                break;
            }
        throw MissingValuesError(
            t.path,
            std::to_string(missing_cells) + " missing value(s) (empty, NA or NaN) in " + std::to_string(rows_with_missing) +
                " row(s) of the feature columns, the first in " + column_label(t, first_col) +
                "; choose a policy: drop those rows or impute the column mean",
            t.line_of(t.records[first]), missing_cells, rows_with_missing);
    }

    out.rows.reserve(nrec);
    for (std::size_t r = 0; r < nrec; ++r)
        if (!(policy == MissingPolicy::DropRows && row_missing[r])) out.rows.push_back(r);
    if (out.rows.empty()) throw LoadError(t.path, "every row has a missing feature value: nothing is left to load");
    if (policy == MissingPolicy::DropRows) out.missing.rows_dropped = rows_with_missing;

    const std::size_t n = out.rows.size();
    // Feature columns side by side (the usual layout: a label first or last) copy as one block.
    const bool contiguous = feature_cols.back() - feature_cols.front() + 1 == d;
    const bool impute = missing_cells > 0 && policy == MissingPolicy::ImputeMean;
    // Only when the features are most of the table (at most 1/8 of it other columns): the matrix
    // keeps its capacity, which must not hold a wide table's worth of memory for a few features.
    if (contiguous && !impute && n == nrec && d * 8 >= ncol * 7) {
        // Every record kept as it is: the rows move down in the parsed matrix itself, which then
        // becomes the features (no second n x d allocation, no page faults for it, half the
        // peak). In order: row i's destination ends before row i + 1's source begins.
        float* values = cells.values.data();
        const std::size_t first = feature_cols.front();
        if (d != ncol)
            for (std::size_t i = 0; i < n; ++i) std::memmove(values + i * d, values + i * ncol + first, d * sizeof(float));
        cells.values.resize(n * d);
        out.features = std::move(cells.values);
        cells.values = FloatVector();
        return out;
    }
    out.features.resize(io::checked_mul(t.path, n, d));
    std::vector<float> means(d, 0.0f);
    if (missing_cells > 0 && policy == MissingPolicy::ImputeMean) {
        // Per column, a sequential double sum: the same mean whatever the thread count.
        parallel::for_each(std::int64_t(d), [&](std::int64_t j) {
            const std::size_t c = feature_cols[std::size_t(j)];
            if (cells.missing[c] == 0) return;
            double sum = 0;
            std::int64_t count = 0;
            for (std::size_t r = 0; r < nrec; ++r) {
                const float v = cells.values[r * ncol + c];
                if (!std::isnan(v)) {
                    sum += v;
                    ++count;
                }
            }
            means[std::size_t(j)] = count > 0 ? float(sum / double(count)) : 0.0f;
        });
        out.missing.cells_imputed = missing_cells;
    }
    parallel::for_each(std::int64_t(n), [&](std::int64_t i) {
        const float* src = cells.values.data() + out.rows[std::size_t(i)] * ncol;
        float* dst = out.features.data() + std::size_t(i) * d;
        if (contiguous && !impute) {
            std::memcpy(dst, src + feature_cols.front(), d * sizeof(float));
            return;
        }
        for (std::size_t j = 0; j < d; ++j) {
            const float v = src[feature_cols[j]];
            dst[j] = std::isnan(v) ? means[j] : v;
        }
    });
    return out;
}

ColumnPlan plan_columns(const Table& t, const NumericCells& cells, const LoadOptions& options, bool strict) {
    const std::size_t ncol = t.columns();
    const std::string& path = t.path;
    auto all_names = [&] {
        std::string names;
        for (const auto& n : t.names) names += (names.empty() ? "" : ", ") + n;
        return names;
    };
    auto column_of = [&](const std::string& name) -> std::optional<std::size_t> {
        for (std::size_t c = 0; c < ncol; ++c)
            if (t.names[c] == name) return c;
        return std::nullopt;
    };

    ColumnPlan plan;
    // An explicit label: a column name, or a 1-based column number for files without a header.
    if (options.label) {
        plan.label = column_of(*options.label);
        if (!plan.label && !t.has_header) {
            const std::string& s = *options.label;
            std::size_t k = 0;
            const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), k);
            if (ec == std::errc() && ptr == s.data() + s.size() && k >= 1 && k <= ncol) plan.label = k - 1;
        }
        if (!plan.label) throw LoadError(path, "label column '" + *options.label + "' not found; columns are: " + all_names());
    }

    // Roles chosen by name: every name must be a column (a role for a column that is not there
    // would silently do nothing, and the class would stay a feature).
    std::vector<std::optional<ColumnRole>> chosen(ncol);
    std::string unknown;
    for (const auto& [name, role] : options.roles) {
        const auto c = column_of(name);
        if (!c) {
            unknown += (unknown.empty() ? "'" : ", '") + name + "'";
            continue;
        }
        chosen[*c] = role;
    }
    if (!unknown.empty() && strict)
        throw LoadError(path, "column role(s) for " + unknown + ": no such column; columns are: " + all_names());
    std::optional<std::size_t> role_label;
    for (std::size_t c = 0; c < ncol; ++c) {
        if (chosen[c] != ColumnRole::Label) continue;
        if (role_label)
            throw LoadError(path, "two label columns ('" + t.names[*role_label] + "' and '" + t.names[c] +
                                      "'): mark one as the label, the other as metadata");
        role_label = c;
    }
    if (role_label && plan.label && *plan.label != *role_label && strict)
        throw LoadError(path, "the label is '" + t.names[*plan.label] + "' but column '" + t.names[*role_label] +
                                  "' has the label role");
    if (role_label) plan.label = role_label;

    // 'y' names a target (scikit-learn's X, y), unless an 'x' column beside it says the two are
    // coordinates (x, y, z tables such as the Swiss roll).
    const bool has_x = std::any_of(t.names.begin(), t.names.end(), [](const std::string& n) { return n == "x" || n == "X"; });
    auto named_label = [&](const std::string& name) {
        return is_label_name(name) && !(has_x && (name == "y" || name == "Y"));
    };
    // A row index is never a feature: pandas' to_csv writes the index as a first column with an
    // empty name (read back as "Unnamed: 0" by pandas); "id" and "index" columns are ids too.
    auto index_column = [&](std::size_t c) {
        const std::string low = lower(t.names[c]);
        return (c == 0 && t.has_header && t.field_is_unnamed(0)) || low == "unnamed: 0" || low == "index" ||
               low == "id" || low == "row_id" || low == "_id";
    };

    plan.roles.resize(ncol);
    plan.numeric.resize(ncol);
    plan.index.resize(ncol);
    for (std::size_t c = 0; c < ncol; ++c) {
        // Mostly numbers: a feature column (its stray text cells are errors). Mostly text, or
        // nothing but missing cells: metadata.
        const bool numeric = cells.numbers[c] > 0 && cells.numbers[c] >= cells.texts[c];
        plan.numeric[c] = numeric;
        plan.index[c] = index_column(c) && chosen[c] != ColumnRole::Feature;
        if (chosen[c]) {
            if (*chosen[c] == ColumnRole::Feature && !numeric)
                throw LoadError(path, "column '" + t.names[c] + "' is marked as a feature but holds text (" +
                                          std::to_string(cells.texts[c]) + " non-numeric and " +
                                          std::to_string(cells.numbers[c]) + " numeric cells): mark it as metadata, "
                                          "the label or ignored");
            plan.roles[c] = *chosen[c];
            continue;
        }
        if (plan.label && *plan.label == c) {
            plan.roles[c] = ColumnRole::Label;
            continue;
        }
        // Label-named columns stay metadata even when another column is the chosen label: a
        // 'target' beside '--label species' would otherwise leak the answer into the features.
        const bool auto_label = !plan.label && named_label(t.names[c]) && !plan.index[c];
        const bool meta = named_label(t.names[c]) || plan.index[c] || !numeric;
        plan.roles[c] = auto_label ? ColumnRole::Label : meta ? ColumnRole::Metadata : ColumnRole::Feature;
    }
    return plan;
}

}  // namespace internal

Dataset load_csv(const std::string& path, const LoadOptions& options) {
    using namespace internal;
    std::optional<char> delimiter = options.delimiter;
    if (!delimiter && io::extension(path) == "tsv") delimiter = '\t';
    TableOptions table;
    table.delimiter = delimiter;
    table.header = options.header;
    table.skip_rows = options.skip_rows;
    table.comment = options.comment;
    const Table t = read_table(path, table);
    const std::size_t ncol = t.columns();

    NumericCells cells = parse_numeric(t);
    const ColumnPlan plan = plan_columns(t, cells, options, true);
    std::vector<std::size_t> feature_cols, meta_cols;
    for (std::size_t c = 0; c < ncol; ++c) {
        if (plan.roles[c] == ColumnRole::Ignore) continue;
        (plan.roles[c] == ColumnRole::Feature ? feature_cols : meta_cols).push_back(c);
    }
    if (feature_cols.empty()) {
        // European spreadsheets write "1,5" with ';' between fields: say so rather than leave
        // the user wondering why numbers are text.
        bool decimal_commas = false;
        if (t.delimiter != ',')
            for (std::size_t c = 0; c < ncol && !decimal_commas; ++c) {
                const std::string v = t.field(0, c);
                const auto comma = v.find(',');
                decimal_commas = comma != std::string::npos && comma > 0 && comma + 1 < v.size() &&
                                 std::all_of(v.begin(), v.end(), [](char ch) { return ch == ',' || ch == '-' || (ch >= '0' && ch <= '9'); });
            }
        throw LoadError(path, "no numeric feature columns: all " + std::to_string(ncol) +
                                  " column(s) hold text, labels or nothing" +
                                  (decimal_commas ? " (numbers with decimal commas such as '" + t.field(0, 0) +
                                                        "' are not read: use a decimal point)"
                                                  : ""));
    }

    FeatureBlock block = assemble_features(t, cells, feature_cols, options.missing);

    Dataset ds;
    ds.n = std::int64_t(block.rows.size());
    ds.d = std::int64_t(feature_cols.size());
    ds.features = std::move(block.features);
    for (std::size_t c : feature_cols) ds.feature_names.push_back(t.names[c]);
    for (std::size_t c : meta_cols) {
        // The label asked for, or (none asked for) a label-named column: integer codes as classes.
        const bool label = plan.roles[c] == ColumnRole::Label;
        if (plan.index[c]) {
            // Ids: kept as text so that they are never coloured as hundreds of categories.
            std::vector<std::string> ids;
            ids.reserve(block.rows.size());
            for (std::size_t r : block.rows) ids.push_back(t.field(r, c));
            ds.metadata.push_back(MetadataColumn::text(t.field_is_unnamed(c) ? "index" : t.names[c], std::move(ids)));
            if (ds.row_ids.empty()) ds.row_ids = ds.metadata.back().texts;
            continue;
        }
        // A numeric column the user made metadata keeps its numbers (unless they are class codes).
        const bool chosen_metadata = options.roles.count(t.names[c]) && plan.roles[c] == ColumnRole::Metadata;
        ds.metadata.push_back(make_metadata_column(t, cells, c, block.rows, label, chosen_metadata));
    }
    ds.label_column = choose_label(path, ds.metadata, plan.label ? std::optional(t.names[*plan.label]) : std::nullopt);
    ds.missing = block.missing;
    ds.source = path;
    ds.format = t.delimiter == '\t' ? "tsv" : "csv";
    ds.check_consistent();
    return ds;
}

}  // namespace latentscape::data
