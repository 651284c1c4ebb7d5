// Autoencoder and VAE: finite-difference gradient checks of every layer type and loss (in double,
// through the same templated code that trains in float), learning on toy problems, the linear
// autoencoder against the PCA subspace, determinism (chunks, threads), the model file, errors.
#if defined(__GNUC__) && !defined(__clang__)
// GCC 12 reports its own AVX-512 intrinsics as (maybe-)uninitialized when Eigen's packets are
// inlined here (GCC bug 105593).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
#include "common/error.h"
#include "common/parallel.h"
#include "common/rng.h"
#include "reduce/autoencoder.h"
#include "reduce/autoencoder_internal.h"

#include <QTemporaryDir>
#include <QtTest>

#include <Eigen/Eigenvalues>
#include <Eigen/QR>
#include <Eigen/SVD>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <cstring>
#include <map>
#include <sstream>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

using namespace latentscape;
using namespace latentscape::reduce::autoencoder;
using internal::Mat;

Q_DECLARE_METATYPE(Activation)
Q_DECLARE_METATYPE(Loss)

namespace {

/// n points in [0, 1]^d around k centres (a learnable low-dimensional structure).
std::vector<float> unit_blobs(std::int64_t n, int d, int k, std::uint64_t seed, std::vector<int>* labels = nullptr) {
    Rng rng(seed);
    std::vector<std::vector<double>> centres(static_cast<std::size_t>(k), std::vector<double>(static_cast<std::size_t>(d)));
    for (auto& c : centres)
        for (auto& v : c) v = rng.uniform(0.2, 0.8);
    std::vector<float> X(static_cast<std::size_t>(n * d));
    for (std::int64_t i = 0; i < n; ++i) {
        const int c = int(i % k);
        if (labels) labels->push_back(c);
        for (int j = 0; j < d; ++j)
            X[std::size_t(i * d + j)] = float(std::clamp(centres[std::size_t(c)][std::size_t(j)] + 0.03 * rng.normal(), 0.0, 1.0));
    }
    return X;
}

bool same_weights(const Model& a, const Model& b) {
    if (a.layers.size() != b.layers.size()) return false;
    for (std::size_t l = 0; l < a.layers.size(); ++l)
        if (a.layers[l].weights != b.layers[l].weights || a.layers[l].bias != b.layers[l].bias) {
            for (std::size_t i = 0; i < a.layers[l].weights.size(); ++i) if (a.layers[l].weights[i] != b.layers[l].weights[i]) { qDebug() << "layer" << l << "weight" << i << a.layers[l].weights[i] << b.layers[l].weights[i]; break; }
            return false;
        }
    return true;
}

void expect_invalid(const std::vector<float>& X, std::int64_t n, std::int64_t d, const Options& o, const char* part) {
    try {
        initialize(X.data(), n, d, o);
        QFAIL(qPrintable(QString("no error; expected one mentioning '%1'").arg(part)));
    } catch (const std::invalid_argument& e) {
        QVERIFY2(std::string(e.what()).find(part) != std::string::npos, e.what());
    }
}

void expect_load_error(const std::string& path, const char* part) {
    try {
        Model::load(path);
        QFAIL("no error");
    } catch (const LoadError& e) {
        QVERIFY2(std::string(e.what()).find(part) != std::string::npos, e.what());
        QVERIFY2(std::string(e.what()).find(path) != std::string::npos, e.what());
    }
}

}  // namespace

class TestAutoencoder : public QObject {
    Q_OBJECT

private slots:
    void gradient_matches_finite_differences_data();
    void gradient_matches_finite_differences();
    void loss_and_gradient_match_pytorch();
    void loss_decreases_and_blobs_separate();
    void linear_autoencoder_spans_pca_subspace();
    void chunked_equals_single_run_data();
    void chunked_equals_single_run();
    void thread_count_does_not_change_result();
    void vae_codes_are_means_near_standard_normal();
    void save_load_round_trip();
    void codes_do_not_depend_on_the_rows_passed_with_them();
    void input_scale_for_8bit_images();
    void standardized_reconstruction_in_data_units();
    void log1p_input_model();
    void early_stopping_on_held_out_rows();
    void bad_options_and_data();
    void bad_model_files();
};

void TestAutoencoder::gradient_matches_finite_differences_data() {
    QTest::addColumn<Activation>("activation");
    QTest::addColumn<bool>("sigmoid");
    QTest::addColumn<Loss>("loss");
    QTest::addColumn<bool>("variational");
    for (Activation a : {Activation::Relu, Activation::Gelu, Activation::Tanh, Activation::Linear}) {
        for (bool vae : {false, true}) {
            const std::string base = std::string(to_string(a)) + (vae ? " vae" : " ae");
            QTest::newRow((base + " linear mse").c_str()) << a << false << Loss::Mse << vae;
            QTest::newRow((base + " sigmoid mse").c_str()) << a << true << Loss::Mse << vae;
            QTest::newRow((base + " sigmoid bce").c_str()) << a << true << Loss::Bce << vae;
        }
    }
}

