// Dataset loading: one loader thread, the newest request wins, the result goes into the Document.
#include "services/DatasetService.h"

#include "data/synthetic.h"
#include "model/Document.h"
#include "session/Session.h"

#include <QDir>
#include <QFile>
#include <QObject>
#include <QFileInfo>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <limits>

namespace latentscape::ui {
namespace {

DatasetService::Request requestFor(const QString& displayName, const QString& path = {},
                                   const data::LoadOptions& options = {}, bool autoRun = false) {
    DatasetService::Request request;
    request.displayName = displayName;
    request.path = path;
    request.options = options;
    request.autoRun = autoRun;
    return request;
}

}  // namespace

DatasetService::DatasetService(Document* document, QObject* parent)
    : QObject(parent), m_document(document), m_defaultPath(standardPath()) {
    // One load at a time: each is OpenMP-parallel and may need gigabytes. A newer request
    // cancels the queued ones (they end without running) and the running one's result is ignored.
    m_pool.setMaxThreadCount(1);
}

DatasetService::~DatasetService() {
    cancel();
    m_pool.waitForDone();
}

QString DatasetService::standardPath() {
    // The 10,000 test images: a t-SNE of them forms within seconds. The 60,000 training images
    // sit next to them (File > Open).
    return QStringLiteral("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz");
}

void DatasetService::openFile(const QString& path, const data::LoadOptions& options) {
    const std::string nativePath = QFile::encodeName(path).toStdString();
    start([nativePath, options] { return std::make_shared<const data::Dataset>(data::load(nativePath, options)); },
          requestFor(QFileInfo(path).fileName(), path, options));
}

void DatasetService::openImageFolder(const QString& folder) {
    // Cleaned: "photos/" (as a shell completes it) is named "photos", not "".
    const QString absolute = QDir::cleanPath(QFileInfo(folder).absoluteFilePath());
    start(imageFolderSource(absolute), requestFor(QFileInfo(absolute).fileName(), absolute));
}

void DatasetService::openDefault(bool autoRun) {
    const QString path = m_defaultPath;
    if (path.isEmpty() || !QFileInfo::exists(path)) {
        openBlobs(autoRun);
        return;
    }
    const std::string nativePath = QFile::encodeName(path).toStdString();
    Request request = requestFor(QFileInfo(path).fileName(), path, {}, autoRun);
    request.fallBackToBlobs = true;
    start([nativePath] { return std::make_shared<const data::Dataset>(data::load(nativePath)); }, std::move(request));
}

void DatasetService::openBlobs(bool autoRun) {
    data::synthetic::BlobsOptions options;
    options.n = 3000;
    options.d = 50;
    options.k = 6;
    const QString name = tr("Synthetic blobs (%1 clusters in %2-D)").arg(options.k).arg(options.d);
    start([options] { return std::make_shared<const data::Dataset>(data::synthetic::blobs(options)); },
          requestFor(name, {}, {}, autoRun));
}

void DatasetService::openSource(DatasetSource source, const QString& displayName) {
    if (!source) return;
    start(std::move(source), requestFor(displayName));
}

void DatasetService::openDataset(std::shared_ptr<const data::Dataset> dataset, const QString& displayName) {
    if (!dataset) return;
    const QString name = displayName.isEmpty() ? QString::fromStdString(dataset->source) : displayName;
    start([dataset] { return dataset; }, requestFor(name));
}

void DatasetService::openForSession(DatasetSource source, const QString& path, const data::LoadOptions& options,
                                    std::shared_ptr<Session> session) {
    Request request = requestFor(QFileInfo(path).fileName(), path, options);
    request.session = std::move(session);
    start(std::move(source), std::move(request));
}

void DatasetService::start(DatasetSource source, Request request) {
    start(DetailedDatasetSource([source = std::move(source)](DatasetSourceDetails&) { return source(); }),
          std::move(request));
}

void DatasetService::start(DetailedDatasetSource source, Request request) {
    // The newest request wins: older jobs are canceled and their results ignored. With one
    // loader thread a canceled job that has not started yet finishes without running (QtConcurrent
    // checks the promise first), so only the running one (if any) delays this one.
    cancel();
    auto* watcher = new Watcher(this);
    m_active = watcher;
    connect(watcher, &Watcher::finished, this, [this, watcher, request] { finish(watcher, request); });
    connect(watcher, &Watcher::progressValueChanged, this, [this, watcher](int value) {
        // Only sources that report it move it (an image folder); a file's load stays at 0.
        if (watcher == m_active && value > 0) emit progressChanged(value);
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, runDetailedDatasetJob, std::move(source), request.displayName,
                                         request.path, request.session ? request.session->datasetSha256 : QString()));
    emit started(request.displayName);
}

void DatasetService::cancel() {
    for (auto* watcher : findChildren<Watcher*>(Qt::FindDirectChildrenOnly)) watcher->cancel();
}

DatasetService::Source DatasetService::source() const {
    return {m_document->prepared().path, m_document->prepared().sha256, m_document->loadOptions()};
}

bool DatasetService::replaceDerived(Document& document, PreparedDataset derived) {
    const PreparedDataset& now = document.prepared();
    if (!derived.dataset || !now.dataset || derived.dataset->n != now.dataset->n) return false;
    derived.displayName = now.displayName;
    derived.path = now.path;
    derived.sha256 = now.sha256;
    derived.defaultX = now.defaultX;
    derived.defaultY = now.defaultY;
    return document.replaceDataset(std::move(derived));
}

int DatasetService::importEmbeddings(Document& document) {
    const std::shared_ptr<const data::Dataset> dataset = document.dataset();
    if (!dataset) return 0;
    const auto n = std::size_t(dataset->n);
    int added = 0, first = -1, firstRank = 3;
    for (const data::PrecomputedEmbedding& e : dataset->embeddings) {
        if (e.dims < 2 || e.values.size() != n * std::size_t(e.dims)) continue;  // nothing to plot
        const int dims = e.dims == 3 ? 3 : 2;
        RunSpec spec;
        spec.method = RunSpec::Method::Imported;
        spec.dims = dims;
        spec.importedFrom = QString::fromStdString(e.name);
        spec.importedColumns = int(std::min<std::int64_t>(e.dims, std::numeric_limits<int>::max()));
        auto values = std::make_shared<std::vector<float>>(n * std::size_t(dims));
        for (std::size_t i = 0; i < n; ++i)
            std::copy_n(e.values.data() + i * std::size_t(e.dims), dims, values->data() + i * std::size_t(dims));
        Run run;
        run.spec = spec;
        run.name = e.dims > dims ? QObject::tr("%1 (first %2 of %3 columns)").arg(spec.importedFrom).arg(dims).arg(e.dims)
                                 : spec.importedFrom;
        run.state = Run::State::Done;
        run.embedding = std::move(values);
        run.dims = dims;
        run.cost = std::numeric_limits<double>::quiet_NaN();
        const int id = document.addRun(std::move(run));
        ++added;
        // What a user of scanpy expects to see first: the UMAP, else a t-SNE, else the first.
        const QString lower = spec.importedFrom.toLower();
        const int rank = lower == QLatin1String("x_umap") ? 0 : lower == QLatin1String("x_tsne") ? 1 : 2;
        if (first < 0 || rank < firstRank) {
            first = id;
            firstRank = rank;
        }
    }
    // A run started as the dataset came (latentscape --run) stays on screen.
    if (first >= 0 && !document.currentRun()) document.setCurrentRun(first);
    return added;
}

void DatasetService::finish(Watcher* watcher, const Request& request) {
    watcher->deleteLater();
    const QFuture<DatasetJobResult> future = watcher->future();
    if (watcher != m_active) return;  // superseded by a newer request
    m_active = nullptr;
    emit ended();
    if (future.isCanceled() || future.resultCount() == 0) return;

    DatasetJobResult result = future.result();
    switch (result.status) {
        case DatasetJobResult::Status::Ready:
            // A new dataset: a new set of rows, no runs, nothing selected, nothing to undo.
            m_document->setDataset(std::move(result.prepared), request.options);
            // An AnnData file's own embeddings are runs to compare with; a session brings its
            // runs (these among them) itself.
            if (!request.session) importEmbeddings(*m_document);
            emit loaded(request);
            break;
        case DatasetJobResult::Status::MissingValues:
            emit missingValues(MissingValues{request, result.missingCells, result.missingRows, result.message});
            break;
        case DatasetJobResult::Status::Failed:
            emit failed(request.displayName, result.message);
            // The example dataset is installed but unreadable: say so, and still show something.
            if (request.fallBackToBlobs) openBlobs(request.autoRun);
            break;
    }
}

}  // namespace latentscape::ui
