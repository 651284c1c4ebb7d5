#pragma once
/// @file PCA of a sparse matrix (single-cell counts: mostly zeros) without densifying it. The
/// centred (and optionally scaled) matrix A = (X - 1 mean^T) diag(1 / scale) is never formed:
/// products with A and A^T are products with the sparse X plus a rank-one correction, so memory
/// stays O(nnz + (n + d) * (components + oversamples)). Randomized subspace iteration (Halko,
/// Martinsson & Tropp 2011) as reduce::pca's Randomized method; when components + oversamples
/// reaches min(n, d) the sketch spans the whole space and the result is exact up to rounding.
/// Conventions as reduce::pca (pca.h): ddof = 1 variances, components signed so that their entry
/// of largest magnitude is positive, results independent of the thread count.

#include "data/sparse.h"
#include "reduce/pca.h"

namespace latentscape::reduce {

/// Fits PCA to the sparse n x d matrix X. Uses options.components, center, scale, whiten,
/// oversamples, power_iterations and seed; options.method is ignored (always the randomized
/// sketch, method_used "randomized-sparse"). Throws std::invalid_argument when n < 2, d < 1,
/// components is outside [1, min(n, d)], oversamples or power_iterations is negative, or X holds
/// a non-finite value (row and column named).
PcaResult pca_sparse(const data::CsrMatrix& X, const PcaOptions& options = {});

}  // namespace latentscape::reduce
