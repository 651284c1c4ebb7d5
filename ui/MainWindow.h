#pragma once
/// @file The main window: a shell around the Document (model/Document) and its services
/// (services/: datasets, clustering, sessions, exports) and the ReductionController: the plot,
/// the docks, the menus and the status bar, and the wiring between them. Work runs in the
/// services on workers; the window shows what the document holds.

#include "data/load.h"
#include "jobs/DatasetJob.h"
#include "jobs/LatestTask.h"
#include "model/Document.h"
#include "select/selection.h"
#include "services/DatasetService.h"
#include "services/ExportService.h"
#include "vtk/ScatterView.h"

#include <QFutureSynchronizer>
#include <QIcon>
#include <QMainWindow>

#include <functional>
#include <memory>
#include <optional>

class QActionGroup;
class QLabel;
class QMenu;
class QProgressBar;

namespace latentscape::ui {

class ClusteringService;
class DataPanel;
class DecoderPanel;
class GeneratorPanel;
class ClusterPanel;
class MetricsPanel;
class ReductionController;
class ReductionPanel;
class RunsPanel;
class SelectionPanel;
class SessionService;
class ViewGrid;
struct Session;
struct SessionView;
struct Figure;
struct FigureOptions;
struct PlotStyle;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Datasets (services/DatasetService, MainWindowData.cpp).
    /// Loads `path` on a worker (a `.latentscape` file opens as a session). On success it
    /// replaces the dataset; on failure the current dataset stays and the error is shown (dialog
    /// "loadErrorBox" and status bar).
    void loadFile(const QString& path, const data::LoadOptions& options = {});
    /// Fashion-MNIST from defaultDatasetPath() if present, else synthetic Gaussian blobs (also
    /// shown, after the error, when the file is present but cannot be read).
    void loadDefaultDataset();
    /// Shows an existing dataset; its summary is still prepared on the worker.
    void setDataset(std::shared_ptr<const data::Dataset> dataset, const QString& displayName = {});
    /// The hover tooltip's text for point `index` (rich text; the image inline for image data).
    QString pointDescription(std::int64_t index) const;
    /// Shows whatever `source` produces; `source` runs on the loader thread (generated data).
    void loadFromSource(DatasetSource source, const QString& displayName);

