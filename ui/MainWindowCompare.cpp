// Comparing runs: View > Compare Runs lays 2 to 4 views side by side, each showing a run of the
// document (chosen in its header). They are linked: the same colours, hidden classes and
// selection everywhere (a lasso in one selects the same rows in all), the same point style, and
// the point under the cursor in one view ringed in the others.
#include "MainWindow.h"

#include "panels/DataPanel.h"
#include "views/ViewGrid.h"
#include "vtk/ScatterView.h"

#include <QAction>
#include <QActionGroup>
#include <QMenu>
#include <QTimer>

namespace latentscape::ui {

void MainWindow::createCompareActions(QMenu* viewMenu) {
    QMenu* compare = viewMenu->addMenu(tr("&Compare Runs"));
    compare->setObjectName(QStringLiteral("compareMenu"));
    auto* group = new QActionGroup(this);
    for (int count = 1; count <= ViewGrid::maxPanes; ++count) {
        QAction* a = compare->addAction(count == 1 ? tr("&One View") : tr("&%1 Views Side by Side").arg(count));
        a->setObjectName(QStringLiteral("compare%1Action").arg(count));
        a->setCheckable(true);
        a->setChecked(count == 1);
        a->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key(Qt::Key_0 + count)));
        a->setStatusTip(count == 1 ? tr("One view of the current run")
                                   : tr("%1 linked views, each showing a run: selection, hidden classes and hover are shared")
                                         .arg(count));
        group->addAction(a);
        connect(a, &QAction::triggered, this, [this, count] { m_viewGrid->setPaneCount(count); });
    }
    connect(m_viewGrid, &ViewGrid::paneCountChanged, this, [group](int count) {
        for (QAction* a : group->actions()) a->setChecked(a->objectName() == QStringLiteral("compare%1Action").arg(count));
    });
    connect(m_viewGrid, &ViewGrid::viewAdded, this, &MainWindow::linkView);
    connect(m_viewGrid, &ViewGrid::paneRedrawn, this, &MainWindow::refreshPane);
    // Hovering a point in one view rings it in the others (while comparing).
    connect(m_scatterView, &ScatterView::pointHovered, this, [this](std::int64_t row) { ringHovered(m_scatterView, row); });
    // Rings follow the cursor at most every 40 ms, the newest row winning: each ring repaints the
    // other views, and a mouse sweep over dense points changes the row at every move.
    m_hoverRing = new QTimer(this);
    m_hoverRing->setSingleShot(true);
    m_hoverRing->setInterval(40);
    connect(m_hoverRing, &QTimer::timeout, this, [this] {
        if (m_hoverRow == m_ringedRow || m_viewGrid->paneCount() < 2) return;
        m_ringedRow = m_hoverRow;
        const std::vector<std::int64_t> rows = m_hoverRow >= 0 ? std::vector<std::int64_t>{m_hoverRow} : std::vector<std::int64_t>{};
        for (ScatterView* v : m_viewGrid->views())
            if (v != m_hoverSource) v->setMarkedPoints(rows, m_hoverRow);
    });
    m_paneRefresh = new QTimer(this);
    m_paneRefresh->setSingleShot(true);
    m_paneRefresh->setInterval(0);
    connect(m_paneRefresh, &QTimer::timeout, this, [this] {
        if (m_stalePanes.empty()) return;
        const int pane = m_stalePanes.front();
        m_stalePanes.erase(m_stalePanes.begin());
        refreshPane(pane);
        if (!m_stalePanes.empty()) m_paneRefresh->start();  // the next one after this one is drawn
    });
}

void MainWindow::ringHovered(ScatterView* source, std::int64_t row) {
    if (m_viewGrid->paneCount() < 2) return;
    m_hoverSource = source;
    m_hoverRow = row;
    if (!m_hoverRing->isActive()) m_hoverRing->start();
}

void MainWindow::refreshLinkedPanes() {
    if (!m_paneRefresh || m_viewGrid->paneCount() < 2) return;
    m_stalePanes.clear();
    for (int pane = 1; pane < m_viewGrid->paneCount(); ++pane) m_stalePanes.push_back(pane);
    m_paneRefresh->start();
}

void MainWindow::linkView(ScatterView* view) {
    view->setPointSize(m_scatterView->pointSize());
    view->setOpacity(m_scatterView->opacity());
    view->setDarkBackground(m_scatterView->darkBackground());
    view->setPerspective(m_scatterView->perspective());
    view->setTool(m_scatterView->tool());
    linkSelection(view);
    connect(view, &ScatterView::pointHovered, this, [this, view](std::int64_t row) {
        showPointTooltip(row);
        ringHovered(view, row);
    });
}

void MainWindow::refreshPane(int pane) {
    ScatterView* view = m_viewGrid->view(pane);
    const auto dataset = m_document->dataset();
    if (!view || !dataset || view->pointCount() != std::size_t(dataset->n)) return;
    const auto n = std::size_t(dataset->n);
    if (m_colors.size() == 3 * n) view->setColors(m_colors.data(), n);
    view->setVisibility(m_visible.size() == n ? m_visible : std::vector<std::uint8_t>{});
    const select::Selection& s = selection();
    view->setEmphasis(s.empty() || std::size_t(s.size()) != n ? std::vector<std::uint8_t>{} : s.mask());
}

}  // namespace latentscape::ui
