// A trained autoencoder applied to data: encode, decode, reconstruction error.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"  // GCC bug 105593, see autoencoder_net.cpp
#endif

#include "reduce/autoencoder_internal.h"

#include "common/parallel.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace latentscape::reduce::autoencoder {
namespace {

using internal::Mat;

using internal::check_finite;
using internal::for_batches;
using internal::padded;
constexpr std::int64_t kBatch = internal::kApplyBatch;

/// A model with log1p_input cannot take a value <= -1 (log1p is not defined there).
void check_log1p_domain(const Model& m, const float* X, std::int64_t n, const char* what) {
    if (!m.log1p_input) return;
    const std::int64_t d = m.input_dims;
    const std::int64_t bad = parallel::first_index_where(n, [&](std::int64_t i) {
        for (std::int64_t j = 0; j < d; ++j)
            if (!(X[i * d + j] > -1.0f)) return true;
        return false;
    });
    if (bad == n) return;
    std::int64_t col = 0;
    while (X[bad * d + col] > -1.0f) ++col;
    throw std::invalid_argument(std::string("autoencoder: ") + what + ": row " + std::to_string(bad + 1) + ", column " +
                                std::to_string(col + 1) + " is " + std::to_string(X[bad * d + col]) +
                                ", but the model takes log1p of its input, which needs values above -1");
}

/// The network's view of rows [r0, r0 + rows) of X: d x padded(rows), mapped as the model is.
Mat<float> network_input(const Model& m, const float* X, std::int64_t r0, std::int64_t rows) {
    return internal::mapped_input(m.mean, m.scale, m.log1p_input, X, m.input_dims, r0, rows);
}

void check_output(const std::vector<float>& out, std::int64_t n, std::int64_t width, const char* what) {
    internal::check_output("autoencoder", out, n, width, what);
}

}  // namespace

std::int64_t Model::parameter_count() const {
    std::int64_t count = 0;
    for (const Layer& l : layers) count += std::int64_t(l.in) * l.out + l.out;
    return count;
}

std::vector<float> Model::encode(const float* X, std::int64_t n) const {
    check_finite("autoencoder", X, n, input_dims, "encode");
    check_log1p_domain(*this, X, n, "encode");
    const internal::Architecture arch = internal::architecture_of(*this);
    const internal::Params<float> p = internal::params_view(*this, arch);
    const int L = latent_dims;
    std::vector<float> codes(static_cast<std::size_t>(n) * static_cast<std::size_t>(L));
    for_batches(n, [&](std::int64_t r0, std::int64_t rows) {
        internal::Workspace<float> ws;
        const Mat<float> in = network_input(*this, X, r0, rows);
        internal::forward<float>(arch, p, 0, arch.encoder_layers, in, ws);
        Eigen::Map<Mat<float>>(codes.data() + r0 * L, L, static_cast<Eigen::Index>(rows)) =
            ws.A[arch.encoder_layers - 1].topLeftCorner(L, static_cast<Eigen::Index>(rows));
    });
    check_output(codes, n, L, "the code");
    return codes;
}

std::vector<float> Model::decode(const float* Z, std::int64_t n) const {
    check_finite("autoencoder", Z, n, latent_dims, "decode");
    const internal::Architecture arch = internal::architecture_of(*this);
    const internal::Params<float> p = internal::params_view(*this, arch);
    const Eigen::Index d = input_dims;
    std::vector<float> out(static_cast<std::size_t>(n) * static_cast<std::size_t>(d));
    for_batches(n, [&](std::int64_t r0, std::int64_t rows) {
        internal::Workspace<float> ws;
        Mat<float> in = Mat<float>::Zero(latent_dims, padded(rows));
        in.leftCols(static_cast<Eigen::Index>(rows)) =
            Eigen::Map<const Mat<float>>(Z + r0 * latent_dims, latent_dims, static_cast<Eigen::Index>(rows));
        internal::forward<float>(arch, p, arch.encoder_layers, arch.layers(), in, ws);
        // Arithmetic only on Eigen's own (aligned) matrices; the caller's buffer gets a copy.
        Mat<float> result = ws.A[arch.layers() - 1].leftCols(static_cast<Eigen::Index>(rows));
        internal::unmap_output(mean, scale, result);
        if (log1p_input) result = result.array().expm1().matrix();
        Eigen::Map<Mat<float>>(out.data() + r0 * d, d, static_cast<Eigen::Index>(rows)) = result;
    });
    check_output(out, n, d, "the decoded value");
    return out;
}

