// latentscape-cli as a user (or a script) drives it: exit codes, JSON on stdout, errors on stderr.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

class TstCli : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    struct Result {
        int code;
        QByteArray out, err;
    };
    Result run(const QStringList& args) {
        QProcess p;
        p.start(QStringLiteral(LATENTSCAPE_CLI), args);
        if (!p.waitForFinished(60000)) qFatal("latentscape-cli hung");
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
                p.readAllStandardError()};
    }
    QString file(const QString& name, const QByteArray& bytes) {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        f.open(QIODevice::WriteOnly);
        f.write(bytes);
        return path;
    }

private slots:
    void helpForEveryCommand_data() {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("top") << QStringList{"--help"};
        QTest::newRow("info") << QStringList{"info", "--help"};
        QTest::newRow("convert") << QStringList{"convert", "--help"};
        QTest::newRow("generate") << QStringList{"generate", "-h"};
        QTest::newRow("reduce") << QStringList{"reduce", "--help"};
        QTest::newRow("cluster") << QStringList{"cluster", "--help"};
        QTest::newRow("metrics") << QStringList{"metrics", "--help"};
    }
    void helpForEveryCommand() {
        QFETCH(QStringList, args);
        const Result r = run(args);
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.startsWith("usage: latentscape-cli"));
    }

    void infoJson() {
        const QString csv = file("d.csv", "a,b,label\n1,2,cat\n3,4,dog\n5,,cat\n");
        Result r = run({"info", csv, "--json", "--missing", "mean"});
        QCOMPARE(r.code, 0);
        QJsonParseError pe;
        const QJsonObject o = QJsonDocument::fromJson(r.out, &pe).object();
        QCOMPARE(pe.error, QJsonParseError::NoError);
        QCOMPARE(o["rows"].toInt(), 3);
        QCOMPARE(o["features"].toInt(), 2);
        QCOMPARE(o["label"].toString(), QString("label"));
        QCOMPARE(o["format"].toString(), QString("csv"));
        QCOMPARE(o["missing"].toObject()["cells_imputed"].toInt(), 1);
        const QJsonArray meta = o["metadata"].toArray();
        QCOMPARE(meta.size(), 1);
        QCOMPARE(meta[0].toObject()["kind"].toString(), QString("categorical"));
        QCOMPARE(meta[0].toObject()["categories"].toArray().size(), 2);

        // Without a policy the missing cell is an error naming file and line, exit code 2.
        r = run({"info", csv});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("d.csv:4:"), r.err.constData());
        QVERIFY(r.out.isEmpty());
    }

    void exitCodes_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("stderrPiece");
        QTest::newRow("no command") << QStringList{} << 2 << "usage";
        QTest::newRow("unknown command") << QStringList{"frobnicate"} << 2 << "unknown command";
        QTest::newRow("unknown option") << QStringList{"info", "x.csv", "--bogus"} << 2 << "unknown option --bogus";
        QTest::newRow("missing file argument") << QStringList{"info"} << 2 << "missing FILE";
        QTest::newRow("file not found") << QStringList{"info", "/no/such/file.csv"} << 2 << "no such file";
        QTest::newRow("bad policy") << QStringList{"info", "x.csv", "--missing", "maybe"} << 2 << "--missing must be";
        QTest::newRow("convert without --out") << QStringList{"convert", "x.csv"} << 2 << "--out is required";
        QTest::newRow("bad output type, checked before loading") << QStringList{"convert", "/no/such.csv", "--out", "x.xlsx"} << 2 << "--out must end in";
        QTest::newRow("reduce: unknown method") << QStringList{"reduce", "x.csv", "--method", "umap", "--out", "y.csv"} << 2 << "--method must be pca or tsne";
        QTest::newRow("cluster: no k") << QStringList{"cluster", "x.csv", "--method", "kmeans", "--out", "y.csv"} << 2 << "--k is required";
        QTest::newRow("metrics: no embedding") << QStringList{"metrics", "--data", "x.csv"} << 2 << "--embedding are required";
        QTest::newRow("bad number") << QStringList{"generate", "blobs", "--out", "x.csv", "--n", "ten"} << 2 << "--n must be a number";
    }
    void exitCodes() {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, stderrPiece);
        const Result r = run(args);
        QCOMPARE(r.code, code);
        QVERIFY2(r.err.contains(stderrPiece.toUtf8()), r.err.constData());
    }

    void raggedCsvIsBadInput() {
        const QString csv = file("ragged.csv", "a,b\n1,2\n3\n");
        const Result r = run({"info", csv, "--json"});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("ragged.csv:3: ragged row"));
        QVERIFY(r.out.isEmpty());
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

    void generateThenConvertRoundTrip() {
        const QString csv = m_dir.filePath("blobs.csv");
        Result r = run({"generate", "blobs", "--n", "200", "--d", "4", "--k", "3", "--seed", "5", "--out", csv, "--json"});
        QCOMPARE(r.code, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out).object()["rows"].toInt(), 200);
        const QString npz = m_dir.filePath("blobs.npz");
        r = run({"convert", csv, "--out", npz});
        QCOMPARE(r.code, 0);
        const QString back = m_dir.filePath("back.csv");
        r = run({"convert", npz, "--out", back});
        QCOMPARE(r.code, 0);
        r = run({"info", back, "--json"});
        QCOMPARE(r.code, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o["rows"].toInt(), 200);
        QCOMPARE(o["features"].toInt(), 4);
        QVERIFY(!o["label"].isNull());
        // Text categories cannot live in an .npz: the user is told where they are kept.
        const QString named = file("named.csv", "a,b,kind\n1,2,cat\n3,4,dog\n5,6,cat\n");
        r = run({"convert", named, "--out", m_dir.filePath("named.npz")});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.err.contains("category names are kept only in .csv"), r.err.constData());
        // Converting to an unwritable place fails cleanly and leaves nothing behind.
        r = run({"convert", csv, "--out", m_dir.filePath("missing-dir/out.csv")});
        QCOMPARE(r.code, 2);
        QVERIFY(!QFile::exists(m_dir.filePath("missing-dir/out.csv")));
    }
};

QTEST_GUILESS_MAIN(TstCli)
#include "tst_cli.moc"
