// MainWindow, what the scatter view shows: the plotted coordinates (features or an embedding),
// the colours, hidden classes, the hover tooltip and the decoder's overlay. The rest of the
// window (menus, docks) is in MainWindow.cpp, datasets in MainWindowData.cpp.
#include "MainWindow.h"

#include "ReductionController.h"
#include "figure/PlotRules.h"
#include "panels/DataPanel.h"
#include "panels/DecoderPanel.h"
#include "panels/GeneratorPanel.h"
#include "panels/LegendWidget.h"
#include "panels/LossCurveWidget.h"
#include "panels/MetricsPanel.h"
#include "panels/ReductionPanel.h"
#include "panels/SelectionPanel.h"
#include "vtk/ColorMaps.h"
#include "views/ViewGrid.h"
#include "vtk/ScatterView.h"

#include <QBuffer>
#include <QCursor>
#include <QImage>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QStatusBar>
#include <QToolTip>

#include <algorithm>

namespace latentscape::ui {

void MainWindow::showCurrentRun(bool fit) {
    const auto run = m_document->currentRun();
    const auto dataset = m_document->dataset();
    if (!run || !run->hasEmbedding() || !dataset || !m_dataPanel->plotEmbedding()) return;
    if (!fit && run->embedding == m_shownEmbedding) return;  // a change of name, state or metrics
    if (!drawRun(*m_scatterView, *run, dataset->n)) return;
    // A run's embedding grows as it forms: keep it in view until the user takes the camera.
    if (fit || run->id != m_shownRunId || m_scatterView->isCameraFitted()) m_scatterView->resetCamera();
    m_shownEmbedding = run->embedding;
    m_shownRunId = run->id;
}

void MainWindow::currentRunChanged(int id) {
    const auto run = m_document->run(id);
    if (!run) {
        // The last run was deleted: the plot goes back to the features.
        m_dataPanel->setEmbeddingAvailable({}, false);
        m_shownEmbedding.reset();
        m_shownRunId = -1;
        updatePoints();
        m_scatterView->resetCamera();
        m_metricsPanel->clear();
    } else {
        m_dataPanel->setEmbeddingAvailable(run->name, true);
        showCurrentRun(true);
    }
    m_decoderPanel->setModel(m_reduction->model(), m_reduction->embedding(), m_reduction->embeddingDims());
    m_reductionPanel->lossCurve()->setProgress(run ? run->training : std::nullopt);
    updateExportActions();
}

void MainWindow::updatePoints() {
    if (!prepared().dataset) return;
    const data::Dataset& ds = *prepared().dataset;
    const auto n = std::size_t(ds.n);
    std::vector<float> x(n, 0.0f), y(n, 0.0f);
    if (ds.d > 0) {
        const auto jx = std::min<std::int64_t>(m_dataPanel->xFeature(), ds.d - 1);
        const auto jy = std::min<std::int64_t>(m_dataPanel->yFeature(), ds.d - 1);
        for (std::size_t i = 0; i < n; ++i) {
            const float* r = ds.row(std::int64_t(i));
            x[i] = r[jx];
            y[i] = r[jy];
        }
    }
    m_scatterView->setPoints(x.data(), y.data(), n);
    const auto name = [&ds](int j) {
        return j >= 0 && std::size_t(j) < ds.feature_names.size() ? QString::fromStdString(ds.feature_names[std::size_t(j)])
                                                                   : QString();
    };
    if (ds.d > 0) m_scatterView->setAxisLabels(name(m_dataPanel->xFeature()), name(m_dataPanel->yFeature()));
    else m_scatterView->setAxisLabels({}, {});
}

PlotStyle MainWindow::plotStyle() const {
    PlotStyle style;
    style.colourColumn = m_dataPanel->colorColumn();
    style.colourFeature = m_dataPanel->colorFeature();
    style.colourMap = m_dataPanel->colorMap();
    style.hidden = m_dataPanel->legend()->hiddenCodes();
    style.dimming = m_dimming;
    style.darkBackground = m_scatterView->darkBackground();
    return style;
}

// The plot's rules (figure/PlotRules.h) are those of the figure export and `latentscape-cli render`.
void MainWindow::updateColors() {
    if (!prepared().dataset) return;
    const auto n = std::size_t(prepared().dataset->n);
    m_colors = plotColors(*prepared().dataset, plotStyle(), selection(), &prepared().columns);
    if (m_scatterView->pointCount() == n) m_scatterView->setColors(m_colors.data(), n);
    refreshLinkedPanes();
}

void MainWindow::updateVisibility() {
    if (!prepared().dataset) return;
    const auto n = std::size_t(prepared().dataset->n);
    m_visible = plotVisibility(*prepared().dataset, plotStyle());
    if (m_visible.empty()) m_scatterView->setVisibility({});
    else if (m_scatterView->pointCount() == n) m_scatterView->setVisibility(m_visible);
    refreshLinkedPanes();
}

QString MainWindow::pointDescription(std::int64_t index) const {
    if (!prepared().dataset || index < 0 || index >= prepared().dataset->n) return {};
    const data::Dataset& ds = *prepared().dataset;
    const auto i = std::size_t(index);
    const QLocale locale;
    QString html = tr("<b>Point %1</b>").arg(locale.toString(qlonglong(index)));
    if (!ds.row_ids.empty()) html += tr(" &nbsp;id <b>%1</b>").arg(QString::fromStdString(ds.row_ids[i]).toHtmlEscaped());
    if (!ds.images.empty() && (ds.images.channels == 1 || ds.images.channels == 3)) {
        // The image itself (grey or RGB, as an image folder gives it), inline, three times its
        // size (less for images over 48 pixels: the tooltip stays within about 150 pixels).
        const data::ImageStack& im = ds.images;
        const int zoom = std::clamp(150 / std::max(im.width, im.height), 1, 3);
        const QImage image(im.image(i), im.width, im.height, im.width * im.channels,
                           im.channels == 3 ? QImage::Format_RGB888 : QImage::Format_Grayscale8);
        QByteArray png;
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        image.scaled(im.width * zoom, im.height * zoom).save(&buffer, "PNG");
        html += QStringLiteral("<br><img src=\"data:image/png;base64,%1\">").arg(QString::fromLatin1(png.toBase64()));
    }
    html += QStringLiteral("<table>");
    const std::size_t shown = std::min<std::size_t>(ds.metadata.size(), 12);
    for (std::size_t c = 0; c < shown; ++c) {
        const data::MetadataColumn& column = ds.metadata[c];
        html += QStringLiteral("<tr><td>%1</td><td>&nbsp;%2</td></tr>")
                    .arg(QString::fromStdString(column.name).toHtmlEscaped(),
                         QString::fromStdString(column.value_string(i)).toHtmlEscaped());
    }
    if (m_reduction->hasEmbedding()) {
        const int dims = m_reduction->embeddingDims();
        QStringList coords;
        for (int a = 0; a < dims; ++a) coords << locale.toString(m_reduction->embedding()[i * std::size_t(dims) + std::size_t(a)], 'g', 4);
        html += QStringLiteral("<tr><td>%1</td><td>&nbsp;(%2)</td></tr>").arg(m_reduction->methodName(), coords.join(QStringLiteral(", ")));
    }
    html += QStringLiteral("</table>");
    return html;
}

void MainWindow::showPointTooltip(std::int64_t index) {
    if (index < 0) {
        QToolTip::hideText();
        return;
    }
    QToolTip::showText(QCursor::pos(), pointDescription(index), m_scatterView);
}

void MainWindow::showCursorPosition(double x, double y) {
    if (!prepared().dataset || prepared().dataset->d == 0) return;
    // The axes' own names: features, or the embedding's components when one is plotted.
    const QLocale locale;
    const QString text = tr("%1 = %2   %3 = %4")
                             .arg(m_scatterView->xAxisLabel(), locale.toString(x, 'g', 5),
                                  m_scatterView->yAxisLabel(), locale.toString(y, 'g', 5));
    // Grow only: a label that narrows and widens with every move shifts (and squeezes) the
    // run's status next to it.
    const int width = m_cursorLabel->fontMetrics().horizontalAdvance(text) + 8;
    if (width > m_cursorLabel->minimumWidth()) m_cursorLabel->setMinimumWidth(width);
    m_cursorLabel->setText(text);
}

bool MainWindow::isDecoderActive() const {
    const auto model = m_reduction->model();
    return model && model->latent_dims == 2 && m_reduction->embeddingDims() == 2 &&
           m_dataPanel->plotEmbedding() && !m_scatterView->isThreeD();
}

void MainWindow::setUpDecoder() {
    // The loss curve follows the run's snapshots; the Decoder dock its model (epoch by epoch).
    connect(m_reduction, &ReductionController::runStarted, this, [this] {
        const bool autoencoder = m_reductionPanel->method() == ReductionPanel::Method::Autoencoder;
        m_reductionPanel->lossCurve()->setProgress(autoencoder ? std::optional<TrainingProgress>(TrainingProgress{})
                                                               : std::nullopt);
        m_decoderPanel->setVisible(autoencoder && m_reductionPanel->dims() == 2);
    });
    connect(m_reduction, &ReductionController::trainingChanged, this,
            [this] { m_reductionPanel->lossCurve()->setProgress(m_reduction->training()); });
    connect(m_reduction, &ReductionController::modelChanged, this, [this] {
        m_generatorPanel->setVae(m_reduction->model());
        m_decoderPanel->setModel(m_reduction->model(), m_reduction->embedding(),
                                 m_reduction->embeddingDims());
    });
    // The traversal's ends on the plot, while they belong to what the plot shows.
    const auto showSegment = [this] {
        if (isDecoderActive()) m_scatterView->setOverlaySegment(m_decoderPanel->traversalStart(), m_decoderPanel->traversalEnd());
        else m_scatterView->setOverlaySegment(std::nullopt, std::nullopt);
    };
    connect(m_decoderPanel, &DecoderPanel::traversalChanged, this, showSegment);
    connect(m_dataPanel, &DataPanel::plotSourceChanged, this, showSegment);
    connect(m_scatterView, &ScatterView::hoverMoved, this, [this](QPointF, double x, double y) {
        if (isDecoderActive() && m_decoderPanel->isVisible()) m_decoderPanel->showAt(x, y);
    });
    connect(m_scatterView, &ScatterView::contextMenuRequested, this, [this](QMenu* menu, QPointF position) {
        if (!isDecoderActive()) return;
        const auto z = m_scatterView->planePosition(position);
        QAction* from = menu->addAction(tr("Traverse &from Here"), this, [this, z] {
            m_decoderPanel->setTraversalStart(z[0], z[1]);
            m_decoderPanel->show();
        });
        from->setObjectName(QStringLiteral("traverseFromAction"));
        QAction* to = menu->addAction(tr("Traverse &to Here"), this, [this, z] {
            m_decoderPanel->setTraversalEnd(z[0], z[1]);
            m_decoderPanel->show();
        });
        to->setObjectName(QStringLiteral("traverseToAction"));
        to->setEnabled(m_decoderPanel->traversalStart().has_value());
        QAction* decode = menu->addAction(tr("&Decode Here"), this, [this, z] {
            m_decoderPanel->showAt(z[0], z[1]);
            m_decoderPanel->show();
        });
        decode->setObjectName(QStringLiteral("decodeHereAction"));
        if (m_decoderPanel->traversalStart()) {
            menu->addSeparator();
            menu->addAction(tr("&Clear Traversal"), m_decoderPanel, &DecoderPanel::clearTraversal);
        }
    });
}

}  // namespace latentscape::ui
