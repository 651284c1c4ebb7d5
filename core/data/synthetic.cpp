#include "data/synthetic.h"

#include "common/file_io.h"
#include "common/rng.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace latentscape::data::synthetic {
namespace {

void require(bool ok, const std::string& message) {
    if (!ok) throw std::invalid_argument(message);
}

/// n x d floats must fit in memory: refuse early rather than thrash (or die) while filling them.
void require_fits(std::int64_t n, std::int64_t d) {
    const auto limit = io::memory_limit();
    if (std::uint64_t(n) > limit / std::uint64_t(d) / sizeof(float))
        throw std::invalid_argument("synthetic: " + std::to_string(n) + " x " + std::to_string(d) +
                                    " floats do not fit in the available memory");
}

// The 3-D manifolds share the parameter t in [1.5 pi, 4.5 pi] (Swiss roll) or [-1.5 pi, 1.5 pi]
// (S-curve); both get t as numeric metadata and t cut into 6 bins as their label.
void attach_position(Dataset& ds, std::vector<double> t, double t_min, double t_max) {
    constexpr int bins = 6;
    std::vector<std::int32_t> codes(t.size());
    for (std::size_t i = 0; i < t.size(); ++i) {
        int b = int((t[i] - t_min) / (t_max - t_min) * bins);
        codes[i] = std::clamp(b, 0, bins - 1);
    }
    std::vector<std::string> names;
    for (int b = 0; b < bins; ++b) names.push_back("segment " + std::to_string(b + 1));
    ds.metadata.push_back(MetadataColumn::categorical("segment", std::move(codes), std::move(names)));
    ds.metadata.push_back(MetadataColumn::numeric("t", std::move(t)));
    ds.label_column = 0;
}

Dataset manifold(const ManifoldOptions& o, bool roll) {
    require(o.n >= 1, "synthetic: n (" + std::to_string(o.n) + ") must be at least 1");
    require(o.noise >= 0, "synthetic: noise must not be negative");
    require_fits(o.n, 3);
    Rng rng(o.seed);
    Dataset ds;
    ds.n = o.n;
    ds.d = 3;
    ds.features.resize(std::size_t(o.n) * 3);
    ds.feature_names = {"x", "y", "z"};
    std::vector<double> t(std::size_t(o.n));
    for (std::int64_t i = 0; i < o.n; ++i) {
        double x, y, z, ti;
        if (roll) {
            ti = 1.5 * M_PI * (1.0 + 2.0 * rng.uniform());
            y = 21.0 * rng.uniform();
            x = ti * std::cos(ti);
            z = ti * std::sin(ti);
        } else {
            ti = 3.0 * M_PI * (rng.uniform() - 0.5);
            y = 2.0 * rng.uniform();
            x = std::sin(ti);
            z = (ti < 0 ? -1.0 : 1.0) * (std::cos(ti) - 1.0);
        }
        float* r = ds.features.data() + i * 3;
        r[0] = float(x + o.noise * rng.normal());
        r[1] = float(y + o.noise * rng.normal());
        r[2] = float(z + o.noise * rng.normal());
        t[std::size_t(i)] = ti;
    }
    if (roll) attach_position(ds, std::move(t), 1.5 * M_PI, 4.5 * M_PI);
    else attach_position(ds, std::move(t), -1.5 * M_PI, 1.5 * M_PI);
    ds.source = roll ? "synthetic: Swiss roll" : "synthetic: S-curve";
    ds.format = "synthetic";
    ds.check_consistent();
    return ds;
}

}  // namespace

Dataset blobs(const BlobsOptions& o) {
    require(o.n >= 1, "blobs: n (" + std::to_string(o.n) + ") must be at least 1");
    require(o.d >= 1, "blobs: d (" + std::to_string(o.d) + ") must be at least 1");
    require(o.k >= 1 && o.k <= o.n, "blobs: k (" + std::to_string(o.k) + ") must be in [1, n]");
    require(o.spread >= 0 && o.separation >= 0, "blobs: spread and separation must not be negative");
    require_fits(o.n, o.d);
    Rng rng(o.seed);
    std::vector<double> centres(std::size_t(o.k) * std::size_t(o.d));
    for (auto& c : centres) c = rng.uniform(-o.separation, o.separation);

    Dataset ds;
    ds.n = o.n;
    ds.d = o.d;
    ds.features.resize(std::size_t(o.n) * std::size_t(o.d));
    for (std::int64_t j = 0; j < o.d; ++j) ds.feature_names.push_back("x" + std::to_string(j));
    std::vector<std::int32_t> codes(std::size_t(o.n));
    for (std::int64_t i = 0; i < o.n; ++i) {
        const int b = int(i * o.k / o.n);  // contiguous, balanced groups
        codes[std::size_t(i)] = b;
        const double* c = centres.data() + std::size_t(b) * std::size_t(o.d);
        float* r = ds.features.data() + i * o.d;
        for (std::int64_t j = 0; j < o.d; ++j) r[j] = float(c[j] + o.spread * rng.normal());
    }
    std::vector<std::string> names;
    for (int b = 0; b < o.k; ++b) names.push_back("blob " + std::to_string(b));
    ds.metadata.push_back(MetadataColumn::categorical("blob", std::move(codes), std::move(names)));
    ds.label_column = 0;
    ds.source = "synthetic: " + std::to_string(o.k) + " Gaussian blobs in " + std::to_string(o.d) + " dimensions";
    ds.format = "synthetic";
    ds.check_consistent();
    return ds;
}

Dataset swiss_roll(const ManifoldOptions& o) { return manifold(o, true); }
Dataset s_curve(const ManifoldOptions& o) { return manifold(o, false); }

}  // namespace latentscape::data::synthetic
