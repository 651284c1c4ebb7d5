// The scatter view and its panel with real widgets under Xvfb: coloured points in the frame, the
// X feature combo, pan and zoom, a new GL context, a huge legend kept short, the icon and the
// axis labels.

#include "gui_fixtures.h"
#include "views/ViewGrid.h"
#include "vtk/PointRaster.h"

#include <set>
#include <tuple>

using namespace latentscape;
using namespace gui_fixtures;

class tst_ScatterView : public QObject {
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

    void rendersPointsInLabelColours() {
        showWindowWithBlobs();
        const QImage image = m_window->scatterView()->grabFramebuffer();
        QVERIFY(!image.isNull());
        // LATENTSCAPE_TEST_DUMP=file.png keeps the frame for a person to look at.
        if (const QByteArray dump = qgetenv("LATENTSCAPE_TEST_DUMP"); !dump.isEmpty())
            image.save(QString::fromLocal8Bit(dump));
        QVERIFY(m_window->scatterView()->lastRenderMilliseconds() > 0.0);

        std::array<qint64, 6> counts{};
        for (int k = 0; k < 6; ++k) counts[std::size_t(k)] = countNear(image, ui::categoricalColor(k, 6), 30);
        const qint64 white = countNear(image, {255, 255, 255}, 6);
        int present = 0;
        for (qint64 c : counts) present += c >= 20;
        qInfo() << "pixels per label colour" << counts[0] << counts[1] << counts[2] << counts[3] << counts[4]
                << counts[5] << "white fraction" << double(white) / (qint64(image.width()) * image.height());
        QVERIFY2(present >= 4, "fewer than 4 label colours visible");
        QVERIFY(white > qint64(image.width()) * image.height() / 2);
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
        auto* view = new ui::ScatterView(ui::VtkView::Backend::OpenGL, &first);
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
        connect(view->glContext(), &QObject::destroyed, this, [&oldContextGone] { oldContextGone = true; });
        QWidget second;
        second.resize(300, 200);
        view->setParent(&second);
        second.show();
        view->show();
        QVERIFY(QTest::qWaitForWindowExposed(&second));
        QVERIFY(oldContextGone);
        QVERIFY(countNear(view->grabFramebuffer(), red, 30) >= 3 * 50);
    }

    // The CPU raster (software OpenGL, many points) must draw what VTK draws: the same discs, at
    // the same places, in the same colours; and in 3-D the nearer point must cover the farther.
    void cpuRasterMatchesOpenGL() {
        QWidget holder;
        auto* view = new ui::ScatterView(ui::VtkView::Backend::OpenGL, &holder);
        view->resize(420, 300);
        holder.resize(420, 300);
        // The same plot in a view with no OpenGL at all (in a window of its own).
        ui::ScatterView cpuView(ui::VtkView::Backend::Cpu, nullptr);
        cpuView.resize(420, 300);
        // A 14 x 9 grid of points far enough apart not to overlap, each in its own colour.
        const int cols = 14, rows = 9;
        std::vector<float> x, y;
        std::vector<std::uint8_t> rgb;
        for (int r = 0; r < rows; ++r)
            for (int c = 0; c < cols; ++c) {
                x.push_back(float(c) + 0.13f * float(r % 3));
                y.push_back(float(r) + 0.21f * float(c % 4));
                const ui::Rgb colour = ui::categoricalColor(r * cols + c, 20);
                rgb.insert(rgb.end(), {colour.r, colour.g, colour.b});
            }
        const std::size_t n = x.size();
        for (ui::ScatterView* v : {view, &cpuView}) {
            v->setPoints(x.data(), y.data(), n);
            v->setColors(rgb.data(), n);
            v->setPointSize(9.0);
            v->resetCamera();
        }
        holder.show();
        cpuView.show();
        QVERIFY(QTest::qWaitForWindowExposed(&holder));
        QVERIFY(QTest::qWaitForWindowExposed(&cpuView));
        QVERIFY(cpuView.findChild<QOpenGLWidget*>() == nullptr);
        QVERIFY(cpuView.drawsOnCpu());
        QVERIFY(cpuView.glContext() == nullptr);

        const auto compare = [&](const char* what) {
            view->setRaster(ui::ScatterView::Raster::OpenGL);
            QVERIFY(!view->drawsOnCpu());
            const QImage gl = view->grabFramebuffer().convertToFormat(QImage::Format_RGB32);
            view->setRaster(ui::ScatterView::Raster::Cpu);
            QVERIFY(view->drawsOnCpu());
            const QImage cpu = view->grabFramebuffer().convertToFormat(QImage::Format_RGB32);
            QCOMPARE(cpu.size(), gl.size());
            // The Cpu backend's frame is the OpenGL backend's CPU frame, byte for byte.
            QCOMPARE(cpuView.grabFramebuffer().convertToFormat(QImage::Format_RGB32), cpu);
            const QRgb background = gl.pixel(0, 0);
            qint64 inked = 0, differ = 0;
            for (int j = 0; j < gl.height(); ++j)
                for (int i = 0; i < gl.width(); ++i) {
                    const QRgb a = gl.pixel(i, j), b = cpu.pixel(i, j);
                    if (a != background || b != background) ++inked;
                    if (std::abs(qRed(a) - qRed(b)) > 3 || std::abs(qGreen(a) - qGreen(b)) > 3 ||
                        std::abs(qBlue(a) - qBlue(b)) > 3)
                        ++differ;
                }
            qInfo() << what << "pixels drawn" << inked << "differing" << differ;
            QVERIFY2(inked > qint64(n) * 40, what);  // 9-pixel discs: ~64 pixels each
            QVERIFY2(differ <= inked / 50, what);    // the rim may round differently, no more
        };
        compare("2-D opaque");
        for (ui::ScatterView* v : {view, &cpuView}) {
            v->setDarkBackground(true);
            v->setOpacity(0.5);
        }
        compare("2-D translucent on dark");
        view->setDarkBackground(false);
        view->setOpacity(1.0);

        // 3-D: two points on the camera's axis, the red one nearer. Both renderers show red at
        // the centre, whichever order the points come in.
        const ui::Rgb red = ui::categoricalColor(3), blue = ui::categoricalColor(0);
        for (const bool redFirst : {true, false}) {
            std::vector<float> xyz{0.f, 0.f, 1.f, 0.f, 0.f, -1.f, -3.f, -3.f, 0.f, 3.f, 3.f, 0.f};
            std::vector<std::uint8_t> colours{red.r, red.g, red.b, blue.r, blue.g, blue.b,
                                              blue.r, blue.g, blue.b, blue.r, blue.g, blue.b};
            if (!redFirst) {
                std::swap_ranges(xyz.begin(), xyz.begin() + 3, xyz.begin() + 3);
                std::swap_ranges(colours.begin(), colours.begin() + 3, colours.begin() + 3);
            }
            view->setPoints(xyz.data(), 4);
            view->setColors(colours.data(), 4);
            view->setPointSize(20.0);
            view->resetCamera();
            for (const auto raster : {ui::ScatterView::Raster::OpenGL, ui::ScatterView::Raster::Cpu}) {
                view->setRaster(raster);
                const QImage frame = view->grabFramebuffer();
                const QPoint centre = view->widgetPosition(std::size_t(redFirst ? 0 : 1)).toPoint() * frame.devicePixelRatio();
                QVERIFY2(near(frame.pixel(centre), red, 30), redFirst ? "red first" : "red last");
            }
        }
    }

