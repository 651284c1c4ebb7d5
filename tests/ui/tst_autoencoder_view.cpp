// The autoencoder in the app, through the real window: a run from the Reduction panel shown
// epoch by epoch with its loss curve, ending on exactly the core's codes; the view's widget <->
// latent mapping; the Decoder dock decoding an empty place of the latent plane and a traversal
// strip; 8-bit images scaled to [0, 1] and decoded back to pixels; an early stop that ends the
// run; a bad hidden-layer spec refused with a message.
#include "gui_fixtures.h"

#include "ReductionController.h"
#include "jobs/EmbeddingJob.h"
#include "panels/DecoderPanel.h"
#include "panels/GeneratorPanel.h"
#include "panels/LossCurveWidget.h"
#include "panels/ReductionPanel.h"
#include "reduce/autoencoder.h"
#include "reduce/gan.h"

#include <QApplication>
#include <QContextMenuEvent>
#include <QLineEdit>
#include <QMenu>
#include <QMouseEvent>
#include <QPushButton>
#include <QSpinBox>
#include <QStatusBar>

using namespace gui_fixtures;
namespace ae = reduce::autoencoder;

namespace {

// 2,000 points in 50-D, four blobs: an epoch of a 50-256-128-2 network takes some tens of
// milliseconds, so the live view sees several epochs.
std::shared_ptr<const data::Dataset> blobs(std::int64_t n = 2000, std::int64_t d = 50, int k = 4) { return makeBlobs(n, d, k, 5); }

// 8 x 8 grey images (features 0..255, one per pixel): horizontal or vertical bars with noise.
std::shared_ptr<const data::Dataset> barImages(std::int64_t n = 400) {
    auto ds = std::make_shared<data::Dataset>();
    const int side = 8;
    ds->n = n;
    ds->d = side * side;
    ds->features.resize(std::size_t(n * ds->d));
    ds->images.width = side;
    ds->images.height = side;
    ds->images.channels = 1;
    ds->images.pixels.resize(std::size_t(n * ds->d));
    std::mt19937 rng(9);
    std::uniform_int_distribution<int> noise(0, 40), which(0, side - 1);
    std::vector<std::int32_t> codes(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
        const bool horizontal = i % 2 == 0;
        const int line = which(rng);
        codes[std::size_t(i)] = horizontal ? 0 : 1;
        for (int y = 0; y < side; ++y)
            for (int x = 0; x < side; ++x) {
                const bool on = horizontal ? y == line : x == line;
                const int v = on ? 255 - noise(rng) : noise(rng);
                const auto j = std::size_t(i * ds->d + y * side + x);
                ds->images.pixels[j] = std::uint8_t(v);
                ds->features[j] = float(v);
            }
    }
    for (int j = 0; j < ds->d; ++j) ds->feature_names.push_back("pixel" + std::to_string(j));
    ds->metadata.push_back(data::MetadataColumn::categorical("bars", std::move(codes), {"horizontal", "vertical"}));
    ds->label_column = 0;
    ds->source = "bar images";
    ds->check_consistent();
    return ds;
}

// Triggers the action `name` of the context menu that pops up next (QMenu::exec runs its own
// event loop), then closes it.
void triggerNextMenuAction(const QString& name, bool* found) {
    QTimer::singleShot(50, [name, found] {
        auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
        if (!menu) return;
        for (QAction* action : menu->actions())
            if (action->objectName() == name && action->isEnabled()) {
                *found = true;
                action->trigger();
            }
        menu->close();
    });
}

}  // namespace

class TestAutoencoderView : public QObject {
    Q_OBJECT

    std::unique_ptr<ui::MainWindow> m_window;

    ui::ReductionController* reduction() const { return m_window->reduction(); }
    ui::ReductionPanel* panel() const { return m_window->reductionPanel(); }
    ui::DecoderPanel* decoder() const { return m_window->decoderPanel(); }
    ui::ScatterView* view() const { return m_window->scatterView(); }

