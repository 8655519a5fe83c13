// tests/check/test_check.cpp — doctest cases "check: …". The type checker and compiler of SPEC §2
// and the `check` warnings of SPEC §6, seen the way a rule author sees them: a small
// rulebook as text goes through compile_rulebook("t.yaml", …) and the exact diagnostics
// (severity, line, column, message) are compared. Covers every type rule (unknown field and
// phrase set, phrases.X as a value, enum literals, text vs number, ordering, and/or/not,
// arithmetic, each function's arity and argument types, unknown functions, when/times/points/
// deduct/bonus/fine types, lists outside `in`), the mapping of expression offsets into plain,
// double-quoted, single-quoted, literal (|) and folded (>) YAML scalars (columns count
// characters, so Chinese text before the error counts one per character), every §6 warning,
// the successful typing of valid expressions, the golden output of `decorum check`, and the
// load errors of rules across records (SPEC §8: keys of the wrong rule form, match fields,
// until/active kinds, per words, aggregates and record fields where they cannot be, `within`).
// Columns were counted by hand: in the standard rulebook below, a `when` expression starts in
// column 12 of line 21, so an error at byte offset k of an ASCII expression is at column 12 + k.
#include "decorum/compile/compile.hpp"
#include "decorum/base/diagnostic.hpp"
#include "decorum/rulebook/load.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "support/test_util.hpp"

using decorum::diagnostic;
using decorum::severity;

namespace {

/// Diagnostics one per line; another file than t.yaml is named as "[file NAME] ".
std::string render(std::vector<diagnostic> ds) {
  return decorum::test::render_diagnostics(std::move(ds), "t.yaml", "[file ");
}

/// Compiles a rulebook text and renders its diagnostics.
std::string diags_of(const std::string& text) {
  std::vector<diagnostic> ds;
  auto rs = decorum::compile_rulebook("t.yaml", text, ds);
  // The result exists exactly when there is no error.
  CHECK(static_cast<bool>(rs) == !decorum::has_errors(ds));
  return render(std::move(ds));
}

std::string e(unsigned line, unsigned col, std::string_view msg) { return decorum::test::diag_line(line, col, msg); }
std::string w(unsigned line, unsigned col, std::string_view msg) {
  return decorum::test::diag_line(line, col, msg, "warning");
}

/// Lines 1–20 of the standard rulebook: one record kind with a field of every type, a phrase
/// set (used by rule g, so it draws no warning), and the start of rule r.
constexpr std::string_view head =
    "decorum: 1\n"                                     // 1
    "name: t\n"                                        // 2
    "records:\n"                                       // 3
    "  call:\n"                                        // 4
    "    rings: int\n"                                 // 5
    "    score: number\n"                              // 6
    "    opening: text\n"                              // 7
    "    private: bool\n"                              // 8
    "    at: time\n"                                   // 9
    "    length: duration\n"                           // 10
    "    badge: [left_chest, elsewhere, missing]\n"    // 11
    "phrases:\n"                                       // 12
    "  greeting: [您好, 早上好]\n"                     // 13
    "rules:\n"                                         // 14
    "  - id: g\n"                                      // 15
    "    on: call\n"                                   // 16
    "    when: contains(opening, phrases.greeting)\n"  // 17
    "    deduct: 1\n"                                  // 18
    "  - id: r\n"                                      // 19
    "    on: call\n";                                  // 20

/// The standard rulebook with line 21 `    KEY: 'EXPR'` (single-quoted, so the expression
/// starts at column 4 + len(KEY) + 4) and, unless KEY is an amount, line 22 `    deduct: 1`.
std::string with(std::string_view key, std::string_view expr) {
  REQUIRE_MESSAGE(expr.find('\'') == std::string_view::npos, "keep ' out of table expressions");
  std::string t(head);
  t += "    " + std::string(key) + ": '" + std::string(expr) + "'\n";
  if (key != "deduct" && key != "bonus" && key != "points") t += "    deduct: 1\n";
  return t;
}

/// One expected error in rule r's `when` on line 21.
struct when_row {
  std::string_view expr;
  unsigned col;
  std::string_view message;
};

void check_when_errors(const std::vector<when_row>& rows) {
  for (const auto& r : rows) {
    CAPTURE(r.expr);
    CHECK(diags_of(with("when", r.expr)) == e(21, r.col, r.message));
  }
}

}  // namespace

TEST_CASE("check: the standard rulebook compiles cleanly") {
  CHECK(diags_of(with("when", "rings > 3")) == "");
  std::vector<diagnostic> ds;
  auto rs = decorum::compile_rulebook("t.yaml", with("when", "rings > 3"), ds);
  REQUIRE(rs);
  REQUIRE(rs->rules().size() == 2);
  CHECK(rs->rules()[1].id == "r");
}

TEST_CASE("check: unknown field, with did-you-mean") {
  check_when_errors({
      {"ring > 3", 12, "unknown field 'ring' for kind 'call'; did you mean 'rings'?"},
      {"foo > 3", 12, "unknown field 'foo' for kind 'call'"},
      {"rings > rngs", 20, "unknown field 'rngs' for kind 'call'; did you mean 'rings'?"},
      {"call.rings > 3", 12, "unknown field 'call.rings' for kind 'call'"},
      {"opening == \"x\" and privat", 31, "unknown field 'privat' for kind 'call'; did you mean 'private'?"},
      {"employe == \"E1\"", 12, "unknown field 'employe' for kind 'call'; did you mean 'employee'?"},
      {"len(openin) > 3", 16, "unknown field 'openin' for kind 'call'; did you mean 'opening'?"},
  });
}

TEST_CASE("check: unknown phrase set, with did-you-mean") {
  check_when_errors({
      {"contains(opening, phrases.greting)", 30, "unknown phrase set 'greting'; did you mean 'greeting'?"},
      {"contains(opening, phrases.forbidden)", 30, "unknown phrase set 'forbidden'"},
      {"opening in phrases.greetings", 23, "unknown phrase set 'greetings'; did you mean 'greeting'?"},
      {"count(opening, phrases.x) > 1", 27, "unknown phrase set 'x'"},
      {"phrases.greting == \"a\"", 12, "unknown phrase set 'greting'; did you mean 'greeting'?"},
  });
}

