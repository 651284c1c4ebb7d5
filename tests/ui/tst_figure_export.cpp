// Figures (issue 8): File > Export Figure… and MainWindow::exportFigure with real widgets under
// Xvfb. The PNG has the requested size and DPI, a transparent background when asked, the colours
// of the visible classes and none of a hidden one; the SVG parses, holds the legend text and one
// circle per point (one image above the threshold); the PDF is a PDF and renders (pdftoppm) with
// the same colours; the figure's points are where the view draws them, in 2-D and 3-D, the
// selection on top; failed writes say which file and leave nothing behind.
#include "gui_fixtures.h"

#include "figure/Figure.h"
#include "figure/FigureFromView.h"
#include "figure/FigureWriter.h"
#include "panels/ExportFigureDialog.h"
#include "select/screen.h"

#include <QAction>
#include <QPainter>
#include <QPicture>
#include <QProcess>
#include <QStatusBar>
#include <QSvgRenderer>

#include <random>
#include <stdexcept>

using namespace gui_fixtures;

namespace {

constexpr int kClasses = 6;  // smallBlobs()

ui::Rgb classColor(int c) { return ui::categoricalColor(c, kClasses); }

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

/// Pixels near `color` inside `rect` of `image`.
qint64 countIn(const QImage& image, const QRect& rect, ui::Rgb color, int tolerance) {
    return countNear(image.copy(rect).convertToFormat(QImage::Format_ARGB32), color, tolerance);
}

/// The plot's rectangle in output pixels.
QRect plotPixels(const ui::Figure& figure, const QSize& size) {
    const ui::FigureLayout l = ui::layoutFigure(figure, QSizeF(size));
    return QRectF(l.plot.topLeft() * l.scale, l.plot.size() * l.scale).toAlignedRect().intersected(QRect(QPoint(0, 0), size));
}

/// The error writeFigure throws for `path`, empty if none.
QString writeError(const ui::Figure& figure, const QString& path, const ui::FigureOptions& options = {}) {
    try {
        ui::writeFigure(figure, path, options);
    } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

}  // namespace

class TestFigureExport : public QObject {
    Q_OBJECT

    std::unique_ptr<ui::MainWindow> m_window;
    QTemporaryDir m_dir;
    ui::ScatterView* view() { return m_window->scatterView(); }
    QString path(const QString& name) const { return m_dir.filePath(name); }

    ui::FigureOptions options(QSize size = QSize(1200, 800), double dpi = 150.0) {
        ui::FigureOptions o;
        o.size = size;
        o.dpi = dpi;
        return o;
    }

    /// Hides class `code` as a click on its legend box does.
    void setClassShown(int code, bool shown) {
        QTreeWidget* tree = legendTree(m_window.get());
        QVERIFY(tree);
        QTreeWidgetItem* item = tree->topLevelItem(code);
        QCOMPARE(item->data(0, Qt::UserRole).toInt(), code);
        const std::size_t before = view()->visibleCount();
        item->setCheckState(0, shown ? Qt::Checked : Qt::Unchecked);
        QTRY_VERIFY(view()->visibleCount() != before);
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);  // keep QSettings away from the user's files
        QVERIFY(m_dir.isValid());
        showWindow(m_window, smallBlobs());
        QVERIFY(!QTest::currentTestFailed());
        QTRY_VERIFY(view()->drawnCount() == std::size_t(1500));
    }
    void cleanupTestCase() { m_window.reset(); }

