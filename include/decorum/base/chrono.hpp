// decorum/base/chrono.hpp — entry points: decorum::parse_time, parse_duration, parse_clock,
// period_key / period_label.
// Civil-time helpers for logs and rules: SPEC reads every time as written (never shifted by
// its UTC offset), so everything here works on wall-clock seconds and needs no time zone data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "decorum/base/decimal.hpp"

namespace decorum {

/// A timestamp as written: wall-clock seconds since 1970-01-01T00:00 of the written local time
/// (never shifted by the offset), plus the written UTC offset if any. Ordering compares
/// local_seconds first, which is SPEC's "time order as written".
struct timestamp {
  /// Seconds of the written wall-clock time since 1970-01-01T00:00 (negative before).
  std::int64_t local_seconds = 0;
  /// The written UTC offset; kept only to print the time back as it was given.
  std::int32_t offset_minutes = 0;
  /// Whether an offset ("Z", "+08:00") was written at all.
  bool has_offset = false;
  /// Whether only a date was written; such a time reads as 00:00.
  bool date_only = false;

  /// Field-wise, local_seconds first.
  auto operator<=>(const timestamp&) const = default;
};

namespace detail {

/// Floor division: days and clocks before 1970 must still land in the right day.
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

/// Remainder matching floor_div, always in [0, b) for b > 0.
constexpr std::int64_t floor_mod(std::int64_t a, std::int64_t b) noexcept { return a - floor_div(a, b) * b; }

/// Gregorian leap year rule.
constexpr bool is_leap_year(int y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/// Days in month m (1-12) of year y.
constexpr unsigned days_in_month(int y, unsigned m) noexcept {
  constexpr unsigned lengths[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap_year(y) ? 29u : lengths[m - 1];
}

/// Reads exactly `count` ASCII digits at s[i]; -1 when they are not there, so fixed-width
/// ISO fields reject "2026-1-3".
constexpr int read_fixed_digits(std::string_view s, std::size_t& i, int count) noexcept {
  if (s.size() - i < static_cast<std::size_t>(count)) return -1;
  int value = 0;
  for (int k = 0; k < count; ++k) {
    char c = s[i + static_cast<std::size_t>(k)];
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  i += static_cast<std::size_t>(count);
  return value;
}

/// Writes v as exactly `width` digits (v is non-negative and fits) — labels need zero padding.
inline void append_padded(std::string& out, std::int64_t v, int width) {
  char buf[20];
  for (int k = width - 1; k >= 0; --k) {
    buf[k] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  out.append(buf, static_cast<std::size_t>(width));
}

/// A duration or clock number: digits with an optional fraction (and, when bare, exponent).
/// Leading zeros are allowed here ("05m", "0300") because durations are not JSON numbers
/// and a CSV exporter may pad them; signs are not, since a duration is never negative.
inline std::optional<decimal> parse_unsigned_amount(std::string_view s) noexcept {
  if (s.empty() || s[0] < '0' || s[0] > '9') return std::nullopt;
  std::size_t zeros = 0;
  while (zeros + 1 < s.size() && s[zeros] == '0' && s[zeros + 1] >= '0' && s[zeros + 1] <= '9') ++zeros;
  return decimal::parse(s.substr(zeros));
}

}  // namespace detail

/// Day number of a proleptic Gregorian date, 1970-01-01 = 0 (Howard Hinnant's
/// days_from_civil). Counting from March makes the leap day the last day of the
/// "year", so month lengths follow a linear formula.
constexpr std::int64_t days_from_civil(int y, unsigned m, unsigned d) noexcept {
  const std::int64_t year = static_cast<std::int64_t>(y) - (m <= 2 ? 1 : 0);
  const std::int64_t era = detail::floor_div(year, 400);                 // 400-year cycles repeat exactly
  const std::int64_t year_of_era = year - era * 400;                      // [0, 399]
  const std::int64_t month_from_march = m > 2 ? m - 3 : m + 9;            // March = 0 … February = 11
  const std::int64_t day_of_year = (153 * month_from_march + 2) / 5 + d - 1;  // [0, 365]
  const std::int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;  // 719468 = days from 0000-03-01 to 1970-01-01
}

/// Inverse of days_from_civil.
constexpr void civil_from_days(std::int64_t days, int& y, unsigned& m, unsigned& d) noexcept {
  const std::int64_t shifted = days + 719468;
  const std::int64_t era = detail::floor_div(shifted, 146097);
  const std::int64_t day_of_era = shifted - era * 146097;  // [0, 146096]
  // Remove the leap days so far (one per 4 years, less one per century, plus one per era).
  const std::int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t month_from_march = (5 * day_of_year + 2) / 153;
  d = static_cast<unsigned>(day_of_year - (153 * month_from_march + 2) / 5 + 1);
  m = static_cast<unsigned>(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
  y = static_cast<int>(year_of_era + era * 400 + (m <= 2 ? 1 : 0));
}

/// Day number (see days_from_civil) of the written date.
constexpr std::int64_t days_of(const timestamp& t) noexcept { return detail::floor_div(t.local_seconds, 86400); }

/// Seconds since the written midnight; a date-only time is 0 (SPEC: it reads as 00:00).
constexpr std::int32_t clock_of(const timestamp& t) noexcept {
  return static_cast<std::int32_t>(detail::floor_mod(t.local_seconds, 86400));
}

/// ISO weekday of a day number: 1 = Monday … 7 = Sunday.
constexpr int weekday_of_days(std::int64_t days) noexcept {
  return static_cast<int>(detail::floor_mod(days + 3, 7)) + 1;  // day 0 was a Thursday
}

/// ISO weekday of the written date: 1 = Monday … 7 = Sunday.
constexpr int weekday(const timestamp& t) noexcept { return weekday_of_days(days_of(t)); }

/// Hour of the written time, 0-23.
constexpr int hour(const timestamp& t) noexcept { return clock_of(t) / 3600; }

/// An ISO 8601 week: the week-numbering year can differ from the calendar year at year ends.
struct iso_week {
  /// ISO week-numbering year.
  int year;
  /// Week 1-53.
  unsigned week;
  /// Field-wise equality.
  bool operator==(const iso_week&) const = default;
};

/// ISO week of a day number. A week belongs to the year holding its Thursday, so locating
/// that Thursday settles the year-end cases.
constexpr iso_week iso_week_of(std::int64_t days) noexcept {
  const std::int64_t thursday = days - weekday_of_days(days) + 4;
  int y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(thursday, y, m, d);
  const std::int64_t week = (thursday - days_from_civil(y, 1, 1)) / 7 + 1;
  return iso_week{y, static_cast<unsigned>(week)};
}

/// Parses the ISO 8601 forms logs carry: "2026-11-03T09:12:00+08:00", "…Z", "2026-11-03T09:12:00",
/// "2026-11-03T09:12", "2026-11-03 09:12[:00]", "2026-11-03", with optional fractional seconds
/// (".123", dropped: scoring works in whole seconds) and offsets "+08:00", "+0800", "-05:00", "Z".
/// 't' and 'z' are accepted too (RFC 3339 allows them). Ranges are validated — month 1-12, the
/// day within its month (leap years included), hour 0-23, minute 0-59, second 0-60 (a leap second
/// 60 becomes 59 so it stays in its minute), offset up to ±23:59 — and years are 0001-9999
/// so every period label has four year digits.
constexpr std::optional<timestamp> parse_time(std::string_view s) noexcept {
  std::size_t i = 0;
  const int year = detail::read_fixed_digits(s, i, 4);
  if (year < 1 || i >= s.size() || s[i++] != '-') return std::nullopt;
  const int month = detail::read_fixed_digits(s, i, 2);
  if (month < 1 || month > 12 || i >= s.size() || s[i++] != '-') return std::nullopt;
  const int day = detail::read_fixed_digits(s, i, 2);
  if (day < 1 || static_cast<unsigned>(day) > detail::days_in_month(year, static_cast<unsigned>(month)))
    return std::nullopt;

  timestamp t;
  const std::int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  t.local_seconds = days * 86400;
  if (i == s.size()) {
    t.date_only = true;
    return t;
  }
  if (s[i] != 'T' && s[i] != 't' && s[i] != ' ') return std::nullopt;
  ++i;
  const int hh = detail::read_fixed_digits(s, i, 2);
  if (hh < 0 || hh > 23 || i >= s.size() || s[i++] != ':') return std::nullopt;
  const int mm = detail::read_fixed_digits(s, i, 2);
  if (mm < 0 || mm > 59) return std::nullopt;
  int ss = 0;
  if (i < s.size() && s[i] == ':') {
    ++i;
    ss = detail::read_fixed_digits(s, i, 2);
    if (ss < 0 || ss > 60) return std::nullopt;
    if (ss == 60) ss = 59;
    if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
      ++i;
      const std::size_t start = i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
      if (i == start) return std::nullopt;
    }
  }
  t.local_seconds += hh * 3600 + mm * 60 + ss;

  if (i < s.size()) {
    const char c = s[i++];
    if (c == 'Z' || c == 'z') {
      t.has_offset = true;
    } else if (c == '+' || c == '-') {
      const int oh = detail::read_fixed_digits(s, i, 2);
      if (oh < 0 || oh > 23) return std::nullopt;
      if (i < s.size() && s[i] == ':') ++i;
      const int om = detail::read_fixed_digits(s, i, 2);
      if (om < 0 || om > 59) return std::nullopt;
      t.has_offset = true;
      t.offset_minutes = (c == '-' ? -1 : 1) * (oh * 60 + om);
    } else {
      return std::nullopt;
    }
  }
  if (i != s.size()) return std::nullopt;
  return t;
}

/// Parses a duration to seconds: "90s", "5m", "2h", "1d", combinations in descending unit order
/// with each unit at most once ("1h30m", "1d2h3m4s"), a unit amount with a fraction ("1.5h"), or
/// a bare number of seconds ("300", "2.5", "1e3"). Signs are rejected: durations are never
/// negative. Seconds are a decimal so fractional durations compare exactly with plain numbers.
inline std::optional<decimal> parse_duration(std::string_view s) noexcept {
  if (s.empty()) return std::nullopt;
  const char last = s.back();
  if (last >= '0' && last <= '9') return detail::parse_unsigned_amount(s);

  decimal total;
  int previous_rank = 4;  // units must appear in strictly descending rank: d=3, h=2, m=1, s=0
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t start = i;
    while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.')) ++i;
    if (i == start || i >= s.size()) return std::nullopt;
    const std::optional<decimal> amount = detail::parse_unsigned_amount(s.substr(start, i - start));
    if (!amount) return std::nullopt;
    int rank = 0;
    std::int64_t unit_seconds = 0;
    switch (s[i++]) {
      case 'd': rank = 3; unit_seconds = 86400; break;
      case 'h': rank = 2; unit_seconds = 3600; break;
      case 'm': rank = 1; unit_seconds = 60; break;
      case 's': rank = 0; unit_seconds = 1; break;
      default: return std::nullopt;
    }
    if (rank >= previous_rank) return std::nullopt;
    previous_rank = rank;
    const std::optional<decimal> part = mul(*amount, *decimal::from_int(unit_seconds));
    if (!part) return std::nullopt;
    const std::optional<decimal> sum = add(total, *part);
    if (!sum) return std::nullopt;
    total = *sum;
  }
  return total;
}

/// Parses a time of day to seconds since midnight: "08:00", "8:00", "17:30", "08:00:30".
/// 24:00 and above are rejected so that between(clock, from, to) always sees [0, 86400).
constexpr std::optional<std::int32_t> parse_clock(std::string_view s) noexcept {
  std::size_t i = 0;
  int hh = -1;
  if (s.size() >= 2 && s[1] == ':') {
    hh = detail::read_fixed_digits(s, i, 1);
  } else {
    hh = detail::read_fixed_digits(s, i, 2);
  }
  if (hh < 0 || hh > 23 || i >= s.size() || s[i++] != ':') return std::nullopt;
  const int mm = detail::read_fixed_digits(s, i, 2);
  if (mm < 0 || mm > 59) return std::nullopt;
  int ss = 0;
  if (i < s.size()) {
    if (s[i++] != ':') return std::nullopt;
    ss = detail::read_fixed_digits(s, i, 2);
    if (ss < 0 || ss > 59) return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  return static_cast<std::int32_t>(hh * 3600 + mm * 60 + ss);
}

/// How tallies are grouped in time (SPEC section 4).
enum class period_kind { day, week, month, quarter, year, all };

/// Reads a rulebook's or --period's word: "day", "week", "month", "quarter", "year", "all".
constexpr std::optional<period_kind> parse_period_kind(std::string_view s) noexcept {
  if (s == "day") return period_kind::day;
  if (s == "week") return period_kind::week;
  if (s == "month") return period_kind::month;
  if (s == "quarter") return period_kind::quarter;
  if (s == "year") return period_kind::year;
  if (s == "all") return period_kind::all;
  return std::nullopt;
}

/// The word parse_period_kind reads, for reports ("period": "month").
constexpr std::string_view to_string(period_kind k) noexcept {
  switch (k) {
    case period_kind::day: return "day";
    case period_kind::week: return "week";
    case period_kind::month: return "month";
    case period_kind::quarter: return "quarter";
    case period_kind::year: return "year";
    case period_kind::all: return "all";
  }
  return "all";
}

/// An integer naming the period of t, so the hot path groups by integer and builds label
/// strings only once per tally. Increasing in time within a kind:
/// day → day number, week → iso_year*100 + week, month → year*12 + (month-1),
/// quarter → year*4 + (quarter-1), year → year, all → 0.
constexpr std::int32_t period_key(period_kind k, const timestamp& t) noexcept {
  const std::int64_t days = days_of(t);
  int y = 0;
  unsigned m = 0, d = 0;
  switch (k) {
    case period_kind::day: return static_cast<std::int32_t>(days);
    case period_kind::week: {
      const iso_week w = iso_week_of(days);
      return static_cast<std::int32_t>(w.year * 100 + static_cast<int>(w.week));
    }
    case period_kind::month:
      civil_from_days(days, y, m, d);
      return static_cast<std::int32_t>(y * 12 + static_cast<int>(m) - 1);
    case period_kind::quarter:
      civil_from_days(days, y, m, d);
      return static_cast<std::int32_t>(y * 4 + static_cast<int>((m - 1) / 3));
    case period_kind::year:
      civil_from_days(days, y, m, d);
      return static_cast<std::int32_t>(y);
    case period_kind::all: return 0;
  }
  return 0;
}

/// The day number (days_from_civil) a period_key's period starts on: the day itself, the
/// ISO week's Monday, the first of the month, quarter or year. `all` has no first day of its
/// own (SPEC §8.1 takes the employee's earliest record): 0.
constexpr std::int64_t period_start_day(period_kind k, std::int32_t key) noexcept {
  switch (k) {
    case period_kind::day: return key;
    case period_kind::week: {
      // ISO week 1 holds 4 January.
      const std::int64_t jan4 = days_from_civil(static_cast<int>(detail::floor_div(key, 100)), 1, 4);
      return jan4 - (weekday_of_days(jan4) - 1) + (detail::floor_mod(key, 100) - 1) * 7;
    }
    case period_kind::month:
      return days_from_civil(static_cast<int>(detail::floor_div(key, 12)), static_cast<unsigned>(detail::floor_mod(key, 12) + 1), 1);
    case period_kind::quarter:
      return days_from_civil(static_cast<int>(detail::floor_div(key, 4)), static_cast<unsigned>(detail::floor_mod(key, 4) * 3 + 1), 1);
    case period_kind::year: return days_from_civil(key, 1, 1);
    case period_kind::all: return 0;
  }
  return 0;
}

/// The label SPEC prints for a period_key: "2026-11-03", "2026-W45", "2027-W01", "2026-11",
/// "2026-Q4", "2026", "all".
inline std::string period_label_from_key(period_kind k, std::int32_t key) {
  std::string out;
  out.reserve(10);
  switch (k) {
    case period_kind::day: {
      int y = 0;
      unsigned m = 0, d = 0;
      civil_from_days(key, y, m, d);
      detail::append_padded(out, y, 4);
      out += '-';
      detail::append_padded(out, m, 2);
      out += '-';
      detail::append_padded(out, d, 2);
      break;
    }
    case period_kind::week:
      detail::append_padded(out, detail::floor_div(key, 100), 4);
      out += "-W";
      detail::append_padded(out, detail::floor_mod(key, 100), 2);
      break;
    case period_kind::month:
      detail::append_padded(out, detail::floor_div(key, 12), 4);
      out += '-';
      detail::append_padded(out, detail::floor_mod(key, 12) + 1, 2);
      break;
    case period_kind::quarter:
      detail::append_padded(out, detail::floor_div(key, 4), 4);
      out += "-Q";
      detail::append_padded(out, detail::floor_mod(key, 4) + 1, 1);
      break;
    case period_kind::year: detail::append_padded(out, key, 4); break;
    case period_kind::all: out = "all"; break;
  }
  return out;
}

/// The label of the period holding t (see period_label_from_key).
inline std::string period_label(period_kind k, const timestamp& t) {
  return period_label_from_key(k, period_key(k, t));
}

/// ISO text of t as written: "2026-11-03T09:12:00+08:00"; "Z" for a written zero offset
/// (parse_time cannot tell "Z" from "+00:00", and "Z" is the usual spelling); no offset part
/// when none was written; "2026-11-03" for a date-only time.
inline std::string format_time(const timestamp& t) {
  std::string out = period_label_from_key(period_kind::day, static_cast<std::int32_t>(days_of(t)));
  if (t.date_only) return out;
  const std::int32_t c = clock_of(t);
  out += 'T';
  detail::append_padded(out, c / 3600, 2);
  out += ':';
  detail::append_padded(out, c / 60 % 60, 2);
  out += ':';
  detail::append_padded(out, c % 60, 2);
  if (t.has_offset) {
    if (t.offset_minutes == 0) {
      out += 'Z';
    } else {
      const std::int32_t magnitude = t.offset_minutes < 0 ? -t.offset_minutes : t.offset_minutes;
      out += t.offset_minutes < 0 ? '-' : '+';
      detail::append_padded(out, magnitude / 60, 2);
      out += ':';
      detail::append_padded(out, magnitude % 60, 2);
    }
  }
  return out;
}

}  // namespace decorum
