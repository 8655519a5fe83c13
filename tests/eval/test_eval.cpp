// tests/eval/test_eval.cpp — doctest cases "eval: …". The evaluator of SPEC §2 against a simple
// reference (tests/support/reference_eval.hpp): a recursive interpreter over the syntax::ast
// tree, with std::optional for null, sharing nothing with the compiled program but the
// decimal type. Hand-worked tables of expressions × records are
// checked against both (three-valued and/or/not, null through arithmetic, comparisons and
// functions, if(null, a, b) = b, division by zero = null, phrase functions with full-width,
// case and space folding, count's longest non-overlapping matches, between across midnight,
// weekday/hour/clock, len in characters, numbers meeting durations, times); then a randomised
// differential test (fixed seed) of well-typed expressions over every field type against
// random records with nulls requires the two evaluators to agree.
#include "decorum/compile/compile.hpp"
#include "decorum/eval/eval.hpp"
#include "decorum/syntax/grammar.hpp"
#include "decorum/tally/tally.hpp"
#include "support/reference_eval.hpp"

#include <doctest/doctest.h>

#include <deque>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

using decorum::decimal;
namespace ast = decorum::syntax::ast;

namespace {

using namespace ref_eval;

// ---------------------------------------------------------------------------------------------
// The rulebook both evaluators see.

const std::map<std::string, std::vector<std::string>> phrase_sets = {
    {"p", {"您好", "不知道", "hello world", "ＡＢＣ"}},
    {"q", {"a", "aa"}},
    {"r", {"ab", "abc", "bc"}},
    {"w", {"a，b"}},
};

constexpr std::string_view rulebook_head =
    "decorum: 1\n"
    "name: t\n"
    "records:\n"
    "  call:\n"
    "    n: number\n"
    "    m: int\n"
    "    s: text\n"
    "    u: text\n"
    "    b: bool\n"
    "    c: bool\n"
    "    d: duration\n"
    "    e: duration\n"
    "    t: time\n"
    "    t2: time\n"
    "    badge: [x, y]\n"
    "phrases:\n"
    "  p: [您好, 不知道, hello world, ＡＢＣ]\n"
    "  q: [a, aa]\n"
    "  r: [ab, abc, bc]\n"
    "  w: [\"a，b\"]\n"
    "rules:\n";

std::string quoted(std::string_view expr) {
  std::string out = "'";
  for (char ch : expr) out += ch == '\'' ? std::string("''") : std::string(1, ch);
  return out + "'";
}

/// One expression to evaluate: a condition (`when`) or a number (`points`).
struct probe {
  std::string expr;
  bool is_number = false;
};

/// A compiled rulebook with one rule per probe, plus the parsed trees for the reference.
class suite {
 public:
  explicit suite(const std::vector<probe>& probes) : probes_(probes) {
    std::string text(rulebook_head);
    for (std::size_t i = 0; i < probes.size(); ++i) {
      text += "  - id: r" + std::to_string(i) + "\n    on: call\n";
      text += probes[i].is_number ? "    points: " + quoted(probes[i].expr) + "\n"
                                  : "    when: " + quoted(probes[i].expr) + "\n    deduct: 1\n";
    }
    std::vector<decorum::diagnostic> ds;
    rs_ = decorum::compile_rulebook("t.yaml", text, ds);
    for (const auto& d : ds)
      if (d.severity == decorum::severity::error) FAIL_CHECK(decorum::format_diagnostic(d));
    REQUIRE(rs_);
    for (const auto& p : probes) {
      auto parsed = decorum::syntax::parse_expression(p.expr);
      REQUIRE_MESSAGE(parsed.root, p.expr);
      trees_.push_back(std::move(*parsed.root));
    }
  }

  /// What the real evaluator gives for probe i on a record.
  std::string real(std::size_t i, const rec& r) {
    decorum::record record = to_record(r);
    decorum::evaluator ev(*rs_);
    ev.begin(record);
    return real_with(ev, i);
  }

  std::string real_with(decorum::evaluator& ev, std::size_t i) {
    const decorum::compiled_rule& rule = rs_->rules()[i];
    // The scorer runs the lowered trees; the plain interpreter over the folded program must
    // agree with them, and both with the reference.
    if (!probes_[i].is_number) {
      if (rule.when.empty()) return "true";  // folded to constant true
      decorum::value v = ev.run(rule.when);
      decorum::value fast = ev.run(rule.when_code);
      std::string shown = v.present() ? (v.boolean ? "true" : "false") : "null";
      CHECK_MESSAGE(shown == (fast.present() ? (fast.boolean ? "true" : "false") : "null"), probes_[i].expr);
      CHECK_MESSAGE(ev.holds(rule.when_code) == (shown == "true"), probes_[i].expr);
      return shown;
    }
    if (rule.value.empty()) return rule.value_constant ? rule.value_constant->to_string() : "empty";
    decorum::value v = ev.run(rule.value);
    decorum::value fast = ev.run(rule.value_code);
    std::string shown = v.present() ? v.as_decimal().to_string() : "null";
    CHECK_MESSAGE(shown == (fast.present() ? fast.as_decimal().to_string() : "null"), probes_[i].expr);
    std::int64_t raw = 0;
    CHECK_MESSAGE(ev.number(rule.value_code, raw) == v.present(), probes_[i].expr);
    if (v.present()) CHECK_MESSAGE(raw == v.num, probes_[i].expr);
    return shown;
  }