TEST_CASE("check: a phrase set used as a value") {
  const std::string_view msg =
      "phrases.greeting is a phrase set; use it with contains, starts_with, ends_with, count or 'in'";
  check_when_errors({
      {"phrases.greeting == \"x\"", 12, msg},
      {"len(phrases.greeting) > 1", 16, msg},
      {"contains(phrases.greeting, \"x\")", 21, msg},
      {"opening == phrases.greeting", 23, msg},
      {"phrases.greeting", 12, msg},
  });
}

TEST_CASE("check: an enum literal not in the enum, with == and in a list") {
  const std::string vals = " is not a value of call.badge (left_chest, elsewhere, missing)";
  const std::string left = "\"left\"" + vals;
  const std::string misssing = "\"misssing\"" + vals + "; did you mean \"missing\"?";
  const std::string elsewere = "\"elsewere\"" + vals + "; did you mean \"elsewhere\"?";
  const std::string pocket = "\"pocket\"" + vals;
  const std::string missing_cap = "\"Missing\"" + vals + "; did you mean \"missing\"?";
  check_when_errors({
      {"badge == \"left\"", 21, left},
      {"badge != \"misssing\"", 21, misssing},
      {"\"elsewere\" == badge", 12, elsewere},
      {"badge in [\"left_chest\", \"pocket\"]", 36, pocket},
      {"badge not in [\"Missing\"]", 26, missing_cap},
  });
  CHECK(diags_of(with("when", "badge in [\"a\", \"b\"]")) ==
        e(21, 22, "\"a\"" + vals) + e(21, 27, "\"b\"" + vals));
  // Values of the enum, and comparisons with other texts, are fine.
  CHECK(diags_of(with("when", "badge == \"missing\" or badge in [\"left_chest\", \"elsewhere\"]")) == "");
  CHECK(diags_of(with("when", "badge == opening")) == "");
}

TEST_CASE("check: comparing text with a number and other mismatched types") {
  check_when_errors({
      {"opening == 3", 20, "cannot compare text with number"},
      {"3 == opening", 14, "cannot compare number with text"},
      {"opening != rings", 20, "cannot compare text with number"},
      {"private == 1", 20, "cannot compare bool with number"},
      {"badge == 3", 18, "cannot compare text with number"},
      {"at == 08:00", 15, "cannot compare time with clock"},
      {"length == \"5m\"", 19, "cannot compare duration with text"},
      {"clock(at) > 8", 22, "cannot compare clock with number"},
      {"rings in [\"1\", 2]", 22, "list item is text, but the value tested is number"},
  });
}

TEST_CASE("check: ordering comparisons on text and bool") {
  check_when_errors({
      {"opening < \"b\"", 20, "'<' cannot order text values; use == or !="},
      {"badge >= \"missing\"", 18, "'>=' cannot order text values; use == or !="},
      {"private > false", 20, "'>' cannot order bool values; use == or !="},
      {"(rings > 3) <= true", 24, "'<=' cannot order bool values; use == or !="},
  });
}

TEST_CASE("check: not on a non-bool") {
  check_when_errors({
      {"not rings", 12, "'not' needs a bool, got number"},
      {"!opening", 12, "'not' needs a bool, got text"},
      {"private and not length", 24, "'not' needs a bool, got duration"},
  });
}

TEST_CASE("check: and / or on a non-bool, blamed at the operator") {
  // The and/or operations carry no position (see test_syntax), so these are reported at the
  // end of the expression (the closing quote) instead of at the operator.
  check_when_errors({
      {"rings and private", 18, "'and' needs bool operands, got number and bool"},
      {"private || opening", 20, "'or' needs bool operands, got bool and text"},
      {"rings > 3 and rings", 22, "'and' needs bool operands, got bool and number"},
      {"private or 1", 20, "'or' needs bool operands, got bool and number"},
  });
}

TEST_CASE("check: arithmetic type errors") {
  check_when_errors({
      {"opening + 1 > 0", 20, "'+' cannot combine text and number"},
      {"at * 2 > at", 15, "'*' cannot combine time and number"},
      {"at + at > at", 15, "'+' cannot combine time and time"},
      {"length * length > 0", 19, "'*' cannot combine duration and duration"},
      {"rings / length > 0", 18, "'/' cannot combine number and duration"},
      {"rings % length > 0", 18, "'%' cannot combine number and duration"},
      {"private - 1 > 0", 20, "'-' cannot combine bool and number"},
      {"1 - at > at", 14, "'-' cannot combine number and time"},
      {"clock(at) + 1h > 08:00", 22, "'+' cannot combine clock and duration"},
      {"\"a\" + \"b\" == \"ab\"", 16, "'+' cannot combine text and text"},
      {"-opening == \"x\"", 12, "'-' needs a number or a duration, got text"},
      {"-at > at", 12, "'-' needs a number or a duration, got time"},
  });
}

TEST_CASE("check: phrase functions: arity and argument types") {
  const std::string_view second = " takes a phrase set (phrases.NAME) or a string as its second argument";
  check_when_errors({
      {"contains(opening)", 12, "contains() takes 2 arguments, got 1"},
      {"contains(opening, \"a\", \"b\")", 12, "contains() takes 2 arguments, got 3"},
      {"starts_with()", 12, "starts_with() takes 2 arguments, got 0"},
      {"ends_with(opening)", 12, "ends_with() takes 2 arguments, got 1"},
      // SPEC §8.1: the one-argument count() is an aggregate, which only a window rule may use.
      {"count(opening) > 1", 12, "count() is an aggregate over a window's records: only a window rule (one with 'per') may use it"},
      {"contains(rings, \"x\")", 21, "argument 1 of contains() must be text, got number"},
      {"count(private, phrases.greeting) > 0", 18, "argument 1 of count() must be text, got bool"},
      {"contains(opening, opening)", 30, std::string("contains()") + std::string(second)},
      {"starts_with(opening, 3)", 33, std::string("starts_with()") + std::string(second)},
      {"count(opening, \"a\" + \"b\") > 0", 27, std::string("count()") + std::string(second)},
      {"ends_with(opening, \"\")", 31, "an empty string matches nothing"},
      {"ends_with(opening, \"  \")", 31, "an empty string matches nothing"},
  });
}

