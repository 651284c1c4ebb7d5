// Training of the GAN (gan.h): options, initialisation, the alternating Adam steps, epochs.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"  // GCC bug 105593, see autoencoder_net.cpp
#endif

#include "reduce/gan.h"

#include "common/file_io.h"
#include "common/rng.h"
#include "reduce/autoencoder_internal.h"
#include "reduce/gan_internal.h"

#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>
#include <stdexcept>

namespace latentscape::reduce::gan {

namespace ae = autoencoder::internal;
using ae::Mat;

namespace internal {

struct State {
    const float* X = nullptr;
    std::int64_t n = 0;
    std::int64_t d = 0;
    Options options;
    ae::AdamSettings adam;
    ae::InputMap map;
    Nets nets;
    ae::Params<float> g_params, g_grad, g_m, g_v;
    ae::Params<float> d_params, d_grad, d_m, d_v;
    StepWork<float> work;
    Mat<float> real, z;
    std::vector<std::int64_t> order;
    std::int64_t steps_per_epoch = 0;
    std::int64_t max_steps = 0;
    std::int64_t step = 0;
    int epoch = 0;
    // Sums over the current epoch's steps (weighted by batch size), for the records.
    double g_sum = 0.0, d_sum = 0.0, real_sum = 0.0, fake_sum = 0.0;
    std::int64_t samples = 0;
    EpochRecord last;
    std::vector<EpochRecord> history;
    double seconds = 0.0;
    std::chrono::steady_clock::time_point run_start;

    bool finished() const { return step >= max_steps; }

    void one_step() {
        const std::int64_t s = step % steps_per_epoch;
        if (s == 0) {
            order.resize(std::size_t(n));
            std::iota(order.begin(), order.end(), std::int64_t(0));
            Rng rng = Rng::stream(options.seed, 0x5348554646ull + std::uint64_t(epoch));
            for (std::int64_t i = n - 1; i > 0; --i)
                std::swap(order[std::size_t(i)], order[std::size_t(rng.below(std::uint64_t(i) + 1))]);
        }
        const std::int64_t r0 = s * options.batch_size;
        const Eigen::Index B = static_cast<Eigen::Index>(std::min<std::int64_t>(options.batch_size, n - r0));
        map.gather(X, d, order.data() + r0, B, real);
        noise_block(options.seed, step, options.noise_dims, B, z);

        const double d_loss = discriminator_loss<float>(nets, g_params, d_params, real, z, &d_grad, work);
        ++step;
        ae::adam_update(adam, step, d_params, d_m, d_v, d_grad);
        // The generator: the same noise through the updated discriminator.
        const double g_loss = generator_loss<float>(nets, g_params, d_params, z, true, &g_grad, work);
        ae::adam_update(adam, step, g_params, g_m, g_v, g_grad);

        if (!std::isfinite(d_loss) || !std::isfinite(g_loss)) {
            std::ostringstream msg;
            msg << "gan: training diverged at epoch " << epoch + 1 << ", step " << step
                << " (a loss is not finite): lower the learning rate (" << options.learning_rate << ")"
                << (options.standardize ? "" : ", or standardise the data if its values are large");
            throw std::runtime_error(msg.str());
        }
        g_sum += g_loss * double(B);
        d_sum += d_loss * double(B);
        real_sum += work.real_score;
        fake_sum += work.fake_score;
        samples += B;
        if (step % steps_per_epoch == 0) end_epoch();
    }

