// The GAN: finite-difference checks of both losses' gradients (in double, through the code that
// trains in float), learning a known 2-D distribution, determinism (chunks, threads), the model
// file, bad options; and the precision/recall/coverage metrics against a plain reference.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"  // GCC bug 105593
#endif
#include "common/error.h"
#include "common/parallel.h"
#include "common/rng.h"
#include "metrics/generative.h"
#include "reduce/gan.h"
#include "reduce/gan_internal.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace latentscape;
using namespace latentscape::reduce;
using namespace latentscape::reduce::gan;
namespace ae = latentscape::reduce::autoencoder::internal;

namespace {

/// Two Gaussian blobs in the plane, at (-2, 0) and (2, 0), sd 0.3: a bimodal target a generator
/// must cover both halves of.
std::vector<float> two_blobs(std::int64_t n, std::uint64_t seed) {
    Rng rng(seed);
    std::vector<float> X(std::size_t(n * 2));
    for (std::int64_t i = 0; i < n; ++i) {
        X[std::size_t(2 * i)] = float((i % 2 ? 2.0 : -2.0) + 0.3 * rng.normal());
        X[std::size_t(2 * i + 1)] = float(0.3 * rng.normal());
    }
    return X;
}

bool same_layers(const std::vector<Model::Layer>& a, const std::vector<Model::Layer>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t l = 0; l < a.size(); ++l)
        if (a[l].weights != b[l].weights || a[l].bias != b[l].bias) return false;
    return true;
}
bool same_model(const Model& a, const Model& b) {
    return same_layers(a.generator, b.generator) && same_layers(a.discriminator, b.discriminator) && a.mean == b.mean &&
           a.scale == b.scale && a.sigmoid_output == b.sigmoid_output;
}

template <class Fn>
void expect_error(Fn&& fn, const char* part) {
    try {
        fn();
        QFAIL(qPrintable(QString("no error; expected one mentioning '%1'").arg(part)));
    } catch (const std::exception& e) {
        QVERIFY2(std::string(e.what()).find(part) != std::string::npos, e.what());
    }
}

/// Worst relative error between finite differences of `loss` and the analytic gradient `grad`
/// over every parameter of `p`.
template <class Loss>
double worst_gradient_error(ae::Params<double>& p, const ae::Params<double>& grad, const ae::Architecture& arch, Loss&& loss,
                            int& checked) {
    const double h = 1e-6;
    double worst = 0.0;
    for (int l = 0; l < arch.layers(); ++l) {
        auto check = [&](double& value, double analytic) {
            const double saved = value;
            value = saved + h;
            const double up = loss();
            value = saved - h;
            const double down = loss();
            value = saved;
            const double numeric = (up - down) / (2 * h);
            worst = std::max(worst, std::abs(numeric - analytic) / std::max(1e-4, std::abs(numeric) + std::abs(analytic)));
            ++checked;
        };
        for (Eigen::Index i = 0; i < p.W(l).size(); ++i) check(p.W(l).data()[i], grad.W(l).data()[i]);
        for (Eigen::Index i = 0; i < p.b(l).size(); ++i) check(p.b(l)[i], grad.b(l)[i]);
    }
    return worst;
}

}  // namespace

class TestGan : public QObject {
    Q_OBJECT
private slots:
    void gradients_match_finite_differences_data();
    void gradients_match_finite_differences();
    void training_steps_match_pytorch();
    void learns_both_modes_of_two_blobs();
    void chunked_equals_single_run();
    void thread_count_does_not_change_result();
    void generated_rows_do_not_depend_on_the_batch();
    void save_load_round_trip_and_bad_files();
    void bad_options_and_data();
    void precision_recall_closed_forms();
    void precision_recall_match_a_plain_reference();
    void class_coverage_finds_a_dropped_class();
};

void TestGan::gradients_match_finite_differences_data() {
    QTest::addColumn<bool>("sigmoid");
    QTest::addColumn<int>("activation");
    QTest::newRow("relu, linear output") << false << int(autoencoder::Activation::Relu);
    QTest::newRow("gelu, sigmoid output") << true << int(autoencoder::Activation::Gelu);
    QTest::newRow("tanh, sigmoid output") << true << int(autoencoder::Activation::Tanh);
}

