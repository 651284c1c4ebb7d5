#pragma once
/// @file Interaction for 2-D scatter plots: drag to pan, wheel to zoom about the cursor,
/// no rotation. Works on a parallel-projection camera.

#include <vtkInteractorStyle.h>

namespace latentscape::ui {

class PanZoomStyle : public vtkInteractorStyle {
public:
    static PanZoomStyle* New();
    vtkTypeMacro(PanZoomStyle, vtkInteractorStyle);

    void OnLeftButtonDown() override;
    void OnLeftButtonUp() override;
    void OnMiddleButtonDown() override;
    void OnMiddleButtonUp() override;
    void OnMouseMove() override;
    void OnMouseWheelForward() override;
    void OnMouseWheelBackward() override;
    /// The base class quits, flies or switches to stereo on single keys: not in an embedded view.
    void OnChar() override {}

    PanZoomStyle(const PanZoomStyle&) = delete;
    PanZoomStyle& operator=(const PanZoomStyle&) = delete;

protected:
    PanZoomStyle() = default;
    ~PanZoomStyle() override = default;

private:
    void beginPan();
    void endPan();
    /// Zooms in by `factor` (> 1) or out (< 1) keeping the world point under the cursor fixed.
    void zoomAtCursor(double factor);
    /// World units per device pixel and the camera's right/up unit vectors.
    bool viewFrame(double& worldPerPixel, double right[3], double up[3]) const;

    bool m_panning = false;
    int m_lastPosition[2] = {0, 0};
};

}  // namespace latentscape::ui
