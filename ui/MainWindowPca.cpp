// MainWindow, PCA and axes (issue 15): View > Axis Ticks (every view, remembered), View > PCA
// Components… (the scree plot of a PCA run, refitted on a worker) and View > PCA Loadings
// (Biplot) (arrows of the top features over the 2-D PCA run shown, computed on a worker).
#include "MainWindow.h"

#include "figure/Biplot.h"
#include "jobs/RunInput.h"
#include "panels/DataPanel.h"
#include "panels/FileDialogs.h"
#include "panels/RunsPanel.h"
#include "panels/ScreePlot.h"
#include "reduce/pca.h"
#include "views/ViewGrid.h"

#include <QAction>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QPushButton>
#include <QSaveFile>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace latentscape::ui {
namespace {
const QString kAxisTicksKey = QStringLiteral("view/axisTicks");
const QString kBiplotKey = QStringLiteral("view/biplot");
constexpr int kScreeComponents = 30;  // at most; fewer when n or d is smaller
constexpr int kBiplotArrows = 8;
}  // namespace

/// What the scree plot shows: the refit's explained variance ratios.
struct MainWindow::Scree {
    int runId = -1;
    std::vector<double> ratio;
    std::int64_t d = 0;
};

void MainWindow::createPcaActions(QMenu* viewMenu) {
    // Ticks: one global toggle, on by default, for every 2-D plot (PCA, features, autoencoder,
    // t-SNE and UMAP alike: a toggle that did nothing on some plots would read as broken; on a
    // t-SNE the numbers still say how far apart things are on this map).
    m_axisTicksAction = viewMenu->addAction(tr("Axis &Ticks"));
    m_axisTicksAction->setObjectName(QStringLiteral("axisTicksAction"));
    m_axisTicksAction->setCheckable(true);
    m_axisTicksAction->setStatusTip(tr("Tick marks and numbers along the bottom and left edges of 2-D plots, on screen and in figures"));
    m_axisTicksAction->setChecked(QSettings().value(kAxisTicksKey, true).toBool());
    for (ScatterView* v : m_viewGrid->views()) v->setAxisTicks(m_axisTicksAction->isChecked());
    connect(m_axisTicksAction, &QAction::toggled, this, [this](bool on) {
        for (ScatterView* v : m_viewGrid->views()) v->setAxisTicks(on);
        QSettings().setValue(kAxisTicksKey, on);
    });

    m_biplotAction = viewMenu->addAction(tr("PCA &Loadings (Biplot)"));
    m_biplotAction->setObjectName(QStringLiteral("biplotAction"));
    m_biplotAction->setCheckable(true);
    m_biplotAction->setStatusTip(tr("Arrows of the %1 features that weigh most in a 2-D PCA shown: where each one grows").arg(kBiplotArrows));
    m_biplotAction->setChecked(QSettings().value(kBiplotKey, false).toBool());
    connect(m_biplotAction, &QAction::toggled, this, [this](bool on) {
        QSettings().setValue(kBiplotKey, on);
        updateBiplot();
    });

    QAction* components = viewMenu->addAction(tr("PCA &Components…"), this, [this] {
        // The current run if it is a PCA, else the newest PCA run.
        auto run = m_document->currentRun();
        if (!run || run->spec.method != RunSpec::Method::Pca) {
            run = nullptr;
            for (auto it = m_document->runs().rbegin(); it != m_document->runs().rend(); ++it)
                if ((*it)->spec.method == RunSpec::Method::Pca && (*it)->hasEmbedding()) {
                    run = *it;
                    break;
                }
        }
        if (!run) {
            statusBar()->showMessage(tr("No PCA run: run a PCA first (Reduction dock, method PCA)"), 10000);
            return;
        }
        showPcaComponents(run->id);
    });
    components->setObjectName(QStringLiteral("pcaComponentsAction"));
    components->setStatusTip(tr("The variance each principal component of a PCA run explains (a scree plot)"));
    connect(m_runsPanel, &RunsPanel::pcaComponentsRequested, this, &MainWindow::showPcaComponents);

    // The arrows follow what the main view shows; queued, so that the view has drawn it first.
    const auto later = [this] { QTimer::singleShot(0, this, &MainWindow::updateBiplot); };
    connect(m_document, &Document::currentRunChanged, this, later);
    connect(m_document, &Document::runChanged, this, [this, later](int id) {
        if (id == m_document->currentRunId()) later();
    });
    connect(m_dataPanel, &DataPanel::plotSourceChanged, this, later);
    connect(this, &MainWindow::datasetChanged, this, later);
}

