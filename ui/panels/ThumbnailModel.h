#pragma once
/// @file The images of the first selected rows, as a list model for a QListView in icon mode.
/// Pixmaps are made when the view first paints them (and kept), not when the selection changes.

#include "data/dataset.h"

#include <QAbstractListModel>
#include <QPixmap>

#include <cstdint>
#include <memory>
#include <vector>

namespace latentscape::ui {

class ThumbnailModel : public QAbstractListModel {
    Q_OBJECT
public:
    /// Qt::UserRole: the dataset row of a thumbnail (qlonglong).
    static constexpr int RowRole = Qt::UserRole;

    explicit ThumbnailModel(QObject* parent = nullptr);

    /// Shows the images of `rows` of `dataset` (none when it has no images), `scale` times their
    /// size, or less for images over 48 pixels (thumbnails stay within about 96 pixels).
    void setRows(std::shared_ptr<const data::Dataset> dataset, std::vector<std::int64_t> rows, int scale = 2);
    const std::vector<std::int64_t>& rows() const { return m_rows; }
    /// The size of one thumbnail.
    QSize thumbnailSize() const;
    /// The image of dataset row `row`, `scale` times its size (null without images).
    static QImage rowImage(const data::Dataset& dataset, std::int64_t row, int scale);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const data::Dataset> m_dataset;
    std::vector<std::int64_t> m_rows;
    int m_scale = 2;
    mutable std::vector<QPixmap> m_cache;
};

}  // namespace latentscape::ui
