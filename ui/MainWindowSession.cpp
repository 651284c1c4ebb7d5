// Sessions: saving what the window shows into a `.latentscape` file, and reopening it exactly —
// the same rows (the dataset's SHA-256 is checked), the embedding without recomputing it, the
// clusters and groups, the selection, the colours, the hidden classes and the camera.
#include "MainWindow.h"

#include "ReductionController.h"
#include "common/error.h"
#include "panels/DataPanel.h"
#include "panels/LegendWidget.h"
#include "panels/ReductionPanel.h"
#include "session/Session.h"
#include "session/SessionFigure.h"
#include "views/ViewGrid.h"
#include "vtk/ScatterView.h"

#include <QAction>
#include <QCoreApplication>
#include <QDir>
#include <QStandardPaths>
#include <QDateTime>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <limits>
#include <set>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QSignalBlocker>
#include <QStatusBar>

#include <signal.h>

#include <vtkCamera.h>
#include <vtkRenderer.h>

namespace latentscape::ui {
namespace {

const QString kSessionFilter = QObject::tr("Latentscape sessions (*.latentscape)");

/// The columns a session carries itself: those made in the app, not read from the file.
bool isDerivedColumn(const std::string& name) { return name == "cluster" || name == "groups"; }

QJsonObject metricsToJson(const std::optional<EmbeddingMetrics>& m) {
    if (!m) return {};
    QJsonObject o{{QStringLiteral("k"), m->k},
                  {QStringLiteral("trustworthiness"), m->trustworthiness.value},
                  {QStringLiteral("continuity"), m->continuity.value},
                  {QStringLiteral("knn_recall"), m->knnRecall.value},
                  {QStringLiteral("sampled"), m->trustworthiness.sampled},
                  {QStringLiteral("sample_size"), double(m->trustworthiness.sample_size)},
                  {QStringLiteral("label"), m->label},
                  {QStringLiteral("seconds"), m->seconds}};
    if (m->knnAccuracy) o.insert(QStringLiteral("knn_accuracy"), m->knnAccuracy->value);
    if (m->silhouette) o.insert(QStringLiteral("silhouette"), *m->silhouette);
    return o;
}

std::optional<EmbeddingMetrics> metricsFromJson(const QJsonObject& o) {
    if (o.isEmpty() || !o.value(QStringLiteral("trustworthiness")).isDouble()) return std::nullopt;
    EmbeddingMetrics m;
    m.k = o.value(QStringLiteral("k")).toInt(10);
    const bool sampled = o.value(QStringLiteral("sampled")).toBool();
    const auto size = std::int64_t(o.value(QStringLiteral("sample_size")).toDouble());
    const auto estimate = [&](const char* key) {
        metrics::Estimate e;
        e.value = o.value(QLatin1String(key)).toDouble();
        e.sampled = sampled;
        e.sample_size = size;
        return e;
    };
    m.trustworthiness = estimate("trustworthiness");
    m.continuity = estimate("continuity");
    m.knnRecall = estimate("knn_recall");
    if (o.value(QStringLiteral("knn_accuracy")).isDouble()) m.knnAccuracy = estimate("knn_accuracy");
    if (o.value(QStringLiteral("silhouette")).isDouble()) m.silhouette = o.value(QStringLiteral("silhouette")).toDouble();
    m.label = o.value(QStringLiteral("label")).toString();
    m.seconds = o.value(QStringLiteral("seconds")).toDouble();
    return m;
}

}  // namespace

void MainWindow::createSessionActions(QMenu* fileMenu) {
    QAction* save = fileMenu->addAction(tr("&Save Session…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save Session"), {}, kSessionFilter);
        if (path.isEmpty()) return;
        saveSessionInBackground(path.endsWith(QLatin1String(".latentscape")) ? path : path + QStringLiteral(".latentscape"));
    });
    save->setObjectName(QStringLiteral("saveSessionAction"));
    save->setShortcut(QKeySequence::Save);
    QAction* open = fileMenu->addAction(tr("Open Sess&ion…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open Session"), {}, kSessionFilter);
        if (!path.isEmpty()) openSession(path);
    });
    open->setObjectName(QStringLiteral("openSessionAction"));
}

