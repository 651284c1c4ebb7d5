#include "vtk/VtkOpenGLWidget.h"

#include <QElapsedTimer>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QOpenGLContext>
#include <QOpenGLFunctions>
#include <QScopedValueRollback>
#include <QWheelEvent>

#include <vtkCommand.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkGenericRenderWindowInteractor.h>
#include <vtkOpenGLState.h>

#include <algorithm>

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

}  // namespace

VtkOpenGLWidget::VtkOpenGLWidget(QWidget* parent) : QOpenGLWidget(parent) {
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setUpdateBehavior(QOpenGLWidget::NoPartialUpdate);

    // Nothing may render before initializeGL has handed VTK a current context.
    m_renderWindow->SetReadyForRendering(false);
    m_renderWindow->SetFrameBlitModeToNoBlit();
    m_renderWindow->SetMultiSamples(0);
    for (auto event : {vtkCommand::WindowMakeCurrentEvent, vtkCommand::WindowIsCurrentEvent,
                       vtkCommand::WindowFrameEvent, vtkCommand::WindowSupportsOpenGLEvent,
                       vtkCommand::WindowIsDirectEvent, vtkCommand::CursorChangedEvent})
        m_renderWindow->AddObserver(event, this, &VtkOpenGLWidget::onWindowEvent);

    // Interaction asks for a render through the interactor; turn that into a Qt repaint so
    // VTK only ever renders inside paintGL.
    m_interactor->SetRenderWindow(m_renderWindow);
    m_interactor->EnableRenderOff();
    m_interactor->AddObserver(vtkCommand::RenderEvent, this, &VtkOpenGLWidget::onInteractorRender);
    m_interactor->Initialize();

    connect(this, &QOpenGLWidget::resized, this, &VtkOpenGLWidget::updateDeviceSize);
}

VtkOpenGLWidget::~VtkOpenGLWidget() {
    // ~QOpenGLWidget emits aboutToBeDestroyed after this destructor: the slot must be gone by then.
    disconnect(m_contextConnection);
    releaseContext();
    m_renderWindow->RemoveAllObservers();
    m_interactor->RemoveAllObservers();
}

