// The document model (issue 13) without any widget: run specs survive JSON exactly, runs are
// named, renamed, removed and replaced copy-on-write, a new dataset starts over, derived columns
// keep the runs, and the selection's history lives in the document.
#include "data/synthetic.h"
#include "model/Document.h"
#include "model/RunSpec.h"

#include <QSignalSpy>
#include <QtTest>

using namespace latentscape;

namespace {

ui::PreparedDataset blobs(std::int64_t n) {
    data::synthetic::BlobsOptions o;
    o.n = n;
    o.d = 4;
    o.k = 3;
    ui::PreparedDataset p;
    p.dataset = std::make_shared<const data::Dataset>(data::synthetic::blobs(o));
    return p;
}

}  // namespace

class TestDocument : public QObject {
    Q_OBJECT
private slots:
    void specRoundTripsEveryOption_data() {
        QTest::addColumn<int>("method");
        QTest::newRow("pca") << int(ui::RunSpec::Method::Pca);
        QTest::newRow("tsne") << int(ui::RunSpec::Method::Tsne);
        QTest::newRow("autoencoder") << int(ui::RunSpec::Method::Autoencoder);
        QTest::newRow("umap") << int(ui::RunSpec::Method::Umap);
        QTest::newRow("imported") << int(ui::RunSpec::Method::Imported);
    }
    void specRoundTripsEveryOption() {
        QFETCH(int, method);
        ui::RunSpec s;
        s.method = ui::RunSpec::Method(method);
        s.dims = 3;
        // Every field away from its default, seeds beyond 2^53 (JSON doubles would round them).
        s.pca.components = 3;
        s.pca.center = false;
        s.pca.scale = true;
        s.pca.whiten = true;
        s.pca.method = reduce::PcaOptions::Method::Randomized;
        s.pca.oversamples = 7;
        s.pca.power_iterations = 2;
        s.pca.seed = 18446744073709551557ull;
        auto& t = s.tsne;
        t.dims = 3;
        t.perplexity = 12.5;
        t.iterations = 777;
        t.exaggeration = 4.0;
        t.exaggeration_iterations = 100;
        t.momentum = 0.4;
        t.final_momentum = 0.7;
        t.learning_rate = 123.0;
        t.min_gain = 0.02;
        t.gradient = reduce::tsne::Gradient::BarnesHut;
        t.theta = 0.3;
        t.fft_spline_order = 6;
        t.fft_min_nodes = 60;
        t.fft_nodes_per_unit = 2.5;
        t.neighbors = reduce::tsne::Neighbors::Approximate;
        t.pca_dims = 20;
        t.init = reduce::tsne::Init::Random;
        t.seed = 9007199254740993ull;
        auto& a = s.autoencoder;
        a.latent_dims = 3;
        a.hidden = std::vector<int>{64, 8};
        a.activation = reduce::autoencoder::Activation::Gelu;
        a.output = reduce::autoencoder::Output::Linear;
        a.loss = reduce::autoencoder::Loss::Bce;
        a.variational = true;
        a.beta = 0.5;
        a.epochs = 9;
        a.batch_size = 32;
        a.learning_rate = 3e-4;
        a.adam_beta1 = 0.8;
        a.adam_beta2 = 0.99;
        a.adam_epsilon = 1e-7;
        a.weight_decay = 1e-5;
        a.standardize = true;
        a.input_scale = 1.0;
        a.validation_fraction = 0.2;
        a.patience = 3;
        a.seed = 12345678901234567ull;
        auto& u = s.umap;
        u.dims = 3;
        u.n_neighbors = 7;
        u.min_dist = 0.25;
        u.spread = 2.0;
        u.n_epochs = 123;
        u.learning_rate = 0.5;
        u.negative_sample_rate = 3;
        u.repulsion_strength = 2.0;
        u.set_op_mix_ratio = 0.5;
        u.local_connectivity = 2.0;
        u.a = 1.5;
        u.b = 0.8;
        u.init = reduce::umap::Init::Random;
        u.neighbors = neighbors::Method::Exact;
        u.pca_dims = 10;
        u.seed = 18446744073709551615ull;
        s.importedFrom = QStringLiteral("X_pca");
        s.importedColumns = 50;

        const ui::RunSpec back = ui::RunSpec::fromJson(s.toJson());
        QCOMPARE(back.toJson(), s.toJson());
        QCOMPARE(back.method, s.method);
        QCOMPARE(back.dims, 3);
        QCOMPARE(back.seed(), s.seed());
        switch (s.method) {
            case ui::RunSpec::Method::Pca:
                QCOMPARE(back.pca.method, reduce::PcaOptions::Method::Randomized);
                QCOMPARE(back.pca.scale, true);
                QCOMPARE(back.pca.center, false);
                QCOMPARE(back.pca.components, 3);
                break;
            case ui::RunSpec::Method::Tsne:
                QCOMPARE(back.tsne.learning_rate, std::optional<double>(123.0));
                QCOMPARE(back.tsne.pca_dims, std::optional<int>(20));
                QCOMPARE(back.tsne.gradient, reduce::tsne::Gradient::BarnesHut);
                QCOMPARE(back.tsne.neighbors, reduce::tsne::Neighbors::Approximate);
                QCOMPARE(back.tsne.init, reduce::tsne::Init::Random);
                QCOMPARE(back.tsne.final_momentum, 0.7);
                QCOMPARE(back.tsne.dims, 3);
                break;
            case ui::RunSpec::Method::Autoencoder:
                QCOMPARE(back.methodName(), QStringLiteral("VAE"));
                QCOMPARE(back.autoencoder.hidden, (std::optional<std::vector<int>>{std::vector<int>{64, 8}}));
                QCOMPARE(back.autoencoder.activation, reduce::autoencoder::Activation::Gelu);
                QCOMPARE(back.autoencoder.loss, reduce::autoencoder::Loss::Bce);
                QCOMPARE(back.autoencoder.adam_beta2, 0.99);
                QCOMPARE(back.autoencoder.latent_dims, 3);
                break;
            case ui::RunSpec::Method::Umap:
                QCOMPARE(back.methodName(), QStringLiteral("UMAP"));
                QCOMPARE(back.umap.n_neighbors, 7);
                QCOMPARE(back.umap.n_epochs, std::optional<int>(123));
                QCOMPARE(back.umap.a, std::optional<double>(1.5));
                QCOMPARE(back.umap.init, reduce::umap::Init::Random);
                QCOMPARE(back.umap.neighbors, neighbors::Method::Exact);
                QCOMPARE(back.umap.pca_dims, std::optional<int>(10));
                QCOMPARE(back.umap.dims, 3);
                break;
            case ui::RunSpec::Method::Imported:
                QCOMPARE(back.methodName(), QStringLiteral("X_pca"));
                QCOMPARE(back.importedFrom, QStringLiteral("X_pca"));
                QCOMPARE(back.importedColumns, 50);
                QVERIFY(!back.isComputed());
                QVERIFY2(back.summary().contains(QStringLiteral("first 3 of 50")), qPrintable(back.summary()));
                break;
        }
    }

