// Adjusted Rand index and normalised mutual information: scikit-learn goldens, invariances and
// the degenerate cases scikit-learn defines.
#include "metrics/agreement.h"
#include "metrics_goldens.h"

#include <QtTest>

#include <cmath>
#include <stdexcept>

using namespace latentscape::metrics;

using Labels = std::vector<std::int32_t>;

class TstAgreement : public QObject {
    Q_OBJECT

    static double ari(const Labels& a, const Labels& b) { return adjusted_rand_index(a.data(), b.data(), std::int64_t(a.size())); }
    static double nmi(const Labels& a, const Labels& b) { return normalized_mutual_info(a.data(), b.data(), std::int64_t(a.size())); }

private slots:
    void matchesScikitLearn_data() {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<QString>("key");
        QTest::newRow("blobs vs k-means") << "labels.npy" << "labels_b.npy" << "blob_kmeans";
        QTest::newRow("blobs vs noisy blobs (-1 a label)") << "labels.npy" << "labels_noise.npy" << "blob_noise";
        QTest::newRow("k-means vs noisy blobs") << "labels_b.npy" << "labels_noise.npy" << "kmeans_noise";
        QTest::newRow("blobs vs random") << "labels.npy" << "labels_random.npy" << "blob_random";
    }
    void matchesScikitLearn() {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(QString, key);
        const Labels la = metrics_goldens::labels(a.toStdString());
        const Labels lb = metrics_goldens::labels(b.toStdString());
        const auto gold = metrics_goldens::scalars();
        QVERIFY(std::abs(ari(la, lb) - gold.at("ari_" + key.toStdString())) < 1e-6);
        QVERIFY(std::abs(nmi(la, lb) - gold.at("nmi_" + key.toStdString())) < 1e-6);
        // Both are symmetric.
        QVERIFY(std::abs(ari(lb, la) - ari(la, lb)) < 1e-15);
        QVERIFY(std::abs(nmi(lb, la) - nmi(la, lb)) < 1e-15);
    }

    void renamingDoesNotMatter() {
        const Labels a = {0, 0, 1, 1, 2, 2, 2};
        const Labels b = {7, 7, -3, -3, 100, 100, 100};
        QCOMPARE(ari(a, b), 1.0);
        QVERIFY(std::abs(nmi(a, b) - 1.0) < 1e-15);
    }

    void degenerateCasesAsScikitLearn_data() {
        QTest::addColumn<Labels>("a");
        QTest::addColumn<Labels>("b");
        QTest::addColumn<double>("ari");
        QTest::addColumn<double>("nmi");
        // Values printed by scikit-learn 1.x.
        QTest::newRow("both one cluster") << Labels{0, 0, 0, 0} << Labels{5, 5, 5, 5} << 1.0 << 1.0;
        QTest::newRow("one cluster vs two") << Labels{0, 0, 0, 0} << Labels{1, 1, 2, 2} << 0.0 << 0.0;
        QTest::newRow("both all singletons") << Labels{0, 1, 2, 3} << Labels{3, 2, 1, 0} << 1.0 << 1.0;
        QTest::newRow("one cluster vs singletons") << Labels{0, 0, 0, 0} << Labels{0, 1, 2, 3} << 0.0 << 0.0;
        QTest::newRow("crossed halves") << Labels{0, 0, 1, 1} << Labels{0, 1, 0, 1} << -0.5 << 0.0;
        QTest::newRow("empty") << Labels{} << Labels{} << 1.0 << 1.0;
        QTest::newRow("one point") << Labels{4} << Labels{9} << 1.0 << 1.0;
    }
    void degenerateCasesAsScikitLearn() {
        QFETCH(Labels, a);
        QFETCH(Labels, b);
        QFETCH(double, ari);
        QFETCH(double, nmi);
        QVERIFY(std::abs(TstAgreement::ari(a, b) - ari) < 1e-12);
        QVERIFY(std::abs(TstAgreement::nmi(a, b) - nmi) < 1e-12);
    }

    void largeCountsDoNotOverflow() {
        // 200,000 points: pair counts near 2e10 and their products near 4e20, beyond int64.
        Labels a(200000), b(200000);
        for (std::size_t i = 0; i < a.size(); ++i) {
            a[i] = std::int32_t(i % 3);
            b[i] = std::int32_t(i % 3 == 0 ? 0 : 1);
        }
        // Closed form: b merges two of a's three equal classes. Pairs (N = 200000, sizes ~N/3):
        // ARI = 2 (tp tn - fn fp) / ((tp + fn)(fn + tn) + (tp + fp)(fp + tn)), computed in long double.
        long double n = 200000, s0 = 66667, s1 = 66667, s2 = 66666;
        long double same_a = s0 * (s0 - 1) + s1 * (s1 - 1) + s2 * (s2 - 1);
        long double same_b = s0 * (s0 - 1) + (s1 + s2) * (s1 + s2 - 1);
        long double tp = same_a, fn = same_b - same_a, fp = 0, tn = n * (n - 1) - same_b;
        const double expected = double(2 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn)));
        QVERIFY(std::abs(ari(b, a) - expected) < 1e-12);
        QVERIFY(ari(a, b) > 0.5 && ari(a, b) < 1.0);
    }

    void badInputIsRejected() {
        const Labels a = {0, 1};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, adjusted_rand_index(a.data(), nullptr, 2));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, normalized_mutual_info(nullptr, a.data(), 2));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, adjusted_rand_index(a.data(), a.data(), -1));
    }
};

QTEST_GUILESS_MAIN(TstAgreement)
#include "tst_agreement.moc"
