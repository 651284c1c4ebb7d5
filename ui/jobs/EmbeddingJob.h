#pragma once
/// @file One background job for every reduction (DESIGN.md section 4). The worker thread sets
/// the method up, then runs it in chunks of about 40 ms of work. Between chunks it leaves the
/// newest coordinates in a single mutex-guarded slot, which replaces the previous ones, and
/// signals. It also honours cancel and pause there. The GUI thread takes the slot when it is
/// ready to draw, so a slow view never queues up old frames.

#include "reduce/autoencoder.h"
#include "reduce/gan.h"
#include "reduce/pca.h"
#include "reduce/tsne.h"
#include "reduce/umap.h"

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

/// Progress of a method that trains in epochs (the autoencoder): what the loss curve draws.
struct TrainingProgress {
    std::vector<reduce::autoencoder::EpochRecord> epochs;  ///< one per finished epoch
    double runningLoss = 0.0;   ///< mean loss of the current epoch's steps so far (NaN: none yet)
    double epochFraction = 0.0; ///< how far into the current epoch, in [0, 1)
    int maxEpochs = 0;
    bool stoppedEarly = false;
    /// What the two series of `epochs` are (train_loss, validation_loss): a GAN puts its
    /// generator's and its discriminator's losses there.
    QString trainName = QStringLiteral("train");
    QString validationName = QStringLiteral("held-out");
};

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
    /// What cost() measures, for the status bar.
    virtual QString costName() const { return QStringLiteral("KL"); }

    // Methods that train in epochs and have a generative model (the autoencoder) override these;
    // the defaults cost nothing, so t-SNE and PCA snapshots stay as they were.
    /// Loss history and the current epoch's running loss; none for other methods.
    virtual std::optional<TrainingProgress> training() const { return std::nullopt; }
    /// The network as of the last finished epoch (shared, immutable); null for other methods.
    virtual std::shared_ptr<const reduce::autoencoder::Model> model() const { return nullptr; }
    /// A GAN's networks as of the last finished epoch; null for other methods.
    virtual std::shared_ptr<const reduce::gan::Model> generator() const { return nullptr; }
};

/// t-SNE of a dataset's features (reduce::tsne::Status underneath).
std::unique_ptr<IterativeMethod> makeTsneMethod(std::shared_ptr<const data::Dataset> dataset,
                                                const reduce::tsne::Options& options);
/// PCA of a dataset's features: one step.
std::unique_ptr<IterativeMethod> makePcaMethod(std::shared_ptr<const data::Dataset> dataset,
                                               const reduce::PcaOptions& options);

/// An autoencoder (or, with options.variational, a VAE) trained on a dataset's features
/// (reduce::autoencoder::Status underneath). An iteration is one gradient step; run() never
/// crosses an epoch boundary, and the coordinates (the codes of every row) are encoded again only
/// when an epoch ends, so a live view shows the latent space epoch by epoch. An early stop ends
/// the run: maxIterations() becomes the steps done. 8-bit image data is trained with input scale
/// 255 (reduce::autoencoder::suggested_input_scale), as by the CLI, so the sigmoid output and BCE
/// apply; the model encodes and decodes in the data's own units.
std::unique_ptr<IterativeMethod> makeAutoencoderMethod(std::shared_ptr<const data::Dataset> dataset,
                                                       const reduce::autoencoder::Options& options);

/// A GAN trained on a dataset's features (reduce::gan::Status underneath): an iteration is one
/// step of both networks, run() never crosses an epoch boundary. Its "coordinates" are not an
/// embedding: they are the generated rows of `fixedNoise` (count x noise_dims, row-major), count x
/// d, made again at each epoch's end (dims() is d), so a live grid shows them epoch by epoch.
/// 8-bit images train with input scale 255, as the autoencoder does.
std::unique_ptr<IterativeMethod> makeGanMethod(std::shared_ptr<const data::Dataset> dataset,
                                               const reduce::gan::Options& options, std::vector<float> fixedNoise);

/// UMAP of a dataset's features (reduce::umap::Status underneath): an iteration is an epoch.
std::unique_ptr<IterativeMethod> makeUmapMethod(std::shared_ptr<const data::Dataset> dataset,
                                                const reduce::umap::Options& options);

/// What the view draws: the newest state of a run.
struct EmbeddingSnapshot {
    int iteration = 0;
    int maxIterations = 0;
    double cost = 0.0;
    int dims = 2;
    double elapsedSeconds = 0.0;
    bool final = false;
    std::vector<float> coordinates; ///< n x dims
    QString costName;               ///< what `cost` measures ("KL", "loss")
    /// Epoch-based methods only (the autoencoder); empty / null otherwise.
    std::optional<TrainingProgress> training;
    std::shared_ptr<const reduce::autoencoder::Model> model;
    std::shared_ptr<const reduce::gan::Model> generator;  ///< a GAN's networks (else null)
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
