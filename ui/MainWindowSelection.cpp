// The window's selection (issue 7): one select::History of rows, fed by the scatter view's
// clicks, boxes and lassos (projected through the current camera, so 3-D selects what is on
// screen), shown by fading the other points and drawing the selected ones on top, with undo and
// redo; the nearest neighbours of a point in the original feature space; groups of rows
// (services/ClusteringService makes the column).
#include "MainWindow.h"

#include "metrics/contrast.h"
#include "jobs/DatasetJob.h"
#include "panels/SelectionPanel.h"
#include "services/ClusteringService.h"
#include "select/screen.h"
#include "views/ViewGrid.h"
#include "vtk/ScatterView.h"

#include <QAction>
#include <QActionGroup>
#include <QFutureWatcher>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QStatusBar>
#include <QToolBar>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <utility>

namespace latentscape::ui {
namespace {

const QString kDimmingKey = QStringLiteral("view/selectionDimming");

select::Mode modeFor(Qt::KeyboardModifiers modifiers) {
    if (modifiers & Qt::AltModifier) return select::Mode::Intersect;
    if (modifiers & Qt::ControlModifier) return select::Mode::Subtract;  // Cmd on macOS
    if (modifiers & Qt::ShiftModifier) return select::Mode::Add;
    return select::Mode::Replace;
}

/// The rows drawn now (hidden classes excluded), as a selection.
select::Selection visibleRows(const ScatterView& view, std::int64_t n) {
    const auto& visible = view.visibility();
    return visible.empty() ? select::Selection::all(n) : select::Selection::from_mask(visible.data(), n);
}

struct Neighbours {
    std::vector<std::int64_t> rows;
    int kept = 0;  // of them among the point's k nearest on screen
};

}  // namespace

void MainWindow::createSelectionActions() {
    QMenu* menu = menuBar()->addMenu(tr("&Select"));
    m_undoSelectionAction = menu->addAction(tr("&Undo Selection"), this, &MainWindow::undoSelection);
    m_undoSelectionAction->setObjectName(QStringLiteral("undoSelectionAction"));
    m_undoSelectionAction->setShortcut(QKeySequence::Undo);
    m_redoSelectionAction = menu->addAction(tr("&Redo Selection"), this, &MainWindow::redoSelection);
    m_redoSelectionAction->setObjectName(QStringLiteral("redoSelectionAction"));
    // Ctrl+Shift+Z everywhere, plus the platform's own redo keys (Ctrl+Y on some), each once:
    // a key listed twice would make the shortcut ambiguous, and then it does nothing.
    QList<QKeySequence> redoKeys{QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z)};
    for (const QKeySequence& k : QKeySequence::keyBindings(QKeySequence::Redo))
        if (!redoKeys.contains(k)) redoKeys << k;
    m_redoSelectionAction->setShortcuts(redoKeys);
    // Nothing to undo before the first selection, nor after a new dataset (a new history): the
    // actions follow the document's history whoever changed it.
    const auto followHistory = [this] {
        m_undoSelectionAction->setEnabled(selectionHistory().can_undo());
        m_redoSelectionAction->setEnabled(selectionHistory().can_redo());
    };
    followHistory();
    connect(m_document, &Document::datasetChanged, this, followHistory);
    connect(m_document, &Document::selectionChanged, this, followHistory);
    menu->addSeparator();
    QAction* all = menu->addAction(tr("Select &All"), this, [this] {
        if (prepared().dataset) setSelection(visibleRows(*m_scatterView, prepared().dataset->n));
    });
    all->setObjectName(QStringLiteral("selectAllAction"));
    all->setShortcut(QKeySequence::SelectAll);
    all->setToolTip(tr("Select every point shown (hidden classes stay unselected)"));
    QAction* invert = menu->addAction(tr("&Invert Selection"), this, [this] {
        if (!prepared().dataset) return;
        setSelection(selection().inverted().combined(visibleRows(*m_scatterView, prepared().dataset->n),
                                                     select::Mode::Intersect));
    });
    invert->setObjectName(QStringLiteral("invertSelectionAction"));
    invert->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    QAction* clear = menu->addAction(tr("&Clear Selection"), this, [this] {
        if (prepared().dataset) setSelection(select::Selection(prepared().dataset->n));
        m_scatterView->setMarkedPoints({});
    });
    clear->setObjectName(QStringLiteral("clearSelectionAction"));
    clear->setShortcut(QKeySequence(Qt::Key_Escape));
    menu->addSeparator();

