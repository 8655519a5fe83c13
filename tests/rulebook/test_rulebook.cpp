// tests/rulebook/test_rulebook.cpp — doctest cases "rulebook: …". The YAML loader of SPEC §1
// (rulebook::load_rulebook / load_rulebook_file): every key accepted and read into the model;
// unknown keys at every level with did-you-mean; duplicate keys; missing required keys; wrong
// shapes; bad values; and the hostile inputs of issue #2 — malformed YAML, alias bombs,
// 10,000-deep nesting, a 10 MB file, invalid UTF-8, tabs in indentation, empty and
// comment-only files, a missing file and a directory — each with its exact diagnostic. Also
// unit tables for locate_in_scalar and did_you_mean. Lines and columns were counted by hand.
#include "decorum/compile/compile.hpp"
#include "decorum/base/diagnostic.hpp"
#include "decorum/rulebook/load.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "support/test_util.hpp"


using decorum::diagnostic;
using decorum::source_pos;
namespace rb = decorum::rulebook;

namespace {

/// Diagnostics in file order, one per line as `LINE:COL: severity: message` (line 0 when the
/// whole file is meant); a file other than t.yaml is named in brackets.
std::string render(std::vector<diagnostic> ds) { return decorum::test::render_diagnostics(std::move(ds)); }

/// The loader's diagnostics for a text (no type checking).
std::string load(const std::string& text) {
  std::vector<diagnostic> ds;
  rb::load_rulebook("t.yaml", text, ds);
  return render(std::move(ds));
}

/// All diagnostics, loader and checker, for a text.
std::string compile(const std::string& text) {
  std::vector<diagnostic> ds;
  decorum::compile_rulebook("t.yaml", text, ds);
  return render(std::move(ds));
}

std::string e(unsigned line, unsigned col, std::string_view msg) { return decorum::test::diag_line(line, col, msg); }

using decorum::test::repeat;

/// Lines 1–7 of a small rulebook; rule r continues on line 8.
constexpr std::string_view top =
    "decorum: 1\n"           // 1
    "name: t\n"              // 2
    "records:\n"             // 3
    "  call: {rings: int}\n" // 4
    "rules:\n"               // 5
    "  - id: r\n"            // 6
    "    on: call\n";        // 7

/// Lines 1–5 with an empty rule list, for tests about other sections (appended from line 6).
constexpr std::string_view bare =
    "decorum: 1\n"           // 1
    "name: t\n"              // 2
    "records:\n"             // 3
    "  call: {rings: int}\n" // 4
    "rules: []\n";           // 5

struct row {
  std::string_view name;
  std::string text;
  std::string expected;
};

void check_rows(const std::vector<row>& rows) {
  for (const auto& r : rows) {
    CAPTURE(r.name);
    CHECK(load(r.text) == r.expected);
  }
}

/// A fresh path in the temporary directory (test runs may overlap).
std::filesystem::path temp_path(std::string_view stem) {
  static std::mt19937_64 rng{std::random_device{}()};
  return std::filesystem::temp_directory_path() /
         (std::string(stem) + "-" + std::to_string(rng()) + ".yaml");
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Every key of SPEC §1.

namespace {

/// A rulebook using every key of SPEC §1.
std::string every_key_rulebook() {
  return
      "decorum: 1\n"                                               // 1
      "name: every-key.v1_0\n"                                     // 2
      "title: 物业客服部工作人员行为规范\n"                        // 3
      "scoring:\n"                                                 // 4
      "  base: 100\n"                                              // 5
      "  period: week\n"                                           // 6
      "  floor: 0\n"                                               // 7
      "  ceiling: 120.5\n"                                         // 8
      "  currency: EUR\n"                                          // 9
      "  grades:\n"                                                // 10
      "    - {min: 90, grade: A}\n"                                // 11
      "    - min: 60\n"                                            // 12
      "      grade: C\n"                                           // 13
      "records:\n"                                                 // 14
      "  phone_call:\n"                                            // 15
      "    rings: int\n"                                           // 16
      "    score: number\n"                                        // 17
      "    opening: text\n"                                        // 18
      "    private: bool\n"                                        // 19
      "    at: time\n"                                             // 20
      "    duration: duration\n"                                   // 21
      "    badge: [left_chest, elsewhere, missing]\n"              // 22
      "    level: {type: int, required: true, description: how bad}\n"  // 23
      "    kind2: {type: [a, b], required: false}\n"               // 24
      "  empty_kind:\n"                                            // 25
      "  incident: {type: [physical_conflict, quarrel]}\n"         // 26
      "phrases:\n"                                                 // 27
      "  greeting: [您好, 早上好]\n"                               // 28
      "  forbidden:\n"                                             // 29
      "    - 不知道\n"                                             // 30
      "    - \"喂,说话呀\"\n"                                      // 31
      "rules:\n"                                                   // 32
      "  - id: phone.three-rings\n"                                // 33
      "    title: 铃响三声以内必须接听电话\n"                      // 34
      "    description: answer quickly\n"                          // 35
      "    category: phone\n"                                      // 36
      "    ref: 行为规范 5.4.1\n"                                  // 37
      "    severity: major\n"                                      // 38
      "    on: phone_call\n"                                       // 39
      "    when: rings > 3\n"                                      // 40
      "    times: rings - 3\n"                                     // 41
      "    deduct: [10, 20, 50]\n"                                 // 42
      "    fine: 5\n"                                              // 43
      "    cap: 100\n"                                             // 44
      "    flag: slow-answer\n"                                    // 45
      "    roles: [receptionist, butler]\n"                        // 46
      "    enabled: false\n"                                       // 47
      "  - id: kpi\n"                                              // 48
      "    on: phone_call\n"                                       // 49
      "    when: contains(opening, phrases.greeting) or opening in phrases.forbidden\n"  // 50
      "    points: (25 - score) * 1000\n"                          // 51
      "  - id: bonus.rule\n"                                       // 52
      "    on: incident\n"                                         // 53
      "    bonus: 5\n"                                             // 54
      "    fine: [100, 200]\n"                                     // 55
      "    roles: receptionist\n"                                  // 56
      "    severity: minor\n"                                      // 57
      "  - id: critical\n"                                         // 58
      "    on: empty_kind\n"                                       // 59
      "    flag: review\n"                                         // 60
      "    severity: critical\n"                                   // 61
      "    enabled: true\n"                                        // 62
      "tests:\n"                                                   // 63
      "  - name: a fourth ring costs ten points\n"                 // 64
      "    records:\n"                                             // 65
      "      - {time: 2026-11-03T09:00:00+08:00, employee: E1, kind: phone_call, rings: 4}\n"  // 66
      "    expect:\n"                                              // 67
      "      - employee: E1\n"                                     // 68
      "        period: 2026-11\n"                                  // 69
      "        deductions: 10\n"                                   // 70
      "        rules: {phone.three-rings: 1}\n"                    // 71
      "        flags: [slow-answer]\n";                            // 72
}

}  // namespace

TEST_CASE("rulebook: every key of SPEC §1 is accepted and read into the model") {
  const std::string text = every_key_rulebook();
  std::vector<diagnostic> ds;
  rb::rulebook_model m = rb::load_rulebook("t.yaml", text, ds);
  CHECK(render(ds) == "");
  CHECK(compile(text) == "");

  CHECK(m.name == "every-key.v1_0");
  CHECK(m.title == "物业客服部工作人员行为规范");
  CHECK(m.scoring.base == *decorum::decimal::parse("100"));
  CHECK(m.scoring.period == decorum::period_kind::week);
  REQUIRE(m.scoring.floor);
  CHECK(*m.scoring.floor == *decorum::decimal::parse("0"));
  REQUIRE(m.scoring.ceiling);
  CHECK(*m.scoring.ceiling == *decorum::decimal::parse("120.5"));
  CHECK(m.scoring.currency == "EUR");
  REQUIRE(m.scoring.grades.size() == 2);
  CHECK(m.scoring.grades[0].grade == "A");
  CHECK(m.scoring.grades[0].min == *decorum::decimal::parse("90"));
  CHECK(m.scoring.grades[0].pos == source_pos{11, 7});
  CHECK(m.scoring.grades[1].grade == "C");
  CHECK(m.scoring.grades[1].pos == source_pos{12, 7});

  REQUIRE(m.records.size() == 3);
  const auto& pc = m.records[0];
  CHECK(pc.name == "phone_call");
  CHECK(pc.pos == source_pos{15, 3});
  REQUIRE(pc.fields.size() == 9);
  const rb::field_type types[] = {rb::field_type::int_,    rb::field_type::number,      rb::field_type::text,
                                  rb::field_type::boolean, rb::field_type::time,        rb::field_type::duration,
                                  rb::field_type::enumeration, rb::field_type::int_, rb::field_type::enumeration};
  const char* names[] = {"rings", "score", "opening", "private", "at", "duration", "badge", "level", "kind2"};
  for (std::size_t i = 0; i < 9; ++i) {
    CAPTURE(i);
    CHECK(pc.fields[i].name == names[i]);
    CHECK(pc.fields[i].type == types[i]);
    CHECK(pc.fields[i].pos == source_pos{static_cast<std::uint32_t>(16 + i), 5});
  }
  CHECK(pc.fields[6].enum_values == std::vector<std::string>{"left_chest", "elsewhere", "missing"});
  CHECK(pc.fields[7].required);
  CHECK_FALSE(pc.fields[8].required);
  CHECK(pc.fields[8].enum_values == std::vector<std::string>{"a", "b"});
  CHECK(m.records[1].name == "empty_kind");
  CHECK(m.records[1].fields.empty());
  REQUIRE(m.records[2].fields.size() == 1);
  CHECK(m.records[2].fields[0].name == "type");
  CHECK(m.records[2].fields[0].enum_values == std::vector<std::string>{"physical_conflict", "quarrel"});

  REQUIRE(m.phrases.size() == 2);
  CHECK(m.phrases[0].name == "greeting");
  REQUIRE(m.phrases[1].phrases.size() == 2);
  CHECK(m.phrases[1].phrases[0].text == "不知道");
  CHECK(m.phrases[1].phrases[0].pos == source_pos{30, 7});
  CHECK(m.phrases[1].phrases[1].text == "喂,说话呀");

  REQUIRE(m.rules.size() == 4);
  const auto& r0 = m.rules[0];
  CHECK(r0.id == "phone.three-rings");
  CHECK(r0.pos == source_pos{33, 5});
  CHECK(r0.id_pos == source_pos{33, 9});
  CHECK(r0.title == "铃响三声以内必须接听电话");
  CHECK(r0.description == "answer quickly");
  CHECK(r0.category == "phone");
  CHECK(r0.ref == "行为规范 5.4.1");
  CHECK(r0.severity == rb::rule_severity::major);
  CHECK(r0.on.text == "phone_call");
  CHECK(r0.when.text == "rings > 3");
  CHECK(r0.when.pos == source_pos{40, 11});
  CHECK(r0.times.text == "rings - 3");
  CHECK(r0.kind == rb::amount_kind::deduct);
  CHECK(r0.value.progressive.size() == 3);
  CHECK(r0.value.progressive[2] == *decorum::decimal::parse("50"));
  CHECK(r0.fine.expr.text == "5");
  REQUIRE(r0.cap);
  CHECK(*r0.cap == *decorum::decimal::parse("100"));
  CHECK(r0.flag == "slow-answer");
  CHECK(r0.roles == std::vector<std::string>{"receptionist", "butler"});
  CHECK_FALSE(r0.enabled);
  CHECK(m.rules[1].kind == rb::amount_kind::points);
  CHECK(m.rules[1].value.expr.text == "(25 - score) * 1000");
  CHECK(m.rules[2].kind == rb::amount_kind::bonus);
  CHECK(m.rules[2].value.expr.text == "5");
  CHECK(m.rules[2].fine.progressive.size() == 2);
  CHECK(m.rules[2].roles == std::vector<std::string>{"receptionist"});
  CHECK(m.rules[2].severity == rb::rule_severity::minor);
  CHECK(m.rules[3].kind == rb::amount_kind::none);
  CHECK(m.rules[3].flag == "review");
  CHECK(m.rules[3].severity == rb::rule_severity::critical);
  CHECK(m.rules[3].enabled);

  REQUIRE(m.tests.size() == 1);
  CHECK(m.tests[0].name == "a fourth ring costs ten points");
  REQUIRE(m.tests[0].records.size() == 1);
  CHECK(m.tests[0].records[0].entries.size() == 4);
  REQUIRE(m.tests[0].expect.size() == 1);
  const auto& x = m.tests[0].expect[0];
  CHECK(x.entries.size() == 3);
  REQUIRE(x.maps.size() == 1);
  CHECK(x.maps[0].first == "rules");
  REQUIRE(x.lists.size() == 1);
  CHECK(x.lists[0].first == "flags");
}

TEST_CASE("rulebook: long-hand field declarations, SPEC §1's own example") {
  // Regression: assigning the `type` node with operator= once overwrote the long-hand map
  // while it was being iterated (a use-after-free; `decorum check` died with SIGSEGV).
  std::vector<diagnostic> ds;
  auto m = rb::load_rulebook(
      "t.yaml", "decorum: 1\nname: t\nrecords:\n  phone_call:\n    rings: {type: int, required: true}\nrules: []\n", ds);
  CHECK(render(ds) == "");
  REQUIRE(m.records.size() == 1);
  REQUIRE(m.records[0].fields.size() == 1);
  CHECK(m.records[0].fields[0].type == rb::field_type::int_);
  CHECK(m.records[0].fields[0].required);
  check_rows({
      {"type last", "decorum: 1\nname: t\nrecords:\n  call: {rings: {required: true, type: int}, x: {type: text}}\nrules: []\n", ""},
      {"block style",
       "decorum: 1\nname: t\nrecords:\n  call:\n    rings:\n      type: [a, b]\n      required: true\n"
       "      description: x\nrules: []\n",
       ""},
  });
}

TEST_CASE("rulebook: defaults when optional keys are absent") {
  std::vector<diagnostic> ds;
  auto m = rb::load_rulebook("t.yaml", std::string(top) + "    deduct: 1\n", ds);
  CHECK(render(ds) == "");
  CHECK(m.scoring.base == *decorum::decimal::parse("100"));
  CHECK(m.scoring.period == decorum::period_kind::month);
  CHECK_FALSE(m.scoring.floor);
  CHECK_FALSE(m.scoring.ceiling);
  CHECK(m.scoring.currency == "CNY");
  REQUIRE(m.rules.size() == 1);
  CHECK(m.rules[0].enabled);
  CHECK_FALSE(m.rules[0].when.present);
  CHECK_FALSE(m.rules[0].times.present);
  CHECK(m.rules[0].roles.empty());
  for (std::string_view p : {"day", "week", "month", "quarter", "year", "all"}) {
    CAPTURE(p);
    CHECK(load("decorum: 1\nname: t\nscoring: {period: " + std::string(p) + "}\nrecords: {}\nrules: []\n") == "");
  }
}

// ---------------------------------------------------------------------------------------------
// Unknown, duplicate and missing keys.

TEST_CASE("rulebook: unknown keys at every level, with did-you-mean") {
  check_rows({
      {"top level, close", std::string(top) + "    deduct: 1\nrule: []\n",
       e(9, 1, "unknown key 'rule' in the rulebook; did you mean 'rules'?")},
      {"top level, far", std::string(top) + "    deduct: 1\ncolour: red\n", e(9, 1, "unknown key 'colour' in the rulebook")},
      {"scoring", "decorum: 1\nname: t\nscoring:\n  bse: 100\nrecords: {}\nrules: []\n",
       e(4, 3, "unknown key 'bse' in scoring; did you mean 'base'?")},
      {"grade band", "decorum: 1\nname: t\nscoring:\n  grades:\n    - {min: 90, grde: A}\nrecords: {}\nrules: []\n",
       e(5, 7, "a grade band needs 'grade'") + e(5, 17, "unknown key 'grde' in a grade band; did you mean 'grade'?")},
      {"long-hand field", "decorum: 1\nname: t\nrecords:\n  call: {rings: {type: int, requird: true}}\nrules: []\n",
       e(4, 29, "unknown key 'requird' in field 'rings'; did you mean 'required'?")},
      {"rule: deduc", std::string(top) + "    deduc: 1\n", e(8, 5, "unknown key 'deduc' in rule 'r'; did you mean 'deduct'?")},
      {"rule: wen", std::string(top) + "    deduct: 1\n    wen: rings > 1\n",
       e(9, 5, "unknown key 'wen' in rule 'r'; did you mean 'when'?")},
      {"rule: enable", std::string(top) + "    deduct: 1\n    enable: false\n",
       e(9, 5, "unknown key 'enable' in rule 'r'; did you mean 'enabled'?")},
      {"rule without an id", std::string(bare.substr(0, bare.size() - 10)) + "rules:\n  - {on: call, dedcut: 1}\n",
       e(6, 5, "a rule needs an 'id'") + e(6, 16, "unknown key 'dedcut' in a rule; did you mean 'deduct'?")},
      {"test", std::string(bare) + "tests:\n  - {name: x, recrods: []}\n",
       e(7, 15, "unknown key 'recrods' in a test; did you mean 'records'?")},
  });
}

TEST_CASE("rulebook: duplicate keys") {
  check_rows({
      {"top level", "decorum: 1\nname: t\nname: u\nrecords: {}\nrules: []\n",
       e(3, 1, "duplicate key 'name' in the rulebook")},
      {"rule", std::string(top) + "    deduct: 1\n    deduct: 2\n", e(9, 5, "duplicate key 'deduct' in rule 'r'")},
      {"record kind", "decorum: 1\nname: t\nrecords:\n  call: {rings: int}\n  call: {x: int}\nrules: []\n",
       e(5, 3, "duplicate key 'call' in records")},
      {"field", "decorum: 1\nname: t\nrecords:\n  call:\n    rings: int\n    rings: text\nrules: []\n",
       e(6, 5, "duplicate key 'rings' in record kind 'call'")},
      {"phrase set", std::string(bare) + "phrases:\n  g: [a]\n  g: [b]\n", e(8, 3, "duplicate key 'g' in phrases")},
      {"scoring", "decorum: 1\nname: t\nscoring:\n  base: 1\n  base: 2\nrecords: {}\nrules: []\n",
       e(5, 3, "duplicate key 'base' in scoring")},
      {"grade band", "decorum: 1\nname: t\nscoring:\n  grades:\n    - {min: 1, min: 2, grade: A}\nrecords: {}\nrules: []\n",
       e(5, 16, "duplicate key 'min' in a grade band")},
  });
}

TEST_CASE("rulebook: missing required keys") {
  check_rows({
      {"only the version", "decorum: 1\n",
       e(1, 1, "missing 'name'") + e(1, 1, "missing 'records' (the observation kinds logs may hold)") +
           e(1, 1, "missing 'rules'")},
      {"no version", "name: t\nrecords: {}\nrules: []\n", e(1, 1, "missing 'decorum: 1' (the rulebook format version)")},
      {"rule without on", std::string(bare.substr(0, bare.size() - 10)) + "rules:\n  - id: r\n    deduct: 1\n",
       e(6, 5, "rule 'r' needs 'on' (the record kind it applies to)")},
      {"rule without id", std::string(bare.substr(0, bare.size() - 10)) + "rules:\n  - on: call\n    deduct: 1\n",
       e(6, 5, "a rule needs an 'id'")},
      {"grade band without min", "decorum: 1\nname: t\nscoring:\n  grades:\n    - {grade: A}\nrecords: {}\nrules: []\n",
       e(5, 7, "a grade band needs 'min'")},
      {"long-hand field without type", "decorum: 1\nname: t\nrecords:\n  call: {rings: {required: true}}\nrules: []\n",
       e(4, 10, "field 'rings' needs a 'type'")},
  });
}

TEST_CASE("rulebook: a rule with neither id nor on says 'a rule needs on'") {
  // The message is built from the (empty) id: "rule '' needs 'on' …".
  CHECK(load(std::string(bare.substr(0, bare.size() - 10)) + "rules:\n  - deduct: 1\n") ==
        e(6, 5, "a rule needs an 'id'") + e(6, 5, "a rule needs 'on' (the record kind it applies to)"));
}

// ---------------------------------------------------------------------------------------------
// Wrong shapes.

TEST_CASE("rulebook: wrong shapes") {
  check_rows({
      {"records a list", "decorum: 1\nname: t\nrecords: [a, b]\nrules: []\n",
       e(3, 10, "records must be a mapping, got a list")},
      {"rules a mapping", "decorum: 1\nname: t\nrecords: {}\nrules: {id: r}\n", e(4, 8, "rules must be a list, got a mapping")},
      {"scoring a number", "decorum: 1\nname: t\nscoring: 5\nrecords: {}\nrules: []\n",
       e(3, 10, "scoring must be a mapping, got \"5\"")},
      {"phrase set a string", std::string(bare) + "phrases: {g: 您好}\n",
       e(6, 14, "phrase set 'g' must be a list, got \"您好\"")},
      {"rule a string", "decorum: 1\nname: t\nrecords: {}\nrules: [r]\n", e(4, 9, "a rule must be a mapping, got \"r\"")},
      {"when a list", std::string(top) + "    deduct: 1\n    when: [a]\n", e(9, 11, "when must be a single value, got a list")},
      {"root a list", "- a\n- b\n", e(1, 1, "a rulebook must be a mapping, got a list")},
      {"root a string", "hello\n", e(1, 1, "a rulebook must be a mapping, got \"hello\"")},
      {"grades a mapping", "decorum: 1\nname: t\nscoring:\n  grades: {min: 1}\nrecords: {}\nrules: []\n",
       e(4, 11, "scoring.grades must be a list, got a mapping")},
      {"record kind a string", "decorum: 1\nname: t\nrecords:\n  call: int\nrules: []\n",
       e(4, 9, "record kind 'call' must be a mapping, got \"int\"")},
      {"roles a mapping", std::string(top) + "    deduct: 1\n    roles: {a: b}\n", e(9, 12, "roles must be a list, got a mapping")},
      {"phrase a list", std::string(bare) + "phrases:\n  g: [[a]]\n", e(7, 7, "a phrase must be a single value, got a list")},
      {"version a list", "decorum: [1]\nname: t\nrecords: {}\nrules: []\n",
       e(1, 10, "decorum must be a single value, got a list")},
      {"title a list", "decorum: 1\nname: t\ntitle: [a]\nrecords: {}\nrules: []\n",
       e(3, 8, "title must be a single value, got a list")},
      {"points a list", std::string(top) + "    points: [1, 2]\n",
       e(8, 13, "points takes a number or an expression, not a list (use deduct or bonus for progressive prices)")},
      {"deduct an empty list", std::string(top) + "    deduct: []\n", e(8, 13, "a progressive deduct list must not be empty")},
      {"deduct a mapping", std::string(top) + "    deduct: {a: 1}\n", e(8, 13, "deduct must be a single value, got a mapping")},
      {"deduct empty", std::string(top) + "    deduct: \"\"\n", e(8, 13, "deduct needs a value")},
      {"when empty", std::string(top) + "    deduct: 1\n    when: \"\"\n", e(9, 11, "when needs a value")},
      {"field type a mapping", "decorum: 1\nname: t\nrecords:\n  call: {x: {type: {a: 1}}}\nrules: []\n",
       e(4, 20, "the type of field 'x' must be a single value, got a mapping")},
      {"enum with a duplicate", "decorum: 1\nname: t\nrecords:\n  call: {x: [a, a]}\nrules: []\n",
       e(4, 17, "duplicate enum value 'a'")},
      {"enum empty", "decorum: 1\nname: t\nrecords:\n  call: {x: []}\nrules: []\n", e(4, 13, "enum field 'x' lists no values")},
      {"enum value empty", "decorum: 1\nname: t\nrecords:\n  call: {x: [a, \"\"]}\nrules: []\n",
       e(4, 17, "an enum value must not be empty")},
      {"enum value a list", "decorum: 1\nname: t\nrecords:\n  call: {x: [a, [b]]}\nrules: []\n",
       e(4, 17, "an enum value must be a single value, got a list")},
      {"key a list", "? [a]\n: 1\ndecorum: 1\nname: t\nrecords: {}\nrules: []\n",
       e(1, 3, "a key in the rulebook must be a single value")},
      {"tests a mapping", "decorum: 1\nname: t\nrecords: {}\nrules: []\ntests: {a: 1}\n", e(5, 8, "tests must be a list, got a mapping")},
      {"test record a number", std::string(bare) + "tests:\n  - name: x\n    records: [1]\n",
       e(8, 15, "a test record must be a mapping, got \"1\"")},
  });
}

TEST_CASE("rulebook: an empty value is blamed on its own key, not the next line") {
  // yaml-cpp marks a null node where the next token starts; the loader uses that mark, so the
  // error lands on the following key (or past the end of the file).
  check_rows({
      {"deduct", std::string(top) + "    deduct:\n    when: rings > 1\n", e(8, 5, "deduct must be a single value, got nothing")},
      {"period", "decorum: 1\nname: t\nscoring:\n  period:\n  base: 1\nrecords: {}\nrules: []\n",
       e(4, 3, "scoring.period must be a single value, got nothing")},
      {"field type", "decorum: 1\nname: t\nrecords:\n  call:\n    rings:\nrules: []\n",
       e(5, 5, "the type of field 'rings' must be a single value, got nothing")},
      {"at the end of the file", std::string(top) + "    deduct:\n", e(8, 5, "deduct must be a single value, got nothing")},
  });
}

// ---------------------------------------------------------------------------------------------
// Bad values.

TEST_CASE("rulebook: bad amounts: negative deduct, bonus, fine, cap and progressive steps") {
  check_rows({
      {"deduct", std::string(top) + "    deduct: -5\n", e(8, 13, "deduct must not be negative, got -5")},
      {"bonus", std::string(top) + "    bonus: -1\n", e(8, 12, "bonus must not be negative, got -1")},
      {"fine", std::string(top) + "    deduct: 1\n    fine: -1\n", e(9, 11, "fine must not be negative, got -1")},
      {"points may be negative", std::string(top) + "    points: -5\n", ""},
      {"progressive deduct step", std::string(top) + "    deduct: [10, -20]\n",
       e(8, 18, "each deduct step must not be negative, got -20")},
      {"progressive fine step", std::string(top) + "    deduct: 1\n    fine: [1, -2]\n",
       e(9, 15, "each fine step must not be negative, got -2")},
      {"progressive step not a number", std::string(top) + "    deduct: [10, x]\n",
       e(8, 18, "each deduct step must be a number with at most 6 decimal places, got \"x\"")},
      {"progressive bonus", std::string(top) + "    bonus: [1.5, 2]\n", ""},
      {"deduct finer than 0.01", std::string(top) + "    deduct: 1.005\n",
       e(8, 13, "deduct 1.005 has more than 2 decimal places; points and fines count in hundredths")},
      {"fine finer than 0.01", std::string(top) + "    deduct: 1\n    fine: 0.125\n",
       e(9, 11, "fine 0.125 has more than 2 decimal places; points and fines count in hundredths")},
      {"points finer than 0.01", std::string(top) + "    points: -0.001\n",
       e(8, 13, "points -0.001 has more than 2 decimal places; points and fines count in hundredths")},
      {"progressive step finer than 0.01", std::string(top) + "    deduct: [10, 0.125]\n",
       e(8, 18, "deduct step 0.125 has more than 2 decimal places; points and fines count in hundredths")},
      {"two decimals are fine", std::string(top) + "    deduct: 0.01\n    fine: [0.5, 12.25]\n", ""},
      {"cap", std::string(top) + "    deduct: 1\n    cap: -1\n", e(9, 10, "cap must not be negative, got -1")},
      {"cap not a number", std::string(top) + "    deduct: 1\n    cap: lots\n",
       e(9, 10, "cap must be a number with at most 6 decimal places, got \"lots\"")},
      {"more than one of deduct/bonus/points", std::string(top) + "    deduct: 1\n    bonus: 2\n",
       e(9, 5, "a rule takes at most one of deduct, bonus and points")},
      {"all three", std::string(top) + "    points: 1\n    deduct: 1\n    bonus: 2\n",
       e(9, 5, "a rule takes at most one of deduct, bonus and points") +
           e(10, 5, "a rule takes at most one of deduct, bonus and points")},
  });
}

TEST_CASE("rulebook: constant arithmetic that overflows is an error, not a rule that never fires (issue 11)") {
  const std::string head = "decorum: 1\nname: t\nrecords:\n  c: {n: number}\nrules:\n  - id: r\n    on: c\n";
  CHECK(compile(head + "    points: 9300000000 * 1000\n") ==
        e(8, 13, "rule 'r': points overflows: 9300000000 * 1000 is beyond ±9223372036854.775807"));
  CHECK(compile(head + "    when: n > 9223372036854 + 1\n    deduct: 1\n") ==
        e(8, 11, "rule 'r': when overflows: 9223372036854 + 1 is beyond ±9223372036854.775807"));
  CHECK(compile(head + "    times: 1 / 0.1 * 1000000000000\n    fine: 1\n") ==
        e(8, 12, "rule 'r': times overflows: 10 * 1000000000000 is beyond ±9223372036854.775807"));
  // A division by zero is SPEC §2's null: the rule can never fire, which is a warning.
  CHECK(compile(head + "    deduct: 10 / 0\n").find("error") == std::string::npos);
}

TEST_CASE("rulebook: bad scoring values") {
  check_rows({
      {"period", "decorum: 1\nname: t\nscoring:\n  period: monthly\nrecords: {}\nrules: []\n",
       e(4, 11, "scoring.period must be one of day, week, month, quarter, year, all; got \"monthly\"")},
      {"floor above ceiling", "decorum: 1\nname: t\nscoring:\n  floor: 100\n  ceiling: 50\nrecords: {}\nrules: []\n",
       e(4, 3, "scoring.floor (100) is above scoring.ceiling (50)")},
      {"floor equal to ceiling", "decorum: 1\nname: t\nscoring:\n  floor: 50\n  ceiling: 50\nrecords: {}\nrules: []\n", ""},
      {"base", "decorum: 1\nname: t\nscoring:\n  base: lots\nrecords: {}\nrules: []\n",
       e(4, 9, "scoring.base must be a number with at most 6 decimal places, got \"lots\"")},
      {"base too precise", "decorum: 1\nname: t\nscoring:\n  base: 1.1234567\nrecords: {}\nrules: []\n",
       e(4, 9, "scoring.base must be a number with at most 6 decimal places, got \"1.1234567\"")},
      {"grade min", "decorum: 1\nname: t\nscoring:\n  grades:\n    - {min: x, grade: A}\nrecords: {}\nrules: []\n",
       e(5, 7, "a grade band needs 'min'") + e(5, 13, "min must be a number with at most 6 decimal places, got \"x\"")},
  });
}

TEST_CASE("rulebook: bad field types, standard fields redeclared, bad names") {
  const std::string types = "; types are int, number, text, bool, time, duration or a list of values";
  check_rows({
      {"unknown type", "decorum: 1\nname: t\nrecords:\n  call: {rings: integer}\nrules: []\n",
       e(4, 17, "unknown field type 'integer'" + types)},
      {"misspelt type", "decorum: 1\nname: t\nrecords:\n  call: {rings: nmber}\nrules: []\n",
       e(4, 17, "unknown field type 'nmber' (did you mean 'number'?)" + types)},
      {"field named phrases", "decorum: 1\nname: t\nrecords:\n  call: {phrases: text}\nrules: []\n",
       e(4, 10, "field name 'phrases' must be a name of letters, digits and '_' (and not 'phrases')")},
      {"field with a dash", "decorum: 1\nname: t\nrecords:\n  call: {bad-name: int}\nrules: []\n",
       e(4, 10, "field name 'bad-name' must be a name of letters, digits and '_' (and not 'phrases')")},
      {"field starting with a digit", "decorum: 1\nname: t\nrecords:\n  call: {2x: int}\nrules: []\n",
       e(4, 10, "field name '2x' must be a name of letters, digits and '_' (and not 'phrases')")},
      {"record kind with a dash", "decorum: 1\nname: t\nrecords:\n  phone-call: {}\nrules: []\n",
       e(4, 3, "record kind 'phone-call' must be a name of letters, digits and '_'")},
      {"phrase set with a dash", std::string(bare) + "phrases:\n  good-bye: [x]\n",
       e(7, 3, "phrase set name 'good-bye' must be a name of letters, digits and '_'")},
      {"rulebook name", "decorum: 1\nname: My Rules\nrecords: {}\nrules: []\n",
       e(2, 7, "rulebook name 'My Rules' must match [a-z0-9][a-z0-9._-]*")},
      {"version 2", "decorum: 2\nname: t\nrecords: {}\nrules: []\n",
       e(1, 10, "unsupported rulebook format version 2; this decorum reads version 1")},
      {"severity", std::string(top) + "    deduct: 1\n    severity: high\n",
       e(9, 15, "severity must be minor, major or critical; got \"high\"")},
      {"enabled", std::string(top) + "    deduct: 1\n    enabled: maybe\n", e(9, 14, "enabled must be true or false, got \"maybe\"")},
      {"required", "decorum: 1\nname: t\nrecords:\n  call: {rings: {type: int, required: sure}}\nrules: []\n",
       e(4, 39, "required must be true or false, got \"sure\"")},
  });
  for (auto f : rb::standard_fields) {
    CAPTURE(f);
    CHECK(load("decorum: 1\nname: t\nrecords:\n  call: {" + std::string(f) + ": text}\nrules: []\n") ==
          e(4, 10, "field '" + std::string(f) + "' is a standard field of every record and cannot be declared"));
  }
}

TEST_CASE("rulebook: rule ids") {
  for (std::string_view bad : {"Bad_ID", "-x", ".x", "规则", "\"a b\"", "x/y", "_x"}) {
    CAPTURE(bad);
    std::string shown(bad);
    if (shown.front() == '"') shown = shown.substr(1, shown.size() - 2);
    CHECK(load(std::string(bare.substr(0, bare.size() - 10)) + "rules:\n  - id: " + std::string(bad) +
               "\n    on: call\n    deduct: 1\n") == e(6, 9, "rule id '" + shown + "' must match [a-z0-9][a-z0-9._-]*"));
  }
  for (std::string_view good : {"r.1-x_y", "0abc", "a.b.c", "phone.three-rings"}) {
    CAPTURE(good);
    CHECK(load(std::string(bare.substr(0, bare.size() - 10)) + "rules:\n  - id: " + std::string(good) +
               "\n    on: call\n    deduct: 1\n") == "");
  }
  // Two rules with one id: the second is blamed, naming the first's line.
  CHECK(load(std::string(top) + "    deduct: 1\n  - id: r\n    on: call\n    deduct: 2\n") ==
        e(9, 9, "duplicate rule id 'r' (first defined at line 6)"));
}

TEST_CASE("rulebook: an empty phrase is an error once checked") {
  CHECK(compile("decorum: 1\nname: t\nrecords:\n  utterance: {text: text}\nphrases:\n  g: [a, \"\"]\nrules:\n"
                "  - {id: r, on: utterance, when: 'contains(text, phrases.g)', deduct: 1}\n") ==
        e(6, 10, "phrase set 'g' holds an empty phrase, which would match every text"));
}

// ---------------------------------------------------------------------------------------------
// The hostile inputs of issue #2.

TEST_CASE("rulebook: malformed YAML") {
  check_rows({
      {"unclosed flow sequence", "decorum: 1\nname: [unclosed\nrecords: {}\nrules: []\n",
       e(3, 8, "malformed YAML: end of sequence flow not found")},
      {"unclosed quote", "decorum: 1\nname: \"unclosed", e(2, 16, "malformed YAML: illegal EOF in scalar")},
      {"a second colon", "decorum: 1\nname: t: u\nrecords: {}\nrules: []\n", e(2, 8, "malformed YAML: illegal map value")},
      {"bad indentation", "decorum: 1\nname: t\nrecords:\n  call: {rings: int}\n bad: 1\nrules: []\n",
       e(5, 2, "malformed YAML: end of map not found")},
      {"stray flow end", "decorum: 1\nname: t\nrecords: {}\nrules: [a, b]]\n", e(4, 14, "malformed YAML: illegal flow end")},
      {"undefined alias", "decorum: 1\nname: *x\n", e(2, 7, "malformed YAML: the referenced anchor is not defined")},
      {"two documents", "---\ndecorum: 1\n---\nname: t\n", e(1, 1, "a rulebook is one YAML document; this file holds 2")},
      // Issue 11: yaml-cpp 0.7's LoadAll loops forever, allocating, on these.
      {"a lone comma", ",", e(1, 1, "malformed YAML: unexpected ','")},
      {"a line of commas", ",,,,\n", e(1, 1, "malformed YAML: unexpected ','")},
      {"a comma after a map", "decorum: 1\nname: t\n,\n", e(3, 1, "malformed YAML: end of map not found")},
  });
}

TEST_CASE("rulebook: position_of and offset_of agree with a walk from the line's start (issue 11)") {
  // Long lines take checkpoints; lookups start from the nearest. Random lines of ASCII,
  // Chinese, 4-byte characters and invalid bytes (which decode one byte at a time) must give
  // exactly what decoding from the line's start gives.
  std::mt19937 rng(11);
  const std::vector<std::string> pieces = {"a", " ", ",", "中", "文", "\xF0\x9F\x98\x80", "\xFF", "\xE4\xB8", "\xC3", "\t"};
  for (int round = 0; round < 40; ++round) {
    std::string text;
    const int lines = 1 + static_cast<int>(rng() % 4);
    for (int l = 0; l < lines; ++l) {
      const std::size_t len = rng() % 3 == 0 ? rng() % 40 : 200 + rng() % 2000;
      for (std::size_t i = 0; i < len; ++i) text += pieces[rng() % pieces.size()];
      text += rng() % 3 == 0 ? "\r\n" : "\n";
    }
    decorum::source_file f("x.yaml", text);
    std::uint32_t line = 1, col = 1;
    std::size_t line_start = 0;
    for (std::size_t off = 0; off <= text.size(); ++off) {
      // The naive answer: decode from the line's start up to off.
      if (off > 0 && (text[off - 1] == '\n')) {
        ++line;
        line_start = off;
      }
      std::size_t i = line_start;
      col = 1;
      while (i < off) {
        decorum::detail::decode_utf8(text, i);
        ++col;
      }
      const source_pos got = f.position_of(off);
      REQUIRE_MESSAGE((got == source_pos{line, col}), "round ", round, " offset ", off);
      // Where decoding lands, offset_of inverts position_of.
      if (i == off && off < text.size() && text[off] != '\n' && text[off] != '\r')
        REQUIRE_MESSAGE(f.offset_of(got) == off, "round ", round, " offset ", off);
    }
  }
}

TEST_CASE("rulebook: an exponential alias bomb finishes fast") {
  // The billion laughs: nine levels of ten references each, 10^9 leaves if expanded.
  const char* levels = "abcdefghi";
  std::string bomb = "[&a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]";
  for (int i = 1; i < 9; ++i) {
    bomb += std::string(", &") + levels[i] + " [";
    for (int k = 0; k < 10; ++k) bomb += std::string(k ? ", *" : "*") + levels[i - 1];
    bomb += "]";
  }
  bomb += "]";
  auto t0 = std::chrono::steady_clock::now();
  // Where a single value is expected: one error, nothing expanded.
  CHECK(load("decorum: 1\nname: t\ntitle: " + bomb + "\nrecords: {}\nrules: []\n") ==
        e(3, 8, "title must be a single value, got a list"));
  // As the classic top-level keys.
  std::string classic = "decorum: 1\nname: t\nrecords: {}\nrules: []\nlol1: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  std::string expected;
  for (int i = 1; i < 9; ++i) {
    classic += "lol" + std::to_string(i + 1) + ": &" + levels[i] + " [";
    for (int k = 0; k < 10; ++k) classic += std::string(k ? ", *" : "*") + levels[i - 1];
    classic += "]\n";
  }
  for (int i = 1; i <= 9; ++i)
    expected += e(static_cast<unsigned>(4 + i), 1, "unknown key 'lol" + std::to_string(i) + "' in the rulebook");
  CHECK(load(classic) == expected);
  // Inside a phrase set, where the loader walks every item: each nested list is refused once.
  std::string phrases = std::string(bare) + "phrases:\n  lol: " + bomb + "\n";
  std::vector<diagnostic> ds;
  rb::load_rulebook("t.yaml", phrases, ds);
  REQUIRE(ds.size() == 9);
  for (const auto& d : ds) CHECK(d.message == "a phrase must be a single value, got a list");
  CHECK(compile(phrases).size() > 0);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  CHECK(ms < 2000);
}

TEST_CASE("rulebook: one error per cause when aliases repeat a node, and no cascade (issue 11)") {
  // Three sets share one anchored list of lists: each bad item is reported once, not once per
  // alias, and a set whose items were all refused is not called empty.
  std::string text = std::string(bare) + "phrases:\n  a: &a [[x], [y]]\n  b: *a\n  c: *a\n";
  std::vector<diagnostic> ds;
  decorum::compile_rulebook("t.yaml", text, ds);
  const std::string got = render(ds);
  CHECK(got.find("is empty") == std::string::npos);
  std::size_t errors = 0;
  for (const auto& d : ds) errors += d.severity == decorum::severity::error;
  CHECK(errors == 2);
  // A name or id that is not a single value gets that error only.
  CHECK(load("decorum: 1\nname: [a, b]\nrecords: {}\nrules: []\n") == e(2, 7, "name must be a single value, got a list"));
  CHECK(load("decorum: 1\nname: t\nrecords: {c: {n: int}}\nrules:\n  - {id: [x], on: c, deduct: 1}\n") ==
        e(5, 10, "id must be a single value, got a list"));
}

TEST_CASE("rulebook: aliases that multiply the work are cut off by the node budget") {
  // One list of 1000 phrases referenced 200 times: 200,000 nodes from a 5 KB file. The walk
  // stops when it has visited text size + 1000 nodes, inside the aliased list (line 7).
  std::string text = std::string(bare) + "phrases:\n  p0: &p [" + repeat("a, ", 999) + "a]\n";
  for (int i = 1; i < 200; ++i) text += "  p" + std::to_string(i) + ": *p\n";
  auto t0 = std::chrono::steady_clock::now();
  std::vector<diagnostic> ds;
  rb::load_rulebook("t.yaml", text, ds);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  CHECK(ms < 2000);
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].message == "the document expands to far more nodes than its text holds (recursive or exponential aliases)");
  CHECK(ds[0].pos.line == 7);
}

