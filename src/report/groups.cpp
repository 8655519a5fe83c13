// src/report/groups.cpp — entry points: group_tallies, detail::json_groups, csv_groups,
// table_groups. Rolls a report's tallies up by the group each carries and writes the roll-ups
// for report.cpp's three formats.
#include "decorum/report/groups.hpp"

#include "decorum/base/diagnostic.hpp"
#include "report/parts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace decorum {

namespace {

using wide = detail::decimal_wide;

/// "A:3;B:1" / "phone:-20;conduct:-10": a list in one CSV cell or table column.
template <typename List>
std::string joined(const List& list, std::string_view sep) {
  std::string s;
  for (const auto& [k, v] : list) {
    if (!s.empty()) s += sep;
    if constexpr (std::is_same_v<std::remove_cvref_t<decltype(v)>, decimal>) s += fmt::format("{}:{}", k, v.to_string());
    else s += fmt::format("{}:{}", k, v);
  }
  return s;
}

}  // namespace

std::vector<group_tally> group_tallies(const score_report& r) {
  // (null last, value), period -> the tallies' indices
  std::map<std::pair<std::pair<bool, std::string>, std::string>, std::vector<const tally*>> by;
  for (const tally& t : r.tallies) by[{{!t.group.has_value(), t.group.value_or("")}, t.period}].push_back(&t);
  std::vector<group_tally> out;
  for (const auto& [key, ts] : by) {
    group_tally g;
    g.group = ts.front()->group;
    g.period = key.second;
    g.employees = ts.size();
    wide sum = 0;
    std::vector<std::int64_t> scores;
    std::map<std::string, decimal> cats;
    std::map<std::string, std::uint64_t> grades;
    for (const tally* t : ts) {
      sum += t->score.raw();
      scores.push_back(t->score.raw());
      g.deductions = add(g.deductions, t->deductions).value_or(g.deductions);
      g.bonuses = add(g.bonuses, t->bonuses).value_or(g.bonuses);
      for (const auto& [c, p] : t->categories) cats[c] = add(cats[c], p).value_or(cats[c]);
      if (t->grade) ++grades[*t->grade];
      else ++g.ungraded;
    }
    // Exact: the sum's raw over n, rounded once to hundredths (10^4 raw units).
    g.mean = decimal::from_raw(static_cast<std::int64_t>(detail::div_round_half_away(sum, static_cast<wide>(ts.size()) * 10'000) * 10'000));
    std::sort(scores.begin(), scores.end());
    const std::size_t n = scores.size();
    g.median = decimal::from_raw(n % 2 ? scores[n / 2]
                                       : static_cast<std::int64_t>(detail::div_round_half_away(
                                             static_cast<wide>(scores[n / 2 - 1]) + scores[n / 2], 2)));
    g.categories.assign(cats.begin(), cats.end());
    g.grades.assign(grades.begin(), grades.end());
    out.push_back(std::move(g));
  }
  return out;
}

namespace detail {

std::string json_groups(const score_report& r) {
  if (r.group_by.empty()) return {};
  const auto groups = group_tallies(r);
  std::string o = fmt::format("  \"group_by\": {},\n  \"groups\": [", json_quote(r.group_by));
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const group_tally& g = groups[i];
    std::string cats, grades;
    for (std::size_t k = 0; k < g.categories.size(); ++k)
      cats += fmt::format("{}{}: {}", k ? ", " : "", json_quote(g.categories[k].first), g.categories[k].second.to_string());
    for (std::size_t k = 0; k < g.grades.size(); ++k)
      grades += fmt::format("{}{}: {}", k ? ", " : "", json_quote(g.grades[k].first), g.grades[k].second);
    o += fmt::format(
        "{}\n    {{\"group\": {}, \"period\": {}, \"employees\": {}, \"mean\": {}, \"median\": {}, \"deductions\": {}, "
        "\"bonuses\": {},\n     \"categories\": {{{}}}, \"grades\": {{{}}}, \"ungraded\": {}}}",
        i ? "," : "", g.group ? json_quote(*g.group) : "null", json_quote(g.period), g.employees, g.mean.to_string(),
        g.median.to_string(), g.deductions.to_string(), g.bonuses.to_string(), cats, grades, g.ungraded);
  }
  o += groups.empty() ? "],\n" : "\n  ],\n";
  return o;
}

std::string csv_groups(const score_report& r) {
  if (r.group_by.empty()) return {};
  std::string o = fmt::format("\n{},period,employees,mean,median,deductions,bonuses,grades,ungraded,categories\n",
                              csv_cell("group_by:" + r.group_by));
  for (const group_tally& g : group_tallies(r))
    o += fmt::format("{},{},{},{},{},{},{},{},{},{}\n", csv_cell(g.group.value_or("")), csv_cell(g.period), g.employees,
                     g.mean.to_string(), g.median.to_string(), g.deductions.to_string(), g.bonuses.to_string(),
                     csv_cell(joined(g.grades, ";")), g.ungraded, csv_cell(joined(g.categories, ";")));
  return o;
}

std::string table_groups(const score_report& r) {
  if (r.group_by.empty()) return {};
  std::vector<std::vector<std::string>> rows = {
      {r.group_by, "period", "employees", "mean", "median", "deductions", "bonuses", "grades", "categories"}};
  for (const group_tally& g : group_tallies(r)) {
    std::string grades = joined(g.grades, ", ");
    if (g.ungraded) grades += fmt::format("{}none: {}", grades.empty() ? "" : ", ", g.ungraded);
    std::string cats;
    for (const auto& [c, p] : g.categories) cats += fmt::format("{}{} {}", cats.empty() ? "" : ", ", c, p.to_string());
    rows.push_back({g.group.value_or("(none)"), g.period, std::to_string(g.employees), g.mean.to_string(), g.median.to_string(),
                    g.deductions.to_string(), g.bonuses.to_string(), grades, cats});
  }
  std::vector<std::size_t> w(rows.front().size());
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) w[c] = std::max(w[c], static_cast<std::size_t>(display_width(row[c])));
  std::string o = "\n";
  for (const auto& row : rows) {
    std::string l;
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c) l += "  ";
      l += c + 1 == row.size() ? row[c] : pad_to_width(row[c], w[c], c >= 2 && c <= 6);
    }
    while (!l.empty() && l.back() == ' ') l.pop_back();
    o += l + '\n';
  }
  return o;
}

}  // namespace detail

}  // namespace decorum
