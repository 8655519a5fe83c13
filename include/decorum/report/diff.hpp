// decorum/report/diff.hpp — entry points: `diff_tallies`, `write_diff`. What changes if the
// rules change (SPEC §11): two reports over the same logs compared per (employee, period) —
// score, deductions, bonuses, fines and grade, exactly, in decimals — and the changes written
// as a table for people, JSON or CSV.
#pragma once

#include "decorum/report/report.hpp"
#include "decorum/rulebook/load.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace decorum {

/// One rulebook's numbers for a changed (employee, period): what SPEC §11 compares.
struct diff_side {
  decimal score, deductions, bonuses, fines;  ///< as the tally has them
  std::optional<std::string> grade;           ///< null when no band is reached
  /// Field-wise equality: the test of "differ".
  friend bool operator==(const diff_side&, const diff_side&) = default;
};

/// One (employee, period) whose score, deductions, bonuses, fines or grade differ.
struct tally_change {
  std::string employee, period;               ///< which tally
  /// For the table: the name of the new tally, else of the old one ("" when neither has records).
  std::string name;
  std::optional<diff_side> old_side, new_side;  ///< null: that rulebook has no tally for it
  /// New score − old score; a null side's score counts as its rulebook's empty_score.
  decimal delta;
};

/// Two reports over the same logs, and what differs between them.
struct score_diff {
  score_report old_report, new_report;  ///< each rulebook's report (rulebook, period, input)
  std::vector<tally_change> changes;    ///< largest |delta| first, then employee, then period
  std::size_t compared = 0;             ///< (employee, period) pairs that either report has
};

/// The score of an (employee, period) a rulebook has no tally for: its base, clamped to its
/// floor and ceiling as a tally's score is.
decimal empty_score(const rulebook::scoring_decl& scoring) noexcept;

/// Fills `d.changes` and `d.compared` from its two reports. A pair is listed when its sides
/// differ in score, deductions, bonuses, fines or grade, or when only one report has it; a
/// missing side's score is `old_empty` / `new_empty` (each rulebook's empty_score).
void diff_tallies(score_diff& d, decimal old_empty, decimal new_empty);

/// The diff as a table (aligned by display width, footer naming both rulebooks), JSON
/// (SPEC §11; numbers printed as the score report prints them) or CSV; xlsx and html give the table.
std::string write_diff(const score_diff& d, report_format f);

}  // namespace decorum
