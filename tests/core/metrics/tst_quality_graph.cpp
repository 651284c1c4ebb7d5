// The quality metrics reusing a run's kNN graph of X (issue 14): the values with a graph equal
// those without it (bit for bit: averaged, per point, sampled, any graph k from the metric's to
// t-SNE's 3 x perplexity, from either exact engine), and a graph that cannot stand in for X's
// neighbours (approximate, too few neighbours, other rows, other features) is refused with a
// message that says why.
#include "data/synthetic.h"
#include "metrics/pointwise.h"
#include "metrics/quality.h"
#include "neighbors/brute.h"
#include "neighbors/knn.h"

#include <QtTest>

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

using namespace latentscape;

namespace {

data::Dataset blobs(std::int64_t n, std::int64_t d, std::uint64_t seed) {
    data::synthetic::BlobsOptions o;
    o.n = n;
    o.d = d;
    o.k = 5;
    o.separation = 3.0;  // overlapping blobs: a 2-D view loses neighbours, so every path is taken
    o.seed = seed;
    return data::synthetic::blobs(o);
}

std::vector<float> first_columns(const data::Dataset& X, std::int64_t dy) {
    std::vector<float> Y;
    for (std::int64_t i = 0; i < X.n; ++i)
        for (std::int64_t j = 0; j < dy; ++j) Y.push_back(X.at(i, j));
    return Y;
}

neighbors::KnnGraph exact_graph(const data::Dataset& X, int k) {
    neighbors::Options o;
    o.k = k;
    o.method = neighbors::Method::Exact;
    return neighbors::build(X.features.data(), X.n, X.d, o);
}

void expect_invalid(const std::function<void()>& f, const std::string& part) {
    try {
        f();
    } catch (const std::invalid_argument& e) {
        if (std::string(e.what()).find(part) == std::string::npos)
            QFAIL(qPrintable(QString("message '%1' lacks '%2'").arg(e.what(), QString::fromStdString(part))));
        return;
    }
    QFAIL(qPrintable(QString("no std::invalid_argument (expected '%1')").arg(QString::fromStdString(part))));
}

}  // namespace

class TstQualityGraph : public QObject {
    Q_OBJECT

private slots:
    void sameValuesWithAndWithoutTheGraph_data() {
        QTest::addColumn<int>("graph_k");
        QTest::addColumn<bool>("fused");
        QTest::newRow("k = metric's (UMAP-like), fused exact") << 10 << true;
        QTest::newRow("k 15 (UMAP's default), fused exact") << 15 << true;
        QTest::newRow("k 90 (t-SNE's), fused exact") << 90 << true;
        QTest::newRow("k 30, double brute force") << 30 << false;
    }
    void sameValuesWithAndWithoutTheGraph() {
        QFETCH(int, graph_k);
        QFETCH(bool, fused);
        const data::Dataset X = blobs(700, 12, 5);
        const std::vector<float> Y = first_columns(X, 2);
        const int k = 10;
        const neighbors::KnnGraph g =
            fused ? exact_graph(X, graph_k) : neighbors::brute_force_knn(X.features.data(), X.n, X.d, graph_k);
        const float* x = X.features.data();

        const metrics::QualityResult plain = metrics::quality(x, X.n, X.d, Y.data(), 2, k);
        const metrics::QualityResult reused = metrics::quality(x, X.n, X.d, Y.data(), 2, k, g);
        QVERIFY(plain.trustworthiness.value < 0.99);  // imperfect: outsiders and ranks are exercised
        QCOMPARE(reused.trustworthiness.value, plain.trustworthiness.value);
        QCOMPARE(reused.continuity.value, plain.continuity.value);
        QCOMPARE(reused.knn_recall.value, plain.knn_recall.value);
        QCOMPARE(metrics::trustworthiness(x, X.n, X.d, Y.data(), 2, k, g).value, plain.trustworthiness.value);
        QCOMPARE(metrics::continuity(x, X.n, X.d, Y.data(), 2, k, g).value, plain.continuity.value);
        QCOMPARE(metrics::knn_recall(x, X.n, X.d, Y.data(), 2, k, g).value,
                 metrics::knn_recall(x, X.n, X.d, Y.data(), 2, k).value);
        // A smaller metric k than the graph's: the graph's first k are used.
        QCOMPARE(metrics::quality(x, X.n, X.d, Y.data(), 2, 5, g).trustworthiness.value,
                 metrics::quality(x, X.n, X.d, Y.data(), 2, 5).trustworthiness.value);

        // Sampled estimates draw the same queries.
        metrics::EstimateOptions o;
        o.max_exact = 300;
        o.sample = 200;
        const metrics::QualityResult ps = metrics::quality(x, X.n, X.d, Y.data(), 2, k, o);
        const metrics::QualityResult rs = metrics::quality(x, X.n, X.d, Y.data(), 2, k, g, o);
        QVERIFY(rs.trustworthiness.sampled);
        QCOMPARE(rs.trustworthiness.sample_size, std::int64_t(200));
        QCOMPARE(rs.trustworthiness.value, ps.trustworthiness.value);
        QCOMPARE(rs.continuity.value, ps.continuity.value);
        QCOMPARE(rs.knn_recall.value, ps.knn_recall.value);

        // Per point: every row, and a list of rows with a repeat.
        const metrics::PointwiseQuality pp = metrics::pointwise_quality(x, X.n, X.d, Y.data(), 2, k);
        const metrics::PointwiseQuality pr = metrics::pointwise_quality(x, X.n, X.d, Y.data(), 2, k, g);
        QVERIFY(pr.trustworthiness == pp.trustworthiness);
        QVERIFY(pr.continuity == pp.continuity);
        QVERIFY(pr.knn_recall == pp.knn_recall);
        const std::vector<std::int64_t> rows = {699, 3, 3, 250};
        const metrics::PointwiseQuality sp = metrics::pointwise_quality(x, X.n, X.d, Y.data(), 2, k, rows);
        const metrics::PointwiseQuality sr = metrics::pointwise_quality(x, X.n, X.d, Y.data(), 2, k, g, rows);
        QVERIFY(sr.trustworthiness == sp.trustworthiness);
        QVERIFY(sr.continuity == sp.continuity);
        QVERIFY(sr.knn_recall == sp.knn_recall);
    }

