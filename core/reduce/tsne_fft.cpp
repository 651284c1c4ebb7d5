// FFT-accelerated interpolation of t-SNE's repulsion in 2-D (Linderman, Rachh, Hoskins,
// Steinerberger & Kluger 2019). The squared Cauchy kernel K(y, z) = 1 / (1 + |y - z|^2)^2 is
// replaced by its Lagrange interpolant on a uniform grid: charges spread from the points to the
// grid nodes of their interval, the node-to-node sums are a convolution with a Toeplitz kernel
// (done by FFT on a grid twice the size, so it does not wrap around), and the potentials are
// interpolated back. Three charges (1, y1, y2) give the forces sum_j K (y_i - y_j) = y_i phi_1 -
// phi_y. FIt-SNE adds a fourth (|y|^2) for Z = sum_ij K (1 + |y_i - y_j|^2); but the
// interpolated kernel is symmetric, so sum_ij K |y_j|^2 = sum_i |y_i|^2 phi_1(i), and the total
// needs no fourth transform: Z = sum_i (1 + 2 |y_i|^2) phi_1(i) - 2 y_i . phi_y(i) - n.
#include "reduce/tsne_internal.h"

#include "common/parallel.h"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <mutex>
#include <stdexcept>

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
// Grid nodes per dimension at most: ~570 MB of buffers at 1,600 (an embedding 400 units wide
// with 4 nodes per interval). Wider embeddings use Barnes-Hut instead (tsne.cpp).
constexpr int max_nodes = 1600;

}  // namespace

struct FftRepulsion::Impl {
    int points = 3;           // interpolation nodes per interval
    int min_intervals = 50;
    double per_unit = 1.0;

    int intervals = 0;        // per dimension
    int nodes = 0;            // intervals * points
    int size = 0;             // 2 * nodes: the FFT grid (no wrap-around)
    double* kernel = nullptr; // size x size, real
    fftw_complex* kernel_hat = nullptr;
    double kernel_delta = -1.0;  // node spacing kernel_hat was computed for
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

    std::vector<double> denominators;        // of the Lagrange basis on nodes (k + 0.5) / points
    std::vector<std::int32_t> box;           // n x 2 interval indices
    std::vector<double> weights;             // n x 2 x points Lagrange weights
    std::vector<std::int32_t> order;         // points sorted by their first interval index
    std::vector<std::int64_t> row_start;     // intervals + 1
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

    // (Re)allocates the buffers and plans for a grid of `want` intervals per dimension.
    void prepare(int want) {
        if (want == intervals && size > 0) return;
        release();
        intervals = want;
        nodes = intervals * points;
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
            throw std::runtime_error("FFTW could not plan a transform");
    }

    void lagrange(double u, double* w) const {
        for (int k = 0; k < points; ++k) {
            double num = 1.0;
            for (int l = 0; l < points; ++l)
                if (l != k) num *= u - (l + 0.5) / points;
            w[k] = num / denominators[std::size_t(k)];
        }
    }

