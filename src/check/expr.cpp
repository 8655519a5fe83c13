// src/check/expr.cpp — entry point: detail::checker::compile_expr. Parses one expression
// (syntax/grammar.hpp), walks its AST assigning types per SPEC §2, and emits a post-order
// program with fields resolved to slots; every error names its column inside the YAML file.
#include "checker.hpp"

#include "decorum/base/text.hpp"
#include "decorum/syntax/dump.hpp"
#include "decorum/syntax/grammar.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace decorum::detail {

/// The single operand an expression reduces to when it has no operators: the grammar wraps
/// a lone `phrases.x` in one expr per precedence level, and callers want the operand itself.
const ast::operand* lone_operand(const ast::expr& e) {
  const ast::expr* cur = &e;
  while (cur->rest.empty()) {
    if (const auto* inner = boost::get<ast::x3::forward_ast<ast::expr>>(&cur->first)) {
      cur = &inner->get();
      continue;
    }
    return &cur->first;
  }
  return nullptr;
}

typed checker::visit(const ast::expr& e) {
  typed lhs = visit_operand(e.first);
  for (const auto& op : e.rest) lhs = visit_binary(lhs, op);
  return lhs;
}

typed checker::visit_operand(const ast::operand& o) {
  struct v {
    using result_type = typed;
    checker& c;
    typed operator()(const ast::nil&) const { return c.failed(); }
    typed operator()(const ast::number_lit& n) const {
      // Leading zeros are fine in a rulebook (`hour(t) == 08`), unlike in JSON.
      std::string_view digits = n.text;
      while (digits.size() > 1 && digits[0] == '0' && digits[1] != '.') digits.remove_prefix(1);
      auto d = decimal::parse(digits);
      if (!d) {
        c.error_at(diag_code::bad_literal, ast::begin_of(n), fmt::format("number {} is out of range or has more than 6 decimal places", n.text),
                   n.text.size());
        return c.failed();
      }
      return c.constant(value::of_number(*d), ast::begin_of(n));
    }
    typed operator()(const ast::string_lit& n) const {
      c.prog_->strings->push_back(n.value);
      typed t = c.constant(value::of_text(c.prog_->strings->back()), ast::begin_of(n));
      t.is_string_literal = true;
      t.literal = n.value;
      return t;
    }
    typed operator()(const ast::bool_lit& n) const { return c.constant(value::of_bool(n.value), ast::begin_of(n)); }
    // A literal the grammar accepted but whose value may be out of range (`v` empty).
    typed literal(std::size_t at, std::optional<value> v, std::string_view invalid) const {
      if (!v) {
        c.error_at(diag_code::bad_literal, at, fmt::format("invalid {}", invalid));
        return c.failed();
      }
      return c.constant(*v, at);
    }
    typed operator()(const ast::duration_lit& n) const {
      const auto d = parse_duration(n.text);
      return literal(ast::begin_of(n), d ? std::optional(value::of_duration(*d)) : std::nullopt,
                     fmt::format("duration {}", n.text));
    }
    typed operator()(const ast::clock_lit& n) const {
      const auto s = parse_clock(n.text);
      return literal(ast::begin_of(n), s ? std::optional(value::of_clock(*s)) : std::nullopt,
                     fmt::format("time of day {} (expected 00:00 to 23:59)", n.text));
    }
    typed operator()(const ast::path& p) const { return c.visit_path(p, false); }
    typed operator()(const ast::call& call) const { return c.visit_call(call); }
    typed operator()(const ast::list_lit& l) const {
      c.error_at(diag_code::type_mismatch, ast::begin_of(l), "a list is only allowed after 'in' or 'not in'");
      return c.failed();
    }
    typed operator()(const ast::unary& u) const {
      typed x = c.visit_operand(u.rhs);
      if (!x.ok) return x;
      program_node n;
      n.offset = static_cast<std::uint32_t>(ast::begin_of(u));
      if (u.op == ast::op::neg) {
        if (!c.numeric(x.type)) {
          c.error_at(diag_code::type_mismatch, ast::begin_of(u), fmt::format("'-' needs a number or a duration, got {}", to_string(x.type)));
          return c.failed();
        }
        n.op = opcode::neg;
        n.type = x.type;
      } else {
        if (x.type != value_type::boolean) {
          c.error_at(diag_code::type_mismatch, ast::begin_of(u), fmt::format("'not' needs a bool, got {}", to_string(x.type)));
          return c.failed();
        }
        n.op = opcode::not_;
        n.type = value_type::boolean;
      }
      typed t;
      t.node = c.emit(n, {x.node});
      t.type = n.type;
      return t;
    }
    typed operator()(const ast::expr& e) const { return c.visit(e); }
  };
  return o.apply_visitor(v{*this});
}

