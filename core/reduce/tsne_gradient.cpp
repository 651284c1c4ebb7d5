// The attractive forces (sparse, over P's entries) and the all-pairs repulsion, which is both the
// small-n method and the reference the approximations are tested against.
#include "reduce/tsne_internal.h"

#include "common/parallel.h"

#if defined(__AVX512F__)
// GCC 12 reports its own _mm512_undefined_ps() inside _mm512_rcp14_ps as maybe-uninitialized
// (GCC bug 105593, fixed in 13): a false positive.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>
#endif

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

namespace latentscape::reduce::tsne::internal {
namespace {

template <int D>
void attraction_impl(const Affinities& P, const double* Y_points, double* out_points, double* sum_p_log_w) {
    const std::int64_t n = P.n;
    // In P's row order: the coordinates copied there, the forces written back below.
    std::vector<double> by_row, out_rows;
    const double* Y = Y_points;
    double* out = out_points;
    if (!P.order.empty()) {
        by_row.resize(std::size_t(n * D));
        out_rows.resize(std::size_t(n * D));
        parallel::for_each(n, [&](std::int64_t r) {
            for (int a = 0; a < D; ++a) by_row[std::size_t(r * D + a)] = Y_points[P.point(r) * D + a];
        });
        Y = by_row.data();
        out = out_rows.data();
    }
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
    if (!P.order.empty())
        parallel::for_each(n, [&](std::int64_t r) {
            for (int a = 0; a < D; ++a) out_points[P.point(r) * D + a] = out_rows[std::size_t(r * D + a)];
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
// -march=native, narrower registers elsewhere), each pair evaluated once for both its points:
// the points are cut into blocks, and a tile of two blocks I < J adds each pair's terms to a
// row buffer (for I's points) and a column buffer (for J's points); a diagonal tile sums its
// block one-sidedly. A point's total then adds its tiles' buffers in block order, in double.
// Every tile is computed the same way whichever thread takes it, so nothing depends on the
// thread count.
// Without AVX-512 GCC notes that passing these 64-byte vectors by value would differ from an
// AVX-512 build's ABI; they only ever cross internal, inlined functions.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wpsabi"
#endif
using v16 = float __attribute__((vector_size(64)));
using v16_unaligned = float __attribute__((vector_size(64), aligned(4)));

// 1 / x for x >= 1. With AVX-512: the 14-bit reciprocal estimate alone (relative error below
// 2^-14, bit-exact across CPUs as its reference implementation defines it). It is 1.25x the
// speed of a refined reciprocal for the whole all-pairs sum and leaves forces within ~3e-5 and Z
// within ~1e-5 of the double sums, 300x closer than the Barnes-Hut or FFT approximations.
// Exact division where AVX-512 is absent.
inline v16 reciprocal(v16 x) {
#if defined(__AVX512F__)
    return _mm512_rcp14_ps(x);
#else
    return 1.0f / x;
#endif
}

inline v16 load16(const float* p) { return *reinterpret_cast<const v16_unaligned*>(p); }
inline void store16(float* p, v16 v) { *reinterpret_cast<v16_unaligned*>(p) = v; }

template <int D>
double all_pairs_f32(const double* Y, std::int64_t n, double* out, std::vector<float>& scratch) {
    constexpr int L = 16;
    constexpr int C = D + 1;  // per point: D force components and the z sum
    const std::int64_t padded = (n + L - 1) / L * L;
    const std::int64_t bs = std::min<std::int64_t>(512, padded);
    const std::int64_t nb = (padded + bs - 1) / bs;
    const std::int64_t tiles = nb * (nb + 1) / 2;
    // Partial sums of block K's points from block J at parts + (K * nb + J) * bs * C, laid out
    // [component][point]: a tile (I, J) writes parts (I, J) and (J, I).
    const std::int64_t part_floats = bs * C;
    scratch.resize(std::size_t(D * padded + nb * nb * part_floats));
    float* soa = scratch.data();
    float* buffers = soa + D * padded;
    // Padding points sit so far away that their w is 0 (or 1e-36) for every real point.
    for (std::int64_t j = 0; j < padded; ++j)
        for (int a = 0; a < D; ++a) soa[a * padded + j] = j < n ? float(Y[j * D + a]) : 1e18f;

    // Tiles differ in cost (diagonal and last-block tiles are cheaper): threads take them as they go.
    parallel::for_each_dynamic(tiles, [&](std::int64_t t) {
        std::int64_t I = 0, rest = t;
        while (rest >= nb - I) {
            rest -= nb - I;
            ++I;
        }
        const std::int64_t J = I + rest;
        float* row = buffers + (I * nb + J) * part_floats;  // [C][bs]
        float* col = buffers + (J * nb + I) * part_floats;  // [C][bs]
        const std::int64_t i0 = I * bs, i1 = std::min(padded, i0 + bs);
        const std::int64_t j0 = J * bs, j1 = std::min(padded, j0 + bs);
        if (I != J) std::fill(col, col + bs * C, 0.0f);
        // Four rows at a time: the column sums of a 16-point chunk stay in registers across them.
        constexpr int R = 4;
        for (std::int64_t i = i0; i < i1; i += R) {
            float yi[R][D];
            for (int r = 0; r < R; ++r)
                for (int a = 0; a < D; ++a) yi[r][a] = soa[a * padded + i + r];
            v16 f[R][D] = {};
            v16 zs[R] = {};
            for (std::int64_t jc = j0; jc < j1; jc += L) {
                v16 yj[D];
                for (int a = 0; a < D; ++a) yj[a] = load16(soa + a * padded + jc);
                v16 cf[D] = {};
                v16 cz = {};
                for (int r = 0; r < R; ++r) {
                    v16 diff[D];
                    v16 q = v16{} + 1.0f;  // 1 + |y_i - y_j|^2
                    for (int a = 0; a < D; ++a) {
                        diff[a] = yi[r][a] - yj[a];
                        q += diff[a] * diff[a];
                    }
                    const v16 w = reciprocal(q);
                    const v16 w2 = w * w;
                    zs[r] += w;
                    cz += w;
                    for (int a = 0; a < D; ++a) {
                        const v16 p = w2 * diff[a];
                        f[r][a] += p;
                        cf[a] -= p;
                    }
                }
                if (I != J) {
                    float* cj = col + (jc - j0);
                    for (int a = 0; a < D; ++a) store16(cj + a * bs, load16(cj + a * bs) + cf[a]);
                    store16(cj + D * bs, load16(cj + D * bs) + cz);
                }
            }
            for (int r = 0; r < R; ++r) {
                for (int a = 0; a < D; ++a) {
                    float sum = 0.0f;
                    for (int l = 0; l < L; ++l) sum += f[r][a][l];
                    row[a * bs + (i + r - i0)] = sum;
                }
                float zsum = 0.0f;
                for (int l = 0; l < L; ++l) zsum += zs[r][l];
                row[D * bs + (i + r - i0)] = zsum;
            }
        }
    });

    // Each block adds its parts in block order, all its points at once (contiguous, vectorised).
    std::vector<double> z(static_cast<std::size_t>(n));
    parallel::for_each(nb, [&](std::int64_t K) {
        std::vector<double> acc(std::size_t(part_floats), 0.0);
        for (std::int64_t J = 0; J < nb; ++J) {
            const float* part = buffers + (K * nb + J) * part_floats;
            for (std::int64_t e = 0; e < part_floats; ++e) acc[std::size_t(e)] += part[e];
        }
        const std::int64_t last = std::min(n, (K + 1) * bs);
        for (std::int64_t r = K * bs; r < last; ++r) {
            const std::int64_t l = r - K * bs;
            for (int a = 0; a < D; ++a) out[r * D + a] = acc[std::size_t(a * bs + l)];
            z[std::size_t(r)] = acc[std::size_t(D * bs + l)] - 1.0;  // the diagonal tile counted j == i, w = 1
        }
    }, nb > 1);
    double total = 0.0;
    for (double v : z) total += v;
    return total;
}

// attraction() in float32: P's values as float and the coordinates as float pairs halve the
// bytes the loop streams (9 million entries at 70,000 points). Eight entries at a time in vector
// lanes (GCC vector extensions: AVX on x86-64 builds with it, pairs of SSE registers otherwise):
// one vector division and independent partial sums per lane. One entry at a time, the loop waited
// on the division and on each sum's previous add, 3.4 cycles an entry; now it runs at about the
// speed P's bytes stream from memory (70k: 7.0 -> 4.3 ms). The coordinates are loaded one by one:
// AVX-512 gathers measured 1.6x slower here.
template <int D>
void attraction_float(const Affinities& P, const std::vector<float>& values, const double* Y, double* out,
                      std::vector<float>& coords) {
    typedef float lanes8 __attribute__((vector_size(32)));
    constexpr int width = 8;
    const std::int64_t n = P.n;
    // The coordinates in P's row order (Affinities::order), so that the rows near each other in
    // the kNN graph read coordinates near each other in memory.
    coords.resize(std::size_t(D * n));
    parallel::for_each(n, [&](std::int64_t r) {
        const std::int64_t i = P.point(r);
        for (int a = 0; a < D; ++a) coords[std::size_t(r * D + a)] = float(Y[i * D + a]);
    });
    const float* C = coords.data();
    const std::int32_t* columns = P.columns.data();
    const float* V = values.data();
    // Rows differ in length (P symmetrised from k neighbours each): threads take blocks of rows
    // as they finish, not fixed halves. Each row is its own sum, so the schedule changes nothing.
    constexpr std::int64_t block = 512;
    parallel::for_each_dynamic((n + block - 1) / block, [&](std::int64_t b) {
        for (std::int64_t i = b * block; i < std::min(n, (b + 1) * block); ++i) {
            float yi[D];
            for (int a = 0; a < D; ++a) yi[a] = C[i * D + a];
            lanes8 f[D];
            for (int a = 0; a < D; ++a) f[a] = lanes8{};
            const std::int64_t end = P.row_start[std::size_t(i + 1)];
            std::int64_t e = P.row_start[std::size_t(i)];
            for (; e + width <= end; e += width) {
                lanes8 diff[D];
                for (int u = 0; u < width; ++u) {
                    const float* yj = C + std::int64_t(columns[e + u]) * D;
                    for (int a = 0; a < D; ++a) diff[a][u] = yi[a] - yj[a];
                }
                lanes8 q = diff[0] * diff[0] + 1.0f;
                for (int a = 1; a < D; ++a) q += diff[a] * diff[a];
                lanes8 v;
                std::memcpy(&v, V + e, sizeof v);
                const lanes8 pw = v / q;
                for (int a = 0; a < D; ++a) f[a] += pw * diff[a];
            }
            float sum[D];
            for (int a = 0; a < D; ++a) {
                sum[a] = 0.0f;
                for (int u = 0; u < width; ++u) sum[a] += f[a][u];
            }
            for (; e < end; ++e) {
                const float* yj = C + std::int64_t(columns[e]) * D;
                float diff[D];
                float q = 1.0f;
                for (int a = 0; a < D; ++a) {
                    diff[a] = yi[a] - yj[a];
                    q += diff[a] * diff[a];
                }
                const float pw = V[e] / q;
                for (int a = 0; a < D; ++a) sum[a] += pw * diff[a];
            }
            const std::int64_t point = P.point(i);
            for (int a = 0; a < D; ++a) out[point * D + a] = sum[a];
        }
    });
}

}  // namespace

void attraction_f32(const Affinities& P, const std::vector<float>& values, const double* Y, int dims, double* out,
                    std::vector<float>& scratch) {
    if (dims == 2)
        attraction_float<2>(P, values, Y, out, scratch);
    else
        attraction_float<3>(P, values, Y, out, scratch);
}

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
