// tests/cli/test_appeals.cpp — entry point: doctest cases "score: appeals …" (ctest e2e-score)
// about SPEC §10. The built CLI on tests/e2e/appeals.{yaml,jsonl} with the decisions in
// appeals-decisions.jsonl (every figure worked out in tests/e2e/README.md, "Appeals"): a
// progressive rule's 2nd of 3 occurrences voided, a cap recomputed, a flag gone, window and
// deadline findings voided, an upheld appeal, unmatched appeals of each kind; the same appeals
// as CSV; --strict; the report identical for any thread count; and every malformed input
// (bad JSON, unknown decision, empty reviewer or reason, unknown CSV column, a duplicate) stops
// the run with a located error and no report.
#include <doctest/doctest.h>

#ifdef DECORUM_CLI

#include <filesystem>
#include <string>

#include "support/cli_run.hpp"

namespace fs = std::filesystem;

namespace {

using namespace decorum::test;

run_result score(const std::string& args, const fs::path& cwd = e2e_dir) { return run_cli("score", args, cwd); }

const std::string base = "-r appeals.yaml appeals.jsonl ";

}  // namespace

TEST_CASE("score: appeals void and uphold findings; later occurrences re-priced, caps and flags recomputed") {
  check_report(score(base + "--appeals appeals-decisions.jsonl --format json --findings"), "appeals-findings.json");
  check_report(score(base + "--appeals appeals-decisions.jsonl --format table --findings"), "appeals.txt");
  // Without the appeals: phone.rings 10 + 20 + 30, conduct.rude capped at 40, E3 flagged.
  const run_result plain = score(base + "--format json");
  CHECK(plain.status == 0);
  CHECK(has(plain.out, "\"rules\": [{\"id\": \"phone.rings\", \"count\": 3, \"points\": -60"));
  CHECK(has(plain.out, "{\"id\": \"conduct.rude\", \"count\": 2, \"points\": -40"));
  CHECK(has(plain.out, "\"employee\": \"E3\", \"name\": \"赵敏\", \"period\": \"2026-11\", \"base\": 100, \"deductions\": 25"));
  CHECK(has(plain.out, "\"appeals\": {\"applied\": 0, \"voided\": 0, \"upheld\": 0, \"unmatched\": []}"));
}

TEST_CASE("score: appeals give the same report on any number of threads and as CSV") {
  const run_result one = score(base + "--appeals appeals-decisions.jsonl --format json --findings -j 1");
  const run_result two = score(base + "--appeals appeals-decisions.jsonl --format json --findings -j 2");
  CHECK(one.status == 0);
  same_bytes(two.out, one.out, "-j 2 against -j 1");
  // The same decisions as CSV (quoted cells, columns in another order): the same tallies.
  scratch_dir dir("appeals-csv");
  dir.write("decisions.csv",
            "decision,rule,record,employee,window,reviewer,reason,time,note\n"
            "void,phone.rings,c2,,,刘经理,\"客户挂断后重拨，铃声计数有误\",2026-12-01T10:00,\n"
            "void,conduct.rude,r5,,,刘经理,录音证明措辞得体,,\n"
            "void,conduct.rude,r6,,,HR,inspector misheard,,\n"
            "void,patrol.daily,,E1,2026-11-09,HR,patrol logged on paper,,\n"
            "upheld,patrol.daily,,E1,2026-11-10,HR,no patrol that day,,\"checked CCTV\"\n"
            "void,complaint.24h,k1,,,HR,\"customer asked to wait\",,\n");
  const run_result csv = score("-r " + (e2e_dir / "appeals.yaml").string() + " " + (e2e_dir / "appeals.jsonl").string() +
                                   " --appeals decisions.csv --format csv",
                               dir.path);
  const run_result jsonl = score(base + "--appeals appeals-decisions.jsonl --format csv");
  CHECK(csv.status == 0);
  CHECK(csv.out == jsonl.out);
  const run_result csv_json = score("-r " + (e2e_dir / "appeals.yaml").string() + " " + (e2e_dir / "appeals.jsonl").string() +
                                        " --appeals decisions.csv --format json",
                                    dir.path);
  CHECK(has(csv_json.out, "\"appeals\": {\"applied\": 6, \"voided\": 5, \"upheld\": 1, \"unmatched\": []}"));
}

TEST_CASE("score: appeals that match nothing are listed; --strict makes them fatal") {
  const run_result r = score(base + "--appeals appeals-decisions.jsonl --format json");
  CHECK(r.status == 0);
  CHECK(has(r.err, "decorum score: 4 appeals matched no finding (listed in the report)"));
  const run_result strict = score(base + "--appeals appeals-decisions.jsonl --format json --strict");
  CHECK(strict.status == 1);
  CHECK(has(strict.out, "\"unmatched\": ["));  // the report is still written, as for rejected records
}

