#pragma once
/// @file Procrustes alignment of one embedding of n points onto another (Kabsch 1976, Umeyama
/// 1991): the similarity transform (rotation or reflection R, scale s, translation t) that
/// minimises sum_i ||ref_i - (s R mov_i + t)||^2. Used to compare two runs (their disparity) and
/// to morph one embedding into another without a spurious spin, flip or zoom. Computed in
/// double precision (Eigen's JacobiSVD of the dims x dims cross-covariance); O(n dims^2) time,
/// sequential (the result never depends on the thread count).

#include <cstdint>
#include <vector>

namespace latentscape::metrics {

/// Options of procrustes_align().
struct ProcrustesOptions {
    /// Fit the scale s; false keeps s = 1 (a rigid motion: distances are kept, as when both
    /// embeddings are in the same units).
    bool allow_scaling = true;
    /// Allow R to be a reflection (det R = -1), as scipy.spatial.procrustes does. False restricts
    /// R to proper rotations (det R = +1), which a morph can animate as a turn; the fit is then
    /// worse for a mirrored embedding.
    bool allow_reflection = true;
};

/// The moving points mapped onto the reference, and the transform that does it.
struct ProcrustesResult {
    std::int64_t n = 0;            ///< points
    int dims = 0;                  ///< dimensions of the alignment: the larger of the two inputs'
    std::vector<float> aligned;    ///< n x dims row-major: s R mov_i + t
    std::vector<double> rotation;  ///< dims x dims row-major R, orthogonal (R^T R = I)
    double scale = 1.0;            ///< s (1 unless allow_scaling)
    std::vector<double> translation; ///< t, dims values
    bool reflection = false;       ///< det R = -1 (the moving embedding was mirrored)
    /// sum_i ||ref_i - aligned_i||^2, in squared reference units (computed in double before
    /// `aligned` is rounded to float).
    double residual = 0.0;
    /// residual / sum_i ||ref_i - mean(ref)||^2: 0 for a perfect fit, 1 when the moving points
    /// explain nothing of the reference's layout. With scaling and reflection allowed this equals
    /// scipy.spatial.procrustes(reference, moving)[2] (which normalises both sets to unit
    /// Frobenius norm after centring).
    double disparity = 0.0;
};

/// Aligns `moving` (n x moving_dims, row-major) onto `reference` (n x reference_dims): row i of
/// one is the same point as row i of the other. Each embedding has 2 or 3 dimensions; when they
/// differ (a 2-D run against a 3-D one) the 2-D points are padded with a zero third coordinate
/// and the alignment happens in 3-D, so `aligned` has 3 columns (compare a 3-D moving set with a
/// 2-D reference by its first two columns; its third holds what the plane cannot show).
/// Throws std::invalid_argument for null or non-finite input, dimensions other than 2 or 3,
/// fewer than dims + 1 points, or a set whose points all coincide (nothing to align).
ProcrustesResult procrustes_align(const float* reference, int reference_dims, const float* moving, int moving_dims,
                                  std::int64_t n, const ProcrustesOptions& options = {});

/// procrustes_align() of two n x dims embeddings, reflections allowed.
ProcrustesResult procrustes_align(const float* reference, const float* moving, std::int64_t n, int dims,
                                  bool allow_scaling = true);

}  // namespace latentscape::metrics
