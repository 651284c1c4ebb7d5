#include "figure/Legend.h"

#include <QCoreApplication>
#include <QLocale>

#include <algorithm>
#include <numeric>

namespace latentscape::ui {

ColumnSummary summarizeColumn(const data::MetadataColumn& column) {
    ColumnSummary s;
    s.missing = std::int64_t(column.missing_count());
    if (column.kind == data::ColumnKind::Categorical) {
        s.categoryCounts.assign(column.categories.size(), 0);
        for (auto code : column.codes)
            if (code >= 0 && std::size_t(code) < s.categoryCounts.size()) ++s.categoryCounts[std::size_t(code)];
    } else if (column.kind == data::ColumnKind::Numeric) {
        s.range = numericRange(column.numbers);
    }
    return s;
}

std::vector<LegendEntry> categoryLegend(const data::MetadataColumn& column, const ColumnSummary& summary,
                                        const std::vector<std::int32_t>& hidden) {
    std::vector<LegendEntry> entries;
    if (column.kind != data::ColumnKind::Categorical) return entries;
    const std::size_t categories = column.categories.size();
    const auto pointsIn = [&summary](std::size_t c) -> std::int64_t {
        return c < summary.categoryCounts.size() ? summary.categoryCounts[c] : 0;
    };
    const auto isHidden = [&hidden](std::int32_t code) { return std::binary_search(hidden.begin(), hidden.end(), code); };
    // LegendWidget::showCategories' rows.
    std::vector<std::int32_t> shown(categories);
    std::iota(shown.begin(), shown.end(), 0);
    if (categories > std::size_t(legendMaxCategoryRows)) {
        const auto last = shown.begin() + legendMaxCategoryRows;
        std::partial_sort(shown.begin(), last, shown.end(), [&pointsIn](std::int32_t a, std::int32_t b) {
            const auto na = pointsIn(std::size_t(a)), nb = pointsIn(std::size_t(b));
            return na != nb ? na > nb : a < b;
        });
        shown.erase(last, shown.end());
    }
    std::int64_t listed = 0;
    for (const std::int32_t c : shown) {
        listed += pointsIn(std::size_t(c));
        if (isHidden(c)) continue;
        entries.push_back({QString::fromStdString(column.categories[std::size_t(c)]),
                           categoricalColor(c, int(categories)).toQColor(), pointsIn(std::size_t(c))});
    }
    if (shown.size() < categories) {
        std::int64_t total = 0;
        for (std::size_t c = 0; c < categories; ++c) total += pointsIn(c);
        const QLocale locale;
        entries.push_back({QCoreApplication::translate("latentscape::ui::LegendWidget", "… %1 more categories")
                               .arg(locale.toString(qlonglong(categories - shown.size()))),
                           QColor(), total - listed});
    }
    if (summary.missing > 0 && !isHidden(-1))
        entries.push_back({QCoreApplication::translate("latentscape::ui::LegendWidget", "(missing)"), missingColor().toQColor(),
                           summary.missing});
    return entries;
}

ColorScale numberLegend(const NumericRange& range, ContinuousMap map, std::int64_t missing) {
    ColorScale s;
    constexpr int stops = 32;
    for (int i = 0; i <= stops; ++i) s.colors.append(mapColor(map, double(i) / stops).toQColor());
    const QLocale locale;
    s.minLabel = locale.toString(range.min, 'g', 5);
    s.maxLabel = locale.toString(range.max, 'g', 5);
    if (missing > 0)
        s.note = missing == 1 ? QCoreApplication::translate("latentscape::ui::LegendWidget", "1 missing value in grey.")
                              : QCoreApplication::translate("latentscape::ui::LegendWidget", "%1 missing values in grey.")
                                    .arg(locale.toString(qlonglong(missing)));
    return s;
}

}  // namespace latentscape::ui
