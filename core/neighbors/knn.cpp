// The k-nearest-neighbour graph (neighbors/knn.h): an exact brute force that never materialises
// the distance matrix, and an hnswlib graph for sizes where n^2 is out of reach.
#include "neighbors/knn.h"

#include "neighbors/brute.h"

#include "common/parallel.h"

// hnswlib 0.6.2 (Debian 12) prefetches one entry past the end of each neighbour list
// (hnswalg.h:214, `*(datal + j + 1)` for the last j): a read out of bounds that AddressSanitizer
// reports in every approximate search. Sanitizer builds compile hnswlib without its SIMD code,
// where that prefetch lives; other builds are unchanged.
#if defined(__SANITIZE_ADDRESS__)
#define NO_MANUAL_VECTORIZATION
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NO_MANUAL_VECTORIZATION
#endif
#endif
#include <hnswlib/hnswlib.h>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace latentscape::neighbors {
namespace {

constexpr int lanes = 16;                   // references per panel (one AVX-512 register)
constexpr int micro = 8;                    // queries per register block
constexpr std::int64_t query_block = 128;   // queries that share one cached chunk of panels
constexpr std::int64_t chunk_floats = 65536; // floats of panels per chunk (256 KiB, L2-resident)

struct AlignedFree {
    void operator()(float* p) const { std::free(p); }
};
using AlignedFloats = std::unique_ptr<float[], AlignedFree>;

AlignedFloats aligned_floats(std::size_t count) {
    const std::size_t bytes = ((count * sizeof(float) + 63) / 64) * 64;
    auto* p = static_cast<float*>(std::aligned_alloc(64, bytes == 0 ? 64 : bytes));
    if (!p) throw std::bad_alloc();
    return AlignedFloats(p);
}

// A row's k best candidates as a max-heap on (distance, index): the root is the one to evict.
struct RowHeap {
    float* dist;
    std::int32_t* idx;
    int k;

    float top() const { return dist[0]; }
    // Replaces the root with (dv, iv) and restores the heap. References are scanned in increasing
    // index order and only strictly smaller distances enter, so equal distances keep the smaller
    // index, the tie rule of the whole project.
    void replace_top(float dv, std::int32_t iv) {
        int pos = 0;
        for (;;) {
            const int left = 2 * pos + 1;
            if (left >= k) break;
            int child = left;
            const int right = left + 1;
            if (right < k && greater(right, left)) child = right;
            if (!(dist[child] > dv || (dist[child] == dv && idx[child] > iv))) break;
            dist[pos] = dist[child];
            idx[pos] = idx[child];
            pos = child;
        }
        dist[pos] = dv;
        idx[pos] = iv;
    }
    bool greater(int a, int b) const { return dist[a] > dist[b] || (dist[a] == dist[b] && idx[a] > idx[b]); }
};

// The candidates of a row, re-ranked by their exact (double) distance then by index.
void finish_row(const float* X, std::int64_t d, std::int64_t i, int k, std::int32_t* idx, float* dist,
                std::vector<std::pair<double, std::int32_t>>& scratch) {
    scratch.clear();
    for (int a = 0; a < k; ++a)
        scratch.emplace_back(squared_distance(X + i * d, X + std::int64_t(idx[a]) * d, d), idx[a]);
    std::sort(scratch.begin(), scratch.end());
    for (int a = 0; a < k; ++a) {
        idx[a] = scratch[std::size_t(a)].second;
        dist[a] = float(scratch[std::size_t(a)].first);
    }
}

// Scores one panel of 16 references against `micro` queries: s_j = |x_j|^2 - 2 x_q.x_j (|x_q|^2
// is the same for every j of a row, so it does not change the ranking) and offers every s_j below
// the row's current k-th best to its heap.
inline void score_panel(const float* const* queries, std::int64_t d, const float* panel, const float* norms,
                        std::int64_t first_ref, const std::int64_t* query_ids, RowHeap* heaps, float* thresholds) {
    alignas(64) float scores[lanes];
#if defined(__AVX512F__)
    __m512 acc[micro];
#pragma GCC unroll 8
    for (int r = 0; r < micro; ++r) acc[r] = _mm512_setzero_ps();
    for (std::int64_t t = 0; t < d; ++t) {
        const __m512 v = _mm512_load_ps(panel + t * lanes);
#pragma GCC unroll 8
        for (int r = 0; r < micro; ++r) acc[r] = _mm512_fmadd_ps(_mm512_set1_ps(queries[r][t]), v, acc[r]);
    }
    const __m512 nrm = _mm512_load_ps(norms);
    const __m512 minus_two = _mm512_set1_ps(-2.0f);
#pragma GCC unroll 8
    for (int r = 0; r < micro; ++r) {
        const __m512 s = _mm512_fmadd_ps(minus_two, acc[r], nrm);
        __mmask16 mask = _mm512_cmp_ps_mask(s, _mm512_set1_ps(thresholds[r]), _CMP_LT_OQ);
        if (!mask) continue;
        _mm512_store_ps(scores, s);
        while (mask) {
            const int lane = __builtin_ctz(unsigned(mask));
            mask = __mmask16(mask & (mask - 1));
            const std::int64_t j = first_ref + lane;
            if (j == query_ids[r] || !(scores[lane] < heaps[r].top())) continue;
            heaps[r].replace_top(scores[lane], std::int32_t(j));
            thresholds[r] = heaps[r].top();
        }
    }
#else
    float acc[micro][lanes] = {};
    for (std::int64_t t = 0; t < d; ++t) {
        const float* v = panel + t * lanes;
        for (int r = 0; r < micro; ++r) {
            const float q = queries[r][t];
            for (int l = 0; l < lanes; ++l) acc[r][l] += q * v[l];
        }
    }
    for (int r = 0; r < micro; ++r) {
        bool any = false;
        for (int l = 0; l < lanes; ++l) {
            scores[l] = norms[l] - 2.0f * acc[r][l];
            any |= scores[l] < thresholds[r];
        }
        if (!any) continue;
        for (int lane = 0; lane < lanes; ++lane) {
            const std::int64_t j = first_ref + lane;
            if (j == query_ids[r] || !(scores[lane] < heaps[r].top())) continue;
            heaps[r].replace_top(scores[lane], std::int32_t(j));
            thresholds[r] = heaps[r].top();
        }
    }
#endif
}

void check_knn_arguments(std::int64_t n, std::int64_t d, int k) {
    if (n < 2 || d < 1) throw std::invalid_argument("neighbour search needs at least 2 rows and 1 column");
    if (n > std::numeric_limits<std::int32_t>::max())
        throw std::invalid_argument("neighbour search supports at most 2^31 - 1 rows");
    if (k < 1 || k >= n)
        throw std::invalid_argument("neighbours per point (" + std::to_string(k) + ") must be in [1, n - 1 = " +
                                    std::to_string(n - 1) + "]");
}

}  // namespace

