// tests/syntax/test_syntax.cpp — doctest cases "syntax: …". The expression grammar of SPEC §2:
// every production (or/||, and/&&, not/!, each comparison, in / not in with a list and a
// path, + - * / %, unary -, numbers, both string quotes with their escapes, true/false,
// durations, clocks, lists, calls with 0..3 arguments, dotted paths, parentheses, precedence
// and associativity) pinned with syntax::dump including byte offsets; every parse error with
// its exact byte offset and message; the nesting guard (parentheses, brackets, `not not …`,
// `- - …`) refusing deep input with an error, never a crash. Offsets are counted by hand.
#include "decorum/syntax/dump.hpp"
#include "decorum/syntax/grammar.hpp"

#include <doctest/doctest.h>

#include <cstddef>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "support/test_util.hpp"

namespace syntax = decorum::syntax;
namespace ast = decorum::syntax::ast;

namespace {

/// The dump of a successful parse, or "error @N: message" so a table row is one comparison.
std::string parse_dump(std::string_view text) {
  syntax::parse_result r = syntax::parse_expression(text);
  if (r.root) return syntax::dump(*r.root);
  if (r.error) return "error @" + std::to_string(r.error->offset) + ": " + r.error->message;
  return "neither a tree nor an error";
}

std::string err(std::size_t offset, std::string_view message) {
  return "error @" + std::to_string(offset) + ": " + std::string(message);
}

using decorum::test::repeat;

struct tree_row {
  std::string_view text;
  std::string_view dump;
};

struct error_row {
  std::string_view text;
  std::size_t offset;
  std::string_view message;
};

void check_trees(const std::vector<tree_row>& rows) {
  for (const auto& row : rows) {
    CAPTURE(row.text);
    CHECK(parse_dump(row.text) == row.dump);
  }
}

void check_errors(const std::vector<error_row>& rows) {
  for (const auto& row : rows) {
    CAPTURE(row.text);
    CHECK(parse_dump(row.text) == err(row.offset, row.message));
  }
}

}  // namespace

TEST_CASE("syntax: or and and, both spellings") {
  check_trees({
      {"a or b", "(or (path a @0) (path b @5))"},
      {"a || b", "(or (path a @0) (path b @5))"},
      {"a||b", "(or (path a @0) (path b @3))"},
      {"a and b", "(and (path a @0) (path b @6))"},
      {"a && b", "(and (path a @0) (path b @5))"},
      {"a&&b", "(and (path a @0) (path b @3))"},
      {"a or b or c", "(or (or (path a @0) (path b @5)) (path c @10))"},
      {"a and b and c", "(and (and (path a @0) (path b @6)) (path c @12))"},
      {"a || b or c", "(or (or (path a @0) (path b @5)) (path c @10))"},
  });
}

TEST_CASE("syntax: not and !") {
  check_trees({
      {"not a", "(not (path a @4))"},
      {"!a", "(not (path a @1))"},
      {"! a", "(not (path a @2))"},
      {"not not a", "(not (not (path a @8)))"},
      {"!!a", "(not (not (path a @2)))"},
      {"not !a", "(not (not (path a @5)))"},
      {"not(a)", "(not (path a @4))"},
      // `not` binds looser than a comparison, for both spellings (SPEC: not := "not" not | compare).
      {"not a == b", "(not (== (path a @4) (path b @9)))"},
      {"!a == b", "(not (== (path a @1) (path b @6)))"},
      // `!=` is a comparison, never `!` followed by `=`.
      {"a != b", "(!= (path a @0) (path b @5))"},
  });
}

