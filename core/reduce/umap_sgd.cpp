// UMAP's optimiser (umap-learn's optimize_layout_euclidean, made deterministic; see umap.h) and
// the fuzzy set cross entropy it lowers.
#include "reduce/umap_internal.h"

#include "common/parallel.h"

#if defined(__AVX512F__)
#include <immintrin.h>
#endif
// GCC 12 reports its own _mm512_undefined_pd() inside masked AVX-512 intrinsics as
// maybe-uninitialized (a false positive, as in tsne_gradient.cpp).
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace latentscape::reduce::umap::internal {
namespace {

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

constexpr std::int64_t points_per_task = 512;
constexpr std::int64_t parallel_from = 4096; // points
constexpr int batch = 8; // negative samples evaluated together

// One epoch for the points [first, last): each moves through its own edges, reading `previous`.
// A sampled edge and its negative samples form one batch of pairs whose gradients are computed
// from the same position and then added in order (edge first, then the draws): the pairs are
// independent, so their pow()s and divisions overlap instead of waiting for one another.
template <int Dims>
void epoch_points(Optimizer& s, int epoch, double alpha, std::int64_t first, std::int64_t last, double* Y) {
    const Edges& E = s.edges;
    const double a = s.a, b = s.b;
    const double* prev = s.previous.data();
    const auto n = std::uint32_t(E.n);
    const double attract = -2.0 * a * b;
    const double repel = 2.0 * s.repulsion_strength * b;
    double* next_sample = s.next_sample.data();
    double* next_negative = s.next_negative.data();
    const double* per_sample = E.epochs_per_sample.data();
    const double* per_negative = s.per_negative.data();
    for (std::int64_t j = first; j < last; ++j) {
        double cur[Dims];
        for (int c = 0; c < Dims; ++c) cur[c] = prev[j * Dims + c];
        Stream rng(s.seed, std::uint64_t(epoch), std::uint64_t(j));
        for (std::int64_t e = E.row_start[std::size_t(j)]; e < E.row_start[std::size_t(j + 1)]; ++e) {
            if (next_sample[e] > double(epoch)) continue;
            next_sample[e] += per_sample[e];
            // A negative sample rate of 0 makes per_negative infinite: no negatives (the quotient
            // would be NaN, and converting it to int is undefined).
            const int negatives = per_negative[e] < std::numeric_limits<double>::infinity()
                                      ? int((double(epoch) - next_negative[e]) / per_negative[e])
                                      : 0;
            if (negatives != 0) next_negative[e] += double(negatives) * per_negative[e];
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

Optimizer make_optimizer(const FuzzyGraph& graph, int n_epochs, int negative_sample_rate, double a, double b,
                         double repulsion_strength, std::uint64_t seed) {
    Optimizer o;
    o.edges = sampled_edges(graph, n_epochs);
    const std::size_t m = o.edges.columns.size();
    o.next_sample = o.edges.epochs_per_sample;
    o.per_negative.resize(m);
    for (std::size_t e = 0; e < m; ++e)
        o.per_negative[e] = negative_sample_rate > 0 ? o.edges.epochs_per_sample[e] / double(negative_sample_rate)
                                                     : std::numeric_limits<double>::infinity();
    o.next_negative = o.per_negative;
    o.a = a;
    o.b = b;
    o.repulsion_strength = repulsion_strength;
    o.seed = seed;
    return o;
}

void run_epoch(Optimizer& o, int dims, int epoch, double alpha, std::vector<double>& Y) {
    const std::int64_t n = o.edges.n;
    o.previous.assign(Y.begin(), Y.end());
    const std::int64_t tasks = (n + points_per_task - 1) / points_per_task;
    auto task = [&](std::int64_t t) {
        const std::int64_t first = t * points_per_task, end = std::min(n, first + points_per_task);
        if (dims == 2)
            epoch_points<2>(o, epoch, alpha, first, end, Y.data());
        else
            epoch_points<3>(o, epoch, alpha, first, end, Y.data());
    };
    // Below a few thousand points an epoch takes a millisecond or two: waking threads for it (and
    // waiting at its barrier for one the OS has descheduled) costs more than it saves.
    if (n < parallel_from) {
        for (std::int64_t t = 0; t < tasks; ++t) task(t);
    } else {
        parallel::for_each_dynamic(tasks, task);
    }
}

double cross_entropy(const FuzzyGraph& g, double a, double b, const std::vector<double>& Y, int dims,
                     std::uint64_t seed) {
    const std::int64_t n = g.n;
    constexpr double tiny = 1e-12;
    auto similarity = [&](std::int64_t i, std::int64_t j) {
        double d2 = 0.0;
        for (int c = 0; c < dims; ++c) {
            const double t = Y[std::size_t(i * dims + c)] - Y[std::size_t(j * dims + c)];
            d2 += t * t;
        }
        return 1.0 / (1.0 + a * (d2 > 0.0 ? std::pow(d2, b) : 0.0));
    };
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
            // A membership that underflowed to 0 (far neighbours of a million points) adds
            // w log(w / v) -> 0 in the limit, not 0 x log(0) = NaN.
            if (w > 0.0) sum += w * std::log(w / v);
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
        Stream rng(seed, 0xC057ull, std::uint64_t(blk));
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

}  // namespace latentscape::reduce::umap::internal
