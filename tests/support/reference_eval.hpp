// tests/support/reference_eval.hpp — the reference evaluator of SPEC §2 that the evaluator
// tests (test_eval.cpp) hold decorum's two interpreters against: a recursive interpreter that
// walks the syntax::ast tree directly, with std::optional for null, sharing nothing with the
// compiled program but the decimal type; folding and phrase facts come from the
// whole-pipeline reference (reference_scorer.hpp).
#pragma once

#include "decorum/base/chrono.hpp"
#include "decorum/base/decimal.hpp"
#include "decorum/syntax/ast.hpp"
#include "reference_scorer.hpp"

#include <doctest/doctest.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ref_eval {

using decorum::decimal;
namespace ast = decorum::syntax::ast;

// Internal linkage: a test-only header, included by each test that wants a second opinion.
namespace {

// ---------------------------------------------------------------------------------------------
// The reference evaluator.

enum class ty { boolean, number, text, time, duration, clock };

/// A present value; numbers and durations (seconds) in `d`, times and clocks in `secs`.
struct val {
  ty t = ty::boolean;
  bool b = false;
  decimal d;
  std::string s;
  std::int64_t secs = 0;
};
using opt = std::optional<val>;
using rec = std::map<std::string, opt>;

val boolean(bool b) { return val{ty::boolean, b, {}, {}, 0}; }
val number(decimal d) { return val{ty::number, false, d, {}, 0}; }
val duration(decimal d) { return val{ty::duration, false, d, {}, 0}; }
val text(std::string s) { return val{ty::text, false, {}, std::move(s), 0}; }
val time_at(std::int64_t s) { return val{ty::time, false, {}, {}, s}; }
val clock_at(std::int64_t s) { return val{ty::clock, false, {}, {}, s}; }

decimal dec(std::string_view s) {
  auto d = decimal::parse(s);
  REQUIRE_MESSAGE(d, "bad test literal ", std::string(s));
  return *d;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
std::int64_t floor_mod(std::int64_t a, std::int64_t b) { return a - floor_div(a, b) * b; }

// Folding and phrase facts come from the whole-pipeline reference (tests/support), which
// works them out by brute force over code points.
using decorum_ref::phrase_facts;

/// Brute force over every position and phrase.
phrase_facts match(std::string_view raw_text, const std::vector<std::string>& phrases) {
  return decorum_ref::match_phrases(raw_text, phrases);
}

/// Characters of valid UTF-8 text.
std::size_t char_count(std::string_view s) { return decorum_ref::decode_utf8(s).value_or(std::u32string()).size(); }

/// `1h30m`, `90s`, `0.5s` → seconds.
decimal parse_dur(std::string_view s) {
  decimal total;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t start = i;
    while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.')) ++i;
    decimal amount = dec(s.substr(start, i - start));
    std::int64_t unit = s[i] == 'd' ? 86400 : s[i] == 'h' ? 3600 : s[i] == 'm' ? 60 : 1;
    ++i;
    total = *add(total, *mul(amount, *decimal::from_int(unit)));
  }
  return total;
}

/// `08:00`, `8:00`, `17:30:15` → seconds since midnight.
std::int64_t parse_clk(std::string_view s) {
  std::int64_t parts[3] = {0, 0, 0};
  int k = 0;
  for (char c : s) {
    if (c == ':') ++k;
    else parts[k] = parts[k] * 10 + (c - '0');
  }
  return parts[0] * 3600 + parts[1] * 60 + parts[2];
}

bool numeric(const val& v) { return v.t == ty::number || v.t == ty::duration; }

/// The reference interpreter. Types are known from the values themselves: the checker has
/// already accepted the expression, so only numbers and durations ever meet each other.
class reference {
 public:
  reference(const rec& r, const std::map<std::string, std::vector<std::string>>& sets) : rec_(r), sets_(sets) {}

  opt eval(const ast::expr& e) const {
    opt acc = operand(e.first);
    for (const auto& op : e.rest) acc = binary(acc, op);
    return acc;
  }

 private:
  const rec& rec_;
  const std::map<std::string, std::vector<std::string>>& sets_;

