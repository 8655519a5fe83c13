// src/tally/across.cpp — entry points: scorer::impl::gather_windows, open_duty,
// commit_across, settle. The rules across records of SPEC §8. Per record, a window rule adds
// the record to its employee's window (counting it, or only making the window active) and a
// deadline rule's opening becomes a duty; a record of a deadline rule's `until` kind is kept as
// a possible discharge. Nothing is decided per record: every accumulator here is a
// commutative sum (counts, sums, minima, lists), so shards and threads merge exactly, and
// report() settles windows and duties once everything is in.
#include "tally_impl.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace decorum {

namespace {

/// decimal's add, reachable from scorer::impl's members (whose own add() hides it).
std::optional<decimal> plus(decimal a, decimal b) { return add(a, b); }

}  // namespace

std::string scorer::impl::match_key(const value& v) {
  std::string k(1, static_cast<char>('0' + static_cast<int>(v.type)));
  k += ':';
  if (v.type == value_type::text) k += v.text;
  else if (v.type == value_type::boolean) k += v.boolean ? "true" : "false";
  else k += std::to_string(v.num);
  return k;
}

bool scorer::impl::open_duty(const record& r, const compiled_rule& rule, const price_result& p) {
  const value& m = r.values[rule.match_slot];
  if (!m.present()) return true;  // nothing could discharge it
  std::int64_t within = 0;
  ev.clear_overflow();
  if (!ev.number(rule.within_code, within)) {
    if (ev.last_overflow().hit) return reject_overflow(r, rule, "within");
    return true;  // SPEC §8.2: a null `within` opens nothing
  }
  if (within < 0) return true;
  duty d;
  d.rule = rule.index;
  d.slot = across_slot[rule.index];
  // A due time beyond the decimal range never falls due.
  const auto start = decimal::from_int(r.time.local_seconds);
  const auto due = start ? plus(*start, decimal::from_raw(within)) : std::nullopt;
  d.due = due ? due->raw() : std::numeric_limits<std::int64_t>::max();
  d.occurrences = p.occurrences;
  d.points = p.points;
  d.fine = p.fine;
  if (opts.keep_findings) d.matched = describe_match(rule, r);
  d.appeal = appeal_for(rule.index);
  pending_duties.push_back(std::move(d));
  pending_matches.push_back(match_key(m));
  return true;
}

namespace {

/// Raw decimal seconds of a time, saturating (a time that far out is never in time).
std::int64_t raw_seconds(std::int64_t seconds) {
  const auto v = decimal::from_int(seconds);
  return v ? v->raw() : std::numeric_limits<std::int64_t>::max();
}

}  // namespace

bool scorer::impl::in_time(const duty& d, const discharge& x) {
  return x.time >= d.time.local_seconds && raw_seconds(x.time) <= d.due && !(x.source() == d.source && x.line() == d.line);
}

void scorer::impl::make_stores() {
  const auto& deadline = rules->deadline_rules();
  deadlines.resize(deadline.size());
  for (std::uint32_t j = 0; j < deadline.size(); ++j) {
    const compiled_rule& rule = rules->rules()[deadline[j]];
    auto it = std::find_if(stores.begin(), stores.end(), [&](const discharge_store& x) {
      return x.kind == rule.until_kind && x.match_slot == rule.until_match_slot;
    });
    if (it == stores.end()) {
      it = stores.emplace(stores.end());
      it->kind = rule.until_kind;
      it->match_slot = rule.until_match_slot;
    }
    it->slots.push_back(j);
    deadlines[j].store = static_cast<std::uint32_t>(it - stores.begin());
  }
}

void scorer::impl::place_duty(duty d, const std::string& match) {
  deadline_state& st = deadlines[d.slot];
  discharge_store& store = stores[st.store];
  d.match = store.id(match);
  if (st.open.size() < store.keys.size()) st.open.resize(store.keys.size());
  const auto& xs = store.discharges[d.match];
  auto it = std::lower_bound(xs.begin(), xs.end(), d.time.local_seconds,
                             [](const discharge& x, std::int64_t t) { return x.time < t; });
  for (; it != xs.end() && raw_seconds(it->time) <= d.due; ++it)
    if (in_time(d, *it)) return;  // discharged in time: it can never fire
  std::uint32_t at;
  if (!free_duties.empty()) {
    at = free_duties.back();
    free_duties.pop_back();
    duties[at] = std::move(d);
  } else {
    at = static_cast<std::uint32_t>(duties.size());
    duties.push_back(std::move(d));
  }
  // Open duties are kept by due time: a discharge can only close those not yet due at its
  // time, which in a log read in time order are the last few.
  auto& open = st.open[duties[at].match];
  const std::int64_t due = duties[at].due;
  open.insert(std::upper_bound(open.begin(), open.end(), due, [](std::int64_t v, const auto& e) { return v < e.first; }),
              {due, at});
}