  /// What the reference gives.
  std::string ref(std::size_t i, const rec& r) const { return show(reference(r, phrase_sets).eval(trees_[i])); }

  /// A decorum::record holding the same values (texts kept alive in `texts_`).
  decorum::record to_record(const rec& r) {
    const auto& kind = rs_->schema().kinds().at(0);
    decorum::record out;
    out.reset(rs_->schema().max_slots());
    out.kind = 0;
    for (const auto& entry : r) {
      // Named copies, not a structured binding: clang 14 cannot capture one (REQUIRE_MESSAGE).
      const auto& name = entry.first;
      const auto& v = entry.second;
      const decorum::field_schema* f = kind.find(name);
      REQUIRE_MESSAGE(f, name);
      if (!v) continue;
      decorum::value x;
      switch (v->t) {
        case ty::boolean: x = decorum::value::of_bool(v->b); break;
        case ty::number: x = decorum::value::of_number(v->d); break;
        case ty::duration: x = decorum::value::of_duration(v->d); break;
        case ty::text:
          texts_.push_back(v->s);
          x = decorum::value::of_text(texts_.back());
          // Readers give enum values their position; records built by hand do not. Every
          // other enum value takes each path, so both are checked against the reference.
          if (f->type == decorum::rulebook::field_type::enumeration && texts_.size() % 2 == 0)
            for (std::size_t e = 0; e < f->enum_values.size(); ++e)
              if (f->enum_values[e] == v->s) x = decorum::value::of_enum(texts_.back(), e);
          break;
        case ty::time: x = decorum::value::of_time(v->secs); break;
        case ty::clock: x = decorum::value::of_clock(v->secs); break;
      }
      out.values[f->slot] = x;
    }
    return out;
  }

  const decorum::rule_set& rules() const { return *rs_; }

 private:
  std::vector<probe> probes_;
  std::shared_ptr<const decorum::rule_set> rs_;
  std::vector<ast::expr> trees_;
  std::deque<std::string> texts_;
};

std::int64_t at(std::string_view iso) {
  auto t = decorum::parse_time(iso);
  REQUIRE_MESSAGE(t, std::string(iso));
  return t->local_seconds;
}

/// The record most rows use. 2026-11-03 is a Tuesday, 2026-11-02 a Monday.
rec r1() {
  return {{"n", number(dec("2.5"))},
          {"m", number(dec("3"))},
          {"s", text("您好，世界")},
          {"u", text("ab")},
          {"b", boolean(true)},
          {"c", boolean(false)},
          {"d", duration(dec("90"))},
          {"e", duration(dec("300"))},
          {"t", time_at(at("2026-11-03T09:12:00"))},
          {"t2", time_at(at("2026-11-02T23:30:00"))},
          {"badge", text("x")}};
}

rec with(rec r, const std::string& name, opt v) {
  r[name] = std::move(v);
  return r;
}

struct row {
  std::string expr;
  rec record;
  std::string want;
  bool is_number = false;
};

/// Checks every row against the hand-worked value, with both evaluators.
void check_rows(const std::vector<row>& rows) {
  std::vector<probe> probes;
  for (const auto& r : rows) probes.push_back({r.expr, r.is_number});
  suite s(probes);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    CAPTURE(rows[i].expr);
    CHECK(s.ref(i, rows[i].record) == rows[i].want);
    CHECK(s.real(i, rows[i].record) == rows[i].want);
  }
}

row when(std::string expr, rec r, std::string want) { return {std::move(expr), std::move(r), std::move(want), false}; }
row num(std::string expr, rec r, std::string want) { return {std::move(expr), std::move(r), std::move(want), true}; }

}  // namespace

// ---------------------------------------------------------------------------------------------
// Hand-worked tables.

TEST_CASE("eval: and, or, not follow three-valued logic") {
  const opt T = boolean(true), F = boolean(false), N = std::nullopt;
  struct tv {
    opt b, c;
    const char *and_, *or_, *not_b;
  };
  const tv table[] = {
      {T, T, "true", "true", "false"},  {T, F, "false", "true", "false"}, {T, N, "null", "true", "false"},
      {F, T, "false", "true", "true"},  {F, F, "false", "false", "true"}, {F, N, "false", "null", "true"},
      {N, T, "null", "true", "null"},   {N, F, "false", "null", "null"},  {N, N, "null", "null", "null"},
  };
  std::vector<row> rows;
  for (const auto& x : table) {
    rec r = {{"b", x.b}, {"c", x.c}};
    rows.push_back(when("b and c", r, x.and_));
    rows.push_back(when("b && c", r, x.and_));
    rows.push_back(when("c and b", r, x.and_));
    rows.push_back(when("b or c", r, x.or_));
    rows.push_back(when("b || c", r, x.or_));
    rows.push_back(when("c or b", r, x.or_));
    rows.push_back(when("not b", r, x.not_b));
    rows.push_back(when("!b", r, x.not_b));
    rows.push_back(when("not not b", r, x.b ? (x.b->b ? "true" : "false") : "null"));
  }
  check_rows(rows);
}

