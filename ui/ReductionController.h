#pragma once
/// @file Runs reductions for the main window: starts an EmbeddingJob for a RunSpec (the Reduction
/// panel's, or a run's to re-run), records it as a Run in the Document and hands the document its
/// snapshots at up to 30 per second (the newest wins; faster ones are coalesced), reports
/// iteration, cost and time left in the status bar, and cancels or pauses it. Views draw what the
/// document holds; this class draws nothing. A new run or a new dataset cancels the old run.

#include "jobs/EmbeddingJob.h"
#include "model/RunSpec.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <memory>
#include <vector>

class QLabel;
class QProgressBar;
class QStatusBar;

namespace latentscape::ui {

class VtkView;

class Document;
class ReductionPanel;

class ReductionController : public QObject {
    Q_OBJECT
public:
    /// `view` is the widget that draws the running embedding: its frame cost paces the snapshots.
    ReductionController(ReductionPanel* panel, Document* document, VtkView* view, QStatusBar* statusBar,
                        QObject* parent = nullptr);
    /// Cancels the run and waits for every worker.
    ~ReductionController() override;

    /// Starts the panel's method on the document's dataset (cancelling a run in progress).
    void run();
    /// Starts `spec` as a new run (false, with a message in the status bar, if it cannot start).
    bool run(const RunSpec& spec);
    void cancel();
    void setPaused(bool paused);

    bool isRunning() const { return m_job != nullptr; }
    /// The run being computed (or last computed) by this controller; -1 if none.
    int runId() const { return m_runId; }

    // The run the main view shows (the document's current run): for callers and tests.
    bool hasEmbedding() const;
    /// Its embedding, n x embeddingDims() row-major (empty if none).
    const std::vector<float>& embedding() const;
    int embeddingDims() const;
    int embeddingIteration() const;
    /// "PCA", "t-SNE", "Autoencoder" or "VAE".
    QString methodName() const;
    /// The autoencoder's network as of the embedding shown; null when not an autoencoder's.
    std::shared_ptr<const reduce::autoencoder::Model> model() const;
    /// The loss history of the shown autoencoder run; empty for other methods.
    const std::optional<TrainingProgress>& training() const;

    /// Snapshots handed to the document for the current (or last) run.
    int framesShown() const { return m_frames; }
    /// Worker threads still running: the current run's and canceled ones finishing their step.
    int workersAlive() const;
    /// Minimum time between two frames: 30 frames per second at most.
    static constexpr int frameIntervalMs = 33;

signals:
    /// A run begins (the document has a new current run).
    void runStarted();
    /// A snapshot of the running reduction reached the document.
    void embeddingShown();
    /// The run ended; `error` is empty unless it failed.
    void runFinished(bool canceled, const QString& error);
    /// A snapshot of an epoch-based run arrived: training() (and maybe model()) changed.
    void trainingChanged();
    /// model() was replaced (a new epoch's weights, or none).
    void modelChanged();

private:
    /// The run's line in the status bar (the label widens to fit it: never clipped).
    void setStatus(const QString& text);
    void onSnapshotReady();
    void showLatest();
    void onFinished(bool canceled, const QString& error);
    void retire();
    void reapRetired();

    ReductionPanel* m_panel;
    Document* m_document;
    QStatusBar* m_statusBar;
    QProgressBar* m_progress = nullptr;
    QLabel* m_label = nullptr;
    QTimer m_frameTimer;
    bool m_framePending = false;

    std::unique_ptr<EmbeddingJob> m_job;
    std::vector<std::unique_ptr<EmbeddingJob>> m_retired;  // canceled, still finishing a step
    int m_runId = -1;
    QString m_methodName;
    RunSpec::Method m_method = RunSpec::Method::Tsne;  // the current (or last) run's
    int m_frames = 0;
    std::shared_ptr<const reduce::autoencoder::Model> m_lastModel;
    QElapsedTimer m_runClock;
    QElapsedTimer m_drawClock;
    double m_frameCostMs = 0.0;
};

}  // namespace latentscape::ui
