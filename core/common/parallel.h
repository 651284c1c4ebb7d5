#pragma once
/// @file The one wrapper around OpenMP that core's loops use. Loops split [0, n) into static,
/// contiguous blocks; helpers that combine results do it in a fixed order, so a result never
/// depends on the thread count (DESIGN.md section 3).

#include <omp.h>

#include <algorithm>
#include <cstdint>
#include <limits>

namespace latentscape::parallel {

/// Threads a parallel loop started here would use.
inline int max_threads() { return omp_get_max_threads(); }

/// Sets the threads later parallel loops use (a --threads option); results do not change.
inline void set_max_threads(int threads) { omp_set_num_threads(threads < 1 ? 1 : threads); }

/// Threads a parallel region really gets (proves that OpenMP is active in a build).
inline int threads_in_region() {
    int count = 1;
#pragma omp parallel
    {
#pragma omp single
        count = omp_get_num_threads();
    }
    return count;
}

/// True inside a parallel region (a nested loop then runs on its caller's thread).
inline bool in_parallel() { return omp_in_parallel() != 0; }

/// Calls body(i) for every i in [0, n), in parallel unless `enabled` is false (small inputs, where
/// waking threads costs more than the work). body must only write what item i owns, and must not
/// throw (catch inside and store the exception per item).
template <class Body>
void for_each(std::int64_t n, Body&& body, bool enabled = true) {
#pragma omp parallel for schedule(static) if (enabled)
    for (std::int64_t i = 0; i < n; ++i) body(i);
}

/// for_each() for items of uneven cost: threads take the next item as they finish one. Use it
/// only where item i's result does not depend on which thread computes it (then the result is
/// still independent of the thread count).
template <class Body>
void for_each_dynamic(std::int64_t n, Body&& body) {
#pragma omp parallel for schedule(dynamic, 1)
    for (std::int64_t i = 0; i < n; ++i) body(i);
}

/// The minimum of value(i) over [0, n) and `none`, in parallel unless `enabled` is false. Exact
/// whatever the thread count (a minimum does not depend on the order it is taken in).
template <class Value>
std::int64_t min_of(std::int64_t n, Value&& value, std::int64_t none, bool enabled = true) {
    std::int64_t best = none;
#pragma omp parallel for schedule(static) reduction(min : best) if (enabled)
    for (std::int64_t i = 0; i < n; ++i) best = std::min(best, value(i));
    return best;
}

/// Calls body(thread, i) for every i in [0, n), with thread in [0, max_threads()): for loops that
/// accumulate into per-thread partial results, to be added up afterwards in thread order.
template <class Body>
void for_each_with_thread(std::int64_t n, Body&& body) {
#pragma omp parallel
    {
        const int thread = omp_get_thread_num();
#pragma omp for schedule(static)
        for (std::int64_t i = 0; i < n; ++i) body(thread, i);
    }
}

/// The smallest i in [0, n) for which pred(i) holds, or n if none: the same answer with any
/// number of threads (every item is tested; the minimum is exact).
template <class Pred>
std::int64_t first_index_where(std::int64_t n, Pred&& pred) {
    std::int64_t first = n;
#pragma omp parallel for schedule(static) reduction(min : first)
    for (std::int64_t i = 0; i < n; ++i)
        if (i < first && pred(i)) first = std::min(first, i);
    return first;
}

}  // namespace latentscape::parallel
