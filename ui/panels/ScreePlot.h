#pragma once
/// @file The scree plot of a PCA (issue 15): the share of the total variance each component
/// explains, as bars (left axis), and the cumulative share, as a line with dots (right axis,
/// 0-100%), painted with QPainter. Hovering a bar tells its numbers; the values can be copied
/// (context menu, copyValues()) as tab-separated text that spreadsheets paste.

#include <QString>
#include <QWidget>

#include <vector>

namespace latentscape::ui {

class ScreePlot : public QWidget {
    Q_OBJECT
public:
    explicit ScreePlot(QWidget* parent = nullptr);

    /// Shows `ratio[k]`, the fraction (0..1) of the total variance explained by component k + 1,
    /// strongest first; `title` above the plot. Empty: a blank plot with message().
    void setExplainedVariance(std::vector<double> ratio, QString title = {});
    const std::vector<double>& explainedVariance() const { return m_ratio; }
    /// The running sums of explainedVariance().
    std::vector<double> cumulative() const;
    QString title() const { return m_title; }

    /// A line shown instead of the plot while there are no values ("Computing…", an error).
    void setMessage(const QString& message);
    QString message() const { return m_message; }

    /// The bar under `position` (widget pixels), or -1; the tooltip of bar k.
    int barAt(const QPointF& position) const;
    QString barToolTip(int k) const;
    /// Where bar k is drawn (widget pixels); empty when it is not.
    QRectF barRect(int k) const;

    /// "component<TAB>explained variance ratio<TAB>cumulative" then one line per component, full
    /// precision (locale-independent, for pasting anywhere).
    QString valuesText() const;
    /// valuesText() onto the clipboard.
    void copyValues() const;

    QSize sizeHint() const override { return {560, 320}; }
    QSize minimumSizeHint() const override { return {260, 160}; }

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    struct Frame {
        QRectF area;       // where bars go
        double top = 0.0;  // left axis maximum (a ratio)
        double step = 0.0;
    };
    Frame frame() const;

    std::vector<double> m_ratio;
    QString m_title;
    QString m_message;
};

}  // namespace latentscape::ui
