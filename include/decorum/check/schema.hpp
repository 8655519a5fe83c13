// decorum/check/schema.hpp — entry point: `record_schema`. The record kinds of a compiled rule
// set with every field resolved to a slot: what log readers fill and rules read. Slots
// 0–8 are the standard fields of SPEC §1 in every kind; declared fields follow.
#pragma once

#include "decorum/base/field_type.hpp"
#include "decorum/base/value.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace decorum {

namespace rulebook {
struct record_kind_decl;  // rulebook/load.hpp: the schema is built from it, readers never see it
}

/// Fixed slots of the standard fields, the same in every kind.
namespace slot {
inline constexpr std::uint32_t time = 0, employee = 1, kind = 2, role = 3, name = 4, site = 5, inspector = 6, id = 7,
                               note = 8, first_declared = 9;
}

/// One field of a kind, resolved to its slot.
struct field_schema {
  std::string name;                        ///< as declared
  field_type type = field_type::text;      ///< declared type
  std::vector<std::string> enum_values;    ///< allowed values for enums
  bool required = false;                   ///< must be present
  std::uint32_t slot = 0;                  ///< index into a record's values
  /// The expression-language type of the field (int → number, enum → text).
  value_type runtime_type() const noexcept;
};

/// One record kind with its fields (standard ones first).
struct kind_schema {
  std::string name;                    ///< the `kind` value in logs
  std::vector<field_schema> fields;    ///< fields[i].slot == i
  /// The field with this name, or nullptr.
  const field_schema* find(std::string_view field) const noexcept;
};

/// All kinds of a rulebook.
class record_schema {
 public:
  record_schema() = default;
  /// Builds the schema from a loaded rulebook's `records:`.
  explicit record_schema(const std::vector<rulebook::record_kind_decl>& kinds);
  /// The kinds in rulebook order.
  const std::vector<kind_schema>& kinds() const noexcept { return kinds_; }
  /// The index of a kind, or -1.
  int find_kind(std::string_view name) const noexcept;
  /// True when some kind (or the standard set) has a field of this name: a CSV column
  /// that is no field of any kind fails the whole file.
  bool any_kind_has(std::string_view field) const noexcept;
  /// The most slots any kind needs.
  std::uint32_t max_slots() const noexcept { return max_slots_; }

 private:
  std::vector<kind_schema> kinds_;
  std::uint32_t max_slots_ = slot::first_declared;
};

}  // namespace decorum
