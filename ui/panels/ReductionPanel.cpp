#include "panels/ReductionPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace latentscape::ui {
namespace {

QDoubleSpinBox* doubleBox(double min, double max, double value, int decimals, const QString& tip) {
    auto* box = new QDoubleSpinBox;
    box->setRange(min, max);
    box->setDecimals(decimals);
    box->setValue(value);
    box->setToolTip(tip);
    return box;
}

QSpinBox* intBox(int min, int max, int value, const QString& tip) {
    auto* box = new QSpinBox;
    box->setRange(min, max);
    box->setValue(value);
    box->setToolTip(tip);
    return box;
}

}  // namespace

ReductionPanel::ReductionPanel(QWidget* parent) : QDockWidget(tr("Reduction"), parent) {
    setObjectName(QStringLiteral("reductionPanel"));
    const reduce::tsne::Options t;
    auto* body = new QWidget(this);
    auto* layout = new QVBoxLayout(body);

    auto* top = new QFormLayout;
    m_method = new QComboBox;
    m_method->setObjectName(QStringLiteral("reductionMethod"));
    m_method->addItem(tr("PCA"));
    m_method->addItem(tr("t-SNE"));
    m_method->setToolTip(tr("PCA: linear, instant, keeps global distances.\n"
                            "t-SNE: non-linear, keeps neighbourhoods; watch it form live."));
    top->addRow(tr("Method"), m_method);
    m_dims = intBox(2, 3, t.dims, tr("Output dimensions: 2 for a flat map, 3 to rotate."));
    m_dims->setObjectName(QStringLiteral("reductionDims"));
    top->addRow(tr("Dimensions"), m_dims);
    layout->addLayout(top);

    m_pages = new QStackedWidget;
    auto* pcaPage = new QWidget;
    auto* pcaForm = new QFormLayout(pcaPage);
    m_pcaScale = new QCheckBox(tr("Scale features"));
    m_pcaScale->setToolTip(tr("Divide every feature by its standard deviation first, so units do not matter."));
    m_pcaWhiten = new QCheckBox(tr("Whiten"));
    m_pcaWhiten->setToolTip(tr("Give every component unit variance."));
    pcaForm->addRow(m_pcaScale);
    pcaForm->addRow(m_pcaWhiten);
    m_pages->addWidget(pcaPage);

    auto* tsnePage = new QWidget;
    auto* form = new QFormLayout(tsnePage);
    m_perplexity = doubleBox(1, 500, t.perplexity, 1,
                             tr("Effective number of neighbours per point (typically 5-50). Larger keeps more "
                                "global structure and costs more. Must be below (n - 1) / 3."));
    m_perplexity->setObjectName(QStringLiteral("tsnePerplexity"));
    form->addRow(tr("Perplexity"), m_perplexity);
    m_iterations = intBox(1, 100000, t.iterations, tr("Gradient-descent iterations, early exaggeration included."));
    m_iterations->setObjectName(QStringLiteral("tsneIterations"));
    form->addRow(tr("Iterations"), m_iterations);
    m_exaggeration = doubleBox(1, 100, t.exaggeration, 1,
                               tr("Early exaggeration: attraction is multiplied by this at first, so clusters "
                                  "form and can move past each other."));
    form->addRow(tr("Exaggeration"), m_exaggeration);
    m_exaggerationIterations = intBox(0, 100000, t.exaggeration_iterations, tr("Iterations of early exaggeration."));
    form->addRow(tr("Exaggeration iterations"), m_exaggerationIterations);
    m_learningRate = doubleBox(0, 1e7, 0, 1,
                               tr("Step size. Auto: max(n / exaggeration, 50), which converges far better on "
                                  "large data than the classic 200."));
    m_learningRate->setSpecialValueText(tr("auto"));
    form->addRow(tr("Learning rate"), m_learningRate);
    m_gradient = new QComboBox;
    m_gradient->addItems({tr("auto"), tr("exact"), tr("Barnes-Hut"), tr("FFT (2-D)")});
    m_gradient->setToolTip(tr("How repulsion is computed. Exact: all pairs (fastest up to ~25,000 points). "
                              "Barnes-Hut: a tree, 2-D or 3-D. FFT: interpolation on a grid, 2-D, fastest "
                              "for large n."));
    form->addRow(tr("Gradient"), m_gradient);
    m_theta = doubleBox(0, 1.5, t.theta, 2, tr("Barnes-Hut accuracy: smaller is more exact and slower."));
    form->addRow(tr("Theta"), m_theta);
    m_neighbors = new QComboBox;
    m_neighbors->addItems({tr("auto"), tr("exact"), tr("approximate")});
    m_neighbors->setToolTip(tr("Neighbour search for the affinities: exact brute force, or an approximate "
                               "hnswlib graph for very large data."));
    form->addRow(tr("Neighbours"), m_neighbors);
    m_pcaDims = intBox(-1, 1000, -1, tr("Reduce the features by PCA to this many dimensions first. "
                                        "Auto: 50 when there are more; 0: never."));
    m_pcaDims->setSpecialValueText(tr("auto"));
    form->addRow(tr("PCA first"), m_pcaDims);
    m_init = new QComboBox;
    m_init->addItems({tr("PCA"), tr("random")});
    m_init->setToolTip(tr("Starting layout: the principal components (keeps global structure) or random."));
    form->addRow(tr("Initialisation"), m_init);
    m_seed = intBox(0, 1000000000, int(t.seed), tr("Same seed, same embedding, whatever the thread count."));
    form->addRow(tr("Seed"), m_seed);
    m_pages->addWidget(tsnePage);
    layout->addWidget(m_pages);

    auto* buttons = new QHBoxLayout;
    m_run = new QPushButton(tr("Run"));
    m_run->setObjectName(QStringLiteral("runReduction"));
    m_run->setToolTip(tr("Run the reduction on a worker; the view updates as it goes (Ctrl+R)."));
    m_pause = new QPushButton(tr("Pause"));
    m_pause->setObjectName(QStringLiteral("pauseReduction"));
    m_pause->setCheckable(true);
    m_cancel = new QPushButton(tr("Cancel"));
    m_cancel->setObjectName(QStringLiteral("cancelReduction"));
    buttons->addWidget(m_run);
    buttons->addWidget(m_pause);
    buttons->addWidget(m_cancel);
    layout->addLayout(buttons);
    layout->addStretch(1);
    setWidget(body);

    connect(m_method, &QComboBox::currentIndexChanged, m_pages, &QStackedWidget::setCurrentIndex);
    connect(m_run, &QPushButton::clicked, this, &ReductionPanel::runRequested);
    connect(m_pause, &QPushButton::toggled, this, &ReductionPanel::pauseToggled);
    connect(m_cancel, &QPushButton::clicked, this, &ReductionPanel::cancelRequested);
    m_method->setCurrentIndex(int(Method::Tsne));
    setRunning(false);
}

