#include "vtk/SelectionOverlay.h"

#include "vtk/ScatterView.h"

#include <QPainter>

#include <algorithm>

namespace latentscape::ui {

SelectionOverlay::SelectionOverlay(ScatterView* view) : QWidget(view), m_view(view) {
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setFocusPolicy(Qt::NoFocus);
}

void SelectionOverlay::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const bool dark = m_view->darkBackground();
    const QColor ink = dark ? QColor(0xf0, 0xf0, 0xf0) : QColor(0x10, 0x10, 0x10);
    const QColor halo = dark ? QColor(0, 0, 0, 200) : QColor(255, 255, 255, 220);

    // Rings: a halo then a dark (light) circle, so they read over any colour.
    const auto& marked = m_view->markedPoints();
    const double r = m_view->pointSize() * 0.5 + 4.0;
    const std::size_t rings = std::min<std::size_t>(marked.size(), maxRings);
    for (int pass = 0; pass < 2; ++pass) {
        p.setPen(pass == 0 ? QPen(halo, 4.0) : QPen(ink, 1.6));
        p.setBrush(Qt::NoBrush);
        for (std::size_t k = 0; k < rings; ++k) {
            const std::int64_t i = marked[k];
            if (i < 0 || std::size_t(i) >= m_view->pointCount()) continue;
            p.drawEllipse(m_view->widgetPosition(std::size_t(i)), r, r);
        }
    }
    if (m_view->focusPoint() >= 0 && std::size_t(m_view->focusPoint()) < m_view->pointCount()) {
        const QPointF c = m_view->widgetPosition(std::size_t(m_view->focusPoint()));
        p.setPen(QPen(halo, 5.0));
        p.drawEllipse(c, r + 3.0, r + 3.0);
        p.setPen(QPen(QColor(0xd5, 0x5e, 0x00), 2.4));  // Okabe-Ito vermillion: the point asked about
        p.drawEllipse(c, r + 3.0, r + 3.0);
    }

    if (m_shape.size() >= 2) {
        QPolygonF closed = m_shape;
        closed << m_shape.front();
        p.setBrush(dark ? QColor(255, 255, 255, 28) : QColor(0, 90, 180, 28));
        p.setPen(QPen(halo, 3.0));
        p.drawPolygon(m_shape);
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(ink, 1.3, Qt::DashLine));
        p.drawPolyline(closed);
    }
}

}  // namespace latentscape::ui