void TestAutoencoder::gradient_matches_finite_differences() {
    QFETCH(Activation, activation);
    QFETCH(bool, sigmoid);
    QFETCH(Loss, loss);
    QFETCH(bool, variational);
    const int d = 5, L = 2, B = 4;
    const internal::Architecture arch = internal::make_architecture(d, L, {6, 3}, activation, sigmoid, variational);
    internal::Params<double> p(arch);
    Rng rng(7);
    for (int l = 0; l < arch.layers(); ++l) {
        for (Eigen::Index i = 0; i < p.W(l).size(); ++i) p.W(l).data()[i] = rng.uniform(-0.8, 0.8);
        for (Eigen::Index i = 0; i < p.b(l).size(); ++i) p.b(l)[i] = rng.uniform(-0.3, 0.3);
    }
    Mat<double> X(d, B);
    for (Eigen::Index i = 0; i < X.size(); ++i) X.data()[i] = rng.uniform(0.02, 0.98);
    Mat<double> eps;
    if (variational) {
        eps.resize(L, B);
        for (Eigen::Index i = 0; i < eps.size(); ++i) eps.data()[i] = rng.normal();
    }
    internal::LossSpec spec{loss, variational, 0.7};
    internal::Workspace<double> ws;
    internal::Params<double> grad(arch);
    const double f0 = internal::loss_and_gradient<double>(arch, p, X, eps, spec, &grad, ws);
    QVERIFY(std::isfinite(f0));

    // Every weight and bias of every layer (encoder, bottleneck, decoder, output).
    const double h = 1e-6;
    double worst = 0.0;
    int checked = 0;
    for (int l = 0; l < arch.layers(); ++l) {
        auto check = [&](double& value, double analytic) {
            const double saved = value;
            value = saved + h;
            const double up = internal::loss_and_gradient<double>(arch, p, X, eps, spec, nullptr, ws);
            value = saved - h;
            const double down = internal::loss_and_gradient<double>(arch, p, X, eps, spec, nullptr, ws);
            value = saved;
            const double numeric = (up - down) / (2 * h);
            const double err = std::abs(numeric - analytic) / std::max(1e-4, std::abs(numeric) + std::abs(analytic));
            worst = std::max(worst, err);
            ++checked;
        };
        for (Eigen::Index i = 0; i < p.W(l).size(); ++i) check(p.W(l).data()[i], grad.W(l).data()[i]);
        for (Eigen::Index i = 0; i < p.b(l).size(); ++i) check(p.b(l)[i], grad.b(l)[i]);
    }
    QVERIFY(checked > 100);
    QVERIFY2(worst < 1e-5, qPrintable(QString("worst relative gradient error %1").arg(worst)));
}

void TestAutoencoder::loss_and_gradient_match_pytorch() {
    // Goldens from PyTorch's autograd in float64 (tests/data/reduce/make_autoencoder_goldens.py).
    std::ifstream in(std::string(LATENTSCAPE_TEST_DATA) + "/reduce/autoencoder_goldens.txt");
    QVERIFY(in.good());
    std::map<std::string, std::vector<double>> rows;
    std::string line, config;
    int cases = 0;
    auto run_case = [&] {
        std::istringstream c(config);
        std::string tag, name, act, loss;
        int sigmoid = 0, vae = 0;
        double beta = 1;
        c >> tag >> name >> act >> sigmoid >> loss >> vae >> beta;
        const int d = 5, L = 2, B = 4;
        const internal::Architecture arch =
            internal::make_architecture(d, L, {6, 3}, parse_activation(act), sigmoid != 0, vae != 0);
        internal::Params<double> p(arch);
        for (int l = 0; l < arch.layers(); ++l) {
            const auto& w = rows.at("W" + std::to_string(l));
            const auto& b = rows.at("b" + std::to_string(l));
            QCOMPARE(qsizetype(w.size()), qsizetype(p.W(l).size()));
            std::copy(w.begin(), w.end(), p.W(l).data());
            std::copy(b.begin(), b.end(), p.b(l).data());
        }
        const Mat<double> X = Eigen::Map<const Mat<double>>(rows.at("X").data(), d, B);
        Mat<double> eps;
        if (vae) eps = Eigen::Map<const Mat<double>>(rows.at("eps").data(), L, B);
        internal::Workspace<double> ws;
        internal::Params<double> grad(arch);
        const double f = internal::loss_and_gradient<double>(arch, p, X, eps, {parse_loss(loss), vae != 0, beta}, &grad, ws);
        const double want = rows.at("loss")[0];
        QVERIFY2(std::abs(f - want) <= 1e-12 * std::abs(want), qPrintable(QString("%1: loss %2, PyTorch %3").arg(name.c_str()).arg(f, 0, 'g', 17).arg(want, 0, 'g', 17)));
        double worst = 0;
        for (int l = 0; l < arch.layers(); ++l) {
            const auto& gw = rows.at("gW" + std::to_string(l));
            const auto& gb = rows.at("gb" + std::to_string(l));
            for (std::size_t i = 0; i < gw.size(); ++i) worst = std::max(worst, std::abs(grad.W(l).data()[i] - gw[i]) / (1e-9 + std::abs(gw[i])));
            for (std::size_t i = 0; i < gb.size(); ++i) worst = std::max(worst, std::abs(grad.b(l)[Eigen::Index(i)] - gb[i]) / (1e-9 + std::abs(gb[i])));
        }
        // Eigen's double erf (GELU) is accurate to ~1e-7 relative, the rest to rounding.
        const double tolerance = act == "gelu" ? 1e-6 : 1e-10;
        QVERIFY2(worst < tolerance, qPrintable(QString("%1: worst relative gradient difference %2").arg(name.c_str()).arg(worst)));
        ++cases;
    };
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        if (line.rfind("case ", 0) == 0) {
            if (!config.empty()) run_case();
            config = line;
            rows.clear();
            continue;
        }
        std::istringstream ls(line);
        std::string key;
        ls >> key;
        std::vector<double> values;
        for (double v; ls >> v;) values.push_back(v);
        rows[key] = values;
    }
    if (!config.empty()) run_case();
    QCOMPARE(cases, 5);
}