TEST_CASE("check: len, has, clock, weekday, hour: arity and argument types") {
  check_when_errors({
      {"len(opening, opening) > 1", 12, "len() takes 1 argument, got 2"},
      {"len() > 1", 12, "len() takes 1 argument, got 0"},
      {"len(rings) > 1", 16, "argument 1 of len() must be text, got number"},
      {"has(rings, opening)", 12, "has() takes 1 argument, got 2"},
      {"has(1)", 16, "has() takes a field name"},
      {"has(rings + 1)", 16, "has() takes a field name"},
      {"has(nope)", 16, "unknown field 'nope' for kind 'call'; did you mean 'note'?"},
      {"clock(rings) > 08:00", 18, "argument 1 of clock() must be time, got number"},
      {"clock() > 08:00", 12, "clock() takes 1 argument, got 0"},
      {"weekday(opening) == 1", 20, "argument 1 of weekday() must be time, got text"},
      {"weekday() == 1", 12, "weekday() takes 1 argument, got 0"},
      {"hour(length) > 1", 17, "argument 1 of hour() must be time, got duration"},
      {"hour(at, at) > 1", 12, "hour() takes 1 argument, got 2"},
  });
}

TEST_CASE("check: between: arity and argument types") {
  check_when_errors({
      {"between(clock(at), 08:00)", 12, "between() takes 3 arguments, got 2"},
      {"between(at, 08:00, 17:00)", 20, "argument 1 of between() must be clock, got time"},
      {"between(clock(at), 8, 17:00)", 31, "argument 2 of between() must be clock, got number"},
  });
  // Every bad argument is reported, not just the first.
  CHECK(diags_of(with("when", "between(1, 2, 3)")) ==
        e(21, 20, "argument 1 of between() must be clock, got number") +
            e(21, 23, "argument 2 of between() must be clock, got number") +
            e(21, 26, "argument 3 of between() must be clock, got number"));
}

TEST_CASE("check: abs, min, max, if: arity and argument types") {
  check_when_errors({
      {"abs(opening) > 1", 16, "abs() needs a number or a duration, got text"},
      {"abs(1, 2) > 1", 12, "abs() takes 1 argument, got 2"},
      {"min(rings) > 1", 12, "min() is an aggregate over a window's records: only a window rule (one with 'per') may use it"},
      {"max(opening, rings) > 1", 12, "max() needs two numbers, durations, clocks or times, got text and number"},
      {"min(at, clock(at)) > 08:00", 12, "min() needs two numbers, durations, clocks or times, got time and clock"},
      {"max(private, private)", 12, "max() needs two numbers, durations, clocks or times, got bool and bool"},
      {"if(rings, 1, 2) > 0", 15, "argument 1 of if() must be bool, got number"},
      {"if(private, 1, \"a\") > 0", 12, "if() branches must have one type, got number and text"},
      {"if(private, at, 08:00) > at", 12, "if() branches must have one type, got time and clock"},
      {"if(private, 1) > 0", 12, "if() takes 3 arguments, got 2"},
  });
}

TEST_CASE("check: unknown functions") {
  check_when_errors({
      {"contain(opening, \"x\")", 12, "unknown function 'contain'; did you mean 'contains'?"},
      {"Len(opening) > 1", 12, "unknown function 'Len'; did you mean 'len'?"},
      {"foo(1) > 0", 12, "unknown function 'foo'"},
      {"rings > 1 and bogus()", 26, "unknown function 'bogus'"},
  });
}

TEST_CASE("check: when must be bool; times, points, deduct, bonus, fine must be numbers") {
  struct row {
    std::string_view key, expr;
    unsigned col;
    std::string_view message;
  };
  const row rows[] = {
      {"when", "rings + 1", 12, "when must be bool, got number"},
      {"when", "opening", 12, "when must be bool, got text"},
      {"when", "1", 12, "when must be bool, got number"},
      {"when", "at", 12, "when must be bool, got time"},
      {"times", "private", 13, "times must be number, got bool"},
      {"times", "length", 13, "times must be number, got duration"},
      {"times", "phrases.greeting", 13,
       "phrases.greeting is a phrase set; use it with contains, starts_with, ends_with, count or 'in'"},
      {"points", "opening", 14, "points must be number, got text"},
      {"points", "rings > 1", 14, "points must be number, got bool"},
      {"deduct", "at", 14, "deduct must be number, got time"},
      {"bonus", "clock(at)", 13, "bonus must be number, got clock"},
      {"fine", "private", 12, "fine must be number, got bool"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.key);
    CAPTURE(r.expr);
    CHECK(diags_of(with(r.key, r.expr)) == e(21, r.col, r.message));
  }
}

TEST_CASE("check: a list outside 'in'") {
  check_when_errors({
      {"[1, 2] == rings", 12, "a list is only allowed after 'in' or 'not in'"},
      {"rings == [1]", 21, "a list is only allowed after 'in' or 'not in'"},
      {"len([1]) > 0", 16, "a list is only allowed after 'in' or 'not in'"},
      {"rings in [[1]]", 22, "a list is only allowed after 'in' or 'not in'"},
      {"opening in rings", 23, "'in' needs a list [a, b] or a phrase set phrases.NAME"},
      {"rings in phrases.greeting", 18, "'in phrases.…' needs text on the left, got number"},
      {"rings in [1, \"a\"]", 25, "list item is text, but the value tested is number"},
  });
}

TEST_CASE("check: bad literals") {
  check_when_errors({
      {"rings > 99999999999999999999", 20,
       "number 99999999999999999999 is out of range or has more than 6 decimal places"},
      {"score > 1.1234567", 20, "number 1.1234567 is out of range or has more than 6 decimal places"},
      {"length > 1m1h", 21, "invalid duration 1m1h"},
      {"clock(at) > 25:00", 24, "invalid time of day 25:00 (expected 00:00 to 23:59)"},
      {"clock(at) > 23:60", 24, "invalid time of day 23:60 (expected 00:00 to 23:59)"},
  });
}

TEST_CASE("check: a number with leading zeros is read, not called out of range") {
  // The grammar reads `08` as a number, but decimal::parse refuses leading zeros, so the
  // checker says "number 08 is out of range or has more than 6 decimal places", which is
  // false. `hour(at) == 08` is a natural thing to write (durations already accept 05m).
  CHECK(diags_of(with("when", "hour(at) == 08 or rings > 007")) == "");
}

TEST_CASE("check: parse errors are placed in the YAML file") {
  check_when_errors({
      {"rings >", 19, "in when: expected operand, found end of expression"},
      {"rings = 3", 18, "in when: '=' is not an operator; compare with '=='"},
      {"(rings > 3", 22, "in when: expected ')', found end of expression"},
      {"rings > 3 3", 22, "in when: unexpected '3'"},
  });
  CHECK(diags_of(with("times", "1 +")) == e(21, 16, "in times: expected operand, found end of expression"));
  CHECK(diags_of(with("points", "(1")) == e(21, 16, "in points: expected ')', found end of expression"));
}

