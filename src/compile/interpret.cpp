// src/compile/interpret.cpp — entry point: interpreter::run. A post-order interpreter over a checked
// program's flat node array: each node reads its children's values from the same array, so
// there is no recursion and no allocation per record. Null propagates per SPEC §2. Constant
// folding runs it at compile time; the evaluator's lowered programs are what score records.
#include "decorum/compile/interpret.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace decorum {

std::string overflow_message(std::string_view rule, std::string_view what, std::string_view expression) {
  constexpr decimal largest = decimal::from_raw(std::numeric_limits<std::int64_t>::max());
  return fmt::format("rule '{}': {} overflows: {} is beyond ±{}", rule, what, expression, largest.to_string());
}

std::string overflow_expression(const overflow_note& o) {
  return fmt::format("{} {} {}", decimal::from_raw(o.a).to_string(), o.op, decimal::from_raw(o.b).to_string());
}

interpreter::interpreter(const rule_set& rules) : rules_(rules) {}

detail::phrase_scan interpreter::scan_child(const program& p, const program_node& n) {
  // Field or computed text alike: folded and scanned here, uncached. The evaluator caches
  // per record; this one stays simple, which also makes it a fair second opinion.
  const program_node& child = p.nodes[p.children[n.args]];
  const std::string_view text = child.op == opcode::field ? rec_->values[child.slot].text : vals_[p.children[n.args]].text;
  return rules_.phrases(n.phrase).scan(detail::fold_text_view(text, scratch_));
}

namespace {

value tri(bool b) { return value::of_bool(b); }

/// Three-way comparison of two present values of comparable types.
int compare(const value& a, const value& b) {
  if (a.type == value_type::text) return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
  if (a.type == value_type::boolean) return static_cast<int>(a.boolean) - static_cast<int>(b.boolean);
  return a.num < b.num ? -1 : a.num > b.num ? 1 : 0;
}

bool equal(const value& a, const value& b) {
  if (a.type == value_type::text) return a.text == b.text;
  if (a.type == value_type::boolean) return a.boolean == b.boolean;
  return a.num == b.num;
}

value numeric(value_type t, std::optional<decimal> d) {
  if (!d) return value::null();
  return {t, false, d->raw(), {}};
}

}  // namespace

