// t-SNE: neighbours against a double-precision brute force, affinity properties and a
// scikit-learn golden (tests/data/reduce/make_tsne_goldens.py), the FFT gradient against the
// exact one, the optimiser's properties (blobs separated, KL falling, chunked == single run,
// 1 thread == 2 threads) and the errors a user can meet.
#include "common/parallel.h"
#include "common/rng.h"
#include "data/load.h"
#include "data/synthetic.h"
#include "metrics/neighbors.h"
#include "reduce/tsne.h"
#include "reduce/tsne_internal.h"

#include <QtTest>

#include <atomic>
#include <functional>

#include <cmath>
#include <cstring>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

using namespace latentscape;
using namespace latentscape::reduce;
namespace ti = latentscape::reduce::tsne::internal;

namespace {

std::string golden(const char* name) { return std::string(LATENTSCAPE_TEST_DATA) + "/reduce/" + name; }

std::vector<float> gaussian(std::int64_t n, std::int64_t d, std::uint64_t seed, int clusters = 1, double spread = 6.0) {
    Rng rng(seed);
    std::vector<double> centres(std::size_t(clusters * d));
    for (double& c : centres) c = rng.uniform(-spread, spread);
    std::vector<float> X(std::size_t(n * d));
    for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t j = 0; j < d; ++j)
            X[std::size_t(i * d + j)] = float(centres[std::size_t((i % clusters) * d + j)] + rng.normal());
    return X;
}

std::vector<double> embedding(std::int64_t n, int dims, double scale, std::uint64_t seed) {
    Rng rng(seed);
    std::vector<double> Y(std::size_t(n * dims));
    for (std::int64_t i = 0; i < n; ++i)
        for (int a = 0; a < dims; ++a)
            Y[std::size_t(i * dims + a)] = scale * (rng.normal() + 4.0 * double(i % 5) * (a == 0 ? 1.0 : -0.5));
    return Y;
}

/// Relative error of a force field: |F - G| / |G| over all coordinates.
double field_error(const std::vector<double>& F, const std::vector<double>& G) {
    double num = 0.0, den = 0.0;
    for (std::size_t e = 0; e < F.size(); ++e) {
        num += (F[e] - G[e]) * (F[e] - G[e]);
        den += G[e] * G[e];
    }
    return std::sqrt(num / den);
}

// The first point whose force in F is off from G's by more than 1e-4 of its length (squared
// error above 1e-8 of the squared norm), or -1: one row written wrong cannot hide in the field.
std::int64_t first_point_off(const std::vector<double>& F, const std::vector<double>& G, int dims) {
    const std::int64_t n = std::int64_t(G.size()) / dims;
    for (std::int64_t i = 0; i < n; ++i) {
        double err = 0.0, norm = 0.0;
        for (int a = 0; a < dims; ++a) {
            const double r = G[std::size_t(i * dims + a)];
            err += (F[std::size_t(i * dims + a)] - r) * (F[std::size_t(i * dims + a)] - r);
            norm += r * r;
        }
        if (!(err <= 1e-8 * norm + 1e-30)) return i;
    }
    return -1;
}

std::vector<double> run_tsne(const std::vector<float>& X, std::int64_t n, std::int64_t d, const tsne::Options& o,
                             int chunk = 0) {
    auto status = tsne::initialize(X.data(), n, d, o);
    std::vector<double> Y = status.initial_embedding();
    if (chunk <= 0)
        status.run(Y, status.max_iterations());
    else
        while (!status.finished()) status.run(Y, status.iteration() + chunk);
    return Y;
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

}  // namespace

class TestTsne : public QObject {
    Q_OBJECT

private slots:
    void exactNeighboursMatchDoubleBruteForce_data() {
        QTest::addColumn<int>("n");
        QTest::addColumn<int>("d");
        QTest::addColumn<int>("k");
        QTest::newRow("small d") << 700 << 3 << 12;
        QTest::newRow("d 50, partial panel") << 517 << 50 << 90;
        QTest::newRow("odd d, k = n - 1") << 40 << 7 << 39;
    }
    void exactNeighboursMatchDoubleBruteForce() {
        QFETCH(int, n);
        QFETCH(int, d);
        QFETCH(int, k);
        const auto X = gaussian(n, d, 7, 4);
        const ti::Knn ours = ti::exact_knn(X.data(), n, d, k);
        const metrics::KnnGraph ref = metrics::exact_knn(X.data(), n, d, k);
        int mismatches = 0;
        for (std::size_t e = 0; e < ours.indices.size(); ++e) {
            if (ours.indices[e] != ref.indices[e]) ++mismatches;
            QVERIFY(std::abs(double(ours.sq_distances[e]) - ref.sq_distances[e]) <= 1e-6 * (1.0 + ref.sq_distances[e]));
        }
        QCOMPARE(mismatches, 0);
    }

