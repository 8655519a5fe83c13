// tests/cli/test_groups.cpp — entry point: doctest cases "group-by cli: …" (ctest e2e-groups).
// `decorum score --group-by FIELD` on tests/e2e/groups.{yaml,jsonl} (every figure worked out in
// tests/e2e/README.md, "Roll-ups"): the roll-ups in JSON, CSV and the table against golden
// files, a tally's group being the last value in time order, and the refusals: an unknown
// field (did-you-mean), a partial result, `merge --group-by`.
#include <doctest/doctest.h>

#ifdef DECORUM_CLI

#include <filesystem>
#include <string>

#include "support/cli_run.hpp"

namespace {

using namespace decorum::test;

run_result score(const std::string& args) { return run_cli("score", args); }

const std::string base = "-r groups.yaml groups.jsonl ";

}  // namespace

TEST_CASE("group-by cli: roll-ups by site in every format") {
  check_report(score(base + "--group-by site -f json"), "groups-site.json");
  check_report(score(base + "--group-by site -f csv"), "groups-site.csv");
  check_report(score(base + "--group-by site -f table"), "groups-site.txt");
  const run_result json = score(base + "--group-by site -f json");
  // 北区: E1 85, E2 100, E3 40, E5 85 (E5 moved there from 南区 on the 20th).
  CHECK(has(json.out, "{\"group\": \"北区\", \"period\": \"2026-11\", \"employees\": 4, \"mean\": 77.5, \"median\": 85, "
                      "\"deductions\": 90"));
  CHECK(has(json.out, "\"categories\": {\"conduct\": -60, \"phone\": -30}, \"grades\": {\"A\": 1, \"B\": 2}, \"ungraded\": 1}"));
  CHECK(has(json.out, "{\"group\": null, \"period\": \"2026-11\", \"employees\": 1, \"mean\": 100"));
  // Without --group-by the report is as before: no group keys.
  const run_result plain = score(base + "-f json");
  CHECK(!has(plain.out, "\"group\""));
  CHECK(!has(plain.out, "\"groups\""));
  // Another standard field: role is absent everywhere, so one null group.
  const run_result role = score(base + "--group-by role -f csv");
  CHECK(role.status == 0);
  CHECK(has(role.out, "group_by:role,period,employees,mean,median,deductions,bonuses,grades,ungraded,categories\n,2026-11,6,"));
}

TEST_CASE("group-by cli: refusals") {
  const run_result typo = score(base + "--group-by sit -f json");
  CHECK(typo.status == 2);
  CHECK(typo.out.empty());
  CHECK(has(typo.err, "--group-by: no record kind of rulebook 'e2e-groups' has a field 'sit'; did you mean 'site'?"));
  const run_result partial = score(base + "--group-by site -f partial");
  CHECK(partial.status == 2);
  CHECK(has(partial.err, "--group-by cannot go into a partial result"));
  const run_result merge = run_cli("merge", "--group-by site whatever.json");
  CHECK(merge.status == 2);
  CHECK(has(merge.err, "partial results do not carry"));
}

#endif  // DECORUM_CLI
