// MainWindow, File > Export: the menu and the file dialog; the files are written by
// services/ExportService on workers. Success goes to the status bar, failure to a dialog
// ("exportErrorBox"), and both to exportFinished().
#include "MainWindow.h"

#include "panels/ErrorDialog.h"
#include "panels/FileDialogs.h"

#include "ReductionController.h"
#include "services/ClusteringService.h"
#include "panels/DataPanel.h"
#include "services/ExportService.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>

namespace latentscape::ui {
namespace {
const char* const kExportDirectoryKey = "export/directory";
}  // namespace

void MainWindow::createExportActions(QMenu* fileMenu) {
    m_exports = new ExportService(m_document, this);
    connect(m_exports, &ExportService::statusMessage, statusBar(), &QStatusBar::showMessage);
    connect(m_exports, &ExportService::failed, this, &MainWindow::showExportError);
    connect(m_exports, &ExportService::finished, this, &MainWindow::exportFinished);

    // One "Export" submenu for data; shared with any other export entries that want it.
    QMenu* menu = fileMenu->findChild<QMenu*>(QStringLiteral("exportMenu"), Qt::FindDirectChildrenOnly);
    if (!menu) {
        menu = fileMenu->addMenu(tr("E&xport"));
        menu->setObjectName(QStringLiteral("exportMenu"));
    }
    m_exportEmbeddingAction = menu->addAction(tr("Export &Embedding…"), this, [this] { chooseExportPath(ExportKind::Embedding); });
    m_exportEmbeddingAction->setObjectName(QStringLiteral("exportEmbeddingAction"));
    m_exportEmbeddingAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));  // Ctrl+E: the figure
    m_exportEmbeddingAction->setStatusTip(
        tr("Save the plotted coordinates of every row with its id, label, clusters, groups and selection (CSV, or NPY "
           "with a metadata CSV beside it)"));
    m_exportSelectionAction = menu->addAction(tr("Export &Selection…"), this, [this] { chooseExportPath(ExportKind::Selection); });
    m_exportSelectionAction->setObjectName(QStringLiteral("exportSelectionAction"));
    m_exportSelectionAction->setStatusTip(tr("Save the plotted coordinates and metadata of the selected rows only"));
    m_exportLabelsAction = menu->addAction(tr("Export &Cluster Labels…"), this, [this] { chooseExportPath(ExportKind::ClusterLabels); });
    m_exportLabelsAction->setObjectName(QStringLiteral("exportClusterLabelsAction"));
    m_exportLabelsAction->setStatusTip(tr("Save every row's id and cluster as CSV (DBSCAN noise is an empty cell)"));
    m_exportModelAction = menu->addAction(tr("Export &Autoencoder Model…"), this, [this] { chooseExportPath(ExportKind::AutoencoderModel); });
    m_exportModelAction->setObjectName(QStringLiteral("exportModelAction"));
    m_exportModelAction->setStatusTip(tr("Save the trained autoencoder (.lsae) for latentscape-cli encode/decode"));

    connect(menu, &QMenu::aboutToShow, this, &MainWindow::updateExportActions);
    connect(this, &MainWindow::datasetChanged, this, &MainWindow::updateExportActions);
    connect(this, &MainWindow::selectionChanged, this, &MainWindow::updateExportActions);
    connect(m_reduction, &ReductionController::runStarted, this, &MainWindow::updateExportActions);
    connect(m_reduction, &ReductionController::embeddingShown, this, &MainWindow::updateExportActions);
    connect(m_reduction, &ReductionController::runFinished, this, &MainWindow::updateExportActions);
    connect(m_reduction, &ReductionController::modelChanged, this, &MainWindow::updateExportActions);
    connect(m_dataPanel, &DataPanel::plotSourceChanged, this, &MainWindow::updateExportActions);
    // Connected after MainWindow's own handler: the "cluster" column is there when this runs.
    connect(m_clustering, &ClusteringService::finished, this, &MainWindow::updateExportActions);
    updateExportActions();
}

