// decorum/base/result.hpp — entry points: `rejection`, `result`. The one run-time error
// channel of every stage after loading, as `diagnostic` is the one of load time:
// - a record that cannot be scored is a `rejection` value (where and why), counted and
//   listed, never an exception — from the log readers, the record builder and the scorer;
// - an input that cannot be read at all, and every other fallible API call (a partial result
//   that does not parse, a CSV header, a state from another rulebook), gives a `result<T>`:
//   the value, or a `diagnostic` naming the file, line and column where one applies.
// Modelled on simdjson's `simdjson_result<T>`: errors are values on the hot path; only
// `value()` on an error throws, for callers that prefer exceptions.
#pragma once

#include "decorum/base/diagnostic.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace decorum {

/// One rejected record (SPEC §3): which input, where it starts, and why. Readers, the record
/// builder and the scorer all produce this one type, and reports list it.
struct rejection {
  std::uint32_t source = 0;  ///< index of the input in the scorer's (or report's) `sources`
  std::uint64_t line = 0;    ///< 1-based physical line (or row) where the record starts
  std::string reason;        ///< short, lower case, naming the field ("rings: expected int, got 2.5")
  /// Field-wise equality.
  friend bool operator==(const rejection&, const rejection&) = default;
};

/// A diagnostic about no particular file position (an API misuse, a mismatch of two states).
inline diagnostic make_error(std::string message, std::string file = {}) {
  diagnostic d;
  d.file = std::move(file);
  d.message = std::move(message);
  return d;
}

/// Thrown by result::value() on an error; what() is the formatted diagnostic or reason.
class bad_result_access : public std::runtime_error {
 public:
  /// Carries the message of the error that was accessed as a value.
  explicit bad_result_access(const std::string& what) : std::runtime_error(what) {}
};

namespace detail {
inline std::string error_text(const diagnostic& d) { return format_diagnostic(d, false); }
inline std::string error_text(const rejection& r) { return r.reason; }
inline std::string error_text(const std::vector<diagnostic>& ds) {
  std::string out;
  for (const auto& d : ds) out += (out.empty() ? "" : "\n") + format_diagnostic(d, false);
  return out;
}
struct empty_value {};
}  // namespace detail

/// A value of type T, or an error of type E (a `diagnostic`, or a `rejection` for calls that
/// judge one record). `result<void>` carries only the error. Test it with `if (r)` or `ok()`;
/// take the value with `*r` / `r->` (unchecked) or `value()` (throws bad_result_access).
template <typename T, typename E = diagnostic>
class [[nodiscard]] result {
  using stored = std::conditional_t<std::is_void_v<T>, detail::empty_value, T>;

 public:
  /// Success (for result<void>) or a default-constructed value.
  result() requires(std::is_void_v<T> || std::is_default_constructible_v<T>) : v_(std::in_place_index<0>) {}
  /// Success with a value.
  template <typename U = stored>
    requires(!std::is_void_v<T> && std::is_constructible_v<stored, U &&> &&
             !std::is_same_v<std::remove_cvref_t<U>, result> && !std::is_same_v<std::remove_cvref_t<U>, E>)
  result(U&& value) : v_(std::in_place_index<0>, std::forward<U>(value)) {}  // NOLINT: implicit like expected
  /// Failure.
  result(E error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit like unexpected

  /// True on success.
  bool ok() const noexcept { return v_.index() == 0; }
  /// True on success.
  explicit operator bool() const noexcept { return ok(); }

  /// The error; only on failure.
  const E& error() const& { return std::get<1>(v_); }
  /// The error, moved out; only on failure.
  E&& error() && { return std::get<1>(std::move(v_)); }

  /// The value, or bad_result_access with the error's message.
  template <typename U = T>
    requires(!std::is_void_v<U>)
  U& value() & {
    if (!ok()) throw bad_result_access(detail::error_text(error()));
    return std::get<0>(v_);
  }
  /// The value, or bad_result_access with the error's message.
  template <typename U = T>
    requires(!std::is_void_v<U>)
  const U& value() const& {
    if (!ok()) throw bad_result_access(detail::error_text(error()));
    return std::get<0>(v_);
  }
  /// The value moved out, or bad_result_access with the error's message.
  template <typename U = T>
    requires(!std::is_void_v<U>)
  U&& value() && {
    if (!ok()) throw bad_result_access(detail::error_text(error()));
    return std::get<0>(std::move(v_));
  }
  /// On failure, throws bad_result_access (result<void>'s value()).
  void check() const {
    if (!ok()) throw bad_result_access(detail::error_text(error()));
  }

  /// The value; only on success.
  template <typename U = T>
    requires(!std::is_void_v<U>)
  U& operator*() & { return std::get<0>(v_); }
  /// The value; only on success.
  template <typename U = T>
    requires(!std::is_void_v<U>)
  const U& operator*() const& { return std::get<0>(v_); }
  /// The value moved out; only on success.
  template <typename U = T>
    requires(!std::is_void_v<U>)
  U&& operator*() && { return std::get<0>(std::move(v_)); }
  /// Member access to the value; only on success.
  template <typename U = T>
    requires(!std::is_void_v<U>)
  U* operator->() { return &std::get<0>(v_); }
  /// Member access to the value; only on success.
  template <typename U = T>
    requires(!std::is_void_v<U>)
  const U* operator->() const { return &std::get<0>(v_); }

 private:
  std::variant<stored, E> v_;
};

}  // namespace decorum
