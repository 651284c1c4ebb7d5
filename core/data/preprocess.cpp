#include "data/preprocess.h"

#include "common/parallel.h"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace latentscape::data {
namespace {

std::string column_name(std::int64_t c, const std::vector<std::string>* names) {
    if (names && std::size_t(c) < names->size()) return "'" + (*names)[std::size_t(c)] + "'";
    return std::to_string(c + 1);
}

[[noreturn]] void log1p_domain(std::int64_t row, std::int64_t col, float v, const std::vector<std::string>* names) {
    throw std::invalid_argument("log1p preprocessing needs values > -1: column " + column_name(col, names) + ", row " +
                                std::to_string(row + 1) + " holds " + std::to_string(v));
}

}  // namespace

std::optional<Preprocess> parse_preprocess(std::string_view name) {
    if (name == "none") return Preprocess::None;
    if (name == "standardize" || name == "standardise") return Preprocess::Standardize;
    if (name == "minmax" || name == "min-max") return Preprocess::MinMax;
    if (name == "log1p") return Preprocess::Log1p;
    return std::nullopt;
}

const char* preprocess_name(Preprocess kind) {
    switch (kind) {
        case Preprocess::None: return "none";
        case Preprocess::Standardize: return "standardize";
        case Preprocess::MinMax: return "minmax";
        case Preprocess::Log1p: return "log1p";
    }
    return "none";
}

PreprocessFit fit_preprocess(const float* X, std::int64_t n, std::int64_t d, Preprocess kind,
                             const std::vector<std::string>* names) {
    PreprocessFit fit;
    fit.kind = kind;
    fit.offset.assign(std::size_t(d), 0.0);
    fit.divisor.assign(std::size_t(d), 1.0);
    if (kind == Preprocess::None || kind == Preprocess::Log1p) {
        if (kind == Preprocess::Log1p)
            for (std::int64_t i = 0; i < n; ++i)
                for (std::int64_t c = 0; c < d; ++c)
                    if (!(X[i * d + c] > -1.0f)) log1p_domain(i, c, X[i * d + c], names);
        return fit;
    }
    // One column per task, its rows added in order: the same result with any thread count.
    parallel::for_each(d, [&](std::int64_t c) {
        double offset = 0.0, divisor = 1.0;
        if (kind == Preprocess::Standardize) {
            double sum = 0.0;
            for (std::int64_t i = 0; i < n; ++i) sum += X[i * d + c];
            const double mean = n > 0 ? sum / double(n) : 0.0;
            double ss = 0.0;
            for (std::int64_t i = 0; i < n; ++i) {
                const double e = X[i * d + c] - mean;
                ss += e * e;
            }
            const double sd = n > 0 ? std::sqrt(ss / double(n)) : 0.0;
            offset = mean;
            divisor = sd > 0.0 ? sd : 1.0;
        } else {
            double lo = std::numeric_limits<double>::infinity(), hi = -lo;
            for (std::int64_t i = 0; i < n; ++i) {
                lo = std::min(lo, double(X[i * d + c]));
                hi = std::max(hi, double(X[i * d + c]));
            }
            offset = n > 0 ? lo : 0.0;
            divisor = n > 0 && hi > lo ? hi - lo : 1.0;
        }
        fit.offset[std::size_t(c)] = offset;
        fit.divisor[std::size_t(c)] = divisor;
    });
    return fit;
}

void apply_preprocess(const PreprocessFit& fit, float* X, std::int64_t n) {
    const auto d = std::int64_t(fit.offset.size());
    if (fit.kind == Preprocess::None) return;
    // Checked before the parallel loop, which must not throw.
    if (fit.kind == Preprocess::Log1p)
        for (std::int64_t i = 0; i < n; ++i)
            for (std::int64_t c = 0; c < d; ++c)
                if (!(X[i * d + c] > -1.0f)) log1p_domain(i, c, X[i * d + c], nullptr);
    const bool log = fit.kind == Preprocess::Log1p;
    parallel::for_each(n, [&](std::int64_t i) {
        float* row = X + i * d;
        for (std::int64_t c = 0; c < d; ++c) {
            const double v = log ? std::log1p(double(row[c])) : double(row[c]);
            row[c] = float((v - fit.offset[std::size_t(c)]) / fit.divisor[std::size_t(c)]);
        }
    });
}

Dataset preprocessed(const Dataset& ds, Preprocess kind) {
    Dataset out = ds;
    if (kind == Preprocess::None) return out;
    const PreprocessFit fit = fit_preprocess(ds.features.data(), ds.n, ds.d, kind, &ds.feature_names);
    apply_preprocess(fit, out.features.data(), out.n);
    return out;
}

}  // namespace latentscape::data
