// tests/base/test_chrono.cpp — entry point: doctest cases "chrono*".
// Pins decorum's civil-time rules: which time, duration and clock spellings are accepted, that
// times are read as written, and that ISO weeks and period labels are right at year ends.
// Day numbers and weekdays were worked out by hand from 1970-01-01 (a Thursday).
#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "decorum/base/chrono.hpp"

using namespace decorum;

namespace {

/// 2026-11-03: 56 years after 1970 with 14 leap days (1972…2024), plus 306 days into 2026.
constexpr std::int64_t nov3 = 20760;

/// Parses a time the test knows is valid.
timestamp at(std::string_view s) {
  const std::optional<timestamp> t = parse_time(s);
  REQUIRE_MESSAGE(t.has_value(), "test time does not parse: ", std::string(s));
  return *t;
}

/// Duration text as seconds, "null" when rejected, so each row is one string compare.
std::string duration_text(std::string_view s) {
  const std::optional<decimal> v = parse_duration(s);
  return v ? v->to_string() : "null";
}

}  // namespace

TEST_CASE("chrono days_from_civil and civil_from_days") {
  struct row {
    int y;
    unsigned m, d;
    std::int64_t days;
  };
  const row rows[] = {
      {1970, 1, 1, 0},        {1969, 12, 31, -1},    {1970, 3, 1, 59},       {2000, 1, 1, 10957},
      {2000, 3, 1, 11017},    {2024, 2, 29, 19782},  {2026, 1, 1, 20454},    {2026, 11, 3, nov3},
      {2026, 12, 31, 20818},  {2027, 1, 1, 20819},   {1900, 3, 1, -25508},   {1, 1, 1, -719162},
      {9999, 12, 31, 2932896},
  };
  for (const row& r : rows) {
    CAPTURE(r.y);
    CAPTURE(r.m);
    CAPTURE(r.d);
    CHECK(days_from_civil(r.y, r.m, r.d) == r.days);
    int y = 0;
    unsigned m = 0, d = 0;
    civil_from_days(r.days, y, m, d);
    CHECK(y == r.y);
    CHECK(m == r.m);
    CHECK(d == r.d);
  }
  static_assert(days_from_civil(1970, 1, 1) == 0);
}

TEST_CASE("chrono civil round trip over the whole supported range") {
  // Walking day by day checks month lengths and leap years everywhere, not just at the
  // dates listed above.
  int y = 1;
  unsigned m = 1, d = 1;
  for (std::int64_t days = days_from_civil(1, 1, 1); days <= days_from_civil(9999, 12, 31); ++days) {
    int cy = 0;
    unsigned cm = 0, cd = 0;
    civil_from_days(days, cy, cm, cd);
    if (cy != y || cm != m || cd != d || days_from_civil(y, m, d) != days) {
      FAIL("mismatch at day ", days, ": expected ", y, "-", m, "-", d, " got ", cy, "-", cm, "-", cd);
    }
    if (d < detail::days_in_month(y, m)) {
      ++d;
    } else if (m < 12) {
      ++m;
      d = 1;
    } else {
      ++y;
      m = 1;
      d = 1;
    }
  }
  CHECK(y == 10000);
}

