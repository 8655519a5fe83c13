// Tests for decorum::run_rulebook_tests / run_test_file (SPEC §7): passing and failing
// tests with the exact expected-vs-actual lines, expectations that match no single tally,
// occurrence counts of 0, bad records and unknown keys with their positions, coverage
// worked out by hand, and a separate test file that names its rulebook.
#include "decorum/api/rule_tests.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

using decorum::run_rulebook_tests;
using decorum::source_pos;
using decorum::test_failure;
using decorum::test_run;

namespace doctest {
template <>
struct StringMaker<source_pos> {
  static String convert(const source_pos& p) { return fmt::format("{}:{}", p.line, p.column).c_str(); }
};
}  // namespace doctest

namespace {

// 20 lines; tests appended start on line 21. Four enabled rules and one disabled one.
const std::string base_rulebook = R"(decorum: 1
name: t
scoring:
  grades: [{min: 90, grade: A}, {min: 0, grade: D}]
records:
  phone_call: {rings: int, opening: text, private: bool}
  incident: {type: [fight, quarrel]}
rules:
  - {id: phone.rings, category: phone, on: phone_call, when: rings > 3, deduct: 10}
  - {id: phone.opening, category: phone, on: phone_call, when: 'has(opening) and not starts_with(opening, "您好")', deduct: 5}
  - {id: conduct.fight, category: conduct, on: incident, when: type == "fight", deduct: 50, fine: 500, flag: review}
  - id: conduct.quarrel
    on: incident
    when: type == "quarrel"
    fine: 100
  - id: phone.private
    on: phone_call
    when: private
    deduct: 1
    enabled: false
)";

test_run run(const std::string& tests) { return run_rulebook_tests("t.yaml", base_rulebook + tests); }

/// The messages of a test's failures, in order.
std::vector<std::string> messages(const decorum::test_result& t) {
  std::vector<std::string> out;
  for (const auto& f : t.failures) out.push_back(f.message);
  return out;
}

std::string errors_of(const test_run& r) {
  std::string out;
  for (const auto& d : r.diagnostics) out += decorum::format_diagnostic(d, false) + "\n";
  return out;
}

}  // namespace

TEST_CASE("rulebook test: a passing test") {
  test_run r = run(R"(tests:
  - name: a fourth ring costs ten points
    records:
      - {time: 2026-11-03T09:00:00+08:00, employee: E1, name: 王芳, kind: phone_call, rings: 4, opening: 您好}
      - {time: 2026-11-03T10:00:00+08:00, employee: E1, kind: phone_call, rings: 2}
    expect:
      - employee: E1
        period: 2026-11
        name: 王芳
        deductions: 10
        bonuses: 0
        score: 90.00
        grade: A
        fines: 0
        findings: 1
        flags: []
        categories: {phone: -10}
        rules: {phone.rings: 1, phone.opening: 0}
)");
  INFO(errors_of(r));
  REQUIRE(r.loaded());
  REQUIRE(r.tests.size() == 1);
  CHECK(r.tests[0].name == "a fourth ring costs ten points");
  CHECK(r.tests[0].pos == source_pos{22, 5});
  CHECK(r.tests[0].file == "t.yaml");
  CHECK(messages(r.tests[0]).empty());
  CHECK(r.tests[0].passed());
  CHECK(r.passed() == 1);
  CHECK(r.failed() == 0);
}

