#include "common/json.h"

#include <cmath>
#include <cstdio>

namespace latentscape::json {

std::string quote(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 2);
    out += '"';
    for (unsigned char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default:
                if (c < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += char(c);
                }
        }
    }
    out += '"';
    return out;
}

void Writer::separate() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (!first_.empty()) {
        if (!first_.back()) out_ += ',';
        first_.back() = false;
    }
}

Writer& Writer::begin_object() {
    separate();
    out_ += '{';
    first_.push_back(true);
    return *this;
}
Writer& Writer::end_object() {
    out_ += '}';
    first_.pop_back();
    return *this;
}
Writer& Writer::begin_array() {
    separate();
    out_ += '[';
    first_.push_back(true);
    return *this;
}
Writer& Writer::end_array() {
    out_ += ']';
    first_.pop_back();
    return *this;
}
Writer& Writer::key(std::string_view k) {
    separate();
    out_ += quote(k);
    out_ += ':';
    after_key_ = true;
    return *this;
}
Writer& Writer::value(std::string_view s) {
    separate();
    out_ += quote(s);
    return *this;
}
Writer& Writer::value(std::int64_t v) {
    separate();
    out_ += std::to_string(v);
    return *this;
}
Writer& Writer::value(double v) {
    separate();
    if (!std::isfinite(v)) {
        out_ += "null";
        return *this;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    out_ += buf;
    return *this;
}
Writer& Writer::value(bool v) {
    separate();
    out_ += v ? "true" : "false";
    return *this;
}
Writer& Writer::null() {
    separate();
    out_ += "null";
    return *this;
}

}  // namespace latentscape::json