TEST_CASE("chrono parse_time accepts every documented form") {
  struct row {
    std::string_view in;
    std::int64_t local_seconds;
    std::int32_t offset_minutes;
    bool has_offset;
    bool date_only;
  };
  const std::int64_t base = nov3 * 86400;
  const std::int64_t t0912 = base + 9 * 3600 + 12 * 60;
  const row rows[] = {
      {"2026-11-03T09:12:00+08:00", t0912, 480, true, false},
      {"2026-11-03T09:12:00Z", t0912, 0, true, false},
      {"2026-11-03T09:12:00z", t0912, 0, true, false},
      {"2026-11-03t09:12:00", t0912, 0, false, false},
      {"2026-11-03T09:12:00", t0912, 0, false, false},
      {"2026-11-03T09:12", t0912, 0, false, false},
      {"2026-11-03 09:12", t0912, 0, false, false},
      {"2026-11-03 09:12:00", t0912, 0, false, false},
      {"2026-11-03", base, 0, false, true},
      {"2026-11-03T09:12:00.123", t0912, 0, false, false},
      {"2026-11-03T09:12:00,5", t0912, 0, false, false},
      {"2026-11-03T09:12:00.123456789+08:00", t0912, 480, true, false},
      {"2026-11-03T09:12:00+0800", t0912, 480, true, false},
      {"2026-11-03T09:12:00-05:00", t0912, -300, true, false},
      {"2026-11-03T09:12:00-0500", t0912, -300, true, false},
      {"2026-11-03T09:12:00+05:30", t0912, 330, true, false},
      {"2026-11-03T09:12:00-00:30", t0912, -30, true, false},
      {"2026-11-03T09:12:00+00:00", t0912, 0, true, false},
      {"2026-11-03T09:12:00-00:00", t0912, 0, true, false},
      {"2026-11-03T09:12+08:00", t0912, 480, true, false},
      {"2026-11-03T09:12Z", t0912, 0, true, false},
      {"2026-11-03 09:12:00+08:00", t0912, 480, true, false},
      {"2026-11-03T09:12:07", t0912 + 7, 0, false, false},
      {"2026-11-03T09:12:60", t0912 + 59, 0, false, false},  // leap second stays in its minute
      {"2026-11-03T00:00:00", base, 0, false, false},
      {"2026-11-03T23:59:59", base + 86399, 0, false, false},
      {"2024-02-29", 19782LL * 86400, 0, false, true},
      {"2000-02-29T12:00", (11017LL - 1) * 86400 + 12 * 3600, 0, false, false},
      {"1969-12-31T23:00", -3600, 0, false, false},
      {"1970-01-01T00:00:00Z", 0, 0, true, false},
      {"0001-01-01", -719162LL * 86400, 0, false, true},
      {"9999-12-31T23:59:59", 2932896LL * 86400 + 86399, 0, false, false},
  };
  for (const row& r : rows) {
    CAPTURE(r.in);
    const std::optional<timestamp> t = parse_time(r.in);
    REQUIRE(t.has_value());
    CHECK(t->local_seconds == r.local_seconds);
    CHECK(t->offset_minutes == r.offset_minutes);
    CHECK(t->has_offset == r.has_offset);
    CHECK(t->date_only == r.date_only);
  }
}

TEST_CASE("chrono parse_time rejects malformed and out-of-range times") {
  const std::string_view rejected[] = {
      "",
      "2026",
      "2026-11",
      "2026-11-3",
      "2026-1-03",
      "26-11-03",
      "20261103",
      "2026/11/03",
      "2026-11-03x",
      " 2026-11-03",
      "2026-11-03 ",
      "2026-11-03T",
      "2026-11-03T09",
      "2026-11-03T9:12",
      "2026-11-03T09:2",
      "2026-11-03T0912",
      "2026-11-03_09:12",
      "2026-11-03T09:12:0",
      "2026-11-03T09:12:00.",
      "2026-11-03T09:12.5",          // fraction needs seconds
      "2026-11-03T09:12:00 ",
      "2026-11-03T09:12:00Z ",
      "2026-11-03T09:12:00ZZ",
      "2026-11-03T09:12:00 +08:00",
      "2026-11-03T09:12:00+8:00",
      "2026-11-03T09:12:00+08",
      "2026-11-03T09:12:00+08:0",
      "2026-11-03T09:12:00+080",
      "2026-11-03T09:12:00+08:00:00",
      "2026-11-03T09:12:00+24:00",
      "2026-11-03T09:12:00+08:60",
      "2026-11-03T09:12:00UTC",
      "2026-11-03+08:00",             // a date alone carries no offset
      "2026-11-03Z",
      "2026-00-10",
      "2026-13-01",
      "2026-11-00",
      "2026-11-31",
      "2026-04-31",
      "2026-01-32",
      "2023-02-29",                   // not a leap year
      "2100-02-29",                   // century, not a leap year
      "1900-02-29",
      "2024-02-30",
      "0000-01-01",                   // years start at 0001
      "10000-01-01",
      "-2026-11-03",
      "2026-11-03T24:00",
      "2026-11-03T24:00:00",
      "2026-11-03T23:60",
      "2026-11-03T09:12:61",
      "2026-11-03T-1:12",
      "２０２６-11-03",
  };
  for (std::string_view s : rejected) {
    CAPTURE(s);
    CHECK_FALSE(parse_time(s).has_value());
  }
}

