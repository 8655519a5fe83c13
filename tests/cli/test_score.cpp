// tests/cli/test_score.cpp — entry point: doctest cases "score: …".
// End-to-end tests of `decorum score` (issue #3): each case runs the built CLI on the small
// rulebooks and logs of tests/e2e/ and compares the report byte for byte with an expected
// file worked out by hand (the arithmetic is in tests/e2e/README.md), plus the exit status
// and what standard error must mention. The CLI's path comes from the DECORUM_CLI compile
// definition (tests/CMakeLists.txt); without the CLI target this file compiles to nothing.
#include <doctest/doctest.h>

#ifdef DECORUM_CLI

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/cli_run.hpp"

namespace fs = std::filesystem;

namespace {

using namespace decorum::test;

const fs::path& scratch() { return e2e_scratch(); }

std::string quote(const std::string& s) { return shell_quote(s); }

/// Runs `decorum score ARGS` in `cwd` (default tests/e2e, so reports name files as given),
/// with standard input from `stdin_file` (default /dev/null).
run_result score(const std::string& args, const fs::path& stdin_file = {}, const fs::path& cwd = e2e_dir) {
  return run_cli("score", args, cwd, stdin_file);
}

/// Display width as a terminal shows it: East Asian wide and full-width characters take two columns.
std::size_t display_width(std::string_view s) {
  std::size_t w = 0;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::uint32_t cp = c;
    std::size_t len = 1;
    if (c >= 0xF0) { cp = c & 0x07; len = 4; }
    else if (c >= 0xE0) { cp = c & 0x0F; len = 3; }
    else if (c >= 0xC0) { cp = c & 0x1F; len = 2; }
    for (std::size_t k = 1; k < len && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += len;
    bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
                (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
    w += wide ? 2 : 1;
  }
  return w;
}

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> v;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) v.push_back(l);
  return v;
}

}  // namespace

// ---------------------------------------------------------------- scoring rules (SPEC §4)

TEST_CASE("score: progressive prices, with and without a cap") {
  check_report(score("-r progressive.yaml --format json progressive.jsonl"), "progressive.json");
}

TEST_CASE("score: cap bounds a rule's net points; fines are never capped; categories sum after caps") {
  check_report(score("-r cap.yaml --format json cap.jsonl"), "cap.json");
}

TEST_CASE("score: times truncates; zero, negative or null times yields no finding") {
  check_report(score("-r times.yaml --format json times.jsonl"), "times.json");
}

TEST_CASE("score: missing fields are null; three-valued logic; null amounts do not fire") {
  check_report(score("-r nulls.yaml --format json nulls.jsonl"), "nulls.json");
}

TEST_CASE("score: each finding is rounded half away from zero to 0.01, sums are exact") {
  check_report(score("-r rounding.yaml --format json rounding.jsonl"), "rounding.json");
}

TEST_CASE("score: floor and ceiling clamp once, after deductions and bonuses") {
  check_report(score("-r clamps.yaml --format json clamps.jsonl"), "clamps.json");
}

TEST_CASE("score: grades: first band reached wins, none reached is null") {
  check_report(score("-r grades.yaml --format json grades.jsonl"), "grades.json");
}

TEST_CASE("score: periods: every kind through --period, ISO weeks at year ends, dates as written") {
  for (const char* kind : {"day", "week", "month", "quarter", "year", "all"}) {
    CAPTURE(kind);
    check_report(score(std::string("-r periods.yaml --format json --period ") + kind + " periods.jsonl"),
                 std::string("periods-") + kind + ".json");
  }
  // Without --period the rulebook's own (month) applies.
  check_report(score("-r periods.yaml --format json periods.jsonl"), "periods-month.json");
}

TEST_CASE("score: roles restrict rules to the listed roles") {
  check_report(score("-r roles.yaml --format json roles.jsonl"), "roles.json");
}

