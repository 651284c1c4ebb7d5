#pragma once
/// @file What ScatterView draws over a 2-D plot to read it by (issue 15): the axis ticks and
/// numbers (figure/AxisTicks.h) and the PCA biplot's arrows (figure/Biplot.h), with the same code
/// that draws them into exported figures.

#include <QFont>
#include <QWidget>

namespace latentscape::ui {

class ScatterView;

/// Transparent to the mouse; sized to the view; repainted when the camera moves. Below the axis
/// captions and the other overlays.
class GuideOverlay : public QWidget {
public:
    explicit GuideOverlay(ScatterView* view);

    /// The font of the tick numbers and the arrows' labels (the view's, at 11 pixels).
    static QFont guideFont(const QFont& base);

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    ScatterView* m_view;
};

}  // namespace latentscape::ui
