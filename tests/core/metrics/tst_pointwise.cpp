// Per-point trustworthiness, continuity and k-NN recall: a hand-computed case, goldens from an
// independent numpy brute force (checked against scikit-learn by make_pointwise_goldens.py),
// means equal to the averaged metrics and to scikit-learn on subsets, row slices, thread
// independence, cancellation and bad input.
#include "common/cancel.h"
#include "common/parallel.h"
#include "data/synthetic.h"
#include "metrics/pointwise.h"
#include "metrics/quality.h"
#include "metrics_goldens.h"
#include "reduce/tsne.h"

#include <QtTest>

#include <omp.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <numeric>
#include <stdexcept>

using namespace latentscape;
using namespace latentscape::metrics;

namespace {

/// "name value" lines of a scalars file in tests/data/metrics.
std::map<std::string, double> scalars(const std::string& file) {
    std::map<std::string, double> out;
    std::ifstream in(metrics_goldens::path(file));
    std::string name;
    double value = 0.0;
    while (in >> name >> value) out[name] = value;
    return out;
}

double mean(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / double(v.size()); }

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

/// Rows `rows` of X, as a matrix of their own.
std::vector<float> take_rows(const data::Dataset& X, const std::vector<std::int64_t>& rows) {
    std::vector<float> out;
    for (std::int64_t i : rows) out.insert(out.end(), X.row(i), X.row(i) + X.d);
    return out;
}

data::Dataset blobs(std::int64_t n, std::int64_t d, std::uint64_t seed) {
    data::synthetic::BlobsOptions o;
    o.n = n;
    o.d = d;
    o.k = 5;
    o.separation = 3.0;
    o.seed = seed;
    return data::synthetic::blobs(o);
}

std::vector<float> first_columns(const data::Dataset& X, std::int64_t dy) {
    std::vector<float> Y;
    for (std::int64_t i = 0; i < X.n; ++i)
        for (std::int64_t j = 0; j < dy; ++j) Y.push_back(X.at(i, j));
    return Y;
}

}  // namespace

class TstPointwise : public QObject {
    Q_OBJECT

private slots:
    void handComputed() {
        // 1-D, X = 0 1 3 7 12, Y swaps points 1 and 2 (see tst_quality_metrics). k = 1: each
        // point's embedding neighbour has X-rank 2, 2, 2, 3, 1, so penalties 1, 1, 1, 2, 0 and
        // t_i = 1 - 2 / (1 (10 - 3 - 1)) * penalty = 1 - penalty / 3.
        const float X[] = {0, 1, 3, 7, 12};
        const float Y[] = {0, 3, 1, 7, 12};
        const PointwiseQuality q = pointwise_quality(X, 5, 1, Y, 1, 1);
        const std::vector<double> t = {2.0 / 3.0, 2.0 / 3.0, 2.0 / 3.0, 1.0 / 3.0, 1.0};
        QCOMPARE(q.k, 1);
        QCOMPARE(q.trustworthiness.size(), std::size_t(5));
        for (std::size_t i = 0; i < 5; ++i) QVERIFY(std::abs(q.trustworthiness[i] - t[i]) < 1e-15);
        QCOMPARE(q.knn_recall, (std::vector<double>{0, 0, 0, 0, 1}));
        QVERIFY(std::abs(mean(q.trustworthiness) - trustworthiness(X, 5, 1, Y, 1, 1).value) < 1e-15);
    }

