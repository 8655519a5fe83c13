// src/tally/arith.hpp — internal: the arithmetic and hashing every scorer TU shares —
// saturating decimal sums, progressive prices, byte hashes for employee and id tables — and
// the per-window aggregate accumulator (`agg_acc`). Split from tally_impl.hpp, which keeps
// the scorer's state.
#pragma once

#include "decorum/base/decimal.hpp"
#include "decorum/base/value.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace decorum::detail {

// Point sums saturate at the largest decimal instead of failing: a cap must still bound a
// rule whose `times` is absurd, and a saturated total is visibly wrong rather than silently 0.
inline constexpr decimal max_decimal = decimal::from_raw(std::numeric_limits<std::int64_t>::max());

inline decimal sat_add(decimal a, decimal b) {
  if (auto r = add(a, b)) return *r;
  return b < decimal() ? -max_decimal : max_decimal;
}

inline decimal sat_mul(decimal a, decimal b) {
  if (auto r = mul(a, b)) return *r;
  return (a < decimal()) != (b < decimal()) ? -max_decimal : max_decimal;
}

/// Sum of the first n progressive prices: list[min(i, len) - 1] for i = 1..n.
inline decimal progressive_total(const std::vector<decimal>& list, std::uint64_t n) {
  decimal total;
  std::uint64_t head = std::min<std::uint64_t>(n, list.size());
  for (std::uint64_t i = 0; i < head; ++i) total = sat_add(total, list[i]);
  if (n > list.size()) {
    auto extra = decimal::from_int(static_cast<std::int64_t>(std::min<std::uint64_t>(n - list.size(), INT64_MAX / decimal::scale)));
    total = sat_add(total, sat_mul(list.back(), extra.value_or(max_decimal)));
  }
  return total;
}

inline std::uint64_t load8(const char* p) noexcept {
  std::uint64_t x;
  std::memcpy(&x, p, 8);
  return x;
}

inline std::uint64_t load4(const char* p) noexcept {
  std::uint32_t x;
  std::memcpy(&x, p, 4);
  return x;
}

// The bytes of a text of at most 8 bytes as one word, without reading past it: two
// overlapping loads, or three single bytes. Together with the length it determines the text,
// so two texts of one length <= 8 are equal exactly when their words are.
inline std::uint64_t short_word(const char* p, std::size_t n) noexcept {
  if (n >= 4) return load4(p) | (load4(p + n - 4) << 32);
  if (n == 0) return 0;
  return static_cast<unsigned char>(p[0]) | (std::uint64_t{static_cast<unsigned char>(p[n / 2])} << 8) |
         (std::uint64_t{static_cast<unsigned char>(p[n - 1])} << 16);
}

inline std::uint64_t mix64(std::uint64_t h) noexcept {
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  return h ^ (h >> 31);
}

// A 64-bit hash of a text, eight bytes per step (ids and employee codes are short, and a
// byte-at-a-time loop was most of their cost). For texts of up to 8 bytes it is injective:
// the length and short_word() determine the text, and every later step is a bijection.
inline std::uint64_t hash_bytes(std::string_view s) noexcept {
  const char* p = s.data();
  std::size_t n = s.size();
  std::uint64_t h = 0x9e3779b97f4a7c15ULL ^ (n * 0xff51afd7ed558ccdULL);
  for (; n > 8; p += 8, n -= 8) {
    h = (h ^ load8(p)) * 0x100000001b3ULL;
    h ^= h >> 32;
  }
  return mix64(h ^ short_word(p, n));
}

/// One aggregate's running state over the records that count in one window (SPEC §8.1).
/// A value as the audit trail shows it: 12.5, 300s, 09:05, "text", a time, null.
std::string value_text(const value& v);

/// 24 bytes, one per window and aggregate: what `a` and `b` hold depends on the function.
struct agg_acc {
  std::uint64_t n = 0;  // count_if/share: records with the condition true; else non-null values
  std::int64_t a = 0;   // sum/avg: the sum's raw decimal; min/max: the least value (value::num)
  std::int64_t b = 0;   // sum/avg: 1 when the sum left the decimal range; min/max: the greatest
};

}  // namespace decorum::detail
