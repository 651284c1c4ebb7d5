// DBSCAN: parallel exact neighbourhood queries, core components by a concurrent union-find.
#include "cluster/dbscan.h"

#include "common/parallel.h"
#include "neighbors/radius.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace latentscape::cluster {
namespace {

constexpr std::int64_t kMaxPoints = std::numeric_limits<std::int32_t>::max();

void check_matrix(const char* what, const float* X, std::int64_t n, std::int64_t d) {
    std::ostringstream msg;
    msg << what << ": ";
    if (n < 1) msg << "n (" << n << ") must be >= 1: there are no points to cluster";
    else if (n > kMaxPoints) msg << "n (" << n << ") must be <= " << kMaxPoints << " (labels are 32-bit)";
    else if (d < 1) msg << "d (" << d << ") must be >= 1";
    else if (X == nullptr) msg << "the data pointer is null";
    else {
        const std::int64_t bad = parallel::first_index_where(n * d, [&](std::int64_t i) { return !std::isfinite(X[i]); });
        if (bad == n * d) return;
        msg << "the input holds a non-finite value (" << X[bad] << ") at row " << bad / d << ", column " << bad % d
            << "; remove or impute missing values first";
    }
    throw std::invalid_argument(msg.str());
}

bool use_kd_tree(NeighborIndex index, std::int64_t d) {
    // Beyond ~16 dimensions a kd-tree visits most leaves anyway and the GEMM brute force wins.
    return index != NeighborIndex::BruteForce && (index != NeighborIndex::Auto || d <= 16);
}

/// Root of x's set, halving the path on the way (safe under concurrent unite(): a parent only
/// ever moves to a smaller index, since unite() links the larger root under the smaller).
std::int32_t find(std::vector<std::int32_t>& parent, std::int32_t x) {
    while (true) {
        std::int32_t p = std::atomic_ref(parent[std::size_t(x)]).load(std::memory_order_acquire);
        if (p == x) return x;
        const std::int32_t gp = std::atomic_ref(parent[std::size_t(p)]).load(std::memory_order_acquire);
        if (gp == p) return p;
        std::atomic_ref(parent[std::size_t(x)]).compare_exchange_weak(p, gp, std::memory_order_acq_rel);
        x = gp;
    }
}

/// Merges the sets of a and b, linking the larger root under the smaller one.
void unite(std::vector<std::int32_t>& parent, std::int32_t a, std::int32_t b) {
    while (true) {
        a = find(parent, a);
        b = find(parent, b);
        if (a == b) return;
        if (a < b) std::swap(a, b);
        std::int32_t expected = a;
        if (std::atomic_ref(parent[std::size_t(a)]).compare_exchange_strong(expected, b, std::memory_order_acq_rel))
            return;
    }
}

/// value = min(value, candidate), atomically.
void atomic_min(std::int32_t& value, std::int32_t candidate) {
    std::atomic_ref<std::int32_t> ref(value);
    std::int32_t current = ref.load(std::memory_order_relaxed);
    while (candidate < current && !ref.compare_exchange_weak(current, candidate, std::memory_order_relaxed)) {
    }
}

}  // namespace

