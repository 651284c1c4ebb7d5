#include "panels/GeneratorPanel.h"

#include "data/dataset.h"
#include "data/joint.h"
#include "panels/LossCurveWidget.h"
#include "panels/NoisePlane.h"

#include <QComboBox>
#include <QFormLayout>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace latentscape::ui {

namespace gan = reduce::gan;

GeneratorPanel::GeneratorPanel(QWidget* parent) : QDockWidget(tr("Generator"), parent) {
    setObjectName(QStringLiteral("generatorPanel"));
    auto* body = new QWidget(this);
    auto* outer = new QHBoxLayout(body);

    // Training: settings, progress, losses.
    auto* left = new QVBoxLayout;
    auto* form = new QFormLayout;
    m_noiseDims = new QSpinBox;
    m_noiseDims->setObjectName(QStringLiteral("ganNoiseDims"));
    m_noiseDims->setRange(1, 256);
    m_noiseDims->setValue(2);
    m_noiseDims->setToolTip(tr("Size of the noise vector the generator maps to a row. 2 gives a plane of samples "
                               "to explore; more (e.g. 64) usually gives better samples."));
    form->addRow(tr("Noise dimensions"), m_noiseDims);
    m_epochs = new QSpinBox;
    m_epochs->setObjectName(QStringLiteral("ganEpochs"));
    m_epochs->setRange(1, 10000);
    m_epochs->setValue(20);
    form->addRow(tr("Epochs"), m_epochs);
    left->addLayout(form);
    m_trainButton = new QPushButton(tr("Train GAN"));
    m_trainButton->setObjectName(QStringLiteral("ganTrain"));
    m_trainButton->setToolTip(tr("Train a generator and a discriminator on the dataset's features (Adam, lr 0.0002, "
                                 "batch 64; the same seed gives the same networks)."));
    connect(m_trainButton, &QPushButton::clicked, this, [this] { isTraining() ? stop() : train(); });
    left->addWidget(m_trainButton);
    m_progress = new QProgressBar;
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(8);
    left->addWidget(m_progress);
    m_status = new QLabel(tr("Open a dataset, then train."));
    m_status->setObjectName(QStringLiteral("ganStatus"));
    m_status->setWordWrap(true);
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    left->addWidget(m_status);
    m_loss = new LossCurveWidget;
    m_loss->setPlaceholder(tr("Loss curves (the GAN's generator and discriminator)"));
    m_loss->setToolTip(tr("Per epoch: the generator's loss (-log D(G(z))) and the discriminator's (real as real plus "
                          "generated as generated). A discriminator loss near 2 log 2 = 1.39 means it cannot tell them apart."));
    left->addWidget(m_loss, 1);
    outer->addLayout(left);

    // Samples: the fixed-noise grid, then the plane and the strip.
    auto* middle = new QVBoxLayout;
    auto* gridTitle = new QLabel(tr("Samples from fixed noise, after each epoch"));
    middle->addWidget(gridTitle);
    auto* grid = new QGridLayout;
    grid->setSpacing(2);
    for (int i = 0; i < gridSamples; ++i) {
        auto* view = new SampleView(38);
        view->setObjectName(QStringLiteral("ganSample%1").arg(i));
        m_gridViews.push_back(view);
        grid->addWidget(view, i / gridColumns, i % gridColumns);
    }
    middle->addLayout(grid);
    m_stripText = new QLabel;
    m_stripText->setObjectName(QStringLiteral("ganStripText"));
    m_stripText->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    middle->addWidget(m_stripText);
    auto* strip = new QHBoxLayout;
    strip->setSpacing(2);
    for (int i = 0; i < stripSteps; ++i) {
        auto* view = new SampleView(38);
        view->setObjectName(QStringLiteral("ganStrip%1").arg(i));
        m_stripViews.push_back(view);
        strip->addWidget(view);
    }
    strip->addStretch(1);
    middle->addLayout(strip);
    m_newEnds = new QPushButton(tr("New ends"));
    m_newEnds->setToolTip(tr("Interpolate between two other random noise vectors."));
    connect(m_newEnds, &QPushButton::clicked, this, &GeneratorPanel::newStripEnds);
    middle->addWidget(m_newEnds, 0, Qt::AlignLeft);
    middle->addStretch(1);
    outer->addLayout(middle);

    auto* planeBox = new QVBoxLayout;
    m_planeView = new NoisePlane;
    m_planeView->setToolTip(tr("The 2-D noise plane: hover to generate there; left-click sets the interpolation's start A, "
                               "right-click its end B."));
    m_planeView->hovered = [this](double x, double y) { showAt(x, y); };
    m_planeView->clicked = [this](double x, double y, bool right) {
        std::vector<float> z = {float(x), float(y)};
        right ? setStripEnd(std::move(z)) : setStripStart(std::move(z));
    };
    planeBox->addWidget(m_planeView);
    m_cursorView = new SampleView(72);
    m_cursorView->setObjectName(QStringLiteral("ganCursorSample"));
    planeBox->addWidget(m_cursorView, 0, Qt::AlignHCenter);
    planeBox->addStretch(1);
    outer->addLayout(planeBox);

    auto* line = new QFrame;
    line->setFrameShape(QFrame::VLine);
    line->setFrameShadow(QFrame::Sunken);
    outer->addWidget(line);

    // Where the generators land.
    auto* right = new QVBoxLayout;
    right->addWidget(new QLabel(tr("<b>Compare with the data</b>")));
    auto* cform = new QFormLayout;
    m_source = new QComboBox;
    m_source->setObjectName(QStringLiteral("ganSource"));
    m_source->addItem(tr("GAN (trained here)"), int(Source::Gan));
    m_source->addItem(tr("VAE (the run on screen)"), int(Source::Vae));
    cform->addRow(tr("Generator"), m_source);
    m_sampleCount = new QSpinBox;
    m_sampleCount->setRange(10, 100000);
    m_sampleCount->setValue(2000);
    m_sampleCount->setSingleStep(500);
    cform->addRow(tr("Samples"), m_sampleCount);
    right->addLayout(cform);
    m_compareButton = new QPushButton(tr("Compare"));
    m_compareButton->setObjectName(QStringLiteral("ganCompare"));
    m_compareButton->setToolTip(tr("Improved precision (are samples realistic?) and recall (is the variety covered?) of the "
                                   "samples against the real rows, in the PCA-50 space of the real rows (k = 3), and the "
                                   "classes a 10-NN classifier of the real rows gives them."));
    connect(m_compareButton, &QPushButton::clicked, this,
            [this] { compare(Source(m_source->currentData().toInt()), m_sampleCount->value()); });
    right->addWidget(m_compareButton);
    m_qualityText = new QLabel;
    m_qualityText->setObjectName(QStringLiteral("ganQuality"));
    m_qualityText->setWordWrap(true);
    m_qualityText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_qualityText->setMinimumWidth(220);
    right->addWidget(m_qualityText);
    m_openJoint = new QPushButton(tr("Open real + generated"));
    m_openJoint->setObjectName(QStringLiteral("ganOpenJoint"));
    m_openJoint->setToolTip(tr("Open the real rows and the samples as one dataset, coloured by source: run t-SNE or "
                               "UMAP on it to see where the samples land."));
    m_openJoint->setEnabled(false);
    connect(m_openJoint, &QPushButton::clicked, this, [this] {
        if (m_joint) emit openJointRequested(m_joint, m_jointName);
    });
    right->addWidget(m_openJoint);
    right->addStretch(1);
    outer->addLayout(right);

    // Scrolls rather than widening the window: the dock's contents need ~1,100 pixels side by side.
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(body);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    setWidget(scroll);
    updateSourceChoice();
    newStripEnds();
}

