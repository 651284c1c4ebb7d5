#include "vtk/ColorMaps.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace latentscape::ui {
namespace {

// Tableau 10 (matplotlib's tab10) first: the palette most readers already know. Then colours
// from Kelly's maximum-contrast set that stay distinct from it and from each other on white.
constexpr std::array<Rgb, 22> kPalette{{
    {0x1f, 0x77, 0xb4}, {0xff, 0x7f, 0x0e}, {0x2c, 0xa0, 0x2c}, {0xd6, 0x27, 0x28},
    {0x94, 0x67, 0xbd}, {0x8c, 0x56, 0x4b}, {0xe3, 0x77, 0xc2}, {0x7f, 0x7f, 0x7f},
    {0xbc, 0xbd, 0x22}, {0x17, 0xbe, 0xcf},
    {0xf3, 0xc3, 0x00}, {0x00, 0x88, 0x56}, {0xa1, 0xca, 0xf1}, {0x60, 0x4e, 0x97},
    {0x88, 0x2d, 0x17}, {0xe6, 0x8f, 0xac}, {0x8d, 0xb6, 0x00}, {0x2b, 0x3d, 0x26},
    {0xf9, 0x93, 0x79}, {0xc2, 0xb2, 0x80}, {0xb3, 0x44, 0x6c}, {0x22, 0x22, 0x22},
}};

std::uint8_t toByte(double v) { return std::uint8_t(std::lround(std::clamp(v, 0.0, 1.0) * 255.0)); }

}  // namespace

int categoricalPaletteSize() { return int(kPalette.size()); }

Rgb categoricalColor(int index) {
    const int size = int(kPalette.size());
    return kPalette[std::size_t(((index % size) + size) % size)];
}

Rgb missingColor() { return {0xd0, 0xd0, 0xd0}; }

Rgb uniformColor() { return kPalette[0]; }

Rgb viridis(double t) {
    if (std::isnan(t)) return missingColor();
    t = std::clamp(t, 0.0, 1.0);
    // Degree-6 least-squares fit of matplotlib's viridis per channel, within 5/255 of its table.
    static constexpr double c[7][3] = {
        {0.2777273272234177, 0.005407344544966578, 0.3340998053353061},
        {0.1050930431085774, 1.404613529898575, 1.384590162594685},
        {-0.3308618287255563, 0.214847559468213, 0.09509516302823659},
        {-4.634230498983486, -5.799100973351585, -19.33244095627987},
        {6.228269936347081, 14.17993336680509, 56.69055260068105},
        {4.776384997670288, -13.74514537774601, -65.35303263337234},
        {-5.435455855934631, 4.645852612178535, 26.3124352495832},
    };
    double rgb[3];
    for (int ch = 0; ch < 3; ++ch) {
        double v = c[6][ch];
        for (int k = 5; k >= 0; --k) v = v * t + c[k][ch];
        rgb[ch] = v;
    }
    return {toByte(rgb[0]), toByte(rgb[1]), toByte(rgb[2])};
}

namespace {

// Piecewise-linear through evenly spaced stops.
Rgb throughStops(const std::uint8_t (*stops)[3], int count, double t) {
    const double x = t * (count - 1);
    const int k = std::min(int(x), count - 2);
    const double f = x - k;
    auto lerp = [f](std::uint8_t a, std::uint8_t b) { return std::uint8_t(std::lround(a + (b - a) * f)); };
    return {lerp(stops[k][0], stops[k + 1][0]), lerp(stops[k][1], stops[k + 1][1]), lerp(stops[k][2], stops[k + 1][2])};
}

}  // namespace

Rgb mapColor(ContinuousMap map, double t) {
    if (std::isnan(t)) return missingColor();
    t = std::clamp(t, 0.0, 1.0);
    // matplotlib's magma at t = 0, 1/8, ..., 1.
    static constexpr std::uint8_t magma[9][3] = {{0, 0, 4},      {28, 16, 68},   {79, 18, 123},
                                                 {129, 37, 129}, {181, 54, 122}, {229, 80, 100},
                                                 {251, 135, 97}, {254, 194, 135}, {252, 253, 191}};
    // A blue-grey-red diverging map (after Moreland's cool-warm), grey in the middle.
    static constexpr std::uint8_t diverging[5][3] = {
        {59, 76, 192}, {141, 176, 254}, {221, 221, 221}, {244, 154, 123}, {180, 4, 38}};
    switch (map) {
        case ContinuousMap::Magma: return throughStops(magma, 9, t);
        case ContinuousMap::Diverging: return throughStops(diverging, 5, t);
        case ContinuousMap::Viridis: break;
    }
    return viridis(t);
}

const char* mapName(ContinuousMap map) {
    switch (map) {
        case ContinuousMap::Magma: return "magma";
        case ContinuousMap::Diverging: return "diverging";
        case ContinuousMap::Viridis: break;
    }
    return "viridis";
}

std::vector<std::uint8_t> numberColors(const float* values, std::size_t n, std::size_t stride, const NumericRange& range,
                                       ContinuousMap map) {
    std::vector<std::uint8_t> out(3 * n);
    const double span = range.max - range.min;
    for (std::size_t i = 0; i < n; ++i) {
        const double v = values[i * stride];
        const Rgb c = std::isfinite(v) ? mapColor(map, span > 0 ? (v - range.min) / span : 0.5) : missingColor();
        out[3 * i] = c.r;
        out[3 * i + 1] = c.g;
        out[3 * i + 2] = c.b;
    }
    return out;
}

NumericRange numericRange(const std::vector<double>& values) {
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    for (double v : values) {
        if (!std::isfinite(v)) continue;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    if (lo > hi) return {};
    return {lo, hi};
}

std::vector<std::uint8_t> uniformColors(std::size_t n, Rgb color) {
    std::vector<std::uint8_t> out(3 * n);
    for (std::size_t i = 0; i < n; ++i) {
        out[3 * i] = color.r;
        out[3 * i + 1] = color.g;
        out[3 * i + 2] = color.b;
    }
    return out;
}

std::vector<std::uint8_t> columnColors(const data::MetadataColumn& column, const NumericRange& range,
                                       ContinuousMap map) {
    const std::size_t n = column.size();
    std::vector<std::uint8_t> out(3 * n);
    auto put = [&out](std::size_t i, Rgb c) {
        out[3 * i] = c.r;
        out[3 * i + 1] = c.g;
        out[3 * i + 2] = c.b;
    };
    switch (column.kind) {
        case data::ColumnKind::Categorical:
            for (std::size_t i = 0; i < n; ++i) {
                const auto code = column.codes[i];
                put(i, code < 0 ? missingColor() : categoricalColor(code));
            }
            break;
        case data::ColumnKind::Numeric: {
            const double span = range.max - range.min;
            for (std::size_t i = 0; i < n; ++i) {
                const double v = column.numbers[i];
                if (!std::isfinite(v)) put(i, missingColor());
                else put(i, mapColor(map, span > 0 ? (v - range.min) / span : 0.5));
            }
            break;
        }
        case data::ColumnKind::Text:
            return uniformColors(n);
    }
    return out;
}

}  // namespace latentscape::ui
