// src/report/diff.cpp — entry points: diff_tallies, write_diff. Compares two reports over the
// same logs per (employee, period) and writes the changes (SPEC §11). The rulebook, input and
// number formatting are the score report's own (parts.hpp), so both read alike.
#include "decorum/report/diff.hpp"

#include "report/parts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace decorum {

namespace {

/// (employee, period) order: code points, then the period label.
bool key_less(const tally* a, const tally* b) {
  if (a->employee != b->employee) return a->employee < b->employee;
  return a->period < b->period;
}

diff_side side_of(const tally& t) { return {t.score, t.deductions, t.bonuses, t.fines, t.grade}; }

/// new − old, saturating like the tally's own sums: a difference of two extreme scores still
/// sorts as the largest rather than wrapping.
decimal difference(decimal new_score, decimal old_score) {
  if (auto d = sub(new_score, old_score)) return *d;
  const std::int64_t most = std::numeric_limits<std::int64_t>::max();
  return decimal::from_raw(new_score > old_score ? most : -most);
}

/// |d| as raw millionths; raw is never INT64_MIN, so this cannot overflow.
std::int64_t magnitude(decimal d) { return d.raw() < 0 ? -d.raw() : d.raw(); }

std::string side_json(const std::optional<diff_side>& s) {
  if (!s) return "null";
  return fmt::format("{{\"score\": {}, \"deductions\": {}, \"bonuses\": {}, \"fines\": {}, \"grade\": {}}}",
                     s->score.to_string(), s->deductions.to_string(), s->bonuses.to_string(), s->fines.to_string(),
                     s->grade ? detail::json_quote(*s->grade) : std::string("null"));
}

std::string header_json(const score_report& r) {
  return fmt::format("{{\"rulebook\": {}, \"period\": {}, \"input\": {}}}", detail::json_rulebook(r),
                     detail::json_quote(to_string(r.period)), detail::json_input(r));
}

std::string write_json(const score_diff& d) {
  std::string o = "{\n  \"decorum\": 1,\n";
  o += fmt::format("  \"old\": {},\n", header_json(d.old_report));
  o += fmt::format("  \"new\": {},\n", header_json(d.new_report));
  o += "  \"changes\": [";
  for (std::size_t i = 0; i < d.changes.size(); ++i) {
    const tally_change& c = d.changes[i];
    o += fmt::format("{}\n    {{\"employee\": {}, \"period\": {}, \"old\": {}, \"new\": {}, \"delta\": {}}}", i ? "," : "",
                     detail::json_quote(c.employee), detail::json_quote(c.period), side_json(c.old_side),
                     side_json(c.new_side), c.delta.to_string());
  }
  o += d.changes.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return o;
}

std::string write_csv(const score_diff& d) {
  std::string o =
      "employee,period,old_score,new_score,delta,old_deductions,new_deductions,old_bonuses,new_bonuses,old_fines,"
      "new_fines,old_grade,new_grade\n";
  // A null side is empty cells, as an absent grade is in the score CSV.
  const auto num = [](const std::optional<diff_side>& s, decimal diff_side::*field) {
    return s ? (*s.*field).to_string() : std::string();
  };
  const auto grade = [](const std::optional<diff_side>& s) {
    return detail::csv_cell(s && s->grade ? *s->grade : std::string());
  };
  for (const tally_change& c : d.changes)
    o += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{}\n", detail::csv_cell(c.employee), detail::csv_cell(c.period),
                     num(c.old_side, &diff_side::score), num(c.new_side, &diff_side::score), c.delta.to_string(),
                     num(c.old_side, &diff_side::deductions), num(c.new_side, &diff_side::deductions),
                     num(c.old_side, &diff_side::bonuses), num(c.new_side, &diff_side::bonuses),
                     num(c.old_side, &diff_side::fines), num(c.new_side, &diff_side::fines), grade(c.old_side),
                     grade(c.new_side));
  return o;
}

/// A table cell for a value on both sides: "a" when equal, "a → b" when it changed; a null
/// side shows "-".
std::string both(const std::string& a, const std::string& b) { return a == b ? a : a + " → " + b; }

