// PCA: validation, method choice, the exact and randomized fits, and transform().
// GCC 12 reports its own _mm512_undefined_ps() as maybe-uninitialized when Eigen's AVX-512
// products are inlined here (GCC bug 105593, fixed in 13): a false positive.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include "reduce/pca.h"

#include "common/parallel.h"
#include "common/rng.h"
#include "reduce/pca_kernels.h"
#include "reduce/top_eigen.h"

#include <Eigen/Eigenvalues>
#include <Eigen/QR>
#include <Eigen/SVD>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <string>

namespace latentscape::reduce {
namespace {
using internal::Standardized;

/// Above this many columns the d x d covariance and its eigendecomposition stop being cheap.
constexpr std::int64_t kCovarianceMaxD = 2000;

void validate(const float* X, std::int64_t n, std::int64_t d, const PcaOptions& o) {
    using std::to_string;
    if (n < 2) throw std::invalid_argument("PCA needs at least 2 rows (got " + to_string(n) + ")");
    if (d < 1) throw std::invalid_argument("PCA needs at least 1 column (got " + to_string(d) + ")");
    if (!X) throw std::invalid_argument("PCA input is null");
    const std::int64_t limit = std::min(n, d);
    if (o.components < 1 || o.components > limit)
        throw std::invalid_argument("components (" + to_string(o.components) + ") must be between 1 and min(n, d) = " +
                                    to_string(limit));
    if (o.oversamples < 0)
        throw std::invalid_argument("oversamples (" + to_string(o.oversamples) + ") must be >= 0");
    if (o.power_iterations < 0)
        throw std::invalid_argument("power_iterations (" + to_string(o.power_iterations) + ") must be >= 0");
}

/// Throws for the first non-finite value of X. Called only when the column sums are not finite:
/// the sums see every value, so a clean matrix costs no pass of its own.
void check_finite(const float* X, std::int64_t n, std::int64_t d) {
    const std::int64_t bad = internal::first_non_finite_row(X, n, d);
    if (bad < 0) return;  // finite values whose sums overflowed
    std::int64_t j = 0;
    while (std::isfinite(X[bad * d + j])) ++j;
    throw std::invalid_argument("PCA input is not finite at row " + std::to_string(bad) + ", column " +
                                std::to_string(j) + " (" + std::to_string(X[bad * d + j]) + ")");
}

/// The method that will run: "exact-covariance", "exact-svd" or "randomized".
std::string choose(std::int64_t n, std::int64_t d, const PcaOptions& o) {
    if (o.method == PcaOptions::Method::Randomized) return "randomized";
    if (d <= kCovarianceMaxD) return "exact-covariance";
    if (o.method == PcaOptions::Method::Auto && std::int64_t(o.components + o.oversamples) * 4 <= std::min(n, d))
        return "randomized";
    return "exact-svd";
}

/// Top-k eigenpairs of a symmetric matrix, strongest first.
void top_eigen(const Eigen::MatrixXd& S, int k, Eigen::MatrixXd& vectors, Eigen::VectorXd& values) {
    try {
        internal::top_eigen(S, k, vectors, values);
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(std::string("PCA: ") + e.what());
    }
}

/// Orthonormal basis (d x l) of the columns of Z.
Eigen::MatrixXd orthonormalize(const Eigen::MatrixXd& Z) {
    Eigen::MatrixXd Q;
    internal::single_threaded([&] {
        Eigen::HouseholderQR<Eigen::MatrixXd> qr(Z);
        Q = qr.householderQ() * Eigen::MatrixXd::Identity(Z.rows(), Z.cols());
    });
    return Q;
}

/// Randomized subspace iteration on C = A^T A, one-sided: the d x l basis is re-orthonormalised
/// (Householder QR) after every product with C, which keeps the float n x l intermediate A Q
/// well scaled; a final Rayleigh-Ritz step (eigendecomposition of Q^T C Q) extracts the
/// components. Sum of passes over the data: 2 * (power_iterations + 1).
void randomized(const Standardized& a, const PcaOptions& o, int k, Eigen::MatrixXd& V, Eigen::VectorXd& lambda) {
    const std::int64_t l = std::min<std::int64_t>(std::int64_t(k) + o.oversamples, std::min(a.n, a.d));
    Rng rng(o.seed);
    Eigen::MatrixXd omega(a.d, l);
    for (Eigen::Index c = 0; c < omega.cols(); ++c)
        for (Eigen::Index r = 0; r < omega.rows(); ++r) omega(r, c) = rng.normal();
    Eigen::MatrixXd Q = orthonormalize(omega);
    Eigen::MatrixXf Y;
    for (int it = 0; it < o.power_iterations; ++it) {
        internal::times(a, Q.cast<float>(), Y);
        Q = orthonormalize(internal::transpose_times(a, Y));
    }
    const Eigen::MatrixXf Qf = Q.cast<float>();
    internal::times(a, Qf, Y);
    const Eigen::MatrixXd CQ = internal::transpose_times(a, Y);
    Eigen::MatrixXd H, W;
    internal::single_threaded([&] {
        H = Qf.cast<double>().transpose() * CQ;
        H = 0.5 * (H + H.transpose()).eval();
    });
    top_eigen(H, k, W, lambda);
    internal::single_threaded([&] { V = Qf.cast<double>() * W; });
}

/// Exact SVD of the whole standardized matrix in double (large d with many components).
void exact_svd(const Standardized& a, int k, Eigen::MatrixXd& V, Eigen::VectorXd& lambda) {
    const double bytes = double(a.n) * double(a.d) * 8.0;
    if (bytes > 16e9)
        throw std::invalid_argument("exact PCA of a " + std::to_string(a.n) + " x " + std::to_string(a.d) +
                                    " matrix needs " + std::to_string(int(bytes / 1e9)) +
                                    " GB; use the randomized method");
    Eigen::MatrixXd A(a.n, a.d);
    for (std::int64_t i = 0; i < a.n; ++i) {
        Eigen::VectorXd r(a.d);
        a.row(i, r.data());
        A.row(i) = r.transpose();
    }
    internal::single_threaded([&] {
        Eigen::BDCSVD<Eigen::MatrixXd> svd(A, Eigen::ComputeThinV);
        V = svd.matrixV().leftCols(k);
        lambda = svd.singularValues().head(k).array().square();
    });
}

/// Flips each column of V so that its entry of largest magnitude (first on ties) is positive.
void fix_signs(Eigen::MatrixXd& V) {
    for (Eigen::Index c = 0; c < V.cols(); ++c) {
        Eigen::Index best = 0;
        for (Eigen::Index r = 1; r < V.rows(); ++r)
            if (std::abs(V(r, c)) > std::abs(V(best, c))) best = r;
        if (V(best, c) < 0) V.col(c) = -V.col(c);
    }
}

Standardized standardized(const float* X, std::int64_t n, std::int64_t d, const std::vector<double>& mean,
                          const std::vector<double>& scale) {
    Standardized a;
    a.X = X;
    a.n = n;
    a.d = d;
    a.mean.assign(mean.begin(), mean.end());
    a.inv_scale.resize(std::size_t(d));
    for (std::size_t j = 0; j < std::size_t(d); ++j) a.inv_scale[j] = float(1.0 / scale[j]);
    return a;
}

/// Divides score column j by sqrt(variance j) (columns of zero variance stay zero).
void whiten(float* scores, std::int64_t n, int k, const std::vector<double>& variance) {
    std::vector<float> inv(static_cast<std::size_t>(k));
    for (int j = 0; j < k; ++j) inv[std::size_t(j)] = variance[std::size_t(j)] > 0 ? float(1.0 / std::sqrt(variance[std::size_t(j)])) : 0.f;
    for (std::int64_t i = 0; i < n; ++i)
        for (int j = 0; j < k; ++j) scores[i * k + j] *= inv[std::size_t(j)];
}

Eigen::MatrixXf components_matrix(const PcaResult& fit) {
    Eigen::MatrixXf W(fit.d, fit.k);
    for (int c = 0; c < fit.k; ++c)
        for (std::int64_t j = 0; j < fit.d; ++j) W(j, c) = fit.components[std::size_t(c * fit.d + j)];
    return W;
}

}  // namespace

const char* to_string(PcaOptions::Method method) {
    switch (method) {
    case PcaOptions::Method::Auto: return "auto";
    case PcaOptions::Method::Exact: return "exact";
    case PcaOptions::Method::Randomized: return "randomized";
    }
    return "?";
}

PcaResult pca(const float* X, std::int64_t n, std::int64_t d, const PcaOptions& o) {
    const auto t0 = std::chrono::steady_clock::now();
    validate(X, n, d, o);
    const int k = o.components;
    PcaResult r;
    r.n = n;
    r.d = d;
    r.k = k;
    r.method_used = choose(n, d, o);

    internal::ColumnStats stats = internal::column_stats(X, n, d, o.center);
    for (std::size_t j = 0; j < std::size_t(d); ++j)
        if (!std::isfinite(stats.mean[j]) || !std::isfinite(stats.squares[j])) {
            check_finite(X, n, d);
            break;
        }
    r.mean = stats.mean;
    r.scale.assign(std::size_t(d), 1.0);
    r.total_variance = 0;
    for (std::size_t j = 0; j < std::size_t(d); ++j) {
        const double var = stats.squares[j] / double(n - 1);
        if (o.scale) {
            const double sd = std::sqrt(stats.squares[j] / double(n));  // population std, as StandardScaler
            if (sd > 0) {
                r.scale[j] = sd;
                r.total_variance += var / (sd * sd);
            }
        } else {
            r.total_variance += var;
        }
    }
    const Standardized a = standardized(X, n, d, r.mean, r.scale);

    Eigen::MatrixXd V;
    Eigen::VectorXd lambda;  // eigenvalues of A^T A
    if (r.method_used == "exact-covariance") {
        // Small problems are cheap: keep them in double all the way.
        const bool in_double = double(n) * double(d) * double(d) <= 2e8;
        top_eigen(internal::gram(a, in_double), k, V, lambda);
    } else if (r.method_used == "randomized") {
        randomized(a, o, k, V, lambda);
        r.power_iterations = o.power_iterations;
    } else {
        exact_svd(a, k, V, lambda);
    }
    fix_signs(V);

    r.components.resize(std::size_t(k) * std::size_t(d));
    for (int c = 0; c < k; ++c)
        for (std::int64_t j = 0; j < d; ++j) r.components[std::size_t(c * d + j)] = float(V(j, c));
    r.explained_variance.resize(std::size_t(k));
    r.explained_variance_ratio.resize(std::size_t(k));
    for (int c = 0; c < k; ++c) {
        const double var = std::max(0.0, lambda(c)) / double(n - 1);
        r.explained_variance[std::size_t(c)] = var;
        r.explained_variance_ratio[std::size_t(c)] = r.total_variance > 0 ? var / r.total_variance : 0.0;
    }
    r.scores.resize(std::size_t(n) * std::size_t(k));
    internal::times(a, components_matrix(r), r.scores.data());
    if (o.whiten) {
        whiten(r.scores.data(), n, k, r.explained_variance);
        r.whitened = true;
    }
    r.elapsed_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return r;
}

PcaResult pca(const data::Dataset& dataset, const PcaOptions& options) {
    return pca(dataset.features.data(), dataset.n, dataset.d, options);
}

FloatVector transform(const PcaResult& fit, const float* X, std::int64_t n, std::int64_t d) {
    if (d != fit.d)
        throw std::invalid_argument("PCA transform: the rows have " + std::to_string(d) + " columns, the fit had " +
                                    std::to_string(fit.d));
    if (n < 0) throw std::invalid_argument("PCA transform: negative row count");
    FloatVector out(std::size_t(n) * std::size_t(fit.k));
    if (n == 0) return out;
    const Standardized a = standardized(X, n, d, fit.mean, fit.scale);
    internal::times(a, components_matrix(fit), out.data());
    if (fit.whitened) whiten(out.data(), n, fit.k, fit.explained_variance);
    return out;
}

std::vector<double> pca_reconstruction_error(const PcaResult& fit, const float* X, std::int64_t n, std::int64_t d,
                                             int components) {
    using std::to_string;
    if (d != fit.d)
        throw std::invalid_argument("PCA reconstruction error: the rows have " + to_string(d) +
                                    " columns, the fit had " + to_string(fit.d));
    if (n < 0) throw std::invalid_argument("PCA reconstruction error: negative row count");
    const int m = components == 0 ? fit.k : components;
    if (m < 1 || m > fit.k)
        throw std::invalid_argument("PCA reconstruction error: components (" + to_string(components) +
                                    ") must be between 1 and the " + to_string(fit.k) +
                                    " components fitted (or 0 for all)");
    std::vector<double> errors(static_cast<std::size_t>(n));
    if (n == 0) return errors;
    if (!X) throw std::invalid_argument("PCA reconstruction error: the rows are null");
    const std::int64_t bad = internal::first_non_finite_row(X, n, d);
    if (bad >= 0) {
        std::int64_t j = 0;
        while (std::isfinite(X[bad * d + j])) ++j;
        throw std::invalid_argument("PCA reconstruction error: input is not finite at row " + to_string(bad) +
                                    ", column " + to_string(j));
    }
    // Components in double, once: each row then costs 2 m d multiply-adds.
    const std::vector<double> V(fit.components.begin(), fit.components.begin() + std::ptrdiff_t(m) * d);
    std::vector<double> inv_scale(static_cast<std::size_t>(d));
    for (std::size_t j = 0; j < std::size_t(d); ++j) inv_scale[j] = 1.0 / fit.scale[j];
    parallel::for_each(n, [&](std::int64_t i) {
        // The residual is formed explicitly (not ||z||^2 - ||V^T z||^2, which cancels for rows
        // close to the subspace).
        std::vector<double> z(static_cast<std::size_t>(d));
        const float* x = X + i * d;
        for (std::size_t j = 0; j < std::size_t(d); ++j) z[j] = (double(x[j]) - fit.mean[j]) * inv_scale[j];
        std::vector<double> r = z;
        for (int c = 0; c < m; ++c) {
            const double* v = V.data() + std::size_t(c) * std::size_t(d);
            double score = 0.0;
            for (std::size_t j = 0; j < std::size_t(d); ++j) score += v[j] * z[j];
            for (std::size_t j = 0; j < std::size_t(d); ++j) r[j] -= score * v[j];
        }
        double sum = 0.0;
        for (double e : r) sum += e * e;
        errors[std::size_t(i)] = sum;
    }, n * d >= (1 << 16));
    return errors;
}

std::optional<PcaResult> preprocessing_pca(const float* X, std::int64_t n, std::int64_t d, std::optional<int> pca_dims,
                                           std::uint64_t seed) {
    const int want = pca_dims.value_or(d > 50 ? 50 : 0);
    if (want <= 0 || want >= d) return std::nullopt;
    PcaOptions po;
    po.components = int(std::min<std::int64_t>(want, n));
    po.seed = seed;
    return pca(X, n, d, po);
}

}  // namespace latentscape::reduce
