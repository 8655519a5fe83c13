// src/cli/cmd_test.cpp — entry point: run_test. `decorum test FILE...` (SPEC §6, §7): runs
// every test of every rulebook or test file, prints PASS/FAIL per test with what differed,
// the rules no test made fire and the coverage per file, and closes with "N passed, N failed".
#include "commands.hpp"

#include "decorum/api/rule_tests.hpp"

#include <fmt/format.h>

#include <cstdio>

namespace decorum::cli {

namespace {

std::string where(const std::string& file, source_pos pos) { return fmt::format("{}:{}", file, pos.line); }

/// Prints one file's tests and coverage; returns false when the file fails the run.
bool print_run(const test_run& run, const test_options& o, std::size_t& passed, std::size_t& failed) {
  if (!run.loaded()) {
    std::size_t errors = 0;
    for (const auto& d : run.diagnostics)
      if (d.severity == severity::error) {
        fmt::print(stderr, "{}\n", format_diagnostic(d));
        ++errors;
      }
    fmt::print("{}: no test ran: {} error{} (on standard error)\n", run.file, errors, errors == 1 ? "" : "s");
    return false;
  }
  const std::size_t n = run.tests.size();
  if (run.rulebook_file == run.file)
    fmt::print("{}: {} test{}\n", run.file, n, n == 1 ? "" : "s");
  else
    fmt::print("{}: {} test{} of {}\n", run.file, n, n == 1 ? "" : "s", run.rulebook_file);
  for (const auto& t : run.tests) {
    fmt::print("{} {} ({})\n", t.passed() ? "PASS" : "FAIL", t.name, where(t.file, t.pos));
    for (const auto& f : t.failures) {
      if (f.error)
        fmt::print("  {}:{}:{}: error: {}\n", t.file, f.pos.line, f.pos.column, f.message);
      else
        fmt::print("  {}: {}\n", f.subject, f.message);
    }
  }
  passed += run.passed();
  failed += run.failed();
  for (const auto& r : run.coverage.not_fired) fmt::print("not covered: {} ({})\n", r.id, where(run.rulebook_file, r.pos));
  fmt::print("coverage: {}\n", run.coverage.describe());
  if (!run.coverage.at_least(o.min_coverage)) {
    fmt::print("coverage is below --min-coverage {}%\n", o.min_coverage);
    return false;
  }
  return true;
}

}  // namespace

int run_test(const test_options& o) {
  std::size_t passed = 0, failed = 0;
  bool ok = true;
  for (std::size_t i = 0; i < o.files.size(); ++i) {
    if (i) fmt::print("\n");
    const test_run run = run_test_file(o.files[i]);
    if (!print_run(run, o, passed, failed)) ok = false;
    std::fflush(stdout);
  }
  fmt::print("{} passed, {} failed\n", passed, failed);
  return ok && failed == 0 ? exit_ok : exit_failure;
}

}  // namespace decorum::cli