void TestAutoencoder::loss_decreases_and_blobs_separate() {
    std::vector<int> labels;
    const std::int64_t n = 600;
    const int d = 20;
    const auto X = unit_blobs(n, d, 3, 11, &labels);
    Options o;
    o.epochs = 30;
    o.batch_size = 32;
    o.hidden = std::vector<int>{32, 16};
    o.validation_fraction = 0.1;
    auto s = initialize(X.data(), n, d, o);
    QVERIFY(s.sigmoid_output());  // data in [0, 1]: the automatic output is the sigmoid
    QVERIFY(std::isnan(s.loss()));
    s.run_epochs(1);
    const double first = s.history().front().train_loss;
    s.run_steps(s.max_steps());
    QVERIFY(s.finished());
    QCOMPARE(s.epoch(), 30);
    QCOMPARE(int(s.history().size()), 30);
    const double last = s.history().back().train_loss;
    QVERIFY2(last < 0.25 * first, qPrintable(QString("loss %1 -> %2").arg(first).arg(last)));
    QVERIFY(s.history().back().validation_loss < 2.0 * last);
    QVERIFY(s.history().back().seconds > 0.0);
    // The codes of each blob sit together, far from the others: nearest centroid = own blob.
    const Model m = s.model();
    const auto codes = m.encode(X.data(), n);
    double cx[3][2] = {};
    int count[3] = {};
    for (std::int64_t i = 0; i < n; ++i) {
        cx[labels[std::size_t(i)]][0] += codes[std::size_t(2 * i)];
        cx[labels[std::size_t(i)]][1] += codes[std::size_t(2 * i + 1)];
        ++count[labels[std::size_t(i)]];
    }
    for (int c = 0; c < 3; ++c) cx[c][0] /= count[c], cx[c][1] /= count[c];
    int wrong = 0;
    for (std::int64_t i = 0; i < n; ++i) {
        int best = 0;
        double bd = 1e300;
        for (int c = 0; c < 3; ++c) {
            const double dd = std::pow(codes[std::size_t(2 * i)] - cx[c][0], 2) + std::pow(codes[std::size_t(2 * i + 1)] - cx[c][1], 2);
            if (dd < bd) bd = dd, best = c;
        }
        wrong += best != labels[std::size_t(i)];
    }
    QCOMPARE(wrong, 0);
    // Reconstruction error well below the data's own variance around its mean.
    QVERIFY(m.reconstruction_mse(X.data(), n) < 0.01);
}

void TestAutoencoder::linear_autoencoder_spans_pca_subspace() {
    // Gaussian data with standard deviations 5, 4, 3 in a random rotation of 6-D, plus small ones:
    // a linear autoencoder with code size 3 must span the top-3 principal subspace of the sample.
    const std::int64_t n = 2000;
    const int d = 6, k = 3;
    Rng rng(3);
    Eigen::MatrixXd R = Eigen::MatrixXd::NullaryExpr(d, d, [&] { return rng.normal(); });
    R = Eigen::HouseholderQR<Eigen::MatrixXd>(R).householderQ();
    const double sd[d] = {5, 4, 3, 0.3, 0.2, 0.1};
    std::vector<float> X(std::size_t(n * d));
    Eigen::MatrixXd Xd(n, d);
    for (std::int64_t i = 0; i < n; ++i) {
        Eigen::VectorXd z(d);
        for (int j = 0; j < d; ++j) z[j] = sd[j] * rng.normal();
        const Eigen::VectorXd x = R * z + Eigen::VectorXd::Constant(d, 2.0);
        for (int j = 0; j < d; ++j) X[std::size_t(i * d + j)] = float(x[j]), Xd(i, j) = double(float(x[j]));
    }
    Options o;
    o.latent_dims = k;
    o.hidden = std::vector<int>{};
    o.activation = Activation::Linear;
    o.epochs = 60;
    o.batch_size = 64;
    o.learning_rate = 1e-2;
    o.validation_fraction = 0.0;
    auto s = initialize(X.data(), n, d, o);
    QVERIFY(!s.sigmoid_output());
    s.run_steps(s.max_steps());
    const Model m = s.model();
    QCOMPARE(int(m.layers.size()), 2);

    // The reference subspace: top-3 eigenvectors of the sample covariance (Eigen's solver).
    const Eigen::MatrixXd C = (Xd.rowwise() - Xd.colwise().mean()).transpose() * (Xd.rowwise() - Xd.colwise().mean()) / double(n - 1);
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(C);
    const Eigen::MatrixXd top = eig.eigenvectors().rightCols(k);
    // The decoder's columns span the autoencoder's subspace.
    const auto& dec = m.layers[1];
    Eigen::MatrixXd D(d, k);
    for (int c = 0; c < k; ++c)
        for (int r = 0; r < d; ++r) D(r, c) = dec.weights[std::size_t(r + c * d)];
    const Eigen::MatrixXd Q = Eigen::HouseholderQR<Eigen::MatrixXd>(D).householderQ() * Eigen::MatrixXd::Identity(d, k);
    const Eigen::VectorXd cosines = Eigen::JacobiSVD<Eigen::MatrixXd>(top.transpose() * Q).singularValues();
    const double largest_angle = std::acos(std::min(1.0, cosines.minCoeff())) * 180.0 / M_PI;
    QVERIFY2(largest_angle < 1.0, qPrintable(QString("largest principal angle %1 degrees").arg(largest_angle)));
    // And its error is the variance PCA leaves out (0.3^2 + 0.2^2 + 0.1^2) / 6 = 0.0233.
    const double mse = m.reconstruction_mse(X.data(), n);
    const double left_out = (eig.eigenvalues()[0] + eig.eigenvalues()[1] + eig.eigenvalues()[2]) * double(n - 1) / double(n) / d;
    QVERIFY2(std::abs(mse - left_out) < 0.05 * left_out, qPrintable(QString("mse %1, PCA %2").arg(mse).arg(left_out)));
}

