// PCA: closed forms, scikit-learn goldens (tests/data/reduce/make_goldens.py), randomized vs exact,
// GCC 12 reports its own _mm512_undefined_ps() as maybe-uninitialized when Eigen's AVX-512
// code is inlined here (GCC bug 105593, fixed in 13): a false positive.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
// scaling and whitening, transform, determinism across thread counts, and bad options.
#include "common/rng.h"
#include "data/load.h"
#include "reduce/pca.h"
#include "reduce/top_eigen.h"

#include <Eigen/QR>

#include <QtTest>

#include <omp.h>

#include <cmath>
#include <stdexcept>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

using namespace latentscape;
using namespace latentscape::reduce;
using Method = PcaOptions::Method;

namespace {

std::string golden(const char* name) { return std::string(LATENTSCAPE_TEST_DATA) + "/reduce/" + name; }

/// n x d row-major Gaussian data with independent columns of standard deviation sd[j], plus an
/// offset per column.
std::vector<float> gaussian(std::int64_t n, const std::vector<double>& sd, std::uint64_t seed) {
    Rng rng(seed);
    const auto d = std::int64_t(sd.size());
    std::vector<float> X(std::size_t(n * d));
    for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t j = 0; j < d; ++j) X[std::size_t(i * d + j)] = float(5.0 * double(j) + sd[std::size_t(j)] * rng.normal());
    return X;
}

/// Sample variance (ddof = 1) of column j of a row-major n x k matrix.
double column_variance(const FloatVector& m, std::int64_t n, int k, int j) {
    double mean = 0, sq = 0;
    for (std::int64_t i = 0; i < n; ++i) mean += m[std::size_t(i * k + j)];
    mean /= double(n);
    for (std::int64_t i = 0; i < n; ++i) sq += std::pow(m[std::size_t(i * k + j)] - mean, 2);
    return sq / double(n - 1);
}

double dot(const float* a, const double* b, std::int64_t d) {
    double s = 0;
    for (std::int64_t j = 0; j < d; ++j) s += double(a[j]) * b[j];
    return s;
}

double rel(double a, double b) { return std::abs(a - b) / std::max(std::abs(b), 1e-300); }

double ratio_sum(const PcaResult& r) {
    double total = 0;
    for (double x : r.explained_variance_ratio) total += x;
    return total;
}

/// A data column "method" with one row per (name, method).
void method_rows(std::initializer_list<std::pair<const char*, Method>> rows) {
    QTest::addColumn<int>("method");
    for (const auto& [name, m] : rows) QTest::newRow(name) << int(m);
}

}  // namespace

class TstPca : public QObject {
    Q_OBJECT

private slots:
    /// Points on a known plane in 10-D plus tiny noise: two components explain everything and
    /// span the plane.
    void planeInTenDimensions_data() { method_rows({{"exact", Method::Exact}, {"randomized", Method::Randomized}}); }
    void planeInTenDimensions() {
        QFETCH(int, method);
        const std::int64_t n = 500, d = 10;
        // An orthonormal basis u, v of the plane.
        std::vector<double> u(d, 0.0), v(d, 0.0);
        for (std::int64_t j = 0; j < d; ++j) {
            u[std::size_t(j)] = (j % 2 == 0 ? 1.0 : -1.0) / std::sqrt(double(d));
            v[std::size_t(j)] = ((j / 2) % 2 == 0 ? 1.0 : -1.0) / std::sqrt(double(d));
        }
        double uv = 0;
        for (std::int64_t j = 0; j < d; ++j) uv += u[std::size_t(j)] * v[std::size_t(j)];
        QVERIFY(std::abs(uv) < 1e-12);
        Rng rng(7);
        std::vector<float> X(std::size_t(n * d));
        for (std::int64_t i = 0; i < n; ++i) {
            const double a = 3.0 * rng.normal(), b = rng.normal();
            for (std::int64_t j = 0; j < d; ++j)
                X[std::size_t(i * d + j)] = float(1.0 + a * u[std::size_t(j)] + b * v[std::size_t(j)] + 1e-4 * rng.normal());
        }
        PcaOptions o;
        o.components = 2;
        o.method = Method(method);
        const PcaResult r = pca(X.data(), n, d, o);
        QVERIFY(r.explained_variance_ratio[0] + r.explained_variance_ratio[1] > 1 - 1e-6);
        QVERIFY(r.explained_variance[0] > r.explained_variance[1]);
        for (int c = 0; c < 2; ++c) {
            // Each component lies in the plane: its projection onto span(u, v) has unit length.
            const float* w = r.components.data() + c * d;
            const double pu = dot(w, u.data(), d), pv = dot(w, v.data(), d);
            QVERIFY2(std::abs(pu * pu + pv * pv - 1.0) < 1e-5, qPrintable(QString::number(pu * pu + pv * pv)));
        }
        // The stronger direction (variance 9 vs 1) is u.
        QVERIFY(std::abs(dot(r.components.data(), u.data(), d)) > 0.999);
    }

