#pragma once
/// @file The one wrapper around OpenMP that core's loops use. Loops split [0, n) into static,
/// contiguous blocks; helpers that combine results do it in a fixed order, so a result never
/// depends on the thread count (DESIGN.md section 3).

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <limits>

namespace latentscape::parallel {

namespace internal {

/// The exceptions thrown by the items of one parallel loop. An exception that leaves an OpenMP
/// region terminates the process (std::bad_alloc in a t-SNE or autoencoder loop killed the app
/// instead of reaching its job), so each item's is caught here. Once an item has thrown, the items
/// after it are skipped; the ones before it still run, so the exception rethrown on the calling
/// thread after the region is the one of the lowest item that throws: the same as a serial loop
/// would give, whatever the thread count.
class Errors {
public:
    /// True when item `item` need not run: an earlier item has already thrown.
    bool skip(std::int64_t item) const noexcept { return item > first_.load(std::memory_order_relaxed); }
    /// Call from inside a catch block: keeps the exception being handled if its item comes first.
    void capture(std::int64_t item) noexcept {
        const std::exception_ptr error = std::current_exception();
#pragma omp critical(latentscape_parallel_errors)
        {
            if (!error_ || item < item_) {
                error_ = error;
                item_ = item;
                first_.store(item, std::memory_order_relaxed);
            }
        }
    }
    /// Runs item `item` (call() inside the loop body) unless an earlier item has thrown; an
    /// exception it throws is kept, not let out of the parallel region.
    template <class Call>
    void run(std::int64_t item, Call&& call) noexcept {
        if (skip(item)) return;
        try {
            call();
        } catch (...) {
            capture(item);
        }
    }
    /// After the region: rethrows the kept exception, if any.
    void rethrow() const {
        if (error_) std::rethrow_exception(error_);
    }

private:
    std::atomic<std::int64_t> first_{std::numeric_limits<std::int64_t>::max()};
    std::exception_ptr error_;
    std::int64_t item_ = std::numeric_limits<std::int64_t>::max();
};

}  // namespace internal

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
/// waking threads costs more than the work). body must only write what item i owns. If body
/// throws (std::bad_alloc, a contract violation), the items after it are skipped and the
/// exception of the lowest item that throws reaches the caller after the loop; the helpers below
/// do the same.
template <class Body>
void for_each(std::int64_t n, Body&& body, bool enabled = true) {
    internal::Errors errors;
#pragma omp parallel for schedule(static) if (enabled)
    for (std::int64_t i = 0; i < n; ++i) {
        errors.run(i, [&] { body(i); });
    }
    errors.rethrow();
}

/// for_each() for items of uneven cost: threads take the next item as they finish one. Use it
/// only where item i's result does not depend on which thread computes it (then the result is
/// still independent of the thread count).
template <class Body>
void for_each_dynamic(std::int64_t n, Body&& body) {
    internal::Errors errors;
#pragma omp parallel for schedule(dynamic, 1)
    for (std::int64_t i = 0; i < n; ++i) {
        errors.run(i, [&] { body(i); });
    }
    errors.rethrow();
}

/// The minimum of value(i) over [0, n) and `none`, in parallel unless `enabled` is false. Exact
/// whatever the thread count (a minimum does not depend on the order it is taken in).
template <class Value>
std::int64_t min_of(std::int64_t n, Value&& value, std::int64_t none, bool enabled = true) {
    std::int64_t best = none;
    internal::Errors errors;
#pragma omp parallel for schedule(static) reduction(min : best) if (enabled)
    for (std::int64_t i = 0; i < n; ++i) {
        errors.run(i, [&] { best = std::min(best, value(i)); });
    }
    errors.rethrow();
    return best;
}

/// Calls body(thread, i) for every i in [0, n), with thread in [0, max_threads()): for loops that
/// accumulate into per-thread partial results, to be added up afterwards in thread order.
template <class Body>
void for_each_with_thread(std::int64_t n, Body&& body) {
    internal::Errors errors;
#pragma omp parallel
    {
        const int thread = omp_get_thread_num();
#pragma omp for schedule(static)
        for (std::int64_t i = 0; i < n; ++i) {
            errors.run(i, [&] { body(thread, i); });
        }
    }
    errors.rethrow();
}

/// The smallest i in [0, n) for which pred(i) holds, or n if none: the same answer with any
/// number of threads (every item is tested; the minimum is exact).
template <class Pred>
std::int64_t first_index_where(std::int64_t n, Pred&& pred) {
    std::int64_t first = n;
    internal::Errors errors;
#pragma omp parallel for schedule(static) reduction(min : first)
    for (std::int64_t i = 0; i < n; ++i) {
        if (i >= first) continue;
        errors.run(i, [&] {
            if (pred(i)) first = std::min(first, i);
        });
    }
    errors.rethrow();
    return first;
}

}  // namespace latentscape::parallel
