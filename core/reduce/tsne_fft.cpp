// FFT-accelerated repulsion of t-SNE in 2-D, after Linderman, Rachh, Hoskins, Steinerberger &
// Kluger (2019), with the spreading of smooth particle-mesh Ewald (Essmann et al. 1995) instead of
// their piecewise Lagrange interpolation. The squared Cauchy kernel K(y, z) = 1 / (1 + |y - z|^2)^2
// is replaced by its tensor B-spline interpolant of order p on a uniform grid, in both arguments:
// charges spread from each point to the p x p nodes around it with B-spline weights, the
// node-to-node sums are a convolution (by FFT on a grid twice the size, so it does not wrap
// around) with the sampled kernel divided by the B-spline's symbol b(theta)^2 per axis (the
// interpolation prefilter, applied in Fourier space), and the potentials are interpolated back
// with the same weights. The B-spline interpolant is smooth across nodes and of order h^p, so
// for the same accuracy the grid needs about half the nodes per axis of FIt-SNE's 4-node
// Lagrange intervals (force error 8.4e-3 at 2 nodes per unit against 8.1e-3 at 4 per unit on
// Fashion-MNIST's final 70,000-point embedding): a quarter of the transform.
// Three charges (1, y1, y2) give the forces sum_j K (y_i - y_j) = y_i phi_1 - phi_y. FIt-SNE adds
// a fourth (|y|^2) for Z = sum_ij K (1 + |y_i - y_j|^2); but the interpolated kernel is
// symmetric, so sum_ij K |y_j|^2 = sum_i |y_i|^2 phi_1(i), and the total needs no fourth
// transform: Z = sum_i (1 + 2 |y_i|^2) phi_1(i) - 2 y_i . phi_y(i) - n.
#include "reduce/tsne_internal.h"

#include "common/parallel.h"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace latentscape::reduce::tsne::internal {
namespace {

// FFTW's planner is not thread-safe; execution is.
std::mutex& planner_mutex() {
    static std::mutex m;
    return m;
}

// Smallest m >= n whose prime factors are 2, 3, 5 and 7: FFTW is fastest on such sizes.
int next_smooth(int n) {
    for (int m = std::max(n, 1);; ++m) {
        int r = m;
        for (int f : {2, 3, 5, 7})
            while (r % f == 0) r /= f;
        if (r == 1) return m;
    }
}

constexpr int terms = 3;
// Grid nodes per dimension at most: ~570 MB of buffers at 1,600 (an embedding ~800 units wide
// at 2 nodes per unit). Wider embeddings use Barnes-Hut instead (tsne.cpp).
constexpr int max_nodes = 1600;

// The uncentred cardinal B-spline of order p (support [0, p]) at u + j for j = 0 .. p - 1,
// u in [0, 1), by the recursion M_m(x) = (x M_{m-1}(x) + (m - x) M_{m-1}(x - 1)) / (m - 1).
inline void bspline_values(int p, double u, double* m) {
    if (p == 4) {  // the cubic in closed form (the recursion's values, fewer operations)
        const double u2 = u * u, u3 = u2 * u, v = 1.0 - u;
        constexpr double sixth = 1.0 / 6.0;
        m[0] = u3 * sixth;
        m[1] = (-3.0 * u3 + 3.0 * u2 + 3.0 * u + 1.0) * sixth;
        m[2] = (3.0 * u3 - 6.0 * u2 + 4.0) * sixth;
        m[3] = v * v * v * sixth;
        return;
    }
    m[0] = 1.0;
    for (int order = 2; order <= p; ++order) {
        const double inv = 1.0 / double(order - 1);
        // M_order(u + j) needs M_{order-1}(u + j) (0 for j = order - 1) and M_{order-1}(u + j - 1).
        m[order - 1] = 0.0;
        for (int j = order - 1; j >= 0; --j) {
            const double x = u + j;
            const double here = m[j];
            const double below = j > 0 ? m[j - 1] : 0.0;
            m[j] = (x * here + (double(order) - x) * below) * inv;
        }
    }
}

// The spline's value at the integer offsets from its centre: M_p(p / 2 + j), j = 0 .. p / 2 - 1.
std::vector<double> bspline_at_integers(int p) {
    std::vector<double> m(std::size_t(p) + 1, 0.0);
    bspline_values(p, 0.0, m.data());  // M_p(j), j = 0 .. p - 1 (M_p(p) = 0)
    std::vector<double> centred(std::size_t(p / 2));
    for (int j = 0; j < p / 2; ++j) centred[std::size_t(j)] = m[std::size_t(p / 2 + j)];
    return centred;
}

}  // namespace

