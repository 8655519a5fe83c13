// decorum/compile/compile.hpp — entry points: `rule_set`, `compile_rulebook`. Turns a checked
// rulebook into an immutable, flat rule set: constants folded, rules indexed by record
// kind, every phrase set compiled into one automaton. Built once, then shared read-only by
// any number of scorers on any number of threads (like RE2::Set).
#pragma once

#include "decorum/check/check.hpp"
#include "decorum/compile/lowered.hpp"
#include "decorum/compile/phrase_set.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace decorum {

/// A rule ready to evaluate.
struct compiled_rule {
  std::string id;                                 ///< unique id
  std::string title, description, category, ref;  ///< metadata as written
  std::string flag;                               ///< label carried to tallies ("" for none)
  std::optional<rulebook::rule_severity> severity;
  std::int32_t kind = -1;                         ///< record kind index
  std::vector<std::string> roles;                 ///< sorted; empty means every role
  std::vector<std::uint64_t> role_bits;           ///< the same as a bit set of rule_set::role_id()s
  rulebook::amount_kind amount = rulebook::amount_kind::none;  ///< deduct, bonus, points or none
  program when, times, value, fine;               ///< folded; empty means default/constant
  /// The same four programs lowered to typed trees: what the scorer runs.
  detail::lowered when_code, times_code, value_code, fine_code;
  /// A quick test before `when` runs: when `when` can only hold if the enum field at
  /// `guard_slot` has one of the values in `guard_bits` (bit i: the enum's value i), a record
  /// from a reader whose value is absent or another one is skipped without evaluating.
  /// `no_guard` when `when` has no such leading condition.
  std::uint32_t guard_slot = no_guard;
  std::uint64_t guard_bits = 0;   ///< see guard_slot
  static constexpr std::uint32_t no_guard = 0xFFFF'FFFFu;  ///< see guard_slot
  std::optional<decimal> value_constant;          ///< constant deduct/bonus/points
  std::optional<decimal> fine_constant;           ///< constant fine
  std::vector<decimal> progressive;               ///< progressive deduct/bonus prices
  std::vector<decimal> fine_progressive;          ///< progressive fines
  std::optional<decimal> cap;                     ///< net points bound per employee and period
  bool enabled = true;                            ///< disabled rules never fire
  std::uint32_t index = 0;                        ///< position in the rulebook
  source_pos pos;                                 ///< where the rule is written
  // Versions (SPEC §9): rules sharing an id are one rule in reports.
  rulebook::effective_range effective;            ///< the dates it applies on
  std::uint32_t identity = 0;                     ///< index of its id's first rule (itself when unversioned)
  std::uint32_t rank = 0;                         ///< its place among its id's versions, in effective order
  /// The name of this version in partial results: the id for the first rule of an id, else
  /// "id@N" for its N-th rule in file order ('@' cannot occur in an id).
  std::string key;
  /// The points formula as a human reads it, for `decorum rules` ("-10", "-[10, 20, 50]", "(25 - x) * 1000").
  std::string describe_points() const;

  // Rules across records (SPEC §8).
  /// One aggregate of a window rule: its argument runs on each record that counts.
  struct aggregate {
    aggregate_fn fn = aggregate_fn::count;  ///< count, count_if, share, sum, avg, min, max
    value_type type = value_type::number;   ///< the result's type
    std::string text;                       ///< the call as written, for findings
    program arg;                            ///< over the `on` kind; empty for count()
    detail::lowered arg_code;               ///< `arg` lowered
  };
  bool window = false;                      ///< a window rule: when/times/amounts read `aggregates`
  std::optional<period_kind> per;           ///< the window; nullopt with `window` = the scoring period
  program where;                            ///< which `on` records count (empty: all)
  detail::lowered where_code;               ///< `where` lowered
  std::vector<aggregate> aggregates;        ///< slot i of a window record = aggregates[i]
  std::vector<std::int32_t> active;         ///< kinds that make a window active (empty: any)
  bool deadline = false;                    ///< a deadline rule: fires on late or missing discharge
  std::int32_t until_kind = -1;             ///< the discharging kind
  std::uint32_t match_slot = 0;             ///< `match` in the `on` kind
  std::uint32_t until_match_slot = 0;       ///< `match` in the `until` kind
  program within;                           ///< a duration over the opening record
  detail::lowered within_code;              ///< `within` lowered
};

