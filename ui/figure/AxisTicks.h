#pragma once
/// @file Tick marks and numbers along a 2-D plot's bottom and left edges (issue 15), computed and
/// drawn in one place for the screen (ScatterView's GuideOverlay) and for exported figures
/// (Figure::axisTicks), so that both show the same numbers at the same places. Qt Gui only.
///
/// Steps are 1, 2 or 5 times a power of ten, as many ticks as fit (at most 8, at least 50 logical
/// pixels apart and never closer than their numbers' width plus a gap), numbers in the locale's format with as many
/// decimals as the step needs. The x numbers sit above the bottom edge, the y numbers read
/// upwards right of the left edge (as the axis captions do): each axis takes a band of constant
/// thickness whatever the numbers, so the captions and the fitted camera do not move when the
/// user zooms.

#include <QColor>
#include <QLocale>
#include <QRectF>
#include <QString>

#include <vector>

class QFont;
class QPainter;

namespace latentscape::ui {

/// Data -> pixels of a 2-D plot with a parallel camera: px = x0 + sx * x, py = y0 + sy * y
/// (sy < 0 when y grows upwards). sx == 0: no map (3-D, or unknown).
struct AxisMap {
    double x0 = 0.0, sx = 0.0, y0 = 0.0, sy = 0.0;
    bool valid() const { return sx != 0.0 && sy != 0.0; }
    double toPixelX(double x) const { return x0 + sx * x; }
    double toPixelY(double y) const { return y0 + sy * y; }
    double toDataX(double px) const { return (px - x0) / sx; }
    double toDataY(double py) const { return (py - y0) / sy; }
};

/// The nice step (1, 2 or 5 x 10^k) for ticks over [lo, hi]: the smallest that puts at most
/// `maxTicks` ticks in it. 0 when the interval is empty or not finite.
double niceStep(double lo, double hi, int maxTicks);

/// Multiples of `step` in [lo, hi], ascending (exact multiples: k * step, with -0 made 0).
std::vector<double> tickValues(double lo, double hi, double step);

/// A tick's number: `value` with the decimals `step` needs, in `locale`'s format; scientific for
/// very large or very small steps.
QString tickText(double value, double step, const QLocale& locale = QLocale());

struct AxisTick {
    double value = 0.0;
    double pixel = 0.0;  ///< x (bottom axis) or y (left axis) in the plot's pixels
    QString text;
};

struct PlotTicks {
    std::vector<AxisTick> x;  ///< along the bottom edge, left to right
    std::vector<AxisTick> y;  ///< along the left edge, top to bottom
    double xStep = 0.0, yStep = 0.0;
};

/// Minimum logical pixels between two ticks (more when their numbers are wider).
constexpr double kMinTickSpacing = 50.0;
/// At most this many ticks per axis.
constexpr int kMaxTicks = 8;

/// The ticks of the visible part of the plane in `plot` (pixels of the same space as `map`'s),
/// numbers measured in `font`. Ticks whose numbers would leave the plot or run into the other
/// axis's band (the corner) are left out.
PlotTicks plotTicks(const QRectF& plot, const AxisMap& map, const QFont& font, const QLocale& locale = QLocale());

/// Thickness (logical pixels) of the band an axis's ticks and numbers take along its edge, for a
/// font of `fontHeight` pixels.
double tickBand(double fontHeight);

/// Draws the ticks (marks from the edge inwards, numbers on a halo of the background so they read
/// over points) with `font`. `dark`: light ink for a dark background.
void drawAxisTicks(QPainter& painter, const QRectF& plot, const AxisMap& map, bool dark, const QFont& font);

}  // namespace latentscape::ui
