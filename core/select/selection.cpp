#include "select/selection.h"

#include <bit>
#include <stdexcept>
#include <string>

namespace latentscape::select {

Selection Selection::from_mask(const std::uint8_t* mask, std::int64_t n) {
    Selection s(n);
    for (std::int64_t i = 0; i < n; ++i)
        if (mask[i]) s.words_[std::size_t(i >> 6)] |= std::uint64_t(1) << (i & 63);
    return s;
}

Selection Selection::from_ids(const std::vector<std::int64_t>& ids, std::int64_t n) {
    Selection s(n);
    for (std::int64_t i : ids) {
        if (i < 0 || i >= n)
            throw std::out_of_range("selection: row " + std::to_string(i) + " is outside [0, " + std::to_string(n) + ")");
        s.set(i, true);
    }
    return s;
}

Selection Selection::all(std::int64_t n) {
    Selection s(n);
    for (auto& w : s.words_) w = ~std::uint64_t(0);
    s.clear_tail();
    return s;
}

void Selection::clear_tail() {
    if (n_ % 64 && !words_.empty()) words_.back() &= (std::uint64_t(1) << (n_ % 64)) - 1;
}

std::int64_t Selection::count() const {
    std::int64_t c = 0;
    for (std::uint64_t w : words_) c += std::popcount(w);
    return c;
}

void Selection::set(std::int64_t i, bool on) {
    const std::uint64_t bit = std::uint64_t(1) << (i & 63);
    if (on) {
        words_[std::size_t(i >> 6)] |= bit;
    } else {
        words_[std::size_t(i >> 6)] &= ~bit;
    }
}

std::vector<std::int64_t> Selection::ids() const {
    std::vector<std::int64_t> out;
    out.reserve(static_cast<std::size_t>(count()));
    for (std::size_t k = 0; k < words_.size(); ++k) {
        std::uint64_t w = words_[k];
        while (w) {
            out.push_back(std::int64_t(k) * 64 + std::countr_zero(w));
            w &= w - 1;
        }
    }
    return out;
}

std::vector<std::uint8_t> Selection::mask() const {
    std::vector<std::uint8_t> m(static_cast<std::size_t>(n_), 0);
    for (std::int64_t i : ids()) m[std::size_t(i)] = 1;
    return m;
}

Selection Selection::combined(const Selection& picked, Mode mode) const {
    if (picked.n_ != n_)
        throw std::invalid_argument("selection: combining sets of " + std::to_string(n_) + " and " +
                                    std::to_string(picked.n_) + " rows");
    Selection out(n_);
    for (std::size_t k = 0; k < words_.size(); ++k) {
        const std::uint64_t a = words_[k], b = picked.words_[k];
        switch (mode) {
        case Mode::Replace: out.words_[k] = b; break;
        case Mode::Add: out.words_[k] = a | b; break;
        case Mode::Subtract: out.words_[k] = a & ~b; break;
        case Mode::Intersect: out.words_[k] = a & b; break;
        }
    }
    return out;
}

Selection Selection::inverted() const {
    Selection out(n_);
    for (std::size_t k = 0; k < words_.size(); ++k) out.words_[k] = ~words_[k];
    out.clear_tail();
    return out;
}

bool History::apply(const Selection& next) {
    if (next == current_) return false;
    undo_.push_back(current_);
    if (undo_.size() > limit_) undo_.pop_front();
    redo_.clear();
    current_ = next;
    return true;
}

bool History::undo() {
    if (undo_.empty()) return false;
    redo_.push_back(current_);
    current_ = undo_.back();
    undo_.pop_back();
    return true;
}

bool History::redo() {
    if (redo_.empty()) return false;
    undo_.push_back(current_);
    current_ = redo_.back();
    redo_.pop_back();
    return true;
}

void History::reset(std::int64_t n) { reset(Selection(n)); }

void History::reset(const Selection& current) {
    current_ = current;
    undo_.clear();
    redo_.clear();
}

}  // namespace latentscape::select