TEST_CASE("rulebook: the node budget does not cascade into 'missing' errors") {
  // When the walk stops early, keys after the bomb were never seen; reporting them missing
  // ("missing 'rules'") sends the author after a key that is there.
  std::string text = "decorum: 1\nname: t\nrecords:\n  k0: &f {";
  for (int i = 0; i < 500; ++i) text += (i ? ", f" : "f") + std::to_string(i) + ": int";
  text += "}\n";
  for (int i = 1; i < 300; ++i) text += "  k" + std::to_string(i) + ": *f\n";
  text += "rules: []\n";
  std::vector<diagnostic> ds;
  rb::load_rulebook("t.yaml", text, ds);
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].message == "the document expands to far more nodes than its text holds (recursive or exponential aliases)");
}

TEST_CASE("rulebook: a recursive alias terminates") {
  // The walk has a fixed depth, so a map that contains itself is read twice and no more.
  CHECK(load("decorum: 1\nname: t\nrecords: &r {call: *r}\nrules: []\n") ==
        e(3, 14, "unknown key 'call' in field 'call'") + e(3, 14, "field 'call' needs a 'type'"));
}

TEST_CASE("rulebook: an expression nested 10,000 levels deep is an error, not a crash") {
  std::string head = std::string(top) + "    deduct: 1\n    when: ";  // line 9, expression at column 11
  CHECK(compile(head + repeat("(", 10000) + "rings > 1" + repeat(")", 10000) + "\n") ==
        e(9, 75, "in when: expression nested deeper than 64 levels"));
  // `!` and `- ` would be YAML syntax at the start of a plain scalar: single-quote them.
  // `    when: '` puts the expression at column 12.
  CHECK(compile(head + "'" + repeat("!", 10000) + "true'\n") == e(9, 76, "in when: expression nested deeper than 64 levels"));
  // `    points: '` puts it at column 14; the 65th "- " starts 128 bytes in.
  CHECK(compile(std::string(top) + "    points: '" + repeat("- ", 10000) + "1'\n") ==
        e(8, 142, "in points: expression nested deeper than 64 levels"));
}