TEST_CASE("score: flags sorted and unique; flag-only and fine-only rules; progressive fines; disabled rules") {
  check_report(score("-r flags.yaml --format json flags.jsonl"), "flags.json");
}

TEST_CASE("score: tallies: last name in time order, employee order, tallies without findings, rejections counted") {
  run_result r = score("-r tallies.yaml --format json tallies.jsonl");
  check_report(r, "tallies.json");
  CHECK(has(r.err, "2 of 11 records rejected"));
}

TEST_CASE("score: huge occurrence counts still end at the cap") {
  // 10^12 occurrences at 10 (or 50) points each overflow no sensible total: the cap is 100.
  check_report(score("-r overflow.yaml --format json overflow.jsonl"), "overflow.json");
}

TEST_CASE("score: an amount, times or when that overflows rejects its record, naming the rule (issue 11)") {
  // Before the fix `points: n * 1000` with n = 9300000000.5 gave no finding, no rejection and
  // no warning; the README in tests/e2e works every figure out.
  run_result r = score("-r overflow-reject.yaml --format json overflow-reject.jsonl");
  check_report(r, "overflow-reject.json");
  CHECK(has(r.err, "5 of 9 records rejected"));
  // Thread count changes nothing.
  check_report(score("-r overflow-reject.yaml --format json -j 2 overflow-reject.jsonl"), "overflow-reject.json");
}

// ---------------------------------------------------------------- determinism

TEST_CASE("score: input order and thread count do not change a byte of the report") {
  for (const char* findings : {"", "--findings "}) {
    std::string want = *findings ? "split-findings.json" : "split.json";
    for (const char* jobs : {"-j 1 ", "-j 2 ", ""})
      for (const char* files : {"split-a.jsonl split-b.jsonl", "split-b.jsonl split-a.jsonl"}) {
        std::string args = std::string("-r progressive.yaml --format json ") + findings + jobs + files;
        CAPTURE(args);
        check_report(score(args), want);
      }
  }
}

