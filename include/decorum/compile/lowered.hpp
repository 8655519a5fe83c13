// decorum/compile/lowered.hpp — entry point: `lower`. The form the evaluator runs: a checked,
// folded program rewritten as a tree of typed nodes. Every node knows at compile time whether
// it yields a truth value, a number or a text, so evaluation passes a byte or an integer
// instead of a tagged 32-byte `value`; the shapes rules are mostly made of (a field compared
// with a constant, an enum field equal to a name, a phrase test on a field, `clock(time)`
// between two constants) are single nodes. `and`/`or`/`if` only evaluate the operands they
// need, which the tree gives for free.
#pragma once
#include "decorum/check/check.hpp"
#include "decorum/check/schema.hpp"

#include <cstdint>
#include <string_view>
#include <vector>

namespace decorum::detail {

/// What a lowered node computes. `b_` nodes yield a truth value (true, false or null), `n_`
/// nodes an integer (a decimal's raw units, seconds, or a clock) or null, `t_` nodes a text.
enum class lop : std::uint8_t {
  // truth values
  b_const,             ///< k: 0 false, 1 true, 2 null
  b_field,             ///< bool field `slot`
  b_has,               ///< field `slot` is present
  b_and, b_or, b_not,  ///< three-valued logic over a (and b)
  b_if,                ///< if(a, b, c) with truth-valued branches
  b_cmp_nn,            ///< compare two numbers a, b with `cmp`
  b_cmp_field_const,   ///< compare numeric field `slot` with constant k using `cmp`
  b_cmp_n_const,       ///< compare number a with constant k using `cmp` (`count(…) >= 2`)
  b_eq_tt,             ///< text a == text b (`cmp` is eq or ne)
  b_eq_bb,             ///< truth a == truth b (`cmp` is eq or ne)
  b_enum_is,           ///< enum field `slot` equals the enum's value k-1 (text `text`); `cmp` eq or ne
  b_enum_in,           ///< enum field `slot` is one of the values in bit set k (texts list[a, a+b)); `negate`
  b_in_list,           ///< a is (or with `negate` is not) one of list[b, b+c) (any type `kind`)
  b_phrase_field,      ///< phrase test `test` of set `phrase` on text field `slot` (cached per record); see `b`, `c`
  b_phrase_expr,       ///< the same on a computed text a (uncached)
  b_between,           ///< between(a, b, c) on clocks
  b_clock_between,     ///< clock(time field `slot`) in [k, k2), wrapping when k > k2
  // numbers
  n_const,             ///< k (null when `null_const`)
  n_field,             ///< numeric field `slot`
  n_neg, n_abs,        ///< -a, abs(a)
  n_arith,             ///< a `arith` b on decimals
  n_time_shift,        ///< time a ± whole seconds of duration b (`arith` is add or sub); `swapped`: b is the time
  n_time_diff,         ///< time a − time b as a duration
  n_min, n_max,        ///< of a, b
  n_if,                ///< if(a, b, c) with numeric branches
  n_phrase_count,      ///< count() of set `phrase` in text field `slot`; see `b`, `c` of b_phrase_field
  n_phrase_count_expr, ///< count() on a computed text a
  n_len,               ///< characters of text a
  n_clock, n_weekday, n_hour,  ///< of time a
  // texts
  t_const,             ///< `text` (null when `null_const`)
  t_field,             ///< text field `slot`
  t_if,                ///< if(a, b, c) with text branches
};

/// The comparison of a `b_cmp_*` / `b_eq_*` node.
enum class lcmp : std::uint8_t { eq, ne, lt, le, gt, ge };

/// The operation of an `n_arith` / `n_time_shift` node.
enum class larith : std::uint8_t { add, sub, mul, div, mod };

/// The phrase fact a `b_phrase_*` node tests.
enum class ltest : std::uint8_t { contains, starts, ends, in, not_in };

/// The category of a node's result.
enum class lkind : std::uint8_t { truth, number, text };

/// One node. Children are indices into the same `lowered::nodes`.
struct lnode {
  lop op = lop::b_const;
  lcmp cmp = lcmp::eq;
  larith arith = larith::add;
  ltest test = ltest::contains;
  lkind kind = lkind::truth;         ///< for b_in_list: the category of the compared values
  bool negate = false;               ///< b_enum_in, b_in_list: `not in`
  bool swapped = false;              ///< n_time_shift: the time is b
  bool null_const = false;           ///< n_const, t_const: the constant is null
  std::uint32_t slot = 0;            ///< field slot
  std::int32_t phrase = -1;          ///< phrase set
  /// Children, or a range of `lowered::list`. A b_phrase_field / n_phrase_count node has no
  /// children; rule_set::compile sets its `b` to 1 + the combined matcher that scans field
  /// `slot` for every set the kind's rules ask about (0: none) and `c` to set `phrase`'s place
  /// in it, so the evaluator reaches the shared scan without a search. Kept in the node,
  /// rather than beside it, so the node stays one cache line.
  std::uint32_t a = 0, b = 0, c = 0;
  std::int64_t k = 0, k2 = 0;        ///< constants
  std::string_view text;             ///< text constant (kept alive by the program's strings)
};

/// A lowered program: `nodes[root]` is the result.
struct lowered {
  std::vector<lnode> nodes;          ///< the tree; children before parents
  std::vector<std::uint32_t> list;   ///< node indices of `in [...]` items; b_enum_in texts use `texts`
  std::vector<std::string_view> texts;  ///< b_enum_in: the constant texts, for hand-built records
  std::uint32_t root = 0;            ///< the result node
  value_type type = value_type::null_;  ///< the program's result type (a value's `type`)
  /// True when there is nothing to run (an absent expression).
  bool empty() const noexcept { return nodes.empty(); }
};

/// Lowers a folded program of a rule on records of kind `kind`. The program's `strings`
/// must outlive the result (text constants are views into them).
lowered lower(const program& p, const kind_schema& kind);

}  // namespace decorum::detail