    void figureIsWhatTheViewDraws() {
        const ui::Figure figure = m_window->currentFigure();
        QCOMPARE(figure.points.size(), std::size_t(1500));
        QCOMPARE(figure.plotSize, QSizeF(view()->size()));
        QCOMPARE(figure.pointDiameter, view()->pointSize());
        QCOMPARE(figure.xLabel, view()->xAxisLabel());
        QCOMPARE(figure.yLabel, view()->yAxisLabel());
        // 2-D: the rows in order, each where the view draws it, in its colour.
        for (std::size_t k = 0; k < figure.points.size(); ++k) QCOMPARE(figure.points[k].row, std::int64_t(k));
        for (const std::size_t row : {std::size_t(0), std::size_t(321), std::size_t(1499)}) {
            const ui::FigurePoint& p = figure.points[row];
            const QPointF on = view()->widgetPosition(row);
            QVERIFY2(std::abs(p.position.x() - on.x()) < 1e-6 && std::abs(p.position.y() - on.y()) < 1e-6,
                     qPrintable(QStringLiteral("row %1: (%2, %3) vs (%4, %5)").arg(row).arg(p.position.x()).arg(p.position.y()).arg(on.x()).arg(on.y())));
            const auto c = view()->pointColor(row);
            QCOMPARE((std::array<std::uint8_t, 3>{p.r, p.g, p.b}), c);
        }
        // The legend is the Data dock's: same rows, same order, palette colours and counts.
        QTreeWidget* tree = legendTree(m_window.get());
        QCOMPARE(figure.legendTitle, QStringLiteral("blob"));
        QCOMPARE(int(figure.legend.size()), tree->topLevelItemCount());
        for (int r = 0; r < kClasses; ++r) {
            QCOMPARE(figure.legend[std::size_t(r)].label, tree->topLevelItem(r)->text(0));
            QCOMPARE(figure.legend[std::size_t(r)].color, classColor(r).toQColor());
            QCOMPARE(figure.legend[std::size_t(r)].count, std::int64_t(250));
        }
    }

    void pngHasSizeDpiAndClassColours() {
        const QString file = path(QStringLiteral("plot.png"));
        m_window->exportFigure(file, options(QSize(1200, 800), 150.0), QStringLiteral("Six blobs"));
        QImage image(file);
        QVERIFY(!image.isNull());
        keepScreenshot(image, "figure_png");
        keepScreenshot(view()->grabFramebuffer(), "figure_screen");
        QCOMPARE(image.size(), QSize(1200, 800));
        QCOMPARE(image.dotsPerMeterX(), int(std::lround(150.0 / 0.0254)));
        QCOMPARE(image.dotsPerMeterY(), int(std::lround(150.0 / 0.0254)));
        QCOMPARE(image.pixelColor(0, 0), QColor(Qt::white));  // solid unless asked
        const QRect plot = plotPixels(m_window->currentFigure(QStringLiteral("Six blobs")), image.size());
        for (int c = 0; c < kClasses; ++c) QVERIFY2(countIn(image, plot, classColor(c), 12) > 50, qPrintable(QString::number(c)));
    }

    void transparentBackgroundWhenAsked() {
        const QString file = path(QStringLiteral("transparent.png"));
        ui::FigureOptions o = options(QSize(600, 400));
        o.transparent = true;
        m_window->exportFigure(file, o);
        const QImage image(file);
        QCOMPARE(image.size(), QSize(600, 400));
        QVERIFY(image.hasAlphaChannel());
        QCOMPARE(qAlpha(image.pixel(0, 0)), 0);
        QCOMPARE(qAlpha(image.pixel(599, 399)), 0);
        QCOMPARE(qAlpha(image.pixel(0, 399)), 0);
    }