TEST_CASE("check: every bad expression of a file is reported, not just the first") {
  std::string t(head);
  t += "    when: rngs > 1\n"        // 21: col 11
       "    times: opening\n"        // 22: col 12
       "    deduct: 1\n"             // 23
       "  - id: s\n"                 // 24
       "    on: call\n"              // 25
       "    points: nope + 1\n";     // 26: col 13
  CHECK(diags_of(t) == e(21, 11, "unknown field 'rngs' for kind 'call'; did you mean 'rings'?") +
                           e(22, 12, "times must be number, got text") +
                           e(26, 13, "unknown field 'nope' for kind 'call'; did you mean 'note'?"));
}

TEST_CASE("check: unknown record kind in 'on'") {
  std::string t(head.substr(0, head.size() - std::string_view("    on: call\n").size()));
  t += "    on: cal\n"  // 20
       "    deduct: 1\n";
  CHECK(diags_of(t) == e(20, 9, "unknown record kind 'cal'; did you mean 'call'?"));
  std::string t2(head.substr(0, head.size() - std::string_view("    on: call\n").size()));
  t2 += "    on: visit\n"
        "    deduct: 1\n";
  CHECK(diags_of(t2) == e(20, 9, "unknown record kind 'visit'"));
}

TEST_CASE("check: a rule with no effect, and a cap with nothing to cap") {
  std::string t(head);
  t += "    when: rings > 1\n";  // no deduct, bonus, points, fine or flag
  CHECK(diags_of(t) == e(19, 5, "rule 'r' has no effect: give it deduct, bonus, points, fine or flag"));
  std::string t2(head);
  t2 += "    flag: review\n"
        "    cap: 10\n";
  CHECK(diags_of(t2) == e(19, 5, "rule 'r' has a cap but no points to cap"));
  std::string t3(head);
  t3 += "    fine: 500\n";  // a fine alone is an effect
  CHECK(diags_of(t3) == "");
}

// ---------------------------------------------------------------------------------------------
// Position mapping: the same unknown field `rngs` in every YAML scalar style.

TEST_CASE("check: expression positions in plain, quoted, block and flow scalars") {
  const std::string msg = "unknown field 'rngs' for kind 'call'; did you mean 'rings'?";
  struct row {
    std::string_view name;
    std::string body;  // lines from 21 on
    unsigned line, col;
  };
  const std::vector<row> rows = {
      {"plain", "    when: rings > 3 and rngs > 1\n    deduct: 1\n", 21, 25},
      {"plain over two lines", "    when: rings > 3\n      and rngs > 1\n    deduct: 1\n", 22, 11},
      {"double-quoted", "    when: \"rings > 3 and rngs > 1\"\n    deduct: 1\n", 21, 26},
      {"double-quoted with \\\" escapes", "    when: \"opening == \\\"a\\\" and rngs > 1\"\n    deduct: 1\n", 21, 33},
      {"double-quoted with a \\t escape", "    when: \"rings > 3\\tand rngs > 1\"\n    deduct: 1\n", 21, 27},
      {"double-quoted over two lines", "    when: \"rings > 3 and\n      rngs > 1\"\n    deduct: 1\n", 22, 7},
      {"single-quoted", "    when: 'rings > 3 and rngs > 1'\n    deduct: 1\n", 21, 26},
      {"single-quoted with '' escapes", "    when: 'opening == \"it''s\" and rngs > 1'\n    deduct: 1\n", 21, 35},
      {"literal block", "    when: |\n      rings > 3 and\n      rngs > 1\n    deduct: 1\n", 23, 7},
      {"literal block, strip", "    when: |-\n      rings > 3 and rngs > 1\n    deduct: 1\n", 22, 21},
      {"literal block with a comment", "    when: | # why\n      rings > 3 and rngs > 1\n    deduct: 1\n", 22, 21},
      {"folded block", "    when: >\n      rings > 3\n      and rngs > 1\n    deduct: 1\n", 23, 11},
      {"flow mapping", "    when: {}\n", 0, 0},  // placeholder replaced below
  };
  for (const auto& r : rows) {
    if (r.line == 0) continue;
    CAPTURE(r.name);
    CHECK(diags_of(std::string(head) + r.body) == e(r.line, r.col, msg));
  }
  // A whole rule in flow style: `  - {id: r, on: call, when: rngs > 1, deduct: 1}` (col 29).
  std::string flow(head.substr(0, head.find("  - id: r\n")));
  flow += "  - {id: r, on: call, when: rngs > 1, deduct: 1}\n";  // line 19
  CHECK(diags_of(flow) == e(19, 29, msg));
}

TEST_CASE("check: columns count characters, so Chinese text before the error counts once each") {
  const std::string msg = "unknown field 'rngs' for kind 'call'; did you mean 'rings'?";
  struct row {
    std::string_view name;
    std::string body;
    unsigned line, col;
  };
  const std::vector<row> rows = {
      // `    when: opening == "您好" and ` is 30 characters (46 bytes).
      {"plain", "    when: opening == \"您好\" and rngs > 1\n    deduct: 1\n", 21, 31},
      // `    when: "opening == '早上好' and ` is 32 characters.
      {"double-quoted", "    when: \"opening == '早上好' and rngs > 1\"\n    deduct: 1\n", 21, 33},
      {"single-quoted", "    when: 'opening == \"您好\" and rngs > 1'\n    deduct: 1\n", 21, 32},
      // `      opening == "您好您好" and ` is 28 characters.
      {"literal block", "    when: |\n      opening == \"您好您好\" and rngs > 1\n    deduct: 1\n", 22, 29},
      {"folded block", "    when: >\n      opening == \"您好\"\n      and rngs > 1\n    deduct: 1\n", 23, 11},
  };
  for (const auto& r : rows) {
    CAPTURE(r.name);
    CHECK(diags_of(std::string(head) + r.body) == e(r.line, r.col, msg));
  }
  // A type error whose offending token follows Chinese text: the comparison operator.
  CHECK(diags_of(with("when", "\"您好\" == rings")) == e(21, 17, "cannot compare text with number"));
  CHECK(diags_of(with("when", "\"全角ＡＢＣ\" != 1")) == e(21, 20, "cannot compare text with number"));
}

