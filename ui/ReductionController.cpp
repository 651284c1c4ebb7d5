#include "ReductionController.h"

#include "vtk/VtkView.h"

#include "data/dataset.h"
#include "jobs/RunInput.h"
#include "model/Document.h"
#include "panels/ReductionPanel.h"

#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QRegularExpression>
#include <QStatusBar>

#include <algorithm>
#include <cmath>

namespace latentscape::ui {

ReductionController::ReductionController(ReductionPanel* panel, Document* document, VtkView* view,
                                         QStatusBar* statusBar, QObject* parent)
    : QObject(parent), m_panel(panel), m_document(document), m_statusBar(statusBar) {
    m_progress = new QProgressBar(statusBar);
    m_progress->setObjectName(QStringLiteral("reductionProgress"));
    m_progress->setMaximumWidth(200);
    m_progress->setMaximumHeight(14);
    m_progress->hide();
    m_label = new QLabel(statusBar);
    m_label->setObjectName(QStringLiteral("reductionStatus"));
    statusBar->addPermanentWidget(m_label);
    statusBar->addPermanentWidget(m_progress);

    m_frameTimer.setSingleShot(true);
    m_frameTimer.setInterval(frameIntervalMs);
    connect(&m_frameTimer, &QTimer::timeout, this, [this] {
        if (m_framePending) showLatest();
    });
    // What a frame costs, from handing a snapshot over until the view has drawn it: it paces the
    // next snapshot (the software rasteriser shares the cores with the optimisation).
    connect(view, &VtkView::frameShown, this, [this] {
        if (!m_drawClock.isValid()) return;
        m_frameCostMs = double(m_drawClock.nsecsElapsed()) * 1e-6;
        m_drawClock.invalidate();
    });
    connect(panel, &ReductionPanel::runRequested, this, qOverload<>(&ReductionController::run));
    connect(panel, &ReductionPanel::cancelRequested, this, &ReductionController::cancel);
    connect(panel, &ReductionPanel::pauseToggled, this, &ReductionController::setPaused);
    // A new dataset ends the run: its rows are gone.
    connect(document, &Document::datasetChanged, this, [this] {
        cancel();
        m_runId = -1;
        m_label->clear();
        m_label->setMinimumWidth(0);
    });
}

void ReductionController::setStatus(const QString& text) {
    // Never narrower than the widest text this label has shown since the dataset came: a status
    // bar squeezes a label that grows between two layouts ("iteration 12 / 1,00"), and the final
    // line (time, cost) is the longest. Growing only also keeps the label from jittering.
    const int width = m_label->fontMetrics().horizontalAdvance(text) + 2 * m_label->margin() + 8;
    if (width > m_label->minimumWidth()) m_label->setMinimumWidth(width);
    m_label->setText(text);
}

ReductionController::~ReductionController() {
    // No more reports to this object (or its widgets) from here on.
    if (m_job) disconnect(m_job.get(), nullptr, this, nullptr);
    for (auto& job : m_retired) disconnect(job.get(), nullptr, this, nullptr);
    if (m_job) m_job->cancel();
    // Destroying a job joins its worker.
    m_job.reset();
    m_retired.clear();
}

bool ReductionController::hasEmbedding() const {
    const auto r = m_document->currentRun();
    return r && r->hasEmbedding();
}

const std::vector<float>& ReductionController::embedding() const {
    static const std::vector<float> none;
    const auto r = m_document->currentRun();
    return r && r->embedding ? *r->embedding : none;
}

int ReductionController::embeddingDims() const {
    const auto r = m_document->currentRun();
    return r ? r->dims : 2;
}

int ReductionController::embeddingIteration() const {
    const auto r = m_document->currentRun();
    return r ? r->iterations : 0;
}

QString ReductionController::methodName() const {
    const auto r = m_document->currentRun();
    return r ? r->spec.methodName() : m_methodName;
}

std::shared_ptr<const reduce::autoencoder::Model> ReductionController::model() const {
    const auto r = m_document->currentRun();
    return r ? r->model : nullptr;
}

const std::optional<TrainingProgress>& ReductionController::training() const {
    static const std::optional<TrainingProgress> none;
    const auto r = m_document->currentRun();
    return r ? r->training : none;
}

void ReductionController::run() {
    QString error;
    const std::optional<RunSpec> spec = m_panel->spec(&error);
    if (!spec) {
        m_statusBar->showMessage(error, 10000);
        return;
    }
    m_panel->saveSettings();
    run(*spec);
}

bool ReductionController::run(const RunSpec& spec) {
    const auto dataset = m_document->dataset();
    if (!dataset) return false;
    if (!spec.isComputed()) {
        m_statusBar->showMessage(tr("“%1” came with the data: it cannot be run again").arg(spec.importedFrom), 8000);
        return false;
    }
    cancel();
    reapRetired();
    const auto make = [spec](std::shared_ptr<const data::Dataset> input) -> std::unique_ptr<IterativeMethod> {
        switch (spec.method) {
            case RunSpec::Method::Tsne: return makeTsneMethod(std::move(input), spec.tsne);
            case RunSpec::Method::Pca: return makePcaMethod(std::move(input), spec.pca);
            case RunSpec::Method::Autoencoder: return makeAutoencoderMethod(std::move(input), spec.autoencoder);
            case RunSpec::Method::Umap: return makeUmapMethod(std::move(input), spec.umap);
            case RunSpec::Method::Imported: break;
        }
        return nullptr;
    };
    // The preprocessing (issue 15) is fitted and applied on the worker, as the method starts.
    std::unique_ptr<IterativeMethod> method = spec.preprocess == data::Preprocess::None
                                                  ? make(dataset)
                                                  : makePreprocessedMethod(dataset, spec.preprocess, spec.methodName(), spec.dims, make);
    m_methodName = method->name();
    m_method = spec.method;
    m_job = std::make_unique<EmbeddingJob>(std::move(method));
    EmbeddingJob* job = m_job.get();
    connect(job, &EmbeddingJob::snapshotReady, this, &ReductionController::onSnapshotReady);
    connect(job, &EmbeddingJob::optimisationStarted, this, [this] {
        setStatus(tr("%1: optimising…").arg(m_methodName));
    });
    connect(job, &EmbeddingJob::finished, this, [this, job](bool canceled, const QString& error) {
        if (job == m_job.get()) onFinished(canceled, error);
    });
    connect(job, &EmbeddingJob::stopped, this, &ReductionController::reapRetired, Qt::QueuedConnection);
    m_frames = 0;
    m_lastModel.reset();
    m_runId = m_document->addRun(spec);
    if (spec.method == RunSpec::Method::Autoencoder) m_document->setRunTraining(m_runId, TrainingProgress{});
    m_document->setCurrentRun(m_runId);
    m_runClock.start();
    m_panel->setRunning(true);
    m_progress->setRange(0, 0);
    m_progress->show();
    setStatus(spec.method == RunSpec::Method::Autoencoder ? tr("%1: preparing…").arg(m_methodName)
                                                                 : tr("%1: finding neighbours…").arg(m_methodName));
    // Room for the longest line this run will show, at once: the label does not grow digit by
    // digit (and shift its neighbours) as the iterations count up.
    {
        const QLocale locale;
        int most = 1000;
        QString cost = QStringLiteral("KL");
        switch (spec.method) {
            case RunSpec::Method::Tsne: most = spec.tsne.iterations; break;
            case RunSpec::Method::Umap: most = spec.umap.n_epochs.value_or(500); cost = QStringLiteral("cross-entropy"); break;
            case RunSpec::Method::Autoencoder: most = spec.autoencoder.epochs; cost = QStringLiteral("loss"); break;
            default: break;
        }
        const QString count = locale.toString(most).replace(QRegularExpression(QStringLiteral("\\d")), QStringLiteral("8"));
        const QString widest = tr("%1: iteration %2 / %2, %3 8.8888, 8,888 s left").arg(m_methodName, count, cost);
        const int width = m_label->fontMetrics().horizontalAdvance(widest) + 2 * m_label->margin() + 8;
        if (width > m_label->minimumWidth()) m_label->setMinimumWidth(width);
    }
    emit runStarted();
    emit modelChanged();
    job->start();
    return true;
}

void ReductionController::cancel() {
    if (!m_job) return;
    m_job->cancel();  // reports finished(canceled) at once, which retires the job...
    // ... unless the job had already reported finishing (queued, not yet delivered): retire it
    // here, so that report finds no current job and is dropped.
    if (m_job) onFinished(true, QString());
}

void ReductionController::setPaused(bool paused) {
    if (!m_job) return;
    m_job->setPaused(paused);
    m_panel->setPaused(paused);
    const auto r = m_document->run(m_runId);
    setStatus(paused ? tr("%1: paused at iteration %2").arg(m_methodName).arg(r ? r->iterations : 0)
                            : tr("%1: optimising…").arg(m_methodName));
}

void ReductionController::onSnapshotReady() {
    // Coalesce: hand over now if the last frame is old enough, else once the interval has passed.
    if (m_frameTimer.isActive()) {
        m_framePending = true;
        return;
    }
    showLatest();
}

void ReductionController::showLatest() {
    m_framePending = false;
    if (!m_job) return;
    std::optional<EmbeddingSnapshot> s = m_job->takeSnapshot();
    const auto dataset = m_document->dataset();
    const auto run = m_document->run(m_runId);
    if (!s || !dataset || !run) return;
    const auto n = std::size_t(dataset->n);
    if (s->coordinates.size() != n * std::size_t(s->dims)) return;
    // The autoencoder's codes change once per epoch: a snapshot within an epoch brings the same
    // coordinates and only needs the status (and loss curve) updated, not a new frame.
    const bool moved = m_frames == 0 || s->dims != run->dims || !run->embedding || s->coordinates != *run->embedding;
    if (moved) {
        m_drawClock.start();  // until the frame is on screen (frameShown): what a frame costs
        m_document->setRunEmbedding(m_runId, std::make_shared<const std::vector<float>>(std::move(s->coordinates)),
                                    s->dims, s->iteration, s->cost, s->costName);
    }
    ++m_frames;
    const bool epochs = s->training.has_value();
    if (s->model != m_lastModel) {
        m_lastModel = s->model;
        m_document->setRunModel(m_runId, std::move(s->model));
        emit modelChanged();
    }
    if (epochs) m_document->setRunTraining(m_runId, std::move(s->training));

    const QLocale locale;
    QString text;
    if (m_method == RunSpec::Method::Pca)
        text = tr("%1: computed").arg(m_methodName);  // one step: no iterations to count
    else if (epochs)
        text = tr("%1: epoch %2 / %3").arg(m_methodName, locale.toString(int(m_document->run(m_runId)->training->epochs.size())),
                                           locale.toString(m_document->run(m_runId)->training->maxEpochs));
    else
        text = tr("%1: iteration %2 / %3").arg(m_methodName, locale.toString(s->iteration), locale.toString(s->maxIterations));
    if (std::isfinite(s->cost)) text += QStringLiteral(", %1 %2").arg(s->costName, locale.toString(s->cost, 'f', 4));
    if (!s->final && s->iteration > 0) {
        const double left = s->elapsedSeconds / s->iteration * (s->maxIterations - s->iteration);
        text += tr(", %1 s left").arg(locale.toString(left, 'f', 0));
    }
    setStatus(text);
    m_progress->setRange(0, s->maxIterations);
    m_progress->setValue(s->iteration);
    // At most 30 frames per second, and drawing at most about a third of the time: without a GPU
    // the software rasteriser shares the cores with the optimisation (10,000 points: 10.5 s at
    // 24 fps against 6.7 s at 10 fps in Xvfb).
    m_frameTimer.start(moved ? std::clamp(int(3.0 * m_frameCostMs), frameIntervalMs, 250) : frameIntervalMs);
    emit embeddingShown();
    if (epochs) emit trainingChanged();
}

void ReductionController::onFinished(bool canceled, const QString& error) {
    // The final frame (it may still be in the slot, behind the frame timer).
    if (!canceled && error.isEmpty()) showLatest();
    m_frameTimer.stop();
    m_framePending = false;
    m_progress->hide();
    m_panel->setRunning(false);
    const double seconds = m_runClock.isValid() ? double(m_runClock.nsecsElapsed()) * 1e-9 : 0.0;
    // The job is retired before the document hears of the end: observers of the document (a run
    // deleted, a new run started) then find no job running here.
    retire();
    const auto run = m_document->run(m_runId);
    const int iterations = run ? run->iterations : 0;
    const QLocale locale;
    const QString time = tr("%1 s").arg(locale.toString(seconds, 'f', seconds < 10 ? 1 : 0));
    if (!error.isEmpty()) {
        setStatus(tr("%1 failed").arg(m_methodName));
        m_statusBar->showMessage(tr("%1 failed: %2").arg(m_methodName, error), 15000);
    } else if (canceled && run && run->training) {
        setStatus(tr("%1: canceled after %2 epochs").arg(m_methodName).arg(run->training->epochs.size()));
    } else if (canceled) {
        setStatus(tr("%1: canceled at iteration %2").arg(m_methodName).arg(iterations));
    } else if (run && run->training) {
        const int epochs = int(run->training->epochs.size());
        QString text = run->training->stoppedEarly ? tr("%1: stopped early after %2 epochs in %3").arg(m_methodName).arg(epochs).arg(time)
                                                   : tr("%1: done, %2 epochs in %3").arg(m_methodName).arg(epochs).arg(time);
        if (!run->training->epochs.empty()) {
            const auto& last = run->training->epochs.back();
            text += tr(", loss %1").arg(locale.toString(last.train_loss, 'g', 4));
            if (std::isfinite(last.validation_loss))
                text += tr(" (held out %1)").arg(locale.toString(last.validation_loss, 'g', 4));
        }
        setStatus(text);
    } else if (m_method == RunSpec::Method::Pca) {
        setStatus(tr("%1: done in %2").arg(m_methodName, time));
    } else {
        QString text = tr("%1: done, %2 iterations in %3").arg(m_methodName, locale.toString(iterations), time);
        if (run && std::isfinite(run->cost) && !run->costName.isEmpty())
            text += QStringLiteral(", %1 %2").arg(run->costName, locale.toString(run->cost, 'f', 4));
        setStatus(text);
    }
    if (run && canceled && !run->hasEmbedding()) {
        m_document->removeRun(m_runId);  // canceled before its first frame: nothing to keep
        m_runId = -1;
    } else if (run) {
        m_document->finishRun(m_runId, !error.isEmpty() ? Run::State::Failed : canceled ? Run::State::Canceled : Run::State::Done,
                              seconds, error);
    }
    emit runFinished(canceled, error);
}

int ReductionController::workersAlive() const {
    int alive = m_job && !m_job->isFinished() ? 1 : 0;
    for (const auto& job : m_retired) alive += job->isFinished() ? 0 : 1;
    return alive;
}

void ReductionController::retire() {
    // A canceled worker may still be inside a step (the neighbour search cannot be interrupted):
    // keep it until its thread ends, so the GUI thread never waits for it.
    if (m_job) m_retired.push_back(std::move(m_job));
    reapRetired();
}

void ReductionController::reapRetired() {
    std::erase_if(m_retired, [](const std::unique_ptr<EmbeddingJob>& job) { return job->isFinished(); });
}

}  // namespace latentscape::ui
