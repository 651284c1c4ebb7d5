#include "panels/MetricsPanel.h"

#include "common/cancel.h"
#include "data/dataset.h"
#include "metrics/quality.h"
#include "metrics/silhouette.h"

#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

#include <chrono>
#include <exception>

namespace latentscape::ui {

EmbeddingMetrics computeEmbeddingMetrics(const data::Dataset& dataset, const std::vector<float>& embedding, int dims,
                                         int k, const std::function<bool()>& canceled) {
    EmbeddingMetrics m;
    m.k = k;
    const auto start = std::chrono::steady_clock::now();
    try {
        // The same calls, in the same way, as latentscape-cli metrics.
        throw_if_canceled(canceled);
        const metrics::QualityResult q =
            metrics::quality(dataset.features.data(), dataset.n, dataset.d, embedding.data(), dims, k);
        m.trustworthiness = q.trustworthiness;
        m.continuity = q.continuity;
        m.knnRecall = q.knn_recall;
        const data::MetadataColumn* label = dataset.label();
        if (label && label->kind == data::ColumnKind::Categorical) {
            m.label = QString::fromStdString(label->name);
            throw_if_canceled(canceled);
            m.knnAccuracy = metrics::knn_accuracy(embedding.data(), dataset.n, dims, label->codes.data(), k);
            throw_if_canceled(canceled);
            m.silhouette = metrics::silhouette(embedding.data(), dataset.n, dims, label->codes.data()).mean;
        }
    } catch (const Canceled&) {
        throw;  // a cancellation is not a failure of the figures
    } catch (const std::exception& e) {
        m.error = QString::fromUtf8(e.what());
    }
    m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return m;
}

MetricsPanel::MetricsPanel(QWidget* parent) : QDockWidget(tr("Metrics"), parent) {
    setObjectName(QStringLiteral("metricsPanel"));
    auto* body = new QWidget(this);
    auto* layout = new QVBoxLayout(body);
    m_title = new QLabel(tr("Run a reduction to see how well it keeps neighbourhoods."));
    m_title->setWordWrap(true);
    m_values = new QLabel;
    m_values->setObjectName(QStringLiteral("metricsValues"));
    m_values->setTextFormat(Qt::RichText);
    m_values->setToolTip(tr("Trustworthiness: are the embedding's neighbours real neighbours? (1 = all are)\n"
                            "Continuity: are the real neighbours kept together? (1 = all are)\n"
                            "k-NN recall: the share of each point's k nearest neighbours kept.\n"
                            "k-NN accuracy: how often a point's k nearest neighbours in the embedding vote its "
                            "label.\nSilhouette: how well the labels form separate groups (-1..1)."));
    layout->addWidget(m_title);
    layout->addWidget(m_values);
    layout->addStretch(1);
    setWidget(body);
}

MetricsPanel::~MetricsPanel() = default;  // m_task cancels and waits: the computations hold no pointer to the panel

void MetricsPanel::compute(std::shared_ptr<const data::Dataset> dataset, std::vector<float> embedding, int dims,
                           const QString& method) {
    m_result.reset();
    m_title->setText(tr("%1: computing (k = 10)…").arg(method));
    m_values->clear();
    m_title->setProperty("method", method);
    // The task owns its inputs (the dataset is shared, the embedding moved in). An older one
    // still running is canceled; one still queued never starts.
    m_task.start(
        [dataset = std::move(dataset), embedding = std::move(embedding), dims](const CancelToken& canceled) {
            return computeEmbeddingMetrics(*dataset, embedding, dims, 10, canceled);
        },
        [this](EmbeddingMetrics m) { show(m); });
}

void MetricsPanel::showMetrics(const EmbeddingMetrics& metrics, const QString& method) {
    m_task.cancel();
    m_title->setProperty("method", method);
    show(metrics);
}

void MetricsPanel::clear() {
    m_task.cancel();
    m_result.reset();
    m_title->setText(tr("Run a reduction to see how well it keeps neighbourhoods."));
    m_values->clear();
    emit resultChanged();
}

void MetricsPanel::show(const EmbeddingMetrics& m) {
    m_result = m;
    const QLocale locale;
    const QString method = m_title->property("method").toString();
    if (!m.error.isEmpty()) {
        m_title->setText(tr("%1: metrics failed: %2").arg(method, m.error));
        emit resultChanged();
        return;
    }
    const bool sampled = m.trustworthiness.sampled;
    m_title->setText(tr("%1, k = %2, %3 in %4 s").arg(method).arg(m.k)
                         .arg(sampled ? tr("sampled (%1 points)").arg(locale.toString(qlonglong(m.trustworthiness.sample_size)))
                                      : tr("exact"))
                         .arg(locale.toString(m.seconds, 'f', 1)));
    auto row = [&](const QString& name, double v) {
        return QStringLiteral("<tr><td>%1</td><td align=right>&nbsp;&nbsp;%2</td></tr>").arg(name, locale.toString(v, 'f', 4));
    };
    QString html = QStringLiteral("<table>");
    html += row(tr("Trustworthiness"), m.trustworthiness.value);
    html += row(tr("Continuity"), m.continuity.value);
    html += row(tr("k-NN recall"), m.knnRecall.value);
    if (m.knnAccuracy) html += row(tr("k-NN accuracy (%1)").arg(m.label), m.knnAccuracy->value);
    if (m.silhouette) html += row(tr("Silhouette (%1)").arg(m.label), *m.silhouette);
    html += QStringLiteral("</table>");
    m_values->setText(html);
    emit resultChanged();
}

}  // namespace latentscape::ui
