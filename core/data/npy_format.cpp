#include "data/npy_format.h"

#include "common/error.h"
#include "common/file_io.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string_view>

#include "common/parallel.h"
#include <sys/mman.h>

namespace latentscape::data::internal {
namespace {

constexpr char npy_magic[] = "\x93NUMPY";
constexpr std::size_t npy_magic_size = 6;
constexpr bool host_big_endian = std::endian::native == std::endian::big;

std::uint16_t bswap(std::uint16_t v) { return __builtin_bswap16(v); }
std::uint32_t bswap(std::uint32_t v) { return __builtin_bswap32(v); }
std::uint64_t bswap(std::uint64_t v) { return __builtin_bswap64(v); }

template <typename U>
U load_bits(const char* p, bool swap) {
    U u;
    std::memcpy(&u, p, sizeof u);
    return swap ? bswap(u) : u;
}

float half_to_float(std::uint16_t h) {
    const std::uint32_t sign = std::uint32_t(h & 0x8000u) << 16;
    const std::uint32_t exponent = (h >> 10) & 0x1fu;
    const std::uint32_t mantissa = h & 0x3ffu;
    if (exponent == 0) {  // zero or subnormal: mantissa * 2^-24, exact in float
        const float f = std::ldexp(float(mantissa), -24);
        return sign ? -f : f;
    }
    if (exponent == 31) return std::bit_cast<float>(sign | 0x7f800000u | (mantissa << 13));
    return std::bit_cast<float>(sign | ((exponent + 112) << 23) | (mantissa << 13));
}

// One element type as a compile-time decoder, so that the conversion loops specialise per type.
template <ScalarKind Kind, int Size, bool Swap>
struct Decoder {
    static constexpr int size = Size;
    static auto value(const char* p) {
        if constexpr (Kind == ScalarKind::Bool) {
            return std::uint8_t(*p != 0);
        } else if constexpr (Size == 1) {
            if constexpr (Kind == ScalarKind::SignedInt) return std::int8_t(*p);
            else return std::uint8_t(*p);
        } else if constexpr (Kind == ScalarKind::Float) {
            if constexpr (Size == 2) return half_to_float(load_bits<std::uint16_t>(p, Swap));
            else if constexpr (Size == 4) return std::bit_cast<float>(load_bits<std::uint32_t>(p, Swap));
            else return std::bit_cast<double>(load_bits<std::uint64_t>(p, Swap));
        } else {
            using U = std::conditional_t<Size == 2, std::uint16_t, std::conditional_t<Size == 4, std::uint32_t, std::uint64_t>>;
            using S = std::make_signed_t<U>;
            const U u = load_bits<U>(p, Swap);
            if constexpr (Kind == ScalarKind::SignedInt) return S(u);
            else return u;
        }
    }
};

// Offset, in elements of the trailing dimensions laid out column-major, of C-order column c.
std::int64_t fortran_offset(const std::vector<std::int64_t>& shape, std::int64_t c) {
    std::int64_t offset = 0;
    std::int64_t stride = 1;
    std::vector<std::int64_t> index(shape.size(), 0);
    for (std::size_t k = shape.size(); k-- > 1;) {
        index[k] = c % shape[k];
        c /= shape[k];
    }
    for (std::size_t k = 1; k < shape.size(); ++k) {
        offset += index[k] * stride;
        stride *= shape[k];
    }
    return offset;
}

template <typename Dec, typename Out>
void convert_with(const std::vector<std::int64_t>& shape, bool fortran, const char* data, Out* out) {
    const std::int64_t rows = shape.empty() ? 1 : shape[0];
    std::int64_t cols = 1;
    for (std::size_t k = 1; k < shape.size(); ++k) cols *= shape[k];
    const bool parallel = rows * cols >= (1 << 16);
    constexpr std::size_t size = Dec::size;
    if (!fortran || shape.size() <= 1) {
        parallel::for_each(
            rows,
            [&](std::int64_t i) {
                const char* src = data + std::size_t(i) * std::size_t(cols) * size;
                Out* dst = out + i * cols;
                for (std::int64_t j = 0; j < cols; ++j) dst[j] = static_cast<Out>(Dec::value(src + std::size_t(j) * size));
            },
            parallel);
        return;
    }
    // Column-major input: blocks of rows read short contiguous runs of each column instead of
    // one element per cache line.
    std::vector<std::int64_t> column_offset(static_cast<std::size_t>(cols));
    for (std::int64_t c = 0; c < cols; ++c) column_offset[std::size_t(c)] = fortran_offset(shape, c);
    constexpr std::int64_t block = 16;
    const std::int64_t blocks = (rows + block - 1) / block;
    parallel::for_each(
        blocks,
        [&](std::int64_t b) {
            const std::int64_t i0 = b * block;
            const std::int64_t i1 = std::min(rows, i0 + block);
            for (std::int64_t j = 0; j < cols; ++j) {
                const char* col = data + std::size_t(rows * column_offset[std::size_t(j)]) * size;
                for (std::int64_t i = i0; i < i1; ++i)
                    out[i * cols + j] = static_cast<Out>(Dec::value(col + std::size_t(i) * size));
            }
        },
        parallel);
}

template <bool Swap, typename Out>
void convert_ordered(const ScalarType& t, bool fortran, const std::vector<std::int64_t>& shape, const char* data, Out* out) {
    using K = ScalarKind;
    switch (t.kind) {
        case K::Bool: return convert_with<Decoder<K::Bool, 1, Swap>>(shape, fortran, data, out);
        case K::Float:
            if (t.size == 2) return convert_with<Decoder<K::Float, 2, Swap>>(shape, fortran, data, out);
            if (t.size == 4) return convert_with<Decoder<K::Float, 4, Swap>>(shape, fortran, data, out);
            return convert_with<Decoder<K::Float, 8, Swap>>(shape, fortran, data, out);
        case K::SignedInt:
            if (t.size == 1) return convert_with<Decoder<K::SignedInt, 1, Swap>>(shape, fortran, data, out);
            if (t.size == 2) return convert_with<Decoder<K::SignedInt, 2, Swap>>(shape, fortran, data, out);
            if (t.size == 4) return convert_with<Decoder<K::SignedInt, 4, Swap>>(shape, fortran, data, out);
            return convert_with<Decoder<K::SignedInt, 8, Swap>>(shape, fortran, data, out);
        case K::UnsignedInt:
            if (t.size == 1) return convert_with<Decoder<K::UnsignedInt, 1, Swap>>(shape, fortran, data, out);
            if (t.size == 2) return convert_with<Decoder<K::UnsignedInt, 2, Swap>>(shape, fortran, data, out);
            if (t.size == 4) return convert_with<Decoder<K::UnsignedInt, 4, Swap>>(shape, fortran, data, out);
            return convert_with<Decoder<K::UnsignedInt, 8, Swap>>(shape, fortran, data, out);
        case K::Text: throw std::logic_error("convert_array: text is not converted to numbers");
    }
}

template <typename Out>
void convert_any(const ScalarType& t, bool fortran, const std::vector<std::int64_t>& shape, const char* data, Out* out) {
    if (t.big_endian != host_big_endian && t.size > 1) convert_ordered<true>(t, fortran, shape, data, out);
    else convert_ordered<false>(t, fortran, shape, data, out);
}

// The header dict is a Python literal such as
// {'descr': '<f4', 'fortran_order': False, 'shape': (70000, 785), }
// followed by space padding and a newline. Only the three keys numpy writes are accepted.
class DictParser {
public:
    DictParser(const Source& src, const char* p, std::size_t begin, std::size_t end)
        : src_(src), p_(p), i_(begin), end_(end) {}

