#include "figure/Biplot.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <optional>
#include <cmath>
#include <limits>
#include <numeric>

namespace latentscape::ui {

double Loading::length() const { return std::hypot(x, y); }

std::vector<Loading> pcaLoadings(const float* X, std::int64_t n, std::int64_t d, const float* scores,
                                 const std::vector<double>& divisors) {
    std::vector<Loading> out(std::size_t(std::max<std::int64_t>(d, 0)));
    for (std::int64_t j = 0; j < d; ++j) out[std::size_t(j)].feature = int(j);
    if (n < 2 || d < 1 || !X || !scores) return out;
    const auto nd = std::size_t(d);
    std::vector<double> mean(nd, 0.0);
    double ms[2] = {0.0, 0.0};
    for (std::int64_t i = 0; i < n; ++i) {
        const float* row = X + std::size_t(i) * nd;
        for (std::size_t j = 0; j < nd; ++j) mean[j] += row[j];
        ms[0] += scores[2 * i];
        ms[1] += scores[2 * i + 1];
    }
    for (double& m : mean) m /= double(n);
    ms[0] /= double(n);
    ms[1] /= double(n);
    std::vector<double> cx(nd, 0.0), cy(nd, 0.0);
    double vs[2] = {0.0, 0.0};
    for (std::int64_t i = 0; i < n; ++i) {
        const float* row = X + std::size_t(i) * nd;
        const double sx = scores[2 * i] - ms[0], sy = scores[2 * i + 1] - ms[1];
        vs[0] += sx * sx;
        vs[1] += sy * sy;
        for (std::size_t j = 0; j < nd; ++j) {
            const double c = row[j] - mean[j];
            cx[j] += c * sx;
            cy[j] += c * sy;
        }
    }
    for (std::size_t j = 0; j < nd; ++j) {
        const double divisor = divisors.size() == nd && divisors[j] != 0.0 ? divisors[j] : 1.0;
        out[j].x = vs[0] > 0.0 ? cx[j] / vs[0] / divisor : 0.0;
        out[j].y = vs[1] > 0.0 ? cy[j] / vs[1] / divisor : 0.0;
    }
    return out;
}

namespace {
double percentileAbs(const float* scores, std::int64_t n, int column, double q) {
    std::vector<double> a(std::size_t(std::max<std::int64_t>(n, 0)));
    for (std::int64_t i = 0; i < n; ++i) a[std::size_t(i)] = std::abs(double(scores[2 * i + column]));
    if (a.empty()) return 0.0;
    const auto k = std::size_t(std::clamp(q * double(a.size() - 1), 0.0, double(a.size() - 1)));
    std::nth_element(a.begin(), a.begin() + std::ptrdiff_t(k), a.end());
    return a[k];
}
}  // namespace

std::vector<BiplotArrow> biplotArrows(const std::vector<Loading>& loadings, const std::vector<QString>& names,
                                      const float* scores, std::int64_t n, int count) {
    std::vector<Loading> sorted = loadings;
    std::stable_sort(sorted.begin(), sorted.end(), [](const Loading& a, const Loading& b) { return a.length() > b.length(); });
    if (int(sorted.size()) > count) sorted.resize(std::size_t(std::max(count, 0)));
    std::vector<BiplotArrow> arrows;
    if (sorted.empty() || sorted.front().length() <= 0.0) return arrows;
    // One factor for all (their lengths compare), the largest that keeps every tip inside the
    // cloud's box: the 98th percentile of |score| along each axis (outliers do not stretch it).
    double reachX = percentileAbs(scores, n, 0, 0.98), reachY = percentileAbs(scores, n, 1, 0.98);
    if (!(reachX > 0.0) || !(reachY > 0.0)) reachX = reachY = std::max({reachX, reachY, 1.0});
    double factor = std::numeric_limits<double>::infinity();
    for (const Loading& l : sorted) {
        if (l.x != 0.0) factor = std::min(factor, reachX / std::abs(l.x));
        if (l.y != 0.0) factor = std::min(factor, reachY / std::abs(l.y));
    }
    factor *= 0.9;
    for (const Loading& l : sorted) {
        if (l.length() <= 0.0) continue;
        const QString name = l.feature >= 0 && std::size_t(l.feature) < names.size() && !names[std::size_t(l.feature)].isEmpty()
                                 ? names[std::size_t(l.feature)]
                                 : QString::number(l.feature + 1);
        arrows.push_back({{factor * l.x, factor * l.y}, name});
    }
    return arrows;
}

void drawBiplot(QPainter& p, const QPointF& origin, const std::vector<QPointF>& tips, const std::vector<QString>& labels,
                bool dark, const QFont& font, const QRectF& bounds) {
    if (tips.empty()) return;
    const QColor ink = dark ? QColor(0xff, 0xb0, 0x40) : QColor(0xb0, 0x30, 0x00);
    const QColor halo = dark ? QColor(0x1c, 0x1c, 0x21, 200) : QColor(255, 255, 255, 210);
    const QFontMetricsF metrics(font);
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    p.setFont(font);
    const auto arrow = [&](const QPointF& tip, const QPen& pen) {
        const QPointF v = tip - origin;
        const double length = std::hypot(v.x(), v.y());
        if (length < 1.0) return;
        const QPointF u = v / length, nrm(-u.y(), u.x());
        const double head = std::min(9.0, 0.4 * length);
        p.setPen(pen);
        p.drawLine(origin, tip - u * (0.6 * head));
        QPolygonF h;
        h << tip << tip - u * head + nrm * (0.45 * head) << tip - u * head - nrm * (0.45 * head);
        p.setBrush(pen.color());
        p.drawPolygon(h);
    };
    for (const QPointF& tip : tips) arrow(tip, QPen(halo, 4.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    for (const QPointF& tip : tips) arrow(tip, QPen(ink, 1.6, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    // Labels beyond the tips, on the side the arrow points to; one that would overlap a label
    // already placed (arrows in nearly the same direction) moves up or down, a line at a time,
    // to the nearest free place inside `bounds`. A label with no free place is left out rather
    // than drawn over another.
    const auto inside = [&](QRectF box) {
        if (box.right() > bounds.right()) box.moveRight(bounds.right());
        if (box.left() < bounds.left()) box.moveLeft(bounds.left());
        if (box.bottom() > bounds.bottom()) box.moveBottom(bounds.bottom());
        if (box.top() < bounds.top()) box.moveTop(bounds.top());
        return box;
    };
    std::vector<QRectF> placed;
    for (std::size_t k = 0; k < tips.size() && k < labels.size(); ++k) {
        const QPointF v = tips[k] - origin;
        const double length = std::max(1e-9, std::hypot(v.x(), v.y()));
        const QPointF u = v / length;
        const QString text = metrics.elidedText(labels[k], Qt::ElideRight, 160.0);
        const double w = metrics.horizontalAdvance(text), h = metrics.height();
        const QPointF centre = tips[k] + u * 6.0 + QPointF(u.x() * 0.5 * w, u.y() * 0.5 * h);
        // Where it belongs; moved in from an edge it would cross only as a last resort (pushed
        // back over its own arrow's tip, it would hide it).
        const QRectF natural(centre.x() - 0.5 * w, centre.y() - 0.5 * h, w, h);
        const QRectF first = inside(natural);
        // Moved up or down, a label beyond the tip of a mostly vertical arrow would cover the
        // shafts: those stack beside the tip instead, on the side the arrow leans to.
        const bool vertical = std::abs(u.x()) < 0.5;
        const QRectF beside = inside(u.x() >= 0 ? QRectF(tips[k].x() + 8.0, tips[k].y() - 0.5 * h, w, h)
                                                : QRectF(tips[k].x() - 8.0 - w, tips[k].y() - 0.5 * h, w, h));
        const auto free = [&](const QRectF& box) {
            return bounds.contains(box) &&
                   std::none_of(placed.begin(), placed.end(), [&](const QRectF& r) { return r.intersects(box); });
        };
        std::optional<QRectF> spot;
        if (free(natural)) spot = natural;
        const QRectF base = vertical ? beside : first;
        for (int attempt = 0; attempt <= 2 * int(tips.size()) + 2 && !spot; ++attempt) {
            const double shift = ((attempt + 1) / 2) * (h + 1.0) * (attempt % 2 ? 1.0 : -1.0);
            const QRectF box = base.translated(0.0, shift);
            if (free(box)) spot = box;
        }
        if (!spot) continue;
        const QRectF box = *spot;
        placed.push_back(box);
        QPainterPath path;
        path.addText(QPointF(box.left(), box.top() + metrics.ascent()), font, text);
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(halo, 3.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.drawPath(path);
        p.setPen(Qt::NoPen);
        p.setBrush(ink);
        p.drawPath(path);
    }
    p.restore();
}

}  // namespace latentscape::ui
