#include "vtk/VtkView.h"

#include <QElapsedTimer>
#include <QEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QOffscreenSurface>
#include <QOpenGLContext>
#include <QOpenGLFunctions>
#include <QOpenGLWidget>
#include <QPainter>
#include <QPaintEvent>
#include <QScopedValueRollback>
#include <QWheelEvent>

#include <vtkCommand.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkGenericRenderWindowInteractor.h>
#include <vtkOpenGLState.h>

#include <algorithm>
#include <optional>

namespace latentscape::ui {
namespace {

// VTK key symbols for the non-printable keys its interactor styles understand.
const char* keySymbol(int key) {
    switch (key) {
        case Qt::Key_Left: return "Left";
        case Qt::Key_Right: return "Right";
        case Qt::Key_Up: return "Up";
        case Qt::Key_Down: return "Down";
        case Qt::Key_PageUp: return "Prior";
        case Qt::Key_PageDown: return "Next";
        case Qt::Key_Home: return "Home";
        case Qt::Key_End: return "End";
        case Qt::Key_Escape: return "Escape";
        case Qt::Key_Return: return "Return";
        case Qt::Key_Enter: return "KP_Enter";
        case Qt::Key_Tab: return "Tab";
        case Qt::Key_Backspace: return "BackSpace";
        case Qt::Key_Delete: return "Delete";
        case Qt::Key_Space: return "space";
        case Qt::Key_Shift: return "Shift_L";
        case Qt::Key_Control: return "Control_L";
        case Qt::Key_Alt: return "Alt_L";
        default: return nullptr;
    }
}

// The default interactor styles quit on 'e'/'q', switch to stereo on '3' and fly on 'f':
// none of that belongs in an embedded view.
bool isSwallowedKey(char c) {
    switch (c) {
        case 'e': case 'E': case 'q': case 'Q': case '3': case 'f': case 'F': return true;
        default: return false;
    }
}

Qt::CursorShape qtCursor(int vtkCursor) {
    switch (vtkCursor) {
        case VTK_CURSOR_SIZENE: case VTK_CURSOR_SIZESW: return Qt::SizeBDiagCursor;
        case VTK_CURSOR_SIZENW: case VTK_CURSOR_SIZESE: return Qt::SizeFDiagCursor;
        case VTK_CURSOR_SIZENS: return Qt::SizeVerCursor;
        case VTK_CURSOR_SIZEWE: return Qt::SizeHorCursor;
        case VTK_CURSOR_SIZEALL: return Qt::SizeAllCursor;
        case VTK_CURSOR_HAND: return Qt::PointingHandCursor;
        case VTK_CURSOR_CROSSHAIR: return Qt::CrossCursor;
        default: return Qt::ArrowCursor;
    }
}

bool isSoftwareName(const QString& renderer) {
    for (const char* name : {"llvmpipe", "softpipe", "swrast", "Software Rasterizer"})
        if (renderer.contains(QLatin1String(name), Qt::CaseInsensitive)) return true;
    return false;
}

std::optional<VtkView::Backend> g_defaultBackend;
std::optional<QString> g_probedRenderer;

QString probeRenderer() {
    QOpenGLContext context;
    context.setFormat(VtkView::defaultFormat());
    if (!context.create()) return {};
    QOffscreenSurface surface;
    surface.setFormat(context.format());
    surface.create();
    if (!surface.isValid() || !context.makeCurrent(&surface)) return {};
    const auto* name = reinterpret_cast<const char*>(context.functions()->glGetString(GL_RENDERER));
    const QString renderer = name ? QString::fromLatin1(name) : QString();
    context.doneCurrent();
    return renderer;
}

}  // namespace

/// The OpenGL backend's surface: a QOpenGLWidget over the whole view that lets input through to
/// it and hands initializeGL / paintGL to it.
class GlSurface : public QOpenGLWidget {
public:
    explicit GlSurface(VtkView* view) : QOpenGLWidget(view), m_view(view) {
        setAttribute(Qt::WA_TransparentForMouseEvents);
        setFocusPolicy(Qt::NoFocus);
        setUpdateBehavior(QOpenGLWidget::NoPartialUpdate);
    }

protected:
    void initializeGL() override { m_view->initializeGL(); }
    void paintGL() override { m_view->paintGL(); }

private:
    VtkView* m_view;
};

QString VtkView::probedRenderer() {
    if (!g_probedRenderer) g_probedRenderer = probeRenderer();
    return *g_probedRenderer;
}

VtkView::Backend VtkView::defaultBackend() {
    if (g_defaultBackend) return *g_defaultBackend;
    const QByteArray forced = qgetenv("LATENTSCAPE_RENDERER").toLower();
    if (forced == "cpu") g_defaultBackend = Backend::Cpu;
    else if (forced == "opengl") g_defaultBackend = Backend::OpenGL;
    else {
        const QString renderer = probedRenderer();
        g_defaultBackend = renderer.isEmpty() || isSoftwareName(renderer) ? Backend::Cpu : Backend::OpenGL;
    }
    return *g_defaultBackend;
}

void VtkView::setDefaultBackend(Backend backend) { g_defaultBackend = backend; }

VtkView::VtkView(QWidget* parent) : VtkView(defaultBackend(), parent) {}

VtkView::VtkView(Backend backend, QWidget* parent) : QWidget(parent), m_backend(backend) {
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    if (m_backend == Backend::OpenGL) {
        m_gl = new GlSurface(this);
        m_gl->setObjectName(QStringLiteral("glSurface"));
        connect(m_gl, &QOpenGLWidget::frameSwapped, this, &VtkView::frameShown);
    } else {
        setAttribute(Qt::WA_OpaquePaintEvent);  // paintCpu covers every pixel
    }

    // Nothing may render before initializeGL has handed VTK a current context.
    m_renderWindow->SetReadyForRendering(false);
    m_renderWindow->SetFrameBlitModeToNoBlit();
    m_renderWindow->SetMultiSamples(0);
    for (auto event : {vtkCommand::WindowMakeCurrentEvent, vtkCommand::WindowIsCurrentEvent,
                       vtkCommand::WindowFrameEvent, vtkCommand::WindowSupportsOpenGLEvent,
                       vtkCommand::WindowIsDirectEvent, vtkCommand::CursorChangedEvent})
        m_renderWindow->AddObserver(event, this, &VtkView::onWindowEvent);

    // Interaction asks for a render through the interactor; turn that into a Qt repaint so
    // VTK only ever renders inside paintGL.
    m_interactor->SetRenderWindow(m_renderWindow);
    m_interactor->EnableRenderOff();
    m_interactor->AddObserver(vtkCommand::RenderEvent, this, &VtkView::onInteractorRender);
    m_interactor->Initialize();

    updateDeviceSize();
}

VtkView::~VtkView() {
    // ~QOpenGLWidget emits aboutToBeDestroyed after this destructor: the slot must be gone by then.
    disconnect(m_contextConnection);
    releaseContext();
    m_renderWindow->RemoveAllObservers();
    m_interactor->RemoveAllObservers();
    delete m_gl;  // before the render window it draws with
    m_gl = nullptr;
}

QSurfaceFormat VtkView::defaultFormat() {
    QSurfaceFormat format;
    format.setRenderableType(QSurfaceFormat::OpenGL);
    format.setVersion(3, 2);
    format.setProfile(QSurfaceFormat::CoreProfile);
    format.setRedBufferSize(8);
    format.setGreenBufferSize(8);
    format.setBlueBufferSize(8);
    format.setAlphaBufferSize(8);
    format.setDepthBufferSize(24);
    format.setStencilBufferSize(8);
    format.setSamples(0);
    format.setSwapBehavior(QSurfaceFormat::DoubleBuffer);
    return format;
}

vtkGenericOpenGLRenderWindow* VtkView::renderWindow() const { return m_renderWindow; }

vtkGenericRenderWindowInteractor* VtkView::interactor() const { return m_interactor; }

QOpenGLContext* VtkView::glContext() const { return m_gl ? m_gl->context() : nullptr; }

void VtkView::requestFrame() {
    if (m_gl) m_gl->update();
    else update();
}

QImage VtkView::grabFramebuffer() {
    if (m_gl) return m_gl->grabFramebuffer();
    const double dpr = devicePixelRatioF();
    QImage image(std::max(1, qRound(width() * dpr)), std::max(1, qRound(height() * dpr)), QImage::Format_RGB32);
    image.setDevicePixelRatio(dpr);
    QPainter painter(&image);
    paintCpu(painter);
    return image;
}

void VtkView::paintCpu(QPainter& painter) {
    painter.fillRect(QRectF(QPointF(0, 0), QSizeF(size())), palette().color(QPalette::Base));
}

void VtkView::paintCpuOnGl() {
    if (!m_gl) return;
    QPainter painter(m_gl);
    paintCpu(painter);
}

void VtkView::paintEvent(QPaintEvent*) {
    if (m_gl) return;  // the child draws
    QPainter painter(this);
    paintCpu(painter);
    painter.end();
    emit frameShown();
}

void VtkView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    if (m_gl) m_gl->setGeometry(rect());
    updateDeviceSize();
}

