// Shared pieces of latentscape-bench: the Python reference runner and the benchmark data.
#include "benches.h"

#include "data/load.h"
#include "data/synthetic.h"
#include "data/write.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>

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

}  // namespace latentscape::bench