void TestGan::gradients_match_finite_differences() {
    QFETCH(bool, sigmoid);
    QFETCH(int, activation);
    const int d = 5, nz = 3, B = 4;
    const internal::Nets nets = internal::make_nets(d, nz, {4, 6}, {6, 3}, autoencoder::Activation(activation), sigmoid);
    QCOMPARE(nets.generator.in.front(), nz);
    QCOMPARE(nets.generator.out.back(), d);
    QCOMPARE(nets.discriminator.out.back(), 1);
    QVERIFY(nets.discriminator.act.front() == ae::Act::LeakyRelu);
    ae::Params<double> g(nets.generator), dis(nets.discriminator);
    Rng rng(11);
    for (auto* p : {&g, &dis})
        for (auto& v : p->data) v = rng.uniform(-0.8, 0.8);
    ae::Mat<double> real(d, B), z(nz, B);
    for (Eigen::Index i = 0; i < real.size(); ++i) real.data()[i] = rng.uniform(0.02, 0.98);
    for (Eigen::Index i = 0; i < z.size(); ++i) z.data()[i] = rng.normal();
    internal::StepWork<double> w;

    // The discriminator's loss over D's parameters (G(z) held fixed, G's parameters untouched).
    ae::Params<double> d_grad(nets.discriminator);
    const double d0 = internal::discriminator_loss<double>(nets, g, dis, real, z, &d_grad, w);
    QVERIFY(std::isfinite(d0) && d0 > 0.0);
    int checked = 0;
    const double worst_d = worst_gradient_error(dis, d_grad, nets.discriminator, [&] {
        return internal::discriminator_loss<double>(nets, g, dis, real, z, nullptr, w);
    }, checked);
    QVERIFY2(worst_d < 1e-5, qPrintable(QString("discriminator: worst relative error %1").arg(worst_d)));

    // The generator's loss over G's parameters, through D.
    ae::Params<double> g_grad(nets.generator);
    const double g0 = internal::generator_loss<double>(nets, g, dis, z, false, &g_grad, w);
    QVERIFY(std::isfinite(g0) && g0 > 0.0);
    const double worst_g = worst_gradient_error(g, g_grad, nets.generator, [&] {
        return internal::generator_loss<double>(nets, g, dis, z, false, nullptr, w);
    }, checked);
    QVERIFY2(worst_g < 1e-5, qPrintable(QString("generator: worst relative error %1").arg(worst_g)));
    QVERIFY(checked == 142);  // every parameter of both networks

    // Reusing G's forward pass from the discriminator's step gives the same loss and gradient.
    ae::Params<double> g_grad2(nets.generator);
    internal::discriminator_loss<double>(nets, g, dis, real, z, nullptr, w);
    QCOMPARE(internal::generator_loss<double>(nets, g, dis, z, true, &g_grad2, w), g0);
    QVERIFY(std::equal(g_grad.data.begin(), g_grad.data.end(), g_grad2.data.begin()));
}

