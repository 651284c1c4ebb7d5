#include "panels/DataPanel.h"

#include "panels/LegendWidget.h"

#include <QComboBox>

#include <cmath>
#include <limits>
#include <QCompleter>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace latentscape::ui {
namespace {

// "1 row", "2,000 rows": English plurals without a translation file.
QString countOf(qint64 n, const QString& one, const QString& many) {
    return QStringLiteral("%1 %2").arg(QLocale().toString(qlonglong(n)), n == 1 ? one : many);
}

QComboBox* makeFeatureCombo(const QString& objectName, QWidget* parent) {
    auto* combo = new QComboBox(parent);
    combo->setObjectName(objectName);
    // Hundreds of features: let the user type part of a name to find one.
    combo->setEditable(true);
    combo->setInsertPolicy(QComboBox::NoInsert);
    combo->completer()->setCompletionMode(QCompleter::PopupCompletion);
    combo->completer()->setFilterMode(Qt::MatchContains);
    combo->completer()->setCaseSensitivity(Qt::CaseInsensitive);
    combo->setMaxVisibleItems(20);
    combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    combo->setMinimumContentsLength(12);
    return combo;
}

}  // namespace

DataPanel::DataPanel(QWidget* parent) : QDockWidget(tr("Data"), parent) {
    setObjectName(QStringLiteral("dataPanel"));
    setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);

    auto* content = new QWidget(this);
    m_summary = new QLabel(tr("No dataset loaded."), content);
    m_summary->setObjectName(QStringLiteral("datasetSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_plotCombo = new QComboBox(content);
    m_plotCombo->setObjectName(QStringLiteral("plotCombo"));
    m_plotCombo->addItem(tr("Features"), 0);
    m_plotCombo->setToolTip(tr("Plot two of the data's features, or the embedding of the last reduction."));
    m_xCombo = makeFeatureCombo(QStringLiteral("xFeatureCombo"), content);
    m_yCombo = makeFeatureCombo(QStringLiteral("yFeatureCombo"), content);
    m_colorCombo = new QComboBox(content);
    m_colorCombo->setObjectName(QStringLiteral("colorByCombo"));
    m_colorCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_colorCombo->setMinimumContentsLength(12);
    m_mapCombo = new QComboBox(content);
    m_mapCombo->setObjectName(QStringLiteral("colorMapCombo"));
    m_mapCombo->addItems({tr("viridis"), tr("magma"), tr("diverging")});
    m_mapCombo->setToolTip(tr("Colour map for numbers. Viridis and magma are perceptually uniform and "
                              "colour-blind safe; diverging suits values around a middle."));
    m_pointSize = new QDoubleSpinBox(content);
    m_pointSize->setObjectName(QStringLiteral("pointSizeSpin"));
    m_pointSize->setRange(1.0, 20.0);
    m_pointSize->setSingleStep(0.5);
    m_pointSize->setDecimals(1);
    m_pointSize->setSuffix(tr(" px"));
    m_pointSize->setValue(4.0);

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("&Plot:"), m_plotCombo);
    form->addRow(tr("&X axis:"), m_xCombo);
    form->addRow(tr("&Y axis:"), m_yCombo);
    form->addRow(tr("&Colour by:"), m_colorCombo);
    form->addRow(tr("Colour &map:"), m_mapCombo);
    form->addRow(tr("Point &size:"), m_pointSize);

    m_legendTitle = new QLabel(content);
    m_legendTitle->setTextFormat(Qt::RichText);
    m_legend = new LegendWidget(content);

    auto* layout = new QVBoxLayout(content);
    layout->addWidget(m_summary);
    layout->addSpacing(6);
    layout->addLayout(form);
    layout->addSpacing(6);
    layout->addWidget(m_legendTitle);
    layout->addWidget(m_legend, 1);
    setWidget(content);

    m_xCombo->setEnabled(false);
    m_yCombo->setEnabled(false);
    m_colorCombo->setEnabled(false);

    connect(m_xCombo, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index >= 0) emit xFeatureChanged(index);
    });
    connect(m_yCombo, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index >= 0) emit yFeatureChanged(index);
    });
    connect(m_colorCombo, &QComboBox::currentIndexChanged, this, [this] {
        updateLegend();
        emit colorColumnChanged(colorColumn());
    });
    connect(m_plotCombo, &QComboBox::currentIndexChanged, this, [this] {
        const bool embedding = plotEmbedding();
        m_xCombo->setEnabled(!embedding && m_dataset && m_dataset->d > 1);
        m_yCombo->setEnabled(!embedding && m_dataset && m_dataset->d > 1);
        emit plotSourceChanged(embedding);
    });
    connect(m_mapCombo, &QComboBox::currentIndexChanged, this, [this] {
        updateLegend();
        emit colorColumnChanged(colorColumn());
    });
    connect(m_pointSize, &QDoubleSpinBox::valueChanged, this, &DataPanel::pointSizeChanged);
}

