// DBSCAN and the k-distance curve: exact recovery of separated blobs, scikit-learn goldens, both
// neighbour indexes agreeing, thread-count independence and the validation messages.
#include "cluster/dbscan.h"
#include "common/parallel.h"
#include "common/rng.h"
#include "data/load.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

using namespace latentscape;
using cluster::DbscanOptions;
using cluster::NeighborIndex;

namespace {

struct Points {
    std::int64_t n = 0;
    std::int64_t d = 0;
    std::vector<float> x;
    std::vector<int> truth;  ///< generating blob, -1 for scattered noise
};

/// Three tight, far-apart 2-D blobs of 60 points and 12 isolated noise points on a wide ring.
Points separated_blobs() {
    Points p;
    p.d = 2;
    Rng rng(11);
    const double centres[3][2] = {{0, 0}, {20, 0}, {0, 20}};
    for (int b = 0; b < 3; ++b)
        for (int i = 0; i < 60; ++i) {
            p.x.push_back(float(centres[b][0] + rng.uniform(-1, 1)));
            p.x.push_back(float(centres[b][1] + rng.uniform(-1, 1)));
            p.truth.push_back(b);
        }
    for (int i = 0; i < 12; ++i) {  // 30 degrees apart on a radius-60 circle: > 30 from everything
        p.x.push_back(float(60 * std::cos(i * M_PI / 6)));
        p.x.push_back(float(60 * std::sin(i * M_PI / 6)));
        p.truth.push_back(-1);
    }
    p.n = std::int64_t(p.truth.size());
    return p;
}

Points random_points(std::int64_t n, std::int64_t d, std::uint64_t seed) {
    Points p;
    p.n = n;
    p.d = d;
    Rng rng(seed);
    for (std::int64_t i = 0; i < n; ++i) {
        const double shift = double(rng.below(4)) * 3.0;  // a few overlapping clumps
        for (std::int64_t j = 0; j < d; ++j) p.x.push_back(float(shift + rng.normal()));
    }
    return p;
}

std::vector<float> column(const std::string& file) {
    const data::Dataset ds = data::load_npy(std::string(LATENTSCAPE_TEST_DATA) + "/cluster/" + file);
    return std::vector<float>(ds.features.begin(), ds.features.end());
}

double distance2(const Points& p, std::int64_t a, std::int64_t b) {
    double s = 0;
    for (std::int64_t j = 0; j < p.d; ++j) {
        const double t = double(p.x[std::size_t(a * p.d + j)]) - double(p.x[std::size_t(b * p.d + j)]);
        s += t * t;
    }
    return s;
}

void expect_invalid(const std::function<void()>& call, const QString& fragment) {
    try {
        call();
    } catch (const std::invalid_argument& e) {
        QVERIFY2(QString(e.what()).contains(fragment), e.what());
        return;
    }
    QFAIL(qPrintable("no std::invalid_argument, expected: " + fragment));
}

}  // namespace

class tst_dbscan : public QObject {
    Q_OBJECT

private slots:
    void separated_blobs_are_recovered_exactly_data();
    void separated_blobs_are_recovered_exactly();
    void matches_scikit_learn_data();
    void matches_scikit_learn();
    void kd_tree_equals_brute_force_data();
    void kd_tree_equals_brute_force();
    void thread_count_does_not_change_labels();
    void k_distance_matches_brute_force_data();
    void k_distance_matches_brute_force();
    void min_points_one_makes_every_point_core();
    void neighbour_at_exactly_eps_counts_data();
    void neighbour_at_exactly_eps_counts();
    void bad_options_are_rejected();
};

void tst_dbscan::separated_blobs_are_recovered_exactly_data() {
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("used");
    QTest::newRow("kd-tree") << int(NeighborIndex::KdTree) << "kd-tree";
    QTest::newRow("brute-force") << int(NeighborIndex::BruteForce) << "brute-force";
    QTest::newRow("grid") << int(NeighborIndex::Grid) << "grid";
    QTest::newRow("auto") << int(NeighborIndex::Auto) << "grid";
}

