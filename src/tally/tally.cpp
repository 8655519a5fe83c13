// src/tally/tally.cpp — entry point: scorer (construction, add_source, add). Per record: the
// kind's rules, roles, `when`, `times` and amounts, evaluated once; per (employee, period,
// rule): occurrence counts and rounded finding sums. Progressive prices depend only on how
// many occurrences a rule has in a period, so totals need no ordering; only the audit trail
// (totals.cpp) sorts findings by time.
#include "tally_impl.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace decorum {

using detail::max_decimal;

namespace {

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


}  // namespace

namespace detail {

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

}  // namespace detail

std::string scorer::impl::describe_match(const compiled_rule& rule, const record& r) {
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
        add_part(fmt::format("{}={}", kind.fields[n.slot].name, detail::value_text(r.values[n.slot])));
      }
    }
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

bool scorer::impl::reject_overflow(const record& r, const compiled_rule& rule, std::string_view what) {
  ++rejected;
  rejections.push_back({r.source, r.line, overflow_message(rule.id, what, overflow_expression(ev.last_overflow()))});
  return false;
}

bool scorer::impl::reject_product(const record& r, const compiled_rule& rule, std::string_view what, decimal per, decimal times) {
  ++rejected;
  rejections.push_back({r.source, r.line,
                        overflow_message(rule.id, what, fmt::format("{} × {} occurrences", per.to_string(), times.to_string()))});
  return false;
}

scorer::impl::price_result scorer::impl::price(evaluator& ev, const compiled_rule& rule) {
  std::int64_t n = 1;
  if (!rule.times_code.empty()) {
    std::int64_t t = 0;
    ev.clear_overflow();
    if (!ev.number(rule.times_code, t)) {
      if (ev.last_overflow().hit) return price_failure(priced::overflow, "times");
      return {};
    }
    n = decimal::from_raw(t).trunc();
    if (n <= 0) return {};
  }
  // A whole decimal number of occurrences: trunc() of a decimal always fits.
  const decimal times = *decimal::from_int(n);
  // Amount per occurrence; a null (or, for deduct/bonus/fine, negative) result means
  // the rule does not fire on this record.
  price_result out;
  out.outcome = priced::fire;
  decimal& points = out.points;
  decimal& fine = out.fine;
  bool progressive = !rule.progressive.empty();
  if (rule.amount != rulebook::amount_kind::none && !progressive) {
    decimal per;
    if (rule.value_constant) {
      per = *rule.value_constant;
    } else {
      std::int64_t v = 0;
      ev.clear_overflow();
      if (!ev.number(rule.value_code, v)) {
        if (ev.last_overflow().hit) return price_failure(priced::overflow, to_string(rule.amount));
        return {};
      }
      per = decimal::from_raw(v);
    }
    if (rule.amount != rulebook::amount_kind::points && per < decimal()) return {};
    std::optional<decimal> amount = finding_amount(per, n, times);
    // With a cap the rule's net ends at ±cap whatever the product, so a saturated
    // product gives the exact result (docs/decisions.md); without one it would not.
    if (!amount && rule.cap) amount = (per < decimal()) ? -max_decimal : max_decimal;
    if (!amount) return price_failure(priced::product, to_string(rule.amount), per, times);
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
        if (ev.last_overflow().hit) return price_failure(priced::overflow, "fine");
        return {};
      }
      per = decimal::from_raw(v);
    }
    // Negative means the rule does not fire, folded to a constant (`2.50 - 8.55 / 0.9`)
    // or not (docs/decisions.md); only a literal negative fine is a load error.
    if (per < decimal()) return {};
    const std::optional<decimal> amount = finding_amount(per, n, times);
    if (!amount) return price_failure(priced::product, "fine", per, times);
    fine = *amount;
  }
  out.occurrences = static_cast<std::uint64_t>(n);
  return out;
}