TEST_CASE("eval: null propagates through arithmetic, comparisons and functions") {
  const rec none;  // every field absent
  check_rows({
      when("n + 1 > 0", none, "null"),
      when("n == n", none, "null"),
      when("n != 1", none, "null"),
      when("-n < 0", none, "null"),
      when("abs(n) > 0", none, "null"),
      when("min(n, 1) < 5", none, "null"),
      when("max(1, n) > 0", none, "null"),
      when("len(s) > 0", none, "null"),
      when("contains(s, phrases.p)", none, "null"),
      when("starts_with(s, \"a\")", none, "null"),
      when("count(s, phrases.q) == 0", none, "null"),
      when("s in [\"a\"]", none, "null"),
      when("s not in [\"a\"]", none, "null"),
      when("s in phrases.p", none, "null"),
      when("s not in phrases.p", none, "null"),
      when("s == \"\"", none, "null"),
      when("b == true", none, "null"),
      when("b != false", none, "null"),
      when("clock(t) > 08:00", none, "null"),
      when("weekday(t) == 1", none, "null"),
      when("between(clock(t), 08:00, 17:00)", none, "null"),
      when("t - t2 > 0s", none, "null"),
      when("d > 60", none, "null"),
      when("has(n)", none, "false"),
      when("not has(n)", none, "true"),
      when("n > 1 or true", none, "true"),
      when("n > 1 and false", none, "false"),
      when("n > 1 or false", none, "null"),
      when("n > 1 and true", none, "null"),
      // if(null, a, b) is b.
      when("if(n > 1, 1, 2) == 2", none, "true"),
      when("if(b, 1, 2) == 2", none, "true"),
      when("if(true, n, 1) > 0", none, "null"),
      when("if(b, false, true)", none, "true"),
      // x in [..] is x == a or x == b …
      when("1 in [1, n]", none, "true"),
      when("2 in [1, n]", none, "null"),
      when("1 not in [1, n]", none, "false"),
      when("2 not in [1, n]", none, "null"),
      when("n in [1, 2]", none, "null"),
      num("n + 1", none, "null"),
      num("n * 0", none, "null"),
      num("if(b, 1, 2)", none, "2"),
      num("if(has(m), m, 7)", none, "7"),
      num("count(s, phrases.q)", none, "null"),
      num("len(s)", none, "null"),
      num("hour(t)", none, "null"),
  });
}

TEST_CASE("eval: arithmetic, and division or % by zero gives null") {
  const rec r = r1();  // n = 2.5, m = 3, d = 90s, e = 5m
  check_rows({
      num("n + m", r, "5.5"),
      num("n * m", r, "7.5"),
      num("m / n", r, "1.2"),
      num("n - m", r, "-0.5"),
      num("-n", r, "-2.5"),
      num("m % 2", r, "1"),
      num("abs(n - m)", r, "0.5"),
      num("min(n, m)", r, "2.5"),
      num("max(n, m)", r, "3"),
      num("10 / 4", r, "2.5"),
      num("10 / 3", r, "3.333333"),  // six places, rounded half away from zero
      num("2 / 3", r, "0.666667"),
      num("-2 / 3", r, "-0.666667"),
      num("-7 % 3", r, "-1"),        // the sign of the dividend
      num("7 % -3", r, "1"),
      num("0.1 + 0.2", r, "0.3"),    // exact decimals
      num("(25 - n) * 1000", r, "22500"),
      num("n / 0", r, "null"),
      num("n % 0", r, "null"),
      num("m / (m - 3)", r, "null"),
      num("d / 0s", r, "null"),
      num("(1 / 0) + 1", r, "null"),
      num("if(n / 0 > 1, 1, 2)", r, "2"),
      when("n / 0 == n / 0", r, "null"),
      when("d / 0 > 1s", r, "null"),
      when("d % 0s == 0s", r, "null"),
  });
}

TEST_CASE("eval: a plain number meets a duration as seconds") {
  const rec r = r1();  // d = 90s, e = 5m
  check_rows({
      when("d > 60", r, "true"),
      when("d == 90", r, "true"),
      when("90 == d", r, "true"),
      when("d < 1m", r, "false"),
      when("d + 30 == 2m", r, "true"),
      when("30 + d == 2m", r, "true"),
      when("d * 2 == 3m", r, "true"),
      when("2 * d == 180", r, "true"),
      when("d / 2 == 45", r, "true"),
      when("d % 1m == 30s", r, "true"),
      when("e - d == 210", r, "true"),
      when("d in [60, 90]", r, "true"),
      when("d not in [1m, 2m]", r, "true"),
      when("max(d, 100) == 100", r, "true"),
      when("min(d, 1h) == 90s", r, "true"),
      when("if(b, d, 60) == 90", r, "true"),
      when("if(c, d, 60) == 1m", r, "true"),
      when("-d < 0", r, "true"),
      when("abs(-d) == d", r, "true"),
      when("1h30m == 5400", r, "true"),
      when("0.5s * 4 == 2", r, "true"),
      when("1d == 24h", r, "true"),
      num("d / 1m", r, "1.5"),
      num("e / d", r, "3.333333"),
  });
}

