// The main window with real widgets under Xvfb: it survives bad files, stays free of Qt 5, loads
// a dropped file after asking what to do with its missing values, runs one load at a time (the
// newest wins), and opens the example dataset or falls back to blobs. (The view: tst_scatterview.)

#include "gui_fixtures.h"

#include "ReductionController.h"
#include "panels/ErrorDialog.h"
#include "panels/FileDialogs.h"
#include "panels/RunsPanel.h"
#include "panels/DataPanel.h"
#include "data/load.h"

#include <QAbstractItemView>
#include <QTextDocument>

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
        qInfo() << "error shown:" << ui::errorBoxMessage(*box);
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

    // Issue 15: a new dataset starts a new selection history, and Undo says so.
    void undoSelectionIsOffAfterANewDataset() {
        showWindowWithBlobs();
        auto* undo = m_window->findChild<QAction*>(QStringLiteral("undoSelectionAction"));
        QVERIFY(undo);
        QVERIFY(!undo->isEnabled());
        m_window->setSelection(select::Selection::from_ids({1, 2, 3}, m_blobs->n));
        QVERIFY(undo->isEnabled());
        const auto other = makeBlobs(400, 5, 3, 99);
        m_window->setDataset(other, QStringLiteral("other"));
        QTRY_COMPARE(m_window->dataset(), other);
        QVERIFY(!m_window->selectionHistory().can_undo());
        QVERIFY(!undo->isEnabled());
        QVERIFY(!m_window->findChild<QAction*>(QStringLiteral("redoSelectionAction"))->isEnabled());
        // A fresh window has nothing to undo either.
        ui::MainWindow fresh;
        QVERIFY(!fresh.findChild<QAction*>(QStringLiteral("undoSelectionAction"))->isEnabled());
    }

    // Issue 15: an AnnData file's obsm embeddings are finished runs in the Runs table, X_umap on
    // screen with the file's exact values.
    void h5adEmbeddingsOpenAsRuns() {
        showWindowWithBlobs();
        const QString path = QStringLiteral(LATENTSCAPE_TEST_DATA "/h5ad/dense.h5ad");
        const data::Dataset reference = data::load(QFile::encodeName(path).toStdString());
        m_window->loadFile(path);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->dataset() && m_window->dataset()->n == reference.n &&
                                     m_window->document()->runs().size() == reference.embeddings.size(),
                                 20000);
        const auto run = m_window->document()->currentRun();
        QVERIFY(run);
        QCOMPARE(run->name, QStringLiteral("X_umap"));
        QCOMPARE(run->spec.method, ui::RunSpec::Method::Imported);
        const auto umap = std::find_if(reference.embeddings.begin(), reference.embeddings.end(),
                                       [](const data::PrecomputedEmbedding& e) { return e.name == "X_umap"; });
        QVERIFY(umap != reference.embeddings.end());
        QVERIFY(*run->embedding == umap->values);
        QVERIFY(m_window->dataPanel()->plotEmbedding());
        ui::ScatterView* view = m_window->scatterView();
        QCOMPARE(view->pointCount(), std::size_t(reference.n));
        for (std::size_t i = 0; i < std::size_t(reference.n); ++i) {
            QCOMPARE(float(view->pointPosition(i)[0]), umap->values[2 * i]);
            QCOMPARE(float(view->pointPosition(i)[1]), umap->values[2 * i + 1]);
        }
        const QAbstractItemModel* runsModel = m_window->runsPanel()->findChild<QAbstractItemView*>()->model();
        QCOMPARE(runsModel->rowCount(), int(reference.embeddings.size()));
        // They took no time here: a dash, not "0.00".
        QCOMPARE(runsModel->index(0, ui::RunsTableModel::Seconds).data().toString(), QStringLiteral("\u2014"));
        // Re-running one is refused with a reason, not attempted.
        QVERIFY(!m_window->reduction()->run(run->spec));
        QCOMPARE(m_window->document()->runs().size(), reference.embeddings.size());
        keepScreenshot(m_window->grab().toImage(), "h5ad_imported_runs");
    }

    // Issue 15: a long error (a path without spaces, then the cause) wraps inside a box no wider
    // than the screen, and comes whole under Show Details.
    void errorBoxNeverClipsItsText() {
        const QString message = QStringLiteral(
            "/home/someone/very/deeply/nested/folder/with_a_rather_long_name/and_another_one/"
            "GSE123456_single_cell_atlas_of_everything_filtered_feature_bc_matrix.h5ad: /obsm/X_umap has "
            "38,412 rows but /obs has 38,413: the file was written by a tool that disagrees with itself");
        QWidget parent;
        parent.resize(800, 600);
        parent.show();
        QVERIFY(QTest::qWaitForWindowExposed(&parent));
        QMessageBox* box = ui::makeErrorBox(&parent, QStringLiteral("testErrorBox"), QStringLiteral("Could not open file"),
                                            QStringLiteral("Could not open “x.h5ad”."), message);
        box->open();
        QVERIFY(QTest::qWaitForWindowExposed(box));
        QCOMPARE(ui::errorBoxMessage(*box), message);
        QCOMPARE(box->detailedText(), message);
        auto* label = box->findChild<QLabel*>(QStringLiteral("qt_msgbox_informativelabel"));
        QVERIFY(label && label->isVisible());
        QVERIFY(label->wordWrap());
        // Every line of the wrapped text fits the label, and the label fits the box and the screen.
        QVERIFY2(label->height() >= label->heightForWidth(label->width()),
                 qPrintable(QStringLiteral("%1 < %2").arg(label->height()).arg(label->heightForWidth(label->width()))));
        QVERIFY(label->geometry().right() <= box->contentsRect().right());
        QVERIFY(box->frameGeometry().width() <= box->screen()->availableGeometry().width());
        QTextDocument doc;
        doc.setDefaultFont(label->font());
        doc.setPlainText(label->text());
        doc.setTextWidth(label->width());
        QVERIFY2(doc.idealWidth() <= label->width() + 1, "a line is wider than the label");
        box->close();
    }

    // Issue 15: file dialogs start in the last folder used, not in $HOME.
    void fileDialogsStartInTheLastFolder() {
        QSettings().remove(QLatin1String(ui::kLastDirectoryKey));
        QCOMPARE(ui::lastFolder(), QDir::homePath());
        QTemporaryDir dir;
        ui::rememberFolder(dir.filePath(QStringLiteral("data.csv")));
        QCOMPARE(ui::lastFolder(), QFileInfo(dir.path()).absoluteFilePath());
        QCOMPARE(ui::dialogStart(QStringLiteral("/elsewhere/view.latentscape")), QDir(dir.path()).filePath(QStringLiteral("view.latentscape")));
        ui::rememberFolder({});  // a canceled dialog changes nothing
        QCOMPARE(ui::lastFolder(), QFileInfo(dir.path()).absoluteFilePath());
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
        QTRY_VERIFY_WITH_TIMEOUT(m_window->reduction()->framesShown() >= 2, 120000);  // ASan: ~25 s idle, 61 s beside a build
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
