// Embedding and label export (data/export.h): CSV and NPY round trips through the project's own
// loaders, selection-only exports, metadata that needs quoting, the NPY sidecar, and atomicity
// (an unwritable path or a write that fails half-way leaves what was there before).
#include "common/error.h"
#include "common/file_io.h"
#include "data/export.h"
#include "data/load.h"
#include "data/text_table.h"

#include <QtTest>

#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>

#include <csignal>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace latentscape;
using namespace latentscape::data;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void spit(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
}

/// Names of the entries of a folder (hidden temporaries included).
QStringList entries(const QString& dir) {
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDir::Name);
}

/// A dataset whose metadata needs care: quotes, commas, a line break, a missing number, ids, a
/// cluster column and a groups column.
Dataset awkward() {
    Dataset ds;
    ds.n = 6;
    ds.d = 2;
    ds.features = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    ds.feature_names = {"f0", "f1"};
    ds.metadata.push_back(MetadataColumn::text("note", {"plain", "a, b", "say \"hi\"", "two\nlines", "", "x"}));
    ds.metadata.push_back(MetadataColumn::categorical("species", {0, 1, 2, 0, -1, 1},
                                                      {"setosa, wild", "versi\"color\"", "virginica"}));
    ds.label_column = 1;
    ds.metadata.push_back(MetadataColumn::numeric("weight", {1.5, 0.0, -2.0, 1e-7, 3.0, 4.25}));
    ds.metadata.push_back(MetadataColumn::categorical("cluster", {0, 0, 1, 1, 2, 2}, {"0", "1", "2"}));
    ds.metadata.push_back(MetadataColumn::categorical("groups", {-1, 0, 0, -1, 1, 1}, {"left arm", "right, arm"}));
    ds.row_ids = {"r0", "r1", "r2", "r3", "r4", "r5"};
    ds.check_consistent();
    return ds;
}

/// Floats that are hard to print: tiny, huge, subnormal, not representable in fewer than 9 digits.
std::vector<float> awkwardEmbedding(std::int64_t n, int dims) {
    const float special[] = {0.1f, -1e-30f, 3.4028235e38f, 1.4e-45f, 16777216.0f, 1.0f / 3.0f,
                             -123456.789f, 2.7182817f, 1e-7f, 0.0f, -5.5f, 6.02214076e23f};
    std::vector<float> y(std::size_t(n) * std::size_t(dims));
    std::mt19937 rng(11);
    std::uniform_real_distribution<float> u(-50.0f, 50.0f);
    for (std::size_t i = 0; i < y.size(); ++i) y[i] = i < std::size(special) ? special[i] : u(rng) * std::pow(10.0f, float(i % 7) - 3.0f);
    return y;
}

/// The loaded column `name`: metadata as text, or a feature printed as %.9g ("" if absent).
std::vector<std::string> columnText(const Dataset& ds, const std::string& name) {
    std::vector<std::string> out;
    if (const auto m = ds.find_metadata(name)) {
        for (std::int64_t i = 0; i < ds.n; ++i) out.push_back(ds.metadata[*m].value_string(std::size_t(i)));
        return out;
    }
    for (std::int64_t j = 0; j < ds.d; ++j)
        if (ds.feature_names[std::size_t(j)] == name) {
            for (std::int64_t i = 0; i < ds.n; ++i) {
                char buf[32];
                std::snprintf(buf, sizeof buf, "%.9g", double(ds.at(i, j)));
                out.push_back(buf);
            }
            return out;
        }
    return out;
}

std::vector<float> featureColumn(const Dataset& ds, const std::string& name) {
    for (std::int64_t j = 0; j < ds.d; ++j)
        if (ds.feature_names[std::size_t(j)] == name) {
            std::vector<float> out;
            for (std::int64_t i = 0; i < ds.n; ++i) out.push_back(ds.at(i, j));
            return out;
        }
    return {};
}