void TestGan::training_steps_match_pytorch() {
    // Three full steps (D then G, Adam each) on one batch, against PyTorch in float64
    // (tests/data/reduce/make_gan_goldens.py, the loop of app/bench/gan_torch.py).
    std::ifstream in(std::string(LATENTSCAPE_TEST_DATA) + "/reduce/gan_goldens.txt");
    QVERIFY(in.good());
    std::vector<std::map<std::string, std::vector<double>>> blocks(1);
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') continue;
        if (line.rfind("step", 0) == 0) {
            blocks.emplace_back();
            continue;
        }
        std::istringstream ls(line);
        std::string key;
        ls >> key;
        std::vector<double> values;
        for (double v; ls >> v;) values.push_back(v);
        blocks.back()[key] = values;
    }
    QCOMPARE(blocks.size(), std::size_t(4));
    const int d = 5, nz = 3, B = 4;
    const internal::Nets nets = internal::make_nets(d, nz, {4, 6}, {6, 3}, autoencoder::Activation::Relu, true);
    ae::Params<double> g(nets.generator), dis(nets.discriminator);
    auto load = [&](const std::map<std::string, std::vector<double>>& b, const char* prefix, ae::Params<double>& p, int layers) {
        for (int l = 0; l < layers; ++l) {
            const auto& w = b.at(prefix + std::to_string(l) + "W");
            const auto& bias = b.at(prefix + std::to_string(l) + "b");
            QCOMPARE(qsizetype(w.size()), qsizetype(p.W(l).size()));
            std::copy(w.begin(), w.end(), p.W(l).data());
            std::copy(bias.begin(), bias.end(), p.b(l).data());
        }
    };
    load(blocks[0], "G", g, 3);
    load(blocks[0], "D", dis, 3);
    const ae::Mat<double> real = Eigen::Map<const ae::Mat<double>>(blocks[0].at("X").data(), d, B);
    const ae::Mat<double> z = Eigen::Map<const ae::Mat<double>>(blocks[0].at("z").data(), nz, B);
    ae::Params<double> g_grad(nets.generator), g_m(nets.generator), g_v(nets.generator);
    ae::Params<double> d_grad(nets.discriminator), d_m(nets.discriminator), d_v(nets.discriminator);
    const ae::AdamSettings adam{0.01, 0.5, 0.999, 1e-8, 0.0};
    internal::StepWork<double> w;
    auto worst = [](const ae::Params<double>& p, const std::map<std::string, std::vector<double>>& b, const char* prefix) {
        double e = 0;
        for (int l = 0; l < 3; ++l) {
            const auto& want_w = b.at(prefix + std::to_string(l) + "W");
            const auto& want_b = b.at(prefix + std::to_string(l) + "b");
            for (std::size_t i = 0; i < want_w.size(); ++i) e = std::max(e, std::abs(p.W(l).data()[i] - want_w[i]));
            for (std::size_t i = 0; i < want_b.size(); ++i) e = std::max(e, std::abs(p.b(l)[Eigen::Index(i)] - want_b[i]));
        }
        return e;
    };
    for (int step = 1; step <= 3; ++step) {
        const auto& want = blocks[std::size_t(step)];
        const double loss_d = internal::discriminator_loss<double>(nets, g, dis, real, z, &d_grad, w);
        ae::adam_update<double>(adam, step, dis, d_m, d_v, d_grad);
        const double loss_g = internal::generator_loss<double>(nets, g, dis, z, true, &g_grad, w);
        ae::adam_update<double>(adam, step, g, g_m, g_v, g_grad);
        QVERIFY2(std::abs(loss_d - want.at("loss_d")[0]) < 1e-12, qPrintable(QString("step %1: D loss %2").arg(step).arg(loss_d, 0, 'g', 17)));
        QVERIFY2(std::abs(loss_g - want.at("loss_g")[0]) < 1e-12, qPrintable(QString("step %1: G loss %2").arg(step).arg(loss_g, 0, 'g', 17)));
        const double eg = worst(g, want, "G"), ed = worst(dis, want, "D");
        QVERIFY2(eg < 1e-12 && ed < 1e-12, qPrintable(QString("step %1: parameters differ by %2 (G), %3 (D)").arg(step).arg(eg).arg(ed)));
    }
}

void TestGan::learns_both_modes_of_two_blobs() {
    const std::int64_t n = 2000;
    const auto X = two_blobs(n, 3);
    Options o;
    o.noise_dims = 4;
    o.generator_hidden = std::vector<int>{64, 64};
    o.discriminator_hidden = std::vector<int>{64, 64};
    o.epochs = 200;
    o.batch_size = 64;
    o.learning_rate = 5e-4;
    auto status = initialize(X.data(), n, 2, o);
    QCOMPARE(status.steps_per_epoch(), (n + 63) / 64);
    QVERIFY(std::isnan(status.generator_loss()));
    status.run_steps(status.max_steps());
    QVERIFY(status.finished());
    QCOMPARE(int(status.history().size()), 200);
    const Model m = status.model();
    QVERIFY(!m.sigmoid_output);  // the data leave [0, 1]: a linear output
    const std::int64_t count = 2000;
    const auto z = noise(count, 4, 7);
    const auto rows = m.generate(z.data(), count);
    // Samples land on the blobs, and both blobs get a fair share.
    std::int64_t left = 0, right = 0, near = 0;
    for (std::int64_t i = 0; i < count; ++i) {
        const double x = rows[std::size_t(2 * i)], y = rows[std::size_t(2 * i + 1)];
        (x < 0 ? left : right) += 1;
        if (std::hypot(std::abs(x) - 2.0, y) < 0.9) ++near;
    }
    const QString summary = QString("left %1 right %2 near %3 (D loss %4, G loss %5)")
                                .arg(left).arg(right).arg(near)
                                .arg(status.history().back().discriminator_loss)
                                .arg(status.history().back().generator_loss);
    QVERIFY2(left > count / 5 && right > count / 5, qPrintable(summary));
    QVERIFY2(near > count * 8 / 10, qPrintable(summary));
    // The metrics agree: generated rows are realistic and cover the real ones.
    const auto pr = metrics::precision_recall(X.data(), n, rows.data(), count, 2, 3);
    qInfo("%s, precision %.3f, recall %.3f", qPrintable(summary), pr.precision, pr.recall);
    QVERIFY2(pr.precision > 0.7 && pr.recall > 0.6, qPrintable(summary + QString(" P %1 R %2").arg(pr.precision).arg(pr.recall)));
    // The discriminator scores real rows in (0, 1).
    const auto scores = m.discriminate(X.data(), 10);
    for (float s : scores) QVERIFY(s > 0.0f && s < 1.0f);
}