TEST_CASE("syntax: each comparison") {
  check_trees({
      {"a == 1", "(== (path a @0) (num 1 @5))"},
      {"a != 1", "(!= (path a @0) (num 1 @5))"},
      {"a < 1", "(< (path a @0) (num 1 @4))"},
      {"a <= 1", "(<= (path a @0) (num 1 @5))"},
      {"a > 1", "(> (path a @0) (num 1 @4))"},
      {"a >= 1", "(>= (path a @0) (num 1 @5))"},
      {"a==1", "(== (path a @0) (num 1 @3))"},
      {"a!=b", "(!= (path a @0) (path b @3))"},
      {"a<=b", "(<= (path a @0) (path b @3))"},
      {"a>=b", "(>= (path a @0) (path b @3))"},
      {"a<b", "(< (path a @0) (path b @2))"},
      {"a>b", "(> (path a @0) (path b @2))"},
      {"rings > 3", "(> (path rings @0) (num 3 @8))"},
  });
}

TEST_CASE("syntax: in and not in, with a list and with a path") {
  check_trees({
      {"a in [1, 2]", "(in (path a @0) (list (num 1 @6) (num 2 @9) @5))"},
      {"a not in [1]", "(not in (path a @0) (list (num 1 @10) @9))"},
      {"a in phrases.x", "(in (path a @0) (path phrases.x @5))"},
      {"a not in phrases.x", "(not in (path a @0) (path phrases.x @9))"},
      {"a in [\"x\", 'y', b]", "(in (path a @0) (list (str \"x\" @6) (str \"y\" @11) (path b @16) @5))"},
      {"a in[1]", "(in (path a @0) (list (num 1 @5) @4))"},
      {"a + b in [1]", "(in (+ (path a @0) (path b @4)) (list (num 1 @10) @9))"},
      {"x in [1] and y", "(and (in (path x @0) (list (num 1 @6) @5)) (path y @13))"},
      {"not x in [1]", "(not (in (path x @4) (list (num 1 @10) @9)))"},
      // `in`/`not` as word prefixes are names, not keywords.
      {"inside in [1]", "(in (path inside @0) (list (num 1 @11) @10))"},
      {"nothing in [1]", "(in (path nothing @0) (list (num 1 @12) @11))"},
  });
}

TEST_CASE("syntax: arithmetic and unary minus") {
  check_trees({
      {"1 + 2", "(+ (num 1 @0) (num 2 @4))"},
      {"1 - 2", "(- (num 1 @0) (num 2 @4))"},
      {"2 * 3", "(* (num 2 @0) (num 3 @4))"},
      {"6 / 3", "(/ (num 6 @0) (num 3 @4))"},
      {"7 % 3", "(% (num 7 @0) (num 3 @4))"},
      {"1+2", "(+ (num 1 @0) (num 2 @2))"},
      {"-x", "(neg (path x @1))"},
      {"- x", "(neg (path x @2))"},
      {"-1", "(neg (num 1 @1))"},
      {"- - x", "(neg (neg (path x @4)))"},
      {"--x", "(neg (neg (path x @2)))"},
      {"1 - -1", "(- (num 1 @0) (neg (num 1 @5)))"},
      {"1--1", "(- (num 1 @0) (neg (num 1 @3)))"},
      {"-(a + b)", "(neg (+ (path a @2) (path b @6)))"},
  });
}

TEST_CASE("syntax: numbers, booleans and names that start like keywords") {
  check_trees({
      {"12", "(num 12 @0)"},
      {"2.5", "(num 2.5 @0)"},
      {"0.25", "(num 0.25 @0)"},
      {"007", "(num 007 @0)"},
      {"true", "(bool true @0)"},
      {"false", "(bool false @0)"},
      {"truex", "(path truex @0)"},
      {"true_", "(path true_ @0)"},
      {"false1", "(path false1 @0)"},
      {"order", "(path order @0)"},
      {"android", "(path android @0)"},
      {"notable", "(path notable @0)"},
      {"infix", "(path infix @0)"},
      {"x == true", "(== (path x @0) (bool true @5))"},
  });
}