TEST_CASE("check: the caret sits under the offending token after wide characters") {
  std::vector<diagnostic> ds;
  decorum::compile_rulebook("t.yaml", std::string(head) + "    when: opening == \"您好\" and rngs > 1\n    deduct: 1\n",
                            ds);
  REQUIRE(ds.size() == 1);
  // 30 characters precede the token; two of them are wide (2 columns each): 32 spaces; the
  // token is 4 columns wide: '^' and three '~'.
  CHECK(decorum::format_diagnostic(ds[0]) ==
        "t.yaml:21:31: error[D202]: unknown field 'rngs' for kind 'call'; did you mean 'rings'?\n"
        "    when: opening == \"您好\" and rngs > 1\n" +
            std::string(32, ' ') + "^~~~");
  CHECK(decorum::format_diagnostic(ds[0], false) ==
        "t.yaml:21:31: error[D202]: unknown field 'rngs' for kind 'call'; did you mean 'rings'?");
}

TEST_CASE("check: a parse error at the end of a block scalar points just past the last token") {
  CHECK(diags_of(std::string(head) + "    when: |\n      rings >\n    deduct: 1\n") ==
        e(22, 14, "in when: expected operand, found end of expression"));
  CHECK(diags_of(std::string(head) + "    when: rings >\n    deduct: 1\n") ==
        e(21, 18, "in when: expected operand, found end of expression"));
  CHECK(diags_of(std::string(head) + "    when: \"rings >  \"\n    deduct: 1\n") ==
        e(21, 21, "in when: expected operand, found end of expression"));
}

TEST_CASE("check: CRLF line endings do not move columns") {
  std::string t = std::string(head) + "    when: rings > 3 and rngs > 1\n    deduct: 1\n";
  std::string crlf;
  for (char c : t) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  CHECK(diags_of(crlf) == e(21, 25, "unknown field 'rngs' for kind 'call'; did you mean 'rings'?"));
}

// ---------------------------------------------------------------------------------------------
// SPEC §6 warnings.

namespace {

/// A rulebook whose phrase sets are given as lines 8.. (after "phrases:" on line 7), with one
/// rule that uses the set `used`.
std::string with_phrases(std::string_view phrase_lines) {
  return "decorum: 1\n"                                  // 1
         "name: t\n"                                     // 2
         "records:\n"                                    // 3
         "  utterance: {text: text}\n"                   // 4
         "rules:\n"                                      // 5
         "  - {id: r, on: utterance, when: 'contains(text, phrases.used)', deduct: 1}\n"  // 6
         "phrases:\n" +                                  // 7
         std::string(phrase_lines);                      // 8..
}

}  // namespace

TEST_CASE("check: an empty phrase is an error (SPEC §6 says warning; decided for issue #2)") {
  const std::string msg = "phrase set 'used' holds an empty phrase, which would match every text";
  // `  used: [您好, ` is 13 characters.
  CHECK(diags_of(with_phrases("  used: [您好, \"\", 早上好]\n")) == e(8, 14, msg));
  // White space alone folds to nothing: the ideographic space U+3000 too.
  CHECK(diags_of(with_phrases("  used: [\"  \", 您好]\n")) == e(8, 10, msg));
  CHECK(diags_of(with_phrases("  used:\n    - 您好\n    - \"\u3000\"\n")) == e(10, 7, msg));
}

TEST_CASE("check: duplicate phrases, exact and after folding") {
  // `  used: [` is 9 characters; 您好 at 10, 早上好 at 14, the second 您好 at 19.
  CHECK(diags_of(with_phrases("  used: [您好, 早上好, 您好]\n")) ==
        w(8, 19, "duplicate phrase \"您好\" in set 'used' (first at line 8)"));
  // ＡＢＣ folds to abc; "a  b" folds to "a b".
  CHECK(diags_of(with_phrases("  used:\n    - ABC\n    - a  b\n    - ＡＢＣ\n    - a b\n")) ==
        w(11, 7, "duplicate phrase \"ＡＢＣ\" in set 'used' (first at line 9)") +
            w(12, 7, "duplicate phrase \"a b\" in set 'used' (first at line 10)"));
}

TEST_CASE("check: an unused phrase set, and an empty one") {
  CHECK(diags_of(with_phrases("  used: [a]\n  spare: [b]\n")) == w(9, 3, "phrase set 'spare' is never used"));
  CHECK(diags_of(with_phrases("  used: [a]\n  none: []\n")) ==
        w(9, 3, "phrase set 'none' is empty") + w(9, 3, "phrase set 'none' is never used"));
  // Use through `in`, count, starts_with and ends_with counts as use.
  std::string t =
      "decorum: 1\nname: t\nrecords:\n  utterance: {text: text}\nphrases:\n"
      "  a: [x]\n  b: [y]\n  c: [z]\n  d: [w]\nrules:\n"
      "  - {id: r, on: utterance, when: 'text in phrases.a or starts_with(text, phrases.b)', deduct: 1}\n"
      "  - {id: s, on: utterance, when: 'ends_with(text, phrases.c)', times: 'count(text, phrases.d)', deduct: 1}\n";
  CHECK(diags_of(t) == "");
}

namespace {

/// Rule r with the given lines 21.. after the standard head.
std::string rule_r(std::string_view lines) { return std::string(head) + std::string(lines); }

}  // namespace

TEST_CASE("check: a rule that can never fire") {
  CHECK(diags_of(rule_r("    when: 1 > 2\n    deduct: 1\n")) ==
        w(21, 11, "rule 'r' can never fire: its condition is always false"));
  CHECK(diags_of(rule_r("    when: false\n    deduct: 1\n")) ==
        w(21, 11, "rule 'r' can never fire: its condition is always false"));
  CHECK(diags_of(rule_r("    when: not (1 < 2 and 3h > 2m)\n    deduct: 1\n")) ==
        w(21, 11, "rule 'r' can never fire: its condition is always false"));
  CHECK(diags_of(rule_r("    when: 1 / 0 > 1\n    deduct: 1\n")) ==
        w(21, 11, "rule 'r' can never fire: its condition is always null"));
  CHECK(diags_of(rule_r("    times: 0\n    deduct: 1\n")) == w(21, 12, "rule 'r' can never fire: 'times' is always 0"));
  CHECK(diags_of(rule_r("    times: 2 - 2\n    deduct: 1\n")) ==
        w(21, 12, "rule 'r' can never fire: 'times' is always 0"));
  CHECK(diags_of(rule_r("    times: 0.5\n    deduct: 1\n")) ==
        w(21, 12, "rule 'r' can never fire: 'times' is always 0.5"));
  CHECK(diags_of(rule_r("    times: -2\n    deduct: 1\n")) == w(21, 12, "rule 'r' can never fire: 'times' is always -2"));
  // Constant true conditions and positive constant times are fine.
  CHECK(diags_of(rule_r("    when: 2 > 1\n    times: 1.5\n    deduct: 1\n")) == "");
}

