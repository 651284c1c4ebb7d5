// latentscape-cli reduce --method gan (train a GAN, keep it) and latentscape-cli sample (draw rows
// from a saved GAN or VAE, and measure how they cover real data).
#include "commands.h"

#include "common/error.h"
#include "common/file_io.h"
#include "common/json.h"
#include "common/parallel.h"
#include "data/joint.h"
#include "data/load.h"
#include "data/write.h"
#include "metrics/generative.h"
#include "reduce/autoencoder.h"
#include "reduce/gan.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace latentscape::cli {

namespace ae = reduce::autoencoder;
namespace gan = reduce::gan;

const char* const kSampleHelp =
    "usage: latentscape-cli sample --model MODEL.lsgan|MODEL.lsae --n N --out OUT.csv|OUT.npy|OUT.npz\n"
    "                              [--compare FILE [--joint JOINT.csv]] [--json]\n"
    "\n"
    "Draws N rows from a generative model: a GAN saved by 'reduce --method gan --save-model', or a\n"
    "VAE saved by 'reduce --method vae --save-model' (its decoder applied to N(0, I) codes). The\n"
    "noise comes from --seed alone: row i is the same whatever N is.\n"
    "With --compare FILE (the real data), it measures where the samples land: improved precision\n"
    "and recall (Kynkaanniemi et al. 2019; k-NN balls in PCA space fitted on the real rows) and,\n"
    "when FILE has a label, the share of samples a k-NN classifier of the real rows gives each class.\n"
    "\n"
    "options:\n"
    "  --model PATH        the model file (required)\n"
    "  --n N               rows to draw (required; 1 .. 10,000,000)\n"
    "  --out PATH          the samples, .csv .npy or .npz (required)\n"
    "  --seed S            noise seed (default 42)\n"
    "  --compare FILE      real rows to compare with (same feature columns as the model)\n"
    "  --compare-rows M    real rows used, a seeded sample (default 10000)\n"
    "  --pca-dims D        dimensions of the shared space (default 50; 0 = the raw features)\n"
    "  --k K               precision/recall neighbourhood (default 3)\n"
    "  --classifier-k K    coverage classifier neighbours (default 10)\n"
    "  --joint PATH        with --compare: write FILE's rows and the samples together (.csv .npy\n"
    "                      .npz) with a 'source' column (real, gan or vae) to embed them side by side\n"
    "  --threads T         worker threads (results do not depend on it)\n"
    "  --json              print one JSON summary on stdout\n"
    "  (and the loading options of 'info' for --compare: --label --missing --header --delimiter\n"
    "   --labels --metadata --array)\n"
    "  --help              this text\n";

namespace {

/// A dataset of generated rows: features named like `like`'s when it has d of them.
data::Dataset samples_dataset(const std::vector<float>& rows, std::int64_t n, int d, const data::Dataset* like) {
    data::Dataset s;
    s.n = n;
    s.d = d;
    s.features.assign(rows.begin(), rows.end());
    if (like && like->d == d) s.feature_names = like->feature_names;
    else
        for (int j = 0; j < d; ++j) s.feature_names.push_back("x" + std::to_string(j + 1));
    return s;
}

/// The first 8 bytes of a model file, to tell a GAN from an autoencoder.
std::string model_magic(const std::string& path) {
    const io::InputFile in(path);
    char magic[8] = {};
    const std::size_t got = in.read_at(magic, std::size_t(std::min<std::uint64_t>(8, in.size())), 0);
    return std::string(magic, got);
}

}  // namespace

