#pragma once
/// @file A figure of a scatter plot as plain data, and its drawing with QPainter. Qt Gui only (no
/// widgets, no VTK): the app builds a Figure from what its view shows, a headless renderer can
/// build the same from a session, and both draw it the same way (QT_QPA_PLATFORM=offscreen works).
///
/// Layout, in the figure's logical pixels: an optional title band on top, the plot (the view's
/// size, points where the view draws them, the 2-D axis captions on plates at its bottom and left
/// edges as on screen) and, on the right, the legend. An output size is reached by one uniform
/// scale, so text, points and plates keep their proportions (the same look at any size); when the
/// output's aspect differs from the natural one, the plot grows in the free direction around the
/// same centre (more of the plane shows, nothing is stretched).

#include "figure/AxisTicks.h"

#include <QColor>
#include <QList>
#include <QPointF>
#include <QRectF>
#include <QSizeF>
#include <QString>

#include <cstddef>
#include <cstdint>
#include <vector>

class QPainter;

namespace latentscape::ui {

/// One point as drawn: its centre in the plot's logical pixels (origin top-left, y down), colour.
struct FigurePoint {
    QPointF position;
    std::uint8_t r = 0;
    std::uint8_t g = 0;
    std::uint8_t b = 0;
    bool emphasized = false;  ///< selected: drawn after the others in 2-D
    std::int64_t row = -1;    ///< the dataset row it stands for (-1: unknown)
};

/// One legend row: a swatch, the label and the number of points. An invalid colour: a text-only
/// row ("… 12 more categories"); count < 0: no count shown.
struct LegendEntry {
    QString label;
    QColor color;
    std::int64_t count = -1;
};

/// A continuous legend: a colour bar from `colors.front()` (at `minLabel`) to `colors.back()`.
struct ColorScale {
    QList<QColor> colors;  ///< empty: none
    QString minLabel;
    QString maxLabel;
    QString note;          ///< e.g. "12 missing values in grey"
};

struct Figure {
    QSizeF plotSize{640.0, 480.0};   ///< the plot in logical pixels (the view's size)
    std::vector<FigurePoint> points;  ///< back to front: later points are drawn over earlier ones
    double pointDiameter = 4.0;       ///< logical pixels
    double pointOpacity = 1.0;        ///< (0, 1]
    QColor background = Qt::white;
    bool transparentBackground = false;
    /// Rings over the plot as the view draws them (rows picked in the selection table, nearest
    /// neighbours), centres in plot pixels; `focus` gets the accent ring (the point asked about).
    std::vector<QPointF> marks;
    std::vector<QPointF> focus;       ///< none or one
    QString title;                    ///< empty: no title band
    QString xLabel;                   ///< 2-D captions; empty: none
    QString yLabel;
    QString legendTitle;
    std::vector<LegendEntry> legend;  ///< categories; empty (and no colorScale): no legend
    ColorScale colorScale;
    /// 2-D: the plane (data coordinates) -> plot pixels, as the view's camera maps it; invalid in
    /// 3-D. Used for the ticks, over the whole (possibly grown) plot.
    AxisMap axisMap;
    /// Tick marks and numbers along the plot's bottom and left edges (figure/AxisTicks.h), the
    /// captions moved inside their bands, as the view draws them with View > Axis Ticks. Needs a
    /// valid axisMap. Off: the figure is drawn exactly as before ticks existed.
    bool axisTicks = false;
    /// Biplot arrows (PCA loadings, figure/Biplot.h) from `arrowOrigin` to each tip, in plot
    /// pixels, labelled. Empty: none.
    QPointF arrowOrigin;
    std::vector<QPointF> arrowTips;
    std::vector<QString> arrowLabels;
};

/// Puts `points` (with `depth`, ndc z, one per point) in the order the view draws them: in 2-D the
/// vertex list (rows in order, emphasized ones last); in 3-D the depth test (nearer over farther,
/// ties as in 2-D).
void orderAsDrawn(std::vector<FigurePoint>& points, const std::vector<double>& depth, bool threeD);

/// The figure's size in logical pixels at its natural aspect: plot + legend column + title band.
QSizeF naturalSize(const Figure& figure);

/// Where things go on an output of `size` device pixels.
struct FigureLayout {
    double scale = 1.0;   ///< device pixels per logical pixel
    QSizeF canvas;        ///< size / scale: the output in logical pixels
    QRectF title;         ///< logical; empty when there is no title
    QRectF plot;          ///< logical
    QRectF legend;        ///< logical; empty when there is no legend
    QPointF pointOffset;  ///< added to a point's position to place it in `plot`
};
FigureLayout layoutFigure(const Figure& figure, const QSizeF& size);

/// Points whose dot touches the (possibly grown) plot: what a writer draws.
std::size_t drawnPointCount(const Figure& figure, const FigureLayout& layout);

struct PaintOptions {
    bool transparent = false;     ///< leave the background unpainted
    bool rasterPoints = false;    ///< the point layer as one image at `size`'s resolution (vector
                                  ///< outputs with many points); else one circle per point
};

/// Draws the whole figure onto `painter`, filling (0, 0, size): background, points, captions,
/// title, legend. Text and shapes are vectors on vector devices.
void paintFigure(QPainter& painter, const Figure& figure, const QSizeF& size, const PaintOptions& options = {});

}  // namespace latentscape::ui