    [[noreturn]] void fail(const std::string& cause) const { src_.fail("bad NPY header: " + cause, i_); }
    std::size_t pos() const { return i_; }

    void skip_space() {
        while (i_ < end_ && (p_[i_] == ' ' || p_[i_] == '\t' || p_[i_] == '\n' || p_[i_] == '\r')) ++i_;
    }
    bool peek(char c) {
        skip_space();
        return i_ < end_ && p_[i_] == c;
    }
    void expect(char c) {
        if (!peek(c)) fail(std::string("expected '") + c + "'" + found());
        ++i_;
    }
    std::string found() const {
        if (i_ >= end_) return " but the header ends";
        const unsigned char c = static_cast<unsigned char>(p_[i_]);
        if (c >= 0x20 && c < 0x7f) return std::string(" but found '") + char(c) + "'";
        return " but found byte " + std::to_string(c);
    }
    std::string string_literal() {
        skip_space();
        if (i_ >= end_ || (p_[i_] != '\'' && p_[i_] != '"')) fail("expected a quoted string" + found());
        const char quote = p_[i_++];
        const std::size_t start = i_;
        while (i_ < end_ && p_[i_] != quote && p_[i_] != '\n') ++i_;
        if (i_ >= end_ || p_[i_] != quote) fail("unterminated string");
        return std::string(p_ + start, p_ + i_++);
    }
    bool boolean() {
        skip_space();
        for (const auto& [word, value] : {std::pair{"True", true}, std::pair{"False", false}}) {
            const std::size_t len = std::strlen(word);
            if (end_ - i_ >= len && std::memcmp(p_ + i_, word, len) == 0) {
                i_ += len;
                return value;
            }
        }
        fail("expected True or False" + found());
    }
    std::vector<std::int64_t> tuple() {
        expect('(');
        std::vector<std::int64_t> values;
        if (peek(')')) {
            ++i_;
            return values;
        }
        for (;;) {
            values.push_back(integer());
            if (peek(',')) {
                ++i_;
                if (peek(')')) break;
                continue;
            }
            if (peek(')')) break;
            fail("expected ',' or ')' in the shape" + found());
        }
        ++i_;
        return values;
    }

private:
    std::int64_t integer() {
        skip_space();
        if (i_ < end_ && p_[i_] == '-') fail("negative dimension in the shape");
        if (i_ >= end_ || p_[i_] < '0' || p_[i_] > '9') fail("expected a dimension" + found());
        std::int64_t v = 0;
        while (i_ < end_ && p_[i_] >= '0' && p_[i_] <= '9') {
            if (v > (std::numeric_limits<std::int64_t>::max() - 9) / 10) fail("dimension too large");
            v = v * 10 + (p_[i_++] - '0');
        }
        if (i_ < end_ && (p_[i_] == 'L' || p_[i_] == 'l')) ++i_;  // Python 2 long literal
        return v;
    }