TEST_CASE("syntax: strings in both quotes with escapes") {
  check_trees({
      {"\"abc\"", "(str \"abc\" @0)"},
      {"'abc'", "(str \"abc\" @0)"},
      {"\"\"", "(str \"\" @0)"},
      {"''", "(str \"\" @0)"},
      {"\"a\\\"b\"", "(str \"a\"b\" @0)"},           // "a\"b"   → a"b
      {"'it\\'s'", "(str \"it's\" @0)"},             // 'it\'s'  → it's
      {"\"back\\\\slash\"", "(str \"back\\slash\" @0)"},  // "back\\slash" → back\slash
      {"'a\\\\b'", "(str \"a\\b\" @0)"},             // 'a\\b'   → a\b
      {"\"line\\nbreak\"", "(str \"line\nbreak\" @0)"},  // \n → a real line feed
      {"'tab\\there'", "(str \"tab\there\" @0)"},    // \t → a real tab
      {"\"a\\'b\"", "(str \"a'b\" @0)"},             // \' is accepted inside "…" too
      {"'a\\\"b'", "(str \"a\"b\" @0)"},             // and \" inside '…'
      {"'a\"b'", "(str \"a\"b\" @0)"},               // the other quote needs no escape
      {"\"a'b\"", "(str \"a'b\" @0)"},
      {"\"您好\"", "(str \"您好\" @0)"},
      // Offsets are bytes: "您好" is 2 × 3 bytes plus two quotes.
      {"\"您好\" == x", "(== (str \"您好\" @0) (path x @12))"},
      {"x == '  spaced  '", "(== (path x @0) (str \"  spaced  \" @5))"},
      {"\"a # not a comment\"", "(str \"a # not a comment\" @0)"},
  });
}

TEST_CASE("syntax: durations") {
  check_trees({
      {"90s", "(dur 90s @0)"},
      {"5m", "(dur 5m @0)"},
      {"2h", "(dur 2h @0)"},
      {"1d", "(dur 1d @0)"},
      {"1h30m", "(dur 1h30m @0)"},
      {"1d2h3m4s", "(dur 1d2h3m4s @0)"},
      {"0.5s", "(dur 0.5s @0)"},
      {"1.5h", "(dur 1.5h @0)"},
      {"x > 5m", "(> (path x @0) (dur 5m @4))"},
  });
}

TEST_CASE("syntax: clocks") {
  check_trees({
      {"08:00", "(clock 08:00 @0)"},
      {"8:00", "(clock 8:00 @0)"},
      {"17:30", "(clock 17:30 @0)"},
      {"17:30:15", "(clock 17:30:15 @0)"},
      {"23:59", "(clock 23:59 @0)"},
      {"c >= 8:00", "(>= (path c @0) (clock 8:00 @5))"},
  });
}

TEST_CASE("syntax: lists") {
  check_trees({
      {"[1]", "(list (num 1 @1) @0)"},
      {"[1, \"a\", x]", "(list (num 1 @1) (str \"a\" @4) (path x @9) @0)"},
      {"[ 1 ,2 ]", "(list (num 1 @2) (num 2 @5) @0)"},
      {"[[1]]", "(list (list (num 1 @2) @1) @0)"},
      {"[1 + 2, -x]", "(list (+ (num 1 @1) (num 2 @5)) (neg (path x @9)) @0)"},
      {"[5m, 08:00, true]", "(list (dur 5m @1) (clock 08:00 @5) (bool true @12) @0)"},
  });
}

