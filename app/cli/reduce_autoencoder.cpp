// latentscape-cli reduce --method autoencoder|vae, and latentscape-cli encode: train a network,
// write its codes, keep the model, and project new rows into an existing latent space.
#include "commands.h"

#include "common/error.h"
#include "common/json.h"
#include "common/parallel.h"
#include "data/load.h"
#include "data/write.h"
#include "reduce/autoencoder.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

namespace latentscape::cli {

namespace ae = reduce::autoencoder;

const char* const kEncodeHelp =
    "usage: latentscape-cli encode FILE --model MODEL.lsae --out OUT.csv|OUT.npy|OUT.npz [options] [--json]\n"
    "\n"
    "Projects FILE's rows into the latent space of an autoencoder saved by\n"
    "'latentscape-cli reduce --method autoencoder|vae --save-model MODEL.lsae' and writes their\n"
    "codes (the means for a VAE). FILE must have the model's number of feature columns; rows never\n"
    "seen in training are fine. Encoding the training file gives the codes 'reduce' wrote, byte for byte.\n"
    "\n"
    "options:\n"
    "  --model PATH        the model file (required)\n"
    "  --out PATH          output file, .csv .npy or .npz (required)\n"
    "  --threads T         worker threads (results do not depend on it)\n"
    "  --json              print one JSON summary on stdout\n"
    "  (and the loading options of 'info': --label --missing --header --delimiter --labels\n"
    "   --metadata --array)\n"
    "  --help              this text\n";

namespace {

/// Column names: AE1, AE2, ... for an autoencoder, VAE1, ... for a variational one.
const char* code_prefix(bool variational) { return variational ? "VAE" : "AE"; }

FloatVector to_float_vector(const std::vector<float>& v) { return FloatVector(v.begin(), v.end()); }

}  // namespace

int run_reduce_autoencoder(const Args& a) {
    const std::string& in = single_input(a);
    const std::string method = a.get("method");
    ae::Options o;
    o.variational = method == "vae";
    o.latent_dims = number<int>(a, "dims", o.latent_dims);
    if (a.has("hidden")) o.hidden = parse_hidden("hidden", a.get("hidden"));
    parse_named(a, "activation", ae::parse_activation, o.activation);
    parse_named(a, "output", ae::parse_output, o.output);
    parse_named(a, "loss", ae::parse_loss, o.loss);
    if (a.has("beta") && !o.variational) throw UsageError{"--beta applies to --method vae only"};
    o.beta = number<double>(a, "beta", o.beta);
    o.epochs = number<int>(a, "epochs", o.epochs);
    o.batch_size = number<int>(a, "batch", o.batch_size);
    o.learning_rate = number<double>(a, "lr", o.learning_rate);
    o.weight_decay = number<double>(a, "weight-decay", o.weight_decay);
    o.standardize = a.has("standardize");
    o.validation_fraction = number<double>(a, "validation", o.validation_fraction);
    o.patience = number<int>(a, "patience", o.patience);
    o.seed = number<std::uint64_t>(a, "seed", o.seed);
    const std::string model_path = a.get("save-model");
    if (a.has("save-model")) check_model_path(model_path);

    const data::Dataset ds = load_for_reduce(in, a);
    // 8-bit images (IDX, or image arrays) train on pixel / 255, as in the app.
    // Standardisation replaces it.
    if (a.has("input-scale") && o.standardize) throw UsageError{"--input-scale and --standardize exclude each other"};
    o.input_scale = a.has("input-scale") ? number<double>(a, "input-scale", 1.0)
                    : o.standardize      ? 1.0
                                         : ae::suggested_input_scale(ds.features.data(), ds.n, ds.d, !ds.images.empty());
    ae::Result r;
    try {
        r = ae::run_to_end(ds.features.data(), ds.n, ds.d, o);
    } catch (const std::invalid_argument&) {
        throw;
    } catch (const std::runtime_error& e) {  // the network would not fit in memory: the user can act on it
        std::fprintf(stderr, "error: %s\n", printable(e.what()).c_str());
        return 2;
    }
    const double mse = r.reconstruction_mse;  // found with the codes, in the same pass

    write_embedding(ds, to_float_vector(r.codes), r.model.latent_dims, code_prefix(o.variational), a.get("out"));
    if (a.has("save-model")) {
        try {
            r.model.save(model_path);
        } catch (const std::runtime_error& e) {
            std::fprintf(stderr, "error: %s\n", printable(e.what()).c_str());
            return 2;
        }
    }

    const int epochs = r.history.empty() ? 0 : r.history.back().epoch;
    const char* output = r.model.sigmoid_output ? "sigmoid" : "linear";
    if (a.has("json")) {
        json::Writer w;
        w.begin_object();
        w.key("input").value(in).key("output").value(a.get("out"));
        w.key("model");
        if (a.has("save-model")) w.value(model_path);
        else w.null();
        w.key("method").value(method).key("rows").value(ds.n).key("features").value(ds.d);
        w.key("dims").value(r.model.latent_dims);
        w.key("hidden").begin_array();
        for (int h : r.model.hidden) w.value(h);
        w.end_array();
        w.key("activation").value(ae::to_string(r.model.activation)).key("output_activation").value(output);
        w.key("loss").value(ae::to_string(o.loss));
        if (o.variational) w.key("beta").value(o.beta);
        w.key("standardize").value(o.standardize).key("input_scale").value(o.input_scale).key("parameters").value(r.model.parameter_count());
        w.key("batch").value(o.batch_size).key("learning_rate").value(o.learning_rate);
        w.key("weight_decay").value(o.weight_decay).key("validation_fraction").value(o.validation_fraction);
        w.key("patience").value(o.patience).key("seed").value(o.seed).key("threads").value(parallel::max_threads());
        w.key("epochs").value(epochs).key("max_epochs").value(o.epochs).key("steps").value(r.steps);
        w.key("stopped_early").value(r.stopped_early);
        w.key("history").begin_array();
        for (const auto& e : r.history) {
            w.begin_object();
            w.key("epoch").value(e.epoch).key("train_loss").value(e.train_loss);
            w.key("validation_loss").value(e.validation_loss).key("seconds").value(e.seconds);  // NaN -> null
            w.end_object();
        }
        w.end_array();
        w.key("training_seconds").value(r.training_seconds).key("samples_per_second").value(r.samples_per_second);
        // In the data's units, and in the network's (as the losses above) when the input is scaled.
        w.key("reconstruction_mse").value(mse);
        w.key("reconstruction_mse_scaled");
        if (o.standardize) w.null();  // per feature, the network's units differ: no single factor
        else w.value(mse / (o.input_scale * o.input_scale));
        w.end_object();
        std::printf("%s\n", w.str().c_str());
    } else {
        std::string arch = std::to_string(ds.d);
        for (int h : r.model.hidden) arch += "-" + std::to_string(h);
        arch += "-" + std::to_string(r.model.latent_dims);
        const double last_train = r.history.empty() ? NAN : r.history.back().train_loss;
        const double last_val = r.history.empty() ? NAN : r.history.back().validation_loss;
        std::printf("%s %s (%s, %s output, %lld parameters): %lld x %lld -> %d dimensions, %d epoch%s%s (%lld steps), "
                    "loss %.6g",
                    o.variational ? "VAE" : "autoencoder", arch.c_str(), ae::to_string(r.model.activation), output,
                    static_cast<long long>(r.model.parameter_count()), static_cast<long long>(ds.n),
                    static_cast<long long>(ds.d), r.model.latent_dims, epochs, epochs == 1 ? "" : "s", r.stopped_early ? " (stopped early)" : "",
                    static_cast<long long>(r.steps), last_train);
        if (std::isfinite(last_val)) std::printf(", held-out %.6g", last_val);
        std::printf(", reconstruction MSE %.6g, %.2f s (%.0f samples/s); wrote %s", mse, r.training_seconds,
                    r.samples_per_second, a.get("out").c_str());
        if (a.has("save-model")) std::printf(" and %s", model_path.c_str());
        std::printf("\n");
    }
    return 0;
}

int run_encode(const Args& a) {
    const std::string& in = single_input(a);
    if (!a.has("model")) throw UsageError{"--model is required"};
    if (!a.has("out")) throw UsageError{"--out is required"};
    check_output_name(a.get("out"));
    apply_threads(a);
    const std::string model_path = a.get("model");
    const ae::Model model = ae::Model::load(model_path);
    const data::Dataset ds = data::load(in, load_options(a));
    if (ds.d != model.input_dims)
        throw LoadError(in, "has " + std::to_string(ds.d) + " feature columns but the model " + model_path +
                                " takes " + std::to_string(model.input_dims));

    std::vector<float> codes;
    try {
        codes = model.encode(ds.features.data(), ds.n);
    } catch (const std::runtime_error& e) {  // non-finite codes: the model file is at fault
        throw LoadError(model_path, e.what());
    }
    write_embedding(ds, to_float_vector(codes), model.latent_dims, code_prefix(model.variational), a.get("out"));

    if (a.has("json")) {
        json::Writer w;
        w.begin_object();
        w.key("input").value(in).key("model").value(model_path).key("output").value(a.get("out"));
        w.key("method").value(model.variational ? "vae" : "autoencoder");
        w.key("rows").value(ds.n).key("features").value(ds.d).key("dims").value(model.latent_dims);
        w.key("hidden").begin_array();
        for (int h : model.hidden) w.value(h);
        w.end_array();
        w.key("parameters").value(model.parameter_count()).key("threads").value(parallel::max_threads());
        w.key("reconstruction_mse").value(model.reconstruction_mse(ds.features.data(), ds.n));
        w.end_object();
        std::printf("%s\n", w.str().c_str());
    } else {
        std::printf("encoded %lld x %lld with %s (%s, %d-D codes); wrote %s\n", static_cast<long long>(ds.n),
                    static_cast<long long>(ds.d), model_path.c_str(), model.variational ? "VAE" : "autoencoder",
                    model.latent_dims, a.get("out").c_str());
    }
    return 0;
}

}  // namespace latentscape::cli
