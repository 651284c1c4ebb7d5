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

#include "common/file_io.h"
#include "common/parallel.h"
#include "reduce/autoencoder.h"

#include <iosfwd>

#include <Eigen/Core>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace latentscape::reduce::autoencoder::internal {

template <class T>
using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
template <class T>
using Vec = Eigen::Matrix<T, Eigen::Dynamic, 1>;

/// What a layer applies after its affine map.
enum class Act { Relu, Gelu, Tanh, Linear, Sigmoid, LeakyRelu };
/// The slope of LeakyRelu below 0 (the usual choice for a GAN's discriminator).
inline constexpr double kLeakySlope = 0.2;

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

/// The backward pass through layers [first, last) that forward() ran on `input`: on entry ws.dZ
/// holds dLoss/dZ of layer last - 1 (out x B). Writes the parameter gradients of those layers
/// into `grad` (overwritten) when given, and dLoss/d`input` (in[first] x B) into `d_input` when
/// given. With neither it does nothing. ws.dZ and ws.dA are scratch afterwards.
template <class T>
void backward(const Architecture& arch, const Params<T>& p, int first, int last,
              const Eigen::Ref<const Mat<T>>& input, Workspace<T>& ws, Params<T>* grad, Mat<T>* d_input);

/// dZ = dA * f'(Z) for activation `act` (A = f(Z)), over whole matrices, tiled like forward().
template <class T>
void activation_derivative(Act act, const Mat<T>& Z, const Mat<T>& A, const Mat<T>& dA, Mat<T>& dZ);

/// Adam's settings (Kingma & Ba 2015, bias-corrected as PyTorch does) with decoupled weight decay.
struct AdamSettings {
    double learning_rate = 1e-3;
    double beta1 = 0.9;
    double beta2 = 0.999;
    double epsilon = 1e-8;
    double weight_decay = 0.0;
};
/// Adam's step number t (1-based) on every parameter: p, m, v updated from the gradient g. In
/// fixed chunks, so the result does not depend on the thread count.
template <class T>
void adam_update(const AdamSettings& s, std::int64_t t, Params<T>& p, Params<T>& m, Params<T>& v, const Params<T>& g);

/// Params<float> holding a copy of a model's weights, and back.
Params<float> params_of(const Model& model, const Architecture& arch);
/// The model's own weights seen as Params (no copy; valid while `model` lives and is unchanged).
/// Throws std::invalid_argument if the layers do not match the architecture.
Params<float> params_view(const Model& model, const Architecture& arch);
void store_params(const Params<float>& p, const Architecture& arch, Model& model);
/// The same for any list of layers (the GAN's networks); `what` names them in errors.
Params<float> layers_view(const std::vector<Model::Layer>& layers, const Architecture& arch, const char* what);
void store_layers(const Params<float>& p, const Architecture& arch, std::vector<Model::Layer>& layers);

/// The fixed column tiles of a product with `cols` output columns and `work` multiply-adds:
/// tile t covers [t * width, min(cols, (t + 1) * width)). Depends on the sizes only.
struct Tiles {
    int count = 1;
    int width = 0;
};
Tiles tiles_for(std::int64_t cols, double work);

}  // namespace latentscape::reduce::autoencoder::internal

namespace latentscape::reduce::autoencoder::internal {

/// What the networks see of the data: (x - mean) / scale, or x itself when mean is empty. Fitted
/// by fit_input_map(), shared by the autoencoder and the GAN.
struct InputMap {
    std::vector<float> mean, scale;  ///< empty: the identity
    Eigen::VectorXf mean_, scale_;   ///< the same, aligned (see Params)
    /// Every mapped value is in [0, 1] (never with standardisation).
    bool unit = false;
    /// When not unit: "row i, column j is v" for the first value outside [0, 1] (for messages).
    std::string outside;
    /// The columns of `batch` (d x count): rows `rows` of X (d values each), mapped.
    void gather(const float* X, std::int64_t d, const std::int64_t* rows, std::int64_t count, Mat<float>& batch) const;
};

/// Checks that X (n x d) is finite and fits the map: standardisation (per-column mean and
/// population standard deviation; constant columns keep scale 1) or division by input_scale
/// (no map when it is 1). Throws std::invalid_argument "<who>: row r, column c is NaN/infinite".
/// The checks every MLP trainer makes on its data and common options; throws
/// std::invalid_argument "<who>: ..." naming the value.
struct CommonChecks {
    const float* X = nullptr;
    std::int64_t n = 0, d = 0;
    int epochs = 0, batch_size = 0;
    AdamSettings adam;
    bool standardize = false;
    double input_scale = 1.0;
};
void check_common(const char* who, const CommonChecks& c);
/// At most 16 layers, each of [1, 65536] units ("<what> 2 has 0 units; ...").
void check_hidden(const char* who, const char* what, const std::vector<int>& hidden);

InputMap fit_input_map(const char* who, const float* X, std::int64_t n, std::int64_t d, bool standardize,
                       double input_scale);

/// Reads `count` float32 values at byte `pos` of a model file and advances pos. Throws LoadError
/// naming the file and offset for a short read, a non-finite value or one beyond 1e30.
std::vector<float> read_floats(const io::InputFile& in, std::size_t count, std::size_t& pos, const std::string& what);
/// Writes float32 values as they are in memory (little-endian).
void write_floats(std::ostream& out, const std::vector<float>& v);

/// Applying a trained network: rows go through in batches of kApplyBatch, in parallel.
inline constexpr std::int64_t kApplyBatch = 256;

/// Calls body(first_row, rows) for consecutive batches of kApplyBatch rows, in parallel; each
/// batch's numbers do not depend on the thread that computes it.
template <class Body>
void for_batches(std::int64_t n, Body&& body) {
    const std::int64_t count = (n + kApplyBatch - 1) / kApplyBatch;
    parallel::for_each_dynamic(count, [&](std::int64_t b) {
        const std::int64_t r0 = b * kApplyBatch;
        body(r0, std::min(kApplyBatch, n - r0));
    });
}

/// Columns of a batch: rows rounded up to a multiple of 16 (zero columns pad it). Every column
/// then goes through the same GEMM kernels (full register blocks; never Eigen's matrix-vector
/// path), so a row's result does not depend on how many rows came with it.
inline Eigen::Index padded(std::int64_t rows) { return static_cast<Eigen::Index>((rows + 15) / 16 * 16); }

/// Throws std::invalid_argument "<who>: <what>: row r, column c is NaN/infinite" for the first
/// non-finite value of X (n x d), or for n < 0 or missing data.
void check_finite(const char* who, const float* X, std::int64_t n, std::int64_t d, const char* what);
/// Throws std::runtime_error when a network produced a non-finite value (a corrupt or diverged
/// model): better an error naming the row than NaN written out as if it were a result.
void check_output(const char* who, const std::vector<float>& out, std::int64_t n, std::int64_t width, const char* what);

/// A trained network's view of rows [r0, r0 + rows) of X (d values each): d x padded(rows), log1p
/// first when `log1p`, then (x - mean) / scale unless `mean` is empty.
Mat<float> mapped_input(const std::vector<float>& mean, const std::vector<float>& scale, bool log1p, const float* X,
                        std::int64_t d, std::int64_t r0, std::int64_t rows);
/// The reverse on a network's output (d x columns): x * scale + mean unless `mean` is empty.
void unmap_output(const std::vector<float>& mean, const std::vector<float>& scale, Mat<float>& values);

}  // namespace latentscape::reduce::autoencoder::internal
