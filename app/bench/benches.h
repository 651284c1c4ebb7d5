#pragma once
// The benchmarks of latentscape-bench. Each times Latentscape and its reference in the same run
// on the same data, prints a table (or one JSON object with --json) and returns an exit code.

#include "data/dataset.h"

#include <cstdint>
#include <string>

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

int bench_load(const BenchArgs& args);
int bench_pca(const BenchArgs& args);
int bench_kmeans(const BenchArgs& args);
int bench_dbscan(const BenchArgs& args);
int bench_metrics(const BenchArgs& args);
int bench_tsne(const BenchArgs& args);
int bench_umap(const BenchArgs& args);
int bench_transform(const BenchArgs& args);
int bench_autoencoder(const BenchArgs& args);
int bench_lasso(const BenchArgs& args);
int bench_render(const BenchArgs& args);
int bench_link(const BenchArgs& args);

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
