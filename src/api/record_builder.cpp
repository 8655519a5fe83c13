// src/api/record_builder.cpp — entry points: record_builder::build, build_into, add_to. Resolves the fields a
// caller gave by name against the kind's schema and converts each with the log readers'
// own assembly steps (src/read/assemble.hpp), so a record built in code is accepted or
// rejected exactly as the same record in a CSV file would be, with the same messages.
#include "decorum/api/record_builder.hpp"

#include "decorum/read/read.hpp"

#include "../read/assemble.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <span>

namespace decorum {

namespace {

// Logs can only carry years 0001–9999 (parse_time); a timestamp given directly must stay in
// that range too, or period labels and saved partial results could not be read back.
constexpr std::int64_t first_second = days_from_civil(1, 1, 1) * 86400;
constexpr std::int64_t last_second = days_from_civil(9999, 12, 31) * 86400 + 86399;

bool in_range(const timestamp& t) { return t.local_seconds >= first_second && t.local_seconds <= last_second; }

/// Stores `text` in the record's storage and views it there. Storage was reserved for every
/// text up front, so this never reallocates and earlier views stay valid.
std::string_view keep(record& r, std::string_view text) {
  const std::size_t at = r.storage.size();
  r.storage.append(text);
  return std::string_view(r.storage.data() + at, text.size());
}

}  // namespace

record_builder::record_builder(const rule_set& rules) : schema_(&rules.schema()) {}
record_builder::record_builder(const record_schema& schema) : schema_(&schema) {}

record_builder::pending& record_builder::slot_for(std::string_view field, tag kind) {
  pending* p = nullptr;
  for (std::size_t i = 0; i < used_; ++i)
    if (fields_[i].field == field) p = &fields_[i];
  if (!p) {
    if (used_ == fields_.size()) fields_.emplace_back();
    p = &fields_[used_++];
    p->field.assign(field);
  }
  // The last value given wins, whatever its type; the strings keep their capacity.
  p->kind = kind;
  p->text.clear();
  p->integer = 0;
  p->boolean = false;
  p->number = decimal();
  p->real = 0;
  p->time = timestamp{};
  return *p;
}

record_builder& record_builder::kind(std::string_view k) { return set("kind", k); }
record_builder& record_builder::time(std::string_view iso) { return set("time", iso); }
record_builder& record_builder::time(const timestamp& t) { return set("time", t); }
record_builder& record_builder::employee(std::string_view code) { return set("employee", code); }

record_builder& record_builder::set(std::string_view field, std::string_view text) {
  slot_for(field, tag::text).text.assign(text);
  return *this;
}

record_builder& record_builder::set(std::string_view field, bool b) {
  slot_for(field, tag::boolean).boolean = b;
  return *this;
}

record_builder& record_builder::set_integer(std::string_view field, std::int64_t v) {
  slot_for(field, tag::integer).integer = v;
  return *this;
}

record_builder& record_builder::set(std::string_view field, decimal d) {
  slot_for(field, tag::number).number = d;
  return *this;
}

record_builder& record_builder::set(std::string_view field, double d) {
  slot_for(field, tag::real).real = d;
  return *this;
}

record_builder& record_builder::set(std::string_view field, const timestamp& t) {
  slot_for(field, tag::time).time = t;
  return *this;
}

record_builder& record_builder::unset(std::string_view field) {
  // Kept in the order given (fill() reports the first unknown name), the removed entry
  // moved past the used ones to be reused.
  for (std::size_t i = 0; i < used_; ++i)
    if (fields_[i].field == field) {
      std::rotate(fields_.begin() + static_cast<std::ptrdiff_t>(i), fields_.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                  fields_.begin() + static_cast<std::ptrdiff_t>(used_));
      --used_;
      break;
    }
  return *this;
}

record_builder& record_builder::origin(std::uint32_t source, std::uint64_t line) {
  source_ = source;
  line_ = line;
  return *this;
}

record_builder& record_builder::clear() {
  used_ = 0;
  return *this;
}

bool record_builder::fill(record& out, std::string& error) const {
  error.clear();
  const std::span<const pending> fields(fields_.data(), used_);
  const pending* kind_field = nullptr;
  for (const auto& p : fields)
    if (p.field == "kind") kind_field = &p;
  if (kind_field && kind_field->kind != tag::text) {
    error = "kind: expected text";
    return false;
  }
  // The steps of src/read/assemble.hpp, as the readers take them: kind, then every name
  // before any value, so a record is refused for the same reason a log line would be.
  const int k = detail::resolve_kind(
      *schema_, kind_field ? std::optional<std::string_view>(kind_field->text) : std::nullopt, error);
  if (k < 0) return false;
  const kind_schema& ks = schema_->kinds()[static_cast<std::size_t>(k)];
  resolved_.clear();
  for (const auto& p : fields) {
    const field_schema* f = detail::resolve_field(ks, p.field, error);
    if (!f) return false;
    resolved_.push_back(f);
  }

  out.reset(schema_->max_slots());
  out.kind = k;
  out.time = timestamp{};
  // Every text lands in storage; reserving it all first keeps views valid, and a capacity
  // past the small-string buffer keeps them valid when the record is moved.
  std::size_t bytes = 0;
  for (const auto& p : fields) bytes += p.text.size() + 24;
  out.storage.reserve(std::max<std::size_t>(bytes, 64));

  for (std::size_t i = 0; i < fields.size(); ++i) {
    const pending& p = fields[i];
    const field_schema& f = *resolved_[i];
    value v;
    switch (p.kind) {
      case tag::text:
        if (detail::find_invalid_utf8(p.text) != std::string_view::npos) {
          error = fmt::format("{}: invalid UTF-8", f.name);
          return false;
        }
        if (!detail::convert_field_text(ks, f.slot, keep(out, p.text), detail::text_origin::given, v, out.time, error))
          return false;
        break;
      case tag::integer:
        if (f.slot == slot::employee || f.slot == slot::id) {
          v = value::of_text(keep(out, fmt::format("{}", p.integer)));
        } else if (!detail::convert_number(f, fmt::format("{}", p.integer), v, error)) {
          return false;
        }
        break;
      case tag::number:
        if (!detail::convert_number(f, p.number.to_string(), v, error)) return false;
        break;
      case tag::real:
        // The shortest text that reads back as the same double is what a person wrote.
        if (!std::isfinite(p.real)) {
          error = detail::type_mismatch_reason(f, fmt::format("{}", p.real));
          return false;
        }
        if (!detail::convert_number(f, fmt::format("{}", p.real), v, error)) return false;
        break;
      case tag::boolean:
        if (f.type != field_type::boolean) {
          error = detail::type_mismatch_reason(f, p.boolean ? "true" : "false");
          return false;
        }
        v = value::of_bool(p.boolean);
        break;
      case tag::time:
        if (!in_range(p.time)) {
          error = fmt::format("{}: time outside the years 1–9999", f.name);
          return false;
        }
        if (f.type != field_type::time) {
          error = detail::type_mismatch_reason(f, fmt::format("\"{}\"", format_time(p.time)));
          return false;
        }
        v = value::of_time(p.time.local_seconds);
        if (f.slot == slot::time) out.time = p.time;
        break;
    }
    out.values[f.slot] = v;
  }
  if (!detail::check_required(ks, out, error)) return false;
  out.source = source_;
  out.line = line_;
  out.sequence = line_;
  return true;
}

result<void, rejection> record_builder::build_into(record& out) const {
  std::string reason;
  if (!fill(out, reason)) return rejection{source_, line_, std::move(reason)};
  return {};
}

result<record, rejection> record_builder::build() const {
  record r;
  std::string reason;
  if (!fill(r, reason)) return rejection{source_, line_, std::move(reason)};
  return r;
}

result<void, rejection> record_builder::add_to(scorer& s) const {
  std::string reason;
  thread_local record r;  // reused: after the largest record so far, building allocates nothing
  if (!fill(r, reason)) {
    s.reject(source_, line_, reason);
    return rejection{source_, line_, std::move(reason)};
  }
  if (!s.add(r)) return rejection{source_, line_, fmt::format("duplicate id \"{}\"", r.text(slot::id))};
  return {};
}

}  // namespace decorum