TEST_CASE("score: a large generated log: -j, block boundaries, file order and concatenation change nothing") {
  // ~10 MiB, so readers that work in 4 MiB blocks see several; duplicate ids point back across
  // blocks; times tie; names change; some lines are bad.
  const fs::path dir = scratch() / "big";
  fs::create_directories(dir);
  std::uint64_t seed = 0x9E3779B97F4A7C15ull;
  auto next = [&](std::uint64_t n) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return (seed >> 33) % n;
  };
  const char* texts[] = {"您好，请问有什么可以帮您", "不知道", "不清楚，我晕", "谢谢谢谢", "天啊，不知道不知道", "好的"};
  const char* names[] = {"王芳", "李娜", "张伟", "刘洋", "欧阳娜娜"};
  std::vector<std::string> lines;
  std::string all, even, odd;
  for (int i = 0; i < 50000; ++i) {
    std::string line;
    if (i > 100 && next(50) == 0) {
      line = lines[next(lines.size())];  // an exact duplicate, id and all
    } else if (next(100) == 0) {
      line = "{\"time\":\"2026-11-0" + std::to_string(1 + next(9)) + "T09:00:00\",\"employee\":\"E" +
             std::to_string(next(40)) + "\",\"kind\":\"utterance\",\"text\":7,\"id\":\"B" + std::to_string(i) + "\"}";
    } else {
      char time[64];
      std::snprintf(time, sizeof time, "2026-%02d-%02dT%02d:%02d:00+08:00", static_cast<int>(10 + next(3)),
                    static_cast<int>(1 + next(28)), static_cast<int>(8 + next(10)), static_cast<int>(next(2) * 30));
      line = std::string("{\"time\":\"") + time + "\",\"employee\":\"E" + std::to_string(next(40)) + "\"," +
             (next(3) ? std::string("\"name\":\"") + names[next(5)] + "\"," : std::string()) +
             "\"kind\":\"utterance\",\"text\":\"" + texts[next(6)] + "\",\"id\":\"G" + std::to_string(i) +
             "\",\"note\":\"" + std::string(60 + next(100), 'x') + "\"}";
    }
    lines.push_back(line);
    all += line + '\n';
    (i % 2 ? odd : even) += line + '\n';
  }
  spit(dir / "big.jsonl", all);
  spit(dir / "big-twice.jsonl", all + all);
  spit(dir / "big-a.jsonl", even);
  spit(dir / "big-b.jsonl", odd);
  const std::string rules = "-r " + quote((e2e_dir / "progressive.yaml").string()) + " ";

  run_result one = score(rules + "--format json --findings -j 1 big.jsonl", {}, dir);
  REQUIRE(one.status == 0);
  REQUIRE(has(one.out, "\"rejected\": ["));
  CHECK(has(one.out, "duplicate id"));
  for (const char* jobs : {"-j 2", "-j 3", ""}) {
    CAPTURE(jobs);
    run_result r = score(rules + "--format json --findings " + jobs + " big.jsonl", {}, dir);
    CHECK(r.status == 0);
    same_bytes(r.out, one.out, std::string("big.jsonl with ") + jobs);
  }
  // A partial result too is the same bytes whatever -j was (it came out in thread order).
  const std::string partial_one = score(rules + "--format partial --findings -j 1 big.jsonl", {}, dir).out;
  for (int round = 0; round < 3; ++round)
    same_bytes(score(rules + "--format partial --findings -j 2 big.jsonl", {}, dir).out, partial_one, "partial with -j 2");
  run_result ab = score(rules + "--format json --findings -j 1 big-a.jsonl big-b.jsonl", {}, dir);
  for (const char* args : {"-j 1 big-b.jsonl big-a.jsonl", "-j 2 big-a.jsonl big-b.jsonl", "-j 2 big-b.jsonl big-a.jsonl"}) {
    CAPTURE(args);
    same_bytes(score(rules + "--format json --findings " + args, {}, dir).out, ab.out, args);
  }
  // Standard input reads the same records in the same order.
  run_result csv = score(rules + "--format csv big.jsonl", {}, dir);
  CHECK(csv.out.size() > 1000);
  same_bytes(score(rules + "--format csv --input-format jsonl -j 2 -", dir / "big.jsonl", dir).out, csv.out, "stdin");
  // A log concatenated twice: every record of the second copy is a duplicate; nobody pays double.
  run_result twice = score(rules + "--format csv -j 2 big-twice.jsonl", {}, dir);
  same_bytes(twice.out, csv.out, "big-twice.jsonl as CSV");
}

// ---------------------------------------------------------------- the audit trail

TEST_CASE("score: --findings traces every finding to its rule and record, with what matched") {
  // Rule lines: null.rings is at nulls.yaml:11, null.div at :27 …; records at nulls.jsonl:1-5.
  check_report(score("-r nulls.yaml --format json --findings nulls.jsonl"), "nulls-findings.json");
  // Progressive prices go to occurrences in time order (ties: input name, then line).
  check_report(score("-r progressive.yaml --format json --findings split-b.jsonl split-a.jsonl"), "split-findings.json");
  check_report(score("-r progressive.yaml --format table --findings split-b.jsonl split-a.jsonl"), "split-findings.txt");
}

// ---------------------------------------------------------------- report formats and output

TEST_CASE("score: CSV and table formats; the table aligns Chinese names by display width") {
  check_report(score("-r tallies.yaml --format csv tallies.jsonl"), "tallies.csv");
  run_result t = score("-r tallies.yaml --format table tallies.jsonl");
  check_report(t, "tallies.txt");
  // Every tally row starts its period and grade columns where the header does, in display columns.
  std::vector<std::string> rows = lines_of(t.out);
  REQUIRE(rows.size() > 7);
  auto column_at = [](const std::string& line, std::string_view cell) {
    auto at = line.find(cell);
    return at == std::string::npos ? std::size_t(-1) : display_width(std::string_view(line).substr(0, at));
  };
  std::size_t period_col = column_at(rows[0], "period");
  for (std::size_t i = 1; i <= 6; ++i) {
    CAPTURE(rows[i]);
    CHECK(column_at(rows[i], "2026-1") == period_col);
  }
}

