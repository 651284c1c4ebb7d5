// k-means: blobs recovered perfectly, Lloyd == Hamerly, inertia against scikit-learn goldens,
// 1 thread == 2 threads bit for bit, edge cases and bad parameters, empty-cluster re-seeding, and
// the k scan (monotone inertia, silhouette peaking at the true k).
#include "cluster/kmeans.h"
#include "cluster/kmeans_internal.h"
#include "data/load.h"
#include "data/synthetic.h"

#include <QtTest>

#include <omp.h>

#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

using namespace latentscape;
using namespace latentscape::cluster;
using Algorithm = KMeansOptions::Algorithm;

namespace {

data::Dataset blobs(std::int64_t n, std::int64_t d, int k, double spread = 1.0, std::uint64_t seed = 7) {
    data::synthetic::BlobsOptions o;
    o.n = n;
    o.d = d;
    o.k = k;
    o.spread = spread;
    o.separation = 20.0;
    o.seed = seed;
    return data::synthetic::blobs(o);
}

/// Every true class maps to exactly one cluster and every cluster to one class.
bool same_partition(const std::vector<std::int32_t>& a, const std::vector<std::int32_t>& b) {
    std::map<std::int32_t, std::int32_t> ab, ba;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (ab.emplace(a[i], b[i]).first->second != b[i] || ba.emplace(b[i], a[i]).first->second != a[i])
            return false;
    return true;
}

std::string test_data(const char* name) { return std::string(LATENTSCAPE_TEST_DATA) + "/cluster/" + name; }

double golden_inertia(const std::string& name) {
    std::ifstream in(test_data("kmeans_golden.txt"));
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream ss(line);
        std::string nm;
        int k = 0;
        double inertia = 0;
        ss >> nm >> k >> inertia;
        if (nm == name) return inertia;
    }
    return -1;
}

}  // namespace

class TstKMeans : public QObject {
    Q_OBJECT

    /// The _data() table of tests that run once per algorithm.
    static void bothAlgorithms() {
        QTest::addColumn<int>("algorithm");
        QTest::newRow("lloyd") << int(Algorithm::Lloyd);
        QTest::newRow("hamerly") << int(Algorithm::Hamerly);
    }

private slots:
    void cleanup() { omp_set_num_threads(2); }

    void blobsRecoveredPerfectly_data() {
        QTest::addColumn<int>("algorithm");
        QTest::addColumn<int>("k");
        QTest::addColumn<int>("d");
        QTest::newRow("lloyd k=4 d=2") << int(Algorithm::Lloyd) << 4 << 2;
        QTest::newRow("hamerly k=4 d=2") << int(Algorithm::Hamerly) << 4 << 2;
        QTest::newRow("hamerly k=6 d=20") << int(Algorithm::Hamerly) << 6 << 20;
        QTest::newRow("lloyd k=6 d=20") << int(Algorithm::Lloyd) << 6 << 20;
    }
    void blobsRecoveredPerfectly() {
        QFETCH(int, algorithm);
        QFETCH(int, k);
        QFETCH(int, d);
        const auto ds = blobs(1200, d, k);
        KMeansOptions o;
        o.k = k;
        o.restarts = 3;
        o.algorithm = Algorithm(algorithm);
        const auto r = kmeans(ds, o);
        QVERIFY(r.converged);
        QCOMPARE(r.labels.size(), std::size_t(ds.n));
        QCOMPARE(r.centres.size(), std::size_t(k * d));
        QVERIFY(same_partition(ds.label()->codes, r.labels));
        QVERIFY(r.elapsed_seconds >= 0.0);
    }

