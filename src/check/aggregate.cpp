// src/check/aggregate.cpp — entry points: detail::is_aggregate, detail::checker::visit_aggregate.
// The aggregates of window rules (SPEC §8.1): count(), count(cond), share(cond), sum, avg, min,
// max over the records that count. Each argument is typed against the `on` kind into a
// program of its own; in the rule's expressions the aggregate reads as a slot of a window
// record. Outside a window rule, in `where`, or inside another aggregate, it is an error.
#include "checker.hpp"

#include <fmt/format.h>

namespace decorum::detail {

/// The one-argument (and no-argument count) forms SPEC §8.1 makes aggregates; count(text, P)
/// and min(a, b), max(a, b) stay the ordinary functions.
bool is_aggregate(const ast::call& c) {
  const std::string& f = c.name;
  if (f == "share" || f == "sum" || f == "avg") return true;
  if (f == "count") return c.args.size() <= 1;
  if (f == "min" || f == "max") return c.args.size() == 1;
  return false;
}

typed checker::visit_aggregate(const ast::call& c) {
  const std::size_t at = ast::begin_of(c);
  const std::string& f = c.name;
  if (agg_mode_ == agg_mode::none) {
    error_at(diag_code::aggregate_misuse, at, fmt::format("{}() is an aggregate over a window's records: only a window rule (one with 'per') may use it",
                             f),
             f.size());
    return failed();
  }
  if (agg_mode_ == agg_mode::where) {
    error_at(diag_code::aggregate_misuse, at, fmt::format("{}() cannot appear in 'where', which is judged one record at a time", f), f.size());
    return failed();
  }
  if (agg_mode_ == agg_mode::inside) {
    error_at(diag_code::aggregate_misuse, at, fmt::format("{}() is an aggregate inside an aggregate", f), f.size());
    return failed();
  }
  if (f != "count" && c.args.size() != 1) {
    error_at(diag_code::wrong_arity, at, fmt::format("{}() takes 1 argument, got {}", f, c.args.size()), f.size());
    return failed();
  }
  checked_aggregate a;
  a.fn = f == "count" ? (c.args.empty() ? aggregate_fn::count : aggregate_fn::count_if)
       : f == "share" ? aggregate_fn::share : f == "sum" ? aggregate_fn::sum : f == "avg" ? aggregate_fn::avg
       : f == "min" ? aggregate_fn::min : aggregate_fn::max;
  a.type = value_type::number;
  a.text = scalar_->text.substr(at, ast::end_of(c) > at ? ast::end_of(c) - at : 0);
  if (!c.args.empty()) {
    program* const outer = prog_;
    prog_ = &a.arg;
    a.arg.source = scalar_->text;
    agg_mode_ = agg_mode::inside;
    const typed x = visit(c.args[0]);
    agg_mode_ = agg_mode::outer;
    prog_ = outer;
    if (!x.ok) return failed();
    const bool is_cond = a.fn == aggregate_fn::count_if || a.fn == aggregate_fn::share;
    const bool summable = numeric(x.type);
    const bool ordered = summable || x.type == value_type::time || x.type == value_type::clock;
    const bool fits = is_cond ? x.type == value_type::boolean
                    : a.fn == aggregate_fn::sum || a.fn == aggregate_fn::avg ? summable : ordered;
    if (!fits) {
      const char* need = is_cond ? "bool" : a.fn == aggregate_fn::sum || a.fn == aggregate_fn::avg
                                                ? "a number or a duration" : "a number, duration, time or clock";
      error_at(diag_code::type_mismatch, ast::begin_of(c.args[0]), fmt::format("{}() needs {}, got {}", f, need, to_string(x.type)));
      return failed();
    }
    if (!is_cond) a.type = x.type;
  }
  // The same aggregate written twice (`when: count() < 2`, `times: 2 - count()`) is one.
  std::size_t slot = 0;
  while (slot < aggs_->size() && !((*aggs_)[slot].fn == a.fn && (*aggs_)[slot].text == a.text)) ++slot;
  if (slot == aggs_->size()) aggs_->push_back(std::move(a));
  program_node n;
  n.op = opcode::field;
  n.type = (*aggs_)[slot].type;
  n.slot = static_cast<std::uint32_t>(slot);
  n.offset = static_cast<std::uint32_t>(at);
  typed t;
  t.node = emit(n, {});
  t.type = n.type;
  return t;
}

}  // namespace decorum::detail
