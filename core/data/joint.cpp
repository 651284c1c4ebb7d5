#include "data/joint.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace latentscape::data {

Dataset append_generated(const Dataset& real, const float* rows, std::int64_t n, const std::string& generator) {
    if (n < 0 || (n > 0 && !rows)) throw std::invalid_argument("append_generated: no generated rows");
    Dataset out;
    out.n = real.n + n;
    out.d = real.d;
    out.feature_names = real.feature_names;
    out.features.reserve(std::size_t(out.n * out.d));
    out.features.assign(real.features.begin(), real.features.end());
    out.features.insert(out.features.end(), rows, rows + n * real.d);
    std::vector<std::int32_t> source(std::size_t(out.n), 0);
    std::fill(source.begin() + real.n, source.end(), 1);
    out.metadata.push_back(MetadataColumn::categorical("source", std::move(source), {"real", generator}));
    out.label_column = 0;
    if (const MetadataColumn* label = real.label()) {
        MetadataColumn kept = *label;
        switch (kept.kind) {
        case ColumnKind::Categorical: kept.codes.resize(std::size_t(out.n), -1); break;
        case ColumnKind::Numeric: kept.numbers.resize(std::size_t(out.n), std::nan("")); break;
        case ColumnKind::Text: kept.texts.resize(std::size_t(out.n)); break;
        }
        if (kept.name == "source") kept.name = "real " + kept.name;
        out.metadata.push_back(std::move(kept));
    }
    if (!real.row_ids.empty() || n > 0) {
        out.row_ids.reserve(std::size_t(out.n));
        for (std::int64_t i = 0; i < real.n; ++i) out.row_ids.push_back(real.row_id(i));
        for (std::int64_t i = 0; i < n; ++i) out.row_ids.push_back(generator + "-" + std::to_string(i + 1));
    }
    const ImageStack& im = real.images;
    if (!im.empty() && std::int64_t(im.image_bytes()) == real.d) {
        out.images = im;
        out.images.pixels.reserve(std::size_t(out.n) * im.image_bytes());
        for (std::int64_t i = 0; i < n * real.d; ++i)
            out.images.pixels.push_back(std::uint8_t(std::lround(std::clamp(rows[i], 0.0f, 255.0f))));
    }
    out.source = real.source;
    out.format = real.format;
    out.check_consistent();
    return out;
}

}  // namespace latentscape::data