    void specRejectsWhatItCannotRead() {
        const auto fails = [](const QJsonObject& o, const char* needle) {
            try {
                ui::RunSpec::fromJson(o);
            } catch (const std::runtime_error& e) {
                return QString::fromUtf8(e.what()).contains(QLatin1String(needle));
            }
            return false;
        };
        QVERIFY(fails({{"method", "isomap"}}, "unknown run method 'isomap'"));
        QVERIFY(fails({{"method", "tsne"}, {"dims", 4}}, "'dims' must be 2 or 3"));
        QVERIFY(fails({{"method", "tsne"}, {"perplexity", "thirty"}}, "'perplexity' must be a number"));
        QVERIFY(fails({{"method", "tsne"}, {"gradient", "magic"}}, "'gradient' has an unknown value 'magic'"));
        QVERIFY(fails({{"method", "tsne"}, {"seed", 42}}, "'seed' must be a decimal string"));
        QVERIFY(fails({{"method", "autoencoder"}, {"hidden", QJsonArray{16, -2}}}, "'hidden' must hold positive integers"));
        QVERIFY(fails({{"method", "imported"}}, "'source'"));
        QVERIFY(fails({{"method", "imported"}, {"source", "X_umap"}, {"dims", 3}, {"columns", 2}}, "'columns' must be at least"));
        // Missing fields keep the core's defaults.
        const ui::RunSpec d = ui::RunSpec::fromJson({{"method", "tsne"}});
        QCOMPARE(d.tsne.perplexity, reduce::tsne::Options{}.perplexity);
        QCOMPARE(d.dims, 2);
    }