TEST_CASE("rulebook: 'not not …' 10,000 deep is blamed at the 65th 'not'") {
  std::string head = std::string(top) + "    deduct: 1\n    when: ";
  CHECK(compile(head + repeat("not ", 10000) + "true\n") == e(9, 267, "in when: expression nested deeper than 64 levels"));
}

TEST_CASE("rulebook: YAML nested 10,000 levels deep is refused up front") {
  CHECK(load("decorum: 1\nname: t\ntitle: " + repeat("[", 10000) + repeat("]", 10000) + "\n") ==
        e(3, 108, "YAML nested deeper than 100 levels"));
  CHECK(load("decorum: 1\nname: t\ntitle: " + repeat("{a: ", 10000) + "1" + repeat("}", 10000) + "\n") ==
        e(3, 408, "YAML nested deeper than 100 levels"));
  // Brackets inside comments and inside quotes within a flow collection do not count.
  CHECK(load("decorum: 1\nname: t\ntitle: x  # " + repeat("{", 200) + "\nrecords: {}\nrules: []\n") == "");
  CHECK(load("decorum: 1\nname: t\ntitle: [\"" + repeat("[", 200) + "\"]\nrecords: {}\nrules: []\n") ==
        e(3, 8, "title must be a single value, got a list"));
}

