// The plot's rules and the window's services (issue 13) without any window: PlotRules colours,
// fades, hides and explains exactly as specified; ExportService writes a document's coordinates;
// SessionService saves a document and reopens it into another one through its hooks alone;
// DatasetService loads into a document (or says why not, leaving it as it was), the newest load
// winning; ClusteringService writes a "cluster" column into it, the newest request winning.
#include "cluster/dbscan.h"
#include "cluster/kmeans.h"
#include "data/load.h"
#include "data/synthetic.h"
#include "data/write.h"
#include "figure/PlotRules.h"
#include "metrics/agreement.h"
#include "model/Document.h"
#include "select/selection.h"
#include "services/ClusteringService.h"
#include "services/DatasetService.h"
#include "services/ExportService.h"
#include "services/SessionService.h"
#include "session/SessionFigure.h"

#include <QFile>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <cmath>

using namespace latentscape;

namespace {

/// 4 rows, 2 features, a categorical "label" (a, b, missing, b) and a numeric "score".
data::Dataset handMade() {
    data::Dataset ds;
    ds.n = 4;
    ds.d = 2;
    ds.features.assign({0.f, 1.f, 1.f, 2.f, 2.f, 3.f, 3.f, 4.f});
    ds.feature_names = {"x", "y"};
    ds.metadata.push_back(data::MetadataColumn::categorical("label", {0, 1, -1, 1}, {"a", "b"}));
    ds.metadata.push_back(data::MetadataColumn::numeric("score", {0.0, 1.0, 2.0, 3.0}));
    ds.check_consistent();
    return ds;
}

ui::Rgb colourAt(const std::vector<std::uint8_t>& colors, std::size_t i) {
    return {colors[3 * i], colors[3 * i + 1], colors[3 * i + 2]};
}

ui::PreparedDataset fromFile(const QString& path) {
    const std::string native = QFile::encodeName(path).toStdString();
    ui::PreparedDataset p = ui::prepareDataset(std::make_shared<const data::Dataset>(data::load(native)));
    p.path = path;
    p.sha256 = ui::fileSha256(path);
    p.displayName = path;
    return p;
}

void writeFile(const QString& path, const QByteArray& content) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
}

std::shared_ptr<const data::Dataset> blobs(std::int64_t n, std::int64_t d, int k, std::uint64_t seed = 7) {
    data::synthetic::BlobsOptions options;
    options.n = n;
    options.d = d;
    options.k = k;
    options.seed = seed;
    return std::make_shared<const data::Dataset>(data::synthetic::blobs(options));
}

ui::PreparedDataset prepared(std::shared_ptr<const data::Dataset> dataset, const QString& name = QStringLiteral("blobs")) {
    ui::PreparedDataset p = ui::prepareDataset(std::move(dataset));
    p.displayName = name;
    return p;
}

const data::MetadataColumn* clusterColumn(const ui::Document& document) {
    const auto at = document.dataset()->find_metadata("cluster");
    return at ? &document.dataset()->metadata[*at] : nullptr;
}

}  // namespace

class TestServices : public QObject {
    Q_OBJECT
private slots:
    void plotColoursByColumnFeatureOrNothing() {
        const data::Dataset ds = handMade();
        const select::Selection none(ds.n);
        ui::PlotStyle style;
        style.colourColumn = 0;
        auto colors = ui::plotColors(ds, style, none);
        QCOMPARE(colors.size(), std::size_t(12));
        QCOMPARE(colourAt(colors, 0), ui::categoricalColor(0, 2));
        QCOMPARE(colourAt(colors, 1), ui::categoricalColor(1, 2));
        QCOMPARE(colourAt(colors, 2), ui::missingColor());
        // A feature wins over the column; out of range it does not.
        style.colourFeature = 1;
        colors = ui::plotColors(ds, style, none);
        QCOMPARE(colourAt(colors, 0), ui::mapColor(ui::ContinuousMap::Viridis, 0.0));
        QCOMPARE(colourAt(colors, 3), ui::mapColor(ui::ContinuousMap::Viridis, 1.0));
        style.colourFeature = 7;
        QCOMPARE(colourAt(ui::plotColors(ds, style, none), 1), ui::categoricalColor(1, 2));
        style.colourFeature = -1;
        style.colourColumn = -1;
        QCOMPARE(colourAt(ui::plotColors(ds, style, none), 2), ui::uniformColor());
    }

