#include "data/feature_array.h"

#include "common/file_io.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

#include <sys/mman.h>
#include <unistd.h>

namespace latentscape::data {

FeatureArray::FeatureArray(FloatVector values) : owned_(std::move(values)) { sync(); }

FeatureArray::FeatureArray(const FeatureArray& other) : owned_(other.begin(), other.end()) { sync(); }

FeatureArray::FeatureArray(FeatureArray&& other) noexcept { swap(other); }

FeatureArray& FeatureArray::operator=(const FeatureArray& other) {
    if (this != &other) {
        FeatureArray copy(other);
        swap(copy);
    }
    return *this;
}

FeatureArray& FeatureArray::operator=(FeatureArray&& other) noexcept {
    FeatureArray taken(std::move(other));
    swap(taken);
    return *this;
}

FeatureArray& FeatureArray::operator=(FloatVector values) {
    FeatureArray taken(std::move(values));
    swap(taken);
    return *this;
}

FeatureArray::~FeatureArray() = default;

void FeatureArray::swap(FeatureArray& other) noexcept {
    owned_.swap(other.owned_);
    mapping_.swap(other.mapping_);
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
}

FeatureArray FeatureArray::map_file(int fd, std::size_t offset, std::size_t count, const std::string& path) {
    FeatureArray a;
    if (count == 0) return a;
    // mmap wants a page-aligned file offset: map from the page that holds `offset`.
    const auto page = std::size_t(::sysconf(_SC_PAGESIZE));
    const std::size_t start = offset / page * page, lead = offset - start;
    const std::size_t length = lead + count * sizeof(float);
    void* p = ::mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, off_t(start));
    if (p == MAP_FAILED) throw std::runtime_error(std::string("cannot map the file: ") + std::strerror(errno));
    io::register_mapping(p, length, path);
    a.mapping_ = std::shared_ptr<void>(p, [length](void* q) {
        io::unregister_mapping(q);
        ::munmap(q, length);
    });
    a.data_ = reinterpret_cast<float*>(static_cast<char*>(p) + lead);
    a.size_ = count;
    return a;
}

void FeatureArray::own() {
    if (!mapping_) return;
    FloatVector copy(data_, data_ + size_);
    mapping_.reset();
    owned_.swap(copy);
    sync();
}

void FeatureArray::resize(std::size_t n) {
    own();
    owned_.resize(n);
    sync();
}

void FeatureArray::resize(std::size_t n, float value) {
    own();
    owned_.resize(n, value);
    sync();
}

void FeatureArray::reserve(std::size_t n) {
    own();
    owned_.reserve(n);
    sync();
}

void FeatureArray::clear() {
    mapping_.reset();
    owned_.clear();
    sync();
}

void FeatureArray::push_back(float v) {
    own();
    owned_.push_back(v);
    sync();
}

void FeatureArray::assign(std::size_t n, float value) {
    FloatVector v(n, value);
    *this = FeatureArray(std::move(v));
}

bool operator==(const FeatureArray& a, const FeatureArray& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

}  // namespace latentscape::data
