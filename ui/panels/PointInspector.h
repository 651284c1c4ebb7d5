#pragma once
/// @file The Selection dock's "Point" tab: everything about one row — its image (for image
/// datasets), its id, every metadata column and its first features. Shown for the point last
/// clicked on the plot or chosen alone in the table or the image grid.

#include <QWidget>

#include <cstdint>
#include <memory>

class QLabel;
class QTreeWidget;

namespace latentscape::data {
struct Dataset;
}

namespace latentscape::ui {

class PointInspector : public QWidget {
    Q_OBJECT
public:
    explicit PointInspector(QWidget* parent = nullptr);

    void setDataset(std::shared_ptr<const data::Dataset> dataset);
    /// Shows row `row` (-1: none).
    void setRow(std::int64_t row);
    std::int64_t row() const { return m_row; }

    /// Features listed at most (a 784-pixel image would be a long, useless list).
    static constexpr int maxFeatures = 32;

    QLabel* title() const { return m_title; }
    QLabel* image() const { return m_image; }
    QTreeWidget* values() const { return m_values; }

private:
    std::shared_ptr<const data::Dataset> m_dataset;
    std::int64_t m_row = -1;
    QLabel* m_title = nullptr;
    QLabel* m_image = nullptr;
    QTreeWidget* m_values = nullptr;
};

}  // namespace latentscape::ui
