#include "vtk/ScatterView.h"

#include "vtk/AxisLabel.h"
#include "vtk/ColorMaps.h"
#include "vtk/GuideOverlay.h"
#include "vtk/PanZoomStyle.h"
#include "vtk/PointRaster.h"
#include "vtk/SegmentOverlay.h"
#include "vtk/SelectionOverlay.h"

#include <QContextMenuEvent>
#include <QElapsedTimer>
#include <QKeyEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QResizeEvent>

#include <vtkActor.h>
#include <vtkCamera.h>
#include <vtkMatrix4x4.h>
#include <vtkRenderWindow.h>
#include <vtkCellArray.h>
#include <vtkCommand.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkGenericRenderWindowInteractor.h>
#include <vtkIdTypeArray.h>
#include <vtkInteractorStyleTrackballCamera.h>
#include <vtkPointData.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkRenderer.h>
#include <vtkUnsignedCharArray.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace latentscape::ui {
namespace {
// Fraction of the data's extent left free around it after resetCamera().
constexpr double kCameraMargin = 0.06;
// Logical pixels between an axis label and the edge of the view.
constexpr int kAxisLabelMargin = 6;
}  // namespace

ScatterView::ScatterView(QWidget* parent) : ScatterView(defaultBackend(), parent) {}

ScatterView::ScatterView(Backend backend, QWidget* parent) : VtkView(backend, parent) {
    m_points->SetDataTypeToFloat();
    m_colors->SetName("colors");
    m_colors->SetNumberOfComponents(3);
    m_polyData->SetPoints(m_points);
    m_polyData->SetVerts(m_vertices);
    m_polyData->GetPointData()->SetScalars(m_colors);

    m_mapper->SetInputData(m_polyData);
    m_mapper->SetColorModeToDirectScalars();
    m_mapper->SetScalarModeToUsePointData();
    m_mapper->ScalarVisibilityOn();
    m_actor->SetMapper(m_mapper);
    // Flat, round dots: colours on screen are exactly the palette's, whatever the lighting.
    vtkProperty* property = m_actor->GetProperty();
    property->SetRepresentationToPoints();
    property->RenderPointsAsSpheresOn();
    property->LightingOff();

    m_renderer->SetBackground(1.0, 1.0, 1.0);
    m_renderer->AddActor(m_actor);
    renderWindow()->AddRenderer(m_renderer);

    m_renderer->GetActiveCamera()->AddObserver(vtkCommand::ModifiedEvent, this, &ScatterView::onCameraModified);
    m_panZoomStyle->SetDefaultRenderer(m_renderer);
    m_rotateStyle->SetDefaultRenderer(m_renderer);
    interactor()->SetInteractorStyle(m_panZoomStyle);

    // Ticks and arrows first: the captions and the other overlays are drawn over them.
    m_guides = new GuideOverlay(this);
    m_guides->setObjectName(QStringLiteral("guideOverlay"));
    m_xLabel = new AxisLabel(Qt::Horizontal, this);
    m_xLabel->setObjectName(QStringLiteral("xAxisLabel"));
    m_yLabel = new AxisLabel(Qt::Vertical, this);
    m_yLabel->setObjectName(QStringLiteral("yAxisLabel"));
    m_overlay = new SegmentOverlay(this);
    m_overlay->setObjectName(QStringLiteral("segmentOverlay"));
    m_selectionOverlay = new SelectionOverlay(this);
    m_selectionOverlay->setObjectName(QStringLiteral("selectionOverlay"));
    m_selectionOverlay->hide();

    connect(this, &VtkView::deviceSizeChanged, this, [this] {
        applyPointSize();
        if (m_cameraFitted) resetCamera();
    });
    applyPointSize();
    resetCamera();

    m_settleTimer = new QTimer(this);
    m_settleTimer->setSingleShot(true);
    m_settleTimer->setInterval(300);
    connect(m_settleTimer, &QTimer::timeout, this, [this] {
        if (!m_subsampling) return;
        m_subsampling = false;
        rebuildVertices();
    });
}

ScatterView::~ScatterView() { m_renderer->GetActiveCamera()->RemoveAllObservers(); }

vtkRenderer* ScatterView::renderer() const { return m_renderer; }