void tst_dbscan::separated_blobs_are_recovered_exactly() {
    QFETCH(int, index);
    QFETCH(QString, used);
    const Points p = separated_blobs();
    DbscanOptions o;
    o.eps = 1.5;
    o.min_points = 4;
    o.index = NeighborIndex(index);
    const auto r = cluster::dbscan(p.x.data(), p.n, p.d, o);
    QCOMPARE(r.clusters, 3);
    QCOMPARE(r.noise, std::int64_t(12));
    QCOMPARE(QString::fromStdString(r.index_used), used);
    QVERIFY(r.elapsed_seconds >= 0);
    // Blobs are generated in order, so cluster ids (numbered by first core point) equal blob ids.
    for (std::int64_t i = 0; i < p.n; ++i) QCOMPARE(r.labels[std::size_t(i)], p.truth[std::size_t(i)]);
    for (std::int64_t i = 0; i < p.n; ++i) QCOMPARE(int(r.core[std::size_t(i)]), p.truth[std::size_t(i)] >= 0 ? 1 : 0);
}

void tst_dbscan::matches_scikit_learn_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<double>("eps");
    QTest::addColumn<int>("min_points");
    // Parameters as in make_dbscan_goldens.py.
    QTest::newRow("2d") << "2d" << 0.45 << 6;
    QTest::newRow("10d") << "10d" << 3.0 << 8;
}

void tst_dbscan::matches_scikit_learn() {
    QFETCH(QString, name);
    QFETCH(double, eps);
    QFETCH(int, min_points);
    const std::string base = "dbscan_" + name.toStdString();
    const std::vector<float> x = column(base + "_X.npy");
    const std::vector<float> sk_labels = column(base + "_labels.npy");
    const std::vector<float> sk_core = column(base + "_core.npy");
    Points p;
    p.n = std::int64_t(sk_labels.size());
    p.d = std::int64_t(x.size()) / p.n;
    p.x = x;
    DbscanOptions o;
    o.eps = eps;
    o.min_points = min_points;
    for (const NeighborIndex index : {NeighborIndex::KdTree, NeighborIndex::BruteForce, NeighborIndex::Auto}) {
        o.index = index;
        const auto r = cluster::dbscan(p.x.data(), p.n, p.d, o);
        // Core flags and noise are unique: exactly sklearn's.
        for (std::int64_t i = 0; i < p.n; ++i) {
            QCOMPARE(int(r.core[std::size_t(i)]), int(sk_core[std::size_t(i)]));
            QCOMPARE(r.labels[std::size_t(i)] < 0, sk_labels[std::size_t(i)] < 0);
        }
        // Core labels: a bijection between our ids and sklearn's.
        std::map<int, int> ours_to_sk, sk_to_ours;
        for (std::int64_t i = 0; i < p.n; ++i) {
            if (!r.core[std::size_t(i)]) continue;
            const int a = r.labels[std::size_t(i)], b = int(sk_labels[std::size_t(i)]);
            QCOMPARE(ours_to_sk.emplace(a, b).first->second, b);
            QCOMPARE(sk_to_ours.emplace(b, a).first->second, a);
        }
        QCOMPARE(int(ours_to_sk.size()), r.clusters);
        QCOMPARE(r.clusters, int(*std::max_element(sk_labels.begin(), sk_labels.end())) + 1);
        // Border points: ours is the smallest cluster among the point's core neighbours; sklearn's
        // must be one of those clusters (it takes the first its own expansion reaches).
        int border = 0, differ = 0;
        for (std::int64_t i = 0; i < p.n; ++i) {
            if (r.core[std::size_t(i)] || r.labels[std::size_t(i)] < 0) continue;
            ++border;
            std::set<int> reachable;
            for (std::int64_t j = 0; j < p.n; ++j)
                if (r.core[std::size_t(j)] && distance2(p, i, j) <= eps * eps) reachable.insert(r.labels[std::size_t(j)]);
            QVERIFY(!reachable.empty());
            QCOMPARE(r.labels[std::size_t(i)], *reachable.begin());
            const int sk_mapped = sk_to_ours.at(int(sk_labels[std::size_t(i)]));
            QVERIFY(reachable.count(sk_mapped) == 1);
            differ += sk_mapped != r.labels[std::size_t(i)];
        }
        QVERIFY(border > 0);  // the goldens do exercise border points
        // The k-distance curve with k = min_points equals NearestNeighbors.kneighbors' last column.
        const std::vector<float> sk_kdist = column(base + "_kdist.npy");
        const std::vector<float> kdist = cluster::k_distance(p.x.data(), p.n, p.d, min_points, index);
        QCOMPARE(kdist.size(), sk_kdist.size());
        for (std::size_t i = 0; i < kdist.size(); ++i)
            QVERIFY2(std::fabs(kdist[i] - sk_kdist[i]) <= 1e-6f * std::max(1.0f, sk_kdist[i]),
                     qPrintable(QString("rank %1: %2 vs scikit-learn %3").arg(i).arg(kdist[i]).arg(sk_kdist[i])));
        qInfo("%s (%s): %d border points, %d labelled differently from scikit-learn", qPrintable(name),
              r.index_used.c_str(), border, differ);
    }
}