QString MainWindow::saveSession(const QString& path) {
    QString error;
    const std::optional<Session> s = captureSession(&error);
    if (!s) return error;
    try {
        writeSession(*s, path);
    } catch (const SessionError& e) {
        return QString::fromUtf8(e.what());
    }
    statusBar()->showMessage(tr("Session saved to %1").arg(path), 5000);
    return {};
}

void MainWindow::saveSessionInBackground(const QString& path) {
    QString error;
    std::optional<Session> s = captureSession(&error);
    if (!s) {
        showLoadError(QFileInfo(path).fileName(), error);
        return;
    }
    // The view is captured here; the file (and its sidecar) is written on a worker.
    if (!m_sessionWriters) m_sessionWriters = new QObject(this);
    auto* watcher = new QFutureWatcher<QString>(m_sessionWriters);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, path] {
        watcher->deleteLater();
        const QString failure = watcher->result();
        if (failure.isEmpty()) statusBar()->showMessage(tr("Session saved to %1").arg(path), 5000);
        else showLoadError(QFileInfo(path).fileName(), failure);
        emit sessionSaved(path, failure);
    });
    const QFuture<QString> future = QtConcurrent::run([session = std::move(*s), path] {
        try {
            writeSession(session, path);
        } catch (const SessionError& e) {
            return QString::fromUtf8(e.what());
        }
        return QString();
    });
    m_sessionWrites.addFuture(future);
    watcher->setFuture(future);
}

std::optional<Session> MainWindow::captureSession(QString* error) const {
    if (!prepared().dataset) {
        *error = tr("nothing to save: no dataset is open");
        return std::nullopt;
    }
    if (prepared().path.isEmpty() || prepared().sha256.isEmpty()) {
        *error = tr("“%1” was generated, not read from a file: save it (latentscape-cli generate) and open the file first")
                     .arg(prepared().displayName);
        return std::nullopt;
    }
    const data::Dataset& ds = *prepared().dataset;
    Session s;
    s.datasetPath = QFileInfo(prepared().path).absoluteFilePath();
    s.datasetSha256 = prepared().sha256;
    s.rows = ds.n;
    s.features = ds.d;
    s.missingPolicy = int(m_loadOptions.missing);
    // Every run with an embedding, also one mid-run or paused (the autosave skips running views):
    // what is on screen is what reopens.
    for (const auto& run : m_document->runs()) {
        if (!run->hasEmbedding()) continue;
        SessionRun r;
        r.name = run->name;
        r.method = run->spec.methodName();
        r.spec = run->spec.toJson();
        r.state = run->state == Run::State::Done ? QStringLiteral("done") : QStringLiteral("canceled");
        r.dims = run->dims;
        r.iterations = run->iterations;
        r.seconds = run->seconds;
        r.metrics = metricsToJson(run->metrics);
        r.embedding = *run->embedding;
        r.model = run->model;
        if (run->id == m_document->currentRunId()) s.currentRun = int(s.runs.size());
        s.runs.push_back(std::move(r));
    }
    for (const data::MetadataColumn& c : ds.metadata) {
        if (!isDerivedColumn(c.name) || c.kind != data::ColumnKind::Categorical) continue;
        SessionColumn col;
        col.name = QString::fromStdString(c.name);
        for (const std::string& name : c.categories) col.categories << QString::fromStdString(name);
        col.codes = c.codes;
        s.columns.push_back(std::move(col));
    }
    s.selection = selection().ids();
    s.plotEmbedding = m_dataPanel->plotEmbedding() && s.shownRun();
    s.xFeature = m_dataPanel->xFeature();
    s.yFeature = m_dataPanel->yFeature();
    const int column = m_dataPanel->colorColumn();
    s.colourColumn = column >= 0 && std::size_t(column) < ds.metadata.size() ? QString::fromStdString(ds.metadata[std::size_t(column)].name)
                                                                             : QString();
    s.colourFeature = m_dataPanel->colorFeature();
    s.colourMap = QString::number(int(m_dataPanel->colorMap()));
    s.hidden = m_dataPanel->legend()->hiddenCodes();
    s.dimming = m_dimming;
    s.dark = m_scatterView->darkBackground();
    s.pointSize = m_scatterView->pointSize();
    s.opacity = m_scatterView->opacity();
    s.perspective = m_scatterView->perspective();
    s.viewSize = m_scatterView->size();
    vtkCamera* camera = m_scatterView->renderer()->GetActiveCamera();
    camera->GetPosition(s.camera.position.data());
    camera->GetFocalPoint(s.camera.focalPoint.data());
    camera->GetViewUp(s.camera.viewUp.data());
    s.camera.parallelScale = camera->GetParallelScale();
    s.camera.viewAngle = camera->GetViewAngle();
    s.camera.parallel = camera->GetParallelProjection();
    camera->GetClippingRange(s.camera.clippingRange.data());
    return s;
}