void VtkView::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::ScreenChangeInternal) updateDeviceSize();  // the pixel ratio may differ
}

bool VtkView::isSoftwareRenderer() const { return isSoftwareName(m_gl ? m_glRenderer : probedRenderer()); }

void VtkView::initializeGL() {
    // A widget moved to another top-level window gets a new context: start over on it.
    releaseContext();
    disconnect(m_contextConnection);
    m_contextConnection = connect(m_gl->context(), &QOpenGLContext::aboutToBeDestroyed, this,
                                  &VtkView::releaseContext, Qt::DirectConnection);

    QOpenGLFunctions* gl = m_gl->context()->functions();
    m_glRenderer = QStringLiteral("%1 (%2)").arg(
        QString::fromLatin1(reinterpret_cast<const char*>(gl->glGetString(GL_RENDERER))),
        QString::fromLatin1(reinterpret_cast<const char*>(gl->glGetString(GL_VERSION))));

    updateDeviceSize();
    m_renderWindow->SetForceMaximumHardwareLineWidth(1);
    m_renderWindow->SetReadyForRendering(true);
    m_renderWindow->SetMapped(1);
    m_renderWindow->InitializeFromCurrentContext();
    m_contextReady = true;
}

void VtkView::releaseContext() {
    if (!m_contextReady) return;
    m_gl->makeCurrent();
    m_renderWindow->Finalize();
    m_renderWindow->SetReadyForRendering(false);
    m_contextReady = false;
}