bool scorer::impl::add(const record& r) {
  ++read;
  if (r.kind < 0) {
    ++rejected;
    rejections.push_back({r.source, r.line, "record without a kind"});
    return false;
  }
  std::string_view id = r.text(slot::id);
  if (!id.empty() && mode == detail::id_mode::fingerprint) {
    fingerprints.add(detail::scorer_ids::fingerprint(id));
    if (keep_ids) ids.emplace(id, {r.source, r.line});
  } else if (!id.empty() && mode == detail::id_mode::resolved) {
    if (auto it = firsts->find(std::string(id));
        it != firsts->end() && !(it->second.line == r.line && it->second.source == r.source)) {
      ++rejected;
      rejections.push_back({r.source, r.line,
                            fmt::format("duplicate id \"{}\" (first seen at {}:{})", id, it->second.name, it->second.line)});
      return false;
    }
    if (keep_ids) ids.emplace(id, {r.source, r.line});
  } else if (!id.empty()) {
    auto [first, inserted] = ids.emplace(id, {r.source, r.line});
    if (!inserted) {
      ++rejected;
      rejections.push_back({r.source, r.line,
                            fmt::format("duplicate id \"{}\" (first seen at {}:{})", id, sources.at(first.source),
                                        first.line)});
      return false;
    }
  }
  // SPEC §10: the appeals about findings on this record, looked up once.
  record_appeals = opts.appeals && !id.empty() ? opts.appeals->on_record(id) : nullptr;
  // Every rule is evaluated before anything is added, so that a record rejected for an
  // overflow leaves no trace: no tally, no name, no finding.
  ev.begin(r);
  pending.clear();
  pending_duties.clear();
  pending_matches.clear();
  const std::int32_t role = rules->kind_uses_roles(r.kind) ? rules->role_id(r.text(slot::role)) : -1;
  const std::int64_t day = days_of(r.time);
  for (const rule_plan& plan : rules->plans_for_kind(r.kind)) {
    if (day < plan.from_day || day >= plan.until_day) continue;  // SPEC §9: not in effect that day
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
    const price_result priced_rule = price(ev, rule);
    if (priced_rule.outcome == priced::skip) continue;
    if (priced_rule.outcome == priced::overflow) return reject_overflow(r, rule, priced_rule.what);
    if (priced_rule.outcome == priced::product) return reject_product(r, rule, priced_rule.what, priced_rule.per, priced_rule.times);
    if (rule.deadline) {
      if (!open_duty(r, rule, priced_rule)) return false;
      continue;
    }
    pending.push_back({ri, priced_rule.occurrences, priced_rule.points, priced_rule.fine,
                       opts.keep_findings ? describe_match(rule, r) : std::string()});
  }
  // Rules across records (SPEC §8): gathered before the record is accepted, like findings.
  const bool across = !rules->window_rules().empty() || !rules->deadline_rules().empty();
  if (across) {
    pending_windows.clear();
    pending_values.clear();
    if (!rules->window_rules().empty() && !gather_windows(r)) return false;
  }
  ++scored;
  // Logs come roughly in time order, so most records fall on the day before them.
  if (day != cached_day) {
    cached_day = day;
    cached_period = period_key(period, r.time);
  }
  const std::int32_t pkey = cached_period;
  acc& a = find_acc(r.text(slot::employee), pkey);
  std::uint32_t acc_id = static_cast<std::uint32_t>(&a - accs.data());
  std::string_view name = r.text(slot::name);
  if (!name.empty()) offer(a.name, name, r.time.local_seconds, r.source, r.line);
  if (!group_slot.empty() && r.kind >= 0) {
    const std::uint32_t gs = group_slot[static_cast<std::size_t>(r.kind)];
    if (gs != no_group_slot && gs < r.values.size() && r.values[gs].type != value_type::null_) {
      const value& v = r.values[gs];
      if (v.type == value_type::text) offer(a.group, v.text, r.time.local_seconds, r.source, r.line);
      else offer(a.group, detail::value_text(v), r.time.local_seconds, r.source, r.line);
    }
  }
  if (record_appeals)
    for (const auto& [identity, index] : *record_appeals) appeal_seen[index] = std::max<std::uint8_t>(appeal_seen[index], appeal_record_seen);
  for (pending_finding& p : pending) {
    const std::uint32_t appeal = appeal_for(p.rule);
    if (appeal != appeal_set::none) appeal_seen[appeal] = appeal_matched;
    // A voided finding is as if the rule had not fired: it takes no occurrence number, so
    // later ones are priced as if it never was (SPEC §10).
    if (voids(appeal)) ++a.voided;
    else add_to_rule(a, p.rule, p.occurrences, 1, p.points, p.fine);
    if (opts.keep_findings) {
      findings.push_back({acc_id, p.rule, r.source, r.line, p.occurrences, r.time, p.points, p.fine, std::move(p.matched)});
      findings.back().appeal = appeal;
    }
  }
  note_latest(true, r.time.local_seconds);
  if (across) commit_across(r, acc_id);
  return true;
}

scorer::scorer(std::shared_ptr<const rule_set> rules, score_options opts)
    : rules_(rules), impl_(std::make_unique<impl>(std::move(rules), opts)) {}
scorer::~scorer() = default;
scorer::scorer(scorer&&) noexcept = default;
scorer& scorer::operator=(scorer&&) noexcept = default;

std::uint32_t scorer::add_source(std::string name) { return impl_->source(std::move(name)); }

void scorer::set_as_of(std::optional<timestamp> t) { impl_->opts.as_of = t; }

bool scorer::add(const record& r) { return impl_->add(r); }

void scorer::prefetch_id(std::string_view id) const noexcept {
  if (impl_->mode == detail::id_mode::exact) impl_->ids.prefetch(id);
}

result<void> scorer::set_appeals(std::shared_ptr<const appeal_set> appeals) {
  if (impl_->read > 0 || !impl_->windows.empty() || !impl_->duties.empty())
    return make_error("appeals must be set before the first record: they apply as records are scored");
  impl_->appeal_seen.assign(appeals ? appeals->size() : 0, impl::appeal_unseen);
  impl_->opts.appeals = std::move(appeals);
  return {};
}

}  // namespace decorum
