#include "panels/ClusterPanel.h"

#include "cluster/dbscan.h"
#include "cluster/kmeans.h"
#include "data/dataset.h"
#include "metrics/agreement.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QPolygonF>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

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
        // Replace an older "cluster" column; the label is found again by name (columns may shift).
        const std::optional<std::string> labelName =
            copy->label_column ? std::optional<std::string>(copy->metadata[*copy->label_column].name) : std::nullopt;
        std::erase_if(copy->metadata, [](const data::MetadataColumn& c) { return c.name == "cluster"; });
        copy->label_column = labelName ? copy->find_metadata(*labelName) : std::nullopt;
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

KDistancePlot::KDistancePlot(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("kDistancePlot"));
    setMinimumHeight(110);
    setToolTip(tr("Distance of every point to its k-th nearest neighbour, largest first. Click at the "
                  "knee of the curve to use that distance as eps."));
}

void KDistancePlot::setCurve(std::vector<float> distances) {
    m_curve = std::move(distances);
    m_max = m_curve.empty() ? 1.0 : std::max(double(m_curve.front()), 1e-12);
    update();
}

void KDistancePlot::setEps(double eps) {
    m_eps = eps;
    update();
}

double KDistancePlot::epsAt(double y) const {
    const double h = std::max(1, height() - 1);
    return std::clamp(1.0 - y / h, 0.0, 1.0) * m_max;
}

void KDistancePlot::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Base));
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawRect(rect().adjusted(0, 0, -1, -1));
    if (m_curve.empty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter, tr("k-distance plot"));
        return;
    }
    const double w = width() - 1, h = height() - 1;
    const std::size_t n = m_curve.size();
    QPolygonF line;
    const std::size_t step = std::max<std::size_t>(1, n / std::size_t(std::max(1.0, w)));
    for (std::size_t i = 0; i < n; i += step)
        line << QPointF(w * double(i) / double(std::max<std::size_t>(1, n - 1)), h * (1.0 - m_curve[i] / m_max));
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(palette().color(QPalette::Text), 1.5));
    painter.drawPolyline(line);
    if (m_eps > 0) {
        const double y = h * (1.0 - std::min(m_eps / m_max, 1.0));
        painter.setPen(QPen(QColor(214, 39, 40), 1.0, Qt::DashLine));
        painter.drawLine(QPointF(0, y), QPointF(w, y));
    }
}

void KDistancePlot::mousePressEvent(QMouseEvent* event) {
    if (m_curve.empty()) return;
    emit epsPicked(epsAt(event->position().y()));
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
    m_kButton = new QPushButton(tr("k-distance plot"));
    m_kButton->setObjectName(QStringLiteral("kDistanceButton"));
    m_kButton->setToolTip(tr("Plot every point's distance to its k-th neighbour (k = min points) to choose eps."));
    db->addRow(m_kButton);
    m_plot = new KDistancePlot;
    db->addRow(m_plot);
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
    connect(m_kButton, &QPushButton::clicked, this, &ClusterPanel::kDistanceRequested);
    connect(m_plot, &KDistancePlot::epsPicked, this, [this](double eps) { m_eps->setValue(eps); });
    connect(m_eps, &QDoubleSpinBox::valueChanged, m_plot, &KDistancePlot::setEps);
}

ClusterPanel::~ClusterPanel() = default;  // m_task and m_kTask cancel and wait

double ClusterPanel::eps() const { return m_eps->value(); }

void ClusterPanel::startKDistance(std::shared_ptr<const data::Dataset> dataset, std::vector<float> embedding, int dims) {
    if (!dataset || m_kTask.isRunning()) return;
    m_kButton->setEnabled(false);
    const int k = m_minPoints->value();
    m_kTask.start(
        [dataset = std::move(dataset), embedding = std::move(embedding), dims, k](const CancelToken&) {
            const float* X = embedding.empty() ? dataset->features.data() : embedding.data();
            const std::int64_t d = embedding.empty() ? dataset->d : dims;
            return cluster::k_distance(X, dataset->n, d, std::min<std::int64_t>(k, dataset->n));
        },
        [this](std::vector<float> curve) {
            m_kButton->setEnabled(true);
            m_plot->setCurve(std::move(curve));
            m_plot->setEps(m_eps->value());
        },
        [this](const QString& error) {
            m_kButton->setEnabled(true);
            m_plot->setCurve({});
            m_status->setText(tr("k-distance plot failed: %1").arg(error));
        });
}

ClusterPanel::Method ClusterPanel::method() const { return Method(m_method->currentIndex()); }
void ClusterPanel::setMethod(Method method) { m_method->setCurrentIndex(int(method)); }
ClusterPanel::Target ClusterPanel::target() const { return Target(m_target->currentIndex()); }
void ClusterPanel::setTarget(Target target) { m_target->setCurrentIndex(int(target)); }
void ClusterPanel::setK(int k) { m_k->setValue(k); }
void ClusterPanel::setEps(double eps) { m_eps->setValue(eps); }
void ClusterPanel::setMinPoints(int minPoints) { m_minPoints->setValue(minPoints); }

void ClusterPanel::start(std::shared_ptr<const data::Dataset> dataset, std::vector<float> embedding, int dims) {
    if (!dataset) return;
    m_run->setEnabled(false);
    m_status->setText(tr("Clustering…"));
    const bool kmeans = method() == Method::KMeans;
    m_task.start(
        [dataset = std::move(dataset), embedding = std::move(embedding), dims, kmeans, k = m_k->value(),
         restarts = m_restarts->value(), seed = std::uint64_t(m_seed->value()), eps = m_eps->value(),
         minPoints = m_minPoints->value()](const CancelToken&) mutable {
            // Called once: the inputs move on into the job.
            return runClusterJob(std::move(dataset), std::move(embedding), dims, kmeans, k, restarts, seed, eps,
                                 minPoints);
        },
        [this](ClusterJobResult r) {
            m_run->setEnabled(true);
            if (!r.error.isEmpty()) {
                m_status->setText(tr("Clustering failed: %1").arg(r.error));
                return;
            }
            m_status->setText(r.summary);
            emit clustered(r.prepared);
        },
        [this](const QString& error) {
            m_run->setEnabled(true);
            m_status->setText(tr("Clustering failed: %1").arg(error));
        });
}

void ClusterPanel::forget() {
    m_task.cancel();
    m_kTask.cancel();
    m_run->setEnabled(true);
    m_kButton->setEnabled(true);
    m_status->clear();
    m_plot->setCurve({});
}

}  // namespace latentscape::ui