void tst_dbscan::kd_tree_equals_brute_force_data() {
    QTest::addColumn<int>("d");
    QTest::addColumn<double>("eps");
    QTest::addColumn<int>("min_points");
    QTest::newRow("2-D") << 2 << 0.15 << 5;
    QTest::newRow("3-D") << 3 << 0.4 << 6;
    QTest::newRow("7-D") << 7 << 1.4 << 5;
    QTest::newRow("20-D") << 20 << 4.5 << 4;
}

void tst_dbscan::kd_tree_equals_brute_force() {
    QFETCH(int, d);
    QFETCH(double, eps);
    QFETCH(int, min_points);
    const Points p = random_points(1500, d, 100 + std::uint64_t(d));
    DbscanOptions o;
    o.eps = eps;
    o.min_points = min_points;
    o.index = NeighborIndex::KdTree;
    const auto kd = cluster::dbscan(p.x.data(), p.n, p.d, o);
    o.index = NeighborIndex::BruteForce;
    const auto brute = cluster::dbscan(p.x.data(), p.n, p.d, o);
    QVERIFY(kd.clusters > 1);   // the case is not trivial:
    QVERIFY(kd.noise > 0);      // clusters, noise and
    QVERIFY(std::count(kd.core.begin(), kd.core.end(), 0) > kd.noise);  // border points
    QVERIFY(kd.labels == brute.labels);
    QVERIFY(kd.core == brute.core);
    QCOMPARE(kd.clusters, brute.clusters);
    QCOMPARE(kd.noise, brute.noise);
    if (d == 2) {
        o.index = NeighborIndex::Grid;
        const auto grid = cluster::dbscan(p.x.data(), p.n, p.d, o);
        QCOMPARE(QString::fromStdString(grid.index_used), QString("grid"));
        QVERIFY(grid.labels == brute.labels);
        QVERIFY(grid.core == brute.core);
        // eps tiny against the extent: the grid would be too sparse and the kd-tree is used.
        o.eps = 1e-4;
        QCOMPARE(QString::fromStdString(cluster::dbscan(p.x.data(), p.n, p.d, o).index_used), QString("kd-tree"));
    }
}

