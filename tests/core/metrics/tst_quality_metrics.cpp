// Trustworthiness, continuity, k-NN recall and k-NN accuracy: hand-computed cases, scikit-learn
// goldens, the sampled estimate, thread independence and bad input.
#include "common/parallel.h"
#include "data/synthetic.h"
#include "metrics/neighbors.h"
#include "metrics/quality.h"
#include "metrics/quality_internal.h"
#include "neighbors/brute.h"
#include "metrics_goldens.h"

#include <QtTest>

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

using namespace latentscape;
using namespace latentscape::metrics;

class TstQualityMetrics : public QObject {
    Q_OBJECT

    static data::Dataset blobs(std::int64_t n, std::int64_t d, std::uint64_t seed) {
        data::synthetic::BlobsOptions o;
        o.n = n;
        o.d = d;
        o.k = 5;
        o.separation = 3.0;  // overlapping blobs: a 2-D view loses neighbours
        o.seed = seed;
        return data::synthetic::blobs(o);
    }
    /// The first `dy` columns of X: a crude embedding with imperfect neighbourhoods.
    /// n labelled 1-D points in two well-separated halves (odd and even ids).
    static void two_halves(std::int64_t n, std::vector<float>& Y, std::vector<std::int32_t>& labels) {
        Y.resize(static_cast<std::size_t>(n));
        labels.resize(static_cast<std::size_t>(n));
        for (std::int64_t i = 0; i < n; ++i) {
            labels[std::size_t(i)] = std::int32_t(i % 2);
            Y[std::size_t(i)] = float(i % 2 ? 1000 + i : -1000 - i);
        }
    }

    static std::vector<float> first_columns(const data::Dataset& X, std::int64_t dy) {
        std::vector<float> Y;
        for (std::int64_t i = 0; i < X.n; ++i)
            for (std::int64_t j = 0; j < dy; ++j) Y.push_back(X.at(i, j));
        return Y;
    }

private slots:
    void handComputedTrustworthiness() {
        // 1-D, X = 0 1 3 7 12, Y swaps points 1 and 2. k = 1, embedding neighbours and their
        // ranks in X: 0->2 (rank 2), 1->2 (2), 2->0 (2), 3->1 (3: after 2 and 4), 4->3 (1).
        // Penalty 1+1+1+2+0 = 5; T = 1 - 2 / (5 * 1 * (10 - 3 - 1)) * 5 = 2/3.
        const float X[] = {0, 1, 3, 7, 12};
        const float Y[] = {0, 3, 1, 7, 12};
        QCOMPARE(trustworthiness(X, 5, 1, Y, 1, 1).value, 2.0 / 3.0);
        QVERIFY(std::abs(continuity(X, 5, 1, Y, 1, 1).value - 2.0 / 3.0) < 1e-12);  // sklearn: 0.6667
        QVERIFY(std::abs(trustworthiness(X, 5, 1, Y, 1, 2).value - 0.8666666666666667) < 1e-12);  // sklearn
        // Recall at k = 1: only point 4 keeps its neighbour (3); 0 (1 vs 2), 1 (0 vs 2), 2 (1 vs 0),
        // 3 (2 vs 1) lose theirs.
        QCOMPARE(knn_recall(X, 5, 1, Y, 1, 1).value, 0.2);
    }

    void identicalEmbeddingIsPerfect() {
        const data::Dataset X = blobs(300, 6, 3);
        std::vector<float> scaled(X.features.begin(), X.features.end());
        for (float& v : scaled) v *= 2.0f;  // distances doubled exactly: same neighbourhoods
        for (const float* Y : {X.features.data(), static_cast<const float*>(scaled.data())}) {
            const QualityResult q = quality(X.features.data(), X.n, X.d, Y, X.d, 10);
            QCOMPARE(q.trustworthiness.value, 1.0);
            QCOMPARE(q.continuity.value, 1.0);
            QCOMPARE(q.knn_recall.value, 1.0);
            QVERIFY(!q.trustworthiness.sampled);
            QCOMPARE(q.trustworthiness.sample_size, X.n);
        }
    }

