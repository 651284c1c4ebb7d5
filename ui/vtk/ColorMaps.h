#pragma once
/// @file Colour maps for the views: a categorical palette for labels, viridis for numbers,
/// and the mapping of a metadata column to one RGB colour per point.

#include "data/dataset.h"

#include <QColor>

#include <cstdint>
#include <vector>

namespace latentscape::ui {

struct Rgb {
    std::uint8_t r = 0;
    std::uint8_t g = 0;
    std::uint8_t b = 0;

    QColor toQColor() const { return QColor(r, g, b); }
    friend bool operator==(const Rgb&, const Rgb&) = default;
};

/// Number of distinct colours in the categorical palette before it wraps around.
int categoricalPaletteSize();
/// Colour of category `index` (Tableau 10 first, then further distinct colours; wraps).
Rgb categoricalColor(int index);
/// Colour of missing values (light grey, distinct from every palette entry).
Rgb missingColor();
/// Colour of points when nothing is chosen to colour by.
Rgb uniformColor();
/// Viridis at t in [0, 1] (clamped; NaN gives missingColor()).
Rgb viridis(double t);

/// Finite minimum and maximum of a numeric column (NaN skipped); {0, 0} when none is finite.
struct NumericRange {
    double min = 0.0;
    double max = 0.0;
};
NumericRange numericRange(const std::vector<double>& values);

/// One RGB triple per row (3 * column.size() bytes): categories through the palette, numbers
/// from `range.min` to `range.max` through viridis, missing values grey, text uniform.
std::vector<std::uint8_t> columnColors(const data::MetadataColumn& column, const NumericRange& range);
/// `n` points all in `color`.
std::vector<std::uint8_t> uniformColors(std::size_t n, Rgb color = uniformColor());

}  // namespace latentscape::ui
