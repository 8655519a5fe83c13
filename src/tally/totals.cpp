// src/tally/totals.cpp — entry point: scorer::report. Turns the accumulators into a
// score_report: per tally the rules' nets (progressive prices from occurrence counts, caps),
// deductions, bonuses, fines, categories, flags, clamped score and grade — versions of a rule
// (SPEC §9) priced as one rule, version by version; and, when findings
// were kept, the audit trail in time order with progressive prices handed out in that order.
#include "tally_impl.hpp"

#include "decorum/base/parallel.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace decorum {

using detail::progressive_total;
using detail::sat_add;

/// Each rule's category and flag as an index into the sorted, unique lists of them.
struct report_labels {
  std::vector<std::string> categories, flags;
  std::vector<std::int32_t> category_of, flag_of;  // by rule; -1 for none
  explicit report_labels(const rule_set& rs) {
    for (const auto& r : rs.rules()) {
      if (!r.category.empty()) categories.push_back(r.category);
      if (!r.flag.empty()) flags.push_back(r.flag);
    }
    for (auto* v : {&categories, &flags}) {
      std::sort(v->begin(), v->end());
      v->erase(std::unique(v->begin(), v->end()), v->end());
    }
    auto index = [](const std::vector<std::string>& sorted, const std::string& s) {
      if (s.empty()) return std::int32_t{-1};
      return static_cast<std::int32_t>(std::lower_bound(sorted.begin(), sorted.end(), s) - sorted.begin());
    };
    for (const auto& r : rs.rules()) {
      category_of.push_back(index(categories, r.category));
      flag_of.push_back(index(flags, r.flag));
    }
  }
};

score_report scorer::impl::report(unsigned threads) const {
  const std::optional<std::int64_t> now = as_of();
  if (rules->window_rules().empty() && rules->deadline_rules().empty()) {
    score_report rep = report_over(tally_view{accs}, findings, nullptr, threads);
    if (now) rep.as_of = format_time(timestamp{*now, 0, false, false});
    rep.appeals = summarize_appeals(appeal_seen);
    return rep;
  }
  // Windows and duties become findings now, into copies: a later report may see more records.
  std::vector<settled> extra;  // only with findings kept: the audit trail's window and duty details
  std::vector<pending_duty> pending;
  std::vector<acc> fresh;
  std::vector<std::vector<rule_acc>> overlay(accs.size());
  std::vector<std::uint64_t> voided;  // by accumulator; sized on the first voided finding
  std::vector<std::uint8_t> seen = appeal_seen;
  std::vector<raw_finding> kept = findings;
  std::map<std::pair<std::uint32_t, std::int32_t>, std::uint32_t> made;
  settle(
      [&](settled&& s) {
        std::uint32_t at = UINT32_MAX;
        for (const auto& [key, index] : employee_periods[s.employee])
          if (key == s.period) at = index;
        if (at == UINT32_MAX) {
          // SPEC §8.1: a window's tally exists even where the employee has no record (name null).
          auto [it, inserted] = made.try_emplace({s.employee, s.period}, static_cast<std::uint32_t>(accs.size() + fresh.size()));
          if (inserted) {
            fresh.emplace_back();
            fresh.back().employee = s.employee;
            fresh.back().period = s.period;
            fresh.back().window_only = true;
          }
          at = it->second;
        }
        if (s.f.appeal != appeal_set::none) seen[s.f.appeal] = appeal_matched;
        if (voids(s.f.appeal)) {
          // SPEC §10: the tally stays, counting the voided finding, even if it is its only one.
          if (at >= accs.size()) ++fresh[at - accs.size()].voided;
          else {
            if (voided.empty()) voided.resize(accs.size());
            ++voided[at];
          }
        } else {
          add_to_rules(at < accs.size() ? overlay[at] : fresh[at - accs.size()].rules, s.f.rule, s.f.occurrences, 1,
                       s.f.points, s.f.fine);
        }
        if (!opts.keep_findings) return;
        raw_finding f = s.f;
        f.acc = at;
        f.cross = static_cast<std::uint32_t>(extra.size());
        kept.push_back(std::move(f));
        extra.push_back(std::move(s));
      },
      pending);
  score_report rep = report_over(tally_view{accs, &fresh, &overlay, voided.empty() ? nullptr : &voided}, kept, &extra, threads);
  rep.pending = std::move(pending);
  rep.appeals = summarize_appeals(seen);
  if (now) rep.as_of = format_time(timestamp{*now, 0, false, false});
  return rep;
}

