// Data export: the embedding on screen (or the two plotted features) of every row or of the
// selected ones, the cluster labels and the autoencoder, written by core/data/export.h and
// reduce::autoencoder::Model::save on a worker. Every file is written atomically.
#include "services/ExportService.h"

#include "data/export.h"
#include "model/Document.h"
#include "reduce/autoencoder.h"

#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QLocale>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <limits>

namespace latentscape::ui {
namespace {

std::string nativePath(const QString& path) { return QFile::encodeName(path).toStdString(); }

/// Column prefix for a method: "t-SNE" -> "tSNE", "PCA" -> "PCA".
std::string columnPrefix(const QString& method) {
    std::string out;
    for (const QChar c : method)
        if (c.isLetterOrNumber() && c.unicode() < 128) out += char(c.unicode());
    return out.empty() ? std::string("dim") : out;
}

/// Runs `write` and turns an exception into its message ("" on success). Worker side.
template <class Write>
QString attempt(Write write) {
    try {
        write();
        return {};
    } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
    }
}

int clampedInt(std::int64_t n) { return int(std::min<std::int64_t>(n, std::numeric_limits<int>::max())); }

}  // namespace

ExportService::ExportService(Document* document, QObject* parent) : QObject(parent), m_document(document) {}

ExportService::~ExportService() = default;  // m_exports waits

int ExportService::plottedEmbeddingDims(const Plotted& plotted) const {
    const auto dataset = m_document->dataset();
    const auto run = m_document->currentRun();
    if (!dataset || !plotted.embedding || !run || !run->hasEmbedding()) return 0;
    const bool fits = run->dims > 0 && run->embedding->size() == std::size_t(dataset->n) * std::size_t(run->dims);
    return fits ? run->dims : 0;
}

QString ExportService::plottedTag(const Plotted& plotted) const {
    return QString::fromStdString(plottedEmbeddingDims(plotted) > 0 ? columnPrefix(m_document->currentRun()->spec.methodName())
                                                                    : std::string("features"));
}

ExportService::Available ExportService::available(const Plotted& plotted) const {
    const data::Dataset* ds = m_document->dataset().get();
    const auto run = m_document->currentRun();
    Available a;
    a.embedding = ds && (plottedEmbeddingDims(plotted) > 0 || ds->d > 0);
    a.selection = a.embedding && !m_document->selection().empty();
    a.clusterLabels = ds && ds->find_metadata("cluster").has_value();
    a.model = run && run->model != nullptr;
    return a;
}

int ExportService::running() const {
    int n = 0;
    for (const QFuture<QString>& f : m_exports.futures()) n += f.isFinished() ? 0 : 1;
    return n;
}

QString ExportService::exportEmbedding(const QString& path, bool selectionOnly, const Plotted& plotted) {
    const std::shared_ptr<const data::Dataset> dataset = m_document->dataset();
    const select::Selection& selection = m_document->selection();
    if (!dataset) return tr("No dataset is loaded.");
    if (selectionOnly && selection.empty()) return tr("Nothing is selected.");
    data::EmbeddingExportOptions options;
    if (!selection.empty()) options.selection = selection;
    options.selection_only = selectionOnly;
    // What the plot shows: the embedding (shared, immutable), or the two plotted features
    // (copied on the worker).
    std::shared_ptr<const std::vector<float>> embedding;
    int dims = plottedEmbeddingDims(plotted);
    int x = -1, y = -1;
    if (dims > 0) {
        const auto run = m_document->currentRun();
        embedding = run->embedding;
        options.method = columnPrefix(run->spec.methodName());
    } else if (dataset->d > 0) {
        dims = 2;
        x = int(std::min<std::int64_t>(plotted.xFeature, dataset->d - 1));
        y = int(std::min<std::int64_t>(plotted.yFeature, dataset->d - 1));
        options.coordinate_names = {dataset->feature_names[std::size_t(x)], dataset->feature_names[std::size_t(y)]};
    } else {
        return tr("There are no coordinates to export: run a reduction first.");
    }
    const std::int64_t rows = selectionOnly ? selection.count() : dataset->n;
    const bool npy = QFileInfo(path).suffix().compare(QStringLiteral("npy"), Qt::CaseInsensitive) == 0;
    const QString what = npy ? tr("%1 and %2").arg(QFileInfo(path).fileName(),
                                                   QFileInfo(QFile::decodeName(data::embedding_sidecar_path(nativePath(path)).c_str())).fileName())
                             : QFileInfo(path).fileName();
    const QString done = tr("Exported %n row(s) to %1", "", clampedInt(rows)).arg(what);
    return start(path, done, [dataset, embedding, dims, x, y, options, file = nativePath(path)] {
        return attempt([&] {
            if (embedding) {
                data::export_embedding(*dataset, *embedding, dims, file, options);
                return;
            }
            std::vector<float> coordinates(std::size_t(dataset->n) * 2);
            for (std::int64_t i = 0; i < dataset->n; ++i) {
                coordinates[std::size_t(2 * i)] = dataset->at(i, x);
                coordinates[std::size_t(2 * i + 1)] = dataset->at(i, y);
            }
            data::export_embedding(*dataset, coordinates, dims, file, options);
        });
    });
}

QString ExportService::exportClusterLabels(const QString& path) {
    const std::shared_ptr<const data::Dataset> dataset = m_document->dataset();
    if (!dataset || !dataset->find_metadata("cluster")) return tr("There are no clusters yet: run a clustering first.");
    const QString done = tr("Exported the cluster labels of %n row(s) to %1", "", clampedInt(dataset->n)).arg(QFileInfo(path).fileName());
    return start(path, done, [dataset, file = nativePath(path)] {
        return attempt([&] { data::export_labels(*dataset, "cluster", file); });
    });
}

QString ExportService::exportAutoencoderModel(const QString& path) {
    const auto run = m_document->currentRun();
    const std::shared_ptr<const reduce::autoencoder::Model> model = run ? run->model : nullptr;
    if (!model) return tr("The plot does not show an autoencoder's embedding.");
    const QString done = tr("Exported the %1 model (%2 parameters) to %3")
                             .arg(run->spec.methodName(), QLocale().toString(qlonglong(model->parameter_count())),
                                  QFileInfo(path).fileName());
    return start(path, done, [model, file = nativePath(path)] { return attempt([&] { model->save(file); }); });
}

QString ExportService::start(const QString& path, const QString& doneMessage, std::function<QString()> work) {
    // The worker owns copies (shared datasets and embeddings): the document may change meanwhile,
    // and an export that has not started yet is still written when a new file is opened.
    if (!m_watchers) m_watchers = new QObject(this);
    auto* watcher = new QFutureWatcher<QString>(m_watchers);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, path, doneMessage] {
        const QString error = watcher->result();
        watcher->deleteLater();
        if (running() == 0) m_exports.clearFutures();
        if (error.isEmpty()) emit statusMessage(doneMessage, 10000);
        else emit failed(path, error);
        emit finished(path, error);
    });
    const QFuture<QString> future = QtConcurrent::run(std::move(work));
    watcher->setFuture(future);
    m_exports.addFuture(future);  // the destructor waits for it
    emit statusMessage(tr("Writing %1…").arg(QFileInfo(path).fileName()), 0);
    return {};
}

}  // namespace latentscape::ui
