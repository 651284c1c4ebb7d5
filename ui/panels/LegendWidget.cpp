#include "panels/LegendWidget.h"

#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QStackedWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <numeric>

namespace latentscape::ui {

/// A horizontal viridis bar.
class GradientBar : public QWidget {
public:
    ContinuousMap map = ContinuousMap::Viridis;
    explicit GradientBar(QWidget* parent = nullptr) : QWidget(parent) {
        setMinimumHeight(16);
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    }

protected:
    void paintEvent(QPaintEvent*) override {
        QPainter painter(this);
        QLinearGradient gradient(0, 0, width(), 0);
        constexpr int stops = 32;
        for (int i = 0; i <= stops; ++i) {
            const double t = double(i) / stops;
            gradient.setColorAt(t, mapColor(map, t).toQColor());
        }
        const QRect bar = rect().adjusted(0, 0, -1, -1);
        painter.fillRect(bar, gradient);
        painter.setPen(palette().color(QPalette::Mid));
        painter.drawRect(bar);
    }
};

namespace {

QIcon swatch(const QColor& color) {
    QPixmap pixmap(14, 14);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(color.darker(130));
    painter.setBrush(color);
    painter.drawEllipse(QRectF(1.5, 1.5, 11, 11));
    return QIcon(pixmap);
}

QString formatNumber(double v) { return QLocale().toString(v, 'g', 5); }

}  // namespace

LegendWidget::LegendWidget(QWidget* parent) : QWidget(parent) {
    m_stack = new QStackedWidget(this);

    m_categories = new QTreeWidget(m_stack);
    m_categories->setObjectName(QStringLiteral("legendCategories"));
    m_categories->setColumnCount(2);
    m_categories->setHeaderLabels({tr("Category"), tr("Points")});
    m_categories->setRootIsDecorated(false);
    m_categories->setUniformRowHeights(true);
    m_categories->setSelectionMode(QAbstractItemView::NoSelection);
    m_categories->setFocusPolicy(Qt::NoFocus);
    m_categories->header()->setStretchLastSection(false);
    m_categories->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_categories->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_categories->setToolTip(tr("Untick a category to hide its points; double-click one to show it alone."));
    connect(m_categories, &QTreeWidget::itemChanged, this, [this] { collectHidden(); });
    connect(m_categories, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem* item) {
        const QVariant code = item->data(0, Qt::UserRole);
        if (code.isValid()) isolate(code.toInt());
    });
    m_stack->addWidget(m_categories);

    m_rangePage = new QWidget(m_stack);
    auto* rangeLayout = new QGridLayout(m_rangePage);
    rangeLayout->setContentsMargins(0, 4, 0, 0);
    m_gradient = new GradientBar(m_rangePage);
    m_minLabel = new QLabel(m_rangePage);
    m_maxLabel = new QLabel(m_rangePage);
    m_maxLabel->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_rangeNote = new QLabel(m_rangePage);
    m_rangeNote->setWordWrap(true);
    rangeLayout->addWidget(m_gradient, 0, 0, 1, 2);
    rangeLayout->addWidget(m_minLabel, 1, 0);
    rangeLayout->addWidget(m_maxLabel, 1, 1);
    rangeLayout->addWidget(m_rangeNote, 2, 0, 1, 2);
    rangeLayout->setRowStretch(3, 1);
    m_stack->addWidget(m_rangePage);

    m_note = new QLabel(m_stack);
    m_note->setWordWrap(true);
    m_note->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_stack->addWidget(m_note);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);
    showNote(QString());
}

const QIcon& LegendWidget::paletteSwatch(std::int32_t code, int categories) {
    if (categories > 0 && categories <= colorBlindSafeCategories) {
        if (m_safeSwatches.empty()) m_safeSwatches.resize(std::size_t(colorBlindSafeCategories));
        QIcon& icon = m_safeSwatches[std::size_t(code % colorBlindSafeCategories)];
        if (icon.isNull()) icon = swatch(categoricalColor(code, categories).toQColor());
        return icon;
    }
    const int size = categoricalPaletteSize();
    if (m_paletteSwatches.empty()) m_paletteSwatches.resize(std::size_t(size));
    const auto slot = std::size_t(((code % size) + size) % size);
    QIcon& icon = m_paletteSwatches[slot];
    if (icon.isNull()) icon = swatch(categoricalColor(int(slot)).toQColor());
    return icon;
}

