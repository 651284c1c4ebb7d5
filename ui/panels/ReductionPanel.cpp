#include "panels/ReductionPanel.h"

#include "panels/LossCurveWidget.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QStyle>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <algorithm>

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

// A scroll area that asks for its content's full size: the dock gets all the room it needs when
// there is room, and scrolls only when there is not.
class FittingScrollArea : public QScrollArea {
public:
    using QScrollArea::QScrollArea;
    QSize sizeHint() const override {
        if (!widget()) return QScrollArea::sizeHint();
        const QSize content = widget()->sizeHint();
        return {content.width() + verticalScrollBar()->sizeHint().width() + 2 * frameWidth(),
                content.height() + 2 * frameWidth()};
    }
    // As wide as the content needs (it never scrolls sideways), as short as a few rows.
    QSize minimumSizeHint() const override {
        if (!widget()) return QScrollArea::minimumSizeHint();
        return {widget()->minimumSizeHint().width() + verticalScrollBar()->sizeHint().width() + 2 * frameWidth(),
                std::min(widget()->minimumSizeHint().height(), 160)};
    }
};

// The core's defaults (reduce::autoencoder::Options), so that the GUI and latentscape-cli train
// the same network from the same options: 20 epochs of 256 rows per batch.
constexpr int kAutoencoderEpochs = reduce::autoencoder::Options{}.epochs;
constexpr int kAutoencoderBatch = reduce::autoencoder::Options{}.batch_size;

const reduce::autoencoder::Activation kActivations[] = {
    reduce::autoencoder::Activation::Relu, reduce::autoencoder::Activation::Gelu,
    reduce::autoencoder::Activation::Tanh, reduce::autoencoder::Activation::Linear};
