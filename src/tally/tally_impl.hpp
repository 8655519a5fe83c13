// src/tally/tally_impl.hpp — internal: `scorer::impl`, the state every scorer TU shares (tally.cpp
// scores records, totals.cpp builds reports, state.cpp merges and saves, id_store.cpp
// keeps ids), with the small members the per-record path calls kept inline here (arith.hpp
// has the sums, prices and hashes they share).
#pragma once

#include "decorum/tally/state.hpp"
#include "decorum/tally/tally.hpp"
#include "arith.hpp"
#include "id_store.hpp"

#include <algorithm>
#include <functional>
#include <cstdint>
#include <cstring>
#include <deque>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>


namespace decorum {

struct scorer::impl {
  struct rule_acc {
    std::uint32_t rule = 0;
    std::uint64_t count = 0;     // occurrences
    std::uint64_t findings = 0;  // records on which it fired
    decimal points;              // sum of rounded finding points (non-progressive)
    decimal fines;               // sum of rounded finding fines (non-progressive)
  };
  /// A text of a tally that the last record in time order decides (its name, its group),
  /// with where that record is, so shards merge to what one run keeps.
  struct latest_text {
    std::string text;
    std::int64_t time = 0;
    std::uint32_t source = 0;
    std::uint64_t line = 0;
    bool has = false;
  };
  struct acc {
    std::uint32_t employee = 0;
    std::int32_t period = 0;
    latest_text name;
    latest_text group;            // score_options::group_by's value
    bool window_only = false;     // made at report time for a window finding (no record here)
    std::uint64_t voided = 0;     // findings voided by an appeal (SPEC §10)
    std::vector<rule_acc> rules;  // sorted by rule index
  };
  struct raw_finding {
    std::uint32_t acc = 0, rule = 0, source = 0;
    std::uint64_t line = 0, occurrences = 0;
    timestamp time;
    decimal points, fine;
    std::string matched;
    std::uint32_t cross = UINT32_MAX;  // report time only: index of its settled finding
    std::uint32_t appeal = appeal_set::none;  // the appeal deciding it (SPEC §10)
  };

  std::shared_ptr<const rule_set> rules;
  score_options opts;
  period_kind period;
  evaluator ev;
  std::vector<std::string> sources;
  std::unordered_map<std::string, std::uint32_t> source_index;
  std::vector<std::string> employees;
  // Employee lookup without building a std::string per record: an open-addressing table of
  // (hash, employee index) over `employees`, and per employee its few periods' accumulators.
  // An entry also holds the employee's first 8 bytes (most ids are that short, so equality
  // needs no second memory access) and the period and accumulator of the employee's last
  // record (consecutive records of one employee usually share a period).
  struct employee_slot {
    std::uint64_t hash = 0;
    std::uint64_t head = 0;            // the first min(8, len) bytes, zero-padded
    std::uint32_t employee = UINT32_MAX;
    std::uint32_t size = 0;
    std::int32_t last_period = 0;
    std::uint32_t last_acc = UINT32_MAX;
  };
  std::vector<employee_slot> employee_table = std::vector<employee_slot>(64);
  std::vector<std::vector<std::pair<std::int32_t, std::uint32_t>>> employee_periods;
  std::vector<acc> accs;
  detail::id_table ids;
  detail::id_mode mode = detail::id_mode::exact;
  bool keep_ids = false;
  detail::id_hash_store fingerprints;
  std::shared_ptr<const detail::first_seen_map> firsts;
  std::vector<raw_finding> findings;
  std::vector<rejection> rejections;  // source indexes `sources`
  std::uint64_t read = 0, scored = 0, rejected = 0;
  // SPEC §10, per appeal of opts.appeals: 0 nothing seen, 1 a record with its id was
  // scored, 2 it matched a finding. Scorers merge by maximum.
  enum : std::uint8_t { appeal_unseen = 0, appeal_record_seen = 1, appeal_matched = 2 };
  std::vector<std::uint8_t> appeal_seen;
  // The appeals naming findings on the record being scored (null: none).
  const std::vector<std::pair<std::uint32_t, std::uint32_t>>* record_appeals = nullptr;
  /// The appeal among `record_appeals` about `rule`'s finding, or appeal_set::none.
  std::uint32_t appeal_for(std::uint32_t rule) const {
    if (!record_appeals) return appeal_set::none;
    const std::uint32_t identity = rules->rules()[rule].identity;
    for (const auto& [id, index] : *record_appeals)
      if (id == identity) return index;
    return appeal_set::none;
  }
  bool voids(std::uint32_t appeal) const {
    return appeal != appeal_set::none && opts.appeals->appeals()[appeal].decision == appeal_decision::void_finding;
  }
  /// What the appeals came to, given which matched (appeal_seen after settling).
  appeals_summary summarize_appeals(const std::vector<std::uint8_t>& seen) const;
  std::int64_t cached_day = std::numeric_limits<std::int64_t>::min();
  std::int32_t cached_period = 0;

