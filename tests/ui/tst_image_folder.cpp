// A folder of images as a dataset (issue 15): the loader (order, size, channels, exact pixels,
// labels from sub-folders, skipped and ignored files, errors, cancellation, the folder's hash),
// the hover tooltip and the Images tab with RGB images, and the window opening a folder, running
// PCA on it and reopening it from a session.

#include "gui_fixtures.h"

#include "ReductionController.h"
#include "common/error.h"
#include "jobs/ImageFolder.h"
#include "panels/ReductionPanel.h"
#include "panels/ThumbnailModel.h"

#include <QBuffer>
#include <QImage>
#include <QRegularExpression>
#include <QSettings>
#include <QStatusBar>

using namespace latentscape;
using namespace gui_fixtures;

namespace {

// A 1 x 1 GIF whose only pixel is transparent (Qt writes no GIF; this is the classic spacer).
const char kSpacerGif[] = "GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
                          "\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00;";

/// The known RGB image: red = 8 x, green = 8 y, blue = 100 + x + y, 32 x 32.
QImage patternImage() {
    QImage image(32, 32, QImage::Format_RGB888);
    for (int y = 0; y < 32; ++y)
        for (int x = 0; x < 32; ++x) image.setPixel(x, y, qRgb(8 * x, 8 * y, 100 + x + y));
    return image;
}

QImage greyImage(int w, int h, int seed) {
    QImage image(w, h, QImage::Format_Grayscale8);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) image.scanLine(y)[x] = uchar((x * 7 + y * 13 + seed * 31) % 256);
    return image;
}

QImage colourImage(int w, int h, QColor colour) {
    QImage image(w, h, QImage::Format_RGB888);
    image.fill(colour);
    return image;
}

void write(const QString& path, const QByteArray& bytes) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly), qPrintable(path));
    file.write(bytes);
}

void save(const QImage& image, const QString& path, const char* format) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QVERIFY2(image.save(path, format), qPrintable(path));
}

/// Three classes of different sizes and formats, a file at the top, a corrupt PNG, a text file.
void makeMixedFolder(const QString& root) {
    save(patternImage(), root + QStringLiteral("/cats/a.png"), "PNG");
    save(colourImage(48, 32, QColor(200, 30, 30)), root + QStringLiteral("/cats/b.jpg"), "JPEG");
    save(greyImage(16, 16, 1), root + QStringLiteral("/dogs/c.png"), "PNG");
    save(colourImage(32, 32, QColor(10, 20, 240)), root + QStringLiteral("/dogs/sub/d.bmp"), "BMP");
    write(root + QStringLiteral("/birds/e.gif"), QByteArray(kSpacerGif, sizeof kSpacerGif - 1));
    write(root + QStringLiteral("/birds/broken.png"), QByteArray("\x89PNG\r\n\x1a\nthis is no longer a PNG", 31));
    write(root + QStringLiteral("/notes.txt"), QByteArray("not an image\n"));
    save(colourImage(32, 32, QColor(0, 255, 0)), root + QStringLiteral("/top.png"), "PNG");
}

QImage imageFromTooltip(const QString& html) {
    static const QRegularExpression re(QStringLiteral("data:image/png;base64,([A-Za-z0-9+/=]+)"));
    const auto match = re.match(html);
    if (!match.hasMatch()) return {};
    return QImage::fromData(QByteArray::fromBase64(match.captured(1).toLatin1()), "PNG");
}

}  // namespace