const reduce::autoencoder::Loss kLosses[] = {reduce::autoencoder::Loss::Mse, reduce::autoencoder::Loss::Bce};

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
    m_method->addItem(tr("Autoencoder"));
    m_method->addItem(tr("UMAP"));
    m_method->setToolTip(tr("PCA: linear, instant, keeps global distances.\n"
                            "UMAP: non-linear, keeps neighbourhoods and more of the global layout than t-SNE; fast.\n"
                            "t-SNE: non-linear, keeps neighbourhoods; watch it form live.\n"
                            "Autoencoder: a neural network trained to reconstruct the data through a "
                            "2-D or 3-D bottleneck; its latent space is generative (hover it to decode)."));
    top->addRow(tr("Method"), m_method);
    m_dims = intBox(2, 3, t.dims, tr("Output dimensions: 2 for a flat map, 3 to rotate."));
    m_dims->setObjectName(QStringLiteral("reductionDims"));
    top->addRow(tr("Dimensions"), m_dims);
    // Shared by every method (issue 15), applied on the worker before it; saved with the run.
    m_preprocess = new QComboBox;
    m_preprocess->setObjectName(QStringLiteral("reductionPreprocess"));
    m_preprocess->addItem(tr("none"), int(data::Preprocess::None));
    m_preprocess->addItem(tr("standardise"), int(data::Preprocess::Standardize));
    m_preprocess->addItem(tr("min-max"), int(data::Preprocess::MinMax));
    m_preprocess->addItem(tr("log1p"), int(data::Preprocess::Log1p));
    m_preprocess->setToolTip(tr("What every method sees of the features, fitted on the whole dataset:\n"
                                "none: the values as they are;\n"
                                "standardise: mean 0, standard deviation 1 per column, so units do not matter;\n"
                                "min-max: each column scaled into [0, 1];\n"
                                "log1p: log(1 + x), for counts and other skewed values (all must be above -1).\n"
                                "The run's metrics measure it against these preprocessed features."));
    top->addRow(tr("Preprocess"), m_preprocess);
    layout->addLayout(top);

    m_pages = new QStackedWidget;
    auto* pcaPage = new QWidget;
    auto* pcaForm = new QFormLayout(pcaPage);
    // Scaling the features is the shared Preprocess option (standardise); a spec with the PCA's
    // own scale (an older session) shows as that.
    m_pcaWhiten = new QCheckBox(tr("Whiten"));
    m_pcaWhiten->setToolTip(tr("Give every component unit variance."));
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

    const reduce::autoencoder::Options a;
    auto* aePage = new QWidget;
    auto* aeForm = new QFormLayout(aePage);
    m_aeVariational = new QCheckBox(tr("Variational (VAE)"));
    m_aeVariational->setObjectName(QStringLiteral("aeVariational"));
    m_aeVariational->setToolTip(tr("Encode a mean and a variance per latent dimension and train with a KL "
                                   "penalty towards N(0, I): a smoother, more evenly filled latent space. "
                                   "The points shown are the means."));
    aeForm->addRow(m_aeVariational);
    m_aeBeta = doubleBox(0, 100, a.beta, 2, tr("Weight of the VAE's KL term (beta-VAE): larger packs the codes "
                                               "closer to N(0, I) and reconstructs less sharply."));
    m_aeBeta->setObjectName(QStringLiteral("aeBeta"));
    aeForm->addRow(tr("Beta (KL weight)"), m_aeBeta);
    m_aeHidden = new QLineEdit;
    m_aeHidden->setObjectName(QStringLiteral("aeHidden"));
    m_aeHidden->setPlaceholderText(tr("auto"));
    m_aeHidden->setToolTip(tr("Sizes of the encoder's hidden layers, widest first, e.g. \"512,128\"; the decoder "
                              "mirrors them. Empty: 512,128 for 256 features or more, 128,32 for 32 or more, "
                              "else 32,16."));
    aeForm->addRow(tr("Hidden layers"), m_aeHidden);
    m_aeHiddenError = new QLabel;
    m_aeHiddenError->setObjectName(QStringLiteral("aeHiddenError"));
    m_aeHiddenError->setWordWrap(true);
    m_aeHiddenError->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_aeHiddenError->hide();
    aeForm->addRow(m_aeHiddenError);
    m_aeActivation = new QComboBox;
    m_aeActivation->setObjectName(QStringLiteral("aeActivation"));
    m_aeActivation->addItems({tr("ReLU"), tr("GELU"), tr("tanh"), tr("linear")});
    m_aeActivation->setToolTip(tr("Activation of the hidden layers. ReLU is the fastest; linear makes the "
                                  "network linear (its code spans the PCA subspace)."));
    aeForm->addRow(tr("Activation"), m_aeActivation);
    m_aeLoss = new QComboBox;
    m_aeLoss->setObjectName(QStringLiteral("aeLoss"));
    m_aeLoss->addItems({tr("MSE"), tr("binary cross-entropy")});
    m_aeLoss->setToolTip(tr("Reconstruction loss. Binary cross-entropy needs data in [0, 1] (images are "
                            "scaled to it) and sharpens dark/bright pixels."));
    aeForm->addRow(tr("Loss"), m_aeLoss);
    m_aeEpochs = intBox(1, 100000, kAutoencoderEpochs, tr("Passes over the training rows. The view updates "
                                                          "after every epoch."));
    m_aeEpochs->setObjectName(QStringLiteral("aeEpochs"));
    aeForm->addRow(tr("Epochs"), m_aeEpochs);
    m_aeBatch = intBox(1, 1000000, kAutoencoderBatch, tr("Rows per gradient step. Smaller: more steps per epoch, "
                                                    "noisier; larger: faster per row."));
    m_aeBatch->setObjectName(QStringLiteral("aeBatch"));
    aeForm->addRow(tr("Batch size"), m_aeBatch);
    m_aeLearningRate = doubleBox(1e-6, 1.0, a.learning_rate, 6,
                                 tr("Adam's step size. Larger learns faster at first and may diverge."));
    m_aeLearningRate->setSingleStep(1e-4);
    m_aeLearningRate->setObjectName(QStringLiteral("aeLearningRate"));
    aeForm->addRow(tr("Learning rate"), m_aeLearningRate);
    m_aeWeightDecay = doubleBox(0, 1.0, a.weight_decay, 6,
                                tr("Decoupled weight decay (AdamW): each step shrinks the weights by "
                                   "learning rate x this. 0: none."));
    m_aeWeightDecay->setSingleStep(1e-4);
    aeForm->addRow(tr("Weight decay"), m_aeWeightDecay);
    m_aeStandardize = new QCheckBox(tr("Standardise features"));
    m_aeStandardize->setObjectName(QStringLiteral("aeStandardize"));
    m_aeStandardize->setChecked(a.standardize);
    m_aeStandardize->setToolTip(tr("Scale every feature to mean 0 and standard deviation 1 first (the output is "
                                   "then linear). For features in different units; 8-bit images are scaled to "
                                   "[0, 1] without it."));
    aeForm->addRow(m_aeStandardize);
    m_aeValidation = doubleBox(0, 0.5, a.validation_fraction, 2,
                               tr("Fraction of rows held out (never trained on) to measure how well the model "
                                  "generalises: the orange curve. 0: train on every row."));
    m_aeValidation->setSingleStep(0.05);
    m_aeValidation->setObjectName(QStringLiteral("aeValidation"));
    aeForm->addRow(tr("Held-out fraction"), m_aeValidation);
    m_aePatience = intBox(0, 100000, a.patience, tr("Stop when the held-out loss has not improved for this many "
                                                    "epochs. 0: never stop early. Needs a held-out fraction."));
    m_aePatience->setSpecialValueText(tr("off"));
    m_aePatience->setObjectName(QStringLiteral("aePatience"));
    aeForm->addRow(tr("Patience"), m_aePatience);
    m_aeSeed = intBox(0, 1000000000, int(a.seed), tr("Seed of the weights, the held-out rows, the shuffles and the "
                                                     "VAE's noise: same seed, same model, whatever the thread count."));
    m_aeSeed->setObjectName(QStringLiteral("aeSeed"));
    aeForm->addRow(tr("Seed"), m_aeSeed);
    m_pages->addWidget(aePage);

    const reduce::umap::Options u;
    auto* umapPage = new QWidget;
    auto* umapForm = new QFormLayout(umapPage);
    m_umapNeighbors = intBox(2, 200, u.n_neighbors, tr("Neighbours per point in the graph (n_neighbors): small values keep "
                                                       "fine local detail, large ones more global structure."));
    m_umapNeighbors->setObjectName(QStringLiteral("umapNeighbors"));
    umapForm->addRow(tr("Neighbours"), m_umapNeighbors);
    m_umapMinDist = doubleBox(0, 10, u.min_dist, 3, tr("How tightly points may pack in the embedding (min_dist): small "
                                                       "values give dense clumps, large ones an even spread. At most the spread."));
    m_umapMinDist->setSingleStep(0.05);
    umapForm->addRow(tr("Minimum distance"), m_umapMinDist);
    m_umapSpread = doubleBox(0.01, 10, u.spread, 2, tr("The scale of the embedded points (with min_dist, how clumped they are)."));
    umapForm->addRow(tr("Spread"), m_umapSpread);
    m_umapEpochs = intBox(0, 100000, 0, tr("Optimisation epochs. Auto: 500 up to 10,000 points, else 200."));
    m_umapEpochs->setSpecialValueText(tr("auto"));
    m_umapEpochs->setObjectName(QStringLiteral("umapEpochs"));
    umapForm->addRow(tr("Epochs"), m_umapEpochs);
    m_umapInit = new QComboBox;
    m_umapInit->addItems({tr("spectral"), tr("PCA"), tr("random")});
    m_umapInit->setToolTip(tr("Starting layout: the graph's Laplacian eigenvectors (PCA when the graph falls apart), "
                              "the principal components, or random."));
    umapForm->addRow(tr("Initialisation"), m_umapInit);
    m_umapNeighborSearch = new QComboBox;
    m_umapNeighborSearch->addItems({tr("auto"), tr("exact"), tr("approximate")});
    m_umapNeighborSearch->setToolTip(tr("Neighbour search: exact brute force, or an approximate hnswlib graph for large data."));
    umapForm->addRow(tr("Neighbour search"), m_umapNeighborSearch);
    m_umapPcaDims = intBox(-1, 1000, -1, tr("Reduce the features by PCA to this many dimensions first. "
                                            "Auto: 50 when there are more; 0: never."));
    m_umapPcaDims->setSpecialValueText(tr("auto"));
    umapForm->addRow(tr("PCA first"), m_umapPcaDims);
    m_umapSeed = intBox(0, 1000000000, int(u.seed), tr("Same seed, same embedding, whatever the thread count."));
    m_umapSeed->setObjectName(QStringLiteral("umapSeed"));
    umapForm->addRow(tr("Seed"), m_umapSeed);
    m_pages->addWidget(umapPage);
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
    layout->addStretch(1);
    // The autoencoder's options are taller than a small screen's share of the right dock area:
    // they scroll instead of forcing the window taller. The buttons and the loss curve stay in
    // sight below them.
    auto* scroll = new FittingScrollArea;
    scroll->setObjectName(QStringLiteral("reductionScroll"));
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setWidget(body);
    auto* outer = new QWidget(this);
    auto* outerLayout = new QVBoxLayout(outer);
    outerLayout->setContentsMargins(0, 0, 0, 0);
    outerLayout->addWidget(scroll, 1);
    const QMargins margins = layout->contentsMargins();
    buttons->setContentsMargins(margins.left(), 0, margins.right(), 0);
    outerLayout->addLayout(buttons);
    m_lossCurve = new LossCurveWidget;
    auto* curveRow = new QHBoxLayout;
    curveRow->setContentsMargins(margins.left(), 0, margins.right(), margins.bottom());
    curveRow->addWidget(m_lossCurve);
    outerLayout->addLayout(curveRow);
    setWidget(outer);

    connect(m_method, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_pages->setCurrentIndex(index);
        // The stack is as tall as its current page only, not its tallest.
        for (int i = 0; i < m_pages->count(); ++i)
            m_pages->widget(i)->setSizePolicy(QSizePolicy::Preferred,
                                              i == index ? QSizePolicy::Preferred : QSizePolicy::Ignored);
        m_pages->adjustSize();
        m_lossCurve->setVisible(Method(index) == Method::Autoencoder);
        emit methodChanged(Method(index));
    });
    const auto updateVariational = [this] { m_aeBeta->setEnabled(m_aeVariational->isChecked()); };
    connect(m_aeVariational, &QCheckBox::toggled, this, updateVariational);
    updateVariational();
    connect(m_aeHidden, &QLineEdit::textChanged, this, [this](const QString& text) {
        QString error;
        const bool ok = parseHiddenSizes(text, &error).has_value();
        m_aeHiddenError->setText(error);
        m_aeHiddenError->setVisible(!ok);
        m_aeHidden->setStyleSheet(ok ? QString() : QStringLiteral("QLineEdit { border: 1px solid #b00020; }"));
    });
    connect(m_run, &QPushButton::clicked, this, &ReductionPanel::runRequested);
    connect(m_pause, &QPushButton::toggled, this, &ReductionPanel::pauseToggled);
    connect(m_cancel, &QPushButton::clicked, this, &ReductionPanel::cancelRequested);
    m_method->setCurrentIndex(int(Method::Tsne));
    setRunning(false);
}