void MainWindow::setBiplotShown(bool on) { m_biplotAction->setChecked(on); }

void MainWindow::updateBiplot() {
    const auto run = m_document->currentRun();
    const auto dataset = m_document->dataset();
    const bool wanted = m_biplotAction && m_biplotAction->isChecked() && run && dataset && run->spec.method == RunSpec::Method::Pca &&
                        run->dims == 2 && run->state == Run::State::Done && run->hasEmbedding() &&
                        m_dataPanel->plotEmbedding() && m_shownEmbedding == run->embedding &&
                        run->embedding->size() == 2 * std::size_t(dataset->n);
    if (!wanted) {
        m_biplotTask.cancel();
        if (!m_scatterView->biplot().empty()) {
            m_scatterView->setBiplot({});
            emit biplotShown(0);
        }
        return;
    }
    const auto embedding = run->embedding;
    const data::Preprocess preprocess = run->spec.preprocess;
    const bool scale = run->spec.pca.scale;
    m_biplotTask.start(
        [dataset, embedding, preprocess, scale](const CancelToken& canceled) {
            const auto input = runInput(dataset, preprocess);
            canceled.throwIfCanceled();
            // PcaOptions::scale divides by the population standard deviation (constant columns: 1).
            std::vector<double> divisors;
            if (scale) {
                const auto d = std::size_t(input->d);
                std::vector<double> mean(d, 0.0), square(d, 0.0);
                for (std::int64_t i = 0; i < input->n; ++i)
                    for (std::size_t j = 0; j < d; ++j) mean[j] += input->row(i)[j];
                for (double& m : mean) m /= double(input->n);
                for (std::int64_t i = 0; i < input->n; ++i)
                    for (std::size_t j = 0; j < d; ++j) square[j] += (input->row(i)[j] - mean[j]) * (input->row(i)[j] - mean[j]);
                divisors.resize(d);
                for (std::size_t j = 0; j < d; ++j) {
                    const double sd = std::sqrt(square[j] / double(input->n));
                    divisors[j] = sd > 0.0 ? sd : 1.0;
                }
            }
            canceled.throwIfCanceled();
            const auto loadings = pcaLoadings(input->features.data(), input->n, input->d, embedding->data(), divisors);
            std::vector<QString> names;
            for (const std::string& name : input->feature_names) names.push_back(QString::fromStdString(name));
            return std::make_shared<const std::vector<BiplotArrow>>(
                biplotArrows(loadings, names, embedding->data(), input->n, kBiplotArrows));
        },
        [this, embedding](std::shared_ptr<const std::vector<BiplotArrow>> arrows) {
            if (m_shownEmbedding != embedding) return;  // the view moved on meanwhile
            m_scatterView->setBiplot(*arrows);
            emit biplotShown(int(arrows->size()));
        },
        [this](const QString& error) { statusBar()->showMessage(tr("Cannot draw the PCA loadings: %1").arg(error), 10000); });
}

