#pragma once
/// @file The "Data" dock: what is loaded, which two features are plotted, what colours the
/// points, and the legend for that colouring.

#include "jobs/DatasetJob.h"
#include "vtk/ColorMaps.h"

#include <QDockWidget>

#include <memory>
#include <vector>

class QComboBox;
class QDoubleSpinBox;
class QLabel;

namespace latentscape::ui {

class LegendWidget;


class DataPanel : public QDockWidget {
    Q_OBJECT
public:
    explicit DataPanel(QWidget* parent = nullptr);

    /// Shows `prepared` with its default X/Y features and colour column. Emits no signals.
    void setDataset(const PreparedDataset& prepared);

    /// What the view plots: two features (the X/Y combos) or the embedding of the last run.
    bool plotEmbedding() const;
    /// Offers the embedding in the "Plot" combo under `name` ("t-SNE"); empty removes it. With
    /// `select`, it becomes the plotted source (no signal).
    void setEmbeddingAvailable(const QString& name, bool select);

    int xFeature() const;
    /// Plots features x and y (when the features are plotted).
    void setPlottedFeatures(int x, int y);
    int yFeature() const;
    /// Metadata column the points are coloured by, or -1 for none.
    int colorColumn() const;
    /// Colours by metadata column `column` (-1: none); emits colorColumnChanged.
    void setColorColumn(int column);
    /// Feature the points are coloured by (the colour combo lists features after the metadata
    /// columns), or -1.
    int colorFeature() const;
    void setColorFeature(int feature);
    /// The continuous map for numbers (metadata or features).
    ContinuousMap colorMap() const;
    void setColorMap(ContinuousMap map);
    double pointSize() const;
    void setPointSize(double logicalPixels);

    LegendWidget* legend() const { return m_legend; }

signals:
    /// The user chose to plot the embedding (true) or the features (false).
    void plotSourceChanged(bool embedding);
    void xFeatureChanged(int feature);
    void yFeatureChanged(int feature);
    void colorColumnChanged(int column);
    void pointSizeChanged(double logicalPixels);

private:
    void fillFeatureCombo(QComboBox* combo, const PreparedDataset& prepared, int current);
    void updateSummary(const PreparedDataset& prepared);
    void updateLegend();

    QLabel* m_summary = nullptr;
    QComboBox* m_plotCombo = nullptr;
    QComboBox* m_xCombo = nullptr;
    QComboBox* m_yCombo = nullptr;
    QComboBox* m_colorCombo = nullptr;
    QComboBox* m_mapCombo = nullptr;
    QDoubleSpinBox* m_pointSize = nullptr;
    QLabel* m_legendTitle = nullptr;
    LegendWidget* m_legend = nullptr;

    std::shared_ptr<const data::Dataset> m_dataset;
    std::vector<ColumnSummary> m_columns;
};

}  // namespace latentscape::ui
