// A trained GAN applied (generate, discriminate), its noise, and its model file (.lsgan).
//
// The file, little-endian throughout:
//   offset  size   field
//   0       8      magic "LSCAPEGN"
//   8       u32    format version (model_format_version; 1)
//   12      u32    data dimensions d (1 .. 1,000,000)
//   16      u32    noise dimensions (1 .. 65,536)
//   20      u32    flags: bit 0 sigmoid output, bit 1 input map (the networks see (x - mean) / scale)
//   24      u32    the generator's hidden activation: 0 relu, 1 gelu, 2 tanh, 3 linear
//   28      u32    g, the generator's hidden layer count (0 .. 16), then g u32 sizes
//           u32    h, the discriminator's hidden layer count (0 .. 16), then h u32 sizes
//   then float32 arrays: [bit 1 only] mean (d), scale (d); per generator layer weights (out x in,
//   column-major) and bias (out); the same per discriminator layer. Nothing after them.
// A reader refuses a newer version, unknown flags, a size that does not match the shapes, a
// non-finite number or one beyond 1e30, and a scale outside [1e-30, 1e30].
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"  // GCC bug 105593, see autoencoder_net.cpp
#endif

#include "reduce/gan.h"

#include "common/error.h"
#include "common/file_io.h"
#include "common/rng.h"
#include "reduce/gan_internal.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <ostream>
#include <stdexcept>

