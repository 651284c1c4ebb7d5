// latentscape-bench gan: the GAN of issue 17 against PyTorch on the CPU, same run, same data, same
// threads. Fashion-MNIST's 60,000 training images scaled to [0, 1] train a generator 64-256-512-784
// (ReLU, sigmoid output) and a discriminator 784-512-256-1 (LeakyReLU 0.2) with Adam (lr 2e-4,
// betas 0.5, 0.999), batch 64, for 5 epochs; only the training loop is timed on both sides. Both
// sides' 10,000 samples are then scored by the same code against the 10,000 test images:
// improved precision and recall (k = 3) in the PCA-50 space of the test images, and the classes a
// 10-NN classifier of the test images gives the samples.
// The reference is app/bench/gan_torch.py, run with Debian's Python (python3-torch).
#include "benches.h"

#include "common/json.h"
#include "common/parallel.h"
#include "data/load.h"
#include "metrics/generative.h"
#include "reduce/gan.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace latentscape::bench {
namespace {
namespace fs = std::filesystem;
namespace gan = reduce::gan;
using Clock = std::chrono::steady_clock;

constexpr int kThreads = 2;
constexpr int kDefaultEpochs = 5;
constexpr std::int64_t kTrain = 60000, kTest = 10000;
constexpr int kNoise = 64, kBatch = 64;
const std::vector<int> kGenerator = {256, 512}, kDiscriminator = {512, 256};

struct Side {
    bool ran = false;
    double seconds = NAN, samples_per_second = NAN;
    double g_loss = NAN, d_loss = NAN;
    metrics::GeneratedQuality quality;
    std::int64_t parameters = 0;
    std::string note;
};

void write_json(json::Writer& w, const char* name, const Side& s) {
    w.key(name).begin_object();
    w.key("ran").value(s.ran);
    if (s.ran) {
        w.key("train_seconds").value(s.seconds).key("samples_per_second").value(s.samples_per_second);
        w.key("parameters").value(s.parameters);
        w.key("generator_loss").value(s.g_loss).key("discriminator_loss").value(s.d_loss);
        w.key("precision").value(s.quality.precision_recall.precision).key("recall").value(s.quality.precision_recall.recall);
        if (s.quality.coverage) {
            w.key("classes_covered").value(s.quality.coverage->covered);
            w.key("generated_share").begin_array();
            for (double v : s.quality.coverage->generated_share) w.value(v);
            w.end_array();
        }
    } else {
        w.key("note").value(s.note);
    }
    w.end_object();
}

}  // namespace

