// MainWindow and its runs: the metrics each finished run gets (computed on workers, kept in the
// document), the Runs dock's requests (show, re-run, edit, compare), the morph from one run into
// another, and the per-point information loss of a run as colourable columns.
#include "MainWindow.h"

#include "ReductionController.h"
#include "metrics/pointwise.h"
#include "metrics/procrustes.h"
#include "panels/DataPanel.h"
#include "panels/DecoderPanel.h"
#include "panels/GeneratorPanel.h"
#include "panels/MetricsPanel.h"
#include "panels/ReductionPanel.h"
#include "panels/RunsPanel.h"
#include "data/load.h"
#include "jobs/RunInput.h"
#include "reduce/pca.h"
#include "reduce/transform.h"
#include "reduce/umap_internal.h"
#include "views/ViewGrid.h"
#include "vtk/ScatterView.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QEasingCurve>
#include <QThreadPool>
#include <QTimer>
#include <QFutureWatcher>
#include <QLocale>
#include <QStatusBar>
#include <QVariantAnimation>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <atomic>

namespace latentscape::ui {

/// The two ends of a morph, in the same frame: the shown run aligned onto the target.
struct MainWindow::Alignment {
    int targetId = -1;
    int dims = 2;                 ///< 3 when either run is 3-D
    std::vector<float> start;     ///< n x dims: the shown run, mapped onto the target
    std::vector<float> end;       ///< n x dims: the target (a 2-D one padded with z = 0)
    double disparity = 0.0;
};

/// Rows of another file placed on a run's map.
struct MainWindow::Placement {
    int runId = -1;
    std::vector<std::array<double, 2>> points;
};

void MainWindow::createRunsPanel() {
    m_runsPanel = new RunsPanel(m_document, this);
    addDockWidget(Qt::BottomDockWidgetArea, m_runsPanel);
    // The Generator dock needs the width under the plot: a tab beside the Runs table, brought to
    // the front when it is shown.
    tabifyDockWidget(m_runsPanel, m_generatorPanel);
    m_generatorPanel->hide();
    connect(m_generatorPanel->toggleViewAction(), &QAction::toggled, this, [this](bool on) {
        if (on) QTimer::singleShot(0, m_generatorPanel, [this] { m_generatorPanel->raise(); });
    });
    // An imported embedding (it came with the data) has no options to run again with.
    const auto computed = [this](const std::shared_ptr<const Run>& run) {
        if (run && !run->spec.isComputed())
            statusBar()->showMessage(tr("“%1” came with the data: there are no options to run it again with").arg(run->name), 8000);
        return run && run->spec.isComputed();
    };
    connect(m_runsPanel, &RunsPanel::rerunRequested, this, [this, computed](int id) {
        if (const auto run = m_document->run(id); computed(run)) {
            m_reductionPanel->setSpec(run->spec);
            m_reduction->run(run->spec);
        }
    });
    connect(m_runsPanel, &RunsPanel::editRequested, this, [this, computed](int id) {
        if (const auto run = m_document->run(id); computed(run)) {
            m_reductionPanel->setSpec(run->spec);
            m_reductionPanel->show();
            m_reductionPanel->raise();
            statusBar()->showMessage(tr("The Reduction panel holds the options of “%1”: change them and press Run").arg(run->name), 8000);
        }
    });
    connect(m_runsPanel, &RunsPanel::compareRequested, this, &MainWindow::compareRuns);
    connect(m_runsPanel, &RunsPanel::morphRequested, this, [this](int id) { morphTo(id); });
    connect(m_runsPanel, &RunsPanel::informationLossRequested, this, &MainWindow::showInformationLoss);
    // An embedding that came with the data is measured like a finished run, to compare with.
    connect(m_document, &Document::runAdded, this, [this](int id) {
        const auto run = m_document->run(id);
        if (run && !run->spec.isComputed() && run->state == Run::State::Done && !run->metrics) computeRunMetrics(id);
    });
    // The per-point loss and a morph's alignment belong to the rows they were asked for.
    connect(m_document, &Document::datasetChanged, this, [this] {
        m_lossTask.cancel();
        m_alignTask.cancel();
        clearBusy();
    });
    // Placed points belong to the map they were placed on.
    connect(m_document, &Document::currentRunChanged, this, [this] {
        m_placeTask.cancel();
        m_scatterView->setAddedPoints({});
    });
    connect(m_document, &Document::datasetChanged, this, [this] { m_scatterView->setAddedPoints({}); });
    // A run deleted while it runs stops running.
    connect(m_document, &Document::runRemoved, this, [this](int id) {
        if (id == m_reduction->runId() && m_reduction->isRunning()) m_reduction->cancel();
    });
    // The Metrics dock shows the figures of the run on screen.
    const auto showMetrics = [this] {
        const auto run = m_document->currentRun();
        if (run && run->metrics) m_metricsPanel->showMetrics(*run->metrics, run->name);
        else m_metricsPanel->clear();
    };
    connect(m_document, &Document::currentRunChanged, this, showMetrics);
    // The Decoder dock belongs to runs with a 2-D latent plane: it goes when another run is shown.
    connect(m_document, &Document::currentRunChanged, this, [this] {
        const auto run = m_document->currentRun();
        if (!(run && run->model && run->model->latent_dims == 2 && run->dims == 2)) m_decoderPanel->hide();
        m_generatorPanel->setVae(run ? run->model : nullptr);
    });
    connect(m_document, &Document::runChanged, this, [this, showMetrics](int id) {
        if (id == m_document->currentRunId()) showMetrics();
    });
}

void MainWindow::computeRunMetrics(int id) {
    const auto run = m_document->run(id);
    const auto dataset = m_document->dataset();
    if (!run || !run->hasEmbedding() || !dataset) return;
    if (!m_metricsJobs) m_metricsJobs = new QObject(this);
    // Each run its own computation (several may finish close together, and each keeps its
    // figures): not a newest-wins task. A result is kept only while the run still has that
    // embedding.
    auto* watcher = new QFutureWatcher<EmbeddingMetrics>(m_metricsJobs);
    const auto embedding = run->embedding;
    const int dims = run->dims;
    const data::Preprocess preprocess = run->spec.isComputed() ? run->spec.preprocess : data::Preprocess::None;
    connect(watcher, &QFutureWatcher<EmbeddingMetrics>::finished, this, [this, watcher, id, embedding, dataset] {
        watcher->deleteLater();
        const auto now = m_document->run(id);
        if (!now || now->embedding != embedding || !m_document->dataset() || m_document->dataset()->n != dataset->n) return;
        const EmbeddingMetrics m = watcher->result();
        if (!m.error.isEmpty()) {
            statusBar()->showMessage(tr("Metrics of “%1”: %2").arg(now->name, m.error), 10000);
            return;
        }
        m_document->setRunMetrics(id, m);
    });
    // One at a time (each is OpenMP-parallel): runs queued back to back do not pile their metrics
    // onto the cores the next run needs.
    static QThreadPool* const metricsPool = [] {
        auto* pool = new QThreadPool(QCoreApplication::instance());
        pool->setMaxThreadCount(1);
        return pool;
    }();
    const QFuture<EmbeddingMetrics> future =
        QtConcurrent::run(metricsPool, [dataset, embedding, dims, preprocess] {
            // Measured against what the method saw: a standardised run against the standardised
            // features.
            try {
                return computeEmbeddingMetrics(*runInput(dataset, preprocess), *embedding, dims);
            } catch (const std::exception& e) {
                EmbeddingMetrics failed;
                failed.error = QString::fromUtf8(e.what());
                return failed;
            }
        });
    m_metricsFutures.addFuture(QFuture<void>(future));
    watcher->setFuture(future);
}

void MainWindow::compareRuns(const std::vector<int>& ids) {
    std::vector<int> runs;
    for (int id : ids)
        if (const auto run = m_document->run(id); run && run->hasEmbedding()) runs.push_back(id);
    if (runs.empty()) return;
    if (runs.size() > std::size_t(ViewGrid::maxPanes)) runs.resize(std::size_t(ViewGrid::maxPanes));
    m_document->setCurrentRun(runs.front());
    m_dataPanel->setEmbeddingAvailable(m_document->currentRun()->name, true);
    showCurrentRun(true);
    m_viewGrid->setPaneCount(int(runs.size()));
    for (std::size_t i = 1; i < runs.size(); ++i) m_viewGrid->setRun(int(i), runs[i]);
}

bool MainWindow::isMorphing() const { return m_morphAnimation != nullptr || m_alignTask.isRunning(); }

void MainWindow::morphTo(int id, int durationMs) {
    const auto from = m_document->currentRun();
    const auto to = m_document->run(id);
    const auto dataset = m_document->dataset();
    if (!from || !to || !dataset || !from->hasEmbedding() || !to->hasEmbedding() || from->id == id) return;
    if (m_morphAnimation) {
        delete m_morphAnimation;
        m_morphAnimation = nullptr;
    }
    const std::int64_t n = dataset->n;
    statusBar()->showMessage(tr("Aligning “%1” onto “%2”…").arg(from->name, to->name));
    // The shown run is aligned onto the target (rotation or reflection, scale, shift: Procrustes),
    // so the animation ends exactly on the target's own coordinates and shows only real movement.
    m_alignTask.start(
        [source = from->embedding, sourceDims = from->dims, target = to->embedding, targetDims = to->dims, n,
         id](const CancelToken&) {
            const metrics::ProcrustesResult fit =
                metrics::procrustes_align(target->data(), targetDims, source->data(), sourceDims, n);
            auto a = std::make_shared<Alignment>();
            a->targetId = id;
            a->dims = fit.dims;
            a->start = fit.aligned;
            a->disparity = fit.disparity;
            a->end.assign(std::size_t(n) * std::size_t(fit.dims), 0.0f);
            for (std::int64_t i = 0; i < n; ++i)
                for (int k = 0; k < targetDims; ++k)
                    a->end[std::size_t(i) * std::size_t(fit.dims) + std::size_t(k)] = (*target)[std::size_t(i * targetDims + k)];
            return std::shared_ptr<const Alignment>(std::move(a));
        },
        [this, durationMs](std::shared_ptr<const Alignment> a) {
            const auto target = m_document->run(a->targetId);
            const auto dataset = m_document->dataset();
            if (!target || !dataset || a->start.size() != std::size_t(dataset->n) * std::size_t(a->dims)) return;
            if (!m_dataPanel->plotEmbedding()) m_dataPanel->setEmbeddingAvailable(m_document->currentRun()->name, true);
            statusBar()->showMessage(tr("Morphing into “%1” (Procrustes disparity %2)")
                                         .arg(target->name, QLocale().toString(a->disparity, 'f', 3)),
                                     8000);
            auto* animation = new QVariantAnimation(this);
            m_morphAnimation = animation;
            animation->setStartValue(0.0);
            animation->setEndValue(1.0);
            animation->setDuration(std::max(1, durationMs));
            animation->setEasingCurve(QEasingCurve::InOutCubic);
            const auto n = std::size_t(dataset->n);
            // Drawing only: each frame mixes the two ends (n x dims floats), the view draws it.
            auto frame = std::make_shared<std::vector<float>>(a->start.size());
            const auto draw = [this, a, frame, n](double t) {
                const float u = float(t);
                for (std::size_t i = 0; i < frame->size(); ++i) (*frame)[i] = a->start[i] + u * (a->end[i] - a->start[i]);
                if (a->dims == 2) {
                    std::vector<float> x(n), y(n);
                    for (std::size_t i = 0; i < n; ++i) {
                        x[i] = (*frame)[2 * i];
                        y[i] = (*frame)[2 * i + 1];
                    }
                    m_scatterView->setPoints(x.data(), y.data(), n);
                } else {
                    m_scatterView->setPoints(frame->data(), n);
                }
            };
            draw(0.0);
            refreshPane(0);
            m_scatterView->resetCamera();
            connect(animation, &QVariantAnimation::valueChanged, this, [draw](const QVariant& v) { draw(v.toDouble()); });
            connect(animation, &QVariantAnimation::finished, this, [this, animation, id = a->targetId] {
                if (m_morphAnimation == animation) m_morphAnimation = nullptr;
                animation->deleteLater();
                m_shownEmbedding.reset();
                m_document->setCurrentRun(id);  // draws the target as it is: the last frame
                showCurrentRun(false);
                refreshPane(0);
                emit morphFinished(id);
            });
            animation->start();
        },
        [this](const QString& error) { statusBar()->showMessage(tr("Cannot morph: %1").arg(error), 10000); });
}

void MainWindow::showInformationLoss(int id) {
    const auto run = m_document->run(id);
    const auto dataset = m_document->dataset();
    if (!run || !run->hasEmbedding() || !dataset) return;
    if (dataset->n < 22) {
        statusBar()->showMessage(tr("Information loss needs at least 22 points (k = 10 neighbours)"), 8000);
        return;
    }
    const QString name = run->name;
    setBusy(tr("Information loss of “%1” per point: 0%…").arg(name));
    // O(n^2 d): computed in slices of rows, so the status bar shows how far it got and a newer
    // request (or a new dataset) cancels it between slices.
    auto done = std::make_shared<std::atomic<std::int64_t>>(0);
    auto* progress = new QTimer(this);
    progress->setObjectName(QStringLiteral("lossProgress"));
    connect(progress, &QTimer::timeout, this, [this, progress, done, n = dataset->n, name] {
        if (!m_lossTask.isRunning()) {
            progress->deleteLater();
            return;
        }
        statusBar()->showMessage(tr("Information loss of “%1” per point: %2%…").arg(name).arg(100 * done->load() / std::max<std::int64_t>(n, 1)));
    });
    progress->start(250);
    m_lossTask.start(
        [dataset, embedding = run->embedding, dims = run->dims, spec = run->spec, model = run->model, name,
         done](const CancelToken& canceled) {
            // Per-point quality against what the method saw (its preprocessed features); the
            // reconstruction error in the data's own units (an autoencoder's model maps raw rows).
            const auto input = runInput(dataset, spec.isComputed() ? spec.preprocess : data::Preprocess::None);
            const data::Dataset& ds = *input;
            metrics::PointwiseQuality q;
            constexpr std::int64_t slice = 1024;
            std::vector<std::int64_t> rows;
            for (std::int64_t first = 0; first < ds.n; first += slice) {
                rows.resize(std::size_t(std::min(slice, ds.n - first)));
                for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = first + std::int64_t(i);
                const metrics::PointwiseQuality part =
                    metrics::pointwise_quality(ds.features.data(), ds.n, ds.d, embedding->data(), dims, 10, rows, canceled);
                q.trustworthiness.insert(q.trustworthiness.end(), part.trustworthiness.begin(), part.trustworthiness.end());
                q.continuity.insert(q.continuity.end(), part.continuity.begin(), part.continuity.end());
                q.knn_recall.insert(q.knn_recall.end(), part.knn_recall.begin(), part.knn_recall.end());
                done->store(first + std::int64_t(rows.size()));
            }
            std::vector<double> reconstruction;
            if (spec.method == RunSpec::Method::Pca) {
                const reduce::PcaResult fit = reduce::pca(ds.features.data(), ds.n, ds.d, spec.pca);
                reconstruction = reduce::pca_reconstruction_error(fit, ds.features.data(), ds.n, ds.d);
            } else if (model) {
                reconstruction = model->reconstruction_errors(dataset->features.data(), dataset->n);
            }
            canceled.throwIfCanceled();
            // New numeric columns on a copy (the dataset is immutable and shared).
            auto copy = std::make_shared<data::Dataset>(*dataset);
            const auto put = [&copy](const std::string& column, const std::vector<double>& values) {
                std::vector<double> v(values.begin(), values.end());
                auto meta = data::MetadataColumn::numeric(column, std::move(v));
                if (const auto at = copy->find_metadata(column)) copy->metadata[*at] = std::move(meta);
                else copy->metadata.push_back(std::move(meta));
            };
            const std::string suffix = " (" + name.toStdString() + ")";
            put("trustworthiness" + suffix, q.trustworthiness);
            put("continuity" + suffix, q.continuity);
            put("kNN recall" + suffix, q.knn_recall);
            if (!reconstruction.empty()) put("reconstruction error" + suffix, reconstruction);
            copy->check_consistent();
            return prepareDataset(std::move(copy));
        },
        [this, id, dataset, name](PreparedDataset prepared) {
            clearBusy();
            if (m_document->dataset() != dataset && (!m_document->dataset() || m_document->dataset()->n != dataset->n)) return;
            const QString column = QStringLiteral("trustworthiness (%1)").arg(name);
            if (DatasetService::replaceDerived(*m_document, std::move(prepared))) colourByColumn(column.toStdString());
            statusBar()->showMessage(tr("Coloured by the trustworthiness of each point in “%1” (k = 10): low values were "
                                        "brought near points that are far in the data. Continuity, kNN recall%2 are in the colour list.")
                                         .arg(name, m_document->dataset()->find_metadata("reconstruction error (" + name.toStdString() + ")")
                                                        ? tr(" and reconstruction error")
                                                        : QString()),
                                     15000);
            emit informationLossShown(id, column);
        },
        [this](const QString& error) {
            clearBusy();
            statusBar()->showMessage(tr("Information loss: %1").arg(error), 10000);
        });
}

}  // namespace latentscape::ui

