// UMAP's spectral initialisation: the eigenvectors of the normalised graph Laplacian just above
// the trivial one, by thick-restart Lanczos (Wu & Simon 2000) with full reorthogonalisation.
//
// The smallest eigenvalues of L = I - D^-1/2 W D^-1/2 are the largest of
// A = (I + D^-1/2 W D^-1/2) / 2, whose spectrum lies in [0, 1] (the shift keeps the eigenvalues
// near -1 of a nearly bipartite graph out of the way). The trivial eigenvector D^1/2 1 (eigenvalue
// 1 of A) is known and projected out of every Krylov vector, so the wanted ones are the largest
// that remain. Every inner product is summed in fixed blocks, added in block order, so the
// result does not depend on the thread count.
// GCC 12 reports its own _mm512_undefined_pd() as maybe-uninitialized when Eigen's AVX-512
// packets are inlined into the small eigensolver (a false positive, as in pca.cpp).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include "reduce/umap_internal.h"

#include "common/parallel.h"
#include "common/rng.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <vector>

namespace latentscape::reduce::umap::internal {
namespace {

constexpr std::int64_t block = 2048; // rows per partial sum

// out[c] = sum_i V[c][i] w[i] for c in [0, cols), V column-major n x cols; fixed-order sums.
void project(const std::vector<double>& V, std::int64_t n, int cols, const double* w, double* out,
             std::vector<double>& partial) {
    const std::int64_t blocks = (n + block - 1) / block;
    partial.assign(std::size_t(blocks * cols), 0.0);
    parallel::for_each(blocks, [&](std::int64_t b) {
        const std::int64_t i0 = b * block, i1 = std::min(n, i0 + block);
        for (int c = 0; c < cols; ++c) {
            const double* v = V.data() + std::int64_t(c) * n;
            double s = 0.0;
            for (std::int64_t i = i0; i < i1; ++i) s += v[i] * w[i];
            partial[std::size_t(b * cols + c)] = s;
        }
    }, blocks > 1);
    for (int c = 0; c < cols; ++c) {
        double s = 0.0;
        for (std::int64_t b = 0; b < blocks; ++b) s += partial[std::size_t(b * cols + c)];
        out[c] = s;
    }
}

// w -= V h (first `cols` columns).
void subtract(const std::vector<double>& V, std::int64_t n, int cols, const double* h, double* w) {
    parallel::for_each((n + block - 1) / block, [&](std::int64_t b) {
        const std::int64_t i0 = b * block, i1 = std::min(n, i0 + block);
        for (int c = 0; c < cols; ++c) {
            const double* v = V.data() + std::int64_t(c) * n;
            const double hc = h[c];
            for (std::int64_t i = i0; i < i1; ++i) w[i] -= hc * v[i];
        }
    }, n > block);
}

double dot(const double* x, const double* y, std::int64_t n, std::vector<double>& partial) {
    const std::int64_t blocks = (n + block - 1) / block;
    partial.assign(std::size_t(blocks), 0.0);
    parallel::for_each(blocks, [&](std::int64_t b) {
        const std::int64_t i0 = b * block, i1 = std::min(n, i0 + block);
        double s = 0.0;
        for (std::int64_t i = i0; i < i1; ++i) s += x[i] * y[i];
        partial[std::size_t(b)] = s;
    }, blocks > 1);
    double s = 0.0;
    for (double p : partial) s += p;
    return s;
}

}  // namespace

bool spectral_layout(const FuzzyGraph& graph, int dims, std::uint64_t seed, std::vector<double>& out,
                     const std::function<bool()>& canceled, double tolerance, int max_restarts) {
    const std::int64_t n = graph.n;
    if (n < dims + 2) return false;
    // Degrees (the graph is symmetric: row sums = column sums) and D^-1/2.
    std::vector<double> dinv(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
        double s = 0.0;
        for (std::int64_t e = graph.row_start[std::size_t(i)]; e < graph.row_start[std::size_t(i + 1)]; ++e)
            s += graph.values[std::size_t(e)];
        if (!(s > 0.0)) return false; // an isolated point: the graph is not connected
        dinv[std::size_t(i)] = 1.0 / std::sqrt(s);
    }
    // The trivial eigenvector u0 = D^1/2 1 / |D^1/2 1|.
    std::vector<double> u0(static_cast<std::size_t>(n));
    std::vector<double> partial;
    for (std::int64_t i = 0; i < n; ++i) u0[std::size_t(i)] = 1.0 / dinv[std::size_t(i)];
    const double u0_norm = std::sqrt(dot(u0.data(), u0.data(), n, partial));
    for (double& v : u0) v /= u0_norm;

    auto deflate = [&](double* w) {
        const double c = dot(u0.data(), w, n, partial);
        for (std::int64_t i = 0; i < n; ++i) w[i] -= c * u0[std::size_t(i)];
    };

    // Basis size: umap-learn gives ARPACK max(2 (dims + 1) + 1, sqrt(n)) vectors; with thick restarts
    // a short basis needs about as many steps in all (~130 at 70,000 points) and each step
    // reorthogonalises against fewer vectors: 24 takes a third of the time 96 does.
    const int m = int(std::min<std::int64_t>(
        n - 1, std::max<std::int64_t>(2 * (dims + 1) + 1, std::min<std::int64_t>(std::int64_t(std::sqrt(double(n))), 24))));
    if (m <= dims) return false;
    const int keep = std::max(dims + 2, m / 2);
    std::vector<double> V(std::size_t(n) * std::size_t(m + 1));
    Eigen::MatrixXd T = Eigen::MatrixXd::Zero(m, m);
    std::vector<double> h(std::size_t(m + 2)), h2(std::size_t(m + 2));

    // Seeded Gaussian start, orthogonal to u0.
    {
        Rng rng = Rng::stream(seed, 0x5BEC7A1ull);
        for (std::int64_t i = 0; i < n; ++i) V[std::size_t(i)] = rng.normal();
        deflate(V.data());
        const double norm = std::sqrt(dot(V.data(), V.data(), n, partial));
        for (std::int64_t i = 0; i < n; ++i) V[std::size_t(i)] /= norm;
    }

    // One Lanczos step is three parallel passes over the rows, each ending in a reduction (so
    // three barriers, which matter on a loaded machine): (1) write V_j = x / scale, y = A V_j and
    // y's inner products with u0 and V_0..V_j; (2) subtract that projection and project again;
    // (3) subtract the second projection and take |y|. The next basis vector is left unscaled in
    // x (A is linear: A (x / beta) = (A x) / beta), so normalising it costs no pass of its own.
    const std::int64_t blocks = (n + block - 1) / block;
    std::vector<double> x(static_cast<std::size_t>(n)), y(static_cast<std::size_t>(n));
    std::vector<double> parts(std::size_t(blocks) * std::size_t(m + 2));
    auto reduce = [&](int count, double* out) {
        for (int c = 0; c < count; ++c) {
            double sum = 0.0;
            for (std::int64_t b = 0; b < blocks; ++b) sum += parts[std::size_t(b * (m + 2) + c)];
            out[c] = sum;
        }
    };
    // Inner products of y's rows [i0, i1) with u0 and V_0..V_{cols-1} into block b's parts.
    auto block_dots = [&](std::int64_t b, std::int64_t i0, std::int64_t i1, int cols) {
        double* out = parts.data() + b * (m + 2);
        double su = 0.0;
        for (std::int64_t i = i0; i < i1; ++i) su += u0[std::size_t(i)] * y[std::size_t(i)];
        out[0] = su;
        for (int c = 0; c < cols; ++c) {
            const double* v = V.data() + std::int64_t(c) * n;
            double sv = 0.0;
            for (std::int64_t i = i0; i < i1; ++i) sv += v[i] * y[std::size_t(i)];
            out[1 + c] = sv;
        }
    };
    // y -= coeff[0] u0 + sum_c coeff[1 + c] V_c on rows [i0, i1).
    auto block_subtract = [&](std::int64_t i0, std::int64_t i1, int cols, const double* coeff) {
        for (std::int64_t i = i0; i < i1; ++i) y[std::size_t(i)] -= coeff[0] * u0[std::size_t(i)];
        for (int c = 0; c < cols; ++c) {
            const double* v = V.data() + std::int64_t(c) * n;
            const double k = coeff[1 + c];
            for (std::int64_t i = i0; i < i1; ++i) y[std::size_t(i)] -= k * v[i];
        }
    };
    // A pass takes ~2 ms at 70,000 points: in parallel, a barrier that waits for a thread the OS
    // has descheduled costs as much, and on a loaded 2-core machine two threads took 3.3 s where
    // one takes 0.8 s. So the passes run in parallel only where each is long enough to pay.
    const bool threaded = n >= 200000;

    int start = 0;
    for (int restart = 0; restart <= max_restarts; ++restart) {
        double beta = 0.0;
        std::copy(V.begin() + std::int64_t(start) * n, V.begin() + std::int64_t(start + 1) * n, x.begin());
        double scale = 1.0;
        for (int j = start; j < m; ++j) {
            if (canceled && canceled()) throw Canceled();
            const int cols = j + 1;
            const double inv = 1.0 / scale;
            double* vj = V.data() + std::int64_t(j) * n;
            parallel::for_each(blocks, [&](std::int64_t b) {
                const std::int64_t i0 = b * block, i1 = std::min(n, i0 + block);
                for (std::int64_t i = i0; i < i1; ++i) {
                    vj[i] = x[std::size_t(i)] * inv;
                    double s = 0.0;
                    for (std::int64_t e = graph.row_start[std::size_t(i)]; e < graph.row_start[std::size_t(i + 1)]; ++e) {
                        const std::int32_t c = graph.columns[std::size_t(e)];
                        s += double(graph.values[std::size_t(e)]) * dinv[std::size_t(c)] * x[std::size_t(c)];
                    }
                    y[std::size_t(i)] = 0.5 * (x[std::size_t(i)] + dinv[std::size_t(i)] * s) * inv;
                }
                block_dots(b, i0, i1, cols);
            }, threaded);
            reduce(cols + 1, h.data());
            // Classical Gram-Schmidt twice against u0 and the whole basis: T = V^T A V stays exact.
            parallel::for_each(blocks, [&](std::int64_t b) {
                const std::int64_t i0 = b * block, i1 = std::min(n, i0 + block);
                block_subtract(i0, i1, cols, h.data());
                block_dots(b, i0, i1, cols);
            }, threaded);
            reduce(cols + 1, h2.data());
            parallel::for_each(blocks, [&](std::int64_t b) {
                const std::int64_t i0 = b * block, i1 = std::min(n, i0 + block);
                block_subtract(i0, i1, cols, h2.data());
                double sq = 0.0;
                for (std::int64_t i = i0; i < i1; ++i) sq += y[std::size_t(i)] * y[std::size_t(i)];
                parts[std::size_t(b * (m + 2))] = sq;
            }, threaded);
            reduce(1, &beta);
            beta = std::sqrt(beta);
            for (int i = 0; i <= j; ++i) {
                T(i, j) = h[std::size_t(1 + i)] + h2[std::size_t(1 + i)];
                T(j, i) = T(i, j);
            }
            if (beta > 1e-300) {
                x.swap(y);
                scale = beta;
            } else {
                // An invariant subspace: continue from a fresh direction (its coupling is 0).
                Rng rng = Rng::stream(seed, 0x5BEC7A2ull + std::uint64_t(restart * m + j));
                for (std::int64_t i = 0; i < n; ++i) x[std::size_t(i)] = rng.normal();
                deflate(x.data());
                project(V, n, j + 1, x.data(), h.data(), partial);
                subtract(V, n, j + 1, h.data(), x.data());
                scale = std::sqrt(dot(x.data(), x.data(), n, partial));
                beta = 0.0;
            }
            if (j + 1 < m) {
                T(j + 1, j) = beta;
                T(j, j + 1) = beta;
            }
        }
        // The residual direction V_m, for the restart.
        for (std::int64_t i = 0; i < n; ++i) V[std::size_t(std::int64_t(m) * n + i)] = x[std::size_t(i)] / scale;
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(T);
        if (eig.info() != Eigen::Success) return false;
        // Eigen sorts ascending: the wanted pairs are the last `dims`.
        const Eigen::VectorXd& theta = eig.eigenvalues();
        const Eigen::MatrixXd& S = eig.eigenvectors();
        bool converged = true;
        for (int c = 0; c < dims; ++c)
            if (std::abs(beta * S(m - 1, m - 1 - c)) > tolerance) converged = false;
        const int kept = converged ? dims : keep;
        // Ritz vectors: the top `kept` combinations of the basis, then the residual direction.
        std::vector<double> ritz(std::size_t(n) * std::size_t(kept));
        parallel::for_each((n + block - 1) / block, [&](std::int64_t b) {
            const std::int64_t i0 = b * block, i1 = std::min(n, i0 + block);
            for (int c = 0; c < kept; ++c) {
                double* r = ritz.data() + std::int64_t(c) * n;
                for (std::int64_t i = i0; i < i1; ++i) r[i] = 0.0;
                for (int q = 0; q < m; ++q) {
                    const double s = S(q, m - 1 - c);
                    const double* v = V.data() + std::int64_t(q) * n;
                    for (std::int64_t i = i0; i < i1; ++i) r[i] += s * v[i];
                }
            }
        });
        if (converged) {
            out.assign(std::size_t(n * dims), 0.0);
            for (int c = 0; c < dims; ++c) {
                const double* r = ritz.data() + std::int64_t(c) * n;
                // Sign: the entry of largest magnitude positive (first one on ties).
                std::int64_t arg = 0;
                for (std::int64_t i = 1; i < n; ++i)
                    if (std::abs(r[i]) > std::abs(r[arg])) arg = i;
                const double sign = r[arg] < 0.0 ? -1.0 : 1.0;
                for (std::int64_t i = 0; i < n; ++i) out[std::size_t(i * dims + c)] = sign * r[i];
            }
            return true;
        }
        if (restart == max_restarts) break;
        // Thick restart: the kept Ritz vectors, then the last residual direction; T becomes
        // diag(theta) (its coupling column is recomputed by the next step's projection).
        std::copy(V.begin() + std::int64_t(m) * n, V.begin() + std::int64_t(m + 1) * n, V.begin() + std::int64_t(kept) * n);
        std::copy(ritz.begin(), ritz.end(), V.begin());
        T.setZero();
        for (int c = 0; c < kept; ++c) T(c, c) = theta(m - 1 - c);
        start = kept;
    }
    return false;
}

}  // namespace latentscape::reduce::umap::internal