    void exactNeighboursOfDataFarFromTheOrigin() {
        // Raw columns such as years or prices: without centring, float scores would cancel.
        auto X = gaussian(2000, 5, 13, 4, 2.0);
        for (float& v : X) v += 3000.0f;
        const ti::Knn ours = ti::exact_knn(X.data(), 2000, 5, 10);
        const metrics::KnnGraph ref = metrics::exact_knn(X.data(), 2000, 5, 10);
        std::int64_t same = 0;
        for (std::size_t e = 0; e < ours.indices.size(); ++e) same += ours.indices[e] == ref.indices[e];
        qInfo("%lld of %zu neighbours identical", static_cast<long long>(same), ours.indices.size());
        // Float rounding of the centred coordinates may swap near-ties only.
        QVERIFY(double(same) / double(ours.indices.size()) > 0.999);
    }

    void exactNeighboursBreakTiesByIndex() {
        // A grid of duplicates: every point has many neighbours at the same distances.
        std::vector<float> X;
        for (int i = 0; i < 60; ++i) {
            X.push_back(float(i % 3));
            X.push_back(float((i / 3) % 2));
        }
        const ti::Knn ours = ti::exact_knn(X.data(), 60, 2, 25);
        const metrics::KnnGraph ref = metrics::exact_knn(X.data(), 60, 2, 25);
        for (std::size_t e = 0; e < ours.indices.size(); ++e) QCOMPARE(std::int64_t(ours.indices[e]), ref.indices[e]);
    }

    void approximateNeighboursHaveHighRecall() {
        const std::int64_t n = 3000, d = 20;
        const int k = 30;
        const auto X = gaussian(n, d, 11, 10, 3.0);
        const ti::Knn approx = ti::approximate_knn(X.data(), n, d, k, 42);
        const ti::Knn exact = ti::exact_knn(X.data(), n, d, k);
        std::int64_t hits = 0;
        for (std::int64_t i = 0; i < n; ++i) {
            std::set<std::int32_t> truth(exact.indices.begin() + i * k, exact.indices.begin() + (i + 1) * k);
            for (int a = 0; a < k; ++a) hits += truth.count(approx.indices[std::size_t(i * k + a)]);
            QVERIFY(std::is_sorted(approx.sq_distances.begin() + i * k, approx.sq_distances.begin() + (i + 1) * k));
        }
        const double recall = double(hits) / double(n * k);
        qInfo("hnsw recall %.4f", recall);
        QVERIFY(recall >= 0.99);
        // The graph depends on the seed only.
        const ti::Knn again = ti::approximate_knn(X.data(), n, d, k, 42);
        QVERIFY(again.indices == approx.indices);
    }

    void perplexityIsHitPerRow() {
        const std::int64_t n = 400, d = 8;
        const auto X = gaussian(n, d, 3, 3);
        for (double perplexity : {2.0, 10.0, 30.0}) {
            const int k = int(3 * perplexity);
            const ti::Knn knn = ti::exact_knn(X.data(), n, d, k);
            std::vector<double> p(static_cast<std::size_t>(k));
            for (std::int64_t i = 0; i < n; ++i) {
                ti::conditional_row(knn.sq_distances.data() + i * k, k, perplexity, p.data());
                double sum = 0.0, entropy = 0.0;
                for (double v : p) {
                    sum += v;
                    if (v > 0) entropy -= v * std::log(v);
                }
                QVERIFY(std::abs(sum - 1.0) < 1e-12);
                QVERIFY2(std::abs(std::exp(entropy) - perplexity) <= 1e-5 * perplexity,
                         qPrintable(QString("row %1: perplexity %2").arg(i).arg(std::exp(entropy), 0, 'g', 12)));
            }
        }
    }

