// decorum/rulebook/load.hpp — entry point: `rulebook_model`. The rulebook as written
// (SPEC §1), after YAML but before any expression is parsed or checked: names, values and
// expression texts, each with the place in the file it came from so later stages can
// blame the exact line and column.
#pragma once

#include "decorum/base/chrono.hpp"
#include "decorum/base/decimal.hpp"
#include "decorum/base/diagnostic.hpp"
#include "decorum/base/field_type.hpp"
#include "decorum/base/text.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace decorum::rulebook {

// The field types and standard fields live in field_type.hpp, below the model, so readers
// and the schema need not see it; the model's stage still spells them rulebook::….
using decorum::field_type;
using decorum::standard_fields;
using decorum::to_string;

/// A scalar from the YAML file: its decoded text and where the scalar's node starts.
/// `mark` is the byte offset yaml-cpp reports: the first character of a plain scalar, the
/// opening quote of a quoted one, the `|`/`>` of a block scalar.
struct scalar {
  std::string text;        ///< decoded value
  std::size_t mark = 0;    ///< byte offset of the node in the file
  source_pos pos;          ///< line and column of `mark`
  bool present = false;    ///< false when the key was absent
};

/// A declared field of a record kind: `rings: int`, `badge: [a, b]`, or long-hand.
struct field_decl {
  std::string name;                       ///< the field's key
  field_type type = field_type::text;     ///< its type
  std::vector<std::string> enum_values;   ///< allowed values when type is enumeration
  bool required = false;                  ///< a record of this kind must carry it
  source_pos pos;                         ///< where the key is
};

/// An observation kind: `phone_call: {rings: int, …}`.
struct record_kind_decl {
  std::string name;                ///< the kind's key (the `kind` value in logs)
  std::vector<field_decl> fields;  ///< declared fields in file order
  source_pos pos;                  ///< where the key is
};

/// A named phrase set: `greeting: [您好, 早上好]`.
struct phrase_set_decl {
  std::string name;                    ///< the set's key (used as `phrases.NAME`)
  std::vector<scalar> phrases;         ///< phrases as written
  source_pos pos;                      ///< where the key is
  std::size_t listed = 0;              ///< items the list holds, refused ones included
};

/// How a rule prices an occurrence.
enum class amount_kind : std::uint8_t { none, deduct, bonus, points };

/// The key that sets an amount kind ("deduct", "bonus", "points"; "none" for none).
constexpr std::string_view to_string(amount_kind k) noexcept {
  switch (k) {
    case amount_kind::deduct: return "deduct";
    case amount_kind::bonus: return "bonus";
    case amount_kind::points: return "points";
    default: return "none";
  }
}

/// `deduct` / `bonus` / `points` / `fine`: a constant, an expression, or a progressive list.
struct amount {
  scalar expr;                            ///< constant or expression text (when not a list)
  std::vector<decimal> progressive;       ///< non-empty for a progressive list
  source_pos pos;                         ///< where the value is
  bool present() const noexcept { return expr.present || !progressive.empty(); }
};

/// `effective: {from: DATE, until: DATE}` (SPEC §9): the wall-clock dates a rule applies
/// on, `from` inclusive and `until` exclusive, as day numbers (days_from_civil); a bound
/// left out is open.
struct effective_range {
  std::optional<std::int64_t> from, until;  ///< day numbers; nullopt: unbounded
  bool present = false;                     ///< `effective` was written
  source_pos pos;                           ///< where the `effective` value is
  /// True when day `d` is in the range.
  bool contains(std::int64_t d) const noexcept { return (!from || d >= *from) && (!until || d < *until); }
  /// True when the range holds no day (only after a load error).
  bool empty() const noexcept { return from && until && *from >= *until; }
  /// True when the two ranges share a day.
  bool overlaps(const effective_range& o) const noexcept {
    return !empty() && !o.empty() && (!from || !o.until || *from < *o.until) && (!o.from || !until || *o.from < *until);
  }
  /// "from 2026-12-01 until 2027-01-01", "until 2026-12-01", "from 2026-12-01" or "always".
  std::string describe() const;
};

/// Metadata only; reports carry it.
enum class rule_severity : std::uint8_t { minor, major, critical };

/// One rule as written.
struct rule_decl {
  std::string id;                       ///< unique id
  std::string title, description, category, ref;
  std::optional<rule_severity> severity;
  scalar on;                            ///< record kind
  scalar when;                          ///< condition; absent means true
  scalar times;                         ///< occurrence count; absent means 1
  amount_kind kind = amount_kind::none; ///< which of deduct/bonus/points is set
  amount value;                         ///< the deduct/bonus/points amount
  amount fine;                          ///< money
  std::optional<decimal> cap;           ///< bound on net points per employee and period
  std::string flag;                     ///< label carried to tallies
  std::vector<std::string> roles;       ///< empty: every role
  bool enabled = true;
  effective_range effective;            ///< the dates it applies on (SPEC §9)
  source_pos pos;                       ///< where the rule's `- ` item starts
  source_pos id_pos;                    ///< where the id value is