namespace {

/// Squared reconstruction error of each of n rows, summed over its d values in data units
/// (decode of encode, through the means for a VAE): one float squaredNorm per row, as
/// reconstruction_mse() has always summed them.
std::vector<double> row_squared_errors(const Model& model, const float* X, std::int64_t n, float* codes = nullptr) {
    check_finite("autoencoder", X, n, model.input_dims, "reconstruction");
    check_log1p_domain(model, X, n, "reconstruction");
    const internal::Architecture arch = internal::architecture_of(model);
    const internal::Params<float> p = internal::params_view(model, arch);
    const Eigen::Index d = model.input_dims;
    std::vector<double> errors(static_cast<std::size_t>(n), 0.0);
    for_batches(n, [&](std::int64_t r0, std::int64_t rows) {
        internal::Workspace<float> ws;
        const Mat<float> in = network_input(model, X, r0, rows);
        internal::forward<float>(arch, p, 0, arch.encoder_layers, in, ws);
        const Mat<float> code = ws.A[arch.encoder_layers - 1].topRows(model.latent_dims);
        if (codes)  // encode()'s codes: the same forward pass over the same batch
            Eigen::Map<Mat<float>>(codes + r0 * model.latent_dims, model.latent_dims, static_cast<Eigen::Index>(rows)) =
                code.leftCols(static_cast<Eigen::Index>(rows));
        internal::forward<float>(arch, p, arch.encoder_layers, arch.layers(), code, ws);
        Mat<float> out = ws.A[arch.layers() - 1].leftCols(static_cast<Eigen::Index>(rows));
        if (!model.mean.empty()) {
            const Eigen::VectorXf m = Eigen::Map<const Eigen::VectorXf>(model.mean.data(), d);
            const Eigen::VectorXf s = Eigen::Map<const Eigen::VectorXf>(model.scale.data(), d);
            out = ((out.array().colwise() * s.array()).matrix().colwise() + m);
        }
        if (model.log1p_input) out = out.array().expm1().matrix();
        const Mat<float> x = Eigen::Map<const Mat<float>>(X + r0 * d, d, static_cast<Eigen::Index>(rows));
        for (Eigen::Index c = 0; c < out.cols(); ++c)
            errors[static_cast<std::size_t>(r0 + c)] = double((out.col(c) - x.col(c)).squaredNorm());
    });
    return errors;
}

}  // namespace

namespace {
/// The mean of row_squared_errors per value: summed per batch of kBatch rows, then over batches
/// (the order reconstruction_mse has used since it was written).
double mean_error(const std::vector<double>& errors, std::int64_t n, std::int64_t d) {
    double total = 0.0;
    for (std::int64_t r0 = 0; r0 < n; r0 += kBatch) {
        double sum = 0.0;
        for (std::int64_t i = r0; i < std::min(n, r0 + kBatch); ++i) sum += errors[std::size_t(i)];
        total += sum;
    }
    return total / (double(n) * double(d));
}
}  // namespace

double Model::reconstruction_mse(const float* X, std::int64_t n) const {
    if (n <= 0) throw std::invalid_argument("autoencoder: reconstruction error of no rows");
    return mean_error(row_squared_errors(*this, X, n), n, input_dims);
}

std::vector<float> Model::encode_and_score(const float* X, std::int64_t n, double& mse) const {
    if (n <= 0) throw std::invalid_argument("autoencoder: reconstruction error of no rows");
    std::vector<float> codes(static_cast<std::size_t>(n) * static_cast<std::size_t>(latent_dims));
    mse = mean_error(row_squared_errors(*this, X, n, codes.data()), n, input_dims);
    check_output(codes, n, latent_dims, "the code");
    return codes;
}

std::vector<double> Model::reconstruction_errors(const float* X, std::int64_t n) const {
    if (n < 0) throw std::invalid_argument("autoencoder: reconstruction errors of a negative row count");
    std::vector<double> errors = row_squared_errors(*this, X, n);
    for (double& e : errors) e /= double(input_dims);
    return errors;
}

}  // namespace latentscape::reduce::autoencoder
