// k-means: validation, k-means++ seeding, Lloyd and Hamerly rounds, empty-cluster re-seeding,
// restarts. Every sum over points goes through fixed point blocks (kmeans_internal.h) so results
// do not depend on the thread count.
#include "cluster/kmeans.h"

#include "cluster/kmeans_internal.h"
#include "common/parallel.h"
#include "common/rng.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>

namespace latentscape::cluster {
namespace {

using detail::block_begin;
using detail::block_count;
using detail::blocked_sum;
using detail::sq_dist;

constexpr double kInf = std::numeric_limits<double>::infinity();
/// Below this many float operations a loop runs on one thread: waking the team costs more (and
/// much more on a busy machine). Never changes a result, only who computes it.
constexpr std::int64_t kParallelWork = 1 << 16;

void validate(const float* X, std::int64_t n, std::int64_t d, const KMeansOptions& o) {
    if (n < 1 || d < 1)
        throw std::invalid_argument("k-means needs a non-empty matrix (got " + std::to_string(n) + " x " +
                                    std::to_string(d) + ")");
    if (!X) throw std::invalid_argument("k-means: the data pointer is null");
    if (o.k < 1) throw std::invalid_argument("k (" + std::to_string(o.k) + ") must be >= 1");
    if (o.k > n)
        throw std::invalid_argument("k (" + std::to_string(o.k) + ") must be <= n (" + std::to_string(n) + ")");
    if (o.restarts < 1)
        throw std::invalid_argument("restarts (" + std::to_string(o.restarts) + ") must be >= 1");
    if (o.max_iterations < 1)
        throw std::invalid_argument("max_iterations (" + std::to_string(o.max_iterations) + ") must be >= 1");
    if (!(o.tolerance >= 0.0) || !std::isfinite(o.tolerance))
        throw std::invalid_argument("tolerance (" + std::to_string(o.tolerance) + ") must be finite and >= 0");
    const std::int64_t bad = parallel::first_index_where(n * d, [&](std::int64_t i) { return !std::isfinite(X[i]); });
    if (bad < n * d)
        throw std::invalid_argument("k-means: the data hold a non-finite value at row " + std::to_string(bad / d) +
                                    ", column " + std::to_string(bad % d) + " (remove or impute it first)");
}

/// scikit-learn's absolute tolerance: tolerance * mean over features of the (population) variance.
double absolute_tolerance(const float* X, std::int64_t n, std::int64_t d, double tolerance) {
    if (tolerance == 0.0) return 0.0;
    const std::int64_t nb = block_count(n, d);
    std::vector<double> part(std::size_t(nb * d));
    std::vector<double> mean(std::size_t(d), 0.0), var(std::size_t(d), 0.0);
    for (int pass = 0; pass < 2; ++pass) {
        std::fill(part.begin(), part.end(), 0.0);
        parallel::for_each(
            nb,
            [&](std::int64_t b) {
                double* p = part.data() + b * d;
                for (std::int64_t i = block_begin(n, nb, b); i < block_begin(n, nb, b + 1); ++i)
                    for (std::int64_t j = 0; j < d; ++j) {
                        const double v = double(X[i * d + j]) - (pass ? mean[std::size_t(j)] : 0.0);
                        p[j] += pass ? v * v : v;
                    }
            },
            nb > 1);
        auto& out = pass ? var : mean;
        for (std::int64_t b = 0; b < nb; ++b)
            for (std::int64_t j = 0; j < d; ++j) out[std::size_t(j)] += part[std::size_t(b * d + j)];
        for (auto& v : out) v /= double(n);
    }
    double mean_var = 0.0;
    for (double v : var) mean_var += v;
    return tolerance * mean_var / double(d);
}

/// Greedy k-means++ as scikit-learn's _kmeans_plusplus: 2 + floor(ln k) candidates per centre,
/// drawn proportionally to the squared distance to the nearest chosen centre; the candidate that
/// lowers the potential most is kept.
void kmeans_plus_plus(const float* X, std::int64_t n, std::int64_t d, int k, Rng& rng, float* C) {
    const int trials = 2 + int(std::log(double(k)));
    const std::int64_t first = std::int64_t(rng.below(std::uint64_t(n)));
    std::memcpy(C, X + first * d, std::size_t(d) * sizeof(float));
    std::vector<double> closest(static_cast<std::size_t>(n)), cum(static_cast<std::size_t>(n));
    const bool par = n * d >= kParallelWork;
    parallel::for_each(n, [&](std::int64_t i) { closest[std::size_t(i)] = sq_dist(X + i * d, C, d); }, par);
    std::vector<double> cand_dist(std::size_t(trials) * std::size_t(n));
    std::vector<std::int64_t> cand(static_cast<std::size_t>(trials));
    const std::int64_t nb = block_count(n, trials);
    std::vector<double> pot_part(std::size_t(nb * trials));
    for (int c = 1; c < k; ++c) {
        double s = 0.0;
        for (std::int64_t i = 0; i < n; ++i) cum[std::size_t(i)] = (s += closest[std::size_t(i)]);
        for (int t = 0; t < trials; ++t) {
            const double r = rng.uniform() * s;
            const auto it = std::lower_bound(cum.begin(), cum.end(), r);
            cand[std::size_t(t)] = std::min<std::int64_t>(it - cum.begin(), n - 1);
        }
        // Candidate distances and their potentials in one pass over the fixed point blocks.
        std::fill(pot_part.begin(), pot_part.end(), 0.0);
        parallel::for_each(nb, [&](std::int64_t b) {
            for (std::int64_t i = block_begin(n, nb, b); i < block_begin(n, nb, b + 1); ++i)
                for (int t = 0; t < trials; ++t) {
                    const double v = std::min(closest[std::size_t(i)],
                                              double(sq_dist(X + i * d, X + cand[std::size_t(t)] * d, d)));
                    cand_dist[std::size_t(t) * std::size_t(n) + std::size_t(i)] = v;
                    pot_part[std::size_t(b * trials + t)] += v;
                }
        }, par && nb > 1);
        int best = 0;
        double best_pot = kInf;
        for (int t = 0; t < trials; ++t) {
            double pot = 0.0;
            for (std::int64_t b = 0; b < nb; ++b) pot += pot_part[std::size_t(b * trials + t)];
            if (pot < best_pot) best_pot = pot, best = t;
        }
        std::copy_n(cand_dist.begin() + std::ptrdiff_t(best) * n, n, closest.begin());
        std::memcpy(C + std::int64_t(c) * d, X + cand[std::size_t(best)] * d, std::size_t(d) * sizeof(float));
    }
}

struct Run {
    std::vector<std::int32_t> labels;
    std::vector<float> centres;
    double inertia = 0.0;
    int iterations = 0;
    bool converged = false;
};

/// One k-means run from the centres in `C`. Lloyd and Hamerly share everything except the
/// assignment: Hamerly skips a point only when its bounds prove, with a margin larger than the
/// float rounding of the distances, that Lloyd's scan would keep the same label; every scan it
/// does run is Lloyd's scan. So both produce the same labels, centres and iteration count.
class Iterator {
public:
    Iterator(const float* X, std::int64_t n, std::int64_t d, int k, bool hamerly)
        : X_(X), n_(n), d_(d), k_(k), hamerly_(hamerly),
          // Relative bound on the rounding error of a float distance (8-lane sums, sqrt), doubled.
          slack_(2.0 * double(d / 8 + 16) * 0x1.0p-24) {
        labels_.assign(std::size_t(n), -1);
        if (hamerly_) {
            upper_.assign(std::size_t(n), kInf);
            lower_.assign(std::size_t(n), 0.0);
            half_gap_.assign(std::size_t(k), 0.0);
            move_.assign(std::size_t(k), 0.0);
        }
        nb_ = block_count(n, std::int64_t(k) * (d + 1));
        par_ = nb_ > 1 && n * d * k >= kParallelWork;
    }

