#pragma once
/// @file Runs reductions for the main window: starts an EmbeddingJob with the Reduction panel's
/// options, shows its snapshots in the scatter view at up to 30 frames per second (the newest
/// wins; frames that arrive faster are coalesced), reports iteration, cost and time left in the
/// status bar, and cancels or pauses it. A new run or a new dataset cancels the old run.

#include "jobs/EmbeddingJob.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <memory>
#include <vector>

class QLabel;
class QProgressBar;
class QStatusBar;

namespace latentscape::ui {

class ReductionPanel;
class ScatterView;

class ReductionController : public QObject {
    Q_OBJECT
public:
    ReductionController(ReductionPanel* panel, ScatterView* view, QStatusBar* statusBar, QObject* parent = nullptr);
    /// Cancels the run and waits for every worker.
    ~ReductionController() override;

    /// Cancels any run and forgets the embedding (it belonged to the old rows).
    void setDataset(std::shared_ptr<const data::Dataset> dataset);
    /// The same rows with new metadata (a clustering added a column): the run and the
    /// embedding stay.
    void replaceDataset(std::shared_ptr<const data::Dataset> dataset) { m_dataset = std::move(dataset); }
    /// Starts the panel's method on the current dataset (cancelling a run in progress).
    void run();
    /// Shows a finished embedding without computing anything (a reopened session), as if a run
    /// of `method` had just ended with it.
    void showEmbedding(const QString& method, std::vector<float> coordinates, int dims, int iterations);
    void cancel();
    void setPaused(bool paused);

    bool isRunning() const { return m_job != nullptr; }
    bool hasEmbedding() const { return !m_embedding.empty(); }
    /// The embedding last shown, n x embeddingDims() row-major.
    const std::vector<float>& embedding() const { return m_embedding; }
    int embeddingDims() const { return m_dims; }
    int embeddingIteration() const { return m_iteration; }
    /// Whether frames go to the view (the user may plot the features meanwhile); enabling it
    /// draws the current embedding at once.
    void setDisplayEnabled(bool enabled);
    bool isDisplayEnabled() const { return m_display; }
    /// Worker threads still running: the current run's and canceled ones finishing their step.
    int workersAlive() const;
    /// Frames drawn for the current (or last) run.
    int framesShown() const { return m_frames; }
    /// Minimum time between two frames: 30 frames per second at most.
    static constexpr int frameIntervalMs = 33;

    /// "PCA", "t-SNE", "Autoencoder" or "VAE": the method of the current (or last) run.
    QString methodName() const { return m_methodName; }

    /// The autoencoder's network as of the embedding shown (its last finished epoch); null when
    /// the embedding is not an autoencoder's. Immutable: decode from it on any thread.
    std::shared_ptr<const reduce::autoencoder::Model> model() const { return m_model; }
    /// The loss history of the current (or last) autoencoder run; empty for other methods.
    const std::optional<TrainingProgress>& training() const { return m_training; }

signals:
    /// A run begins (the old embedding is about to be replaced).
    void runStarted();
    /// A frame of the running (or just finished) reduction is on screen.
    void embeddingShown();
    /// The run ended; `error` is empty unless it failed.
    void runFinished(bool canceled, const QString& error);
    /// A snapshot of an epoch-based run arrived: training() (and maybe model()) changed.
    void trainingChanged();
    /// model() was replaced (a new epoch's weights, or none).
    void modelChanged();

private:
    void onSnapshotReady();
    void showLatest();
    void onFinished(bool canceled, const QString& error);
    void retire();
    void reapRetired();

    ReductionPanel* m_panel;
    ScatterView* m_view;
    QStatusBar* m_statusBar;
    QProgressBar* m_progress = nullptr;
    QLabel* m_label = nullptr;
    QTimer m_frameTimer;
    bool m_framePending = false;

    std::shared_ptr<const data::Dataset> m_dataset;
    std::unique_ptr<EmbeddingJob> m_job;
    std::vector<std::unique_ptr<EmbeddingJob>> m_retired;  // canceled, still finishing a step
    QString m_methodName;
    std::vector<float> m_embedding;
    int m_dims = 2;
    int m_iteration = 0;
    int m_frames = 0;
    bool m_display = true;
    std::shared_ptr<const reduce::autoencoder::Model> m_model;
    std::optional<TrainingProgress> m_training;
    QElapsedTimer m_drawClock;
    double m_frameCostMs = 0.0;
    void draw();
};

}  // namespace latentscape::ui