TEST_CASE("rulebook test: a failing test shows expected and actual for each key") {
  test_run r = run(R"(tests:
  - name: everything wrong
    records:
      - {time: 2026-11-03T09:00:00+08:00, employee: E1, name: 王芳, kind: incident, type: fight}
      - {time: 2026-11-04T09:00:00+08:00, employee: E1, kind: phone_call, rings: 5, opening: 喂}
    expect:
      - employee: E1
        name: 李四
        deductions: 60
        bonuses: 1.5
        score: 40
        grade: A
        fines: 100
        findings: 2
        flags: [review, dismissal]
        categories: {phone: -10, conduct: -50}
        rules: {phone.rings: 2, conduct.fight: 1, conduct.quarrel: 1}
)");
  INFO(errors_of(r));
  REQUIRE(r.loaded());
  REQUIRE(r.tests.size() == 1);
  const auto& t = r.tests[0];
  CHECK_FALSE(t.passed());
  // E1: fight 50 + fine 500, rings 10, opening 5 = 65 deductions, score 35, grade D, 3 findings.
  CHECK(messages(t) == std::vector<std::string>{
                           "name: expected 李四, got 王芳",
                           "deductions: expected 60, got 65",
                           "bonuses: expected 1.5, got 0",
                           "score: expected 40, got 35",
                           "grade: expected A, got D",
                           "fines: expected 100, got 500",
                           "findings: expected 2, got 3",
                           "flags: expected [dismissal, review], got [review]",
                           "categories.phone: expected -10, got -15",
                           "rules.phone.rings: expected 2, got 1",
                           "rules.conduct.quarrel: expected 1, got 0",
                       });
  for (const auto& f : t.failures) {
    CHECK_FALSE(f.error);
    CHECK(f.subject == "E1");
  }
  CHECK(t.failures[0].key == "name");
  CHECK(t.failures[0].expected == "李四");
  CHECK(t.failures[0].actual == "王芳");
  CHECK(t.failures[0].pos == source_pos{28, 15});   // the value 李四
  CHECK(t.failures[9].key == "rules.phone.rings");
  CHECK(t.failures[9].pos == source_pos{37, 30});   // the 2 after phone.rings:
  CHECK(r.failed() == 1);
}

TEST_CASE("rulebook test: an absent name or grade is shown as none") {
  test_run r = run(R"(tests:
  - name: nothing given
    records:
      - {time: 2026-11-03T09:00:00+08:00, employee: E1, kind: phone_call, rings: 1}
    expect:
      - {employee: E1, name: 王芳, grade: ~}
)");
  REQUIRE(r.loaded());
  CHECK(messages(r.tests[0]) ==
        std::vector<std::string>{"name: expected 王芳, got none", "grade: expected none, got A"});
}

TEST_CASE("rulebook test: an expectation without period must match exactly one tally") {
  test_run r = run(R"(tests:
  - name: two months
    records:
      - {time: 2026-10-30T09:00:00+08:00, employee: E1, kind: phone_call, rings: 4}
      - {time: 2026-11-03T09:00:00+08:00, employee: E1, kind: phone_call, rings: 4}
    expect:
      - {employee: E1, score: 90}
      - {employee: E2, score: 90}
      - {employee: E1, period: 2026-12, score: 90}
      - {employee: E1, period: 2026-10, score: 90}
)");
  REQUIRE(r.loaded());
  const auto& t = r.tests[0];
  REQUIRE(t.failures.size() == 3);
  CHECK(t.failures[0].message == "employee E1 has 2 tallies (2026-10, 2026-11); give a period to choose one");
  CHECK(t.failures[0].pos == source_pos{27, 20});
  CHECK(t.failures[0].error);
  CHECK(t.failures[1].message == "no tally for employee E2 (no record of this test has employee E2)");
  CHECK(t.failures[1].pos == source_pos{28, 20});
  CHECK(t.failures[2].message == "no tally for employee E1 in period 2026-12 (E1 has tallies for 2026-10, 2026-11)");
  CHECK(t.failures[2].pos == source_pos{29, 32});
  CHECK(t.failures[2].subject == "E1 2026-12");
}

