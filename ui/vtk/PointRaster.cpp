#include "vtk/PointRaster.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace latentscape::ui {
namespace {

// Source over destination with coverage alpha / 255, rounded to nearest like GL's unorm blending.
inline QRgb blend(const std::uint8_t* c, QRgb d, int alpha) {
    const auto mix = [alpha](int s, int t) { return (s * alpha + t * (255 - alpha) + 127) / 255; };
    return qRgb(mix(c[0], qRed(d)), mix(c[1], qGreen(d)), mix(c[2], qBlue(d)));
}

/// Bins order[0..count) of a 2-D plot per pixel (the pixel holding each centre) and shades each
/// pixel by its count and mean colour (densityShade).
void shadeDensity(QImage& image, const float* xyz, const vtkIdType* order, std::size_t count,
                  const std::uint8_t* rgb, const double clip[16], const RasterStyle& style) {
    const int width = image.width(), height = image.height();
    const std::size_t pixels = std::size_t(width) * std::size_t(height);
    // Count and colour sums side by side: one cache line per binned point.
    struct Bin {
        std::uint32_t count, r, g, b;  // 255 x 2^24 points fit in 32 bits
    };
    std::vector<Bin> bins(pixels, Bin{0, 0, 0, 0});
    const double* m = clip;
    // 2-D: an affine map (w = 1), in float for speed; the same bins as the discs' centres.
    const float ax = float(m[0] * 0.5 * width), bx = float(m[1] * 0.5 * width), cx = float((m[3] + 1.0) * 0.5 * width);
    const float ay = float(-m[4] * 0.5 * height), by = float(-m[5] * 0.5 * height),
                cy = float((1.0 - m[7]) * 0.5 * height);
    for (std::size_t k = 0; k < count; ++k) {
        const std::size_t i = std::size_t(order[k]);
        const float* p = xyz + 3 * i;
        const float fx = ax * p[0] + bx * p[1] + cx;
        const float fy = ay * p[0] + by * p[1] + cy;
        if (!(fx >= 0.0f && fx < float(width) && fy >= 0.0f && fy < float(height))) continue;
        Bin& bin = bins[std::size_t(int(fy)) * std::size_t(width) + std::size_t(int(fx))];
        if (bin.count == 0xFFFFFFu) continue;  // saturated: 16.7 M points on one pixel
        const std::uint8_t* c = rgb + 3 * i;
        ++bin.count;
        bin.r += c[0];
        bin.g += c[1];
        bin.b += c[2];
    }
    std::uint32_t max_count = 0;
    for (const Bin& bin : bins) max_count = std::max(max_count, bin.count);
    auto* bits = reinterpret_cast<QRgb*>(image.bits());
    const std::size_t stride = std::size_t(image.bytesPerLine()) / sizeof(QRgb);
    for (int r = 0; r < height; ++r)
        for (int col = 0; col < width; ++col) {
            const Bin& bin = bins[std::size_t(r) * std::size_t(width) + std::size_t(col)];
            if (bin.count == 0) continue;
            const float n = float(bin.count);
            const float mean[3] = {float(bin.r) / n, float(bin.g) / n, float(bin.b) / n};
            bits[std::size_t(r) * stride + std::size_t(col)] = densityShade(mean, bin.count, max_count, style.background);
        }
}

}  // namespace

QRgb densityShade(const float rgb[3], std::uint32_t count, std::uint32_t max_count, const std::uint8_t background[3]) {
    const float coverage =
        max_count <= 1 ? 1.0f
                       : 0.3f + 0.7f * float(std::log1p(double(count)) / std::log1p(double(max_count)));
    const auto mix = [coverage](float s, std::uint8_t t) {
        return std::clamp(int(std::lround(s * coverage + float(t) * (1.0f - coverage))), 0, 255);
    };
    return qRgb(mix(rgb[0], background[0]), mix(rgb[1], background[1]), mix(rgb[2], background[2]));
}

