// The passes over the data behind PCA (see pca_kernels.h for the determinism rules).
// GCC 12 reports its own _mm512_undefined_ps() as maybe-uninitialized when Eigen's AVX-512
// products are inlined here (GCC bug 105593, fixed in 13): a false positive.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include "reduce/pca_kernels.h"

#include "common/parallel.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace latentscape::reduce::internal {
namespace {

/// Rows per block of a product whose output rows are independent (A W): any size is exact.
constexpr std::int64_t kTimesRows = 256;

/// Rows per block of a reduction over rows: about 8 M values (32 MB of float), at most 8192
/// rows, so that few blocks (and few barriers) are needed. Depends on d alone: the block sums
/// are added in block order, so the result does not depend on the thread count.
std::int64_t block_rows(std::int64_t d) { return std::clamp<std::int64_t>((std::int64_t(1) << 23) / d, 256, 8192); }

/// Splits [0, d) into `count` near-equal tiles (equal work per tile balances the threads).
struct Tiles {
    std::int64_t count, size;
    Tiles(std::int64_t d, std::int64_t wanted) : count(std::max<std::int64_t>(1, std::min(wanted, d))), size((d + count - 1) / count) {
        count = (d + size - 1) / size;
    }
    std::int64_t begin(std::int64_t t) const { return t * size; }
    std::int64_t width(std::int64_t t, std::int64_t d) const { return std::min(size, d - t * size); }
};

std::int64_t blocks(std::int64_t n, std::int64_t size) { return (n + size - 1) / size; }

/// Fills rows [r0, r0 + rows) of A into the first rows of buf, in parallel.
template <class Matrix>
void fill_block(const Standardized& a, std::int64_t r0, std::int64_t rows, Matrix& buf) {
    parallel::for_each(rows, [&](std::int64_t i) { a.row(r0 + i, buf.row(i).data()); }, rows * a.d > 32768);
}

template <class S>
Eigen::MatrixXd gram_in(const Standardized& a) {
    using Block = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    using Tile = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>;
    const std::int64_t d = a.d;
    // Tiles of about 400 columns: large enough for Eigen's product kernels to run near their
    // peak (tiles of 128 reached ~60% of it: each product packs its panels again). The diagonal
    // tiles are symmetric rank updates (half the work of a product); the off-diagonal ones, the
    // upper triangle I < J, are products. The costlier products go first; threads take the next
    // tile as they finish one (784 columns: one product and two rank updates, even on 2 threads).
    const Tiles cut(d, (d + 399) / 400);
    struct Task {
        std::int64_t I, J;
    };
    std::vector<Task> tasks;
    for (std::int64_t I = 0; I < cut.count; ++I)
        for (std::int64_t J = I + 1; J < cut.count; ++J) tasks.push_back({I, J});
    for (std::int64_t I = 0; I < cut.count; ++I) tasks.push_back({I, I});
    Eigen::MatrixXd G = Eigen::MatrixXd::Zero(d, d);
    const std::int64_t B = block_rows(d);
    Block buf(std::min(B, a.n), d);
    std::vector<Tile> tmp(tasks.size());
    for (std::int64_t r0 = 0; r0 < a.n; r0 += B) {
        const std::int64_t rows = std::min(B, a.n - r0);
        fill_block(a, r0, rows, buf);
        // Each tile's sum depends on its shape and the block only, never on the thread that
        // computes it: Eigen runs a product sequentially inside a parallel region.
        parallel::for_each_dynamic(std::int64_t(tasks.size()), [&](std::int64_t t) {
            const Task task = tasks[std::size_t(t)];
            const std::int64_t I = cut.begin(task.I), J = cut.begin(task.J);
            const std::int64_t bi = cut.width(task.I, d), bj = cut.width(task.J, d);
            Tile& p = tmp[std::size_t(t)];
            if (task.I == task.J) {
                p.setZero(bi, bi);
                p.template selfadjointView<Eigen::Lower>().rankUpdate(buf.block(0, I, rows, bi).transpose());
                G.block(I, I, bi, bi).template triangularView<Eigen::Lower>() += p.template cast<double>();
            } else {
                p.noalias() = buf.block(0, I, rows, bi).transpose() * buf.block(0, J, rows, bj);
                G.block(I, J, bi, bj) += p.template cast<double>();
            }
        });
    }
    // Diagonal tiles hold their lower triangle, the others sit above the diagonal: mirror both.
    for (std::int64_t I = 0; I < cut.count; ++I) {
        auto tile = G.block(cut.begin(I), cut.begin(I), cut.width(I, d), cut.width(I, d));
        tile.template triangularView<Eigen::StrictlyUpper>() = tile.transpose();
    }
    G.triangularView<Eigen::StrictlyLower>() = G.transpose();
    return G;
}

}  // namespace