    // The tools: what a left drag does. A click picks a point with any of them.
    m_toolGroup = new QActionGroup(this);
    QToolBar* tools = addToolBar(tr("Tools"));
    tools->setObjectName(QStringLiteral("toolsToolBar"));
    const struct {
        ScatterView::Tool tool;
        QString text, name, tip;
        Qt::Key key;
    } entries[] = {
        {ScatterView::Tool::Navigate, tr("&Navigate"), QStringLiteral("navigateToolAction"),
         tr("Drag to pan (2-D) or rotate (3-D); click a point to select it (N)"), Qt::Key_N},
        {ScatterView::Tool::Box, tr("&Box Select"), QStringLiteral("boxToolAction"),
         tr("Drag a rectangle to select the points inside it; Shift adds, Ctrl subtracts, Alt intersects (B)"),
         Qt::Key_B},
        {ScatterView::Tool::Lasso, tr("&Lasso Select"), QStringLiteral("lassoToolAction"),
         tr("Draw around points to select them; Shift adds, Ctrl subtracts, Alt intersects (L)"), Qt::Key_L},
    };
    for (const auto& e : entries) {
        QAction* a = menu->addAction(e.text);
        a->setObjectName(e.name);
        a->setCheckable(true);
        a->setShortcut(QKeySequence(e.key));
        a->setToolTip(e.tip);
        a->setStatusTip(e.tip);
        a->setData(int(e.tool));
        m_toolGroup->addAction(a);
        tools->addAction(a);
        const ScatterView::Tool tool = e.tool;
        connect(a, &QAction::triggered, this, [this, tool] { setSelectionTool(tool); });
    }
    m_toolGroup->actions().front()->setChecked(true);
    tools->addSeparator();
    tools->addAction(m_undoSelectionAction);
    tools->addAction(m_redoSelectionAction);

    menu->addSeparator();
    QMenu* dimMenu = menu->addMenu(tr("&Fade Unselected Points"));
    auto* dimGroup = new QActionGroup(this);
    m_dimming = std::clamp(QSettings().value(kDimmingKey, 0.8).toDouble(), 0.0, 0.95);
    for (int percent : {0, 50, 70, 80, 90}) {
        QAction* a = dimMenu->addAction(percent == 0 ? tr("Not at All") : tr("%1%").arg(percent));
        a->setObjectName(QStringLiteral("fade%1").arg(percent));
        a->setCheckable(true);
        a->setChecked(std::abs(m_dimming * 100 - percent) < 0.5);
        dimGroup->addAction(a);
        connect(a, &QAction::triggered, this, [this, percent] { setDimming(percent / 100.0); });
    }

    linkSelection(m_scatterView);
    connect(m_scatterView, &ScatterView::contextMenuRequested, this, &MainWindow::addSelectionMenuItems);

    // The Selection dock: its table and image grid ring rows on the plot; a click on the plot
    // shows that row in the table; its search, invert, clear and groups act on the selection.
    connect(m_selectionPanel, &SelectionPanel::tableRowsSelected, this,
            [this](const std::vector<std::int64_t>& rows) { m_scatterView->setMarkedPoints(rows); });
    connect(m_scatterView, &ScatterView::pointClicked, this, [this](std::int64_t index, Qt::KeyboardModifiers) {
        if (index >= 0) m_selectionPanel->setCurrentRow(index);
    });
    connect(m_selectionPanel, &SelectionPanel::selectionRequested, this,
            [this](const select::Selection& rows, select::Mode mode) { setSelection(selection().combined(rows, mode)); });
    connect(m_selectionPanel, &SelectionPanel::invertRequested, invert, &QAction::trigger);
    connect(m_selectionPanel, &SelectionPanel::clearRequested, clear, &QAction::trigger);
    connect(m_selectionPanel, &SelectionPanel::groupRequested, this, &MainWindow::makeGroup);
    connect(m_clustering, &ClusteringService::groupMade, this, [this](const QString& name) {
        colourByColumn("groups");
        statusBar()->showMessage(tr("Group “%1” made: the “groups” column colours the plot").arg(name), 5000);
        emit groupMade(name);
    });
    onSelectionChanged();
}

void MainWindow::linkSelection(ScatterView* view) {
    // Boxes and lassos go through this view's own camera: in a compare pane they select what that
    // pane shows, and the selection (of rows) then shows in every view.
    connect(view, &ScatterView::shapeDrawn, this, [this, view](const select::Polygon& polygon, Qt::KeyboardModifiers m) {
        if (!prepared().dataset || view->pointCount() != std::size_t(prepared().dataset->n)) return;
        const auto& visible = view->visibility();
        applyPicked(select::inside_polygon(view->coordinates(), prepared().dataset->n, 3, view->projection(), polygon,
                                           visible.empty() ? nullptr : visible.data()),
                    m);
    });
    connect(view, &ScatterView::pointClicked, this, [this](std::int64_t index, Qt::KeyboardModifiers m) {
        if (!prepared().dataset) return;
        const std::int64_t n = prepared().dataset->n;
        if (index >= 0 && index < n) applyPicked(select::Selection::from_ids({index}, n), m);
        else if (modeFor(m) == select::Mode::Replace) setSelection(select::Selection(n));  // a click on nothing clears
    });
}

