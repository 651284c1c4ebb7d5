// The attractive forces (sparse, over P's entries) and the all-pairs repulsion, which is both the
// small-n method and the reference the approximations are tested against.
#include "reduce/tsne_internal.h"

#include "common/parallel.h"

#include <cmath>
#include <vector>

namespace latentscape::reduce::tsne::internal {
namespace {

template <int D>
void attraction_impl(const Affinities& P, const double* Y, double* out, double* sum_p_log_w) {
    const std::int64_t n = P.n;
    std::vector<double> per_row(sum_p_log_w ? std::size_t(n) : 0);
    parallel::for_each(n, [&](std::int64_t i) {
        double yi[D];
        double f[D];
        for (int a = 0; a < D; ++a) {
            yi[a] = Y[i * D + a];
            f[a] = 0.0;
        }
        double log_sum = 0.0;
        for (std::int64_t e = P.row_start[std::size_t(i)]; e < P.row_start[std::size_t(i + 1)]; ++e) {
            const double* yj = Y + std::int64_t(P.columns[std::size_t(e)]) * D;
            double diff[D];
            double r2 = 0.0;
            for (int a = 0; a < D; ++a) {
                diff[a] = yi[a] - yj[a];
                r2 += diff[a] * diff[a];
            }
            const double pw = P.values[std::size_t(e)] / (1.0 + r2);
            for (int a = 0; a < D; ++a) f[a] += pw * diff[a];
            if (sum_p_log_w) log_sum -= P.values[std::size_t(e)] * std::log1p(r2);
        }
        for (int a = 0; a < D; ++a) out[i * D + a] = f[a];
        if (sum_p_log_w) per_row[std::size_t(i)] = log_sum;
    });
    if (sum_p_log_w) {
        double total = 0.0;
        for (double v : per_row) total += v;
        *sum_p_log_w = total;
    }
}

// Row i sums over every j (not half the pairs mirrored): each row is then its own, so the result
// is the same with any number of threads.
template <int D, bool Forces>
double all_pairs(const double* Y, std::int64_t n, double* out) {
    std::vector<double> z(static_cast<std::size_t>(n));
    parallel::for_each(n, [&](std::int64_t i) {
        double yi[D];
        for (int a = 0; a < D; ++a) yi[a] = Y[i * D + a];
        double f[D] = {};
        double zi = 0.0;
        for (std::int64_t j = 0; j < n; ++j) {
            double diff[D];
            double r2 = 0.0;
            for (int a = 0; a < D; ++a) {
                diff[a] = yi[a] - Y[j * D + a];
                r2 += diff[a] * diff[a];
            }
            const double w = 1.0 / (1.0 + r2);
            zi += w;
            if constexpr (Forces)
                for (int a = 0; a < D; ++a) f[a] += w * w * diff[a];
        }
        z[std::size_t(i)] = zi - 1.0;  // j == i contributed w = 1 and no force
        if constexpr (Forces)
            for (int a = 0; a < D; ++a) out[i * D + a] = f[a];
    }, n > 64);
    double total = 0.0;
    for (double v : z) total += v;
    return total;
}

// The same sums in float32, 16 pairs per vector operation (GCC vector extensions: AVX-512 with
// -march=native, narrower registers elsewhere). Each lane keeps its own partial sums, added in
// a fixed order in double at the end of the row, so the result does not depend on threads.
using v16 = float __attribute__((vector_size(64)));
using v16_unaligned = float __attribute__((vector_size(64), aligned(4)));

template <int D>
double all_pairs_f32(const double* Y, std::int64_t n, double* out, std::vector<float>& soa) {
    constexpr int L = 16;
    const std::int64_t padded = (n + L - 1) / L * L;
    soa.assign(std::size_t(D * padded), 1e18f);  // padding: so far away that w = 0
    for (std::int64_t j = 0; j < n; ++j)
        for (int a = 0; a < D; ++a) soa[std::size_t(a * padded + j)] = float(Y[j * D + a]);
    std::vector<double> z(static_cast<std::size_t>(n));
    parallel::for_each(n, [&](std::int64_t i) {
        float yi[D];
        for (int a = 0; a < D; ++a) yi[a] = soa[std::size_t(a * padded + i)];
        v16 f[D] = {};
        v16 zs = {};
        for (std::int64_t j0 = 0; j0 < padded; j0 += L) {
            v16 diff[D];
            v16 r2 = {};
            for (int a = 0; a < D; ++a) {
                diff[a] = yi[a] - *reinterpret_cast<const v16_unaligned*>(soa.data() + a * padded + j0);
                r2 += diff[a] * diff[a];
            }
            const v16 w = 1.0f / (1.0f + r2);
            zs += w;
            const v16 w2 = w * w;
            for (int a = 0; a < D; ++a) f[a] += w2 * diff[a];
        }
        double zi = 0.0;
        for (int l = 0; l < L; ++l) zi += zs[l];
        z[std::size_t(i)] = zi - 1.0;
        for (int a = 0; a < D; ++a) {
            double fa = 0.0;
            for (int l = 0; l < L; ++l) fa += f[a][l];
            out[i * D + a] = fa;
        }
    }, n > 64);
    double total = 0.0;
    for (double v : z) total += v;
    return total;
}

}  // namespace

double exact_repulsion_f32(const double* Y, std::int64_t n, int dims, double* out, std::vector<float>& scratch) {
    return dims == 2 ? all_pairs_f32<2>(Y, n, out, scratch) : all_pairs_f32<3>(Y, n, out, scratch);
}

void attraction(const Affinities& P, const double* Y, int dims, double* out, double* sum_p_log_w) {
    if (dims == 2)
        attraction_impl<2>(P, Y, out, sum_p_log_w);
    else
        attraction_impl<3>(P, Y, out, sum_p_log_w);
}

double exact_repulsion(const double* Y, std::int64_t n, int dims, double* out) {
    return dims == 2 ? all_pairs<2, true>(Y, n, out) : all_pairs<3, true>(Y, n, out);
}

double exact_normalisation(const double* Y, std::int64_t n, int dims) {
    return dims == 2 ? all_pairs<2, false>(Y, n, nullptr) : all_pairs<3, false>(Y, n, nullptr);
}

}  // namespace latentscape::reduce::tsne::internal
