// decorum/api/rule_tests.hpp — entry points: `run_test_file`, `run_rulebook_tests`, `run_tests`.
// Runs the rulebook tests of SPEC §7: each test's records are typed like CSV cells and
// scored by a fresh scorer, each expectation is compared key by key with the tally it
// names, and coverage says which rules no test made fire. Nothing here prints; the
// `decorum test` command formats the results.
#pragma once

#include "decorum/compile/compile.hpp"
#include "decorum/base/diagnostic.hpp"

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace decorum {

/// One reason a test failed: a key whose expected value differs from the tally's, or a
/// test that cannot be run as written (a bad record, an unknown key, an expectation that
/// matches no tally or several).
struct test_failure {
  std::string subject;   ///< the expectation's employee, plus its period when given ("E1", "E1 2026-11"); "" for a record
  std::string key;       ///< the compared key ("score", "rules.phone.three-rings", "categories.phone"); "" for an error
  std::string expected;  ///< for a comparison: the expected value as shown ("90", "A", "[x, y]", "none")
  std::string actual;    ///< for a comparison: the scored value as shown
  std::string message;   ///< the whole line: "score: expected 90, got 80", or the error
  source_pos pos;        ///< where in the test's file (the value for a comparison, the offending scalar for an error)
  bool error = false;    ///< true for a malformed test or an expectation that matches no single tally
};

/// The outcome of one test.
struct test_result {
  std::string name;                    ///< `name:` (or "test at line N")
  std::string file;                    ///< the file the test is written in
  source_pos pos;                      ///< where its `- ` item starts
  std::vector<test_failure> failures;  ///< in order: record errors, then expectations in file order
  std::vector<std::string> fired;      ///< ids of the rules that fired in this test, sorted, each once
  /// True when nothing failed.
  bool passed() const noexcept { return failures.empty(); }
};

/// A rule as coverage lists it.
struct coverage_rule {
  std::string id;   ///< rule id
  source_pos pos;   ///< where the rule is written in its rulebook
  std::vector<std::string> tests;  ///< names of the tests (of those run) it fired in, file order; empty when none
};

/// Which rules the tests made fire. Disabled rules never fire and are left out of both lists.
struct test_coverage {
  std::vector<coverage_rule> fired;      ///< enabled rules that fired in at least one test, rulebook order
  std::vector<coverage_rule> not_fired;  ///< enabled rules that fired in no test, rulebook order
  /// How many enabled rules there are.
  std::size_t total() const noexcept { return fired.size() + not_fired.size(); }
  /// The share of enabled rules that fired, in percent; 100 when there are none.
  double percent() const noexcept;
  /// True when at least `pct` percent of the rules fired (compared exactly, not after rounding).
  bool at_least(double pct) const noexcept;
  /// "57/58 rules fired (98.3%)": one decimal, never shown as 100.0% unless every rule fired.
  std::string describe() const;
};

/// Every test of one file, and the coverage they reach.
struct test_run {
  std::string file;                     ///< the file as given (a rulebook, or a test file)
  std::string rulebook_file;            ///< the rulebook the tests ran against ("" when it did not load)
  std::shared_ptr<const rule_set> rules;  ///< the compiled rulebook; null when it or the test file had errors
  std::vector<diagnostic> diagnostics;  ///< loading the file and its rulebook; when any is an error, no test ran
  std::vector<test_result> tests;       ///< the tests run (all, or those the selector chose), in file order
  std::size_t skipped = 0;              ///< tests the selector left out: not run, not in `tests` nor in coverage
  test_coverage coverage;               ///< over this file's tests
  /// True when the file and its rulebook loaded without errors.
  bool loaded() const noexcept { return rules != nullptr; }
  /// How many tests passed.
  std::size_t passed() const noexcept;
  /// How many tests failed.
  std::size_t failed() const noexcept { return tests.size() - passed(); }
};

/// Chooses tests by name (`decorum test --run`): true to run the test. An empty selector runs
/// every test.
using test_selector = std::function<bool(std::string_view name)>;

/// Runs `tests` (written in `file`) against a compiled rulebook: each with a fresh scorer.
/// Fills `tests` and `coverage` of the result; `file` and `rules` are set from the arguments.
/// With `select`, only the tests it chooses run; the others are counted in `skipped`, and
/// coverage is over the tests run.
test_run run_tests(std::shared_ptr<const rule_set> rules, const std::vector<rulebook::test_decl>& tests,
                   std::shared_ptr<const source_file> file, const test_selector& select = {});

/// Compiles a rulebook from text and runs its own `tests:` (those `select` chooses). `name`
/// is the file name shown.
test_run run_rulebook_tests(std::string name, std::string text, const test_selector& select = {});

/// Loads `path` and runs its tests (those `select` chooses): either a rulebook with
/// `tests:`, or a test file with `rulebook: PATH` (relative to the test file) and `tests:`.
/// Never throws for bad input.
test_run run_test_file(const std::string& path, const test_selector& select = {});

/// True when `text` is a test file rather than a rulebook: it has a top-level `rulebook:`
/// key (a line starting with it) and no `decorum:` key.
bool is_test_file_text(std::string_view text) noexcept;

}  // namespace decorum