KnnGraph exact_knn(const float* X_in, std::int64_t n, std::int64_t d, int k, const std::function<bool()>& canceled) {
    check_knn_arguments(n, d, k);
    // Centred first: the scores |x_j|^2 - 2 x_i.x_j cancel catastrophically in float when the
    // data sit far from the origin (raw years, prices, coordinates); distances do not change.
    std::vector<double> mean(static_cast<std::size_t>(d), 0.0);
    for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t t = 0; t < d; ++t) mean[std::size_t(t)] += X_in[i * d + t];
    for (double& m : mean) m /= double(n);
    std::vector<float> centred(static_cast<std::size_t>(n * d));
    parallel::for_each(n, [&](std::int64_t i) {
        for (std::int64_t t = 0; t < d; ++t)
            centred[std::size_t(i * d + t)] = float(double(X_in[i * d + t]) - mean[std::size_t(t)]);
    });
    const float* X = centred.data();
    // References transposed into panels of 16 (d x 16 floats each), zero-padded; a padding
    // reference has norm +inf, so it never beats a real one.
    const std::int64_t panels = (n + lanes - 1) / lanes;
    AlignedFloats packed = aligned_floats(std::size_t(panels * d * lanes));
    AlignedFloats norms = aligned_floats(std::size_t(panels * lanes));
    parallel::for_each(panels, [&](std::int64_t p) {
        float* out = packed.get() + p * d * lanes;
        for (int l = 0; l < lanes; ++l) {
            const std::int64_t j = p * lanes + l;
            double norm = 0.0;
            for (std::int64_t t = 0; t < d; ++t) {
                const float v = j < n ? X[j * d + t] : 0.0f;
                out[t * lanes + l] = v;
                norm += double(v) * double(v);
            }
            norms[std::size_t(p * lanes + l)] = j < n ? float(norm) : std::numeric_limits<float>::infinity();
        }
    });

    KnnGraph knn;
    knn.n = n;
    knn.k = k;
    knn.exact = true;
    knn.indices.assign(std::size_t(n * k), std::numeric_limits<std::int32_t>::max());
    knn.sq_distances.assign(std::size_t(n * k), std::numeric_limits<float>::infinity());
    const std::int64_t panels_per_chunk = std::max<std::int64_t>(1, chunk_floats / (d * lanes));
    const std::int64_t blocks = (n + query_block - 1) / query_block;
    std::vector<std::vector<std::pair<double, std::int32_t>>> scratch(static_cast<std::size_t>(parallel::max_threads()));
    std::atomic<bool> stop{false};
    parallel::for_each_with_thread(blocks, [&](int thread, std::int64_t b) {
        // Polled per block of queries (a few milliseconds each); blocks after a cancel are skipped.
        if (stop.load(std::memory_order_relaxed) || (canceled && canceled())) {
            stop = true;
            return;
        }
        const std::int64_t q0 = b * query_block;
        const std::int64_t count = std::min(query_block, n - q0);
        std::vector<float> thresholds(std::size_t(query_block), std::numeric_limits<float>::infinity());
        for (std::int64_t c0 = 0; c0 < panels; c0 += panels_per_chunk) {
            const std::int64_t c1 = std::min(panels, c0 + panels_per_chunk);
            for (std::int64_t m0 = 0; m0 < count; m0 += micro) {
                const float* queries[micro];
                std::int64_t ids[micro];
                RowHeap heaps[micro];
                float thr[micro];
                for (int r = 0; r < micro; ++r) {
                    const bool real = m0 + r < count;
                    const std::int64_t q = real ? q0 + m0 + r : q0;
                    queries[r] = X + q * d;
                    ids[r] = q;
                    heaps[r] = RowHeap{knn.sq_distances.data() + q * k, knn.indices.data() + q * k, k};
                    // A padding query never inserts: nothing is below -inf.
                    thr[r] = real ? thresholds[std::size_t(m0 + r)] : -std::numeric_limits<float>::infinity();
                }
                for (std::int64_t p = c0; p < c1; ++p)
                    score_panel(queries, d, packed.get() + p * d * lanes, norms.get() + p * lanes, p * lanes, ids,
                                heaps, thr);
                for (int r = 0; r < micro && m0 + r < count; ++r) thresholds[std::size_t(m0 + r)] = thr[r];
            }
        }
        for (std::int64_t q = q0; q < q0 + count; ++q) {
            // A row whose scores all overflowed float still has unfilled slots: reported below.
            if (std::find(knn.indices.begin() + q * k, knn.indices.begin() + (q + 1) * k,
                          std::numeric_limits<std::int32_t>::max()) != knn.indices.begin() + (q + 1) * k)
                continue;
            finish_row(X_in, d, q, k, knn.indices.data() + q * k, knn.sq_distances.data() + q * k,
                       scratch[std::size_t(thread)]);
        }
    });
    if (stop) throw Canceled();
    const auto unfilled = std::find(knn.indices.begin(), knn.indices.end(), std::numeric_limits<std::int32_t>::max());
    if (unfilled != knn.indices.end())
        throw std::invalid_argument("neighbour search: row " + std::to_string((unfilled - knn.indices.begin()) / k + 1) +
                                    " has values too large for float32 distances; rescale the data");
    return knn;
}