    void cpuRasterIsChosenForManyPointsOnSoftwareGl() {
        QWidget holder;
        auto* view = new ui::ScatterView(ui::VtkView::Backend::OpenGL, &holder);
        holder.resize(300, 200);
        view->resize(300, 200);
        holder.show();
        QVERIFY(QTest::qWaitForWindowExposed(&holder));
        if (!view->isSoftwareRenderer()) QSKIP("the rule applies to software OpenGL only");
        const std::size_t many = ui::ScatterView::kCpuRasterMinPoints;
        std::vector<float> x(many), y(many);
        for (std::size_t i = 0; i < many; ++i) x[i] = float(i % 200), y[i] = float(i / 200);
        view->setPoints(x.data(), y.data(), 100);
        QVERIFY(!view->drawsOnCpu());
        view->setPoints(x.data(), y.data(), many);
        QVERIFY(view->drawsOnCpu());
        std::vector<std::uint8_t> visible(many, 1);
        visible[0] = 0;  // one hidden: below the threshold again
        view->setVisibility(visible);
        QVERIFY(!view->drawsOnCpu());
        view->setVisibility({});
        view->setRaster(ui::ScatterView::Raster::OpenGL);
        QVERIFY(!view->drawsOnCpu());
        const QImage frame = view->grabFramebuffer();
        view->setRaster(ui::ScatterView::Raster::Auto);
        QVERIFY(countNear(view->grabFramebuffer(), ui::uniformColor(), 30) > 0);
        QVERIFY(view->lastRenderMilliseconds() > 0.0);
        QVERIFY(!frame.isNull());
    }