void VtkView::updateDeviceSize() {
    const double dpr = devicePixelRatioF();
    const int w = std::max(1, qRound(width() * dpr));
    const int h = std::max(1, qRound(height() * dpr));
    m_renderWindow->SetSize(w, h);
    m_interactor->UpdateSize(w, h);
    m_renderWindow->SetDPI(std::max(1, qRound(72.0 * dpr)));
    emit deviceSizeChanged();
}

void VtkView::paintGL() {
    if (!m_contextReady) return;
    const QScopedValueRollback<bool> inPaint(m_inPaint, true);

    vtkOpenGLState* state = m_renderWindow->GetState();
    // Qt changed GL state behind VTK's cache (and leaves GL_LESS, VTK expects GL_LEQUAL).
    state->Reset();
    state->Push();
    state->vtkglEnable(GL_DEPTH_TEST);
    state->vtkglDepthFunc(GL_LEQUAL);

    QElapsedTimer timer;
    timer.start();
    m_renderWindow->Render();
    setLastRenderMilliseconds(double(timer.nsecsElapsed()) / 1e6);

    // VTK rendered into its own display framebuffer; copy it into the widget's.
    const int* size = m_renderWindow->GetSize();
    const int w = size[0];
    const int h = size[1];
    state->PushDrawFramebufferBinding();
    state->vtkglBindFramebuffer(GL_DRAW_FRAMEBUFFER, m_gl->defaultFramebufferObject());
    state->vtkglViewport(0, 0, w, h);
    state->vtkglDisable(GL_SCISSOR_TEST);
    m_renderWindow->BlitDisplayFramebuffer(0, 0, 0, w, h, 0, 0, w, h, GL_COLOR_BUFFER_BIT, GL_NEAREST);
    {
        // VTK's background alpha is 0; an opaque widget needs 1 or the compositor shows through.
        vtkOpenGLState::ScopedglColorMask colorMask(state);
        vtkOpenGLState::ScopedglClearColor clearColor(state);
        state->vtkglColorMask(GL_FALSE, GL_FALSE, GL_FALSE, GL_TRUE);
        state->vtkglClearColor(0.0f, 0.0f, 0.0f, 1.0f);
        state->vtkglClear(GL_COLOR_BUFFER_BIT);
    }
    state->PopDrawFramebufferBinding();
    state->Pop();
}

