// decorum/check/check.hpp — entry point: `check`. Parses every expression of a loaded rulebook
// with the X3 grammar and type-checks it against the record schema (SPEC §2): unknown
// fields and phrase sets, enum values not in the enum, text compared with numbers, wrong
// argument counts. The result is a typed, flat program per expression with every field
// resolved to its slot, ready for compile.hpp to fold and freeze.
#pragma once

#include "decorum/base/diagnostic.hpp"
#include "decorum/rulebook/load.hpp"
#include "decorum/check/schema.hpp"
#include "decorum/base/value.hpp"

#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace decorum {

/// Operations of a checked expression.
enum class opcode : std::uint8_t {
  constant, field,
  and_, or_, not_, neg, add, sub, mul, div, mod,
  eq, ne, lt, le, gt, ge, in_list, not_in_list,
  phrase_contains, phrase_starts, phrase_ends, phrase_count, phrase_in, phrase_not_in,
  len, has, clock_of, between, weekday, hour, abs, min, max, if_
};

/// One node of a flat expression program. Children are `program::children[args .. args+argc)`.
struct program_node {
  opcode op = opcode::constant;             ///< what to do
  value_type type = value_type::null_;      ///< result type
  std::uint32_t argc = 0;                   ///< number of children
  std::uint32_t args = 0;                   ///< first child's index in `children`
  value constant;                           ///< for constant
  std::uint32_t slot = 0;                   ///< for field and has
  std::int32_t phrase = -1;                 ///< phrase set index for phrase_* ops
  std::uint32_t offset = 0;                 ///< byte offset in the expression text (diagnostics, findings)
  /// Short-circuit link set by compile: what to do after this node is evaluated.
  enum class jump : std::uint8_t {
    none,
    and_left,   ///< left operand of `and`: if false, the `and` at `target` is false, skip to it
    or_left,    ///< left operand of `or`: if true, the `or` at `target` is true, skip to it
    if_cond,    ///< condition of `if`: unless true, continue at `target` (the else branch)
    to_parent   ///< end of an `if`'s then branch: continue at `target` (the `if` itself)
  } jump_kind = jump::none;
  std::uint32_t jump_target = 0;            ///< see jump_kind
};

/// A typed expression in post-order: every node's children come before it, so the root is last.
struct program {
  std::vector<program_node> nodes;            ///< post-order
  std::vector<std::uint32_t> children;        ///< child node indices
  std::shared_ptr<std::deque<std::string>> strings = std::make_shared<std::deque<std::string>>();  ///< text constants
  std::string source;                         ///< the expression as written
  /// True when the program has no nodes (an absent expression).
  bool empty() const noexcept { return nodes.empty(); }
  /// The root node's index.
  std::uint32_t root() const noexcept { return static_cast<std::uint32_t>(nodes.size() - 1); }
};

/// A rule after checking: its model plus typed programs.
/// An aggregate of a window rule (SPEC §8.1) over the records that count.
enum class aggregate_fn : std::uint8_t { count, count_if, share, sum, avg, min, max };

/// One aggregate call of a window rule: its function, its argument (a per-record program
/// over the `on` kind; empty for `count()`), and its result's type. In the rule's own
/// programs the aggregate reads as field slot i of a window record (slot = its index).
struct checked_aggregate {
  aggregate_fn fn = aggregate_fn::count;
  program arg;                            ///< over the `on` kind; empty for count()
  value_type type = value_type::number;   ///< the result's type
  std::string text;                       ///< the call as written ("share(rings <= 3)"), for findings
};

struct checked_rule {
  const rulebook::rule_decl* decl = nullptr;  ///< the rule as written (owned by checked_rulebook::model)
  std::int32_t kind = -1;                     ///< record kind index
  /// When, times, amounts: empty when absent or a constant/progressive list. In a window
  /// rule they read the aggregates (slot i = aggregates[i]) instead of record fields.
  program when, times, value, fine;
  // Window rule (SPEC §8.1).
  program where;                              ///< which `on` records count; empty: all
  std::vector<checked_aggregate> aggregates;  ///< in order of appearance
  std::vector<std::int32_t> active;           ///< kinds that make a window active; empty: any
  // Deadline rule (SPEC §8.2).
  std::int32_t until_kind = -1;               ///< the discharging kind
  std::uint32_t match_slot = 0;               ///< `match` in the `on` kind
  std::uint32_t until_match_slot = 0;         ///< `match` in the `until` kind
  program within;                             ///< a duration over the opening record
};

/// A rulebook whose expressions all parsed and type-checked (when `diagnostics` has no
/// error). Named phrase sets come first in `phrase_sets`; string patterns of
/// `contains(text, "…")` follow as one-phrase sets.
struct checked_rulebook {
  rulebook::rulebook_model model;                     ///< as loaded
  record_schema schema;                               ///< kinds and slots
  std::vector<checked_rule> rules;                    ///< in rulebook order
  std::vector<std::vector<std::string>> phrase_sets;  ///< phrases as written
  std::vector<std::string> phrase_set_names;          ///< "greeting", or "\"…\"" for literals
};

/// Checks a loaded model. Diagnostics are appended; the result is complete only when no
/// error was added.
std::unique_ptr<checked_rulebook> check(rulebook::rulebook_model model, std::vector<diagnostic>& diags);

}  // namespace decorum