    const Source& src_;
    const char* p_;
    std::size_t i_;
    std::size_t end_;
};

const char* supported_types = "supported: float16/32/64, int8/16/32/64, uint8/16/32/64 and bool";

ScalarType parse_descr(const Source& src, const std::string& descr, std::size_t pos, bool allow_text) {
    auto unsupported = [&](const std::string& what) -> ScalarType {
        src.fail("unsupported dtype '" + descr + "' (" + what + "); " + supported_types, pos);
    };
    ScalarType t{ScalarKind::Float, 0, host_big_endian, descr};
    std::string_view s = descr;
    if (!s.empty() && (s[0] == '<' || s[0] == '>' || s[0] == '|' || s[0] == '=')) {
        if (s[0] != '|' && s[0] != '=') t.big_endian = s[0] == '>';
        s.remove_prefix(1);
    }
    if (s.empty()) return unsupported("no type code");
    const std::string_view digits = s.substr(1);
    // Up to 3 digits for numbers (16 bytes at most); up to 6 for strings, counted in characters.
    const std::size_t max_digits = s[0] == 'U' ? 6 : 3;
    int size = digits.size() > max_digits || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })
                   ? -1
                   : 0;
    for (const char c : digits) size = size < 0 ? size : size * 10 + (c - '0');
    switch (s[0]) {
        case 'c': return unsupported("complex numbers");
        case 'U':
            if (!allow_text) return unsupported("unicode strings");
            // Characters of 4 bytes each, up to 999,999; numpy writes '<U0' only for arrays of empty strings.
            if (size < 0) return unsupported("no such string width");
            t.kind = ScalarKind::Text;
            t.size = 4 * size;
            return t;
        case 'S':
        case 'a': return unsupported("byte strings");
        case 'O': return unsupported("Python objects, e.g. ragged rows saved as an object array");
        case 'M':
        case 'm': return unsupported("datetime or timedelta");
        case 'V': return unsupported("raw void records");
        case '?': size = digits.empty() ? 1 : size; [[fallthrough]];
        case 'b': t.kind = ScalarKind::Bool; break;
        case 'f': t.kind = ScalarKind::Float; break;
        case 'i': t.kind = ScalarKind::SignedInt; break;
        case 'u': t.kind = ScalarKind::UnsignedInt; break;
        default: return unsupported("unknown type code");
    }
    if (t.kind == ScalarKind::Float && (size == 12 || size == 16)) return unsupported("extended-precision long double");
    const bool valid = t.kind == ScalarKind::Bool    ? size == 1
                       : t.kind == ScalarKind::Float ? size == 2 || size == 4 || size == 8
                                                     : size == 1 || size == 2 || size == 4 || size == 8;
    if (!valid) return unsupported("no such element size");
    t.size = size;
    return t;
}