TEST_CASE("score: -o FILE writes the report there and nothing on standard output") {
  fs::path out = scratch() / "report.json";
  run_result r = score("-r tallies.yaml -o " + quote(out.string()) + " tallies.jsonl");
  CHECK(r.status == 0);
  CHECK(r.out.empty());
  same_bytes(slurp(out), expected("tallies.json"), "-o report.json (JSON by default)");
  fs::path csv = scratch() / "report.csv";
  r = score("-r tallies.yaml --output " + quote(csv.string()) + " --format csv tallies.jsonl");
  CHECK(r.status == 0);
  // A file named *.csv is for Excel: it starts with a UTF-8 BOM.
  same_bytes(slurp(csv), "\xEF\xBB\xBF" + expected("tallies.csv"), "--output report.csv");
  r = score("-r tallies.yaml -o /nonexistent-dir/x.json tallies.jsonl");
  CHECK(r.status == 1);
  CHECK(has(r.err, "/nonexistent-dir/x.json"));
}

TEST_CASE("score: --strict still writes the report, then exits 1") {
  check_report(score("-r bad.yaml --format json --strict dupid.jsonl"), "dupid.json", 1);
  fs::path out = scratch() / "strict.json";
  run_result r = score("-r bad.yaml --strict -o " + quote(out.string()) + " dupid.jsonl");
  CHECK(r.status == 1);
  same_bytes(slurp(out), expected("dupid.json"), "--strict -o");
  // Nothing rejected: --strict exits 0.
  check_report(score("-r progressive.yaml --format json --strict once.jsonl"), "once.json");
}

// ---------------------------------------------------------------- bad input (SPEC §3)

TEST_CASE("score: every rejection reason of a JSON Lines log, with file and line") {
  run_result r = score("-r bad.yaml --format json bad.jsonl");
  check_report(r, "bad.json");
  CHECK(has(r.err, "24 of 28 records rejected"));
  CHECK(has(r.out, "try --encoding gb18030"));
}

TEST_CASE("score: every rejection reason of a CSV log (BOM, CRLF, quoted line breaks)") {
  check_report(score("-r bad.yaml --format json bad.csv"), "bad-csv.json");
}

TEST_CASE("score: a line over 1 MiB is rejected; one of exactly 1 MiB is read") {
  const fs::path dir = scratch() / "long";
  fs::create_directories(dir);
  const std::string head = R"({"time":"2026-11-03T09:00:00","employee":")";
  auto record = [&](const std::string& employee, std::size_t total) {
    std::string start = head + employee + R"(","kind":"phone_call","rings":4,"opening":")";
    std::string end = "\"}";
    return start + std::string(total - start.size() - end.size(), 'x') + end;
  };
  const std::size_t mib = std::size_t{1} << 20;
  spit(dir / "long.jsonl", record("E1", 200) + "\n" + record("E2", mib + 1) + "\n" + record("E3", mib) + "\n" +
                               record("E4", 200) + "\n");
  spit(dir / "long.csv", "time,employee,kind,rings,opening\n2026-11-03 09:00,E1,phone_call,4,a\n2026-11-03 09:00,E2,phone_call,4," +
                             std::string(mib, 'y') + "\n2026-11-03 09:00,E4,phone_call,4,b\n");
  const std::string rules = "-r " + quote((e2e_dir / "bad.yaml").string()) + " ";
  run_result r = score(rules + "--format csv long.jsonl", {}, dir);
  CHECK(r.status == 0);
  CHECK(r.out ==
        "employee,name,period,base,deductions,bonuses,score,grade,fines,findings,flags\n"
        "E1,,all,100,10,0,90,,0,1,\nE3,,all,100,10,0,90,,0,1,\nE4,,all,100,10,0,90,,0,1,\n");
  r = score(rules + "--format json long.jsonl", {}, dir);
  CHECK(has(r.out, "\"input\": {\"records\": 4, \"scored\": 3, \"rejected\": 1,"));
  CHECK(has(r.out, "{\"source\": \"long.jsonl\", \"line\": 2, \"error\": \"line longer than 1 MiB\"}"));
  r = score(rules + "--format json long.csv", {}, dir);
  CHECK(has(r.out, "\"input\": {\"records\": 3, \"scored\": 2, \"rejected\": 1,"));
  CHECK(has(r.out, "{\"source\": \"long.csv\", \"line\": 3, \"error\": \"row longer than 1 MiB\"}"));
}

