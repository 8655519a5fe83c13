// decorum/tally/appeals.hpp — entry point: `appeal_set`. Appeals (SPEC §10) resolved against a
// rule set, frozen and shared by every scorer of a run like the rule set itself: which
// findings they name (a rule's identity and a record id, or an employee's window), and why an
// appeal can match nothing whatever the logs hold (an unknown rule id, with the nearest one).
#pragma once

#include "decorum/base/result.hpp"
#include "decorum/compile/compile.hpp"
#include "decorum/read/appeals.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace decorum {

/// A run's appeals, checked and indexed for the scorer. Immutable once made.
class appeal_set {
 public:
  /// No appeal in it.
  static constexpr std::uint32_t none = UINT32_MAX;

  /// Resolves appeals against a rule set. Two appeals for the same finding (the same rule id
  /// and record, or rule id, employee and window) are errors at the second, naming the
  /// first's file and line: a finding is decided once.
  static result<std::shared_ptr<const appeal_set>, std::vector<diagnostic>> make(const rule_set& rules,
                                                                                 std::vector<appeal> appeals);

  /// Every appeal, in the order given (files in the order named, then line).
  const std::vector<appeal>& appeals() const noexcept { return appeals_; }
  /// How many appeals there are.
  std::size_t size() const noexcept { return appeals_.size(); }

  /// The appeals naming a finding on the record with this id: (rule identity, appeal), or
  /// null when there are none. Appeals of unknown rules are in no list.
  const std::vector<std::pair<std::uint32_t, std::uint32_t>>* on_record(std::string_view id) const;
  /// The appeal naming the window finding of a rule identity for an employee in a window
  /// ("2026-11-03", "2026-W45", "2026-11", "2026-Q4", "2026", "all"), or `none`.
  std::uint32_t on_window(std::uint32_t identity, std::string_view employee, std::string_view window) const;
  /// True when some appeal names a window finding (the scorer then names windows it judges).
  bool has_window_appeals() const noexcept { return !windows_.empty(); }
  /// Why appeal `i` can match nothing whatever is scored (an unknown rule id with the
  /// nearest one, a window rule named by record or the reverse); empty when it may match.
  const std::string& static_reason(std::uint32_t i) const { return reasons_.at(i); }
  /// The rule identity appeal `i` names, or `none` for an unknown rule id.
  std::uint32_t identity(std::uint32_t i) const { return identities_.at(i); }

 private:
  appeal_set() = default;
  std::vector<appeal> appeals_;
  std::vector<std::string> reasons_;
  std::vector<std::uint32_t> identities_;
  /// Looks texts up without building a std::string per scored record.
  struct text_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::vector<std::pair<std::uint32_t, std::uint32_t>>, text_hash, std::equal_to<>> records_;
  /// One bit per hash of a record id that some appeal names: most scored records are named by
  /// none, and a bit test rejects them before the table is touched.
  std::vector<std::uint64_t> record_bits_;
  std::unordered_map<std::string, std::uint32_t> windows_;
};

}  // namespace decorum