void MainWindow::showPcaComponents(int id) {
    const auto run = m_document->run(id);
    const auto dataset = m_document->dataset();
    if (!run || !dataset || run->spec.method != RunSpec::Method::Pca) return;
    auto* dialog = findChild<QDialog*>(QStringLiteral("pcaComponentsDialog"), Qt::FindDirectChildrenOnly);
    ScreePlot* plot = nullptr;
    QLabel* summary = nullptr;
    if (!dialog) {
        dialog = new QDialog(this);
        dialog->setObjectName(QStringLiteral("pcaComponentsDialog"));
        dialog->resize(640, 420);
        auto* layout = new QVBoxLayout(dialog);
        plot = new ScreePlot(dialog);
        plot->setToolTip(tr("Hover a bar for its numbers; right-click to copy the values"));
        layout->addWidget(plot, 1);
        summary = new QLabel(dialog);
        summary->setObjectName(QStringLiteral("pcaComponentsSummary"));
        summary->setWordWrap(true);
        summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
        summary->setMinimumHeight(2 * summary->fontMetrics().lineSpacing());  // wrapped, never cut
        layout->addWidget(summary);
        auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
        QPushButton* copy = buttons->addButton(tr("&Copy Values"), QDialogButtonBox::ActionRole);
        copy->setObjectName(QStringLiteral("screeCopyButton"));
        copy->setToolTip(tr("Copy the ratios as tab-separated text (paste into a spreadsheet)"));
        QPushButton* save = buttons->addButton(tr("&Save CSV…"), QDialogButtonBox::ActionRole);
        save->setObjectName(QStringLiteral("screeSaveButton"));
        layout->addWidget(buttons);
        connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
        connect(copy, &QPushButton::clicked, plot, &ScreePlot::copyValues);
        connect(save, &QPushButton::clicked, dialog, [this, plot] {
            if (plot->explainedVariance().empty()) return;
            const QString path = QFileDialog::getSaveFileName(this, tr("Save Explained Variance"),
                                                              dialogStart(QStringLiteral("explained_variance.csv")), tr("CSV files (*.csv)"));
            if (path.isEmpty()) return;
            rememberFolder(path);
            QSaveFile file(path);
            QString text = plot->valuesText();
            text.replace(QLatin1Char('\t'), QLatin1Char(','));
            if (!file.open(QIODevice::WriteOnly) || file.write(text.toUtf8()) < 0 || !file.commit())
                statusBar()->showMessage(tr("Cannot write %1: %2").arg(path, file.errorString()), 10000);
            else
                statusBar()->showMessage(tr("Explained variance saved to %1").arg(path), 10000);
        });
    } else {
        plot = dialog->findChild<ScreePlot*>();
        summary = dialog->findChild<QLabel*>(QStringLiteral("pcaComponentsSummary"));
    }
    dialog->setWindowTitle(tr("PCA Components — %1").arg(run->name));
    plot->setMessage(tr("Computing the components of %1…").arg(run->name));
    summary->clear();
    dialog->show();
    dialog->raise();

    reduce::PcaOptions options = run->spec.pca;
    options.components = int(std::min<std::int64_t>({dataset->d, dataset->n, kScreeComponents}));
    options.whiten = false;
    const data::Preprocess preprocess = run->spec.preprocess;
    const QString name = run->name;
    m_screeTask.start(
        [dataset, options, preprocess, id](const CancelToken& canceled) {
            const auto input = runInput(dataset, preprocess);
            canceled.throwIfCanceled();
            const reduce::PcaResult fit = reduce::pca(*input, options);
            auto scree = std::make_shared<Scree>();
            scree->runId = id;
            scree->ratio = fit.explained_variance_ratio;
            scree->d = input->d;
            return std::shared_ptr<const Scree>(std::move(scree));
        },
        [this, plot, summary, name](std::shared_ptr<const Scree> scree) {
            plot->setExplainedVariance(scree->ratio, tr("Variance explained by each component of %1").arg(name));
            double total = 0.0;
            for (const double r : scree->ratio) total += r;
            const QLocale locale;
            summary->setText(tr("The first %1 of %2 components explain %3% of the variance; the first two %4%.")
                                 .arg(scree->ratio.size())
                                 .arg(scree->d)
                                 .arg(locale.toString(100.0 * total, 'f', 1))
                                 .arg(locale.toString(100.0 * (scree->ratio.size() > 1 ? scree->ratio[0] + scree->ratio[1] : total), 'f', 1)));
            emit pcaComponentsShown(scree->runId, {});
        },
        [this, plot, id](const QString& error) {
            plot->setMessage(tr("Cannot compute the components: %1").arg(error));
            emit pcaComponentsShown(id, error);
        });
}

}  // namespace latentscape::ui
