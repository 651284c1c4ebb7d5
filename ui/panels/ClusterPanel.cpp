#include "panels/ClusterPanel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QPolygonF>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace latentscape::ui {

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

ClusterPanel::ClusterPanel(ClusteringService* service, QWidget* parent)
    : QDockWidget(tr("Clustering"), parent), m_service(service) {
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
    connect(m_run, &QPushButton::clicked, this, [this] { m_service->start(options()); });
    connect(m_kButton, &QPushButton::clicked, this, [this] { m_service->startKDistance(m_minPoints->value(), target()); });
    connect(m_plot, &KDistancePlot::epsPicked, this, [this](double eps) { m_eps->setValue(eps); });
    connect(m_eps, &QDoubleSpinBox::valueChanged, m_plot, &KDistancePlot::setEps);
    // What the service is doing and what it found.
    connect(m_service, &ClusteringService::runningChanged, this, [this](bool running) { m_run->setEnabled(!running); });
    connect(m_service, &ClusteringService::computingKDistanceChanged, this,
            [this](bool computing) { m_kButton->setEnabled(!computing); });
    connect(m_service, &ClusteringService::captionChanged, m_status, &QLabel::setText);
    connect(m_service, &ClusteringService::kDistanceChanged, this, [this] {
        m_plot->setCurve(m_service->kDistance());
        m_plot->setEps(m_eps->value());
    });
}

ClusterPanel::~ClusterPanel() = default;

double ClusterPanel::eps() const { return m_eps->value(); }

ClusterPanel::Method ClusterPanel::method() const { return Method(m_method->currentIndex()); }
void ClusterPanel::setMethod(Method method) { m_method->setCurrentIndex(int(method)); }
ClusterPanel::Target ClusterPanel::target() const { return Target(m_target->currentIndex()); }
void ClusterPanel::setTarget(Target target) { m_target->setCurrentIndex(int(target)); }
void ClusterPanel::setK(int k) { m_k->setValue(k); }
void ClusterPanel::setEps(double eps) { m_eps->setValue(eps); }
void ClusterPanel::setMinPoints(int minPoints) { m_minPoints->setValue(minPoints); }

ClusteringService::Options ClusterPanel::options() const {
    ClusteringService::Options o;
    o.method = method();
    o.target = target();
    o.k = m_k->value();
    o.restarts = m_restarts->value();
    o.seed = std::uint64_t(m_seed->value());
    o.eps = m_eps->value();
    o.minPoints = m_minPoints->value();
    return o;
}

}  // namespace latentscape::ui