    void runsAreNamedChangedAndRemoved() {
        ui::Document doc;
        doc.setDataset(blobs(60));
        QSignalSpy added(&doc, &ui::Document::runAdded), changed(&doc, &ui::Document::runChanged),
            removed(&doc, &ui::Document::runRemoved), current(&doc, &ui::Document::currentRunChanged);
        ui::RunSpec tsne, pca;
        pca.method = ui::RunSpec::Method::Pca;
        const int a = doc.addRun(tsne), b = doc.addRun(tsne), c = doc.addRun(pca);
        QCOMPARE(added.count(), 3);
        QCOMPARE(doc.run(a)->name, QStringLiteral("t-SNE 1"));
        QCOMPARE(doc.run(b)->name, QStringLiteral("t-SNE 2"));
        QCOMPARE(doc.run(c)->name, QStringLiteral("PCA 1"));
        QVERIFY(a != b && b != c);

        // Copy-on-write: a reader keeps the value it holds.
        auto first = std::make_shared<const std::vector<float>>(120, 1.0f);
        doc.setRunEmbedding(a, first, 2, 10, 1.5, QStringLiteral("KL"));
        const std::shared_ptr<const ui::Run> held = doc.run(a);
        doc.setRunEmbedding(a, std::make_shared<const std::vector<float>>(120, 2.0f), 2, 20);
        QCOMPARE(held->embedding, first);
        QCOMPARE(held->iterations, 10);
        QCOMPARE(doc.run(a)->iterations, 20);
        QCOMPARE(doc.run(a)->costName, QStringLiteral("KL"));
        doc.finishRun(a, ui::Run::State::Done, 1.25);
        QCOMPARE(doc.run(a)->state, ui::Run::State::Done);
        QCOMPARE(doc.run(a)->seconds, 1.25);
        QCOMPARE(changed.count(), 3);

        QVERIFY(!doc.renameRun(a, QStringLiteral("   ")));
        QVERIFY(doc.renameRun(a, QStringLiteral("  baseline ")));
        QCOMPARE(doc.run(a)->name, QStringLiteral("baseline"));
        QVERIFY(!doc.renameRun(999, QStringLiteral("x")));

        doc.setCurrentRun(b);
        QCOMPARE(doc.currentRunId(), b);
        doc.setCurrentRun(12345);  // unknown: ignored
        QCOMPARE(doc.currentRunId(), b);
        doc.removeRun(b);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(doc.currentRunId(), c);  // the newest remaining run
        // Ids are never reused.
        QVERIFY(doc.addRun(tsne) > c);
        QCOMPARE(doc.run(b), nullptr);
        QVERIFY(current.count() >= 2);
    }

    void newDatasetStartsOverDerivedKeepsRuns() {
        ui::Document doc;
        doc.setDataset(blobs(50));
        const int id = doc.addRun(ui::RunSpec{});
        doc.setCurrentRun(id);
        QVERIFY(doc.setSelection(select::Selection::from_ids({1, 2, 3}, 50)));
        // Same rows, a new column: runs and selection stay.
        ui::PreparedDataset derived = doc.prepared();
        auto copy = std::make_shared<data::Dataset>(*derived.dataset);
        copy->metadata.push_back(data::MetadataColumn::numeric("extra", std::vector<double>(50, 1.0)));
        derived.dataset = copy;
        QSignalSpy replaced(&doc, &ui::Document::datasetReplaced);
        QVERIFY(doc.replaceDataset(derived));
        QCOMPARE(replaced.count(), 1);
        QCOMPARE(doc.runs().size(), std::size_t(1));
        QCOMPARE(doc.selection().count(), std::int64_t(3));
        QVERIFY(!doc.replaceDataset(blobs(49)));  // other rows: refused
        // New rows: nothing is kept, nothing to undo.
        QSignalSpy reset(&doc, &ui::Document::datasetChanged);
        doc.setDataset(blobs(70));
        QCOMPARE(reset.count(), 1);
        QVERIFY(doc.runs().empty());
        QCOMPARE(doc.currentRunId(), -1);
        QCOMPARE(doc.selection().size(), std::int64_t(70));
        QVERIFY(doc.selection().empty());
        QVERIFY(!doc.selectionHistory().can_undo());
    }

    void selectionHistory() {
        ui::Document doc;
        doc.setDataset(blobs(30));
        QSignalSpy changed(&doc, &ui::Document::selectionChanged);
        QVERIFY(doc.setSelection(select::Selection::from_ids({1}, 30)));
        QVERIFY(!doc.setSelection(select::Selection::from_ids({1}, 30)));  // no change, no step
        QVERIFY(!doc.setSelection(select::Selection::from_ids({1}, 31)));  // wrong size
        QVERIFY(doc.setSelection(select::Selection::from_ids({1, 5}, 30)));
        QVERIFY(doc.undoSelection());
        QCOMPARE(doc.selection().ids(), (std::vector<std::int64_t>{1}));
        QVERIFY(doc.redoSelection());
        QCOMPARE(doc.selection().ids(), (std::vector<std::int64_t>{1, 5}));
        QVERIFY(!doc.redoSelection());
        QCOMPARE(changed.count(), 4);
    }
};

QTEST_GUILESS_MAIN(TestDocument)
#include "tst_document.moc"
