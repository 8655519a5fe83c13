// tests/cli/test_inspectors.cpp — entry point: doctest cases "inspectors cli: …" (ctest
// e2e-inspectors). `decorum inspectors` on tests/e2e/inspectors.{yaml,jsonl}, where inspector 甲
// finds fault with 5 calls in 10 and 乙 and 丙 with 1 in 10 each (every figure worked out in
// tests/e2e/README.md, "Inspectors"): table, JSON and CSV against golden files, the outlier
// threshold, appeals taking findings away, and the errors.
#include <doctest/doctest.h>

#ifdef DECORUM_CLI

#include <filesystem>
#include <string>

#include "support/cli_run.hpp"

namespace fs = std::filesystem;

namespace {

using namespace decorum::test;

run_result inspectors(const std::string& args) { return run_cli("inspectors", args); }

const std::string base = "-r inspectors.yaml inspectors.jsonl ";

}  // namespace

TEST_CASE("inspectors cli: a harsh inspector is flagged against the others on the same kinds") {
  check_report(inspectors(base + "--min-records 5 -f table"), "inspectors.txt");
  check_report(inspectors(base + "--min-records 5 -f json"), "inspectors.json");
  check_report(inspectors(base + "--min-records 5 -f csv"), "inspectors.csv");
  // 甲: 5 findings where the others' rate (2 in 20) predicts 1: z = (5 - 1) / sqrt(1) = 4.
  const run_result csv = inspectors(base + "--min-records 5 -f csv");
  CHECK(has(csv.out, "甲,12,6,50,-55,-458.33,10,5,1,5,4,yes\n"));
  CHECK(has(csv.out, "乙,10,1,10,-10,-100,10,1,3,0.33,-1.15,no\n"));
  CHECK(has(csv.out, ",1,1,100,-10,-1000,0,0,,,,no\n"));  // the call nobody signed for: never compared
  // With the default threshold (20 compared records) nobody is flagged.
  const run_result strict = inspectors(base + "-f csv");
  CHECK(strict.status == 0);
  CHECK(!has(strict.out, ",yes\n"));
  CHECK(has(strict.out, "甲,12,6,50,-55,-458.33,10,5,1,5,4,no\n"));
}

TEST_CASE("inspectors cli: the same figures from standard input and on several threads") {
  const run_result piped = run_cli("inspectors", "-r inspectors.yaml --input-format jsonl --min-records 5 -f json -", e2e_dir,
                                   e2e_dir / "inspectors.jsonl");
  CHECK(piped.status == 0);
  const run_result threads = inspectors(base + "--min-records 5 -f json -j 3");
  CHECK(threads.out == expected("inspectors.json"));
  // Standard input is named "-" where files are named as given; the rows are the same.
  CHECK(piped.out.substr(piped.out.find("\"inspectors\"")) ==
        expected("inspectors.json").substr(expected("inspectors.json").find("\"inspectors\"")));
}

TEST_CASE("inspectors cli: errors") {
  const run_result missing = inspectors("-r inspectors.yaml no-such.jsonl");
  CHECK(missing.status == 1);
  CHECK(has(missing.err, "no-such.jsonl"));
  CHECK(has(missing.err, "no report written"));
  CHECK(inspectors(base + "-f xml").status == 2);
  CHECK(inspectors(base + "--min-records -1").status == 2);
  CHECK(inspectors("-r no-such.yaml inspectors.jsonl").status == 1);
  CHECK(run_cli("inspectors", "-r inspectors.yaml").status == 2);  // standard input without --input-format
}

#endif  // DECORUM_CLI
