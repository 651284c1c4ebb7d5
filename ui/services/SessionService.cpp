// Sessions: saving what the window shows into a `.latentscape` file, and reopening it exactly —
// the same rows (the dataset's SHA-256 is checked), the embeddings without recomputing them, the
// clusters and groups, the selection, the colours, the hidden classes and the camera; and the
// autosave that crash recovery offers.
#include "services/SessionService.h"

#include "common/error.h"
#include "data/load.h"
#include "jobs/ImageFolder.h"
#include "model/Document.h"
#include "session/SessionFigure.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QStandardPaths>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <map>

#include <algorithm>
#include <limits>
#include <set>

#include <signal.h>

namespace latentscape::ui {
namespace {

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

SessionRun sessionRunOf(const Run& run) {
    SessionRun r;
    r.name = run.name;
    r.method = run.spec.methodName();
    r.spec = run.spec.toJson();
    r.state = run.state == Run::State::Done ? QStringLiteral("done") : QStringLiteral("canceled");
    r.dims = run.dims;
    r.iterations = run.iterations;
    r.seconds = run.seconds;
    r.metrics = metricsToJson(run.metrics);
    r.embedding = *run.embedding;
    r.model = run.model;
    return r;
}

/// A session's dataset that is a folder of images (jobs/ImageFolder): read as it was, its hash
/// (names, sizes and contents of its images) and shape checked, the session's own columns added.
/// On the loader thread, which it lets cancel the reading and follow its progress.
std::shared_ptr<const data::Dataset> loadSessionImageFolder(const Session& session, const QString& folder,
                                                            const QString& sessionPath) {
    DatasetSourceDetails* details = currentDatasetSourceDetails();
    DetailedDatasetSource source = imageFolderSource(folder, session.datasetSha256, sessionPath);
    DatasetSourceDetails local;
    std::shared_ptr<const data::Dataset> read = source(details ? *details : local);
    if (!read) return nullptr;  // canceled
    auto ds = std::make_shared<data::Dataset>(*read);
    const std::string nativePath = QFile::encodeName(folder).toStdString();
    if (ds->n != session.rows || ds->d != session.features)
        throw LoadError(nativePath, "has a different shape than the session expects");
    for (const SessionColumn& c : session.columns) {
        std::vector<std::string> categories;
        for (const QString& name : c.categories) categories.push_back(name.toStdString());
        auto column = data::MetadataColumn::categorical(c.name.toStdString(), c.codes, std::move(categories));
        if (const auto at = ds->find_metadata(c.name.toStdString())) ds->metadata[*at] = std::move(column);
        else ds->metadata.push_back(std::move(column));
    }
    ds->check_consistent();
    return ds;
}

/// Crash marks of the windows alive in this process (their autosaves are not a crash's).
std::set<QString>& liveMarks() {
    static std::set<QString> marks;
    return marks;
}

QString autosaveFolder() { return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation); }

/// Writes `session` and turns a failure into its message ("" when written).
QString tryWrite(const Session& session, const QString& path) {
    try {
        writeSession(session, path);
    } catch (const SessionError& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

}  // namespace

SessionService::SessionService(Document* document, Hooks hooks, QObject* parent)
    : QObject(parent), m_document(document), m_hooks(std::move(hooks)) {}

SessionService::~SessionService() { m_autosaveJob.waitForFinished(); }

std::optional<Session> SessionService::capture(QString* error) const {
    const PreparedDataset& prepared = m_document->prepared();
    if (!prepared.dataset) {
        *error = tr("nothing to save: no dataset is open");
        return std::nullopt;
    }
    if (prepared.path.isEmpty() || prepared.sha256.isEmpty()) {
        *error = tr("“%1” was generated, not read from a file: save it (latentscape-cli generate) and open the file first")
                     .arg(prepared.displayName);
        return std::nullopt;
    }
    const data::Dataset& ds = *prepared.dataset;
    Session s;
    s.datasetPath = QFileInfo(prepared.path).absoluteFilePath();
    s.datasetSha256 = prepared.sha256;
    s.rows = ds.n;
    s.features = ds.d;
    s.loadOptions = m_document->loadOptions();  // roles and table layout too: the same columns reopen
    // Every run with an embedding, also one mid-run or paused (the autosave skips running views):
    // what is on screen is what reopens.
    std::map<int, int> indexOf;  // run id -> index in s.runs
    for (const auto& run : m_document->runs()) {
        if (!run->hasEmbedding()) continue;
        if (run->id == m_document->currentRunId()) s.currentRun = int(s.runs.size());
        indexOf[run->id] = int(s.runs.size());
        s.runs.push_back(sessionRunOf(*run));
    }
    for (const data::MetadataColumn& c : ds.metadata) {
        if (!isDerivedColumn(c.name) || c.kind != data::ColumnKind::Categorical) continue;
        SessionColumn col;
        col.name = QString::fromStdString(c.name);
        for (const std::string& name : c.categories) col.categories << QString::fromStdString(name);
        col.codes = c.codes;
        s.columns.push_back(std::move(col));
    }
    s.selection = m_document->selection().ids();

    const SessionView view = m_hooks.captureView();
    s.plotEmbedding = view.plotEmbedding && s.shownRun();
    s.xFeature = view.xFeature;
    s.yFeature = view.yFeature;
    const int column = view.style.colourColumn;
    s.colourColumn = column >= 0 && std::size_t(column) < ds.metadata.size() ? QString::fromStdString(ds.metadata[std::size_t(column)].name)
                                                                             : QString();
    s.colourFeature = view.style.colourFeature;
    s.colourMap = QString::number(int(view.style.colourMap));
    s.hidden = view.style.hidden;
    s.dimming = view.style.dimming;
    s.dark = view.style.darkBackground;
    s.pointSize = view.pointSize;
    s.opacity = view.opacity;
    s.perspective = view.perspective;
    s.viewSize = view.size;
    s.camera = view.camera;
    for (int id : view.paneRuns) {
        const auto at = indexOf.find(id);
        s.comparePanes.push_back(at == indexOf.end() ? -1 : at->second);
    }
    if (view.paneCameras.size() == view.paneRuns.size()) s.compareCameras = view.paneCameras;
    return s;
}

QString SessionService::save(const QString& path) {
    QString error;
    const std::optional<Session> s = capture(&error);
    if (!s) return error;
    if (QString failure = tryWrite(*s, path); !failure.isEmpty()) return failure;
    emit statusMessage(tr("Session saved to %1").arg(path), 5000);
    return {};
}

void SessionService::saveInBackground(const QString& path) {
    QString error;
    std::optional<Session> s = capture(&error);
    if (!s) {
        emit failed(QFileInfo(path).fileName(), error);
        return;
    }
    // The view is captured here; the file (and its sidecars) is written on a worker.
    if (!m_writers) m_writers = new QObject(this);
    auto* watcher = new QFutureWatcher<QString>(m_writers);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, path] {
        watcher->deleteLater();
        const QString failure = watcher->result();
        if (failure.isEmpty()) emit statusMessage(tr("Session saved to %1").arg(path), 5000);
        else emit failed(QFileInfo(path).fileName(), failure);
        emit saved(path, failure);
    });
    const QFuture<QString> future = QtConcurrent::run([session = std::move(*s), path] { return tryWrite(session, path); });
    m_writes.addFuture(future);
    watcher->setFuture(future);
}