void TestGan::chunked_equals_single_run() {
    const std::int64_t n = 300;
    const auto X = two_blobs(n, 5);
    Options o;
    o.generator_hidden = std::vector<int>{16};
    o.discriminator_hidden = std::vector<int>{16};
    o.epochs = 3;
    o.batch_size = 25;
    auto one = initialize(X.data(), n, 2, o);
    one.run_steps(one.max_steps());
    auto chunked = initialize(X.data(), n, 2, o);
    while (!chunked.finished()) chunked.run_steps(chunked.step() + 7);
    QVERIFY(same_model(one.model(), chunked.model()));
    QCOMPARE(one.history().back().generator_loss, chunked.history().back().generator_loss);
    auto epochs = initialize(X.data(), n, 2, o);
    epochs.run_epochs(1);
    epochs.run_epochs(100);
    QVERIFY(same_model(one.model(), epochs.model()));
    o.seed = 43;
    auto other = initialize(X.data(), n, 2, o);
    other.run_steps(other.max_steps());
    QVERIFY(!same_model(one.model(), other.model()));
}

void TestGan::thread_count_does_not_change_result() {
    // Wide enough that products split into several tiles shared by the threads.
    const std::int64_t n = 600;
    const int d = 200;
    std::vector<float> X(std::size_t(n * d));
    Rng rng(9);
    for (auto& v : X) v = float(rng.uniform());
    Options o;
    o.epochs = 1;
    o.batch_size = 128;
    o.noise_dims = 8;
    o.generator_hidden = std::vector<int>{64, 256};
    o.discriminator_hidden = std::vector<int>{256, 64};
    const int before = parallel::max_threads();
    parallel::set_max_threads(2);
    QCOMPARE(parallel::threads_in_region(), 2);
    auto two = initialize(X.data(), n, d, o);
    two.run_steps(two.max_steps());
    parallel::set_max_threads(1);
    auto one = initialize(X.data(), n, d, o);
    one.run_steps(one.max_steps());
    parallel::set_max_threads(before);
    QVERIFY(one.model().sigmoid_output);
    QVERIFY(same_model(one.model(), two.model()));
}

void TestGan::generated_rows_do_not_depend_on_the_batch() {
    const std::int64_t n = 200;
    const auto X = two_blobs(n, 1);
    Options o;
    o.epochs = 2;
    o.noise_dims = 3;
    auto s = initialize(X.data(), n, 2, o);
    s.run_steps(s.max_steps());
    const Model m = s.model();
    const auto z = noise(700, 3, 5);
    // Row i of the noise depends on the seed and i only.
    const auto z_short = noise(10, 3, 5);
    QVERIFY(std::equal(z_short.begin(), z_short.end(), z.begin()));
    const auto all = m.generate(z.data(), 700);
    const auto alone = m.generate(z.data() + 3 * 400, 1);
    QCOMPARE(alone[0], all[800]);
    QCOMPARE(alone[1], all[801]);
    // A straight line in noise space, ends included.
    const auto line = interpolate({0.f, 0.f, 0.f}, {1.f, 2.f, 4.f}, 5);
    QCOMPARE(line.size(), std::size_t(15));
    QCOMPARE(line[3 * 2 + 2], 2.0f);
    QCOMPARE(line[3 * 4 + 1], 2.0f);
}