void scorer::impl::add_discharge(std::uint32_t store_index, const std::string& match, const discharge& x) {
  discharge_store& store = stores[store_index];
  const std::uint32_t id = store.id(match);
  auto& xs = store.discharges[id];
  // Logs come roughly in time order: the insertion point is nearly always the end.
  xs.insert(std::upper_bound(xs.begin(), xs.end(), x.time, [](std::int64_t t, const discharge& y) { return t < y.time; }), x);
  for (const std::uint32_t slot : store.slots) {
    deadline_state& st = deadlines[slot];
    if (id >= st.open.size()) continue;  // no duty of this rule has that match value
    auto& open = st.open[id];
    const auto from = std::lower_bound(open.begin(), open.end(), raw_seconds(x.time),
                                       [](const auto& e, std::int64_t v) { return e.first < v; });
    const auto kept = std::remove_if(from, open.end(), [&](const std::pair<std::int64_t, std::uint32_t>& e) {
      duty& d = duties[e.second];
      if (!in_time(d, x)) return false;
      d.live = false;
      d.matched = std::string();
      free_duties.push_back(e.second);
      return true;
    });
    open.erase(kept, open.end());
  }
}

bool scorer::impl::gather_windows(const record& r) {
  std::int32_t role = -2;  // looked up once, and only when a window rule lists roles
  for (const std::uint32_t ri : rules->window_rules()) {
    const compiled_rule& rule = rules->rules()[ri];
    if (!rule.role_bits.empty()) {
      if (role == -2) role = rules->role_id(r.text(slot::role));
      if (role < 0 || !((rule.role_bits[static_cast<std::uint32_t>(role) / 64] >> (role % 64)) & 1)) continue;
    }
    const bool activates = rule.active.empty() || std::find(rule.active.begin(), rule.active.end(), r.kind) != rule.active.end();
    bool counts = r.kind == rule.kind;
    if (counts && !rule.where_code.empty()) {
      ev.clear_overflow();
      counts = ev.holds(rule.where_code);
      if (!counts && ev.last_overflow().hit) return reject_overflow(r, rule, "where");
    }
    if (!counts && !activates) continue;
    pending_windows.push_back({ri, counts, activates, static_cast<std::uint32_t>(pending_values.size())});
    if (!counts) continue;
    for (const auto& a : rule.aggregates) {
      value v;
      ev.clear_overflow();
      if (a.fn == aggregate_fn::count_if || a.fn == aggregate_fn::share) v = value::of_bool(ev.holds(a.arg_code));
      else if (!a.arg_code.empty()) v = ev.run(a.arg_code);
      if (ev.last_overflow().hit) return reject_overflow(r, rule, a.text);
      pending_values.push_back(v);
    }
  }
  return true;
}

namespace {

/// Adds one record's value of an aggregate's argument.
void add_value(detail::agg_acc& g, aggregate_fn fn, const value& v) {
  switch (fn) {
    case aggregate_fn::count: return;
    case aggregate_fn::count_if:
    case aggregate_fn::share:
      if (v.present() && v.boolean) ++g.n;
      return;
    case aggregate_fn::sum:
    case aggregate_fn::avg:
      if (!v.present()) return;
      ++g.n;
      if (auto s = plus(decimal::from_raw(g.a), decimal::from_raw(v.num))) g.a = s->raw();
      else g.b = 1;
      return;
    case aggregate_fn::min:
    case aggregate_fn::max:
      if (!v.present()) return;
      g.a = g.n ? std::min(g.a, v.num) : v.num;
      g.b = g.n ? std::max(g.b, v.num) : v.num;
      ++g.n;
      return;
  }
}

/// What an aggregate came to over a window whose `count` records counted (SPEC §8.1).
value aggregate_value(const compiled_rule::aggregate& a, std::uint64_t count, const detail::agg_acc& g) {
  const auto as_number = [](std::uint64_t n) {
    const auto d = decimal::from_int(static_cast<std::int64_t>(std::min<std::uint64_t>(n, INT64_MAX / decimal::scale)));
    return value::of_number(d.value_or(detail::max_decimal));
  };
  const auto typed_value = [&](std::int64_t raw) {
    value v;
    v.type = a.type;
    v.num = raw;
    return v;
  };
  switch (a.fn) {
    case aggregate_fn::count: return as_number(count);
    case aggregate_fn::count_if: return as_number(g.n);
    case aggregate_fn::share: {
      if (count == 0) return {};
      const auto q = div(as_number(g.n).as_decimal(), as_number(count).as_decimal());
      return q ? value::of_number(*q) : value{};
    }
    case aggregate_fn::sum:
      if (g.b) return {};
      return typed_value(g.a);
    case aggregate_fn::avg: {
      if (g.n == 0 || g.b) return {};
      const auto q = div(decimal::from_raw(g.a), as_number(g.n).as_decimal());
      return q ? typed_value(q->raw()) : value{};
    }
    case aggregate_fn::min: return g.n ? typed_value(g.a) : value{};
    case aggregate_fn::max: return g.n ? typed_value(g.b) : value{};
  }
  return {};
}

}  // namespace

