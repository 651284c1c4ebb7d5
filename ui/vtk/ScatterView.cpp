#include "vtk/ScatterView.h"

#include "vtk/ColorMaps.h"
#include "vtk/PanZoomStyle.h"

#include <QKeyEvent>
#include <QMouseEvent>

#include <vtkActor.h>
#include <vtkCamera.h>
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
#include <stdexcept>

namespace latentscape::ui {
namespace {
// Fraction of the data's extent left free around it after resetCamera().
constexpr double kCameraMargin = 0.06;
}  // namespace

ScatterView::ScatterView(QWidget* parent) : VtkOpenGLWidget(parent) {
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

    connect(this, &VtkOpenGLWidget::deviceSizeChanged, this, [this] {
        applyPointSize();
        if (m_cameraFitted) resetCamera();
    });
    applyPointSize();
    resetCamera();
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
    m_points->SetNumberOfPoints(vtkIdType(n));
    // One vertex cell per point, ids 0..n-1: built once per point count.
    m_vertexIds->SetNumberOfValues(vtkIdType(n));
    for (vtkIdType i = 0; i < vtkIdType(n); ++i) m_vertexIds->SetValue(i, i);
    m_vertices->SetData(1, m_vertexIds);
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
    update();
}

void ScatterView::setPoints(const float* xyz, std::size_t n) {
    ensurePointCount(n);
    float* out = static_cast<float*>(m_points->GetVoidPointer(0));
    std::copy(xyz, xyz + 3 * n, out);
    m_points->Modified();
    setThreeD(true);
    update();
}

void ScatterView::setColors(const std::uint8_t* rgb, std::size_t n) {
    if (n != pointCount())
        throw std::invalid_argument("ScatterView::setColors: " + std::to_string(n) + " colours for " +
                                    std::to_string(pointCount()) + " points");
    std::copy(rgb, rgb + 3 * n, m_colors->GetPointer(0));
    m_colors->Modified();
    update();
}

void ScatterView::setThreeD(bool threeD) {
    if (threeD == m_threeD) return;
    m_threeD = threeD;
    interactor()->SetInteractorStyle(threeD ? static_cast<vtkInteractorStyle*>(m_rotateStyle.GetPointer())
                                            : static_cast<vtkInteractorStyle*>(m_panZoomStyle.GetPointer()));
    resetCamera();
}

void ScatterView::setPointSize(double logicalPixels) {
    m_pointSize = std::clamp(logicalPixels, 1.0, 64.0);
    applyPointSize();
    update();
}

void ScatterView::applyPointSize() {
    m_actor->GetProperty()->SetPointSize(float(m_pointSize * pixelRatio()));
}

void ScatterView::onCameraModified() {
    if (!m_fittingCamera) m_cameraFitted = false;
}

void ScatterView::resetCamera() {
    m_fittingCamera = true;
    double b[6] = {-1, 1, -1, 1, 0, 0};
    if (pointCount() > 0) m_polyData->GetBounds(b);
    vtkCamera* camera = m_renderer->GetActiveCamera();
    if (m_threeD) {
        camera->ParallelProjectionOff();
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
        const int* size = renderWindow()->GetSize();
        const double aspect = size[1] > 0 ? double(size[0]) / size[1] : 1.0;
        const double scale = std::max(halfHeight, halfWidth / aspect) * (1.0 + kCameraMargin);
        camera->ParallelProjectionOn();
        camera->SetFocalPoint(cx, cy, 0.0);
        camera->SetPosition(cx, cy, 4.0 * scale + 1.0);
        camera->SetViewUp(0, 1, 0);
        camera->SetParallelScale(scale);
        m_renderer->ResetCameraClippingRange(b);
    }
    m_fittingCamera = false;
    m_cameraFitted = true;
    update();
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

void ScatterView::mouseMoveEvent(QMouseEvent* event) {
    VtkOpenGLWidget::mouseMoveEvent(event);
    if (m_threeD || pointCount() == 0) {
        emit cursorLeft();
        return;
    }
    const auto p = dataPosition(event->position());
    emit cursorMoved(p[0], p[1]);
}

void ScatterView::leaveEvent(QEvent* event) {
    VtkOpenGLWidget::leaveEvent(event);
    emit cursorLeft();
}

void ScatterView::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_R && event->modifiers() == Qt::NoModifier) {
        resetCamera();
        event->accept();
        return;
    }
    VtkOpenGLWidget::keyPressEvent(event);
}

}  // namespace latentscape::ui