TEST_CASE("syntax: calls with zero to three arguments") {
  check_trees({
      {"f()", "(call f @0)"},
      {"f( )", "(call f @0)"},
      {"f(1)", "(call f (num 1 @2) @0)"},
      {"f(1, 2)", "(call f (num 1 @2) (num 2 @5) @0)"},
      {"f(a, b, c)", "(call f (path a @2) (path b @5) (path c @8) @0)"},
      {"f(a,b,c)", "(call f (path a @2) (path b @4) (path c @6) @0)"},
      {"contains(text, phrases.forbidden)", "(call contains (path text @9) (path phrases.forbidden @15) @0)"},
      {"max(abs(x), 1)", "(call max (call abs (path x @8) @4) (num 1 @12) @0)"},
      {"if(a, b, c)", "(call if (path a @3) (path b @6) (path c @9) @0)"},
      {"between(clock(time), 22:00, 6:00)",
       "(call between (call clock (path time @14) @8) (clock 22:00 @21) (clock 6:00 @28) @0)"},
      {"len(x) > 3", "(> (call len (path x @4) @0) (num 3 @9))"},
      {"f(a or b)", "(call f (or (path a @2) (path b @7)) @0)"},
  });
}

TEST_CASE("syntax: dotted paths") {
  check_trees({
      {"a", "(path a @0)"},
      {"a.b", "(path a.b @0)"},
      {"a.b.c", "(path a.b.c @0)"},
      {"phrases.greeting", "(path phrases.greeting @0)"},
      {"_x", "(path _x @0)"},
      {"x1_y", "(path x1_y @0)"},
      {"nail_length_mm > 2", "(> (path nail_length_mm @0) (num 2 @17))"},
  });
}

TEST_CASE("syntax: parentheses") {
  check_trees({
      {"(a)", "(path a @1)"},
      {"((1))", "(num 1 @2)"},
      {"( a )", "(path a @2)"},
      {"(1 + 2) * 3", "(* (+ (num 1 @1) (num 2 @5)) (num 3 @10))"},
      {"1 * (2 + 3)", "(* (num 1 @0) (+ (num 2 @5) (num 3 @9)))"},
      {"(a or b) and c", "(and (or (path a @1) (path b @6)) (path c @13))"},
      {"1 - (2 - 3)", "(- (num 1 @0) (- (num 2 @5) (num 3 @9)))"},
      {"(25 - arrears_rate_pct) * 1000",
       "(* (- (num 25 @1) (path arrears_rate_pct @6)) (num 1000 @26))"},
  });
}

TEST_CASE("syntax: precedence") {
  check_trees({
      {"1 + 2 * 3", "(+ (num 1 @0) (* (num 2 @4) (num 3 @8)))"},
      {"1 * 2 + 3", "(+ (* (num 1 @0) (num 2 @4)) (num 3 @8))"},
      {"1 + 6 / 3", "(+ (num 1 @0) (/ (num 6 @4) (num 3 @8)))"},
      {"1 - 7 % 3", "(- (num 1 @0) (% (num 7 @4) (num 3 @8)))"},
      {"-a * b", "(* (neg (path a @1)) (path b @5))"},
      {"-a + b", "(+ (neg (path a @1)) (path b @5))"},
      {"a + b > c * d", "(> (+ (path a @0) (path b @4)) (* (path c @8) (path d @12)))"},
      {"a > b and c < d or e", "(or (and (> (path a @0) (path b @4)) (< (path c @10) (path d @14))) (path e @19))"},
      {"a or b and c", "(or (path a @0) (and (path b @5) (path c @11)))"},
      {"a and b or c", "(or (and (path a @0) (path b @6)) (path c @11))"},
      {"a && b || c && d", "(or (and (path a @0) (path b @5)) (and (path c @10) (path d @15)))"},
      {"not a and b", "(and (not (path a @4)) (path b @10))"},
      {"a and not b or c", "(or (and (path a @0) (not (path b @10))) (path c @15))"},
      {"!a && !b", "(and (not (path a @1)) (not (path b @7)))"},
      {"not a or not b", "(or (not (path a @4)) (not (path b @13)))"},
  });
}