namespace latentscape::reduce::gan {

namespace ae = autoencoder::internal;
using ae::Mat;

namespace {

static_assert(std::endian::native == std::endian::little, "the model format is little-endian");
constexpr char kMagic[8] = {'L', 'S', 'C', 'A', 'P', 'E', 'G', 'N'};
constexpr std::uint32_t kSigmoid = 1, kMapped = 2;

void put_u32(std::ostream& out, std::uint32_t v) { out.write(reinterpret_cast<const char*>(&v), 4); }

}  // namespace

std::int64_t Model::parameter_count() const {
    std::int64_t count = 0;
    for (const auto* net : {&generator, &discriminator})
        for (const Layer& l : *net) count += std::int64_t(l.in) * l.out + l.out;
    return count;
}

std::vector<float> Model::generate(const float* Z, std::int64_t n) const {
    ae::check_finite("gan", Z, n, noise_dims, "generate");
    const internal::Nets nets = internal::nets_of(*this);
    const ae::Params<float> p = internal::layers_view(generator, nets.generator, "gan generator");
    const Eigen::Index d = data_dims;
    std::vector<float> out(static_cast<std::size_t>(n) * static_cast<std::size_t>(d));
    ae::for_batches(n, [&](std::int64_t r0, std::int64_t rows) {
        ae::Workspace<float> ws;
        Mat<float> in = Mat<float>::Zero(noise_dims, ae::padded(rows));
        in.leftCols(static_cast<Eigen::Index>(rows)) =
            Eigen::Map<const Mat<float>>(Z + r0 * noise_dims, noise_dims, static_cast<Eigen::Index>(rows));
        ae::forward<float>(nets.generator, p, 0, nets.generator.layers(), in, ws);
        Mat<float> result = ws.A[std::size_t(nets.generator.layers() - 1)].leftCols(static_cast<Eigen::Index>(rows));
        ae::unmap_output(mean, scale, result);
        Eigen::Map<Mat<float>>(out.data() + r0 * d, d, static_cast<Eigen::Index>(rows)) = result;
    });
    ae::check_output("gan", out, n, d, "the generated value");
    return out;
}

std::vector<float> Model::discriminate(const float* X, std::int64_t n) const {
    ae::check_finite("gan", X, n, data_dims, "discriminate");
    const internal::Nets nets = internal::nets_of(*this);
    const ae::Params<float> p = internal::layers_view(discriminator, nets.discriminator, "gan discriminator");
    std::vector<float> out(static_cast<std::size_t>(n));
    ae::for_batches(n, [&](std::int64_t r0, std::int64_t rows) {
        ae::Workspace<float> ws;
        const Mat<float> in = ae::mapped_input(mean, scale, false, X, data_dims, r0, rows);
        const int last = nets.discriminator.layers() - 1;
        ae::forward<float>(nets.discriminator, p, 0, last + 1, in, ws);
        for (std::int64_t i = 0; i < rows; ++i)
            out[std::size_t(r0 + i)] = float(1.0 / (1.0 + std::exp(-double(ws.Z[std::size_t(last)](0, Eigen::Index(i))))));
    });
    ae::check_output("gan", out, n, 1, "the discriminator's score");
    return out;
}

std::vector<float> noise(std::int64_t n, int dims, std::uint64_t seed) {
    if (n < 0 || dims < 1) throw std::invalid_argument("gan: noise needs n >= 0 and dims >= 1");
    std::vector<float> z(static_cast<std::size_t>(n) * std::size_t(dims));
    for (std::int64_t i = 0; i < n; ++i) {
        Rng rng = Rng::stream(seed ^ 0x53414d504c45ull, std::uint64_t(i));
        for (int j = 0; j < dims; ++j) z[std::size_t(i * dims + j)] = float(rng.normal());
    }
    return z;
}

std::vector<float> interpolate(const std::vector<float>& a, const std::vector<float>& b, int n) {
    if (a.size() != b.size() || a.empty()) throw std::invalid_argument("gan: interpolation ends of different sizes");
    if (n < 2) throw std::invalid_argument("gan: an interpolation needs at least 2 points, got " + std::to_string(n));
    std::vector<float> z(std::size_t(n) * a.size());
    for (int i = 0; i < n; ++i) {
        const double t = double(i) / double(n - 1);
        for (std::size_t j = 0; j < a.size(); ++j) z[std::size_t(i) * a.size() + j] = float((1.0 - t) * a[j] + t * b[j]);
    }
    return z;
}

void Model::save(const std::string& path) const {
    const internal::Nets nets = internal::nets_of(*this);
    internal::layers_view(generator, nets.generator, "gan generator");  // throws on a shape mismatch
    internal::layers_view(discriminator, nets.discriminator, "gan discriminator");
    io::write_atomically(path, [&](std::ostream& out) {
        out.write(kMagic, 8);
        put_u32(out, model_format_version);
        put_u32(out, std::uint32_t(data_dims));
        put_u32(out, std::uint32_t(noise_dims));
        put_u32(out, (sigmoid_output ? kSigmoid : 0) | (mean.empty() ? 0 : kMapped));
        put_u32(out, std::uint32_t(activation));
        for (const auto* hidden : {&generator_hidden, &discriminator_hidden}) {
            put_u32(out, std::uint32_t(hidden->size()));
            for (int h : *hidden) put_u32(out, std::uint32_t(h));
        }
        if (!mean.empty()) {
            ae::write_floats(out, mean);
            ae::write_floats(out, scale);
        }
        for (const auto* net : {&generator, &discriminator})
            for (const Layer& l : *net) {
                ae::write_floats(out, l.weights);
                ae::write_floats(out, l.bias);
            }
    });
}

Model Model::load(const std::string& path) {
    const io::InputFile in(path);
    const std::uint64_t file_size = in.size();
    std::size_t pos = 0;
    auto fail = [&](const std::string& cause, std::size_t at) -> void {
        throw LoadError(path, cause, std::nullopt, std::int64_t(at));
    };
    auto u32 = [&](const char* what) {
        std::uint32_t v = 0;
        if (pos + 4 > file_size || in.read_at(reinterpret_cast<char*>(&v), 4, pos) != 4)
            fail(std::string("truncated GAN model: no room for ") + what, pos);
        pos += 4;
        return v;
    };
    char magic[8] = {};
    const std::size_t got = in.read_at(magic, std::size_t(std::min<std::uint64_t>(8, file_size)), 0);
    if (got >= 2 && static_cast<unsigned char>(magic[0]) == 0x1f && static_cast<unsigned char>(magic[1]) == 0x8b)
        fail("a gzip file, not a GAN model (models are never compressed)", 0);
    if (got < 8 || std::memcmp(magic, kMagic, 8) != 0)
        fail("not a Latentscape GAN model (the file does not start with \"LSCAPEGN\")", 0);
    pos = 8;
    const std::uint32_t version = u32("the format version");
    if (version == 0 || version > model_format_version)
        fail("GAN model format version " + std::to_string(version) + " is not supported (this build reads 1 to " +
                 std::to_string(model_format_version) + ")",
             8);
    Model m;
    const std::uint32_t d = u32("the data dimensions");
    if (d < 1 || d > 1'000'000) fail("data dimensions " + std::to_string(d) + " out of range", 12);
    const std::uint32_t nz = u32("the noise dimensions");
    if (nz < 1 || nz > 65536) fail("noise dimensions " + std::to_string(nz) + " out of range", 16);
    const std::uint32_t flags = u32("the flags");
    if (flags & ~(kSigmoid | kMapped)) fail("unknown flag bits " + std::to_string(flags), 20);
    const std::uint32_t act = u32("the activation");
    if (act > 3) fail("unknown activation code " + std::to_string(act), 24);
    m.data_dims = int(d);
    m.noise_dims = int(nz);
    m.sigmoid_output = flags & kSigmoid;
    m.activation = static_cast<autoencoder::Activation>(act);
    for (auto* hidden : {&m.generator_hidden, &m.discriminator_hidden}) {
        const std::size_t at = pos;
        const std::uint32_t count = u32("a hidden layer count");
        if (count > 16) fail("hidden layer count " + std::to_string(count) + " out of range", at);
        for (std::uint32_t i = 0; i < count; ++i) {
            const std::size_t size_at = pos;
            const std::uint32_t size = u32("the hidden sizes");
            if (size < 1 || size > 65536) fail("hidden layer size " + std::to_string(size) + " out of range", size_at);
            hidden->push_back(int(size));
        }
    }
    const internal::Nets nets = internal::nets_of(m);
    double floats = (flags & kMapped) ? 2.0 * d : 0.0;
    for (const auto* a : {&nets.generator, &nets.discriminator})
        for (int l = 0; l < a->layers(); ++l) floats += double(a->in[std::size_t(l)]) * a->out[std::size_t(l)] + a->out[std::size_t(l)];
    const double expected = double(pos) + 4.0 * floats;
    if (double(file_size) != expected)
        fail("the file has " + std::to_string(file_size) + " bytes, the networks it declares need " +
                 std::to_string(std::int64_t(expected)) + (double(file_size) < expected ? " (truncated)" : " (trailing bytes)"),
             std::size_t(std::min<double>(double(file_size), expected)));
    io::check_fits_in_memory(path, file_size, "GAN model");
    if (flags & kMapped) {
        m.mean = ae::read_floats(in, d, pos, "the input map's means");
        const std::size_t scales_at = pos;
        m.scale = ae::read_floats(in, d, pos, "the input map's scales");
        for (std::size_t j = 0; j < d; ++j)
            if (!(m.scale[j] >= 1e-30f && m.scale[j] <= 1e30f))
                fail("input scale " + std::to_string(j + 1) + " is outside [1e-30, 1e30] (corrupt file)", scales_at + 4 * j);
    }
    const std::pair<const ae::Architecture*, std::vector<Layer>*> nets_and_layers[] = {
        {&nets.generator, &m.generator}, {&nets.discriminator, &m.discriminator}};
    for (const auto& [arch, layers] : nets_and_layers) {
        const char* which = layers == &m.generator ? "generator" : "discriminator";
        for (int l = 0; l < arch->layers(); ++l) {
            Layer layer;
            layer.in = arch->in[std::size_t(l)];
            layer.out = arch->out[std::size_t(l)];
            const std::string name = std::string(which) + " layer " + std::to_string(l + 1);
            layer.weights = ae::read_floats(in, std::size_t(layer.in) * std::size_t(layer.out), pos, name + "'s weights");
            layer.bias = ae::read_floats(in, std::size_t(layer.out), pos, name + "'s biases");
            layers->push_back(std::move(layer));
        }
    }
    return m;
}

}  // namespace latentscape::reduce::gan