score_report scorer::impl::report_over(const tally_view& accs, const std::vector<raw_finding>& findings,
                                       const std::vector<settled>* extra, unsigned threads) const {
  score_report rep;
  rep.rulebook = rules->name();
  rep.rulebook_version = rules->version();
  rep.rulebook_sha256 = rules->sha256();
  rep.rule_count = rules->distinct_rules();
  // Titles for reports that show them (HTML); a versioned id is listed once, at its first rule.
  rep.rules.reserve(rep.rule_count);
  for (const compiled_rule& c : rules->rules())
    if (c.identity == c.index) rep.rules.push_back({c.id, c.title, c.category});
  rep.period = period;
  rep.currency = rules->scoring().currency;
  rep.records = read;
  rep.scored = scored;
  rep.rejected = rejected;
  rep.sources = sources;
  rep.rejections = rejections;
  rep.group_by = opts.group_by;
  // Parallel workers finish in any order; input order is input name, then line.
  std::stable_sort(rep.rejections.begin(), rep.rejections.end(), [&](const rejection& a, const rejection& b) {
    const std::string& x = sources[a.source];
    const std::string& y = sources[b.source];
    return x != y ? x < y : a.line < b.line;
  });
  const auto& sc = rules->scoring();
  std::vector<std::uint32_t> order(accs.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
    const acc &a = accs[x], &b = accs[y];
    int c = employees[a.employee].compare(employees[b.employee]);
    if (c != 0) return c < 0;
    return a.period < b.period;
  });
  // Categories and flags as small sorted ids: a tally sums into arrays instead of building
  // a map and a set of strings (12,000 tallies in the benchmark's report).
  const report_labels labels(*rules);
  rep.tallies.resize(order.size());
  // Tallies are independent: ranges of them are built on `threads` threads, each into its
  // own slots, so the result is the same for any thread count.
  auto build = [&](std::size_t from, std::size_t to) {
    std::vector<decimal> cat_sum(labels.categories.size());
    std::vector<bool> cat_used(labels.categories.size()), flag_used(labels.flags.size());
    std::vector<rule_acc> merged;
    for (std::size_t k = from; k < to; ++k) {
      const acc& a = accs[order[k]];
      // Rules across records never fire per record: their parts merge in without clashes.
      const std::vector<rule_acc>* more =
          accs.overlay && order[k] < accs.overlay->size() ? &(*accs.overlay)[order[k]] : nullptr;
      const std::vector<rule_acc>* parts = &a.rules;
      if (more && !more->empty()) {
        merged.clear();
        std::merge(a.rules.begin(), a.rules.end(), more->begin(), more->end(), std::back_inserter(merged),
                   [](const rule_acc& x, const rule_acc& y) { return x.rule < y.rule; });
        parts = &merged;
      }
      tally& t = rep.tallies[k];
      t.employee = employees[a.employee];
      t.name = a.name.text;
      if (a.group.has) t.group = a.group.text;
      t.has_records = !a.window_only;
      t.period = period_label_from_key(period, a.period);
      t.base = sc.base;
      t.voided = a.voided + (accs.voided && order[k] < accs.voided->size() ? (*accs.voided)[order[k]] : 0);
      // SPEC §9: versions of an id are one rule. Their parts are grouped by identity, in
      // effective order, so one occurrence numbering runs through them: each version prices
      // its occurrences from where the earlier ones stopped.
      if (rules->has_versions()) {
        if (parts != &merged) {
          merged.assign(parts->begin(), parts->end());
          parts = &merged;
        }
        std::sort(merged.begin(), merged.end(), [&](const rule_acc& x, const rule_acc& y) {
          const compiled_rule &rx = rules->rules()[x.rule], &ry = rules->rules()[y.rule];
          return std::pair(rx.identity, rx.rank) < std::pair(ry.identity, ry.rank);
        });
      }
      t.rules.reserve(parts->size());
      for (std::size_t g = 0; g < parts->size();) {
        const std::uint32_t identity = rules->rules()[(*parts)[g].rule].identity;
        std::size_t end = g + 1;
        while (end < parts->size() && rules->rules()[(*parts)[end].rule].identity == identity) ++end;
        decimal net, fines;
        std::uint64_t n = 0;
        const compiled_rule* latest = nullptr;  // the latest version with a finding here: its cap and category
        for (std::size_t v = g; v < end; ++v) {
          const rule_acc& ra = (*parts)[v];
          const compiled_rule& rule = rules->rules()[ra.rule];
          auto priced = [&](const std::vector<decimal>& list) {
            return n == 0 ? progressive_total(list, ra.count)
                          : sat_add(progressive_total(list, n + ra.count), -progressive_total(list, n));
          };
          decimal points = ra.points, fine = ra.fines;
          if (!rule.progressive.empty()) {
            const decimal total = priced(rule.progressive);
            points = rule.amount == rulebook::amount_kind::deduct ? -total : total;
          }
          if (!rule.fine_progressive.empty()) fine = priced(rule.fine_progressive);
          net = sat_add(net, points);
          fines = sat_add(fines, fine);
          n += ra.count;
          t.findings += ra.findings;
          if (ra.findings > 0 || !latest) latest = &rule;
          if (const std::int32_t f = labels.flag_of[ra.rule]; f >= 0 && (ra.findings > 0 || end - g == 1))
            flag_used[static_cast<std::size_t>(f)] = true;
        }
        g = end;
        if (latest->cap) net = std::clamp(net, -*latest->cap, *latest->cap);
        if (net < decimal()) t.deductions = sat_add(t.deductions, -net);
        else t.bonuses = sat_add(t.bonuses, net);
        t.fines = sat_add(t.fines, fines);
        if (const std::int32_t c = labels.category_of[latest->index]; c >= 0) {
          if (!cat_used[static_cast<std::size_t>(c)]) {
            cat_used[static_cast<std::size_t>(c)] = true;
            cat_sum[static_cast<std::size_t>(c)] = decimal();
          }
          cat_sum[static_cast<std::size_t>(c)] = sat_add(cat_sum[static_cast<std::size_t>(c)], net);
        }
        t.rules.push_back({latest->id, n, net, fines});
      }
      decimal score = sat_add(sat_add(sc.base, -t.deductions), t.bonuses);
      if (sc.floor && score < *sc.floor) score = *sc.floor;
      if (sc.ceiling && score > *sc.ceiling) score = *sc.ceiling;
      t.score = score;
      for (const auto& g : sc.grades)
        if (score >= g.min) {
          t.grade = g.grade;
          break;
        }
      // Label ids follow the labels' sorted order, so walking them in id order sorts.
      for (std::size_t f = 0; f < flag_used.size(); ++f)
        if (flag_used[f]) {
          t.flags.push_back(labels.flags[f]);
          flag_used[f] = false;
        }
      for (std::size_t c = 0; c < cat_used.size(); ++c)
        if (cat_used[c]) {
          t.categories.emplace_back(labels.categories[c], cat_sum[c]);
          cat_used[c] = false;
        }
    }
  };
  threads = std::clamp(threads, 1u, 16u);
  if (order.size() < 1024) threads = 1;  // not worth a thread
  detail::run_parts(threads, [&](unsigned part) {
    build(order.size() * part / threads, order.size() * (part + 1) / threads);
  });
  if (opts.keep_findings) rep.findings = audit_trail(accs, findings, extra);
  return rep;
}