bool DataPanel::plotEmbedding() const { return m_plotCombo->currentData().toInt() == 1; }

void DataPanel::setEmbeddingAvailable(const QString& name, bool select) {
    const QSignalBlocker blocker(m_plotCombo);
    if (m_plotCombo->count() > 1) m_plotCombo->removeItem(1);
    if (!name.isEmpty()) m_plotCombo->addItem(tr("%1 embedding").arg(name), 1);
    if (select && !name.isEmpty()) m_plotCombo->setCurrentIndex(1);
    if (name.isEmpty()) m_plotCombo->setCurrentIndex(0);
    const bool embedding = plotEmbedding();
    m_xCombo->setEnabled(!embedding && m_dataset && m_dataset->d > 1);
    m_yCombo->setEnabled(!embedding && m_dataset && m_dataset->d > 1);
}

int DataPanel::xFeature() const { return std::max(0, m_xCombo->currentIndex()); }

void DataPanel::setPlottedFeatures(int x, int y) {
    if (x >= 0 && x < m_xCombo->count()) m_xCombo->setCurrentIndex(x);
    if (y >= 0 && y < m_yCombo->count()) m_yCombo->setCurrentIndex(y);
}
int DataPanel::yFeature() const { return std::max(0, m_yCombo->currentIndex()); }

// The colour combo's item data: a metadata column c as c, a feature j as -(j + 2); "None" has none.
int DataPanel::colorColumn() const {
    const QVariant data = m_colorCombo->currentData();
    return data.isValid() && data.toInt() >= 0 ? data.toInt() : -1;
}

int DataPanel::colorFeature() const {
    const QVariant data = m_colorCombo->currentData();
    return data.isValid() && data.toInt() <= -2 ? -(data.toInt() + 2) : -1;
}

void DataPanel::setColorFeature(int feature) {
    const int index = m_colorCombo->findData(-(feature + 2));
    if (index >= 0) m_colorCombo->setCurrentIndex(index);
}

ContinuousMap DataPanel::colorMap() const { return ContinuousMap(std::max(0, m_mapCombo->currentIndex())); }
void DataPanel::setColorMap(ContinuousMap map) { m_mapCombo->setCurrentIndex(int(map)); }

void DataPanel::setColorColumn(int column) {
    const int index = m_colorCombo->findData(column);
    m_colorCombo->setCurrentIndex(index >= 0 ? index : 0);
}

double DataPanel::pointSize() const { return m_pointSize->value(); }

void DataPanel::setPointSize(double logicalPixels) {
    const QSignalBlocker blocker(m_pointSize);
    m_pointSize->setValue(logicalPixels);
}

void DataPanel::fillFeatureCombo(QComboBox* combo, const PreparedDataset& prepared, int current) {
    const QSignalBlocker blocker(combo);
    combo->clear();
    const data::Dataset& ds = *prepared.dataset;
    const QLocale locale;
    for (std::size_t j = 0; j < ds.feature_names.size(); ++j) {
        combo->addItem(QString::fromStdString(ds.feature_names[j]));
        if (j < prepared.featureVariance.size())
            combo->setItemData(int(j), tr("variance %1").arg(locale.toString(prepared.featureVariance[j], 'g', 4)),
                               Qt::ToolTipRole);
    }
    combo->setCurrentIndex(ds.d > 0 ? current : -1);
    combo->setEnabled(ds.d > 1);
}