    void exactKnnOrdersByDistanceThenIndex() {
        // Points 1 and 3 coincide, both at distance 1 from point 0: the lower index comes first.
        const float X[] = {0, 0, 1, 0, 5, 5, 1, 0, -2, 0};
        const KnnGraph g = exact_knn(X, 5, 2, 3);
        QCOMPARE(g.k, 3);
        QCOMPARE(std::vector<std::int64_t>(g.indices.begin(), g.indices.begin() + 3), (std::vector<std::int64_t>{1, 3, 4}));
        QCOMPARE(std::vector<std::int64_t>(g.indices.begin() + 3, g.indices.begin() + 6), (std::vector<std::int64_t>{3, 0, 4}));
        QCOMPARE(g.sq_distances[0], 1.0);
        QCOMPARE(g.sq_distances[2], 4.0);
        QCOMPARE(g.sq_distances[3], 0.0);  // point 1's nearest is its duplicate
    }

    void matchesScikitLearn_data() {
        QTest::addColumn<QString>("embedding");
        QTest::addColumn<int>("k");
        for (const char* e : {"pca", "rand"})
            for (int k : {5, 10}) QTest::newRow(qPrintable(QString("%1 k=%2").arg(e).arg(k))) << QString(e) << k;
    }
    void matchesScikitLearn() {
        QFETCH(QString, embedding);
        QFETCH(int, k);
        const auto X = metrics_goldens::matrix("X.npy");
        const auto Y = metrics_goldens::matrix(("Y_" + embedding + ".npy").toStdString());
        const auto labels = metrics_goldens::labels("labels.npy");
        const auto noisy = metrics_goldens::labels("labels_noise.npy");
        const auto gold = metrics_goldens::scalars();
        const std::string key = embedding.toStdString() + "_k" + std::to_string(k);
        QCOMPARE(X.n, std::int64_t(200));
        QCOMPARE(Y.d, std::int64_t(2));
        const QualityResult q = quality(X.features.data(), X.n, X.d, Y.features.data(), Y.d, k);
        QVERIFY(std::abs(q.trustworthiness.value - gold.at("trust_" + key)) < 1e-6);
        QVERIFY(std::abs(q.continuity.value - gold.at("cont_" + key)) < 1e-6);
        QVERIFY(std::abs(q.knn_recall.value - gold.at("recall_" + key)) < 1e-6);
        // The single-metric entry points give the same numbers.
        QCOMPARE(trustworthiness(X.features.data(), X.n, X.d, Y.features.data(), Y.d, k).value, q.trustworthiness.value);
        QCOMPARE(continuity(X.features.data(), X.n, X.d, Y.features.data(), Y.d, k).value, q.continuity.value);
        QCOMPARE(knn_recall(X.features.data(), X.n, X.d, Y.features.data(), Y.d, k).value, q.knn_recall.value);
        // Continuity is trustworthiness with X and Y swapped.
        QCOMPARE(trustworthiness(Y.features.data(), Y.n, Y.d, X.features.data(), X.d, k).value, q.continuity.value);
        const Estimate acc = knn_accuracy(Y.features.data(), Y.n, Y.d, labels.data(), k);
        QVERIFY(std::abs(acc.value - gold.at("acc_" + key)) < 1e-6);
        const Estimate acc_noise = knn_accuracy(Y.features.data(), Y.n, Y.d, noisy.data(), k);
        QVERIFY(std::abs(acc_noise.value - gold.at("accnoise_" + key)) < 1e-6);
        QCOMPARE(acc_noise.sample_size, std::int64_t(std::count_if(noisy.begin(), noisy.end(), [](int v) { return v >= 0; })));
    }