  impl(std::shared_ptr<const rule_set> rs, score_options o)
      : rules(std::move(rs)), opts(o), period(o.period.value_or(rules->scoring().period)), ev(*rules) {
    // Rules across records: each rule's position among its kind, known once.
    across_slot.assign(rules->rules().size(), 0);
    for (std::uint32_t i = 0; i < rules->window_rules().size(); ++i) across_slot[rules->window_rules()[i]] = i;
    for (std::uint32_t i = 0; i < rules->deadline_rules().size(); ++i) across_slot[rules->deadline_rules()[i]] = i;
    make_stores();
    if (opts.appeals) appeal_seen.assign(opts.appeals->size(), appeal_unseen);
    if (!opts.group_by.empty())
      for (const kind_schema& k : rules->schema().kinds()) {
        const field_schema* f = k.find(opts.group_by);
        group_slot.push_back(f ? f->slot : no_group_slot);
      }
  }

  /// score_options::group_by resolved per record kind (no_group_slot: the kind lacks it).
  std::vector<std::uint32_t> group_slot;
  static constexpr std::uint32_t no_group_slot = 0xFFFF'FFFFu;  ///< see group_slot

  std::uint32_t source(std::string name) {
    auto index = static_cast<std::uint32_t>(sources.size());
    source_index.emplace(name, index);  // keeps the first index of a name, for merging by name
    sources.push_back(std::move(name));
    return index;
  }

  /// Records with equal times are ordered by input name then line, not by the order the
  /// inputs were given, so shuffling the command line cannot change a report.
  bool later(std::int64_t t1, std::uint32_t s1, std::uint64_t l1, std::int64_t t2, std::uint32_t s2, std::uint64_t l2) const {
    if (t1 != t2) return t1 > t2;
    if (s1 != s2) return sources[s1] > sources[s2];
    return l1 > l2;
  }

  /// An employee code's first min(8, len) bytes as one word (short_word() for shorter ones),
  /// so most codes compare equal or not without touching `employees`.
  static std::uint64_t head_of(std::string_view s) noexcept {
    return s.size() >= 8 ? detail::load8(s.data()) : detail::short_word(s.data(), s.size());
  }

  employee_slot& find_employee(std::string_view employee) {
    const std::uint64_t h = detail::hash_bytes(employee);
    const std::uint64_t head = head_of(employee);
    const std::size_t mask = employee_table.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      employee_slot& slot = employee_table[i];
      if (slot.employee == UINT32_MAX) {
        auto e = static_cast<std::uint32_t>(employees.size());
        employees.emplace_back(employee);
        employee_periods.emplace_back();
        slot.hash = h;
        slot.head = head;
        slot.employee = e;
        slot.size = static_cast<std::uint32_t>(employee.size());
        if (employees.size() * 2 > employee_table.size()) {
          grow_employee_table();
          return find_employee(employee);
        }
        return slot;
      }
      if (slot.hash == h && slot.head == head && slot.size == employee.size() &&
          (employee.size() <= 8 || employees[slot.employee] == employee))
        return slot;
    }
  }

  void grow_employee_table() {
    std::vector<employee_slot> bigger(employee_table.size() * 2);
    std::size_t mask = bigger.size() - 1;
    for (const auto& slot : employee_table) {
      if (slot.employee == UINT32_MAX) continue;
      std::size_t i = slot.hash & mask;
      while (bigger[i].employee != UINT32_MAX) i = (i + 1) & mask;
      bigger[i] = slot;
    }
    employee_table.swap(bigger);
  }

  /// A tally's name (and group) is the last one given in time order; this keeps whichever
  /// is later.
  void offer(latest_text& x, std::string_view text, std::int64_t time, std::uint32_t source, std::uint64_t line) {
    if (x.has && !later(time, source, line, x.time, x.source, x.line)) return;
    if (!x.has || x.text != text) x.text.assign(text);  // an employee's name seldom changes
    x.time = time;
    x.source = source;
    x.line = line;
    x.has = true;
  }

