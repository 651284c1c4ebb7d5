// The autoencoder model file (.lsae). Little-endian throughout:
//
//   offset  size      field
//   0       8         magic "LSCAPEAE"
//   8       u32       format version (model_format_version; 1)
//   12      u32       input dimensions d (1 .. 1,000,000)
//   16      u32       latent dimensions L (1 .. 65,536)
//   20      u32       flags: bit 0 variational, bit 1 sigmoid output, bit 2 standardised input
//   24      u32       hidden activation: 0 relu, 1 gelu, 2 tanh, 3 linear
//   28      u32       h, the number of encoder hidden layers (0 .. 16)
//   32      4h        u32 hidden sizes, widest first (1 .. 65,536 each)
//   then float32 arrays, in this order:
//           [standardised only] mean (d), scale (d)
//           per layer, encoder first then decoder: weights (out x in, column-major), bias (out)
//   The file ends right after the last array. The layer shapes follow from d, L, h, the hidden
//   sizes and the variational flag (the encoder's last layer outputs 2L for a VAE).
// A reader refuses a newer version, unknown flag bits, a wrong size or a non-finite number.
#include "reduce/autoencoder.h"

#include "common/error.h"
#include "common/file_io.h"
#include "reduce/autoencoder_internal.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <ostream>

namespace latentscape::reduce::autoencoder {
namespace {

static_assert(std::endian::native == std::endian::little, "the model format is little-endian");

constexpr char kMagic[8] = {'L', 'S', 'C', 'A', 'P', 'E', 'A', 'E'};
constexpr std::uint32_t kVariational = 1, kSigmoid = 2, kStandardized = 4;

void put_u32(std::ostream& out, std::uint32_t v) { out.write(reinterpret_cast<const char*>(&v), 4); }
void put_floats(std::ostream& out, const std::vector<float>& v) {
    out.write(reinterpret_cast<const char*>(v.data()), std::streamsize(v.size() * sizeof(float)));
}

class Reader {
public:
    Reader(const std::string& path, const std::string& bytes) : path_(path), bytes_(bytes) {}
    std::uint32_t u32(const char* what) {
        need(4, what);
        std::uint32_t v;
        std::memcpy(&v, bytes_.data() + at_, 4);
        at_ += 4;
        return v;
    }
    std::vector<float> floats(std::size_t count, const std::string& what) {
        need(count * sizeof(float), what);
        std::vector<float> v(count);
        std::memcpy(v.data(), bytes_.data() + at_, count * sizeof(float));
        for (std::size_t i = 0; i < count; ++i)
            if (!std::isfinite(v[i])) fail(what + " holds a non-finite number (corrupt file)", at_ + i * sizeof(float));
        at_ += count * sizeof(float);
        return v;
    }
    [[noreturn]] void fail(const std::string& cause, std::size_t offset) const {
        throw LoadError(path_, cause, std::nullopt, std::int64_t(offset));
    }
    [[noreturn]] void fail(const std::string& cause) const { fail(cause, at_); }
    std::size_t at() const { return at_; }
    std::size_t size() const { return bytes_.size(); }

private:
    void need(std::size_t count, const std::string& what) const {
        if (bytes_.size() - at_ < count)
            fail("truncated autoencoder model: " + what + " needs " + std::to_string(count) + " bytes, " +
                 std::to_string(bytes_.size() - at_) + " left");
    }
    const std::string& path_;
    const std::string& bytes_;
    std::size_t at_ = 0;
};

}  // namespace

void Model::save(const std::string& path) const {
    const internal::Architecture arch = internal::architecture_of(*this);
    internal::params_of(*this, arch);  // throws if the layers do not match the architecture
    io::write_atomically(path, [&](std::ostream& out) {
        out.write(kMagic, 8);
        put_u32(out, model_format_version);
        put_u32(out, std::uint32_t(input_dims));
        put_u32(out, std::uint32_t(latent_dims));
        put_u32(out, (variational ? kVariational : 0) | (sigmoid_output ? kSigmoid : 0) | (mean.empty() ? 0 : kStandardized));
        put_u32(out, std::uint32_t(activation));
        put_u32(out, std::uint32_t(hidden.size()));
        for (int h : hidden) put_u32(out, std::uint32_t(h));
        if (!mean.empty()) {
            put_floats(out, mean);
            put_floats(out, scale);
        }
        for (const Layer& l : layers) {
            put_floats(out, l.weights);
            put_floats(out, l.bias);
        }
    });
}

Model Model::load(const std::string& path) {
    const std::string bytes = io::read_file(path);
    Reader r(path, bytes);
    if (bytes.size() < 8 || std::memcmp(bytes.data(), kMagic, 8) != 0)
        r.fail("not a Latentscape autoencoder model (the file does not start with \"LSCAPEAE\")", 0);
    r.u32("magic");
    r.u32("magic");
    const std::uint32_t version = r.u32("format version");
    if (version == 0 || version > model_format_version)
        r.fail("model format version " + std::to_string(version) + " is not supported (this build reads 1 to " +
                   std::to_string(model_format_version) + "; a newer Latentscape wrote it)",
               8);
    Model m;
    const std::uint32_t d = r.u32("input dimensions");
    if (d < 1 || d > 1'000'000) r.fail("input dimensions " + std::to_string(d) + " out of range", 12);
    const std::uint32_t L = r.u32("latent dimensions");
    if (L < 1 || L > 65536) r.fail("latent dimensions " + std::to_string(L) + " out of range", 16);
    const std::uint32_t flags = r.u32("flags");
    if (flags & ~(kVariational | kSigmoid | kStandardized)) r.fail("unknown flag bits " + std::to_string(flags), 20);
    const std::uint32_t act = r.u32("activation");
    if (act > 3) r.fail("unknown activation code " + std::to_string(act), 24);
    const std::uint32_t h = r.u32("hidden layer count");
    if (h > 16) r.fail("hidden layer count " + std::to_string(h) + " out of range", 28);
    m.input_dims = int(d);
    m.latent_dims = int(L);
    m.variational = flags & kVariational;
    m.sigmoid_output = flags & kSigmoid;
    m.activation = static_cast<Activation>(act);
    for (std::uint32_t i = 0; i < h; ++i) {
        const std::size_t at = r.at();
        const std::uint32_t size = r.u32("hidden sizes");
        if (size < 1 || size > 65536) r.fail("hidden layer " + std::to_string(i + 1) + " size " + std::to_string(size) + " out of range", at);
        m.hidden.push_back(int(size));
    }
    const internal::Architecture arch = internal::architecture_of(m);
    double floats = (flags & kStandardized) ? 2.0 * d : 0.0;
    for (int l = 0; l < arch.layers(); ++l) floats += double(arch.in[l]) * arch.out[l] + arch.out[l];
    const double expected = double(r.at()) + 4.0 * floats;
    if (double(r.size()) != expected)
        r.fail("the file has " + std::to_string(r.size()) + " bytes, the architecture it declares needs " +
                   std::to_string(std::int64_t(expected)) + (double(r.size()) < expected ? " (truncated)" : " (trailing bytes)"),
               std::min<std::size_t>(r.size(), std::size_t(expected)));
    if (flags & kStandardized) {
        m.mean = r.floats(d, "the standardisation means");
        m.scale = r.floats(d, "the standardisation scales");
        for (std::size_t j = 0; j < d; ++j)
            if (!(m.scale[j] > 0.0f)) r.fail("standardisation scale " + std::to_string(j + 1) + " is not positive", r.at());
    }
    for (int l = 0; l < arch.layers(); ++l) {
        Layer layer;
        layer.in = arch.in[l];
        layer.out = arch.out[l];
        const std::string name = "layer " + std::to_string(l + 1);
        layer.weights = r.floats(std::size_t(layer.in) * std::size_t(layer.out), name + "'s weights");
        layer.bias = r.floats(std::size_t(layer.out), name + "'s biases");
        m.layers.push_back(std::move(layer));
    }
    return m;
}

}  // namespace latentscape::reduce::autoencoder