TEST_CASE("rulebook: brackets inside a quoted scalar outside any flow collection do not nest") {
  // find_deep_flow only tracks quotes at depth > 0, so the 101st '[' of this string is refused.
  CHECK(load("decorum: 1\nname: t\ntitle: \"" + repeat("[", 200) + "\"\nrecords: {}\nrules: []\n") == "");
}

TEST_CASE("rulebook: block YAML nested 10,000 levels deep says so") {
  // yaml-cpp's own depth guard fires (at depth 500); its exception text is "bad file", which the
  // loader maps to "malformed YAML", printing "malformed YAML: malformed YAML".
  CHECK(load("decorum: 1\nname: t\ntitle:\n  " + repeat("- ", 10000) + "x\n") ==
        e(4, 203, "YAML nested deeper than 100 levels"));
}

TEST_CASE("rulebook: a 10 MB rulebook is refused: over the 8 MiB limit") {
  static_assert(rb::max_rulebook_bytes == 8u * 1024 * 1024);
  std::string big = "# " + std::string(10 * 1024 * 1024 - 3, 'x') + "\n";
  REQUIRE(big.size() == 10485760);
  CHECK(load(big) == "0:0: error: rulebook is 10485760 bytes; the limit is 8388608 bytes (8 MiB)\n");
  std::string over(8 * 1024 * 1024 + 1, ' ');
  CHECK(load(over) == "0:0: error: rulebook is 8388609 bytes; the limit is 8388608 bytes (8 MiB)\n");
  // Exactly at the limit is read (and here holds nothing but a comment).
  std::string at = "#" + std::string(8 * 1024 * 1024 - 2, 'x') + "\n";
  CHECK(load(at) == "0:0: error: empty rulebook (expected at least 'decorum', 'name', 'records' and 'rules')\n");
  // From a file: refused before it is read.
  auto path = temp_path("decorum_test_big_rulebook");
  {
    std::ofstream out(path, std::ios::binary);
    out << big;
  }
  std::vector<diagnostic> ds;
  rb::load_rulebook_file(path.string(), ds);
  std::filesystem::remove(path);
  CHECK(render(ds) == "[" + path.string() + "] 0:0: error: rulebook is 10485760 bytes; the limit is 8388608 bytes (8 MiB)\n");
}

