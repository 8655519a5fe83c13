// src/report/html.cpp — entry point: detail::html_to (write_html, write_report with
// report_format::html). The HTML report of issue 15: one self-contained page, the page's
// markup, style and script (html_page.hpp) around Chart.js (inlined at build time from
// Debian's libjs-chart.js) and the report's data as one JSON blob. Values from logs reach the
// page only as JSON string literals that its script puts into the DOM as text, and every '<'
// in the blob is written \u003c, so no log can close the script element or open markup.
#include "decorum/report/groups.hpp"
#include "report/html_page.hpp"
#include "report/parts.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <unordered_map>

namespace decorum::detail {

namespace {

/// Appends JSON to the page's data blob: strings escaped, '<' as \u003c, decimals as strings
/// (their exact text: the page shows what the JSON report prints, never a float's rounding).
struct blob {
  out_buffer& o;
  void str(std::string_view s) {
    std::string& b = o.buf;
    b += '"';
    const std::size_t from = b.size();
    append_json_escaped(b, s);
    if (b.find('<', from) != std::string::npos) {
      std::string tail = b.substr(from);
      b.resize(from);
      for (char c : tail) {
        if (c == '<') b += "\\u003c";
        else b += c;
      }
    }
    b += '"';
  }
  void opt_str(const std::optional<std::string>& s) {
    if (s) str(*s);
    else o += "null";
  }
  void dec(decimal d) {
    o += '"';
    o += d.to_string();
    o += '"';
  }
  void opt_dec(const std::optional<decimal>& d) {
    if (d) dec(*d);
    else o += "null";
  }
  void num(std::uint64_t v) {
    char digits[24];
    o.buf.append(digits, std::to_chars(digits, digits + sizeof digits, v).ptr);
  }
  void num(std::int64_t v) {
    char digits[24];
    o.buf.append(digits, std::to_chars(digits, digits + sizeof digits, v).ptr);
  }
};

/// A checked running sum: an overflow shows as null ("overflow" on the page), never a wrong number.
void accumulate(std::optional<decimal>& sum, decimal d) {
  if (sum) sum = add(*sum, d);
}

/// What one period's overview shows; sums are exact decimals.
struct period_overview {
  std::size_t tallies = 0;
  std::map<std::optional<std::string>, std::pair<std::uint64_t, decimal>> grades;  // count, best score
  std::map<std::string, std::optional<decimal>> categories;
  std::map<std::size_t, std::pair<std::uint64_t, std::pair<std::optional<decimal>, std::optional<decimal>>>> rules;
};

/// A finding's evidence as one line: what matched, the window's aggregates, or the duty's deadline.
std::string evidence(const finding& f) {
  std::string e = f.matched;
  auto add_part = [&e](std::string part) {
    if (!e.empty()) e += "; ";
    e += part;
  };
  if (f.from == finding::origin::window) add_part("window " + f.window + (f.aggregates.empty() ? "" : ": " + f.aggregates));
  if (f.from == finding::origin::deadline)
    add_part("due " + f.due + ", late " + f.late.to_string() + " s" + (f.discharged ? "" : ", not discharged"));
  return e;
}

}  // namespace

void html_to(const score_report& r, out_buffer& o) {
  blob b{o};
  o += html_page_head;
  o += "<script>";
  o += chart_js_text();
  o += "</script>\n<script type=\"application/json\" id=\"decorum-data\">{\"decorum\": 1";
  o += ", \"rulebook\": {\"name\": ", b.str(r.rulebook), o += ", \"version\": ", b.opt_str(r.rulebook_version);
  o += ", \"rules\": ", b.num(static_cast<std::uint64_t>(r.rule_count)), o += ", \"sha256\": ", b.str(r.rulebook_sha256);
  o += "}";
  o += ", \"period_kind\": ", b.str(to_string(r.period));
  o += ", \"currency\": ", b.str(r.currency);
  o += ", \"input\": ";
  // Its `files` name inputs as given: a '<' there is escaped as everywhere in the blob.
  {
    std::string in;
    for (char c : json_input(r)) in += c == '<' ? std::string("\\u003c") : std::string(1, c);
    o += in;
  }
  o += ", \"as_of\": ", b.opt_str(r.as_of);
  o += ", \"pending\": ", b.num(static_cast<std::uint64_t>(r.pending.size()));
  o += ", \"appeals\": [", b.num(r.appeals.applied), o += ", ", b.num(r.appeals.voided), o += ", ";
  b.num(r.appeals.upheld), o += ", ", b.num(static_cast<std::uint64_t>(r.appeals.unmatched.size())), o += "]";

  // Rules by index: the report's list, then any id a tally or finding names that it lacks
  // (a report built in code may carry no list).
  std::vector<rule_info> rules = r.rules;
  std::unordered_map<std::string, std::size_t> rule_index;
  for (std::size_t i = 0; i < rules.size(); ++i) rule_index.emplace(rules[i].id, i);
  const auto index_of = [&](const std::string& id) {
    auto [it, fresh] = rule_index.emplace(id, rules.size());
    if (fresh) rules.push_back({id, "", ""});
    return it->second;
  };
  for (const tally& t : r.tallies)
    for (const rule_tally& rt : t.rules) index_of(rt.id);
  for (const finding& f : r.findings) index_of(f.rule);

  // Tallies: [employee, name, period, base, deductions, bonuses, score, grade, fines,
  // findings, voided, [flags], [[category, points]], [[rule, count, points, fines]]].
  std::map<std::string, period_overview> overview;
  std::map<std::pair<std::string_view, std::string_view>, std::size_t> tally_of;  // (employee, period) → index
  std::uint64_t counted = 0;
  o += ",\n\"tallies\": [";
  for (std::size_t i = 0; i < r.tallies.size(); ++i) {
    const tally& t = r.tallies[i];
    tally_of.emplace(std::pair<std::string_view, std::string_view>(t.employee, t.period), i);
    counted += t.findings + t.voided;
    o += i ? ",\n[" : "\n[";
    b.str(t.employee), o += ", ";
    if (t.has_records) b.str(t.name);
    else o += "null";
    o += ", ", b.str(t.period);
    o += ", ", b.dec(t.base), o += ", ", b.dec(t.deductions), o += ", ", b.dec(t.bonuses), o += ", ", b.dec(t.score);
    o += ", ", b.opt_str(t.grade), o += ", ", b.dec(t.fines), o += ", ", b.num(t.findings), o += ", ", b.num(t.voided);
    o += ", [";
    for (std::size_t k = 0; k < t.flags.size(); ++k) {
      if (k) o += ", ";
      b.str(t.flags[k]);
    }
    o += "], [";
    period_overview& ov = overview[t.period];
    ++ov.tallies;
    auto& grade = ov.grades[t.grade];
    grade.second = grade.first == 0 ? t.score : std::max(grade.second, t.score);
    ++grade.first;
    for (std::size_t k = 0; k < t.categories.size(); ++k) {
      if (k) o += ", ";
      o += '[', b.str(t.categories[k].first), o += ", ", b.dec(t.categories[k].second), o += ']';
      auto [it, fresh] = ov.categories.emplace(t.categories[k].first, decimal{});
      accumulate(it->second, t.categories[k].second);
    }
    o += "], [";
    for (std::size_t k = 0; k < t.rules.size(); ++k) {
      const rule_tally& rt = t.rules[k];
      const std::size_t ri = index_of(rt.id);
      if (k) o += ", ";
      o += '[', b.num(static_cast<std::uint64_t>(ri)), o += ", ", b.num(rt.count), o += ", ", b.dec(rt.points);
      o += ", ", b.dec(rt.fines), o += ']';
      auto [it, fresh] = ov.rules.emplace(ri, std::pair{std::uint64_t{0}, std::pair{std::optional<decimal>{decimal{}},
                                                                                 std::optional<decimal>{decimal{}}}});
      it->second.first += rt.count;
      accumulate(it->second.second.first, rt.points);
      accumulate(it->second.second.second, rt.fines);
    }
    o += "]]";
    o.maybe_flush();
  }
  o += "]";

  o += ",\n\"rules\": [";
  for (std::size_t i = 0; i < rules.size(); ++i) {
    o += i ? ",\n[" : "\n[";
    b.str(rules[i].id), o += ", ", b.str(rules[i].title), o += ", ", b.str(rules[i].category), o += ']';
  }
  o += "]";

  // Periods in order, each with its overview: [[grade, count]] best grade first,
  // [[category, points]], [[rule, count, points, fines]] costliest first.
  o += ",\n\"periods\": [";
  bool first = true;
  for (const auto& [period, ov] : overview) {
    o += first ? "\n{\"period\": " : ",\n{\"period\": ";
    first = false;
    b.str(period);
    o += ", \"tallies\": ", b.num(static_cast<std::uint64_t>(ov.tallies));
    std::vector<std::pair<std::optional<std::string>, std::pair<std::uint64_t, decimal>>> grades(ov.grades.begin(),
                                                                                                  ov.grades.end());
    std::stable_sort(grades.begin(), grades.end(), [](const auto& x, const auto& y) {
      if (x.first.has_value() != y.first.has_value()) return x.first.has_value();  // "no grade" last
      return x.second.second > y.second.second;
    });
    o += ", \"grades\": [";
    for (std::size_t k = 0; k < grades.size(); ++k) {
      o += k ? ", [" : "[";
      b.opt_str(grades[k].first), o += ", ", b.num(grades[k].second.first), o += ']';
    }
    o += "], \"categories\": [";
    std::size_t k = 0;
    for (const auto& [cat, sum] : ov.categories) {
      o += k++ ? ", [" : "[";
      b.str(cat), o += ", ", b.opt_dec(sum), o += ']';
    }
    std::vector<std::pair<std::size_t, std::pair<std::uint64_t, std::pair<std::optional<decimal>, std::optional<decimal>>>>>
        costs(ov.rules.begin(), ov.rules.end());
    std::stable_sort(costs.begin(), costs.end(), [](const auto& x, const auto& y) {
      const auto& px = x.second.second.first;
      const auto& py = y.second.second.first;
      if (px.has_value() != py.has_value()) return !px.has_value();  // an overflow costs most
      return px && *px < *py;
    });
    o += "], \"rules\": [";
    for (std::size_t i = 0; i < costs.size(); ++i) {
      o += i ? ", [" : "[";
      b.num(static_cast<std::uint64_t>(costs[i].first)), o += ", ", b.num(costs[i].second.first);
      o += ", ", b.opt_dec(costs[i].second.second.first), o += ", ", b.opt_dec(costs[i].second.second.second), o += ']';
    }
    o += "]}";
  }
  o += "]";

  // Roll-ups of `score --group-by` (null without): the field and, per group and period,
  // [group, period, employees, mean, median, deductions, bonuses, [[grade, count]], ungraded].
  o += ",\n\"groups\": ";
  if (r.group_by.empty()) {
    o += "null";
  } else {
    o += "{\"by\": ", b.str(r.group_by), o += ", \"rows\": [";
    const std::vector<group_tally> groups = group_tallies(r);
    for (std::size_t i = 0; i < groups.size(); ++i) {
      const group_tally& g = groups[i];
      o += i ? ",\n[" : "\n[";
      b.opt_str(g.group), o += ", ", b.str(g.period), o += ", ", b.num(g.employees);
      o += ", ", b.dec(g.mean), o += ", ", b.dec(g.median), o += ", ", b.dec(g.deductions), o += ", ", b.dec(g.bonuses);
      o += ", [";
      for (std::size_t k = 0; k < g.grades.size(); ++k) {
        o += k ? ", [" : "[";
        b.str(g.grades[k].first), o += ", ", b.num(g.grades[k].second), o += ']';
      }
      o += "], ", b.num(g.ungraded), o += ']';
    }
    o += "]}";
  }

  // Findings: [tally, time, rule, occurrences, points, fine, source, line, evidence, appeal];
  // `source` indexes "sources" (-1: no record counted); appeal is null or [decision, reviewer,
  // reason, "file:line"]. Whether the report kept them: a report with tallies that counted
  // findings but no finding was scored without the audit trail.
  o += ",\n\"findings_kept\": ";
  o += (!r.findings.empty() || counted == 0) ? "true" : "false";
  std::vector<std::string> sources;
  std::unordered_map<std::string, std::size_t> source_index;
  o += ",\n\"findings\": [";
  for (std::size_t i = 0; i < r.findings.size(); ++i) {
    const finding& f = r.findings[i];
    o += i ? ",\n[" : "\n[";
    auto t = tally_of.find(std::pair<std::string_view, std::string_view>(f.employee, f.period));
    if (t != tally_of.end()) b.num(static_cast<std::uint64_t>(t->second));
    else o += "-1";
    o += ", ", b.str(f.time), o += ", ", b.num(static_cast<std::uint64_t>(index_of(f.rule))), o += ", ", b.num(f.occurrences);
    o += ", ", b.dec(f.points), o += ", ", b.dec(f.fine), o += ", ";
    if (f.has_source) {
      auto [it, fresh] = source_index.emplace(f.source, sources.size());
      if (fresh) sources.push_back(f.source);
      b.num(static_cast<std::uint64_t>(it->second)), o += ", ", b.num(f.line);
    } else {
      o += "-1, null";
    }
    o += ", ", b.str(evidence(f)), o += ", ";
    if (f.appeal) {
      o += '[', b.str(f.appeal->decision == appeal_decision::void_finding ? "voided" : "upheld"), o += ", ";
      b.str(f.appeal->reviewer), o += ", ", b.str(f.appeal->reason), o += ", ";
      b.str(f.appeal->source + ':' + std::to_string(f.appeal->line)), o += ']';
    } else {
      o += "null";
    }
    o += ']';
    o.maybe_flush();
  }
  o += "]";
  o += ",\n\"sources\": [";
  for (std::size_t i = 0; i < sources.size(); ++i) {
    if (i) o += ", ";
    b.str(sources[i]);
  }
  o += "],\n\"rejected\": [";
  for (std::size_t i = 0; i < r.rejections.size(); ++i) {
    const rejection& x = r.rejections[i];
    o += i ? ",\n[" : "\n[";
    b.str(r.source_name(x)), o += ", ", b.num(x.line), o += ", ", b.str(x.reason), o += ']';
    o.maybe_flush();
  }
  o += "]}</script>\n";
  o += html_page_tail;
}

}  // namespace decorum::detail
