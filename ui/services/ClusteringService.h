#pragma once
/// @file Clustering (issue 13), out of the window and the dock: k-means or DBSCAN on the current
/// run's embedding or on the original features, on a worker (LatestTask: a newer request
/// supersedes an older one), and the k-distance curve that helps choosing DBSCAN's eps. The result
/// becomes a categorical "cluster" column of the Document's dataset (DBSCAN's noise is missing,
/// so it is drawn grey; an older "cluster" column is replaced), the runs and the selection stay,
/// and a caption says what was found. Groups are the clusters drawn by hand: named selections in
/// a categorical "groups" column. The Clustering dock and the window observe it. No widgets.

#include "jobs/DatasetJob.h"
#include "jobs/LatestTask.h"

#include <QObject>
#include <QString>

#include <cstdint>
#include <memory>
#include <vector>

namespace latentscape::ui {

class Document;

class ClusteringService : public QObject {
    Q_OBJECT
public:
    enum class Method { KMeans = 0, Dbscan = 1 };
    enum class Target { Embedding = 0, Features = 1 };
    struct Options {
        Method method = Method::KMeans;
        /// The current run's embedding (the features when there is none yet) or the features.
        Target target = Target::Embedding;
        int k = 10;                ///< k-means: clusters
        int restarts = 1;          ///< k-means: k-means++ starts, the lowest inertia kept
        std::uint64_t seed = 42;   ///< k-means: same seed, same clusters
        double eps = 1.0;          ///< DBSCAN: neighbourhood radius, in the clustered space's units
        int minPoints = 5;         ///< DBSCAN: neighbours (the point included) of a core point
    };
    /// A clustering, worker side.
    struct Result {
        PreparedDataset prepared;  ///< the dataset with its "cluster" column (null on error)
        QString summary;           ///< "k-means on the embedding, k = 10: inertia ..."
        QString error;
    };

    explicit ClusteringService(Document* document, QObject* parent = nullptr);
    /// Cancels and waits for its tasks (LatestTask's destructor) and the groups being made.
    ~ClusteringService() override;

    /// Clusters the document's rows on a worker; the column goes into the document when done
    /// (finished()). A clustering still running is superseded (its result dropped). False when
    /// there is no dataset.
    bool start(const Options& options);
    bool isRunning() const { return m_task.isRunning(); }
    /// Every point's distance to its k-th nearest neighbour (k = `minPoints`), largest first, in
    /// the space `target` names, on a worker: kDistanceChanged() when done. Ignored (false) while
    /// one is being computed or without a dataset.
    bool startKDistance(int minPoints, Target target);
    bool isComputingKDistance() const { return m_kTask.isRunning(); }
    const std::vector<float>& kDistance() const { return m_kDistance; }
    /// Cancels both and drops their results; the caption and the curve are cleared. A new
    /// dataset does this by itself.
    void forget();

    /// What the last clustering found ("Clustering…" while one runs, the error if it failed).
    /// Clusters of an embedding belong to its run: the caption names it, and says so when the
    /// main view shows another run (the column stays: colouring one run by another's clusters
    /// is a way to compare them).
    const QString& caption() const { return m_caption; }
    /// The run whose embedding the last clustering used; -1 for the features (or none).
    int clusteredRunId() const { return m_clusteredRun; }

    /// Names `rows` as group `name` in the "groups" column, made on a worker; a row belongs to one
    /// group, the newest. groupMade() once the document has it; dropped when the document's
    /// dataset changed meanwhile. False without a dataset, rows or a name.
    bool makeGroup(const QString& name, std::vector<std::int64_t> rows);

    /// Clusters `points` (n x dims; the dataset's own features when null) and returns a copy of
    /// `dataset` with a "cluster" column (replacing an older one). Worker side; never throws.
    static Result cluster(std::shared_ptr<const data::Dataset> dataset, std::shared_ptr<const std::vector<float>> points,
                          int dims, const Options& options, const CancelToken& canceled = {});

signals:
    void runningChanged(bool running);
    void computingKDistanceChanged(bool computing);
    void captionChanged(const QString& caption);
    void kDistanceChanged();
    /// The document's dataset has its new "cluster" column.
    void finished(const QString& summary);
    void failed(const QString& error);
    void groupMade(const QString& name);
    /// For the status bar ("No embedding yet: clustering the original features").
    void statusMessage(const QString& message, int timeoutMs);

private:
    void setCaption(const QString& caption);
    /// The caption of the last finished clustering, for the run shown now.
    void updateCaption();
    /// The points of `target`: the current run's embedding, or null for the features.
    std::shared_ptr<const std::vector<float>> pointsOf(Target target, int* dims) const;

    Document* m_document;
    QString m_caption;
    QString m_summary;            // what the last finished clustering found
    int m_clusteredRun = -1;      // the run it clustered (-1: the features)
    QString m_clusteredRunName;   // its name (kept if the run is deleted)
    std::vector<float> m_kDistance;
    LatestTask<std::vector<float>> m_kTask;
    LatestTask<Result> m_task;
};

}  // namespace latentscape::ui
