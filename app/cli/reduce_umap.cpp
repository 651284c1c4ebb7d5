// latentscape-cli reduce --method umap: the UMAP engine from the command line.
#include "commands.h"

#include "common/json.h"
#include "common/parallel.h"
#include "data/load.h"
#include "data/write.h"
#include "reduce/umap.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>

namespace latentscape::cli {

int run_reduce_umap(const Args& a) {
    const std::string& in = single_input(a);
    reduce::umap::Options o;
    o.dims = number<int>(a, "dims", o.dims);
    o.n_neighbors = number<int>(a, "n-neighbors", o.n_neighbors);
    o.min_dist = number<double>(a, "min-dist", o.min_dist);
    o.spread = number<double>(a, "spread", o.spread);
    if (a.has("epochs")) o.n_epochs = number<int>(a, "epochs", 0);
    o.learning_rate = number<double>(a, "learning-rate", o.learning_rate);
    o.negative_sample_rate = number<int>(a, "negative-sample-rate", o.negative_sample_rate);
    o.repulsion_strength = number<double>(a, "repulsion-strength", o.repulsion_strength);
    o.set_op_mix_ratio = number<double>(a, "set-op-mix-ratio", o.set_op_mix_ratio);
    o.local_connectivity = number<double>(a, "local-connectivity", o.local_connectivity);
    if (a.has("pca-dims")) o.pca_dims = number<int>(a, "pca-dims", 0);
    o.seed = number<std::uint64_t>(a, "seed", o.seed);
    const std::string neighbors = a.get("neighbors", "auto");
    if (neighbors == "auto") o.neighbors = latentscape::neighbors::Method::Auto;
    else if (neighbors == "exact") o.neighbors = latentscape::neighbors::Method::Exact;
    else if (neighbors == "approximate") o.neighbors = latentscape::neighbors::Method::Approximate;
    else throw UsageError{"--neighbors must be auto, exact or approximate"};
    const std::string init = a.get("init", "spectral");
    if (init == "spectral") o.init = reduce::umap::Init::Spectral;
    else if (init == "pca") o.init = reduce::umap::Init::Pca;
    else if (init == "random") o.init = reduce::umap::Init::Random;
    else throw UsageError{"--init must be spectral, pca or random for UMAP"};

    const data::Dataset ds = load_for_reduce(in, a);
    const auto start = std::chrono::steady_clock::now();
    auto status = reduce::umap::initialize(ds.features.data(), ds.n, ds.d, o);
    std::vector<double> Y = status.initial_embedding();
    // Progress on a terminal only (scripts read the JSON): one line rewritten every 10 epochs.
    const bool progress = isatty(STDERR_FILENO) != 0;
    while (!status.finished()) {
        status.run(Y, status.iteration() + 10);
        if (progress) std::fprintf(stderr, "\rUMAP: epoch %d / %d", status.iteration(), status.max_iterations());
    }
    if (progress) std::fprintf(stderr, "\n");
    const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double cost = status.cost(Y);
    FloatVector embedding(Y.size());
    for (std::size_t e = 0; e < Y.size(); ++e) embedding[e] = float(Y[e]);

    write_embedding(ds, embedding, status.dims(), "UMAP", a.get("out"));
    if (a.has("save-model"))
        save_map(ds, o.pca_dims, o.seed, Y, status.dims(), false, nullptr, &o, status.a(), status.b(), a.get("save-model"));

    const RunQuality quality = run_quality(a, ds, embedding.data(), status.dims(), &status.knn(), status.input_dims());
    const auto& t = status.timings();
    const char* neighbors_used = latentscape::neighbors::to_string(status.neighbors());
    const char* init_used = reduce::umap::to_string(status.init());
    if (a.has("json")) {
        json::Writer w;
        w.begin_object();
        w.key("input").value(in).key("output").value(a.get("out"));
        w.key("method").value("umap").key("rows").value(ds.n).key("features").value(ds.d).key("dims").value(status.dims());
        w.key("input_dims").value(status.input_dims()).key("n_neighbors").value(o.n_neighbors);
        w.key("min_dist").value(o.min_dist).key("spread").value(o.spread).key("a").value(status.a()).key("b").value(status.b());
        w.key("neighbors").value(neighbors_used).key("init").value(init_used);
        w.key("epochs").value(status.iteration()).key("learning_rate").value(o.learning_rate);
        w.key("negative_sample_rate").value(o.negative_sample_rate);
        w.key("seed").value(o.seed).key("threads").value(parallel::max_threads());
        w.key("cross_entropy").value(cost);
        w.key("seconds").begin_object();
        w.key("pca").value(t.pca).key("neighbors").value(t.neighbors).key("graph").value(t.graph);
        w.key("init").value(t.init).key("optimisation").value(status.optimisation_seconds()).key("total").value(total);
        w.end_object();
        write_quality(w, quality);
        w.end_object();
        std::printf("%s\n", w.str().c_str());
    } else {
        std::printf("UMAP (%s neighbours, %s init): %lld x %lld -> %d dimensions, %d epochs, cross entropy %.4g, "
                    "%.2f s (neighbours %.2f s, graph %.2f s, init %.2f s, optimisation %.2f s); wrote %s\n",
                    neighbors_used, init_used, static_cast<long long>(ds.n), static_cast<long long>(ds.d),
                    status.dims(), status.iteration(), cost, total, t.neighbors, t.graph, t.init,
                    status.optimisation_seconds(), a.get("out").c_str());
        if (quality.computed) std::printf("%s\n", quality_text(quality).c_str());
    }
    return 0;
}

}  // namespace latentscape::cli