  opt field(const std::string& name) const {
    auto it = rec_.find(name);
    return it == rec_.end() ? std::nullopt : it->second;
  }

  /// The single operand below levels that hold nothing else.
  static const ast::operand& lone(const ast::expr& e) {
    const ast::expr* cur = &e;
    while (cur->rest.empty()) {
      const auto* inner = boost::get<ast::x3::forward_ast<ast::expr>>(&cur->first);
      if (!inner) break;
      cur = &inner->get();
    }
    return cur->first;
  }
  static const ast::path& lone_path(const ast::expr& e) { return boost::get<ast::path>(lone(e)); }

  /// The second argument of a phrase function: phrases.NAME or a string literal.
  const std::vector<std::string>& set_of(const ast::expr& e, std::vector<std::string>& literal) const {
    if (const auto* p = boost::get<ast::path>(&lone(e))) return sets_.at(p->names.at(1));
    literal = {boost::get<ast::string_lit>(lone(e)).value};
    return literal;
  }

  opt operand(const ast::operand& o) const {
    if (const auto* n = boost::get<ast::number_lit>(&o)) return number(dec(n->text));
    if (const auto* s = boost::get<ast::string_lit>(&o)) return text(s->value);
    if (const auto* b = boost::get<ast::bool_lit>(&o)) return boolean(b->value);
    if (const auto* d = boost::get<ast::duration_lit>(&o)) return duration(parse_dur(d->text));
    if (const auto* c = boost::get<ast::clock_lit>(&o)) return clock_at(parse_clk(c->text));
    if (const auto* p = boost::get<ast::path>(&o)) return field(p->names.at(0));
    if (const auto* c = boost::get<ast::x3::forward_ast<ast::call>>(&o)) return call(c->get());
    if (const auto* u = boost::get<ast::x3::forward_ast<ast::unary>>(&o)) {
      opt x = operand(u->get().rhs);
      if (!x) return std::nullopt;
      if (u->get().op == ast::op::not_) return boolean(!x->b);
      x->d = -x->d;
      return x;
    }
    if (const auto* e = boost::get<ast::x3::forward_ast<ast::expr>>(&o)) return eval(e->get());
    FAIL("unexpected operand");
    return std::nullopt;
  }

  static bool equal(const val& a, const val& b) {
    if (a.t == ty::text) return a.s == b.s;
    if (a.t == ty::boolean) return a.b == b.b;
    if (numeric(a)) return a.d == b.d;
    return a.secs == b.secs;
  }
  static int order(const val& a, const val& b) {
    if (numeric(a)) return a.d < b.d ? -1 : a.d > b.d ? 1 : 0;
    return a.secs < b.secs ? -1 : a.secs > b.secs ? 1 : 0;
  }

