// The autoencoder model file (.lsae). Little-endian throughout:
//
//   offset  size      field
//   0       8         magic "LSCAPEAE"
//   8       u32       format version (model_format_version; 1)
//   12      u32       input dimensions d (1 .. 1,000,000)
//   16      u32       latent dimensions L (1 .. 65,536)
//   20      u32       flags: bit 0 variational, bit 1 sigmoid output, bit 2 input map (the network
//                     sees (x - mean) / scale: standardisation, or an input scale with mean 0),
//                     bit 3 log1p input (the network sees the map of log1p(x); decode gives expm1)
//   24      u32       hidden activation: 0 relu, 1 gelu, 2 tanh, 3 linear
//   28      u32       h, the number of encoder hidden layers (0 .. 16)
//   32      4h        u32 hidden sizes, widest first (1 .. 65,536 each)
//   then float32 arrays, in this order:
//           [bit 2 only] mean (d), scale (d)
//           per layer, encoder first then decoder: weights (out x in, column-major), bias (out)
//   The file ends right after the last array. The layer shapes follow from d, L, h, the hidden
//   sizes and the variational flag (the encoder's last layer outputs 2L for a VAE).
// A reader refuses a newer version, unknown flag bits, a wrong size, a gzip file, a non-finite
// number or one beyond 1e30 in magnitude, and a scale outside [1e-30, 1e30]. It reads the header
// first and the arrays only once the file's size matches what the header declares.
#include "reduce/autoencoder.h"

#include "common/error.h"
#include "common/file_io.h"
#include "reduce/autoencoder_internal.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <ostream>

