// The main window with real widgets under Xvfb: it renders coloured points, survives bad
// files, stays free of Qt 5, follows the X feature combo, pans and zooms, and loads a dropped
// file after asking what to do with its missing values.

#include "MainWindow.h"
#include "data/synthetic.h"
#include "panels/DataPanel.h"
#include "vtk/ColorMaps.h"
#include "vtk/ScatterView.h"
#include "vtk/VtkOpenGLWidget.h"

#include <QComboBox>
#include <QFile>
#include <QMessageBox>
#include <QMimeData>
#include <QOpenGLContext>
#include <QPushButton>
#include <QStandardPaths>
#include <QSurfaceFormat>
#include <QTemporaryDir>
#include <QtTest>

#include <vtkCamera.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkRenderer.h>

#include <cmath>
#include <cstdlib>
#include <memory>

using namespace latentscape;

namespace {

std::shared_ptr<const data::Dataset> smallBlobs() {
    data::synthetic::BlobsOptions options;
    options.n = 1500;
    options.d = 8;
    options.k = 6;
    options.seed = 7;
    return std::make_shared<const data::Dataset>(data::synthetic::blobs(options));
}

// Pixels of the frame within `tolerance` (sum of channel differences) of `color`.
qint64 countNear(const QImage& image, ui::Rgb color, int tolerance);

bool near(QRgb pixel, ui::Rgb color, int tolerance) {
    return std::abs(qRed(pixel) - color.r) + std::abs(qGreen(pixel) - color.g) +
               std::abs(qBlue(pixel) - color.b) <= tolerance;
}

qint64 countNear(const QImage& image, ui::Rgb color, int tolerance) {
    qint64 count = 0;
    for (int y = 0; y < image.height(); ++y) {
        const QRgb* line = reinterpret_cast<const QRgb*>(image.constScanLine(y));
        for (int x = 0; x < image.width(); ++x) count += near(line[x], color, tolerance);
    }
    return count;
}

}  // namespace