TEST_CASE("rulebook test: rules counts compare occurrences, and 0 means the rule did not fire") {
  test_run r = run(R"(tests:
  - name: zero passes when the rule stayed silent
    records:
      - {time: 2026-11-03T09:00:00+08:00, employee: E1, kind: phone_call, rings: 1, opening: 您好}
    expect:
      - {employee: E1, findings: 0, rules: {phone.rings: 0, phone.opening: 0, conduct.fight: 0}}
  - name: zero fails when the rule fired
    records:
      - {time: 2026-11-03T09:00:00+08:00, employee: E1, kind: phone_call, rings: 4}
      - {time: 2026-11-04T09:00:00+08:00, employee: E1, kind: phone_call, rings: 9}
    expect:
      - {employee: E1, rules: {phone.rings: 0}}
      - {employee: E1, rules: {phone.rings: 2}}
)");
  REQUIRE(r.loaded());
  REQUIRE(r.tests.size() == 2);
  CHECK(r.tests[0].passed());
  CHECK(messages(r.tests[1]) == std::vector<std::string>{"rules.phone.rings: expected 0, got 2"});
  CHECK(r.passed() == 1);
  CHECK(r.failed() == 1);
}

TEST_CASE("rulebook test: bad record values are errors at the offending scalar") {
  test_run r = run(R"(tests:
  - name: bad records
    records:
      - {time: 2026-11-03T09:00:00+08:00, employee: E1, kind: phone_call, rings: four}
      - {time: 2026-11-03T09:00:00+08:00, employee: E1, kind: incident, type: brawl}
      - {time: 2026-11-03T09:00:00+08:00, employee: E1, kind: phone_cal}
      - {time: 2026-11-03T09:00:00+08:00, employee: E1, kind: phone_call, ringz: 4}
      - {time: yesterday, employee: E1, kind: phone_call}
      - {time: 2026-11-03T09:00:00+08:00, kind: phone_call, rings: 2.5}
      - {time: 2026-11-03T09:00:00+08:00, kind: phone_call}
      - time: 2026-11-03T09:00:00+08:00
        employee: E1
      - {time: 2026-11-03T09:00:00+08:00, employee: E1, kind: phone_call, private: 是, rings: 4}
    expect:
      - {employee: E1, score: 0}
)");
  INFO(errors_of(r));
  REQUIRE(r.loaded());
  const auto& t = r.tests[0];
  std::vector<std::string> got;
  for (const auto& f : t.failures) got.push_back(fmt::format("{}:{}: {}", f.pos.line, f.pos.column, f.message));
  // Only the records are blamed: with a bad record the tallies are incomplete, so the
  // expectation (score 0, wrong) is not compared.
  INFO(fmt::format("{}", fmt::join(got, "\n")));
  CHECK(got == std::vector<std::string>{
                   "24:82: rings: expected int, got \"four\"",
                   "25:79: type: \"brawl\" is not one of fight, quarrel",
                   "26:63: unknown kind 'phone_cal'; did you mean 'phone_call'?",
                   "27:75: unknown field 'ringz' for kind 'phone_call'; did you mean 'rings'?",
                   "28:16: time: expected ISO 8601 time, got \"yesterday\"",
                   "29:68: rings: expected int, got \"2.5\"",
                   "30:9: missing required field 'employee'",
                   "31:9: missing required field 'kind'",
               });
  for (const auto& f : t.failures) CHECK(f.error);
}

TEST_CASE("rulebook test: unknown expectation keys, rule ids and categories, with did-you-mean") {
  test_run r = run(R"(tests:
  - name: typos
    records:
      - {time: 2026-11-03T09:00:00+08:00, employee: E1, kind: phone_call, rings: 4}
    expect:
      - {employee: E1, scores: 90, rules: {phone.ring: 1}, categories: {phones: -10}}
      - employee: E1
        grades:
        deductions: ten
        findings: 1.5
        totally_unknown: [1]
      - {score: 90}
)");
  INFO(errors_of(r));
  REQUIRE(r.loaded());
  const auto& t = r.tests[0];
  std::vector<std::string> got;
  for (const auto& f : t.failures) got.push_back(fmt::format("{}:{}: {}", f.pos.line, f.pos.column, f.message));
  INFO(fmt::format("{}", fmt::join(got, "\n")));
  CHECK(got == std::vector<std::string>{
                   "26:24: unknown key 'scores' in an expectation; did you mean 'score'?",
                   "26:44: unknown rule 'phone.ring'; did you mean 'phone.rings'?",
                   "26:73: unknown category 'phones'; did you mean 'phone'?",
                   "28:9: unknown key 'grades' in an expectation; did you mean 'grade'?",
                   "31:9: unknown key 'totally_unknown' in an expectation",
                   "29:21: deductions must be a number, got \"ten\"",
                   "30:19: findings must be a whole number, got \"1.5\"",
                   "32:9: an expectation needs 'employee'",
               });
}

