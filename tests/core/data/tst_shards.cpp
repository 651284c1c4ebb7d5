// .npy shards read as one dataset (issue 19): a folder (natural name order, NAME.labels.npy beside
// each shard) or a manifest; mixed dtypes; and every inconsistency refused with a LoadError naming
// the shard or the manifest and the cause, never a partial dataset.
#include "common/error.h"
#include "data/load.h"

#include <QtTest>

#include <cmath>

#include <unistd.h>

using namespace latentscape;
using namespace latentscape::data;

#include "binary_fixtures.h"

using namespace binary_fixtures;

namespace {

/// Rows [first, first + n) of a d-column matrix whose value (i, j) is 10 i + j.
std::vector<float> rows_f4(int first, int n, int d) {
    std::vector<float> v;
    for (int i = first; i < first + n; ++i)
        for (int j = 0; j < d; ++j) v.push_back(float(10 * i + j));
    return v;
}

QByteArray shape(std::int64_t n, std::int64_t d) { return "(" + QByteArray::number(n) + ", " + QByteArray::number(d) + ")"; }

}  // namespace

class TstShards : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    std::string write(const QString& name, const QByteArray& bytes) { return write_file(m_dir, name, bytes); }
    std::string shard(const QString& name, int first, int n, int d = 3) {
        return write(name, npy(dict("<f4", shape(n, d)), raw(rows_f4(first, n, d))));
    }
    std::string labels(const QString& name, const std::vector<std::int32_t>& values) {
        return write(name, npy(dict("<i4", "(" + QByteArray::number(qsizetype(values.size())) + ",)"), raw(values)));
    }
    std::string folder(const QString& name) {
        QDir().mkpath(m_dir.filePath(name));
        return m_dir.filePath(name).toStdString();
    }

    static void expectError(const std::string& path, const std::string& file, const std::string& part) {
        try {
            const Dataset ds = load(path);
            QFAIL(qPrintable(QString("no error for %1 (%2 rows)").arg(QString::fromStdString(path)).arg(ds.n)));
        } catch (const LoadError& e) {
            QVERIFY2(e.file() == file, e.what());
            QVERIFY2(std::string(e.what()).find(part) != std::string::npos, e.what());
        }
    }

