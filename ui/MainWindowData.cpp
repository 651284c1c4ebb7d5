// MainWindow and its datasets: the File menu's open entries, recent files, drag and drop, the
// load error and missing-values dialogs, and what the plot and the docks show of a new dataset or
// of a new column of the same rows. Loading itself is services/DatasetService's.
#include "MainWindow.h"

#include "ReductionController.h"
#include "panels/ColumnsDialog.h"
#include "panels/DataPanel.h"
#include "panels/DecoderPanel.h"
#include "panels/GeneratorPanel.h"
#include "panels/ErrorDialog.h"
#include "panels/FileDialogs.h"
#include "panels/MetricsPanel.h"
#include "panels/ReductionPanel.h"
#include "panels/SelectionPanel.h"
#include "services/SessionService.h"
#include "session/Session.h"
#include "vtk/ScatterView.h"

#include <QAction>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QtConcurrent/QtConcurrentRun>

namespace latentscape::ui {
namespace {

const char* const kRecentFilesKey = "recentFiles";

/// `options` with the layout and roles remembered for `path` (the caller's missing-value policy,
/// label and other fields kept), when the caller chose none itself.
data::LoadOptions withRemembered(const QString& path, const data::LoadOptions& options, bool* found) {
    *found = false;
    const data::LoadOptions defaults;
    const bool layoutChosen = options.delimiter || options.header != defaults.header || options.skip_rows != 0 ||
                              options.comment != defaults.comment || !options.roles.empty();
    if (layoutChosen) {
        *found = true;  // chosen now (the Columns dialog, a session): nothing to offer
        return options;
    }
    const auto remembered = ColumnsDialog::remembered(path);
    if (!remembered) return options;
    *found = true;
    data::LoadOptions out = options;
    out.delimiter = remembered->delimiter;
    out.header = remembered->header;
    out.skip_rows = remembered->skip_rows;
    out.comment = remembered->comment;
    out.roles = remembered->roles;
    if (!out.label) out.label = remembered->label;
    return out;
}

/// The Columns dialog for `path`, read with `options`; `label` preset as the label. Accepting it
/// remembers the choice for the file and loads it so.
void openColumnsDialog(MainWindow* window, const QString& path, const data::LoadOptions& options,
                       const QString& label = {}) {
    for (auto* old : window->findChildren<ColumnsDialog*>(QString(), Qt::FindDirectChildrenOnly)) old->deleteLater();
    auto* dialog = new ColumnsDialog(path, options, window);
    if (!label.isEmpty()) dialog->setRole(label, data::ColumnRole::Label);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(dialog, &QDialog::accepted, window, [window, dialog] {
        const data::LoadOptions chosen = dialog->options();
        ColumnsDialog::remember(dialog->path(), chosen);
        window->loadFile(dialog->path(), chosen);
    });
    dialog->open();
}

QString localFileOf(const QMimeData* mime) {
    if (!mime || !mime->hasUrls()) return {};
    for (const QUrl& url : mime->urls())
        if (url.isLocalFile()) return url.toLocalFile();
    return {};
}

}  // namespace

namespace {
/// "Column 'cultivar' looks like a class: use it as the label?" (nothing when `column` is "").
void offerLabelColumn(MainWindow* window, const QString& path, const data::LoadOptions& effective, const QString& column);
}  // namespace

void MainWindow::loadFile(const QString& path, const data::LoadOptions& options) {
    if (path.endsWith(QLatin1String(".latentscape"), Qt::CaseInsensitive)) {
        openSession(path);
        return;
    }
    // A folder (File > Open Folder, dropped, recent, on the command line): its .npy shards as one
    // dataset (data::load_shards), else its images.
    if (QFileInfo(path).isDir() && !data::is_shard_folder(QFile::encodeName(path).toStdString())) {
        m_datasets->openImageFolder(path);
        return;
    }
    // Column roles and the table's layout as chosen last time for this file (issue 15).
    bool chosen = false;
    const data::LoadOptions effective = withRemembered(path, options, &chosen);
    m_datasets->openFile(path, effective);
    for (auto* old : findChildren<QFutureWatcher<QString>*>(QStringLiteral("columnOfferWatcher"), Qt::FindDirectChildrenOnly)) {
        old->disconnect(this);  // a newer load: an offer about the older one is not wanted any more
        old->deleteLater();
    }
    if (chosen) return;
    // Nothing chosen for it yet: a numeric column that looks like a class would become a
    // feature (and leak into every reduction). Offer it as the label while the file loads. The
    // look at its first rows runs on a worker (a gzipped file is decompressed in full).
    auto* watcher = new QFutureWatcher<QString>(this);
    watcher->setObjectName(QStringLiteral("columnOfferWatcher"));
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, path, effective] {
        watcher->deleteLater();
        offerLabelColumn(this, path, effective, watcher->result());
    });
    watcher->setFuture(QtConcurrent::run([path, effective] { return suggestedLabelColumn(path, effective); }));
}

