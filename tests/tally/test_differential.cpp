// tests/tally/test_differential.cpp — the whole-pipeline differential test of issue 11: random
// rulebooks and random logs (JSON Lines and CSV, bad lines included) scored by decorum's
// public batch entry point (`score_batch`, what `decorum score` runs) at 1 and 2 threads and
// by the deliberately simple reference scorer of tests/support/reference_scorer.hpp; every
// tally field and every input count must agree.
//
// Cases are numbered by seed (1 … N, fixed). A failing case prints its seed, the rulebook and
// the logs, and the differences. Environment:
//   DECORUM_DIFF_SEED=N    run only the case with seed N (and print it even when it passes)
//   DECORUM_DIFF_CASES=N   run N cases (default 2500)
//   DECORUM_DIFF_UNICODE_SPACE=0  leave White_Space characters other than ASCII white space,
//                          U+00A0 and U+3000 out of texts and phrases (see `knobs`)
//   DECORUM_DIFF_EMPTY_ID=0  never write `"id": ""` into JSON Lines logs (see `knobs`)
//   DECORUM_DIFF_KNOWN_DEFECTS=1  also write the inputs of issue 11's known defects (`knobs`)
//
// The generator keeps away from what the SPEC leaves open (each spot says so). The inputs of
// issue 11's defects — a time with 60 seconds (kept as :59, docs/decisions.md) and quoted CSV
// cells with white space at their ends (kept exactly) — are on unless
// DECORUM_DIFF_KNOWN_DEFECTS=0; a case in which the reference sees an overflow is skipped and
// counted (decorum rejects the record; tests/e2e/overflow-reject pins that).
#include "support/reference_scorer.hpp"
#include "support/test_util.hpp"

#include "decorum/api/batch.hpp"
#include "decorum/compile/compile.hpp"
#include "decorum/base/diagnostic.hpp"
#include "decorum/tally/tally.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace {

namespace ref = decorum_ref;
using ref::expr;
using ref::ftype;
using ref::i64;
using ref::op;
using ref::u64;

// ---------------------------------------------------------------------------------------------
// Randomness: mt19937_64 is fully specified by the standard; the distributions are our own,
// so a seed makes the same case with every standard library.

class rng {
 public:
  explicit rng(u64 seed) : g_(seed * 0x9E3779B97F4A7C15ull + 12345) {}
  /// Uniform in [lo, hi].
  i64 range(i64 lo, i64 hi) { return lo + static_cast<i64>(g_() % static_cast<u64>(hi - lo + 1)); }
  /// True with probability p.
  bool chance(double p) { return static_cast<double>(g_() >> 11) * 0x1.0p-53 < p; }
  template <typename T>
  const T& pick(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(range(0, static_cast<i64>(v.size()) - 1))];
  }
  template <typename T>
  void shuffle(std::vector<T>& v) {
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[static_cast<std::size_t>(range(0, static_cast<i64>(i) - 1))]);
  }

 private:
  std::mt19937_64 g_;
};

/// What the generator may write besides the default.
struct knobs {
  /// Unicode White_Space beyond ASCII, U+00A0 and U+3000 (U+2003, U+2028, U+0085 …) in texts
  /// and phrases. Issue 11 ("smaller ones") found decorum's folding ignored them; fixed since.
  bool unicode_space = true;
  /// `"id": ""` in JSON Lines. This test found that decorum treats an empty id as no id (a
  /// second one is not a duplicate); issue 11 settled that as intended (docs/decisions.md), and
  /// the reference agrees.
  bool empty_id = true;
  /// The inputs of issue 11's defects, fixed since: quoted CSV cells with white space at their
  /// ends (kept exactly) and a time with 60 seconds (read as :59). Amounts that overflow are
  /// skipped either way: decorum rejects such a record, and tests/e2e pins the message.
  bool known_defects = true;
};

// ---------------------------------------------------------------------------------------------
// Pools.

const std::vector<std::string> kind_pool = {"phone_call", "dress_check", "utterance", "kpi", "incident", "visit"};
// Shared across kinds on purpose: one CSV column may be an int in one kind and text in another.
const std::vector<std::string> field_pool = {"rings", "opening", "private", "wait", "badge", "nails",
                                             "words", "rate", "type", "due", "started", "amount"};
const std::vector<std::string> enum_pool = {"left_chest", "elsewhere", "missing", "早班", "晚班", "a", "b", "c-d"};
const std::vector<std::string> set_names = {"greeting", "forbidden", "thanks", "misc"};
const std::vector<std::string> phrase_pool = {
    "您好", "您好啊", "你好", "早上好", "hello", "Hello World", "ＨＥＬＬＯ", "不知道", "不", "知道", "这与我无关",
    "不清楚", "a b", "ab", "abc", "b c", "谢谢", "thank you", "Thank  you", "x", "xx", "，", "喂,说话呀",
    "Ａ１", "a1", "  hi  ", "hi\tthere", "　您好　", "HELLO"};
// Families of phrases that nest or overlap, so the longest match at a position matters.
const std::vector<std::vector<std::string>> phrase_families = {
    {"不", "不知道", "知道", "不清楚", "这与我无关"}, {"x", "xx", "xxx"},      {"您好", "您好啊", "好", "　您好　"},
    {"a b", "ab", "b c", "abc", "a1", "Ａ１"},           {"hello", "Hello World", "ＨＥＬＬＯ", "HELLO", "world"},
    {"谢谢", "thank you", "Thank  you", "you"},          {"，", "喂,说话呀", ","}, {"  hi  ", "hi\tthere", "there"}};
const std::vector<std::string> filler_pool = {"请问", " ", "  ", "\xE3\x80\x80", "\t", "有什么可以帮您", "ok", "Ｈｅｌｌｏ",
                                              "!", "，", ",", "\"q\"", "line\nbreak", "é", "😀", "\xC2\xA0", "'",
                                              "É", "ÜBER", "Σ"};  // folding lowers ASCII letters only
const std::vector<std::string> unicode_spaces = {"\xE2\x80\x83", "\xE2\x80\xA8", "\xC2\x85", "\xE1\x9A\x80", "\xE2\x80\xAF"};
const std::vector<std::string> role_pool = {"receptionist", "butler", "guard"};
const std::vector<std::string> category_pool = {"phone", "dress", "conduct", "kpi"};
const std::vector<std::string> flag_pool = {"dismissal-review", "warning", "training"};
const std::vector<std::string> employee_pool = {"E1", "E2", "E10", "王芳", "e1", "17", "Z9"};
const std::vector<std::string> name_pool = {"王芳", "李娜", "Zhang Wei", "赵磊", "Li Na"};
const std::vector<std::string> id_pool = {"A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "A9", "A10", "7", "8", "A1 "};
// Dates around year, quarter and month ends (ISO weeks 52/53/01) and a leap day.
const std::vector<std::array<int, 3>> date_anchors = {
    {2024, 12, 30}, {2025, 1, 1},  {2025, 12, 28}, {2026, 1, 1}, {2026, 11, 3}, {2026, 12, 31}, {2027, 1, 1},
    {2027, 1, 4},   {2026, 3, 31}, {2026, 4, 1},   {2024, 2, 29}, {2026, 6, 30}, {2026, 7, 1},   {2020, 12, 31},
    {2021, 1, 3},   {1, 1, 4},     {9999, 12, 28}};  // years 1–9999 (docs/decisions.md)
// Times no reader may accept. No seconds of 60 (or more): issue 11, 23:59:60 is accepted.
const std::vector<std::string> bad_times = {
    "2026-02-29",          "2026-13-01",          "2026-11-31",         "2026-11-03T24:00:00", "2026-11-03T09:60:00",
    "2026/11/03",          "03-11-2026",          "2026-11-3",          "yesterday",           "2026-11-03T9:12:00",
    "2026-11-03 9:12",     "2026-00-10",          "2025-02-29T10:00:00"};

// ---------------------------------------------------------------------------------------------
// Small text helpers.

std::string two(int v) { return ref::pad(v, 2); }

std::string date_text(i64 days) {
  const ref::civil c = ref::civil_of(days);
  return ref::pad(c.y, 4) + "-" + two(c.m) + "-" + two(c.d);
}

/// Millionths as the shortest decimal ("12", "2.5", "-0.000001").
std::string millionths_text(i64 v) {
  std::string s = v < 0 ? "-" : "";
  const u64 m = v < 0 ? static_cast<u64>(-v) : static_cast<u64>(v);
  s += std::to_string(m / 1'000'000);
  std::string frac = ref::pad(static_cast<i64>(m % 1'000'000), 6);
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  if (!frac.empty()) s += "." + frac;
  return s;
}

bool has_control(const std::string& s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7F) return true;
  return false;
}

/// A YAML double-quoted scalar.
std::string yaml_quoted(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"') out += "\\\"";
    else if (c == '\\') out += "\\\\";
    else if (c == '\t') out += "\\t";
    else if (c == '\n') out += "\\n";
    else if (c < 0x20) out += "\\x" + std::string{"0123456789abcdef"[c >> 4], "0123456789abcdef"[c & 15]};
    else out += static_cast<char>(c);
  }
  return out + "\"";
}

/// A scalar plain when that is safe in block context (and the coin says so), else quoted.
std::string yaml_scalar(rng& r, const std::string& s) {
  static const std::string indicators = "-?:,[]{}#&*!|>'\"%@`";
  const bool safe = !s.empty() && indicators.find(s[0]) == std::string::npos && s.find(": ") == std::string::npos &&
                    s.find(" #") == std::string::npos && s.back() != ' ' && s.back() != ':' && s[0] != ' ' &&
                    !has_control(s);
  return safe && r.chance(0.6) ? s : yaml_quoted(s);
}

// ---------------------------------------------------------------------------------------------
// Expressions: a typed random generator that builds the reference's tree, and a printer that
// writes it in decorum's syntax (SPEC §2) with the parentheses precedence needs.

enum class ty { boolean, number, text, duration, time, clock };

expr leaf(op o) {
  expr e;
  e.o = o;
  return e;
}
expr node(op o, std::vector<expr> args) {
  expr e;
  e.o = o;
  e.args = std::move(args);
  return e;
}
expr number_lit(i64 millionths, std::string spelling) {
  expr e = leaf(op::num);
  e.num = millionths;
  e.spelling = std::move(spelling);
  return e;
}
expr path(std::string name) {
  expr e = leaf(op::field);
  e.text = std::move(name);
  return e;
}
expr text_lit(std::string s) {
  expr e = leaf(op::str);
  e.text = std::move(s);
  return e;
}

const std::vector<std::string> standard_text_paths = {"role", "name", "site", "inspector", "id", "note", "employee", "kind"};

