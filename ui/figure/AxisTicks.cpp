#include "figure/AxisTicks.h"

#include <QFont>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace latentscape::ui {
namespace {
constexpr double kTickLength = 5.0;  // logical pixels, from the edge inwards
constexpr double kTickGap = 2.0;     // mark to number
}  // namespace

double tickBand(double fontHeight) { return kTickLength + kTickGap + fontHeight + 2.0; }

double niceStep(double lo, double hi, int maxTicks) {
    const double span = hi - lo;
    if (!std::isfinite(span) || span <= 0.0 || maxTicks < 1) return 0.0;
    // The smallest 1-2-5 step with at most maxTicks multiples in [lo, hi].
    double step = std::pow(10.0, std::floor(std::log10(span / maxTicks)));
    for (int guard = 0; guard < 64; ++guard) {
        for (const double m : {1.0, 2.0, 5.0}) {
            const double s = m * step;
            const double count = std::floor(hi / s) - std::ceil(lo / s) + 1.0;
            if (count <= maxTicks) return s;
        }
        step *= 10.0;
    }
    return 0.0;
}

std::vector<double> tickValues(double lo, double hi, double step) {
    std::vector<double> values;
    if (!(step > 0.0) || !std::isfinite(lo) || !std::isfinite(hi) || hi < lo) return values;
    const double first = std::ceil(lo / step), last = std::floor(hi / step);
    if (last - first > 1000) return values;
    for (double k = first; k <= last; k += 1.0) {
        const double v = k * step;
        values.push_back(v == 0.0 ? 0.0 : v);  // no "-0"
    }
    return values;
}

QString tickText(double value, double step, const QLocale& locale) {
    if (value == 0.0) return locale.toString(0);
    const double magnitude = std::max(std::abs(value), step);
    if (step < 1e-4 || magnitude >= 1e7) {
        // Scientific: as many significant digits as the step needs relative to the value.
        const int digits = std::clamp(int(std::floor(std::log10(magnitude))) - int(std::floor(std::log10(step))), 0, 12);
        return locale.toString(value, 'e', digits);
    }
    const int decimals = std::max(0, -int(std::floor(std::log10(step) + 1e-9)));
    return locale.toString(value, 'f', decimals);
}

PlotTicks plotTicks(const QRectF& plot, const AxisMap& map, const QFont& font, const QLocale& locale) {
    PlotTicks t;
    if (!map.valid() || plot.width() <= 0 || plot.height() <= 0) return t;
    const QFontMetricsF metrics(font);
    const double band = tickBand(metrics.height());
    // The visible data interval of each axis.
    const double x0 = map.toDataX(plot.left()), x1 = map.toDataX(plot.right());
    const double y0 = map.toDataY(plot.bottom()), y1 = map.toDataY(plot.top());
    const double xlo = std::min(x0, x1), xhi = std::max(x0, x1), ylo = std::min(y0, y1), yhi = std::max(y0, y1);
    // As many ticks as fit (at most kMaxTicks): fewer while two neighbouring numbers would be
    // closer than their width plus a gap.
    const auto fit = [&](double lo, double hi, double length, bool horizontal, double& step) {
        std::vector<AxisTick> ticks;
        for (int most = std::clamp(int(length / kMinTickSpacing), 2, kMaxTicks); most >= 2; --most) {
            step = niceStep(lo, hi, most);
            ticks.clear();
            double widest = 0.0;
            for (const double v : tickValues(lo, hi, step)) {
                const double pixel = horizontal ? map.toPixelX(v) : map.toPixelY(v);
                const QString text = tickText(v, step, locale);
                const double half = 0.5 * metrics.horizontalAdvance(text);
                widest = std::max(widest, 2.0 * half);
                // The number stays in the plot and out of the other axis's band (the corner).
                if (horizontal ? (pixel - half < plot.left() + band || pixel + half > plot.right() - 2.0)
                               : (pixel + half > plot.bottom() - band || pixel - half < plot.top() + 2.0))
                    continue;
                ticks.push_back({v, pixel, text});
            }
            const double spacing = std::abs(step * (horizontal ? map.sx : map.sy));
            if (spacing >= widest + 10.0) break;
        }
        return ticks;
    };
    t.x = fit(xlo, xhi, plot.width(), true, t.xStep);
    t.y = fit(ylo, yhi, plot.height(), false, t.yStep);
    std::reverse(t.y.begin(), t.y.end());  // top to bottom
    return t;
}

void drawAxisTicks(QPainter& p, const QRectF& plot, const AxisMap& map, bool dark, const QFont& font) {
    const PlotTicks ticks = plotTicks(plot, map, font);
    if (ticks.x.empty() && ticks.y.empty()) return;
    const QFontMetricsF metrics(font);
    const QColor ink = dark ? QColor(0xd8, 0xd8, 0xd8) : QColor(0x30, 0x30, 0x30);
    const QColor halo = dark ? QColor(0x1c, 0x1c, 0x21, 210) : QColor(255, 255, 255, 210);
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    p.setFont(font);
    // Marks: a halo line under an ink line, so they read over points of any colour.
    for (int pass = 0; pass < 2; ++pass) {
        p.setPen(pass == 0 ? QPen(halo, 3.0, Qt::SolidLine, Qt::FlatCap) : QPen(ink, 1.0, Qt::SolidLine, Qt::FlatCap));
        for (const AxisTick& t : ticks.x) p.drawLine(QPointF(t.pixel, plot.bottom()), QPointF(t.pixel, plot.bottom() - kTickLength));
        for (const AxisTick& t : ticks.y) p.drawLine(QPointF(plot.left(), t.pixel), QPointF(plot.left() + kTickLength, t.pixel));
    }
    // Numbers: text outlines stroked in the background colour first (a halo), then filled.
    QPainterPath path;
    const double ascent = metrics.ascent();
    const double baselineX = plot.bottom() - kTickLength - kTickGap - metrics.descent();
    for (const AxisTick& t : ticks.x) path.addText(QPointF(t.pixel - 0.5 * metrics.horizontalAdvance(t.text), baselineX), font, t.text);
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(halo, 3.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    p.drawPath(path);
    p.setPen(Qt::NoPen);
    p.setBrush(ink);
    p.drawPath(path);
    const double baselineY = plot.left() + kTickLength + kTickGap + ascent;
    for (const AxisTick& t : ticks.y) {
        // Reading upwards, centred on the tick: laid out along +x, then turned by -90 degrees.
        QPainterPath one;
        one.addText(QPointF(-0.5 * metrics.horizontalAdvance(t.text), 0.0), font, t.text);
        p.save();
        p.translate(baselineY, t.pixel);
        p.rotate(-90.0);
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(halo, 3.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.drawPath(one);
        p.setPen(Qt::NoPen);
        p.setBrush(ink);
        p.drawPath(one);
        p.restore();
    }
    p.restore();
}

}  // namespace latentscape::ui