ReductionPanel::Method ReductionPanel::method() const { return Method(m_method->currentIndex()); }
void ReductionPanel::setMethod(Method method) { m_method->setCurrentIndex(int(method)); }
int ReductionPanel::dims() const { return m_dims->value(); }

data::Preprocess ReductionPanel::preprocess() const { return data::Preprocess(m_preprocess->currentData().toInt()); }

void ReductionPanel::setPreprocess(data::Preprocess kind) {
    m_preprocess->setCurrentIndex(std::max(0, m_preprocess->findData(int(kind))));
}
void ReductionPanel::setTsneIterations(int iterations) { m_iterations->setValue(iterations); }
void ReductionPanel::setTsnePerplexity(double perplexity) { m_perplexity->setValue(perplexity); }
int ReductionPanel::preferredHeight() const {
    const int title = style()->pixelMetric(QStyle::PM_TitleBarHeight, nullptr, this);
    return widget()->sizeHint().height() + title;
}

void ReductionPanel::setAutoencoderEpochs(int epochs) { m_aeEpochs->setValue(epochs); }
void ReductionPanel::setAutoencoderBatchSize(int batch) { m_aeBatch->setValue(batch); }
void ReductionPanel::setAutoencoderHidden(const QString& sizes) { m_aeHidden->setText(sizes); }
void ReductionPanel::setAutoencoderVariational(bool variational) { m_aeVariational->setChecked(variational); }

