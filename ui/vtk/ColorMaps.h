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

/// Number of distinct colours in the long categorical palette before it wraps around.
int categoricalPaletteSize();
/// Categories up to which the colour-blind-safe palette (Okabe & Ito) is used.
inline constexpr int colorBlindSafeCategories = 8;
/// Colour of category `index` of a column with `categories` categories. Up to 8 categories:
/// the Okabe-Ito palette, distinguishable with the common colour-vision deficiencies. More (or
/// `categories` 0): the long palette, Tableau 10, then Kelly's maximum-contrast colours, then
/// Glasbey-style colours, each chosen to be as far as possible in CIELAB from all before it and
/// from the white background; it wraps after categoricalPaletteSize() colours.
Rgb categoricalColor(int index, int categories = 0);
/// Colour of missing values (light grey, distinct from every palette entry).
Rgb missingColor();
/// Colour of points when nothing is chosen to colour by.
Rgb uniformColor();
/// Viridis at t in [0, 1] (clamped; NaN gives missingColor()).
Rgb viridis(double t);

/// Continuous maps for numbers: viridis and magma (perceptually uniform, colour-blind safe), and
/// a diverging blue-grey-red map for values around a middle.
enum class ContinuousMap { Viridis = 0, Magma = 1, Diverging = 2 };
/// `map` at t in [0, 1] (clamped; NaN gives missingColor()).
Rgb mapColor(ContinuousMap map, double t);
/// "viridis", "magma", "diverging".
const char* mapName(ContinuousMap map);

/// Finite minimum and maximum of a numeric column (NaN skipped); {0, 0} when none is finite.
struct NumericRange {
    double min = 0.0;
    double max = 0.0;
};
NumericRange numericRange(const std::vector<double>& values);

/// One RGB triple per row (3 * column.size() bytes): categories through the palette, numbers
/// from `range.min` to `range.max` through viridis, missing values grey, text uniform.
std::vector<std::uint8_t> columnColors(const data::MetadataColumn& column, const NumericRange& range,
                                       ContinuousMap map = ContinuousMap::Viridis);
/// One RGB triple per value of `values[i * stride]` (a feature column of a row-major matrix),
/// from `range.min` to `range.max` through `map`; non-finite values grey.
std::vector<std::uint8_t> numberColors(const float* values, std::size_t n, std::size_t stride, const NumericRange& range,
                                       ContinuousMap map);
/// `n` points all in `color`.
std::vector<std::uint8_t> uniformColors(std::size_t n, Rgb color = uniformColor());

/// Finite minimum and maximum of one feature column (O(n)).
NumericRange featureRange(const data::Dataset& dataset, int feature);

}  // namespace latentscape::ui
