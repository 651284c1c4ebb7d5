#include "common/json.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <optional>
#include <stdexcept>
#include <vector>

namespace latentscape::json {

namespace {
using Json = nlohmann::ordered_json;  // keys in the order written, as a reader of the output expects

std::string dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }
}  // namespace

std::string quote(std::string_view s) { return dump(Json(std::string(s))); }

/// The value being built and the containers open in it. Pointers into the tree stay valid: a
/// container's parent gets no new element while the container is open.
struct Writer::Tree {
    Json root;
    bool has_root = false;
    std::vector<Json*> open;
    std::optional<std::string> pending_key;

    Json& place(Json v) {
        if (open.empty()) {
            if (has_root) throw std::logic_error("json::Writer: a second top-level value");
            root = std::move(v);
            has_root = true;
            return root;
        }
        Json& parent = *open.back();
        if (parent.is_array()) {
            parent.push_back(std::move(v));
            return parent.back();
        }
        if (!pending_key) throw std::logic_error("json::Writer: a value in an object without a key");
        Json& slot = parent[*pending_key];
        pending_key.reset();
        slot = std::move(v);
        return slot;
    }
    void close(bool object) {
        if (open.empty() || open.back()->is_object() != object || pending_key)
            throw std::logic_error("json::Writer: unbalanced end_object/end_array");
        open.pop_back();
    }
};

Writer::Writer() : tree_(std::make_unique<Tree>()) {}
Writer::~Writer() = default;

Writer& Writer::begin_object() {
    tree_->open.push_back(&tree_->place(Json::object()));
    return *this;
}
Writer& Writer::end_object() {
    tree_->close(true);
    return *this;
}
Writer& Writer::begin_array() {
    tree_->open.push_back(&tree_->place(Json::array()));
    return *this;
}
Writer& Writer::end_array() {
    tree_->close(false);
    return *this;
}
Writer& Writer::key(std::string_view k) {
    if (tree_->open.empty() || !tree_->open.back()->is_object() || tree_->pending_key)
        throw std::logic_error("json::Writer: a key outside an object");
    tree_->pending_key = std::string(k);
    return *this;
}
Writer& Writer::value(std::string_view s) {
    tree_->place(Json(std::string(s)));
    return *this;
}
Writer& Writer::value(std::int64_t v) {
    tree_->place(Json(v));
    return *this;
}
Writer& Writer::value(double v) {
    tree_->place(std::isfinite(v) ? Json(v) : Json(nullptr));
    return *this;
}
Writer& Writer::value(bool v) {
    tree_->place(Json(v));
    return *this;
}
Writer& Writer::null() {
    tree_->place(Json(nullptr));
    return *this;
}
const std::string& Writer::str() const {
    out_ = tree_->has_root ? dump(tree_->root) : std::string();
    return out_;
}

}  // namespace latentscape::json
