#include "panels/ScreePlot.h"

#include "figure/AxisTicks.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QHelpEvent>
#include <QLocale>
#include <QMenu>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace latentscape::ui {
namespace {
const QColor kBar(0x4c, 0x78, 0xa8);
const QColor kLine(0xd5, 0x5e, 0x00);

QString percent(double fraction, int decimals = 1) { return QLocale().toString(100.0 * fraction, 'f', decimals) + QStringLiteral("%"); }
}  // namespace

ScreePlot::ScreePlot(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("screePlot"));
    setMouseTracking(true);
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
}

void ScreePlot::setExplainedVariance(std::vector<double> ratio, QString title) {
    m_ratio = std::move(ratio);
    m_title = std::move(title);
    if (!m_ratio.empty()) m_message.clear();
    update();
}

void ScreePlot::setMessage(const QString& message) {
    m_message = message;
    if (!message.isEmpty()) m_ratio.clear();
    update();
}

std::vector<double> ScreePlot::cumulative() const {
    std::vector<double> c(m_ratio.size());
    double sum = 0.0;
    for (std::size_t k = 0; k < m_ratio.size(); ++k) c[k] = sum += m_ratio[k];
    return c;
}

ScreePlot::Frame ScreePlot::frame() const {
    Frame f;
    const QFontMetricsF m(font());
    const double titleBand = m_title.isEmpty() ? 6.0 : m.height() + 10.0;
    // Left: the ratio's numbers; right: the cumulative percentages; bottom: component numbers.
    const double left = m.horizontalAdvance(QStringLiteral("100%")) + 14.0;
    const double right = m.horizontalAdvance(QStringLiteral("100%")) + 14.0;
    const double bottom = 2.0 * m.height() + 10.0;
    f.area = QRectF(left, titleBand, std::max(10.0, width() - left - right), std::max(10.0, height() - titleBand - bottom));
    const double peak = m_ratio.empty() ? 1.0 : std::max(1e-12, *std::max_element(m_ratio.begin(), m_ratio.end()));
    f.step = niceStep(0.0, peak, 5);
    f.top = f.step > 0.0 ? std::ceil(peak / f.step - 1e-9) * f.step : 1.0;
    return f;
}

QRectF ScreePlot::barRect(int k) const {
    if (k < 0 || std::size_t(k) >= m_ratio.size()) return {};
    const Frame f = frame();
    const double slot = f.area.width() / double(m_ratio.size());
    const double h = f.area.height() * std::clamp(m_ratio[std::size_t(k)] / f.top, 0.0, 1.0);
    const double gap = std::min(4.0, slot * 0.2);
    return QRectF(f.area.left() + k * slot + gap / 2, f.area.bottom() - h, slot - gap, h);
}

int ScreePlot::barAt(const QPointF& position) const {
    if (m_ratio.empty()) return -1;
    const Frame f = frame();
    if (position.x() < f.area.left() || position.x() >= f.area.right() || position.y() < f.area.top() ||
        position.y() > f.area.bottom() + 4.0)
        return -1;
    const int k = int((position.x() - f.area.left()) / (f.area.width() / double(m_ratio.size())));
    return std::clamp(k, 0, int(m_ratio.size()) - 1);  // the whole column of a bar, however short
}

QString ScreePlot::barToolTip(int k) const {
    if (k < 0 || std::size_t(k) >= m_ratio.size()) return {};
    return tr("PC%1: %2 of the variance\nPC1–PC%1 together: %3")
        .arg(k + 1)
        .arg(percent(m_ratio[std::size_t(k)], 2), percent(cumulative()[std::size_t(k)], 2));
}

QString ScreePlot::valuesText() const {
    QString text = QStringLiteral("component\texplained_variance_ratio\tcumulative\n");
    const auto c = cumulative();
    for (std::size_t k = 0; k < m_ratio.size(); ++k)
        text += QStringLiteral("%1\t%2\t%3\n").arg(k + 1).arg(m_ratio[k], 0, 'g', 17).arg(c[k], 0, 'g', 17);
    return text;
}

void ScreePlot::copyValues() const {
    if (QClipboard* clipboard = QApplication::clipboard()) clipboard->setText(valuesText());
}

bool ScreePlot::event(QEvent* e) {
    if (e->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(e);
        const int k = barAt(help->pos());
        if (k < 0) return QWidget::event(e);  // the widget's own tooltip, if any
        QToolTip::showText(help->globalPos(), barToolTip(k), this, barRect(k).toAlignedRect());
        return true;
    }
    return QWidget::event(e);
}

