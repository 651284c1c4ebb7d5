// Training of the autoencoder: options, data checks, initialisation, mini-batches, Adam, epochs.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"  // GCC bug 105593, see autoencoder_net.cpp
#endif

#include "reduce/autoencoder.h"

#include "common/file_io.h"
#include "common/parallel.h"
#include "common/rng.h"
#include "reduce/autoencoder_internal.h"

#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>
#include <stdexcept>

namespace latentscape::reduce::autoencoder {

using internal::Mat;

namespace internal {

struct State {
    const float* X = nullptr;
    std::int64_t n = 0;
    std::int64_t d = 0;
    Options options;
    std::vector<int> hidden;
    bool sigmoid = false;
    Architecture arch;
    LossSpec spec;
    Params<float> params, grad, m, v;
    Workspace<float> ws;
    Mat<float> batch, eps;
    InputMap map;  // standardisation or input scale
    std::vector<std::int64_t> train_rows, val_rows, order;
    std::int64_t steps_per_epoch = 0;
    std::int64_t max_steps = 0;
    std::int64_t step = 0;
    int epoch = 0;
    bool stopped_early = false;
    double epoch_loss_sum = 0.0;
    std::int64_t epoch_samples = 0;
    double last_epoch_loss = std::numeric_limits<double>::quiet_NaN();
    double best_validation = std::numeric_limits<double>::infinity();
    int epochs_since_best = 0;
    std::vector<EpochRecord> history;
    double seconds = 0.0;       // in run_steps() before the current call
    std::chrono::steady_clock::time_point run_start;

    bool finished() const { return stopped_early || step >= max_steps; }

    /// Columns of the batch: rows `rows` of X, mapped.
    void gather(const std::int64_t* rows, std::int64_t count) { map.gather(X, d, rows, count, batch); }

    void adam(std::int64_t t) {
        const Options& o = options;
        internal::adam_update({o.learning_rate, o.adam_beta1, o.adam_beta2, o.adam_epsilon, o.weight_decay}, t, params, m, v, grad);
    }

    double validation_loss() {
        if (val_rows.empty()) return std::numeric_limits<double>::quiet_NaN();
        const std::int64_t B = options.batch_size;
        double sum = 0.0;
        const Mat<float> no_noise;
        for (std::int64_t r0 = 0; r0 < std::int64_t(val_rows.size()); r0 += B) {
            const std::int64_t count = std::min<std::int64_t>(B, std::int64_t(val_rows.size()) - r0);
            gather(val_rows.data() + r0, count);
            sum += loss_and_gradient<float>(arch, params, batch, no_noise, spec, nullptr, ws) * double(count);
        }
        return sum / double(val_rows.size());
    }

    void one_step() {
        const std::int64_t n_train = static_cast<std::int64_t>(train_rows.size());
        const std::int64_t s = step % steps_per_epoch;
        if (s == 0) {
            // A new epoch: a fresh shuffle of the training rows from the seed and the epoch.
            order = train_rows;
            Rng rng = Rng::stream(options.seed, 0x5348554646ull + std::uint64_t(epoch));
            for (std::int64_t i = n_train - 1; i > 0; --i)
                std::swap(order[std::size_t(i)], order[std::size_t(rng.below(std::uint64_t(i) + 1))]);
            epoch_loss_sum = 0.0;
            epoch_samples = 0;
        }
        const std::int64_t r0 = s * options.batch_size;
        const std::int64_t count = std::min<std::int64_t>(options.batch_size, n_train - r0);
        gather(order.data() + r0, count);
        if (arch.variational) {
            eps.resize(arch.latent_dims, count);
            Rng rng = Rng::stream(options.seed ^ 0x4e4f495345ull, std::uint64_t(step));
            for (Eigen::Index c = 0; c < eps.cols(); ++c)
                for (Eigen::Index r = 0; r < eps.rows(); ++r) eps(r, c) = float(rng.normal());
        }
        const double loss = loss_and_gradient<float>(arch, params, batch, eps, spec, &grad, ws);
        if (!std::isfinite(loss)) {
            std::ostringstream msg;
            msg << "autoencoder: training diverged at epoch " << epoch + 1 << ", step " << step + 1
                << " (the loss is not finite): lower the learning rate (" << options.learning_rate << ")"
                << (options.standardize ? "" : ", or standardise the data if its values are large");
            throw std::runtime_error(msg.str());
        }
        ++step;
        adam(step);
        epoch_loss_sum += loss * double(count);
        epoch_samples += count;
        if (step % steps_per_epoch == 0) end_epoch();
    }

