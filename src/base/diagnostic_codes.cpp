// src/base/diagnostic_codes.cpp — entry points: all_codes, explain_code, diagnostics_markdown.
// The one table of diagnostic codes: title, explanation and a wrong and a corrected rulebook
// fragment for each. `decorum check --explain`, the SARIF `rules` array and
// docs/diagnostics.md are all printed from here, so they cannot drift apart.
#include "decorum/base/diagnostic_codes.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace decorum {

namespace {

using enum diag_code;

// One row per code, in the order of DECORUM_DIAGNOSTIC_CODES (a static_assert and a test check).
constexpr std::array table{
    code_info{yaml_syntax, "malformed YAML",
              "The file is not valid YAML: a stray character, an unclosed bracket or quote, a tab in the "
              "indentation, or nesting deeper than 100 levels. The position is where the YAML parser gave up; "
              "the mistake is there or just before it.",
              "rules:\n  - id: a\n\ton: phone_call", "rules:\n  - id: a\n    on: phone_call"},
    code_info{bad_encoding, "not UTF-8",
              "Rulebooks, test files and appeals files are read as UTF-8. The position is the first byte that "
              "is not valid UTF-8; save the file as UTF-8 (without changing its text).",
              "title: <the bytes of 错误 in GBK>", "title: 错误"},
    code_info{cannot_read, "cannot read the file",
              "The file does not exist, is a directory, or could not be read (an appeals file also when it is "
              "too large or in an encoding decorum cannot decode). Check the path as given on the command line "
              "(relative to the current directory).",
              "decorum check rules/missing.yaml", "decorum check rules/present.yaml"},
    code_info{too_large, "file too large",
              "A rulebook may be at most 8 MiB and hold a bounded number of YAML values, and aliases may not "
              "expand it far beyond its text. Split a generated rulebook, or do not build it from "
              "exponential aliases.",
              "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]  # ... doubling 40 times",
              "phrases:\n  greeting: [您好, 早上好]"},
    code_info{bad_document, "empty or several documents",
              "A rulebook is exactly one YAML document that is a mapping. An empty file, a file of comments, or "
              "a file with several `---` documents is not a rulebook.",
              "decorum: 1\n---\nname: second", "decorum: 1\nname: shop"},
    code_info{unknown_key, "unknown key",
              "The key is not one this place of the rulebook takes. It is often a typo: the message suggests "
              "the nearest known key. Unknown keys are errors, not ignored, so a misspelt `deduct` cannot "
              "silently make a rule free.",
              "rules:\n  - id: a\n    on: phone_call\n    deduc: 10",
              "rules:\n  - id: a\n    on: phone_call\n    deduct: 10"},
    code_info{duplicate_key, "duplicate key",
              "A mapping names the same key twice. YAML would keep only one of the values; decorum reports it "
              "so that neither is lost unseen.",
              "  - id: a\n    deduct: 5\n    deduct: 10", "  - id: a\n    deduct: 10"},
    code_info{wrong_type, "wrong kind of YAML value",
              "A mapping was expected and a list or a single value was given, or the other way round (for "
              "example `records` must be a mapping of kinds, `rules` a list of rules).",
              "rules:\n  id: a\n  on: phone_call", "rules:\n  - id: a\n    on: phone_call"},
    code_info{missing_key, "missing key",
              "A required key is absent: `decorum`, `name`, `records` and `rules` at the top; `id` and `on` in a "
              "rule; `min` and `grade` in a grade band; `type` in a long-hand field; `rulebook` and `tests` in "
              "a test file.",
              "rules:\n  - id: a\n    deduct: 5", "rules:\n  - id: a\n    on: phone_call\n    deduct: 5"},
    code_info{bad_value, "invalid value",
              "The value has the right shape but is not allowed: a number where a number must be, not negative, "
              "with at most 2 decimal places for points; one of the listed words for `period`, `per` or "
              "`severity`; a date as YYYY-MM-DD; a supported format version.",
              "scoring:\n  period: monthly", "scoring:\n  period: month"},
    code_info{bad_name, "invalid name",
              "Rule ids and the rulebook name match [a-z0-9][a-z0-9._-]*; record kinds, fields and phrase "
              "sets are names of letters, digits and '_', so expressions can name them.",
              "  - id: Bad_ID", "  - id: dress.badge"},
    code_info{duplicate_id, "duplicate id or value",
              "Two rules have the same id (without `effective` ranges that make them versions of one rule), or "
              "an enum field lists a value twice. Ids name findings in reports, so they must be unique.",
              "  - id: dress.badge\n    on: dress_check\n  - id: dress.badge\n    on: dress_check",
              "  - id: dress.badge\n    on: dress_check\n  - id: dress.badge-color\n    on: dress_check"},
    code_info{conflicting_keys, "keys that do not belong together",
              "A rule takes at most one of deduct, bonus and points; a window rule (`per`) takes `where` and "
              "`active`, a deadline rule (`until`) takes `match` and `within`, and a rule cannot be both.",
              "  - id: a\n    on: phone_call\n    deduct: 5\n    bonus: 5",
              "  - id: a\n    on: phone_call\n    deduct: 5"},
    code_info{reserved_field, "standard field declared",
              "`employee`, `time` and the other standard fields belong to every record; a record kind cannot "
              "declare them again.",
              "records:\n  phone_call:\n    time: time\n    rings: int", "records:\n  phone_call:\n    rings: int"},
    code_info{overlapping_versions, "rule versions overlap",
              "Versions of one rule (the same id) must have `effective` ranges that do not overlap and must all "
              "be on the same record kind, so exactly one version judges each record.",
              "  - id: a\n    effective: {from: 2024-01-01}\n  - id: a\n    effective: {from: 2024-06-01}",
              "  - id: a\n    effective: {from: 2024-01-01, until: 2024-06-01}\n  - id: a\n    effective: {from: "
              "2024-06-01}"},
    code_info{expression_syntax, "expression syntax error",
              "An expression (`when`, `times`, `points`, `where`, …) does not parse: a missing operand, an "
              "unclosed parenthesis, a number glued to a word. The caret is where the parser stopped.",
              "    when: nail_length_mm > 2mm", "    when: nail_length_mm > 2"},
    code_info{unknown_field, "unknown field",
              "The expression names a field its record kind does not declare (and that is not a standard "
              "field). The message suggests the nearest declared one.",
              "    on: phone_call\n    when: ring > 3", "    on: phone_call\n    when: rings > 3"},
    code_info{type_mismatch, "type mismatch",
              "An operator or function got operands of the wrong type: comparing a number with text, `and` on "
              "a number, an argument that must be a time given a duration, a `when` that is not a bool.",
              "    when: rings == \"3\"", "    when: rings == 3"},
    code_info{unknown_function, "unknown function",
              "The expression calls a function decorum does not have. The message suggests the nearest one; "
              "SPEC §3 lists them all.",
              "    when: startswith(opening, phrases.greeting)",
              "    when: starts_with(opening, phrases.greeting)"},
    code_info{wrong_arity, "wrong number of arguments",
              "A function was called with more or fewer arguments than it takes.",
              "    when: contains(opening)", "    when: contains(opening, phrases.forbidden)"},
    code_info{unknown_phrase_set, "unknown phrase set",
              "`phrases.NAME` names a set the rulebook's `phrases` section does not define.",
              "    when: starts_with(opening, phrases.greting)", "    when: starts_with(opening, phrases.greeting)"},
    code_info{phrase_set_misuse, "phrase set used as a value",
              "A phrase set is not a value: it goes only with contains, starts_with, ends_with, count or `in`.",
              "    when: opening == phrases.greeting", "    when: opening in phrases.greeting"},
    code_info{not_enum_value, "not a value of the enum",
              "The text compared with an enum field is not one of the values the field declares, so the "
              "comparison could never be true.",
              "    when: badge == \"left\"", "    when: badge == \"left_chest\""},
    code_info{aggregate_misuse, "aggregate misused",
              "Aggregates (count, sum, avg, …) read a window's records: only a window rule (one with `per`) may "
              "use them, not inside `where` nor inside another aggregate; and a window rule reads fields only "
              "through them.",
              "  - id: a\n    on: phone_call\n    when: count(rings > 3) > 2",
              "  - id: a\n    on: phone_call\n    per: day\n    when: count(rings > 3) > 2"},
    code_info{unknown_kind, "unknown record kind",
              "`on`, `active` or `until` names a record kind the `records` section does not declare.",
              "    on: phone_cal", "    on: phone_call"},
    code_info{bad_literal, "invalid literal",
              "A number is out of range or has more than 6 decimal places, or a date, time or duration literal "
              "is not a valid one.",
              "    when: clock(time) > 25:00", "    when: clock(time) > 23:00"},
    code_info{no_effect, "rule has no effect",
              "A rule must change a score or flag something: give it deduct, bonus, points, fine or flag. A "
              "`cap` needs points to cap.",
              "  - id: a\n    on: phone_call\n    when: rings > 3",
              "  - id: a\n    on: phone_call\n    when: rings > 3\n    deduct: 5"},
    code_info{bad_match_field, "deadline match field",
              "A deadline rule's `match` names the field that pairs a record with the one that closes it: both "
              "kinds must declare it, with one type.",
              "    on: complaint\n    until: callback\n    match: ticket_no", "    on: complaint\n    until: "
                                                                               "callback\n    match: ticket"},
    code_info{empty_phrase, "empty phrase",
              "An empty phrase or an empty search string would match every text, which is never what a rule "
              "means.",
              "phrases:\n  greeting: [您好, \"\"]", "phrases:\n  greeting: [您好]"},
    code_info{constant_overflow, "constant overflows",
              "Arithmetic on constants in an expression exceeds decorum's exact decimal range (about ±9.2 "
              "trillion, 6 decimal places); it would make the rule silently do nothing.",
              "    points: 999999999 * 999999999", "    points: 10"},
    code_info{phrase_set_limit, "phrase set too large",
              "A phrase set is larger than the phrase matcher can build into one automaton. The limits are far "
              "beyond any hand-written rulebook; split a generated set into several.",
              "phrases:\n  forbidden: [<millions of phrases>]", "phrases:\n  forbidden_a: [...]\n  forbidden_b: [...]"},
    code_info{unused_phrase_set, "phrase set never used",
              "A phrase set is defined but no expression uses it: a leftover, or a rule that names the wrong set.",
              "phrases:\n  spare: [再见]", "# no set that nothing uses"},
    code_info{duplicate_phrase, "duplicate phrase",
              "A phrase set lists the same phrase twice; the second changes nothing.",
              "phrases:\n  greeting: [您好, 早上好, 您好]", "phrases:\n  greeting: [您好, 早上好]"},
    code_info{empty_phrase_set, "empty phrase set",
              "A phrase set lists no phrases, so nothing ever contains it.", "phrases:\n  greeting: []",
              "phrases:\n  greeting: [您好]"},
    code_info{unreachable_grade, "grade band never reached",
              "Grade bands are tried from the first; a band whose min is not below an earlier band's, above the "
              "ceiling or below the floor can never be given. List bands from the highest min down.",
              "  grades:\n    - {min: 60, grade: C}\n    - {min: 90, grade: A}",
              "  grades:\n    - {min: 90, grade: A}\n    - {min: 60, grade: C}"},
    code_info{never_fires, "rule can never fire",
              "The rule's `when` (or `times`) works out to the same value for every record: always false or "
              "null, so the rule never finds anything. Often a comparison of a constant, or an enum value "
              "compared with a field of another kind.",
              "    when: 1 > 2", "    when: rings > 2"},
    code_info{test_rulebook_missing, "test's rulebook not found",
              "A rulebook test file's `rulebook:` path (relative to the test file) does not name a readable "
              "file.",
              "rulebook: rule.yaml", "rulebook: ../rules.yaml"},
    code_info{appeal_syntax, "malformed appeals file",
              "A line of a JSON Lines appeals file is not a JSON object, or a CSV appeals file has no header, an "
              "unterminated quote or a row of the wrong width.",
              "{\"rule\": \"a\", \"record\": \"r1\",",
              "{\"rule\": \"a\", \"record\": \"r1\", \"decision\": \"void\", \"reviewer\": \"li\", \"reason\": "
              "\"camera fault\"}"},
    code_info{appeal_unknown_key, "unknown appeal key",
              "An appeal has a key (JSON) or column (CSV) that appeals do not take, or names one twice.",
              "{\"rule\": \"a\", \"recrod\": \"r1\"}", "{\"rule\": \"a\", \"record\": \"r1\"}"},
    code_info{appeal_bad_value, "invalid appeal value",
              "A value of an appeal is of the wrong type or not allowed (a decision other than the ones SPEC "
              "§10 lists, a time that is not a time).",
              "{\"decision\": \"maybe\"}", "{\"decision\": \"upheld\"}"},
    code_info{appeal_duplicate, "second appeal for one finding",
              "Two appeals (in one file or across the files given) name the same finding: the same rule and "
              "record, or the same rule, employee and window. A finding is decided once; keep the one that "
              "stands.",
              "{\"rule\": \"a\", \"record\": \"r1\", \"decision\": \"upheld\"}\n"
              "{\"rule\": \"a\", \"record\": \"r1\", \"decision\": \"void\"}",
              "{\"rule\": \"a\", \"record\": \"r1\", \"decision\": \"void\"}"},
};

#define DECORUM_DIAG_COUNT(name, number) +1
static_assert(table.size() == 0 DECORUM_DIAGNOSTIC_CODES(DECORUM_DIAG_COUNT), "one table row per code");
#undef DECORUM_DIAG_COUNT

/// Indents every line of a fragment by four spaces (a Markdown code block inside a list would
/// not need it, but plain text output reads better indented).
std::string indent(std::string_view s, std::string_view by) {
  std::string out;
  std::size_t b = 0;
  while (b <= s.size()) {
    std::size_t e = s.find('\n', b);
    if (e == std::string_view::npos) e = s.size();
    out.append(by).append(s.substr(b, e - b)).append("\n");
    b = e + 1;
  }
  return out;
}

}  // namespace

