// src/tally/state.cpp — entry points: scorer::reject, scorer::merge, scorer::export_state,
// scorer::import_state. Counts rejected records, folds one scorer into another (disjoint
// shards) and saves or loads everything accumulated as a scorer_state (a partial result),
// through the same accumulator updates per-record scoring uses, so merged totals are exact.
#include "tally_impl.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace decorum {

void scorer::reject(std::uint32_t source, std::uint64_t line, std::string reason) {
  impl_->read += 1;
  impl_->rejected += 1;
  (void)impl_->sources.at(source);  // an unknown input is a caller's bug: say so here, not in the report
  impl_->rejections.push_back({source, line, std::move(reason)});
}

void scorer::merge(scorer&& other) {
  impl& me = *impl_;
  impl& o = *other.impl_;
  // Scorers of one batch share their input list: map by index. Otherwise map by name.
  std::vector<std::uint32_t> src(o.sources.size());
  bool same_inputs = o.sources == me.sources;
  for (std::size_t i = 0; i < o.sources.size(); ++i) {
    if (same_inputs) {
      src[i] = static_cast<std::uint32_t>(i);
    } else {
      auto it = me.source_index.find(o.sources[i]);
      src[i] = it != me.source_index.end() ? it->second : me.source(o.sources[i]);
    }
  }
  std::vector<std::uint32_t> acc_map(o.accs.size());
  for (std::size_t i = 0; i < o.accs.size(); ++i) {
    const impl::acc& oa = o.accs[i];
    impl::acc& a = me.find_acc(o.employees[oa.employee], oa.period);
    acc_map[i] = static_cast<std::uint32_t>(&a - me.accs.data());
    for (auto part : {&impl::acc::name, &impl::acc::group})
      if ((oa.*part).has) me.offer(a.*part, (oa.*part).text, (oa.*part).time, src[(oa.*part).source], (oa.*part).line);
    for (const auto& orr : oa.rules) impl::add_to_rule(a, orr.rule, orr.count, orr.findings, orr.points, orr.fines);
    a.voided += oa.voided;
  }
  // One appeal set: an appeal matched in either scorer matched.
  for (std::size_t i = 0; i < me.appeal_seen.size() && i < o.appeal_seen.size(); ++i)
    me.appeal_seen[i] = std::max(me.appeal_seen[i], o.appeal_seen[i]);
  for (auto& f : o.findings) {
    f.acc = acc_map[f.acc];
    f.source = src[f.source];
    me.findings.push_back(std::move(f));
  }
  o.ids.for_each([&](std::string_view id, detail::id_table::where w) { me.ids.emplace(id, {src[w.source], w.line}); });
  me.merge_across(o, src, acc_map);
  me.fingerprints.append(std::move(o.fingerprints));
  for (auto& r : o.rejections) {
    r.source = src[r.source];
    me.rejections.push_back(std::move(r));
  }
  me.read += o.read;
  me.scored += o.scored;
  me.rejected += o.rejected;
}

scorer_state scorer::export_state() const {
  const impl& m = *impl_;
  scorer_state st;
  st.rulebook = m.rules->name();
  st.period = m.period;
  st.sources = m.sources;
  // Threads finish in any order, so accumulators and findings arrive in any order: the state
  // is written in a fixed one (employee, then period; findings by tally, input, line, rule),
  // so a partial result is the same bytes whatever -j was.
  std::vector<std::uint32_t> order(m.accs.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
    const auto &a = m.accs[x], &b = m.accs[y];
    const std::string &ea = m.employees[a.employee], &eb = m.employees[b.employee];
    return ea != eb ? ea < eb : a.period < b.period;
  });
  std::vector<std::uint32_t> new_index(m.accs.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) new_index[order[i]] = i;
  for (const std::uint32_t i : order) {
    const auto& a = m.accs[i];
    scorer_state::tally_part t{m.employees[a.employee], a.period, a.name.has, a.name.text, a.name.time,
                               a.name.source, a.name.line, {}};
    for (const auto& r : a.rules) t.rules.push_back({m.rules->rules()[r.rule].key, r.count, r.findings, r.points, r.fines});
    st.tallies.push_back(std::move(t));
  }
  std::vector<const impl::raw_finding*> findings;
  for (const auto& f : m.findings) findings.push_back(&f);
  std::sort(findings.begin(), findings.end(), [&](const impl::raw_finding* a, const impl::raw_finding* b) {
    return std::tuple(new_index[a->acc], a->source, a->line, a->rule) < std::tuple(new_index[b->acc], b->source, b->line, b->rule);
  });
  for (const impl::raw_finding* f : findings)
    st.findings.push_back({new_index[f->acc], m.rules->rules()[f->rule].key, f->source, f->line, f->occurrences, f->time,
                           f->points, f->fine, f->matched});
  m.export_across(st, new_index);
  st.ids.reserve(m.ids.size());
  m.ids.for_each([&](std::string_view id, detail::id_table::where w) { st.ids.push_back({std::string(id), w.source, w.line}); });
  std::sort(st.ids.begin(), st.ids.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  st.rejections = m.rejections;
  std::stable_sort(st.rejections.begin(), st.rejections.end(), [&](const rejection& a, const rejection& b) {
    const std::string& x = m.sources[a.source];
    const std::string& y = m.sources[b.source];
    return x != y ? x < y : a.line < b.line;
  });
  st.read = m.read;
  st.scored = m.scored;
  st.rejected = m.rejected;
  return st;
}