TEST_CASE("rulebook test: coverage counts enabled rules that fired in any test") {
  // Fired: phone.rings (test 1), conduct.fight and conduct.quarrel (test 2, which fails).
  // Not fired: phone.opening. phone.private is disabled and not counted: 3/4 = 75%.
  test_run r = run(R"(tests:
  - name: one
    records:
      - {time: 2026-11-03T09:00:00+08:00, employee: E1, kind: phone_call, rings: 4}
  - name: two
    records:
      - {time: 2026-11-03T09:00:00+08:00, employee: E2, kind: incident, type: fight}
      - {time: 2026-11-03T09:00:00+08:00, employee: E2, kind: incident, type: quarrel}
    expect:
      - {employee: E2, fines: 0}
)");
  REQUIRE(r.loaded());
  const auto& c = r.coverage;
  REQUIRE(c.fired.size() == 3);
  CHECK(c.fired[0].id == "phone.rings");
  CHECK(c.fired[1].id == "conduct.fight");
  CHECK(c.fired[2].id == "conduct.quarrel");
  REQUIRE(c.not_fired.size() == 1);
  CHECK(c.not_fired[0].id == "phone.opening");
  CHECK(c.not_fired[0].pos == source_pos{10, 5});
  CHECK(c.total() == 4);
  CHECK(c.percent() == doctest::Approx(75.0));
  CHECK(c.describe() == "3/4 rules fired (75.0%)");
  CHECK(c.at_least(75));
  CHECK_FALSE(c.at_least(75.01));
  CHECK(messages(r.tests[1]) == std::vector<std::string>{"fines: expected 0, got 600"});

  // No tests: 0/4.
  test_run none = run("tests: []\n");
  CHECK(none.coverage.describe() == "0/4 rules fired (0.0%)");
  CHECK(none.coverage.at_least(0));
  CHECK_FALSE(none.coverage.at_least(1));
}

TEST_CASE("rulebook test: coverage percentages round to one decimal but never up to 100") {
  // 58 rules of which a test makes 57 fire: 57/58 = 98.28% -> 98.3%.
  // 2/3 = 66.67% -> 66.7%; 1999/2000 = 99.95% would round to 100.0 and is shown as 99.9.
  decorum::test_coverage c;
  for (int i = 0; i < 57; ++i) c.fired.push_back({"r" + std::to_string(i), {}});
  c.not_fired.push_back({"last", {}});
  CHECK(c.describe() == "57/58 rules fired (98.3%)");
  CHECK_FALSE(c.at_least(100));
  CHECK(c.at_least(98.2));
  decorum::test_coverage third;
  third.fired = {{"a", {}}, {"b", {}}};
  third.not_fired = {{"c", {}}};
  CHECK(third.describe() == "2/3 rules fired (66.7%)");
  decorum::test_coverage almost;
  for (int i = 0; i < 1999; ++i) almost.fired.push_back({"r", {}});
  almost.not_fired.push_back({"x", {}});
  CHECK(almost.describe() == "1999/2000 rules fired (99.9%)");
  decorum::test_coverage empty;
  CHECK(empty.describe() == "0/0 rules fired (100.0%)");
  CHECK(empty.at_least(100));

  // The same 57/58 through the runner: 58 generated rules, one never fired.
  std::string text = "decorum: 1\nname: many\nrecords:\n  c: {n: int}\nrules:\n";
  for (int i = 0; i < 58; ++i) text += fmt::format("  - {{id: r{}, on: c, when: n == {}, deduct: 1}}\n", i, i);
  text += "tests:\n  - name: all but the last\n    records:\n";
  for (int i = 0; i < 57; ++i) text += fmt::format("      - {{time: 2026-11-01, employee: E, kind: c, n: {}}}\n", i);
  text += "    expect:\n      - {employee: E, deductions: 57, findings: 57, rules: {r0: 1, r57: 0}}\n";
  test_run r = run_rulebook_tests("many.yaml", text);
  INFO(errors_of(r));
  REQUIRE(r.loaded());
  CHECK(r.tests[0].passed());
  CHECK(r.coverage.describe() == "57/58 rules fired (98.3%)");
  REQUIRE(r.coverage.not_fired.size() == 1);
  CHECK(r.coverage.not_fired[0].id == "r57");
  CHECK(r.coverage.not_fired[0].pos == source_pos{63, 5});
}

