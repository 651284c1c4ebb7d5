// The Selection dock on its own, with real widgets: the table lists exactly the selected rows and
// sorts numbers as numbers; table <-> view linking; the Find bar (plain text, regular expressions,
// Enter / Shift+Enter); the composition chart's counts, order and colours; the feature contrast
// (and a stale result dropped); the image grid; the group dialog; and the search's time on 70,000
// rows, which runs on the GUI thread.
#include "data/load.h"
#include "panels/CompositionChart.h"
#include "panels/RowSearch.h"
#include "panels/SelectionPanel.h"
#include "panels/SelectionTableModel.h"
#include "panels/ThumbnailModel.h"
#include "vtk/ColorMaps.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMainWindow>
#include <QPushButton>
#include <QSemaphore>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QThreadPool>
#include <QTimer>
#include <QTreeWidget>
#include <QtTest>

#include <atomic>
#include <cmath>
#include <functional>
#include <memory>
#include <numeric>
#include <random>

using namespace latentscape;
using ui::SelectionPanel;

namespace {

constexpr int featureThatDiffers = 5;

// 200 rows: a categorical label "fruit" (40 apple, 100 banana, 60 cherry: the largest is not the
// first code), a text column, a numeric column with missing values and values that sort
// differently as text (9.5 < 10.5), a "cluster" and a "groups" column stored after them, 8 features
// of noise except feature 5, which is 5 higher in rows 0..49, and 8 x 8 grey images.
std::shared_ptr<const data::Dataset> fruits(std::int64_t n = 200, bool images = true) {
    auto ds = std::make_shared<data::Dataset>();
    ds->n = n;
    ds->d = 8;
    ds->features.resize(std::size_t(n * ds->d));
    std::mt19937 rng(11);
    std::normal_distribution<float> noise;
    for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t j = 0; j < ds->d; ++j)
            ds->features[std::size_t(i * ds->d + j)] = noise(rng) + (j == featureThatDiffers && i < 50 ? 5.0f : 0.0f);
    for (int j = 0; j < ds->d; ++j) ds->feature_names.push_back("f" + std::to_string(j));
    std::vector<std::int32_t> fruit(static_cast<std::size_t>(n)), cluster(static_cast<std::size_t>(n)), groups(static_cast<std::size_t>(n), -1);
    std::vector<std::string> notes(static_cast<std::size_t>(n));
    std::vector<double> weight(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
        const auto k = std::size_t(i);
        const std::int64_t m = i % 10;
        fruit[k] = m < 2 ? 0 : m < 7 ? 1 : 2;
        cluster[k] = std::int32_t(i % 4);
        if (i < 20) groups[k] = 0;
        notes[k] = "item-" + std::to_string(i);
        weight[k] = i % 7 == 3 ? std::nan("") : double((i * 37) % 101) + 0.5;
    }
    ds->metadata.push_back(data::MetadataColumn::text("note", std::move(notes)));
    ds->metadata.push_back(data::MetadataColumn::categorical("fruit", std::move(fruit), {"apple", "banana", "cherry"}));
    ds->metadata.push_back(data::MetadataColumn::numeric("weight", std::move(weight)));
    ds->metadata.push_back(data::MetadataColumn::categorical("groups", std::move(groups), {"Group 1"}));
    ds->metadata.push_back(data::MetadataColumn::categorical("cluster", std::move(cluster), {"c0", "c1", "c2", "c3"}));
    ds->label_column = 1;
    if (images) {
        ds->images.width = 8;
        ds->images.height = 8;
        ds->images.channels = 1;
        ds->images.pixels.resize(std::size_t(n * 64));
        for (std::int64_t i = 0; i < n; ++i)
            for (int p = 0; p < 64; ++p) ds->images.pixels[std::size_t(i * 64 + p)] = std::uint8_t((i * 3 + p * 4) % 256);
    }
    ds->source = "fruits";
    ds->format = "synthetic";
    ds->check_consistent();
    return ds;
}

select::Selection rowsWhere(const data::Dataset& ds, const std::function<bool(std::int64_t)>& keep) {
    select::Selection s(ds.n);
    for (std::int64_t i = 0; i < ds.n; ++i) s.set(i, keep(i));
    return s;
}

// Dataset rows of the table in view (proxy) order.
std::vector<std::int64_t> tableRows(const SelectionPanel& panel) {
    std::vector<std::int64_t> rows;
    const QAbstractItemModel* model = panel.table()->model();
    for (int r = 0; r < model->rowCount(); ++r)
        rows.push_back(model->index(r, 0).data(ui::SelectionTableModel::RowRole).toLongLong());
    return rows;
}

QStringList headers(const SelectionPanel& panel) {
    QStringList titles;
    const QAbstractItemModel* model = panel.table()->model();
    for (int c = 0; c < model->columnCount(); ++c) titles << model->headerData(c, Qt::Horizontal).toString();
    return titles;
}

