// decorum/syntax/ast.hpp — entry point: `ast::expr`. The abstract syntax tree of the
// expression language (SPEC §2) as the X3 grammar produces it. Every node that can be
// blamed in a diagnostic is position_tagged; the grammar stores byte offsets into the
// expression text in id_first/id_last so the tree carries its own positions.
#pragma once

#include <boost/fusion/include/adapt_struct.hpp>
#include <boost/spirit/home/x3/support/ast/position_tagged.hpp>
#include <boost/spirit/home/x3/support/ast/variant.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace decorum::syntax::ast {

namespace x3 = boost::spirit::x3;

/// Operators, both symbolic and keyword spellings map to one token.
enum class op : std::uint8_t {
  or_, and_, not_, eq, ne, lt, le, gt, ge, in, not_in, add, sub, mul, div, mod, neg
};

/// Byte offsets [first, last) of a tagged node inside its expression text.
inline std::size_t begin_of(const x3::position_tagged& n) noexcept { return static_cast<std::size_t>(n.id_first); }
/// See begin_of.
inline std::size_t end_of(const x3::position_tagged& n) noexcept { return static_cast<std::size_t>(n.id_last); }

/// The empty alternative, needed by x3::variant's default constructor.
struct nil {};
/// `12`, `2.5`: kept as written; the checker turns it into an exact decimal.
struct number_lit : x3::position_tagged { std::string text; };
/// `"..."` or `'...'`, escapes already decoded.
struct string_lit : x3::position_tagged { std::string value; };
/// `true` / `false`.
struct bool_lit : x3::position_tagged { bool value = false; };
/// `90s`, `5m`, `2h`, `1d`, `1h30m`: kept as written.
struct duration_lit : x3::position_tagged { std::string text; };
/// `08:00`, `17:30`: kept as written.
struct clock_lit : x3::position_tagged { std::string text; };
/// `rings`, `phrases.greeting`: dotted names.
struct path : x3::position_tagged { std::vector<std::string> names; };

struct expr;
struct unary;
struct call;
struct list_lit;

/// Anything that can stand as an operand of an operator.
struct operand
    : x3::variant<nil, number_lit, string_lit, bool_lit, duration_lit, clock_lit, path, x3::forward_ast<call>,
                  x3::forward_ast<list_lit>, x3::forward_ast<unary>, x3::forward_ast<expr>> {
  using base_type::base_type;
  using base_type::operator=;
};

/// `op rhs` following the first operand of a chain.
struct operation : x3::position_tagged {
  ast::op op = ast::op::add;
  operand rhs;
};

/// One precedence level: `first (op rhs)*`, kept flat so long chains (`a + b + … `) do
/// not turn into deep recursion in later stages.
struct expr : x3::position_tagged {
  operand first;
  std::vector<operation> rest;
};

/// `-x`, `not x`, `!x`.
struct unary : x3::position_tagged {
  ast::op op = ast::op::neg;
  operand rhs;
};

/// `name(args…)`.
struct call : x3::position_tagged {
  std::string name;
  std::vector<expr> args;
};

/// `[a, b, c]`.
struct list_lit : x3::position_tagged { std::vector<expr> items; };

}  // namespace decorum::syntax::ast

BOOST_FUSION_ADAPT_STRUCT(decorum::syntax::ast::operation, op, rhs)
BOOST_FUSION_ADAPT_STRUCT(decorum::syntax::ast::expr, first, rest)
BOOST_FUSION_ADAPT_STRUCT(decorum::syntax::ast::unary, op, rhs)
BOOST_FUSION_ADAPT_STRUCT(decorum::syntax::ast::call, name, args)
