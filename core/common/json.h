#pragma once
/// @file The JSON writer for machine-readable CLI and bench output: an incremental interface over
/// nlohmann::json (Debian's nlohmann-json3-dev), so escaping, numbers and UTF-8 are the library's.

#include <cstdint>
#include <string>
#include <string_view>
#include <memory>

namespace latentscape::json {

/// `s` as a quoted JSON string with the required escapes (bytes that are not valid UTF-8 become
/// U+FFFD, so the result is always valid JSON).
std::string quote(std::string_view s);

/// Builds one JSON value incrementally: objects and arrays nest; commas are placed for you.
///   Writer w; w.begin_object(); w.key("rows"); w.value(3); w.end_object(); w.str();
/// Strings may hold any bytes (paths, column names from files): invalid UTF-8 is written as
/// U+FFFD and control characters are escaped, so str() is always valid JSON.
class Writer {
public:
    Writer();
    ~Writer();
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;

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
    /// The document written so far, compact (containers still open are shown closed).
    const std::string& str() const;

private:
    struct Tree;
    std::unique_ptr<Tree> tree_;
    mutable std::string out_;
};

}  // namespace latentscape::json
