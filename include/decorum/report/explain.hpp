// decorum/report/explain.hpp — entry points: `explain_tally`, `write_explanation`. One
// employee's score for one period worked out line by line from the audit trail and the rule
// set: base, each finding with its rule and price (the n-th occurrence of a progressive rule
// says so), each rule's sum and cap, deductions and bonuses, the clamp and the grade. The
// arithmetic is redone from the findings, not copied from the tally, so that ending at the
// tally's numbers is a real check: any disagreement is listed, never hidden.
#pragma once

#include "decorum/compile/compile.hpp"
#include "decorum/tally/tally.hpp"

#include <string>
#include <vector>

namespace decorum {

/// One employee's tally for one period, explained.
struct explanation {
  std::string employee, name, period;  ///< whose tally, and when
  std::vector<std::string> lines;      ///< the worked explanation, one line each (no line breaks)
  decimal deductions, bonuses, fines;  ///< as recomputed from the findings (before the clamp)
  decimal score;                       ///< as recomputed: base − deductions + bonuses, clamped
  std::optional<std::string> grade;    ///< as recomputed from the grade bands
  std::uint64_t findings = 0;          ///< standing findings counted
  /// Where the recomputed figures differ from the tally ("score: explained 50, tally 40"):
  /// empty when the explanation ends at the tally's numbers.
  std::vector<std::string> disagreements;
};

/// Explains tally `t` of report `r` (scored with findings kept, under `rules`): the findings of
/// the same employee and period are priced again in time order — one occurrence numbering per
/// rule id, voided findings taking no number — summed per rule, capped, split into deductions
/// and bonuses, and turned into a clamped score and a grade.
explanation explain_tally(const score_report& r, const rule_set& rules, const tally& t);

/// The explanation as text: its lines, each ending in a line break, and then, if the figures
/// disagree with the tally, both sides of every disagreement.
std::string write_explanation(const explanation& e);

}  // namespace decorum
