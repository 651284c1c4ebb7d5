#pragma once
/// @file The colour legend: one row per category (swatch, name, point count), or a viridis
/// gradient with its minimum and maximum for a numeric column.

#include "jobs/DatasetJob.h"

#include <QWidget>

class QLabel;
class QStackedWidget;
class QTreeWidget;

namespace latentscape::ui {

class GradientBar;

class LegendWidget : public QWidget {
    Q_OBJECT
public:
    explicit LegendWidget(QWidget* parent = nullptr);

    /// Categories of `column` with the counts in `summary` (plus a "missing" row if any).
    void showCategories(const data::MetadataColumn& column, const ColumnSummary& summary);
    /// The viridis gradient from summary.range.min to summary.range.max.
    void showRange(const data::MetadataColumn& column, const ColumnSummary& summary);
    /// No colour mapping: a one-line note instead of a legend.
    void showNote(const QString& note);

    /// Rows in the category list (0 unless categories are shown).
    int categoryRows() const;

private:
    QStackedWidget* m_stack = nullptr;
    QTreeWidget* m_categories = nullptr;
    QWidget* m_rangePage = nullptr;
    GradientBar* m_gradient = nullptr;
    QLabel* m_minLabel = nullptr;
    QLabel* m_maxLabel = nullptr;
    QLabel* m_rangeNote = nullptr;
    QLabel* m_note = nullptr;
};

}  // namespace latentscape::ui
