#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"  // GCC bug 105593, see autoencoder_net.cpp
#endif
// The input map of the MLP trainers (autoencoder and GAN): finiteness, standardisation or an input
// scale, and whether the mapped values fit a sigmoid output.
#include "reduce/autoencoder_internal.h"

#include "common/parallel.h"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace latentscape::reduce::autoencoder::internal {
namespace {
std::string num(double v) {
    std::ostringstream s;
    s << v;
    return s.str();
}
}  // namespace

void check_common(const char* who, const CommonChecks& o) {
    auto bad = [&](const std::string& what) { throw std::invalid_argument(std::string(who) + ": " + what); };
    if (!o.X && o.n > 0) bad("no data");
    if (o.n < 2) bad("needs at least 2 rows, got " + std::to_string(o.n));
    if (o.d < 1) bad("needs at least 1 column, got " + std::to_string(o.d));
    if (o.d > 1'000'000) bad("too many columns (" + std::to_string(o.d) + "; at most 1,000,000)");
    if (o.epochs < 1 || o.epochs > 1'000'000) bad("epochs (" + std::to_string(o.epochs) + ") must be in [1, 1000000]");
    if (o.batch_size < 1 || o.batch_size > 1 << 20)
        bad("batch size (" + std::to_string(o.batch_size) + ") must be in [1, 1048576]");
    // Training runs in float: every number must survive the conversion (no 0, no infinity).
    const AdamSettings& a = o.adam;
    if (!(a.learning_rate >= 1e-20 && a.learning_rate <= 1e3))
        bad("learning rate (" + num(a.learning_rate) + ") must be in [1e-20, 1000]");
    if (!(a.beta1 >= 0.0 && a.beta1 < 1.0)) bad("Adam beta1 (" + num(a.beta1) + ") must be in [0, 1)");
    if (!(a.beta2 >= 0.0 && a.beta2 < 1.0)) bad("Adam beta2 (" + num(a.beta2) + ") must be in [0, 1)");
    if (!(a.epsilon >= 1e-30 && a.epsilon <= 1.0)) bad("Adam epsilon (" + num(a.epsilon) + ") must be in [1e-30, 1]");
    if (!(a.weight_decay >= 0.0) || !std::isfinite(a.weight_decay) || a.learning_rate * a.weight_decay >= 1.0)
        bad("weight decay (" + num(a.weight_decay) + ") must be >= 0 and below 1 / learning rate");
    if (!(o.input_scale >= 1e-30 && o.input_scale <= 1e30))
        bad("input scale (" + num(o.input_scale) + ") must be in [1e-30, 1e30]");
    if (o.standardize && o.input_scale != 1.0)
        bad("the input scale (" + num(o.input_scale) + ") and standardisation exclude each other");
}

void check_hidden(const char* who, const char* what, const std::vector<int>& hidden) {
    const std::string prefix = std::string(who) + ": ";
    if (hidden.size() > 16) throw std::invalid_argument(prefix + "at most 16 hidden layers, got " + std::to_string(hidden.size()));
    for (std::size_t i = 0; i < hidden.size(); ++i) {
        const int h = hidden[i];
        if (h < 1 || h > 65536)
            throw std::invalid_argument(prefix + what + " " + std::to_string(i + 1) + " has " + std::to_string(h) +
                                        " units; each must be in [1, 65536]");
    }
}

void check_finite(const char* who, const float* X, std::int64_t n, std::int64_t d, const char* what) {
    const std::string prefix = std::string(who) + ": " + what + ": ";
    if (n < 0) throw std::invalid_argument(prefix + "negative row count");
    if (n > 0 && !X) throw std::invalid_argument(prefix + "no data");
    const std::int64_t bad = parallel::first_index_where(n, [&](std::int64_t i) {
        const float* row = X + i * d;
        for (std::int64_t j = 0; j < d; ++j)
            if (!std::isfinite(row[j])) return true;
        return false;
    });
    if (bad == n) return;
    std::int64_t col = 0;
    while (std::isfinite(X[bad * d + col])) ++col;
    throw std::invalid_argument(prefix + "row " + std::to_string(bad + 1) + ", column " + std::to_string(col + 1) + " is " +
                                (std::isnan(X[bad * d + col]) ? "NaN" : "infinite"));
}

void check_output(const char* who, const std::vector<float>& out, std::int64_t n, std::int64_t width, const char* what) {
    const std::int64_t bad = parallel::first_index_where(n, [&](std::int64_t i) {
        for (std::int64_t j = 0; j < width; ++j)
            if (!std::isfinite(out[std::size_t(i * width + j)])) return true;
        return false;
    });
    if (bad < n)
        throw std::runtime_error(std::string(who) + ": " + what + " of row " + std::to_string(bad + 1) +
                                 " is not finite: the model is corrupt or its training diverged");
}

