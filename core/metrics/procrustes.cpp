#include "metrics/procrustes.h"

#include "metrics/estimate.h"

#include <Eigen/Core>
#include <Eigen/LU>
#include <Eigen/SVD>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

namespace latentscape::metrics {
namespace {

/// Room for 3-D; a 2-D alignment uses the top-left corner.
using SmallVector = Eigen::Vector3d;

void check_dims(const char* name, int dims) {
    if (dims != 2 && dims != 3)
        throw std::invalid_argument(std::string("Procrustes alignment: the ") + name +
                                    " embedding must have 2 or 3 dimensions (got " + std::to_string(dims) + ")");
}

/// An n x dims embedding as n x D doubles (zero-padded), centred on its mean.
struct Centred {
    std::vector<double> rows; ///< n x D row-major, x_i - mean
    SmallVector mean;
    double spread = 0.0;    ///< sum_i ||x_i - mean||^2
    double magnitude = 0.0; ///< sum_i ||x_i||^2

    Centred(const float* X, std::int64_t n, int dims, int D) : rows(std::size_t(n) * std::size_t(D), 0.0) {
        mean = SmallVector::Zero();
        for (std::int64_t i = 0; i < n; ++i)
            for (int j = 0; j < dims; ++j) {
                const double v = X[i * dims + j];
                rows[std::size_t(i * D + j)] = v;
                mean(j) += v;
                magnitude += v * v;
            }
        mean /= double(n);
        for (std::int64_t i = 0; i < n; ++i)
            for (int j = 0; j < D; ++j) {
                double& v = rows[std::size_t(i * D + j)];
                v -= mean(j);
                spread += v * v;
            }
    }
};

/// A set whose points all coincide has no layout to align: its spread is zero, or rounding
/// noise next to the coordinates' size (the mean of equal floats need not be exactly that float).
void check_spread(const char* name, const Centred& c) {
    if (c.spread <= 1e-20 * c.magnitude)
        throw std::invalid_argument(std::string("Procrustes alignment: all points of the ") + name +
                                    " embedding coincide; there is no layout to align");
}

/// Writes to the top-left D x D corner of R the orthogonal R maximising tr(R M) for the
/// cross-covariance M = sum_i b_i a_i^T (top-left corner of `M3`): with M = U S V^T, R = V U^T,
/// or V diag(1, .., -1) U^T when a rotation is required (or fits as well) and V U^T is a
/// reflection. Returns
/// tr(R M) = sum of the singular values (the last one negated in that case). Fixed-size Eigen
/// types: a 2 x 2 or 3 x 3 SVD needs no heap and none of the large-matrix kernels.
template <int D>
double optimal_rotation(const Eigen::Matrix3d& M3, bool allow_reflection, Eigen::Matrix3d& R) {
    using Mat = Eigen::Matrix<double, D, D>;
    const Mat M = M3.topLeftCorner<D, D>();
    const Eigen::JacobiSVD<Mat> svd(M, Eigen::ComputeFullU | Eigen::ComputeFullV);
    Eigen::Matrix<double, D, 1> signs = Eigen::Matrix<double, D, 1>::Ones();
    // A reflection only when it is required to fit better: with a (numerically) zero smallest
    // singular value (a flat set, or a 2-D set against a 3-D one) the rotation fits exactly as
    // well, and the SVD's arbitrary sign for that axis would otherwise decide.
    const Eigen::Matrix<double, D, 1> values = svd.singularValues();  // descending
    const bool flat = values.minCoeff() <= 1e-12 * values.maxCoeff();
    if ((!allow_reflection || flat) && (svd.matrixV() * svd.matrixU().transpose()).determinant() < 0) signs(D - 1) = -1;
    R.topLeftCorner<D, D>() = svd.matrixV() * signs.asDiagonal() * svd.matrixU().transpose();
    double trace = 0.0;
    for (int i = 0; i < D; ++i) trace += signs(i) * svd.singularValues()(i);
    return trace;
}

}  // namespace

ProcrustesResult procrustes_align(const float* reference, int reference_dims, const float* moving, int moving_dims,
                                  std::int64_t n, const ProcrustesOptions& options) {
    check_dims("reference", reference_dims);
    check_dims("moving", moving_dims);
    const int D = std::max(reference_dims, moving_dims);
    if (n < D + 1)
        throw std::invalid_argument("Procrustes alignment in " + std::to_string(D) + "-D needs at least " +
                                    std::to_string(D + 1) + " points (got " + std::to_string(n) + ")");
    detail::check_matrix("the reference embedding", reference, n, reference_dims);
    detail::check_matrix("the moving embedding", moving, n, moving_dims);
    const Centred A(reference, n, reference_dims, D);
    const Centred B(moving, n, moving_dims, D);
    check_spread("reference", A);
    check_spread("moving", B);

    // max over orthogonal R of sum_i a_i . (R b_i) = tr(R M), M = sum_i b_i a_i^T.
    Eigen::Matrix3d M = Eigen::Matrix3d::Zero();
    for (std::int64_t i = 0; i < n; ++i) {
        const double* a = A.rows.data() + i * D;
        const double* b = B.rows.data() + i * D;
        for (int r = 0; r < D; ++r)
            for (int c = 0; c < D; ++c) M(r, c) += b[r] * a[c];
    }
    Eigen::Matrix3d R = Eigen::Matrix3d::Zero();
    const double trace = D == 2 ? optimal_rotation<2>(M, options.allow_reflection, R)
                                : optimal_rotation<3>(M, options.allow_reflection, R);
    const double s = options.allow_scaling ? trace / B.spread : 1.0;

    ProcrustesResult r;
    r.n = n;
    r.dims = D;
    r.scale = s;
    r.reflection = (D == 2 ? R.topLeftCorner<2, 2>().determinant() : R.determinant()) < 0;
    r.rotation.resize(std::size_t(D * D));
    for (int i = 0; i < D; ++i)
        for (int j = 0; j < D; ++j) r.rotation[std::size_t(i * D + j)] = R(i, j);
    const SmallVector t = A.mean - s * (R * B.mean);
    r.translation.assign(t.data(), t.data() + D);
    // Mapped about the means (s R (b - mean_b) + mean_a) rather than through t: no cancellation
    // when the embeddings sit far from the origin.
    const Eigen::Matrix3d sR = s * R;
    r.aligned.resize(std::size_t(n) * std::size_t(D));
    double residual = 0.0;
    for (std::int64_t i = 0; i < n; ++i) {
        const double* a = A.rows.data() + i * D;
        const double* b = B.rows.data() + i * D;
        for (int j = 0; j < D; ++j) {
            double mapped = 0.0;
            for (int l = 0; l < D; ++l) mapped += sR(j, l) * b[l];
            const double e = a[j] - mapped;
            residual += e * e;
            r.aligned[std::size_t(i * D + j)] = float(mapped + A.mean(j));
        }
    }
    r.residual = residual;
    r.disparity = residual / A.spread;
    return r;
}

ProcrustesResult procrustes_align(const float* reference, const float* moving, std::int64_t n, int dims,
                                  bool allow_scaling) {
    ProcrustesOptions options;
    options.allow_scaling = allow_scaling;
    return procrustes_align(reference, dims, moving, dims, n, options);
}

}  // namespace latentscape::metrics
