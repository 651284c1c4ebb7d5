#pragma once
/// @file Internal to PCA: the passes over the data. Every product with the (centred, scaled)
/// matrix streams it in fixed blocks of rows, so the data is never copied whole, and every sum
/// has an order that depends only on the shapes, never on the thread count: reductions over
/// rows run block after block, and the parallel work inside a block is split over output tiles
/// whose sizes depend on d alone. Eigen's products called inside those parallel loops run on the
/// calling thread (Eigen does not nest its own parallelism), so their blocking is fixed too.

#include <Eigen/Dense>

#include <cstdint>
#include <vector>

namespace latentscape::reduce::internal {

using RowMatrixF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// The input seen through its column means and scales: row i is (X[i] - mean) / scale.
struct Standardized {
    const float* X = nullptr;
    std::int64_t n = 0;
    std::int64_t d = 0;
    std::vector<float> mean;       ///< d values (zeros when not centring)
    std::vector<float> inv_scale;  ///< d values (ones when not scaling)

    /// Writes standardized row i to out[0, d).
    template <class T>
    void row(std::int64_t i, T* out) const {
        const float* x = X + i * d;
        for (std::int64_t j = 0; j < d; ++j) out[j] = T((x[j] - mean[std::size_t(j)]) * inv_scale[std::size_t(j)]);
    }
};

/// Column statistics in double: means, and sums of squared deviations from `mean` (or from
/// zero when not centring).
struct ColumnStats {
    std::vector<double> mean;
    std::vector<double> squares;
};

/// Row index of the first row holding a non-finite value, or -1 (the lowest such row whatever
/// the thread count).
std::int64_t first_non_finite_row(const float* X, std::int64_t n, std::int64_t d);

/// Column means (zeros when !center) and sums of squared deviations, in fixed row blocks.
ColumnStats column_stats(const float* X, std::int64_t n, std::int64_t d, bool center);

/// A^T A of the standardized matrix A (d x d, double). Blocks of rows are multiplied in double
/// when `in_double`, else in float and accumulated in double (each block sums a few thousand
/// products, so float loses nothing that matters and runs twice as fast).
Eigen::MatrixXd gram(const Standardized& a, bool in_double);

/// A^T Y (d x m, double) for the n x m matrix Y.
Eigen::MatrixXd transpose_times(const Standardized& a, const Eigen::MatrixXf& Y);

/// A W (n x m) for the d x m matrix W, into `out` (column-major n x m).
void times(const Standardized& a, const Eigen::MatrixXf& W, Eigen::MatrixXf& out);

/// A W (n x m) into a row-major n x m buffer (scores).
void times(const Standardized& a, const Eigen::MatrixXf& W, float* out);

/// Runs f() with Eigen restricted to the calling thread, whatever omp_set_num_threads says: Eigen
/// splits its own products by thread count, which would change their rounding. Rethrows what f
/// throws.
template <class F>
void single_threaded(F&& f);

}  // namespace latentscape::reduce::internal

#include <omp.h>

#include <exception>

template <class F>
void latentscape::reduce::internal::single_threaded(F&& f) {
    std::exception_ptr error;
    // A one-thread team whose nthreads ICV is 1: Eigen asks omp_get_max_threads() and sees 1.
#pragma omp parallel num_threads(1)
    {
        omp_set_num_threads(1);
        try {
            f();
        } catch (...) {
            error = std::current_exception();
        }
    }
    if (error) std::rethrow_exception(error);
}
