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
#include <QJsonArray>
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

    /// A window that has loaded `path` (with `options`), or nullptr.
    std::unique_ptr<ui::MainWindow> openShowing(const QString& path, const data::LoadOptions& options = {}) {
        auto w = openWindow();
        if (!w) return nullptr;
        QSignalSpy changed(w.get(), &ui::MainWindow::datasetChanged);
        w->loadFile(path, options);
        if (!changed.wait(20000)) return nullptr;
        return w;
    }

    /// A new window that has opened the session at `path`, or nullptr.
    std::unique_ptr<ui::MainWindow> reopen(const QString& path) {
        auto w = openWindow();
        if (!w) return nullptr;
        QSignalSpy opened(w.get(), &ui::MainWindow::sessionOpened);
        w->openSession(path);
        if (!opened.wait(20000)) return nullptr;
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

    // Issue 19: a folder of .npy shards opens as one dataset (as a file does, not as images), and
    // its session notices when a shard changes (datasetSha256 hashes every shard).
    void shardFolderOpensAndItsSessionNoticesAChange() {
        const std::shared_ptr<const data::Dataset> blobs = smallBlobs();
        const QString folder = m_dir.filePath(QStringLiteral("shards"));
        QVERIFY(QDir().mkpath(folder));
        auto writeShard = [&](int k, float shift) {
            data::Dataset part;
            part.n = 500;
            part.d = blobs->d;
            part.features.assign(blobs->features.begin() + std::ptrdiff_t(k * 500 * blobs->d),
                                 blobs->features.begin() + std::ptrdiff_t((k + 1) * 500 * blobs->d));
            for (float& v : part.features) v += shift;
            for (std::int64_t j = 0; j < part.d; ++j) part.feature_names.push_back("x" + std::to_string(j));
            data::write(part, QDir(folder).filePath(QStringLiteral("part-%1.npy").arg(k)).toStdString());
        };
        for (int k = 0; k < 3; ++k) writeShard(k, 0.0f);

        auto a = openShowing(folder);
        QVERIFY(a);
        QCOMPARE(a->dataset()->n, std::int64_t(1500));
        QCOMPARE(a->dataset()->format, std::string("shards"));
        QVERIFY(a->dataset()->images.empty());
        QCOMPARE(a->dataset()->at(1499, 3), blobs->at(1499, 3));
        a->reductionPanel()->setMethod(ui::ReductionPanel::Method::Pca);
        QSignalSpy finished(a->reduction(), &ui::ReductionController::runFinished);
        a->reduction()->run();
        QVERIFY(finished.wait(20000));
        const QString path = m_dir.filePath(QStringLiteral("shards.latentscape"));
        QCOMPARE(a->saveSession(path), QString());

        auto b = reopen(path);
        QVERIFY(b);
        QCOMPARE(b->dataset()->n, std::int64_t(1500));
        QCOMPARE(b->reduction()->embedding(), a->reduction()->embedding());

        writeShard(1, 0.5f);  // same size, other values
        auto c = openWindow();
        QVERIFY(c);
        QSignalSpy failed(c.get(), &ui::MainWindow::loadFailed);
        c->openSession(path);
        QVERIFY(failed.wait(20000));
        QVERIFY2(failed.front().front().toString().contains(QStringLiteral("has changed since the session")),
                 qPrintable(failed.front().front().toString()));
    }

    // An .npy opened with a separate labels file (latentscape --labels, latentscape.show): its
    // session brings the label column back (the labels file is named in the session).
    void labelsFileComesBackWithTheSession() {
        const std::shared_ptr<const data::Dataset> blobs = smallBlobs();
        data::Dataset features;
        features.n = blobs->n;
        features.d = blobs->d;
        features.features = blobs->features;
        features.feature_names = blobs->feature_names;
        const QString x = m_dir.filePath(QStringLiteral("pair.npy"));
        data::write(features, x.toStdString());
        // A 1-D int32 .npy, header padded to 64 bytes as numpy writes it.
        QByteArray header = "{'descr': '<i4', 'fortran_order': False, 'shape': (" + QByteArray::number(blobs->n) + ",), }";
        while ((10 + header.size() + 1) % 64) header += ' ';
        header += '\n';
        QByteArray bytes = QByteArray("\x93NUMPY\x01\x00", 8) + char(header.size() & 0xff) + char(header.size() >> 8) + header;
        const data::MetadataColumn* blob = blobs->label();
        QVERIFY(blob);
        for (std::int32_t code : blob->codes) bytes += QByteArray(reinterpret_cast<const char*>(&code), 4);
        const QString labels = m_dir.filePath(QStringLiteral("pair.labels.npy"));
        {
            QFile f(labels);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(bytes);
        }
        data::LoadOptions o;
        o.labels_path = labels.toStdString();
        auto a = openShowing(x, o);
        QVERIFY(a);
        QVERIFY(a->dataset()->label());
        const std::vector<std::int32_t> codes = a->dataset()->label()->codes;
        const QString path = m_dir.filePath(QStringLiteral("pair.latentscape"));
        QCOMPARE(a->saveSession(path), QString());

        auto b = reopen(path);
        QVERIFY(b);
        QVERIFY(b->dataset()->label());
        QCOMPARE(b->dataset()->label()->codes, codes);
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

    void headlessRenderMatchesTheAppsExport() {
        auto a = prepareView();
        QVERIFY(a);
        const QString path = m_dir.filePath(QStringLiteral("render.latentscape"));
        QCOMPARE(a->saveSession(path), QString());
        // The figure the session gives equals the one the window exports: points, order, colours.
        const ui::Session session = ui::readSession(path);
        const auto ds = ui::loadSessionDataset(session, session.datasetPath, path);
        const ui::Figure headless = ui::figureFromSession(session, *ds);
        const ui::Figure app = a->currentFigure();
        QCOMPARE(headless.points.size(), app.points.size());
        QVERIFY(headless.points.size() > 1000 && headless.points.size() < 1500);  // one class hidden
        double worst = 0;
        for (std::size_t k = 0; k < app.points.size(); ++k) {
            QCOMPARE(headless.points[k].row, app.points[k].row);
            QCOMPARE(headless.points[k].r, app.points[k].r);
            QCOMPARE(headless.points[k].b, app.points[k].b);
            QCOMPARE(headless.points[k].emphasized, app.points[k].emphasized);
            worst = std::max(worst, QLineF(headless.points[k].position, app.points[k].position).length());
        }
        QVERIFY2(worst < 1e-6, qPrintable(QString("largest position difference %1 px").arg(worst)));
        QCOMPARE(headless.legend.size(), app.legend.size());
        for (std::size_t k = 0; k < app.legend.size(); ++k) QCOMPARE(headless.legend[k].label, app.legend[k].label);
        QCOMPARE(headless.xLabel, app.xLabel);
        QCOMPARE(headless.plotSize, app.plotSize);

        // The command line, without any display, writes the same picture as the app's export.
        ui::FigureOptions options;
        options.size = QSize(1200, 900);
        options.dpi = 150;
        const QString fromApp = m_dir.filePath(QStringLiteral("app.png"));
        a->exportFigure(fromApp, options);
        const QString fromCli = m_dir.filePath(QStringLiteral("cli.png"));
        QProcess cli;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        cli.setProcessEnvironment(env);
        cli.start(QStringLiteral(LATENTSCAPE_CLI), {QStringLiteral("render"), path, QStringLiteral("--out"), fromCli,
                                                    QStringLiteral("--width"), QStringLiteral("1200"), QStringLiteral("--height"),
                                                    QStringLiteral("900"), QStringLiteral("--dpi"), QStringLiteral("150")});
        QVERIFY(cli.waitForFinished(60000));
        QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
        const QImage x(fromApp), y(fromCli);
        QCOMPARE(y.size(), QSize(1200, 900));
        QCOMPARE(x.size(), y.size());
        QCOMPARE(y.dotsPerMeterX(), x.dotsPerMeterX());
        qint64 differing = 0;
        for (int r = 0; r < x.height(); ++r)
            for (int c = 0; c < x.width(); ++c) differing += x.pixel(c, r) != y.pixel(c, r);
        keepScreenshot(y, "render_cli");  // for review: what the headless renderer drew
        if (differing) keepScreenshot(x, "render_app");
        QVERIFY2(differing == 0, qPrintable(QString("%1 pixels differ").arg(differing)));
        // A session that cannot be read: a clear error naming it, exit code 2.
        cli.start(QStringLiteral(LATENTSCAPE_CLI), {QStringLiteral("render"), m_dir.filePath(QStringLiteral("nope.latentscape")),
                                                    QStringLiteral("--out"), fromCli});
        QVERIFY(cli.waitForFinished(60000));
        QCOMPARE(cli.exitCode(), 2);
        QVERIFY(cli.readAllStandardError().contains("nope.latentscape"));
    }

    void viewSettingsAndTamperedFiles() {
        auto a = prepareView();
        QVERIFY(a);
        // The File menu's save writes on a worker and reports when done.
        QSignalSpy saved(a.get(), &ui::MainWindow::sessionSaved);
        a->saveSessionInBackground(m_dir.filePath(QStringLiteral("background.latentscape")));
        QVERIFY(saved.wait(20000));
        QCOMPARE(saved.front().at(1).toString(), QString());
        QCOMPARE(ui::readSession(m_dir.filePath(QStringLiteral("background.latentscape"))).selection, a->selection().ids());
        // Colour "None", 40% opacity, dark background.
        a->dataPanel()->setColorColumn(-1);
        a->findChild<QAction*>(QStringLiteral("opacity40"))->trigger();
        a->findChild<QAction*>(QStringLiteral("darkBackgroundAction"))->trigger();
        const QString path = m_dir.filePath(QStringLiteral("settings.latentscape"));
        QCOMPARE(a->saveSession(path), QString());
        auto b = openWindow();
        QVERIFY(b);
        QSignalSpy opened(b.get(), &ui::MainWindow::sessionOpened);
        b->openSession(path);
        QVERIFY(opened.wait(20000));
        QCOMPARE(b->dataPanel()->colorColumn(), -1);
        QCOMPARE(b->scatterView()->opacity(), 0.4);
        QVERIFY(b->findChild<QAction*>(QStringLiteral("opacity40"))->isChecked());
        QVERIFY(b->scatterView()->darkBackground());
        QVERIFY(b->findChild<QAction*>(QStringLiteral("darkBackgroundAction"))->isChecked());
        b->findChild<QAction*>(QStringLiteral("darkBackgroundAction"))->trigger();  // leave the setting as it was
        b.reset();
        a->findChild<QAction*>(QStringLiteral("darkBackgroundAction"))->trigger();

        // A sidecar that is not the saved one, and a 1-D embedding: refused, never drawn.
        auto w = openWindow();
        QVERIFY(w);
        QSignalSpy failed(w.get(), &ui::MainWindow::loadFailed);
        const QStringList sidecars = QDir(m_dir.path()).entryList({QStringLiteral("settings.latentscape.*.embedding.npy")});
        QCOMPARE(sidecars.size(), 1);
        const QString sidecar = m_dir.filePath(sidecars.front());
        QFile original(sidecar);
        QVERIFY(original.open(QIODevice::ReadOnly));
        QByteArray bytes = original.readAll();
        original.close();
        bytes[bytes.size() - 1] = char(bytes[bytes.size() - 1] ^ 0x55);
        QFile tampered(sidecar);
        QVERIFY(tampered.open(QIODevice::WriteOnly | QIODevice::Truncate));
        tampered.write(bytes);
        tampered.close();
        w->openSession(path);
        QTRY_COMPARE(failed.count(), 1);
        QVERIFY2(failed.back().front().toString().contains(QStringLiteral("is not the one it was saved with")),
                 qPrintable(failed.back().front().toString()));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QJsonObject root = QJsonDocument::fromJson(f.readAll()).object();
        f.close();
        QJsonArray runs = root.value(QStringLiteral("runs")).toArray();
        QJsonObject run = runs.at(0).toObject();
        run.insert(QStringLiteral("dims"), 1);
        runs.replace(0, run);
        root.insert(QStringLiteral("runs"), runs);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(QJsonDocument(root).toJson());
        f.close();
        w->openSession(path);
        QTRY_COMPARE(failed.count(), 2);
        QVERIFY2(failed.back().front().toString().contains(QStringLiteral("session.runs[0].dims (1)")),
                 qPrintable(failed.back().front().toString()));
    }

    void cameraMatrixEqualsVtks() {
        // The headless renderer projects with cameraMatrix(): it must be VTK's matrix, for a
        // 2-D (parallel) and a 3-D (perspective) camera, at several aspects.
        for (bool parallel : {true, false}) {
            vtkNew<vtkCamera> camera;
            camera->SetPosition(1.5, -2.0, 7.0);
            camera->SetFocalPoint(0.2, 0.4, -0.3);
            camera->SetViewUp(0.1, 1.0, 0.2);
            camera->SetParallelScale(3.7);
            camera->SetViewAngle(34.0);
            camera->SetParallelProjection(parallel);
            camera->SetClippingRange(0.8, 40.0);
            ui::SessionCamera c;
            camera->GetPosition(c.position.data());
            camera->GetFocalPoint(c.focalPoint.data());
            camera->GetViewUp(c.viewUp.data());
            c.parallelScale = camera->GetParallelScale();
            c.viewAngle = camera->GetViewAngle();
            c.parallel = parallel;
            camera->GetClippingRange(c.clippingRange.data());
            for (double aspect : {1.0, 1.43, 0.6}) {
                vtkMatrix4x4* m = camera->GetCompositeProjectionTransformMatrix(aspect, -1, 1);
                const auto ours = ui::cameraMatrix(c, aspect);
                for (int r = 0; r < 4; ++r)
                    for (int k = 0; k < 4; ++k)
                        QVERIFY2(std::abs(ours[std::size_t(4 * r + k)] - m->GetElement(r, k)) <= 1e-12 * (1 + std::abs(m->GetElement(r, k))),
                                 qPrintable(QString("parallel %1 aspect %2 element (%3, %4): %5 vs %6")
                                                .arg(parallel).arg(aspect).arg(r).arg(k)
                                                .arg(ours[std::size_t(4 * r + k)], 0, 'g', 17).arg(m->GetElement(r, k), 0, 'g', 17)));
            }
        }
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
        QTRY_COMPARE(failed.count(), 1);
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
        QTRY_COMPARE(failed.count(), 2);
        QVERIFY2(failed.back().front().toString().contains(QStringLiteral("session format version 99")),
                 qPrintable(failed.back().front().toString()));
        // A missing field is named.
        root.insert(QStringLiteral("version"), 1);
        root.remove(QStringLiteral("view"));
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(QJsonDocument(root).toJson());
        f.close();
        w->openSession(path);
        QTRY_COMPARE(failed.count(), 3);
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
