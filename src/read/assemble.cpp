// src/read/assemble.cpp — entry points: the out-of-line steps of record assembly declared in
// src/read/assemble.hpp (detail::resolve_kind by schema, detail::resolve_field and the
// reject_* messages). Kept apart from the inline steps so the readers' hot loops carry only
// the compare and the call, never the message formatting.
#include "assemble.hpp"

namespace decorum::detail {

int reject_missing_kind(std::string& reason) {
  reason = "missing required field 'kind'";
  return -1;
}

int reject_unknown_kind(const record_schema& schema, std::string_view kind, std::string& reason) {
  reason = unknown_kind_reason(schema, kind);
  return -1;
}

bool reject_unknown_field(const kind_schema& kind, std::string_view field, std::string& reason) {
  reason = unknown_field_reason(kind, field);
  return false;
}

bool reject_empty_employee(std::string& reason) {
  reason = "employee: must not be empty";
  return false;
}

int resolve_kind(const record_schema& schema, std::optional<std::string_view> kind, std::string& reason) {
  if (!kind) return reject_missing_kind(reason);
  const int k = schema.find_kind(*kind);
  if (k < 0) return reject_unknown_kind(schema, *kind, reason);
  return k;
}

const field_schema* resolve_field(const kind_schema& kind, std::string_view field, std::string& reason) {
  const field_schema* f = kind.find(field);
  if (!f) reject_unknown_field(kind, field, reason);
  return f;
}

}  // namespace decorum::detail
