// File > Export in the real window: the embedding on screen (or the plotted features), the
// selection only, cluster labels and the autoencoder, written on a worker and read back with the
// project's own loaders; the actions' enabled states; errors shown, not thrown.
#include "gui_fixtures.h"
#include "panels/ErrorDialog.h"

#include "ReductionController.h"
#include "data/export.h"
#include "data/load.h"
#include "panels/ClusterPanel.h"
#include "panels/ReductionPanel.h"
#include "reduce/autoencoder.h"

#include <QAction>
#include <QMenu>
#include <QStatusBar>

#include <cstring>

using namespace gui_fixtures;

namespace {

std::shared_ptr<const data::Dataset> blobs(std::int64_t n, std::int64_t d, int k) { return makeBlobs(n, d, k, 5); }

std::vector<float> featureColumn(const data::Dataset& ds, const std::string& name) {
    std::vector<float> out;
    for (std::int64_t j = 0; j < ds.d; ++j)
        if (ds.feature_names[std::size_t(j)] == name)
            for (std::int64_t i = 0; i < ds.n; ++i) out.push_back(ds.at(i, j));
    return out;
}

/// Column k of an n x dims row-major matrix, for the rows `rows` (all when empty).
std::vector<float> column(const std::vector<float>& y, int dims, int k, const std::vector<std::int64_t>& rows) {
    std::vector<float> out;
    for (const std::int64_t i : rows) out.push_back(y[std::size_t(i) * std::size_t(dims) + std::size_t(k)]);
    return out;
}

std::vector<std::int64_t> allRows(std::int64_t n) {
    std::vector<std::int64_t> rows(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) rows[std::size_t(i)] = i;
    return rows;
}

}  // namespace

class TestDataExport : public QObject {
    Q_OBJECT

    std::unique_ptr<ui::MainWindow> m_window;
    QTemporaryDir m_dir;

    ui::ReductionController* reduction() const { return m_window->reduction(); }
    ui::ReductionPanel* panel() const { return m_window->reductionPanel(); }
    QAction* action(const char* name) const { return m_window->findChild<QAction*>(QLatin1String(name)); }
    std::string path(const QString& name) const { return m_dir.filePath(name).toStdString(); }