TEST_CASE("chrono weekday, hour and clock read the time as written") {
  struct row {
    std::string_view in;
    int weekday;
    int hour;
    std::int32_t clock;
  };
  const row rows[] = {
      {"1970-01-01", 4, 0, 0},                               // Thursday
      {"1969-12-31T23:00", 3, 23, 82800},                    // Wednesday, before the epoch
      {"2000-01-01T12:30:15", 6, 12, 45015},                 // Saturday
      {"2024-02-29T08:00", 4, 8, 28800},                     // Thursday
      {"2026-11-02T23:59:59", 1, 23, 86399},                 // Monday
      {"2026-11-03T09:12:30+08:00", 2, 9, 33150},            // Tuesday; offset ignored
      {"2026-11-03T01:00:00-05:00", 2, 1, 3600},             // still the written Tuesday
      {"2026-11-08", 7, 0, 0},                               // Sunday, date only = 00:00
      {"2021-01-03T17:00", 7, 17, 61200},                    // Sunday
      {"2027-01-01", 5, 0, 0},                               // Friday
      {"0001-01-01", 1, 0, 0},                               // Monday (proleptic Gregorian)
  };
  for (const row& r : rows) {
    CAPTURE(r.in);
    const timestamp t = at(r.in);
    CHECK(weekday(t) == r.weekday);
    CHECK(hour(t) == r.hour);
    CHECK(clock_of(t) == r.clock);
  }
  CHECK(days_of(at("1969-12-31T23:59:59")) == -1);
  CHECK(days_of(at("2026-11-03T23:59:59")) == nov3);
}

TEST_CASE("chrono timestamps order by written wall clock") {
  // 09:00+08:00 is 01:00 UTC, earlier than 08:00Z, but SPEC orders times as written.
  CHECK(at("2026-11-03T08:00Z") < at("2026-11-03T09:00+08:00"));
  CHECK(at("2026-11-03") < at("2026-11-03T00:00:01"));
  CHECK(at("2026-11-02T23:59:59") < at("2026-11-03"));
  CHECK(at("2026-11-03T09:12:00") == at("2026-11-03 09:12"));
  CHECK(at("2026-11-03T09:12:00Z") != at("2026-11-03T09:12:00"));
}

TEST_CASE("chrono iso weeks at year ends") {
  struct row {
    int y;
    unsigned m, d;
    int iso_year;
    unsigned week;
  };
  const row rows[] = {
      {2026, 11, 3, 2026, 45},  {2026, 11, 2, 2026, 45}, {2026, 11, 8, 2026, 45},
      {2026, 11, 9, 2026, 46},  {2026, 12, 31, 2026, 53}, {2027, 1, 1, 2026, 53},
      {2027, 1, 3, 2026, 53},   {2027, 1, 4, 2027, 1},   {2024, 12, 30, 2025, 1},
      {2024, 12, 29, 2024, 52}, {2021, 1, 3, 2020, 53},  {2021, 1, 4, 2021, 1},
      {2020, 12, 31, 2020, 53}, {2026, 1, 1, 2026, 1},   {2025, 12, 29, 2026, 1},
      {2010, 1, 3, 2009, 53},   {2008, 12, 29, 2009, 1}, {1970, 1, 1, 1970, 1},
      {2000, 1, 1, 1999, 52},   {2024, 2, 29, 2024, 9},
  };
  for (const row& r : rows) {
    CAPTURE(r.y);
    CAPTURE(r.m);
    CAPTURE(r.d);
    const iso_week w = iso_week_of(days_from_civil(r.y, r.m, r.d));
    CHECK(w.year == r.iso_year);
    CHECK(w.week == r.week);
  }
}

TEST_CASE("chrono period kinds parse and print") {
  const period_kind kinds[] = {period_kind::day,     period_kind::week, period_kind::month,
                               period_kind::quarter, period_kind::year, period_kind::all};
  const std::string_view words[] = {"day", "week", "month", "quarter", "year", "all"};
  for (int k = 0; k < 6; ++k) {
    CAPTURE(words[k]);
    CHECK(parse_period_kind(words[k]) == kinds[k]);
    CHECK(to_string(kinds[k]) == words[k]);
  }
  for (std::string_view bad : {"", "Month", "weekly", "days", "all ", "quarterly"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_period_kind(bad).has_value());
  }
}