TEST_CASE("rulebook: invalid UTF-8 is refused at the first bad byte") {
  const std::string msg = "invalid UTF-8 (a rulebook must be UTF-8 encoded)";
  check_rows({
      {"after Chinese", "decorum: 1\nname: t\ntitle: 中文\xff\n", e(3, 10, msg)},
      {"Latin-1", "decorum: 1\nname: t\ntitle: caf\xe9 au lait\n", e(3, 11, msg)},
      {"truncated at the end", "decorum: 1\ntitle: \xe4\xb8", e(2, 8, msg)},
      {"overlong", "decorum: 1\ntitle: \xc0\xaf\n", e(2, 8, msg)},
      {"surrogate", "decorum: 1\ntitle: \xed\xa0\x80\n", e(2, 8, msg)},
      {"lone continuation byte", "\x80", e(1, 1, msg)},
      {"beyond U+10FFFF", "decorum: 1\ntitle: ok \xf4\x90\x80\x80\n", e(2, 11, msg)},
      {"in a comment", "decorum: 1  # caf\xe9\n", e(1, 18, msg)},
      {"GBK bytes", "decorum: 1\nname: t\ntitle: \xc4\xe3\xba\xc3\n", e(3, 8, msg)},
  });
  // The caret line shows the bad byte as U+FFFD.
  std::vector<diagnostic> ds;
  rb::load_rulebook("t.yaml", "decorum: 1\nname: t\ntitle: 中文\xff\n", ds);
  REQUIRE(ds.size() == 1);
  CHECK(decorum::format_diagnostic(ds[0]) ==
        "t.yaml:3:10: error[D102]: " + msg + "\ntitle: 中文\xEF\xBF\xBD\n" + std::string(11, ' ') + "^");
}

