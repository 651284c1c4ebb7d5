// The GAN's two networks and the losses of one training step (gan_internal.h), templated on the
// scalar so that the gradient tests run the same code in double.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"  // GCC bug 105593, see autoencoder_net.cpp
#endif

#include "reduce/gan_internal.h"

#include "common/rng.h"

#include <cmath>

namespace latentscape::reduce::gan::internal {

namespace ae = autoencoder::internal;
using ae::Mat;

namespace {
/// softplus(x) = log(1 + e^x), stable for any x.
double softplus(double x) { return std::max(x, 0.0) + std::log1p(std::exp(-std::abs(x))); }
double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
}  // namespace

template <class T>
double discriminator_loss(const Nets& nets, const ae::Params<T>& g, const ae::Params<T>& d, const Mat<T>& real,
                          const Mat<T>& z, ae::Params<T>* d_grad, StepWork<T>& w) {
    const Eigen::Index B = real.cols();
    ae::forward<T>(nets.generator, g, 0, nets.generator.layers(), z, w.g_ws);
    const Mat<T>& fake = w.g_ws.A[std::size_t(nets.generator.layers() - 1)];
    // Real and generated columns side by side: one pass through D.
    w.both.resize(real.rows(), 2 * B);
    w.both.leftCols(B) = real;
    w.both.rightCols(B) = fake;
    const int dl = nets.discriminator.layers();
    ae::forward<T>(nets.discriminator, d, 0, dl, w.both, w.d_ws);
    const Mat<T>& logits = w.d_ws.Z[std::size_t(dl - 1)];
    double loss = 0.0;
    w.real_score = w.fake_score = 0.0;
    w.d_ws.dZ.resize(1, 2 * B);
    for (Eigen::Index c = 0; c < B; ++c) {
        const double lr = double(logits(0, c)), lf = double(logits(0, B + c));
        loss += softplus(-lr) + softplus(lf);
        w.real_score += sigmoid(lr);
        w.fake_score += sigmoid(lf);
        w.d_ws.dZ(0, c) = T(-sigmoid(-lr) / double(B));
        w.d_ws.dZ(0, B + c) = T(sigmoid(lf) / double(B));
    }
    if (d_grad) ae::backward<T>(nets.discriminator, d, 0, dl, w.both, w.d_ws, d_grad, nullptr);
    return loss / double(B);
}

template <class T>
double generator_loss(const Nets& nets, const ae::Params<T>& g, const ae::Params<T>& d, const Mat<T>& z, bool reuse_forward,
                      ae::Params<T>* g_grad, StepWork<T>& w) {
    const int gl = nets.generator.layers();
    if (!reuse_forward) ae::forward<T>(nets.generator, g, 0, gl, z, w.g_ws);
    const Mat<T>& fake = w.g_ws.A[std::size_t(gl - 1)];
    const Eigen::Index B = fake.cols();
    const int dl = nets.discriminator.layers();
    ae::forward<T>(nets.discriminator, d, 0, dl, fake, w.d_ws);
    const Mat<T>& logits = w.d_ws.Z[std::size_t(dl - 1)];
    double loss = 0.0;
    w.d_ws.dZ.resize(1, B);
    for (Eigen::Index c = 0; c < B; ++c) {
        const double l = double(logits(0, c));
        loss += softplus(-l);
        w.d_ws.dZ(0, c) = T(-sigmoid(-l) / double(B));
    }
    if (g_grad) {
        // Through D to its input (D's own gradient is not needed), then back through G.
        ae::backward<T>(nets.discriminator, d, 0, dl, fake, w.d_ws, nullptr, &w.d_fake);
        ae::activation_derivative<T>(nets.generator.act[std::size_t(gl - 1)], w.g_ws.Z[std::size_t(gl - 1)],
                                     w.g_ws.A[std::size_t(gl - 1)], w.d_fake, w.g_ws.dZ);
        ae::backward<T>(nets.generator, g, 0, gl, z, w.g_ws, g_grad, nullptr);
    }
    return loss / double(B);
}

void noise_block(std::uint64_t seed, std::int64_t step, int dims, Eigen::Index columns, Mat<float>& z) {
    z.resize(dims, columns);
    Rng rng = Rng::stream(seed ^ 0x47414e4e4f495345ull, std::uint64_t(step));
    for (Eigen::Index c = 0; c < z.cols(); ++c)
        for (Eigen::Index r = 0; r < z.rows(); ++r) z(r, c) = float(rng.normal());
}

Nets make_nets(int data_dims, int noise_dims, const std::vector<int>& g_hidden, const std::vector<int>& d_hidden,
               autoencoder::Activation activation, bool sigmoid_output) {
    Nets nets;
    // The generator is an autoencoder's decoder; the discriminator a plain MLP ending in a logit.
    const ae::Architecture dec = ae::make_architecture(data_dims, noise_dims, std::vector<int>(g_hidden.rbegin(), g_hidden.rend()),
                                                       activation, sigmoid_output, false);
    ae::Architecture& g = nets.generator;
    g.input_dims = noise_dims;
    g.latent_dims = noise_dims;
    for (int l = dec.encoder_layers; l < dec.layers(); ++l) {
        g.in.push_back(dec.in[std::size_t(l)]);
        g.out.push_back(dec.out[std::size_t(l)]);
        g.act.push_back(dec.act[std::size_t(l)]);
    }
    g.encoder_layers = g.layers();
    ae::Architecture& D = nets.discriminator;
    D.input_dims = data_dims;
    D.latent_dims = 1;
    int prev = data_dims;
    for (int h : d_hidden) {
        D.in.push_back(prev);
        D.out.push_back(h);
        D.act.push_back(ae::Act::LeakyRelu);
        prev = h;
    }
    D.in.push_back(prev);
    D.out.push_back(1);
    D.act.push_back(ae::Act::Linear);
    D.encoder_layers = D.layers();
    return nets;
}

Nets nets_of(const Model& m) {
    return make_nets(m.data_dims, m.noise_dims, m.generator_hidden, m.discriminator_hidden, m.activation, m.sigmoid_output);
}


template struct StepWork<float>;
template struct StepWork<double>;
template double discriminator_loss<float>(const Nets&, const ae::Params<float>&, const ae::Params<float>&, const Mat<float>&,
                                          const Mat<float>&, ae::Params<float>*, StepWork<float>&);
template double discriminator_loss<double>(const Nets&, const ae::Params<double>&, const ae::Params<double>&, const Mat<double>&,
                                           const Mat<double>&, ae::Params<double>*, StepWork<double>&);
template double generator_loss<float>(const Nets&, const ae::Params<float>&, const ae::Params<float>&, const Mat<float>&, bool,
                                      ae::Params<float>*, StepWork<float>&);
template double generator_loss<double>(const Nets&, const ae::Params<double>&, const ae::Params<double>&, const Mat<double>&, bool,
                                       ae::Params<double>*, StepWork<double>&);

}  // namespace latentscape::reduce::gan::internal
