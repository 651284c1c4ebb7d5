#pragma once
/// @file How well generated rows cover real ones, in a shared feature space (the CLI and the app
/// use PCA-50 of the real rows, fitted on them and applied to both sets):
///
/// - Improved precision and recall (Kynkaanniemi et al. 2019): each real row gets a ball whose
///   radius is the distance to its k-th nearest other real row; precision is the fraction of
///   generated rows inside at least one real ball (are samples realistic?). Recall swaps the roles:
///   the fraction of real rows inside at least one generated row's ball (is the variety covered?).
/// - Class coverage: a k-NN classifier on the labelled real rows names each generated row's
///   class; a generator that drops modes leaves classes with a small share.
///
/// Distances are exact (squared Euclidean, double-precision GEMM in blocks): O(n_real x n_gen x
/// dims). Results do not depend on the thread count.

#include <cstdint>
#include <optional>
#include <vector>

namespace latentscape::metrics {

struct PrecisionRecall {
    double precision = 0.0;
    double recall = 0.0;
    int k = 0;
};

/// Precision and recall of `generated` (n_gen x dims, row-major) against `real` (n_real x dims).
/// Throws std::invalid_argument unless 1 <= k < min(n_real, n_gen), dims >= 1 and every value is
/// finite (the row is named).
PrecisionRecall precision_recall(const float* real, std::int64_t n_real, const float* generated, std::int64_t n_gen,
                                 std::int64_t dims, int k = 3);

struct ClassCoverage {
    std::vector<double> real_share;       ///< per class: fraction of the real rows
    std::vector<double> generated_share;  ///< per class: fraction of the generated rows given it
    /// Classes whose generated share is at least half their real share.
    int covered = 0;
};

/// Classifies each generated row by the majority of its k nearest real rows (labels in
/// [0, classes); a tie goes to the tied class of the nearest row) and compares the shares.
/// Throws std::invalid_argument for a label outside [0, classes), k outside [1, n_real], or a
/// non-finite value.
ClassCoverage class_coverage(const float* real, const int* labels, std::int64_t n_real, int classes, const float* generated,
                             std::int64_t n_gen, std::int64_t dims, int k = 10);

/// Options of compare_generated().
struct GeneratedComparison {
    /// Real rows used at most (a seeded sample of them; the exact metrics are quadratic).
    std::int64_t max_real = 10000;
    /// PCA dimensions of the shared space, fitted on the real rows used; 0 or >= d: none.
    int pca_dims = 50;
    int k = 3;               ///< precision/recall neighbourhood
    int classifier_k = 10;   ///< coverage classifier
    std::uint64_t seed = 42;
};

struct GeneratedQuality {
    PrecisionRecall precision_recall;
    /// With labels only.
    std::optional<ClassCoverage> coverage;
    std::int64_t real_used = 0;
    int dims = 0;            ///< of the shared space
    double seconds = 0.0;
};

/// The whole comparison of the CLI's and the app's: a seeded sample of the real rows (n x d),
/// PCA fitted on it and applied to the generated rows (n_gen x d), then precision/recall and,
/// with `labels` (n entries in [0, classes), or -1 for an unlabelled row, which is left out of the
/// classifier), class coverage. Throws std::invalid_argument as the metrics do.
GeneratedQuality compare_generated(const float* real, std::int64_t n, std::int64_t d, const float* generated,
                                   std::int64_t n_gen, const int* labels, int classes,
                                   const GeneratedComparison& options = {});

}  // namespace latentscape::metrics