std::vector<finding> scorer::impl::audit_trail(const tally_view& accs, const std::vector<raw_finding>& findings,
                                               const std::vector<settled>* extra) const {
  std::vector<std::uint32_t> order(findings.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  auto time_order = [&](std::uint32_t x, std::uint32_t y) {
    const raw_finding &a = findings[x], &b = findings[y];
    const acc &aa = accs[a.acc], &ab = accs[b.acc];
    if (aa.employee != ab.employee) return employees[aa.employee] < employees[ab.employee];
    if (aa.period != ab.period) return aa.period < ab.period;
    if (a.time.local_seconds != b.time.local_seconds) return a.time.local_seconds < b.time.local_seconds;
    if (a.source != b.source) return sources[a.source] < sources[b.source];
    if (a.line != b.line) return a.line < b.line;
    return a.rule < b.rule;
  };
  std::sort(order.begin(), order.end(), time_order);
  // Progressive prices go to occurrences in time order, per employee, period and rule.
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint64_t> seen;
  std::vector<finding> out;
  out.reserve(order.size());
  for (std::uint32_t i : order) {
    const raw_finding& f = findings[i];
    const compiled_rule& rule = rules->rules()[f.rule];
    finding o;
    const acc& a = accs[f.acc];
    o.employee = employees[a.employee];
    o.period = period_label_from_key(period, a.period);
    o.rule = rule.id;
    o.time = format_time(f.time);
    o.occurrences = f.occurrences;
    o.points = f.points;
    o.fine = f.fine;
    if (f.appeal != appeal_set::none) {
      const appeal& ap = opts.appeals->appeals()[f.appeal];
      o.appeal = appeal_note{ap.decision, ap.reviewer, ap.reason, ap.source, ap.line};
    }
    // One numbering per rule identity: versions of an id share it (SPEC §9).
    std::uint64_t& n = seen[{f.acc, rule.identity}];
    if (voids(f.appeal)) {
      // SPEC §10: listed with nothing, and taking no occurrence number from later findings.
      o.occurrences = 0;
      o.points = decimal();
      o.fine = decimal();
    } else {
    auto priced = [&](const std::vector<decimal>& list) {
      return sat_add(progressive_total(list, n + f.occurrences), -progressive_total(list, n));
    };
    if (!rule.progressive.empty()) {
      decimal p = priced(rule.progressive);
      o.points = rule.amount == rulebook::amount_kind::deduct ? -p : p;
    }
    if (!rule.fine_progressive.empty()) o.fine = priced(rule.fine_progressive);
    n += f.occurrences;
    }
    o.source = sources[f.source];
    o.line = f.line;
    o.rule_file = rules->file();
    o.rule_line = rule.pos.line;
    o.matched = f.matched;
    if (f.cross != UINT32_MAX && extra) describe_across((*extra)[f.cross], o);
    out.push_back(std::move(o));
  }
  return out;
}

void scorer::impl::describe_across(const settled& s, finding& o) const {
  o.from = s.from;
  if (!s.has_source) {
    o.has_source = false;
    o.source.clear();
    o.line = 0;
  }
  o.window = s.window;
  o.aggregates = s.aggregates;
  if (s.from == finding::origin::deadline) {
    o.discharged = s.has_discharge;
    if (s.has_discharge) {
      o.discharge_source = sources[s.discharge_source];
      o.discharge_line = s.discharge_line;
    }
    o.due = due_text(s.due);
    o.late = decimal::from_raw(s.late);
  }
}

appeals_summary scorer::impl::summarize_appeals(const std::vector<std::uint8_t>& seen) const {
  appeals_summary out;
  if (!opts.appeals) return out;
  for (std::uint32_t i = 0; i < seen.size(); ++i) {
    const appeal& a = opts.appeals->appeals()[i];
    if (seen[i] == appeal_matched) {
      ++out.applied;
      ++(a.decision == appeal_decision::void_finding ? out.voided : out.upheld);
      continue;
    }
    std::string reason = opts.appeals->static_reason(i);
    if (reason.empty() && !a.record.empty())
      reason = seen[i] == appeal_record_seen ? fmt::format("rule '{}' did not fire on record '{}'", a.rule, a.record)
                                             : fmt::format("no scored record has id '{}'", a.record);
    else if (reason.empty())
      reason = fmt::format("rule '{}' did not fire for employee '{}' in window '{}'", a.rule, a.employee, a.window);
    out.unmatched.push_back({a.source, a.line, std::move(reason)});
  }
  return out;
}

score_report scorer::report(unsigned threads) const { return impl_->report(threads); }

}  // namespace decorum