TEST_CASE("eval: times, clocks, weekday, hour and between across midnight") {
  const rec r = r1();  // t = 2026-11-03T09:12 (Tue), t2 = 2026-11-02T23:30 (Mon)
  const rec sunday = with(r1(), "t", time_at(at("2026-11-08")));            // a date-only time reads as 00:00
  const rec before_1970 = with(r1(), "t", time_at(at("1969-12-31T23:59:59")));  // a Wednesday
  const rec offset = with(r1(), "t", time_at(at("2026-11-03T23:12:00-05:00")));  // read as written
  check_rows({
      when("t - t2 == 9h42m", r, "true"),
      when("t > t2", r, "true"),
      when("t2 + 1h > t", r, "false"),
      when("t2 + 10h > t", r, "true"),
      when("1h + t2 < t", r, "true"),
      when("t - 30 < t", r, "true"),
      when("30 + t > t", r, "true"),
      when("t2 + 1.9 == t2 + 1", r, "true"),  // whole seconds of the duration
      when("min(t, t2) == t2", r, "true"),
      when("clock(t) == 09:12", r, "true"),
      when("clock(t) == 9:12", r, "true"),
      when("clock(t2) == 23:30", r, "true"),
      when("clock(t) < clock(t2)", r, "true"),
      when("max(clock(t), 10:00) == 10:00", r, "true"),
      when("between(clock(t), 08:00, 17:00)", r, "true"),
      when("between(clock(t2), 22:00, 06:00)", r, "true"),   // wraps past midnight
      when("between(clock(t), 22:00, 06:00)", r, "false"),
      when("between(clock(t), 09:12, 09:13)", r, "true"),    // from is inclusive
      when("between(clock(t), 09:00, 09:12)", r, "false"),   // to is exclusive
      when("between(clock(t), 12:00, 12:00)", r, "false"),   // an empty range
      when("between(clock(t2), 23:30, 00:00)", r, "true"),
      when("between(clock(t2), 00:00, 23:30)", r, "false"),
      when("between(clock(t2), 23:30:01, 06:00)", r, "false"),
      num("hour(t)", r, "9"),
      num("hour(t2)", r, "23"),
      num("weekday(t)", r, "2"),
      num("weekday(t2)", r, "1"),
      num("(t - t2) / 1h", r, "9.7"),
      num("weekday(t)", sunday, "7"),
      num("hour(t)", sunday, "0"),
      when("clock(t) == 00:00", sunday, "true"),
      num("weekday(t)", before_1970, "3"),
      num("hour(t)", before_1970, "23"),
      when("clock(t) == 23:59:59", before_1970, "true"),
      num("hour(t)", offset, "23"),
      num("weekday(t)", offset, "2"),
  });
}

TEST_CASE("eval: len counts characters as written") {
  check_rows({
      num("len(s)", r1(), "5"),  // 您好，世界
      num("len(u)", r1(), "2"),
      num("len(s)", with(r1(), "s", text("Ａ１")), "2"),
      num("len(s)", with(r1(), "s", text("")), "0"),
      num("len(s)", with(r1(), "s", text("a  b")), "4"),  // not folded
      num("len(s)", with(r1(), "s", text("😀x")), "2"),
      num("len(\"物业\")", r1(), "2"),
  });
}

TEST_CASE("eval: phrase functions fold full-width forms, case and white space") {
  // p: [您好, 不知道, hello world, ＡＢＣ]   w: [a，b]
  auto s = [](std::string v) { return rec{{"s", text(std::move(v))}}; };
  check_rows({
      when("contains(s, phrases.p)", s("您好，世界"), "true"),
      when("starts_with(s, phrases.p)", s("您好，世界"), "true"),
      when("ends_with(s, phrases.p)", s("您好，世界"), "false"),
      when("s in phrases.p", s("您好，世界"), "false"),
      when("contains(s, phrases.p)", s("HELLO   World!"), "true"),    // case, a run of spaces
      when("starts_with(s, phrases.p)", s("HELLO   World!"), "true"),
      when("s in phrases.p", s("  Hello\tWORLD  "), "true"),         // trimmed, tab folded
      when("ends_with(s, phrases.p)", s("  Hello\tWORLD  "), "true"),
      when("s in phrases.p", s("hello\u3000world"), "true"),          // U+3000 is white space
      when("s in phrases.p", s("ａｂｃ"), "true"),                    // full-width lower case
      when("s in phrases.p", s("Abc"), "true"),
      when("s not in phrases.p", s("Abc"), "false"),
      when("s in phrases.p", s("abcd"), "false"),
      when("contains(s, phrases.p)", s("hel lo world"), "false"),
      when("ends_with(s, phrases.p)", s("x 不知道"), "true"),
      when("s not in phrases.p", s("x 不知道"), "true"),
      when("starts_with(s, phrases.p)", s("  您好 x"), "true"),
      when("contains(s, phrases.p)", s("你好"), "false"),
      // U+FF0C stays a Chinese comma.
      when("contains(s, phrases.w)", s("a,b"), "false"),
      when("contains(s, phrases.w)", s("A，B"), "true"),
      // String patterns fold too.
      when("contains(s, \"ＡＢ\")", s("xaby"), "true"),
      when("starts_with(s, \"X\")", s("xaby"), "true"),
      when("ends_with(s, \" Y \")", s("xaby"), "true"),
      when("contains(s, \"您好\")", s("早上好"), "false"),
      // == and in [list] compare exactly.
      when("s == \"ab\"", s("AB"), "false"),
      when("s == \"AB\"", s("AB"), "true"),
      when("s in [\"AB\"]", s("AB"), "true"),
      when("s in [\"ab\"]", s("AB"), "false"),
      when("s != \"ab \"", s("ab"), "true"),
  });
}