class expr_gen {
 public:
  expr_gen(rng& r, const ref::rulebook& rb, const ref::kind& k, const std::vector<std::string>& texts)
      : r_(r), rb_(rb), k_(k), texts_(texts) {}

  expr gen(ty t, int depth) {
    switch (t) {
      case ty::boolean: return boolean(depth);
      case ty::number: return number(depth);
      case ty::text: return text(depth);
      case ty::duration: return duration(depth);
      case ty::time: return time(depth);
      case ty::clock: return clock(depth);
    }
    return leaf(op::boolean);
  }

  /// A `times` expression: small counts mostly.
  expr times() {
    const auto texts = fields_of({ftype::text, ftype::enum_});
    const auto ints = fields_of({ftype::int_});
    switch (r_.range(-1, 4)) {
      case -1:
      case 0:
        if (!texts.empty()) return phrase_call(op::count, phrase_subject());
        [[fallthrough]];
      case 1:
        if (!ints.empty()) return path(r_.pick(ints));
        [[fallthrough]];
      case 2: return small_number();
      case 3: return node(r_.chance(0.5) ? op::add : op::sub, {number(1), small_number()});
      default: return number(2);
    }
  }

  /// A non-negative-ish amount expression (deduct, bonus, fine) or a signed one (points).
  /// Never a bare literal: decorum reads that as a constant, which must be non-negative with
  /// at most 2 decimals (SPEC §1, docs/decisions.md), and the generator writes constants apart.
  expr amount() {
    for (;;) {
      expr e;
      switch (r_.range(0, 3)) {
        case 0: e = node(op::mul, {number(1), small_number()}); break;
        case 1: e = node(op::if_, {boolean(1), small_number(), small_number()}); break;
        default: e = number(2); break;
      }
      const bool literal = e.o == op::num || (e.o == op::neg && e.args[0].o == op::num);
      if (!literal) return e;
    }
  }

 private:
  rng& r_;
  const ref::rulebook& rb_;
  const ref::kind& k_;
  const std::vector<std::string>& texts_;

  std::vector<std::string> fields_of(std::initializer_list<ftype> types) const {
    std::vector<std::string> out;
    for (const auto& f : k_.fields)
      if (std::find(types.begin(), types.end(), f.type) != types.end()) out.push_back(f.name);
    return out;
  }

  expr small_number() {
    switch (r_.range(0, 5)) {
      case 0: return number_lit(0, "0");
      case 1: {
        const i64 v = r_.range(1, 10);
        return number_lit(v * 1'000'000, std::to_string(v));
      }
      case 2: {
        const i64 v = r_.range(1, 999);  // x.yz
        return number_lit(v * 10'000, millionths_text(v * 10'000));
      }
      case 3: return number_lit(2'500'000, r_.chance(0.5) ? "2.5" : "2.50");
      case 4: {
        const i64 v = r_.range(1, 999'999);  // six decimals
        return number_lit(v, millionths_text(v));
      }
      default: {
        const i64 v = r_.range(11, 100);
        return number_lit(v * 1'000'000, std::to_string(v));
      }
    }
  }

  /// What phrase functions look at: mostly a declared text field (enums hold no phrases).
  expr phrase_subject() {
    const auto texts = fields_of({ftype::text});
    if (!texts.empty() && r_.chance(0.85)) return path(r_.pick(texts));
    return text(0);
  }

  expr phrase_call(op o, expr subject) {
    expr e = node(o, {std::move(subject)});
    if (!rb_.phrases.empty() && r_.chance(0.7)) {
      e.text = r_.pick(rb_.phrases).name;
    } else {
      // A string pattern: no quote characters (the grammar's strings have no escapes we rely on).
      std::string p;
      do p = r_.pick(phrase_pool);
      while (p.find('"') != std::string::npos || p.find('\'') != std::string::npos || has_control(p));
      e.text = p;
      e.b = true;
    }
    return e;
  }

  expr boolean(int depth) {
    const auto bools = fields_of({ftype::boolean});
    const auto texts = fields_of({ftype::text});
    const auto enums = fields_of({ftype::enum_});
    const auto durs = fields_of({ftype::duration});
    for (;;) {
      const int choice = static_cast<int>(r_.range(0, depth > 0 ? 17 : 9));
      switch (choice) {
        case 0:
          if (!bools.empty()) return path(r_.pick(bools));
          break;
        case 1: {  // has(field)
          std::vector<std::string> all = standard_text_paths;
          for (const auto& f : k_.fields) all.push_back(f.name);
          expr e = leaf(op::has);
          e.text = r_.pick(all);
          if (e.text == "employee" || e.text == "kind") e.text = "role";
          return e;
        }
        case 2: {  // enum == value / in [values]
          if (enums.empty()) break;
          const std::string f = r_.pick(enums);
          const auto& values = k_.find(f)->values;
          if (r_.chance(0.5)) return node(r_.chance(0.7) ? op::eq : op::ne, {path(f), text_lit(r_.pick(values))});
          expr e = node(r_.chance(0.7) ? op::in_list : op::not_in_list, {path(f)});
          const i64 n = r_.range(1, static_cast<i64>(values.size()));
          for (i64 i = 0; i < n; ++i) e.args.push_back(text_lit(values[static_cast<std::size_t>(i)]));
          return e;
        }
        case 3: {  // text == literal, text in [literals], text == text
          if (r_.chance(0.2)) return node(r_.chance(0.6) ? op::eq : op::ne, {text_path(), text_path()});
          expr subject = text(0);
          if (subject.o == op::field && k_.find(subject.text) && k_.find(subject.text)->type == ftype::enum_) break;
          if (r_.chance(0.6)) return node(r_.chance(0.7) ? op::eq : op::ne, {std::move(subject), text_lit(literal_text())});
          expr e = node(r_.chance(0.7) ? op::in_list : op::not_in_list, {std::move(subject)});
          for (i64 i = r_.range(1, 3); i > 0; --i) e.args.push_back(text_lit(literal_text()));
          return e;
        }
        case 4: {  // phrase functions
          if (texts.empty() && !r_.chance(0.3)) break;
          static const std::vector<op> fns = {op::contains, op::starts_with, op::ends_with};
          return phrase_call(r_.pick(fns), phrase_subject());
        }
        case 5: {  // text [not] in phrases.NAME
          if (rb_.phrases.empty()) break;
          expr e = node(r_.chance(0.7) ? op::in_set : op::not_in_set, {phrase_subject()});
          e.text = r_.pick(rb_.phrases).name;
          return e;
        }
        case 6:
          if (r_.chance(0.2)) {  // a number in a list of numbers
            expr e = node(r_.chance(0.7) ? op::in_list : op::not_in_list, {number(depth - 1)});
            for (i64 n = r_.range(1, 4); n > 0; --n) e.args.push_back(small_number());
            return e;
          }
          return compare(number(depth - 1), number(depth - 1));
        case 7: {  // a duration against a literal or a number of seconds
          if (durs.empty() && fields_of({ftype::time}).empty()) break;
          expr rhs = r_.chance(0.5) ? duration_lit() : small_number();
          return compare(duration(depth), std::move(rhs));
        }
        case 8: {  // clocks
          expr c = node(op::clock, {time(0)});
          if (r_.chance(0.5)) return node(op::between, {std::move(c), clock_lit(), clock_lit()});
          return compare(std::move(c), clock_lit());
        }
        case 9:
          if (r_.chance(0.2)) {
            expr e = leaf(op::boolean);
            e.b = r_.chance(0.5);
            return e;
          }
          if (!bools.empty()) return node(r_.chance(0.5) ? op::eq : op::ne, {path(r_.pick(bools)), boolean(0)});
          return compare(node(op::weekday, {time(0)}), number_lit(r_.range(1, 7) * 1'000'000, ""));
        case 10: return node(op::not_, {boolean(depth - 1)});
        case 11:
        case 12: return node(op::and_, {boolean(depth - 1), boolean(depth - 1)});
        case 13:
        case 14: return node(op::or_, {boolean(depth - 1), boolean(depth - 1)});
        case 15: return node(op::if_, {boolean(depth - 1), boolean(depth - 1), boolean(depth - 1)});
        case 16: return compare(time(depth - 1), time(depth - 1));
        default: {  // weekday(time) in [6, 7], hour(time) >= n
          if (r_.chance(0.5)) {
            expr e = node(r_.chance(0.7) ? op::in_list : op::not_in_list, {node(op::weekday, {time(0)})});
            for (i64 d = r_.range(1, 7), n = r_.range(1, 3); n > 0; --n, d = d % 7 + 1)
              e.args.push_back(number_lit(d * 1'000'000, ""));
            return e;
          }
          return compare(node(op::hour, {time(0)}), number_lit(r_.range(0, 23) * 1'000'000, ""));
        }
      }
    }
  }

  expr compare(expr a, expr b) {
    static const std::vector<op> ops = {op::eq, op::ne, op::lt, op::le, op::gt, op::ge};
    return node(r_.pick(ops), {std::move(a), std::move(b)});
  }

  expr number(int depth) {
    const auto nums = fields_of({ftype::int_, ftype::number});
    const auto texts = fields_of({ftype::text, ftype::enum_});
    const auto durs = fields_of({ftype::duration});
    const int choice = static_cast<int>(r_.range(0, depth > 0 ? 16 : 5));
    switch (choice) {
      case 0:
      case 1:
        if (!nums.empty()) return path(r_.pick(nums));
        return small_number();
      case 2: return small_number();
      case 3:
        if (!texts.empty() || r_.chance(0.5)) return phrase_call(op::count, phrase_subject());
        return small_number();
      case 4: return node(op::len, {text(0)});
      case 5: return node(r_.chance(0.5) ? op::hour : op::weekday, {time(0)});
      case 6:
      case 7: return node(r_.chance(0.5) ? op::add : op::sub, {number(depth - 1), number(depth - 1)});
      case 8: return node(op::mul, {number(depth - 1), number(depth - 1)});
      case 9: return node(op::div, {number(depth - 1), number(depth - 1)});
      case 10: return node(op::mod, {number(depth - 1), number(depth - 1)});
      case 11: return node(op::neg, {number(depth - 1)});
      case 12: return node(op::abs, {number(depth - 1)});
      case 13: return node(r_.chance(0.5) ? op::min : op::max, {number(depth - 1), number(depth - 1)});
      case 14: return node(op::if_, {boolean(depth - 1), number(depth - 1), number(depth - 1)});
      case 15:  // duration / duration is a number
        if (!durs.empty()) return node(op::div, {path(r_.pick(durs)), duration_lit()});
        return small_number();
      default: return small_number();
    }
  }

