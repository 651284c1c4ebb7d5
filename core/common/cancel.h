#pragma once
/// @file The one exception that every cancellable core computation throws when its caller asks
/// it to stop. A caller passes a `const std::function<bool()>& canceled` callback; the
/// computation polls it between units of work (a block of rows, a phase) and, once it answers
/// true, abandons the work and throws latentscape::Canceled. Catch this one type for all of
/// core (t-SNE's neighbours and affinities, the per-point metrics, ...).

#include <exception>
#include <functional>

namespace latentscape {

/// Thrown by a core computation whose `canceled` callback answered true. Carries no state: the
/// computation's partial results are discarded.
struct Canceled : std::exception {
    /// "canceled": a cancellation is the caller's own request, so there is nothing to explain.
    const char* what() const noexcept override { return "canceled"; }
};

/// Throws Canceled when `canceled` is set and answers true; does nothing for an empty callback.
inline void throw_if_canceled(const std::function<bool()>& canceled) {
    if (canceled && canceled()) throw Canceled();
}

}  // namespace latentscape