std::optional<std::optional<std::vector<int>>> ReductionPanel::parseHiddenSizes(const QString& text, QString* error) {
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty() || trimmed.compare(QStringLiteral("auto"), Qt::CaseInsensitive) == 0)
        return std::optional<std::vector<int>>{};
    std::vector<int> sizes;
    const QStringList parts = trimmed.split(QLatin1Char(','));
    for (const QString& part : parts) {
        bool ok = false;
        const int size = part.trimmed().toInt(&ok);
        if (!ok || size < 1 || size > 65536) {
            if (error)
                *error = part.trimmed().isEmpty()
                             ? tr("Hidden layers: an empty size in “%1”; write sizes separated by commas, "
                                  "e.g. 512,128, or leave it empty for automatic.").arg(trimmed)
                             : tr("Hidden layers: “%1” is not a layer size (a whole number from 1 to 65,536); "
                                  "write e.g. 512,128, or leave it empty for automatic.").arg(part.trimmed());
            return std::nullopt;
        }
        sizes.push_back(size);
    }
    return std::optional<std::vector<int>>(std::move(sizes));
}

std::optional<reduce::autoencoder::Options> ReductionPanel::autoencoderOptions(QString* error) const {
    const auto hidden = parseHiddenSizes(m_aeHidden->text(), error);
    if (!hidden) return std::nullopt;
    reduce::autoencoder::Options o;
    o.latent_dims = m_dims->value();
    o.hidden = *hidden;
    o.activation = kActivations[std::max(0, m_aeActivation->currentIndex())];
    o.loss = kLosses[std::max(0, m_aeLoss->currentIndex())];
    o.variational = m_aeVariational->isChecked();
    o.beta = m_aeBeta->value();
    o.epochs = m_aeEpochs->value();
    o.batch_size = m_aeBatch->value();
    o.learning_rate = m_aeLearningRate->value();
    o.weight_decay = m_aeWeightDecay->value();
    o.standardize = m_aeStandardize->isChecked();
    o.validation_fraction = m_aeValidation->value();
    o.patience = m_aePatience->value();
    if (o.patience > 0 && o.validation_fraction <= 0.0) {
        if (error) *error = tr("Patience (early stopping) needs a held-out fraction above 0.");
        return std::nullopt;
    }
    o.seed = std::uint64_t(m_aeSeed->value());
    return o;
}

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

