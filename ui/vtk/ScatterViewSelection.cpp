// ScatterView's selecting side: box and lasso drags, clicks, emphasis and marks. The view reports
// shapes in logical pixels with the camera's projection; the window turns them into rows.
#include "vtk/ScatterView.h"

#include "vtk/SelectionOverlay.h"

#include <QMouseEvent>

#include <vtkCamera.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkMatrix4x4.h>
#include <vtkPoints.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>

#include <algorithm>

namespace latentscape::ui {
namespace {
// A press and release closer than this (Manhattan, logical pixels) is a click, not a drag.
constexpr double kClickSlop = 4.0;
// The lasso records a new vertex once the mouse is this far from the last one.
constexpr double kLassoStep = 2.0;
}  // namespace

void ScatterView::setTool(Tool tool) {
    m_tool = tool;
    setCursor(tool == Tool::Navigate ? Qt::ArrowCursor : Qt::CrossCursor);
}

select::Projection ScatterView::projection() const {
    // The same map as widgetPosition(): the camera's composite projection for the viewport's
    // aspect, then device pixels -> logical ones.
    select::Projection p;
    const int* size = renderWindow()->GetSize();
    const double w = std::max(size[0], 1), h = std::max(size[1], 1);
    vtkMatrix4x4* m = m_renderer->GetActiveCamera()->GetCompositeProjectionTransformMatrix(w / h, -1.0, 1.0);
    for (int r = 0; r < 4; ++r)
        for (int c = 0; c < 4; ++c) p.matrix[std::size_t(r * 4 + c)] = m->GetElement(r, c);
    const double dpr = devicePixelRatioF();
    p.width = w / dpr;
    p.height = h / dpr;
    return p;
}

const float* ScatterView::coordinates() const { return static_cast<const float*>(m_points->GetVoidPointer(0)); }

void ScatterView::setEmphasis(std::vector<std::uint8_t> emphasized) {
    if (emphasized.size() != pointCount()) emphasized.clear();
    if (std::none_of(emphasized.begin(), emphasized.end(), [](std::uint8_t e) { return e != 0; })) emphasized.clear();
    if (emphasized == m_emphasis) return;
    m_emphasis = std::move(emphasized);
    rebuildVertices();
}

void ScatterView::setMarkedPoints(std::vector<std::int64_t> rows, std::int64_t focus) {
    m_marked = std::move(rows);
    m_focus = focus;
    layoutSelectionOverlay();
}

QPolygonF ScatterView::shapeInProgress() const {
    if (!m_drawingShape || m_shapePath.isEmpty()) return {};
    if (m_tool == Tool::Box && m_shapePath.size() >= 2) {
        const QPointF a = m_shapePath.front(), b = m_shapePath.back();
        return QPolygonF({a, QPointF(b.x(), a.y()), b, QPointF(a.x(), b.y())});
    }
    return m_shapePath;
}

void ScatterView::layoutSelectionOverlay() {
    m_selectionOverlay->resize(size());
    m_selectionOverlay->setShape(shapeInProgress());
    m_selectionOverlay->setVisible(m_drawingShape || !m_marked.empty() || m_focus >= 0);
    m_selectionOverlay->raise();
    m_selectionOverlay->update();
}

bool ScatterView::beginShape(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) return false;
    m_pressPosition = event->position();
    m_dragDistance = 0.0;
    if (m_tool == Tool::Navigate || pointCount() == 0) return false;
    m_drawingShape = true;
    m_shapePath = QPolygonF({event->position()});
    if (m_hovered >= 0) {
        m_hovered = -1;
        emit pointHovered(-1);
    }
    layoutSelectionOverlay();
    event->accept();
    return true;
}

bool ScatterView::extendShape(QMouseEvent* event) {
    if (event->buttons() & Qt::LeftButton)
        m_dragDistance = std::max(m_dragDistance, (event->position() - m_pressPosition).manhattanLength());
    if (!m_drawingShape) return false;
    const QPointF p = event->position();
    if (m_tool == Tool::Box) {
        m_shapePath = QPolygonF({m_shapePath.front(), p});
    } else {
        const QPointF d = p - m_shapePath.back();
        if (std::hypot(d.x(), d.y()) >= kLassoStep) m_shapePath << p;
    }
    m_selectionOverlay->setShape(shapeInProgress());
    event->accept();
    return true;
}

bool ScatterView::finishShape(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) return false;
    const QPointF p = event->position();
    // A click only if the mouse never went far: a lasso may end where it began.
    const bool click = std::max(m_dragDistance, (p - m_pressPosition).manhattanLength()) <= kClickSlop;
    m_pressPosition = QPointF(-1e9, -1e9);
    m_dragDistance = 0.0;
    const Qt::KeyboardModifiers modifiers = event->modifiers();
    if (!m_drawingShape) {
        VtkView::mouseReleaseEvent(event);  // the pan or rotation ends
        if (click) emit pointClicked(pointAt(p), modifiers);
        return true;
    }
    if (m_tool == Tool::Lasso && m_shapePath.back() != p) m_shapePath << p;
    if (m_tool == Tool::Box) m_shapePath = QPolygonF({m_shapePath.front(), p});
    const QPolygonF shape = shapeInProgress();
    m_drawingShape = false;
    m_shapePath.clear();
    layoutSelectionOverlay();
    event->accept();
    if (click || shape.size() < 3) {
        emit pointClicked(pointAt(p), modifiers);
        return true;
    }
    select::Polygon polygon;
    polygon.reserve(std::size_t(shape.size()));
    for (const QPointF& q : shape) polygon.push_back({q.x(), q.y()});
    emit shapeDrawn(std::move(polygon), modifiers);
    return true;
}

}  // namespace latentscape::ui
