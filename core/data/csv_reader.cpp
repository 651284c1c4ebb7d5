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

FeatureBlock assemble_features(const Table& t, const NumericCells& cells, const std::vector<std::size_t>& feature_cols,
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
                                        " is not a finite float32 number", t.records[r].line);
        throw LoadError(t.path, column_label(t, bad_col) + ": non-numeric value " + quoted_excerpt(value) +
                                    " in a numeric feature column (" + std::to_string(cells.numbers[bad_col]) +
                                    " of its cells are numbers)" +
                                    (r < 3 ? std::string("; if the lines above it are a preamble, not the header, skip "
                                                          "them (skip rows)")
                                            : std::string()),
                        t.records[r].line);
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
            t.records[first].line, missing_cells, rows_with_missing);
    }

    out.rows.reserve(nrec);
    for (std::size_t r = 0; r < nrec; ++r)
        if (!(policy == MissingPolicy::DropRows && row_missing[r])) out.rows.push_back(r);
    if (out.rows.empty()) throw LoadError(t.path, "every row has a missing feature value: nothing is left to load");
    if (policy == MissingPolicy::DropRows) out.missing.rows_dropped = rows_with_missing;

    const std::size_t n = out.rows.size();
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
    // Feature columns side by side (the usual layout: a label first or last) copy as one block.
    const bool contiguous = feature_cols.back() - feature_cols.front() + 1 == d;
    const bool impute = missing_cells > 0 && policy == MissingPolicy::ImputeMean;
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

    // An explicit label: a column name, or a 1-based column number for files without a header.
    std::optional<std::size_t> label_col;
    if (options.label) {
        for (std::size_t c = 0; c < ncol; ++c)
            if (t.names[c] == *options.label) label_col = c;
        if (!label_col && !t.has_header) {
            // A 1-based column number, for files without a header.
            const std::string& s = *options.label;
            std::size_t k = 0;
            const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), k);
            if (ec == std::errc() && ptr == s.data() + s.size() && k >= 1 && k <= ncol) label_col = k - 1;
        }
        if (!label_col) {
            std::string names;
            for (const auto& n : t.names) names += (names.empty() ? "" : ", ") + n;
            throw LoadError(path, "label column '" + *options.label + "' not found; columns are: " + names);
        }
    }

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

    const NumericCells cells = parse_numeric(t);
    std::vector<std::size_t> feature_cols, meta_cols;
    for (std::size_t c = 0; c < ncol; ++c) {
        // Label-named columns stay metadata even when another column is the chosen label: a
        // 'target' beside '--label species' would otherwise leak the answer into the features.
        const bool label = (label_col && *label_col == c) || named_label(t.names[c]) || index_column(c);
        // Mostly numbers: a feature column (its stray text cells are errors). Mostly text, or
        // nothing but missing cells: metadata.
        const bool numeric = cells.numbers[c] > 0 && cells.numbers[c] >= cells.texts[c];
        (numeric && !label ? feature_cols : meta_cols).push_back(c);
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
        const bool label = label_col ? *label_col == c : named_label(t.names[c]);
        if (index_column(c)) {
            // Ids: kept as text so that they are never coloured as hundreds of categories.
            std::vector<std::string> ids;
            ids.reserve(block.rows.size());
            for (std::size_t r : block.rows) ids.push_back(t.field(r, c));
            ds.metadata.push_back(MetadataColumn::text(t.field_is_unnamed(c) ? "index" : t.names[c], std::move(ids)));
            if (ds.row_ids.empty()) ds.row_ids = ds.metadata.back().texts;
            continue;
        }
        ds.metadata.push_back(make_metadata_column(t, cells, c, block.rows, label));
    }
    ds.label_column = choose_label(path, ds.metadata, label_col ? std::optional(t.names[*label_col]) : std::nullopt);
    ds.missing = block.missing;
    ds.source = path;
    ds.format = t.delimiter == '\t' ? "tsv" : "csv";
    ds.check_consistent();
    return ds;
}

}  // namespace latentscape::data