    void matchesGoldens_data() {
        QTest::addColumn<QString>("embedding");
        QTest::addColumn<int>("k");
        for (const char* e : {"pca", "noisy"})
            for (int k : {5, 10}) QTest::newRow(qPrintable(QString("%1 k=%2").arg(e).arg(k))) << QString(e) << k;
    }
    void matchesGoldens() {
        QFETCH(QString, embedding);
        QFETCH(int, k);
        const data::Dataset X = metrics_goldens::matrix("pointwise_X.npy");
        const data::Dataset Y = metrics_goldens::matrix("pointwise_Y_" + embedding.toStdString() + ".npy");
        const std::string tag = embedding.toStdString() + "_k" + std::to_string(k);
        // n x 3 float64 (trustworthiness, continuity, recall), read back as float32.
        const data::Dataset golden = metrics_goldens::matrix("pointwise_" + tag + ".npy");
        QCOMPARE(golden.n, X.n);
        QCOMPARE(golden.d, std::int64_t(3));
        const PointwiseQuality q = pointwise_quality(X.features.data(), X.n, X.d, Y.features.data(), Y.d, k);
        QCOMPARE(std::int64_t(q.trustworthiness.size()), X.n);
        double worst = 0.0;
        for (std::int64_t i = 0; i < X.n; ++i) {
            worst = std::max(worst, std::abs(q.trustworthiness[std::size_t(i)] - golden.at(i, 0)));
            worst = std::max(worst, std::abs(q.continuity[std::size_t(i)] - golden.at(i, 1)));
            worst = std::max(worst, std::abs(q.knn_recall[std::size_t(i)] - golden.at(i, 2)));
        }
        QVERIFY2(worst < 1e-6, qPrintable(QString("largest difference %1").arg(worst)));
        // Not every point is perfect: the golden exercises the penalties.
        QVERIFY(*std::min_element(q.trustworthiness.begin(), q.trustworthiness.end()) < 0.9);

        // The means: the averaged metrics (same counts) and scikit-learn's values.
        const QualityResult avg = quality(X.features.data(), X.n, X.d, Y.features.data(), Y.d, k);
        QVERIFY(std::abs(mean(q.trustworthiness) - avg.trustworthiness.value) < 1e-12);
        QVERIFY(std::abs(mean(q.continuity) - avg.continuity.value) < 1e-12);
        QVERIFY(std::abs(mean(q.knn_recall) - avg.knn_recall.value) < 1e-12);
        const auto sk = scalars("pointwise_scalars.txt");
        QVERIFY(std::abs(mean(q.trustworthiness) - sk.at("trust_" + tag)) < 1e-12);
        QVERIFY(std::abs(mean(q.continuity) - sk.at("cont_" + tag)) < 1e-12);

        // The one-metric entry points give the same values.
        QVERIFY(same_bits(pointwise_trustworthiness(X.features.data(), X.n, X.d, Y.features.data(), Y.d, k),
                          q.trustworthiness));
        QVERIFY(same_bits(pointwise_continuity(X.features.data(), X.n, X.d, Y.features.data(), Y.d, k), q.continuity));
        QVERIFY(same_bits(pointwise_knn_recall(X.features.data(), X.n, X.d, Y.features.data(), Y.d, k), q.knn_recall));
    }

    void subsetsMatchScikitLearn_data() {
        QTest::addColumn<int>("subset");
        QTest::addColumn<QString>("embedding");
        for (int s = 0; s < 3; ++s)
            for (const char* e : {"pca", "noisy"})
                QTest::newRow(qPrintable(QString("subset %1 %2").arg(s).arg(e))) << s << QString(e);
    }
    void subsetsMatchScikitLearn() {
        // sklearn.manifold.trustworthiness(X[S], Y[S], 5) is the mean of the per-point values of
        // the dataset X[S] (neighbours among S only).
        QFETCH(int, subset);
        QFETCH(QString, embedding);
        const data::Dataset X = metrics_goldens::matrix("pointwise_X.npy");
        const data::Dataset Y = metrics_goldens::matrix("pointwise_Y_" + embedding.toStdString() + ".npy");
        const data::Dataset ids = metrics_goldens::matrix("pointwise_subset" + std::to_string(subset) + ".npy");
        std::vector<std::int64_t> S;
        for (float v : ids.features) S.push_back(std::int64_t(v));
        const std::vector<float> XS = take_rows(X, S), YS = take_rows(Y, S);
        const auto m = std::int64_t(S.size());
        const PointwiseQuality q = pointwise_quality(XS.data(), m, X.d, YS.data(), Y.d, 5);
        const std::string tag = "subset" + std::to_string(subset) + "_";
        const std::string suffix = "_" + embedding.toStdString() + "_k5";
        const auto sk = scalars("pointwise_scalars.txt");
        QVERIFY(std::abs(mean(q.trustworthiness) - sk.at(tag + "trust" + suffix)) < 1e-12);
        QVERIFY(std::abs(mean(q.continuity) - sk.at(tag + "cont" + suffix)) < 1e-12);
    }

