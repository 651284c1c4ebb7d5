// latentscape-cli reduce --method tsne: the t-SNE engine from the command line.
#include "commands.h"

#include "common/json.h"
#include "common/parallel.h"
#include "data/load.h"
#include "data/write.h"
#include "reduce/tsne.h"

#include <cstdio>

namespace latentscape::cli {

int run_reduce_tsne(const Args& a) {
    const std::string& in = single_input(a);
    reduce::tsne::Options o;
    o.dims = number<int>(a, "dims", o.dims);
    o.perplexity = number<double>(a, "perplexity", o.perplexity);
    o.iterations = number<int>(a, "iterations", o.iterations);
    o.exaggeration = number<double>(a, "exaggeration", o.exaggeration);
    o.exaggeration_iterations = number<int>(a, "exaggeration-iterations", o.exaggeration_iterations);
    if (a.has("learning-rate")) o.learning_rate = number<double>(a, "learning-rate", 0.0);
    o.theta = number<double>(a, "theta", o.theta);
    if (a.has("pca-dims")) o.pca_dims = number<int>(a, "pca-dims", 0);
    o.seed = number<std::uint64_t>(a, "seed", o.seed);
    const std::string gradient = a.get("gradient", "auto");
    if (gradient == "auto") o.gradient = reduce::tsne::Gradient::Auto;
    else if (gradient == "exact") o.gradient = reduce::tsne::Gradient::Exact;
    else if (gradient == "bh" || gradient == "barnes-hut") o.gradient = reduce::tsne::Gradient::BarnesHut;
    else if (gradient == "fft") o.gradient = reduce::tsne::Gradient::Fft;
    else throw UsageError{"--gradient must be auto, exact, bh or fft"};
    const std::string neighbors = a.get("neighbors", "auto");
    if (neighbors == "auto") o.neighbors = reduce::tsne::Neighbors::Auto;
    else if (neighbors == "exact") o.neighbors = reduce::tsne::Neighbors::Exact;
    else if (neighbors == "approximate") o.neighbors = reduce::tsne::Neighbors::Approximate;
    else throw UsageError{"--neighbors must be auto, exact or approximate"};
    const std::string init = a.get("init", "pca");
    if (init == "pca") o.init = reduce::tsne::Init::Pca;
    else if (init == "random") o.init = reduce::tsne::Init::Random;
    else throw UsageError{"--init must be pca or random"};

    const data::Dataset ds = load_for_reduce(in, a);
    const reduce::tsne::Result r = reduce::tsne::run_to_end(ds.features.data(), ds.n, ds.d, o);

    write_embedding(ds, r.embedding, r.dims, "tSNE", a.get("out"));
    if (a.has("save-model"))
        save_map(ds, o.pca_dims, o.seed, std::vector<double>(r.embedding.begin(), r.embedding.end()), r.dims, true, &o,
                 nullptr, 0.0, 0.0, a.get("save-model"));

    // t-SNE's kNN graph is internal to reduce::tsne (not returned): the metrics search their own.
    const RunQuality quality = run_quality(a, ds, r.embedding.data(), r.dims, nullptr, 0);
    const double total = r.timings.pca + r.timings.neighbors + r.timings.affinities + r.timings.init +
                         r.optimisation_seconds;
    if (a.has("json")) {
        json::Writer w;
        w.begin_object();
        w.key("input").value(in).key("output").value(a.get("out"));
        w.key("method").value("tsne").key("rows").value(ds.n).key("features").value(ds.d).key("dims").value(r.dims);
        w.key("input_dims").value(r.input_dims).key("perplexity").value(o.perplexity).key("k").value(r.k);
        w.key("neighbors").value(r.neighbors).key("gradient").value(r.gradient);
        w.key("learning_rate").value(r.learning_rate).key("iterations").value(r.iterations);
        w.key("seed").value(o.seed).key("threads").value(parallel::max_threads());
        w.key("kl_divergence").value(r.kl_divergence).key("kl_exact").value(r.kl_exact);
        w.key("seconds").begin_object();
        w.key("pca").value(r.timings.pca).key("neighbors").value(r.timings.neighbors);
        w.key("affinities").value(r.timings.affinities).key("init").value(r.timings.init);
        w.key("optimisation").value(r.optimisation_seconds).key("total").value(total);
        w.end_object();
        write_quality(w, quality);
        w.end_object();
        std::printf("%s\n", w.str().c_str());
    } else {
        std::printf("t-SNE (%s neighbours, %s gradient): %lld x %lld -> %d dimensions, %d iterations, KL %.4f%s, "
                    "%.2f s (neighbours %.2f s, affinities %.2f s, optimisation %.2f s); wrote %s\n",
                    r.neighbors.c_str(), r.gradient.c_str(), static_cast<long long>(ds.n),
                    static_cast<long long>(ds.d), r.dims, r.iterations, r.kl_divergence,
                    r.kl_exact ? "" : " (approximate)", total, r.timings.neighbors, r.timings.affinities,
                    r.optimisation_seconds, a.get("out").c_str());
        if (quality.computed) std::printf("%s\n", quality_text(quality).c_str());
    }
    return 0;
}

}  // namespace latentscape::cli
