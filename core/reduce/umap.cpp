// The UMAP state object: preprocessing, neighbours, fuzzy graph and starting layout in
// initialize(), the SGD epochs in run(). See umap.h for the method and its determinism.
#include "reduce/umap.h"

#include "common/parallel.h"
#include "common/rng.h"
#include "reduce/pca.h"
#include "reduce/umap_internal.h"

#if defined(__AVX512F__)
#include <immintrin.h>
#endif
// GCC 12 reports its own _mm512_undefined_pd() inside masked AVX-512 intrinsics as
// maybe-uninitialized (a false positive, as in tsne_gradient.cpp).
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
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

    const std::int64_t bad = parallel::first_index_where(n * d, [&](std::int64_t e) { return !std::isfinite(X[e]); });
    if (bad < n * d)
        fail("row " + std::to_string(bad / d + 1) + ", column " + std::to_string(bad % d + 1) + " is " +
             (std::isnan(X[bad]) ? "NaN" : "infinite") + ": remove or impute missing values first");
    const double limit_value = std::sqrt(3e38 / double(d)) / 4.0;
    const std::int64_t huge =
        parallel::first_index_where(n * d, [&](std::int64_t e) { return std::abs(double(X[e])) > limit_value; });
    if (huge < n * d)
        fail("row " + std::to_string(huge / d + 1) + ", column " + std::to_string(huge % d + 1) + " is " +
             number(X[huge]) + ": values this large overflow float32 distances; rescale the data");
    const std::int64_t differs = parallel::first_index_where(n, [&](std::int64_t i) {
        return !std::equal(X + i * d, X + (i + 1) * d, X);
    });
    if (differs == n) fail("every row is the same point: there is no structure to embed");
}

// x^y for x > 0 through log2/exp2 polynomials (relative error below 1e-7, ample for SGD steps),
// several times cheaper than std::pow, evaluated by Estrin's scheme for a short dependency chain,
// and the same on every machine (no libm version in the loop).
inline double fast_log2(double x) {
    std::uint64_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    int e = int((bits >> 52) & 0x7ff) - 1023;
    bits = (bits & 0x000fffffffffffffull) | 0x3ff0000000000000ull;
    double m;
    std::memcpy(&m, &bits, sizeof m);
    if (m > 1.4142135623730951) {
        m *= 0.5;
        e += 1;
    }
    // ln m = 2 atanh(t), t = (m - 1) / (m + 1), |t| <= 0.1716: the series to t^7 (error < 3e-8).
    const double t = (m - 1.0) / (m + 1.0);
    const double t2 = t * t;
    const double t4 = t2 * t2;
    const double series = (1.0 + t2 * (1.0 / 3.0)) + t4 * (1.0 / 5.0 + t2 * (1.0 / 7.0));
    return double(e) + (2.0 * 1.4426950408889634) * t * series;
}