TEST_CASE("rulebook test: a rulebook with errors runs no test") {
  test_run r = run_rulebook_tests("bad.yaml", "decorum: 1\nname: b\nrecords: {c: {n: int}}\nrules:\n  - {id: x, on: c, when: m > 1}\n");
  CHECK_FALSE(r.loaded());
  CHECK(r.tests.empty());
  CHECK(decorum::has_errors(r.diagnostics));
  // A malformed test is a load error of the rulebook too.
  test_run t = run("tests:\n  - name: x\n    recrods: []\n");
  CHECK_FALSE(t.loaded());
  CHECK(errors_of(t).find("t.yaml:23:5: error[D110]: unknown key 'recrods' in a test; did you mean 'records'?") !=
        std::string::npos);
}

TEST_CASE("rulebook test: a duplicate record id is a test error") {
  test_run r = run(R"(tests:
  - name: twice
    records:
      - {time: 2026-11-03T09:00:00+08:00, employee: E1, kind: phone_call, id: c1, rings: 4}
      - {time: 2026-11-03T09:05:00+08:00, employee: E1, kind: phone_call, id: c1, rings: 4}
)");
  REQUIRE(r.loaded());
  REQUIRE(r.tests[0].failures.size() == 1);
  CHECK(r.tests[0].failures[0].error);
  CHECK(r.tests[0].failures[0].pos == source_pos{25, 9});
  CHECK(r.tests[0].failures[0].message.find("c1") != std::string::npos);
}

