// latentscape-bench all: every benchmark, each in a fresh process of this program with --json,
// gathered into one results file (the README's benchmark tables are made from it by
// app/bench/results_tables.py).
#include "benches.h"

#include "common/file_io.h"

#include <nlohmann/json.hpp>
#include <omp.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace latentscape::bench {
namespace {

std::string first_line_with(const std::string& file, const std::string& prefix) {
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(prefix, 0) == 0) return line.substr(line.find(':') + 1);
    return {};
}

nlohmann::json machine() {
    nlohmann::json m;
    std::string cpu = first_line_with("/proc/cpuinfo", "model name");
    while (!cpu.empty() && cpu.front() == ' ') cpu.erase(0, 1);
    m["cpu"] = cpu;
    m["threads"] = omp_get_max_threads();
    m["memory"] = io::human_bytes(io::available_memory()) + " available";
    m["avx512"] = first_line_with("/proc/cpuinfo", "flags").find(" avx512f") != std::string::npos;
    return m;
}

std::string utc_now() {
    const std::time_t t = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return buf;
}

}  // namespace

int bench_all(const BenchArgs& args, const std::vector<std::string>& cases) {
    const std::string self = sibling_program("latentscape-bench");
    if (self.empty()) throw std::runtime_error("cannot find this program's own path to run the benchmarks");
    nlohmann::json results;
    results["date"] = utc_now();
    results["machine"] = machine();
    results["repeat"] = args.repeat;
    results["benchmarks"] = nlohmann::json::object();
    results["wall_seconds"] = nlohmann::json::object();
    int failed = 0;
    for (const std::string& name : cases) {
        std::string cmd = shell_quote(self) + " " + name + " --json --repeat " + std::to_string(args.repeat) + " --dir " +
                          shell_quote(args.dir);
        if (!args.reference) cmd += " --no-reference";
        std::fprintf(stderr, "latentscape-bench all: %s ...\n", name.c_str());
        const auto t0 = std::chrono::steady_clock::now();
        const std::string out = script_output(cmd);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        // The benchmark's JSON is its last line that parses as an object.
        nlohmann::json parsed;
        std::istringstream lines(out);
        std::string line;
        while (std::getline(lines, line)) {
            if (line.empty() || line.front() != '{') continue;
            try {
                parsed = nlohmann::json::parse(line);
            } catch (const nlohmann::json::exception&) {
            }
        }
        if (!parsed.is_object()) {
            parsed = {{"error", "no JSON result (see its messages above)"}};
            ++failed;
        }
        results["benchmarks"][name] = parsed;
        results["wall_seconds"][name] = seconds;
        std::fprintf(stderr, "latentscape-bench all: %s took %.1f s\n", name.c_str(), seconds);
    }
    io::write_atomically(args.out, [&](std::ostream& os) { os << results.dump(2) << '\n'; });
    std::printf("wrote %s (%zu benchmarks, %d without a result)\n", args.out.c_str(), cases.size(), failed);
    return failed == 0 ? 0 : 1;
}

}  // namespace latentscape::bench
