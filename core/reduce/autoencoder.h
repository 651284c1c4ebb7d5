#pragma once
/// @file A fully connected autoencoder (and variational autoencoder) trained on the CPU, as a
/// resumable state object (DESIGN.md section 3):
///
///     auto status = autoencoder::initialize(X, n, d, options);   // X must outlive status
///     while (!status.finished()) status.run_steps(status.step() + 20);   // a live view
///     std::vector<float> codes = status.model().encode(X, n);
///
/// Network: an encoder d -> hidden[0] -> ... -> hidden[k-1] -> L and the mirrored decoder
/// L -> hidden[k-1] -> ... -> hidden[0] -> d. Hidden layers use the chosen activation; the
/// bottleneck is linear; the output is a sigmoid (for data in [0, 1]) or linear. A variational
/// encoder (Kingma & Welling 2014) outputs 2L numbers, a mean and a log-variance per latent
/// dimension; training samples z = mean + exp(logvar / 2) * eps and codes are the means.
///
/// Training: mini-batches in an order shuffled per epoch from the seed, Adam (Kingma & Ba 2015,
/// bias-corrected as in PyTorch) with decoupled weight decay (AdamW), He-uniform initialisation
/// for ReLU/GELU layers and Xavier-uniform for tanh and linear ones, all from the seed. The
/// matrix work is float32 GEMMs on whole batches (Eigen), each split into a fixed set of tiles
/// that OpenMP threads share: a result never depends on the thread count, and running 1,000
/// steps in one call or in chunks of any size gives the same network bit for bit.
///
/// Losses: the plain autoencoder minimises the mean over every element of the batch (as
/// PyTorch's MSELoss / BCELoss with reduction "mean"); the VAE minimises the negative evidence
/// lower bound per sample: reconstruction summed over the d features, plus beta x KL(q(z|x) ||
/// N(0, I)), averaged over the batch.

#include "common/default_init.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace latentscape::reduce::autoencoder {

/// Activation of the hidden layers.
enum class Activation {
    Relu,   ///< max(0, x): the fastest; He initialisation
    Gelu,   ///< x * Phi(x) with the exact normal CDF (PyTorch's default GELU)
    Tanh,   ///< Xavier initialisation
    Linear, ///< identity: the network is then linear and its code spans the PCA subspace
};

/// Activation of the output layer.
enum class Output {
    Auto,    ///< Sigmoid when every value (after the input scale) is in [0, 1], else Linear; always
             ///< Linear with standardisation
    Sigmoid, ///< values in (0, 1): images scaled to [0, 1]
    Linear,  ///< unbounded values
};

/// Reconstruction loss.
enum class Loss {
    Mse, ///< squared error
    Bce, ///< binary cross-entropy: needs data in [0, 1] and the sigmoid output
};

/// Options of initialize(). Validated there; every error names the offending value.
struct Options {
    /// Size of the code: 2 or 3 to display, any size >= 1 for preprocessing.
    int latent_dims = 2;
    /// Sizes of the encoder's hidden layers, widest first; the decoder mirrors them. Unset:
    /// {512, 128} when d >= 256, {128, 32} when d >= 32, else {32, 16}. Each in [1, 65536].
    std::optional<std::vector<int>> hidden;
    Activation activation = Activation::Relu;
    Output output = Output::Auto;
    Loss loss = Loss::Mse;
    /// Train a variational autoencoder (a mean and a log-variance per latent dimension).
    bool variational = false;
    /// Weight of the KL term of the VAE (beta-VAE), in [0, 1e6]. Ignored without `variational`.
    double beta = 1.0;
    /// Passes over the training rows. >= 1.
    int epochs = 20;
    /// Rows per gradient step; the last batch of an epoch may be smaller. >= 1.
    int batch_size = 256;
    /// Adam step size, in [1e-20, 1000]. Larger learns faster at first and may diverge.
    double learning_rate = 1e-3;
    /// Adam's decay rates of the first and second moment estimates, in [0, 1).
    double adam_beta1 = 0.9;
    double adam_beta2 = 0.999;
    /// Adam's denominator guard, in [1e-30, 1].
    double adam_epsilon = 1e-8;
    /// Decoupled weight decay (AdamW): each step shrinks weights by lr x weight_decay. >= 0.
    double weight_decay = 0.0;
    /// Scale each feature to mean 0 and standard deviation 1 first (constant features keep scale
    /// 1). Then the output is linear; decode() undoes the scaling.
    bool standardize = false;
    /// Without standardisation: the network sees every value divided by this (255 brings 8-bit
    /// pixels to [0, 1], where the sigmoid output and BCE apply); decode() multiplies back, and a
    /// saved model keeps it. In [1e-30, 1e30]; must be 1 with standardisation. See
    /// suggested_input_scale().
    double input_scale = 1.0;
    /// Fraction of rows held out (chosen from the seed) to measure generalisation, in [0, 0.5].
    /// They are not trained on; 0 trains on every row.
    double validation_fraction = 0.1;
    /// Stop when the held-out loss has not improved for this many epochs; 0 never stops early.
    /// Needs validation_fraction > 0.
    int patience = 0;
    /// Seed of the initial weights, the held-out rows, the shuffles and the VAE's noise.
    std::uint64_t seed = 42;
};