class tst_ImageFolder : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<ui::MainWindow> m_window;

    void showEmptyWindow() {
        m_window = std::make_unique<ui::MainWindow>();
        m_window->resize(1000, 700);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);  // keep QSettings away from the user's files
        QSettings().clear();
    }

    void cleanup() { m_window.reset(); }

    void mixedFolder() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        makeMixedFolder(dir.path());
        if (QTest::currentTestFailed()) return;
        const ui::ImageFolderResult r = ui::loadImageFolder(dir.path());
        QVERIFY(r.dataset);
        const data::Dataset& ds = *r.dataset;
        // Sorted by relative path; the corrupt PNG skipped, the text file ignored.
        const std::vector<std::string> ids = {"birds/e.gif", "cats/a.png", "cats/b.jpg", "dogs/c.png", "dogs/sub/d.bmp", "top.png"};
        QCOMPARE(ds.row_ids, ids);
        QCOMPARE(ds.n, std::int64_t(6));
        // Different sizes: all 32 x 32; colour images: RGB.
        QCOMPARE(ds.images.width, 32);
        QCOMPARE(ds.images.height, 32);
        QCOMPARE(ds.images.channels, 3);
        QCOMPARE(ds.d, std::int64_t(32 * 32 * 3));
        QCOMPARE(ds.format, std::string("images"));
        QCOMPARE(QString::fromStdString(ds.source), dir.path());
        QCOMPARE(ds.feature_names[0], std::string("px_0_0_r"));
        QCOMPARE(ds.feature_names[5], std::string("px_0_1_b"));
        // The 32 x 32 PNG: its pixels exactly, as features (0..255) and as the image.
        const QImage pattern = patternImage();
        for (int y = 0; y < 32; ++y)
            for (int x = 0; x < 32; ++x) {
                const QRgb p = pattern.pixel(x, y);
                const std::size_t k = std::size_t((y * 32 + x) * 3);
                QCOMPARE(ds.at(1, std::int64_t(k)), float(qRed(p)));
                QCOMPARE(ds.at(1, std::int64_t(k + 1)), float(qGreen(p)));
                QCOMPARE(ds.at(1, std::int64_t(k + 2)), float(qBlue(p)));
                QCOMPARE(int(ds.images.image(1)[k + 2]), qBlue(p));
            }
        // The 48 x 32 JPEG: its centre, still the same red (JPEG is lossy: within a few levels).
        for (std::int64_t k = 0; k < ds.d; k += 3) {
            QVERIFY2(std::abs(ds.at(2, k) - 200.0f) <= 6 && std::abs(ds.at(2, k + 1) - 30.0f) <= 6 &&
                         std::abs(ds.at(2, k + 2) - 30.0f) <= 6,
                     qPrintable(QStringLiteral("%1 %2 %3").arg(ds.at(2, k)).arg(ds.at(2, k + 1)).arg(ds.at(2, k + 2))));
        }
        // The grey 16 x 16 upscaled: grey stays grey in the RGB stack.
        for (std::int64_t k = 0; k < ds.d; k += 3) QVERIFY(ds.at(3, k) == ds.at(3, k + 1) && ds.at(3, k) == ds.at(3, k + 2));
        // The BMP exactly; the transparent GIF over white.
        QCOMPARE(ds.at(4, 0), 10.0f);
        QCOMPARE(ds.at(4, 2), 240.0f);
        for (std::int64_t k = 0; k < ds.d; ++k) QCOMPARE(ds.at(0, k), 255.0f);
        // Labels: the first-level sub-folder (dogs/sub/d.bmp is a dog); the top-level file has none.
        QVERIFY(ds.label());
        QCOMPARE(ds.label()->name, std::string("folder"));
        QCOMPARE(ds.label()->categories, (std::vector<std::string>{"birds", "cats", "dogs"}));
        QCOMPARE(ds.label()->codes, (std::vector<std::int32_t>{0, 1, 1, 2, 2, -1}));
        const auto width = ds.find_metadata("width");
        QVERIFY(width);
        QCOMPARE(ds.metadata[*width].numbers[2], 48.0);
        // Skipped and ignored files, reported.
        QCOMPARE(r.skipped.size(), std::size_t(1));
        QCOMPARE(r.skipped[0].path, QStringLiteral("birds/broken.png"));
        QCOMPARE(r.ignoredFiles, std::int64_t(1));
        QVERIFY2(r.skippedMessage().startsWith(QStringLiteral("1 file could not be read and was skipped: birds/broken.png (")),
                 qPrintable(r.skippedMessage()));
        QCOMPARE(r.sha256.size(), 64);
    }

    void deterministic() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        makeMixedFolder(dir.path());
        if (QTest::currentTestFailed()) return;
        ui::ImageFolderOptions one, two;
        one.threads = 1;
        two.threads = 2;
        const auto a = ui::loadImageFolder(dir.path(), one);
        const auto b = ui::loadImageFolder(dir.path(), two);
        QCOMPARE(a.dataset->row_ids, b.dataset->row_ids);
        QVERIFY(a.dataset->features == b.dataset->features);
        QCOMPARE(a.sha256, b.sha256);
        // The hash follows the images' content, not the other files.
        write(dir.filePath(QStringLiteral("more notes.txt")), "still not an image");
        QCOMPARE(ui::loadImageFolder(dir.path()).sha256, a.sha256);
        save(colourImage(32, 32, QColor(1, 2, 3)), dir.filePath(QStringLiteral("top.png")), "PNG");
        QVERIFY(ui::loadImageFolder(dir.path()).sha256 != a.sha256);
    }

    void greyFolderKeepsItsSize() {
        // A folder of 28 x 28 grey PNGs (MNIST exported): one channel, 28 x 28, pixel for pixel.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        for (int i = 0; i < 6; ++i)
            save(greyImage(28, 28, i), dir.filePath(QStringLiteral("%1/%2.png").arg(i % 2 ? "odd" : "even").arg(i)), "PNG");
        const auto r = ui::loadImageFolder(dir.path());
        const data::Dataset& ds = *r.dataset;
        QCOMPARE(ds.images.channels, 1);
        QCOMPARE(ds.images.width, 28);
        QCOMPARE(ds.d, std::int64_t(784));
        QCOMPARE(ds.feature_names[29], std::string("px_1_1"));
        QCOMPARE(ds.row_ids.front(), std::string("even/0.png"));
        const QImage expected = greyImage(28, 28, 0);
        for (int y = 0; y < 28; ++y)
            for (int x = 0; x < 28; ++x) QCOMPARE(ds.at(0, y * 28 + x), float(expected.constScanLine(y)[x]));
        QCOMPARE(ds.label()->categories, (std::vector<std::string>{"even", "odd"}));
        QVERIFY(r.skipped.empty());
        // A chosen side resizes them.
        ui::ImageFolderOptions o;
        o.side = 14;
        QCOMPARE(ui::loadImageFolder(dir.path(), o).dataset->d, std::int64_t(14 * 14));
    }

    void oneSubFolderIsNoLabel() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        save(greyImage(8, 8, 0), dir.filePath(QStringLiteral("only/a.png")), "PNG");
        save(greyImage(8, 8, 1), dir.filePath(QStringLiteral("only/b.png")), "PNG");
        const auto r = ui::loadImageFolder(dir.path());
        QVERIFY(!r.dataset->label_column);
        QVERIFY(r.dataset->find_metadata("folder"));
    }

    void hiddenFilesAndUpperCaseNames() {
        // ".thumbnails/", ".DS_Store"-like files are not images of the set; "IMG.PNG" is one.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        save(greyImage(8, 8, 0), dir.filePath(QStringLiteral("a/IMG_1.PNG")), "PNG");
        save(greyImage(8, 8, 1), dir.filePath(QStringLiteral("b/img_2.Jpeg")), "JPEG");
        save(greyImage(8, 8, 2), dir.filePath(QStringLiteral(".thumbnails/t.png")), "PNG");
        save(greyImage(8, 8, 3), dir.filePath(QStringLiteral("a/.hidden.png")), "PNG");
        const auto r = ui::loadImageFolder(dir.path());
        QCOMPARE(r.dataset->row_ids, (std::vector<std::string>{"a/IMG_1.PNG", "b/img_2.Jpeg"}));
        QCOMPARE(r.ignoredFiles, std::int64_t(0));
    }

    void errors_data() {
        QTest::addColumn<QString>("layout");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty") << QString() << QStringLiteral("is empty: no image files");
        QTest::newRow("no images") << QStringLiteral("text") << QStringLiteral("holds no image files (PNG, JPEG, BMP, GIF, WebP) in it or its sub-folders, only 2 other files");
        QTest::newRow("all corrupt") << QStringLiteral("corrupt") << QStringLiteral("none of its 2 image files could be read: a/x.png (");
        QTest::newRow("missing") << QStringLiteral("missing") << QStringLiteral("no such folder");
        QTest::newRow("a file") << QStringLiteral("file") << QStringLiteral("is not a folder");
        QTest::newRow("too many") << QStringLiteral("many") << QStringLiteral("holds more than 3 image files: open a smaller folder");
    }

    void errors() {
        QFETCH(QString, layout);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QString path = dir.path();
        ui::ImageFolderOptions options;
        if (layout == QLatin1String("text")) {
            write(dir.filePath(QStringLiteral("a.txt")), "x");
            write(dir.filePath(QStringLiteral("b/c.csv")), "1,2");
        } else if (layout == QLatin1String("corrupt")) {
            write(dir.filePath(QStringLiteral("a/x.png")), "not a png");
            write(dir.filePath(QStringLiteral("b/y.jpg")), "");
        } else if (layout == QLatin1String("missing")) {
            path = dir.filePath(QStringLiteral("nowhere"));
        } else if (layout == QLatin1String("file")) {
            path = dir.filePath(QStringLiteral("a.png"));
            save(greyImage(4, 4, 0), path, "PNG");
        } else if (layout == QLatin1String("many")) {
            for (int i = 0; i < 5; ++i) save(greyImage(4, 4, i), dir.filePath(QStringLiteral("%1.png").arg(i)), "PNG");
            options.maxImages = 3;
        }
        try {
            ui::loadImageFolder(path, options);
            QFAIL("no error");
        } catch (const LoadError& e) {
            const QString message = QString::fromUtf8(e.what());
            QVERIFY2(message.startsWith(path) && message.contains(expected), qPrintable(message));
        }
    }

    void canceled() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        for (int i = 0; i < 4; ++i) save(greyImage(8, 8, i), dir.filePath(QStringLiteral("%1.png").arg(i)), "PNG");
        std::int64_t last = 0, total = 0;
        const auto r = ui::loadImageFolder(dir.path(), {}, [] { return true; },
                                           [&](std::int64_t done, std::int64_t all) { last = done, total = all; });
        QVERIFY(!r.dataset);
        QCOMPARE(last, std::int64_t(0));  // not one image read
        // Not canceled: progress reaches its end (two passes over 4 files).
        const auto full = ui::loadImageFolder(dir.path(), {}, {}, [&](std::int64_t done, std::int64_t all) {
            last = std::max(last, done);
            total = all;
        });
        QVERIFY(full.dataset);
        QCOMPARE(total, std::int64_t(8));
        QCOMPARE(last, std::int64_t(8));
    }

    void tooltipAndThumbnailsShowRgb() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        makeMixedFolder(dir.path());
        if (QTest::currentTestFailed()) return;
        const std::shared_ptr<const data::Dataset> ds = ui::loadImageFolder(dir.path()).dataset;
        showEmptyWindow();
        if (QTest::currentTestFailed()) return;
        m_window->setDataset(ds, QStringLiteral("images"));
        QTRY_COMPARE(m_window->dataset(), ds);
        // Row 1 is the pattern: the tooltip's image is it, three times as large.
        const QString html = m_window->pointDescription(1);
        QVERIFY2(html.contains(QStringLiteral("cats/a.png")), qPrintable(html.left(300)));
        const QImage shown = imageFromTooltip(html);
        QCOMPARE(shown.size(), QSize(96, 96));
        QCOMPARE(shown.pixel(3 * 5 + 1, 3 * 7 + 1), patternImage().pixel(5, 7));
        QCOMPARE(imageFromTooltip(m_window->pointDescription(4)).pixel(0, 0), qRgb(10, 20, 240));
        // The Images tab's thumbnails: colour too.
        const QImage thumb = ui::ThumbnailModel::rowImage(*ds, 1, 2);
        QCOMPARE(thumb.size(), QSize(64, 64));
        QCOMPARE(thumb.pixel(2 * 9, 2 * 3), patternImage().pixel(9, 3));
        ui::ThumbnailModel model;
        model.setRows(ds, {0, 1}, 2);
        QCOMPARE(model.thumbnailSize(), QSize(64, 64));
        const QPixmap decoration = model.data(model.index(1), Qt::DecorationRole).value<QPixmap>();
        QCOMPARE(decoration.toImage().pixel(2 * 9, 2 * 3), patternImage().pixel(9, 3));
        // 64 x 64 images are not doubled: thumbnails stay within 96 pixels.
        auto large = std::make_shared<data::Dataset>(*ds);
        large->images.width = large->images.height = 64;
        large->images.pixels.resize(large->images.image_bytes() * std::size_t(large->n));
        large->features.resize(large->images.pixels.size());
        large->d = std::int64_t(large->images.image_bytes());
        large->feature_names.resize(std::size_t(large->d));
        model.setRows(large, {0}, 2);
        QCOMPARE(model.thumbnailSize(), QSize(64, 64));
    }

    void windowOpensFolderAndRunsPca() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        makeMixedFolder(dir.path());
        if (QTest::currentTestFailed()) return;
        showEmptyWindow();
        if (QTest::currentTestFailed()) return;
        QSignalSpy changed(m_window.get(), &ui::MainWindow::datasetChanged);
        m_window->loadFile(dir.path());
        QTRY_VERIFY_WITH_TIMEOUT(changed.count() >= 1 && !m_window->isLoading(), 20000);
        const auto ds = m_window->dataset();
        QVERIFY(ds);
        QCOMPARE(ds->format, std::string("images"));
        QCOMPARE(ds->n, std::int64_t(6));
        QCOMPARE(m_window->preparedDataset().path, QFileInfo(dir.path()).absoluteFilePath());
        QCOMPARE(m_window->preparedDataset().sha256, ui::loadImageFolder(dir.path()).sha256);
        QCOMPARE(m_window->preparedDataset().displayName, QFileInfo(dir.path()).fileName());
        // The skipped file is told in the status bar; the folder is a recent file.
        const QString status = m_window->statusBar()->currentMessage();
        QVERIFY2(status.contains(QStringLiteral("birds/broken.png")), qPrintable(status));
        QVERIFY(QSettings().value(QStringLiteral("recentFiles")).toStringList().contains(QFileInfo(dir.path()).absoluteFilePath()));
        // Coloured by the folder.
        QCOMPARE(m_window->preparedDataset().defaultColorColumn, 0);

        // PCA on the pixels.
        m_window->reductionPanel()->setMethod(ui::ReductionPanel::Method::Pca);
        QSignalSpy finished(m_window->reduction(), &ui::ReductionController::runFinished);
        m_window->reduction()->run();
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 20000);
        QCOMPARE(finished.first().at(1).toString(), QString());
        QCOMPARE(m_window->reduction()->embedding().size(), std::size_t(2 * 6));

        // Saved as a session and reopened in another window: the same rows, the run back.
        const QString session = dir.filePath(QStringLiteral("../folder-session-%1.latentscape").arg(QCoreApplication::applicationPid()));
        QCOMPARE(m_window->saveSession(session), QString());
        auto other = std::make_unique<ui::MainWindow>();
        other->resize(900, 600);
        other->show();
        QVERIFY(QTest::qWaitForWindowExposed(other.get()));
        QSignalSpy opened(other.get(), &ui::MainWindow::sessionOpened);
        other->openSession(session);
        QTRY_VERIFY_WITH_TIMEOUT(opened.count() == 1, 20000);
        QCOMPARE(other->dataset()->row_ids, ds->row_ids);
        QVERIFY(other->dataset()->features == ds->features);
        QCOMPARE(other->document()->runs().size(), std::size_t(1));

        // A changed folder is refused, naming it.
        save(colourImage(32, 32, QColor(9, 9, 9)), dir.filePath(QStringLiteral("cats/new.png")), "PNG");
        QSignalSpy failed(other.get(), &ui::MainWindow::loadFailed);
        other->openSession(session);
        QTRY_VERIFY_WITH_TIMEOUT(failed.count() == 1, 20000);
        QVERIFY2(failed.first().at(0).toString().contains(QStringLiteral("has changed since the session")),
                 qPrintable(failed.first().at(0).toString()));
        for (const QString& f : QDir(QFileInfo(session).absolutePath())
                                    .entryList({QFileInfo(session).completeBaseName() + QStringLiteral("*")}, QDir::Files))
            QFile::remove(QFileInfo(session).absoluteDir().filePath(f));
    }

    void serviceShowsProgressAndNewestWins() {
        QTemporaryDir big, small;
        QVERIFY(big.isValid() && small.isValid());
        for (int i = 0; i < 1500; ++i)
            save(greyImage(28, 28, i), big.filePath(QStringLiteral("c%1/%2.png").arg(i % 3).arg(i, 4, 10, QLatin1Char('0'))), "PNG");
        for (int i = 0; i < 2; ++i) save(greyImage(8, 8, i), small.filePath(QStringLiteral("%1.png").arg(i)), "PNG");
        showEmptyWindow();
        if (QTest::currentTestFailed()) return;
        ui::DatasetService* service = m_window->datasets();
        QSignalSpy progress(service, &ui::DatasetService::progressChanged);
        QSignalSpy loaded(service, &ui::DatasetService::loaded);
        service->openImageFolder(big.path());
        QTRY_VERIFY_WITH_TIMEOUT(loaded.count() == 1, 30000);
        QCOMPARE(m_window->dataset()->n, std::int64_t(1500));
        QVERIFY(!progress.isEmpty());
        for (const auto& p : progress) QVERIFY(p.at(0).toInt() > 0 && p.at(0).toInt() <= 1000);
        // A newer load cancels the folder being read: only the newer one arrives.
        loaded.clear();
        service->openImageFolder(big.path());
        service->openImageFolder(small.path());
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->isLoading(), 30000);
        QTest::qWait(100);
        QCOMPARE(loaded.count(), 1);
        QCOMPARE(m_window->dataset()->n, std::int64_t(2));
    }

    void droppedFolderOpens() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        for (int i = 0; i < 3; ++i) save(greyImage(10, 10, i), dir.filePath(QStringLiteral("%1.png").arg(i)), "PNG");
        showEmptyWindow();
        if (QTest::currentTestFailed()) return;
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(dir.path())});
        QDropEvent drop(QPointF(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        // Straight to the window's handler (QApplication routes drops through a drag in progress).
        static_cast<QObject*>(m_window.get())->event(&drop);
        QVERIFY(drop.isAccepted());
        QTRY_VERIFY_WITH_TIMEOUT(m_window->dataset() && m_window->dataset()->format == "images", 20000);
        QCOMPARE(m_window->dataset()->n, std::int64_t(3));
        QCOMPARE(m_window->dataset()->images.channels, 1);
        // Given with a trailing slash (as a shell completes it): named after the folder still.
        m_window->loadFile(dir.path() + QStringLiteral("/"));
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->isLoading(), 20000);
        QCOMPARE(m_window->preparedDataset().displayName, QFileInfo(dir.path()).fileName());
        QCOMPARE(m_window->preparedDataset().path, QFileInfo(dir.path()).absoluteFilePath());
    }
};

QTEST_MAIN(tst_ImageFolder)
#include "tst_image_folder.moc"
