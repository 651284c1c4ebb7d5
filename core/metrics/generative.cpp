// Precision, recall and class coverage of generated rows (generative.h).
// GCC 12 reports its own AVX-512 intrinsics as maybe-uninitialized when Eigen's products are
// inlined here (GCC bug 105593, fixed in 13): a false positive.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include "metrics/generative.h"

#include "common/parallel.h"
#include "neighbors/radius.h"
#include "common/rng.h"
#include "reduce/pca.h"

#include <chrono>
#include <numeric>

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace latentscape::metrics {
namespace {

using MatD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

void check_rows(const float* X, std::int64_t n, std::int64_t d, const char* which) {
    if (n > 0 && !X) throw std::invalid_argument(std::string("generative metrics: no ") + which + " rows");
    const std::int64_t bad = parallel::first_index_where(n, [&](std::int64_t i) {
        for (std::int64_t j = 0; j < d; ++j)
            if (!std::isfinite(X[i * d + j])) return true;
        return false;
    });
    if (bad < n)
        throw std::invalid_argument(std::string("generative metrics: ") + which + " row " + std::to_string(bad + 1) +
                                    " holds a non-finite value");
}

constexpr std::int64_t kBlock = 64;

/// Calls body(g0, rows, D) for blocks of generated rows, D (rows x n_real) their squared
/// distances to every real row, in parallel over blocks.
template <class Body>
void for_distance_blocks(const float* real, std::int64_t n_real, const float* gen, std::int64_t n_gen, std::int64_t dims,
                         Body&& body) {
    const MatD R = Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(real, n_real, dims)
                       .cast<double>();
    const Eigen::VectorXd rn = R.rowwise().squaredNorm();
    const std::int64_t blocks = (n_gen + kBlock - 1) / kBlock;
    parallel::for_each_dynamic(blocks, [&](std::int64_t b) {
        const std::int64_t g0 = b * kBlock, rows = std::min(kBlock, n_gen - g0);
        const MatD G = Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(gen + g0 * dims, rows, dims)
                           .cast<double>();
        MatD D = -2.0 * G * R.transpose();
        const Eigen::VectorXd gn = G.rowwise().squaredNorm();
        D.colwise() += gn;
        D.rowwise() += rn.transpose();
        body(g0, rows, D.cwiseMax(0.0));
    });
}

}  // namespace

PrecisionRecall precision_recall(const float* real, std::int64_t n_real, const float* gen, std::int64_t n_gen,
                                 std::int64_t dims, int k) {
    if (dims < 1) throw std::invalid_argument("precision/recall: needs at least one feature");
    if (k < 1 || k >= n_real || k >= n_gen)
        throw std::invalid_argument("precision/recall: k (" + std::to_string(k) + ") must be at least 1 and below both row counts (" +
                                    std::to_string(n_real) + " real, " + std::to_string(n_gen) + " generated)");
    check_rows(real, n_real, dims, "real");
    check_rows(gen, n_gen, dims, "generated");
    // Ball radii: the k-th nearest other row of the same set (kth_distances counts the row itself).
    const std::vector<float> r_real = neighbors::kth_distances(real, n_real, dims, k + 1, false);
    const std::vector<float> r_gen = neighbors::kth_distances(gen, n_gen, dims, k + 1, false);
    std::vector<char> gen_inside(std::size_t(n_gen), 0);
    // Per block of generated rows, the real rows it covers; OR'ed afterwards (order-free).
    const std::int64_t blocks = (n_gen + kBlock - 1) / kBlock;
    std::vector<std::vector<std::int64_t>> real_hits(static_cast<std::size_t>(blocks));
    for_distance_blocks(real, n_real, gen, n_gen, dims, [&](std::int64_t g0, std::int64_t rows, const MatD& D) {
        auto& hits = real_hits[std::size_t(g0 / kBlock)];
        for (std::int64_t i = 0; i < rows; ++i) {
            const double rg = double(r_gen[std::size_t(g0 + i)]);
            bool inside = false;
            for (std::int64_t r = 0; r < n_real; ++r) {
                const double d2 = D(i, r);
                const double rr = double(r_real[std::size_t(r)]);
                if (d2 <= rr * rr) inside = true;
                if (d2 <= rg * rg) hits.push_back(r);
            }
            gen_inside[std::size_t(g0 + i)] = inside;
        }
    });
    std::vector<char> real_inside(std::size_t(n_real), 0);
    for (const auto& hits : real_hits)
        for (std::int64_t r : hits) real_inside[std::size_t(r)] = 1;
    PrecisionRecall out;
    out.k = k;
    out.precision = double(std::count(gen_inside.begin(), gen_inside.end(), 1)) / double(n_gen);
    out.recall = double(std::count(real_inside.begin(), real_inside.end(), 1)) / double(n_real);
    return out;
}

ClassCoverage class_coverage(const float* real, const int* labels, std::int64_t n_real, int classes, const float* gen,
                             std::int64_t n_gen, std::int64_t dims, int k) {
    if (classes < 1) throw std::invalid_argument("class coverage: needs at least one class");
    if (k < 1 || k > n_real)
        throw std::invalid_argument("class coverage: k (" + std::to_string(k) + ") must be in [1, " + std::to_string(n_real) + "]");
    if (dims < 1) throw std::invalid_argument("class coverage: needs at least one feature");
    for (std::int64_t i = 0; i < n_real; ++i)
        if (labels[i] < 0 || labels[i] >= classes)
            throw std::invalid_argument("class coverage: real row " + std::to_string(i + 1) + " has label " +
                                        std::to_string(labels[i]) + ", outside [0, " + std::to_string(classes) + ")");
    check_rows(real, n_real, dims, "real");
    check_rows(gen, n_gen, dims, "generated");
    std::vector<int> predicted(std::size_t(n_gen), 0);
    for_distance_blocks(real, n_real, gen, n_gen, dims, [&](std::int64_t g0, std::int64_t rows, const MatD& D) {
        std::vector<std::int64_t> ids(static_cast<std::size_t>(n_real));
        std::vector<int> votes(static_cast<std::size_t>(classes));
        for (std::int64_t i = 0; i < rows; ++i) {
            for (std::int64_t r = 0; r < n_real; ++r) ids[std::size_t(r)] = r;
            auto closer = [&](std::int64_t a, std::int64_t b) { return D(i, a) < D(i, b) || (D(i, a) == D(i, b) && a < b); };
            std::partial_sort(ids.begin(), ids.begin() + k, ids.end(), closer);
            std::fill(votes.begin(), votes.end(), 0);
            int best = 0;
            for (int a = 0; a < k; ++a) best = std::max(best, ++votes[std::size_t(labels[ids[std::size_t(a)]])]);
            // The nearest row whose class has the most votes.
            for (int a = 0; a < k; ++a) {
                const int c = labels[ids[std::size_t(a)]];
                if (votes[std::size_t(c)] == best) {
                    predicted[std::size_t(g0 + i)] = c;
                    break;
                }
            }
        }
    });
    ClassCoverage out;
    out.real_share.assign(std::size_t(classes), 0.0);
    out.generated_share.assign(std::size_t(classes), 0.0);
    for (std::int64_t i = 0; i < n_real; ++i) out.real_share[std::size_t(labels[i])] += 1.0 / double(n_real);
    for (std::int64_t i = 0; i < n_gen; ++i) out.generated_share[std::size_t(predicted[std::size_t(i)])] += 1.0 / double(n_gen);
    for (int c = 0; c < classes; ++c)
        if (out.real_share[std::size_t(c)] > 0.0 && out.generated_share[std::size_t(c)] >= 0.5 * out.real_share[std::size_t(c)])
            ++out.covered;
    return out;
}

GeneratedQuality compare_generated(const float* real, std::int64_t n, std::int64_t d, const float* gen, std::int64_t n_gen,
                                   const int* labels, int classes, const GeneratedComparison& o) {
    const auto start = std::chrono::steady_clock::now();
    if (n < 2 || n_gen < 2) throw std::invalid_argument("generated rows: needs at least 2 real and 2 generated rows");
    // A seeded sample of the real rows, in their order.
    std::vector<std::int64_t> rows(static_cast<std::size_t>(n));
    std::iota(rows.begin(), rows.end(), std::int64_t(0));
    const std::int64_t m = std::min(n, std::max<std::int64_t>(2, o.max_real));
    if (m < n) {
        Rng rng(o.seed);
        for (std::int64_t i = 0; i < m; ++i) std::swap(rows[std::size_t(i)], rows[std::size_t(i + std::int64_t(rng.below(std::uint64_t(n - i))))]);
        rows.resize(std::size_t(m));
        std::sort(rows.begin(), rows.end());
    }
    std::vector<float> R(static_cast<std::size_t>(m * d));
    for (std::int64_t i = 0; i < m; ++i) std::copy_n(real + rows[std::size_t(i)] * d, d, R.begin() + i * d);
    std::vector<float> G(gen, gen + n_gen * d);
    std::int64_t dims = d;
    if (o.pca_dims > 0 && o.pca_dims < d) {
        reduce::PcaOptions po;
        po.components = int(std::min<std::int64_t>(o.pca_dims, m));
        po.seed = o.seed;
        const reduce::PcaResult fit = reduce::pca(R.data(), m, d, po);
        const FloatVector g = reduce::transform(fit, G.data(), n_gen, d);
        R.assign(fit.scores.begin(), fit.scores.end());
        G.assign(g.begin(), g.end());
        dims = fit.k;
    }
    GeneratedQuality q;
    q.real_used = m;
    q.dims = int(dims);
    q.precision_recall = precision_recall(R.data(), m, G.data(), n_gen, dims, o.k);
    if (labels && classes > 0) {
        std::vector<float> labelled;
        std::vector<int> y;
        for (std::int64_t i = 0; i < m; ++i) {
            const int c = labels[rows[std::size_t(i)]];
            if (c < 0) continue;
            y.push_back(c);
            labelled.insert(labelled.end(), R.begin() + i * dims, R.begin() + (i + 1) * dims);
        }
        if (std::int64_t(y.size()) >= o.classifier_k)
            q.coverage = class_coverage(labelled.data(), y.data(), std::int64_t(y.size()), classes, G.data(), n_gen, dims, o.classifier_k);
    }
    q.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return q;
}

}  // namespace latentscape::metrics