void rasterizePoints(QImage& image, const float* xyz, const vtkIdType* order, std::size_t count,
                     const std::uint8_t* rgb, const double clip[16], const RasterStyle& style,
                     std::vector<float>* depth) {
    const int width = image.width();
    const int height = image.height();
    const QRgb background = qRgb(style.background[0], style.background[1], style.background[2]);
    image.fill(background);
    if (width <= 0 || height <= 0 || count == 0) return;

    std::size_t first = 0;  // the first point drawn as a disc
    // Density needs the 2-D view's affine projection (w = 1 for every point).
    const bool affine = std::abs(clip[12]) < 1e-12 && std::abs(clip[13]) < 1e-12 && std::abs(clip[14]) < 1e-12 &&
                        std::abs(clip[15] - 1.0) < 1e-12;
    if (!depth && style.density > 0 && affine) {
        first = std::min(style.density, count);
        shadeDensity(image, xyz, order, first, rgb, clip, style);
    }

    const double radius = 0.5 * style.diameter;
    const double radius2 = radius * radius;
    const int alpha = std::clamp(int(std::lround(style.opacity * 255.0)), 0, 255);
    const bool opaque = alpha == 255;
    auto* bits = reinterpret_cast<QRgb*>(image.bits());
    const std::size_t stride = std::size_t(image.bytesPerLine()) / sizeof(QRgb);
    const double* m = clip;
    float* zbuffer = nullptr;
    if (depth) {
        depth->assign(std::size_t(width) * std::size_t(height), 1.0f);
        zbuffer = depth->data();
    }

    for (std::size_t k = first; k < count; ++k) {
        const std::size_t i = std::size_t(order[k]);
        const float* p = xyz + 3 * i;
        const double w = m[12] * p[0] + m[13] * p[1] + m[14] * p[2] + m[15];
        if (!(w > 0.0)) continue;
        const double nx = (m[0] * p[0] + m[1] * p[1] + m[2] * p[2] + m[3]) / w;
        const double ny = (m[4] * p[0] + m[5] * p[1] + m[6] * p[2] + m[7]) / w;
        // Window coordinates, y downwards; pixel (c, r) has its centre at (c + 0.5, r + 0.5).
        const double fx = (nx + 1.0) * 0.5 * width;
        const double fy = (1.0 - ny) * 0.5 * height;
        float z = 0.0f;
        if (zbuffer) {
            const double nz = (m[8] * p[0] + m[9] * p[1] + m[10] * p[2] + m[11]) / w;
            if (!(nz >= -1.0 && nz <= 1.0)) continue;  // outside the near/far planes
            z = float(nz);
        }
        if (!(fx + radius >= 0.0 && fx - radius <= width && fy + radius >= 0.0 && fy - radius <= height)) continue;
        const int rowFirst = std::max(0, int(std::ceil(fy - radius - 0.5)));
        const int rowLast = std::min(height - 1, int(std::floor(fy + radius - 0.5)));
        const std::uint8_t* c = rgb + 3 * i;
        const QRgb colour = qRgb(c[0], c[1], c[2]);
        for (int r = rowFirst; r <= rowLast; ++r) {
            const double dy = r + 0.5 - fy;
            const double half2 = radius2 - dy * dy;
            if (half2 < 0.0) continue;
            const double half = std::sqrt(half2);
            const int colFirst = std::max(0, int(std::ceil(fx - half - 0.5)));
            const int colLast = std::min(width - 1, int(std::floor(fx + half - 0.5)));
            QRgb* row = bits + std::size_t(r) * stride;
            if (zbuffer) {
                float* zrow = zbuffer + std::size_t(r) * std::size_t(width);
                for (int col = colFirst; col <= colLast; ++col) {
                    if (z > zrow[col]) continue;
                    zrow[col] = z;
                    const QRgb d = row[col];
                    row[col] = opaque ? colour : blend(c, d, alpha);
                }
                continue;
            }
            if (opaque) {
                for (int col = colFirst; col <= colLast; ++col) row[col] = colour;
                continue;
            }
            for (int col = colFirst; col <= colLast; ++col) row[col] = blend(c, row[col], alpha);
        }
    }
}

}  // namespace latentscape::ui
