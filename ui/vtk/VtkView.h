#pragma once
/// @file The project's own Qt 6 <-> VTK adapter: a widget that VTK's camera and interactor styles
/// drive, drawn by OpenGL or by the CPU.
///
/// Debian's VTK Qt module is built against Qt 5, so this replaces QVTKOpenGLNativeWidget (see
/// DESIGN.md section 5). Two backends:
/// - OpenGL: a child QOpenGLWidget (transparent for input) in which VTK renders into its own
///   framebuffers inside paintGL; the result is blitted into the child's framebuffer.
/// - Cpu: no OpenGL at all. The subclass paints the frame with QPainter (ScatterView: its points
///   rasterised on the CPU). With a software OpenGL (Mesa llvmpipe: virtual machines, remote
///   desktops, CI) any QOpenGLWidget makes Qt compose the whole window through OpenGL on every
///   frame, even for a status bar message (30-45 ms at 1800 x 1100 on 2 cores); without one the
///   window is a plain raster window and only the changed areas are redrawn.
/// The VTK render window, renderer, camera and interactor exist in both: the camera and the
/// interaction are VTK's either way; with the Cpu backend nothing calls Render().

#include <QImage>
#include <QMetaObject>
#include <QString>
#include <QSurfaceFormat>
#include <QWidget>

#include <vtkNew.h>

class QOpenGLContext;
class QPainter;
class QOpenGLWidget;
class vtkGenericOpenGLRenderWindow;
class vtkGenericRenderWindowInteractor;
class vtkObject;

namespace latentscape::ui {

class GlSurface;

class VtkView : public QWidget {
    Q_OBJECT
public:
    enum class Backend { OpenGL, Cpu };

    /// The backend of views created without one: set by setDefaultBackend, else
    /// LATENTSCAPE_RENDERER=opengl|cpu, else Cpu when the OpenGL is a software renderer or there is
    /// none, OpenGL otherwise (probed once, with an offscreen context).
    static Backend defaultBackend();
    static void setDefaultBackend(Backend backend);
    /// GL_RENDERER of the probe (empty when no OpenGL context could be made).
    static QString probedRenderer();

    explicit VtkView(QWidget* parent = nullptr);
    VtkView(Backend backend, QWidget* parent);
    ~VtkView() override;

    Backend backend() const { return m_backend; }

    /// The surface format VTK needs (OpenGL 3.2 core, depth 24, stencil 8, no multisampling).
    /// Pass it to QSurfaceFormat::setDefaultFormat before the QApplication is created.
    static QSurfaceFormat defaultFormat();

    vtkGenericOpenGLRenderWindow* renderWindow() const;
    vtkGenericRenderWindowInteractor* interactor() const;

    /// Asks for a new frame (update() does not reach the OpenGL child).
    void requestFrame();
    /// The frame as drawn, without the widgets over it (labels, overlays), in device pixels.
    QImage grabFramebuffer();

    /// Device pixels per logical pixel of the screen the widget is on.
    double pixelRatio() const { return devicePixelRatioF(); }
    /// Milliseconds the last frame took to draw (0 before the first frame).
    double lastRenderMilliseconds() const { return m_lastRenderMs; }
    /// GL_RENDERER and GL_VERSION of the view's context (empty before it is shown, and always
    /// with the Cpu backend).
    QString glRendererName() const { return m_glRenderer; }
    /// The OpenGL is a software rasterizer (Mesa llvmpipe, softpipe, swrast).
    bool isSoftwareRenderer() const;
    /// The OpenGL context of the OpenGL backend (null before it is shown, and with the Cpu backend).
    QOpenGLContext* glContext() const;

signals:
    /// Emitted after the widget's size in device pixels (or its pixel ratio) changed.
    void deviceSizeChanged();
    /// A frame was drawn, taking `milliseconds` (lastRenderMilliseconds()).
    void frameRendered(double milliseconds);
    /// A frame reached the window: the OpenGL child's frameSwapped, or the end of a Cpu paint.
    void frameShown();

protected:
    void setLastRenderMilliseconds(double ms) {
        m_lastRenderMs = ms;
        emit frameRendered(ms);
    }
    /// The OpenGL backend's frame, with the context current: VTK's render, blitted.
    virtual void paintGL();
    /// The Cpu backend's frame (and the OpenGL backend's when a subclass draws a CPU image
    /// there): paint `size` device pixels with `painter`. The default fills the background.
    virtual void paintCpu(QPainter& painter);
    /// From paintGL: paintCpu onto the OpenGL child.
    void paintCpuOnGl();

    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;
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
    friend class GlSurface;
    void initializeGL();
    void onWindowEvent(vtkObject* caller, unsigned long eventId, void* callData);
    void onInteractorRender(vtkObject* caller, unsigned long eventId, void* callData);
    void releaseContext();
    void updateDeviceSize();
    void forwardMouse(QMouseEvent* event, unsigned long vtkEvent, int repeat);
    bool forwardKey(QKeyEvent* event, unsigned long vtkEvent);

    Backend m_backend;
    GlSurface* m_gl = nullptr;  // the OpenGL backend's child
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
