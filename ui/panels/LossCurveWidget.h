#pragma once
/// @file A compact loss curve for a training run: the training loss and the held-out loss of
/// every finished epoch, plus the running loss of the epoch in progress, painted with QPainter.

#include "jobs/EmbeddingJob.h"

#include <QWidget>

#include <optional>

namespace latentscape::ui {

class LossCurveWidget : public QWidget {
    Q_OBJECT
public:
    explicit LossCurveWidget(QWidget* parent = nullptr);

    /// Shows `progress` (empty: a blank plot with a hint).
    void setProgress(std::optional<TrainingProgress> progress);
    void clear() { setProgress(std::nullopt); }
    /// What the empty plot says (default: that autoencoder runs fill it).
    void setPlaceholder(const QString& text) {
        m_placeholder = text;
        update();
    }
    const std::optional<TrainingProgress>& progress() const { return m_progress; }

    /// Points drawn for each series (the tests read them): finished epochs with a finite value.
    int trainPointCount() const;
    int validationPointCount() const;
    /// Whether the running loss of the epoch in progress is drawn.
    bool hasRunningPoint() const;

    QSize sizeHint() const override { return {260, 130}; }
    QSize minimumSizeHint() const override { return {160, 90}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    std::optional<TrainingProgress> m_progress;
    QString m_placeholder;
};

}  // namespace latentscape::ui
