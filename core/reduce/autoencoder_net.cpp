// The autoencoder's forward and backward passes (autoencoder_internal.h), written out layer by
// layer so that the gradient tests can check each piece against finite differences.
#if defined(__GNUC__) && !defined(__clang__)
// GCC 12 reports its own _mm512_undefined_ps() as maybe-uninitialized when Eigen's AVX-512
// packets are inlined here (GCC bug 105593).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif

#include "reduce/autoencoder_internal.h"

#include "common/parallel.h"

#include <unsupported/Eigen/SpecialFunctions>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace latentscape::reduce::autoencoder::internal {
namespace {

Act hidden_act(Activation a) {
    switch (a) {
    case Activation::Relu: return Act::Relu;
    case Activation::Gelu: return Act::Gelu;
    case Activation::Tanh: return Act::Tanh;
    case Activation::Linear: return Act::Linear;
    }
    return Act::Relu;
}

/// Calls body(first_column, width) for every tile; in parallel unless there is one tile or the
/// caller is already inside a parallel loop (then the same tiles run in order on its thread).
template <class Body>
void for_tiles(std::int64_t cols, const Tiles& t, Body&& body) {
    auto one = [&](std::int64_t i) {
        const std::int64_t c0 = i * t.width;
        const std::int64_t w = std::min<std::int64_t>(t.width, cols - c0);
        if (w > 0) body(static_cast<Eigen::Index>(c0), static_cast<Eigen::Index>(w));
    };
    if (t.count <= 1 || parallel::in_parallel()) {
        for (int i = 0; i < t.count; ++i) one(i);
    } else {
        parallel::for_each_dynamic(t.count, one);
    }
}

/// A = f(Z), column block by column block.
template <class T, class ZBlock, class ABlock>
void activate(Act act, const ZBlock& Z, ABlock&& A) {
    switch (act) {
    case Act::Relu: A = Z.array().max(T(0)).matrix(); break;
    case Act::Gelu: A = (T(0.5) * Z.array() * (T(1) + (Z.array() * T(M_SQRT1_2)).erf())).matrix(); break;
    case Act::Tanh: A = Z.array().tanh().matrix(); break;
    case Act::Linear: A = Z; break;
    case Act::Sigmoid: A = (T(1) / (T(1) + (-Z.array()).exp())).matrix(); break;
    case Act::LeakyRelu: A = (Z.array() > T(0)).select(Z.array(), T(kLeakySlope) * Z.array()).matrix(); break;
    }
}

/// dZ = dA * f'(Z) (A = f(Z) given too, for the activations whose derivative uses it).
template <class T, class ZBlock, class ABlock, class DBlock, class OutBlock>
void derivative(Act act, const ZBlock& Z, const ABlock& A, const DBlock& dA, OutBlock&& dZ) {
    switch (act) {
    case Act::Relu: dZ = (Z.array() > T(0)).select(dA.array(), T(0)).matrix(); break;
    case Act::Gelu: {
        const T inv_sqrt_2pi = T(0.3989422804014327);
        dZ = (dA.array() * (T(0.5) * (T(1) + (Z.array() * T(M_SQRT1_2)).erf()) +
                            Z.array() * inv_sqrt_2pi * (T(-0.5) * Z.array().square()).exp()))
                 .matrix();
        break;
    }
    case Act::Tanh: dZ = (dA.array() * (T(1) - A.array().square())).matrix(); break;
    case Act::Linear: dZ = dA; break;
    case Act::Sigmoid: dZ = (dA.array() * A.array() * (T(1) - A.array())).matrix(); break;
    case Act::LeakyRelu: dZ = (Z.array() > T(0)).select(dA.array(), T(kLeakySlope) * dA.array()).matrix(); break;
    }
}

/// Tiles for elementwise work over the columns of a rows x cols matrix.
Tiles elementwise_tiles(std::int64_t rows, std::int64_t cols) {
    return tiles_for(cols, double(rows) * double(cols) * 8.0);
}

template <class T>
void layer_forward(const Architecture& arch, const Params<T>& p, int l,
                   const Eigen::Ref<const Mat<T>>& in, Workspace<T>& ws) {
    const Eigen::Index B = in.cols();
    Mat<T>& Z = ws.Z[l];
    Mat<T>& A = ws.A[l];
    Z.resize(arch.out[l], B);
    A.resize(arch.out[l], B);
    const auto W = p.W(l);
    const auto b = p.b(l);
    const Act act = arch.act[l];
    for_tiles(B, tiles_for(B, double(arch.out[l]) * arch.in[l] * double(B)), [&](Eigen::Index c0, Eigen::Index w) {
        auto Zt = Z.middleCols(c0, w);
        Zt.noalias() = W * in.middleCols(c0, w);
        Zt.colwise() += b;
        activate<T>(act, Zt, A.middleCols(c0, w));
    });
}

}  // namespace