    void jointProbabilitiesAreSymmetricAndSumToOne() {
        const std::int64_t n = 500, d = 6;
        const auto X = gaussian(n, d, 5, 4);
        const ti::Affinities P = ti::affinities(ti::exact_knn(X.data(), n, d, 30), 10.0);
        std::map<std::pair<int, int>, double> entries;
        double sum = 0.0;
        for (std::int64_t i = 0; i < n; ++i)
            for (std::int64_t e = P.row_start[std::size_t(i)]; e < P.row_start[std::size_t(i + 1)]; ++e) {
                QVERIFY(P.values[std::size_t(e)] > 0.0);
                QVERIFY(P.columns[std::size_t(e)] != i);
                if (e > P.row_start[std::size_t(i)]) QVERIFY(P.columns[std::size_t(e)] > P.columns[std::size_t(e - 1)]);
                entries[{int(i), P.columns[std::size_t(e)]}] = P.values[std::size_t(e)];
                sum += P.values[std::size_t(e)];
            }
        QVERIFY(std::abs(sum - 1.0) < 1e-12);
        for (const auto& [ij, v] : entries) {
            const auto mirror = entries.find({ij.second, ij.first});
            QVERIFY(mirror != entries.end());
            QCOMPARE(mirror->second, v);
        }
    }

    // Locality order: the same matrix with its rows and columns renumbered, and the same forces.
    void localityOrderRenumbersTheSameMatrix() {
        const std::int64_t n = 1200, d = 6;
        const auto X = gaussian(n, d, 31, 5);
        const ti::Knn knn = ti::exact_knn(X.data(), n, d, 30);
        const ti::Affinities plain = ti::affinities(knn, 10.0);
        const ti::Affinities local = ti::affinities(knn, 10.0, ti::RowOrder::Locality);
        QVERIFY(plain.order.empty());
        QCOMPARE(std::int64_t(local.order.size()), n);
        std::vector<std::int32_t> sorted = local.order;
        std::sort(sorted.begin(), sorted.end());
        for (std::int64_t i = 0; i < n; ++i) QCOMPARE(sorted[std::size_t(i)], std::int32_t(i));
        QCOMPARE(local.order.front(), 0);  // breadth-first from point 0 ...
        for (int a = 0; a < knn.k; ++a)    // ... whose neighbours come next, nearest first
            QCOMPARE(local.order[std::size_t(1 + a)], knn.neighbor(0, a));
        QCOMPARE(local.values.size(), plain.values.size());
        for (std::int64_t r = 0; r < n; ++r) {
            const std::int64_t i = local.order[std::size_t(r)];
            std::map<std::int32_t, double> want;
            for (std::int64_t e = plain.row_start[std::size_t(i)]; e < plain.row_start[std::size_t(i + 1)]; ++e)
                want[plain.columns[std::size_t(e)]] = plain.values[std::size_t(e)];
            QCOMPARE(local.row_start[std::size_t(r + 1)] - local.row_start[std::size_t(r)], std::int64_t(want.size()));
            for (std::int64_t e = local.row_start[std::size_t(r)]; e < local.row_start[std::size_t(r + 1)]; ++e) {
                if (e > local.row_start[std::size_t(r)]) QVERIFY(local.columns[std::size_t(e)] > local.columns[std::size_t(e - 1)]);
                const auto it = want.find(local.order[std::size_t(local.columns[std::size_t(e)])]);
                QVERIFY(it != want.end());
                QCOMPARE(local.values[std::size_t(e)], it->second);  // the same number, bit for bit
            }
        }
        for (int dims : {2, 3}) {
            const auto Y = embedding(n, dims, 2.0, 7);
            std::vector<double> a(Y.size()), b(Y.size()), fa(Y.size()), fb(Y.size());
            double la = 0.0, lb = 0.0;
            ti::attraction(plain, Y.data(), dims, a.data(), &la);
            ti::attraction(local, Y.data(), dims, b.data(), &lb);
            QVERIFY(field_error(b, a) < 1e-14);
            QVERIFY(std::abs(lb / la - 1.0) < 1e-12);
            std::vector<float> scratch;
            ti::attraction_f32(plain, std::vector<float>(plain.values.begin(), plain.values.end()), Y.data(), dims,
                               fa.data(), scratch);
            ti::attraction_f32(local, std::vector<float>(local.values.begin(), local.values.end()), Y.data(), dims,
                               fb.data(), scratch);
            QVERIFY(field_error(fb, a) < 1e-5);
            QVERIFY(field_error(fa, a) < 1e-5);
            // Each point's own force, so that one row written to the wrong point cannot hide.
            const std::int64_t off = first_point_off(fb, a, dims);
            QVERIFY2(off < 0, qPrintable(QString("point %1").arg(off)));
        }
    }

