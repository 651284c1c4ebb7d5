// Barnes-Hut repulsion against all-pairs sums computed here: theta = 0 is exact, theta = 0.5 is
// close, results do not depend on the thread count, and degenerate inputs (duplicates, one point,
// all points identical) give finite, exact answers.
#include "common/parallel.h"
#include "common/rng.h"
#include "reduce/tsne_bh.h"

#include <QtTest>

#include <cmath>
#include <cstring>
#include <vector>

using namespace latentscape;
using latentscape::reduce::tsne::internal::BarnesHutRepulsion;

namespace {

/// The sums the tree approximates, straight from their definition.
double exact_repulsion(const std::vector<double>& Y, std::int64_t n, int dims, std::vector<double>& out) {
    out.assign(std::size_t(n * dims), 0.0);
    double z = 0.0;
    for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t j = 0; j < n; ++j) {
            if (i == j) continue;
            double r2 = 0.0;
            for (int a = 0; a < dims; ++a) r2 += std::pow(Y[std::size_t(i * dims + a)] - Y[std::size_t(j * dims + a)], 2);
            const double w = 1.0 / (1.0 + r2);
            z += w;
            for (int a = 0; a < dims; ++a)
                out[std::size_t(i * dims + a)] += w * w * (Y[std::size_t(i * dims + a)] - Y[std::size_t(j * dims + a)]);
        }
    return z;
}

/// n points of `dims` coordinates at `scale`: uniform in a cube, or 10 Gaussian clusters with
/// centres spread over the cube and a tenth of its width as standard deviation.
std::vector<double> points(std::int64_t n, int dims, double scale, bool clustered, std::uint64_t seed) {
    Rng rng(seed);
    std::vector<double> Y(std::size_t(n * dims));
    if (!clustered) {
        for (double& y : Y) y = scale * rng.uniform(-1.0, 1.0);
        return Y;
    }
    std::vector<double> centres(std::size_t(10 * dims));
    for (double& c : centres) c = scale * rng.uniform(-1.0, 1.0);
    for (std::int64_t i = 0; i < n; ++i) {
        const std::size_t c = std::size_t(rng.below(10));
        for (int a = 0; a < dims; ++a)
            Y[std::size_t(i * dims + a)] = centres[c * std::size_t(dims) + std::size_t(a)] + 0.1 * scale * rng.normal();
    }
    return Y;
}

/// |a - b| / |b| over whole vectors.
double relative_error(const std::vector<double>& a, const std::vector<double>& b) {
    double diff = 0.0, norm = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        diff += (a[i] - b[i]) * (a[i] - b[i]);
        norm += b[i] * b[i];
    }
    return norm > 0.0 ? std::sqrt(diff / norm) : std::sqrt(diff);
}

/// Thread count restored however a test ends.
struct ThreadGuard {
    int saved = parallel::max_threads();
    ~ThreadGuard() { parallel::set_max_threads(saved); }
};

}  // namespace

class TstTsneBh : public QObject {
    Q_OBJECT

private slots:
    void againstExactSums_data() {
        QTest::addColumn<int>("n");
        QTest::addColumn<int>("dims");
        QTest::addColumn<double>("scale");
        QTest::addColumn<bool>("clustered");
        for (int dims : {2, 3})
            for (int n : {500, 2000})
                for (double scale : {1e-3, 1.0, 50.0, 1e5})
                    for (bool clustered : {false, true})
                        QTest::addRow("%dD n=%d scale=%g %s", dims, n, scale, clustered ? "clusters" : "uniform")
                            << n << dims << scale << clustered;
    }
    /// theta = 0 visits every point: the exact sums up to rounding (also at scale 1e5, where every
    /// Z_i is tiny and must not be lost next to y_i's own w = 1). theta > 0: a summarised cell's
    /// error is second order in (cell side / distance) < theta, since the first-order terms vanish
    /// at the centre of mass, so the bounds are c theta^2. Measured on these cases (the side is the
    /// cell's full side, stricter than bhtsne's half-width), the worst relative force errors are
    /// 2.0e-3 at theta 0.25 and 1.2e-2 at 0.5, the worst Z errors 3.4e-4 and 4.1e-3 (Z's errors
    /// share a sign, as the far field is convex, so they do not cancel); c = 0.12 for the forces
    /// and 0.04 for Z leave a factor 2.5 or more, yet catch a wrong centre of mass or count,
    /// which give first-order errors.
    void againstExactSums() {
        QFETCH(int, n);
        QFETCH(int, dims);
        QFETCH(double, scale);
        QFETCH(bool, clustered);
        const auto Y = points(n, dims, scale, clustered, 17 + std::uint64_t(n) + std::uint64_t(dims));
        std::vector<double> exact;
        const double z_exact = exact_repulsion(Y, n, dims, exact);

        BarnesHutRepulsion bh;
        std::vector<double> out(exact.size());
        const double z0 = bh.compute(Y.data(), n, dims, 0.0, out.data());
        QVERIFY2(relative_error(out, exact) < 1e-12, qPrintable(QString::number(relative_error(out, exact))));
        QVERIFY(std::abs(z0 - z_exact) <= 1e-12 * z_exact);

        for (double theta : {0.25, 0.5}) {
            const double z = bh.compute(Y.data(), n, dims, theta, out.data());
            const double force_error = relative_error(out, exact);
            const double z_error = std::abs(z - z_exact) / z_exact;
            QVERIFY2(force_error < 0.12 * theta * theta,
                     qPrintable(QString("theta %1: force error %2").arg(theta).arg(force_error)));
            QVERIFY2(z_error < 0.04 * theta * theta, qPrintable(QString("theta %1: Z error %2").arg(theta).arg(z_error)));
        }
    }