std::size_t ScatterView::pointCount() const { return std::size_t(m_points->GetNumberOfPoints()); }

std::array<double, 3> ScatterView::pointPosition(std::size_t i) const {
    std::array<double, 3> p{};
    m_points->GetPoint(vtkIdType(i), p.data());
    return p;
}

std::array<std::uint8_t, 3> ScatterView::pointColor(std::size_t i) const {
    const std::uint8_t* c = m_colors->GetPointer(vtkIdType(3 * i));
    return {c[0], c[1], c[2]};
}

void ScatterView::ensurePointCount(std::size_t n) {
    if (n == pointCount() && m_colors->GetNumberOfTuples() == vtkIdType(n)) return;
    m_visible.clear();
    m_emphasis.clear();
    m_marked.clear();
    m_focus = -1;
    m_subsampling = false;
    m_biplot.clear();
    m_points->SetNumberOfPoints(vtkIdType(n));
    rebuildVertices();
    m_colors->SetNumberOfTuples(vtkIdType(n));
    const auto colors = uniformColors(n);
    std::copy(colors.begin(), colors.end(), m_colors->GetPointer(0));
    m_colors->Modified();
    m_polyData->Modified();
}

void ScatterView::setPoints(const float* x, const float* y, std::size_t n) {
    ensurePointCount(n);
    float* out = static_cast<float*>(m_points->GetVoidPointer(0));
    for (std::size_t i = 0; i < n; ++i) {
        out[3 * i] = x[i];
        out[3 * i + 1] = y[i];
        out[3 * i + 2] = 0.0f;
    }
    m_points->Modified();
    setThreeD(false);
    pointsMoved();
    updateGuides();
    requestFrame();
}

void ScatterView::setPoints(const float* xyz, std::size_t n) {
    ensurePointCount(n);
    float* out = static_cast<float*>(m_points->GetVoidPointer(0));
    std::copy(xyz, xyz + 3 * n, out);
    m_points->Modified();
    setThreeD(true);
    pointsMoved();
    requestFrame();
}

void ScatterView::setColors(const std::uint8_t* rgb, std::size_t n) {
    if (n != pointCount())
        throw std::invalid_argument("ScatterView::setColors: " + std::to_string(n) + " colours for " +
                                    std::to_string(pointCount()) + " points");
    std::copy(rgb, rgb + 3 * n, m_colors->GetPointer(0));
    m_colors->Modified();
    requestFrame();
}

void ScatterView::setVisibility(const std::vector<std::uint8_t>& visible) {
    const std::size_t n = pointCount();
    m_visible = visible.size() == n ? visible : std::vector<std::uint8_t>{};
    rebuildVertices();
}

void ScatterView::rebuildVertices() {
    // One vertex cell per drawn point. While subsampling, every stride-th visible point: an even
    // thinning, the same points from frame to frame (no flicker).
    const std::size_t n = pointCount();
    m_visibleCount = 0;
    for (std::size_t i = 0; i < n; ++i) m_visibleCount += m_visible.empty() || m_visible[i];
    const std::size_t stride =
        m_subsampling && m_movingLimit > 0 ? std::max<std::size_t>(1, (m_visibleCount + m_movingLimit - 1) / m_movingLimit) : 1;
    vtkIdType count = 0;
    std::size_t seen = 0;
    m_vertexIds->SetNumberOfValues(vtkIdType(m_visibleCount));
    // Emphasised points (the selection) last, so that they are drawn over the others, and all of
    // them: the level of detail thins the rest only.
    const bool emphasis = m_emphasis.size() == n;
    for (std::size_t i = 0; i < n; ++i) {
        if ((!m_visible.empty() && !m_visible[i]) || (emphasis && m_emphasis[i])) continue;
        if (seen++ % stride == 0) m_vertexIds->SetValue(count++, vtkIdType(i));
    }
    m_plainDrawn = std::size_t(count);
    if (emphasis)
        for (std::size_t i = 0; i < n; ++i)
            if (m_emphasis[i] && (m_visible.empty() || m_visible[i])) m_vertexIds->SetValue(count++, vtkIdType(i));
    m_vertexIds->SetNumberOfValues(count);
    m_vertices->SetData(1, m_vertexIds);
    m_polyData->Modified();
    requestFrame();
}

