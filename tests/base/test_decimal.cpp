// tests/base/test_decimal.cpp — entry point: doctest cases "decimal*".
// Pins decorum::decimal's exactness, parse strictness and rounding direction; expected values
// are worked out by hand, since reports must show the same digits on every platform.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "decorum/base/decimal.hpp"

using decorum::decimal;

namespace {

/// Parses a literal the test knows is valid; a failure here is a test bug, so fail loudly.
decimal d(std::string_view s) {
  const std::optional<decimal> v = decimal::parse(s);
  REQUIRE_MESSAGE(v.has_value(), "test literal does not parse: ", std::string(s));
  return *v;
}

/// Text of an optional result, "null" for nullopt, so a table row reads as one string compare.
std::string text(const std::optional<decimal>& v) { return v ? v->to_string() : "null"; }

constexpr std::int64_t max_raw = std::numeric_limits<std::int64_t>::max();

}  // namespace

TEST_CASE("decimal parse accepts JSON numbers exactly") {
  struct row {
    std::string_view in;
    std::int64_t raw;
  };
  const row rows[] = {
      {"0", 0},
      {"-0", 0},
      {"-0.0", 0},
      {"0e99999999999", 0},
      {"12", 12'000'000},
      {"-2.5", -2'500'000},
      {"+3", 3'000'000},
      {"0.000001", 1},
      {"-0.000001", -1},
      {"1e3", 1'000'000'000},
      {"1E+3", 1'000'000'000},
      {"2.5E-2", 25'000},
      {"1.0000000", 1'000'000},
      {"1.500000000000000000000000000000", 1'500'000},
      {"100", 100'000'000},
      {"0.1", 100'000},
      {"123.456789", 123'456'789},
      {"1e-6", 1},
      {"1000000e-12", 1},
      {"9223372036854.775807", max_raw},
      {"-9223372036854.775807", -max_raw},
      {"9223372036854775807e-6", max_raw},
  };
  for (const row& r : rows) {
    CAPTURE(r.in);
    const std::optional<decimal> v = decimal::parse(r.in);
    REQUIRE(v.has_value());
    CHECK(v->raw() == r.raw);
  }
}

TEST_CASE("decimal parse rejects bad syntax, overflow and hidden rounding") {
  const std::string_view rejected[] = {
      "",
      "abc",
      "1.",
      ".5",
      "-.5",
      "--1",
      "+-1",
      "++1",
      "-",
      "+",
      "01",
      "-01",
      "00",
      "1e",
      "1e+",
      "1E-",
      "e3",
      "1.e3",
      " 1",
      "1 ",
      "1,5",
      "0x10",
      "1.2.3",
      "1_000",
      "inf",
      "NaN",
      "1.0000001",   // a seventh significant fractional digit
      "2.5e-6",      // 0.0000025
      "1e-7",
      "0.0000001",
      "1e20",        // overflow
      "9223372036854.775808",
      "-9223372036854.775808",  // would be INT64_MIN, excluded by the invariant
      "10000000000000",
      "99999999999999999999999999999",
      "1e99999999999",
  };
  for (std::string_view s : rejected) {
    CAPTURE(s);
    CHECK_FALSE(decimal::parse(s).has_value());
  }
}

TEST_CASE("decimal to_string is shortest and never negative zero") {
  struct row {
    std::int64_t raw;
    std::string_view out;
  };
  const row rows[] = {
      {0, "0"},
      {10'000'000, "10"},
      {2'500'000, "2.5"},
      {-10'000, "-0.01"},
      {1, "0.000001"},
      {-1, "-0.000001"},
      {100'000, "0.1"},
      {123'456'789, "123.456789"},
      {-123'450'000, "-123.45"},
      {1'000'000'000, "1000"},
      {max_raw, "9223372036854.775807"},
      {-max_raw, "-9223372036854.775807"},
  };
  for (const row& r : rows) {
    CAPTURE(r.raw);
    CHECK(decimal::from_raw(r.raw).to_string() == r.out);
  }
  CHECK(decimal{}.to_string() == "0");
  CHECK((-decimal{}).to_string() == "0");
  CHECK(d("-0").to_string() == "0");
}

TEST_CASE("decimal from_int and from_raw keep the invariant") {
  CHECK(decimal::from_int(0)->raw() == 0);
  CHECK(decimal::from_int(-7)->raw() == -7'000'000);
  CHECK(decimal::from_int(9'223'372'036'854)->raw() == 9'223'372'036'854'000'000);
  CHECK(decimal::from_int(-9'223'372'036'854)->raw() == -9'223'372'036'854'000'000);
  CHECK_FALSE(decimal::from_int(9'223'372'036'855).has_value());
  CHECK_FALSE(decimal::from_int(-9'223'372'036'855).has_value());
  CHECK_FALSE(decimal::from_int(std::numeric_limits<std::int64_t>::min()).has_value());
  CHECK(decimal::from_raw(std::numeric_limits<std::int64_t>::min()).raw() == -max_raw);
  static_assert(decimal::from_raw(5).raw() == 5);
  static_assert(decimal::parse("2.5")->raw() == 2'500'000);
}

TEST_CASE("decimal add and sub are exact and checked") {
  CHECK(*add(d("0.1"), d("0.2")) == d("0.3"));
  CHECK(add(d("0.1"), d("0.2"))->to_string() == "0.3");
  CHECK(text(sub(d("0.3"), d("0.1"))) == "0.2");
  CHECK(text(sub(d("1"), d("2.5"))) == "-1.5");
  CHECK(text(add(d("-0.01"), d("0.01"))) == "0");
  const decimal top = decimal::from_raw(max_raw);
  CHECK_FALSE(add(top, decimal::from_raw(1)).has_value());
  CHECK(text(add(top, decimal::from_raw(-1))) == "9223372036854.775806");
  CHECK_FALSE(sub(-top, decimal::from_raw(1)).has_value());  // would reach INT64_MIN
  CHECK_FALSE(sub(decimal::from_raw(-2), top).has_value());
  CHECK(sub(decimal{}, top)->raw() == -max_raw);
}

TEST_CASE("decimal mul rounds half away from zero") {
  struct row {
    std::string_view a, b, out;
  };
  const row rows[] = {
      {"2.5", "4", "10"},
      {"0.1", "0.2", "0.02"},
      {"-0.1", "0.2", "-0.02"},
      {"1.5", "0.000001", "0.000002"},     // 0.0000015 -> up
      {"-1.5", "0.000001", "-0.000002"},   // -0.0000015 -> away from zero
      {"1.5", "-0.000001", "-0.000002"},
      {"-1.5", "-0.000001", "0.000002"},
      {"1.4", "0.000001", "0.000001"},     // 0.0000014 -> down
      {"-1.4", "0.000001", "-0.000001"},
      {"0.4", "0.000001", "0"},            // 0.0000004 -> 0, never "-0"
      {"-0.4", "0.000001", "0"},
      {"0.5", "0.000001", "0.000001"},
      {"-0.5", "0.000001", "-0.000001"},
      {"1000", "1000", "1000000"},
      {"0.333333", "3", "0.999999"},
      {"-25", "1000", "-25000"},
      {"10000000", "10000000", "null"},    // 1e14 > 9.2e12
      {"9223372036854.775807", "1", "9223372036854.775807"},
      {"9223372036854.775807", "-1", "-9223372036854.775807"},
      {"4611686018427.387904", "2", "null"},  // exactly 2^63 millionths
  };
  for (const row& r : rows) {
    CAPTURE(r.a);
    CAPTURE(r.b);
    CHECK(text(mul(d(r.a), d(r.b))) == r.out);
  }
}

TEST_CASE("decimal div rounds half away from zero and refuses zero") {
  struct row {
    std::string_view a, b, out;
  };
  const row rows[] = {
      {"10", "4", "2.5"},
      {"1", "3", "0.333333"},
      {"2", "3", "0.666667"},
      {"-2", "3", "-0.666667"},
      {"2", "-3", "-0.666667"},
      {"-2", "-3", "0.666667"},
      {"-1", "3", "-0.333333"},
      {"0.000001", "2", "0.000001"},     // 0.0000005 -> away from zero
      {"-0.000001", "2", "-0.000001"},
      {"0.000003", "2", "0.000002"},     // 0.0000015 -> up
      {"-0.000003", "2", "-0.000002"},
      {"0.000001", "3", "0"},            // 0.00000033 -> 0
      {"-0.000001", "3", "0"},
      {"0", "-5", "0"},
      {"1", "0.000001", "1000000"},
      {"1", "0", "null"},
      {"0", "0", "null"},
      {"-1", "0", "null"},
      {"9223372036854", "0.5", "null"},
      {"9223372036854.775807", "1", "9223372036854.775807"},
  };
  for (const row& r : rows) {
    CAPTURE(r.a);
    CAPTURE(r.b);
    CHECK(text(div(d(r.a), d(r.b))) == r.out);
  }
}

TEST_CASE("decimal mod takes the sign of the dividend") {
  struct row {
    std::string_view a, b, out;
  };
  const row rows[] = {
      {"7", "3", "1"},
      {"-7", "3", "-1"},
      {"7", "-3", "1"},
      {"-7", "-3", "-1"},
      {"5.5", "2", "1.5"},
      {"-5.5", "2", "-1.5"},
      {"0.3", "0.1", "0"},
      {"1", "0.3", "0.1"},
      {"6", "3", "0"},
      {"-6", "3", "0"},
      {"0.000007", "0.000002", "0.000001"},
      {"1", "0", "null"},
      {"0", "0", "null"},
  };
  for (const row& r : rows) {
    CAPTURE(r.a);
    CAPTURE(r.b);
    CHECK(text(mod(d(r.a), d(r.b))) == r.out);
  }
}

TEST_CASE("decimal round goes half away from zero") {
  struct row {
    std::string_view in;
    int places;
    std::string_view out;
  };
  const row rows[] = {
      {"2.345", 2, "2.35"},
      {"-2.345", 2, "-2.35"},
      {"2.344999", 2, "2.34"},
      {"-2.344999", 2, "-2.34"},
      {"2.355", 2, "2.36"},
      {"0.005", 2, "0.01"},
      {"-0.005", 2, "-0.01"},
      {"0.004999", 2, "0"},
      {"-0.004999", 2, "0"},
      {"2.5", 0, "3"},
      {"-2.5", 0, "-3"},
      {"2.4", 0, "2"},
      {"-2.4", 0, "-2"},
      {"0.5", 0, "1"},
      {"1.234567", 6, "1.234567"},
      {"1.234567", 5, "1.23457"},
      {"-1.234565", 5, "-1.23457"},
      {"1.234567", 9, "1.234567"},   // places clamp to 6
      {"1.5", -1, "2"},              // places clamp to 0
      {"9223372036854.775807", 2, "9223372036854.77"},  // rounding up would overflow: truncated
      {"9223372036854.775807", 0, "9223372036854"},
      {"-9223372036854.775807", 0, "-9223372036854"},
      {"9223372036854.4", 0, "9223372036854"},
  };
  for (const row& r : rows) {
    CAPTURE(r.in);
    CAPTURE(r.places);
    CHECK(d(r.in).round(r.places).to_string() == r.out);
  }
}

TEST_CASE("decimal trunc, is_integer, negation and order") {
  CHECK(d("2.9").trunc() == 2);
  CHECK(d("-2.9").trunc() == -2);
  CHECK(d("0.999999").trunc() == 0);
  CHECK(d("-0.5").trunc() == 0);
  CHECK(d("3").trunc() == 3);
  CHECK(d("-3").trunc() == -3);
  CHECK(d("9223372036854.775807").trunc() == 9'223'372'036'854);

  CHECK(d("3").is_integer());
  CHECK(d("-3").is_integer());
  CHECK(d("0").is_integer());
  CHECK(d("1e3").is_integer());
  CHECK_FALSE(d("2.5").is_integer());
  CHECK_FALSE(d("-0.000001").is_integer());

  CHECK((-d("2.5")).to_string() == "-2.5");
  CHECK((-d("-2.5")).to_string() == "2.5");

  CHECK(d("0.1") < d("0.2"));
  CHECK(d("-1") < d("0.000001"));
  CHECK(d("2.50") == d("2.5"));
  CHECK(d("1e1") == d("10"));
  CHECK(d("10") != d("10.000001"));
  CHECK(d("-0.01") >= d("-0.01"));
  CHECK((d("1") <=> d("2")) == std::strong_ordering::less);
}

TEST_CASE("decimal arithmetic is callable qualified and in constant expressions") {
  static_assert(decorum::add(decimal::from_raw(100'000), decimal::from_raw(200'000))->raw() == 300'000);
  static_assert(decorum::div(decimal::from_raw(2'000'000), decimal::from_raw(3'000'000))->raw() == 666'667);
  CHECK(decorum::mul(d("2.5"), d("4"))->to_string() == "10");
  CHECK(decorum::sub(d("1"), d("0.9"))->to_string() == "0.1");
  CHECK(decorum::mod(d("-7"), d("3"))->to_string() == "-1");
}