void SessionService::open(const QString& path) {
    // Read on a worker (a million-row session is a large JSON file), then, back here, find the
    // dataset (asking if it moved) and have it loaded on the loader thread.
    m_openingPath = path;
    m_read.start([path](const CancelToken&) { return std::make_shared<Session>(readSession(path)); },
                 [this, path](std::shared_ptr<Session> session) { continueOpening(std::move(session), path); },
                 [this, path](const QString& error) { emit failed(QFileInfo(path).fileName(), error); });
}

void SessionService::cancelOpening() { m_read.cancel(); }

void SessionService::continueOpening(std::shared_ptr<Session> session, const QString& path) {
    // A dataset that moved: ask where it is now (the hash tells whether it is the same file).
    QString dataPath = session->datasetPath;
    if (!QFileInfo::exists(dataPath)) {
        dataPath = m_hooks.locateDataset(dataPath);
        if (dataPath.isEmpty()) {
            emit failed(QFileInfo(path).fileName(),
                        tr("%1: its dataset %2 is missing, and no other file was chosen").arg(path, session->datasetPath));
            return;
        }
    }
    DatasetSource source = [session, dataPath, path]() -> std::shared_ptr<const data::Dataset> {
        return loadSessionDataset(*session, dataPath, path);
    };
    // A folder of images: hashed over its images' names, sizes and contents, not as one file. (A
    // folder of .npy shards loads as a file does: data::load, datasetSha256.)
    if (QFileInfo(dataPath).isDir() && !data::is_shard_folder(QFile::encodeName(dataPath).toStdString()))
        source = [session, dataPath, path] { return loadSessionImageFolder(*session, dataPath, path); };
    const data::LoadOptions options = session->loadOptions;  // what loadSessionDataset uses
    m_hooks.loadDataset(std::move(source), dataPath, options, std::move(session));
}

