// The plot's rules and the window's services (issue 13) without any window: PlotRules colours,
// fades, hides and explains exactly as specified; ExportService writes a document's coordinates;
// SessionService saves a document and reopens it into another one through its hooks alone.
#include "data/load.h"
#include "data/synthetic.h"
#include "data/write.h"
#include "figure/PlotRules.h"
#include "model/Document.h"
#include "select/selection.h"
#include "services/ExportService.h"
#include "services/SessionService.h"
#include "session/SessionFigure.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

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
};

QTEST_GUILESS_MAIN(TestServices)
#include "tst_services.moc"