    void affinitiesMatchScikitLearn() {
        const data::Dataset X = data::load_npy(golden("tsne_X.npy"));
        const data::Dataset ref = data::load_npy(golden("tsne_P.npy"));
        const ti::Affinities P = ti::affinities(ti::exact_knn(X.features.data(), X.n, X.d, 30), 10.0);
        QCOMPARE(std::int64_t(P.values.size()), ref.n);
        double max_rel = 0.0;
        for (std::int64_t e = 0; e < ref.n; ++e) {
            const auto row = std::int64_t(ref.features[std::size_t(e * 3)]);
            const auto col = std::int32_t(ref.features[std::size_t(e * 3 + 1)]);
            const double value = ref.features[std::size_t(e * 3 + 2)];
            QVERIFY(P.row_start[std::size_t(row)] <= e && e < P.row_start[std::size_t(row + 1)]);
            QCOMPARE(P.columns[std::size_t(e)], col);
            max_rel = std::max(max_rel, std::abs(P.values[std::size_t(e)] - value) / value);
        }
        qInfo("largest relative difference from scikit-learn's P: %.3g", max_rel);
        // scikit-learn bisects in float32 distances to an entropy tolerance of 1e-5.
        QVERIFY(max_rel < 1e-3);
    }

    void fftGradientMatchesExact_data() {
        QTest::addColumn<double>("scale");
        QTest::addColumn<int>("order");
        QTest::addColumn<double>("per_unit");
        QTest::addColumn<double>("bound");
        QTest::addColumn<double>("z_bound");
        // Bounds about 1.5x the errors measured. The interpolation error depends on the node
        // spacing (1 / per_unit once the embedding is wider than the minimum grid) and falls
        // fast with it and with the spline order: a wrong weight, offset or prefilter would not.
        QTest::newRow("early, tiny") << 1e-3 << 4 << 2.0 << 1e-9 << 1e-10;
        QTest::newRow("medium") << 1.0 << 4 << 2.0 << 6e-4 << 4e-5;
        QTest::newRow("spread") << 10.0 << 4 << 2.0 << 2e-2 << 1.3e-2;
        QTest::newRow("spread, finer grid") << 10.0 << 4 << 3.0 << 3e-3 << 3e-3;
        QTest::newRow("spread, order 6") << 10.0 << 6 << 2.0 << 1.7e-2 << 6e-3;
        QTest::newRow("spread, order 2") << 10.0 << 2 << 2.0 << 0.14 << 0.04;
    }
    void fftGradientMatchesExact() {
        QFETCH(double, scale);
        QFETCH(int, order);
        QFETCH(double, per_unit);
        QFETCH(double, bound);
        QFETCH(double, z_bound);
        const std::int64_t n = 1500;
        const auto Y = embedding(n, 2, scale, 9);
        std::vector<double> exact(Y.size()), fft(Y.size());
        const double z_exact = ti::exact_repulsion(Y.data(), n, 2, exact.data());
        ti::FftRepulsion method(order, 100, per_unit);
        const double z_fft = method.compute(Y.data(), n, fft.data());
        const double err = field_error(fft, exact);
        qInfo("scale %g, order %d, %g nodes per unit (%d nodes): force error %.3g, Z error %.3g", scale, order,
              per_unit, method.last_nodes(), err, std::abs(z_fft / z_exact - 1));
        QVERIFY(err < bound);
        QVERIFY(std::abs(z_fft / z_exact - 1.0) < z_bound);
    }