Tiles tiles_for(std::int64_t cols, double work) {
    // A tile should carry ~2M multiply-adds (~0.1 ms) to be worth handing to a thread, and be at
    // least 16 columns wide; at most 8 tiles. None of this depends on the thread count.
    constexpr double min_work = double(1 << 21);
    constexpr int max_tiles = 8;
    constexpr std::int64_t min_width = 16;
    Tiles t;
    if (cols <= 0) return t;
    std::int64_t count = static_cast<std::int64_t>(std::clamp(std::floor(work / min_work), 1.0, double(max_tiles)));
    count = std::max<std::int64_t>(1, std::min<std::int64_t>(count, cols / min_width));
    std::int64_t width = (cols + count - 1) / count;
    if (count > 1) width = (width + min_width - 1) / min_width * min_width;
    t.width = static_cast<int>(width);
    t.count = static_cast<int>((cols + width - 1) / width);
    return t;
}

Architecture make_architecture(int input_dims, int latent_dims, const std::vector<int>& hidden,
                               Activation activation, bool sigmoid_output, bool variational) {
    Architecture a;
    a.input_dims = input_dims;
    a.latent_dims = latent_dims;
    a.variational = variational;
    const Act h = hidden_act(activation);
    int prev = input_dims;
    for (int size : hidden) {
        a.in.push_back(prev);
        a.out.push_back(size);
        a.act.push_back(h);
        prev = size;
    }
    a.in.push_back(prev);
    a.out.push_back(variational ? 2 * latent_dims : latent_dims);
    a.act.push_back(Act::Linear);
    a.encoder_layers = static_cast<int>(a.in.size());
    prev = latent_dims;
    for (auto it = hidden.rbegin(); it != hidden.rend(); ++it) {
        a.in.push_back(prev);
        a.out.push_back(*it);
        a.act.push_back(h);
        prev = *it;
    }
    a.in.push_back(prev);
    a.out.push_back(input_dims);
    a.act.push_back(sigmoid_output ? Act::Sigmoid : Act::Linear);
    return a;
}

Architecture architecture_of(const Model& m) {
    return make_architecture(m.input_dims, m.latent_dims, m.hidden, m.activation, m.sigmoid_output, m.variational);
}

template <class T>
Params<T>::Params(const Architecture& arch) {
    std::int64_t size = 0;
    std::vector<std::int64_t> w_at, b_at;
    auto place = [&](std::int64_t count) {
        const std::int64_t at = size;
        size += (count + 15) / 16 * 16;
        return at;
    };
    for (int l = 0; l < arch.layers(); ++l) {
        rows.push_back(arch.out[l]);
        cols.push_back(arch.in[l]);
        w_at.push_back(place(std::int64_t(arch.out[l]) * arch.in[l]));
        b_at.push_back(place(arch.out[l]));
    }
    data.assign(static_cast<std::size_t>(size), T(0));
    for (std::size_t l = 0; l < w_at.size(); ++l) {
        w.push_back(data.data() + w_at[l]);
        bias.push_back(data.data() + b_at[l]);
    }
}

template <class T>
void forward(const Architecture& arch, const Params<T>& p, int first, int last,
             const Eigen::Ref<const Mat<T>>& input, Workspace<T>& ws) {
    ws.Z.resize(arch.layers());
    ws.A.resize(arch.layers());
    for (int l = first; l < last; ++l) {
        if (l == first) {
            layer_forward<T>(arch, p, l, input, ws);
        } else {
            layer_forward<T>(arch, p, l, ws.A[l - 1], ws);
        }
    }
}