private slots:
    void folderInNaturalOrder() {
        // part-10 after part-2: by value, not byte order (which would put "1" before "2").
        const std::string dir = folder("natural");
        shard("natural/part-1.npy", 0, 2);
        shard("natural/part-2.npy", 2, 3);
        shard("natural/part-10.npy", 5, 1);
        labels("natural/part-1.labels.npy", {7, 7});
        labels("natural/part-2.labels.npy", {8, 7, 9});
        labels("natural/part-10.labels.npy", {9});
        QVERIFY(is_shard_folder(dir));
        QCOMPARE(detect_format(dir), std::string("shards"));
        const Dataset ds = load(dir);
        QCOMPARE(ds.n, 6);
        QCOMPARE(ds.d, 3);
        QCOMPARE(ds.format, std::string("shards"));
        QCOMPARE(ds.feature_names, (std::vector<std::string>{"x0", "x1", "x2"}));
        for (int i = 0; i < 6; ++i)
            for (int j = 0; j < 3; ++j) QCOMPARE(ds.at(i, j), float(10 * i + j));
        const MetadataColumn* label = ds.label();
        QVERIFY(label);
        QCOMPARE(label->categories, (std::vector<std::string>{"7", "8", "9"}));
        QCOMPARE(label->codes, (std::vector<std::int32_t>{0, 0, 1, 0, 2, 2}));
        const std::vector<std::string> files = shard_files(dir);
        QCOMPARE(files.size(), std::size_t(6));
        QVERIFY(QString::fromStdString(files[0]).endsWith("part-1.npy"));
        QVERIFY(QString::fromStdString(files[1]).endsWith("part-1.labels.npy"));
        QVERIFY(QString::fromStdString(files[4]).endsWith("part-10.npy"));
    }

    void manifestOrderAndMixedTypes() {
        // The manifest's order wins over the names; a float64 shard is converted like any .npy.
        const std::string dir = folder("manifest");
        shard("manifest/b.npy", 0, 2, 2);
        std::vector<double> f8;
        for (int i = 2; i < 4; ++i)
            for (int j = 0; j < 2; ++j) f8.push_back(10 * i + j);
        write("manifest/a.npy", npy(dict("<f8", shape(2, 2)), raw(f8)));
        const std::string manifest = write("manifest/manifest.json",
            R"({"format": "latentscape-shards", "version": 1,
                "shards": [{"features": "b.npy", "rows": 2}, {"features": "a.npy"}]})");
        for (const std::string& path : {manifest, dir}) {
            const Dataset ds = load(path);
            QCOMPARE(ds.n, 4);
            QCOMPARE(ds.d, 2);
            for (int i = 0; i < 4; ++i)
                for (int j = 0; j < 2; ++j) QCOMPARE(ds.at(i, j), float(10 * i + j));
            QVERIFY(!ds.label());
        }
        QCOMPARE(detect_format(manifest), std::string("shards"));
        QCOMPARE(shard_files(dir).front(), manifest);
        // A manifest in another folder: paths are relative to it.
        const std::string elsewhere = write("manifest-outside.json",
            R"({"format": "latentscape-shards", "version": 1, "shards": [{"features": "manifest/a.npy"}]})");
        QCOMPARE(load(elsewhere).n, 2);
    }

    void mappedShardsAreCopied() {
        // Big enough to be memory-mapped by the .npy loader: the dataset owns its copy, and the
        // shards may change afterwards without touching it.
        const std::string dir = folder("big");
        const int n = 1 << 15, d = 16;
        shard("big/p0.npy", 0, n, d);
        shard("big/p1.npy", n, n, d);
        const Dataset ds = load(dir);
        QCOMPARE(ds.n, 2 * n);
        QVERIFY(!ds.features.is_mapped());
        shard("big/p1.npy", 0, n, d);  // rewritten
        QCOMPARE(ds.at(2 * n - 1, d - 1), float(10 * (2 * n - 1) + d - 1));
    }

    // Text labels (numpy's str arrays, '<U'): categories named by the strings, for a plain .npy's
    // labels file and for shards; UTF-32 in either byte order, NUL padding dropped.
    void textLabels() {
        auto utf32 = [](const std::vector<std::u32string>& texts, int width, bool big) {
            QByteArray out;
            for (const std::u32string& t : texts)
                for (int c = 0; c < width; ++c) {
                    const std::uint32_t cp = c < int(t.size()) ? std::uint32_t(t[std::size_t(c)]) : 0;
                    for (int b = 0; b < 4; ++b) out += char(big ? (cp >> (8 * (3 - b))) & 0xff : (cp >> (8 * b)) & 0xff);
                }
            return out;
        };
        const std::string features = shard("text/x.npy", 0, 4);
        const std::string little = write("text/little.npy",
            npy(dict("<U4", "(4,)"), utf32({U"cat", U"d\u00f6g", U"", U"\U0001F98A"}, 4, false)));
        LoadOptions o;
        o.labels_path = little;
        Dataset ds = load(features, o);
        const MetadataColumn* label = ds.label();
        QVERIFY(label);
        QCOMPARE(label->kind, ColumnKind::Categorical);
        QCOMPARE(label->categories, (std::vector<std::string>{"cat", "d\xc3\xb6g", "\xf0\x9f\xa6\x8a"}));
        QCOMPARE(label->codes, (std::vector<std::int32_t>{0, 1, -1, 2}));  // "" is missing
        const std::string big = write("text/big.npy", npy(dict(">U3", "(4,)"), utf32({U"b", U"a", U"b", U"a"}, 3, true)));
        o.labels_path = big;
        ds = load(features, o);
        QCOMPARE(ds.label()->categories, (std::vector<std::string>{"a", "b"}));
        QCOMPARE(ds.label()->codes, (std::vector<std::int32_t>{1, 0, 1, 0}));

        // Errors: an invalid code point at its offset; text labels of the wrong shape; text features.
        const std::string surrogate = write("text/surrogate.npy", npy(dict("<U1", "(4,)"), utf32({U"a", U"b", U"c", U"d"}, 1, false)
                                                                                          .replace(8, 4, QByteArray("\x00\xd8\x00\x00", 4))));
        o.labels_path = surrogate;
        try {
            load(features, o);
            QFAIL("no error");
        } catch (const LoadError& e) {
            QVERIFY2(std::string(e.what()).find("label 2 holds an invalid character (code point 55296)") != std::string::npos, e.what());
            // The third character of the 16 data bytes that end the file.
            QCOMPARE(e.offset().value_or(-1), std::int64_t(QFileInfo(QString::fromStdString(surrogate)).size() - 16 + 8));
        }
        o.labels_path = write("text/three.npy", npy(dict("<U1", "(3,)"), utf32({U"a", U"b", U"c"}, 1, false)));
        QVERIFY_THROWS_EXCEPTION(LoadError, load(features, o));
        try {
            load(write("text/strings-as-features.npy", npy(dict("<U1", "(2, 2)"), utf32({U"a", U"b", U"c", U"d"}, 1, false))));
            QFAIL("no error");
        } catch (const LoadError& e) {
            QVERIFY2(std::string(e.what()).find("unsupported dtype '<U1' (unicode strings)") != std::string::npos, e.what());
        }

        // Shards: text labels across shards make one categorical column; mixing numbers and text is refused.
        const std::string dir = folder("textshards");
        shard("textshards/p0.npy", 0, 2);
        shard("textshards/p1.npy", 2, 2);
        write("textshards/p0.labels.npy", npy(dict("<U5", "(2,)"), utf32({U"zebra", U"ant"}, 5, false)));
        write("textshards/p1.labels.npy", npy(dict("<U3", "(2,)"), utf32({U"ant", U"owl"}, 3, false)));
        ds = load(dir);
        QCOMPARE(ds.label()->categories, (std::vector<std::string>{"ant", "owl", "zebra"}));
        QCOMPARE(ds.label()->codes, (std::vector<std::int32_t>{2, 0, 0, 1}));
        const std::string numbers = labels("textshards/p1.labels.npy", {1, 2});
        expectError(dir, numbers, "holds numbers but the earlier shards' labels are text");
    }

    // Review findings: a broken link is an error (not a silently missing shard); empty shards
    // (an empty partition) are skipped; image folders with a stray .npy stay image folders;
    // long strings are labels; a '<U0' header cannot make a few bytes allocate gigabytes.
    void edgesOfTheFolder() {
        const std::string broken = folder("broken");
        shard("broken/a.npy", 0, 2);
        QCOMPARE(::symlink("nowhere.npy", (broken + "/b.npy").c_str()), 0);
        expectError(broken, broken + "/b.npy", "is a broken link");

        const std::string empty = folder("emptyshard");
        shard("emptyshard/p0.npy", 0, 2);
        write("emptyshard/p1.npy", npy(dict("<f4", "(0, 3)"), QByteArray()));
        shard("emptyshard/p2.npy", 2, 1);
        labels("emptyshard/p0.labels.npy", {1, 2});
        labels("emptyshard/p1.labels.npy", {});
        labels("emptyshard/p2.labels.npy", {3});
        const Dataset ds = load(empty);
        QCOMPARE(ds.n, 3);
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 3; ++j) QCOMPARE(ds.at(i, j), float(10 * i + j));
        QCOMPARE(ds.label()->codes, (std::vector<std::int32_t>{0, 1, 2}));
        const std::string none = folder("allempty");
        write("allempty/p0.npy", npy(dict("<f4", "(0, 3)"), QByteArray()));
        expectError(none, none, "every shard is empty");

        const std::string images = folder("images");
        shard("images/stray.npy", 0, 2);
        write("images/cat.png", "not really a PNG");
        QVERIFY(!is_shard_folder(images));
        const std::string classes = folder("classes");
        shard("classes/stray.npy", 0, 2);
        write("classes/dogs/rex.jpg", "not really a JPEG");  // a class of an image folder
        QVERIFY(!is_shard_folder(classes));
        // Sub-folders without images (an output folder, Jupyter's checkpoints) do not matter.
        const std::string notebook = folder("notebook");
        shard("notebook/part-0.npy", 0, 2);
        shard("notebook/placed/part-0.npy", 0, 2);
        write("notebook/.ipynb_checkpoints/x.ipynb", "{}");
        QVERIFY(is_shard_folder(notebook));
        QCOMPARE(load(notebook).n, 2);
        // A broken manifest link is named, not taken for "no manifest".
        const std::string badlink = folder("badlink");
        shard("badlink/part-0.npy", 0, 2);
        QCOMPARE(::symlink("gone.json", (badlink + "/manifest.json").c_str()), 0);
        QVERIFY(is_shard_folder(badlink));
        expectError(badlink, badlink + "/manifest.json", "is a broken link");
        // A stray array with other columns is reported as such, before its missing labels.
        const std::string stray = folder("stray");
        shard("stray/data.npy", 0, 2, 3);
        labels("stray/data.labels.npy", {1, 2});
        const std::string embedding = shard("stray/embedding.npy", 0, 2, 2);
        expectError(stray, embedding, "has 2 columns but");
        const std::string only_labels = folder("onlylabels");
        labels("onlylabels/x.labels.npy", {1});
        QVERIFY(!is_shard_folder(only_labels));

        const std::string features = shard("wide/x.npy", 0, 2);
        QByteArray wide;
        for (int r = 0; r < 2; ++r)
            for (int c = 0; c < 1000; ++c) wide += QByteArray(c < 999 || r ? "x\0\0\0" : "y\0\0\0", 4);
        LoadOptions o;
        o.labels_path = write("wide/x.labels.npy", npy(dict("<U1000", "(2,)"), wide));
        Dataset w = load(features, o);
        QCOMPARE(w.label()->categories.size(), std::size_t(2));
        QCOMPARE(w.label()->categories[0].size(), std::size_t(1000));

        o.labels_path = write("wide/bomb.labels.npy", npy(dict("<U0", "(100000000,)"), QByteArray()));
        QElapsedTimer timer;
        timer.start();
        try {
            load(features, o);
            QFAIL("no error");
        } catch (const LoadError& e) {
            QVERIFY2(std::string(e.what()).find("holds 100000000 labels but the features have 2 rows") != std::string::npos,
                     e.what());
        }
        QVERIFY2(timer.elapsed() < 2000, "the count was not checked before allocating");
    }

    void inconsistenciesAreRefused() {
        const std::string cols = folder("cols");
        shard("cols/p0.npy", 0, 2, 3);
        const std::string p1 = shard("cols/p1.npy", 2, 2, 4);
        expectError(cols, p1, "has 4 columns but");

        const std::string half = folder("half");
        shard("half/p0.npy", 0, 2);
        labels("half/p0.labels.npy", {1, 2});
        shard("half/p1.npy", 2, 2);
        expectError(half, half, "has no labels but the first shard has");

        const std::string count = folder("count");
        shard("count/p0.npy", 0, 2);
        const std::string bad_labels = labels("count/p0.labels.npy", {1, 2, 3});
        expectError(count, bad_labels, "holds 3 labels but its shard");

        const std::string nan = folder("nan");
        shard("nan/p0.npy", 0, 2, 2);
        const std::string p_nan =
            write("nan/p1.npy", npy(dict("<f4", shape(1, 2)), raw(std::vector<float>{1.0f, std::nanf("")})));
        expectError(nan, p_nan, "NaN");

        const std::string empty = folder("empty");
        write("empty/readme.txt", "nothing here");
        QVERIFY(!is_shard_folder(empty));
        expectError(empty, empty, "is a folder without .npy shards");

        auto manifest = [&](const QString& name, const QByteArray& text) { return write(name, text); };
        const std::string rows = manifest("m-rows.json",
            R"({"format": "latentscape-shards", "version": 1, "shards": [{"features": "cols/p0.npy", "rows": 5}]})");
        expectError(rows, rows, "has 2 rows but the manifest says 5");
        const std::string missing = manifest("m-missing.json",
            R"({"format": "latentscape-shards", "version": 1, "shards": [{"features": "nowhere.npy"}]})");
        expectError(missing, m_dir.filePath("nowhere.npy").toStdString(), "");
        const std::string json = manifest("m-json.json", R"({"format": "latentscape-shards", "version": 1,)");
        expectError(json, json, "not a valid JSON manifest");
        const std::string format = manifest("m-format.json", R"({"format": "something", "shards": []})");
        expectError(format, format, "\"format\" must be \"latentscape-shards\"");
        const std::string newer = manifest("m-newer.json",
            R"({"format": "latentscape-shards", "version": 2, "shards": [{"features": "cols/p0.npy"}]})");
        expectError(newer, newer, "manifest version 2 is not supported");
        const std::string none = manifest("m-none.json", R"({"format": "latentscape-shards", "version": 1, "shards": []})");
        expectError(none, none, "\"shards\" must be a non-empty array");
        const std::string nofeatures = manifest("m-nofeatures.json",
            R"({"format": "latentscape-shards", "version": 1, "shards": [{"labels": "x.npy"}]})");
        expectError(nofeatures, nofeatures, "shard 0 needs \"features\"");

        // A separate labels file does not apply (each shard has its own).
        LoadOptions o;
        o.labels_path = bad_labels;
        QVERIFY_THROWS_EXCEPTION(LoadError, load(cols, o));
    }
};

QTEST_GUILESS_MAIN(TstShards)
#include "tst_shards.moc"
