// decorum/syntax/detail/grammar_def.hpp — entry point: the rule `expression`. Defines the
// X3 grammar of SPEC §2; included by src/syntax/grammar.cpp only, which instantiates it once.
// Rules carry human names ("expression", "')'") because X3 reports the name of the rule
// an expectation failed on, and that name becomes the diagnostic's "expected …".
#pragma once

#include "decorum/syntax/grammar.hpp"

#include <boost/spirit/home/x3.hpp>

namespace decorum::syntax::parser {

namespace x3 = boost::spirit::x3;
using x3::lexeme;
using x3::lit;
using x3::ascii::alnum;
using x3::ascii::alpha;
using x3::ascii::char_;
using x3::ascii::digit;

/// Stores byte offsets of every successfully parsed tagged node in the node itself.
struct annotate {
  template <typename Iterator, typename Context, typename Attr>
  void on_success(Iterator const& first, Iterator const& last, Attr& node, Context const& ctx) const {
    if constexpr (std::is_base_of_v<x3::position_tagged, Attr>) {
      const char* begin = x3::get<text_begin_tag>(ctx).begin;
      node.id_first = static_cast<int>(first - begin);
      node.id_last = static_cast<int>(last - begin);
    }
  }
};

struct expression_class : annotate {};
struct or_operation_class : annotate {};
struct and_operation_class : annotate {};
struct in_rhs_class;
struct list_items_class;
struct escape_class;
struct and_class : annotate {};
struct not_class;
struct unary_not_class : annotate {};
struct compare_class : annotate {};
struct compare_operation_class : annotate {};
struct in_operation_class : annotate {};
struct sum_class : annotate {};
struct sum_operation_class : annotate {};
struct product_class : annotate {};
struct product_operation_class : annotate {};
struct unary_class;
struct negate_class : annotate {};
struct primary_class;
struct number_class : annotate {};
struct string_class : annotate {};
struct bool_class : annotate {};
struct duration_class : annotate {};
struct clock_class : annotate {};
struct path_class : annotate {};
struct call_class : annotate {};
struct list_class : annotate {};
struct name_class;
struct string_body_class;

x3::rule<and_class, ast::expr> const and_expr = "expression";
x3::rule<or_operation_class, ast::operation> const or_operation = "expression";
x3::rule<and_operation_class, ast::operation> const and_operation = "expression";
x3::rule<in_rhs_class, ast::operand> const in_rhs = "list or path";
x3::rule<list_items_class, std::vector<ast::expr>> const list_items = "expression";
x3::rule<escape_class, char> const escape = "escape sequence";
x3::rule<not_class, ast::operand> const not_expr = "expression";
x3::rule<unary_not_class, ast::unary> const unary_not = "expression";
x3::rule<compare_class, ast::expr> const compare_expr = "expression";
x3::rule<compare_operation_class, ast::operation> const compare_operation = "comparison";
x3::rule<in_operation_class, ast::operation> const in_operation = "'in'";
x3::rule<sum_class, ast::expr> const sum_expr = "operand";
x3::rule<sum_operation_class, ast::operation> const sum_operation = "operand";
x3::rule<product_class, ast::expr> const product_expr = "operand";
x3::rule<product_operation_class, ast::operation> const product_operation = "operand";
x3::rule<unary_class, ast::operand> const unary_expr = "operand";
x3::rule<negate_class, ast::unary> const negate = "operand";
x3::rule<primary_class, ast::operand> const primary = "operand";
struct number_inner_class;
x3::rule<number_inner_class, ast::number_lit> const number_inner = "number";
x3::rule<number_class, ast::number_lit> const number = "number";
struct string_inner_class;
x3::rule<string_inner_class, ast::string_lit> const string_inner = "string";
x3::rule<string_class, ast::string_lit> const string = "string";
x3::rule<string_body_class, std::string> const string_body = "string";
struct boolean_inner_class;
x3::rule<boolean_inner_class, ast::bool_lit> const boolean_inner = "boolean";
x3::rule<bool_class, ast::bool_lit> const boolean = "boolean";
struct duration_inner_class;
x3::rule<duration_inner_class, ast::duration_lit> const duration_inner = "duration";
x3::rule<duration_class, ast::duration_lit> const duration = "duration";
struct clock_inner_class;
x3::rule<clock_inner_class, ast::clock_lit> const clock_inner = "clock";
x3::rule<clock_class, ast::clock_lit> const clock = "clock";
struct path_inner_class;
x3::rule<path_inner_class, ast::path> const path_inner = "path";
x3::rule<path_class, ast::path> const path = "name";
x3::rule<call_class, ast::call> const call = "call";
struct list_inner_class;
x3::rule<list_inner_class, ast::list_lit> const list_inner = "list";
x3::rule<list_class, ast::list_lit> const list = "list";
x3::rule<name_class, std::string> const name = "name";
expression_type const expression = "expression";

/// A keyword matches only as a whole word: `order` is a name, not `or` + `der`.
inline auto kw(char const* word) { return lexeme[lit(word) >> !(alnum | '_')]; }

auto const keyword = kw("and") | kw("or") | kw("not") | kw("in") | kw("true") | kw("false");

auto const or_op = (kw("or") | lit("||")) >> x3::attr(ast::op::or_);
auto const and_op = (kw("and") | lit("&&")) >> x3::attr(ast::op::and_);
auto const not_op = (kw("not") | (lit('!') >> !lit('='))) >> x3::attr(ast::op::not_);

struct compare_symbols : x3::symbols<ast::op> {
  compare_symbols() {
    add("==", ast::op::eq)("!=", ast::op::ne)("<", ast::op::lt)("<=", ast::op::le)(">", ast::op::gt)(">=", ast::op::ge);
  }
} const compare_op;

auto const in_op = (kw("not") >> kw("in") >> x3::attr(ast::op::not_in)) | (kw("in") >> x3::attr(ast::op::in));
auto const add_op = (lit('+') >> x3::attr(ast::op::add)) | (lit('-') >> x3::attr(ast::op::sub));
auto const mul_op = (lit('*') >> x3::attr(ast::op::mul)) | (lit('/') >> x3::attr(ast::op::div)) |
                    (lit('%') >> x3::attr(ast::op::mod));

auto const expression_def = and_expr >> *or_operation;
auto const or_operation_def = or_op > and_expr;
auto const and_expr_def = not_expr >> *and_operation;
auto const and_operation_def = and_op > not_expr;
auto const not_expr_def = unary_not | compare_expr;
auto const unary_not_def = not_op > not_expr;
auto const compare_expr_def = sum_expr >> x3::repeat(0, 1)[compare_operation | in_operation];
auto const compare_operation_def = compare_op > sum_expr;
auto const in_operation_def = in_op > in_rhs;
auto const in_rhs_def = list | path;
auto const sum_expr_def = product_expr >> *sum_operation;
auto const sum_operation_def = add_op > product_expr;
auto const product_expr_def = unary_expr >> *product_operation;
auto const product_operation_def = mul_op > unary_expr;
auto const unary_expr_def = negate | primary;
auto const negate_def = (lit('-') >> x3::attr(ast::op::neg)) > unary_expr;

auto const set_text = [](auto& ctx) {
  auto const& r = x3::_attr(ctx);
  x3::_val(ctx).text.assign(r.begin(), r.end());
};
auto const number_inner_def = x3::raw[lexeme[+digit >> -('.' >> +digit) >> !(alpha | '_' | ':')]][set_text];
auto const duration_inner_def =
    x3::raw[lexeme[+(+digit >> -('.' >> +digit) >> char_("smhd")) >> !(alnum | '_')]][set_text];
auto const clock_inner_def = x3::raw[lexeme[digit >> -digit >> ':' >> digit >> digit >> -(':' >> digit >> digit) >>
                                      !(alnum | '_')]][set_text];

auto const escape_def = char_('"') | char_('\'') | char_('\\') | (lit('n') >> x3::attr('\n')) | (lit('t') >> x3::attr('\t'));
auto const string_body_def =
    lexeme[('"' > *((lit('\\') > escape) | ~char_("\"\\")) > '"') | ('\'' > *((lit('\\') > escape) | ~char_("'\\")) > '\'')];
auto const string_inner_def = string_body[([](auto& ctx) { x3::_val(ctx).value = x3::_attr(ctx); })];
auto const boolean_inner_def = kw("true")[([](auto& ctx) { x3::_val(ctx).value = true; })] |
                         kw("false")[([](auto& ctx) { x3::_val(ctx).value = false; })];

auto const name_def = lexeme[(alpha | char_('_')) >> *(alnum | char_('_'))] - keyword;
auto const path_inner_def = (name % '.')[([](auto& ctx) { x3::_val(ctx).names = x3::_attr(ctx); })];
auto const call_def = (name >> '(' >> -(expression % ',')) > ')';
auto const list_items_def = expression % ',';
auto const list_inner_def = ('[' > list_items > ']')[([](auto& ctx) { x3::_val(ctx).items = x3::_attr(ctx); })];

auto const primary_def = clock | duration | number | string | boolean | list | call | path | ('(' > expression > ')');

// Tagged wrappers: a rule whose body has a semantic action hands on_success no attribute,
// so the actions live in the *_inner rules and these outer rules carry the positions.
auto const number_def = number_inner;
auto const string_def = string_inner;
auto const boolean_def = boolean_inner;
auto const duration_def = duration_inner;
auto const clock_def = clock_inner;
auto const path_def = path_inner;
auto const list_def = list_inner;

BOOST_SPIRIT_DEFINE(expression, and_expr, not_expr, unary_not, compare_expr, compare_operation, in_operation,
                    sum_expr, sum_operation, product_expr, product_operation, unary_expr, negate, primary, number,
                    string, string_body, boolean, duration, clock, path, call, list, name, number_inner, string_inner,
                    boolean_inner, duration_inner, clock_inner, path_inner, list_inner, or_operation, and_operation,
                    in_rhs, list_items, escape)

}  // namespace decorum::syntax::parser
