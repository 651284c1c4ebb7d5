#pragma once
/// @file Barnes-Hut approximation of t-SNE's repulsive forces (van der Maaten 2014) in 2-D
/// (quadtree) and 3-D (octree). Internal to tsne.cpp; tested against all-pairs sums.

#include <cstdint>
#include <vector>

namespace latentscape::reduce::tsne::internal {

/// Computes, for an embedding Y (n x dims row-major, dims 2 or 3),
///     out[i] = sum_{j != i} w_ij^2 (y_i - y_j),   w_ij = 1 / (1 + |y_i - y_j|^2),
/// and returns Z = sum_i sum_{j != i} w_ij, where a tree cell whose (largest side / distance from
/// y_i to the cell's centre of mass) is below theta stands for all its points, placed at that
/// centre of mass. theta = 0 gives the exact sums (up to rounding). The result does not depend
/// on the thread count: the tree is built in a fixed order and each point's sums are its own;
/// Z adds the per-point sums in index order. Coincident points are fine (they share a leaf and
/// contribute w = 1 with zero force). The object keeps its storage between calls.
class BarnesHutRepulsion {
public:
    double compute(const double* Y, std::int64_t n, int dims, double theta, double* out);

private:
    /// A cube of the tree. Its points are sorted_[begin, begin + count) (order_ gives their
    /// indices in Y); its non-empty children are nodes_[first_child, first_child + child_count).
    struct Node {
        double com[3];           ///< centre of mass (the first dims entries)
        double side_sq;          ///< the cube's side, squared
        std::int32_t begin;
        std::int32_t count;
        std::int32_t first_child;
        std::int32_t child_count; ///< 0 for a leaf
    };

    template <int D>
    double compute_impl(const double* Y, std::int64_t n, double theta, double* out);
    template <int D>
    void build(std::int32_t node, const double* centre, double half, int depth);

    std::vector<Node> nodes_;
    std::vector<std::int32_t> order_; ///< point indices, grouped by cell
    std::vector<double> sorted_;      ///< coordinates in order_'s order, one axis after another
    std::vector<double> z_per_point_;
};

}  // namespace latentscape::reduce::tsne::internal