int run_reduce_gan(const Args& a) {
    const std::string& in = single_input(a);
    if (!a.has("save-model")) throw UsageError{"--method gan needs --save-model MODEL.lsgan (a GAN has no embedding to write)"};
    gan::Options o;
    o.noise_dims = number<int>(a, "dims", o.noise_dims);
    if (a.has("hidden")) o.generator_hidden = parse_hidden("hidden", a.get("hidden"));
    if (a.has("discriminator-hidden")) o.discriminator_hidden = parse_hidden("discriminator-hidden", a.get("discriminator-hidden"));
    parse_named(a, "activation", ae::parse_activation, o.activation);
    parse_named(a, "output", ae::parse_output, o.output);
    o.epochs = number<int>(a, "epochs", o.epochs);
    o.batch_size = number<int>(a, "batch", o.batch_size);
    o.learning_rate = number<double>(a, "lr", o.learning_rate);
    o.adam_beta1 = number<double>(a, "adam-beta1", o.adam_beta1);
    o.standardize = a.has("standardize");
    o.seed = number<std::uint64_t>(a, "seed", o.seed);
    const std::string model_path = a.get("save-model");
    check_model_path(model_path);
    if (a.has("out")) check_output_name(a.get("out"));

    const data::Dataset ds = load_for_reduce(in, a);
    if (a.has("input-scale") && o.standardize) throw UsageError{"--input-scale and --standardize exclude each other"};
    o.input_scale = a.has("input-scale") ? number<double>(a, "input-scale", 1.0)
                    : o.standardize      ? 1.0
                                         : ae::suggested_input_scale(ds.features.data(), ds.n, ds.d, !ds.images.empty());
    gan::Model model;
    std::vector<gan::EpochRecord> history;
    double seconds = 0.0;
    std::int64_t steps = 0;
    try {
        gan::Status s = gan::initialize(ds.features.data(), ds.n, ds.d, o);
        s.run_steps(s.max_steps());
        model = s.model();
        history = s.history();
        seconds = s.training_seconds();
        steps = s.step();
    } catch (const std::invalid_argument&) {
        throw;
    } catch (const std::runtime_error& e) {  // too big for memory, or diverged: the user can act on it
        std::fprintf(stderr, "error: %s\n", printable(e.what()).c_str());
        return 2;
    }
    try {
        model.save(model_path);
    } catch (const std::runtime_error& e) {
        std::fprintf(stderr, "error: %s\n", printable(e.what()).c_str());
        return 2;
    }
    const std::int64_t count = number<std::int64_t>(a, "samples", ds.n);
    if (a.has("out")) {
        if (count < 1 || count > 10'000'000) throw UsageError{"--samples must be in [1, 10000000]"};
        const auto z = gan::noise(count, model.noise_dims, o.seed);
        data::write(samples_dataset(model.generate(z.data(), count), count, model.data_dims, &ds), a.get("out"));
    }
    const double samples_per_second = seconds > 0 ? double(steps) / double((ds.n + o.batch_size - 1) / o.batch_size) * double(ds.n) / seconds : 0.0;
    if (a.has("json")) {
        json::Writer w;
        w.begin_object();
        w.key("input").value(in).key("model").value(model_path).key("method").value("gan");
        w.key("output");
        if (a.has("out")) w.value(a.get("out"));
        else w.null();
        w.key("rows").value(ds.n).key("features").value(ds.d).key("noise_dims").value(model.noise_dims);
        w.key("generator_hidden").begin_array();
        for (int h : model.generator_hidden) w.value(h);
        w.end_array();
        w.key("discriminator_hidden").begin_array();
        for (int h : model.discriminator_hidden) w.value(h);
        w.end_array();
        w.key("output_activation").value(model.sigmoid_output ? "sigmoid" : "linear");
        w.key("parameters").value(model.parameter_count()).key("batch").value(o.batch_size);
        w.key("learning_rate").value(o.learning_rate).key("input_scale").value(o.input_scale).key("standardize").value(o.standardize);
        w.key("seed").value(o.seed).key("threads").value(parallel::max_threads()).key("epochs").value(o.epochs).key("steps").value(steps);
        w.key("history").begin_array();
        for (const auto& e : history) {
            w.begin_object();
            w.key("epoch").value(e.epoch).key("generator_loss").value(e.generator_loss);
            w.key("discriminator_loss").value(e.discriminator_loss).key("real_score").value(e.real_score);
            w.key("fake_score").value(e.fake_score).key("seconds").value(e.seconds);
            w.end_object();
        }
        w.end_array();
        w.key("training_seconds").value(seconds).key("samples_per_second").value(samples_per_second);
        w.end_object();
        std::printf("%s\n", w.str().c_str());
    } else {
        const auto& last = history.back();
        std::printf("GAN (%lld parameters, %d-D noise): %lld x %lld, %d epochs (%lld steps), D loss %.4g, G loss %.4g, "
                    "D(real) %.3f, D(fake) %.3f, %.2f s (%.0f samples/s); wrote %s",
                    static_cast<long long>(model.parameter_count()), model.noise_dims, static_cast<long long>(ds.n),
                    static_cast<long long>(ds.d), last.epoch, static_cast<long long>(steps), last.discriminator_loss,
                    last.generator_loss, last.real_score, last.fake_score, seconds, samples_per_second, model_path.c_str());
        if (a.has("out")) std::printf(" and %lld samples to %s", static_cast<long long>(count), a.get("out").c_str());
        std::printf("\n");
    }
    return 0;
}

