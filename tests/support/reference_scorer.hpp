// tests/support/reference_scorer.hpp — a deliberately simple, independent scorer of SPEC §1–§5
// for the whole-pipeline differential test (tests/tally/test_differential.cpp, issue 11).
//
// It shares nothing with decorum: it never parses YAML (the rulebook is the plain struct below,
// which the test's generator also writes out as YAML for decorum), evaluates expressions by
// walking its own tree with std::optional-like values, keeps numbers as int64 millionths (SPEC
// and docs/decisions.md: 6 fractional digits, `*` and `/` rounded half away from zero) and
// money as int64 cents, folds phrases itself (SPEC §2), names periods itself (SPEC §4, ISO weeks
// included) and reads the restricted shapes of JSON Lines and CSV the generator writes with its
// own tiny parsers (SPEC §3 and the "Logs" part of docs/decisions.md). Everything is brute force
// and written for clarity, not speed: the logs it sees are a few dozen records.
//
// Covered: every field type (time fields included), every operator and function of SPEC §2
// (clocks, durations, time arithmetic, between, abs/min/max, %), JSON numbers with exponents,
// CSV headers that fail the file, open quotes, records over 1 MiB, duplicate ids, `--period`.
// Not covered: GBK/GB18030 input, findings lists, and SPEC §7–§11. Where SPEC and
// docs/decisions.md are silent the choice is marked here (`%` keeps the dividend's sign; an
// overflow sets report::overflow and the test does not compare such a case).
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace decorum_ref {

using i64 = std::int64_t;
using u64 = std::uint64_t;
using i128 = __int128;

inline constexpr i64 million = 1'000'000;

/// SPEC §3: "a line over 1 MiB" is rejected. The generator writes records well over or well
/// under this (a line break, CR or not, is never what decides).
inline constexpr std::size_t max_record_bytes = std::size_t{1} << 20;

// ---------------------------------------------------------------------------------------------
// The rulebook, as the generator builds it.

enum class ftype { int_, number, text, boolean, duration, enum_, time };

/// A declared field of a record kind.
struct field {
  std::string name;
  ftype type = ftype::int_;
  std::vector<std::string> values;  ///< enum values
  bool required = false;
};

/// A record kind.
struct kind {
  std::string name;
  std::vector<field> fields;
  const field* find(std::string_view n) const {
    for (const auto& f : fields)
      if (f.name == n) return &f;
    return nullptr;
  }
};

/// A named phrase set.
struct phrase_set {
  std::string name;
  std::vector<std::string> phrases;
};

/// Expression operators (every form of SPEC §2).
enum class op {
  num,          ///< constant: `num` millionths (a duration literal: millionths of a second), written as `spelling`
  clock_lit,    ///< constant clock: `num` = seconds since midnight × 10^6, written as `spelling` ("08:00")
  str,          ///< constant text `text`
  boolean,      ///< constant `b`
  field,        ///< the field `text`: declared, or standard (`time`, `employee`, `kind`, `role`, …)
  has,          ///< has(`text`)
  not_, and_, or_,
  eq, ne, lt, le, gt, ge,      ///< args[0] OP args[1]
  in_list, not_in_list,        ///< args[0] [not] in [args[1], …]
  in_set, not_in_set,          ///< args[0] [not] in phrases.`text`
  contains, starts_with, ends_with, count,  ///< f(args[0], phrases.`text`) or f(args[0], "`text`") when `b`
  len,                         ///< len(args[0])
  add, sub, mul, div, mod, neg,
  if_,                         ///< if(args[0], args[1], args[2])
  weekday, hour, clock,        ///< weekday(args[0]), hour(args[0]), clock(args[0]) of a time
  between,                     ///< between(args[0], args[1], args[2]) of clocks
  abs, min, max                ///< abs(args[0]), min(args[0], args[1]), max(args[0], args[1])
};

/// An expression tree.
struct expr {
  op o = op::boolean;
  i64 num = 0;
  std::string text;
  bool b = false;
  std::string spelling;
  std::vector<expr> args;
};

enum class amount_kind { none, deduct, bonus, points };

/// What a rule costs: a constant, a progressive list or an expression (one of them).
struct price {
  std::optional<i64> constant;     ///< cents
  std::vector<i64> progressive;    ///< cents, non-empty for a progressive price
  std::optional<expr> formula;     ///< an expression
  bool given() const { return constant || !progressive.empty() || formula; }
};

/// A rule.
struct rule {
  std::string id, category, flag;  ///< category and flag: "" for none
  std::size_t on = 0;              ///< index into rulebook::kinds
  std::optional<expr> when, times;
  amount_kind amount = amount_kind::none;
  price value;                     ///< deduct / bonus / points
  price fine;
  std::optional<i64> cap;          ///< cents
  std::vector<std::string> roles;  ///< empty: every role
  bool enabled = true;
};

/// A grade band.
struct grade {
  i64 min = 0;  ///< cents
  std::string name;
};

/// A rulebook.
struct rulebook {
  std::string name;
  i64 base = 100 * 100;  ///< cents
  std::string period = "month";
  std::optional<i64> floor, ceiling;  ///< cents
  std::vector<grade> grades;          ///< highest min first
  std::vector<kind> kinds;
  std::vector<phrase_set> phrases;
  std::vector<rule> rules;
  const phrase_set* set(std::string_view n) const {
    for (const auto& s : phrases)
      if (s.name == n) return &s;
    return nullptr;
  }
  const kind* find_kind(std::string_view n) const {
    for (const auto& k : kinds)
      if (k.name == n) return &k;
    return nullptr;
  }
};

// ---------------------------------------------------------------------------------------------
// Text: UTF-8 and folding (SPEC §2).

/// Decodes valid UTF-8 (nullopt when invalid: bad lead, truncated, overlong, surrogate, > U+10FFFF).
inline std::optional<std::u32string> decode_utf8(std::string_view s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    int n = 0;
    char32_t cp = 0, least = 0;
    if (c < 0x80) n = 1, cp = c;
    else if (c >= 0xC2 && c <= 0xDF) n = 2, cp = c & 0x1F, least = 0x80;
    else if (c >= 0xE0 && c <= 0xEF) n = 3, cp = c & 0x0F, least = 0x800;
    else if (c >= 0xF0 && c <= 0xF4) n = 4, cp = c & 0x07, least = 0x10000;
    else return std::nullopt;
    if (i + static_cast<std::size_t>(n) > s.size()) return std::nullopt;
    for (int k = 1; k < n; ++k) {
      const unsigned char cc = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      if ((cc & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < least || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
    out += cp;
    i += static_cast<std::size_t>(n);
  }
  return out;
}

inline void encode_utf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

/// Unicode's White_Space property (the set SPEC §2 means by "white space").
inline bool white_space(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

/// SPEC §2 folding: U+FF01–U+FF5E to ASCII except U+FF0C, ASCII letters to lower case, runs of
/// white space to one space, none at either end.
inline std::u32string fold(std::string_view s) {
  std::u32string in = decode_utf8(s).value_or(std::u32string{}), out;
  bool pending_space = false;
  for (char32_t c : in) {
    if (white_space(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (c >= 0xFF01 && c <= 0xFF5E && c != 0xFF0C) c -= 0xFEE0;
    if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
    if (pending_space) out += U' ';
    pending_space = false;
    out += c;
  }
  return out;
}

/// What the phrase functions say of a text and a set of phrases.
struct phrase_facts {
  bool contains = false, starts = false, ends = false, equals = false;
  i64 count = 0;
};

inline phrase_facts match_phrases(std::string_view text, const std::vector<std::string>& phrases) {
  const std::u32string t = fold(text);
  std::vector<std::u32string> ps;
  for (const auto& p : phrases) ps.push_back(fold(p));
  phrase_facts r;
  for (const auto& p : ps) {
    if (p.empty()) continue;
    if (t.find(p) != std::u32string::npos) r.contains = true;
    if (t.size() >= p.size() && t.compare(0, p.size(), p) == 0) r.starts = true;
    if (t.size() >= p.size() && t.compare(t.size() - p.size(), p.size(), p) == 0) r.ends = true;
    if (t == p) r.equals = true;
  }
  // count: left to right, the longest phrase at each position, no overlaps.
  for (std::size_t pos = 0; pos < t.size();) {
    std::size_t best = 0;
    for (const auto& p : ps)
      if (!p.empty() && p.size() > best && t.compare(pos, p.size(), p) == 0) best = p.size();
    if (best) ++r.count, pos += best;
    else ++pos;
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// Numbers: millionths, cents.

inline i128 div_half_away(i128 num, i128 den) {
  i128 q = num / den, r = num % den;
  if (r < 0) r = -r;
  const i128 ad = den < 0 ? -den : den;
  if (2 * r >= ad) q += ((num < 0) != (den < 0)) ? -1 : 1;
  return q;
}

/// Whether a count of millionths is representable (decorum's decimals are int64 millionths,
/// never INT64_MIN).
inline bool fits(i128 v) { return v >= -static_cast<i128>(INT64_MAX) && v <= INT64_MAX; }

/// The exact value digits × 10^exp10 in millionths, or nullopt when it needs more than 6
/// fractional digits (docs/decisions.md: never rounded silently) or does not fit.
inline std::optional<i64> scaled_millionths(bool negative, std::string_view digits, i64 exp10) {
  // Leading zeros change nothing; trailing zeros move into the exponent.
  while (!digits.empty() && digits.front() == '0') digits.remove_prefix(1);
  if (digits.empty()) return 0;
  while (digits.back() == '0') digits.remove_suffix(1), ++exp10;
  exp10 += 6;  // millionths
  if (exp10 < 0) return std::nullopt;  // a nonzero digit beyond the sixth decimal
  if (static_cast<i64>(digits.size()) + exp10 > 20) return std::nullopt;
  i128 v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  for (i64 k = 0; k < exp10; ++k) v *= 10;
  if (!fits(v)) return std::nullopt;
  return static_cast<i64>(negative ? -v : v);
}

/// Parses "-12.345" (optional '-', digits — leading zeros allowed —, optional '.' and digits)
/// to millionths; nullopt for anything else, a nonzero digit past the sixth decimal, or a value
/// that does not fit.
inline std::optional<i64> parse_plain_decimal(std::string_view s, bool allow_sign = true) {
  std::size_t i = 0;
  bool neg = false;
  if (allow_sign && i < s.size() && s[i] == '-') neg = true, ++i;
  std::string digits;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') digits += s[i++];
  if (digits.empty()) return std::nullopt;
  i64 frac = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') digits += s[i++], ++frac;
    if (!frac) return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  return scaled_millionths(neg, digits, -frac);
}

/// Millionths to cents, rounded half away from zero.
inline i64 to_cents(i64 millionths) { return static_cast<i64>(div_half_away(millionths, 10'000)); }

/// Cents as decorum prints numbers: no trailing zeros ("10", "2.5", "-0.05").
inline std::string cents_text(i64 c) {
  std::string s = c < 0 ? "-" : "";
  const u64 m = c < 0 ? static_cast<u64>(-c) : static_cast<u64>(c);
  s += std::to_string(m / 100);
  const u64 f = m % 100;
  if (f) {
    s += '.';
    s += static_cast<char>('0' + f / 10);
    if (f % 10) s += static_cast<char>('0' + f % 10);
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// Calendar (proleptic Gregorian, wall clock as written).

inline bool leap(i64 y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
inline int month_days(i64 y, int m) {
  static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : d[m - 1];
}
/// Days since 1970-01-01 by counting (years 1900–2100 are all the generator writes).
inline i64 days_of(i64 y, int m, int d) {
  i64 days = 0;
  for (i64 yy = 1970; yy < y; ++yy) days += leap(yy) ? 366 : 365;
  for (i64 yy = y; yy < 1970; ++yy) days -= leap(yy) ? 366 : 365;
  for (int mm = 1; mm < m; ++mm) days += month_days(y, mm);
  return days + d - 1;
}
struct civil {
  i64 y;
  int m, d;
};
inline civil civil_of(i64 days) {
  i64 y = 1970;
  while (days < 0) days += leap(--y) ? 366 : 365;
  while (days >= (leap(y) ? 366 : 365)) days -= leap(y++) ? 366 : 365;
  int m = 1;
  while (days >= month_days(y, m)) days -= month_days(y, m++);
  return {y, m, static_cast<int>(days) + 1};
}
inline i64 floor_mod(i64 a, i64 b) { return ((a % b) + b) % b; }
/// 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday).
inline int iso_weekday(i64 days) { return static_cast<int>(floor_mod(days + 3, 7)) + 1; }

inline std::string pad(i64 v, int width) {
  std::string s = std::to_string(v);
  while (static_cast<int>(s.size()) < width) s.insert(s.begin(), '0');
  return s;
}

/// The period label of a date (SPEC §4).
inline std::string period_label(const std::string& kind, i64 days) {
  const civil c = civil_of(days);
  if (kind == "day") return pad(c.y, 4) + "-" + pad(c.m, 2) + "-" + pad(c.d, 2);
  if (kind == "month") return pad(c.y, 4) + "-" + pad(c.m, 2);
  if (kind == "quarter") return pad(c.y, 4) + "-Q" + std::to_string((c.m - 1) / 3 + 1);
  if (kind == "year") return pad(c.y, 4);
  if (kind == "week") {
    // The ISO week is the one holding this week's Thursday; its year is the Thursday's year.
    const i64 thursday = days - iso_weekday(days) + 4;
    const civil t = civil_of(thursday);
    const i64 week = (thursday - days_of(t.y, 1, 1)) / 7 + 1;
    return pad(t.y, 4) + "-W" + pad(week, 2);
  }
  return "all";
}

/// A time as written: "YYYY-MM-DD", optionally "T" or " " and "HH:MM[:SS]", optionally "Z" or
/// "±HH:MM" (ignored: wall clock as written).
struct wall_time {
  i64 days = 0, secs = 0;
  i64 seconds() const { return days * 86400 + secs; }
};
inline std::optional<wall_time> parse_time(std::string_view s) {
  auto digits = [&](std::size_t at, std::size_t n) -> std::optional<int> {
    if (at + n > s.size()) return std::nullopt;
    int v = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const char c = s[at + k];
      if (c < '0' || c > '9') return std::nullopt;
      v = v * 10 + (c - '0');
    }
    return v;
  };
  auto y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
  if (!y || !m || !d || s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  if (*y < 1 || *m < 1 || *m > 12 || *d < 1 || *d > month_days(*y, *m)) return std::nullopt;
  wall_time t{days_of(*y, *m, *d), 0};
  if (s.size() == 10) return t;
  if (s[10] != 'T' && s[10] != ' ') return std::nullopt;
  auto hh = digits(11, 2), mm = digits(14, 2);
  if (!hh || !mm || s.size() < 16 || s[13] != ':' || *hh > 23 || *mm > 59) return std::nullopt;
  std::size_t i = 16;
  int ss = 0;
  if (i < s.size() && s[i] == ':') {
    auto sec = digits(17, 2);
    if (!sec || *sec > 60) return std::nullopt;
    ss = *sec == 60 ? 59 : *sec;  // docs/decisions.md: a leap second stays in its minute
    i = 19;
  }
  t.secs = *hh * 3600 + *mm * 60 + ss;
  if (i == s.size()) return t;
  if (s[i] == 'Z' && i + 1 == s.size()) return t;
  if ((s[i] == '+' || s[i] == '-') && s.size() == i + 6 && s[i + 3] == ':') {
    auto oh = digits(i + 1, 2), om = digits(i + 4, 2);
    if (oh && om && *oh <= 23 && *om <= 59) return t;
  }
  return std::nullopt;
}

/// "90s", "5m", "2h", "1d", "1h30m" (units descending, each once, amounts may have a fraction)
/// or a plain number of seconds; never negative. Millionths of a second.
inline std::optional<i64> parse_duration(std::string_view s) {
  if (s.empty()) return std::nullopt;
  if (s.back() >= '0' && s.back() <= '9') return parse_plain_decimal(s, false);
  i64 total = 0;
  int previous = 4;
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t start = i;
    while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.')) ++i;
    if (i == start || i == s.size()) return std::nullopt;
    auto amount = parse_plain_decimal(s.substr(start, i - start), false);
    if (!amount) return std::nullopt;
    const char u = s[i++];
    const int rank = u == 'd' ? 3 : u == 'h' ? 2 : u == 'm' ? 1 : u == 's' ? 0 : -1;
    if (rank < 0 || rank >= previous) return std::nullopt;
    previous = rank;
    const i64 unit = rank == 3 ? 86400 : rank == 2 ? 3600 : rank == 1 ? 60 : 1;
    total += *amount * unit;
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// Values and records.

/// A value: null, a number (int, number and duration fields alike, in millionths; a duration
/// counts millionths of a second, so a plain number meets it as seconds), a text (text and enum
/// fields), a bool, a time (written wall-clock seconds since 1970-01-01 × 10^6) or a clock
/// (seconds since midnight × 10^6).
struct value {
  enum k_t { null, num, text, boolean, time, clock } k = null;
  i64 n = 0;
  std::string s;
  bool b = false;
  static value of_num(i64 v) { return {num, v, {}, false}; }
  static value of_text(std::string v) { return {text, 0, std::move(v), false}; }
  static value of_bool(bool v) { return {boolean, 0, {}, v}; }
  static value of_time(i64 wall_seconds) { return {time, wall_seconds * million, {}, false}; }
  static value of_clock(i64 seconds) { return {clock, seconds * million, {}, false}; }
};

/// An accepted record.
struct record {
  std::size_t source = 0;  ///< index into the inputs in name order
  u64 line = 0;
  std::size_t kind = 0;
  std::string employee;
  wall_time time;
  std::map<std::string, value> fields;  ///< every present field: declared, standard text, and
                                        ///< `time`, `employee`, `kind` once the record is accepted
  const value* get(const std::string& n) const {
    auto it = fields.find(n);
    return it == fields.end() ? nullptr : &it->second;
  }
};

inline const std::vector<std::string>& standard_text_fields() {
  static const std::vector<std::string> f = {"role", "name", "site", "inspector", "id", "note"};
  return f;
}
inline bool is_standard_text(std::string_view n) {
  for (const auto& f : standard_text_fields())
    if (f == n) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Expressions (SPEC §2): three-valued, null through arithmetic and comparisons.

class evaluator {
 public:
  evaluator(const rulebook& rb, const record& r) : rb_(rb), r_(r) {}

  /// Set when some arithmetic left the representable range (the generator keeps away from
  /// that: SPEC does not say what happens, and issue 11 has decorum's overflow defect).
  mutable bool overflow = false;

  value eval(const expr& e) const {
    switch (e.o) {
      case op::num: return value::of_num(e.num);
      case op::clock_lit: return {value::clock, e.num, {}, false};
      case op::str: return value::of_text(e.text);
      case op::boolean: return value::of_bool(e.b);
      case op::field: {
        const value* v = r_.get(e.text);
        return v ? *v : value{};
      }
      case op::has: return value::of_bool(r_.get(e.text) != nullptr);
      case op::not_: {
        value a = eval(e.args[0]);
        return a.k == value::null ? a : value::of_bool(!a.b);
      }
      case op::and_: {
        value a = eval(e.args[0]), b = eval(e.args[1]);
        if ((a.k != value::null && !a.b) || (b.k != value::null && !b.b)) return value::of_bool(false);
        if (a.k == value::null || b.k == value::null) return {};
        return value::of_bool(true);
      }
      case op::or_: {
        value a = eval(e.args[0]), b = eval(e.args[1]);
        if ((a.k != value::null && a.b) || (b.k != value::null && b.b)) return value::of_bool(true);
        if (a.k == value::null || b.k == value::null) return {};
        return value::of_bool(false);
      }
      case op::eq: case op::ne: case op::lt: case op::le: case op::gt: case op::ge: {
        value a = eval(e.args[0]), b = eval(e.args[1]);
        if (a.k == value::null || b.k == value::null) return {};
        if (e.o == op::eq || e.o == op::ne) return value::of_bool(same(a, b) == (e.o == op::eq));
        const bool r = e.o == op::lt ? a.n < b.n : e.o == op::le ? a.n <= b.n : e.o == op::gt ? a.n > b.n : a.n >= b.n;
        return value::of_bool(r);
      }
      case op::in_list: case op::not_in_list: {
        // `in [list]` compares exactly, like `==`; the generator writes constant items only.
        value a = eval(e.args[0]);
        if (a.k == value::null) return {};
        bool found = false;
        for (std::size_t i = 1; i < e.args.size(); ++i) {
          value v = eval(e.args[i]);
          if (v.k != value::null && same(a, v)) found = true;
        }
        return value::of_bool(found == (e.o == op::in_list));
      }
      case op::in_set: case op::not_in_set: {
        value a = eval(e.args[0]);
        if (a.k == value::null) return {};
        const bool eq = match_phrases(a.s, rb_.set(e.text)->phrases).equals;
        return value::of_bool(eq == (e.o == op::in_set));
      }
      case op::contains: case op::starts_with: case op::ends_with: case op::count: {
        value a = eval(e.args[0]);
        if (a.k == value::null) return {};
        const phrase_facts f = match_phrases(a.s, e.b ? std::vector<std::string>{e.text} : rb_.set(e.text)->phrases);
        if (e.o == op::count) return value::of_num(f.count * million);
        return value::of_bool(e.o == op::contains ? f.contains : e.o == op::starts_with ? f.starts : f.ends);
      }
      case op::len: {
        value a = eval(e.args[0]);
        if (a.k == value::null) return {};
        return value::of_num(static_cast<i64>(decode_utf8(a.s).value_or(std::u32string{}).size()) * million);
      }
      case op::add: case op::sub: case op::mul: case op::div: case op::mod: {
        value a = eval(e.args[0]), b = eval(e.args[1]);
        if (a.k == value::null || b.k == value::null) return {};
        // The result's kind: time ± duration is a time, time − time a duration (a number here).
        value::k_t kind = value::num;
        if ((e.o == op::add || e.o == op::sub) && (a.k == value::time) != (b.k == value::time)) kind = value::time;
        i128 r = 0;
        if (e.o == op::add) r = static_cast<i128>(a.n) + b.n;
        else if (e.o == op::sub) r = static_cast<i128>(a.n) - b.n;
        else if (e.o == op::mul) r = div_half_away(static_cast<i128>(a.n) * b.n, million);
        else if (b.n == 0) return {};  // division or % by zero gives null
        else if (e.o == op::div) r = div_half_away(static_cast<i128>(a.n) * million, b.n);
        else r = static_cast<i128>(a.n) % b.n;  // the sign of the dividend, as in C++ (SPEC is silent)
        if (!fits(r)) {
          overflow = true;
          return {};
        }
        return {kind, static_cast<i64>(r), {}, false};
      }
      case op::neg: {
        value a = eval(e.args[0]);
        if (a.k == value::null) return a;
        return value::of_num(-a.n);
      }
      case op::abs: {
        value a = eval(e.args[0]);
        if (a.k == value::null) return a;
        return value::of_num(a.n < 0 ? -a.n : a.n);
      }
      case op::min: case op::max: {
        value a = eval(e.args[0]), b = eval(e.args[1]);
        if (a.k == value::null || b.k == value::null) return {};
        return (e.o == op::min) == (a.n <= b.n) ? a : b;
      }
      case op::if_: {
        value c = eval(e.args[0]);
        return c.k != value::null && c.b ? eval(e.args[1]) : eval(e.args[2]);
      }
      case op::weekday: case op::hour: case op::clock: {
        value t = eval(e.args[0]);
        if (t.k == value::null) return t;
        const i64 secs = t.n / million;  // written wall-clock seconds
        const i64 days = (secs - floor_mod(secs, 86400)) / 86400, of_day = floor_mod(secs, 86400);
        if (e.o == op::weekday) return value::of_num(iso_weekday(days) * million);
        if (e.o == op::hour) return value::of_num(of_day / 3600 * million);
        return value::of_clock(of_day);
      }
      case op::between: {
        // From inclusive, to exclusive; past midnight when from > to.
        value c = eval(e.args[0]), from = eval(e.args[1]), to = eval(e.args[2]);
        if (c.k == value::null || from.k == value::null || to.k == value::null) return {};
        if (from.n <= to.n) return value::of_bool(c.n >= from.n && c.n < to.n);
        return value::of_bool(c.n >= from.n || c.n < to.n);
      }
    }
    return {};
  }

 private:
  const rulebook& rb_;
  const record& r_;
  static bool same(const value& a, const value& b) {
    if (a.k == value::text) return a.s == b.s;
    if (a.k == value::boolean) return a.b == b.b;
    return a.n == b.n;
  }
};

// ---------------------------------------------------------------------------------------------
// Reading (SPEC §3): restricted JSON and CSV parsers, then typing.

/// One log file.
struct input {
  std::string name;  ///< as given to decorum
  bool csv = false;
  std::string bytes;
};

/// A JSON value of a flat object: texts decoded, numbers as written, nested values opaque.
struct jvalue {
  enum k_t { text, number, boolean, null, nested } k = null;
  std::string s;
  bool b = false;
};

class json_line {
 public:
  explicit json_line(std::string_view s) : s_(s) {}
  /// The object's members, or nullopt when the line is no single JSON object.
  std::optional<std::vector<std::pair<std::string, jvalue>>> object() {
    std::vector<std::pair<std::string, jvalue>> members;
    ws();
    if (!eat('{')) return std::nullopt;
    ws();
    if (!eat('}')) {
      for (;;) {
        ws();
        std::string key;
        if (!string(key)) return std::nullopt;
        ws();
        if (!eat(':')) return std::nullopt;
        ws();
        jvalue v;
        if (!val(v, 0)) return std::nullopt;
        members.emplace_back(std::move(key), std::move(v));
        ws();
        if (eat(',')) continue;
        if (eat('}')) break;
        return std::nullopt;
      }
    }
    ws();
    if (i_ != s_.size()) return std::nullopt;
    return members;
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
  void ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\r' || s_[i_] == '\n')) ++i_;
  }
  bool eat(char c) {
    if (i_ < s_.size() && s_[i_] == c) return ++i_, true;
    return false;
  }
  bool word(std::string_view w) {
    if (s_.substr(i_, w.size()) != w) return false;
    i_ += w.size();
    return true;
  }
  std::optional<unsigned> hex4() {
    if (i_ + 4 > s_.size()) return std::nullopt;
    unsigned v = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = s_[i_++];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f') v |= static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= static_cast<unsigned>(c - 'A' + 10);
      else return std::nullopt;
    }
    return v;
  }
  bool string(std::string& out) {
    if (!eat('"')) return false;
    while (i_ < s_.size()) {
      const unsigned char c = static_cast<unsigned char>(s_[i_++]);
      if (c == '"') return true;
      if (c < 0x20) return false;
      if (c != '\\') {
        out += static_cast<char>(c);
        continue;
      }
      if (i_ >= s_.size()) return false;
      const char e = s_[i_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          auto u = hex4();
          if (!u) return false;
          char32_t cp = *u;
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (!word("\\u")) return false;
            auto lo = hex4();
            if (!lo || *lo < 0xDC00 || *lo > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (*lo - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return false;
          }
          encode_utf8(cp, out);
          break;
        }
        default: return false;
      }
    }
    return false;
  }
  bool number(std::string& out) {
    const std::size_t start = i_;
    eat('-');
    if (eat('0')) {
    } else if (i_ < s_.size() && s_[i_] >= '1' && s_[i_] <= '9') {
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
    } else {
      return false;
    }
    if (eat('.')) {
      const std::size_t f = i_;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
      if (i_ == f) return false;
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (!eat('+')) eat('-');
      const std::size_t f = i_;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
      if (i_ == f) return false;
    }
    out = std::string(s_.substr(start, i_ - start));
    return true;
  }
  bool val(jvalue& v, int depth) {
    if (depth > 50 || i_ >= s_.size()) return false;
    const char c = s_[i_];
    if (c == '"') return v.k = jvalue::text, string(v.s);
    if (c == '-' || (c >= '0' && c <= '9')) return v.k = jvalue::number, number(v.s);
    if (word("true")) return v.k = jvalue::boolean, v.b = true, true;
    if (word("false")) return v.k = jvalue::boolean, v.b = false, true;
    if (word("null")) return v.k = jvalue::null, true;
    v.k = jvalue::nested;
    const char close = c == '{' ? '}' : c == '[' ? ']' : 0;
    if (!close) return false;
    ++i_;
    ws();
    if (eat(close)) return true;
    for (;;) {
      ws();
      if (close == '}') {
        std::string k;
        if (!string(k)) return false;
        ws();
        if (!eat(':')) return false;
        ws();
      }
      jvalue inner;
      if (!val(inner, depth + 1)) return false;
      ws();
      if (eat(',')) continue;
      return eat(close);
    }
  }
};

/// A JSON number token's exact value in millionths (exponents included: `1e2`, `2.5E-2`);
/// nullopt when it needs more than 6 fractional digits or does not fit.
inline std::optional<i64> json_number(std::string_view s) {
  std::size_t i = 0;
  const bool neg = !s.empty() && s[0] == '-';
  if (neg) ++i;
  std::string digits;
  i64 frac = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') digits += s[i++];
  if (i < s.size() && s[i] == '.')
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++frac) digits += s[i++];
  i64 exp10 = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool eneg = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) eneg = s[i++] == '-';
    i64 e = 0;
    for (; i < s.size(); ++i) e = std::min<i64>(e * 10 + (s[i] - '0'), 1'000'000);
    exp10 = eneg ? -e : e;
  }
  return scaled_millionths(neg, digits, exp10 - frac);
}
/// A JSON integer (no fraction, no exponent) as its decimal text (SPEC §3: `employee`, `id`).
inline bool json_integer_text(std::string_view s) { return s.find_first_of(".eE") == std::string_view::npos; }

/// Types a text value (a CSV cell, or a JSON string for text/enum/duration/time fields).
inline std::optional<value> typed_from_text(const field& f, const std::string& s) {
  switch (f.type) {
    case ftype::text: return value::of_text(s);
    case ftype::enum_:
      if (std::find(f.values.begin(), f.values.end(), s) == f.values.end()) return std::nullopt;
      return value::of_text(s);
    case ftype::duration:
      if (auto d = parse_duration(s)) return value::of_num(*d);
      return std::nullopt;
    case ftype::int_: {
      // Integral values only; docs/decisions.md allows `4.0` in JSON, and the generator never
      // writes a fraction into an int cell of a CSV log.
      auto v = parse_plain_decimal(s);
      if (!v || *v % million != 0) return std::nullopt;
      return value::of_num(*v);
    }
    case ftype::time:
      if (auto t = parse_time(s)) return value::of_time(t->seconds());
      return std::nullopt;
    case ftype::number:
      if (auto v = parse_plain_decimal(s)) return value::of_num(*v);
      return std::nullopt;
    case ftype::boolean: {
      std::string l;
      for (char c : s) l += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
      if (l == "true" || l == "yes" || l == "1" || l == "是") return value::of_bool(true);
      if (l == "false" || l == "no" || l == "0" || l == "否") return value::of_bool(false);
      return std::nullopt;
    }
  }
  return std::nullopt;
}

/// What reading one input gives: records and the lines of rejected ones, and how many were read;
/// `fatal` when the input cannot be read at all (a CSV header naming no field, SPEC §3).
struct read_result {
  std::vector<record> records;
  std::vector<u64> rejected_lines;
  u64 read = 0;
  bool fatal = false;
};

/// Checks and completes a record whose fields were collected; false when it must be rejected.
inline bool finish_record(const rulebook& rb, record& r, bool has_time, bool has_kind) {
  if (!has_time || !has_kind || r.employee.empty()) return false;
  for (const auto& f : rb.kinds[r.kind].fields)
    if (f.required && !r.get(f.name)) return false;
  // The standard fields an expression may name besides the text ones.
  r.fields["time"] = value::of_time(r.time.seconds());
  r.fields["employee"] = value::of_text(r.employee);
  r.fields["kind"] = value::of_text(rb.kinds[r.kind].name);
  return true;
}

inline read_result read_jsonl(const rulebook& rb, const input& in, std::size_t source) {
  read_result out;
  u64 line_no = 0;
  std::size_t pos = 0;
  while (pos < in.bytes.size()) {
    std::size_t end = in.bytes.find('\n', pos);
    if (end == std::string::npos) end = in.bytes.size();
    const std::string_view line(in.bytes.data() + pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;  // blank
    ++out.read;
    auto reject = [&] { out.rejected_lines.push_back(line_no); };
    if (line.size() > max_record_bytes || !decode_utf8(line)) {
      reject();
      continue;
    }
    auto members = json_line(line).object();
    if (!members) {
      reject();
      continue;
    }
    record r;
    r.source = source;
    r.line = line_no;
    // The kind first: the other members are typed by it.
    const kind* k = nullptr;
    bool has_kind = false;
    for (const auto& [key, v] : *members)
      if (key == "kind" && v.k == jvalue::text && (k = rb.find_kind(v.s))) {
        has_kind = true;
        r.kind = static_cast<std::size_t>(k - rb.kinds.data());
      }
    if (!k) {
      reject();
      continue;
    }
    bool ok = true, has_time = false;
    for (const auto& [key, v] : *members) {
      if (key == "kind") continue;
      if (v.k == jvalue::null) {
        if (key != "time" && key != "employee" && !is_standard_text(key) && !k->find(key)) ok = false;
        continue;
      }
      if (key == "time") {
        auto t = v.k == jvalue::text ? parse_time(v.s) : std::nullopt;
        if (!t) ok = false;
        else r.time = *t, has_time = true;
      } else if (key == "employee" || key == "id") {
        std::string text;
        if (v.k == jvalue::text) text = v.s;
        else if (v.k == jvalue::number && json_integer_text(v.s)) text = v.s;
        else ok = false;
        if (key == "employee") {
          if (text.empty()) ok = false;
          r.employee = text;
        } else {
          r.fields[key] = value::of_text(text);
        }
      } else if (is_standard_text(key)) {
        if (v.k != jvalue::text) ok = false;
        else r.fields[key] = value::of_text(v.s);
      } else if (const field* f = k->find(key)) {
        std::optional<value> tv;
        switch (f->type) {
          case ftype::text:
          case ftype::enum_:
          case ftype::time:
            if (v.k == jvalue::text) tv = typed_from_text(*f, v.s);
            break;
          case ftype::duration:
            if (v.k == jvalue::text) tv = typed_from_text(*f, v.s);
            else if (v.k == jvalue::number && v.s[0] != '-') tv = json_number(v.s) ? std::optional<value>(value::of_num(*json_number(v.s))) : std::nullopt;
            break;
          case ftype::boolean:
            if (v.k == jvalue::boolean) tv = value::of_bool(v.b);
            break;
          case ftype::int_:
            if (v.k == jvalue::number) {
              auto n = json_number(v.s);
              if (n && *n % million == 0) tv = value::of_num(*n);
            }
            break;
          case ftype::number:
            if (v.k == jvalue::number) {
              if (auto n = json_number(v.s)) tv = value::of_num(*n);
            }
            break;
        }
        if (!tv) ok = false;
        else r.fields[key] = *tv;
      } else {
        ok = false;  // unknown field for its kind
      }
    }
    if (!ok || !finish_record(rb, r, has_time, has_kind)) {
      reject();
      continue;
    }
    out.records.push_back(std::move(r));
  }
  return out;
}

/// One CSV row: its cells, whether each was quoted, its first line, and whether it is blank.
struct csv_row {
  std::vector<std::string> cells;
  std::vector<bool> quoted;
  u64 line = 0;
  std::string raw;  ///< the row's bytes (for the UTF-8 check and the blank test)
  bool open_quote = false;  ///< the input ended inside a quoted cell
};

inline std::vector<csv_row> split_csv(std::string_view s) {
  std::vector<csv_row> rows;
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  std::size_t i = 0;
  u64 line = 1;
  while (i < s.size()) {
    csv_row row;
    row.line = line;
    std::string cell;
    bool quoted = false, in_quotes = false;
    const std::size_t start = i;
    for (;;) {
      if (i >= s.size()) {
        row.cells.push_back(cell), row.quoted.push_back(quoted);
        row.open_quote = in_quotes;
        break;
      }
      const char c = s[i++];
      if (in_quotes) {
        if (c == '"') {
          if (i < s.size() && s[i] == '"') cell += '"', ++i;
          else in_quotes = false;
        } else {
          if (c == '\n') ++line;
          cell += c;
        }
      } else if (c == '"' && cell.find_first_not_of(" \t") == std::string::npos && !quoted) {
        cell.clear(), quoted = in_quotes = true;
      } else if (c == ',') {
        row.cells.push_back(cell), row.quoted.push_back(quoted);
        cell.clear(), quoted = false;
      } else if (c == '\n' || (c == '\r' && i < s.size() && s[i] == '\n')) {
        if (c == '\r') ++i;
        ++line;
        row.cells.push_back(cell), row.quoted.push_back(quoted);
        break;
      } else {
        cell += c;
      }
    }
    row.raw = std::string(s.substr(start, i - start));
    // Unquoted cells lose surrounding spaces and tabs; quoted ones are kept exactly.
    for (std::size_t k = 0; k < row.cells.size(); ++k)
      if (!row.quoted[k]) {
        std::string& c = row.cells[k];
        const std::size_t a = c.find_first_not_of(" \t"), b = c.find_last_not_of(" \t");
        c = a == std::string::npos ? std::string() : c.substr(a, b - a + 1);
      }
    rows.push_back(std::move(row));
  }
  return rows;
}

/// A row of only white space or only commas is blank (never read).
inline bool blank_row(const csv_row& r) {
  std::string_view raw = r.raw;
  while (!raw.empty() && (raw.back() == '\n' || raw.back() == '\r')) raw.remove_suffix(1);
  return raw.find_first_not_of(" \t") == std::string_view::npos || raw.find_first_not_of(',') == std::string_view::npos;
}

inline read_result read_csv(const rulebook& rb, const input& in, std::size_t source) {
  read_result out;
  std::vector<csv_row> rows = split_csv(in.bytes);
  std::size_t h = 0;
  while (h < rows.size() && blank_row(rows[h])) ++h;
  if (h == rows.size()) return out;
  const std::vector<std::string> header = rows[h].cells;
  // The header: `time`, `employee` and `kind` once each; every other named column a standard
  // field or a field of some kind; an unnamed column is ignored (docs/decisions.md).
  {
    std::set<std::string> seen;
    for (const auto& col : header) {
      if (col.empty()) continue;
      bool known = col == "time" || col == "employee" || col == "kind" || is_standard_text(col);
      for (const auto& kd : rb.kinds) known = known || kd.find(col) != nullptr;
      if (!known || !seen.insert(col).second) out.fatal = true;
    }
    if (!seen.count("time") || !seen.count("employee") || !seen.count("kind") || rows[h].open_quote)
      out.fatal = true;
    if (out.fatal) return out;
  }
  for (std::size_t k = h + 1; k < rows.size(); ++k) {
    const csv_row& row = rows[k];
    if (blank_row(row)) continue;
    ++out.read;
    auto reject = [&] { out.rejected_lines.push_back(row.line); };
    if (row.raw.size() > max_record_bytes || !decode_utf8(row.raw) || row.cells.size() != header.size() ||
        row.open_quote) {
      reject();
      continue;
    }
    record r;
    r.source = source;
    r.line = row.line;
    const kind* kd = nullptr;
    bool has_time = false, ok = true;
    for (std::size_t c = 0; c < header.size(); ++c)
      if (header[c] == "kind" && !row.cells[c].empty()) kd = rb.find_kind(row.cells[c]);
    if (!kd) {
      reject();
      continue;
    }
    r.kind = static_cast<std::size_t>(kd - rb.kinds.data());
    for (std::size_t c = 0; c < header.size(); ++c) {
      const std::string& col = header[c];
      const std::string& cell = row.cells[c];
      if (cell.empty() || col == "kind") continue;
      if (col == "time") {
        auto t = parse_time(cell);
        if (!t) ok = false;
        else r.time = *t, has_time = true;
      } else if (col == "employee") {
        r.employee = cell;
      } else if (is_standard_text(col)) {
        r.fields[col] = value::of_text(cell);
      } else if (const field* f = kd->find(col)) {
        auto v = typed_from_text(*f, cell);
        if (!v) ok = false;
        else r.fields[col] = *v;
      } else {
        ok = false;  // a filled cell of another kind's field
      }
    }
    if (!ok || !finish_record(rb, r, has_time, true)) {
      reject();
      continue;
    }
    out.records.push_back(std::move(r));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Scoring (SPEC §4).

struct rule_tally {
  std::string id;
  u64 count = 0;
  i64 points = 0, fines = 0;  ///< cents
};

struct tally {
  std::string employee, name, period;
  i64 base = 0, deductions = 0, bonuses = 0, score = 0, fines = 0;  ///< cents
  std::optional<std::string> grade;
  u64 findings = 0;
  u64 voided = 0;  ///< findings voided by appeals (SPEC §10)
  std::vector<std::string> flags;
  std::vector<std::pair<std::string, i64>> categories;
  std::vector<rule_tally> rules;
};

struct report {
  bool fatal = false;     ///< an input could not be read at all: no report (SPEC §3, §6)
  bool overflow = false;  ///< some amount left the representable range: not comparable (see evaluator)
  std::size_t rules = 0;  ///< distinct rule ids
  u64 records = 0, scored = 0, rejected = 0;
  std::vector<std::pair<std::string, u64>> rejections;  ///< (input name, line), by name then line
  std::vector<tally> tallies;                           ///< by employee, then period
};

/// Scores `inputs` (in any order: they are read in name order) under `rb`; `period` overrides
/// the rulebook's period kind when not empty. `voids` (rule id, record id): findings voided by
/// appeals (SPEC §10) — not counted at all, as if the rule had not fired, but counted in `voided`.
inline report score(const rulebook& rb, std::vector<input> inputs, const std::string& period_override = "",
                    const std::set<std::pair<std::string, std::string>>& voids = {}) {
  std::sort(inputs.begin(), inputs.end(), [](const input& a, const input& b) { return a.name < b.name; });
  const std::string period = period_override.empty() ? rb.period : period_override;
  report rep;
  {
    std::set<std::string> distinct;
    for (const auto& ru : rb.rules) distinct.insert(ru.id);
    rep.rules = distinct.size();
  }
  std::vector<record> scored;
  std::set<std::string> ids;
  for (std::size_t s = 0; s < inputs.size(); ++s) {
    read_result rr = inputs[s].csv ? read_csv(rb, inputs[s], s) : read_jsonl(rb, inputs[s], s);
    if (rr.fatal) {
      rep.fatal = true;
      return rep;
    }
    rep.records += rr.read;
    std::vector<u64> rejected = rr.rejected_lines;
    for (auto& r : rr.records) {
      // An id that an accepted record already carries rejects the record; an empty id is no
      // id (docs/decisions.md: "" identifies nothing).
      if (const value* id = r.get("id"); id && !id->s.empty()) {
        if (!ids.insert(id->s).second) {
          rejected.push_back(r.line);
          continue;
        }
      }
      scored.push_back(std::move(r));
    }
    std::sort(rejected.begin(), rejected.end());
    for (u64 l : rejected) rep.rejections.emplace_back(inputs[s].name, l);
  }
  rep.scored = scored.size();
  rep.rejected = rep.rejections.size();

  struct rule_acc {
    u64 count = 0, findings = 0;
    i64 points = 0, fines = 0;  // sums of rounded finding amounts (non-progressive)
  };
  struct acc {
    std::optional<std::pair<std::tuple<i64, std::string, u64>, std::string>> name;  // (time, input, line) → name
    std::map<std::size_t, rule_acc> rules;
    u64 voided = 0;
  };
  std::map<std::pair<std::string, std::string>, acc> accs;  // (employee, period label)

  for (const record& r : scored) {
    acc& a = accs[{r.employee, period_label(period, r.time.days)}];
    if (const value* n = r.get("name"); n && !n->s.empty()) {
      std::tuple<i64, std::string, u64> when{r.time.seconds(), inputs[r.source].name, r.line};
      if (!a.name || a.name->first <= when) a.name = std::make_pair(when, n->s);
    }
    const evaluator ev(rb, r);
    for (std::size_t ri = 0; ri < rb.rules.size(); ++ri) {
      const rule& ru = rb.rules[ri];
      if (!ru.enabled || ru.on != r.kind) continue;
      if (!ru.roles.empty()) {
        const value* role = r.get("role");
        if (!role || std::find(ru.roles.begin(), ru.roles.end(), role->s) == ru.roles.end()) continue;
      }
      if (ru.when) {
        value w = ev.eval(*ru.when);
        if (w.k != value::boolean || !w.b) continue;
      }
      i64 n = 1;
      if (ru.times) {
        value t = ev.eval(*ru.times);
        if (t.k != value::num) continue;
        n = t.n / million;  // a fraction truncated
        if (n <= 0) continue;
      }
      // Per occurrence, then × times, then rounded to cents; null (or a negative deduct,
      // bonus or fine) means the rule does not fire here.
      auto amount = [&](const price& p, bool may_be_negative) -> std::optional<i64> {
        if (!p.progressive.empty() || !p.given()) return 0;
        i64 per = 0;
        if (p.constant) {
          per = *p.constant * 10'000;
        } else {
          value v = ev.eval(*p.formula);
          if (v.k != value::num || (!may_be_negative && v.n < 0)) return std::nullopt;
          per = v.n;
        }
        const i128 total = static_cast<i128>(per) * n;
        if (!fits(total)) {
          rep.overflow = true;
          return std::nullopt;
        }
        return static_cast<i64>(div_half_away(total, 10'000));
      };
      auto points = amount(ru.value, ru.amount == amount_kind::points);
      auto fine = amount(ru.fine, false);
      if (ev.overflow) rep.overflow = true;
      if (!points || !fine) continue;
      if (const value* id = r.get("id"); id && !id->s.empty() && voids.count({ru.id, id->s})) {
        ++a.voided;
        continue;
      }
      rule_acc& ra = a.rules[ri];
      ra.count += static_cast<u64>(n);
      ra.findings += 1;
      ra.points += ru.amount == amount_kind::deduct ? -*points : *points;
      ra.fines += *fine;
      if (ra.count > 1'000'000'000 || ra.points > 100'000'000'000'000 || ra.points < -100'000'000'000'000 ||
          ra.fines > 100'000'000'000'000)
        rep.overflow = true;  // far from anything the generator means to write
    }
    if (ev.overflow) rep.overflow = true;
  }

  // The n-th occurrence costs list[min(n, len) - 1]: the first len are priced one by one, the
  // rest at the last step.
  auto progressive_total = [](const std::vector<i64>& list, u64 n) {
    i64 total = 0;
    for (u64 i = 1; i <= n && i <= list.size(); ++i) total += list[i - 1];
    if (n > list.size()) total += static_cast<i64>(n - list.size()) * list.back();
    return total;
  };
  for (const auto& [key, a] : accs) {
    tally t;
    t.employee = key.first;
    t.period = key.second;
    if (a.name) t.name = a.name->second;
    t.base = rb.base;
    t.voided = a.voided;
    std::map<std::string, i64> categories;
    std::set<std::string> flags;
    for (const auto& [ri, ra] : a.rules) {
      const rule& ru = rb.rules[ri];
      i64 net = ra.points, fines = ra.fines;
      if (!ru.value.progressive.empty()) {
        const i64 total = progressive_total(ru.value.progressive, ra.count);
        net = ru.amount == amount_kind::deduct ? -total : total;
      }
      if (!ru.fine.progressive.empty()) fines = progressive_total(ru.fine.progressive, ra.count);
      if (ru.cap) net = std::clamp(net, -*ru.cap, *ru.cap);
      t.findings += ra.findings;
      if (net < 0) t.deductions -= net;
      else t.bonuses += net;
      t.fines += fines;
      if (!ru.category.empty()) categories[ru.category] += net;
      if (!ru.flag.empty()) flags.insert(ru.flag);
      t.rules.push_back({ru.id, ra.count, net, fines});
    }
    t.score = rb.base - t.deductions + t.bonuses;
    if (rb.floor && t.score < *rb.floor) t.score = *rb.floor;
    if (rb.ceiling && t.score > *rb.ceiling) t.score = *rb.ceiling;
    for (const auto& g : rb.grades)
      if (t.score >= g.min) {
        t.grade = g.name;
        break;
      }
    t.flags.assign(flags.begin(), flags.end());
    t.categories.assign(categories.begin(), categories.end());
    rep.tallies.push_back(std::move(t));
  }
  return rep;
}

}  // namespace decorum_ref
