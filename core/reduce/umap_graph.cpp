// UMAP's high-dimensional side: smooth kNN distances, directed memberships, their fuzzy union,
// the edges the optimiser samples, and the curve fit of a and b. Follows umap-learn 0.5
// (umap_.py: smooth_knn_dist, compute_membership_strengths, fuzzy_simplicial_set,
// make_epochs_per_sample, find_ab_params).
#include "reduce/umap_internal.h"

#include "common/parallel.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

namespace latentscape::reduce::umap::internal {
namespace {

constexpr double smooth_k_tolerance = 1e-5; // umap-learn's SMOOTH_K_TOLERANCE
constexpr double min_k_dist_scale = 1e-3;   // umap-learn's MIN_K_DIST_SCALE
constexpr int bisection_steps = 64;

}  // namespace

double smooth_rho(const double* distances, int k, double local_connectivity) {
    int nonzero_first = 0;
    while (nonzero_first < k && !(distances[nonzero_first] > 0.0)) ++nonzero_first;
    const int nonzero = k - nonzero_first;
    const double* nz = distances + nonzero_first;
    double rho = 0.0;
    if (nonzero > 0 && double(nonzero) >= local_connectivity) {
        const int index = int(std::floor(local_connectivity));
        const double interpolation = local_connectivity - index;
        if (index > 0) {
            rho = nz[index - 1];
            if (interpolation > smooth_k_tolerance && index < nonzero)
                rho += interpolation * (nz[index] - nz[index - 1]);
        } else {
            rho = interpolation * nz[0];
        }
    } else if (nonzero > 0) {
        rho = nz[nonzero - 1];
    }
    return rho;
}

double smooth_sigma(const double* distances, int k, double rho, double target) {
    double lo = 0.0, hi = std::numeric_limits<double>::infinity(), mid = 1.0;
    for (int step = 0; step < bisection_steps; ++step) {
        double psum = 0.0;
        for (int j = 0; j < k; ++j) {
            const double d = distances[j] - rho;
            psum += d > 0.0 ? std::exp(-(d / mid)) : 1.0;
        }
        if (std::abs(psum - target) < smooth_k_tolerance) break;
        if (psum > target) {
            hi = mid;
            mid = (lo + hi) / 2.0;
        } else {
            lo = mid;
            mid = std::isinf(hi) ? mid * 2.0 : (lo + hi) / 2.0;
        }
    }
    return mid;
}

std::pair<double, double> smooth_distances(const double* distances, int k, double local_connectivity,
                                           double mean_all) {
    // The row as umap-learn sees it: the point itself at distance 0, then its k neighbours.
    const double rho = smooth_rho(distances, k, local_connectivity);
    double sigma = smooth_sigma(distances, k, rho, std::log2(double(k + 1)));
    // A floor keeps sigma away from 0 where every neighbour sits at rho (duplicates, grids).
    if (rho > 0.0) {
        double sum = 0.0;
        for (int j = 0; j < k; ++j) sum += distances[j];
        sigma = std::max(sigma, min_k_dist_scale * sum / double(k + 1));
    } else {
        sigma = std::max(sigma, min_k_dist_scale * mean_all);
    }
    return {sigma, rho};
}

FuzzyGraph fuzzy_simplicial_set(const neighbors::KnnGraph& knn, double set_op_mix_ratio, double local_connectivity,
                                std::vector<double>* sigmas, std::vector<double>* rhos) {
    const std::int64_t n = knn.n;
    const int k = knn.k;
    const std::size_t nk = std::size_t(n * k);
    // Euclidean distances as umap-learn holds them (float32).
    std::vector<double> dist(nk);
    parallel::for_each(std::int64_t(nk), [&](std::int64_t e) {
        dist[std::size_t(e)] = double(float(std::sqrt(double(knn.sq_distances[std::size_t(e)]))));
    });
    // Mean over every row including each point's own zero, summed per row then in row order.
    std::vector<double> row_sum(std::size_t(n), 0.0);
    parallel::for_each(n, [&](std::int64_t i) {
        double s = 0.0;
        for (int a = 0; a < k; ++a) s += dist[std::size_t(i * k + a)];
        row_sum[std::size_t(i)] = s;
    });
    double total = 0.0;
    for (double s : row_sum) total += s;
    const double mean_all = total / (double(n) * double(k + 1));

    // Directed memberships a_ij, in the knn's layout.
    std::vector<double> sigma(static_cast<std::size_t>(n)), rho(static_cast<std::size_t>(n));
    std::vector<double> member(nk);
    parallel::for_each(n, [&](std::int64_t i) {
        const auto [s, r] = smooth_distances(dist.data() + i * k, k, local_connectivity, mean_all);
        // umap-learn stores both in float32.
        const double sf = double(float(s)), rf = double(float(r));
        sigma[std::size_t(i)] = sf;
        rho[std::size_t(i)] = rf;
        for (int a = 0; a < k; ++a) {
            const double d = dist[std::size_t(i * k + a)] - rf;
            member[std::size_t(i * k + a)] = (d <= 0.0 || sf == 0.0) ? 1.0 : std::exp(-(d / sf));
        }
    });

    // Rows of A sorted by column, and the transpose by counting sort (columns ascending because
    // rows are visited in order).
    std::vector<std::int32_t> order(nk);
    parallel::for_each(n, [&](std::int64_t i) {
        std::int32_t* o = order.data() + i * k;
        std::iota(o, o + k, 0);
        std::sort(o, o + k, [&](std::int32_t x, std::int32_t y) {
            return knn.indices[std::size_t(i * k + x)] < knn.indices[std::size_t(i * k + y)];
        });
    });
    std::vector<std::int64_t> t_start(std::size_t(n + 1), 0);
    for (std::size_t e = 0; e < nk; ++e) ++t_start[std::size_t(knn.indices[e]) + 1];
    for (std::int64_t i = 0; i < n; ++i) t_start[std::size_t(i + 1)] += t_start[std::size_t(i)];
    std::vector<std::int32_t> t_cols(nk);
    std::vector<double> t_vals(nk);
    {
        std::vector<std::int64_t> fill(t_start.begin(), t_start.end() - 1);
        for (std::int64_t i = 0; i < n; ++i)
            for (int a = 0; a < k; ++a) {
                const std::size_t e = std::size_t(i * k + a);
                const std::int64_t slot = fill[std::size_t(knn.indices[e])]++;
                t_cols[std::size_t(slot)] = std::int32_t(i);
                t_vals[std::size_t(slot)] = member[e];
            }
    }

    // Fuzzy union row by row: merge row i of A with row i of A^T.
    const double mix = set_op_mix_ratio;
    auto combine = [mix](double x, double y) { return mix * (x + y - x * y) + (1.0 - mix) * x * y; };
    std::vector<std::int64_t> count(std::size_t(n), 0);
    auto merge_row = [&](std::int64_t i, auto&& emit) {
        int a = 0;
        std::int64_t t = t_start[std::size_t(i)];
        const std::int64_t t_end = t_start[std::size_t(i + 1)];
        while (a < k || t < t_end) {
            const std::int32_t ca = a < k ? knn.indices[std::size_t(i * k + order[std::size_t(i * k + a)])]
                                          : std::numeric_limits<std::int32_t>::max();
            const std::int32_t ct = t < t_end ? t_cols[std::size_t(t)] : std::numeric_limits<std::int32_t>::max();
            double x = 0.0, y = 0.0;
            std::int32_t c;
            if (ca <= ct) {
                x = member[std::size_t(i * k + order[std::size_t(i * k + a)])];
                c = ca;
                ++a;
            } else {
                c = ct;
            }
            if (ct == c) {
                y = t_vals[std::size_t(t)];
                ++t;
            }
            const double w = combine(x, y);
            if (w != 0.0 && c != i) emit(c, w);
        }
    };
    parallel::for_each(n, [&](std::int64_t i) {
        std::int64_t c = 0;
        merge_row(i, [&](std::int32_t, double) { ++c; });
        count[std::size_t(i)] = c;
    });
    FuzzyGraph g;
    g.n = n;
    g.row_start.assign(std::size_t(n + 1), 0);
    for (std::int64_t i = 0; i < n; ++i) g.row_start[std::size_t(i + 1)] = g.row_start[std::size_t(i)] + count[std::size_t(i)];
    g.columns.resize(std::size_t(g.row_start.back()));
    g.values.resize(std::size_t(g.row_start.back()));
    parallel::for_each(n, [&](std::int64_t i) {
        std::int64_t e = g.row_start[std::size_t(i)];
        merge_row(i, [&](std::int32_t c, double w) {
            g.columns[std::size_t(e)] = c;
            g.values[std::size_t(e)] = float(w);
            ++e;
        });
    });
    if (sigmas) *sigmas = std::move(sigma);
    if (rhos) *rhos = std::move(rho);
    return g;
}

Edges sampled_edges(const FuzzyGraph& graph, int n_epochs) {
    const float max_w = graph.values.empty() ? 0.0f : *std::max_element(graph.values.begin(), graph.values.end());
    // umap-learn: entries below max / n_epochs would be sampled less than once; for very short runs
    // the threshold of its default epochs is kept.
    const int threshold_epochs = n_epochs > 10 ? n_epochs : (graph.n <= 10000 ? 500 : 200);
    const float threshold = max_w / float(threshold_epochs);
    Edges edges;
    edges.n = graph.n;
    edges.row_start.assign(std::size_t(graph.n + 1), 0);
    for (std::int64_t i = 0; i < graph.n; ++i) {
        std::int64_t kept = 0;
        for (std::int64_t e = graph.row_start[std::size_t(i)]; e < graph.row_start[std::size_t(i + 1)]; ++e)
            if (!(graph.values[std::size_t(e)] < threshold)) {
                edges.columns.push_back(graph.columns[std::size_t(e)]);
                // As make_epochs_per_sample computes it (float32 weights, float64 result).
                const float samples = float(n_epochs) * (graph.values[std::size_t(e)] / max_w);
                edges.epochs_per_sample.push_back(double(n_epochs) / double(samples));
                ++kept;
            }
        edges.row_start[std::size_t(i + 1)] = edges.row_start[std::size_t(i)] + kept;
    }
    return edges;
}

std::pair<double, double> find_ab_params(double spread, double min_dist) {
    constexpr int points = 300;
    std::vector<double> x(points), y(points);
    for (int i = 0; i < points; ++i) {
        // numpy.linspace(0, 3 spread, 300)
        x[std::size_t(i)] = i == points - 1 ? spread * 3.0 : double(i) * (spread * 3.0 / double(points - 1));
        y[std::size_t(i)] = x[std::size_t(i)] < min_dist ? 1.0 : std::exp(-(x[std::size_t(i)] - min_dist) / spread);
    }
    auto residuals = [&](double a, double b, double* jac_a, double* jac_b, std::vector<double>& r) {
        double sse = 0.0;
        for (int i = 0; i < points; ++i) {
            const double xi = x[std::size_t(i)];
            const double p = xi > 0.0 ? std::pow(xi, 2.0 * b) : 0.0;
            const double den = 1.0 + a * p;
            const double f = 1.0 / den;
            r[std::size_t(i)] = f - y[std::size_t(i)];
            sse += r[std::size_t(i)] * r[std::size_t(i)];
            if (jac_a) {
                jac_a[i] = -p / (den * den);
                jac_b[i] = xi > 0.0 ? -a * p * 2.0 * std::log(xi) / (den * den) : 0.0;
            }
        }
        return sse;
    };
    // Levenberg-Marquardt with Marquardt's diagonal scaling, from curve_fit's start (1, 1).
    double a = 1.0, b = 1.0, lambda = 1e-3;
    std::vector<double> r(points), ja(points), jb(points), r_try(points);
    double sse = residuals(a, b, ja.data(), jb.data(), r);
    for (int iter = 0; iter < 500; ++iter) {
        double aa = 0.0, ab = 0.0, bb = 0.0, ga = 0.0, gb = 0.0;
        for (int i = 0; i < points; ++i) {
            aa += ja[std::size_t(i)] * ja[std::size_t(i)];
            ab += ja[std::size_t(i)] * jb[std::size_t(i)];
            bb += jb[std::size_t(i)] * jb[std::size_t(i)];
            ga += ja[std::size_t(i)] * r[std::size_t(i)];
            gb += jb[std::size_t(i)] * r[std::size_t(i)];
        }
        bool improved = false;
        for (int tries = 0; tries < 60 && !improved; ++tries) {
            const double m00 = aa * (1.0 + lambda), m11 = bb * (1.0 + lambda), m01 = ab;
            const double det = m00 * m11 - m01 * m01;
            if (!(det > 0.0) || !std::isfinite(det)) {
                lambda *= 10.0;
                continue;
            }
            const double da = -(m11 * ga - m01 * gb) / det;
            const double db = -(m00 * gb - m01 * ga) / det;
            const double a_try = a + da, b_try = b + db;
            const double sse_try = b_try > 0.0 ? residuals(a_try, b_try, nullptr, nullptr, r_try)
                                               : std::numeric_limits<double>::infinity();
            if (sse_try < sse) {
                const double step = std::abs(da) / (std::abs(a) + 1e-12) + std::abs(db) / (std::abs(b) + 1e-12);
                const double gain = (sse - sse_try) / (sse + 1e-300);
                a = a_try;
                b = b_try;
                sse = residuals(a, b, ja.data(), jb.data(), r);
                lambda = std::max(lambda / 10.0, 1e-15);
                improved = true;
                if (step < 1e-13 || gain < 1e-15) return {a, b};
            } else {
                lambda *= 10.0;
            }
        }
        if (!improved) break;
    }
    return {a, b};
}

int connected_components(const FuzzyGraph& graph, std::vector<std::int32_t>& labels) {
    const std::int64_t n = graph.n;
    labels.assign(std::size_t(n), -1);
    std::vector<std::int32_t> stack;
    int count = 0;
    for (std::int64_t s = 0; s < n; ++s) {
        if (labels[std::size_t(s)] >= 0) continue;
        labels[std::size_t(s)] = count;
        stack.push_back(std::int32_t(s));
        while (!stack.empty()) {
            const std::int32_t i = stack.back();
            stack.pop_back();
            for (std::int64_t e = graph.row_start[std::size_t(i)]; e < graph.row_start[std::size_t(i) + 1]; ++e) {
                const std::int32_t j = graph.columns[std::size_t(e)];
                if (labels[std::size_t(j)] < 0) {
                    labels[std::size_t(j)] = count;
                    stack.push_back(j);
                }
            }
        }
        ++count;
    }
    return count;
}

}  // namespace latentscape::reduce::umap::internal
