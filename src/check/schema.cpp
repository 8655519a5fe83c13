// src/check/schema.cpp — entry point: record_schema. Resolves declared fields to slots.
#include "decorum/check/schema.hpp"

#include "decorum/rulebook/load.hpp"

namespace decorum {

value_type field_schema::runtime_type() const noexcept {
  switch (type) {
    case field_type::int_:
    case field_type::number: return value_type::number;
    case field_type::text:
    case field_type::enumeration: return value_type::text;
    case field_type::boolean: return value_type::boolean;
    case field_type::time: return value_type::time;
    case field_type::duration: return value_type::duration;
  }
  return value_type::text;
}

const field_schema* kind_schema::find(std::string_view field) const noexcept {
  for (const auto& f : fields)
    if (f.name == field) return &f;
  return nullptr;
}

record_schema::record_schema(const std::vector<rulebook::record_kind_decl>& kinds) {
  for (const auto& k : kinds) {
    kind_schema ks;
    ks.name = k.name;
    std::uint32_t s = 0;
    for (auto name : standard_fields) {
      field_schema f;
      f.name = std::string(name);
      f.type = name == "time" ? field_type::time : field_type::text;
      f.required = name == "time" || name == "employee" || name == "kind";
      f.slot = s++;
      ks.fields.push_back(std::move(f));
    }
    for (const auto& d : k.fields) {
      if (ks.find(d.name)) continue;  // duplicates were reported by the loader
      field_schema f;
      f.name = d.name;
      f.type = d.type;
      f.enum_values = d.enum_values;
      f.required = d.required;
      f.slot = s++;
      ks.fields.push_back(std::move(f));
    }
    if (s > max_slots_) max_slots_ = s;
    kinds_.push_back(std::move(ks));
  }
}

int record_schema::find_kind(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < kinds_.size(); ++i)
    if (kinds_[i].name == name) return static_cast<int>(i);
  return -1;
}

bool record_schema::any_kind_has(std::string_view field) const noexcept {
  for (auto name : standard_fields)
    if (name == field) return true;
  for (const auto& k : kinds_)
    if (k.find(field)) return true;
  return false;
}

}  // namespace decorum
