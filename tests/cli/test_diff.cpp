// tests/cli/test_diff.cpp — entry point: doctest cases "diff cli: …". End-to-end tests of
// `decorum diff OLD NEW [LOG...]` (SPEC §11): the built CLI in tests/e2e/, its output compared
// byte for byte with expected/diff-*.{json,csv,txt} (the arithmetic is in tests/e2e/README.md),
// that each log is read once (a pipe can be read only once), and the error paths' exit statuses.
#include <doctest/doctest.h>

#ifdef DECORUM_CLI

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <sys/stat.h>

#include "support/cli_run.hpp"

namespace fs = std::filesystem;

namespace {

using namespace decorum::test;

/// Runs `decorum diff ARGS` in tests/e2e with standard input from `stdin_file`.
run_result diff(const std::string& args, const fs::path& stdin_file = {}) { return run_cli("diff", args, e2e_dir, stdin_file); }

/// The shipped rulebook against tests/e2e/stricter.yaml over the example logs.
const std::string stricter = "../../rules/property-customer-service.yaml stricter.yaml";
const std::string examples = "../../examples/nov-2026.jsonl ../../examples/nov-2026-front-desk.csv";

/// The `"input": {…}` object of a side's line ("old" or "new") of a diff's JSON.
std::string input_of(const std::string& json, const std::string& side) {
  const std::size_t line = json.find("\"" + side + "\": {\"rulebook\"");
  if (line == std::string::npos) return "(no " + side + ")";
  const std::size_t at = json.find("\"input\": ", line);
  return json.substr(at, json.find("]}", at) + 2 - at);
}

}  // namespace

TEST_CASE("diff cli: the shipped rulebook against a stricter draft over the examples (json, csv, table)") {
  check_report(diff("-f json " + stricter + " " + examples), "diff-stricter.json");
  check_report(diff("-f csv " + stricter + " " + examples), "diff-stricter.csv");
  const run_result table = diff("-f table " + stricter + " " + examples);
  check_report(table, "diff-stricter.txt");
  // Rejections are counted per rulebook, as `score` counts them; without --strict, exit 0.
  CHECK(has(table.err, "9 of 404 records rejected under the old rulebook"));
  CHECK(has(table.err, "9 of 404 records rejected under the new rulebook"));
  // The order of the logs on the command line changes nothing.
  same_bytes(diff("-f json " + stricter + " ../../examples/nov-2026-front-desk.csv ../../examples/nov-2026.jsonl").out,
             expected("diff-stricter.json"), "logs in the other order");
}

TEST_CASE("diff cli: each side types the records against its own rulebook's schema") {
  check_report(diff("-f json diff-old.yaml diff-new.yaml diff.jsonl"), "diff-schemas.json");
  check_report(diff("-f table diff-old.yaml diff-new.yaml diff.jsonl"), "diff-schemas.txt");
  // Swapping the rulebooks swaps the sides and negates every delta.
  const run_result back = diff("-f csv diff-new.yaml diff-old.yaml diff.jsonl");
  CHECK(back.status == 0);
  CHECK(back.out ==
        "employee,period,old_score,new_score,delta,old_deductions,new_deductions,old_bonuses,new_bonuses,old_fines,"
        "new_fines,old_grade,new_grade\n"
        "E2,2026-11,80,,20,20,,0,,0,,D,\n"
        "E1,2026-11,85,90,5,15,10,0,0,0,0,D,A\n");
}

TEST_CASE("diff cli: standard input and a pipe are read once and feed both rulebooks") {
  // Read twice, the second side would find the pipe empty and score no records.
  const run_result piped = diff("-f json --input-format jsonl diff-old.yaml diff-new.yaml -", e2e_dir / "diff.jsonl");
  check_report(piped, "diff-schemas-stdin.json");

  const fs::path fifo = e2e_scratch() / "diff-pipe.jsonl";
  fs::remove(fifo);
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const std::string log = slurp(fs::path(DECORUM_SOURCE_DIR) / "examples" / "nov-2026.jsonl");
  std::thread writer([&] {
    std::ofstream out(fifo, std::ios::binary);  // blocks until decorum opens the pipe
    out << log;
  });
  const run_result r = diff("-f json -j 2 " + stricter + " " + shell_quote(fifo.string()));
  writer.join();
  const run_result file = diff("-f json -j 2 " + stricter + " ../../examples/nov-2026.jsonl");
  CHECK(r.status == 0);
  CHECK(input_of(r.out, "old") == std::string("\"input\": {\"records\": 310, \"scored\": 305, \"rejected\": 5, \"files\": [{\"path\": ") +
                                       "\"" + fifo.string() + "\"" + ", \"encoding\": \"UTF-8\"}]}");
  CHECK(input_of(r.out, "new") == input_of(r.out, "old"));
  // The same counts as from the file (whose name differs).
  auto counts = [](const std::string& input) { return input.substr(0, input.find(", \"files\"")); };
  CHECK(counts(input_of(file.out, "old")) == counts(input_of(r.out, "old")));
  auto changes = [](const std::string& json) { return json.substr(json.find("\"changes\"")); };
  CHECK(changes(r.out) == changes(file.out));
}