namespace latentscape::reduce::autoencoder {
namespace {

static_assert(std::endian::native == std::endian::little, "the model format is little-endian");

constexpr char kMagic[8] = {'L', 'S', 'C', 'A', 'P', 'E', 'A', 'E'};
constexpr std::uint32_t kVariational = 1, kSigmoid = 2, kStandardized = 4, kLog1p = 8;

void put_u32(std::ostream& out, std::uint32_t v) { out.write(reinterpret_cast<const char*>(&v), 4); }
void put_floats(std::ostream& out, const std::vector<float>& v) { internal::write_floats(out, v); }

/// Values a model may hold: finite, and far from float overflow (a product of two would overflow).
constexpr float kLargest = 1e30f;

class Reader {
public:
    Reader(const std::string& path, const std::string& bytes, std::size_t at = 0) : path_(path), bytes_(bytes), at_(at) {}
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
            if (!(std::abs(v[i]) <= kLargest))
                fail(what + " holds " + (std::isfinite(v[i]) ? "a number beyond 1e30" : "a non-finite number") + " (corrupt file)",
                     at_ + i * sizeof(float));
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

namespace internal {
std::vector<float> read_floats(const io::InputFile& in, std::size_t count, std::size_t& pos, const std::string& what) {
    std::vector<float> v(count);
    const std::size_t bytes = count * sizeof(float);
    if (in.read_at(reinterpret_cast<char*>(v.data()), bytes, pos) != bytes)
        throw LoadError(in.path(), "cannot read " + what + " (the file changed while being read?)", std::nullopt, std::int64_t(pos));
    for (std::size_t i = 0; i < count; ++i)
        if (!(std::abs(v[i]) <= kLargest))
            throw LoadError(in.path(), what + " holds " + (std::isfinite(v[i]) ? "a number beyond 1e30" : "a non-finite number") + " (corrupt file)",
                            std::nullopt, std::int64_t(pos + i * sizeof(float)));
    pos += bytes;
    return v;
}

void write_floats(std::ostream& out, const std::vector<float>& v) {
    out.write(reinterpret_cast<const char*>(v.data()), std::streamsize(v.size() * sizeof(float)));
}
}  // namespace internal

void Model::save(const std::string& path) const {
    const internal::Architecture arch = internal::architecture_of(*this);
    internal::params_view(*this, arch);  // throws if the layers do not match the architecture
    io::write_atomically(path, [&](std::ostream& out) {
        out.write(kMagic, 8);
        put_u32(out, model_format_version);
        put_u32(out, std::uint32_t(input_dims));
        put_u32(out, std::uint32_t(latent_dims));
        put_u32(out, (variational ? kVariational : 0) | (sigmoid_output ? kSigmoid : 0) | (mean.empty() ? 0 : kStandardized) |
                         (log1p_input ? kLog1p : 0));
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
    // The header first (no decompression, no whole-file read), so that a wrong or hostile file
    // costs at most its first bytes.
    // The shared checks: a FIFO (encode --model a pipe) or a device is refused before it is
    // opened, not waited on or read forever.
    const io::InputFile in(path);
    const std::uint64_t file_size = in.size();
    std::string head(static_cast<std::size_t>(std::min<std::uint64_t>(file_size, 32 + 4 * 16)), '\0');
    if (in.read_at(head.data(), head.size(), 0) != head.size())
        throw LoadError(path, "cannot read the model file (it shrank while being read?)", std::nullopt, 0);
    const std::string& bytes = head;
    Reader r(path, head);
    if (head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x1f && static_cast<unsigned char>(head[1]) == 0x8b)
        r.fail("a gzip file, not an autoencoder model (models are never compressed)", 0);
    if (bytes.size() < 8 || std::memcmp(bytes.data(), kMagic, 8) != 0)
        r.fail("not a Latentscape autoencoder model (the file does not start with \"LSCAPEAE\")", 0);
    r.u32("magic");
    r.u32("magic");
    const std::uint32_t version = r.u32("format version");
    if (version == 0)
        r.fail("model format version 0 is invalid (versions start at 1): the file is damaged, not a model", 8);
    if (version > model_format_version)
        r.fail("model format version " + std::to_string(version) + " is not supported (this build reads 1 to " +
                   std::to_string(model_format_version) + "; a newer Latentscape wrote it)",
               8);
    Model m;
    const std::uint32_t d = r.u32("input dimensions");
    if (d < 1 || d > 1'000'000) r.fail("input dimensions " + std::to_string(d) + " out of range", 12);
    const std::uint32_t L = r.u32("latent dimensions");
    if (L < 1 || L > 65536) r.fail("latent dimensions " + std::to_string(L) + " out of range", 16);
    const std::uint32_t flags = r.u32("flags");
    if (flags & ~(kVariational | kSigmoid | kStandardized | kLog1p)) r.fail("unknown flag bits " + std::to_string(flags), 20);
    const std::uint32_t act = r.u32("activation");
    if (act > 3) r.fail("unknown activation code " + std::to_string(act), 24);
    const std::uint32_t h = r.u32("hidden layer count");
    if (h > 16) r.fail("hidden layer count " + std::to_string(h) + " out of range", 28);
    m.input_dims = int(d);
    m.latent_dims = int(L);
    m.variational = flags & kVariational;
    m.sigmoid_output = flags & kSigmoid;
    m.log1p_input = flags & kLog1p;
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
    if (double(file_size) != expected)
        r.fail("the file has " + std::to_string(file_size) + " bytes, the architecture it declares needs " +
                   std::to_string(std::int64_t(expected)) + (double(file_size) < expected ? " (truncated)" : " (trailing bytes)"),
               std::size_t(std::min<double>(double(file_size), expected)));
    // The parameters are read straight into their vectors, block by block: a whole-file buffer
    // beside them doubled the peak (a sparse 1.5 GB model took 3.4 GB).
    io::check_fits_in_memory(path, std::uint64_t(file_size), "autoencoder model");
    std::size_t pos = r.at();
    const auto read_floats = [&](std::size_t count, const std::string& what) { return internal::read_floats(in, count, pos, what); };
    if (flags & kStandardized) {
        m.mean = read_floats(d, "the input map's means");
        const std::size_t scales_at = pos;
        m.scale = read_floats(d, "the input map's scales");
        for (std::size_t j = 0; j < d; ++j)
            if (!(m.scale[j] >= 1e-30f && m.scale[j] <= kLargest))
                throw LoadError(path, "input scale " + std::to_string(j + 1) + " is outside [1e-30, 1e30] (corrupt file)",
                                std::nullopt, std::int64_t(scales_at + 4 * j));
    }
    for (int l = 0; l < arch.layers(); ++l) {
        Layer layer;
        layer.in = arch.in[l];
        layer.out = arch.out[l];
        const std::string name = "layer " + std::to_string(l + 1);
        layer.weights = read_floats(std::size_t(layer.in) * std::size_t(layer.out), name + "'s weights");
        layer.bias = read_floats(std::size_t(layer.out), name + "'s biases");
        m.layers.push_back(std::move(layer));
    }
    return m;
}

}  // namespace latentscape::reduce::autoencoder
