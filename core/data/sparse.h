#pragma once
/// @file A sparse float32 matrix in compressed sparse row form, for data that would not fit (or
/// would waste memory) densified: single-cell counts are often 90-99% zeros.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace latentscape::data {

/// An n x d matrix as scipy's csr_matrix: row i's entries are columns indices[k] with values[k]
/// for k in [indptr[i], indptr[i + 1]). Canonical: within a row the columns ascend and never
/// repeat; every value is finite.
struct CsrMatrix {
    std::int64_t n = 0;                 ///< rows
    std::int64_t d = 0;                 ///< columns
    std::vector<std::int64_t> indptr;   ///< n + 1 offsets, from 0 to nnz, never decreasing
    std::vector<std::int32_t> indices;  ///< nnz column indices
    std::vector<float> values;          ///< nnz values

    std::int64_t nnz() const { return std::int64_t(values.size()); }

    /// Throws std::logic_error if the arrays disagree with each other or with n and d, or a row's
    /// columns are out of range, unsorted or repeated.
    void check_consistent() const {
        if (n < 0 || d < 0 || d > INT32_MAX) throw std::logic_error("csr: bad shape");
        if (indptr.size() != std::size_t(n) + 1 || indptr.front() != 0 || std::size_t(indptr.back()) != values.size() ||
            indices.size() != values.size())
            throw std::logic_error("csr: indptr, indices and values disagree");
        for (std::int64_t i = 0; i < n; ++i) {
            if (indptr[std::size_t(i + 1)] < indptr[std::size_t(i)]) throw std::logic_error("csr: indptr decreases");
            for (std::int64_t k = indptr[std::size_t(i)]; k < indptr[std::size_t(i + 1)]; ++k) {
                const std::int32_t c = indices[std::size_t(k)];
                if (c < 0 || c >= d) throw std::logic_error("csr: column index out of range");
                if (k > indptr[std::size_t(i)] && c <= indices[std::size_t(k - 1)])
                    throw std::logic_error("csr: columns of row " + std::to_string(i) + " not ascending");
            }
        }
    }
};

}  // namespace latentscape::data