void MainWindow::setSelectionTool(ScatterView::Tool tool) {
    for (ScatterView* v : m_viewGrid->views()) v->setTool(tool);
    for (QAction* a : m_toolGroup->actions())
        if (a->data().toInt() == int(tool)) a->setChecked(true);
}

void MainWindow::setDimming(double dimming) {
    m_dimming = std::clamp(dimming, 0.0, 0.95);
    QSettings().setValue(kDimmingKey, m_dimming);
    updateColors();
}

void MainWindow::setSelection(const select::Selection& selection) { m_document->setSelection(selection); }

void MainWindow::applyPicked(const select::Selection& picked, Qt::KeyboardModifiers modifiers) {
    setSelection(selection().combined(picked, modeFor(modifiers)));
}

bool MainWindow::undoSelection() { return m_document->undoSelection(); }

bool MainWindow::redoSelection() { return m_document->redoSelection(); }

void MainWindow::onSelectionChanged() {
    m_undoSelectionAction->setEnabled(selectionHistory().can_undo());
    m_redoSelectionAction->setEnabled(selectionHistory().can_redo());
    updateColors();
    const select::Selection& s = selection();
    if (m_scatterView->pointCount() == std::size_t(s.size()))
        m_scatterView->setEmphasis(s.empty() ? std::vector<std::uint8_t>{} : s.mask());
    refreshLinkedPanes();
    if (prepared().dataset && s.size() == prepared().dataset->n) {
        // The dock comes to the front when a selection starts, not on every change.
        if (!s.empty() && m_selectionPanel->selection().empty()) m_selectionPanel->raise();
        m_selectionPanel->setSelection(s);
    }
    if (prepared().dataset && !s.empty()) {
        const QLocale locale;
        statusBar()->showMessage(tr("%1 of %2 points selected")
                                     .arg(locale.toString(qlonglong(s.count())), locale.toString(qlonglong(s.size()))),
                                 5000);
    }
    emit selectionChanged();
}

void MainWindow::addSelectionMenuItems(QMenu* menu, QPointF position) {
    if (!prepared().dataset) return;
    const std::int64_t row = m_scatterView->pointAt(position, 8.0);
    if (!menu->isEmpty()) menu->addSeparator();
    if (row >= 0) {
        QAction* a = menu->addAction(tr("Show 10 &Nearest Neighbours of Point %1 (Feature Space)").arg(QLocale().toString(qlonglong(row))),
                                     this, [this, row] { showNeighbours(row, 10); });
        a->setObjectName(QStringLiteral("showNeighboursAction"));
    }
    if (!m_scatterView->markedPoints().empty() || m_scatterView->focusPoint() >= 0)
        menu->addAction(tr("Clear &Marks"), this, [this] { m_scatterView->setMarkedPoints({}); });
}

void MainWindow::showNeighbours(std::int64_t row, int k) {
    const std::shared_ptr<const data::Dataset> ds = prepared().dataset;
    if (!ds || row < 0 || row >= ds->n || m_scatterView->pointCount() != std::size_t(ds->n)) return;
    // What is on screen, copied for the worker: the neighbours there tell how much of the
    // feature-space neighbourhood the plot kept.
    std::vector<float> shown(m_scatterView->coordinates(), m_scatterView->coordinates() + 3 * ds->n);
    const int request = ++m_neighbourRequest;
    auto* watcher = new QFutureWatcher<Neighbours>(this);
    connect(watcher, &QFutureWatcher<Neighbours>::finished, this, [this, watcher, request, ds, row, k] {
        watcher->deleteLater();
        if (request != m_neighbourRequest || ds != prepared().dataset) return;  // superseded
        const Neighbours r = watcher->result();
        m_scatterView->setMarkedPoints(r.rows, row);
        statusBar()->showMessage(tr("Point %1: its %2 nearest neighbours in feature space are ringed; %3 of them are "
                                    "also among its %2 nearest on screen")
                                     .arg(QLocale().toString(qlonglong(row)))
                                     .arg(r.rows.size())
                                     .arg(r.kept));
        emit neighboursShown(row, r.kept);
    });
    watcher->setFuture(QtConcurrent::run([ds, shown = std::move(shown), row, k] {
        Neighbours r;
        r.rows = metrics::nearest_rows(ds->features.data(), ds->n, ds->d, row, k);
        const auto near = metrics::nearest_rows(shown.data(), ds->n, 3, row, k);
        for (std::int64_t i : r.rows) r.kept += std::find(near.begin(), near.end(), i) != near.end();
        return r;
    }));
}

void MainWindow::makeGroup(const QString& name) { m_clustering->makeGroup(name, selection().ids()); }

}  // namespace latentscape::ui
