// The UMAP state object: preprocessing, neighbours, fuzzy graph and starting layout in
// initialize(), the SGD epochs in run(). See umap.h for the method and its determinism.
#include "reduce/umap.h"

#include "common/input_checks.h"
#include "common/parallel.h"
#include "common/rng.h"
#include "reduce/pca.h"
#include "reduce/umap_internal.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>

namespace latentscape::reduce::umap {

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

int default_epochs(std::int64_t n) { return n <= 10000 ? 500 : 200; }

void validate(const float* X, std::int64_t n, std::int64_t d, const Options& o) {
    auto fail = [](const std::string& message) { throw std::invalid_argument("UMAP: " + message); };
    if (!X) fail("no input data");
    if (n < 4) fail("needs at least 4 points (got " + std::to_string(n) + ")");
    if (d < 1) fail("needs at least 1 feature");
    if (n > std::numeric_limits<std::int32_t>::max()) fail("supports at most 2^31 - 1 points");
    if (o.dims != 2 && o.dims != 3) fail("dims (" + std::to_string(o.dims) + ") must be 2 or 3");
    if (o.n_neighbors < 2) fail("n_neighbors (" + std::to_string(o.n_neighbors) + ") must be >= 2");
    if (o.n_neighbors >= n)
        fail("n_neighbors (" + std::to_string(o.n_neighbors) + ") must be < n (" + std::to_string(n) +
             " points): lower it or use more points");
    if (!(o.spread > 0.0 && std::isfinite(o.spread))) fail("spread (" + number(o.spread) + ") must be > 0");
    if (!(o.min_dist >= 0.0)) fail("min_dist (" + number(o.min_dist) + ") must be >= 0");
    if (o.min_dist > o.spread)
        fail("min_dist (" + number(o.min_dist) + ") must be <= spread (" + number(o.spread) + ")");
    if (o.n_epochs && *o.n_epochs < 1) fail("n_epochs (" + std::to_string(*o.n_epochs) + ") must be >= 1");
    if (!(o.learning_rate > 0.0 && std::isfinite(o.learning_rate)))
        fail("learning rate (" + number(o.learning_rate) + ") must be > 0");
    if (o.negative_sample_rate < 0 || o.negative_sample_rate > 100)
        fail("negative sample rate (" + std::to_string(o.negative_sample_rate) + ") must be in [0, 100]");
    if (!(o.repulsion_strength > 0.0 && std::isfinite(o.repulsion_strength)))
        fail("repulsion strength (" + number(o.repulsion_strength) + ") must be > 0");
    if (!(o.set_op_mix_ratio >= 0.0 && o.set_op_mix_ratio <= 1.0))
        fail("set_op_mix_ratio (" + number(o.set_op_mix_ratio) + ") must be in [0, 1]");
    if (!(o.local_connectivity >= 0.0 && o.local_connectivity <= double(o.n_neighbors - 1)))
        fail("local connectivity (" + number(o.local_connectivity) + ") must be in [0, n_neighbors - 1 = " +
             std::to_string(o.n_neighbors - 1) + "]");
    if (o.a.has_value() != o.b.has_value()) fail("set both a and b, or neither (they are fitted together)");
    if (o.a && !(*o.a > 0.0 && std::isfinite(*o.a))) fail("a (" + number(*o.a) + ") must be > 0");
    if (o.b && !(*o.b > 0.0 && std::isfinite(*o.b))) fail("b (" + number(*o.b) + ") must be > 0");
    if (o.pca_dims && *o.pca_dims < 0) fail("PCA dimensions (" + std::to_string(*o.pca_dims) + ") must be >= 0");

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
    int epochs = 0;
    double a = 0.0, b = 0.0;
    neighbors::Method neighbors = neighbors::Method::Exact;
    Init init = Init::Spectral;
    Timings timings;
    double optimisation_seconds = 0.0;
    neighbors::KnnGraph knn;
    FuzzyGraph graph;
    Optimizer optimizer;
    std::vector<double> initial;
    int iteration = 0;
};

}  // namespace internal

