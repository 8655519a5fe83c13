// tests/fuzz/fuzz_rulebook.cpp — libFuzzer target: a rulebook from arbitrary bytes through
// every stage `decorum check` and `decorum test` run: YAML loading, expression parsing and
// type checking, compiling; every diagnostic rendered (text with source line and caret, and
// JSON); a compiled rulebook's rules described as `decorum rules` does and its own `tests:`
// run. Checks that the stages agree: a rule set comes back exactly when no error was reported,
// and every diagnostic names its file and says something.
#include "fuzz_common.hpp"

#include "decorum/api/rule_tests.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace decorum;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::string name = "fuzz.yaml";

  std::vector<diagnostic> diags;
  std::shared_ptr<const rule_set> rs = compile_rulebook(name, text, diags);
  FUZZ_CHECK(static_cast<bool>(rs) != has_errors(diags), "compile_rulebook: a rule set with errors, or none without");

  sort_by_position(diags);
  for (const auto& d : diags) {
    FUZZ_CHECK(!d.message.empty(), "a diagnostic without a message");
    FUZZ_CHECK(d.file == name, "a diagnostic naming another file");
    if (d.source) FUZZ_CHECK(d.pos.line <= d.source->line_count() + 1, "a diagnostic past the end of its file");
    (void)format_diagnostic(d, true);
    (void)format_diagnostic(d, false);
  }
  (void)diagnostics_to_json(diags);
  if (!rs) return 0;

  // What `decorum rules` shows.
  for (const auto& r : rs->rules()) {
    FUZZ_CHECK(r.kind >= 0 && static_cast<std::size_t>(r.kind) < rs->schema().kinds().size(), "a rule of no kind");
    (void)r.describe_points();
  }

  // The rulebook's own tests, as `decorum test` runs them.
  if (!rs->model().tests.empty()) {
    test_run run = run_tests(rs, rs->model().tests, rs->model().source);
    for (const auto& t : run.tests)
      for (const auto& f : t.failures) FUZZ_CHECK(!f.message.empty(), "a test failure without a message");
    (void)run.coverage.describe();
    FUZZ_CHECK(run.coverage.total() <= rs->rules().size(), "coverage counts more rules than there are");
  }
  return 0;
}
