#pragma once
/// @file How well an embedding Y (n x dy) keeps the neighbourhoods of the data X (n x dx):
/// trustworthiness and continuity (Venna & Kaski 2001), k-NN recall, and k-NN label accuracy.
/// All are exact for n <= EstimateOptions::max_exact and sampled estimates above (see
/// estimate.h). Neighbours are exact, by squared Euclidean distance in double precision, ties
/// broken by point index; results do not depend on the thread count (per-point integer counts).
/// Inputs are row-major float32 matrices; every function throws std::invalid_argument for null
/// or non-finite input, mismatched sizes or a k out of range.

#include "metrics/estimate.h"
#include "neighbors/knn.h"

#include <cstdint>

namespace latentscape::metrics {

/// Trustworthiness, continuity and k-NN recall at one k, computed together (they share the
/// distance rows, so this costs about as much as any one of them).
struct QualityResult {
    Estimate trustworthiness; ///< are the embedding's neighbours real neighbours? (1 = all are)
    Estimate continuity;      ///< are the real neighbours kept in the embedding? (1 = all are)
    Estimate knn_recall;      ///< mean |kNN_X(i) ∩ kNN_Y(i)| / k
    int k = 0;                ///< the neighbourhood size used
    double elapsed_seconds = 0.0;
};

/// All three neighbourhood metrics of embedding Y of X at neighbourhood size k, 1 <= k < n / 2
/// (the normalisation of trustworthiness needs it, as in scikit-learn).
QualityResult quality(const float* X, std::int64_t n, std::int64_t dx, const float* Y, std::int64_t dy, int k,
                      const EstimateOptions& options = {});

/// Trustworthiness T(k) = 1 - 2 / (n k (2n - 3k - 1)) * sum_i sum_{j in kNN_Y(i)} max(0, r_X(i, j) - k),
/// r_X(i, j) the rank of j among i's neighbours in X. Equal to
/// sklearn.manifold.trustworthiness(X, Y, n_neighbors=k) (ties aside). 1 <= k < n / 2. When
/// sampled, the sum runs over the sampled i and n k becomes sample_size k.
Estimate trustworthiness(const float* X, std::int64_t n, std::int64_t dx, const float* Y, std::int64_t dy, int k,
                         const EstimateOptions& options = {});

/// Continuity: trustworthiness with the roles of X and Y swapped (penalises neighbours in X that
/// the embedding moved away). Equal to sklearn.manifold.trustworthiness(Y, X, n_neighbors=k).
Estimate continuity(const float* X, std::int64_t n, std::int64_t dx, const float* Y, std::int64_t dy, int k,
                    const EstimateOptions& options = {});

/// k-NN recall: mean over points of |kNN_X(i) ∩ kNN_Y(i)| / k, self excluded; 1 <= k < n.
Estimate knn_recall(const float* X, std::int64_t n, std::int64_t dx, const float* Y, std::int64_t dy, int k,
                    const EstimateOptions& options = {});

/// The same metrics reusing a kNN graph of X that a run already built (t-SNE's k = 3 x perplexity
/// or UMAP's n_neighbors graph, when found by exact search on these very rows), so X's
/// neighbours are not searched again. The graph must be exact (Method::Exact or
/// brute_force_knn(); an approximate graph would change the values) with x_graph.k >= k, and
/// built on X itself: a run that reduced X by PCA first (t-SNE and UMAP do when d > 50) found
/// its neighbours among the PCA components, not among X's rows. Anything else throws
/// std::invalid_argument naming the mismatch (rows, approximate, k, or a stored distance that
/// is not X's: checked for every query row). The results equal those of the overloads without
/// a graph (same samples, same counts), exactly when the graph's neighbours are X's float64
/// ranking: always for brute_force_knn(), and for exact_knn() unless two distances of a row
/// agree to ~1e-7 relative at the k-th place (its float filter may then swap them).
/// Saves X's n x dx distance row of every query for continuity and k-NN recall; trustworthiness
/// still needs it for a query whose embedding neighbours lie beyond the graph's x_graph.k
/// nearest (their rank in X), so a graph with k well above the metric's (t-SNE's 90 for k = 10)
/// saves the most.
QualityResult quality(const float* X, std::int64_t n, std::int64_t dx, const float* Y, std::int64_t dy, int k,
                      const neighbors::KnnGraph& x_graph, const EstimateOptions& options = {});
/// trustworthiness() reusing an exact kNN graph of X (see quality() with a graph).
Estimate trustworthiness(const float* X, std::int64_t n, std::int64_t dx, const float* Y, std::int64_t dy, int k,
                         const neighbors::KnnGraph& x_graph, const EstimateOptions& options = {});
/// continuity() reusing an exact kNN graph of X (see quality() with a graph).
Estimate continuity(const float* X, std::int64_t n, std::int64_t dx, const float* Y, std::int64_t dy, int k,
                    const neighbors::KnnGraph& x_graph, const EstimateOptions& options = {});
/// knn_recall() reusing an exact kNN graph of X (see quality() with a graph): X's distance rows
/// are never computed.
Estimate knn_recall(const float* X, std::int64_t n, std::int64_t dx, const float* Y, std::int64_t dy, int k,
                    const neighbors::KnnGraph& x_graph, const EstimateOptions& options = {});

/// Leave-one-out k-NN label accuracy in the embedding Y (n x dy): the fraction of labelled points
/// whose label is the majority label of their k nearest labelled neighbours (self excluded).
/// `labels` holds n int32 codes; a negative code (-1) is missing: such points are neither
/// classified nor voters. Ties between labels go to the smallest label (as scikit-learn's
/// KNeighborsClassifier). 1 <= k < number of labelled points. Sampling counts labelled points.
/// It looks at the embedding only, so there is no high-dimensional graph to reuse.
Estimate knn_accuracy(const float* Y, std::int64_t n, std::int64_t dy, const std::int32_t* labels, int k,
                      const EstimateOptions& options = {});

}  // namespace latentscape::metrics
