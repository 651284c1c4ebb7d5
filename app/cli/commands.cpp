#include "commands.h"

#include "common/parallel.h"

#include "common/error.h"
#include "common/file_io.h"
#include "common/json.h"
#include "data/load.h"
#include "data/preprocess.h"
#include "data/synthetic.h"
#include "data/write.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

namespace latentscape::cli {

const char* const kInfoHelp =
    "usage: latentscape-cli info FILE [options] [--json]\n"
    "\n"
    "Loads FILE (.csv .tsv .txt .dat .data .npy .npz .h5ad, MNIST IDX, Embedding Projector TSV;\n"
    ".gz allowed; or a folder or .json manifest of .npy shards, read as one dataset) and prints\n"
    "its rows, feature columns, metadata columns, label column, missing values and (.h5ad)\n"
    "embeddings. Every command that reads a dataset reads the same files.\n"
    "\n"
    "options:\n"
    "  --json              print one JSON object on stdout\n"
    "  --help              this text\n";

const char* const kLoadOptionsHelp =
    "\n"
    "dataset options:\n"
    "  --label COL         label column (CSV/TSV column name or 1-based number; array name in .npz)\n"
    "  --missing POLICY    missing feature cells: error (default), drop (drop the rows), mean (impute)\n"
    "  --header MODE       CSV/TSV header row: auto (default), yes, no\n"
    "  --delimiter C       CSV field delimiter (default: detected; 'tab' for a tab, 'space' for runs\n"
    "                      of spaces and tabs as numpy.loadtxt reads them)\n"
    "  --skip-rows N       text tables: skip the first N lines (a preamble)\n"
    "  --comment C         text tables: lines starting with C are comments (default '#'; 'none': no\n"
    "                      comments)\n"
    "  --labels FILE       separate labels: 1-D .npy (numbers or strings) for .npy features, IDX labels\n"
    "                      for IDX images\n"
    "  --metadata FILE     Embedding Projector metadata TSV for a vectors TSV\n"
    "  --array NAME        features array inside an .npz\n";

const char* const kCommonOptionsHelp =
    "\n"
    "every command:\n"
    "  --memory-limit SIZE  refuse inputs whose declared or inflated size exceeds SIZE (512M, 4G, ...;\n"
    "                       default: the memory available, or LATENTSCAPE_MEMORY_LIMIT)\n";

const char* const kConvertHelp =
    "usage: latentscape-cli convert FILE --out OUT.csv|OUT.npy|OUT.npz [options] [--json]\n"
    "\n"
    "Loads FILE as 'info' does and writes it atomically. CSV keeps features and metadata; NPY\n"
    "holds the float32 features only; NPZ holds X (features) and the label's values (category\n"
    "names that are not integers are stored as codes 0..k-1).\n"
    "\n"
    "options:\n"
    "  --out PATH          output file (required)\n"
    "  --json              print one JSON object on stdout\n"
    "  (and every loading option of 'info': --label --missing --header --delimiter --labels\n"
    "   --metadata --array)\n"
    "  --help              this text\n";

const char* const kGenerateHelp =
    "usage: latentscape-cli generate blobs|swiss-roll|s-curve --out OUT [options] [--json]\n"
    "\n"
    "Writes a built-in synthetic dataset with known labels (deterministic for a seed).\n"
    "\n"
    "options:\n"
    "  --out PATH          output file, .csv .npy or .npz (required)\n"
    "  --n N               points (default 3000)\n"
    "  --d D               dimensions, blobs only (default 50)\n"
    "  --k K               blobs (default 6)\n"
    "  --spread S          standard deviation of each blob (default 1.0)\n"
    "  --separation S      centres drawn in [-S, S]^d (default 10)\n"
    "  --noise S           noise of swiss-roll and s-curve (default 0.05)\n"
    "  --seed N            random seed (default 42)\n"
    "  --json              print one JSON object on stdout\n"
    "  --help              this text\n";

std::string Args::get(const std::string& name, const std::string& fallback) const {
    const auto it = options.find(name);
    return it == options.end() ? fallback : it->second;
}

std::vector<OptionSpec> documented_options(const std::string& help) {
    std::vector<OptionSpec> out;
    std::size_t pos = 0;
    while (pos < help.size()) {
        std::size_t end = help.find('\n', pos);
        if (end == std::string::npos) end = help.size();
        const std::string line = help.substr(pos, end - pos);
        pos = end + 1;
        if (line.rfind("  --", 0) != 0) continue;
        // The option column ends at the first run of two spaces (or the line's end); it holds one
        // option ("--label COL") or several ("--width W, --height H").
        std::string column = line.substr(2);
        const std::size_t gap = column.find("  ");
        if (gap != std::string::npos) column.resize(gap);
        std::size_t from = 0;
        while (from <= column.size()) {
            std::size_t comma = column.find(", ", from);
            if (comma == std::string::npos) comma = column.size();
            const std::string part = column.substr(from, comma - from);
            from = comma + 2;
            if (part.rfind("--", 0) != 0) continue;
            const std::size_t space = part.find(' ');
            const std::string name = part.substr(2, space == std::string::npos ? std::string::npos : space - 2);
            const bool valued = space != std::string::npos;
            if (std::none_of(out.begin(), out.end(), [&](const OptionSpec& o) { return o.name == name; }))
                out.push_back({name, valued});
        }
    }
    return out;
}

Args parse_args(int argc, char** argv, int first, const std::string& help) {
    // CLI11 (Debian's libcli11-dev) does the parsing; the options it accepts are exactly those
    // the command's help documents, so no option is accepted undocumented or documented unknown.
    CLI::App app;
    app.set_help_flag();  // the command's own help text, below
    app.allow_extras(true);  // reported below in our words
    Args a;
    std::map<std::string, std::string> values;
    std::map<std::string, std::int64_t> counts;
    for (const OptionSpec& o : documented_options(help)) {
        const std::string flag = o.name == "help" ? std::string("-h,--help") : "--" + o.name;
        if (o.valued)
            app.add_option(flag, values[o.name])->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
        else
            app.add_flag(flag, counts[o.name]);
    }
    app.add_option("files", a.positional);
    std::vector<std::string> args;
    for (int i = argc - 1; i >= first; --i) args.emplace_back(argv[i]);  // CLI11 takes them reversed
    try {
        app.parse(args);
    } catch (const CLI::ParseError& e) {
        throw UsageError{e.what()};
    }
    for (const std::string& extra : app.remaining()) {
        if (extra.rfind("-", 0) == 0 && extra.size() > 1) {
            const std::string name = extra.substr(extra.rfind("--", 0) == 0 ? 2 : 1);
            throw UsageError{"unknown option --" + name.substr(0, name.find('='))};
        }
        a.positional.push_back(extra);
    }
    for (const auto& [name, count] : counts)
        if (count > 0) a.options[name] = "";
    for (const auto& [name, value] : values)
        if (app.count("--" + name) > 0) a.options[name] = value;
    return a;
}

namespace {

void print_info(const data::Dataset& ds) {
    std::printf("File:       %s\n", printable(ds.source).c_str());
    std::printf("Format:     %s\n", ds.format.c_str());
    std::printf("Rows:       %lld\n", static_cast<long long>(ds.n));
    std::printf("Features:   %lld", static_cast<long long>(ds.d));
    if (ds.d > 0) {
        std::printf(" (%s", printable(ds.feature_names.front()).c_str());
        if (ds.d > 2) std::printf(", ...");
        if (ds.d > 1) std::printf(", %s", printable(ds.feature_names.back()).c_str());
        std::printf(")");
    }
    std::printf("\nMetadata:%s\n", ds.metadata.empty() ? "   none" : "");
    for (const auto& m : ds.metadata) {
        std::printf("  %-20s %s", printable(m.name).c_str(), data::to_string(m.kind));
        if (m.kind == data::ColumnKind::Categorical)
            std::printf(", %zu %s", m.categories.size(), m.categories.size() == 1 ? "category" : "categories");
        if (const auto miss = m.missing_count()) std::printf(", %zu missing", miss);
        std::printf("\n");
    }
    std::printf("Label:      %s\n", ds.label() ? printable(ds.label()->name).c_str() : "none");
    std::printf("Missing:    %lld feature cells", static_cast<long long>(ds.missing.cells));
    if (ds.missing.rows_dropped) std::printf(", %lld rows dropped", static_cast<long long>(ds.missing.rows_dropped));
    if (ds.missing.cells_imputed)
        std::printf(", %lld cells imputed with column means", static_cast<long long>(ds.missing.cells_imputed));
    std::printf("\n");
    if (!ds.images.empty())
        std::printf("Images:     %d x %d, %d channel(s)\n", ds.images.width, ds.images.height, ds.images.channels);
    // An AnnData file's obsm: the GUI opens each of 2 columns or more as a finished run.
    std::printf("Embeddings:%s\n", ds.embeddings.empty() ? " none" : "");
    for (const auto& e : ds.embeddings)
        std::printf("  %-20s %lld column%s\n", printable(e.name).c_str(), static_cast<long long>(e.dims), e.dims == 1 ? "" : "s");
}

std::string info_json(const data::Dataset& ds) {
    json::Writer w;
    w.begin_object();
    w.key("file").value(ds.source);
    w.key("format").value(ds.format);
    w.key("rows").value(ds.n);
    w.key("features").value(ds.d);
    w.key("feature_names").begin_array();
    for (const auto& f : ds.feature_names) w.value(f);
    w.end_array();
    w.key("metadata").begin_array();
    for (const auto& m : ds.metadata) {
        w.begin_object();
        w.key("name").value(m.name);
        w.key("kind").value(data::to_string(m.kind));
        if (m.kind == data::ColumnKind::Categorical) {
            w.key("categories").begin_array();
            for (const auto& c : m.categories) w.value(c);
            w.end_array();
        }
        w.key("missing").value(m.missing_count());
        w.end_object();
    }
    w.end_array();
    w.key("embeddings").begin_array();
    for (const auto& e : ds.embeddings) {
        w.begin_object();
        w.key("name").value(e.name);
        w.key("dims").value(e.dims);
        w.end_object();
    }
    w.end_array();
    w.key("label");
    if (ds.label()) w.value(ds.label()->name);
    else w.null();
    w.key("missing").begin_object();
    w.key("cells").value(ds.missing.cells);
    w.key("rows_dropped").value(ds.missing.rows_dropped);
    w.key("cells_imputed").value(ds.missing.cells_imputed);
    w.end_object();
    w.key("images");
    if (ds.images.empty()) {
        w.null();
    } else {
        w.begin_object();
        w.key("width").value(ds.images.width);
        w.key("height").value(ds.images.height);
        w.key("channels").value(ds.images.channels);
        w.end_object();
    }
    w.end_object();
    return w.str();
}

int write_output(const data::Dataset& ds, const std::string& out, const std::string& input, bool as_json) {
    try {
        data::write(ds, out);
    } catch (const std::invalid_argument&) {
        throw;
    } catch (const std::runtime_error& e) {
        std::fprintf(stderr, "error: %s\n", printable(e.what()).c_str());
        return 2;
    }
    if (as_json) {
        json::Writer w;
        w.begin_object();
        w.key("input").value(input);
        w.key("output").value(out);
        w.key("rows").value(ds.n);
        w.key("features").value(ds.d);
        w.key("metadata_columns").value(ds.metadata.size());
        w.end_object();
        std::printf("%s\n", w.str().c_str());
    } else {
        std::printf("wrote %lld x %lld to %s\n", static_cast<long long>(ds.n), static_cast<long long>(ds.d), out.c_str());
    }
    std::fflush(stdout);
    if (io::extension(out) == "npy" && !ds.metadata.empty())
        std::fprintf(stderr, "note: .npy holds the features only; use .csv or .npz to keep the labels\n");
    if (io::extension(out) == "npz" && data::npz_loses_label_names(ds))
        std::fprintf(stderr, "note: .npz stores the label '%s' as codes 0..%zu; its category names are kept only in .csv\n",
                     printable(ds.label()->name).c_str(), ds.label()->categories.size() - 1);
    return 0;
}

}  // namespace

/// Refuses an output name before any work is done (loading can take seconds).
void write_embedding(const data::Dataset& source, const FloatVector& coordinates, int dims, const std::string& prefix,
                     const std::string& out) {
    data::Dataset embedding;
    embedding.n = source.n;
    embedding.d = dims;
    embedding.features = coordinates;
    for (int j = 0; j < dims; ++j) embedding.feature_names.push_back(prefix + std::to_string(j + 1));
    if (const auto* label = source.label()) {
        embedding.metadata.push_back(*label);
        embedding.label_column = 0;
    }
    embedding.row_ids = source.row_ids;
    data::write(embedding, out);
}

void check_output_name(const std::string& out) {
    bool gzipped = false;
    const std::string ext = io::extension(out, &gzipped);
    if (gzipped || (ext != "csv" && ext != "npy" && ext != "npz"))
        throw UsageError{"--out must end in .csv, .npy or .npz, not '" + out + "'"};
}

data::Preprocess preprocess_option(const Args& a) {
    const std::string name = a.get("preprocess", "none");
    const auto kind = data::parse_preprocess(name);
    if (!kind) throw UsageError{"--preprocess must be none, standardize, minmax or log1p, not '" + name + "'"};
    if (*kind != data::Preprocess::None && a.has("save-model"))
        throw UsageError{"--save-model with --preprocess " + name +
                         " is not supported yet: new rows would need the fitted scaling, which maps do not keep"};
    return *kind;
}

data::Dataset load_for_reduce(const std::string& path, const Args& a) {
    const data::Preprocess kind = preprocess_option(a);
    data::Dataset ds = data::load(path, load_options(a));
    if (kind == data::Preprocess::None) return ds;
    try {
        return data::preprocessed(ds, kind);
    } catch (const std::invalid_argument& e) {
        throw LoadError(path, e.what());
    }
}

data::LoadOptions load_options(const Args& a) {
    data::LoadOptions o;
    if (a.has("label")) o.label = a.get("label");
    if (a.has("labels")) o.labels_path = a.get("labels");
    if (a.has("metadata")) o.metadata_path = a.get("metadata");
    if (a.has("array")) o.array = a.get("array");
    const std::string missing = a.get("missing", "error");
    if (missing == "error") o.missing = data::MissingPolicy::Error;
    else if (missing == "drop") o.missing = data::MissingPolicy::DropRows;
    else if (missing == "mean") o.missing = data::MissingPolicy::ImputeMean;
    else throw UsageError{"--missing must be error, drop or mean, not '" + missing + "'"};
    const std::string header = a.get("header", "auto");
    if (header == "auto") o.header = data::HeaderMode::Auto;
    else if (header == "yes") o.header = data::HeaderMode::Present;
    else if (header == "no") o.header = data::HeaderMode::Absent;
    else throw UsageError{"--header must be auto, yes or no, not '" + header + "'"};
    if (a.has("delimiter")) {
        const std::string d = a.get("delimiter");
        if (d == "tab" || d == "\\t") o.delimiter = '\t';
        else if (d == "space" || d == "whitespace") o.delimiter = ' ';
        else if (d.size() == 1) o.delimiter = d[0];
        else throw UsageError{"--delimiter must be one character, 'tab' or 'space'"};
    }
    if (a.has("skip-rows")) {
        const std::string k = a.get("skip-rows");
        std::int64_t rows = -1;
        const auto [ptr, ec] = std::from_chars(k.data(), k.data() + k.size(), rows);
        if (ec != std::errc() || ptr != k.data() + k.size() || rows < 0)
            throw UsageError{"--skip-rows must be a whole number >= 0, not '" + k + "'"};
        o.skip_rows = rows;
    }
    if (a.has("comment")) {
        const std::string c = a.get("comment");
        if (c == "none") o.comment = std::nullopt;
        else if (c.size() == 1) o.comment = c[0];
        else throw UsageError{"--comment must be one character or 'none'"};
    }
    return o;
}

const std::string& single_input(const Args& a) {
    if (a.positional.size() != 1)
        throw UsageError{a.positional.empty() ? "missing FILE" : "expected one FILE, got " + std::to_string(a.positional.size())};
    return a.positional[0];
}

int run_info(const Args& a) {
    const data::Dataset ds = data::load(single_input(a), load_options(a));
    if (a.has("json")) std::printf("%s\n", info_json(ds).c_str());
    else print_info(ds);
    return 0;
}

int run_convert(const Args& a) {
    const std::string& in = single_input(a);
    if (!a.has("out")) throw UsageError{"--out is required"};
    check_output_name(a.get("out"));
    const data::LoadOptions o = load_options(a);
    const data::Dataset ds = data::load(in, o);
    return write_output(ds, a.get("out"), in, a.has("json"));
}

int run_generate(const Args& a) {
    const std::string& kind = single_input(a);
    if (!a.has("out")) throw UsageError{"--out is required"};
    check_output_name(a.get("out"));
    data::Dataset ds;
    if (kind == "blobs") {
        data::synthetic::BlobsOptions o;
        o.n = number(a, "n", o.n);
        o.d = number(a, "d", o.d);
        o.k = number(a, "k", o.k);
        o.spread = number(a, "spread", o.spread);
        o.separation = number(a, "separation", o.separation);
        o.seed = number(a, "seed", o.seed);
        ds = data::synthetic::blobs(o);
    } else if (kind == "swiss-roll" || kind == "s-curve") {
        data::synthetic::ManifoldOptions o;
        o.n = number(a, "n", o.n);
        o.noise = number(a, "noise", o.noise);
        o.seed = number(a, "seed", o.seed);
        ds = kind == "swiss-roll" ? data::synthetic::swiss_roll(o) : data::synthetic::s_curve(o);
    } else {
        throw UsageError{"unknown dataset '" + kind + "': use blobs, swiss-roll or s-curve"};
    }
    return write_output(ds, a.get("out"), kind, a.has("json"));
}

void apply_threads(const Args& a) {
    if (!a.has("threads")) return;
    const int t = number<int>(a, "threads", 1);
    if (t < 1) throw UsageError{"--threads must be at least 1"};
    parallel::set_max_threads(t);
}

std::vector<int> parse_hidden(const std::string& option, const std::string& s) {
    std::vector<int> sizes;
    if (s.empty() || s == "none") return sizes;
    std::size_t start = 0;
    for (int position = 1;; ++position) {
        const std::size_t comma = s.find(',', start);
        const std::string item = s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        int v = 0;
        const auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
        if (item.empty())
            throw UsageError{"--" + option + " '" + s + "': layer " + std::to_string(position) +
                             " is empty; give comma-separated sizes, e.g. 512,128"};
        if (ec != std::errc() || ptr != item.data() + item.size())
            throw UsageError{"--" + option + " '" + s + "': layer " + std::to_string(position) + " ('" + item +
                             "') is not a whole number; give comma-separated sizes, e.g. 512,128"};
        if (v < 1 || v > 65536)
            throw UsageError{"--" + option + " '" + s + "': layer " + std::to_string(position) + " has " + item +
                             " units; each must be in [1, 65536]"};
        sizes.push_back(v);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return sizes;
}

void check_model_path(const std::string& path) {
    namespace fs = std::filesystem;
    const fs::path p(path);
    const fs::path parent = p.has_parent_path() ? p.parent_path() : fs::path(".");
    std::error_code ec;
    if (path.empty() || !fs::is_directory(parent, ec))
        throw UsageError{"--save-model '" + path + "': the folder '" + parent.string() + "' does not exist"};
    if (fs::is_directory(p, ec)) throw UsageError{"--save-model '" + path + "' is a folder"};
}

}  // namespace latentscape::cli
