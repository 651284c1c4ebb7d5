// latentscape-cli reduce, transform and metrics as a script drives them: PCA (against
// scikit-learn), t-SNE, UMAP, the autoencoder, preprocessing, placing new rows on a saved map, and
// the metrics reusing a run's neighbour graph.
#include "cli_fixture.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

class TstCliReduce : public QObject, protected CliFixture {
    Q_OBJECT

private slots:
    // Issue 15: PCA of an AnnData file's sparse X runs on the sparse matrix (never densified),
    // with scikit-learn's explained variances (golden made by make_sparse_pca_goldens.py); the
    // output keeps the cells' ids and label. A dense X, or --metrics (which needs the rows),
    // takes the dense path; log1p keeps the matrix sparse and agrees with the dense path.
    void reducePcaOfSparseH5ad() {
        const QString csr = QStringLiteral(LATENTSCAPE_TEST_DATA "/h5ad/csr.h5ad");
        QFile goldenFile(QStringLiteral(LATENTSCAPE_TEST_DATA "/h5ad/csr.h5ad.pca.json"));
        QVERIFY(goldenFile.open(QIODevice::ReadOnly));
        const QJsonArray golden = QJsonDocument::fromJson(goldenFile.readAll()).object()["pca"].toObject()["explained_variance"].toArray();
        const QString out = m_dir.filePath("sparse_pca.csv");
        Result r = run({"reduce", csr, "--method", "pca", "--dims", "3", "--out", out, "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o["sparse"].toBool(), true);
        QCOMPARE(o["method_used"].toString(), QStringLiteral("randomized-sparse"));
        QCOMPARE(o["rows"].toInt(), 40);
        QCOMPARE(o["features"].toInt(), 12);
        const QJsonArray variance = o["explained_variance"].toArray();
        QCOMPARE(variance.size(), 3);
        for (int j = 0; j < 3; ++j)
            QVERIFY2(std::abs(variance[j].toDouble() - golden[j].toDouble()) <= 1e-4 * golden[j].toDouble(),
                     qPrintable(QString("%1 vs %2").arg(variance[j].toDouble()).arg(golden[j].toDouble())));
        const QList<QByteArray> lines = contents(out).trimmed().split('\n');
        QCOMPARE(lines.size(), 41);
        QVERIFY2(lines[0].contains("PC1") && lines[0].contains("cell_type"), lines[0].constData());
        // --metrics needs the rows themselves: the dense path, the same variances.
        r = run({"reduce", csr, "--method", "pca", "--dims", "3", "--out", out, "--json", "--metrics", "5"});
        QVERIFY2(r.code == 0, r.err.constData());
        o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o["sparse"].toBool(), false);
        for (int j = 0; j < 3; ++j) QVERIFY(std::abs(o["explained_variance"].toArray()[j].toDouble() - golden[j].toDouble()) <= 1e-4 * golden[j].toDouble());
        r = run({"reduce", QStringLiteral(LATENTSCAPE_TEST_DATA "/h5ad/dense.h5ad"), "--method", "pca", "--out", out, "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(QJsonDocument::fromJson(r.out).object()["sparse"].toBool(), false);
        // log1p: sparse, and as the dense path computes it.
        r = run({"reduce", csr, "--method", "pca", "--dims", "3", "--preprocess", "log1p", "--out", out, "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject sparseLog = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(sparseLog["sparse"].toBool(), true);
        r = run({"reduce", csr, "--method", "pca", "--dims", "3", "--preprocess", "log1p", "--out", out, "--json", "--metrics", "5"});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject denseLog = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(denseLog["sparse"].toBool(), false);
        for (int j = 0; j < 3; ++j) {
            const double a = sparseLog["explained_variance"].toArray()[j].toDouble(), b = denseLog["explained_variance"].toArray()[j].toDouble();
            QVERIFY2(std::abs(a - b) <= 1e-4 * b && std::abs(a - golden[j].toDouble()) > 1e-3, qPrintable(QString("%1 vs %2").arg(a).arg(b)));
        }
    }

    // --preprocess: PCA of min-max scaled wine equals PCA of the scikit-learn-scaled golden; log1p
    // of a negative value is a clear load error.
    void preprocessBeforeReducing() {
        const QString wine = QStringLiteral(LATENTSCAPE_TEST_DATA "/preprocess/wine_features.npy");
        const QString scaled = QStringLiteral(LATENTSCAPE_TEST_DATA "/preprocess/wine_minmax.npy");
        const QString a = m_dir.filePath("a.csv"), b = m_dir.filePath("b.csv");
        Result r = run({"reduce", wine, "--method", "pca", "--preprocess", "minmax", "--out", a});
        QCOMPARE(r.code, 0);
        r = run({"reduce", scaled, "--method", "pca", "--out", b});
        QCOMPARE(r.code, 0);
        QFile fa(a), fb(b);
        QVERIFY(fa.open(QIODevice::ReadOnly) && fb.open(QIODevice::ReadOnly));
        QCOMPARE(fa.readAll(), fb.readAll());
        const QString negative = file("neg.csv", "a,b\n1,2\n-3,4\n5,6\n");
        r = run({"reduce", negative, "--method", "pca", "--preprocess", "log1p", "--out", b});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("log1p") && r.err.contains("'a'") && r.err.contains("row 2"), r.err.constData());
    }

    void reduceClusterMetricsPipeline() {
        const QString data = m_dir.filePath("p.csv");
        Result r = run({"generate", "blobs", "--n", "600", "--d", "12", "--k", "3", "--seed", "3", "--out", data});
        QCOMPARE(r.code, 0);
        const QString emb = m_dir.filePath("p_pca.csv");
        r = run({"reduce", data, "--method", "pca", "--dims", "2", "--out", emb, "--json"});
        QCOMPARE(r.code, 0);
        QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o["dims"].toInt(), 2);
        QVERIFY(o["explained_variance_ratio_sum"].toDouble() > 0.5);
        QVERIFY(o.contains("elapsed_seconds"));
        r = run({"info", emb, "--json"});
        QCOMPARE(QJsonDocument::fromJson(r.out).object()["label"].toString(), QString("blob"));  // the label travels

        r = run({"cluster", data, "--method", "kmeans", "--k", "3", "--out", m_dir.filePath("km.csv"), "--json"});
        QCOMPARE(r.code, 0);
        o = QJsonDocument::fromJson(r.out).object();
        QVERIFY(o["converged"].toBool());
        QFile km(m_dir.filePath("km.csv"));
        QVERIFY(km.open(QIODevice::ReadOnly));
        QCOMPARE(km.readAll().count('\n'), 601);  // header + one line per point

        r = run({"cluster", data, "--on-embedding", emb, "--method", "dbscan", "--eps", "2", "--min-points", "5",
                 "--out", m_dir.filePath("db.csv"), "--json"});
        QCOMPARE(r.code, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out).object()["clusters"].toInt(), 3);

        r = run({"metrics", "--data", data, "--embedding", emb, "--k", "10", "--json"});
        QCOMPARE(r.code, 0);
        o = QJsonDocument::fromJson(r.out).object();
        QVERIFY(o["trustworthiness"].toObject()["value"].toDouble() > 0.8);
        QCOMPARE(o["knn_accuracy"].toObject()["value"].toDouble(), 1.0);
        QVERIFY(!o["trustworthiness"].toObject()["sampled"].toBool());

        // k > n is bad input, named as such.
        r = run({"cluster", emb, "--method", "kmeans", "--k", "1000", "--out", m_dir.filePath("bad.csv")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("1000"), r.err.constData());
    }

    void tsneFromTheCommandLine() {
        const QString data = m_dir.filePath("t.csv");
        Result r = run({"generate", "blobs", "--n", "300", "--d", "8", "--k", "3", "--seed", "4", "--out", data});
        QCOMPARE(r.code, 0);
        const QString emb = m_dir.filePath("t_tsne.csv");
        r = run({"reduce", data, "--method", "tsne", "--perplexity", "20", "--iterations", "300", "--seed", "1",
                 "--threads", "1", "--out", emb, "--json"});
        QCOMPARE(r.code, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o["method"].toString(), QString("tsne"));
        QCOMPARE(o["k"].toInt(), 60);
        QCOMPARE(o["iterations"].toInt(), 300);
        QCOMPARE(o["gradient"].toString(), QString("exact"));
        QVERIFY(o["kl_exact"].toBool());
        QVERIFY(o["kl_divergence"].toDouble() > 0 && o["kl_divergence"].toDouble() < 2);
        for (const char* part : {"neighbors", "affinities", "optimisation", "total"})
            QVERIFY(o["seconds"].toObject().contains(part));
        // Same seed, two threads: the same file, byte for byte.
        const QString emb2 = m_dir.filePath("t_tsne2.csv");
        r = run({"reduce", data, "--method", "tsne", "--perplexity", "20", "--iterations", "300", "--seed", "1",
                 "--threads", "2", "--out", emb2});
        QCOMPARE(r.code, 0);
        QFile a(emb), b(emb2);
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        const QByteArray bytes = a.readAll();
        QCOMPARE(bytes, b.readAll());
        QVERIFY(bytes.startsWith("tSNE1,tSNE2,blob"));
        // The well-separated blobs stay separated.
        r = run({"metrics", "--data", data, "--embedding", emb, "--k", "10", "--json"});
        QCOMPARE(QJsonDocument::fromJson(r.out).object()["knn_accuracy"].toObject()["value"].toDouble(), 1.0);
        // Perplexity too large for n: a usable message, exit code 2.
        r = run({"reduce", data, "--method", "tsne", "--perplexity", "120", "--out", m_dir.filePath("bad.csv")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("perplexity (120) must be < (n - 1) / 3"), r.err.constData());
        r = run({"reduce", data, "--method", "tsne", "--gradient", "fft", "--dims", "3", "--out", m_dir.filePath("bad.csv")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("2-D only"), r.err.constData());
    }

    void umapFromTheCommandLine() {
        const QString data = m_dir.filePath("u.csv");
        Result r = run({"generate", "blobs", "--n", "400", "--d", "8", "--k", "4", "--seed", "5", "--out", data});
        QCOMPARE(r.code, 0);
        const QString emb = m_dir.filePath("u_umap.csv");
        const QStringList common = {"reduce", data, "--method", "umap", "--epochs", "120", "--seed", "3"};
        r = run(common + QStringList{"--threads", "1", "--out", emb, "--json"});
        QCOMPARE(r.code, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o["method"].toString(), QString("umap"));
        QCOMPARE(o["n_neighbors"].toInt(), 15);
        QCOMPARE(o["epochs"].toInt(), 120);
        QCOMPARE(o["neighbors"].toString(), QString("exact"));
        // Four far-apart blobs: a disconnected graph, so the spectral layout gives way to PCA.
        QCOMPARE(o["init"].toString(), QString("pca"));
        QVERIFY(std::abs(o["a"].toDouble() - 1.5769) < 1e-3 && std::abs(o["b"].toDouble() - 0.8951) < 1e-3);
        QVERIFY(o["cross_entropy"].toDouble() > 0);
        for (const char* part : {"neighbors", "graph", "init", "optimisation", "total"})
            QVERIFY(o["seconds"].toObject().contains(part));
        // Same seed, two threads: the same file, byte for byte.
        const QString emb2 = m_dir.filePath("u_umap2.csv");
        r = run(common + QStringList{"--threads", "2", "--out", emb2});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.startsWith("UMAP (exact neighbours, pca init)"), r.out.constData());
        const QByteArray bytes = contents(emb);
        QCOMPARE(bytes, contents(emb2));
        QVERIFY(bytes.startsWith("UMAP1,UMAP2,blob"));
        r = run({"metrics", "--data", data, "--embedding", emb, "--k", "10", "--json"});
        QCOMPARE(QJsonDocument::fromJson(r.out).object()["knn_accuracy"].toObject()["value"].toDouble(), 1.0);
        // 3-D and the other options parse.
        r = run({"reduce", data, "--method", "umap", "--dims", "3", "--epochs", "20", "--n-neighbors", "8",
                 "--min-dist", "0.3", "--spread", "2", "--negative-sample-rate", "3", "--repulsion-strength", "0.5",
                 "--set-op-mix-ratio", "0.5", "--local-connectivity", "2", "--learning-rate", "0.5", "--init",
                 "random", "--neighbors", "approximate", "--out", m_dir.filePath("u3.npy"), "--json"});
        QCOMPARE(r.code, 0);
        const QJsonObject o3 = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o3["dims"].toInt(), 3);
        QCOMPARE(o3["init"].toString(), QString("random"));
        QCOMPARE(o3["neighbors"].toString(), QString("approximate"));
        // Errors a user can act on, exit code 2.
        r = run({"reduce", data, "--method", "umap", "--n-neighbors", "400", "--out", m_dir.filePath("bad.csv")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("n_neighbors (400) must be < n (400 points)"), r.err.constData());
        r = run({"reduce", data, "--method", "umap", "--min-dist", "2", "--out", m_dir.filePath("bad.csv")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("min_dist (2) must be <= spread (1)"), r.err.constData());
        r = run({"reduce", data, "--method", "umap", "--dims", "4", "--out", m_dir.filePath("bad.csv")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("dims (4) must be 2 or 3"), r.err.constData());
        r = run({"reduce", data, "--method", "umap", "--init", "lle", "--out", m_dir.filePath("bad.csv")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--init must be spectral, pca or random"), r.err.constData());
    }

    void autoencoderFromTheCommandLine() {
        const QString data = m_dir.filePath("ae.csv");
        Result r = run({"generate", "blobs", "--n", "300", "--d", "8", "--k", "3", "--seed", "6", "--out", data});
        QCOMPARE(r.code, 0);
        const QStringList train = {"reduce", data, "--method", "autoencoder", "--dims", "2", "--hidden", "16,8",
                                   "--epochs", "3", "--batch", "32", "--seed", "1"};
        const QString emb = m_dir.filePath("ae_codes.csv"), model = m_dir.filePath("ae.lsae");
        r = run(train + QStringList{"--threads", "1", "--save-model", model, "--out", emb, "--json"});
        QCOMPARE(r.code, 0);
        QJsonParseError pe;
        const QJsonObject o = QJsonDocument::fromJson(r.out, &pe).object();
        QCOMPARE(pe.error, QJsonParseError::NoError);
        QCOMPARE(o["method"].toString(), QString("autoencoder"));
        QCOMPARE(o["dims"].toInt(), 2);
        QCOMPARE(o["hidden"].toArray(), (QJsonArray{16, 8}));
        QCOMPARE(o["output_activation"].toString(), QString("linear"));  // blobs are not in [0, 1]
        // 8-16-8-2-8-16-8: weights and biases of six layers.
        QCOMPARE(o["parameters"].toInt(), (8 * 16 + 16) + (16 * 8 + 8) + (8 * 2 + 2) + (2 * 8 + 8) + (8 * 16 + 16) +
                                              (16 * 8 + 8));
        QCOMPARE(o["epochs"].toInt(), 3);
        QCOMPARE(o["steps"].toInt(), 3 * 9);  // 270 training rows (10% held out) in batches of 32
        const QJsonArray history = o["history"].toArray();
        QCOMPARE(history.size(), 3);
        for (const auto& e : history) {
            QVERIFY(e.toObject()["train_loss"].toDouble() > 0);
            QVERIFY(e.toObject()["validation_loss"].toDouble() > 0);  // default: 10% held out
        }
        QVERIFY(o["training_seconds"].toDouble() > 0);
        QVERIFY(o["samples_per_second"].toDouble() > 0);
        QVERIFY(o["reconstruction_mse"].toDouble() > 0);
        QVERIFY(QFile::exists(model));
        const QByteArray codes = contents(emb);
        QVERIFY(codes.startsWith("AE1,AE2,blob"));
        QCOMPARE(codes.count('\n'), 301);

        // Two threads: the same codes and the same model file, byte for byte.
        const QString emb2 = m_dir.filePath("ae_codes2.csv"), model2 = m_dir.filePath("ae2.lsae");
        r = run(train + QStringList{"--threads", "2", "--save-model", model2, "--out", emb2});
        QCOMPARE(r.code, 0);
        QCOMPARE(contents(emb2), codes);
        QCOMPARE(contents(model2), contents(model));

        // Encoding the training file with the saved model gives the codes 'reduce' wrote.
        const QString enc = m_dir.filePath("ae_encoded.csv");
        r = run({"encode", data, "--model", model, "--out", enc, "--json"});
        QCOMPARE(r.code, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out).object()["rows"].toInt(), 300);
        QCOMPARE(contents(enc), codes);

        // The variational variant: codes are the means, columns named VAE1, VAE2.
        const QString vae = m_dir.filePath("vae_codes.csv");
        r = run({"reduce", data, "--method", "vae", "--dims", "2", "--hidden", "8", "--epochs", "2", "--beta", "0.5",
                 "--validation", "0", "--out", vae, "--json"});
        QCOMPARE(r.code, 0);
        const QJsonObject v = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(v["method"].toString(), QString("vae"));
        QCOMPARE(v["beta"].toDouble(), 0.5);
        QVERIFY(v["history"].toArray()[0].toObject()["validation_loss"].isNull());  // nothing held out
        QVERIFY(contents(vae).startsWith("VAE1,VAE2,blob"));
    }

    void transformFromTheCommandLine() {
        const QString data = m_dir.filePath("tr.csv");
        Result r = run({"generate", "blobs", "--n", "500", "--d", "8", "--k", "4", "--seed", "6", "--out", data});
        QCOMPARE(r.code, 0);
        // One row alone, and the same row first among 51.
        const QList<QByteArray> lines = contents(data).split('\n');
        QByteArray batch = lines[0] + '\n';
        for (int i = 1; i <= 51; ++i) batch += lines[i] + '\n';
        const QString one = file("tr_one.csv", lines[0] + '\n' + lines[1] + '\n');
        const QString many = file("tr_many.csv", batch);
        for (const char* method : {"umap", "tsne"}) {
            const QString model = m_dir.filePath(QString("tr_%1.lsmap").arg(method));
            r = run({"reduce", data, "--method", method, "--perplexity", "20", "--iterations", "300", "--epochs", "100",
                     "--out", m_dir.filePath("tr_fit.csv"), "--save-model", model});
            QCOMPARE(r.code, 0);
            // Round trip: the fitted rows placed on their own map keep their blobs.
            const QString placed = m_dir.filePath("tr_placed.csv");
            r = run({"transform", data, "--model", model, "--out", placed, "--json"});
            QVERIFY2(r.code == 0, r.err.constData());
            const QJsonObject o = QJsonDocument::fromJson(r.out).object();
            QCOMPARE(o["method"].toString(), QString(method));
            QCOMPARE(o["rows"].toInt(), 500);
            QCOMPARE(o["reference_rows"].toInt(), 500);
            r = run({"metrics", "--data", data, "--embedding", placed, "--k", "10", "--json"});
            QCOMPARE(QJsonDocument::fromJson(r.out).object()["knn_accuracy"].toObject()["value"].toDouble(), 1.0);
            // A row alone lands where it lands among 50 others, to the last digit written.
            const QString out1 = m_dir.filePath("tr_out1.csv"), out51 = m_dir.filePath("tr_out51.csv");
            QCOMPARE(run({"transform", one, "--model", model, "--out", out1}).code, 0);
            QCOMPARE(run({"transform", many, "--model", model, "--out", out51, "--threads", "2"}).code, 0);
            const QList<QByteArray> a = contents(out1).split('\n'), b = contents(out51).split('\n');
            QVERIFY(a[0].startsWith(method == QString("umap") ? "UMAP1,UMAP2" : "tSNE1,tSNE2"));
            // (the single-row file's label column is not recognised as one: compare the coordinates)
            QCOMPARE(a[1].split(',').mid(0, 2), b[1].split(',').mid(0, 2));
            QVERIFY(a[1].split(',').mid(0, 2) != b[2].split(',').mid(0, 2));
        }
        // Another column count: the error names both files and both counts.
        const QString narrow = m_dir.filePath("tr7.csv");
        QCOMPARE(run({"generate", "blobs", "--n", "20", "--d", "7", "--out", narrow}).code, 0);
        const QString model = m_dir.filePath("tr_umap.lsmap");
        r = run({"transform", narrow, "--model", model, "--out", m_dir.filePath("bad.csv")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("has 8 columns") && r.err.contains("has 7") && r.err.contains("tr7.csv") &&
                     r.err.contains("tr_umap.lsmap"),
                 r.err.constData());
        // An autoencoder model: transform is encode.
        const QString ae = m_dir.filePath("tr.lsae");
        r = run({"reduce", data, "--method", "autoencoder", "--dims", "2", "--hidden", "8", "--epochs", "1",
                 "--out", m_dir.filePath("tr_ae.csv"), "--save-model", ae});
        QCOMPARE(r.code, 0);
        r = run({"transform", data, "--model", ae, "--out", m_dir.filePath("tr_ae2.csv"), "--json"});
        QCOMPARE(r.code, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out).object()["method"].toString(), QString("autoencoder"));
        QCOMPARE(contents(m_dir.filePath("tr_ae2.csv")), contents(m_dir.filePath("tr_ae.csv")));
    }

    /// Rows of a CSV of numbers (the header line skipped when `header`), first `cols` fields each.
    std::vector<std::vector<double>> numbers(const QString& path, bool header, int cols) {
        std::vector<std::vector<double>> rows;
        const QList<QByteArray> lines = contents(path).split('\n');
        for (qsizetype i = header ? 1 : 0; i < lines.size(); ++i) {
            if (lines[i].trimmed().isEmpty()) continue;
            const QList<QByteArray> fields = lines[i].split(',');
            std::vector<double> row;
            for (int j = 0; j < cols && j < fields.size(); ++j) row.push_back(fields[j].toDouble());
            rows.push_back(row);
        }
        return rows;
    }

    void pcaTransformMatchesScikitLearn_data() {
        QTest::addColumn<QStringList>("flags");
        QTest::addColumn<QString>("golden");
        QTest::newRow("plain") << QStringList{} << "plain";
        QTest::newRow("whiten") << QStringList{"--whiten"} << "whiten";
        QTest::newRow("scale") << QStringList{"--scale"} << "scaled";
    }
    void pcaTransformMatchesScikitLearn() {
        // Golden: scikit-learn's PCA(3).transform of 40 held-out rows (make_pca_transform_goldens.py).
        QFETCH(QStringList, flags);
        QFETCH(QString, golden);
        const QString dir = QStringLiteral(LATENTSCAPE_TEST_DATA) + "/reduce/";
        const QString fit = dir + "pca_transform_fit.npy", fresh = dir + "pca_transform_new.npy";
        const QString model = m_dir.filePath("pca_" + golden + ".lsmap");
        const QString scores = m_dir.filePath("pca_fit_" + golden + ".csv");
        Result r = run(QStringList{"reduce", fit, "--method", "pca", "--dims", "3", "--out", scores, "--save-model",
                                   model} + flags);
        QVERIFY2(r.code == 0, r.err.constData());
        const QString placed = m_dir.filePath("pca_new_" + golden + ".csv");
        r = run({"transform", fresh, "--model", model, "--out", placed, "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o["method"].toString(), QString("pca"));
        QCOMPARE(o["rows"].toInt(), 40);
        QCOMPARE(o["dims"].toInt(), 3);
        QCOMPARE(o["whiten"].toBool(), golden == "whiten");
        QVERIFY(contents(placed).startsWith("PC1,PC2,PC3\n"));
        const auto ours = numbers(placed, true, 3);
        const auto want = numbers(dir + "pca_transform_" + golden + ".csv", false, 3);
        QCOMPARE(ours.size(), std::size_t(40));
        QCOMPARE(want.size(), std::size_t(40));
        for (int j = 0; j < 3; ++j) {
            // Components are defined up to sign: take scikit-learn's sign from the agreement.
            double dot = 0, scale = 0;
            for (std::size_t i = 0; i < ours.size(); ++i) {
                dot += ours[i][std::size_t(j)] * want[i][std::size_t(j)];
                scale = std::max(scale, std::abs(want[i][std::size_t(j)]));
            }
            const double sign = dot < 0 ? -1.0 : 1.0;
            for (std::size_t i = 0; i < ours.size(); ++i)
                QVERIFY2(std::abs(ours[i][std::size_t(j)] - sign * want[i][std::size_t(j)]) <= 1e-6 * (1 + scale),
                         qPrintable(QString("row %1, PC%2: %3 vs scikit-learn %4")
                                        .arg(i).arg(j + 1).arg(ours[i][std::size_t(j)]).arg(want[i][std::size_t(j)])));
        }
        // The fitted rows projected with the saved model are the fit's own scores.
        const QString again = m_dir.filePath("pca_again_" + golden + ".csv");
        QCOMPARE(run({"transform", fit, "--model", model, "--out", again}).code, 0);
        const auto a = numbers(again, true, 3), b = numbers(scores, true, 3);
        QCOMPARE(a.size(), b.size());
        for (std::size_t i = 0; i < a.size(); ++i)
            for (int j = 0; j < 3; ++j)
                QVERIFY(std::abs(a[i][std::size_t(j)] - b[i][std::size_t(j)]) <= 1e-4 * (1 + std::abs(b[i][std::size_t(j)])));
    }

    void pcaTransformOtherColumnCount() {
        const QString dir = QStringLiteral(LATENTSCAPE_TEST_DATA) + "/reduce/";
        const QString model = m_dir.filePath("pca_cols.lsmap");
        QCOMPARE(run({"reduce", dir + "pca_transform_fit.npy", "--method", "pca", "--dims", "2", "--out",
                      m_dir.filePath("pca_cols.csv"), "--save-model", model})
                     .code,
                 0);
        const QString five = m_dir.filePath("five.csv");
        QCOMPARE(run({"generate", "blobs", "--n", "20", "--d", "5", "--out", five}).code, 0);
        const Result r = run({"transform", five, "--model", model, "--out", m_dir.filePath("pca_bad.csv")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("has 6 columns") && r.err.contains("has 5") && r.err.contains("five.csv") &&
                     r.err.contains("pca_cols.lsmap"),
                 r.err.constData());
        // A damaged model is refused, naming the file.
        QFile f(model);
        QVERIFY(f.open(QIODevice::ReadWrite));
        f.resize(f.size() - 8);
        f.close();
        const Result cut = run({"transform", five, "--model", model, "--out", m_dir.filePath("pca_bad.csv")});
        QCOMPARE(cut.code, 2);
        QVERIFY2(cut.err.contains("pca_cols.lsmap") && cut.err.contains("truncated"), cut.err.constData());
    }

    void reduceMetricsReuseTheRunsGraph() {
        // reduce --metrics K: the same values as 'metrics' on the written embedding; UMAP's exact
        // graph on the file's own columns stands in for the metrics' search, not otherwise.
        const QString data = m_dir.filePath("rm.csv");
        QCOMPARE(run({"generate", "blobs", "--n", "400", "--d", "12", "--k", "4", "--seed", "2", "--out", data}).code, 0);
        const QString emb = m_dir.filePath("rm_umap.npy");
        Result r = run({"reduce", data, "--method", "umap", "--epochs", "60", "--metrics", "10", "--out", emb, "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject m = QJsonDocument::fromJson(r.out).object()["metrics"].toObject();
        QCOMPARE(m["graph"].toString(), QString("reused"));
        QCOMPARE(m["k"].toInt(), 10);
        r = run({"metrics", "--data", data, "--embedding", emb, "--k", "10", "--json"});
        QCOMPARE(r.code, 0);
        const QJsonObject plain = QJsonDocument::fromJson(r.out).object();
        for (const char* key : {"trustworthiness", "continuity", "knn_recall", "knn_accuracy"})
            QCOMPARE(m[key].toObject()["value"].toDouble(), plain[key].toObject()["value"].toDouble());
        // Not reused: approximate neighbours; a graph found after PCA (d > 50); k above the 14 of
        // UMAP's graph (n_neighbors 15 counts the point itself).
        r = run({"reduce", data, "--method", "umap", "--epochs", "20", "--neighbors", "approximate", "--metrics", "10",
                 "--out", emb, "--json"});
        QCOMPARE(QJsonDocument::fromJson(r.out).object()["metrics"].toObject()["graph"].toString(),
                 QString("not reused: approximate"));
        r = run({"reduce", data, "--method", "umap", "--epochs", "20", "--metrics", "20", "--out", emb, "--json"});
        QCOMPARE(QJsonDocument::fromJson(r.out).object()["metrics"].toObject()["graph"].toString(),
                 QString("not reused: k 14 < 20"));
        const QString wide = m_dir.filePath("rm60.csv");
        QCOMPARE(run({"generate", "blobs", "--n", "300", "--d", "60", "--k", "3", "--out", wide}).code, 0);
        r = run({"reduce", wide, "--method", "umap", "--epochs", "20", "--metrics", "10", "--out", emb, "--json"});
        QCOMPARE(QJsonDocument::fromJson(r.out).object()["metrics"].toObject()["graph"].toString(),
                 QString("not reused: found after PCA"));
        // PCA and t-SNE: computed without a graph; the text form names it.
        r = run({"reduce", data, "--method", "pca", "--metrics", "10", "--out", emb});
        QVERIFY2(r.code == 0 && r.out.contains("trustworthiness") && r.out.contains("run's graph none"), r.out.constData());
        QCOMPARE(run({"reduce", data, "--method", "pca", "--metrics", "0", "--out", emb}).code, 2);
    }

    void autoencoderErrors() {
        const QString data = m_dir.filePath("aee.csv");
        Result r = run({"generate", "blobs", "--n", "200", "--d", "6", "--k", "2", "--seed", "7", "--out", data});
        QCOMPARE(r.code, 0);
        const QStringList base = {"reduce", data, "--method", "autoencoder", "--epochs", "1", "--hidden", "8"};
        const QString out = m_dir.filePath("aee_codes.csv");

        r = run({"reduce", data, "--method", "autoencoder", "--hidden", "512,,0", "--out", out});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--hidden '512,,0': layer 2 is empty"), r.err.constData());
        r = run({"reduce", data, "--method", "autoencoder", "--hidden", "512,0", "--out", out});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("layer 2 has 0 units"), r.err.constData());
        r = run(base + QStringList{"--activation", "swish", "--out", out});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--activation") && r.err.contains("swish"), r.err.constData());
        r = run(base + QStringList{"--loss", "huber", "--out", out});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--loss") && r.err.contains("huber"), r.err.constData());
        r = run(base + QStringList{"--beta", "2", "--out", out});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--beta applies to --method vae only"), r.err.constData());
        r = run(base + QStringList{"--save-model", m_dir.filePath("no-such-dir/m.lsae"), "--out", out});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("does not exist"), r.err.constData());
        QVERIFY(!QFile::exists(out));  // refused before training
        // The core's own validation reaches the user as bad input, not a crash.
        r = run(base + QStringList{"--lr", "-1", "--out", out});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("-1"), r.err.constData());

        // A model to encode with, then broken copies of it.
        const QString model = m_dir.filePath("aee.lsae");
        r = run(base + QStringList{"--save-model", model, "--out", out});
        QCOMPARE(r.code, 0);
        const QByteArray bytes = contents(model);
        QVERIFY(bytes.startsWith("LSCAPEAE"));
        const QString enc = m_dir.filePath("aee_encoded.csv");
        const QString garbage = file("garbage.lsae", "this is not a model, just some text\n");
        r = run({"encode", data, "--model", garbage, "--out", enc});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("garbage.lsae"), r.err.constData());
        const QString truncated = file("truncated.lsae", bytes.left(bytes.size() / 2));
        r = run({"encode", data, "--model", truncated, "--out", enc});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("truncated.lsae") && r.err.contains("truncated"), r.err.constData());
        r = run({"encode", data, "--model", m_dir.filePath("absent.lsae"), "--out", enc});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("absent.lsae"), r.err.constData());
        // Rows with another number of columns than the model takes.
        const QString wide = m_dir.filePath("aee_wide.csv");
        r = run({"generate", "blobs", "--n", "50", "--d", "9", "--k", "2", "--out", wide});
        QCOMPARE(r.code, 0);
        r = run({"encode", wide, "--model", model, "--out", enc});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("has 9 feature columns but the model") && r.err.contains("takes 6"), r.err.constData());
        QVERIFY(!QFile::exists(enc));
        r = run({"encode", data, "--out", enc});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--model is required"), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TstCliReduce)
#include "tst_cli_reduce.moc"
