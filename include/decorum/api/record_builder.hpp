// decorum/api/record_builder.hpp — entry point: `record_builder`. Builds a `record` by field
// name for systems that keep observations in their own database rather than in log files
// (an HR system's nightly job). Every value is checked against the rulebook's schema as a log
// reader would check it, and a bad value comes back as an error string, never an exception,
// so it can become a rejection (SPEC §3: nothing is dropped silently).
#pragma once

#include "decorum/base/result.hpp"
#include "decorum/compile/compile.hpp"
#include "decorum/check/record.hpp"
#include "decorum/tally/tally.hpp"

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace decorum {

/// Collects fields by name, then builds a typed record for one rule set:
/// ```
/// record_builder b(*rules);
/// b.kind("phone_call").time("2026-11-03T09:00:00+08:00").employee("E1").set("rings", 4);
/// if (auto r = b.build()) s.add(*r); else s.reject(src, line, r.error().reason);
/// // or, scoring or listing the rejection in one call:
/// if (auto done = b.add_to(s); !done) log(done.error().reason);
/// ```
/// Fields may be given in any order (the kind decides which names exist, so names are
/// resolved at build time); setting a field twice keeps the last value. One builder per
/// thread; the rule set is only read.
class record_builder {
 public:
  /// A builder for records of `rules`, which must outlive the builder.
  explicit record_builder(const rule_set& rules);
  /// A builder for a bare schema, which must outlive the builder.
  explicit record_builder(const record_schema& schema);

  /// The record kind (`kind`): one of the rulebook's `records:`.
  record_builder& kind(std::string_view k);
  /// The time as ISO 8601 text, in any form a log may carry (SPEC §3).
  record_builder& time(std::string_view iso);
  /// The time as a parsed timestamp (years 1–9999, as in logs).
  record_builder& time(const timestamp& t);
  /// The employee code; must not be empty.
  record_builder& employee(std::string_view code);
  /// The standard field `role` (rules with `roles:` read it).
  record_builder& role(std::string_view v) { return set("role", v); }
  /// The standard field `name` (the tally shows the last name given in time order).
  record_builder& name(std::string_view v) { return set("name", v); }
  /// The standard field `site`.
  record_builder& site(std::string_view v) { return set("site", v); }
  /// The standard field `inspector`.
  record_builder& inspector(std::string_view v) { return set("inspector", v); }
  /// The standard field `id`; a scorer rejects a second record with the same id.
  record_builder& id(std::string_view v) { return set("id", v); }
  /// The standard field `note`.
  record_builder& note(std::string_view v) { return set("note", v); }

  /// A field from text, read as a CSV cell is read: "4" for an int, "yes"/"是" for a bool,
  /// "5m" for a duration, any ISO form for a time, a listed value for an enum.
  record_builder& set(std::string_view field, std::string_view text);
  /// See set(field, string_view); without this a string literal would pick the bool overload.
  record_builder& set(std::string_view field, const char* text) { return set(field, std::string_view(text)); }
  /// See set(field, string_view).
  record_builder& set(std::string_view field, const std::string& text) { return set(field, std::string_view(text)); }
  /// A bool field.
  record_builder& set(std::string_view field, bool b);
  /// An int, number or duration (seconds) field; `employee` and `id` take it as decimal text,
  /// like a JSON integer in a log.
  template <std::integral I>
    requires(!std::same_as<I, bool>)
  record_builder& set(std::string_view field, I v) {
    return set_integer(field, static_cast<std::int64_t>(v));
  }
  /// A number, int (when integral) or duration (seconds) field, exactly.
  record_builder& set(std::string_view field, decimal d);
  /// A number field from a double, taken as its shortest round-trip text (0.1 is exactly
  /// 0.1); more than six decimals is an error, as in a log.
  record_builder& set(std::string_view field, double d);
  /// A time field from a parsed timestamp.
  record_builder& set(std::string_view field, const timestamp& t);
  /// Removes a field given earlier (an absent field is null to the rules).
  record_builder& unset(std::string_view field);

  /// Where the record comes from, for rejections and the audit trail: an input index from
  /// scorer::add_source (which must be called first) and a line or row number.
  record_builder& origin(std::uint32_t source, std::uint64_t line);

  /// The record, or a rejection (with the origin) worded as a log reader words it
  /// ("rings: expected int, got \"four\"", "unknown field 'ringz' for kind 'phone_call'…").
  /// The record's text views point into its own storage: move it, never copy it.
  result<record, rejection> build() const;
  /// Builds into `out`, reusing its buffers (for loops over many records).
  result<void, rejection> build_into(record& out) const;
  /// Builds and scores: the record goes to `s`, or its rejection does (counted and listed
  /// with the origin). Fails with the rejection when the record was not scored (a bad field,
  /// or an `id` already scored: "duplicate id \"x\"").
  result<void, rejection> add_to(scorer& s) const;
  /// Forgets every field for the next record; the origin stays.
  record_builder& clear();

 private:
  // Resolves the fields into `out`; false with `reason` set.
  bool fill(record& out, std::string& reason) const;

  enum class tag : std::uint8_t { text, integer, boolean, number, real, time };
  struct pending {
    std::string field;
    tag kind = tag::text;
    std::string text;
    std::int64_t integer = 0;
    bool boolean = false;
    decimal number;
    double real = 0;
    timestamp time;
  };
  record_builder& set_integer(std::string_view field, std::int64_t v);
  pending& slot_for(std::string_view field, tag kind);  // the field's entry, emptied, of this kind

  const record_schema* schema_;
  // The first used_ entries are the fields given; the rest keep their strings' capacity for
  // the next record, so a loop of set/add_to/clear allocates nothing once warm.
  std::vector<pending> fields_;
  std::size_t used_ = 0;
  mutable std::vector<const field_schema*> resolved_;  // fill()'s per-field lookups
  std::uint32_t source_ = 0;
  std::uint64_t line_ = 0;
};

}  // namespace decorum