TEST_CASE("diff cli: logs are read as score reads them (BOM and CRLF, GBK) and --period applies to both sides") {
  for (const char* args : {"bad.csv", "--encoding gbk gbk.csv", "--encoding gb18030 gbk.jsonl", "gbk.jsonl"}) {
    CAPTURE(args);
    const run_result s = run_cli("score", std::string("-r bad.yaml -f json ") + args);
    const run_result d = diff(std::string("-f json bad.yaml bad.yaml ") + args);
    CHECK(d.status == 0);
    auto score_input = s.out.substr(s.out.find("\"input\": "));
    score_input = score_input.substr(0, score_input.find("]}") + 2);
    CHECK(input_of(d.out, "old") == score_input);
    CHECK(input_of(d.out, "new") == score_input);
    CHECK(has(d.out, "\"changes\": []"));  // one rulebook against itself changes nothing
  }
  const run_result weekly = diff("-f json --period week " + stricter + " " + examples);
  CHECK(weekly.status == 0);
  CHECK(has(weekly.out, "\"period\": \"week\", \"input\""));
  CHECK(!has(weekly.out, "\"period\": \"month\""));
  CHECK(has(weekly.out, "\"period\": \"2026-W"));
}

TEST_CASE("diff cli: --strict exits 1 after writing the report when either side rejected records") {
  const run_result r = diff("-f csv --strict diff-old.yaml diff-new.yaml diff.jsonl");
  CHECK(r.status == 1);
  CHECK(has(r.out, "E2,2026-11,,80,-20"));
  CHECK(has(r.err, "2 of 4 records rejected under the old rulebook (calls)"));
  CHECK(diff("-f csv --strict diff-new.yaml diff-new.yaml diff.jsonl").status == 0);  // nothing rejected
}

TEST_CASE("diff cli: errors: an invalid rulebook, an unreadable log, a bad option") {
  const std::string invalid = spit(e2e_scratch() / "invalid.yaml",
                                   "decorum: 1\nname: calls\nrecords:\n  phone_call: {rings: int}\nrules:\n"
                                   "  - id: rings\n    on: phone_call\n    deduc: 10\n");
  const run_result bad_new = diff("-f json diff-old.yaml " + shell_quote(invalid) + " diff.jsonl");
  CHECK(bad_new.status == 1);
  CHECK(bad_new.out.empty());
  CHECK(has(bad_new.err, "invalid.yaml:8:5: error[D110]: unknown key 'deduc'"));
  const run_result bad_old = diff("-f json " + shell_quote(invalid) + " diff-new.yaml diff.jsonl");
  CHECK(bad_old.status == 1);
  CHECK(bad_old.out.empty());

  const run_result missing = diff("-f json diff-old.yaml diff-new.yaml diff.jsonl no-such-log.jsonl");
  CHECK(missing.status == 1);
  CHECK(missing.out.empty());
  CHECK(has(missing.err, "no-such-log.jsonl: error: cannot open log"));
  // A CSV column the rulebook does not declare makes the log unreadable, as in `score`.
  const run_result column = diff("-f json bad.yaml bad.yaml unknown-column.csv");
  CHECK(column.status == 1);
  CHECK(column.out.empty());

  CHECK(diff("-f xml diff-old.yaml diff-new.yaml diff.jsonl").status == 2);
  CHECK(diff("--period fortnight diff-old.yaml diff-new.yaml diff.jsonl").status == 2);
  CHECK(diff("-f json diff-old.yaml").status == 2);  // NEW missing
  const run_result no_format = diff("-f json diff-old.yaml diff-new.yaml -", e2e_dir / "diff.jsonl");
  CHECK(no_format.status == 2);
  CHECK(has(no_format.err, "reading standard input needs --input-format"));
}

#endif  // DECORUM_CLI