    void lloydEqualsHamerly_data() {
        QTest::addColumn<int>("k");
        QTest::addColumn<double>("spread");
        QTest::addColumn<double>("tolerance");
        QTest::addColumn<int>("minIterations");
        QTest::newRow("k=5 overlapping") << 5 << 6.0 << 1e-4 << 3;
        QTest::newRow("k=12 overlapping, tol 0") << 12 << 8.0 << 0.0 << 3;
        QTest::newRow("k=3 separated") << 3 << 1.0 << 1e-4 << 1;
    }
    void lloydEqualsHamerly() {
        QFETCH(int, k);
        QFETCH(double, spread);
        QFETCH(double, tolerance);
        QFETCH(int, minIterations);
        const auto ds = blobs(1000, 10, 5, spread, 3);
        KMeansOptions o;
        o.k = k;
        o.tolerance = tolerance;
        o.restarts = 2;
        o.algorithm = Algorithm::Lloyd;
        const auto lloyd = kmeans(ds, o);
        o.algorithm = Algorithm::Hamerly;
        const auto hamerly = kmeans(ds, o);
        QCOMPARE(hamerly.iterations, lloyd.iterations);
        QVERIFY(hamerly.labels == lloyd.labels);
        QVERIFY(hamerly.centres == lloyd.centres);
        QCOMPARE(hamerly.inertia, lloyd.inertia);
        QCOMPARE(hamerly.best_restart, lloyd.best_restart);
        QVERIFY(lloyd.iterations >= minIterations);  // the overlapping cases really iterate
    }

