#include "panels/RowSearch.h"

#include <QCoreApplication>
#include <QLocale>
#include <QRegularExpression>

#include <cmath>
#include <optional>
#include <vector>

namespace latentscape::ui {

QString formatNumber(double value) {
    if (std::isnan(value)) return {};
    // Integral values (counts, years, ids stored as numbers) in full rather than as 1.23457e+06.
    if (std::isfinite(value) && value == std::trunc(value) && std::abs(value) < 1e15)
        return QString::number(static_cast<qint64>(value));
    return QString::number(value, 'g', 6);
}

namespace {

QString translate(const char* text) { return QCoreApplication::translate("RowSearch", text); }

// A number typed by the user: C locale first ("3.5"), then the user's own ("3,5").
std::optional<double> parseNumber(const QString& text) {
    bool ok = false;
    double v = QLocale::c().toDouble(text, &ok);
    if (!ok) v = QLocale().toDouble(text, &ok);
    return ok ? std::optional<double>(v) : std::nullopt;
}

}  // namespace

RowSearchResult findRows(const data::Dataset& dataset, int column, const QString& rawPattern, bool regex) {
    RowSearchResult result;
    const std::int64_t n = dataset.n;
    // Spaces around a plain value are a typing accident; in a regular expression they may be meant.
    const QString pattern = regex ? rawPattern : rawPattern.trimmed();
    if (pattern.isEmpty()) {
        result.error = translate("Type a value to find.");
        return result;
    }
    if (column != idSearchColumn && (column < 0 || std::size_t(column) >= dataset.metadata.size())) {
        result.error = translate("There is no such column.");
        return result;
    }
    std::optional<QRegularExpression> re;
    if (regex) {
        re.emplace(pattern, QRegularExpression::CaseInsensitiveOption);
        if (!re->isValid()) {
            result.error = translate("Invalid regular expression: %1 (at character %2)")
                               .arg(re->errorString())
                               .arg(re->patternErrorOffset());
            return result;
        }
        re->optimize();  // it runs once per row
    }
    const auto matches = [&](const QString& cell) {
        return regex ? re->match(cell).hasMatch() : cell.compare(pattern, Qt::CaseInsensitive) == 0;
    };

    std::vector<std::uint8_t> mask(static_cast<std::size_t>(n), 0);
    if (column == idSearchColumn) {
        if (dataset.row_ids.empty()) {
            if (regex) {
                for (std::int64_t i = 0; i < n; ++i) mask[std::size_t(i)] = matches(QString::number(i));
            } else {
                // Ids are the row numbers: a plain search is a lookup, not a scan.
                bool ok = false;
                const qlonglong i = pattern.toLongLong(&ok);
                if (ok && i >= 0 && i < n) mask[std::size_t(i)] = 1;
            }
        } else {
            for (std::int64_t i = 0; i < n; ++i)
                mask[std::size_t(i)] = matches(QString::fromStdString(dataset.row_ids[std::size_t(i)]));
        }
    } else {
        const data::MetadataColumn& col = dataset.metadata[std::size_t(column)];
        switch (col.kind) {
        case data::ColumnKind::Categorical: {
            std::vector<std::uint8_t> hit(col.categories.size());
            for (std::size_t c = 0; c < hit.size(); ++c) hit[c] = matches(QString::fromStdString(col.categories[c]));
            const std::uint8_t missingHit = matches(QString());
            for (std::int64_t i = 0; i < n; ++i) {
                const std::int32_t code = col.codes[std::size_t(i)];
                mask[std::size_t(i)] = code < 0 ? missingHit : hit[std::size_t(code)];
            }
            break;
        }
        case data::ColumnKind::Numeric:
            if (regex) {
                for (std::int64_t i = 0; i < n; ++i) mask[std::size_t(i)] = matches(formatNumber(col.numbers[std::size_t(i)]));
            } else if (const auto value = parseNumber(pattern)) {
                for (std::int64_t i = 0; i < n; ++i) mask[std::size_t(i)] = col.numbers[std::size_t(i)] == *value;
            }
            break;
        case data::ColumnKind::Text:
            for (std::int64_t i = 0; i < n; ++i) mask[std::size_t(i)] = matches(QString::fromStdString(col.texts[std::size_t(i)]));
            break;
        }
    }
    result.rows = select::Selection::from_mask(mask.data(), n);
    return result;
}

}  // namespace latentscape::ui