struct FftRepulsion::Impl {
    int order = 4;            // B-spline order p (even): p x p nodes per point
    int min_nodes = 100;
    double per_unit = 2.0;    // nodes per unit of embedding length, once the embedding is wide

    int nodes = 0;            // per dimension
    int size = 0;             // 2 * nodes: the FFT grid (no wrap-around)
    double* kernel = nullptr; // size x size, real
    fftw_complex* kernel_hat = nullptr;
    std::vector<double> multiplier;  // size x (size / 2 + 1): the kernel's transform (real: the
                                     // kernel is even) over the prefilter, and the 1 / size^2
    double kernel_delta = -1.0;  // node spacing `multiplier` was computed for
    double* charges[terms] = {};    // nodes x size: the padding rows are never transformed
    double* potentials[terms] = {}; // nodes x size
    fftw_complex* spectra[terms] = {};
    // The 2-D transforms as 1-D passes, so that the all-zero padding rows of the charges are
    // never transformed and the unused rows of the potentials never computed (~25% less work
    // than a full 2-D transform): rows (r2c), then columns (c2c, in place) and back.
    // Each pass is split in two halves (of the rows, or of the columns) so that two threads share
    // the three transforms evenly; a half is computed the same way whichever thread runs it.
    fftw_plan kernel_rows = nullptr;     // size rows r2c: kernel -> kernel_hat
    fftw_plan rows_forward[2] = {};      // nodes rows r2c, in two halves
    fftw_plan columns_forward[2] = {};   // size / 2 + 1 columns c2c, in two halves
    fftw_plan columns_backward[2] = {};
    fftw_plan rows_backward[2] = {};     // nodes rows c2r, in two halves
    int row_split[3] = {};               // first row of each half, and nodes
    int column_split[3] = {};            // first column of each half, and size / 2 + 1

    std::vector<double> spline_centre;       // M_p(p / 2 + j), j = 0 .. p / 2 - 1
    std::vector<std::int32_t> base;          // n x 2 first node of each point's stencil
    std::vector<double> records;             // per point in row order: weights, y, first column
    std::vector<std::int32_t> order_of;      // points sorted by their first row, then index
    std::vector<std::int64_t> row_start;     // nodes + 1: where each first row's points start
    std::vector<double> z;                   // per point

    ~Impl() { release(); }

    void release() {
        std::lock_guard<std::mutex> lock(planner_mutex());
        for (fftw_plan* p : {&kernel_rows, &rows_forward[0], &rows_forward[1], &columns_forward[0], &columns_forward[1],
                             &columns_backward[0], &columns_backward[1], &rows_backward[0], &rows_backward[1]}) {
            if (*p) fftw_destroy_plan(*p);
            *p = nullptr;
        }
        kernel_delta = -1.0;
        fftw_free(kernel);
        fftw_free(kernel_hat);
        kernel = nullptr;
        kernel_hat = nullptr;
        for (int c = 0; c < terms; ++c) {
            fftw_free(charges[c]);
            fftw_free(potentials[c]);
            fftw_free(spectra[c]);
            charges[c] = potentials[c] = nullptr;
            spectra[c] = nullptr;
        }
        size = 0;
    }

    // Nodes per dimension for an embedding of this width: its span at per_unit nodes per unit,
    // plus the stencil's overhang on both sides, at least min_nodes, rounded up to a size FFTW
    // transforms fast.
    double span_for(double range) const { return std::ceil(range * per_unit) + order + 1; }
    int nodes_for(double range) const {
        const double span = span_for(range);
        if (span > 1e7) return std::numeric_limits<int>::max();
        return next_smooth(std::max(min_nodes, int(span)));
    }

