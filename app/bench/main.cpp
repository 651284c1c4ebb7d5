// latentscape-bench: timings of Latentscape against the reference implementations, measured in
// the same run on the same files (warm page cache for both sides, best of --repeat runs).
//
//   latentscape-bench load [--repeat N] [--dir DIR] [--json]
//
// 'load' builds a 70,000 x 785 CSV (label + 784 pixels) and a 70,000 x 784 float32 .npy from
// Fashion-MNIST (or from synthetic data when the Debian package is absent), then times
// data::load_csv against pandas.read_csv and data::load_npy against numpy.load and memcpy.
#include "common/json.h"
#include "data/load.h"
#include "data/synthetic.h"
#include "data/write.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using namespace latentscape;
using Clock = std::chrono::steady_clock;

const char* const kPython = "/usr/bin/python3";  // Debian's, with numpy and pandas
const char* const kFashionTrain = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz";
const char* const kFashionTest = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz";

template <class F>
double best_seconds(int repeat, F&& f) {
    double best = 1e300;
    for (int i = 0; i < repeat; ++i) {
        const auto t0 = Clock::now();
        f();
        best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
    }
    return best;
}

/// Runs a Python snippet that prints one number (seconds); returns it, or a negative value if
/// the reference is not available.
double python_seconds(const std::string& code) {
    const std::string cmd = std::string(kPython) + " -c '" + code + "' 2>/dev/null";
    std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
    if (!p) return -1;
    char buf[128] = {};
    if (!std::fgets(buf, sizeof buf, p.get())) return -1;
    return std::atof(buf);
}

/// The benchmark table: Fashion-MNIST train + test (70,000 rows) as label + 784 pixel columns.
data::Dataset benchmark_data() {
    if (fs::exists(kFashionTrain) && fs::exists(kFashionTest)) {
        data::Dataset a = data::load(kFashionTrain);
        const data::Dataset b = data::load(kFashionTest);
        a.features.insert(a.features.end(), b.features.begin(), b.features.end());
        auto& codes = a.metadata.at(*a.label_column).codes;
        const auto& more = b.metadata.at(*b.label_column).codes;
        codes.insert(codes.end(), more.begin(), more.end());
        a.n += b.n;
        a.images = {};
        a.metadata = {a.metadata[*a.label_column]};  // the label alone, as digits 0-9
        a.label_column = 0;
        a.metadata[0].categories.clear();
        for (int c = 0; c < 10; ++c) a.metadata[0].categories.push_back(std::to_string(c));
        return a;
    }
    std::fprintf(stderr, "note: Fashion-MNIST not installed; using synthetic blobs of the same shape\n");
    data::synthetic::BlobsOptions o;
    o.n = 70000;
    o.d = 784;
    o.k = 10;
    return data::synthetic::blobs(o);
}

/// CSV with the label first, as MNIST CSVs are usually laid out.
void write_label_first_csv(const data::Dataset& ds, const std::string& path) {
    std::ofstream out(path);
    out << "label";
    for (const auto& n : ds.feature_names) out << ',' << n;
    out << '\n';
    std::string line;
    char buf[32];
    for (std::int64_t i = 0; i < ds.n; ++i) {
        line = ds.label()->value_string(std::size_t(i));
        for (std::int64_t j = 0; j < ds.d; ++j) {
            line += ',';
            const int len = std::snprintf(buf, sizeof buf, "%g", double(ds.at(i, j)));
            line.append(buf, std::size_t(len));
        }
        line += '\n';
        out << line;
    }
}

