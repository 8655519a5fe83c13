// src/tally.cpp — entry point: scorer. Per record: the kind's rules, roles, `when`,
// `times` and amounts, evaluated once; per (employee, period, rule): occurrence counts and
// rounded finding sums. Progressive prices depend only on how many occurrences a rule has
// in a period, so totals need no ordering; only the audit trail sorts findings by time.
#include "decorum/tally.hpp"

#include "decorum/detail/parallel.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <utility>
#include <limits>

namespace decorum {

namespace {

// Point sums saturate at the largest decimal instead of failing: a cap must still bound a
// rule whose `times` is absurd, and a saturated total is visibly wrong rather than silently 0.
constexpr decimal max_decimal = decimal::from_raw(std::numeric_limits<std::int64_t>::max());

decimal sat_add(decimal a, decimal b) {
  if (auto r = add(a, b)) return *r;
  return b < decimal() ? -max_decimal : max_decimal;
}

decimal sat_mul(decimal a, decimal b) {
  if (auto r = mul(a, b)) return *r;
  return (a < decimal()) != (b < decimal()) ? -max_decimal : max_decimal;
}

/// Sum of the first n progressive prices: list[min(i, len) - 1] for i = 1..n.
decimal progressive_total(const std::vector<decimal>& list, std::uint64_t n) {
  decimal total;
  std::uint64_t head = std::min<std::uint64_t>(n, list.size());
  for (std::uint64_t i = 0; i < head; ++i) total = sat_add(total, list[i]);
  if (n > list.size()) {
    auto extra = decimal::from_int(static_cast<std::int64_t>(std::min<std::uint64_t>(n - list.size(), INT64_MAX / decimal::scale)));
    total = sat_add(total, sat_mul(list.back(), extra.value_or(max_decimal)));
  }
  return total;
}

// A finding's amount: `per` × `times`, rounded to 0.01; nullopt when the product overflows
// (the record is then rejected). Most findings occur once and most amounts are already
// whole cents, and then neither the 128-bit product nor the rounding division changes
// anything, so both are skipped.
std::optional<decimal> finding_amount(decimal per, std::int64_t n, decimal times) {
  decimal total = per;
  if (n != 1) {
    const std::optional<decimal> product = mul(per, times);
    if (!product) return std::nullopt;
    total = *product;
  }
  return total.raw() % (decimal::scale / 100) == 0 ? total : total.round(2);
}

std::uint64_t load8(const char* p) noexcept {
  std::uint64_t x;
  std::memcpy(&x, p, 8);
  return x;
}

std::uint64_t load4(const char* p) noexcept {
  std::uint32_t x;
  std::memcpy(&x, p, 4);
  return x;
}

// The bytes of a text of at most 8 bytes as one word, without reading past it: two
// overlapping loads, or three single bytes. Together with the length it determines the text,
// so two texts of one length <= 8 are equal exactly when their words are.
std::uint64_t short_word(const char* p, std::size_t n) noexcept {
  if (n >= 4) return load4(p) | (load4(p + n - 4) << 32);
  if (n == 0) return 0;
  return static_cast<unsigned char>(p[0]) | (std::uint64_t{static_cast<unsigned char>(p[n / 2])} << 8) |
         (std::uint64_t{static_cast<unsigned char>(p[n - 1])} << 16);
}

std::uint64_t mix64(std::uint64_t h) noexcept {
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  return h ^ (h >> 31);
}

// A 64-bit hash of a text, eight bytes per step (ids and employee codes are short, and a
// byte-at-a-time loop was most of their cost). For texts of up to 8 bytes it is injective:
// the length and short_word() determine the text, and every later step is a bijection.
std::uint64_t hash_bytes(std::string_view s) noexcept {
  const char* p = s.data();
  std::size_t n = s.size();
  std::uint64_t h = 0x9e3779b97f4a7c15ULL ^ (n * 0xff51afd7ed558ccdULL);
  for (; n > 8; p += 8, n -= 8) {
    h = (h ^ load8(p)) * 0x100000001b3ULL;
    h ^= h >> 32;
  }
  return mix64(h ^ short_word(p, n));
}

std::string value_text(const value& v) {
  switch (v.type) {
    case value_type::null_: return "null";
    case value_type::boolean: return v.boolean ? "true" : "false";
    case value_type::number: return v.as_decimal().to_string();
    case value_type::duration: return v.as_decimal().to_string() + "s";
    case value_type::text: return fmt::format("\"{}\"", v.text);
    case value_type::time: return format_time(timestamp{v.num, 0, false, false});
    case value_type::clock: return fmt::format("{:02}:{:02}", v.num / 3600, (v.num / 60) % 60);
    default: return "?";
  }
}

}  // namespace

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

struct scorer::impl {
  struct rule_acc {
    std::uint32_t rule = 0;
    std::uint64_t count = 0;     // occurrences
    std::uint64_t findings = 0;  // records on which it fired
    decimal points;              // sum of rounded finding points (non-progressive)
    decimal fines;               // sum of rounded finding fines (non-progressive)
  };
  struct acc {
    std::uint32_t employee = 0;
    std::int32_t period = 0;
    std::string name;
    std::int64_t name_time = 0;
    std::uint32_t name_source = 0;
    std::uint64_t name_line = 0;
    bool has_name = false;
    std::vector<rule_acc> rules;  // sorted by rule index
  };
  struct raw_finding {
    std::uint32_t acc = 0, rule = 0, source = 0;
    std::uint64_t line = 0, occurrences = 0;
    timestamp time;
    decimal points, fine;
    std::string matched;
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
  std::unordered_map<std::string, std::pair<std::uint32_t, std::uint64_t>> ids;
  scorer::id_mode mode = scorer::id_mode::exact;
  bool keep_ids = false;
  id_hash_store fingerprints;
  std::shared_ptr<const scorer::first_seen_map> firsts;
  std::vector<raw_finding> findings;
  std::vector<rejected_record> rejections;
  std::uint64_t read = 0, scored = 0, rejected = 0;
  std::int64_t cached_day = std::numeric_limits<std::int64_t>::min();
  std::int32_t cached_period = 0;