    void hugeLegendIsCapped() {
        showWindowWithBlobs();
        const std::int32_t bigIds = 20;
        const auto many = manyCategories(60000, bigIds);  // 20 + 50,000 categories
        const std::size_t categories = many->metadata[0].categories.size();
        QCOMPARE(categories, std::size_t(50020));
        QElapsedTimer timer;
        timer.start();
        m_window->setDataset(many, QStringLiteral("many"));
        QTRY_COMPARE(m_window->dataset(), many);
        qInfo() << "50,020 categories shown after" << timer.elapsed() << "ms";

        ui::LegendWidget* legend = m_window->dataPanel()->legend();
        QTreeWidget* tree = legendTree(m_window.get());
        QCOMPARE(legend->categoryRows(), ui::LegendWidget::maxCategoryRows + 1);
        QCOMPARE(legend->hiddenCategories(), std::int64_t(categories) - ui::LegendWidget::maxCategoryRows);
        // The largest first (ties in code order), then single points, then the summary row.
        QCOMPARE(tree->topLevelItem(0)->text(0), QStringLiteral("id0"));
        QCOMPARE(tree->topLevelItem(0)->text(1), QLocale().toString(500));
        QCOMPARE(tree->topLevelItem(bigIds - 1)->text(0), QStringLiteral("id19"));
        QCOMPARE(tree->topLevelItem(bigIds)->text(1), QLocale().toString(1));
        QTreeWidgetItem* more = tree->topLevelItem(ui::LegendWidget::maxCategoryRows);
        QCOMPARE(more->text(0), QStringLiteral("… %1 more categories").arg(QLocale().toString(49920)));
        QCOMPARE(more->text(1), QLocale().toString(49920));  // one point each
        QVERIFY(more->icon(0).isNull());

        // One shared swatch per palette colour, not one pixmap per row.
        QSet<qint64> keys;
        for (int row = 0; row < ui::LegendWidget::maxCategoryRows; ++row)
            keys.insert(tree->topLevelItem(row)->icon(0).cacheKey());
        QCOMPARE(keys.size(), ui::categoricalPaletteSize());
        QCOMPARE(tree->topLevelItem(0)->icon(0).cacheKey(),
                 tree->topLevelItem(ui::categoricalPaletteSize())->icon(0).cacheKey());

        // Switching the colouring away and back costs bounded widget work.
        auto* colorCombo = m_window->dataPanel()->findChild<QComboBox*>(QStringLiteral("colorByCombo"));
        QVERIFY(colorCombo);
        timer.restart();
        colorCombo->setCurrentIndex(0);  // None
        QCOMPARE(legend->categoryRows(), 0);
        colorCombo->setCurrentIndex(1);  // id
        const qint64 ms = timer.elapsed();
        qInfo() << "colour by None and back to 50,020 categories:" << ms << "ms";
        QCOMPARE(legend->categoryRows(), ui::LegendWidget::maxCategoryRows + 1);
        QVERIFY2(ms < 200, qPrintable(QStringLiteral("%1 ms").arg(ms)));
        QCOMPARE(m_window->scatterView()->pointColor(0)[0], ui::categoricalColor(0).r);
    }

    void legendHidesAndIsolatesCategories() {
        showWindowWithBlobs();
        ui::ScatterView* view = m_window->scatterView();
        QTreeWidget* tree = legendTree(m_window.get());
        QVERIFY(tree);
        const auto& codes = m_blobs->label()->codes;
        const auto inCategory = [&codes](int c) { return std::size_t(std::count(codes.begin(), codes.end(), c)); };
        const std::size_t n = std::size_t(m_blobs->n);
        QCOMPARE(view->visibleCount(), n);
        const QImage all = view->grabFramebuffer();
        QVERIFY(countNear(all, ui::categoricalColor(0, 6), 30) > 100);

        // Untick category 0: its points are no longer drawn, nor found under the cursor.
        tree->topLevelItem(0)->setCheckState(0, Qt::Unchecked);
        QCOMPARE(view->visibleCount(), n - inCategory(0));
        QTRY_COMPARE(countNear(view->grabFramebuffer(), ui::categoricalColor(0, 6), 30), qint64(0));
        std::size_t first0 = 0;
        while (codes[first0] != 0) ++first0;
        QVERIFY(view->pointAt(view->widgetPosition(first0), 0.01) != std::int64_t(first0));

        // Double-click category 2 (the tree's signal; QTest's synthetic double click does not
        // reach item views reliably): it alone is drawn; again: everything.
        emit tree->itemDoubleClicked(tree->topLevelItem(2), 0);
        QCOMPARE(view->visibleCount(), inCategory(2));
        QCOMPARE(m_window->dataPanel()->legend()->hiddenCodes().size(), std::size_t(5));
        emit tree->itemDoubleClicked(tree->topLevelItem(2), 0);
        QCOMPARE(view->visibleCount(), n);

        // Colouring by another column (none here) shows everything again.
        tree->topLevelItem(1)->setCheckState(0, Qt::Unchecked);
        QCOMPARE(view->visibleCount(), n - inCategory(1));
        auto* combo = m_window->dataPanel()->findChild<QComboBox*>(QStringLiteral("colorByCombo"));
        QVERIFY(combo);
        combo->setCurrentIndex(0);  // None
        QCOMPARE(view->visibleCount(), n);
    }

    void colourByAFeatureWithEachMap() {
        showWindowWithBlobs();
        ui::ScatterView* view = m_window->scatterView();
        ui::DataPanel* panel = m_window->dataPanel();
        panel->setColorFeature(3);
        QCOMPARE(panel->colorFeature(), 3);
        QCOMPARE(panel->colorColumn(), -1);
        const auto& X = m_blobs->features;
        const std::int64_t d = m_blobs->d;
        std::size_t lo = 0, hi = 0;
        for (std::size_t i = 0; i < std::size_t(m_blobs->n); ++i) {
            if (X[i * d + 3] < X[lo * d + 3]) lo = i;
            if (X[i * d + 3] > X[hi * d + 3]) hi = i;
        }
        auto colourOf = [view](std::size_t i) {
            const auto c = view->pointColor(i);
            return ui::Rgb{c[0], c[1], c[2]};
        };
        for (ui::ContinuousMap map : {ui::ContinuousMap::Viridis, ui::ContinuousMap::Magma, ui::ContinuousMap::Diverging}) {
            panel->setColorMap(map);
            QVERIFY(colourOf(lo) == ui::mapColor(map, 0.0));
            QVERIFY(colourOf(hi) == ui::mapColor(map, 1.0));
        }
        QCOMPARE(ui::mapColor(ui::ContinuousMap::Diverging, 0.5), (ui::Rgb{221, 221, 221}));  // grey middle
        QCOMPARE(ui::mapColor(ui::ContinuousMap::Magma, 0.0), (ui::Rgb{0, 0, 4}));
        // The legend shows the range, not categories.
        QCOMPARE(panel->legend()->categoryRows(), 0);
        // Back to the label: categories again.
        panel->setColorColumn(0);
        QCOMPARE(panel->colorFeature(), -1);
        QVERIFY(panel->legend()->categoryRows() > 0);
    }

