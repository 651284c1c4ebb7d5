#pragma once
/// @file The "Metrics" dock: how faithful the embedding on screen is. After every finished
/// reduction it computes, on a worker, the same figures as `latentscape-cli metrics` (k = 10):
/// trustworthiness, continuity, k-NN recall and, with a categorical label, k-NN label accuracy
/// and the label's silhouette in the embedding. Exact up to 20,000 points, sampled above.

#include "jobs/LatestTask.h"
#include "model/RunMetrics.h"

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
    /// Shows figures computed elsewhere (a run's, kept in the document) for `method`, and cancels
    /// any computation of its own.
    void showMetrics(const EmbeddingMetrics& metrics, const QString& method);
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