  impl(std::shared_ptr<const rule_set> rs, score_options o)
      : rules(std::move(rs)), opts(o), period(o.period.value_or(rules->scoring().period)), ev(*rules) {}

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
    return s.size() >= 8 ? load8(s.data()) : short_word(s.data(), s.size());
  }

  employee_slot& find_employee(std::string_view employee) {
    const std::uint64_t h = hash_bytes(employee);
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

  /// A tally's name is the last one given in time order; this keeps whichever is later.
  void offer_name(acc& a, std::string_view name, std::int64_t time, std::uint32_t source, std::uint64_t line) {
    if (a.has_name && !later(time, source, line, a.name_time, a.name_source, a.name_line)) return;
    if (!a.has_name || a.name != name) a.name.assign(name);  // an employee's name seldom changes
    a.name_time = time;
    a.name_source = source;
    a.name_line = line;
    a.has_name = true;
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
    auto it = std::lower_bound(a.rules.begin(), a.rules.end(), rule,
                               [](const rule_acc& x, std::uint32_t r) { return x.rule < r; });
    if (it == a.rules.end() || it->rule != rule) {
      it = a.rules.insert(it, rule_acc{});
      it->rule = rule;
    }
    it->count += count;
    it->findings += findings;
    it->points = sat_add(it->points, points);
    it->fines = sat_add(it->fines, fines);
  }

  std::string describe_match(const compiled_rule& rule, const record& r) {
    const kind_schema& kind = rules->schema().kinds()[static_cast<std::size_t>(r.kind)];
    std::vector<std::string> parts;
    auto add_part = [&](std::string s) {
      if (std::find(parts.begin(), parts.end(), s) == parts.end()) parts.push_back(std::move(s));
    };
    // A field that feeds a phrase scan is described by what matched, not by its whole text.
    std::vector<std::uint32_t> scanned;
    for (const program* p : {&rule.when, &rule.times, &rule.value, &rule.fine})
      for (const auto& n : p->nodes)
        if (n.op >= opcode::phrase_contains && n.op <= opcode::phrase_not_in && p->nodes[p->children[n.args]].op == opcode::field)
          scanned.push_back(p->nodes[p->children[n.args]].slot);
    for (const program* p : {&rule.when, &rule.times, &rule.value, &rule.fine}) {
      for (const auto& n : p->nodes) {
        bool phrase = n.op >= opcode::phrase_contains && n.op <= opcode::phrase_not_in;
        if (phrase) {
          const program_node& child = p->nodes[p->children[n.args]];
          if (child.op != opcode::field) continue;
          const auto& scan = ev.scan(child.slot, n.phrase);
          if (scan.first >= 0)
            add_part(fmt::format("{} matched \"{}\"{}", kind.fields[child.slot].name,
                                 rules->phrases(n.phrase).phrases()[static_cast<std::size_t>(scan.first)],
                                 scan.count > 1 ? fmt::format(" ({} times)", scan.count) : ""));
          else
            add_part(fmt::format("{} has no {} phrase", kind.fields[child.slot].name, rules->phrase_set_name(n.phrase)));
        } else if (n.op == opcode::field && n.slot != slot::time &&
                   std::find(scanned.begin(), scanned.end(), n.slot) == scanned.end()) {
          add_part(fmt::format("{}={}", kind.fields[n.slot].name, value_text(r.values[n.slot])));
        }
      }
    }
    return fmt::format("{}", fmt::join(parts, ", "));
  }

  /// A finding worked out for the current record, added once every rule has run.
  struct pending_finding {
    std::uint32_t rule = 0;
    std::uint64_t occurrences = 0;
    decimal points, fine;
    std::string matched;
  };
  std::vector<pending_finding> pending;

  static const char* amount_key(rulebook::amount_kind k) {
    switch (k) {
      case rulebook::amount_kind::deduct: return "deduct";
      case rulebook::amount_kind::bonus: return "bonus";
      default: return "points";
    }
  }

  /// Rejects the record whose `what` of `rule` overflowed in the evaluator (docs/decisions.md:
  /// never a silent loss of a finding). Returns false, as add() does for a rejection.
  bool reject_overflow(const record& r, const compiled_rule& rule, std::string_view what) {
    const evaluator::overflow& o = ev.last_overflow();
    ++rejected;
    rejections.push_back({sources.at(r.source), r.line,
                          fmt::format("rule '{}': {} overflows: {} {} {} is beyond ±{}", rule.id, what,
                                      decimal::from_raw(o.a).to_string(), o.op, decimal::from_raw(o.b).to_string(),
                                      max_decimal.to_string())});
    return false;
  }

  /// Rejects the record whose amount per occurrence times its occurrences overflows.
  bool reject_product(const record& r, const compiled_rule& rule, std::string_view what, decimal per, decimal times) {
    ++rejected;
    rejections.push_back({sources.at(r.source), r.line,
                          fmt::format("rule '{}': {} overflows: {} × {} occurrences is beyond ±{}", rule.id, what,
                                      per.to_string(), times.to_string(), max_decimal.to_string())});
    return false;
  }

  bool add(const record& r) {
    ++read;
    if (r.kind < 0) {
      ++rejected;
      rejections.push_back({sources.at(r.source), r.line, "record without a kind"});
      return false;
    }
    std::string_view id = r.text(slot::id);
    if (!id.empty() && mode == scorer::id_mode::fingerprint) {
      fingerprints.add(scorer::id_fingerprint(id));
      if (keep_ids) ids.emplace(std::string(id), std::pair(r.source, r.line));
    } else if (!id.empty() && mode == scorer::id_mode::resolved) {
      if (auto it = firsts->find(std::string(id));
          it != firsts->end() && !(it->second.line == r.line && it->second.source == r.source)) {
        ++rejected;
        rejections.push_back({sources.at(r.source), r.line,
                              fmt::format("duplicate id \"{}\" (first seen at {}:{})", id, it->second.name, it->second.line)});
        return false;
      }
      if (keep_ids) ids.emplace(std::string(id), std::pair(r.source, r.line));
    } else if (!id.empty()) {
      auto [it, inserted] = ids.emplace(std::string(id), std::pair(r.source, r.line));
      if (!inserted) {
        ++rejected;
        rejections.push_back({sources.at(r.source), r.line,
                              fmt::format("duplicate id \"{}\" (first seen at {}:{})", id, sources.at(it->second.first),
                                          it->second.second)});
        return false;
      }
    }
    // Every rule is evaluated before anything is added, so that a record rejected for an
    // overflow leaves no trace: no tally, no name, no finding.
    ev.begin(r);
    pending.clear();
    const std::int32_t role = rules->kind_uses_roles(r.kind) ? rules->role_id(r.text(slot::role)) : -1;
    for (const rule_plan& plan : rules->plans_for_kind(r.kind)) {
      if (plan.role_bits &&
          (role < 0 || !((plan.role_bits[static_cast<std::uint32_t>(role) / 64] >> (role % 64)) & 1)))
        continue;
      if (plan.guard_slot != compiled_rule::no_guard) {
        // An enum value from a reader carries its position (value::of_enum); one built by
        // hand (num 0) goes to the full evaluation.
        const value& g = r.values[plan.guard_slot];
        if (!g.present() || (g.num != 0 && !((plan.guard_bits >> (g.num - 1)) & 1))) continue;
      }
      const std::uint32_t ri = plan.rule;
      const compiled_rule& rule = rules->rules()[ri];
      // Each evaluation starts with no overflow seen: one absorbed by three-valued logic
      // (`x * 1e12 > 0 or true`) must not be blamed on a later null.
      ev.clear_overflow();
      if (plan.when && !ev.holds(*plan.when)) {
        if (ev.last_overflow().hit) return reject_overflow(r, rule, "when");
        continue;
      }
      std::int64_t n = 1;
      if (!rule.times_code.empty()) {
        std::int64_t t = 0;
        ev.clear_overflow();
        if (!ev.number(rule.times_code, t)) {
          if (ev.last_overflow().hit) return reject_overflow(r, rule, "times");
          continue;
        }
        n = decimal::from_raw(t).trunc();
        if (n <= 0) continue;
      }
      // A whole decimal number of occurrences: trunc() of a decimal always fits.
      const decimal times = *decimal::from_int(n);
      // Amount per occurrence; a null (or, for deduct/bonus/fine, negative) result means
      // the rule does not fire on this record.
      decimal points, fine;
      bool progressive = !rule.progressive.empty();
      if (rule.amount != rulebook::amount_kind::none && !progressive) {
        decimal per;
        if (rule.value_constant) {
          per = *rule.value_constant;
        } else {
          std::int64_t v = 0;
          ev.clear_overflow();
          if (!ev.number(rule.value_code, v)) {
            if (ev.last_overflow().hit) return reject_overflow(r, rule, amount_key(rule.amount));
            continue;
          }
          per = decimal::from_raw(v);
        }
        if (rule.amount != rulebook::amount_kind::points && per < decimal()) continue;
        std::optional<decimal> amount = finding_amount(per, n, times);
        // With a cap the rule's net ends at ±cap whatever the product, so a saturated
        // product gives the exact result (docs/decisions.md); without one it would not.
        if (!amount && rule.cap) amount = (per < decimal()) ? -max_decimal : max_decimal;
        if (!amount) return reject_product(r, rule, amount_key(rule.amount), per, times);
        points = rule.amount == rulebook::amount_kind::deduct ? -*amount : *amount;
      }
      bool fine_progressive = !rule.fine_progressive.empty();
      if ((rule.fine_constant || !rule.fine.empty()) && !fine_progressive) {
        decimal per;
        if (rule.fine_constant) {
          per = *rule.fine_constant;
        } else {
          std::int64_t v = 0;
          ev.clear_overflow();
          if (!ev.number(rule.fine_code, v)) {
            if (ev.last_overflow().hit) return reject_overflow(r, rule, "fine");
            continue;
          }
          per = decimal::from_raw(v);
        }
        // Negative means the rule does not fire, folded to a constant (`2.50 - 8.55 / 0.9`)
        // or not (docs/decisions.md); only a literal negative fine is a load error.
        if (per < decimal()) continue;
        const std::optional<decimal> amount = finding_amount(per, n, times);
        if (!amount) return reject_product(r, rule, "fine", per, times);
        fine = *amount;
      }
      pending.push_back({ri, static_cast<std::uint64_t>(n), points, fine,
                         opts.keep_findings ? describe_match(rule, r) : std::string()});
    }
    ++scored;
    // Logs come roughly in time order, so most records fall on the day before them.
    const std::int64_t day = days_of(r.time);
    if (day != cached_day) {
      cached_day = day;
      cached_period = period_key(period, r.time);
    }
    const std::int32_t pkey = cached_period;
    acc& a = find_acc(r.text(slot::employee), pkey);
    std::uint32_t acc_id = static_cast<std::uint32_t>(&a - accs.data());
    std::string_view name = r.text(slot::name);
    if (!name.empty()) offer_name(a, name, r.time.local_seconds, r.source, r.line);
    for (pending_finding& p : pending) {
      add_to_rule(a, p.rule, p.occurrences, 1, p.points, p.fine);
      if (opts.keep_findings) {
        raw_finding f;
        f.acc = acc_id;
        f.rule = p.rule;
        f.source = r.source;
        f.line = r.line;
        f.occurrences = p.occurrences;
        f.time = r.time;
        f.points = p.points;
        f.fine = p.fine;
        f.matched = std::move(p.matched);
        findings.push_back(std::move(f));
      }
    }
    return true;
  }


  score_report report(unsigned threads) const {
    score_report rep;
    rep.rulebook = rules->name();
    rep.rule_count = rules->rules().size();
    rep.period = period;
    rep.currency = rules->scoring().currency;
    rep.records = read;
    rep.scored = scored;
    rep.rejected = rejected;
    rep.rejections = rejections;
    // Parallel workers finish in any order; input order is input name, then line.
    std::stable_sort(rep.rejections.begin(), rep.rejections.end(), [](const rejected_record& a, const rejected_record& b) {
      return a.source != b.source ? a.source < b.source : a.line < b.line;
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
      for (std::size_t k = from; k < to; ++k) {
        const acc& a = accs[order[k]];
        tally& t = rep.tallies[k];
        t.employee = employees[a.employee];
        t.name = a.name;
        t.period = period_label_from_key(period, a.period);
        t.base = sc.base;
        t.rules.reserve(a.rules.size());
        for (const rule_acc& ra : a.rules) {
          const compiled_rule& rule = rules->rules()[ra.rule];
          decimal net = ra.points, fines = ra.fines;
          if (!rule.progressive.empty()) {
            decimal total = progressive_total(rule.progressive, ra.count);
            net = rule.amount == rulebook::amount_kind::deduct ? -total : total;
          }
          if (!rule.fine_progressive.empty()) fines = progressive_total(rule.fine_progressive, ra.count);
          if (rule.cap) net = std::clamp(net, -*rule.cap, *rule.cap);
          t.findings += ra.findings;
          if (net < decimal()) t.deductions = sat_add(t.deductions, -net);
          else t.bonuses = sat_add(t.bonuses, net);
          t.fines = sat_add(t.fines, fines);
          if (const std::int32_t c = labels.category_of[ra.rule]; c >= 0) {
            if (!cat_used[static_cast<std::size_t>(c)]) {
              cat_used[static_cast<std::size_t>(c)] = true;
              cat_sum[static_cast<std::size_t>(c)] = decimal();
            }
            cat_sum[static_cast<std::size_t>(c)] = sat_add(cat_sum[static_cast<std::size_t>(c)], net);
          }
          if (const std::int32_t f = labels.flag_of[ra.rule]; f >= 0) flag_used[static_cast<std::size_t>(f)] = true;
          t.rules.push_back({rule.id, ra.count, net, fines});
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
    if (opts.keep_findings) rep.findings = audit_trail();
    return rep;
  }


  std::vector<finding> audit_trail() const {
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
      std::uint64_t& n = seen[{f.acc, f.rule}];
      auto priced = [&](const std::vector<decimal>& list) {
        return sat_add(progressive_total(list, n + f.occurrences), -progressive_total(list, n));
      };
      if (!rule.progressive.empty()) {
        decimal p = priced(rule.progressive);
        o.points = rule.amount == rulebook::amount_kind::deduct ? -p : p;
      }
      if (!rule.fine_progressive.empty()) o.fine = priced(rule.fine_progressive);
      n += f.occurrences;
      o.source = sources[f.source];
      o.line = f.line;
      o.rule_file = rules->file();
      o.rule_line = rule.pos.line;
      o.matched = f.matched;
      out.push_back(std::move(o));
    }
    return out;
  }
};

scorer::scorer(std::shared_ptr<const rule_set> rules, score_options opts)
    : rules_(rules), impl_(std::make_unique<impl>(std::move(rules), opts)) {}
scorer::~scorer() = default;
scorer::scorer(scorer&&) noexcept = default;
scorer& scorer::operator=(scorer&&) noexcept = default;

std::uint32_t scorer::add_source(std::string name) { return impl_->source(std::move(name)); }

bool scorer::add(const record& r) { return impl_->add(r); }

void scorer::reject(std::uint32_t source, std::uint64_t line, std::string reason) {
  impl_->read += 1;
  impl_->rejected += 1;
  impl_->rejections.push_back({impl_->sources.at(source), line, std::move(reason)});
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
    if (oa.has_name) me.offer_name(a, oa.name, oa.name_time, src[oa.name_source], oa.name_line);
    for (const auto& orr : oa.rules) impl::add_to_rule(a, orr.rule, orr.count, orr.findings, orr.points, orr.fines);
  }
  for (auto& f : o.findings) {
    f.acc = acc_map[f.acc];
    f.source = src[f.source];
    me.findings.push_back(std::move(f));
  }
  for (auto& [id, where] : o.ids) me.ids.emplace(id, std::pair(src[where.first], where.second));
  me.fingerprints.append(std::move(o.fingerprints));
  for (auto& r : o.rejections) me.rejections.push_back(std::move(r));
  me.read += o.read;
  me.scored += o.scored;
  me.rejected += o.rejected;
}

score_report scorer::report(unsigned threads) const { return impl_->report(threads); }

scorer_state scorer::export_state() const {
  const impl& m = *impl_;
  scorer_state st;
  st.rulebook = m.rules->name();
  st.period = m.period;
  st.sources = m.sources;
  for (const auto& a : m.accs) {
    scorer_state::tally_part t;
    t.employee = m.employees[a.employee];
    t.period_key = a.period;
    t.has_name = a.has_name;
    t.name = a.name;
    t.name_time = a.name_time;
    t.name_source = a.name_source;
    t.name_line = a.name_line;
    for (const auto& r : a.rules) t.rules.push_back({m.rules->rules()[r.rule].id, r.count, r.findings, r.points, r.fines});
    st.tallies.push_back(std::move(t));
  }
  for (const auto& f : m.findings)
    st.findings.push_back({f.acc, m.rules->rules()[f.rule].id, f.source, f.line, f.occurrences, f.time, f.points, f.fine, f.matched});
  for (const auto& [id, where] : m.ids) st.ids.push_back({id, where.first, where.second});
  std::sort(st.ids.begin(), st.ids.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  st.rejections = m.rejections;
  st.read = m.read;
  st.scored = m.scored;
  st.rejected = m.rejected;
  return st;
}

bool scorer::import_state(const scorer_state& st, std::string& error, std::uint64_t* duplicate_ids) {
  impl& m = *impl_;
  if (st.rulebook != m.rules->name()) {
    error = fmt::format("partial result is for rulebook '{}', not '{}'", st.rulebook, m.rules->name());
    return false;
  }
  if (st.period != m.period) {
    error = fmt::format("partial result counts per {}, not per {}", to_string(st.period), to_string(m.period));
    return false;
  }
  std::unordered_map<std::string, std::uint32_t> rule_index;
  for (std::uint32_t i = 0; i < m.rules->rules().size(); ++i) rule_index.emplace(m.rules->rules()[i].id, i);
  auto rule_of = [&](const std::string& id) -> std::optional<std::uint32_t> {
    auto it = rule_index.find(id);
    if (it == rule_index.end()) return std::nullopt;
    return it->second;
  };
  // Validate everything before changing anything.
  for (const auto& t : st.tallies) {
    if (t.has_name && t.name_source >= st.sources.size()) {
      error = "partial result names an input it does not list";
      return false;
    }
    for (const auto& r : t.rules)
      if (!rule_of(r.rule)) {
        error = fmt::format("partial result has rule '{}', which the rulebook does not", r.rule);
        return false;
      }
  }
  for (const auto& f : st.findings)
    if (!rule_of(f.rule) || f.tally >= st.tallies.size() || f.source >= st.sources.size()) {
      error = "partial result has a finding that does not fit its tallies, inputs or rules";
      return false;
    }
  for (const auto& i : st.ids)
    if (i.source >= st.sources.size()) {
      error = "partial result names an input it does not list";
      return false;
    }
  std::vector<std::uint32_t> src(st.sources.size());
  for (std::size_t i = 0; i < st.sources.size(); ++i) {
    auto it = m.source_index.find(st.sources[i]);
    src[i] = it != m.source_index.end() ? it->second : m.source(st.sources[i]);
  }
  std::vector<std::uint32_t> acc_map;
  for (const auto& t : st.tallies) {
    impl::acc& a = m.find_acc(t.employee, t.period_key);
    acc_map.push_back(static_cast<std::uint32_t>(&a - m.accs.data()));
    if (t.has_name) m.offer_name(a, t.name, t.name_time, src[t.name_source], t.name_line);
    for (const auto& r : t.rules) impl::add_to_rule(a, *rule_of(r.rule), r.count, r.findings, r.points, r.fines);
  }
  for (const auto& f : st.findings)
    m.findings.push_back({acc_map[f.tally], *rule_of(f.rule), src[f.source], f.line, f.occurrences, f.time, f.points, f.fine, f.matched});
  std::uint64_t dups = 0;
  for (const auto& i : st.ids)
    if (!m.ids.emplace(i.id, std::pair(src[i.source], i.line)).second) ++dups;
  if (duplicate_ids) *duplicate_ids = dups;
  m.rejections.insert(m.rejections.end(), st.rejections.begin(), st.rejections.end());
  m.read += st.read;
  m.scored += st.scored;
  m.rejected += st.rejected;
  return true;
}

void scorer::set_id_mode(id_mode m) { impl_->mode = m; }

void scorer::set_keep_ids(bool keep) { impl_->keep_ids = keep; }

id_hash_store scorer::take_id_fingerprints() { return std::exchange(impl_->fingerprints, id_hash_store{}); }

void id_hash_store::flush() {
  if (pending_size_ == 0) return;
  // Two byte-wide counting-sort passes order the batch by bucket (the top 16 bits).
  if (!sorted_) sorted_ = std::make_unique_for_overwrite<std::uint64_t[]>(pending_capacity);
  std::uint64_t* from = pending_.get();
  std::uint64_t* to = sorted_.get();
  for (int shift : {48, 56}) {
    std::size_t start[257] = {};
    for (std::size_t i = 0; i < pending_size_; ++i) ++start[((from[i] >> shift) & 0xFF) + 1];
    for (std::size_t d = 1; d < 257; ++d) start[d] += start[d - 1];
    for (std::size_t i = 0; i < pending_size_; ++i) to[start[(from[i] >> shift) & 0xFF]++] = from[i];
    std::swap(from, to);
  }
  // After two passes the sorted batch is back in `pending_`.
  for (std::size_t i = 0; i < pending_size_; ++i) insert(from[i]);
  pending_size_ = 0;
}

void id_hash_store::insert(std::uint64_t h) {
  if (head_.empty()) {
    head_.assign(bucket_count, 0);
    count_.assign(bucket_count, 0);
  }
  const std::size_t b = h >> 48;
  const std::uint32_t fill = count_[b] % chunk_values;
  if (fill == 0) {
    if (used_ == slabs_.size() * slab_chunks) slabs_.push_back(std::make_unique<chunk[]>(slab_chunks));
    auto index = static_cast<std::uint32_t>(++used_);
    at(index).next = head_[b];
    head_[b] = index;
  }
  at(head_[b]).values[fill] = static_cast<std::uint32_t>(h >> 16);
  ++count_[b];
}

template <typename F>
void id_hash_store::for_each_in(std::size_t bucket, F&& f) {
  flush();
  if (head_.empty()) return;
  // The newest chunk is partly filled; every older one is full.
  std::uint32_t left = count_[bucket];
  for (std::uint32_t c = head_[bucket]; c != 0; c = at(c).next) {
    std::uint32_t in_chunk = left % chunk_values == 0 ? static_cast<std::uint32_t>(chunk_values) : left % chunk_values;
    const chunk& ch = at(c);
    for (std::uint32_t k = 0; k < in_chunk; ++k) f(ch.values[k]);
    left -= in_chunk;
  }
}

void id_hash_store::append(id_hash_store&& other) {
  other.flush();
  if (other.head_.empty()) return;
  for (std::size_t b = 0; b < bucket_count; ++b)
    other.for_each_in(b, [&](std::uint32_t v) { insert((static_cast<std::uint64_t>(b) << 48) | (static_cast<std::uint64_t>(v) << 16)); });
  other = id_hash_store{};
}

std::vector<std::uint64_t> id_hash_store::duplicates(std::vector<id_hash_store>& stores, unsigned threads) {
  for (auto& s : stores) s.flush();  // for_each_in must not write while threads read
  // Buckets are independent: split them into ranges, one per thread, and concatenate the
  // ranges' results in order, so the answer does not depend on the thread count.
  threads = std::clamp(threads, 1u, 16u);
  std::vector<std::vector<std::uint64_t>> found(threads);
  auto scan_range = [&](unsigned part) {
    std::vector<std::uint32_t> scratch;
    std::vector<std::uint64_t>& out = found[part];
    const std::size_t from = bucket_count * part / threads, to = bucket_count * (part + 1) / threads;
    for (std::size_t b = from; b < to; ++b) {
      scratch.clear();
      for (auto& s : stores) s.for_each_in(b, [&](std::uint32_t v) { scratch.push_back(v); });
      std::sort(scratch.begin(), scratch.end());
      for (std::size_t k = 1; k < scratch.size(); ++k) {
        const std::uint64_t h = (static_cast<std::uint64_t>(b) << 48) | (static_cast<std::uint64_t>(scratch[k]) << 16);
        if (scratch[k] == scratch[k - 1] && (out.empty() || out.back() != h)) out.push_back(h);
      }
    }
  };
  detail::run_parts(threads, scan_range);
  std::vector<std::uint64_t> out;
  for (auto& part : found) out.insert(out.end(), part.begin(), part.end());
  for (auto& s : stores) s = id_hash_store{};
  return out;
}

std::uint64_t scorer::id_fingerprint(std::string_view id) noexcept {
  // Stable across platforms and runs (std::hash is not); ids of up to 8 bytes never collide.
  return hash_bytes(id);
}

void scorer::resolve_ids(std::shared_ptr<const first_seen_map> firsts) {
  impl_->firsts = std::move(firsts);
  impl_->mode = id_mode::resolved;
}

}  // namespace decorum