    std::shared_ptr<const data::Dataset> dataset() const { return m_document->dataset(); }
    const PreparedDataset& preparedDataset() const { return m_document->prepared(); }
    /// The document under the window: the dataset, its runs, the selection.
    Document* document() const { return m_document; }
    ScatterView* scatterView() const { return m_scatterView; }
    /// The plot area: the main view, or 2 to 4 linked views comparing runs.
    ViewGrid* viewGrid() const { return m_viewGrid; }
    DataPanel* dataPanel() const { return m_dataPanel; }
    ReductionPanel* reductionPanel() const { return m_reductionPanel; }
    ReductionController* reduction() const { return m_reduction; }
    DatasetService* datasets() const { return m_datasets; }
    ClusteringService* clustering() const { return m_clustering; }
    MetricsPanel* metricsPanel() const { return m_metricsPanel; }
    ClusterPanel* clusterPanel() const { return m_clusterPanel; }
    DecoderPanel* decoderPanel() const { return m_decoderPanel; }
    GeneratorPanel* generatorPanel() const { return m_generatorPanel; }
    SelectionPanel* selectionPanel() const { return m_selectionPanel; }
    RunsPanel* runsPanel() const { return m_runsPanel; }
    // Runs (MainWindowRuns.cpp, MainWindowCompare.cpp).
    /// Shows `ids` (1 to 4 runs) side by side in linked views, the first in the main view.
    void compareRuns(const std::vector<int>& ids);
    /// Animates the main view from the shown run into run `id` (aligned by Procrustes, so only
    /// real movement shows), then makes `id` current; morphFinished() fires at the end.
    void morphTo(int id, int durationMs = 1500);
    bool isMorphing() const;
    /// Colours the points by how well run `id` kept their neighbourhoods: per-point
    /// trustworthiness, continuity and 10-NN recall (and reconstruction error for PCA and the
    /// autoencoder) become numeric columns, computed on a worker; informationLossShown() fires.
    void showInformationLoss(int id);
    /// Runs `methods` ("pca", "tsne", "umap", "autoencoder", "vae") one after another with the Reduction
    /// panel's options, then, with `compare`, shows them side by side. Returns an error message
    /// for an unknown method ("" when started). The command line's --run uses it.
    QString runInTurn(const QStringList& methods, bool compare);
    /// File > Add Points to Map: reads `path` (the same columns as the dataset) on a worker and
    /// places its rows on the 2-D run shown, each on its own (PCA: projected; autoencoder: encoded;
    /// t-SNE and UMAP: optimised against the fixed map), then marks them on the plot
    /// (ScatterView::addedPoints); pointsAdded() fires. Errors name the file.
    void addPointsToMap(const QString& path);
    /// Whether the plot shows a 2-D autoencoder embedding whose places the Decoder dock decodes.
    bool isDecoderActive() const;
    /// Start a live t-SNE as soon as the default dataset (loadDefaultDataset) is shown: what a
    /// new user sees on the first launch. Off unless set (the app's main sets it).
    void setAutoRunOnDefault(bool on) { m_autoRunOnDefault = on; }
    bool isLoading() const;
    // Selection (MainWindowSelection.cpp): a set of rows, kept across re-runs, colour changes
    // and 2-D/3-D switches, with undo/redo.
    const select::Selection& selection() const { return m_document->selection(); }
    /// Makes `selection` current as one undoable step (a no-op if nothing changes).
    void setSelection(const select::Selection& selection);
    /// Combines `picked` with the selection as the keyboard modifiers say: none replaces, Shift
    /// adds, Ctrl (Cmd) subtracts, Alt intersects.
    void applyPicked(const select::Selection& picked, Qt::KeyboardModifiers modifiers);
    bool undoSelection();
    bool redoSelection();
    const select::History& selectionHistory() const { return m_document->selectionHistory(); }
    // Figures (MainWindowFigure.cpp).
    /// What the plot shows now, as a figure: every visible point through the current camera in
    /// its on-screen colour, back to front, the selection on top; the legend of the colouring
    /// without hidden categories; `title` above (empty: none).
    /// `view`: a compare pane's view instead of the main one (ViewGrid::view()).
    Figure currentFigure(const QString& title = {}, const ScatterView* view = nullptr) const;
    /// Writes currentFigure(title) to `path` (PNG, SVG or PDF by extension), atomically. Throws
    /// std::runtime_error naming the file when it cannot.
    void exportFigure(const QString& path, const FigureOptions& options, const QString& title = {},
                      const ScatterView* view = nullptr);
    void setSelectionTool(ScatterView::Tool tool);
    // PCA and axes (MainWindowPca.cpp, issue 15).
    /// View > PCA Components…: a dialog ("pcaComponentsDialog") with the scree plot of PCA run
    /// `id`: the explained variance ratio of its first min(d, n, 30) components, refitted on a
    /// worker on the run's input (its preprocessing, its PCA options); pcaComponentsShown() fires.
    void showPcaComponents(int id);
    /// View > PCA Loadings (Biplot): arrows of the top features over the 2-D PCA run shown.
    void setBiplotShown(bool on);
    /// How far unselected points fade towards the background while something is selected, 0..1.
    double dimming() const { return m_dimming; }
    void setDimming(double dimming);
    /// Rings point `row` and its k nearest neighbours in the original feature space (computed on a
    /// worker; neighboursShown() fires when they are on screen).
    void showNeighbours(std::int64_t row, int k = 10);
    /// Names the selected rows as group `name` in the "groups" metadata column (made on a worker
    /// by services/ClusteringService, then shown coloured by groups; groupMade() fires). A row
    /// belongs to one group: the newest.
    void makeGroup(const QString& name);
    // Data export (services/ExportService, File > Export): written on a worker, atomically. Each
    // returns an error at once when there is nothing to export, else "" and exportFinished()
    // fires when the file is written (or failed: the error is also shown in "exportErrorBox").
    /// The plotted coordinates (the embedding on screen, or the two plotted features) of every
    /// row, or of the selected rows only, with ids and metadata: CSV, or NPY plus a .meta.csv.
    QString exportEmbedding(const QString& path, bool selectionOnly);
    /// The "cluster" column with the row ids, as CSV.
    QString exportClusterLabels(const QString& path);
    /// The autoencoder whose embedding is shown, as .lsae (Model::save).
    QString exportAutoencoderModel(const QString& path);
    /// Exports still being written.
    int exportsRunning() const;
    // Sessions (services/SessionService): a `.latentscape` file reopens this view exactly.
    /// Saves the dataset's path and hash, the embedding shown (sidecar .npy), the clusters and
    /// groups, the selection, the colours and the camera. Returns an error message ("" if saved).
    QString saveSession(const QString& path);
    /// The same, written on a worker (the File menu's way): sessionSaved() fires when done.
    void saveSessionInBackground(const QString& path);
    /// Opens a session: reads it, finds the dataset (asking where it is if it moved), checks its
    /// SHA-256, loads it on the loader thread and restores everything (sessionOpened() fires).
    /// Errors are shown like load errors (loadFailed()).
    void openSession(const QString& path);
    /// Crash recovery for the app's main window: returns the autosave a previous run left when it
    /// did not close normally ("" if none), then marks this run as running (the mark goes when
    /// the window closes) and autosaves every `intervalMs` (when a dataset read from a file is
    /// open). Tests leave it off.
    QString startCrashGuard(int intervalMs = 3 * 60 * 1000);
    /// Where this window autosaves (the application's local data folder; one file per window),
    /// "" before startCrashGuard().
    QString autosavePath() const;
    /// Deletes an autosave startCrashGuard() offered (restored or declined) and its mark.
    static void forgetRecovered(const QString& sessionPath);
    /// Asks where a moved dataset is; returns "" to give up. The default shows a file dialog.
    void setDatasetLocator(std::function<QString(const QString& missingPath)> locator) { m_locateDataset = std::move(locator); }
    /// Loader threads: 1, so that loads (each OpenMP-parallel and memory-heavy) never overlap.
    int loaderThreadLimit() const;