TEST_CASE("rulebook: a tab in indentation") {
  const std::string msg = "tab character in indentation; YAML allows only spaces there";
  check_rows({
      {"at the start", "decorum: 1\nname: t\nrecords:\n\tcall: {}\nrules: []\n", e(4, 1, msg)},
      {"after spaces", "decorum: 1\nname: t\nrecords:\n  \tcall: {}\nrules: []\n", e(4, 3, msg)},
      {"inside a value is fine", "decorum: 1\nname: t\ntitle: a\tb\nrecords: {}\nrules: []\n", ""},
  });
}

TEST_CASE("rulebook: empty, blank and comment-only files") {
  const std::string msg = "0:0: error: empty rulebook (expected at least 'decorum', 'name', 'records' and 'rules')\n";
  check_rows({
      {"empty", "", msg},
      {"blank lines", "\n\n\n", msg},
      {"white space", "  \n\t\n \r\n", msg},
      {"comments", "# a rulebook\n# to be written\n", msg},
      {"comments and blank lines", "\n  # indented comment\n\n", msg},
      {"a byte order mark", "\xEF\xBB\xBF", msg},
      {"a bare document marker", "---\n", msg},
  });
}

TEST_CASE("rulebook: a missing file") {
  std::vector<diagnostic> ds;
  auto m = rb::load_rulebook_file("/nonexistent/decorum/rules.yaml", ds);
  CHECK(render(ds) == "[/nonexistent/decorum/rules.yaml] 0:0: error: cannot open file\n");
  CHECK_FALSE(m.source);
  std::vector<diagnostic> ds2;
  CHECK_FALSE(decorum::compile_rulebook_file("/nonexistent/decorum/rules.yaml", ds2));
  CHECK(render(ds2) == "[/nonexistent/decorum/rules.yaml] 0:0: error: cannot open file\n");
}