/// The hidden sizes used when Options::hidden is unset.
std::vector<int> default_hidden(std::int64_t input_dims);

/// The input scale the app and the CLI use: 255 for image data (`images`: the rows are pictures)
/// whose values all lie in [0, 255] with some above 1 (8-bit pixels), else 1.
double suggested_input_scale(const float* X, std::int64_t n, std::int64_t d, bool images);

/// A trained network: what is needed to encode and decode, and nothing about training.
/// A value type (copy it freely; the GUI keeps snapshots of it). Thread-safe for concurrent
/// const use.
struct Model {
    struct Layer {
        int in = 0;
        int out = 0;
        std::vector<float> weights; ///< out x in, column-major: weight (o, i) at o + i * out
        std::vector<float> bias;    ///< out
    };
    int input_dims = 0;
    int latent_dims = 0;
    bool variational = false;
    Activation activation = Activation::Relu;
    bool sigmoid_output = false;
    std::vector<int> hidden;
    /// Standardisation or input scale (empty when neither): the network sees (x - mean) / scale.
    std::vector<float> mean;
    std::vector<float> scale;
    /// The input is log1p(x) before that map, and decode() returns expm1 of the network's output
    /// once unmapped (a run made on log1p-preprocessed features keeps encoding raw rows). Values
    /// <= -1 cannot be encoded.
    bool log1p_input = false;
    /// Encoder layers (hidden.size() + 1; the last outputs L, or 2L for a VAE: means first)
    /// then decoder layers (hidden.size() + 1).
    std::vector<Layer> layers;

    int encoder_layers() const { return static_cast<int>(hidden.size()) + 1; }
    std::int64_t parameter_count() const;

    /// Codes of n rows of d = input_dims values (row-major), n x latent_dims row-major (the
    /// means for a VAE). Rows never seen in training are fine. A row's code does not depend on
    /// the other rows passed with it (one row alone gets the same bits as in a batch of 10,000).
    /// Throws std::invalid_argument for a non-finite value (row and column named), and
    /// std::runtime_error when the network itself gives a non-finite code (a corrupt model).
    std::vector<float> encode(const float* X, std::int64_t n) const;
    /// Decoded rows of n codes (row-major, n x latent_dims): n x input_dims, in the data's units
    /// (independent of the other rows passed, as for encode()).
    std::vector<float> decode(const float* Z, std::int64_t n) const;
    /// Mean squared reconstruction error per value of n rows, in the data's units (decode of
    /// encode, through the means for a VAE).
    double reconstruction_mse(const float* X, std::int64_t n) const;
    /// encode() and reconstruction_mse() of the same n >= 1 rows in one pass (the encoder runs
    /// once, not twice): the same codes and the same mean, bit for bit. Throws as both do.
    std::vector<float> encode_and_score(const float* X, std::int64_t n, double& mse) const;
    /// Mean squared reconstruction error of each of n rows (d = input_dims values, row-major):
    /// n values, value i = ||decode(encode(x_i)) - x_i||^2 / input_dims in the data's units (after
    /// undoing any standardisation or input scale). Their mean is reconstruction_mse(X, n) up to
    /// rounding; a row's value does not depend on the other rows passed. n = 0 gives no values.
    /// Throws as encode() does.
    std::vector<double> reconstruction_errors(const float* X, std::int64_t n) const;

