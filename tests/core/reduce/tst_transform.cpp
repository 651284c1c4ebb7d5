// Placing new rows on a t-SNE or UMAP map (reduce/transform.h): the reference rows land near their
// own positions, held-out blobs land in their own blob, a row's position does not depend on the
// rows placed with it nor on the thread count, the model file round-trips, and the errors.
#include "common/error.h"
#include "common/parallel.h"
#include "common/rng.h"
#include "reduce/transform.h"
#include "reduce/tsne.h"
#include "reduce/umap.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include <sys/stat.h>

using namespace latentscape;
using namespace latentscape::reduce;

namespace {

/// n points in `clusters` Gaussian blobs (unit spread) in [-spread, spread]^d; point i in blob i % clusters.
std::vector<float> blobs(std::int64_t n, std::int64_t d, std::uint64_t seed, int clusters, double spread) {
    Rng rng(seed);
    std::vector<double> centres(static_cast<std::size_t>(clusters * d));
    for (double& c : centres) c = rng.uniform(-spread, spread);
    std::vector<float> X(static_cast<std::size_t>(n * d));
    for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t j = 0; j < d; ++j)
            X[std::size_t(i * d + j)] = float(centres[std::size_t((i % clusters) * d + j)] + rng.normal());
    return X;
}

constexpr std::int64_t n_ref = 600, n_new = 200, d = 60;  // d > 50: the preprocessing PCA is on
constexpr int clusters = 5;

struct Fit {
    std::vector<float> X;  ///< n_ref + n_new rows; the first n_ref are the reference
    placement::Model model;
};

Fit fit(placement::Model::Method method) {
    Fit f;
    f.X = blobs(n_ref + n_new, d, 7, clusters, 8.0);
    std::vector<double> Y;
    if (method == placement::Model::Method::Tsne) {
        tsne::Options o;
        o.perplexity = 20;
        o.iterations = 500;
        const tsne::Result r = tsne::run_to_end(f.X.data(), n_ref, d, o);
        Y.assign(r.embedding.begin(), r.embedding.end());
        f.model.tsne = placement::tsne_options(o);
    } else {
        umap::Options o;
        o.n_epochs = 200;
        const umap::Result r = umap::run_to_end(f.X.data(), n_ref, d, o);
        Y.assign(r.embedding.begin(), r.embedding.end());
        f.model.umap = placement::umap_options(o, r.a, r.b);
    }
    f.model.method = method;
    f.model.reference = placement::make_reference(f.X.data(), n_ref, d, std::nullopt, 42, Y.data(), 2);
    return f;
}

std::vector<double> place(const placement::Model& m, const float* X, std::int64_t rows) {
    return m.method == placement::Model::Method::Tsne ? placement::place_tsne(m.reference, X, rows, d, m.tsne)
                                                      : placement::place_umap(m.reference, X, rows, d, m.umap);
}

/// The k nearest reference points of position p in the reference embedding.
std::vector<int> nearest(const placement::Reference& r, const double* p, int k, int skip = -1) {
    std::vector<std::pair<double, int>> all;
    for (std::int64_t j = 0; j < r.n; ++j) {
        if (j == skip) continue;
        const double dx = p[0] - r.embedding[std::size_t(2 * j)], dy = p[1] - r.embedding[std::size_t(2 * j + 1)];
        all.emplace_back(dx * dx + dy * dy, int(j));
    }
    std::partial_sort(all.begin(), all.begin() + k, all.end());
    std::vector<int> out;
    for (int a = 0; a < k; ++a) out.push_back(all[std::size_t(a)].second);
    return out;
}

}  // namespace

class TstTransform : public QObject {
    Q_OBJECT

private slots:
    void placement_data() {
        QTest::addColumn<int>("method");
        QTest::newRow("tsne") << int(placement::Model::Method::Tsne);
        QTest::newRow("umap") << int(placement::Model::Method::Umap);
    }

    void placement() {
        QFETCH(int, method);
        const Fit f = fit(placement::Model::Method(method));
        const placement::Reference& r = f.model.reference;
        QCOMPARE(r.pca_dims, 50);

        // The reference rows themselves: their placed positions keep their own 10 map neighbours.
        const std::vector<double> self = place(f.model, f.X.data(), n_ref);
        double kept = 0.0;
        for (std::int64_t i = 0; i < n_ref; ++i) {
            const std::vector<int> own = nearest(r, r.embedding.data() + 2 * i, 10, int(i));
            const std::vector<int> got = nearest(r, self.data() + 2 * i, 11);
            for (int j : own) kept += std::count(got.begin(), got.end(), j) ? 1.0 : 0.0;
        }
        kept /= double(n_ref * 10);
        qInfo("%s: reference rows keep %.3f of their 10 map neighbours", method == 0 ? "t-SNE" : "UMAP", kept);
        QVERIFY2(kept > 0.5, qPrintable(QString::number(kept)));

        // Held-out rows land in their own blob: 10-NN label accuracy on the reference map.
        const std::vector<double> held = place(f.model, f.X.data() + n_ref * d, n_new);
        int right = 0;
        for (std::int64_t i = 0; i < n_new; ++i) {
            const std::vector<int> nn = nearest(r, held.data() + 2 * i, 10);
            int votes = 0;
            for (int j : nn) votes += (j % clusters) == ((n_ref + i) % clusters) ? 1 : 0;
            right += votes > 5 ? 1 : 0;
        }
        QCOMPARE(right, int(n_new));

        // A row alone == the same row among 50 others, bit for bit.
        const float* batch = f.X.data() + n_ref * d;
        const std::vector<double> many = place(f.model, batch, 51);
        for (int row : {0, 17, 50}) {
            const std::vector<double> alone = place(f.model, batch + row * d, 1);
            QVERIFY(std::memcmp(alone.data(), many.data() + 2 * row, 2 * sizeof(double)) == 0);
        }
        // And as placed in the 200-row batch above.
        QVERIFY(std::memcmp(many.data(), held.data(), many.size() * sizeof(double)) == 0);

        // 1 thread == 2 threads.
        const int threads = parallel::max_threads();
        parallel::set_max_threads(1);
        const std::vector<double> one = place(f.model, batch, n_new);
        parallel::set_max_threads(2);
        const std::vector<double> two = place(f.model, batch, n_new);
        parallel::set_max_threads(threads);
        QVERIFY(std::memcmp(one.data(), two.data(), one.size() * sizeof(double)) == 0);

        // The model file round-trips to the same placements.
        const std::string path = (std::filesystem::temp_directory_path() / "tst_transform.lsmap").string();
        placement::save_model(f.model, path);
        QVERIFY(placement::is_model_file(path));
        const placement::Model back = placement::load_model(path);
        std::filesystem::remove(path);
        QCOMPARE(int(back.method), method);
        const std::vector<double> again = place(back, batch, 51);
        QVERIFY(std::memcmp(again.data(), many.data(), many.size() * sizeof(double)) == 0);
    }

