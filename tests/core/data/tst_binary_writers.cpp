// NPY / NPZ writing: bit-exact round trips through our loaders, label values kept, and files
// that numpy itself reads.
#include "common/error.h"
#include "data/load.h"
#include "data/write.h"

#include <QtTest>

#include <omp.h>

#include <cmath>
#include <cstring>

#include <sys/stat.h>

using namespace latentscape;
using namespace latentscape::data;

#include "binary_fixtures.h"

using namespace binary_fixtures;

class TstBinaryWriters : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void roundTrip() {
        Dataset ds;
        ds.n = 5;
        ds.d = 3;
        ds.features = {0.0f, -1.5f, 3.25f, 1e-30f, 1e30f, -0.0f, 7.0f, 8.5f, -9.75f, 0.1f, 0.2f, 0.3f, 16777217.0f, -2.0f, 4.0f};
        ds.feature_names = {"a", "b", "c"};
        ds.metadata.push_back(MetadataColumn::categorical("digit", {0, 1, -1, 1, 0}, {"3", "7"}));
        ds.label_column = 0;
        const std::string npy_path = m_dir.filePath("round.npy").toStdString();
        const std::string npz_path = m_dir.filePath("round.npz").toStdString();
        write_npy(ds, npy_path);
        write_npz(ds, npz_path);

        const Dataset a = load_npy(npy_path);
        QCOMPARE(a.n, 5);
        QCOMPARE(a.d, 3);
        QVERIFY(std::memcmp(a.features.data(), ds.features.data(), ds.features.size() * 4) == 0);  // bit for bit
        const Dataset b = load_npz(npz_path);
        QVERIFY(std::memcmp(b.features.data(), ds.features.data(), ds.features.size() * 4) == 0);
        QVERIFY(b.label());
        QCOMPARE(b.label()->name, std::string("labels"));
        QCOMPARE(b.label()->codes, (std::vector<std::int32_t>{0, 1, -1, 1, 0}));
        QCOMPARE(b.label()->categories, (std::vector<std::string>{"3", "7"}));  // the classes, not their codes

        ds.label_column.reset();  // no label: X only
        write_npz(ds, npz_path);
        QVERIFY(!load_npz(npz_path).label());
    }

    // write_npz keeps integer classes as such; other names can only be written as codes.
    void npzLabelRoundTrip_data() {
        QTest::addColumn<QStringList>("categories");
        QTest::addColumn<QList<int>>("codes");
        QTest::addColumn<QStringList>("expected");  // value_string of each row after the round trip
        QTest::newRow("3, 7") << QStringList{"3", "7"} << QList<int>{0, 1, 1, 0} << QStringList{"3", "7", "7", "3"};
        QTest::newRow("-1, 1") << QStringList{"-1", "1"} << QList<int>{1, 0, 0, 1} << QStringList{"1", "-1", "-1", "1"};
        QTest::newRow("unsorted, missing") << QStringList{"10", "-2", "0"} << QList<int>{0, -1, 1, 2}
                                           << QStringList{"10", "", "-2", "0"};
        QTest::newRow("names: codes") << QStringList{"T-shirt/top", "Trouser"} << QList<int>{1, 0, 1, 1}
                                      << QStringList{"1", "0", "1", "1"};
        QTest::newRow("names, missing: codes") << QStringList{"cat", "dog"} << QList<int>{1, -1, 0, 1}
                                               << QStringList{"1", "", "0", "1"};
        QTest::newRow("not plain integers: codes") << QStringList{"07", "+7"} << QList<int>{0, 1, 1, 0}
                                                   << QStringList{"0", "1", "1", "0"};
    }
    void npzLabelRoundTrip() {
        QFETCH(QStringList, categories);
        QFETCH(QList<int>, codes);
        QFETCH(QStringList, expected);
        Dataset ds;
        ds.n = 4;
        ds.d = 1;
        ds.features = {1, 2, 3, 4};
        ds.feature_names = {"a"};
        std::vector<std::string> names;
        for (const auto& c : categories) names.push_back(c.toStdString());
        ds.metadata.push_back(MetadataColumn::categorical("y", std::vector<std::int32_t>(codes.begin(), codes.end()), names));
        ds.label_column = 0;
        const std::string path = m_dir.filePath("labels.npz").toStdString();
        write_npz(ds, path);
        const Dataset back = load_npz(path);
        QVERIFY(back.label());
        QCOMPARE(back.label()->kind, ColumnKind::Categorical);
        for (int i = 0; i < 4; ++i) QCOMPARE(QString::fromStdString(back.label()->value_string(std::size_t(i))), expected[i]);
    }

    void npzNumericLabelRoundTrip() {
        Dataset ds;
        ds.n = 3;
        ds.d = 1;
        ds.features = {1, 2, 3};
        ds.feature_names = {"a"};
        ds.metadata.push_back(MetadataColumn::numeric("target", {0.25, std::nan(""), -3.5}));
        ds.label_column = 0;
        const std::string path = m_dir.filePath("numeric.npz").toStdString();
        write_npz(ds, path);
        const Dataset back = load_npz(path);
        QVERIFY(back.label());
        QCOMPARE(back.label()->kind, ColumnKind::Numeric);
        QCOMPARE(back.label()->numbers[0], 0.25);
        QVERIFY(std::isnan(back.label()->numbers[1]));
        QCOMPARE(back.label()->numbers[2], -3.5);
    }

    void writtenFilesLoadInNumpy() {
        if (QProcess::execute("/usr/bin/python3", {"-c", "import numpy"}) != 0) QSKIP("no numpy in /usr/bin/python3");
        Dataset ds;
        ds.n = 2;
        ds.d = 2;
        ds.features = {1.5f, -2.0f, 3.0e-7f, 65504.0f};
        ds.feature_names = {"a", "b"};
        ds.metadata.push_back(MetadataColumn::categorical("y", {1, -1}, {"p", "q"}));
        ds.label_column = 0;
        const QString npy_path = m_dir.filePath("numpy.npy"), npz_path = m_dir.filePath("numpy.npz");
        const QString ints_path = m_dir.filePath("ints.npz");
        write_npy(ds, npy_path.toStdString());
        write_npz(ds, npz_path.toStdString());
        ds.metadata[0] = MetadataColumn::categorical("y", {1, 0}, {"-1", "1"});
        write_npz(ds, ints_path.toStdString());
        const QString script = QString(
                                   "import numpy as np, sys\n"
                                   "want = np.array([[1.5, -2.0], [3.0e-7, 65504.0]], dtype=np.float32)\n"
                                   "a = np.load(sys.argv[1]); z = np.load(sys.argv[2]); i = np.load(sys.argv[3])\n"
                                   "assert a.dtype == np.float32 and np.array_equal(a, want)\n"
                                   "assert sorted(z.files) == ['X', 'labels'] and np.array_equal(z['X'], want)\n"
                                   "l = z['labels']\n"
                                   "assert l.dtype == np.float64 and l[0] == 1 and np.isnan(l[1])\n"
                                   "assert i['labels'].dtype == np.int64 and i['labels'].tolist() == [1, -1]\n");
        QCOMPARE(QProcess::execute("/usr/bin/python3", {"-c", script, npy_path, npz_path, ints_path}), 0);
    }
};

QTEST_GUILESS_MAIN(TstBinaryWriters)
#include "tst_binary_writers.moc"