void SessionService::apply(const Session& s) {
    const std::shared_ptr<const data::Dataset> dataset = m_document->dataset();
    if (!dataset || dataset->n != s.rows) return;
    // The runs, as they were: options, embeddings, networks (the Decoder works again), metrics.
    int current = -1;
    std::vector<int> ids;  // the document's id of each session run
    for (std::size_t i = 0; i < s.runs.size(); ++i) {
        const SessionRun& r = s.runs[i];
        Run run;
        run.name = r.name;
        try {
            run.spec = RunSpec::fromJson(r.spec);
        } catch (const std::exception& e) {
            // Options this version does not know: keep the run, at the panel's defaults.
            emit statusMessage(tr("Run “%1”: %2").arg(r.name, QString::fromUtf8(e.what())), 10000);
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
        ids.push_back(id);
    }
    m_document->setCurrentRun(current);

    // The view: the same colouring rules as the headless render of this session.
    SessionView view;
    view.plotEmbedding = s.plotEmbedding;
    view.xFeature = s.xFeature;
    view.yFeature = s.yFeature;
    view.style = sessionPlotStyle(s, *dataset);
    view.pointSize = s.pointSize;
    view.opacity = s.opacity;
    view.perspective = s.perspective;
    view.size = s.viewSize;
    view.camera = s.camera;
    for (int i : s.comparePanes) view.paneRuns.push_back(i >= 0 && std::size_t(i) < ids.size() ? ids[std::size_t(i)] : -1);
    view.paneCameras = s.compareCameras;
    m_hooks.restoreView(view);

    // A reopened session starts at its selection, with nothing to undo.
    m_document->resetSelection(select::Selection::from_ids(s.selection, s.rows));
    emit statusMessage(tr("Session opened: %1").arg(m_openingPath), 5000);
    emit opened(m_openingPath);
}

QString SessionService::autosavePath() const {
    return m_autosaveBase.isEmpty() ? QString() : m_autosaveBase + QStringLiteral(".latentscape");
}

QString SessionService::startCrashGuard(int intervalMs) {
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
        connect(m_autosaveTimer, &QTimer::timeout, this, &SessionService::autosave);
    }
    m_autosaveTimer->start(std::max(intervalMs, 10));
    return recoverable;
}

void SessionService::forgetRecovered(const QString& sessionPath) {
    removeSession(sessionPath);
    QString base = sessionPath;
    base.chop(int(QStringLiteral(".latentscape").size()));
    QFile::remove(base + QStringLiteral(".running"));
}

void SessionService::endCrashGuard(bool closedNormally) {
    if (!m_crashGuard) return;
    m_crashGuard = false;
    if (m_autosaveTimer) m_autosaveTimer->stop();
    m_autosaveJob.waitForFinished();  // no worker outlives the window
    liveMarks().erase(m_autosaveBase);
    if (closedNormally) forgetRecovered(autosavePath());  // a normal end: nothing to recover
}

void SessionService::autosave() {
    // Only a view worth restoring, and never a half-finished run (its embedding is in flux).
    if (!m_document->dataset() || m_document->prepared().sha256.isEmpty() || (m_hooks.busy && m_hooks.busy())) return;
    if (m_autosaveJob.isRunning()) return;  // the last one is still being written
    QString error;
    std::optional<Session> s = capture(&error);
    if (!s) return;
    // Written on a worker: at a million rows the file takes a few hundred milliseconds. A failure
    // waits for the next autosave; a manual save reports its errors.
    m_autosaveJob = QtConcurrent::run([session = std::move(*s), path = autosavePath()] { tryWrite(session, path); });
}

}  // namespace latentscape::ui
