// Procrustes alignment: exactly representable similarity transforms are recovered, reflections
// are found or refused, the disparity and the aligned points equal scipy.spatial.procrustes's
// (goldens from make_procrustes_goldens.py), mixed 2-D / 3-D input, and bad input.
#include "metrics/procrustes.h"
#include "metrics_goldens.h"

#include <QtTest>

#include <cmath>
#include <fstream>
#include <map>
#include <stdexcept>

using namespace latentscape;
using namespace latentscape::metrics;

namespace {

std::map<std::string, double> scalars(const std::string& file) {
    std::map<std::string, double> out;
    std::ifstream in(metrics_goldens::path(file));
    std::string name;
    double value = 0.0;
    while (in >> name >> value) out[name] = value;
    return out;
}

/// n points with small integer coordinates (times `unit`), deterministic, not degenerate.
std::vector<float> integer_points(std::int64_t n, int dims, float unit) {
    std::vector<float> out;
    std::uint32_t state = 12345;
    for (std::int64_t i = 0; i < n * dims; ++i) {
        state = state * 1664525u + 1013904223u;
        out.push_back(unit * float(int(state >> 24) % 41 - 20));
    }
    return out;
}

/// y_i = A x_i + t for a dims x dims row-major A. With integer x, A and t of few bits every
/// value is exact in float.
std::vector<float> apply(const std::vector<float>& X, int dims, const std::vector<double>& A,
                         const std::vector<double>& t) {
    std::vector<float> out(X.size());
    for (std::size_t i = 0; i < X.size() / std::size_t(dims); ++i)
        for (int r = 0; r < dims; ++r) {
            double v = t[std::size_t(r)];
            for (int c = 0; c < dims; ++c) v += A[std::size_t(r * dims + c)] * X[i * std::size_t(dims) + std::size_t(c)];
            out[i * std::size_t(dims) + std::size_t(r)] = float(v);
        }
    return out;
}

double max_abs_difference(const std::vector<double>& a, const std::vector<double>& b) {
    double worst = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(a[i] - b[i]));
    return worst;
}

}  // namespace

class TstProcrustes : public QObject {
    Q_OBJECT

private slots:
    void knownTransformIsRecovered_data() {
        QTest::addColumn<int>("dims");
        QTest::addColumn<bool>("scaling");
        QTest::addColumn<bool>("mirror");
        QTest::newRow("2-D rotation, scale 2.5") << 2 << true << false;
        QTest::newRow("2-D rotation, rigid") << 2 << false << false;
        QTest::newRow("2-D reflection, scale 2.5") << 2 << true << true;
        QTest::newRow("3-D rotation, scale 3") << 3 << true << false;
        QTest::newRow("3-D rotation, rigid") << 3 << false << false;
        QTest::newRow("3-D reflection, scale 3") << 3 << true << true;
    }
    void knownTransformIsRecovered() {
        QFETCH(int, dims);
        QFETCH(bool, scaling);
        QFETCH(bool, mirror);
        // Rotations with rational entries: (3/5, 4/5) in 2-D, (1/3) [[2,-1,2],[2,2,-1],[-1,2,2]]
        // in 3-D (det +1). A mirror negates the last column (det -1). Scale 2.5 / 3 makes s R an
        // integer-ish matrix; the rigid cases use points on a grid of 15 so R x is exact too.
        std::vector<double> R = dims == 2 ? std::vector<double>{0.6, -0.8, 0.8, 0.6}
                                          : std::vector<double>{2, -1, 2, 2, 2, -1, -1, 2, 2};
        if (dims == 3)
            for (double& v : R) v /= 3.0;
        if (mirror)
            for (int r = 0; r < dims; ++r) R[std::size_t(r * dims + dims - 1)] *= -1;
        const double s = scaling ? (dims == 2 ? 2.5 : 3.0) : 1.0;
        const std::vector<double> t = dims == 2 ? std::vector<double>{10.25, -3.5} : std::vector<double>{-7.5, 0.125, 64};
        std::vector<double> sR = R;
        for (double& v : sR) v *= s;
        const std::int64_t n = 50;
        const std::vector<float> moving = integer_points(n, dims, scaling ? 1.0f : 15.0f);
        const std::vector<float> reference = apply(moving, dims, sR, t);

        ProcrustesOptions o;
        o.allow_scaling = scaling;
        const ProcrustesResult r = procrustes_align(reference.data(), dims, moving.data(), dims, n, o);
        QCOMPARE(r.n, n);
        QCOMPARE(r.dims, dims);
        QVERIFY2(max_abs_difference(r.rotation, R) < 1e-9, "rotation");
        QVERIFY(std::abs(r.scale - s) < 1e-9);
        QVERIFY2(max_abs_difference(r.translation, t) < 1e-9, "translation");
        QCOMPARE(r.reflection, mirror);
        QVERIFY(r.residual < 1e-12);
        QVERIFY(r.disparity < 1e-15);
        QCOMPARE(r.aligned.size(), reference.size());
        for (std::size_t i = 0; i < reference.size(); ++i)
            QVERIFY(std::abs(r.aligned[i] - reference[i]) <= 1e-6f * std::max(1.0f, std::abs(reference[i])));
        // The convenience overload (reflections allowed) agrees.
        const ProcrustesResult same = procrustes_align(reference.data(), moving.data(), n, dims, scaling);
        QCOMPARE(same.rotation, r.rotation);
        QCOMPARE(same.aligned, r.aligned);
    }