    void end_epoch() {
        ++epoch;
        EpochRecord r;
        r.epoch = epoch;
        r.train_loss = epoch_loss_sum / double(epoch_samples);
        last_epoch_loss = r.train_loss;
        epoch_loss_sum = 0.0;
        epoch_samples = 0;
        r.validation_loss = validation_loss();
        r.seconds = seconds + std::chrono::duration<double>(std::chrono::steady_clock::now() - run_start).count();
        if (!val_rows.empty()) {
            if (r.validation_loss < best_validation) {
                best_validation = r.validation_loss;
                epochs_since_best = 0;
            } else {
                ++epochs_since_best;
            }
            if (options.patience > 0 && epochs_since_best >= options.patience) stopped_early = true;
        }
        history.push_back(r);
    }
};

}  // namespace internal

namespace {

[[noreturn]] void bad(const std::string& what) { throw std::invalid_argument("autoencoder: " + what); }

std::string num(double v) {
    std::ostringstream s;
    s << v;
    return s.str();
}

void validate(const Options& o, std::int64_t n, std::int64_t d, const float* X) {
    internal::check_common("autoencoder", {X, n, d, o.epochs, o.batch_size,
                                           {o.learning_rate, o.adam_beta1, o.adam_beta2, o.adam_epsilon, o.weight_decay},
                                           o.standardize, o.input_scale});
    if (o.latent_dims < 1 || o.latent_dims > 65536)
        bad("latent dimensions (" + std::to_string(o.latent_dims) + ") must be in [1, 65536]");
    if (o.hidden) internal::check_hidden("autoencoder", "hidden layer", *o.hidden);
    if (!(o.beta >= 0.0 && o.beta <= 1e6)) bad("beta (" + num(o.beta) + ") must be in [0, 1e6]");
    if (!(o.validation_fraction >= 0.0 && o.validation_fraction <= 0.5))
        bad("held-out fraction (" + num(o.validation_fraction) + ") must be in [0, 0.5]");
    if (o.patience < 0) bad("patience (" + std::to_string(o.patience) + ") must be >= 0");
    if (o.standardize && o.output == Output::Sigmoid)
        bad("the sigmoid output cannot reach standardised values: use the linear output or no standardisation");
    if (o.standardize && o.loss == Loss::Bce) bad("the bce loss needs values in [0, 1]: turn standardisation off");
}

}  // namespace

double suggested_input_scale(const float* X, std::int64_t n, std::int64_t d, bool images) {
    if (!images || n <= 0 || d <= 0) return 1.0;
    const std::int64_t total = n * d;
    const bool in_range = parallel::first_index_where(total, [&](std::int64_t i) { return !(X[i] >= 0.0f && X[i] <= 255.0f); }) == total;
    const bool above_one = parallel::first_index_where(total, [&](std::int64_t i) { return X[i] > 1.0f; }) < total;
    return in_range && above_one ? 255.0 : 1.0;
}

std::vector<int> default_hidden(std::int64_t input_dims) {
    if (input_dims >= 256) return {512, 128};
    if (input_dims >= 32) return {128, 32};
    return {32, 16};
}

Status::Status(std::unique_ptr<internal::State> state) : state_(std::move(state)) {}
Status::Status(Status&&) noexcept = default;
Status& Status::operator=(Status&&) noexcept = default;
Status::~Status() = default;

std::int64_t Status::n() const { return state_->n; }
std::int64_t Status::training_rows() const { return std::int64_t(state_->train_rows.size()); }
std::int64_t Status::validation_rows() const { return std::int64_t(state_->val_rows.size()); }
std::int64_t Status::steps_per_epoch() const { return state_->steps_per_epoch; }
std::int64_t Status::step() const { return state_->step; }
std::int64_t Status::max_steps() const { return state_->max_steps; }
int Status::epoch() const { return state_->epoch; }
int Status::max_epochs() const { return state_->options.epochs; }
bool Status::finished() const { return state_->finished(); }
bool Status::stopped_early() const { return state_->stopped_early; }
const std::vector<EpochRecord>& Status::history() const { return state_->history; }
double Status::training_seconds() const { return state_->seconds; }
const std::vector<int>& Status::hidden() const { return state_->hidden; }
bool Status::sigmoid_output() const { return state_->sigmoid; }

double Status::loss() const {
    const internal::State& s = *state_;
    return s.epoch_samples > 0 ? s.epoch_loss_sum / double(s.epoch_samples) : s.last_epoch_loss;
}

void Status::run_steps(std::int64_t until) {
    internal::State& s = *state_;
    s.run_start = std::chrono::steady_clock::now();
    until = std::min(until, s.max_steps);
    while (!s.finished() && s.step < until) s.one_step();
    s.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - s.run_start).count();
}

