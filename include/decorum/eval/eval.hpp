// decorum/eval/eval.hpp — entry point: `evaluator`. Evaluates compiled programs against one
// record with SPEC §2's three-valued logic. Each text field is folded once per record and
// run through each phrase automaton at most once per record, however many rules ask.
#pragma once

#include "decorum/compile/compile.hpp"
#include "decorum/compile/lowered.hpp"
#include "decorum/compile/interpret.hpp"
#include "decorum/check/record.hpp"

#include <string>
#include <vector>

namespace decorum {

/// Per-thread evaluation state: scratch values and the per-record caches. Not shareable
/// between threads; cheap to create one per scorer.
class evaluator {
 public:
  /// Sizes the scratch space for a rule set (which must outlive the evaluator).
  explicit evaluator(const rule_set& rules);
  /// Starts a new record: invalidates the folded-text and phrase-scan caches in O(1).
  void begin(const record& r) noexcept;
  /// Evaluates a checked program against the current record with the plain interpreter
  /// (interpret.hpp); compiled rules carry lowered programs, which the overloads below run
  /// several times faster. An empty program yields null.
  value run(const program& p) { return plain_.run(p, *rec_); }
  /// Evaluates a lowered program (see compiled_rule); an empty one yields null.
  value run(const detail::lowered& p);
  /// A lowered condition: true only when it evaluates to true (not false, not null).
  bool holds(const detail::lowered& p) {
    // Inline: the scorer asks this of every applicable rule of every record.
    if (p.empty()) return false;
    lp_ = &p;
    return truth(p.root) == 1;
  }
  /// A lowered number as a decimal's raw units (seconds for a duration); false when null.
  bool number(const detail::lowered& p, std::int64_t& out);
  /// The phrase scan of a text slot against a set, computed at most once per record.
  const detail::phrase_scan& scan(std::uint32_t slot, std::int32_t set);
  /// The folded text of a slot (computed once per record).
  std::string_view folded(std::uint32_t slot);

  /// The first arithmetic operation of the lowered programs run since clear_overflow() whose
  /// result fell outside the decimal range; the scorer turns it into a rejection rather than
  /// let a finding vanish without a word.
  using overflow = overflow_note;
  /// What overflowed since the last clear_overflow() (hit false when nothing did).
  const overflow& last_overflow() const noexcept { return overflow_; }
  /// Forgets any overflow seen so far.
  void clear_overflow() noexcept { overflow_.hit = false; }

 private:
  const rule_set& rules_;
  const record* rec_ = nullptr;
  interpreter plain_;
  std::uint32_t generation_ = 1;
  std::vector<std::uint32_t> folded_gen_;
  std::vector<std::string> folded_;             // folding buffers, by slot
  std::vector<std::string_view> folded_view_;   // the folded text: the record's own or folded_[slot]
  std::vector<std::uint32_t> scan_gen_;
  std::vector<detail::phrase_scan> scans_;
  std::string scratch_;
  // Per combined matcher: the record generation its results are for, and where its sets'
  // results start in combined_out_, which scan_each() fills in place.
  std::vector<std::uint32_t> combined_gen_;
  std::vector<std::uint32_t> combined_at_;
  std::vector<detail::phrase_scan> combined_out_;
  std::uint32_t nsets_ = 0;
  overflow overflow_;
  // Scans text field `slot` with combined matcher c for the current record.
  [[gnu::noinline]] const detail::phrase_scan* combined_scan(std::uint32_t c, std::uint32_t slot);
  // The scan a b_phrase_field / n_phrase_count node reads (lowered.hpp says where it is).
  const detail::phrase_scan& field_scan(const detail::lnode& x);

  // A computed text (not a field): folded and scanned uncached.
  detail::phrase_scan scan_text(std::string_view text, std::int32_t set);
  // The lowered interpreter: one function per result category, recursing over the tree.
  // Truth values are 0 false, 1 true, 2 null.
  const detail::lowered* lp_ = nullptr;
  std::uint8_t truth(std::uint32_t i);
  [[gnu::noinline]] std::uint8_t truth_rare(const detail::lnode& x);
  bool num(std::uint32_t i, std::int64_t& out);
  bool txt(std::uint32_t i, std::string_view& out);
};

}  // namespace decorum
