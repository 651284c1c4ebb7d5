#pragma once
// The subcommands of latentscape-cli. Each returns the process exit code: 0 ok, 2 bad input or
// usage, 1 internal error (exceptions are mapped by main).

#include <map>
#include <string>
#include <vector>

namespace latentscape::cli {

/// Parsed command line: positional arguments and --name value / --flag options.
struct Args {
    std::vector<std::string> positional;
    std::map<std::string, std::string> options;  ///< flags map to ""
    bool has(const std::string& name) const { return options.count(name) != 0; }
    std::string get(const std::string& name, const std::string& fallback = {}) const;
};

/// Thrown for bad usage (unknown option, missing argument): exit code 2 with the usage hint.
struct UsageError {
    std::string message;
};

/// Parses argv[first..]; `flags` are the options that take no value.
Args parse_args(int argc, char** argv, int first, const std::vector<std::string>& flags,
                const std::vector<std::string>& valued);

int run_info(const Args& args);
int run_convert(const Args& args);
int run_generate(const Args& args);

extern const char* const kInfoHelp;
extern const char* const kConvertHelp;
extern const char* const kGenerateHelp;

}  // namespace latentscape::cli