int bench_gan(const BenchArgs& args) {
    parallel::set_max_threads(kThreads);
    fs::create_directories(args.dir);
    const data::Dataset all = fashion70k();
    const std::int64_t n_train = args.n > 0 ? std::min(args.n, kTrain) : kTrain;
    const std::int64_t n_test = args.test_n > 0 ? std::min(args.test_n, kTest) : kTest;
    const int epochs = args.epochs > 0 ? args.epochs : kDefaultEpochs;
    const Images train = slice(all, 0, n_train, 0.0f, 255.0f);
    const Images test = slice(all, kTrain, n_test, 0.0f, 255.0f);
    const std::int64_t d = train.d;
    const std::string train_file = args.dir + "/gan_train_" + std::to_string(n_train) + ".npy";
    save_npy(train, train_file);

    metrics::GeneratedComparison cmp;
    cmp.max_real = n_test;
    auto score = [&](const std::vector<float>& samples, std::int64_t count) {
        return metrics::compare_generated(test.X.data(), n_test, d, samples.data(), count, test.labels.data(), 10, cmp);
    };
    const std::int64_t n_samples = n_test;

    // GAN training is noisy: each side trains once per seed (--first-seed, then --repeat of them); the table shows every
    // run, the summary the mean precision and recall and the best throughput.
    const int seeds = std::max(1, args.repeat);
    auto train_ours = [&](int seed) {
        Side ours;
        gan::Options o;
        o.noise_dims = kNoise;
        o.generator_hidden = kGenerator;
        o.discriminator_hidden = kDiscriminator;
        o.epochs = epochs;
        o.batch_size = kBatch;
        o.seed = std::uint64_t(seed);
        gan::Status s = gan::initialize(train.X.data(), n_train, d, o);
        const auto t0 = Clock::now();
        s.run_steps(s.max_steps());
        ours.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
        ours.samples_per_second = double(n_train) * epochs / ours.seconds;
        ours.g_loss = s.history().back().generator_loss;
        ours.d_loss = s.history().back().discriminator_loss;
        const gan::Model m = s.model();
        ours.parameters = m.parameter_count();
        const auto z = gan::noise(n_samples, kNoise, std::uint64_t(1000 + seed));
        ours.quality = score(m.generate(z.data(), n_samples), n_samples);
        ours.ran = true;
        return ours;
    };
    const std::string script = reference_script("gan_torch.py");
    auto train_torch = [&](int seed) {
        Side torch;
        if (!args.reference) {
            torch.note = "not run (--no-reference)";
            return torch;
        }
        if (script.empty()) {
            torch.note = "gan_torch.py not found";
            return torch;
        }
        const std::string samples_file = args.dir + "/gan_torch_samples.npy";
        fs::remove(samples_file);
        auto join = [](const std::vector<int>& v) {
            std::string s;
            for (int h : v) s += (s.empty() ? "" : ",") + std::to_string(h);
            return s;
        };
        const std::string cmd = std::string(kPython) + " " + script + " --train " + train_file + " --out " + samples_file +
                                " --samples " + std::to_string(n_samples) + " --noise " + std::to_string(kNoise) +
                                " --g-hidden " + join(kGenerator) + " --d-hidden " + join(kDiscriminator) + " --epochs " +
                                std::to_string(epochs) + " --batch " + std::to_string(kBatch) + " --threads " +
                                std::to_string(kThreads) + " --seed " + std::to_string(seed);
        const std::string out = script_output(cmd);
        torch.seconds = json_field(out, "train_seconds");
        torch.samples_per_second = json_field(out, "samples_per_second");
        torch.parameters = std::int64_t(json_field(out, "parameters"));
        const auto g_at = out.rfind("\"generator_loss\":");
        if (g_at != std::string::npos) torch.g_loss = json_field(out.substr(g_at), "generator_loss");
        const auto d_at = out.rfind("\"discriminator_loss\":");
        if (d_at != std::string::npos) torch.d_loss = json_field(out.substr(d_at), "discriminator_loss");
        if (std::isfinite(torch.seconds) && fs::exists(samples_file)) {
            const data::Dataset s = data::load(samples_file);
            torch.quality = score(std::vector<float>(s.features.begin(), s.features.end()), s.n);
            torch.ran = true;
        } else {
            torch.note = "gan_torch.py failed (is python3-torch installed? packaging/install-deps.sh --bench)";
        }
        return torch;
    };
    std::vector<Side> ours_runs, torch_runs;
    for (int seed = args.first_seed; seed < args.first_seed + seeds; ++seed) {
        ours_runs.push_back(train_ours(seed));
        torch_runs.push_back(train_torch(seed));
    }
    auto summary = [](const std::vector<Side>& runs) {
        Side s;
        double precision = 0, recall = 0;
        int count = 0;
        for (const Side& r : runs) {
            if (!r.ran) {
                s.note = r.note;
                continue;
            }
            if (!s.ran || r.samples_per_second > s.samples_per_second) {
                s.seconds = r.seconds;
                s.samples_per_second = r.samples_per_second;
            }
            s.ran = true;
            s.parameters = r.parameters;
            precision += r.quality.precision_recall.precision;
            recall += r.quality.precision_recall.recall;
            ++count;
        }
        if (count > 0) {
            s.quality.precision_recall.precision = precision / count;
            s.quality.precision_recall.recall = recall / count;
        }
        return s;
    };
    const Side ours = summary(ours_runs), torch = summary(torch_runs);

    if (args.json) {
        json::Writer w;
        w.begin_object();
        w.key("bench").value("gan").key("train_rows").value(n_train).key("test_rows").value(n_test);
        w.key("epochs").value(epochs).key("batch").value(kBatch).key("noise").value(kNoise).key("threads").value(kThreads);
        w.key("seeds").value(seeds);
        for (const auto& [name, runs] : {std::pair<const char*, const std::vector<Side>*>{"latentscape", &ours_runs}, {"pytorch", &torch_runs}}) {
            w.key(name).begin_array();
            for (const Side& r : *runs) {
                w.begin_object();
                write_json(w, "run", r);
                w.end_object();
            }
            w.end_array();
        }
        if (ours.ran && torch.ran) {
            w.key("throughput_ratio").value(ours.samples_per_second / torch.samples_per_second);
            w.key("precision_difference").value(ours.quality.precision_recall.precision - torch.quality.precision_recall.precision);
            w.key("recall_difference").value(ours.quality.precision_recall.recall - torch.quality.precision_recall.recall);
        }
        w.end_object();
        std::printf("%s\n", w.str().c_str());
        return 0;
    }
    std::printf("GAN on %lld Fashion-MNIST training images, %d epochs, G %d-256-512-784, D 784-512-256-1, batch %d, %d threads;\n"
                "samples scored against %lld test images (PCA-50, k = 3; 10-NN classes)\n",
                static_cast<long long>(n_train), epochs, kNoise, kBatch, kThreads, static_cast<long long>(n_test));
    std::printf("%-12s %4s %10s %12s %9s %9s %9s %7s %8s\n", "", "seed", "train s", "samples/s", "G loss", "D loss", "precision", "recall",
                "classes");
    for (int i = 0; i < seeds; ++i)
        for (const auto& [name, s] : {std::pair<const char*, const Side*>{"latentscape", &ours_runs[std::size_t(i)]},
                                      {"pytorch", &torch_runs[std::size_t(i)]}}) {
            if (!s->ran) {
                std::printf("%-12s seed %d: %s\n", name, args.first_seed + i, s->note.c_str());
                continue;
            }
            std::printf("%-12s %4d %10.2f %12.0f %9.3f %9.3f %9.3f %7.3f %5d/10\n", name, args.first_seed + i, s->seconds, s->samples_per_second,
                        s->g_loss, s->d_loss, s->quality.precision_recall.precision, s->quality.precision_recall.recall,
                        s->quality.coverage ? s->quality.coverage->covered : 0);
        }
    if (ours.ran && torch.ran)
        std::printf("best throughput %.2fx PyTorch's; mean precision %.3f vs %.3f (%+.3f), mean recall %.3f vs %.3f (%+.3f)\n",
                    ours.samples_per_second / torch.samples_per_second, ours.quality.precision_recall.precision,
                    torch.quality.precision_recall.precision,
                    ours.quality.precision_recall.precision - torch.quality.precision_recall.precision,
                    ours.quality.precision_recall.recall, torch.quality.precision_recall.recall,
                    ours.quality.precision_recall.recall - torch.quality.precision_recall.recall);
    return 0;
}

}  // namespace latentscape::bench
