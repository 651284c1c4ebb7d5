// Placing new rows on a fixed t-SNE or UMAP map (transform.h). Every new row is computed by its
// own code path from its own values: no batching across rows (a GEMM's blocking, or a GEMV for a
// single row, would change the rounding with the batch), so alone or among others, with any
// thread count, it gets the same bits.
#include "reduce/transform.h"

#include "common/parallel.h"
#include "reduce/pca.h"
#include "reduce/tsne.h"
#include "reduce/tsne_internal.h"
#include "reduce/umap.h"
#include "reduce/umap_internal.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <exception>
#include <numeric>
#include <stdexcept>
#include <string>

namespace latentscape::reduce::placement {

namespace {

[[noreturn]] void fail(const std::string& message) { throw std::invalid_argument("transform: " + message); }

void check_finite(const float* X, std::int64_t n, std::int64_t d, const char* what) {
    for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t j = 0; j < d; ++j)
            if (!std::isfinite(X[i * d + j]))
                fail(std::string(what) + " row " + std::to_string(i) + " column " + std::to_string(j) + " is " +
                     (std::isnan(X[i * d + j]) ? "NaN" : "infinite"));
}

std::uint64_t mix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/// A hash of a row's bits: keys its random stream, so identical rows get identical positions and
/// nothing depends on where the row sits in its file.
std::uint64_t row_hash(const float* x, std::int64_t d) {
    std::uint64_t h = 0x243F6A8885A308D3ull;
    for (std::int64_t j = 0; j < d; ++j) {
        std::uint32_t bits;
        std::memcpy(&bits, x + j, 4);
        h = mix(h ^ bits) + 0x9E3779B97F4A7C15ull;
    }
    return h;
}

struct Stream {
    std::uint64_t s;
    Stream(std::uint64_t key, std::uint64_t epoch) : s(mix(key + 0x632BE59BD9B4E019ull * (epoch + 1))) {}
    std::uint64_t next() { return mix(s += 0x9E3779B97F4A7C15ull); }
    std::uint32_t below(std::uint32_t n) { return std::uint32_t((next() >> 32) * n >> 32); }
};

/// The reference features transposed (feature_dims x n, double), so that the distances of one
/// query to all references vectorise over the references with a fixed order of additions.
std::vector<double> transposed(const Reference& ref) {
    const std::int64_t n = ref.n, D = ref.feature_dims;
    std::vector<double> t(std::size_t(n * D));
    parallel::for_each(D, [&](std::int64_t c) {
        for (std::int64_t j = 0; j < n; ++j) t[std::size_t(c * n + j)] = double(ref.features[std::size_t(j * D + c)]);
    });
    return t;
}

/// The k nearest references of one query (feature_dims values): indices and squared distances.
void nearest(const std::vector<double>& RT, std::int64_t n, std::int64_t D, const float* q, int k,
             std::vector<double>& dist, std::vector<std::int32_t>& order, std::int32_t* idx, double* sq) {
    dist.assign(std::size_t(n), 0.0);
    for (std::int64_t c = 0; c < D; ++c) {
        const double qc = double(q[c]);
        const double* r = RT.data() + c * n;
        double* out = dist.data();
        for (std::int64_t j = 0; j < n; ++j) {
            const double t = qc - r[j];
            out[j] += t * t;
        }
    }
    order.resize(std::size_t(n));
    std::iota(order.begin(), order.end(), 0);
    auto less = [&](std::int32_t x, std::int32_t y) {
        return dist[std::size_t(x)] < dist[std::size_t(y)] || (dist[std::size_t(x)] == dist[std::size_t(y)] && x < y);
    };
    std::nth_element(order.begin(), order.begin() + (k - 1), order.end(), less);
    std::sort(order.begin(), order.begin() + k, less);
    for (int a = 0; a < k; ++a) {
        idx[a] = order[std::size_t(a)];
        sq[a] = dist[std::size_t(order[std::size_t(a)])];
    }
}

/// Runs body(i) for every new row in parallel, rethrowing the first row's exception in row order.
template <class Body>
void per_row(std::int64_t m, Body&& body) {
    std::vector<std::exception_ptr> errors(static_cast<std::size_t>(m));
    parallel::for_each_dynamic(m, [&](std::int64_t i) {
        try {
            body(i);
        } catch (...) {
            errors[std::size_t(i)] = std::current_exception();
        }
    });
    for (auto& e : errors)
        if (e) std::rethrow_exception(e);
}

}  // namespace