  std::string literal_text() {
    for (;;) {
      const std::string s = r_.chance(0.5) && !texts_.empty() ? r_.pick(texts_)
                            : r_.chance(0.5)                   ? r_.pick(phrase_pool)
                                                               : r_.pick(employee_pool);
      if (s.find('"') == std::string::npos && s.find('\'') == std::string::npos && !has_control(s)) return s;
    }
  }

  /// A text field by name (declared text or enum, or standard): never a literal, which an
  /// enum on the other side of `==` would have to hold.
  expr text_path() {
    const auto texts = fields_of({ftype::text, ftype::enum_});
    if (!texts.empty() && r_.chance(0.6)) return path(r_.pick(texts));
    return path(r_.pick(standard_text_paths));
  }

  expr text(int depth) {
    const auto texts = fields_of({ftype::text, ftype::enum_});
    if (depth > 0 && r_.chance(0.1)) return node(op::if_, {boolean(depth - 1), text(depth - 1), text(depth - 1)});
    if (!texts.empty() && r_.chance(0.7)) return path(r_.pick(texts));
    if (r_.chance(0.05)) return text_lit(literal_text());
    return path(r_.pick(standard_text_paths));
  }

  expr duration_lit() {
    static const std::vector<std::pair<std::string, i64>> lits = {{"90s", 90}, {"5m", 300}, {"2h", 7200},
                                                                 {"1d", 86400}, {"30s", 30}, {"0s", 0}};
    const auto& [s, v] = r_.pick(lits);
    return number_lit(v * 1'000'000, s);
  }

  expr clock_lit() {
    const i64 h = r_.range(0, 23), m = r_.chance(0.7) ? 30 * r_.range(0, 1) : r_.range(0, 59);
    expr e = leaf(op::clock_lit);
    e.num = (h * 3600 + m * 60) * 1'000'000;
    e.spelling = two(static_cast<int>(h)) + ":" + two(static_cast<int>(m));
    return e;
  }

  expr duration(int depth) {
    const auto durs = fields_of({ftype::duration});
    const auto times = fields_of({ftype::time});
    if (depth > 0 && !times.empty() && r_.chance(0.3)) return node(op::sub, {time(0), time(0)});
    if (!durs.empty() && r_.chance(0.7)) {
      if (depth > 0 && r_.chance(0.2)) return node(r_.chance(0.5) ? op::div : op::mul, {path(r_.pick(durs)), small_number()});
      return path(r_.pick(durs));
    }
    return duration_lit();
  }

  expr time(int depth) {
    const auto times = fields_of({ftype::time});
    expr base = !times.empty() && r_.chance(0.5) ? path(r_.pick(times)) : path("time");
    // Whole-second literals only: SPEC says time ± duration moves the clock by whole seconds.
    if (depth > 0 && r_.chance(0.3)) return node(r_.chance(0.5) ? op::add : op::sub, {std::move(base), duration_lit()});
    return base;
  }

  expr clock(int) { return r_.chance(0.5) ? clock_lit() : node(op::clock, {time(0)}); }
};

/// Precedence levels of the grammar (SPEC §2): or 1, and 2, not 3, compare 4, sum 5,
/// product 6, unary 7, primary 8.
int precedence(const expr& e) {
  switch (e.o) {
    case op::or_: return 1;
    case op::and_: return 2;
    case op::not_: return 3;
    case op::eq: case op::ne: case op::lt: case op::le: case op::gt: case op::ge:
    case op::in_list: case op::not_in_list: case op::in_set: case op::not_in_set: return 4;
    case op::add: case op::sub: return 5;
    case op::mul: case op::div: case op::mod: return 6;
    case op::neg: return 7;
    case op::num: return e.num < 0 ? 7 : 8;
    default: return 8;
  }
}

class printer {
 public:
  explicit printer(rng& r) : r_(r) {}

  std::string print(const expr& e, int need = 0) {
    std::string s = bare(e);
    if (precedence(e) < need || (r_.chance(0.05) && precedence(e) < 8)) return "(" + s + ")";
    return s;
  }

 private:
  rng& r_;

  std::string str(const std::string& s) {
    if (s.find('\'') == std::string::npos && r_.chance(0.3)) return "'" + s + "'";
    return "\"" + s + "\"";
  }
  std::string binary(const expr& e, const char* word, int left, int right) {
    return print(e.args[0], left) + " " + word + " " + print(e.args[1], right);
  }
  std::string call(const char* name, const expr& e) {
    std::string s = std::string(name) + "(";
    for (std::size_t i = 0; i < e.args.size(); ++i) s += (i ? ", " : "") + print(e.args[i]);
    return s + ")";
  }
  std::string pattern(const expr& e) { return e.b ? str(e.text) : "phrases." + e.text; }

  std::string bare(const expr& e) {
    switch (e.o) {
      case op::num: return e.spelling.empty() ? millionths_text(e.num) : e.spelling;
      case op::clock_lit: return e.spelling;
      case op::str: return str(e.text);
      case op::boolean: return e.b ? "true" : "false";
      case op::field: return e.text;
      case op::has: return "has(" + e.text + ")";
      case op::not_: {
        const std::string inner = print(e.args[0], 3);
        return r_.chance(0.3) ? "!" + inner : "not " + inner;
      }
      case op::and_: return binary(e, r_.chance(0.3) ? "&&" : "and", 2, 3);
      case op::or_: return binary(e, r_.chance(0.3) ? "||" : "or", 1, 2);
      case op::eq: return binary(e, "==", 5, 5);
      case op::ne: return binary(e, "!=", 5, 5);
      case op::lt: return binary(e, "<", 5, 5);
      case op::le: return binary(e, "<=", 5, 5);
      case op::gt: return binary(e, ">", 5, 5);
      case op::ge: return binary(e, ">=", 5, 5);
      case op::in_list:
      case op::not_in_list: {
        std::string s = print(e.args[0], 5) + (e.o == op::in_list ? " in [" : " not in [");
        for (std::size_t i = 1; i < e.args.size(); ++i) s += (i > 1 ? ", " : "") + print(e.args[i]);
        return s + "]";
      }
      case op::in_set: return print(e.args[0], 5) + " in phrases." + e.text;
      case op::not_in_set: return print(e.args[0], 5) + " not in phrases." + e.text;
      case op::contains: return "contains(" + print(e.args[0]) + ", " + pattern(e) + ")";
      case op::starts_with: return "starts_with(" + print(e.args[0]) + ", " + pattern(e) + ")";
      case op::ends_with: return "ends_with(" + print(e.args[0]) + ", " + pattern(e) + ")";
      case op::count: return "count(" + print(e.args[0]) + ", " + pattern(e) + ")";
      case op::len: return call("len", e);
      case op::add: return binary(e, "+", 5, 6);
      case op::sub: return binary(e, "-", 5, 6);
      case op::mul: return binary(e, "*", 6, 7);
      case op::div: return binary(e, "/", 6, 7);
      case op::mod: return binary(e, "%", 6, 7);
      case op::neg: {
        const std::string inner = print(e.args[0], 7);
        return inner[0] == '-' ? "- " + inner : "-" + inner;
      }
      case op::if_: return call("if", e);
      case op::weekday: return call("weekday", e);
      case op::hour: return call("hour", e);
      case op::clock: return call("clock", e);
      case op::between: return call("between", e);
      case op::abs: return call("abs", e);
      case op::min: return call("min", e);
      case op::max: return call("max", e);
    }
    return "?";
  }
};

// ---------------------------------------------------------------------------------------------
// Rulebooks: the reference struct, and its YAML for decorum.

/// Cents from a small pool of prices (two decimals at most, docs/decisions.md).
i64 price_cents(rng& r) {
  static const std::vector<i64> pool = {0, 1, 5, 10, 20, 50, 100, 250, 1000, 2000, 5000, 3333, 10000, 225, 50000};
  return r.pick(pool);
}

std::string cents_spelling(rng& r, i64 cents) {
  std::string s = ref::cents_text(cents);
  if (r.chance(0.15) && s.find('.') == std::string::npos) s += ".00";
  return s;
}

struct generated_rulebook {
  ref::rulebook rb;
  std::string yaml;
};

/// Texts the logs draw whole values from (so `==` and `in [...]` sometimes hold).
std::vector<std::string> text_values(rng& r, const knobs& kn) {
  std::vector<std::string> out;
  for (int i = 0; i < 6; ++i) {
    std::string t;
    for (i64 n = r.range(0, 4); n > 0; --n) {
      const int which = static_cast<int>(r.range(0, 9));
      if (which < 5) t += r.pick(phrase_pool);
      else if (which < 9) t += r.pick(filler_pool);
      else if (kn.unicode_space) t += r.pick(unicode_spaces);
      else t += " ";
    }
    out.push_back(t);
  }
  return out;
}