reduce::umap::Options ReductionPanel::umapOptions() const {
    reduce::umap::Options o;
    o.dims = m_dims->value();
    o.n_neighbors = m_umapNeighbors->value();
    o.min_dist = m_umapMinDist->value();
    o.spread = m_umapSpread->value();
    if (m_umapEpochs->value() > 0) o.n_epochs = m_umapEpochs->value();
    static const reduce::umap::Init inits[] = {reduce::umap::Init::Spectral, reduce::umap::Init::Pca, reduce::umap::Init::Random};
    o.init = inits[std::max(0, m_umapInit->currentIndex())];
    static const neighbors::Method searches[] = {neighbors::Method::Auto, neighbors::Method::Exact, neighbors::Method::Approximate};
    o.neighbors = searches[std::max(0, m_umapNeighborSearch->currentIndex())];
    if (m_umapPcaDims->value() >= 0) o.pca_dims = m_umapPcaDims->value();
    o.seed = std::uint64_t(m_umapSeed->value());
    return o;
}

reduce::PcaOptions ReductionPanel::pcaOptions() const {
    reduce::PcaOptions o;
    o.components = m_dims->value();
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
    s.setValue(QStringLiteral("preprocess"), QString::fromLatin1(data::preprocess_name(preprocess())));
    s.setValue(QStringLiteral("perplexity"), m_perplexity->value());
    s.setValue(QStringLiteral("iterations"), m_iterations->value());
    s.setValue(QStringLiteral("exaggeration"), m_exaggeration->value());
    s.setValue(QStringLiteral("learningRate"), m_learningRate->value());
    s.setValue(QStringLiteral("gradient"), m_gradient->currentIndex());
    s.setValue(QStringLiteral("theta"), m_theta->value());
    s.setValue(QStringLiteral("seed"), m_seed->value());
    s.setValue(QStringLiteral("init"), m_init->currentIndex());
    s.setValue(QStringLiteral("umap/neighbors"), m_umapNeighbors->value());
    s.setValue(QStringLiteral("umap/minDist"), m_umapMinDist->value());
    s.setValue(QStringLiteral("umap/spread"), m_umapSpread->value());
    s.setValue(QStringLiteral("umap/epochs"), m_umapEpochs->value());
    s.setValue(QStringLiteral("umap/init"), m_umapInit->currentIndex());
    s.setValue(QStringLiteral("umap/seed"), m_umapSeed->value());
    s.setValue(QStringLiteral("ae/variational"), m_aeVariational->isChecked());
    s.setValue(QStringLiteral("ae/beta"), m_aeBeta->value());
    s.setValue(QStringLiteral("ae/hidden"), m_aeHidden->text());
    s.setValue(QStringLiteral("ae/activation"), m_aeActivation->currentIndex());
    s.setValue(QStringLiteral("ae/loss"), m_aeLoss->currentIndex());
    s.setValue(QStringLiteral("ae/epochs"), m_aeEpochs->value());
    s.setValue(QStringLiteral("ae/batch"), m_aeBatch->value());
    s.setValue(QStringLiteral("ae/learningRate"), m_aeLearningRate->value());
    s.setValue(QStringLiteral("ae/weightDecay"), m_aeWeightDecay->value());
    s.setValue(QStringLiteral("ae/standardize"), m_aeStandardize->isChecked());
    s.setValue(QStringLiteral("ae/validation"), m_aeValidation->value());
    s.setValue(QStringLiteral("ae/patience"), m_aePatience->value());
    s.setValue(QStringLiteral("ae/seed"), m_aeSeed->value());
    s.endGroup();
}