    void rowsSliceEqualsFullCall() {
        const data::Dataset X = blobs(403, 7, 5);  // 403: the last block of 16 rows is partial
        const std::vector<float> Y = first_columns(X, 2);
        const PointwiseQuality all = pointwise_quality(X.features.data(), X.n, X.d, Y.data(), 2, 9);
        // Any order, repeats, a single row, the last row, and contiguous slices of any size.
        const std::vector<std::vector<std::int64_t>> lists = {
            {402, 0, 17, 17, 300, 5}, {123}, {}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18}};
        for (const auto& rows : lists) {
            const PointwiseQuality part = pointwise_quality(X.features.data(), X.n, X.d, Y.data(), 2, 9, rows);
            QCOMPARE(part.trustworthiness.size(), rows.size());
            QCOMPARE(part.continuity.size(), rows.size());
            QCOMPARE(part.knn_recall.size(), rows.size());
            for (std::size_t q = 0; q < rows.size(); ++q) {
                const auto i = std::size_t(rows[q]);
                QVERIFY(std::memcmp(&part.trustworthiness[q], &all.trustworthiness[i], sizeof(double)) == 0);
                QVERIFY(std::memcmp(&part.continuity[q], &all.continuity[i], sizeof(double)) == 0);
                QVERIFY(std::memcmp(&part.knn_recall[q], &all.knn_recall[i], sizeof(double)) == 0);
            }
        }
        // Slices of 50 rows, as a UI computes large n, put together give the full call.
        PointwiseQuality joined;
        for (std::int64_t first = 0; first < X.n; first += 50) {
            std::vector<std::int64_t> rows;
            for (std::int64_t i = first; i < std::min(X.n, first + 50); ++i) rows.push_back(i);
            const PointwiseQuality part = pointwise_quality(X.features.data(), X.n, X.d, Y.data(), 2, 9, rows);
            joined.trustworthiness.insert(joined.trustworthiness.end(), part.trustworthiness.begin(),
                                          part.trustworthiness.end());
            joined.continuity.insert(joined.continuity.end(), part.continuity.begin(), part.continuity.end());
            joined.knn_recall.insert(joined.knn_recall.end(), part.knn_recall.begin(), part.knn_recall.end());
        }
        QVERIFY(same_bits(joined.trustworthiness, all.trustworthiness));
        QVERIFY(same_bits(joined.continuity, all.continuity));
        QVERIFY(same_bits(joined.knn_recall, all.knn_recall));
        // Recall alone accepts any k < n (no rank normalisation).
        QCOMPARE(std::int64_t(pointwise_knn_recall(X.features.data(), X.n, X.d, Y.data(), 2, 300).size()), X.n);
    }

    void threadCountDoesNotMatter() {
        const data::Dataset X = blobs(700, 12, 9);
        const std::vector<float> Y = first_columns(X, 3);
        const std::vector<std::int64_t> rows = {699, 1, 350, 350, 42};
        const int before = omp_get_max_threads();
        auto run = [&](int threads) {
            omp_set_num_threads(threads);
            const PointwiseQuality q = pointwise_quality(X.features.data(), X.n, X.d, Y.data(), 3, 15);
            const PointwiseQuality p = pointwise_quality(X.features.data(), X.n, X.d, Y.data(), 3, 15, rows);
            std::vector<double> out = q.trustworthiness;
            for (const auto* v : {&q.continuity, &q.knn_recall, &p.trustworthiness, &p.continuity, &p.knn_recall})
                out.insert(out.end(), v->begin(), v->end());
            return out;
        };
        const auto one = run(1);
        const auto two = run(2);
        QCOMPARE(parallel::threads_in_region(), 2);  // the comparison really ran 2 threads
        omp_set_num_threads(before);
        QVERIFY(same_bits(one, two));
    }

    void cancelThrows() {
        const data::Dataset X = blobs(500, 6, 2);
        const std::vector<float> Y = first_columns(X, 2);
        // At once.
        QVERIFY_THROWS_EXCEPTION(latentscape::Canceled,
                                 pointwise_quality(X.features.data(), X.n, X.d, Y.data(), 2, 5, [] { return true; }));
        // After a few blocks, polled from the worker threads.
        std::atomic<int> polls{0};
        const auto later = [&polls] { return polls.fetch_add(1) >= 4; };
        QVERIFY_THROWS_EXCEPTION(latentscape::Canceled,
                                 pointwise_trustworthiness(X.features.data(), X.n, X.d, Y.data(), 2, 5, later));
        QVERIFY(polls.load() >= 5);
        // The shared exception is the one t-SNE's callers already catch.
        const std::vector<std::int64_t> rows = {1, 2, 3};
        QVERIFY_THROWS_EXCEPTION(reduce::tsne::Canceled, pointwise_quality(X.features.data(), X.n, X.d, Y.data(), 2,
                                                                           5, rows, [] { return true; }));
        QVERIFY_THROWS_EXCEPTION(latentscape::Canceled,
                                 pointwise_knn_recall(X.features.data(), X.n, X.d, Y.data(), 2, 5, [] { return true; }));
        // A callback that never fires changes nothing; one poll per block of 16 rows.
        polls = 0;
        const auto never = [&polls] {
            ++polls;
            return false;
        };
        QVERIFY(same_bits(pointwise_continuity(X.features.data(), X.n, X.d, Y.data(), 2, 5, never),
                          pointwise_continuity(X.features.data(), X.n, X.d, Y.data(), 2, 5)));
        QCOMPARE(polls.load(), int((X.n + 15) / 16));
        QCOMPARE(QString(latentscape::Canceled().what()), QString("canceled"));
    }

    void badInputIsRejected_data() {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("message");
        QTest::newRow("k = 0") << 0 << "k (0) must be >= 1";
        QTest::newRow("k >= n / 2") << 1 << "k (4) must be < n / 2 (n = 8) for trustworthiness and continuity";
        QTest::newRow("recall k >= n") << 2 << "k (8) must be < n (8)";
        QTest::newRow("NaN in X") << 3 << "X has a non-finite value at row 2, column 0";
        QTest::newRow("inf in Y") << 4 << "Y has a non-finite value at row 5, column 1";
        QTest::newRow("null Y") << 5 << "Y is null";
        QTest::newRow("no rows") << 6 << "X must have at least one row and one column (got 0 x 3)";
        QTest::newRow("row too large") << 7 << "row index 8 (entry 1 of rows) is outside [0, 8)";
        QTest::newRow("negative row") << 8 << "row index -1 (entry 0 of rows) is outside [0, 8)";
        QTest::newRow("k >= n / 2 for slices") << 9 << "k (5) must be < n / 2 (n = 8) for trustworthiness and continuity";
    }
    void badInputIsRejected() {
        QFETCH(int, which);
        QFETCH(QString, message);
        std::vector<float> X(8 * 3, 1.0f), Y(8 * 2, 0.5f);
        for (int i = 0; i < 8; ++i) X[std::size_t(i * 3)] = float(i);
        std::vector<std::int64_t> rows = {0, 8};
        try {
            switch (which) {
            case 0: pointwise_quality(X.data(), 8, 3, Y.data(), 2, 0); break;
            case 1: pointwise_continuity(X.data(), 8, 3, Y.data(), 2, 4); break;
            case 2: pointwise_knn_recall(X.data(), 8, 3, Y.data(), 2, 8); break;
            case 3: X[6] = std::nanf(""); pointwise_trustworthiness(X.data(), 8, 3, Y.data(), 2, 2); break;
            case 4: Y[11] = INFINITY; pointwise_knn_recall(X.data(), 8, 3, Y.data(), 2, 2); break;
            case 5: pointwise_quality(X.data(), 8, 3, nullptr, 2, 2); break;
            case 6: pointwise_quality(X.data(), 0, 3, Y.data(), 2, 2); break;
            case 7: pointwise_quality(X.data(), 8, 3, Y.data(), 2, 2, rows); break;
            case 8: rows = {-1}; pointwise_quality(X.data(), 8, 3, Y.data(), 2, 2, rows); break;
            case 9: pointwise_quality(X.data(), 8, 3, Y.data(), 2, 5, rows); break;
            }
            QFAIL("no exception");
        } catch (const std::invalid_argument& e) {
            QCOMPARE(QString(e.what()), message);
        }
    }
};

QTEST_GUILESS_MAIN(TstPointwise)
#include "tst_pointwise.moc"