std::size_t ScatterView::drawnCount() const { return std::size_t(m_vertexIds->GetNumberOfValues()); }

bool ScatterView::shadesDensity() const { return !m_threeD && drawsOnCpu() && drawnCount() >= kDensityMinPoints; }

void ScatterView::setMovingPointLimit(std::size_t limit) {
    m_movingLimit = limit;
    if (m_subsampling) {
        m_subsampling = false;
        rebuildVertices();
    }
}

void ScatterView::pointsMoved() {
    if (m_selectionOverlay->isVisible()) m_selectionOverlay->update();  // rings follow their points
    if (m_movingLimit == 0 || m_visibleCount <= m_movingLimit) return;
    if (!m_subsampling) {
        m_subsampling = true;
        rebuildVertices();
    }
    m_settleTimer->start();
}

void ScatterView::setAxisLabels(const QString& xName, const QString& yName) {
    m_xName = xName;
    m_yName = yName;
    // "X: name →" along the bottom; "Y: name →" up the left edge, the arrow pointing up.
    m_xLabel->setText(xName.isEmpty() ? QString() : tr("X: %1  \u2192").arg(xName));
    m_yLabel->setText(yName.isEmpty() ? QString() : tr("Y: %1  \u2192").arg(yName));
    layoutAxisLabels();
    if (m_cameraFitted) resetCamera();  // the labels' bands may have changed
}

void ScatterView::layoutAxisLabels() {
    const bool showX = !m_threeD && !m_xName.isEmpty();
    const bool showY = !m_threeD && !m_yName.isEmpty();
    // Each label stays clear of the other's corner.
    // With ticks on, the captions sit inside the ticks' bands.
    const int band = int(std::ceil(tickBandWidth()));
    const int reserveX = showY ? m_yLabel->thickness() + kAxisLabelMargin + band : band;
    const int reserveY = showX ? m_xLabel->thickness() + kAxisLabelMargin + band : band;
    if (showX) {
        m_xLabel->fit(width() - 2 * (kAxisLabelMargin + reserveX));
        m_xLabel->move((width() - m_xLabel->width()) / 2, height() - kAxisLabelMargin - band - m_xLabel->height());
    }
    if (showY) {
        m_yLabel->fit(height() - 2 * (kAxisLabelMargin + reserveY));
        m_yLabel->move(kAxisLabelMargin + band, (height() - m_yLabel->height()) / 2);
    }
    m_xLabel->setVisible(showX);
    m_yLabel->setVisible(showY);
}

void ScatterView::resizeEvent(QResizeEvent* event) {
    VtkView::resizeEvent(event);
    layoutAxisLabels();
    m_overlay->resize(size());
    m_guides->resize(size());
    layoutSelectionOverlay();
}

void ScatterView::setOverlaySegment(std::optional<std::array<double, 2>> a, std::optional<std::array<double, 2>> b) {
    m_segmentA = a ? a : b;
    m_segmentB = a ? b : std::nullopt;
    m_overlay->resize(size());
    m_overlay->setVisible(m_segmentA.has_value() || !m_added.empty());
    m_overlay->raise();
    m_overlay->update();
}

void ScatterView::setAddedPoints(std::vector<std::array<double, 2>> points) {
    m_added = std::move(points);
    m_overlay->resize(size());
    m_overlay->setVisible(m_segmentA.has_value() || !m_added.empty());
    m_overlay->raise();
    m_overlay->update();
}

void ScatterView::setThreeD(bool threeD) {
    if (threeD == m_threeD) return;
    m_threeD = threeD;
    if (threeD) m_biplot.clear();
    layoutAxisLabels();
    updateGuides();
    interactor()->SetInteractorStyle(threeD ? static_cast<vtkInteractorStyle*>(m_rotateStyle.GetPointer())
                                            : static_cast<vtkInteractorStyle*>(m_panZoomStyle.GetPointer()));
    resetCamera();
}

void ScatterView::setOpacity(double opacity) {
    m_opacity = std::clamp(opacity, 0.05, 1.0);
    m_actor->GetProperty()->SetOpacity(m_opacity);
    requestFrame();
}

void ScatterView::setPerspective(bool perspective) {
    m_perspective = perspective;
    if (m_threeD) {
        m_fittingCamera = true;
        m_renderer->GetActiveCamera()->SetParallelProjection(perspective ? 0 : 1);
        m_fittingCamera = false;
        resetCamera();
    }
}