  opt binary(const opt& a, const ast::operation& o) const {
    using ast::op;
    if (o.op == op::in || o.op == op::not_in) {
      bool negate = o.op == op::not_in;
      if (const auto* l = boost::get<ast::x3::forward_ast<ast::list_lit>>(&o.rhs)) {
        // x in [a, b] is (x == a or x == b) under three-valued logic.
        if (!a) return std::nullopt;
        bool found = false, unknown = false;
        for (const auto& item : l->get().items) {
          opt v = eval(item);
          if (!v) unknown = true;
          else if (equal(*a, *v)) found = true;
        }
        if (!found && unknown) return std::nullopt;
        return boolean(found != negate);
      }
      const auto& p = boost::get<ast::path>(o.rhs);
      if (!a) return std::nullopt;
      bool eq = match(a->s, sets_.at(p.names.at(1))).equals;
      return boolean(eq != negate);
    }
    opt b = operand(o.rhs);
    if (o.op == op::and_) {
      if ((a && !a->b) || (b && !b->b)) return boolean(false);
      if (!a || !b) return std::nullopt;
      return boolean(true);
    }
    if (o.op == op::or_) {
      if ((a && a->b) || (b && b->b)) return boolean(true);
      if (!a || !b) return std::nullopt;
      return boolean(false);
    }
    if (!a || !b) return std::nullopt;
    switch (o.op) {
      case op::eq: return boolean(equal(*a, *b));
      case op::ne: return boolean(!equal(*a, *b));
      case op::lt: return boolean(order(*a, *b) < 0);
      case op::le: return boolean(order(*a, *b) <= 0);
      case op::gt: return boolean(order(*a, *b) > 0);
      case op::ge: return boolean(order(*a, *b) >= 0);
      default: break;
    }
    // Arithmetic. A time moves by the whole seconds (truncated) of a duration or number.
    if (a->t == ty::time && b->t == ty::time) return duration(*decimal::from_int(a->secs - b->secs));
    if (a->t == ty::time) return time_at(o.op == op::add ? a->secs + b->d.trunc() : a->secs - b->d.trunc());
    if (b->t == ty::time) return time_at(b->secs + a->d.trunc());
    std::optional<decimal> r;
    switch (o.op) {
      case op::add: r = add(a->d, b->d); break;
      case op::sub: r = sub(a->d, b->d); break;
      case op::mul: r = mul(a->d, b->d); break;
      case op::div: r = div(a->d, b->d); break;
      default: r = mod(a->d, b->d); break;
    }
    if (!r) return std::nullopt;  // division by zero, overflow
    bool dur = a->t == ty::duration || b->t == ty::duration;
    if (o.op == op::div && a->t == ty::duration && b->t == ty::duration) dur = false;  // a ratio
    return dur ? duration(*r) : number(*r);
  }

  opt call(const ast::call& c) const {
    const std::string& f = c.name;
    if (f == "contains" || f == "starts_with" || f == "ends_with" || f == "count") {
      opt t = eval(c.args[0]);
      std::vector<std::string> literal;
      const auto& set = set_of(c.args[1], literal);
      if (!t) return std::nullopt;
      phrase_facts m = match(t->s, set);
      if (f == "count") return number(*decimal::from_int(m.count));
      return boolean(f == "contains" ? m.contains : f == "starts_with" ? m.starts : m.ends);
    }
    if (f == "has") return boolean(field(lone_path(c.args[0]).names.at(0)).has_value());
    if (f == "if") {
      opt cond = eval(c.args[0]);
      return cond && cond->b ? eval(c.args[1]) : eval(c.args[2]);
    }
    std::vector<opt> a;
    for (const auto& arg : c.args) a.push_back(eval(arg));
    for (const auto& x : a)
      if (!x) return std::nullopt;
    if (f == "len") return number(*decimal::from_int(static_cast<std::int64_t>(char_count(a[0]->s))));
    if (f == "clock") return clock_at(floor_mod(a[0]->secs, 86400));
    if (f == "hour") return number(*decimal::from_int(floor_mod(a[0]->secs, 86400) / 3600));
    if (f == "weekday") return number(*decimal::from_int(floor_mod(floor_div(a[0]->secs, 86400) + 3, 7) + 1));
    if (f == "between") {
      std::int64_t x = a[0]->secs, from = a[1]->secs, to = a[2]->secs;
      return boolean(from <= to ? (x >= from && x < to) : (x >= from || x < to));
    }
    if (f == "abs") {
      val v = *a[0];
      if (v.d < decimal()) v.d = -v.d;
      return v;
    }
    if (f == "min" || f == "max") {
      bool first = f == "min" ? order(*a[0], *a[1]) <= 0 : order(*a[0], *a[1]) >= 0;
      val v = first ? *a[0] : *a[1];
      if (numeric(*a[0]) && a[0]->t != a[1]->t) v.t = ty::duration;
      return v;
    }
    INFO(f);
    FAIL("unknown function");
    return std::nullopt;
  }
};

std::string show(const opt& v) {
  if (!v) return "null";
  switch (v->t) {
    case ty::boolean: return v->b ? "true" : "false";
    case ty::number:
    case ty::duration: return v->d.to_string();
    case ty::text: return "\"" + v->s + "\"";
    case ty::time:
    case ty::clock: return "@" + std::to_string(v->secs);
  }
  return "?";
}

}  // namespace

}  // namespace ref_eval
