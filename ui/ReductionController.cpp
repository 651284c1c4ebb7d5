#include "ReductionController.h"

#include "data/dataset.h"
#include "panels/ReductionPanel.h"
#include "vtk/ScatterView.h"

#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QStatusBar>

#include <algorithm>
#include <cmath>

namespace latentscape::ui {

ReductionController::ReductionController(ReductionPanel* panel, ScatterView* view, QStatusBar* statusBar,
                                         QObject* parent)
    : QObject(parent), m_panel(panel), m_view(view), m_statusBar(statusBar) {
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
    connect(view, &QOpenGLWidget::frameSwapped, this, [this] {
        if (!m_drawClock.isValid()) return;
        m_frameCostMs = double(m_drawClock.nsecsElapsed()) * 1e-6;
        m_drawClock.invalidate();
    });
    connect(panel, &ReductionPanel::runRequested, this, &ReductionController::run);
    connect(panel, &ReductionPanel::cancelRequested, this, &ReductionController::cancel);
    connect(panel, &ReductionPanel::pauseToggled, this, &ReductionController::setPaused);
}

ReductionController::~ReductionController() {
    // No more reports to this object (or its widgets) from here on.
    for (auto* job : {m_job.get()})
        if (job) disconnect(job, nullptr, this, nullptr);
    for (auto& job : m_retired) disconnect(job.get(), nullptr, this, nullptr);
    if (m_job) m_job->cancel();
    // Destroying a job joins its worker.
    m_job.reset();
    m_retired.clear();
}

void ReductionController::setDataset(std::shared_ptr<const data::Dataset> dataset) {
    cancel();
    m_dataset = std::move(dataset);
    m_embedding.clear();
    m_iteration = 0;
    m_label->clear();
    m_training.reset();
    if (m_model) {
        m_model.reset();
        emit modelChanged();
    }
}

void ReductionController::showEmbedding(const QString& method, std::vector<float> coordinates, int dims, int iterations) {
    cancel();
    m_methodName = method;
    m_embedding = std::move(coordinates);
    m_dims = dims;
    m_iteration = iterations;
    m_frames = 0;
    m_training.reset();
    if (m_model) {
        m_model.reset();
        emit modelChanged();
    }
    if (m_display) draw();
    ++m_frames;
    emit embeddingShown();
}

void ReductionController::run() {
    if (!m_dataset) return;
    cancel();
    reapRetired();
    std::unique_ptr<IterativeMethod> method;
    switch (m_panel->method()) {
        case ReductionPanel::Method::Tsne: method = makeTsneMethod(m_dataset, m_panel->tsneOptions()); break;
        case ReductionPanel::Method::Pca: method = makePcaMethod(m_dataset, m_panel->pcaOptions()); break;
        case ReductionPanel::Method::Autoencoder: {
            QString error;
            const auto options = m_panel->autoencoderOptions(&error);
            if (!options) {
                m_statusBar->showMessage(error, 10000);
                return;
            }
            method = makeAutoencoderMethod(m_dataset, *options);
            break;
        }
    }
    m_methodName = method->name();
    m_job = std::make_unique<EmbeddingJob>(std::move(method));
    EmbeddingJob* job = m_job.get();
    connect(job, &EmbeddingJob::snapshotReady, this, &ReductionController::onSnapshotReady);
    connect(job, &EmbeddingJob::optimisationStarted, this, [this] {
        m_label->setText(tr("%1: optimising…").arg(m_methodName));
    });
    connect(job, &EmbeddingJob::finished, this, [this, job](bool canceled, const QString& error) {
        if (job == m_job.get()) onFinished(canceled, error);
    });
    connect(job, &EmbeddingJob::stopped, this, &ReductionController::reapRetired, Qt::QueuedConnection);
    m_frames = 0;
    m_training.reset();
    if (m_model) {
        m_model.reset();
        emit modelChanged();
    }
    m_panel->setRunning(true);
    m_panel->saveSettings();
    m_progress->setRange(0, 0);
    m_progress->show();
    m_label->setText(m_panel->method() == ReductionPanel::Method::Autoencoder
                         ? tr("%1: preparing…").arg(m_methodName)
                         : tr("%1: finding neighbours…").arg(m_methodName));
    emit runStarted();
    job->start();
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
    m_label->setText(paused ? tr("%1: paused at iteration %2").arg(m_methodName).arg(m_iteration)
                            : tr("%1: optimising…").arg(m_methodName));
}

void ReductionController::onSnapshotReady() {
    // Coalesce: draw now if the last frame is old enough, else once the interval has passed.
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
    if (!s || !m_dataset) return;
    const auto n = std::size_t(m_dataset->n);
    if (s->coordinates.size() != n * std::size_t(s->dims)) return;
    // The autoencoder's codes change once per epoch: a snapshot within an epoch brings the same
    // coordinates and only needs the status (and loss curve) updated, not a new frame.
    const bool moved = m_frames == 0 || s->dims != m_dims || s->coordinates != m_embedding;
    m_embedding = std::move(s->coordinates);
    m_dims = s->dims;
    m_iteration = s->iteration;
    if (m_display && moved) draw();
    ++m_frames;
    if (s->model != m_model) {
        m_model = std::move(s->model);
        emit modelChanged();
    }
    const bool epochs = s->training.has_value();
    if (epochs) m_training = std::move(s->training);

    const QLocale locale;
    QString text;
    if (epochs)
        text = tr("%1: epoch %2 / %3").arg(m_methodName, locale.toString(int(m_training->epochs.size())),
                                           locale.toString(m_training->maxEpochs));
    else
        text = tr("%1: iteration %2 / %3").arg(m_methodName, locale.toString(s->iteration),
                                               locale.toString(s->maxIterations));
    if (std::isfinite(s->cost)) text += QStringLiteral(", %1 %2").arg(s->costName, locale.toString(s->cost, 'f', 4));
    if (!s->final && s->iteration > 0) {
        const double left = s->elapsedSeconds / s->iteration * (s->maxIterations - s->iteration);
        text += tr(", %1 s left").arg(locale.toString(left, 'f', 0));
    }
    m_label->setText(text);
    m_progress->setRange(0, s->maxIterations);
    m_progress->setValue(s->iteration);
    // At most 30 frames per second, and rendering at most about a quarter of the time: software
    // rendering (no GPU) shares the cores with the optimisation.
    // At most 30 frames per second, and drawing at most about a third of the time: without a GPU
    // the software rasteriser shares the cores with the optimisation (10,000 points: 10.5 s at
    // 24 fps against 6.7 s at 10 fps in Xvfb).
    m_frameTimer.start(moved ? std::clamp(int(3.0 * m_frameCostMs), frameIntervalMs, 250) : frameIntervalMs);
    emit embeddingShown();
    if (epochs) emit trainingChanged();
}

void ReductionController::draw() {
    if (!m_dataset || m_embedding.empty() || (m_dims != 2 && m_dims != 3)) return;
    m_drawClock.start();  // until the frame is on screen (frameSwapped): what a frame costs
    const auto n = std::size_t(m_dataset->n);
    if (m_embedding.size() != n * std::size_t(m_dims)) return;
    if (m_dims == 2) {
        std::vector<float> x(n), y(n);
        for (std::size_t i = 0; i < n; ++i) {
            x[i] = m_embedding[2 * i];
            y[i] = m_embedding[2 * i + 1];
        }
        m_view->setPoints(x.data(), y.data(), n);
        m_view->setAxisLabels(tr("%1 1").arg(m_methodName), tr("%1 2").arg(m_methodName));
    } else {
        m_view->setPoints(m_embedding.data(), n);
    }
    // The embedding grows as it forms: keep it in view until the user takes the camera.
    if (m_frames == 0 || m_view->isCameraFitted()) m_view->resetCamera();
}

void ReductionController::setDisplayEnabled(bool enabled) {
    m_display = enabled;
    if (enabled) {
        draw();
        m_view->resetCamera();
    }
}

void ReductionController::onFinished(bool canceled, const QString& error) {
    // Show the final frame (it may still be in the slot, behind the frame timer).
    if (!canceled && error.isEmpty()) showLatest();
    m_frameTimer.stop();
    m_framePending = false;
    m_progress->hide();
    m_panel->setRunning(false);
    if (!error.isEmpty()) {
        m_label->setText(tr("%1 failed").arg(m_methodName));
        m_statusBar->showMessage(tr("%1 failed: %2").arg(m_methodName, error), 15000);
    } else if (canceled && m_training) {
        m_label->setText(tr("%1: canceled after %2 epochs").arg(m_methodName).arg(m_training->epochs.size()));
    } else if (canceled) {
        m_label->setText(tr("%1: canceled at iteration %2").arg(m_methodName).arg(m_iteration));
    } else if (m_training) {
        const int epochs = int(m_training->epochs.size());
        m_label->setText(m_training->stoppedEarly
                             ? tr("%1: stopped early after %2 epochs").arg(m_methodName).arg(epochs)
                             : tr("%1: done, %2 epochs").arg(m_methodName).arg(epochs));
    } else {
        m_label->setText(tr("%1: done, %2 iterations").arg(m_methodName).arg(m_iteration));
    }
    retire();
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
