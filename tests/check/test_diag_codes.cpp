// tests/check/test_diag_codes.cpp — the stable codes and token ends of rulebook diagnostics
// (issue 16): broken rulebooks, one mistake each, and the code, position and end (exclusive
// column, 0 when the token's extent is not known) each must draw. Columns are worked out by
// hand from the text below: `    when: ` is 10 columns, so an expression starts in column 11.
#include "decorum/base/diagnostic.hpp"
#include "decorum/compile/compile.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace decorum;

namespace {

/// A rulebook with kinds `call {rings: int, opening: text, badge: [left, right]}` and
/// `visit {}`, phrase set `greet`, and rule `a` on call whose lines follow (line 9 on).
std::string with_rule(const std::string& rule_lines) {
  return "decorum: 1\n"                                                   // 1
         "name: t\n"                                                      // 2
         "records:\n"                                                     // 3
         "  call: {rings: int, opening: text, badge: [left, right]}\n"   // 4
         "  visit: {}\n"                                                  // 5
         "phrases:\n"                                                     // 6
         "  greet: [您好]\n"                                              // 7
         "rules:\n"                                                       // 8
         + rule_lines;
}

struct row {
  const char* what;
  std::string text;
  diag_code code;
  source_pos pos;
  std::uint32_t end_column;  // 0: no end
};

}  // namespace