    void inertiaMatchesScikitLearn_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("k");
        QTest::addColumn<double>("relative");
        QTest::newRow("blobs3 (clear optimum)") << "kmeans_blobs3" << 3 << 1e-5;
        QTest::newRow("overlap5") << "kmeans_overlap5" << 5 << 5e-3;
    }
    void inertiaMatchesScikitLearn() {
        QFETCH(QString, name);
        QFETCH(int, k);
        QFETCH(double, relative);
        const auto ds = data::load(test_data((name + ".npy").toUtf8().constData()));
        const double golden = golden_inertia(name.toStdString());
        QVERIFY(golden > 0);
        KMeansOptions o;
        o.k = k;
        o.restarts = 10;
        o.seed = 0;
        const auto r = kmeans(ds, o);
        QVERIFY2(std::abs(r.inertia - golden) <= relative * golden,
                 qPrintable(QString("inertia %1 vs scikit-learn %2").arg(r.inertia, 0, 'g', 10).arg(golden, 0, 'g', 10)));
    }

    void sameResultAtOneAndTwoThreads_data() {
        bothAlgorithms();
    }
    void sameResultAtOneAndTwoThreads() {
        QFETCH(int, algorithm);
        const auto ds = blobs(3000, 8, 6, 5.0, 11);  // 5 point blocks, split between the threads
        KMeansOptions o;
        o.k = 7;
        o.algorithm = Algorithm(algorithm);
        omp_set_num_threads(1);
        const auto one = kmeans(ds, o);
        omp_set_num_threads(2);
        const auto two = kmeans(ds, o);
        QVERIFY(one.labels == two.labels);
        QVERIFY(one.centres == two.centres);
        QCOMPARE(one.inertia, two.inertia);  // bit for bit
        QCOMPARE(one.iterations, two.iterations);
        const auto scan1 = [&] {
            omp_set_num_threads(1);
            return scan_k(ds.features.data(), ds.n, ds.d, 2, 4, o, 300);
        }();
        omp_set_num_threads(2);
        const auto scan2 = scan_k(ds.features.data(), ds.n, ds.d, 2, 4, o, 300);
        for (std::size_t i = 0; i < scan1.size(); ++i) {
            QCOMPARE(scan1[i].inertia, scan2[i].inertia);
            QCOMPARE(scan1[i].silhouette, scan2[i].silhouette);
        }
    }

    void seedDecidesTheResult() {
        const auto ds = blobs(1000, 5, 8, 6.0, 5);
        KMeansOptions o;
        o.k = 8;
        const auto a = kmeans(ds, o);
        const auto b = kmeans(ds, o);
        QVERIFY(a.labels == b.labels);
        QCOMPARE(a.inertia, b.inertia);
        o.seed = 43;
        const auto c = kmeans(ds, o);
        QVERIFY(c.centres != a.centres);
    }

    void restartsKeepTheLowestInertia() {
        // Restart r is stream r of the seed, whatever the restart count: the first r + 1
        // restarts never beat all 6, and the first best_restart + 1 already give the kept result.
        const auto ds = blobs(800, 4, 8, 5.0, 9);
        KMeansOptions o;
        o.k = 8;
        o.restarts = 6;
        const auto all = kmeans(ds, o);
        QVERIFY(all.best_restart >= 0 && all.best_restart < 6);
        for (int r = 1; r <= 6; ++r) {
            KMeansOptions first = o;
            first.restarts = r;
            const auto part = kmeans(ds, first);
            QVERIFY(part.inertia >= all.inertia);
            if (r == all.best_restart + 1) {
                QCOMPARE(part.inertia, all.inertia);
                QVERIFY(part.labels == all.labels);
            }
        }
    }

    void kEqualsOneGivesTheMean() {
        const float X[] = {0, 0, 2, 0, 4, 6, 2, 2};
        KMeansOptions o;
        o.k = 1;
        const auto r = kmeans(X, 4, 2, o);
        QCOMPARE(r.centres[0], 2.0f);
        QCOMPARE(r.centres[1], 2.0f);
        for (auto l : r.labels) QCOMPARE(l, 0);
        QCOMPARE(r.inertia, 4.0 + 4.0 + 4.0 + 16.0 + 0.0 + 4.0);
        QVERIFY(r.converged);
    }

    void kEqualsNGivesZeroInertia_data() {
        bothAlgorithms();
    }
    void kEqualsNGivesZeroInertia() {
        QFETCH(int, algorithm);
        const auto ds = blobs(40, 3, 4);
        KMeansOptions o;
        o.k = 40;
        o.algorithm = Algorithm(algorithm);
        const auto r = kmeans(ds, o);
        QCOMPARE(r.inertia, 0.0);
        QCOMPARE(std::set<std::int32_t>(r.labels.begin(), r.labels.end()).size(), std::size_t(40));
    }

    void duplicatePointsTerminate() {
        // 10 points, only 3 distinct, k = 5: two clusters cannot get a point of their own.
        std::vector<float> X;
        for (int i = 0; i < 10; ++i) {
            X.push_back(float(i % 3));
            X.push_back(0.0f);
        }
        for (auto alg : {Algorithm::Lloyd, Algorithm::Hamerly}) {
            KMeansOptions o;
            o.k = 5;
            o.algorithm = alg;
            const auto r = kmeans(X.data(), 10, 2, o);
            QVERIFY(r.converged);
            QVERIFY(r.iterations < 10);
            QCOMPARE(r.inertia, 0.0);
            QCOMPARE(std::set<std::int32_t>(r.labels.begin(), r.labels.end()).size(), std::size_t(3));
        }
        const std::vector<float> same(20, 1.5f);
        KMeansOptions o;
        o.k = 3;
        const auto r = kmeans(same.data(), 10, 2, o);
        QVERIFY(r.converged);
        QCOMPARE(r.inertia, 0.0);
    }

    void emptyClusterIsReseededWithTheFarthestPoint_data() {
        bothAlgorithms();
    }
    void emptyClusterIsReseededWithTheFarthestPoint() {
        // k-means++ never starts with an empty cluster, so start from given centres: the centre
        // at 100 gets no point in the first round and takes the point farthest from its own
        // centre (15, at distance 4 from 11).
        QFETCH(int, algorithm);
        const std::vector<float> X = {0, 1, 2, 10, 11, 15};
        KMeansOptions o;
        o.k = 3;
        o.algorithm = Algorithm(algorithm);
        const auto r = cluster::detail::kmeans_from(X.data(), 6, 1, o, {1.0f, 11.0f, 100.0f});
        QCOMPARE(r.labels, (std::vector<std::int32_t>{0, 0, 0, 1, 1, 2}));
        QCOMPARE(r.centres, (std::vector<float>{1.0f, 10.5f, 15.0f}));
        QCOMPARE(r.inertia, 2.5);
        QVERIFY(r.converged);
    }

    void badParametersGiveClearErrors_data() {
        QTest::addColumn<int>("k");
        QTest::addColumn<int>("restarts");
        QTest::addColumn<int>("maxIterations");
        QTest::addColumn<double>("tolerance");
        QTest::addColumn<QString>("message");
        QTest::newRow("k > n") << 12 << 1 << 300 << 1e-4 << "k (12) must be <= n (10)";
        QTest::newRow("k < 1") << 0 << 1 << 300 << 1e-4 << "k (0) must be >= 1";
        QTest::newRow("restarts") << 2 << 0 << 300 << 1e-4 << "restarts (0) must be >= 1";
        QTest::newRow("iterations") << 2 << 1 << 0 << 1e-4 << "max_iterations (0) must be >= 1";
        QTest::newRow("tolerance") << 2 << 1 << 300 << -1.0 << "tolerance";
    }
    void badParametersGiveClearErrors() {
        QFETCH(int, k);
        QFETCH(int, restarts);
        QFETCH(int, maxIterations);
        QFETCH(double, tolerance);
        QFETCH(QString, message);
        const std::vector<float> X(20, 1.0f);
        KMeansOptions o;
        o.k = k;
        o.restarts = restarts;
        o.max_iterations = maxIterations;
        o.tolerance = tolerance;
        try {
            kmeans(X.data(), 10, 2, o);
            QFAIL("no exception");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(QString(e.what()).contains(message), e.what());
        }
    }

    void nonFiniteInputIsRefused() {
        std::vector<float> X(20, 1.0f);
        X[7] = std::numeric_limits<float>::quiet_NaN();
        KMeansOptions o;
        o.k = 2;
        try {
            kmeans(X.data(), 10, 2, o);
            QFAIL("no exception");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(QString(e.what()).contains("row 3, column 1"), e.what());
        }
        X[7] = std::numeric_limits<float>::infinity();
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, kmeans(X.data(), 10, 2, o));
    }

    void maxIterationsReachedIsAResult() {
        const auto ds = blobs(1000, 4, 6, 8.0, 2);
        KMeansOptions o;
        o.k = 9;
        o.max_iterations = 1;
        o.tolerance = 0.0;
        const auto r = kmeans(ds, o);
        QCOMPARE(r.iterations, 1);
        QVERIFY(!r.converged);
        QVERIFY(r.inertia > 0.0);
    }

    void scanKFindsTheTrueK() {
        const auto ds = blobs(1500, 6, 4, 1.0, 21);
        KMeansOptions o;
        o.restarts = 2;
        const auto scan = scan_k(ds.features.data(), ds.n, ds.d, 1, 7, o, 400);
        QCOMPARE(scan.size(), std::size_t(7));
        QVERIFY(std::isnan(scan[0].silhouette));  // undefined for k = 1
        int best = -1;
        double best_s = -2;
        for (std::size_t i = 0; i < scan.size(); ++i) {
            QCOMPARE(scan[i].k, int(i) + 1);
            if (i > 0) QVERIFY(scan[i].inertia <= scan[i - 1].inertia);
            if (i > 0 && scan[i].silhouette > best_s) best_s = scan[i].silhouette, best = scan[i].k;
        }
        QCOMPARE(best, 4);
        QVERIFY(best_s > 0.7);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, scan_k(ds.features.data(), ds.n, ds.d, 3, 2, o));
    }
};

QTEST_GUILESS_MAIN(TstKMeans)
#include "tst_kmeans.moc"