generated_rulebook make_rulebook(rng& r, u64 seed, const knobs& kn, const std::vector<std::string>& texts) {
  generated_rulebook g;
  ref::rulebook& rb = g.rb;
  rb.name = "diff-" + std::to_string(seed);
  static const std::vector<i64> bases = {10000, 10000, 0, 5050, 8000, 12000};
  rb.base = r.pick(bases);
  static const std::vector<std::string> periods = {"day", "week", "month", "quarter", "year", "all"};
  rb.period = r.pick(periods);
  if (r.chance(0.3)) rb.floor = r.chance(0.5) ? 0 : -5000;
  if (r.chance(0.3)) rb.ceiling = r.chance(0.5) ? 12000 : 10050;
  if (rb.floor && rb.ceiling && *rb.floor > *rb.ceiling) std::swap(*rb.floor, *rb.ceiling);
  if (r.chance(0.6)) {
    static const std::vector<i64> mins = {15000, 9000, 7550, 6000, 0, -10000};
    static const std::vector<std::string> names = {"S", "A", "B", "C", "D", "优秀"};
    for (std::size_t i = 0; i < mins.size(); ++i)
      if (r.chance(0.5)) rb.grades.push_back({mins[i], names[i]});
  }

  // Record kinds and their fields.
  std::vector<std::string> kinds = kind_pool;
  r.shuffle(kinds);
  kinds.resize(static_cast<std::size_t>(r.range(1, 3)));
  for (const auto& kn_name : kinds) {
    ref::kind k;
    k.name = kn_name;
    std::vector<std::string> names = field_pool;
    r.shuffle(names);
    names.resize(static_cast<std::size_t>(r.range(1, 5)));
    for (const auto& fname : names) {
      ref::field f;
      f.name = fname;
      static const std::vector<ftype> types = {ftype::int_,     ftype::number, ftype::text, ftype::text,  ftype::boolean,
                                               ftype::duration, ftype::enum_,  ftype::time, ftype::int_};
      f.type = r.pick(types);
      if (f.type == ftype::enum_) {
        std::vector<std::string> values = enum_pool;
        r.shuffle(values);
        values.resize(static_cast<std::size_t>(r.range(2, 4)));
        f.values = values;
      }
      f.required = r.chance(0.12);
      k.fields.push_back(f);
    }
    rb.kinds.push_back(k);
  }

  // Phrase sets (never empty after folding; overlapping and full-width phrases on purpose).
  std::vector<std::string> sets = set_names;
  r.shuffle(sets);
  sets.resize(static_cast<std::size_t>(r.range(0, 3)));
  for (const auto& name : sets) {
    ref::phrase_set ps;
    ps.name = name;
    const auto& family = r.pick(phrase_families);
    for (i64 n = r.range(1, 5); n > 0; --n) {
      std::string p = r.chance(0.85) ? r.pick(family) : r.pick(phrase_pool);
      if (kn.unicode_space && r.chance(0.1)) p += r.pick(unicode_spaces) + "x";
      ps.phrases.push_back(p);
    }
    rb.phrases.push_back(ps);
  }

  // Rules.
  const i64 rule_count = r.range(1, 7);
  for (i64 i = 0; i < rule_count; ++i) {
    ref::rule ru;
    ru.on = static_cast<std::size_t>(r.range(0, static_cast<i64>(rb.kinds.size()) - 1));
    ru.id = (r.chance(0.4) ? r.pick(category_pool) + "." : std::string()) + "r" + std::to_string(i + 1);
    expr_gen eg(r, rb, rb.kinds[ru.on], texts);
    if (r.chance(0.8)) ru.when = eg.gen(ty::boolean, static_cast<int>(r.pick(std::vector<i64>{0, 1, 1, 2, 3})));
    if (r.chance(0.2)) ru.times = eg.times();
    const i64 which = r.range(0, 99);
    ru.amount = which < 35 ? ref::amount_kind::deduct
                : which < 55 ? ref::amount_kind::bonus
                : which < 80 ? ref::amount_kind::points
                             : ref::amount_kind::none;
    if (ru.amount != ref::amount_kind::none) {
      const i64 form = r.range(0, 3);
      if (ru.amount != ref::amount_kind::points && form == 0) {
        for (i64 n = r.range(1, 4); n > 0; --n) ru.value.progressive.push_back(price_cents(r));
      } else if (form <= 1) {
        ru.value.constant = price_cents(r);
        if (ru.amount == ref::amount_kind::points && r.chance(0.5)) *ru.value.constant = -*ru.value.constant;
      } else {
        ru.value.formula = eg.amount();
      }
    }
    if (r.chance(0.25) || (ru.amount == ref::amount_kind::none && r.chance(0.5))) {
      const i64 form = r.range(0, 2);
      if (form == 0) for (i64 n = r.range(1, 3); n > 0; --n) ru.fine.progressive.push_back(price_cents(r) * 10);
      else if (form == 1) ru.fine.constant = price_cents(r) * 10;
      else ru.fine.formula = eg.amount();
    }
    if (r.chance(0.25) || (ru.amount == ref::amount_kind::none && !ru.fine.given())) ru.flag = r.pick(flag_pool);
    // decorum refuses a cap on a rule without points (check.cpp; SPEC is silent, and
    // docs/decisions.md does not say so): caps go with amounts only.
    if (ru.amount != ref::amount_kind::none && r.chance(0.25)) ru.cap = r.pick(std::vector<i64>{0, 1000, 2550, 5000, 10000});
    if (r.chance(0.6)) ru.category = r.pick(category_pool);
    if (r.chance(0.2)) {
      std::vector<std::string> roles = role_pool;
      r.shuffle(roles);
      roles.resize(static_cast<std::size_t>(r.range(1, 2)));
      ru.roles = roles;
    }
    ru.enabled = !r.chance(0.08);
    rb.rules.push_back(std::move(ru));
  }

  // The YAML.
  printer pr(r);
  std::string y;
  y += "decorum: 1\n";
  y += "name: " + rb.name + "\n";
  if (r.chance(0.5)) y += "title: 随机规则 " + std::to_string(seed) + "\n";
  y += "scoring:\n";
  if (rb.base != 10000 || r.chance(0.5)) y += "  base: " + cents_spelling(r, rb.base) + "\n";
  if (rb.period != "month" || r.chance(0.5)) y += "  period: " + rb.period + "\n";
  if (rb.floor) y += "  floor: " + ref::cents_text(*rb.floor) + "\n";
  if (rb.ceiling) y += "  ceiling: " + ref::cents_text(*rb.ceiling) + "\n";
  if (r.chance(0.3)) y += "  currency: CNY\n";
  if (!rb.grades.empty()) {
    y += "  grades:\n";
    for (const auto& gr : rb.grades)
      y += r.chance(0.5) ? "    - {min: " + ref::cents_text(gr.min) + ", grade: " + gr.name + "}\n"
                         : "    - min: " + ref::cents_text(gr.min) + "\n      grade: " + gr.name + "\n";
  }
  y += "records:\n";
  for (const auto& k : rb.kinds) {
    y += "  " + k.name + ":\n";
    for (const auto& f : k.fields) {
      std::string type;
      switch (f.type) {
        case ftype::int_: type = "int"; break;
        case ftype::number: type = "number"; break;
        case ftype::text: type = "text"; break;
        case ftype::boolean: type = "bool"; break;
        case ftype::duration: type = "duration"; break;
        case ftype::time: type = "time"; break;
        case ftype::enum_: {
          type = "[";
          for (std::size_t i = 0; i < f.values.size(); ++i) type += (i ? ", " : "") + yaml_quoted(f.values[i]);
          type += "]";
          break;
        }
      }
      if (f.required || r.chance(0.15))
        y += "    " + f.name + ": {type: " + type + (f.required ? ", required: true" : "") + "}\n";
      else
        y += "    " + f.name + ": " + type + "\n";
    }
  }
  if (!rb.phrases.empty()) {
    y += "phrases:\n";
    for (const auto& ps : rb.phrases) {
      if (r.chance(0.5)) {
        y += "  " + ps.name + ": [";
        for (std::size_t i = 0; i < ps.phrases.size(); ++i) y += (i ? ", " : "") + yaml_quoted(ps.phrases[i]);
        y += "]\n";
      } else {
        y += "  " + ps.name + ":\n";
        for (const auto& p : ps.phrases) y += "    - " + yaml_quoted(p) + "\n";
      }
    }
  }
  y += "rules:\n";
  auto price_yaml = [&](const ref::price& p) {
    if (!p.progressive.empty()) {
      std::string s = "[";
      for (std::size_t i = 0; i < p.progressive.size(); ++i) s += (i ? ", " : "") + cents_spelling(r, p.progressive[i]);
      return s + "]";
    }
    if (p.constant) return cents_spelling(r, *p.constant);
    return yaml_scalar(r, pr.print(*p.formula));
  };
  for (const auto& ru : rb.rules) {
    y += "  - id: " + ru.id + "\n";
    if (r.chance(0.3)) y += "    title: " + yaml_quoted("规则 " + ru.id) + "\n";
    if (r.chance(0.1)) y += "    ref: 行为规范 5.4.1\n";
    if (r.chance(0.1)) y += "    severity: " + r.pick(std::vector<std::string>{"minor", "major", "critical"}) + "\n";
    if (r.chance(0.05)) y += "    description: generated\n";
    if (!ru.category.empty()) y += "    category: " + ru.category + "\n";
    y += "    on: " + rb.kinds[ru.on].name + "\n";
    if (ru.when) y += "    when: " + yaml_scalar(r, pr.print(*ru.when)) + "\n";
    if (ru.times) y += "    times: " + yaml_scalar(r, pr.print(*ru.times)) + "\n";
    if (ru.amount != ref::amount_kind::none) {
      const char* key = ru.amount == ref::amount_kind::deduct ? "deduct" : ru.amount == ref::amount_kind::bonus ? "bonus" : "points";
      y += std::string("    ") + key + ": " + price_yaml(ru.value) + "\n";
    }
    if (ru.fine.given()) y += "    fine: " + price_yaml(ru.fine) + "\n";
    if (ru.cap) y += "    cap: " + ref::cents_text(*ru.cap) + "\n";
    if (!ru.flag.empty()) y += "    flag: " + ru.flag + "\n";
    if (!ru.roles.empty()) {
      y += "    roles: [";
      for (std::size_t i = 0; i < ru.roles.size(); ++i) y += (i ? ", " : "") + ru.roles[i];
      y += "]\n";
    }
    if (!ru.enabled) y += "    enabled: false\n";
    else if (r.chance(0.05)) y += "    enabled: true\n";
  }
  if (r.chance(0.1)) y += "tests: []\n";
  g.yaml = std::move(y);
  return g;
}

// ---------------------------------------------------------------------------------------------
// Logs: abstract records, rendered as JSON Lines or CSV with bad lines mixed in.

/// One field of a generated record: its JSON token and its CSV cell text (before quoting).
struct gval {
  std::string json, csv;
};
/// A generated record: fields in writing order.
struct grec {
  std::vector<std::pair<std::string, gval>> fields;
};

/// A JSON string token for valid UTF-8 text, with escapes chosen at random.
std::string json_str(rng& r, const std::string& s) {
  static const char* hex = "0123456789abcdef";
  auto u4 = [&](unsigned v) {
    std::string o = "\\u";
    for (int k = 3; k >= 0; --k) o += hex[(v >> (4 * k)) & 15];
    return o;
  };
  std::string out = "\"";
  const std::u32string cps = ref::decode_utf8(s).value_or(std::u32string{});
  for (char32_t c : cps) {
    if (c == '"') out += "\\\"";
    else if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += r.chance(0.5) ? "\\t" : u4(c);
    else if (c < 0x20) out += u4(c);
    else if (c == '/' && r.chance(0.3)) out += "\\/";
    else if (c >= 0x80 && r.chance(0.1)) {
      if (c >= 0x10000) out += u4(0xD800 + ((c - 0x10000) >> 10)) + u4(0xDC00 + ((c - 0x10000) & 0x3FF));
      else out += u4(c);
    } else if (c < 0x80 && c != ' ' && r.chance(0.02)) {
      out += u4(c);
    } else {
      ref::encode_utf8(c, out);
    }
  }
  return out + "\"";
}