TEST_CASE("score: a malformed or duplicate appeal stops the run before any report") {
  scratch_dir dir("appeals-bad");
  const std::string rules = "-r " + (e2e_dir / "appeals.yaml").string() + " " + (e2e_dir / "appeals.jsonl").string() + " ";
  struct bad_case {
    const char* name;
    const char* text;
    const char* error;
  };
  const bad_case cases[] = {
      {"json.jsonl", "{\"rule\":\"phone.rings\",\"record\":\"c2\",\"decision\":\"void\"\n", "json.jsonl:1:1: error[D501]: bad JSON"},
      {"decision.jsonl", "{\"rule\":\"phone.rings\",\"record\":\"c2\",\"decision\":\"cancel\",\"reviewer\":\"HR\",\"reason\":\"x\"}\n",
       "decision.jsonl:1:1: error[D503]: unknown decision 'cancel': expected void or upheld"},
      {"reviewer.jsonl", "\n{\"rule\":\"phone.rings\",\"record\":\"c2\",\"decision\":\"void\",\"reviewer\":\" \",\"reason\":\"x\"}\n",
       "reviewer.jsonl:2:1: error[D503]: appeal without a reviewer: `reviewer` must be non-empty text"},
      {"reason.jsonl", "{\"rule\":\"phone.rings\",\"record\":\"c2\",\"decision\":\"void\",\"reviewer\":\"HR\"}\n",
       "reason.jsonl:1:1: error[D503]: appeal without a reason: `reason` must be non-empty text"},
      {"rule.jsonl", "{\"record\":\"c2\",\"decision\":\"void\",\"reviewer\":\"HR\",\"reason\":\"x\"}\n",
       "rule.jsonl:1:1: error[D503]: appeal without a rule id: `rule` is required"},
      {"key.jsonl", "{\"rule\":\"phone.rings\",\"record\":\"c2\",\"decision\":\"void\",\"reviwer\":\"HR\",\"reason\":\"x\"}\n",
       "key.jsonl:1:55: error[D502]: unknown key 'reviwer' in an appeal; did you mean 'reviewer'?"},
      {"column.csv", "rule,record,decision,reviewer,reasons\nphone.rings,c2,void,HR,x\n",
       "column.csv:1:31: error[D502]: unknown column 'reasons' in an appeal; did you mean 'reason'?"},
      {"cells.csv", "rule,record,decision,reviewer,reason\nphone.rings,c2,void,HR\n", "cells.csv:2:1: error[D501]: row has 4 cells, the header 5"},
      {"both.jsonl",
       "{\"rule\":\"patrol.daily\",\"record\":\"c2\",\"employee\":\"E1\",\"window\":\"2026-11-09\",\"decision\":\"void\",\"reviewer\":\"HR\",\"reason\":\"x\"}\n",
       "both.jsonl:1:1: error[D503]: an appeal names a finding by `record`, or by `employee` and `window`, not both"},
      {"time.jsonl", "{\"rule\":\"phone.rings\",\"record\":\"c2\",\"decision\":\"void\",\"reviewer\":\"HR\",\"reason\":\"x\",\"time\":\"yesterday\"}\n",
       "time.jsonl:1:1: error[D503]: time: expected an ISO 8601 time, got \"yesterday\""},
      {"utf8.jsonl", "{\"rule\":\"phone.rings\",\"record\":\"c\xff\",\"decision\":\"void\",\"reviewer\":\"HR\",\"reason\":\"x\"}\n",
       "utf8.jsonl:1:34: error[D102]: invalid UTF-8"},
      {"dup.jsonl",
       "{\"rule\":\"phone.rings\",\"record\":\"c2\",\"decision\":\"void\",\"reviewer\":\"HR\",\"reason\":\"x\"}\n"
       "{\"rule\":\"phone.rings\",\"record\":\"c2\",\"decision\":\"upheld\",\"reviewer\":\"HR\",\"reason\":\"y\"}\n",
       "dup.jsonl:2:1: error[D504]: a second appeal for the same finding (the first is at dup.jsonl:1)"},
  };
  for (const bad_case& c : cases) {
    dir.write(c.name, c.text);
    // --encoding utf-8: utf8.jsonl is ASCII with one stray byte, which detection would read
    // as a code page; the case is about the invalid-UTF-8 message.
    const run_result r = score(rules + "--format json --encoding utf-8 --appeals " + c.name, dir.path);
    INFO(std::string(c.name) << ": " << r.err);
    CHECK(r.status == 1);
    CHECK(r.out.empty());
    CHECK(has(r.err, c.error));
    CHECK(has(r.err, "decorum score: no report written"));
  }
  // Errors in several files are all reported before giving up.
  const run_result two = score(rules + "--format json --appeals decision.jsonl --appeals reason.jsonl", dir.path);
  CHECK(two.status == 1);
  CHECK(has(two.err, "decision.jsonl:1:1: error"));
  CHECK(has(two.err, "reason.jsonl:1:1: error"));
  // The same finding appealed in two files is a duplicate too.
  dir.write("one.jsonl", "{\"rule\":\"phone.rings\",\"record\":\"c2\",\"decision\":\"void\",\"reviewer\":\"HR\",\"reason\":\"x\"}\n");
  const run_result across = score(rules + "--format json --appeals one.jsonl --appeals one.jsonl", dir.path);
  CHECK(across.status == 1);
  CHECK(has(across.err, "one.jsonl:1:1: error[D504]: a second appeal for the same finding (the first is at one.jsonl:1)"));
  // A missing file, an unknown extension, and appeals with a partial result.
  const run_result missing = score(rules + "--format json --appeals nowhere.jsonl", dir.path);
  CHECK(missing.status == 1);
  CHECK(has(missing.err, "nowhere.jsonl: error[D103]: cannot open"));
  dir.write("appeals.txt", "x");
  const run_result ext = score(rules + "--format json --appeals appeals.txt", dir.path);
  CHECK(ext.status == 1);
  CHECK(has(ext.err, "cannot tell the format of appeals"));
  const run_result partial = score(rules + "--format partial --appeals one.jsonl", dir.path);
  CHECK(partial.status == 2);
  CHECK(has(partial.err, "--appeals cannot go into a partial result"));
}

#endif  // DECORUM_CLI