DbscanResult dbscan(const float* X, std::int64_t n, std::int64_t d, const DbscanOptions& options) {
    const auto t0 = std::chrono::steady_clock::now();
    if (!std::isfinite(options.eps) || options.eps <= 0) {
        std::ostringstream msg;
        msg << "dbscan: eps (" << options.eps << ") must be a finite number > 0; k_distance() suggests one";
        throw std::invalid_argument(msg.str());
    }
    if (options.min_points < 1)
        throw std::invalid_argument("dbscan: min_points (" + std::to_string(options.min_points) +
                                    ") must be >= 1 (it counts the point itself)");
    check_matrix("dbscan", X, n, d);

    if (options.index == NeighborIndex::Grid && d != 2)
        throw std::invalid_argument("dbscan: the grid index works on 2-D points only, but d is " + std::to_string(d) +
                                    "; use Auto, KdTree or BruteForce");
    DbscanResult r;
    const double radius2 = options.eps * options.eps;
    std::optional<neighbors::RadiusNeighbors> grid;
    if (d == 2 && (options.index == NeighborIndex::Auto || options.index == NeighborIndex::Grid))
        grid = neighbors::radius_neighbors_grid2d(X, n, radius2, options.min_points);
    const bool kd = use_kd_tree(options.index, d);
    const neighbors::RadiusNeighbors nb =
        grid ? std::move(*grid) : neighbors::radius_neighbors(X, n, d, radius2, options.min_points, kd);
    r.index_used = grid ? "grid" : kd ? "kd-tree" : "brute-force";
    // Everything below works on slots (see RadiusNeighbors) and maps back to points at the end.
    std::vector<std::uint8_t> core(static_cast<std::size_t>(n));
    for (std::int64_t s = 0; s < n; ++s) core[std::size_t(s)] = nb.counts[std::size_t(s)] >= options.min_points;

    // Clusters are the connected components of the core points under "within eps", found with a
    // concurrent union-find; the partition does not depend on the order the links are made in.
    std::vector<std::int32_t> parent(static_cast<std::size_t>(n));
    for (std::int64_t s = 0; s < n; ++s) parent[std::size_t(s)] = std::int32_t(s);
    const bool big = n > 4096;
    parallel::for_each(
        n,
        [&](std::int64_t s) {
            if (!core[std::size_t(s)]) return;
            std::int64_t length = 0;
            const std::int32_t* list = nb.list(s, length);
            for (std::int64_t k = 0; k < length; ++k)
                if (list[k] < s && core[std::size_t(list[k])]) unite(parent, std::int32_t(s), list[k]);
        },
        big);
    // Clusters are numbered in the order of their first core point in index order, as a
    // breadth-first expansion from each unlabelled core point in index order would number them.
    std::vector<std::int32_t> cluster(static_cast<std::size_t>(n), -1);  // per slot
    std::vector<std::int32_t> root_cluster(static_cast<std::size_t>(n), -1);
    for (std::int64_t i = 0; i < n; ++i) {
        const std::int64_t s = nb.slot_of(i);
        if (!core[std::size_t(s)]) continue;
        std::int32_t& c = root_cluster[std::size_t(find(parent, std::int32_t(s)))];
        if (c < 0) c = r.clusters++;
        cluster[std::size_t(s)] = c;
    }
    // A border point joins the smallest cluster id among its core neighbours: the cluster that
    // the index-order expansion would reach it from first (cluster c is complete before c + 1
    // starts). A minimum does not depend on the order the neighbours are visited in.
    constexpr std::int32_t unset = std::numeric_limits<std::int32_t>::max();
    std::vector<std::int32_t> border(static_cast<std::size_t>(n), unset);
    parallel::for_each(
        n,
        [&](std::int64_t s) {
            if (!core[std::size_t(s)]) return;
            std::int64_t length = 0;
            const std::int32_t* list = nb.list(s, length);
            const std::int32_t c = cluster[std::size_t(s)];
            for (std::int64_t k = 0; k < length; ++k)
                if (!core[std::size_t(list[k])]) atomic_min(border[std::size_t(list[k])], c);
        },
        big);
    r.labels.resize(std::size_t(n));
    r.core.resize(std::size_t(n));
    for (std::int64_t i = 0; i < n; ++i) {
        const auto s = std::size_t(nb.slot_of(i));
        r.core[std::size_t(i)] = core[s];
        r.labels[std::size_t(i)] = core[s] ? cluster[s] : border[s] != unset ? border[s] : -1;
    }
    for (const std::int32_t label : r.labels) r.noise += label < 0;
    r.elapsed_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return r;
}

DbscanResult dbscan(const data::Dataset& dataset, const DbscanOptions& options) {
    return dbscan(dataset.features.data(), dataset.n, dataset.d, options);
}

std::vector<float> k_distance(const float* X, std::int64_t n, std::int64_t d, int k, NeighborIndex index) {
    check_matrix("k_distance", X, n, d);
    if (k < 1 || k > n) {
        std::ostringstream msg;
        msg << "k_distance: k (" << k << ") must be between 1 and n (" << n << "); it counts the point itself";
        throw std::invalid_argument(msg.str());
    }
    std::vector<float> dist = neighbors::kth_distances(X, n, d, k, use_kd_tree(index, d));
    std::sort(dist.begin(), dist.end(), std::greater<float>());
    return dist;
}

}  // namespace latentscape::cluster
