#pragma once
/// @file A scatter view's axis caption (ScatterView::setAxisLabels).

#include <QFontMetrics>
#include <QPainter>
#include <QString>
#include <QWidget>

namespace latentscape::ui {

/// An axis caption over the plot: text on a nearly opaque plate (readable over dense points),
/// horizontal or reading upwards. Mouse events pass through to the view underneath.
class AxisLabel : public QWidget {
public:
    AxisLabel(Qt::Orientation orientation, QWidget* parent) : QWidget(parent), m_orientation(orientation) {
        setAttribute(Qt::WA_TransparentForMouseEvents);
        setFocusPolicy(Qt::NoFocus);
        hide();
    }

    QString text() const { return m_text; }
    void setText(const QString& text) { m_text = text; }

    /// Resizes to the text, elided in the middle to at most `maxLength` logical pixels along it.
    void fit(int maxLength) {
        const QFontMetrics metrics = fontMetrics();
        const int padding = metrics.height() / 3;
        m_shown = metrics.elidedText(m_text, Qt::ElideMiddle, std::max(0, maxLength - 2 * padding));
        const QSize along(metrics.horizontalAdvance(m_shown) + 2 * padding, metrics.height() + padding);
        resize(m_orientation == Qt::Horizontal ? along : along.transposed());
        update();
    }

    /// Extent across the text: what the label takes from the other axis.
    int thickness() const { return fontMetrics().height() + fontMetrics().height() / 3; }

protected:
    void paintEvent(QPaintEvent*) override {
        QPainter painter(this);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(QColor(0, 0, 0, 45));
        painter.setBrush(QColor(255, 255, 255, 225));
        painter.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 4.0, 4.0);
        painter.setPen(QColor(0x30, 0x30, 0x30));
        QRect textRect = rect();
        if (m_orientation == Qt::Vertical) {
            painter.translate(0, height());
            painter.rotate(-90.0);
            textRect = QRect(0, 0, height(), width());
        }
        painter.drawText(textRect, Qt::AlignCenter, m_shown);
    }

private:
    Qt::Orientation m_orientation;
    QString m_text;
    QString m_shown;
};

}  // namespace latentscape::ui