void TestGan::save_load_round_trip_and_bad_files() {
    const std::int64_t n = 200;
    std::vector<float> X(std::size_t(n * 6));
    Rng rng(2);
    for (auto& v : X) v = float(rng.uniform(0.0, 255.0));
    Options o;
    o.epochs = 1;
    o.input_scale = 255.0;
    auto s = initialize(X.data(), n, 6, o);
    s.run_steps(s.max_steps());
    const Model m = s.model();
    QVERIFY(m.sigmoid_output);
    QCOMPARE(m.scale.front(), 255.0f);
    QTemporaryDir dir;
    const std::string path = dir.filePath("m.lsgan").toStdString();
    m.save(path);
    const Model back = Model::load(path);
    QVERIFY(same_model(m, back));
    QCOMPARE(back.noise_dims, m.noise_dims);
    QVERIFY(back.generator_hidden == m.generator_hidden);
    const auto z = noise(50, m.noise_dims, 1);
    QVERIFY(m.generate(z.data(), 50) == back.generate(z.data(), 50));
    // Generated values come back in the data's units (the input scale undone).
    const auto rows = back.generate(z.data(), 50);
    QVERIFY(*std::max_element(rows.begin(), rows.end()) > 1.5f);

    std::string bytes;
    {
        std::ifstream in(path, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    auto write = [&](const std::string& name, const std::string& content) {
        const std::string p = dir.filePath(QString::fromStdString(name)).toStdString();
        std::ofstream(p, std::ios::binary) << content;
        return p;
    };
    auto expect_load_error = [&](const std::string& p, const char* part) {
        try {
            Model::load(p);
            QFAIL("no error");
        } catch (const LoadError& e) {
            QVERIFY2(std::string(e.what()).find(part) != std::string::npos, e.what());
            QVERIFY2(std::string(e.what()).find(p) != std::string::npos, e.what());
        }
    };
    expect_load_error(write("garbage.lsgan", "not a model, just some text"), "not a Latentscape GAN model");
    expect_load_error(write("cut.lsgan", bytes.substr(0, bytes.size() - 8)), "(truncated)");
    expect_load_error(write("head.lsgan", bytes.substr(0, 18)), "truncated GAN model");
    expect_load_error(write("long.lsgan", bytes + "x"), "(trailing bytes)");
    std::string future = bytes;
    future[8] = 7;
    expect_load_error(write("future.lsgan", future), "format version 7 is not supported");
    std::string nan = bytes;
    const float q = std::numeric_limits<float>::quiet_NaN();
    std::memcpy(nan.data() + nan.size() - 4, &q, 4);
    expect_load_error(write("nan.lsgan", nan), "non-finite");
    // An autoencoder's model is not a GAN's.
    expect_load_error(write("ae.lsgan", "LSCAPEAE" + bytes.substr(8)), "does not start with \"LSCAPEGN\"");
}

void TestGan::bad_options_and_data() {
    const auto X = two_blobs(50, 1);
    auto expect_invalid = [&](const Options& o, const char* part, std::int64_t n = 50) {
        expect_error([&] { initialize(X.data(), n, 2, o); }, part);
    };
    Options o;
    o.noise_dims = 0;
    expect_invalid(o, "noise dimensions (0)");
    o = {};
    o.generator_hidden = std::vector<int>{8, 0};
    expect_invalid(o, "generator hidden layer 2 has 0 units");
    o = {};
    o.discriminator_hidden = std::vector<int>(17, 4);
    expect_invalid(o, "at most 16 hidden layers");
    o = {};
    o.learning_rate = 0.0;
    expect_invalid(o, "learning rate (0)");
    o = {};
    o.adam_beta1 = 1.0;
    expect_invalid(o, "Adam beta1 (1)");
    o = {};
    o.output = autoencoder::Output::Sigmoid;
    expect_invalid(o, "the sigmoid output only reaches (0, 1); row 1, column 1 is");
    o = {};
    expect_invalid(o, "needs at least 2 rows", 1);
    auto bad = X;
    bad[7] = std::numeric_limits<float>::quiet_NaN();
    expect_error([&] { initialize(bad.data(), 50, 2, {}); }, "gan: row 4, column 2 is NaN");
    // Huge networks fail early instead of thrashing.
    o = {};
    o.generator_hidden = std::vector<int>{65536, 65536, 65536};
    expect_error([&] { initialize(X.data(), 50, 2, o); }, "do not fit in memory");
    // Generating from a non-finite noise vector names it.
    auto s = initialize(X.data(), 50, 2, {});
    const std::vector<float> z = {0.f, std::numeric_limits<float>::infinity()};
    expect_error([&] { s.model().generate(z.data(), 1); }, "generate: row 1, column 2 is infinite");
    expect_error([&] { interpolate({0.f}, {1.f}, 1); }, "at least 2 points");
}

void TestGan::precision_recall_closed_forms() {
    const auto X = two_blobs(300, 4);
    // The real rows against themselves: every ball holds its own centre.
    auto same = metrics::precision_recall(X.data(), 300, X.data(), 300, 2, 3);
    QCOMPARE(same.precision, 1.0);
    QCOMPARE(same.recall, 1.0);
    // Far away: nothing inside anything.
    auto far = X;
    for (std::size_t i = 0; i < far.size(); i += 2) far[i] += 1000.0f;
    auto none = metrics::precision_recall(X.data(), 300, far.data(), 300, 2, 3);
    QCOMPARE(none.precision, 0.0);
    QCOMPARE(none.recall, 0.0);
    // Mode collapse: samples on one blob only are realistic (precision 1) but cover half.
    std::vector<float> left;
    for (std::int64_t i = 0; i < 300; ++i)
        if (X[std::size_t(2 * i)] < 0) left.insert(left.end(), {X[std::size_t(2 * i)], X[std::size_t(2 * i + 1)]});
    const std::int64_t nl = std::int64_t(left.size() / 2);
    auto half = metrics::precision_recall(X.data(), 300, left.data(), nl, 2, 3);
    QCOMPARE(half.precision, 1.0);
    QVERIFY2(std::abs(half.recall - 0.5) < 0.02, qPrintable(QString::number(half.recall)));
    expect_error([&] { metrics::precision_recall(X.data(), 300, left.data(), nl, 2, int(nl)); }, "k (");
}

void TestGan::precision_recall_match_a_plain_reference() {
    // A direct transcription of the definition, pair by pair in double.
    Rng rng(8);
    const std::int64_t nr = 150, ng = 120, d = 5;
    const int k = 4;
    std::vector<float> R(std::size_t(nr * d)), G(std::size_t(ng * d));
    for (auto& v : R) v = float(rng.normal());
    for (auto& v : G) v = float(0.3 + 1.3 * rng.normal());
    auto dist = [&](const float* a, const float* b) {
        double s = 0;
        for (std::int64_t j = 0; j < d; ++j) s += (double(a[j]) - b[j]) * (double(a[j]) - b[j]);
        return std::sqrt(s);
    };
    auto radii = [&](const std::vector<float>& S, std::int64_t n) {
        std::vector<double> r(static_cast<std::size_t>(n));
        for (std::int64_t i = 0; i < n; ++i) {
            std::vector<double> ds;
            for (std::int64_t j = 0; j < n; ++j)
                if (j != i) ds.push_back(dist(&S[std::size_t(i * d)], &S[std::size_t(j * d)]));
            std::sort(ds.begin(), ds.end());
            r[std::size_t(i)] = ds[std::size_t(k - 1)];
        }
        return r;
    };
    auto covered = [&](const std::vector<float>& A, std::int64_t na, const std::vector<float>& S, std::int64_t ns) {
        const auto r = radii(S, ns);
        std::int64_t inside = 0;
        for (std::int64_t i = 0; i < na; ++i)
            for (std::int64_t j = 0; j < ns; ++j)
                if (dist(&A[std::size_t(i * d)], &S[std::size_t(j * d)]) <= r[std::size_t(j)]) {
                    ++inside;
                    break;
                }
        return double(inside) / double(na);
    };
    const auto pr = metrics::precision_recall(R.data(), nr, G.data(), ng, d, k);
    QCOMPARE(pr.precision, covered(G, ng, R, nr));
    QCOMPARE(pr.recall, covered(R, nr, G, ng));
    QVERIFY(pr.precision > 0.0 && pr.precision < 1.0 && pr.recall > 0.0 && pr.recall < 1.0);
}

void TestGan::class_coverage_finds_a_dropped_class() {
    // Three classes on a line; the "generator" only produces classes 0 and 1.
    std::vector<float> R;
    std::vector<int> labels;
    Rng rng(3);
    for (int i = 0; i < 300; ++i) {
        R.push_back(float(10.0 * (i % 3) + rng.normal()));
        labels.push_back(i % 3);
    }
    std::vector<float> G;
    for (int i = 0; i < 100; ++i) G.push_back(float(10.0 * (i % 2) + rng.normal()));
    const auto c = metrics::class_coverage(R.data(), labels.data(), 300, 3, G.data(), 100, 1, 10);
    QCOMPARE(c.covered, 2);
    QCOMPARE(c.generated_share[2], 0.0);
    QVERIFY(std::abs(c.generated_share[0] - 0.5) < 1e-9);
    QVERIFY(std::abs(c.real_share[1] - 1.0 / 3.0) < 1e-9);
    labels[5] = 3;
    expect_error([&] { metrics::class_coverage(R.data(), labels.data(), 300, 3, G.data(), 100, 1, 10); }, "real row 6 has label 3");
}

QTEST_GUILESS_MAIN(TestGan)
#include "tst_gan.moc"