TEST_CASE("check: a never-firing quoted condition is blamed at the expression, not the quote") {
  // The warning uses the scalar's position (its opening quote, column 11) while every other
  // diagnostic about the expression points into it (column 12).
  CHECK(diags_of(with("when", "1 > 2")) == w(21, 12, "rule 'r' can never fire: its condition is always false"));
}

TEST_CASE("check: a condition that is false whatever the record is also detected") {
  // `x and false` is false under three-valued logic whatever x is, but folding only replaces
  // operations whose operands are all constant, so this draws no warning.
  CHECK(diags_of(rule_r("    when: rings > 3 and false\n    deduct: 1\n")) ==
        w(21, 11, "rule 'r' can never fire: its condition is always false"));
}

namespace {

std::string with_scoring(std::string_view scoring_lines) {
  return "decorum: 1\n"          // 1
         "name: t\n"             // 2
         "scoring:\n" +          // 3
         std::string(scoring_lines) +
         "records: {call: {rings: int}}\n"
         "rules: [{id: r, on: call, deduct: 1}]\n";
}

}  // namespace

TEST_CASE("check: grade bands that can never be reached") {
  // Shadowed: an earlier band's min is not higher.
  CHECK(diags_of(with_scoring("  grades:\n"
                              "    - {min: 60, grade: C}\n"     // 5
                              "    - {min: 75, grade: B}\n"     // 6
                              "    - {min: 60, grade: D}\n")) ==  // 7
        w(6, 7, "grade band 'B' (min 75) can never be reached: an earlier band's min is not higher") +
            w(7, 7, "grade band 'D' (min 60) can never be reached: an earlier band's min is not higher"));
  // Above the ceiling.
  CHECK(diags_of(with_scoring("  ceiling: 100\n"
                              "  grades:\n"
                              "    - {min: 110, grade: S}\n"    // 6
                              "    - {min: 90, grade: A}\n")) ==
        w(6, 7, "grade band 'S' (min 110) can never be reached: the ceiling is 100"));
  // Below a band that already catches every score the floor allows.
  CHECK(diags_of(with_scoring("  floor: 50\n"
                              "  grades:\n"
                              "    - {min: 90, grade: A}\n"     // 6
                              "    - {min: 40, grade: B}\n"     // 7
                              "    - {min: 0, grade: C}\n")) ==   // 8
        w(8, 7, "grade band 'C' (min 0) can never be reached: scores never fall below the floor 50"));
  // Block-style bands are placed at their first key.
  CHECK(diags_of(with_scoring("  grades:\n"
                              "    - min: 60\n"                 // 5
                              "      grade: C\n"
                              "    - min: 70\n"                 // 7
                              "      grade: B\n")) ==
        w(7, 7, "grade band 'B' (min 70) can never be reached: an earlier band's min is not higher"));
  // Descending bands, with a ceiling and floor they respect: fine.
  CHECK(diags_of(with_scoring("  floor: 0\n  ceiling: 120\n  grades:\n"
                              "    - {min: 90, grade: A}\n    - {min: 75, grade: B}\n    - {min: 0, grade: D}\n")) ==
        "");
}

// ---------------------------------------------------------------------------------------------
// Valid expressions of every type combination.

TEST_CASE("check: valid expressions of every type combination type-check") {
  const std::string_view bools[] = {
      // number with duration: a plain number is seconds
      "length > 300", "300 < length", "length == 90s", "length + 30 > 5m", "30 + length > 5m",
      "length - 30 >= 0", "length * 2 > 1h", "2 * length > 1h", "length / 2 > 1m", "length / 1m > 2",
      "length % 1m == 0s", "-length < 0s", "abs(length) >= 0", "min(length, 30) < 1m", "max(30, length) > 0",
      "length in [60, 1m, 90s]",
      // times
      "at - at == 0s", "at - at < 300", "at + 1h > at", "1h + at > at", "at - 30 < at", "30 + at > at",
      "min(at, at) == at", "max(at, at + 1d) > at", "at in [at]",
      // clocks
      "clock(at) >= 08:00", "clock(at) < 17:30:15", "clock(at) == 8:00", "between(clock(at), 22:00, 06:00)",
      "max(clock(at), 08:00) == clock(at)",
      // numbers
      "rings % 2 == 1", "-rings < 0", "rings / 3 * 3 + rings % 3 == rings", "score >= 2.5", "rings in [1, 2.5]",
      "weekday(at) <= 5", "hour(at) == 9", "abs(score - 3) < 1", "len(opening) > 3", "count(opening, \"x\") >= 2",
      "count(badge, phrases.greeting) == 0",
      // if(), including a null-able field and mixed number/duration branches
      "if(private, rings, 0) > 2", "if(has(rings), rings, 0) > 3", "if(private, length, 60) > 1m",
      "if(private, opening, \"x\") == \"x\"", "if(private, at, at + 1h) > at", "if(rings > 1, private, true)",
      // bools and texts
      "not private", "private == true", "private != false", "has(rings)", "has(opening) and not has(at)",
      "opening == opening", "opening in [\"a\", \"b\"]", "opening not in phrases.greeting",
      "starts_with(opening, phrases.greeting)", "ends_with(opening, \"谢谢\")", "contains(opening, \"Ａ\")",
      "badge in [\"left_chest\"]", "badge not in [\"missing\", \"elsewhere\"]", "kind == \"call\"",
      "employee == \"E1\" or role == \"receptionist\"", "true", "(private)",
  };
  for (auto b : bools) {
    CAPTURE(b);
    CHECK(diags_of(with("when", b)) == "");
  }
  const std::string_view numbers[] = {
      "rings", "(25 - score) * 1000", "count(opening, phrases.greeting)", "len(opening) / 2", "if(private, 2, 1)",
      "hour(at)", "length / 1m", "min(rings, 3)", "abs(-score)",
  };
  for (auto n : numbers) {
    CAPTURE(n);
    CHECK(diags_of(with("times", n)) == "");
    CHECK(diags_of(with("points", n)) == "");
    CHECK(diags_of(with("deduct", n)) == "");
    CHECK(diags_of(with("bonus", n)) == "");
    CHECK(diags_of(with("fine", n)) == "");
  }
}