int bench_load(int repeat, const std::string& dir, bool as_json) {
    fs::create_directories(dir);
    const std::string csv = dir + "/fashion70k.csv";
    const std::string npy = dir + "/fashion70k.npy";
    if (!fs::exists(csv) || !fs::exists(npy)) {
        std::fprintf(stderr, "preparing %s and %s ...\n", csv.c_str(), npy.c_str());
        const data::Dataset ds = benchmark_data();
        write_label_first_csv(ds, csv);
        data::write_npy(ds, npy);
    }
    const double csv_mb = double(fs::file_size(csv)) / 1e6;
    const double npy_mb = double(fs::file_size(npy)) / 1e6;

    std::int64_t rows = 0, cols = 0;
    const double ours_csv = best_seconds(repeat, [&] {
        const auto ds = data::load_csv(csv);
        rows = ds.n;
        cols = ds.d;
    });
    const double pandas_csv = python_seconds(
        "import time, pandas\nbest = 1e9\nfor _ in range(" + std::to_string(repeat) +
        "):\n t = time.perf_counter(); pandas.read_csv(\"" + csv +
        "\"); best = min(best, time.perf_counter() - t)\nprint(best)");

    const double ours_npy = best_seconds(repeat, [&] { (void)data::load_npy(npy); });
    const double numpy_npy = python_seconds("import time, numpy\nbest = 1e9\nfor _ in range(" + std::to_string(repeat) +
                                            "):\n t = time.perf_counter(); numpy.load(\"" + npy +
                                            "\"); best = min(best, time.perf_counter() - t)\nprint(best)");
    // Memory bandwidth reference: one single-threaded copy of the same number of bytes between
    // buffers whose pages are already mapped (a read from the page cache is such a copy).
    const std::size_t bytes = fs::file_size(npy);
    std::vector<char> src(bytes, 1), dst(bytes, 0);
    const double memcpy_s = best_seconds(repeat, [&] {
        std::memcpy(dst.data(), src.data(), bytes);
        volatile char sink = dst[bytes / 2];
        (void)sink;
    });

    if (as_json) {
        json::Writer w;
        w.begin_object();
        w.key("threads").value(omp_get_max_threads());
        w.key("csv").begin_object();
        w.key("file").value(csv).key("megabytes").value(csv_mb).key("rows").value(rows).key("features").value(cols);
        w.key("latentscape_s").value(ours_csv).key("pandas_s").value(pandas_csv);
        w.key("speedup").value(pandas_csv > 0 ? pandas_csv / ours_csv : -1.0);
        w.end_object();
        w.key("npy").begin_object();
        w.key("file").value(npy).key("megabytes").value(npy_mb);
        w.key("latentscape_s").value(ours_npy).key("numpy_s").value(numpy_npy).key("memcpy_s").value(memcpy_s);
        w.end_object();
        w.end_object();
        std::printf("%s\n", w.str().c_str());
        return 0;
    }
    std::printf("load benchmark, %d OpenMP thread(s), best of %d, warm page cache\n", omp_get_max_threads(), repeat);
    std::printf("%-34s %10s %12s %12s %8s\n", "case", "size MB", "latentscape", "reference", "ratio");
    std::printf("%-34s %10.1f %10.3f s %10.3f s %7.1fx  (pandas.read_csv)\n", "CSV 70000 x 785 (Fashion-MNIST)", csv_mb,
                ours_csv, pandas_csv, pandas_csv > 0 ? pandas_csv / ours_csv : 0.0);
    std::printf("%-34s %10.1f %10.3f s %10.3f s %7.1fx  (numpy.load)\n", "NPY 70000 x 784 float32", npy_mb, ours_npy,
                numpy_npy, numpy_npy > 0 ? numpy_npy / ours_npy : 0.0);
    std::printf("%-34s %10.1f %10.3f s %10s   %5.1f GB/s vs %.1f GB/s memcpy\n", "NPY vs memory bandwidth", npy_mb,
                ours_npy, "", npy_mb / 1e3 / ours_npy, npy_mb / 1e3 / memcpy_s);
    std::printf("CSV throughput: latentscape %.0f MB/s, pandas %.0f MB/s\n", csv_mb / ours_csv,
                pandas_csv > 0 ? csv_mb / pandas_csv : 0.0);
    if (pandas_csv < 0 || numpy_npy < 0)
        std::printf("(a reference was not available: run packaging/install-deps.sh --bench)\n");
    return 0;
}

const char* const kUsage =
    "usage: latentscape-bench load [--repeat N] [--dir DIR] [--json]\n"
    "\n"
    "  load   CSV and NPY loading vs pandas.read_csv, numpy.load and memcpy (70,000 x 785)\n"
    "         --repeat N   runs per side, best taken (default 3)\n"
    "         --dir DIR    where the benchmark files are made and kept (default /tmp/latentscape-bench)\n"
    "         --json       one JSON object on stdout\n"
    "References need Debian's python3-pandas and python3-numpy: packaging/install-deps.sh --bench\n";

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
        std::fputs(kUsage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const std::string what = argv[1];
    int repeat = 3;
    std::string dir = "/tmp/latentscape-bench";
    bool as_json = false;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--repeat" && i + 1 < argc) repeat = std::max(1, std::atoi(argv[++i]));
        else if (a == "--dir" && i + 1 < argc) dir = argv[++i];
        else if (a == "--json") as_json = true;
        else {
            std::fprintf(stderr, "latentscape-bench: unknown argument '%s'\n%s", a.c_str(), kUsage);
            return 2;
        }
    }
    try {
        if (what == "load") return bench_load(repeat, dir, as_json);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "latentscape-bench: %s\n", e.what());
        return 1;
    }
    std::fprintf(stderr, "latentscape-bench: unknown benchmark '%s'\n%s", what.c_str(), kUsage);
    return 2;
}
