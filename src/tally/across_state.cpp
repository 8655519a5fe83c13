// src/tally/across_state.cpp — entry points: scorer::impl::merge_across, export_across,
// import_across. The windows, duties, possible discharges, first record times and latest time
// of SPEC §8 moved between scorers: merged from another thread's scorer, saved into a
// scorer_state (a partial result) and read back. Written in a fixed order, so a partial
// result is the same bytes whatever the thread count or the input order.
#include "tally_impl.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <tuple>

namespace decorum {

namespace {

scorer_state::window_part::aggregate to_part(const detail::agg_acc& g) { return {g.n, g.a, g.b}; }
detail::agg_acc from_part(const scorer_state::window_part::aggregate& g) { return {g.n, g.a, g.b}; }

}  // namespace

std::uint32_t scorer::impl::employee_index(std::string_view name) { return find_employee(name).employee; }

void scorer::impl::note_first(std::uint32_t employee, std::int64_t time) {
  if (employee_first.size() < employees.size()) employee_first.resize(employees.size(), std::numeric_limits<std::int64_t>::max());
  employee_first[employee] = std::min(employee_first[employee], time);
}

void scorer::impl::note_latest(bool has, std::int64_t time) {
  if (!has) return;
  if (!has_latest || time > latest) latest = time;
  has_latest = true;
}

void scorer::impl::merge_across(impl& o, const std::vector<std::uint32_t>& src, const std::vector<std::uint32_t>& acc_map) {
  std::vector<agg_acc> aggs;
  for (window_acc w : o.windows) {
    aggs.assign(o.agg_pool.begin() + w.aggs, o.agg_pool.begin() + w.aggs + rules->rules()[w.rule].aggregates.size());
    w.employee = employee_index(o.employees[w.employee]);
    w.first_source = src[w.first_source];
    add_window(w, aggs.data());
  }
  for (std::size_t k = 0; k < o.stores.size(); ++k)
    for (std::size_t id = 0; id < o.stores[k].keys.size(); ++id)
      for (const discharge& x : o.stores[k].discharges[id])
        add_discharge(static_cast<std::uint32_t>(k), o.stores[k].keys[id], discharge::at(x.time, src[x.source()], x.line()));
  for (duty& d : o.duties) {
    if (!d.live) continue;
    const std::string& match = o.stores[o.deadlines[d.slot].store].keys[d.match];
    d.acc = acc_map[d.acc];
    d.source = src[d.source];
    place_duty(std::move(d), match);
  }
  for (std::size_t e = 0; e < o.employee_first.size(); ++e)
    if (o.employee_first[e] != std::numeric_limits<std::int64_t>::max())
      note_first(employee_index(o.employees[e]), o.employee_first[e]);
  note_latest(o.has_latest, o.latest);
}

void scorer::impl::export_across(scorer_state& st, const std::vector<std::uint32_t>& new_index) const {
  const auto& rs = rules->rules();
  std::vector<const window_acc*> ws;
  for (const auto& w : windows) ws.push_back(&w);
  std::sort(ws.begin(), ws.end(), [&](const window_acc* a, const window_acc* b) {
    return std::tie(employees[a->employee], a->rule, a->key) < std::tie(employees[b->employee], b->rule, b->key);
  });
  for (const window_acc* w : ws) {
    scorer_state::window_part p{rs[w->rule].key, employees[w->employee], w->key, w->active, w->count, w->has_first,
                                w->first_time, w->first_source, w->first_line, {}};
    for (std::size_t i = 0; i < rs[w->rule].aggregates.size(); ++i) p.aggregates.push_back(to_part(agg_pool[w->aggs + i]));
    st.windows.push_back(std::move(p));
  }
  std::vector<const duty*> ds;
  for (const auto& d : duties)
    if (d.live) ds.push_back(&d);
  std::sort(ds.begin(), ds.end(), [&](const duty* a, const duty* b) {
    return std::tuple(new_index[a->acc], a->source, a->line, a->rule) < std::tuple(new_index[b->acc], b->source, b->line, b->rule);
  });
  for (const duty* d : ds)
    st.duties.push_back({new_index[d->acc], rs[d->rule].key, d->source, d->line, d->time, d->due,
                         stores[deadlines[d->slot].store].keys[d->match], d->occurrences, d->points, d->fine, d->matched});
  // A partial result lists each rule's discharges, shared or not: its format does not depend
  // on how this scorer keeps them.
  const auto& deadline = rules->deadline_rules();
  for (std::size_t j = 0; j < deadlines.size(); ++j) {
    const discharge_store& store = stores[deadlines[j].store];
    for (std::size_t id = 0; id < store.keys.size(); ++id)
      for (const discharge& x : store.discharges[id])
        st.discharges.push_back({rs[deadline[j]].key, store.keys[id], x.time, x.source(), x.line()});
  }
  std::sort(st.discharges.begin(), st.discharges.end(), [&](const auto& a, const auto& b) {
    return std::tie(a.rule, a.match, a.time, sources[a.source], a.line) < std::tie(b.rule, b.match, b.time, sources[b.source], b.line);
  });
  for (std::size_t e = 0; e < employee_first.size(); ++e)
    if (employee_first[e] != std::numeric_limits<std::int64_t>::max()) st.firsts.push_back({employees[e], employee_first[e]});
  std::sort(st.firsts.begin(), st.firsts.end(), [](const auto& a, const auto& b) { return a.employee < b.employee; });
  st.has_latest = has_latest;
  st.latest = latest;
}

std::optional<std::string> scorer::impl::check_across(const scorer_state& st) const {
  const auto& rs = rules->rules();
  auto find = [&](const std::string& id) -> const compiled_rule* {
    for (const auto& r : rs)
      if (r.key == id) return &r;
    return nullptr;
  };
  for (const auto& w : st.windows) {
    const compiled_rule* r = find(w.rule);
    if (!r || !r->window || w.aggregates.size() != r->aggregates.size() || (w.has_first && w.first_source >= st.sources.size()))
      return fmt::format("partial result has a window of rule '{}' that does not fit the rulebook or its inputs", w.rule);
  }
  for (const auto& d : st.duties) {
    const compiled_rule* r = find(d.rule);
    if (!r || !r->deadline || d.tally >= st.tallies.size() || d.source >= st.sources.size())
      return fmt::format("partial result has a duty of rule '{}' that does not fit the rulebook, its tallies or inputs", d.rule);
  }
  for (const auto& x : st.discharges) {
    const compiled_rule* r = find(x.rule);
    if (!r || !r->deadline || x.source >= st.sources.size())
      return fmt::format("partial result has a discharge for rule '{}' that does not fit the rulebook or its inputs", x.rule);
  }
  return std::nullopt;
}

void scorer::impl::import_across(const scorer_state& st, const std::vector<std::uint32_t>& src,
                                 const std::vector<std::uint32_t>& acc_map) {
  std::unordered_map<std::string, std::uint32_t> rule_index;
  for (std::uint32_t i = 0; i < rules->rules().size(); ++i) rule_index.emplace(rules->rules()[i].key, i);
  for (const auto& p : st.windows) {
    window_acc w;
    w.rule = rule_index.at(p.rule);
    w.employee = employee_index(p.employee);
    w.key = p.key;
    w.active = p.active;
    w.count = p.count;
    w.has_first = p.has_first;
    w.first_time = p.first_time;
    w.first_source = p.has_first ? src[p.first_source] : 0;
    w.first_line = p.first_line;
    std::vector<agg_acc> aggs;
    for (const auto& g : p.aggregates) aggs.push_back(from_part(g));
    add_window(w, aggs.data());
  }
  const auto& deadline = rules->deadline_rules();
  auto slot_of = [&](const std::string& id) {
    return static_cast<std::uint32_t>(std::find(deadline.begin(), deadline.end(), rule_index.at(id)) - deadline.begin());
  };
  // Rules sharing a store list the same discharges: the store's first rule's copy is read.
  for (const auto& p : st.discharges)
    if (const std::uint32_t j = slot_of(p.rule); j < deadline.size() && stores[deadlines[j].store].slots.front() == j)
      add_discharge(deadlines[j].store, p.match, discharge::at(p.time, src[p.source], p.line));
  for (const auto& p : st.duties) {
    const std::uint32_t j = slot_of(p.rule);
    if (j >= deadline.size()) continue;  // a disabled rule opens nothing
    duty d;
    d.rule = rule_index.at(p.rule);
    d.acc = acc_map[p.tally];
    d.slot = j;
    d.source = src[p.source];
    d.line = p.line;
    d.time = p.time;
    d.due = p.due;
    d.occurrences = p.occurrences;
    d.points = p.points;
    d.fine = p.fine;
    d.matched = p.matched;
    place_duty(std::move(d), p.match);
  }
  for (const auto& f : st.firsts) note_first(employee_index(f.employee), f.time);
  note_latest(st.has_latest, st.latest);
}

}  // namespace decorum