void TestAutoencoder::chunked_equals_single_run_data() {
    QTest::addColumn<bool>("variational");
    QTest::newRow("autoencoder") << false;
    QTest::newRow("vae") << true;
}

void TestAutoencoder::chunked_equals_single_run() {
    QFETCH(bool, variational);
    const std::int64_t n = 300;
    const int d = 12;
    const auto X = unit_blobs(n, d, 4, 5);
    Options o;
    o.variational = variational;
    o.epochs = 4;
    o.batch_size = 25;
    o.hidden = std::vector<int>{16};
    o.activation = Activation::Gelu;
    auto one = initialize(X.data(), n, d, o);
    one.run_steps(one.max_steps());
    auto chunked = initialize(X.data(), n, d, o);
    while (!chunked.finished()) chunked.run_steps(chunked.step() + 7);
    QCOMPARE(chunked.step(), one.step());
    QVERIFY(same_weights(one.model(), chunked.model()));
    QCOMPARE(one.history().back().validation_loss, chunked.history().back().validation_loss);
    // By epochs too.
    auto epochs = initialize(X.data(), n, d, o);
    epochs.run_epochs(1);
    epochs.run_epochs(3);
    epochs.run_epochs(100);
    QVERIFY(same_weights(one.model(), epochs.model()));
    // A different seed gives a different network.
    o.seed = 43;
    auto other = initialize(X.data(), n, d, o);
    other.run_steps(other.max_steps());
    QVERIFY(!same_weights(one.model(), other.model()));
}

void TestAutoencoder::thread_count_does_not_change_result() {
    // Big enough that each product is split into several tiles shared by the threads.
    const std::int64_t n = 700;
    const int d = 200;
    const auto X = unit_blobs(n, d, 5, 9);
    Options o;
    o.epochs = 2;
    o.hidden = std::vector<int>{256, 64};
    o.variational = true;
    QVERIFY(internal::tiles_for(256, 256.0 * 200 * 256).count > 1);
    const int before = parallel::max_threads();
    parallel::set_max_threads(2);
    QCOMPARE(parallel::threads_in_region(), 2);
    auto two = initialize(X.data(), n, d, o);
    two.run_steps(two.max_steps());
    const auto codes2 = two.model().encode(X.data(), n);
    parallel::set_max_threads(1);
    auto one = initialize(X.data(), n, d, o);
    one.run_steps(one.max_steps());
    const auto codes1 = one.model().encode(X.data(), n);
    parallel::set_max_threads(before);
    QVERIFY(same_weights(one.model(), two.model()));
    QVERIFY(codes1 == codes2);
}

void TestAutoencoder::vae_codes_are_means_near_standard_normal() {
    const std::int64_t n = 800;
    const int d = 16;
    const auto X = unit_blobs(n, d, 4, 21);
    Options o;
    o.variational = true;
    o.epochs = 25;
    o.batch_size = 32;
    o.hidden = std::vector<int>{32};
    auto s = initialize(X.data(), n, d, o);
    s.run_steps(s.max_steps());
    const Model m = s.model();
    QCOMPARE(m.layers[std::size_t(m.encoder_layers() - 1)].out, 4);  // mean and log-variance
    const auto codes = m.encode(X.data(), n);
    QCOMPARE(codes.size(), std::size_t(n * 2));
    // The codes are the encoder's means: its first L outputs.
    internal::Workspace<float> ws;
    const internal::Architecture arch = internal::architecture_of(m);
    const internal::Params<float> p = internal::params_of(m, arch);
    const Eigen::Map<const Mat<float>> x0(X.data(), d, 1);
    internal::forward<float>(arch, p, 0, arch.encoder_layers, x0, ws);
    QCOMPARE(codes[0], ws.A[arch.encoder_layers - 1](0, 0));
    QCOMPARE(codes[1], ws.A[arch.encoder_layers - 1](1, 0));
    // The KL term keeps the aggregate code near N(0, I).
    for (int c = 0; c < 2; ++c) {
        double mean = 0, sq = 0;
        for (std::int64_t i = 0; i < n; ++i) mean += codes[std::size_t(2 * i + c)];
        mean /= double(n);
        for (std::int64_t i = 0; i < n; ++i) sq += std::pow(codes[std::size_t(2 * i + c)] - mean, 2);
        const double sd = std::sqrt(sq / double(n));
        QVERIFY2(std::abs(mean) < 0.5 && sd < 2.0, qPrintable(QString("code %1: mean %2 sd %3").arg(c).arg(mean).arg(sd)));
    }
    // Decoding gives values in (0, 1) of the right shape.
    const auto out = m.decode(codes.data(), 3);
    QCOMPARE(out.size(), std::size_t(3 * d));
    for (float v : out) QVERIFY(v > 0.0f && v < 1.0f);
}

