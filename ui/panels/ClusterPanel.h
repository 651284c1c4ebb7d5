#pragma once
/// @file The "Clustering" dock: k-means or DBSCAN, on the embedding on screen or on the original
/// features, run on a worker. The result becomes a categorical "cluster" column of the dataset
/// (DBSCAN's noise is missing, so it is drawn grey) and the points are coloured by it.

#include "jobs/DatasetJob.h"
#include "jobs/LatestTask.h"

#include <QDockWidget>
#include <QWidget>

#include <memory>
#include <vector>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QStackedWidget;

namespace latentscape::ui {

/// The k-distance curve (descending) with a line at the current eps; a click sets eps to the
/// distance under the cursor. The knee of the curve is a good eps.
class KDistancePlot : public QWidget {
    Q_OBJECT
public:
    explicit KDistancePlot(QWidget* parent = nullptr);
    void setCurve(std::vector<float> distances);
    const std::vector<float>& curve() const { return m_curve; }
    void setEps(double eps);
    /// The eps a click at widget height y would choose.
    double epsAt(double y) const;

signals:
    void epsPicked(double eps);

protected:
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    std::vector<float> m_curve;
    double m_eps = 0.0;
    double m_max = 1.0;
};

struct ClusterJobResult {
    PreparedDataset prepared;  ///< the dataset with its "cluster" column (null on error)
    QString summary;           ///< "k-means, k = 10: inertia ..." / "DBSCAN: 8 clusters, 1,611 noise"
    QString error;
};

/// Clusters `points` (n x dims: the embedding, or the dataset's own features when empty) and
/// returns a copy of `dataset` with a "cluster" column (replacing an older one). Worker side.
ClusterJobResult runClusterJob(std::shared_ptr<const data::Dataset> dataset, std::vector<float> points, int dims,
                               bool kmeans, int k, int restarts, std::uint64_t seed, double eps, int minPoints);

class ClusterPanel : public QDockWidget {
    Q_OBJECT
public:
    enum class Method { KMeans = 0, Dbscan = 1 };
    enum class Target { Embedding = 0, Features = 1 };

    explicit ClusterPanel(QWidget* parent = nullptr);
    /// Cancels and waits for its clustering and k-distance tasks (LatestTask's destructor).
    ~ClusterPanel() override;

    Method method() const;
    void setMethod(Method method);
    Target target() const;
    void setTarget(Target target);
    void setK(int k);
    void setEps(double eps);
    void setMinPoints(int minPoints);
    double eps() const;
    KDistancePlot* kDistancePlot() const { return m_plot; }
    /// Computes the k-distance curve (k = min points) on a worker and shows it; ignored while
    /// one is being computed.
    void startKDistance(std::shared_ptr<const data::Dataset> dataset, std::vector<float> embedding, int dims);
    QPushButton* runButton() const { return m_run; }

    /// Starts clustering on a worker (the caller passes the embedding, or nothing for features);
    /// a clustering still running is superseded (its result dropped).
    void start(std::shared_ptr<const data::Dataset> dataset, std::vector<float> embedding, int dims);
    bool isRunning() const { return m_task.isRunning(); }
    /// Cancels the clustering and the k-distance curve still to come, and drops their results
    /// (the dataset they belong to was replaced).
    void forget();

signals:
    void runRequested();
    void kDistanceRequested();
    /// A clustering finished: `prepared` is the dataset with its "cluster" column.
    void clustered(const PreparedDataset& prepared);

private:
    QComboBox* m_method = nullptr;
    QComboBox* m_target = nullptr;
    QStackedWidget* m_pages = nullptr;
    QSpinBox* m_k = nullptr;
    QSpinBox* m_restarts = nullptr;
    QSpinBox* m_seed = nullptr;
    QDoubleSpinBox* m_eps = nullptr;
    QSpinBox* m_minPoints = nullptr;
    QPushButton* m_run = nullptr;
    QPushButton* m_kButton = nullptr;
    KDistancePlot* m_plot = nullptr;
    QLabel* m_status = nullptr;
    LatestTask<std::vector<float>> m_kTask;
    LatestTask<ClusterJobResult> m_task;
};

}  // namespace latentscape::ui