void tst_dbscan::thread_count_does_not_change_labels() {
    QCOMPARE(parallel::threads_in_region() >= 1, true);
    const Points p2 = random_points(8000, 2, 5);  // > 4096: the union-find runs in parallel
    const Points p30 = random_points(1200, 30, 6);
    const int before = parallel::max_threads();
    std::vector<cluster::DbscanResult> runs;
    std::vector<std::vector<float>> kd;
    for (const int threads : {1, 2}) {
        parallel::set_max_threads(threads);
        QCOMPARE(parallel::threads_in_region(), threads);
        DbscanOptions o;
        o.eps = 0.06;
        o.min_points = 5;
        runs.push_back(cluster::dbscan(p2.x.data(), p2.n, p2.d, o));  // grid
        o.index = NeighborIndex::KdTree;
        runs.push_back(cluster::dbscan(p2.x.data(), p2.n, p2.d, o));
        o.index = NeighborIndex::Auto;
        o.eps = 6.0;
        runs.push_back(cluster::dbscan(p30.x.data(), p30.n, p30.d, o));
        kd.push_back(cluster::k_distance(p30.x.data(), p30.n, p30.d, 5));
    }
    parallel::set_max_threads(before);
    QVERIFY(runs[0].clusters > 1);
    QVERIFY(runs[2].clusters >= 1);
    for (std::size_t k = 0; k < 3; ++k) {  // runs 0-2 with 1 thread, 3-5 with 2
        QVERIFY(runs[k].labels == runs[k + 3].labels);
        QVERIFY(runs[k].core == runs[k + 3].core);
    }
    QVERIFY(runs[0].labels == runs[1].labels);  // and the grid agrees with the kd-tree
    QVERIFY(kd[0] == kd[1]);
}

void tst_dbscan::k_distance_matches_brute_force_data() {
    QTest::addColumn<int>("d");
    QTest::addColumn<int>("k");
    QTest::addColumn<int>("index");
    QTest::newRow("2-D k=1 kd") << 2 << 1 << int(NeighborIndex::KdTree);
    QTest::newRow("2-D k=5 kd") << 2 << 5 << int(NeighborIndex::KdTree);
    QTest::newRow("5-D k=10 kd") << 5 << 10 << int(NeighborIndex::KdTree);
    QTest::newRow("5-D k=10 brute") << 5 << 10 << int(NeighborIndex::BruteForce);
    QTest::newRow("40-D k=7 auto") << 40 << 7 << int(NeighborIndex::Auto);
}

void tst_dbscan::k_distance_matches_brute_force() {
    QFETCH(int, d);
    QFETCH(int, k);
    QFETCH(int, index);
    const Points p = random_points(600, d, 77);
    const auto got = cluster::k_distance(p.x.data(), p.n, p.d, k, NeighborIndex(index));
    std::vector<float> want;
    for (std::int64_t i = 0; i < p.n; ++i) {
        std::vector<double> all;
        for (std::int64_t j = 0; j < p.n; ++j) all.push_back(distance2(p, i, j));
        std::nth_element(all.begin(), all.begin() + (k - 1), all.end());
        want.push_back(float(std::sqrt(all[std::size_t(k - 1)])));
    }
    std::sort(want.begin(), want.end(), std::greater<float>());
    QVERIFY(got == want);
    if (k == 1) QCOMPARE(got.front(), 0.0f);
}

void tst_dbscan::min_points_one_makes_every_point_core() {
    const Points p = separated_blobs();
    DbscanOptions o;
    o.eps = 1.5;
    o.min_points = 1;
    const auto r = cluster::dbscan(p.x.data(), p.n, p.d, o);
    QCOMPARE(r.noise, std::int64_t(0));
    QCOMPARE(r.clusters, 3 + 12);  // each isolated point is its own cluster
    QVERIFY(std::all_of(r.core.begin(), r.core.end(), [](std::uint8_t c) { return c == 1; }));
    // k_distance with k = min_points agrees with the core flags: core <=> distance <= eps.
    o.min_points = 4;
    const auto r4 = cluster::dbscan(p.x.data(), p.n, p.d, o);
    const auto curve = cluster::k_distance(p.x.data(), p.n, p.d, 4);
    const auto within = std::count_if(curve.begin(), curve.end(), [&](float v) { return v <= o.eps; });
    QCOMPARE(std::int64_t(within), std::int64_t(std::count(r4.core.begin(), r4.core.end(), 1)));
    QVERIFY(std::is_sorted(curve.rbegin(), curve.rend()));
}

