// Choice of method (issue 13): the document keeps every run; four runs in four linked views (a
// lasso in one selects the same rows in all, hover rings the point in the others, each view's
// figure is what it draws); the Runs table; a morph ends on the target run; the per-point
// information loss columns; a session reopens every run with its options and its network (a
// decoded point has the same bytes before and after).
#include "gui_fixtures.h"

#include "ReductionController.h"
#include "data/write.h"
#include "figure/Figure.h"
#include "figure/FigureWriter.h"
#include "metrics/quality.h"
#include "model/Document.h"
#include "panels/ReductionPanel.h"
#include "panels/RunsPanel.h"
#include "reduce/umap.h"
#include "select/screen.h"
#include "views/ViewGrid.h"

#include <QTableView>

using namespace gui_fixtures;

class TestCompare : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_data;
    std::unique_ptr<ui::MainWindow> m_window;
    std::vector<int> m_runs;  // PCA 2-D, t-SNE 2-D, autoencoder 2-D, PCA 3-D

    ui::Document* doc() const { return m_window->document(); }

    static ui::RunSpec pcaSpec(int dims) {
        ui::RunSpec s;
        s.method = ui::RunSpec::Method::Pca;
        s.dims = dims;
        s.pca.components = dims;
        return s;
    }

    /// Runs `spec` to its end; returns its run id (-1 on failure).
    int runToEnd(const ui::RunSpec& spec) {
        QSignalSpy finished(m_window->reduction(), &ui::ReductionController::runFinished);
        if (!m_window->reduction()->run(spec)) return -1;
        if (!finished.wait(60000) || !finished.front().at(1).toString().isEmpty()) return -1;
        return m_window->reduction()->runId();
    }

    /// A left drag along `path` in `view`.
    static void drag(QWidget* view, const std::vector<QPointF>& path) {
        QTest::mousePress(view, Qt::LeftButton, Qt::NoModifier, path.front().toPoint());
        for (std::size_t k = 1; k + 1 < path.size(); ++k) QTest::mouseMove(view, path[k].toPoint());
        QTest::mouseRelease(view, Qt::LeftButton, Qt::NoModifier, path.back().toPoint());
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        m_data = m_dir.filePath(QStringLiteral("blobs.csv"));
        data::write_csv(*smallBlobs(), m_data.toStdString());
        m_window = std::make_unique<ui::MainWindow>();
        m_window->resize(1200, 900);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QSignalSpy changed(m_window.get(), &ui::MainWindow::datasetChanged);
        m_window->loadFile(m_data);
        QVERIFY(changed.wait(20000));

        ui::RunSpec tsne;
        tsne.method = ui::RunSpec::Method::Tsne;
        tsne.tsne.iterations = 300;
        tsne.tsne.perplexity = 20;
        tsne.tsne.seed = 5;
        ui::RunSpec ae;
        ae.method = ui::RunSpec::Method::Autoencoder;
        ae.autoencoder.epochs = 4;
        ae.autoencoder.batch_size = 64;
        ae.autoencoder.hidden = std::vector<int>{32, 16};
        ae.autoencoder.seed = 3;
        for (const ui::RunSpec& spec : {pcaSpec(2), tsne, ae, pcaSpec(3)}) {
            const int id = runToEnd(spec);
            QVERIFY(id > 0);
            m_runs.push_back(id);
        }
    }

    void cleanupTestCase() { m_window.reset(); }

    void documentKeepsEveryRunWithItsOptions() {
        QCOMPARE(doc()->runs().size(), std::size_t(4));
        QCOMPARE(doc()->run(m_runs[0])->name, QStringLiteral("PCA 1"));
        QCOMPARE(doc()->run(m_runs[1])->name, QStringLiteral("t-SNE 1"));
        QCOMPARE(doc()->run(m_runs[2])->name, QStringLiteral("Autoencoder 1"));
        QCOMPARE(doc()->run(m_runs[3])->name, QStringLiteral("PCA 2"));
        QCOMPARE(doc()->run(m_runs[1])->spec.tsne.iterations, 300);
        QCOMPARE(doc()->run(m_runs[1])->spec.tsne.seed, std::uint64_t(5));
        QVERIFY(doc()->run(m_runs[2])->model != nullptr);
        QCOMPARE(doc()->run(m_runs[3])->dims, 3);
        for (int id : m_runs) {
            QCOMPARE(doc()->run(id)->state, ui::Run::State::Done);
            QCOMPARE(doc()->run(id)->embedding->size(), std::size_t(1500 * doc()->run(id)->dims));
        }
        // The last run is the one on screen.
        QCOMPARE(doc()->currentRunId(), m_runs[3]);
        // Every run gets its metrics, equal to the core's for its embedding.
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(m_runs.begin(), m_runs.end(), [this](int id) { return doc()->run(id)->metrics.has_value(); }),
                                 60000);
        const auto ds = m_window->dataset();
        const auto run = doc()->run(m_runs[1]);
        const metrics::QualityResult q = metrics::quality(ds->features.data(), ds->n, ds->d, run->embedding->data(), 2, 10);
        QCOMPARE(run->metrics->trustworthiness.value, q.trustworthiness.value);
        QCOMPARE(run->metrics->knnRecall.value, q.knn_recall.value);
    }

    void runsTableListsRunsAndRenames() {
        ui::RunsPanel* panel = m_window->runsPanel();
        ui::RunsTableModel* model = panel->model();
        QCOMPARE(model->rowCount(), 4);
        QCOMPARE(model->data(model->index(1, ui::RunsTableModel::Method)).toString(), QStringLiteral("t-SNE"));
        QTRY_VERIFY(!model->data(model->index(1, ui::RunsTableModel::Trustworthiness)).toString().isEmpty());
        QVERIFY(model->setData(model->index(1, ui::RunsTableModel::Name), QStringLiteral("t-SNE perplexity 20")));
        QCOMPARE(doc()->run(m_runs[1])->name, QStringLiteral("t-SNE perplexity 20"));
        QVERIFY(!model->setData(model->index(1, ui::RunsTableModel::Name), QStringLiteral("  ")));  // no empty names
        // "Edit Options" puts the run's options into the Reduction panel.
        panel->selectRuns({m_runs[1]});
        panel->findChild<QPushButton*>(QStringLiteral("editRunButton"))->click();
        QCOMPARE(m_window->reductionPanel()->method(), ui::ReductionPanel::Method::Tsne);
        QCOMPARE(m_window->reductionPanel()->tsneOptions().iterations, 300);
        QCOMPARE(m_window->reductionPanel()->tsneOptions().seed, std::uint64_t(5));
    }

    void fourLinkedViews() {
        m_window->compareRuns(m_runs);
        ui::ViewGrid* grid = m_window->viewGrid();
        QCOMPARE(grid->paneCount(), 4);
        QCOMPARE(doc()->currentRunId(), m_runs[0]);
        QTest::qWait(100);
        const auto ds = m_window->dataset();
        for (int pane = 0; pane < 4; ++pane) {
            QCOMPARE(grid->runOf(pane), m_runs[std::size_t(pane)]);
            ui::ScatterView* v = grid->view(pane);
            QCOMPARE(v->pointCount(), std::size_t(ds->n));
            const auto run = doc()->run(m_runs[std::size_t(pane)]);
            for (std::size_t i : {std::size_t(0), std::size_t(777)})
                for (int k = 0; k < run->dims; ++k)
                    QCOMPARE(float(v->pointPosition(i)[std::size_t(k)]), (*run->embedding)[i * std::size_t(run->dims) + std::size_t(k)]);
            QCOMPARE(v->isThreeD(), run->dims == 3);
            // The same colours everywhere.
            QCOMPARE(v->pointColor(5), grid->view(0)->pointColor(5));
        }
        keepScreenshot(m_window->grab().toImage(), "compare_four_views");

        // A lasso in the t-SNE pane selects what it encloses there: the same rows in all views.
        m_window->setSelectionTool(ui::ScatterView::Tool::Lasso);
        ui::ScatterView* tsneView = grid->view(1);
        // Around point 0's cluster, a quarter of the points' extent wide: some rows, never all
        // (a circle sized by the pane enclosed every point once fonts made the pane smaller).
        const QSize size = tsneView->size();
        double xmin = 1e30, xmax = -1e30, ymin = 1e30, ymax = -1e30;
        for (std::size_t i = 0; i < tsneView->pointCount(); ++i) {
            const QPointF p = tsneView->widgetPosition(i);
            xmin = std::min(xmin, p.x()), xmax = std::max(xmax, p.x());
            ymin = std::min(ymin, p.y()), ymax = std::max(ymax, p.y());
        }
        const double radius = 0.25 * std::min(xmax - xmin, ymax - ymin);
        std::vector<QPointF> path;
        const QPointF centre = tsneView->widgetPosition(0);
        for (int k = 0; k <= 40; ++k) {
            const double a = 2 * M_PI * k / 40.0;
            path.push_back(centre + QPointF(std::cos(a) * radius, std::sin(a) * radius));
        }
        drag(tsneView, path);
        select::Polygon polygon;
        for (const QPointF& p : path) polygon.push_back({double(p.toPoint().x()), double(p.toPoint().y())});
        const select::Selection want = select::inside_polygon(tsneView->coordinates(), ds->n, 3, tsneView->projection(), polygon);
        qInfo("lasso: %lld of %lld, pane %dx%d", (long long)want.count(), (long long)ds->n, size.width(), size.height());
        QVERIFY(want.count() > 0 && want.count() < ds->n);
        QCOMPARE(m_window->selection().ids(), want.ids());
        // The main view at once, the other panes one per pass of the event loop.
        for (int pane = 0; pane < 4; ++pane) QTRY_COMPARE(grid->view(pane)->emphasis(), want.mask());
        m_window->setSelectionTool(ui::ScatterView::Tool::Navigate);

        // Hovering a point in one view rings it in the others.
        emit grid->view(2)->pointHovered(41);
        emit grid->view(2)->pointHovered(42);  // within 40 ms: only the newest is ringed
        for (int pane : {0, 1, 3}) QTRY_COMPARE(grid->view(pane)->focusPoint(), std::int64_t(42));
        QCOMPARE(grid->view(2)->focusPoint(), std::int64_t(-1));
        emit grid->view(2)->pointHovered(-1);
        for (int pane : {0, 1, 3}) QTRY_COMPARE(grid->view(pane)->focusPoint(), std::int64_t(-1));

        // Each view's figure is what that view draws: rows, positions and colours.
        for (int pane = 0; pane < 4; ++pane) {
            ui::ScatterView* v = grid->view(pane);
            const ui::Figure figure = m_window->currentFigure(QString(), v);
            QCOMPARE(figure.points.size(), std::size_t(ds->n));
            QCOMPARE(figure.plotSize, QSizeF(v->size()));
            for (const ui::FigurePoint& p : figure.points) {
                if (p.row % 97 != 0) continue;
                const QPointF on = v->widgetPosition(std::size_t(p.row));
                QVERIFY2(std::abs(p.position.x() - on.x()) < 1e-6 && std::abs(p.position.y() - on.y()) < 1e-6,
                         qPrintable(QStringLiteral("pane %1 row %2").arg(pane).arg(p.row)));
                QCOMPARE((std::array<std::uint8_t, 3>{p.r, p.g, p.b}), v->pointColor(std::size_t(p.row)));
            }
            const QString file = m_dir.filePath(QStringLiteral("pane%1.png").arg(pane));
            ui::FigureOptions options;
            options.size = QSize(600, 450);
            m_window->exportFigure(file, options, QString(), v);
            QVERIFY(!QImage(file).isNull());
        }
        m_window->setSelection(select::Selection(ds->n));
    }

    void morphEndsOnTheTarget() {
        m_window->viewGrid()->setPaneCount(1);
        doc()->setCurrentRun(m_runs[0]);
        QSignalSpy done(m_window.get(), &ui::MainWindow::morphFinished);
        m_window->morphTo(m_runs[1], 300);
        QVERIFY(done.wait(10000));
        QCOMPARE(doc()->currentRunId(), m_runs[1]);
        const auto run = doc()->run(m_runs[1]);
        for (std::size_t i : {std::size_t(3), std::size_t(1499)}) {
            QCOMPARE(float(m_window->scatterView()->pointPosition(i)[0]), (*run->embedding)[2 * i]);
            QCOMPARE(float(m_window->scatterView()->pointPosition(i)[1]), (*run->embedding)[2 * i + 1]);
        }
        QVERIFY(!m_window->isMorphing());
    }

    void informationLossColumns() {
        QSignalSpy shown(m_window.get(), &ui::MainWindow::informationLossShown);
        m_window->showInformationLoss(m_runs[0]);
        QVERIFY(shown.wait(60000));
        const auto ds = m_window->dataset();
        const QString name = doc()->run(m_runs[0])->name;
        const auto column = ds->find_metadata("trustworthiness (" + name.toStdString() + ")");
        QVERIFY(column.has_value());
        // Its mean is the run's trustworthiness (the per-point values are checked against
        // scikit-learn in tst_pointwise).
        const auto& values = ds->metadata[*column].numbers;
        double mean = 0;
        for (double v : values) mean += v;
        mean /= double(values.size());
        const auto run = doc()->run(m_runs[0]);
        QVERIFY(std::abs(mean - metrics::trustworthiness(ds->features.data(), ds->n, ds->d, run->embedding->data(), 2, 10).value) < 1e-9);
        QVERIFY(ds->find_metadata("reconstruction error (" + name.toStdString() + ")").has_value());  // PCA
        QCOMPARE(m_window->dataPanel()->colorColumn(), int(*column));
        // The runs survive the new columns.
        QCOMPARE(doc()->runs().size(), std::size_t(4));
    }

    void sessionKeepsEveryRunAndTheDecoder() {
        const auto ae = doc()->run(m_runs[2]);
        const std::vector<float> code{0.25f, -0.5f};
        const std::vector<float> before = ae->model->decode(code.data(), 1);
        // Three runs side by side, the t-SNE in the main view: the layout is saved too.
        m_window->compareRuns({m_runs[1], m_runs[0], m_runs[3]});
        // Pane 2 zoomed and panned: its camera is saved with the layout.
        vtkCamera* paneCamera = m_window->viewGrid()->view(2)->renderer()->GetActiveCamera();
        paneCamera->SetParallelScale(paneCamera->GetParallelScale() * 0.37);
        double focal[3];
        paneCamera->GetFocalPoint(focal);
        paneCamera->SetFocalPoint(focal[0] + 1.25, focal[1] - 0.5, focal[2]);
        paneCamera->GetFocalPoint(focal);
        const double paneScale = paneCamera->GetParallelScale();
        const QString path = m_dir.filePath(QStringLiteral("runs.latentscape"));
        QCOMPARE(m_window->saveSession(path), QString());

        auto other = std::make_unique<ui::MainWindow>();
        other->resize(1000, 700);
        other->show();
        QVERIFY(QTest::qWaitForWindowExposed(other.get()));
        QSignalSpy opened(other.get(), &ui::MainWindow::sessionOpened);
        other->openSession(path);
        QVERIFY(opened.wait(20000));
        ui::Document* reopened = other->document();
        QCOMPARE(reopened->runs().size(), doc()->runs().size());
        for (std::size_t r = 0; r < doc()->runs().size(); ++r) {
            const ui::Run& a = *doc()->runs()[r];
            const ui::Run& b = *reopened->runs()[r];
            QCOMPARE(b.name, a.name);
            QCOMPARE(b.spec.toJson(), a.spec.toJson());
            QCOMPARE(b.dims, a.dims);
            QCOMPARE(*b.embedding, *a.embedding);
            QCOMPARE(b.metrics.has_value(), a.metrics.has_value());
        }
        QCOMPARE(reopened->currentRun()->name, doc()->currentRun()->name);
        QCOMPARE(other->viewGrid()->paneCount(), 3);
        QCOMPARE(reopened->run(other->viewGrid()->runOf(1))->name, doc()->run(m_runs[0])->name);
        QCOMPARE(reopened->run(other->viewGrid()->runOf(2))->name, doc()->run(m_runs[3])->name);
        QCOMPARE(other->viewGrid()->view(2)->pointCount(), std::size_t(1500));
        vtkCamera* reopenedCamera = other->viewGrid()->view(2)->renderer()->GetActiveCamera();
        QCOMPARE(reopenedCamera->GetParallelScale(), paneScale);
        double reopenedFocal[3];
        reopenedCamera->GetFocalPoint(reopenedFocal);
        QCOMPARE(reopenedFocal[0], focal[0]);
        QCOMPARE(reopenedFocal[1], focal[1]);
        QVERIFY(!other->viewGrid()->view(2)->isCameraFitted());
        // The shown run's options are back in the Reduction panel (here the t-SNE's).
        QCOMPARE(reopened->currentRun()->spec.method, ui::RunSpec::Method::Tsne);
        QCOMPARE(other->reductionPanel()->method(), ui::ReductionPanel::Method::Tsne);
        QCOMPARE(other->reductionPanel()->tsneOptions().iterations, 300);
        QCOMPARE(other->reductionPanel()->tsneOptions().perplexity, 20.0);
        const auto decoder = reopened->runs()[2]->model;
        QVERIFY(decoder != nullptr);
        const std::vector<float> after = decoder->decode(code.data(), 1);
        QCOMPARE(after.size(), before.size());
        QVERIFY(std::memcmp(after.data(), before.data(), before.size() * sizeof(float)) == 0);
        // Showing the autoencoder run makes its decoder the Decoder dock's.
        reopened->setCurrentRun(reopened->runs()[2]->id);
        QVERIFY(other->reduction()->model() == decoder);
    }

    void addPointsToMap() {
        // The first 40 rows of the data, as another file: placed on the PCA run they land on their
        // own coordinates; on the t-SNE run, among their own blob.
        const auto ds = m_window->dataset();
        data::Dataset part;
        part.n = 40;
        part.d = ds->d;
        part.feature_names = ds->feature_names;
        part.features.assign(ds->features.begin(), ds->features.begin() + 40 * ds->d);
        const QString file = m_dir.filePath(QStringLiteral("new_rows.csv"));
        data::write_csv(part, file.toStdString());
        QSignalSpy added(m_window.get(), &ui::MainWindow::pointsAdded);

        doc()->setCurrentRun(m_runs[0]);
        m_window->addPointsToMap(file);
        QVERIFY(added.wait(30000));
        QCOMPARE(added.back().at(0).toInt(), m_runs[0]);
        QCOMPARE(added.back().at(1).toLongLong(), qint64(40));
        const auto& placed = m_window->scatterView()->addedPoints();
        QCOMPARE(placed.size(), std::size_t(40));
        const auto pca = doc()->run(m_runs[0]);
        for (std::size_t i = 0; i < 40; ++i)
            for (int k = 0; k < 2; ++k)
                QVERIFY(std::abs(placed[i][std::size_t(k)] - (*pca->embedding)[2 * i + std::size_t(k)]) < 1e-3);
        keepScreenshot(m_window->grab().toImage(), "added_points_pca");

        doc()->setCurrentRun(m_runs[1]);
        QVERIFY(m_window->scatterView()->addedPoints().empty());  // they belonged to the other map
        m_window->addPointsToMap(file);
        QVERIFY(added.wait(60000));
        QVERIFY2(added.back().at(2).toString().isEmpty(), qPrintable(added.back().at(2).toString()));
        const auto tsne = doc()->run(m_runs[1]);
        const auto& codes = ds->label()->codes;
        int right = 0;
        for (std::size_t i = 0; i < 40; ++i) {
            const auto& p = m_window->scatterView()->addedPoints()[i];
            std::size_t nearest = 0;
            double best = 1e300;
            for (std::size_t j = 0; j < std::size_t(ds->n); ++j) {
                const double dx = (*tsne->embedding)[2 * j] - p[0], dy = (*tsne->embedding)[2 * j + 1] - p[1];
                if (dx * dx + dy * dy < best) best = dx * dx + dy * dy, nearest = j;
            }
            right += codes[nearest] == codes[i];
        }
        QVERIFY2(right >= 38, qPrintable(QString::number(right)));

        // Another column count is refused, naming the file.
        data::Dataset narrow = part;
        narrow.d = part.d - 1;
        narrow.feature_names.pop_back();
        narrow.features.resize(std::size_t(40 * narrow.d));
        const QString bad = m_dir.filePath(QStringLiteral("narrow.csv"));
        data::write_csv(narrow, bad.toStdString());
        m_window->addPointsToMap(bad);
        QVERIFY(added.wait(30000));
        QVERIFY2(added.back().at(2).toString().contains(QStringLiteral("columns")), qPrintable(added.back().at(2).toString()));
    }

    void umapRunsLiveAsTheCoreDoes() {
        ui::RunSpec spec;
        spec.method = ui::RunSpec::Method::Umap;
        spec.umap.n_epochs = 120;
        spec.umap.seed = 4;
        const int id = runToEnd(spec);
        QVERIFY(id > 0);
        const auto run = doc()->run(id);
        QCOMPARE(run->name, QStringLiteral("UMAP 1"));
        QCOMPARE(run->iterations, 120);
        QVERIFY(m_window->reduction()->framesShown() >= 2);  // it formed on screen
        // The same bits as the core's own run of the same options.
        const auto ds = m_window->dataset();
        auto status = reduce::umap::initialize(ds->features.data(), ds->n, ds->d, spec.umap);
        std::vector<double> y = status.initial_embedding();
        status.run(y, status.max_iterations());
        const std::vector<float> want(y.begin(), y.end());
        QCOMPARE(*run->embedding, want);
        QCOMPARE(m_window->scatterView()->xAxisLabel(), QStringLiteral("UMAP 1"));
    }

    void deletingTheShownRunShowsAnother() {
        const int current = doc()->currentRunId();
        const std::size_t before = doc()->runs().size();
        doc()->removeRun(current);
        QCOMPARE(doc()->runs().size(), before - 1);
        QVERIFY(doc()->currentRunId() != current && doc()->currentRun() != nullptr);
        QCOMPARE(m_window->scatterView()->pointCount(), std::size_t(1500));
    }
};

QTEST_MAIN(TestCompare)
#include "tst_compare.moc"