namespace latentscape::ui {

QString MainWindow::runInTurn(const QStringList& methods, bool compare) {
    for (const QString& m : methods)
        if (!QStringList{QStringLiteral("pca"), QStringLiteral("tsne"), QStringLiteral("umap"), QStringLiteral("autoencoder"),
                         QStringLiteral("vae")}
                 .contains(m))
            return tr("unknown method “%1” (pca, tsne, umap, autoencoder or vae)").arg(m);
    m_queuedMethods = methods;
    m_queuedRuns.clear();
    m_compareQueued = compare;
    disconnect(m_queueConnection);
    m_queueConnection = connect(m_reduction, &ReductionController::runFinished, this, [this](bool canceled, const QString& error) {
        if (canceled || !error.isEmpty()) {  // the user took over, or a run failed: stop here
            m_queuedMethods.clear();
            disconnect(m_queueConnection);
            return;
        }
        m_queuedRuns.push_back(m_reduction->runId());
        runNextQueued();
    });
    runNextQueued();
    return {};
}

void MainWindow::runNextQueued() {
    if (m_queuedMethods.isEmpty()) {
        disconnect(m_queueConnection);
        if (m_compareQueued && m_queuedRuns.size() >= 2) compareRuns(m_queuedRuns);
        return;
    }
    const QString method = m_queuedMethods.takeFirst();
    m_reductionPanel->setMethod(method == QLatin1String("pca")    ? ReductionPanel::Method::Pca
                                : method == QLatin1String("tsne") ? ReductionPanel::Method::Tsne
                                : method == QLatin1String("umap") ? ReductionPanel::Method::Umap
                                                                  : ReductionPanel::Method::Autoencoder);
    if (method == QLatin1String("vae") || method == QLatin1String("autoencoder"))
        m_reductionPanel->setAutoencoderVariational(method == QLatin1String("vae"));
    QString error;
    const auto spec = m_reductionPanel->spec(&error);
    if (!spec || !m_reduction->run(*spec)) {
        statusBar()->showMessage(error.isEmpty() ? tr("Cannot run %1").arg(method) : error, 10000);
        m_queuedMethods.clear();
        disconnect(m_queueConnection);
    }
}

}  // namespace latentscape::ui