    /// One thread and two threads, and two calls on one object, agree bit for bit.
    void deterministic_data() {
        QTest::addColumn<int>("dims");
        QTest::newRow("2D") << 2;
        QTest::newRow("3D") << 3;
    }
    void deterministic() {
        QFETCH(int, dims);
        const ThreadGuard guard;
        const std::int64_t n = 5000;
        const auto Y = points(n, dims, 20.0, true, 5);
        BarnesHutRepulsion bh;
        std::vector<double> one(std::size_t(n * dims)), two(one.size()), again(one.size());
        parallel::set_max_threads(1);
        const double z1 = bh.compute(Y.data(), n, dims, 0.5, one.data());
        parallel::set_max_threads(2);
        QCOMPARE(parallel::threads_in_region(), 2);
        const double z2 = bh.compute(Y.data(), n, dims, 0.5, two.data());
        const double z3 = bh.compute(Y.data(), n, dims, 0.5, again.data());
        QVERIFY(std::memcmp(&z1, &z2, sizeof z1) == 0);
        QVERIFY(std::memcmp(&z2, &z3, sizeof z1) == 0);
        QVERIFY(std::memcmp(one.data(), two.data(), one.size() * sizeof(double)) == 0);
        QVERIFY(std::memcmp(two.data(), again.data(), one.size() * sizeof(double)) == 0);
    }

    /// 100 copies of one point share a leaf: each copy sees the other 99 with w = 1 and no force.
    void duplicates_data() {
        QTest::addColumn<int>("dims");
        QTest::newRow("2D") << 2;
        QTest::newRow("3D") << 3;
    }
    void duplicates() {
        QFETCH(int, dims);
        Rng rng(3);
        std::vector<double> Y;
        for (int c = 0; c < 100; ++c)
            for (int a = 0; a < dims; ++a) Y.push_back(0.25 + 0.5 * a);
        for (int extra = 0; extra < 7; ++extra)
            for (int a = 0; a < dims; ++a) Y.push_back(rng.uniform(-3.0, 3.0));
        const std::int64_t n = std::int64_t(Y.size()) / dims;
        std::vector<double> exact;
        const double z_exact = exact_repulsion(Y, n, dims, exact);
        BarnesHutRepulsion bh;
        std::vector<double> out(exact.size());
        for (double theta : {0.0, 0.5}) {
            const double z = bh.compute(Y.data(), n, dims, theta, out.data());
            for (double v : out) QVERIFY(std::isfinite(v));
            QVERIFY2(std::abs(z - z_exact) <= (theta == 0.0 ? 1e-12 : 1e-3) * z_exact,
                     qPrintable(QString("theta %1: %2 vs %3").arg(theta).arg(z).arg(z_exact)));
            QVERIFY(relative_error(out, exact) < (theta == 0.0 ? 1e-12 : 1e-2));
        }
    }

    /// One point: nothing to repel. All points identical: Z = n (n - 1), no force.
    void degenerate() {
        BarnesHutRepulsion bh;
        for (int dims : {2, 3}) {
            std::vector<double> one(std::size_t(dims), 1.5), out(std::size_t(dims), 7.0);
            QCOMPARE(bh.compute(one.data(), 1, dims, 0.5, out.data()), 0.0);
            for (double v : out) QCOMPARE(v, 0.0);

            const std::int64_t n = 1000;
            std::vector<double> same(std::size_t(n * dims), -2.25), forces(same.size(), 7.0);
            QCOMPARE(bh.compute(same.data(), n, dims, 0.5, forces.data()), double(n * (n - 1)));
            for (double v : forces) QCOMPARE(v, 0.0);
        }
        std::vector<double> dummy(4);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, bh.compute(dummy.data(), 1, 4, 0.5, dummy.data()));
    }

    /// Points far apart (1e6) with tight groups (1e-9 wide) inside: deep, narrow trees.
    void wideSpread() {
        const int dims = 2;
        Rng rng(11);
        std::vector<double> Y;
        for (int g = 0; g < 5; ++g) {
            const double cx = rng.uniform(-1e6, 1e6), cy = rng.uniform(-1e6, 1e6);
            for (int p = 0; p < 40; ++p) {
                Y.push_back(cx + 1e-9 * rng.normal());
                Y.push_back(cy + 1e-9 * rng.normal());
            }
        }
        const std::int64_t n = std::int64_t(Y.size()) / dims;
        std::vector<double> exact, out(Y.size());
        const double z_exact = exact_repulsion(Y, n, dims, exact);
        BarnesHutRepulsion bh;
        const double z = bh.compute(Y.data(), n, dims, 0.5, out.data());
        QVERIFY(std::abs(z - z_exact) <= 1e-9 * z_exact);
        for (double v : out) QVERIFY(std::isfinite(v));
        QVERIFY(relative_error(out, exact) < 1e-2);
    }
};

QTEST_GUILESS_MAIN(TstTsneBh)
#include "tst_tsne_bh.moc"
