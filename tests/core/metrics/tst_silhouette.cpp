// Silhouette: a hand-computed case, scikit-learn goldens (per point and mean), noise exclusion,
// the sampled estimate, thread independence and bad input.
#include "common/parallel.h"
#include "data/synthetic.h"
#include "metrics/silhouette.h"
#include "metrics_goldens.h"

#include <QtTest>

#include <omp.h>

#include <cmath>
#include <cstring>
#include <stdexcept>

using namespace latentscape;
using namespace latentscape::metrics;

class TstSilhouette : public QObject {
    Q_OBJECT

private slots:
    void handComputed() {
        // 1-D points 0 1 5 6 20 in clusters {0,1} {5,6} {20}. Point 0: a = 1, b = (5 + 6) / 2 = 5.5,
        // s = 4.5 / 5.5. Point 1: a = 1, b = 4.5, s = 3.5 / 4.5. The singleton gets 0.
        const float X[] = {0, 1, 5, 6, 20};
        const std::int32_t labels[] = {0, 0, 1, 1, 2};
        const SilhouetteResult s = silhouette(X, 5, 1, labels);
        QCOMPARE(s.values, (std::vector<double>{4.5 / 5.5, 3.5 / 4.5, 3.5 / 4.5, 4.5 / 5.5, 0.0}));
        QCOMPARE(s.mean, (2 * 4.5 / 5.5 + 2 * 3.5 / 4.5) / 5);
        QCOMPARE(s.clusters, 3);
        QVERIFY(!s.sampled);
        QCOMPARE(s.sample_size, std::int64_t(5));
    }

    void duplicatePointsGiveZero() {
        // Every point coincides with its cluster mates and with the other cluster: a = b = 0.
        const float X[] = {1, 1, 1, 1};
        const std::int32_t labels[] = {0, 0, 1, 1};
        QCOMPARE(silhouette(X, 4, 1, labels).values, (std::vector<double>{0, 0, 0, 0}));
    }

    void matchesScikitLearn_data() {
        QTest::addColumn<QString>("data");
        QTest::addColumn<QString>("labels");
        QTest::addColumn<QString>("samples");
        QTest::addColumn<QString>("mean");
        QTest::newRow("X, blobs") << "X.npy" << "labels.npy" << "silhouette_X.txt" << "silhouette_X";
        QTest::newRow("Y, k-means") << "Y_pca.npy" << "labels_b.npy" << "silhouette_Y.txt" << "silhouette_Y";
    }
    void matchesScikitLearn() {
        QFETCH(QString, data);
        QFETCH(QString, labels);
        QFETCH(QString, samples);
        QFETCH(QString, mean);
        const auto X = metrics_goldens::matrix(data.toStdString());
        const auto codes = metrics_goldens::labels(labels.toStdString());
        const auto expected = metrics_goldens::column(samples.toStdString());
        const SilhouetteResult s = silhouette(X.features.data(), X.n, X.d, codes.data());
        QCOMPARE(s.values.size(), expected.size());
        for (std::size_t i = 0; i < expected.size(); ++i) QVERIFY2(std::abs(s.values[i] - expected[i]) < 1e-6, qPrintable(QString::number(i)));
        QVERIFY(std::abs(s.mean - metrics_goldens::scalars().at(mean.toStdString())) < 1e-6);
    }

    void noiseIsExcluded() {
        // Equal to scikit-learn on the non-noise points alone; noise points get NaN.
        const auto X = metrics_goldens::matrix("X.npy");
        const auto codes = metrics_goldens::labels("labels_noise.npy");
        const SilhouetteResult s = silhouette(X.features.data(), X.n, X.d, codes.data());
        QVERIFY(std::abs(s.mean - metrics_goldens::scalars().at("silhouette_noise")) < 1e-6);
        std::int64_t kept = 0;
        for (std::size_t i = 0; i < codes.size(); ++i) {
            QCOMPARE(std::isnan(s.values[i]), codes[i] < 0);
            kept += codes[i] >= 0;
        }
        QCOMPARE(s.sample_size, kept);
    }