void VtkView::onWindowEvent(vtkObject*, unsigned long eventId, void* callData) {
    QOpenGLContext* context = glContext();
    switch (eventId) {
        case vtkCommand::WindowMakeCurrentEvent:
            // QOpenGLWidget::makeCurrent() also rebinds the widget's framebuffer behind VTK's
            // state cache; VTK would then attach its textures to Qt's framebuffer. Only switch
            // contexts when another one is current.
            if (context && QOpenGLContext::currentContext() != context) m_gl->makeCurrent();
            break;
        case vtkCommand::WindowIsCurrentEvent:
            if (callData)
                *static_cast<bool*>(callData) = context != nullptr && QOpenGLContext::currentContext() == context;
            break;
        case vtkCommand::WindowFrameEvent:
            // A frame rendered outside paintGL (someone called Render()) must still reach the screen.
            if (!m_inPaint) requestFrame();
            break;
        case vtkCommand::WindowSupportsOpenGLEvent:
        case vtkCommand::WindowIsDirectEvent:
            if (callData) *static_cast<int*>(callData) = 1;
            break;
        case vtkCommand::CursorChangedEvent:
            if (callData) setCursor(qtCursor(*static_cast<int*>(callData)));
            break;
        default:
            break;
    }
}

void VtkView::onInteractorRender(vtkObject*, unsigned long, void*) { requestFrame(); }

void VtkView::forwardMouse(QMouseEvent* event, unsigned long vtkEvent, int repeat) {
    const double dpr = devicePixelRatioF();
    const QPointF p = event->position();
    const Qt::KeyboardModifiers mods = event->modifiers();
    m_interactor->SetAltKey(mods.testFlag(Qt::AltModifier) ? 1 : 0);
    m_interactor->SetEventInformationFlipY(qRound(p.x() * dpr), qRound(p.y() * dpr),
                                           mods.testFlag(Qt::ControlModifier) ? 1 : 0,
                                           mods.testFlag(Qt::ShiftModifier) ? 1 : 0, 0, repeat);
    m_interactor->InvokeEvent(vtkEvent, event);
    event->accept();
}

void VtkView::mousePressEvent(QMouseEvent* event) {
    switch (event->button()) {
        case Qt::LeftButton: forwardMouse(event, vtkCommand::LeftButtonPressEvent, 0); break;
        case Qt::MiddleButton: forwardMouse(event, vtkCommand::MiddleButtonPressEvent, 0); break;
        case Qt::RightButton: forwardMouse(event, vtkCommand::RightButtonPressEvent, 0); break;
        default: QWidget::mousePressEvent(event); break;
    }
}

void VtkView::mouseDoubleClickEvent(QMouseEvent* event) {
    switch (event->button()) {
        case Qt::LeftButton: forwardMouse(event, vtkCommand::LeftButtonPressEvent, 1); break;
        case Qt::MiddleButton: forwardMouse(event, vtkCommand::MiddleButtonPressEvent, 1); break;
        case Qt::RightButton: forwardMouse(event, vtkCommand::RightButtonPressEvent, 1); break;
        default: QWidget::mouseDoubleClickEvent(event); break;
    }
}

