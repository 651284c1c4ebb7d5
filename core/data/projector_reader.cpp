// TensorFlow Embedding Projector pairs: a vectors TSV (tab-separated numbers, no header, one row
// per point) and an optional metadata TSV (a header row when it has several columns; a single
// column has none), as the Projector itself reads and writes them.
#include "common/error.h"
#include "data/load.h"
#include "data/text_table.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <numeric>
#include <cstring>

namespace latentscape::data {
namespace {

/// The metadata file that pairs with a vectors file: "vectors"/"tensors" -> "metadata" in its name.
std::optional<std::string> sibling_metadata(const std::string& vectors_path) {
    namespace fs = std::filesystem;
    const fs::path p(vectors_path);
    std::string name = p.filename().string();
    const std::string low = lower(name);
    for (const char* word : {"vectors", "tensors"}) {
        const auto at = low.find(word);
        if (at == std::string::npos) continue;
        std::string candidate = name;
        candidate.replace(at, std::strlen(word), "metadata");
        const fs::path q = p.parent_path() / candidate;
        std::error_code ec;
        if (fs::is_regular_file(q, ec)) return q.string();
    }
    return std::nullopt;
}

}  // namespace

Dataset load_projector(const std::string& vectors_path, const LoadOptions& options) {
    using namespace internal;
    const Table vectors = read_table(vectors_path, '\t', HeaderMode::Absent);
    NumericCells cells = parse_numeric(vectors);
    std::vector<std::size_t> all_cols(vectors.columns());
    std::iota(all_cols.begin(), all_cols.end(), std::size_t(0));
    FeatureBlock block = assemble_features(vectors, cells, all_cols, options.missing);

    Dataset ds;
    ds.n = std::int64_t(block.rows.size());
    ds.d = std::int64_t(all_cols.size());
    ds.features = std::move(block.features);
    for (std::size_t c = 0; c < all_cols.size(); ++c) ds.feature_names.push_back("dim" + std::to_string(c));
    ds.missing = block.missing;

    const std::optional<std::string> meta_path = options.metadata_path ? options.metadata_path
                                                                       : sibling_metadata(vectors_path);
    if (meta_path) {
        Table meta = read_table(*meta_path, '\t', HeaderMode::Absent);
        if (meta.columns() > 1) {
            meta.names = meta.fields(0);
            for (std::size_t c = 0; c < meta.names.size(); ++c)
                if (meta.names[c].empty()) meta.names[c] = "col" + std::to_string(c + 1);
            meta.records.erase(meta.records.begin());
            meta.has_header = true;
        } else {
            meta.names = {"label"};
        }
        if (meta.records.size() != vectors.records.size())
            throw LoadError(*meta_path, "has " + std::to_string(meta.records.size()) + " data rows but " + vectors_path +
                                            " has " + std::to_string(vectors.records.size()) +
                                            " vectors (with several columns the first row must be a header)");
        const NumericCells meta_cells = parse_numeric(meta);
        for (std::size_t c = 0; c < meta.columns(); ++c)
            ds.metadata.push_back(make_metadata_column(meta, meta_cells, c, block.rows,
                                                       meta.columns() == 1 || is_label_name(meta.names[c])));
        ds.label_column = choose_label(*meta_path, ds.metadata, options.label);
    }
    ds.source = vectors_path;
    ds.format = "projector";
    ds.check_consistent();
    return ds;
}

}  // namespace latentscape::data
