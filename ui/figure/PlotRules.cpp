#include "figure/PlotRules.h"

#include "select/selection.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace latentscape::ui {
namespace {

bool colouredByFeature(const data::Dataset& ds, const PlotStyle& style) {
    return style.colourFeature >= 0 && style.colourFeature < ds.d;
}

/// The metadata column that colours the points, or null (none, or a feature does).
const data::MetadataColumn* colourColumn(const data::Dataset& ds, const PlotStyle& style) {
    if (colouredByFeature(ds, style) || style.colourColumn < 0 || std::size_t(style.colourColumn) >= ds.metadata.size())
        return nullptr;
    return &ds.metadata[std::size_t(style.colourColumn)];
}

/// The chosen column's summary: the one at hand, or computed.
ColumnSummary summaryOf(const data::Dataset& ds, const PlotStyle& style, const std::vector<ColumnSummary>* summaries) {
    if (summaries && summaries->size() == ds.metadata.size()) return (*summaries)[std::size_t(style.colourColumn)];
    return summarizeColumn(ds.metadata[std::size_t(style.colourColumn)]);
}

std::vector<std::int32_t> sorted(std::vector<std::int32_t> codes) {
    std::sort(codes.begin(), codes.end());
    return codes;
}

}  // namespace

QColor plotBackground(bool dark) { return dark ? QColor::fromRgbF(0.11f, 0.11f, 0.13f) : QColor(Qt::white); }

std::vector<std::uint8_t> plotColors(const data::Dataset& ds, const PlotStyle& style, const select::Selection& selection,
                                     const std::vector<ColumnSummary>* summaries) {
    const auto n = std::size_t(ds.n);
    std::vector<std::uint8_t> colors;
    if (colouredByFeature(ds, style))
        colors = numberColors(ds.features.data() + style.colourFeature, n, std::size_t(ds.d), featureRange(ds, style.colourFeature),
                              style.colourMap);
    else if (const data::MetadataColumn* column = colourColumn(ds, style))
        colors = columnColors(*column, summaryOf(ds, style, summaries).range, style.colourMap);
    else
        colors = uniformColors(n);

    // Unselected points fade towards the background (its grey level: the fading is the same in
    // each channel) so that the selection stands out.
    if (selection.empty() || style.dimming <= 0.0 || std::int64_t(colors.size()) != 3 * selection.size()) return colors;
    const double bg = style.darkBackground ? 0.11 * 255.0 : 255.0;
    const double keep = 1.0 - style.dimming;
    for (std::int64_t i = 0; i < selection.size(); ++i) {
        if (selection.contains(i)) continue;
        for (int c = 0; c < 3; ++c) {
            std::uint8_t& v = colors[std::size_t(3 * i + c)];
            v = std::uint8_t(std::lround(v * keep + bg * style.dimming));
        }
    }
    return colors;
}

std::vector<std::uint8_t> plotVisibility(const data::Dataset& ds, const PlotStyle& style) {
    const data::MetadataColumn* column = colourColumn(ds, style);
    if (style.hidden.empty() || !column || column->kind != data::ColumnKind::Categorical) return {};
    const std::vector<std::int32_t> hidden = sorted(style.hidden);
    const auto& codes = column->codes;
    std::vector<std::uint8_t> visible(codes.size());
    for (std::size_t i = 0; i < codes.size(); ++i)
        visible[i] = std::binary_search(hidden.begin(), hidden.end(), codes[i] < 0 ? -1 : codes[i]) ? 0 : 1;
    return visible;
}

PlotPoints plotPoints(const data::Dataset& ds, const PlotStyle& style, const select::Selection& selection,
                      const std::vector<ColumnSummary>* summaries) {
    return {plotColors(ds, style, selection, summaries), plotVisibility(ds, style)};
}

void setPlotLegend(Figure& figure, const data::Dataset& ds, const PlotStyle& style,
                   const std::vector<ColumnSummary>* summaries) {
    if (colouredByFeature(ds, style)) {
        figure.legendTitle = QString::fromStdString(ds.feature_names[std::size_t(style.colourFeature)]);
        figure.colorScale = numberLegend(featureRange(ds, style.colourFeature), style.colourMap);
    } else if (const data::MetadataColumn* column = colourColumn(ds, style)) {
        const ColumnSummary summary = summaryOf(ds, style, summaries);
        figure.legendTitle = QString::fromStdString(column->name);
        if (column->kind == data::ColumnKind::Categorical)
            figure.legend = categoryLegend(*column, summary, sorted(style.hidden));
        else if (column->kind == data::ColumnKind::Numeric)
            figure.colorScale = numberLegend(summary.range, style.colourMap, summary.missing);
    }
}

}  // namespace latentscape::ui