struct log_context {
  const ref::rulebook& rb;
  const std::vector<std::string>& texts;
  const knobs& kn;
  std::vector<std::string> recent_times;
  double bad = 1;                      ///< scales every chance of a bad value or line
  bool huge = false;                   ///< some records carry a note of about 1 MiB
  std::vector<std::string> employees;  ///< this case's few employees (so tallies collect findings)
};

std::string fresh_text(rng& r, log_context& cx) {
  if (r.chance(0.3)) return r.pick(cx.texts);
  std::string t;
  if (!cx.rb.phrases.empty() && r.chance(0.3)) {
    // A run of one set's phrases back to back ("xxxx", "不知道不"): where the longest match at
    // each position decides what count() says.
    const auto& set = r.pick(cx.rb.phrases).phrases;
    for (i64 n = r.range(2, 5); n > 0; --n) t += r.pick(set);
    return t;
  }
  for (i64 n = r.range(0, 6); n > 0; --n) {
    const i64 which = r.range(0, 9);
    if (which < 5 && !cx.rb.phrases.empty()) t += r.pick(r.pick(cx.rb.phrases).phrases);  // the rulebook's own
    else if (which < 5) t += r.pick(phrase_pool);
    else if (which < 9) t += r.pick(filler_pool);
    else t += cx.kn.unicode_space ? r.pick(unicode_spaces) : std::string("　");
  }
  return t;
}

std::string time_string(rng& r, log_context& cx) {
  if (!cx.recent_times.empty() && r.chance(0.25)) return r.pick(cx.recent_times);  // ties in time
  if (cx.kn.known_defects && r.chance(0.02)) return "2026-12-31T23:59:60";  // issue 11: read as 23:59:59
  const auto& a = r.pick(date_anchors);
  const i64 days = ref::days_of(a[0], a[1], a[2]) + r.range(-3, 3);
  const bool round = r.chance(0.4);  // on the hour or half hour, where clock literals sit
  const int h = static_cast<int>(r.range(0, 23)), m = static_cast<int>(round ? 30 * r.range(0, 1) : r.range(0, 59)),
            s = static_cast<int>(round ? 0 : r.range(0, 59));
  std::string t = date_text(days);
  switch (r.range(0, 5)) {
    case 0: t += "T" + two(h) + ":" + two(m) + ":" + two(s) + r.pick(std::vector<std::string>{"+08:00", "-05:00", "+00:00"}); break;
    case 1: t += "T" + two(h) + ":" + two(m) + ":" + two(s) + "Z"; break;
    case 2: t += "T" + two(h) + ":" + two(m) + ":" + two(s); break;
    case 3: t += " " + two(h) + ":" + two(m); break;
    case 4: break;  // date only: 00:00
    default: t += "T" + two(h) + ":00:00+08:00"; break;
  }
  cx.recent_times.push_back(t);
  return t;
}

gval text_val(rng& r, const std::string& s) { return {json_str(r, s), s}; }

/// A value for a declared field: valid, or (when `bad`) one both formats must reject where
/// the format can express it.
gval field_value(rng& r, const ref::field& f, log_context& cx, bool bad) {
  switch (f.type) {
    case ftype::int_: {
      const i64 n = r.chance(0.05) ? r.range(-99999, 99999) : r.range(-20, 200);
      if (bad) {
        static const std::vector<gval> bads = {{"\"4\"", "four"}, {"2.5", "2.5"}, {"true", "1 2"}, {"1e-1", "0x10"}, {"[4]", "--1"}};
        return r.pick(bads);
      }
      gval v{std::to_string(n), std::to_string(n)};
      const i64 alt = r.range(0, 19);
      if (alt == 0) v.json += ".0";
      else if (alt == 1) v.json += "e0";
      else if (alt == 2 && n % 10 == 0 && n != 0) v.json = std::to_string(n / 10) + "E1";
      if (alt == 3 && n >= 0) v.csv = "0" + v.csv;  // docs/decisions.md: leading zeros are fine in CSV
      return v;
    }
    case ftype::number: {
      if (bad) {
        static const std::vector<gval> bads = {{"\"2.5\"", "abc"}, {"1.0000001", "1.0000001"}, {"true", "1,5"}, {"{}", ".5"}, {"-", "5."}};
        return r.pick(bads);
      }
      if (r.chance(0.01)) {
        // The edges of decorum's int64 millionths: the first two fit, the others do not.
        static const std::vector<std::string> edges = {"9223372036854.775807", "-9223372036854.775807",
                                                       "9223372036854.775808", "-9223372036854.775808",
                                                       "92233720368547758070"};
        const std::string e = r.pick(edges);
        return {e, e};
      }
      // mantissa × 10^-decimals
      const i64 decimals = r.pick(std::vector<i64>{0, 1, 2, 3, 6});
      const i64 mantissa = r.range(-50000, 50000);
      i64 unit = 1;
      for (i64 k = decimals; k < 6; ++k) unit *= 10;
      const i64 v = mantissa * unit;
      gval g{millionths_text(v), millionths_text(v)};
      if (r.chance(0.1))  // exponent form (docs/decisions.md: JSON numbers follow JSON syntax)
        g.json = std::to_string(mantissa) + (r.chance(0.5) ? "e-" : "E-") + std::to_string(decimals);
      if (r.chance(0.05) && g.csv.find('.') != std::string::npos) g.csv += "0";
      return g;
    }
    case ftype::text: {
      if (bad) {
        static const std::vector<std::string> bads = {"5", "true", "{\"a\":1}", "[\"x\"]"};
        const std::string t = fresh_text(r, cx);
        return {r.pick(bads), t};  // any CSV text is a text
      }
      return text_val(r, fresh_text(r, cx));
    }
    case ftype::boolean: {
      if (bad) {
        static const std::vector<gval> bads = {{"\"yes\"", "maybe"}, {"1", "2"}, {"\"true\"", "t"}, {"0", "y"}};
        return r.pick(bads);
      }
      const bool b = r.chance(0.5);
      static const std::vector<std::string> yes = {"true", "yes", "1", "是", "TRUE", "Yes", "YES", "True"};
      static const std::vector<std::string> no = {"false", "no", "0", "否", "FALSE", "No", "NO", "False"};
      return {b ? "true" : "false", b ? r.pick(yes) : r.pick(no)};
    }
    case ftype::duration: {
      if (bad) {
        static const std::vector<gval> bads = {{"-5", "-5"}, {"\"5 minutes\"", "5x"}, {"true", "m5"}, {"\"-5s\"", "5 m"}, {"\"\"", "s"}};
        return r.pick(bads);
      }
      static const std::vector<std::string> units = {"90s", "5m", "2h", "0s", "45s", "1m", "3h"};
      const i64 form = r.range(0, 3);
      if (form == 0) {
        const std::string u = r.pick(units);
        return {json_str(r, u), u};
      }
      if (form == 1) {
        const std::string n = std::to_string(r.range(0, 10000));
        return {n, n};
      }
      if (form == 2) return {"2.5", "2.5"};
      const std::string n = std::to_string(r.range(0, 100));
      return {json_str(r, r.pick(units)), n};
    }
    case ftype::enum_: {
      if (bad) {
        static const std::vector<gval> bads = {{"\"zzz\"", "zzz"}, {"3", "Left_chest"}, {"\"Missing\"", "Missing"}, {"\"\"", " a_b"}};
        return r.pick(bads);
      }
      return text_val(r, r.pick(f.values));
    }
    case ftype::time: {
      if (bad) {
        const std::string t = r.pick(bad_times);
        return {r.chance(0.8) ? json_str(r, t) : "20261103", t};
      }
      return text_val(r, time_string(r, cx));
    }
  }
  return {"null", ""};
}

grec make_record(rng& r, log_context& cx) {
  const ref::rulebook& rb = cx.rb;
  grec g;
  const ref::kind& k = rb.kinds[static_cast<std::size_t>(r.range(0, static_cast<i64>(rb.kinds.size()) - 1))];
  const double bad = cx.bad;
  // kind
  if (r.chance(0.04 * bad)) {
    const i64 b = r.range(0, 3);
    if (b == 0) g.fields.push_back({"kind", text_val(r, "lunch_break")});
    else if (b == 1) g.fields.push_back({"kind", text_val(r, "Phone_Call")});
    else if (b == 2) g.fields.push_back({"kind", {"5", ""}});
    // b == 3: no kind at all
  } else {
    g.fields.push_back({"kind", text_val(r, k.name)});
  }
  // time
  if (r.chance(0.04 * bad)) {
    if (r.chance(0.8)) g.fields.push_back({"time", text_val(r, r.pick(bad_times))});
  } else {
    g.fields.push_back({"time", text_val(r, time_string(r, cx))});
  }
  // employee
  if (r.chance(0.03 * bad)) {
    const i64 b = r.range(0, 2);
    if (b == 0) g.fields.push_back({"employee", {"\"\"", ""}});
    else if (b == 1) g.fields.push_back({"employee", {"1.5", ""}});
  } else {
    const std::string e = r.pick(cx.employees);
    gval v = text_val(r, e);
    if (e == "17" && r.chance(0.5)) v.json = "17";  // SPEC §3: a JSON integer, read as its decimal text
    g.fields.push_back({"employee", v});
  }
  if (r.chance(0.55)) g.fields.push_back({"role", text_val(r, r.chance(0.9) ? r.pick(role_pool) : std::string("other"))});
  if (r.chance(0.5)) {
    // An empty JSON name is a present empty text; decorum and the reference both treat it as
    // no name given (SPEC: "the last name given") — a CSV cell cannot say it at all.
    g.fields.push_back({"name", text_val(r, r.chance(0.95) ? r.pick(name_pool) : std::string())});
  }
  if (r.chance(0.2)) {
    const std::string id = cx.kn.empty_id && r.chance(0.1) ? std::string() : r.pick(id_pool);
    gval v = text_val(r, id);
    if ((id == "7" || id == "8") && r.chance(0.5)) v.json = id;
    g.fields.push_back({"id", v});
  }
  const bool huge_note = cx.huge && r.chance(0.2);
  for (const char* opt : {"site", "inspector", "note"})
    if (r.chance(0.08) && !(huge_note && std::string(opt) == "note")) g.fields.push_back({opt, text_val(r, fresh_text(r, cx))});
  if (huge_note) {
    // SPEC §3: a line over 1 MiB is rejected. Well over or well under, never at the edge.
    const std::size_t n = r.chance(0.5) ? (std::size_t{1} << 20) + 64 : (std::size_t{1} << 20) - 4096;
    g.fields.push_back({"note", {"\"" + std::string(n, 'n') + "\"", std::string(n, 'n')}});
  }
  for (const auto& f : k.fields) {
    if (r.chance(f.required ? 0.05 * bad : 0.3)) continue;
    if (r.chance(f.required ? 0.04 * bad : 0.04)) {
      g.fields.push_back({f.name, {"null", ""}});  // SPEC §3: JSON null is an absent field
      continue;
    }
    g.fields.push_back({f.name, field_value(r, f, cx, r.chance(0.04 * bad))});
  }
  if (r.chance(0.02 * bad)) {
    // A field the kind does not have: a declared field of another kind, or no field at all.
    std::vector<std::string> foreign;
    for (const auto& other : rb.kinds)
      for (const auto& f : other.fields)
        if (!k.find(f.name)) foreign.push_back(f.name);
    if (!foreign.empty() && r.chance(0.7)) g.fields.push_back({r.pick(foreign), text_val(r, "1")});
    else g.fields.push_back({"colour", text_val(r, "red")});
  }
  r.shuffle(g.fields);
  return g;
}

