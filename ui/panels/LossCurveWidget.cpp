#include "panels/LossCurveWidget.h"

#include <QLocale>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>
#include <limits>

namespace latentscape::ui {
namespace {

const QColor kTrainColor(0x00, 0x72, 0xB2);       // Okabe-Ito blue
const QColor kValidationColor(0xD5, 0x5E, 0x00);  // Okabe-Ito vermillion

}  // namespace

LossCurveWidget::LossCurveWidget(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("lossCurve"));
    setToolTip(tr("Loss per epoch: training (blue; the mean over the epoch's batches) and held-out "
                  "(orange; rows never trained on). The hollow dot is the epoch in progress. A "
                  "held-out loss that rises while the training loss falls means over-fitting."));
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    setFixedHeight(130);
}

void LossCurveWidget::setProgress(std::optional<TrainingProgress> progress) {
    m_progress = std::move(progress);
    update();
}

int LossCurveWidget::trainPointCount() const {
    if (!m_progress) return 0;
    return int(std::count_if(m_progress->epochs.begin(), m_progress->epochs.end(),
                             [](const auto& e) { return std::isfinite(e.train_loss); }));
}

int LossCurveWidget::validationPointCount() const {
    if (!m_progress) return 0;
    return int(std::count_if(m_progress->epochs.begin(), m_progress->epochs.end(),
                             [](const auto& e) { return std::isfinite(e.validation_loss); }));
}

bool LossCurveWidget::hasRunningPoint() const {
    return m_progress && m_progress->epochFraction > 0.0 && std::isfinite(m_progress->runningLoss);
}

void LossCurveWidget::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    p.fillRect(rect(), pal.base());
    p.setPen(pal.color(QPalette::Mid));
    p.drawRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5));

    const QFontMetrics fm = fontMetrics();
    const QLocale locale;
    if (!m_progress || (m_progress->epochs.empty() && !hasRunningPoint())) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
                   m_progress ? tr("Loss curve: the first epoch is running…")
                              : (m_placeholder.isEmpty() ? tr("Loss curve (autoencoder runs)") : m_placeholder));
        return;
    }
    const TrainingProgress& t = *m_progress;

    // The value range of everything drawn; a log scale when it spans more than a decade, so the
    // late epochs' differences stay visible under a large first epoch.
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    const auto take = [&](double v) {
        if (std::isfinite(v) && v > 0.0) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    };
    for (const auto& e : t.epochs) {
        take(e.train_loss);
        take(e.validation_loss);
    }
    if (hasRunningPoint()) take(t.runningLoss);
    if (!std::isfinite(lo)) return;
    if (hi <= lo) {
        hi = lo * 1.05 + 1e-12;
        lo = lo * 0.95;
    }
    const bool logScale = hi / lo > 10.0;
    const auto tr_ = [logScale](double v) { return logScale ? std::log10(v) : v; };
    const double y0 = tr_(lo), y1 = tr_(hi);
    const double pad = 0.06 * (y1 - y0);

    const QString loText = locale.toString(lo, 'g', 3), hiText = locale.toString(hi, 'g', 3);
    const int left = 8 + std::max(fm.horizontalAdvance(loText), fm.horizontalAdvance(hiText));
    const QRectF plot(left, fm.height() + 6, width() - left - 8, height() - 2 * fm.height() - 10);
    if (plot.width() < 20 || plot.height() < 20) return;
    const double maxEpoch = std::max(1, t.maxEpochs);
    const auto px = [&](double epoch) { return plot.left() + epoch / maxEpoch * plot.width(); };
    const auto py = [&](double v) {
        return plot.bottom() - (tr_(v) - (y0 - pad)) / ((y1 + pad) - (y0 - pad)) * plot.height();
    };

    // Axes and labels.
    p.setPen(pal.color(QPalette::Mid));
    p.drawLine(plot.bottomLeft(), plot.bottomRight());
    p.drawLine(plot.bottomLeft(), plot.topLeft());
    p.setPen(pal.color(QPalette::Text));
    p.drawText(QRectF(0, py(hi) - fm.height() / 2.0, left - 4, fm.height()), Qt::AlignRight | Qt::AlignVCenter, hiText);
    p.drawText(QRectF(0, py(lo) - fm.height() / 2.0, left - 4, fm.height()), Qt::AlignRight | Qt::AlignVCenter, loText);
    p.drawText(QRectF(plot.left(), plot.bottom() + 2, plot.width(), fm.height()), Qt::AlignLeft, QStringLiteral("0"));
    p.drawText(QRectF(plot.left(), plot.bottom() + 2, plot.width(), fm.height()), Qt::AlignHCenter,
               logScale ? tr("epoch (log loss)") : tr("epoch"));
    p.drawText(QRectF(plot.left(), plot.bottom() + 2, plot.width(), fm.height()), Qt::AlignRight,
               locale.toString(t.maxEpochs));

    // Legend along the top.
    int x = left;
    const auto legend = [&](const QColor& color, const QString& text) {
        p.setPen(QPen(color, 2));
        p.drawLine(QPointF(x, fm.height() / 2.0 + 3), QPointF(x + 14, fm.height() / 2.0 + 3));
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QPointF(x + 18, fm.ascent() + 3), text);
        x += 26 + fm.horizontalAdvance(text);
    };
    const auto& last = t.epochs.empty() ? reduce::autoencoder::EpochRecord{} : t.epochs.back();
    legend(kTrainColor, t.epochs.empty() ? t.trainName : QStringLiteral("%1 %2").arg(t.trainName, locale.toString(last.train_loss, 'g', 4)));
    if (validationPointCount() > 0)
        legend(kValidationColor, QStringLiteral("%1 %2").arg(t.validationName, locale.toString(last.validation_loss, 'g', 4)));

    const auto series = [&](const QColor& color, auto value) {
        QPainterPath path;
        bool started = false;
        for (const auto& e : t.epochs) {
            const double v = value(e);
            if (!std::isfinite(v) || v <= 0.0) continue;
            const QPointF q(px(e.epoch), py(v));
            if (started) path.lineTo(q);
            else path.moveTo(q);
            started = true;
        }
        p.setPen(QPen(color, 1.8));
        p.setBrush(Qt::NoBrush);
        p.drawPath(path);
        p.setBrush(color);
        p.setPen(Qt::NoPen);
        for (const auto& e : t.epochs) {
            const double v = value(e);
            if (std::isfinite(v) && v > 0.0) p.drawEllipse(QPointF(px(e.epoch), py(v)), 2.5, 2.5);
        }
    };
    series(kTrainColor, [](const reduce::autoencoder::EpochRecord& e) { return e.train_loss; });
    series(kValidationColor, [](const reduce::autoencoder::EpochRecord& e) { return e.validation_loss; });
    if (hasRunningPoint() && t.runningLoss > 0.0) {
        const QPointF q(px(double(t.epochs.size()) + t.epochFraction), py(t.runningLoss));
        p.setPen(QPen(kTrainColor, 1.5));
        p.setBrush(pal.base());
        p.drawEllipse(q, 3.5, 3.5);
    }
}

}  // namespace latentscape::ui
