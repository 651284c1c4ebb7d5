// GCC 12 reports its own _mm512_undefined_pd() as maybe-uninitialized when Eigen's AVX-512
// products are inlined here (GCC bug 105593, fixed in 13): a false positive, as in pca.cpp.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include "reduce/sparse_pca.h"

#include "common/parallel.h"
#include "common/rng.h"

#include <Eigen/Dense>

#include <chrono>
#include <cmath>
#include <stdexcept>
#include <string>

namespace latentscape::reduce {
namespace {

using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// X and its transpose in CSR form (the transpose makes A^T M a gather per column too, so both
// products parallelise over output rows with a fixed summation order).
struct Operator {
    const data::CsrMatrix& X;
    std::vector<std::int64_t> t_ptr;  // d + 1
    std::vector<std::int64_t> t_row;  // nnz: row of each entry, by column
    std::vector<float> t_val;
    Eigen::VectorXd mean;       // zeros without centring
    Eigen::VectorXd inv_scale;  // ones without scaling

    explicit Operator(const data::CsrMatrix& x) : X(x) {
        const std::size_t nnz = x.values.size();
        t_ptr.assign(std::size_t(x.d) + 1, 0);
        for (const std::int32_t c : x.indices) ++t_ptr[std::size_t(c) + 1];
        for (std::int64_t j = 0; j < x.d; ++j) t_ptr[std::size_t(j + 1)] += t_ptr[std::size_t(j)];
        t_row.resize(nnz);
        t_val.resize(nnz);
        std::vector<std::int64_t> next(t_ptr.begin(), t_ptr.end() - 1);
        for (std::int64_t i = 0; i < x.n; ++i)
            for (std::int64_t k = x.indptr[std::size_t(i)]; k < x.indptr[std::size_t(i + 1)]; ++k) {
                const std::size_t at = std::size_t(next[std::size_t(x.indices[std::size_t(k)])]++);
                t_row[at] = i;
                t_val[at] = x.values[std::size_t(k)];
            }
    }

    // A M = X (S^-1 M) - 1 (mean^T S^-1 M), M: d x m.
    Matrix times(const Matrix& M) const {
        const Matrix Ms = inv_scale.asDiagonal() * M;
        const Eigen::RowVectorXd shift = mean.transpose() * Ms;
        Matrix Y(X.n, M.cols());
        parallel::for_each(X.n, [&](std::int64_t i) {
            Eigen::RowVectorXd acc = -shift;
            for (std::int64_t k = X.indptr[std::size_t(i)]; k < X.indptr[std::size_t(i + 1)]; ++k)
                acc += double(X.values[std::size_t(k)]) * Ms.row(X.indices[std::size_t(k)]);
            Y.row(i) = acc;
        });
        return Y;
    }

    // A^T M = S^-1 (X^T M - mean (1^T M)), M: n x m.
    Matrix transposed_times(const Matrix& M) const {
        const Eigen::RowVectorXd colsum = M.colwise().sum();
        Matrix Z(X.d, M.cols());
        parallel::for_each(X.d, [&](std::int64_t j) {
            Eigen::RowVectorXd acc = -mean(j) * colsum;
            for (std::int64_t k = t_ptr[std::size_t(j)]; k < t_ptr[std::size_t(j + 1)]; ++k)
                acc += double(t_val[std::size_t(k)]) * M.row(t_row[std::size_t(k)]);
            Z.row(j) = inv_scale(j) * acc;
        });
        return Z;
    }
};

Matrix orthonormal_basis(const Matrix& Y) {
    const Eigen::MatrixXd Yc = Y;
    Eigen::HouseholderQR<Eigen::MatrixXd> qr(Yc);
    return Matrix(qr.householderQ() * Eigen::MatrixXd::Identity(Y.rows(), Y.cols()));
}

}  // namespace

PcaResult pca_sparse(const data::CsrMatrix& X, const PcaOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    const std::int64_t n = X.n, d = X.d;
    if (n < 2) throw std::invalid_argument("PCA needs at least 2 rows, got " + std::to_string(n));
    if (d < 1) throw std::invalid_argument("PCA needs at least 1 column");
    const std::int64_t max_k = std::min(n, d);
    if (options.components < 1 || options.components > max_k)
        throw std::invalid_argument("components (" + std::to_string(options.components) + ") must be in [1, " +
                                    std::to_string(max_k) + "] = [1, min(rows, columns)]");
    if (options.oversamples < 0) throw std::invalid_argument("oversamples must be >= 0");
    if (options.power_iterations < 0) throw std::invalid_argument("power_iterations must be >= 0");
    X.check_consistent();
    for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t k = X.indptr[std::size_t(i)]; k < X.indptr[std::size_t(i + 1)]; ++k)
            if (!std::isfinite(X.values[std::size_t(k)]))
                throw std::invalid_argument("X holds a non-finite value at row " + std::to_string(i) + ", column " +
                                            std::to_string(X.indices[std::size_t(k)]));
    const int k = options.components;