QSurfaceFormat VtkOpenGLWidget::defaultFormat() {
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

vtkGenericOpenGLRenderWindow* VtkOpenGLWidget::renderWindow() const { return m_renderWindow; }

vtkGenericRenderWindowInteractor* VtkOpenGLWidget::interactor() const { return m_interactor; }

bool VtkOpenGLWidget::isSoftwareRenderer() const {
    for (const char* name : {"llvmpipe", "softpipe", "swrast", "Software Rasterizer"})
        if (m_glRenderer.contains(QLatin1String(name), Qt::CaseInsensitive)) return true;
    return false;
}

void VtkOpenGLWidget::initializeGL() {
    // A widget moved to another top-level window gets a new context: start over on it.
    releaseContext();
    disconnect(m_contextConnection);
    m_contextConnection = connect(context(), &QOpenGLContext::aboutToBeDestroyed, this,
                                  &VtkOpenGLWidget::releaseContext, Qt::DirectConnection);

    QOpenGLFunctions* gl = context()->functions();
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

void VtkOpenGLWidget::releaseContext() {
    if (!m_contextReady) return;
    makeCurrent();
    m_renderWindow->Finalize();
    m_renderWindow->SetReadyForRendering(false);
    m_contextReady = false;
}

void VtkOpenGLWidget::updateDeviceSize() {
    const double dpr = devicePixelRatioF();
    const int w = std::max(1, qRound(width() * dpr));
    const int h = std::max(1, qRound(height() * dpr));
    m_renderWindow->SetSize(w, h);
    m_interactor->UpdateSize(w, h);
    m_renderWindow->SetDPI(std::max(1, qRound(72.0 * dpr)));
    emit deviceSizeChanged();
}

void VtkOpenGLWidget::paintGL() {
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
    state->vtkglBindFramebuffer(GL_DRAW_FRAMEBUFFER, defaultFramebufferObject());
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

void VtkOpenGLWidget::onWindowEvent(vtkObject*, unsigned long eventId, void* callData) {
    switch (eventId) {
        case vtkCommand::WindowMakeCurrentEvent:
            // QOpenGLWidget::makeCurrent() also rebinds the widget's framebuffer behind VTK's
            // state cache; VTK would then attach its textures to Qt's framebuffer. Only switch
            // contexts when another one is current.
            if (context() && QOpenGLContext::currentContext() != context()) makeCurrent();
            break;
        case vtkCommand::WindowIsCurrentEvent:
            if (callData)
                *static_cast<bool*>(callData) =
                    context() != nullptr && QOpenGLContext::currentContext() == context();
            break;
        case vtkCommand::WindowFrameEvent:
            // A frame rendered outside paintGL (someone called Render()) must still reach the screen.
            if (!m_inPaint) update();
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

void VtkOpenGLWidget::onInteractorRender(vtkObject*, unsigned long, void*) { update(); }

void VtkOpenGLWidget::forwardMouse(QMouseEvent* event, unsigned long vtkEvent, int repeat) {
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

void VtkOpenGLWidget::mousePressEvent(QMouseEvent* event) {
    switch (event->button()) {
        case Qt::LeftButton: forwardMouse(event, vtkCommand::LeftButtonPressEvent, 0); break;
        case Qt::MiddleButton: forwardMouse(event, vtkCommand::MiddleButtonPressEvent, 0); break;
        case Qt::RightButton: forwardMouse(event, vtkCommand::RightButtonPressEvent, 0); break;
        default: QOpenGLWidget::mousePressEvent(event); break;
    }
}

void VtkOpenGLWidget::mouseDoubleClickEvent(QMouseEvent* event) {
    switch (event->button()) {
        case Qt::LeftButton: forwardMouse(event, vtkCommand::LeftButtonPressEvent, 1); break;
        case Qt::MiddleButton: forwardMouse(event, vtkCommand::MiddleButtonPressEvent, 1); break;
        case Qt::RightButton: forwardMouse(event, vtkCommand::RightButtonPressEvent, 1); break;
        default: QOpenGLWidget::mouseDoubleClickEvent(event); break;
    }
}

void VtkOpenGLWidget::mouseReleaseEvent(QMouseEvent* event) {
    switch (event->button()) {
        case Qt::LeftButton: forwardMouse(event, vtkCommand::LeftButtonReleaseEvent, 0); break;
        case Qt::MiddleButton: forwardMouse(event, vtkCommand::MiddleButtonReleaseEvent, 0); break;
        case Qt::RightButton: forwardMouse(event, vtkCommand::RightButtonReleaseEvent, 0); break;
        default: QOpenGLWidget::mouseReleaseEvent(event); break;
    }
}

void VtkOpenGLWidget::mouseMoveEvent(QMouseEvent* event) {
    forwardMouse(event, vtkCommand::MouseMoveEvent, 0);
}

void VtkOpenGLWidget::wheelEvent(QWheelEvent* event) {
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

bool VtkOpenGLWidget::forwardKey(QKeyEvent* event, unsigned long vtkEvent) {
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

void VtkOpenGLWidget::keyPressEvent(QKeyEvent* event) {
    if (forwardKey(event, vtkCommand::KeyPressEvent)) event->accept();
    else QOpenGLWidget::keyPressEvent(event);
}

void VtkOpenGLWidget::keyReleaseEvent(QKeyEvent* event) {
    if (forwardKey(event, vtkCommand::KeyReleaseEvent)) event->accept();
    else QOpenGLWidget::keyReleaseEvent(event);
}

void VtkOpenGLWidget::enterEvent(QEnterEvent* event) {
    const double dpr = devicePixelRatioF();
    m_interactor->SetEventInformationFlipY(qRound(event->position().x() * dpr),
                                           qRound(event->position().y() * dpr));
    m_interactor->InvokeEvent(vtkCommand::EnterEvent, event);
    QOpenGLWidget::enterEvent(event);
}

void VtkOpenGLWidget::leaveEvent(QEvent* event) {
    m_interactor->InvokeEvent(vtkCommand::LeaveEvent, event);
    QOpenGLWidget::leaveEvent(event);
}

}  // namespace latentscape::ui
