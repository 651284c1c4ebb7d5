// latentscape-icons SVG OUTDIR NAME SIZE...: the application icon as PNGs of the freedesktop icon
// theme layout, OUTDIR/hicolor/SIZExSIZE/apps/NAME.png, drawn from the one SVG with Qt SVG. A build
// tool (not installed): the PNGs always match resources/latentscape.svg.
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>
#include <QDir>

#include <cstdio>
#include <cstdlib>

int main(int argc, char* argv[]) {
    if (argc < 5) {
        std::fprintf(stderr, "usage: latentscape-icons SVG OUTDIR NAME SIZE...\n");
        return 2;
    }
    QSvgRenderer svg(QString::fromLocal8Bit(argv[1]));
    if (!svg.isValid()) {
        std::fprintf(stderr, "latentscape-icons: %s: not a valid SVG\n", argv[1]);
        return 1;
    }
    const QString out = QString::fromLocal8Bit(argv[2]);
    const QString name = QString::fromLocal8Bit(argv[3]);
    for (int i = 4; i < argc; ++i) {
        const int size = std::atoi(argv[i]);
        if (size < 8 || size > 1024) {
            std::fprintf(stderr, "latentscape-icons: size '%s' is not 8..1024\n", argv[i]);
            return 2;
        }
        QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        {
            QPainter p(&image);
            p.setRenderHint(QPainter::Antialiasing);
            svg.render(&p, QRectF(0, 0, size, size));
        }
        const QString dir = QStringLiteral("%1/hicolor/%2x%2/apps").arg(out).arg(size);
        const QString file = dir + QLatin1Char('/') + name + QStringLiteral(".png");
        if (!QDir().mkpath(dir) || !image.save(file, "PNG")) {
            std::fprintf(stderr, "latentscape-icons: cannot write %s\n", qPrintable(file));
            return 1;
        }
    }
    return 0;
}