    /// Independent columns: the components are the axes sorted by variance, the explained
    /// variances the column variances.
    void diagonalCovariance() {
        const std::vector<double> sd = {1.0, 4.0, 0.5, 2.0, 3.0};
        const std::int64_t n = 4000, d = 5;
        const std::vector<float> X = gaussian(n, sd, 11);
        PcaOptions o;
        o.components = 5;
        const PcaResult r = pca(X.data(), n, d, o);
        QCOMPARE(r.method_used, std::string("exact-covariance"));
        const int order[] = {1, 4, 3, 0, 2};
        for (int c = 0; c < 5; ++c) {
            // The sample variance of the axis column, not sd^2: the closed form of this sample.
            double mean = 0, sq = 0;
            for (std::int64_t i = 0; i < n; ++i) mean += X[std::size_t(i * d + order[c])];
            mean /= double(n);
            for (std::int64_t i = 0; i < n; ++i) sq += std::pow(X[std::size_t(i * d + order[c])] - mean, 2);
            const double expected = sd[std::size_t(order[c])] * sd[std::size_t(order[c])];
            QVERIFY2(rel(r.explained_variance[std::size_t(c)], expected) < 0.05, qPrintable(QString::number(c)));
            QVERIFY(std::abs(r.components[std::size_t(c * d + order[c])]) > 0.99);
            // Sign convention: the largest entry is positive.
            QVERIFY(r.components[std::size_t(c * d + order[c])] > 0);
            // Scores have the explained variances as their variances.
            QVERIFY(rel(column_variance(r.scores, n, 5, c), r.explained_variance[std::size_t(c)]) < 1e-4);
        }
        QVERIFY(std::abs(ratio_sum(r) - 1.0) < 1e-9);
    }

    /// scikit-learn's PCA(n_components=5, svd_solver='full') on a 300 x 20 float32 matrix.
    void matchesScikitLearn_data() { method_rows({{"exact", Method::Exact}, {"auto", Method::Auto}}); }
    void matchesScikitLearn() {
        QFETCH(int, method);
        const data::Dataset X = data::load_npy(golden("pca_X.npy"));
        const data::Dataset scores = data::load_npy(golden("pca_scores.npy"));
        const data::Dataset comps = data::load_npy(golden("pca_components.npy"));
        const data::Dataset ev = data::load_npy(golden("pca_explained_variance.npy"));
        QCOMPARE(X.n, std::int64_t(300));
        QCOMPARE(X.d, std::int64_t(20));
        PcaOptions o;
        o.components = 5;
        o.method = Method(method);
        const PcaResult r = pca(X, o);
        for (int c = 0; c < 5; ++c) {
            QVERIFY2(rel(r.explained_variance[std::size_t(c)], ev.features[std::size_t(c)]) < 1e-5,
                     qPrintable(QString("%1 vs %2").arg(r.explained_variance[std::size_t(c)]).arg(ev.features[std::size_t(c)])));
            QVERIFY(rel(r.explained_variance_ratio[std::size_t(c)], ev.features[std::size_t(5 + c)]) < 1e-5);
            // Up to sign per component.
            const double sign = r.components[std::size_t(c * 20)] * comps.at(c, 0) < 0 ? -1.0 : 1.0;
            double scale = 0;
            for (std::int64_t i = 0; i < 300; ++i) scale = std::max(scale, std::abs(double(scores.at(i, c))));
            for (std::int64_t j = 0; j < 20; ++j)
                QVERIFY(std::abs(sign * r.components[std::size_t(c * 20 + j)] - comps.at(c, j)) < 1e-4);
            for (std::int64_t i = 0; i < 300; ++i)
                QVERIFY2(std::abs(sign * r.score(i, c) - scores.at(i, c)) < 1e-4 * scale,
                         qPrintable(QString("row %1 component %2").arg(i).arg(c)));
        }
    }