namespace {
struct SessionRead {
    std::shared_ptr<Session> session;
    QString error;
};
}  // namespace

void MainWindow::openSession(const QString& path) {
    // Read on a worker (a million-row session is a large JSON file), then, back here, find the
    // dataset (asking if it moved) and load it on the loader thread. A newer open or load wins.
    m_sessionPath = path;
    const int request = ++m_sessionRequest;
    auto* watcher = new QFutureWatcher<SessionRead>(this);
    connect(watcher, &QFutureWatcher<SessionRead>::finished, this, [this, watcher, request, path] {
        watcher->deleteLater();
        if (watcher->isCanceled() || request != m_sessionRequest || watcher->future().resultCount() == 0) return;
        const SessionRead read = watcher->result();
        if (!read.session) {
            showLoadError(QFileInfo(path).fileName(), read.error);
            return;
        }
        continueOpeningSession(read.session, path);
    });
    watcher->setFuture(QtConcurrent::run([path] {
        SessionRead r;
        try {
            r.session = std::make_shared<Session>(readSession(path));
        } catch (const std::exception& e) {
            r.error = QString::fromUtf8(e.what());
        }
        return r;
    }));
}

void MainWindow::continueOpeningSession(std::shared_ptr<Session> session, const QString& path) {
    // A dataset that moved: ask where it is now (the hash tells whether it is the same file).
    QString dataPath = session->datasetPath;
    if (!QFileInfo::exists(dataPath)) {
        dataPath = m_locateDataset ? m_locateDataset(dataPath)
                                   : QFileDialog::getOpenFileName(this, tr("Where is “%1” now?").arg(QFileInfo(dataPath).fileName()));
        if (dataPath.isEmpty()) {
            showLoadError(QFileInfo(path).fileName(),
                          tr("%1: its dataset %2 is missing, and no other file was chosen").arg(path, session->datasetPath));
            return;
        }
    }
    DatasetSource source = [session, dataPath, path]() -> std::shared_ptr<const data::Dataset> {
        return loadSessionDataset(*session, dataPath, path);
    };
    data::LoadOptions options;
    options.missing = data::MissingPolicy(session->missingPolicy);  // what loadSessionDataset uses
    JobContext context{QFileInfo(dataPath).fileName(), dataPath, options, false};
    context.session = session;
    startJob(std::move(source), std::move(context));
}