namespace {

// Scales a layout so its largest |coordinate| is 10 and adds N(0, 1e-4) noise (umap-learn's
// treatment of spectral and PCA layouts), then maps each column to [0, 10].
void finish_layout(std::vector<double>& Y, std::int64_t n, int dims, bool scale_and_noise, Rng& rng) {
    if (scale_and_noise) {
        double largest = 0.0;
        for (double v : Y) largest = std::max(largest, std::abs(v));
        const double expansion = largest > 0.0 ? 10.0 / largest : 1.0;
        for (double& v : Y) v = v * expansion + 1e-4 * rng.normal();
    }
    for (int c = 0; c < dims; ++c) {
        double lo = std::numeric_limits<double>::infinity(), hi = -lo;
        for (std::int64_t i = 0; i < n; ++i) {
            lo = std::min(lo, Y[std::size_t(i * dims + c)]);
            hi = std::max(hi, Y[std::size_t(i * dims + c)]);
        }
        const double range = hi - lo;
        for (std::int64_t i = 0; i < n; ++i) {
            double& v = Y[std::size_t(i * dims + c)];
            v = range > 0.0 ? 10.0 * (v - lo) / range : 5.0;
        }
    }
}

}  // namespace

Status initialize(const float* X, std::int64_t n, std::int64_t d, const Options& options,
                  const std::function<bool()>& canceled) {
    validate(X, n, d, options);
    auto s = std::make_unique<internal::State>();
    s->options = options;
    s->n = n;
    s->dims = options.dims;
    s->k = options.n_neighbors - 1;
    s->epochs = options.n_epochs.value_or(default_epochs(n));
    throw_if_canceled(canceled);

    // Preprocessing PCA (as t-SNE's).
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
    throw_if_canceled(canceled);

    // Neighbours: n_neighbors counts the point itself, as umap-learn's do.
    start = Clock::now();
    neighbors::Options no;
    no.k = s->k;
    no.method = options.neighbors;
    no.seed = options.seed;
    s->neighbors = neighbors::resolve(options.neighbors, n, input_d, no.exact_work_limit);
    s->knn = neighbors::build(input, n, input_d, no, canceled);
    s->timings.neighbors = seconds_since(start);
    throw_if_canceled(canceled);

    start = Clock::now();
    s->graph = internal::fuzzy_simplicial_set(s->knn, options.set_op_mix_ratio, options.local_connectivity);
    if (options.a) {
        s->a = *options.a;
        s->b = *options.b;
    } else {
        std::tie(s->a, s->b) = internal::find_ab_params(options.spread, options.min_dist);
    }
    s->optimizer = internal::make_optimizer(s->graph, s->epochs, options.negative_sample_rate, s->a, s->b,
                                            options.repulsion_strength, options.seed);
    s->timings.graph = seconds_since(start);
    throw_if_canceled(canceled);

    // Starting layout.
    start = Clock::now();
    const int dims = options.dims;
    Rng rng = Rng::stream(options.seed, 0x1A1707ull);
    s->init = options.init;
    std::vector<double>& Y = s->initial;
    if (s->init == Init::Spectral) {
        std::vector<std::int32_t> labels;
        const bool connected = internal::connected_components(s->graph, labels) == 1;
        if (!connected || !internal::spectral_layout(s->graph, dims, options.seed, Y, canceled)) s->init = Init::Pca;
    }
    if (s->init == Init::Pca) {
        Y.assign(std::size_t(n * dims), 0.0);
        int have = 0;
        if (input_is_pca) {
            have = int(std::min<std::int64_t>(dims, input_d));
            for (std::int64_t i = 0; i < n; ++i)
                for (int c = 0; c < have; ++c) Y[std::size_t(i * dims + c)] = input[i * input_d + c];
        } else {
            PcaOptions po;
            po.components = int(std::min<std::int64_t>({dims, input_d, n}));
            po.seed = options.seed;
            const PcaResult fit = pca(input, n, input_d, po);
            have = po.components;
            for (std::int64_t i = 0; i < n; ++i)
                for (int c = 0; c < have; ++c) Y[std::size_t(i * dims + c)] = fit.score(i, c);
        }
    }
    if (s->init == Init::Random) {
        Y.resize(std::size_t(n * dims));
        for (double& v : Y) v = rng.uniform(-10.0, 10.0);
    }
    finish_layout(Y, n, dims, s->init != Init::Random, rng);
    s->timings.init = seconds_since(start);
    return Status(std::move(s));
}

