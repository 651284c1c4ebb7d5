#include "data/columns.h"

#include "common/file_io.h"
#include "data/text_table.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>

namespace latentscape::data {

const char* to_string(ColumnRole role) {
    switch (role) {
        case ColumnRole::Feature: return "feature";
        case ColumnRole::Label: return "label";
        case ColumnRole::Metadata: return "metadata";
        case ColumnRole::Ignore: return "ignore";
    }
    return "feature";
}

std::optional<ColumnRole> column_role_from_string(const std::string& name) {
    const std::string low = lower(name);
    if (low == "feature") return ColumnRole::Feature;
    if (low == "label") return ColumnRole::Label;
    if (low == "metadata" || low == "meta") return ColumnRole::Metadata;
    if (low == "ignore" || low == "ignored") return ColumnRole::Ignore;
    return std::nullopt;
}

bool is_class_like_name(const std::string& column_name) {
    if (is_label_name(column_name)) return true;
    static const std::array<const char*, 13> names{"cultivar", "species", "category", "diagnosis", "outcome", "genre",
                                                   "digit",    "type",    "kind",     "group",     "cluster", "labels",
                                                   "classes"};
    const std::string low = lower(column_name);
    return std::any_of(names.begin(), names.end(), [&](const char* n) { return low == n; });
}

TableInspection inspect_columns(const std::string& path, const LoadOptions& options, std::int64_t max_rows,
                                std::int64_t preview_rows) {
    using namespace internal;
    internal::TableOptions table;
    table.delimiter = options.delimiter;
    if (!table.delimiter && io::extension(path) == "tsv") table.delimiter = '\t';
    table.header = options.header;
    table.skip_rows = options.skip_rows;
    table.comment = options.comment;
    table.max_records = std::max<std::int64_t>(1, max_rows);
    const Table t = read_table(path, table);
    const NumericCells cells = parse_numeric(t);
    // Roles for columns that are not there are the loader's error; here they are left out, so
    // that the dialog can show the file as it is now.
    const ColumnPlan plan = plan_columns(t, cells, options, false);

    TableInspection out;
    out.has_header = t.has_header;
    out.delimiter = t.delimiter;
    out.rows_read = std::int64_t(t.records.size());
    out.complete = !t.truncated;
    const std::size_t ncol = t.columns();
    const std::size_t nrec = t.records.size();
    for (std::size_t r = 0; r < nrec && std::int64_t(r) < preview_rows; ++r) out.preview.push_back(t.fields(r));

    for (std::size_t c = 0; c < ncol; ++c) {
        ColumnInfo info;
        info.name = t.names[c];
        info.numeric = plan.numeric[c];
        info.missing = cells.missing[c];
        info.role = plan.roles[c];
        if (info.numeric) {
            std::set<float> distinct;
            bool integral = true;
            for (std::size_t r = 0; r < nrec; ++r) {
                if (cells.kinds[r * ncol + c] != Cell::Number) continue;
                const float v = cells.values[r * ncol + c];
                if (v != std::floor(v)) integral = false;
                if (std::int64_t(distinct.size()) <= distinct_cap) distinct.insert(v);
            }
            info.integral = integral;
            info.distinct = std::int64_t(distinct.size());
        } else {
            std::set<std::string> distinct;
            for (std::size_t r = 0; r < nrec && std::int64_t(distinct.size()) <= distinct_cap; ++r) {
                const std::string v = t.field(r, c);
                if (!v.empty()) distinct.insert(v);
            }
            info.distinct = std::int64_t(distinct.size());
        }
        info.looks_like_class = (info.numeric && info.integral && info.distinct >= 2 && info.distinct <= 30) ||
                                (is_class_like_name(info.name) && info.distinct >= 2 && info.distinct <= distinct_cap);
        out.columns.push_back(std::move(info));
    }
    // No label asked for or named: the loader takes the first metadata column that turns out
    // categorical (values repeat). Say so here, so that the dialog shows what loading will do.
    const bool labelled = std::any_of(out.columns.begin(), out.columns.end(),
                                      [](const ColumnInfo& c) { return c.role == ColumnRole::Label; });
    if (!labelled)
        for (std::size_t c = 0; c < ncol; ++c) {
            ColumnInfo& info = out.columns[c];
            if (info.role != ColumnRole::Metadata || plan.index[c]) continue;
            const bool categorical = (!info.numeric || info.integral) && info.distinct >= 1 &&
                                     info.distinct <= distinct_cap &&
                                     std::size_t(info.distinct) * 4 <= nrec * 3;
            if (categorical) {
                info.role = ColumnRole::Label;
                break;
            }
        }
    return out;
}

int suggested_label_column(const TableInspection& inspection) {
    const auto& cols = inspection.columns;
    if (std::any_of(cols.begin(), cols.end(), [](const ColumnInfo& c) { return c.role == ColumnRole::Label; }))
        return -1;
    int best = -1;
    for (std::size_t c = 0; c < cols.size(); ++c) {
        const ColumnInfo& info = cols[c];
        if (info.role != ColumnRole::Feature || !info.looks_like_class) continue;
        if (best < 0) {
            best = int(c);
            continue;
        }
        const ColumnInfo& b = cols[std::size_t(best)];
        const bool named = is_class_like_name(info.name), best_named = is_class_like_name(b.name);
        if (named != best_named) {
            if (named) best = int(c);
            continue;
        }
        if (info.distinct <= b.distinct) best = int(c);
    }
    return best;
}

}  // namespace latentscape::data
