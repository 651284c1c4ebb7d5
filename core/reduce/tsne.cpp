// The t-SNE state object: preprocessing, neighbours, affinities and initialisation in
// initialize(), gradient descent in run(). See tsne.h for the method and its references.
#include "reduce/tsne.h"

#include "common/input_checks.h"
#include "common/parallel.h"
#include "common/rng.h"
#include "neighbors/knn.h"
#include "reduce/pca.h"
#include "reduce/tsne_bh.h"
#include "reduce/tsne_internal.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

namespace latentscape::reduce::tsne {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string number(double v) {
    std::ostringstream out;
    out << v;
    return out.str();
}

// Up to this many points the all-pairs gradient (float32 SIMD: ~27e9 pairs/s on 2 cores, 3.7 ms
// per iteration at 10,000 points) beats the FFT grid, whose cost grows with the embedding's
// width (~14 ms per late iteration at 10,000 points, 60 ms at 70,000), and it is exact. In 3-D
// the Barnes-Hut tree overtakes it sooner (~9 ms per iteration at 20,000 points).
constexpr std::int64_t exact_gradient_limit_2d = 25000;
constexpr std::int64_t exact_gradient_limit_3d = 10000;

void validate(const float* X, std::int64_t n, std::int64_t d, const Options& o) {
    auto fail = [](const std::string& message) { throw std::invalid_argument("t-SNE: " + message); };
    if (!X) fail("no input data");
    if (n < 4) fail("needs at least 4 points (got " + std::to_string(n) + ")");
    if (d < 1) fail("needs at least 1 feature");
    if (o.dims != 2 && o.dims != 3) fail("dims (" + std::to_string(o.dims) + ") must be 2 or 3");
    if (!(o.perplexity >= 1.0)) fail("perplexity (" + number(o.perplexity) + ") must be >= 1");
    const double limit = double(n - 1) / 3.0;
    if (!(o.perplexity < limit))
        fail("perplexity (" + number(o.perplexity) + ") must be < (n - 1) / 3 = " + number(limit) + " for n = " +
             std::to_string(n) + " points: lower it or use more points");
    if (o.iterations < 1) fail("iterations (" + std::to_string(o.iterations) + ") must be >= 1");
    if (!(o.exaggeration >= 1.0)) fail("exaggeration (" + number(o.exaggeration) + ") must be >= 1");
    if (o.exaggeration_iterations < 0)
        fail("exaggeration iterations (" + std::to_string(o.exaggeration_iterations) + ") must be >= 0");
    if (!(o.momentum >= 0.0 && o.momentum < 1.0)) fail("momentum (" + number(o.momentum) + ") must be in [0, 1)");
    if (!(o.final_momentum >= 0.0 && o.final_momentum < 1.0))
        fail("final momentum (" + number(o.final_momentum) + ") must be in [0, 1)");
    if (o.learning_rate && !(*o.learning_rate > 0.0 && std::isfinite(*o.learning_rate)))
        fail("learning rate (" + number(*o.learning_rate) + ") must be > 0");
    if (!(o.min_gain > 0.0 && o.min_gain < 1.0)) fail("min gain (" + number(o.min_gain) + ") must be in (0, 1)");
    if (!(o.theta >= 0.0 && o.theta <= 1.5)) fail("theta (" + number(o.theta) + ") must be in [0, 1.5]");
    if (o.fft_spline_order < 2 || o.fft_spline_order > 8 || o.fft_spline_order % 2 != 0)
        fail("FFT spline order (" + std::to_string(o.fft_spline_order) + ") must be 2, 4, 6 or 8");
    if (o.fft_min_nodes < 20 || o.fft_min_nodes > 1000)
        fail("FFT minimum nodes (" + std::to_string(o.fft_min_nodes) + ") must be in [20, 1000]");
    if (!(o.fft_nodes_per_unit > 0.0 && o.fft_nodes_per_unit <= 10.0))
        fail("FFT nodes per unit (" + number(o.fft_nodes_per_unit) + ") must be in (0, 10]");
    if (o.pca_dims && *o.pca_dims < 0) fail("PCA dimensions (" + std::to_string(*o.pca_dims) + ") must be >= 0");
    if (o.gradient == Gradient::Fft && o.dims != 2)
        fail("the FFT gradient is 2-D only; use Barnes-Hut (or exact) for 3-D");

    if (const std::string problem = embedding_input_problem(X, n, d); !problem.empty()) fail(problem);
}

}  // namespace