GeneratorPanel::~GeneratorPanel() {
    m_compare.cancel();
    m_job.reset();  // cancels and joins the worker
}

void GeneratorPanel::setDataset(std::shared_ptr<const data::Dataset> dataset) {
    if (m_job) {
        ++m_generation;  // its queued signals are stale now
        m_job.reset();   // cancels and joins the worker (at most one chunk, ~40 ms)
        m_trainButton->setText(tr("Train GAN"));
        m_noiseDims->setEnabled(true);
    }
    m_compare.cancel();
    m_dataset = std::move(dataset);
    m_style.setDataset(m_dataset, false);
    m_model.reset();
    m_grid.clear();
    m_plane.clear();
    m_cursorValues.clear();
    m_stripValues.clear();
    m_quality.reset();
    m_joint.reset();
    m_openJoint->setEnabled(false);
    m_qualityText->clear();
    m_loss->clear();
    m_progress->setValue(0);
    for (auto* v : m_gridViews) v->clearSample();
    for (auto* v : m_stripViews) v->clearSample();
    m_cursorView->clearSample();
    m_planeView->setTiles({});
    m_status->setText(m_dataset ? tr("%1 rows of %2 features: ready to train.")
                                      .arg(QLocale().toString(qlonglong(m_dataset->n)), QLocale().toString(qlonglong(m_dataset->d)))
                                : tr("Open a dataset, then train."));
    m_trainButton->setEnabled(m_dataset != nullptr);
    updateSourceChoice();
}

