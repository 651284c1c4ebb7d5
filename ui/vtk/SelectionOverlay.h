#pragma once
/// @file What ScatterView draws over its points with QPainter for selecting: the box or lasso
/// being dragged, and rings around marked points (rows picked in the selection table, a point's
/// nearest neighbours in feature space).

#include <QPolygonF>
#include <QWidget>

namespace latentscape::ui {

class ScatterView;

/// Transparent to the mouse; sized to the view; repainted when the camera moves.
class SelectionOverlay : public QWidget {
public:
    explicit SelectionOverlay(ScatterView* view);

    /// The shape in progress (logical pixels), or an empty polygon for none.
    void setShape(const QPolygonF& shape) {
        m_shape = shape;
        update();
    }
    const QPolygonF& shape() const { return m_shape; }

    /// Marked points drawn at most: rings beyond this many would hide the plot.
    static constexpr int maxRings = 2000;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    ScatterView* m_view;
    QPolygonF m_shape;
};

}  // namespace latentscape::ui