    void hiddenClassIsLeftOut() {
        setClassShown(2, false);
        const ui::Figure figure = m_window->currentFigure();
        QCOMPARE(figure.points.size(), std::size_t(1250));
        for (const ui::FigurePoint& p : figure.points) QVERIFY(p.row < 500 || p.row >= 750);
        QCOMPARE(int(figure.legend.size()), kClasses - 1);
        for (const ui::LegendEntry& e : figure.legend) QVERIFY(e.label != QStringLiteral("blob 2"));
        const QString file = path(QStringLiteral("hidden.png"));
        m_window->exportFigure(file, options());
        const QImage image(file);
        QCOMPARE(countIn(image, image.rect(), classColor(2), 30), 0);  // neither points nor swatch
        const QRect plot = plotPixels(figure, image.size());
        for (const int c : {0, 1, 3, 4, 5}) QVERIFY(countIn(image, plot, classColor(c), 12) > 50);
        // The SVG's legend says the same.
        const QString svg = path(QStringLiteral("hidden.svg"));
        m_window->exportFigure(svg, options());
        QVERIFY(!readAll(svg).contains("blob 2"));
        QVERIFY(readAll(svg).contains("blob 3"));
        setClassShown(2, true);
    }

    void selectionIsOnTopAndOthersFade() {
        std::vector<std::int64_t> ids;
        for (std::int64_t i = 250; i < 300; ++i) ids.push_back(i);  // some of blob 1
        m_window->setSelection(select::Selection::from_ids(ids, 1500));
        QTRY_COMPARE(view()->emphasis().size(), std::size_t(1500));
        const ui::Figure figure = m_window->currentFigure();
        QCOMPARE(figure.points.size(), std::size_t(1500));
        // Drawn last, in row order, as the view's vertex list has them.
        for (std::size_t k = 0; k < 50; ++k) {
            const ui::FigurePoint& p = figure.points[1450 + k];
            QVERIFY(p.emphasized);
            QCOMPARE(p.row, std::int64_t(250 + k));
        }
        QVERIFY(!figure.points.front().emphasized);
        // Colours as on screen: the others faded towards the background.
        const ui::FigurePoint& faded = figure.points[1000];  // row 1000, blob 4
        const auto c = view()->pointColor(std::size_t(faded.row));
        QCOMPARE((std::array<std::uint8_t, 3>{faded.r, faded.g, faded.b}), c);
        const ui::Rgb fadedColor{c[0], c[1], c[2]};
        QVERIFY(fadedColor != classColor(4));
        const QString file = path(QStringLiteral("selection.png"));
        m_window->exportFigure(file, options());
        const QImage image(file);
        keepScreenshot(image, "figure_selection");
        const QRect plot = plotPixels(figure, image.size());
        QVERIFY(countIn(image, plot, classColor(1), 12) > 20);            // the selection, full colour
        QVERIFY(countIn(image, plot, fadedColor, 6) > 50);  // the rest, faded
        QCOMPARE(countIn(image, plot, classColor(4), 12), 0);
        m_window->setSelection(select::Selection(1500));
        QTRY_VERIFY(view()->emphasis().empty());
    }

    void ringsAreDrawnLikeTheOverlay() {
        view()->setMarkedPoints({10, 400, 900}, 10);
        const ui::Figure figure = m_window->currentFigure();
        QCOMPARE(figure.marks.size(), std::size_t(3));
        QCOMPARE(figure.focus.size(), std::size_t(1));
        const QPointF on = view()->widgetPosition(std::size_t(400));
        QVERIFY(std::abs(figure.marks[1].x() - on.x()) < 1e-6 && std::abs(figure.marks[1].y() - on.y()) < 1e-6);
        const QString file = path(QStringLiteral("rings.png"));
        m_window->exportFigure(file, options());
        const QImage image(file);
        keepScreenshot(image, "figure_rings");
        // The rings' dark ink, on the plot (nothing else there is that dark).
        QVERIFY(countIn(image, plotPixels(figure, image.size()), ui::Rgb{0x10, 0x10, 0x10}, 12) > 30);
        view()->setMarkedPoints({});
        QVERIFY(m_window->currentFigure().marks.empty());
        QCOMPARE(countIn(QImage([&] { m_window->exportFigure(file, options()); return file; }()), plotPixels(figure, image.size()),
                         ui::Rgb{0x10, 0x10, 0x10}, 12),
                 0);
    }