    void palettesStayDistinguishable() {
        // Up to 8 categories: Okabe-Ito; more: 64 colours, each far from all others and from white.
        std::set<std::tuple<int, int, int>> safe, wide;
        for (int k = 0; k < 8; ++k) {
            const ui::Rgb c = ui::categoricalColor(k, 8);
            safe.insert({c.r, c.g, c.b});
        }
        QCOMPARE(int(safe.size()), 8);
        QCOMPARE(ui::categoricalColor(0, 3), (ui::Rgb{0x00, 0x72, 0xb2}));
        QCOMPARE(ui::categoricalPaletteSize(), 64);
        // CIELAB through QColor's own conversion path would be circular; a plain sRGB -> Lab here.
        auto lab = [](ui::Rgb c) {
            auto lin = [](double u) { return u <= 0.04045 ? u / 12.92 : std::pow((u + 0.055) / 1.055, 2.4); };
            const double r = lin(c.r / 255.0), g = lin(c.g / 255.0), b = lin(c.b / 255.0);
            const double x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, y = 0.2126 * r + 0.7152 * g + 0.0722 * b,
                         z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
            auto f = [](double t) { return t > 0.008856 ? std::cbrt(t) : 7.787 * t + 16.0 / 116.0; };
            return std::array<double, 3>{116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))};
        };
        double closest = 1e9;
        for (int a = 0; a < 64; ++a) {
            const ui::Rgb p = ui::categoricalColor(a, 100);
            wide.insert({p.r, p.g, p.b});
            QVERIFY(!(p == ui::missingColor()));
            for (int b = a + 1; b < 64; ++b) {
                const auto u = lab(p), v = lab(ui::categoricalColor(b, 100));
                closest = std::min(closest, std::sqrt((u[0] - v[0]) * (u[0] - v[0]) + (u[1] - v[1]) * (u[1] - v[1]) +
                                                      (u[2] - v[2]) * (u[2] - v[2])));
            }
        }
        QCOMPARE(int(wide.size()), 64);
        qInfo("closest pair of the 64 colours: Delta E %.1f", closest);
        QVERIFY(closest > 10.0);
        QCOMPARE(ui::categoricalColor(64, 100), ui::categoricalColor(0, 100));  // wraps
    }

    void darkBackgroundFromTheViewMenu() {
        showWindowWithBlobs();
        ui::ScatterView* view = m_window->scatterView();
        auto* dark = m_window->findChild<QAction*>(QStringLiteral("darkBackgroundAction"));
        QVERIFY(dark && !dark->isChecked());
        QVERIFY(countNear(view->grabFramebuffer(), {255, 255, 255}, 6) > 10000);
        dark->trigger();
        const QImage frame = view->grabFramebuffer();
        QCOMPARE(countNear(frame, {255, 255, 255}, 6), qint64(0));
        QVERIFY(countNear(frame, {28, 28, 33}, 12) > 10000);
        QVERIFY(countNear(frame, ui::categoricalColor(0, 6), 30) > 100);  // the points keep their colours
        dark->trigger();
        QVERIFY(!view->darkBackground());

        // View > Point Opacity 40%: the points blend with the white background (lighter).
        const ui::Rgb c0 = ui::categoricalColor(0, 6);
        const qint64 solid = countNear(view->grabFramebuffer(), c0, 20);
        QVERIFY(solid > 100);
        m_window->findChild<QAction*>(QStringLiteral("opacity40"))->trigger();
        QCOMPARE(view->opacity(), 0.4);
        const ui::Rgb blended{std::uint8_t(255 - 0.4 * (255 - c0.r)), std::uint8_t(255 - 0.4 * (255 - c0.g)),
                              std::uint8_t(255 - 0.4 * (255 - c0.b))};
        const QImage faded = view->grabFramebuffer();
        qInfo("solid colour pixels %lld -> %lld; 40%% blend pixels %lld", static_cast<long long>(solid),
              static_cast<long long>(countNear(faded, c0, 20)), static_cast<long long>(countNear(faded, blended, 24)));
        QVERIFY(countNear(faded, c0, 20) < solid / 2);
        QVERIFY(countNear(faded, blended, 24) > 50);
        m_window->findChild<QAction*>(QStringLiteral("opacity100"))->trigger();
    }

    void movingPointsAreThinnedThenDrawnInFull() {
        ui::ScatterView view;
        view.resize(600, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const std::size_t n = 200000;
        std::vector<float> x(n), y(n);
        for (std::size_t i = 0; i < n; ++i) {
            x[i] = float(i % 1000);
            y[i] = float(i / 1000);
        }
        view.setPoints(x.data(), y.data(), n);
        QTRY_VERIFY(!view.isSubsampling());  // a still picture: every point
        QCOMPARE(view.drawnCount(), n);
        // Frames of a live embedding: an even subsample of about the limit, the same points each frame.
        for (int frame = 0; frame < 3; ++frame) {
            for (float& v : x) v += 0.01f;
            view.setPoints(x.data(), y.data(), n);
            QVERIFY(view.isSubsampling());
            QVERIFY(view.drawnCount() <= view.movingPointLimit() && view.drawnCount() >= view.movingPointLimit() / 2);
        }
        // Still again: all of them.
        QTRY_VERIFY_WITH_TIMEOUT(!view.isSubsampling(), 2000);
        QCOMPARE(view.drawnCount(), n);
        // A zoom by the wheel thins them too while it lasts.
        QWheelEvent wheel(QPointF(300, 200), view.mapToGlobal(QPointF(300, 200)), QPoint(), QPoint(0, 120),
                          Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(&view, &wheel);
        QVERIFY(view.isSubsampling());
        QTRY_VERIFY_WITH_TIMEOUT(!view.isSubsampling(), 2000);
        view.setMovingPointLimit(0);
        view.setPoints(x.data(), y.data(), n);
        QVERIFY(!view.isSubsampling());
    }

    /// Millions of points in 2-D are density-shaded per pixel (discs of 10 M points cost ~1 s a
    /// frame); the selection stays discs on top. The shading itself against its formula.
    void millionsOfPointsAreDensityShaded() {
        // The raster alone: 3 red points on pixel (0, 0), 1 blue on pixel (2, 1), identity-like
        // clip (x, y in [0, 4] x [0, 3] onto the 4 x 3 image), one emphasised green point last.
        QImage image(4, 3, QImage::Format_RGB32);
        const float xyz[] = {0.2f, 2.8f, 0, 0.5f, 2.5f, 0, 0.7f, 2.9f, 0, 2.5f, 1.5f, 0, 3.5f, 0.5f, 0};
        const vtkIdType order[] = {0, 1, 2, 3, 4};
        const std::uint8_t rgb[] = {255, 0, 0, 255, 0, 0, 255, 0, 0, 0, 0, 255, 0, 255, 0};
        const double clip[16] = {0.5, 0, 0, -1, 0, 2.0 / 3.0, 0, -1, 0, 0, 1, 0, 0, 0, 0, 1};
        ui::RasterStyle style;
        style.diameter = 1.0;
        style.density = 4;  // the green one is a disc on top
        ui::rasterizePoints(image, xyz, order, 5, rgb, clip, style);
        QCOMPARE(image.pixel(0, 0), qRgb(255, 0, 0));  // the densest pixel: solid, its mean colour
        const float blue[3] = {0, 0, 255};
        const QRgb lone = ui::densityShade(blue, 1, 3, style.background);
        const double coverage = 0.3 + 0.7 * std::log(2.0) / std::log(4.0);
        QCOMPARE(lone, qRgb(int(std::lround(255 * (1 - coverage))), int(std::lround(255 * (1 - coverage))), 255));
        QCOMPARE(image.pixel(2, 1), lone);
        QCOMPARE(image.pixel(3, 2), qRgb(0, 255, 0));  // the disc
        QCOMPARE(image.pixel(1, 1), qRgb(255, 255, 255));  // empty: the background

        // The view: 2,000,000 points in 2-D, drawn on the CPU, shade density; 3-D ones do not.
        ui::ScatterView view;
        view.setRaster(ui::ScatterView::Raster::Cpu);
        view.setMovingPointLimit(0);
        view.resize(400, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const std::size_t n = ui::kDensityMinPoints;
        std::vector<float> x(n), y(n);
        for (std::size_t i = 0; i < n; ++i) {
            x[i] = float(i % 1000) + 0.001f * float(i / 1000);
            y[i] = float(i % 997);
        }
        view.setPoints(x.data(), y.data(), n);
        const std::vector<std::uint8_t> grey(3 * n, 90);
        view.setColors(grey.data(), n);
        view.resetCamera();
        QVERIFY(view.shadesDensity());
        const QImage frame = view.grabFramebuffer().convertToFormat(QImage::Format_RGB32);
        int painted = 0;
        for (int r = 0; r < frame.height(); ++r)
            for (int c = 0; c < frame.width(); ++c) painted += qGreen(frame.pixel(c, r)) < 250;  // not the white background
        QVERIFY2(painted > frame.width() * frame.height() / 4, qPrintable(QString::number(painted)));
        view.setPoints(x.data(), y.data(), n - 1);
        QVERIFY(!view.shadesDensity());  // fewer: discs
    }

    void hoverNamesThePointUnderTheCursor() {
        // Three labelled points far apart, in 2-D and then in 3-D.
        auto ds = std::make_shared<data::Dataset>();
        ds->n = 3;
        ds->d = 2;
        ds->features = {0.0f, 0.0f, 1.0f, 1.0f, 2.0f, 0.5f};
        ds->feature_names = {"u", "v"};
        ds->metadata.push_back(data::MetadataColumn::categorical("kind", {0, 1, 2}, {"apple", "pear", "plum"}));
        ds->label_column = 0;
        ds->check_consistent();
        showWindow(m_window, ds);
        if (QTest::currentTestFailed()) return;
        ui::ScatterView* view = m_window->scatterView();
        QCoreApplication::processEvents();

        // Where the view says point i is drawn agrees with VTK's own world-to-display transform.
        auto checkProjection = [view](std::size_t i) {
            const auto p = view->pointPosition(i);
            vtkRenderer* renderer = view->renderer();
            renderer->SetWorldPoint(p[0], p[1], p[2], 1.0);
            renderer->WorldToDisplay();
            double display[3];
            renderer->GetDisplayPoint(display);
            const int* size = view->renderWindow()->GetSize();
            const double dpr = view->devicePixelRatioF();
            const QPointF w = view->widgetPosition(i);
            QVERIFY2(std::abs(w.x() * dpr - display[0]) < 1.0 && std::abs((size[1] - w.y() * dpr) - display[1]) < 1.5,
                     qPrintable(QString("point %1: %2,%3 vs %4,%5").arg(i).arg(w.x() * dpr).arg(w.y() * dpr)
                                    .arg(display[0]).arg(size[1] - display[1])));
        };
        QSignalSpy hovered(view, &ui::ScatterView::pointHovered);
        for (std::size_t i = 0; i < 3; ++i) {
            checkProjection(i);
            QCOMPARE(view->pointAt(view->widgetPosition(i)), std::int64_t(i));
        }
        QTest::mouseMove(view, view->widgetPosition(1).toPoint());
        QTRY_VERIFY(!hovered.isEmpty());
        QCOMPARE(hovered.last().at(0).value<std::int64_t>(), std::int64_t(1));
        const QString text = m_window->pointDescription(1);
        QVERIFY2(text.contains(QStringLiteral("pear")) && text.contains(QStringLiteral("Point 1")), qPrintable(text));
        QTest::mouseMove(view, QPoint(5, 5));  // a corner, far from every point
        QTRY_COMPARE(hovered.last().at(0).value<std::int64_t>(), std::int64_t(-1));

        // 3-D: the same through a perspective camera.
        const float xyz[9] = {0, 0, 0, 1, 1, 1, 2, 0.5f, -1};
        view->setPoints(xyz, 3);
        QVERIFY(view->isThreeD());
        QCoreApplication::processEvents();
        for (std::size_t i = 0; i < 3; ++i) {
            checkProjection(i);
            QCOMPARE(view->pointAt(view->widgetPosition(i)), std::int64_t(i));
        }
    }

    void applicationIconLoads() {
        const QIcon icon = ui::MainWindow::applicationIcon();
        QVERIFY(!icon.isNull());
        QVERIFY(QFile::exists(QStringLiteral(":/latentscape.svg")));
        QVERIFY2(QImageReader::supportedImageFormats().contains("svg"), "qt6-svg image format plugin missing");
        qInfo() << "icon sizes" << icon.availableSizes();
        for (int size : {16, 48, 256}) {
            const QPixmap pixmap = icon.pixmap(size, size);
            QVERIFY(!pixmap.isNull());
            QCOMPARE(pixmap.size(), QSize(size, size));
        }
        // Drawn, not blank: transparent corners, a dark plate, blue and orange dots.
        const QImage image = icon.pixmap(128, 128).toImage().convertToFormat(QImage::Format_ARGB32);
        QCOMPARE(qAlpha(image.pixel(0, 0)), 0);
        const QRgb plate = image.pixel(110, 20);
        QCOMPARE(qAlpha(plate), 255);
        QVERIFY(qGray(plate) < 80);
        QVERIFY(near(image.pixel(42, 80), {0x4f, 0x9f, 0xe0}, 12));
        QVERIFY(near(image.pixel(84, 44), {0xff, 0x8c, 0x1a}, 12));

        m_window = std::make_unique<ui::MainWindow>();
        QVERIFY(!m_window->windowIcon().isNull());
        QVERIFY(!m_window->windowIcon().pixmap(32, 32).isNull());
    }

    void axisLabelsNameThePlottedFeatures() {
        showWindowWithBlobs();
        ui::ScatterView* view = m_window->scatterView();
        auto* xCombo = m_window->dataPanel()->findChild<QComboBox*>(QStringLiteral("xFeatureCombo"));
        auto* yCombo = m_window->dataPanel()->findChild<QComboBox*>(QStringLiteral("yFeatureCombo"));
        QVERIFY(xCombo && yCombo);
        const auto name = [this](int j) { return QString::fromStdString(m_blobs->feature_names[std::size_t(j)]); };
        QCOMPARE(view->xAxisLabel(), name(xCombo->currentIndex()));
        QCOMPARE(view->yAxisLabel(), name(yCombo->currentIndex()));

        auto* xLabel = view->findChild<QWidget*>(QStringLiteral("xAxisLabel"));
        auto* yLabel = view->findChild<QWidget*>(QStringLiteral("yAxisLabel"));
        QVERIFY(xLabel && yLabel);
        QVERIFY(xLabel->isVisible() && yLabel->isVisible());
        QVERIFY(view->rect().contains(xLabel->geometry()));
        QVERIFY(view->rect().contains(yLabel->geometry()));
        QVERIFY(xLabel->geometry().bottom() > view->height() * 0.9);                       // along the bottom
        QVERIFY(yLabel->geometry().left() < view->width() * 0.1);                          // up the left edge
        QVERIFY(yLabel->height() > yLabel->width());                                       // reads upwards
        QVERIFY(!xLabel->geometry().intersects(yLabel->geometry()));
        QVERIFY(xLabel->testAttribute(Qt::WA_TransparentForMouseEvents));

        // The fitted data stays clear of the labels: no point projects under them.
        vtkRenderer* renderer = view->renderer();
        const double dpr = view->devicePixelRatioF();
        const int deviceHeight = view->renderWindow()->GetSize()[1];
        for (std::size_t i = 0; i < view->pointCount(); i += 7) {
            const auto p = view->pointPosition(i);
            renderer->SetWorldPoint(p[0], p[1], p[2], 1.0);
            renderer->WorldToDisplay();
            double d[3];
            renderer->GetDisplayPoint(d);
            const QPointF logical(d[0] / dpr, (deviceHeight - 1 - d[1]) / dpr);
            QVERIFY(!xLabel->geometry().contains(logical.toPoint()));
            QVERIFY(!yLabel->geometry().contains(logical.toPoint()));
        }

        const int newFeature = (xCombo->currentIndex() + 1) % int(m_blobs->d);
        xCombo->setCurrentIndex(newFeature);
        QCOMPARE(view->xAxisLabel(), name(newFeature));
        QCOMPARE(view->yAxisLabel(), name(yCombo->currentIndex()));

        // Readable over points: the window's image (GL frame plus overlays) shows a light plate
        // with dark text where the X label is.
        const QImage shot = m_window->grab().toImage().convertToFormat(QImage::Format_RGB32);
        const qreal shotRatio = shot.devicePixelRatio();
        const QRect plate(xLabel->mapTo(m_window.get(), QPoint(0, 0)) * shotRatio, xLabel->size() * shotRatio);
        QVERIFY(shot.rect().contains(plate));
        qint64 dark = 0;
        for (int y = plate.top() + 2; y <= plate.bottom() - 2; ++y)
            for (int x = plate.left() + 2; x <= plate.right() - 2; ++x) dark += qGray(shot.pixel(x, y)) < 110;
        QVERIFY2(dark >= 20, qPrintable(QStringLiteral("%1 dark pixels").arg(dark)));
        QVERIFY(near(shot.pixel(plate.left() + 3, plate.center().y()), {255, 255, 255}, 45));

        // 3-D has no such axes.
        const std::vector<float> xyz{0, 0, 0, 1, 1, 1, 2, 0, 1};
        view->setPoints(xyz.data(), 3);
        QVERIFY(!xLabel->isVisible() && !yLabel->isVisible());
    }

    // Issue 15: ticks and numbers along a 2-D plot's edges, at nice values, where the camera puts
    // them, following zooms; the View menu's toggle reaches every view and is remembered.
    void axisTicksAtNiceNumbersFollowTheCamera() {
        ui::ScatterView view;
        view.resize(600, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QCOMPARE(view.size(), QSize(600, 400));
        const std::vector<float> x{0.0f, 10.0f, 0.0f, 10.0f}, y{0.0f, 0.0f, 5.0f, 5.0f};
        view.setPoints(x.data(), y.data(), x.size());
        QVERIFY(view.currentTicks().x.empty());  // off by default
        view.setAxisTicks(true);
        auto* overlay = view.findChild<QWidget*>(QStringLiteral("guideOverlay"));
        QVERIFY(overlay && overlay->isVisible());

        // A known camera: centre (5, 2.5), 8 units of height over 400 pixels (50 px per unit), so
        // x spans -1..11 and y -1.5..6.5.
        vtkCamera* camera = view.renderer()->GetActiveCamera();
        const auto look = [&](double cx, double cy, double scale) {
            camera->SetFocalPoint(cx, cy, 0.0);
            camera->SetPosition(cx, cy, 10.0);
            camera->SetParallelScale(scale);
        };
        look(5.0, 2.5, 4.0);
        ui::PlotTicks t = view.currentTicks();
        QCOMPARE(t.xStep, 2.0);  // 12 units, at most 8 ticks: 2 (1 would give 13)
        QCOMPARE(t.yStep, 1.0);  // 8 units, at most 8 ticks in 400 px: -1..6
        const std::vector<double> xs{0, 2, 4, 6, 8, 10}, ys{6, 5, 4, 3, 2, 1, 0};
        QCOMPARE(t.x.size(), xs.size());
        QCOMPARE(t.y.size(), ys.size());  // -1, 25 px from the bottom, would sit in the x axis's band
        for (std::size_t k = 0; k < xs.size(); ++k) {
            QCOMPARE(t.x[k].value, xs[k]);
            QVERIFY2(std::abs(t.x[k].pixel - (xs[k] + 1.0) * 50.0) < 1.0, qPrintable(QString::number(t.x[k].pixel)));
            QCOMPARE(t.x[k].text, QLocale().toString(int(xs[k])));
            // The same place as a point drawn there.
            QVERIFY(std::abs(t.x[k].pixel - view.widgetPosition(xs[k], 0.0).x()) < 1.0);
        }
        for (std::size_t k = 0; k < ys.size(); ++k) {
            QCOMPARE(t.y[k].value, ys[k]);
            QVERIFY2(std::abs(t.y[k].pixel - (6.5 - ys[k]) * 50.0) < 1.0, qPrintable(QString::number(t.y[k].pixel)));
        }

        // Zoomed in ten times about (5, 2.5): steps of 0.2, numbers with one decimal.
        look(5.0, 2.5, 0.4);
        t = view.currentTicks();
        QCOMPARE(t.xStep, 0.2);
        QVERIFY(t.x.size() >= 4 && t.x.size() <= 8);
        for (const ui::AxisTick& tick : t.x) {
            QVERIFY(tick.value > 4.4 && tick.value < 5.6);
            QCOMPARE(tick.text, QLocale().toString(tick.value, 'f', 1));
            QVERIFY(std::abs(tick.pixel - (tick.value - 4.4) * 500.0) < 1.0);
        }
        // The wheel zooms: the ticks follow (a finer step, new places).
        view.resetCamera();
        const ui::PlotTicks before = view.currentTicks();
        const QPoint centre = view.rect().center();
        for (int k = 0; k < 6; ++k) {
            QWheelEvent wheel(centre, view.mapToGlobal(centre), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                              Qt::NoScrollPhase, false);
            QApplication::sendEvent(&view, &wheel);
        }
        const ui::PlotTicks after = view.currentTicks();
        QVERIFY2(after.xStep < before.xStep, qPrintable(QStringLiteral("%1 -> %2").arg(before.xStep).arg(after.xStep)));
        for (const ui::AxisTick& tick : after.x) QVERIFY(std::abs(tick.pixel - view.widgetPosition(tick.value, 0.0).x()) < 1.0);
        for (const ui::AxisTick& tick : after.y) QVERIFY(std::abs(tick.pixel - view.widgetPosition(0.0, tick.value).y()) < 1.0);

        // Drawn: dark ink along the bottom edge where the marks are, none without ticks.
        look(5.0, 2.5, 4.0);
        QTRY_VERIFY(!overlay->grab().isNull());
        const QImage on = overlay->grab().toImage().convertToFormat(QImage::Format_ARGB32);
        const auto inkAt = [](const QImage& image, int x, int y) {
            int darkest = 255;
            for (int dx = -1; dx <= 1; ++dx) darkest = std::min(darkest, qGray(image.pixel(x + dx, y)));
            return darkest < 180;
        };
        for (const double v : xs) QVERIFY(inkAt(on, int(std::lround((v + 1.0) * 50.0)), 397));
        QVERIFY(!inkAt(on, 100, 397));  // between two ticks: no mark
        view.setAxisTicks(false);
        QVERIFY(!overlay->isVisible());
        view.setAxisTicks(true);
        // 3-D: no ticks.
        const std::vector<float> xyz{0, 0, 0, 1, 1, 1};
        view.setPoints(xyz.data(), 2);
        QVERIFY(view.currentTicks().x.empty());
        QVERIFY(!overlay->isVisible());
    }

    void axisTicksFromTheViewMenuReachEveryPane() {
        showWindowWithBlobs();
        auto* ticks = m_window->findChild<QAction*>(QStringLiteral("axisTicksAction"));
        QVERIFY(ticks && ticks->isCheckable());
        QVERIFY(ticks->isChecked());  // on by default
        QVERIFY(m_window->scatterView()->axisTicks());
        ticks->trigger();
        QVERIFY(!m_window->scatterView()->axisTicks());
        QVERIFY(!QSettings().value(QStringLiteral("view/axisTicks")).toBool());
        QVERIFY(m_window->scatterView()->currentTicks().x.empty());
        // A compare pane made meanwhile takes the setting, and follows the toggle.
        m_window->viewGrid()->setPaneCount(2);
        ui::ScatterView* pane = m_window->viewGrid()->view(1);
        QVERIFY(pane && !pane->axisTicks());
        ticks->trigger();
        QVERIFY(!m_window->scatterView()->currentTicks().x.empty());
        QVERIFY(pane->axisTicks());
        m_window->viewGrid()->setPaneCount(1);
        // With ticks, the captions sit above / right of the ticks' bands.
        auto* xLabel = m_window->scatterView()->findChild<QWidget*>(QStringLiteral("xAxisLabel"));
        QVERIFY(xLabel->geometry().bottom() < m_window->scatterView()->height() - 20);
    }

};

int main(int argc, char* argv[]) {
    // The GL format must be the default before QApplication exists.
    QSurfaceFormat::setDefaultFormat(ui::VtkView::defaultFormat());
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("tst_scatterview"));
    tst_ScatterView test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_scatterview.moc"