  // Rules across records (SPEC §8). A window rule has `per`; a deadline rule has `until`.
  scalar per;                           ///< day|week|month|quarter|year|all|period (window rule)
  std::optional<period_kind> per_kind;  ///< `per` resolved; nullopt for `period` (the scoring period)
  scalar where;                         ///< window rule: which `on` records count
  std::vector<scalar> active;           ///< window rule: kinds whose records make a window active
  source_pos active_pos;                ///< where the `active` value is
  bool has_active = false;              ///< `active` was given (an empty list is an error)
  scalar until;                         ///< deadline rule: the kind that discharges a duty
  scalar match;                         ///< deadline rule: the field both kinds share
  scalar within;                        ///< deadline rule: duration expression over the opening record
  /// A window rule (SPEC §8.1).
  bool is_window() const noexcept { return per.present; }
  /// A deadline rule (SPEC §8.2).
  bool is_deadline() const noexcept { return until.present; }
};

/// A grade band: `{min: 90, grade: A}`.
struct grade_band {
  decimal min;
  std::string grade;
  source_pos pos;
};

/// `scoring:`.
struct scoring_decl {
  decimal base = decimal::from_raw(100 * decimal::scale);
  period_kind period = period_kind::month;
  std::optional<decimal> floor, ceiling;
  std::string currency = "CNY";
  std::vector<grade_band> grades;
  source_pos pos;
};

struct test_map_entry;

/// A test record or expectation: keys with scalar values and positions, as written.
struct test_map {
  std::vector<std::pair<std::string, scalar>> entries;  ///< scalar entries in file order
  // Not std::pair<std::string, test_map>: a pair needs a complete type, and libc++ and
  // clang's checks of libstdc++ reject one inside test_map's own definition.
  std::vector<test_map_entry> maps;                      ///< nested maps (`rules: {id: N}`)
  std::vector<std::pair<std::string, std::vector<scalar>>> lists;  ///< lists (`flags: [a]`)
  source_pos pos;
};

/// A nested map of a test_map, named like a pair's members so it reads like the others.
struct test_map_entry {
  std::string first;  ///< the key
  test_map second;    ///< the nested map
};

/// One rulebook test (SPEC §7).
struct test_decl {
  std::string name;
  std::vector<test_map> records;
  std::vector<test_map> expect;
  std::vector<test_map> appeals;  ///< SPEC §10 appeals applied to the test's records
  source_pos pos;
};

/// The whole rulebook as written.
struct rulebook_model {
  std::shared_ptr<const source_file> source;  ///< the file it came from
  int version = 1;                            ///< `decorum:`
  std::string name, title;
  std::optional<std::string> edition;         ///< top-level `version:` (SPEC §9), free text
  scoring_decl scoring;
  std::vector<record_kind_decl> records;
  std::vector<phrase_set_decl> phrases;
  std::vector<rule_decl> rules;
  std::vector<test_decl> tests;
};

/// Largest rulebook file accepted; larger ones are refused before YAML parsing, because a
/// real rulebook is a few hundred KiB at most and a huge one is a mistake or an attack.
inline constexpr std::size_t max_rulebook_bytes = 8u << 20;
/// The most YAML values (scalars, lists, mappings) a rulebook may hold. yaml-cpp keeps a
/// few hundred bytes a node, so this bounds the loader's memory whatever the text says;
/// a rulebook with 10,000 rules or a 100,000-phrase set stays far below it.
inline constexpr std::size_t max_rulebook_nodes = 2'000'000;

/// Loads a rulebook from text. Never throws for bad input: every problem becomes a
/// diagnostic and the model holds whatever could be read. `name` is the file name printed
/// in diagnostics.
rulebook_model load_rulebook(std::string name, std::string text, std::vector<diagnostic>& diags);

/// Reads a file and loads it; an unreadable file is a diagnostic, not an exception.
rulebook_model load_rulebook_file(const std::string& path, std::vector<diagnostic>& diags);

/// Loads a test file (SPEC §7): a mapping of `rulebook: PATH` (relative to the test file)
/// and `tests:`. The result holds only `source` and `tests`; `rulebook` gets the path as
/// written, with its position. Never throws for bad input; problems become diagnostics.
rulebook_model load_test_file(std::string name, std::string text, scalar& rulebook, std::vector<diagnostic>& diags);

/// Where byte `offset` of a scalar's decoded text stands in the file. Works for plain,
/// quoted and block scalars, so an expression error points at the token in the YAML file.
source_pos locate_in_scalar(const source_file& file, const scalar& s, std::size_t offset);

/// Just past a scalar as written (its quotes included) when the file holds its text verbatim
/// on one line, for underlining it; {} otherwise (escapes, folded or block scalars).
source_pos end_of_scalar(const source_file& file, std::size_t mark, std::string_view text);

/// Just past `length` bytes of a scalar's decoded text from `offset` (an identifier in an
/// expression), when they lie on one line of the file; {} otherwise.
source_pos end_in_scalar(const source_file& file, const scalar& s, std::size_t offset, std::size_t length);

using detail::did_you_mean;

}  // namespace decorum::rulebook
