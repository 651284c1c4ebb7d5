// MainWindow, figures: File > Export Figure… (Ctrl+E) writes what the plot shows, with the
// legend of its colouring and a title, as PNG, SVG or PDF (figure/FigureWriter.h).
#include "MainWindow.h"

#include "figure/FigureFromView.h"
#include "figure/FigureWriter.h"
#include "figure/PlotRules.h"
#include "panels/ExportFigureDialog.h"

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>

#include <cmath>
#include <stdexcept>

namespace latentscape::ui {
namespace {
const QString kLastPathKey = QStringLiteral("figure/lastPath");
const QString kDpiKey = QStringLiteral("figure/dpi");
const QString kTransparentKey = QStringLiteral("figure/transparent");
}  // namespace

void MainWindow::createFigureActions(QMenu* fileMenu) {
    fileMenu->addSeparator();
    QAction* exportFigure = fileMenu->addAction(tr("Export &Figure…"), this, &MainWindow::showExportFigureDialog);
    exportFigure->setObjectName(QStringLiteral("exportFigureAction"));
    exportFigure->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    exportFigure->setStatusTip(tr("Save the plot as it is shown, with its legend, as PNG, SVG or PDF"));
}

Figure MainWindow::currentFigure(const QString& title, const ScatterView* view) const {
    Figure figure = figureFromView(view ? *view : *m_scatterView);
    figure.title = title;
    // The legend the Data dock shows for the colouring, by the plot's rules.
    if (prepared().dataset) setPlotLegend(figure, *prepared().dataset, plotStyle(), &prepared().columns);
    return figure;
}

void MainWindow::exportFigure(const QString& path, const FigureOptions& options, const QString& title,
                              const ScatterView* view) {
    writeFigure(currentFigure(title, view), path, options);
}

void MainWindow::showExportFigureDialog() {
    for (auto* old : findChildren<ExportFigureDialog*>(QString(), Qt::FindDirectChildrenOnly)) old->deleteLater();
    auto* dialog = new ExportFigureDialog(this);
    dialog->setObjectName(QStringLiteral("exportFigureDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QSettings settings;
    QString path = settings.value(kLastPathKey).toString();
    const QString base = prepared().displayName.isEmpty() ? QStringLiteral("figure") : QFileInfo(prepared().displayName).completeBaseName();
    if (path.isEmpty()) path = QDir::home().filePath(base + QStringLiteral(".png"));
    dialog->setPath(path);
    // Twice what is on screen (the plot, its legend), the same look at print resolution.
    const QSizeF natural = naturalSize(currentFigure());
    dialog->setOutputSize(QSize(int(std::lround(2 * natural.width())), int(std::lround(2 * natural.height()))));
    dialog->setDpi(settings.value(kDpiKey, 300).toInt());
    dialog->setTransparent(settings.value(kTransparentKey, false).toBool());
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        FigureOptions options;
        options.size = dialog->outputSize();
        options.dpi = dialog->dpi();
        options.transparent = dialog->transparent();
        const QString path = dialog->path();
        QSettings settings;
        settings.setValue(kLastPathKey, path);
        settings.setValue(kDpiKey, dialog->dpi());
        settings.setValue(kTransparentKey, dialog->transparent());
        try {
            exportFigure(path, options, dialog->title());
            statusBar()->showMessage(tr("Figure saved to %1 (%2 \u00d7 %3 pixels)")
                                         .arg(QDir::toNativeSeparators(path))
                                         .arg(options.size.width())
                                         .arg(options.size.height()),
                                     10000);
        } catch (const std::exception& e) {
            const QString message = QString::fromUtf8(e.what());
            statusBar()->showMessage(message);
            auto* box = new QMessageBox(QMessageBox::Warning, tr("Could not export the figure"), message, QMessageBox::Ok, this);
            box->setObjectName(QStringLiteral("figureErrorBox"));
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
        }
    });
    dialog->open();
}

}  // namespace latentscape::ui