std::string describe_value(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
}

double element_as_double(const ScalarType& t, const char* p) {
    double v = 0;
    convert_any(t, false, {1}, p, &v);
    return v;
}

}  // namespace

void Source::fail(const std::string& cause, std::uint64_t pos) const {
    const std::string where = member.empty() ? std::string() : "member '" + member + "': ";
    if (inflated && member.empty())  // a whole gzipped file: only decompressed positions mean anything
        throw LoadError(file, cause + " (the offset counts decompressed bytes)", std::nullopt, std::int64_t(pos));
    if (inflated)
        throw LoadError(file, where + cause + " (at byte " + std::to_string(pos) + " of the decompressed data)",
                        std::nullopt, base);
    throw LoadError(file, where + cause, std::nullopt, base + std::int64_t(pos));
}

std::size_t npy_header_size(const Source& src, const char* data, std::size_t size) {
    const std::size_t n = std::min(size, npy_magic_size);
    if (std::memcmp(data, npy_magic, n) != 0) {
        const bool text = std::all_of(data, data + std::min<std::size_t>(size, 64), [](char c) {
            const unsigned char u = static_cast<unsigned char>(c);
            return (u >= 0x20 && u < 0x7f) || c == '\n' || c == '\r' || c == '\t';
        });
        src.fail(text ? "not an NPY file: it holds text (a CSV or TSV file with the wrong extension?)"
                      : "not an NPY file: the \\x93NUMPY magic string is missing",
                 0);
    }
    if (size < 10) src.fail("NPY header is truncated (the file ends inside the preamble)", size);
    const int major = static_cast<unsigned char>(data[6]);
    const int minor = static_cast<unsigned char>(data[7]);
    if ((major != 1 && major != 2 && major != 3) || minor != 0)
        src.fail("unsupported NPY format version " + std::to_string(major) + "." + std::to_string(minor) +
                      " (1.0, 2.0 and 3.0 are supported)",
                  6);
    if (major == 1) return 10 + load_bits<std::uint16_t>(data + 8, host_big_endian);
    if (size < 12) src.fail("NPY header is truncated (the file ends inside the preamble)", size);
    return 12 + std::size_t(load_bits<std::uint32_t>(data + 8, host_big_endian));
}

NpyHeader parse_npy_header(const Source& src, const char* data, std::size_t size, bool allow_text) {
    NpyHeader h;
    const std::size_t header_size = npy_header_size(src, data, size);
    h.major = static_cast<unsigned char>(data[6]);
    if (header_size > size)
        src.fail("NPY header is truncated: it declares " + std::to_string(header_size) + " bytes but only " +
                     std::to_string(size) + " are present",
                 size);
    h.data_offset = header_size;
    DictParser p(src, data, h.major == 1 ? 10 : 12, header_size);
    bool have_descr = false, have_order = false, have_shape = false;
    p.expect('{');
    while (!p.peek('}')) {
        const std::size_t key_pos = p.pos();
        const std::string key = p.string_literal();
        p.expect(':');
        if (key == "descr" && !have_descr) {
            if (p.peek('['))
                src.fail("unsupported dtype: structured arrays (records with named fields) are not supported; save a "
                         "plain numeric array",
                         p.pos());
            const std::size_t pos = p.pos();
            h.dtype = parse_descr(src, p.string_literal(), pos, allow_text);
            have_descr = true;
        } else if (key == "fortran_order" && !have_order) {
            h.fortran_order = p.boolean();
            have_order = true;
        } else if (key == "shape" && !have_shape) {
            h.shape = p.tuple();
            have_shape = true;
        } else {
            src.fail("bad NPY header: unexpected or repeated key '" + key + "'", key_pos);
        }
        if (p.peek(',')) p.expect(',');
        else if (!p.peek('}')) p.fail("expected ',' or '}'" + p.found());
    }
    p.expect('}');
    p.skip_space();
    if (p.pos() != header_size) p.fail("unexpected characters after the dictionary");
    if (!have_descr || !have_order || !have_shape) p.fail("the dictionary needs the keys 'descr', 'fortran_order' and 'shape'");

    h.count = 1;
    try {
        for (const auto dim : h.shape) h.count = io::checked_mul(src.file, h.count, std::uint64_t(dim));
        h.data_bytes = io::checked_mul(src.file, h.count, std::uint64_t(h.dtype.size));
    } catch (const LoadError& e) {
        src.fail("shape " + shape_string(h.shape) + " is impossibly large (" + e.cause() + ")", 0);
    }
    return h;
}