void TestAutoencoder::save_load_round_trip() {
    const std::int64_t n = 200;
    const int d = 10;
    const auto X = unit_blobs(n, d, 3, 4);
    for (bool vae : {false, true}) {
        Options o;
        o.variational = vae;
        o.standardize = vae;  // both with and without the scaling arrays
        o.activation = vae ? Activation::Tanh : Activation::Relu;
        o.epochs = 3;
        o.hidden = std::vector<int>{8, 4};
        auto s = initialize(X.data(), n, d, o);
        s.run_steps(s.max_steps());
        const Model m = s.model();
        QTemporaryDir dir;
        const std::string path = dir.filePath("model.lsae").toStdString();
        m.save(path);
        const Model back = Model::load(path);
        QCOMPARE(back.input_dims, d);
        QCOMPARE(back.latent_dims, 2);
        QCOMPARE(back.variational, vae);
        QCOMPARE(back.activation, o.activation);
        QCOMPARE(back.hidden, (std::vector<int>{8, 4}));
        QCOMPARE(back.mean, m.mean);
        QCOMPARE(back.scale, m.scale);
        QVERIFY(same_weights(m, back));
        const auto codes = m.encode(X.data(), n);
        QVERIFY(back.encode(X.data(), n) == codes);
        QVERIFY(back.decode(codes.data(), n) == m.decode(codes.data(), n));
        QCOMPARE(back.parameter_count(), m.parameter_count());
    }
}

void TestAutoencoder::codes_do_not_depend_on_the_rows_passed_with_them() {
    const std::int64_t n = 600;
    const int d = 40;
    const auto X = unit_blobs(n, d, 3, 31);
    for (Activation a : {Activation::Relu, Activation::Gelu}) {
        Options o;
        o.activation = a;
        o.variational = a == Activation::Gelu;
        o.epochs = 2;
        o.hidden = std::vector<int>{64, 16};
        auto s = initialize(X.data(), n, d, o);
        s.run_steps(s.max_steps());
        const Model m = s.model();
        const auto all = m.encode(X.data(), n);
        const auto decoded = m.decode(all.data(), n);
        // One pass for codes and error (run_to_end, the CLI): the same bits as the two calls.
        double mse = -1.0;
        QVERIFY(m.encode_and_score(X.data(), n, mse) == all);
        QCOMPARE(mse, m.reconstruction_mse(X.data(), n));
        // One row at a time, and blocks of 7 starting anywhere: the same bits.
        for (std::int64_t i : {std::int64_t(0), std::int64_t(17), std::int64_t(255), std::int64_t(256), std::int64_t(599)}) {
            const auto one = m.encode(X.data() + i * d, 1);
            QCOMPARE(one[0], all[std::size_t(2 * i)]);
            QCOMPARE(one[1], all[std::size_t(2 * i + 1)]);
            const auto back = m.decode(one.data(), 1);
            for (int j = 0; j < d; ++j) QCOMPARE(back[std::size_t(j)], decoded[std::size_t(i * d + j)]);
        }
        for (std::int64_t r0 = 3; r0 + 7 <= n; r0 += 97) {
            const auto block = m.encode(X.data() + r0 * d, 7);
            QVERIFY(std::equal(block.begin(), block.end(), all.begin() + r0 * 2));
        }
    }
}

