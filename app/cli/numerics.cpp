// latentscape-cli reduce, cluster and metrics: the core numerics from the command line.
#include "commands.h"

#include "cluster/dbscan.h"
#include "cluster/kmeans.h"
#include "common/error.h"
#include "common/file_io.h"
#include "common/json.h"
#include "common/parallel.h"
#include "data/load.h"
#include "data/write.h"
#include "metrics/quality.h"
#include "metrics/silhouette.h"
#include "reduce/pca.h"
#include "reduce/sparse_pca.h"
#include "reduce/transform.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <stdexcept>

namespace latentscape::cli {

const char* const kReduceHelp =
    "usage: latentscape-cli reduce FILE --method pca|tsne|umap|autoencoder|vae --dims K --out OUT.csv|OUT.npy\n"
    "       latentscape-cli reduce FILE --method gan --save-model MODEL.lsgan [--out SAMPLES.npy]\n"
    "                              [options] [--json]\n"
    "\n"
    "Reduces FILE's features to K dimensions and writes the embedding (the CSV also carries the\n"
    "label column and the row ids when FILE has them).\n"
    "\n"
    "options:\n"
    "  --out OUT           the embedding: .csv (with the label and row ids) or .npy\n"
    "  --method M          pca (default), tsne, umap, autoencoder, vae (variational autoencoder)\n"
    "                      or gan (a generative adversarial network: no embedding; see below)\n"
    "  --dims K            output dimensions (default 2; t-SNE, UMAP: 2 or 3; autoencoder: the code size)\n"
    "  --seed N            random seed (default 42): same seed, same result, any --threads\n"
    "  --preprocess P      every method: none (default), standardize (mean 0, sd 1 per column),\n"
    "                      minmax (each column into [0, 1]) or log1p (log(1 + x), for counts);\n"
    "                      fitted on FILE's columns, as scikit-learn's scalers\n"
    "  --metrics K         pca, tsne, umap: then trustworthiness, continuity, kNN recall (and kNN\n"
    "                      accuracy with a label) at k = K, as 'metrics' computes them; UMAP\n"
    "                      reuses its kNN graph when exact and found on FILE's own columns\n"
    "PCA:\n"
    "  --pca-solver S      auto (default), exact or randomized\n"
    "  --scale             scale every feature to unit variance first\n"
    "  --whiten            divide each component by its standard deviation\n"
    "t-SNE:\n"
    "  --perplexity P      effective neighbours per point (default 30; < (n - 1) / 3)\n"
    "  --iterations N      gradient-descent iterations (default 1000)\n"
    "  --exaggeration E    early exaggeration (default 12)\n"
    "  --exaggeration-iterations N  iterations it lasts (default 250)\n"
    "  --learning-rate L   step size (default max(n / exaggeration, 50))\n"
    "  --gradient G        auto (default), exact, bh (Barnes-Hut, 2-D/3-D) or fft (2-D)\n"
    "  --theta T           Barnes-Hut accuracy (default 0.5; smaller is more exact)\n"
    "  --neighbors N       auto (default), exact or approximate (hnswlib)\n"
    "  --pca-dims D        PCA to D dimensions first (default 50 when there are more; 0 = none)\n"
    "  --init I            pca (default) or random\n"
    "UMAP (umap-learn's method and defaults; deterministic for a seed with any --threads):\n"
    "  --n-neighbors K     neighbourhood size, the point itself counted (default 15; 2 .. n - 1)\n"
    "  --min-dist M        smallest distance between embedded points (default 0.1; <= --spread)\n"
    "  --spread S          scale of the embedded points (default 1)\n"
    "  --epochs N          optimisation epochs (default 500 up to 10,000 rows, else 200)\n"
    "  --learning-rate L   initial SGD step, decaying linearly (default 1)\n"
    "  --negative-sample-rate R  random points pushed away per sampled edge (default 5)\n"
    "  --repulsion-strength G    weight of those pushes (default 1)\n"
    "  --set-op-mix-ratio F      fuzzy union (1, default) ... intersection (0) of the memberships\n"
    "  --local-connectivity C    neighbours assumed connected (default 1)\n"
    "  --init I            spectral (default; pca when the graph is disconnected), pca or random\n"
    "  --neighbors N       auto (default), exact or approximate (hnswlib)\n"
    "  --pca-dims D        PCA to D dimensions first (default 50 when there are more; 0 = none)\n"
    "autoencoder and vae (a d-...-K-...-d network trained with Adam; --save-model keeps it for 'encode'):\n"
    "  --hidden H1,H2,...  encoder hidden sizes, widest first, mirrored by the decoder ('none' for\n"
    "                      none; default 512,128 for d >= 256, 128,32 for d >= 32, else 32,16)\n"
    "  --activation A      hidden layers: relu (default), gelu, tanh or linear\n"
    "  --output O          output layer: auto (default: sigmoid when the data lie in [0, 1]),\n"
    "                      sigmoid or linear\n"
    "  --loss L            mse (default) or bce (data in [0, 1], sigmoid output)\n"
    "  --beta B            vae: weight of the KL term (default 1)\n"
    "  --epochs N          passes over the training rows (default 20)\n"
    "  --batch B           rows per gradient step (default 256)\n"
    "  --lr LR             Adam step size (default 0.001)\n"
    "  --weight-decay W    decoupled (AdamW) weight decay (default 0)\n"
    "  --standardize       scale every feature to mean 0, standard deviation 1 first (linear output)\n"
    "  --input-scale S     divide the values by S first (default: 255 for 8-bit images, else 1)\n"
    "  --validation F      fraction of rows held out to measure the loss on (default 0.1; 0 = none)\n"
    "  --patience P        stop when the held-out loss has not improved for P epochs (default 0: never)\n"
    "gan (a generator noise-...-d and a discriminator d-...-1, trained with Adam; 'sample' draws rows):\n"
    "  --dims K            noise dimensions (default 2: a plane of generated rows)\n"
    "  --hidden H1,H2,...  generator hidden sizes, narrowest first (default: the autoencoder's\n"
    "                      reversed, 128,512 for d >= 256)\n"
    "  --discriminator-hidden H1,...  discriminator hidden sizes (LeakyReLU; default 512,128 for\n"
    "                      d >= 256)\n"
    "  (and --activation --output --epochs --batch --lr --standardize --input-scale as above;\n"
    "   gan defaults: 20 epochs, batch 64, lr 0.0002)\n"
    "  --adam-beta1 B      Adam's first-moment decay (gan default 0.5)\n"
    "  --samples N         with --out: rows to generate into it (default: as many as FILE has)\n"
    "  --save-model PATH   write the trained model (.lsae) for 'latentscape-cli encode'\n"
    "                      (gan: .lsgan, required, for 'latentscape-cli sample')\n"
    "                      (PCA, t-SNE, UMAP: the fit or the map, for 'latentscape-cli transform')\n"
    "  --threads T         worker threads (results do not depend on it)\n"
    "  --json              print one JSON summary on stdout\n"
    "  --help              this text\n";

const char* const kClusterHelp =
    "usage: latentscape-cli cluster FILE --method kmeans --k K [--restarts R] [--seed S] --out LABELS.csv\n"
    "       latentscape-cli cluster FILE --method dbscan --eps E --min-points M --out LABELS.csv\n"
    "\n"
    "Clusters FILE's features (or, with --on-embedding, an embedding of the same rows) and writes\n"
    "one row per point: its id and its cluster (-1 = noise for DBSCAN).\n"
    "\n"
    "options:\n"
    "  --out LABELS.csv    where the labels go\n"
    "  --method M          kmeans or dbscan\n"
    "  --k K               k-means clusters\n"
    "  --restarts R        k-means restarts, the lowest inertia kept (default 1)\n"
    "  --max-iterations N  k-means iterations per restart (default 300)\n"
    "  --seed N            k-means++ seed (default 42)\n"
    "  --eps E             DBSCAN neighbourhood radius\n"
    "  --min-points M      DBSCAN core-point threshold, the point itself included (default 5)\n"
    "  --on-embedding EMB  cluster this embedding (.csv/.npy, same rows as FILE) instead\n"
    "  --threads T         worker threads (results do not depend on it)\n"
    "  --json              print one JSON summary on stdout\n"
    "  --help              this text\n";

const char* const kMetricsHelp =
    "usage: latentscape-cli metrics --data FILE --embedding EMB [--label COL] [--k 10] [--json]\n"
    "\n"
    "How faithful is an embedding? Trustworthiness and continuity (Venna & Kaski), k-NN recall\n"
    "and, with a label, k-NN label accuracy and the silhouette of the labels in the embedding.\n"
    "Exact up to 20,000 points, sampled estimates above (5,000 query points, each against all\n"
    "n; above 1,000,000 points 5e9 / n of them, at least 500; stated).\n"
    "\n"
    "options:\n"
    "  --data FILE         the high-dimensional data\n"
    "  --embedding EMB     its embedding, same rows in the same order\n"
    "  --label COL         label column of FILE (default: FILE's label)\n"
    "  --k K               neighbourhood size (default 10)\n"
    "  --threads T         worker threads (results do not depend on it)\n"
    "  --json              print one JSON object on stdout\n"
    "  --help              this text\n";

namespace {

/// Loads an embedding given by path and checks it has `n` rows.
data::Dataset load_embedding(const std::string& path, std::int64_t n, const std::string& against) {
    data::Dataset emb = data::load(path);
    if (emb.n != n)
        throw LoadError(path, "has " + std::to_string(emb.n) + " rows but " + against + " has " + std::to_string(n));
    return emb;
}

/// log(1 + x) of a sparse matrix's stored values (a zero stays zero: no entry is added).
void log1p_sparse(const std::string& path, data::CsrMatrix& X) {
    for (std::int64_t i = 0; i < X.n; ++i)
        for (std::int64_t k = X.indptr[std::size_t(i)]; k < X.indptr[std::size_t(i + 1)]; ++k) {
            float& v = X.values[std::size_t(k)];
            if (!(v > -1.0f))
                throw LoadError(path, "log1p preprocessing needs values > -1: column " + std::to_string(X.indices[std::size_t(k)] + 1) +
                                          ", row " + std::to_string(i + 1) + " is " + std::to_string(v));
            v = std::log1p(v);
        }
}

}  // namespace

int run_reduce(const Args& a) {
    const std::string& in = single_input(a);
    const std::string method = a.get("method", "pca");
    if (method == "gan") {
        apply_threads(a);
        return run_reduce_gan(a);
    }
    if (!a.has("out")) throw UsageError{"--out is required"};
    check_output_name(a.get("out"));
    if (method == "tsne") {
        apply_threads(a);
        return run_reduce_tsne(a);
    }
    if (method == "umap") {
        apply_threads(a);
        return run_reduce_umap(a);
    }
    if (method == "autoencoder" || method == "vae") {
        apply_threads(a);
        return run_reduce_autoencoder(a);
    }
    if (method != "pca") throw UsageError{"--method must be pca, tsne, umap, autoencoder, vae or gan"};
    reduce::PcaOptions o;
    o.components = number<int>(a, "dims", 2);
    o.scale = a.has("scale");
    o.whiten = a.has("whiten");
    o.seed = number<std::uint64_t>(a, "seed", o.seed);
    const std::string solver = a.get("pca-solver", "auto");
    if (solver == "auto") o.method = reduce::PcaOptions::Method::Auto;
    else if (solver == "exact") o.method = reduce::PcaOptions::Method::Exact;
    else if (solver == "randomized") o.method = reduce::PcaOptions::Method::Randomized;
    else throw UsageError{"--pca-solver must be auto, exact or randomized"};
    apply_threads(a);

    // An AnnData file with a sparse X (single-cell counts) is PCA'd as it is, never densified,
    // unless a dense copy is needed anyway (--metrics) or the preprocessing would fill the zeros
    // (standardize, minmax; log1p keeps a zero zero).
    const data::Preprocess preprocess = preprocess_option(a);
    bool sparse = false;
    data::Dataset ds;
    reduce::PcaResult r;
    if (io::extension(in) == "h5ad" && !a.has("metrics") &&
        (preprocess == data::Preprocess::None || preprocess == data::Preprocess::Log1p) &&
        data::h5ad_x_is_sparse(in, load_options(a))) {
        sparse = true;
        data::CsrMatrix X = data::load_h5ad_csr(in, load_options(a), &ds);
        if (preprocess == data::Preprocess::Log1p) log1p_sparse(in, X);
        r = reduce::pca_sparse(X, o);
    } else {
        ds = load_for_reduce(in, a);
        r = reduce::pca(ds, o);
    }

    write_embedding(ds, r.scores, r.k, "PC", a.get("out"));
    if (a.has("save-model")) reduce::placement::save_model(reduce::placement::pca_model(r), a.get("save-model"));
    const RunQuality quality = run_quality(a, ds, r.scores.data(), r.k, nullptr, 0);

    if (a.has("json")) {
        json::Writer w;
        w.begin_object();
        w.key("input").value(in).key("output").value(a.get("out"));
        w.key("method").value("pca").key("method_used").value(r.method_used);
        w.key("rows").value(ds.n).key("features").value(r.d).key("dims").value(r.k);
        w.key("sparse").value(sparse);
        w.key("explained_variance").begin_array();
        for (double v : r.explained_variance) w.value(v);
        w.end_array();
        w.key("explained_variance_ratio").begin_array();
        double total = 0;
        for (double v : r.explained_variance_ratio) {
            w.value(v);
            total += v;
        }
        w.end_array();
        w.key("explained_variance_ratio_sum").value(total);
        w.key("threads").value(parallel::max_threads());
        w.key("elapsed_seconds").value(r.elapsed_seconds);
        write_quality(w, quality);
        w.end_object();
        std::printf("%s\n", w.str().c_str());
    } else {
        double total = 0;
        for (double v : r.explained_variance_ratio) total += v;
        std::printf("PCA (%s): %lld x %lld -> %d dimensions, %.2f%% of the variance, %.3f s; wrote %s\n",
                    r.method_used.c_str(), static_cast<long long>(ds.n),
                    static_cast<long long>(r.d), r.k,
                    100.0 * total, r.elapsed_seconds, a.get("out").c_str());
        if (quality.computed) std::printf("%s\n", quality_text(quality).c_str());
    }
    return 0;
}

int run_cluster(const Args& a) {
    const std::string& in = single_input(a);
    if (!a.has("out")) throw UsageError{"--out is required"};
    if (io::extension(a.get("out")) != "csv") throw UsageError{"--out must be a .csv file"};
    const std::string method = a.get("method");
    if (method != "kmeans" && method != "dbscan") throw UsageError{"--method must be kmeans or dbscan"};
    if (method == "kmeans" && !a.has("k")) throw UsageError{"--k is required for k-means"};
    if (method == "dbscan" && !a.has("eps")) throw UsageError{"--eps is required for DBSCAN"};
    apply_threads(a);

    const data::Dataset ds = data::load(in, load_options(a));
    data::Dataset emb;
    const data::Dataset* target = &ds;
    if (a.has("on-embedding")) {
        emb = load_embedding(a.get("on-embedding"), ds.n, in);
        target = &emb;
    }

    std::vector<std::int32_t> labels;
    std::vector<std::uint8_t> core;
    json::Writer w;
    w.begin_object();
    w.key("input").value(in).key("output").value(a.get("out")).key("method").value(method);
    w.key("rows").value(target->n).key("features").value(target->d);
    std::string summary;
    if (method == "kmeans") {
        cluster::KMeansOptions o;
        o.k = number<int>(a, "k", o.k);
        o.restarts = number<int>(a, "restarts", o.restarts);
        o.max_iterations = number<int>(a, "max-iterations", o.max_iterations);
        o.seed = number<std::uint64_t>(a, "seed", o.seed);
        const cluster::KMeansResult r = cluster::kmeans(*target, o);
        labels = r.labels;
        w.key("k").value(o.k).key("restarts").value(o.restarts).key("inertia").value(r.inertia);
        w.key("iterations").value(r.iterations).key("converged").value(r.converged);
        w.key("elapsed_seconds").value(r.elapsed_seconds);
        char buf[256];
        std::snprintf(buf, sizeof buf, "k-means: k = %d, inertia %.6g, %d iterations%s, %.3f s", o.k, r.inertia,
                      r.iterations, r.converged ? "" : " (not converged)", r.elapsed_seconds);
        summary = buf;
    } else {
        cluster::DbscanOptions o;
        o.eps = number<double>(a, "eps", o.eps);
        o.min_points = number<int>(a, "min-points", o.min_points);
        const cluster::DbscanResult r = cluster::dbscan(*target, o);
        labels = r.labels;
        core = r.core;
        w.key("eps").value(o.eps).key("min_points").value(o.min_points).key("clusters").value(r.clusters);
        w.key("noise").value(r.noise).key("index").value(r.index_used);
        w.key("elapsed_seconds").value(r.elapsed_seconds);
        char buf[256];
        std::snprintf(buf, sizeof buf, "DBSCAN: %d clusters, %lld noise points (%s), %.3f s", r.clusters,
                      static_cast<long long>(r.noise), r.index_used.c_str(), r.elapsed_seconds);
        summary = buf;
    }
    w.key("threads").value(parallel::max_threads());
    w.end_object();

    io::write_atomically(a.get("out"), [&](std::ostream& out) {
        out << (core.empty() ? "id,cluster\n" : "id,cluster,core\n");
        for (std::int64_t i = 0; i < ds.n; ++i) {
            out << ds.row_id(i) << ',' << labels[std::size_t(i)];
            if (!core.empty()) out << ',' << int(core[std::size_t(i)]);
            out << '\n';
        }
    });
    if (a.has("json")) std::printf("%s\n", w.str().c_str());
    else std::printf("%s; wrote %s\n", summary.c_str(), a.get("out").c_str());
    return 0;
}

int run_metrics(const Args& a) {
    if (!a.positional.empty()) throw UsageError{"metrics takes --data FILE and --embedding EMB, not positional files"};
    if (!a.has("data") || !a.has("embedding")) throw UsageError{"--data and --embedding are required"};
    const int k = number<int>(a, "k", 10);
    apply_threads(a);
    const data::Dataset X = data::load(a.get("data"), load_options(a));
    const data::Dataset Y = load_embedding(a.get("embedding"), X.n, a.get("data"));

    const metrics::QualityResult q = metrics::quality(X.features.data(), X.n, X.d, Y.features.data(), Y.d, k);
    json::Writer w;
    w.begin_object();
    w.key("data").value(a.get("data")).key("embedding").value(a.get("embedding"));
    w.key("rows").value(X.n).key("k").value(k);
    auto estimate = [&](const char* name, const metrics::Estimate& e) {
        w.key(name).begin_object();
        w.key("value").value(e.value).key("sampled").value(e.sampled).key("sample_size").value(e.sample_size);
        w.end_object();
    };
    estimate("trustworthiness", q.trustworthiness);
    estimate("continuity", q.continuity);
    estimate("knn_recall", q.knn_recall);
    std::string text;
    char buf[256];
    std::snprintf(buf, sizeof buf, "trustworthiness %.4f, continuity %.4f, kNN recall %.4f (k = %d%s)",
                  q.trustworthiness.value, q.continuity.value, q.knn_recall.value, k,
                  q.trustworthiness.sampled ? ", sampled" : "");
    text = buf;
    const data::MetadataColumn* label = X.label();
    if (label && label->kind == data::ColumnKind::Categorical) {
        const metrics::Estimate acc = metrics::knn_accuracy(Y.features.data(), Y.n, Y.d, label->codes.data(), k);
        const metrics::SilhouetteResult sil = metrics::silhouette(Y.features.data(), Y.n, Y.d, label->codes.data());
        w.key("label").value(label->name);
        estimate("knn_accuracy", acc);
        w.key("silhouette").begin_object();
        w.key("value").value(sil.mean).key("sampled").value(sil.sampled).key("sample_size").value(sil.sample_size);
        w.end_object();
        std::snprintf(buf, sizeof buf, "; label '%s': kNN accuracy %.4f, silhouette %.4f", label->name.c_str(), acc.value,
                      sil.mean);
        text += buf;
    } else {
        w.key("label").null();
    }
    w.key("threads").value(parallel::max_threads());
    w.key("elapsed_seconds").value(q.elapsed_seconds);
    w.end_object();
    if (a.has("json")) std::printf("%s\n", w.str().c_str());
    else std::printf("%s\n", text.c_str());
    return 0;
}

// reduce ... --metrics K: the quality of the embedding just made, reusing the run's kNN graph of
// the data when it can stand in for the metrics' own search (issue 14).
RunQuality run_quality(const Args& a, const data::Dataset& ds, const float* Y, int dims,
                       const neighbors::KnnGraph* graph, std::int64_t graph_dims) {
    RunQuality s;
    if (!a.has("metrics")) return s;
    s.k = number<int>(a, "metrics", 10);
    if (s.k < 1) throw UsageError{"--metrics K needs K >= 1"};
    const auto start = std::chrono::steady_clock::now();
    // The run's graph replaces the metrics' search only when it is exactly theirs: exact, on the
    // rows themselves (not on the components of a preprocessing PCA), with enough neighbours.
    if (!graph) s.graph = "none";
    else if (!graph->exact) s.graph = "not reused: approximate";
    else if (graph_dims != ds.d) s.graph = "not reused: found after PCA";
    else if (graph->k < s.k) s.graph = "not reused: k " + std::to_string(graph->k) + " < " + std::to_string(s.k);
    else s.graph = "reused";
    const bool reuse = s.graph == "reused";
    s.quality = reuse ? metrics::quality(ds.features.data(), ds.n, ds.d, Y, dims, s.k, *graph)
                      : metrics::quality(ds.features.data(), ds.n, ds.d, Y, dims, s.k);
    const data::MetadataColumn* label = ds.label();
    if (label && label->kind == data::ColumnKind::Categorical)
        s.accuracy = metrics::knn_accuracy(Y, ds.n, dims, label->codes.data(), s.k);
    s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    s.computed = true;
    return s;
}

void write_quality(json::Writer& w, const RunQuality& s) {
    if (!s.computed) return;
    auto estimate = [&](const char* name, const metrics::Estimate& e) {
        w.key(name).begin_object();
        w.key("value").value(e.value).key("sampled").value(e.sampled).key("sample_size").value(e.sample_size);
        w.end_object();
    };
    w.key("metrics").begin_object();
    w.key("k").value(s.k).key("graph").value(s.graph);
    estimate("trustworthiness", s.quality.trustworthiness);
    estimate("continuity", s.quality.continuity);
    estimate("knn_recall", s.quality.knn_recall);
    if (s.accuracy) estimate("knn_accuracy", *s.accuracy);
    w.key("seconds").value(s.seconds);
    w.end_object();
}

std::string quality_text(const RunQuality& s) {
    if (!s.computed) return {};
    char buf[320];
    std::snprintf(buf, sizeof buf, "trustworthiness %.4f, continuity %.4f, kNN recall %.4f", s.quality.trustworthiness.value,
                  s.quality.continuity.value, s.quality.knn_recall.value);
    std::string text = buf;
    if (s.accuracy) {
        std::snprintf(buf, sizeof buf, ", kNN accuracy %.4f", s.accuracy->value);
        text += buf;
    }
    std::snprintf(buf, sizeof buf, " (k = %d%s; run's graph %s; %.2f s)", s.k,
                  s.quality.trustworthiness.sampled ? ", sampled" : "", s.graph.c_str(), s.seconds);
    return text + buf;
}

}  // namespace latentscape::cli