std::span<const code_info> all_codes() noexcept { return table; }

const code_info* find_code(diag_code c) noexcept {
  auto it = std::find_if(table.begin(), table.end(), [c](const code_info& i) { return i.code == c; });
  return it == table.end() ? nullptr : &*it;
}

std::string code_name(diag_code c) {
  if (c == diag_code::none) return {};
  return fmt::format("D{:03}", static_cast<unsigned>(c));
}

std::string code_anchor(diag_code c) {
  std::string n = code_name(c);
  if (!n.empty()) n[0] = 'd';
  return n;
}

std::optional<diag_code> parse_code(std::string_view name) noexcept {
  if (name.size() != 4 || (name[0] != 'D' && name[0] != 'd')) return std::nullopt;
  unsigned n = 0;
  for (char ch : name.substr(1)) {
    if (!std::isdigit(static_cast<unsigned char>(ch))) return std::nullopt;
    n = n * 10 + static_cast<unsigned>(ch - '0');
  }
  const auto c = static_cast<diag_code>(n);
  if (!find_code(c)) return std::nullopt;
  return c;
}

std::string explain_code(const code_info& info) {
  std::string out = fmt::format("{}: {}\n\n{}\n\nWrong:\n\n", code_name(info.code), info.title, info.explanation);
  out += indent(info.wrong, "    ");
  out += "\nRight:\n\n";
  out += indent(info.right, "    ");
  return out;
}

