// latentscape-cli render SESSION --out FIG: a session's figure without a display (Qt's offscreen
// platform, QPainter only), drawn by the same code as the app's File > Export Figure.
#include "commands.h"

#include "common/error.h"
#include "common/file_io.h"
#include "common/json.h"
#include "figure/FigureWriter.h"
#include "session/Session.h"
#include "session/SessionFigure.h"

#include <QFileInfo>
#include <QGuiApplication>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>

namespace latentscape::cli {

const char* const kRenderHelp =
    "usage: latentscape-cli render SESSION --out FIG.png|FIG.svg|FIG.pdf [--width W --height H] [--dpi D]\n"
    "                              [--title T] [--transparent] [--data DATASET] [--json]\n"
    "\n"
    "Draws the view a session (.latentscape, File > Save Session in the app) shows, exactly as the app's\n"
    "File > Export Figure does: the points through the saved camera, colours, faded unselected points,\n"
    "hidden classes, axis captions and legend. Needs no display (Qt's offscreen platform).\n"
    "\n"
    "  --out FIG          .png (raster), .svg or .pdf (vector; points rasterised above 50,000)\n"
    "  --width W, --height H   output size in pixels (default: twice the view's natural size; one\n"
    "                     given: the other keeps the aspect)\n"
    "  --dpi D            resolution stored in the file and used for vector page sizes (default 300)\n"
    "  --title T          a title above the plot\n"
    "  --transparent      no background fill (PNG)\n"
    "  --data DATASET     the dataset, if it moved since the session was saved (its SHA-256 is checked)\n"
    "  --json             print one JSON summary on stdout\n"
    "  --help             this text\n";

int run_render(const Args& a) {
    const std::string& sessionPath = single_input(a);
    if (!a.has("out")) throw UsageError{"--out is required"};
    const QString out = QString::fromStdString(a.get("out"));
    if (!ui::figureFormat(out)) throw UsageError{"--out must end in .png, .svg or .pdf, not '" + a.get("out") + "'"};
    const int width = number<int>(a, "width", 0), height = number<int>(a, "height", 0);
    const int dpi = number<int>(a, "dpi", 300);
    if (width < 0 || height < 0 || width > 30000 || height > 30000) throw UsageError{"--width and --height must be in [1, 30000]"};
    if (dpi < 10 || dpi > 2400) throw UsageError{"--dpi must be in [10, 2400]"};

    // No display needed: QPainter on images, SVG and PDF only. A QGuiApplication must exist for
    // fonts; the offscreen platform provides one anywhere.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    static int argc = 1;
    static char name[] = "latentscape-cli";
    static char* argv[] = {name, nullptr};
    const QGuiApplication app(argc, argv);

    // Session errors already name their file: printed as they are, as bad input (exit code 2).
    ui::Session session;
    std::shared_ptr<data::Dataset> ds;
    try {
        session = ui::readSession(QString::fromStdString(sessionPath));
        const QString dataPath = a.has("data") ? QString::fromStdString(a.get("data")) : session.datasetPath;
        if (!QFileInfo::exists(dataPath))
            throw LoadError(dataPath.toStdString(), "the session's dataset is not there (give its new place with --data)");
        ds = ui::loadSessionDataset(session, dataPath, QString::fromStdString(sessionPath));
    } catch (const ui::SessionError& e) {
        std::fprintf(stderr, "error: %s\n", printable(e.what()).c_str());
        return 2;
    }
    ui::Figure figure = ui::figureFromSession(session, *ds);
    figure.title = QString::fromStdString(a.get("title"));

    ui::FigureOptions options;
    const QSizeF natural = ui::naturalSize(figure);
    // Twice the view's size, as the app's export does, but at most 8,000 pixels a side unless asked
    // for: a session is a small text file whose view.size can say anything.
    const double fit = std::min(1.0, 8000.0 / std::max({1.0, 2 * natural.width(), 2 * natural.height()}));
    QSize size(std::max(1, int(std::lround(2 * natural.width() * fit))), std::max(1, int(std::lround(2 * natural.height() * fit))));
    if (width > 0 && height > 0) size = QSize(width, height);
    else if (width > 0) size = QSize(width, std::max(1, int(std::lround(width * natural.height() / natural.width()))));
    else if (height > 0) size = QSize(std::max(1, int(std::lround(height * natural.width() / natural.height()))), height);
    options.size = size;
    options.dpi = dpi;
    if (*ui::figureFormat(out) == ui::FigureFormat::Png) {
        // The image and its encoding's copy, 4 bytes a pixel each: refused before drawing when it
        // would exceed the memory budget (--memory-limit, LATENTSCAPE_MEMORY_LIMIT).
        try {
            io::check_fits_in_memory(a.get("out"), std::uint64_t(size.width()) * std::uint64_t(size.height()) * 8,
                                     "a " + std::to_string(size.width()) + " x " + std::to_string(size.height()) + " figure");
        } catch (const LoadError& e) {
            std::fprintf(stderr, "error: %s\n", printable(e.what()).c_str());
            return 2;
        }
    }
    if (a.has("transparent")) options.transparent = true;
    try {
        ui::writeFigure(figure, out, options);
    } catch (const std::runtime_error& e) {
        std::fprintf(stderr, "error: %s\n", printable(e.what()).c_str());
        return 2;
    }
    if (a.has("json")) {
        json::Writer w;  // paths may hold any bytes: the writer keeps the output valid JSON
        w.begin_object();
        w.key("session").value(sessionPath);
        w.key("output").value(a.get("out"));
        w.key("width").value(size.width());
        w.key("height").value(size.height());
        w.key("dpi").value(dpi);
        w.key("points").value(figure.points.size());
        w.end_object();
        std::printf("%s\n", w.str().c_str());
    } else {
        std::printf("rendered %s (%zu points) to %s, %d x %d at %d dpi\n", sessionPath.c_str(), figure.points.size(),
                    a.get("out").c_str(), size.width(), size.height(), dpi);
    }
    return 0;
}

}  // namespace latentscape::cli