void ReductionPanel::restoreSettings() {
    QSettings s;
    s.beginGroup(QStringLiteral("reduction"));
    m_method->setCurrentIndex(s.value(QStringLiteral("method"), m_method->currentIndex()).toInt());
    m_dims->setValue(s.value(QStringLiteral("dims"), m_dims->value()).toInt());
    if (const auto kind = data::parse_preprocess(s.value(QStringLiteral("preprocess")).toString().toStdString())) setPreprocess(*kind);
    m_perplexity->setValue(s.value(QStringLiteral("perplexity"), m_perplexity->value()).toDouble());
    m_iterations->setValue(s.value(QStringLiteral("iterations"), m_iterations->value()).toInt());
    m_exaggeration->setValue(s.value(QStringLiteral("exaggeration"), m_exaggeration->value()).toDouble());
    m_learningRate->setValue(s.value(QStringLiteral("learningRate"), m_learningRate->value()).toDouble());
    m_gradient->setCurrentIndex(s.value(QStringLiteral("gradient"), m_gradient->currentIndex()).toInt());
    m_theta->setValue(s.value(QStringLiteral("theta"), m_theta->value()).toDouble());
    m_seed->setValue(s.value(QStringLiteral("seed"), m_seed->value()).toInt());
    m_init->setCurrentIndex(s.value(QStringLiteral("init"), m_init->currentIndex()).toInt());
    m_umapNeighbors->setValue(s.value(QStringLiteral("umap/neighbors"), m_umapNeighbors->value()).toInt());
    m_umapMinDist->setValue(s.value(QStringLiteral("umap/minDist"), m_umapMinDist->value()).toDouble());
    m_umapSpread->setValue(s.value(QStringLiteral("umap/spread"), m_umapSpread->value()).toDouble());
    m_umapEpochs->setValue(s.value(QStringLiteral("umap/epochs"), m_umapEpochs->value()).toInt());
    m_umapInit->setCurrentIndex(s.value(QStringLiteral("umap/init"), m_umapInit->currentIndex()).toInt());
    m_umapSeed->setValue(s.value(QStringLiteral("umap/seed"), m_umapSeed->value()).toInt());
    m_aeVariational->setChecked(s.value(QStringLiteral("ae/variational"), m_aeVariational->isChecked()).toBool());
    m_aeBeta->setValue(s.value(QStringLiteral("ae/beta"), m_aeBeta->value()).toDouble());
    m_aeHidden->setText(s.value(QStringLiteral("ae/hidden"), m_aeHidden->text()).toString());
    m_aeActivation->setCurrentIndex(s.value(QStringLiteral("ae/activation"), m_aeActivation->currentIndex()).toInt());
    m_aeLoss->setCurrentIndex(s.value(QStringLiteral("ae/loss"), m_aeLoss->currentIndex()).toInt());
    m_aeEpochs->setValue(s.value(QStringLiteral("ae/epochs"), m_aeEpochs->value()).toInt());
    m_aeBatch->setValue(s.value(QStringLiteral("ae/batch"), m_aeBatch->value()).toInt());
    m_aeLearningRate->setValue(s.value(QStringLiteral("ae/learningRate"), m_aeLearningRate->value()).toDouble());
    m_aeWeightDecay->setValue(s.value(QStringLiteral("ae/weightDecay"), m_aeWeightDecay->value()).toDouble());
    m_aeStandardize->setChecked(s.value(QStringLiteral("ae/standardize"), m_aeStandardize->isChecked()).toBool());
    m_aeValidation->setValue(s.value(QStringLiteral("ae/validation"), m_aeValidation->value()).toDouble());
    m_aePatience->setValue(s.value(QStringLiteral("ae/patience"), m_aePatience->value()).toInt());
    m_aeSeed->setValue(s.value(QStringLiteral("ae/seed"), m_aeSeed->value()).toInt());
    s.endGroup();
}

}  // namespace latentscape::ui