TEST_CASE("syntax: associativity") {
  check_trees({
      {"1 - 2 - 3", "(- (- (num 1 @0) (num 2 @4)) (num 3 @8))"},
      {"8 / 4 / 2", "(/ (/ (num 8 @0) (num 4 @4)) (num 2 @8))"},
      {"2 * 3 % 4", "(% (* (num 2 @0) (num 3 @4)) (num 4 @8))"},
      {"1 + 2 - 3 + 4", "(+ (- (+ (num 1 @0) (num 2 @4)) (num 3 @8)) (num 4 @12))"},
      {"a or b || c", "(or (or (path a @0) (path b @5)) (path c @10))"},
  });
}

TEST_CASE("syntax: white space between tokens, never inside them") {
  check_trees({
      {"  rings  >  3  ", "(> (path rings @2) (num 3 @12))"},
      {"a\n>\t1", "(> (path a @0) (num 1 @4))"},
      {"\r\na\r\n", "(path a @2)"},
  });
  check_errors({
      {"a = = b", 2, "'=' is not an operator; compare with '=='"},
      {"a < = b", 4, "expected operand, found '='"},
  });
}

namespace {

/// The first level below `e` that has an operator (levels with one operand are transparent).
const ast::expr& first_operator_level(const ast::expr& root) {
  const ast::expr* e = &root;
  while (e->rest.empty()) {
    const auto* inner = boost::get<ast::x3::forward_ast<ast::expr>>(&e->first);
    REQUIRE(inner);
    e = &inner->get();
  }
  return *e;
}

/// The operand itself, below any levels that hold only it.
const ast::operand* strip(const ast::operand& o) {
  const ast::operand* cur = &o;
  while (const auto* inner = boost::get<ast::x3::forward_ast<ast::expr>>(cur)) {
    if (!inner->get().rest.empty()) break;
    cur = &inner->get().first;
  }
  return cur;
}

}  // namespace

TEST_CASE("syntax: operations, unary operators and calls carry their own offsets") {
  // dump() shows operand offsets; a diagnostic about an operator blames the operation's own
  // position (the operator token), checked here on the tree itself.
  struct row {
    std::string_view text;
    ast::op op;
    std::size_t at;  // byte offset of the operator token
  };
  const row rows[] = {
      {"a   ==  b", ast::op::eq, 4},  {"a != b", ast::op::ne, 2},     {"a<b", ast::op::lt, 1},
      {"a  <= b", ast::op::le, 3},    {"a > b", ast::op::gt, 2},      {"a >= b", ast::op::ge, 2},
      {"a in [1]", ast::op::in, 2},   {"a not in [1]", ast::op::not_in, 2},
      {"a   + b", ast::op::add, 4},   {"a - b", ast::op::sub, 2},     {"a * b", ast::op::mul, 2},
      {"a / b", ast::op::div, 2},     {"a % b", ast::op::mod, 2},
  };
  for (const auto& r : rows) {
    CAPTURE(r.text);
    auto parsed = syntax::parse_expression(r.text);
    REQUIRE(parsed.root);
    const ast::expr& level = first_operator_level(*parsed.root);
    REQUIRE(level.rest.size() == 1);
    CHECK(level.rest[0].op == r.op);
    CHECK(ast::begin_of(level.rest[0]) == r.at);
  }
  auto n = syntax::parse_expression("-x * 2");
  REQUIRE(n.root);
  const auto* neg = boost::get<ast::x3::forward_ast<ast::unary>>(strip(first_operator_level(*n.root).first));
  REQUIRE(neg);
  CHECK(ast::begin_of(neg->get()) == 0);
  auto c = syntax::parse_expression("x +  len(y)");
  REQUIRE(c.root);
  const auto* call = boost::get<ast::x3::forward_ast<ast::call>>(strip(first_operator_level(*c.root).rest[0].rhs));
  REQUIRE(call);
  CHECK(ast::begin_of(call->get()) == 5);
  CHECK(ast::end_of(call->get()) == 11);
}

