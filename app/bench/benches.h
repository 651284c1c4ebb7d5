#pragma once
// The benchmarks of latentscape-bench. Each times Latentscape and its reference in the same run
// on the same data, prints a table (or one JSON object with --json) and returns an exit code.

#include "data/dataset.h"

#include <cstdint>
#include <string>
#include <vector>

namespace latentscape::bench {

struct BenchArgs {
    int repeat = 3;                                  ///< runs per side; the best is reported
    std::string dir = "/tmp/latentscape-bench";      ///< where input files are made and kept
    bool json = false;
    std::int64_t n = 0;      ///< points, where a benchmark takes a size (0: its default)
    int dims = 2;            ///< output dimensions, where a benchmark takes them
    bool reference = true;   ///< run the reference implementation too
    int epochs = 0;          ///< training epochs, where a benchmark trains (0: its default)
    std::int64_t test_n = 0; ///< test rows, where a benchmark scores on held-out rows (0: its default)
    int first_seed = 1;      ///< gan: seeds first_seed .. first_seed + repeat - 1
    std::string out = "bench-results.json";  ///< all: the results file
};

/// Debian's Python with numpy, pandas and scikit-learn (the python3 first on PATH lacks them).
inline const char* const kPython = "/usr/bin/python3";

/// Runs a Python snippet that prints one number; returns it, or a negative value if it failed.
double python_number(const std::string& code);

/// Best wall time of `repeat` calls, in seconds.
template <class F>
double best_seconds(int repeat, F&& f);

/// Fashion-MNIST train + test: 70,000 x 784 float32 pixels (0..255) with the class label; blobs
/// of the same shape when the Debian package is absent.
data::Dataset fashion70k();

/// The 50-component PCA of Fashion-MNIST (70,000 x 50 float32 .npy in args.dir), made once with
/// scikit-learn (PCA(50, random_state=0)) so benchmarks on it do not depend on our own PCA.
std::string pca50_file(const std::string& dir);

/// Rows [first, first + n) of a labelled dataset scaled by (x - lo) / (hi - lo), with their labels.
struct Images {
    std::int64_t n = 0, d = 0;
    std::vector<float> X;
    std::vector<std::int32_t> labels;
};
Images slice(const data::Dataset& all, std::int64_t first, std::int64_t n, float lo, float hi);
/// Writes the rows as a float32 .npy, once: the same rows for the same name are kept in --dir.
void save_npy(const Images& s, const std::string& path);

/// A reference script of the benchmarks (e.g. "gan_torch.py"): installed beside the data files,
/// else in the source tree; "" when neither has it.
std::string reference_script(const std::string& name);
/// Runs a command and returns its stdout (stderr passes through).
std::string script_output(const std::string& cmd);
/// Another of the project's programs (e.g. "latentscape-cli"): beside this executable, as in the
/// build tree and once installed; "" when it is not there.
std::string sibling_program(const std::string& name);
/// Best wall time of `repeat` runs of a shell command as a fresh process (start-up, loading and
/// writing included: what a user waits for), or -1 if a run failed. Its output is discarded.
double process_seconds(const std::string& cmd, int repeat);
/// A path quoted for the shell.
std::string shell_quote(const std::string& s);
/// The number after "key": in a script's one-line JSON, NaN if absent; the string after "key": "".
double json_field(const std::string& text, const std::string& key);
std::string json_text(const std::string& text, const std::string& key);

int bench_load(const BenchArgs& args);
int bench_pca(const BenchArgs& args);
int bench_kmeans(const BenchArgs& args);
int bench_dbscan(const BenchArgs& args);
int bench_metrics(const BenchArgs& args);
int bench_tsne(const BenchArgs& args);
int bench_umap(const BenchArgs& args);
int bench_transform(const BenchArgs& args);
int bench_autoencoder(const BenchArgs& args);
int bench_gan(const BenchArgs& args);
int bench_lasso(const BenchArgs& args);
int bench_render(const BenchArgs& args);
int bench_link(const BenchArgs& args);
/// Runs each of `cases` in a fresh process with --json and writes them all to args.out.
int bench_all(const BenchArgs& args, const std::vector<std::string>& cases);

}  // namespace latentscape::bench

#include <algorithm>
#include <chrono>

template <class F>
double latentscape::bench::best_seconds(int repeat, F&& f) {
    double best = 1e300;
    for (int i = 0; i < repeat; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        f();
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    return best;
}
