#pragma once
/// @file What ScatterView draws over a 2-D plot with QPainter: the ends of a latent traversal and
/// rows placed on the map from another file.

#include <QWidget>

namespace latentscape::ui {

class ScatterView;

/// The traversal's ends over a 2-D plot (ScatterView::setOverlaySegment): dots labelled A and B
/// joined by a dashed line with the strip's samples marked along it, on white halos so they read
/// over dense points. Mouse events pass through to the view.
class SegmentOverlay : public QWidget {
public:
    explicit SegmentOverlay(ScatterView* view);

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    void mark(QPainter& painter, const QPointF& at, const QString& text);
    ScatterView* m_view;
};

}  // namespace latentscape::ui