// ---------------------------------------------------------------------------------------------
// Golden output of `decorum check`.

namespace {

std::string read_file(const std::string& path) { return decorum::test::slurp(path); }

}  // namespace

TEST_CASE("check: golden diagnostics of tests/golden/check_bad.yaml, text and JSON") {
  const std::string dir = std::string(DECORUM_TEST_DIR) + "/golden/";
  std::vector<diagnostic> ds;
  auto rs = decorum::compile_rulebook("check_bad.yaml", read_file(dir + "check_bad.yaml"), ds);
  CHECK_FALSE(rs);
  // What `decorum check check_bad.yaml` writes to standard error: file order, stable.
  decorum::sort_by_position(ds);
  std::string text;
  for (const auto& d : ds) text += decorum::format_diagnostic(d) + "\n";
  const char* update = std::getenv("DECORUM_UPDATE_GOLDEN");
  if (update && *update == '1') decorum::test::spit(dir + "check_bad.txt", text);
  CHECK(text == read_file(dir + "check_bad.txt"));
  // What `decorum check --format json check_bad.yaml` writes to standard output.
  std::size_t errors = 0, warnings = 0;
  for (const auto& d : ds) (d.severity == severity::error ? errors : warnings) += 1;
  std::string json = "{\"files\": 1, \"errors\": " + std::to_string(errors) + ", \"warnings\": " +
                     std::to_string(warnings) + ", \"diagnostics\": " + decorum::diagnostics_to_json(ds) + "}\n";
  if (update && *update == '1') decorum::test::spit(dir + "check_bad.json", json);
  CHECK(json == read_file(dir + "check_bad.json"));
}

// ---------------------------------------------------------------- rules across records (SPEC §8)

namespace {

/// Lines 1–9 of the rulebook for rules across records; rule a's keys start on line 10, each
/// `    KEY: VALUE`, so a value starts in column 4 + len(KEY) + 3 (`on` 9, `per` 10, `when`,
/// `fine` 11, `where`, `times`, `until`, `match` 12, `active`, `deduct`, `within` 13).
constexpr std::string_view across_head =
    "decorum: 1\n"                                                          // 1
    "name: t\n"                                                             // 2
    "records:\n"                                                            // 3
    "  shift: {}\n"                                                         // 4
    "  patrol: {area: text, minutes: int, took: duration, ok: bool}\n"      // 5
    "  complaint: {ticket: text, priority: [normal, urgent], n: int, hours: duration}\n"  // 6
    "  closed: {ticket: text, priority: [normal, high], n: number, by: text}\n"            // 7
    "rules:\n"                                                              // 8
    "  - id: a\n";                                                          // 9

/// One rule a (lines from 10) and the diagnostics it must draw, in file order.
struct across_row {
  std::vector<std::string_view> lines;
  std::string expected;
};

void check_across_rows(const std::vector<across_row>& rows) {
  for (const auto& r : rows) {
    std::string text(across_head);
    for (auto l : r.lines) text += "    " + std::string(l) + "\n";
    CAPTURE(text);
    CHECK(diags_of(text) == r.expected);
  }
}

}  // namespace

TEST_CASE("check: across records: valid window and deadline rules compile cleanly") {
  check_across_rows({
      {{"on: patrol", "per: day", "where: area != \"lobby\"", "active: [shift, patrol]", "when: count() < 2",
        "times: 2 - count()", "deduct: 5"}, ""},
      {{"on: patrol", "per: period", "active: shift", "roles: [guard]",
        "when: count(ok) > 0 and share(ok) < 0.5 and max(took) > 1h and min(minutes) < 5",
        "points: sum(minutes) / 10 - avg(minutes)", "fine: if(count() == 0, 1, 0)"}, ""},
      {{"on: complaint", "until: closed", "match: ticket", "within: if(priority == \"urgent\", 2h, 24h)", "deduct: 20"}, ""},
      // A standard field may serve as the match; a constant negative `within` opens nothing, but is no error.
      {{"on: complaint", "until: closed", "match: site", "within: hours - 1h", "fine: 5"}, ""},
      // count(text, P), min(a, b) and max(a, b) stay the ordinary functions in a window rule's `where`.
      {{"on: patrol", "per: week", "where: max(minutes, 3) > min(1, 2) and count(area, \"x\") == 0", "deduct: 1"}, ""},
  });
}

TEST_CASE("check: across records: keys of the wrong rule form, located at the key's value") {
  check_across_rows({
      {{"on: patrol", "per: day", "until: closed", "match: ticket", "within: 1h", "deduct: 1"},
       e(12, 12, "rule 'a' has both 'per' and 'until': a rule is a window rule or a deadline rule, not both")},
      {{"on: patrol", "where: area != \"x\"", "active: [shift]", "deduct: 1"},
       e(11, 12, "'where' belongs to window rules: give 'per' too, or put the condition in 'when'") +
           e(12, 13, "'active' belongs to window rules: give 'per' too")},
      {{"on: complaint", "until: closed", "match: ticket", "within: 1h", "where: n > 1", "active: [shift]", "deduct: 1"},
       e(14, 12, "'where' belongs to window rules, not deadline rules: put the condition in 'when'") +
           e(15, 13, "'active' belongs to window rules, not deadline rules")},
      {{"on: complaint", "match: ticket", "within: 1h", "deduct: 1"},
       e(11, 12, "'match' belongs to deadline rules: give 'until' too") +
           e(12, 13, "'within' belongs to deadline rules: give 'until' too")},
      {{"on: complaint", "per: day", "match: ticket", "within: 1h", "deduct: 1"},
       e(12, 12, "'match' belongs to deadline rules, not window rules") +
           e(13, 13, "'within' belongs to deadline rules, not window rules")},
      {{"on: complaint", "until: closed", "deduct: 1"},
       e(11, 12, "rule 'a' has 'until' but no 'match' (the field both kinds share)") +
           e(11, 12, "rule 'a' has 'until' but no 'within' (how long a duty may stay open)")},
      {{"on: complaint", "until: closed", "match: ticket", "deduct: 1"},
       e(11, 12, "rule 'a' has 'until' but no 'within' (how long a duty may stay open)")},
      {{"on: complaint", "until: closed", "within: 1h", "deduct: 1"},
       e(11, 12, "rule 'a' has 'until' but no 'match' (the field both kinds share)")},
  });
}