void TestAutoencoder::input_scale_for_8bit_images() {
    // 8-bit "pixels": training on them with input scale 255 is training on pixels / 255.
    const std::int64_t n = 300;
    const int d = 16;
    auto unit = unit_blobs(n, d, 3, 41);
    std::vector<float> bytes(unit.size());
    for (std::size_t i = 0; i < unit.size(); ++i) bytes[i] = std::round(unit[i] * 255.0f);
    for (std::size_t i = 0; i < unit.size(); ++i) unit[i] = bytes[i] / 255.0f;
    QCOMPARE(suggested_input_scale(bytes.data(), n, d, true), 255.0);
    QCOMPARE(suggested_input_scale(bytes.data(), n, d, false), 1.0);  // not images: left alone
    QCOMPARE(suggested_input_scale(unit.data(), n, d, true), 1.0);    // already in [0, 1]
    auto negative = bytes;
    negative[3] = -1.0f;
    QCOMPARE(suggested_input_scale(negative.data(), n, d, true), 1.0);

    Options o;
    o.epochs = 3;
    o.hidden = std::vector<int>{32};
    auto plain = initialize(unit.data(), n, d, o);
    plain.run_steps(plain.max_steps());
    o.input_scale = 255.0;
    auto scaled = initialize(bytes.data(), n, d, o);
    QVERIFY(scaled.sigmoid_output());  // 0..255 / 255 lies in [0, 1]
    scaled.run_steps(scaled.max_steps());
    QVERIFY(same_weights(plain.model(), scaled.model()));
    const Model m = scaled.model();
    QCOMPARE(m.scale.front(), 255.0f);
    QCOMPARE(m.mean.front(), 0.0f);
    const auto codes = m.encode(bytes.data(), n);
    QVERIFY(codes == plain.model().encode(unit.data(), n));
    // Decoded in the data's units: 0..255.
    const auto out = m.decode(codes.data(), 1);
    const auto ref = plain.model().decode(codes.data(), 1);
    for (int j = 0; j < d; ++j) QCOMPARE(out[std::size_t(j)], ref[std::size_t(j)] * 255.0f);
    // Kept by the model file.
    QTemporaryDir dir;
    const std::string path = dir.filePath("scaled.lsae").toStdString();
    m.save(path);
    QVERIFY(Model::load(path).encode(bytes.data(), n) == codes);
    // Values beyond the scale are named.
    bytes[5] = 300.0f;
    o.output = Output::Sigmoid;
    expect_invalid(bytes, n, d, o, "row 1, column 6 is 300 (input scale 255)");
    o.input_scale = 0;
    expect_invalid(bytes, n, d, o, "input scale (0)");
}

void TestAutoencoder::standardized_reconstruction_in_data_units() {
    // Columns far from [0, 1] with very different scales; code size = d, so the identity is
    // learnable: reconstruction is near perfect in the data's own units.
    const std::int64_t n = 500;
    const int d = 3;
    Rng rng(8);
    std::vector<float> X(std::size_t(n * d));
    for (std::int64_t i = 0; i < n; ++i) {
        X[std::size_t(i * d)] = float(1000.0 + 50.0 * rng.normal());
        X[std::size_t(i * d + 1)] = float(0.001 * rng.normal());
        X[std::size_t(i * d + 2)] = 7.0f;  // constant: scale 1, not a division by zero
    }
    Options o;
    o.standardize = true;
    o.latent_dims = 3;
    o.hidden = std::vector<int>{};
    o.activation = Activation::Linear;
    o.epochs = 80;
    o.batch_size = 50;
    o.learning_rate = 1e-2;
    auto s = initialize(X.data(), n, d, o);
    QVERIFY(!s.sigmoid_output());
    s.run_steps(s.max_steps());
    const Model m = s.model();
    QCOMPARE(m.scale[2], 1.0f);
    const auto back = m.decode(m.encode(X.data(), 1).data(), 1);
    QVERIFY2(std::abs(back[0] - X[0]) < 1.0, qPrintable(QString("%1 vs %2").arg(back[0]).arg(X[0])));
    QVERIFY(std::abs(back[2] - 7.0f) < 1e-3);
}

// Issue 15: a model of log1p-preprocessed features that takes raw rows. Its codes are those of
// the same network given log1p(x); its decoded values are expm1 of the network's; the flag
// survives the file; a value <= -1 is refused naming the row and column.
void TestAutoencoder::log1p_input_model() {
    const std::int64_t n = 120;
    const int d = 6;
    std::vector<float> raw = unit_blobs(n, d, 3, 5);
    for (float& v : raw) v = std::exp(3.0f * std::abs(v));  // positive, skewed: counts-like
    std::vector<float> logged(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) logged[i] = std::log1p(raw[i]);
    Options o;
    o.epochs = 2;
    o.hidden = std::vector<int>{8};
    o.standardize = true;
    auto s = initialize(logged.data(), n, d, o);
    s.run_steps(s.max_steps());
    const Model plain = s.model();
    Model m = plain;
    m.log1p_input = true;
    const auto codes = m.encode(raw.data(), n);
    // Eigen's vectorised log1p may differ from std::log1p in the last bit.
    const auto plainCodes = plain.encode(logged.data(), n);
    for (std::size_t i = 0; i < codes.size(); ++i)
        QVERIFY2(std::abs(codes[i] - plainCodes[i]) <= 1e-5f * (1.0f + std::abs(codes[i])), qPrintable(QString::number(i)));
    const auto decodedPlain = plain.decode(codes.data(), n);
    const auto decoded = m.decode(codes.data(), n);
    for (std::size_t i = 0; i < decoded.size(); ++i)
        QVERIFY2(std::abs(decoded[i] - std::expm1(decodedPlain[i])) <= 1e-5f * (1.0f + std::abs(decoded[i])), qPrintable(QString::number(i)));
    // Reconstruction errors in raw units: against expm1 of the plain decode of the plain code.
    const auto errors = m.reconstruction_errors(raw.data(), n);
    double e0 = 0.0;
    for (int j = 0; j < d; ++j) e0 += std::pow(double(std::expm1(decodedPlain[std::size_t(j)])) - raw[std::size_t(j)], 2.0);
    QVERIFY2(std::abs(errors[0] - e0 / d) <= 1e-4 * (1.0 + e0 / d), qPrintable(QString("%1 vs %2").arg(errors[0]).arg(e0 / d)));
    QTemporaryDir dir;
    const std::string path = dir.filePath("log1p.lsae").toStdString();
    m.save(path);
    const Model back = Model::load(path);
    QVERIFY(back.log1p_input);
    QVERIFY(back.encode(raw.data(), n) == codes);
    plain.save(path);
    QVERIFY(!Model::load(path).log1p_input);
    std::vector<float> bad(raw.begin(), raw.begin() + 2 * d);
    bad[std::size_t(d) + 3] = -1.0f;
    try {
        m.encode(bad.data(), 2);
        QFAIL("a value of -1 was encoded through log1p");
    } catch (const std::invalid_argument& e) {
        const QString what = QString::fromUtf8(e.what());
        QVERIFY2(what.contains("row 2, column 4") && what.contains("above -1"), e.what());
    }
}

