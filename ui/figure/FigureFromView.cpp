#include "figure/FigureFromView.h"

#include "figure/PlotRules.h"
#include "panels/LegendWidget.h"
#include "select/screen.h"
#include "vtk/ScatterView.h"
#include "vtk/SelectionOverlay.h"

#include <QCoreApplication>
#include <QLocale>

#include <algorithm>
#include <numeric>

namespace latentscape::ui {

Figure figureFromView(const ScatterView& view) {
    Figure f;
    const select::Projection projection = view.projection();
    f.plotSize = QSizeF(projection.width, projection.height);
    f.pointDiameter = view.pointSize();
    f.pointOpacity = view.opacity();
    f.background = plotBackground(view.darkBackground());
    if (!view.isThreeD()) {
        f.xLabel = view.xAxisLabel();
        f.yLabel = view.yAxisLabel();
        // The view's logical pixels are the plot's: its map places the ticks as on screen.
        f.axisMap = view.axisMap();
        f.axisTicks = view.axisTicks() && view.pointCount() > 0;
        const auto origin = view.biplotOrigin();
        if (!view.biplot().empty()) f.arrowOrigin = view.widgetPosition(origin[0], origin[1]);
        for (const BiplotArrow& a : view.biplot()) {
            f.arrowTips.push_back(view.widgetPosition(origin[0] + a.tip[0], origin[1] + a.tip[1]));
            f.arrowLabels.push_back(a.label);
        }
    }

    const std::size_t n = view.pointCount();
    const float* coords = view.coordinates();
    const std::vector<std::uint8_t>& visible = view.visibility();
    const std::vector<std::uint8_t>& emphasis = view.emphasis();
    const bool hasEmphasis = emphasis.size() == n;
    std::vector<double> depth;
    f.points.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (!visible.empty() && !visible[i]) continue;
        double x = 0.0, y = 0.0, z = 0.0;
        // The same map as the view's widgetPosition(); points behind the camera are not drawn.
        if (!select::project(coords, 3, std::int64_t(i), projection, x, y, z)) continue;
        const auto c = view.pointColor(i);
        f.points.push_back({QPointF(x, y), c[0], c[1], c[2], hasEmphasis && emphasis[i] != 0, std::int64_t(i)});
        depth.push_back(z);
    }
    // The screen's order. 2-D: the vertex list (rows in order, the selection last), later points
    // over earlier ones. 3-D: the depth test, nearer points over farther ones; equal depths as in 2-D.
    orderAsDrawn(f.points, depth, view.isThreeD());

    // The rings, as SelectionOverlay draws them (hidden rows are ringed too, as on screen).
    const auto place = [&](std::int64_t row, std::vector<QPointF>& out) {
        double x = 0.0, y = 0.0, z = 0.0;
        if (row >= 0 && std::size_t(row) < n && select::project(coords, 3, row, projection, x, y, z)) out.emplace_back(x, y);
    };
    const auto& marked = view.markedPoints();
    for (std::size_t k = 0; k < std::min<std::size_t>(marked.size(), SelectionOverlay::maxRings); ++k) place(marked[k], f.marks);
    place(view.focusPoint(), f.focus);
    return f;
}

}  // namespace latentscape::ui