void ScatterView::setDarkBackground(bool dark) {
    m_dark = dark;
    m_guides->update();
    if (dark)
        m_renderer->SetBackground(0.11, 0.11, 0.13);
    else
        m_renderer->SetBackground(1.0, 1.0, 1.0);
    requestFrame();
}

void ScatterView::setPointSize(double logicalPixels) {
    m_pointSize = std::clamp(logicalPixels, 1.0, 64.0);
    applyPointSize();
    requestFrame();
}

void ScatterView::applyPointSize() {
    m_actor->GetProperty()->SetPointSize(float(m_pointSize * pixelRatio()));
}

void ScatterView::onCameraModified() {
    if (m_overlay && m_overlay->isVisible()) m_overlay->update();  // the marks follow the camera
    if (m_guides && m_guides->isVisible()) m_guides->update();     // so do the ticks and arrows
    if (m_selectionOverlay && m_selectionOverlay->isVisible()) m_selectionOverlay->update();
    if (m_fittingCamera) return;
    m_cameraFitted = false;
    pointsMoved();  // a pan, zoom or rotation in progress: the level of detail applies too
}

void ScatterView::resetCamera() {
    m_fittingCamera = true;
    double b[6] = {-1, 1, -1, 1, 0, 0};
    if (pointCount() > 0) m_polyData->GetBounds(b);
    vtkCamera* camera = m_renderer->GetActiveCamera();
    if (m_threeD) {
        camera->SetParallelProjection(m_perspective ? 0 : 1);
        camera->SetFocalPoint(0, 0, 0);
        camera->SetPosition(0, 0, 1);
        camera->SetViewUp(0, 1, 0);
        m_renderer->ResetCamera(b);
    } else {
        const double cx = 0.5 * (b[0] + b[1]);
        const double cy = 0.5 * (b[2] + b[3]);
        double halfWidth = 0.5 * (b[1] - b[0]);
        double halfHeight = 0.5 * (b[3] - b[2]);
        if (halfWidth <= 0 && halfHeight <= 0) halfWidth = halfHeight = 1.0;
        // The parallel scale is half the view's height in data units. The data must fit into
        // the view less a band on each side as wide as the axis labels take, so that the labels
        // do not cover points of a freshly fitted plot.
        const int* size = renderWindow()->GetSize();
        const double w = std::max(size[0], 1), h = std::max(size[1], 1);
        const double dpr = pixelRatio();
        const double band = tickBandWidth();
        const double padX = ((m_yName.isEmpty() ? 0.0 : m_yLabel->thickness() + 2 * kAxisLabelMargin) + band) * dpr;
        const double padY = ((m_xName.isEmpty() ? 0.0 : m_xLabel->thickness() + 2 * kAxisLabelMargin) + band) * dpr;
        const double usableW = std::max(w - 2.0 * padX, 0.5 * w);
        const double usableH = std::max(h - 2.0 * padY, 0.5 * h);
        const double scale = std::max(halfHeight * h / usableH, halfWidth * h / usableW) * (1.0 + kCameraMargin);
        camera->ParallelProjectionOn();
        camera->SetFocalPoint(cx, cy, 0.0);
        camera->SetPosition(cx, cy, 4.0 * scale + 1.0);
        camera->SetViewUp(0, 1, 0);
        camera->SetParallelScale(scale);
        m_renderer->ResetCameraClippingRange(b);
    }
    m_fittingCamera = false;
    m_cameraFitted = true;
    requestFrame();
}

std::array<double, 2> ScatterView::dataPosition(const QPointF& widgetPosition) const {
    const double dpr = devicePixelRatioF();
    const int* size = renderWindow()->GetSize();
    m_renderer->SetDisplayPoint(widgetPosition.x() * dpr, size[1] - 1 - widgetPosition.y() * dpr, 0.0);
    m_renderer->DisplayToWorld();
    double world[4];
    m_renderer->GetWorldPoint(world);
    if (world[3] != 0.0)
        for (int i = 0; i < 3; ++i) world[i] /= world[3];
    return {world[0], world[1]};
}

