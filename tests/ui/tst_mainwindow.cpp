// The main window with real widgets under Xvfb: it survives bad files, stays free of Qt 5, loads
// a dropped file after asking what to do with its missing values, runs one load at a time (the
// newest wins), and opens the example dataset or falls back to blobs. (The view: tst_scatterview.)

#include "gui_fixtures.h"

#include "ReductionController.h"

using namespace latentscape;
using namespace gui_fixtures;

class tst_MainWindow : public QObject {
    Q_OBJECT


private:
    std::unique_ptr<ui::MainWindow> m_window;
    std::shared_ptr<const data::Dataset> m_blobs;

    // A shown window holding the blobs, its first frame rendered.
    void showWindowWithBlobs() {
        m_blobs = smallBlobs();
        showWindow(m_window, m_blobs);
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);  // keep QSettings away from the user's files
    }

    void cleanup() { m_window.reset(); }

    void badFileKeepsDatasetAndShowsError_data() {
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<QByteArray>("content");
        QTest::newRow("ragged csv") << QStringLiteral("ragged.csv") << QByteArray("a,b,c\n1,2,3\n4,5\n6,7,8\n");
        QTest::newRow("garbage npy") << QStringLiteral("garbage.npy")
                                     << QByteArray("this is not a NumPy file at all\x01\x02\x03", 34);
    }

    void badFileKeepsDatasetAndShowsError() {
        QFETCH(QString, fileName);
        QFETCH(QByteArray, content);
        showWindowWithBlobs();
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(fileName);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
        file.close();

        const auto before = m_window->dataset();
        const auto firstPoint = m_window->scatterView()->pointPosition(0);
        m_window->loadFile(path);
        QMessageBox* box = nullptr;
        QTRY_VERIFY((box = m_window->findChild<QMessageBox*>(QStringLiteral("loadErrorBox"))) != nullptr);
        QVERIFY2(box->text().contains(fileName), qPrintable(box->text()));
        QVERIFY(box->isVisible());
        QVERIFY(!m_window->isLoading());
        QCOMPARE(m_window->dataset(), before);
        QCOMPARE(m_window->scatterView()->pointCount(), std::size_t(before->n));
        QCOMPARE(m_window->scatterView()->pointPosition(0), firstPoint);
        qInfo() << "error shown:" << box->informativeText();
        box->close();
    }

    void noQt5InProcess() {
        showWindowWithBlobs();
        QVERIFY(!m_window->scatterView()->grabFramebuffer().isNull());
        QFile maps(QStringLiteral("/proc/self/maps"));
        QVERIFY(maps.open(QIODevice::ReadOnly));
        const QByteArray mapped = maps.readAll();
        QVERIFY(mapped.contains("libQt6Widgets"));
        QVERIFY(mapped.contains("libQt6OpenGLWidgets"));
        QVERIFY(mapped.contains("libvtkRenderingOpenGL2"));
        QVERIFY2(!mapped.contains("libQt5"), "a Qt 5 library is mapped into the process");
    }

    void destroyingWhileLoadingIsSafe() {
        showWindowWithBlobs();
        data::synthetic::BlobsOptions options;
        options.n = 100000;
        options.d = 32;
        auto big = std::make_shared<const data::Dataset>(data::synthetic::blobs(options));
        m_window->setDataset(big, QStringLiteral("big blobs"));
        QVERIFY(m_window->isLoading());
        m_window.reset();  // cancels the job and waits for its thread
        QTest::qWait(50);  // a late result would now reach a deleted window
    }

    void loadsRunOneAtATimeAndTheNewestWins() {
        showWindowWithBlobs();
        QCOMPARE(m_window->loaderThreadLimit(), 1);

        // A is running (blocked until released), B is queued, C is the newest request. The jobs
        // share the probe, not the test's stack: a failing test must not leave A with dangling
        // references.
        struct Probe {
            QSemaphore startedA, releaseA;
            std::atomic<int> running{0}, mostRunning{0};
            std::atomic<bool> ranB{false}, ranC{false};
            void enter() {
                const int now = ++running;
                int seen = mostRunning.load();
                while (now > seen && !mostRunning.compare_exchange_weak(seen, now)) {}
            }
        };
        const auto probe = std::make_shared<Probe>();
        const auto a = tinyDataset(1.0f), b = tinyDataset(2.0f), c = tinyDataset(3.0f);
        m_window->loadFromSource([probe, a] {
            probe->enter();
            probe->startedA.release();
            probe->releaseA.tryAcquire(1, 10000);  // bounded, so a failing test cannot hang the pool
            --probe->running;
            return a;
        }, QStringLiteral("A"));
        QVERIFY(probe->startedA.tryAcquire(1, 5000));
        m_window->loadFromSource([probe, b] {
            probe->enter();
            probe->ranB = true;
            --probe->running;
            return b;
        }, QStringLiteral("B"));
        m_window->loadFromSource([probe, c] {
            probe->enter();
            probe->ranC = true;
            --probe->running;
            return c;
        }, QStringLiteral("C"));
        QVERIFY(m_window->isLoading());
        QTest::qWait(100);
        QVERIFY(!probe->ranC);  // waits for A: one loader thread
        QCOMPARE(m_window->dataset(), m_blobs);

        QSignalSpy changed(m_window.get(), &ui::MainWindow::datasetChanged);
        probe->releaseA.release();
        QTRY_COMPARE(m_window->dataset(), c);
        QVERIFY(!m_window->isLoading());
        QVERIFY(probe->ranC);
        QVERIFY2(!probe->ranB, "a queued, superseded job still ran its source");
        QCOMPARE(probe->mostRunning.load(), 1);
        QCOMPARE(changed.count(), 1);  // A's result was discarded, not shown first
        QVERIFY(m_window->windowTitle().startsWith(QStringLiteral("C")));
    }

    void defaultDatasetIsFashionMnist() {
        const QString path = ui::MainWindow::standardDatasetPath();
        if (!QFileInfo::exists(path)) QSKIP("Fashion-MNIST is not installed");
        m_window = std::make_unique<ui::MainWindow>();
        QCOMPARE(m_window->defaultDatasetPath(), path);
        m_window->resize(1000, 700);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QElapsedTimer timer;
        timer.start();
        m_window->setAutoRunOnDefault(true);  // as the app's first launch does
        m_window->loadDefaultDataset();
        QVERIFY(m_window->isLoading());
        QTRY_VERIFY_WITH_TIMEOUT(m_window->dataset() != nullptr && !m_window->isLoading(), 20000);
        qInfo() << "Fashion-MNIST shown after" << timer.elapsed() << "ms";
        const auto ds = m_window->dataset();
        QCOMPARE(ds->n, std::int64_t(10000));  // the test images: a t-SNE forms in seconds
        QCOMPARE(ds->d, std::int64_t(784));
        QCOMPARE(m_window->scatterView()->pointCount(), std::size_t(10000));
        QTreeWidget* tree = legendTree(m_window.get());
        QVERIFY(tree);
        QCOMPARE(m_window->dataPanel()->legend()->categoryRows(), 10);
        QCOMPARE(tree->topLevelItem(0)->text(0), QStringLiteral("T-shirt/top"));
        QCOMPARE(tree->topLevelItem(9)->text(0), QStringLiteral("Ankle boot"));
        QCOMPARE(tree->topLevelItem(0)->text(1), QLocale().toString(1000));
        QVERIFY(m_window->findChild<QMessageBox*>(QStringLiteral("loadErrorBox")) == nullptr);
        // ... and its t-SNE starts by itself and is shown as it forms.
        QVERIFY(m_window->reduction()->isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(m_window->reduction()->framesShown() >= 2, 20000);
        qInfo() << "first t-SNE frames after" << timer.elapsed() << "ms";
        QCOMPARE(m_window->scatterView()->xAxisLabel(), QStringLiteral("t-SNE 1"));
        m_window->reduction()->cancel();
    }

    void defaultDatasetFallsBackToBlobs_data() {
        QTest::addColumn<bool>("fileExists");
        QTest::newRow("absent") << false;
        QTest::newRow("unreadable") << true;  // installed but corrupt: error shown, blobs anyway
    }

    void defaultDatasetFallsBackToBlobs() {
        QFETCH(bool, fileExists);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("train-images-idx3-ubyte.gz"));
        if (fileExists) {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("not gzip, not IDX");
        }
        m_window = std::make_unique<ui::MainWindow>();
        m_window->setDefaultDatasetPath(path);
        QCOMPARE(m_window->defaultDatasetPath(), path);
        m_window->resize(1000, 700);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_window->loadDefaultDataset();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->dataset() != nullptr && !m_window->isLoading(), 10000);
        const auto ds = m_window->dataset();
        QCOMPARE(ds->format, std::string("synthetic"));
        QCOMPARE(ds->n, std::int64_t(3000));
        QCOMPARE(ds->d, std::int64_t(50));
        QVERIFY(ds->label());
        QCOMPARE(ds->label()->categories.size(), std::size_t(6));
        QCOMPARE(m_window->dataPanel()->legend()->categoryRows(), 6);
        QVERIFY(m_window->windowTitle().startsWith(QStringLiteral("Synthetic blobs")));
        auto* box = m_window->findChild<QMessageBox*>(QStringLiteral("loadErrorBox"));
        QCOMPARE(box != nullptr, fileExists);
        if (box) QVERIFY2(box->text().contains(QStringLiteral("train-images-idx3-ubyte.gz")), qPrintable(box->text()));
    }

    void droppedCsvWithMissingValuesAsksAndLoads() {
        showWindowWithBlobs();
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("holes.csv"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("f1,f2,label\n1,2,a\n3,,b\n5,6,a\n7,8,b\n");
        file.close();

        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(path)});
        QDropEvent drop(QPointF(40, 40), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        // Straight to the window's event handler: QApplication::notify routes drops through the
        // platform's drag manager, which has no drag in progress here.
        static_cast<QObject*>(m_window.get())->event(&drop);
        QVERIFY(drop.isAccepted());

        QMessageBox* box = nullptr;
        QTRY_VERIFY((box = m_window->findChild<QMessageBox*>(QStringLiteral("missingValuesBox"))) != nullptr);
        QPushButton* dropRows = nullptr;
        for (QAbstractButton* button : box->buttons())
            if (button->text() == QStringLiteral("Drop rows")) dropRows = qobject_cast<QPushButton*>(button);
        QVERIFY(dropRows);
        QTest::mouseClick(dropRows, Qt::LeftButton);

        QTRY_VERIFY(m_window->dataset() != m_blobs);
        const auto loaded = m_window->dataset();
        QCOMPARE(loaded->n, std::int64_t(3));
        QCOMPARE(loaded->missing.rows_dropped, std::int64_t(1));
        QCOMPARE(m_window->scatterView()->pointCount(), std::size_t(3));
        QVERIFY(m_window->windowTitle().startsWith(QStringLiteral("holes.csv")));
    }
};

int main(int argc, char* argv[]) {
    // The GL format must be the default before QApplication exists.
    QSurfaceFormat::setDefaultFormat(ui::VtkView::defaultFormat());
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
    tst_MainWindow test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_mainwindow.moc"
