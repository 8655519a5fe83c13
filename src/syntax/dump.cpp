// src/syntax/dump.cpp — entry point: syntax::dump. A readable rendering of the AST for tests.
#include "decorum/syntax/dump.hpp"

#include <fmt/format.h>

namespace decorum::syntax {

std::string_view op_name(ast::op o) noexcept {
  using ast::op;
  switch (o) {
    case op::or_: return "or";
    case op::and_: return "and";
    case op::not_: return "not";
    case op::eq: return "==";
    case op::ne: return "!=";
    case op::lt: return "<";
    case op::le: return "<=";
    case op::gt: return ">";
    case op::ge: return ">=";
    case op::in: return "in";
    case op::not_in: return "not in";
    case op::add: return "+";
    case op::sub: return "-";
    case op::mul: return "*";
    case op::div: return "/";
    case op::mod: return "%";
    case op::neg: return "neg";
  }
  return "?";
}

namespace {

struct dumper {
  using result_type = void;
  std::string out;

  void operator()(const ast::nil&) { out += "nil"; }
  void operator()(const ast::number_lit& n) { out += fmt::format("(num {} @{})", n.text, n.id_first); }
  void operator()(const ast::string_lit& n) { out += fmt::format("(str \"{}\" @{})", n.value, n.id_first); }
  void operator()(const ast::bool_lit& n) { out += fmt::format("(bool {} @{})", n.value, n.id_first); }
  void operator()(const ast::duration_lit& n) { out += fmt::format("(dur {} @{})", n.text, n.id_first); }
  void operator()(const ast::clock_lit& n) { out += fmt::format("(clock {} @{})", n.text, n.id_first); }
  void operator()(const ast::path& n) { out += fmt::format("(path {} @{})", fmt::join(n.names, "."), n.id_first); }
  void operator()(const ast::call& n) {
    out += fmt::format("(call {}", n.name);
    for (const auto& a : n.args) {
      out += ' ';
      (*this)(a);
    }
    out += fmt::format(" @{})", n.id_first);
  }
  void operator()(const ast::list_lit& n) {
    out += "(list";
    for (const auto& a : n.items) {
      out += ' ';
      (*this)(a);
    }
    out += fmt::format(" @{})", n.id_first);
  }
  void operator()(const ast::unary& n) {
    out += fmt::format("({} ", op_name(n.op));
    n.rhs.apply_visitor(*this);
    out += ')';
  }
  void operator()(const ast::expr& e) {
    // Single-operand levels are transparent: only real operators show up.
    for (std::size_t i = 0; i < e.rest.size(); ++i) out += fmt::format("({} ", op_name(e.rest[e.rest.size() - 1 - i].op));
    e.first.apply_visitor(*this);
    for (const auto& r : e.rest) {
      out += ' ';
      r.rhs.apply_visitor(*this);
      out += ')';
    }
  }
};

}  // namespace

std::string dump(const ast::expr& e) {
  dumper d;
  d(e);
  return d.out;
}

}  // namespace decorum::syntax