TEST_CASE("syntax: 'and' and 'or' operations carry their offsets") {
  // The or/and operations are parsed inline (`or_op > and_expr`), not by an annotating rule,
  // so their id_first stays -1 and a type error about them is blamed at the end of the text.
  struct row {
    std::string_view text;
    ast::op op;
    std::size_t at;
  };
  const row rows[] = {
      {"a or b", ast::op::or_, 2}, {"a ||  b", ast::op::or_, 2}, {"a  and b", ast::op::and_, 3},
      {"a && b", ast::op::and_, 2}, {"rings  >= 3 or x", ast::op::or_, 12},
  };
  for (const auto& r : rows) {
    CAPTURE(r.text);
    auto parsed = syntax::parse_expression(r.text);
    REQUIRE(parsed.root);
    const ast::expr& level = first_operator_level(*parsed.root);
    REQUIRE(level.rest.size() == 1);
    CHECK(level.rest[0].op == r.op);
    CHECK(ast::begin_of(level.rest[0]) == r.at);
  }
}

TEST_CASE("syntax: long flat chains do not recurse") {
  std::string text = "1" + repeat(" + 1", 100000);
  auto r = syntax::parse_expression(text);
  REQUIRE(r.root);
  // The chain stays flat at the sum level: one operand and 100000 operations.
  const ast::expr& e = first_operator_level(*r.root);
  CHECK(e.rest.size() == 100000);
  CHECK(ast::begin_of(e.rest.back()) == text.size() - 3);
  std::string ors = "a" + repeat(" or a", 50000);
  CHECK(syntax::parse_expression(ors).root.has_value());
}

TEST_CASE("syntax: parse errors name the offending token and its offset") {
  check_errors({
      // empty
      {"", 0, "empty expression"},
      {"   ", 3, "empty expression"},
      // trailing operators
      {"1 +", 3, "expected operand, found end of expression"},
      {"1 + ", 4, "expected operand, found end of expression"},
      {"a *", 3, "expected operand, found end of expression"},
      {"a ==", 4, "expected operand, found end of expression"},
      {"a >= ", 5, "expected operand, found end of expression"},
      {"a and", 5, "expected expression, found end of expression"},
      {"a or", 4, "expected expression, found end of expression"},
      {"a &&", 4, "expected expression, found end of expression"},
      {"a ||", 4, "expected expression, found end of expression"},
      {"not", 3, "expected expression, found end of expression"},
      {"!", 1, "expected expression, found end of expression"},
      {"-", 1, "expected operand, found end of expression"},
      {"a and or b", 6, "expected expression, found 'or'"},
      {"a &&& b", 4, "expected expression, found '&'"},
      {"a <> b", 3, "expected operand, found '>'"},
      {"a == = b", 5, "expected operand, found '='"},
      // unclosed parenthesis / bracket / string
      {"(1", 2, "expected ')', found end of expression"},
      {"(1 + 2", 6, "expected ')', found end of expression"},
      {"((a)", 4, "expected ')', found end of expression"},
      {"(", 1, "expected expression, found end of expression"},
      {"()", 1, "expected expression, found ')'"},
      {"f(1", 3, "expected ')', found end of expression"},
      {"f(1, 2", 6, "expected ')', found end of expression"},
      {"f(1 2)", 4, "expected ')', found '2'"},
      {"[1", 2, "expected ']', found end of expression"},
      {"[1, 2", 5, "expected ']', found end of expression"},
      {"a in [1, 2", 10, "expected ']', found end of expression"},
      {"\"abc", 4, "expected '\"', found end of expression"},
      {"'abc", 4, "expected ''', found end of expression"},
      {"x == \"abc", 9, "expected '\"', found end of expression"},
      // `=` instead of `==`
      {"a = 1", 2, "'=' is not an operator; compare with '=='"},
      {"a=1", 1, "'=' is not an operator; compare with '=='"},
      {"=", 0, "'=' is not an operator; compare with '=='"},
      {"rings = 3 and x", 6, "'=' is not an operator; compare with '=='"},
      // stray tokens
      {"a b", 2, "unexpected 'b'"},
      {"1 2", 2, "unexpected '2'"},
      {"rings > 3 )", 10, "unexpected ')'"},
      {")", 0, "unexpected ')'"},
      {"rings > 3 extra", 10, "unexpected 'extra'"},
      {"a & b", 2, "unexpected '&'"},
      {"a | b", 2, "unexpected '|'"},
      {"3 @ 4", 2, "unexpected '@'"},
      {".x", 0, "unexpected '.'"},
      {"f(a)(b)", 4, "unexpected '('"},
      {"a == b == c", 7, "unexpected '=='"},  // comparisons do not chain
      {"你好", 0, "unexpected '你'"},
      {"x == 你好", 5, "expected operand, found '你'"},
      // keywords are not names
      {"and", 0, "unexpected 'and'"},
      {"or(1)", 0, "unexpected 'or'"},
      {"in > 3", 0, "unexpected 'in'"},
      {"x == in", 5, "expected operand, found 'in'"},
      {"x == not", 5, "expected operand, found 'not'"},
      {"and.x", 0, "unexpected 'and'"},
      {"true(1)", 4, "unexpected '('"},
  });
}