TEST_CASE("rulebook test: a separate test file names its rulebook relative to itself") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / fmt::format("decorum_rulebook_test_{}", ::getpid());
  fs::remove_all(dir);
  fs::create_directories(dir / "rules");
  fs::create_directories(dir / "checks");
  {
    std::ofstream(dir / "rules" / "t.yaml") << base_rulebook;
    std::ofstream(dir / "checks" / "t.tests.yaml") << R"(# tests of ../rules/t.yaml
rulebook: ../rules/t.yaml
tests:
  - name: a fourth ring
    records:
      - {time: 2026-11-03T09:00:00+08:00, employee: E1, kind: phone_call, rings: 4}
    expect:
      - {employee: E1, score: 90, rules: {phone.rings: 1}}
  - name: wrong on purpose
    records:
      - {time: 2026-11-03T09:00:00+08:00, employee: E1, kind: phone_call, rings: 4}
    expect:
      - {employee: E1, score: 100}
)";
    std::ofstream(dir / "checks" / "missing.yaml") << "rulebook: nowhere.yaml\ntests: []\n";
    std::ofstream(dir / "checks" / "typo.yaml") << "rulebook: ../rules/t.yaml\ntest: []\n";
  }
  const std::string test_file = (dir / "checks" / "t.tests.yaml").string();
  test_run r = decorum::run_test_file(test_file);
  INFO(errors_of(r));
  REQUIRE(r.loaded());
  CHECK(r.file == test_file);
  CHECK(r.rulebook_file == (dir / "rules" / "t.yaml").lexically_normal().string());
  REQUIRE(r.tests.size() == 2);
  CHECK(r.tests[0].passed());
  CHECK(r.tests[0].file == test_file);
  CHECK(r.tests[0].pos == source_pos{4, 5});
  REQUIRE(r.tests[1].failures.size() == 1);
  CHECK(r.tests[1].failures[0].message == "score: expected 100, got 90");
  CHECK(r.tests[1].failures[0].pos == source_pos{13, 31});
  CHECK(r.coverage.describe() == "1/4 rules fired (25.0%)");

  // The rulebook's own tests are not run with a test file; run directly, it has none.
  test_run own = decorum::run_test_file((dir / "rules" / "t.yaml").string());
  REQUIRE(own.loaded());
  CHECK(own.tests.empty());

  test_run missing = decorum::run_test_file((dir / "checks" / "missing.yaml").string());
  CHECK_FALSE(missing.loaded());
  REQUIRE(missing.diagnostics.size() == 1);
  CHECK(missing.diagnostics[0].pos == source_pos{1, 11});
  CHECK(missing.diagnostics[0].message.find("cannot open rulebook 'nowhere.yaml'") == 0);

  test_run typo = decorum::run_test_file((dir / "checks" / "typo.yaml").string());
  CHECK_FALSE(typo.loaded());
  const std::string e = errors_of(typo);
  CHECK(e.find(":2:1: error[D110]: unknown key 'test' in the test file; did you mean 'tests'?") != std::string::npos);
  CHECK(e.find(":1:1: error[D113]: missing 'tests'") != std::string::npos);

  test_run absent = decorum::run_test_file((dir / "nope.yaml").string());
  CHECK_FALSE(absent.loaded());
  CHECK(errors_of(absent).find("cannot open file") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("rulebook test: test files are told from rulebooks by a top-level rulebook key") {
  CHECK(decorum::is_test_file_text("rulebook: x.yaml\ntests: []\n"));
  CHECK(decorum::is_test_file_text("# comment\n\"rulebook\" : x.yaml\n"));
  CHECK_FALSE(decorum::is_test_file_text("decorum: 1\nname: x\n"));
  CHECK_FALSE(decorum::is_test_file_text("decorum: 1\nrulebook: x\n"));
  CHECK_FALSE(decorum::is_test_file_text("tests:\n  - rulebook: x\n"));
}

TEST_CASE("rulebook test: an unknown key is blamed at the key even when its value repeats it") {
  test_run r = run(R"(tests:
  - name: echo
    records:
      - {time: 2026-11-03T09:00:00+08:00, employee: E1, kind: phone_call}
    expect:
      - {employee: E1, flag: flag}
)");
  REQUIRE(r.loaded());
  REQUIRE(r.tests[0].failures.size() == 1);
  CHECK(r.tests[0].failures[0].message == "unknown key 'flag' in an expectation; did you mean 'flags'?");
  CHECK(r.tests[0].failures[0].pos == source_pos{26, 24});
}

TEST_CASE("rulebook test: versions of one id are one rule in coverage (SPEC §9)") {
  // Two versions of phone.rings; the test's record falls in the second: 1 of 1 rule fired.
  const std::string text = R"(decorum: 1
name: t
records:
  phone_call: {rings: int}
rules:
  - {id: phone.rings, effective: {until: 2026-12-01}, on: phone_call, when: rings > 3, deduct: 10}
  - {id: phone.rings, effective: {from: 2026-12-01}, on: phone_call, when: rings > 3, deduct: 20}
tests:
  - name: december
    records:
      - {time: 2026-12-02T09:00, employee: E1, kind: phone_call, rings: 5}
    expect:
      - {employee: E1, period: 2026-12, deductions: 20, rules: {phone.rings: 1}}
)";
  const test_run r = run_rulebook_tests("t.yaml", text);
  REQUIRE(r.tests.size() == 1);
  CHECK(r.tests[0].failures.empty());
  CHECK(r.coverage.describe() == "1/1 rules fired (100.0%)");
  CHECK(r.coverage.not_fired.empty());
}

