#include "select/screen.h"

#include "common/parallel.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace latentscape::select {
namespace {

void check(const float* coords, std::int64_t n, int dims) {
    if (dims != 2 && dims != 3) throw std::invalid_argument("selection: coordinates must have 2 or 3 dimensions, got " + std::to_string(dims));
    if (n < 0 || (n > 0 && !coords)) throw std::invalid_argument("selection: no coordinates");
}

/// The polygon's edges filed by horizontal band, so that a point only meets the few edges that
/// cross its own band: O(1) edges per point for a lasso of any length.
struct EdgeBands {
    double ymin = 0, ymax = 0, xmin = 0, xmax = 0, band_height = 1;
    int bands = 1;
    std::vector<std::int32_t> start;  // CSR over bands
    std::vector<std::array<double, 4>> edges;  // x0, y0, x1, y1 per filed edge

    explicit EdgeBands(const Polygon& poly) {
        const std::size_t v = poly.size();
        xmin = xmax = poly[0][0];
        ymin = ymax = poly[0][1];
        for (const auto& p : poly) {
            xmin = std::min(xmin, p[0]), xmax = std::max(xmax, p[0]);
            ymin = std::min(ymin, p[1]), ymax = std::max(ymax, p[1]);
        }
        bands = int(std::clamp<std::size_t>(v, 1, 4096));
        band_height = (ymax - ymin) / bands;
        if (!(band_height > 0)) band_height = 1, bands = 1;
        std::vector<std::vector<std::array<double, 4>>> per(static_cast<std::size_t>(bands));
        for (std::size_t e = 0; e < v; ++e) {
            const auto& a = poly[e];
            const auto& b = poly[(e + 1) % v];
            if (a[1] == b[1]) continue;  // horizontal edges never cross a scanline test
            const int lo = band_of(std::min(a[1], b[1]));
            const int hi = band_of(std::max(a[1], b[1]));
            for (int k = lo; k <= hi; ++k) per[std::size_t(k)].push_back({a[0], a[1], b[0], b[1]});
        }
        start.push_back(0);
        for (const auto& list : per) {
            edges.insert(edges.end(), list.begin(), list.end());
            start.push_back(std::int32_t(edges.size()));
        }
    }
    int band_of(double y) const { return std::clamp(int(std::floor((y - ymin) / band_height)), 0, bands - 1); }

    bool inside(double x, double y) const {
        if (x < xmin || x > xmax || y < ymin || y > ymax) return false;
        const int k = band_of(y);
        bool in = false;
        for (std::int32_t e = start[std::size_t(k)]; e < start[std::size_t(k) + 1]; ++e) {
            const auto& s = edges[std::size_t(e)];
            if ((s[1] > y) != (s[3] > y) && x < (s[2] - s[0]) * (y - s[1]) / (s[3] - s[1]) + s[0]) in = !in;
        }
        return in;
    }
};

}  // namespace

Polygon box(double x0, double y0, double x1, double y1) { return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}; }

bool project(const float* coords, int dims, std::int64_t i, const Projection& p, double& x, double& y, double& depth) {
    const float* c = coords + i * dims;
    const double px = c[0], py = c[1], pz = dims == 3 ? c[2] : 0.0;
    const auto& m = p.matrix;
    const double w = m[12] * px + m[13] * py + m[14] * pz + m[15];
    if (!(w > 0.0)) return false;
    const double nx = (m[0] * px + m[1] * py + m[2] * pz + m[3]) / w;
    const double ny = (m[4] * px + m[5] * py + m[6] * pz + m[7]) / w;
    depth = (m[8] * px + m[9] * py + m[10] * pz + m[11]) / w;
    if (depth < -1.0 || depth > 1.0) return false;
    x = (nx + 1.0) * 0.5 * p.width;
    y = (1.0 - ny) * 0.5 * p.height;
    return true;
}

Selection inside_polygon(const float* coords, std::int64_t n, int dims, const Projection& p, const Polygon& polygon,
                         const std::uint8_t* visible) {
    check(coords, n, dims);
    if (polygon.size() < 3) return Selection(n);
    const EdgeBands bands(polygon);
    std::vector<std::uint8_t> mask(static_cast<std::size_t>(n), 0);
    constexpr std::int64_t block = 8192;
    parallel::for_each((n + block - 1) / block, [&](std::int64_t b) {
        const std::int64_t end = std::min(n, (b + 1) * block);
        for (std::int64_t i = b * block; i < end; ++i) {
            if (visible && !visible[i]) continue;
            double x, y, depth;
            if (project(coords, dims, i, p, x, y, depth) && bands.inside(x, y)) mask[std::size_t(i)] = 1;
        }
    });
    return Selection::from_mask(mask.data(), n);
}

std::int64_t nearest_on_screen(const float* coords, std::int64_t n, int dims, const Projection& p, double x, double y,
                               double radius, const std::uint8_t* visible) {
    check(coords, n, dims);
    struct Best {
        double d2 = std::numeric_limits<double>::infinity();
        double depth = 0;
        std::int64_t row = -1;
        bool better(double od2, double odepth, std::int64_t orow) const {
            if (od2 != d2) return od2 < d2;
            if (odepth != depth) return odepth < depth;
            return row < 0 || orow < row;
        }
    };
    std::vector<Best> best(static_cast<std::size_t>(parallel::max_threads()));
    const double r2 = radius * radius;
    parallel::for_each_with_thread(n, [&](int t, std::int64_t i) {
        if (visible && !visible[i]) return;
        double px, py, depth;
        if (!project(coords, dims, i, p, px, py, depth)) return;
        const double d2 = (px - x) * (px - x) + (py - y) * (py - y);
        if (d2 > r2) return;
        Best& b = best[std::size_t(t)];
        if (b.better(d2, depth, i)) b = {d2, depth, i};
    });
    Best out;
    for (const Best& b : best)
        if (b.row >= 0 && out.better(b.d2, b.depth, b.row)) out = b;
    return out.row;
}

}  // namespace latentscape::select