    void end_epoch() {
        ++epoch;
        EpochRecord r;
        r.epoch = epoch;
        r.generator_loss = g_sum / double(samples);
        r.discriminator_loss = d_sum / double(samples);
        r.real_score = real_sum / double(samples);
        r.fake_score = fake_sum / double(samples);
        r.seconds = seconds + std::chrono::duration<double>(std::chrono::steady_clock::now() - run_start).count();
        g_sum = d_sum = real_sum = fake_sum = 0.0;
        samples = 0;
        last = r;
        history.push_back(r);
    }
};

}  // namespace internal

namespace {

[[noreturn]] void bad(const std::string& what) { throw std::invalid_argument("gan: " + what); }

void validate(const Options& o, std::int64_t n, std::int64_t d, const float* X) {
    ae::check_common("gan", {X, n, d, o.epochs, o.batch_size,
                             {o.learning_rate, o.adam_beta1, o.adam_beta2, o.adam_epsilon, 0.0}, o.standardize, o.input_scale});
    if (o.noise_dims < 1 || o.noise_dims > 65536)
        bad("noise dimensions (" + std::to_string(o.noise_dims) + ") must be in [1, 65536]");
    if (o.generator_hidden) ae::check_hidden("gan", "generator hidden layer", *o.generator_hidden);
    if (o.discriminator_hidden) ae::check_hidden("gan", "discriminator hidden layer", *o.discriminator_hidden);
    if (o.standardize && o.output == autoencoder::Output::Sigmoid)
        bad("the sigmoid output cannot reach standardised values: use the linear output or no standardisation");
}

/// PyTorch's nn.Linear initialisation (kaiming_uniform with a = sqrt(5)): weights and biases
/// uniform in +-1/sqrt(fan_in), from the seed. GANs are sensitive to it: with the autoencoder's He
/// initialisation the discriminator started stronger and the samples were worse after the same
/// epochs than PyTorch's (benchmark, issue 17).
void init_weights(const ae::Architecture& arch, ae::Params<float>& p, std::uint64_t seed, std::uint64_t stream) {
    for (int l = 0; l < arch.layers(); ++l) {
        const double bound = 1.0 / std::sqrt(double(arch.in[std::size_t(l)]));
        Rng rng = Rng::stream(seed, stream + std::uint64_t(l));
        auto W = p.W(l);
        for (Eigen::Index c = 0; c < W.cols(); ++c)
            for (Eigen::Index r = 0; r < W.rows(); ++r) W(r, c) = float(rng.uniform(-bound, bound));
        auto b = p.b(l);
        for (Eigen::Index r = 0; r < b.size(); ++r) b[r] = float(rng.uniform(-bound, bound));
    }
}

double parameters_of(const ae::Architecture& a, double& units) {
    double params = 0.0;
    for (int l = 0; l < a.layers(); ++l) {
        params += double(a.in[std::size_t(l)]) * a.out[std::size_t(l)] + a.out[std::size_t(l)];
        units += a.out[std::size_t(l)];
    }
    return params;
}

}  // namespace

Status::Status(std::unique_ptr<internal::State> state) : state_(std::move(state)) {}
Status::Status(Status&&) noexcept = default;
Status& Status::operator=(Status&&) noexcept = default;
Status::~Status() = default;

std::int64_t Status::n() const { return state_->n; }
std::int64_t Status::steps_per_epoch() const { return state_->steps_per_epoch; }
std::int64_t Status::step() const { return state_->step; }
std::int64_t Status::max_steps() const { return state_->max_steps; }
int Status::epoch() const { return state_->epoch; }
int Status::max_epochs() const { return state_->options.epochs; }
bool Status::finished() const { return state_->finished(); }
const std::vector<EpochRecord>& Status::history() const { return state_->history; }
double Status::training_seconds() const { return state_->seconds; }

double Status::generator_loss() const {
    const internal::State& s = *state_;
    if (s.samples > 0) return s.g_sum / double(s.samples);
    return s.history.empty() ? std::numeric_limits<double>::quiet_NaN() : s.last.generator_loss;
}
double Status::discriminator_loss() const {
    const internal::State& s = *state_;
    if (s.samples > 0) return s.d_sum / double(s.samples);
    return s.history.empty() ? std::numeric_limits<double>::quiet_NaN() : s.last.discriminator_loss;
}

void Status::run_steps(std::int64_t until) {
    internal::State& s = *state_;
    s.run_start = std::chrono::steady_clock::now();
    until = std::min(until, s.max_steps);
    while (!s.finished() && s.step < until) s.one_step();
    s.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - s.run_start).count();
}