TEST_CASE("eval: count takes the longest phrase at each position, without overlaps") {
  // q: [a, aa]   r: [ab, abc, bc]
  auto s = [](std::string v) { return rec{{"s", text(std::move(v))}}; };
  check_rows({
      num("count(s, phrases.q)", s("aaaaa"), "3"),   // aa|aa|a
      num("count(s, phrases.q)", s("aaa"), "2"),     // aa|a
      num("count(s, phrases.q)", s("AAA"), "2"),
      num("count(s, phrases.q)", s("a a"), "2"),
      num("count(s, phrases.q)", s("bab"), "1"),
      num("count(s, phrases.q)", s(""), "0"),
      num("count(s, phrases.r)", s("abcbc"), "2"),   // abc|bc
      num("count(s, phrases.r)", s("abab"), "2"),
      num("count(s, phrases.r)", s("xbc"), "1"),
      num("count(s, phrases.r)", s("abcabc"), "2"),
      num("count(s, \"您好\")", s("您好您好"), "2"),
      num("count(s, \"您好\")", s("您好，您好"), "2"),
      num("count(s, phrases.p)", s("你好"), "0"),
      num("count(s, phrases.p)", s("您好 HELLO  WORLD 不知道"), "3"),
      num("count(if(b, s, \"aaaa\"), phrases.q)", rec{{"s", text("a")}}, "2"),  // computed text
  });
}

TEST_CASE("eval: enums compare as text") {
  check_rows({
      when("badge == \"x\"", r1(), "true"),
      when("badge in [\"y\"]", r1(), "false"),
      when("badge != \"y\"", r1(), "true"),
      when("badge == \"x\"", {}, "null"),
  });
}

TEST_CASE("eval: one evaluator scores many records; caches do not leak between them") {
  suite s({{"contains(s, phrases.p)", false}, {"count(s, phrases.q)", true}, {"len(s) > 2", false}});
  decorum::evaluator ev(s.rules());
  const std::vector<std::pair<std::string, std::string>> texts = {
      {"您好", "0"}, {"aaa", "2"}, {"hello world", "0"}, {"a", "1"}, {"您好 aa", "1"}};
  for (int round = 0; round < 3; ++round) {
    for (const auto& entry : texts) {
      const auto& t = entry.first;  // not a structured binding: clang 14 cannot capture one
      const auto& count = entry.second;
      CAPTURE(t);
      decorum::record record = s.to_record({{"s", text(t)}});
      ev.begin(record);
      rec r = {{"s", text(t)}};
      CHECK(s.real_with(ev, 0) == s.ref(0, r));
      CHECK(s.real_with(ev, 1) == count);
      CHECK(s.real_with(ev, 1) == s.ref(1, r));
      CHECK(s.real_with(ev, 2) == s.ref(2, r));
    }
  }
}

TEST_CASE("eval: a list of more than 65,535 items is never silently cut short") {
  // program_node::argc is a std::uint16_t (include/decorum/check/check.hpp) and emit_n stores the
  // item count unchecked, so `rings in [0 × 70000, 5]` keeps 4466 children and is false for
  // rings = 5. Either refuse such a list at load time or evaluate it whole.
  std::string items;
  for (int i = 0; i < 70000; ++i) items += "0, ";
  items += "5";
  std::vector<decorum::diagnostic> ds;
  auto rs = decorum::compile_rulebook(
      "t.yaml",
      "decorum: 1\nname: t\nrecords:\n  call: {rings: int}\nrules:\n  - id: r\n    on: call\n    when: rings in [" +
          items + "]\n    deduct: 1\n",
      ds);
  if (!rs) {
    CHECK(decorum::has_errors(ds));  // refused: fine
    return;
  }
  decorum::record record;
  record.reset(rs->schema().max_slots());
  record.kind = 0;
  record.values[rs->schema().kinds()[0].find("rings")->slot] = decorum::value::of_number(dec("5"));
  decorum::evaluator ev(*rs);
  ev.begin(record);
  decorum::value v = ev.run(rs->rules()[0].when);
  CHECK(v.present());
  CHECK(v.boolean);
}

// ---------------------------------------------------------------------------------------------
// Randomised differential test.

namespace {

/// Random well-typed expressions over the fields of the rulebook above. Every composite is
/// parenthesised so the generator need not know precedence.
class generator {
 public:
  explicit generator(std::uint32_t seed) : rng_(seed) {}

