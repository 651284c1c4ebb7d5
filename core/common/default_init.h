#pragma once
/// @file An allocator whose value-less construct() default-initialises: resize() on a vector of
/// floats then leaves the new elements uninitialised instead of zero-filling them, so the
/// (parallel) loop that writes them is also the first to touch their pages. A zero-fill of a
/// 220 MB matrix costs as much as reading it.

#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace latentscape {

template <class T>
struct DefaultInitAllocator : std::allocator<T> {
    using std::allocator<T>::allocator;
    template <class U>
    struct rebind {
        using other = DefaultInitAllocator<U>;
    };
    template <class U>
    void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
        ::new (static_cast<void*>(p)) U;
    }
    template <class U, class... Args>
    void construct(U* p, Args&&... args) {
        ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
};

/// A float vector whose resize() does not zero-fill.
using FloatVector = std::vector<float, DefaultInitAllocator<float>>;

}  // namespace latentscape