/// Bytes that make a line invalid UTF-8 wherever they are put at a character boundary.
const std::vector<std::string> invalid_utf8 = {"\xFF", "\xFE", "\xC3(", "\xED\xA0\x80", "\xC0\xAF", "\xE4\xBD"};

std::size_t char_boundary(rng& r, const std::string& s) {
  if (s.empty()) return 0;
  std::size_t at = static_cast<std::size_t>(r.range(0, static_cast<i64>(s.size())));
  while (at < s.size() && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80) ++at;
  return at;
}

std::string render_jsonl(rng& r, log_context& cx, int records) {
  const bool crlf = r.chance(0.1);
  const std::string eol = crlf ? "\r\n" : "\n";
  // No BOM: SPEC §3 allows one in CSV only, and RFC 8259 leaves it to the parser.
  std::string out;
  for (int i = 0; i < records; ++i) {
    if (r.chance(0.04)) out += r.pick(std::vector<std::string>{"", "  ", "\t", " \t "}) + eol;  // blank lines
    const grec g = make_record(r, cx);
    std::string line;
    if (r.chance(0.02)) line += " ";
    line += "{";
    const std::string sep = r.chance(0.3) ? ", " : ",", colon = r.chance(0.3) ? ": " : ":";
    bool first = true;
    for (const auto& [key, v] : g.fields) {
      if (v.json.empty()) continue;
      if (!first) line += sep;
      first = false;
      line += json_str(r, key) + colon + v.json;
    }
    line += "}";
    const i64 corrupt = r.chance(cx.bad) ? r.range(0, 199) : 200;
    if (corrupt < 5 && line.size() > 2) line.resize(static_cast<std::size_t>(r.range(1, static_cast<i64>(line.size()) - 1)));
    else if (corrupt < 8) line.insert(char_boundary(r, line), r.pick(invalid_utf8));
    else if (corrupt < 10) line = r.pick(std::vector<std::string>{"[1,2]", "null", "\"text\"", "42", "{}", "{\"kind\":}"});
    else if (corrupt < 12) line += r.pick(std::vector<std::string>{" x", "{}", ",", " }"});
    else if (corrupt < 13) line = "{\"a\":1} " + line;
    if (line.find_first_not_of(" \t") == std::string::npos) line = "{";  // a cut that left only white space
    out += line;
    if (i + 1 < records || r.chance(0.8)) out += eol;
  }
  return out;
}

/// A CSV cell for a text. A text that must be quoted is written without spaces or tabs at its
/// ends: decorum's fast CSV splitter trims quoted cells (issue 11, being fixed elsewhere).
std::string render_csv_text(rng& r, std::string t, bool known_defects) {
  const bool must_quote = t.find_first_of(",\"\n\r") != std::string::npos;
  const bool padded = !t.empty() && (t.front() == ' ' || t.front() == '\t' || t.back() == ' ' || t.back() == '\t');
  if (must_quote || (!padded && r.chance(0.1)) || (padded && known_defects && r.chance(0.5))) {
    if (padded && !known_defects) {
      const std::size_t a = t.find_first_not_of(" \t"), b = t.find_last_not_of(" \t");
      t = a == std::string::npos ? std::string() : t.substr(a, b - a + 1);
    }
    std::string q = "\"";
    for (char c : t) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  }
  if (!t.empty() && r.chance(0.05)) return " " + t + "\t";  // unquoted cells are trimmed
  return t;
}

/// Renders a CSV log; with `cx.bad`, now and then a header that fails the whole file (SPEC §3).
std::string render_csv(rng& r, log_context& cx, int records) {
  const ref::rulebook& rb = cx.rb;
  std::vector<std::string> columns = {"time", "employee", "kind"};
  for (const char* s : {"role", "name", "id", "site", "inspector", "note"})
    if (r.chance(0.6)) columns.push_back(s);
  std::set<std::string> declared;
  for (const auto& k : rb.kinds)
    for (const auto& f : k.fields) declared.insert(f.name);
  for (const auto& d : declared)
    if (r.chance(1 - 0.15 * cx.bad)) columns.push_back(d);
  const bool unnamed = r.chance(0.03);
  if (unnamed) columns.push_back("");
  const i64 header_fault = r.chance(cx.bad) ? r.range(0, 199) : 200;
  if (header_fault == 0) columns.push_back("colour");                 // no field of any kind
  else if (header_fault == 1) columns.push_back(columns[1]);          // a duplicate column
  else if (header_fault == 2) columns.erase(columns.begin() + 2);     // no `kind` column
  r.shuffle(columns);

  const bool crlf = r.chance(0.3);
  const std::string eol = crlf ? "\r\n" : "\n";
  std::string out;
  if (r.chance(0.15)) out += "\xEF\xBB\xBF";
  if (r.chance(0.05)) out += eol;  // blank lines before the header are skipped
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (c) out += ",";
    out += !columns[c].empty() && r.chance(0.1) ? "\"" + columns[c] + "\"" : columns[c];
  }
  out += eol;
  for (int i = 0; i < records; ++i) {
    if (r.chance(0.04)) out += r.pick(std::vector<std::string>{"", "   ", ",,,", ","}) + eol;  // blank rows
    const grec g = make_record(r, cx);
    std::vector<std::string> cells(columns.size());
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (columns[c].empty()) {
        if (r.chance(0.2)) cells[c] = "zz";
        continue;
      }
      for (const auto& [key, v] : g.fields)
        if (key == columns[c]) cells[c] = render_csv_text(r, v.csv, cx.kn.known_defects);
    }
    const i64 corrupt = r.chance(cx.bad) ? r.range(0, 99) : 100;
    if (corrupt < 2) {
      cells.push_back("x");  // one cell too many
    } else if (corrupt < 4 && cells.size() > 1) {
      cells.pop_back();  // one too few
    } else if (corrupt < 6) {
      std::string& cell = cells[static_cast<std::size_t>(r.range(0, static_cast<i64>(cells.size()) - 1))];
      if (cell.empty() || cell[0] != '"') cell.insert(char_boundary(r, cell), r.pick(invalid_utf8));
      else cell.insert(1, r.pick(invalid_utf8));
    }
    std::string row;
    for (std::size_t c = 0; c < cells.size(); ++c) row += (c ? "," : "") + cells[c];
    out += row;
    if (i + 1 < records || r.chance(0.8)) out += eol;
  }
  if (r.chance(0.02 * cx.bad)) {
    if (!out.empty() && out.back() != '\n') out += eol;
    out += "\"2026-11-03,E1,never closed";  // a row left inside an open quote
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// A case: a rulebook and 1–3 logs from one seed.

struct test_case {
  u64 seed = 0;
  std::string period;  ///< `--period` override ("" for none)
  generated_rulebook book;
  std::vector<ref::input> logs;  ///< names without a directory
};

test_case make_case(u64 seed, const knobs& kn) {
  rng r(seed);
  test_case c;
  c.seed = seed;
  const std::vector<std::string> texts = text_values(r, kn);
  c.book = make_rulebook(r, seed, kn, texts);
  if (r.chance(0.15)) c.period = r.pick(std::vector<std::string>{"day", "week", "month", "quarter", "year", "all"});
  log_context cx{c.book.rb, texts, kn, {}, 1, false, {}};
  cx.bad = r.pick(std::vector<double>{0, 0, 0.3, 0.3, 1});  // clean logs in two cases of five
  cx.employees = employee_pool;
  r.shuffle(cx.employees);
  cx.employees.resize(static_cast<std::size_t>(r.range(1, 4)));
  cx.huge = r.chance(0.005);
  std::vector<std::string> stems = {"a", "b", "log", "nov", "z-2026"};
  r.shuffle(stems);
  for (i64 i = 0, files = r.range(1, 3); i < files; ++i) {
    ref::input in;
    in.csv = r.chance(0.5);
    in.name = stems[static_cast<std::size_t>(i)] + (in.csv ? ".csv" : r.chance(0.8) ? ".jsonl" : ".ndjson");
    const int records = static_cast<int>(r.chance(0.05) ? 0 : r.range(1, 25));
    in.bytes = in.csv ? render_csv(r, cx, records) : render_jsonl(r, cx, records);
    if (in.csv && r.chance(0.02)) in.bytes = r.chance(0.5) ? "" : "\xEF\xBB\xBF";  // reads 0 records (docs/decisions.md)
    c.logs.push_back(std::move(in));
  }
  return c;
}

/// Bytes made readable: invalid UTF-8 as \xNN, CR and tab spelled out, a BOM named.
std::string visible(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\r') out += "\\r", ++i;
    else if (c == '\t') out += "\\t", ++i;
    else if (s.compare(i, 3, "\xEF\xBB\xBF") == 0) out += "<BOM>", i += 3;
    else if (c < 0x80) out += static_cast<char>(c), ++i;
    else {
      std::size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
      if (i + n <= s.size() && n > 1 && ref::decode_utf8(std::string_view(s).substr(i, n))) {
        out.append(s, i, n);
        i += n;
      } else {
        static const char* hex = "0123456789ABCDEF";
        out += "\\x";
        out += hex[c >> 4];
        out += hex[c & 15];
        ++i;
      }
    }
  }
  return out;
}

// Both sides are printed in one canonical text, one line per fact, so comparing is comparing
// lines and a failure shows exactly the lines that differ.

std::string amount_text(const decorum::decimal& d) {
  // Cents when the value is a whole number of cents (it must be: SPEC §4), else the raw value.
  if (d.raw() % 10'000 == 0) return ref::cents_text(d.raw() / 10'000);
  return "raw:" + millionths_text(d.raw());
}

