#pragma once
/// @file The project's own QOpenGLWidget <-> vtkGenericOpenGLRenderWindow adapter.
/// Debian's VTK Qt module is built against Qt 5, so this replaces QVTKOpenGLNativeWidget
/// (see DESIGN.md section 5): VTK renders into its own framebuffers inside paintGL, and the
/// result is blitted into the widget's framebuffer.

#include <QMetaObject>
#include <QOpenGLWidget>
#include <QString>
#include <QSurfaceFormat>

#include <vtkNew.h>

class vtkGenericOpenGLRenderWindow;
class vtkGenericRenderWindowInteractor;
class vtkObject;

namespace latentscape::ui {

class VtkOpenGLWidget : public QOpenGLWidget {
    Q_OBJECT
public:
    explicit VtkOpenGLWidget(QWidget* parent = nullptr);
    ~VtkOpenGLWidget() override;

    /// The surface format VTK needs (OpenGL 3.2 core, depth 24, stencil 8, no multisampling).
    /// Pass it to QSurfaceFormat::setDefaultFormat before the QApplication is created.
    static QSurfaceFormat defaultFormat();

    vtkGenericOpenGLRenderWindow* renderWindow() const;
    vtkGenericRenderWindowInteractor* interactor() const;

    /// Device pixels per logical pixel of the screen the widget is on.
    double pixelRatio() const { return devicePixelRatioF(); }
    /// Milliseconds VTK spent in its last Render() call (0 before the first frame).
    double lastRenderMilliseconds() const { return m_lastRenderMs; }
    /// GL_RENDERER and GL_VERSION of the widget's context (empty before it is shown).
    QString glRendererName() const { return m_glRenderer; }
    /// The context's OpenGL is a software rasterizer (Mesa llvmpipe, softpipe, swrast): remote
    /// desktops, virtual machines, CI. False before the widget is shown.
    bool isSoftwareRenderer() const;

signals:
    /// Emitted after the widget's size in device pixels (or its pixel ratio) changed.
    void deviceSizeChanged();
    /// A frame was drawn in paintGL, taking `milliseconds` (lastRenderMilliseconds()).
    void frameRendered(double milliseconds);

protected:
    void setLastRenderMilliseconds(double ms) {
        m_lastRenderMs = ms;
        emit frameRendered(ms);
    }
    void initializeGL() override;
    void paintGL() override;

    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;
    void enterEvent(QEnterEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    void onWindowEvent(vtkObject* caller, unsigned long eventId, void* callData);
    void onInteractorRender(vtkObject* caller, unsigned long eventId, void* callData);
    void releaseContext();
    void updateDeviceSize();
    void forwardMouse(QMouseEvent* event, unsigned long vtkEvent, int repeat);
    bool forwardKey(QKeyEvent* event, unsigned long vtkEvent);

    vtkNew<vtkGenericOpenGLRenderWindow> m_renderWindow;
    vtkNew<vtkGenericRenderWindowInteractor> m_interactor;
    QMetaObject::Connection m_contextConnection;
    bool m_contextReady = false;
    bool m_inPaint = false;
    int m_wheelAccumulator = 0;
    double m_lastRenderMs = 0.0;
    QString m_glRenderer;
};

}  // namespace latentscape::ui