    void accuracyTiesGoToSmallestLabel() {
        // Point 0 at 0 has neighbours 1 (label 3) and 2 (label 1) at k = 2: a tie, label 1 wins,
        // which is point 0's label. Point 3 is far away and votes 1 and 3 as well (label 3: miss).
        const float Y[] = {0, 1, -1.5f, 10};
        const std::int32_t labels[] = {1, 3, 1, 3};
        // 0: {1:3, 2:1} -> 1 hit; 1: {0:1, 2:1} -> 1 miss; 2: {0:1, 1:3} -> 1 hit; 3: {1:3, 0:1} -> 1 miss.
        QCOMPARE(knn_accuracy(Y, 4, 1, labels, 2).value, 0.5);
    }

    void sampledEstimateIsCloseToExact() {
        // The sampling path with a lowered max_exact (a 25,000-point exact reference would take
        // seconds): 3,000 points, 1,000 sampled queries, each against all points.
        const data::Dataset X = blobs(3000, 10, 11);
        const std::vector<float> Y = first_columns(X, 2);
        const QualityResult exact = quality(X.features.data(), X.n, X.d, Y.data(), 2, 10);
        EstimateOptions o;
        o.max_exact = 1000;
        o.sample = 1000;
        const QualityResult est = quality(X.features.data(), X.n, X.d, Y.data(), 2, 10, o);
        QVERIFY(est.trustworthiness.sampled && est.continuity.sampled && est.knn_recall.sampled);
        QCOMPARE(est.trustworthiness.sample_size, std::int64_t(1000));
        QVERIFY(exact.trustworthiness.value < 0.99);  // a non-trivial case
        QVERIFY(std::abs(est.trustworthiness.value - exact.trustworthiness.value) < 0.01);
        QVERIFY(std::abs(est.continuity.value - exact.continuity.value) < 0.01);
        QVERIFY(std::abs(est.knn_recall.value - exact.knn_recall.value) < 0.03);
        // Same seed, same sample; the sample size is honoured by the other metrics too.
        const QualityResult again = quality(X.features.data(), X.n, X.d, Y.data(), 2, 10, o);
        QCOMPARE(again.trustworthiness.value, est.trustworthiness.value);
        std::vector<std::int32_t> labels(X.label()->codes.begin(), X.label()->codes.end());
        const Estimate acc = knn_accuracy(Y.data(), X.n, 2, labels.data(), 10, o);
        const Estimate acc_exact = knn_accuracy(Y.data(), X.n, 2, labels.data(), 10);
        QVERIFY(acc.sampled && !acc_exact.sampled);
        QCOMPARE(acc.sample_size, std::int64_t(1000));
        QVERIFY(std::abs(acc.value - acc_exact.value) < 0.05);
    }

    void defaultOptionsSampleAbove20000Points() {
        // 25,000 labelled 1-D points (two well-separated halves): beyond max_exact = 20,000 the
        // default draws 5,000 queries, each still compared with all 25,000 points.
        const std::int64_t n = 25000;
        std::vector<float> Y;
        std::vector<std::int32_t> labels;
        two_halves(n, Y, labels);
        const Estimate acc = knn_accuracy(Y.data(), n, 1, labels.data(), 5);
        QVERIFY(acc.sampled);
        QCOMPARE(acc.sample_size, std::int64_t(5000));
        QCOMPARE(acc.value, 1.0);
    }