    Run run(std::vector<float> C, int max_iterations, double tol) {
        Run r;
        C_ = std::move(C);
        std::vector<float> next(C_.size());
        std::vector<std::int32_t> prev;
        std::vector<double> total;
        std::vector<std::int64_t> count;
        bool strict = false;
        for (int it = 1; it <= max_iterations; ++it) {
            prev = labels_;
            pass(true, total, count);
            bool changed = prev != labels_;
            changed |= update(next, total, count);
            const double shift = move_centres(next);
            r.iterations = it;
            if (!changed) {
                strict = true;
                r.converged = true;
                break;
            }
            if (shift <= tol) {
                r.converged = true;
                break;
            }
        }
        // Labels consistent with the final centres (as scikit-learn does).
        if (!strict) pass(true, total, count);
        r.inertia = blocked_sum(n_, [&](std::int64_t i) {
            return detail::sq_dist_double(X_ + i * d_, C_.data() + std::int64_t(labels_[std::size_t(i)]) * d_, d_);
        });
        r.labels = std::move(labels_);
        r.centres = std::move(C_);
        return r;
    }

private:
    /// Nearest centre by float distance, first index on ties; also the second-nearest distance.
    std::int32_t scan(const float* x, float& d1, float& d2) const {
        float b1 = std::numeric_limits<float>::infinity(), b2 = b1;
        std::int32_t a = 0;
        for (int j = 0; j < k_; ++j) {
            const float dj = sq_dist(x, C_.data() + std::int64_t(j) * d_, d_);
            if (dj < b1) {
                b2 = b1;
                b1 = dj;
                a = j;
            } else if (dj < b2) {
                b2 = dj;
            }
        }
        d1 = b1;
        d2 = b2;
        return a;
    }