TEST_CASE("diagnostic codes: each broken rulebook draws its code, position and end") {
  const std::string use = "    when: contains(opening, phrases.greet)\n";  // keeps `greet` used
  const std::vector<row> rows = {
      {"malformed YAML", "decorum: 1\nname: [a\n", diag_code::yaml_syntax, {3, 1}, 0},
      {"tab indentation", "decorum: 1\nrules:\n\t- id: a\n", diag_code::yaml_syntax, {3, 1}, 0},
      {"empty file", "\n", diag_code::bad_document, {0, 0}, 0},
      {"invalid UTF-8", "decorum: 1\nname: \xff\n", diag_code::bad_encoding, {2, 7}, 0},
      {"unknown top-level key", with_rule("  - id: a\n    on: call\n" + use + "    deduct: 5\ntitels: x\n"),
       diag_code::unknown_key, {13, 1}, 7},
      {"unknown rule key", with_rule("  - id: a\n    on: call\n" + use + "    deduc: 5\n"), diag_code::unknown_key,
       {12, 5}, 10},
      {"duplicate key", with_rule("  - id: a\n    on: call\n" + use + "    deduct: 5\n    deduct: 6\n"),
       diag_code::duplicate_key, {13, 5}, 11},
      {"wrong type", "decorum: 1\nname: t\nrecords: [a]\nrules: []\n", diag_code::wrong_type, {3, 10}, 0},
      {"missing key", with_rule("  - id: a\n" + use + "    deduct: 5\n"), diag_code::missing_key, {9, 5}, 0},
      {"bad value", with_rule("  - id: a\n    on: call\n" + use + "    deduct: 5\n    severity: huge\n"),
       diag_code::bad_value, {13, 15}, 19},
      {"bad rule id", with_rule("  - id: Bad_ID\n    on: call\n" + use + "    deduct: 5\n"), diag_code::bad_name,
       {9, 9}, 15},
      {"duplicate rule id", with_rule("  - id: a\n    on: call\n" + use + "    deduct: 5\n  - id: a\n    on: call\n" +
                                      "    deduct: 1\n"),
       diag_code::duplicate_id, {13, 9}, 0},
      {"conflicting keys", with_rule("  - id: a\n    on: call\n" + use + "    deduct: 5\n    bonus: 1\n"),
       diag_code::conflicting_keys, {13, 5}, 10},
      {"reserved field", "decorum: 1\nname: t\nrecords:\n  call: {time: time}\nrules: []\n", diag_code::reserved_field,
       {4, 10}, 0},
      {"expression syntax", with_rule("  - id: a\n    on: call\n    when: rings > 2mm\n    deduct: 5\n"),
       diag_code::expression_syntax, {11, 19}, 0},
      {"unknown field", with_rule("  - id: a\n    on: call\n    when: ring > 3\n    deduct: 5\n"),
       diag_code::unknown_field, {11, 11}, 15},
      {"unknown field, quoted", with_rule("  - id: a\n    on: call\n    when: \"ring > 3\"\n    deduct: 5\n"),
       diag_code::unknown_field, {11, 12}, 16},
      {"unknown field after Chinese", with_rule("  - id: a\n    on: call\n    when: opening == \"您好\" and ring > 3\n"
                                                "    deduct: 5\n"),
       diag_code::unknown_field, {11, 31}, 35},
      {"type mismatch", with_rule("  - id: a\n    on: call\n    when: rings == \"3\"\n    deduct: 5\n"),
       diag_code::type_mismatch, {11, 17}, 0},
      {"argument type", with_rule("  - id: a\n    on: call\n    when: clock(rings) > 08:00\n    deduct: 5\n"),
       diag_code::type_mismatch, {11, 17}, 22},
      {"unknown function", with_rule("  - id: a\n    on: call\n    when: startswith(opening, phrases.greet)\n"
                                     "    deduct: 5\n"),
       diag_code::unknown_function, {11, 11}, 21},
      {"wrong arity", with_rule("  - id: a\n    on: call\n    when: contains(opening)\n    deduct: 5\n" + use.substr(0, 0) +
                                "  - id: b\n    on: call\n" + use + "    deduct: 1\n"),
       diag_code::wrong_arity, {11, 11}, 19},
      {"unknown phrase set", with_rule("  - id: a\n    on: call\n" + use + "    deduct: 5\n  - id: b\n    on: call\n" +
                                       "    when: contains(opening, phrases.greed)\n    deduct: 1\n"),
       diag_code::unknown_phrase_set, {15, 29}, 42},
      {"phrase set as a value", with_rule("  - id: a\n    on: call\n    when: phrases.greet\n    deduct: 5\n"),
       diag_code::phrase_set_misuse, {11, 11}, 24},
      {"not an enum value", with_rule("  - id: a\n    on: call\n" + use + "    deduct: 5\n  - id: b\n    on: call\n" +
                                      "    when: badge == \"middle\"\n    deduct: 1\n"),
       diag_code::not_enum_value, {15, 20}, 28},
      {"aggregate outside a window rule", with_rule("  - id: a\n    on: call\n    when: count(rings > 3) > 2\n" +
                                                    use.substr(0, 0) + "    deduct: 5\n  - id: b\n    on: call\n" + use +
                                                    "    deduct: 1\n"),
       diag_code::aggregate_misuse, {11, 11}, 16},
      {"unknown record kind", with_rule("  - id: a\n    on: calll\n" + use + "    deduct: 5\n"),
       diag_code::unknown_kind, {10, 9}, 14},
      {"rule without effect", with_rule("  - id: a\n    on: call\n" + use), diag_code::no_effect, {9, 5}, 0},
      {"unused phrase set", with_rule("  - id: a\n    on: call\n    when: rings > 3\n    deduct: 5\n"),
       diag_code::unused_phrase_set, {7, 3}, 0},
      {"unreachable grade",
       "decorum: 1\nname: t\nscoring:\n  grades:\n    - {min: 60, grade: C}\n    - {min: 90, grade: A}\nrecords:\n"
       "  call: {rings: int}\nrules:\n  - id: a\n    on: call\n    deduct: 5\n",
       diag_code::unreachable_grade, {6, 7}, 0},
  };
  for (const auto& r : rows) {
    INFO(std::string(r.what));
    std::vector<diagnostic> ds;
    (void)compile_rulebook("r.yaml", r.text, ds);
    sort_by_position(ds);
    REQUIRE_FALSE(ds.empty());
    std::string got;
    for (const auto& d : ds) got += format_diagnostic(d, false) + "\n";
    INFO(got);
    // The first diagnostic with the expected code.
    const diagnostic* hit = nullptr;
    for (const auto& d : ds)
      if (d.code == r.code) {
        hit = &d;
        break;
      }
    REQUIRE(hit != nullptr);
    CHECK(hit->pos == r.pos);
    CHECK(valid_end(*hit).column == r.end_column);
    if (r.end_column) CHECK(valid_end(*hit).line == r.pos.line);
    // Every diagnostic about a rulebook has a code.
    for (const auto& d : ds) CHECK(d.code != diag_code::none);
  }
}
