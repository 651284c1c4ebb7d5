// Per-row reconstruction errors (issue 13, information loss per point): PCA's squared distance
// to the fitted subspace against its closed form, and the autoencoder's per-row mean squared
// error against reconstruction_mse(); thread and batch independence; bad input.
#include "common/parallel.h"
#include "common/rng.h"
#include "reduce/autoencoder.h"
#include "reduce/pca.h"

#include <QtTest>

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <stdexcept>
#include <vector>

using namespace latentscape;
using namespace latentscape::reduce;

namespace {

/// n rows of d columns: `rank` latent Gaussian factors of decreasing strength mixed into d
/// columns, an offset of 3 + j per column, plus `noise` x Gaussian noise.
std::vector<float> low_rank(std::int64_t n, int d, int rank, double noise, std::uint64_t seed) {
    Rng rng(seed);
    std::vector<double> mix(std::size_t(rank * d));
    for (double& v : mix) v = rng.normal();
    std::vector<float> X(std::size_t(n * d));
    for (std::int64_t i = 0; i < n; ++i) {
        std::vector<double> f(static_cast<std::size_t>(rank));
        for (int r = 0; r < rank; ++r) f[std::size_t(r)] = rng.normal() * (rank - r);
        for (int j = 0; j < d; ++j) {
            double v = 3.0 + j + noise * rng.normal();
            for (int r = 0; r < rank; ++r) v += f[std::size_t(r)] * mix[std::size_t(r * d + j)];
            X[std::size_t(i * d + j)] = float(v);
        }
    }
    return X;
}

/// Rows in [0, 1] around 4 centres (data an autoencoder with a sigmoid output can learn).
std::vector<float> unit_blobs(std::int64_t n, int d, std::uint64_t seed) {
    Rng rng(seed);
    std::vector<double> centres(std::size_t(4 * d));
    for (double& c : centres) c = rng.uniform(0.2, 0.8);
    std::vector<float> X(std::size_t(n * d));
    for (std::int64_t i = 0; i < n; ++i)
        for (int j = 0; j < d; ++j)
            X[std::size_t(i * d + j)] =
                float(std::clamp(centres[std::size_t((i % 4) * d + j)] + 0.05 * rng.normal(), 0.0, 1.0));
    return X;
}

double sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

autoencoder::Model small_model(const std::vector<float>& X, std::int64_t n, int d, bool standardize) {
    autoencoder::Options o;
    o.hidden = std::vector<int>{16};
    o.epochs = 3;
    o.batch_size = 64;
    o.standardize = standardize;
    o.validation_fraction = 0.0;
    return autoencoder::run_to_end(X.data(), n, d, o).model;
}

}  // namespace

class TstReconstructionError : public QObject {
    Q_OBJECT

private slots:
    void pcaMatchesLeftOutVariance_data() {
        QTest::addColumn<bool>("scale");
        QTest::addColumn<int>("components");
        for (bool scale : {false, true})
            for (int m : {0, 1, 2, 4})
                QTest::newRow(qPrintable(QString("scale %1, components %2").arg(scale).arg(m))) << scale << m;
    }
    void pcaMatchesLeftOutVariance() {
        // For the fitted rows, sum_i ||z_i - V V^T z_i||^2 / (n - 1) is the variance the kept
        // components leave out: total_variance - their explained variances.
        QFETCH(bool, scale);
        QFETCH(int, components);
        const std::int64_t n = 400;
        const int d = 8;
        const std::vector<float> X = low_rank(n, d, 4, 0.3, 11);
        PcaOptions o;
        o.components = 4;
        o.scale = scale;
        o.method = PcaOptions::Method::Exact;
        const PcaResult fit = pca(X.data(), n, d, o);
        const std::vector<double> e = pca_reconstruction_error(fit, X.data(), n, d, components);
        QCOMPARE(std::int64_t(e.size()), n);
        const int m = components == 0 ? fit.k : components;
        double left_out = fit.total_variance;
        for (int c = 0; c < m; ++c) left_out -= fit.explained_variance[std::size_t(c)];
        const double measured = sum(e) / double(n - 1);
        QVERIFY2(std::abs(measured - left_out) < 1e-5 * fit.total_variance,
                 qPrintable(QString("errors %1, left-out variance %2").arg(measured).arg(left_out)));
        for (double v : e) QVERIFY(v >= 0.0);
        // The default (0) keeps every fitted component.
        if (components == fit.k) QVERIFY(same_bits(e, pca_reconstruction_error(fit, X.data(), n, d)));
    }

