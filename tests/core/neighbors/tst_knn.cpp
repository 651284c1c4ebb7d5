// The kNN graph module: exact search against a double-precision brute force (brute_force_knn),
// approximate recall, determinism (same seed, 1 thread == 2 threads), Auto's rule, cancellation
// and the errors a caller can meet.
#include "common/parallel.h"
#include "common/rng.h"
#include "neighbors/brute.h"
#include "neighbors/knn.h"

#include <QtTest>

#include <cmath>
#include <limits>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

using namespace latentscape;

namespace {

std::vector<float> gaussian(std::int64_t n, std::int64_t d, std::uint64_t seed, int clusters, double spread) {
    Rng rng(seed);
    std::vector<double> centres(std::size_t(clusters * d));
    for (double& c : centres) c = rng.uniform(-spread, spread);
    std::vector<float> X(std::size_t(n * d));
    for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t j = 0; j < d; ++j)
            X[std::size_t(i * d + j)] = float(centres[std::size_t((i % clusters) * d + j)] + rng.normal());
    return X;
}

struct Threads {
    int saved = parallel::max_threads();
    explicit Threads(int t) { parallel::set_max_threads(t); }
    ~Threads() { parallel::set_max_threads(saved); }
};

bool same(const neighbors::KnnGraph& a, const neighbors::KnnGraph& b) {
    return a.n == b.n && a.k == b.k && a.indices == b.indices && a.sq_distances == b.sq_distances;
}

}  // namespace

class TestKnn : public QObject {
    Q_OBJECT

private slots:
    void exactMatchesDoubleBruteForce_data() {
        QTest::addColumn<int>("n");
        QTest::addColumn<int>("d");
        QTest::addColumn<int>("k");
        QTest::newRow("2-D, k 15") << 900 << 2 << 15;
        QTest::newRow("d 50, partial panel") << 333 << 50 << 14;
        QTest::newRow("k = n - 1") << 21 << 5 << 20;
    }
    void exactMatchesDoubleBruteForce() {
        QFETCH(int, n);
        QFETCH(int, d);
        QFETCH(int, k);
        const auto X = gaussian(n, d, 5, 3, 5.0);
        neighbors::Options o;
        o.k = k;
        o.method = neighbors::Method::Exact;
        const neighbors::KnnGraph g = neighbors::build(X.data(), n, d, o);
        const neighbors::KnnGraph ref = neighbors::brute_force_knn(X.data(), n, d, k);
        QCOMPARE(g.n, std::int64_t(n));
        QCOMPARE(g.k, k);
        QVERIFY(g.exact);
        for (std::size_t e = 0; e < g.indices.size(); ++e) {
            QCOMPARE(g.indices[e], ref.indices[e]);
            // Squared distances, rounded from double to float.
            QCOMPARE(g.sq_distances[e], ref.sq_distances[e]);
        }
        QCOMPARE(g.neighbor(3, 0), ref.neighbor(3, 0));
        QCOMPARE(g.sq_distance(3, 0), ref.sq_distance(3, 0));
    }

    void selectNearestOrdersByDistanceThenIndex() {
        // Ties at distance 1 (ids 1, 3, 6) and 3 (ids 2, 5); the query itself (id 4) is skipped.
        const std::vector<double> row = {5, 1, 3, 1, 0, 3, 1};
        std::vector<std::int64_t> scratch;
        std::vector<std::int64_t> out(4);
        neighbors::rows::select_nearest(row.data(), 7, 4, 4, out.data(), scratch);
        QCOMPARE(out, (std::vector<std::int64_t>{1, 3, 6, 2}));
        out.resize(6);  // every other point
        neighbors::rows::select_nearest(row.data(), 7, 4, 6, out.data(), scratch);
        QCOMPARE(out, (std::vector<std::int64_t>{1, 3, 6, 2, 5, 0}));
        out.resize(2);  // the query first in the row
        neighbors::rows::select_nearest(row.data(), 7, 0, 2, out.data(), scratch);
        QCOMPARE(out, (std::vector<std::int64_t>{4, 1}));
    }

    void approximateHasHighRecallAndDependsOnTheSeedOnly() {
        const std::int64_t n = 4000, d = 16;
        const auto X = gaussian(n, d, 9, 12, 3.0);
        neighbors::Options o;
        o.k = 15;
        o.method = neighbors::Method::Approximate;
        const neighbors::KnnGraph one = [&] {
            Threads t(1);
            return neighbors::build(X.data(), n, d, o);
        }();
        const neighbors::KnnGraph two = [&] {
            Threads t(2);
            return neighbors::build(X.data(), n, d, o);
        }();
        QVERIFY(!one.exact);
        QVERIFY(same(one, two));
        const neighbors::KnnGraph truth = neighbors::exact_knn(X.data(), n, d, o.k);
        std::int64_t hits = 0;
        for (std::int64_t i = 0; i < n; ++i) {
            const std::set<std::int32_t> t(truth.indices.begin() + i * o.k, truth.indices.begin() + (i + 1) * o.k);
            for (int a = 0; a < o.k; ++a) {
                hits += t.count(one.neighbor(i, a));
                QVERIFY(one.neighbor(i, a) != i);
                if (a > 0) QVERIFY(one.sq_distance(i, a - 1) <= one.sq_distance(i, a));
            }
        }
        const double recall = double(hits) / double(n * o.k);
        qInfo("hnsw recall %.4f", recall);
        QVERIFY(recall >= 0.99);
        // Another seed builds another graph (levels differ), still a valid one.
        o.seed = 7;
        const neighbors::KnnGraph other = neighbors::build(X.data(), n, d, o);
        QCOMPARE(other.indices.size(), one.indices.size());
    }