std::string diagnostics_markdown() {
  std::string out =
      "# Diagnostics\n\n"
      "<!-- Generated from src/base/diagnostic_codes.cpp; tests/base/test_diagnostic_codes.cpp fails when\n"
      "     this file and the table disagree (DECORUM_UPDATE_GOLDEN=1 rewrites it). -->\n\n"
      "Every problem `decorum check` (and `decorum test`, `decorum score --appeals`) finds in a rulebook,\n"
      "a rulebook test file or an appeals file has a stable code: `D1xx` loading the YAML, `D2xx`\n"
      "expressions and types, `D3xx` warnings, `D4xx` rulebook tests, `D5xx` appeals files. A code is\n"
      "never renumbered or reused. `decorum check --explain CODE` prints the entry below.\n\n"
      "| code | title |\n| --- | --- |\n";
  for (const auto& i : table) out += fmt::format("| [{}](#{}) | {} |\n", code_name(i.code), code_anchor(i.code), i.title);
  for (const auto& i : table) {
    out += fmt::format("\n## {}\n\n**{}**\n\n{}\n\nWrong:\n\n```yaml\n{}\n```\n\nRight:\n\n```yaml\n{}\n```\n",
                       code_name(i.code), i.title, i.explanation, i.wrong, i.right);
  }
  return out;
}

}  // namespace decorum