/// What the scorer reads of a rule for every record of its kind, packed: the rules of a
/// kind then sit in a few cache lines instead of one large compiled_rule each, and only a
/// rule whose condition holds is looked up in full.
struct rule_plan {
  std::uint32_t rule = 0;                              ///< index into rule_set::rules()
  std::uint32_t guard_slot = compiled_rule::no_guard;  ///< compiled_rule::guard_slot
  std::uint64_t guard_bits = 0;                        ///< compiled_rule::guard_bits
  const std::uint64_t* role_bits = nullptr;            ///< compiled_rule::role_bits; null: every role
  const detail::lowered* when = nullptr;               ///< compiled_rule::when_code; null: always true
  std::int64_t from_day = INT64_MIN;                   ///< compiled_rule::effective as day numbers: from…
  std::int64_t until_day = INT64_MAX;                  ///< …inclusive, until exclusive
};

/// An immutable compiled rulebook.
class rule_set {
 public:
  rule_set(const rule_set&) = delete;             ///< plans point into the rule set itself
  rule_set& operator=(const rule_set&) = delete;  ///< see the copy constructor
  /// The rulebook's name (`name:`).
  const std::string& name() const noexcept { return model_.name; }
  /// The rulebook's title.
  const std::string& title() const noexcept { return model_.title; }
  /// The file it was loaded from, as named by the user.
  const std::string& file() const noexcept { return model_.source->name(); }
  /// Scoring settings (base, period, clamps, grades, currency).
  const rulebook::scoring_decl& scoring() const noexcept { return model_.scoring; }
  /// Record kinds and their slots.
  const record_schema& schema() const noexcept { return schema_; }
  /// The rulebook's top-level `version:` (SPEC §9), if any.
  const std::optional<std::string>& version() const noexcept { return model_.edition; }
  /// SHA-256 of the rulebook's text (the file's bytes), 64 hex digits (SPEC §9).
  const std::string& sha256() const noexcept { return sha256_; }
  /// All rules in rulebook order (disabled ones included); versions of an id (SPEC §9) are
  /// separate entries.
  const std::vector<compiled_rule>& rules() const noexcept { return rules_; }
  /// How many distinct rule ids there are (versions of one id count once).
  std::size_t distinct_rules() const noexcept { return distinct_; }
  /// True when some id has more than one version.
  bool has_versions() const noexcept { return distinct_ != rules_.size(); }
  /// The versions of the rule whose identity (compiled_rule::identity) is `identity`, as
  /// indices into rules(), in effective order (earliest range first).
  const std::vector<std::uint32_t>& versions(std::uint32_t identity) const noexcept { return versions_[identity]; }
  /// Indices of the enabled rules for a record kind, in rulebook order.
  std::span<const std::uint32_t> rules_for_kind(std::int32_t kind) const noexcept;
  /// Indices of the enabled window rules (SPEC §8.1), which no kind's plan holds: they are
  /// judged per employee and window, not per record.
  const std::vector<std::uint32_t>& window_rules() const noexcept { return window_rules_; }
  /// Indices of the enabled deadline rules (SPEC §8.2); their openings are in the plans.
  const std::vector<std::uint32_t>& deadline_rules() const noexcept { return deadline_rules_; }
  /// The same rules as packed plans (see rule_plan).
  std::span<const rule_plan> plans_for_kind(std::int32_t kind) const noexcept {
    if (kind < 0 || static_cast<std::size_t>(kind) >= plans_.size()) return {};
    return plans_[static_cast<std::size_t>(kind)];
  }
  /// The automaton of phrase set `i` (named sets first, then string patterns).
  const detail::phrase_set& phrases(std::int32_t i) const noexcept { return phrase_sets_[static_cast<std::size_t>(i)]; }
  /// The name of phrase set `i`.
  const std::string& phrase_set_name(std::int32_t i) const noexcept { return phrase_names_[static_cast<std::size_t>(i)]; }
  /// How many phrase sets (named and literal).
  std::size_t phrase_set_count() const noexcept { return phrase_sets_.size(); }
  /// The matcher that scans a field of a kind for every phrase set its rules ask about, in
  /// one pass, or -1 when fewer than two sets are asked about that field.
  std::int32_t combined_for(std::int32_t kind, std::uint32_t slot) const noexcept {
    if (kind < 0 || static_cast<std::size_t>(kind) >= combined_at_.size()) return -1;
    const auto& slots = combined_at_[static_cast<std::size_t>(kind)];
    return slot < slots.size() ? slots[slot] : -1;
  }
  /// How many combined matchers there are (see combined_for).
  std::size_t combined_count() const noexcept { return combined_.size(); }
  /// Combined matcher `c` (see combined_for).
  const detail::phrase_set& combined(std::int32_t c) const noexcept { return combined_[static_cast<std::size_t>(c)]; }
  /// The phrase sets combined matcher `c` answers for, in its scan_each() order.
  const std::vector<std::int32_t>& combined_sets(std::int32_t c) const noexcept {
    return combined_sets_[static_cast<std::size_t>(c)];
  }
  /// The index of a role some rule lists, or -1: a record's role is looked up once, and each
  /// rule's `roles` becomes a bit test (compiled_rule::role_bits).
  std::int32_t role_id(std::string_view role) const noexcept {
    for (std::size_t i = 0; i < role_names_.size(); ++i)
      if (role_names_[i] == role) return static_cast<std::int32_t>(i);
    return -1;
  }
  /// True when some enabled rule of `kind` lists roles (so the record's role must be looked up).
  bool kind_uses_roles(std::int32_t kind) const noexcept {
    return kind >= 0 && static_cast<std::size_t>(kind) < kind_roles_.size() && kind_roles_[static_cast<std::size_t>(kind)];
  }
  /// The largest program, for sizing evaluation scratch space.
  std::size_t max_program_size() const noexcept { return max_program_; }
  /// The rulebook as loaded (tests, positions).
  const rulebook::rulebook_model& model() const noexcept { return model_; }

