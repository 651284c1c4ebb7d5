// Selecting in the scatter view (issue 7), with real widgets under Xvfb and mouse drags made by
// QTest: box and lasso on a known 2-D layout (exact ids), modifiers, clicks, undo/redo, select
// all / invert / clear, a box through a 3-D camera, the selection kept across a re-run, the
// fading of unselected points, and the nearest-neighbour rings.
#include "gui_fixtures.h"

#include "ReductionController.h"
#include "metrics/contrast.h"
#include "panels/ReductionPanel.h"
#include "panels/PointInspector.h"
#include "panels/SelectionPanel.h"
#include "select/screen.h"

#include <QAction>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QTableView>
#include <QSpinBox>

using namespace gui_fixtures;

namespace {

/// Points on the integer grid 0..10 x 0..10, id = 11 y + x, with a label per column parity.
std::shared_ptr<const data::Dataset> grid() {
    auto ds = std::make_shared<data::Dataset>();
    ds->n = 121;
    ds->d = 3;
    for (int y = 0; y <= 10; ++y)
        for (int x = 0; x <= 10; ++x) {
            ds->features.push_back(float(x));
            ds->features.push_back(float(y));
            ds->features.push_back(0.3f * float((x + 2 * y) % 3));  // a third, smaller direction for 3-D
        }
    ds->feature_names = {"x", "y", "z"};
    std::vector<std::int32_t> codes;
    for (int i = 0; i < 121; ++i) codes.push_back((i % 11) % 2);
    ds->metadata.push_back(data::MetadataColumn::categorical("parity", std::move(codes), {"even", "odd"}));
    ds->label_column = 0;
    ds->source = "grid";
    ds->format = "synthetic";
    ds->check_consistent();
    return ds;
}

std::vector<std::int64_t> gridIds(int x0, int x1, int y0, int y1) {
    std::vector<std::int64_t> ids;
    for (int y = y0; y <= y1; ++y)
        for (int x = x0; x <= x1; ++x) ids.push_back(11 * y + x);
    std::sort(ids.begin(), ids.end());
    return ids;
}

}  // namespace

class TestSelectionView : public QObject {
    Q_OBJECT

    std::unique_ptr<ui::MainWindow> m_window;
    ui::ScatterView* view() { return m_window->scatterView(); }

    /// Where grid point (x, y) is drawn.
    QPointF at(int x, int y) { return view()->widgetPosition(std::size_t(11 * y + x)); }

    /// A left drag along `path` (first point: press; last: release) with `modifiers` held.
    void drag(const std::vector<QPointF>& path, Qt::KeyboardModifiers modifiers = Qt::NoModifier) {
        QTest::mousePress(view(), Qt::LeftButton, modifiers, path.front().toPoint());
        for (std::size_t k = 1; k + 1 < path.size(); ++k) QTest::mouseMove(view(), path[k].toPoint());
        QTest::mouseRelease(view(), Qt::LeftButton, modifiers, path.back().toPoint());
    }

    /// A box from halfway between grid points (x0 - 1/2, y0 - 1/2) to (x1 + 1/2, y1 + 1/2).
    void boxAround(int x0, int x1, int y0, int y1, Qt::KeyboardModifiers modifiers = Qt::NoModifier) {
        const QPointF half = (at(1, 1) - at(0, 0)) / 2;  // half a grid step on screen (y points down)
        const QPointF a = at(x0, y0) - half, b = at(x1, y1) + half;
        drag({a, (a + b) / 2, b}, modifiers);
    }

private slots:
    void init() {
        showWindow(m_window, grid());
        if (QTest::currentTestFailed()) return;
        // Shortcuts (Ctrl+Z, Escape...) act in the active window only.
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        m_window->setSelectionTool(ui::ScatterView::Tool::Box);
    }
    void cleanup() { m_window.reset(); }