TEST_CASE("chrono period labels and keys") {
  struct row {
    std::string_view time;
    period_kind kind;
    std::string_view label;
    std::int32_t key;
  };
  const row rows[] = {
      {"2026-11-03T09:12:00+08:00", period_kind::day, "2026-11-03", static_cast<std::int32_t>(nov3)},
      {"2026-11-03T09:12:00+08:00", period_kind::week, "2026-W45", 202645},
      {"2026-11-03T09:12:00+08:00", period_kind::month, "2026-11", 2026 * 12 + 10},
      {"2026-11-03T09:12:00+08:00", period_kind::quarter, "2026-Q4", 2026 * 4 + 3},
      {"2026-11-03T09:12:00+08:00", period_kind::year, "2026", 2026},
      {"2026-11-03T09:12:00+08:00", period_kind::all, "all", 0},
      {"2027-01-04", period_kind::week, "2027-W01", 202701},
      {"2027-01-01", period_kind::week, "2026-W53", 202653},
      {"2027-01-01", period_kind::month, "2027-01", 2027 * 12},
      {"2027-01-01", period_kind::year, "2027", 2027},
      {"2024-12-30", period_kind::week, "2025-W01", 202501},
      {"2024-12-30", period_kind::year, "2024", 2024},  // calendar year, not ISO year
      {"2021-01-03", period_kind::week, "2020-W53", 202053},
      {"2026-01-01", period_kind::quarter, "2026-Q1", 2026 * 4},
      {"2026-03-31T23:59", period_kind::quarter, "2026-Q1", 2026 * 4},
      {"2026-04-01", period_kind::quarter, "2026-Q2", 2026 * 4 + 1},
      {"2026-06-30", period_kind::quarter, "2026-Q2", 2026 * 4 + 1},
      {"2026-07-01", period_kind::quarter, "2026-Q3", 2026 * 4 + 2},
      {"2026-09-30", period_kind::quarter, "2026-Q3", 2026 * 4 + 2},
      {"2026-10-01", period_kind::quarter, "2026-Q4", 2026 * 4 + 3},
      {"2026-12-31T23:59:59", period_kind::quarter, "2026-Q4", 2026 * 4 + 3},
      {"2026-12-31T23:59:59", period_kind::day, "2026-12-31", 20818},
      {"1969-12-31T23:00", period_kind::day, "1969-12-31", -1},
      {"0001-01-01", period_kind::day, "0001-01-01", -719162},
      {"0001-01-01", period_kind::month, "0001-01", 12},
      {"0001-01-01", period_kind::year, "0001", 1},
      {"0001-01-01", period_kind::week, "0001-W01", 101},
      {"9999-12-31", period_kind::week, "9999-W52", 999952},
  };
  for (const row& r : rows) {
    CAPTURE(r.time);
    CAPTURE(to_string(r.kind));
    const timestamp t = at(r.time);
    CHECK(period_label(r.kind, t) == r.label);
    CHECK(period_key(r.kind, t) == r.key);
    CHECK(period_label_from_key(r.kind, r.key) == r.label);
  }
}

TEST_CASE("chrono period keys are monotonic and round trip to labels") {
  // Every day from 1999 to 2031 covers 53-week years, leap years and every quarter boundary.
  const period_kind kinds[] = {period_kind::day,     period_kind::week, period_kind::month,
                               period_kind::quarter, period_kind::year, period_kind::all};
  for (period_kind k : kinds) {
    CAPTURE(to_string(k));
    std::int32_t previous_key = 0;
    std::string previous_label;
    bool first = true;
    for (std::int64_t days = days_from_civil(1999, 1, 1); days <= days_from_civil(2031, 12, 31); ++days) {
      timestamp t;
      t.local_seconds = days * 86400 + 43200;
      const std::int32_t key = period_key(k, t);
      const std::string label = period_label(k, t);
      if (!first) {
        if (key < previous_key || (key == previous_key) != (label == previous_label)) {
          FAIL("day ", days, ": key ", previous_key, " -> ", key, ", label ", previous_label, " -> ", label);
        }
      }
      if (period_label_from_key(k, key) != label) FAIL("day ", days, ": label from key differs");
      previous_key = key;
      previous_label = label;
      first = false;
    }
  }
}