/// Restores the file size limit on scope exit.
struct FileSizeLimit {
    rlimit old{};
    explicit FileSizeLimit(rlim_t bytes) {
        std::signal(SIGXFSZ, SIG_IGN);  // a write past the limit fails with EFBIG instead of killing us
        getrlimit(RLIMIT_FSIZE, &old);
        rlimit now = old;
        now.rlim_cur = bytes;
        setrlimit(RLIMIT_FSIZE, &now);
    }
    ~FileSizeLimit() { setrlimit(RLIMIT_FSIZE, &old); }
};

}  // namespace

class TstExport : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::string path(const QString& name) const { return m_dir.filePath(name).toStdString(); }

private slots:
    // CSV: every row, its id, index, label, metadata, selection flag and coordinates come back.
    void csvRoundTrip() {
        const Dataset ds = awkward();
        const std::vector<float> y = awkwardEmbedding(ds.n, 2);
        EmbeddingExportOptions o;
        o.method = "tSNE";
        o.selection = select::Selection::from_ids({1, 4}, ds.n);
        const std::string file = path("all.csv");
        const auto written = export_embedding(ds, y, 2, file, o);
        QCOMPARE(written, std::vector<std::string>{file});

        const Dataset back = load(file);
        QCOMPARE(back.n, ds.n);
        // Header order: id, index, the label, the other metadata, selected, the coordinates.
        const std::string header = slurp(file).substr(0, slurp(file).find('\n'));
        QCOMPARE(header, std::string("id,index,species,note,weight,cluster,groups,selected,tSNE1,tSNE2"));
        QCOMPARE(back.row_ids, ds.row_ids);
        QCOMPARE(columnText(back, "index"), (std::vector<std::string>{"0", "1", "2", "3", "4", "5"}));
        for (const char* name : {"note", "species", "cluster", "groups"}) {
            std::vector<std::string> expected;
            const MetadataColumn& m = ds.metadata[*ds.find_metadata(name)];
            for (std::int64_t i = 0; i < ds.n; ++i) expected.push_back(m.value_string(std::size_t(i)));
            QCOMPARE(columnText(back, name), expected);
        }
        // A numeric column is a feature to the loader (float32).
        QCOMPARE(featureColumn(back, "weight"), (std::vector<float>{1.5f, 0.0f, -2.0f, 1e-7f, 3.0f, 4.25f}));
        QCOMPARE(columnText(back, "selected"), (std::vector<std::string>{"0", "1", "0", "0", "1", "0"}));
        // The coordinates read back as the very same float32 values.
        const std::vector<float> t1 = featureColumn(back, "tSNE1"), t2 = featureColumn(back, "tSNE2");
        QCOMPARE(std::int64_t(t1.size()), ds.n);
        for (std::int64_t i = 0; i < ds.n; ++i) {
            QCOMPARE(t1[std::size_t(i)], y[std::size_t(2 * i)]);
            QCOMPARE(t2[std::size_t(i)], y[std::size_t(2 * i + 1)]);
        }
    }

    // A missing number is an empty cell (data::load then asks for a missing-value policy, as for
    // any numeric column with gaps).
    void missingNumbersAreEmpty() {
        Dataset ds = awkward();
        ds.metadata[*ds.find_metadata("weight")].numbers[1] = std::nan("");
        const std::string file = path("missing.csv");
        export_embedding(ds, awkwardEmbedding(ds.n, 2), 2, file, {});
        const internal::Table t = internal::read_table(file, std::nullopt, HeaderMode::Present);
        QCOMPARE(t.names[4], std::string("weight"));
        QCOMPARE(t.field(0, 4), std::string("1.5"));
        QCOMPARE(t.field(1, 4), std::string());
        QVERIFY_THROWS_EXCEPTION(MissingValuesError, load(file));
        LoadOptions o;
        o.missing = MissingPolicy::DropRows;
        QCOMPARE(load(file, o).n, ds.n - 1);
    }

    // Many rows of random floats: printed and read back exactly (to_chars' shortest form).
    void csvFloatsExact() {
        Dataset ds;
        ds.n = 5000;
        ds.d = 1;
        ds.features.assign(5000, 0.0f);
        ds.feature_names = {"f"};
        const std::vector<float> y = awkwardEmbedding(ds.n, 3);
        const std::string file = path("floats.csv");
        export_embedding(ds, y, 3, file, {});
        const Dataset back = load(file);
        QCOMPARE(back.feature_names, (std::vector<std::string>{"dim1", "dim2", "dim3"}));
        QCOMPARE(back.d, 3);
        std::int64_t differ = 0;
        for (std::size_t i = 0; i < y.size(); ++i) differ += back.features[i] != y[i];
        QCOMPARE(differ, 0);
    }

    // NPY: the coordinates bit for bit; the sidecar has the CSV's other columns, row for row.
    void npyRoundTripAndSidecar() {
        const Dataset ds = awkward();
        const std::vector<float> y = awkwardEmbedding(ds.n, 3);
        EmbeddingExportOptions o;
        o.method = "AE";
        o.selection = select::Selection::from_ids({0, 5}, ds.n);
        const std::string npy = path("emb.npy");
        const auto written = export_embedding(ds, y, 3, npy, o);
        QCOMPARE(written, (std::vector<std::string>{npy, path("emb.meta.csv")}));
        QCOMPARE(embedding_sidecar_path(npy), path("emb.meta.csv"));

        const Dataset back = load(npy);
        QCOMPARE(back.n, ds.n);
        QCOMPARE(back.d, 3);
        QVERIFY(std::memcmp(back.features.data(), y.data(), y.size() * sizeof(float)) == 0);

        // The sidecar is the CSV export without the coordinate columns.
        const std::string csv = path("emb-as.csv");
        export_embedding(ds, y, 3, csv, o);
        const internal::Table full = internal::read_table(csv, std::nullopt, HeaderMode::Present);
        const internal::Table side = internal::read_table(written[1], std::nullopt, HeaderMode::Present);
        QCOMPARE(side.records.size(), std::size_t(ds.n));
        QCOMPARE(side.columns() + 3, full.columns());
        for (std::size_t c = 0; c < side.columns(); ++c) QCOMPARE(side.names[c], full.names[c]);
        for (std::size_t r = 0; r < side.records.size(); ++r) {
            const auto a = side.fields(r), b = full.fields(r);
            QCOMPARE(a, std::vector<std::string>(b.begin(), b.begin() + std::ptrdiff_t(a.size())));
        }
        // And the project's loader reads it (index and ids line up with the NPY's rows).
        const Dataset meta = load(written[1]);
        QCOMPARE(meta.row_ids, ds.row_ids);
        QCOMPARE(columnText(meta, "selected"), (std::vector<std::string>{"1", "0", "0", "0", "0", "1"}));
    }

    // Only the selected rows, in row order, whatever order they were picked in.
    void selectionOnly() {
        const Dataset ds = awkward();
        const std::vector<float> y = awkwardEmbedding(ds.n, 2);
        EmbeddingExportOptions o;
        o.method = "PCA";
        o.selection = select::Selection::from_ids({5, 1, 3}, ds.n);
        o.selection_only = true;
        const Dataset csv = load(export_embedding(ds, y, 2, path("sel.csv"), o).front());
        QCOMPARE(csv.n, 3);
        QCOMPARE(csv.row_ids, (std::vector<std::string>{"r1", "r3", "r5"}));
        QCOMPARE(columnText(csv, "index"), (std::vector<std::string>{"1", "3", "5"}));
        QCOMPARE(columnText(csv, "note"), (std::vector<std::string>{"a, b", "two\nlines", "x"}));
        QCOMPARE(columnText(csv, "selected"), (std::vector<std::string>{"1", "1", "1"}));
        QCOMPARE(featureColumn(csv, "PCA2"), (std::vector<float>{y[3], y[7], y[11]}));

        const auto files = export_embedding(ds, y, 2, path("sel.npy"), o);
        const Dataset npy = load(files[0]);
        QCOMPARE(npy.n, 3);
        const std::vector<float> expected{y[2], y[3], y[6], y[7], y[10], y[11]};
        QVERIFY(std::memcmp(npy.features.data(), expected.data(), expected.size() * sizeof(float)) == 0);
        QCOMPARE(load(files[1]).row_ids, (std::vector<std::string>{"r1", "r3", "r5"}));
    }

    // Text the CSV must quote (or not) comes back unchanged.
    void awkwardText_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("comma") << "a,b";
        QTest::newRow("quotes") << "he said \"no\"";
        QTest::newRow("quote first") << "\"quoted\" start";
        QTest::newRow("comma and quotes") << "\"a\",\"b\"";
        QTest::newRow("line break") << "one\ntwo";
        QTest::newRow("crlf") << "one\r\ntwo";
        QTest::newRow("semicolons") << "a;b;c";
        QTest::newRow("unicode") << QString::fromUtf8("Ünïcødé — ✓");
        QTest::newRow("looks numeric") << "007";
    }
    void awkwardText() {
        QFETCH(QString, text);
        Dataset ds;
        ds.n = 3;
        ds.d = 1;
        ds.features = {0, 0, 0};
        ds.feature_names = {"f"};
        ds.metadata.push_back(MetadataColumn::text("remark", {text.toStdString(), "plain", "other text"}));
        const std::vector<float> y{1, 2, 3, 4, 5, 6};
        const Dataset back = load(export_embedding(ds, y, 2, path("text.csv"), {}).front());
        QCOMPARE(back.n, 3);
        const std::vector<std::string> remark = columnText(back, "remark");
        QCOMPARE(remark.size(), std::size_t(3));
        QCOMPARE(QString::fromStdString(remark[0]), text);
        QCOMPARE(featureColumn(back, "dim2"), (std::vector<float>{2, 4, 6}));
    }

    // Column names never clash; a metadata column that repeats the ids is not written twice.
    void columnNames() {
        Dataset ds = awkward();
        ds.metadata.push_back(MetadataColumn::text("id", ds.row_ids));              // the ids again: dropped
        ds.metadata.push_back(MetadataColumn::text("index", {"9", "8", "7", "6", "5", "4"}));  // not the index: kept
        ds.metadata.push_back(MetadataColumn::numeric("x", {1, 2, 3, 4, 5, 6}));      // a coordinate's name
        EmbeddingExportOptions o;
        o.coordinate_names = {"x", "y"};
        const std::vector<float> y = awkwardEmbedding(ds.n, 2);
        const std::string file = path("names.csv");
        export_embedding(ds, y, 2, file, o);
        const std::string text = slurp(file);
        QCOMPARE(text.substr(0, text.find('\n')),
                 std::string("id,index,species,note,weight,cluster,groups,index_2,x_2,x,y"));
        const Dataset back = load(file);
        QCOMPARE(featureColumn(back, "x"), (std::vector<float>{y[0], y[2], y[4], y[6], y[8], y[10]}));
    }

    // Cluster labels (or any column) with the row ids; missing values (noise) are empty.
    void labels() {
        const Dataset ds = awkward();
        const std::string file = path("clusters.csv");
        export_labels(ds, "cluster", file);
        QCOMPARE(slurp(file), std::string("id,cluster\nr0,0\nr1,0\nr2,1\nr3,1\nr4,2\nr5,2\n"));
        const Dataset back = load(file);
        QCOMPARE(back.row_ids, ds.row_ids);
        QCOMPARE(columnText(back, "cluster"), (std::vector<std::string>{"0", "0", "1", "1", "2", "2"}));

        export_labels(ds, "groups", path("groups.csv"), select::Selection::from_ids({1, 4, 3}, ds.n));
        QCOMPARE(slurp(path("groups.csv")), std::string("id,groups\nr1,left arm\nr3,\nr4,\"right, arm\"\n"));

        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, export_labels(ds, "nope", path("x.csv")));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, export_labels(ds, "cluster", path("x.npy")));
        QVERIFY(!QFile::exists(m_dir.filePath("x.csv")));
    }

    void badArguments() {
        const Dataset ds = awkward();
        const std::vector<float> y = awkwardEmbedding(ds.n, 2);
        EmbeddingExportOptions o;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, export_embedding(ds, y, 3, path("bad.csv"), o));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, export_embedding(ds, y, 2, path("bad.txt"), o));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, export_embedding(ds, y, 2, path("bad.csv.gz"), o));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, export_embedding(ds, {}, 0, path("bad.csv"), o));
        o.selection_only = true;  // without a selection
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, export_embedding(ds, y, 2, path("bad.csv"), o));
        o.selection = select::Selection(ds.n);  // empty
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, export_embedding(ds, y, 2, path("bad.csv"), o));
        o.selection = select::Selection::all(ds.n + 1);  // another dataset's
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, export_embedding(ds, y, 2, path("bad.csv"), o));
        o = {};
        o.coordinate_names = {"only one"};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, export_embedding(ds, y, 2, path("bad.csv"), o));
        QVERIFY(!QFile::exists(m_dir.filePath("bad.csv")));
    }

    // A path that cannot be written: a clear error naming it, and no file left anywhere.
    void unwritablePath_data() {
        QTest::addColumn<QString>("name");
        QTest::newRow("csv") << "out.csv";
        QTest::newRow("npy") << "out.npy";
    }
    void unwritablePath() {
        QFETCH(QString, name);
        const Dataset ds = awkward();
        const std::vector<float> y = awkwardEmbedding(ds.n, 2);
        QTemporaryDir dir;
        // A folder that does not exist.
        const std::string missing = dir.filePath("no/such/folder/" + name).toStdString();
        try {
            export_embedding(ds, y, 2, missing, {});
            QFAIL("no exception");
        } catch (const std::runtime_error& e) {
            QVERIFY2(std::string(e.what()).find(missing) != std::string::npos, e.what());
        }
        // The target is a folder: it cannot be replaced, and the temporaries go away.
        QVERIFY(QDir(dir.path()).mkdir(name));
        const std::string target = dir.filePath(name).toStdString();
        try {
            export_embedding(ds, y, 2, target, {});
            QFAIL("no exception");
        } catch (const std::runtime_error& e) {
            QVERIFY2(std::string(e.what()).find(target) != std::string::npos, e.what());
        }
        QCOMPARE(entries(dir.path()), QStringList{name});
        QVERIFY(QFileInfo(dir.filePath(name)).isDir());
        // Labels too.
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, export_labels(ds, "cluster", dir.filePath("no/x.csv").toStdString()));
        QCOMPARE(entries(dir.path()), QStringList{name});
    }

    // A write that fails half-way (the file size limit stands in for a full disk) keeps the old
    // files byte for byte and leaves no temporary behind.
    void failedWriteKeepsOldFiles() {
        QTemporaryDir dir;
        const std::string csv = dir.filePath("keep.csv").toStdString();
        const std::string npy = dir.filePath("keep.npy").toStdString();
        const std::string sidecar = embedding_sidecar_path(npy);
        spit(csv, "old csv\n");
        spit(npy, "old npy\n");
        spit(sidecar, "old sidecar\n");

        Dataset big;
        big.n = 20000;
        big.d = 1;
        big.features.assign(20000, 1.0f);
        big.feature_names = {"f"};
        const std::vector<float> y = awkwardEmbedding(big.n, 8);  // NPY 640 kB, sidecar ~230 kB, CSV ~2 MB
        {
            const FileSizeLimit limit(400 * 1024);
            QVERIFY_THROWS_EXCEPTION(std::runtime_error, export_embedding(big, y, 8, csv, {}));
            // The sidecar fits, the NPY does not: the sidecar must not be replaced either.
            QVERIFY_THROWS_EXCEPTION(std::runtime_error, export_embedding(big, y, 8, npy, {}));
        }
        QCOMPARE(slurp(csv), std::string("old csv\n"));
        QCOMPARE(slurp(npy), std::string("old npy\n"));
        QCOMPARE(slurp(sidecar), std::string("old sidecar\n"));
        QCOMPARE(entries(dir.path()), (QStringList{"keep.csv", "keep.meta.csv", "keep.npy"}));

        // Without the limit the same exports go through and replace all three.
        export_embedding(big, y, 8, csv, {});
        export_embedding(big, y, 8, npy, {});
        QCOMPARE(load(npy).n, big.n);
        QCOMPARE(load(csv).n, big.n);
        QVERIFY(slurp(sidecar).starts_with("id,index\n0,0\n"));
        QCOMPARE(entries(dir.path()), (QStringList{"keep.csv", "keep.meta.csv", "keep.npy"}));
    }

    // A process killed while writing (latentscape-cli convert, an export) leaves its temporary; the
    // next write of the same target removes it, and only it: a live process's temporary, a recent
    // one from before temporaries carried a pid, and another target's stay.
    void staleTemporariesAreRemoved() {
        QTemporaryDir dir;
        // A process id that is surely not running: a child that has exited and been reaped.
        const pid_t child = ::fork();
        if (child == 0) ::_exit(0);
        QVERIFY(child > 0);
        QCOMPARE(::waitpid(child, nullptr, 0), child);
        const QString dead = QString::number(child), alive = QString::number(::getppid());
        const QStringList stale = {".out.npy.tmp-" + dead + "-12345", ".out.npy.tmp-" + dead + "-9",
                                   ".out.npy.tmp-77777"};  // the last: no pid, two days old
        const QStringList kept = {".out.npy.tmp-" + alive + "-5",                       // its writer runs
                                  ".out.npy.tmp-" + QString::number(::getpid()) + "-6",  // this process's own
                                  ".out.npy.tmp-88888",                                  // no pid, but recent
                                  ".other.npy.tmp-" + dead + "-1",                       // another target
                                  ".out.npy.tmp-notes.txt", "out.npy.tmp-" + dead + "-1"};
        for (const QString& name : stale + kept) spit(dir.filePath(name).toStdString(), "partial");
        std::filesystem::last_write_time(dir.filePath(".out.npy.tmp-77777").toStdString(),
                                         std::filesystem::file_time_type::clock::now() - std::chrono::hours(48));
        const std::string out = dir.filePath("out.npy").toStdString();
        const Dataset ds = awkward();
        export_embedding(ds, awkwardEmbedding(ds.n, 2), 2, out, {});
        QStringList expected = kept;
        expected << "out.npy" << "out.meta.csv";
        expected.sort();
        QStringList got = entries(dir.path());
        got.sort();
        QCOMPARE(got, expected);
        // The NPY sidecar's pending copy ("<sidecar>.pending-<pid>-<n>") is cleared the same way.
        const QString pending = ".out.meta.csv.pending-" + dead + "-3";
        spit(dir.filePath(pending).toStdString(), "partial");
        export_embedding(ds, awkwardEmbedding(ds.n, 2), 2, out, {});
        QVERIFY(!QFileInfo::exists(dir.filePath(pending)));
        QCOMPARE(io::remove_stale_temporaries(out), 0);  // nothing left to clear
    }
};

QTEST_GUILESS_MAIN(TstExport)
#include "tst_export.moc"