    void boxSelectsExactIdsAndModifiersCombine() {
        boxAround(2, 4, 6, 8);
        QCOMPARE(m_window->selection().ids(), gridIds(2, 4, 6, 8));
        // Shift adds, Ctrl subtracts, Alt intersects.
        boxAround(5, 6, 6, 6, Qt::ShiftModifier);
        std::vector<std::int64_t> want = gridIds(2, 4, 6, 8);
        for (std::int64_t i : gridIds(5, 6, 6, 6)) want.push_back(i);
        std::sort(want.begin(), want.end());
        QCOMPARE(m_window->selection().ids(), want);
        boxAround(3, 6, 6, 6, Qt::ControlModifier);
        want = gridIds(2, 2, 6, 6);
        for (std::int64_t i : gridIds(2, 4, 7, 8)) want.push_back(i);
        std::sort(want.begin(), want.end());
        QCOMPARE(m_window->selection().ids(), want);
        boxAround(0, 10, 8, 10, Qt::AltModifier);
        QCOMPARE(m_window->selection().ids(), gridIds(2, 4, 8, 8));
        // While dragging, the shape is drawn over the plot; afterwards it is gone.
        const QPointF a = at(1, 1), b = at(3, 3);
        QTest::mousePress(view(), Qt::LeftButton, Qt::NoModifier, a.toPoint());
        QTest::mouseMove(view(), b.toPoint());
        QCOMPARE(view()->shapeInProgress().size(), 4);
        QTest::mouseRelease(view(), Qt::LeftButton, Qt::NoModifier, b.toPoint());
        QVERIFY(view()->shapeInProgress().isEmpty());
    }

    void lassoSelectsWhatItEncloses() {
        m_window->setSelectionTool(ui::ScatterView::Tool::Lasso);
        // A triangle with corners (0.6, 0.6), (9.6, 0.6) and (0.6, 9.6) in data units: the
        // points with x, y >= 1 and x + y <= 10, drawn as a many-vertex path.
        const QPointF a = view()->widgetPosition(0.6, 0.6), b = view()->widgetPosition(9.6, 0.6),
                      c = view()->widgetPosition(0.6, 9.6);
        std::vector<QPointF> path;
        for (const auto& [p, q] : {std::pair{a, b}, std::pair{b, c}, std::pair{c, a}})
            for (int k = 0; k < 20; ++k) path.push_back(p + (q - p) * (k / 20.0));
        path.push_back(a);
        drag(path);
        std::vector<std::int64_t> want;
        for (int y = 1; y <= 9; ++y)
            for (int x = 1; x <= 9; ++x)
                if (x + y <= 10) want.push_back(11 * y + x);
        std::sort(want.begin(), want.end());
        QCOMPARE(m_window->selection().ids(), want);
        // And that is what the core finds for the same polygon through the view's camera.
        select::Polygon polygon;
        for (const QPointF& p : path) polygon.push_back({double(p.toPoint().x()), double(p.toPoint().y())});
        QCOMPARE(select::inside_polygon(view()->coordinates(), 121, 3, view()->projection(), polygon).ids(), want);
    }