void DataPanel::setDataset(const PreparedDataset& prepared) {
    m_dataset = prepared.dataset;
    m_columns = prepared.columns;
    if (!m_dataset) return;
    setEmbeddingAvailable({}, false);  // a new dataset has no embedding yet
    updateSummary(prepared);
    fillFeatureCombo(m_xCombo, prepared, prepared.defaultX);
    fillFeatureCombo(m_yCombo, prepared, prepared.defaultY);

    {
        const QSignalBlocker blocker(m_colorCombo);
        m_colorCombo->clear();
        m_colorCombo->addItem(tr("None"));
        for (std::size_t i = 0; i < m_dataset->metadata.size(); ++i) {
            const auto& column = m_dataset->metadata[i];
            if (column.kind == data::ColumnKind::Text) continue;  // free text has no colour scale
            const QString kind = column.kind == data::ColumnKind::Categorical ? tr("categories") : tr("numeric");
            m_colorCombo->addItem(tr("%1 (%2)").arg(QString::fromStdString(column.name), kind), int(i));
        }
        // Then every feature, by its values.
        if (!m_dataset->feature_names.empty()) m_colorCombo->insertSeparator(m_colorCombo->count());
        for (std::size_t j = 0; j < m_dataset->feature_names.size(); ++j)
            m_colorCombo->addItem(tr("%1 (feature)").arg(QString::fromStdString(m_dataset->feature_names[j])),
                                  -(int(j) + 2));
        const int index = m_colorCombo->findData(prepared.defaultColorColumn);
        m_colorCombo->setCurrentIndex(index >= 0 ? index : 0);
        m_colorCombo->setEnabled(m_colorCombo->count() > 1);
    }
    updateLegend();
}

void DataPanel::updateSummary(const PreparedDataset& prepared) {
    const data::Dataset& ds = *prepared.dataset;
    const QLocale locale;
    QStringList lines;
    lines << QStringLiteral("<b>%1</b>").arg(prepared.displayName.toHtmlEscaped());
    lines << tr("%1 points &times; %2 features")
                 .arg(locale.toString(qlonglong(ds.n)), locale.toString(qlonglong(ds.d)));
    if (const auto* label = ds.label()) {
        QString text = tr("Label: <i>%1</i>").arg(QString::fromStdString(label->name).toHtmlEscaped());
        if (label->kind == data::ColumnKind::Categorical)
            text += QStringLiteral(" (%1)").arg(countOf(qint64(label->categories.size()), tr("category"), tr("categories")));
        lines << text;
    } else {
        lines << tr("No label column");
    }
    const int otherColumns = int(ds.metadata.size()) - (ds.label_column ? 1 : 0);
    if (otherColumns > 0) {
        const QString columns = countOf(otherColumns, tr("metadata column"), tr("metadata columns"));
        lines << (ds.label_column ? tr("%1 besides the label").arg(columns) : columns);
    }
    if (!ds.images.empty())
        lines << tr("Images: %1 &times; %2").arg(ds.images.width).arg(ds.images.height);
    if (ds.missing.rows_dropped > 0)
        lines << tr("%1 with missing values dropped").arg(countOf(ds.missing.rows_dropped, tr("row"), tr("rows")));
    if (ds.missing.cells_imputed > 0)
        lines << tr("%1 replaced by column means")
                     .arg(countOf(ds.missing.cells_imputed, tr("missing value"), tr("missing values")));
    m_summary->setText(lines.join(QStringLiteral("<br>")));
    m_summary->setToolTip(prepared.path.isEmpty() ? QString::fromStdString(ds.source) : prepared.path);
}

void DataPanel::updateLegend() {
    const int column = colorColumn();
    const int feature = colorFeature();
    m_mapCombo->setEnabled(feature >= 0 || (m_dataset && column >= 0 && std::size_t(column) < m_dataset->metadata.size() &&
                                            m_dataset->metadata[std::size_t(column)].kind == data::ColumnKind::Numeric));
    if (m_dataset && feature >= 0 && feature < m_dataset->d) {
        const QString name = QString::fromStdString(m_dataset->feature_names[std::size_t(feature)]);
        m_legendTitle->setText(tr("<b>Legend</b> &mdash; %1").arg(name.toHtmlEscaped()));
        m_legend->showRange(name, featureRange(*m_dataset, feature), 0, colorMap());
        return;
    }
    if (!m_dataset || column < 0 || std::size_t(column) >= m_dataset->metadata.size()) {
        m_legendTitle->setText(tr("<b>Legend</b>"));
        m_legend->showNote(m_dataset ? tr("All points in one colour.") : QString());
        return;
    }
    const auto& meta = m_dataset->metadata[std::size_t(column)];
    const ColumnSummary& summary = m_columns[std::size_t(column)];
    m_legendTitle->setText(tr("<b>Legend</b> &mdash; %1").arg(QString::fromStdString(meta.name).toHtmlEscaped()));
    if (meta.kind == data::ColumnKind::Categorical) m_legend->showCategories(meta, summary);
    else m_legend->showRange(meta, summary, colorMap());
}

}  // namespace latentscape::ui
