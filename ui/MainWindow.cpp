#include "MainWindow.h"

#include "data/synthetic.h"
#include "ReductionController.h"
#include "panels/ClusterPanel.h"
#include "panels/DataPanel.h"
#include "panels/DecoderPanel.h"
#include "panels/LegendWidget.h"
#include "panels/MetricsPanel.h"
#include "panels/ReductionPanel.h"
#include "panels/RunsPanel.h"
#include "panels/SelectionPanel.h"
#include "services/SessionService.h"
#include "session/Session.h"
#include "vtk/ColorMaps.h"
#include "views/ViewGrid.h"
#include "vtk/ScatterView.h"

#include <QAction>
#include <QActionGroup>
#include <algorithm>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QScreen>
#include <QStatusBar>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <vtkVersion.h>

// resources/resources.qrc lives in a static library: nothing would pull its initialiser into
// the executable, so it is registered explicitly (Q_INIT_RESOURCE must be used outside any
// namespace).
static void initLatentscapeResources() { Q_INIT_RESOURCE(resources); }

namespace latentscape::ui {
namespace {

const char* const kRecentFilesKey = "recentFiles";
const char* const kLastDirectoryKey = "lastDirectory";
const char* const kPointSizeKey = "view/pointSize";

QString localFileOf(const QMimeData* mime) {
    if (!mime || !mime->hasUrls()) return {};
    for (const QUrl& url : mime->urls())
        if (url.isLocalFile()) return url.toLocalFile();
    return {};
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent), m_defaultDatasetPath(standardDatasetPath()) {
    // One load at a time: each is OpenMP-parallel and may need gigabytes. A newer request
    // cancels the queued ones (they end without running) and the running one's result is ignored.
    m_pool.setMaxThreadCount(1);
    setWindowTitle(tr("Latentscape"));
    setWindowIcon(applicationIcon());
    setAcceptDrops(true);
    m_document = new Document(this);

    m_scatterView = new ScatterView(this);
    m_scatterView->setObjectName(QStringLiteral("scatterView"));
    m_viewGrid = new ViewGrid(m_scatterView, m_document, this);
    m_viewGrid->setObjectName(QStringLiteral("viewGrid"));
    setCentralWidget(m_viewGrid);

    m_dataPanel = new DataPanel(this);
    addDockWidget(Qt::LeftDockWidgetArea, m_dataPanel);
    m_reductionPanel = new ReductionPanel(this);
    m_reductionPanel->restoreSettings();
    // Data (and its legend) has the left edge to itself; what is run sits on the right.
    addDockWidget(Qt::RightDockWidgetArea, m_reductionPanel);
    m_metricsPanel = new MetricsPanel(this);
    addDockWidget(Qt::RightDockWidgetArea, m_metricsPanel);
    m_clusterPanel = new ClusterPanel(this);
    addDockWidget(Qt::RightDockWidgetArea, m_clusterPanel);
    tabifyDockWidget(m_metricsPanel, m_clusterPanel);
    m_selectionPanel = new SelectionPanel(this);
    addDockWidget(Qt::RightDockWidgetArea, m_selectionPanel);
    tabifyDockWidget(m_clusterPanel, m_selectionPanel);
    m_metricsPanel->raise();
    // Under the plot only: the side docks keep the corners (and so their full height).
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    m_decoderPanel = new DecoderPanel(this);
    addDockWidget(Qt::BottomDockWidgetArea, m_decoderPanel);
    m_decoderPanel->hide();
    connect(m_clusterPanel, &ClusterPanel::runRequested, this, &MainWindow::runClustering);
    connect(m_clusterPanel, &ClusterPanel::kDistanceRequested, this, [this] {
        if (!prepared().dataset) return;
        const bool onEmbedding = m_clusterPanel->target() == ClusterPanel::Target::Embedding && m_reduction->hasEmbedding();
        m_clusterPanel->startKDistance(prepared().dataset, onEmbedding ? m_reduction->embedding() : std::vector<float>{},
                                       onEmbedding ? m_reduction->embeddingDims() : 0);
    });
    connect(m_clusterPanel, &ClusterPanel::clustered, this, &MainWindow::applyClusters);

    m_pointsLabel = new QLabel(this);
    m_cursorLabel = new QLabel(this);
    m_busyBar = new QProgressBar(this);
    m_busyBar->setRange(0, 0);  // busy indicator: loaders report no progress
    m_busyBar->setMaximumWidth(160);
    m_busyBar->setMaximumHeight(14);
    m_busyBar->setTextVisible(false);
    m_busyBar->hide();
    statusBar()->addPermanentWidget(m_cursorLabel);
    statusBar()->addPermanentWidget(m_busyBar);
    statusBar()->addPermanentWidget(m_pointsLabel);
    statusBar()->showMessage(tr("Open a dataset with File > Open or drop a file here."));
    m_reduction = new ReductionController(m_reductionPanel, m_document, m_scatterView, statusBar(), this);
    connect(m_reduction, &ReductionController::runFinished, this, [this](bool canceled, const QString& error) {
        const auto run = m_document->run(m_reduction->runId());
        if (canceled || !error.isEmpty() || !run || !run->hasEmbedding()) return;
        computeRunMetrics(run->id);
    });
    // The plot follows the document: the current run's embedding as it forms; the Data dock's
    // "Plot" combo switches between it and two features.
    connect(m_document, &Document::currentRunChanged, this, &MainWindow::currentRunChanged);
    connect(m_document, &Document::runChanged, this, [this](int id) {
        if (id == m_document->currentRunId()) showCurrentRun(false);
    });
    connect(m_dataPanel, &DataPanel::plotSourceChanged, this, [this](bool embedding) {
        if (embedding) {
            showCurrentRun(true);
        } else {
            m_shownEmbedding.reset();
            updatePoints();
            m_scatterView->resetCamera();
        }
    });

    setUpDecoder();
    createRunsPanel();
    createActions();
    connect(m_document, &Document::selectionChanged, this, &MainWindow::onSelectionChanged);

    const QSettings settings;
    const double pointSize = settings.value(kPointSizeKey, 4.0).toDouble();
    m_dataPanel->setPointSize(pointSize);
    for (ScatterView* v : m_viewGrid->views()) v->setPointSize(pointSize);
    // The docks on the right (the Reduction options above the metrics and clustering) want about
    // 900 pixels of height: take what the screen offers up to that, and at least 1280 x 800.
    QSize initial(1280, 800);
    if (const QScreen* screen = QGuiApplication::primaryScreen()) {
        const QSize available = screen->availableGeometry().size();
        initial = initial.expandedTo(QSize(std::min(1440, available.width() * 9 / 10),
                                           std::min(960, available.height() * 19 / 20)));
    }
    resize(initial);
    restoreGeometry(settings.value(QStringLiteral("mainWindow/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("mainWindow/state")).toByteArray());
    // The Reduction dock scrolls when the window is short; where there is room it shows the
    // whole of the chosen method's options (the autoencoder's are the tallest).
    connect(m_reductionPanel, &ReductionPanel::methodChanged, this, &MainWindow::fitReductionDock, Qt::QueuedConnection);
    QTimer::singleShot(0, this, &MainWindow::fitReductionDock);

    connect(m_dataPanel, &DataPanel::xFeatureChanged, this, [this] {
        updatePoints();
        m_scatterView->resetCamera();
    });
    connect(m_dataPanel, &DataPanel::yFeatureChanged, this, [this] {
        updatePoints();
        m_scatterView->resetCamera();
    });
    connect(m_dataPanel, &DataPanel::colorColumnChanged, this, &MainWindow::updateColors);
    connect(m_dataPanel->legend(), &LegendWidget::hiddenCodesChanged, this, &MainWindow::updateVisibility);
    connect(m_scatterView, &ScatterView::cursorMoved, this, &MainWindow::showCursorPosition);
    connect(m_scatterView, &ScatterView::cursorLeft, m_cursorLabel, &QLabel::clear);
    connect(m_scatterView, &ScatterView::pointHovered, this, &MainWindow::showPointTooltip);
    connect(m_dataPanel, &DataPanel::pointSizeChanged, this, [this](double size) {
        for (ScatterView* v : m_viewGrid->views()) v->setPointSize(size);
        QSettings().setValue(kPointSizeKey, size);
    });
}

MainWindow::~MainWindow() {
    m_sessions->endCrashGuard(false);  // destroyed without closing: its mark stays, as after a crash
    // No worker may outlive the window: cancel what can stop early (queued jobs end at once,
    // a running one at its next check), then wait for the rest. The reduction goes first,
    // while the widgets it reports to still exist.
    delete m_reduction;
    m_reduction = nullptr;
    cancelJobs();
    m_pool.waitForDone();
}

QIcon MainWindow::applicationIcon() {
    initLatentscapeResources();
    return QIcon(QStringLiteral(":/latentscape.svg"));
}

void MainWindow::fitReductionDock() {
    resizeDocks({m_reductionPanel}, {m_reductionPanel->preferredHeight()}, Qt::Vertical);
}

void MainWindow::createActions() {
    QMenu* fileMenu = menuBar()->addMenu(tr("&File"));
    QAction* open = fileMenu->addAction(tr("&Open…"), this, &MainWindow::openFileDialog);
    open->setShortcut(QKeySequence::Open);
    open->setStatusTip(tr("Load a CSV, TSV, NPY, NPZ or MNIST IDX file"));
    m_recentMenu = fileMenu->addMenu(tr("Open &Recent"));
    fileMenu->addAction(tr("Open &Example Dataset"), this, &MainWindow::loadDefaultDataset);
    QAction* addPoints = fileMenu->addAction(tr("&Add Points to Map…"), this, [this] {
        QSettings settings;
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Add Points to Map"), settings.value(kLastDirectoryKey, QDir::homePath()).toString(),
            tr("Datasets (*.csv *.tsv *.txt *.npy *.npz *.gz *-ubyte *.idx);;All files (*)"));
        if (path.isEmpty()) return;
        settings.setValue(kLastDirectoryKey, QFileInfo(path).absolutePath());
        addPointsToMap(path);
    });
    addPoints->setObjectName(QStringLiteral("addPointsAction"));
    addPoints->setStatusTip(tr("Place the rows of another file (same columns) on the run shown, marked, without moving the map"));
    createSessionActions(fileMenu);
    createFigureActions(fileMenu);
    createExportActions(fileMenu);
    fileMenu->addSeparator();
    QAction* quit = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    createSelectionActions();
    QMenu* viewMenu = menuBar()->addMenu(tr("&View"));
    QAction* reset = viewMenu->addAction(tr("&Reset Camera"), m_scatterView, &ScatterView::resetCamera);
    reset->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    QAction* perspective = viewMenu->addAction(tr("&Perspective (3-D)"));
    perspective->setObjectName(QStringLiteral("perspectiveAction"));
    perspective->setCheckable(true);
    perspective->setChecked(true);
    perspective->setStatusTip(tr("Perspective or orthographic projection of 3-D embeddings"));
    connect(perspective, &QAction::toggled, this, [this](bool on) {
        for (ScatterView* v : m_viewGrid->views()) v->setPerspective(on);
    });
    QAction* bigger = viewMenu->addAction(tr("&Larger Points"), this, [this] {
        m_dataPanel->setPointSize(m_dataPanel->pointSize() + 1.0);
        for (ScatterView* v : m_viewGrid->views()) v->setPointSize(m_dataPanel->pointSize());
    });
    bigger->setShortcut(QKeySequence::ZoomIn);
    QAction* smaller = viewMenu->addAction(tr("&Smaller Points"), this, [this] {
        m_dataPanel->setPointSize(std::max(1.0, m_dataPanel->pointSize() - 1.0));
        for (ScatterView* v : m_viewGrid->views()) v->setPointSize(m_dataPanel->pointSize());
    });
    smaller->setShortcut(QKeySequence::ZoomOut);
    QMenu* opacityMenu = viewMenu->addMenu(tr("Point &Opacity"));
    auto* opacityGroup = new QActionGroup(this);
    for (const int percent : {100, 70, 40, 20}) {
        QAction* a = opacityMenu->addAction(tr("%1%").arg(percent));
        a->setObjectName(QStringLiteral("opacity%1").arg(percent));
        a->setCheckable(true);
        a->setChecked(percent == 100);
        opacityGroup->addAction(a);
        connect(a, &QAction::triggered, this, [this, percent] { for (ScatterView* v : m_viewGrid->views()) v->setOpacity(percent / 100.0); });
    }
    QAction* dark = viewMenu->addAction(tr("&Dark Background"));
    dark->setObjectName(QStringLiteral("darkBackgroundAction"));
    dark->setCheckable(true);
    dark->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    dark->setChecked(QSettings().value(QStringLiteral("view/darkBackground"), false).toBool());
    for (ScatterView* v : m_viewGrid->views()) v->setDarkBackground(dark->isChecked());
    connect(dark, &QAction::toggled, this, [this](bool on) {
        for (ScatterView* v : m_viewGrid->views()) v->setDarkBackground(on);
        QSettings().setValue(QStringLiteral("view/darkBackground"), on);
        if (!selection().empty()) updateColors();  // unselected points fade towards the background
    });
    viewMenu->addSeparator();
    createCompareActions(viewMenu);
    viewMenu->addSeparator();
    viewMenu->addAction(m_dataPanel->toggleViewAction());

    viewMenu->addAction(m_reductionPanel->toggleViewAction());
    viewMenu->addAction(m_metricsPanel->toggleViewAction());
    viewMenu->addAction(m_clusterPanel->toggleViewAction());
    viewMenu->addAction(m_decoderPanel->toggleViewAction());
    viewMenu->addAction(m_selectionPanel->toggleViewAction());
    viewMenu->addAction(m_runsPanel->toggleViewAction());

    QMenu* runMenu = menuBar()->addMenu(tr("&Run"));
    QAction* run = runMenu->addAction(tr("&Run Reduction"), this, [this] { m_reduction->run(); });
    run->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    run->setStatusTip(tr("Run the Reduction panel's method on a worker; the view updates as it goes"));
    QAction* pause = runMenu->addAction(tr("&Pause / Resume"), this, [this] {
        if (m_reduction->isRunning()) m_reductionPanel->pauseButton()->click();
    });
    pause->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    QAction* cancel = runMenu->addAction(tr("&Cancel"), m_reduction, &ReductionController::cancel);
    cancel->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));

    QMenu* helpMenu = menuBar()->addMenu(tr("&Help"));
    helpMenu->addAction(tr("&Keyboard Shortcuts"), this, [this] {
        QMessageBox::information(
            this, tr("Keyboard Shortcuts"),
            tr("<table>"
               "<tr><td>Ctrl+O</td><td>&nbsp;Open a dataset</td></tr>"
               "<tr><td>Ctrl+R</td><td>&nbsp;Run the Reduction panel's method</td></tr>"
               "<tr><td>Ctrl+P</td><td>&nbsp;Pause / resume the run</td></tr>"
               "<tr><td>Ctrl+.</td><td>&nbsp;Cancel the run</td></tr>"
               "<tr><td>Ctrl+0, R</td><td>&nbsp;Fit the view to the points</td></tr>"
               "<tr><td>Ctrl+Shift+D</td><td>&nbsp;Dark background</td></tr>"
               "<tr><td>Ctrl+Q</td><td>&nbsp;Quit</td></tr>"
               "</table><p>Mouse: drag to pan (2-D) or rotate (3-D), wheel to zoom at the cursor, "
               "hover a point for its details; in the legend, untick a class to hide it, "
               "double-click one to show it alone.</p>"));
    })->setShortcut(QKeySequence::HelpContents);
    helpMenu->addAction(tr("&About Latentscape"), this, &MainWindow::showAbout);
    rebuildRecentMenu();
}

QString MainWindow::standardDatasetPath() {
    // The 10,000 test images: a t-SNE of them forms within seconds. The 60,000 training images
    // sit next to them (File > Open).
    return QStringLiteral("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz");
}

void MainWindow::loadFile(const QString& path, const data::LoadOptions& options) {
    if (path.endsWith(QLatin1String(".latentscape"), Qt::CaseInsensitive)) {
        openSession(path);
        return;
    }
    const std::string nativePath = QFile::encodeName(path).toStdString();
    DatasetSource source = [nativePath, options] {
        return std::make_shared<const data::Dataset>(data::load(nativePath, options));
    };
    startJob(std::move(source), JobContext{QFileInfo(path).fileName(), path, options, false});
}

void MainWindow::loadDefaultDataset() {
    const QString path = m_defaultDatasetPath;
    if (path.isEmpty() || !QFileInfo::exists(path)) {
        loadBlobs(m_autoRunOnDefault);
        return;
    }
    const std::string nativePath = QFile::encodeName(path).toStdString();
    startJob([nativePath] { return std::make_shared<const data::Dataset>(data::load(nativePath)); },
             JobContext{QFileInfo(path).fileName(), path, {}, true, m_autoRunOnDefault});
}

void MainWindow::loadBlobs(bool autoRun) {
    data::synthetic::BlobsOptions options;
    options.n = 3000;
    options.d = 50;
    options.k = 6;
    const QString name = tr("Synthetic blobs (%1 clusters in %2-D)").arg(options.k).arg(options.d);
    startJob([options] { return std::make_shared<const data::Dataset>(data::synthetic::blobs(options)); },
             JobContext{name, {}, {}, false, autoRun});
}

void MainWindow::loadFromSource(DatasetSource source, const QString& displayName) {
    if (!source) return;
    startJob(std::move(source), JobContext{displayName, {}, {}, false});
}

void MainWindow::setDataset(std::shared_ptr<const data::Dataset> dataset, const QString& displayName) {
    if (!dataset) return;
    const QString name = displayName.isEmpty() ? QString::fromStdString(dataset->source) : displayName;
    startJob([dataset] { return dataset; }, JobContext{name, {}, {}, false});
}

void MainWindow::startJob(DatasetSource source, JobContext context) {
    // The newest request wins: older jobs are canceled and their results ignored. With one
    // loader thread a canceled job that has not started yet finishes without running (QtConcurrent
    // checks the promise first), so only the running one (if any) delays this one.
    cancelJobs();
    auto* watcher = new Watcher(this);
    m_activeJob = watcher;
    connect(watcher, &Watcher::finished, this, [this, watcher, context] { jobFinished(watcher, context); });
    watcher->setFuture(
        QtConcurrent::run(&m_pool, runDatasetJob, std::move(source), context.displayName, context.path,
                          context.session ? context.session->datasetSha256 : QString()));
    setBusy(tr("Loading %1…").arg(context.displayName));
}

void MainWindow::cancelJobs() {
    m_sessions->cancelOpening();  // a session still being read: this request is newer
    for (auto* watcher : findChildren<QFutureWatcherBase*>(Qt::FindDirectChildrenOnly)) watcher->cancel();
}

void MainWindow::jobFinished(Watcher* watcher, const JobContext& context) {
    watcher->deleteLater();
    const QFuture<DatasetJobResult> future = watcher->future();
    if (watcher != m_activeJob) return;  // superseded by a newer request
    m_activeJob = nullptr;
    clearBusy();
    if (future.isCanceled() || future.resultCount() == 0) return;

    DatasetJobResult result = future.result();
    switch (result.status) {
        case DatasetJobResult::Status::Ready:
            if (!context.path.isEmpty()) addRecentFile(context.path);
            m_loadOptions = context.options;
            applyDataset(std::move(result.prepared), context.autoRun);
            if (context.session) m_sessions->apply(*context.session);
            break;
        case DatasetJobResult::Status::MissingValues:
            askMissingValuePolicy(context, result);
            break;
        case DatasetJobResult::Status::Failed:
            showLoadError(context.displayName, result.message);
            // The example dataset is installed but unreadable: say so, and still show something.
            if (context.fallBackToBlobs) loadBlobs(context.autoRun);
            break;
    }
}

void MainWindow::applyDataset(PreparedDataset preparedDataset, bool autoRun) {
    // A new dataset: a new set of rows, no runs, nothing selected, nothing to undo.
    m_document->setDataset(std::move(preparedDataset), m_loadOptions);
    const data::Dataset& ds = *prepared().dataset;
    m_shownEmbedding.reset();
    m_decoderPanel->setDataset(prepared().dataset);
    m_selectionPanel->setDataset(prepared().dataset);
    onSelectionChanged();
    m_scatterView->setEmphasis({});
    m_scatterView->setMarkedPoints({});
    m_metricsPanel->clear();
    m_clusterPanel->forget();
    setWindowTitle(tr("%1 — Latentscape").arg(prepared().displayName));
    m_dataPanel->setDataset(prepared());
    updatePoints();
    updateColors();
    m_scatterView->resetCamera();

    const QLocale locale;
    m_pointsLabel->setText(tr("%1 points").arg(locale.toString(qlonglong(ds.n))));
    statusBar()->showMessage(tr("Loaded %1: %2 points × %3 features in %4 s")
                                 .arg(prepared().displayName, locale.toString(qlonglong(ds.n)),
                                      locale.toString(qlonglong(ds.d)), locale.toString(prepared().seconds, 'f', 2)),
                             10000);
    emit datasetChanged();
    if (autoRun) {
        m_reductionPanel->setMethod(ReductionPanel::Method::Tsne);
        m_reduction->run();
    }
}

void MainWindow::showLoadError(const QString& displayName, const QString& message) {
    statusBar()->showMessage(message);
    // One error box at a time: a newer failure replaces an older, unanswered one.
    for (auto* old : findChildren<QMessageBox*>(QStringLiteral("loadErrorBox"), Qt::FindDirectChildrenOnly))
        old->deleteLater();
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Could not open file"),
                                tr("Could not open “%1”.").arg(displayName), QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("loadErrorBox"));
    box->setInformativeText(message);
    // Messages carry a path, a line and a cause: give them room instead of six wrapped lines.
    box->setStyleSheet(QStringLiteral("QLabel { min-width: 520px; }"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
    emit loadFailed(message);
}

void MainWindow::askMissingValuePolicy(const JobContext& context, const DatasetJobResult& result) {
    const QString& name = context.displayName;
    const QLocale locale;
    const QString cells = result.missingCells == 1 ? tr("1 cell")
                                                   : tr("%1 cells").arg(locale.toString(qlonglong(result.missingCells)));
    const QString rows = result.missingRows == 1 ? tr("1 row")
                                                 : tr("%1 rows").arg(locale.toString(qlonglong(result.missingRows)));
    auto* box = new QMessageBox(QMessageBox::Question, tr("Missing values"),
                                tr("“%1” has missing feature values (%2 in %3).").arg(name, cells, rows),
                                QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("missingValuesBox"));
    box->setInformativeText(result.message + QStringLiteral("\n\n") +
                            tr("Drop the rows that have missing values, or replace each missing value by "
                               "the mean of its column?"));
    QPushButton* drop = box->addButton(tr("Drop rows"), QMessageBox::AcceptRole);
    QPushButton* impute = box->addButton(tr("Impute column mean"), QMessageBox::AcceptRole);
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(drop);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, drop, impute, context] {
        data::LoadOptions options = context.options;
        if (box->clickedButton() == drop) options.missing = data::MissingPolicy::DropRows;
        else if (box->clickedButton() == impute) options.missing = data::MissingPolicy::ImputeMean;
        else {
            statusBar()->showMessage(tr("Loading canceled."), 5000);
            return;
        }
        loadFile(context.path, options);
    });
    statusBar()->showMessage(result.message);
    box->open();
}

void MainWindow::setBusy(const QString& message) {
    statusBar()->showMessage(message);
    m_busyBar->show();
}

void MainWindow::clearBusy() {
    m_busyBar->hide();
    statusBar()->clearMessage();
}

void MainWindow::openFileDialog() {
    QSettings settings;
    const QString directory = settings.value(kLastDirectoryKey, QDir::homePath()).toString();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Dataset"), directory,
        tr("Datasets (*.csv *.tsv *.txt *.npy *.npz *.gz *-ubyte *.idx);;All files (*)"));
    if (path.isEmpty()) return;
    settings.setValue(kLastDirectoryKey, QFileInfo(path).absolutePath());
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

void MainWindow::showAbout() {
    QMessageBox::about(
        this, tr("About Latentscape"),
        tr("<h3>Latentscape %1</h3>"
           "<p>A native explorer for the latent space of high-dimensional data.</p>"
           "<p>Qt %2 &middot; VTK %3<br>OpenGL: %4</p>")
            .arg(QStringLiteral(LATENTSCAPE_VERSION), QString::fromLatin1(qVersion()),
                 QString::fromLatin1(vtkVersion::GetVTKVersion()),
                 m_scatterView->glRendererName().toHtmlEscaped()));
}

void MainWindow::closeEvent(QCloseEvent* event) {
    m_sessions->endCrashGuard(true);
    QSettings settings;
    settings.setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("mainWindow/state"), saveState());
    QMainWindow::closeEvent(event);
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
