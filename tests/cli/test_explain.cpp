// tests/cli/test_explain.cpp — entry point: doctest cases "explain cli: …" (ctest e2e-explain).
// `decorum explain` end to end: hand-worked golden explanations of a progressive rule with a
// cap (tests/e2e/progressive.*, two periods), of caps, fines and points rules (cap.*), and of
// appeals (voided findings shown and skipped by the occurrence numbering; appeals.*); for
// every employee of examples/ the explanation ends at the tallied score; and the errors: an
// unknown employee (did-you-mean), a period they have no tally in, a bad option.
#include <doctest/doctest.h>

#ifdef DECORUM_CLI

#include <cstdlib>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/cli_run.hpp"

namespace fs = std::filesystem;

namespace {

using namespace decorum::test;

run_result explain(const std::string& args, const fs::path& cwd = e2e_dir) { return run_cli("explain", args, cwd); }

}  // namespace

TEST_CASE("explain cli: a progressive rule with a cap, worked line by line, in every period of the employee") {
  check_report(explain("E1 -r progressive.yaml progressive.jsonl"), "explain-progressive-E1.txt");
  // One period only; the same lines as that part of the whole.
  const run_result dec = explain("E1 --period 2026-12 -r progressive.yaml progressive.jsonl");
  CHECK(dec.status == 0);
  CHECK(has(expected("explain-progressive-E1.txt"), dec.out));
  CHECK(!has(dec.out, "2026-11"));
  check_report(explain("E2 -r progressive.yaml progressive.jsonl"), "explain-progressive-E2.txt");
}

TEST_CASE("explain cli: caps on deductions and points, fines never capped") {
  std::string all;
  for (const char* e : {"E1", "E2", "E3", "E4"}) {
    const run_result r = explain(std::string(e) + " -r cap.yaml cap.jsonl");
    CHECK(r.status == 0);
    all += r.out;
  }
  if (const char* u = std::getenv("DECORUM_UPDATE_GOLDEN"); u && *u == '1') spit(e2e_dir / "expected" / "explain-cap.txt", all);
  same_bytes(all, expected("explain-cap.txt"), "explain-cap.txt");
}

TEST_CASE("explain cli: appeals — voided findings shown as voided and given no occurrence number") {
  const std::string base = "-r appeals.yaml appeals.jsonl --appeals appeals-decisions.jsonl";
  check_report(explain("E1 " + base), "explain-appeals-E1.txt");
  check_report(explain("E2 " + base), "explain-appeals-E2.txt");
}

TEST_CASE("explain cli: for every employee of examples/ the explanation ends at the tallied score") {
  const fs::path ex = fs::path(DECORUM_SOURCE_DIR) / "examples";
  const std::string logs = "nov-2026.jsonl nov-2026-front-desk.csv";
  const run_result csv = run_cli("score", "-f csv " + logs, ex);
  REQUIRE(csv.status == 0);
  // employee,name,period,base,deductions,bonuses,score,…
  std::set<std::string> employees;
  std::map<std::string, std::string> score_of;  // "employee period" -> score
  std::istringstream rows(csv.out);
  std::string row;
  std::getline(rows, row);
  while (std::getline(rows, row)) {
    std::vector<std::string> cells;
    std::stringstream ss(row);
    for (std::string c; std::getline(ss, c, ',');) cells.push_back(c);
    REQUIRE(cells.size() >= 7);
    employees.insert(cells[0]);
    score_of[cells[0] + " " + cells[2]] = cells[6];
  }
  REQUIRE(employees.size() >= 5);
  std::size_t checked = 0;
  const std::regex head(R"(^(\S+)(?: \S+)?, period (\S+)$)"), last(R"(^  = (\S+), as tallied$)");
  for (const std::string& e : employees) {
    const run_result r = run_cli("explain", e + " " + logs, ex);
    INFO("employee " << e << "\n" << r.out << r.err);
    CHECK(r.status == 0);
    std::istringstream lines(r.out);
    std::string period;
    for (std::string l; std::getline(lines, l);) {
      std::smatch m;
      if (std::regex_match(l, m, head) && m[1] == e) period = m[2];
      if (std::regex_match(l, m, last)) {
        CHECK(m[1] == score_of[e + " " + period]);
        ++checked;
      }
    }
  }
  CHECK(checked == score_of.size());
}

