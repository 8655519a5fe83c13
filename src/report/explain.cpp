// src/report/explain.cpp — entry points: explain_tally, write_explanation. Redoes one tally's
// arithmetic from its findings and the rule set (SPEC §4, §9, §10) and writes it out line by
// line. Deliberately shares no code with the scorer's totals (src/tally/totals.cpp): the two
// reaching the same numbers is the check `decorum explain` offers.
#include "decorum/report/explain.hpp"

#include "decorum/base/chrono.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace decorum {

namespace {

constexpr decimal huge = decimal::from_raw(std::numeric_limits<std::int64_t>::max());

/// a + b, saturating at the largest decimal as the scorer does (an overflowing run is
/// rejected long before a report, so this only keeps the check from crashing).
decimal plus(decimal a, decimal b) {
  if (auto s = decorum::add(a, b)) return *s;
  return b < decimal() ? -huge : huge;
}

decimal times(decimal a, std::uint64_t n) {
  auto k = decimal::from_int(static_cast<std::int64_t>(std::min<std::uint64_t>(n, 1'000'000)));
  if (n <= 1'000'000 && k)
    if (auto p = mul(a, *k)) return *p;
  return a < decimal() ? -huge : huge;
}

/// A signed amount as the explanation shows it: "+15", "-10", "0".
std::string signed_text(decimal d) {
  std::string s = d.to_string();
  if (d > decimal()) s.insert(s.begin(), '+');
  return s;
}

/// The version of rule id `identity` that applies to a finding (SPEC §9): the only one, or
/// the one whose effective range holds the finding's date; null when that cannot be told.
const compiled_rule* version_of(const rule_set& rules, std::uint32_t identity, const finding& f) {
  const auto& vs = rules.versions(identity);
  if (vs.size() == 1) return &rules.rules()[vs.front()];
  const auto t = parse_time(f.time);
  if (!t || f.from != finding::origin::record) return nullptr;
  for (std::uint32_t v : vs)
    if (rules.rules()[v].effective.contains(days_of(*t))) return &rules.rules()[v];
  return nullptr;
}

/// Occurrences n+1 … n+count priced from a progressive list, and how: "occurrences 2-4 at 20 + 50×2".
std::pair<decimal, std::string> progressive_price(const std::vector<decimal>& list, std::uint64_t n, std::uint64_t count) {
  decimal total;
  std::vector<std::pair<decimal, std::uint64_t>> runs;  // price, how many in a row
  for (std::uint64_t k = n + 1; k <= n + count;) {
    if (k >= list.size()) {  // every later occurrence costs the last price
      const std::uint64_t rest = n + count - k + 1;
      total = plus(total, times(list.back(), rest));
      if (!runs.empty() && runs.back().first == list.back()) runs.back().second += rest;
      else runs.emplace_back(list.back(), rest);
      break;
    }
    const decimal p = list[k - 1];
    total = plus(total, p);
    if (!runs.empty() && runs.back().first == p) ++runs.back().second;
    else runs.emplace_back(p, 1);
    ++k;
  }
  std::string how = count == 1 ? fmt::format("occurrence {} at ", n + 1) : fmt::format("occurrences {}-{} at ", n + 1, n + count);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (i) how += " + ";
    how += runs[i].first.to_string();
    if (runs[i].second > 1) how += fmt::format("×{}", runs[i].second);
  }
  return {total, how};
}

/// Where a finding comes from, as its line shows it.
std::string where(const finding& f) {
  std::string s = f.has_source ? fmt::format("{}:{}", f.source, f.line) : std::string("no record counted");
  if (f.from == finding::origin::window) s += fmt::format(", window {}", f.window);
  if (f.from == finding::origin::deadline) s += fmt::format(", due {}", f.due);
  return s;
}

std::string list_text(const std::vector<decimal>& list) {
  std::string s;
  for (std::size_t i = 0; i < list.size(); ++i) s += (i ? ", " : "") + list[i].to_string();
  return s;
}

}  // namespace

