// latentscape-bench: timings of Latentscape against the reference implementations, measured in
// the same run on the same data (warm caches for both sides, best of --repeat runs).
#include "benches.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

namespace {

// The benchmarks and what each measures: the help's footer (the options' help is CLI11's, from
// their definitions below: each option is described once, where it is defined).
const char* const kBenchmarks =
    "\n"
    "benchmarks:\n"
    "  load     CSV and NPY loading vs pandas.read_csv, numpy.load and memcpy (70,000 x 785)\n"
    "  pca      PCA of Fashion-MNIST 70,000 x 784 to 50 components vs scikit-learn and numpy: the fit,\n"
    "           and a fresh process from .npy to scores (latentscape-cli reduce vs pca_sklearn.py)\n"
    "  kmeans   k-means (k = 10) on the 70,000 x 50 PCA of Fashion-MNIST vs scikit-learn KMeans\n"
    "  dbscan   DBSCAN on 70,000 2-D points (eps 0.2, min_samples 10) vs scikit-learn DBSCAN\n"
    "  metrics  the exact neighbour queries of the quality metrics, k_distance and DBSCAN on the first\n"
    "           --n (default 10,000) rows of that PCA (50-D) and its first 2 components; the metrics\n"
    "           of a UMAP embedding without and with a run's exact kNN graph (k 14: UMAP, 90: t-SNE)\n"
    "  tsne     t-SNE of the first --n (default 10,000) rows of that PCA, perplexity 30, 1000\n"
    "           iterations, --dims 2|3, vs scikit-learn TSNE (Barnes-Hut); also the neighbour search\n"
    "  umap     UMAP of the first --n (default all 70,000) rows of that PCA, n_neighbors 15, min_dist\n"
    "           0.1, --dims 2|3, vs umap-learn: total and neighbour time, trustworthiness, 10-NN accuracy\n"
    "  transform  UMAP fitted on the 60,000 training rows of that PCA (--n fewer), the 10,000 test rows\n"
    "           (--test fewer) placed on it, and a full run on both, vs umap-learn's fit, transform and\n"
    "           full fit: times and the test rows' 10-NN label accuracy, placed vs full run\n"
    "  autoencoder  784-256-64-2-64-256-784 autoencoder on the 60,000 Fashion-MNIST training images\n"
    "           (first --n), 5 epochs (--epochs), Adam, batch 256, 2 threads, vs PyTorch (same network):\n"
    "           training samples/s, test MSE and 10-NN accuracy of the 10,000 (--test) test images'\n"
    "           2-D codes, beside PCA-2 and t-SNE-2 of the same images\n"
    "  gan      GAN (generator 64-256-512-784, discriminator 784-512-256-1) on the 60,000 training\n"
    "           images (first --n), 5 epochs (--epochs), Adam, batch 64, 2 threads, vs PyTorch (same\n"
    "           networks): training samples/s, and precision/recall/class coverage of 10,000 samples\n"
    "           against the 10,000 (--test) test images, scored by the same code for both sides;\n"
    "           each side trains once per seed 1 .. --repeat (GAN training is noisy): means reported\n"
    "  lasso    selecting the points inside a 500-vertex lasso over 1,000,000 points (2-D and 3-D)\n"
    "           vs matplotlib's Path.contains_points\n"
    "  render   scatter-view frames per second at 100,000 and 1,000,000 moving points (--n N for\n"
    "           one size); run under xvfb-run for Mesa's software renderer\n"
    "  link     the main window with 4 linked views of 10,000 and 100,000 points (--n N for one\n"
    "           size): selections, hover, run switches, hidden classes; per operation the time until\n"
    "           on screen and the GUI event loop's longest stall (limit 50 ms); run under xvfb-run\n"
    "  all      each of the above (or --cases), in a fresh process with --json, into one results\n"
    "           file (--out); app/bench/results_tables.py turns it into the README's tables\n"
    "\n"
    "References need Debian's Python packages: packaging/install-deps.sh --bench\n";

}  // namespace

int main(int argc, char** argv) {
    using namespace latentscape::bench;
    struct Entry {
        const char* name;
        int (*run)(const BenchArgs&);
    };
    const Entry entries[] = {{"load", bench_load},           {"pca", bench_pca},
                             {"kmeans", bench_kmeans},       {"dbscan", bench_dbscan},
                             {"metrics", bench_metrics},     {"tsne", bench_tsne},
                             {"umap", bench_umap},           {"transform", bench_transform},
                             {"autoencoder", bench_autoencoder}, {"gan", bench_gan}, {"lasso", bench_lasso},
#ifdef LATENTSCAPE_BENCH_RENDER
                             {"render", bench_render},
                             {"link", bench_link},
#endif
    };
    std::vector<std::string> names;
    for (const auto& e : entries) names.emplace_back(e.name);
    std::vector<std::string> benchmarks = names;  // what `all` runs by default
    names.emplace_back("all");

    // CLI11 (Debian's libcli11-dev): numbers are checked as numbers and ranges, unknown options
    // and benchmarks are refused with a message, --help is generated from the definitions.
    CLI::App app{"latentscape-bench: timings of Latentscape against the reference implementations, measured in\n"
                 "the same run on the same data (warm caches for both sides, best of --repeat runs).",
                 "latentscape-bench"};
    app.footer(kBenchmarks);
    std::string what;
    BenchArgs args;
    app.add_option("benchmark", what, "which benchmark (listed below)")->required()->check(CLI::IsMember(names));
    app.add_option("--repeat", args.repeat, "runs per side, best taken")->check(CLI::Range(1, 1000))->capture_default_str();
    app.add_option("--dir", args.dir, "where benchmark files are made and kept")->capture_default_str();
    app.add_flag("--json", args.json, "one JSON object on stdout");
    app.add_option("--n", args.n, "points (tsne, umap, metrics, render, link; autoencoder: training images)")
        ->check(CLI::Range(std::int64_t(1), std::int64_t(1) << 40));
    app.add_option("--epochs", args.epochs, "training epochs (autoencoder, gan: default 5; umap: default 500 up to 10,000 points, else 200)")
        ->check(CLI::Range(1, 1000000));
    app.add_option("--test", args.test_n, "test images scored (autoencoder, gan: default 10,000; transform)")
        ->check(CLI::Range(std::int64_t(1), std::int64_t(1) << 40));
    app.add_option("--dims", args.dims, "output dimensions (tsne, umap)")->check(CLI::Range(2, 3))->capture_default_str();
    app.add_flag("!--no-reference", args.reference, "time Latentscape only");
    app.add_option("--first-seed", args.first_seed, "gan: the seeds are first-seed .. first-seed + repeat - 1")
        ->check(CLI::Range(1, 1000000))
        ->capture_default_str();
    app.add_option("--out", args.out, "all: the results file")->capture_default_str();
    std::vector<std::string> cases;
    app.add_option("--cases", cases, "all: the benchmarks to run (default: every one)")
        ->delimiter(',')
        ->check(CLI::IsMember(benchmarks));
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);  // prints the help, or the error and a hint
        return code == 0 ? 0 : 2;
    }
    if (what == "all") {
        try {
            return bench_all(args, cases.empty() ? benchmarks : cases);
        } catch (const std::exception& err) {
            std::fprintf(stderr, "latentscape-bench all: %s\n", err.what());
            return 1;
        }
    }
    for (const auto& e : entries) {
        if (what != e.name) continue;
        try {
            return e.run(args);
        } catch (const std::exception& err) {
            std::fprintf(stderr, "latentscape-bench %s: %s\n", e.name, err.what());
            return 1;
        }
    }
    return 2;  // not reached: CLI11 checked the name
}
