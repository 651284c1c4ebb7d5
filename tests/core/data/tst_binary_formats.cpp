// NPY / NPZ / IDX loading (writing: tst_binary_writers): every dtype and byte order, Fortran order, format
// versions, images, labels, zip64, and every kind of bad input the loaders must refuse with a
// LoadError naming the file, the byte offset and the cause. Golden files: tests/data/npy, made by
// make_fixtures.py there, whose docstring gives the formulas the values are checked against.
#include "common/error.h"
#include "data/load.h"
#include "data/write.h"

#include <QtTest>

#include <omp.h>

#include <cmath>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace latentscape;
using namespace latentscape::data;

#include "binary_fixtures.h"

using namespace binary_fixtures;

class TstBinaryFormats : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    std::string write(const QString& name, const QByteArray& bytes) { return write_file(m_dir, name, bytes); }

private slots:
    void npyDtypes_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<char>("kind");
        for (const char* code : {"f2", "f4", "f8", "i2", "i4", "i8", "u2", "u4", "u8"})
            for (const char* order : {"le", "be"})
                QTest::addRow("%s_%s", code, order) << QString("dtype_%1_%2.npy").arg(code, order) << code[0];
        for (const char* code : {"i1", "u1", "b1"}) QTest::addRow("%s", code) << QString("dtype_%1.npy").arg(code) << code[0];
        QTest::newRow("fortran f4") << "fortran_f4.npy" << 'f';
        QTest::newRow("version 2.0") << "version2.npy" << 'f';
        QTest::newRow("version 3.0") << "version3.npy" << 'f';
        QTest::newRow("gzipped") << "gzipped_f4.npy.gz" << 'f';
    }
    void npyDtypes() {
        QFETCH(QString, file);
        QFETCH(char, kind);
        const Dataset ds = load(fixture(file));
        QCOMPARE(ds.n, 4);
        QCOMPARE(ds.d, 3);
        for (int i = 0; i < 4; ++i)
            for (int j = 0; j < 3; ++j) QCOMPARE(ds.at(i, j), float(grid(kind, i, j)));
        QCOMPARE(ds.feature_names, (std::vector<std::string>{"x0", "x1", "x2"}));
        QCOMPARE(ds.format, std::string("npy"));
        QCOMPARE(ds.source, fixture(file));
        QVERIFY(ds.images.empty());
        QVERIFY(ds.metadata.empty());
    }

    void npyShapes() {
        // Column-major 3-D int16, big-endian: row i, column (r, c) is cube[i, r, c] = 12 i + 4 r + c - 7.
        const Dataset cube = load_npy(fixture("fortran_i2_3d.npy"));
        QCOMPARE(cube.n, 2);
        QCOMPARE(cube.d, 12);
        for (int i = 0; i < 2; ++i)
            for (int k = 0; k < 12; ++k) QCOMPARE(cube.at(i, k), float(12 * i + k - 7));
        QVERIFY(cube.images.empty());  // not uint8: features only

        const Dataset vec = load_npy(fixture("vector_f8.npy"));
        QCOMPARE(vec.n, 5);
        QCOMPARE(vec.d, 1);
        QCOMPARE(std::vector<float>(vec.features.begin(), vec.features.end()), (std::vector<float>{1.5f, -2.0f, 3.25f, 0.0f, 1e10f}));
    }

    void npyImages_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("n");
        QTest::addColumn<int>("height");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("channels");
        QTest::newRow("grey") << "images_u1.npy" << 3 << 4 << 5 << 1;
        QTest::newRow("rgb") << "images_rgb_u1.npy" << 2 << 2 << 3 << 3;
    }
    void npyImages() {
        QFETCH(QString, file);
        QFETCH(int, n);
        QFETCH(int, height);
        QFETCH(int, width);
        QFETCH(int, channels);
        const Dataset ds = load_npy(fixture(file));
        const int d = height * width * channels;
        QCOMPARE(ds.n, n);
        QCOMPARE(ds.d, d);
        QCOMPARE(ds.images.height, height);
        QCOMPARE(ds.images.width, width);
        QCOMPARE(ds.images.channels, channels);
        for (int i = 0; i < n; ++i)
            for (int k = 0; k < d; ++k) {
                const int pixel = (100 * i + 7 * k) % 256;
                QCOMPARE(ds.at(i, k), float(pixel));
                QCOMPARE(int(ds.images.image(std::size_t(i))[k]), pixel);
            }
    }

    void npyLabels_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<bool>("categorical");
        QTest::addColumn<QStringList>("categories");
        QTest::addColumn<QList<int>>("codes");
        QTest::newRow("int") << "labels_int.npy" << true << QStringList{"0", "1", "2"} << QList<int>{2, 0, 1, 2};
        QTest::newRow("float NaN is missing") << "labels_missing.npy" << true << QStringList{"3", "7"} << QList<int>{-1, 1, 0, 1};
        QTest::newRow("int -1 is a label (+-1)") << "labels_pm1.npy" << true << QStringList{"-1", "1"} << QList<int>{0, 1, 1, 0};
        QTest::newRow("float") << "labels_float.npy" << false << QStringList{} << QList<int>{};
    }
    void npyLabels() {
        QFETCH(QString, file);
        QFETCH(bool, categorical);
        QFETCH(QStringList, categories);
        QFETCH(QList<int>, codes);
        LoadOptions options;
        options.labels_path = fixture(file);
        const Dataset ds = load_npy(fixture("dtype_f4_le.npy"), options);
        QVERIFY(ds.label());
        QCOMPARE(ds.label()->name, std::string("label"));
        if (!categorical) {
            QCOMPARE(ds.label()->kind, ColumnKind::Numeric);
            QCOMPARE(ds.label()->numbers, (std::vector<double>{0.5, 1.25, -3.0, 2.0}));
            return;
        }
        QCOMPARE(ds.label()->kind, ColumnKind::Categorical);
        std::vector<std::string> expected;
        for (const auto& c : categories) expected.push_back(c.toStdString());
        QCOMPARE(ds.label()->categories, expected);
        QCOMPARE(ds.label()->codes, std::vector<std::int32_t>(codes.begin(), codes.end()));
    }

    void npyLabelsOfWrongLength() {
        LoadOptions options;
        options.labels_path = fixture("labels_short.npy");
        try {
            load_npy(fixture("dtype_f4_le.npy"), options);
            QFAIL("no error");
        } catch (const LoadError& e) {
            QCOMPARE(e.file(), fixture("labels_short.npy"));
            QVERIFY2(e.cause().find("3 labels") != std::string::npos, e.what());
            QVERIFY2(e.cause().find("4 rows") != std::string::npos, e.what());
        }
    }

    // As for CSV: integer labels with at most 256 distinct values are categories, more are numbers.
    void labelCategoriesAreCapped_data() {
        QTest::addColumn<int>("distinct");
        QTest::addColumn<bool>("floats");
        QTest::addColumn<bool>("categorical");
        QTest::newRow("256 int32") << 256 << false << true;
        QTest::newRow("257 int32") << 257 << false << false;
        QTest::newRow("256 integral float64") << 256 << true << true;
        QTest::newRow("257 integral float64") << 257 << true << false;
    }
    void labelCategoriesAreCapped() {
        QFETCH(int, distinct);
        QFETCH(bool, floats);
        QFETCH(bool, categorical);
        const int n = 300;
        std::vector<float> features(n);
        std::vector<std::int32_t> ints(n);
        std::vector<double> doubles(n);
        for (int i = 0; i < n; ++i) {
            features[std::size_t(i)] = float(i);
            ints[std::size_t(i)] = i % distinct - 1;  // -1 counts as a value
            doubles[std::size_t(i)] = i % distinct - 1;
        }
        LoadOptions options;
        options.labels_path = write("capped_labels.npy", floats ? npy(dict("<f8", "(300,)"), raw(doubles))
                                                                 : npy(dict("<i4", "(300,)"), raw(ints)));
        const Dataset ds = load_npy(write("capped_features.npy", npy(dict("<f4", "(300,)"), raw(features))), options);
        QVERIFY(ds.label());
        if (!categorical) {
            QCOMPARE(ds.label()->kind, ColumnKind::Numeric);
            QCOMPARE(ds.label()->numbers, doubles);
            return;
        }
        QCOMPARE(ds.label()->kind, ColumnKind::Categorical);
        QCOMPARE(ds.label()->categories.size(), std::size_t(distinct));
        QCOMPARE(ds.label()->categories.front(), std::string("-1"));
        for (int i = 0; i < n; ++i) QCOMPARE(ds.label()->value_string(std::size_t(i)), std::to_string(i % distinct - 1));
    }

    void npz_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("array");
        QTest::addColumn<QString>("label");
        QTest::addColumn<QString>("expectedLabel");  // "" = no label column
        QTest::newRow("stored, X + y") << "stored.npz" << "" << "" << "y";
        QTest::newRow("deflated, features + labels") << "deflated.npz" << "" << "" << "labels";
        QTest::newRow("positional arr_0") << "positional.npz" << "" << "" << "";
        QTest::newRow("zip64 records, data + target") << "zip64.npz" << "" << "" << "target";
        QTest::newRow("array named with .npy") << "stored.npz" << "X.npy" << "" << "y";
        QTest::newRow("chosen array and label") << "custom_names.npz" << "emb" << "kind" << "kind";
        // numpy's str arrays are text labels (issue 19): categories named by the strings.
        QTest::newRow("string y is a text label") << "string_labels.npz" << "" << "" << "y";
        QTest::newRow("only one array") << "custom_names.npz" << "" << "" << "";
        QTest::newRow("Class after a misfit y") << "label_names.npz" << "" << "" << "Class";
    }
    void npz() {
        QFETCH(QString, file);
        QFETCH(QString, array);
        QFETCH(QString, label);
        QFETCH(QString, expectedLabel);
        if (file == "custom_names.npz" && array.isEmpty()) {
            // Two arrays, neither with a known name: the error lists them.
            try {
                load_npz(fixture(file));
                QFAIL("no error");
            } catch (const LoadError& e) {
                QVERIFY2(e.cause().find("emb, kind") != std::string::npos, e.what());
            }
            return;
        }
        LoadOptions options;
        if (!array.isEmpty()) options.array = array.toStdString();
        if (!label.isEmpty()) options.label = label.toStdString();
        const Dataset ds = load_npz(fixture(file), options);
        QCOMPARE(ds.n, 4);
        QCOMPARE(ds.d, 3);
        for (int i = 0; i < 4; ++i)
            for (int j = 0; j < 3; ++j) QCOMPARE(ds.at(i, j), float(grid('f', i, j)));
        QCOMPARE(ds.format, std::string("npz"));
        if (expectedLabel.isEmpty()) {
            QVERIFY(!ds.label());
            return;
        }
        QVERIFY(ds.label());
        QCOMPARE(ds.label()->name, expectedLabel.toStdString());
        if (expectedLabel == "kind") {
            QCOMPARE(ds.label()->numbers, (std::vector<double>{0.5, 1.5, 2.5, 3.5}));
        } else if (file == "string_labels.npz") {
            QCOMPARE(ds.label()->categories, (std::vector<std::string>{"a", "b", "c", "d"}));
            QCOMPARE(ds.label()->codes, (std::vector<std::int32_t>{0, 1, 2, 3}));
        } else {
            QCOMPARE(ds.label()->categories, (std::vector<std::string>{"0", "1", "2"}));
            QCOMPARE(ds.label()->codes, (std::vector<std::int32_t>{2, 0, 1, 2}));
        }
    }

    void npzExplicitLabelMustFit() {
        LoadOptions options;
        options.array = "emb";
        options.label = "emb";  // 2-D: a guessed label would be ignored, a chosen one is an error
        try {
            load_npz(fixture("custom_names.npz"), options);
            QFAIL("no error");
        } catch (const LoadError& e) {
            QCOMPARE(e.file(), fixture("custom_names.npz"));
            QVERIFY2(e.cause().find("member 'emb.npy': labels must be a 1-D array") != std::string::npos, e.what());
            QVERIFY(e.offset().has_value());
        }
    }

    void idx_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("labels");
        QTest::newRow("plain pair") << "tiny-images-idx3-ubyte" << "";
        QTest::newRow("gzipped pair") << "gz-images-idx3-ubyte.gz" << "";
        QTest::newRow("gzipped images, plain labels") << "mixed-images-idx3-ubyte.gz" << "";
        QTest::newRow("labels given") << "tiny-images-idx3-ubyte" << "gz-labels-idx1-ubyte.gz";
    }
    void idx() {
        QFETCH(QString, file);
        QFETCH(QString, labels);
        LoadOptions options;
        if (!labels.isEmpty()) options.labels_path = fixture(labels);
        const Dataset ds = load(fixture(file), options);
        QCOMPARE(ds.format, std::string("idx"));
        QCOMPARE(ds.n, 3);
        QCOMPARE(ds.d, 6);
        QCOMPARE(ds.feature_names, (std::vector<std::string>{"px_0_0", "px_0_1", "px_0_2", "px_1_0", "px_1_1", "px_1_2"}));
        QCOMPARE(ds.images.width, 3);
        QCOMPARE(ds.images.height, 2);
        for (int i = 0; i < 3; ++i)
            for (int r = 0; r < 2; ++r)
                for (int c = 0; c < 3; ++c) {
                    QCOMPARE(ds.at(i, 3 * r + c), float(40 * i + 10 * r + c));
                    QCOMPARE(int(ds.images.image(std::size_t(i))[3 * r + c]), 40 * i + 10 * r + c);
                }
        QVERIFY(ds.label());
        QCOMPARE(ds.label()->name, std::string("label"));
        QCOMPARE(ds.label()->categories, (std::vector<std::string>{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}));
        QCOMPARE(ds.label()->codes, (std::vector<std::int32_t>{4, 0, 9}));
    }

    void idxOtherTypes() {
        const Dataset i16 = load_idx(fixture("int16-images-idx3"));
        const Dataset f64 = load_idx(fixture("float64-images-idx3"));
        for (const Dataset* ds : {&i16, &f64}) {
            QCOMPARE(ds->n, 2);
            QCOMPARE(ds->d, 12);
            QVERIFY(ds->images.empty());
            QVERIFY(!ds->label());
        }
        for (int k = 0; k < 24; ++k) {
            QCOMPARE(i16.features[std::size_t(k)], float(k - 7 - 300));
            QCOMPARE(f64.features[std::size_t(k)], float((k - 7) * 0.25));
        }
    }

    void idxFashionNames() {
        write("Fashion/t-images-idx3-ubyte", readFixture("tiny-images-idx3-ubyte"));
        write("Fashion/t-labels-idx1-ubyte", readFixture("tiny-labels-idx1-ubyte"));
        const Dataset ds = load(m_dir.filePath("Fashion/t-images-idx3-ubyte").toStdString());
        QVERIFY(ds.label());
        QCOMPARE(ds.label()->categories, fashion_names);
        QCOMPARE(ds.label()->value_string(2), std::string("Ankle boot"));
    }

    // Class ids 0..255 are all categories (absent ones too); beyond, only those present are.
    void idxLabelsBeyondDenseRange() {
        const std::string images = write("w/x-images-idx3-ubyte", readFixture("tiny-images-idx3-ubyte"));
        write("w/x-labels-idx1-ubyte", QByteArray("\0\0\x0b\x01\0\0\0\x03\x00\x04\x00\x00\x01\x2c", 14));  // int16 4, 0, 300
        const Dataset ds = load(images);
        QVERIFY(ds.label());
        QCOMPARE(ds.label()->categories, (std::vector<std::string>{"0", "4", "300"}));
        QCOMPARE(ds.label()->codes, (std::vector<std::int32_t>{1, 0, 2}));
    }

    void idxLabelCountMismatch() {
        const std::string images = write("m/x-images-idx3-ubyte", readFixture("tiny-images-idx3-ubyte"));
        const std::string labels = write("m/x-labels-idx1-ubyte", QByteArray("\0\0\x08\x01\0\0\0\x02\x01\x02", 10));
        try {
            load(images);
            QFAIL("no error");
        } catch (const LoadError& e) {
            QCOMPARE(e.file(), labels);
            QVERIFY2(e.cause().find("2 labels") != std::string::npos && e.cause().find("3 images") != std::string::npos,
                     e.what());
        }
    }

    void realFashionMnist() {
        const std::string path = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz";
        if (!QFileInfo::exists(QString::fromStdString(path))) QSKIP("Fashion-MNIST test set not installed");
        const Dataset ds = load(path);
        QCOMPARE(ds.n, 10000);
        QCOMPARE(ds.d, 784);
        QCOMPARE(ds.feature_names.back(), std::string("px_27_27"));
        QCOMPARE(ds.images.width, 28);
        QCOMPARE(ds.images.height, 28);
        QVERIFY(ds.label());
        QCOMPARE(ds.label()->categories, fashion_names);
        QCOMPARE(ds.label()->value_string(0), std::string("Ankle boot"));  // the first test image
        std::vector<int> per_class(10, 0);
        for (const auto code : ds.label()->codes) ++per_class[std::size_t(code)];
        QCOMPARE(per_class, std::vector<int>(10, 1000));
        const auto [lo, hi] = std::minmax_element(ds.features.begin(), ds.features.end());
        QCOMPARE(*lo, 0.0f);
        QCOMPARE(*hi, 255.0f);
    }

    void badInput_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("array");  // LoadOptions::array, for .npz
        QTest::addColumn<QString>("cause");  // expected in the message
        QTest::addColumn<bool>("offset");    // a byte offset is expected

        const QByteArray good = npy(dict("<f4", "(2, 3)"), raw(std::vector<float>{1, 2, 3, 4, 5, 6}));
        auto row = [](const char* tag, const char* name, const QByteArray& bytes, const char* cause, bool offset = true,
                      const char* array = "") {
            QTest::newRow(tag) << QString(name) << bytes << QString(array) << QString(cause) << offset;
        };
        row("empty file", "empty.npy", "", "file is empty", false);
        row("text", "text.npy", "1.0,2.0\n3.0,4.0\n", "holds text");
        row("bad magic", "magic.npy", QByteArray("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c", 12), "magic");
        row("truncated header", "cut_header.npy", good.left(20), "header is truncated");
        row("truncated preamble", "cut_preamble.npy", good.left(8), "truncated");
        row("truncated data", "cut_data.npy", good.left(good.size() - 4), "truncated");
        row("10^12 elements", "huge.npy", npy(dict("<f4", "(1000000, 1000000)"), QByteArray(8, '\0')), "needs 4000000000000 bytes");
        row("overflowing shape", "overflow.npy", npy(dict("<f4", "(4294967296, 4294967296, 4294967296)"), ""), "impossibly large");
        row("header length 4 GB", "long_header.npy", QByteArray("\x93NUMPY\x02\x00\xf0\xff\xff\xff{", 13), "far more than");
        row("version 4.0", "v4.npy", QByteArray("\x93NUMPY\x04\x00\x10\x00{}", 12), "version 4.0");
        row("complex", "c8.npy", npy(dict("<c8", "(2,)"), QByteArray(16, '\0')), "complex");
        row("unicode", "u10.npy", npy(dict("<U10", "(2,)"), QByteArray(80, '\0')), "unicode");
        row("object (ragged)", "ragged.npy", npy(dict("|O", "(2,)"), QByteArray(16, '\0')), "ragged");
        row("structured", "records.npy",
            npy("{'descr': [('a', '<f4'), ('b', '<i4')], 'fortran_order': False, 'shape': (2,), }", QByteArray(16, '\0')),
            "structured");
        row("long double", "f16.npy", npy(dict("<f16", "(2,)"), QByteArray(32, '\0')), "long double");
        row("missing key", "no_shape.npy", npy("{'descr': '<f4', 'fortran_order': False, }", QByteArray(4, '\0')), "'shape'");
        row("no colon", "syntax.npy", npy("{'descr' '<f4', 'fortran_order': False, 'shape': (1,), }", QByteArray(4, '\0')), "expected ':'");
        row("unknown key", "key.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1, }", QByteArray(4, '\0')), "key 'x'");
        row("negative dimension", "negative.npy", npy(dict("<f4", "(-2, 3)"), ""), "negative");
        row("0-d", "scalar.npy", npy(dict("<f4", "()"), raw(std::vector<float>{1})), "0-d");
        row("empty array", "rows0.npy", npy(dict("<f4", "(0, 3)"), ""), "empty");
        const float nan = std::nanf(""), inf = INFINITY;
        row("NaN", "nan.npy", npy(dict("<f4", "(2, 3)"), raw(std::vector<float>{1, 2, 3, 4, 5, nan})), "NaN at row 1, column 2");
        row("inf", "inf.npy", npy(dict("<f8", "(2, 3)"), raw(std::vector<double>{1, -inf, 3, 4, 5, 6})), "-inf at row 0, column 1");
        row("NaN, Fortran order", "nan_f.npy", npy(dict("<f4", "(2, 3)", true), raw(std::vector<float>{1, nan, 3, 4, 5, 6})),
            "NaN at row 1, column 0");
        row("float32 overflow", "big.npy", npy(dict("<f8", "(2,)"), raw(std::vector<double>{1, 1e300})), "too large for float32");
        const QByteArray gz = readFixture("gzipped_f4.npy.gz");
        row("truncated gzip", "cut.npy.gz", gz.left(gz.size() - 12), "truncated");
        row("gzipped, cut inside the data", "cut_inside.npy.gz", readFixture("gzipped_cut.npy.gz"),
            "truncated: shape (4, 3) of '<f4' needs 48 bytes but only 44 follow the header (the offset counts decompressed bytes)");

        const QByteArray stored = readFixture("stored.npz");
        const qsizetype central = stored.indexOf("PK\x01\x02");
        QByteArray bzip2 = stored, encrypted = stored, corrupt = stored;
        bzip2[central + 10] = 12;
        encrypted[central + 8] = 1;
        corrupt[stored.indexOf("\x93NUMPY") + 130] ^= 0x55;
        row("npz: text", "text.npz", "a,b\n1,2\n", "not a zip archive");
        row("npz: an npy", "array.npz", good, "NPY file, not an NPZ");
        row("npz: truncated", "cut.npz", stored.left(stored.size() / 2), "truncated");
        row("npz: bzip2 member", "bzip2.npz", bzip2, "compression method 12 (bzip2)");
        row("npz: encrypted", "encrypted.npz", encrypted, "encrypted");
        row("npz: CRC", "crc.npz", corrupt, "CRC-32");
        row("npz: missing array", "missing.npz", stored, "no array named 'nope'; the archive holds the arrays X, y", true, "nope");
        row("npz: ambiguous", "two.npz", readFixture("ambiguous.npz"), "emb, meta");

        const QByteArray images = readFixture("tiny-images-idx3-ubyte");
        row("idx: bad magic", "bad-images-idx3-ubyte", "\x01\x02" + images.mid(2), "magic number");
        row("idx: unknown type", "type-images-idx3-ubyte", QByteArray("\0\0\x0a\x01\0\0\0\x01\0", 9), "element type 0x0A");
        row("idx: truncated", "cut-images-idx3-ubyte", images.left(images.size() - 1), "truncated");
        row("idx: labels alone", "lone-labels-idx1-ubyte", readFixture("tiny-labels-idx1-ubyte"), "open the matching images file");
        row("idx: gzipped, truncated", "cut-images-idx3-ubyte.gz", readFixture("gz-cut-images-idx3-ubyte.gz"),
            "truncated: shape (3, 2, 3) of 'ubyte' needs 18 bytes but only 17 follow the header (the offset counts "
            "decompressed bytes)");
    }
    void badInput() {
        QFETCH(QString, name);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, array);
        QFETCH(QString, cause);
        QFETCH(bool, offset);
        const std::string path = write(name, bytes);
        LoadOptions options;
        if (!array.isEmpty()) options.array = array.toStdString();
        QElapsedTimer timer;
        timer.start();
        try {
            load(path, options);
            QFAIL("no error");
        } catch (const LoadError& e) {
            QCOMPARE(e.file(), path);
            QVERIFY2(QString(e.what()).contains(name), e.what());
            QVERIFY2(QString::fromStdString(e.cause()).contains(cause), e.what());
            QVERIFY2(!offset || e.offset().has_value(), e.what());
        }
        QVERIFY(timer.elapsed() < 2000);  // no huge allocation, no hang
    }

    // Opening a FIFO blocks until a writer comes: every binary input is refused before it is opened.
    // (Without the check this test hangs.)
    void nonRegularFileIsRefused_data() {
        QTest::addColumn<QString>("fifo_name");  // its name says which loader reads it
        QTest::addColumn<QString>("features");  // "": the FIFO is the features file, else its labels
        QTest::newRow("npy") << "fifo.npy" << "";
        QTest::newRow("npy labels") << "fifo-labels.npy" << "dtype_f4_le.npy";
        QTest::newRow("idx images") << "fifo-images-idx3-ubyte" << "";
        QTest::newRow("idx labels") << "fifo-labels-idx1-ubyte" << "tiny-images-idx3-ubyte";
        QTest::newRow("npz") << "fifo.npz" << "";
    }
    void nonRegularFileIsRefused() {
        QFETCH(QString, fifo_name);
        QFETCH(QString, features);
        const std::string fifo = m_dir.filePath(fifo_name).toStdString();
        ::unlink(fifo.c_str());
        QCOMPARE(::mkfifo(fifo.c_str(), 0600), 0);
        LoadOptions options;
        if (!features.isEmpty()) options.labels_path = fifo;
        try {
            load(features.isEmpty() ? fifo : fixture(features), options);
            QFAIL("no error");
        } catch (const LoadError& e) {
            QCOMPARE(e.file(), fifo);
            QVERIFY2(e.cause().find("is a FIFO (named pipe), not a regular file") != std::string::npos, e.what());
        }
    }

    // The first bad value is reported whatever the thread count, on both read paths; its
    // byte offset points at the value in the file.
    void nonFiniteIsFoundFirstWhateverTheThreads_data() {
        QTest::addColumn<bool>("direct");
        QTest::newRow("little-endian float32, read in place") << true;
        QTest::newRow("big-endian float64, Fortran order, converted") << false;
    }
    void nonFiniteIsFoundFirstWhateverTheThreads() {
        QFETCH(bool, direct);
        const int n = 600, d = 600;  // 1.4 MB: several read chunks and conversion blocks
        QByteArray file;
        std::int64_t first_offset = 0;
        if (direct) {
            std::vector<float> v(std::size_t(n * d), 1.0f);
            v[std::size_t(500 * d + 7)] = std::nanf("");
            v[std::size_t(520 * d + 1)] = INFINITY;
            file = npy(dict("<f4", "(600, 600)"), raw(v));
            first_offset = file.size() - std::int64_t(v.size() * 4) + (500 * d + 7) * 4;
        } else {
            std::vector<double> v(std::size_t(n * d), 1.0);
            v[std::size_t(500 + n * 7)] = std::nan("");  // column-major (500, 7)
            v[std::size_t(520 + n * 1)] = INFINITY;
            for (auto& x : v) {
                std::uint64_t u;
                std::memcpy(&u, &x, 8);
                u = __builtin_bswap64(u);
                std::memcpy(&x, &u, 8);
            }
            file = npy(dict(">f8", "(600, 600)", true), raw(v));
            first_offset = file.size() - std::int64_t(v.size() * 8) + (500 + n * 7) * 8;
        }
        const std::string path = write(direct ? "bad_direct.npy" : "bad_converted.npy", file);
        const int threads = omp_get_max_threads();
        for (const int t : {1, 2, 3}) {
            omp_set_num_threads(t);
            try {
                load_npy(path);
                QFAIL("no error");
            } catch (const LoadError& e) {
                QVERIFY2(e.cause().find("NaN at row 500, column 7") != std::string::npos, e.what());
                QCOMPARE(e.offset().value_or(-1), first_offset);
            }
        }
        omp_set_num_threads(threads);
    }

    void conversionDoesNotDependOnThreads() {
        const int n = 300, d = 300;
        std::vector<std::int16_t> v(std::size_t(n * d));
        for (int j = 0; j < d; ++j)
            for (int i = 0; i < n; ++i) v[std::size_t(i + n * j)] = std::int16_t(i * 7 - j * 3);  // column-major
        const std::string path = write("fortran_big.npy", npy(dict("<i2", "(300, 300)", true), raw(v)));
        const int threads = omp_get_max_threads();
        omp_set_num_threads(1);
        const Dataset one = load_npy(path);
        omp_set_num_threads(2);
        const Dataset two = load_npy(path);
        omp_set_num_threads(threads);
        QVERIFY(one.features == two.features);
        for (int i = 0; i < n; i += 37)
            for (int j = 0; j < d; j += 11) QCOMPARE(one.at(i, j), float(i * 7 - j * 3));
    }


    /// A native float32 .npy opens memory-mapped: the same values as a read, nothing of its own
    /// allocated, writes private to the process (the file keeps its bytes), a copy or a resize
    /// takes the values into memory of its own, and a NaN is refused with the same message.
    // A mapped .npy truncated while open: reading its lost pages is a SIGBUS, which ends the
    // process with a message naming the file and status 2, not a bare "Bus error" (run in a
    // forked child, whose stderr goes to a file).
    void truncatedMappedFileIsNamed() {
        const int n = 1024, d = 256;
        std::vector<float> values(std::size_t(n) * d, 1.5f);
        const std::string path = write("truncated-later.npy", npy(dict("<f4", "(1024, 256)"), raw(values)));
        LoadOptions o;
        o.memory_map = MemoryMap::Always;
        const Dataset ds = load(path, o);
        QVERIFY(ds.features.is_mapped());
        QCOMPARE(ds.at(n - 1, d - 1), 1.5f);
        const std::string err = m_dir.filePath("child-stderr.txt").toStdString();
        const pid_t child = ::fork();
        if (child == 0) {
            const int fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            ::dup2(fd, 2);
            if (::truncate(path.c_str(), 128) != 0) ::_exit(10);
            volatile float v = ds.at(n - 1, d - 1);  // SIGBUS: the page is gone
            (void)v;
            ::_exit(11);
        }
        int status = 0;
        QCOMPARE(::waitpid(child, &status, 0), child);
        QVERIFY2(WIFEXITED(status), qPrintable(QString("child ended by signal %1").arg(WTERMSIG(status))));
        QCOMPARE(WEXITSTATUS(status), 2);
        QFile f(QString::fromStdString(err));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray message = f.readAll();
        QVERIFY2(message.contains(QByteArray::fromStdString(path)), message.constData());
        QVERIFY2(message.contains("was truncated or changed while it was open"), message.constData());
    }

    void npyMemoryMapped() {
        const int n = 1000, d = 7;
        std::vector<float> v(std::size_t(n * d));
        for (std::size_t k = 0; k < v.size(); ++k) v[k] = float(k) * 0.25f - 3.0f;
        const std::string path = write("mapped.npy", npy(dict("<f4", "(1000, 7)"), raw(v)));
        LoadOptions mapped, read;
        mapped.memory_map = MemoryMap::Always;
        read.memory_map = MemoryMap::Never;
        Dataset a = load(path, mapped);
        const Dataset b = load(path, read);
        QVERIFY(a.features.is_mapped());
        QCOMPARE(a.features.owned_bytes(), std::size_t(0));
        QVERIFY(!b.features.is_mapped());
        QVERIFY(a.features == b.features);
        QCOMPARE(a.n, qint64(n));
        QCOMPARE(a.d, qint64(d));
        QCOMPARE(a.at(999, 6), v.back());
        // Auto maps from kMapThreshold on: this small file is read.
        QVERIFY(!load(path).features.is_mapped());

        a.features[3] = 42.0f;  // copy-on-write: the file is untouched
        QCOMPARE(a.at(0, 3), 42.0f);
        QVERIFY(load(path, read).features == b.features);

        Dataset copy = a;  // a copy owns its values
        QVERIFY(!copy.features.is_mapped());
        QVERIFY(copy.features == a.features);
        Dataset moved = std::move(a);  // a move keeps the mapping
        QVERIFY(moved.features.is_mapped());
        moved.features.push_back(1.0f);  // a size change takes the values in
        QVERIFY(!moved.features.is_mapped());
        QCOMPARE(moved.features.size(), std::size_t(n * d + 1));
        QCOMPARE(moved.features[3], 42.0f);
        QCOMPARE(moved.features[7], v[7]);
        Dataset again = load(path, mapped);  // a range of its own mapping, inserted into itself
        QVERIFY(again.features.is_mapped());
        again.features.insert(again.features.end(), again.features.begin(), again.features.begin() + d);
        QCOMPARE(again.features.size(), std::size_t((n + 1) * d));
        for (int j = 0; j < d; ++j) QCOMPARE(again.features[std::size_t(n * d + j)], v[std::size_t(j)]);

        // Non-native layouts cannot be mapped and are read as before.
        const std::string big_endian = write("mapped_be.npy", npy(dict(">f4", "(1, 1)"), QByteArray("\x3f\x80\0\0", 4)));
        const Dataset be = load(big_endian, mapped);
        QVERIFY(!be.features.is_mapped());
        QCOMPARE(be.at(0, 0), 1.0f);

        v[std::size_t(517 * d + 4)] = std::nanf("");
        const std::string bad = write("mapped_nan.npy", npy(dict("<f4", "(1000, 7)"), raw(v)));
        for (const LoadOptions& options : {mapped, read}) {
            try {
                load(bad, options);
                QFAIL("no error");
            } catch (const LoadError& e) {
                QVERIFY2(QString(e.what()).contains("NaN at row 517, column 4"), e.what());
                QVERIFY(e.offset().has_value());
            }
        }
    }
};

QTEST_GUILESS_MAIN(TstBinaryFormats)
#include "tst_binary_formats.moc"