TEST_CASE("rulebook: a directory") {
  // On Linux a directory opens; its size reads as 2^63 - 1, so the loader reports
  // "rulebook is 9223372036854775807 bytes; the limit is …" instead of naming the problem.
  const std::string dir = std::filesystem::temp_directory_path().string();
  std::vector<diagnostic> ds;
  rb::load_rulebook_file(dir, ds);
  CHECK(render(ds) == "[" + dir + "] 0:0: error: cannot read file (is it a directory?)\n");
}

TEST_CASE("rulebook: a rulebook file is read as written") {
  auto path = temp_path("decorum_test_rulebook");
  {
    std::ofstream out(path, std::ios::binary);
    out << top << "    deduct: -5\n";
  }
  std::vector<diagnostic> ds;
  auto m = rb::load_rulebook_file(path.string(), ds);
  std::filesystem::remove(path);
  CHECK(render(ds) == "[" + path.string() + "] 8:13: error: deduct must not be negative, got -5\n");
  REQUIRE(m.source);
  CHECK(m.source->name() == path.string());
}

// ---------------------------------------------------------------------------------------------
// Unit tables.

TEST_CASE("rulebook: locate_in_scalar maps decoded offsets back to the file") {
  struct row {
    std::string_view name;
    std::string src;    // the whole file
    std::size_t mark;   // byte offset of the scalar's node
    std::string text;   // the decoded scalar
    std::size_t offset; // byte offset in the decoded text
    source_pos want;
  };
  const std::vector<row> rows = {
      {"plain, first token", "when: rings > 3\n", 6, "rings > 3", 0, {1, 7}},
      {"plain, last token", "when: rings > 3\n", 6, "rings > 3", 8, {1, 15}},
      {"plain, end of text", "when: rings > 3\n", 6, "rings > 3", 9, {1, 16}},
      {"plain, offset past the end", "when: rings > 3\n", 6, "rings > 3", 99, {1, 16}},
      {"double-quoted, the escaped quote", "x: \"a\\\"b == c\"\n", 3, "a\"b == c", 1, {1, 7}},
      {"double-quoted, after an escape", "x: \"a\\\"b == c\"\n", 3, "a\"b == c", 4, {1, 10}},
      {"single-quoted, the doubled quote", "x: 'it''s a'\n", 3, "it's a", 2, {1, 7}},
      {"single-quoted, after it", "x: 'it''s a'\n", 3, "it's a", 3, {1, 9}},
      {"literal block", "x: |\n  ab\n  cd\n", 3, "ab\ncd\n", 3, {3, 3}},
      {"literal block, end of text", "x: |\n  ab\n  cd\n", 3, "ab\ncd\n", 6, {3, 5}},
      {"folded block", "x: >\n  ab\n  cd\n", 3, "ab cd\n", 3, {3, 3}},
      {"plain over two lines", "x: ab\n  cd\n", 3, "ab cd", 3, {2, 3}},
      {"Chinese before the token", "x: 中文 == y\n", 3, "中文 == y", 7, {1, 7}},
      {"inside a Chinese character", "x: 中文 == y\n", 3, "中文 == y", 3, {1, 5}},
      {"an escape it cannot follow blames the scalar", "x: \"\\u4f60 == y\"\n", 3, "你 == y", 0, {1, 4}},
  };
  for (const auto& r : rows) {
    CAPTURE(r.name);
    decorum::source_file f("x.yaml", r.src);
    rb::scalar s;
    s.text = r.text;
    s.mark = r.mark;
    s.pos = f.position_of(r.mark);
    s.present = true;
    CHECK(rb::locate_in_scalar(f, s, r.offset) == r.want);
  }
}