    /// Assigns point i to its nearest centre (Lloyd: always a full scan; Hamerly: only when its
    /// bounds, first widened by the last centre moves, cannot prove the label unchanged).
    void assign_point(std::int64_t i) {
        const std::size_t ii = std::size_t(i);
        const float* x = X_ + i * d_;
        float d1, d2;
        if (!hamerly_) {
            labels_[ii] = scan(x, d1, d2);
            return;
        }
        const std::int32_t a = labels_[ii];
        if (a >= 0) {
            if (moved_) {
                upper_[ii] += move_[std::size_t(a)];
                lower_[ii] -= (a == top_ ? second_move_ : move_[std::size_t(top_)]);
            }
            const double m = std::max(half_gap_[std::size_t(a)], lower_[ii]);
            if (upper_[ii] < m) return;
            upper_[ii] = std::sqrt(double(sq_dist(x, C_.data() + std::int64_t(a) * d_, d_))) * (1.0 + slack_);
            if (upper_[ii] < m) return;
        }
        labels_[ii] = scan(x, d1, d2);
        upper_[ii] = std::sqrt(double(d1)) * (1.0 + slack_);
        lower_[ii] = std::sqrt(double(d2)) * (1.0 - slack_);
    }

    /// One parallel pass over the fixed point blocks: assigns the points (if `assign`) and sums
    /// them per cluster; the block sums are then added in block order.
    void pass(bool assign, std::vector<double>& total, std::vector<std::int64_t>& count) {
        if (assign && hamerly_) {
            // Half the distance from each centre to its nearest other centre (lowered by the slack).
            parallel::for_each(k_, [&](std::int64_t j) {
                float m = std::numeric_limits<float>::infinity();
                for (int o = 0; o < k_; ++o)
                    if (o != j) m = std::min(m, sq_dist(C_.data() + j * d_, C_.data() + std::int64_t(o) * d_, d_));
                half_gap_[std::size_t(j)] = 0.5 * std::sqrt(double(m)) * (1.0 - slack_);
            }, std::int64_t(k_) * k_ * d_ >= kParallelWork);
        }
        const std::int64_t kd = std::int64_t(k_) * d_;
        part_.assign(std::size_t(nb_ * kd), 0.0);
        part_count_.assign(std::size_t(nb_ * k_), 0);
        parallel::for_each(
            nb_,
            [&](std::int64_t b) {
                double* p = part_.data() + b * kd;
                std::int64_t* pc = part_count_.data() + b * k_;
                for (std::int64_t i = block_begin(n_, nb_, b); i < block_begin(n_, nb_, b + 1); ++i) {
                    if (assign) assign_point(i);
                    const std::int32_t a = labels_[std::size_t(i)];
                    const float* x = X_ + i * d_;
                    double* s = p + std::int64_t(a) * d_;
                    for (std::int64_t j = 0; j < d_; ++j) s[j] += double(x[j]);
                    ++pc[a];
                }
            },
            par_);
        if (assign) moved_ = false;  // the pending centre moves are now in every point's bounds
        total.assign(std::size_t(kd), 0.0);
        count.assign(std::size_t(k_), 0);
        for (std::int64_t b = 0; b < nb_; ++b) {
            for (std::int64_t j = 0; j < kd; ++j) total[std::size_t(j)] += part_[std::size_t(b * kd + j)];
            for (int c = 0; c < k_; ++c) count[std::size_t(c)] += part_count_[std::size_t(b * k_ + c)];
        }
    }

