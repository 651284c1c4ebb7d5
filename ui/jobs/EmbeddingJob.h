#pragma once
/// @file One background job for every reduction (DESIGN.md section 4). The worker thread sets
/// the method up, then runs it in chunks of about 40 ms of work. Between chunks it leaves the
/// newest coordinates in a single mutex-guarded slot, which replaces the previous ones, and
/// signals. It also honours cancel and pause there. The GUI thread takes the slot when it is
/// ready to draw, so a slow view never queues up old frames.

#include "reduce/pca.h"
#include "reduce/tsne.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace latentscape::data {
struct Dataset;
}

namespace latentscape::ui {

/// An iterative reduction the job can drive. initialize() and run() are called on the worker.
class IterativeMethod {
public:
    virtual ~IterativeMethod() = default;
    /// Expensive set-up (neighbours, affinities...). May throw std::exception with a message.
    /// `canceled` answers true once the job is canceled; methods that can, stop early then.
    virtual void initialize(const std::function<bool()>& canceled) = 0;
    virtual int iteration() const = 0;
    virtual int maxIterations() const = 0;
    /// Advances to iteration `until` (or the end).
    virtual void run(int until) = 0;
    /// Output dimensions (2 or 3).
    virtual int dims() const = 0;
    /// The current coordinates, n x dims row-major.
    virtual void coordinates(std::vector<float>& out) const = 0;
    /// A cheap cost to show while it runs (NaN when the method has none).
    virtual double cost() const = 0;
    /// "PCA", "t-SNE": for the status bar and the axis names.
    virtual QString name() const = 0;
};

/// t-SNE of a dataset's features (reduce::tsne::Status underneath).
std::unique_ptr<IterativeMethod> makeTsneMethod(std::shared_ptr<const data::Dataset> dataset,
                                                const reduce::tsne::Options& options);
/// PCA of a dataset's features: one step.
std::unique_ptr<IterativeMethod> makePcaMethod(std::shared_ptr<const data::Dataset> dataset,
                                               const reduce::PcaOptions& options);

/// What the view draws: the newest state of a run.
struct EmbeddingSnapshot {
    int iteration = 0;
    int maxIterations = 0;
    double cost = 0.0;
    int dims = 2;
    double elapsedSeconds = 0.0;
    bool final = false;
    std::vector<float> coordinates; ///< n x dims
};

class EmbeddingJob : public QObject {
    Q_OBJECT
public:
    explicit EmbeddingJob(std::unique_ptr<IterativeMethod> method, QObject* parent = nullptr);
    /// Cancels and waits for the worker: no thread outlives its job.
    ~EmbeddingJob() override;

    void start();
    /// Asks the worker to stop at its next chunk boundary (within ~40 ms once optimising; the
    /// set-up phase finishes first, but the job reports canceled() at once).
    void cancel();
    void setPaused(bool paused);
    bool isPaused() const { return m_paused.load(); }
    bool isCanceled() const { return m_cancel.load(); }
    bool isFinished() const { return m_done.load(); }
    QString methodName() const { return m_name; }

    /// The newest snapshot not taken yet, if any.
    std::optional<EmbeddingSnapshot> takeSnapshot();

    /// Target wall time of one chunk of iterations.
    static constexpr double chunkSeconds = 0.04;

signals:
    /// A new snapshot is in the slot (queued to the receiver's thread; coalesce, then take it).
    void snapshotReady();
    /// The set-up is done and iterations begin.
    void optimisationStarted();
    /// The run ended: it completed (the last snapshot is final), was canceled, or failed.
    void finished(bool canceled, const QString& error);
    /// The worker thread has ended (after finished(); also after a cancel reported earlier).
    void stopped();

private:
    void work();
    void publish(bool final, double cost);

    std::unique_ptr<IterativeMethod> m_method;
    QString m_name;
    std::thread m_thread;
    std::atomic<bool> m_cancel{false};
    std::atomic<bool> m_paused{false};
    std::atomic<bool> m_done{false};
    std::atomic<bool> m_reported{false};
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::optional<EmbeddingSnapshot> m_latest;
    double m_startTime = 0.0;
};

}  // namespace latentscape::ui
