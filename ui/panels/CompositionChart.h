#pragma once
/// @file A horizontal bar chart of a selection's composition: one bar per category, in the
/// category's plot colour, longest first, with its count and its share of the selection.

#include <QColor>
#include <QString>
#include <QWidget>

#include <cstdint>
#include <vector>

namespace latentscape::data {
struct MetadataColumn;
}
namespace latentscape::select {
class Selection;
}

namespace latentscape::ui {

class CompositionChart : public QWidget {
    Q_OBJECT
public:
    struct Bar {
        QString name;
        std::int64_t count = 0;
        QColor color;
    };
    /// Bars drawn; smaller categories are summed up in one last grey "… N more" bar.
    static constexpr int maxBars = 12;

    explicit CompositionChart(QWidget* parent = nullptr);

    /// Counts the selected rows of a categorical `column` per category (missing values as one
    /// "(missing)" bar) and shows the non-empty ones, largest first (ties in category order).
    void setComposition(const data::MetadataColumn& column, const select::Selection& selection);
    /// Any bars (sorted here, largest first); `total` is what shares are taken of.
    void setBars(std::vector<Bar> bars, std::int64_t total);
    void clear();

    /// The bars shown, in drawing order, the "more" bar included.
    const std::vector<Bar>& bars() const { return m_bars; }
    std::int64_t total() const { return m_total; }
    /// Categories summed up in the "more" bar (0 when there is none).
    int hiddenCategories() const { return m_hidden; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;

private:
    int rowHeight() const;
    int barAt(QPoint position) const;

    std::vector<Bar> m_bars;
    std::int64_t m_total = 0;
    int m_hidden = 0;
};

}  // namespace latentscape::ui