    void clicksUndoRedoAndShortcuts() {
        m_window->setSelectionTool(ui::ScatterView::Tool::Navigate);
        QTest::mouseClick(view(), Qt::LeftButton, Qt::NoModifier, at(5, 5).toPoint());
        QCOMPARE(m_window->selection().ids(), (std::vector<std::int64_t>{60}));
        QTest::mouseClick(view(), Qt::LeftButton, Qt::ShiftModifier, at(6, 5).toPoint());
        QCOMPARE(m_window->selection().ids(), (std::vector<std::int64_t>{60, 61}));
        QTest::mouseClick(view(), Qt::LeftButton, Qt::ControlModifier, at(5, 5).toPoint());
        QCOMPARE(m_window->selection().ids(), (std::vector<std::int64_t>{61}));
        // Ctrl+Z twice, Ctrl+Shift+Z once.
        QTest::keyClick(view(), Qt::Key_Z, Qt::ControlModifier);
        QTest::keyClick(view(), Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(m_window->selection().ids(), (std::vector<std::int64_t>{60}));
        QTest::keyClick(view(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(m_window->selection().ids(), (std::vector<std::int64_t>{60, 61}));
        // Ctrl+A, Ctrl+I, Escape.
        QTest::keyClick(view(), Qt::Key_A, Qt::ControlModifier);
        QCOMPARE(m_window->selection().count(), std::int64_t(121));
        QTest::keyClick(view(), Qt::Key_Escape);
        QVERIFY(m_window->selection().empty());
        QTest::mouseClick(view(), Qt::LeftButton, Qt::NoModifier, at(0, 0).toPoint());
        QTest::keyClick(view(), Qt::Key_I, Qt::ControlModifier);
        QCOMPARE(m_window->selection().count(), std::int64_t(120));
        QVERIFY(!m_window->selection().contains(0));
        // A click on empty space clears.
        QTest::mouseClick(view(), Qt::LeftButton, Qt::NoModifier, ((at(0, 0) + at(1, 1)) / 2).toPoint());
        QVERIFY(m_window->selection().empty());
        // At least 50 steps back.
        for (int i = 0; i < 60; ++i) m_window->setSelection(select::Selection::from_ids({i}, 121));
        for (int i = 0; i < 50; ++i) QVERIFY(m_window->undoSelection());
        QCOMPARE(m_window->selection().ids(), (std::vector<std::int64_t>{9}));
        // Tools by key.
        QTest::keyClick(view(), Qt::Key_L);
        QCOMPARE(view()->tool(), ui::ScatterView::Tool::Lasso);
        QTest::keyClick(view(), Qt::Key_B);
        QCOMPARE(view()->tool(), ui::ScatterView::Tool::Box);
    }

    void hiddenClassesAreNotPickedAndColoursFade() {
        // Hide the odd columns: a box over everything selects the even ones only.
        QTreeWidget* tree = legendTree(m_window.get());
        QVERIFY(tree);
        tree->topLevelItem(1)->setCheckState(0, Qt::Unchecked);
        QTRY_COMPARE(view()->visibleCount(), std::size_t(66));
        boxAround(0, 10, 0, 10);
        QCOMPARE(m_window->selection().count(), std::int64_t(66));
        for (std::int64_t i : m_window->selection().ids()) QCOMPARE((i % 11) % 2, std::int64_t(0));
        // Select one point: the others fade towards the white background; it keeps its colour
        // and is drawn last, on top.
        tree->topLevelItem(1)->setCheckState(0, Qt::Checked);
        m_window->setSelection(select::Selection::from_ids({61}, 121));  // x = 6: even
        const ui::Rgb even = ui::categoricalColor(0, 2);
        const auto selected = view()->pointColor(61), other = view()->pointColor(63);
        QCOMPARE(int(selected[0]), int(even.r));
        QCOMPARE(int(selected[2]), int(even.b));
        const double d = m_window->dimming();
        QCOMPARE(int(other[0]), int(std::lround(even.r * (1 - d) + 255 * d)));
        QCOMPARE(view()->emphasis().size(), std::size_t(121));
        QVERIFY(view()->emphasis()[61] && !view()->emphasis()[60]);
        QTest::keyClick(view(), Qt::Key_Escape);
        QCOMPARE(int(view()->pointColor(63)[0]), int(even.r));
        QVERIFY(view()->emphasis().empty());
    }

    void selectionSurvivesReRunsAndWorksIn3D() {
        boxAround(2, 4, 6, 8);
        const auto chosen = m_window->selection();
        // PCA to 3-D: the view turns into a rotating 3-D plot; the selection is about rows.
        auto* panel = m_window->reductionPanel();
        panel->setMethod(ui::ReductionPanel::Method::Pca);
        auto* dims = panel->findChild<QSpinBox*>(QStringLiteral("reductionDims"));
        QVERIFY(dims);
        dims->setValue(3);
        QSignalSpy finished(m_window->reduction(), &ui::ReductionController::runFinished);
        m_window->reduction()->run();
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 20000);
        QVERIFY(view()->isThreeD());
        QVERIFY(m_window->selection() == chosen);
        QVERIFY(view()->emphasis()[std::size_t(chosen.ids().front())]);
        // Rotate a little, then box the middle of the screen: exactly the points whose projection
        // through the current camera falls inside, as the core computes them.
        view()->renderer()->GetActiveCamera()->Azimuth(30);
        view()->renderer()->GetActiveCamera()->Elevation(20);
        view()->update();
        QTest::qWait(50);
        const QPointF c(view()->width() / 2.0, view()->height() / 2.0);
        const QPointF a = c - QPointF(80, 60), b = c + QPointF(80, 60);
        drag({a, c, b});
        const auto got = m_window->selection();
        QVERIFY(got.count() > 0 && got.count() < 121);
        QCOMPARE(got.ids(), select::inside_polygon(view()->coordinates(), 121, 3, view()->projection(),
                                                   select::box(a.x(), a.y(), b.x(), b.y()))
                                .ids());
        for (std::int64_t i : got.ids()) {
            const QPointF p = view()->widgetPosition(std::size_t(i));
            QVERIFY(p.x() >= a.x() - 1e-6 && p.x() <= b.x() + 1e-6 && p.y() >= a.y() - 1e-6 && p.y() <= b.y() + 1e-6);
        }
        keepScreenshot(m_window->grab().toImage(), "selection_3d_box");
    }

    void selectionBecomesANamedGroup() {
        boxAround(2, 4, 6, 8);
        const auto chosen = m_window->selection();
        QSignalSpy made(m_window.get(), &ui::MainWindow::groupMade);
        m_window->makeGroup(QStringLiteral("corner"));
        QTRY_COMPARE(made.count(), 1);
        const auto column = m_window->dataset()->find_metadata("groups");
        QVERIFY(column.has_value());
        const data::MetadataColumn& groups = m_window->dataset()->metadata[*column];
        QCOMPARE(groups.categories, (std::vector<std::string>{"corner"}));
        for (std::int64_t i = 0; i < 121; ++i) QCOMPARE(groups.codes[std::size_t(i)], chosen.contains(i) ? 0 : -1);
        QCOMPARE(m_window->dataPanel()->colorColumn(), int(*column));  // coloured by groups now
        QVERIFY(m_window->selection() == chosen);                       // same rows, same selection
        QCOMPARE(m_window->dataset()->label()->name, std::string("parity"));
        // A second group takes its rows over from the first.
        boxAround(4, 5, 8, 8);
        m_window->makeGroup(QStringLiteral("edge"));
        QTRY_COMPARE(made.count(), 2);
        const data::MetadataColumn& again = m_window->dataset()->metadata[*m_window->dataset()->find_metadata("groups")];
        QCOMPARE(again.categories, (std::vector<std::string>{"corner", "edge"}));
        QCOMPARE(again.codes[std::size_t(11 * 8 + 4)], 1);
        QCOMPARE(again.codes[std::size_t(11 * 8 + 3)], 0);
        QCOMPARE(again.codes[std::size_t(11 * 8 + 5)], 1);
    }

    void searchAndTableAreLinkedToTheView() {
        auto* panel = m_window->selectionPanel();
        QVERIFY(panel);
        // Search by label: every odd column.
        panel->findEdit()->setText(QStringLiteral("odd"));
        panel->find(select::Mode::Replace);
        QCOMPARE(m_window->selection().count(), std::int64_t(55));
        for (std::int64_t i : m_window->selection().ids()) QCOMPARE((i % 11) % 2, std::int64_t(1));
        QCOMPARE(panel->selection(), m_window->selection());
        // The search is undoable like any selection change.
        QVERIFY(m_window->undoSelection());
        QVERIFY(m_window->selection().empty());
        QVERIFY(m_window->redoSelection());
        // Rows chosen in the table are ringed on the plot.
        QTableView* table = panel->table();
        table->selectionModel()->select(table->model()->index(2, 0),
                                        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        const std::int64_t third = m_window->selection().ids()[2];
        QTRY_COMPARE(view()->markedPoints(), (std::vector<std::int64_t>{third}));
        // A point clicked on the plot becomes the table's current row.
        m_window->setSelectionTool(ui::ScatterView::Tool::Navigate);
        QTest::mouseClick(view(), Qt::LeftButton, Qt::ShiftModifier, at(4, 4).toPoint());
        QVERIFY(m_window->selection().contains(11 * 4 + 4));
        const QModelIndex current = table->currentIndex();
        QVERIFY(current.isValid());
        QCOMPARE(current.sibling(current.row(), 0).data().toString(), QStringLiteral("48"));
        // ... and the Point tab shows it: its label and its features.
        QCOMPARE(panel->inspector()->row(), std::int64_t(48));
        QVERIFY(panel->inspector()->title()->text().contains(QStringLiteral("even")));
        const auto found = panel->inspector()->values()->findItems(QStringLiteral("x"), Qt::MatchExactly, 0);
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.front()->text(1), QStringLiteral("4"));
    }

    void nearestNeighboursAreRinged() {
        // Blobs: a point's 10 nearest neighbours in feature space are in its own blob.
        const auto ds = smallBlobs();
        m_window->setDataset(ds, QStringLiteral("blobs"));
        QTRY_COMPARE(m_window->dataset(), ds);
        QVERIFY(m_window->selection().empty() && m_window->selection().size() == ds->n);
        QSignalSpy shown(m_window.get(), &ui::MainWindow::neighboursShown);
        m_window->showNeighbours(17, 10);
        QTRY_COMPARE(shown.count(), 1);
        const auto want = metrics::nearest_rows(ds->features.data(), ds->n, ds->d, 17, 10);
        QCOMPARE(view()->markedPoints(), want);
        QCOMPARE(view()->focusPoint(), std::int64_t(17));
        const auto& label = ds->label()->codes;
        for (std::int64_t i : want) QCOMPARE(label[std::size_t(i)], label[17]);
        // The rings are drawn: dark pixels around the point in the frame.
        QVERIFY(view()->findChild<QWidget*>(QStringLiteral("selectionOverlay"))->isVisible());
        keepScreenshot(m_window->grab().toImage(), "selection_neighbours");
        QTest::keyClick(view(), Qt::Key_Escape);
        QVERIFY(view()->markedPoints().empty());
    }
};

QTEST_MAIN(TestSelectionView)
#include "tst_selection_view.moc"