TEST_CASE("chrono format_time prints the time as written") {
  struct row {
    std::string_view in, out;
  };
  const row rows[] = {
      {"2026-11-03T09:12:00+08:00", "2026-11-03T09:12:00+08:00"},
      {"2026-11-03T09:12:00+0800", "2026-11-03T09:12:00+08:00"},
      {"2026-11-03T09:12:00-05:00", "2026-11-03T09:12:00-05:00"},
      {"2026-11-03T09:12:00-00:30", "2026-11-03T09:12:00-00:30"},
      {"2026-11-03T09:12:00+05:45", "2026-11-03T09:12:00+05:45"},
      {"2026-11-03T09:12:00Z", "2026-11-03T09:12:00Z"},
      {"2026-11-03T09:12:00+00:00", "2026-11-03T09:12:00Z"},
      {"2026-11-03T09:12", "2026-11-03T09:12:00"},
      {"2026-11-03 09:12:07", "2026-11-03T09:12:07"},
      {"2026-11-03T09:12:07.999", "2026-11-03T09:12:07"},
      {"2026-11-03", "2026-11-03"},
      {"2026-11-03T00:00", "2026-11-03T00:00:00"},
      {"1969-12-31T23:00", "1969-12-31T23:00:00"},
      {"0001-01-01T00:00:01", "0001-01-01T00:00:01"},
      {"9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z"},
  };
  for (const row& r : rows) {
    CAPTURE(r.in);
    CHECK(format_time(at(r.in)) == r.out);
  }
}

TEST_CASE("chrono parse_duration gives seconds") {
  struct row {
    std::string_view in, seconds;
  };
  const row rows[] = {
      {"90s", "90"},
      {"5m", "300"},
      {"2h", "7200"},
      {"1d", "86400"},
      {"1h30m", "5400"},
      {"1d2h3m4s", "93784"},
      {"2h0m", "7200"},
      {"1m30s", "90"},
      {"0s", "0"},
      {"1.5h", "5400"},
      {"0.5m", "30"},
      {"1.5s", "1.5"},
      {"05m", "300"},
      {"300", "300"},
      {"0300", "300"},
      {"2.5", "2.5"},
      {"0", "0"},
      {"0.000001", "0.000001"},
      {"1e3", "1000"},
      {"", "null"},
      {"-5m", "null"},
      {"+5m", "null"},
      {"-300", "null"},
      {"+300", "null"},
      {"5", "5"},
      {"5x", "null"},
      {"m", "null"},
      {"s5", "null"},
      {"30m1h", "null"},   // units run largest first
      {"5m5m", "null"},
      {"1h30", "null"},
      {"1 h", "null"},
      {"1h 30m", "null"},
      {" 5m", "null"},
      {"5M", "null"},
      {"5ms", "null"},
      {".5m", "null"},
      {"5.m", "null"},
      {"1.2.3s", "null"},
      {"1e3s", "null"},
      {"abc", "null"},
      {"0.0000001", "null"},  // finer than a microsecond
      {"0.0000001s", "null"},
      {"99999999999d", "null"},  // overflow
  };
  for (const row& r : rows) {
    CAPTURE(r.in);
    CHECK(duration_text(r.in) == r.seconds);
  }
}

TEST_CASE("chrono parse_clock gives seconds since midnight") {
  struct row {
    std::string_view in;
    std::int32_t seconds;
  };
  const row rows[] = {
      {"08:00", 28800}, {"8:00", 28800},  {"17:30", 63000},    {"08:00:30", 28830},
      {"00:00", 0},     {"0:00", 0},      {"23:59", 86340},    {"23:59:59", 86399},
      {"9:05:07", 32707},
  };
  for (const row& r : rows) {
    CAPTURE(r.in);
    const std::optional<std::int32_t> c = parse_clock(r.in);
    REQUIRE(c.has_value());
    CHECK(*c == r.seconds);
  }
  const std::string_view rejected[] = {
      "",      "24:00", "24:00:00", "25:00",  "23:60",       "08:00:60", "8",     "08",
      "08:0",  "8:0",   "008:00",   "08:00:", "08:00:5",     ":00",      "08-00", " 08:00",
      "08:00 ", "-1:00", "08:00:00:00", "8h",  "08:00Z",      "08.00",    "０8:00",
  };
  for (std::string_view s : rejected) {
    CAPTURE(s);
    CHECK_FALSE(parse_clock(s).has_value());
  }
  static_assert(*parse_clock("17:30") == 63000);
}