void Status::run_epochs(int until) {
    const std::int64_t target = std::int64_t(std::min(until, max_epochs())) * state_->steps_per_epoch;
    run_steps(target);
}

Model Status::model() const {
    const internal::State& s = *state_;
    Model m;
    m.input_dims = static_cast<int>(s.d);
    m.latent_dims = s.options.latent_dims;
    m.variational = s.options.variational;
    m.activation = s.options.activation;
    m.sigmoid_output = s.sigmoid;
    m.hidden = s.hidden;
    m.mean = s.map.mean;
    m.scale = s.map.scale;
    internal::store_params(s.params, s.arch, m);
    return m;
}

Status initialize(const float* X, std::int64_t n, std::int64_t d, const Options& options) {
    validate(options, n, d, X);
    auto s = std::make_unique<internal::State>();
    s->X = X;
    s->n = n;
    s->d = d;
    s->options = options;
    s->hidden = options.hidden ? *options.hidden : default_hidden(d);

    // Non-finite values, then the range (for the output activation and the loss).
    internal::InputMap map = internal::fit_input_map("autoencoder", X, n, d, options.standardize, options.input_scale);
    if (options.standardize) {
        s->sigmoid = false;
    } else {
        if (options.loss == Loss::Bce && !map.unit) bad("the bce loss needs values in [0, 1]; " + map.outside);
        if (options.loss == Loss::Bce && options.output == Output::Linear)
            bad("the bce loss needs the sigmoid output");
        if (options.output == Output::Sigmoid && !map.unit)
            bad("the sigmoid output only reaches (0, 1); " + map.outside + ": use the linear output");
        s->sigmoid = options.output == Output::Sigmoid || (options.output == Output::Auto && map.unit);
    }
    s->map = std::move(map);

    // Memory: parameters four times (weights, gradient, two Adam moments) and the batch's
    // activations; a wrong layer size should fail here, not thrash.
    s->arch = internal::make_architecture(int(d), options.latent_dims, s->hidden, options.activation, s->sigmoid,
                                          options.variational);
    double params = 0.0, units = 0.0;
    for (int l = 0; l < s->arch.layers(); ++l) {
        params += double(s->arch.in[l]) * s->arch.out[l] + s->arch.out[l];
        units += s->arch.out[l];
    }
    const double bytes = 4.0 * (4.0 * params + 4.0 * units * double(options.batch_size));
    if (params > 2e9 || bytes > double(io::memory_limit()))
        throw std::runtime_error("autoencoder: the network (" + num(params) + " parameters, " +
                                 num(std::round(bytes / 1048576.0)) + " MiB to train) does not fit in memory");

    // Held-out rows from the seed; the rest train.
    std::vector<std::int64_t> rows(static_cast<std::size_t>(n));
    std::iota(rows.begin(), rows.end(), std::int64_t(0));
    const std::int64_t n_val = static_cast<std::int64_t>(std::floor(options.validation_fraction * double(n)));
    if (n_val > 0) {
        Rng rng = Rng::stream(options.seed, 0x484f4c44ull);
        for (std::int64_t i = 0; i < n_val; ++i)
            std::swap(rows[std::size_t(i)], rows[std::size_t(i + std::int64_t(rng.below(std::uint64_t(n - i))))]);
        s->val_rows.assign(rows.begin(), rows.begin() + n_val);
        std::sort(s->val_rows.begin(), s->val_rows.end());
    }
    s->train_rows.assign(rows.begin() + n_val, rows.end());
    std::sort(s->train_rows.begin(), s->train_rows.end());
    if (options.patience > 0 && s->val_rows.empty())
        bad("early stopping (patience " + std::to_string(options.patience) +
            ") needs held-out rows: raise the held-out fraction (" + num(options.validation_fraction) + ")");
    const std::int64_t n_train = std::int64_t(s->train_rows.size());
    s->steps_per_epoch = (n_train + options.batch_size - 1) / options.batch_size;
    s->max_steps = s->steps_per_epoch * options.epochs;

    // Weights: He-uniform before ReLU/GELU, Xavier-uniform before anything else; biases 0.
    s->params = internal::Params<float>(s->arch);
    for (int l = 0; l < s->arch.layers(); ++l) {
        const double fan_in = s->arch.in[l], fan_out = s->arch.out[l];
        const internal::Act act = s->arch.act[l];
        const bool he = act == internal::Act::Relu || act == internal::Act::Gelu;
        const double bound = he ? std::sqrt(6.0 / fan_in) : std::sqrt(6.0 / (fan_in + fan_out));
        Rng rng = Rng::stream(options.seed, 0x57454947ull + std::uint64_t(l));
        auto W = s->params.W(l);
        for (Eigen::Index c = 0; c < W.cols(); ++c)
            for (Eigen::Index r = 0; r < W.rows(); ++r) W(r, c) = float(rng.uniform(-bound, bound));
    }
    s->grad = internal::Params<float>(s->arch);
    s->m = internal::Params<float>(s->arch);
    s->v = internal::Params<float>(s->arch);
    s->spec.loss = options.loss;
    s->spec.variational = options.variational;
    s->spec.beta = options.beta;
    return Status(std::move(s));
}

