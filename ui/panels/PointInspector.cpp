#include "panels/PointInspector.h"

#include "data/dataset.h"

#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QLocale>
#include <QPixmap>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace latentscape::ui {

PointInspector::PointInspector(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("pointInspector"));
    auto* layout = new QVBoxLayout(this);
    m_title = new QLabel(tr("Click a point on the plot, or choose one row in the table."));
    m_title->setObjectName(QStringLiteral("pointTitle"));
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_title);
    m_image = new QLabel;
    m_image->setObjectName(QStringLiteral("pointImage"));
    m_image->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_image->hide();
    layout->addWidget(m_image);
    m_values = new QTreeWidget;
    m_values->setObjectName(QStringLiteral("pointValues"));
    m_values->setColumnCount(2);
    m_values->setHeaderLabels({tr("Column"), tr("Value")});
    m_values->setRootIsDecorated(false);
    m_values->setUniformRowHeights(true);
    m_values->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    layout->addWidget(m_values, 1);
}

void PointInspector::setDataset(std::shared_ptr<const data::Dataset> dataset) {
    m_dataset = std::move(dataset);
    setRow(-1);
}

void PointInspector::setRow(std::int64_t row) {
    m_values->clear();
    m_image->clear();
    m_image->hide();
    m_row = m_dataset && row >= 0 && row < m_dataset->n ? row : -1;
    if (m_row < 0) {
        m_title->setText(tr("Click a point on the plot, or choose one row in the table."));
        return;
    }
    const data::Dataset& ds = *m_dataset;
    const auto i = std::size_t(m_row);
    const QLocale locale;
    QString title = tr("<b>Point %1</b>").arg(locale.toString(qlonglong(m_row)));
    if (!ds.row_ids.empty()) title += tr(" · id <b>%1</b>").arg(QString::fromStdString(ds.row_ids[i]).toHtmlEscaped());
    if (const data::MetadataColumn* label = ds.label())
        title += tr(" · %1 <b>%2</b>").arg(QString::fromStdString(label->name).toHtmlEscaped(),
                                            QString::fromStdString(label->value_string(i)).toHtmlEscaped());
    m_title->setText(title);

    const data::ImageStack& im = ds.images;
    if (!im.empty() && (im.channels == 1 || im.channels == 3)) {
        const QImage image(im.image(i), im.width, im.height, im.width * im.channels,
                           im.channels == 3 ? QImage::Format_RGB888 : QImage::Format_Grayscale8);
        // Four times its size without smoothing: the pixels stay pixels.
        m_image->setPixmap(QPixmap::fromImage(image.scaled(im.width * 4, im.height * 4)));
        m_image->show();
    }
    for (const data::MetadataColumn& column : ds.metadata) {
        auto* item = new QTreeWidgetItem(m_values, {QString::fromStdString(column.name),
                                                     QString::fromStdString(column.value_string(i))});
        QFont bold = item->font(0);
        bold.setBold(true);
        item->setFont(0, bold);
    }
    const std::int64_t shown = std::min<std::int64_t>(ds.d, maxFeatures);
    for (std::int64_t j = 0; j < shown; ++j) {
        const QString name = std::size_t(j) < ds.feature_names.size() ? QString::fromStdString(ds.feature_names[std::size_t(j)])
                                                                      : tr("feature %1").arg(j + 1);
        new QTreeWidgetItem(m_values, {name, locale.toString(double(ds.at(m_row, j)), 'g', 7)});
    }
    if (ds.d > shown) new QTreeWidgetItem(m_values, {tr("… %1 more features").arg(locale.toString(qlonglong(ds.d - shown))), {}});
}

}  // namespace latentscape::ui