    void sampledEstimateIsCloseToExact() {
        data::synthetic::BlobsOptions o;
        o.n = 2500;
        o.d = 5;
        o.k = 4;
        o.separation = 4.0;
        const data::Dataset ds = data::synthetic::blobs(o);
        const std::vector<std::int32_t> labels(ds.label()->codes.begin(), ds.label()->codes.end());
        const SilhouetteResult exact = silhouette(ds.features.data(), ds.n, ds.d, labels.data());
        EstimateOptions e;
        e.max_exact = 1000;
        e.sample = 800;
        const SilhouetteResult est = silhouette(ds.features.data(), ds.n, ds.d, labels.data(), e);
        QVERIFY(est.sampled);
        QCOMPARE(est.sample_size, std::int64_t(800));
        QVERIFY(std::abs(est.mean - exact.mean) < 0.02);
        // Sampled points carry their exact values; the others are NaN.
        std::int64_t evaluated = 0;
        for (std::size_t i = 0; i < est.values.size(); ++i)
            if (!std::isnan(est.values[i])) {
                ++evaluated;
                QCOMPARE(est.values[i], exact.values[i]);
            }
        QCOMPARE(evaluated, std::int64_t(800));
    }

    void oneAndTwoThreadsAgreeBitForBit() {
        const auto X = metrics_goldens::matrix("X.npy");
        const auto codes = metrics_goldens::labels("labels_noise.npy");
        const int before = omp_get_max_threads();
        omp_set_num_threads(1);
        const SilhouetteResult one = silhouette(X.features.data(), X.n, X.d, codes.data());
        omp_set_num_threads(2);
        const SilhouetteResult two = silhouette(X.features.data(), X.n, X.d, codes.data());
        QCOMPARE(parallel::threads_in_region(), 2);
        omp_set_num_threads(before);
        QVERIFY(std::memcmp(&one.mean, &two.mean, sizeof(double)) == 0);
        QVERIFY(std::memcmp(one.values.data(), two.values.data(), one.values.size() * sizeof(double)) == 0);
    }

    void badInputIsRejected_data() {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("message");
        QTest::newRow("one cluster") << 0
            << "silhouette needs 2 to (labelled points - 1) clusters: got 1 cluster(s) among 4 labelled (non-noise) points";
        QTest::newRow("all singletons") << 1
            << "silhouette needs 2 to (labelled points - 1) clusters: got 4 cluster(s) among 4 labelled (non-noise) points";
        QTest::newRow("all noise") << 2
            << "silhouette needs 2 to (labelled points - 1) clusters: got 0 cluster(s) among 0 labelled (non-noise) points";
        QTest::newRow("NaN") << 3 << "X has a non-finite value at row 1, column 0";
        QTest::newRow("null labels") << 4 << "labels is null";
    }
    void badInputIsRejected() {
        QFETCH(int, which);
        QFETCH(QString, message);
        float X[] = {0, 1, 2, 3};
        std::int32_t labels[4] = {0, 0, 0, 0};
        try {
            switch (which) {
            case 0: silhouette(X, 4, 1, labels); break;
            case 1: for (int i = 0; i < 4; ++i) labels[i] = i; silhouette(X, 4, 1, labels); break;
            case 2: for (auto& l : labels) l = -1; silhouette(X, 4, 1, labels); break;
            case 3: X[1] = NAN; silhouette(X, 4, 1, labels); break;
            case 4: silhouette(X, 4, 1, nullptr); break;
            }
            QFAIL("no exception");
        } catch (const std::invalid_argument& e) {
            QCOMPARE(QString(e.what()), message);
        }
    }
};

QTEST_GUILESS_MAIN(TstSilhouette)
#include "tst_silhouette.moc"