namespace {

// World -> logical widget pixels through the camera's composite projection matrix.
struct Projector {
    double m[16];
    double width, height, dpr;
    QPointF operator()(const float* p) const {
        const double x = m[0] * p[0] + m[1] * p[1] + m[2] * p[2] + m[3];
        const double y = m[4] * p[0] + m[5] * p[1] + m[6] * p[2] + m[7];
        const double w = m[12] * p[0] + m[13] * p[1] + m[14] * p[2] + m[15];
        const double nx = x / w, ny = y / w;
        return {(nx + 1.0) * 0.5 * width / dpr, (1.0 - (ny + 1.0) * 0.5) * height / dpr};
    }
};

Projector projector(vtkRenderer* renderer, vtkRenderWindow* window, double dpr) {
    const int* size = window->GetSize();
    Projector p{};
    p.width = std::max(size[0], 1);
    p.height = std::max(size[1], 1);
    p.dpr = dpr;
    vtkMatrix4x4* matrix =
        renderer->GetActiveCamera()->GetCompositeProjectionTransformMatrix(p.width / p.height, -1.0, 1.0);
    for (int r = 0; r < 4; ++r)
        for (int c = 0; c < 4; ++c) p.m[r * 4 + c] = matrix->GetElement(r, c);
    return p;
}

}  // namespace

QPointF ScatterView::widgetPosition(std::size_t i) const {
    const Projector project = projector(m_renderer, renderWindow(), devicePixelRatioF());
    const float* points = static_cast<const float*>(m_points->GetVoidPointer(0));
    return project(points + 3 * i);
}

QPointF ScatterView::widgetPosition(double x, double y) const {
    const Projector project = projector(m_renderer, renderWindow(), devicePixelRatioF());
    const float p[3] = {float(x), float(y), 0.0f};
    return project(p);
}

std::array<double, 2> ScatterView::planePosition(const QPointF& widgetPosition) const {
    // Projector in reverse: logical pixels -> normalised device coordinates, then the 2 x 2
    // system the composite matrix gives for a point with z = 0 (exact for any camera looking at
    // the plane; a 2-D plot's is parallel, with w = 1).
    const Projector p = projector(m_renderer, renderWindow(), devicePixelRatioF());
    const double nx = 2.0 * widgetPosition.x() * p.dpr / p.width - 1.0;
    const double ny = 1.0 - 2.0 * widgetPosition.y() * p.dpr / p.height;
    const double* m = p.m;
    const double a = m[0] - nx * m[12], b = m[1] - nx * m[13], e = nx * m[15] - m[3];
    const double c = m[4] - ny * m[12], d = m[5] - ny * m[13], f = ny * m[15] - m[7];
    const double det = a * d - b * c;
    if (det == 0.0) return {0.0, 0.0};
    return {(e * d - b * f) / det, (a * f - e * c) / det};
}

std::int64_t ScatterView::pointAt(const QPointF& widgetPosition, double tolerance) const {
    const std::size_t n = pointCount();
    if (n == 0) return -1;
    const Projector project = projector(m_renderer, renderWindow(), devicePixelRatioF());
    const float* points = static_cast<const float*>(m_points->GetVoidPointer(0));
    std::int64_t best = -1;
    double bestDistance = tolerance * tolerance;
    for (std::size_t i = 0; i < n; ++i) {
        if (!m_visible.empty() && !m_visible[i]) continue;
        const QPointF q = project(points + 3 * i);
        const double dx = q.x() - widgetPosition.x(), dy = q.y() - widgetPosition.y();
        const double d2 = dx * dx + dy * dy;
        if (d2 < bestDistance || (best < 0 && d2 <= bestDistance)) {
            bestDistance = d2;
            best = std::int64_t(i);
        }
    }
    return best;
}

void ScatterView::setRaster(Raster raster) {
    m_raster = raster;
    m_rasterKey = {};
    requestFrame();
}

bool ScatterView::drawsOnCpu() const {
    if (backend() == Backend::Cpu) return true;
    switch (m_raster) {
        case Raster::OpenGL: return false;
        case Raster::Cpu: return true;
        case Raster::Auto: break;
    }
    return isSoftwareRenderer() && m_visibleCount >= kCpuRasterMinPoints;
}

