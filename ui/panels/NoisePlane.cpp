#include "panels/NoisePlane.h"

#include <QMouseEvent>
#include <QPainter>

namespace latentscape::ui {

void NoisePlane::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    const int t = kTiles;
    const double w = double(width()) / t, h = double(height()) / t;
    if (int(m_tiles.size()) == t * t) {
        for (int y = 0; y < t; ++y)
            for (int x = 0; x < t; ++x) p.drawImage(QRectF(x * w, y * h, w, h), m_tiles[std::size_t(y * t + x)]);
    } else {
        p.setPen(palette().color(QPalette::Mid));
        for (int i = 1; i < t; ++i) {
            p.drawLine(QPointF(i * w, 0), QPointF(i * w, height()));
            p.drawLine(QPointF(0, i * h), QPointF(width(), i * h));
        }
    }
    p.setPen(QPen(QColor(0xD5, 0x5E, 0x00), 2));
    if (m_a && m_b) p.drawLine(toWidget(*m_a), toWidget(*m_b));
    for (const auto& [end, name] : {std::pair{m_a, QStringLiteral("A")}, std::pair{m_b, QStringLiteral("B")}}) {
        if (!end) continue;
        const QPointF c = toWidget(*end);
        p.drawEllipse(c, 4, 4);
        p.drawText(c + QPointF(6, -4), name);
    }
    p.setPen(palette().color(QPalette::Mid));
    p.drawRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5));
}
void NoisePlane::mouseMoveEvent(QMouseEvent* e) {
    const QPointF z = toNoise(e->position());
    if (hovered) hovered(z.x(), z.y());
}
void NoisePlane::mousePressEvent(QMouseEvent* e) {
    const QPointF z = toNoise(e->position());
    if (clicked) clicked(z.x(), z.y(), e->button() == Qt::RightButton);
}

}  // namespace latentscape::ui
