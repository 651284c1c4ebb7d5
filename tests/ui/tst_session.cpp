// Sessions (issue 8): saving a view and reopening it gives the same framebuffer pixel for pixel;
// a moved dataset is asked for, a changed one is reported, corrupt and future-version session
// files give clear errors.
#include "gui_fixtures.h"

#include "ReductionController.h"
#include "data/write.h"
#include "panels/ReductionPanel.h"
#include "figure/FigureWriter.h"
#include "session/Session.h"
#include "session/SessionFigure.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QLineF>
#include <QProcess>

#include <vtkMatrix4x4.h>
#include <vtkNew.h>
#include <QStandardPaths>
#include <QJsonDocument>
#include <QJsonObject>

using namespace gui_fixtures;

class TestSession : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_data;  // blobs written as CSV (features + label)

    std::unique_ptr<ui::MainWindow> openWindow() {
        auto w = std::make_unique<ui::MainWindow>();
        w->resize(1000, 700);
        w->show();
        if (!QTest::qWaitForWindowExposed(w.get())) return nullptr;
        return w;
    }

    /// A window showing m_data with a PCA, a group, a hidden class, a selection and a moved camera.
    std::unique_ptr<ui::MainWindow> prepareView() {
        auto w = openWindow();
        if (!w) return nullptr;
        QSignalSpy changed(w.get(), &ui::MainWindow::datasetChanged);
        w->loadFile(m_data);
        if (!changed.wait(20000)) return nullptr;
        w->reductionPanel()->setMethod(ui::ReductionPanel::Method::Pca);
        QSignalSpy finished(w->reduction(), &ui::ReductionController::runFinished);
        w->reduction()->run();
        if (!finished.wait(20000)) return nullptr;
        w->setSelection(select::Selection::from_ids({3, 4, 5, 100, 101, 700}, w->dataset()->n));
        QSignalSpy grouped(w.get(), &ui::MainWindow::groupMade);
        w->makeGroup(QStringLiteral("picked"));
        if (!grouped.wait(20000)) return nullptr;
        w->setSelection(select::Selection::from_ids({10, 11, 12, 400, 401, 1200, 1300}, w->dataset()->n));
        // Colour by the label again, hide one class, zoom and pan.
        w->dataPanel()->setColorColumn(int(*w->dataset()->find_metadata("blob")));
        QTreeWidget* tree = legendTree(w.get());
        tree->topLevelItem(2)->setCheckState(0, Qt::Unchecked);
        vtkCamera* camera = w->scatterView()->renderer()->GetActiveCamera();
        camera->Zoom(1.4);
        double focal[3];
        camera->GetFocalPoint(focal);
        camera->SetFocalPoint(focal[0] + 0.3, focal[1] - 0.2, focal[2]);
        double position[3];
        camera->GetPosition(position);
        camera->SetPosition(position[0] + 0.3, position[1] - 0.2, position[2]);
        w->scatterView()->update();
        QTest::qWait(50);
        return w;
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);  // the autosave goes to a test folder
        QVERIFY(m_dir.isValid());
        m_data = m_dir.filePath(QStringLiteral("blobs.csv"));
        data::write_csv(*smallBlobs(), m_data.toStdString());
    }

    void reopeningReproducesTheFramebuffer() {
        auto a = prepareView();
        QVERIFY(a);
        const QString path = m_dir.filePath(QStringLiteral("view.latentscape"));
        QCOMPARE(a->saveSession(path), QString());
        QCOMPARE(QDir(m_dir.path()).entryList({QStringLiteral("view.latentscape.*.embedding.npy")}).size(), 1);
        const QImage before = a->scatterView()->grabFramebuffer();

        auto b = openWindow();
        QVERIFY(b);
        QSignalSpy opened(b.get(), &ui::MainWindow::sessionOpened);
        b->openSession(path);
        QVERIFY(opened.wait(20000));
        QTest::qWait(50);
        // The same rows, embedding, columns, selection and legend, without recomputing.
        QVERIFY(!b->reduction()->isRunning());
        QCOMPARE(b->reduction()->embedding(), a->reduction()->embedding());
        QCOMPARE(b->reduction()->methodName(), QStringLiteral("PCA"));
        QVERIFY(b->selection() == a->selection());
        QVERIFY(!b->selectionHistory().can_undo());
        const auto groups = b->dataset()->find_metadata("groups");
        QVERIFY(groups.has_value());
        QCOMPARE(b->dataset()->metadata[*groups].codes, a->dataset()->metadata[*a->dataset()->find_metadata("groups")].codes);
        QCOMPARE(b->dataPanel()->legend()->hiddenCodes(), a->dataPanel()->legend()->hiddenCodes());
        QCOMPARE(b->scatterView()->size(), a->scatterView()->size());
        const QImage after = b->scatterView()->grabFramebuffer();
        QCOMPARE(after.size(), before.size());
        qint64 differing = 0;
        for (int y = 0; y < before.height(); ++y)
            for (int x = 0; x < before.width(); ++x) differing += before.pixel(x, y) != after.pixel(x, y);
        if (differing) {
            keepScreenshot(before, "session_before");
            keepScreenshot(after, "session_after");
        }
        QCOMPARE(differing, qint64(0));
        // And not trivially: the frame shows the points (faded, but not background).
        QVERIFY(after.width() * after.height() - countNear(after, ui::Rgb{255, 255, 255}, 6) > 2000);
    }

    void movedDatasetIsAskedForAndChangedOneIsReported() {
        auto a = prepareView();
        QVERIFY(a);
        const QString path = m_dir.filePath(QStringLiteral("moved.latentscape"));
        QCOMPARE(a->saveSession(path), QString());
        a.reset();
        const QString moved = m_dir.filePath(QStringLiteral("elsewhere.csv"));
        QVERIFY(QFile::copy(m_data, moved));
        QVERIFY(QFile::rename(m_data, m_data + QStringLiteral(".away")));

        auto b = openWindow();
        QVERIFY(b);
        QString asked;
        b->setDatasetLocator([&](const QString& missing) {
            asked = missing;
            return moved;
        });
        QSignalSpy opened(b.get(), &ui::MainWindow::sessionOpened);
        b->openSession(path);
        QVERIFY(opened.wait(20000));
        QCOMPARE(asked, QFileInfo(m_data).absoluteFilePath());
        QCOMPARE(b->reduction()->embedding().size(), std::size_t(2 * 1500));

        // The file changes: the session says so instead of showing its embedding on other rows.
        {
            QFile f(moved);
            QVERIFY(f.open(QIODevice::Append));
            f.write("\n");
        }
        auto c = openWindow();
        QVERIFY(c);
        c->setDatasetLocator([&](const QString&) { return moved; });
        QSignalSpy failed(c.get(), &ui::MainWindow::loadFailed);
        c->openSession(path);
        QVERIFY(failed.wait(20000));
        QVERIFY2(failed.front().front().toString().contains(QStringLiteral("has changed since the session")),
                 qPrintable(failed.front().front().toString()));
        QVERIFY(!c->dataset());
        QVERIFY(QFile::rename(m_data + QStringLiteral(".away"), m_data));
    }

    void autosaveIsOfferedAfterACrash() {
        QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)).removeRecursively();
        auto a = prepareView();
        QVERIFY(a);
        QCOMPARE(a->startCrashGuard(50), QString());  // nothing to recover the first time
        const QString autosave = a->autosavePath();
        QTRY_VERIFY(QFileInfo::exists(autosave));
        // A second window (another instance, as far as files go) neither offers nor takes the first's.
        auto other = openWindow();
        QVERIFY(other);
        QCOMPARE(other->startCrashGuard(60000), QString());
        QVERIFY(other->autosavePath() != autosave);
        other->close();
        QVERIFY(QFileInfo::exists(autosave));  // closing the other window leaves this one's alone
        const std::vector<float> shown = a->reduction()->embedding();
        a.reset();  // gone without closing its window: a crash as far as the mark can tell

        auto b = openWindow();
        QVERIFY(b);
        const QString recovered = b->startCrashGuard(60000);
        QCOMPARE(recovered, autosave);
        QSignalSpy opened(b.get(), &ui::MainWindow::sessionOpened);
        b->openSession(recovered);
        QVERIFY(opened.wait(20000));
        QCOMPARE(b->reduction()->embedding(), shown);
        ui::MainWindow::forgetRecovered(recovered);
        QVERIFY(!QFileInfo::exists(autosave));
        // A normal close removes this window's mark and autosave: nothing is offered next time.
        b->close();
        auto c = openWindow();
        QVERIFY(c);
        QCOMPARE(c->startCrashGuard(60000), QString());
        c->close();
    }

    void corruptAndFutureSessionsGiveClearErrors() {
        auto w = openWindow();
        QVERIFY(w);
        QSignalSpy failed(w.get(), &ui::MainWindow::loadFailed);
        const QString garbage = m_dir.filePath(QStringLiteral("garbage.latentscape"));
        {
            QFile f(garbage);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("{ \"format\": \"latentscape-session\", \"version\": 1, ");
        }
        w->openSession(garbage);
        QCOMPARE(failed.count(), 1);
        QVERIFY(failed.back().front().toString().contains(QStringLiteral("garbage.latentscape: is not valid JSON")));

        // A session from a newer Latentscape.
        auto a = prepareView();
        QVERIFY(a);
        const QString path = m_dir.filePath(QStringLiteral("future.latentscape"));
        QCOMPARE(a->saveSession(path), QString());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QJsonObject root = QJsonDocument::fromJson(f.readAll()).object();
        f.close();
        root.insert(QStringLiteral("version"), 99);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(QJsonDocument(root).toJson());
        f.close();
        w->openSession(path);
        QCOMPARE(failed.count(), 2);
        QVERIFY2(failed.back().front().toString().contains(QStringLiteral("session format version 99")),
                 qPrintable(failed.back().front().toString()));
        // A missing field is named.
        root.insert(QStringLiteral("version"), 1);
        root.remove(QStringLiteral("view"));
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(QJsonDocument(root).toJson());
        f.close();
        w->openSession(path);
        QCOMPARE(failed.count(), 3);
        QVERIFY2(failed.back().front().toString().contains(QStringLiteral("has no \"view\"")),
                 qPrintable(failed.back().front().toString()));
        // Generated data cannot be a session's dataset: said plainly.
        w->setDataset(smallBlobs(), QStringLiteral("blobs"));
        QTRY_VERIFY(w->dataset());
        QVERIFY(w->saveSession(m_dir.filePath(QStringLiteral("x.latentscape"))).contains(QStringLiteral("generated")));
    }
};

QTEST_MAIN(TestSession)
#include "tst_session.moc"