    void pcaRowsOnTheSubspaceAreExact() {
        // Rank-2 data with an offset: two components reconstruct every row (to rounding), one
        // does not; whitening changes the scores, not the errors.
        const std::int64_t n = 200;
        const int d = 6;
        const std::vector<float> X = low_rank(n, d, 2, 0.0, 5);
        PcaOptions o;
        o.components = 2;
        const PcaResult fit = pca(X.data(), n, d, o);
        double spread = 0.0;
        for (std::int64_t i = 0; i < n; ++i)
            for (int j = 0; j < d; ++j) spread += std::pow(X[std::size_t(i * d + j)] - fit.mean[std::size_t(j)], 2);
        const std::vector<double> two = pca_reconstruction_error(fit, X.data(), n, d);
        QVERIFY2(sum(two) < 1e-9 * spread, qPrintable(QString("%1 of %2").arg(sum(two)).arg(spread)));
        QVERIFY(sum(pca_reconstruction_error(fit, X.data(), n, d, 1)) > 1e-3 * spread);
        o.whiten = true;
        const PcaResult white = pca(X.data(), n, d, o);
        QVERIFY(same_bits(pca_reconstruction_error(white, X.data(), n, d), two));
        // New rows off the subspace: the error is the squared distance to the fitted plane.
        std::vector<float> off(X.begin(), X.begin() + d);
        const double axis[] = {1, 0, 0, 0, 0, 0};  // the move's direction: its off-plane part counts
        double along = 0.0;
        for (int c = 0; c < 2; ++c) {
            double dot = 0.0;
            for (int j = 0; j < d; ++j) dot += fit.components[std::size_t(c * d + j)] * axis[j];
            along += dot * dot;
        }
        off[0] += 2.0f;  // moved by 2 along the first axis
        const double expected = 4.0 * (1.0 - along) + two[0];
        QVERIFY(std::abs(pca_reconstruction_error(fit, off.data(), 1, d)[0] - expected) < 1e-4);
    }

    void pcaThreadCountDoesNotMatter() {
        const std::int64_t n = 3000;
        const int d = 40;
        const std::vector<float> X = low_rank(n, d, 6, 0.5, 3);
        PcaOptions o;
        o.components = 5;
        const PcaResult fit = pca(X.data(), n, d, o);
        const int before = omp_get_max_threads();
        omp_set_num_threads(1);
        const std::vector<double> one = pca_reconstruction_error(fit, X.data(), n, d, 3);
        omp_set_num_threads(2);
        const std::vector<double> two = pca_reconstruction_error(fit, X.data(), n, d, 3);
        QCOMPARE(parallel::threads_in_region(), 2);
        omp_set_num_threads(before);
        QVERIFY(same_bits(one, two));
        // A row's value does not depend on the rows passed with it.
        QVERIFY(std::memcmp(&pca_reconstruction_error(fit, X.data() + 1234 * d, 1, d, 3)[0], &one[1234],
                            sizeof(double)) == 0);
    }