namespace internal {

struct State {
    Options options;
    std::int64_t n = 0;
    int dims = 2;
    int k = 0;
    int input_dims = 0;
    Gradient gradient = Gradient::Exact;
    Neighbors neighbors = Neighbors::Exact;
    double learning_rate = 0.0;
    Timings timings;
    double optimisation_seconds = 0.0;
    Affinities P;
    double sum_p_log_p = 0.0;
    std::vector<double> initial;
    std::vector<double> update;
    std::vector<double> gains;
    std::vector<double> attractive;
    std::vector<double> repulsive;
    int iteration = 0;
    // Approximation scratch (trees, grids, FFT plans); mutable because cost() uses it too.
    mutable BarnesHutRepulsion barnes_hut;
    mutable std::unique_ptr<FftRepulsion> fft;
    mutable std::vector<float> exact_scratch;
    std::vector<float> p_float;           // P.values in float for the attraction kernel
    std::vector<float> attraction_scratch;

    double repulsion(const double* Y, double* out) const {
        switch (gradient) {
        case Gradient::BarnesHut: return barnes_hut.compute(Y, n, dims, options.theta, out);
        case Gradient::Fft:
            // An embedding too wide for a grid of bounded memory: Barnes-Hut for this iteration.
            if (!fft->grid_fits(Y, n)) return barnes_hut.compute(Y, n, dims, options.theta, out);
            return fft->compute(Y, n, out);
        default: return exact_repulsion_f32(Y, n, dims, out, exact_scratch);
        }
    }
};

}  // namespace internal

Status initialize(const float* X, std::int64_t n, std::int64_t d, const Options& options,
                  const std::function<bool()>& canceled) {
    validate(X, n, d, options);
    const auto check = [&canceled] {
        if (canceled && canceled()) throw Canceled();
    };
    auto s = std::make_unique<internal::State>();
    s->options = options;
    s->n = n;
    s->dims = options.dims;

    // Preprocessing PCA.
    auto start = Clock::now();
    FloatVector reduced;
    const float* input = X;
    std::int64_t input_d = d;
    bool input_is_pca = false;
    if (std::optional<PcaResult> fit = preprocessing_pca(X, n, d, options.pca_dims, options.seed)) {
        reduced = std::move(fit->scores);
        input = reduced.data();
        input_d = fit->k;
        input_is_pca = true;
        s->timings.pca = seconds_since(start);
    }
    s->input_dims = int(input_d);
    check();

    // Neighbours: k = 3 x perplexity, as in bhtsne / FIt-SNE / openTSNE.
    start = Clock::now();
    s->k = int(std::floor(3.0 * options.perplexity));
    s->neighbors = options.neighbors;
    // Auto: the graph module's rule (brute force while n^2 d <= 1e12; 70,000 x 50 is 2.5e11: ~2 s).
    if (s->neighbors == Neighbors::Auto)
        s->neighbors = neighbors::resolve(neighbors::Method::Auto, n, input_d) == neighbors::Method::Exact
                           ? Neighbors::Exact
                           : Neighbors::Approximate;
    neighbors::Options no;
    no.k = s->k;
    no.seed = options.seed;
    const neighbors::KnnGraph knn = s->neighbors == Neighbors::Exact
                                        ? neighbors::exact_knn(input, n, input_d, s->k, canceled)
                                        : neighbors::approximate_knn(input, n, input_d, no, canceled);
    check();
    s->timings.neighbors = seconds_since(start);

    start = Clock::now();
    s->P = internal::affinities(knn, options.perplexity, internal::RowOrder::Locality);
    double plogp = 0.0;
    for (double p : s->P.values)
        if (p > 0.0) plogp += p * std::log(p);
    s->sum_p_log_p = plogp;
    s->timings.affinities = seconds_since(start);
    check();

    // Initial embedding.
    start = Clock::now();
    const int dims = options.dims;
    s->initial.assign(std::size_t(n * dims), 0.0);
    Rng rng(options.seed);
    if (options.init == Init::Pca) {
        int have = 0;
        if (input_is_pca) {
            have = int(std::min<std::int64_t>(dims, input_d));
            for (std::int64_t i = 0; i < n; ++i)
                for (int a = 0; a < have; ++a) s->initial[std::size_t(i * dims + a)] = input[i * input_d + a];
        } else {
            PcaOptions po;
            po.components = int(std::min<std::int64_t>({dims, input_d, n}));
            po.seed = options.seed;
            const PcaResult fit = pca(input, n, input_d, po);
            have = po.components;
            for (std::int64_t i = 0; i < n; ++i)
                for (int a = 0; a < have; ++a) s->initial[std::size_t(i * dims + a)] = fit.score(i, a);
        }
        // Column 0 to standard deviation 1e-4 (Kobak & Berens 2019), the others by the same factor
        // so the shape is kept; a column PCA could not fill (d < dims) starts as small noise.
        double mean = 0.0;
        for (std::int64_t i = 0; i < n; ++i) mean += s->initial[std::size_t(i * dims)];
        mean /= double(n);
        double var = 0.0;
        for (std::int64_t i = 0; i < n; ++i) {
            const double v = s->initial[std::size_t(i * dims)] - mean;
            var += v * v;
        }
        const double sd = std::sqrt(var / double(n));
        const double factor = sd > 0.0 ? 1e-4 / sd : 1.0;
        for (std::int64_t i = 0; i < n; ++i)
            for (int a = 0; a < dims; ++a) {
                double& v = s->initial[std::size_t(i * dims + a)];
                v = a < have ? v * factor : 1e-4 * rng.normal();
            }
    } else {
        for (double& v : s->initial) v = 1e-4 * rng.normal();
    }
    s->timings.init = seconds_since(start);

    s->learning_rate = options.learning_rate.value_or(std::max(double(n) / options.exaggeration, 50.0));
    s->gradient = options.gradient;
    if (s->gradient == Gradient::Auto) {
        s->gradient = dims == 2 ? (n <= exact_gradient_limit_2d ? Gradient::Exact : Gradient::Fft)
                                : (n <= exact_gradient_limit_3d ? Gradient::Exact : Gradient::BarnesHut);
    }
    s->p_float.assign(s->P.values.begin(), s->P.values.end());
    if (s->gradient == Gradient::Fft)
        s->fft = std::make_unique<internal::FftRepulsion>(options.fft_spline_order, options.fft_min_nodes,
                                                          options.fft_nodes_per_unit);
    s->update.assign(std::size_t(n * dims), 0.0);
    s->gains.assign(std::size_t(n * dims), 1.0);
    s->attractive.assign(std::size_t(n * dims), 0.0);
    s->repulsive.assign(std::size_t(n * dims), 0.0);
    return Status(std::move(s));
}

