// latentscape-bench kmeans: k-means (k = 10, one k-means++ initialisation) on the 70,000 x 50 PCA
// of Fashion-MNIST against scikit-learn's KMeans on the same float32 file, in the same run.
#include "benches.h"

#include "cluster/kmeans.h"
#include "common/json.h"
#include "data/load.h"
#include "data/write.h"

#include <omp.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace latentscape::bench {
namespace {
namespace fs = std::filesystem;

struct Reference {
    double seconds = -1, inertia = -1;
    int iterations = -1;
    std::string blas = "unknown";
};

/// scikit-learn's KMeans(10, n_init=1, random_state=0) on the float32 file: best time of `repeat`
/// fits, with the inertia, the iteration count and the BLAS it used (written to a side file,
/// since python_number reads a single number).
Reference sklearn_kmeans(const std::string& file, const std::string& dir, int k, int repeat) {
    const std::string side = dir + "/kmeans_sklearn_result.txt";
    fs::remove(side);
    const double seconds = python_number(
        "import time, numpy as np\nfrom sklearn.cluster import KMeans\nimport threadpoolctl\n"
        "X = np.load(\"" + file + "\").astype(np.float32)\nbest = 1e9\n"
        "for _ in range(" + std::to_string(repeat) + "):\n"
        " t = time.perf_counter(); km = KMeans(n_clusters=" + std::to_string(k) +
        ", n_init=1, random_state=0).fit(X); best = min(best, time.perf_counter() - t)\n"
        "blas = [i.get(\"internal_api\", \"?\") + \" \" + str(i.get(\"version\")) + \" (\" + str(i.get(\"num_threads\")) + "
        "\" threads)\" for i in threadpoolctl.threadpool_info() if i.get(\"user_api\") == \"blas\"]\n"
        "open(\"" + side + "\", \"w\").write(\"%r %r %d\\n%s\\n\" % (best, float(km.inertia_), km.n_iter_, "
        "\", \".join(blas) or \"none\"))\nprint(best)");
    Reference r;
    std::ifstream in(side);
    if (seconds < 0 || !(in >> r.seconds >> r.inertia >> r.iterations)) return Reference{};
    std::getline(in, r.blas);
    std::getline(in, r.blas);
    return r;
}

}  // namespace

int bench_kmeans(const BenchArgs& args) {
    const int k = 10;
    const std::string file = pca50_file(args.dir);
    const data::Dataset ds = data::load(file);

    cluster::KMeansOptions o;
    o.k = k;
    o.restarts = 1;
    o.seed = 0;
    cluster::KMeansResult ours;
    const double ours_s = best_seconds(args.repeat, [&] { ours = cluster::kmeans(ds, o); });
    const Reference ref = sklearn_kmeans(file, args.dir, k, args.repeat);
    const double speedup = ref.seconds > 0 ? ref.seconds / ours_s : -1.0;
    const double inertia_ratio = ref.inertia > 0 ? ours.inertia / ref.inertia : -1.0;

    if (args.json) {
        json::Writer w;
        w.begin_object();
        w.key("threads").value(omp_get_max_threads());
        w.key("file").value(file).key("n").value(ds.n).key("d").value(ds.d).key("k").value(k).key("restarts").value(1);
        w.key("latentscape").begin_object();
        w.key("seconds").value(ours_s).key("inertia").value(ours.inertia).key("iterations").value(ours.iterations);
        w.key("converged").value(ours.converged).key("algorithm").value("hamerly");
        w.end_object();
        w.key("sklearn").begin_object();
        w.key("seconds").value(ref.seconds).key("inertia").value(ref.inertia).key("iterations").value(ref.iterations);
        w.key("blas").value(ref.blas);
        w.end_object();
        w.key("speedup").value(speedup).key("inertia_ratio").value(inertia_ratio);
        w.end_object();
        std::printf("%s\n", w.str().c_str());
        return 0;
    }
    std::printf("k-means benchmark, %d OpenMP thread(s), best of %d, k = %d, one k-means++ initialisation\n",
                omp_get_max_threads(), args.repeat, k);
    std::printf("data: %s (%lld x %lld float32, scikit-learn PCA of Fashion-MNIST)\n", file.c_str(),
                static_cast<long long>(ds.n), static_cast<long long>(ds.d));
    std::printf("%-26s %10s %16s %10s\n", "implementation", "seconds", "inertia", "iterations");
    std::printf("%-26s %10.3f %16.6g %10d\n", "latentscape (Hamerly)", ours_s, ours.inertia, ours.iterations);
    std::printf("%-26s %10.3f %16.6g %10d\n", "scikit-learn KMeans", ref.seconds, ref.inertia, ref.iterations);
    if (ref.seconds < 0) {
        std::printf("(the reference was not available: run packaging/install-deps.sh --bench)\n");
        return 0;
    }
    std::printf("speedup %.2fx, inertia ratio %.5f (ours / scikit-learn); reference BLAS: %s\n", speedup,
                inertia_ratio, ref.blas.c_str());
    return 0;
}

}  // namespace latentscape::bench
