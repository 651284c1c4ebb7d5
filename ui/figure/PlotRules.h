#pragma once
/// @file The plot's rules (issue 13), in one place for what the screen shows (MainWindow), what
/// File > Export Figure writes (the view's colours) and what `latentscape-cli render` draws
/// (figureFromSession): how the points are coloured (a metadata column or a feature through a
/// colour map, else one colour), how unselected points fade towards the background while
/// something is selected, which points hidden categories leave out, and the legend of the
/// colouring. Plain data in and out, no widgets and no VTK, so the three cannot drift apart.

#include "data/dataset.h"
#include "figure/Figure.h"
#include "figure/Legend.h"
#include "vtk/ColorMaps.h"

#include <QColor>

#include <cstdint>
#include <vector>

namespace latentscape::select {
class Selection;
}

namespace latentscape::ui {

/// What the user chose the plot to look like, besides where its points are.
struct PlotStyle {
    int colourColumn = -1;   ///< metadata column the points are coloured by; -1: none
    int colourFeature = -1;  ///< feature they are coloured by instead (wins when in range); -1: none
    ContinuousMap colourMap = ContinuousMap::Viridis;  ///< for numbers: a numeric column, a feature
    /// Categories of a categorical colouring that are not drawn (codes; -1: missing values), in
    /// any order. Other colourings hide nothing.
    std::vector<std::int32_t> hidden;
    /// How far unselected points fade towards the background while something is selected, 0..1.
    double dimming = 0.0;
    bool darkBackground = false;
};

/// What every point looks like.
struct PlotPoints {
    std::vector<std::uint8_t> colors;   ///< 3 bytes (RGB) per row, the fading included
    std::vector<std::uint8_t> visible;  ///< 1 byte per row, 0: not drawn; empty: every row drawn
};

/// The plot's background: white, or ScatterView's dark grey.
QColor plotBackground(bool dark);

/// Every row's colour: the feature `style.colourFeature` through `style.colourMap` if it is in
/// range, else the metadata column `style.colourColumn` (categories through the palette, numbers
/// through the map, missing values grey), else one colour; then, while `selection` is not empty
/// (and has a row per dataset row), the unselected rows faded by `style.dimming` towards the
/// background. `summaries`: one per metadata column (PreparedDataset::columns) if at hand, else
/// null and the chosen column is summarised here.
std::vector<std::uint8_t> plotColors(const data::Dataset& dataset, const PlotStyle& style,
                                     const select::Selection& selection,
                                     const std::vector<ColumnSummary>* summaries = nullptr);

/// Which rows are drawn: with a categorical colouring column and hidden categories, the rows of
/// the others; otherwise every row (an empty mask).
std::vector<std::uint8_t> plotVisibility(const data::Dataset& dataset, const PlotStyle& style);

/// plotColors() and plotVisibility() together.
PlotPoints plotPoints(const data::Dataset& dataset, const PlotStyle& style, const select::Selection& selection,
                      const std::vector<ColumnSummary>* summaries = nullptr);

/// The legend of the colouring, as the Data dock shows it: its title, and its category rows
/// (hidden categories left out) or its colour bar. Nothing when nothing colours the points.
void setPlotLegend(Figure& figure, const data::Dataset& dataset, const PlotStyle& style,
                   const std::vector<ColumnSummary>* summaries = nullptr);

}  // namespace latentscape::ui
