// tests/cli/test_testrun.cpp — entry point: doctest cases "test cli: …" (ctest e2e-test).
// `decorum test` with --run, --junit and --coverage json on tests/e2e/testrun/calls.yaml
// (four tests: two pass and fire phone.rings and phone.opening, one fails a comparison, one
// has a bad record) and calls.tests.yaml (one passing test, no rule fires). Golden files
// tests/e2e/expected/testrun-*; the JUnit XML is also parsed back by
// tests/testrun/check_junit.py and --watch is driven by tests/testrun/check_watch.py.
#include <doctest/doctest.h>

#ifdef DECORUM_CLI

#include <filesystem>
#include <string>

#include "support/cli_run.hpp"

namespace fs = std::filesystem;

namespace {

using namespace decorum::test;

run_result test_cmd(const std::string& args) { return run_cli("test", args); }

const std::string both = "testrun/calls.yaml testrun/calls.tests.yaml";

}  // namespace

TEST_CASE("test cli: without flags every test runs and the summary is unchanged") {
  const run_result r = test_cmd(both);
  check_report(r, "testrun-all.txt", 1);
  CHECK(has(r.out, "3 passed, 2 failed\n"));
}

TEST_CASE("test cli: --run is a regular expression searched in the test name") {
  // "rings" is found in two names of calls.yaml and none of calls.tests.yaml.
  const run_result r = test_cmd("--run rings " + both);
  check_report(r, "testrun-run.txt", 0);
  CHECK(has(r.out, "testrun/calls.yaml: 2 tests, 2 skipped\n"));
  CHECK(has(r.out, "testrun/calls.tests.yaml: 0 tests of testrun/calls.yaml, 1 skipped\n"));
  CHECK(has(r.out, "2 passed, 0 failed, 3 skipped\n"));
  // Coverage counts only the tests run: conduct.fight fired in none of them.
  CHECK(has(r.out, "coverage: 2/3 rules fired (66.7%)\n"));
  // Anchors work, and repeated --run patterns add up (any one matching runs the test).
  const run_result anchored = test_cmd("--run '^a ' --run '^wrong' " + both);
  CHECK(anchored.status == 1);
  CHECK(has(anchored.out, "FAIL a bad record"));
  CHECK(has(anchored.out, "FAIL wrong \"score\" on purpose"));
  CHECK(has(anchored.out, "PASS a quiet day"));
  CHECK(has(anchored.out, "1 passed, 2 failed, 2 skipped\n"));
  // Matching is case-sensitive, like go test -run and promtool.
  CHECK(test_cmd("--run RINGS testrun/calls.yaml").status == 1);
}

TEST_CASE("test cli: --run matching no test fails rather than passing with nothing run") {
  const run_result r = test_cmd("--run no-such-test " + both);
  CHECK(r.status == 1);
  CHECK(has(r.out, "0 passed, 0 failed, 5 skipped\n"));
  CHECK(has(r.err, "decorum test: --run matched no test in 2 files\n"));
  const run_result bad = test_cmd("--run '(' testrun/calls.yaml");
  CHECK(bad.status == 2);
  CHECK(has(bad.err, "decorum test: --run '(' is not a valid regular expression"));
  CHECK(bad.out.empty());
}

TEST_CASE("test cli: --junit writes JUnit XML, escaped, with failures and errors") {
  const fs::path xml = e2e_scratch() / "junit.xml";
  fs::remove(xml);
  const run_result r = test_cmd("--junit " + shell_quote(xml.string()) + " " + both);
  CHECK(r.status == 1);
  CHECK(has(r.out, "3 passed, 2 failed\n"));  // the text report is unchanged
  REQUIRE(fs::exists(xml));
  run_result file{r.status, slurp(xml), r.err};
  check_report(file, "testrun-junit.xml", 1);
  CHECK(has(file.out, "name=\"四声 &lt;rings&gt; &amp; more\""));
  // No temporary file is left next to it.
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(e2e_scratch()))
    if (e.path().filename().string().rfind(".junit.xml.tmp", 0) == 0) ++entries;
  CHECK(entries == 0);
  // A file that does not load is one errored case.
  const fs::path xml2 = e2e_scratch() / "junit-missing.xml";
  const run_result missing = test_cmd("--junit " + shell_quote(xml2.string()) + " testrun/nowhere.yaml");
  CHECK(missing.status == 1);
  const std::string x2 = slurp(xml2);
  CHECK(has(x2, "<testsuites name=\"decorum test\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">"));
  CHECK(has(x2, "<error message=\"testrun/nowhere.yaml: error[D103]: cannot open file\" type=\"load\">"));
}

TEST_CASE("test cli: --junit replaces characters XML 1.0 cannot carry") {
  const fs::path rb = e2e_scratch() / "bell.yaml";
  spit(rb, "decorum: 1\nname: t\nrecords:\n  phone_call: {rings: int}\nrules:\n"
           "  - {id: a, on: phone_call, when: rings > 3, deduct: 1}\ntests:\n  - name: \"bell\\x07 <x>\"\n"
           "    records:\n      - {time: 2026-11-03T09:00:00+08:00, employee: E1, kind: phone_call, rings: 4}\n"
           "    expect:\n      - {employee: E1, score: 99}\n");
  const fs::path xml = e2e_scratch() / "bell.xml";
  const run_result r = test_cmd("--junit " + shell_quote(xml.string()) + " " + shell_quote(rb.string()));
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  CHECK(has(slurp(xml), "name=\"bell\xEF\xBF\xBD &lt;x&gt;\""));
}

TEST_CASE("test cli: --junit to a path that cannot be written exits 1 naming it") {
  const run_result r = test_cmd("--junit /nonexistent-dir/junit.xml testrun/calls.tests.yaml");
  CHECK(r.status == 1);
  CHECK(has(r.out, "1 passed, 0 failed\n"));
  CHECK(has(r.err, "decorum test: cannot write /nonexistent-dir/junit.xml: No such file or directory\n"));
}

TEST_CASE("test cli: --coverage json lists per rule the tests that made it fire") {
  const run_result r = test_cmd("--coverage json " + both);
  check_report(r, "testrun-coverage.json", 1);
  // The text report moves to standard error, so standard output is JSON alone.
  CHECK(has(r.err, "3 passed, 2 failed\n"));
  CHECK(has(r.err, "FAIL a bad record"));
  // With --run only the tests run are named.
  const run_result some = test_cmd("--coverage json --run opening testrun/calls.yaml");
  CHECK(some.status == 0);
  CHECK(has(some.out, "{\"id\": \"phone.rings\", \"file\": \"testrun/calls.yaml\", \"line\": 11, \"tests\": [\"rings and opening\"]}"));
  CHECK(has(some.out, "\"tests\": 1,\n      \"skipped\": 3,"));
  // --min-coverage still judges each file.
  const run_result min = test_cmd("--coverage json --min-coverage 100 testrun/calls.tests.yaml");
  CHECK(min.status == 1);
  CHECK(has(min.err, "coverage is below --min-coverage 100%"));
  CHECK(test_cmd("--coverage xml testrun/calls.yaml").status == 2);
}

#endif  // DECORUM_CLI
