#include "figure/Figure.h"

#include "figure/Biplot.h"

#include <QFont>
#include <QFontMetricsF>
#include <QImage>
#include <QLinearGradient>
#include <QLocale>
#include <QPainter>

#include <algorithm>
#include <numeric>
#include <cmath>
#include <unordered_map>

namespace latentscape::ui {
namespace {

// Logical pixels, chosen to match the app's widgets at their usual size.
constexpr double kTextPixels = 12.0;
constexpr double kTitlePixels = 16.0;
constexpr double kSwatch = 11.0;        // legend dot diameter (LegendWidget's swatch)
constexpr double kGap = 6.0;            // swatch to label, label to count
constexpr double kLegendPadLeft = 14.0;  // plot to legend
constexpr double kLegendPadRight = 12.0;
constexpr double kLabelMaxWidth = 220.0;
constexpr double kColorBarWidth = 14.0;
constexpr double kColorBarHeight = 200.0;
constexpr double kAxisLabelMargin = 6.0;  // ScatterView's AxisLabel
constexpr double kGuidePixels = 11.0;     // tick numbers and arrow labels (GuideOverlay)

QFont figureFont(double pixels, bool bold = false) {
    QFont font;
    font.setFamilies({QStringLiteral("DejaVu Sans"), QStringLiteral("Liberation Sans"), QStringLiteral("Arial")});
    font.setStyleHint(QFont::SansSerif);
    font.setPixelSize(int(std::lround(pixels)));
    font.setBold(bold);
    // Unhinted outlines scale exactly: the layout measured here holds at any output size.
    font.setHintingPreference(QFont::PreferNoHinting);
    return font;
}

bool isDark(const QColor& c) { return c.lightnessF() < 0.5; }

QColor inkFor(const Figure& f) { return isDark(f.background) ? QColor(0xe8, 0xe8, 0xe8) : QColor(0x20, 0x20, 0x20); }
QColor faintInkFor(const Figure& f) { return isDark(f.background) ? QColor(0xa8, 0xa8, 0xa8) : QColor(0x70, 0x70, 0x70); }

QString countText(std::int64_t count) { return count < 0 ? QString() : QLocale().toString(qlonglong(count)); }

/// The legend's block: columns of rows (categories) or a colour bar, measured once from the
/// figure's own plot height so that it does not change with the output size.
struct LegendBlock {
    double width = 0.0;       // without the outer paddings
    double height = 0.0;
    double titleHeight = 0.0;
    double rowHeight = 0.0;
    int rowsPerColumn = 0;
    int columns = 0;
    double labelWidth = 0.0;  // widest label (elided at kLabelMaxWidth)
    double countWidth = 0.0;
    double columnWidth = 0.0;
    double noteHeight = 0.0;
    bool empty() const { return width <= 0.0; }
};

LegendBlock measureLegend(const Figure& f) {
    LegendBlock b;
    const bool categories = !f.legend.empty();
    const bool scale = !categories && f.colorScale.colors.size() >= 2;
    if (!categories && !scale) return b;
    const QFontMetricsF text(figureFont(kTextPixels));
    const QFontMetricsF bold(figureFont(kTextPixels, true));
    b.titleHeight = f.legendTitle.isEmpty() ? 0.0 : bold.height() + 6.0;
    const double titleWidth = f.legendTitle.isEmpty() ? 0.0 : std::min(bold.horizontalAdvance(f.legendTitle), 2 * kLabelMaxWidth);
    b.rowHeight = std::max(text.height(), kSwatch) + 5.0;
    if (categories) {
        for (const LegendEntry& e : f.legend) {
            b.labelWidth = std::max(b.labelWidth, std::min(text.horizontalAdvance(e.label), kLabelMaxWidth));
            b.countWidth = std::max(b.countWidth, text.horizontalAdvance(countText(e.count)));
        }
        const double available = std::max(f.plotSize.height() - 24.0 - b.titleHeight, b.rowHeight);
        const auto n = int(f.legend.size());
        b.rowsPerColumn = std::max(1, std::min(n, int(available / b.rowHeight)));
        b.columns = (n + b.rowsPerColumn - 1) / b.rowsPerColumn;
        b.columnWidth = kSwatch + kGap + b.labelWidth + (b.countWidth > 0 ? 2 * kGap + b.countWidth : 0.0);
        b.width = std::max(titleWidth, b.columns * b.columnWidth + (b.columns - 1) * 2 * kGap);
        b.height = b.titleHeight + b.rowsPerColumn * b.rowHeight;
    } else {
        const double labels = std::max(text.horizontalAdvance(f.colorScale.minLabel), text.horizontalAdvance(f.colorScale.maxLabel));
        b.width = std::max(titleWidth, kColorBarWidth + kGap + labels);
        if (!f.colorScale.note.isEmpty()) {
            const double noteWidth = std::max(b.width, 140.0);
            b.noteHeight = text.boundingRect(QRectF(0, 0, noteWidth, 1e6), Qt::TextWordWrap, f.colorScale.note).height() + 6.0;
            b.width = noteWidth;
        }
        const double bar = std::min(kColorBarHeight, std::max(60.0, f.plotSize.height() * 0.6));
        b.height = b.titleHeight + bar + b.noteHeight;
    }
    return b;
}

double titleBand(const Figure& f) {
    if (f.title.isEmpty()) return 0.0;
    return QFontMetricsF(figureFont(kTitlePixels, true)).height() + 16.0;
}

double legendColumn(const LegendBlock& b) { return b.empty() ? 0.0 : kLegendPadLeft + b.width + kLegendPadRight; }

void drawPoints(QPainter& p, const Figure& f, const FigureLayout& l) {
    const double r = 0.5 * f.pointDiameter;
    const QRectF reach = l.plot.adjusted(-r, -r, r, r);
    const int alpha = int(std::lround(std::clamp(f.pointOpacity, 0.0, 1.0) * 255.0));
    p.setPen(Qt::NoPen);
    const QTransform toDevice = p.worldTransform();
    const bool stamp = p.device() && p.device()->devType() == QInternal::Image && toDevice.type() <= QTransform::TxScale;
    if (!stamp) {
        // Vector devices: one circle per point.
        for (const FigurePoint& pt : f.points) {
            const QPointF c = pt.position + l.pointOffset;
            if (!reach.contains(c)) continue;
            p.setBrush(QColor(pt.r, pt.g, pt.b, alpha));
            p.drawEllipse(c, r, r);
        }
        return;
    }
    // Images: each dot is a copy of a small antialiased sprite (one per colour and eighth-pixel
    // phase), the same pixels as drawEllipse's within a few levels, 20-40 times faster (a million
    // points in ~0.2 s instead of 4).
    constexpr int kPhases = 8;
    const double radius = r * toDevice.m11();
    const int side = int(std::ceil(2.0 * radius)) + 3;
    std::unordered_map<std::uint64_t, QImage> sprites;
    p.save();
    p.resetTransform();
    for (const FigurePoint& pt : f.points) {
        const QPointF logical = pt.position + l.pointOffset;
        if (!reach.contains(logical)) continue;
        const QPointF c = toDevice.map(logical);
        const double left = c.x() - 0.5 * side, top = c.y() - 0.5 * side;
        const double fx = std::floor(left), fy = std::floor(top);
        const int px = std::min(kPhases - 1, int((left - fx) * kPhases)), py = std::min(kPhases - 1, int((top - fy) * kPhases));
        const std::uint64_t key = (std::uint64_t(pt.r) << 40) | (std::uint64_t(pt.g) << 32) | (std::uint64_t(pt.b) << 24) |
                                  (std::uint64_t(alpha) << 16) | std::uint64_t(px * kPhases + py);
        auto it = sprites.find(key);
        if (it == sprites.end()) {
            // Bounded memory for continuous colour maps (thousands of colours x 16 phases).
            if (sprites.size() >= 16384) sprites.clear();
            QImage sprite(side, side, QImage::Format_ARGB32_Premultiplied);
            sprite.fill(Qt::transparent);
            QPainter sp(&sprite);
            sp.setRenderHint(QPainter::Antialiasing);
            sp.setPen(Qt::NoPen);
            sp.setBrush(QColor(pt.r, pt.g, pt.b, alpha));
            sp.drawEllipse(QPointF(0.5 * side + (px + 0.5) / kPhases, 0.5 * side + (py + 0.5) / kPhases), radius, radius);
            sp.end();
            it = sprites.emplace(key, std::move(sprite)).first;
        }
        p.drawImage(QPoint(int(fx), int(fy)), it->second);
    }
    p.restore();
}

/// Rings as SelectionOverlay draws them: a halo, then ink (an accent for the focus).
void drawMarks(QPainter& p, const Figure& f, const FigureLayout& l) {
    if (f.marks.empty() && f.focus.empty()) return;
    const bool dark = isDark(f.background);
    const QColor ink = dark ? QColor(0xf0, 0xf0, 0xf0) : QColor(0x10, 0x10, 0x10);
    const QColor halo = dark ? QColor(0, 0, 0, 200) : QColor(255, 255, 255, 220);
    const double r = f.pointDiameter * 0.5 + 4.0;
    p.save();
    p.setBrush(Qt::NoBrush);
    for (int pass = 0; pass < 2; ++pass) {
        p.setPen(pass == 0 ? QPen(halo, 4.0) : QPen(ink, 1.6));
        for (const QPointF& m : f.marks) p.drawEllipse(m + l.pointOffset, r, r);
    }
    for (const QPointF& m : f.focus) {
        p.setPen(QPen(halo, 5.0));
        p.drawEllipse(m + l.pointOffset, r + 3.0, r + 3.0);
        p.setPen(QPen(QColor(0xd5, 0x5e, 0x00), 2.4));
        p.drawEllipse(m + l.pointOffset, r + 3.0, r + 3.0);
    }
    p.restore();
}

/// A caption on a plate, as ScatterView's AxisLabel draws it; `along` is its extent along the text.
void drawPlate(QPainter& p, const QRectF& plate, const QString& text, bool vertical) {
    p.save();
    p.setPen(QPen(QColor(0, 0, 0, 45), 1.0));
    p.setBrush(QColor(255, 255, 255, 225));
    p.drawRoundedRect(plate.adjusted(0.5, 0.5, -0.5, -0.5), 4.0, 4.0);
    p.setPen(QColor(0x30, 0x30, 0x30));
    QRectF textRect = plate;
    if (vertical) {
        p.translate(plate.left(), plate.bottom());
        p.rotate(-90.0);
        textRect = QRectF(0, 0, plate.height(), plate.width());
    }
    p.drawText(textRect, Qt::AlignCenter, text);
    p.restore();
}

void drawAxisCaptions(QPainter& p, const Figure& f, const FigureLayout& l) {
    const QString x = f.xLabel.isEmpty() ? QString() : QStringLiteral("X: %1  \u2192").arg(f.xLabel);
    const QString y = f.yLabel.isEmpty() ? QString() : QStringLiteral("Y: %1  \u2192").arg(f.yLabel);
    if (x.isEmpty() && y.isEmpty()) return;
    const QFont font = figureFont(kTextPixels);
    const QFontMetricsF m(font);
    p.setFont(font);
    const double padding = std::floor(m.height() / 3.0);
    const double thickness = m.height() + padding;
    // With ticks, the captions sit inside the ticks' bands, as on screen.
    const double band = f.axisTicks && f.axisMap.valid() ? std::ceil(tickBand(QFontMetricsF(figureFont(kGuidePixels)).height())) : 0.0;
    const double reserveX = (y.isEmpty() ? 0.0 : thickness + kAxisLabelMargin) + band;
    const double reserveY = (x.isEmpty() ? 0.0 : thickness + kAxisLabelMargin) + band;
    if (!x.isEmpty()) {
        const double max = l.plot.width() - 2 * (kAxisLabelMargin + reserveX) - 2 * padding;
        const QString shown = m.elidedText(x, Qt::ElideMiddle, std::max(0.0, max));
        const double w = m.horizontalAdvance(shown) + 2 * padding;
        drawPlate(p, QRectF(l.plot.center().x() - w / 2, l.plot.bottom() - kAxisLabelMargin - band - thickness, w, thickness), shown, false);
    }
    if (!y.isEmpty()) {
        const double max = l.plot.height() - 2 * (kAxisLabelMargin + reserveY) - 2 * padding;
        const QString shown = m.elidedText(y, Qt::ElideMiddle, std::max(0.0, max));
        const double h = m.horizontalAdvance(shown) + 2 * padding;
        drawPlate(p, QRectF(l.plot.left() + kAxisLabelMargin + band, l.plot.center().y() - h / 2, thickness, h), shown, true);
    }
}

/// The biplot's arrows and the ticks, as GuideOverlay draws them on screen; the ticks over the
/// whole plot, which may have grown beyond the view's.
void drawGuides(QPainter& p, const Figure& f, const FigureLayout& l) {
    const bool dark = isDark(f.background);
    const QFont font = figureFont(kGuidePixels);
    if (!f.arrowTips.empty()) {
        std::vector<QPointF> tips;
        for (const QPointF& t : f.arrowTips) tips.push_back(t + l.pointOffset);
        p.save();
        p.setClipRect(l.plot);
        drawBiplot(p, f.arrowOrigin + l.pointOffset, tips, f.arrowLabels, dark, font, l.plot);
        p.restore();
    }
    if (f.axisTicks && f.axisMap.valid()) {
        AxisMap map = f.axisMap;
        map.x0 += l.pointOffset.x();
        map.y0 += l.pointOffset.y();
        drawAxisTicks(p, l.plot, map, dark, font);
    }
}

void drawLegend(QPainter& p, const Figure& f, const FigureLayout& l, const LegendBlock& b) {
    if (b.empty()) return;
    const QFont text = figureFont(kTextPixels);
    const QFontMetricsF m(text);
    const QColor ink = inkFor(f), faint = faintInkFor(f);
    const QPointF origin(l.legend.left() + kLegendPadLeft, l.legend.center().y() - b.height / 2);
    if (!f.legendTitle.isEmpty()) {
        p.setFont(figureFont(kTextPixels, true));
        p.setPen(ink);
        const QFontMetricsF bm(p.font());
        p.drawText(QRectF(origin, QSizeF(b.width, b.titleHeight)), Qt::AlignLeft | Qt::AlignTop,
                   bm.elidedText(f.legendTitle, Qt::ElideRight, b.width));
    }
    p.setFont(text);
    const double top = origin.y() + b.titleHeight;
    if (!f.legend.empty()) {
        for (std::size_t k = 0; k < f.legend.size(); ++k) {
            const LegendEntry& e = f.legend[k];
            const int column = int(k) / b.rowsPerColumn, row = int(k) % b.rowsPerColumn;
            const double x = origin.x() + column * (b.columnWidth + 2 * kGap);
            const double y = top + row * b.rowHeight;
            const double mid = y + b.rowHeight / 2;
            if (e.color.isValid()) {
                p.setPen(QPen(e.color.darker(130), 1.0));
                p.setBrush(e.color);
                p.drawEllipse(QPointF(x + kSwatch / 2, mid), kSwatch / 2 - 0.5, kSwatch / 2 - 0.5);
            }
            const QRectF label(x + kSwatch + kGap, y, b.labelWidth, b.rowHeight);
            QFont font = text;
            font.setItalic(!e.color.isValid());
            p.setFont(font);
            p.setPen(ink);
            p.drawText(label, Qt::AlignLeft | Qt::AlignVCenter, m.elidedText(e.label, Qt::ElideRight, kLabelMaxWidth));
            p.setFont(text);
            if (e.count >= 0) {
                p.setPen(faint);
                p.drawText(QRectF(label.right() + 2 * kGap, y, b.countWidth, b.rowHeight), Qt::AlignRight | Qt::AlignVCenter,
                           countText(e.count));
            }
        }
        return;
    }
    const ColorScale& s = f.colorScale;
    const double barHeight = b.height - b.titleHeight - b.noteHeight;
    const QRectF bar(origin.x(), top + m.height() / 2, kColorBarWidth, std::max(10.0, barHeight - m.height()));
    QLinearGradient gradient(bar.bottomLeft(), bar.topLeft());  // minimum at the bottom
    for (qsizetype i = 0; i < s.colors.size(); ++i) gradient.setColorAt(double(i) / double(s.colors.size() - 1), s.colors[i]);
    p.setPen(QPen(faint, 1.0));
    p.setBrush(gradient);
    p.drawRect(bar);
    p.setPen(ink);
    const double labelX = bar.right() + kGap;
    p.drawText(QRectF(labelX, bar.top() - m.height() / 2, b.width, m.height()), Qt::AlignLeft | Qt::AlignVCenter, s.maxLabel);
    p.drawText(QRectF(labelX, bar.bottom() - m.height() / 2, b.width, m.height()), Qt::AlignLeft | Qt::AlignVCenter, s.minLabel);
    if (!s.note.isEmpty()) {
        p.setPen(faint);
        p.drawText(QRectF(origin.x(), bar.bottom() + m.height() / 2 + 6.0, b.width, b.noteHeight), Qt::TextWordWrap, s.note);
    }
}

}  // namespace

QSizeF naturalSize(const Figure& figure) {
    const QSizeF plot = figure.plotSize.expandedTo(QSizeF(1.0, 1.0));
    return {plot.width() + legendColumn(measureLegend(figure)), plot.height() + titleBand(figure)};
}

FigureLayout layoutFigure(const Figure& figure, const QSizeF& size) {
    FigureLayout l;
    const QSizeF natural = naturalSize(figure);
    const QSizeF out = size.expandedTo(QSizeF(1.0, 1.0));
    l.scale = std::min(out.width() / natural.width(), out.height() / natural.height());
    l.canvas = out / l.scale;
    const double title = titleBand(figure);
    const double legend = legendColumn(measureLegend(figure));
    l.plot = QRectF(0.0, title, l.canvas.width() - legend, l.canvas.height() - title);
    if (title > 0) l.title = QRectF(0.0, 0.0, l.canvas.width(), title);
    if (legend > 0) l.legend = QRectF(l.plot.right(), title, legend, l.plot.height());
    // The view's centre stays the plot's centre when the plot grows in one direction.
    const QSizeF plot = figure.plotSize.expandedTo(QSizeF(1.0, 1.0));
    l.pointOffset = l.plot.topLeft() + QPointF((l.plot.width() - plot.width()) / 2, (l.plot.height() - plot.height()) / 2);
    return l;
}

std::size_t drawnPointCount(const Figure& figure, const FigureLayout& layout) {
    const double r = 0.5 * figure.pointDiameter;
    const QRectF reach = layout.plot.adjusted(-r, -r, r, r);
    return std::size_t(std::count_if(figure.points.begin(), figure.points.end(),
                                     [&](const FigurePoint& p) { return reach.contains(p.position + layout.pointOffset); }));
}

void paintFigure(QPainter& painter, const Figure& figure, const QSizeF& size, const PaintOptions& options) {
    const FigureLayout l = layoutFigure(figure, size);
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    if (!options.transparent) painter.fillRect(QRectF(QPointF(0, 0), size), figure.background);
    painter.scale(l.scale, l.scale);

    if (options.rasterPoints) {
        // One image of the plot at the output's resolution: a file of many points stays small and
        // quick to open, and looks the same as the vector circles.
        const QSize pixels(std::max(1, int(std::ceil(l.plot.width() * l.scale))), std::max(1, int(std::ceil(l.plot.height() * l.scale))));
        QImage layer(pixels, QImage::Format_ARGB32_Premultiplied);
        layer.fill(Qt::transparent);
        {
            QPainter lp(&layer);
            lp.setRenderHint(QPainter::Antialiasing);
            lp.scale(pixels.width() / l.plot.width(), pixels.height() / l.plot.height());
            lp.translate(-l.plot.topLeft());
            drawPoints(lp, figure, l);
        }
        painter.drawImage(QRectF(l.plot.topLeft(), QSizeF(pixels) / l.scale), layer);
    } else {
        drawPoints(painter, figure, l);
    }
    drawMarks(painter, figure, l);
    drawGuides(painter, figure, l);
    drawAxisCaptions(painter, figure, l);
    if (!l.title.isEmpty()) {
        const QFont font = figureFont(kTitlePixels, true);
        painter.setFont(font);
        painter.setPen(inkFor(figure));
        const QRectF band = l.title.adjusted(12.0, 0.0, -12.0, 0.0);
        painter.drawText(band, Qt::AlignCenter, QFontMetricsF(font).elidedText(figure.title, Qt::ElideRight, band.width()));
    }
    drawLegend(painter, figure, l, measureLegend(figure));
    painter.restore();
}

void orderAsDrawn(std::vector<FigurePoint>& points, const std::vector<double>& depth, bool threeD) {
    std::vector<std::size_t> order(points.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (threeD && depth[a] != depth[b]) return depth[a] > depth[b];
        return points[a].emphasized < points[b].emphasized;
    });
    std::vector<FigurePoint> sorted;
    sorted.reserve(order.size());
    for (const std::size_t k : order) sorted.push_back(points[k]);
    points = std::move(sorted);
}

}  // namespace latentscape::ui
