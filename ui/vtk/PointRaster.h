#pragma once
/// @file Drawing a 2-D scatter plot's points on the CPU, into an image.
///
/// With a software OpenGL (Mesa llvmpipe: remote desktops, virtual machines, CI), VTK's round
/// point sprites cost 50-160 ms per view at 100,000 points, which stalls the interface when linked
/// views repaint together. Filling the same discs on the CPU costs a few milliseconds. The rule is
/// the one OpenGL applies to a point sprite of diameter `diameter` device pixels whose fragment
/// shader discards outside the inscribed circle: a pixel is covered when its centre lies within
/// `diameter / 2` of the point's projected position. Points are drawn in the order given, blended
/// with `opacity`; in 3-D a depth buffer keeps the nearer point, later ones winning ties (VTK's
/// GL_LEQUAL), and points outside the camera's near/far range are clipped.

#include <cstddef>
#include <cstdint>
#include <vector>

#include <QImage>

#include <vtkType.h>

namespace latentscape::ui {

struct RasterStyle {
    double diameter = 4.0;          ///< device pixels
    double opacity = 1.0;           ///< in (0, 1]
    std::uint8_t background[3] = {255, 255, 255};
    /// 2-D only: the first `density` points of the order are not drawn as discs but binned per
    /// pixel and density-shaded (see rasterizePoints); the rest (the emphasised ones) are drawn as
    /// discs on top. 0: every point a disc.
    std::size_t density = 0;
};

/// From this many points in a 2-D view the CPU raster shades density instead of drawing discs:
/// 10,000,000 discs take ~1 s on 2 cores, binning them ~60 ms; and with millions of points on a
/// million pixels the discs only hide each other.
inline constexpr std::size_t kDensityMinPoints = 2000000;

/// The shade of one pixel holding `count` >= 1 points of mean colour `rgb`, over `background`,
/// when the densest pixel holds `max_count`: the colour at coverage 0.3 + 0.7 log(1 + count) /
/// log(1 + max_count), so that a lone point stays visible and the densest pixels are solid.
QRgb densityShade(const float rgb[3], std::uint32_t count, std::uint32_t max_count, const std::uint8_t background[3]);

/// Fills `image` (Format_RGB32, its size is the view's in device pixels) with the background and
/// draws points `order[0..count)` of `xyz` (x, y, z per point) in colours `rgb` (3 bytes per point,
/// indexed like xyz). `clip` is the camera's composite projection matrix (row-major 4 x 4, world
/// -> normalised device coordinates in [-1, 1]); points outside the image are skipped. `depth`:
/// null for a 2-D plot (painter's order), else a buffer the function sizes and uses as the depth
/// buffer (kept by the caller between frames to save the allocation).
/// Single-threaded, deterministic, O(count x diameter^2); with style.density, O(count) for the
/// binned points (each adds its colour to the pixel holding its centre).
void rasterizePoints(QImage& image, const float* xyz, const vtkIdType* order, std::size_t count,
                     const std::uint8_t* rgb, const double clip[16], const RasterStyle& style,
                     std::vector<float>* depth = nullptr);

}  // namespace latentscape::ui
