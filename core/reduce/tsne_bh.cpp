// Barnes-Hut repulsion: a flat quadtree/octree rebuilt on every call, then one independent
// traversal per point. The tree is built sequentially (so its shape, and every rounding in it,
// depends on Y only); the traversals run in parallel but each writes only its own point's sums.
#include "reduce/tsne_bh.h"

#include "common/parallel.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

namespace latentscape::reduce::tsne::internal {
namespace {

/// A cell with this many points or fewer is a leaf. Visiting a few points directly is cheaper
/// than descending into nodes for them, and it is never less accurate: a leaf that is far enough
/// still stands for its points as a whole.
constexpr std::int32_t leaf_capacity = 48;

/// Cells stop splitting at this depth. Only coincident (or, relative to the root's size, nearly
/// coincident) points get here; they then share one leaf, which is visited point by point.
constexpr int max_depth = 60;

/// Leaves are visited this many points at a time, in SIMD registers. Lane sums are added in a
/// fixed order, so the result still depends on Y only.
constexpr int lanes = 4;
using Lanes = double __attribute__((vector_size(lanes * sizeof(double))));
using Mask = std::int64_t __attribute__((vector_size(lanes * sizeof(std::int64_t))));
static_assert(lanes == 4, "lane_index below lists the lanes");
constexpr Mask lane_index = {0, 1, 2, 3};

/// Below this many points the threads cost more than they save (the result is the same).
constexpr std::int64_t parallel_threshold = 512;

}  // namespace

template <int D>
void BarnesHutRepulsion::build(std::int32_t node, const double* centre, double half, int depth) {
    const auto n = std::size_t(order_.size());
    const std::int32_t begin = nodes_[std::size_t(node)].begin;
    const std::int32_t count = nodes_[std::size_t(node)].count;
    nodes_[std::size_t(node)].side_sq = 4.0 * half * half;

    if (count <= leaf_capacity || depth >= max_depth || !(half > 0.0)) {
        double sum[D] = {};
        for (std::int32_t m = begin; m < begin + count; ++m)
            for (int a = 0; a < D; ++a) sum[a] += sorted_[std::size_t(a) * n + std::size_t(m)];
        Node& leaf = nodes_[std::size_t(node)];
        for (int a = 0; a < 3; ++a) leaf.com[a] = a < D ? sum[a] / double(count) : 0.0;
        leaf.first_child = -1;
        leaf.child_count = 0;
        return;
    }

    // Split the range into the 2^D children (child q has bit a set when its points are >= the
    // centre on axis a) by halving it on the highest axis first, then the next, so the children
    // end up in order of q. Rows of sorted_ and order_ move together.
    constexpr int children = 1 << D;
    std::int32_t bounds[children + 1];
    bounds[0] = begin;
    bounds[children] = begin + count;
    for (int axis = D - 1, stride = children; axis >= 0; --axis, stride /= 2) {
        for (int q = 0; q < children; q += stride) {
            std::int32_t lo = bounds[q], hi = bounds[q + stride];
            const double c = centre[axis];
            const double* coord = sorted_.data() + std::size_t(axis) * n;
            // Hoare-style: lo scans for a high point, hi for a low one, and they swap.
            while (true) {
                while (lo < hi && coord[lo] < c) ++lo;
                while (lo < hi && !(coord[hi - 1] < c)) --hi;
                if (lo >= hi) break;
                --hi;
                for (int a = 0; a < D; ++a)
                    std::swap(sorted_[std::size_t(a) * n + std::size_t(lo)], sorted_[std::size_t(a) * n + std::size_t(hi)]);
                std::swap(order_[std::size_t(lo)], order_[std::size_t(hi)]);
                ++lo;
            }
            bounds[q + stride / 2] = lo;
        }
    }

    // Children are appended as one block before any of them is split, so they are contiguous.
    // nodes_ may reallocate below: only indices are kept across the recursive calls.
    const auto first_child = std::int32_t(nodes_.size());
    std::int32_t child_count = 0;
    std::int32_t quadrant[children];
    for (int q = 0; q < children; ++q) {
        if (bounds[q + 1] == bounds[q]) continue;
        Node child{};
        child.begin = bounds[q];
        child.count = bounds[q + 1] - bounds[q];
        nodes_.push_back(child);
        quadrant[child_count++] = q;
    }
    nodes_[std::size_t(node)].first_child = first_child;
    nodes_[std::size_t(node)].child_count = child_count;

    const double child_half = 0.5 * half;
    double sum[D] = {};
    for (std::int32_t t = 0; t < child_count; ++t) {
        double child_centre[D];
        for (int a = 0; a < D; ++a)
            child_centre[a] = centre[a] + ((quadrant[t] >> a) & 1 ? child_half : -child_half);
        build<D>(first_child + t, child_centre, child_half, depth + 1);
        const Node& child = nodes_[std::size_t(first_child + t)];
        for (int a = 0; a < D; ++a) sum[a] += double(child.count) * child.com[a];
    }
    Node& self = nodes_[std::size_t(node)];
    for (int a = 0; a < 3; ++a) self.com[a] = a < D ? sum[a] / double(count) : 0.0;
}

template <int D>
double BarnesHutRepulsion::compute_impl(const double* Y, std::int64_t n, double theta, double* out) {
    // The root is the cube around the bounding box. Halves of min and max rather than their
    // difference, so that a very wide spread cannot overflow.
    double lo[D], hi[D];
    for (int a = 0; a < D; ++a) lo[a] = hi[a] = Y[a];
    for (std::int64_t i = 1; i < n; ++i)
        for (int a = 0; a < D; ++a) {
            lo[a] = std::min(lo[a], Y[i * D + a]);
            hi[a] = std::max(hi[a], Y[i * D + a]);
        }
    double centre[D];
    double half = 0.0;
    for (int a = 0; a < D; ++a) {
        centre[a] = 0.5 * lo[a] + 0.5 * hi[a];
        half = std::max(half, 0.5 * hi[a] - 0.5 * lo[a]);
    }

    order_.resize(std::size_t(n));
    sorted_.resize(std::size_t(n) * D);
    for (std::int64_t i = 0; i < n; ++i) order_[std::size_t(i)] = std::int32_t(i);
    for (std::int64_t i = 0; i < n; ++i)
        for (int a = 0; a < D; ++a) sorted_[std::size_t(a * n + i)] = Y[i * D + a];
    nodes_.clear();
    Node root{};
    root.begin = 0;
    root.count = std::int32_t(n);
    nodes_.push_back(root);
    build<D>(0, centre, half, 0);

    // Points are visited in tree order, so one thread's consecutive points are neighbours and
    // walk mostly the same nodes (cache). Each visit writes only its own point's outputs.
    z_per_point_.resize(std::size_t(n));
    const double theta_sq = theta * theta;
    const Node* nodes = nodes_.data();
    const double* pts = sorted_.data();
    const std::int32_t* order = order_.data();
    double* z_out = z_per_point_.data();
    parallel::for_each(
        n,
        [&](std::int64_t k) {
            // Depth-first, each pop pushes at most 2^D children: the stack never exceeds this.
            constexpr int stack_size = max_depth * ((1 << D) - 1) + 2;
            std::int32_t stack[stack_size];
            double yi[D], f[D] = {};
            const double* axis[D];
            for (int a = 0; a < D; ++a) {
                axis[a] = pts + a * n;
                yi[a] = axis[a][k];
            }
            double z = 0.0;
            Lanes z_lanes = {}, f_lanes[D] = {};

            // `skip` is k in y_i's own leaf (whose SIMD blocks then zero y_i's w exactly, rather
            // than subtract it from Z afterwards, which would cost the precision of a small Z_i).
            const auto visit_points = [&](const Node& leaf, std::int64_t skip) {
                std::int64_t m = leaf.begin;
                const std::int64_t end = m + leaf.count;
                for (; m + lanes <= end; m += lanes) {
                    Lanes diff[D], r2 = {};
                    for (int a = 0; a < D; ++a) {
                        // memcpy: an unaligned load (no function returning a vector, whose ABI
                        // would differ between -march levels).
                        std::memcpy(&diff[a], axis[a] + m, sizeof(Lanes));
                        diff[a] = yi[a] - diff[a];
                        r2 += diff[a] * diff[a];
                    }
                    // All bits kept except in y_i's lane, which becomes +0 (a branch-free mask
                    // is cheaper here than testing each block).
                    const Mask keep = lane_index != (skip - m);
                    const auto w = Lanes(Mask(1.0 / (1.0 + r2)) & keep);
                    z_lanes += w;
                    const Lanes w2 = w * w;
                    for (int a = 0; a < D; ++a) f_lanes[a] += w2 * diff[a];
                }
                for (; m < end; ++m) {
                    if (m == skip) continue;
                    double diff[D], r2 = 0.0;
                    for (int a = 0; a < D; ++a) {
                        diff[a] = yi[a] - axis[a][m];
                        r2 += diff[a] * diff[a];
                    }
                    const double w = 1.0 / (1.0 + r2);
                    z += w;
                    const double w2 = w * w;
                    for (int a = 0; a < D; ++a) f[a] += w2 * diff[a];
                }
            };

            int top = 0;
            stack[top++] = 0;
            while (top > 0) {
                const Node& node = nodes[stack[--top]];
                // A cell holding y_i itself is never summarised: its centre of mass would count
                // y_i as a neighbour of itself (possible for theta above 1/sqrt(D)).
                const bool holds_i = k >= node.begin && k < std::int64_t(node.begin) + node.count;
                if (!holds_i) {
                    double diff[D], r2 = 0.0;
                    for (int a = 0; a < D; ++a) {
                        diff[a] = yi[a] - node.com[a];
                        r2 += diff[a] * diff[a];
                    }
                    if (node.side_sq < theta_sq * r2) {
                        const double w = 1.0 / (1.0 + r2);
                        const double cw = double(node.count) * w;
                        z += cw;
                        const double cw2 = cw * w;
                        for (int a = 0; a < D; ++a) f[a] += cw2 * diff[a];
                        continue;
                    }
                }
                if (node.child_count == 0) {
                    visit_points(node, holds_i ? k : -1);
                } else {
                    for (std::int32_t t = node.child_count - 1; t >= 0; --t) stack[top++] = node.first_child + t;
                }
            }
            for (int l = 0; l < lanes; ++l) {
                z += z_lanes[l];
                for (int a = 0; a < D; ++a) f[a] += f_lanes[a][l];
            }
            const std::int64_t i = order[k];
            for (int a = 0; a < D; ++a) out[i * D + a] = f[a];
            z_out[i] = z;
        },
        n >= parallel_threshold);

    double total = 0.0;
    for (std::int64_t i = 0; i < n; ++i) total += z_out[i];
    return total;
}

double BarnesHutRepulsion::compute(const double* Y, std::int64_t n, int dims, double theta, double* out) {
    if (dims != 2 && dims != 3)
        throw std::invalid_argument("Barnes-Hut repulsion needs 2 or 3 dimensions, not " + std::to_string(dims));
    if (n < 0 || n > std::numeric_limits<std::int32_t>::max())
        throw std::invalid_argument("Barnes-Hut repulsion supports up to 2^31 - 1 points, not " + std::to_string(n));
    if (n == 0) return 0.0;
    return dims == 2 ? compute_impl<2>(Y, n, theta, out) : compute_impl<3>(Y, n, theta, out);
}

}  // namespace latentscape::reduce::tsne::internal
