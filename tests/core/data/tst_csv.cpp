// CSV / TSV / Embedding Projector loading: typing, quoting, missing-value policies and every kind
// of bad input the loader must refuse with a message naming the file, the line and the cause.
#include "common/error.h"
#include "common/file_io.h"
#include "common/parallel.h"
#include "data/load.h"

#include <QtTest>

#include <omp.h>
#include <zlib.h>

#include <bit>
#include <fstream>
#include <random>

#include <sys/stat.h>
#include <unistd.h>

using namespace latentscape;
using namespace latentscape::data;

class TstCsv : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    std::string write(const QString& name, const QByteArray& bytes) {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(path));
        f.write(bytes);
        return path.toStdString();
    }
    std::string writeGz(const QString& name, const QByteArray& bytes) {
        const std::string path = m_dir.filePath(name).toStdString();
        gzFile gz = gzopen(path.c_str(), "wb");
        gzwrite(gz, bytes.constData(), unsigned(bytes.size()));
        gzclose(gz);
        return path;
    }

private slots:
    void headerLabelAndTypes() {
        const auto path = write("iris.csv",
                                "sepal,petal,species,id\n"
                                "5.1,1.4,setosa,a1\n"
                                "7.0,4.7,versicolor,a2\n"
                                "6.3,6.0,virginica,a3\n"
                                "4.9,1.5,setosa,a4\n"
                                "5.0,1.3,setosa,a5\n");
        const Dataset ds = load(path);
        QCOMPARE(ds.n, 5);
        QCOMPARE(ds.d, 2);
        QCOMPARE(ds.feature_names, (std::vector<std::string>{"sepal", "petal"}));
        QCOMPARE(ds.at(1, 1), 4.7f);
        QCOMPARE(ds.format, std::string("csv"));
        QCOMPARE(ds.metadata.size(), std::size_t(2));
        QVERIFY(ds.label() != nullptr);
        QCOMPARE(ds.label()->name, std::string("species"));
        QCOMPARE(ds.label()->kind, ColumnKind::Categorical);
        QCOMPARE(ds.label()->categories, (std::vector<std::string>{"setosa", "versicolor", "virginica"}));
        QCOMPARE(ds.label()->codes, (std::vector<std::int32_t>{0, 1, 2, 0, 0}));
        // Five distinct ids in five rows: free text, and they become the row ids.
        QCOMPARE(ds.metadata[1].kind, ColumnKind::Text);
        QCOMPARE(ds.row_id(2), std::string("a3"));
    }

    // The feature matrix is the parsed one compacted in place when every row is kept and the
    // feature columns are side by side (label first, last, or none); else copied (label in the
    // middle, dropped rows). Every layout gives the same values, the label column intact.
    void featuresWhereverTheLabelSits() {
        const int n = 300;
        auto table = [&](int label_at, int d, bool missing) {
            QByteArray text;
            for (int j = 0; j <= d; ++j) text += (j ? "," : "") + (j == label_at ? QByteArray("class") : "f" + QByteArray::number(j));
            text += "\n";
            for (int i = 0; i < n; ++i) {
                int f = 0;
                for (int j = 0; j <= d; ++j) {
                    if (j) text += ",";
                    if (j == label_at) text += QByteArray("c") + QByteArray::number(i % 3);
                    else if (missing && i == 7 && f == 1) { text += ""; ++f; }
                    else text += QByteArray::number(i * 100 + f++);
                }
                text += "\n";
            }
            return text;
        };
        for (const int d : {1, 4, 9}) {  // 9 of 10 columns: in place; fewer: copied
            for (const int label_at : {0, 2, d}) {
                if (label_at > d) continue;
                for (const bool missing : {false, true}) {
                    if (missing && d < 2) continue;
                    LoadOptions o;
                    o.missing = missing ? MissingPolicy::DropRows : MissingPolicy::Error;
                    const Dataset ds = load_csv(write("layout.csv", table(label_at, d, missing)), o);
                    const int rows = missing ? n - 1 : n;
                    QCOMPARE(ds.n, std::int64_t(rows));
                    QCOMPARE(ds.d, std::int64_t(d));
                    QCOMPARE(ds.features.size(), std::size_t(rows) * std::size_t(d));
                    // No more memory kept than 8/7 of the features (not the whole parsed table).
                    QVERIFY(ds.features.owned_bytes() * 7 <= ds.features.size() * sizeof(float) * 8);
                    for (int r = 0; r < rows; ++r) {
                        const int i = missing && r >= 7 ? r + 1 : r;
                        for (int j = 0; j < d; ++j) QCOMPARE(ds.at(r, j), float(i * 100 + j));
                        QCOMPARE(ds.label()->value_string(std::size_t(r)), "c" + std::to_string(i % 3));
                    }
                }
            }
        }
    }

    // A separate labels file is for .npy and IDX; a table given one says so instead of ignoring it.
    void labelsFileIsRefusedForATable() {
        LoadOptions o;
        o.labels_path = "/tmp/some-labels.npy";
        try {
            load(write("with-labels-file.csv", "a,b\n1,2\n"), o);
            QFAIL("no error");
        } catch (const LoadError& e) {
            QVERIFY2(std::string(e.what()).find("applies to .npy features and IDX images only; name its label column "
                                                "instead (--label COL)") != std::string::npos,
                     e.what());
        }
    }

    void numericLabelColumnIsMetadata() {
        const auto path = write("digits.csv", "label,p1,p2\n3,0,255\n1,12,0\n3,7,7\n");
        const Dataset ds = load(path);
        QCOMPARE(ds.d, 2);
        QCOMPARE(ds.feature_names[0], std::string("p1"));
        QVERIFY(ds.label());
        QCOMPARE(ds.label()->kind, ColumnKind::Categorical);
        QCOMPARE(ds.label()->categories, (std::vector<std::string>{"1", "3"}));
        QCOMPARE(ds.label()->codes, (std::vector<std::int32_t>{1, 0, 1}));
    }

    void pandasIndexIsNotAFeature() {
        // df.to_csv() writes the index first, under an empty name.
        const Dataset ds = load(write("pandas.csv", ",f1,f2,label\n0,1.5,2,a\n1,3,4,b\n2,5,6,a\n"));
        QCOMPARE(ds.d, 2);
        QCOMPARE(ds.feature_names, (std::vector<std::string>{"f1", "f2"}));
        QCOMPARE(ds.row_id(2), std::string("2"));
        QCOMPARE(ds.metadata.at(0).name, std::string("index"));
        QCOMPARE(ds.label()->name, std::string("label"));
    }

    void classNamesBeatTheirCodes() {
        // scikit-learn's frames: 'target' codes beside the class names.
        const Dataset ds = load(write("iris3.csv", "sl,target,species\n5.1,0,setosa\n7,1,versicolor\n6.3,2,virginica\n4.9,0,setosa\n"));
        QCOMPARE(ds.label()->name, std::string("species"));
        QCOMPARE(ds.d, 1);
        // Codes that do not match the names one to one stay the label.
        const Dataset other = load(write("iris4.csv", "sl,target,species\n5.1,0,setosa\n7,1,setosa\n6.3,2,virginica\n4.9,0,versicolor\n"));
        QCOMPARE(other.label()->name, std::string("target"));
    }

    void explicitLabelKeepsOtherLabelsOutOfTheFeatures() {
        LoadOptions o;
        o.label = "species";
        const Dataset ds = load(write("iris2.csv", "sl,sw,target,species\n5.1,3.5,0,setosa\n7,3.2,1,versicolor\n6.3,3.3,2,virginica\n"), o);
        QCOMPARE(ds.feature_names, (std::vector<std::string>{"sl", "sw"}));
        QCOMPARE(ds.label()->name, std::string("species"));
    }

    void yIsALabelUnlessBesideX() {
        Dataset ds = load(write("xy.csv", "f1,f2,y\n1,2,0\n3,4,1\n5,6,0\n"));
        QCOMPARE(ds.d, 2);
        QCOMPARE(ds.label()->name, std::string("y"));
        ds = load(write("xyz.csv", "x,y,z,segment\n1,2,3,a\n3,4,5,b\n5,6,7,a\n"));
        QCOMPARE(ds.d, 3);
        QCOMPARE(ds.feature_names[1], std::string("y"));
        QCOMPARE(ds.label()->name, std::string("segment"));
    }

    void explicitLabel() {
        const auto path = write("explicit.csv", "a,b,c\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n");
        LoadOptions o;
        o.label = "c";
        const Dataset ds = load(path, o);
        QCOMPARE(ds.d, 2);
        QCOMPARE(ds.label()->name, std::string("c"));
        // A column number only applies to files without a header; a huge one is simply not found.
        LoadOptions byNumber;
        byNumber.label = "3";
        QCOMPARE(load(write("numbered.csv", "1,2,0\n3,4,1\n5,6,0\n"), byNumber).label()->name, std::string("col3"));
        byNumber.label = "99999999999999999999999";
        QVERIFY_THROWS_EXCEPTION(LoadError, load(m_dir.filePath("numbered.csv").toStdString(), byNumber));
        o.label = "nope";
        try {
            load(path, o);
            QFAIL("no error for an unknown label column");
        } catch (const LoadError& e) {
            QVERIFY2(std::string(e.what()).find("'nope' not found") != std::string::npos, e.what());
            QVERIFY(std::string(e.what()).find("a, b, c") != std::string::npos);
        }
    }

    void headerlessAndDelimiters_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("comma, no header") << "a.csv" << QByteArray("1,2,3\n4,5,6\n");
        QTest::newRow("semicolon") << "b.csv" << QByteArray("a;b;c\n1;2;3\n4;5;6\n");
        QTest::newRow("tab by extension") << "c.tsv" << QByteArray("a\tb\tc\n1\t2\t3\n4\t5\t6\n");
        QTest::newRow("pipe") << "d.txt" << QByteArray("1|2|3\n4|5|6\n");
        QTest::newRow("CRLF and BOM") << "e.csv" << QByteArray("\xEF\xBB\xBF" "a,b,c\r\n1,2,3\r\n4,5,6\r\n");
        QTest::newRow("blank lines, no final newline") << "f.csv" << QByteArray("\na,b,c\n\n1,2,3\n  \n4,5,6");
        QTest::newRow("quoted numbers, spaces, plus sign") << "g.csv" << QByteArray("\"a\",\"b\",\"c\"\n\"1\", 2 ,+3\n4,\"5\",6e0\n");
    }
    void headerlessAndDelimiters() {
        // (Columns named a/b/c: 'y' is one of the automatic label names, see yIsALabelUnlessBesideX.)
        QFETCH(QString, name);
        QFETCH(QByteArray, bytes);
        const Dataset ds = load(write(name, bytes));
        QCOMPARE(ds.n, 2);
        QCOMPARE(ds.d, 3);
        QCOMPARE(std::vector<float>(ds.features.begin(), ds.features.end()), (std::vector<float>{1, 2, 3, 4, 5, 6}));
    }

    void rfc4180Quoting() {
        const auto path = write("quoted.csv",
                                "x,note\n"
                                "1,\"plain\"\n"
                                "2,\"with, comma\"\n"
                                "3,\"say \"\"hi\"\"\"\n"
                                "4,\"two\nlines\"\n"
                                "5,x,\n");  // ragged on line 7: the multi-line field counts
        try {
            load(path);
            QFAIL("ragged row accepted");
        } catch (const LoadError& e) {
            QCOMPARE(e.line().value_or(-1), std::int64_t(7));
        }
        const auto ok = write("quoted_ok.csv",
                              "x,note\n1,\"plain\"\n2,\"with, comma\"\n3,\"say \"\"hi\"\"\"\n4,\"two\nlines\"\n");
        const Dataset ds = load(ok);
        QCOMPARE(ds.n, 4);
        const auto& note = ds.metadata.at(0);
        QCOMPARE(note.value_string(1), std::string("with, comma"));
        QCOMPARE(note.value_string(2), std::string("say \"hi\""));
        QCOMPARE(note.value_string(3), std::string("two\nlines"));
    }

    void gzipped() {
        const auto path = writeGz("z.csv.gz", "a,b,label\n1.5,2,x\n3,4.25,y\n");
        const Dataset ds = load(path);
        QCOMPARE(ds.n, 2);
        QCOMPARE(ds.at(1, 1), 4.25f);
        QCOMPARE(ds.label()->name, std::string("label"));
    }

    void floatParsing() {
        const auto path = write("floats.csv", "v\n0.1\n-1e-3\n3.4028235e38\n1e-50\n123456789\n-0.0\n.5\n");
        const Dataset ds = load(path);
        QCOMPARE(ds.n, 7);
        QCOMPARE(ds.at(0, 0), 0.1f);
        QCOMPARE(ds.at(1, 0), -1e-3f);
        QCOMPARE(ds.at(2, 0), 3.4028235e38f);
        QCOMPARE(ds.at(3, 0), 0.0f);  // underflows to zero, not an error
        QCOMPARE(ds.at(4, 0), 123456789.0f);
        QCOMPARE(ds.at(6, 0), 0.5f);
    }

    // The integer fast path (up to 9 digits into an int32 while the field is scanned, then
    // from_chars): fields of every length around that boundary (1 to 11 digits, '-' and '+',
    // leading zeros, "-0", decimals and exponents that start like integers), CRLF and LF line
    // ends, a short last line without its line break, and tab and space delimiters. Each cell must
    // equal strtof of its text bit for bit (so "-00" is -0, as strtof reads it).
    void integersOfEveryLengthMatchStrtof_data() {
        QTest::addColumn<QString>("delimiter");
        QTest::addColumn<QString>("lineEnd");
        QTest::newRow("comma LF") << "," << "\n";
        QTest::newRow("comma CRLF") << "," << "\r\n";
        QTest::newRow("tab") << "\t" << "\n";
        QTest::newRow("space") << " " << "\n";
    }
    void integersOfEveryLengthMatchStrtof() {
        QFETCH(QString, delimiter);
        QFETCH(QString, lineEnd);
        const int rows = 300, cols = 7;
        std::mt19937 rng(12);
        std::vector<std::string> cells;
        auto token = [&] {
            const int digits = 1 + int(rng() % 11);
            const auto sign = rng() % 8;
            std::string t = sign < 2 ? "-" : sign == 2 ? "+" : "";
            const int zeros = rng() % 5 == 0 ? 1 + int(rng() % 3) : 0;
            t += std::string(std::size_t(zeros), '0');
            for (int i = 0; i < digits; ++i) t += char('0' + (i == 0 && zeros == 0 ? 1 + rng() % 9 : rng() % 10));
            if (rng() % 6 == 0) t += "." + std::to_string(rng() % 1000);
            if (rng() % 10 == 0) t += "e" + std::to_string(rng() % 5);
            return t;
        };
        QByteArray text;
        for (int c = 0; c < cols; ++c) text += (c ? delimiter : QString()).toUtf8() + "c" + QByteArray::number(c);
        text += lineEnd.toUtf8();
        for (int r = 0; r < rows; ++r) {
            for (int c = 0; c < cols; ++c) {
                cells.push_back(r == rows - 1 ? std::to_string(c % 3) : token());  // a short last line
                text += (c ? delimiter : QString()).toUtf8() + QByteArray::fromStdString(cells.back());
            }
            if (r < rows - 1) text += lineEnd.toUtf8();  // no line break after the last
        }
        const Dataset ds = load(write("integers.csv", text));
        QCOMPARE(ds.n, std::int64_t(rows));
        QCOMPARE(ds.d, std::int64_t(cols));
        for (int r = 0; r < rows; ++r)
            for (int c = 0; c < cols; ++c) {
                const std::string& cell = cells[std::size_t(r * cols + c)];
                QVERIFY2(std::bit_cast<std::uint32_t>(ds.at(r, c)) ==
                             std::bit_cast<std::uint32_t>(std::strtof(cell.c_str(), nullptr)),
                         qPrintable(QString("row %1 column %2: '%3' read as %4")
                                        .arg(r)
                                        .arg(c)
                                        .arg(QString::fromStdString(cell))
                                        .arg(double(ds.at(r, c)), 0, 'g', 10)));
            }
    }

    // 1e-400 is too small even for a double: it reads as 0, as 1e-50 does (float32 rounds both to
    // zero), not as "not a finite number". Overflow stays an error.
    void underflowReadsAsZero_data() {
        QTest::addColumn<QByteArray>("cell");
        QTest::addColumn<float>("value");
        QTest::newRow("1e-50") << QByteArray("1e-50") << 0.0f;
        QTest::newRow("1e-400") << QByteArray("1e-400") << 0.0f;
        QTest::newRow("-1e-400") << QByteArray("-1e-400") << -0.0f;
        QTest::newRow("+1E-400") << QByteArray("+1E-400") << 0.0f;
        QTest::newRow("0.00001e-330") << QByteArray("0.00001e-330") << 0.0f;
        QTest::newRow("123456e-400") << QByteArray("123456e-400") << 0.0f;
        QTest::newRow("huge negative exponent") << QByteArray("7e-99999999999999999999999") << 0.0f;
        QTest::newRow("quoted") << QByteArray("\"2.5e-999\"") << 0.0f;
        QTest::newRow("subnormal float") << QByteArray("1e-40") << 1e-40f;
    }
    void underflowReadsAsZero() {
        QFETCH(QByteArray, cell);
        QFETCH(float, value);
        Dataset ds;
        try {
            ds = load(write("underflow.csv", "a,b\n1," + cell + "\n2,3\n"));
        } catch (const LoadError& e) {
            QFAIL(e.what());
        }
        QCOMPARE(ds.n, 2);
        QCOMPARE(ds.d, 2);
        QCOMPARE(ds.at(0, 1), value);
        QCOMPARE(std::signbit(ds.at(0, 1)), std::signbit(value));
    }
    void overflowIsStillAnError_data() {
        QTest::addColumn<QByteArray>("cell");
        QTest::newRow("1e39") << QByteArray("1e39");
        QTest::newRow("1e400") << QByteArray("1e400");
        QTest::newRow("-1e400") << QByteArray("-1e400");
        QTest::newRow("0.001e400") << QByteArray("0.001e400");
        QTest::newRow("huge mantissa and exponent") << QByteArray("12345678901234567890e99999999999999999999");
    }
    void overflowIsStillAnError() {
        QFETCH(QByteArray, cell);
        try {
            load(write("overflow.csv", "a,b\n1," + cell + "\n2,3\n"));
            QFAIL("overflow accepted");
        } catch (const LoadError& e) {
            QVERIFY2(std::string(e.what()).find("not a finite float32") != std::string::npos, e.what());
        }
    }

    // Repeated header names get "_2", "_3", ... (the first free one), exactly as before the
    // de-duplication stopped being quadratic.
    void duplicateHeaderNames() {
        const Dataset ds = load(write("dups.csv", "a,a,a_2,,a,,col2,x,a_3,a\n"
                                                  "1.5,2,3,4,5,6,7,8,9,10\n"
                                                  "2.5,3,4,5,6,7,8,9,10,11\n"));
        QCOMPARE(ds.feature_names, (std::vector<std::string>{"a", "a_2", "a_2_2", "col4", "a_3", "col6", "col2", "x",
                                                             "a_3_2", "a_4"}));
        const Dataset empty = load(write("dups2.csv", "col2,,b\n1.5,2,3\n2.5,3,4\n"));
        QCOMPARE(empty.feature_names, (std::vector<std::string>{"col2", "_2", "b"}));
    }
    // 20,000 identical names: took 25 s (quadratic), now a fraction of a second.
    void manyIdenticalHeaderNamesAreFast() {
        constexpr int n = 20000;
        QByteArray csv;
        for (int c = 0; c < n; ++c) csv += c ? ",a" : "a";
        csv += "\n";
        for (int r = 0; r < 2; ++r) {
            for (int c = 0; c < n; ++c) csv += c ? ",1" : "1";
            csv += "\n";
        }
        const std::string path = write("same-names.csv", csv);
        QElapsedTimer timer;
        timer.start();
        const Dataset ds = load(path);
        const qint64 ms = timer.elapsed();
        QCOMPARE(ds.d, n);
        QCOMPARE(ds.feature_names[1], std::string("a_2"));
        QCOMPARE(ds.feature_names[n - 1], std::string("a_20000"));
        QVERIFY2(ms < 5000, qPrintable(QStringLiteral("%1 ms").arg(ms)));
    }

    void missingValuePolicies() {
        const QByteArray csv = "a,b,label\n1,2,x\n,4,y\n5,NA,x\n7,8,y\nNaN,n/a,x\n";
        const auto path = write("missing.csv", csv);
        try {
            load(path);
            QFAIL("missing values accepted silently");
        } catch (const MissingValuesError& e) {
            QCOMPARE(e.missing_cells(), std::int64_t(4));
            QCOMPARE(e.affected_rows(), std::int64_t(3));
            QCOMPARE(e.line().value_or(-1), std::int64_t(3));
            QVERIFY2(std::string(e.what()).find("missing.csv:3:") != std::string::npos, e.what());
        }
        LoadOptions drop;
        drop.missing = MissingPolicy::DropRows;
        const Dataset d = load(path, drop);
        QCOMPARE(d.n, 2);
        QCOMPARE(std::vector<float>(d.features.begin(), d.features.end()), (std::vector<float>{1, 2, 7, 8}));
        QCOMPARE(d.label()->codes, (std::vector<std::int32_t>{0, 1}));  // metadata follows the kept rows
        QCOMPARE(d.missing.rows_dropped, std::int64_t(3));
        QCOMPARE(d.missing.cells, std::int64_t(4));

        LoadOptions mean;
        mean.missing = MissingPolicy::ImputeMean;
        const Dataset m = load(path, mean);
        QCOMPARE(m.n, 5);
        QCOMPARE(m.at(1, 0), (1.0f + 5 + 7) / 3);
        QCOMPARE(m.at(2, 1), (2.0f + 4 + 8) / 3);
        QCOMPARE(m.missing.cells_imputed, std::int64_t(4));
    }

    void badInput_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("line");         // expected line, or 0 when none applies
        QTest::addColumn<QString>("cause");    // a piece of the message
        QTest::newRow("empty file") << "empty.csv" << QByteArray() << 0 << "file is empty";
        QTest::newRow("blank lines only") << "blank.csv" << QByteArray("\n \n\n") << 0 << "no data";
        QTest::newRow("header only") << "header.csv" << QByteArray("a,b,c\n") << 1 << "only a header";
        QTest::newRow("header only, after blank lines") << "header3.csv" << QByteArray("\n\na,b,c\n") << 3 << "only a header";
        QTest::newRow("ragged row") << "ragged.csv" << QByteArray("a,b,c\n1,2,3\n4,5\n6,7,8\n") << 3 << "ragged row: 2 fields, expected 3";
        QTest::newRow("non-numeric cell") << "text.csv" << QByteArray("a,b\n1,2\n3,4\n5,oops\n7,8\n") << 4 << "non-numeric value 'oops'";
        QTest::newRow("infinite value") << "inf.csv" << QByteArray("a,b\n1,2\n3,inf\n") << 3 << "not a finite float32";
        QTest::newRow("overflowing value") << "big.csv" << QByteArray("a,b\n1,2\n3,1e39\n") << 3 << "not a finite float32";
        QTest::newRow("binary garbage") << "garbage.csv" << QByteArray("\x01\x02\x00\xff\xfe garbage", 12) << 0 << "binary data";
        QTest::newRow("npy bytes named csv") << "npy.csv" << QByteArray("\x93NUMPY\x01\x00", 8) << 0 << "NumPy .npy file";
        QTest::newRow("unclosed quote") << "quote.csv" << QByteArray("a,b\n1,\"open\n2,3\n") << 2 << "never closed";
        QTest::newRow("xlsx renamed") << "book.csv" << QByteArray("PK\x03\x04rest", 8) << 0 << "Excel .xlsx";
        QTest::newRow("UTF-16 text") << "u16.csv" << QByteArray("\xFF\xFE" "a\0,\0b\0", 8) << 0 << "UTF-16";
        QTest::newRow("decimal commas") << "comma.csv" << QByteArray("a;b\n1,5;2,5\n3,5;4,5\n") << 0 << "decimal commas";
        QTest::newRow("no numeric column") << "words.csv" << QByteArray("name,colour\nann,red\nbob,blue\n") << 0 << "no numeric feature columns";
    }
    void badInput() {
        QFETCH(QString, name);
        QFETCH(QByteArray, bytes);
        QFETCH(int, line);
        QFETCH(QString, cause);
        const auto path = write(name, bytes);
        try {
            load(path);
            QFAIL("bad input accepted");
        } catch (const LoadError& e) {
            const std::string what = e.what();
            QVERIFY2(what.rfind(path, 0) == 0, what.c_str());  // starts with the file name
            QVERIFY2(what.find(cause.toStdString()) != std::string::npos, what.c_str());
            if (line > 0) QCOMPARE(e.line().value_or(-1), std::int64_t(line));
        }
    }

    void overWideFirstRowIsARaggedRow() {
        // 2,000 names, then rows of one value: the cells cannot fit in the file, so the answer
        // is the first short row, not a request for memory sized by the header.
        QByteArray csv;
        for (int c = 0; c < 2000; ++c) csv += (c ? "," : "") + QByteArray("c") + QByteArray::number(c);
        csv += "\n";
        for (int r = 0; r < 50; ++r) csv += "1\n";
        try {
            load(write("wide.csv", csv));
            QFAIL("ragged table accepted");
        } catch (const LoadError& e) {
            QCOMPARE(e.line().value_or(-1), std::int64_t(2));
            QVERIFY2(std::string(e.what()).find("ragged row: 1 fields, expected 2000") != std::string::npos, e.what());
        }
    }

    void namedPipeIsRefusedWithoutHanging() {
        const QByteArray fifo = m_dir.filePath("pipe.csv").toLocal8Bit();
        QCOMPARE(::mkfifo(fifo.constData(), 0600), 0);
        try {
            load(fifo.toStdString());
            QFAIL("FIFO accepted");
        } catch (const LoadError& e) {
            QVERIFY2(std::string(e.what()).find("not a regular file") != std::string::npos, e.what());
        }
    }

    // A symbolic link loop says so (it used to say "no such file"); a dangling link says what it is.
    void symbolicLinkLoopIsNamed() {
        const QByteArray a = m_dir.filePath("loop-a.csv").toLocal8Bit(), b = m_dir.filePath("loop-b.csv").toLocal8Bit();
        QCOMPARE(::symlink(b.constData(), a.constData()), 0);
        QCOMPARE(::symlink(a.constData(), b.constData()), 0);
        try {
            load(a.toStdString());
            QFAIL("loop accepted");
        } catch (const LoadError& e) {
            QVERIFY2(e.cause().find("too many levels of symbolic links (a symbolic link loop)") != std::string::npos, e.what());
        }
        const QByteArray dangling = m_dir.filePath("dangling.csv").toLocal8Bit();
        QCOMPARE(::symlink(m_dir.filePath("not-there.csv").toLocal8Bit().constData(), dangling.constData()), 0);
        try {
            load(dangling.toStdString());
            QFAIL("dangling link accepted");
        } catch (const LoadError& e) {
            QVERIFY2(e.cause().find("no such file (a symbolic link to a file that is not there)") != std::string::npos, e.what());
        }
    }

    // A character device is refused by name before it is read (/dev/zero never ends).
    void deviceIsRefused() {
        const QByteArray link = m_dir.filePath("zero.csv").toLocal8Bit();
        QCOMPARE(::symlink("/dev/zero", link.constData()), 0);
        try {
            load(link.toStdString());
            QFAIL("device accepted");
        } catch (const LoadError& e) {
            QVERIFY2(e.cause().find("is a character device, not a regular file") != std::string::npos, e.what());
        }
    }

    // Files under /proc have a stat size of 0 but are not empty: they are read as streams.
    void procFilesAreReadAsStreams() {
        const std::string text = io::read_file("/proc/self/status");
        QVERIFY2(text.find("Name:") != std::string::npos, text.c_str());
        const io::FileBytes mapped = io::map_file("/proc/self/status");
        QVERIFY(mapped.view().find("Name:") != std::string_view::npos);
        // Through the loaders: /proc/self/mounts is a space-separated table; whatever it holds,
        // it is not "empty".
        const QByteArray link = m_dir.filePath("mounts.txt").toLocal8Bit();
        QCOMPARE(::symlink("/proc/self/mounts", link.constData()), 0);
        try {
            load(link.toStdString());
        } catch (const LoadError& e) {
            QVERIFY2(e.cause().find("empty") == std::string::npos, e.what());
        }
    }

    void extensionWinsOverIdxLikeName() {
        const Dataset ds = load(write("res-idx1.csv", "a,b\n1,2\n3,4\n"));
        QCOMPARE(ds.format, std::string("csv"));
        QCOMPARE(ds.n, 2);
    }

    void metadataKeepsFullPrecision() {
        // float32 cannot tell 16777216 from 16777217: labels are parsed again as doubles.
        const Dataset ds = load(write("bigcodes.csv", "a,label\n1,16777216\n2,16777217\n3,16777216\n"));
        QCOMPARE(ds.label()->categories, (std::vector<std::string>{"16777216", "16777217"}));
        QCOMPARE(ds.label()->codes, (std::vector<std::int32_t>{0, 1, 0}));
        write("ids_vectors.tsv", "1\t2\n3\t4\n5\t6\n");
        write("ids_metadata.tsv", "id\tkind\n1700000000123\ta\n1700000000124\tb\n1700000000125\ta\n");
        const Dataset p = load(m_dir.filePath("ids_vectors.tsv").toStdString());
        const auto& id = p.metadata.at(*p.find_metadata("id"));
        QCOMPARE(id.kind, ColumnKind::Numeric);
        QCOMPARE(id.numbers[1], 1700000000124.0);
    }

    void truncatedGzip() {
        QByteArray big;
        for (int i = 0; i < 5000; ++i) big += QByteArray::number(i) + "," + QByteArray::number(i * 7 % 13) + "\n";
        const auto full = writeGz("cut.csv.gz", big);
        std::ifstream in(full, std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), {});
        const auto cut = write("cut2.csv.gz", QByteArray(bytes.data(), qsizetype(bytes.size() / 2)));
        try {
            load(cut);
            QFAIL("truncated gzip accepted");
        } catch (const LoadError& e) {
            QVERIFY2(std::string(e.what()).find("cut short") != std::string::npos, e.what());
            QVERIFY(e.offset().has_value());
        }
    }

    void unsupportedExtension() {
        const auto path = write("data.xlsx", "whatever");
        QVERIFY_THROWS_EXCEPTION(LoadError, load(path));
        QVERIFY_THROWS_EXCEPTION(LoadError, load(m_dir.filePath("does-not-exist.csv").toStdString()));
    }

    void sameResultWithOneOrTwoThreads() {
        QByteArray csv = "a,b,c,label\n";
        for (int i = 0; i < 20000; ++i)
            csv += QByteArray::number(i * 0.37, 'g', 9) + "," + QByteArray::number(-i) + "," +
                   (i % 97 ? QByteArray::number(i % 11) : QByteArray("")) + "," + QByteArray::number(i % 3) + "\n";
        const auto path = write("threads.csv", csv);
        LoadOptions o;
        o.missing = MissingPolicy::ImputeMean;
        // The build really runs OpenMP: without it the comparison below proves nothing.
        if (QThread::idealThreadCount() >= 2) QVERIFY(parallel::threads_in_region() >= 2);
        const int before = omp_get_max_threads();
        omp_set_num_threads(1);
        const Dataset one = load(path, o);
        omp_set_num_threads(2);
        const Dataset two = load(path, o);
        omp_set_num_threads(before);
        QCOMPARE(one.n, 20000);
        QVERIFY(one.features == two.features);
        QVERIFY(one.label()->codes == two.label()->codes);
    }

    // Text layouts numpy.loadtxt reads by default, and scikit-learn's bundled tables: the values
    // must equal numpy's (goldens by tests/data/text/make_text_goldens.py).
    void textFormatsMatchNumpy_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("skip");
        QTest::addColumn<QString>("names");  // the column names expected, comma-separated
        QTest::newRow("whitespace, header line") << "linnerud_exercise.csv" << 0 << "Chins,Situps,Jumps";
        QTest::newRow("whitespace .csv.gz, no header") << "diabetes_data_raw.csv.gz" << 0 << "col1,col2,col3,col4,col5,col6,col7,col8,col9,col10";
        QTest::newRow("preamble, quoted header") << "boston_house_prices.csv" << 1
                                                 << "CRIM,ZN,INDUS,CHAS,NOX,RM,AGE,DIS,RAD,TAX,PTRATIO,B,LSTAT,MEDV";
        QTest::newRow("preamble, no header") << "wine_data.csv" << 1 << "";
        QTest::newRow("numpy.savetxt header") << "savetxt_header.txt" << 0 << "alpha,beta,gamma";
        QTest::newRow("comments, tabs and spaces") << "comments.dat" << 0 << "x,y,z";
        QTest::newRow("CR line breaks only") << "mac_cr.data" << 0 << "col1,col2,col3";
    }
    void textFormatsMatchNumpy() {
        QFETCH(QString, file);
        QFETCH(int, skip);
        QFETCH(QString, names);
        const std::string dir = LATENTSCAPE_TEST_DATA "/text/";
        LoadOptions o;
        o.skip_rows = skip;
        const Dataset ds = load(dir + file.toStdString(), o);
        const Dataset golden = load_npy(dir + file.toStdString() + ".golden.npy");
        QCOMPARE(ds.n, golden.n);
        QCOMPARE(ds.d, golden.d);
        for (std::size_t i = 0; i < std::size_t(ds.n * ds.d); ++i) {
            const float a = ds.features[i], b = golden.features[i];
            // numpy rounds through double: at most one float step apart.
            if (std::fabs(a - b) > 1.2e-7f * std::max(1.0f, std::fabs(b)))
                QFAIL(qPrintable(QStringLiteral("value %1: %2, numpy %3").arg(i).arg(a).arg(b)));
        }
        if (!names.isEmpty()) {
            QStringList got;
            for (const auto& n : ds.feature_names) got << QString::fromStdString(n);
            QCOMPARE(got.join(QLatin1Char(',')), names);
        }
    }

    void textLayoutErrors() {
        // The preamble of boston_house_prices.csv ("506,13,,,...") read as the header: its 14
        // fields match, but the quoted names below are then text in numeric columns.
        const std::string boston = LATENTSCAPE_TEST_DATA "/text/boston_house_prices.csv";
        try {
            load(boston);
            QFAIL("loaded");
        } catch (const LoadError& e) {
            QVERIFY2(e.line() && *e.line() == 2, e.what());
            QVERIFY2(std::string(e.what()).find("skip rows") != std::string::npos, e.what());
        }
        LoadOptions o;
        o.skip_rows = 5000;  // more than the file has
        try {
            load(boston, o);
            QFAIL("loaded");
        } catch (const LoadError& e) {
            QVERIFY2(std::string(e.what()).find("to skip") != std::string::npos, e.what());
        }
        // A ragged whitespace row names its line (the file's, comments and blanks counted).
        const std::string ragged = write("ragged.txt", "# a b c\n1 2 3\n\n4 5\n");
        try {
            load(ragged);
            QFAIL("loaded");
        } catch (const LoadError& e) {
            QVERIFY2(e.line() && *e.line() == 4, e.what());
            QVERIFY2(std::string(e.what()).find("ragged") != std::string::npos, e.what());
        }
        // Comments off: a '#' line is data, and here text in a numeric table.
        o = {};
        o.comment = std::nullopt;
        const std::string commented = write("commented.csv", "a,b\n1,2\n#3,4\n");
        QVERIFY_THROWS_EXCEPTION(LoadError, load(commented, o));
        QCOMPARE(load(commented).n, std::int64_t(1));
        // CR-only: three rows, not one; an explicit whitespace delimiter on a .csv.
        QCOMPARE(load(write("cr.csv", "a,b\r1,2\r3,4\r")).n, std::int64_t(2));
        o = {};
        o.delimiter = ' ';
        const Dataset spaced = load(write("spaced.csv", "  1   2\n3\t\t4\n"), o);
        QCOMPARE(spaced.d, std::int64_t(2));
        QCOMPARE(spaced.features[3], 4.0f);
    }

    void projectorPair() {
        write("demo_vectors.tsv", "0.1\t0.2\t0.3\n1\t2\t3\n-1\t-2\t-3\n");
        write("demo_metadata.tsv", "word\tpos\ncat\tnoun\nrun\tverb\ndog\tnoun\n");
        const Dataset ds = load(m_dir.filePath("demo_vectors.tsv").toStdString());
        QCOMPARE(ds.format, std::string("projector"));
        QCOMPARE(ds.n, 3);
        QCOMPARE(ds.d, 3);
        QCOMPARE(ds.metadata.size(), std::size_t(2));
        QCOMPARE(ds.metadata[0].value_string(1), std::string("run"));
        QVERIFY(ds.label());
        QCOMPARE(ds.label()->name, std::string("pos"));  // 'word' is unique text; 'pos' repeats

        // One metadata column: no header line.
        write("one_vectors.tsv", "1\t2\n3\t4\n");
        write("one_metadata.tsv", "alpha\nbeta\n");
        const Dataset one = load(m_dir.filePath("one_vectors.tsv").toStdString());
        QCOMPARE(one.label()->name, std::string("label"));
        QCOMPARE(one.label()->value_string(1), std::string("beta"));

        // Row counts must agree.
        write("bad_vectors.tsv", "1\t2\n3\t4\n");
        write("bad_metadata.tsv", "a\tb\nx\ty\n");
        try {
            load(m_dir.filePath("bad_vectors.tsv").toStdString());
            QFAIL("mismatched metadata accepted");
        } catch (const LoadError& e) {
            QVERIFY2(std::string(e.what()).find("bad_metadata.tsv") != std::string::npos, e.what());
        }
        // Text in the vectors file is an error at its line.
        write("text_vectors.tsv", "1\t2\n3\tx\n5\t6\n");
        try {
            load(m_dir.filePath("text_vectors.tsv").toStdString());
            QFAIL("text in vectors accepted");
        } catch (const LoadError& e) {
            QCOMPARE(e.line().value_or(-1), std::int64_t(2));
        }
    }
};

QTEST_GUILESS_MAIN(TstCsv)
#include "tst_csv.moc"