    // A map model that is a FIFO or a device is refused at once, not waited on or read forever.
    void nonRegularModelFiles() {
        QTemporaryDir dir;
        const std::string fifo = dir.filePath("pipe.lsmap").toStdString();
        QCOMPARE(::mkfifo(fifo.c_str(), 0600), 0);
        for (const std::string& path : {fifo, std::string("/dev/zero")}) {
            QVERIFY(!placement::is_model_file(path));
            try {
                placement::load_model(path);
                QFAIL("no error");
            } catch (const LoadError& e) {
                QCOMPARE(e.file(), path);
                QVERIFY2(e.cause().find("not a regular file") != std::string::npos, e.what());
            }
        }
    }

    // Counts in a map's header must fit what reads them: "umap.n_epochs 10000000001" became
    // 1,410,065,409 epochs (int conversion) and placing one row ran for hours (found by fuzzing).
    void outOfRangeCountsAreRefused_data() {
        QTest::addColumn<QByteArray>("from");
        QTest::addColumn<QByteArray>("to");
        QTest::newRow("epochs past int") << QByteArray("umap.n_epochs 100") << QByteArray("umap.n_epochs 10000000001");
        QTest::newRow("epochs too many") << QByteArray("umap.n_epochs 100") << QByteArray("umap.n_epochs 1000001");
        QTest::newRow("negative epochs") << QByteArray("umap.n_epochs 100") << QByteArray("umap.n_epochs -1");
        QTest::newRow("iterations past int") << QByteArray("tsne.iterations 250") << QByteArray("tsne.iterations 4294967546");
        QTest::newRow("negative rate") << QByteArray("umap.negative_sample_rate 5") << QByteArray("umap.negative_sample_rate -4294967291");
        QTest::newRow("dims") << QByteArray("\ndims 2") << QByteArray("\ndims 4294967298");
    }
    void outOfRangeCountsAreRefused() {
        QFETCH(QByteArray, from);
        QFETCH(QByteArray, to);
        QFile seed(QStringLiteral(LATENTSCAPE_TEST_DATA "/../fuzz/seeds/map/umap.lsmap"));
        QVERIFY(seed.open(QIODevice::ReadOnly));
        QByteArray bytes = seed.readAll();
        QVERIFY2(bytes.contains(from), from.constData());
        bytes.replace(from, to);
        QTemporaryDir dir;
        const QString path = dir.filePath("bad.lsmap");
        QFile out(path);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(bytes);
        out.close();
        QVERIFY(placement::load_model(seed.fileName().toStdString()).umap.n_epochs >= 0);  // the seed itself loads
        try {
            placement::load_model(path.toStdString());
            QFAIL("no error");
        } catch (const LoadError& e) {
            QVERIFY2(e.cause().find(", outside [") != std::string::npos, e.what());
        }
    }

    void errors() {
        const std::vector<float> X = blobs(40, 4, 3, 2, 5.0);
        std::vector<double> Y(80);
        for (std::size_t e = 0; e < Y.size(); ++e) Y[e] = double(e % 7);
        const placement::Reference r = placement::make_reference(X.data(), 40, 4, std::nullopt, 42, Y.data(), 2);
        QCOMPARE(r.pca_dims, 0);
        auto message = [&](auto&& call) -> std::string {
            try {
                call();
            } catch (const std::invalid_argument& e) {
                return e.what();
            }
            return "no error";
        };
        const std::vector<float> wide(10, 1.0f);
        std::string m = message([&] { placement::place_umap(r, wide.data(), 2, 5); });
        QVERIFY2(m.find("the model has 4 columns; the new rows have 5") != std::string::npos, m.c_str());
        std::vector<float> nan(8, 0.0f);
        nan[6] = std::nanf("");
        m = message([&] { placement::place_tsne(r, nan.data(), 2, 4, {5.0}); });
        QVERIFY2(m.find("row 1 column 2 is NaN") != std::string::npos, m.c_str());
        placement::TsneOptions t;
        t.perplexity = 14;  // k = 42 >= 40
        m = message([&] { placement::place_tsne(r, X.data(), 1, 4, t); });
        QVERIFY2(m.find("k must be < n") != std::string::npos, m.c_str());
        placement::UmapOptions u;
        u.n_neighbors = 40;
        m = message([&] { placement::place_umap(r, X.data(), 1, 4, u); });
        QVERIFY2(m.find("n_neighbors (40)") != std::string::npos, m.c_str());
    }
};

QTEST_GUILESS_MAIN(TstTransform)
#include "tst_transform.moc"
