// MainWindow, sessions: the File menu's entries and what services/SessionService needs of the
// window — the view's settings and camera, its loader, a dialog for a moved dataset. Saving,
// reopening and the autosave are the service's.
#include "MainWindow.h"

#include "ReductionController.h"
#include "panels/DataPanel.h"
#include "panels/FileDialogs.h"
#include "panels/LegendWidget.h"
#include "panels/ReductionPanel.h"
#include "services/SessionService.h"
#include "session/Session.h"
#include "views/ViewGrid.h"
#include "vtk/ScatterView.h"

#include <QAction>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QSignalBlocker>
#include <QStatusBar>

#include <cmath>

#include <vtkCamera.h>
#include <vtkRenderer.h>

namespace latentscape::ui {
namespace {
const QString kSessionFilter = QObject::tr("Latentscape sessions (*.latentscape)");
}  // namespace

void MainWindow::createSessionActions(QMenu* fileMenu) {
    SessionService::Hooks hooks;
    hooks.captureView = [this] { return sessionView(); };
    hooks.restoreView = [this](const SessionView& view) { showSessionView(view); };
    hooks.locateDataset = [this](const QString& missing) {
        return m_locateDataset ? m_locateDataset(missing)
                               : QFileDialog::getOpenFileName(this, tr("Where is “%1” now?").arg(QFileInfo(missing).fileName()));
    };
    hooks.loadDataset = [this](DatasetSource source, const QString& dataPath, const data::LoadOptions& options,
                               std::shared_ptr<Session> session) {
        m_datasets->openForSession(std::move(source), dataPath, options, std::move(session));
    };
    hooks.busy = [this] { return m_reduction->isRunning() || isLoading(); };
    m_sessions = new SessionService(m_document, std::move(hooks), this);
    connect(m_sessions, &SessionService::statusMessage, statusBar(), &QStatusBar::showMessage);
    connect(m_sessions, &SessionService::failed, this, &MainWindow::showLoadError);
    connect(m_sessions, &SessionService::opened, this, &MainWindow::sessionOpened);
    connect(m_sessions, &SessionService::saved, this, &MainWindow::sessionSaved);

    QAction* save = fileMenu->addAction(tr("&Save Session…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save Session"), dialogStart(), kSessionFilter);
        if (path.isEmpty()) return;
        rememberFolder(path);
        saveSessionInBackground(path.endsWith(QLatin1String(".latentscape")) ? path : path + QStringLiteral(".latentscape"));
    });
    save->setObjectName(QStringLiteral("saveSessionAction"));
    save->setShortcut(QKeySequence::Save);
    QAction* open = fileMenu->addAction(tr("Open Sess&ion…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open Session"), lastFolder(), kSessionFilter);
        if (path.isEmpty()) return;
        rememberFolder(path);
        openSession(path);
    });
    open->setObjectName(QStringLiteral("openSessionAction"));
}

QString MainWindow::saveSession(const QString& path) { return m_sessions->save(path); }

void MainWindow::saveSessionInBackground(const QString& path) { m_sessions->saveInBackground(path); }

void MainWindow::openSession(const QString& path) { m_sessions->open(path); }

QString MainWindow::startCrashGuard(int intervalMs) { return m_sessions->startCrashGuard(intervalMs); }

QString MainWindow::autosavePath() const { return m_sessions->autosavePath(); }

void MainWindow::forgetRecovered(const QString& sessionPath) { SessionService::forgetRecovered(sessionPath); }

namespace {

SessionCamera readCamera(vtkCamera* camera) {
    SessionCamera c;
    camera->GetPosition(c.position.data());
    camera->GetFocalPoint(c.focalPoint.data());
    camera->GetViewUp(c.viewUp.data());
    c.parallelScale = camera->GetParallelScale();
    c.viewAngle = camera->GetViewAngle();
    c.parallel = camera->GetParallelProjection();
    camera->GetClippingRange(c.clippingRange.data());
    return c;
}

void applyCamera(const SessionCamera& c, ScatterView* view) {
    vtkCamera* camera = view->renderer()->GetActiveCamera();
    camera->SetPosition(c.position.data());
    camera->SetFocalPoint(c.focalPoint.data());
    camera->SetViewUp(c.viewUp.data());
    camera->SetParallelScale(c.parallelScale);
    camera->SetViewAngle(c.viewAngle);
    camera->SetParallelProjection(c.parallel);
    camera->SetClippingRange(c.clippingRange.data());
    view->requestFrame();
}

}  // namespace