value interpreter::node(const program& p, const program_node& n) {
  const std::uint32_t* kid = p.children.data() + n.args;
  auto arg = [&](std::uint32_t i) -> const value& { return vals_[kid[i]]; };
  switch (n.op) {
    case opcode::constant: return n.constant;
    case opcode::field: return rec_->values[n.slot];
    case opcode::has: return tri(rec_->values[n.slot].present());
    case opcode::and_: {
      const value &a = arg(0), &b = arg(1);
      if ((a.present() && !a.boolean) || (b.present() && !b.boolean)) return tri(false);
      if (!a.present() || !b.present()) return value::null();
      return tri(true);
    }
    case opcode::or_: {
      const value &a = arg(0), &b = arg(1);
      if ((a.present() && a.boolean) || (b.present() && b.boolean)) return tri(true);
      if (!a.present() || !b.present()) return value::null();
      return tri(false);
    }
    case opcode::not_: return arg(0).present() ? tri(!arg(0).boolean) : value::null();
    case opcode::neg: {
      const value& a = arg(0);
      if (!a.present()) return a;
      return numeric(a.type, decimal() == a.as_decimal() ? decimal() : -a.as_decimal());
    }
    case opcode::add:
    case opcode::sub:
    case opcode::mul:
    case opcode::div:
    case opcode::mod: {
      const value &a = arg(0), &b = arg(1);
      if (!a.present() || !b.present()) return value::null();
      if (n.type == value_type::time) {
        // time ± duration: whole seconds of the duration move the wall clock.
        const value& t = a.type == value_type::time ? a : b;
        const value& d = a.type == value_type::time ? b : a;
        std::int64_t secs = d.as_decimal().trunc();
        return value::of_time(n.op == opcode::sub ? t.num - secs : t.num + secs);
      }
      if (a.type == value_type::time && b.type == value_type::time) {
        auto d = decimal::from_int(a.num - b.num);
        return numeric(value_type::duration, d);
      }
      decimal x = a.as_decimal(), y = b.as_decimal();
      std::optional<decimal> r;
      switch (n.op) {
        case opcode::add: r = add(x, y); break;
        case opcode::sub: r = sub(x, y); break;
        case opcode::mul: r = mul(x, y); break;
        case opcode::div: r = div(x, y); break;
        default: r = mod(x, y); break;
      }
      if (!r && !((n.op == opcode::div || n.op == opcode::mod) && y == decimal()))
        overflow_.note(n.op == opcode::add ? '+' : n.op == opcode::sub ? '-' : n.op == opcode::mul ? '*' : n.op == opcode::div ? '/' : '%',
                      x.raw(), y.raw());
      return numeric(n.type, r);
    }
    case opcode::eq:
    case opcode::ne: {
      const value &a = arg(0), &b = arg(1);
      if (!a.present() || !b.present()) return value::null();
      bool e = equal(a, b);
      return tri(n.op == opcode::eq ? e : !e);
    }
    case opcode::lt:
    case opcode::le:
    case opcode::gt:
    case opcode::ge: {
      const value &a = arg(0), &b = arg(1);
      if (!a.present() || !b.present()) return value::null();
      int c = compare(a, b);
      bool r = n.op == opcode::lt ? c < 0 : n.op == opcode::le ? c <= 0 : n.op == opcode::gt ? c > 0 : c >= 0;
      return tri(r);
    }
    case opcode::in_list:
    case opcode::not_in_list: {
      const value& x = arg(0);
      if (!x.present()) return value::null();
      bool found = false, unknown = false;
      for (std::uint32_t i = 1; i < n.argc; ++i) {
        const value& item = arg(i);
        if (!item.present()) unknown = true;
        else if (equal(x, item)) found = true;
      }
      if (!found && unknown) return value::null();
      return tri(n.op == opcode::in_list ? found : !found);
    }
    case opcode::phrase_contains:
    case opcode::phrase_starts:
    case opcode::phrase_ends:
    case opcode::phrase_count:
    case opcode::phrase_in:
    case opcode::phrase_not_in: {
      if (!arg(0).present()) return value::null();
      detail::phrase_scan s = scan_child(p, n);
      switch (n.op) {
        case opcode::phrase_contains: return tri(s.contains);
        case opcode::phrase_starts: return tri(s.starts_with);
        case opcode::phrase_ends: return tri(s.ends_with);
        case opcode::phrase_in: return tri(s.equals);
        case opcode::phrase_not_in: return tri(!s.equals);
        default: return value::of_number(*decimal::from_int(s.count));
      }
    }
    case opcode::len: {
      const value& a = arg(0);
      if (!a.present()) return value::null();
      std::int64_t chars = 0;
      for (char c : a.text) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
      return value::of_number(*decimal::from_int(chars));
    }
    case opcode::clock_of: {
      const value& a = arg(0);
      if (!a.present()) return value::null();
      timestamp t{a.num, 0, false, false};
      return value::of_clock(clock_of(t));
    }
    case opcode::weekday:
    case opcode::hour: {
      const value& a = arg(0);
      if (!a.present()) return value::null();
      timestamp t{a.num, 0, false, false};
      return value::of_number(*decimal::from_int(n.op == opcode::weekday ? weekday(t) : hour(t)));
    }
    case opcode::between: {
      const value &c = arg(0), &from = arg(1), &to = arg(2);
      if (!c.present() || !from.present() || !to.present()) return value::null();
      if (from.num <= to.num) return tri(c.num >= from.num && c.num < to.num);
      return tri(c.num >= from.num || c.num < to.num);  // wraps past midnight
    }
    case opcode::abs: {
      const value& a = arg(0);
      if (!a.present()) return a;
      return a.num < 0 ? numeric(a.type, -a.as_decimal()) : a;
    }
    case opcode::min:
    case opcode::max: {
      const value &a = arg(0), &b = arg(1);
      if (!a.present() || !b.present()) return value::null();
      bool take_a = n.op == opcode::min ? a.num <= b.num : a.num >= b.num;
      value r = take_a ? a : b;
      r.type = n.type;
      return r;
    }
    case opcode::if_: {
      const value& c = arg(0);
      value r = (c.present() && c.boolean) ? arg(1) : arg(2);
      if (r.present()) r.type = r.type == value_type::number && n.type == value_type::duration ? n.type : r.type;
      return r;
    }
  }
  return value::null();
}

value interpreter::run(const program& p, const record& r) {
  if (p.nodes.empty()) return value::null();
  rec_ = &r;
  const std::size_t count = p.nodes.size();
  if (vals_.size() < count) vals_.resize(count);
  using j = program_node::jump;
  std::size_t i = 0;
  while (i < count) {
    value v = node(p, p.nodes[i]);
    vals_[i] = v;
    // Follow short-circuit links. A decided `and`/`or` is complete without evaluating its
    // right operand, and is then itself the node whose link applies (it may be an if's
    // condition or another operator's left operand).
    std::size_t at = i;
    for (;;) {
      const program_node& n = p.nodes[at];
      if (n.jump_kind == j::and_left && v.present() && !v.boolean) {
        at = n.jump_target;
        v = value::of_bool(false);
        vals_[at] = v;
        continue;
      }
      if (n.jump_kind == j::or_left && v.present() && v.boolean) {
        at = n.jump_target;
        v = value::of_bool(true);
        vals_[at] = v;
        continue;
      }
      if (n.jump_kind == j::if_cond && !(v.present() && v.boolean)) i = n.jump_target;
      else if (n.jump_kind == j::to_parent) i = n.jump_target;
      else i = at + 1;
      break;
    }
  }
  return vals_[count - 1];
}

}  // namespace decorum