    // (Re)allocates the buffers and plans for a grid of `want` nodes per dimension.
    void prepare(int want) {
        if (want == nodes && size > 0) return;
        release();
        nodes = want;
        size = 2 * nodes;
        const std::size_t reals = std::size_t(size) * std::size_t(size);
        const std::size_t complexes = std::size_t(size) * std::size_t(size / 2 + 1);
        kernel = fftw_alloc_real(reals);
        kernel_hat = fftw_alloc_complex(complexes);
        for (int c = 0; c < terms; ++c) {
            charges[c] = fftw_alloc_real(std::size_t(nodes) * std::size_t(size));
            potentials[c] = fftw_alloc_real(std::size_t(nodes) * std::size_t(size));
            spectra[c] = fftw_alloc_complex(complexes);
        }
        bool ok = kernel && kernel_hat;
        for (int c = 0; c < terms; ++c) ok = ok && charges[c] && potentials[c] && spectra[c];
        if (!ok) {
            release();
            throw std::bad_alloc();
        }
        multiplier.assign(complexes, 0.0);
        // Padding outside the nodes x nodes corner stays zero for the life of the buffers.
        for (int c = 0; c < terms; ++c) std::memset(charges[c], 0, std::size_t(nodes) * std::size_t(size) * sizeof(double));
        std::lock_guard<std::mutex> lock(planner_mutex());
        // FFTW_ESTIMATE: the plan (hence every rounding) is the same in every run; a measured plan
        // could differ between runs and break reproducibility.
        const int n1 = size;
        const int half = size / 2 + 1;
        kernel_rows = fftw_plan_many_dft_r2c(1, &n1, size, kernel, nullptr, 1, size, kernel_hat, nullptr, 1, half,
                                             FFTW_ESTIMATE);
        row_split[0] = 0;
        row_split[1] = nodes / 2;
        row_split[2] = nodes;
        column_split[0] = 0;
        column_split[1] = half / 2;
        column_split[2] = half;
        bool ok_plans = kernel_rows != nullptr;
        for (int h = 0; h < 2; ++h) {
            const int r0 = row_split[h], rows = row_split[h + 1] - row_split[h];
            const int c0 = column_split[h], columns = column_split[h + 1] - column_split[h];
            rows_forward[h] = fftw_plan_many_dft_r2c(1, &n1, rows, charges[0] + std::size_t(r0) * size, nullptr, 1, size,
                                                     spectra[0] + std::size_t(r0) * half, nullptr, 1, half, FFTW_ESTIMATE);
            columns_forward[h] = fftw_plan_many_dft(1, &n1, columns, spectra[0] + c0, nullptr, half, 1, spectra[0] + c0,
                                                    nullptr, half, 1, FFTW_FORWARD, FFTW_ESTIMATE);
            columns_backward[h] = fftw_plan_many_dft(1, &n1, columns, spectra[0] + c0, nullptr, half, 1, spectra[0] + c0,
                                                     nullptr, half, 1, FFTW_BACKWARD, FFTW_ESTIMATE);
            rows_backward[h] = fftw_plan_many_dft_c2r(1, &n1, rows, spectra[0] + std::size_t(r0) * half, nullptr, 1, half,
                                                      potentials[0] + std::size_t(r0) * size, nullptr, 1, size,
                                                      FFTW_ESTIMATE);
            ok_plans = ok_plans && rows_forward[h] && columns_forward[h] && columns_backward[h] && rows_backward[h];
        }
        if (!ok_plans)
            throw std::runtime_error("FFT repulsion: FFTW could not plan a transform");
    }

