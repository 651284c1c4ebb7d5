#include "figure/FigureWriter.h"

#include <QBuffer>
#include <QDir>
#include <QFileInfo>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace latentscape::ui {
namespace {

[[noreturn]] void fail(const QString& path, const QString& cause) {
    throw std::runtime_error(QStringLiteral("Cannot write the figure to %1: %2")
                                 .arg(QDir::toNativeSeparators(path), cause)
                                 .toStdString());
}

/// Opens `file` (a temporary next to `path`, renamed over it by commit()).
void open(QSaveFile& file, const QString& path) {
    // QSaveFile reports a missing folder only as "No such file or directory": say which.
    const QFileInfo info(path);
    if (!info.absoluteDir().exists()) fail(path, QStringLiteral("the folder %1 does not exist").arg(QDir::toNativeSeparators(info.absolutePath())));
    if (info.isDir()) fail(path, QStringLiteral("it is a folder"));
    if (!file.open(QIODevice::WriteOnly)) fail(path, file.errorString());
}

void commit(QSaveFile& file, const QString& path) {
    if (!file.commit()) fail(path, file.errorString());
}

constexpr qint64 kMaxPixels = qint64(400) * 1000 * 1000;  // 20,000 x 20,000 ARGB would be 1.6 GB

/// Why `size` and `dpi` cannot make a figure, or "" if they can.
QString optionsProblem(const QSize& size, double dpi) {
    if (!(dpi >= 1.0 && dpi <= 100000.0)) return QStringLiteral("the DPI (%1) must be between 1 and 100,000").arg(dpi);
    if (size.width() < 1 || size.height() < 1 || qint64(size.width()) * size.height() > kMaxPixels)
        return QStringLiteral("the size %1 x %2 pixels must be positive and at most 400 megapixels").arg(size.width()).arg(size.height());
    return {};
}

}  // namespace

std::optional<FigureFormat> figureFormat(const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("png")) return FigureFormat::Png;
    if (suffix == QLatin1String("svg")) return FigureFormat::Svg;
    if (suffix == QLatin1String("pdf")) return FigureFormat::Pdf;
    return std::nullopt;
}

QSize figureOutputSize(const Figure& figure, const FigureOptions& options) {
    if (!options.size.isEmpty()) return options.size;
    const QSizeF natural = naturalSize(figure);
    return {int(std::lround(2.0 * natural.width())), int(std::lround(2.0 * natural.height()))};
}

QImage renderFigure(const Figure& figure, const FigureOptions& options) {
    const QSize size = figureOutputSize(figure, options);
    const double dpi = options.dpi;
    if (const QString problem = optionsProblem(size, dpi); !problem.isEmpty())
        throw std::invalid_argument("cannot render the figure: " + problem.toStdString());
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    if (image.isNull())
        throw std::runtime_error("not enough memory for a " + std::to_string(size.width()) + " x " +
                                 std::to_string(size.height()) + " figure");
    const bool transparent = options.transparent.value_or(figure.transparentBackground);
    image.fill(transparent ? QColor(Qt::transparent) : figure.background);
    const int dotsPerMetre = int(std::lround(dpi / 0.0254));
    image.setDotsPerMeterX(dotsPerMetre);
    image.setDotsPerMeterY(dotsPerMetre);
    QPainter painter(&image);
    paintFigure(painter, figure, QSizeF(size), PaintOptions{transparent, false});
    painter.end();
    return image.convertToFormat(QImage::Format_ARGB32);
}

bool rastersPoints(const Figure& figure, const FigureOptions& options) {
    const QSize size = figureOutputSize(figure, options);
    return drawnPointCount(figure, layoutFigure(figure, QSizeF(size))) > options.vectorPointLimit;
}

void writeFigure(const Figure& figure, const QString& path, const FigureOptions& options, std::optional<FigureFormat> format) {
    if (!format) format = figureFormat(path);
    if (!format) {
        const QString suffix = QFileInfo(path).suffix();
        fail(path, suffix.isEmpty() ? QStringLiteral("no extension: use .png, .svg or .pdf")
                                    : QStringLiteral("unknown format '.%1': use .png, .svg or .pdf").arg(suffix));
    }
    const QSize size = figureOutputSize(figure, options);
    const double dpi = options.dpi;
    if (const QString problem = optionsProblem(size, dpi); !problem.isEmpty()) fail(path, problem);
    const bool transparent = options.transparent.value_or(figure.transparentBackground);
    QSaveFile file(path);
    switch (*format) {
    case FigureFormat::Png: {
        QImage image;  // rendered before the file is opened: a failure leaves nothing behind
        try {
            image = renderFigure(figure, options);
        } catch (const std::exception& e) {
            fail(path, QString::fromUtf8(e.what()));
        }
        open(file, path);
        if (!image.save(&file, "PNG")) fail(path, file.errorString().isEmpty() ? QStringLiteral("PNG encoding failed") : file.errorString());
        break;
    }
    case FigureFormat::Svg: {
        // QSvgGenerator cannot report a failed write: it writes into memory, the file is written
        // and committed as one.
        QByteArray svg;
        QBuffer buffer(&svg);
        buffer.open(QIODevice::WriteOnly);
        QSvgGenerator generator;
        generator.setOutputDevice(&buffer);
        generator.setSize(size);
        generator.setViewBox(QRectF(0, 0, size.width(), size.height()));
        generator.setResolution(int(std::lround(dpi)));
        // QSvgGenerator writes the title as it is: escape it, or "&" and "<" break the XML.
        generator.setTitle((figure.title.isEmpty() ? QStringLiteral("Latentscape figure") : figure.title).toHtmlEscaped());
        generator.setDescription(QStringLiteral("Made with Latentscape"));
        QPainter painter;
        if (!painter.begin(&generator)) fail(path, QStringLiteral("the SVG generator did not start"));
        paintFigure(painter, figure, QSizeF(size), PaintOptions{transparent, rastersPoints(figure, options)});
        painter.end();
        open(file, path);
        if (file.write(svg) != svg.size()) fail(path, file.errorString());
        break;
    }
    case FigureFormat::Pdf: {
        open(file, path);
        QPdfWriter pdf(&file);
        pdf.setResolution(int(std::lround(dpi)));
        pdf.setPageSize(QPageSize(QSizeF(size.width() / dpi, size.height() / dpi), QPageSize::Inch, QString(),
                                  QPageSize::ExactMatch));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        pdf.setTitle(figure.title);
        pdf.setCreator(QStringLiteral("Latentscape"));
        QPainter painter;
        if (!painter.begin(&pdf)) fail(path, QStringLiteral("the PDF writer did not start"));
        paintFigure(painter, figure, QSizeF(pdf.width(), pdf.height()), PaintOptions{transparent, rastersPoints(figure, options)});
        if (!painter.end()) fail(path, QStringLiteral("the PDF writer failed"));
        break;
    }
    }
    commit(file, path);
}

}  // namespace latentscape::ui
