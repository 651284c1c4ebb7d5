#include "panels/ThumbnailModel.h"

#include <QImage>

#include <algorithm>

namespace latentscape::ui {

ThumbnailModel::ThumbnailModel(QObject* parent) : QAbstractListModel(parent) {}

void ThumbnailModel::setRows(std::shared_ptr<const data::Dataset> dataset, std::vector<std::int64_t> rows, int scale) {
    beginResetModel();
    m_dataset = std::move(dataset);
    if (!m_dataset || m_dataset->images.empty()) rows.clear();
    m_rows = std::move(rows);
    m_scale = std::max(1, scale);
    // Larger images (an image folder's 48 or 64 pixels) are enlarged less: thumbnails stay within
    // about 96 pixels, so that a row of them still fits the dock. MNIST's 28 x 28 keep `scale`.
    if (m_dataset && !m_dataset->images.empty())
        m_scale = std::clamp(96 / std::max(m_dataset->images.width, m_dataset->images.height), 1, m_scale);
    m_cache.assign(m_rows.size(), QPixmap());
    endResetModel();
}

QSize ThumbnailModel::thumbnailSize() const {
    if (!m_dataset || m_dataset->images.empty()) return {};
    return {m_dataset->images.width * m_scale, m_dataset->images.height * m_scale};
}

QImage ThumbnailModel::rowImage(const data::Dataset& dataset, std::int64_t row, int scale) {
    const data::ImageStack& im = dataset.images;
    if (im.empty() || row < 0 || row >= dataset.n || (im.channels != 1 && im.channels != 3)) return {};
    const QImage::Format format = im.channels == 1 ? QImage::Format_Grayscale8 : QImage::Format_RGB888;
    // The QImage only borrows the dataset's pixels: scaled() makes the copy that outlives it.
    const QImage image(im.image(std::size_t(row)), im.width, im.height, im.width * im.channels, format);
    // Nearest neighbour: the pixels of a 28 x 28 image stay crisp squares.
    return image.scaled(im.width * scale, im.height * scale, Qt::IgnoreAspectRatio, Qt::FastTransformation);
}

int ThumbnailModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }

QVariant ThumbnailModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= int(m_rows.size())) return {};
    const auto i = std::size_t(index.row());
    const std::int64_t row = m_rows[i];
    switch (role) {
    case Qt::DecorationRole:
        if (m_cache[i].isNull()) m_cache[i] = QPixmap::fromImage(rowImage(*m_dataset, row, m_scale));
        return m_cache[i];
    case Qt::ToolTipRole: {
        QString tip = tr("Row id %1").arg(QString::fromStdString(m_dataset->row_id(row)));
        if (const data::MetadataColumn* label = m_dataset->label())
            tip += QStringLiteral("\n%1: %2").arg(QString::fromStdString(label->name),
                                                 QString::fromStdString(label->value_string(std::size_t(row))));
        return tip;
    }
    case Qt::AccessibleTextRole: return QString::fromStdString(m_dataset->row_id(row));
    case RowRole: return qlonglong(row);
    default: return {};
    }
}

}  // namespace latentscape::ui