scorer::impl::window_acc& scorer::impl::window_for(std::uint32_t rule, std::uint32_t employee, std::int32_t key) {
  const auto& window_rules = rules->window_rules();
  const std::size_t at = std::size_t{employee} * window_rules.size() + across_slot[rule];
  if (window_lists.size() <= at) window_lists.resize((std::size_t{employee} + 1) * window_rules.size());
  auto& list = window_lists[at];
  if (!list.empty() && list.back().first == key) return windows[list.back().second];
  auto it = std::lower_bound(list.begin(), list.end(), key, [](const auto& e, std::int32_t k) { return e.first < k; });
  if (it != list.end() && it->first == key) return windows[it->second];
  list.insert(it, {key, static_cast<std::uint32_t>(windows.size())});
  window_acc& w = windows.emplace_back();
  w.rule = rule;
  w.employee = employee;
  w.key = key;
  w.aggs = static_cast<std::uint32_t>(agg_pool.size());
  agg_pool.resize(agg_pool.size() + rules->rules()[rule].aggregates.size());
  return w;
}

void scorer::impl::add_window(const window_acc& in, const agg_acc* aggs) {
  window_acc& w = window_for(in.rule, in.employee, in.key);
  w.active = w.active || in.active;
  w.count += in.count;
  if (in.has_first && (!w.has_first || later(w.first_time, w.first_source, w.first_line, in.first_time, in.first_source, in.first_line))) {
    w.has_first = true;
    w.first_time = in.first_time;
    w.first_source = in.first_source;
    w.first_line = in.first_line;
  }
  const auto& list = rules->rules()[in.rule].aggregates;
  for (std::size_t i = 0; i < list.size(); ++i) {
    agg_acc& g = agg_pool[w.aggs + i];
    const agg_acc& o = aggs[i];
    if (list[i].fn == aggregate_fn::sum || list[i].fn == aggregate_fn::avg) {
      if (auto s = plus(decimal::from_raw(g.a), decimal::from_raw(o.a)); s && !g.b && !o.b) g.a = s->raw();
      else g.b = 1;
    } else if (o.n) {
      g.a = g.n ? std::min(g.a, o.a) : o.a;
      g.b = g.n ? std::max(g.b, o.b) : o.b;
    }
    g.n += o.n;
  }
}

void scorer::impl::commit_across(const record& r, std::uint32_t acc_id) {
  const std::uint32_t e = accs[acc_id].employee;
  const std::int64_t t = r.time.local_seconds;
  note_first(e, t);
  for (const pending_window& pw : pending_windows) {
    const compiled_rule& rule = rules->rules()[pw.rule];
    const period_kind kind = rule.per.value_or(period);
    window_acc& w = window_for(pw.rule, e, kind == period_kind::all ? 0 : period_key(kind, r.time));
    w.active = w.active || pw.activates;
    if (!pw.counts) continue;
    ++w.count;
    if (!w.has_first || later(w.first_time, w.first_source, w.first_line, t, r.source, r.line)) {
      w.has_first = true;
      w.first_time = t;
      w.first_source = r.source;
      w.first_line = r.line;
    }
    for (std::size_t i = 0; i < rule.aggregates.size(); ++i)
      add_value(agg_pool[w.aggs + i], rule.aggregates[i].fn, pending_values[pw.values + i]);
  }
  for (std::size_t i = 0; i < pending_duties.size(); ++i) {
    duty& d = pending_duties[i];
    d.acc = acc_id;
    d.source = r.source;
    d.line = r.line;
    d.time = r.time;
    place_duty(std::move(d), pending_matches[i]);
  }
  for (std::size_t k = 0; k < stores.size(); ++k) {
    if (stores[k].kind != r.kind) continue;
    const value& m = r.values[stores[k].match_slot];
    if (m.present()) add_discharge(static_cast<std::uint32_t>(k), match_key(m), discharge::at(t, r.source, r.line));
  }
}

std::optional<std::int64_t> scorer::impl::as_of() const {
  if (opts.as_of) return opts.as_of->local_seconds;
  if (has_latest) return latest;
  return std::nullopt;
}

