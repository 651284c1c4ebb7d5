// MainWindow, File > Export: the embedding on screen (or the two plotted features) of every row
// or of the selected ones, the cluster labels and the autoencoder, written by core/data/export.h
// and reduce::autoencoder::Model::save on a worker. Every file is written atomically; success
// goes to the status bar, failure to a dialog ("exportErrorBox") and exportFinished().
#include "MainWindow.h"

#include "ReductionController.h"
#include "data/export.h"
#include "panels/ClusterPanel.h"
#include "panels/DataPanel.h"
#include "reduce/autoencoder.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <limits>

namespace latentscape::ui {
namespace {

const char* const kExportDirectoryKey = "export/directory";

std::string nativePath(const QString& path) { return QFile::encodeName(path).toStdString(); }

/// Column prefix for a method: "t-SNE" -> "tSNE", "PCA" -> "PCA".
std::string columnPrefix(const QString& method) {
    std::string out;
    for (const QChar c : method)
        if (c.isLetterOrNumber() && c.unicode() < 128) out += char(c.unicode());
    return out.empty() ? std::string("dim") : out;
}

/// Runs `write` and turns an exception into its message ("" on success). Worker side.
template <class Write>
QString attempt(Write write) {
    try {
        write();
        return {};
    } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
    }
}

}  // namespace

void MainWindow::createExportActions(QMenu* fileMenu) {
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
    connect(m_clusterPanel, &ClusterPanel::clustered, this, &MainWindow::updateExportActions);
    updateExportActions();
}

void MainWindow::updateExportActions() {
    if (!m_exportEmbeddingAction || !m_reduction) return;  // not yet made, or the window is closing
    const data::Dataset* ds = prepared().dataset.get();
    const bool shown = ds && (plottedEmbeddingDims() > 0 || ds->d > 0);
    m_exportEmbeddingAction->setEnabled(shown);
    m_exportSelectionAction->setEnabled(shown && !selection().empty());
    m_exportLabelsAction->setEnabled(ds && ds->find_metadata("cluster").has_value());
    m_exportModelAction->setEnabled(m_reduction->model() != nullptr);
}

int MainWindow::plottedEmbeddingDims() const {
    if (!prepared().dataset || !m_reduction || !m_dataPanel->plotEmbedding() || !m_reduction->hasEmbedding()) return 0;
    const int dims = m_reduction->embeddingDims();
    const bool fits = dims > 0 && m_reduction->embedding().size() == std::size_t(prepared().dataset->n) * std::size_t(dims);
    return fits ? dims : 0;
}

int MainWindow::exportsRunning() const {
    int running = 0;
    for (const QFuture<QString>& f : m_exports.futures()) running += f.isFinished() ? 0 : 1;
    return running;
}

QString MainWindow::exportEmbedding(const QString& path, bool selectionOnly) {
    const std::shared_ptr<const data::Dataset> dataset = prepared().dataset;
    if (!dataset) return tr("No dataset is loaded.");
    if (selectionOnly && selection().empty()) return tr("Nothing is selected.");
    data::EmbeddingExportOptions options;
    if (!selection().empty()) options.selection = selection();
    options.selection_only = selectionOnly;
    // What the plot shows: the embedding, or the two plotted features (copied on the worker).
    std::vector<float> coordinates;
    int dims = plottedEmbeddingDims();
    int x = -1, y = -1;
    if (dims > 0) {
        coordinates = m_reduction->embedding();
        options.method = columnPrefix(m_reduction->methodName());
    } else if (dataset->d > 0) {
        dims = 2;
        x = int(std::min<std::int64_t>(m_dataPanel->xFeature(), dataset->d - 1));
        y = int(std::min<std::int64_t>(m_dataPanel->yFeature(), dataset->d - 1));
        options.coordinate_names = {dataset->feature_names[std::size_t(x)], dataset->feature_names[std::size_t(y)]};
    } else {
        return tr("There are no coordinates to export: run a reduction first.");
    }
    const std::int64_t rows = selectionOnly ? selection().count() : dataset->n;
    const bool npy = QFileInfo(path).suffix().compare(QStringLiteral("npy"), Qt::CaseInsensitive) == 0;
    const QString what = npy ? tr("%1 and %2").arg(QFileInfo(path).fileName(),
                                                   QFileInfo(QFile::decodeName(data::embedding_sidecar_path(nativePath(path)).c_str())).fileName())
                             : QFileInfo(path).fileName();
    const QString done = tr("Exported %n row(s) to %1", "", int(std::min<std::int64_t>(rows, std::numeric_limits<int>::max()))).arg(what);
    return startExport(path, done, [dataset, coordinates = std::move(coordinates), dims, x, y, options, file = nativePath(path)]() mutable {
        return attempt([&] {
            if (x >= 0) {
                coordinates.resize(std::size_t(dataset->n) * 2);
                for (std::int64_t i = 0; i < dataset->n; ++i) {
                    coordinates[std::size_t(2 * i)] = dataset->at(i, x);
                    coordinates[std::size_t(2 * i + 1)] = dataset->at(i, y);
                }
            }
            data::export_embedding(*dataset, coordinates, dims, file, options);
        });
    });
}