void TestAutoencoder::early_stopping_on_held_out_rows() {
    // Noise has nothing to generalise: a large network over-fits and the held-out loss soon
    // stops improving.
    const std::int64_t n = 60;
    const int d = 30;
    Rng rng(2);
    std::vector<float> X(std::size_t(n * d));
    for (float& v : X) v = float(rng.uniform());
    Options o;
    o.epochs = 500;
    o.batch_size = 8;
    o.hidden = std::vector<int>{256, 128};
    o.learning_rate = 3e-3;
    o.validation_fraction = 0.25;
    o.patience = 3;
    auto s = initialize(X.data(), n, d, o);
    QCOMPARE(s.validation_rows(), std::int64_t(15));
    QCOMPARE(s.training_rows(), std::int64_t(45));
    s.run_steps(s.max_steps());
    QVERIFY(s.stopped_early());
    QVERIFY(s.finished());
    QVERIFY(s.epoch() < 500);
    QCOMPARE(s.step(), std::int64_t(s.epoch()) * s.steps_per_epoch());
    // The last `patience` epochs did not beat the best one before them.
    const auto& h = s.history();
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t e = 0; e + 3 < h.size(); ++e) best = std::min(best, h[e].validation_loss);
    for (std::size_t e = h.size() - 3; e < h.size(); ++e) QVERIFY(h[e].validation_loss >= best);
}

void TestAutoencoder::bad_options_and_data() {
    const auto X = unit_blobs(50, 4, 2, 1);
    Options o;
    o.hidden = std::vector<int>{8, 0};
    expect_invalid(X, 50, 4, o, "hidden layer 2 has 0 units");
    o.hidden = std::vector<int>{-3};
    expect_invalid(X, 50, 4, o, "hidden layer 1 has -3 units");
    o = {};
    expect_invalid(X, 0, 4, o, "at least 2 rows, got 0");
    expect_invalid({}, 0, 4, o, "at least 2 rows");
    expect_invalid(X, 50, 0, o, "at least 1 column");
    o.latent_dims = 0;
    expect_invalid(X, 50, 4, o, "latent dimensions (0)");
    o = {};
    o.learning_rate = -1;
    expect_invalid(X, 50, 4, o, "learning rate (-1)");
    o = {};
    o.batch_size = 0;
    expect_invalid(X, 50, 4, o, "batch size (0)");
    o = {};
    o.validation_fraction = 0.9;
    expect_invalid(X, 50, 4, o, "held-out fraction (0.9)");
    o = {};
    o.validation_fraction = 0;
    o.patience = 2;
    expect_invalid(X, 50, 4, o, "needs held-out rows");
    o = {};
    o.adam_beta1 = 1.0;
    expect_invalid(X, 50, 4, o, "beta1 (1)");

    auto nan = X;
    nan[std::size_t(7 * 4 + 2)] = std::numeric_limits<float>::quiet_NaN();
    expect_invalid(nan, 50, 4, {}, "row 8, column 3 is NaN");
    auto inf = X;
    inf[5] = std::numeric_limits<float>::infinity();
    expect_invalid(inf, 50, 4, {}, "row 2, column 2 is infinite");

    auto wide = X;
    wide[std::size_t(3 * 4)] = 2.5f;
    o = {};
    o.loss = Loss::Bce;
    expect_invalid(wide, 50, 4, o, "bce loss needs values in [0, 1]; row 4, column 1 is 2.5");
    o = {};
    o.output = Output::Sigmoid;
    expect_invalid(wide, 50, 4, o, "sigmoid output only reaches (0, 1); row 4, column 1");
    o = {};
    o.standardize = true;
    o.output = Output::Sigmoid;
    expect_invalid(X, 50, 4, o, "cannot reach standardised values");
    // The automatic output is linear for data outside [0, 1].
    auto s = initialize(wide.data(), 50, 4, {});
    QVERIFY(!s.sigmoid_output());

    // Encoding rows with a NaN names the row.
    const Model m = s.model();
    try {
        m.encode(nan.data(), 50);
        QFAIL("no error");
    } catch (const std::invalid_argument& e) {
        QVERIFY2(std::string(e.what()).find("row 8, column 3 is NaN") != std::string::npos, e.what());
    }
    // An absurd network fails early with a clear message instead of thrashing.
    o = {};
    o.hidden = std::vector<int>{65536, 65536, 65536, 65536, 65536, 65536, 65536, 65536};
    try {
        initialize(X.data(), 50, 4, o);
        QFAIL("no error");
    } catch (const std::runtime_error& e) {
        QVERIFY2(std::string(e.what()).find("does not fit in memory") != std::string::npos, e.what());
    }
    // Numbers that would not survive the conversion to float.
    o = {};
    o.adam_epsilon = 1e-300;
    expect_invalid(X, 50, 4, o, "Adam epsilon (1e-300)");
    o = {};
    o.input_scale = 1e-50;
    expect_invalid(X, 50, 4, o, "input scale (1e-50)");
    o = {};
    o.learning_rate = 1e300;
    expect_invalid(X, 50, 4, o, "learning rate (1e+300)");
    o = {};
    o.standardize = true;
    o.input_scale = 255;
    expect_invalid(X, 50, 4, o, "exclude each other");
    QCOMPARE(parse_activation("gelu"), Activation::Gelu);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parse_activation("swish"));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parse_loss("l1"));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parse_output("softmax"));
}