SessionView MainWindow::sessionView() const {
    SessionView v;
    v.plotEmbedding = m_dataPanel->plotEmbedding();
    v.xFeature = m_dataPanel->xFeature();
    v.yFeature = m_dataPanel->yFeature();
    v.style = plotStyle();
    v.pointSize = m_scatterView->pointSize();
    v.opacity = m_scatterView->opacity();
    v.perspective = m_scatterView->perspective();
    v.size = m_scatterView->size();
    for (int pane = 1; pane < m_viewGrid->paneCount(); ++pane) {
        v.paneRuns.push_back(m_viewGrid->runOf(pane));
        v.paneCameras.push_back(readCamera(m_viewGrid->view(pane)->renderer()->GetActiveCamera()));
    }
    v.camera = readCamera(m_scatterView->renderer()->GetActiveCamera());
    return v;
}

void MainWindow::showSessionView(const SessionView& v) {
    for (ScatterView* view : m_viewGrid->views()) {
        view->setPointSize(v.pointSize);
        view->setOpacity(v.opacity);
        view->setDarkBackground(v.style.darkBackground);
        view->setPerspective(v.perspective);
    }
    m_dataPanel->setPointSize(v.pointSize);
    m_dimming = v.style.dimming;
    // The View and Select menus say what is shown (no signals: the values are set above).
    const auto check = [this](const QString& name, bool on) {
        if (auto* a = findChild<QAction*>(name)) {
            const QSignalBlocker block(a);
            a->setChecked(on);
        }
    };
    check(QStringLiteral("darkBackgroundAction"), v.style.darkBackground);
    check(QStringLiteral("perspectiveAction"), v.perspective);
    for (int percent : {100, 70, 40, 20}) check(QStringLiteral("opacity%1").arg(percent), std::abs(v.opacity * 100 - percent) < 0.5);
    for (int percent : {0, 50, 70, 80, 90}) check(QStringLiteral("fade%1").arg(percent), std::abs(m_dimming * 100 - percent) < 0.5);
    m_dataPanel->setPlottedFeatures(v.xFeature, v.yFeature);
    if (const auto run = m_document->currentRun()) {
        m_reductionPanel->setSpec(run->spec);  // its options, ready to re-run with changes
        m_dataPanel->setEmbeddingAvailable(run->name, v.plotEmbedding);
        if (v.plotEmbedding) showCurrentRun(true);
    }
    if (!v.plotEmbedding) updatePoints();
    m_dataPanel->setColorMap(v.style.colourMap);
    if (v.style.colourFeature >= 0) m_dataPanel->setColorFeature(v.style.colourFeature);
    else m_dataPanel->setColorColumn(v.style.colourColumn);  // -1: "None", one colour
    m_dataPanel->legend()->setHiddenCodes(v.style.hidden);
    updateVisibility();
    // The compare panes and the run each shows (none: the main view alone).
    m_viewGrid->setPaneCount(1 + int(v.paneRuns.size()));
    for (std::size_t i = 0; i < v.paneRuns.size(); ++i) m_viewGrid->setRun(int(i) + 1, v.paneRuns[i]);
    // The cameras last: drawing the points may have fitted them.
    if (v.paneCameras.size() == v.paneRuns.size())
        for (std::size_t i = 0; i < v.paneCameras.size(); ++i) applyCamera(v.paneCameras[i], m_viewGrid->view(int(i) + 1));
    applyCamera(v.camera, m_scatterView);
}

}  // namespace latentscape::ui
