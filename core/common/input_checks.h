#pragma once
/// @file Checks every neighbour-embedding method makes of its input rows (t-SNE, UMAP): finite
/// values, values small enough that float32 squared distances cannot overflow, and at least two
/// different rows. One place, so the methods cannot drift apart in what they accept or say.

#include <cstdint>
#include <string>
#include <vector>

namespace latentscape {

/// What is wrong with the n x d row-major rows X for a neighbour embedding, or "" when nothing
/// is: "row 3, column 7 is NaN: remove or impute missing values first", "row ..., column ... is
/// 1e+30: values this large overflow float32 distances; rescale the data", or "every row is the
/// same point: there is no structure to embed". Rows and columns count from 1. Parallel scans;
/// the first offending element (in row-major order) is named, whatever the thread count.
std::string embedding_input_problem(const float* X, std::int64_t n, std::int64_t d);

/// What is wrong with an embedding handed to a method's run() (n x dims doubles), or "": "the
/// embedding has 7 values, expected 8", "the embedding is not finite at point 3" (from 1).
std::string embedding_state_problem(const std::vector<double>& Y, std::int64_t n, int dims);

}  // namespace latentscape