Reference make_reference(const float* X, std::int64_t n, std::int64_t d, std::optional<int> pca_dims,
                         std::uint64_t seed, const double* embedding, int dims) {
    if (n < 2 || d < 1) fail("the reference needs at least 2 rows and 1 column");
    if (dims != 2 && dims != 3) fail("embedding dimensions (" + std::to_string(dims) + ") must be 2 or 3");
    check_finite(X, n, d, "reference");
    Reference r;
    r.n = n;
    r.input_dims = d;
    r.dims = dims;
    r.embedding.assign(embedding, embedding + n * dims);
    for (double v : r.embedding)
        if (!std::isfinite(v)) fail("the reference embedding holds a non-finite value");
    // The fit's own preprocessing (the rule tsne.cpp and umap.cpp use), so the same rows bit for bit.
    if (std::optional<PcaResult> fit = preprocessing_pca(X, n, d, pca_dims, seed)) {
        r.pca_dims = fit->k;
        r.pca_mean = fit->mean;
        r.pca_components = fit->components;
        r.feature_dims = fit->k;
        r.features = std::move(fit->scores);
    } else {
        r.feature_dims = d;
        r.features.assign(X, X + n * d);
    }
    return r;
}

FloatVector preprocess(const Reference& ref, const float* X, std::int64_t m, std::int64_t d) {
    if (d != ref.input_dims)
        fail("the model has " + std::to_string(ref.input_dims) + " columns; the new rows have " + std::to_string(d));
    if (m < 1) fail("no new rows");
    check_finite(X, m, d, "new");
    if (ref.pca_dims == 0) return FloatVector(X, X + m * d);
    const int k = ref.pca_dims;
    FloatVector Z(std::size_t(m * k));
    per_row(m, [&](std::int64_t i) {
        const float* x = X + i * d;
        std::vector<double> centred(static_cast<std::size_t>(d));
        for (std::int64_t j = 0; j < d; ++j) centred[std::size_t(j)] = double(x[j]) - ref.pca_mean[std::size_t(j)];
        for (int c = 0; c < k; ++c) {
            const float* v = ref.pca_components.data() + std::size_t(c) * std::size_t(d);
            double s = 0.0;
            for (std::int64_t j = 0; j < d; ++j) s += centred[std::size_t(j)] * double(v[j]);
            Z[std::size_t(i * k + c)] = float(s);
        }
    });
    return Z;
}

neighbors::KnnGraph reference_neighbors(const Reference& ref, const float* Z, std::int64_t m, int k) {
    if (k < 1 || k >= ref.n)
        fail("neighbours per row (" + std::to_string(k) + ") must be in [1, n - 1] with n = " +
             std::to_string(ref.n) + " reference rows");
    const std::vector<double> RT = transposed(ref);
    neighbors::KnnGraph g;
    g.n = m;
    g.k = k;
    g.indices.resize(std::size_t(m * k));
    g.sq_distances.resize(std::size_t(m * k));
    per_row(m, [&](std::int64_t i) {
        std::vector<double> dist, sq(static_cast<std::size_t>(k));
        std::vector<std::int32_t> order;
        nearest(RT, ref.n, ref.feature_dims, Z + i * ref.feature_dims, k, dist, order, g.indices.data() + i * k,
                sq.data());
        for (int a = 0; a < k; ++a) g.sq_distances[std::size_t(i * k + a)] = float(sq[std::size_t(a)]);
    });
    return g;
}

TsneOptions tsne_options(const tsne::Options& fit) {
    TsneOptions o;
    o.perplexity = fit.perplexity;
    return o;
}

UmapOptions umap_options(const umap::Options& fit, double a, double b) {
    UmapOptions o;
    o.n_neighbors = fit.n_neighbors;
    o.local_connectivity = fit.local_connectivity;
    o.a = a;
    o.b = b;
    o.negative_sample_rate = fit.negative_sample_rate;
    o.repulsion_strength = fit.repulsion_strength;
    o.learning_rate = fit.learning_rate;
    o.seed = fit.seed;
    return o;
}

// ---- t-SNE ---------------------------------------------------------------------------------

