// tests/cli/test_across.cpp — entry point: doctest cases "score: …" (ctest e2e-score). End-to-end
// tests of the rules across records of SPEC §8: window rules (`per`, `where`, `active`, the
// aggregates) and deadline rules (`until`, `match`, `within`, the as-of time, pending duties).
// Each case runs the built CLI on the rulebooks and logs of tests/e2e/ and compares the
// report byte for byte with an expected file whose every number was worked out by hand first
// (tests/e2e/README.md, "Rules across records"); then logs split into shards, read in either
// order, on one or two threads, and merged from `--format partial` results give the same
// bytes (§8.3). The helpers are test_score.cpp's; without the CLI target this compiles to nothing.
#include <doctest/doctest.h>

#ifdef DECORUM_CLI

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <sys/wait.h>

#include "support/cli_run.hpp"

namespace fs = std::filesystem;

namespace {

using namespace decorum::test;

const fs::path& scratch() { return e2e_scratch(); }

run_result score(const std::string& args, const fs::path& cwd = e2e_dir) { return run_cli("score", args, cwd); }

/// Splits tests/e2e/LOG into DIR/a.jsonl (the lines holding any of `to_a`) and DIR/b.jsonl
/// (the rest), so the records a window or a duty joins lie in different inputs.
fs::path split_log(const std::string& log, const std::vector<std::string_view>& to_a) {
  const fs::path dir = scratch() / ("split-" + log);
  fs::create_directories(dir);
  std::istringstream in(slurp(e2e_dir / log));
  std::string a, b;
  for (std::string line; std::getline(in, line);) {
    bool first = false;
    for (auto k : to_a) first = first || has(line, k);
    (first ? a : b) += line + "\n";
  }
  REQUIRE(!a.empty());
  REQUIRE(!b.empty());
  spit(dir / "a.jsonl", a);
  spit(dir / "b.jsonl", b);
  return dir;
}

}  // namespace

// ---------------------------------------------------------------- window rules (SPEC §8.1)

TEST_CASE("score: window rules per day and week: days worked and days off, where, active, roles, every aggregate") {
  check_report(score("-r window.yaml --format json --findings window.jsonl"), "window-findings.json");
  // The table lists a window in which no record counted as such, not as ":0".
  run_result t = score("-r window.yaml --format table --findings window.jsonl");
  check_report(t, "window.txt");
  CHECK_FALSE(has(t.out, ":0 "));
}

TEST_CASE("score: window rules per week, month, all and period: October's week in October, progressive prices in window order, cap, flag") {
  check_report(score("-r window-per.yaml --format json --findings window-per.jsonl"), "window-per-findings.json");
  // per: period follows --period; month windows land in the week of their first day.
  check_report(score("-r window-per.yaml --format csv --period week window-per.jsonl"), "window-per-week.csv");
}

// ---------------------------------------------------------------- deadline rules (SPEC §8.2)

TEST_CASE("score: deadline rules: in time, late, at the due time, before the opening, by another employee, never closed, pending") {
  run_result r = score("-r deadline.yaml --format json --findings deadline.jsonl");
  check_report(r, "deadline-findings.json");
  // A null or negative `within`, a null match, a rejected record: records = scored + rejected.
  CHECK(has(r.out, "\"input\": {\"records\": 21, \"scored\": 20, \"rejected\": 1,"));
  CHECK(has(r.err, "1 of 21 records rejected"));
  check_report(score("-r deadline.yaml --format table deadline.jsonl"), "deadline.txt");
  // `until` of the opening's own kind: another record discharges a duty, never its own.
  check_report(score("-r repeat.yaml --format json --findings repeat.jsonl"), "repeat-findings.json");
}

TEST_CASE("score: --as-of overrides the latest record's time; a bad one is a usage error") {
  check_report(score("-r deadline.yaml --format json --findings --as-of 2026-11-08T12:00 deadline.jsonl"), "deadline-asof-late.json");
  // Wall clock as written: the offset moves nothing.
  check_report(score("-r deadline.yaml --format json --findings --as-of 2026-11-08T12:00+08:00 deadline.jsonl"),
               "deadline-asof-late.json");
  check_report(score("-r deadline.yaml --format json --as-of 2026-11-07T08:00 deadline.jsonl"), "deadline-asof-early.json");
  check_report(score("-r deadline.yaml --format table --findings --as-of 2026-11-07T08:00 deadline.jsonl"),
               "deadline-asof-early.txt");
  for (const char* bad : {"--as-of yesterday", "--as-of 2026-13-01", "--as-of"}) {
    CAPTURE(bad);
    run_result r = score(std::string("-r deadline.yaml --format json deadline.jsonl ") + bad);
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(has(r.err, "--as-of"));
  }
}

// ---------------------------------------------------------------- shards and threads (SPEC §8.3)