Status::Status(std::unique_ptr<internal::State> state) : state_(std::move(state)) {}
Status::Status(Status&&) noexcept = default;
Status& Status::operator=(Status&&) noexcept = default;
Status::~Status() = default;

std::int64_t Status::n() const { return state_->n; }
int Status::dims() const { return state_->dims; }
int Status::iteration() const { return state_->iteration; }
int Status::max_iterations() const { return state_->options.iterations; }
std::vector<double> Status::initial_embedding() const { return state_->initial; }
Gradient Status::gradient() const { return state_->gradient; }
Neighbors Status::neighbors() const { return state_->neighbors; }
int Status::k() const { return state_->k; }
int Status::input_dims() const { return state_->input_dims; }
double Status::learning_rate() const { return state_->learning_rate; }
const Timings& Status::timings() const { return state_->timings; }
double Status::optimisation_seconds() const { return state_->optimisation_seconds; }
const std::vector<std::int64_t>& Status::p_row_start() const { return state_->P.row_start; }
const std::vector<std::int32_t>& Status::p_columns() const { return state_->P.columns; }
const std::vector<double>& Status::p_values() const { return state_->P.values; }
const std::vector<std::int32_t>& Status::p_order() const { return state_->P.order; }

namespace {
void check_embedding(const std::vector<double>& Y, std::int64_t n, int dims) {
    if (const std::string problem = embedding_state_problem(Y, n, dims); !problem.empty())
        throw std::invalid_argument("t-SNE: " + problem);
}
}  // namespace

