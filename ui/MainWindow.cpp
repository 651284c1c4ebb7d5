#include "MainWindow.h"

#include "ReductionController.h"
#include "panels/ClusterPanel.h"
#include "panels/DataPanel.h"
#include "panels/DecoderPanel.h"
#include "panels/GeneratorPanel.h"
#include "panels/LegendWidget.h"
#include "panels/MetricsPanel.h"
#include "panels/ReductionPanel.h"
#include "panels/RunsPanel.h"
#include "panels/SelectionPanel.h"
#include "services/ClusteringService.h"
#include "services/SessionService.h"
#include "vtk/ColorMaps.h"
#include "views/ViewGrid.h"
#include "vtk/ScatterView.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QScreen>
#include <QStatusBar>
#include <QTimer>

#include <algorithm>

#include <vtkVersion.h>

// resources/resources.qrc lives in a static library: nothing would pull its initialiser into
// the executable, so it is registered explicitly (Q_INIT_RESOURCE must be used outside any
// namespace).
static void initLatentscapeResources() { Q_INIT_RESOURCE(resources); }

namespace latentscape::ui {
namespace {

const char* const kPointSizeKey = "view/pointSize";

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("Latentscape"));
    setWindowIcon(applicationIcon());
    setAcceptDrops(true);
    // The document and the services that change it; the widgets below observe them.
    m_document = new Document(this);
    m_datasets = new DatasetService(m_document, this);
    m_clustering = new ClusteringService(m_document, this);

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
    m_clusterPanel = new ClusterPanel(m_clustering, this);
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
    // A GAN trained on the dataset, and where generators land (View > Generator).
    m_generatorPanel = new GeneratorPanel(this);
    addDockWidget(Qt::BottomDockWidgetArea, m_generatorPanel);
    m_generatorPanel->hide();
    connect(m_generatorPanel, &GeneratorPanel::openJointRequested, this,
            [this](std::shared_ptr<const data::Dataset> joint, const QString& name) { setDataset(std::move(joint), name); });
    // A clustering's column is in the document (and on screen): the points take its colours.
    connect(m_clustering, &ClusteringService::finished, this, [this] { colourByColumn("cluster"); });

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
    connect(m_clustering, &ClusteringService::statusMessage, statusBar(), &QStatusBar::showMessage);
    connectDatasets();

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
    delete m_datasets;
    m_datasets = nullptr;
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
    createOpenActions(fileMenu);
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
    createPcaActions(viewMenu);
    viewMenu->addSeparator();
    createCompareActions(viewMenu);
    viewMenu->addSeparator();
    viewMenu->addAction(m_dataPanel->toggleViewAction());

    viewMenu->addAction(m_reductionPanel->toggleViewAction());
    viewMenu->addAction(m_metricsPanel->toggleViewAction());
    viewMenu->addAction(m_clusterPanel->toggleViewAction());
    viewMenu->addAction(m_decoderPanel->toggleViewAction());
    viewMenu->addAction(m_generatorPanel->toggleViewAction());
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
}

void MainWindow::setBusy(const QString& message) {
    statusBar()->showMessage(message);
    m_busyBar->show();
}

void MainWindow::clearBusy() {
    m_busyBar->hide();
    statusBar()->clearMessage();
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

}  // namespace latentscape::ui