    void unselectedRowsFadeTowardsTheBackground() {
        const data::Dataset ds = handMade();
        const select::Selection selected = select::Selection::from_ids({1}, ds.n);
        ui::PlotStyle style;
        style.colourColumn = 0;
        style.dimming = 0.5;
        const auto plain = ui::plotColors(ds, style, select::Selection(ds.n));
        for (const bool dark : {false, true}) {
            style.darkBackground = dark;
            const auto faded = ui::plotColors(ds, style, selected);
            const double bg = dark ? 0.11 * 255.0 : 255.0;
            for (std::size_t i = 0; i < 12; ++i) {
                const bool kept = i / 3 == 1;
                QCOMPARE(faded[i], kept ? plain[i] : std::uint8_t(std::lround(plain[i] * 0.5 + bg * 0.5)));
            }
        }
        style.dimming = 0.0;
        QVERIFY(ui::plotColors(ds, style, selected) == plain);
    }

    void hiddenCategoriesHideOnlyACategoricalColouring() {
        const data::Dataset ds = handMade();
        ui::PlotStyle style;
        style.colourColumn = 0;
        QVERIFY(ui::plotVisibility(ds, style).empty());
        style.hidden = {1, -1};  // any order
        QCOMPARE(ui::plotVisibility(ds, style), (std::vector<std::uint8_t>{1, 0, 0, 0}));
        style.hidden = {0};
        QCOMPARE(ui::plotVisibility(ds, style), (std::vector<std::uint8_t>{0, 1, 1, 1}));
        style.colourColumn = 1;  // numeric: nothing to hide
        QVERIFY(ui::plotVisibility(ds, style).empty());
        style.colourColumn = 0;
        style.colourFeature = 0;  // a feature colours the points
        QVERIFY(ui::plotVisibility(ds, style).empty());
    }

    void legendFollowsTheColouring() {
        const data::Dataset ds = handMade();
        ui::PlotStyle style;
        style.colourColumn = 0;
        style.hidden = {1};
        ui::Figure f;
        ui::setPlotLegend(f, ds, style);
        QCOMPARE(f.legendTitle, QStringLiteral("label"));
        QCOMPARE(f.legend.size(), std::size_t(2));  // "a" and "(missing)"; "b" is hidden
        QCOMPARE(f.legend[0].label, QStringLiteral("a"));
        QCOMPARE(f.legend[0].count, std::int64_t(1));
        ui::Figure g;
        style.colourColumn = 1;
        style.colourMap = ui::ContinuousMap::Magma;
        ui::setPlotLegend(g, ds, style);
        QCOMPARE(g.legendTitle, QStringLiteral("score"));
        QVERIFY(g.legend.empty());
        QCOMPARE(g.colorScale.colors.front(), ui::mapColor(ui::ContinuousMap::Magma, 0.0).toQColor());
        ui::Figure h;
        ui::setPlotLegend(h, ds, ui::PlotStyle{});
        QVERIFY(h.legendTitle.isEmpty() && h.legend.empty() && h.colorScale.colors.isEmpty());
    }