    /// The file loadDefaultDataset() opens; standardDatasetPath() unless set otherwise.
    QString defaultDatasetPath() const;
    void setDefaultDatasetPath(const QString& path);
    /// Where the set-up installs Fashion-MNIST (training images; labels found next to them).
    static QString standardDatasetPath();
    /// The application icon (resources/latentscape.svg, compiled into this library).
    static QIcon applicationIcon();
    static constexpr int maxRecentFiles = 8;

signals:
    void datasetChanged();
    void selectionChanged();
    /// The neighbours asked for by showNeighbours are ringed; `kept` of them are also among the
    /// point's k nearest on screen.
    void neighboursShown(std::int64_t row, int kept);
    void groupMade(const QString& name);
    /// An export started by exportEmbedding() and co. ended; `error` is empty on success.
    void exportFinished(const QString& path, const QString& error);
    void sessionOpened(const QString& path);
    void sessionSaved(const QString& path, const QString& error);
    void loadFailed(const QString& message);
    void morphFinished(int runId);
    /// addPointsToMap() placed `rows` new rows on run `runId` (empty error) or failed.
    void pointsAdded(int runId, qint64 rows, const QString& error);
    /// The per-point quality columns of run `runId` were added; the plot is coloured by `column`.
    void informationLossShown(int runId, const QString& column);
    /// The scree plot of run `runId` has its values (empty error) or could not be computed.
    void pcaComponentsShown(int runId, const QString& error);
    /// The biplot's arrows over the main view were replaced (`arrows` of them; 0: none).
    void biplotShown(int arrows);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createActions();
    void createSessionActions(QMenu* fileMenu);
    /// What the view shows, for a session being saved; and showing a reopened session's view.
    SessionView sessionView() const;
    void showSessionView(const SessionView& view);
    void createSelectionActions();
    enum class ExportKind { Embedding, Selection, ClusterLabels, AutoencoderModel };
    void createExportActions(QMenu* fileMenu);
    void updateExportActions();
    void chooseExportPath(ExportKind kind);
    /// What the plot shows, for an export of its coordinates.
    ExportService::Plotted plotted() const;
    void showExportError(const QString& path, const QString& message);
    void createFigureActions(QMenu* fileMenu);
    void showExportFigureDialog();
    void onSelectionChanged();
    /// Selection by click, box and lasso in `view` (the main one or a compare pane).
    void linkSelection(ScatterView* view);
    /// A compare pane's view: the same style, colours, selection and hover as the main one.
    void linkView(ScatterView* view);
    /// Pushes the colours, hidden classes and selection to pane `pane` (its points were replaced).
    void refreshPane(int pane);
    /// The compare panes follow the main view's colours, hidden classes and selection one per
    /// pass of the event loop: with software GL each view's frame costs tens of milliseconds at
    /// 100,000 points, and drawing all of them in one pass stalled the window for hundreds.
    void refreshLinkedPanes();
    std::vector<int> m_stalePanes;           // compare panes still to refresh
    QTimer* m_paneRefresh = nullptr;
    std::int64_t m_hoverRow = -1;            // the row to ring in the other views
    ScatterView* m_hoverSource = nullptr;    // the view the cursor is in
    std::int64_t m_ringedRow = -2;           // the row they ring now
    QTimer* m_hoverRing = nullptr;
    void ringHovered(ScatterView* source, std::int64_t row);
    void createCompareActions(QMenu* viewMenu);
    void createPcaActions(QMenu* viewMenu);
    /// Recomputes (on a worker) or clears the biplot for what the main view shows now.
    void updateBiplot();
    struct Scree;
    LatestTask<std::shared_ptr<const Scree>> m_screeTask;
    LatestTask<std::shared_ptr<const std::vector<BiplotArrow>>> m_biplotTask;
    QAction* m_axisTicksAction = nullptr;
    QAction* m_biplotAction = nullptr;
    void createRunsPanel();
    RunsPanel* m_runsPanel = nullptr;
    struct Alignment;
    LatestTask<std::shared_ptr<const Alignment>> m_alignTask;
    QObject* m_morphAnimation = nullptr;  // the running morph (a QVariantAnimation), if any
    LatestTask<PreparedDataset> m_lossTask;
    struct Placement;
    LatestTask<std::shared_ptr<const Placement>> m_placeTask;
    QStringList m_queuedMethods;      // runInTurn(): methods still to run
    std::vector<int> m_queuedRuns;    // runInTurn(): the runs made so far
    bool m_compareQueued = false;
    QMetaObject::Connection m_queueConnection;
    void runNextQueued();
    std::vector<std::uint8_t> m_colors;   // what updateColors() computed, for every view
    std::vector<std::uint8_t> m_visible;  // what updateVisibility() computed (empty: all)
    /// The colouring, hidden classes, fading and background the plot's rules draw with.
    PlotStyle plotStyle() const;
    void addSelectionMenuItems(QMenu* menu, QPointF position);
    /// The loader's signals: busy, the dialogs, recent files, a session or a run once shown.
    void connectDatasets();
    void datasetLoaded(const DatasetService::Request& request);
    /// The document has new rows: every view and dock starts over on them.
    void showNewDataset();
    /// The document has the same rows with a new or changed metadata column (a clustering, a
    /// group, a run's information loss): the plot and the docks take it, the plotted features
    /// and embedding stay.
    void showDerivedDataset();
    void colourByColumn(const std::string& name);
    void showLoadError(const QString& displayName, const QString& message);
    void askMissingValuePolicy(const DatasetService::MissingValues& question);
    void setBusy(const QString& message);
    void clearBusy();

