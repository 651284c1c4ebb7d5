// latentscape-bench transform: placing held-out rows on a UMAP map (issue 14). UMAP is fitted on
// Fashion-MNIST's 60,000 training images (the first 60,000 rows of the 50-component PCA; --n for
// fewer), the 10,000 test images (--test for fewer) are placed on it (reduce/transform.h: each row
// on its own), and a second UMAP is fitted on training and test rows together: the "full run".
// The same with umap-learn (fit, UMAP.transform, full fit; umap_learn_transform.py) in the same run.
// Scored by the same code on both sides, with the test rows' labels:
// - 10-NN accuracy among the test rows (leave-one-out within the 10,000 test positions, as
//   metrics::knn_accuracy), placed vs their positions in the full run;
// - 10-NN classification of each test row by the training rows nearest to it on the map (the
//   fitted map for the placed rows, the full run's training rows for the full run).
// The bar: the placed rows within 2 points of the full run.
#include "benches.h"

#include "common/json.h"
#include "common/parallel.h"
#include "data/load.h"
#include "data/write.h"
#include "metrics/quality.h"
#include "reduce/transform.h"
#include "reduce/umap.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace latentscape::bench {
namespace {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

/// Fraction of the m query points (2-D, Q) whose k nearest reference points (2-D, R, n of them)
/// vote their label by majority (ties to the smallest label).
double classify(const float* R, std::int64_t n, const std::int32_t* r_labels, const float* Q, std::int64_t m,
                const std::int32_t* q_labels, int k) {
    std::vector<std::uint8_t> hit(static_cast<std::size_t>(m));
    parallel::for_each(m, [&](std::int64_t i) {
        std::vector<std::pair<double, std::int64_t>> d(static_cast<std::size_t>(n));
        for (std::int64_t j = 0; j < n; ++j) {
            const double dx = double(Q[2 * i]) - R[2 * j], dy = double(Q[2 * i + 1]) - R[2 * j + 1];
            d[std::size_t(j)] = {dx * dx + dy * dy, j};
        }
        std::nth_element(d.begin(), d.begin() + (k - 1), d.end());
        std::vector<std::int32_t> votes;
        for (int a = 0; a < k; ++a) votes.push_back(r_labels[d[std::size_t(a)].second]);
        std::sort(votes.begin(), votes.end());
        std::int32_t best = votes[0];
        std::ptrdiff_t run = 0;
        for (auto a = votes.begin(); a != votes.end();) {
            const auto b = std::upper_bound(a, votes.end(), *a);
            if (b - a > run) {
                run = b - a;
                best = *a;
            }
            a = b;
        }
        hit[std::size_t(i)] = best == q_labels[i];
    });
    std::int64_t hits = 0;
    for (auto h : hit) hits += h;
    return double(hits) / double(m);
}

struct Side {
    double fit = -1, place = -1, full = -1;
    double placed_loo = -1, full_loo = -1, placed_cls = -1, full_cls = -1;
    std::string version;
};

void score(Side& s, const std::vector<float>& Yfit, const std::vector<float>& P, const std::vector<float>& Yfull,
           std::int64_t n, std::int64_t m, const std::vector<std::int32_t>& labels) {
    const std::int32_t* train = labels.data();
    const std::int32_t* test = labels.data() + n;
    s.placed_loo = metrics::knn_accuracy(P.data(), m, 2, test, 10).value;
    s.placed_cls = classify(Yfit.data(), n, train, P.data(), m, test, 10);
    if (Yfull.empty()) return;
    s.full_loo = metrics::knn_accuracy(Yfull.data() + 2 * n, m, 2, test, 10).value;
    s.full_cls = classify(Yfull.data(), n, train, Yfull.data() + 2 * n, m, test, 10);
}

std::string script_path() {
    const std::string source = std::string(LATENTSCAPE_BENCH_SOURCE_DIR) + "/umap_learn_transform.py";
    if (fs::exists(source)) return source;
    return "/usr/share/latentscape/bench/umap_learn_transform.py";
}

double json_number(const std::string& text, const std::string& key) {
    const auto at = text.find("\"" + key + "\":");
    if (at == std::string::npos) return -1;
    return std::atof(text.c_str() + at + key.size() + 3);
}

std::vector<float> load_floats(const std::string& path) {
    if (!fs::exists(path)) return {};
    const data::Dataset y = data::load(path);
    return std::vector<float>(y.features.begin(), y.features.end());
}

void write_rows(const data::Dataset& all, std::int64_t first, std::int64_t count, const std::string& path) {
    if (fs::exists(path)) return;
    data::Dataset part;
    part.n = count;
    part.d = all.d;
    part.feature_names = all.feature_names;
    part.features.assign(all.features.begin() + first * all.d, all.features.begin() + (first + count) * all.d);
    data::write_npy(part, path);
}

}  // namespace