    double compute(const double* Y, std::int64_t n, double* out) {
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
        // Coordinates relative to the box centre keep the |y|^2 charges small.
        const double centre = 0.5 * (lo + hi);
        const double range = std::max(hi - lo, 1e-6);
        const int want = next_smooth(std::max(min_intervals, int(std::ceil(range * per_unit))));
        if (want * points > max_nodes)
            throw std::runtime_error("FFT grid too large for this embedding (check grid_fits() first)");
        prepare(want);
        // A narrow embedding gets min_intervals intervals spanning it exactly. A wide one gets
        // intervals of exactly 1 / per_unit around its centre: the node spacing, hence the kernel
        // and its transform, then stay the same until the grid has to grow.
        const bool fixed_spacing = range * per_unit > min_intervals;
        const double h = fixed_spacing ? 1.0 / per_unit : range / intervals;
        lo = fixed_spacing ? centre - 0.5 * intervals * h : lo;
        const double delta = h / points;
        const int P = points;
        const std::int64_t S = size;

        // Each point's interval and interpolation weights.
        box.resize(std::size_t(2 * n));
        weights.resize(std::size_t(2 * n * P));
        parallel::for_each(n, [&](std::int64_t i) {
            for (int a = 0; a < 2; ++a) {
                const double t = (Y[i * 2 + a] - lo) / h;
                const int b = std::clamp(int(t), 0, intervals - 1);
                box[std::size_t(i * 2 + a)] = b;
                lagrange(t - b, weights.data() + (i * 2 + a) * P);
            }
        });

        // Spread the charges. Points are grouped by their first interval index: each group writes
        // only its own `points` grid rows, so groups run in parallel, and within a group points
        // add in index order, so the sums do not depend on the thread count.
        row_start.assign(std::size_t(intervals + 1), 0);
        for (std::int64_t i = 0; i < n; ++i) ++row_start[std::size_t(box[std::size_t(i * 2)] + 1)];
        for (int b = 0; b < intervals; ++b) row_start[std::size_t(b + 1)] += row_start[std::size_t(b)];
        order.resize(std::size_t(n));
        {
            std::vector<std::int64_t> fill(row_start.begin(), row_start.end() - 1);
            for (std::int64_t i = 0; i < n; ++i) order[std::size_t(fill[std::size_t(box[std::size_t(i * 2)])]++)] = std::int32_t(i);
        }
        for (int c = 0; c < terms; ++c)
            for (int r = 0; r < nodes; ++r) std::memset(charges[c] + r * S, 0, std::size_t(nodes) * sizeof(double));
        parallel::for_each(intervals, [&](std::int64_t b) {
            for (std::int64_t e = row_start[std::size_t(b)]; e < row_start[std::size_t(b + 1)]; ++e) {
                const std::int64_t i = order[std::size_t(e)];
                const double y0 = Y[i * 2] - centre;
                const double y1 = Y[i * 2 + 1] - centre;
                const double q[terms] = {1.0, y0, y1};
                const double* w0 = weights.data() + (i * 2) * P;
                const double* w1 = weights.data() + (i * 2 + 1) * P;
                const std::int64_t m0 = std::int64_t(box[std::size_t(i * 2)]) * P;
                const std::int64_t m1 = std::int64_t(box[std::size_t(i * 2 + 1)]) * P;
                for (int k0 = 0; k0 < P; ++k0)
                    for (int k1 = 0; k1 < P; ++k1) {
                        const double w = w0[k0] * w1[k1];
                        const std::int64_t at = (m0 + k0) * S + m1 + k1;
                        for (int c = 0; c < terms; ++c) charges[c][at] += w * q[c];
                    }
            }
        });

        // The kernel on node offsets, laid out circularly (index a stands for offset a when
        // a < nodes, a - size otherwise), and its transform: recomputed only when the spacing or
        // the grid changed.
        const std::int64_t half = S / 2 + 1;
        if (delta != kernel_delta) {
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
            kernel_delta = delta;
        }
        const double norm = 1.0 / double(S * S);
        // Rows forward, for each term and half.
        parallel::for_each(2 * terms, [&](std::int64_t job) {
            const int c = int(job / 2), h = int(job % 2);
            const std::int64_t r0 = row_split[h];
            fftw_execute_dft_r2c(rows_forward[h], charges[c] + r0 * S, spectra[c] + r0 * half);
        });
        // Columns: forward, times the kernel's transform, backward; for each term and half of the
        // columns. The padding rows of the spectrum are zeroed first (the row pass skipped them).
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
                    const double re = sp[e][0] * kernel_hat[e][0] - sp[e][1] * kernel_hat[e][1];
                    const double im = sp[e][0] * kernel_hat[e][1] + sp[e][1] * kernel_hat[e][0];
                    sp[e][0] = re * norm;
                    sp[e][1] = im * norm;
                }
            fftw_execute_dft(columns_backward[h], sp + c0, sp + c0);
        });
        // Rows backward, only those of the nodes.
        parallel::for_each(2 * terms, [&](std::int64_t job) {
            const int c = int(job / 2), h = int(job % 2);
            const std::int64_t r0 = row_split[h];
            fftw_execute_dft_c2r(rows_backward[h], spectra[c] + r0 * half, potentials[c] + r0 * S);
        });

        // Interpolate the potentials back to the points.
        z.resize(std::size_t(n));
        parallel::for_each(n, [&](std::int64_t i) {
            const double* w0 = weights.data() + (i * 2) * P;
            const double* w1 = weights.data() + (i * 2 + 1) * P;
            const std::int64_t m0 = std::int64_t(box[std::size_t(i * 2)]) * P;
            const std::int64_t m1 = std::int64_t(box[std::size_t(i * 2 + 1)]) * P;
            double phi[terms] = {};
            for (int k0 = 0; k0 < P; ++k0)
                for (int k1 = 0; k1 < P; ++k1) {
                    const double w = w0[k0] * w1[k1];
                    const std::int64_t at = (m0 + k0) * S + m1 + k1;
                    for (int c = 0; c < terms; ++c) phi[c] += w * potentials[c][at];
                }
            const double y0 = Y[i * 2] - centre;
            const double y1 = Y[i * 2 + 1] - centre;
            out[i * 2] = y0 * phi[0] - phi[1];
            out[i * 2 + 1] = y1 * phi[0] - phi[2];
            z[std::size_t(i)] = (1.0 + 2.0 * (y0 * y0 + y1 * y1)) * phi[0] - 2.0 * (y0 * phi[1] + y1 * phi[2]);
        });
        double total = 0.0;
        for (double v : z) total += v;
        return total - double(n);  // each point's own w_ii = 1 (z[i] is not Z_i; only the sum is)
    }
};

FftRepulsion::FftRepulsion(int interpolation_points, int min_intervals, double intervals_per_unit)
    : impl_(std::make_unique<Impl>()) {
    impl_->points = interpolation_points;
    impl_->min_intervals = min_intervals;
    impl_->per_unit = intervals_per_unit;
    impl_->denominators.resize(std::size_t(interpolation_points));
    for (int k = 0; k < interpolation_points; ++k) {
        double den = 1.0;
        for (int l = 0; l < interpolation_points; ++l)
            if (l != k) den *= double(k - l) / interpolation_points;
        impl_->denominators[std::size_t(k)] = den;
    }
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
    if (range * impl_->per_unit > 1e7) return true;
    const int want = next_smooth(std::max(impl_->min_intervals, int(std::ceil(range * impl_->per_unit))));
    return want * impl_->points <= max_nodes;
}

int FftRepulsion::last_intervals() const { return impl_->intervals; }

}  // namespace latentscape::reduce::tsne::internal
