// decorum/base/diagnostic.hpp — entry points: `diagnostic`, `source_file`, `format_diagnostic`.
// One diagnostic type for every stage (YAML loading, expression parsing, type checking,
// log reading): where something is wrong, how bad, and why, printed the way compilers do
// (`rules/x.yaml:12:7: error: …` plus the source line and a caret) so editors can jump to it.
#pragma once

#include "decorum/base/diagnostic_codes.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace decorum {

/// How bad a diagnostic is: an error makes the rulebook invalid, a warning does not.
enum class severity : std::uint8_t { error, warning, note };

/// The lower-case name of a severity as printed ("error", "warning", "note").
std::string_view to_string(severity s) noexcept;

/// A 1-based line and column; the column counts Unicode characters, not bytes, so a
/// position after Chinese text points where an editor's cursor would be. 0 means "unknown".
struct source_pos {
  std::uint32_t line = 0;    ///< 1-based line, 0 when unknown
  std::uint32_t column = 0;  ///< 1-based column in characters, 0 when unknown
  friend bool operator==(const source_pos&, const source_pos&) = default;
};

/// A file's text with an index of line starts, shared by every diagnostic about it so a
/// caret can be printed under the offending token long after parsing finished.
class source_file {
 public:
  /// Takes the file's name as the user gave it and its whole text.
  source_file(std::string name, std::string text);
  /// The name as given on the command line (printed in diagnostics).
  const std::string& name() const noexcept { return name_; }
  /// The whole text.
  const std::string& text() const noexcept { return text_; }
  /// The 1-based line and character column of a byte offset (clamped to the text).
  source_pos position_of(std::size_t byte_offset) const noexcept;
  /// The byte offset of a 1-based position (the end of the line when the column is past it).
  std::size_t offset_of(source_pos pos) const noexcept;
  /// The text of a 1-based line, without its line break; empty when out of range.
  std::string_view line_text(std::uint32_t line) const noexcept;
  /// How many lines the text has.
  std::uint32_t line_count() const noexcept { return static_cast<std::uint32_t>(line_starts_.size()); }

 private:
  /// A place in a long line where decoding from the line's start arrives, with its column:
  /// position lookups start from the nearest one, so a long line (a 100,000-phrase flow
  /// list) costs a bounded walk per lookup, not one from the line's start.
  struct checkpoint {
    std::size_t offset;
    std::uint32_t column;
  };
  /// The last checkpoint at or before `off` in the line starting at `line_start`, or the
  /// line's start.
  checkpoint nearest_checkpoint(std::size_t line_start, std::size_t off) const noexcept;

  std::string name_;
  std::string text_;
  std::vector<std::size_t> line_starts_;
  std::vector<checkpoint> checkpoints_;  // sorted by offset; only in lines longer than a stride
};

/// One finding about an input: severity, file, 1-based line and column, message, and the
/// stable code (docs/diagnostics.md) and end of the offending token where they are known.
struct diagnostic {
  decorum::severity severity = severity::error;  ///< error, warning or note
  std::string file;                              ///< the file as named by the user
  source_pos pos;                                ///< where; line 0 when the whole file is meant
  std::string message;                           ///< what is wrong, in one sentence, lower case
  std::shared_ptr<const source_file> source;     ///< for printing the line and caret; may be null
  diag_code code = diag_code::none;              ///< the stable code (`D203`); none for uncoded ones
  /// Just past the offending token (exclusive, as SARIF's endColumn), on `pos`'s line; line 0
  /// when the token's extent is not known.
  source_pos end = {};
};

/// Formats one diagnostic as `file:line:col: severity[CODE]: message` (`[CODE]` only when it
/// has one), followed, when the source is known, by the source line and a caret under the
/// column, extended with `~` to the token's end when known (aligned by display width, so it
/// sits under the right characters after Chinese text).
std::string format_diagnostic(const diagnostic& d, bool with_source_line = true);

/// The diagnostic's end when it is a usable one: on its line and past its start; else {0, 0}.
source_pos valid_end(const diagnostic& d) noexcept;

/// Formats a list of diagnostics as a JSON array of `{"file","line","column","end_line",
/// "end_column","severity","code","message"}` objects (end 0 and code null when unknown).
std::string diagnostics_to_json(const std::vector<diagnostic>& ds);

/// Orders diagnostics by line and column, keeping the order of equal positions: the order
/// a compiler reports in, whatever stage found each problem.
void sort_by_position(std::vector<diagnostic>& ds);

/// True when any diagnostic in the list is an error.
bool has_errors(const std::vector<diagnostic>& ds) noexcept;

namespace detail {
/// Display width of a code point in a terminal: 2 for East Asian wide and full-width
/// characters, 0 for combining marks, 1 otherwise.
int display_width(char32_t c) noexcept;
/// Display width of a UTF-8 string (invalid bytes count 1).
int display_width(std::string_view utf8) noexcept;
/// Decodes one UTF-8 character at `s[i]`; advances `i`; returns U+FFFD and advances by
/// one byte on an invalid sequence, so callers never loop forever on bad input.
char32_t decode_utf8(std::string_view s, std::size_t& i) noexcept;
/// The byte offset of the first invalid UTF-8 sequence, or npos when the text is valid.
std::size_t find_invalid_utf8(std::string_view s) noexcept;
/// Escapes a string for a JSON string literal (without the quotes).
void append_json_escaped(std::string& out, std::string_view s);
}  // namespace detail

}  // namespace decorum
