// decorum/base/diagnostic_codes.hpp — entry points: `diag_code`, `code_info`, `all_codes`.
// The stable codes of decorum's diagnostics (D1xx loading, D2xx expressions and types, D3xx
// warnings, D4xx rulebook tests, D5xx appeals files). The codes are a promise to scripts and
// CI annotations, so a code is never renumbered or reused; its title, explanation and
// examples live in one table (src/base/diagnostic_codes.cpp) that `decorum check --explain`,
// the SARIF rules and docs/diagnostics.md all come from.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace decorum {

// Every code, once: X(enumerator, number). The table in diagnostic_codes.cpp has one row
// per line here, in this order (a test checks).
#define DECORUM_DIAGNOSTIC_CODES(X) \
  X(yaml_syntax, 101)               \
  X(bad_encoding, 102)              \
  X(cannot_read, 103)               \
  X(too_large, 104)                 \
  X(bad_document, 105)              \
  X(unknown_key, 110)               \
  X(duplicate_key, 111)             \
  X(wrong_type, 112)                \
  X(missing_key, 113)               \
  X(bad_value, 114)                 \
  X(bad_name, 115)                  \
  X(duplicate_id, 116)              \
  X(conflicting_keys, 117)          \
  X(reserved_field, 118)            \
  X(overlapping_versions, 119)      \
  X(expression_syntax, 201)         \
  X(unknown_field, 202)             \
  X(type_mismatch, 203)             \
  X(unknown_function, 204)          \
  X(wrong_arity, 205)               \
  X(unknown_phrase_set, 206)        \
  X(phrase_set_misuse, 207)         \
  X(not_enum_value, 208)            \
  X(aggregate_misuse, 209)          \
  X(unknown_kind, 210)              \
  X(bad_literal, 211)               \
  X(no_effect, 212)                 \
  X(bad_match_field, 213)           \
  X(empty_phrase, 214)              \
  X(constant_overflow, 215)         \
  X(phrase_set_limit, 216)          \
  X(unused_phrase_set, 301)         \
  X(duplicate_phrase, 302)          \
  X(empty_phrase_set, 303)          \
  X(unreachable_grade, 304)         \
  X(never_fires, 305)               \
  X(test_rulebook_missing, 401)     \
  X(appeal_syntax, 501)             \
  X(appeal_unknown_key, 502)        \
  X(appeal_bad_value, 503)           \
  X(appeal_duplicate, 504)

/// A diagnostic's stable code; the number is the one printed (`D203`). `none` for
/// diagnostics that have no code (log reading, API misuse).
enum class diag_code : std::uint16_t {
  none = 0,
#define DECORUM_DIAG_ENUM(name, number) name = number,
  DECORUM_DIAGNOSTIC_CODES(DECORUM_DIAG_ENUM)
#undef DECORUM_DIAG_ENUM
};

/// One row of the code table: what `--explain` prints and the SARIF rule describes.
struct code_info {
  diag_code code = diag_code::none;  ///< the code
  std::string_view title;            ///< a few words, lower case ("unknown key")
  std::string_view explanation;      ///< a paragraph: what is wrong and how to fix it
  std::string_view wrong;            ///< a rulebook fragment (YAML) that gets the code
  std::string_view right;            ///< the same fragment, corrected
};

/// Every code, in number order.
std::span<const code_info> all_codes() noexcept;

/// The table row of a code; null for `none` (or a number not in the table).
const code_info* find_code(diag_code c) noexcept;

/// The printed name of a code, `D203`; empty for `none`.
std::string code_name(diag_code c);

/// Parses `D203` (or `d203`) to a code in the table; nullopt otherwise.
std::optional<diag_code> parse_code(std::string_view name) noexcept;

/// The anchor of a code in docs/diagnostics.md (`d203`), so links and the SARIF helpUri agree.
std::string code_anchor(diag_code c);

/// Formats what `decorum check --explain CODE` prints: title, explanation and both examples.
std::string explain_code(const code_info& info);

/// The whole of docs/diagnostics.md, generated from the table (a test compares the file).
std::string diagnostics_markdown();

}  // namespace decorum