    /// scale = true equals scikit-learn's StandardScaler followed by PCA.
    void scaledMatchesStandardScaler() {
        const data::Dataset X = data::load_npy(golden("pca_X.npy"));
        const data::Dataset ev = data::load_npy(golden("pca_scaled_explained_variance.npy"));
        PcaOptions o;
        o.components = 5;
        o.scale = true;
        const PcaResult r = pca(X, o);
        for (int c = 0; c < 5; ++c) {
            QVERIFY(rel(r.explained_variance[std::size_t(c)], ev.features[std::size_t(c)]) < 1e-5);
            QVERIFY(rel(r.explained_variance_ratio[std::size_t(c)], ev.features[std::size_t(5 + c)]) < 1e-5);
        }
    }

    /// On data with a clear spectrum the randomized method finds what the exact one does.
    void randomizedAgreesWithExact() {
        std::vector<double> sd;
        for (int j = 0; j < 60; ++j) sd.push_back(j < 8 ? 20.0 - 2.0 * j : 0.3);
        const std::int64_t n = 2000, d = 60;
        const std::vector<float> X = gaussian(n, sd, 3);
        PcaOptions o;
        o.components = 5;
        o.method = Method::Exact;
        const PcaResult exact = pca(X.data(), n, d, o);
        o.method = Method::Randomized;
        const PcaResult approx = pca(X.data(), n, d, o);
        QCOMPARE(approx.method_used, std::string("randomized"));
        QCOMPARE(approx.power_iterations, 4);
        for (int c = 0; c < 5; ++c) {
            QVERIFY(rel(approx.explained_variance[std::size_t(c)], exact.explained_variance[std::size_t(c)]) < 1e-4);
            double cosine = 0;
            for (std::int64_t j = 0; j < d; ++j)
                cosine += double(approx.components[std::size_t(c * d + j)]) * exact.components[std::size_t(c * d + j)];
            // Same sign convention, so not only up to sign.
            QVERIFY2(cosine > 0.9999, qPrintable(QString::number(cosine)));
        }
    }

