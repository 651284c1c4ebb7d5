#include "panels/ClusterPanel.h"

#include "cluster/dbscan.h"
#include "cluster/kmeans.h"
#include "data/dataset.h"
#include "metrics/agreement.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <exception>
#include <string>

namespace latentscape::ui {

ClusterJobResult runClusterJob(std::shared_ptr<const data::Dataset> dataset, std::vector<float> points, int dims,
                               bool kmeans, int k, int restarts, std::uint64_t seed, double eps, int minPoints) {
    ClusterJobResult r;
    try {
        const float* X = points.empty() ? dataset->features.data() : points.data();
        const std::int64_t n = dataset->n;
        const std::int64_t d = points.empty() ? dataset->d : dims;
        std::vector<std::int32_t> labels;
        int clusters = 0;
        const QLocale locale;
        const QString on = points.empty() ? QObject::tr("features") : QObject::tr("embedding");
        if (kmeans) {
            cluster::KMeansOptions o;
            o.k = k;
            o.restarts = restarts;
            o.seed = seed;
            const cluster::KMeansResult km = cluster::kmeans(X, n, d, o);
            labels = km.labels;
            clusters = k;
            r.summary = QObject::tr("k-means on the %1, k = %2: inertia %3, %4 iterations, %5 s")
                            .arg(on).arg(k).arg(locale.toString(km.inertia, 'g', 6)).arg(km.iterations)
                            .arg(locale.toString(km.elapsed_seconds, 'f', 2));
        } else {
            cluster::DbscanOptions o;
            o.eps = eps;
            o.min_points = minPoints;
            const cluster::DbscanResult db = cluster::dbscan(X, n, d, o);
            labels = db.labels;
            clusters = db.clusters;
            r.summary = QObject::tr("DBSCAN on the %1: %2 clusters, %3 noise points, %4 s")
                            .arg(on).arg(db.clusters).arg(locale.toString(qlonglong(db.noise)))
                            .arg(locale.toString(db.elapsed_seconds, 'f', 2));
        }
        // How well the clusters recover the label, when there is one (noise counts as its own group).
        const data::MetadataColumn* label = dataset->label();
        if (label && label->kind == data::ColumnKind::Categorical && label->name != "cluster") {
            const double ari = metrics::adjusted_rand_index(labels.data(), label->codes.data(), n);
            const double nmi = metrics::normalized_mutual_info(labels.data(), label->codes.data(), n);
            r.summary += QObject::tr("\nagainst '%1': ARI %2, NMI %3")
                             .arg(QString::fromStdString(label->name), locale.toString(ari, 'f', 4),
                                  locale.toString(nmi, 'f', 4));
        }
        // A copy of the dataset with the column: the dataset is immutable and shared with views
        // and jobs that may still read it.
        auto copy = std::make_shared<data::Dataset>(*dataset);
        std::erase_if(copy->metadata, [](const data::MetadataColumn& c) { return c.name == "cluster"; });
        if (copy->label_column && *copy->label_column >= copy->metadata.size()) copy->label_column.reset();
        std::vector<std::string> names(static_cast<std::size_t>(clusters));
        for (int c = 0; c < clusters; ++c) names[std::size_t(c)] = std::to_string(c);
        copy->metadata.push_back(data::MetadataColumn::categorical("cluster", std::move(labels), std::move(names)));
        copy->check_consistent();
        r.prepared = prepareDataset(std::move(copy));
    } catch (const std::exception& e) {
        r.error = QString::fromUtf8(e.what());
    }
    return r;
}

ClusterPanel::ClusterPanel(QWidget* parent) : QDockWidget(tr("Clustering"), parent) {
    setObjectName(QStringLiteral("clusterPanel"));
    auto* body = new QWidget(this);
    auto* layout = new QVBoxLayout(body);
    auto* top = new QFormLayout;
    m_method = new QComboBox;
    m_method->addItems({tr("k-means"), tr("DBSCAN")});
    m_method->setToolTip(tr("k-means: k round clusters, every point assigned.\n"
                            "DBSCAN: clusters of any shape from density; sparse points are noise (grey)."));
    top->addRow(tr("Method"), m_method);
    m_target = new QComboBox;
    m_target->addItems({tr("the embedding"), tr("the original features")});
    m_target->setToolTip(tr("Cluster the points as placed on screen, or in the data's own space."));
    top->addRow(tr("Cluster"), m_target);
    layout->addLayout(top);

    m_pages = new QStackedWidget;
    auto* kmPage = new QWidget;
    auto* km = new QFormLayout(kmPage);
    m_k = new QSpinBox;
    m_k->setRange(1, 1000);
    m_k->setValue(10);
    m_k->setToolTip(tr("Number of clusters."));
    km->addRow(tr("k"), m_k);
    m_restarts = new QSpinBox;
    m_restarts->setRange(1, 100);
    m_restarts->setValue(1);
    m_restarts->setToolTip(tr("Independent k-means++ starts; the lowest inertia is kept."));
    km->addRow(tr("Restarts"), m_restarts);
    m_seed = new QSpinBox;
    m_seed->setRange(0, 1000000000);
    m_seed->setValue(42);
    m_seed->setToolTip(tr("Same seed, same clusters."));
    km->addRow(tr("Seed"), m_seed);
    m_pages->addWidget(kmPage);
    auto* dbPage = new QWidget;
    auto* db = new QFormLayout(dbPage);
    m_eps = new QDoubleSpinBox;
    m_eps->setRange(1e-6, 1e9);
    m_eps->setDecimals(4);
    m_eps->setValue(1.0);
    m_eps->setToolTip(tr("Neighbourhood radius, in the units of the clustered space."));
    db->addRow(tr("eps"), m_eps);
    m_minPoints = new QSpinBox;
    m_minPoints->setRange(1, 100000);
    m_minPoints->setValue(5);
    m_minPoints->setToolTip(tr("Neighbours (the point included) that make a core point."));
    db->addRow(tr("Min points"), m_minPoints);
    m_pages->addWidget(dbPage);
    layout->addWidget(m_pages);

    m_run = new QPushButton(tr("Cluster"));
    m_run->setObjectName(QStringLiteral("runClustering"));
    layout->addWidget(m_run);
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("clusterStatus"));
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    layout->addStretch(1);
    setWidget(body);