namespace latentscape::ui {

void MainWindow::addPointsToMap(const QString& path) {
    const auto run = m_document->currentRun();
    const auto dataset = m_document->dataset();
    if (!run || !run->hasEmbedding() || !dataset || run->dims != 2 || !m_dataPanel->plotEmbedding()) {
        const QString why = tr("Show a finished 2-D run first: new rows are placed on the map shown");
        statusBar()->showMessage(why, 10000);
        emit pointsAdded(-1, 0, why);
        return;
    }
    setBusy(tr("Placing the rows of %1 on “%2”…").arg(QFileInfo(path).fileName(), run->name));
    const std::string native = QFile::encodeName(path).toStdString();
    m_placeTask.start(
        [dataset, run, native](const CancelToken& canceled) {
            const data::Dataset loaded = data::load(native);
            canceled.throwIfCanceled();
            if (loaded.d != dataset->d)
                throw std::runtime_error(native + ": the map's data has " + std::to_string(dataset->d) + " columns; this file has " +
                                         std::to_string(loaded.d));
            const RunSpec& spec = run->spec;
            // The map's method saw preprocessed features: the new rows get the same fit (an
            // autoencoder's model takes raw rows itself).
            const data::Preprocess kind = spec.isComputed() ? spec.preprocess : data::Preprocess::None;
            std::shared_ptr<const data::Dataset> input = dataset;
            data::Dataset fresh = loaded;
            if (kind != data::Preprocess::None && spec.method != RunSpec::Method::Autoencoder) {
                const data::PreprocessFit fit = runInputFit(*dataset, kind);
                data::apply_preprocess(fit, fresh.features.data(), fresh.n);
                input = runInput(dataset, kind);
            }
            canceled.throwIfCanceled();
            const data::Dataset& ds = *input;
            std::vector<double> y;
            switch (spec.method) {
                case RunSpec::Method::Pca: {
                    const reduce::PcaResult fit = reduce::pca(ds, spec.pca);  // the run's own fit, deterministic
                    const auto scores = reduce::transform(fit, fresh.features.data(), fresh.n, fresh.d);
                    y.assign(scores.begin(), scores.end());
                    break;
                }
                case RunSpec::Method::Autoencoder: {
                    if (!run->model) throw std::runtime_error("the run has no trained network");
                    const auto codes = run->model->encode(fresh.features.data(), fresh.n);
                    y.assign(codes.begin(), codes.end());
                    break;
                }
                case RunSpec::Method::Imported:
                    throw std::runtime_error("“" + run->name.toStdString() +
                                             "” came with the data: there is no method to place new points on it with");
                case RunSpec::Method::Tsne:
                case RunSpec::Method::Umap: {
                    const std::vector<double> map(run->embedding->begin(), run->embedding->end());
                    const bool tsne = spec.method == RunSpec::Method::Tsne;
                    const reduce::placement::Reference ref = reduce::placement::make_reference(
                        ds.features.data(), ds.n, ds.d, tsne ? spec.tsne.pca_dims : spec.umap.pca_dims,
                        tsne ? spec.tsne.seed : spec.umap.seed, map.data(), run->dims);
                    canceled.throwIfCanceled();
                    if (tsne) {
                        y = reduce::placement::place_tsne(ref, fresh.features.data(), fresh.n, fresh.d,
                                                          reduce::placement::tsne_options(spec.tsne));
                    } else {
                        auto [a, b] = reduce::umap::internal::find_ab_params(spec.umap.spread, spec.umap.min_dist);
                        if (spec.umap.a) a = *spec.umap.a;
                        if (spec.umap.b) b = *spec.umap.b;
                        y = reduce::placement::place_umap(ref, fresh.features.data(), fresh.n, fresh.d,
                                                          reduce::placement::umap_options(spec.umap, a, b));
                    }
                    break;
                }
            }
            auto placed = std::make_shared<Placement>();
            placed->runId = run->id;
            for (std::size_t i = 0; i + 1 < y.size(); i += 2) placed->points.push_back({y[i], y[i + 1]});
            return std::shared_ptr<const Placement>(std::move(placed));
        },
        [this, path](std::shared_ptr<const Placement> placed) {
            clearBusy();
            if (placed->runId != m_document->currentRunId()) return;
            m_scatterView->setAddedPoints(placed->points);
            const auto run = m_document->run(placed->runId);
            statusBar()->showMessage(tr("%1 rows of %2 placed on “%3” (dark diamonds); the map did not move")
                                         .arg(QLocale().toString(qlonglong(placed->points.size())), QFileInfo(path).fileName(),
                                              run ? run->name : QString()),
                                     15000);
            emit pointsAdded(placed->runId, qint64(placed->points.size()), QString());
        },
        [this, path](const QString& error) {
            clearBusy();
            showLoadError(QFileInfo(path).fileName(), error);
            emit pointsAdded(-1, 0, error);
        });
}

}  // namespace latentscape::ui
