#include "vtk/SegmentOverlay.h"

#include "panels/DecoderPanel.h"
#include "vtk/ScatterView.h"

#include <QPainter>

namespace latentscape::ui {

SegmentOverlay::SegmentOverlay(ScatterView* view) : QWidget(view), m_view(view) {
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setFocusPolicy(Qt::NoFocus);
    hide();
}

void SegmentOverlay::paintEvent(QPaintEvent*) {
    if (m_view->isThreeD()) return;
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const auto at = [this](const std::array<double, 2>& z) { return m_view->widgetPosition(z[0], z[1]); };
    // Rows placed on the map (not the dataset's): dark diamonds on white halos.
    if (!m_view->addedPoints().empty()) {
        p.setPen(QPen(Qt::white, 1.5));
        p.setBrush(QColor(0x20, 0x20, 0x20));
        for (const auto& z : m_view->addedPoints()) {
            const QPointF c = at(z);
            const QPointF diamond[4] = {c + QPointF(0, -4.5), c + QPointF(4.5, 0), c + QPointF(0, 4.5), c + QPointF(-4.5, 0)};
            p.drawPolygon(diamond, 4);
        }
    }
    if (!m_view->overlayStart()) return;
    const QPointF a = at(*m_view->overlayStart());
    const QColor ink(0x20, 0x20, 0x20);
    if (m_view->overlayEnd()) {
        const QPointF b = at(*m_view->overlayEnd());
        p.setPen(QPen(QColor(255, 255, 255, 220), 5, Qt::SolidLine, Qt::RoundCap));
        p.drawLine(a, b);
        p.setPen(QPen(ink, 2, Qt::DashLine, Qt::RoundCap));
        p.drawLine(a, b);
        constexpr int intervals = DecoderPanel::traversalSteps - 1;
        for (int k = 1; k < intervals; ++k) {  // the strip's samples, evenly spaced
            const QPointF q = a + (b - a) * (double(k) / intervals);
            p.setPen(QPen(Qt::white, 1.5));
            p.setBrush(ink);
            p.drawEllipse(q, 2.5, 2.5);
        }
        mark(p, b, QStringLiteral("B"));
    }
    mark(p, a, QStringLiteral("A"));
}

void SegmentOverlay::mark(QPainter& p, const QPointF& at, const QString& text) {
    p.setPen(QPen(Qt::white, 2));
    p.setBrush(QColor(0x20, 0x20, 0x20));
    p.drawEllipse(at, 5.0, 5.0);
    QFont font = p.font();
    font.setBold(true);
    p.setFont(font);
    const int h = fontMetrics().height();
    const QRectF box(at + QPointF(7, -h - 2), QSizeF(h + 4, h + 2));
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(255, 255, 255, 225));
    p.drawRoundedRect(box, 3, 3);
    p.setPen(QColor(0x20, 0x20, 0x20));
    p.drawText(box, Qt::AlignCenter, text);
}

}  // namespace latentscape::ui
