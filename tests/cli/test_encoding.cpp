// tests/cli/test_encoding.cpp — entry point: doctest cases "encoding: …". Files from Excel in
// any encoding (issue 16), end to end: GBK, UTF-8 with a BOM and UTF-16 logs detected with no
// flag and scoring identically, the encoding used named on standard error by every command
// that reads logs and in the JSON report's `input.files`, files that cannot be decoded failing
// once, and CSV written for Excel (BOM, the format from -o's extension, formula-like cells as
// text, findings and rejected rows never dropped). Moved here from test_score.cpp.
#include <doctest/doctest.h>

#ifdef DECORUM_CLI

#include <algorithm>
#include <filesystem>
#include <string>

#include "support/cli_run.hpp"

namespace fs = std::filesystem;

namespace {

using namespace decorum::test;

const fs::path& scratch() { return e2e_scratch(); }

std::string quote(const std::string& s) { return shell_quote(s); }

/// Runs `decorum score ARGS` in `cwd` (default tests/e2e, so reports name files as given).
run_result score(const std::string& args, const fs::path& stdin_file = {}, const fs::path& cwd = e2e_dir) {
  return run_cli("score", args, cwd, stdin_file);
}

/// A JSON report without its `input.files` list, which names each file and its encoding: what
/// is left must not depend on how a file was encoded.
std::string without_files(std::string report) {
  const std::size_t at = report.find(", \"files\": [");
  if (at != std::string::npos) report.erase(at, report.find("]}", at) + 1 - at);
  return report;
}

}  // namespace

TEST_CASE("encoding: CSV for Excel: the format from -o's extension, a BOM, formula-like cells as text") {
  const fs::path csv = scratch() / "by-name.CSV";
  run_result r = score("-r tallies.yaml -o " + quote(csv.string()) + " tallies.jsonl");
  CHECK(r.status == 0);
  same_bytes(slurp(csv), "\xEF\xBB\xBF" + expected("tallies.csv"), "-o by-name.CSV (CSV from the extension)");
  // -f wins over the extension; standard output gets a BOM only with --bom.
  const fs::path json_named_csv = scratch() / "forced.csv";
  CHECK(score("-r tallies.yaml -f json -o " + quote(json_named_csv.string()) + " tallies.jsonl").status == 0);
  same_bytes(slurp(json_named_csv), expected("tallies.json"), "-f json -o forced.csv");
  CHECK(score("-r tallies.yaml -f csv tallies.jsonl").out == expected("tallies.csv"));
  CHECK(score("-r tallies.yaml -f csv --bom tallies.jsonl").out == "\xEF\xBB\xBF" + expected("tallies.csv"));
  // --bom does nothing to JSON.
  CHECK(score("-r tallies.yaml -f json --bom tallies.jsonl").out == expected("tallies.json"));
  const fs::path json = scratch() / "by-name.json";
  CHECK(score("-r tallies.yaml -o " + quote(json.string()) + " tallies.jsonl").status == 0);
  same_bytes(slurp(json), expected("tallies.json"), "-o by-name.json");
  const fs::path xlsx = scratch() / "by-name.xlsx";
  CHECK(score("-r tallies.yaml -o " + quote(xlsx.string()) + " tallies.jsonl").status == 0);
  CHECK(slurp(xlsx).rfind("PK", 0) == 0);  // a zip: a workbook
  const fs::path html = scratch() / "by-name.html";
  CHECK(score("-r tallies.yaml -o " + quote(html.string()) + " tallies.jsonl").status == 0);
  CHECK(has(slurp(html), "<!DOCTYPE html>"));

  // OWASP CSV injection: text cells from the logs that Excel would run as formulas.
  scratch_dir dir("decorum_test_csv_injection");
  dir.write("inj.jsonl", "{\"time\":\"2026-11-03T09:00:00\",\"employee\":\"=1+1\",\"name\":\"@SUM(A1)\",\"kind\":\"visit\",\"late\":false}\n"
                         "{\"time\":\"2026-11-03T09:00:00\",\"employee\":\"-E2\",\"name\":\"+x,y\",\"kind\":\"visit\",\"late\":false}\n");
  r = score("-r " + quote((e2e_dir / "tallies.yaml").string()) + " -f csv inj.jsonl", {}, dir.path);
  CHECK(r.status == 0);
  CHECK(has(r.out, "\n'-E2,\"'+x,y\",2026-11,"));
  CHECK(has(r.out, "\n'=1+1,'@SUM(A1),2026-11,"));
}

