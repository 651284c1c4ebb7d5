// Writers (atomic, round-trip exact) and the built-in synthetic datasets (deterministic, shaped
// as their closed forms say).
#include "common/error.h"
#include "common/file_io.h"
#include "data/load.h"
#include "data/synthetic.h"
#include "data/write.h"

#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>

using namespace latentscape;
using namespace latentscape::data;

class TstWriteSynthetic : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    std::string path(const char* name) const { return m_dir.filePath(name).toStdString(); }
    static std::string slurp(const std::string& p) {
        std::ifstream in(p, std::ios::binary);
        return std::string((std::istreambuf_iterator<char>(in)), {});
    }

private slots:
    void csvRoundTripIsExact() {
        synthetic::BlobsOptions o;
        o.n = 500;
        o.d = 7;
        o.k = 4;
        const Dataset ds = synthetic::blobs(o);
        write(ds, path("blobs.csv"));
        const Dataset back = load(path("blobs.csv"));
        QCOMPARE(back.n, ds.n);
        QCOMPARE(back.d, ds.d);
        QVERIFY(back.features == ds.features);  // shortest round-trip text: bit-exact floats
        QCOMPARE(back.feature_names, ds.feature_names);
        QVERIFY(back.label());
        QCOMPARE(back.label()->name, std::string("blob"));
        QCOMPARE(back.label()->categories, ds.label()->categories);
        QCOMPARE(back.label()->codes, ds.label()->codes);
    }

    void csvQuotesTextThatNeedsIt() {
        Dataset ds;
        ds.n = 2;
        ds.d = 1;
        ds.features = {1.5f, -2.0f};
        ds.feature_names = {"v"};
        ds.metadata.push_back(MetadataColumn::text("note", {"a, b", "say \"x\"\nnext"}));
        write_csv(ds, path("quoted.csv"));
        QCOMPARE(slurp(path("quoted.csv")), std::string("v,note\n1.5,\"a, b\"\n-2,\"say \"\"x\"\"\nnext\"\n"));
        const Dataset back = load(path("quoted.csv"));
        QCOMPARE(back.metadata.at(0).value_string(1), std::string("say \"x\"\nnext"));
    }

    void atomicWriteKeepsOldFileOnFailure() {
        const std::string target = path("keep.csv");
        io::write_atomically(target, [](std::ostream& out) { out << "old\n"; });
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, io::write_atomically(target, [](std::ostream& out) {
                                     out << "partial";
                                     throw std::runtime_error("disk on fire");
                                 }));
        QCOMPARE(slurp(target), std::string("old\n"));
        // No temporary file is left behind.
        int files = 0;
        for (const auto& e : std::filesystem::directory_iterator(m_dir.path().toStdString()))
            files += e.path().filename().string().find("keep.csv") != std::string::npos;
        QCOMPARE(files, 1);
        // A folder that does not exist is an error, not a crash.
        QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                                 write_csv(synthetic::blobs(), path("no/such/folder/x.csv")));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, write(synthetic::blobs(), path("x.xlsx")));
    }

    void blobsAreDeterministicAndLabelled() {
        synthetic::BlobsOptions o;
        o.n = 1001;
        o.d = 5;
        o.k = 3;
        o.seed = 7;
        const Dataset a = synthetic::blobs(o);
        const Dataset b = synthetic::blobs(o);
        QVERIFY(a.features == b.features);
        o.seed = 8;
        QVERIFY(synthetic::blobs(o).features != a.features);
        QCOMPARE(a.n, 1001);
        QCOMPARE(a.d, 5);
        std::vector<int> counts(3, 0);
        for (auto c : a.label()->codes) ++counts[std::size_t(c)];
        QVERIFY(*std::min_element(counts.begin(), counts.end()) >= 333);
        // Within-blob spread matches the requested standard deviation (1.0) within sampling error.
        double mean = 0, sq = 0;
        int m = 0;
        for (std::int64_t i = 0; i < a.n; ++i)
            if (a.label()->codes[std::size_t(i)] == 0) {
                mean += a.at(i, 0);
                sq += double(a.at(i, 0)) * a.at(i, 0);
                ++m;
            }
        mean /= m;
        const double sd = std::sqrt(sq / m - mean * mean);
        QVERIFY2(std::abs(sd - 1.0) < 0.15, qPrintable(QString::number(sd)));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, synthetic::blobs({.n = 2, .d = 2, .k = 3}));
        // Absurd sizes are refused before anything is allocated.
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, synthetic::blobs({.n = 1000000000, .d = 100000}));
    }

    void manifoldsFollowTheirClosedForm() {
        synthetic::ManifoldOptions o;
        o.n = 400;
        o.noise = 0;
        const Dataset roll = synthetic::swiss_roll(o);
        const auto t = roll.metadata.at(*roll.find_metadata("t")).numbers;
        for (std::int64_t i = 0; i < roll.n; ++i) {
            const double ti = t[std::size_t(i)];
            QVERIFY(std::abs(roll.at(i, 0) - ti * std::cos(ti)) < 1e-4);
            QVERIFY(std::abs(roll.at(i, 2) - ti * std::sin(ti)) < 1e-4);
            QVERIFY(roll.at(i, 1) >= 0 && roll.at(i, 1) <= 21);
        }
        const Dataset s = synthetic::s_curve(o);
        const auto ts = s.metadata.at(*s.find_metadata("t")).numbers;
        for (std::int64_t i = 0; i < s.n; ++i) QVERIFY(std::abs(s.at(i, 0) - std::sin(ts[std::size_t(i)])) < 1e-5);
        QCOMPARE(s.label()->categories.size(), std::size_t(6));
    }
};

QTEST_GUILESS_MAIN(TstWriteSynthetic)
#include "tst_write_synthetic.moc"
