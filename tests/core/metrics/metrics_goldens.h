#pragma once
// Readers for tests/data/metrics (written by make_goldens.py with scikit-learn).
#include "data/load.h"

#include <QtTest>

#include <cstdint>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace metrics_goldens {

inline std::string path(const std::string& name) { return std::string(LATENTSCAPE_TEST_DATA) + "/metrics/" + name; }

/// A float32 .npy matrix, as loaded by the project's own reader (bit-exact for float32).
inline latentscape::data::Dataset matrix(const std::string& name) { return latentscape::data::load_npy(path(name)); }

/// A 1-D int32 .npy of labels.
inline std::vector<std::int32_t> labels(const std::string& name) {
    const auto ds = latentscape::data::load_npy(path(name));
    std::vector<std::int32_t> out;
    for (float v : ds.features) out.push_back(std::int32_t(v));
    return out;
}

/// "name value" lines of scalars.txt.
inline std::map<std::string, double> scalars() {
    std::map<std::string, double> out;
    std::ifstream in(path("scalars.txt"));
    std::string name;
    double value = 0.0;
    while (in >> name >> value) out[name] = value;
    return out;
}

/// One value a line.
inline std::vector<double> column(const std::string& name) {
    std::vector<double> out;
    std::ifstream in(path(name));
    double value = 0.0;
    while (in >> value) out.push_back(value);
    return out;
}

}  // namespace metrics_goldens