void Status::run_epochs(int until) { run_steps(std::int64_t(std::min(until, max_epochs())) * state_->steps_per_epoch); }

Model Status::model() const {
    const internal::State& s = *state_;
    Model m;
    m.data_dims = static_cast<int>(s.d);
    m.noise_dims = s.options.noise_dims;
    m.activation = s.options.activation;
    m.sigmoid_output = s.nets.generator.act.back() == ae::Act::Sigmoid;
    m.generator_hidden = internal::generator_hidden(s.options, s.d);
    m.discriminator_hidden = internal::discriminator_hidden(s.options, s.d);
    m.mean = s.map.mean;
    m.scale = s.map.scale;
    internal::store_layers(s.g_params, s.nets.generator, m.generator);
    internal::store_layers(s.d_params, s.nets.discriminator, m.discriminator);
    return m;
}

namespace internal {
std::vector<int> generator_hidden(const Options& o, std::int64_t d) {
    if (o.generator_hidden) return *o.generator_hidden;
    std::vector<int> h = autoencoder::default_hidden(d);
    return {h.rbegin(), h.rend()};
}
std::vector<int> discriminator_hidden(const Options& o, std::int64_t d) {
    return o.discriminator_hidden ? *o.discriminator_hidden : autoencoder::default_hidden(d);
}
}  // namespace internal

Status initialize(const float* X, std::int64_t n, std::int64_t d, const Options& options) {
    validate(options, n, d, X);
    auto s = std::make_unique<internal::State>();
    s->X = X;
    s->n = n;
    s->d = d;
    s->options = options;
    s->adam = {options.learning_rate, options.adam_beta1, options.adam_beta2, options.adam_epsilon, 0.0};
    s->map = ae::fit_input_map("gan", X, n, d, options.standardize, options.input_scale);
    bool sigmoid = false;
    if (!options.standardize) {
        if (options.output == autoencoder::Output::Sigmoid && !s->map.unit)
            bad("the sigmoid output only reaches (0, 1); " + s->map.outside + ": use the linear output");
        sigmoid = options.output == autoencoder::Output::Sigmoid || (options.output == autoencoder::Output::Auto && s->map.unit);
    }
    s->nets = internal::make_nets(int(d), options.noise_dims, internal::generator_hidden(options, d),
                                  internal::discriminator_hidden(options, d), options.activation, sigmoid);

    // Memory: each network's parameters four times, and the activations of 2B columns.
    double units = 0.0;
    const double params = parameters_of(s->nets.generator, units) + parameters_of(s->nets.discriminator, units);
    const double bytes = 4.0 * (4.0 * params + 2.0 * 4.0 * units * double(options.batch_size));
    if (params > 2e9 || bytes > double(io::memory_limit())) {
        std::ostringstream msg;
        msg << "gan: the networks (" << params << " parameters, " << std::round(bytes / 1048576.0)
            << " MiB to train) do not fit in memory";
        throw std::runtime_error(msg.str());
    }
    s->steps_per_epoch = (n + options.batch_size - 1) / options.batch_size;
    s->max_steps = s->steps_per_epoch * options.epochs;

    for (auto* p : {&s->g_params, &s->g_grad, &s->g_m, &s->g_v}) *p = ae::Params<float>(s->nets.generator);
    for (auto* p : {&s->d_params, &s->d_grad, &s->d_m, &s->d_v}) *p = ae::Params<float>(s->nets.discriminator);
    init_weights(s->nets.generator, s->g_params, options.seed, 0x47454e00ull);
    init_weights(s->nets.discriminator, s->d_params, options.seed, 0x44495300ull);
    return Status(std::move(s));
}

}  // namespace latentscape::reduce::gan
