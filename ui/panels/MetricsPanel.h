#pragma once
/// @file The "Metrics" dock: how faithful the embedding on screen is. After every finished
/// reduction it computes, on a worker, the same figures as `latentscape-cli metrics` (k = 10):
/// trustworthiness, continuity, k-NN recall and, with a categorical label, k-NN label accuracy
/// and the label's silhouette in the embedding. Exact up to 20,000 points, sampled above.

#include "jobs/LatestTask.h"
#include "metrics/estimate.h"

#include <QDockWidget>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

class QLabel;

namespace latentscape::data {
struct Dataset;
}

namespace latentscape::ui {

struct EmbeddingMetrics {
    int k = 10;
    metrics::Estimate trustworthiness;
    metrics::Estimate continuity;
    metrics::Estimate knnRecall;
    std::optional<metrics::Estimate> knnAccuracy;  ///< with a categorical label
    std::optional<double> silhouette;              ///< of the label, in the embedding
    QString label;
    double seconds = 0.0;
    QString error;
};

/// The figures for an embedding (n x dims floats) of `dataset` (runs on the calling thread).
/// `canceled`, when given, is polled between the figures; once it answers true the computation
/// throws latentscape::Canceled (every other error ends up in EmbeddingMetrics::error).
EmbeddingMetrics computeEmbeddingMetrics(const data::Dataset& dataset, const std::vector<float>& embedding, int dims,
                                         int k = 10, const std::function<bool()>& canceled = {});

class MetricsPanel : public QDockWidget {
    Q_OBJECT
public:
    explicit MetricsPanel(QWidget* parent = nullptr);
    /// Cancels and waits for its computations (LatestTask's destructor).
    ~MetricsPanel() override;

    /// Starts computing the figures for `embedding` on a worker; an older computation is
    /// canceled and its result, should it still arrive, dropped.
    void compute(std::shared_ptr<const data::Dataset> dataset, std::vector<float> embedding, int dims,
                 const QString& method);
    /// Forgets the figures (the embedding they describe is gone) and cancels their computation.
    void clear();

    bool isComputing() const { return m_task.isRunning(); }
    const std::optional<EmbeddingMetrics>& result() const { return m_result; }

signals:
    void resultChanged();

private:
    void show(const EmbeddingMetrics& m);

    std::optional<EmbeddingMetrics> m_result;
    QLabel* m_title = nullptr;
    QLabel* m_values = nullptr;
    LatestTask<EmbeddingMetrics> m_task;
};

}  // namespace latentscape::ui
