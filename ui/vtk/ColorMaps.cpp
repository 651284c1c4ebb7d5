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

// Okabe & Ito (2008), ordered so that the first colours have the most contrast on white.
constexpr std::array<Rgb, 8> kColorBlindSafe{{
    {0x00, 0x72, 0xb2}, {0xe6, 0x9f, 0x00}, {0x00, 0x9e, 0x73}, {0xd5, 0x5e, 0x00},
    {0xcc, 0x79, 0xa7}, {0x56, 0xb4, 0xe9}, {0x00, 0x00, 0x00}, {0xf0, 0xe4, 0x42},
}};

std::uint8_t toByte(double v) { return std::uint8_t(std::lround(std::clamp(v, 0.0, 1.0) * 255.0)); }

struct Lab {
    double l, a, b;
};

Lab toLab(Rgb c) {
    auto linear = [](double u) { return u <= 0.04045 ? u / 12.92 : std::pow((u + 0.055) / 1.055, 2.4); };
    const double r = linear(c.r / 255.0), g = linear(c.g / 255.0), b = linear(c.b / 255.0);
    const double x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    const double y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    const double z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    auto f = [](double t) { return t > 0.008856 ? std::cbrt(t) : 7.787 * t + 16.0 / 116.0; };
    return {116.0 * f(y) - 16.0, 500.0 * (f(x) - f(y)), 200.0 * (f(y) - f(z))};
}

double distance2(const Lab& p, const Lab& q) {
    return (p.l - q.l) * (p.l - q.l) + (p.a - q.a) * (p.a - q.a) + (p.b - q.b) * (p.b - q.b);
}

// The long palette: the 22 hand-picked colours, then (Glasbey et al. 2007) greedily the
// candidate farthest in CIELAB from every colour so far, from white and from the missing grey,
// up to 64 colours. Deterministic: a fixed candidate grid and order.
const std::vector<Rgb>& longPalette() {
    static const std::vector<Rgb> palette = [] {
        std::vector<Rgb> out(kPalette.begin(), kPalette.end());
        std::vector<Lab> taken;
        for (const Rgb& c : out) taken.push_back(toLab(c));
        taken.push_back(toLab({255, 255, 255}));
        taken.push_back(toLab({0xd0, 0xd0, 0xd0}));
        std::vector<Rgb> candidates;
        for (int r = 0; r < 256; r += 17)
            for (int g = 0; g < 256; g += 17)
                for (int b = 0; b < 256; b += 17) {
                    const Rgb c{std::uint8_t(r), std::uint8_t(g), std::uint8_t(b)};
                    if (toLab(c).l <= 88.0) candidates.push_back(c);  // not too pale on white
                }
        std::vector<double> nearest(candidates.size(), 1e300);
        for (std::size_t k = 0; k < candidates.size(); ++k)
            for (const Lab& t : taken) nearest[k] = std::min(nearest[k], distance2(toLab(candidates[k]), t));
        while (out.size() < 64) {
            const auto best = std::size_t(std::max_element(nearest.begin(), nearest.end()) - nearest.begin());
            out.push_back(candidates[best]);
            const Lab chosen = toLab(candidates[best]);
            for (std::size_t k = 0; k < candidates.size(); ++k)
                nearest[k] = std::min(nearest[k], distance2(toLab(candidates[k]), chosen));
        }
        return out;
    }();
    return palette;
}

}  // namespace

int categoricalPaletteSize() { return int(longPalette().size()); }

Rgb categoricalColor(int index, int categories) {
    if (categories > 0 && categories <= colorBlindSafeCategories)
        return kColorBlindSafe[std::size_t(((index % 8) + 8) % 8)];
    const auto& palette = longPalette();
    const int size = int(palette.size());
    return palette[std::size_t(((index % size) + size) % size)];
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
                put(i, code < 0 ? missingColor() : categoricalColor(code, int(column.categories.size())));
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

NumericRange featureRange(const data::Dataset& dataset, int feature) {
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (std::int64_t i = 0; i < dataset.n; ++i) {
        const double v = dataset.row(i)[feature];
        if (!std::isfinite(v)) continue;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    return lo > hi ? NumericRange{} : NumericRange{lo, hi};
}

}  // namespace latentscape::ui