    // The sampled kernel's transform over the prefilter b(theta_1)^2 b(theta_2)^2, for node
    // spacing delta. b(theta) = sum_j M_p(p / 2 + j) cos(j theta) is the symbol of sampling the
    // spline at the nodes; dividing by it once per argument makes the double B-spline expansion
    // interpolate the kernel at the nodes.
    void prepare_kernel(double delta) {
        const std::int64_t S = size;
        const std::int64_t half = S / 2 + 1;
        // The kernel on node offsets, laid out circularly (index a stands for offset a when
        // a < nodes, a - size otherwise).
        std::vector<double> offset2(static_cast<std::size_t>(S));
        for (std::int64_t a = 0; a < S; ++a) {
            const double o = double(a < nodes ? a : a - S) * delta;
            offset2[std::size_t(a)] = o * o;
        }
        parallel::for_each(S, [&](std::int64_t a) {
            double* row = kernel + a * S;
            const double oa = 1.0 + offset2[std::size_t(a)];
            for (std::int64_t b = 0; b < S; ++b) {
                const double w = 1.0 / (oa + offset2[std::size_t(b)]);
                row[b] = w * w;
            }
        });
        fftw_execute_dft_r2c(kernel_rows, kernel, kernel_hat);
        for (int h = 0; h < 2; ++h)
            fftw_execute_dft(columns_forward[h], kernel_hat + column_split[h], kernel_hat + column_split[h]);
        std::vector<double> inverse_symbol2(static_cast<std::size_t>(S));
        constexpr double two_pi = 6.283185307179586476925;
        for (std::int64_t a = 0; a < S; ++a) {
            const double theta = two_pi * double(a) / double(S);
            double b = spline_centre[0];
            for (std::size_t j = 1; j < spline_centre.size(); ++j) b += 2.0 * spline_centre[j] * std::cos(double(j) * theta);
            inverse_symbol2[std::size_t(a)] = 1.0 / (b * b);
        }
        const double norm = 1.0 / double(S * S);
        parallel::for_each(S, [&](std::int64_t r) {
            for (std::int64_t col = 0; col < half; ++col)
                multiplier[std::size_t(r * half + col)] = kernel_hat[r * half + col][0] * norm *
                                                          inverse_symbol2[std::size_t(r)] *
                                                          inverse_symbol2[std::size_t(col)];
        });
        kernel_delta = delta;
    }

    double compute(const double* Y, std::int64_t n, double* out) {
        switch (order) {
        case 2: return compute_with<2>(Y, n, out);
        case 4: return compute_with<4>(Y, n, out);
        case 6: return compute_with<6>(Y, n, out);
        default: return compute_with<8>(Y, n, out);
        }
    }

