// The figure library on its own (latentscape_figure: Qt Gui and Svg, no widgets, no VTK), run on
// Qt's offscreen platform as a renderer on a server without a display would: every format is
// written, the look is the same at any size, a wider output grows the plot (not the dots), the
// legend wraps into columns, and bad paths and extensions are refused.
#include "figure/AxisTicks.h"
#include "figure/Biplot.h"
#include "figure/Figure.h"
#include "figure/FigureWriter.h"

#include <QGuiApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <random>
#include <stdexcept>

using namespace latentscape;

namespace {

ui::Figure blobs(int n = 600) {
    ui::Figure f;
    f.plotSize = QSizeF(400, 300);
    f.pointDiameter = 5.0;
    std::mt19937 rng(11);
    std::normal_distribution<double> normal(0.0, 18.0);
    const QColor colors[3] = {QColor(0x00, 0x72, 0xb2), QColor(0xe6, 0x9f, 0x00), QColor(0x00, 0x9e, 0x73)};
    for (int i = 0; i < n; ++i) {
        const int c = i % 3;
        const QColor& k = colors[c];
        f.points.push_back({QPointF(100 + 100 * c + normal(rng), 150 + normal(rng)), std::uint8_t(k.red()),
                            std::uint8_t(k.green()), std::uint8_t(k.blue()), false, i});
    }
    f.legendTitle = QStringLiteral("class");
    for (int c = 0; c < 3; ++c) f.legend.push_back({QStringLiteral("class %1").arg(c), colors[c], n / 3});
    f.title = QStringLiteral("Three blobs");
    f.xLabel = QStringLiteral("u");
    f.yLabel = QStringLiteral("v");
    return f;
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

}  // namespace

class TestFigure : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void writesEveryFormatWithoutADisplay() {
        QCOMPARE(QGuiApplication::platformName(), QStringLiteral("offscreen"));
        const ui::Figure f = blobs();
        ui::FigureOptions o;
        o.size = QSize(900, 600);
        for (const char* name : {"a.png", "a.svg", "a.pdf"}) ui::writeFigure(f, m_dir.filePath(QLatin1String(name)), o);
        QCOMPARE(QImage(m_dir.filePath(QStringLiteral("a.png"))).size(), QSize(900, 600));
        QVERIFY(QSvgRenderer(m_dir.filePath(QStringLiteral("a.svg"))).isValid());
        QVERIFY(readAll(m_dir.filePath(QStringLiteral("a.pdf"))).startsWith("%PDF-"));
        QVERIFY(readAll(m_dir.filePath(QStringLiteral("a.svg"))).contains("class 2"));
        // No size: twice the natural one.
        const QSizeF natural = ui::naturalSize(f);
        QCOMPARE(ui::figureOutputSize(f, {}), QSize(int(std::lround(2 * natural.width())), int(std::lround(2 * natural.height()))));
    }