    void svgHasLegendTextAndOneCirclePerPoint() {
        const ui::Figure figure = m_window->currentFigure(QStringLiteral("Blobs & <friends>"));
        const QString file = path(QStringLiteral("plot.svg"));
        ui::writeFigure(figure, file, options());
        QSvgRenderer renderer(file);
        QVERIFY(renderer.isValid());
        const QByteArray svg = readAll(file);
        for (int c = 0; c < kClasses; ++c) QVERIFY(svg.contains(QStringLiteral("blob %1").arg(c).toUtf8()));
        QVERIFY(svg.contains("Blobs &amp; &lt;friends&gt;"));
        // One circle per point, one per legend swatch; no image.
        QCOMPARE(svg.count("<circle"), qsizetype(1500 + kClasses));
        QVERIFY(!svg.contains("<image"));
        // It renders with the class colours.
        QImage rendered(1200, 800, QImage::Format_ARGB32);
        rendered.fill(Qt::white);
        QPainter painter(&rendered);
        renderer.render(&painter);
        painter.end();
        keepScreenshot(rendered, "figure_svg");
        const QRect plot = plotPixels(figure, rendered.size());
        for (int c = 0; c < kClasses; ++c) QVERIFY(countIn(rendered, plot, classColor(c), 12) > 50);

        // Above the threshold: the point layer is one embedded image, the legend still text.
        ui::FigureOptions o = options();
        o.vectorPointLimit = 100;
        QVERIFY(ui::rastersPoints(figure, o));
        const QString raster = path(QStringLiteral("raster.svg"));
        ui::writeFigure(figure, raster, o);
        const QByteArray svg2 = readAll(raster);
        QCOMPARE(svg2.count("<image"), qsizetype(1));
        QCOMPARE(svg2.count("<circle"), qsizetype(kClasses));
        QVERIFY(svg2.contains("blob 5"));
        QSvgRenderer renderer2(raster);
        QVERIFY(renderer2.isValid());
        QImage rendered2(1200, 800, QImage::Format_ARGB32);
        rendered2.fill(Qt::white);
        QPainter painter2(&rendered2);
        renderer2.render(&painter2);
        painter2.end();
        for (int c = 0; c < kClasses; ++c) QVERIFY(countIn(rendered2, plot, classColor(c), 12) > 50);
    }

    void pdfIsValidAndRenders() {
        const QString file = path(QStringLiteral("plot.pdf"));
        m_window->exportFigure(file, options(QSize(1200, 800), 300.0), QStringLiteral("Six blobs"));
        const QByteArray pdf = readAll(file);
        QVERIFY(pdf.startsWith("%PDF-"));
        QVERIFY(pdf.contains("%%EOF"));
        const QString pdftoppm = QStandardPaths::findExecutable(QStringLiteral("pdftoppm"));
        if (pdftoppm.isEmpty()) QSKIP("pdftoppm (poppler-utils) is not installed");
        QProcess process;
        process.start(pdftoppm, {QStringLiteral("-png"), QStringLiteral("-r"), QStringLiteral("300"), QStringLiteral("-singlefile"),
                                 file, path(QStringLiteral("pdfpage"))});
        QVERIFY(process.waitForFinished(30000));
        QCOMPARE(process.exitCode(), 0);
        const QImage page(path(QStringLiteral("pdfpage.png")));
        QVERIFY(!page.isNull());
        keepScreenshot(page, "figure_pdf");
        // 1200 x 800 pixels at 300 dpi: a 4 x 2.67 inch page, so the same pixels again at 300 dpi.
        QVERIFY(std::abs(page.width() - 1200) <= 2 && std::abs(page.height() - 800) <= 2);
        const QRect plot = plotPixels(m_window->currentFigure(QStringLiteral("Six blobs")), QSize(1200, 800));
        for (int c = 0; c < kClasses; ++c) QVERIFY2(countIn(page, plot, classColor(c), 24) > 50, qPrintable(QString::number(c)));
    }