void MainWindow::applySession(const Session& s) {
    if (!prepared().dataset || prepared().dataset->n != s.rows) return;
    const data::Dataset& ds = *prepared().dataset;
    for (ScatterView* v : m_viewGrid->views()) v->setPointSize(s.pointSize);
    m_dataPanel->setPointSize(s.pointSize);
    for (ScatterView* v : m_viewGrid->views()) v->setOpacity(s.opacity);
    for (ScatterView* v : m_viewGrid->views()) v->setDarkBackground(s.dark);
    for (ScatterView* v : m_viewGrid->views()) v->setPerspective(s.perspective);
    m_dimming = std::clamp(s.dimming, 0.0, 0.95);
    // The View and Select menus say what is shown (no signals: the values are set above).
    const auto check = [this](const QString& name, bool on) {
        if (auto* a = findChild<QAction*>(name)) {
            const QSignalBlocker block(a);
            a->setChecked(on);
        }
    };
    check(QStringLiteral("darkBackgroundAction"), s.dark);
    check(QStringLiteral("perspectiveAction"), s.perspective);
    for (int percent : {100, 70, 40, 20}) check(QStringLiteral("opacity%1").arg(percent), std::abs(s.opacity * 100 - percent) < 0.5);
    for (int percent : {0, 50, 70, 80, 90}) check(QStringLiteral("fade%1").arg(percent), std::abs(m_dimming * 100 - percent) < 0.5);
    m_dataPanel->setPlottedFeatures(s.xFeature, s.yFeature);
    // The runs, as they were: options, embeddings, networks (the Decoder works again), metrics.
    int current = -1;
    for (std::size_t i = 0; i < s.runs.size(); ++i) {
        const SessionRun& r = s.runs[i];
        Run run;
        run.name = r.name;
        try {
            run.spec = RunSpec::fromJson(r.spec);
        } catch (const std::exception& e) {
            // Options this version does not know: keep the run, at the panel's defaults.
            statusBar()->showMessage(tr("Run “%1”: %2").arg(r.name, QString::fromUtf8(e.what())), 10000);
            run.spec.dims = r.dims;
        }
        run.state = r.state == QLatin1String("done") ? Run::State::Done : Run::State::Canceled;
        run.embedding = std::make_shared<const std::vector<float>>(r.embedding);
        run.dims = r.dims;
        run.iterations = r.iterations;
        run.seconds = r.seconds;
        run.cost = std::numeric_limits<double>::quiet_NaN();
        run.model = r.model;
        run.metrics = metricsFromJson(r.metrics);
        const int id = m_document->addRun(std::move(run));
        if (int(i) == s.currentRun) current = id;
    }
    m_document->setCurrentRun(current);
    if (const auto run = m_document->currentRun()) {
        m_reductionPanel->setSpec(run->spec);  // its options, ready to re-run with changes
        m_dataPanel->setEmbeddingAvailable(run->name, s.plotEmbedding);
        if (s.plotEmbedding) showCurrentRun(true);
    }
    if (!s.plotEmbedding) updatePoints();
    m_dataPanel->setColorMap(ContinuousMap(std::clamp(s.colourMap.toInt(), 0, 2)));
    if (s.colourFeature >= 0) m_dataPanel->setColorFeature(s.colourFeature);
    else if (const auto column = ds.find_metadata(s.colourColumn.toStdString())) m_dataPanel->setColorColumn(int(*column));
    else m_dataPanel->setColorColumn(-1);  // "None": one colour
    m_dataPanel->legend()->setHiddenCodes(s.hidden);
    updateVisibility();
    // A reopened session starts at its selection, with nothing to undo.
    m_document->resetSelection(select::Selection::from_ids(s.selection, s.rows));
    // The camera last: drawing the points may have fitted it.
    vtkCamera* camera = m_scatterView->renderer()->GetActiveCamera();
    camera->SetPosition(s.camera.position.data());
    camera->SetFocalPoint(s.camera.focalPoint.data());
    camera->SetViewUp(s.camera.viewUp.data());
    camera->SetParallelScale(s.camera.parallelScale);
    camera->SetViewAngle(s.camera.viewAngle);
    camera->SetParallelProjection(s.camera.parallel);
    camera->SetClippingRange(s.camera.clippingRange.data());
    m_scatterView->update();
    statusBar()->showMessage(tr("Session opened: %1").arg(m_sessionPath), 5000);
    emit sessionOpened(m_sessionPath);
}

