// decorum/compile/interpret.hpp — entry point: `interpreter`. The plain interpreter over a checked
// program (compile.hpp's `program`): constant folding runs it while a rule set is compiled,
// and the tests hold the evaluator's lowered programs against it. Scoring never uses it.
#pragma once

#include "decorum/compile/compile.hpp"
#include "decorum/check/record.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace decorum {

/// The first arithmetic operation whose result fell outside the decimal range. SPEC §2 gives
/// such a result no value, so it evaluates to null like a division by zero; callers that must
/// not lose a finding silently (the scorer, constant folding) ask for it and report it.
struct overflow_note {
  bool hit = false;    ///< an operation overflowed
  char op = 0;         ///< '+', '-', '*', '/' or '%'
  std::int64_t a = 0;  ///< left operand, raw decimal units
  std::int64_t b = 0;  ///< right operand, raw decimal units
  /// Records an overflow of `a op b` unless one is already recorded (the first is reported).
  void note(char what, std::int64_t x, std::int64_t y) noexcept {
    if (!hit) *this = {true, what, x, y};
  }
};

/// The message for rule `rule`'s `what` (when, times, points, fine …) whose `expression`
/// overflowed the decimal range, as constant folding and the scorer both word it:
/// "rule 'r': points overflows: 9300000000.5 * 1000 is beyond ±9223372036854.775807".
std::string overflow_message(std::string_view rule, std::string_view what, std::string_view expression);

/// The overflowing operation of `o` as written in messages: "9300000000.5 * 1000".
std::string overflow_expression(const overflow_note& o);

/// Runs checked programs against a record, with SPEC §2's three-valued logic. Phrase scans
/// are folded and run per call, uncached. Not shareable between threads.
class interpreter {
 public:
  /// The rule set whose phrase sets programs name (it may still be under construction).
  explicit interpreter(const rule_set& rules);
  /// Evaluates `p` against `r`; an empty program yields null. Texts in the result may view
  /// `r` or this interpreter's buffers until the next call.
  value run(const program& p, const record& r);
  /// What overflowed since the last clear_overflow() (hit false when nothing did).
  const overflow_note& last_overflow() const noexcept { return overflow_; }
  /// Forgets any overflow seen so far.
  void clear_overflow() noexcept { overflow_.hit = false; }

 private:
  const rule_set& rules_;
  const record* rec_ = nullptr;
  std::vector<value> vals_;
  std::string scratch_;
  overflow_note overflow_;
  value node(const program& p, const program_node& n);
  detail::phrase_scan scan_child(const program& p, const program_node& n);
};

}  // namespace decorum
