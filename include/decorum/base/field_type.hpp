// decorum/base/field_type.hpp — entry points: `field_type`, `standard_fields`. The vocabulary of
// SPEC §1's record declarations that every later stage shares (the model, the schema, the
// readers), kept below all of them.
#pragma once

#include <cstdint>
#include <string_view>

namespace decorum {

/// The field types of SPEC §1. `int` and `number` differ only in what a log may hold.
enum class field_type : std::uint8_t { int_, number, text, boolean, time, duration, enumeration };

/// The spelling of a field type in the rulebook ("int", "number", …, "enum").
constexpr std::string_view to_string(field_type t) noexcept {
  switch (t) {
    case field_type::int_: return "int";
    case field_type::number: return "number";
    case field_type::text: return "text";
    case field_type::boolean: return "bool";
    case field_type::time: return "time";
    case field_type::duration: return "duration";
    case field_type::enumeration: return "enum";
  }
  return "text";
}

/// The standard fields every record has (SPEC §1), in slot order.
inline constexpr std::string_view standard_fields[] = {"time", "employee", "kind", "role", "name",
                                                       "site", "inspector", "id",   "note"};

}  // namespace decorum
