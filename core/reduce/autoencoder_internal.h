#pragma once
/// @file The autoencoder's network arithmetic, shared by training, encode/decode and the tests.
/// Templated on the scalar: training runs in float; the gradient checks run the same code in
/// double, where central differences are accurate to ~1e-8.
///
/// A batch is a d x B column-major matrix: one sample per column, so the rows of the dataset
/// (row-major) are its columns without a transpose. Layer l computes Z_l = W_l A_{l-1} + b_l and
/// A_l = f_l(Z_l), with W_l out x in. Each GEMM is split into a fixed set of column tiles (fixed
/// by the matrix sizes, never by the thread count) that threads share; Eigen itself runs single-
/// threaded (EIGEN_DONT_PARALLELIZE), so every number is the same with any number of threads.

#include "reduce/autoencoder.h"

#include <Eigen/Core>

#include <cstdint>
#include <vector>

namespace latentscape::reduce::autoencoder::internal {

template <class T>
using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
template <class T>
using Vec = Eigen::Matrix<T, Eigen::Dynamic, 1>;

/// What a layer applies after its affine map.
enum class Act { Relu, Gelu, Tanh, Linear, Sigmoid };

/// The shape of a network: layer sizes and activations, encoder first.
struct Architecture {
    int input_dims = 0;
    int latent_dims = 0;
    bool variational = false;
    std::vector<int> in;   ///< per layer
    std::vector<int> out;  ///< per layer
    std::vector<Act> act;  ///< per layer
    int encoder_layers = 0;
    int layers() const { return static_cast<int>(in.size()); }
};

/// The architecture of a model with these hidden sizes (encoder hidden, widest first).
Architecture make_architecture(int input_dims, int latent_dims, const std::vector<int>& hidden,
                               Activation activation, bool sigmoid_output, bool variational);
/// The architecture of a trained model.
Architecture architecture_of(const Model& model);

/// Every weight and bias in one flat array (so Adam is one loop); W(l) and b(l) view into it.
/// Each array starts on a multiple of 16 scalars of a 64-byte aligned block: Eigen peels
/// unaligned leading elements into scalar code whose rounding differs from its packets, so an
/// address-dependent alignment would make results differ from run to run.
///
/// A view (params_view) points at a model's own arrays instead: no copy. Reading weights from
/// unaligned memory is fine, since the GEMMs pack them and bias additions are exact either way.
/// Move-only: the per-layer pointers stay valid when the storage moves with its vector.
template <class T>
struct Params {
    std::vector<T, Eigen::aligned_allocator<T>> data;  ///< own storage; empty for a view
    std::vector<T*> w, bias;                            ///< per layer: where W(l) and b(l) live
    std::vector<int> rows, cols;

    explicit Params(const Architecture& arch = {});
    Params(Params&&) noexcept = default;
    Params& operator=(Params&&) noexcept = default;
    Params(const Params&) = delete;
    Params& operator=(const Params&) = delete;
    Eigen::Map<Mat<T>> W(int l) { return {w[std::size_t(l)], rows[std::size_t(l)], cols[std::size_t(l)]}; }
    Eigen::Map<const Mat<T>> W(int l) const { return {w[std::size_t(l)], rows[std::size_t(l)], cols[std::size_t(l)]}; }
    Eigen::Map<Vec<T>> b(int l) { return {bias[std::size_t(l)], rows[std::size_t(l)]}; }
    Eigen::Map<const Vec<T>> b(int l) const { return {bias[std::size_t(l)], rows[std::size_t(l)]}; }
};

/// Intermediate values of one batch, kept for the backward pass (reused between batches).
template <class T>
struct Workspace {
    std::vector<Mat<T>> Z;  ///< pre-activations per layer
    std::vector<Mat<T>> A;  ///< activations per layer (A[encoder_layers - 1] is the code, or
                            ///< mean and log-variance for a VAE)
    Mat<T> z;               ///< VAE: the sampled code fed to the decoder
    Mat<T> dA, dZ;          ///< backward scratch
    std::vector<double> partial; ///< per-tile partial sums of the loss
};

/// How a batch's loss is formed.
struct LossSpec {
    Loss loss = Loss::Mse;
    bool variational = false;
    double beta = 1.0;
};

/// Runs layers [first, last) on `input` (in[first] x B); the result is ws.A[last - 1].
template <class T>
void forward(const Architecture& arch, const Params<T>& p, int first, int last,
             const Eigen::Ref<const Mat<T>>& input, Workspace<T>& ws);

/// The loss of the batch X (d x B) through the whole network (for a VAE with noise `eps`,
/// latent x B; an empty eps feeds the means), and if `grad` is given its gradient with respect
/// to every parameter (overwritten, not accumulated). Returns the loss as defined in
/// autoencoder.h (mean per value for the autoencoder, mean per sample of the negative ELBO for
/// the VAE).
template <class T>
double loss_and_gradient(const Architecture& arch, const Params<T>& p,
                         const Eigen::Ref<const Mat<T>>& X, const Mat<T>& eps, const LossSpec& spec,
                         Params<T>* grad, Workspace<T>& ws);

/// Params<float> holding a copy of a model's weights, and back.
Params<float> params_of(const Model& model, const Architecture& arch);
/// The model's own weights seen as Params (no copy; valid while `model` lives and is unchanged).
/// Throws std::invalid_argument if the layers do not match the architecture.
Params<float> params_view(const Model& model, const Architecture& arch);
void store_params(const Params<float>& p, const Architecture& arch, Model& model);

/// The fixed column tiles of a product with `cols` output columns and `work` multiply-adds:
/// tile t covers [t * width, min(cols, (t + 1) * width)). Depends on the sizes only.
struct Tiles {
    int count = 1;
    int width = 0;
};
Tiles tiles_for(std::int64_t cols, double work);

}  // namespace latentscape::reduce::autoencoder::internal