template <class T>
double loss_and_gradient(const Architecture& arch, const Params<T>& p,
                         const Eigen::Ref<const Mat<T>>& X, const Mat<T>& eps, const LossSpec& spec,
                         Params<T>* grad, Workspace<T>& ws) {
    const int L = arch.latent_dims;
    const int enc = arch.encoder_layers;
    const int last = arch.layers() - 1;
    const Eigen::Index B = X.cols();
    const Eigen::Index d = X.rows();
    if (B == 0) throw std::invalid_argument("autoencoder: an empty batch");

    forward<T>(arch, p, 0, enc, X, ws);
    const Mat<T>& E = ws.A[enc - 1];
    const bool sampled = arch.variational && eps.size() > 0;
    if (arch.variational) {
        ws.z.resize(L, B);
        if (sampled) {
            ws.z = (E.topRows(L).array() + (T(0.5) * E.bottomRows(L).array()).exp() * eps.array()).matrix();
        } else {
            ws.z = E.topRows(L);
        }
        forward<T>(arch, p, enc, arch.layers(), ws.z, ws);
    } else {
        forward<T>(arch, p, enc, arch.layers(), E, ws);
    }

    // Reconstruction: the mean per value (autoencoder) or the sum per sample (VAE), over the batch.
    const double norm = arch.variational ? 1.0 / double(B) : 1.0 / (double(B) * double(d));
    const Mat<T>& Zo = ws.Z[last];
    const Mat<T>& Ao = ws.A[last];
    const bool bce = spec.loss == Loss::Bce;
    if (bce && arch.act[last] != Act::Sigmoid)
        throw std::invalid_argument("autoencoder: the bce loss needs the sigmoid output");
    const Tiles et = elementwise_tiles(d, B);
    ws.partial.assign(static_cast<std::size_t>(et.count), 0.0);
    if (grad) ws.dZ.resize(d, B);
    for_tiles(B, et, [&](Eigen::Index c0, Eigen::Index w) {
        const auto Zt = Zo.middleCols(c0, w);
        const auto At = Ao.middleCols(c0, w);
        const auto Xt = X.middleCols(c0, w);
        double sum = 0.0;
        if (bce) {
            // -(x log s(z) + (1 - x) log(1 - s(z))) = softplus(z) - x z, stable for any z.
            const Mat<T> terms = (Zt.array().max(T(0)) - Xt.array() * Zt.array() +
                                  (-Zt.array().abs()).exp().log1p())
                                     .matrix();
            for (Eigen::Index c = 0; c < w; ++c) sum += double(terms.col(c).sum());
            if (grad) ws.dZ.middleCols(c0, w) = ((At - Xt) * T(norm));
        } else {
            const Mat<T> diff = At - Xt;
            for (Eigen::Index c = 0; c < w; ++c) sum += double(diff.col(c).squaredNorm());
            if (grad) {
                const Mat<T> dA = diff * T(2.0 * norm);
                derivative<T>(arch.act[last], Zt, At, dA, ws.dZ.middleCols(c0, w));
            }
        }
        ws.partial[static_cast<std::size_t>(c0 / et.width)] = sum;
    });
    double recon = 0.0;
    for (double s : ws.partial) recon += s;

    double kl = 0.0;
    if (arch.variational) {
        const auto mu = E.topRows(L);
        const auto lv = E.bottomRows(L);
        for (Eigen::Index c = 0; c < B; ++c)
            kl += -0.5 * double((T(1) + lv.col(c).array() - mu.col(c).array().square() - lv.col(c).array().exp()).sum());
    }
    const double loss = norm * recon + (arch.variational ? spec.beta * kl / double(B) : 0.0);
    if (!grad) return loss;

    // Backward through the decoder to the code, then (after the VAE's own terms) the encoder.
    Mat<T> d_code;
    backward<T>(arch, p, enc, arch.layers(), arch.variational ? ws.z : E, ws, grad, &d_code);
    if (arch.variational) {
        // d_code is dLoss/dz; z = mu + exp(lv / 2) eps; plus beta x the KL term's own gradient.
        const T kw = T(spec.beta / double(B));
        const auto mu = E.topRows(L).array();
        const auto lv = E.bottomRows(L).array();
        ws.dZ.resize(2 * L, B);
        ws.dZ.topRows(L) = (d_code.array() + kw * mu).matrix();
        if (sampled) {
            ws.dZ.bottomRows(L) =
                (d_code.array() * T(0.5) * (T(0.5) * lv).exp() * eps.array() + kw * T(0.5) * (lv.exp() - T(1))).matrix();
        } else {
            ws.dZ.bottomRows(L) = (kw * T(0.5) * (lv.exp() - T(1))).matrix();
        }
    } else {
        ws.dZ = d_code;  // the code layer is linear: dZ = dA
    }
    // The encoder's last layer is linear, so ws.dZ is dLoss/dZ of that layer.
    backward<T>(arch, p, 0, enc, X, ws, grad, nullptr);
    return loss;
}