TEST_CASE("encoding: -f csv never drops findings or rejected rows quietly") {
  // To standard output there is no name to put the findings next to: a usage error.
  run_result r = score("-r bad.yaml -f csv --findings bad.jsonl");
  CHECK(r.status == 2);
  CHECK(r.out.empty());
  CHECK(has(r.err, "with --findings give -o FILE.csv"));
  // Rejected rows to standard output: said where they are not, and how to get them.
  r = score("-r bad.yaml -f csv bad.jsonl");
  CHECK(r.status == 0);
  CHECK(has(r.err, "CSV keeps only the tallies: -o FILE.csv lists them in FILE.rejected.csv"));
  CHECK(!has(r.err, "(listed in the report)"));
  // With -o X.csv: companion files X.findings.csv and X.rejected.csv, named on stderr.
  const fs::path out = scratch() / "companions.csv";
  const std::string stem = (scratch() / "companions").string();
  r = score("-r bad.yaml --findings -o " + quote(out.string()) + " bad.jsonl");
  CHECK(r.status == 0);
  CHECK(has(r.err, "findings written to " + stem + ".findings.csv"));
  CHECK(has(r.err, "rejected records written to " + stem + ".rejected.csv"));
  CHECK(has(r.err, "rejected (listed in " + stem + ".rejected.csv)"));
  const std::string findings = slurp(stem + ".findings.csv");
  CHECK(findings.rfind("\xEF\xBB\xBF" "employee,period,rule,time,occurrences,points,fine,source,line,rule_file,rule_line,"
                       "matched,appeal,reviewer,appeal_reason\n", 0) == 0);
  const std::string json = score("-r bad.yaml -f json --findings bad.jsonl").out;
  std::size_t json_findings = 0;
  for (std::size_t at = json.find("\"rule_file\""); at != std::string::npos; at = json.find("\"rule_file\"", at + 1))
    ++json_findings;
  CHECK(json_findings > 0);
  CHECK(static_cast<std::size_t>(std::count(findings.begin(), findings.end(), '\n')) == json_findings + 1);
  const std::string rejected = slurp(stem + ".rejected.csv");
  CHECK(rejected.rfind("\xEF\xBB\xBF" "source,line,error\n", 0) == 0);
  CHECK(has(rejected, "bad.jsonl,"));
}

TEST_CASE("encoding: GBK logs are detected; --encoding utf-8 rejects them with the gb18030 hint") {
  run_result r = score("-r bad.yaml --format json --encoding utf-8 gbk.csv");
  check_report(r, "gbk-csv-utf8.json");
  CHECK(has(r.out, "--encoding gb18030"));
  r = score("-r bad.yaml --format json gbk.csv");
  check_report(r, "gbk-csv.json");
  CHECK(has(r.err, "decorum score: gbk.csv: read as GB18030"));
  // Forced, the encoding is named as given.
  const auto as_gbk = [](std::string s) {
    const std::string from = "\"encoding\": \"GB18030\"";
    s.replace(s.find(from), from.size(), "\"encoding\": \"GBK\"");
    return s;
  };
  same_bytes(score("-r bad.yaml --format json --encoding gbk gbk.csv").out, as_gbk(expected("gbk-csv.json")), "--encoding gbk");
  check_report(score("-r bad.yaml --format json --encoding gb18030 gbk.csv"), "gbk-csv.json");
  check_report(score("-r bad.yaml --format json --encoding utf-8 gbk.jsonl"), "gbk-jsonl-utf8.json");
  check_report(score("-r bad.yaml --format json gbk.jsonl"), "gbk-jsonl.json");
  same_bytes(score("-r bad.yaml --format json --encoding gbk gbk.jsonl").out, as_gbk(expected("gbk-jsonl.json")), "--encoding gbk");
}