TEST_CASE("rulebook test: appeals void a finding in a test, and bad appeals are errors at the appeal") {
  // phone.rings fires on R1 and R2 (10 each); R2 is voided: 10 deducted, 1 finding, 1 voided.
  test_run good = run(R"(tests:
  - name: a voided finding
    records:
      - {id: R1, time: 2026-11-03T09:00:00+08:00, employee: E1, kind: phone_call, rings: 4}
      - {id: R2, time: 2026-11-04T09:00:00+08:00, employee: E1, kind: phone_call, rings: 5}
    appeals:
      - {rule: phone.rings, record: R2, decision: void, reviewer: HR, reason: miscounted}
    expect:
      - {employee: E1, findings: 1, voided: 1, deductions: 10, score: 90}
  - name: the same records without the appeal
    records:
      - {id: R1, time: 2026-11-03T09:00:00+08:00, employee: E1, kind: phone_call, rings: 4}
      - {id: R2, time: 2026-11-04T09:00:00+08:00, employee: E1, kind: phone_call, rings: 5}
    expect:
      - {employee: E1, findings: 2, voided: 1, deductions: 20}
)");
  INFO(errors_of(good));
  REQUIRE(good.loaded());
  REQUIRE(good.tests.size() == 2);
  CHECK(good.tests[0].passed());
  REQUIRE(good.tests[1].failures.size() == 1);
  CHECK(good.tests[1].failures[0].message == "voided: expected 1, got 0");

  test_run bad = run(R"(tests:
  - name: bad appeals
    records:
      - {id: R1, time: 2026-11-03T09:00:00+08:00, employee: E1, kind: phone_call, rings: 4}
    appeals:
      - {rule: phone.rings, record: R1, decision: cancel, reviewer: HR, reason: x}
      - {rule: phone.rings, record: R1, decision: void, reviewr: HR, reason: x}
      - {rule: phone.rings, record: R1, decision: void, reviewer: HR, reason: x}
      - {rule: phone.rings, record: R1, decision: upheld, reviewer: HR, reason: y}
    expect:
      - {employee: E1, score: 0}
)");
  REQUIRE(bad.loaded());
  std::vector<std::string> got;
  for (const auto& f : bad.tests[0].failures) got.push_back(fmt::format("{}:{}: {}", f.pos.line, f.pos.column, f.message));
  INFO(fmt::format("{}", fmt::join(got, "\n")));
  CHECK(got == std::vector<std::string>{
                   "26:9: unknown decision 'cancel': expected void or upheld",
                   "27:66: unknown key 'reviewr' in an appeal",
                   "27:9: appeal without a reviewer: `reviewer` must be non-empty text",
               });
  CHECK_FALSE(bad.tests[0].passed());
  // Well-formed appeals of one finding, twice: the second is the error.
  test_run twice = run(R"(tests:
  - name: one finding appealed twice
    records:
      - {id: R1, time: 2026-11-03T09:00:00+08:00, employee: E1, kind: phone_call, rings: 4}
    appeals:
      - {rule: phone.rings, record: R1, decision: void, reviewer: HR, reason: x}
      - {rule: phone.rings, record: R1, decision: upheld, reviewer: HR, reason: y}
)");
  REQUIRE(twice.tests.size() == 1);
  REQUIRE(twice.tests[0].failures.size() == 1);
  CHECK(twice.tests[0].failures[0].pos.line == 27);
  CHECK(twice.tests[0].failures[0].message == "a second appeal for the same finding (the first is at t.yaml:26); a finding is decided once");
}