TEST_CASE("check: across records: match fields, until and active kinds, per words") {
  check_across_rows({
      // A match field missing from either kind, or typed differently: at the match value.
      {{"on: complaint", "until: closed", "match: hours", "within: 1h", "deduct: 1"},
       e(12, 12, "match field 'hours' is not declared by kind 'closed'")},
      {{"on: complaint", "until: closed", "match: by", "within: 1h", "deduct: 1"},
       e(12, 12, "match field 'by' is not declared by kind 'complaint'")},
      {{"on: complaint", "until: closed", "match: n", "within: 1h", "deduct: 1"},
       e(12, 12, "match field 'n' has type int in kind 'complaint' but number in kind 'closed'")},
      {{"on: complaint", "until: closed", "match: priority", "within: 1h", "deduct: 1"},
       e(12, 12, "match field 'priority' has type enum [normal, urgent] in kind 'complaint' but enum [normal, high] in kind 'closed'")},
      // Unknown kinds in until and active, each at its own name.
      {{"on: complaint", "until: close", "match: ticket", "within: 1h", "deduct: 1"},
       e(11, 12, "unknown record kind 'close' in until; did you mean 'closed'?")},
      {{"on: patrol", "per: day", "active: [shift, shifts, bogus]", "deduct: 1"},
       e(12, 21, "unknown record kind 'shifts' in active; did you mean 'shift'?") +
           e(12, 29, "unknown record kind 'bogus' in active")},
      {{"on: patrol", "per: day", "active: shiftt", "deduct: 1"},
       e(12, 13, "unknown record kind 'shiftt' in active; did you mean 'shift'?")},
      {{"on: patrol", "per: day", "active: []", "deduct: 1"}, e(12, 13, "active needs at least one record kind")},
      // A bad per word.
      {{"on: patrol", "per: fortnight", "deduct: 1"},
       e(11, 10, "per must be day, week, month, quarter, year, all or period; got \"fortnight\"")},
      {{"on: patrol", "per: Day", "deduct: 1"},
       e(11, 10, "per must be day, week, month, quarter, year, all or period; got \"Day\"")},
      {{"on: patrol", "per: \"\"", "deduct: 1"}, e(11, 10, "per needs a value")},
      {{"on: patrol", "per: [day]", "deduct: 1"}, e(11, 10, "per must be a single value, got a list")},
  });
}

TEST_CASE("check: across records: aggregates and record fields where they cannot be") {
  const std::string outside =
      "' is read outside an aggregate: a window rule sees its records only through count(), count(cond), share(cond), "
      "sum(x), avg(x), min(x) and max(x)";
  check_across_rows({
      // An aggregate inside an aggregate, at the inner call.
      {{"on: patrol", "per: day", "when: count(sum(minutes) > 1) > 0", "deduct: 1"},
       e(12, 17, "sum() is an aggregate inside an aggregate")},
      // An aggregate in `where`.
      {{"on: patrol", "per: day", "where: count() > 1", "deduct: 1"},
       e(12, 12, "count() cannot appear in 'where', which is judged one record at a time")},
      // Aggregates outside a window rule: a plain rule, a deadline rule's `when` and `within`.
      {{"on: patrol", "when: avg(minutes) > 1", "deduct: 1"},
       e(11, 11, "avg() is an aggregate over a window's records: only a window rule (one with 'per') may use it")},
      {{"on: patrol", "when: true", "deduct: sum(minutes)"},
       e(12, 13, "sum() is an aggregate over a window's records: only a window rule (one with 'per') may use it")},
      {{"on: complaint", "until: closed", "match: ticket", "within: max(1h)", "when: count() > 1", "deduct: 1"},
       e(13, 13, "max() is an aggregate over a window's records: only a window rule (one with 'per') may use it") +
           e(14, 11, "count() is an aggregate over a window's records: only a window rule (one with 'per') may use it")},
      // A record field outside an aggregate in each of a window rule's expressions.
      {{"on: patrol", "per: day", "when: minutes > 1", "deduct: 1"}, e(12, 11, "field 'minutes" + outside)},
      {{"on: patrol", "per: day", "times: 1 + minutes", "deduct: 1"}, e(12, 16, "field 'minutes" + outside)},
      {{"on: patrol", "per: day", "deduct: took / 1m"}, e(12, 13, "field 'took" + outside)},
      {{"on: patrol", "per: day", "fine: count() * minutes", "deduct: 1"}, e(12, 21, "field 'minutes" + outside)},
      {{"on: patrol", "per: day", "when: has(ok)", "deduct: 1"}, e(12, 15, "field 'ok" + outside)},
      // Aggregates of the wrong type, at the argument.
      {{"on: patrol", "per: day", "when: share(minutes) > 0.5", "deduct: 1"}, e(12, 17, "share() needs bool, got number")},
      {{"on: patrol", "per: day", "when: count(area) > 0", "deduct: 1"}, e(12, 17, "count() needs bool, got text")},
      {{"on: patrol", "per: day", "when: sum(area) > 0", "deduct: 1"}, e(12, 15, "sum() needs a number or a duration, got text")},
      {{"on: patrol", "per: day", "when: avg(ok) > 0", "deduct: 1"}, e(12, 15, "avg() needs a number or a duration, got bool")},
      {{"on: patrol", "per: day", "when: min(area) > 0", "deduct: 1"},
       e(12, 15, "min() needs a number, duration, time or clock, got text")},
      {{"on: patrol", "per: day", "when: share(ok, ok) > 0", "deduct: 1"}, e(12, 11, "share() takes 1 argument, got 2")},
      {{"on: patrol", "per: day", "when: sum() > 0", "deduct: 1"}, e(12, 11, "sum() takes 1 argument, got 0")},
      // `within` must be a duration.
      {{"on: complaint", "until: closed", "match: ticket", "within: n", "deduct: 1"},
       e(13, 13, "within must be duration, got number")},
      {{"on: complaint", "until: closed", "match: ticket", "within: 24", "deduct: 1"},
       e(13, 13, "within must be duration, got number")},
      {{"on: complaint", "until: closed", "match: ticket", "within: priority == \"urgent\"", "deduct: 1"},
       e(13, 13, "within must be duration, got bool")},
  });
}
