// decorum/read/appeals.hpp — entry points: `read_appeals`, `parse_appeals`. Reads the appeals
// of SPEC §10 (JSON Lines or CSV, the logs' encodings and line numbering) into checked values:
// every malformed line is a located diagnostic, and all of them are collected, since appeals
// change pay and a run applies all of them or none.
#pragma once

#include "decorum/base/diagnostic.hpp"
#include "decorum/read/read.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace decorum {

/// What a reviewer decided about a contested finding (SPEC §10).
enum class appeal_decision : std::uint8_t {
  void_finding,  ///< `void`: the finding is removed as if the rule had not fired
  upheld,        ///< `upheld`: the finding stands; the decision is recorded
};

/// One appeal: which finding (a rule and a record id, or a rule, an employee and a window),
/// what was decided, by whom and why, and where the appeal was written.
struct appeal {
  std::string rule;                ///< the rule id as written
  std::string record;              ///< the `id` of the record the finding is on (or empty)
  std::string employee, window;    ///< a window finding's employee and window (or empty)
  appeal_decision decision = appeal_decision::upheld;  ///< void or upheld
  std::string reviewer, reason;    ///< non-empty
  std::string time, note;          ///< optional: when it was decided (ISO time as written), a note
  std::string source;              ///< the appeals file as named by the user
  std::uint64_t line = 0;          ///< its line there (1-based; a CSV row's first line)
  /// The file's text, so a later diagnostic about this appeal (a duplicate) shows the line.
  std::shared_ptr<const source_file> text;
};

/// Appeals read from one file, or the reasons they could not be: every malformed line.
struct appeals_read {
  std::vector<appeal> appeals;       ///< in file order
  std::vector<diagnostic> errors;    ///< located; empty when the file was read whole
  /// True when every appeal was well-formed.
  bool ok() const noexcept { return errors.empty(); }
};

/// The text field of an appeal that `key` names (rule, record, employee, window, reviewer,
/// reason, time, note), or null for any other key (`decision` included: it is no text field).
std::string* appeal_text_field(appeal& a, std::string_view key) noexcept;

/// Completes an appeal whose fields were filled in from some source (a file, a rulebook test):
/// sets its decision from `decision` (`has_decision` false when none was given) and returns
/// what is wrong with it by SPEC §10, one message each; empty when it is well-formed.
std::vector<std::string> complete_appeal(appeal& a, std::string_view decision, bool has_decision);

/// Parses appeals from UTF-8 text (a leading BOM is ignored). JSON Lines: one object per
/// non-blank line. CSV: a header naming the columns (rule, record, employee, window,
/// decision, reviewer, reason, time, note — any order, unknown ones refused), then one row per
/// appeal.
appeals_read parse_appeals(std::string name, std::string text, input_format format);

/// Reads an appeals file: the format from its extension (as logs) unless given, the bytes
/// transcoded from `encoding`; a file that cannot be read is one error naming it.
appeals_read read_appeals(const std::string& path, text_encoding encoding = text_encoding::utf8,
                          std::optional<input_format> format = std::nullopt);

}  // namespace decorum