    /// New centres into `next` (means; empty clusters re-seeded). Returns true if it moved a point.
    bool update(std::vector<float>& next, std::vector<double>& total, std::vector<std::int64_t>& count) {
        const bool reseeded = reseed_empty(count);
        if (reseeded) pass(false, total, count);
        for (int c = 0; c < k_; ++c) {
            float* out = next.data() + std::int64_t(c) * d_;
            const std::size_t cnt = std::size_t(count[std::size_t(c)]);
            if (cnt == 0) {  // nothing could be moved here: keep the centre
                std::copy_n(C_.data() + std::int64_t(c) * d_, d_, out);
                continue;
            }
            for (std::int64_t j = 0; j < d_; ++j) out[j] = float(total[std::size_t(c * d_ + j)] / double(cnt));
        }
        return reseeded;
    }

    /// Moves, for each empty cluster in index order, the point farthest from its current centre
    /// (first index on ties; only from clusters that keep a point; only at a positive distance).
    bool reseed_empty(std::vector<std::int64_t>& count) {
        if (std::find(count.begin(), count.end(), 0) == count.end()) return false;
        std::vector<float> far(static_cast<std::size_t>(n_));
        parallel::for_each(n_, [&](std::int64_t i) {
            far[std::size_t(i)] =
                sq_dist(X_ + i * d_, C_.data() + std::int64_t(labels_[std::size_t(i)]) * d_, d_);
        }, par_);
        bool moved = false;
        for (int c = 0; c < k_; ++c) {
            if (count[std::size_t(c)] != 0) continue;
            std::int64_t best = -1;
            float best_d = 0.0f;
            for (std::int64_t i = 0; i < n_; ++i)
                if (far[std::size_t(i)] > best_d && count[std::size_t(labels_[std::size_t(i)])] > 1)
                    best = i, best_d = far[std::size_t(i)];
            if (best < 0) continue;
            --count[std::size_t(labels_[std::size_t(best)])];
            labels_[std::size_t(best)] = c;
            count[std::size_t(c)] = 1;
            far[std::size_t(best)] = 0.0f;  // taken
            if (hamerly_) upper_[std::size_t(best)] = kInf, lower_[std::size_t(best)] = 0.0;
            moved = true;
        }
        return moved;
    }