void check_data_present(const Source& src, const NpyHeader& h, std::uint64_t available) {
    if (available < h.data_bytes)
        src.fail("array data is truncated: shape " + shape_string(h.shape) + " of '" + h.dtype.descr + "' needs " +
                     std::to_string(h.data_bytes) + " bytes but only " + std::to_string(available) +
                     " follow the header",
                 h.data_offset + available);
}

std::string shape_string(const std::vector<std::int64_t>& shape) {
    std::string s = "(";
    for (std::size_t k = 0; k < shape.size(); ++k) s += (k ? ", " : "") + std::to_string(shape[k]);
    return s + (shape.size() == 1 ? ",)" : ")");
}

ArrayLayout features_layout(const Source& src, const NpyHeader& h) {
    if (h.shape.empty())
        src.fail("0-d array (a single value) cannot be a dataset; save a 1-D or 2-D array", h.data_offset);
    if (h.count == 0) src.fail("array is empty: shape " + shape_string(h.shape) + " has no elements", h.data_offset);
    ArrayLayout l;
    l.n = h.shape[0];
    l.d = std::int64_t(h.count / std::uint64_t(l.n));
    const bool bytes = h.dtype.kind == ScalarKind::UnsignedInt && h.dtype.size == 1;
    const bool stack3 = h.shape.size() == 3;
    const bool stack4 = h.shape.size() == 4 && (h.shape[3] == 1 || h.shape[3] == 3);
    const auto int_max = std::numeric_limits<int>::max();
    if (bytes && (stack3 || stack4) && h.shape[1] <= int_max && h.shape[2] <= int_max) {
        l.image_height = int(h.shape[1]);
        l.image_width = int(h.shape[2]);
        l.image_channels = stack4 ? int(h.shape[3]) : 1;
    }
    return l;
}

bool is_native_float32_rows(const NpyHeader& h) {
    if (h.dtype.kind != ScalarKind::Float || h.dtype.size != 4 || h.dtype.big_endian != host_big_endian) return false;
    // Column-major and row-major orders coincide when at most one dimension exceeds 1.
    return !h.fortran_order || std::count_if(h.shape.begin(), h.shape.end(), [](auto s) { return s > 1; }) <= 1;
}

void convert_array(const ScalarType& type, bool fortran, const std::vector<std::int64_t>& shape, const char* data,
                   float* out) {
    convert_any(type, fortran, shape, data, out);
}

void convert_array(const ScalarType& type, bool fortran, const std::vector<std::int64_t>& shape, const char* data,
                   double* out) {
    convert_any(type, fortran, shape, data, out);
}

void allocate_features(Dataset& ds, std::int64_t n, std::int64_t d) {
    const std::size_t count = std::size_t(n) * std::size_t(d);
    ds.features = FeatureArray();  // any earlier values (and their capacity) go
    ds.features.reserve(count);
    // The elements are left uninitialised (FloatVector): the parallel reads and conversions that
    // fill them fault the pages in on all threads. Huge pages, advised before that first touch,
    // cut the number of faults 512x. A hint; failure is harmless.
#ifdef MADV_HUGEPAGE
    const auto begin = reinterpret_cast<std::uintptr_t>(ds.features.data());
    const std::uintptr_t end = begin + count * sizeof(float);
    constexpr std::uintptr_t huge = std::uintptr_t(2) << 20;
    const std::uintptr_t first = (begin + huge - 1) & ~(huge - 1);
    const std::uintptr_t last = end & ~(huge - 1);
    if (last > first) ::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
#endif
    ds.features.resize(count);
}