class tst_MainWindow : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<ui::MainWindow> m_window;
    std::shared_ptr<const data::Dataset> m_blobs;

    // A shown window holding the blobs, its first frame rendered.
    void showWindowWithBlobs() {
        m_window = std::make_unique<ui::MainWindow>();
        m_window->resize(1000, 700);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_blobs = smallBlobs();
        m_window->setDataset(m_blobs, QStringLiteral("blobs"));
        QTRY_COMPARE(m_window->dataset(), m_blobs);
        QCOMPARE(m_window->scatterView()->pointCount(), std::size_t(m_blobs->n));
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);  // keep QSettings away from the user's files
    }

    void cleanup() { m_window.reset(); }

    void rendersPointsInLabelColours() {
        showWindowWithBlobs();
        const QImage image = m_window->scatterView()->grabFramebuffer();
        QVERIFY(!image.isNull());
        // LATENTSCAPE_TEST_DUMP=file.png keeps the frame for a person to look at.
        if (const QByteArray dump = qgetenv("LATENTSCAPE_TEST_DUMP"); !dump.isEmpty())
            image.save(QString::fromLocal8Bit(dump));
        QVERIFY(m_window->scatterView()->lastRenderMilliseconds() > 0.0);

        std::array<qint64, 6> counts{};
        for (int k = 0; k < 6; ++k) counts[std::size_t(k)] = countNear(image, ui::categoricalColor(k), 30);
        const qint64 white = countNear(image, {255, 255, 255}, 6);
        int present = 0;
        for (qint64 c : counts) present += c >= 20;
        qInfo() << "pixels per label colour" << counts[0] << counts[1] << counts[2] << counts[3] << counts[4]
                << counts[5] << "white fraction" << double(white) / (qint64(image.width()) * image.height());
        QVERIFY2(present >= 4, "fewer than 4 label colours visible");
        QVERIFY(white > qint64(image.width()) * image.height() / 2);
    }

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

    void xFeatureComboMovesPoints() {
        showWindowWithBlobs();
        auto* xCombo = m_window->dataPanel()->findChild<QComboBox*>(QStringLiteral("xFeatureCombo"));
        QVERIFY(xCombo);
        QCOMPARE(xCombo->count(), int(m_blobs->d));
        const int oldFeature = xCombo->currentIndex();
        const int newFeature = (oldFeature + 1) % int(m_blobs->d);
        const auto before = m_window->scatterView()->pointPosition(10);
        QCOMPARE(before[0], double(m_blobs->at(10, oldFeature)));

        xCombo->setCurrentIndex(newFeature);
        const auto after = m_window->scatterView()->pointPosition(10);
        QCOMPARE(after[0], double(m_blobs->at(10, newFeature)));
        QVERIFY(after[0] != before[0]);
        QCOMPARE(after[1], before[1]);  // Y unchanged
        QVERIFY(!m_window->scatterView()->grabFramebuffer().isNull());
    }

    void dragPansWheelZoomsKeysDoNotQuit() {
        showWindowWithBlobs();
        ui::ScatterView* view = m_window->scatterView();
        vtkCamera* camera = view->renderer()->GetActiveCamera();
        QVERIFY(camera->GetParallelProjection());
        const double scale = camera->GetParallelScale();
        double focal[3];
        camera->GetFocalPoint(focal);

        const QPoint centre = view->rect().center();
        const auto atCentre = view->dataPosition(QPointF(view->width() / 2.0, view->height() / 2.0));
        QVERIFY(std::abs(atCentre[0] - focal[0]) < scale * 0.01);
        QVERIFY(std::abs(atCentre[1] - focal[1]) < scale * 0.01);

        // The wheel zooms about the cursor: the data point under it stays under it.
        const QPoint aside = centre + QPoint(view->width() / 4, -view->height() / 5);
        const auto underCursor = view->dataPosition(aside);
        QWheelEvent wheel(aside, view->mapToGlobal(aside), QPoint(), QPoint(0, 120), Qt::NoButton,
                          Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(view, &wheel);
        QVERIFY(camera->GetParallelScale() < scale);
        const auto stillUnder = view->dataPosition(aside);
        QVERIFY(std::abs(stillUnder[0] - underCursor[0]) < scale * 0.01);
        QVERIFY(std::abs(stillUnder[1] - underCursor[1]) < scale * 0.01);
        camera->GetFocalPoint(focal);

        QTest::mousePress(view, Qt::LeftButton, {}, centre);
        QTest::mouseMove(view, centre + QPoint(80, 40));
        QTest::mouseRelease(view, Qt::LeftButton, {}, centre + QPoint(80, 40));
        double moved[3];
        camera->GetFocalPoint(moved);
        QVERIFY(moved[0] < focal[0]);  // dragging right moves the view left over the data
        QVERIFY(moved[1] > focal[1]);  // dragging down (screen) moves it up (world)

        // The default VTK styles quit on 'q'/'e' and go stereo on '3': the adapter swallows them.
        for (char key : {'q', 'e', '3', 'f'}) QTest::keyClick(view, key);
        QVERIFY(m_window->isVisible());
        QVERIFY(!view->renderWindow()->GetStereoRender());

        QTest::keyClick(view, 'r');  // back to the fitted view
        QCOMPARE(camera->GetParallelScale(), scale);
        QVERIFY(!view->grabFramebuffer().isNull());
    }

    void viewMovedToAnotherWindowRendersAgain() {
        // A widget moved to another top-level window gets a new GL context: VTK must follow.
        QWidget first;
        auto* view = new ui::ScatterView(&first);
        view->resize(300, 200);
        const std::vector<float> x{0.0f, 1.0f, 0.5f}, y{0.0f, 0.0f, 1.0f};
        view->setPoints(x.data(), y.data(), 3);
        const ui::Rgb red = ui::categoricalColor(3);
        const std::vector<std::uint8_t> rgb{red.r, red.g, red.b, red.r, red.g, red.b, red.r, red.g, red.b};
        view->setColors(rgb.data(), 3);
        view->setPointSize(12.0);
        view->resetCamera();
        first.resize(300, 200);
        first.show();
        QVERIFY(QTest::qWaitForWindowExposed(&first));
        QVERIFY(countNear(view->grabFramebuffer(), red, 30) >= 3 * 50);

        bool oldContextGone = false;
        connect(view->context(), &QObject::destroyed, this, [&oldContextGone] { oldContextGone = true; });
        QWidget second;
        second.resize(300, 200);
        view->setParent(&second);
        second.show();
        view->show();
        QVERIFY(QTest::qWaitForWindowExposed(&second));
        QVERIFY(oldContextGone);
        QVERIFY(countNear(view->grabFramebuffer(), red, 30) >= 3 * 50);
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
    QSurfaceFormat::setDefaultFormat(ui::VtkOpenGLWidget::defaultFormat());
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
    tst_MainWindow test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_mainwindow.moc"