    void pcaBadInput_data() {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("message");
        QTest::newRow("columns") << 0 << "PCA reconstruction error: the rows have 5 columns, the fit had 4";
        QTest::newRow("too many components")
            << 1 << "PCA reconstruction error: components (3) must be between 1 and the 2 components fitted (or 0 for all)";
        QTest::newRow("negative components")
            << 2 << "PCA reconstruction error: components (-1) must be between 1 and the 2 components fitted (or 0 for all)";
        QTest::newRow("NaN") << 3 << "PCA reconstruction error: input is not finite at row 1, column 2";
        QTest::newRow("null") << 4 << "PCA reconstruction error: the rows are null";
    }
    void pcaBadInput() {
        QFETCH(int, which);
        QFETCH(QString, message);
        std::vector<float> X = low_rank(10, 4, 2, 0.1, 1);
        const PcaResult fit = pca(X.data(), 10, 4);
        try {
            switch (which) {
            case 0: pca_reconstruction_error(fit, X.data(), 8, 5); break;
            case 1: pca_reconstruction_error(fit, X.data(), 10, 4, 3); break;
            case 2: pca_reconstruction_error(fit, X.data(), 10, 4, -1); break;
            case 3: X[6] = std::nanf(""); pca_reconstruction_error(fit, X.data(), 10, 4); break;
            case 4: pca_reconstruction_error(fit, nullptr, 10, 4); break;
            }
            QFAIL("no exception");
        } catch (const std::invalid_argument& e) {
            QCOMPARE(QString(e.what()), message);
        }
        QVERIFY(pca_reconstruction_error(fit, nullptr, 0, 4).empty());
    }

    void autoencoderErrorsAverageToMse_data() {
        QTest::addColumn<bool>("standardize");
        QTest::newRow("sigmoid output, [0, 1] data") << false;
        QTest::newRow("standardized, linear output") << true;
    }
    void autoencoderErrorsAverageToMse() {
        QFETCH(bool, standardize);
        const std::int64_t n = 700;  // 3 batches of 256, the last partial
        const int d = 12;
        const std::vector<float> X = unit_blobs(n, d, 8);
        const autoencoder::Model m = small_model(X, n, d, standardize);
        const std::vector<double> e = m.reconstruction_errors(X.data(), n);
        QCOMPARE(std::int64_t(e.size()), n);
        const double mse = m.reconstruction_mse(X.data(), n);
        QVERIFY(mse > 0.0);
        QVERIFY2(std::abs(sum(e) / double(n) - mse) <= 1e-6 * mse,
                 qPrintable(QString("mean %1, mse %2").arg(sum(e) / double(n), 0, 'g', 17).arg(mse, 0, 'g', 17)));
        // Each value is that row's decode(encode(x)) error, in the data's units.
        const std::vector<float> codes = m.encode(X.data(), n);
        const std::vector<float> back = m.decode(codes.data(), n);
        for (std::int64_t i = 0; i < n; i += 37) {
            double s = 0.0;
            for (int j = 0; j < d; ++j) s += std::pow(double(back[std::size_t(i * d + j)]) - X[std::size_t(i * d + j)], 2);
            QVERIFY(std::abs(s / d - e[std::size_t(i)]) <= 1e-5 * e[std::size_t(i)] + 1e-12);
        }
        // A row alone gets the same bits as in the batch.
        for (std::int64_t i : {std::int64_t(0), std::int64_t(300), n - 1})
            QVERIFY(std::memcmp(&m.reconstruction_errors(X.data() + i * d, 1)[0], &e[std::size_t(i)], sizeof(double)) == 0);
        // Threads do not matter.
        const int before = omp_get_max_threads();
        omp_set_num_threads(1);
        const std::vector<double> one = m.reconstruction_errors(X.data(), n);
        omp_set_num_threads(2);
        const std::vector<double> two = m.reconstruction_errors(X.data(), n);
        omp_set_num_threads(before);
        QVERIFY(same_bits(one, two));
        QVERIFY(same_bits(one, e));
    }

    void autoencoderBadInput() {
        const std::int64_t n = 64;
        const int d = 5;
        std::vector<float> X = unit_blobs(n, d, 2);
        const autoencoder::Model m = small_model(X, n, d, false);
        QVERIFY(m.reconstruction_errors(X.data(), 0).empty());
        X[std::size_t(3 * d + 1)] = std::nanf("");
        try {
            m.reconstruction_errors(X.data(), n);
            QFAIL("no exception");
        } catch (const std::invalid_argument& e) {
            QCOMPARE(QString(e.what()), QString("autoencoder: reconstruction: row 4, column 2 is NaN"));
        }
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, m.reconstruction_errors(X.data(), -1));
    }
};

QTEST_GUILESS_MAIN(TstReconstructionError)
#include "tst_reconstruction_error.moc"