namespace {

/// Repulsion of one point y against every reference point: out = sum_j w_j^2 (y - y_j), returns
/// Z = sum_j w_j. Eight lanes of partial sums, added in lane order: a fixed order.
template <int Dims>
double repulsion(const double* y, const std::vector<double>& Yt, std::int64_t n, double* out) {
    constexpr int L = 8;
    double z[L] = {}, f[Dims][L] = {};
    std::int64_t j = 0;
    for (; j + L <= n; j += L) {
        double d2[L] = {}, diff[Dims][L];
        for (int c = 0; c < Dims; ++c)
            for (int l = 0; l < L; ++l) {
                diff[c][l] = y[c] - Yt[std::size_t(c * n + j + l)];
                d2[l] += diff[c][l] * diff[c][l];
            }
        for (int l = 0; l < L; ++l) {
            const double w = 1.0 / (1.0 + d2[l]);
            z[l] += w;
            for (int c = 0; c < Dims; ++c) f[c][l] += w * w * diff[c][l];
        }
    }
    for (; j < n; ++j) {
        double d2 = 0.0, diff[Dims];
        for (int c = 0; c < Dims; ++c) {
            diff[c] = y[c] - Yt[std::size_t(c * n + j)];
            d2 += diff[c] * diff[c];
        }
        const double w = 1.0 / (1.0 + d2);
        z[0] += w;
        for (int c = 0; c < Dims; ++c) f[c][0] += w * w * diff[c];
    }
    double Z = 0.0;
    for (int l = 0; l < L; ++l) Z += z[l];
    for (int c = 0; c < Dims; ++c) {
        out[c] = 0.0;
        for (int l = 0; l < L; ++l) out[c] += f[c][l];
    }
    return Z;
}

template <int Dims>
void optimise_tsne(const Reference& ref, const std::vector<double>& Yt, const std::int32_t* idx, const double* p,
                   int k, const TsneOptions& o, double* y) {
    double update[Dims] = {}, gains[Dims];
    for (double& g : gains) g = 1.0;
    for (int it = 0; it < o.iterations; ++it) {
        double grad[Dims] = {}, rep[Dims];
        for (int a = 0; a < k; ++a) {
            const double* yj = ref.embedding.data() + std::size_t(idx[a]) * Dims;
            double diff[Dims], d2 = 0.0;
            for (int c = 0; c < Dims; ++c) {
                diff[c] = y[c] - yj[c];
                d2 += diff[c] * diff[c];
            }
            const double w = 1.0 / (1.0 + d2);
            for (int c = 0; c < Dims; ++c) grad[c] += o.exaggeration * p[a] * w * diff[c];
        }
        const double Z = repulsion<Dims>(y, Yt, ref.n, rep);
        double norm = 0.0;
        for (int c = 0; c < Dims; ++c) {
            grad[c] -= rep[c] / Z;
            norm += grad[c] * grad[c];
        }
        norm = std::sqrt(norm);
        if (norm > o.max_grad_norm)
            for (int c = 0; c < Dims; ++c) grad[c] *= o.max_grad_norm / norm;
        for (int c = 0; c < Dims; ++c) {
            // Delta-bar-delta gains, as the fit's optimiser.
            gains[c] = (grad[c] > 0.0) != (update[c] > 0.0) ? gains[c] + 0.2 : gains[c] * 0.8;
            gains[c] = std::max(gains[c], o.min_gain);
            update[c] = o.momentum * update[c] - o.learning_rate * gains[c] * grad[c];
            y[c] += update[c];
        }
    }
}

}  // namespace

