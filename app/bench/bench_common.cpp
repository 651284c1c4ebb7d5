// Shared pieces of latentscape-bench: the Python reference runner and the benchmark data.
#include "benches.h"

#include "data/load.h"
#include "data/synthetic.h"
#include "data/write.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>

#ifndef LATENTSCAPE_BENCH_SOURCE_DIR
#define LATENTSCAPE_BENCH_SOURCE_DIR ""
#endif

namespace latentscape::bench {

double python_number(const std::string& code) {
    const std::string cmd = std::string(kPython) + " -c '" + code + "' 2>/dev/null";
    std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
    if (!p) return -1;
    char buf[128] = {};
    if (!std::fgets(buf, sizeof buf, p.get())) return -1;
    return std::atof(buf);
}

/// The 50-component PCA of Fashion-MNIST, made once with scikit-learn (PCA(50, random_state=0),
/// float32), so this benchmark does not depend on our own PCA.
std::string pca50_file(const std::string& dir) {
    namespace fs = std::filesystem;
    fs::create_directories(dir);
    const std::string raw = dir + "/fashion70k.npy";
    const std::string pca = dir + "/fashion70k_pca50.npy";
    if (fs::exists(pca)) return pca;
    if (!fs::exists(raw)) {
        std::fprintf(stderr, "preparing %s ...\n", raw.c_str());
        data::write_npy(fashion70k(), raw);
    }
    std::fprintf(stderr, "preparing %s with scikit-learn's PCA ...\n", pca.c_str());
    const double ok = python_number(
        "import numpy as np\nfrom sklearn.decomposition import PCA\n"
        "X = np.load(\"" + raw + "\").astype(np.float32)\n"
        "Y = PCA(n_components=50, random_state=0).fit_transform(X).astype(np.float32)\n"
        "np.save(\"" + pca + "\", Y)\nprint(1)");
    if (ok != 1 || !fs::exists(pca))
        throw std::runtime_error("could not make " + pca + " (needs " + kPython + " with numpy and scikit-learn)");
    return pca;
}

data::Dataset fashion70k() {
    const char* const train = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz";
    const char* const test = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz";
    if (std::filesystem::exists(train) && std::filesystem::exists(test)) {
        data::Dataset a = data::load(train);
        const data::Dataset b = data::load(test);
        a.features.insert(a.features.end(), b.features.begin(), b.features.end());
        auto& codes = a.metadata.at(*a.label_column).codes;
        const auto& more = b.metadata.at(*b.label_column).codes;
        codes.insert(codes.end(), more.begin(), more.end());
        a.n += b.n;
        a.images = {};
        a.metadata = {a.metadata[*a.label_column]};  // the label alone, as digits 0-9
        a.label_column = 0;
        a.metadata[0].categories.clear();
        for (int c = 0; c < 10; ++c) a.metadata[0].categories.push_back(std::to_string(c));
        return a;
    }
    std::fprintf(stderr, "note: Fashion-MNIST not installed; using synthetic blobs of the same shape\n");
    data::synthetic::BlobsOptions o;
    o.n = 70000;
    o.d = 784;
    o.k = 10;
    return data::synthetic::blobs(o);
}

Images slice(const data::Dataset& all, std::int64_t first, std::int64_t n, float lo, float hi) {
    Images s;
    s.n = n;
    s.d = all.d;
    s.X.resize(std::size_t(n * all.d));
    const float scale = hi > lo ? 1.0f / (hi - lo) : 1.0f;
    for (std::int64_t i = 0; i < n * all.d; ++i) s.X[std::size_t(i)] = (all.features[std::size_t(first * all.d + i)] - lo) * scale;
    const auto& codes = all.label()->codes;
    s.labels.assign(codes.begin() + first, codes.begin() + first + n);
    return s;
}

void save_npy(const Images& s, const std::string& path) {
    if (std::filesystem::exists(path)) return;  // the same rows for the same name: made once, kept in --dir
    data::Dataset ds;
    ds.n = s.n;
    ds.d = s.d;
    ds.features.assign(s.X.begin(), s.X.end());
    for (std::int64_t j = 0; j < s.d; ++j) ds.feature_names.push_back("p" + std::to_string(j));
    data::write_npy(ds, path);
}


std::string reference_script(const std::string& name) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const fs::path installed = exe.parent_path().parent_path() / "share/latentscape/bench" / name;
        if (fs::exists(installed)) return installed.string();
    }
    const fs::path source = fs::path(LATENTSCAPE_BENCH_SOURCE_DIR) / name;
    if (fs::exists(source)) return source.string();
    return {};
}

std::string script_output(const std::string& cmd) {
    std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
    if (!p) return {};
    std::string out;
    char buf[4096];
    while (const std::size_t got = std::fread(buf, 1, sizeof buf, p.get())) out.append(buf, got);
    return out;
}

std::string sibling_program(const std::string& name) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return {};
    const fs::path p = exe.parent_path() / name;
    return fs::exists(p) ? p.string() : std::string();
}

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (const char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

double process_seconds(const std::string& cmd, int repeat) {
    double best = -1;
    for (int i = 0; i < repeat; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        const int rc = std::system((cmd + " >/dev/null 2>&1").c_str());
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (rc != 0) return -1;
        best = best < 0 ? s : std::min(best, s);
    }
    return best;
}

double json_field(const std::string& text, const std::string& key) {
    const auto at = text.find("\"" + key + "\":");
    if (at == std::string::npos) return NAN;
    const char* p = text.c_str() + at + key.size() + 3;
    while (*p == ' ') ++p;
    char* end = nullptr;
    const double v = std::strtod(p, &end);
    return end == p ? NAN : v;
}

std::string json_text(const std::string& text, const std::string& key) {
    const auto at = text.find("\"" + key + "\": \"");
    if (at == std::string::npos) return {};
    const auto start = at + key.size() + 5;
    const auto stop = text.find('"', start);
    return stop == std::string::npos ? std::string() : text.substr(start, stop - start);
}

}  // namespace latentscape::bench