void ScatterView::paintGL() {
    if (!drawsOnCpu()) {
        VtkView::paintGL();
        return;
    }
    paintCpuOnGl();
}

void ScatterView::paintCpu(QPainter& painter) {
    QElapsedTimer timer;
    timer.start();
    const int* size = renderWindow()->GetSize();
    const int w = std::max(size[0], 1), h = std::max(size[1], 1);
    vtkCamera* camera = m_renderer->GetActiveCamera();
    const double diameter = m_pointSize * pixelRatio();
    // Redraw only when something drawn changed: a repaint for an overlay or an expose reuses it.
    const std::array<double, 10> key{double(m_points->GetMTime()), double(m_colors->GetMTime()),
                                     double(m_polyData->GetMTime()), double(camera->GetMTime()),
                                     double(w), double(h), diameter, m_opacity, double(m_dark),
                                     double(m_threeD)};
    if (key != m_rasterKey || m_rasterImage.size() != QSize(w, h)) {
        if (m_rasterImage.size() != QSize(w, h)) m_rasterImage = QImage(w, h, QImage::Format_RGB32);
        vtkMatrix4x4* matrix = camera->GetCompositeProjectionTransformMatrix(double(w) / h, -1.0, 1.0);
        double clip[16];
        for (int r = 0; r < 4; ++r)
            for (int c = 0; c < 4; ++c) clip[r * 4 + c] = matrix->GetElement(r, c);
        RasterStyle style;
        style.diameter = diameter;
        style.opacity = m_opacity;
        if (shadesDensity()) style.density = m_plainDrawn;
        double background[3];
        m_renderer->GetBackground(background);
        for (int k = 0; k < 3; ++k) style.background[k] = std::uint8_t(std::lround(255.0 * background[k]));
        rasterizePoints(m_rasterImage, static_cast<const float*>(m_points->GetVoidPointer(0)),
                        m_vertexIds->GetPointer(0), std::size_t(m_vertexIds->GetNumberOfValues()),
                        m_colors->GetPointer(0), clip, style, m_threeD ? &m_rasterDepth : nullptr);
        m_rasterKey = key;
    }
    m_rasterImage.setDevicePixelRatio(pixelRatio());
    painter.setCompositionMode(QPainter::CompositionMode_Source);
    painter.drawImage(QPointF(0.0, 0.0), m_rasterImage);
    setLastRenderMilliseconds(double(timer.nsecsElapsed()) / 1e6);
}

void ScatterView::mouseMoveEvent(QMouseEvent* event) {
    if (extendShape(event)) return;
    VtkView::mouseMoveEvent(event);
    // Hover only while no button is down: dragging pans or rotates.
    const std::int64_t hovered = event->buttons() == Qt::NoButton ? pointAt(event->position()) : -1;
    if (hovered != m_hovered) {
        m_hovered = hovered;
        emit pointHovered(hovered);
    }
    if (m_threeD || pointCount() == 0) {
        emit cursorLeft();
        return;
    }
    const auto p = dataPosition(event->position());
    emit cursorMoved(p[0], p[1]);
    if (event->buttons() == Qt::NoButton) {
        const auto q = planePosition(event->position());
        emit hoverMoved(event->position(), q[0], q[1]);
    }
}

void ScatterView::mousePressEvent(QMouseEvent* event) {
    if (beginShape(event)) return;
    VtkView::mousePressEvent(event);
}

void ScatterView::mouseReleaseEvent(QMouseEvent* event) {
    if (finishShape(event)) return;
    VtkView::mouseReleaseEvent(event);
}

void ScatterView::contextMenuEvent(QContextMenuEvent* event) {
    QMenu menu(this);
    emit contextMenuRequested(&menu, QPointF(event->pos()));
    if (menu.isEmpty()) {
        event->ignore();
        return;
    }
    menu.exec(event->globalPos());
    event->accept();
}

void ScatterView::leaveEvent(QEvent* event) {
    VtkView::leaveEvent(event);
    if (m_hovered >= 0) {
        m_hovered = -1;
        emit pointHovered(-1);
    }
    emit cursorLeft();
}

void ScatterView::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_R && event->modifiers() == Qt::NoModifier) {
        resetCamera();
        event->accept();
        return;
    }
    VtkView::keyPressEvent(event);
}

}  // namespace latentscape::ui