typed checker::visit_path(const ast::path& p, bool allow_phrases) {
  std::size_t at = ast::begin_of(p);
  if (p.names.size() == 2 && p.names[0] == "phrases") {
    auto& names = out_.phrase_set_names;
    std::size_t named = out_.model.phrases.size();
    for (std::size_t i = 0; i < named; ++i)
      if (names[i] == p.names[1]) {
        if (!allow_phrases) {
          error_at(diag_code::phrase_set_misuse, at, fmt::format("phrases.{} is a phrase set; use it with contains, starts_with, ends_with, count or 'in'",
                                   p.names[1]),
                   ast::end_of(p) - at);
          return failed();
        }
        phrase_used_[i] = true;
        typed t;
        t.type = value_type::phrase_set;
        t.phrase = static_cast<std::int32_t>(i);
        return t;
      }
    std::vector<std::string_view> cands(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(named));
    std::string hint = rulebook::did_you_mean(p.names[1], cands);
    error_at(diag_code::unknown_phrase_set, at, hint.empty() ? fmt::format("unknown phrase set '{}'", p.names[1])
                              : fmt::format("unknown phrase set '{}'; did you mean '{}'?", p.names[1], hint),
             ast::end_of(p) - at);
    return failed();
  }
  std::string full = fmt::format("{}", fmt::join(p.names, "."));
  if (agg_mode_ == agg_mode::outer) {
    error_at(diag_code::aggregate_misuse, at, fmt::format("field '{}' is read outside an aggregate: a window rule sees its records only through "
                             "count(), count(cond), share(cond), sum(x), avg(x), min(x) and max(x)",
                             full),
             ast::end_of(p) - at);
    return failed();
  }
  const field_schema* f = p.names.size() == 1 ? kind_->find(p.names[0]) : nullptr;
  if (!f) {
    std::vector<std::string_view> cands;
    for (const auto& fs : kind_->fields) cands.push_back(fs.name);
    std::string hint = rulebook::did_you_mean(full, cands);
    error_at(diag_code::unknown_field, at, hint.empty() ? fmt::format("unknown field '{}' for kind '{}'", full, kind_->name)
                              : fmt::format("unknown field '{}' for kind '{}'; did you mean '{}'?", full, kind_->name, hint),
             ast::end_of(p) - at);
    return failed();
  }
  program_node n;
  n.op = opcode::field;
  n.type = f->runtime_type();
  n.slot = f->slot;
  n.offset = static_cast<std::uint32_t>(at);
  typed t;
  t.node = emit(n, {});
  t.type = n.type;
  t.field = f;
  return t;
}

void checker::check_enum_literal(const typed& field_side, const typed& lit_side, std::size_t at) {
  if (!field_side.field || field_side.field->type != field_type::enumeration || !lit_side.is_string_literal) return;
  const auto& vals = field_side.field->enum_values;
  if (std::find(vals.begin(), vals.end(), lit_side.literal) != vals.end()) return;
  std::vector<std::string_view> cands(vals.begin(), vals.end());
  std::string hint = rulebook::did_you_mean(lit_side.literal, cands);
  // Underline the literal with its quotes when it is written without escapes.
  const std::string& lit = lit_side.literal;
  const std::string_view t = std::string_view(scalar_->text).substr(std::min(at, scalar_->text.size()));
  const bool plain = t.size() >= lit.size() + 2 && (t[0] == '"' || t[0] == '\'') && t.substr(1, lit.size()) == lit &&
                     t[lit.size() + 1] == t[0];
  error_at(diag_code::not_enum_value, at, fmt::format("\"{}\" is not a value of {}.{} ({}){}", lit, kind_->name, field_side.field->name,
                           fmt::join(vals, ", "), hint.empty() ? "" : fmt::format("; did you mean \"{}\"?", hint)),
           plain ? lit.size() + 2 : 0);
}