    /// Writes the model atomically to `path` in the format described in autoencoder_io.cpp
    /// (magic "LSCAPEAE", format version, architecture, then float32 little-endian arrays).
    /// Throws std::runtime_error naming the path on I/O errors.
    void save(const std::string& path) const;
    /// Reads a model written by save(). Throws LoadError naming the file, the byte offset and
    /// the cause for a missing, truncated, corrupt or future-version file.
    static Model load(const std::string& path);
};

/// The format version save() writes and the newest load() reads.
inline constexpr std::uint32_t model_format_version = 1;

/// One finished epoch.
struct EpochRecord {
    int epoch = 0;                  ///< 1-based
    double train_loss = 0.0;        ///< mean loss of the epoch's batches (as trained on)
    double validation_loss = 0.0;   ///< loss on the held-out rows (NaN when none)
    double seconds = 0.0;           ///< training time up to the end of this epoch
};

namespace internal {
struct State;
}

/// A training run in progress. Movable, not copyable. Not thread-safe: one thread drives it.
/// The rows passed to initialize() are read in place: they must outlive the Status.
class Status {
public:
    Status(Status&&) noexcept;
    Status& operator=(Status&&) noexcept;
    ~Status();

    std::int64_t n() const;              ///< rows given
    std::int64_t training_rows() const;  ///< rows trained on (n minus the held-out ones)
    std::int64_t validation_rows() const;
    std::int64_t steps_per_epoch() const;
    /// Gradient steps done so far, and the most there will be (epochs x steps_per_epoch).
    std::int64_t step() const;
    std::int64_t max_steps() const;
    /// Epochs completed.
    int epoch() const;
    int max_epochs() const;
    /// True after the last epoch or an early stop.
    bool finished() const;
    bool stopped_early() const;

    /// Trains until step() == min(until, max_steps()) or an early stop (checked at the end of
    /// each epoch).
    void run_steps(std::int64_t until);
    /// Trains until epoch() == min(until, max_epochs()) or an early stop.
    void run_epochs(int until);

    /// Mean loss of the current epoch's steps so far, or of the last epoch when a new one has
    /// not begun; NaN before the first step.
    double loss() const;
    /// One record per finished epoch.
    const std::vector<EpochRecord>& history() const;
    /// The network as trained so far (a copy).
    Model model() const;
    /// Seconds spent in run_*() so far.
    double training_seconds() const;
    /// The hidden sizes and output chosen.
    const std::vector<int>& hidden() const;
    bool sigmoid_output() const;

private:
    friend Status initialize(const float*, std::int64_t, std::int64_t, const Options&);
    explicit Status(std::unique_ptr<internal::State> state);
    std::unique_ptr<internal::State> state_;
};

/// Prepares training on the n x d row-major matrix X: checks the options and the data, picks
/// the held-out rows and initialises the weights. Throws std::invalid_argument (the message
/// names the value) for n < 2, d < 1, a NaN or an infinity (row and column named), a bad layer
/// size, the BCE loss or a sigmoid output on data outside [0, 1], or another option out of its
/// documented range, and std::runtime_error when the network would not fit in memory.
Status initialize(const float* X, std::int64_t n, std::int64_t d, const Options& options = {});

/// A finished run, for callers that do not watch it.
struct Result {
    Model model;
    std::vector<float> codes;        ///< n x latent_dims row-major
    double reconstruction_mse = 0.0; ///< of all n rows (Model::reconstruction_mse), found with the codes
    std::vector<EpochRecord> history;
    std::int64_t steps = 0;
    bool stopped_early = false;
    double training_seconds = 0.0;
    double samples_per_second = 0.0; ///< training rows x epochs / training seconds
};

/// initialize(), run to the end, and encode and score every row (one pass: encode_and_score).
Result run_to_end(const float* X, std::int64_t n, std::int64_t d, const Options& options = {});

/// Names for messages, the CLI and files: "relu", "gelu", "tanh", "linear"; "auto",
/// "sigmoid", "linear"; "mse", "bce". The parse_* functions throw std::invalid_argument
/// listing the accepted names.
const char* to_string(Activation activation);
const char* to_string(Output output);
const char* to_string(Loss loss);
Activation parse_activation(const std::string& name);
Output parse_output(const std::string& name);
Loss parse_loss(const std::string& name);

}  // namespace latentscape::reduce::autoencoder