    template <int P>
    double compute_with(const double* Y, std::int64_t n, double* out) {
        if (n == 0) return 0.0;
        double lo = Y[0];
        double hi = Y[0];
        bool finite = true;
        for (std::int64_t e = 0; e < 2 * n; ++e) {
            finite = finite && std::isfinite(Y[e]);
            lo = std::min(lo, Y[e]);
            hi = std::max(hi, Y[e]);
        }
        if (!finite || !std::isfinite(lo) || !std::isfinite(hi) || hi - lo > 1e7)
            throw std::runtime_error("t-SNE diverged (embedding range " + std::to_string(hi - lo) +
                                     "): lower the learning rate or the exaggeration");
        // Coordinates relative to the box centre keep the charges y small.
        const double centre = 0.5 * (lo + hi);
        const double range = std::max(hi - lo, 1e-6);
        const int want = nodes_for(range);
        if (want > max_nodes)
            throw std::runtime_error("FFT grid too large for this embedding (check grid_fits() first)");
        prepare(want);
        // A narrow embedding spans the grid's inner nodes at a finer spacing. A wide one gets
        // nodes exactly 1 / per_unit apart around its centre: the spacing, hence the kernel and
        // its transform, then stay the same until the grid has to grow.
        const double inner = double(nodes - P - 1);
        const bool fixed_spacing = span_for(range) > double(min_nodes);
        const double delta = fixed_spacing ? 1.0 / per_unit : range / inner;
        const double origin = -0.5 * double(nodes - 1) * delta;  // node 0, relative to the centre
        const std::int64_t S = size;

        // Each point's stencil: node m sits at origin + m delta; the point at
        // t = (y - origin) / delta covers nodes floor(t) - p/2 + 1 .. floor(t) + p/2 per axis.
        base.resize(std::size_t(2 * n));
        parallel::for_each(n, [&](std::int64_t i) {
            for (int a = 0; a < 2; ++a) {
                const double t = (Y[i * 2 + a] - centre - origin) / delta;
                base[std::size_t(i * 2 + a)] = std::clamp(int(std::floor(t)) - P / 2 + 1, 0, nodes - P);
            }
        });
        // The points in order of their first row (then of their index).
        row_start.assign(std::size_t(nodes + 1), 0);
        for (std::int64_t i = 0; i < n; ++i) ++row_start[std::size_t(base[std::size_t(i * 2)] + 1)];
        for (int r = 0; r < nodes; ++r) row_start[std::size_t(r + 1)] += row_start[std::size_t(r)];
        order_of.resize(std::size_t(n));
        {
            std::vector<std::int64_t> fill(row_start.begin(), row_start.end() - 1);
            for (std::int64_t i = 0; i < n; ++i) order_of[std::size_t(fill[std::size_t(base[std::size_t(i * 2)])]++)] = std::int32_t(i);
        }
        // One record per point in that order, so that the spreading and the interpolation stream
        // through memory: the weights of both axes, the centred coordinates, the second axis'
        // first node. Node b + k has weight M_p(t - (b + k) + p / 2) = M_p(u + p - 1 - k) when
        // b = floor(t) - p / 2 + 1 and u = t - floor(t).
        constexpr int R = 2 * P + 3;
        records.resize(std::size_t(n * R));
        parallel::for_each(n, [&](std::int64_t e) {
            const std::int64_t i = order_of[std::size_t(e)];
            double* rec = records.data() + e * R;
            double m[P];
            for (int a = 0; a < 2; ++a) {
                const double y = Y[i * 2 + a] - centre;
                const double t = (y - origin) / delta;
                // t - floor(t), and within [0, 1] should a point sit past the grid's edge.
                const double u = std::clamp(t - double(base[std::size_t(i * 2 + a)] + P / 2 - 1), 0.0, 1.0);
                bspline_values(P, u, m);
                for (int k = 0; k < P; ++k) rec[a * P + k] = m[P - 1 - k];
                rec[2 * P + a] = y;
            }
            rec[2 * P + 2] = double(base[std::size_t(i * 2 + 1)]);
        });

        // Spread the charges, one grid row at a time: a row gathers the points whose stencil
        // covers it, by first row and then index. Each row is summed by one thread in that
        // order, so the sums do not depend on the thread count, and rows balance across threads
        // however the points crowd.
        parallel::for_each_dynamic(nodes, [&](std::int64_t r) {
            double* __restrict row[terms];
            for (int c = 0; c < terms; ++c) {
                row[c] = charges[c] + r * S;
                std::memset(row[c], 0, std::size_t(nodes) * sizeof(double));
            }
            for (std::int64_t b = std::max<std::int64_t>(0, r - P + 1); b <= r; ++b) {
                const std::int64_t k0 = r - b;
                for (std::int64_t e = row_start[std::size_t(b)]; e < row_start[std::size_t(b + 1)]; ++e) {
                    const double* rec = records.data() + e * R;
                    const double w0 = rec[k0];
                    const double q[terms] = {w0, w0 * rec[2 * P], w0 * rec[2 * P + 1]};
                    const double* w1 = rec + P;
                    const std::int64_t m1 = std::int64_t(rec[2 * P + 2]);
                    for (int c = 0; c < terms; ++c)
                        for (int k1 = 0; k1 < P; ++k1) row[c][m1 + k1] += w1[k1] * q[c];
                }
            }
        });

        if (delta != kernel_delta) prepare_kernel(delta);
        const std::int64_t half = S / 2 + 1;
        // Rows forward, for each term and half.
        parallel::for_each(2 * terms, [&](std::int64_t job) {
            const int c = int(job / 2), h = int(job % 2);
            const std::int64_t r0 = row_split[h];
            fftw_execute_dft_r2c(rows_forward[h], charges[c] + r0 * S, spectra[c] + r0 * half);
        });
        // Columns: forward, times the kernel's multiplier, backward; for each term and half of
        // the columns. The padding rows of the spectrum are zeroed first (the row pass skipped them).
        parallel::for_each(2 * terms, [&](std::int64_t job) {
            const int c = int(job / 2), h = int(job % 2);
            const std::int64_t c0 = column_split[h], c1 = column_split[h + 1];
            fftw_complex* sp = spectra[c];
            for (std::int64_t r = nodes; r < S; ++r)
                std::memset(static_cast<void*>(sp + r * half + c0), 0, std::size_t(c1 - c0) * sizeof(fftw_complex));
            fftw_execute_dft(columns_forward[h], sp + c0, sp + c0);
            for (std::int64_t r = 0; r < S; ++r)
                for (std::int64_t col = c0; col < c1; ++col) {
                    const std::int64_t e = r * half + col;
                    const double m = multiplier[std::size_t(e)];
                    sp[e][0] *= m;
                    sp[e][1] *= m;
                }
            fftw_execute_dft(columns_backward[h], sp + c0, sp + c0);
        });
        // Rows backward, only those of the nodes.
        parallel::for_each(2 * terms, [&](std::int64_t job) {
            const int c = int(job / 2), h = int(job % 2);
            const std::int64_t r0 = row_split[h];
            fftw_execute_dft_c2r(rows_backward[h], spectra[c] + r0 * half, potentials[c] + r0 * S);
        });

        // Interpolate the potentials back to the points, in row order (the grid rows a point
        // reads are then mostly in cache).
        z.resize(std::size_t(n));
        parallel::for_each(n, [&](std::int64_t e) {
            const std::int64_t i = order_of[std::size_t(e)];
            const double* rec = records.data() + e * R;
            const double* w0 = rec;
            const double* w1 = rec + P;
            const std::int64_t m0 = base[std::size_t(i * 2)];
            const std::int64_t m1 = std::int64_t(rec[2 * P + 2]);
            double phi[terms] = {};
            for (int k0 = 0; k0 < P; ++k0)
                for (int c = 0; c < terms; ++c) {
                    const double* row = potentials[c] + (m0 + k0) * S + m1;
                    double s = 0.0;
                    for (int k1 = 0; k1 < P; ++k1) s += w1[k1] * row[k1];
                    phi[c] += w0[k0] * s;
                }
            const double y0 = rec[2 * P];
            const double y1 = rec[2 * P + 1];
            out[i * 2] = y0 * phi[0] - phi[1];
            out[i * 2 + 1] = y1 * phi[0] - phi[2];
            z[std::size_t(e)] = (1.0 + 2.0 * (y0 * y0 + y1 * y1)) * phi[0] - 2.0 * (y0 * phi[1] + y1 * phi[2]);
        });
        double total = 0.0;
        for (double v : z) total += v;
        return total - double(n);  // each point's own w_ii = 1 (z[i] is not Z_i; only the sum is)
    }
};