const QIcon& LegendWidget::missingSwatch() {
    if (m_missingSwatch.isNull()) m_missingSwatch = swatch(missingColor().toQColor());
    return m_missingSwatch;
}

void LegendWidget::collectHidden() {
    std::vector<std::int32_t> hidden;
    for (int r = 0; r < m_categories->topLevelItemCount(); ++r) {
        const QTreeWidgetItem* item = m_categories->topLevelItem(r);
        const QVariant code = item->data(0, Qt::UserRole);
        if (code.isValid() && item->checkState(0) == Qt::Unchecked) hidden.push_back(code.toInt());
    }
    std::sort(hidden.begin(), hidden.end());
    if (hidden == m_hiddenCodes) return;
    m_hiddenCodes = std::move(hidden);
    emit hiddenCodesChanged();
}

void LegendWidget::setHiddenCodes(const std::vector<std::int32_t>& codes) {
    const QSignalBlocker block(m_categories);  // one collectHidden() at the end, not one per row
    for (int r = 0; r < m_categories->topLevelItemCount(); ++r) {
        QTreeWidgetItem* item = m_categories->topLevelItem(r);
        const QVariant code = item->data(0, Qt::UserRole);
        if (!code.isValid()) continue;
        const bool hide = std::find(codes.begin(), codes.end(), code.toInt()) != codes.end();
        item->setCheckState(0, hide ? Qt::Unchecked : Qt::Checked);
    }
    collectHidden();
}

void LegendWidget::isolate(std::int32_t code) {
    // Already alone: show everything again.
    bool alone = true;
    for (int r = 0; r < m_categories->topLevelItemCount(); ++r) {
        const QTreeWidgetItem* item = m_categories->topLevelItem(r);
        const QVariant c = item->data(0, Qt::UserRole);
        if (!c.isValid()) continue;
        const bool shown = item->checkState(0) == Qt::Checked;
        if (shown != (c.toInt() == code)) alone = false;
    }
    {
        const QSignalBlocker block(m_categories);
        for (int r = 0; r < m_categories->topLevelItemCount(); ++r) {
            QTreeWidgetItem* item = m_categories->topLevelItem(r);
            const QVariant c = item->data(0, Qt::UserRole);
            if (c.isValid()) item->setCheckState(0, alone || c.toInt() == code ? Qt::Checked : Qt::Unchecked);
        }
    }
    collectHidden();
}