TEST_CASE("score: rules across records: logs split apart, in either order, on 1 or 2 threads, and merged partials agree") {
  struct split_case {
    const char* rules;
    const char* log;
    std::vector<std::string_view> to_a;  // what puts a line in a.jsonl
    const char* extra;                   // more options
  };
  const split_case cases[] = {
      // Shifts and desk records (which make windows active) apart from the records that count.
      {"window.yaml", "window.jsonl", {"\"shift\"", "\"desk\""}, ""},
      {"window-per.yaml", "window-per.jsonl", {"\"ok\":true", "\"shift\""}, ""},
      {"window-per.yaml", "window-per.jsonl", {"\"ok\":true", "\"shift\""}, "--period week"},
      // Every opening apart from every discharge.
      {"deadline.yaml", "deadline.jsonl", {"\"complaint\"", "\"callback\""}, ""},
      {"deadline.yaml", "deadline.jsonl", {"\"complaint\"", "\"callback\""}, "--as-of 2026-11-07T08:00"},
      {"deadline.yaml", "deadline.jsonl", {"\"complaint\"", "\"callback\""}, "--as-of 2026-11-08T12:00"},
  };
  for (const split_case& c : cases) {
    CAPTURE(c.log);
    CAPTURE(c.extra);
    const fs::path dir = split_log(c.log, c.to_a);
    const std::string rules = "-r " + shell_quote((e2e_dir / c.rules).string()) + " " + c.extra + " ";
    // The tallies of the split logs are those of the whole log (CSV names no input).
    const std::string csv = score(rules + "--format csv " + c.log).out;
    same_bytes(score(rules + "--format csv b.jsonl a.jsonl", dir).out, csv, "CSV of the split log");
    const run_result one = score(rules + "--format json --findings -j 1 a.jsonl b.jsonl", dir);
    REQUIRE(one.status == 0);
    for (const char* args : {"-j 2 a.jsonl b.jsonl", "-j 2 b.jsonl a.jsonl", "-j 1 b.jsonl a.jsonl"}) {
      CAPTURE(args);
      same_bytes(score(rules + "--format json --findings " + args, dir).out, one.out, args);
    }
    // Each half scored alone as a partial result, merged (with the same --as-of, if any).
    const std::string as_of = has(c.extra, "--as-of") ? c.extra : "";
    const std::string partial_rules = "-r " + shell_quote((e2e_dir / c.rules).string()) + " " +
                                      (has(c.extra, "--period") ? c.extra : "") + " --format partial --findings ";
    REQUIRE(score(partial_rules + "-o pa.json a.jsonl", dir).status == 0);
    REQUIRE(score(partial_rules + "-o pb.json b.jsonl", dir).status == 0);
    run_result merged = run_cli("merge", "-r " + shell_quote((e2e_dir / c.rules).string()) + " " + as_of +
                                             " --format json pb.json pa.json", dir);
    CHECK(merged.status == 0);
    same_bytes(merged.out, one.out, "merge of the partials");
  }
}

TEST_CASE("score: decorum merge --as-of judges the merged duties as of that time") {
  const fs::path dir = split_log("deadline.jsonl", {"\"complaint\"", "\"callback\""});
  const std::string rules = "-r " + shell_quote((e2e_dir / "deadline.yaml").string()) + " ";
  REQUIRE(score(rules + "--format partial -o pa.json a.jsonl", dir).status == 0);
  REQUIRE(score(rules + "--format partial -o pb.json b.jsonl", dir).status == 0);
  // The tallies as hand-worked for one log (deadline-asof-*.json), through CSV.
  const std::string want_late = score("-r deadline.yaml --format csv --as-of 2026-11-08T12:00 deadline.jsonl").out;
  const std::string want_early = score("-r deadline.yaml --format csv --as-of 2026-11-07T08:00 deadline.jsonl").out;
  CHECK(has(want_late, "E1,王芳,2026-11,100,40,0,60,,0,2,"));
  CHECK(has(want_early, "E2,,2026-11,100,20,0,80,,0,1,"));
  same_bytes(run_cli("merge", rules + "--format csv --as-of 2026-11-08T12:00 pa.json pb.json", dir).out, want_late,
             "merge --as-of late");
  same_bytes(run_cli("merge", rules + "--format csv --as-of 2026-11-07T08:00 pa.json pb.json", dir).out, want_early,
             "merge --as-of early");
  // Without --as-of the merge takes the latest record of all shards (2026-11-08T10:00, in b).
  run_result table = run_cli("merge", rules + "--format table pa.json pb.json", dir);
  CHECK(has(table.out, "1 duty pending, not yet due as of 2026-11-08T10:00:00"));
  run_result bad = run_cli("merge", rules + "--format csv --as-of tomorrow pa.json pb.json", dir);
  CHECK(bad.status == 2);
  CHECK(bad.out.empty());
}

#endif  // DECORUM_CLI
