// latentscape-bench all and app/bench/results_tables.py: one benchmark run in a fresh process,
// gathered into the results file, turned into the README's table (printed, and rewritten between
// the README's markers), and refusals of unknown benchmarks.
#include <QtTest>

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

class TstBench : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    struct Result {
        int code;
        QByteArray out, err;
    };
    static Result run(const QString& program, const QStringList& args) {
        QProcess p;
        p.start(program, args);
        if (!p.waitForFinished(300000)) qFatal("%s hung", qPrintable(program));
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
                p.readAllStandardError()};
    }
    static Result bench(const QStringList& args) { return run(QStringLiteral(LATENTSCAPE_BENCH), args); }
    static Result tables(const QStringList& args) {
        return run(QStringLiteral("/usr/bin/python3"), QStringList{QStringLiteral(LATENTSCAPE_RESULTS_TABLES)} + args);
    }

private slots:
    void allWritesOneResultsFileAndTheTable() {
        const QString results = m_dir.filePath(QStringLiteral("results.json"));
        const Result r = bench({QStringLiteral("all"), QStringLiteral("--cases"), QStringLiteral("lasso"),
                                QStringLiteral("--no-reference"), QStringLiteral("--repeat"), QStringLiteral("1"),
                                QStringLiteral("--dir"), m_dir.path(), QStringLiteral("--out"), results});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(r.out.contains("wrote"));
        QFile f(results);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject root = QJsonDocument::fromJson(f.readAll()).object();
        QVERIFY(root.value(QStringLiteral("machine")).toObject().value(QStringLiteral("threads")).toInt() >= 1);
        QCOMPARE(root.value(QStringLiteral("repeat")).toInt(), 1);
        const QJsonObject lasso = root.value(QStringLiteral("benchmarks")).toObject().value(QStringLiteral("lasso")).toObject();
        QCOMPARE(lasso.value(QStringLiteral("n")).toInt(), 1000000);
        QVERIFY(lasso.value(QStringLiteral("selected_2d")).toInt() > 0);
        // The timing is a real one: positive, and within the case's wall time; without references,
        // no matplotlib figure (-1) and no ratio.
        const double seconds = lasso.value(QStringLiteral("latentscape_2d_s")).toDouble();
        const double wall = root.value(QStringLiteral("wall_seconds")).toObject().value(QStringLiteral("lasso")).toDouble();
        QVERIFY2(seconds > 0 && seconds <= wall, qPrintable(QString("2-D lasso %1 s, case wall time %2 s").arg(seconds).arg(wall)));
        QCOMPARE(lasso.value(QStringLiteral("matplotlib_s")).toDouble(), -1.0);
        QCOMPARE(lasso.value(QStringLiteral("speedup_2d")).toDouble(), -1.0);
        if (!QFileInfo::exists(QStringLiteral("/usr/bin/python3"))) QSKIP("no /usr/bin/python3 for the table script");

        const Result t = tables({results});
        QVERIFY2(t.code == 0, t.err.constData());
        QVERIFY2(t.out.contains("| lasso, 1,000,000 points |"), t.out.constData());
        QVERIFY(t.out.contains("| case | Latentscape | reference | ratio | quality |"));

        // Between the markers, and only there.
        const QString readme = m_dir.filePath(QStringLiteral("README.md"));
        QFile out(readme);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write("before\n<!-- bench-results:begin -->\nold table\n<!-- bench-results:end -->\nafter\n");
        out.close();
        const Result w = tables({results, QStringLiteral("--readme"), readme});
        QVERIFY2(w.code == 0, w.err.constData());
        QVERIFY(out.open(QIODevice::ReadOnly));
        const QByteArray text = out.readAll();
        QVERIFY(text.startsWith("before\n<!-- bench-results:begin -->\n"));
        QVERIFY(text.endsWith("<!-- bench-results:end -->\nafter\n"));
        QVERIFY(!text.contains("old table"));
        QVERIFY(text.contains("| lasso, 1,000,000 points |"));
    }

    void unknownBenchmarksAreRefused() {
        Result r = bench({QStringLiteral("all"), QStringLiteral("--cases"), QStringLiteral("lasso,nosuch")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("nosuch"), r.err.constData());
        r = bench({QStringLiteral("nosuch")});
        QCOMPARE(r.code, 2);
    }
};

QTEST_GUILESS_MAIN(TstBench)
#include "tst_bench.moc"