    void workLimitShrinksTheSample() {
        // Above max_work / sample points the queries shrink to max_work / n (never below
        // min_sample): the 10,000,000-point defaults give 500. Scaled down here: 25,000 points,
        // max_work 5e7 -> 2,000 queries, each still against all 25,000 points.
        const std::int64_t n = 25000;
        std::vector<float> Y;
        std::vector<std::int32_t> labels;
        two_halves(n, Y, labels);
        EstimateOptions o;
        o.max_work = 50'000'000;
        const Estimate acc = knn_accuracy(Y.data(), n, 1, labels.data(), 5, o);
        QVERIFY(acc.sampled);
        QCOMPARE(acc.sample_size, std::int64_t(2000));
        QCOMPARE(acc.value, 1.0);
        o.max_work = 1'000'000;  // 40 queries would do; min_sample keeps 500
        QCOMPARE(knn_accuracy(Y.data(), n, 1, labels.data(), 5, o).sample_size, std::int64_t(500));
        o.min_sample = 100;
        QCOMPARE(knn_accuracy(Y.data(), n, 1, labels.data(), 5, o).sample_size, std::int64_t(100));
        o.max_work = 0;  // no limit
        QCOMPARE(knn_accuracy(Y.data(), n, 1, labels.data(), 5, o).sample_size, std::int64_t(5000));
        // The defaults at 10,000,000 points, without computing anything: 500 queries.
        bool sampled = false;
        QCOMPARE(std::int64_t(detail::choose_queries(detail::all_points(10'000'000), EstimateOptions{}, sampled).size()),
                 std::int64_t(500));
        QVERIFY(sampled);
    }

    void streamingCountsEqualRowCounts_data() {
        QTest::addColumn<int>("d");
        QTest::newRow("d 7 (remainder only)") << 7;
        QTest::newRow("d 10") << 10;
        QTest::newRow("d 16") << 16;
    }
    void streamingCountsEqualRowCounts() {
        // Above ~2,000,000 points quality() streams instead of keeping distance rows; here both
        // run on the same queries, with ties from duplicated rows, and must count the same.
        QFETCH(int, d);
        const data::Dataset X = blobs(600, d, 13);
        std::vector<float> x(X.features.begin(), X.features.end());
        for (int t = 0; t < d; ++t) x[std::size_t(5 * d + t)] = x[std::size_t(17 * d + t)];  // a duplicate
        const std::vector<float> Y = first_columns(X, 2);
        const std::int64_t n = X.n;
        const std::vector<std::int64_t> queries = {0, 5, 17, 101, 599};
        const auto count = std::int64_t(queries.size());
        for (int k : {1, 10, 40}) {
            detail::QualityScratch s;
            std::vector<detail::PointCounts> streamed(queries.size());
            detail::stream_counts(x.data(), n, d, Y.data(), 2, k, queries.data(), count, true, s, streamed.data());
            std::vector<double> rows_x(std::size_t(count * n)), rows_y(std::size_t(count * n));
            neighbors::rows::squared_distance_rows(x.data(), n, d, queries.data(), count, rows_x.data());
            neighbors::rows::squared_distance_rows(Y.data(), n, 2, queries.data(), count, rows_y.data());
            std::int64_t penalties = 0;
            for (std::int64_t q = 0; q < count; ++q) {
                const detail::PointCounts c = detail::point_counts(rows_x.data() + q * n, rows_y.data() + q * n, n,
                                                                   queries[std::size_t(q)], k, true, s);
                QCOMPARE(streamed[std::size_t(q)].trust, c.trust);
                QCOMPARE(streamed[std::size_t(q)].cont, c.cont);
                QCOMPARE(streamed[std::size_t(q)].shared, c.shared);
                penalties += c.trust + c.cont;
            }
            if (k == 10) QVERIFY(penalties > 0);  // the case exercises the rank counts
        }
    }

    void oneAndTwoThreadsAgreeBitForBit() {
        const data::Dataset X = blobs(700, 8, 5);
        const std::vector<float> Y = first_columns(X, 2);
        std::vector<std::int32_t> labels(X.label()->codes.begin(), X.label()->codes.end());
        EstimateOptions sampled;
        sampled.max_exact = 300;
        sampled.sample = 250;
        const int before = omp_get_max_threads();
        auto run = [&](int threads) {
            omp_set_num_threads(threads);
            std::vector<double> out;
            for (const EstimateOptions& o : {EstimateOptions{}, sampled}) {
                const QualityResult q = quality(X.features.data(), X.n, X.d, Y.data(), 2, 7, o);
                out.push_back(q.trustworthiness.value);
                out.push_back(q.continuity.value);
                out.push_back(q.knn_recall.value);
                out.push_back(knn_accuracy(Y.data(), X.n, 2, labels.data(), 7, o).value);
            }
            const KnnGraph g = exact_knn(X.features.data(), X.n, X.d, 5);
            out.insert(out.end(), g.sq_distances.begin(), g.sq_distances.end());
            for (std::int64_t v : g.indices) out.push_back(double(v));
            return out;
        };
        const auto one = run(1);
        const auto two = run(2);
        QCOMPARE(parallel::threads_in_region(), 2);  // the comparison really ran 2 threads
        omp_set_num_threads(before);
        QCOMPARE(one.size(), two.size());
        QVERIFY(std::memcmp(one.data(), two.data(), one.size() * sizeof(double)) == 0);
    }