    void failedWritesSayWhichFileAndLeaveNothing() {
        const ui::Figure figure = m_window->currentFigure();
        // A folder that does not exist.
        const QString missing = path(QStringLiteral("no/such/folder/plot.png"));
        QString error = writeError(figure, missing);
        QVERIFY2(error.contains(QDir::toNativeSeparators(missing)), qPrintable(error));
        QVERIFY(!QFileInfo::exists(missing));
        // A target that is a folder, for each format: nothing written next to it.
        QDir(m_dir.path()).mkpath(QStringLiteral("trap/plot.svg"));
        QDir(m_dir.path()).mkpath(QStringLiteral("trap/plot.pdf"));
        QDir(m_dir.path()).mkpath(QStringLiteral("trap/plot.png"));
        for (const char* name : {"trap/plot.svg", "trap/plot.pdf", "trap/plot.png"}) {
            const QString target = path(QLatin1String(name));
            error = writeError(figure, target);
            QVERIFY2(error.contains(QDir::toNativeSeparators(target)), qPrintable(error));
        }
        QCOMPARE(QDir(path(QStringLiteral("trap"))).entryList(QDir::NoDotAndDotDot | QDir::AllEntries).size(), 3);
        // An unknown extension names the file and the extension.
        const QString bmp = path(QStringLiteral("plot.bmp"));
        error = writeError(figure, bmp);
        QVERIFY2(error.contains(QDir::toNativeSeparators(bmp)) && error.contains(QStringLiteral(".bmp")), qPrintable(error));
        QVERIFY(!QFileInfo::exists(bmp));
        // A failed export keeps the previous file as it was.
        const QString kept = path(QStringLiteral("kept.png"));
        m_window->exportFigure(kept, options(QSize(300, 200)));
        const QByteArray before = readAll(kept);
        ui::FigureOptions bad = options(QSize(300, 200));
        bad.dpi = -1.0;
        error = writeError(figure, kept, bad);
        QVERIFY2(error.contains(QDir::toNativeSeparators(kept)) && error.contains(QStringLiteral("DPI")), qPrintable(error));
        QCOMPARE(readAll(kept), before);
        QCOMPARE(QDir(m_dir.path()).entryList({QStringLiteral("kept.png*")}, QDir::Files).size(), 1);
    }

    void rasterDotsMatchVectorCircles() {
        // PNGs stamp each dot from a sprite; vector devices draw circles. Both look the same.
        ui::Figure figure;
        figure.plotSize = QSizeF(200, 150);
        figure.pointDiameter = 5.0;
        std::mt19937 rng(5);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        for (int i = 0; i < 400; ++i)
            figure.points.push_back({QPointF(10 + 180 * u(rng), 10 + 130 * u(rng)), std::uint8_t(40 * (i % 6)), 90, std::uint8_t(200 - 30 * (i % 6)), false, i});
        const QSize size(523, 391);  // a scale that puts centres between pixels
        const QImage stamped = ui::renderFigure(figure, [&] { ui::FigureOptions o; o.size = size; return o; }());
        QPicture picture;
        {
            QPainter painter(&picture);
            ui::paintFigure(painter, figure, QSizeF(size));
        }
        QImage drawn(size, QImage::Format_ARGB32);
        drawn.fill(Qt::white);
        {
            QPainter painter(&drawn);
            picture.play(&painter);
        }
        qint64 total = 0;
        int worst = 0;
        for (int y = 0; y < size.height(); ++y)
            for (int x = 0; x < size.width(); ++x) {
                const QRgb a = stamped.pixel(x, y), b = drawn.pixel(x, y);
                const int d = std::max({std::abs(qRed(a) - qRed(b)), std::abs(qGreen(a) - qGreen(b)), std::abs(qBlue(a) - qBlue(b))});
                total += d;
                worst = std::max(worst, d);
            }
        const double mean = double(total) / (size.width() * size.height());
        qInfo("sprites vs circles: mean difference %.3f, worst %d", mean, worst);
        QVERIFY2(mean < 1.0, qPrintable(QStringLiteral("mean difference %1, worst %2").arg(mean).arg(worst)));
    }