template <class T>
void activation_derivative(Act act, const Mat<T>& Z, const Mat<T>& A, const Mat<T>& dA, Mat<T>& dZ) {
    const Eigen::Index rows = Z.rows(), B = Z.cols();
    dZ.resize(rows, B);
    for_tiles(B, elementwise_tiles(rows, B), [&](Eigen::Index c0, Eigen::Index w) {
        derivative<T>(act, Z.middleCols(c0, w), A.middleCols(c0, w), dA.middleCols(c0, w), dZ.middleCols(c0, w));
    });
}

template <class T>
void backward(const Architecture& arch, const Params<T>& p, int first, int last,
              const Eigen::Ref<const Mat<T>>& input, Workspace<T>& ws, Params<T>* grad, Mat<T>* d_input) {
    if (!grad && !d_input) return;
    const Eigen::Index B = input.cols();
    // ws.dZ holds dLoss/dZ of layer l.
    for (int l = last - 1; l >= first; --l) {
        const Eigen::Index fan_in = arch.in[l];
        if (grad) {
            auto gW = grad->W(l);
            for_tiles(fan_in, tiles_for(fan_in, double(arch.out[l]) * double(fan_in) * double(B)),
                      [&](Eigen::Index c0, Eigen::Index w) {
                          if (l == first) {
                              gW.middleCols(c0, w).noalias() = ws.dZ * input.middleRows(c0, w).transpose();
                          } else {
                              gW.middleCols(c0, w).noalias() = ws.dZ * ws.A[l - 1].middleRows(c0, w).transpose();
                          }
                      });
            // Column by column, in order: Eigen's rowwise().sum() sums peeled rows in another order.
            Vec<T> bias_grad = ws.dZ.col(0);
            for (Eigen::Index c = 1; c < B; ++c) bias_grad += ws.dZ.col(c);
            grad->b(l) = bias_grad;
        }
        if (l == first && !d_input) break;

        const auto W = p.W(l);
        Mat<T>& dA = l == first ? *d_input : ws.dA;
        dA.resize(fan_in, B);
        for_tiles(B, tiles_for(B, double(arch.out[l]) * double(fan_in) * double(B)),
                  [&](Eigen::Index c0, Eigen::Index w) {
                      dA.middleCols(c0, w).noalias() = W.transpose() * ws.dZ.middleCols(c0, w);
                  });
        if (l == first) break;
        activation_derivative<T>(arch.act[l - 1], ws.Z[l - 1], ws.A[l - 1], ws.dA, ws.dZ);
    }
}

template <class T>
void adam_update(const AdamSettings& o, std::int64_t t, Params<T>& params, Params<T>& m, Params<T>& v, const Params<T>& grad) {
    const T b1 = T(o.beta1), b2 = T(o.beta2);
    const T bc1 = T(1.0 - std::pow(o.beta1, double(t)));
    const T bc2_sqrt = T(std::sqrt(1.0 - std::pow(o.beta2, double(t))));
    const T step_size = T(o.learning_rate) / bc1;
    const T eps_ = T(o.epsilon);
    const T decay = T(1.0 - o.learning_rate * o.weight_decay);
    const bool decayed = o.weight_decay > 0.0;
    const std::int64_t size = static_cast<std::int64_t>(params.data.size());
    constexpr std::int64_t chunk = 16384;
    T* p = params.data.data();
    T* mm = m.data.data();
    T* vv = v.data.data();
    const T* g = grad.data.data();
    parallel::for_each((size + chunk - 1) / chunk, [&](std::int64_t c) {
        const std::int64_t end = std::min(size, (c + 1) * chunk);
        for (std::int64_t i = c * chunk; i < end; ++i) {
            if (decayed) p[i] *= decay;
            mm[i] = b1 * mm[i] + (T(1) - b1) * g[i];
            vv[i] = b2 * vv[i] + (T(1) - b2) * g[i] * g[i];
            p[i] -= step_size * mm[i] / (std::sqrt(vv[i]) / bc2_sqrt + eps_);
        }
    }, size > 4 * chunk);
}