typed checker::compare(ast::op op, typed lhs, typed rhs, std::size_t at) {
  auto comparable = [&](value_type a, value_type b) {
    if (a == b) return true;
    return numeric(a) && numeric(b);  // a plain number meets a duration as seconds
  };
  bool ordering = op == ast::op::lt || op == ast::op::le || op == ast::op::gt || op == ast::op::ge;
  if (!comparable(lhs.type, rhs.type)) {
    error_at(diag_code::type_mismatch, at, fmt::format("cannot compare {} with {}", to_string(lhs.type), to_string(rhs.type)));
    return failed();
  }
  if (ordering && (lhs.type == value_type::text || lhs.type == value_type::boolean)) {
    error_at(diag_code::type_mismatch, at, fmt::format("'{}' cannot order {} values; use == or !=", syntax::op_name(op), to_string(lhs.type)));
    return failed();
  }
  return emit_typed(op == ast::op::eq ? opcode::eq : op == ast::op::ne ? opcode::ne : op == ast::op::lt ? opcode::lt
       : op == ast::op::le ? opcode::le : op == ast::op::gt ? opcode::gt : opcode::ge, value_type::boolean, at, {lhs.node, rhs.node});
}

typed checker::visit_binary(typed lhs, const ast::operation& operation) {
  std::size_t at = ast::begin_of(operation);
  ast::op op = operation.op;
  if (op == ast::op::in || op == ast::op::not_in) {
    bool negate = op == ast::op::not_in;
    if (const auto* list = boost::get<ast::x3::forward_ast<ast::list_lit>>(&operation.rhs)) {
      const ast::list_lit& l = list->get();
      std::vector<std::uint32_t> kids;
      if (!lhs.ok) return failed();
      kids.push_back(lhs.node);
      bool ok = true;
      for (const auto& item : l.items) {
        typed it = visit(item);
        if (!it.ok) {
          ok = false;
          continue;
        }
        if (!(it.type == lhs.type || (numeric(it.type) && numeric(lhs.type)))) {
          error_at(diag_code::type_mismatch, ast::begin_of(item), fmt::format("list item is {}, but the value tested is {}", to_string(it.type),
                                                   to_string(lhs.type)));
          ok = false;
          continue;
        }
        check_enum_literal(lhs, it, ast::begin_of(item));
        kids.push_back(it.node);
      }
      if (!ok) return failed();
      program_node n;
      n.op = negate ? opcode::not_in_list : opcode::in_list;
      n.type = value_type::boolean;
      n.offset = static_cast<std::uint32_t>(at);
      typed t;
      t.node = emit_n(n, kids);
      t.type = value_type::boolean;
      return t;
    }
    const auto* p = boost::get<ast::path>(&operation.rhs);
    typed set = p ? visit_path(*p, true) : failed();
    if (!lhs.ok || !set.ok) return failed();
    if (set.type != value_type::phrase_set) {
      error_at(diag_code::type_mismatch, ast::begin_of(*p), "'in' needs a list [a, b] or a phrase set phrases.NAME");
      return failed();
    }
    if (lhs.type != value_type::text) {
      error_at(diag_code::type_mismatch, at, fmt::format("'in phrases.…' needs text on the left, got {}", to_string(lhs.type)));
      return failed();
    }
    program_node n;
    n.op = negate ? opcode::phrase_not_in : opcode::phrase_in;
    n.type = value_type::boolean;
    n.phrase = set.phrase;
    n.offset = static_cast<std::uint32_t>(at);
    typed t;
    t.node = emit(n, {lhs.node});
    t.type = value_type::boolean;
    return t;
  }
  typed rhs = visit_operand(operation.rhs);
  if (!lhs.ok || !rhs.ok) return failed();
  switch (op) {
    case ast::op::or_:
    case ast::op::and_: {
      if (lhs.type != value_type::boolean || rhs.type != value_type::boolean) {
        error_at(diag_code::type_mismatch, at, fmt::format("'{}' needs bool operands, got {} and {}", syntax::op_name(op), to_string(lhs.type),
                                 to_string(rhs.type)));
        return failed();
      }
      return emit_typed(op == ast::op::or_ ? opcode::or_ : opcode::and_, value_type::boolean, at, {lhs.node, rhs.node});
    }
    case ast::op::eq:
    case ast::op::ne:
      // Blame the literal itself: that is what the author has to change.
      check_enum_literal(lhs, rhs, prog_->nodes[rhs.node].offset);
      check_enum_literal(rhs, lhs, prog_->nodes[lhs.node].offset);
      return compare(op, lhs, rhs, at);
    case ast::op::lt:
    case ast::op::le:
    case ast::op::gt:
    case ast::op::ge: return compare(op, lhs, rhs, at);
    default: break;
  }
  // Arithmetic.
  value_type a = lhs.type, b = rhs.type, result = value_type::null_;
  auto num = [](value_type t) { return t == value_type::number; };
  auto dur = [](value_type t) { return t == value_type::duration; };
  switch (op) {
    case ast::op::add:
    case ast::op::sub:
      if (num(a) && num(b)) result = value_type::number;
      else if ((dur(a) || num(a)) && (dur(b) || num(b))) result = value_type::duration;
      else if (a == value_type::time && (dur(b) || num(b))) result = value_type::time;
      else if (op == ast::op::sub && a == value_type::time && b == value_type::time) result = value_type::duration;
      else if (op == ast::op::add && (dur(a) || num(a)) && b == value_type::time) result = value_type::time;
      break;
    case ast::op::mul:
      if (num(a) && num(b)) result = value_type::number;
      else if ((dur(a) && num(b)) || (num(a) && dur(b))) result = value_type::duration;
      break;
    case ast::op::div:
      if (num(a) && num(b)) result = value_type::number;
      else if (dur(a) && num(b)) result = value_type::duration;
      else if (dur(a) && dur(b)) result = value_type::number;
      break;
    case ast::op::mod:
      if (num(a) && num(b)) result = value_type::number;
      else if (dur(a) && (dur(b) || num(b))) result = value_type::duration;
      break;
    default: break;
  }
  if (result == value_type::null_) {
    error_at(diag_code::type_mismatch, at, fmt::format("'{}' cannot combine {} and {}", syntax::op_name(op), to_string(a), to_string(b)));
    return failed();
  }
  program_node n;
  n.op = op == ast::op::add ? opcode::add : op == ast::op::sub ? opcode::sub : op == ast::op::mul ? opcode::mul
       : op == ast::op::div ? opcode::div : opcode::mod;
  n.type = result;
  n.offset = static_cast<std::uint32_t>(at);
  typed t;
  t.node = emit(n, {lhs.node, rhs.node});
  t.type = result;
  return t;
}