void VtkView::mouseReleaseEvent(QMouseEvent* event) {
    switch (event->button()) {
        case Qt::LeftButton: forwardMouse(event, vtkCommand::LeftButtonReleaseEvent, 0); break;
        case Qt::MiddleButton: forwardMouse(event, vtkCommand::MiddleButtonReleaseEvent, 0); break;
        case Qt::RightButton: forwardMouse(event, vtkCommand::RightButtonReleaseEvent, 0); break;
        default: QWidget::mouseReleaseEvent(event); break;
    }
}

void VtkView::mouseMoveEvent(QMouseEvent* event) {
    forwardMouse(event, vtkCommand::MouseMoveEvent, 0);
}

void VtkView::wheelEvent(QWheelEvent* event) {
    const double dpr = devicePixelRatioF();
    const QPointF p = event->position();
    const Qt::KeyboardModifiers mods = event->modifiers();
    m_interactor->SetEventInformationFlipY(qRound(p.x() * dpr), qRound(p.y() * dpr),
                                           mods.testFlag(Qt::ControlModifier) ? 1 : 0,
                                           mods.testFlag(Qt::ShiftModifier) ? 1 : 0);
    // Touchpads send small deltas: accumulate them into whole 120-unit wheel steps.
    m_wheelAccumulator += event->angleDelta().y();
    while (m_wheelAccumulator >= 120) {
        m_interactor->InvokeEvent(vtkCommand::MouseWheelForwardEvent, event);
        m_wheelAccumulator -= 120;
    }
    while (m_wheelAccumulator <= -120) {
        m_interactor->InvokeEvent(vtkCommand::MouseWheelBackwardEvent, event);
        m_wheelAccumulator += 120;
    }
    event->accept();
}

bool VtkView::forwardKey(QKeyEvent* event, unsigned long vtkEvent) {
    const QString text = event->text();
    const char ascii = text.size() == 1 && text.at(0).unicode() < 128 ? char(text.at(0).unicode()) : 0;
    if (isSwallowedKey(ascii)) return false;
    const char* symbol = keySymbol(event->key());
    const QByteArray textSymbol = text.toLatin1();
    const Qt::KeyboardModifiers mods = event->modifiers();
    m_interactor->SetAltKey(mods.testFlag(Qt::AltModifier) ? 1 : 0);
    m_interactor->SetKeyEventInformation(mods.testFlag(Qt::ControlModifier) ? 1 : 0,
                                         mods.testFlag(Qt::ShiftModifier) ? 1 : 0, ascii,
                                         event->count(),
                                         symbol ? symbol : (ascii ? textSymbol.constData() : nullptr));
    m_interactor->InvokeEvent(vtkEvent, event);
    if (vtkEvent == vtkCommand::KeyPressEvent && ascii) m_interactor->InvokeEvent(vtkCommand::CharEvent, event);
    return true;
}

void VtkView::keyPressEvent(QKeyEvent* event) {
    if (forwardKey(event, vtkCommand::KeyPressEvent)) event->accept();
    else QWidget::keyPressEvent(event);
}

void VtkView::keyReleaseEvent(QKeyEvent* event) {
    if (forwardKey(event, vtkCommand::KeyReleaseEvent)) event->accept();
    else QWidget::keyReleaseEvent(event);
}

void VtkView::enterEvent(QEnterEvent* event) {
    const double dpr = devicePixelRatioF();
    m_interactor->SetEventInformationFlipY(qRound(event->position().x() * dpr),
                                           qRound(event->position().y() * dpr));
    m_interactor->InvokeEvent(vtkCommand::EnterEvent, event);
    QWidget::enterEvent(event);
}

void VtkView::leaveEvent(QEvent* event) {
    m_interactor->InvokeEvent(vtkCommand::LeaveEvent, event);
    QWidget::leaveEvent(event);
}

}  // namespace latentscape::ui