  std::string boolean(int depth) {
    if (depth <= 0) return pick({"b", "c", "true", "false", "has(n)", "has(s)", "has(t)", "(badge == \"x\")"});
    switch (below(20)) {
      case 0: return "(" + boolean(depth - 1) + pick({" and ", " or ", " && ", " || "}) + boolean(depth - 1) + ")";
      case 1: return "(" + pick({"not ", "!"}) + "(" + boolean(depth - 1) + "))";  // `not` binds looser than ==
      case 2: return "(" + num(depth - 1) + cmp() + num(depth - 1) + ")";
      case 3: return "(" + dur(depth - 1) + cmp() + dur(depth - 1) + ")";
      case 4: return "(" + dur(depth - 1) + cmp() + num(depth - 1) + ")";
      case 5: return "(" + txt(depth - 1) + pick({" == ", " != "}) + txt(depth - 1) + ")";
      case 6: return "(" + time(depth - 1) + cmp() + time(depth - 1) + ")";
      case 7: return "(" + clk(depth - 1) + cmp() + clk(depth - 1) + ")";
      case 8: return "(" + boolean(depth - 1) + pick({" == ", " != "}) + boolean(depth - 1) + ")";
      case 9: return pick({"contains(", "starts_with(", "ends_with("}) + txt(depth - 1) + ", " + pattern() + ")";
      case 10: return "(" + txt(depth - 1) + pick({" in ", " not in "}) + pick({"phrases.p", "phrases.q", "phrases.r", "phrases.w"}) + ")";
      case 11: return "(" + txt(depth - 1) + pick({" in ", " not in "}) + "[\"ab\", \"您好\", u])";
      case 12: return "(" + num(depth - 1) + pick({" in ", " not in "}) + "[1, 2.5, n, " + num(depth - 1) + "])";
      case 13: return "(" + dur(depth - 1) + pick({" in ", " not in "}) + "[90, 5m, d])";
      case 14: return "between(" + clk(depth - 1) + ", " + clk(depth - 1) + ", " + clk(depth - 1) + ")";
      case 15: return "if(" + boolean(depth - 1) + ", " + boolean(depth - 1) + ", " + boolean(depth - 1) + ")";
      case 16: return "(" + time(depth - 1) + pick({" in ", " not in "}) + "[t, t2])";
      default: return boolean(0);
    }
  }

  std::string num(int depth) {
    if (depth <= 0) return pick({"n", "m", "0", "1", "2", "3", "7", "2.5", "0.1", "1000000", "len(s)", "len(u)"});
    switch (below(18)) {
      case 0: return "(" + num(depth - 1) + pick({" + ", " - ", " * ", " / ", " % "}) + num(depth - 1) + ")";
      case 1: return "-" + num(depth - 1);
      case 2: return "abs(" + num(depth - 1) + ")";
      case 3: return pick({"min(", "max("}) + num(depth - 1) + ", " + num(depth - 1) + ")";
      case 4: return "len(" + txt(depth - 1) + ")";
      case 5: return "count(" + txt(depth - 1) + ", " + pattern() + ")";
      case 6: return pick({"hour(", "weekday("}) + time(depth - 1) + ")";
      case 7: return "if(" + boolean(depth - 1) + ", " + num(depth - 1) + ", " + num(depth - 1) + ")";
      case 8: return "(" + dur(depth - 1) + " / " + dur(depth - 1) + ")";
      case 9: return "(" + num(depth - 1) + pick({" + ", " - ", " * "}) + num(depth - 1) + ")";
      default: return num(0);
    }
  }

  std::string dur(int depth) {
    if (depth <= 0) return pick({"d", "e", "90s", "5m", "1h30m", "0.5s", "1d", "0s"});
    switch (below(16)) {
      case 0: return "(" + dur(depth - 1) + pick({" + ", " - "}) + dur(depth - 1) + ")";
      case 1: return "(" + dur(depth - 1) + pick({" + ", " - "}) + num(depth - 1) + ")";
      case 2: return "(" + num(depth - 1) + pick({" + ", " - "}) + dur(depth - 1) + ")";
      case 3: return "(" + dur(depth - 1) + " * " + num(depth - 1) + ")";
      case 4: return "(" + num(depth - 1) + " * " + dur(depth - 1) + ")";
      case 5: return "(" + dur(depth - 1) + " / " + num(depth - 1) + ")";
      case 6: return "(" + dur(depth - 1) + " % " + dur(depth - 1) + ")";
      case 7: return "-" + dur(depth - 1);
      case 8: return "abs(" + dur(depth - 1) + ")";
      case 9: return pick({"min(", "max("}) + dur(depth - 1) + ", " + pick({dur(depth - 1), num(depth - 1)}) + ")";
      case 10: return "if(" + boolean(depth - 1) + ", " + dur(depth - 1) + ", " + pick({dur(depth - 1), num(depth - 1)}) + ")";
      case 11: return "(" + time(depth - 1) + " - " + time(depth - 1) + ")";
      default: return dur(0);
    }
  }

  std::string time(int depth) {
    if (depth <= 0) return pick({"t", "t2"});
    switch (below(10)) {
      case 0: return "(" + time(depth - 1) + pick({" + ", " - "}) + dur(depth - 1) + ")";
      case 1: return "(" + dur(depth - 1) + " + " + time(depth - 1) + ")";
      case 2: return "(" + time(depth - 1) + pick({" + ", " - "}) + num(depth - 1) + ")";
      case 3: return "if(" + boolean(depth - 1) + ", " + time(depth - 1) + ", " + time(depth - 1) + ")";
      case 4: return pick({"min(", "max("}) + time(depth - 1) + ", " + time(depth - 1) + ")";
      default: return time(0);
    }
  }