FftRepulsion::FftRepulsion(int spline_order, int min_nodes, double nodes_per_unit)
    : impl_(std::make_unique<Impl>()) {
    if (spline_order < 2 || spline_order > 8 || spline_order % 2 != 0)
        throw std::invalid_argument("FFT repulsion: spline order must be 2, 4, 6 or 8");
    impl_->order = spline_order;
    impl_->min_nodes = std::max(min_nodes, 2 * spline_order + 2);
    impl_->per_unit = nodes_per_unit;
    impl_->spline_centre = bspline_at_integers(spline_order);
}
FftRepulsion::FftRepulsion(FftRepulsion&&) noexcept = default;
FftRepulsion& FftRepulsion::operator=(FftRepulsion&&) noexcept = default;
FftRepulsion::~FftRepulsion() = default;

double FftRepulsion::compute(const double* Y, std::int64_t n, double* out) { return impl_->compute(Y, n, out); }

bool FftRepulsion::grid_fits(const double* Y, std::int64_t n) const {
    if (n == 0) return true;
    double lo = Y[0], hi = Y[0];
    for (std::int64_t e = 1; e < 2 * n; ++e) {
        lo = std::min(lo, Y[e]);
        hi = std::max(hi, Y[e]);
    }
    if (!std::isfinite(lo) || !std::isfinite(hi)) return true;  // compute() reports the divergence
    const double range = std::max(hi - lo, 1e-6);
    if (range > 1e7) return true;
    return impl_->nodes_for(range) <= max_nodes;
}

int FftRepulsion::last_nodes() const { return impl_->nodes; }

}  // namespace latentscape::reduce::tsne::internal