inline double fast_exp2(double y) {
    y = std::clamp(y, -1000.0, 1000.0);
    const double i = std::floor(y + 0.5);
    // e^z, |z| <= 0.347: Taylor to z^7 (error < 6e-9).
    const double z = (y - i) * 0.6931471805599453;
    const double z2 = z * z;
    const double z4 = z2 * z2;
    const double p = ((1.0 + z) + z2 * (0.5 + z * (1.0 / 6.0))) +
                     z4 * ((1.0 / 24.0 + z * (1.0 / 120.0)) + z2 * (1.0 / 720.0 + z * (1.0 / 5040.0)));
    const std::uint64_t bits = std::uint64_t(std::int64_t(i) + 1023) << 52;
    double scale;
    std::memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

inline double fast_pow(double x, double y) { return fast_exp2(y * fast_log2(std::max(x, 1e-300))); }

// The gradient coefficients of one batch of up to 8 pairs at squared distances x[p] (x > 0):
// lane 0 is the sampled edge when `edge` is set, -2ab x^(b-1) / (1 + a x^b) (attraction), the
// others negative samples, 2 gamma b / ((0.001 + x) (1 + a x^b)) (repulsion); umap-learn's
// formulas, with `attract` = -2ab and `repel` = 2 gamma b.
inline void coefficients(const double* x_in, int count, bool edge, double a, double b, double attract, double repel,
                         double* coeff) {
#if defined(__AVX512F__)
    // fast_pow() lane by lane: getexp/getmant split x as the scalar code does, scalef applies 2^i.
    const __mmask8 lanes = __mmask8((1u << count) - 1u);
    const __m512d one = _mm512_set1_pd(1.0);
    const __m512d x = _mm512_max_pd(_mm512_mask_loadu_pd(one, lanes, x_in), _mm512_set1_pd(1e-300));
    __m512d e = _mm512_getexp_pd(x);
    __m512d m = _mm512_getmant_pd(x, _MM_MANT_NORM_1_2, _MM_MANT_SIGN_src);
    const __mmask8 high = _mm512_cmp_pd_mask(m, _mm512_set1_pd(1.4142135623730951), _CMP_GT_OQ);
    m = _mm512_mask_mul_pd(m, high, m, _mm512_set1_pd(0.5));
    e = _mm512_mask_add_pd(e, high, e, one);
    const __m512d t = _mm512_div_pd(_mm512_sub_pd(m, one), _mm512_add_pd(m, one));
    const __m512d t2 = _mm512_mul_pd(t, t);
    const __m512d t4 = _mm512_mul_pd(t2, t2);
    const __m512d series = _mm512_fmadd_pd(t4, _mm512_fmadd_pd(t2, _mm512_set1_pd(1.0 / 7.0), _mm512_set1_pd(1.0 / 5.0)),
                                           _mm512_fmadd_pd(t2, _mm512_set1_pd(1.0 / 3.0), one));
    const __m512d log2x = _mm512_fmadd_pd(_mm512_mul_pd(_mm512_set1_pd(2.0 * 1.4426950408889634), t), series, e);
    __m512d y = _mm512_mul_pd(_mm512_set1_pd(b), log2x);
    y = _mm512_min_pd(_mm512_max_pd(y, _mm512_set1_pd(-1000.0)), _mm512_set1_pd(1000.0));
    const __m512d i =
        _mm512_roundscale_pd(_mm512_add_pd(y, _mm512_set1_pd(0.5)), _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
    const __m512d z = _mm512_mul_pd(_mm512_sub_pd(y, i), _mm512_set1_pd(0.6931471805599453));
    const __m512d z2 = _mm512_mul_pd(z, z);
    const __m512d z4 = _mm512_mul_pd(z2, z2);
    const __m512d lo = _mm512_add_pd(_mm512_add_pd(one, z),
                                     _mm512_mul_pd(z2, _mm512_fmadd_pd(z, _mm512_set1_pd(1.0 / 6.0), _mm512_set1_pd(0.5))));
    const __m512d hi = _mm512_fmadd_pd(z2, _mm512_fmadd_pd(z, _mm512_set1_pd(1.0 / 5040.0), _mm512_set1_pd(1.0 / 720.0)),
                                       _mm512_fmadd_pd(z, _mm512_set1_pd(1.0 / 120.0), _mm512_set1_pd(1.0 / 24.0)));
    const __m512d power = _mm512_scalef_pd(_mm512_fmadd_pd(z4, hi, lo), i);
    const __m512d den = _mm512_fmadd_pd(_mm512_set1_pd(a), power, one);
    __m512d c = _mm512_div_pd(_mm512_set1_pd(repel), _mm512_mul_pd(_mm512_add_pd(_mm512_set1_pd(0.001), x), den));
    if (edge) {
        const __m512d pull = _mm512_div_pd(_mm512_mul_pd(_mm512_set1_pd(attract), power), _mm512_mul_pd(x, den));
        c = _mm512_mask_mov_pd(c, __mmask8(1), pull);
    }
    _mm512_mask_storeu_pd(coeff, lanes, c);
#else
    for (int p = 0; p < count; ++p) {
        const double x = std::max(x_in[p], 1e-300);
        const double power = fast_pow(x, b);
        coeff[p] = p == 0 && edge ? attract * power / (x * (a * power + 1.0)) : repel / ((0.001 + x) * (a * power + 1.0));
    }
#endif
}

inline double clip(double v) { return std::clamp(v, -4.0, 4.0); }

// A counter-based stream per (seed, epoch, point): splitmix64 over a keyed start.
struct Stream {
    std::uint64_t s;
    static std::uint64_t mix(std::uint64_t z) {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    Stream(std::uint64_t seed, std::uint64_t epoch, std::uint64_t point)
        : s(mix(seed + 0x632BE59BD9B4E019ull * (epoch + 1)) ^ mix(0xD1B54A32D192ED03ull * (point + 1))) {}
    std::uint64_t next() { return mix(s += 0x9E3779B97F4A7C15ull); }
    std::uint32_t below(std::uint32_t n) { return std::uint32_t((next() >> 32) * n >> 32); }
};

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
    Edges edges;
    std::vector<double> epoch_of_next_sample;
    std::vector<double> epoch_of_next_negative_sample;
    std::vector<double> epochs_per_negative_sample;
    std::vector<double> initial;
    std::vector<double> previous; // the positions every point of an epoch reads
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
    const int want_pca = options.pca_dims.value_or(d > 50 ? 50 : 0);
    FloatVector reduced;
    const float* input = X;
    std::int64_t input_d = d;
    bool input_is_pca = false;
    if (want_pca > 0 && want_pca < d) {
        PcaOptions po;
        po.components = int(std::min<std::int64_t>(want_pca, n));
        po.seed = options.seed;
        PcaResult fit = pca(X, n, d, po);
        reduced = std::move(fit.scores);
        input = reduced.data();
        input_d = po.components;
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
    s->edges = internal::sampled_edges(s->graph, s->epochs);
    const std::size_t m = s->edges.columns.size();
    s->epoch_of_next_sample = s->edges.epochs_per_sample;
    s->epochs_per_negative_sample.resize(m);
    for (std::size_t e = 0; e < m; ++e)
        s->epochs_per_negative_sample[e] =
            options.negative_sample_rate > 0 ? s->edges.epochs_per_sample[e] / double(options.negative_sample_rate)
                                             : std::numeric_limits<double>::infinity();
    s->epoch_of_next_negative_sample = s->epochs_per_negative_sample;
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
    s->previous.resize(Y.size());
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
    if (std::int64_t(Y.size()) != n * dims)
        throw std::invalid_argument("UMAP: the embedding has " + std::to_string(Y.size()) + " values, expected " +
                                    std::to_string(n * dims));
    const std::int64_t bad = parallel::first_index_where(
        std::int64_t(Y.size()), [&](std::int64_t e) { return !std::isfinite(Y[std::size_t(e)]); });
    if (bad < std::int64_t(Y.size()))
        throw std::invalid_argument("UMAP: the embedding is not finite at point " + std::to_string(bad / dims + 1));
}

constexpr std::int64_t points_per_task = 512;
constexpr int batch = 8; // negative samples evaluated together

// One epoch for the points [first, last): each moves through its own edges, reading `previous`.
// A sampled edge and its negative samples form one batch of pairs whose gradients are computed
// from the same position and then added in order (edge first, then the draws): the pairs are
// independent, so their pow()s and divisions overlap instead of waiting for one another.
template <int Dims>
void epoch_points(internal::State& s, int epoch, double alpha, std::int64_t first, std::int64_t last, double* Y) {
    const internal::Edges& E = s.edges;
    const double a = s.a, b = s.b;
    const double* prev = s.previous.data();
    const auto n = std::uint32_t(s.n);
    const double attract = -2.0 * a * b;
    const double repel = 2.0 * s.options.repulsion_strength * b;
    double* next_sample = s.epoch_of_next_sample.data();
    double* next_negative = s.epoch_of_next_negative_sample.data();
    const double* per_sample = E.epochs_per_sample.data();
    const double* per_negative = s.epochs_per_negative_sample.data();
    for (std::int64_t j = first; j < last; ++j) {
        double cur[Dims];
        for (int c = 0; c < Dims; ++c) cur[c] = prev[j * Dims + c];
        Stream rng(s.options.seed, std::uint64_t(epoch), std::uint64_t(j));
        for (std::int64_t e = E.row_start[std::size_t(j)]; e < E.row_start[std::size_t(j + 1)]; ++e) {
            if (next_sample[e] > double(epoch)) continue;
            next_sample[e] += per_sample[e];
            const int negatives = int((double(epoch) - next_negative[e]) / per_negative[e]);
            next_negative[e] += double(negatives) * per_negative[e];
            // Batches of 8 pairs: the edge and up to 7 negatives, then 8 negatives at a time.
            int done = 0;
            for (bool edge = true; edge || done < negatives; edge = false) {
                const int take = std::max(0, std::min(negatives - done, edge ? batch - 1 : batch));
                const int count = take + (edge ? 1 : 0);
                double d[batch][Dims], x[batch], coeff[batch];
                bool skip[batch];
                for (int p = 0; p < count; ++p) {
                    std::int64_t q;
                    if (edge && p == 0) {
                        q = E.columns[std::size_t(e)];
                        skip[p] = false;
                    } else {
                        q = rng.below(n);
                        skip[p] = q == j; // umap-learn skips a draw of the point itself
                    }
                    const double* other = prev + q * Dims;
                    x[p] = 0.0;
                    for (int c = 0; c < Dims; ++c) {
                        d[p][c] = cur[c] - other[c];
                        x[p] += d[p][c] * d[p][c];
                    }
                }
                coefficients(x, count, edge, a, b, attract, repel, coeff);
                double step[Dims] = {};
                for (int p = 0; p < count; ++p) {
                    if (skip[p]) continue;
                    if (x[p] > 0.0) {
                        for (int c = 0; c < Dims; ++c) step[c] += clip(coeff[p] * d[p][c]);
                    } else if (!(edge && p == 0)) {
                        // A negative sample at the very same position: umap-learn's fixed push.
                        for (int c = 0; c < Dims; ++c) step[c] += 4.0;
                    }
                }
                for (int c = 0; c < Dims; ++c) cur[c] += step[c] * alpha;
                done += take;
            }
        }
        for (int c = 0; c < Dims; ++c) Y[j * Dims + c] = cur[c];
    }
}

}  // namespace

void Status::run(std::vector<double>& Y, int until) {
    internal::State& s = *state_;
    check_embedding(Y, s.n, s.dims);
    const auto start = Clock::now();
    const int last = std::min(until, s.epochs);
    const std::int64_t tasks = (s.n + points_per_task - 1) / points_per_task;
    for (; s.iteration < last; ++s.iteration) {
        const int epoch = s.iteration;
        // umap-learn's schedule: epoch 0 at the full rate, then 1 - (epoch - 1) / epochs.
        const double alpha =
            s.options.learning_rate * (epoch == 0 ? 1.0 : 1.0 - double(epoch - 1) / double(s.epochs));
        std::copy(Y.begin(), Y.end(), s.previous.begin());
        parallel::for_each_dynamic(tasks, [&](std::int64_t t) {
            const std::int64_t first = t * points_per_task, end = std::min(s.n, first + points_per_task);
            if (s.dims == 2)
                epoch_points<2>(s, epoch, alpha, first, end, Y.data());
            else
                epoch_points<3>(s, epoch, alpha, first, end, Y.data());
        });
    }
    s.optimisation_seconds += seconds_since(start);
}

double Status::cost(const std::vector<double>& Y) const {
    const internal::State& s = *state_;
    check_embedding(Y, s.n, s.dims);
    const std::int64_t n = s.n;
    const int dims = s.dims;
    const double a = s.a, b = s.b;
    constexpr double tiny = 1e-12;
    auto similarity = [&](std::int64_t i, std::int64_t j) {
        double d2 = 0.0;
        for (int c = 0; c < dims; ++c) {
            const double t = Y[std::size_t(i * dims + c)] - Y[std::size_t(j * dims + c)];
            d2 += t * t;
        }
        return 1.0 / (1.0 + a * (d2 > 0.0 ? std::pow(d2, b) : 0.0));
    };
    const FuzzyGraph& g = s.graph;
    auto is_edge = [&](std::int64_t i, std::int64_t j) {
        const auto first = g.columns.begin() + g.row_start[std::size_t(i)];
        const auto last = g.columns.begin() + g.row_start[std::size_t(i + 1)];
        return std::binary_search(first, last, std::int32_t(j));
    };
    // Per-row partial sums, added in row order.
    std::vector<double> row(std::size_t(n), 0.0);
    parallel::for_each(n, [&](std::int64_t i) {
        double sum = 0.0;
        for (std::int64_t e = g.row_start[std::size_t(i)]; e < g.row_start[std::size_t(i + 1)]; ++e) {
            const std::int32_t j = g.columns[std::size_t(e)];
            if (j <= i) continue;
            const double w = g.values[std::size_t(e)];
            const double v = std::clamp(similarity(i, j), tiny, 1.0 - tiny);
            sum += w * std::log(w / v);
            if (w < 1.0) sum += (1.0 - w) * std::log((1.0 - w) / (1.0 - v));
        }
        row[std::size_t(i)] = sum;
    });
    double total = 0.0;
    for (double r : row) total += r;

    constexpr std::int64_t exact_limit = 2000;
    constexpr std::int64_t samples = std::int64_t(1) << 18;
    if (n <= exact_limit) {
        parallel::for_each(n, [&](std::int64_t i) {
            double sum = 0.0;
            for (std::int64_t j = i + 1; j < n; ++j)
                if (!is_edge(i, j)) sum -= std::log(1.0 - std::clamp(similarity(i, j), tiny, 1.0 - tiny));
            row[std::size_t(i)] = sum;
        });
        for (double r : row) total += r;
        return total;
    }
    const std::int64_t blocks = 64;
    std::vector<double> part(std::size_t(blocks), 0.0);
    parallel::for_each(blocks, [&](std::int64_t blk) {
        Stream rng(s.options.seed, 0xC057ull, std::uint64_t(blk));
        double sum = 0.0;
        for (std::int64_t t = 0; t < samples / blocks; ++t) {
            const std::int64_t i = rng.below(std::uint32_t(n));
            std::int64_t j = rng.below(std::uint32_t(n - 1));
            if (j >= i) ++j;
            if (!is_edge(i, j)) sum -= std::log(1.0 - std::clamp(similarity(i, j), tiny, 1.0 - tiny));
        }
        part[std::size_t(blk)] = sum;
    });
    double sampled = 0.0;
    for (double p : part) sampled += p;
    return total + sampled / double(samples) * (double(n) * double(n - 1) / 2.0);
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
