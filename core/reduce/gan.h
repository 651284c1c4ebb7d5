#pragma once
/// @file A generative adversarial network (Goodfellow et al. 2014) trained on the CPU with the
/// autoencoder's MLP engine, as a resumable state object (DESIGN.md section 3):
///
///     auto status = gan::initialize(X, n, d, options);   // X must outlive status
///     while (!status.finished()) status.run_steps(status.step() + 20);   // a live view
///     std::vector<float> rows = status.model().generate(noise.data(), m);
///
/// Networks: a generator G, noise (noise_dims) -> generator hidden layers -> d values (sigmoid
/// output for data in [0, 1], else linear), and a discriminator D, d values -> discriminator
/// hidden layers (LeakyReLU, slope 0.2) -> one logit. Noise is N(0, I).
///
/// Training, per mini-batch of B real rows and B noise vectors (as PyTorch's DCGAN example does
/// it): D takes one Adam step on the mean binary cross-entropy of D(real) as real and D(G(z)) as
/// fake; then G takes one Adam step on the non-saturating loss -log D(G(z)) (mean over the batch,
/// the same z, through the updated D). Batches are shuffled per epoch from the seed; the noise of
/// step t comes from the seed and t alone. Every GEMM is split into tiles fixed by the sizes, never
/// by the thread count (see autoencoder_internal.h): the same seed gives the same networks bit for
/// bit with any number of threads, and running in chunks of any size equals running in one call.

#include "reduce/autoencoder.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace latentscape::reduce::gan {

/// Options of initialize(). Validated there; every error names the offending value.
struct Options {
    /// Size of the noise vector: 2 gives a plane of generated rows to explore. In [1, 65536].
    int noise_dims = 2;
    /// Hidden sizes of the generator, narrowest first. Unset: autoencoder::default_hidden(d)
    /// reversed ({128, 512} for d >= 256). Each in [1, 65536], at most 16 layers.
    std::optional<std::vector<int>> generator_hidden;
    /// Hidden sizes of the discriminator, widest first. Unset: autoencoder::default_hidden(d).
    std::optional<std::vector<int>> discriminator_hidden;
    /// Activation of the generator's hidden layers (the discriminator's are LeakyReLU).
    autoencoder::Activation activation = autoencoder::Activation::Relu;
    /// The generator's output: Auto is the sigmoid when every value (after the input map) is in
    /// [0, 1], else linear.
    autoencoder::Output output = autoencoder::Output::Auto;
    /// Passes over the rows. >= 1.
    int epochs = 20;
    /// Real rows (and generated ones) per step; the last batch of an epoch may be smaller. >= 1.
    int batch_size = 64;
    /// Adam's step size of both networks, in [1e-20, 1000]. 2e-4 with beta1 = 0.5 is the usual
    /// GAN setting (Radford et al. 2016); larger often oscillates.
    double learning_rate = 2e-4;
    double adam_beta1 = 0.5;     ///< in [0, 1)
    double adam_beta2 = 0.999;   ///< in [0, 1)
    double adam_epsilon = 1e-8;  ///< in [1e-30, 1]
    /// Scale each feature to mean 0 and standard deviation 1 first (constant features keep scale
    /// 1); the output is then linear and generate() undoes the scaling.
    bool standardize = false;
    /// Without standardisation: the networks see every value divided by this (255 brings 8-bit
    /// pixels to [0, 1]); generate() multiplies back. In [1e-30, 1e30]; 1 with standardisation.
    double input_scale = 1.0;
    /// Seed of the initial weights, the shuffles and the noise.
    std::uint64_t seed = 42;
};

/// A trained GAN: both networks and the input map. A value type, thread-safe for const use.
struct Model {
    using Layer = autoencoder::Model::Layer;
    int data_dims = 0;
    int noise_dims = 0;
    autoencoder::Activation activation = autoencoder::Activation::Relu;
    bool sigmoid_output = false;
    std::vector<int> generator_hidden;
    std::vector<int> discriminator_hidden;
    /// The networks see (x - mean) / scale (empty when the map is the identity).
    std::vector<float> mean;
    std::vector<float> scale;
    std::vector<Layer> generator;      ///< generator_hidden.size() + 1 layers
    std::vector<Layer> discriminator;  ///< discriminator_hidden.size() + 1 layers, the last 1 wide