    void dialogWritesTheFile() {
        QAction* action = m_window->findChild<QAction*>(QStringLiteral("exportFigureAction"));
        QVERIFY(action);
        QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_E));
        action->trigger();
        ui::ExportFigureDialog* dialog = nullptr;
        QTRY_VERIFY((dialog = m_window->findChild<ui::ExportFigureDialog*>(QStringLiteral("exportFigureDialog"))) != nullptr);
        const QSizeF natural = ui::naturalSize(m_window->currentFigure());
        QCOMPARE(dialog->outputSize(), QSize(int(std::lround(2 * natural.width())), int(std::lround(2 * natural.height()))));
        QCOMPARE(dialog->dpi(), 300);
        const QString file = path(QStringLiteral("dialog.svg"));
        dialog->setPath(file);
        dialog->setOutputSize(QSize(800, 500));
        dialog->setTitle(QStringLiteral("From the dialog"));
        dialog->accept();
        QTRY_VERIFY(QFileInfo::exists(file));
        QVERIFY(readAll(file).contains("From the dialog"));
        QVERIFY(m_window->statusBar()->currentMessage().contains(QDir::toNativeSeparators(file)));
    }

    void threeDViewExportsThroughItsCamera() {
        // The first three features as a 3-D embedding, turned so that depths differ.
        const data::Dataset& ds = *m_window->dataset();
        std::vector<float> xyz(std::size_t(3 * ds.n));
        for (std::int64_t i = 0; i < ds.n; ++i)
            for (int a = 0; a < 3; ++a) xyz[std::size_t(3 * i + a)] = ds.row(i)[a];
        view()->setPoints(xyz.data(), std::size_t(ds.n));
        QVERIFY(view()->isThreeD());
        view()->renderer()->GetActiveCamera()->Azimuth(35.0);
        view()->renderer()->GetActiveCamera()->Elevation(20.0);
        view()->renderer()->ResetCameraClippingRange();
        view()->update();
        QTest::qWait(50);
        const ui::Figure figure = m_window->currentFigure();
        QCOMPARE(figure.points.size(), std::size_t(1500));
        QVERIFY(figure.xLabel.isEmpty() && figure.yLabel.isEmpty());
        // Back to front: depth never increases along the list; positions are the view's.
        const select::Projection projection = view()->projection();
        double previous = 2.0;
        for (const ui::FigurePoint& p : figure.points) {
            double x = 0, y = 0, z = 0;
            QVERIFY(select::project(view()->coordinates(), 3, p.row, projection, x, y, z));
            QVERIFY(z <= previous);
            previous = z;
        }
        for (std::size_t k : {std::size_t(0), std::size_t(700), std::size_t(1499)}) {
            const ui::FigurePoint& p = figure.points[k];
            const QPointF on = view()->widgetPosition(std::size_t(p.row));
            QVERIFY(std::abs(p.position.x() - on.x()) < 1e-6 && std::abs(p.position.y() - on.y()) < 1e-6);
        }
        const QString file = path(QStringLiteral("3d.png"));
        m_window->exportFigure(file, options());
        const QImage image(file);
        keepScreenshot(image, "figure_3d");
        QCOMPARE(image.size(), QSize(1200, 800));
        const QRect plot = plotPixels(figure, image.size());
        for (int c = 0; c < kClasses; ++c) QVERIFY(countIn(image, plot, classColor(c), 12) > 20);
        const QString pdf = path(QStringLiteral("3d.pdf"));
        m_window->exportFigure(pdf, options());
        QVERIFY(readAll(pdf).startsWith("%PDF-"));
    }
};

QTEST_MAIN(TestFigureExport)
#include "tst_figure_export.moc"
