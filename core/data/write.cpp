#include "data/write.h"

#include "common/file_io.h"

#include <charconv>
#include <ostream>
#include <stdexcept>

namespace latentscape::data {
namespace internal {

/// RFC 4180: quote a field that holds the delimiter, a quote or a line break.
void put_csv_field(std::ostream& out, const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) {
        out << s;
        return;
    }
    out << '"';
    for (char c : s) {
        if (c == '"') out << '"';
        out << c;
    }
    out << '"';
}

}  // namespace internal

void write_csv(const Dataset& ds, const std::string& path) {
    io::write_atomically(path, [&](std::ostream& out) {
        bool first = true;
        auto sep = [&] {
            if (!first) out << ',';
            first = false;
        };
        for (const auto& name : ds.feature_names) {
            sep();
            internal::put_csv_field(out, name);
        }
        for (const auto& m : ds.metadata) {
            sep();
            internal::put_csv_field(out, m.name);
        }
        out << '\n';
        std::string line;
        char buf[32];
        for (std::int64_t i = 0; i < ds.n; ++i) {
            line.clear();
            const float* r = ds.row(i);
            for (std::int64_t j = 0; j < ds.d; ++j) {
                if (j) line += ',';
                // Shortest text that reads back as the same float32.
                const auto res = std::to_chars(buf, buf + sizeof buf, r[j]);
                line.append(buf, res.ptr);
            }
            out << line;
            for (const auto& m : ds.metadata) {
                out << ',';
                internal::put_csv_field(out, m.value_string(std::size_t(i)));
            }
            out << '\n';
        }
    });
}

bool npz_loses_label_names(const Dataset& ds) {
    const MetadataColumn* label = ds.label();
    if (!label || label->kind != ColumnKind::Categorical) return false;
    for (const auto& c : label->categories) {
        std::int64_t v = 0;
        const auto [ptr, ec] = std::from_chars(c.data(), c.data() + c.size(), v);
        if (ec != std::errc() || ptr != c.data() + c.size() || std::to_string(v) != c) return true;
    }
    return false;
}

void write(const Dataset& ds, const std::string& path) {
    bool gzipped = false;
    const std::string ext = io::extension(path, &gzipped);
    if (gzipped) throw std::invalid_argument(path + ": compressed output is not supported; drop the .gz");
    if (ext == "csv") return write_csv(ds, path);
    if (ext == "npy") return write_npy(ds, path);
    if (ext == "npz") return write_npz(ds, path);
    throw std::invalid_argument(path + ": cannot write '." + ext + "' files; use .csv, .npy or .npz");
}

}  // namespace latentscape::data
