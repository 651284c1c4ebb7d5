// latentscape [FILE]: the desktop explorer. Without FILE it opens the example dataset.

#include "MainWindow.h"
#include "vtk/VtkOpenGLWidget.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QSurfaceFormat>

int main(int argc, char* argv[]) {
    // VTK needs OpenGL 3.2 core; the format must be the default before any window exists.
    QSurfaceFormat::setDefaultFormat(latentscape::ui::VtkOpenGLWidget::defaultFormat());
    QApplication::setApplicationName(QStringLiteral("Latentscape"));
    QApplication::setOrganizationName(QStringLiteral("Latentscape"));
    QApplication::setApplicationVersion(QStringLiteral(LATENTSCAPE_VERSION));
    QApplication app(argc, argv);
    // resources/latentscape.desktop: lets Wayland compositors and docks match the window to it.
    QGuiApplication::setDesktopFileName(QStringLiteral("latentscape"));
    QApplication::setWindowIcon(latentscape::ui::MainWindow::applicationIcon());

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate(
        "main", "Explore high-dimensional data. Without FILE, opens Fashion-MNIST if installed, else "
                "synthetic Gaussian blobs."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("FILE"),
                                 QApplication::translate("main", "Dataset to open (.csv .tsv .npy .npz or MNIST IDX)."),
                                 QStringLiteral("[FILE]"));
    parser.process(app);

    latentscape::ui::MainWindow window;
    window.show();
    const QStringList files = parser.positionalArguments();
    if (files.isEmpty()) {
        // First launch: the example dataset, and its t-SNE forming live.
        window.setAutoRunOnDefault(true);
        window.loadDefaultDataset();
    }
    else window.loadFile(files.first());
    return app.exec();
}
