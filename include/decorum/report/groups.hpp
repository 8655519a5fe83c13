// decorum/report/groups.hpp — entry points: `group_tallies`, detail::json_groups, csv_groups,
// table_groups. Roll-ups of `score --group-by FIELD`: per group value and period, the number
// of employees, the mean and median score, deductions (in all and by category) and grade
// counts — exact decimals, in every report format (docs/decisions.md, "Roll-ups").
#pragma once

#include "decorum/tally/tally.hpp"

#include <optional>
#include <string>
#include <vector>

namespace decorum {

/// One group's roll-up for one period.
struct group_tally {
  std::optional<std::string> group;    ///< the field's value; null for tallies without one
  std::string period;                  ///< the period label
  std::uint64_t employees = 0;         ///< tallies in the group (one per employee and period)
  decimal mean;                        ///< mean score, rounded half away from zero to 0.01
  decimal median;                      ///< median score, exact (the mean of the middle two when even)
  decimal deductions, bonuses;         ///< sums of the tallies' (before any clamp)
  std::vector<std::pair<std::string, decimal>> categories;  ///< sums of the tallies' category points, by category
  std::vector<std::pair<std::string, std::uint64_t>> grades;  ///< tallies per grade, by grade (code point order)
  std::uint64_t ungraded = 0;          ///< tallies whose score reached no band
};

/// The roll-ups of a report whose tallies carry groups (score_options::group_by), ordered by
/// group (code point order, null last) then period.
std::vector<group_tally> group_tallies(const score_report& r);

namespace detail {
/// `"group_by": "site", "groups": [...],` for the JSON report, with its line breaks; "" when
/// the report has no group_by.
std::string json_groups(const score_report& r);
/// The CSV roll-up section: a blank line, a header row `group_by:FIELD,period,employees,…`, one
/// row per group; "" when the report has no group_by.
std::string csv_groups(const score_report& r);
/// The table of groups, after a blank line; "" when the report has no group_by.
std::string table_groups(const score_report& r);
}  // namespace detail

}  // namespace decorum