Result run_to_end(const float* X, std::int64_t n, std::int64_t d, const Options& options) {
    Status status = initialize(X, n, d, options);
    status.run_steps(status.max_steps());
    Result r;
    r.model = status.model();
    r.codes = r.model.encode_and_score(X, n, r.reconstruction_mse);
    r.history = status.history();
    r.steps = status.step();
    r.stopped_early = status.stopped_early();
    r.training_seconds = status.training_seconds();
    r.samples_per_second = r.training_seconds > 0.0 ? double(status.step()) / double(status.steps_per_epoch()) *
                                                          double(status.training_rows()) / r.training_seconds
                                                    : 0.0;
    return r;
}

const char* to_string(Activation a) {
    switch (a) {
    case Activation::Relu: return "relu";
    case Activation::Gelu: return "gelu";
    case Activation::Tanh: return "tanh";
    case Activation::Linear: return "linear";
    }
    return "?";
}
const char* to_string(Output o) {
    switch (o) {
    case Output::Auto: return "auto";
    case Output::Sigmoid: return "sigmoid";
    case Output::Linear: return "linear";
    }
    return "?";
}
const char* to_string(Loss l) { return l == Loss::Bce ? "bce" : "mse"; }

Activation parse_activation(const std::string& name) {
    for (Activation a : {Activation::Relu, Activation::Gelu, Activation::Tanh, Activation::Linear})
        if (name == to_string(a)) return a;
    bad("unknown activation '" + name + "' (relu, gelu, tanh or linear)");
}
Output parse_output(const std::string& name) {
    for (Output o : {Output::Auto, Output::Sigmoid, Output::Linear})
        if (name == to_string(o)) return o;
    bad("unknown output '" + name + "' (auto, sigmoid or linear)");
}
Loss parse_loss(const std::string& name) {
    for (Loss l : {Loss::Mse, Loss::Bce})
        if (name == to_string(l)) return l;
    bad("unknown loss '" + name + "' (mse or bce)");
}

}  // namespace latentscape::reduce::autoencoder
