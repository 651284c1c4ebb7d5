#pragma once
/// @file Exact Euclidean radius queries and k-th-neighbour distances (what DBSCAN and its
/// k-distance curve need): a uniform grid for 2-D points, a nanoflann kd-tree for low dimensions
/// and a blocked brute force for high ones. Every path evaluates the distances that decide
/// membership in double precision from the float32 input, (x_j - y_j)^2 summed over j in order
/// (common/distance.h), as scikit-learn's trees do, so all paths return the same sets.
/// kNN graphs are in knn.h (fused brute force, hnswlib) and brute.h (whole distance rows).

#include "common/parallel.h"

#include <algorithm>
#include <cstdint>
#include <exception>
#include <optional>
#include <vector>

namespace latentscape::neighbors {

/// Points handled by one parallel work item; each item owns its slice of the lists.
inline constexpr std::int64_t kNeighborBlock = 256;

/// Radius neighbours of every point, lists kept only for points with enough neighbours. Points
/// are addressed by slot: the kd-tree numbers them in its spatial (leaf) order, so that work done
/// slot after slot touches nearby memory; `slot` maps a point index to its slot.
struct RadiusNeighbors {
    /// Neighbours within the radius of each slot, the point itself included.
    std::vector<std::int32_t> counts;
    /// Per block of kNeighborBlock slots: list offsets (block size + 1 entries, relative to `ids`)
    /// and the concatenated lists of neighbour slots (empty for slots whose count is below the
    /// threshold).
    struct Block {
        std::vector<std::int64_t> start;
        std::vector<std::int32_t> ids;
    };
    std::vector<Block> blocks;
    /// Slot of each point; empty when slot i is point i.
    std::vector<std::int32_t> slot;

    std::int64_t slot_of(std::int64_t i) const { return slot.empty() ? i : slot[std::size_t(i)]; }

    /// Pointer to slot s's list and its length (0 when it was not kept).
    const std::int32_t* list(std::int64_t s, std::int64_t& length) const {
        const Block& b = blocks[std::size_t(s / kNeighborBlock)];
        const std::size_t k = std::size_t(s % kNeighborBlock);
        length = b.start[k + 1] - b.start[k];
        return b.ids.data() + b.start[k];
    }
};

/// All points within sqrt(radius2) (inclusive) of each point; lists are kept for points with at
/// least `keep_from` neighbours. kd_tree selects the search structure.
RadiusNeighbors radius_neighbors(const float* X, std::int64_t n, std::int64_t d, double radius2,
                                 std::int32_t keep_from, bool kd_tree);

/// The same for 2-D points through a uniform grid of cells slightly wider than the radius (a
/// query scans its own and the 8 surrounding cells, stored contiguously): several times faster
/// than the kd-tree on dense 2-D embeddings. Slots are the points in cell order. Empty when the
/// grid would need more than ~16 cells per point (eps tiny against the extent): use the kd-tree.
std::optional<RadiusNeighbors> radius_neighbors_grid2d(const float* X, std::int64_t n, double radius2,
                                                       std::int32_t keep_from);

namespace internal {

/// Runs body(block, first, last) for every block of kNeighborBlock slots in parallel (when
/// n * work_per_point is worth it) and rethrows the first (lowest block) exception afterwards.
template <class Body>
void for_each_block(std::int64_t n, std::int64_t work_per_point, Body&& body) {
    const std::int64_t blocks = (n + kNeighborBlock - 1) / kNeighborBlock;
    std::vector<std::exception_ptr> errors(static_cast<std::size_t>(blocks));
    parallel::for_each(
        blocks,
        [&](std::int64_t b) {
            try {
                body(b, b * kNeighborBlock, std::min(n, (b + 1) * kNeighborBlock));
            } catch (...) {
                errors[std::size_t(b)] = std::current_exception();
            }
        },
        blocks > 1 && n * work_per_point > 20000);
    for (const auto& e : errors)
        if (e) std::rethrow_exception(e);
}

}  // namespace internal

/// Distance of each point to its k-th nearest neighbour, the point itself counted first (k = 1
/// gives 0), as float(sqrt(exact double squared distance)); 1 <= k <= n. kd_tree selects the
/// search structure (else a blocked brute force: float GEMM filter, double-precision check).
std::vector<float> kth_distances(const float* X, std::int64_t n, std::int64_t d, int k, bool kd_tree);

}  // namespace latentscape::neighbors
