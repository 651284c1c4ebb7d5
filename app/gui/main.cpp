// latentscape [--labels LABELS.npy] [FILE | FOLDER]: the desktop explorer. Without FILE it opens the
// example dataset; a folder opens as a dataset of its images, or of its .npy shards.

#include "MainWindow.h"
#include "vtk/VtkView.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QMessageBox>
#include <QSurfaceFormat>

#include <cstdio>
#include <string_view>

int main(int argc, char* argv[]) {
    // Without a display, --help and --version still print (Qt's offscreen platform); anything else
    // says why no window can open instead of aborting in the platform plugin.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY") &&
        qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")) {
        bool infoOnly = false;
        for (int i = 1; i < argc; ++i) {
            const std::string_view a = argv[i];
            infoOnly = infoOnly || a == "-h" || a == "--help" || a == "--help-all" || a == "-v" || a == "--version";
        }
        if (!infoOnly) {
            std::fprintf(stderr, "latentscape: no display to open a window on (DISPLAY and WAYLAND_DISPLAY are unset); "
                                 "latentscape-cli runs the same methods without one\n");
            return 2;
        }
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    // VTK needs OpenGL 3.2 core; the format must be the default before any window exists.
    QSurfaceFormat::setDefaultFormat(latentscape::ui::VtkView::defaultFormat());
    QApplication::setApplicationName(QStringLiteral("Latentscape"));
    QApplication::setOrganizationName(QStringLiteral("Latentscape"));
    QApplication::setApplicationVersion(QStringLiteral(LATENTSCAPE_VERSION));
    QApplication app(argc, argv);
    // resources/io.github.latentscape.Latentscape.desktop: lets Wayland compositors and docks match
    // the window to it.
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.latentscape.Latentscape"));
    QApplication::setWindowIcon(latentscape::ui::MainWindow::applicationIcon());

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate(
        "main", "Explore high-dimensional data. Without FILE, opens Fashion-MNIST if installed, else "
                "synthetic Gaussian blobs."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("FILE"),
                                 QApplication::translate("main", "Dataset (.csv .tsv .npy .npz .h5ad or MNIST IDX), folder of "
                                                                 "images (PNG, JPEG, BMP, GIF; the sub-folders as classes), "
                                                                 "folder or manifest (.json) of .npy shards, or session "
                                                                 "(.latentscape) to open."),
                                 QStringLiteral("[FILE]"));
    QCommandLineOption runOption(QStringList{QStringLiteral("r"), QStringLiteral("run")},
                                 QApplication::translate("main", "Once the dataset is shown, run these methods one after another "
                                                                 "(comma-separated: pca, tsne, umap, autoencoder, vae) with the "
                                                                 "Reduction panel's options."),
                                 QStringLiteral("METHODS"));
    QCommandLineOption compareOption(QStringLiteral("compare"),
                                     QApplication::translate("main", "With --run: show the runs side by side in linked views."));
    QCommandLineOption labelsOption(QStringLiteral("labels"),
                                    QApplication::translate("main", "The labels of an .npy FILE's rows: a 1-D .npy of numbers or "
                                                                    "strings, one per row (IDX labels for IDX images)."),
                                    QStringLiteral("LABELS"));
    parser.addOption(labelsOption);
    parser.addOption(runOption);
    parser.addOption(compareOption);
    parser.process(app);
    const QStringList files = parser.positionalArguments();
    if (parser.isSet(labelsOption) && files.isEmpty()) {
        std::fprintf(stderr, "latentscape: --labels needs a FILE whose rows they label\n");
        return 2;
    }
    const QStringList methods = parser.value(runOption).split(QLatin1Char(','), Qt::SkipEmptyParts);

    latentscape::ui::MainWindow window;
    window.show();
    // The last run ended without closing its window (a crash, a kill): offer what it autosaved.
    const QString recovered = window.startCrashGuard();
    if (!recovered.isEmpty() &&
        QMessageBox::question(&window, QApplication::translate("main", "Restore the last session?"),
                              QApplication::translate("main", "Latentscape did not close normally last time. Restore the "
                                                              "view it saved on %1?")
                                  .arg(QFileInfo(recovered).lastModified().toString()),
                              QMessageBox::Yes | QMessageBox::No) == QMessageBox::Yes) {
        // Once it is shown again, this window's own autosaves take over.
        QObject::connect(&window, &latentscape::ui::MainWindow::sessionOpened, &window,
                         [recovered] { latentscape::ui::MainWindow::forgetRecovered(recovered); });
        window.openSession(recovered);
        return app.exec();
    }
    if (!recovered.isEmpty()) latentscape::ui::MainWindow::forgetRecovered(recovered);  // declined
    if (!methods.isEmpty()) {
        QObject::connect(&window, &latentscape::ui::MainWindow::datasetChanged, &window, [&window, methods, &parser, &compareOption] {
            static bool started = false;  // the first dataset shown only
            if (started) return;
            started = true;
            const QString error = window.runInTurn(methods, parser.isSet(compareOption));
            if (!error.isEmpty()) QMessageBox::warning(&window, QApplication::translate("main", "Cannot run"), error);
        });
    }
    if (files.isEmpty()) {
        // First launch: the example dataset, and its t-SNE forming live.
        window.setAutoRunOnDefault(methods.isEmpty());
        window.loadDefaultDataset();
    }
    else {
        latentscape::data::LoadOptions options;
        if (parser.isSet(labelsOption)) options.labels_path = QFileInfo(parser.value(labelsOption)).absoluteFilePath().toStdString();
        window.loadFile(files.first(), options);
    }
    return app.exec();
}