ReductionPanel::Method ReductionPanel::method() const { return Method(m_method->currentIndex()); }
void ReductionPanel::setMethod(Method method) { m_method->setCurrentIndex(int(method)); }
int ReductionPanel::dims() const { return m_dims->value(); }
void ReductionPanel::setTsneIterations(int iterations) { m_iterations->setValue(iterations); }
void ReductionPanel::setTsnePerplexity(double perplexity) { m_perplexity->setValue(perplexity); }

reduce::tsne::Options ReductionPanel::tsneOptions() const {
    reduce::tsne::Options o;
    o.dims = m_dims->value();
    o.perplexity = m_perplexity->value();
    o.iterations = m_iterations->value();
    o.exaggeration = m_exaggeration->value();
    o.exaggeration_iterations = m_exaggerationIterations->value();
    if (m_learningRate->value() > 0) o.learning_rate = m_learningRate->value();
    static const reduce::tsne::Gradient gradients[] = {reduce::tsne::Gradient::Auto, reduce::tsne::Gradient::Exact,
                                                       reduce::tsne::Gradient::BarnesHut, reduce::tsne::Gradient::Fft};
    o.gradient = gradients[m_gradient->currentIndex()];
    o.theta = m_theta->value();
    static const reduce::tsne::Neighbors neighbors[] = {reduce::tsne::Neighbors::Auto, reduce::tsne::Neighbors::Exact,
                                                        reduce::tsne::Neighbors::Approximate};
    o.neighbors = neighbors[m_neighbors->currentIndex()];
    if (m_pcaDims->value() >= 0) o.pca_dims = m_pcaDims->value();
    o.init = m_init->currentIndex() == 0 ? reduce::tsne::Init::Pca : reduce::tsne::Init::Random;
    o.seed = std::uint64_t(m_seed->value());
    return o;
}