std::vector<std::string> canonical(const decorum::score_report& rep) {
  std::vector<std::string> out;
  out.push_back("input records=" + std::to_string(rep.records) + " scored=" + std::to_string(rep.scored) +
                " rejected=" + std::to_string(rep.rejected) + " rules=" + std::to_string(rep.rule_count));
  std::vector<std::string> rejected;
  for (const auto& rj : rep.rejections) rejected.push_back("rejected " + rep.source_name(rj) + ":" + std::to_string(rj.line));
  std::sort(rejected.begin(), rejected.end());
  out.insert(out.end(), rejected.begin(), rejected.end());
  for (const auto& t : rep.tallies) {
    std::string l = "tally " + t.employee + " | " + t.period + " | name=" + t.name + " | base=" + amount_text(t.base) +
                    " deductions=" + amount_text(t.deductions) + " bonuses=" + amount_text(t.bonuses) +
                    " score=" + amount_text(t.score) + " grade=" + (t.grade ? *t.grade : "null") +
                    " fines=" + amount_text(t.fines) + " findings=" + std::to_string(t.findings) + " voided=" + std::to_string(t.voided) + " flags=";
    for (std::size_t i = 0; i < t.flags.size(); ++i) l += (i ? ";" : "") + t.flags[i];
    auto cats = t.categories;
    std::sort(cats.begin(), cats.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    l += " categories=";
    for (std::size_t i = 0; i < cats.size(); ++i) l += (i ? "," : "") + cats[i].first + ":" + amount_text(cats[i].second);
    l += " rules=";
    for (std::size_t i = 0; i < t.rules.size(); ++i)
      l += (i ? "," : "") + t.rules[i].id + ":" + std::to_string(t.rules[i].count) + ":" +
           amount_text(t.rules[i].points) + ":" + amount_text(t.rules[i].fines);
    out.push_back(l);
  }
  return out;
}

std::vector<std::string> canonical(const ref::report& rep) {
  std::vector<std::string> out;
  out.push_back("input records=" + std::to_string(rep.records) + " scored=" + std::to_string(rep.scored) +
                " rejected=" + std::to_string(rep.rejected) + " rules=" + std::to_string(rep.rules));
  std::vector<std::string> rejected;
  for (const auto& [source, line] : rep.rejections) rejected.push_back("rejected " + source + ":" + std::to_string(line));
  std::sort(rejected.begin(), rejected.end());
  out.insert(out.end(), rejected.begin(), rejected.end());
  for (const auto& t : rep.tallies) {
    std::string l = "tally " + t.employee + " | " + t.period + " | name=" + t.name + " | base=" + ref::cents_text(t.base) +
                    " deductions=" + ref::cents_text(t.deductions) + " bonuses=" + ref::cents_text(t.bonuses) +
                    " score=" + ref::cents_text(t.score) + " grade=" + (t.grade ? *t.grade : "null") +
                    " fines=" + ref::cents_text(t.fines) + " findings=" + std::to_string(t.findings) + " voided=" + std::to_string(t.voided) + " flags=";
    for (std::size_t i = 0; i < t.flags.size(); ++i) l += (i ? ";" : "") + t.flags[i];
    l += " categories=";
    for (std::size_t i = 0; i < t.categories.size(); ++i)
      l += (i ? "," : "") + t.categories[i].first + ":" + ref::cents_text(t.categories[i].second);
    l += " rules=";
    for (std::size_t i = 0; i < t.rules.size(); ++i)
      l += (i ? "," : "") + t.rules[i].id + ":" + std::to_string(t.rules[i].count) + ":" +
           ref::cents_text(t.rules[i].points) + ":" + ref::cents_text(t.rules[i].fines);
    out.push_back(l);
  }
  return out;
}

std::string join_lines(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& l : v) s += "  " + l + "\n";
  return s;
}

/// The lines of `a` that `b` lacks (as multisets).
std::vector<std::string> minus(std::vector<std::string> a, std::vector<std::string> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  std::vector<std::string> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

std::string describe_case(const test_case& c) {
  std::string s = (c.period.empty() ? std::string() : "--- period override (score --period " + c.period + ") ---\n") +
                  "--- rulebook (diff.yaml) ---\n" + c.book.yaml;
  for (const auto& in : c.logs) {
    // Long runs of one character (the 1 MiB notes) are shortened for reading.
    std::string text = visible(in.bytes);
    for (std::size_t at = 0; (at = text.find("nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn", at)) != std::string::npos;) {
      std::size_t end = text.find_first_not_of('n', at);
      if (end == std::string::npos) end = text.size();
      const std::string marker = "n…(" + std::to_string(end - at) + " × n)";
      text.replace(at, end - at, marker);
      at += marker.size();
    }
    s += "--- " + in.name + " ---\n" + text + "\n";
  }
  return s;
}

std::string replay_hint(u64 seed) {
  return "replay: DECORUM_DIFF_SEED=" + std::to_string(seed) + " build-diff/tests/decorum_tests -tc='*differential*'";
}

struct outcome {
  std::string mismatch;  ///< empty when decorum and the reference agree
  bool skipped = false;  ///< the reference saw an overflow (issue 11): not compared
  bool fatal = false;    ///< an input failed as a whole (both sides agreed)
  std::size_t tallies = 0, findings = 0, voided = 0, records = 0, rejected = 0;
};

struct stats {
  std::size_t cases = 0, skipped = 0, fatal = 0, tallies = 0, findings = 0, voided = 0, records = 0, rejected = 0, failures = 0;
};

/// Seconds spent per phase, over all cases.
struct phase_times {
  double generate = 0, compile = 0, reference = 0, threads1 = 0, threads2 = 0;
};
phase_times timing;

/// With DECORUM_DIFF_REASONS=1: how often decorum gave each rejection reason (quoted parts cut).
std::map<std::string, std::size_t> reasons;
bool count_reasons = false;

double since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

outcome run_case(const test_case& c, const std::filesystem::path& dir, bool verbose) {
  outcome o;
  std::vector<decorum::diagnostic> diags;
  auto t0 = std::chrono::steady_clock::now();
  auto rules = decorum::compile_rulebook("diff.yaml", c.book.yaml, diags);
  timing.compile += since(t0);
  if (!rules) {
    std::string d;
    for (const auto& x : diags) d += decorum::format_diagnostic(x) + "\n";
    o.mismatch = "seed " + std::to_string(c.seed) + ": decorum refused the generated rulebook (" + replay_hint(c.seed) +
                 ")\n" + d + describe_case(c);
    return o;
  }
  std::vector<ref::input> ref_inputs;
  std::vector<decorum::batch_input> inputs;
  for (const auto& in : c.logs) {
    const std::string p = (dir / in.name).string();
    std::ofstream(p, std::ios::binary).write(in.bytes.data(), static_cast<std::streamsize>(in.bytes.size()));
    ref_inputs.push_back({p, in.csv, in.bytes});
    inputs.push_back({p, in.csv ? decorum::input_format::csv : decorum::input_format::jsonl});
  }
  // SPEC §10: in one case of three, a few findings are voided by appeals (rule × record id,
  // some of which match nothing) — both sides must drop exactly those.
  std::set<std::pair<std::string, std::string>> voids;
  std::shared_ptr<const decorum::appeal_set> appeals;
  if (c.seed % 3 == 1 && !c.book.rb.rules.empty()) {
    rng vr(c.seed ^ 0xa99ea15ULL);
    const int n = 1 + static_cast<int>(c.seed % 6);
    std::vector<decorum::appeal> list;
    for (int i = 0; i < n; ++i) {
      const std::string rule = vr.pick(c.book.rb.rules).id;
      const std::string id = vr.pick(id_pool);
      if (!voids.insert({rule, id}).second) continue;
      decorum::appeal a;
      a.rule = rule;
      a.record = id;
      a.decision = decorum::appeal_decision::void_finding;
      a.reviewer = "HR";
      a.reason = "differential";
      a.source = "appeals.jsonl";
      a.line = list.size() + 1;
      list.push_back(std::move(a));
    }
    appeals = decorum::appeal_set::make(*rules, std::move(list)).value();
  }
  t0 = std::chrono::steady_clock::now();
  const ref::report expected = ref::score(c.book.rb, ref_inputs, c.period, voids);
  timing.reference += since(t0);
  if (expected.overflow) {
    o.skipped = true;
    return o;
  }
  const std::vector<std::string> want = expected.fatal ? std::vector<std::string>{"fatal"} : canonical(expected);
  if (verbose) MESSAGE("seed " << c.seed << "\n" << describe_case(c) << "--- reference ---\n" << join_lines(want));
  for (unsigned threads : {1u, 2u}) {
    decorum::batch_options bo;
    // The logs carry stray invalid bytes on purpose: read them as UTF-8, as the reference
    // scorer does, rather than let detection decode a mostly-ASCII log as a code page.
    bo.encoding = decorum::text_encoding::utf8;
    bo.threads = threads;
    bo.scoring.appeals = appeals;
    if (!c.period.empty()) bo.scoring.period = decorum::parse_period_kind(c.period);
    // Several chunks per log, records straddling them; tiny blocks (every chunk a hand-off
    // between threads, which costs a context switch) in one case of five.
    if (threads > 1) bo.block_size = c.seed % 5 == 0 ? 64 + c.seed % 449 : 1024 + c.seed % 3072;
    t0 = std::chrono::steady_clock::now();
    const decorum::batch_result res = decorum::score_batch(rules, inputs, bo);
    (threads == 1 ? timing.threads1 : timing.threads2) += since(t0);
    if (count_reasons && threads == 1 && res.ok())
      for (const auto& rj : res.report.rejections) ++reasons[rj.reason.substr(0, rj.reason.find_first_of("\"'0123456789"))];
    const std::vector<std::string> got = !res.ok() ? std::vector<std::string>{"fatal"} : canonical(res.report);
    if (got == want) continue;
    std::string m = "seed " + std::to_string(c.seed) + ", " + std::to_string(threads) +
                    " thread(s): decorum and the reference scorer disagree (" + replay_hint(c.seed) + ")\n";
    const auto only_ref = minus(want, got), only_dec = minus(got, want);
    if (only_ref.empty() && only_dec.empty()) m += "same lines, different order\n";
    m += "--- only in the reference ---\n" + join_lines(only_ref) + "--- only in decorum ---\n" + join_lines(only_dec);
    if (!res.ok() && res.fatal) m += "decorum: " + decorum::format_diagnostic(*res.fatal, false) + "\n";
    if (res.ok())
      for (const auto& rj : res.report.rejections) m += "decorum rejected " + res.report.source_name(rj) + ":" + std::to_string(rj.line) + ": " + rj.reason + "\n";
    m += describe_case(c);
    o.mismatch = m;
    return o;
  }
  o.fatal = expected.fatal;
  o.tallies = expected.tallies.size();
  for (const auto& t : expected.tallies) o.findings += t.findings, o.voided += t.voided;
  o.records = expected.records;
  o.rejected = expected.rejected;
  return o;
}

std::optional<u64> env_number(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) return std::nullopt;
  return std::strtoull(v, nullptr, 10);
}


}  // namespace

