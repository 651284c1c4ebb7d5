#pragma once
/// @file Information loss per point: each point's own trustworthiness, continuity and k-NN
/// recall, so that a view can colour the points an embedding misrepresents. The definitions are
/// the per-point terms of the averaged metrics in quality.h (Venna & Kaski 2001): the mean of
/// the n per-point values is the averaged metric (equal to scikit-learn's
/// sklearn.manifold.trustworthiness, up to the last rounding).
///
/// Neighbours are exact, by squared Euclidean distance in double precision with ties broken by
/// point index, as in quality.h; a point's values depend only on X, Y, k and the point, never on
/// the thread count or on which other rows are computed in the same call. Each point costs
/// O(n (dx + dy)) time (its distance rows to all n points), so all n points cost O(n^2 (dx + dy)):
/// for large n a caller computes slices of rows (the `rows` overload) and cancels between them.
/// Inputs are row-major float32 matrices. Every function throws std::invalid_argument for null or
/// non-finite input, a k out of range or a row index out of range, and latentscape::Canceled
/// (common/cancel.h) once its `canceled` callback answers true.

#include "neighbors/knn.h"

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace latentscape::metrics {

/// Per-point neighbourhood preservation at one k. Entry q of each vector belongs to the q-th
/// evaluated row (row q for the all-rows overloads, rows[q] for the `rows` overload).
struct PointwiseQuality {
    /// t_i = 1 - 2 / (k (2n - 3k - 1)) * sum_{j in kNN_Y(i)} max(0, r_X(i, j) - k), r_X(i, j) the
    /// 1-based rank of j among i's neighbours in X (self excluded). 1 when every neighbour in the
    /// embedding is a real neighbour; lower when the embedding brings distant points close.
    std::vector<double> trustworthiness;
    /// c_i: t_i with the roles of X and Y swapped. Lower when real neighbours were torn apart.
    std::vector<double> continuity;
    /// |kNN_X(i) ∩ kNN_Y(i)| / k, self excluded: the fraction of i's neighbours kept.
    std::vector<double> knn_recall;
    int k = 0;                    ///< the neighbourhood size used
    double elapsed_seconds = 0.0; ///< wall time of the computation
};

/// Per-point trustworthiness, continuity and k-NN recall of embedding Y (n x dy) of X (n x dx) at
/// neighbourhood size k, 1 <= k < n / 2 (the normalisation of trustworthiness needs it, as in
/// scikit-learn), for every row. The three share the distance rows, so this costs about as much
/// as any one of them. Memory: 2 x 16 x n doubles per thread.
/// `canceled`, when given, is polled before each block of 16 rows, from the worker threads (it
/// must be thread-safe, e.g. read an atomic); once it answers true the remaining blocks are
/// skipped and the call throws latentscape::Canceled.
PointwiseQuality pointwise_quality(const float* X, std::int64_t n, std::int64_t dx, const float* Y, std::int64_t dy,
                                   int k, const std::function<bool()>& canceled = {});

/// pointwise_quality() for the listed rows only (any order, repeats allowed, each in [0, n)):
/// entry q of the result belongs to rows[q]. Neighbours are still searched among all n points,
/// so a row's values are bit for bit those of the all-rows call; an empty list gives empty
/// vectors. Costs O(|rows| n (dx + dy)) plus one O(n (dx + dy)) check that the input is finite.
PointwiseQuality pointwise_quality(const float* X, std::int64_t n, std::int64_t dx, const float* Y, std::int64_t dy,
                                   int k, std::span<const std::int64_t> rows,
                                   const std::function<bool()>& canceled = {});

/// pointwise_quality() reusing an exact kNN graph of X (x_graph.k >= k) that a run already
/// built, for every row; the same conditions, checks and savings as metrics::quality() with a
/// graph (quality.h), and the same values as the call without it.
PointwiseQuality pointwise_quality(const float* X, std::int64_t n, std::int64_t dx, const float* Y, std::int64_t dy,
                                   int k, const neighbors::KnnGraph& x_graph,
                                   const std::function<bool()>& canceled = {});

/// pointwise_quality() with a graph, for the listed rows only (see the `rows` overload).
PointwiseQuality pointwise_quality(const float* X, std::int64_t n, std::int64_t dx, const float* Y, std::int64_t dy,
                                   int k, const neighbors::KnnGraph& x_graph, std::span<const std::int64_t> rows,
                                   const std::function<bool()>& canceled = {});

/// The per-point trustworthiness of every row (PointwiseQuality::trustworthiness); its mean
/// equals metrics::trustworthiness(X, n, dx, Y, dy, k) and
/// sklearn.manifold.trustworthiness(X, Y, n_neighbors=k). 1 <= k < n / 2.
std::vector<double> pointwise_trustworthiness(const float* X, std::int64_t n, std::int64_t dx, const float* Y,
                                              std::int64_t dy, int k, const std::function<bool()>& canceled = {});

/// The per-point continuity of every row (PointwiseQuality::continuity); its mean equals
/// metrics::continuity() and sklearn.manifold.trustworthiness(Y, X, n_neighbors=k). 1 <= k < n / 2.
std::vector<double> pointwise_continuity(const float* X, std::int64_t n, std::int64_t dx, const float* Y,
                                         std::int64_t dy, int k, const std::function<bool()>& canceled = {});

/// The per-point k-NN recall of every row (PointwiseQuality::knn_recall); its mean equals
/// metrics::knn_recall(). Defined for 1 <= k < n (no rank normalisation), and cheaper than
/// pointwise_quality() (no ranks).
std::vector<double> pointwise_knn_recall(const float* X, std::int64_t n, std::int64_t dx, const float* Y,
                                         std::int64_t dy, int k, const std::function<bool()>& canceled = {});

}  // namespace latentscape::metrics