TEST_CASE("score: last lines: truncated JSON and an unterminated CSV quote are rejected; no final break is fine") {
  // bad.jsonl ends in a truncated record (line 29, covered by bad.json); these end without a line break.
  check_report(score("-r bad.yaml --format csv last-line.jsonl"), "last-line.csv");
  check_report(score("-r bad.yaml --format csv last-line.csv"), "last-line-csv.csv");
  check_report(score("-r bad.yaml --format json unterminated.csv"), "unterminated.json");
}

TEST_CASE("score: duplicate ids: rejected with where first seen; a log concatenated twice costs nobody double") {
  check_report(score("-r bad.yaml --format json dupid.jsonl"), "dupid.json");
  check_report(score("-r progressive.yaml --format json once.jsonl"), "once.json");
  check_report(score("-r progressive.yaml --format json twice.jsonl"), "twice.json");
  // Across two files, "first" is the file first by name, whatever the command-line order (split.json).
  run_result r = score("-r progressive.yaml --format json split-b.jsonl split-a.jsonl");
  CHECK(has(r.out, R"(duplicate id \"DUP\" (first seen at split-a.jsonl:4))"));
  // The same file named twice: its second reading holds only duplicates.
  r = score("-r progressive.yaml --format csv once.jsonl once.jsonl");
  CHECK(r.status == 0);
  same_bytes(r.out, score("-r progressive.yaml --format csv once.jsonl").out, "once.jsonl given twice");
  CHECK(has(r.err, "4 of 8 records rejected"));
}

TEST_CASE("score: duplicate ids in a log read from a pipe are rejected as from a file (issue 11)") {
  // Found by fuzzing: only "-" was known to be readable once, so a FIFO (or <(zcat …)) took
  // the hash-then-reread path, the reread found the pipe empty, and duplicates were scored.
  const fs::path fifo = scratch() / "dupid-pipe.jsonl";
  fs::remove(fifo);
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const std::string log = slurp(e2e_dir / "dupid.jsonl");
  std::thread writer([&] {
    std::ofstream out(fifo, std::ios::binary);  // blocks until decorum opens the pipe
    out << log;
  });
  run_result piped = score("-r bad.yaml --format json -j 2 " + quote(fifo.string()));
  writer.join();
  const run_result file = score("-r bad.yaml --format json dupid.jsonl");
  auto input_line = [](const std::string& report) {
    const std::size_t at = report.find("\"input\"");
    // The counts, not `files` (which names the pipe and the file, each as given).
    return at == std::string::npos ? std::string("(none)") : report.substr(at, report.find(", \"files\"", at) - at);
  };
  CHECK(piped.status == 0);
  CHECK(input_line(piped.out) == input_line(file.out));
  CHECK(has(piped.out, "duplicate id"));
}