typed checker::phrase_arg(const ast::expr& e, std::string_view fn) {
  // Only a phrase set or a string literal: patterns are compiled into an automaton when the
  // rulebook loads, never at scoring time.
  if (const ast::operand* lone = lone_operand(e)) {
    if (const auto* p = boost::get<ast::path>(lone)) {
      typed t = visit_path(*p, true);
      if (t.ok && t.type != value_type::phrase_set) {
        error_at(diag_code::phrase_set_misuse, ast::begin_of(*p), fmt::format("{}() takes a phrase set (phrases.NAME) or a string as its second argument", fn));
        return failed();
      }
      return t;
    }
    if (const auto* s = boost::get<ast::string_lit>(lone)) {
      if (detail::fold_text(s->value).empty()) {
        error_at(diag_code::empty_phrase, ast::begin_of(*s), "an empty string matches nothing");
        return failed();
      }
      auto [it, inserted] = literal_sets_.emplace(s->value, static_cast<std::int32_t>(out_.phrase_sets.size()));
      if (inserted) {
        out_.phrase_sets.push_back({s->value});
        out_.phrase_set_names.push_back(fmt::format("\"{}\"", s->value));
      }
      typed t;
      t.type = value_type::phrase_set;
      t.phrase = it->second;
      return t;
    }
  }
  error_at(diag_code::phrase_set_misuse, ast::begin_of(e), fmt::format("{}() takes a phrase set (phrases.NAME) or a string as its second argument", fn));
  return failed();
}

