// PCA of a sparse (CSR) matrix without densifying it: equal to scikit-learn's PCA, scaled PCA and
// TruncatedSVD on an .h5ad's counts (goldens by tests/data/h5ad/make_sparse_pca_goldens.py), to
// the dense reduce::pca on larger random sparse data (exactly when the sketch spans the space,
// closely on planted structure with the default sketch), independent of the thread count, and
// refusing bad options.
#include "common/parallel.h"
#include "data/load.h"
#include "reduce/pca.h"
#include "reduce/sparse_pca.h"

#include "common/rng.h"

#include <QtTest>

#include <cmath>

using namespace latentscape;

namespace {

const std::string csr_file = LATENTSCAPE_TEST_DATA "/h5ad/csr.h5ad";

QJsonObject goldens() {
    QFile f(QString::fromStdString(csr_file + ".pca.json"));
    if (!f.open(QIODevice::ReadOnly)) qFatal("cannot read the PCA goldens");
    return QJsonDocument::fromJson(f.readAll()).object();
}

std::vector<double> numbers(const QJsonValue& v) {
    std::vector<double> out;
    for (const auto& x : v.toArray()) {
        if (x.isArray())
            for (const auto& y : x.toArray()) out.push_back(y.toDouble());
        else
            out.push_back(x.toDouble());
    }
    return out;
}

// Sign of component c of `fit` relative to the reference's (rows of k x d), from their dot product.
double relative_sign(const reduce::PcaResult& fit, const std::vector<double>& ref, int c) {
    double dot = 0;
    for (std::int64_t j = 0; j < fit.d; ++j) dot += fit.components[std::size_t(c * fit.d + j)] * ref[std::size_t(c * fit.d + j)];
    return dot < 0 ? -1.0 : 1.0;
}

void compare_components(const reduce::PcaResult& fit, const std::vector<double>& ref, double tol) {
    for (int c = 0; c < fit.k; ++c) {
        const double s = relative_sign(fit, ref, c);
        for (std::int64_t j = 0; j < fit.d; ++j) {
            const double got = s * fit.components[std::size_t(c * fit.d + j)];
            const double want = ref[std::size_t(c * fit.d + j)];
            if (std::abs(got - want) > tol)
                QFAIL(qPrintable(QString("component %1, entry %2: %3 vs %4").arg(c).arg(j).arg(got).arg(want)));
        }
    }
}

// A random sparse n x d matrix: k cell types, each expressing its own genes (Poisson-like counts).
data::CsrMatrix planted(std::int64_t n, std::int64_t d, int types, double density, std::uint64_t seed) {
    Rng rng(seed);
    data::CsrMatrix m;
    m.n = n;
    m.d = d;
    m.indptr.push_back(0);
    for (std::int64_t i = 0; i < n; ++i) {
        const int t = int(i % types);
        for (std::int64_t j = 0; j < d; ++j) {
            const bool program = j % types == t;
            if (rng.uniform() < (program ? 4 * density : density)) {
                m.indices.push_back(std::int32_t(j));
                m.values.push_back(float(1 + std::floor(rng.uniform() * (program ? 8 : 2))));
            }
        }
        m.indptr.push_back(std::int64_t(m.values.size()));
    }
    return m;
}

std::vector<float> densify(const data::CsrMatrix& m) {
    std::vector<float> x(std::size_t(m.n * m.d), 0.0f);
    for (std::int64_t i = 0; i < m.n; ++i)
        for (std::int64_t k = m.indptr[std::size_t(i)]; k < m.indptr[std::size_t(i + 1)]; ++k)
            x[std::size_t(i * m.d + m.indices[std::size_t(k)])] = m.values[std::size_t(k)];
    return x;
}

}  // namespace

class TstSparsePca : public QObject {
    Q_OBJECT

private slots:
    void matchesScikitLearn_data() {
        QTest::addColumn<QString>("golden");
        QTest::addColumn<bool>("scale");
        QTest::newRow("PCA") << "pca" << false;
        QTest::newRow("StandardScaler + PCA") << "scaled_pca" << true;
    }
    void matchesScikitLearn() {
        QFETCH(QString, golden);
        QFETCH(bool, scale);
        const QJsonObject g = goldens()[golden].toObject();
        const data::CsrMatrix X = data::load_h5ad_csr(csr_file);
        reduce::PcaOptions o;
        o.components = 3;
        o.scale = scale;
        const reduce::PcaResult fit = reduce::pca_sparse(X, o);
        QCOMPARE(fit.method_used, std::string("randomized-sparse"));
        const auto ev = numbers(g["explained_variance"]);
        const auto ratio = numbers(g["explained_variance_ratio"]);
        for (int c = 0; c < 3; ++c) {
            QVERIFY2(std::abs(fit.explained_variance[std::size_t(c)] - ev[std::size_t(c)]) < 1e-9 * ev[0],
                     qPrintable(QString::number(fit.explained_variance[std::size_t(c)], 'g', 17)));
            QVERIFY(std::abs(fit.explained_variance_ratio[std::size_t(c)] - ratio[std::size_t(c)]) < 1e-9);
        }
        const auto comps = numbers(g["components"]);
        compare_components(fit, comps, 1e-6);
        const auto scores = numbers(g["scores"]);
        for (int c = 0; c < 3; ++c) {
            const double s = relative_sign(fit, comps, c);
            for (std::int64_t i = 0; i < fit.n; ++i)
                QVERIFY(std::abs(s * fit.score(i, c) - scores[std::size_t(i * 3 + c)]) < 1e-5);
        }
    }

