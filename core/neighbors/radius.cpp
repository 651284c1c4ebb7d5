// Exact radius queries and k-th-neighbour distances (see neighbors/radius.h).
#include "neighbors/radius.h"

#include "common/distance.h"

#include "common/parallel.h"

// GCC 12 reports false "may be used uninitialized" warnings inside Eigen's AVX-512 GEMM kernels
// once they are inlined here (a known GCC/Eigen issue); CI builds with -Werror.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <Eigen/Core>
#include <nanoflann.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace latentscape::neighbors {
namespace {

/// Squared distance in double, coordinates in index order (common/distance.h): the value
/// every decision uses, summed in the same order as scikit-learn's trees.
inline double exact_distance2(const float* a, const float* b, std::int64_t d) { return squared_distance_sequential(a, b, d); }

/// nanoflann dataset adaptor over the row-major float matrix (no copy).
struct RowMajorCloud {
    const float* X;
    std::int64_t n;
    std::int64_t d;
    std::size_t kdtree_get_point_count() const { return std::size_t(n); }
    float kdtree_get_pt(std::uint32_t i, std::size_t j) const { return X[std::int64_t(i) * d + std::int64_t(j)]; }
    template <class Box>
    bool kdtree_get_bbox(Box&) const { return false; }
};

/// Euclidean metric for nanoflann that computes in double (nanoflann's L2 adaptor subtracts in
/// float, which would make the kd-tree and brute-force paths disagree at the eps boundary).
struct ExactL2 {
    using ElementType = float;
    using DistanceType = double;
    const RowMajorCloud& cloud;
    explicit ExactL2(const RowMajorCloud& c) : cloud(c) {}
    double evalMetric(const float* a, std::uint32_t b, std::size_t size) const {
        return exact_distance2(a, cloud.X + std::int64_t(b) * cloud.d, std::int64_t(size));
    }
    template <class U, class V>
    double accum_dist(U a, V b, std::size_t) const {
        const double t = double(a) - double(b);
        return t * t;
    }
};

template <int Dim>
using KdTree = nanoflann::KDTreeSingleIndexAdaptor<ExactL2, RowMajorCloud, Dim, std::uint32_t>;

/// nanoflann result set that collects indices with distance^2 <= radius2 (scikit-learn includes
/// the boundary; nanoflann's own RadiusResultSet excludes it). worstDist() is a hair larger so
/// that the rounding of nanoflann's incremental box distances can never prune a subtree that
/// holds a boundary point; addPoint() then applies the exact test.
struct InclusiveRadius {
    double radius2;
    double prune;
    std::vector<std::int32_t>* out;
    std::size_t found = 0;
    bool addPoint(double dist2, std::uint32_t index) {
        if (dist2 <= radius2) {
            out->push_back(std::int32_t(index));
            ++found;
        }
        return true;
    }
    double worstDist() const { return prune; }
    bool full() const { return true; }
    std::size_t size() const { return found; }
};

/// Moves the per-point lists of one block into its compact form, dropping short lists.
void store_block(std::vector<std::vector<std::int32_t>>& lists, std::int64_t first, std::int32_t keep_from,
                 RadiusNeighbors& out, std::int64_t block) {
    RadiusNeighbors::Block& dst = out.blocks[std::size_t(block)];
    dst.start.assign(lists.size() + 1, 0);
    std::size_t total = 0;
    for (std::size_t k = 0; k < lists.size(); ++k) {
        const auto count = std::int32_t(lists[k].size());
        out.counts[std::size_t(first) + k] = count;
        if (count >= keep_from) total += lists[k].size();
    }
    dst.ids.reserve(total);
    for (std::size_t k = 0; k < lists.size(); ++k) {
        if (std::int32_t(lists[k].size()) >= keep_from) dst.ids.insert(dst.ids.end(), lists[k].begin(), lists[k].end());
        dst.start[k + 1] = std::int64_t(dst.ids.size());
    }
}

template <int Dim>
RadiusNeighbors radius_kd(const float* X, std::int64_t n, std::int64_t d, double radius2, std::int32_t keep_from) {
    RowMajorCloud cloud{X, n, d};
    KdTree<Dim> tree(std::size_t(d), cloud, nanoflann::KDTreeSingleIndexAdaptorParams(16));
    RadiusNeighbors out;
    out.counts.assign(std::size_t(n), 0);
    out.blocks.resize(std::size_t((n + kNeighborBlock - 1) / kNeighborBlock));
    // The points are copied in the tree's leaf order and the tree is pointed at the copy with an
    // identity permutation: a leaf is then a contiguous run of rows, consecutive queries (made in
    // that order) walk the same nodes, and the indices found are directly slots.
    std::vector<std::uint32_t>& order = tree.vAcc;
    out.slot.resize(std::size_t(n));
    std::vector<float> sorted(static_cast<std::size_t>(n * d));
    for (std::int64_t s = 0; s < n; ++s) {
        out.slot[order[std::size_t(s)]] = std::int32_t(s);
        std::copy_n(X + std::int64_t(order[std::size_t(s)]) * d, d, sorted.data() + s * d);
        order[std::size_t(s)] = std::uint32_t(s);
    }
    cloud.X = sorted.data();
    const double prune = radius2 * (1 + 1e-9) + std::numeric_limits<double>::denorm_min();
    internal::for_each_block(n, 64 * d, [&](std::int64_t b, std::int64_t first, std::int64_t last) {
        // Results go straight into the block's list array; a short list is dropped again.
        RadiusNeighbors::Block& dst = out.blocks[std::size_t(b)];
        dst.start.assign(std::size_t(last - first + 1), 0);
        for (std::int64_t s = first; s < last; ++s) {
            const std::size_t begin = dst.ids.size();
            InclusiveRadius result{radius2, prune, &dst.ids};
            tree.findNeighbors(result, sorted.data() + s * d, nanoflann::SearchParams(32, 0.0f, false));
            out.counts[std::size_t(s)] = std::int32_t(result.size());
            if (std::int32_t(result.size()) < keep_from) dst.ids.resize(begin);
            dst.start[std::size_t(s - first + 1)] = std::int64_t(dst.ids.size());
        }
    });
    return out;
}

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// Reference points per GEMM tile of the brute force (with kNeighborBlock query rows: 2 MB).
constexpr std::int64_t kReferenceBlock = 2048;

/// Squared norms in double, for the GEMM filter.
std::vector<double> squared_norms(const float* X, std::int64_t n, std::int64_t d) {
    std::vector<double> norms(static_cast<std::size_t>(n));
    parallel::for_each(
        n,
        [&](std::int64_t i) {
            double s = 0;
            for (std::int64_t j = 0; j < d; ++j) s += double(X[i * d + j]) * double(X[i * d + j]);
            norms[std::size_t(i)] = s;
        },
        n * d > 100000);
    return norms;
}

/// Bound on |approximate - exact| squared distance per unit of |x|^2 + |y|^2, where approximate =
/// |x|^2 + |y|^2 - 2 x.y with the dot product from a float32 GEMM: the dot product's error is at
/// most gamma_d |x||y| <= gamma_d (|x|^2 + |y|^2) / 2 with gamma_d ~ d 2^-24, doubled by the
/// factor 2; four times that leaves room for the double-precision terms. Pairs the filter cannot
/// decide are recomputed exactly, so the brute force is exact and matches the kd-tree.
double filter_slack(std::int64_t d) { return 4.0 * double(d + 2) * 0x1p-24; }

/// Calls visit(i, j, approximate_distance2, slack) for every query i in [first, last) and every
/// point j, one float32 GEMM tile at a time.
template <class Visit>
void brute_tiles(const float* X, std::int64_t n, std::int64_t d, const std::vector<double>& norms, std::int64_t first,
                 std::int64_t last, Visit&& visit) {
    const Eigen::Map<const RowMatrix> A(X, n, d);
    const double slack = filter_slack(d);
    RowMatrix dots;
    for (std::int64_t r0 = 0; r0 < n; r0 += kReferenceBlock) {
        const std::int64_t rb = std::min(kReferenceBlock, n - r0);
        dots.noalias() = A.middleRows(first, last - first) * A.middleRows(r0, rb).transpose();
        for (std::int64_t i = first; i < last; ++i) {
            const float* row = dots.data() + (i - first) * rb;
            const double ni = norms[std::size_t(i)];
            for (std::int64_t j = 0; j < rb; ++j) {
                const double nj = norms[std::size_t(r0 + j)];
                visit(i, r0 + j, ni + nj - 2.0 * double(row[j]), slack * (ni + nj));
            }
        }
    }
}

RadiusNeighbors radius_brute(const float* X, std::int64_t n, std::int64_t d, double radius2, std::int32_t keep_from) {
    const std::vector<double> norms = squared_norms(X, n, d);
    RadiusNeighbors out;
    out.counts.assign(std::size_t(n), 0);
    out.blocks.resize(std::size_t((n + kNeighborBlock - 1) / kNeighborBlock));
    internal::for_each_block(n, n * d, [&](std::int64_t b, std::int64_t first, std::int64_t last) {
        std::vector<std::vector<std::int32_t>> lists(std::size_t(last - first));
        brute_tiles(X, n, d, norms, first, last, [&](std::int64_t i, std::int64_t j, double approx, double slack) {
            if (approx <= radius2 + slack && exact_distance2(X + i * d, X + j * d, d) <= radius2)
                lists[std::size_t(i - first)].push_back(std::int32_t(j));
        });
        store_block(lists, first, keep_from, out, b);
    });
    return out;
}

template <int Dim>
std::vector<float> kth_kd(const float* X, std::int64_t n, std::int64_t d, int k) {
    const RowMajorCloud cloud{X, n, d};
    const KdTree<Dim> tree(std::size_t(d), cloud, nanoflann::KDTreeSingleIndexAdaptorParams(16));
    std::vector<float> out(static_cast<std::size_t>(n));
    internal::for_each_block(n, 64 * d, [&](std::int64_t, std::int64_t first, std::int64_t last) {
        std::vector<std::uint32_t> idx(static_cast<std::size_t>(k));
        std::vector<double> dist2(static_cast<std::size_t>(k));
        for (std::int64_t i = first; i < last; ++i) {
            const std::size_t found = tree.knnSearch(X + i * d, std::size_t(k), idx.data(), dist2.data());
            out[std::size_t(i)] = float(std::sqrt(dist2[found - 1]));
        }
    });
    return out;
}

std::vector<float> kth_brute(const float* X, std::int64_t n, std::int64_t d, int k) {
    const std::vector<double> norms = squared_norms(X, n, d);
    std::vector<float> out(static_cast<std::size_t>(n));
    internal::for_each_block(n, n * d, [&](std::int64_t, std::int64_t first, std::int64_t last) {
        // Per query, a max-heap of the k smallest exact squared distances seen so far; a pair is
        // computed exactly only when the filter cannot rule it out.
        std::vector<std::vector<double>> heaps(std::size_t(last - first));
        for (auto& h : heaps) h.reserve(std::size_t(k));
        brute_tiles(X, n, d, norms, first, last, [&](std::int64_t i, std::int64_t j, double approx, double slack) {
            auto& h = heaps[std::size_t(i - first)];
            if (h.size() == std::size_t(k) && approx - slack >= h.front()) return;
            const double exact = exact_distance2(X + i * d, X + j * d, d);
            if (h.size() < std::size_t(k)) {
                h.push_back(exact);
                std::push_heap(h.begin(), h.end());
            } else if (exact < h.front()) {
                std::pop_heap(h.begin(), h.end());
                h.back() = exact;
                std::push_heap(h.begin(), h.end());
            }
        });
        for (std::int64_t i = first; i < last; ++i) out[std::size_t(i)] = float(std::sqrt(heaps[std::size_t(i - first)].front()));
    });
    return out;
}

}  // namespace

RadiusNeighbors radius_neighbors(const float* X, std::int64_t n, std::int64_t d, double radius2,
                                 std::int32_t keep_from, bool kd_tree) {
    if (!kd_tree) return radius_brute(X, n, d, radius2, keep_from);
    if (d == 2) return radius_kd<2>(X, n, d, radius2, keep_from);
    if (d == 3) return radius_kd<3>(X, n, d, radius2, keep_from);
    return radius_kd<-1>(X, n, d, radius2, keep_from);
}

std::vector<float> kth_distances(const float* X, std::int64_t n, std::int64_t d, int k, bool kd_tree) {
    if (!kd_tree) return kth_brute(X, n, d, k);
    if (d == 2) return kth_kd<2>(X, n, d, k);
    if (d == 3) return kth_kd<3>(X, n, d, k);
    return kth_kd<-1>(X, n, d, k);
}

}  // namespace latentscape::neighbors