void GeneratorPanel::setVae(std::shared_ptr<const reduce::autoencoder::Model> vae) {
    m_vae = vae && vae->variational && m_dataset && vae->input_dims == m_dataset->d ? std::move(vae) : nullptr;
    updateSourceChoice();
}

void GeneratorPanel::updateSourceChoice() {
    // The VAE entry is enabled only while the run on screen has one.
    const int vae = m_source->findData(int(Source::Vae));
    if (auto* items = qobject_cast<QStandardItemModel*>(m_source->model()); items && vae >= 0) {
        items->item(vae)->setEnabled(m_vae != nullptr);
        if (!m_vae && m_source->currentIndex() == vae) m_source->setCurrentIndex(m_source->findData(int(Source::Gan)));
    }
    m_compareButton->setEnabled(m_dataset && (m_model || m_vae) && !isComparing());
}

void GeneratorPanel::setNoiseDims(int dims) { m_noiseDims->setValue(dims); }
void GeneratorPanel::setEpochs(int epochs) { m_epochs->setValue(epochs); }

std::vector<float> GeneratorPanel::fixedNoise() const {
    const int dims = m_noiseDims->value();
    std::vector<float> z = gan::noise(gridSamples, dims, 7);
    if (dims == 2) {
        // The plane's tiles: centres of a planeTiles x planeTiles grid, top row first.
        for (int y = 0; y < planeTiles; ++y)
            for (int x = 0; x < planeTiles; ++x) {
                const double step = 2 * planeExtent / planeTiles;
                z.push_back(float(-planeExtent + (x + 0.5) * step));
                z.push_back(float(planeExtent - (y + 0.5) * step));
            }
    }
    return z;
}

void GeneratorPanel::train() {
    if (!m_dataset) return;
    stop();
    gan::Options o;
    o.noise_dims = m_noiseDims->value();
    o.epochs = m_epochs->value();
    // Features on very different scales (not images) train better standardised.
    o.standardize = m_dataset->images.empty() && m_dataset->d < 256;
    m_modelNoiseDims = o.noise_dims;
    m_job.reset();  // a stopped job whose end was not delivered yet
    const int generation = ++m_generation;
    m_job = std::make_unique<EmbeddingJob>(makeGanMethod(m_dataset, o, fixedNoise()));
    // Queued, and dropped once a newer job (or a new dataset) came: a signal can outlive its job.
    connect(m_job.get(), &EmbeddingJob::snapshotReady, this, [this, generation] {
        if (generation == m_generation) takeSnapshot();
    }, Qt::QueuedConnection);
    connect(m_job.get(), &EmbeddingJob::finished, this, [this, generation](bool canceled, const QString& error) {
        if (generation == m_generation) jobEnded(canceled, error);
    }, Qt::QueuedConnection);
    m_trainButton->setText(tr("Stop"));
    m_noiseDims->setEnabled(false);
    m_status->setText(tr("Training…"));
    m_planeView->setEnabled(o.noise_dims == 2);
    if (o.noise_dims != 2) m_planeView->setTiles({});
    newStripEnds();
    m_job->start();
}

void GeneratorPanel::stop() {
    if (!m_job) return;
    m_job->cancel();  // reports finished(canceled) at once; the worker stops within a chunk
}

void GeneratorPanel::jobEnded(bool canceled, const QString& error) {
    if (!m_job) return;
    takeSnapshot();
    // Deleting the job joins its worker, which is at most one chunk (~40 ms) from stopping.
    auto job = std::move(m_job);
    job.reset();
    m_trainButton->setText(tr("Train GAN"));
    m_noiseDims->setEnabled(true);
    if (!error.isEmpty()) m_status->setText(tr("Training failed: %1").arg(error));
    else if (canceled) m_status->setText(m_status->text() + tr(" (stopped)"));
    updateSourceChoice();
    emit trainingFinished(canceled, error);
}