TEST_CASE("differential: random rulebooks and logs, decorum at 1 and 2 threads vs the reference scorer") {
  count_reasons = env_number("DECORUM_DIFF_REASONS").value_or(0) != 0;
  knobs kn;
  kn.unicode_space = env_number("DECORUM_DIFF_UNICODE_SPACE").value_or(1) != 0;
  kn.empty_id = env_number("DECORUM_DIFF_EMPTY_ID").value_or(1) != 0;
  kn.known_defects = env_number("DECORUM_DIFF_KNOWN_DEFECTS").value_or(1) != 0;
  const std::optional<u64> only = env_number("DECORUM_DIFF_SEED");
  const u64 first = only ? *only : 1;
  const u64 count = only ? 1 : env_number("DECORUM_DIFF_CASES").value_or(2500);
  const decorum::test::scratch_dir dir("decorum-differential");
  stats st;
  const auto start = std::chrono::steady_clock::now();
  for (u64 seed = first; seed < first + count; ++seed) {
    const auto g0 = std::chrono::steady_clock::now();
    const test_case c = make_case(seed, kn);
    timing.generate += since(g0);
    const outcome o = run_case(c, dir.path, only.has_value());
    ++st.cases;
    if (!o.mismatch.empty()) {
      if (++st.failures <= 3) FAIL_CHECK(o.mismatch);
      else MESSAGE(o.mismatch.substr(0, o.mismatch.find('\n')));  // the rest: their seeds
      continue;
    }
    st.skipped += o.skipped;
    st.fatal += o.fatal;
    st.tallies += o.tallies;
    st.findings += o.findings;
    st.voided += o.voided;
    st.records += o.records;
    st.rejected += o.rejected;
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  MESSAGE(st.cases << " cases (seeds " << first << "…" << first + count - 1 << ") in " << secs << " s: " << st.failures
                   << " disagreeing, " << st.skipped << " skipped (overflow, issue 11), " << st.fatal
                   << " with an unreadable CSV header; " << st.records << " records (" << st.rejected << " rejected), "
                   << st.tallies << " tallies, " << st.findings << " findings (" << st.voided << " voided by appeals) compared; seconds spent generating "
                   << timing.generate << ", compiling " << timing.compile << ", in the reference " << timing.reference
                   << ", in score_batch at 1 thread " << timing.threads1 << " and at 2 threads " << timing.threads2);
  if (count_reasons) {
    std::string lines;
    for (const auto& [why, n] : reasons) lines += "  " + std::to_string(n) + "  " + why + "\n";
    MESSAGE("rejection reasons (decorum, 1 thread):\n" << lines);
  }
  CHECK(st.failures == 0);
}

TEST_CASE("differential: the reference scorer itself, on worked examples of the SPEC") {
  // Periods (SPEC §4, §5): ISO weeks at year ends, zero-padded.
  CHECK(ref::period_label("week", ref::days_of(2026, 11, 3)) == "2026-W45");
  CHECK(ref::period_label("week", ref::days_of(2027, 1, 1)) == "2026-W53");
  CHECK(ref::period_label("week", ref::days_of(2024, 12, 30)) == "2025-W01");
  CHECK(ref::period_label("week", ref::days_of(2027, 1, 4)) == "2027-W01");
  CHECK(ref::period_label("day", ref::days_of(2026, 11, 3)) == "2026-11-03");
  CHECK(ref::period_label("month", ref::days_of(2026, 11, 3)) == "2026-11");
  CHECK(ref::period_label("quarter", ref::days_of(2026, 11, 3)) == "2026-Q4");
  CHECK(ref::period_label("year", ref::days_of(2026, 11, 3)) == "2026");
  CHECK(ref::period_label("all", ref::days_of(2026, 11, 3)) == "all");
  CHECK(ref::iso_weekday(ref::days_of(2026, 11, 2)) == 1);  // a Monday

  // Times as written (SPEC §3), never shifted by the offset.
  REQUIRE(ref::parse_time("2026-11-03T09:12:00+08:00"));
  CHECK(ref::parse_time("2026-11-03T09:12:00+08:00")->secs == 9 * 3600 + 12 * 60);
  CHECK(ref::parse_time("2026-11-03 09:12")->secs == 9 * 3600 + 12 * 60);
  CHECK(ref::parse_time("2026-11-03")->secs == 0);
  CHECK_FALSE(ref::parse_time("2026-02-29"));
  CHECK_FALSE(ref::parse_time("2026-11-03T24:00:00"));

  // Folding and phrase matching (SPEC §2).
  CHECK(ref::fold("Ａ１") == U"a1");
  CHECK(ref::fold("，") == U"\uFF0C");
  CHECK(ref::fold(" \u3000Hello \t World ") == U"hello world");
  CHECK(ref::match_phrases("  Hello", {"hello"}).starts);
  CHECK(ref::match_phrases("您好您好啊", {"您好", "您好啊"}).count == 2);  // the longest at each position
  CHECK(ref::match_phrases("xxx", {"x", "xx"}).count == 2);
  CHECK(ref::match_phrases("不知道不清楚", {"不", "不知道", "不清楚"}).count == 2);
  CHECK(ref::match_phrases("HELLO", {"hello"}).equals);

  // Numbers: `/` to 6 digits half away from zero; JSON numbers exact or refused.
  CHECK(ref::div_half_away(2 * ref::million * ref::million, 3 * ref::million) == 666'667);
  CHECK(ref::div_half_away(-2 * ref::million * ref::million, 3 * ref::million) == -666'667);
  CHECK(ref::json_number("1e2") == 100 * ref::million);
  CHECK(ref::json_number("2.5E-2") == 25'000);
  CHECK(ref::json_number("1.0000000") == ref::million);
  CHECK_FALSE(ref::json_number("1.0000001"));
  CHECK(ref::parse_plain_decimal("05") == 5 * ref::million);
  CHECK(ref::parse_duration("5m") == 300 * ref::million);
  CHECK(ref::cents_text(250) == "2.5");
  CHECK(ref::cents_text(-5) == "-0.05");

  // A small scoring run in the shape of SPEC §1's example: a progressive price with `times`
  // and a cap, a signed `points` formula, a fine with a flag, roles, a tally without findings.
  ref::rulebook rb;
  rb.name = "example";
  rb.grades = {{9000, "A"}, {7500, "B"}, {0, "D"}};
  rb.ceiling = 12000;
  rb.kinds = {{"utterance", {{"text", ftype::text, {}, false}}},
              {"monthly_kpi", {{"arrears_rate_pct", ftype::number, {}, false}}},
              {"incident", {{"type", ftype::enum_, {"physical_conflict", "quarrel"}, false}}}};
  rb.phrases = {{"forbidden", {"这与我无关", "不知道", "不清楚"}}};
  {
    ref::rule r;
    r.id = "language.forbidden";
    r.category = "language";
    r.on = 0;
    expr subject = path("text");
    expr c = node(op::contains, {subject});
    c.text = "forbidden";
    expr n = node(op::count, {subject});
    n.text = "forbidden";
    r.when = c;
    r.times = n;
    r.amount = ref::amount_kind::deduct;
    r.value.progressive = {1000, 2000, 5000};
    r.cap = 7000;
    rb.rules.push_back(r);
  }
  {
    ref::rule r;
    r.id = "kpi.arrears-rate";
    r.category = "kpi";
    r.on = 1;
    r.amount = ref::amount_kind::points;
    r.value.formula = node(op::mul, {node(op::sub, {number_lit(25 * ref::million, "25"), path("arrears_rate_pct")}),
                                     number_lit(1000 * ref::million, "1000")});
    rb.rules.push_back(r);
  }
  {
    ref::rule r;
    r.id = "conduct.physical-conflict";
    r.on = 2;
    r.when = node(op::eq, {path("type"), text_lit("physical_conflict")});
    r.amount = ref::amount_kind::deduct;
    r.value.constant = 5000;
    r.fine.constant = 50000;
    r.flag = "dismissal-review";
    r.roles = {"receptionist", "butler"};
    rb.rules.push_back(r);
  }
  const std::string log =
      "{\"time\":\"2026-11-03T09:12:00+08:00\",\"employee\":\"E017\",\"name\":\"王芳\",\"kind\":\"utterance\",\"text\":\"不知道，不清楚，不知道\"}\n"
      "{\"time\":\"2026-11-04\",\"employee\":\"E017\",\"kind\":\"monthly_kpi\",\"arrears_rate_pct\":24.9995}\n"
      "{\"time\":\"2026-11-05\",\"employee\":\"E017\",\"role\":\"butler\",\"kind\":\"incident\",\"type\":\"physical_conflict\"}\n"
      "{\"time\":\"2026-11-05\",\"employee\":\"E018\",\"role\":\"guard\",\"kind\":\"incident\",\"type\":\"physical_conflict\"}\n"
      "{\"time\":\"2026-11-05\",\"employee\":\"E018\",\"kind\":\"incident\",\"type\":\"fight\"}\n"
      "\n"
      "not json\n";
  const ref::report rep = ref::score(rb, {{"nov.jsonl", false, log}});
  CHECK(rep.records == 6);
  CHECK(rep.scored == 4);
  CHECK(rep.rejected == 2);
  REQUIRE(rep.tallies.size() == 2);
  const ref::tally& t = rep.tallies[0];
  CHECK(t.employee == "E017");
  CHECK(t.period == "2026-11");
  CHECK(t.name == "王芳");
  CHECK(t.deductions == 7000 + 5000);  // 10 + 20 + 50 capped at 70, then 50
  CHECK(t.bonuses == 50);              // (25 - 24.9995) × 1000 = 0.5
  CHECK(t.score == 10000 - 12000 + 50);
  CHECK(!t.grade);  // -19.5 reaches no band
  CHECK(t.fines == 50000);
  CHECK(t.findings == 3);
  CHECK(t.flags == std::vector<std::string>{"dismissal-review"});
  REQUIRE(t.rules.size() == 3);
  CHECK(t.rules[0].count == 3);
  CHECK(t.rules[0].points == -7000);
  CHECK(rep.tallies[1].employee == "E018");  // a tally without findings
  CHECK(rep.tallies[1].findings == 0);
  CHECK(rep.tallies[1].score == 10000);
  CHECK(rep.tallies[1].grade == std::optional<std::string>("A"));
}
