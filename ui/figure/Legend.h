#pragma once
/// @file What a colouring's legend shows, as data: the counts of a metadata column, and the
/// legend rows (categories) or colour bar (numbers) a figure draws. No widgets and no VTK, so that
/// the app's Data dock, its figure export and the headless renderer agree.

#include "data/dataset.h"
#include "figure/Figure.h"
#include "vtk/ColorMaps.h"

#include <cstdint>
#include <vector>

namespace latentscape::ui {

/// Per metadata column: what the legend and the colour mapping need.
struct ColumnSummary {
    std::vector<std::int64_t> categoryCounts;  ///< categorical: points per category
    std::int64_t missing = 0;                  ///< missing entries
    NumericRange range;                        ///< numeric: finite min and max
};

/// The counts (categorical) or the range (numeric) of a column.
ColumnSummary summarizeColumn(const data::MetadataColumn& column);

/// Category rows a legend lists at most; more are summed up in one final row.
inline constexpr int legendMaxCategoryRows = 100;

/// The category rows LegendWidget shows for `column` (in its order: codes, or the largest
/// LegendWidget::maxCategoryRows by count, then "… N more categories" and "(missing)"), without
/// the codes in `hidden` (sorted; -1 is the missing row).
std::vector<LegendEntry> categoryLegend(const data::MetadataColumn& column, const ColumnSummary& summary,
                                        const std::vector<std::int32_t>& hidden);
/// A colour bar for numbers from `range.min` to `range.max` through `map`; `missing` values noted.
ColorScale numberLegend(const NumericRange& range, ContinuousMap map, std::int64_t missing = 0);

}  // namespace latentscape::ui
