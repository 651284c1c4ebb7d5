#pragma once
/// @file Internal to the neighbourhood-preservation metrics (quality.cpp, pointwise.cpp): input
/// checks and the per-point integer counts behind trustworthiness, continuity and k-NN recall.
/// Both the averaged metrics and the per-point ones are built from the same counts, so a mean
/// of per-point values equals the averaged metric up to the final rounding.

#include "metrics/estimate.h"
#include "neighbors/knn.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace latentscape::metrics::detail {

/// Throws std::invalid_argument unless 1 <= k < n; `what` names n in the message.
void check_k(int k, std::int64_t n, const char* what);

/// check_k() plus k < n / 2, which the normalisation of trustworthiness and continuity needs.
void check_k_for_ranks(int k, std::int64_t n);

/// Throws std::invalid_argument unless X (n x dx) and Y (n x dy) are non-null and finite.
void check_pair(const float* X, std::int64_t n, std::int64_t dx, const float* Y, std::int64_t dy);

/// Sum over j in `outsiders` of (rank(j) - k), where rank(j) = 1 + the number of l != self with
/// (row[l], l) < (row[j], j): the Venna & Kaski penalty of points that are not among the k
/// nearest. `outsiders` is sorted in place by (row[j], j).
std::int64_t rank_penalty(const double* row, std::int64_t n, std::int64_t self, int k,
                          std::vector<std::int64_t>& outsiders, std::vector<std::int64_t>& counts);

/// Per-query integer outcomes: summed in any order they give the same total.
struct PointCounts {
    std::int64_t trust = 0;  ///< sum of (rank in X - k) over Y-neighbours outside the X-neighbours
    std::int64_t cont = 0;   ///< sum of (rank in Y - k) over X-neighbours outside the Y-neighbours
    std::int64_t shared = 0; ///< |kNN_X ∩ kNN_Y|
};

/// Reused storage of one thread.
struct QualityScratch {
    std::vector<double> rows_x, rows_y;
    std::vector<std::int64_t> order, nn_x, nn_y, outsiders, counts;
    std::vector<std::int32_t> votes;
    // Queries of a block whose trustworthiness needs X's distance row after all (graph path):
    // their positions in the block, and their outsiders (concatenated, with offsets).
    std::vector<std::int64_t> pending, pending_ids, pending_start, pending_outsiders;
    // The streaming path (no distance rows): per query of a block, its k nearest so far in X and
    // in Y as max-heaps of (distance, id), then its outsiders' keys and rank counts.
    std::vector<std::pair<double, std::int64_t>> heap_x, heap_y, keys_x, keys_y;
    std::vector<std::int64_t> keys_x_start, keys_y_start, counts_x, counts_y;
};

/// The counts of query point i from its squared-distance rows in X and Y (n values each).
/// `with_ranks` false computes `shared` only (recall), skipping the rank penalties.
PointCounts point_counts(const double* row_x, const double* row_y, std::int64_t n, std::int64_t i, int k,
                         bool with_ranks, QualityScratch& s);

/// point_counts() for a block of `count` queries without distance rows: two streaming passes
/// over the points (for n where a block's rows would not fit in memory). The same counts as
/// point_counts() on squared_distance_rows()'s rows.
void stream_counts(const float* X, std::int64_t n, std::int64_t dx, const float* Y, std::int64_t dy, int k,
                   const std::int64_t* queries, std::int64_t count, bool with_ranks, QualityScratch& s,
                   PointCounts* out);

/// Throws std::invalid_argument unless `graph` can stand in for X's exact k nearest neighbours of
/// the listed query rows: n rows, exact, at least k neighbours per row, and for each query row
/// ids in [0, n) other than the row itself, in ascending order of distance, whose stored squared
/// distances are X's own (relative 1e-5): a graph of other rows or of other features (such as the
/// 50 PCA components a t-SNE or UMAP run reduced X to first) is refused with that message.
void check_graph(const neighbors::KnnGraph& graph, const float* X, std::int64_t n, std::int64_t dx, int k,
                 const std::vector<std::int64_t>& queries);

/// The counts of `count` queries (query ids in `queries`) into out[0, count): from the distance
/// rows of X and Y, or, when `graph` is given (checked by check_graph), with X's k nearest taken
/// from it. With a graph, a query's X row is computed only when an embedding neighbour lies
/// beyond the graph's k nearest, to find its rank in X (within them its rank is its position).
void block_counts(const float* X, std::int64_t n, std::int64_t dx, const float* Y, std::int64_t dy, int k,
                  const std::int64_t* queries, std::int64_t count, bool with_ranks,
                  const neighbors::KnnGraph* graph, QualityScratch& s, PointCounts* out);

/// Trustworthiness from its summed penalty, in scikit-learn's operation order:
/// 1 - t * (2 / (queries k (2n - 3k - 1))). queries = n for the exact metric, the sample size
/// when sampled, 1 for one point's own value.
double from_penalty(std::int64_t penalty, std::int64_t n, std::int64_t queries, int k);

}  // namespace latentscape::metrics::detail
