#pragma once
/// @file Error types shared by the core library.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace latentscape {

/// `text` (bytes from a file, a path, a name) made safe to show in a message on a terminal or in
/// JSON: valid UTF-8 and printable characters are kept; control characters (NUL, ESC, newlines,
/// C1 controls, DEL) and bytes that are not valid UTF-8 become visible escapes ("\x1b", "\x00",
/// "\xff"). A NUL no longer cuts a message short, an ANSI escape no longer recolours the terminal,
/// and the message is always valid UTF-8.
std::string printable(std::string_view text);

/// Bad input found while reading a file: names the file, where (line or byte offset) and why.
/// what() reads like a compiler diagnostic: "data.csv:12: ragged row: 3 fields, expected 4".
class LoadError : public std::runtime_error {
public:
    /// @param file   the path as the user gave it (kept as is in file(); shown printable in what())
    /// @param cause  what is wrong, phrased so the user can act on it; file content quoted in it
    ///               is made printable (see printable()) in cause() and what()
    /// @param line   1-based line number for text formats, if known
    /// @param offset byte offset for binary formats, if known
    LoadError(std::string file, std::string cause, std::optional<std::int64_t> line = std::nullopt,
              std::optional<std::int64_t> offset = std::nullopt);

    const std::string& file() const noexcept { return file_; }
    const std::string& cause() const noexcept { return cause_; }
    std::optional<std::int64_t> line() const noexcept { return line_; }
    std::optional<std::int64_t> offset() const noexcept { return offset_; }

private:
    std::string file_;
    std::string cause_;
    std::optional<std::int64_t> line_;
    std::optional<std::int64_t> offset_;
};

/// A text table has missing feature cells and the caller chose no policy for them.
/// Distinct type so that a GUI can offer the choice (drop rows / impute) and retry.
class MissingValuesError : public LoadError {
public:
    MissingValuesError(std::string file, std::string cause, std::int64_t line, std::int64_t cells,
                       std::int64_t rows);
    std::int64_t missing_cells() const noexcept { return cells_; }
    std::int64_t affected_rows() const noexcept { return rows_; }

private:
    std::int64_t cells_;
    std::int64_t rows_;
};

}  // namespace latentscape
