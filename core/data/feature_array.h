#pragma once
/// @file The storage of a dataset's feature matrix: a float vector of its own, or the pages of a
/// file mapped in place (a native float32 .npy), so that a 2 GB matrix opens without a copy.

#include "common/default_init.h"

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <string>

namespace latentscape::data {

/// n * d floats with a vector's interface (data, size, indexing, iteration, resize, assign,
/// insert, ...), held either in memory of its own or as a private mapping of a file's bytes.
///
/// A mapped array reads the file's pages from the page cache: nothing is copied or zero-filled,
/// and pages the system needs back are read again later. Writes go to private copies of the
/// pages touched (copy-on-write): the file never changes. Anything that changes the size
/// (resize, assign, insert, push_back, reserve, clear) first copies the values into memory of
/// its own. Copying an array copies its values (as a vector would); moving moves the mapping.
///
/// A mapped file must not be truncated or rewritten in place while mapped: its pages are the
/// values (numpy.save rewrites in place; writing a new file and renaming it over is safe).
class FeatureArray {
public:
    using value_type = float;
    using size_type = std::size_t;
    using iterator = float*;
    using const_iterator = const float*;

    FeatureArray() = default;
    FeatureArray(FloatVector values);  // NOLINT(google-explicit-constructor): a vector is one
    FeatureArray(const FeatureArray& other);
    FeatureArray(FeatureArray&& other) noexcept;
    FeatureArray& operator=(const FeatureArray& other);
    FeatureArray& operator=(FeatureArray&& other) noexcept;
    FeatureArray& operator=(FloatVector values);
    FeatureArray& operator=(std::initializer_list<float> values) { return *this = FloatVector(values); }
    ~FeatureArray();

    /// `count` floats at byte `offset` of the open file `fd` (4-byte aligned), mapped privately.
    /// Throws std::runtime_error with the system's reason if the mapping fails. `path` names the
    /// file if it is truncated while mapped (io::register_mapping: a message, not "Bus error").
    static FeatureArray map_file(int fd, std::size_t offset, std::size_t count, const std::string& path = {});

    float* data() { return data_; }
    const float* data() const { return data_; }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    float& operator[](std::size_t i) { return data_[i]; }
    const float& operator[](std::size_t i) const { return data_[i]; }
    float* begin() { return data_; }
    float* end() { return data_ + size_; }
    const float* begin() const { return data_; }
    const float* end() const { return data_ + size_; }
    float& back() { return data_[size_ - 1]; }
    const float& back() const { return data_[size_ - 1]; }

    void resize(std::size_t n);
    void resize(std::size_t n, float value);
    void reserve(std::size_t n);
    void clear();
    void push_back(float v);
    void assign(std::size_t n, float value);
    void assign(std::initializer_list<float> values) { *this = FloatVector(values); }
    template <class It>
    void assign(It first, It last) {
        FloatVector v(first, last);
        *this = FeatureArray(std::move(v));
    }
    /// Inserts [first, last) before `pos` (a position in this array).
    template <class It>
    void insert(float* pos, It first, It last) {
        const auto at = pos - data_;  // before own(): pos may point into the mapping
        FloatVector values(first, last);  // before own() too: the range may be this array's mapping
        own();
        owned_.insert(owned_.begin() + at, values.begin(), values.end());
        sync();
    }
    void swap(FeatureArray& other) noexcept;

    /// The values are a file's pages (map_file), not memory of their own.
    bool is_mapped() const { return mapping_ != nullptr; }
    /// Bytes of memory of its own (0 while mapped: the page cache holds the values).
    std::size_t owned_bytes() const { return owned_.capacity() * sizeof(float); }

    friend bool operator==(const FeatureArray& a, const FeatureArray& b);
    friend bool operator!=(const FeatureArray& a, const FeatureArray& b) { return !(a == b); }

private:
    /// Copies mapped values into memory of its own (no-op when already owned).
    void own();
    void sync() {
        data_ = owned_.data();
        size_ = owned_.size();
    }

    FloatVector owned_;
    std::shared_ptr<void> mapping_;  ///< unmaps when the last holder goes
    float* data_ = nullptr;
    std::size_t size_ = 0;
};

}  // namespace latentscape::data
