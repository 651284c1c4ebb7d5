// latentscape-cli: batch access to everything the GUI does. Thin: parsing and printing only.
#include "commands.h"

#include "common/error.h"
#include "common/file_io.h"

#include <cstdio>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <string>

namespace {

const char* const kUsage =
    "usage: latentscape-cli <command> [options]\n"
    "\n"
    "commands:\n"
    "  info FILE       rows, features, metadata columns, label and missing values of a dataset\n"
    "  convert FILE    convert a dataset to .csv, .npy or .npz (--out)\n"
    "  generate KIND   write a built-in synthetic dataset (blobs, swiss-roll, s-curve)\n"
    "  reduce FILE     PCA, t-SNE, UMAP, autoencoder or VAE to K dimensions (--out embedding),\n"
    "                  or train a GAN (--method gan --save-model)\n"
    "  sample          draw rows from a saved GAN or VAE, and measure them against real data\n"
    "  encode FILE     project rows into the latent space of a saved autoencoder (--model, --out)\n"
    "  transform FILE  place new rows on a saved t-SNE or UMAP map (--model, --out)\n"
    "  cluster FILE    k-means or DBSCAN labels (--out LABELS.csv)\n"
    "  metrics         trustworthiness, continuity, kNN recall/accuracy, silhouette of an embedding\n"
#ifdef LATENTSCAPE_CLI_RENDER
    "  render SESSION  draw a saved session's view as PNG, SVG or PDF, without a display (--out)\n"
#endif
    "\n"
    "Run 'latentscape-cli <command> --help' for a command's options.\n"
    "Every command takes --memory-limit SIZE (512M, 4G, ...; default: the memory available, or\n"
    "LATENTSCAPE_MEMORY_LIMIT): inputs whose declared or inflated size would exceed it are refused\n"
    "before anything is allocated.\n"
    "Exit codes: 0 ok, 2 bad input or usage, 1 internal error.\n";

}  // namespace

int main(int argc, char** argv) {
    using namespace latentscape;
    if (argc < 2) {
        std::fputs(kUsage, stderr);
        return 2;
    }
    const std::string command = argv[1];
    if (command == "--help" || command == "-h" || command == "help") {
        std::fputs(kUsage, stdout);
        return 0;
    }
    if (command == "--version") {
        std::puts("latentscape-cli 0.1.0");
        return 0;
    }
    // Each command's options are those its help documents (cli::parse_args reads them from it):
    // its own, the dataset options when it reads a dataset, and the common ones.
    struct Entry {
        const char* name;
        const char* help;
        int (*run)(const cli::Args&);
        bool loads;  ///< reads a dataset: takes the dataset options
    };
    const Entry entries[] = {
        {"info", cli::kInfoHelp, cli::run_info, true},
        {"convert", cli::kConvertHelp, cli::run_convert, true},
        {"generate", cli::kGenerateHelp, cli::run_generate, false},
        {"reduce", cli::kReduceHelp, cli::run_reduce, true},
        {"encode", cli::kEncodeHelp, cli::run_encode, true},
        {"sample", cli::kSampleHelp, cli::run_sample, true},
        {"transform", cli::kTransformHelp, cli::run_transform, true},
        {"cluster", cli::kClusterHelp, cli::run_cluster, true},
        {"metrics", cli::kMetricsHelp, cli::run_metrics, true},
#ifdef LATENTSCAPE_CLI_RENDER
        {"render", cli::kRenderHelp, cli::run_render, false},
#endif
    };
    for (const auto& e : entries) {
        if (command != e.name) continue;
        try {
            const std::string help = std::string(e.help) + (e.loads ? cli::kLoadOptionsHelp : "") + cli::kCommonOptionsHelp;
            const cli::Args args = cli::parse_args(argc, argv, 2, help);
            if (args.has("memory-limit")) {
                try {
                    io::set_memory_limit(io::parse_memory_size(args.get("memory-limit")));
                } catch (const std::invalid_argument& bad) {
                    throw cli::UsageError{std::string("--memory-limit: ") + bad.what()};
                }
            }
            if (args.has("help")) {
                std::fputs(help.c_str(), stdout);
                return 0;
            }
            return e.run(args);
        } catch (const cli::UsageError& u) {
            std::fprintf(stderr, "latentscape-cli %s: %s\nRun 'latentscape-cli %s --help' for its options.\n", e.name,
                         printable(u.message).c_str(), e.name);
            return 2;
        } catch (const MissingValuesError& err) {
            std::fprintf(stderr, "error: %s\n(pass --missing drop or --missing mean)\n", printable(err.what()).c_str());
            return 2;
        } catch (const LoadError& err) {
            std::fprintf(stderr, "error: %s\n", printable(err.what()).c_str());
            return 2;
        } catch (const std::invalid_argument& err) {
            std::fprintf(stderr, "error: %s\n", printable(err.what()).c_str());
            return 2;
        } catch (const std::exception& err) {
            std::fprintf(stderr, "internal error: %s\n", printable(err.what()).c_str());
            return 1;
        }
    }
    std::fprintf(stderr, "latentscape-cli: unknown command '%s'\n\n%s", printable(command).c_str(), kUsage);
    return 2;
}