explanation explain_tally(const score_report& r, const rule_set& rules, const tally& t) {
  explanation e;
  e.employee = t.employee;
  e.name = t.name;
  e.period = t.period;
  auto& out = e.lines;
  const auto& sc = rules.scoring();
  auto differ = [&](std::string_view what, const auto& mine, const auto& theirs) {
    if (mine != theirs) e.disagreements.push_back(fmt::format("{}: explained {}, tally {}", what, mine, theirs));
  };

  out.push_back(fmt::format("{}{}, period {}", t.employee, t.has_records && !t.name.empty() ? " " + t.name : "", t.period));
  out.push_back(fmt::format("  base {}", sc.base.to_string()));
  differ("base", sc.base.to_string(), t.base.to_string());

  // The tally's findings, already in time order (SPEC §4: the order progressive prices follow).
  std::vector<const finding*> mine;
  for (const finding& f : r.findings)
    if (f.employee == t.employee && f.period == t.period) mine.push_back(&f);

  std::uint64_t voided = 0;
  std::vector<std::string> seen_ids;
  for (const compiled_rule& first : rules.rules()) {
    if (first.identity != first.index) continue;  // one entry per id, at its first version
    std::vector<const finding*> of_rule;
    for (const finding* f : mine)
      if (f->rule == first.id) of_rule.push_back(f);
    if (of_rule.empty()) continue;
    const bool versioned = rules.versions(first.index).size() > 1;
    std::string head = "  " + first.id;
    if (!first.title.empty()) head += ": " + first.title;
    std::vector<std::string> notes;
    if (!versioned) {
      if (first.cap) notes.push_back("cap " + first.cap->to_string());
      if (!first.progressive.empty()) notes.push_back("progressive " + list_text(first.progressive));
      if (!first.fine_progressive.empty()) notes.push_back("progressive fines " + list_text(first.fine_progressive));
    } else {
      notes.push_back(fmt::format("{} versions sharing one numbering and cap", rules.versions(first.index).size()));
    }
    notes.push_back(fmt::format("{}:{}", rules.file(), first.pos.line));
    head += " (" + fmt::format("{}", fmt::join(notes, "; ")) + ")";
    out.push_back(head);

    std::uint64_t n = 0, n_fine = 0, standing = 0;
    decimal net, fines;
    const compiled_rule* latest = nullptr;  // the latest version with a standing finding: its cap
    for (const finding* f : of_rule) {
      const bool is_void = f->appeal && f->appeal->decision == appeal_decision::void_finding;
      std::string line = fmt::format("    {} {}", f->time.empty() ? "-" : f->time, where(*f));
      if (is_void) {
        ++voided;
        line += fmt::format(": voided by {} ({}:{}): {}; takes no occurrence number, 0", f->appeal->reviewer,
                            f->appeal->source, f->appeal->line, f->appeal->reason);
        out.push_back(std::move(line));
        continue;
      }
      ++standing;
      const compiled_rule* v = version_of(rules, first.index, *f);
      if (v && (!latest || v->rank > latest->rank)) latest = v;
      std::string how;
      if (versioned && v) how += fmt::format("version {}, ", v->effective.describe());
      if (v && !v->progressive.empty()) {
        auto [total, text] = progressive_price(v->progressive, n, f->occurrences);
        const decimal expected = v->amount == rulebook::amount_kind::deduct ? -total : total;
        how += text;
        if (expected != f->points)
          e.disagreements.push_back(fmt::format("{} at {}: {} priced {}, the finding says {}", first.id, where(*f), text,
                                                signed_text(expected), signed_text(f->points)));
      } else if (v && v->value_constant && v->amount != rulebook::amount_kind::none) {
        how += f->occurrences == 1 ? fmt::format("at {}", v->value_constant->to_string())
                                   : fmt::format("x{} at {} each", f->occurrences, v->value_constant->to_string());
      } else if (f->occurrences != 1) {
        how += fmt::format("x{}", f->occurrences);
      }
      if (!how.empty()) how += ": ";
      line += fmt::format(": {}{}", how, signed_text(f->points));
      if (f->fine != decimal()) {
        line += fmt::format(", fine {}", f->fine.to_string());
        if (v && !v->fine_progressive.empty()) {
          auto [total, text] = progressive_price(v->fine_progressive, n_fine, f->occurrences);
          line += " (" + text + ")";
          if (total != f->fine)
            e.disagreements.push_back(fmt::format("{} at {}: fine {} is {}, the finding says {}", first.id, where(*f), text,
                                                  total.to_string(), f->fine.to_string()));
        }
      }
      if (!f->matched.empty()) line += " [" + f->matched + "]";
      out.push_back(std::move(line));
      if (f->appeal)
        out.push_back(fmt::format("      upheld by {} ({}:{}): {}", f->appeal->reviewer, f->appeal->source, f->appeal->line,
                                  f->appeal->reason));
      n += f->occurrences;
      n_fine += f->occurrences;
      net = plus(net, f->points);
      fines = plus(fines, f->fine);
    }
    if (standing == 0) {
      out.push_back("    nothing stands");
      continue;
    }
    seen_ids.push_back(first.id);
    if (!latest) latest = &first;
    decimal capped = net;
    std::string sum = fmt::format("    sum {}", signed_text(net));
    if (latest->cap) {
      capped = std::clamp(net, -*latest->cap, *latest->cap);
      sum += capped == net ? fmt::format(", within the cap of {}", latest->cap->to_string())
                           : fmt::format(", capped at {}: {}", latest->cap->to_string(), signed_text(capped));
    }
    sum += capped < decimal() ? " (a deduction)" : capped > decimal() ? " (a bonus)" : "";
    if (fines != decimal()) sum += fmt::format("; fines {} (never capped)", fines.to_string());
    out.push_back(std::move(sum));
    if (capped < decimal()) e.deductions = plus(e.deductions, -capped);
    else e.bonuses = plus(e.bonuses, capped);
    e.fines = plus(e.fines, fines);
    e.findings += standing;
    const auto tr = std::find_if(t.rules.begin(), t.rules.end(), [&](const rule_tally& x) { return x.id == first.id; });
    if (tr == t.rules.end()) {
      e.disagreements.push_back(fmt::format("rule {}: explained {}, the tally does not list it", first.id, signed_text(capped)));
    } else {
      differ(first.id + " points", signed_text(capped), signed_text(tr->points));
      differ(first.id + " occurrences", n, tr->count);
      differ(first.id + " fines", fines.to_string(), tr->fines.to_string());
    }
  }
  for (const rule_tally& x : t.rules)
    if (std::find(seen_ids.begin(), seen_ids.end(), x.id) == seen_ids.end())
      e.disagreements.push_back(fmt::format("rule {}: the tally has {} with no finding to explain it", x.id, signed_text(x.points)));
  if (mine.empty()) out.push_back("  no findings");

  out.push_back(fmt::format("  deductions {}, bonuses {}", e.deductions.to_string(), e.bonuses.to_string()));
  const decimal raw = plus(plus(sc.base, -e.deductions), e.bonuses);
  out.push_back(fmt::format("  score {} - {} + {} = {}", sc.base.to_string(), e.deductions.to_string(), e.bonuses.to_string(),
                            raw.to_string()));
  e.score = raw;
  if (!sc.floor && !sc.ceiling) {
    out.push_back("  clamp: the rulebook sets no floor or ceiling");
  } else {
    if (sc.floor && e.score < *sc.floor) e.score = *sc.floor;
    if (sc.ceiling && e.score > *sc.ceiling) e.score = *sc.ceiling;
    const std::string range = fmt::format("{}{}{}", sc.floor ? "floor " + sc.floor->to_string() : std::string(),
                                          sc.floor && sc.ceiling ? ", " : "",
                                          sc.ceiling ? "ceiling " + sc.ceiling->to_string() : std::string());
    out.push_back(e.score == raw ? fmt::format("  clamp ({}): {} stays", range, raw.to_string())
                                 : fmt::format("  clamp ({}): {} becomes {}", range, raw.to_string(), e.score.to_string()));
  }
  if (sc.grades.empty()) {
    out.push_back("  grade: the rulebook has no grade bands");
  } else {
    for (const auto& g : sc.grades)
      if (e.score >= g.min) {
        e.grade = g.grade;
        out.push_back(fmt::format("  grade {}: the first band whose min ({}) {} reaches", g.grade, g.min.to_string(),
                                  e.score.to_string()));
        break;
      }
    if (!e.grade) out.push_back(fmt::format("  grade none: {} reaches no band", e.score.to_string()));
  }
  if (e.fines != decimal()) out.push_back(fmt::format("  fines {} {}", e.fines.to_string(), r.currency));
  differ("findings", e.findings, t.findings);
  differ("voided", voided, t.voided);
  differ("deductions", e.deductions.to_string(), t.deductions.to_string());
  differ("bonuses", e.bonuses.to_string(), t.bonuses.to_string());
  differ("fines", e.fines.to_string(), t.fines.to_string());
  differ("grade", e.grade.value_or("none"), t.grade.value_or("none"));
  differ("score", e.score.to_string(), t.score.to_string());
  out.push_back(fmt::format("  = {}{}", e.score.to_string(),
                            e.disagreements.empty() ? ", as tallied" : fmt::format(" (the tally says {})", t.score.to_string())));
  return e;
}

std::string write_explanation(const explanation& e) {
  std::string s;
  for (const auto& l : e.lines) s += l + '\n';
  if (!e.disagreements.empty()) {
    s += "  the explanation disagrees with the tally:\n";
    for (const auto& d : e.disagreements) s += "    " + d + '\n';
  }
  return s;
}

}  // namespace decorum