int bench_transform(const BenchArgs& args) {
    const data::Dataset all = data::load(pca50_file(args.dir));
    const std::int64_t n = std::min<std::int64_t>(args.n > 0 ? args.n : 60000, 60000);
    const std::int64_t m = std::min<std::int64_t>(args.test_n > 0 ? args.test_n : 10000, 10000);
    const std::int64_t d = all.d;
    // Training rows 0..n-1, test rows 60000..60000+m-1, made contiguous (train then test).
    std::vector<float> X(all.features.begin(), all.features.begin() + n * d);
    X.insert(X.end(), all.features.begin() + 60000 * d, all.features.begin() + (60000 + m) * d);
    std::vector<std::int32_t> labels;
    {
        const data::Dataset images = fashion70k();
        if (!images.label_column) throw std::runtime_error("the benchmark needs Fashion-MNIST's labels");
        const auto& codes = images.metadata.at(*images.label_column).codes;
        labels.assign(codes.begin(), codes.begin() + n);
        labels.insert(labels.end(), codes.begin() + 60000, codes.begin() + 60000 + m);
    }

    reduce::umap::Options o;
    o.seed = 0;
    if (args.epochs > 0) o.n_epochs = args.epochs;
    Side ours;
    auto t0 = Clock::now();
    auto status = reduce::umap::initialize(X.data(), n, d, o);
    std::vector<double> Y = status.initial_embedding();
    status.run(Y, status.max_iterations());
    ours.fit = since(t0);
    t0 = Clock::now();
    const reduce::placement::Reference ref =
        reduce::placement::make_reference(X.data(), n, d, o.pca_dims, o.seed, Y.data(), 2);
    const std::vector<double> P =
        reduce::placement::place_umap(ref, X.data() + n * d, m, d, reduce::placement::umap_options(o, status.a(), status.b()));
    ours.place = since(t0);
    t0 = Clock::now();
    auto full_status = reduce::umap::initialize(X.data(), n + m, d, o);
    std::vector<double> F = full_status.initial_embedding();
    full_status.run(F, full_status.max_iterations());
    ours.full = since(t0);
    score(ours, std::vector<float>(Y.begin(), Y.end()), std::vector<float>(P.begin(), P.end()),
          std::vector<float>(F.begin(), F.end()), n, m, labels);

    Side theirs;
    if (args.reference) {
        const std::string tag = std::to_string(n) + "_" + std::to_string(m);
        const std::string train = args.dir + "/fashion_pca50_train" + std::to_string(n) + ".npy";
        const std::string test = args.dir + "/fashion_pca50_test" + std::to_string(m) + ".npy";
        write_rows(all, 0, n, train);
        write_rows(all, 60000, m, test);
        const std::string out_train = args.dir + "/umap_learn_fit_" + tag + ".npy";
        const std::string out_test = args.dir + "/umap_learn_placed_" + tag + ".npy";
        const std::string out_full = args.dir + "/umap_learn_full_" + tag + ".npy";
        for (const auto& f : {out_train, out_test, out_full}) fs::remove(f);
        const std::string cmd = std::string(kPython) + " " + script_path() + " --train " + train + " --test " + test +
                                " --out-train " + out_train + " --out-test " + out_test + " --out-full " + out_full +
                                " --threads " + std::to_string(omp_get_max_threads()) + " 2>/dev/null";
        std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
        std::string text;
        if (p) {
            char buf[4096];
            while (std::fgets(buf, sizeof buf, p.get())) text += buf;
        }
        theirs.fit = json_number(text, "fit_seconds");
        theirs.place = json_number(text, "transform_seconds");
        theirs.full = json_number(text, "full_seconds");
        const auto v = text.find("\"umap_version\": \"");
        if (v != std::string::npos) theirs.version = text.substr(v + 17, text.find('"', v + 17) - v - 17);
        const std::vector<float> yf = load_floats(out_train), yp = load_floats(out_test), yfull = load_floats(out_full);
        if (theirs.fit > 0 && std::int64_t(yf.size()) == 2 * n && std::int64_t(yp.size()) == 2 * m &&
            std::int64_t(yfull.size()) == 2 * (n + m))
            score(theirs, yf, yp, yfull, n, m, labels);
        else
            theirs = Side{};
    }

    if (args.json) {
        json::Writer w;
        w.begin_object();
        w.key("threads").value(omp_get_max_threads()).key("train").value(n).key("test").value(m).key("d").value(d);
        auto side = [&](const char* name, const Side& s) {
            w.key(name).begin_object();
            w.key("fit_seconds").value(s.fit).key("place_seconds").value(s.place).key("full_seconds").value(s.full);
            w.key("placed_knn_accuracy").value(s.placed_loo).key("full_knn_accuracy").value(s.full_loo);
            w.key("placed_train_classification").value(s.placed_cls).key("full_train_classification").value(s.full_cls);
            if (!s.version.empty()) w.key("version").value(s.version);
            w.end_object();
        };
        side("latentscape", ours);
        side("umap_learn", theirs);
        w.end_object();
        std::printf("%s\n", w.str().c_str());
        return 0;
    }
    std::printf("UMAP transform benchmark, %d OpenMP thread(s): fit on %lld training rows, %lld test rows placed "
                "(Fashion-MNIST PCA 50); full run on both\n",
                omp_get_max_threads(), (long long)n, (long long)m);
    std::printf("%-22s %8s %8s %8s | %-26s | %-26s\n", "", "fit s", "place s", "full s",
                "10-NN acc. among test rows", "10-NN by the training rows");
    std::printf("%-22s %8s %8s %8s | %8s %8s %8s | %8s %8s %8s\n", "", "", "", "", "placed", "full", "diff",
                "placed", "full", "diff");
    auto row = [](const std::string& name, const Side& s) {
        std::printf("%-22s %8.2f %8.2f %8.2f | %8.4f %8.4f %+8.4f | %8.4f %8.4f %+8.4f\n", name.c_str(), s.fit,
                    s.place, s.full, s.placed_loo, s.full_loo, s.placed_loo - s.full_loo, s.placed_cls, s.full_cls,
                    s.placed_cls - s.full_cls);
    };
    row("latentscape", ours);
    if (theirs.fit > 0) row("umap-learn " + theirs.version, theirs);
    else if (args.reference) std::printf("(umap-learn was not available: run packaging/install-deps.sh --bench)\n");
    return 0;
}

}  // namespace latentscape::bench