int run_sample(const Args& a) {
    if (!a.positional.empty()) throw UsageError{"sample takes no input file (the real data go with --compare)"};
    if (!a.has("model")) throw UsageError{"--model is required"};
    if (!a.has("n")) throw UsageError{"--n is required"};
    if (!a.has("out")) throw UsageError{"--out is required"};
    check_output_name(a.get("out"));
    if (a.has("joint") && !a.has("compare")) throw UsageError{"--joint needs --compare FILE"};
    if (a.has("joint")) check_output_name(a.get("joint"));
    apply_threads(a);
    const std::int64_t n = number<std::int64_t>(a, "n", 0);
    if (n < 1 || n > 10'000'000) throw UsageError{"--n must be in [1, 10000000]"};
    const std::uint64_t seed = number<std::uint64_t>(a, "seed", 42);
    const std::string model_path = a.get("model");

    std::vector<float> rows;
    int d = 0;
    std::string kind;
    const std::string magic = model_magic(model_path);
    if (magic == "LSCAPEGN") {
        const gan::Model m = gan::Model::load(model_path);
        const auto z = gan::noise(n, m.noise_dims, seed);
        rows = m.generate(z.data(), n);
        d = m.data_dims;
        kind = "gan";
    } else if (magic == "LSCAPEAE") {
        const ae::Model m = ae::Model::load(model_path);
        if (!m.variational)
            throw LoadError(model_path, "is a plain autoencoder: its codes follow no prior to sample from; train a VAE "
                                        "(--method vae) or a GAN (--method gan)");
        const auto z = gan::noise(n, m.latent_dims, seed);
        rows = m.decode(z.data(), n);
        d = m.input_dims;
        kind = "vae";
    } else {
        throw LoadError(model_path, "not a Latentscape GAN (.lsgan) or autoencoder (.lsae) model", std::nullopt, 0);
    }

    std::optional<data::Dataset> real;
    std::optional<metrics::GeneratedQuality> quality;
    std::vector<std::string> class_names;
    if (a.has("compare")) {
        const std::string path = a.get("compare");
        real = data::load(path, load_options(a));
        if (real->d != d)
            throw LoadError(path, "has " + std::to_string(real->d) + " feature columns but the model " + model_path + " makes " +
                                      std::to_string(d));
        metrics::GeneratedComparison c;
        c.max_real = number<std::int64_t>(a, "compare-rows", c.max_real);
        c.pca_dims = number<int>(a, "pca-dims", c.pca_dims);
        c.k = number<int>(a, "k", c.k);
        c.classifier_k = number<int>(a, "classifier-k", c.classifier_k);
        c.seed = seed;
        if (c.max_real < 2) throw UsageError{"--compare-rows must be at least 2"};
        const data::MetadataColumn* label = real->label();
        const bool categorical = label && label->kind == data::ColumnKind::Categorical;
        if (categorical) class_names = label->categories;
        quality = metrics::compare_generated(real->features.data(), real->n, real->d, rows.data(), n,
                                             categorical ? label->codes.data() : nullptr, int(class_names.size()), c);
    }
    data::write(samples_dataset(rows, n, d, real ? &*real : nullptr), a.get("out"));
    if (a.has("joint")) data::write(data::append_generated(*real, rows.data(), n, kind), a.get("joint"));

    if (a.has("json")) {
        json::Writer w;
        w.begin_object();
        w.key("model").value(model_path).key("kind").value(kind).key("rows").value(n).key("features").value(d);
        w.key("seed").value(seed).key("output").value(a.get("out"));
        if (quality) {
            w.key("compare").value(a.get("compare")).key("real_rows_used").value(quality->real_used);
            w.key("space_dims").value(quality->dims).key("k").value(quality->precision_recall.k);
            w.key("precision").value(quality->precision_recall.precision).key("recall").value(quality->precision_recall.recall);
            if (quality->coverage) {
                w.key("classes_covered").value(quality->coverage->covered);
                w.key("classes").begin_array();
                for (std::size_t c = 0; c < class_names.size(); ++c) {
                    w.begin_object();
                    w.key("name").value(class_names[c]).key("real_share").value(quality->coverage->real_share[c]);
                    w.key("generated_share").value(quality->coverage->generated_share[c]);
                    w.end_object();
                }
                w.end_array();
            }
            w.key("seconds").value(quality->seconds);
        }
        w.end_object();
        std::printf("%s\n", w.str().c_str());
    } else {
        std::printf("drew %lld rows of %d values from %s (%s); wrote %s\n", static_cast<long long>(n), d, model_path.c_str(),
                    kind.c_str(), a.get("out").c_str());
        if (quality) {
            std::printf("against %lld real rows of %s in %d-D PCA space: precision %.3f, recall %.3f (k = %d)\n",
                        static_cast<long long>(quality->real_used), a.get("compare").c_str(), quality->dims,
                        quality->precision_recall.precision, quality->precision_recall.recall, quality->precision_recall.k);
            if (quality->coverage) {
                std::printf("classes covered: %d of %zu (generated share / real share):", quality->coverage->covered, class_names.size());
                for (std::size_t c = 0; c < class_names.size(); ++c)
                    std::printf(" %s %.3f/%.3f", printable(class_names[c]).c_str(), quality->coverage->generated_share[c],
                                quality->coverage->real_share[c]);
                std::printf("\n");
            }
        }
    }
    return 0;
}

}  // namespace latentscape::cli