TEST_CASE("explain cli: versions, windows, deadlines, clamps and overflow in tests/e2e/ end at the tallied score") {
  const run_result v = explain("E1 --period 2026-11 -r versions.yaml versions.jsonl");
  CHECK(v.status == 0);
  CHECK(has(v.out, "(2 versions sharing one numbering and cap; versions.yaml:17)"));
  CHECK(has(v.out, "versions.jsonl:5: version from 2026-11-16, at 15: -15"));
  CHECK(has(v.out, "sum -60, capped at 40: -40 (a deduction)"));
  // Every employee of every rulebook and log pair of tests/e2e/: exit 0 means no disagreement.
  std::size_t checked = 0;
  for (const auto& entry : fs::directory_iterator(e2e_dir)) {
    if (entry.path().extension() != ".yaml") continue;
    const std::string stem = entry.path().stem().string();
    if (!fs::exists(e2e_dir / (stem + ".jsonl"))) continue;
    const std::string args = "-r " + stem + ".yaml " + stem + ".jsonl";
    const run_result csv = run_cli("score", "-f csv " + args);
    if (csv.status != 0) continue;  // a rulebook that does not load (bad.yaml)
    std::set<std::string> employees;
    std::istringstream rows(csv.out);
    std::string row;
    std::getline(rows, row);
    while (std::getline(rows, row)) employees.insert(row.substr(0, row.find(',')));
    for (const std::string& e : employees) {
      const run_result r = explain(shell_quote(e) + " " + args);
      INFO(stem << " " << e << "\n" << r.out << r.err);
      CHECK(r.status == 0);
      CHECK(has(r.out, ", as tallied\n"));
      ++checked;
    }
  }
  CHECK(checked >= 40);
}

TEST_CASE("explain cli: an unknown employee or period fails with suggestions; bad options are usage errors") {
  const run_result typo = explain("E11 -r progressive.yaml progressive.jsonl");
  CHECK(typo.status == 1);
  CHECK(typo.out.empty());
  CHECK(has(typo.err, "no tally for employee 'E11'"));
  CHECK(has(typo.err, "did you mean 'E1'?"));
  const run_result name = explain("王芳 -r progressive.yaml progressive.jsonl");
  CHECK(name.status == 1);
  CHECK(has(name.err, "'王芳' is the name of E1"));
  const run_result far = explain("nobody-at-all -r progressive.yaml progressive.jsonl");
  CHECK(far.status == 1);
  CHECK(has(far.err, "the logs have 4 employees: E1, E2, E3, E4"));
  const run_result period = explain("E2 --period 2026-12 -r progressive.yaml progressive.jsonl");
  CHECK(period.status == 1);
  CHECK(has(period.err, "employee 'E2' has no tally in period '2026-12'; theirs: 2026-11"));
  CHECK(explain("E1 --period-kind fortnight -r progressive.yaml progressive.jsonl").status == 2);
  CHECK(explain("-r progressive.yaml").status == 2);  // no employee
  const run_result missing = explain("E1 -r progressive.yaml no-such.jsonl");
  CHECK(missing.status == 1);
  CHECK(has(missing.err, "no-such.jsonl"));
  const run_result bad_appeal = explain("E1 -r appeals.yaml appeals.jsonl --appeals bad.jsonl");
  CHECK(bad_appeal.status == 1);
  // With the rulebook's period overridden, the periods follow.
  const run_result all = explain("E1 --period-kind all -r progressive.yaml progressive.jsonl");
  CHECK(all.status == 0);
  CHECK(has(all.out, "E1 王芳, period all\n"));
}

#endif  // DECORUM_CLI
