// Radius neighbours of 2-D points through a uniform grid (see neighbors/radius.h).
#include "neighbors/radius.h"

#include "common/distance.h"

#include <cmath>

namespace latentscape::neighbors {

std::optional<RadiusNeighbors> radius_neighbors_grid2d(const float* X, std::int64_t n, double radius2,
                                                       std::int32_t keep_from) {
    double lo[2] = {X[0], X[1]}, hi[2] = {X[0], X[1]};
    for (std::int64_t i = 0; i < n; ++i)
        for (int j = 0; j < 2; ++j) {
            lo[j] = std::min(lo[j], double(X[2 * i + j]));
            hi[j] = std::max(hi[j], double(X[2 * i + j]));
        }
    // Cells a hair wider than eps: two points within eps then always land in the same or adjacent
    // cells, even after the rounding of the division below (relative error ~1e-16 per cell index
    // against a margin of 1e-6).
    const double h = std::sqrt(radius2) * (1 + 1e-6);
    const double cells_x = std::floor((hi[0] - lo[0]) / h) + 1, cells_y = std::floor((hi[1] - lo[1]) / h) + 1;
    if (!(cells_x * cells_y <= 16.0 * double(n) + 4096)) return std::nullopt;
    const auto gx = std::int64_t(cells_x), gy = std::int64_t(cells_y);
    auto cell_of = [&](const float* p, std::int64_t& cx, std::int64_t& cy) {
        cx = std::min(gx - 1, std::int64_t((double(p[0]) - lo[0]) / h));
        cy = std::min(gy - 1, std::int64_t((double(p[1]) - lo[1]) / h));
        return cy * gx + cx;
    };
    // Counting sort into cell order (index order within a cell): slot = position in that order.
    std::vector<std::int64_t> start(static_cast<std::size_t>(gx * gy + 1), 0);
    std::vector<std::int64_t> cell(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
        std::int64_t cx, cy;
        cell[std::size_t(i)] = cell_of(X + 2 * i, cx, cy);
        ++start[std::size_t(cell[std::size_t(i)] + 1)];
    }
    for (std::size_t c = 1; c < start.size(); ++c) start[c] += start[c - 1];
    RadiusNeighbors out;
    out.slot.resize(std::size_t(n));
    std::vector<float> sorted(static_cast<std::size_t>(2 * n));
    {
        std::vector<std::int64_t> next(start.begin(), start.end() - 1);
        for (std::int64_t i = 0; i < n; ++i) {
            const std::int64_t s = next[std::size_t(cell[std::size_t(i)])]++;
            out.slot[std::size_t(i)] = std::int32_t(s);
            sorted[std::size_t(2 * s)] = X[2 * i];
            sorted[std::size_t(2 * s + 1)] = X[2 * i + 1];
        }
    }
    out.counts.assign(std::size_t(n), 0);
    out.blocks.resize(std::size_t((n + kNeighborBlock - 1) / kNeighborBlock));
    internal::for_each_block(n, 128, [&](std::int64_t b, std::int64_t first, std::int64_t last) {
        RadiusNeighbors::Block& dst = out.blocks[std::size_t(b)];
        dst.start.assign(std::size_t(last - first + 1), 0);
        for (std::int64_t s = first; s < last; ++s) {
            const float* p = sorted.data() + 2 * s;
            std::int64_t cx, cy;
            cell_of(p, cx, cy);
            const std::size_t begin = dst.ids.size();
            std::size_t end = begin;
            for (std::int64_t y = std::max<std::int64_t>(0, cy - 1); y <= std::min(gy - 1, cy + 1); ++y) {
                const std::int64_t row = y * gx;
                const std::int64_t t0 = start[std::size_t(row + std::max<std::int64_t>(0, cx - 1))];
                const std::int64_t t1 = start[std::size_t(row + std::min(gx - 1, cx + 1) + 1)];
                // Every candidate is written and the end advanced only for the neighbours: no
                // branch to mispredict on the ~1/3 of candidates that are inside the circle.
                dst.ids.resize(end + std::size_t(t1 - t0));
                std::int32_t* ids = dst.ids.data();
                for (std::int64_t t = t0; t < t1; ++t) {
                    ids[end] = std::int32_t(t);
                    end += squared_distance_sequential(p, sorted.data() + 2 * t, 2) <= radius2;
                }
            }
            dst.ids.resize(end);
            const auto count = std::int32_t(end - begin);
            out.counts[std::size_t(s)] = count;
            if (count < keep_from) dst.ids.resize(begin);
            dst.start[std::size_t(s - first + 1)] = std::int64_t(dst.ids.size());
        }
    });
    return out;
}

}  // namespace latentscape::neighbors