void GeneratorPanel::takeSnapshot() {
    if (!m_job) return;
    std::optional<EmbeddingSnapshot> s = m_job->takeSnapshot();
    if (!s) return;
    m_progress->setMaximum(std::max(1, s->maxIterations));
    m_progress->setValue(s->iteration);
    m_loss->setProgress(s->training);
    if (s->training && !s->training->epochs.empty()) {
        const auto& e = s->training->epochs.back();
        const QLocale locale;
        m_status->setText(tr("Epoch %1 of %2: generator %3, discriminator %4 (%5 s)")
                              .arg(e.epoch)
                              .arg(s->training->maxEpochs)
                              .arg(locale.toString(e.train_loss, 'g', 3), locale.toString(e.validation_loss, 'g', 3),
                                   locale.toString(s->elapsedSeconds, 'f', 1)));
    }
    if (s->generator && s->generator != m_model) {
        m_model = s->generator;
        const std::size_t d = std::size_t(m_model->data_dims);
        const std::size_t gridValues = std::size_t(gridSamples) * d;
        m_grid.assign(s->coordinates.begin(), s->coordinates.begin() + std::min(gridValues, s->coordinates.size()));
        if (s->coordinates.size() > gridValues) m_plane.assign(s->coordinates.begin() + gridValues, s->coordinates.end());
        else m_plane.clear();
        presentGrid();
        generateStrip();
        updateSourceChoice();
    }
}

void GeneratorPanel::presentGrid() {
    if (!m_model || !m_dataset) return;
    const std::size_t d = std::size_t(m_model->data_dims);
    for (int i = 0; i < gridSamples && (i + 1) * d <= m_grid.size(); ++i) m_style.present(m_gridViews[std::size_t(i)], m_grid.data() + i * d, nullptr);
    std::vector<QImage> tiles;
    if (m_style.showsImages() && m_plane.size() == std::size_t(planeTiles * planeTiles) * d) {
        SampleView scratch(8);
        for (int t = 0; t < planeTiles * planeTiles; ++t) {
            m_style.present(&scratch, m_plane.data() + t * d, nullptr);
            tiles.push_back(scratch.image());
        }
    }
    m_planeView->setTiles(std::move(tiles));
}

void GeneratorPanel::showAt(double x, double y) {
    if (!m_model || m_model->noise_dims != 2 || !std::isfinite(x) || !std::isfinite(y)) return;
    const float z[2] = {float(x), float(y)};
    try {
        m_cursorValues = m_model->generate(z, 1);
    } catch (const std::exception& e) {
        m_status->setText(tr("Cannot generate here: %1").arg(QString::fromUtf8(e.what())));
        return;
    }
    m_style.present(m_cursorView, m_cursorValues.data(), nullptr);
    const QLocale locale;
    m_cursorView->setCaption(QStringLiteral("(%1, %2)").arg(locale.toString(x, 'f', 2), locale.toString(y, 'f', 2)));
}

void GeneratorPanel::setStripStart(std::vector<float> z) {
    m_stripA = std::move(z);
    generateStrip();
}

void GeneratorPanel::setStripEnd(std::vector<float> z) {
    m_stripB = std::move(z);
    generateStrip();
}

void GeneratorPanel::newStripEnds() {
    const int dims = m_model ? m_model->noise_dims : m_noiseDims->value();
    const std::vector<float> ends = gan::noise(2, dims, 1000 + std::uint64_t(m_stripDraw++));
    m_stripA.assign(ends.begin(), ends.begin() + dims);
    m_stripB.assign(ends.begin() + dims, ends.end());
    generateStrip();
}

void GeneratorPanel::generateStrip() {
    const bool plane = m_model && m_model->noise_dims == 2;
    m_planeView->setEnds(plane && m_stripA.size() == 2 ? std::optional<QPointF>(QPointF(m_stripA[0], m_stripA[1])) : std::nullopt,
                         plane && m_stripB.size() == 2 ? std::optional<QPointF>(QPointF(m_stripB[0], m_stripB[1])) : std::nullopt);
    if (!m_model || !m_dataset || m_stripA.size() != std::size_t(m_model->noise_dims) || m_stripB.size() != m_stripA.size()) {
        m_stripValues.clear();
        m_stripText->setText(tr("Interpolation between two noise vectors A and B (after the first epoch)"));
        return;
    }
    try {
        const std::vector<float> z = gan::interpolate(m_stripA, m_stripB, stripSteps);
        m_stripValues = m_model->generate(z.data(), stripSteps);
    } catch (const std::exception& e) {
        m_stripValues.clear();
        m_stripText->setText(tr("Cannot interpolate: %1").arg(QString::fromUtf8(e.what())));
        return;
    }
    const std::size_t d = std::size_t(m_model->data_dims);
    for (int k = 0; k < stripSteps; ++k) {
        m_style.present(m_stripViews[std::size_t(k)], m_stripValues.data() + k * d, nullptr);
        m_stripViews[std::size_t(k)]->setCaption(k == 0 ? tr("A") : k == stripSteps - 1 ? tr("B") : QString::number(k));
    }
    m_stripText->setText(plane ? tr("From A to B (click the plane: left sets A, right sets B)")
                               : tr("From A to B, two random %1-D noise vectors").arg(m_model->noise_dims));
}