void scorer::impl::settle(const std::function<void(settled&&)>& emit, std::vector<pending_duty>& pending) const {
  evaluator wev(*rules);
  record window_record;
  std::size_t most = 1;
  for (const std::uint32_t ri : rules->window_rules()) most = std::max(most, rules->rules()[ri].aggregates.size());
  window_record.values.assign(std::max<std::size_t>(most, rules->schema().max_slots()), value{});
  for (const window_acc& w : windows) {
    if (!w.active) continue;  // SPEC §8.1: a window nobody worked in is not judged
    const compiled_rule& rule = rules->rules()[w.rule];
    const period_kind kind = rule.per.value_or(period);
    const std::int64_t day = kind == period_kind::all ? detail::floor_div(employee_first[w.employee], 86400)
                                                      : period_start_day(kind, w.key);
    if (!rule.effective.contains(day)) continue;  // SPEC §9: judged by the version in effect on its first day
    for (std::size_t i = 0; i < rule.aggregates.size(); ++i)
      window_record.values[i] = aggregate_value(rule.aggregates[i], w.count, agg_pool[w.aggs + i]);
    wev.begin(window_record);
    // An overflow while judging a window cannot reject a record: the window yields no finding
    // (docs/decisions.md).
    if (!rule.when_code.empty() && !wev.holds(rule.when_code)) continue;
    const price_result p = price(wev, rule);
    if (p.outcome != priced::fire) continue;
    settled s;
    s.employee = w.employee;
    s.f.rule = w.rule;
    s.f.time = timestamp{day * 86400, 0, false, false};
    s.period = period_key(period, s.f.time);
    s.f.source = w.first_source;
    s.f.line = w.has_first ? w.first_line : 0;
    s.f.occurrences = p.occurrences;
    s.f.points = p.points;
    s.f.fine = p.fine;
    s.from = finding::origin::window;
    s.has_source = w.has_first;
    // SPEC §10: a window finding is appealed by employee and window; the trail names the window.
    const bool appealable = opts.appeals && opts.appeals->has_window_appeals();
    if (appealable || opts.keep_findings) s.window = period_label_from_key(kind, w.key);
    if (appealable) s.f.appeal = opts.appeals->on_window(rule.identity, employees[w.employee], s.window);
    if (opts.keep_findings) {
      for (std::size_t i = 0; i < rule.aggregates.size(); ++i)
        s.aggregates += fmt::format("{}{} = {}", i ? ", " : "", rule.aggregates[i].text, detail::value_text(window_record.values[i]));
    }
    emit(std::move(s));
  }
  const std::optional<std::int64_t> now = as_of();
  for (const duty& d : duties) {
    if (!d.live) continue;
    // The earliest discharge at or after the opening (the first by input name, then line,
    // among several at that time); none in time, or the duty would have been dropped.
    const discharge* best = nullptr;
    const auto& xs = stores[deadlines[d.slot].store].discharges[d.match];
    for (auto it = std::lower_bound(xs.begin(), xs.end(), d.time.local_seconds,
                                    [](const discharge& x, std::int64_t t) { return x.time < t; });
         it != xs.end() && (!best || it->time == best->time); ++it) {
      if (it->source() == d.source && it->line() == d.line) continue;
      if (!best || later(best->time, best->source(), best->line(), it->time, it->source(), it->line())) best = &*it;
    }
    const std::int64_t end = best ? raw_seconds(best->time) : now ? raw_seconds(*now) : std::numeric_limits<std::int64_t>::min();
    const acc& a = accs[d.acc];
    if (end <= d.due) {  // on time, or not yet due
      if (!best)
        pending.push_back({employees[a.employee], rules->rules()[d.rule].id, sources[d.source], d.line, due_text(d.due)});
      continue;
    }
    settled s;
    s.employee = a.employee;
    s.period = a.period;
    s.f = {0, d.rule, d.source, d.line, d.occurrences, d.time, d.points, d.fine, d.matched};
    s.f.appeal = d.appeal;
    s.from = finding::origin::deadline;
    s.has_source = true;
    s.has_discharge = best != nullptr;
    if (best) {
      s.discharge_source = best->source();
      s.discharge_line = best->line();
    }
    s.due = d.due;
    s.late = end - d.due;
    emit(std::move(s));
  }
  std::sort(pending.begin(), pending.end(), [](const pending_duty& x, const pending_duty& y) {
    return std::tie(x.employee, x.rule, x.source, x.line) < std::tie(y.employee, y.rule, y.source, y.line);
  });
}

std::string scorer::impl::due_text(std::int64_t due_raw) {
  const std::int64_t seconds = detail::floor_div(due_raw, decimal::scale);
  std::string out = format_time(timestamp{seconds, 0, false, false});
  if (const std::int64_t frac = due_raw - seconds * decimal::scale; frac != 0)
    out += decimal::from_raw(frac).to_string().substr(1);  // ".5" of "0.5"
  return out;
}

}  // namespace decorum