namespace {
/// Crash marks of the windows alive in this process (their autosaves are not a crash's).
std::set<QString>& liveMarks() {
    static std::set<QString> marks;
    return marks;
}
QString autosaveFolder() { return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation); }
}  // namespace

QString MainWindow::autosavePath() const {
    return m_autosaveBase.isEmpty() ? QString() : m_autosaveBase + QStringLiteral(".latentscape");
}

QString MainWindow::startCrashGuard(int intervalMs) {
    // One autosave and one mark per window ("autosave-<pid>-<n>"), so that instances never
    // overwrite or delete each other's. A mark whose process is gone, or whose window in this
    // process is gone without closing, is a crash: the newest such autosave is offered.
    const QDir folder(autosaveFolder());
    QDir().mkpath(folder.path());
    const qint64 self = QCoreApplication::applicationPid();
    QString recoverable;
    QDateTime newest;
    for (const QFileInfo& mark : folder.entryInfoList({QStringLiteral("autosave-*.running")}, QDir::Files)) {
        const QString base = folder.filePath(mark.completeBaseName());
        if (liveMarks().count(base)) continue;
        const qint64 pid = mark.completeBaseName().section(QLatin1Char('-'), 1, 1).toLongLong();
        if (pid > 0 && pid != self && ::kill(pid_t(pid), 0) == 0) continue;  // another instance, still running
        const QString session = base + QStringLiteral(".latentscape");
        if (!QFileInfo::exists(session)) {
            QFile::remove(mark.filePath());  // it crashed before its first autosave: nothing to offer
            continue;
        }
        if (recoverable.isEmpty() || QFileInfo(session).lastModified() > newest) {
            recoverable = session;
            newest = QFileInfo(session).lastModified();
        }
    }
    static int windows = 0;
    m_autosaveBase = folder.filePath(QStringLiteral("autosave-%1-%2").arg(self).arg(++windows));
    QFile mark(m_autosaveBase + QStringLiteral(".running"));
    if (mark.open(QIODevice::WriteOnly | QIODevice::Truncate)) mark.write(QByteArray::number(self));
    liveMarks().insert(m_autosaveBase);
    m_crashGuard = true;
    if (!m_autosaveTimer) {
        m_autosaveTimer = new QTimer(this);
        connect(m_autosaveTimer, &QTimer::timeout, this, &MainWindow::autosave);
    }
    m_autosaveTimer->start(std::max(intervalMs, 10));
    return recoverable;
}

void MainWindow::forgetRecovered(const QString& sessionPath) {
    removeSession(sessionPath);
    QString base = sessionPath;
    base.chop(int(QStringLiteral(".latentscape").size()));
    QFile::remove(base + QStringLiteral(".running"));
}

void MainWindow::endCrashGuard(bool closedNormally) {
    if (!m_crashGuard) return;
    m_crashGuard = false;
    if (m_autosaveTimer) m_autosaveTimer->stop();
    m_autosaveJob.waitForFinished();  // no worker outlives the window
    liveMarks().erase(m_autosaveBase);
    if (closedNormally) forgetRecovered(autosavePath());  // a normal end: nothing to recover
}

void MainWindow::autosave() {
    // Only a view worth restoring, and never a half-finished run (its embedding is in flux).
    if (!prepared().dataset || prepared().sha256.isEmpty() || m_reduction->isRunning() || isLoading()) return;
    if (m_autosaveJob.isRunning()) return;  // the last one is still being written
    QString error;
    std::optional<Session> s = captureSession(&error);
    if (!s) return;
    // Written on a worker: at a million rows the file takes a few hundred milliseconds.
    m_autosaveJob = QtConcurrent::run([session = std::move(*s), path = autosavePath()] {
        try {
            writeSession(session, path);
        } catch (const SessionError&) {
            // The next autosave tries again; a manual save reports its errors.
        }
    });
}

}  // namespace latentscape::ui
