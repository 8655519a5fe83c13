// tests/report/test_xlsx.cpp — doctest cases "xlsx: …" for write_xlsx (decorum/report/xlsx.hpp):
// the same report gives the same bytes by every route (a named file, an open file, a string);
// a file that cannot be written and a sheet longer than Excel allows are errors, not crashes
// or truncated sheets. The cells themselves are read back with openpyxl in tests/xlsx/.
#include "decorum/report/report.hpp"
#include "decorum/report/xlsx.hpp"

#include "support/test_util.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <string>

namespace {

decorum::score_report small_report() {
  decorum::score_report r;
  r.rulebook = "xlsx-test";
  r.rulebook_version = "1";
  r.rulebook_sha256 = std::string(64, 'a');
  r.rule_count = 1;
  r.records = r.scored = 1;
  r.as_of = "2026-11-03T09:00:00";
  decorum::tally t;
  t.employee = "E1";
  t.name = "王芳";
  t.period = "2026-11";
  t.base = *decorum::decimal::from_int(100);
  t.score = *decorum::decimal::from_int(90);
  t.deductions = *decorum::decimal::from_int(10);
  t.findings = 1;
  t.rules.push_back({"phone.rings", 1, *decorum::decimal::from_int(-10), {}});
  r.tallies.push_back(t);
  r.sources.push_back("log.jsonl");
  return r;
}

}  // namespace

TEST_CASE("xlsx: one report, the same bytes to a named file, an open file and a string") {
  const decorum::score_report r = small_report();
  decorum::test::scratch_dir dir("xlsx");
  const auto path = (dir.path / "r.xlsx").string();
  REQUIRE(decorum::write_xlsx(r, false, path).ok());
  const std::string named = decorum::test::slurp(path);
  REQUIRE(named.size() > 1000);
  CHECK(named.compare(0, 4, "PK\x03\x04") == 0);  // a zip container

  std::FILE* f = std::tmpfile();
  REQUIRE(f);
  REQUIRE(decorum::write_report(r, decorum::report_format::xlsx, false, f));
  std::string opened;
  std::rewind(f);
  char buf[65536];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) opened.append(buf, n);
  std::fclose(f);
  CHECK(opened == named);
  // The creation time is the report's as-of time, not the clock's: a later run matches.
  CHECK(decorum::write_report(r, decorum::report_format::xlsx, false) == named);
  CHECK(decorum::write_report(r, decorum::report_format::xlsx, true) != named);  // a Findings sheet
}

TEST_CASE("xlsx: a file that cannot be written is an error") {
  const auto w = decorum::write_xlsx(small_report(), false, "/nonexistent-dir/r.xlsx");
  REQUIRE_FALSE(w.ok());
  CHECK(w.error() == "No such file or directory");
  CHECK_FALSE(std::filesystem::exists("/nonexistent-dir/r.xlsx"));
}

TEST_CASE("xlsx: a sheet of more rows than Excel holds is an error, not a truncated sheet") {
  decorum::score_report r = small_report();
  r.rejections.assign(1'048'576, decorum::rejection{0, 7, "x"});  // one more than fits below the header
  decorum::test::scratch_dir dir("xlsx-rows");
  const auto path = (dir.path / "r.xlsx").string();
  const auto w = decorum::write_xlsx(r, false, path);
  REQUIRE_FALSE(w.ok());
  CHECK(w.error() == "sheet Rejected needs 1048576 rows, more than the 1048575 an xlsx sheet holds below its header; "
                     "write JSON or CSV instead");
  CHECK_FALSE(std::filesystem::exists(path));  // no half-written workbook left behind
}

TEST_CASE("xlsx: a text longer than a cell holds is an error naming the cell") {
  decorum::score_report r = small_report();
  r.tallies[0].name = std::string(32'768, 'x');
  decorum::test::scratch_dir dir("xlsx-long");
  const auto w = decorum::write_xlsx(r, false, (dir.path / "r.xlsx").string());
  REQUIRE_FALSE(w.ok());
  CHECK(w.error().rfind("sheet Tallies, row 2, column 2: ", 0) == 0);
}