TEST_CASE("syntax: 'in' without a list or a path says what it expects") {
  // The expectation after `in` is an unnamed X3 alternative, so the message shows a mangled
  // C++ type name ("expected N5boost6spirit2x311alternative…"). SPEC §2: in (list | path).
  check_errors({
      {"a in", 4, "expected list or path, found end of expression"},
      {"a in 3", 5, "expected list or path, found '3'"},
      {"a not in 3", 9, "expected list or path, found '3'"},
  });
}

TEST_CASE("syntax: an empty list says an expression is expected") {
  // `'[' > (expression % ',')`: the unnamed list parser leaks its C++ type name.
  check_errors({
      {"[]", 1, "expected expression, found ']'"},
      {"x in []", 6, "expected expression, found ']'"},
  });
}

TEST_CASE("syntax: an unknown escape says an escape sequence is expected") {
  // The escape alternative is unnamed, so the message leaks its C++ type name.
  check_errors({
      {"\"ab\\q\"", 4, "expected escape sequence, found 'q'"},
      {"'\\x41'", 2, "expected escape sequence, found 'x41'"},
      {"\"ab\\", 4, "expected escape sequence, found end of expression"},
  });
}

TEST_CASE("syntax: no parse error message leaks a C++ type name") {
  for (std::string_view text : {"a in", "a in 3", "[]", "\"\\q\"", "x not in 5"}) {
    CAPTURE(text);
    auto r = syntax::parse_expression(text);
    REQUIRE(r.error);
    CHECK(r.error->message.find("boost") == std::string::npos);
    CHECK(r.error->message.size() < 80);
  }
}

TEST_CASE("syntax: nesting up to max_nesting parses") {
  static_assert(syntax::max_nesting == 64);
  CHECK(parse_dump(repeat("(", 64) + "1" + repeat(")", 64)) == "(num 1 @64)");
  CHECK(parse_dump(repeat("[", 64) + "1" + repeat("]", 64)).rfind("(list (list", 0) == 0);
  CHECK(parse_dump(repeat("!", 64) + "a") == repeat("(not ", 64) + "(path a @64)" + repeat(")", 64));
  CHECK(parse_dump(repeat("not ", 64) + "a") == repeat("(not ", 64) + "(path a @256)" + repeat(")", 64));
  CHECK(parse_dump(repeat("- ", 64) + "1") == repeat("(neg ", 64) + "(num 1 @128)" + repeat(")", 64));
  // A binary minus after an operand is not a prefix: 1 binary + 64 prefixes.
  CHECK(parse_dump("a " + repeat("- ", 65) + "1") ==
        "(- (path a @0) " + repeat("(neg ", 64) + "(num 1 @132)" + repeat(")", 64) + ")");
  // Sibling groups do not add up: depth is what counts.
  CHECK(parse_dump(repeat("(1) + ", 100) + "1").rfind("(+ (+", 0) == 0);
}