namespace {

void offerLabelColumn(MainWindow* window, const QString& path, const data::LoadOptions& effective, const QString& column) {
    if (column.isEmpty()) return;
    for (auto* old : window->findChildren<QMessageBox*>(QStringLiteral("columnRolesOffer"), Qt::FindDirectChildrenOnly))
        old->deleteLater();
    auto* box = new QMessageBox(QMessageBox::Question, MainWindow::tr("Column roles"),
                                MainWindow::tr("Column “%1” looks like a class: use it as the label?").arg(column),
                                QMessageBox::NoButton, window);
    box->setObjectName(QStringLiteral("columnRolesOffer"));
    box->setInformativeText(MainWindow::tr("As a feature it takes part in PCA, t-SNE and the other methods, and the clusters "
                               "cannot be scored against it. The choice is remembered for this file."));
    QPushButton* useLabel = box->addButton(MainWindow::tr("Use as &Label"), QMessageBox::AcceptRole);
    useLabel->setObjectName(QStringLiteral("useAsLabel"));
    QPushButton* columns = box->addButton(MainWindow::tr("&Columns…"), QMessageBox::ActionRole);
    columns->setObjectName(QStringLiteral("openColumns"));
    QPushButton* keep = box->addButton(MainWindow::tr("&Keep as Feature"), QMessageBox::RejectRole);
    keep->setObjectName(QStringLiteral("keepAsFeature"));
    box->setDefaultButton(useLabel);
    box->setWindowModality(Qt::NonModal);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(box, &QMessageBox::finished, window, [window, box, useLabel, columns, path, column, effective] {
        if (box->clickedButton() == useLabel) {
            data::LoadOptions o = effective;
            o.roles[column.toStdString()] = data::ColumnRole::Label;
            ColumnsDialog::remember(path, o);
            window->loadFile(path, o);
        } else if (box->clickedButton() == columns) {
            openColumnsDialog(window, path, effective, column);
        } else {
            ColumnsDialog::remember(path, effective);  // declined: not asked again
        }
    });
    box->show();
}

}  // namespace

void MainWindow::loadDefaultDataset() { m_datasets->openDefault(m_autoRunOnDefault); }

void MainWindow::setDataset(std::shared_ptr<const data::Dataset> dataset, const QString& displayName) {
    m_datasets->openDataset(std::move(dataset), displayName);
}

void MainWindow::loadFromSource(DatasetSource source, const QString& displayName) {
    m_datasets->openSource(std::move(source), displayName);
}

bool MainWindow::isLoading() const { return m_datasets->isLoading(); }
int MainWindow::loaderThreadLimit() const { return m_datasets->threadLimit(); }
QString MainWindow::defaultDatasetPath() const { return m_datasets->defaultPath(); }
void MainWindow::setDefaultDatasetPath(const QString& path) { m_datasets->setDefaultPath(path); }
QString MainWindow::standardDatasetPath() { return DatasetService::standardPath(); }

void MainWindow::connectDatasets() {
    auto loading = std::make_shared<QString>();  // the name of the load in progress
    connect(m_datasets, &DatasetService::started, this, [this, loading](const QString& name) {
        m_sessions->cancelOpening();  // a session still being read: this request is newer
        *loading = name;
        setBusy(tr("Loading %1…").arg(name));
    });
    // Sources that know how far they are (an image folder: two passes over its files).
    connect(m_datasets, &DatasetService::progressChanged, this, [this, loading](int perMille) {
        if (isLoading()) statusBar()->showMessage(tr("Loading %1… %2%").arg(*loading).arg(perMille / 10));
    });
    connect(m_datasets, &DatasetService::ended, this, &MainWindow::clearBusy);
    connect(m_datasets, &DatasetService::loaded, this, &MainWindow::datasetLoaded);
    connect(m_datasets, &DatasetService::failed, this, &MainWindow::showLoadError);
    connect(m_datasets, &DatasetService::missingValues, this, &MainWindow::askMissingValuePolicy);
    // The views follow the document's dataset, whoever changed it.
    connect(m_document, &Document::datasetChanged, this, &MainWindow::showNewDataset);
    connect(m_document, &Document::datasetReplaced, this, &MainWindow::showDerivedDataset);
}

void MainWindow::datasetLoaded(const DatasetService::Request& request) {
    if (!request.path.isEmpty()) addRecentFile(request.path);
    if (request.autoRun) {
        m_reductionPanel->setMethod(ReductionPanel::Method::Tsne);
        m_reduction->run();
    }
    if (request.session) m_sessions->apply(*request.session);
}