TEST_CASE("score: inputs that cannot be read fail the run: exit 1, no report") {
  struct bad_input {
    const char* args;
    const char* stderr_mentions;
  };
  const fs::path dir_log = scratch() / "a-directory.jsonl";
  fs::create_directories(dir_log);
  const std::string dir_arg = quote(dir_log.string());
  for (const bad_input& c : {
           bad_input{"nonexistent.jsonl", "nonexistent.jsonl"},
           bad_input{"once.jsonl nonexistent.csv", "nonexistent.csv"},
           bad_input{"unknown-column.csv", "colour"},
           bad_input{"no-kind-column.csv", "'kind'"},
           bad_input{"--input-format jsonl expected", "expected"},
       }) {
    CAPTURE(c.args);
    run_result r = score(std::string("-r bad.yaml --format json ") + c.args);
    CHECK(r.status == 1);
    CHECK(r.out.empty());
    CHECK(has(r.err, c.stderr_mentions));
  }
  run_result r = score("-r bad.yaml --format json " + dir_arg);
  CHECK(r.status == 1);
  CHECK(r.out.empty());
  CHECK(has(r.err, "a-directory.jsonl"));
  r = score("-r bad.yaml --format json unknown-column.csv");
  CHECK(has(r.err, "unknown-column.csv:1:"));
}

TEST_CASE("score: empty inputs give an empty report") {
  check_report(score("-r bad.yaml --format json empty.jsonl"), "empty.json");
  check_report(score("-r bad.yaml --format json header-only.csv"), "empty-header-only.json");
}

TEST_CASE("score: standard input with '-' or no log, and --input-format") {
  check_report(score("-r tallies.yaml --format json --input-format jsonl -", e2e_dir / "tallies.jsonl"), "tallies-stdin.json");
  check_report(score("-r tallies.yaml --format json --input-format jsonl", e2e_dir / "tallies.jsonl"), "tallies-stdin.json");
  check_report(score("-r bad.yaml --format json --input-format csv -", e2e_dir / "bad.csv"), "bad-csv-stdin.json");
  run_result r = score("-r tallies.yaml --format json -", e2e_dir / "tallies.jsonl");
  CHECK(r.status == 2);
  CHECK(r.out.empty());
  CHECK(has(r.err, "--input-format"));
  r = score("-r tallies.yaml --format json", e2e_dir / "tallies.jsonl");
  CHECK(r.status == 2);
  CHECK(has(r.err, "--input-format"));
}

TEST_CASE("score: exit codes: 2 for usage errors, 1 for a bad rulebook") {
  for (const char* args : {"--bogus once.jsonl", "--period fortnight once.jsonl", "--format xml once.jsonl",
                           "--encoding latin1 once.jsonl", "--input-format xml once.jsonl", "-j -1 once.jsonl",
                           "once.txt"}) {
    CAPTURE(args);
    run_result r = score(std::string("-r progressive.yaml ") + args);
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK_FALSE(r.err.empty());
  }
  run_result r = score("-r nonexistent.yaml --format json once.jsonl");
  CHECK(r.status == 1);
  CHECK(r.out.empty());
  r = score("-r once.jsonl --format json once.jsonl");  // not a rulebook
  CHECK(r.status == 1);
  CHECK(r.out.empty());
  CHECK(has(r.err, "once.jsonl:1:"));
}

TEST_CASE("score: the README's table is what the main command prints") {
  // README.md shows the output of scripts/run-example.sh; a rulebook change must update it.
  const fs::path root = e2e_dir.parent_path().parent_path();
  const std::string readme = slurp(root / "README.md");
  const std::size_t from = readme.find("```\nemployee  name  period");
  REQUIRE(from != std::string::npos);
  const std::size_t to = readme.find("\nrejected:\n", from);
  REQUIRE(to != std::string::npos);
  const std::string shown = readme.substr(from + 4, to - from - 4 + 1);
  const run_result r = score("--format table examples/nov-2026.jsonl examples/nov-2026-front-desk.csv", {}, root);
  CHECK(r.status == 0);
  same_bytes(r.out.substr(0, shown.size()), shown, "README.md's table");
}

#endif  // DECORUM_CLI
