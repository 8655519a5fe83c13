// src/read/assemble.hpp — internal: the steps of assembling one record (src/read/assemble.cpp).
// Entry points: detail::resolve_kind, detail::known_slot / detail::resolve_field,
// detail::convert_field_text, detail::required_present. Four places turn named values into a
// record — the JSON Lines and CSV readers, the record builder and the rule-test loader — by
// the same steps: kind name → kind, each field name → slot, text → value in that slot, required
// fields present. The steps live here once, so all four accept and reject the same records
// with byte-identical messages. The readers keep their own outer loops and slot tables (their
// loops are the hot path of `decorum score`), which is why the steps are small inline functions
// whose rare failing halves are out of line.
#pragma once

#include "decorum/read/read.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace decorum::detail {

/// Marks a field name that is no field of the record's kind, in a reader's slot table.
inline constexpr std::uint32_t no_slot = csv_header::no_slot;

// The failing halves: out of line and marked cold, so the inline steps add only a compare and
// a call to the readers' loops (without `cold` GCC laid out the CSV loop worse: 2 more
// instructions per record, callgrind, 100 k bench records).

/// Sets `reason` to "missing required field 'kind'"; returns -1 (no kind).
[[gnu::cold]] int reject_missing_kind(std::string& reason);

/// Sets `reason` to unknown_kind_reason (with its did-you-mean); returns -1 (no kind).
[[gnu::cold]] int reject_unknown_kind(const record_schema& schema, std::string_view kind, std::string& reason);

/// Sets `reason` to unknown_field_reason (with its did-you-mean); returns false.
[[gnu::cold]] bool reject_unknown_field(const kind_schema& kind, std::string_view field, std::string& reason);

/// Sets `reason` to "employee: must not be empty"; returns false.
[[gnu::cold]] bool reject_empty_employee(std::string& reason);

/// Step 1, with a reader's prepared index of the kind names (`kinds[i]` is schema.kinds()[i]):
/// the index of the record's kind, or -1 with `reason` set. `kind` is the record's kind text,
/// or nullopt when it has none; what counts as none (absent, JSON null, an empty cell or
/// value) and what a kind that is not text is told are the caller's rules, since the formats
/// differ there.
inline int resolve_kind(const record_schema& schema, const name_index& kinds, std::optional<std::string_view> kind,
                        std::string& reason) {
  if (!kind) return reject_missing_kind(reason);
  const std::uint32_t k = kinds.find(*kind);
  if (k == name_index::npos) return reject_unknown_kind(schema, *kind, reason);
  return static_cast<int>(k);
}

/// Step 1 for a caller assembling one record at a time (record builder, rule tests), where
/// building an index would cost more than the schema's own lookup.
int resolve_kind(const record_schema& schema, std::optional<std::string_view> kind, std::string& reason);

/// Step 2, with the slot a reader's table gives for the field (no_slot when the name is no
/// field of the kind): true when it has one, else false with unknown_field_reason.
inline bool known_slot(std::uint32_t slot, const kind_schema& kind, std::string_view field, std::string& reason) {
  if (slot != no_slot) [[likely]]
    return true;
  return reject_unknown_field(kind, field, reason);
}

/// Step 2 by name, for callers without a slot table: the field, or null with `reason` set.
const field_schema* resolve_field(const kind_schema& kind, std::string_view field, std::string& reason);

/// Where a field's text comes from, which decides how step 3 reads it.
enum class text_origin : std::uint8_t {
  json_string,  ///< a JSON string: typed strictly (SPEC §3: no numbers or bools inside strings); may be empty
  csv_cell,     ///< a CSV cell or rule-test value: the CSV spellings of int, number and bool; never empty,
                ///< since an empty one is an absent field and is skipped before step 3
  given,        ///< a record_builder text: the CSV spellings; may be empty
};

/// Step 3: converts the text of the field in slot `slot` of `kind` into `out`, the value of
/// that slot. The kind slot keeps the text as it is (step 1 already judged it); an empty
/// employee is refused where a text can be empty; a time also lands in `time`, the record's
/// full timestamp. Text views point at `text`, so it must live as long as the record.
/// Why these parameters (callgrind, 100 k bench records): `origin` is a constant at every
/// call, so the empty-employee test is compiled out of the CSV loop, where it cost 11
/// instructions per record; and the slot comes as the number the readers already hold rather
/// than as its field_schema, which saved 2 instructions per CSV record and 7 per JSONL record.
inline bool convert_field_text(const kind_schema& kind, std::uint32_t slot, std::string_view text, text_origin origin,
                               value& out, timestamp& time, std::string& reason) {
  if (slot == slot::kind) {
    out = value::of_text(text);
    return true;
  }
  if (origin != text_origin::csv_cell && slot == slot::employee && text.empty()) [[unlikely]]
    return reject_empty_employee(reason);
  return convert_text_fast(kind.fields[slot], text, origin != text_origin::json_string, out, reason,
                           slot == slot::time ? &time : nullptr);
}

/// Step 4 for a reader that counted the required fields it filled (`filled`) against the
/// kind's number of required fields (`required`): every field fills a slot of its own, so
/// equal counts mean all are present, and only a record missing one pays for
/// check_required's walk over the kind's fields to name the first missing. Assemblers that do
/// not count call check_required directly.
inline bool required_present(const kind_schema& kind, const record& rec, std::size_t filled, std::size_t required,
                             std::string& reason) {
  return filled == required || check_required(kind, rec, reason);
}

}  // namespace decorum::detail
