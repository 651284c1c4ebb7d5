#pragma once
/// @file A minimal JSON writer for machine-readable CLI output and session files.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace latentscape::json {

/// `s` as a quoted JSON string with the required escapes.
std::string quote(std::string_view s);

/// Builds one JSON value incrementally: objects and arrays nest; commas are placed for you.
///   Writer w; w.begin_object(); w.key("rows"); w.value(3); w.end_object(); w.str();
class Writer {
public:
    Writer& begin_object();
    Writer& end_object();
    Writer& begin_array();
    Writer& end_array();
    Writer& key(std::string_view k);
    Writer& value(std::string_view s);
    Writer& value(const char* s) { return value(std::string_view(s)); }
    Writer& value(const std::string& s) { return value(std::string_view(s)); }
    Writer& value(std::int64_t v);
    Writer& value(int v) { return value(std::int64_t(v)); }
    Writer& value(std::size_t v) { return value(std::int64_t(v)); }
    Writer& value(double v);  ///< non-finite values are written as null
    Writer& value(bool v);
    Writer& null();
    const std::string& str() const { return out_; }

private:
    void separate();
    std::string out_;
    std::vector<bool> first_;  ///< per open container: nothing written in it yet
    bool after_key_ = false;
};

}  // namespace latentscape::json