    void exactIsIndependentOfThreads() {
        const std::int64_t n = 2500, d = 30;
        const auto X = gaussian(n, d, 3, 6, 4.0);
        neighbors::Options o;
        o.k = 20;
        o.method = neighbors::Method::Exact;
        Threads t1(1);
        const neighbors::KnnGraph one = neighbors::build(X.data(), n, d, o);
        parallel::set_max_threads(2);
        QVERIFY(same(one, neighbors::build(X.data(), n, d, o)));
    }

    void autoPicksByWork() {
        using neighbors::Method;
        QCOMPARE(neighbors::resolve(Method::Auto, 70000, 50), Method::Exact);      // 2.45e11
        QCOMPARE(neighbors::resolve(Method::Auto, 200000, 50), Method::Approximate); // 2e12
        QCOMPARE(neighbors::resolve(Method::Auto, 1000, 10, 1e5), Method::Approximate);
        QCOMPARE(neighbors::resolve(Method::Exact, 10000000, 50), Method::Exact);
        QCOMPARE(neighbors::resolve(Method::Approximate, 10, 2), Method::Approximate);
        QCOMPARE(std::string(neighbors::to_string(Method::Approximate)), std::string("approximate"));
        const auto X = gaussian(300, 4, 1, 2, 3.0);
        neighbors::Options o;
        o.k = 5;
        QVERIFY(neighbors::build(X.data(), 300, 4, o).exact);
        o.exact_work_limit = 1000;
        QVERIFY(!neighbors::build(X.data(), 300, 4, o).exact);
    }

    void cancelThrows_data() {
        QTest::addColumn<int>("method");
        QTest::newRow("exact") << int(neighbors::Method::Exact);
        QTest::newRow("approximate") << int(neighbors::Method::Approximate);
    }
    void cancelThrows() {
        QFETCH(int, method);
        const auto X = gaussian(3000, 8, 2, 3, 3.0);
        neighbors::Options o;
        o.k = 10;
        o.method = neighbors::Method(method);
        int polls = 0;
        bool thrown = false;
        try {
            neighbors::build(X.data(), 3000, 8, o, [&] { return ++polls > 2; });
        } catch (const latentscape::Canceled&) {
            thrown = true;
        }
        QVERIFY(thrown);
        // A callback that never answers true changes nothing.
        o.method = neighbors::Method::Exact;
        QVERIFY(same(neighbors::build(X.data(), 3000, 8, o, [] { return false; }), neighbors::build(X.data(), 3000, 8, o)));
    }

    void errors_data() {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("message");
        QTest::newRow("k >= n") << 0 << "k (10) must be in [1, n - 1 = 9]";
        QTest::newRow("k < 1") << 1 << "k (0) must be in [1, n - 1 = 9]";
        QTest::newRow("NaN") << 2 << "row 4, column 2 is NaN";
        QTest::newRow("infinite") << 3 << "row 1, column 1 is infinite";
        QTest::newRow("one row") << 4 << "needs at least 2 rows (got 1)";
        QTest::newRow("M") << 5 << "hnsw M (1) must be in [2, 100]";
        QTest::newRow("ef_construction") << 6 << "ef_construction (8) must be >= M (16)";
        QTest::newRow("ef_search") << 7 << "ef_search (3) must be >= k (5)";
        QTest::newRow("huge values") << 8 << "overflow float32 distances";
        QTest::newRow("no columns") << 9 << "needs at least 1 column";
    }
    void errors() {
        QFETCH(int, which);
        QFETCH(QString, message);
        std::vector<float> X = gaussian(10, 3, 4, 1, 1.0);
        neighbors::Options o;
        o.k = 5;
        std::int64_t n = 10, d = 3;
        switch (which) {
        case 0: o.k = 10; break;
        case 1: o.k = 0; break;
        case 2: X[3 * 3 + 1] = std::numeric_limits<float>::quiet_NaN(); break;
        case 3: X[0] = std::numeric_limits<float>::infinity(); break;
        case 4: n = 1; o.k = 1; break;
        case 5: o.hnsw_m = 1; break;
        case 6: o.hnsw_ef_construction = 8; break;
        case 7: o.hnsw_ef_search = 3; break;
        case 8: X[5] = 1e37f; break;
        case 9: d = 0; break;
        }
        try {
            neighbors::build(X.data(), n, d, o);
            QFAIL("no exception");
        } catch (const std::invalid_argument& e) {
            qInfo("%s", e.what());
            QVERIFY2(std::string(e.what()).find(message.toStdString()) != std::string::npos, e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestKnn)
#include "tst_knn.moc"