    void sameLookAtAnySize() {
        // Three times the size, scaled back down, is the same picture (text, dots, plates).
        const ui::Figure f = blobs();
        const QSizeF natural = ui::naturalSize(f);
        const QSize small(int(natural.width()), int(natural.height()));
        ui::FigureOptions o;
        o.size = small;
        const QImage one = ui::renderFigure(f, o);
        o.size = small * 3;
        const QImage three = ui::renderFigure(f, o).scaled(small, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
        qint64 total = 0;
        for (int y = 0; y < small.height(); ++y)
            for (int x = 0; x < small.width(); ++x) {
                const QRgb a = one.pixel(x, y), b = three.pixel(x, y);
                total += std::abs(qRed(a) - qRed(b)) + std::abs(qGreen(a) - qGreen(b)) + std::abs(qBlue(a) - qBlue(b));
            }
        const double mean = double(total) / (3.0 * small.width() * small.height());
        qInfo("1x against 3x scaled down: mean difference %.2f per channel", mean);
        QVERIFY2(mean < 2.0, qPrintable(QString::number(mean)));
    }

    void widerOutputGrowsThePlotNotTheDots() {
        const ui::Figure f = blobs();
        const QSizeF natural = ui::naturalSize(f);
        const ui::FigureLayout fit = ui::layoutFigure(f, natural * 2);
        QCOMPARE(fit.scale, 2.0);
        QCOMPARE(fit.plot.size(), f.plotSize);
        const ui::FigureLayout wide = ui::layoutFigure(f, QSizeF(natural.width() * 4, natural.height() * 2));
        QCOMPARE(wide.scale, 2.0);                                 // set by the height
        QCOMPARE(wide.plot.height(), f.plotSize.height());
        QCOMPARE(wide.plot.width(), f.plotSize.width() + natural.width());  // twice the canvas, same legend
        // The view's centre stays the plot's centre.
        const QPointF centre = QPointF(f.plotSize.width(), f.plotSize.height()) / 2 + wide.pointOffset;
        QCOMPARE(centre, wide.plot.center());
        QCOMPARE(ui::drawnPointCount(f, wide), f.points.size());
    }

    void legendWrapsIntoColumnsAndTextRowsHaveNoSwatch() {
        ui::Figure f = blobs(30);
        const double oneColumn = ui::naturalSize(f).width();
        f.legend.clear();
        for (int c = 0; c < 60; ++c) f.legend.push_back({QStringLiteral("c%1").arg(c), QColor(4 * c, 100, 200), 1});
        f.legend.push_back({QStringLiteral("… 12 more categories"), QColor(), 12});
        QVERIFY(ui::naturalSize(f).width() > oneColumn + 50);     // 61 rows of ~18 px in 300 px: columns
        QCOMPARE(ui::naturalSize(f).height(), ui::naturalSize(blobs(30)).height());
        const QString file = m_dir.filePath(QStringLiteral("legend.svg"));
        ui::writeFigure(f, file, {});
        const QByteArray svg = readAll(file);
        QCOMPARE(svg.count("<circle"), qsizetype(30 + 60));           // points and swatches, none for the text row
        QVERIFY(svg.contains("12 more categories"));
    }

    // Issue 15: tick steps are 1, 2 or 5 times a power of ten, numbers in the locale's format.
    void niceTickNumbers() {
        QCOMPARE(ui::niceStep(0.0, 10.0, 8), 2.0);   // 1 would give 11 ticks
        QCOMPARE(ui::niceStep(0.0, 1.0, 5), 0.5);    // 0.2 would give 6
        QCOMPARE(ui::niceStep(-3.0, 3.0, 8), 1.0);
        QCOMPARE(ui::niceStep(0.0, 700.0, 8), 100.0);
        QCOMPARE(ui::niceStep(0.012, 0.047, 8), 0.005);
        QCOMPARE(ui::niceStep(1.0, 1.0, 8), 0.0);    // empty
        const std::vector<double> v = ui::tickValues(-0.3, 0.5, 0.2);
        QCOMPARE(v.size(), std::size_t(4));
        QCOMPARE(v[1], 0.0);
        QVERIFY(!std::signbit(v[1]));                // no "-0"
        const QLocale c(QLocale::C), de(QLocale::German);
        QCOMPARE(ui::tickText(2.5, 0.5, c), QStringLiteral("2.5"));
        QCOMPARE(ui::tickText(2.5, 0.5, de), QStringLiteral("2,5"));
        QCOMPARE(ui::tickText(-4.0, 2.0, c), QStringLiteral("-4"));
        QCOMPARE(ui::tickText(0.0, 0.05, c), QStringLiteral("0"));
        QCOMPARE(ui::tickText(0.15, 0.05, c), QStringLiteral("0.15"));
        QCOMPARE(ui::tickText(2000.0, 1000.0, de), QStringLiteral("2.000"));
        QVERIFY(ui::tickText(3e-5, 1e-5, c).contains(QLatin1Char('e')));
        // The ticks of a plot: 0..10 across 400 px (40 px per unit), 0..10 up 300 px.
        const ui::AxisMap map{0.0, 40.0, 300.0, -30.0};
        QFont font;
        font.setPixelSize(11);
        const ui::PlotTicks t = ui::plotTicks(QRectF(0, 0, 400, 300), map, font, c);
        QCOMPARE(t.xStep, 2.0);  // at most 8 ticks in 400 px
        QCOMPARE(t.yStep, 2.0);  // at most 6 in 300 px
        for (const ui::AxisTick& k : t.x) QCOMPARE(k.pixel, 40.0 * k.value);
        for (const ui::AxisTick& k : t.y) QCOMPARE(k.pixel, 300.0 - 30.0 * k.value);
        // "0" would sit in the left axis's band, "10" run off the right edge: left out.
        QCOMPARE(t.x.front().value, 2.0);
        QCOMPARE(t.x.back().value, 8.0);
        // Top to bottom: 10 at the top edge runs off; 0 sits in the bottom axis's band.
        QCOMPARE(t.y.front().value, 8.0);
        QCOMPARE(t.y.back().value, 2.0);
        // Long numbers space the ticks out: 1,000,000.5-like labels cannot sit 50 px apart.
        const ui::AxisMap wide{-1e6 * 40.0, 40.0, 300.0, -30.0};
        const ui::PlotTicks far = ui::plotTicks(QRectF(0, 0, 400, 300), wide, font, c);
        for (std::size_t k = 1; k < far.x.size(); ++k) {
            const QFontMetricsF m(font);
            QVERIFY(far.x[k].pixel - far.x[k - 1].pixel >= m.horizontalAdvance(far.x[k].text) + 10.0);
        }
    }

    // Ticks in figures: a figure drawn without them is the same as before they existed (the map
    // alone changes nothing); with them, only the edges' bands and the moved captions change.
    void ticksChangeTheFigureOnlyWhenOn() {
        ui::Figure f = blobs();
        f.title.clear();
        f.legend.clear();
        const QSize size = ui::naturalSize(f).toSize();
        const auto draw = [&](const ui::Figure& figure) {
            QImage image(size, QImage::Format_ARGB32);
            QPainter p(&image);
            ui::paintFigure(p, figure, QSizeF(size));
            p.end();
            return image;
        };
        const QImage plain = draw(f);
        ui::Figure mapped = f;
        mapped.axisMap = ui::AxisMap{0.0, 4.0, 300.0, -4.0};  // 0..100 across, 0..75 up
        QCOMPARE(draw(mapped), plain);
        ui::Figure ticked = mapped;
        ticked.axisTicks = true;
        const QImage withTicks = draw(ticked);
        QVERIFY(withTicks != plain);
        int changed = 0;
        const double band = 60.0;  // ticks (~21 px) plus a caption plate moved by as much
        for (int y = 0; y < size.height(); ++y)
            for (int x = 0; x < size.width(); ++x)
                if (withTicks.pixel(x, y) != plain.pixel(x, y)) {
                    ++changed;
                    const bool bottomBand = y >= 300 - band, leftBand = x < band;
                    const bool captions = std::abs(x - 200) < 40 || std::abs(y - 150) < 40;  // the plates' places
                    QVERIFY2((bottomBand || leftBand) && (captions || y >= 300 - 24 || x < 24),
                             qPrintable(QStringLiteral("pixel %1,%2 changed").arg(x).arg(y)));
                }
        QVERIFY(changed > 100);
        // A mark at every x tick, at the bottom edge.
        for (const double v : {20.0, 40.0, 60.0, 80.0}) {
            int darkest = 255;
            for (int dx = -1; dx <= 1; ++dx) darkest = std::min(darkest, qGray(withTicks.pixel(int(4 * v) + dx, 297)));
            QVERIFY2(darkest < 180, qPrintable(QString::number(v)));
        }
        // A wider output grows the plot: the ticks run over the grown part too.
        const QSize wide(size.width() * 3, size.height());
        QImage grown(wide, QImage::Format_ARGB32);
        QPainter p(&grown);
        ui::paintFigure(p, ticked, QSizeF(wide));
        p.end();
        const ui::FigureLayout l = ui::layoutFigure(ticked, QSizeF(wide));
        QCOMPARE(l.scale, 1.0);
        ui::AxisMap shifted = ticked.axisMap;
        shifted.x0 += l.pointOffset.x();
        shifted.y0 += l.pointOffset.y();
        QFont guide;
        guide.setFamilies({QStringLiteral("DejaVu Sans"), QStringLiteral("Liberation Sans"), QStringLiteral("Arial")});
        guide.setPixelSize(11);
        const ui::PlotTicks t = ui::plotTicks(l.plot, shifted, guide);
        int outside = 0;
        for (const ui::AxisTick& k : t.x) {
            if (k.value >= 0.0 && k.value <= 100.0) continue;  // beyond the view's 0..100
            ++outside;
            int darkest = 255;
            for (int dx = -1; dx <= 1; ++dx) darkest = std::min(darkest, qGray(grown.pixel(int(std::lround(k.pixel)) + dx, wide.height() - 3)));
            QVERIFY2(darkest < 180, qPrintable(QString::number(k.value)));
        }
        QVERIFY(outside >= 1);
    }

    // Biplot arrows in figures: drawn in the arrows' colour from the origin to each tip.
    void biplotArrowsAreDrawn() {
        ui::Figure f = blobs();
        const QSize size = ui::naturalSize(f).toSize();
        f.arrowOrigin = QPointF(200, 150);
        f.arrowTips = {QPointF(320, 150), QPointF(200, 60)};
        f.arrowLabels = {QStringLiteral("alcohol"), QStringLiteral("proline")};
        QImage image(size, QImage::Format_ARGB32);
        QPainter p(&image);
        ui::paintFigure(p, f, QSizeF(size));
        p.end();
        const ui::FigureLayout l = ui::layoutFigure(f, QSizeF(size));
        const auto arrowInk = [&](QPointF at) {
            const QPoint q = ((at + l.pointOffset) * l.scale).toPoint();
            for (int dy = -1; dy <= 1; ++dy)
                for (int dx = -1; dx <= 1; ++dx) {
                    const QRgb c = image.pixel(q + QPoint(dx, dy));
                    if (qRed(c) > 130 && qRed(c) - qGreen(c) > 60 && qBlue(c) < 90) return true;
                }
            return false;
        };
        QVERIFY(arrowInk(QPointF(260, 150)));  // along the first
        QVERIFY(arrowInk(QPointF(200, 100)));  // along the second
        QVERIFY(!arrowInk(QPointF(260, 100)));
    }

    // Arrows in nearly one direction (an image folder's pixels) near an edge: their labels used to
    // stack past the plot's top. Now they stay inside the bounds and never overlap: the ink of
    // 8 labels of arrows pointing up to 4 px below the top is all inside, in 8 separate rows.
    void biplotLabelsStayInsideAndApart() {
        QImage image(400, 300, QImage::Format_ARGB32);
        image.fill(Qt::transparent);
        const QRectF bounds(100, 60, 200, 180);
        const QPointF origin(200, 200);
        std::vector<QPointF> tips;
        std::vector<QString> labels;
        for (int k = 0; k < 8; ++k) {
            tips.push_back(QPointF(200 + 0.3 * k, 64));
            labels.push_back(QStringLiteral("Mg%1").arg(10 + k));  // one band of ink each (no "_")
        }
        QPainter p(&image);
        QFont font;
        font.setPixelSize(11);
        ui::drawBiplot(p, origin, tips, labels, false, font, bounds);
        p.end();
        int outside = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                if (qAlpha(image.pixel(x, y)) > 0 && !bounds.adjusted(-1, -1, 1, 1).contains(QPointF(x, y))) ++outside;
        QCOMPARE(outside, 0);
        // Rows of label ink right of the arrows: 8 bands of text (a band ends after 2 rows
        // without ink: anti-aliasing leaves single light rows inside a line of text).
        int bands = 0, blank = 2;
        for (int y = int(bounds.top()); y < int(bounds.bottom()); ++y) {
            bool ink = false;
            for (int x = 212; x < int(bounds.right()) && !ink; ++x) {
                const QRgb c = image.pixel(x, y);  // the labels' ink, not their white halos
                ink = qAlpha(c) > 100 && qRed(c) > qGreen(c) + 40;
            }
            if (ink && blank >= 2) ++bands;
            blank = ink ? 0 : blank + 1;
        }
        image.save(QDir::temp().filePath(QStringLiteral("biplot_labels.png")));
        QCOMPARE(bands, 8);
    }

    void refusesUnknownFormatsAndMissingFolders() {
        const ui::Figure f = blobs(10);
        for (const QString& name : {QStringLiteral("plot.jpg"), QStringLiteral("plot"), QStringLiteral("missing/plot.png")}) {
            const QString path = m_dir.filePath(name);
            try {
                ui::writeFigure(f, path, {});
                QFAIL(qPrintable(QStringLiteral("no error for %1").arg(path)));
            } catch (const std::runtime_error& e) {
                QVERIFY2(QString::fromUtf8(e.what()).contains(QDir::toNativeSeparators(path)), e.what());
            }
            QVERIFY(!QFileInfo::exists(path));
        }
        QCOMPARE(ui::figureFormat(QStringLiteral("x.PDF")), std::optional<ui::FigureFormat>(ui::FigureFormat::Pdf));
        QVERIFY(!ui::figureFormat(QStringLiteral("x.svgz")));
    }
};

int main(int argc, char** argv) {
    // What a headless renderer runs on: no X display, no OpenGL.
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    TestFigure test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_figure.moc"
