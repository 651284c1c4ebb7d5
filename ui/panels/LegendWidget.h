#pragma once
/// @file The colour legend: one row per category (swatch, name, point count), or a viridis
/// gradient with its minimum and maximum for a numeric column. A column with more than
/// maxCategoryRows categories (unique ids, say) shows its largest ones and one "… N more
/// categories" row, so that its cost on the GUI thread does not grow with the category count.

#include "jobs/DatasetJob.h"

#include <QIcon>
#include <QWidget>

#include <cstdint>
#include <vector>

class QLabel;
class QStackedWidget;
class QTreeWidget;

namespace latentscape::ui {

class GradientBar;

class LegendWidget : public QWidget {
    Q_OBJECT
public:
    explicit LegendWidget(QWidget* parent = nullptr);

    /// Most category rows shown; more categories are summed up in one final row.
    static constexpr int maxCategoryRows = legendMaxCategoryRows;

    /// Categories of `column` with the counts in `summary` (plus a "missing" row if any): all
    /// of them in code order, or, beyond maxCategoryRows, the largest ones by decreasing count.
    void showCategories(const data::MetadataColumn& column, const ColumnSummary& summary);
    /// The gradient of `map` from summary.range.min to summary.range.max.
    void showRange(const data::MetadataColumn& column, const ColumnSummary& summary,
                   ContinuousMap map = ContinuousMap::Viridis);
    /// The same for any named values (a feature column).
    void showRange(const QString& name, const NumericRange& range, std::int64_t missing, ContinuousMap map);
    /// No colour mapping: a one-line note instead of a legend.
    void showNote(const QString& note);

    /// Rows in the category list (0 unless categories are shown), "more" and "missing" rows included.
    int categoryRows() const;
    /// Categories summed up in the "… N more categories" row (0 when every category has a row).
    std::int64_t hiddenCategories() const { return m_hiddenCategories; }

    /// Codes the user has switched off (unticked), -1 standing for the missing row. Clicking a
    /// row's box hides or shows its category; double-clicking a row isolates it (again: all).
    const std::vector<std::int32_t>& hiddenCodes() const { return m_hiddenCodes; }
    /// Shows only `code` (-1: the missing row), or every category again when it is the only one.
    void isolate(std::int32_t code);
    /// Unticks exactly these codes (-1: the missing row); codes without a row are ignored.
    void setHiddenCodes(const std::vector<std::int32_t>& codes);

signals:
    /// The set of hidden codes changed.
    void hiddenCodesChanged();

private:
    /// One shared icon per palette colour, drawn on first use (not one pixmap per row).
    const QIcon& paletteSwatch(std::int32_t code, int categories);
    const QIcon& missingSwatch();

    QStackedWidget* m_stack = nullptr;
    QTreeWidget* m_categories = nullptr;
    QWidget* m_rangePage = nullptr;
    GradientBar* m_gradient = nullptr;
    QLabel* m_minLabel = nullptr;
    QLabel* m_maxLabel = nullptr;
    QLabel* m_rangeNote = nullptr;
    QLabel* m_note = nullptr;
    std::vector<QIcon> m_paletteSwatches;       // the long palette
    std::vector<QIcon> m_safeSwatches;          // the colour-blind-safe one
    QIcon m_missingSwatch;
    std::int64_t m_hiddenCategories = 0;
    std::vector<std::int32_t> m_hiddenCodes;
    void collectHidden();
};

}  // namespace latentscape::ui