    void reflectionCanBeRefused() {
        // A mirrored copy: with reflections the fit is perfect; without, the best proper
        // rotation leaves a large residual and det R = +1.
        const std::int64_t n = 40;
        const std::vector<float> moving = integer_points(n, 2, 1.0f);
        const std::vector<float> reference = apply(moving, 2, {-1, 0, 0, 1}, {0, 0});
        ProcrustesOptions o;
        const ProcrustesResult with = procrustes_align(reference.data(), 2, moving.data(), 2, n, o);
        QVERIFY(with.reflection);
        QVERIFY(with.disparity < 1e-15);
        o.allow_reflection = false;
        const ProcrustesResult without = procrustes_align(reference.data(), 2, moving.data(), 2, n, o);
        QVERIFY(!without.reflection);
        const std::vector<double>& R = without.rotation;
        QVERIFY(std::abs(R[0] * R[3] - R[1] * R[2] - 1.0) < 1e-12);  // det +1
        QVERIFY(std::abs(R[0] * R[0] + R[2] * R[2] - 1.0) < 1e-12);  // orthonormal columns
        QVERIFY(without.disparity > 0.1);
        QVERIFY(without.disparity <= 1.0);
    }

    void matchesScipy_data() {
        QTest::addColumn<QString>("name");
        for (const char* c : {"rot2", "mirror2", "rot3", "mixed"}) QTest::newRow(c) << QString(c);
    }
    void matchesScipy() {
        QFETCH(QString, name);
        const std::string tag = "procrustes_" + name.toStdString();
        const data::Dataset ref = metrics_goldens::matrix(tag + "_ref.npy");
        const data::Dataset mov = metrics_goldens::matrix(tag + "_mov.npy");
        const data::Dataset mtx2 = metrics_goldens::matrix(tag + "_mtx2.npy");
        const double disparity = scalars("procrustes_scalars.txt").at(name.toStdString());
        const ProcrustesResult r = procrustes_align(ref.features.data(), int(ref.d), mov.features.data(), int(mov.d), ref.n);
        QVERIFY2(std::abs(r.disparity - disparity) < 1e-12 * std::max(1.0, disparity),
                 qPrintable(QString("%1 vs scipy %2").arg(r.disparity, 0, 'g', 17).arg(disparity, 0, 'g', 17)));
        QCOMPARE(std::int64_t(r.dims), mtx2.d);
        QCOMPARE(r.reflection, name == "mirror2");
        // scipy's aligned moving set is centred and divided by the reference's norm.
        std::vector<double> mean(std::size_t(r.dims), 0.0);
        double norm = 0.0;
        for (std::int64_t i = 0; i < ref.n; ++i)
            for (std::int64_t j = 0; j < ref.d; ++j) mean[std::size_t(j)] += ref.at(i, j) / double(ref.n);
        for (std::int64_t i = 0; i < ref.n; ++i)
            for (std::int64_t j = 0; j < ref.d; ++j) norm += std::pow(ref.at(i, j) - mean[std::size_t(j)], 2);
        norm = std::sqrt(norm);
        double worst = 0.0;
        for (std::int64_t i = 0; i < ref.n; ++i)
            for (int j = 0; j < r.dims; ++j) {
                const double ours = (r.aligned[std::size_t(i * r.dims + j)] - mean[std::size_t(j)]) / norm;
                worst = std::max(worst, std::abs(ours - mtx2.at(i, j)));
            }
        QVERIFY2(worst < 1e-6, qPrintable(QString("largest difference %1").arg(worst)));
        // With scaling the disparity is symmetric (as scipy's).
        if (ref.d == mov.d) {
            const ProcrustesResult back =
                procrustes_align(mov.features.data(), int(mov.d), ref.features.data(), int(ref.d), ref.n);
            QVERIFY(std::abs(back.disparity - r.disparity) < 1e-12);
        }
    }