ExportService::Plotted MainWindow::plotted() const {
    return {m_dataPanel->plotEmbedding(), m_dataPanel->xFeature(), m_dataPanel->yFeature()};
}

void MainWindow::updateExportActions() {
    if (!m_exportEmbeddingAction || !m_reduction) return;  // not yet made, or the window is closing
    const ExportService::Available a = m_exports->available(plotted());
    m_exportEmbeddingAction->setEnabled(a.embedding);
    m_exportSelectionAction->setEnabled(a.selection);
    m_exportLabelsAction->setEnabled(a.clusterLabels);
    m_exportModelAction->setEnabled(a.model);
}

int MainWindow::exportsRunning() const { return m_exports->running(); }

QString MainWindow::exportEmbedding(const QString& path, bool selectionOnly) {
    return m_exports->exportEmbedding(path, selectionOnly, plotted());
}

QString MainWindow::exportClusterLabels(const QString& path) { return m_exports->exportClusterLabels(path); }

QString MainWindow::exportAutoencoderModel(const QString& path) { return m_exports->exportAutoencoderModel(path); }

void MainWindow::showExportError(const QString& path, const QString& message) {
    statusBar()->showMessage(message, 10000);
    for (auto* old : findChildren<QMessageBox*>(QStringLiteral("exportErrorBox"), Qt::FindDirectChildrenOnly))
        old->deleteLater();
    QMessageBox* box = makeErrorBox(this, QStringLiteral("exportErrorBox"), tr("Export failed"),
                                    tr("Could not write “%1”.").arg(QFileInfo(path).fileName()), message);
    box->open();
}

void MainWindow::chooseExportPath(ExportKind kind) {
    updateExportActions();
    QSettings settings;
    const QString dir = settings.value(kExportDirectoryKey, lastFolder()).toString();
    QString base = QFileInfo(prepared().path).completeBaseName();
    if (base.isEmpty()) base = QStringLiteral("latentscape");
    const QString method = m_exports->plottedTag(plotted());
    QString title, name, filters;
    switch (kind) {
        case ExportKind::Embedding:
        case ExportKind::Selection:
            title = kind == ExportKind::Embedding ? tr("Export Embedding") : tr("Export Selection");
            name = base + QLatin1Char('-') + method + (kind == ExportKind::Selection ? QStringLiteral("-selection") : QString()) +
                   QStringLiteral(".csv");
            filters = tr("CSV with ids and metadata (*.csv);;NumPy float32 array, metadata CSV beside it (*.npy)");
            break;
        case ExportKind::ClusterLabels:
            title = tr("Export Cluster Labels");
            name = base + QStringLiteral("-clusters.csv");
            filters = tr("CSV (*.csv)");
            break;
        case ExportKind::AutoencoderModel:
            title = tr("Export Autoencoder Model");
            name = base + QStringLiteral("-autoencoder.lsae");
            filters = tr("Latentscape autoencoder (*.lsae)");
            break;
    }
    QString filter;
    QString path = QFileDialog::getSaveFileName(this, title, QDir(dir).filePath(name), filters, &filter);
    if (path.isEmpty()) return;
    // No extension typed: the chosen filter's.
    if (QFileInfo(path).suffix().isEmpty()) {
        const int star = filter.indexOf(QStringLiteral("*."));
        if (star >= 0) path += filter.mid(star + 1, filter.indexOf(QLatin1Char(')'), star) - star - 1);
    }
    settings.setValue(kExportDirectoryKey, QFileInfo(path).absolutePath());
    rememberFolder(path);
    QString error;
    switch (kind) {
        case ExportKind::Embedding: error = exportEmbedding(path, false); break;
        case ExportKind::Selection: error = exportEmbedding(path, true); break;
        case ExportKind::ClusterLabels: error = exportClusterLabels(path); break;
        case ExportKind::AutoencoderModel: error = exportAutoencoderModel(path); break;
    }
    if (!error.isEmpty()) showExportError(path, error);
}

}  // namespace latentscape::ui