Mat<float> mapped_input(const std::vector<float>& mean, const std::vector<float>& scale, bool log1p, const float* X,
                        std::int64_t d_, std::int64_t r0, std::int64_t rows) {
    const Eigen::Index d = static_cast<Eigen::Index>(d_);
    const Eigen::Index cols = static_cast<Eigen::Index>(rows);
    Mat<float> in = Mat<float>::Zero(d, padded(rows));
    in.leftCols(cols) = Eigen::Map<const Mat<float>>(X + r0 * d_, d, cols);
    if (log1p) in.leftCols(cols) = in.leftCols(cols).array().log1p().matrix();
    if (!mean.empty()) {
        const Eigen::VectorXf m = Eigen::Map<const Eigen::VectorXf>(mean.data(), d);
        const Eigen::VectorXf s = Eigen::Map<const Eigen::VectorXf>(scale.data(), d);
        in = ((in.colwise() - m).array().colwise() / s.array()).matrix();
    }
    return in;
}

void unmap_output(const std::vector<float>& mean, const std::vector<float>& scale, Mat<float>& values) {
    if (mean.empty()) return;
    const Eigen::Index d = values.rows();
    const Eigen::VectorXf m = Eigen::Map<const Eigen::VectorXf>(mean.data(), d);
    const Eigen::VectorXf s = Eigen::Map<const Eigen::VectorXf>(scale.data(), d);
    values = ((values.array().colwise() * s.array()).matrix().colwise() + m);
}

void InputMap::gather(const float* X, std::int64_t d, const std::int64_t* rows, std::int64_t count, Mat<float>& batch) const {
    batch.resize(d, count);
    for (std::int64_t j = 0; j < count; ++j) {
        const Eigen::Map<const Eigen::VectorXf> x(X + rows[j] * d, d);
        batch.col(j) = x;
        if (!mean.empty()) batch.col(j) = ((batch.col(j) - mean_).array() / scale_.array()).matrix();
    }
}

InputMap fit_input_map(const char* who, const float* X, std::int64_t n, std::int64_t d, bool standardize,
                       double input_scale) {
    const std::string prefix = std::string(who) + ": ";
    const std::int64_t bad_row = parallel::first_index_where(n, [&](std::int64_t i) {
        for (std::int64_t j = 0; j < d; ++j)
            if (!std::isfinite(X[i * d + j])) return true;
        return false;
    });
    if (bad_row < n) {
        std::int64_t col = 0;
        while (std::isfinite(X[bad_row * d + col])) ++col;
        throw std::invalid_argument(prefix + "row " + std::to_string(bad_row + 1) + ", column " + std::to_string(col + 1) +
                                    " is " + (std::isnan(X[bad_row * d + col]) ? "NaN" : "infinite"));
    }
    InputMap map;
    if (standardize) {
        map.mean.assign(std::size_t(d), 0.0f);
        map.scale.assign(std::size_t(d), 1.0f);
        parallel::for_each(d, [&](std::int64_t j) {
            double sum = 0.0, sq = 0.0;
            for (std::int64_t i = 0; i < n; ++i) sum += X[i * d + j];
            const double mu = sum / double(n);
            for (std::int64_t i = 0; i < n; ++i) sq += (X[i * d + j] - mu) * (X[i * d + j] - mu);
            const double sd = std::sqrt(sq / double(n));
            map.mean[std::size_t(j)] = float(mu);
            map.scale[std::size_t(j)] = sd > 1e-12 * std::max(1.0, std::abs(mu)) ? float(sd) : 1.0f;
        });
        map.mean_ = Eigen::Map<const Eigen::VectorXf>(map.mean.data(), d);
        map.scale_ = Eigen::Map<const Eigen::VectorXf>(map.scale.data(), d);
        return map;
    }
    // The values the network sees: x / input_scale, in float as gather() computes them.
    const float in_scale = float(input_scale);
    if (input_scale != 1.0) {
        map.mean.assign(std::size_t(d), 0.0f);
        map.scale.assign(std::size_t(d), in_scale);
        map.mean_ = Eigen::VectorXf::Zero(d);
        map.scale_ = Eigen::VectorXf::Constant(d, in_scale);
    }
    auto in_unit = [&](float x) {
        const float v = (x - 0.0f) / in_scale;
        return v >= 0.0f && v <= 1.0f;
    };
    const std::int64_t outside = parallel::first_index_where(n, [&](std::int64_t i) {
        for (std::int64_t j = 0; j < d; ++j)
            if (!in_unit(X[i * d + j])) return true;
        return false;
    });
    map.unit = outside == n;
    if (!map.unit) {
        std::int64_t col = 0;
        while (in_unit(X[outside * d + col])) ++col;
        map.outside = "row " + std::to_string(outside + 1) + ", column " + std::to_string(col + 1) + " is " +
                      num(X[outside * d + col]) + (input_scale != 1.0 ? " (input scale " + num(input_scale) + ")" : "");
    }
    return map;
}

}  // namespace latentscape::reduce::autoencoder::internal