void TestAutoencoder::bad_model_files() {
    const auto X = unit_blobs(50, 4, 2, 1);
    Options o;
    o.epochs = 1;
    auto s = initialize(X.data(), 50, 4, o);
    QTemporaryDir dir;
    const std::string good = dir.filePath("m.lsae").toStdString();
    s.model().save(good);
    std::string bytes;
    {
        std::ifstream in(good, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    auto write = [&](const std::string& name, const std::string& content) {
        const std::string path = dir.filePath(QString::fromStdString(name)).toStdString();
        std::ofstream(path, std::ios::binary) << content;
        return path;
    };
    expect_load_error(write("garbage.lsae", "hello, this is not a model at all"), "not a Latentscape autoencoder model");
    expect_load_error(write("cut.lsae", bytes.substr(0, bytes.size() - 10)), "(truncated)");
    expect_load_error(write("header.lsae", bytes.substr(0, 20)), "truncated autoencoder model");
    expect_load_error(write("long.lsae", bytes + "xx"), "(trailing bytes)");
    std::string future = bytes;
    future[8] = 9;
    expect_load_error(write("future.lsae", future), "format version 9 is not supported");
    // Version 0 was never written: a damaged file, not one from a newer Latentscape.
    std::string zero = bytes;
    zero[8] = 0;
    expect_load_error(write("zero.lsae", zero), "model format version 0 is invalid");
    try {
        Model::load(write("zero2.lsae", zero));
    } catch (const LoadError& e) {
        QVERIFY2(std::string(e.what()).find("newer") == std::string::npos, e.what());
    }
    // Not regular files: refused at once (a FIFO would block the open until a writer comes, and
    // /dev/zero would be read forever), each named.
    const std::string fifo = dir.filePath("pipe.lsae").toStdString();
    QCOMPARE(::mkfifo(fifo.c_str(), 0600), 0);
    expect_load_error(fifo, "is a FIFO (named pipe), not a regular file");
    expect_load_error("/dev/zero", "is a character device, not a regular file");
    expect_load_error(dir.path().toStdString(), "is a directory, not a file");
    const std::string loop = dir.filePath("loop.lsae").toStdString();
    QCOMPARE(::symlink(loop.c_str(), loop.c_str()), 0);
    expect_load_error(loop, "symbolic link loop");
    std::string nan = bytes;
    const float q = std::numeric_limits<float>::quiet_NaN();
    std::memcpy(nan.data() + bytes.size() - 4, &q, 4);
    expect_load_error(write("nan.lsae", nan), "non-finite");
    std::string act = bytes;
    act[24] = 7;
    expect_load_error(write("act.lsae", act), "unknown activation code 7");
    // A weight far beyond anything trained (it would overflow the products) is refused.
    std::string huge = bytes;
    const float big = 3e38f;
    std::memcpy(huge.data() + bytes.size() - 8, &big, 4);
    expect_load_error(write("huge.lsae", huge), "beyond 1e30");
    // gzip is never read: the header is looked at before anything is inflated.
    expect_load_error(write("gz.lsae", std::string("\x1f\x8b\x08\x00", 4) + bytes), "a gzip file");
    // A scale that would turn the inputs into infinities.
    {
        Options so;
        so.epochs = 1;
        so.input_scale = 255.0;
        auto scaled = initialize(X.data(), 50, 4, so);
        const std::string p = dir.filePath("scaled.lsae").toStdString();
        scaled.model().save(p);
        std::string tiny;
        {
            std::ifstream in(p, std::ios::binary);
            tiny.assign(std::istreambuf_iterator<char>(in), {});
        }
        const float denormal = 1e-45f;
        std::memcpy(tiny.data() + 32 + 4 * 2 + 4 * 4, &denormal, 4);  // after 2 hidden sizes and 4 means
        expect_load_error(write("tiny.lsae", tiny), "outside [1e-30, 1e30]");
    }
    // A network that overflows on real input names the row instead of writing NaN codes.
    Model overflow = s.model();
    for (float& w : overflow.layers.front().weights) w = 1e30f;
    for (float& w : overflow.layers[1].weights) w = 1e30f;
    std::vector<float> big_input(4, 1e9f);
    try {
        overflow.encode(big_input.data(), 1);
        QFAIL("no error");
    } catch (const std::runtime_error& e) {
        QVERIFY2(std::string(e.what()).find("row 1 is not finite") != std::string::npos, e.what());
    }
    expect_load_error(dir.filePath("missing.lsae").toStdString(), "missing.lsae");
}

QTEST_GUILESS_MAIN(TestAutoencoder)
#include "tst_autoencoder.moc"