void Status::run(std::vector<double>& Y, int until) {
    internal::State& s = *state_;
    check_embedding(Y, s.n, s.dims);
    const auto start = Clock::now();
    const int last = std::min(until, s.options.iterations);
    const std::int64_t m = s.n * s.dims;
    const int dims = s.dims;
    for (; s.iteration < last; ++s.iteration) {
        const bool early = s.iteration < s.options.exaggeration_iterations;
        const double exaggeration = early ? s.options.exaggeration : 1.0;
        const double momentum = early ? s.options.momentum : s.options.final_momentum;
        internal::attraction_f32(s.P, s.p_float, Y.data(), dims, s.attractive.data(), s.attraction_scratch);
        const double z = s.repulsion(Y.data(), s.repulsive.data());
        const double inv_z = z > 0.0 ? 1.0 / z : 0.0;
        const double lr = s.learning_rate;
        const double min_gain = s.options.min_gain;
        // Gains as in Jacobs (1988) / bhtsne: grow where the step keeps changing direction.
        parallel::for_each(m, [&](std::int64_t e) {
            const std::size_t u = std::size_t(e);
            const double grad = exaggeration * s.attractive[u] - s.repulsive[u] * inv_z;
            double gain = s.gains[u];
            gain = (grad > 0.0) != (s.update[u] > 0.0) ? gain + 0.2 : gain * 0.8;
            gain = std::max(gain, min_gain);
            s.gains[u] = gain;
            s.update[u] = momentum * s.update[u] - lr * gain * grad;
            Y[u] += s.update[u];
        }, m > 4096);
        // Keep the embedding centred (translation changes neither the cost nor the gradient; a
        // drifting centre would only move the FFT grid around).
        double mean[3] = {0.0, 0.0, 0.0};
        for (std::int64_t i = 0; i < s.n; ++i)
            for (int a = 0; a < dims; ++a) mean[a] += Y[std::size_t(i * dims + a)];
        for (int a = 0; a < dims; ++a) mean[a] /= double(s.n);
        // The sums see every coordinate: a non-finite one means the optimisation diverged.
        for (int a = 0; a < dims; ++a)
            if (!std::isfinite(mean[a]))
                throw std::runtime_error("t-SNE diverged at iteration " + std::to_string(s.iteration + 1) +
                                         ": lower the learning rate or the exaggeration");
        for (std::int64_t i = 0; i < s.n; ++i)
            for (int a = 0; a < dims; ++a) Y[std::size_t(i * dims + a)] -= mean[a];
    }
    s.optimisation_seconds += seconds_since(start);
}

double Status::cost(const std::vector<double>& Y, bool exact) const {
    const internal::State& s = *state_;
    check_embedding(Y, s.n, s.dims);
    std::vector<double> scratch(Y.size());
    double sum_p_log_w = 0.0;
    internal::attraction(s.P, Y.data(), s.dims, scratch.data(), &sum_p_log_w);
    const double z = exact ? internal::exact_normalisation(Y.data(), s.n, s.dims) : s.repulsion(Y.data(), scratch.data());
    // KL = sum p log(p / q), q = w / Z, sum p = 1.
    return s.sum_p_log_p - sum_p_log_w + std::log(z);
}

Result run_to_end(const float* X, std::int64_t n, std::int64_t d, const Options& options) {
    Status status = initialize(X, n, d, options);
    std::vector<double> Y = status.initial_embedding();
    status.run(Y, status.max_iterations());
    Result r;
    r.n = n;
    r.dims = status.dims();
    r.embedding.resize(Y.size());
    for (std::size_t e = 0; e < Y.size(); ++e) r.embedding[e] = float(Y[e]);
    r.kl_exact = n <= exact_cost_limit;
    r.kl_divergence = status.cost(Y, r.kl_exact);
    r.iterations = status.iteration();
    r.timings = status.timings();
    r.optimisation_seconds = status.optimisation_seconds();
    r.gradient = to_string(status.gradient());
    r.neighbors = to_string(status.neighbors());
    r.k = status.k();
    r.input_dims = status.input_dims();
    r.learning_rate = status.learning_rate();
    return r;
}

const char* to_string(Gradient gradient) {
    switch (gradient) {
    case Gradient::Auto: return "auto";
    case Gradient::Exact: return "exact";
    case Gradient::BarnesHut: return "barnes-hut";
    case Gradient::Fft: return "fft";
    }
    return "?";
}

const char* to_string(Neighbors neighbors) {
    switch (neighbors) {
    case Neighbors::Auto: return "auto";
    case Neighbors::Exact: return "exact";
    case Neighbors::Approximate: return "approximate";
    }
    return "?";
}

const char* to_string(Init init) { return init == Init::Pca ? "pca" : "random"; }

}  // namespace latentscape::reduce::tsne