  /// Compiles a checked rulebook; appends warnings (a rule that can never fire); returns
  /// null when `diags` already holds errors.
  static std::shared_ptr<const rule_set> compile(std::unique_ptr<checked_rulebook> checked, std::vector<diagnostic>& diags);

 private:
  rulebook::rulebook_model model_;
  std::string sha256_;
  std::size_t distinct_ = 0;
  std::vector<std::vector<std::uint32_t>> versions_;  // by rule index; filled for identities
  record_schema schema_;
  std::vector<compiled_rule> rules_;
  std::vector<std::vector<std::uint32_t>> by_kind_;
  std::vector<std::vector<rule_plan>> plans_;
  std::vector<std::uint32_t> window_rules_, deadline_rules_;
  rule_set() = default;
  std::vector<std::string> role_names_;
  std::vector<bool> kind_roles_;
  std::vector<detail::phrase_set> phrase_sets_;
  std::vector<std::string> phrase_names_;
  std::size_t max_program_ = 1;
  std::vector<detail::phrase_set> combined_;
  std::vector<std::vector<std::int32_t>> combined_sets_;
  std::vector<std::vector<std::int32_t>> combined_at_;  // [kind][slot] -> combined index or -1
};

/// Loads, checks and compiles a rulebook from text: all three stages, all diagnostics.
/// Returns null when any error was reported.
std::shared_ptr<const rule_set> compile_rulebook(std::string name, std::string text, std::vector<diagnostic>& diags);

/// The same from a file (an unreadable file is a diagnostic).
std::shared_ptr<const rule_set> compile_rulebook_file(const std::string& path, std::vector<diagnostic>& diags);

/// The built-in rulebook (rules/property-customer-service.yaml, embedded at build time).
std::shared_ptr<const rule_set> builtin_rule_set(std::vector<diagnostic>& diags);

namespace detail {
/// The embedded text of the built-in rulebook and its name.
std::string_view builtin_rulebook_text();
/// See builtin_rulebook_text.
std::string_view builtin_rulebook_name();
}  // namespace detail

}  // namespace decorum