TEST_CASE("rulebook: did_you_mean suggests only close candidates") {
  const std::vector<std::string_view> rule_keys = {"id",    "title", "description", "category", "ref",
                                                   "severity", "on", "when",       "times",    "deduct",
                                                   "bonus", "points", "fine",      "cap",      "flag",
                                                   "roles", "enabled"};
  struct row {
    std::string_view word;
    std::vector<std::string_view> candidates;
    std::string_view want;
  };
  const std::vector<row> rows = {
      {"deduc", rule_keys, "deduct"},
      {"dedcut", rule_keys, "deduct"},   // a swap is two edits; six letters allow two
      {"wen", rule_keys, "when"},
      {"enable", rule_keys, "enabled"},
      {"titles", rule_keys, "title"},
      {"colour", rule_keys, ""},
      {"xyz", rule_keys, ""},
      {"ring", {"rings", "role"}, "rings"},
      {"Rings", {"rings"}, "rings"},
      {"phone_cal", {"phone_call", "dress_check"}, "phone_call"},
      {"bat", {"bad", "cat"}, "bad"},    // ties go to the first candidate
      {"title", {"title"}, "title"},
      {"ab", {"ac"}, "ac"},
      {"a", {"b"}, ""},                  // one letter never suggests another
      {"", {"a"}, ""},
      {"abc", {}, ""},
      {"integer", {"int", "number", "text", "bool", "time", "duration"}, ""},
      {"nmber", {"int", "number", "text", "bool", "time", "duration"}, "number"},
      {"greting", {"greeting", "forbidden"}, "greeting"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.word);
    CHECK(rb::did_you_mean(r.word, r.candidates) == r.want);
  }
}

TEST_CASE("rulebook: did_you_mean counts a swap of two letters as one typo") {
  // Plain Levenshtein distance counts `titel` → `title` as two edits, over the limit of one
  // for five letters; transpositions are the commonest typo.
  CHECK(rb::did_you_mean("titel", {"decorum", "name", "title", "scoring", "records", "phrases", "rules", "tests"}) ==
        "title");
  CHECK(rb::did_you_mean("tpye", {"type", "required", "description"}) == "type");
}