namespace latentscape::ui {

std::optional<RunSpec> ReductionPanel::spec(QString* error) const {
    RunSpec s;
    s.method = RunSpec::Method(m_method->currentIndex());
    s.dims = dims();
    s.preprocess = preprocess();
    s.pca = pcaOptions();
    s.tsne = tsneOptions();
    s.umap = umapOptions();
    if (s.method == RunSpec::Method::Autoencoder) {
        const auto a = autoencoderOptions(error);
        if (!a) return std::nullopt;
        s.autoencoder = *a;
    } else if (const auto a = autoencoderOptions()) {
        s.autoencoder = *a;
    }
    return s;
}

void ReductionPanel::setSpec(const RunSpec& s) {
    if (!s.isComputed()) return;  // an imported embedding has no options to show
    setMethod(Method(int(s.method)));
    m_dims->setValue(s.dims);
    setPreprocess(s.preprocess);
    switch (s.method) {
        case RunSpec::Method::Pca:
            if (s.pca.scale) setPreprocess(data::Preprocess::Standardize);
            m_pcaWhiten->setChecked(s.pca.whiten);
            break;
        case RunSpec::Method::Tsne: {
            const auto& t = s.tsne;
            m_perplexity->setValue(t.perplexity);
            m_iterations->setValue(t.iterations);
            m_exaggeration->setValue(t.exaggeration);
            m_exaggerationIterations->setValue(t.exaggeration_iterations);
            m_learningRate->setValue(t.learning_rate.value_or(0.0));
            m_gradient->setCurrentIndex(int(t.gradient == reduce::tsne::Gradient::Exact       ? 1
                                            : t.gradient == reduce::tsne::Gradient::BarnesHut ? 2
                                            : t.gradient == reduce::tsne::Gradient::Fft       ? 3
                                                                                              : 0));
            m_theta->setValue(t.theta);
            m_neighbors->setCurrentIndex(t.neighbors == reduce::tsne::Neighbors::Exact         ? 1
                                         : t.neighbors == reduce::tsne::Neighbors::Approximate ? 2
                                                                                               : 0);
            m_pcaDims->setValue(t.pca_dims.value_or(-1));
            m_init->setCurrentIndex(t.init == reduce::tsne::Init::Pca ? 0 : 1);
            m_seed->setValue(int(std::min<std::uint64_t>(t.seed, std::uint64_t(m_seed->maximum()))));
            break;
        }
        case RunSpec::Method::Autoencoder: {
            const auto& a = s.autoencoder;
            m_aeVariational->setChecked(a.variational);
            m_aeBeta->setValue(a.beta);
            QStringList hidden;
            if (a.hidden)
                for (int h : *a.hidden) hidden << QString::number(h);
            m_aeHidden->setText(a.hidden ? hidden.join(QLatin1Char(',')) : QString());
            for (int i = 0; i < int(std::size(kActivations)); ++i)
                if (kActivations[i] == a.activation) m_aeActivation->setCurrentIndex(i);
            for (int i = 0; i < int(std::size(kLosses)); ++i)
                if (kLosses[i] == a.loss) m_aeLoss->setCurrentIndex(i);
            m_aeEpochs->setValue(a.epochs);
            m_aeBatch->setValue(a.batch_size);
            m_aeLearningRate->setValue(a.learning_rate);
            m_aeWeightDecay->setValue(a.weight_decay);
            m_aeStandardize->setChecked(a.standardize);
            m_aeValidation->setValue(a.validation_fraction);
            m_aePatience->setValue(a.patience);
            m_aeSeed->setValue(int(std::min<std::uint64_t>(a.seed, std::uint64_t(m_aeSeed->maximum()))));
            break;
        }
        case RunSpec::Method::Umap: {
            const auto& u = s.umap;
            m_umapNeighbors->setValue(u.n_neighbors);
            m_umapMinDist->setValue(u.min_dist);
            m_umapSpread->setValue(u.spread);
            m_umapEpochs->setValue(u.n_epochs.value_or(0));
            m_umapInit->setCurrentIndex(u.init == reduce::umap::Init::Pca ? 1 : u.init == reduce::umap::Init::Random ? 2 : 0);
            m_umapNeighborSearch->setCurrentIndex(u.neighbors == neighbors::Method::Exact         ? 1
                                                  : u.neighbors == neighbors::Method::Approximate ? 2
                                                                                                  : 0);
            m_umapPcaDims->setValue(u.pca_dims.value_or(-1));
            m_umapSeed->setValue(int(std::min<std::uint64_t>(u.seed, std::uint64_t(m_umapSeed->maximum()))));
            break;
        }
        case RunSpec::Method::Imported: break;
    }
}

}  // namespace latentscape::ui
