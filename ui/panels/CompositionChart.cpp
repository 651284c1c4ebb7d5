#include "panels/CompositionChart.h"

#include "data/dataset.h"
#include "metrics/contrast.h"
#include "select/selection.h"
#include "vtk/ColorMaps.h"

#include <QHelpEvent>
#include <QLocale>
#include <QPainter>
#include <QToolTip>

#include <algorithm>

namespace latentscape::ui {

CompositionChart::CompositionChart(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("compositionChart"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void CompositionChart::setComposition(const data::MetadataColumn& column, const select::Selection& selection) {
    if (column.kind != data::ColumnKind::Categorical || std::int64_t(column.codes.size()) != selection.size()) {
        clear();
        return;
    }
    const int categories = int(column.categories.size());
    const std::vector<std::int64_t> counts = metrics::category_counts(column.codes, categories, selection);
    std::vector<Bar> bars;
    for (int c = 0; c < categories; ++c)
        if (counts[std::size_t(c)] > 0)
            bars.push_back({QString::fromStdString(column.categories[std::size_t(c)]), counts[std::size_t(c)],
                            categoricalColor(c, categories).toQColor()});
    if (counts.back() > 0) bars.push_back({tr("(missing)"), counts.back(), missingColor().toQColor()});
    setBars(std::move(bars), selection.count());
}

void CompositionChart::setBars(std::vector<Bar> bars, std::int64_t total) {
    std::stable_sort(bars.begin(), bars.end(), [](const Bar& a, const Bar& b) { return a.count > b.count; });
    m_hidden = 0;
    if (bars.size() > std::size_t(maxBars)) {
        // The tail of a column with many categories (unique ids, say) as one bar: the chart stays
        // readable and its cost does not grow with the number of categories.
        Bar more;
        m_hidden = int(bars.size()) - (maxBars - 1);
        for (std::size_t i = std::size_t(maxBars - 1); i < bars.size(); ++i) more.count += bars[i].count;
        more.name = tr("… %n more", "", m_hidden);
        more.color = palette().color(QPalette::Mid);
        bars.resize(std::size_t(maxBars - 1));
        bars.push_back(more);
    }
    m_bars = std::move(bars);
    m_total = total;
    updateGeometry();
    update();
}

void CompositionChart::clear() {
    m_bars.clear();
    m_total = 0;
    m_hidden = 0;
    updateGeometry();
    update();
}

int CompositionChart::rowHeight() const { return fontMetrics().height() + 6; }

QSize CompositionChart::sizeHint() const {
    return {260, rowHeight() * std::max<int>(1, int(m_bars.size())) + 4};
}

QSize CompositionChart::minimumSizeHint() const { return {160, sizeHint().height()}; }

int CompositionChart::barAt(QPoint position) const {
    const int i = (position.y() - 2) / rowHeight();
    return position.y() >= 2 && i < int(m_bars.size()) ? i : -1;
}

bool CompositionChart::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int i = barAt(help->pos());
        if (i < 0 || m_total <= 0) {
            QToolTip::hideText();
            event->ignore();
            return true;
        }
        const QLocale locale;
        const Bar& bar = m_bars[std::size_t(i)];
        QToolTip::showText(help->globalPos(),
                           tr("%1: %2 of %3 selected rows (%4%)")
                               .arg(bar.name, locale.toString(qlonglong(bar.count)), locale.toString(qlonglong(m_total)),
                                    locale.toString(100.0 * double(bar.count) / double(m_total), 'f', 1)),
                           this);
        return true;
    }
    return QWidget::event(event);
}

void CompositionChart::paintEvent(QPaintEvent*) {
    QPainter p(this);
    const QLocale locale;
    const QFontMetrics fm = fontMetrics();
    if (m_bars.empty() || m_total <= 0) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect().adjusted(4, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, tr("No rows selected"));
        return;
    }
    const auto label = [&](const Bar& bar) {
        return tr("%1 (%2%)").arg(locale.toString(qlonglong(bar.count)),
                                  locale.toString(100.0 * double(bar.count) / double(m_total), 'f', 1));
    };
    int nameWidth = 0, countWidth = 0;
    for (const Bar& bar : m_bars) {
        nameWidth = std::max(nameWidth, fm.horizontalAdvance(bar.name));
        countWidth = std::max(countWidth, fm.horizontalAdvance(label(bar)));
    }
    nameWidth = std::min(nameWidth + 2, width() * 2 / 5);  // +2: elidedText wants a little slack
    const int barLeft = nameWidth + 10;
    const int barSpace = std::max(10, width() - barLeft - countWidth - 10);
    // Bars relative to the largest: the chart uses its width; the label gives the share.
    const double largest = double(m_bars.front().count);
    const int h = rowHeight();
    for (std::size_t i = 0; i < m_bars.size(); ++i) {
        const Bar& bar = m_bars[i];
        const int y = 2 + int(i) * h;
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(QRect(4, y, nameWidth, h), Qt::AlignRight | Qt::AlignVCenter,
                   fm.elidedText(bar.name, Qt::ElideRight, nameWidth));
        const int length = std::max(1, int(std::lround(barSpace * double(bar.count) / largest)));
        const QRect barRect(barLeft, y + 2, length, h - 4);
        p.fillRect(barRect, bar.color);
        p.setPen(bar.color.darker(130));
        p.drawRect(barRect.adjusted(0, 0, -1, -1));
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(QRect(barRect.right() + 6, y, countWidth + 4, h), Qt::AlignLeft | Qt::AlignVCenter, label(bar));
    }
}

}  // namespace latentscape::ui