std::int64_t first_non_finite_row(const float* X, std::int64_t n, std::int64_t d) {
    const std::int64_t row = parallel::first_index_where(n, [&](std::int64_t i) {
        const float* x = X + i * d;
        for (std::int64_t j = 0; j < d; ++j)
            if (!std::isfinite(x[j])) return true;
        return false;
    });
    return row < n ? row : -1;
}

ColumnStats column_stats(const float* X, std::int64_t n, std::int64_t d, bool center) {
    const std::int64_t B = block_rows(d), nb = blocks(n, B);
    const auto ud = std::size_t(d);
    std::vector<double> partial(std::size_t(nb) * ud);
    ColumnStats s;
    s.mean.assign(ud, 0.0);
    s.squares.assign(ud, 0.0);
    // Per-block partial sums, then added in block order: exact whatever the thread count.
    auto pass = [&](auto&& term, std::vector<double>& total) {
        parallel::for_each(nb, [&](std::int64_t b) {
            double* p = partial.data() + std::size_t(b) * ud;
            std::fill(p, p + ud, 0.0);
            const std::int64_t end = std::min(n, (b + 1) * B);
            for (std::int64_t i = b * B; i < end; ++i) {
                const float* x = X + i * d;
                for (std::size_t j = 0; j < ud; ++j) p[j] += term(double(x[j]), j);
            }
        });
        for (std::int64_t b = 0; b < nb; ++b)
            for (std::size_t j = 0; j < ud; ++j) total[j] += partial[std::size_t(b) * ud + j];
    };
    if (center) {
        pass([](double x, std::size_t) { return x; }, s.mean);
        for (double& m : s.mean) m /= double(n);
    }
    const std::vector<double>& mean = s.mean;
    pass([&](double x, std::size_t j) { return (x - mean[j]) * (x - mean[j]); }, s.squares);
    return s;
}

Eigen::MatrixXd gram(const Standardized& a, bool in_double) {
    return in_double ? gram_in<double>(a) : gram_in<float>(a);
}

Eigen::MatrixXd transpose_times(const Standardized& a, const Eigen::MatrixXf& Y) {
    const std::int64_t d = a.d, m = Y.cols();
    // A multiple of 8 tiles of about 100 rows of the output: even work on 2, 4 or 8 threads.
    const Tiles cut(d, 8 * ((d + 799) / 800));
    Eigen::MatrixXd Z = Eigen::MatrixXd::Zero(d, m);
    const std::int64_t B = block_rows(d);
    RowMatrixF buf(std::min(B, a.n), d);
    std::vector<Eigen::MatrixXf> tmp(static_cast<std::size_t>(parallel::max_threads()));
    for (std::int64_t r0 = 0; r0 < a.n; r0 += B) {
        const std::int64_t rows = std::min(B, a.n - r0);
        fill_block(a, r0, rows, buf);
        parallel::for_each_with_thread(cut.count, [&](int thread, std::int64_t t) {
            const std::int64_t I = cut.begin(t), bi = cut.width(t, d);
            Eigen::MatrixXf& p = tmp[std::size_t(thread)];
            p.noalias() = buf.block(0, I, rows, bi).transpose() * Y.middleRows(r0, rows);
            Z.middleRows(I, bi) += p.cast<double>();
        });
    }
    return Z;
}

namespace {
template <class Out>
void times_into(const Standardized& a, const Eigen::MatrixXf& W, Out& out) {
    const std::int64_t nb = blocks(a.n, kTimesRows);
    std::vector<RowMatrixF> bufs(static_cast<std::size_t>(parallel::max_threads()));
    parallel::for_each_with_thread(nb, [&](int thread, std::int64_t b) {
        const std::int64_t r0 = b * kTimesRows, rows = std::min(kTimesRows, a.n - r0);
        // A row's scores must not depend on where it sits (a transform of shards equals one of all
        // the rows, bit for bit): Eigen's product computes whole panels of rows one way and a
        // remainder of 1-3 rows, or a tiny product, another. So the block is padded with zero rows
        // to a multiple of 8, and to at least 24 (rows + columns + depth below 20 is a
        // coefficient-wise product).
        const std::int64_t padded = std::max<std::int64_t>((rows + 7) / 8 * 8, 24);
        RowMatrixF& buf = bufs[std::size_t(thread)];
        buf.resize(padded, a.d);
        for (std::int64_t i = 0; i < rows; ++i) a.row(r0 + i, buf.row(i).data());
        if (padded == rows) {
            out.middleRows(r0, rows).noalias() = buf * W;
            return;
        }
        buf.bottomRows(padded - rows).setZero();
        const RowMatrixF scores = buf * W;
        out.middleRows(r0, rows) = scores.topRows(rows);
    });
}
}  // namespace

void times(const Standardized& a, const Eigen::MatrixXf& W, Eigen::MatrixXf& out) {
    out.resize(a.n, W.cols());
    times_into(a, W, out);
}

void times(const Standardized& a, const Eigen::MatrixXf& W, float* out) {
    Eigen::Map<RowMatrixF> map(out, a.n, W.cols());
    times_into(a, W, map);
}

}  // namespace latentscape::reduce::internal