  std::string clk(int depth) {
    if (depth <= 0) return pick({"08:00", "8:00", "23:59:59", "0:00", "12:00", "17:30"});
    switch (below(6)) {
      case 0:
      case 1:
      case 2: return "clock(" + time(depth - 1) + ")";
      case 3: return "if(" + boolean(depth - 1) + ", " + clk(depth - 1) + ", " + clk(depth - 1) + ")";
      case 4: return pick({"min(", "max("}) + clk(depth - 1) + ", " + clk(depth - 1) + ")";
      default: return clk(0);
    }
  }

  std::string txt(int depth) {
    // (Not `badge`: comparing the enum with a literal outside it is a load error.)
    if (depth <= 0) return pick({"s", "s", "u", "\"ab\"", "\"您好\"", "\"ＡＢＣ\"", "\"a a\""});
    if (below(4) == 0) return "if(" + boolean(depth - 1) + ", " + txt(depth - 1) + ", " + txt(depth - 1) + ")";
    return txt(0);
  }

 private:
  std::mt19937 rng_;
  int below(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  std::string pick(std::initializer_list<std::string> xs) {
    auto it = xs.begin();
    std::advance(it, below(static_cast<int>(xs.size())));
    return *it;
  }
  std::string cmp() { return pick({" == ", " != ", " < ", " <= ", " > ", " >= "}); }
  std::string pattern() { return pick({"phrases.p", "phrases.q", "phrases.r", "phrases.w", "\"ab\"", "\"您好\"", "\"Ａ\"", "\"a a\""}); }
};

rec random_record(std::mt19937& rng) {
  auto below = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  auto maybe = [&](val v) -> opt { return below(4) == 0 ? opt{} : opt{std::move(v)}; };
  const char* numbers[] = {"0", "1", "2.5", "-3", "1000000", "0.000001", "7", "-0.5", "59", "9999999"};
  const char* ints[] = {"0", "1", "3", "-2", "59", "86400"};
  const char* texts[] = {"", "ab", "AB", "您好，世界", "hello\u3000world", "ＡＢＣ", "a，b", "a,b", "aaaaa",
                         "abcbc", "不知道", "  您好  ", "x", "Hello World", "a a", "您好"};
  const char* durations[] = {"0", "30", "90", "300", "0.5", "3600", "86400", "5400"};
  const char* times[] = {"2026-11-03T09:12:00", "2026-11-02T23:30:00", "2026-11-08", "1969-12-31T23:59:59",
                         "2000-02-29T12:00:00", "2026-11-03T08:00:00+08:00"};
  rec r;
  r["n"] = maybe(number(dec(numbers[below(10)])));
  r["m"] = maybe(number(dec(ints[below(6)])));
  r["s"] = maybe(text(texts[below(16)]));
  r["u"] = maybe(text(texts[below(16)]));
  r["b"] = maybe(boolean(below(2) == 0));
  r["c"] = maybe(boolean(below(2) == 0));
  r["d"] = maybe(duration(dec(durations[below(8)])));
  r["e"] = maybe(duration(dec(durations[below(8)])));
  r["t"] = maybe(time_at(at(times[below(6)])));
  r["t2"] = maybe(time_at(at(times[below(6)])));
  r["badge"] = maybe(text(below(2) ? "x" : "y"));
  return r;
}

std::string describe(const rec& r) {
  std::string out;
  for (const auto& [k, v] : r) out += k + "=" + show(v) + " ";
  return out;
}

}  // namespace

TEST_CASE("eval: random well-typed expressions agree with the reference") {
  generator gen(20261103);
  std::vector<probe> probes;
  for (int i = 0; i < 400; ++i) probes.push_back({gen.boolean(1 + i % 4), false});
  for (int i = 0; i < 200; ++i) probes.push_back({gen.num(1 + i % 4), true});
  // A few fully constant expressions exercise folding at compile time.
  probes.push_back({"(1 / 0 > 1) or (2 > 1)", false});
  probes.push_back({"if(1 > 2, 1, 2) * 3", true});
  probes.push_back({"between(23:00, 22:00, 06:00)", false});
  suite s(probes);
  std::mt19937 rng(7);
  std::vector<rec> records;
  for (int i = 0; i < 250; ++i) records.push_back(random_record(rng));
  records.push_back({});  // all null

  int mismatches = 0, nulls = 0, trues = 0;
  decorum::evaluator ev(s.rules());
  for (const auto& r : records) {
    decorum::record record = s.to_record(r);
    ev.begin(record);
    for (std::size_t i = 0; i < probes.size(); ++i) {
      std::string want = s.ref(i, r);
      std::string got = s.real_with(ev, i);
      nulls += want == "null";
      trues += want == "true";
      if (got != want && ++mismatches <= 20) {
        CAPTURE(probes[i].expr);
        CAPTURE(describe(r));
        CHECK(got == want);
      }
    }
  }
  CHECK(mismatches == 0);
  // The generator reaches all three outcomes often enough to mean something.
  CHECK(nulls > 1000);
  CHECK(trues > 1000);
}

TEST_CASE("eval: enum guards skip rules only when their leading enum test fails, for read and hand-built records") {
  // Rules 'greet' and 'not-answer' start with an enum test, so the scorer checks the record's
  // enum position before running them (compiled_rule::guard_slot). A record built by hand has
  // no position (value::of_text) and must be scored exactly like one a reader made.
  std::vector<decorum::diagnostic> ds;
  auto rs = decorum::compile_rulebook("g.yaml", R"(decorum: 1
name: g
records:
  utterance: {situation: [greet, answer, farewell], text: text}
rules:
  - id: greet
    on: utterance
    when: situation == "greet" and not starts_with(text, "您好")
    deduct: 5
  - id: not-answer
    on: utterance
    when: situation != "answer" and len(text) > 3
    deduct: 1
  - id: either
    on: utterance
    when: situation in ["answer", "farewell"] and has(text)
    bonus: 2
)", ds);
  REQUIRE(rs);
  const auto& kind = rs->schema().kinds()[0];
  CHECK(rs->rules()[0].guard_slot == kind.find("situation")->slot);
  CHECK(rs->rules()[0].guard_bits == 0b001);
  CHECK(rs->rules()[1].guard_bits == 0b101);
  CHECK(rs->rules()[2].guard_bits == 0b110);
  const std::vector<std::pair<std::string, std::string>> records = {
      {"greet", "早上好呀"}, {"answer", "好的好的"}, {"farewell", "再见再见"}, {"", "你好你好"}, {"greet", "您好"}};
  for (bool by_hand : {false, true}) {
    CAPTURE(by_hand);
    decorum::scorer sc(rs);
    sc.add_source("log");
    std::deque<std::string> keep;
    std::uint64_t line = 0;
    for (const auto& [situation, text] : records) {
      decorum::record r;
      r.reset(rs->schema().max_slots());
      r.kind = 0;
      r.line = ++line;
      r.time = *decorum::parse_time("2026-11-03T09:00:00");
      r.values[decorum::slot::time] = decorum::value::of_time(r.time.local_seconds);
      r.values[decorum::slot::employee] = decorum::value::of_text("E1");
      r.values[decorum::slot::kind] = decorum::value::of_text("utterance");
      const auto* f = kind.find("situation");
      if (!situation.empty()) {
        keep.push_back(situation);
        std::size_t ord = 0;
        while (f->enum_values[ord] != situation) ++ord;
        r.values[f->slot] = by_hand ? decorum::value::of_text(keep.back()) : decorum::value::of_enum(keep.back(), ord);
      }
      r.values[kind.find("text")->slot] = decorum::value::of_text(text);
      CHECK(sc.add(r));
    }
    decorum::score_report rep = sc.report();
    REQUIRE(rep.tallies.size() == 1);
    const auto& t = rep.tallies[0];
    // greet: −5 (早上好呀); not-answer: 早上好呀, 再见再见 → −2 (no situation: null, no
    // finding; 您好 is too short); either: 好的好的, 再见再见 → +4.
    CHECK(t.deductions.to_string() == "7");
    CHECK(t.bonuses.to_string() == "4");
    REQUIRE(t.rules.size() == 3);
    CHECK(t.rules[0].count == 1);
    CHECK(t.rules[1].count == 2);
    CHECK(t.rules[2].count == 2);
  }
}

TEST_CASE("eval: a computed number against a constant, on either side") {
  auto s = [](std::string v) { return rec{{"s", text(std::move(v))}}; };
  check_rows({
      when("count(s, phrases.q) >= 2", s("aaa"), "true"),
      when("2 <= count(s, phrases.q)", s("aaa"), "true"),
      when("2 < count(s, phrases.q)", s("aaa"), "false"),
      when("3 > count(s, phrases.q)", s("a"), "true"),
      when("len(s) > 2", s("您好您"), "true"),
      when("3 == len(s)", s("您好您"), "true"),
      when("3 != len(s)", s("您好"), "true"),
      when("2 < len(s)", {}, "null"),
      when("count(s, phrases.q) == 0", {}, "null"),
      when("n * 2 > 3", r1(), "true"),
      when("3 >= n + m", {}, "null"),
  });
}

TEST_CASE("eval: phrase tests answered by one combined scan agree with each set scanned alone") {
  // Several sets asked about `s` share a combined matcher; `u` is asked about one set only.
  suite all({{"contains(s, phrases.p)", false}, {"starts_with(s, phrases.r)", false}, {"ends_with(s, phrases.q)", false},
             {"s in phrases.w", false}, {"count(s, phrases.q)", true}, {"count(s, phrases.r)", true},
             {"contains(u, phrases.p)", false}, {"not contains(s, phrases.r)", false}});
  decorum::evaluator ev(all.rules());
  const std::vector<std::string> texts = {"abcbc", "您好 aa", "A，B", "", "bca", "ab", "x 不知道 abc aaa", "ａｂｃ"};
  for (const auto& t : texts) {
    for (const auto& t2 : texts) {
      CAPTURE(t);
      CAPTURE(t2);
      rec r = {{"s", text(t)}, {"u", text(t2)}};
      decorum::record record = all.to_record(r);
      ev.begin(record);
      for (std::size_t i = 0; i < 8; ++i) CHECK(all.real_with(ev, i) == all.ref(i, r));
    }
  }
}
