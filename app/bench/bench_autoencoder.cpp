// latentscape-bench autoencoder: the autoencoder of issue 6 against PyTorch on the CPU, same run,
// same data, same threads. Fashion-MNIST's 60,000 training images scaled to [0, 1] (pixels /
// 255) train a 784-256-64-2-64-256-784 network (ReLU, linear code, sigmoid output, MSE, Adam
// lr 1e-3, batch 256, nothing held out) for 5 epochs; only the training loop is timed on both
// sides. Both are then scored the same way on the 10,000 test images: reconstruction MSE per
// value (as torch's MSELoss "mean") and the leave-one-out 10-NN label accuracy of their 2-D
// codes, printed beside that of PCA-2 and t-SNE-2 of the same test images.
// The reference is app/bench/autoencoder_torch.py, run with Debian's Python (python3-torch).
#include "benches.h"

#include "common/json.h"
#include "common/parallel.h"
#include "data/load.h"
#include "data/write.h"
#include "metrics/quality.h"
#include "reduce/autoencoder.h"
#include "reduce/pca.h"
#include "reduce/tsne.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#ifndef LATENTSCAPE_BENCH_SOURCE_DIR
#define LATENTSCAPE_BENCH_SOURCE_DIR ""
#endif

namespace latentscape::bench {
namespace {
namespace fs = std::filesystem;
namespace ae = reduce::autoencoder;
using Clock = std::chrono::steady_clock;

constexpr int kThreads = 2;       // the comparison: both sides on 2 threads
constexpr int kDefaultEpochs = 5;
constexpr std::int64_t kTrain = 60000, kTest = 10000;
constexpr int kKnn = 10;

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

struct Side {
    bool ran = false;
    double seconds = NAN, samples_per_second = NAN, test_mse = NAN, knn_accuracy = NAN;
    std::vector<double> train_loss;
    std::string blas, version;
    double blas_threads = NAN;
    std::int64_t parameters = 0;
};

double knn_accuracy(const float* Y, std::int64_t n, std::int64_t dims, const std::vector<std::int32_t>& labels) {
    return metrics::knn_accuracy(Y, n, dims, labels.data(), kKnn).value;
}

}  // namespace

int bench_autoencoder(const BenchArgs& args) {
    fs::create_directories(args.dir);
    const int epochs = args.epochs > 0 ? args.epochs : kDefaultEpochs;
    parallel::set_max_threads(kThreads);

    // Fashion-MNIST: the first 60,000 of fashion70k() are the training images, the rest the test
    // images. The synthetic stand-in (no Debian package) is min-max scaled to [0, 1] instead.
    const bool fashion = fs::exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");
    const data::Dataset all = fashion70k();
    float lo = 0.0f, hi = 255.0f;
    if (!fashion) {
        const auto [mn, mx] = std::minmax_element(all.features.begin(), all.features.end());
        lo = *mn;
        hi = *mx;
    }
    const std::int64_t n_train = std::clamp<std::int64_t>(args.n > 0 ? args.n : kTrain, 2, kTrain);
    const std::int64_t n_test = std::clamp<std::int64_t>(args.test_n > 0 ? args.test_n : kTest, 2 * kKnn + 2, kTest);
    const Images train = slice(all, 0, n_train, lo, hi);
    const Images test = slice(all, kTrain, n_test, lo, hi);
    const std::int64_t d = train.d;

    ae::Options o;
    o.latent_dims = 2;
    o.hidden = std::vector<int>{256, 64};
    o.activation = ae::Activation::Relu;
    o.output = ae::Output::Sigmoid;
    o.loss = ae::Loss::Mse;
    o.learning_rate = 1e-3;
    o.batch_size = 256;
    o.validation_fraction = 0.0;
    o.epochs = epochs;
    o.seed = 0;

    // Ours: the best of --repeat training runs (each the same network bit for bit).
    Side ours;
    ae::Model model;
    std::vector<ae::EpochRecord> history;
    for (int r = 0; r < std::max(1, args.repeat); ++r) {
        ae::Status status = ae::initialize(train.X.data(), train.n, d, o);
        status.run_epochs(status.max_epochs());  // training_seconds() times this loop only
        const double s = status.training_seconds();
        if (!ours.ran || s < ours.seconds) ours.seconds = s;
        ours.ran = true;
        if (r == 0) {
            model = status.model();
            history = status.history();
        }
    }
    ours.samples_per_second = double(train.n) * epochs / ours.seconds;
    for (const auto& e : history) ours.train_loss.push_back(e.train_loss);
    ours.parameters = model.parameter_count();
    ours.test_mse = model.reconstruction_mse(test.X.data(), test.n);
    const std::vector<float> codes = model.encode(test.X.data(), test.n);
    ours.knn_accuracy = knn_accuracy(codes.data(), test.n, 2, test.labels);

    // PyTorch, on the same rows written as float32 .npy files.
    Side torch;
    std::string torch_note;
    if (args.reference) {
        const std::string tag = std::string(fashion ? "fashion" : "blobs");
        const std::string train_file = args.dir + "/ae_" + tag + "_train" + std::to_string(n_train) + ".npy";
        const std::string test_file = args.dir + "/ae_" + tag + "_test" + std::to_string(n_test) + ".npy";
        const std::string codes_file = args.dir + "/ae_torch_codes.npy";
        save_npy(train, train_file);
        save_npy(test, test_file);
        fs::remove(codes_file);
        const std::string script = reference_script("autoencoder_torch.py");
        if (script.empty()) {
            torch_note = "autoencoder_torch.py not found";
        } else {
            const std::string out = script_output(std::string(kPython) + " " + script + " --train " + train_file + " --test " +
                                            test_file + " --codes " + codes_file + " --hidden 256,64 --latent 2" +
                                            " --epochs " + std::to_string(epochs) + " --batch 256 --lr 0.001" +
                                            " --threads " + std::to_string(kThreads) + " --seed 0 --repeat " +
                                            std::to_string(std::max(1, args.repeat)));
            torch.samples_per_second = json_field(out, "samples_per_second");
            torch.seconds = json_field(out, "train_seconds");
            torch.test_mse = json_field(out, "test_mse");
            torch.blas = json_text(out, "blas");
            torch.version = json_text(out, "torch");
            torch.blas_threads = json_field(out, "openblas_threads");
            torch.parameters = std::int64_t(json_field(out, "parameters"));
            const auto loss_at = out.find("\"train_loss\": [");
            if (loss_at != std::string::npos) {
                const char* p = out.c_str() + loss_at + 15;
                for (char* end = nullptr;; p = end + 1) {
                    const double v = std::strtod(p, &end);
                    if (end == p) break;
                    torch.train_loss.push_back(v);
                    if (*end != ',') break;
                }
            }
            torch.ran = std::isfinite(torch.samples_per_second) && fs::exists(codes_file);
            if (torch.ran) {
                const data::Dataset c = data::load(codes_file);
                if (c.n == test.n && c.d == 2) torch.knn_accuracy = knn_accuracy(c.features.data(), c.n, c.d, test.labels);
            } else {
                torch_note = "the PyTorch run failed (needs " + std::string(kPython) + " with python3-torch and numpy)";
            }
        }
    }

    // PCA-2 and t-SNE-2 of the same test images, for the 10-NN accuracy column.
    auto t0 = Clock::now();
    const reduce::PcaResult pca = reduce::pca(test.X.data(), test.n, d, reduce::PcaOptions{});
    const double pca_seconds = since(t0);
    const double pca_acc = knn_accuracy(pca.scores.data(), test.n, 2, test.labels);
    reduce::tsne::Options to;
    to.dims = 2;
    to.seed = 0;
    t0 = Clock::now();
    const reduce::tsne::Result tsne = reduce::tsne::run_to_end(test.X.data(), test.n, d, to);
    const double tsne_seconds = since(t0);
    const double tsne_acc = knn_accuracy(tsne.embedding.data(), test.n, 2, test.labels);

    const double speed_ratio = torch.ran ? ours.samples_per_second / torch.samples_per_second : NAN;
    const double mse_ratio = torch.ran ? ours.test_mse / torch.test_mse : NAN;
    const char* data_name = fashion ? "Fashion-MNIST" : "synthetic blobs (Fashion-MNIST not installed)";

    if (args.json) {
        json::Writer w;
        w.begin_object();
        w.key("threads").value(kThreads).key("data").value(data_name).key("train_rows").value(train.n);
        w.key("test_rows").value(test.n).key("d").value(d).key("architecture").value("784-256-64-2-64-256-784");
        w.key("epochs").value(epochs).key("batch").value(o.batch_size).key("learning_rate").value(o.learning_rate);
        w.key("repeat").value(std::max(1, args.repeat));
        auto side = [&](const char* name, const Side& s) {
            w.key(name).begin_object();
            w.key("ran").value(s.ran).key("train_seconds").value(s.seconds);
            w.key("samples_per_second").value(s.samples_per_second).key("test_mse").value(s.test_mse);
            w.key("knn_accuracy").value(s.knn_accuracy).key("parameters").value(s.parameters);
            w.key("train_loss").begin_array();
            for (double v : s.train_loss) w.value(v);
            w.end_array();
            if (!s.version.empty()) w.key("version").value(s.version);
            if (!s.blas.empty()) w.key("blas").value(s.blas).key("blas_threads").value(s.blas_threads);
            w.end_object();
        };
        side("latentscape", ours);
        side("pytorch", torch);
        if (!torch_note.empty()) w.key("pytorch_note").value(torch_note);
        w.key("speed_ratio").value(speed_ratio).key("mse_ratio").value(mse_ratio);
        w.key("pca").begin_object().key("knn_accuracy").value(pca_acc).key("seconds").value(pca_seconds).end_object();
        w.key("tsne").begin_object().key("knn_accuracy").value(tsne_acc).key("seconds").value(tsne_seconds).end_object();
        w.key("knn_k").value(kKnn);
        w.end_object();
        std::printf("%s\n", w.str().c_str());
        return 0;
    }

    std::printf("Autoencoder benchmark, %d threads: %s, %lld training / %lld test images, 784-256-64-2-64-256-784,\n"
                "ReLU, sigmoid output, MSE, Adam lr 1e-3, batch 256, %d epoch(s), best of %d; training loop timed only\n",
                kThreads, data_name, static_cast<long long>(train.n), static_cast<long long>(test.n), epochs,
                std::max(1, args.repeat));
    std::printf("test MSE per value on the test images; 10-NN accuracy: leave-one-out, labels of the test images' 2-D codes\n");
    std::printf("%-34s %11s %9s %10s %10s\n", "implementation", "samples/s", "train s", "test MSE", "10-NN acc");
    std::printf("%-34s %11.0f %9.2f %10.5f %10.4f\n", "latentscape", ours.samples_per_second, ours.seconds,
                ours.test_mse, ours.knn_accuracy);
    if (torch.ran) {
        const std::string name = "PyTorch " + torch.version + " (" + torch.blas + ")";
        std::printf("%-34s %11.0f %9.2f %10.5f %10.4f\n", name.c_str(), torch.samples_per_second, torch.seconds,
                    torch.test_mse, torch.knn_accuracy);
        std::printf("%-34s %10.2fx %9s %10.4f\n", "ratio (latentscape / PyTorch)", speed_ratio, "", mse_ratio);
    }
    std::printf("%-34s %11s %9s %10s %10.4f   (%.2f s)\n", "PCA-2 (latentscape)", "", "", "", pca_acc, pca_seconds);
    std::printf("%-34s %11s %9s %10s %10.4f   (%.2f s)\n", "t-SNE-2 (latentscape)", "", "", "", tsne_acc, tsne_seconds);
    std::printf("training loss per epoch, latentscape:");
    for (double v : ours.train_loss) std::printf(" %.5f", v);
    if (torch.ran) {
        std::printf("; PyTorch:");
        for (double v : torch.train_loss) std::printf(" %.5f", v);
        std::printf("\nPyTorch BLAS: %s, %.0f BLAS thread(s)", torch.blas.c_str(), torch.blas_threads);
        if (torch.blas != "OpenBLAS") std::printf(" (install libopenblas0-pthread: the reference BLAS is ~4x slower)");
    }
    std::printf("\n");
    if (args.reference && !torch.ran) std::printf("(the reference did not run: %s)\n", torch_note.c_str());
    return 0;
}

}  // namespace latentscape::bench
