#pragma once
/// @file Writing a Figure to PNG, SVG or PDF. Every write is atomic: the file is written next to
/// the target under a temporary name and renamed over it at the end, so a failed or interrupted
/// export leaves the old file (or none), never a partial one.

#include "figure/Figure.h"

#include <QImage>
#include <QSize>
#include <QString>

#include <cstddef>
#include <optional>

namespace latentscape::ui {

enum class FigureFormat { Png, Svg, Pdf };

/// The format named by `path`'s extension (.png, .svg, .pdf, any case), if it is one of them.
std::optional<FigureFormat> figureFormat(const QString& path);

struct FigureOptions {
    /// Output size in pixels; for SVG and PDF the page, `dpi` pixels to the inch. Empty: twice
    /// the figure's natural size.
    QSize size;
    /// PNG: stored in the file (pHYs); PDF and SVG: the page's physical size (size / dpi inches)
    /// and the resolution of a rasterised point layer.
    double dpi = 300.0;
    /// Unset: the figure's own transparentBackground.
    std::optional<bool> transparent;
    /// SVG and PDF draw up to this many points as vector circles; more become one embedded image
    /// of the point layer (axes, legend and title stay vectors), so files stay usable.
    std::size_t vectorPointLimit = 50000;
};

/// The size `options` asks for (twice the natural size when it asks for none).
QSize figureOutputSize(const Figure& figure, const FigureOptions& options);

/// The figure as an ARGB32 image of figureOutputSize() pixels, its dots per metre set from the DPI.
QImage renderFigure(const Figure& figure, const FigureOptions& options = {});

/// Whether a vector file of `figure` at `options` would embed the points as one image.
bool rastersPoints(const Figure& figure, const FigureOptions& options);

/// Writes `figure` to `path` in the format of its extension. Throws std::runtime_error naming
/// the file on an unknown extension, an unwritable place or a failed write; `format` overrides
/// the extension.
void writeFigure(const Figure& figure, const QString& path, const FigureOptions& options = {},
                 std::optional<FigureFormat> format = std::nullopt);

}  // namespace latentscape::ui