TEST_CASE("syntax: nesting beyond max_nesting is an error, never a crash") {
  const std::string msg = "expression nested deeper than 64 levels";
  struct row {
    std::string text;
    std::size_t offset;
  };
  const std::vector<row> rows = {
      {repeat("(", 65) + "1" + repeat(")", 65), 64},                 // the 65th '('
      {repeat("[", 65) + "1" + repeat("]", 65), 64},                 // the 65th '['
      {"x in " + repeat("[", 65), 69},                               // 5 + 64
      {repeat("!", 65) + "a", 64},                                   // the 65th '!'
      {repeat("-", 65) + "1", 64},                                   // the 65th '-'
      {repeat("- ", 65) + "1", 128},                                 // "- " × 64 = 128 bytes
      {repeat("f(", 65) + repeat(")", 65), 129},                     // the 65th '(' at 2×64+1
      {repeat("-(", 33) + "1" + repeat(")", 33), 64},                // 32 '(' + 33 '-' = 65
      {repeat("(", 10000) + "1" + repeat(")", 10000), 64},
      {repeat("(", 10000), 64},
      {repeat("-", 10000) + "1", 64},
      {repeat("!", 10000) + "a", 64},
      {repeat("[", 10000) + "1" + repeat("]", 10000), 64},
  };
  for (const auto& r : rows) {
    CAPTURE(r.text.substr(0, 40));
    CHECK(parse_dump(r.text) == err(r.offset, msg));
  }
  // Brackets inside a string do not nest.
  CHECK(parse_dump("\"" + repeat("(", 100)) == err(101, "expected '\"', found end of expression"));
  CHECK(parse_dump("x == \"" + repeat("(", 100) + "\"") == "(== (path x @0) (str \"" + repeat("(", 100) + "\" @5))");
}

TEST_CASE("syntax: nesting error on 'not not …' points at the offending 'not'") {
  // check_nesting advances past "not" before reporting, so the offset lands on its 't'.
  const std::string msg = "expression nested deeper than 64 levels";
  CHECK(parse_dump(repeat("not ", 65) + "a") == err(256, msg));       // the 65th "not" starts at 4×64
  CHECK(parse_dump(repeat("not ", 10000) + "a") == err(256, msg));
  CHECK(parse_dump(repeat("not(", 33) + "a" + repeat(")", 33)) == err(128, msg));  // 32 '(' + 33 not
}

TEST_CASE("syntax: random input never throws and never crashes") {
  // Token soup with a fixed seed: every parse ends in a tree or an error inside the text.
  const std::vector<std::string_view> tokens = {
      "a", "b.c", "1", "2.5", "5m", "08:00", "\"s\"", "'t'", "\"", "'", "\\", "(", ")", "[", "]", ",",
      "+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "=", "!", "not", "and", "or", "in",
      "&&", "||", "true", "false", "f(", "phrases.x", " ", "你", "\n", "@", "&", "|", ".", ":"};
  std::mt19937 rng(20261103);
  std::uniform_int_distribution<std::size_t> pick(0, tokens.size() - 1);
  std::uniform_int_distribution<int> len(0, 24);
  int trees = 0, errors = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    for (int n = len(rng); n > 0; --n) text += tokens[pick(rng)];
    syntax::parse_result r;
    CHECK_NOTHROW(r = syntax::parse_expression(text));
    if (r.root) {
      ++trees;
      CHECK_FALSE(r.error);
    } else {
      ++errors;
      REQUIRE(r.error);
      CHECK(r.error->offset <= text.size());
      CHECK_FALSE(r.error->message.empty());
    }
  }
  CHECK(trees > 0);
  CHECK(errors > 0);
}
