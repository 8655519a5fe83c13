// decorum/report/xlsx.hpp — entry point: `write_xlsx`. The report as an Excel workbook for
// people who file it in a spreadsheet (SPEC §5): a cover sheet naming the rulebook, its
// version and digest, then sheets of tallies, per-rule counts, findings, rejected records and,
// when there are any, pending duties and unmatched appeals. Every sheet has a frozen header
// row, amounts are number cells, and every text is a text cell (never a formula).
#pragma once

#include "decorum/base/result.hpp"
#include "decorum/tally/tally.hpp"

#include <cstdio>
#include <string>

namespace decorum {

/// Writes the report as an .xlsx workbook to the file `path` (created or replaced). Sheets:
/// Cover, Tallies, Rules, Findings (only `with_findings`), Rejected, Pending and Appeals
/// (only when the report has pending duties or unmatched appeals). An amount is a number cell
/// when it has at most 15 significant digits (a double holds those exactly as written), else a
/// text cell with its exact digits. The same report gives the same bytes. The error says why
/// the workbook could not be written (the caller names the file); a sheet of more rows than
/// Excel allows (1,048,575 below the header) is an error, not a truncated sheet.
result<void, std::string> write_xlsx(const score_report& r, bool with_findings, const std::string& path);

/// Writes the workbook to an open file (standard output, say) through a temporary file,
/// since the xlsx library writes only to named files.
result<void, std::string> write_xlsx(const score_report& r, bool with_findings, std::FILE* file);

}  // namespace decorum