  acc& find_acc(std::string_view employee, std::int32_t pkey) {
    employee_slot& slot = find_employee(employee);
    if (slot.last_acc != UINT32_MAX && slot.last_period == pkey) return accs[slot.last_acc];
    const std::uint32_t e = slot.employee;
    slot.last_period = pkey;
    auto& periods = employee_periods[e];
    for (auto it = periods.rbegin(); it != periods.rend(); ++it)  // the latest period is the likeliest
      if (it->first == pkey) {
        slot.last_acc = it->second;
        return accs[it->second];
      }
    slot.last_acc = static_cast<std::uint32_t>(accs.size());
    periods.emplace_back(pkey, slot.last_acc);
    accs.emplace_back();
    accs.back().employee = e;
    accs.back().period = pkey;
    return accs.back();
  }

  /// Adds to a tally's accumulator of one rule (created in rule order on first use): the
  /// one way findings, merged scorers and imported partials all count.
  static void add_to_rule(acc& a, std::uint32_t rule, std::uint64_t count, std::uint64_t findings, decimal points,
                          decimal fines) {
    add_to_rules(a.rules, rule, count, findings, points, fines);
  }
  static void add_to_rules(std::vector<rule_acc>& rules, std::uint32_t rule, std::uint64_t count, std::uint64_t findings,
                           decimal points, decimal fines) {
    auto it = std::lower_bound(rules.begin(), rules.end(), rule,
                               [](const rule_acc& x, std::uint32_t r) { return x.rule < r; });
    if (it == rules.end() || it->rule != rule) {
      it = rules.insert(it, rule_acc{});
      it->rule = rule;
    }
    it->count += count;
    it->findings += findings;
    it->points = detail::sat_add(it->points, points);
    it->fines = detail::sat_add(it->fines, fines);
  }

  /// A finding worked out for the current record, added once every rule has run.
  struct pending_finding {
    std::uint32_t rule = 0;
    std::uint64_t occurrences = 0;
    decimal points, fine;
    std::string matched;
  };
  std::vector<pending_finding> pending;

  /// What pricing a rule whose condition held came to: it does not fire (skip), it fires
  /// with these occurrences and amounts, or `what` overflowed (alone, or as per × times).
  enum class priced : std::uint8_t { skip, fire, overflow, product };
  struct price_result {
    priced outcome = priced::skip;
    std::string_view what;
    decimal per, times;
    std::uint64_t occurrences = 0;
    decimal points, fine;
  };
  /// Prices `rule` on the evaluator's current record (a log record, or a window record at
  /// report time): times, the amount per occurrence, the fine.
  static price_result price(evaluator& ev, const compiled_rule& rule);
  /// A price_result saying what overflowed.
  static price_result price_failure(priced p, std::string_view what, decimal per = {}, decimal times = {}) {
    price_result r;
    r.outcome = p;
    r.what = what;
    r.per = per;
    r.times = times;
    return r;
  }