void ScreePlot::contextMenuEvent(QContextMenuEvent* e) {
    QMenu menu(this);
    QAction* copy = menu.addAction(tr("&Copy Values"), this, &ScreePlot::copyValues);
    copy->setEnabled(!m_ratio.empty());
    menu.exec(e->globalPos());
}

void ScreePlot::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QColor ink = palette().color(QPalette::Text);
    QColor faint = ink;
    faint.setAlpha(110);
    if (m_ratio.empty()) {
        p.setPen(faint);
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, m_message.isEmpty() ? tr("No components to show") : m_message);
        return;
    }
    const Frame f = frame();
    const QFontMetricsF m(font());
    if (!m_title.isEmpty()) {
        p.setPen(ink);
        p.drawText(QRectF(0, 2, width(), m.height() + 6), Qt::AlignCenter, m.elidedText(m_title, Qt::ElideRight, width() - 20));
    }
    // Left axis: the ratio of each component, nice steps; light grid lines across.
    const QLocale locale;
    for (const double v : tickValues(0.0, f.top, f.step)) {
        const double y = f.area.bottom() - f.area.height() * v / f.top;
        p.setPen(QPen(faint, 1.0, v == 0.0 ? Qt::SolidLine : Qt::DotLine));
        p.drawLine(QPointF(f.area.left(), y), QPointF(f.area.right(), y));
        p.setPen(ink);
        const QString text = tickText(100.0 * v, 100.0 * f.step, locale) + QStringLiteral("%");
        p.drawText(QRectF(0, y - m.height() / 2, f.area.left() - 6, m.height()), Qt::AlignRight | Qt::AlignVCenter, text);
    }
    // Right axis: cumulative, 0-100%.
    for (int v = 0; v <= 100; v += 25) {
        const double y = f.area.bottom() - f.area.height() * v / 100.0;
        p.setPen(kLine);
        p.drawLine(QPointF(f.area.right(), y), QPointF(f.area.right() + 4, y));
        p.drawText(QRectF(f.area.right() + 6, y - m.height() / 2, width(), m.height()), Qt::AlignLeft | Qt::AlignVCenter,
                   locale.toString(v) + QStringLiteral("%"));
    }
    p.setPen(QPen(kLine, 1.0));
    p.drawLine(f.area.topRight(), f.area.bottomRight());
    // Bars.
    p.setPen(Qt::NoPen);
    p.setBrush(kBar);
    for (int k = 0; k < int(m_ratio.size()); ++k) p.drawRect(barRect(k));
    // Component numbers, thinned to fit.
    const double slot = f.area.width() / double(m_ratio.size());
    const int every = std::max(1, int(std::ceil(m.horizontalAdvance(QStringLiteral("30")) * 1.8 / slot)));
    p.setPen(ink);
    for (int k = 0; k < int(m_ratio.size()); ++k) {
        if ((k + 1) % every != 0 && k != 0) continue;
        const double x = f.area.left() + (k + 0.5) * slot;
        p.drawText(QRectF(x - 20, f.area.bottom() + 3, 40, m.height()), Qt::AlignHCenter | Qt::AlignTop, locale.toString(k + 1));
    }
    p.drawText(QRectF(f.area.left(), f.area.bottom() + m.height() + 5, f.area.width(), m.height()), Qt::AlignCenter,
               tr("Principal component (bars: variance explained; line: cumulative)"));
    // The cumulative line with dots.
    const auto c = cumulative();
    QPainterPath path;
    for (std::size_t k = 0; k < c.size(); ++k) {
        const QPointF q(f.area.left() + (double(k) + 0.5) * slot, f.area.bottom() - f.area.height() * std::clamp(c[k], 0.0, 1.0));
        if (k == 0) path.moveTo(q);
        else path.lineTo(q);
    }
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(kLine, 2.0));
    p.drawPath(path);
    p.setBrush(kLine);
    p.setPen(Qt::NoPen);
    for (std::size_t k = 0; k < c.size(); ++k)
        p.drawEllipse(QPointF(f.area.left() + (double(k) + 0.5) * slot, f.area.bottom() - f.area.height() * std::clamp(c[k], 0.0, 1.0)), 3.0, 3.0);
}

}  // namespace latentscape::ui
