// decorum/base/value.hpp — entry points: `value_type`, `value`. The runtime values expressions
// and records carry: one small trivially-copyable struct, so evaluating a rule never
// allocates. Text points into storage owned by the record being scored.
#pragma once

#include "decorum/base/chrono.hpp"
#include "decorum/base/decimal.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace decorum {

/// The types of the expression language. `int` fields are numbers whose log values must be
/// integral; enum fields are text whose values must be in the enum.
enum class value_type : std::uint8_t { null_, boolean, number, text, time, duration, clock, list, phrase_set };

/// The name of a type in messages ("number", "text", …).
constexpr std::string_view to_string(value_type t) noexcept {
  switch (t) {
    case value_type::null_: return "null";
    case value_type::boolean: return "bool";
    case value_type::number: return "number";
    case value_type::text: return "text";
    case value_type::time: return "time";
    case value_type::duration: return "duration";
    case value_type::clock: return "clock";
    case value_type::list: return "list";
    case value_type::phrase_set: return "phrase set";
  }
  return "?";
}

/// A value. `num` holds a decimal's raw units for numbers and durations (seconds), the
/// written wall-clock seconds for times, and seconds since midnight for clocks. For text,
/// `num` is 0, or, for a value a log reader checked against an enum field, the value's
/// position in the enum plus one: the evaluator then compares enum values as integers, and
/// falls back to comparing text when it is 0 (a record built by hand).
struct value {
  value_type type = value_type::null_;  ///< null when the field is absent
  bool boolean = false;                 ///< for bool
  std::int64_t num = 0;                 ///< see above
  std::string_view text;                ///< for text; not owned

  /// True unless null.
  constexpr bool present() const noexcept { return type != value_type::null_; }
  /// The number or duration as a decimal.
  constexpr decimal as_decimal() const noexcept { return decimal::from_raw(num); }

  /// Constructors for each type.
  static constexpr value null() noexcept { return {}; }
  /// A bool value.
  static constexpr value of_bool(bool b) noexcept { return {value_type::boolean, b, 0, {}}; }
  /// A number value.
  static constexpr value of_number(decimal d) noexcept { return {value_type::number, false, d.raw(), {}}; }
  /// A duration value (seconds as a decimal).
  static constexpr value of_duration(decimal seconds) noexcept { return {value_type::duration, false, seconds.raw(), {}}; }
  /// A time value (written wall-clock seconds).
  static constexpr value of_time(std::int64_t local_seconds) noexcept { return {value_type::time, false, local_seconds, {}}; }
  /// A clock value (seconds since midnight).
  static constexpr value of_clock(std::int64_t seconds) noexcept { return {value_type::clock, false, seconds, {}}; }
  /// A text value; the caller keeps the bytes alive.
  static constexpr value of_text(std::string_view s) noexcept { return {value_type::text, false, 0, s}; }
  /// An enum value: its text and its 0-based position in the field's enum list.
  static constexpr value of_enum(std::string_view s, std::size_t ordinal) noexcept {
    return {value_type::text, false, static_cast<std::int64_t>(ordinal) + 1, s};
  }
};

}  // namespace decorum