TEST_CASE("encoding: a GBK, a UTF-8 BOM and a UTF-16 file from Excel score identically with no flag") {
  const run_result plain = score("-r bad.yaml --format json utf8.csv");
  CHECK(plain.status == 0);
  CHECK(plain.err.empty());
  for (const char* f : {"gbk.csv", "utf8-bom.csv", "utf16.csv"}) {
    const run_result r = score(std::string("-r bad.yaml --format json ") + f);
    INFO(f << ": " << r.err);
    CHECK(r.status == 0);
    CHECK(without_files(r.out) == without_files(plain.out));
  }
  // The report's input section names each file with the encoding it was read as.
  CHECK(has(plain.out, "\"input\": {\"records\": 3, \"scored\": 3, \"rejected\": 0, \"files\": [{\"path\": \"utf8.csv\", "
                       "\"encoding\": \"UTF-8\"}]}"));
  CHECK(has(score("-r bad.yaml --format json gbk.csv").out, "\"files\": [{\"path\": \"gbk.csv\", \"encoding\": \"GB18030\"}]"));
  CHECK(has(score("-r bad.yaml --format json utf16.csv").out, "{\"path\": \"utf16.csv\", \"encoding\": \"UTF-16LE\"}"));
  CHECK(has(score("-r bad.yaml --format json utf16.csv").err, "decorum score: utf16.csv: read as UTF-16LE"));
  CHECK(score("-r bad.yaml --format json utf8-bom.csv").err.empty());  // UTF-8 is not worth a line
  const run_result j = score("-r bad.yaml --format json utf8.jsonl");
  for (const char* f : {"gbk.jsonl", "utf16be.jsonl"}) {
    const run_result r = score(std::string("-r bad.yaml --format json ") + f);
    INFO(f << ": " << r.err);
    CHECK(without_files(r.out) == without_files(j.out));
  }
  // Several files, each decoded its own way, make one report.
  const run_result mixed = score("-r bad.yaml --format json -j 2 gbk.csv utf16be.jsonl");
  CHECK(mixed.status == 0);
  CHECK(has(mixed.err, "gbk.csv: read as GB18030"));
  CHECK(has(mixed.err, "utf16be.jsonl: read as UTF-16BE"));
  CHECK(has(mixed.out, "\"files\": [{\"path\": \"gbk.csv\", \"encoding\": \"GB18030\"}, {\"path\": \"utf16be.jsonl\", "
                       "\"encoding\": \"UTF-16BE\"}]"));
}

TEST_CASE("encoding: partial results carry each file's encoding to the merged report") {
  const fs::path a = scratch() / "enc-a.partial", b = scratch() / "enc-b.partial";
  CHECK(score("-r bad.yaml -f partial -o " + quote(a.string()) + " gbk.csv").status == 0);
  CHECK(score("-r bad.yaml -f partial -o " + quote(b.string()) + " utf16be.jsonl").status == 0);
  CHECK(has(slurp(a), "\"sources\":[\"gbk.csv\"],\n\"encodings\":[\"GB18030\"]"));
  run_result m = run_cli("merge", "-r bad.yaml -f json " + quote(a.string()) + " " + quote(b.string()));
  CHECK(m.status == 0);
  const run_result whole = score("-r bad.yaml -f json gbk.csv utf16be.jsonl");
  same_bytes(m.out, whole.out, "merged partials");
  CHECK(has(m.out, "\"files\": [{\"path\": \"gbk.csv\", \"encoding\": \"GB18030\"}, {\"path\": \"utf16be.jsonl\", "
                   "\"encoding\": \"UTF-16BE\"}]"));
  // A partial without encodings (an older one) is read; its files' encodings are null.
  std::string old = slurp(a);
  old.erase(old.find(",\n\"encodings\":[\"GB18030\"]"), std::string(",\n\"encodings\":[\"GB18030\"]").size());
  spit(scratch() / "enc-old.partial", old);
  m = run_cli("merge", "-r bad.yaml -f json " + quote((scratch() / "enc-old.partial").string()));
  CHECK(m.status == 0);
  CHECK(has(m.out, "\"files\": [{\"path\": \"gbk.csv\", \"encoding\": null}]"));
  // One encoding per source, or the partial is refused naming the key.
  std::string bad = slurp(a);
  bad.replace(bad.find("[\"GB18030\"]"), 11, "[]");
  spit(scratch() / "enc-bad.partial", bad);
  m = run_cli("merge", "-r bad.yaml -f json " + quote((scratch() / "enc-bad.partial").string()));
  CHECK(m.status == 1);
  CHECK(has(m.err, "encodings"));
  CHECK(has(m.err, "expected one per source"));
}

