// The Columns dialog and column roles in the window (issue 15): UCI wine's class column becomes
// the label (13 features, 3 classes) from the dialog or from the offer made when the file is
// opened; the choice is remembered per file and carried by sessions.
#include "MainWindow.h"
#include "model/Document.h"
#include "panels/ColumnsDialog.h"
#include "session/Session.h"

#include <QAction>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <memory>

using namespace latentscape;

class TestColumns : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_wine;      // wine_data.csv: a preamble line, no header, the class last (col14)
    QString m_cultivar;  // UCI's layout: 'cultivar' (1..3) first, then the 13 features

    std::unique_ptr<ui::MainWindow> openWindow() {
        auto w = std::make_unique<ui::MainWindow>();
        w->resize(1000, 700);
        w->show();
        if (!QTest::qWaitForWindowExposed(w.get())) return nullptr;
        return w;
    }
    static QMessageBox* offerOf(ui::MainWindow* w) {
        return w->findChild<QMessageBox*>(QStringLiteral("columnRolesOffer"), Qt::FindDirectChildrenOnly);
    }
    static ui::ColumnsDialog* dialogOf(ui::MainWindow* w) {
        for (auto* d : w->findChildren<ui::ColumnsDialog*>(QString(), Qt::FindDirectChildrenOnly))
            if (d->isVisible()) return d;
        return nullptr;
    }
    static bool hasWineShape(const ui::MainWindow& w, std::int64_t d) {
        return w.dataset() && w.dataset()->n == 178 && w.dataset()->d == d && !w.isLoading();
    }
    static void checkLabelled(const ui::MainWindow& w, const std::string& name) {
        const data::MetadataColumn* label = w.dataset()->label();
        QVERIFY(label);
        QCOMPARE(label->name, name);
        QCOMPARE(label->kind, data::ColumnKind::Categorical);
        QCOMPARE(label->categories.size(), std::size_t(3));
        QVERIFY(std::find(w.dataset()->feature_names.begin(), w.dataset()->feature_names.end(), name) ==
                w.dataset()->feature_names.end());
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);  // keep QSettings away from the user's files
        QVERIFY(m_dir.isValid());
        m_wine = m_dir.filePath(QStringLiteral("wine_data.csv"));
        m_cultivar = m_dir.filePath(QStringLiteral("wine.csv"));
        QVERIFY(QFile::copy(QStringLiteral(LATENTSCAPE_TEST_DATA "/text/wine_data.csv"), m_wine));
        QVERIFY(QFile::copy(QStringLiteral(LATENTSCAPE_TEST_DATA "/text/wine_cultivar.csv"), m_cultivar));
    }
    void init() { QSettings().clear(); }

    void dialogListsTheColumnsAndItsLabelLoads() {
        auto w = openWindow();
        QVERIFY(w);
        ui::ColumnsDialog dialog(m_wine, {}, w.get());
        // Read as it is, the preamble "178,13,class_0,..." makes the rows ragged: the dialog says so.
        QVERIFY2(dialog.errorText().contains(QStringLiteral("ragged")), qPrintable(dialog.errorText()));
        QVERIFY(!dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->isEnabled());
        // One row to skip, and the 14 columns are there, the last one a class.
        dialog.findChild<QSpinBox*>(QStringLiteral("skipRows"))->setValue(1);
        QCOMPARE(dialog.errorText(), QString());
        QStringList expected;
        for (int c = 1; c <= 14; ++c) expected << QStringLiteral("col%1").arg(c);
        QCOMPARE(dialog.columnNames(), expected);
        QVERIFY2(dialog.columnType(QStringLiteral("col14")).contains(QStringLiteral("integers, 3 values")),
                 qPrintable(dialog.columnType(QStringLiteral("col14"))));
        QVERIFY(dialog.columnType(QStringLiteral("col14")).contains(QStringLiteral("looks like a class")));
        QVERIFY(!dialog.columnType(QStringLiteral("col5")).contains(QStringLiteral("class")));  // magnesium
        QCOMPARE(dialog.role(QStringLiteral("col14")), data::ColumnRole::Feature);
        QCOMPARE(dialog.findChild<QTableWidget*>(QStringLiteral("preview"))->item(0, 0)->text(), QStringLiteral("14.23"));
        QVERIFY(dialog.options().roles.empty());
        QCOMPARE(dialog.options().skip_rows, 1);

        // The role combo, as a user picks it.
        auto* combo = dialog.findChild<QComboBox*>(QStringLiteral("role_col14"));
        QVERIFY(combo);
        combo->setCurrentIndex(combo->findText(QStringLiteral("Label")));
        QCOMPARE(dialog.role(QStringLiteral("col14")), data::ColumnRole::Label);
        const data::LoadOptions chosen = dialog.options();
        QCOMPARE(chosen.roles.size(), std::size_t(1));
        QCOMPARE(chosen.roles.at("col14"), data::ColumnRole::Label);
        QVERIFY(dialog.findChild<QLabel*>(QStringLiteral("summary"))->text().contains(QStringLiteral("13 features")));

        w->loadFile(m_wine, chosen);
        QTRY_VERIFY_WITH_TIMEOUT(hasWineShape(*w, 13), 20000);
        checkLabelled(*w, "col14");
        QCOMPARE(w->document()->loadOptions().roles, chosen.roles);
    }

    void columnsActionReloadsAndIsRemembered() {
        auto w = openWindow();
        QVERIFY(w);
        data::LoadOptions preamble;
        preamble.skip_rows = 1;
        w->loadFile(m_wine, preamble);
        QTRY_VERIFY_WITH_TIMEOUT(hasWineShape(*w, 14), 20000);  // the class is a feature
        QVERIFY(!offerOf(w.get()));  // a layout chosen by the caller: no offer

        // File > Columns… on the open file: mark the class as the label and load.
        auto* action = w->findChild<QAction*>(QStringLiteral("columnsAction"));
        QVERIFY(action);
        action->trigger();
        ui::ColumnsDialog* dialog = dialogOf(w.get());
        QVERIFY(dialog);
        QCOMPARE(dialog->columnNames().size(), 14);
        QVERIFY(dialog->setRole(QStringLiteral("col14"), data::ColumnRole::Label));
        dialog->accept();
        QTRY_VERIFY_WITH_TIMEOUT(hasWineShape(*w, 13), 20000);
        checkLabelled(*w, "col14");

        // Remembered for the file: opening it again, with no options, gives the same columns.
        const auto remembered = ui::ColumnsDialog::remembered(m_wine);
        QVERIFY(remembered);
        QCOMPARE(remembered->skip_rows, 1);
        QCOMPARE(remembered->roles.at("col14"), data::ColumnRole::Label);
        w.reset();
        auto again = openWindow();
        QVERIFY(again);
        again->loadFile(m_wine);
        QTRY_VERIFY_WITH_TIMEOUT(hasWineShape(*again, 13), 20000);
        checkLabelled(*again, "col14");

        // And forgotten: the same call reads the file as it is (the preamble breaks it).
        ui::ColumnsDialog::forget(m_wine);
        QSignalSpy failed(again.get(), &ui::MainWindow::loadFailed);
        again->loadFile(m_wine);
        QVERIFY(failed.wait(20000));
    }

    void offerOnOpeningMakesTheClassTheLabel() {
        auto w = openWindow();
        QVERIFY(w);
        w->loadFile(m_cultivar);
        // It loads as it is meanwhile: the class is a 14th feature...
        QTRY_VERIFY_WITH_TIMEOUT(hasWineShape(*w, 14), 20000);
        // ...and the window asks about it (once it has looked at the columns: in a slow build the
        // data can be on screen before the question).
        QTRY_VERIFY_WITH_TIMEOUT(offerOf(w.get()), 20000);
        QMessageBox* offer = offerOf(w.get());
        QVERIFY(offer);
        QVERIFY2(offer->text().contains(QStringLiteral("“cultivar” looks like a class")), qPrintable(offer->text()));
        offer->findChild<QPushButton*>(QStringLiteral("useAsLabel"))->click();
        QTRY_VERIFY_WITH_TIMEOUT(hasWineShape(*w, 13), 20000);
        checkLabelled(*w, "cultivar");
        QCOMPARE(w->dataset()->label()->categories, (std::vector<std::string>{"1", "2", "3"}));
        QCOMPARE(w->dataset()->feature_names.front(), std::string("alcohol"));

        // Reopened: remembered, no second offer.
        w->loadFile(m_cultivar);
        QTRY_VERIFY_WITH_TIMEOUT(!w->isLoading(), 20000);
        QVERIFY(hasWineShape(*w, 13));
        QTRY_VERIFY(!offerOf(w.get()));
        QTest::qWait(100);
        QVERIFY(!offerOf(w.get()));
    }

    void declinedOfferIsNotRepeated() {
        auto w = openWindow();
        QVERIFY(w);
        w->loadFile(m_cultivar);
        QTRY_VERIFY_WITH_TIMEOUT(offerOf(w.get()) && hasWineShape(*w, 14), 20000);
        offerOf(w.get())->findChild<QPushButton*>(QStringLiteral("keepAsFeature"))->click();
        QTRY_VERIFY(!offerOf(w.get()));
        w->loadFile(m_cultivar);
        QTRY_VERIFY_WITH_TIMEOUT(hasWineShape(*w, 14), 20000);
        QTest::qWait(100);
        QVERIFY(!offerOf(w.get()));
        // The offer's Columns… button opens the dialog with the class preset as the label.
        ui::ColumnsDialog::forget(m_cultivar);
        w->loadFile(m_cultivar);
        QTRY_VERIFY_WITH_TIMEOUT(offerOf(w.get()), 20000);
        offerOf(w.get())->findChild<QPushButton*>(QStringLiteral("openColumns"))->click();
        QTRY_VERIFY(dialogOf(w.get()));
        QCOMPARE(dialogOf(w.get())->role(QStringLiteral("cultivar")), data::ColumnRole::Label);
        dialogOf(w.get())->accept();
        QTRY_VERIFY_WITH_TIMEOUT(hasWineShape(*w, 13), 20000);
        checkLabelled(*w, "cultivar");
    }

    void sessionReopensWithTheSameRoles() {
        auto a = openWindow();
        QVERIFY(a);
        data::LoadOptions options;
        options.roles["cultivar"] = data::ColumnRole::Label;
        options.roles["proline"] = data::ColumnRole::Metadata;
        options.roles["hue"] = data::ColumnRole::Ignore;
        a->loadFile(m_cultivar, options);
        QTRY_VERIFY_WITH_TIMEOUT(hasWineShape(*a, 11), 20000);
        const QString path = m_dir.filePath(QStringLiteral("wine.latentscape"));
        QCOMPARE(a->saveSession(path), QString());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject roles = QJsonDocument::fromJson(file.readAll())
                                      .object()[QStringLiteral("dataset")][QStringLiteral("load_options")][QStringLiteral("roles")]
                                      .toObject();
        QCOMPARE(roles.value(QStringLiteral("cultivar")).toString(), QStringLiteral("label"));
        QCOMPARE(roles.value(QStringLiteral("hue")).toString(), QStringLiteral("ignore"));
        a.reset();

        QSettings().clear();  // nothing remembered: the session alone carries the roles
        auto b = openWindow();
        QVERIFY(b);
        QSignalSpy opened(b.get(), &ui::MainWindow::sessionOpened);
        b->openSession(path);
        QVERIFY(opened.wait(20000));
        QVERIFY(hasWineShape(*b, 11));
        checkLabelled(*b, "cultivar");
        QVERIFY(b->dataset()->find_metadata("proline"));
        QVERIFY(!b->dataset()->find_metadata("hue"));
        QCOMPARE(b->document()->loadOptions().roles, options.roles);
        QVERIFY(!offerOf(b.get()));

        // A session written before roles existed (no load_options) still reads, with the defaults.
        ui::Session s = ui::readSession(path);
        s.loadOptions = {};
        QVERIFY(ui::loadOptionsToJson(s.loadOptions).isEmpty());
        QCOMPARE(ui::loadOptionsFromJson({}, QStringLiteral("x")).roles.size(), std::size_t(0));
        QVERIFY_THROWS_EXCEPTION(ui::SessionError,
                                 ui::loadOptionsFromJson(QJsonObject{{QStringLiteral("roles"),
                                                                      QJsonObject{{QStringLiteral("a"), QStringLiteral("colour")}}}},
                                                         QStringLiteral("session.dataset.load_options")));
    }
};

QTEST_MAIN(TestColumns)
#include "tst_columns.moc"