    void badInputIsRejected_data() {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("message");
        QTest::newRow("k = 0") << 0 << "k (0) must be >= 1";
        QTest::newRow("k >= n") << 1 << "k (10) must be < n (8)";
        QTest::newRow("k >= n / 2") << 2 << "k (4) must be < n / 2 (n = 8) for trustworthiness and continuity";
        QTest::newRow("NaN in Y") << 3 << "Y has a non-finite value at row 5, column 1";
        QTest::newRow("inf in X") << 4 << "X has a non-finite value at row 2, column 0";
        QTest::newRow("null X") << 5 << "X is null";
        QTest::newRow("no rows") << 6 << "X must have at least one row and one column (got 0 x 3)";
        QTest::newRow("sample 0") << 7 << "sample (0) must be >= 1";
        QTest::newRow("too few labelled") << 8 << "k (3) must be < the number of labelled points (3)";
        QTest::newRow("null labels") << 9 << "labels is null";
        QTest::newRow("exact_knn k >= n") << 10 << "k (8) must be < n (8)";
        QTest::newRow("max_work < 0") << 11 << "max_work (-1) must be >= 0";
        QTest::newRow("min_sample 0") << 12 << "min_sample (0) must be >= 1";
    }
    void badInputIsRejected() {
        QFETCH(int, which);
        QFETCH(QString, message);
        std::vector<float> X(8 * 3, 1.0f), Y(8 * 2, 0.5f);
        for (int i = 0; i < 8; ++i) X[std::size_t(i * 3)] = float(i);
        std::vector<std::int32_t> labels = {0, 1, -1, -1, 1, -1, -1, -1};
        EstimateOptions o;
        try {
            switch (which) {
            case 0: trustworthiness(X.data(), 8, 3, Y.data(), 2, 0); break;
            case 1: knn_recall(X.data(), 8, 3, Y.data(), 2, 10); break;
            case 2: continuity(X.data(), 8, 3, Y.data(), 2, 4); break;
            case 3: Y[11] = std::nanf(""); quality(X.data(), 8, 3, Y.data(), 2, 2); break;
            case 4: X[6] = INFINITY; knn_recall(X.data(), 8, 3, Y.data(), 2, 2); break;
            case 5: trustworthiness(nullptr, 8, 3, Y.data(), 2, 2); break;
            case 6: quality(X.data(), 0, 3, Y.data(), 2, 2); break;
            case 7: o.sample = 0; quality(X.data(), 8, 3, Y.data(), 2, 2, o); break;
            case 8: knn_accuracy(Y.data(), 8, 2, labels.data(), 3); break;
            case 9: knn_accuracy(Y.data(), 8, 2, nullptr, 3); break;
            case 10: exact_knn(X.data(), 8, 3, 8); break;
            case 11: o.max_work = -1; quality(X.data(), 8, 3, Y.data(), 2, 2, o); break;
            case 12: o.min_sample = 0; quality(X.data(), 8, 3, Y.data(), 2, 2, o); break;
            }
            QFAIL("no exception");
        } catch (const std::invalid_argument& e) {
            QCOMPARE(QString(e.what()), message);
        }
    }
};

QTEST_GUILESS_MAIN(TstQualityMetrics)
#include "tst_quality_metrics.moc"