namespace {
void check_layers(const std::vector<Model::Layer>& layers, const Architecture& arch, const char* what) {
    if (static_cast<int>(layers.size()) != arch.layers())
        throw std::invalid_argument(std::string(what) + ": " + std::to_string(layers.size()) + " layers, the architecture has " +
                                    std::to_string(arch.layers()));
    for (int l = 0; l < arch.layers(); ++l) {
        const Model::Layer& layer = layers[static_cast<std::size_t>(l)];
        if (layer.in != arch.in[l] || layer.out != arch.out[l] ||
            layer.weights.size() != std::size_t(layer.in) * std::size_t(layer.out) ||
            layer.bias.size() != std::size_t(layer.out))
            throw std::invalid_argument(std::string(what) + ": layer " + std::to_string(l + 1) + " has the wrong shape");
    }
}
}  // namespace

Params<float> params_of(const Model& model, const Architecture& arch) {
    check_layers(model.layers, arch, "autoencoder model");
    Params<float> p(arch);
    for (int l = 0; l < arch.layers(); ++l) {
        const Model::Layer& layer = model.layers[static_cast<std::size_t>(l)];
        std::copy(layer.weights.begin(), layer.weights.end(), p.w[std::size_t(l)]);
        std::copy(layer.bias.begin(), layer.bias.end(), p.bias[std::size_t(l)]);
    }
    return p;
}

Params<float> layers_view(const std::vector<Model::Layer>& layers, const Architecture& arch, const char* what) {
    check_layers(layers, arch, what);
    Params<float> p;
    for (int l = 0; l < arch.layers(); ++l) {
        const Model::Layer& layer = layers[static_cast<std::size_t>(l)];
        p.rows.push_back(arch.out[l]);
        p.cols.push_back(arch.in[l]);
        // Only ever read through a const Params: the const_cast never leads to a write.
        p.w.push_back(const_cast<float*>(layer.weights.data()));
        p.bias.push_back(const_cast<float*>(layer.bias.data()));
    }
    return p;
}

Params<float> params_view(const Model& model, const Architecture& arch) {
    return layers_view(model.layers, arch, "autoencoder model");
}

void store_layers(const Params<float>& p, const Architecture& arch, std::vector<Model::Layer>& layers) {
    layers.resize(static_cast<std::size_t>(arch.layers()));
    for (int l = 0; l < arch.layers(); ++l) {
        Model::Layer& layer = layers[static_cast<std::size_t>(l)];
        layer.in = arch.in[l];
        layer.out = arch.out[l];
        const float* w0 = p.w[std::size_t(l)];
        layer.weights.assign(w0, w0 + std::int64_t(layer.in) * layer.out);
        const float* b0 = p.bias[std::size_t(l)];
        layer.bias.assign(b0, b0 + layer.out);
    }
}

void store_params(const Params<float>& p, const Architecture& arch, Model& model) { store_layers(p, arch, model.layers); }

template void adam_update<float>(const AdamSettings&, std::int64_t, Params<float>&, Params<float>&, Params<float>&,
                                 const Params<float>&);
template void adam_update<double>(const AdamSettings&, std::int64_t, Params<double>&, Params<double>&, Params<double>&,
                                  const Params<double>&);
template struct Params<float>;
template struct Params<double>;
template void forward<float>(const Architecture&, const Params<float>&, int, int, const Eigen::Ref<const Mat<float>>&, Workspace<float>&);
template void forward<double>(const Architecture&, const Params<double>&, int, int, const Eigen::Ref<const Mat<double>>&, Workspace<double>&);
template void backward<float>(const Architecture&, const Params<float>&, int, int, const Eigen::Ref<const Mat<float>>&,
                              Workspace<float>&, Params<float>*, Mat<float>*);
template void backward<double>(const Architecture&, const Params<double>&, int, int, const Eigen::Ref<const Mat<double>>&,
                               Workspace<double>&, Params<double>*, Mat<double>*);
template void activation_derivative<float>(Act, const Mat<float>&, const Mat<float>&, const Mat<float>&, Mat<float>&);
template void activation_derivative<double>(Act, const Mat<double>&, const Mat<double>&, const Mat<double>&, Mat<double>&);
template double loss_and_gradient<float>(const Architecture&, const Params<float>&, const Eigen::Ref<const Mat<float>>&,
                                         const Mat<float>&, const LossSpec&, Params<float>*, Workspace<float>&);
template double loss_and_gradient<double>(const Architecture&, const Params<double>&, const Eigen::Ref<const Mat<double>>&,
                                          const Mat<double>&, const LossSpec&, Params<double>*, Workspace<double>&);

}  // namespace latentscape::reduce::autoencoder::internal