  // Rules across records (SPEC §8; across.cpp). Accumulated per record, settled by report().
  using agg_acc = detail::agg_acc;
  /// One employee's window of one window rule.
  /// (Wide fields first: 48 bytes, and there is one per employee, window rule and window.)
  struct window_acc {
    std::uint64_t count = 0;      // records that count
    std::int64_t first_time = 0;  // the first record that counted, in time order (has_first)
    std::uint64_t first_line = 0;
    std::uint32_t rule = 0, employee = 0;
    std::int32_t key = 0;         // period_key of the window's kind
    std::uint32_t first_source = 0;
    std::uint32_t aggs = 0;       // its aggregates: agg_pool[aggs, aggs + the rule's count)
    bool active = false;
    bool has_first = false;
  };
  // Per employee and window rule (employee * window rules + its position in
  // rule_set::window_rules()): (window key, index into windows), by key. An employee's records
  // mostly come in time order, so the window asked for is nearly always the last one.
  std::vector<std::vector<std::pair<std::int32_t, std::uint32_t>>> window_lists;
  // By rule index: its position in rule_set::window_rules() or deadline_rules().
  std::vector<std::uint32_t> across_slot;
  // Deques: they grow without copying, and never hold twice what they need as a vector can.
  std::deque<window_acc> windows;
  std::deque<agg_acc> agg_pool;  // every window's aggregates, by index
  /// A duty opened by a deadline rule (SPEC §8.2), priced on its opening record. Kept only
  /// while no discharge in time is known: one that is can never fire, whatever else comes.
  struct duty {
    std::uint32_t rule = 0, acc = 0;  // the opening record's tally
    std::uint32_t slot = 0;           // the rule's position in rule_set::deadline_rules()
    std::uint32_t match = 0;          // the match value's id in its rule's store
    std::uint32_t source = 0;
    std::uint64_t line = 0;
    timestamp time;
    std::int64_t due = 0;             // raw decimal seconds of local time (time + within)
    std::uint64_t occurrences = 0;
    decimal points, fine;
    std::string matched;
    bool live = true;                 // false: discharged in time, its slot free for reuse
    std::uint32_t appeal = appeal_set::none;  // the appeal naming its finding (SPEC §10)
  };
  std::vector<duty> duties;
  std::vector<std::uint32_t> free_duties;
  /// A record that may discharge duties of one deadline rule: 16 bytes, since every record
  /// of an `until` kind is kept (a discharge may come, in another shard, before its opening).
  struct discharge {
    std::int64_t time = 0;    // local seconds
    std::uint64_t where = 0;  // input << 40 | line (a line past 2^40 reads as 2^40 - 1)
    static constexpr std::uint64_t line_mask = (std::uint64_t{1} << 40) - 1;
    static discharge at(std::int64_t time, std::uint32_t source, std::uint64_t line) {
      return {time, std::uint64_t{source} << 40 | std::min(line, line_mask)};
    }
    std::uint32_t source() const noexcept { return static_cast<std::uint32_t>(where >> 40); }
    std::uint64_t line() const noexcept { return where & line_mask; }
  };
  /// The possible discharges of every deadline rule with one `until` kind and `match` field:
  /// the same records, so they are kept once however many rules share them (three rules on
  /// home visits by employee kept three copies of every home visit).
  struct discharge_store {
    std::int32_t kind = -1;                              // the `until` kind
    std::uint32_t match_slot = 0;                        // `match` in that kind
    std::vector<std::uint32_t> slots;                    // the deadline rules sharing it, in order
    std::unordered_map<std::string, std::uint32_t> ids;  // match_key() → id
    std::vector<std::string> keys;                       // id → match_key()
    std::vector<std::vector<discharge>> discharges;      // by id, sorted by time
    std::uint32_t id(const std::string& key) {
      auto [it, inserted] = ids.try_emplace(key, static_cast<std::uint32_t>(keys.size()));
      if (inserted) {
        keys.push_back(key);
        discharges.emplace_back();
      }
      return it->second;
    }
  };
  std::vector<discharge_store> stores;
  /// One deadline rule's duties still without a discharge in time, by its store's match id.
  struct deadline_state {
    std::uint32_t store = 0;  // index into `stores`
    std::vector<std::vector<std::pair<std::int64_t, std::uint32_t>>> open;  // by id: (due, duty index), by due
  };
  std::vector<deadline_state> deadlines;  // by position in rule_set::deadline_rules()
  /// Groups the deadline rules by (`until` kind, `match` field) into `stores`.
  void make_stores();
  /// True when `x` discharges `d` in time: at or after the opening, not after the due time,
  /// and not the opening record itself.
  static bool in_time(const duty& d, const discharge& x);
  /// Keeps a duty unless a known discharge is in time; `match` is its match_key().
  void place_duty(duty d, const std::string& match);
  /// Adds a possible discharge to a store; drops the open duties of its rules that it
  /// discharges in time.
  void add_discharge(std::uint32_t store, const std::string& match, const discharge& x);
  std::vector<std::int64_t> employee_first;  // per employee: earliest scored record (local seconds)
  bool has_latest = false;                   // the latest scored record's time: the default as-of
  std::int64_t latest = 0;
  // Per record, before it is accepted (a rejection must leave no trace).
  struct pending_window {
    std::uint32_t rule = 0;
    bool counts = false, activates = false;
    std::uint32_t values = 0;  // index of its aggregate values in pending_values
  };
  std::vector<pending_window> pending_windows;
  std::vector<value> pending_values;
  std::vector<duty> pending_duties;
  std::vector<std::string> pending_matches;  // match_key() of each pending duty