void GeneratorPanel::compare(Source source, int samples) {
    if (!m_dataset) return;
    std::shared_ptr<const gan::Model> ganModel = source == Source::Gan ? m_model : nullptr;
    std::shared_ptr<const reduce::autoencoder::Model> vae = source == Source::Vae ? m_vae : nullptr;
    if (!ganModel && !vae) {
        m_qualityText->setText(source == Source::Gan ? tr("Train the GAN first.") : tr("The run on screen has no VAE."));
        return;
    }
    const auto dataset = m_dataset;
    const std::int64_t n = samples;
    m_compareButton->setEnabled(false);
    m_qualityText->setText(tr("Drawing %1 samples and measuring them…").arg(QLocale().toString(samples)));
    m_compare.start(
        [dataset, ganModel, vae, n](const CancelToken& canceled) {
            Comparison c;
            std::vector<float> rows;
            if (ganModel) {
                const auto z = gan::noise(n, ganModel->noise_dims, 42);
                rows = ganModel->generate(z.data(), n);
                c.source = QStringLiteral("gan");
            } else {
                const auto z = gan::noise(n, vae->latent_dims, 42);
                rows = vae->decode(z.data(), n);
                c.source = QStringLiteral("vae");
            }
            canceled.throwIfCanceled();
            const data::Dataset& ds = *dataset;
            const data::MetadataColumn* label = ds.label();
            const bool categorical = label && label->kind == data::ColumnKind::Categorical;
            metrics::GeneratedComparison options;
            options.max_real = 5000;
            c.quality = metrics::compare_generated(ds.features.data(), ds.n, ds.d, rows.data(), n,
                                                   categorical ? label->codes.data() : nullptr,
                                                   categorical ? int(label->categories.size()) : 0, options);
            canceled.throwIfCanceled();
            c.joint = std::make_shared<const data::Dataset>(data::append_generated(ds, rows.data(), n, c.source.toStdString()));
            return c;
        },
        [this](Comparison c) {
            showQuality(c);
            m_quality = c.quality;
            m_joint = c.joint;
            m_jointName = tr("real + %1 samples").arg(c.source.toUpper());
            m_openJoint->setEnabled(true);
            updateSourceChoice();
            emit compared();
        },
        [this](const QString& error) {
            m_qualityText->setText(tr("Cannot compare: %1").arg(error));
            updateSourceChoice();
        });
}

void GeneratorPanel::showQuality(const Comparison& c) {
    const QLocale locale;
    const auto& q = c.quality;
    QString text = tr("<b>%1</b> against %2 real rows (PCA-%3): precision <b>%4</b>, recall <b>%5</b>")
                       .arg(c.source.toUpper(), locale.toString(qlonglong(q.real_used)), QString::number(q.dims),
                            locale.toString(q.precision_recall.precision, 'f', 3),
                            locale.toString(q.precision_recall.recall, 'f', 3));
    if (q.coverage && m_dataset && m_dataset->label()) {
        const auto& names = m_dataset->label()->categories;
        text += tr("<br>classes covered: %1 of %2<br>").arg(q.coverage->covered).arg(names.size());
        QStringList shares;
        for (std::size_t k = 0; k < names.size() && k < q.coverage->generated_share.size(); ++k)
            shares << tr("%1: %2% (real %3%)")
                          .arg(QString::fromStdString(names[k]).toHtmlEscaped(),
                               locale.toString(100.0 * q.coverage->generated_share[k], 'f', 1),
                               locale.toString(100.0 * q.coverage->real_share[k], 'f', 1));
        text += shares.join(QStringLiteral("<br>"));
    }
    m_qualityText->setText(text);
}

}  // namespace latentscape::ui