reduce::PcaOptions ReductionPanel::pcaOptions() const {
    reduce::PcaOptions o;
    o.components = m_dims->value();
    o.scale = m_pcaScale->isChecked();
    o.whiten = m_pcaWhiten->isChecked();
    return o;
}

void ReductionPanel::setRunning(bool running) {
    m_run->setEnabled(!running);
    m_pause->setEnabled(running);
    m_cancel->setEnabled(running);
    if (!running) setPaused(false);
}

void ReductionPanel::setPaused(bool paused) {
    const QSignalBlocker block(m_pause);
    m_pause->setChecked(paused);
    m_pause->setText(paused ? tr("Resume") : tr("Pause"));
}

void ReductionPanel::saveSettings() const {
    QSettings s;
    s.beginGroup(QStringLiteral("reduction"));
    s.setValue(QStringLiteral("method"), m_method->currentIndex());
    s.setValue(QStringLiteral("dims"), m_dims->value());
    s.setValue(QStringLiteral("perplexity"), m_perplexity->value());
    s.setValue(QStringLiteral("iterations"), m_iterations->value());
    s.setValue(QStringLiteral("exaggeration"), m_exaggeration->value());
    s.setValue(QStringLiteral("learningRate"), m_learningRate->value());
    s.setValue(QStringLiteral("gradient"), m_gradient->currentIndex());
    s.setValue(QStringLiteral("theta"), m_theta->value());
    s.setValue(QStringLiteral("seed"), m_seed->value());
    s.setValue(QStringLiteral("init"), m_init->currentIndex());
    s.endGroup();
}

void ReductionPanel::restoreSettings() {
    QSettings s;
    s.beginGroup(QStringLiteral("reduction"));
    m_method->setCurrentIndex(s.value(QStringLiteral("method"), m_method->currentIndex()).toInt());
    m_dims->setValue(s.value(QStringLiteral("dims"), m_dims->value()).toInt());
    m_perplexity->setValue(s.value(QStringLiteral("perplexity"), m_perplexity->value()).toDouble());
    m_iterations->setValue(s.value(QStringLiteral("iterations"), m_iterations->value()).toInt());
    m_exaggeration->setValue(s.value(QStringLiteral("exaggeration"), m_exaggeration->value()).toDouble());
    m_learningRate->setValue(s.value(QStringLiteral("learningRate"), m_learningRate->value()).toDouble());
    m_gradient->setCurrentIndex(s.value(QStringLiteral("gradient"), m_gradient->currentIndex()).toInt());
    m_theta->setValue(s.value(QStringLiteral("theta"), m_theta->value()).toDouble());
    m_seed->setValue(s.value(QStringLiteral("seed"), m_seed->value()).toInt());
    m_init->setCurrentIndex(s.value(QStringLiteral("init"), m_init->currentIndex()).toInt());
    s.endGroup();
}

}  // namespace latentscape::ui
