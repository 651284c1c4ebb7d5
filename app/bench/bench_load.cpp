// latentscape-bench load: CSV and NPY loading against pandas.read_csv, numpy.load and memcpy.
#include "benches.h"

#include "common/json.h"
#include "data/load.h"
#include "data/write.h"

#include <omp.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace latentscape::bench {
namespace {
namespace fs = std::filesystem;
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

}  // namespace

int bench_load(const BenchArgs& args) {
    const int repeat = args.repeat;
    const std::string& dir = args.dir;
    const bool as_json = args.json;
    fs::create_directories(dir);
    const std::string csv = dir + "/fashion70k.csv";
    const std::string npy = dir + "/fashion70k.npy";
    if (!fs::exists(csv) || !fs::exists(npy)) {
        std::fprintf(stderr, "preparing %s and %s ...\n", csv.c_str(), npy.c_str());
        const data::Dataset ds = fashion70k();
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
    const double pandas_csv = python_number(
        "import time, pandas\nbest = 1e9\nfor _ in range(" + std::to_string(repeat) +
        "):\n t = time.perf_counter(); pandas.read_csv(\"" + csv +
        "\"); best = min(best, time.perf_counter() - t)\nprint(best)");

    // As the app and the CLI open it (memory-mapped: 64 MiB and more), and read into memory of
    // its own as numpy.load does.
    const double ours_npy = best_seconds(repeat, [&] { (void)data::load_npy(npy); });
    data::LoadOptions read_options;
    read_options.memory_map = data::MemoryMap::Never;
    const double ours_npy_read = best_seconds(repeat, [&] { (void)data::load_npy(npy, read_options); });
    const double numpy_npy = python_number("import time, numpy\nbest = 1e9\nfor _ in range(" + std::to_string(repeat) +
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
        w.key("latentscape_s").value(ours_npy).key("latentscape_read_s").value(ours_npy_read);
        w.key("numpy_s").value(numpy_npy).key("memcpy_s").value(memcpy_s);
        w.end_object();
        w.end_object();
        std::printf("%s\n", w.str().c_str());
        return 0;
    }
    std::printf("load benchmark, %d OpenMP thread(s), best of %d, warm page cache\n", omp_get_max_threads(), repeat);
    std::printf("%-34s %10s %12s %12s %8s\n", "case", "size MB", "latentscape", "reference", "ratio");
    std::printf("%-34s %10.1f %10.3f s %10.3f s %7.1fx  (pandas.read_csv)\n", "CSV 70000 x 785 (Fashion-MNIST)", csv_mb,
                ours_csv, pandas_csv, pandas_csv > 0 ? pandas_csv / ours_csv : 0.0);
    std::printf("%-34s %10.1f %10.3f s %10.3f s %7.1fx  (numpy.load)\n", "NPY 70000 x 784 float32, mapped", npy_mb,
                ours_npy, numpy_npy, numpy_npy > 0 ? numpy_npy / ours_npy : 0.0);
    std::printf("%-34s %10.1f %10.3f s %10.3f s %7.1fx  (numpy.load)\n", "NPY, same file, read (not mapped)", npy_mb,
                ours_npy_read, numpy_npy, numpy_npy > 0 ? numpy_npy / ours_npy_read : 0.0);
    std::printf("%-34s %10.1f %10.3f s %10s   %5.1f GB/s vs %.1f GB/s memcpy\n", "NPY read vs memory bandwidth", npy_mb,
                ours_npy_read, "", npy_mb / 1e3 / ours_npy_read, npy_mb / 1e3 / memcpy_s);
    std::printf("CSV throughput: latentscape %.0f MB/s, pandas %.0f MB/s\n", csv_mb / ours_csv,
                pandas_csv > 0 ? csv_mb / pandas_csv : 0.0);
    if (pandas_csv < 0 || numpy_npy < 0)
        std::printf("(a reference was not available: run packaging/install-deps.sh --bench)\n");
    return 0;
}


}  // namespace latentscape::bench