std::vector<double> place_tsne(const Reference& ref, const float* X, std::int64_t m, std::int64_t d,
                               const TsneOptions& o) {
    if (!(o.perplexity >= 1.0)) fail("perplexity (" + std::to_string(o.perplexity) + ") must be >= 1");
    if (o.iterations < 0) fail("iterations (" + std::to_string(o.iterations) + ") must be >= 0");
    if (!(o.learning_rate > 0.0)) fail("learning rate must be > 0");
    if (!(o.exaggeration >= 1.0)) fail("exaggeration must be >= 1");
    if (!(o.momentum >= 0.0 && o.momentum < 1.0)) fail("momentum must be in [0, 1)");
    if (!(o.max_grad_norm > 0.0) || !(o.min_gain > 0.0)) fail("max_grad_norm and min_gain must be > 0");
    const double kd = std::floor(3.0 * o.perplexity);
    if (kd >= double(ref.n))
        fail("perplexity " + std::to_string(o.perplexity) + " needs k = 3 x perplexity = " +
             std::to_string(std::int64_t(kd)) + " neighbours, but the reference has only " + std::to_string(ref.n) +
             " rows (k must be < n)");
    const int k = int(kd);
    const FloatVector Z = preprocess(ref, X, m, d);
    const neighbors::KnnGraph g = reference_neighbors(ref, Z.data(), m, k);
    const int dims = ref.dims;
    std::vector<double> Yt(std::size_t(ref.n * dims));
    for (std::int64_t j = 0; j < ref.n; ++j)
        for (int c = 0; c < dims; ++c) Yt[std::size_t(c * ref.n + j)] = ref.embedding[std::size_t(j * dims + c)];
    std::vector<double> out(std::size_t(m * dims));
    per_row(m, [&](std::int64_t i) {
        std::vector<double> p(static_cast<std::size_t>(k));
        tsne::internal::conditional_row(g.sq_distances.data() + i * k, k, o.perplexity, p.data());
        const std::int32_t* idx = g.indices.data() + i * k;
        double* y = out.data() + i * dims;
        for (int a = 0; a < k; ++a)
            for (int c = 0; c < dims; ++c) y[c] += p[std::size_t(a)] * ref.embedding[std::size_t(idx[a]) * dims + c];
        if (dims == 2) optimise_tsne<2>(ref, Yt, idx, p.data(), k, o, y);
        else optimise_tsne<3>(ref, Yt, idx, p.data(), k, o, y);
    });
    return out;
}

// ---- UMAP ----------------------------------------------------------------------------------

namespace {

inline double clip(double v) { return std::clamp(v, -4.0, 4.0); }

/// umap-learn's smooth_knn_dist for a row that is not among the references: no implicit self at
/// distance 0, target log2(k).
std::pair<double, double> smooth_distances(const double* dist, int k, double local_connectivity, double mean_row) {
    const double rho = umap::internal::smooth_rho(dist, k, local_connectivity);
    const double sigma = umap::internal::smooth_sigma(dist, k, rho, std::log2(double(k)));
    // umap-learn's floor (MIN_K_DIST_SCALE x the row's mean distance).
    return {std::max(sigma, 1e-3 * mean_row), rho};
}

template <int Dims>
void optimise_umap(const Reference& ref, const std::int32_t* idx, const double* w, int k, const UmapOptions& o,
                   std::uint64_t key, double* y) {
    const double a = o.a, b = o.b;
    double max_w = 0.0;
    for (int e = 0; e < k; ++e) max_w = std::max(max_w, w[e]);
    if (!(max_w > 0.0) || o.n_epochs == 0) return;
    std::vector<double> per_sample(static_cast<std::size_t>(k)), next_sample(static_cast<std::size_t>(k)), per_negative(static_cast<std::size_t>(k)),
        next_negative(static_cast<std::size_t>(k));
    for (int e = 0; e < k; ++e) {
        // umap-learn drops the edges too weak to be sampled within the epochs.
        per_sample[std::size_t(e)] = w[e] >= max_w / double(o.n_epochs) ? max_w / w[e] : -1.0;
        next_sample[std::size_t(e)] = per_sample[std::size_t(e)];
        per_negative[std::size_t(e)] = o.negative_sample_rate > 0 ? per_sample[std::size_t(e)] / o.negative_sample_rate
                                                                  : std::numeric_limits<double>::infinity();
        next_negative[std::size_t(e)] = per_negative[std::size_t(e)];
    }
    const auto n = std::uint32_t(ref.n);
    const double* Y = ref.embedding.data();
    const double alpha0 = o.learning_rate / 4.0;
    for (int epoch = 0; epoch < o.n_epochs; ++epoch) {
        const double alpha = alpha0 * (1.0 - double(epoch) / double(o.n_epochs));
        Stream rng(key, std::uint64_t(epoch));
        for (int e = 0; e < k; ++e) {
            if (per_sample[std::size_t(e)] < 0.0 || next_sample[std::size_t(e)] > double(epoch)) continue;
            const double* other = Y + std::size_t(idx[e]) * Dims;
            double diff[Dims], d2 = 0.0;
            for (int c = 0; c < Dims; ++c) {
                diff[c] = y[c] - other[c];
                d2 += diff[c] * diff[c];
            }
            if (d2 > 0.0) {
                const double coeff = -2.0 * a * b * std::pow(d2, b - 1.0) / (a * std::pow(d2, b) + 1.0);
                for (int c = 0; c < Dims; ++c) y[c] += clip(coeff * diff[c]) * alpha;
            }
            next_sample[std::size_t(e)] += per_sample[std::size_t(e)];
            // No negative samples at a rate of 0 (per_negative is infinite: the quotient is NaN).
            const int negatives = o.negative_sample_rate > 0
                                      ? int((double(epoch) - next_negative[std::size_t(e)]) / per_negative[std::size_t(e)])
                                      : 0;
            for (int s = 0; s < negatives; ++s) {
                const double* neg = Y + std::size_t(rng.below(n)) * Dims;
                double nd[Dims], x = 0.0;
                for (int c = 0; c < Dims; ++c) {
                    nd[c] = y[c] - neg[c];
                    x += nd[c] * nd[c];
                }
                if (x > 0.0) {
                    const double coeff =
                        2.0 * o.repulsion_strength * b / ((0.001 + x) * (a * std::pow(x, b) + 1.0));
                    for (int c = 0; c < Dims; ++c) y[c] += clip(coeff * nd[c]) * alpha;
                } else {
                    for (int c = 0; c < Dims; ++c) y[c] += 4.0 * alpha;
                }
            }
            if (negatives != 0) next_negative[std::size_t(e)] += double(negatives) * per_negative[std::size_t(e)];
        }
    }
}

}  // namespace