std::int64_t first_non_finite(const float* values, std::int64_t count) {
    constexpr std::int64_t chunk = 1 << 14;
    const std::int64_t chunks = (count + chunk - 1) / chunk;
    // Callers already inside a parallel loop (the chunked .npy read) check their chunk serially.
    const std::int64_t first = parallel::min_of(
        chunks,
        [&](std::int64_t c) {
            const std::int64_t begin = c * chunk;
            const std::int64_t end = std::min(count, begin + chunk);
            // A branch-free pass that vectorises; the exact position is only searched on failure.
            std::uint32_t bad = 0;
            for (std::int64_t k = begin; k < end; ++k)
                bad |= (std::bit_cast<std::uint32_t>(values[k]) & 0x7f800000u) == 0x7f800000u;
            if (bad)
                for (std::int64_t k = begin; k < end; ++k)
                    if (!std::isfinite(values[k])) return k;
            return count;
        },
        count, count >= (1 << 16) && !parallel::in_parallel());
    return first == count ? -1 : first;
}

void fail_non_finite(const Source& src, const NpyHeader& h, const ArrayLayout& l, const char* raw,
                     const float* values, std::int64_t index) {
    const std::int64_t row = index / l.d;
    const std::int64_t col = index % l.d;
    const std::int64_t element = h.fortran_order && h.shape.size() > 1 ? row + l.n * fortran_offset(h.shape, col) : index;
    const double original = element_as_double(h.dtype, raw + std::size_t(element) * std::size_t(h.dtype.size));
    const std::string where = "row " + std::to_string(row) + ", column " + std::to_string(col) + " (0-based)";
    const std::uint64_t pos = h.data_offset + std::uint64_t(element) * std::uint64_t(h.dtype.size);
    if (std::isfinite(original))
        src.fail("value " + describe_value(original) + " at " + where + " is too large for float32", pos);
    src.fail("non-finite value " + describe_value(values[index]) + " at " + where +
                 "; binary files get no missing-value handling, so replace NaN and inf before saving",
             pos);
}

void check_finite(const Source& src, const NpyHeader& h, const ArrayLayout& l, const char* raw, const float* values) {
    const std::int64_t bad = first_non_finite(values, l.n * l.d);
    if (bad >= 0) fail_non_finite(src, h, l, raw, values, bad);
}

void describe_features(const ArrayLayout& l, Dataset& ds) {
    ds.n = l.n;
    ds.d = l.d;
    ds.feature_names.clear();
    ds.feature_names.reserve(std::size_t(l.d));
    for (std::int64_t j = 0; j < l.d; ++j) ds.feature_names.push_back("x" + std::to_string(j));
    ds.images = {};
    if (l.image_height == 0) return;
    ds.images.width = l.image_width;
    ds.images.height = l.image_height;
    ds.images.channels = l.image_channels;
    ds.images.pixels.resize(ds.features.size());
    const std::int64_t count = std::int64_t(ds.features.size());
    std::uint8_t* pixels = ds.images.pixels.data();
    const float* f = ds.features.data();
    parallel::for_each(count, [&](std::int64_t k) { pixels[k] = static_cast<std::uint8_t>(f[k]); }, count >= (1 << 16));
}

void features_from_npy(const Source& src, const char* data, std::size_t size, Dataset& ds) {
    const NpyHeader h = parse_npy_header(src, data, size);
    check_data_present(src, h, size - h.data_offset);
    const ArrayLayout l = features_layout(src, h);
    io::check_fits_in_memory(src.file, io::checked_mul(src.file, h.count, sizeof(float)), "the feature matrix");
    allocate_features(ds, l.n, l.d);
    const char* raw = data + h.data_offset;
    convert_array(h.dtype, h.fortran_order, h.shape, raw, ds.features.data());
    check_finite(src, h, l, raw, ds.features.data());
    describe_features(l, ds);
}

}  // namespace latentscape::data::internal