Status::Status(std::unique_ptr<internal::State> state) : state_(std::move(state)) {}
Status::Status(Status&&) noexcept = default;
Status& Status::operator=(Status&&) noexcept = default;
Status::~Status() = default;

std::int64_t Status::n() const { return state_->n; }
int Status::dims() const { return state_->dims; }
int Status::iteration() const { return state_->iteration; }
int Status::max_iterations() const { return state_->epochs; }
std::vector<double> Status::initial_embedding() const { return state_->initial; }
neighbors::Method Status::neighbors() const { return state_->neighbors; }
Init Status::init() const { return state_->init; }
int Status::k() const { return state_->k; }
int Status::input_dims() const { return state_->input_dims; }
double Status::a() const { return state_->a; }
double Status::b() const { return state_->b; }
const Timings& Status::timings() const { return state_->timings; }
double Status::optimisation_seconds() const { return state_->optimisation_seconds; }
const FuzzyGraph& Status::graph() const { return state_->graph; }
const neighbors::KnnGraph& Status::knn() const { return state_->knn; }

namespace {

void check_embedding(const std::vector<double>& Y, std::int64_t n, int dims) {
    if (const std::string problem = embedding_state_problem(Y, n, dims); !problem.empty())
        throw std::invalid_argument("UMAP: " + problem);
}

}  // namespace

void Status::run(std::vector<double>& Y, int until) {
    internal::State& s = *state_;
    check_embedding(Y, s.n, s.dims);
    const auto start = Clock::now();
    const int last = std::min(until, s.epochs);
    for (; s.iteration < last; ++s.iteration) {
        const int epoch = s.iteration;
        // umap-learn's schedule: epoch 0 at the full rate, then 1 - (epoch - 1) / epochs.
        const double alpha =
            s.options.learning_rate * (epoch == 0 ? 1.0 : 1.0 - double(epoch - 1) / double(s.epochs));
        internal::run_epoch(s.optimizer, s.dims, epoch, alpha, Y);
    }
    s.optimisation_seconds += seconds_since(start);
}


double Status::cost(const std::vector<double>& Y) const {
    const internal::State& s = *state_;
    check_embedding(Y, s.n, s.dims);
    return internal::cross_entropy(s.graph, s.a, s.b, Y, s.dims, s.options.seed);
}

Result run_to_end(const float* X, std::int64_t n, std::int64_t d, const Options& options,
                  const std::function<bool()>& canceled) {
    Status status = initialize(X, n, d, options, canceled);
    std::vector<double> Y = status.initial_embedding();
    // Chunks of 10 epochs with a cancel check between them (chunking never changes the result).
    while (!status.finished()) {
        throw_if_canceled(canceled);
        status.run(Y, status.iteration() + 10);
    }
    Result r;
    r.n = n;
    r.dims = status.dims();
    r.embedding.resize(Y.size());
    for (std::size_t e = 0; e < Y.size(); ++e) r.embedding[e] = float(Y[e]);
    r.epochs = status.iteration();
    r.cost = status.cost(Y);
    r.timings = status.timings();
    r.optimisation_seconds = status.optimisation_seconds();
    r.neighbors = neighbors::to_string(status.neighbors());
    r.init = to_string(status.init());
    r.n_neighbors = options.n_neighbors;
    r.input_dims = status.input_dims();
    r.a = status.a();
    r.b = status.b();
    r.knn = status.knn();
    return r;
}

const char* to_string(Init init) {
    switch (init) {
    case Init::Spectral: return "spectral";
    case Init::Pca: return "pca";
    case Init::Random: return "random";
    }
    return "?";
}

}  // namespace latentscape::reduce::umap