void keepScreenshot(const QImage& image, const QString& name) {
    QStringList dirs{QStringLiteral(QT_TESTCASE_BUILDDIR "/screenshots")};
    if (qEnvironmentVariableIsSet("LATENTSCAPE_SCREENSHOTS")) dirs << qEnvironmentVariable("LATENTSCAPE_SCREENSHOTS");
    for (const QString& dir : dirs) {
        QDir().mkpath(dir);
        const QString path = dir + QLatin1Char('/') + name + QStringLiteral(".png");
        if (image.save(path)) qInfo("screenshot: %s", qPrintable(path));
    }
}

// Fills in and accepts (or cancels) the next modal QInputDialog: QInputDialog::getText runs its own
// event loop, so the timer acts from inside it.
void answerNextInputDialog(const QString& text, bool accept, bool* seen) {
    auto* timer = new QTimer;
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, [timer, text, accept, seen] {
        auto* dialog = qobject_cast<QInputDialog*>(QApplication::activeModalWidget());
        if (!dialog) return;
        *seen = true;
        if (accept) {
            dialog->setTextValue(text);
            dialog->accept();
        } else {
            dialog->reject();
        }
        timer->deleteLater();
    });
    timer->start();
}

}  // namespace

class TestSelectionPanel : public QObject {
    Q_OBJECT

    std::unique_ptr<QMainWindow> m_window;
    SelectionPanel* m_panel = nullptr;