    std::int64_t parameter_count() const;
    /// Generated rows for n noise vectors (row-major n x noise_dims): n x data_dims row-major, in
    /// the data's units. A row does not depend on the other rows passed with it. Throws
    /// std::invalid_argument for a non-finite noise value, std::runtime_error when the network
    /// gives a non-finite value (a corrupt model).
    std::vector<float> generate(const float* noise, std::int64_t n) const;
    /// D's probability that each of n rows (data units, n x data_dims) is real.
    std::vector<float> discriminate(const float* X, std::int64_t n) const;

    /// Writes the model atomically (format in gan_io.cpp: magic "LSCAPEGN", version, shapes,
    /// float32 arrays). Throws std::runtime_error naming the path on I/O errors.
    void save(const std::string& path) const;
    /// Reads a model written by save(). Throws LoadError naming the file, the byte offset and the
    /// cause for a missing, truncated, corrupt or future-version file.
    static Model load(const std::string& path);
};

/// The format version save() writes and the newest load() reads.
inline constexpr std::uint32_t model_format_version = 1;

/// n noise vectors N(0, I) of `dims` values (row-major), from the seed alone: row i is the same
/// whatever n is.
std::vector<float> noise(std::int64_t n, int dims, std::uint64_t seed);

/// n noise vectors on the straight line from a to b (both `dims` values), ends included.
std::vector<float> interpolate(const std::vector<float>& a, const std::vector<float>& b, int n);

/// One finished epoch.
struct EpochRecord {
    int epoch = 0;                   ///< 1-based
    double generator_loss = 0.0;     ///< mean -log D(G(z)) over the epoch's steps
    double discriminator_loss = 0.0; ///< mean of -log D(x) - log(1 - D(G(z)))
    double real_score = 0.0;         ///< mean D(x) of the real rows (probability)
    double fake_score = 0.0;         ///< mean D(G(z)) before D's step
    double seconds = 0.0;            ///< training time up to the end of this epoch
};

namespace internal {
struct State;
}

/// A training run in progress. Movable, not copyable; one thread drives it. The rows passed to
/// initialize() are read in place: they must outlive the Status.
class Status {
public:
    Status(Status&&) noexcept;
    Status& operator=(Status&&) noexcept;
    ~Status();

    std::int64_t n() const;
    std::int64_t steps_per_epoch() const;
    std::int64_t step() const;
    std::int64_t max_steps() const;
    int epoch() const;
    int max_epochs() const;
    bool finished() const;

    /// Trains until step() == min(until, max_steps()).
    void run_steps(std::int64_t until);
    /// Trains until epoch() == min(until, max_epochs()).
    void run_epochs(int until);

    /// Mean losses of the current epoch's steps so far, or of the last epoch when a new one has
    /// not begun; NaN before the first step.
    double generator_loss() const;
    double discriminator_loss() const;
    const std::vector<EpochRecord>& history() const;
    /// Both networks as trained so far (a copy).
    Model model() const;
    double training_seconds() const;

private:
    friend Status initialize(const float*, std::int64_t, std::int64_t, const Options&);
    explicit Status(std::unique_ptr<internal::State> state);
    std::unique_ptr<internal::State> state_;
};

/// Prepares training on the n x d row-major matrix X. Throws std::invalid_argument (naming the
/// value) for n < 2, d < 1, a non-finite value (row and column), a sigmoid output on data outside
/// [0, 1], or an option out of its range; std::runtime_error when the networks would not fit in
/// memory.
Status initialize(const float* X, std::int64_t n, std::int64_t d, const Options& options = {});

}  // namespace latentscape::reduce::gan
