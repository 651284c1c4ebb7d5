#include "data/dataset.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace latentscape::data {

const char* to_string(ColumnKind kind) {
    switch (kind) {
        case ColumnKind::Categorical: return "categorical";
        case ColumnKind::Numeric: return "numeric";
        case ColumnKind::Text: return "text";
    }
    return "?";
}

MetadataColumn MetadataColumn::categorical(std::string name, std::vector<std::int32_t> codes,
                                           std::vector<std::string> categories) {
    MetadataColumn c;
    c.name = std::move(name);
    c.kind = ColumnKind::Categorical;
    c.codes = std::move(codes);
    c.categories = std::move(categories);
    return c;
}

MetadataColumn MetadataColumn::numeric(std::string name, std::vector<double> numbers) {
    MetadataColumn c;
    c.name = std::move(name);
    c.kind = ColumnKind::Numeric;
    c.numbers = std::move(numbers);
    return c;
}

MetadataColumn MetadataColumn::text(std::string name, std::vector<std::string> texts) {
    MetadataColumn c;
    c.name = std::move(name);
    c.kind = ColumnKind::Text;
    c.texts = std::move(texts);
    return c;
}

std::size_t MetadataColumn::size() const {
    switch (kind) {
        case ColumnKind::Categorical: return codes.size();
        case ColumnKind::Numeric: return numbers.size();
        case ColumnKind::Text: return texts.size();
    }
    return 0;
}

std::string MetadataColumn::value_string(std::size_t i) const {
    switch (kind) {
        case ColumnKind::Categorical: {
            const auto code = codes[i];
            return code < 0 ? std::string() : categories[std::size_t(code)];
        }
        case ColumnKind::Numeric: {
            const double v = numbers[i];
            if (std::isnan(v)) return {};
            char buf[32];
            const int len = std::snprintf(buf, sizeof buf, "%.17g", v);
            return std::string(buf, std::size_t(len));
        }
        case ColumnKind::Text: return texts[i];
    }
    return {};
}

std::size_t MetadataColumn::missing_count() const {
    std::size_t m = 0;
    switch (kind) {
        case ColumnKind::Categorical:
            for (auto c : codes) m += c < 0;
            break;
        case ColumnKind::Numeric:
            for (auto v : numbers) m += std::isnan(v);
            break;
        case ColumnKind::Text:
            for (const auto& t : texts) m += t.empty();
            break;
    }
    return m;
}

const MetadataColumn* Dataset::label() const {
    return label_column ? &metadata.at(*label_column) : nullptr;
}

std::optional<std::size_t> Dataset::find_metadata(const std::string& name) const {
    for (std::size_t i = 0; i < metadata.size(); ++i)
        if (metadata[i].name == name) return i;
    return std::nullopt;
}

const PrecomputedEmbedding* Dataset::find_embedding(const std::string& name) const {
    for (const auto& e : embeddings)
        if (e.name == name) return &e;
    return nullptr;
}

std::string Dataset::row_id(std::int64_t i) const {
    return row_ids.empty() ? std::to_string(i) : row_ids[std::size_t(i)];
}

void Dataset::check_consistent() const {
    if (n < 0 || d < 0) throw std::logic_error("dataset: negative size");
    if (features.size() != std::size_t(n) * std::size_t(d))
        throw std::logic_error("dataset: feature matrix has the wrong size");
    if (feature_names.size() != std::size_t(d)) throw std::logic_error("dataset: feature names != d");
    for (const auto& m : metadata)
        if (m.size() != std::size_t(n)) throw std::logic_error("dataset: metadata column '" + m.name + "' != n");
    if (label_column && *label_column >= metadata.size()) throw std::logic_error("dataset: bad label column");
    if (!row_ids.empty() && row_ids.size() != std::size_t(n)) throw std::logic_error("dataset: row ids != n");
    if (!images.empty() && images.pixels.size() != images.image_bytes() * std::size_t(n))
        throw std::logic_error("dataset: images != n");
    for (const auto& e : embeddings)
        if (e.dims < 1 || e.values.size() != std::size_t(n) * std::size_t(e.dims))
            throw std::logic_error("dataset: embedding '" + e.name + "' is not n x dims");
}

}  // namespace latentscape::data
