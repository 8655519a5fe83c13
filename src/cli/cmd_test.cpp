// src/cli/cmd_test.cpp — entry point: run_test. `decorum test FILE...` (SPEC §6, §7): runs
// every test of every rulebook or test file (or those --run chooses), prints PASS/FAIL per
// test with what differed, the rules no test made fire and the coverage per file, and closes
// with "N passed, N failed". --junit and --coverage json are written by
// src/cli/test_reports.cpp; --watch re-runs through src/cli/watch.cpp.
#include "commands.hpp"
#include "test_reports.hpp"
#include "watch.hpp"

#include "decorum/api/rule_tests.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <regex>
#include <set>

namespace decorum::cli {

namespace {

std::string where(const std::string& file, source_pos pos) { return fmt::format("{}:{}", file, pos.line); }

/// Prints one file's tests and coverage to `out`; returns false when the file fails the run.
bool print_run(std::FILE* out, const test_run& run, const test_options& o) {
  if (!run.loaded()) {
    std::size_t errors = 0;
    for (const auto& d : run.diagnostics)
      if (d.severity == severity::error) {
        fmt::print(stderr, "{}\n", format_diagnostic(d));
        ++errors;
      }
    fmt::print(out, "{}: no test ran: {} error{} (on standard error)\n", run.file, errors, errors == 1 ? "" : "s");
    return false;
  }
  const std::size_t n = run.tests.size();
  const std::string skipped = run.skipped ? fmt::format(", {} skipped", run.skipped) : std::string();
  if (run.rulebook_file == run.file)
    fmt::print(out, "{}: {} test{}{}\n", run.file, n, n == 1 ? "" : "s", skipped);
  else
    fmt::print(out, "{}: {} test{} of {}{}\n", run.file, n, n == 1 ? "" : "s", run.rulebook_file, skipped);
  for (const auto& t : run.tests) {
    fmt::print(out, "{} {} ({})\n", t.passed() ? "PASS" : "FAIL", t.name, where(t.file, t.pos));
    for (const auto& f : t.failures) {
      if (f.error)
        fmt::print(out, "  {}:{}:{}: error: {}\n", t.file, f.pos.line, f.pos.column, f.message);
      else
        fmt::print(out, "  {}: {}\n", f.subject, f.message);
    }
  }
  for (const auto& r : run.coverage.not_fired)
    fmt::print(out, "not covered: {} ({})\n", r.id, where(run.rulebook_file, r.pos));
  fmt::print(out, "coverage: {}\n", run.coverage.describe());
  if (!run.coverage.at_least(o.min_coverage)) {
    fmt::print(out, "coverage is below --min-coverage {}%\n", o.min_coverage);
    return false;
  }
  return true;
}

/// The --run patterns compiled; false (having said why) when one is not a valid regex.
bool compile_patterns(const std::vector<std::string>& patterns, std::vector<std::regex>& out) {
  for (const auto& p : patterns) {
    try {
      out.emplace_back(p, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      fmt::print(stderr, "decorum test: --run '{}' is not a valid regular expression: {}\n", p, e.what());
      return false;
    }
  }
  return true;
}

/// One run over every file: prints the text report, writes --coverage json and --junit, and
/// adds the rulebooks the test files name to `inputs` (for --watch). The exit status.
int run_tests_once(const test_options& o, const std::vector<std::regex>& patterns, std::vector<std::string>* inputs) {
  test_selector select;
  if (!patterns.empty())
    select = [&patterns](std::string_view name) {
      for (const auto& re : patterns)
        if (std::regex_search(name.begin(), name.end(), re)) return true;
      return false;
    };
  // With --coverage json the JSON alone is on standard output, so it can be piped; the
  // text report goes to standard error.
  std::FILE* out = o.coverage == "json" ? stderr : stdout;
  std::vector<test_run> runs;
  std::size_t passed = 0, failed = 0, skipped = 0;
  bool ok = true, any_loaded = false;
  for (std::size_t i = 0; i < o.files.size(); ++i) {
    if (i) fmt::print(out, "\n");
    test_run run = run_test_file(o.files[i], select);
    if (!print_run(out, run, o)) ok = false;
    std::fflush(out);
    passed += run.passed();
    failed += run.failed();
    skipped += run.skipped;
    any_loaded = any_loaded || run.loaded();
    if (inputs && !run.rulebook_file.empty() && run.rulebook_file != run.file) inputs->push_back(run.rulebook_file);
    runs.push_back(std::move(run));
  }
  if (patterns.empty())
    fmt::print(out, "{} passed, {} failed\n", passed, failed);
  else
    fmt::print(out, "{} passed, {} failed, {} skipped\n", passed, failed, skipped);
  std::fflush(out);
  if (!patterns.empty() && passed + failed == 0 && any_loaded) {
    // A pattern that matches nothing must not let CI pass with no test run.
    fmt::print(stderr, "decorum test: --run matched no test in {} file{}\n", o.files.size(),
               o.files.size() == 1 ? "" : "s");
    ok = false;
  }
  if (o.coverage == "json") {
    const std::string json = coverage_json(runs);
    if (!write_text("", json, "test")) ok = false;
  }
  if (!o.junit.empty() && !write_file_atomically(o.junit, junit_xml(runs), "test")) ok = false;
  return ok && failed == 0 ? exit_ok : exit_failure;
}

}  // namespace

int run_test(const test_options& o) {
  std::vector<std::regex> patterns;
  if (!compile_patterns(o.run, patterns)) return exit_usage;
  if (!o.watch) return run_tests_once(o, patterns, nullptr);
  return watch_tests(o.files, [&](std::vector<std::string>& inputs) { run_tests_once(o, patterns, &inputs); });
}

}  // namespace decorum::cli
