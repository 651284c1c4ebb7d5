#pragma once
/// @file The selection model (DESIGN.md section 2): a set of rows, independent of coordinates,
/// so it survives a re-run of the reduction, a colour change or a 2-D/3-D switch. Combined with
/// the set a tool picked by one of four modes, with a bounded undo/redo history.

#include <cstdint>
#include <deque>
#include <vector>

namespace latentscape::select {

/// How a newly picked set of rows combines with the current selection.
enum class Mode {
    Replace,   ///< the new set (no modifier)
    Add,       ///< union (Shift)
    Subtract,  ///< current minus new (Ctrl / Cmd)
    Intersect, ///< both (Alt)
};

/// A set of rows of an n-row dataset: one bit per row. Value type; equality compares sets.
class Selection {
public:
    Selection() = default;
    explicit Selection(std::int64_t n) : n_(n), words_(static_cast<std::size_t>((n + 63) / 64), 0) {}
    /// The rows whose mask byte is non-zero (mask: n bytes).
    static Selection from_mask(const std::uint8_t* mask, std::int64_t n);
    /// These rows (each in [0, n); duplicates are fine). Throws std::out_of_range otherwise.
    static Selection from_ids(const std::vector<std::int64_t>& ids, std::int64_t n);
    /// Every row.
    static Selection all(std::int64_t n);

    std::int64_t size() const { return n_; }  ///< rows of the dataset, not selected ones
    std::int64_t count() const;                ///< selected rows
    bool empty() const { return count() == 0; }
    bool contains(std::int64_t i) const { return (words_[std::size_t(i >> 6)] >> (i & 63)) & 1u; }
    void set(std::int64_t i, bool on);
    /// Selected rows in increasing order.
    std::vector<std::int64_t> ids() const;
    /// n bytes, 1 for a selected row.
    std::vector<std::uint8_t> mask() const;

    /// This selection combined with `picked` (same size) by `mode`.
    Selection combined(const Selection& picked, Mode mode) const;
    /// Every row not selected.
    Selection inverted() const;

    bool operator==(const Selection& other) const { return n_ == other.n_ && words_ == other.words_; }
    bool operator!=(const Selection& other) const { return !(*this == other); }

private:
    void clear_tail();
    std::int64_t n_ = 0;
    std::vector<std::uint64_t> words_;
};

/// Undo/redo of selection changes: a bounded list of past states (a bit per row each, so 50
/// steps over 1,000,000 rows hold 6 MB).
class History {
public:
    explicit History(std::int64_t n = 0, std::size_t limit = 100) : current_(n), limit_(limit) {}
    const Selection& current() const { return current_; }
    /// Makes `next` current, remembering the old state; a no-op if nothing changes. Clears redo.
    /// Returns true if the selection changed.
    bool apply(const Selection& next);
    bool can_undo() const { return !undo_.empty(); }
    bool can_redo() const { return !redo_.empty(); }
    /// Steps back or forward; return false when there is nothing to undo / redo.
    bool undo();
    bool redo();
    std::size_t undo_steps() const { return undo_.size(); }
    /// Starts over for a dataset of n rows (nothing selected, no history).
    void reset(std::int64_t n);
    /// Starts over at `current` (a reopened session), with no history.
    void reset(const Selection& current);

private:
    Selection current_;
    std::deque<Selection> undo_;
    std::vector<Selection> redo_;
    std::size_t limit_;
};

}  // namespace latentscape::select