void LegendWidget::showCategories(const data::MetadataColumn& column, const ColumnSummary& summary) {
    const QSignalBlocker block(m_categories);
    m_categories->clear();
    const bool hadHidden = !m_hiddenCodes.empty();
    m_hiddenCodes.clear();
    const std::size_t categories = column.categories.size();
    const auto pointsIn = [&summary](std::size_t c) -> std::int64_t {
        return c < summary.categoryCounts.size() ? summary.categoryCounts[c] : 0;
    };

    // Which categories get a row: all of them in code order, or the largest by decreasing count
    // (ties in code order). O(categories) arithmetic, but a bounded number of widget items.
    std::vector<std::int32_t> shown;
    if (categories <= std::size_t(maxCategoryRows)) {
        shown.resize(categories);
        std::iota(shown.begin(), shown.end(), 0);
    } else {
        std::vector<std::int32_t> all(categories);
        std::iota(all.begin(), all.end(), 0);
        const auto last = all.begin() + maxCategoryRows;
        std::partial_sort(all.begin(), last, all.end(), [&pointsIn](std::int32_t a, std::int32_t b) {
            const auto na = pointsIn(std::size_t(a)), nb = pointsIn(std::size_t(b));
            return na != nb ? na > nb : a < b;
        });
        shown.assign(all.begin(), last);
    }
    m_hiddenCategories = std::int64_t(categories - shown.size());

    QList<QTreeWidgetItem*> items;
    items.reserve(qsizetype(shown.size()) + 2);
    const QLocale locale;
    std::int64_t shownPoints = 0;
    for (const std::int32_t c : shown) {
        auto* item = new QTreeWidgetItem;
        const QString name = QString::fromStdString(column.categories[std::size_t(c)]);
        const std::int64_t points = pointsIn(std::size_t(c));
        shownPoints += points;
        item->setText(0, name);
        item->setToolTip(0, name);
        item->setIcon(0, paletteSwatch(c, int(categories)));
        item->setData(0, Qt::UserRole, c);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(0, Qt::Checked);
        item->setText(1, locale.toString(qlonglong(points)));
        item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
        items.append(item);
    }
    if (m_hiddenCategories > 0) {
        std::int64_t totalPoints = 0;
        for (std::size_t c = 0; c < categories; ++c) totalPoints += pointsIn(c);
        auto* item = new QTreeWidgetItem;
        item->setText(0, tr("… %1 more categories").arg(locale.toString(qlonglong(m_hiddenCategories))));
        item->setToolTip(0, tr("Only the %1 largest of %2 categories are listed.")
                                .arg(maxCategoryRows)
                                .arg(locale.toString(qlonglong(categories))));
        QFont font = item->font(0);
        font.setItalic(true);
        item->setFont(0, font);
        item->setText(1, locale.toString(qlonglong(totalPoints - shownPoints)));
        item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
        items.append(item);
    }
    if (summary.missing > 0) {
        auto* item = new QTreeWidgetItem;
        item->setText(0, tr("(missing)"));
        item->setIcon(0, missingSwatch());
        item->setData(0, Qt::UserRole, -1);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(0, Qt::Checked);
        item->setText(1, locale.toString(qlonglong(summary.missing)));
        item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
        items.append(item);
    }
    m_categories->addTopLevelItems(items);
    if (categories > std::size_t(categoricalPaletteSize()))
        m_categories->setToolTip(tr("%1 categories share %2 colours: colours repeat.")
                                     .arg(locale.toString(qlonglong(categories)))
                                     .arg(categoricalPaletteSize()));
    else
        m_categories->setToolTip(QString());
    m_stack->setCurrentWidget(m_categories);
    if (hadHidden) emit hiddenCodesChanged();
}

void LegendWidget::showRange(const data::MetadataColumn& column, const ColumnSummary& summary, ContinuousMap map) {
    showRange(QString::fromStdString(column.name), summary.range, summary.missing, map);
}

void LegendWidget::showRange(const QString& name, const NumericRange& range, std::int64_t missing, ContinuousMap map) {
    m_gradient->map = map;
    m_gradient->update();
    m_categories->clear();
    if (!m_hiddenCodes.empty()) {
        m_hiddenCodes.clear();
        emit hiddenCodesChanged();
    }
    m_hiddenCategories = 0;
    m_minLabel->setText(formatNumber(range.min));
    m_maxLabel->setText(formatNumber(range.max));
    QString note = tr("%1, linear from minimum to maximum (%2).").arg(name, QString::fromLatin1(mapName(map)));
    if (missing > 0)
        note += QLatin1Char(' ') + (missing == 1 ? tr("1 missing value in grey.")
                                                 : tr("%1 missing values in grey.").arg(QLocale().toString(qlonglong(missing))));
    m_rangeNote->setText(note);
    m_stack->setCurrentWidget(m_rangePage);
}

void LegendWidget::showNote(const QString& note) {
    m_categories->clear();
    if (!m_hiddenCodes.empty()) {
        m_hiddenCodes.clear();
        emit hiddenCodesChanged();
    }
    m_hiddenCategories = 0;
    m_note->setText(note);
    m_stack->setCurrentWidget(m_note);
}

int LegendWidget::categoryRows() const {
    return m_stack->currentWidget() == m_categories ? m_categories->topLevelItemCount() : 0;
}

}  // namespace latentscape::ui
