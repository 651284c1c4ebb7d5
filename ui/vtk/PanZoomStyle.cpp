#include "vtk/PanZoomStyle.h"

#include <vtkCamera.h>
#include <vtkMath.h>
#include <vtkObjectFactory.h>
#include <vtkRenderWindowInteractor.h>
#include <vtkRenderer.h>

namespace latentscape::ui {

vtkStandardNewMacro(PanZoomStyle);

namespace {
// One wheel step zooms by 15 %: fine enough to aim, coarse enough to cross scales quickly.
constexpr double kWheelZoom = 1.15;
}  // namespace

void PanZoomStyle::OnLeftButtonDown() { beginPan(); }
void PanZoomStyle::OnLeftButtonUp() { endPan(); }
void PanZoomStyle::OnMiddleButtonDown() { beginPan(); }
void PanZoomStyle::OnMiddleButtonUp() { endPan(); }

void PanZoomStyle::beginPan() {
    vtkRenderWindowInteractor* rwi = Interactor;
    FindPokedRenderer(rwi->GetEventPosition()[0], rwi->GetEventPosition()[1]);
    if (!CurrentRenderer) return;
    m_panning = true;
    m_lastPosition[0] = rwi->GetEventPosition()[0];
    m_lastPosition[1] = rwi->GetEventPosition()[1];
    StartPan();
}

void PanZoomStyle::endPan() {
    if (!m_panning) return;
    m_panning = false;
    EndPan();
}

bool PanZoomStyle::viewFrame(double& worldPerPixel, double right[3], double up[3]) const {
    if (!CurrentRenderer) return false;
    vtkCamera* camera = CurrentRenderer->GetActiveCamera();
    const int* size = CurrentRenderer->GetSize();
    if (size[1] <= 0) return false;
    worldPerPixel = 2.0 * camera->GetParallelScale() / size[1];
    double direction[3];
    camera->GetDirectionOfProjection(direction);
    camera->GetViewUp(up);
    vtkMath::Cross(direction, up, right);
    vtkMath::Normalize(right);
    vtkMath::Cross(right, direction, up);
    vtkMath::Normalize(up);
    return true;
}

void PanZoomStyle::OnMouseMove() {
    if (!m_panning || !CurrentRenderer) return;
    vtkRenderWindowInteractor* rwi = Interactor;
    const int x = rwi->GetEventPosition()[0];
    const int y = rwi->GetEventPosition()[1];
    const int dx = x - m_lastPosition[0];
    const int dy = y - m_lastPosition[1];
    m_lastPosition[0] = x;
    m_lastPosition[1] = y;
    double wpp = 0, right[3], up[3];
    if ((dx == 0 && dy == 0) || !viewFrame(wpp, right, up)) return;

    vtkCamera* camera = CurrentRenderer->GetActiveCamera();
    double focal[3], position[3];
    camera->GetFocalPoint(focal);
    camera->GetPosition(position);
    for (int i = 0; i < 3; ++i) {
        const double shift = -(dx * right[i] + dy * up[i]) * wpp;  // the data follows the cursor
        focal[i] += shift;
        position[i] += shift;
    }
    camera->SetFocalPoint(focal);
    camera->SetPosition(position);
    if (AutoAdjustCameraClippingRange) CurrentRenderer->ResetCameraClippingRange();
    rwi->Render();
}

void PanZoomStyle::OnMouseWheelForward() { zoomAtCursor(kWheelZoom); }
void PanZoomStyle::OnMouseWheelBackward() { zoomAtCursor(1.0 / kWheelZoom); }

void PanZoomStyle::zoomAtCursor(double factor) {
    vtkRenderWindowInteractor* rwi = Interactor;
    const int ex = rwi->GetEventPosition()[0];
    const int ey = rwi->GetEventPosition()[1];
    FindPokedRenderer(ex, ey);
    if (!CurrentRenderer) return;
    vtkCamera* camera = CurrentRenderer->GetActiveCamera();
    if (!camera->GetParallelProjection()) {
        camera->Dolly(factor);
    } else {
        double wpp = 0, right[3], up[3];
        if (!viewFrame(wpp, right, up)) return;
        const int* origin = CurrentRenderer->GetOrigin();
        const int* size = CurrentRenderer->GetSize();
        const double cx = ex - (origin[0] + 0.5 * size[0]);
        const double cy = ey - (origin[1] + 0.5 * size[1]);
        // Move the focal point towards the cursor so the point under it stays put.
        const double keep = 1.0 - 1.0 / factor;
        double focal[3], position[3];
        camera->GetFocalPoint(focal);
        camera->GetPosition(position);
        for (int i = 0; i < 3; ++i) {
            const double shift = (cx * right[i] + cy * up[i]) * wpp * keep;
            focal[i] += shift;
            position[i] += shift;
        }
        camera->SetFocalPoint(focal);
        camera->SetPosition(position);
        camera->SetParallelScale(camera->GetParallelScale() / factor);
    }
    if (AutoAdjustCameraClippingRange) CurrentRenderer->ResetCameraClippingRange();
    rwi->Render();
}

}  // namespace latentscape::ui
