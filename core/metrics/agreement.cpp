#include "metrics/agreement.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace latentscape::metrics {
namespace {

/// Codes 0..classes-1 in label order for each point.
std::vector<std::int64_t> encode(const std::int32_t* labels, std::int64_t n, std::int64_t& classes) {
    std::vector<std::int32_t> distinct(labels, labels + n);
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    classes = std::int64_t(distinct.size());
    std::vector<std::int64_t> codes(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i)
        codes[std::size_t(i)] = std::lower_bound(distinct.begin(), distinct.end(), labels[i]) - distinct.begin();
    return codes;
}

/// The contingency table in sparse form: row sums, column sums and the non-zero cells.
struct Contingency {
    std::vector<std::int64_t> rows, cols;            ///< class sizes of a and of b
    std::vector<std::int64_t> cell_row, cell_col, cell; ///< non-zero cells, ordered by (row, col)
};

Contingency contingency(const std::int32_t* a, const std::int32_t* b, std::int64_t n) {
    std::int64_t ca = 0, cb = 0;
    const auto codes_a = encode(a, n, ca);
    const auto codes_b = encode(b, n, cb);
    Contingency t;
    t.rows.assign(std::size_t(ca), 0);
    t.cols.assign(std::size_t(cb), 0);
    std::vector<std::pair<std::int64_t, std::int64_t>> pairs(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
        pairs[std::size_t(i)] = {codes_a[std::size_t(i)], codes_b[std::size_t(i)]};
        ++t.rows[std::size_t(codes_a[std::size_t(i)])];
        ++t.cols[std::size_t(codes_b[std::size_t(i)])];
    }
    std::sort(pairs.begin(), pairs.end());
    for (std::size_t i = 0; i < pairs.size();) {
        std::size_t j = i;
        while (j < pairs.size() && pairs[j] == pairs[i]) ++j;
        t.cell_row.push_back(pairs[i].first);
        t.cell_col.push_back(pairs[i].second);
        t.cell.push_back(std::int64_t(j - i));
        i = j;
    }
    return t;
}

void check(const std::int32_t* a, const std::int32_t* b, std::int64_t n) {
    if (n < 0) throw std::invalid_argument("n (" + std::to_string(n) + ") must be >= 0");
    if (n > 0 && (!a || !b)) throw std::invalid_argument("labels are null");
}

/// Entropy of a labelling from its class sizes, as scikit-learn's (natural log).
double entropy(const std::vector<std::int64_t>& sizes) {
    if (sizes.size() <= 1) return 0.0;
    double total = 0.0;
    for (std::int64_t s : sizes) total += double(s);
    double h = 0.0;
    for (std::int64_t s : sizes) h += (double(s) / total) * (std::log(double(s)) - std::log(total));
    return -h;
}

}  // namespace

double adjusted_rand_index(const std::int32_t* a, const std::int32_t* b, std::int64_t n) {
    check(a, b, n);
    if (n == 0) return 1.0;
    const Contingency t = contingency(a, b, n);
    // Pair confusion matrix, as sklearn.metrics.cluster.pair_confusion_matrix (exact integers;
    // products in 128 bits, as Python's unbounded integers).
    using i128 = __int128;
    i128 sum_squares = 0, row_term = 0, col_term = 0;
    for (std::size_t c = 0; c < t.cell.size(); ++c) {
        const i128 v = t.cell[c];
        sum_squares += v * v;
        row_term += v * t.cols[std::size_t(t.cell_col[c])];
        col_term += v * t.rows[std::size_t(t.cell_row[c])];
    }
    const i128 tp = sum_squares - n;
    const i128 fp = row_term - sum_squares;
    const i128 fn = col_term - sum_squares;
    const i128 tn = i128(n) * n - fp - fn - sum_squares;
    if (fn == 0 && fp == 0) return 1.0;
    const i128 num = tp * tn - fn * fp;
    const i128 den = (tp + fn) * (fn + tn) + (tp + fp) * (fp + tn);
    return 2.0 * (double(num) / double(den));
}

double normalized_mutual_info(const std::int32_t* a, const std::int32_t* b, std::int64_t n) {
    check(a, b, n);
    if (n == 0) return 1.0;
    const Contingency t = contingency(a, b, n);
    if (t.rows.size() == 1 && t.cols.size() == 1) return 1.0;
    // Mutual information, term by term as sklearn.metrics.mutual_info_score.
    double mi = 0.0;
    if (t.rows.size() > 1 && t.cols.size() > 1) {
        const double total = double(n), log_total = std::log(total);
        for (std::size_t c = 0; c < t.cell.size(); ++c) {
            const double v = double(t.cell[c]);
            const double nm = v / total;
            const double outer = double(t.rows[std::size_t(t.cell_row[c])] * t.cols[std::size_t(t.cell_col[c])]);
            const double log_outer = -std::log(outer) + log_total + log_total;
            double term = nm * (std::log(v) - log_total) + nm * log_outer;
            if (std::abs(term) < std::numeric_limits<double>::epsilon()) term = 0.0;
            mi += term;
        }
        mi = std::max(mi, 0.0);
    }
    if (mi == 0.0) return 0.0;
    const double normaliser = (entropy(t.rows) + entropy(t.cols)) / 2.0;
    return mi / normaliser;
}

}  // namespace latentscape::metrics