    /// Installs `next` as the centres and returns the summed squared shift (double). For Hamerly
    /// it records how far each centre moved; the next pass widens every point's bounds by that.
    double move_centres(const std::vector<float>& next) {
        double total = 0.0;
        for (int c = 0; c < k_; ++c) {
            const float* a = C_.data() + std::int64_t(c) * d_;
            const float* b = next.data() + std::int64_t(c) * d_;
            total += detail::sq_dist_double(a, b, d_);
            if (hamerly_) move_[std::size_t(c)] = std::sqrt(double(sq_dist(a, b, d_))) * (1.0 + slack_);
        }
        C_ = next;
        if (!hamerly_) return total;
        // The bounds are widened lazily, in the next assignment pass (one parallel pass less).
        top_ = 0;
        for (int c = 1; c < k_; ++c)
            if (move_[std::size_t(c)] > move_[std::size_t(top_)]) top_ = c;
        second_move_ = 0.0;
        for (int c = 0; c < k_; ++c)
            if (c != top_) second_move_ = std::max(second_move_, move_[std::size_t(c)]);
        moved_ = true;
        return total;
    }

    const float* X_;
    std::int64_t n_, d_;
    int k_;
    bool hamerly_;
    double slack_;
    std::int64_t nb_ = 1;
    bool par_ = false;
    std::vector<float> C_;
    std::vector<std::int32_t> labels_;
    std::vector<double> upper_, lower_, half_gap_;
    std::vector<double> move_;  ///< Hamerly: how far each centre moved in the last update (+ slack)
    int top_ = 0;               ///< the centre that moved most, and the largest move of the others
    double second_move_ = 0.0;
    bool moved_ = false;        ///< moves not yet applied to the bounds
    std::vector<double> part_;  ///< per-block sums (nb_ x k x d) and counts (nb_ x k)
    std::vector<std::int64_t> part_count_;
};

}  // namespace

KMeansResult kmeans(const float* X, std::int64_t n, std::int64_t d, const KMeansOptions& options) {
    const auto t0 = std::chrono::steady_clock::now();
    validate(X, n, d, options);
    const double tol = absolute_tolerance(X, n, d, options.tolerance);
    const bool hamerly = options.algorithm == KMeansOptions::Algorithm::Hamerly;
    KMeansResult best;
    bool have = false;
    for (int r = 0; r < options.restarts; ++r) {
        Rng rng = Rng::stream(options.seed, std::uint64_t(r));
        std::vector<float> C(std::size_t(options.k) * std::size_t(d));
        kmeans_plus_plus(X, n, d, options.k, rng, C.data());
        Run run = Iterator(X, n, d, options.k, hamerly).run(std::move(C), options.max_iterations, tol);
        if (have && !(run.inertia < best.inertia)) continue;
        have = true;
        best.labels = std::move(run.labels);
        best.centres = std::move(run.centres);
        best.inertia = run.inertia;
        best.iterations = run.iterations;
        best.converged = run.converged;
        best.best_restart = r;
    }
    best.elapsed_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return best;
}

KMeansResult detail::kmeans_from(const float* X, std::int64_t n, std::int64_t d, const KMeansOptions& options,
                                 std::vector<float> centres) {
    const auto t0 = std::chrono::steady_clock::now();
    validate(X, n, d, options);
    if (std::int64_t(centres.size()) != std::int64_t(options.k) * d)
        throw std::invalid_argument("initial centres hold " + std::to_string(centres.size()) + " values, not k * d = " +
                                    std::to_string(std::int64_t(options.k) * d));
    const bool hamerly = options.algorithm == KMeansOptions::Algorithm::Hamerly;
    Run run = Iterator(X, n, d, options.k, hamerly)
                  .run(std::move(centres), options.max_iterations, absolute_tolerance(X, n, d, options.tolerance));
    KMeansResult out;
    out.labels = std::move(run.labels);
    out.centres = std::move(run.centres);
    out.inertia = run.inertia;
    out.iterations = run.iterations;
    out.converged = run.converged;
    out.elapsed_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return out;
}

KMeansResult kmeans(const data::Dataset& dataset, const KMeansOptions& options) {
    return kmeans(dataset.features.data(), dataset.n, dataset.d, options);
}

}  // namespace latentscape::cluster