    void exportServiceWritesTheDocumentsCoordinates() {
        QTemporaryDir dir;
        ui::Document document;
        ui::ExportService exports(&document);
        const ui::ExportService::Plotted features{false, 1, 0};
        QVERIFY(!exports.exportEmbedding(dir.filePath(QStringLiteral("none.csv")), false, features).isEmpty());
        ui::PreparedDataset p;
        p.dataset = std::make_shared<const data::Dataset>(handMade());
        document.setDataset(p);
        QVERIFY(exports.available(features).embedding);
        QVERIFY(!exports.available(features).selection);
        QVERIFY(!exports.exportEmbedding(dir.filePath(QStringLiteral("sel.csv")), true, features).isEmpty());
        QVERIFY(!exports.exportAutoencoderModel(dir.filePath(QStringLiteral("m.lsae"))).isEmpty());
        QCOMPARE(exports.plottedTag(features), QStringLiteral("features"));

        QSignalSpy finished(&exports, &ui::ExportService::finished);
        const QString path = dir.filePath(QStringLiteral("features.csv"));
        QCOMPARE(exports.exportEmbedding(path, false, features), QString());
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.at(0).at(0).toString(), path);
        QCOMPARE(finished.at(0).at(1).toString(), QString());
        QCOMPARE(exports.running(), 0);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        // The plotted features, in the plot's order (y as x, x as y), row 0 = (1, 0).
        const QList<QByteArray> header = file.readLine().trimmed().split(',');
        const QList<QByteArray> row0 = file.readLine().trimmed().split(',');
        const auto xAt = header.indexOf("x"), yAt = header.indexOf("y");
        QVERIFY(xAt >= 0 && yAt >= 0 && yAt < xAt);
        QCOMPARE(row0.value(yAt), QByteArray("1"));
        QCOMPARE(row0.value(xAt), QByteArray("0"));
    }

    void sessionServiceSavesAndReopensADocument() {
        QTemporaryDir dir;
        data::synthetic::BlobsOptions options;
        options.n = 60;
        options.d = 3;
        options.k = 3;
        const QString dataPath = dir.filePath(QStringLiteral("blobs.csv"));
        data::write_csv(data::synthetic::blobs(options), QFile::encodeName(dataPath).toStdString());

        // The saving side: a document with a run and a selection, and a view given by a hook.
        ui::Document a;
        a.setDataset(fromFile(dataPath));
        ui::RunSpec spec;
        spec.method = ui::RunSpec::Method::Pca;
        const int run = a.addRun(spec, QStringLiteral("mine"));
        std::vector<float> embedding(2 * 60);
        for (std::size_t i = 0; i < embedding.size(); ++i) embedding[i] = float(i) * 0.25f;
        a.setRunEmbedding(run, std::make_shared<const std::vector<float>>(embedding), 2, 1);
        a.finishRun(run, ui::Run::State::Done, 0.5);
        a.setCurrentRun(run);
        a.setSelection(select::Selection::from_ids({3, 5, 8}, 60));
        ui::SessionView shown;
        shown.plotEmbedding = true;
        shown.style.colourColumn = 0;
        shown.style.hidden = {2};
        shown.style.dimming = 0.5;
        shown.style.darkBackground = true;
        shown.pointSize = 6.0;
        shown.size = QSize(300, 200);
        shown.camera.parallelScale = 7.5;
        ui::SessionService::Hooks saving;
        saving.captureView = [&] { return shown; };
        ui::SessionService save(&a, saving);
        const QString sessionPath = dir.filePath(QStringLiteral("s.latentscape"));
        QCOMPARE(save.save(sessionPath), QString());

        // The reopening side: another document; the "loader" is this test.
        ui::Document b;
        std::optional<ui::SessionView> restored;
        ui::SessionService::Hooks opening;
        ui::SessionService* service = nullptr;
        opening.restoreView = [&](const ui::SessionView& v) { restored = v; };
        opening.loadDataset = [&](ui::DatasetSource source, const QString& path, const data::LoadOptions& o,
                                  std::shared_ptr<ui::Session> session) {
            ui::PreparedDataset p = ui::prepareDataset(source());
            p.path = path;
            b.setDataset(std::move(p), o);
            service->apply(*session);
        };
        ui::SessionService open(&b, opening);
        service = &open;
        QSignalSpy opened(&open, &ui::SessionService::opened);
        open.open(sessionPath);
        QVERIFY(opened.wait(10000));
        QCOMPARE(opened.at(0).at(0).toString(), sessionPath);
        QCOMPARE(b.runs().size(), std::size_t(1));
        QCOMPARE(b.currentRun()->name, QStringLiteral("mine"));
        QVERIFY(*b.currentRun()->embedding == embedding);
        QCOMPARE(b.selection().ids(), (std::vector<std::int64_t>{3, 5, 8}));
        QVERIFY(!b.selectionHistory().can_undo());
        QVERIFY(restored);
        QVERIFY(restored->plotEmbedding);
        QCOMPARE(restored->style.colourColumn, 0);
        QCOMPARE(restored->style.hidden, (std::vector<std::int32_t>{2}));
        QCOMPARE(restored->style.dimming, 0.5);
        QVERIFY(restored->style.darkBackground);
        QCOMPARE(restored->pointSize, 6.0);
        QCOMPARE(restored->size, QSize(300, 200));
        QCOMPARE(restored->camera.parallelScale, 7.5);

        // A file that is not a session: failed(), nothing opened.
        QSignalSpy failed(&open, &ui::SessionService::failed);
        open.open(dataPath);
        QVERIFY(failed.wait(10000));
        QCOMPARE(opened.size(), 1);
    }

    void datasetServiceLoadsACsvIntoTheDocument() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("small.csv"));
        writeFile(path, "f1,f2,kind\n1,2,a\n3,4,b\n5,6,a\n7,8,b\n");
        ui::Document document;
        ui::DatasetService datasets(&document);
        QCOMPARE(datasets.threadLimit(), 1);
        QSignalSpy started(&datasets, &ui::DatasetService::started);
        QSignalSpy ended(&datasets, &ui::DatasetService::ended);
        QSignalSpy loaded(&datasets, &ui::DatasetService::loaded);
        QSignalSpy changed(&document, &ui::Document::datasetChanged);
        data::LoadOptions options;
        options.label = "kind";
        datasets.openFile(path, options);
        QVERIFY(datasets.isLoading());
        QCOMPARE(started.size(), 1);
        QCOMPARE(started.at(0).at(0).toString(), QStringLiteral("small.csv"));
        QVERIFY(changed.wait(10000));
        QVERIFY(!datasets.isLoading());
        QCOMPARE(ended.size(), 1);
        QCOMPARE(loaded.size(), 1);
        QCOMPARE(document.rows(), std::int64_t(4));
        QCOMPARE(document.dataset()->d, std::int64_t(2));
        QCOMPARE(QString::fromStdString(document.dataset()->label()->name), QStringLiteral("kind"));
        QCOMPARE(document.prepared().displayName, QStringLiteral("small.csv"));
        // Where it came from: the file, its bytes' hash and the options it was read with.
        const ui::DatasetService::Source source = datasets.source();
        QCOMPARE(source.path, path);
        QCOMPARE(source.sha256, ui::fileSha256(path));
        QVERIFY(!source.sha256.isEmpty());
        // The digest is SHA-256's (FIPS 180-2 test vectors; a file of 1 MiB + 3 bytes crosses the
        // reader's chunks), whatever computes it.
        const QString abc = dir.filePath(QStringLiteral("abc.bin"));
        {
            QFile f(abc);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("abc");
        }
        QCOMPARE(ui::fileSha256(abc), QStringLiteral("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        const QByteArray big((1 << 20) + 3, 'x');
        {
            QFile f(abc);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(big);
        }
        QCOMPARE(ui::fileSha256(abc), QString::fromLatin1(QCryptographicHash::hash(big, QCryptographicHash::Sha256).toHex()));
        QCOMPARE(source.options.label, std::optional<std::string>("kind"));
    }

    // An AnnData file's obsm embeddings open as finished runs with the file's values; X_umap is
    // shown first; a session keeps them (and does not import them a second time).
    void datasetServiceImportsH5adEmbeddingsAsRuns() {
        const QString path = QStringLiteral(LATENTSCAPE_TEST_DATA "/h5ad/dense.h5ad");
        const data::Dataset reference = data::load(QFile::encodeName(path).toStdString());
        QCOMPARE(reference.embeddings.size(), std::size_t(2));
        ui::Document document;
        ui::DatasetService datasets(&document);
        QSignalSpy loaded(&datasets, &ui::DatasetService::loaded);
        datasets.openFile(path);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(document.runs().size(), reference.embeddings.size());
        for (const data::PrecomputedEmbedding& e : reference.embeddings) {
            const auto it = std::find_if(document.runs().begin(), document.runs().end(), [&](const auto& r) {
                return r->spec.importedFrom == QString::fromStdString(e.name);
            });
            QVERIFY2(it != document.runs().end(), e.name.c_str());
            const ui::Run& run = **it;
            QCOMPARE(run.spec.method, ui::RunSpec::Method::Imported);
            QCOMPARE(run.state, ui::Run::State::Done);
            QCOMPARE(run.name, QString::fromStdString(e.name));  // 2 or 3 columns: all of them
            QCOMPARE(std::int64_t(run.dims), e.dims);
            QVERIFY(*run.embedding == e.values);  // bit for bit
        }
        QCOMPARE(document.currentRun()->spec.importedFrom, QStringLiteral("X_umap"));

        // More than 3 columns: a 2-D run of the first two, and the name says so.
        auto wide = std::make_shared<data::Dataset>(reference);
        data::PrecomputedEmbedding pca50{"X_pca50", 50, {}};
        pca50.values.resize(std::size_t(wide->n) * 50);
        for (std::size_t i = 0; i < pca50.values.size(); ++i) pca50.values[i] = float(i) * 0.5f;
        wide->embeddings = {pca50};
        ui::Document other;
        other.setDataset(ui::prepareDataset(wide));
        QCOMPARE(ui::DatasetService::importEmbeddings(other), 1);
        const ui::Run& first2 = *other.currentRun();
        QCOMPARE(first2.name, QStringLiteral("X_pca50 (first 2 of 50 columns)"));
        QCOMPARE(first2.dims, 2);
        for (std::int64_t i = 0; i < wide->n; ++i) {
            QCOMPARE((*first2.embedding)[std::size_t(2 * i)], pca50.values[std::size_t(50 * i)]);
            QCOMPARE((*first2.embedding)[std::size_t(2 * i + 1)], pca50.values[std::size_t(50 * i + 1)]);
        }
        // A run started as the dataset came (latentscape --run) stays the one shown.
        ui::Document running;
        running.setDataset(ui::prepareDataset(wide));
        const int started = running.addRun(ui::RunSpec{});
        running.setCurrentRun(started);
        QCOMPARE(ui::DatasetService::importEmbeddings(running), 1);
        QCOMPARE(running.currentRunId(), started);

        // A session keeps them: saved with their embeddings, reopened once, with the same values.
        QTemporaryDir dir;
        const QString sessionPath = dir.filePath(QStringLiteral("h5ad.latentscape"));
        ui::SessionService::Hooks saving;
        saving.captureView = [] {
            ui::SessionView v;
            v.plotEmbedding = true;
            v.size = QSize(300, 200);
            return v;
        };
        ui::SessionService save(&document, saving);
        QCOMPARE(save.save(sessionPath), QString());
        ui::Document reopened;
        ui::DatasetService reopenedDatasets(&reopened);
        ui::SessionService::Hooks opening;
        ui::SessionService* service = nullptr;
        opening.loadDataset = [&](ui::DatasetSource source, const QString& p, const data::LoadOptions& o,
                                  std::shared_ptr<ui::Session> session) {
            reopenedDatasets.openForSession(std::move(source), p, o, session);
        };
        opening.restoreView = [](const ui::SessionView&) {};
        ui::SessionService open(&reopened, opening);
        service = &open;
        connect(&reopenedDatasets, &ui::DatasetService::failed, this, [](const QString&, const QString& error) {
            qWarning() << "loading failed:" << error;
        });
        connect(&open, &ui::SessionService::failed, this, [](const QString&, const QString& error) {
            qWarning() << "opening failed:" << error;
        });
        connect(&reopenedDatasets, &ui::DatasetService::loaded, &open, [&](const ui::DatasetService::Request& request) {
            if (request.session) service->apply(*request.session);
        });
        QSignalSpy opened(&open, &ui::SessionService::opened);
        open.open(sessionPath);
        QVERIFY(opened.wait(10000));
        QCOMPARE(reopened.runs().size(), document.runs().size());
        for (std::size_t i = 0; i < document.runs().size(); ++i) {
            const ui::Run& a = *document.runs()[i];
            const ui::Run& b = *reopened.runs()[i];
            QCOMPARE(b.name, a.name);
            QCOMPARE(b.spec, a.spec);
            QCOMPARE(b.dims, a.dims);
            QVERIFY(*b.embedding == *a.embedding);
        }
        QCOMPARE(reopened.currentRun()->name, document.currentRun()->name);
    }

    void datasetServiceReportsABadFileAndKeepsTheDocument_data() {
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("cause");
        QTest::newRow("ragged csv") << QStringLiteral("ragged.csv") << QByteArray("a,b,c\n1,2,3\n4,5\n6,7,8\n")
                                    << QStringLiteral("ragged.csv:3: ragged row");
        QTest::newRow("missing file") << QStringLiteral("absent.csv") << QByteArray() << QString();
    }

    void datasetServiceReportsABadFileAndKeepsTheDocument() {
        QFETCH(QString, fileName);
        QFETCH(QByteArray, content);
        QFETCH(QString, cause);
        QTemporaryDir dir;
        const QString path = dir.filePath(fileName);
        if (!content.isEmpty()) writeFile(path, content);
        ui::Document document;
        document.setDataset(prepared(blobs(30, 3, 2)));
        const auto before = document.dataset();
        const int run = document.addRun(ui::RunSpec{});
        ui::DatasetService datasets(&document);
        QSignalSpy failed(&datasets, &ui::DatasetService::failed);
        QSignalSpy loaded(&datasets, &ui::DatasetService::loaded);
        QSignalSpy changed(&document, &ui::Document::datasetChanged);
        datasets.openFile(path);
        QVERIFY(failed.wait(10000));
        QCOMPARE(failed.at(0).at(0).toString(), fileName);
        const QString message = failed.at(0).at(1).toString();
        qInfo() << "error:" << message;
        QVERIFY2(message.contains(fileName), qPrintable(message));  // names the file...
        if (!cause.isEmpty()) QVERIFY2(message.contains(cause), qPrintable(message));  // ... and where
        QVERIFY(!datasets.isLoading());
        QCOMPARE(loaded.size(), 0);
        QCOMPARE(changed.size(), 0);
        QCOMPARE(document.dataset(), before);
        QVERIFY(document.run(run));
        QVERIFY(datasets.source().path.isEmpty());
    }

    void datasetServiceAsksAboutMissingValues() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("holes.csv"));
        writeFile(path, "f1,f2,label\n1,2,a\n3,,b\n5,6,a\n7,8,b\n");
        ui::Document document;
        ui::DatasetService datasets(&document);
        QSignalSpy asked(&datasets, &ui::DatasetService::missingValues);
        QSignalSpy changed(&document, &ui::Document::datasetChanged);
        std::optional<ui::DatasetService::MissingValues> question;
        connect(&datasets, &ui::DatasetService::missingValues, this,
                [&question](const ui::DatasetService::MissingValues& q) { question = q; });
        datasets.openFile(path);
        QVERIFY(asked.wait(10000));
        QVERIFY(question);
        QCOMPARE(question->cells, qint64(1));
        QCOMPARE(question->rows, qint64(1));
        QCOMPARE(question->request.path, path);
        QVERIFY(!question->message.isEmpty());
        QVERIFY(!document.dataset());
        // The answer: the same file again, with a policy.
        data::LoadOptions options = question->request.options;
        options.missing = data::MissingPolicy::DropRows;
        datasets.openFile(question->request.path, options);
        QVERIFY(changed.wait(10000));
        QCOMPARE(document.rows(), std::int64_t(3));
        QCOMPARE(document.dataset()->missing.rows_dropped, std::int64_t(1));
        QCOMPARE(datasets.source().options.missing, data::MissingPolicy::DropRows);
    }

    void datasetServiceNewestLoadWins() {
        ui::Document document;
        ui::DatasetService datasets(&document);
        // A runs (held until released), B is queued behind it, C is the newest: only C lands.
        struct Probe {
            QSemaphore startedA, releaseA;
            std::atomic<bool> ranB{false};
        };
        const auto probe = std::make_shared<Probe>();
        const auto a = blobs(20, 2, 2, 1), b = blobs(21, 2, 2, 2), c = blobs(22, 2, 2, 3);
        QSignalSpy loaded(&datasets, &ui::DatasetService::loaded);
        QSignalSpy ended(&datasets, &ui::DatasetService::ended);
        QSignalSpy changed(&document, &ui::Document::datasetChanged);
        datasets.openSource([probe, a] {
            probe->startedA.release();
            probe->releaseA.tryAcquire(1, 10000);
            return a;
        }, QStringLiteral("A"));
        QVERIFY(probe->startedA.tryAcquire(1, 5000));
        datasets.openSource([probe, b] {
            probe->ranB = true;
            return b;
        }, QStringLiteral("B"));
        datasets.openDataset(c, QStringLiteral("C"));
        probe->releaseA.release();
        QTRY_COMPARE_WITH_TIMEOUT(document.dataset(), c, 10000);
        QTest::qWait(50);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(loaded.size(), 1);
        QCOMPARE(ended.size(), 1);  // the superseded loads end silently
        QVERIFY(!probe->ranB);
        QCOMPARE(document.prepared().displayName, QStringLiteral("C"));
        QVERIFY(document.prepared().path.isEmpty());  // generated: no file, no hash
        QVERIFY(document.prepared().sha256.isEmpty());
    }

    void datasetServiceDefaultFallsBackToBlobs_data() {
        QTest::addColumn<bool>("fileExists");
        QTest::newRow("absent") << false;
        QTest::newRow("unreadable") << true;
    }

    void datasetServiceDefaultFallsBackToBlobs() {
        QFETCH(bool, fileExists);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("t10k-images-idx3-ubyte.gz"));
        if (fileExists) writeFile(path, "not gzip, not IDX");
        ui::Document document;
        ui::DatasetService datasets(&document);
        QCOMPARE(datasets.defaultPath(), ui::DatasetService::standardPath());
        datasets.setDefaultPath(path);
        QSignalSpy failed(&datasets, &ui::DatasetService::failed);
        QSignalSpy loaded(&datasets, &ui::DatasetService::loaded);
        datasets.openDefault(true);
        QTRY_VERIFY_WITH_TIMEOUT(loaded.size() == 1, 20000);
        QCOMPARE(failed.size(), fileExists ? 1 : 0);
        const auto request = loaded.at(0).at(0).value<ui::DatasetService::Request>();
        QVERIFY(request.autoRun);  // the request travels through the fallback
        QCOMPARE(document.dataset()->format, std::string("synthetic"));
        QCOMPARE(document.rows(), std::int64_t(3000));
        QCOMPARE(document.dataset()->d, std::int64_t(50));
    }

    void clusteringServiceWritesAClusterColumn() {
        const auto ds = blobs(600, 5, 3);
        ui::Document document;
        document.setDataset(prepared(ds));
        // Runs and the selection survive a clustering: the rows are the same.
        const int run = document.addRun(ui::RunSpec{});
        document.setSelection(select::Selection::from_ids({1, 2}, ds->n));
        ui::ClusteringService clustering(&document);
        QSignalSpy finished(&clustering, &ui::ClusteringService::finished);
        QSignalSpy replaced(&document, &ui::Document::datasetReplaced);
        QSignalSpy status(&clustering, &ui::ClusteringService::statusMessage);
        ui::ClusteringService::Options options;
        options.k = 3;
        options.seed = 5;
        QVERIFY(clustering.start(options));  // the embedding is asked for, the run has none: features
        QVERIFY(clustering.isRunning());
        QCOMPARE(clustering.caption(), QStringLiteral("Clustering…"));
        QCOMPARE(status.size(), 1);
        QVERIFY(finished.wait(20000));
        QVERIFY(!clustering.isRunning());
        QCOMPARE(replaced.size(), 1);
        const data::MetadataColumn* column = clusterColumn(document);
        QVERIFY(column);
        QCOMPARE(column->kind, data::ColumnKind::Categorical);
        QCOMPARE(std::int64_t(column->codes.size()), ds->n);
        QCOMPARE(column->categories.size(), std::size_t(3));
        // The core's own labels for the same options, and the blobs recovered.
        cluster::KMeansOptions ko;
        ko.k = 3;
        ko.seed = 5;
        QVERIFY(column->codes == cluster::kmeans(ds->features.data(), ds->n, ds->d, ko).labels);
        QCOMPARE(metrics::adjusted_rand_index(column->codes.data(), ds->label()->codes.data(), ds->n), 1.0);
        QVERIFY2(clustering.caption().contains(QStringLiteral("k-means on the features, k = 3")), qPrintable(clustering.caption()));
        QVERIFY2(clustering.caption().contains(QStringLiteral("ARI 1.0000")), qPrintable(clustering.caption()));
        QCOMPARE(finished.at(0).at(0).toString(), clustering.caption());
        QVERIFY(document.run(run));
        QCOMPARE(document.selection().ids(), (std::vector<std::int64_t>{1, 2}));
        QCOMPARE(document.prepared().displayName, QStringLiteral("blobs"));
        QCOMPARE(document.dataset()->label()->name, ds->label()->name);  // the label is still the label

        // Again, by DBSCAN: the column is replaced, not added; noise is missing (-1).
        options.method = ui::ClusteringService::Method::Dbscan;
        options.eps = 2.0;
        options.minPoints = 10;
        QVERIFY(clustering.start(options));
        QVERIFY(finished.wait(20000));
        QCOMPARE(std::count_if(document.dataset()->metadata.begin(), document.dataset()->metadata.end(),
                               [](const data::MetadataColumn& c) { return c.name == "cluster"; }),
                 std::ptrdiff_t(1));
        cluster::DbscanOptions dbo;
        dbo.eps = 2.0;
        dbo.min_points = 10;
        QVERIFY(clusterColumn(document)->codes == cluster::dbscan(ds->features.data(), ds->n, ds->d, dbo).labels);
    }

    void clusteringServiceClustersTheCurrentRunsEmbedding() {
        const auto ds = blobs(300, 4, 3);
        ui::Document document;
        document.setDataset(prepared(ds));
        // An embedding with two groups that the features do not have: rows below 100 at the origin.
        std::vector<float> embedding(std::size_t(2 * ds->n));
        for (std::int64_t i = 0; i < ds->n; ++i) {
            embedding[std::size_t(2 * i)] = (i < 100 ? 0.0f : 50.0f) + 0.01f * float(i % 7);
            embedding[std::size_t(2 * i + 1)] = 0.01f * float(i % 5);
        }
        const int run = document.addRun(ui::RunSpec{});
        document.setRunEmbedding(run, std::make_shared<const std::vector<float>>(embedding), 2, 1);
        document.setCurrentRun(run);
        ui::ClusteringService clustering(&document);
        QSignalSpy finished(&clustering, &ui::ClusteringService::finished);
        QSignalSpy status(&clustering, &ui::ClusteringService::statusMessage);
        ui::ClusteringService::Options options;
        options.k = 2;
        QVERIFY(clustering.start(options));
        QVERIFY(finished.wait(20000));
        QCOMPARE(status.size(), 0);
        QVERIFY2(clustering.caption().contains(QStringLiteral("on the embedding")), qPrintable(clustering.caption()));
        const auto& codes = clusterColumn(document)->codes;
        for (std::int64_t i = 0; i < ds->n; ++i) QCOMPARE(codes[std::size_t(i)] == codes[0], i < 100);

        // The k-distance curve of the same space (k = min points).
        QSignalSpy curve(&clustering, &ui::ClusteringService::kDistanceChanged);
        QVERIFY(clustering.startKDistance(5, ui::ClusteringService::Target::Embedding));
        QVERIFY(!clustering.startKDistance(5, ui::ClusteringService::Target::Embedding));  // one at a time
        QVERIFY(curve.wait(20000));
        QVERIFY(clustering.kDistance() == cluster::k_distance(embedding.data(), ds->n, 2, 5));

        // The clusters belong to that run: its name in the caption, and once another run is shown
        // the caption says the clusters are not of it (the column stays, to compare the runs).
        QVERIFY2(clustering.caption().startsWith(QStringLiteral("Clusters of “t-SNE 1”\n")), qPrintable(clustering.caption()));
        QCOMPARE(clustering.clusteredRunId(), run);
        const int next = document.addRun(ui::RunSpec{});
        document.setCurrentRun(next);
        QVERIFY2(clustering.caption().contains(QStringLiteral("not of “t-SNE 2” on screen")),
                 qPrintable(clustering.caption()));
        QVERIFY(clustering.caption().contains(QStringLiteral("on the embedding")));
        QVERIFY(clusterColumn(document));
        document.renameRun(run, QStringLiteral("first"));
        QVERIFY2(clustering.caption().startsWith(QStringLiteral("Clusters of “first”, not of")), qPrintable(clustering.caption()));
        document.setCurrentRun(run);
        QVERIFY2(clustering.caption().startsWith(QStringLiteral("Clusters of “first”\n")), qPrintable(clustering.caption()));
        // Clusters of the features belong to no run: no run in the caption.
        options.target = ui::ClusteringService::Target::Features;
        QVERIFY(clustering.start(options));
        QVERIFY(finished.wait(20000));
        QCOMPARE(clustering.clusteredRunId(), -1);
        document.setCurrentRun(next);
        QVERIFY2(!clustering.caption().contains(QStringLiteral("Clusters of")), qPrintable(clustering.caption()));
    }

    void clusteringServiceNewestRequestWins() {
        const auto ds = blobs(20000, 16, 8);
        ui::Document document;
        document.setDataset(prepared(ds));
        ui::ClusteringService clustering(&document);
        QSignalSpy finished(&clustering, &ui::ClusteringService::finished);
        QSignalSpy replaced(&document, &ui::Document::datasetReplaced);
        ui::ClusteringService::Options older;
        older.method = ui::ClusteringService::Method::KMeans;
        older.target = ui::ClusteringService::Target::Features;
        older.k = 8;
        older.restarts = 5;
        QVERIFY(clustering.start(older));
        ui::ClusteringService::Options newer = older;
        newer.k = 3;
        newer.restarts = 1;
        QVERIFY(clustering.start(newer));  // supersedes the first: its result never lands
        QVERIFY(finished.wait(60000));
        QTest::qWait(200);
        QCOMPARE(finished.size(), 1);
        QCOMPARE(replaced.size(), 1);
        QCOMPARE(clusterColumn(document)->categories.size(), std::size_t(3));
        QVERIFY2(clustering.caption().contains(QStringLiteral("k = 3")), qPrintable(clustering.caption()));
    }

    void clusteringServiceMakesGroups() {
        const auto ds = blobs(40, 2, 2);
        ui::Document document;
        document.setDataset(prepared(ds));
        ui::ClusteringService clustering(&document);
        QSignalSpy made(&clustering, &ui::ClusteringService::groupMade);
        QVERIFY(!clustering.makeGroup(QStringLiteral("  "), {1}));  // no name
        QVERIFY(!clustering.makeGroup(QStringLiteral("none"), {}));  // no rows
        QVERIFY(clustering.makeGroup(QStringLiteral("a"), {0, 1, 2}));
        QVERIFY(made.wait(10000));
        QVERIFY(clustering.makeGroup(QStringLiteral("b"), {2, 3}));  // row 2 moves to the newest group
        QVERIFY(made.wait(10000));
        QCOMPARE(made.at(1).at(0).toString(), QStringLiteral("b"));
        const auto at = document.dataset()->find_metadata("groups");
        QVERIFY(at);
        const data::MetadataColumn& groups = document.dataset()->metadata[*at];
        QCOMPARE(groups.categories, (std::vector<std::string>{"a", "b"}));
        QCOMPARE(std::vector<std::int32_t>(groups.codes.begin(), groups.codes.begin() + 5),
                 (std::vector<std::int32_t>{0, 0, 1, 1, -1}));
        QCOMPARE(document.prepared().displayName, QStringLiteral("blobs"));
        // A group asked for on rows that are gone by the time it is made is dropped.
        QVERIFY(clustering.makeGroup(QStringLiteral("late"), {0}));
        const auto other = blobs(40, 2, 2, 99);
        document.setDataset(prepared(other));
        QTest::qWait(300);
        QCOMPARE(made.size(), 2);
        QCOMPARE(document.dataset(), other);
    }

    void clusteringServiceForgetsOnANewDatasetAndReportsErrors() {
        ui::Document document;
        ui::ClusteringService clustering(&document);
        QVERIFY(!clustering.start({}));  // nothing to cluster
        document.setDataset(prepared(blobs(20000, 16, 8)));
        QSignalSpy finished(&clustering, &ui::ClusteringService::finished);
        QSignalSpy failed(&clustering, &ui::ClusteringService::failed);
        ui::ClusteringService::Options options;
        options.target = ui::ClusteringService::Target::Features;
        QVERIFY(clustering.start(options));
        // New rows while it runs: its result belongs to the old ones and is dropped.
        const auto other = blobs(50, 3, 2);
        document.setDataset(prepared(other));
        QVERIFY(!clustering.isRunning());
        QVERIFY(clustering.caption().isEmpty());
        QTest::qWait(300);
        QCOMPARE(finished.size(), 0);
        QCOMPARE(document.dataset(), other);
        QVERIFY(!clusterColumn(document));

        // More clusters than points: a readable error, the document as it was.
        options.k = 51;
        QVERIFY(clustering.start(options));
        QVERIFY(failed.wait(20000));
        qInfo() << "error:" << failed.at(0).at(0).toString();
        QVERIFY(clustering.caption().startsWith(QStringLiteral("Clustering failed: ")));
        QCOMPARE(document.dataset(), other);
        QCOMPARE(finished.size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestServices)
#include "tst_services.moc"