    SelectionPanel& panel() { return *m_panel; }

private slots:
    void init() {
        m_window = std::make_unique<QMainWindow>();
        m_window->setCentralWidget(new QWidget);
        m_panel = new SelectionPanel(m_window.get());
        m_window->addDockWidget(Qt::RightDockWidgetArea, m_panel);
        m_window->resize(1100, 750);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanup() {
        m_window.reset();
        m_panel = nullptr;
    }

    void emptyState() {
        QCOMPARE(panel().objectName(), QStringLiteral("selectionPanel"));
        QCOMPARE(panel().windowTitle(), QStringLiteral("Selection"));
        QCOMPARE(panel().table()->model()->rowCount(), 0);
        QVERIFY(!panel().groupButton()->isEnabled());
        QVERIFY(!panel().findEdit()->isEnabled());
        panel().setSelection(select::Selection(5));  // no dataset: ignored
        QCOMPARE(panel().selection().count(), std::int64_t(0));
    }

    void tableShowsExactlyTheSelectedRows() {
        const auto ds = fruits();
        panel().setDataset(ds);
        QCOMPARE(headers(panel()), (QStringList{"id", "fruit", "cluster", "group", "note", "weight", "f0", "f1", "f2",
                                                "f3", "f4", "f5", "f6", "f7"}));
        const std::vector<std::int64_t> picked{3, 17, 42, 199};
        panel().setSelection(select::Selection::from_ids(picked, ds->n));
        QCOMPARE(tableRows(panel()), picked);
        const QAbstractItemModel* model = panel().table()->model();
        QCOMPARE(model->index(2, 0).data().toString(), QStringLiteral("42"));
        QCOMPARE(model->index(2, 1).data().toString(), QStringLiteral("banana"));  // 42 % 10 = 2
        QCOMPARE(model->index(2, 1).data(Qt::DecorationRole).value<QColor>(), ui::categoricalColor(1, 3).toQColor());
        QCOMPARE(model->index(2, 3).data().toString(), QString());                 // not in a group
        QCOMPARE(model->index(0, 3).data().toString(), QStringLiteral("Group 1"));
        QCOMPARE(model->index(1, 4).data().toString(), QStringLiteral("item-17"));
        QCOMPARE(model->index(0, 5).data().toString(), QString());  // 3 % 7 == 3: missing
        QCOMPARE(model->index(2, 5).data().toString(), QStringLiteral("39.5"));  // 42 * 37 % 101 = 39
        QCOMPARE(model->index(1, 6 + featureThatDiffers).data().toString(),
                 QString::number(ds->at(17, featureThatDiffers), 'g', 5));
        QCOMPARE(panel().countLabel()->text(), QStringLiteral("4 of 200 rows selected"));
        QVERIFY(panel().groupButton()->isEnabled());

        // Another selection replaces the rows; a selection of another size lists none.
        panel().setSelection(select::Selection::from_ids({0, 1}, ds->n));
        QCOMPARE(tableRows(panel()), (std::vector<std::int64_t>{0, 1}));
        panel().setSelection(select::Selection::from_ids({0, 1}, ds->n + 1));
        QCOMPARE(panel().table()->model()->rowCount(), 0);
        QVERIFY(!panel().groupButton()->isEnabled());
    }

    void sortsNumbersAsNumbers() {
        const auto ds = fruits();
        panel().setDataset(ds);
        panel().setSelection(select::Selection::all(ds->n));
        panel().tabs()->setCurrentIndex(0);
        QHeaderView* header = panel().table()->horizontalHeader();
        const int weightColumn = panel().tableModel()->columnOf(QStringLiteral("weight"));
        QVERIFY(weightColumn > 0);
        panel().table()->scrollTo(panel().table()->model()->index(0, weightColumn));
        const QPoint at(header->sectionViewportPosition(weightColumn) + header->sectionSize(weightColumn) / 2,
                        header->height() / 2);
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, at);
        QCOMPARE(header->sortIndicatorSection(), weightColumn);
        QCOMPARE(header->sortIndicatorOrder(), Qt::AscendingOrder);

        const data::MetadataColumn& weight = ds->metadata[2];
        std::vector<std::int64_t> expected(std::size_t(ds->n));
        std::iota(expected.begin(), expected.end(), 0);
        std::stable_sort(expected.begin(), expected.end(), [&](std::int64_t a, std::int64_t b) {
            const double x = weight.numbers[std::size_t(a)], y = weight.numbers[std::size_t(b)];
            if (std::isnan(x)) return false;
            if (std::isnan(y)) return true;
            return x < y;
        });
        const std::vector<std::int64_t> rows = tableRows(panel());
        QCOMPARE(rows, expected);
        // 9.5 before 10.5 (as text "10.5" < "9.5"); missing values last.
        QVERIFY(std::isnan(weight.numbers[std::size_t(rows.back())]));
        QCOMPARE(panel().table()->model()->index(0, weightColumn).data().toString(), QStringLiteral("0.5"));

        // Sorting survives a new selection: the new rows come sorted too.
        panel().setSelection(select::Selection::from_ids({11, 12, 13, 14}, ds->n));  // 3.5, 40.5, 77.5, 13.5
        QCOMPARE(tableRows(panel()), (std::vector<std::int64_t>{11, 14, 12, 13}));

        // Descending on a second click; a categorical column sorts by its legend order.
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, at);
        QCOMPARE(tableRows(panel()), (std::vector<std::int64_t>{13, 12, 14, 11}));
        panel().table()->sortByColumn(panel().tableModel()->columnOf(QStringLiteral("fruit")), Qt::AscendingOrder);
        panel().setSelection(select::Selection::from_ids({7, 12, 20}, ds->n));  // cherry, banana, apple
        QCOMPARE(tableRows(panel()), (std::vector<std::int64_t>{20, 12, 7}));
        panel().table()->sortByColumn(panel().tableModel()->columnOf(QStringLiteral("fruit")), Qt::DescendingOrder);
        QCOMPARE(tableRows(panel()), (std::vector<std::int64_t>{7, 12, 20}));
    }

    void tableSelectionHighlightsRows() {
        const auto ds = fruits();
        panel().setDataset(ds);
        panel().setSelection(select::Selection::from_ids({5, 6, 7, 50, 60}, ds->n));
        panel().tabs()->setCurrentIndex(0);
        QSignalSpy spy(&panel(), &SelectionPanel::tableRowsSelected);
        QTableView* table = panel().table();
        const auto click = [&](int row, Qt::KeyboardModifiers modifiers) {
            const QRect cell = table->visualRect(table->model()->index(row, 0));
            QTest::mouseClick(table->viewport(), Qt::LeftButton, modifiers, cell.center());
        };
        click(3, {});
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.last().at(0).value<std::vector<std::int64_t>>(), (std::vector<std::int64_t>{50}));
        click(1, Qt::ControlModifier);
        QCOMPARE(spy.last().at(0).value<std::vector<std::int64_t>>(), (std::vector<std::int64_t>{6, 50}));
    }

    void currentRowFollowsTheView() {
        const auto ds = fruits();
        panel().setDataset(ds);
        panel().setSelection(rowsWhere(*ds, [](std::int64_t i) { return i % 2 == 0; }));
        panel().table()->sortByColumn(panel().tableModel()->columnOf(QStringLiteral("weight")), Qt::DescendingOrder);
        QSignalSpy spy(&panel(), &SelectionPanel::tableRowsSelected);
        panel().setCurrentRow(142);
        const QModelIndexList selected = panel().table()->selectionModel()->selectedRows();
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.first().data(ui::SelectionTableModel::RowRole).toLongLong(), 142);
        QCOMPARE(panel().table()->currentIndex().row(), selected.first().row());
        QVERIFY(panel().table()->viewport()->rect().intersects(panel().table()->visualRect(selected.first())));
        // Not selected (odd): the table's row selection is cleared. The link never echoes.
        panel().setCurrentRow(143);
        QVERIFY(panel().table()->selectionModel()->selectedRows().isEmpty());
        panel().setCurrentRow(-1);
        QCOMPARE(spy.count(), 0);
    }

    void findByExactLabel() {
        const auto ds = fruits();
        panel().setDataset(ds);
        QCOMPARE(panel().findColumnBox()->currentText(), QStringLiteral("fruit"));  // the label by default
        QSignalSpy spy(&panel(), &SelectionPanel::selectionRequested);
        QLineEdit* edit = panel().findEdit();
        edit->setFocus();
        QTest::keyClicks(edit, QStringLiteral(" Cherry "));  // case and surrounding spaces ignored
        QTest::keyClick(edit, Qt::Key_Return);
        QCOMPARE(spy.count(), 1);
        const auto cherry = rowsWhere(*ds, [](std::int64_t i) { return i % 10 >= 7; });
        QCOMPARE(spy.last().at(0).value<select::Selection>(), cherry);
        QCOMPARE(spy.last().at(1).value<select::Mode>(), select::Mode::Replace);
        QCOMPARE(panel().findStatus()->text(), QStringLiteral("60 rows match."));

        // Shift+Enter adds.
        edit->clear();
        QTest::keyClicks(edit, QStringLiteral("apple"));
        QTest::keyClick(edit, Qt::Key_Return, Qt::ShiftModifier);
        QCOMPARE(spy.count(), 2);
        QCOMPARE(spy.last().at(0).value<select::Selection>(), rowsWhere(*ds, [](std::int64_t i) { return i % 10 < 2; }));
        QCOMPARE(spy.last().at(1).value<select::Mode>(), select::Mode::Add);

        // Plain text is the whole value: "app" finds nothing, and nothing is asked for.
        edit->clear();
        QTest::keyClicks(edit, QStringLiteral("app"));
        QTest::keyClick(edit, Qt::Key_Enter);
        QCOMPARE(spy.count(), 2);
        QCOMPARE(panel().findStatus()->text(), QStringLiteral("No row matches."));

        // The Select button does what Enter does; numbers match by value; ids by the row number.
        panel().findColumnBox()->setCurrentIndex(panel().findColumnBox()->findText(QStringLiteral("weight")));
        edit->setText(QStringLiteral("23.50"));  // row 17 (missing) and row 118
        QTest::mouseClick(panel().findButton(), Qt::LeftButton);
        QCOMPARE(spy.count(), 3);
        QCOMPARE(spy.last().at(0).value<select::Selection>().ids(), (std::vector<std::int64_t>{118}));
        panel().findColumnBox()->setCurrentIndex(panel().findColumnBox()->findText(QStringLiteral("id")));
        edit->setText(QStringLiteral("199"));
        panel().find(select::Mode::Replace);
        QCOMPARE(spy.last().at(0).value<select::Selection>().ids(), (std::vector<std::int64_t>{199}));
    }

    void findByRegularExpression() {
        const auto ds = fruits();
        panel().setDataset(ds);
        QSignalSpy spy(&panel(), &SelectionPanel::selectionRequested);
        panel().findColumnBox()->setCurrentIndex(panel().findColumnBox()->findText(QStringLiteral("note")));
        panel().regexBox()->setChecked(true);
        QLineEdit* edit = panel().findEdit();
        edit->setText(QStringLiteral("^ITEM-1\\d$"));
        QTest::keyClick(edit, Qt::Key_Return);
        QCOMPARE(spy.count(), 1);
        std::vector<std::int64_t> teens(10);
        std::iota(teens.begin(), teens.end(), 10);
        QCOMPARE(spy.last().at(0).value<select::Selection>().ids(), teens);
        // Unanchored: matches anywhere in the value.
        edit->setText(QStringLiteral("9\\d$"));
        QTest::keyClick(edit, Qt::Key_Return, Qt::ShiftModifier);
        QCOMPARE(spy.last().at(0).value<select::Selection>(),
                 rowsWhere(*ds, [](std::int64_t i) { return (i >= 90 && i < 100) || (i >= 190); }));
        QCOMPARE(spy.last().at(1).value<select::Mode>(), select::Mode::Add);
        // Categories: once per category.
        panel().findColumnBox()->setCurrentIndex(panel().findColumnBox()->findText(QStringLiteral("fruit")));
        edit->setText(QStringLiteral("an|rr"));
        QTest::keyClick(edit, Qt::Key_Return);
        QCOMPARE(spy.last().at(0).value<select::Selection>(), rowsWhere(*ds, [](std::int64_t i) { return i % 10 >= 2; }));
        // Missing values are the empty text.
        panel().findColumnBox()->setCurrentIndex(panel().findColumnBox()->findText(QStringLiteral("weight")));
        edit->setText(QStringLiteral("^$"));
        QTest::keyClick(edit, Qt::Key_Return);
        QCOMPARE(spy.last().at(0).value<select::Selection>(), rowsWhere(*ds, [](std::int64_t i) { return i % 7 == 3; }));
        // A broken expression says why and asks for nothing.
        const int before = spy.count();
        edit->setText(QStringLiteral("item-(1"));
        QTest::keyClick(edit, Qt::Key_Return);
        QCOMPARE(spy.count(), before);
        QVERIFY2(panel().findStatus()->text().startsWith(QStringLiteral("Invalid regular expression")),
                 qPrintable(panel().findStatus()->text()));
        QVERIFY(panel().findStatus()->isVisible());
    }

    void buttonsAskForChanges() {
        const auto ds = fruits();
        panel().setDataset(ds);
        QSignalSpy invert(&panel(), &SelectionPanel::invertRequested);
        QSignalSpy clear(&panel(), &SelectionPanel::clearRequested);
        QVERIFY(panel().invertButton()->isEnabled());
        QVERIFY(!panel().clearButton()->isEnabled());  // nothing to clear
        QTest::mouseClick(panel().invertButton(), Qt::LeftButton);
        QCOMPARE(invert.count(), 1);
        panel().setSelection(select::Selection::from_ids({1}, ds->n));
        QTest::mouseClick(panel().clearButton(), Qt::LeftButton);
        QCOMPARE(clear.count(), 1);
    }

    void makeGroupAsksForAName() {
        const auto ds = fruits();
        panel().setDataset(ds);
        QVERIFY(!panel().groupButton()->isEnabled());
        panel().setSelection(select::Selection::from_ids({4, 9}, ds->n));
        QVERIFY(panel().groupButton()->isEnabled());
        QSignalSpy spy(&panel(), &SelectionPanel::groupRequested);

        // The real dialog: filled in and accepted from inside its event loop.
        bool seen = false;
        answerNextInputDialog(QStringLiteral("  Ripe ones "), true, &seen);
        QTest::mouseClick(panel().groupButton(), Qt::LeftButton);
        QVERIFY(seen);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.last().at(0).toString(), QStringLiteral("Ripe ones"));
        // Cancelled: nothing.
        seen = false;
        answerNextInputDialog(QString(), false, &seen);
        QTest::mouseClick(panel().groupButton(), Qt::LeftButton);
        QVERIFY(seen);
        QCOMPARE(spy.count(), 1);

        // An injected prompt; the suggestion skips names the "groups" column already has.
        QString suggested;
        panel().setGroupNamePrompt([&suggested](QWidget*, const QString& suggestion) {
            suggested = suggestion;
            return std::optional<QString>(QStringLiteral("Sweet"));
        });
        QTest::mouseClick(panel().groupButton(), Qt::LeftButton);
        QCOMPARE(suggested, QStringLiteral("Group 2"));
        QCOMPARE(spy.last().at(0).toString(), QStringLiteral("Sweet"));
    }

    void compositionCountsAndOrder() {
        const auto ds = fruits();
        panel().setDataset(ds);
        panel().tabs()->setCurrentIndex(1);
        QCOMPARE(panel().compositionColumnBox()->currentText(), QStringLiteral("fruit"));
        panel().setSelection(select::Selection::all(ds->n));
        const auto& bars = panel().compositionChart()->bars();
        QCOMPARE(bars.size(), std::size_t(3));
        QCOMPARE(bars[0].name, QStringLiteral("banana"));
        QCOMPARE(bars[0].count, std::int64_t(100));
        QCOMPARE(bars[1].name, QStringLiteral("cherry"));
        QCOMPARE(bars[1].count, std::int64_t(60));
        QCOMPARE(bars[2].name, QStringLiteral("apple"));
        QCOMPARE(bars[2].count, std::int64_t(40));
        // The plot's colours: category code c of 3.
        QCOMPARE(bars[0].color, ui::categoricalColor(1, 3).toQColor());
        QCOMPARE(bars[2].color, ui::categoricalColor(0, 3).toQColor());
        QCOMPARE(panel().compositionChart()->total(), std::int64_t(200));

        // Rows 0..29: apple 6, banana 15, cherry 9; by "groups": 20 in Group 1, 10 missing.
        panel().setSelection(rowsWhere(*ds, [](std::int64_t i) { return i < 30; }));
        QCOMPARE(bars.size(), std::size_t(3));
        QCOMPARE(bars[0].count, std::int64_t(15));
        QCOMPARE(bars[1].count, std::int64_t(9));
        QCOMPARE(bars[2].count, std::int64_t(6));
        QCOMPARE(panel().countLabel()->text(), QStringLiteral("30 of 200 rows selected"));
        panel().compositionColumnBox()->setCurrentIndex(panel().compositionColumnBox()->findText(QStringLiteral("groups")));
        QCOMPARE(bars.size(), std::size_t(2));
        QCOMPARE(bars[0].name, QStringLiteral("Group 1"));
        QCOMPARE(bars[0].count, std::int64_t(20));
        QCOMPARE(bars[1].name, QStringLiteral("(missing)"));
        QCOMPARE(bars[1].color, ui::missingColor().toQColor());

        // Many categories: the largest 11 and one bar for the rest.
        std::vector<ui::CompositionChart::Bar> many;
        for (int c = 0; c < 30; ++c) many.push_back({QString::number(c), c + 1, Qt::red});
        panel().compositionChart()->setBars(many, 465);
        QCOMPARE(bars.size(), std::size_t(ui::CompositionChart::maxBars));
        QCOMPARE(bars.front().count, std::int64_t(30));
        QCOMPARE(panel().compositionChart()->hiddenCategories(), 19);
        QCOMPARE(bars.back().count, std::int64_t(19 * 20 / 2 + 0));  // 1 + ... + 19
    }

    void contrastNamesTheFeatureThatDiffers() {
        const auto ds = fruits();
        panel().setDataset(ds);
        panel().tabs()->setCurrentIndex(1);
        QSignalSpy spy(&panel(), &SelectionPanel::contrastChanged);
        panel().setSelection(rowsWhere(*ds, [](std::int64_t i) { return i < 50; }));
        QVERIFY(panel().isComputingContrast());
        QCOMPARE(panel().contrastList()->topLevelItem(0)->text(0), QStringLiteral("—"));
        QTRY_VERIFY(!panel().isComputingContrast());
        QCOMPARE(spy.count(), 1);
        const auto& contrast = panel().contrast();
        QCOMPARE(contrast.size(), std::size_t(8));  // every feature: there are fewer than 10
        QCOMPARE(contrast.front().feature, std::int64_t(featureThatDiffers));
        QVERIFY(contrast.front().effect_size > 3.0);
        QVERIFY(std::abs(contrast[1].effect_size) < 1.0);
        QTreeWidget* list = panel().contrastList();
        QCOMPARE(list->topLevelItemCount(), int(contrast.size()));
        QCOMPARE(list->topLevelItem(0)->text(0), QStringLiteral("f5"));
        QVERIFY(list->topLevelItem(0)->text(3).startsWith(QLatin1Char('+')));

        // Nothing or everything selected: nothing to compare, and no work started.
        panel().setSelection(select::Selection::all(ds->n));
        QVERIFY(!panel().isComputingContrast());
        QVERIFY(panel().contrast().empty());
        QCOMPARE(list->topLevelItemCount(), 0);
        QVERIFY(panel().findChild<QLabel*>(QStringLiteral("contrastNote"))->text().contains(QStringLiteral("Every row")));
        panel().setSelection(select::Selection(ds->n));
        QVERIFY(!panel().isComputingContrast());
    }

    void staleContrastIsDropped() {
        // Two workers at least: the stale task blocks one while the newer one runs.
        QThreadPool::globalInstance()->setMaxThreadCount(std::max(2, QThreadPool::globalInstance()->maxThreadCount()));
        const auto ds = fruits();
        panel().setDataset(ds);
        // Each result names the selection it was computed for (feature = selected count).
        auto entered = std::make_shared<QSemaphore>();
        auto release = std::make_shared<QSemaphore>();
        auto staleDone = std::make_shared<std::atomic<bool>>(false);
        panel().setContrastFunction([entered, release, staleDone](const data::Dataset&, const select::Selection& s) {
            metrics::FeatureContrast f;
            f.feature = s.count();
            if (s.count() == 10) {  // the first, stale selection: held until the newer one is shown
                entered->release();
                release->acquire();
                staleDone->store(true);
            }
            return std::vector<metrics::FeatureContrast>{f};
        });
        QSignalSpy spy(&panel(), &SelectionPanel::contrastChanged);
        panel().setSelection(rowsWhere(*ds, [](std::int64_t i) { return i < 10; }));
        QVERIFY(entered->tryAcquire(1, 5000));
        panel().setSelection(rowsWhere(*ds, [](std::int64_t i) { return i < 20; }));
        QTRY_COMPARE(spy.count(), 1);
        QCOMPARE(panel().contrast().front().feature, std::int64_t(20));
        release->release();
        QTRY_VERIFY(staleDone->load());
        QTest::qWait(100);  // time for a stale result to arrive, if it could
        QCOMPARE(spy.count(), 1);
        QCOMPARE(panel().contrast().front().feature, std::int64_t(20));
        QVERIFY(!panel().isComputingContrast());
    }

    void imagesTab() {
        const auto ds = fruits(400);
        panel().setDataset(ds);
        QTabWidget* tabs = panel().tabs();
        QVERIFY(tabs->isTabVisible(2));
        QCOMPARE(tabs->tabText(2), QStringLiteral("Images"));
        const auto selection = rowsWhere(*ds, [](std::int64_t i) { return i % 8 != 0; });  // 350 rows
        panel().setSelection(selection);
        QCOMPARE(panel().thumbnailModel()->rowCount(), SelectionPanel::maxThumbnails);
        const std::vector<std::int64_t> ids = selection.ids();
        QCOMPARE(panel().thumbnailModel()->rows(),
                 std::vector<std::int64_t>(ids.begin(), ids.begin() + SelectionPanel::maxThumbnails));
        QCOMPARE(panel().findChild<QLabel*>(QStringLiteral("imagesNote"))->text(),
                 QStringLiteral("The first 300 of 350 selected images"));
        tabs->setCurrentIndex(2);
        QListView* view = panel().imageView();
        QCOMPARE(view->iconSize(), QSize(16, 16));  // 8 x 8 at twice the size
        const QModelIndex third = panel().thumbnailModel()->index(2);
        QCOMPARE(third.data(Qt::ToolTipRole).toString(), QStringLiteral("Row id 3\nfruit: banana"));
        const QImage image = third.data(Qt::DecorationRole).value<QPixmap>().toImage();
        QCOMPARE(image.size(), QSize(16, 16));
        QCOMPARE(qGray(image.pixel(3, 0)), int(ds->images.image(3)[1]));  // pixel (1, 0) doubled
        QSignalSpy spy(&panel(), &SelectionPanel::tableRowsSelected);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(third).center());
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.last().at(0).value<std::vector<std::int64_t>>(), (std::vector<std::int64_t>{3}));

        // No images: no tab.
        panel().setDataset(fruits(200, false));
        QVERIFY(!tabs->isTabVisible(2));
    }

    void newDatasetStartsOver() {
        const auto ds = fruits();
        panel().setDataset(ds);
        panel().setSelection(select::Selection::from_ids({1, 2, 3}, ds->n));
        panel().findEdit()->setText(QStringLiteral("x"));
        panel().findColumnBox()->setCurrentIndex(panel().findColumnBox()->findText(QStringLiteral("note")));
        const auto other = fruits(100, false);
        panel().setDataset(other);
        // The same columns (a copy with a new column, say): the chosen search column stays.
        QCOMPARE(panel().findColumnBox()->currentText(), QStringLiteral("note"));
        QCOMPARE(panel().selection().size(), std::int64_t(100));
        QCOMPARE(panel().selection().count(), std::int64_t(0));
        QCOMPARE(panel().table()->model()->rowCount(), 0);
        QCOMPARE(panel().countLabel()->text(), QStringLiteral("0 of 100 rows selected"));
        QVERIFY(panel().compositionChart()->bars().empty());
        panel().setDataset(nullptr);
        QCOMPARE(panel().countLabel()->text(), QStringLiteral("No dataset"));
        QCOMPARE(panel().table()->model()->columnCount(), 0);
    }

    // Fashion-MNIST-sized: 70,000 rows, a 10-class label, a text column and text ids. The search
    // runs on the GUI thread, so it must stay well under the 50 ms the event loop may stall.
    void searchTimeOn70kRows() {
        const std::int64_t n = 70000;
        auto ds = std::make_shared<data::Dataset>();
        ds->n = n;
        ds->d = 4;
        ds->features.assign(std::size_t(n * 4), 0.0f);
        ds->feature_names = {"a", "b", "c", "d"};
        const std::vector<std::string> classes{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                               "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
        std::vector<std::int32_t> codes(static_cast<std::size_t>(n));
        std::vector<std::string> texts(static_cast<std::size_t>(n));
        std::vector<double> numbers(static_cast<std::size_t>(n));
        ds->row_ids.resize(std::size_t(n));
        for (std::int64_t i = 0; i < n; ++i) {
            const auto k = std::size_t(i);
            codes[k] = std::int32_t((i * 7) % 10);
            texts[k] = "photo " + std::to_string(i) + " of a " + classes[std::size_t(codes[k])];
            numbers[k] = double(i % 1000) / 8.0;
            char id[16];
            std::snprintf(id, sizeof id, "fm-%06lld", static_cast<long long>(i));
            ds->row_ids[k] = id;
        }
        ds->metadata.push_back(data::MetadataColumn::categorical("label", std::move(codes), classes));
        ds->metadata.push_back(data::MetadataColumn::text("description", std::move(texts)));
        ds->metadata.push_back(data::MetadataColumn::numeric("score", std::move(numbers)));
        ds->label_column = 0;
        ds->check_consistent();

        struct Case {
            const char* what;
            int column;
            QString pattern;
            bool regex;
            std::int64_t expected;
        };
        const std::vector<Case> cases{
            {"label, plain", 0, QStringLiteral("sneaker"), false, n / 10},
            {"label, regex", 0, QStringLiteral("^s"), true, 3 * n / 10},
            {"text, plain", 1, QStringLiteral("photo 123 of a Ankle boot"), false, 0},
            {"text, plain hit", 1, QStringLiteral("PHOTO 126 OF A PULLOVER"), false, 1},
            {"text, regex", 1, QStringLiteral("shirt"), true, 2 * n / 10},
            {"text, regex anchored", 1, QStringLiteral("^photo 1\\d* of a (coat|bag)$"), true, -1},
            {"id, plain", ui::idSearchColumn, QStringLiteral("FM-012345"), false, 1},
            {"id, regex", ui::idSearchColumn, QStringLiteral("-0000\\d\\d$"), true, 100},
            {"number, plain", 2, QStringLiteral("12.5"), false, n / 1000},
            {"number, regex", 2, QStringLiteral("\\.125$"), true, -1},
        };
        for (const Case& c : cases) {
            double best = 1e9;
            std::int64_t found = 0;
            for (int repeat = 0; repeat < 3; ++repeat) {
                QElapsedTimer timer;
                timer.start();
                const ui::RowSearchResult r = ui::findRows(*ds, c.column, c.pattern, c.regex);
                best = std::min(best, double(timer.nsecsElapsed()) / 1e6);
                QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
                found = r.rows.count();
            }
            if (c.expected >= 0) QCOMPARE(found, c.expected);
            qInfo("find on 70,000 rows, %-22s %8.2f ms  (%lld rows)", c.what, best, static_cast<long long>(found));
            QVERIFY2(best < 500.0, c.what);  // generous: a loaded machine must not fail it
        }

        // The panel's own cost for a selection of 35,000 rows: table, chart, thumbnails, worker start.
        panel().setDataset(ds);
        QElapsedTimer timer;
        timer.start();
        panel().setSelection(rowsWhere(*ds, [](std::int64_t i) { return i % 2 == 0; }));
        const double setMs = double(timer.nsecsElapsed()) / 1e6;
        timer.restart();
        panel().table()->sortByColumn(panel().tableModel()->columnOf(QStringLiteral("description")), Qt::AscendingOrder);
        const double sortMs = double(timer.nsecsElapsed()) / 1e6;
        timer.restart();
        panel().table()->sortByColumn(panel().tableModel()->columnOf(QStringLiteral("score")), Qt::AscendingOrder);
        const double sortNumberMs = double(timer.nsecsElapsed()) / 1e6;
        timer.restart();
        panel().setSelection(rowsWhere(*ds, [](std::int64_t i) { return i % 2 == 1; }));  // sorted by score
        const double againMs = double(timer.nsecsElapsed()) / 1e6;
        qInfo("35,000 of 70,000 rows: first setSelection %.1f ms, sort by text %.1f ms, by number %.1f ms, "
              "next setSelection (sorted) %.1f ms",
              setMs, sortMs, sortNumberMs, againMs);
        QCOMPARE(panel().table()->model()->rowCount(), 35000);
        QTRY_VERIFY(!panel().isComputingContrast());
    }

    // Screenshots of the three tabs with Fashion-MNIST (the real files when installed, else bars).
    void screenshots() {
        std::shared_ptr<const data::Dataset> ds;
        const QString fashion = QStringLiteral("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz");
        if (QFileInfo::exists(fashion)) ds = std::make_shared<const data::Dataset>(data::load(fashion.toStdString()));
        else ds = fruits(400);
        panel().setDataset(ds);
        const data::MetadataColumn* label = ds->label();
        QVERIFY(label);
        // Footwear, and a few shirts: a selection a lasso could make.
        panel().setSelection(rowsWhere(*ds, [&](std::int64_t i) {
            const std::string v = label->value_string(std::size_t(i));
            return v == "Sneaker" || v == "Sandal" || v == "Ankle boot" || (v == "Shirt" && i % 9 == 0) ||
                   (ds->n < 1000 && i % 3 == 0);
        }));
        m_window->resize(1000, 820);
        m_panel->setFloating(true);
        m_panel->resize(620, 760);
        QTest::qWait(50);
        panel().tabs()->setCurrentIndex(1);
        QTRY_VERIFY(!panel().isComputingContrast());
        QTest::qWait(50);
        keepScreenshot(panel().grab().toImage(), QStringLiteral("selection-summary"));
        panel().tabs()->setCurrentIndex(0);
        panel().setCurrentRow(panel().tableModel()->rows().at(5));
        QTest::qWait(50);
        keepScreenshot(panel().grab().toImage(), QStringLiteral("selection-rows"));
        panel().tabs()->setCurrentIndex(2);
        QTest::qWait(50);
        keepScreenshot(panel().grab().toImage(), QStringLiteral("selection-images"));
        panel().findEdit()->setText(QStringLiteral("(boot"));
        panel().regexBox()->setChecked(true);
        panel().find(select::Mode::Replace);
        QTest::qWait(20);
        keepScreenshot(panel().grab().toImage(), QStringLiteral("selection-find-error"));
    }
};

QTEST_MAIN(TestSelectionPanel)
#include "tst_selection_panel.moc"