KnnGraph approximate_knn(const float* X, std::int64_t n, std::int64_t d, const Options& options,
                         const std::function<bool()>& canceled) {
    const int k = options.k;
    check_knn_arguments(n, d, k);
    hnswlib::L2Space space(static_cast<std::size_t>(d));
    hnswlib::HierarchicalNSW<float> index(&space, std::size_t(n), std::size_t(options.hnsw_m),
                                          std::size_t(options.hnsw_ef_construction), std::size_t(options.seed));
    // Sequential insertion: a parallel build would make the graph depend on thread timing.
    for (std::int64_t i = 0; i < n; ++i) {
        if (canceled && i % 1024 == 0 && canceled()) throw Canceled();
        index.addPoint(X + i * d, hnswlib::labeltype(i));
    }
    index.setEf(std::size_t(options.hnsw_ef_search.value_or(std::max(2 * k, 64))));

    KnnGraph knn;
    knn.n = n;
    knn.k = k;
    knn.exact = false;
    knn.indices.resize(std::size_t(n * k));
    knn.sq_distances.resize(std::size_t(n * k));
    std::vector<std::vector<std::pair<double, std::int32_t>>> scratch(static_cast<std::size_t>(parallel::max_threads()));
    std::vector<char> failed(std::size_t(n), 0);
    parallel::for_each_with_thread(n, [&](int thread, std::int64_t i) {
        try {
            auto found = index.searchKnn(X + i * d, std::size_t(k) + 1);
            std::vector<std::int32_t> ids;
            ids.reserve(found.size());
            while (!found.empty()) {
                ids.push_back(std::int32_t(found.top().second));
                found.pop();
            }
            // The queue pops farthest first; drop self, else the farthest extra one.
            std::reverse(ids.begin(), ids.end());
            auto self = std::find(ids.begin(), ids.end(), std::int32_t(i));
            if (self != ids.end()) ids.erase(self);
            if (ids.size() < std::size_t(k)) {
                failed[std::size_t(i)] = 1;
                return;
            }
            std::int32_t* idx = knn.indices.data() + i * k;
            std::copy(ids.begin(), ids.begin() + k, idx);
            finish_row(X, d, i, k, idx, knn.sq_distances.data() + i * k, scratch[std::size_t(thread)]);
        } catch (...) {
            failed[std::size_t(i)] = 1;
        }
    });
    const auto bad = std::find(failed.begin(), failed.end(), 1);
    if (bad != failed.end())
        throw std::runtime_error("approximate neighbour search found fewer than k = " + std::to_string(k) +
                                 " neighbours for row " + std::to_string(bad - failed.begin() + 1) +
                                 "; use exact neighbours");
    return knn;
}