  /// The text a match value compares by: type and value, so 1 and "1" differ.
  static std::string match_key(const value& v);
  /// Opens a duty for the current record if `within` and `match` allow (else none); false
  /// when `within` overflowed, having rejected the record.
  bool open_duty(const record& r, const compiled_rule& rule, const price_result& p);
  /// Evaluates the window rules' `where` and aggregate arguments on a record; false when one
  /// overflowed, having rejected it.
  bool gather_windows(const record& r);
  /// Adds an accepted record's pending windows, duties and discharges.
  void commit_across(const record& r, std::uint32_t acc_id);
  /// The accumulator of a rule's window of an employee, made (inactive, empty) if new.
  window_acc& window_for(std::uint32_t rule, std::uint32_t employee, std::int32_t key);
  /// Folds another scorer's (or a saved state's) window accumulator in; `aggs` are its aggregates.
  void add_window(const window_acc& w, const agg_acc* aggs);
  /// The index of an employee, added if new.
  std::uint32_t employee_index(std::string_view name);
  /// Keeps the earlier of an employee's first record times.
  void note_first(std::uint32_t employee, std::int64_t time);
  /// Keeps the later latest record time.
  void note_latest(bool has, std::int64_t time);
  // Moving the parts above between scorers (across_state.cpp): `src` and `acc_map` map the
  // other side's inputs and tallies to this scorer's.
  void merge_across(impl& o, const std::vector<std::uint32_t>& src, const std::vector<std::uint32_t>& acc_map);
  void export_across(scorer_state& st, const std::vector<std::uint32_t>& new_index) const;
  std::optional<std::string> check_across(const scorer_state& st) const;
  void import_across(const scorer_state& st, const std::vector<std::uint32_t>& src, const std::vector<std::uint32_t>& acc_map);

  /// One finding of a rule across records, settled at report time.
  struct settled {
    std::uint32_t employee = 0;
    std::int32_t period = 0;
    raw_finding f;           // acc unset; time, source, line, amounts, matched
    finding::origin from = finding::origin::window;
    bool has_source = false;  // a window's first counting record, or the opening record
    std::string window, aggregates;
    bool has_discharge = false;
    std::uint32_t discharge_source = 0;
    std::uint64_t discharge_line = 0;
    std::int64_t due = 0, late = 0;
  };
  /// A due time (raw decimal seconds of local time) as reports print it.
  static std::string due_text(std::int64_t due_raw);
  /// The as-of time of deadline rules (SPEC §8.2), or nullopt with no records.
  std::optional<std::int64_t> as_of() const;
  /// Works out the window and deadline findings and the pending duties.
  /// `emit` gets each finding (its texts only when findings are kept), so a report without
  /// findings never holds them all.
  void settle(const std::function<void(settled&&)>& emit, std::vector<pending_duty>& pending) const;

  // Per record (tally.cpp).
  std::string describe_match(const compiled_rule& rule, const record& r);

  /// Rejects the record whose `what` of `rule` overflowed in the evaluator (docs/decisions.md:
  /// never a silent loss of a finding). Returns false, as add() does for a rejection.
  bool reject_overflow(const record& r, const compiled_rule& rule, std::string_view what);

  /// Rejects the record whose amount per occurrence times its occurrences overflows.
  bool reject_product(const record& r, const compiled_rule& rule, std::string_view what, decimal per, decimal times);

  bool add(const record& r);

  // The report and its audit trail (totals.cpp).
  score_report report(unsigned threads) const;
  /// The tallies of a report: the accumulators plus, at report time, what rules across
  /// records added — per accumulator (`overlay`, by index) and as tallies of their own
  /// (`fresh`, indexed after `accs`) — without copying every accumulator.
  struct tally_view {
    const std::vector<acc>& accs;
    const std::vector<acc>* fresh = nullptr;
    const std::vector<std::vector<rule_acc>>* overlay = nullptr;
    const std::vector<std::uint64_t>* voided = nullptr;  // by index into accs: findings of rules across records voided
    std::size_t size() const { return accs.size() + (fresh ? fresh->size() : 0); }
    const acc& operator[](std::size_t i) const { return i < accs.size() ? accs[i] : (*fresh)[i - accs.size()]; }
  };
  score_report report_over(const tally_view& accs, const std::vector<raw_finding>& findings,
                           const std::vector<settled>* extra, unsigned threads) const;
  std::vector<finding> audit_trail(const tally_view& accs, const std::vector<raw_finding>& findings,
                                   const std::vector<settled>* extra) const;
  void describe_across(const settled& s, finding& o) const;
};

}  // namespace decorum
