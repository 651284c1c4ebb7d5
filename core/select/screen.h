#pragma once
/// @file Picking rows by what the user sees: points are projected through the camera to widget
/// pixels and tested against the shape drawn there (a click, a box, a free-hand lasso). In 3-D the
/// test is against the current camera, so a shape selects what is on screen inside it (points
/// behind the camera are never picked). Exact crossing tests, parallel, independent of the
/// thread count (DESIGN.md section 5: ~50 ms for a lasso over 1,000,000 points on 2 cores).

#include "select/selection.h"

#include <array>
#include <cstdint>
#include <vector>

namespace latentscape::select {

/// Data coordinates -> widget pixels. clip = matrix * (x, y, z, 1) with `matrix` row-major 4 x 4
/// (VTK's camera composite projection for the viewport's aspect ratio, near/far mapped to
/// [-1, 1]); ndc = clip / w; pixel x = (ndc.x + 1) / 2 * width, pixel y = (1 - ndc.y) / 2 *
/// height: the origin is the top-left corner and y grows downwards, as in Qt's mouse events.
struct Projection {
    std::array<double, 16> matrix{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    double width = 1.0;
    double height = 1.0;
};

/// A closed polygon in widget pixels: a lasso's mouse path, or a box's four corners.
using Polygon = std::vector<std::array<double, 2>>;

/// The rectangle with these opposite corners, as a polygon.
Polygon box(double x0, double y0, double x1, double y1);

/// Pixel position (x, y) and depth (ndc z) of row i; false if it is behind the camera or outside
/// the depth range.
bool project(const float* coords, int dims, std::int64_t i, const Projection& p, double& x, double& y, double& depth);

/// The rows (of n, with `dims` = 2 or 3 coordinates each, row-major) whose projected point lies
/// inside `polygon` by the even-odd rule (a self-crossing lasso selects the regions it encloses
/// an odd number of times). Rows with visible[i] == 0 are never picked (visible may be null).
/// A polygon of fewer than 3 points selects nothing.
Selection inside_polygon(const float* coords, std::int64_t n, int dims, const Projection& p, const Polygon& polygon,
                         const std::uint8_t* visible = nullptr);

/// The visible row whose projected point is nearest to pixel (x, y), if within `radius` pixels:
/// ties go to the point nearer the camera, then to the lower row. -1 when there is none.
std::int64_t nearest_on_screen(const float* coords, std::int64_t n, int dims, const Projection& p, double x, double y,
                               double radius, const std::uint8_t* visible = nullptr);

}  // namespace latentscape::select
