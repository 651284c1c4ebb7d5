// latentscape-bench dbscan: DBSCAN on a 70,000-point 2-D embedding against scikit-learn's DBSCAN
// (algorithm='auto', i.e. its kd-tree here) on the same file, in the same run.
#include "benches.h"

#include "cluster/dbscan.h"
#include "common/json.h"
#include "data/load.h"

#include <omp.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace latentscape::bench {
namespace {
namespace fs = std::filesystem;

// Ten 2-D blobs (make_blobs, random_state 0, std 1): with min_samples 10, eps 0.2 gives 8 clusters
// and ~1,600 noise points, inside the 5-14 clusters.
constexpr double kEps = 0.2;
constexpr int kMinSamples = 10;

}  // namespace

int bench_dbscan(const BenchArgs& args) {
    fs::create_directories(args.dir);
    const std::string npy = args.dir + "/blobs70k_2d.npy";
    if (!fs::exists(npy)) {
        std::fprintf(stderr, "preparing %s ...\n", npy.c_str());
        const double ok = python_number(
            "import numpy\nfrom sklearn.datasets import make_blobs\n"
            "X, _ = make_blobs(70000, n_features=2, centers=10, cluster_std=1.0, random_state=0)\n"
            "numpy.save(\"" + npy + "\", X.astype(numpy.float32))\nprint(1)");
        if (ok != 1) throw std::runtime_error("could not make " + npy + " with " + kPython + " and scikit-learn");
    }
    const data::Dataset ds = data::load_npy(npy);
    cluster::DbscanOptions options;
    options.eps = kEps;
    options.min_points = kMinSamples;
    cluster::DbscanResult ours;
    const double ours_s = best_seconds(args.repeat, [&] { ours = cluster::dbscan(ds, options); });

    // Our labels go to a raw int32 file so that the reference can check agreement: same noise set,
    // adjusted Rand index of the clustered points (1 unless border points went elsewhere).
    const std::string ours_path = args.dir + "/dbscan_ours_labels.i32";
    const std::string sk_path = args.dir + "/dbscan_sklearn_summary.txt";
    std::ofstream(ours_path, std::ios::binary)
        .write(reinterpret_cast<const char*>(ours.labels.data()), std::streamsize(ours.labels.size() * sizeof(std::int32_t)));
    fs::remove(sk_path);
    const double sklearn_s = python_number(
        "import time, numpy\nfrom sklearn.cluster import DBSCAN\nfrom sklearn.metrics import adjusted_rand_score\n"
        "X = numpy.load(\"" + npy + "\")\nbest = 1e9\nfor _ in range(" + std::to_string(args.repeat) +
        "):\n t = time.perf_counter(); db = DBSCAN(eps=" + std::to_string(kEps) + ", min_samples=" +
        std::to_string(kMinSamples) + ").fit(X); best = min(best, time.perf_counter() - t)\n"
        "l = db.labels_; o = numpy.fromfile(\"" + ours_path + "\", dtype=numpy.int32)\n"
        "same_noise = int(numpy.array_equal(l < 0, o < 0)); m = l >= 0\n"
        "ari = adjusted_rand_score(l[m], o[m]) if m.any() else 1.0\n"
        "open(\"" + sk_path + "\", \"w\").write(\"%d %d %d %.9f\" % (l.max() + 1, (l < 0).sum(), same_noise, ari))\n"
        "print(best)");
    int sk_clusters = -1, same_noise = -1;
    long long sk_noise = -1;
    double ari = -1;
    if (std::ifstream in(sk_path); in) in >> sk_clusters >> sk_noise >> same_noise >> ari;
    const double ratio = sklearn_s > 0 ? sklearn_s / ours_s : -1.0;

    if (args.json) {
        json::Writer w;
        w.begin_object();
        w.key("threads").value(omp_get_max_threads());
        w.key("file").value(npy).key("n").value(ds.n).key("d").value(ds.d);
        w.key("eps").value(kEps).key("min_samples").value(kMinSamples);
        w.key("index").value(ours.index_used);
        w.key("latentscape_s").value(ours_s).key("sklearn_s").value(sklearn_s).key("speedup").value(ratio);
        w.key("latentscape_clusters").value(ours.clusters).key("latentscape_noise").value(ours.noise);
        w.key("sklearn_clusters").value(sk_clusters).key("sklearn_noise").value(std::int64_t(sk_noise));
        w.key("same_noise").value(same_noise == 1).key("adjusted_rand_clustered").value(ari);
        w.end_object();
        std::printf("%s\n", w.str().c_str());
        return 0;
    }
    std::printf("dbscan benchmark, %d OpenMP thread(s), best of %d\n", omp_get_max_threads(), args.repeat);
    std::printf("data: %s (%lld x %lld), eps %.2f, min_samples %d\n", npy.c_str(), (long long)ds.n, (long long)ds.d,
                kEps, kMinSamples);
    std::printf("%-28s %10s %10s %12s\n", "", "clusters", "noise", "seconds");
    std::printf("%-28s %10d %10lld %10.4f s\n", ("latentscape (" + ours.index_used + ")").c_str(), ours.clusters,
                (long long)ours.noise, ours_s);
    std::printf("%-28s %10d %10lld %10.4f s\n", "scikit-learn DBSCAN (auto)", sk_clusters, sk_noise, sklearn_s);
    std::printf("speedup: %.1fx; same noise points: %s; adjusted Rand index on clustered points: %.6f\n", ratio,
                same_noise == 1 ? "yes" : "no", ari);
    if (sklearn_s < 0) std::printf("(the reference was not available: run packaging/install-deps.sh --bench)\n");
    return 0;
}

}  // namespace latentscape::bench