std::string write_table(const score_diff& d) {
  const std::vector<std::string> head = {"employee", "name",       "period",  "old",   "new",
                                         "delta",    "deductions", "bonuses", "fines", "grade"};
  std::vector<std::vector<std::string>> rows;
  for (const tally_change& c : d.changes) {
    const auto num = [](const std::optional<diff_side>& s, decimal diff_side::*field) {
      return s ? (*s.*field).to_string() : std::string("-");
    };
    const auto grade = [](const std::optional<diff_side>& s) { return s && s->grade ? *s->grade : std::string("-"); };
    std::string delta = c.delta.to_string();
    if (c.delta.raw() > 0) delta.insert(delta.begin(), '+');  // a rise reads as one at a glance
    rows.push_back({c.employee, c.name, c.period, num(c.old_side, &diff_side::score), num(c.new_side, &diff_side::score),
                    delta,
                    both(num(c.old_side, &diff_side::deductions), num(c.new_side, &diff_side::deductions)),
                    both(num(c.old_side, &diff_side::bonuses), num(c.new_side, &diff_side::bonuses)),
                    both(num(c.old_side, &diff_side::fines), num(c.new_side, &diff_side::fines)),
                    both(grade(c.old_side), grade(c.new_side))});
  }
  std::vector<std::size_t> w(head.size());
  for (std::size_t c = 0; c < head.size(); ++c) {
    w[c] = head[c].size();
    for (const auto& row : rows) w[c] = std::max(w[c], static_cast<std::size_t>(detail::display_width(row[c])));
  }
  const auto right = [](std::size_t c) { return c >= 3 && c <= 8; };
  std::string o;
  const auto line = [&](const std::vector<std::string>& row) {
    std::string l;
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c) l += "  ";
      l += c + 1 == row.size() ? row[c] : detail::pad_to_width(row[c], w[c], right(c));
    }
    while (!l.empty() && l.back() == ' ') l.pop_back();
    o += l;
    o += '\n';
  };
  line(head);
  for (const auto& row : rows) line(row);
  o += fmt::format("\n{} of {} (employee, period) changed\n", d.changes.size(), d.compared);
  for (const auto& [label, r] : {std::pair<const char*, const score_report*>{"old", &d.old_report}, {"new", &d.new_report}})
    o += fmt::format("{}: {}, period {}; {} records: {} scored, {} rejected\n", label, detail::rulebook_footer(*r),
                     to_string(r->period), r->records, r->scored, r->rejected);
  return o;
}

}  // namespace

decimal empty_score(const rulebook::scoring_decl& scoring) noexcept {
  decimal score = scoring.base;
  if (scoring.floor && score < *scoring.floor) score = *scoring.floor;
  if (scoring.ceiling && score > *scoring.ceiling) score = *scoring.ceiling;
  return score;
}

void diff_tallies(score_diff& d, decimal old_empty, decimal new_empty) {
  std::vector<const tally*> olds, news;
  for (const tally& t : d.old_report.tallies) olds.push_back(&t);
  for (const tally& t : d.new_report.tallies) news.push_back(&t);
  // Reports are already in this order; sorting again costs little and makes the walk below
  // independent of how a report orders its periods.
  std::sort(olds.begin(), olds.end(), key_less);
  std::sort(news.begin(), news.end(), key_less);
  d.changes.clear();
  d.compared = 0;
  std::size_t i = 0, j = 0;
  while (i < olds.size() || j < news.size()) {
    const tally* o = nullptr;
    const tally* n = nullptr;
    if (j == news.size() || (i < olds.size() && key_less(olds[i], news[j]))) o = olds[i++];
    else if (i == olds.size() || key_less(news[j], olds[i])) n = news[j++];
    else o = olds[i++], n = news[j++];
    ++d.compared;
    tally_change c;
    const tally& any = n ? *n : *o;
    c.employee = any.employee;
    c.period = any.period;
    if (o) c.old_side = side_of(*o);
    if (n) c.new_side = side_of(*n);
    if (c.old_side && c.new_side && *c.old_side == *c.new_side) continue;
    if (n && n->has_records) c.name = n->name;
    else if (o && o->has_records) c.name = o->name;
    c.delta = difference(c.new_side ? c.new_side->score : new_empty, c.old_side ? c.old_side->score : old_empty);
    d.changes.push_back(std::move(c));
  }
  std::stable_sort(d.changes.begin(), d.changes.end(), [](const tally_change& a, const tally_change& b) {
    if (magnitude(a.delta) != magnitude(b.delta)) return magnitude(a.delta) > magnitude(b.delta);
    if (a.employee != b.employee) return a.employee < b.employee;
    return a.period < b.period;
  });
}

std::string write_diff(const score_diff& d, report_format f) {
  switch (f) {
    case report_format::json: return write_json(d);
    case report_format::csv: return write_csv(d);
    case report_format::table: break;
    case report_format::xlsx: break;  // no workbook for a diff: `decorum diff` offers none
    case report_format::html: break;  // no HTML diff: the CLI offers table, json and csv
  }
  return write_table(d);
}

}  // namespace decorum
