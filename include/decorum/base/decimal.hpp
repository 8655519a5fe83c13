// decorum/base/decimal.hpp — entry point: decorum::decimal.
// Exact fixed-point numbers for points, fines and scores, so that 0.1 + 0.2 is 0.3 and every
// platform and thread count produces the same digits (SPEC section 4).
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace decorum {

namespace detail {

// Wide enough for the exact product of two raws (< 2^126) and for a raw scaled by 10^6.
__extension__ typedef __int128 decimal_wide;

/// Powers of ten up to 10^18, the largest that fits int64 (parse scales by at most this).
inline constexpr std::int64_t pow10_table[19] = {
    1LL,
    10LL,
    100LL,
    1'000LL,
    10'000LL,
    100'000LL,
    1'000'000LL,
    10'000'000LL,
    100'000'000LL,
    1'000'000'000LL,
    10'000'000'000LL,
    100'000'000'000LL,
    1'000'000'000'000LL,
    10'000'000'000'000LL,
    100'000'000'000'000LL,
    1'000'000'000'000'000LL,
    10'000'000'000'000'000LL,
    100'000'000'000'000'000LL,
    1'000'000'000'000'000'000LL,
};

/// Divides rounding half away from zero; callers guarantee den != 0.
constexpr decimal_wide div_round_half_away(decimal_wide num, decimal_wide den) noexcept {
  decimal_wide quot = num / den;
  decimal_wide rem = num % den;
  if (rem < 0) rem = -rem;
  decimal_wide abs_den = den < 0 ? -den : den;
  if (2 * rem >= abs_den) quot += ((num < 0) != (den < 0)) ? -1 : 1;
  return quot;
}

}  // namespace detail

/// Exact fixed-point decimal: value = raw / 10^6 (six fractional digits), int64 storage.
/// Invariant: raw is never INT64_MIN, so negation and absolute value can never overflow;
/// every operation that could produce it reports overflow instead.
class decimal {
 public:
  /// Fractional digits kept; enough for money to 0.01 with room for intermediate rates.
  static constexpr int digits = 6;
  /// 10^digits: the raw value of 1.
  static constexpr std::int64_t scale = 1'000'000;

  /// Zero.
  constexpr decimal() noexcept = default;

  /// Wraps a raw count of millionths. INT64_MIN saturates to -INT64_MAX to keep the
  /// class invariant (no caller should be near that value anyway).
  static constexpr decimal from_raw(std::int64_t raw) noexcept {
    decimal d;
    d.raw_ = raw == std::numeric_limits<std::int64_t>::min() ? -std::numeric_limits<std::int64_t>::max()
                                                              : raw;
    return d;
  }

  /// Integer value; nullopt when |value| exceeds about 9.2e12 and cannot be scaled.
  static constexpr std::optional<decimal> from_int(std::int64_t value) noexcept {
    constexpr std::int64_t limit = std::numeric_limits<std::int64_t>::max() / scale;
    if (value > limit || value < -limit) return std::nullopt;
    return from_raw(value * scale);
  }

  /// The stored count of millionths.
  constexpr std::int64_t raw() const noexcept { return raw_; }

  /// Parses JSON number syntax with an optional leading '+': "12", "-2.5", "+3", "0.000001",
  /// "1e3", "2.5E-2". Rejects ".5", "1.", "01", "--1", surrounding space, overflow, and any
  /// value that needs more than six fractional digits ("1.0000001") — rounding on input would
  /// silently change what the log or rulebook says. "1.0000000" is fine: it is exactly 1.
  static constexpr std::optional<decimal> parse(std::string_view text) noexcept {
    constexpr std::int64_t max_raw = std::numeric_limits<std::int64_t>::max();
    std::size_t i = 0;
    const std::size_t n = text.size();
    bool negative = false;
    if (i < n && (text[i] == '+' || text[i] == '-')) {
      negative = text[i] == '-';
      ++i;
    }
    auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
    // Significant digits accumulate in `mantissa`; zeros are held back in `pending_zeros`
    // until a nonzero digit follows, so long runs of trailing zeros never overflow.
    std::int64_t mantissa = 0;
    std::int64_t pending_zeros = 0;
    bool too_big = false;
    auto push_digit = [&](char c) {
      if (c == '0') {
        if (mantissa != 0) ++pending_zeros;
        return;
      }
      if (too_big) return;
      // mantissa * 10^(pending_zeros + 1) + digit must stay within int64.
      std::int64_t shift = pending_zeros + 1;
      if (shift > 18) {
        too_big = true;
        return;
      }
      detail::decimal_wide next =
          static_cast<detail::decimal_wide>(mantissa) * detail::pow10_table[shift] + (c - '0');
      if (next > max_raw) {
        too_big = true;
        return;
      }
      mantissa = static_cast<std::int64_t>(next);
      pending_zeros = 0;
    };

    // Integer part: "0" or a nonzero digit followed by digits (JSON forbids leading zeros).
    if (i >= n || !is_digit(text[i])) return std::nullopt;
    if (text[i] == '0') {
      ++i;
      if (i < n && is_digit(text[i])) return std::nullopt;
    } else {
      while (i < n && is_digit(text[i])) push_digit(text[i++]);
    }
    std::int64_t exponent = 0;
    if (i < n && text[i] == '.') {
      ++i;
      if (i >= n || !is_digit(text[i])) return std::nullopt;
      while (i < n && is_digit(text[i])) {
        push_digit(text[i++]);
        --exponent;
      }
    }
    if (i < n && (text[i] == 'e' || text[i] == 'E')) {
      ++i;
      bool exp_negative = false;
      if (i < n && (text[i] == '+' || text[i] == '-')) {
        exp_negative = text[i] == '-';
        ++i;
      }
      if (i >= n || !is_digit(text[i])) return std::nullopt;
      std::int64_t written = 0;
      while (i < n && is_digit(text[i])) {
        // Saturate: any exponent this large already decides the outcome.
        if (written < 1'000'000) written = written * 10 + (text[i] - '0');
        ++i;
      }
      exponent += exp_negative ? -written : written;
    }
    if (i != n) return std::nullopt;
    if (mantissa == 0) return decimal{};  // "0", "-0.0", "0e99": zero, never negative zero
    if (too_big) return std::nullopt;

    const std::int64_t shift = exponent + pending_zeros + digits;
    if (shift < 0) return std::nullopt;   // needs more than six fractional digits
    if (shift > 18) return std::nullopt;  // mantissa >= 1, so this is >= 10^19 millionths
    detail::decimal_wide raw = static_cast<detail::decimal_wide>(mantissa) * detail::pow10_table[shift];
    if (raw > max_raw) return std::nullopt;
    return from_raw(negative ? -static_cast<std::int64_t>(raw) : static_cast<std::int64_t>(raw));
  }

  /// Shortest exact text: "10", "2.5", "-0.01", "0"; never "-0", never trailing zeros,
  /// never an exponent — the form reports print (SPEC section 5).
  std::string to_string() const {
    char buf[32];
    char* end = buf + sizeof buf;
    char* p = end;
    std::uint64_t magnitude = raw_ < 0 ? static_cast<std::uint64_t>(-raw_) : static_cast<std::uint64_t>(raw_);
    std::uint64_t whole = magnitude / scale;
    std::uint64_t frac = magnitude % scale;
    if (frac != 0) {
      int width = digits;
      while (frac % 10 == 0) {
        frac /= 10;
        --width;
      }
      for (int k = 0; k < width; ++k) {
        *--p = static_cast<char>('0' + frac % 10);
        frac /= 10;
      }
      *--p = '.';
    }
    do {
      *--p = static_cast<char>('0' + whole % 10);
      whole /= 10;
    } while (whole != 0);
    if (raw_ < 0) *--p = '-';
    return std::string(p, end);
  }

  /// Sum; nullopt on overflow.
  friend constexpr std::optional<decimal> add(decimal a, decimal b) noexcept {
    std::int64_t r = 0;
    if (__builtin_add_overflow(a.raw_, b.raw_, &r) || r == std::numeric_limits<std::int64_t>::min())
      return std::nullopt;
    return from_raw(r);
  }

  /// Difference; nullopt on overflow.
  friend constexpr std::optional<decimal> sub(decimal a, decimal b) noexcept {
    std::int64_t r = 0;
    if (__builtin_sub_overflow(a.raw_, b.raw_, &r) || r == std::numeric_limits<std::int64_t>::min())
      return std::nullopt;
    return from_raw(r);
  }

  /// Product, the exact value rounded half away from zero to six digits; nullopt on overflow.
  friend constexpr std::optional<decimal> mul(decimal a, decimal b) noexcept {
    detail::decimal_wide exact = static_cast<detail::decimal_wide>(a.raw_) * b.raw_;
    return from_wide(detail::div_round_half_away(exact, scale));
  }

  /// Quotient rounded half away from zero to six digits; nullopt when b is zero (the
  /// expression language turns that into null) or on overflow.
  friend constexpr std::optional<decimal> div(decimal a, decimal b) noexcept {
    if (b.raw_ == 0) return std::nullopt;
    detail::decimal_wide scaled = static_cast<detail::decimal_wide>(a.raw_) * scale;
    return from_wide(detail::div_round_half_away(scaled, b.raw_));
  }

  /// Remainder with the sign of a, like C++ %, and exact (both sides share one scale);
  /// nullopt when b is zero.
  friend constexpr std::optional<decimal> mod(decimal a, decimal b) noexcept {
    if (b.raw_ == 0) return std::nullopt;
    return from_raw(a.raw_ % b.raw_);
  }

  /// Negation; cannot overflow because raw is never INT64_MIN.
  constexpr decimal operator-() const noexcept { return from_raw(-raw_); }

  /// Rounds half away from zero to `places` fractional digits (clamped to 0..6); round(2) is
  /// SPEC's "rounded to 0.01". Within 0.5 unit of the representable limit, rounding up would
  /// overflow; the value is then truncated instead so the result stays representable.
  constexpr decimal round(int places) const noexcept {
    if (places >= digits) return *this;
    if (places < 0) places = 0;
    const std::int64_t unit = detail::pow10_table[digits - places];
    detail::decimal_wide rounded = detail::div_round_half_away(raw_, unit) * unit;
    if (rounded > std::numeric_limits<std::int64_t>::max() || rounded < -std::numeric_limits<std::int64_t>::max())
      return from_raw(raw_ / unit * unit);
    return from_raw(static_cast<std::int64_t>(rounded));
  }

  /// Integer part toward zero: SPEC's "a fraction truncated" for `times`.
  constexpr std::int64_t trunc() const noexcept { return raw_ / scale; }

  /// True when there is no fractional part (an `int` field accepts only these).
  constexpr bool is_integer() const noexcept { return raw_ % scale == 0; }

  /// Numeric order; one scale means raw order is value order.
  constexpr auto operator<=>(const decimal&) const noexcept = default;
  /// Numeric equality; there is exactly one raw per value, so raw equality is value equality.
  constexpr bool operator==(const decimal&) const noexcept = default;

 private:
  static constexpr std::optional<decimal> from_wide(detail::decimal_wide v) noexcept {
    constexpr std::int64_t max_raw = std::numeric_limits<std::int64_t>::max();
    if (v > max_raw || v < -max_raw) return std::nullopt;
    return from_raw(static_cast<std::int64_t>(v));
  }

  std::int64_t raw_ = 0;
};

// Redeclared at namespace scope so qualified calls (decorum::add(a, b)) work, not only ADL.
/// See decimal: checked sum.
constexpr std::optional<decimal> add(decimal a, decimal b) noexcept;
/// See decimal: checked difference.
constexpr std::optional<decimal> sub(decimal a, decimal b) noexcept;
/// See decimal: checked product, rounded half away from zero.
constexpr std::optional<decimal> mul(decimal a, decimal b) noexcept;
/// See decimal: checked quotient, rounded half away from zero; nullopt when b is zero.
constexpr std::optional<decimal> div(decimal a, decimal b) noexcept;
/// See decimal: exact remainder with the sign of a; nullopt when b is zero.
constexpr std::optional<decimal> mod(decimal a, decimal b) noexcept;

}  // namespace decorum