void tst_dbscan::neighbour_at_exactly_eps_counts_data() {
    QTest::addColumn<int>("index");
    QTest::newRow("kd-tree") << int(NeighborIndex::KdTree);
    QTest::newRow("brute-force") << int(NeighborIndex::BruteForce);
    QTest::newRow("grid") << int(NeighborIndex::Grid);
}

void tst_dbscan::neighbour_at_exactly_eps_counts() {
    // Five points 0.5 apart on a line (exact in binary), eps = 0.5: as in scikit-learn, a point at
    // distance exactly eps is a neighbour, so the three inner points are core (2 neighbours +
    // itself) and the ends are border points. Excluding the boundary would make all five noise.
    QFETCH(int, index);
    const std::vector<float> x = {0, 0, 0.5f, 0, 1, 0, 1.5f, 0, 2, 0};
    DbscanOptions o;
    o.eps = 0.5;
    o.min_points = 3;
    o.index = NeighborIndex(index);
    const auto r = cluster::dbscan(x.data(), 5, 2, o);
    QCOMPARE(r.clusters, 1);
    QCOMPARE(r.noise, std::int64_t(0));
    QVERIFY((r.core == std::vector<std::uint8_t>{0, 1, 1, 1, 0}));
    QCOMPARE(cluster::k_distance(x.data(), 5, 2, 3, NeighborIndex(index)).back(), 0.5f);
}

void tst_dbscan::bad_options_are_rejected() {
    const Points p = separated_blobs();
    auto run = [&](double eps, int min_points, std::int64_t n = -1) {
        DbscanOptions o;
        o.eps = eps;
        o.min_points = min_points;
        cluster::dbscan(p.x.data(), n < 0 ? p.n : n, p.d, o);
    };
    expect_invalid([&] { run(0, 5); }, "eps (0) must be a finite number > 0");
    expect_invalid([&] { run(-1, 5); }, "eps (-1)");
    expect_invalid([&] { run(std::nan(""), 5); }, "eps (nan)");
    expect_invalid([&] { run(INFINITY, 5); }, "eps (inf)");
    expect_invalid([&] { run(1, 0); }, "min_points (0) must be >= 1");
    std::vector<float> three(30, 0.0f);
    DbscanOptions grid;
    grid.index = NeighborIndex::Grid;
    expect_invalid([&] { cluster::dbscan(three.data(), 10, 3, grid); }, "2-D points only, but d is 3");
    expect_invalid([&] { run(1, 5, 0); }, "n (0) must be >= 1");
    std::vector<float> bad = p.x;
    bad[7] = NAN;
    expect_invalid([&] { cluster::dbscan(bad.data(), p.n, p.d, {}); }, "non-finite value (nan) at row 3, column 1");
    expect_invalid([&] { cluster::k_distance(p.x.data(), p.n, p.d, 0); }, "k (0) must be between 1 and n (192)");
    expect_invalid([&] { cluster::k_distance(p.x.data(), p.n, p.d, 193); }, "k (193) must be between 1 and n (192)");
    expect_invalid([&] { cluster::k_distance(p.x.data(), p.n, 0, 3); }, "d (0) must be >= 1");
    data::Dataset ds;  // the Dataset overload validates the same way
    expect_invalid([&] { cluster::dbscan(ds); }, "n (0) must be >= 1");
}

QTEST_GUILESS_MAIN(tst_dbscan)
#include "tst_dbscan.moc"