    void farFromTheOrigin() {
        // Both sets 1e4 units out: the fit works about the means, so nothing cancels.
        const std::int64_t n = 30;
        const std::vector<float> moving = integer_points(n, 2, 1.0f);
        const std::vector<float> reference = apply(moving, 2, {0, -2, 2, 0}, {16384, -8192});
        const ProcrustesResult r = procrustes_align(reference.data(), moving.data(), n, 2);
        QVERIFY(r.disparity < 1e-15);
        QVERIFY(std::abs(r.scale - 2.0) < 1e-12);
        QCOMPARE(r.aligned, reference);
    }

    void badInputIsRejected_data() {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("message");
        QTest::newRow("reference points coincide")
            << 0 << "Procrustes alignment: all points of the reference embedding coincide; there is no layout to align";
        QTest::newRow("moving points coincide")
            << 1 << "Procrustes alignment: all points of the moving embedding coincide; there is no layout to align";
        QTest::newRow("too few points 2-D") << 2 << "Procrustes alignment in 2-D needs at least 3 points (got 2)";
        QTest::newRow("too few points mixed") << 3 << "Procrustes alignment in 3-D needs at least 4 points (got 3)";
        QTest::newRow("4-D") << 4 << "Procrustes alignment: the moving embedding must have 2 or 3 dimensions (got 4)";
        QTest::newRow("1-D") << 5 << "Procrustes alignment: the reference embedding must have 2 or 3 dimensions (got 1)";
        QTest::newRow("NaN") << 6 << "the moving embedding has a non-finite value at row 1, column 0";
        QTest::newRow("null") << 7 << "the reference embedding is null";
    }
    void badInputIsRejected() {
        QFETCH(int, which);
        QFETCH(QString, message);
        std::vector<float> a = integer_points(10, 3, 1.0f), b = integer_points(10, 3, 2.0f);
        const std::vector<float> same(30, 1.25f);
        try {
            switch (which) {
            case 0: procrustes_align(same.data(), b.data(), 10, 3); break;
            case 1: procrustes_align(a.data(), 2, same.data(), 2, 10); break;
            case 2: procrustes_align(a.data(), b.data(), 2, 2); break;
            case 3: procrustes_align(a.data(), 2, b.data(), 3, 3); break;
            case 4: procrustes_align(a.data(), 2, b.data(), 4, 5); break;
            case 5: procrustes_align(a.data(), 1, b.data(), 2, 5); break;
            case 6: b[3] = std::nanf(""); procrustes_align(a.data(), b.data(), 10, 3); break;
            case 7: procrustes_align(nullptr, b.data(), 10, 3); break;
            }
            QFAIL("no exception");
        } catch (const std::invalid_argument& e) {
            QCOMPARE(QString(e.what()), message);
        }
    }
};

QTEST_GUILESS_MAIN(TstProcrustes)
#include "tst_procrustes.moc"