    connect(m_method, &QComboBox::currentIndexChanged, m_pages, &QStackedWidget::setCurrentIndex);
    connect(m_run, &QPushButton::clicked, this, &ClusterPanel::runRequested);
    connect(&m_watcher, &QFutureWatcher<ClusterJobResult>::finished, this, [this] {
        m_run->setEnabled(true);
        if (m_watcher.property("generation").toInt() != m_generation || m_watcher.future().resultCount() == 0) return;
        const ClusterJobResult r = m_watcher.result();
        if (!r.error.isEmpty()) {
            m_status->setText(tr("Clustering failed: %1").arg(r.error));
            return;
        }
        m_status->setText(r.summary);
        emit clustered(r.prepared);
    });
}

ClusterPanel::~ClusterPanel() { m_watcher.waitForFinished(); }

ClusterPanel::Method ClusterPanel::method() const { return Method(m_method->currentIndex()); }
void ClusterPanel::setMethod(Method method) { m_method->setCurrentIndex(int(method)); }
ClusterPanel::Target ClusterPanel::target() const { return Target(m_target->currentIndex()); }
void ClusterPanel::setTarget(Target target) { m_target->setCurrentIndex(int(target)); }
void ClusterPanel::setK(int k) { m_k->setValue(k); }
void ClusterPanel::setEps(double eps) { m_eps->setValue(eps); }
void ClusterPanel::setMinPoints(int minPoints) { m_minPoints->setValue(minPoints); }

void ClusterPanel::start(std::shared_ptr<const data::Dataset> dataset, std::vector<float> embedding, int dims) {
    if (!dataset) return;
    m_watcher.waitForFinished();  // clustering takes milliseconds to a second
    ++m_generation;
    m_watcher.setProperty("generation", m_generation);
    m_run->setEnabled(false);
    m_status->setText(tr("Clustering…"));
    const bool kmeans = method() == Method::KMeans;
    m_watcher.setFuture(QtConcurrent::run(runClusterJob, std::move(dataset), std::move(embedding), dims, kmeans,
                                          m_k->value(), m_restarts->value(), std::uint64_t(m_seed->value()),
                                          m_eps->value(), m_minPoints->value()));
}

void ClusterPanel::forget() {
    ++m_generation;
    m_status->clear();
}

}  // namespace latentscape::ui
