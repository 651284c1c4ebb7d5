// ScatterView: the ticks along a 2-D plot's edges and the biplot's arrows (issue 15), drawn by
// GuideOverlay with the figure's own painters (figure/AxisTicks.h, figure/Biplot.h).
#include "vtk/GuideOverlay.h"
#include "vtk/ScatterView.h"

#include <QFontMetricsF>

namespace latentscape::ui {

void ScatterView::setAxisTicks(bool on) {
    if (on == m_axisTicks) return;
    m_axisTicks = on;
    layoutAxisLabels();                 // the captions move inside the ticks' bands
    if (m_cameraFitted) resetCamera();  // and a fitted plot leaves the bands free
    updateGuides();
}

double ScatterView::tickBandWidth() const {
    if (!m_axisTicks || m_threeD) return 0.0;
    return tickBand(QFontMetricsF(GuideOverlay::guideFont(font())).height());
}

AxisMap ScatterView::axisMap() const {
    AxisMap map;
    if (m_threeD) return map;
    // A 2-D plot's camera is parallel and looks down z with y up: the map is a scale and an
    // offset per axis, read off two points of the plane.
    const QPointF o = widgetPosition(0.0, 0.0), ex = widgetPosition(1.0, 0.0), ey = widgetPosition(0.0, 1.0);
    map.x0 = o.x();
    map.sx = ex.x() - o.x();
    map.y0 = o.y();
    map.sy = ey.y() - o.y();
    return map;
}

PlotTicks ScatterView::currentTicks() const {
    if (!m_axisTicks || m_threeD || pointCount() == 0) return {};
    return plotTicks(QRectF(rect()), axisMap(), GuideOverlay::guideFont(font()));
}

void ScatterView::setBiplot(std::vector<BiplotArrow> arrows, std::array<double, 2> origin) {
    m_biplot = std::move(arrows);
    m_biplotOrigin = origin;
    updateGuides();
}

void ScatterView::updateGuides() {
    const bool show = !m_threeD && pointCount() > 0 && (m_axisTicks || !m_biplot.empty());
    m_guides->resize(size());
    m_guides->setVisible(show);
    if (show) m_guides->update();
}

}  // namespace latentscape::ui