void MainWindow::showNewDataset() {
    const data::Dataset& ds = *prepared().dataset;
    m_shownEmbedding.reset();
    m_decoderPanel->setDataset(prepared().dataset);
    m_generatorPanel->setDataset(prepared().dataset);
    m_selectionPanel->setDataset(prepared().dataset);
    onSelectionChanged();
    m_scatterView->setEmphasis({});
    m_scatterView->setMarkedPoints({});
    m_metricsPanel->clear();
    setWindowTitle(tr("%1 — Latentscape").arg(prepared().displayName));
    m_dataPanel->setDataset(prepared());
    updatePoints();
    updateColors();
    m_scatterView->resetCamera();

    const QLocale locale;
    m_pointsLabel->setText(tr("%1 points").arg(locale.toString(qlonglong(ds.n))));
    QString loaded = tr("Loaded %1: %2 points × %3 features in %4 s")
                         .arg(prepared().displayName, locale.toString(qlonglong(ds.n)),
                              locale.toString(qlonglong(ds.d)), locale.toString(prepared().seconds, 'f', 2));
    // What the user should know (an image folder's unreadable files), longer on screen.
    if (!prepared().note.isEmpty()) loaded += QStringLiteral(" — ") + prepared().note;
    statusBar()->showMessage(loaded, prepared().note.isEmpty() ? 10000 : 30000);
    emit datasetChanged();
}

void MainWindow::showDerivedDataset() {
    // Keep the plotted features (the Data dock would choose the defaults again) and the embedding.
    PreparedDataset shown = prepared();
    shown.defaultX = m_dataPanel->xFeature();
    shown.defaultY = m_dataPanel->yFeature();
    const bool plottingEmbedding = m_dataPanel->plotEmbedding();
    m_dataPanel->setDataset(shown);
    if (const auto run = m_document->currentRun(); run && run->hasEmbedding())
        m_dataPanel->setEmbeddingAvailable(run->name, plottingEmbedding);
    if (!plottingEmbedding) updatePoints();
    updateColors();
    m_selectionPanel->setDataset(prepared().dataset);  // the new column in the table
    m_selectionPanel->setSelection(selection());
}

void MainWindow::colourByColumn(const std::string& name) {
    if (!prepared().dataset) return;
    if (const auto column = prepared().dataset->find_metadata(name)) m_dataPanel->setColorColumn(int(*column));
    updateColors();
}

void MainWindow::showLoadError(const QString& displayName, const QString& message) {
    statusBar()->showMessage(message);
    // One error box at a time: a newer failure replaces an older, unanswered one.
    for (auto* old : findChildren<QMessageBox*>(QStringLiteral("loadErrorBox"), Qt::FindDirectChildrenOnly))
        old->deleteLater();
    // Messages carry a path, a line and a cause: wrapped within the screen, never clipped.
    QMessageBox* box = makeErrorBox(this, QStringLiteral("loadErrorBox"), tr("Could not open file"),
                                    tr("Could not open “%1”.").arg(displayName), message);
    box->open();
    emit loadFailed(message);
}

void MainWindow::askMissingValuePolicy(const DatasetService::MissingValues& question) {
    const QLocale locale;
    const QString cells = question.cells == 1 ? tr("1 cell") : tr("%1 cells").arg(locale.toString(question.cells));
    const QString rows = question.rows == 1 ? tr("1 row") : tr("%1 rows").arg(locale.toString(question.rows));
    auto* box = new QMessageBox(QMessageBox::Question, tr("Missing values"),
                                tr("“%1” has missing feature values (%2 in %3).").arg(question.request.displayName, cells, rows),
                                QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("missingValuesBox"));
    box->setInformativeText(question.message + QStringLiteral("\n\n") +
                            tr("Drop the rows that have missing values, or replace each missing value by "
                               "the mean of its column?"));
    QPushButton* drop = box->addButton(tr("Drop rows"), QMessageBox::AcceptRole);
    QPushButton* impute = box->addButton(tr("Impute column mean"), QMessageBox::AcceptRole);
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(drop);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, drop, impute, request = question.request] {
        data::LoadOptions options = request.options;
        if (box->clickedButton() == drop) options.missing = data::MissingPolicy::DropRows;
        else if (box->clickedButton() == impute) options.missing = data::MissingPolicy::ImputeMean;
        else {
            statusBar()->showMessage(tr("Loading canceled."), 5000);
            return;
        }
        loadFile(request.path, options);
    });
    statusBar()->showMessage(question.message);
    box->open();
}

