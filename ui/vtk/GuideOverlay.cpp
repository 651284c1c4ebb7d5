#include "vtk/GuideOverlay.h"

#include "figure/AxisTicks.h"
#include "figure/Biplot.h"
#include "vtk/ScatterView.h"

#include <QPainter>

namespace latentscape::ui {

GuideOverlay::GuideOverlay(ScatterView* view) : QWidget(view), m_view(view) {
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setFocusPolicy(Qt::NoFocus);
    hide();
}

QFont GuideOverlay::guideFont(const QFont& base) {
    QFont font = base;
    font.setPixelSize(11);
    return font;
}

void GuideOverlay::paintEvent(QPaintEvent*) {
    if (m_view->isThreeD() || m_view->pointCount() == 0) return;
    QPainter p(this);
    const QFont font = guideFont(this->font());
    const std::vector<BiplotArrow>& arrows = m_view->biplot();
    if (!arrows.empty()) {
        const auto origin = m_view->biplotOrigin();
        std::vector<QPointF> tips;
        std::vector<QString> labels;
        for (const BiplotArrow& a : arrows) {
            tips.push_back(m_view->widgetPosition(origin[0] + a.tip[0], origin[1] + a.tip[1]));
            labels.push_back(a.label);
        }
        drawBiplot(p, m_view->widgetPosition(origin[0], origin[1]), tips, labels, m_view->darkBackground(), font,
                   QRectF(rect()));
    }
    if (m_view->axisTicks()) drawAxisTicks(p, QRectF(rect()), m_view->axisMap(), m_view->darkBackground(), font);
}

}  // namespace latentscape::ui
