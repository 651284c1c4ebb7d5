// Clustering on a worker, the result as the document's "cluster" column.
#include "services/ClusteringService.h"

#include "cluster/dbscan.h"
#include "cluster/kmeans.h"
#include "data/dataset.h"
#include "metrics/agreement.h"
#include "model/Document.h"
#include "services/DatasetService.h"

#include <QFutureWatcher>
#include <QLocale>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <exception>
#include <string>

namespace latentscape::ui {

ClusteringService::ClusteringService(Document* document, QObject* parent) : QObject(parent), m_document(document) {
    // Clusters and curves belong to the rows they were computed for.
    connect(m_document, &Document::datasetChanged, this, &ClusteringService::forget);
    // Clusters of an embedding belong to its run: the caption follows the run shown.
    connect(m_document, &Document::currentRunChanged, this, &ClusteringService::updateCaption);
    connect(m_document, &Document::runChanged, this, [this](int id) {
        if (id == m_clusteredRun || id == m_document->currentRunId()) updateCaption();
    });
}

void ClusteringService::updateCaption() {
    if (m_summary.isEmpty()) return;  // none yet, or one running (its caption says so)
    if (m_clusteredRun < 0) {
        setCaption(m_summary);
        return;
    }
    if (const auto run = m_document->run(m_clusteredRun)) m_clusteredRunName = run->name;
    const auto shown = m_document->currentRun();
    if (shown && shown->id == m_clusteredRun) {
        setCaption(tr("Clusters of “%1”\n%2").arg(m_clusteredRunName, m_summary));
    } else {
        setCaption(shown ? tr("Clusters of “%1”, not of “%2” on screen: press Cluster to cluster it\n%3")
                               .arg(m_clusteredRunName, shown->name, m_summary)
                         : tr("Clusters of “%1”, which is not on screen\n%2").arg(m_clusteredRunName, m_summary));
    }
}

ClusteringService::~ClusteringService() {
    // No worker outlives the service (m_task and m_kTask cancel and wait by themselves).
    for (auto* watcher : findChildren<QFutureWatcher<PreparedDataset>*>(Qt::FindDirectChildrenOnly)) watcher->waitForFinished();
}

std::shared_ptr<const std::vector<float>> ClusteringService::pointsOf(Target target, int* dims) const {
    const auto run = m_document->currentRun();
    if (target != Target::Embedding || !run || !run->hasEmbedding()) return nullptr;
    *dims = run->dims;
    return run->embedding;
}

void ClusteringService::setCaption(const QString& caption) {
    if (caption == m_caption) return;
    m_caption = caption;
    emit captionChanged(m_caption);
}

bool ClusteringService::start(const Options& options) {
    const std::shared_ptr<const data::Dataset> dataset = m_document->dataset();
    if (!dataset) return false;
    int dims = 0;
    auto points = pointsOf(options.target, &dims);
    if (options.target == Target::Embedding && !points)
        emit statusMessage(tr("No embedding yet: clustering the original features"), 8000);
    const auto run = m_document->currentRun();
    const int runId = points && run ? run->id : -1;
    const QString runName = points && run ? run->name : QString();
    m_summary.clear();
    setCaption(tr("Clustering…"));
    m_task.start(
        [dataset, points = std::move(points), dims, options](const CancelToken& canceled) {
            return cluster(dataset, points, dims, options, canceled);
        },
        [this, dataset, runId, runName](Result r) {
            emit runningChanged(false);
            if (!r.error.isEmpty()) {
                setCaption(tr("Clustering failed: %1").arg(r.error));
                emit failed(r.error);
                return;
            }
            // The same rows with one more column: the name and the source stay, and so do the
            // runs and the selection.
            m_summary = r.summary;
            m_clusteredRun = runId;
            m_clusteredRunName = runName;
            updateCaption();
            if (DatasetService::replaceDerived(*m_document, std::move(r.prepared))) emit finished(r.summary);
        },
        [this](const QString& error) {
            emit runningChanged(false);
            setCaption(tr("Clustering failed: %1").arg(error));
            emit failed(error);
        });
    emit runningChanged(true);
    return true;
}

bool ClusteringService::startKDistance(int minPoints, Target target) {
    const std::shared_ptr<const data::Dataset> dataset = m_document->dataset();
    if (!dataset || m_kTask.isRunning()) return false;
    int dims = 0;
    auto points = pointsOf(target, &dims);
    m_kTask.start(
        [dataset, points = std::move(points), dims, minPoints](const CancelToken&) {
            const float* X = points ? points->data() : dataset->features.data();
            const std::int64_t d = points ? dims : dataset->d;
            return cluster::k_distance(X, dataset->n, d, int(std::min<std::int64_t>(minPoints, dataset->n)));
        },
        [this](std::vector<float> curve) {
            m_kDistance = std::move(curve);
            emit computingKDistanceChanged(false);
            emit kDistanceChanged();
        },
        [this](const QString& error) {
            m_kDistance.clear();
            emit computingKDistanceChanged(false);
            emit kDistanceChanged();
            setCaption(tr("k-distance plot failed: %1").arg(error));
        });
    emit computingKDistanceChanged(true);
    return true;
}

void ClusteringService::forget() {
    const bool running = m_task.isRunning(), computing = m_kTask.isRunning();
    m_task.cancel();
    m_kTask.cancel();
    if (running) emit runningChanged(false);
    if (computing) emit computingKDistanceChanged(false);
    m_summary.clear();
    m_clusteredRun = -1;
    m_clusteredRunName.clear();
    setCaption({});
    if (!m_kDistance.empty()) {
        m_kDistance.clear();
        emit kDistanceChanged();
    }
}

bool ClusteringService::makeGroup(const QString& name, std::vector<std::int64_t> rows) {
    const std::shared_ptr<const data::Dataset> ds = m_document->dataset();
    const std::string group = name.trimmed().toStdString();
    if (!ds || rows.empty() || group.empty()) return false;
    auto* watcher = new QFutureWatcher<PreparedDataset>(this);
    connect(watcher, &QFutureWatcher<PreparedDataset>::finished, this, [this, watcher, ds, name] {
        watcher->deleteLater();
        if (ds != m_document->dataset()) return;  // another dataset (or column) came meanwhile
        if (DatasetService::replaceDerived(*m_document, watcher->result())) emit groupMade(name);
    });
    // A copy with the column: the dataset is immutable and shared with views and jobs.
    const QFuture<PreparedDataset> future = QtConcurrent::run([ds, group, rows = std::move(rows)] {
        auto copy = std::make_shared<data::Dataset>(*ds);
        std::vector<std::int32_t> codes(static_cast<std::size_t>(copy->n), -1);
        std::vector<std::string> names;
        const std::optional<std::size_t> at = copy->find_metadata("groups");
        if (at && copy->metadata[*at].kind == data::ColumnKind::Categorical) {
            codes = copy->metadata[*at].codes;
            names = copy->metadata[*at].categories;
        }
        auto found = std::find(names.begin(), names.end(), group);
        const auto code = std::int32_t(found - names.begin());
        if (found == names.end()) names.push_back(group);
        for (std::int64_t i : rows) codes[std::size_t(i)] = code;
        auto column = data::MetadataColumn::categorical("groups", std::move(codes), std::move(names));
        if (at) copy->metadata[*at] = std::move(column);
        else copy->metadata.push_back(std::move(column));
        copy->check_consistent();
        return prepareDataset(std::move(copy));
    });
    watcher->setFuture(future);
    return true;
}

ClusteringService::Result ClusteringService::cluster(std::shared_ptr<const data::Dataset> dataset,
                                                     std::shared_ptr<const std::vector<float>> points, int dims,
                                                     const Options& options, const CancelToken& canceled) {
    Result r;
    try {
        const float* X = points ? points->data() : dataset->features.data();
        const std::int64_t n = dataset->n;
        const std::int64_t d = points ? dims : dataset->d;
        if (points && std::int64_t(points->size()) != n * d)
            throw std::invalid_argument("the embedding does not have one point per row");
        std::vector<std::int32_t> labels;
        int clusters = 0;
        const QLocale locale;
        const QString on = points ? tr("embedding") : tr("features");
        if (options.method == Method::KMeans) {
            cluster::KMeansOptions o;
            o.k = options.k;
            o.restarts = options.restarts;
            o.seed = options.seed;
            const cluster::KMeansResult km = cluster::kmeans(X, n, d, o);
            labels = km.labels;
            clusters = options.k;
            r.summary = tr("k-means on the %1, k = %2: inertia %3, %4 iterations, %5 s")
                            .arg(on).arg(options.k).arg(locale.toString(km.inertia, 'g', 6)).arg(km.iterations)
                            .arg(locale.toString(km.elapsed_seconds, 'f', 2));
        } else {
            cluster::DbscanOptions o;
            o.eps = options.eps;
            o.min_points = options.minPoints;
            const cluster::DbscanResult db = cluster::dbscan(X, n, d, o);
            labels = db.labels;
            clusters = db.clusters;
            r.summary = tr("DBSCAN on the %1: %2 clusters, %3 noise points, %4 s")
                            .arg(on).arg(db.clusters).arg(locale.toString(qlonglong(db.noise)))
                            .arg(locale.toString(db.elapsed_seconds, 'f', 2));
        }
        // Superseded meanwhile: no copy of the dataset for a result nobody will see.
        canceled.throwIfCanceled();
        // How well the clusters recover the label, when there is one (noise counts as its own group).
        const data::MetadataColumn* label = dataset->label();
        if (label && label->kind == data::ColumnKind::Categorical && label->name != "cluster") {
            const double ari = metrics::adjusted_rand_index(labels.data(), label->codes.data(), n);
            const double nmi = metrics::normalized_mutual_info(labels.data(), label->codes.data(), n);
            r.summary += tr("\nagainst '%1': ARI %2, NMI %3")
                             .arg(QString::fromStdString(label->name), locale.toString(ari, 'f', 4),
                                  locale.toString(nmi, 'f', 4));
        }
        // A copy of the dataset with the column: the dataset is immutable and shared with views
        // and jobs that may still read it.
        auto copy = std::make_shared<data::Dataset>(*dataset);
        // Replace an older "cluster" column; the label is found again by name (columns may shift).
        const std::optional<std::string> labelName =
            copy->label_column ? std::optional<std::string>(copy->metadata[*copy->label_column].name) : std::nullopt;
        std::erase_if(copy->metadata, [](const data::MetadataColumn& c) { return c.name == "cluster"; });
        copy->label_column = labelName ? copy->find_metadata(*labelName) : std::nullopt;
        std::vector<std::string> names(static_cast<std::size_t>(clusters));
        for (int c = 0; c < clusters; ++c) names[std::size_t(c)] = std::to_string(c);
        copy->metadata.push_back(data::MetadataColumn::categorical("cluster", std::move(labels), std::move(names)));
        copy->check_consistent();
        r.prepared = prepareDataset(std::move(copy), canceled);
        canceled.throwIfCanceled();
    } catch (const Canceled&) {
        throw;  // LatestTask counts it as a cancellation, not an error
    } catch (const std::exception& e) {
        r.error = QString::fromUtf8(e.what());
    }
    return r;
}

}  // namespace latentscape::ui