void MainWindow::createOpenActions(QMenu* fileMenu) {
    QAction* open = fileMenu->addAction(tr("&Open…"), this, &MainWindow::openFileDialog);
    open->setShortcut(QKeySequence::Open);
    open->setStatusTip(tr("Load a CSV, TSV, TXT, NPY, NPZ, AnnData (.h5ad) or MNIST IDX file"));
    // A folder of images (issue 15): pixels as features, thumbnails, the sub-folder as label. Or a
    // folder of .npy shards (issue 19), read as one dataset.
    QAction* openFolder = fileMenu->addAction(tr("Open &Folder…"), this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Open Folder"), lastFolder());
        if (folder.isEmpty()) return;
        rememberFolder(folder);
        loadFile(folder);
    });
    openFolder->setObjectName(QStringLiteral("openImageFolderAction"));
    openFolder->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    openFolder->setStatusTip(tr("Load a folder of .npy shards as one dataset, or every PNG, JPEG, BMP or GIF image "
                                "under a folder: the pixels are the features, the first-level sub-folder the label"));
    m_recentMenu = fileMenu->addMenu(tr("Open &Recent"));
    fileMenu->addAction(tr("Open &Example Dataset"), this, &MainWindow::loadDefaultDataset);
    QAction* addPoints = fileMenu->addAction(tr("&Add Points to Map…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Add Points to Map"), lastFolder(),
            tr("Datasets (*.csv *.tsv *.txt *.dat *.data *.npy *.npz *.h5ad *.gz *-ubyte *.idx);;All files (*)"));
        if (path.isEmpty()) return;
        rememberFolder(path);
        addPointsToMap(path);
    });
    addPoints->setObjectName(QStringLiteral("addPointsAction"));
    // Column roles (issue 15): the class column as the label, not a feature; the text layout.
    QAction* openWithOptions = fileMenu->addAction(tr("Open &with Options…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Open with Options"), lastFolder(),
            tr("Text tables (*.csv *.tsv *.txt *.dat *.data *.gz);;All files (*)"));
        if (path.isEmpty()) return;
        rememberFolder(path);
        bool found = false;
        openColumnsDialog(this, path, withRemembered(path, {}, &found));
    });
    openWithOptions->setObjectName(QStringLiteral("openWithOptionsAction"));
    openWithOptions->setStatusTip(tr("Choose each column's role (feature, label, metadata, ignored) and the table's layout, then load"));
    QAction* columnsAction = fileMenu->addAction(tr("Co&lumns…"), this, [this] {
        const QString path = prepared().path;
        if (path.isEmpty() || !prepared().dataset) {
            statusBar()->showMessage(tr("Columns: open a CSV, TSV or text table first"), 5000);
            return;
        }
        if (prepared().dataset->format != "csv" && prepared().dataset->format != "tsv") {
            statusBar()->showMessage(tr("Columns: only text tables (CSV, TSV, TXT) have column roles"), 5000);
            return;
        }
        openColumnsDialog(this, path, m_document->loadOptions());
    });
    columnsAction->setObjectName(QStringLiteral("columnsAction"));
    columnsAction->setStatusTip(tr("Change the column roles of the open text table and reload it"));
    addPoints->setStatusTip(tr("Place the rows of another file (same columns) on the run shown, marked, without moving the map"));
    rebuildRecentMenu();
}

void MainWindow::openFileDialog() {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Dataset"), lastFolder(),
        tr("Datasets (*.csv *.tsv *.txt *.dat *.data *.npy *.npz *.h5ad *.gz *-ubyte *.idx);;"
           "Shards manifests (*.json);;All files (*)"));
    if (path.isEmpty()) return;
    rememberFolder(path);
    loadFile(path);
}

void MainWindow::addRecentFile(const QString& path) {
    QSettings settings;
    QStringList files = settings.value(kRecentFilesKey).toStringList();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    files.removeAll(absolute);
    files.prepend(absolute);
    while (files.size() > maxRecentFiles) files.removeLast();
    settings.setValue(kRecentFilesKey, files);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
    m_recentMenu->clear();
    const QStringList files = QSettings().value(kRecentFilesKey).toStringList();
    for (int i = 0; i < files.size(); ++i) {
        const QString& path = files[i];
        QAction* action = m_recentMenu->addAction(
            tr("&%1 %2").arg(i + 1).arg(QFileInfo(path).fileName()), this, [this, path] { loadFile(path); });
        action->setStatusTip(path);
    }
    if (!files.isEmpty()) {
        m_recentMenu->addSeparator();
        m_recentMenu->addAction(tr("Clear Menu"), this, [this] {
            QSettings().remove(kRecentFilesKey);
            rebuildRecentMenu();
        });
    }
    m_recentMenu->setEnabled(!files.isEmpty());
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (!localFileOf(event->mimeData()).isEmpty()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const QString path = localFileOf(event->mimeData());
    if (path.isEmpty()) return;
    event->acceptProposedAction();
    loadFile(path);
}

}  // namespace latentscape::ui