    void show(std::shared_ptr<const data::Dataset> dataset) {
        m_window->setDataset(dataset, QStringLiteral("test data"));
        QTRY_COMPARE(m_window->dataset(), dataset);
    }

    // Runs the panel's autoencoder to its end.
    void runToEnd(int timeoutMs = 120000) {  // a deadline for hangs: ASan builds need ~31 s
        QSignalSpy finished(reduction(), &ui::ReductionController::runFinished);
        QTest::mouseClick(panel()->runButton(), Qt::LeftButton);
        QVERIFY(reduction()->isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, timeoutMs);
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        QCOMPARE(finished.at(0).at(1).toString(), QString());
    }

    // A widget position whose plane point is at least `clearance` pixels from every point and
    // inside the points' bounding box (between the clusters).
    QPoint emptySpot(double clearance) const {
        double xmin = 1e30, xmax = -1e30, ymin = 1e30, ymax = -1e30;
        for (std::size_t i = 0; i < view()->pointCount(); ++i) {
            const QPointF w = view()->widgetPosition(i);
            xmin = std::min(xmin, w.x()), xmax = std::max(xmax, w.x());
            ymin = std::min(ymin, w.y()), ymax = std::max(ymax, w.y());
        }
        for (int gy = 1; gy < 20; ++gy)
            for (int gx = 1; gx < 20; ++gx) {
                const QPoint p(int(xmin + (xmax - xmin) * gx / 20.0), int(ymin + (ymax - ymin) * gy / 20.0));
                if (view()->pointAt(p, clearance) < 0) return p;
            }
        return {-1, -1};
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init() {
        QSettings().clear();
        m_window = std::make_unique<ui::MainWindow>();
        m_window->resize(1100, 800);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        panel()->setMethod(ui::ReductionPanel::Method::Autoencoder);
    }
    void cleanup() { m_window.reset(); }

    void runsLiveAndEndsOnTheCoreCodes_data() {
        QTest::addColumn<bool>("variational");
        QTest::newRow("autoencoder") << false;
        QTest::newRow("VAE") << true;
    }

    void runsLiveAndEndsOnTheCoreCodes() {
        QFETCH(bool, variational);
        const auto ds = blobs();
        show(ds);
        // Long enough that snapshots arrive mid-run even on a loaded machine (8 epochs took ~0.3 s,
        // and with frames paced at up to 250 ms a busy run showed only the first and the last).
        const int epochs = 16;
        panel()->setAutoencoderEpochs(epochs);
        panel()->setAutoencoderBatchSize(32);
        panel()->setAutoencoderHidden(QStringLiteral("256, 128"));
        panel()->setAutoencoderVariational(variational);
        QVERIFY(panel()->lossCurve()->isVisible());

        // What the live view sees: the epochs in the history grow, the loss curve with them.
        std::vector<int> historySizes;
        std::vector<int> curvePoints;
        connect(reduction(), &ui::ReductionController::trainingChanged, this, [&] {
            historySizes.push_back(int(reduction()->training()->epochs.size()));
            curvePoints.push_back(panel()->lossCurve()->trainPointCount());
        });
        int models = 0;
        connect(reduction(), &ui::ReductionController::modelChanged, this, [&] { models += reduction()->model() ? 1 : 0; });
        runToEnd();
        QCOMPARE(reduction()->methodName(), variational ? QStringLiteral("VAE") : QStringLiteral("Autoencoder"));
        qInfo("%d frames, %d training snapshots, %d models; history sizes seen: %s", reduction()->framesShown(),
              int(historySizes.size()), models,
              qPrintable([&] {
                  QStringList s;
                  for (int h : historySizes) s << QString::number(h);
                  return s.join(' ');
              }()));
        QVERIFY(historySizes.size() >= 3);
        QVERIFY(std::is_sorted(historySizes.begin(), historySizes.end()));
        QCOMPARE(historySizes.back(), epochs);
        // Some snapshots arrived in the middle of the run, not only the first and the last.
        QVERIFY(std::any_of(historySizes.begin(), historySizes.end(), [&](int h) { return h > 0 && h < epochs; }));
        QVERIFY(models >= 3);
        QCOMPARE(panel()->lossCurve()->trainPointCount(), epochs);
        QCOMPARE(panel()->lossCurve()->validationPointCount(), epochs);
        QCOMPARE(curvePoints.back(), epochs);
        QVERIFY(m_window->findChild<QLabel*>(QStringLiteral("reductionStatus"))->text().contains(QStringLiteral("%1 epochs").arg(epochs)));

        // The same options through the core: the same codes, bit for bit, and the same network.
        const auto options = panel()->autoencoderOptions();
        QVERIFY(options && options->hidden && *options->hidden == std::vector<int>({256, 128}));
        QCOMPARE(options->variational, variational);
        auto status = ae::initialize(ds->features.data(), ds->n, ds->d, *options);
        status.run_epochs(epochs);
        QVERIFY(status.finished());
        const ae::Model core = status.model();
        const std::vector<float> codes = core.encode(ds->features.data(), ds->n);
        const std::vector<float>& shown = reduction()->embedding();
        QCOMPARE(shown.size(), std::size_t(2 * ds->n));
        QVERIFY(shown == codes);
        QVERIFY(reduction()->model());
        QCOMPARE(reduction()->model()->layers.size(), core.layers.size());
        for (std::size_t l = 0; l < core.layers.size(); ++l)
            QVERIFY(reduction()->model()->layers[l].weights == core.layers[l].weights);
        QVERIFY(reduction()->model()->scale.empty());
        // The history the curve drew is the core's.
        const auto& history = panel()->lossCurve()->progress()->epochs;
        QCOMPARE(history.size(), status.history().size());
        for (std::size_t e = 0; e < history.size(); ++e) {
            QCOMPARE(history[e].train_loss, status.history()[e].train_loss);
            QCOMPARE(history[e].validation_loss, status.history()[e].validation_loss);
        }
        // ... and the view holds the codes; the axes are named after the method.
        for (std::size_t i : {std::size_t(0), std::size_t(999), std::size_t(1999)}) {
            QCOMPARE(float(view()->pointPosition(i)[0]), shown[2 * i]);
            QCOMPARE(float(view()->pointPosition(i)[1]), shown[2 * i + 1]);
        }
        QCOMPARE(view()->xAxisLabel(), reduction()->methodName() + QStringLiteral(" 1"));
        QVERIFY(decoder()->isVisible());
        if (!variational) keepScreenshot(m_window->grab().toImage(), "autoencoder_blobs_window");
    }

    void widgetAndLatentPositionsInvert() {
        const auto ds = blobs(600, 20, 3);
        show(ds);
        panel()->setAutoencoderEpochs(3);
        runToEnd();
        const auto check = [this] {
            // Points: planePosition undoes widgetPosition.
            for (std::size_t i = 0; i < view()->pointCount(); i += 37) {
                const auto p = view()->pointPosition(i);
                const auto q = view()->planePosition(view()->widgetPosition(i));
                const double scale = std::max({1.0, std::abs(p[0]), std::abs(p[1])});
                QVERIFY2(std::abs(q[0] - p[0]) < 1e-5 * scale && std::abs(q[1] - p[1]) < 1e-5 * scale,
                         qPrintable(QString("point %1: (%2, %3) -> (%4, %5)").arg(i).arg(p[0]).arg(p[1]).arg(q[0]).arg(q[1])));
            }
            // Any place (empty ones too): widgetPosition undoes planePosition.
            for (const QPointF w : {QPointF(3.5, 7.25), QPointF(view()->width() / 2.0, view()->height() / 3.0),
                                    QPointF(view()->width() - 1.0, view()->height() - 1.0)}) {
                const auto z = view()->planePosition(w);
                const QPointF back = view()->widgetPosition(z[0], z[1]);
                QVERIFY2(std::abs(back.x() - w.x()) < 1e-2 && std::abs(back.y() - w.y()) < 1e-2,
                         qPrintable(QString("(%1, %2) -> (%3, %4)").arg(w.x()).arg(w.y()).arg(back.x()).arg(back.y())));
            }
        };
        check();
        // After a zoom about the cursor and a pan, too.
        const QPoint aside(view()->width() / 3, view()->height() / 3);
        QWheelEvent wheel(aside, view()->mapToGlobal(aside), QPoint(), QPoint(0, 240), Qt::NoButton, Qt::NoModifier,
                          Qt::NoScrollPhase, false);
        QApplication::sendEvent(view(), &wheel);
        QTest::mousePress(view(), Qt::LeftButton, Qt::NoModifier, aside);
        QTest::mouseMove(view(), aside + QPoint(40, 25));
        QTest::mouseRelease(view(), Qt::LeftButton, Qt::NoModifier, aside + QPoint(40, 25));
        QVERIFY(!view()->isCameraFitted());
        check();
    }

    void hoverDecodesEmptySpaceAndTraversalStrip() {
        const auto ds = blobs(1000, 20, 4);
        show(ds);
        panel()->setAutoencoderEpochs(10);
        panel()->setAutoencoderBatchSize(32);
        runToEnd();
        QVERIFY(m_window->isDecoderActive());
        QVERIFY(decoder()->isVisible());
        const auto model = reduction()->model();
        QVERIFY(model && model->latent_dims == 2);

        // Hover a place far from every point: the decoder shows the sample decoded there.
        const QPoint spot = emptySpot(12.0);
        QVERIFY2(spot.x() >= 0, "no empty place between the clusters");
        QTest::mouseMove(view(), spot);
        QTRY_VERIFY(decoder()->cursorPosition().has_value());
        const auto z = view()->planePosition(QPointF(spot));
        QCOMPARE((*decoder()->cursorPosition())[0], z[0]);
        QCOMPARE((*decoder()->cursorPosition())[1], z[1]);
        const float zf[2] = {float(z[0]), float(z[1])};
        QVERIFY(decoder()->cursorDecoded() == model->decode(zf, 1));
        QCOMPARE(decoder()->cursorDecoded().size(), std::size_t(ds->d));
        // Beside it, the row whose code is nearest (a linear scan here too).
        const auto& codes = reduction()->embedding();
        std::int64_t nearest = -1;
        double best = 1e300;
        for (std::int64_t i = 0; i < ds->n; ++i) {
            const double dx = codes[std::size_t(2 * i)] - z[0], dy = codes[std::size_t(2 * i + 1)] - z[1];
            if (dx * dx + dy * dy < best) best = dx * dx + dy * dy, nearest = i;
        }
        QCOMPARE(decoder()->nearestIndex(), nearest);
        QVERIFY(view()->pointAt(spot, 12.0) < 0);

        // A traversal through the context menu: from one place to another.
        const QPoint a(view()->width() / 4, view()->height() / 4);
        const QPoint b(3 * view()->width() / 4, 2 * view()->height() / 3);
        const QSize viewSize = view()->size();
        const auto za = view()->planePosition(QPointF(a)), zb = view()->planePosition(QPointF(b));
        bool found = false;
        triggerNextMenuAction(QStringLiteral("traverseFromAction"), &found);
        QContextMenuEvent fromEvent(QContextMenuEvent::Mouse, a, view()->mapToGlobal(a));
        QApplication::sendEvent(view(), &fromEvent);
        QVERIFY(found);
        QVERIFY(decoder()->traversalStart().has_value());
        QVERIFY(decoder()->traversalPoints().empty());
        found = false;
        triggerNextMenuAction(QStringLiteral("traverseToAction"), &found);
        QContextMenuEvent toEvent(QContextMenuEvent::Mouse, b, view()->mapToGlobal(b));
        QApplication::sendEvent(view(), &toEvent);
        QVERIFY(found);
        // The dock's texts changed; the plot kept its size (and so its camera).
        QCOMPARE(view()->size(), viewSize);
        const auto& points = decoder()->traversalPoints();
        QCOMPARE(int(points.size()), ui::DecoderPanel::traversalSteps);
        QCOMPARE(points.front()[0], float(za[0]));
        QCOMPARE(points.front()[1], float(za[1]));
        QCOMPARE(points.back()[0], float(zb[0]));
        QCOMPARE(points.back()[1], float(zb[1]));
        // Evenly spaced along the segment.
        for (std::size_t k = 1; k + 1 < points.size(); ++k) {
            const double t = double(k) / double(points.size() - 1);
            QVERIFY(std::abs(points[k][0] - (za[0] + t * (zb[0] - za[0]))) < 1e-4 * (1 + std::abs(za[0] - zb[0])));
            QVERIFY(std::abs(points[k][1] - (za[1] + t * (zb[1] - za[1]))) < 1e-4 * (1 + std::abs(za[1] - zb[1])));
        }
        QVERIFY(decoder()->traversalDecoded() == model->decode(points.front().data(), std::int64_t(points.size())));
        // The plot marks the segment's ends.
        QVERIFY(view()->overlayStart() && view()->overlayEnd());
        QCOMPARE((*view()->overlayStart())[0], za[0]);
        QCOMPARE((*view()->overlayEnd())[1], zb[1]);
        keepScreenshot(m_window->grab().toImage(), "autoencoder_traversal_window");

        // Plotting the features instead: hovering decodes nothing (positions are not codes then).
        auto* plot = m_window->dataPanel()->findChild<QComboBox*>(QStringLiteral("plotCombo"));
        QVERIFY(plot);
        plot->setCurrentIndex(0);
        QVERIFY(!m_window->isDecoderActive());
        QVERIFY(!view()->overlayStart());
    }

    void imagesAreScaledAndDecodedToPixels() {
        const auto ds = barImages();
        show(ds);
        QCOMPARE(ae::suggested_input_scale(ds->features.data(), ds->n, ds->d, true), 255.0);
        panel()->setAutoencoderEpochs(6);
        panel()->setAutoencoderBatchSize(32);
        runToEnd();
        const auto model = reduction()->model();
        QVERIFY(model && model->sigmoid_output);  // the features reached the network in [0, 1]
        QCOMPARE(model->scale.front(), 255.0f);  // trained with input scale 255
        // The codes are the model's own encoding of the pixels.
        QVERIFY(reduction()->embedding() == model->encode(ds->features.data(), ds->n));
        QVERIFY(decoder()->showsImages());
        const QPoint spot = emptySpot(8.0);
        QVERIFY(spot.x() >= 0);
        QTest::mouseMove(view(), spot);
        QTRY_VERIFY(decoder()->cursorPosition().has_value());
        // The decoded image's pixels are the decoded values (0..255), rounded.
        auto* sample = decoder()->findChild<QWidget*>(QStringLiteral("decodedSample"));
        QVERIFY(sample);
        const QImage shown = sample->grab().toImage();
        QVERIFY(!shown.isNull());
        const std::vector<float>& decoded = decoder()->cursorDecoded();
        QCOMPARE(decoded.size(), std::size_t(64));
        // The sample view draws 8 x 8 pixels as 14 x 14 blocks inside 112 x 112: read the centres.
        int mismatches = 0;
        for (int y = 0; y < 8; ++y)
            for (int x = 0; x < 8; ++x) {
                const int expected = int(std::lround(std::clamp(decoded[std::size_t(y * 8 + x)] / 255.0f, 0.0f, 1.0f) * 255.0f));
                const QRgb got = shown.pixel(x * 14 + 7, y * 14 + 7);
                mismatches += std::abs(qGray(got) - expected) > 1;
            }
        QCOMPARE(mismatches, 0);
        auto* nearest = decoder()->findChild<QWidget*>(QStringLiteral("nearestSample"));
        QVERIFY(nearest);
        keepScreenshot(decoder()->grab().toImage(), "autoencoder_images_decoder");
    }

    void earlyStopEndsTheRun() {
        const auto ds = blobs(300, 10, 3);
        show(ds);
        panel()->setAutoencoderEpochs(400);
        panel()->setAutoencoderBatchSize(16);
        auto* patience = panel()->findChild<QSpinBox*>(QStringLiteral("aePatience"));
        QVERIFY(patience);
        patience->setValue(2);
        const auto options = panel()->autoencoderOptions();
        QVERIFY(options);
        const ae::Result core = ae::run_to_end(ds->features.data(), ds->n, ds->d, *options);
        if (!core.stopped_early) QSKIP("the core ran all 400 epochs: nothing to stop early");
        runToEnd();
        QVERIFY(reduction()->training()->stoppedEarly);
        QCOMPARE(int(reduction()->training()->epochs.size()), int(core.history.size()));
        QVERIFY(reduction()->embedding() == core.codes);
        QCOMPARE(std::int64_t(reduction()->embeddingIteration()), core.steps);
        QVERIFY(m_window->findChild<QLabel*>(QStringLiteral("reductionStatus"))->text().contains("stopped early"));
        QTRY_COMPARE(reduction()->workersAlive(), 0);
    }

    void badHiddenSizesAreRefused() {
        const auto ds = blobs(300, 10, 3);
        show(ds);
        panel()->setAutoencoderHidden(QStringLiteral("512,abc"));
        auto* error = panel()->findChild<QLabel*>(QStringLiteral("aeHiddenError"));
        QVERIFY(error && error->isVisible());
        QVERIFY2(error->text().contains(QStringLiteral("abc")), qPrintable(error->text()));
        QString message;
        QVERIFY(!panel()->autoencoderOptions(&message));
        QVERIFY(message.contains(QStringLiteral("abc")));
        QTest::mouseClick(panel()->runButton(), Qt::LeftButton);
        QVERIFY(!reduction()->isRunning());
        QVERIFY(m_window->statusBar()->currentMessage().contains(QStringLiteral("abc")));
        for (const char* bad : {"0", "12,,3", "70000", "-4"}) {
            QString why;
            QVERIFY2(!ui::ReductionPanel::parseHiddenSizes(QString::fromLatin1(bad), &why), bad);
            QVERIFY(!why.isEmpty());
        }
        QCOMPARE(*ui::ReductionPanel::parseHiddenSizes(QStringLiteral(" 64 , 8 "), nullptr), std::vector<int>({64, 8}));
        QVERIFY(!ui::ReductionPanel::parseHiddenSizes(QString(), nullptr)->has_value());  // automatic
        panel()->setAutoencoderHidden(QStringLiteral("16"));
        QVERIFY(!error->isVisible());
        // The core's own checks (here: BCE on data outside [0, 1]) come back as a message, not a crash.
        auto* loss = panel()->findChild<QComboBox*>(QStringLiteral("aeLoss"));
        loss->setCurrentIndex(1);
        QSignalSpy finished(reduction(), &ui::ReductionController::runFinished);
        QTest::mouseClick(panel()->runButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 10000);
        QVERIFY(!finished.at(0).at(1).toString().isEmpty());
        qInfo("core error shown: %s", qPrintable(finished.at(0).at(1).toString()));
    }

    void threeDimensionalCodesAndCancel() {
        // A 3-D latent space is shown rotatable; the decoder (2-D planes only) stays out of it.
        const auto ds = blobs(800, 20, 4);
        show(ds);
        auto* dims = panel()->findChild<QSpinBox*>(QStringLiteral("reductionDims"));
        QVERIFY(dims);
        dims->setValue(3);
        panel()->setAutoencoderEpochs(3);
        runToEnd();
        QVERIFY(view()->isThreeD());
        QCOMPARE(reduction()->embeddingDims(), 3);
        QCOMPARE(reduction()->embedding().size(), std::size_t(3 * ds->n));
        QCOMPARE(reduction()->model()->latent_dims, 3);
        QVERIFY(!m_window->isDecoderActive());
        QVERIFY(!decoder()->isVisible());

        // Cancel: the window lets go at once, the worker within a step.
        dims->setValue(2);
        panel()->setAutoencoderEpochs(100000);
        QSignalSpy finished(reduction(), &ui::ReductionController::runFinished);
        QTest::mouseClick(panel()->runButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(reduction()->framesShown() >= 3, 20000);
        QElapsedTimer clock;
        clock.start();
        QTest::mouseClick(panel()->cancelButton(), Qt::LeftButton);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        QTRY_VERIFY_WITH_TIMEOUT(reduction()->workersAlive() == 0, 2000);
        qInfo("autoencoder worker stopped %lld ms after Cancel", static_cast<long long>(clock.elapsed()));
        QVERIFY(clock.elapsed() < 250);
        // The last epoch's model stays with the codes it made: the decoder still decodes.
        QVERIFY(reduction()->model());
        QVERIFY(m_window->isDecoderActive());
        QVERIFY(reduction()->embedding() == reduction()->model()->encode(ds->features.data(), ds->n));
    }

    // The Generator dock: a GAN trained live on image data, equal to the core's for the same
    // options; its grid, plane, hover and interpolation strip; a comparison with the real rows and
    // the joint dataset opened in the window.
    void ganTrainsLiveGeneratesAndCompares() {
        const auto ds = barImages(400);
        show(ds);
        ui::GeneratorPanel* gen = m_window->generatorPanel();
        gen->show();
        // Floating and wide, as a user would undock it: every part on screen, nothing scrolled.
        gen->setFloating(true);
        gen->resize(1500, 420);
        QVERIFY(QTest::qWaitForWindowExposed(gen));
        const int epochs = 6;
        gen->setEpochs(epochs);
        QSignalSpy finished(gen, &ui::GeneratorPanel::trainingFinished);
        QTest::mouseClick(m_window->findChild<QPushButton*>(QStringLiteral("ganTrain")), Qt::LeftButton);
        QVERIFY(gen->isTraining());
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 120000);
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        QCOMPARE(finished.at(0).at(1).toString(), QString());
        QVERIFY(!gen->isTraining());
        QCOMPARE(gen->lossCurve()->trainPointCount(), epochs);
        QCOMPARE(gen->lossCurve()->validationPointCount(), epochs);

        // The same networks as the core's for the same options (8-bit pixels seen as x / 255).
        reduce::gan::Options o;
        o.noise_dims = 2;
        o.epochs = epochs;
        o.input_scale = 255.0;
        auto status = reduce::gan::initialize(ds->features.data(), ds->n, ds->d, o);
        status.run_steps(status.max_steps());
        const reduce::gan::Model core = status.model();
        QVERIFY(gen->model());
        QCOMPARE(gen->model()->generator.size(), core.generator.size());
        for (std::size_t l = 0; l < core.generator.size(); ++l) QVERIFY(gen->model()->generator[l].weights == core.generator[l].weights);
        const auto z = reduce::gan::noise(ui::GeneratorPanel::gridSamples, 2, 7);
        QVERIFY(gen->gridValues() == core.generate(z.data(), ui::GeneratorPanel::gridSamples));
        QCOMPARE(gen->planeValues().size(), std::size_t(ui::GeneratorPanel::planeTiles * ui::GeneratorPanel::planeTiles * ds->d));
        auto* first = m_window->findChild<ui::SampleView*>(QStringLiteral("ganSample0"));
        QVERIFY(first && !first->image().isNull());
        QCOMPARE(first->image().size(), QSize(8, 8));

        // Hovering the plane's centre generates at noise (0, 0); clicks set the strip's ends.
        auto* plane = m_window->findChild<QWidget*>(QStringLiteral("noisePlane"));
        QVERIFY(plane);
        // A hover as the window system delivers it (QTest::mouseMove does not reach a widget in a
        // floating dock's scroll area under Xvfb).
        const QPointF centre(plane->width() / 2, plane->height() / 2);
        QMouseEvent hover(QEvent::MouseMove, centre, plane->mapToGlobal(centre), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
        QApplication::sendEvent(plane, &hover);
        const float origin[2] = {0.0f, 0.0f};
        QTRY_VERIFY(gen->cursorValues() == gen->model()->generate(origin, 1));
        QTest::mouseClick(plane, Qt::LeftButton, {}, QPoint(0, plane->height() / 2));
        QTest::mouseClick(plane, Qt::RightButton, {}, QPoint(plane->width() / 2, 0));
        QCOMPARE(gen->stripValues().size(), std::size_t(ui::GeneratorPanel::stripSteps * ds->d));
        const float a[2] = {-float(ui::GeneratorPanel::planeExtent), 0.0f};
        const std::vector<float> atA = gen->model()->generate(a, 1);
        QVERIFY(std::equal(atA.begin(), atA.end(), gen->stripValues().begin()));

        // Compared with the real rows, then opened together with them.
        QSignalSpy compared(gen, &ui::GeneratorPanel::compared);
        gen->compare(ui::GeneratorPanel::Source::Gan, 300);
        QTRY_VERIFY_WITH_TIMEOUT(compared.count() == 1, 60000);
        const auto& q = *gen->quality();
        QVERIFY(q.precision_recall.precision >= 0.0 && q.precision_recall.precision <= 1.0);
        QVERIFY(q.precision_recall.recall >= 0.0 && q.precision_recall.recall <= 1.0);
        QVERIFY(q.coverage && q.coverage->real_share.size() == 2);
        QVERIFY(m_window->findChild<QLabel*>(QStringLiteral("ganQuality"))->text().contains(QStringLiteral("precision")));
        const auto joint = gen->jointDataset();
        QCOMPARE(joint->n, ds->n + 300);
        QCOMPARE(joint->label()->name, std::string("source"));
        QCOMPARE(joint->images.pixels.size(), std::size_t(joint->n * ds->d));
        QTest::mouseClick(m_window->findChild<QPushButton*>(QStringLiteral("ganOpenJoint")), Qt::LeftButton);
        QTRY_COMPARE(m_window->dataset()->n, ds->n + 300);
    }

    // Stop ends a long training at once; the VAE of the run on screen is the other generator.
    void ganStopsAndVaeSamplesCompare() {
        const auto ds = barImages(400);
        show(ds);
        ui::GeneratorPanel* gen = m_window->generatorPanel();
        gen->show();
        gen->setEpochs(5000);
        QSignalSpy finished(gen, &ui::GeneratorPanel::trainingFinished);
        gen->train();
        QTRY_VERIFY_WITH_TIMEOUT(gen->model() != nullptr, 60000);
        gen->stop();
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 10000);
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        QTRY_VERIFY(!gen->isTraining());

        panel()->setAutoencoderVariational(true);
        panel()->setAutoencoderEpochs(3);
        runToEnd();
        QSignalSpy compared(gen, &ui::GeneratorPanel::compared);
        gen->compare(ui::GeneratorPanel::Source::Vae, 200);
        QTRY_VERIFY_WITH_TIMEOUT(compared.count() == 1, 60000);
        QCOMPARE(gen->jointDataset()->label()->categories, (std::vector<std::string>{"real", "vae"}));
        QCOMPARE(gen->jointDataset()->n, ds->n + 200);
    }

    void settingsAreKept() {
        panel()->setAutoencoderEpochs(7);
        panel()->setAutoencoderHidden(QStringLiteral("64,16"));
        panel()->setAutoencoderVariational(true);
        panel()->saveSettings();
        ui::ReductionPanel other;
        other.restoreSettings();
        QCOMPARE(other.method(), ui::ReductionPanel::Method::Autoencoder);
        const auto o = other.autoencoderOptions();
        QVERIFY(o);
        QCOMPARE(o->epochs, 7);
        QVERIFY(o->variational);
        QCOMPARE(*o->hidden, std::vector<int>({64, 16}));
    }
};

QTEST_MAIN(TestAutoencoderView)
#include "tst_autoencoder_view.moc"
