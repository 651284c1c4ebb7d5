// latentscape-cli as a user (or a script) drives it: help, exit codes, JSON on stdout, errors on
// stderr, bounded memory and sizes, inputs that are not regular files, convert and generate.
// The reduce pipelines are in tst_cli_reduce.
#include "cli_fixture.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

class TstCli : public QObject, protected CliFixture {
    Q_OBJECT

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
        QTest::newRow("encode") << QStringList{"encode", "--help"};
        QTest::newRow("transform") << QStringList{"transform", "--help"};
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

    // Bytes from files and paths reach the output safely (issue 16): --json stays valid JSON with a
    // quote, a backslash, invalid UTF-8 or an escape sequence in a name or a path, and messages
    // show control bytes as "\x1b" / "\x00" instead of writing them (an ANSI escape recoloured the
    // terminal, a NUL cut the message short).
    void hostileBytesReachTheOutputSafely() {
        const QByteArray header = QByteArray("\"a\"\"q\",b\\x,") + QByteArray("\xff\xfe", 2) + ",\x1b[31mred\n";
        const QString csv = file("hostile.csv", header + "1,2,3,4\n5,6,7,8\n");
        Result r = run({"info", csv, "--json"});
        QCOMPARE(r.code, 0);
        QJsonParseError pe;
        const QJsonObject o = QJsonDocument::fromJson(r.out, &pe).object();
        QVERIFY2(pe.error == QJsonParseError::NoError, qPrintable(pe.errorString() + ": " + r.out));
        QCOMPARE(o["features"].toInt(), 4);
        const QJsonArray names = o["feature_names"].toArray();
        QCOMPARE(names.size(), 4);
        QCOMPARE(names[0].toString(), QString("a\"q"));
        QCOMPARE(names[1].toString(), QString("b\\x"));
        QCOMPARE(names[2].toString(), QString(QChar(0xFFFD)) + QChar(0xFFFD));  // invalid UTF-8, replaced
        QCOMPARE(names[3].toString(), QString("\x1b[31mred"));                 // escaped by JSON, kept

        r = run({"info", csv});  // the text summary: no raw escape byte reaches the terminal
        QCOMPARE(r.code, 0);
        QVERIFY2(!r.out.contains('\x1b'), r.out.constData());
        QVERIFY2(r.out.contains("\\x1b[31mred"), r.out.constData());

        // A bad cell with an escape sequence in it: the message shows it, not the terminal. (A NUL
        // makes the file binary, refused by its offset; tst_text_output checks NULs in messages.)
        const QString bad = file("hostile-cell.csv", "x,y\n1,2\n3,\x1b[2Jz\n");
        r = run({"info", bad});
        QCOMPARE(r.code, 2);
        QVERIFY2(!r.err.contains('\x1b'), r.err.constData());
        QVERIFY2(r.err.contains("hostile-cell.csv:3:"), r.err.constData());
        QVERIFY2(r.err.contains("'\\x1b[2Jz'"), r.err.constData());

        // render --json printed the paths unescaped: a quote in the session's name broke it.
        const Result help = run({"render", "--help"});
        if (help.code != 0) QSKIP("this build has no render command (LATENTSCAPE_BUILD_GUI=OFF)");
        const QString data = file("plain-for-render.csv", "a,b\n1,2\n3,5\n4,4\n");
        const QString sess = session("say \"cheese\".latentscape", data);
        const QString png = m_dir.filePath("back\\slash \"q\".png");
        r = run({"render", sess, "--out", png, "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject ro = QJsonDocument::fromJson(r.out, &pe).object();
        QVERIFY2(pe.error == QJsonParseError::NoError, qPrintable(pe.errorString() + ": " + r.out));
        QCOMPARE(ro["session"].toString(), sess);
        QCOMPARE(ro["output"].toString(), png);
        QCOMPARE(ro["points"].toInt(), 3);
    }

    // One memory budget (issue 16): --memory-limit or LATENTSCAPE_MEMORY_LIMIT caps what a reader
    // may allocate for declared and inflated sizes, refused before allocating, with the limit named.
    void memoryLimitIsEnforcedBeforeAllocating() {
        // A file of short lines: the records list is many times the text (24 bytes per 2-byte line).
        const QString lines = file("short-lines.csv", QByteArray("x\n") + QByteArray("1\n").repeated(200000));
        Result r = run({"info", lines});
        QVERIFY2(r.code == 0, r.err.constData());
        r = run({"info", lines, "--memory-limit", "1M"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("short-lines.csv: ") && r.err.contains("more than the memory limit of 1.0 MiB"), r.err.constData());
        QVERIFY(r.out.isEmpty());
        // The environment variable does the same for every program (the app too).
        {
            QProcess p;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert("LATENTSCAPE_MEMORY_LIMIT", "1MiB");
            p.setProcessEnvironment(env);
            p.start(QStringLiteral(LATENTSCAPE_CLI), {"info", lines});
            QVERIFY(p.waitForFinished(60000));
            QCOMPARE(p.exitCode(), 2);
            QVERIFY2(p.readAllStandardError().contains("memory limit of 1.0 MiB"), "LATENTSCAPE_MEMORY_LIMIT not applied");
        }
        // A declared size: an NPY header of 1000 x 1000 float32 (3.8 MiB of features).
        QByteArray npy("\x93NUMPY\x01\x00", 8);
        QByteArray header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1000, 1000), }";
        while ((10 + header.size() + 1) % 64) header += ' ';
        header += '\n';
        npy += char(header.size() & 0xff);
        npy += char(header.size() >> 8);
        npy += header + QByteArray(4000000, '\0');
        const QString big = file("zeros.npy", npy);
        r = run({"info", big, "--memory-limit", "2M"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("zeros.npy: the feature matrix needs 3.8 MiB, more than the memory limit of 2.0 MiB"),
                 r.err.constData());
        QCOMPARE(run({"info", big, "--memory-limit", "8M"}).code, 0);
        // Not a size: a usage error naming it.
        r = run({"info", lines, "--memory-limit", "12x"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--memory-limit: memory limit '12x' is not a size"), r.err.constData());
    }

    // render: a session's view.size can say anything; the default figure is at most 8,000 pixels
    // a side, and a size beyond the budget is refused before drawing (it rendered at 3.4 GB).
    void renderSizeIsBounded() {
        const Result help = run({"render", "--help"});
        if (help.code != 0) QSKIP("this build has no render command (LATENTSCAPE_BUILD_GUI=OFF)");
        const QString data = file("plain-for-size.csv", "a,b\n1,2\n3,5\n4,4\n");
        const QString path = session("wide.latentscape", data);
        QJsonObject root = QJsonDocument::fromJson(contents(path)).object();
        QJsonObject view = root["view"].toObject();
        view["size"] = QJsonArray{9990, 10};
        root["view"] = view;
        file("wide.latentscape", QJsonDocument(root).toJson());
        Result r = run({"render", path, "--out", m_dir.filePath("wide.png"), "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o["width"].toInt(), 8000);  // 2 x 9990, scaled down to 8,000
        QCOMPARE(o["height"].toInt(), 8);
        r = run({"render", path, "--out", m_dir.filePath("huge.png"), "--width", "20000", "--height", "20000",
                 "--memory-limit", "100M"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("a 20000 x 20000 figure needs 2.98 GiB") || r.err.contains("a 20000 x 20000 figure needs 3.0 GiB"),
                 r.err.constData());
        QVERIFY(!QFileInfo::exists(m_dir.filePath("huge.png")));
    }

    // An AnnData file's obsm embeddings (the GUI's imported runs) are listed, with their columns.
    void infoListsH5adEmbeddings() {
        const QString h5ad = QStringLiteral(LATENTSCAPE_TEST_DATA "/h5ad/dense.h5ad");
        Result r = run({"info", h5ad, "--json"});
        QCOMPARE(r.code, 0);
        const QJsonArray embeddings = QJsonDocument::fromJson(r.out).object()["embeddings"].toArray();
        QCOMPARE(embeddings.size(), 2);
        QMap<QString, int> dims;
        for (const QJsonValue& e : embeddings) dims[e.toObject()["name"].toString()] = e.toObject()["dims"].toInt();
        QCOMPARE(dims.value("X_umap"), 2);
        QCOMPARE(dims.value("X_pca"), 3);
        r = run({"info", h5ad});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("Embeddings:") && r.out.contains("X_umap") && r.out.contains("2 columns") &&
                     r.out.contains("3 columns"),
                 r.out.constData());
        // A CSV has none.
        r = run({"info", file("e.csv", "a,b\n1,2\n3,4\n"), "--json"});
        QCOMPARE(r.code, 0);
        QVERIFY(QJsonDocument::fromJson(r.out).object()["embeddings"].toArray().isEmpty());
    }

    void exitCodes_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("stderrPiece");
        QTest::newRow("no command") << QStringList{} << 2 << "usage";
        QTest::newRow("unknown command") << QStringList{"frobnicate"} << 2 << "unknown command";
        QTest::newRow("unknown option") << QStringList{"info", "x.csv", "--bogus"} << 2 << "unknown option --bogus";
        QTest::newRow("unknown option, inline value") << QStringList{"info", "x.csv", "--bogus=3"} << 2 << "unknown option --bogus";
        QTest::newRow("option of another command") << QStringList{"info", "x.csv", "--perplexity", "5"} << 2 << "unknown option --perplexity";
        QTest::newRow("dataset option where no dataset is read") << QStringList{"generate", "blobs", "--label", "y"} << 2 << "unknown option --label";
        QTest::newRow("value missing") << QStringList{"cluster", "x.csv", "--k"} << 2 << "--k";
        QTest::newRow("missing file argument") << QStringList{"info"} << 2 << "missing FILE";
        QTest::newRow("file not found") << QStringList{"info", "/no/such/file.csv"} << 2 << "no such file";
        QTest::newRow("bad policy") << QStringList{"info", "x.csv", "--missing", "maybe"} << 2 << "--missing must be";
        QTest::newRow("convert without --out") << QStringList{"convert", "x.csv"} << 2 << "--out is required";
        QTest::newRow("bad output type, checked before loading") << QStringList{"convert", "/no/such.csv", "--out", "x.xlsx"} << 2 << "--out must end in";
        QTest::newRow("reduce: unknown method") << QStringList{"reduce", "x.csv", "--method", "isomap", "--out", "y.csv"} << 2 << "--method must be pca, tsne, umap, autoencoder, vae or gan";
        QTest::newRow("cluster: no k") << QStringList{"cluster", "x.csv", "--method", "kmeans", "--out", "y.csv"} << 2 << "--k is required";
        QTest::newRow("metrics: no embedding") << QStringList{"metrics", "--data", "x.csv"} << 2 << "--embedding are required";
        QTest::newRow("bad number") << QStringList{"generate", "blobs", "--out", "x.csv", "--n", "ten"} << 2 << "--n must be a number";
        QTest::newRow("bad skip-rows") << QStringList{"info", "x.csv", "--skip-rows", "-1"} << 2 << "--skip-rows must be";
        QTest::newRow("bad comment") << QStringList{"info", "x.csv", "--comment", "##"} << 2 << "--comment must be";
        QTest::newRow("bad preprocess") << QStringList{"reduce", "x.csv", "--preprocess", "zscore", "--out", "y.csv"} << 2 << "--preprocess must be";
        QTest::newRow("preprocess with a map") << QStringList{"reduce", "x.csv", "--preprocess", "minmax", "--save-model", "m.map", "--out", "y.csv"} << 2 << "not supported yet";
    }

    // Text layouts from the command line: a preamble skipped, whitespace delimiter, comments off.
    void textLayoutOptions() {
        const QString boston = QStringLiteral(LATENTSCAPE_TEST_DATA "/text/boston_house_prices.csv");
        Result r = run({"info", boston, "--json"});
        QCOMPARE(r.code, 2);  // the preamble read as data: a clear error
        QVERIFY2(r.err.contains("skip rows"), r.err.constData());
        r = run({"info", boston, "--json", "--skip-rows", "1"});
        QCOMPARE(r.code, 0);
        QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o["rows"].toInt(), 506);
        QCOMPARE(o["features"].toInt(), 14);
        const QString spaced = file("spaced.csv", "# x y\n1  2\n3\t4\n");
        r = run({"info", spaced, "--json", "--delimiter", "space"});
        QCOMPARE(r.code, 0);
        o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o["rows"].toInt(), 2);
        QCOMPARE(o["features"].toInt(), 2);
        r = run({"info", spaced, "--json", "--delimiter", "space", "--comment", "none"});
        QCOMPARE(r.code, 2);  // '#' is text in a numeric column now
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

    // A FIFO or a device given as any input is refused at once, naming it (issue 16): opening a
    // FIFO used to block until a writer came (encode --model, transform --model, render), and
    // render hashed /dev/zero without end.
    void nonRegularInputsAreRefusedAtOnce_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("named");
        QTest::addColumn<QString>("cause");
        const QString data = file("plain.csv", "a,b\n1,2\n3,5\n4,4\n");
        const QString out = m_dir.filePath("refused-out.csv");
        const QString fifoCause = "is a FIFO (named pipe), not a regular file";
        const QString deviceCause = "is a character device, not a regular file";
        for (const char* name : {"fifo.csv", "fifo.npy", "fifo.npz", "fifo.h5ad", "fifo-images-idx3-ubyte"})
            QTest::newRow(qPrintable(QStringLiteral("info %1").arg(name))) << QStringList{"info", fifo(name)} << fifo(name) << fifoCause;
        const QString zeroCsv = link("zero.csv", "/dev/zero");
        QTest::newRow("info /dev/zero") << QStringList{"info", zeroCsv} << zeroCsv << deviceCause;
        QTest::newRow("convert fifo") << QStringList{"convert", fifo("fifo.csv"), "--out", out} << fifo("fifo.csv") << fifoCause;
        QTest::newRow("encode --model fifo") << QStringList{"encode", data, "--model", fifo("fifo.lsae"), "--out", out}
                                             << fifo("fifo.lsae") << fifoCause;
        QTest::newRow("encode --model /dev/zero") << QStringList{"encode", data, "--model", "/dev/zero", "--out", out}
                                                  << "/dev/zero" << deviceCause;
        QTest::newRow("transform --model fifo") << QStringList{"transform", data, "--model", fifo("fifo.lsmap"), "--out", out}
                                                << fifo("fifo.lsmap") << fifoCause;
        QTest::newRow("transform --model /dev/zero") << QStringList{"transform", data, "--model", "/dev/zero", "--out", out}
                                                     << "/dev/zero" << deviceCause;
        const QString png = m_dir.filePath("refused.png");
        QTest::newRow("render fifo session") << QStringList{"render", fifo("fifo.latentscape"), "--out", png}
                                             << fifo("fifo.latentscape") << fifoCause;
        QTest::newRow("render /dev/zero session") << QStringList{"render", "/dev/zero", "--out", png} << "/dev/zero" << deviceCause;
        const QString good = session("good.latentscape", data);
        QTest::newRow("render --data fifo") << QStringList{"render", good, "--data", fifo("fifo.csv"), "--out", png}
                                            << fifo("fifo.csv") << fifoCause;
        QTest::newRow("render --data /dev/zero") << QStringList{"render", good, "--data", "/dev/zero", "--out", png}
                                                 << "/dev/zero" << deviceCause;
        const QString zeroData = session("zero-data.latentscape", "/dev/zero");
        QTest::newRow("render, dataset /dev/zero") << QStringList{"render", zeroData, "--out", png} << "/dev/zero" << deviceCause;
        fifo("good.latentscape.000000000000.embedding.npy");
        const QString sidecar = session("sidecar.latentscape", data, "good.latentscape.000000000000.embedding.npy");
        QTest::newRow("render, sidecar fifo") << QStringList{"render", sidecar, "--out", png}
                                              << m_dir.filePath("good.latentscape.000000000000.embedding.npy") << fifoCause;
    }
    void nonRegularInputsAreRefusedAtOnce() {
        QFETCH(QStringList, args);
        QFETCH(QString, named);
        QFETCH(QString, cause);
        if (args.front() == "render") {
            const Result help = run({"render", "--help"});
            if (help.code != 0) QSKIP("this build has no render command (LATENTSCAPE_BUILD_GUI=OFF)");
            // The session itself is good: with the real dataset it renders.
            const Result ok = run({"render", m_dir.filePath("good.latentscape"), "--out", m_dir.filePath("good.png")});
            QVERIFY2(ok.code == 0, ok.err.constData());
        }
        const std::optional<Result> r = runWithin(args, 20000);
        QVERIFY2(r, "latentscape-cli hung");
        QCOMPARE(r->code, 2);
        QVERIFY2(r->err.contains((named + ": " + cause).toUtf8()), r->err.constData());
    }

    // A convert killed while writing leaves ".OUT.tmp-<pid>-<n>" behind; the next write of the
    // same target removes it (its process is gone) and keeps a live process's.
    void convertRemovesStaleTemporaries() {
        QTemporaryDir dir;
        const pid_t child = ::fork();
        if (child == 0) ::_exit(0);
        QVERIFY(child > 0);
        QCOMPARE(::waitpid(child, nullptr, 0), child);
        const QString stale = dir.filePath(QStringLiteral(".out.npy.tmp-%1-42").arg(child));
        const QString live = dir.filePath(QStringLiteral(".out.npy.tmp-%1-43").arg(::getpid()));
        for (const QString& path : {stale, live}) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("half an npy");
        }
        const QString csv = file("stale-in.csv", "a,b\n1,2\n3,4\n");
        const Result r = run({"convert", csv, "--out", dir.filePath("out.npy")});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(!QFileInfo::exists(stale));
        QVERIFY(QFileInfo::exists(live));
        QVERIFY(QFileInfo::exists(dir.filePath("out.npy")));
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
