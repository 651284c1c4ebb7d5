#pragma once
// The benchmarks of latentscape-bench. Each times Latentscape and its reference in the same run
// on the same data, prints a table (or one JSON object with --json) and returns an exit code.

#include "data/dataset.h"

#include <string>

namespace latentscape::bench {

struct BenchArgs {
    int repeat = 3;                                  ///< runs per side; the best is reported
    std::string dir = "/tmp/latentscape-bench";      ///< where input files are made and kept
    bool json = false;
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

int bench_load(const BenchArgs& args);
int bench_pca(const BenchArgs& args);
int bench_kmeans(const BenchArgs& args);
int bench_dbscan(const BenchArgs& args);

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
