// tests/report/test_csv_cell.cpp — entry point: doctest case "csv report: …". Text cells of
// the CSV report through write_csv: quoting, and OWASP's CSV-injection guard (a ' before a
// leading = + - @ tab or CR), which decorum's own numbers never get.
#include "decorum/report/report.hpp"
#include "decorum/tally/tally.hpp"

#include <doctest/doctest.h>

#include <string>

TEST_CASE("csv report: a ' before text that Excel would run as a formula, never before numbers") {
  auto row = [](const std::string& employee, const std::string& name) {
    decorum::score_report r;
    decorum::tally t;
    t.employee = employee;
    t.name = name;
    t.period = "2026-11";
    t.deductions = decorum::decimal::parse("-5").value();
    r.tallies.push_back(t);
    const std::string csv = decorum::write_csv(r);
    const std::size_t start = csv.find('\n') + 1;
    return csv.substr(start, csv.find('\n', start) - start);
  };
  CHECK(row("E1", "Ann").rfind("E1,Ann,2026-11,", 0) == 0);
  CHECK(row("=1+1", "@SUM(A1)").rfind("'=1+1,'@SUM(A1),2026-11,", 0) == 0);
  CHECK(row("-E2", "+x,y").rfind("'-E2,\"'+x,y\",2026-11,", 0) == 0);
  CHECK(row("\tE3", "=HYPERLINK(\"x\")").rfind("'\tE3,\"'=HYPERLINK(\"\"x\"\")\",2026-11,", 0) == 0);
  CHECK(row("a=b", "x").rfind("a=b,x,", 0) == 0);  // only the first character matters
  // The deduction is decorum's number: written as -5, no quote.
  CHECK(row("E1", "Ann").find(",-5,") != std::string::npos);
}