    void show(std::shared_ptr<const data::Dataset> dataset) {
        m_window->setDataset(dataset, QStringLiteral("blobs"));
        QTRY_COMPARE(m_window->dataset(), dataset);
    }
    void runToEnd() {
        QSignalSpy finished(reduction(), &ui::ReductionController::runFinished);
        QTest::mouseClick(panel()->runButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 30000);
        QCOMPARE(finished.at(0).at(1).toString(), QString());
    }
    /// Runs `start` (an export call) and waits for its exportFinished; returns the error.
    template <class Start>
    QString exportAndWait(Start start) {
        QSignalSpy done(m_window.get(), &ui::MainWindow::exportFinished);
        const QString refused = start();
        if (!refused.isEmpty()) return QStringLiteral("refused: ") + refused;
        if (!done.wait(20000) && done.isEmpty()) return QStringLiteral("no exportFinished");
        return done.at(0).at(1).toString();
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void init() {
        QSettings().clear();
        m_window = std::make_unique<ui::MainWindow>();
        m_window->resize(1000, 700);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }
    void cleanup() { m_window.reset(); }

    // The four entries, in File > Export, enabled when there is something to export.
    void actionsFollowTheState() {
        for (const char* name : {"exportEmbeddingAction", "exportSelectionAction", "exportClusterLabelsAction", "exportModelAction"})
            QVERIFY2(action(name), name);
        QVERIFY(m_window->findChild<QMenu*>(QStringLiteral("exportMenu"))->actions().contains(action("exportEmbeddingAction")));
        const auto ds = blobs(400, 5, 3);
        show(ds);
        QVERIFY(action("exportEmbeddingAction")->isEnabled());  // the plotted features
        QVERIFY(!action("exportSelectionAction")->isEnabled());
        QVERIFY(!action("exportClusterLabelsAction")->isEnabled());
        QVERIFY(!action("exportModelAction")->isEnabled());
        m_window->setSelection(select::Selection::from_ids({1, 2}, ds->n));
        QVERIFY(action("exportSelectionAction")->isEnabled());
        m_window->setSelection(select::Selection(ds->n));
        QVERIFY(!action("exportSelectionAction")->isEnabled());

        // Nothing to export: refused at once with a reason.
        QVERIFY(!m_window->exportEmbedding(m_dir.filePath("none.csv"), true).isEmpty());
        QVERIFY(!m_window->exportClusterLabels(m_dir.filePath("none.csv")).isEmpty());
        QVERIFY(!m_window->exportAutoencoderModel(m_dir.filePath("none.lsae")).isEmpty());
        QCOMPARE(m_window->exportsRunning(), 0);
        QVERIFY(!QFile::exists(m_dir.filePath("none.csv")));
    }

    // Before any run the plot shows two features: those are exported, under their names.
    void plottedFeatures() {
        const auto ds = blobs(300, 4, 3);
        show(ds);
        QCOMPARE(exportAndWait([&] { return m_window->exportEmbedding(m_dir.filePath("features.csv"), false); }), QString());
        const data::Dataset back = data::load(path("features.csv"));
        QCOMPARE(back.n, ds->n);
        const int x = m_window->dataPanel()->xFeature(), y = m_window->dataPanel()->yFeature();
        const std::vector<float> expectX = column(std::vector<float>(ds->features.begin(), ds->features.end()), int(ds->d), x, allRows(ds->n));
        const std::vector<float> expectY = column(std::vector<float>(ds->features.begin(), ds->features.end()), int(ds->d), y, allRows(ds->n));
        QCOMPARE(featureColumn(back, ds->feature_names[std::size_t(x)]), expectX);
        QCOMPARE(featureColumn(back, ds->feature_names[std::size_t(y)]), expectY);
        QVERIFY(m_window->statusBar()->currentMessage().contains(QStringLiteral("features.csv")));
    }

    // PCA on screen: every row (CSV and NPY) and the selection only, read back exactly.
    void pcaEmbeddingAndSelection() {
        const auto ds = blobs(500, 6, 3);
        show(ds);
        panel()->setMethod(ui::ReductionPanel::Method::Pca);
        runToEnd();
        const std::vector<float> shown = reduction()->embedding();
        const int dims = reduction()->embeddingDims();
        QCOMPARE(dims, 2);
        const auto all = allRows(ds->n);

        QCOMPARE(exportAndWait([&] { return m_window->exportEmbedding(m_dir.filePath("pca.csv"), false); }), QString());
        const data::Dataset csv = data::load(path("pca.csv"));
        QCOMPARE(csv.n, ds->n);
        QCOMPARE(featureColumn(csv, "PCA1"), column(shown, dims, 0, all));
        QCOMPARE(featureColumn(csv, "PCA2"), column(shown, dims, 1, all));
        // The blobs' label travels with the rows.
        const auto blob = csv.find_metadata("blob");
        QVERIFY(blob);
        QCOMPARE(csv.metadata[*blob].value_string(499), std::string("blob 2"));

        QCOMPARE(exportAndWait([&] { return m_window->exportEmbedding(m_dir.filePath("pca.npy"), false); }), QString());
        const data::Dataset npy = data::load(path("pca.npy"));
        QCOMPARE(npy.n, ds->n);
        QCOMPARE(npy.d, 2);
        QVERIFY(std::memcmp(npy.features.data(), shown.data(), shown.size() * sizeof(float)) == 0);
        QVERIFY(QFile::exists(m_dir.filePath("pca.meta.csv")));
        QVERIFY(m_window->statusBar()->currentMessage().contains(QStringLiteral("pca.meta.csv")));

        // The selection only: those rows, in order, with a "selected" flag; the NPY the same.
        const std::vector<std::int64_t> picked{3, 10, 250, 499};
        m_window->setSelection(select::Selection::from_ids({499, 10, 3, 250}, ds->n));
        QVERIFY(action("exportSelectionAction")->isEnabled());
        QCOMPARE(exportAndWait([&] { return m_window->exportEmbedding(m_dir.filePath("sel.csv"), true); }), QString());
        const data::Dataset sel = data::load(path("sel.csv"));
        QCOMPARE(sel.n, 4);
        QCOMPARE(sel.row_ids, (std::vector<std::string>{"3", "10", "250", "499"}));
        QCOMPARE(featureColumn(sel, "PCA1"), column(shown, dims, 0, picked));
        QCOMPARE(featureColumn(sel, "PCA2"), column(shown, dims, 1, picked));
        QCOMPARE(featureColumn(sel, "selected"), (std::vector<float>{1, 1, 1, 1}));
        QCOMPARE(exportAndWait([&] { return m_window->exportEmbedding(m_dir.filePath("sel.npy"), true); }), QString());
        const data::Dataset selNpy = data::load(path("sel.npy"));
        QCOMPARE(selNpy.n, 4);
        for (std::size_t r = 0; r < picked.size(); ++r)
            QVERIFY(std::memcmp(selNpy.row(std::int64_t(r)), shown.data() + picked[r] * dims, 2 * sizeof(float)) == 0);
        QCOMPARE(data::load(path("sel.meta.csv")).row_ids, sel.row_ids);

        // All rows while something is selected: the flag marks the selection.
        QCOMPARE(exportAndWait([&] { return m_window->exportEmbedding(m_dir.filePath("flagged.csv"), false); }), QString());
        const std::vector<float> flags = featureColumn(data::load(path("flagged.csv")), "selected");
        QCOMPARE(std::int64_t(flags.size()), ds->n);
        for (std::int64_t i = 0; i < ds->n; ++i)
            QCOMPARE(flags[std::size_t(i)], std::find(picked.begin(), picked.end(), i) != picked.end() ? 1.0f : 0.0f);
    }

    // k-means on the embedding: the "cluster" column, as labels and inside the embedding export.
    void clusterLabels() {
        const auto ds = blobs(600, 6, 3);
        show(ds);
        panel()->setMethod(ui::ReductionPanel::Method::Pca);
        runToEnd();
        ui::ClusterPanel* clusters = m_window->clusterPanel();
        clusters->setMethod(ui::ClusterPanel::Method::KMeans);
        clusters->setTarget(ui::ClusterPanel::Target::Embedding);
        clusters->setK(3);
        QTest::mouseClick(clusters->runButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->dataset() != ds, 20000);
        const auto clustered = m_window->dataset();
        const data::MetadataColumn& cluster = clustered->metadata[*clustered->find_metadata("cluster")];
        QVERIFY(action("exportClusterLabelsAction")->isEnabled());

        QCOMPARE(exportAndWait([&] { return m_window->exportClusterLabels(m_dir.filePath("clusters.csv")); }), QString());
        const data::Dataset labels = data::load(path("clusters.csv"));
        QCOMPARE(labels.n, ds->n);
        const std::vector<float> ids = featureColumn(labels, "cluster");
        QCOMPARE(std::int64_t(ids.size()), ds->n);
        for (std::int64_t i = 0; i < ds->n; ++i)
            QCOMPARE(ids[std::size_t(i)], float(std::stoi(cluster.categories[std::size_t(cluster.codes[std::size_t(i)])])));

        QCOMPARE(exportAndWait([&] { return m_window->exportEmbedding(m_dir.filePath("with-clusters.csv"), false); }), QString());
        QCOMPARE(featureColumn(data::load(path("with-clusters.csv")), "cluster"), ids);
    }

    // A short autoencoder run: the saved model encodes the data to the codes on screen.
    void autoencoderModel() {
        const auto ds = blobs(400, 8, 3);
        show(ds);
        panel()->setMethod(ui::ReductionPanel::Method::Autoencoder);
        panel()->setAutoencoderEpochs(2);
        runToEnd();
        QTRY_VERIFY(reduction()->model());
        QVERIFY(action("exportModelAction")->isEnabled());
        const std::string file = path("model.lsae");
        QCOMPARE(exportAndWait([&] { return m_window->exportAutoencoderModel(QString::fromStdString(file)); }), QString());
        const reduce::autoencoder::Model model = reduce::autoencoder::Model::load(file);
        QCOMPARE(model.latent_dims, reduction()->embeddingDims());
        QVERIFY(model.encode(ds->features.data(), ds->n) == reduction()->embedding());

        QCOMPARE(exportAndWait([&] { return m_window->exportEmbedding(m_dir.filePath("ae.csv"), false); }), QString());
        QCOMPARE(featureColumn(data::load(path("ae.csv")), "Autoencoder2"), column(reduction()->embedding(), 2, 1, allRows(ds->n)));

        // Back to PCA: no autoencoder on screen, nothing to export.
        panel()->setMethod(ui::ReductionPanel::Method::Pca);
        runToEnd();
        QVERIFY(!action("exportModelAction")->isEnabled());
    }

    // A path that cannot be written: exportFinished carries the error, a dialog shows it.
    void failureIsShown() {
        show(blobs(200, 3, 2));
        const QString bad = m_dir.filePath(QStringLiteral("missing-folder/out.csv"));
        const QString error = exportAndWait([&] { return m_window->exportEmbedding(bad, false); });
        QVERIFY2(error.contains(bad), qPrintable(error));
        QMessageBox* box = m_window->findChild<QMessageBox*>(QStringLiteral("exportErrorBox"));
        QVERIFY(box);
        QVERIFY(ui::errorBoxMessage(*box).contains(bad));
        box->close();
        QVERIFY(!QFile::exists(bad));
    }

    // Opening another dataset does not cancel an export (loads cancel each other, not exports),
    // and closing the window waits for one being written: no thread outlives the window.
    void newDatasetOrClosingKeepsTheExport() {
        const auto ds = blobs(60000, 3, 4);
        show(ds);
        QSignalSpy done(m_window.get(), &ui::MainWindow::exportFinished);
        QCOMPARE(m_window->exportEmbedding(m_dir.filePath("while-loading.csv"), false), QString());
        m_window->setDataset(blobs(100, 2, 2), QStringLiteral("other"));
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 20000);
        QCOMPARE(done.at(0).at(1).toString(), QString());
        QCOMPARE(data::load(path("while-loading.csv")).n, ds->n);

        show(ds);
        QCOMPARE(m_window->exportEmbedding(m_dir.filePath("closing.csv"), false), QString());
        m_window.reset();
        QCOMPARE(data::load(path("closing.csv")).n, ds->n);
    }
};

QTEST_MAIN(TestDataExport)
#include "tst_data_export.moc"