QString MainWindow::exportClusterLabels(const QString& path) {
    const std::shared_ptr<const data::Dataset> dataset = prepared().dataset;
    if (!dataset || !dataset->find_metadata("cluster")) return tr("There are no clusters yet: run a clustering first.");
    const QString done = tr("Exported the cluster labels of %n row(s) to %1", "", int(std::min<std::int64_t>(dataset->n, std::numeric_limits<int>::max())))
                             .arg(QFileInfo(path).fileName());
    return startExport(path, done, [dataset, file = nativePath(path)] {
        return attempt([&] { data::export_labels(*dataset, "cluster", file); });
    });
}

QString MainWindow::exportAutoencoderModel(const QString& path) {
    const std::shared_ptr<const reduce::autoencoder::Model> model = m_reduction->model();
    if (!model) return tr("The plot does not show an autoencoder's embedding.");
    const QString done = tr("Exported the %1 model (%2 parameters) to %3")
                             .arg(m_reduction->methodName(), QLocale().toString(qlonglong(model->parameter_count())),
                                  QFileInfo(path).fileName());
    return startExport(path, done, [model, file = nativePath(path)] { return attempt([&] { model->save(file); }); });
}

QString MainWindow::startExport(const QString& path, const QString& doneMessage, std::function<QString()> work) {
    // The worker owns copies (shared datasets, the coordinates): the window may change meanwhile.
    // Not a direct child of the window: cancelJobs() cancels those (loads), and an export that
    // has not started yet must still be written when a new file is opened or the window closes.
    if (!m_exportWatchers) m_exportWatchers = new QObject(this);
    auto* watcher = new QFutureWatcher<QString>(m_exportWatchers);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, path, doneMessage] {
        const QString error = watcher->result();
        watcher->deleteLater();
        if (exportsRunning() == 0) m_exports.clearFutures();
        if (error.isEmpty()) statusBar()->showMessage(doneMessage, 10000);
        else showExportError(path, error);
        emit exportFinished(path, error);
    });
    const QFuture<QString> future = QtConcurrent::run(std::move(work));
    watcher->setFuture(future);
    m_exports.addFuture(future);  // the destructor waits for it
    statusBar()->showMessage(tr("Writing %1…").arg(QFileInfo(path).fileName()));
    return {};
}

void MainWindow::showExportError(const QString& path, const QString& message) {
    statusBar()->showMessage(message, 10000);
    for (auto* old : findChildren<QMessageBox*>(QStringLiteral("exportErrorBox"), Qt::FindDirectChildrenOnly))
        old->deleteLater();
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Export failed"),
                                tr("Could not write “%1”.").arg(QFileInfo(path).fileName()), QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("exportErrorBox"));
    box->setInformativeText(message);
    box->setStyleSheet(QStringLiteral("QLabel { min-width: 520px; }"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::chooseExportPath(ExportKind kind) {
    updateExportActions();
    QSettings settings;
    const QString dir = settings.value(kExportDirectoryKey, QDir::homePath()).toString();
    QString base = QFileInfo(prepared().path).completeBaseName();
    if (base.isEmpty()) base = QStringLiteral("latentscape");
    QString method = QString::fromStdString(plottedEmbeddingDims() > 0 ? columnPrefix(m_reduction->methodName()) : "features");
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