typed checker::visit_call(const ast::call& c) {
  if (is_aggregate(c)) return visit_aggregate(c);
  std::size_t at = ast::begin_of(c);
  static const std::vector<std::string_view> names = {"contains", "starts_with", "ends_with", "count", "len",  "has",
                                                      "clock",    "between",     "weekday",   "hour",  "abs",  "min",
                                                      "max",      "if"};
  auto arity = [&](std::size_t n) {
    if (c.args.size() == n) return true;
    error_at(diag_code::wrong_arity, at, fmt::format("{}() takes {} argument{}, got {}", c.name, n, n == 1 ? "" : "s", c.args.size()),
             c.name.size());
    return false;
  };
  program_node n;
  n.offset = static_cast<std::uint32_t>(at);
  typed t;
  auto finish = [&](std::initializer_list<std::uint32_t> kids) {
    t.node = emit(n, kids);
    t.type = n.type;
    return t;
  };
  auto want = [&](const typed& x, value_type ty, std::size_t arg) {
    if (!x.ok) return false;
    if (x.type == ty) return true;
    error_at(diag_code::type_mismatch, ast::begin_of(c.args[arg]), fmt::format("argument {} of {}() must be {}, got {}", arg + 1, c.name,
                                                     to_string(ty), to_string(x.type)),
             ast::end_of(c.args[arg]) - ast::begin_of(c.args[arg]));
    return false;
  };
  const std::string& f = c.name;
  if (f == "contains" || f == "starts_with" || f == "ends_with" || f == "count") {
    if (!arity(2)) return failed();
    typed text = visit(c.args[0]);
    typed set = phrase_arg(c.args[1], f);
    if (!want(text, value_type::text, 0) || !set.ok) return failed();
    n.op = f == "contains" ? opcode::phrase_contains : f == "starts_with" ? opcode::phrase_starts
         : f == "ends_with" ? opcode::phrase_ends : opcode::phrase_count;
    n.type = f == "count" ? value_type::number : value_type::boolean;
    n.phrase = set.phrase;
    return finish({text.node});
  }
  if (f == "len") {
    if (!arity(1)) return failed();
    typed x = visit(c.args[0]);
    if (!want(x, value_type::text, 0)) return failed();
    n.op = opcode::len;
    n.type = value_type::number;
    return finish({x.node});
  }
  if (f == "has") {
    if (!arity(1)) return failed();
    const ast::operand* lone = lone_operand(c.args[0]);
    const ast::path* p = lone ? boost::get<ast::path>(lone) : nullptr;
    if (!p) {
      error_at(diag_code::type_mismatch, ast::begin_of(c.args[0]), "has() takes a field name");
      return failed();
    }
    typed x = visit_path(*p, false);
    if (!x.ok) return failed();
    // has() reads the slot itself; the field load emitted above is harmless and folded away.
    n.op = opcode::has;
    n.type = value_type::boolean;
    n.slot = x.field->slot;
    return finish({x.node});
  }
  if (f == "clock" || f == "weekday" || f == "hour") {
    if (!arity(1)) return failed();
    typed x = visit(c.args[0]);
    if (!want(x, value_type::time, 0)) return failed();
    n.op = f == "clock" ? opcode::clock_of : f == "weekday" ? opcode::weekday : opcode::hour;
    n.type = f == "clock" ? value_type::clock : value_type::number;
    return finish({x.node});
  }
  if (f == "between") {
    if (!arity(3)) return failed();
    typed a = visit(c.args[0]), b = visit(c.args[1]), d = visit(c.args[2]);
    bool ok = want(a, value_type::clock, 0);
    ok = want(b, value_type::clock, 1) && ok;
    ok = want(d, value_type::clock, 2) && ok;
    if (!ok) return failed();
    n.op = opcode::between;
    n.type = value_type::boolean;
    return finish({a.node, b.node, d.node});
  }
  if (f == "abs") {
    if (!arity(1)) return failed();
    typed x = visit(c.args[0]);
    if (!x.ok) return failed();
    if (!numeric(x.type)) {
      error_at(diag_code::type_mismatch, ast::begin_of(c.args[0]), fmt::format("abs() needs a number or a duration, got {}", to_string(x.type)));
      return failed();
    }
    n.op = opcode::abs;
    n.type = x.type;
    return finish({x.node});
  }
  if (f == "min" || f == "max") {
    if (!arity(2)) return failed();
    typed a = visit(c.args[0]), b = visit(c.args[1]);
    if (!a.ok || !b.ok) return failed();
    bool same = a.type == b.type || (numeric(a.type) && numeric(b.type));
    if (!same || !(numeric(a.type) || a.type == value_type::clock || a.type == value_type::time)) {
      error_at(diag_code::type_mismatch, at, fmt::format("{}() needs two numbers, durations, clocks or times, got {} and {}", f, to_string(a.type),
                               to_string(b.type)));
      return failed();
    }
    n.op = f == "min" ? opcode::min : opcode::max;
    n.type = a.type == b.type ? a.type : value_type::duration;
    return finish({a.node, b.node});
  }
  if (f == "if") {
    if (!arity(3)) return failed();
    typed cond = visit(c.args[0]), a = visit(c.args[1]), b = visit(c.args[2]);
    if (!want(cond, value_type::boolean, 0) || !a.ok || !b.ok) return failed();
    if (!(a.type == b.type || (numeric(a.type) && numeric(b.type)))) {
      error_at(diag_code::type_mismatch, at, fmt::format("if() branches must have one type, got {} and {}", to_string(a.type), to_string(b.type)));
      return failed();
    }
    n.op = opcode::if_;
    n.type = a.type == b.type ? a.type : value_type::duration;
    return finish({cond.node, a.node, b.node});
  }
  std::string hint = rulebook::did_you_mean(f, names);
  error_at(diag_code::unknown_function, at, hint.empty() ? fmt::format("unknown function '{}'", f)
                            : fmt::format("unknown function '{}'; did you mean '{}'?", f, hint),
           f.size());
  return failed();
}

bool checker::compile_expr(const rulebook::scalar& s, const kind_schema& kind, program& p, value_type want,
                           std::string_view what) {
  scalar_ = &s;
  kind_ = &kind;
  prog_ = &p;
  p.source = s.text;
  auto parsed = syntax::parse_expression(s.text);
  if (!parsed.root) {
    error_at(diag_code::expression_syntax, parsed.error->offset, fmt::format("in {}: {}", what, parsed.error->message));
    p.nodes.clear();
    return false;
  }
  typed t = visit(*parsed.root);
  if (!t.ok) {
    p.nodes.clear();
    return false;
  }
  if (t.type == value_type::phrase_set) {
    error_at(diag_code::type_mismatch, 0, fmt::format("{} must be {}, got a phrase set", what, to_string(want)));
    p.nodes.clear();
    return false;
  }
  if (want != value_type::null_ && t.type != want) {
    error_at(diag_code::type_mismatch, 0, fmt::format("{} must be {}, got {}", what, to_string(want), to_string(t.type)));
    p.nodes.clear();
    return false;
  }
  return true;
}

}  // namespace decorum::detail