    /// Whitened scores have unit variance; transform() of the fitted rows reproduces the scores.
    void whitenAndTransform() {
        const std::vector<double> sd = {3.0, 1.0, 2.0, 0.5, 0.1, 4.0};
        const std::int64_t n = 1000, d = 6;
        const std::vector<float> X = gaussian(n, sd, 5);
        PcaOptions o;
        o.components = 3;
        o.whiten = true;
        const PcaResult r = pca(X.data(), n, d, o);
        QVERIFY(r.whitened);
        for (int c = 0; c < 3; ++c) QVERIFY(std::abs(column_variance(r.scores, n, 3, c) - 1.0) < 1e-4);
        const FloatVector again = transform(r, X.data(), n, d);
        QCOMPARE(again.size(), r.scores.size());
        QVERIFY(again == r.scores);
        // Randomized as well (the path through the same projection).
        o.method = Method::Randomized;
        const PcaResult rr = pca(X.data(), n, d, o);
        for (int c = 0; c < 3; ++c) QVERIFY(std::abs(column_variance(rr.scores, n, 3, c) - 1.0) < 1e-4);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, transform(r, X.data(), n, d - 1));
    }

    /// A row's scores do not depend on which rows come with it (issue 19: a transform of shards,
    /// e.g. on Dask, equals one of all the rows bit for bit): any split gives the same bytes, for a
    /// tiny d (once a coefficient-wise product) and a wide one.
    void transformOfPiecesEqualsTransformOfAll_data() {
        QTest::addColumn<int>("d");
        QTest::newRow("d 3") << 3;
        QTest::newRow("d 50") << 50;
    }
    void transformOfPiecesEqualsTransformOfAll() {
        QFETCH(int, d);
        std::vector<double> sd;
        for (int j = 0; j < d; ++j) sd.push_back(1.0 + 0.3 * j);
        const std::int64_t n = 700;
        const std::vector<float> X = gaussian(n, sd, 21);
        PcaOptions o;
        o.components = 2;
        const PcaResult r = pca(X.data(), n, d, o);
        const FloatVector all = transform(r, X.data(), n, d);
        for (const std::int64_t piece : {1, 3, 7, 13, 100, 257}) {
            for (std::int64_t r0 = 0; r0 < n; r0 += piece) {
                const std::int64_t rows = std::min(piece, n - r0);
                const FloatVector part = transform(r, X.data() + r0 * d, rows, d);
                for (std::int64_t e = 0; e < rows * 2; ++e)
                    QVERIFY2(part[std::size_t(e)] == all[std::size_t(r0 * 2 + e)],
                             qPrintable(QString("pieces of %1: row %2 differs").arg(piece).arg(r0 + e / 2)));
            }
        }
    }

    /// A constant column with scale = true is left unscaled (it contributes nothing).
    void constantColumnWithScale() {
        const std::int64_t n = 200, d = 4;
        std::vector<float> X = gaussian(n, {1.0, 2.0, 1.0, 3.0}, 9);
        for (std::int64_t i = 0; i < n; ++i) X[std::size_t(i * d + 2)] = 7.0f;
        PcaOptions o;
        o.components = 3;
        o.scale = true;
        const PcaResult r = pca(X.data(), n, d, o);
        QCOMPARE(r.scale[2], 1.0);
        QVERIFY(std::isfinite(r.explained_variance_ratio[0]));
        for (int c = 0; c < 3; ++c) QVERIFY(std::abs(r.components[std::size_t(c * d + 2)]) < 1e-6);
        QVERIFY(std::abs(ratio_sum(r) - 1.0) < 1e-6);  // three non-constant columns, three components
    }

    /// 1 thread and 2 threads give bit-identical results, for every method (the large case crosses
    /// several blocks of rows and several output tiles).
    void threadCountDoesNotMatter_data() {
        QTest::addColumn<int>("method");
        QTest::addColumn<qint64>("n");
        QTest::addColumn<qint64>("d");
        QTest::newRow("covariance small") << int(Method::Exact) << qint64(300) << qint64(20);
        QTest::newRow("covariance one tile") << int(Method::Exact) << qint64(20000) << qint64(110);
        QTest::newRow("covariance float blocks") << int(Method::Exact) << qint64(20000) << qint64(200);
        QTest::newRow("covariance three tiles") << int(Method::Exact) << qint64(9000) << qint64(900);
        QTest::newRow("randomized") << int(Method::Randomized) << qint64(20000) << qint64(200);
        QTest::newRow("svd") << int(Method::Exact) << qint64(150) << qint64(2100);
    }
    void threadCountDoesNotMatter() {
        QFETCH(int, method);
        QFETCH(qint64, n);
        QFETCH(qint64, d);
        std::vector<double> sd;
        for (qint64 j = 0; j < d; ++j) sd.push_back(1.0 + 10.0 / double(j + 1));
        const std::vector<float> X = gaussian(n, sd, 21);
        PcaOptions o;
        o.components = 10;
        o.method = Method(method);
        const int before = omp_get_max_threads();
        omp_set_num_threads(1);
        const PcaResult one = pca(X.data(), n, d, o);
        omp_set_num_threads(2);
        const PcaResult two = pca(X.data(), n, d, o);
        omp_set_num_threads(before);
        QVERIFY(one.scores == two.scores);
        QVERIFY(one.components == two.components);
        QVERIFY(one.explained_variance == two.explained_variance);
        QVERIFY(one.mean == two.mean);
        if (d == 2100) QCOMPARE(one.method_used, std::string("exact-svd"));
    }

    /// The top eigenpairs (tridiagonalization + LAPACK dstemr) against a closed form: the 1-D
    /// Laplacian (2 on the diagonal, -1 beside it) has eigenvalues 2 - 2 cos(j pi / (m + 1)) and
    /// eigenvectors sin(i j pi / (m + 1)); turned by a random orthogonal Q so that the matrix is
    /// dense, its eigenvectors are Q times those.
    void topEigenClosedForm() {
        const int m = 300, k = 12;
        Eigen::MatrixXd T = Eigen::MatrixXd::Zero(m, m);
        for (int i = 0; i < m; ++i) {
            T(i, i) = 2;
            if (i + 1 < m) T(i, i + 1) = T(i + 1, i) = -1;
        }
        Rng rng(5);
        Eigen::MatrixXd R(m, m);
        for (int c = 0; c < m; ++c)
            for (int r = 0; r < m; ++r) R(r, c) = rng.normal();
        const Eigen::MatrixXd Q = Eigen::HouseholderQR<Eigen::MatrixXd>(R).householderQ();
        const Eigen::MatrixXd S = Q * T * Q.transpose();
        Eigen::MatrixXd V;
        Eigen::VectorXd lambda;
        internal::top_eigen(0.5 * (S + S.transpose()), k, V, lambda);
        QCOMPARE(V.rows(), Eigen::Index(m));
        QCOMPARE(V.cols(), Eigen::Index(k));
        const double pi = std::acos(-1.0);
        for (int c = 0; c < k; ++c) {
            const int j = m - c;  // strongest first
            QVERIFY(std::abs(lambda(c) - (2 - 2 * std::cos(j * pi / (m + 1)))) < 1e-12);
            Eigen::VectorXd v(m);
            for (int i = 0; i < m; ++i) v(i) = std::sqrt(2.0 / (m + 1)) * std::sin((i + 1) * j * pi / (m + 1));
            const Eigen::VectorXd expected = Q * v;
            const double sign = expected.dot(V.col(c)) < 0 ? -1.0 : 1.0;
            QVERIFY2((sign * V.col(c) - expected).cwiseAbs().maxCoeff() < 1e-9, qPrintable(QString::number(c)));
        }
    }

    /// A repeated top eigenvalue: any orthonormal basis of its eigenspace is right, so the check is
    /// the definition (S V = V diag(lambda), V^T V = I) and the eigenvalues Eigen's full solver gives.
    void topEigenRepeated() {
        const int m = 120, k = 6;
        Eigen::VectorXd spectrum(m);
        for (int i = 0; i < m; ++i) spectrum(i) = i < 4 ? 7.0 : 3.0 / (1 + i);  // 7 four times, then decaying
        Rng rng(9);
        Eigen::MatrixXd R(m, m);
        for (int c = 0; c < m; ++c)
            for (int r = 0; r < m; ++r) R(r, c) = rng.normal();
        const Eigen::MatrixXd Q = Eigen::HouseholderQR<Eigen::MatrixXd>(R).householderQ();
        Eigen::MatrixXd S = Q * spectrum.asDiagonal() * Q.transpose();
        S = 0.5 * (S + S.transpose()).eval();
        Eigen::MatrixXd V;
        Eigen::VectorXd lambda;
        internal::top_eigen(S, k, V, lambda);
        const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> full(S, Eigen::EigenvaluesOnly);
        for (int c = 0; c < k; ++c) QVERIFY(std::abs(lambda(c) - full.eigenvalues()(m - 1 - c)) < 1e-12);
        QVERIFY((V.transpose() * V - Eigen::MatrixXd::Identity(k, k)).cwiseAbs().maxCoeff() < 1e-12);
        QVERIFY((S * V - V * lambda.asDiagonal()).cwiseAbs().maxCoeff() < 1e-12);
        // Tiny sizes take Eigen's full solver; all of a 2 x 2.
        Eigen::MatrixXd two(2, 2);
        two << 2, 1, 1, 2;
        internal::top_eigen(two, 2, V, lambda);
        QVERIFY(std::abs(lambda(0) - 3) < 1e-14 && std::abs(lambda(1) - 1) < 1e-14);
    }

    void badOptions_data() {
        QTest::addColumn<qint64>("n");
        QTest::addColumn<qint64>("d");
        QTest::addColumn<int>("components");
        QTest::addColumn<int>("oversamples");
        QTest::addColumn<int>("power");
        QTest::addColumn<bool>("nan");
        QTest::addColumn<QString>("message");
        QTest::newRow("one row") << qint64(1) << qint64(5) << 1 << 10 << 4 << false << "at least 2 rows";
        QTest::newRow("zero components") << qint64(50) << qint64(5) << 0 << 10 << 4 << false
                                         << "components (0) must be between 1 and min(n, d) = 5";
        QTest::newRow("too many components") << qint64(4) << qint64(5) << 5 << 10 << 4 << false
                                             << "components (5) must be between 1 and min(n, d) = 4";
        QTest::newRow("negative oversamples") << qint64(50) << qint64(5) << 2 << -1 << 4 << false << "oversamples (-1)";
        QTest::newRow("negative power") << qint64(50) << qint64(5) << 2 << 10 << -2 << false << "power_iterations (-2)";
        QTest::newRow("nan") << qint64(50) << qint64(5) << 2 << 10 << 4 << true << "row 17, column 3";
    }
    void badOptions() {
        QFETCH(qint64, n);
        QFETCH(qint64, d);
        QFETCH(int, components);
        QFETCH(int, oversamples);
        QFETCH(int, power);
        QFETCH(bool, nan);
        QFETCH(QString, message);
        std::vector<float> X(std::size_t(n * d), 1.0f);
        if (nan) X[std::size_t(17 * d + 3)] = std::nanf("");
        PcaOptions o;
        o.components = components;
        o.oversamples = oversamples;
        o.power_iterations = power;
        try {
            (void)pca(X.data(), n, d, o);
            QFAIL("no exception");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(QString(e.what()).contains(message), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TstPca)
#include "tst_pca.moc"
