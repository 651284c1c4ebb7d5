#pragma once
/// @file The GAN's two networks on the autoencoder's engine (autoencoder_internal.h).

#include "reduce/autoencoder_internal.h"
#include "reduce/gan.h"

namespace latentscape::reduce::gan::internal {

struct Nets {
    autoencoder::internal::Architecture generator;      ///< noise -> data (the map's units)
    autoencoder::internal::Architecture discriminator;  ///< data -> one logit
};

Nets make_nets(int data_dims, int noise_dims, const std::vector<int>& generator_hidden,
               const std::vector<int>& discriminator_hidden, autoencoder::Activation activation, bool sigmoid_output);
Nets nets_of(const Model& model);

/// The hidden sizes used for these options and d columns.
std::vector<int> generator_hidden(const Options& options, std::int64_t d);
std::vector<int> discriminator_hidden(const Options& options, std::int64_t d);

/// The training noise of step `step`: dims x columns, N(0, 1), from the seed and step alone.
void noise_block(std::uint64_t seed, std::int64_t step, int dims, Eigen::Index columns,
                 autoencoder::internal::Mat<float>& z);

/// Scratch of one training step, kept between steps.
template <class T>
struct StepWork {
    autoencoder::internal::Workspace<T> g_ws, d_ws;
    autoencoder::internal::Mat<T> both, d_fake;
    double real_score = 0.0;  ///< sum of D(x) over the batch, from the last discriminator_loss
    double fake_score = 0.0;  ///< sum of D(G(z))
};

/// The discriminator's loss on real columns `real` (d x B, mapped) and G(z) (z: noise x B):
/// mean over the batch of softplus(-D(x)) + softplus(D(G(z))), i.e. binary cross-entropy with
/// real as 1 and generated as 0. Runs G forward into w.g_ws; with `d_grad`, D's gradient (G(z) is
/// held fixed, as PyTorch's fake.detach()).
template <class T>
double discriminator_loss(const Nets& nets, const autoencoder::internal::Params<T>& g,
                          const autoencoder::internal::Params<T>& d, const autoencoder::internal::Mat<T>& real,
                          const autoencoder::internal::Mat<T>& z, autoencoder::internal::Params<T>* d_grad, StepWork<T>& w);
/// The generator's non-saturating loss, mean softplus(-D(G(z))), and with `g_grad` G's gradient
/// through D. `reuse_forward`: w.g_ws already holds G(z) (from discriminator_loss on this z).
template <class T>
double generator_loss(const Nets& nets, const autoencoder::internal::Params<T>& g, const autoencoder::internal::Params<T>& d,
                      const autoencoder::internal::Mat<T>& z, bool reuse_forward, autoencoder::internal::Params<T>* g_grad,
                      StepWork<T>& w);

using autoencoder::internal::layers_view;
using autoencoder::internal::store_layers;

}  // namespace latentscape::reduce::gan::internal