    void updatePoints();
    void updateColors();
    void updateVisibility();
    void showCursorPosition(double x, double y);
    void showPointTooltip(std::int64_t index);
    void setUpDecoder();
    void fitReductionDock();
    /// File > Open, Open Recent, Open Example Dataset, Add Points to Map.
    void createOpenActions(QMenu* fileMenu);
    void openFileDialog();
    void addRecentFile(const QString& path);
    void rebuildRecentMenu();
    void showAbout();

    ScatterView* m_scatterView = nullptr;  // the main view: pane 0 of m_viewGrid
    ViewGrid* m_viewGrid = nullptr;
    DataPanel* m_dataPanel = nullptr;
    ReductionPanel* m_reductionPanel = nullptr;
    ReductionController* m_reduction = nullptr;
    MetricsPanel* m_metricsPanel = nullptr;
    ClusterPanel* m_clusterPanel = nullptr;
    DecoderPanel* m_decoderPanel = nullptr;
    GeneratorPanel* m_generatorPanel = nullptr;
    SelectionPanel* m_selectionPanel = nullptr;
    bool m_autoRunOnDefault = false;
    QMenu* m_recentMenu = nullptr;
    QLabel* m_pointsLabel = nullptr;
    QLabel* m_cursorLabel = nullptr;
    QProgressBar* m_busyBar = nullptr;

    double m_dimming = 0.8;
    QActionGroup* m_toolGroup = nullptr;
    QAction* m_undoSelectionAction = nullptr;
    QAction* m_redoSelectionAction = nullptr;
    int m_neighbourRequest = 0;
    QAction* m_exportEmbeddingAction = nullptr;
    QAction* m_exportSelectionAction = nullptr;
    QAction* m_exportLabelsAction = nullptr;
    QAction* m_exportModelAction = nullptr;
    ExportService* m_exports = nullptr;
    SessionService* m_sessions = nullptr;
    DatasetService* m_datasets = nullptr;
    ClusteringService* m_clustering = nullptr;
    std::function<QString(const QString&)> m_locateDataset;

    const PreparedDataset& prepared() const { return m_document->prepared(); }
    /// Draws the current run's embedding (when the plot shows embeddings); `fit` resets the
    /// camera (so does the first frame of another run).
    void showCurrentRun(bool fit);
    /// Another run is current: the plot, the Data dock's plot choice, the metrics, the decoder.
    void currentRunChanged(int id);
    /// Computes run `id`'s neighbourhood metrics on a worker; they go into the document.
    void computeRunMetrics(int id);
    std::shared_ptr<const std::vector<float>> m_shownEmbedding;  // what the plot last drew
    int m_shownRunId = -1;
    QObject* m_metricsJobs = nullptr;             // parents the metrics watchers
    QFutureSynchronizer<void> m_metricsFutures;   // the window's end waits for them
    Document* m_document = nullptr;
};

}  // namespace latentscape::ui
