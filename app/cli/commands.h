#pragma once
// The subcommands of latentscape-cli. Each returns the process exit code: 0 ok, 2 bad input or
// usage, 1 internal error (exceptions are mapped by main).

#include "data/load.h"
#include "data/preprocess.h"
#include "metrics/quality.h"
#include "neighbors/knn.h"

#include <charconv>
#include <cstdint>
#include <optional>
#include <map>
#include <string>
#include <vector>

namespace latentscape::reduce::tsne {
struct Options;
}
namespace latentscape::reduce::umap {
struct Options;
}

namespace latentscape::json {
class Writer;
}

namespace latentscape::cli {

/// Parsed command line: positional arguments and --name value / --flag options.
struct Args {
    std::vector<std::string> positional;
    std::map<std::string, std::string> options;  ///< flags map to ""
    bool has(const std::string& name) const { return options.count(name) != 0; }
    std::string get(const std::string& name, const std::string& fallback = {}) const;
};

/// Thrown for bad usage (unknown option, missing argument): exit code 2 with the usage hint.
struct UsageError {
    std::string message;
};

/// An option as a command's help documents it: "  --label COL   ..." is valued, "  --json  ..."
/// a flag; "  --width W, --height H  ..." documents two.
struct OptionSpec {
    std::string name;  ///< without the dashes
    bool valued = false;
};
/// The options documented in `help`: every line of it that starts with "  --".
std::vector<OptionSpec> documented_options(const std::string& help);
/// Parses argv[first..] with CLI11, accepting exactly the options `help` documents (a command's
/// help text, with the dataset and common options appended). A UsageError for an unknown option,
/// a missing value, a value given to a flag.
Args parse_args(int argc, char** argv, int first, const std::string& help);

/// The dataset options of every command that reads one (--label, --missing, ...), and the options
/// of every command (--memory-limit): help sections appended to the commands' own.
extern const char* const kLoadOptionsHelp;
extern const char* const kCommonOptionsHelp;

/// The loading options every command that reads a dataset takes (--label, --missing, ...).
data::LoadOptions load_options(const Args& args);
/// `reduce`'s input: loaded with load_options, then its features preprocessed as --preprocess
/// says (none, standardize, minmax, log1p; shared by every method). A map (--save-model) is
/// refused with a preprocessing: new rows would need the fitted scaling, which maps do not keep.
data::Dataset load_for_reduce(const std::string& path, const Args& args);
/// --preprocess (none when absent), checked: a UsageError for an unknown name, or for a
/// preprocessing with --save-model.
data::Preprocess preprocess_option(const Args& args);
/// The one positional argument (the input file), or a UsageError.
const std::string& single_input(const Args& args);
/// Refuses an --out that is not .csv, .npy or .npz before any work is done.
void check_output_name(const std::string& out);
/// Writes an embedding of `source`'s rows (n x dims, columns named prefix1, prefix2, ...) to
/// `out`, with the source's label and row ids.
void write_embedding(const data::Dataset& source, const FloatVector& coordinates, int dims, const std::string& prefix,
                     const std::string& out);
/// --name as a number of type T, `fallback` when absent; a UsageError when it does not parse.
template <class T>
T number(const Args& a, const std::string& name, T fallback) {
    if (!a.has(name)) return fallback;
    const std::string s = a.get(name);
    T v{};
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || ptr != s.data() + s.size())
        throw UsageError{"--" + name + " must be a number, not '" + s + "'"};
    return v;
}

/// --threads T: the worker threads of every parallel loop (results do not depend on them).
void apply_threads(const Args& args);
/// Hidden layer sizes given to --<option>: "512,128" -> {512, 128}; "none" or "" -> {} (no hidden
/// layer). Each in [1, 65536]; the message names the option and the bad layer.
std::vector<int> parse_hidden(const std::string& option, const std::string& value);
/// Fails before training when the model (--save-model) could not be written afterwards.
void check_model_path(const std::string& path);
/// --<name> through one of the core's parse_* functions (whose messages list the accepted names,
/// prefixed "autoencoder: "), into `field`; a bad name becomes a UsageError naming the option.
template <class Parser, class Field>
void parse_named(const Args& a, const char* name, Parser parser, Field& field) {
    if (!a.has(name)) return;
    try {
        field = parser(a.get(name));
    } catch (const std::invalid_argument& e) {
        std::string message = e.what();
        if (message.rfind("autoencoder: ", 0) == 0) message.erase(0, 13);
        throw UsageError{std::string("--") + name + ": " + message};
    }
}

int run_info(const Args& args);
int run_convert(const Args& args);
int run_generate(const Args& args);
int run_reduce(const Args& args);
int run_reduce_tsne(const Args& args);
int run_reduce_umap(const Args& args);
int run_reduce_autoencoder(const Args& args);
int run_reduce_gan(const Args& args);
int run_sample(const Args& args);
int run_encode(const Args& args);
int run_transform(const Args& args);
/// Writes the map model of a finished t-SNE (to set) or UMAP (uo set, with its a and b) run of
/// ds (embedding Y, n x dims) for 'transform' (reduce/transform.h; transform.cpp).
void save_map(const data::Dataset& ds, std::optional<int> pca_dims, std::uint64_t seed, const std::vector<double>& Y,
              int dims, bool tsne, const reduce::tsne::Options* to, const reduce::umap::Options* uo, double a,
              double b, const std::string& path);
/// The quality of a run's embedding, asked for with --metrics K (reduce_metrics.cpp).
struct RunQuality {
    bool computed = false;   ///< false without --metrics
    int k = 10;
    std::string graph;       ///< "reused", "none" or "not reused: <why>"
    metrics::QualityResult quality;
    std::optional<metrics::Estimate> accuracy;  ///< with a categorical label
    double seconds = 0;
};
/// With --metrics K: trustworthiness, continuity and kNN recall of the n x dims embedding Y of
/// ds (and kNN accuracy with a label), reusing `graph` (the run's kNN graph, found in a space of
/// graph_dims columns) when it is exact, on ds's own columns and has >= K neighbours.
RunQuality run_quality(const Args& a, const data::Dataset& ds, const float* Y, int dims,
                       const neighbors::KnnGraph* graph, std::int64_t graph_dims);
/// Adds "metrics": {...} to a JSON object being written (nothing when not computed).
void write_quality(json::Writer& w, const RunQuality& q);
/// "trustworthiness 0.98, ... (k = 10; run's graph reused; 0.4 s)", or "" when not computed.
std::string quality_text(const RunQuality& q);
#ifdef LATENTSCAPE_CLI_RENDER
extern const char* const kRenderHelp;
int run_render(const Args& args);
#endif
int run_cluster(const Args& args);
int run_metrics(const Args& args);

extern const char* const kInfoHelp;
extern const char* const kConvertHelp;
extern const char* const kGenerateHelp;
extern const char* const kReduceHelp;
extern const char* const kClusterHelp;
extern const char* const kMetricsHelp;
extern const char* const kEncodeHelp;
extern const char* const kSampleHelp;
extern const char* const kTransformHelp;

}  // namespace latentscape::cli