    // Not centred: a truncated SVD of X as stored, as scikit-learn's TruncatedSVD.
    void uncentredIsTruncatedSvd() {
        const QJsonObject g = goldens()["truncated_svd"].toObject();
        reduce::PcaOptions o;
        o.components = 3;
        o.center = false;
        const reduce::PcaResult fit = reduce::pca_sparse(data::load_h5ad_csr(csr_file), o);
        const auto sv = numbers(g["singular_values"]);
        for (int c = 0; c < 3; ++c) {
            const double got = std::sqrt(fit.explained_variance[std::size_t(c)] * double(fit.n - 1));
            QVERIFY2(std::abs(got - sv[std::size_t(c)]) < 1e-9 * sv[0], qPrintable(QString::number(got, 'g', 17)));
        }
        compare_components(fit, numbers(g["components"]), 1e-6);
    }

    // A sketch as wide as the matrix spans everything: the exact answer, as the dense exact PCA's.
    void fullSketchEqualsDenseExact() {
        const data::CsrMatrix X = planted(300, 40, 4, 0.05, 7);
        reduce::PcaOptions o;
        o.components = 6;
        o.oversamples = 100;
        o.power_iterations = 1;
        const reduce::PcaResult sparse = reduce::pca_sparse(X, o);
        o.method = reduce::PcaOptions::Method::Exact;
        const std::vector<float> dense_x = densify(X);
        const reduce::PcaResult dense = reduce::pca(dense_x.data(), X.n, X.d, o);
        QCOMPARE(sparse.total_variance, dense.total_variance);
        // The dense fit's variances come from float32 scores: equal to about 1e-8.
        for (int c = 0; c < 6; ++c)
            QVERIFY(std::abs(sparse.explained_variance[std::size_t(c)] - dense.explained_variance[std::size_t(c)]) <
                    1e-7 * dense.explained_variance[std::size_t(c)]);
        std::vector<double> ref(dense.components.begin(), dense.components.end());
        compare_components(sparse, ref, 1e-5);
    }

    // The default sketch (components + 10, 4 power iterations) on planted cell types: the leading
    // components as the exact PCA's, while the matrix is never densified.
    void defaultSketchOnPlantedTypes() {
        const data::CsrMatrix X = planted(2000, 600, 5, 0.02, 11);
        reduce::PcaOptions o;
        o.components = 4;
        const reduce::PcaResult sparse = reduce::pca_sparse(X, o);
        o.method = reduce::PcaOptions::Method::Exact;
        const std::vector<float> dense_x = densify(X);
        const reduce::PcaResult dense = reduce::pca(dense_x.data(), X.n, X.d, o);
        o.method = reduce::PcaOptions::Method::Randomized;
        const reduce::PcaResult dense_randomized = reduce::pca(dense_x.data(), X.n, X.d, o);
        for (int c = 0; c < 4; ++c) {
            const double exact = dense.explained_variance[std::size_t(c)];
            const double rel = std::abs(sparse.explained_variance[std::size_t(c)] - exact) / exact;
            const double rel_dense = std::abs(dense_randomized.explained_variance[std::size_t(c)] - exact) / exact;
            qInfo("component %d: relative error %.3g (the dense randomized method's: %.3g)", c, rel, rel_dense);
            QVERIFY2(rel < 1e-4, qPrintable(QString("component %1: relative error %2").arg(c).arg(rel)));
        }
        // Five equal cell types make the four leading variances close, so single components are
        // ill-defined; their span is not: sum of squared cosines between the two bases ~ 4.
        double overlap = 0;
        for (int a = 0; a < 4; ++a)
            for (int b = 0; b < 4; ++b) {
                double dot = 0;
                for (std::int64_t j = 0; j < X.d; ++j)
                    dot += double(sparse.components[std::size_t(a * X.d + j)]) * dense.components[std::size_t(b * X.d + j)];
                overlap += dot * dot;
            }
        QVERIFY2(overlap > 4 - 1e-3, qPrintable(QString::number(overlap, 'g', 10)));
    }

    void threadsAndSeed() {
        const data::CsrMatrix X = planted(500, 120, 3, 0.05, 3);
        reduce::PcaOptions o;
        o.components = 5;
        o.whiten = true;
        const int before = parallel::max_threads();
        parallel::set_max_threads(1);
        const reduce::PcaResult one = reduce::pca_sparse(X, o);
        parallel::set_max_threads(2);
        const reduce::PcaResult two = reduce::pca_sparse(X, o);
        parallel::set_max_threads(before);
        QVERIFY(one.scores == two.scores);
        QVERIFY(one.components == two.components);
        QCOMPARE(one.explained_variance, two.explained_variance);
        // Whitened scores have unit variance.
        for (int c = 0; c < 5; ++c) {
            double ss = 0;
            for (std::int64_t i = 0; i < X.n; ++i) ss += double(one.score(i, c)) * one.score(i, c);
            QVERIFY(std::abs(ss / double(X.n - 1) - 1.0) < 1e-4);
        }
    }

    void refusals() {
        const data::CsrMatrix X = planted(20, 8, 2, 0.3, 1);
        reduce::PcaOptions o;
        o.components = 9;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, reduce::pca_sparse(X, o));
        o.components = 0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, reduce::pca_sparse(X, o));
        o.components = 2;
        o.oversamples = -1;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, reduce::pca_sparse(X, o));
        data::CsrMatrix bad = X;
        bad.values[0] = std::nanf("");
        o.oversamples = 10;
        try {
            reduce::pca_sparse(bad, o);
            QFAIL("NaN accepted");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(std::string(e.what()).find("row 0") != std::string::npos, e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TstSparsePca)
#include "tst_sparse_pca.moc"