namespace {

std::string number(double v) {
    std::ostringstream out;
    out << v;
    return out.str();
}

void validate(const float* X, std::int64_t n, std::int64_t d, const Options& o) {
    auto fail = [](const std::string& message) { throw std::invalid_argument("neighbour search: " + message); };
    if (!X) fail("no input data");
    if (n < 2) fail("needs at least 2 rows (got " + std::to_string(n) + ")");
    if (d < 1) fail("needs at least 1 column");
    if (n > std::numeric_limits<std::int32_t>::max()) fail("supports at most 2^31 - 1 rows");
    if (o.k < 1 || o.k >= n)
        fail("neighbours per point k (" + std::to_string(o.k) + ") must be in [1, n - 1 = " + std::to_string(n - 1) +
             "]");
    if (!(o.exact_work_limit > 0.0)) fail("exact work limit (" + number(o.exact_work_limit) + ") must be > 0");
    if (o.hnsw_m < 2 || o.hnsw_m > 100) fail("hnsw M (" + std::to_string(o.hnsw_m) + ") must be in [2, 100]");
    if (o.hnsw_ef_construction < o.hnsw_m)
        fail("hnsw ef_construction (" + std::to_string(o.hnsw_ef_construction) + ") must be >= M (" +
             std::to_string(o.hnsw_m) + ")");
    if (o.hnsw_ef_search && *o.hnsw_ef_search < o.k)
        fail("hnsw ef_search (" + std::to_string(*o.hnsw_ef_search) + ") must be >= k (" + std::to_string(o.k) + ")");
    const std::int64_t bad = parallel::first_index_where(n * d, [&](std::int64_t e) { return !std::isfinite(X[e]); });
    if (bad < n * d)
        fail("row " + std::to_string(bad / d + 1) + ", column " + std::to_string(bad % d + 1) + " is " +
             (std::isnan(X[bad]) ? "NaN" : "infinite") + ": remove or impute missing values first");
    // Squared distances must fit in float32 (d * (2 max|x|)^2 < 3e38).
    const double limit_value = std::sqrt(3e38 / double(d)) / 4.0;
    const std::int64_t huge =
        parallel::first_index_where(n * d, [&](std::int64_t e) { return std::abs(double(X[e])) > limit_value; });
    if (huge < n * d)
        fail("row " + std::to_string(huge / d + 1) + ", column " + std::to_string(huge % d + 1) + " is " +
             number(X[huge]) + ": values this large overflow float32 distances; rescale the data");
}

}  // namespace

Method resolve(Method method, std::int64_t n, std::int64_t d, double exact_work_limit) {
    if (method != Method::Auto) return method;
    return double(n) * double(n) * double(d) <= exact_work_limit ? Method::Exact : Method::Approximate;
}

KnnGraph build(const float* X, std::int64_t n, std::int64_t d, const Options& options,
               const std::function<bool()>& canceled) {
    validate(X, n, d, options);
    throw_if_canceled(canceled);
    return resolve(options.method, n, d, options.exact_work_limit) == Method::Exact
               ? exact_knn(X, n, d, options.k, canceled)
               : approximate_knn(X, n, d, options, canceled);
}

const char* to_string(Method method) {
    switch (method) {
    case Method::Auto: return "auto";
    case Method::Exact: return "exact";
    case Method::Approximate: return "approximate";
    }
    return "?";
}

}  // namespace latentscape::neighbors