std::vector<double> place_umap(const Reference& ref, const float* X, std::int64_t m, std::int64_t d,
                               const UmapOptions& o) {
    if (o.n_neighbors < 2 || o.n_neighbors >= ref.n)
        fail("n_neighbors (" + std::to_string(o.n_neighbors) + ") must be in [2, n - 1] with n = " +
             std::to_string(ref.n) + " reference rows");
    if (!(o.a > 0.0) || !(o.b > 0.0)) fail("a and b must be > 0");
    if (o.negative_sample_rate < 0 || o.negative_sample_rate > 100) fail("negative sample rate must be in [0, 100]");
    if (!(o.repulsion_strength > 0.0) || !(o.learning_rate > 0.0)) fail("repulsion strength and learning rate must be > 0");
    if (o.n_epochs < 0) fail("epochs (" + std::to_string(o.n_epochs) + ") must be >= 0");
    if (!(o.local_connectivity >= 0.0)) fail("local connectivity must be >= 0");
    const int k = o.n_neighbors;
    const FloatVector Z = preprocess(ref, X, m, d);
    const neighbors::KnnGraph g = reference_neighbors(ref, Z.data(), m, k);
    const int dims = ref.dims;
    const double lc = std::max(0.0, o.local_connectivity - 1.0);
    std::vector<double> out(std::size_t(m * dims));
    per_row(m, [&](std::int64_t i) {
        std::vector<double> dist(static_cast<std::size_t>(k)), w(static_cast<std::size_t>(k));
        double mean = 0.0;
        for (int a = 0; a < k; ++a) {
            // As umap-learn holds them: float32 Euclidean distances.
            dist[std::size_t(a)] = double(float(std::sqrt(double(g.sq_distances[std::size_t(i * k + a)]))));
            mean += dist[std::size_t(a)];
        }
        mean /= double(k);
        const auto [sigma, rho] = smooth_distances(dist.data(), k, lc, mean);
        double total = 0.0;
        for (int a = 0; a < k; ++a) {
            const double t = dist[std::size_t(a)] - rho;
            w[std::size_t(a)] = (t <= 0.0 || sigma == 0.0) ? 1.0 : std::exp(-(t / sigma));
            total += w[std::size_t(a)];
        }
        const std::int32_t* idx = g.indices.data() + i * k;
        double* y = out.data() + i * dims;
        for (int a = 0; a < k; ++a)
            for (int c = 0; c < dims; ++c)
                y[c] += w[std::size_t(a)] / total * ref.embedding[std::size_t(idx[a]) * dims + c];
        const std::uint64_t key = mix(o.seed ^ row_hash(X + i * d, d));
        if (dims == 2) optimise_umap<2>(ref, idx, w.data(), k, o, key, y);
        else optimise_umap<3>(ref, idx, w.data(), k, o, key, y);
    });
    return out;
}

}  // namespace latentscape::reduce::placement