    Operator A(X);
    // Column sums and sums of squares over the stored entries, per column in row order.
    Eigen::VectorXd sum = Eigen::VectorXd::Zero(d), sq = Eigen::VectorXd::Zero(d);
    for (std::int64_t j = 0; j < d; ++j)
        for (std::int64_t e = A.t_ptr[std::size_t(j)]; e < A.t_ptr[std::size_t(j + 1)]; ++e) {
            const double v = A.t_val[std::size_t(e)];
            sum(j) += v;
            sq(j) += v * v;
        }
    A.mean = options.center ? Eigen::VectorXd(sum / double(n)) : Eigen::VectorXd::Zero(d);
    A.inv_scale = Eigen::VectorXd::Ones(d);
    Eigen::VectorXd scale = Eigen::VectorXd::Ones(d);
    double total = 0;
    for (std::int64_t j = 0; j < d; ++j) {
        // Mean square about the subtracted mean (population), then ddof = 1 for the variance.
        const double m = A.mean(j);
        const double ss = std::max(0.0, sq(j) - 2 * m * sum(j) + double(n) * m * m);
        if (options.scale) {
            const double sd = std::sqrt(ss / double(n));
            if (sd > 0) scale(j) = sd;
            A.inv_scale(j) = 1.0 / scale(j);
        }
        total += ss / (scale(j) * scale(j)) / double(n - 1);
    }

    // Randomized range finder on A^T: a d x l basis of A's leading right singular vectors.
    const std::int64_t l = std::min<std::int64_t>(max_k, std::int64_t(k) + options.oversamples);
    Rng rng(options.seed);
    Matrix omega(n, l);
    for (std::int64_t r = 0; r < n; ++r)
        for (std::int64_t c = 0; c < l; ++c) omega(r, c) = rng.normal();
    Matrix V = orthonormal_basis(A.transposed_times(omega));
    for (int it = 0; it < options.power_iterations; ++it) {
        const Matrix U = orthonormal_basis(A.times(V));
        V = orthonormal_basis(A.transposed_times(U));
    }
    // A V = U_b S W^T; A's right singular vectors are V W.
    const Matrix AV = A.times(V);
    Eigen::JacobiSVD<Eigen::MatrixXd> svd(Eigen::MatrixXd(AV), Eigen::ComputeThinV);
    Eigen::MatrixXd W = (Eigen::MatrixXd(V) * svd.matrixV()).leftCols(k);
    for (Eigen::Index c = 0; c < W.cols(); ++c) {
        Eigen::Index best = 0;
        for (Eigen::Index r = 1; r < W.rows(); ++r)
            if (std::abs(W(r, c)) > std::abs(W(best, c))) best = r;
        if (W(best, c) < 0) W.col(c) = -W.col(c);
    }
    const Matrix scores = A.times(Matrix(W));

    PcaResult r;
    r.n = n;
    r.d = d;
    r.k = k;
    r.method_used = "randomized-sparse";
    r.power_iterations = options.power_iterations;
    r.total_variance = total;
    r.mean.assign(A.mean.data(), A.mean.data() + d);
    r.scale.assign(scale.data(), scale.data() + d);
    r.whitened = options.whiten;
    r.components.resize(std::size_t(k * d));
    for (int c = 0; c < k; ++c)
        for (std::int64_t j = 0; j < d; ++j) r.components[std::size_t(c * d + j)] = float(W(j, c));
    r.explained_variance.resize(std::size_t(k));
    r.explained_variance_ratio.resize(std::size_t(k));
    for (int c = 0; c < k; ++c) {
        const double var = scores.col(c).squaredNorm() / double(n - 1);
        r.explained_variance[std::size_t(c)] = var;
        r.explained_variance_ratio[std::size_t(c)] = total > 0 ? var / total : 0.0;
    }
    r.scores.resize(std::size_t(n * k));
    for (std::int64_t i = 0; i < n; ++i)
        for (int c = 0; c < k; ++c) {
            double v = scores(i, c);
            if (options.whiten) {
                const double sd = std::sqrt(r.explained_variance[std::size_t(c)]);
                v = sd > 0 ? v / sd : 0.0;
            }
            r.scores[std::size_t(i * k + c)] = float(v);
        }
    r.elapsed_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return r;
}

}  // namespace latentscape::reduce
