#pragma once
/// @file The Generator dock's 2-D noise plane.

#include <QImage>
#include <QWidget>

#include <functional>
#include <optional>
#include <vector>

namespace latentscape::ui {

/// The 2-D noise plane: tiles of generated samples (images) or a plain grid, the cursor, and the
/// interpolation ends A and B. Reports hovers and clicks in noise coordinates.
class NoisePlane : public QWidget {
public:
    /// The plane covers [-kExtent, kExtent]^2 in kTiles x kTiles tiles.
    static constexpr int kTiles = 9;
    static constexpr double kExtent = 2.5;
    explicit NoisePlane(QWidget* parent = nullptr) : QWidget(parent) {
        setMouseTracking(true);
        setFixedSize(190, 190);
        setObjectName(QStringLiteral("noisePlane"));
    }
    std::function<void(double, double)> hovered;
    std::function<void(double, double, bool)> clicked;  ///< x, y, right button

    void setTiles(std::vector<QImage> tiles) {
        m_tiles = std::move(tiles);
        update();
    }
    void setEnds(std::optional<QPointF> a, std::optional<QPointF> b) {
        m_a = a;
        m_b = b;
        update();
    }
    /// Noise coordinates of a widget position, and back.
    QPointF toNoise(QPointF p) const {
        const double e = kExtent;
        return {-e + 2 * e * p.x() / width(), e - 2 * e * p.y() / height()};
    }
    QPointF toWidget(QPointF z) const {
        const double e = kExtent;
        return {(z.x() + e) / (2 * e) * width(), (e - z.y()) / (2 * e) * height()};
    }

protected:
    void paintEvent(QPaintEvent*) override;
    void mouseMoveEvent(QMouseEvent* e) override;
    void mousePressEvent(QMouseEvent* e) override;

private:
    std::vector<QImage> m_tiles;
    std::optional<QPointF> m_a, m_b;
};

}  // namespace latentscape::ui
