// latentscape-bench pca: Fashion-MNIST 70,000 x 784 -> 50 components, Latentscape (auto and
// randomized) against scikit-learn's randomized PCA and numpy's covariance + eigh: the fits alone
// (warm, in-process), and whole fresh processes from the .npy to the scores on disk
// (latentscape-cli reduce against pca_sklearn.py).
#include "benches.h"

#include "common/json.h"
#include "data/write.h"
#include "reduce/pca.h"

#include <omp.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

namespace latentscape::bench {
namespace {
namespace fs = std::filesystem;

/// Runs a Python snippet and returns its output lines (empty if it failed). The snippet must not
/// contain single quotes.
std::vector<std::string> python_lines(const std::string& code) {
    const std::string cmd = std::string(kPython) + " -c '" + code + "' 2>/dev/null";
    std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
    std::vector<std::string> lines;
    if (!p) return lines;
    char buf[512];
    while (std::fgets(buf, sizeof buf, p.get())) {
        std::string s(buf);
        while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
        lines.push_back(s);
    }
    return lines;
}

double number(const std::vector<std::string>& lines, std::size_t i) {
    return i < lines.size() ? std::atof(lines[i].c_str()) : -1.0;
}

double ratio_sum(const reduce::PcaResult& r) {
    return std::accumulate(r.explained_variance_ratio.begin(), r.explained_variance_ratio.end(), 0.0);
}

}  // namespace

int bench_pca(const BenchArgs& args) {
    constexpr int k = 50;
    fs::create_directories(args.dir);
    const std::string npy = args.dir + "/fashion70k_f32.npy";
    const data::Dataset ds = fashion70k();
    if (!fs::exists(npy)) data::write_npy(ds, npy);

    reduce::PcaOptions o;
    o.components = k;
    reduce::PcaResult fit_auto, fit_rand;
    const double ours_auto = best_seconds(args.repeat, [&] { fit_auto = reduce::pca(ds, o); });
    o.method = reduce::PcaOptions::Method::Randomized;
    const double ours_rand = best_seconds(args.repeat, [&] { fit_rand = reduce::pca(ds, o); });

    // The references time only the fit (the load is outside the timed region).
    const std::string r = std::to_string(args.repeat);
    const std::vector<std::string> ref = python_lines(
        "import time, numpy as np\n"
        "from sklearn.decomposition import PCA\n"
        "X = np.load(\"" + npy + "\")\n"
        "best = 1e9\n"
        "for _ in range(" + r + "):\n"
        " t = time.perf_counter(); p = PCA(" + std::to_string(k) +
        ", svd_solver=\"randomized\", random_state=0).fit(X); best = min(best, time.perf_counter() - t)\n"
        "print(best); print(p.explained_variance_ratio_.sum())\n"
        "best = 1e9\n"
        "for _ in range(" + r + "):\n"
        " t = time.perf_counter(); C = np.cov(X, rowvar=False); w, V = np.linalg.eigh(C); best = min(best, time.perf_counter() - t)\n"
        "print(best); print(w[::-1][:" + std::to_string(k) + "].sum() / w.sum())\n"
        "from threadpoolctl import threadpool_info\n"
        "print(\" \".join(sorted({i[\"internal_api\"] + \"/\" + str(i[\"num_threads\"]) + \"threads\" + "
        "(\"/\" + i[\"architecture\"] if i.get(\"architecture\") else \"\") for i in threadpool_info()})))\n");
    const double sk_s = number(ref, 0), sk_ev = number(ref, 1), np_s = number(ref, 2), np_ev = number(ref, 3);
    const std::string blas = ref.size() > 4 ? ref[4] : "unknown";
    const double speedup = sk_s > 0 ? sk_s / ours_auto : -1.0;

    // As a user runs it: one fresh process each, from the .npy on disk to the scores on disk
    // (start-up, loading, the fit and the transform, writing), warm page cache.
    const std::string cli = sibling_program("latentscape-cli");
    const std::string out_ours = args.dir + "/pca_cli_scores.npy", out_sk = args.dir + "/pca_sklearn_scores.npy";
    const double cli_s =
        cli.empty() ? -1.0
                    : process_seconds(shell_quote(cli) + " reduce " + shell_quote(npy) + " --method pca --dims " +
                                          std::to_string(k) + " --out " + shell_quote(out_ours),
                                      args.repeat);
    const std::string script = reference_script("pca_sklearn.py");
    const double sk_process_s =
        script.empty() ? -1.0
                       : process_seconds(std::string(kPython) + " " + shell_quote(script) + " " + shell_quote(npy) + " " +
                                             shell_quote(out_sk) + " " + std::to_string(k),
                                         args.repeat);
    const double process_speedup = cli_s > 0 && sk_process_s > 0 ? sk_process_s / cli_s : -1.0;

    if (args.json) {
        json::Writer w;
        w.begin_object();
        w.key("threads").value(omp_get_max_threads());
        w.key("n").value(ds.n).key("d").value(ds.d).key("components").value(k);
        w.key("latentscape_auto_s").value(ours_auto).key("latentscape_auto_method").value(fit_auto.method_used);
        w.key("latentscape_auto_explained").value(ratio_sum(fit_auto));
        w.key("latentscape_randomized_s").value(ours_rand).key("latentscape_randomized_explained").value(ratio_sum(fit_rand));
        w.key("sklearn_randomized_s").value(sk_s).key("sklearn_randomized_explained").value(sk_ev);
        w.key("numpy_cov_eigh_s").value(np_s).key("numpy_cov_eigh_explained").value(np_ev);
        w.key("reference_blas").value(blas);
        w.key("speedup_vs_sklearn").value(speedup);
        w.key("speedup_randomized_vs_sklearn").value(sk_s > 0 ? sk_s / ours_rand : -1.0);
        w.key("cli_process_s").value(cli_s).key("sklearn_process_s").value(sk_process_s);
        w.key("process_speedup_vs_sklearn").value(process_speedup);
        w.end_object();
        std::printf("%s\n", w.str().c_str());
        return 0;
    }
    std::printf("PCA benchmark: %lld x %lld -> %d components, %d OpenMP thread(s), best of %d\n",
                static_cast<long long>(ds.n), static_cast<long long>(ds.d), k, omp_get_max_threads(), args.repeat);
    std::printf("%-44s %10s %12s\n", "implementation", "time", "explained");
    std::printf("%-44s %8.3f s %12.5f\n", ("latentscape auto (" + fit_auto.method_used + ")").c_str(), ours_auto,
                ratio_sum(fit_auto));
    std::printf("%-44s %8.3f s %12.5f\n", "latentscape randomized (4 power iterations)", ours_rand, ratio_sum(fit_rand));
    std::printf("%-44s %8.3f s %12.5f\n", "scikit-learn PCA randomized", sk_s, sk_ev);
    std::printf("%-44s %8.3f s %12.5f\n", "numpy cov + eigh", np_s, np_ev);
    std::printf("reference BLAS: %s\n", blas.c_str());
    if (sk_s > 0)
        std::printf("speedup vs scikit-learn randomized: auto %.1fx, randomized %.1fx; vs numpy cov+eigh: %.1fx\n",
                    speedup, sk_s / ours_rand, np_s > 0 ? np_s / ours_auto : 0.0);
    else
        std::printf("(the scikit-learn reference was not available: run packaging/install-deps.sh --bench)\n");
    std::printf("fresh process, .npy to scores on disk: latentscape-cli reduce %.3f s, python3 pca_sklearn.py %.3f s",
                cli_s, sk_process_s);
    if (process_speedup > 0) std::printf(" (%.1fx)", process_speedup);
    std::printf("\n");
    return 0;
}

}  // namespace latentscape::bench