TEST_CASE("encoding: diff, inspectors and explain name a file not read as UTF-8, as score does") {
  run_result r = run_cli("diff", "-f json bad.yaml bad.yaml gbk.csv utf8.csv");
  CHECK(r.status == 0);
  CHECK(r.err == "decorum diff: gbk.csv: read as GB18030\n");
  CHECK(has(r.out, "{\"path\": \"gbk.csv\", \"encoding\": \"GB18030\"}, {\"path\": \"utf8.csv\", \"encoding\": \"UTF-8\"}"));
  r = run_cli("inspectors", "-f json -r bad.yaml utf16.csv");
  CHECK(r.status == 0);
  CHECK(r.err == "decorum inspectors: utf16.csv: read as UTF-16LE\n");
  CHECK(has(r.out, "{\"path\": \"utf16.csv\", \"encoding\": \"UTF-16LE\"}"));
  r = run_cli("explain", "E1 -r bad.yaml gbk.csv");
  CHECK(has(r.out, "E1 王芳, period all"));
  CHECK(r.status == 0);
  CHECK(r.err == "decorum explain: gbk.csv: read as GB18030\n");
  // Standard input, read into memory first by inspectors, is named too.
  r = run_cli("inspectors", "-f json -r bad.yaml --input-format csv -", e2e_dir, e2e_dir / "gbk.csv");
  CHECK(r.err == "decorum inspectors: <stdin>: read as GB18030\n");
  CHECK(has(r.out, "{\"path\": \"-\", \"encoding\": \"GB18030\"}"));
  // UTF-8 is not worth a line.
  CHECK(run_cli("diff", "-f json bad.yaml bad.yaml utf8.csv").err.empty());
}

TEST_CASE("encoding: a file that cannot be decoded fails once, naming it; a contradicting BOM is an error") {
  run_result r = score("-r bad.yaml --format json binary.jsonl");
  CHECK(r.status == 1);
  CHECK(r.out.empty());
  CHECK(has(r.err, "binary.jsonl: error: is neither UTF-8 nor an encoding decorum can recognise; give --encoding"));
  CHECK(has(r.err, "decorum score: no report written"));
  r = score("-r bad.yaml --format json --encoding gbk utf16.csv");
  CHECK(r.status == 1);
  CHECK(has(r.err, "utf16.csv: error: starts with a UTF-16LE byte-order mark, but --encoding GBK was given"));
  r = score("-r bad.yaml --format json --encoding utf-16be utf16.csv");
  CHECK(r.status == 1);
  CHECK(has(r.err, "but --encoding UTF-16BE was given"));
  // A BOM that agrees with --encoding is skipped.
  CHECK(without_files(score("-r bad.yaml --format json --encoding utf-16le utf16.csv").out) ==
        without_files(score("-r bad.yaml --format json utf8.csv").out));
  CHECK(score("-r bad.yaml --format json --encoding utf-8 utf8-bom.csv").status == 0);
  // Standard input is sniffed from its head the same way.
  r = run_cli("score", "-r bad.yaml --format json --input-format csv -", e2e_dir, e2e_dir / "utf16.csv");
  CHECK(r.status == 0);
  CHECK(without_files(r.out) == without_files(score("-r bad.yaml --format json utf8.csv").out));
  CHECK(has(r.err, "<stdin>: read as UTF-16LE"));
  CHECK(run_cli("score", "-r bad.yaml --format json --input-format jsonl -", e2e_dir, e2e_dir / "binary.jsonl").status == 1);
}

#endif  // DECORUM_CLI