result<std::uint64_t> scorer::import_state(const scorer_state& st) {
  impl& m = *impl_;
  if (m.opts.appeals)
    return make_error("a scorer with appeals cannot take a saved state: appeals are applied while records are scored");
  if (st.rulebook != m.rules->name())
    return make_error(fmt::format("partial result is for rulebook '{}', not '{}'", st.rulebook, m.rules->name()));
  if (st.period != m.period)
    return make_error(fmt::format("partial result counts per {}, not per {}", to_string(st.period), to_string(m.period)));
  std::unordered_map<std::string, std::uint32_t> rule_index;
  for (std::uint32_t i = 0; i < m.rules->rules().size(); ++i) rule_index.emplace(m.rules->rules()[i].key, i);  // versions by key (SPEC §9)
  auto rule_of = [&](const std::string& id) -> std::optional<std::uint32_t> {
    auto it = rule_index.find(id);
    if (it == rule_index.end()) return std::nullopt;
    return it->second;
  };
  // Validate everything before changing anything.
  for (const auto& t : st.tallies) {
    if (t.has_name && t.name_source >= st.sources.size())
      return make_error("partial result names an input it does not list");
    for (const auto& r : t.rules)
      if (!rule_of(r.rule))
        return make_error(fmt::format("partial result has rule '{}', which the rulebook does not", r.rule));
  }
  for (const auto& f : st.findings)
    if (!rule_of(f.rule) || f.tally >= st.tallies.size() || f.source >= st.sources.size())
      return make_error("partial result has a finding that does not fit its tallies, inputs or rules");
  for (const auto& i : st.ids)
    if (i.source >= st.sources.size()) return make_error("partial result names an input it does not list");
  for (const auto& r : st.rejections)
    if (r.source >= st.sources.size()) return make_error("partial result names an input it does not list");
  if (auto why = m.check_across(st)) return make_error(std::move(*why));
  std::vector<std::uint32_t> src(st.sources.size());
  for (std::size_t i = 0; i < st.sources.size(); ++i) {
    auto it = m.source_index.find(st.sources[i]);
    src[i] = it != m.source_index.end() ? it->second : m.source(st.sources[i]);
  }
  std::vector<std::uint32_t> acc_map;
  for (const auto& t : st.tallies) {
    impl::acc& a = m.find_acc(t.employee, t.period_key);
    acc_map.push_back(static_cast<std::uint32_t>(&a - m.accs.data()));
    if (t.has_name) m.offer(a.name, t.name, t.name_time, src[t.name_source], t.name_line);
    for (const auto& r : t.rules) impl::add_to_rule(a, *rule_of(r.rule), r.count, r.findings, r.points, r.fines);
  }
  for (const auto& f : st.findings)
    m.findings.push_back({acc_map[f.tally], *rule_of(f.rule), src[f.source], f.line, f.occurrences, f.time, f.points, f.fine, f.matched});
  std::uint64_t dups = 0;
  for (const auto& i : st.ids)
    if (!m.ids.emplace(i.id, {src[i.source], i.line}).second) ++dups;
  for (const rejection& r : st.rejections) m.rejections.push_back({src[r.source], r.line, r.reason});
  m.import_across(st, src, acc_map);
  m.read += st.read;
  m.scored += st.scored;
  m.rejected += st.rejected;
  return dups;
}

}  // namespace decorum
