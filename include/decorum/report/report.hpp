// decorum/report/report.hpp — entry points: `write_json`, `write_csv`, `write_table`,
// `write_html`. Renders a score_report in the formats of SPEC §5: JSON and CSV for systems, an
// aligned table for people (Chinese names aligned by display width), an Excel workbook
// (xlsx.hpp) and one self-contained HTML page with charts (issue 15). Output is byte-for-byte deterministic.
#pragma once

#include "decorum/tally/tally.hpp"

#include <cstdio>
#include <string>

namespace decorum {

/// Report formats.
enum class report_format {
  table, json, csv,
  xlsx,  ///< an Excel workbook (xlsx.hpp): binary
  html,  ///< one self-contained page with charts
};

/// The JSON report of SPEC §5 (findings included when the report holds them).
std::string write_json(const score_report& r, bool with_findings);
/// One CSV row per tally: employee,name,period,base,deductions,bonuses,score,grade,fines,findings,flags.
std::string write_csv(const score_report& r);
/// The findings as CSV, the JSON finding keys as columns (`decorum score -f csv --findings`
/// writes it next to the report): employee,period,rule,time,occurrences,points,fine,source,
/// line,rule_file,rule_line,matched,appeal,reviewer,appeal_reason.
std::string write_findings_csv(const score_report& r);
/// The rejected records as CSV: source,line,error (the JSON report's `rejected` keys).
std::string write_rejected_csv(const score_report& r);
/// A table for people, followed by the rejected records and, if asked, the findings.
std::string write_table(const score_report& r, bool with_findings);
/// One self-contained HTML page (issue 15): overview, charts (Chart.js, inlined), one section
/// per employee with the findings the report holds, and trends across periods. Every value
/// from a log is escaped; the data travels as a JSON blob inside the page.
std::string write_html(const score_report& r);
/// Dispatches on the format (xlsx: the workbook's bytes; `with_findings` does not apply to
/// HTML, which shows the findings the report holds).
std::string write_report(const score_report& r, report_format f, bool with_findings);
/// Writes the report to a file in pieces (a large report is never held whole); false on a
/// write error (xlsx.hpp's write_xlsx says why an xlsx could not be written). `threads` format the JSON tallies (the bytes do not depend on how many).
bool write_report(const score_report& r, report_format f, bool with_findings, std::FILE* file, unsigned threads = 1);

}  // namespace decorum