    void fftGridHasABoundedSize() {
        // Up to 1,600 nodes per dimension (~800 units at 2 nodes per unit); t-SNE switches to
        // Barnes-Hut for embeddings wider than that.
        ti::FftRepulsion fft(4, 100, 2.0);
        const auto narrow = embedding(500, 2, 20.0, 3);
        const auto wide = embedding(500, 2, 60.0, 3);
        QVERIFY(fft.grid_fits(narrow.data(), 500));
        QVERIFY(!fft.grid_fits(wide.data(), 500));
        std::vector<double> out(wide.size());
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, fft.compute(wide.data(), 500, out.data()));
        std::vector<double> broken = narrow;
        broken[7] = std::nan("");
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, fft.compute(broken.data(), 500, out.data()));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ti::FftRepulsion(3, 100, 2.0));
    }

    void floatKernelMatchesDouble_data() {
        QTest::addColumn<int>("n");
        QTest::addColumn<int>("dims");
        QTest::newRow("tiny, 2-D") << 37 << 2;
        QTest::newRow("three tiles, 2-D") << 2500 << 2;
        QTest::newRow("three tiles, 3-D") << 2100 << 3;
    }
    void floatKernelMatchesDouble() {
        QFETCH(int, n);
        QFETCH(int, dims);
        const auto Y = embedding(n, dims, 3.0, 17);
        std::vector<double> ref(Y.size()), f32(Y.size());
        std::vector<float> scratch;
        const double z_ref = ti::exact_repulsion(Y.data(), n, dims, ref.data());
        const double z = ti::exact_repulsion_f32(Y.data(), n, dims, f32.data(), scratch);
        qInfo("force error %.3g, Z error %.3g", field_error(f32, ref), std::abs(z / z_ref - 1));
        // float32 sums, and with AVX-512 a 14-bit reciprocal (error < 2^-14 per pair, mostly
        // cancelling over many pairs): measured 3e-5 / 1e-5.
        QVERIFY(field_error(f32, ref) < 1e-4);
        QVERIFY(std::abs(z / z_ref - 1.0) < 5e-5);
        // One tile or many, one thread or two: the same bits.
        const int before = parallel::max_threads();
        parallel::set_max_threads(1);
        std::vector<double> one(Y.size());
        const double z_one = ti::exact_repulsion_f32(Y.data(), n, dims, one.data(), scratch);
        parallel::set_max_threads(before);
        QVERIFY(same_bits(one, f32));
        QCOMPARE(z_one, z);
    }

    void floatAttractionMatchesDouble() {
        const std::int64_t n = 900, d = 6;
        const auto X = gaussian(n, d, 23, 3);
        const ti::Affinities P = ti::affinities(ti::exact_knn(X.data(), n, d, 30), 10.0);
        const std::vector<float> values(P.values.begin(), P.values.end());
        for (int dims : {2, 3}) {
            const auto Y = embedding(n, dims, 2.0, 5);
            std::vector<double> ref(Y.size()), f32(Y.size());
            std::vector<float> scratch;
            ti::attraction(P, Y.data(), dims, ref.data());
            ti::attraction_f32(P, values, Y.data(), dims, f32.data(), scratch);
            QVERIFY2(field_error(f32, ref) < 1e-5, qPrintable(QString::number(field_error(f32, ref))));
            // Row by row too: rows of 30 or more entries end in every remainder of the 8-lane
            // blocks (checked), and a wrong tail would hide in the whole field's norm.
            std::set<std::int64_t> remainders;
            for (std::int64_t i = 0; i < n; ++i)
                remainders.insert((P.row_start[std::size_t(i + 1)] - P.row_start[std::size_t(i)]) % 8);
            QCOMPARE(remainders.size(), std::size_t(8));
            const std::int64_t off = first_point_off(f32, ref, dims);
            QVERIFY2(off < 0, qPrintable(QString("row %1").arg(off)));
        }
    }

    void exactNormalisationMatchesRepulsion() {
        const auto Y = embedding(300, 3, 2.0, 4);
        std::vector<double> out(Y.size());
        const double z = ti::exact_repulsion(Y.data(), 300, 3, out.data());
        QVERIFY(std::abs(ti::exact_normalisation(Y.data(), 300, 3) / z - 1.0) < 1e-12);
    }

    void blobsAreSeparated_data() {
        QTest::addColumn<int>("dims");
        QTest::addColumn<int>("gradient");
        QTest::newRow("2-D exact") << 2 << int(tsne::Gradient::Exact);
        QTest::newRow("2-D fft") << 2 << int(tsne::Gradient::Fft);
        QTest::newRow("3-D barnes-hut") << 3 << int(tsne::Gradient::BarnesHut);
    }
    void blobsAreSeparated() {
        QFETCH(int, dims);
        QFETCH(int, gradient);
        data::synthetic::BlobsOptions bo;
        bo.n = 800;
        bo.d = 10;
        bo.k = 5;
        const data::Dataset blobs = data::synthetic::blobs(bo);
        tsne::Options o;
        o.dims = dims;
        o.gradient = tsne::Gradient(gradient);
        o.iterations = 500;
        const std::vector<float> X(blobs.features.begin(), blobs.features.end());
        const auto Y = run_tsne(X, bo.n, bo.d, o);
        // Every point is nearer its own blob's centroid than any other's, in the embedding.
        std::vector<double> centroid(std::size_t(bo.k * dims), 0.0);
        std::vector<int> count(std::size_t(bo.k), 0);
        const auto& label = blobs.metadata.front();
        for (std::int64_t i = 0; i < bo.n; ++i) {
            const int c = int(label.codes[std::size_t(i)]);
            ++count[std::size_t(c)];
            for (int a = 0; a < dims; ++a) centroid[std::size_t(c * dims + a)] += Y[std::size_t(i * dims + a)];
        }
        for (int c = 0; c < bo.k; ++c)
            for (int a = 0; a < dims; ++a) centroid[std::size_t(c * dims + a)] /= count[std::size_t(c)];
        int wrong = 0;
        for (std::int64_t i = 0; i < bo.n; ++i) {
            int best = -1;
            double best_d = 1e300;
            for (int c = 0; c < bo.k; ++c) {
                double dd = 0;
                for (int a = 0; a < dims; ++a)
                    dd += std::pow(Y[std::size_t(i * dims + a)] - centroid[std::size_t(c * dims + a)], 2);
                if (dd < best_d) best_d = dd, best = c;
            }
            wrong += best != int(label.codes[std::size_t(i)]);
        }
        QCOMPARE(wrong, 0);
    }

    void klFallsAfterExaggeration() {
        const std::int64_t n = 1200, d = 10;
        const auto X = gaussian(n, d, 21, 6, 4.0);
        tsne::Options o;
        o.iterations = 750;
        o.gradient = tsne::Gradient::Fft;
        auto status = tsne::initialize(X.data(), n, d, o);
        std::vector<double> Y = status.initial_embedding();
        status.run(Y, 250);
        double previous = status.cost(Y, true);
        for (int until : {350, 500, 750}) {
            status.run(Y, until);
            const double kl = status.cost(Y, true);
            QVERIFY2(kl < previous, qPrintable(QString("KL %1 at %2 after %3").arg(kl).arg(until).arg(previous)));
            previous = kl;
        }
        // The approximate cost (FFT normalisation) agrees with the exact one.
        QVERIFY(std::abs(status.cost(Y, false) - previous) < 1e-2 * previous);
    }

    void chunkedRunEqualsSingleRun_data() {
        QTest::addColumn<int>("dims");
        QTest::addColumn<int>("gradient");
        QTest::newRow("exact") << 2 << int(tsne::Gradient::Exact);
        QTest::newRow("fft") << 2 << int(tsne::Gradient::Fft);
        QTest::newRow("barnes-hut 3-D") << 3 << int(tsne::Gradient::BarnesHut);
    }
    void chunkedRunEqualsSingleRun() {
        QFETCH(int, dims);
        QFETCH(int, gradient);
        const auto X = gaussian(600, 12, 8, 3);
        tsne::Options o;
        o.dims = dims;
        o.gradient = tsne::Gradient(gradient);
        o.iterations = 300;
        o.exaggeration_iterations = 100;
        const auto single = run_tsne(X, 600, 12, o);
        const auto chunked = run_tsne(X, 600, 12, o, 7);
        QVERIFY(same_bits(single, chunked));
    }

    void oneThreadEqualsTwo_data() { chunkedRunEqualsSingleRun_data(); }
    void oneThreadEqualsTwo() {
        QFETCH(int, dims);
        QFETCH(int, gradient);
        const auto X = gaussian(700, 60, 12, 4);  // d > 50: the preprocessing PCA runs too
        tsne::Options o;
        o.dims = dims;
        o.gradient = tsne::Gradient(gradient);
        o.iterations = 200;
        const int before = parallel::max_threads();
        parallel::set_max_threads(1);
        const auto one = run_tsne(X, 700, 60, o);
        parallel::set_max_threads(2);
        QCOMPARE(parallel::threads_in_region(), 2);
        const auto two = run_tsne(X, 700, 60, o);
        parallel::set_max_threads(before);
        QVERIFY(same_bits(one, two));
    }

    void seedChangesRandomInitialisation() {
        const auto X = gaussian(200, 5, 2);
        tsne::Options o;
        o.init = tsne::Init::Random;
        o.iterations = 50;
        const auto a = run_tsne(X, 200, 5, o);
        const auto b = run_tsne(X, 200, 5, o);
        o.seed = 7;
        const auto c = run_tsne(X, 200, 5, o);
        QVERIFY(same_bits(a, b));
        QVERIFY(!same_bits(a, c));
    }

    void pcaInitialisationHasTinySpread() {
        const auto X = gaussian(300, 80, 6, 3);
        auto status = tsne::initialize(X.data(), 300, 80, {});
        QCOMPARE(status.input_dims(), 50);
        QCOMPARE(status.k(), 90);
        QVERIFY(std::abs(status.learning_rate() - 50.0) < 1e-12);  // max(300 / 12, 50)
        const auto Y = status.initial_embedding();
        double mean = 0, sq = 0;
        for (int i = 0; i < 300; ++i) mean += Y[std::size_t(i * 2)];
        mean /= 300;
        for (int i = 0; i < 300; ++i) sq += std::pow(Y[std::size_t(i * 2)] - mean, 2);
        QVERIFY(std::abs(std::sqrt(sq / 300) - 1e-4) < 1e-10);
        QCOMPARE(status.gradient(), tsne::Gradient::Exact);
        QCOMPARE(status.neighbors(), tsne::Neighbors::Exact);
        tsne::Options three;
        three.dims = 3;
        QCOMPARE(tsne::initialize(X.data(), 300, 80, three).gradient(), tsne::Gradient::Exact);
    }

    void badInputIsRejected_data() {
        QTest::addColumn<int>("n");
        QTest::addColumn<QString>("what");
        QTest::addColumn<QString>("message");
        QTest::newRow("perplexity too large") << 40 << "perplexity" << "must be < (n - 1) / 3 = 13";
        QTest::newRow("too few points") << 3 << "" << "at least 4 points";
        QTest::newRow("nan") << 40 << "nan" << "row 6, column 2 is NaN";
        QTest::newRow("duplicates only") << 40 << "same" << "every row is the same point";
        QTest::newRow("fft in 3-D") << 40 << "fft3" << "2-D only";
        QTest::newRow("dims") << 40 << "dims" << "dims (4) must be 2 or 3";
        QTest::newRow("huge values") << 40 << "huge" << "overflow float32 distances";
    }
    void badInputIsRejected() {
        QFETCH(int, n);
        QFETCH(QString, what);
        QFETCH(QString, message);
        auto X = gaussian(n, 3, 1);
        tsne::Options o;
        o.perplexity = 5;
        if (what == "perplexity") o.perplexity = 13;
        if (what == "nan") X[5 * 3 + 1] = std::nanf("");
        if (what == "same") std::fill(X.begin(), X.end(), 2.5f);
        if (what == "fft3") o.dims = 3, o.gradient = tsne::Gradient::Fft;
        if (what == "dims") o.dims = 4;
        if (what == "huge") X[7] = 1e20f;
        try {
            tsne::initialize(X.data(), n, 3, o);
            QFAIL("no error");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(QString(e.what()).contains(message), e.what());
        }
    }

    void setupCanBeCanceled() {
        const auto X = gaussian(3000, 10, 4, 3);
        std::atomic<int> polls{0};
        // Answers "cancel" from its fifth poll on: inside the neighbour search.
        const std::function<bool()> canceled = [&polls] { return ++polls > 4; };
        QVERIFY_THROWS_EXCEPTION(tsne::Canceled, tsne::initialize(X.data(), 3000, 10, {}, canceled));
        tsne::Options approx;
        approx.neighbors = tsne::Neighbors::Approximate;
        polls = 0;
        QVERIFY_THROWS_EXCEPTION(tsne::Canceled, tsne::initialize(X.data(), 3000, 10, approx, canceled));
        // A callback that never cancels changes nothing.
        auto a = tsne::initialize(X.data(), 3000, 10, {}, [] { return false; });
        auto b = tsne::initialize(X.data(), 3000, 10, {});
        QVERIFY(a.p_values() == b.p_values());
    }

    void duplicatePointsAreFine() {
        // Half the points coincide: distances of zero, ties everywhere, still a finite embedding.
        auto X = gaussian(200, 4, 3);
        for (int i = 0; i < 100; ++i) std::copy(X.begin(), X.begin() + 4, X.begin() + i * 4);
        tsne::Options o;
        o.iterations = 100;
        const auto Y = run_tsne(X, 200, 4, o);
        for (double v : Y) QVERIFY(std::isfinite(v));
    }
};

QTEST_GUILESS_MAIN(TestTsne)
#include "tst_tsne.moc"
