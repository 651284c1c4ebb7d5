// The figure library on its own (latentscape_figure: Qt Gui and Svg, no widgets, no VTK), run on
// Qt's offscreen platform as a renderer on a server without a display would: every format is
// written, the look is the same at any size, a wider output grows the plot (not the dots), the
// legend wraps into columns, and bad paths and extensions are refused.
#include "figure/Figure.h"
#include "figure/FigureWriter.h"

#include <QGuiApplication>
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