    void perfectEmbeddingWithTheGraph() {
        const data::Dataset X = blobs(300, 6, 9);
        const neighbors::KnnGraph g = exact_graph(X, 20);
        const metrics::QualityResult q = metrics::quality(X.features.data(), X.n, X.d, X.features.data(), X.d, 10, g);
        QCOMPARE(q.trustworthiness.value, 1.0);
        QCOMPARE(q.continuity.value, 1.0);
        QCOMPARE(q.knn_recall.value, 1.0);
    }

    void unusableGraphsAreRefused() {
        const data::Dataset X = blobs(400, 8, 3);
        const std::vector<float> Y = first_columns(X, 2);
        const float* x = X.features.data();
        const std::int64_t n = X.n, d = X.d;

        neighbors::Options ao;
        ao.k = 20;
        ao.method = neighbors::Method::Approximate;
        const neighbors::KnnGraph approximate = neighbors::build(x, n, d, ao);
        expect_invalid([&] { metrics::quality(x, n, d, Y.data(), 2, 10, approximate); }, "is approximate");
        expect_invalid([&] { metrics::pointwise_quality(x, n, d, Y.data(), 2, 10, approximate); }, "is approximate");

        const neighbors::KnnGraph small = exact_graph(X, 5);
        expect_invalid([&] { metrics::quality(x, n, d, Y.data(), 2, 10, small); },
                       "has k = 5 neighbours per row; the metric needs k = 10 or more");
        expect_invalid([&] { metrics::knn_recall(x, n, d, Y.data(), 2, 10, small); }, "k = 5");

        // A graph of the first 300 rows only.
        const neighbors::KnnGraph part = neighbors::brute_force_knn(x, 300, d, 20);
        expect_invalid([&] { metrics::trustworthiness(x, n, d, Y.data(), 2, 10, part); }, "has 300 rows; X has 400");

        // A graph of other features of the same rows (as a run's graph after a PCA would be): the
        // first 4 columns of X. Its stored distances are not X's.
        const data::Dataset X4 = [&] {
            data::Dataset c;
            c.n = n;
            c.d = 4;
            c.features.resize(std::size_t(n * 4));
            for (std::int64_t i = 0; i < n; ++i)
                for (int j = 0; j < 4; ++j) c.features[std::size_t(i * 4 + j)] = X.at(i, j);
            return c;
        }();
        const neighbors::KnnGraph other = exact_graph(X4, 20);
        expect_invalid([&] { metrics::continuity(x, n, d, Y.data(), 2, 10, other); }, "does not match X");
        const std::vector<std::int64_t> rows = {5};
        expect_invalid([&] { metrics::pointwise_quality(x, n, d, Y.data(), 2, 10, other, rows); }, "does not match X");

        // A damaged graph: an id out of range.
        neighbors::KnnGraph broken = exact_graph(X, 12);
        broken.indices[std::size_t(7 * broken.k + 3)] = std::int32_t(n);
        expect_invalid([&] { metrics::quality(x, n, d, Y.data(), 2, 10, broken); }, "lists neighbour 400 for row 7");
    }
};

QTEST_GUILESS_MAIN(TstQualityGraph)
#include "tst_quality_graph.moc"
