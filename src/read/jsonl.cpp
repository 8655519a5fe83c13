// src/read/jsonl.cpp — entry points: decorum::jsonl_reader, decorum::read_jsonl. Reads JSON
// Lines into one reused `record`, strictly typed per SPEC §3: splits the data into lines,
// has each line's fields gathered (jsonl_flat.cpp, else the simdjson fallback in
// jsonl_simdjson.cpp) and judges them against the schema with the shared assembly steps of
// src/read/assemble.hpp.
#include "decorum/read/read.hpp"

#include "assemble.hpp"
#include "jsonl_impl.hpp"

#include <simdjson.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>

namespace decorum {

static_assert(simdjson::SIMDJSON_PADDING <= detail::jsonl_padding, "read_input leaves too little room for simdjson");

namespace {

using detail::json_kind;
using detail::no_name;
using detail::pending_field;

/// JSON integer syntax, for `employee` and `id` given as numbers.
bool is_json_integer(std::string_view s) noexcept {
  std::size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  if (i >= s.size()) return false;
  if (s[i] == '0') return i + 1 == s.size();
  for (; i < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

/// A value as the "got …" half of a message.
std::string shown(const pending_field& p) {
  switch (p.kind) {
    case json_kind::string: return detail::shown_text(p.text);
    case json_kind::number: return detail::clipped(p.text);
    case json_kind::boolean: return p.boolean ? "true" : "false";
    case json_kind::null_: return "null";
    case json_kind::object: return "an object";
    case json_kind::array: return "an array";
  }
  return "?";
}

/// True for a line of nothing but JSON white space, which is skipped, not read.
bool is_blank(std::string_view s) noexcept {
  for (char c : s)
    if (!detail::is_json_space(c)) return false;
  return true;
}

/// The id of a line that starts exactly `{"id":"` and whose id has no escape: those bytes
/// are the id's value. (If the line is otherwise broken the scoring pass rejected it, and a
/// filtering sink has no use for it either way.)
bool leading_plain_id(std::string_view line, std::string_view& id) noexcept {
  constexpr std::string_view head = "{\"id\":\"";
  if (line.size() <= head.size() || line.compare(0, head.size(), head) != 0) return false;
  const char* b = line.data() + head.size();
  const auto* q = static_cast<const char*>(std::memchr(b, '"', line.size() - head.size()));
  if (!q || std::memchr(b, '\\', static_cast<std::size_t>(q - b))) return false;
  id = std::string_view(b, static_cast<std::size_t>(q - b));
  return true;
}

}  // namespace

jsonl_reader::impl::impl(const record_schema& s) : schema(&s) {
  // Standard fields first, so a standard field's name id is its slot in every kind.
  std::vector<std::string_view> names;
  auto add = [&](std::string_view n) {
    if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
  };
  for (auto n : standard_fields) add(n);
  for (const auto& k : s.kinds())
    for (const auto& f : k.fields) add(f.name);
  name_ids = detail::name_index(names);
  name_count = static_cast<std::uint32_t>(names.size());
  for (auto n : names) patterns.push_back(detail::make_pattern(n));
  next_key.assign(name_count + 2, detail::no_name);
  slot_of.assign(s.kinds().size() * name_count, csv_header::no_slot);
  required.assign(s.kinds().size(), 0);
  for (std::size_t k = 0; k < s.kinds().size(); ++k) {
    for (const auto& f : s.kinds()[k].fields) {
      slot_of[k * name_count + name_ids.find(f.name)] = f.slot;
      required[k] += f.required;
    }
  }
  std::vector<std::string_view> kind_names;
  for (const auto& k : s.kinds()) kind_names.push_back(k.name);
  kinds = detail::name_index(kind_names);
  kind_name = name_ids.find("kind");
  seen.assign(name_count, 0);
  fields.reserve(32);
}

/// Resolves the gathered fields against the schema into `rec`, by the steps of
/// src/read/assemble.hpp; what is JSON's own (a kind that is not a string, numbers, literals,
/// null as an absent field) is decided here.
bool jsonl_reader::impl::judge(std::string& reason) {
  const pending_field* kind_field = kind_at < fields.size() ? &fields[kind_at] : nullptr;
  // JSON null is an absent field, so it is a missing kind; any other non-string is a type error.
  const bool has_kind = kind_field && kind_field->kind != json_kind::null_;
  if (has_kind && kind_field->kind != json_kind::string) {
    reason = fmt::format("kind: expected text, got {}", shown(*kind_field));
    return false;
  }
  const int k = detail::resolve_kind(*schema, kinds, has_kind ? std::optional(kind_field->text) : std::nullopt, reason);
  if (k < 0) return false;
  const kind_schema& ks = schema->kinds()[static_cast<std::size_t>(k)];
  const std::uint32_t* slots = slot_of.data() + static_cast<std::size_t>(k) * name_count;
  // Every key is checked before any value is converted: an unknown field outranks a bad value.
  for (const auto& p : fields)
    if (!detail::known_slot(p.name == no_name ? detail::no_slot : slots[p.name], ks, p.key, reason)) return false;
  rec.kind = k;
  value* values = rec.values.data();
  std::size_t filled_required = 0;
  for (const auto& p : fields) {
    const std::uint32_t slot = slots[p.name];
    const field_schema& f = ks.fields[slot];
    value& v = values[slot];
    switch (p.kind) {
      case json_kind::string:
        if (!detail::convert_field_text(ks, slot, p.text, detail::text_origin::json_string, v, rec.time, reason))
          return false;
        break;
      case json_kind::number:
        if (slot == slot::employee || slot == slot::id) {
          // SPEC: these also take a JSON integer, read as its decimal text (the token itself,
          // which lives in the line as long as the record does).
          if (!is_json_integer(p.text)) {
            reason = detail::type_mismatch_reason(f, shown(p));
            return false;
          }
          v = value::of_text(p.text);
        } else if (!detail::convert_number(f, p.text, v, reason)) {
          return false;
        }
        break;
      case json_kind::boolean:
        if (f.type != field_type::boolean) {
          reason = detail::type_mismatch_reason(f, shown(p));
          return false;
        }
        v = value::of_bool(p.boolean);
        break;
      case json_kind::object:
      case json_kind::array:
        reason = detail::type_mismatch_reason(f, shown(p));
        return false;
      case json_kind::null_: continue;  // SPEC: null is an absent field; it fills nothing
    }
    filled_required += f.required;
  }
  return detail::required_present(ks, rec, filled_required, required[static_cast<std::size_t>(k)], reason);
}

bool jsonl_reader::impl::parse_line(std::string_view line, std::size_t readable_after, std::uint64_t line_no,
                                    std::uint32_t source, std::string& reason) {
  rec.reset(schema->max_slots());
  fields.clear();
  if (!gather(line, readable_after, reason)) {
    // In place, the bytes after the line are the next lines', and simdjson may look past a
    // malformed line's end: the message is decided on a copy padded with spaces, so it
    // depends on the line alone (found by fuzzing, issue 11: `{}}` read two ways).
    if (readable_after >= simdjson::SIMDJSON_PADDING) {
      fields.clear();
      gather(line, 0, reason);
    }
    return false;
  }
  if (!judge(reason)) return false;
  rec.line = line_no;
  rec.source = source;
  rec.sequence = sequence++;
  return true;
}

jsonl_reader::jsonl_reader(const record_schema& schema) : impl_(std::make_unique<impl>(schema)) {}
jsonl_reader::~jsonl_reader() = default;
jsonl_reader::jsonl_reader(jsonl_reader&&) noexcept = default;
jsonl_reader& jsonl_reader::operator=(jsonl_reader&&) noexcept = default;

std::uint64_t jsonl_reader::next_sequence() const noexcept { return impl_->sequence; }
void jsonl_reader::set_next_sequence(std::uint64_t s) noexcept { impl_->sequence = s; }
void jsonl_reader::set_source_encoding(text_encoding e) noexcept { impl_->encoding = e; }
std::uint64_t jsonl_reader::lines_consumed() const noexcept { return impl_->lines; }

read_stats jsonl_reader::read(std::string_view data, std::uint32_t source, record_sink& sink, std::uint64_t first_line,
                              std::size_t readable_padding) {
  read_stats stats;
  std::size_t pos = 0;
  if (first_line == 1 && data.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;
  std::uint64_t line_no = first_line;
  std::uint64_t newlines = 0;
  std::string reason;
  const bool filter = sink.filters_ids();
  while (pos < data.size()) {
    const void* hit = std::memchr(data.data() + pos, '\n', data.size() - pos);
    const std::size_t end = hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - data.data()) : data.size();
    std::string_view line = data.substr(pos, end - pos);
    const std::uint64_t this_line = line_no++;
    pos = hit ? end + 1 : end;
    newlines += hit ? 1 : 0;
    if (line.size() > max_record_bytes) {
      ++stats.read;
      ++stats.rejected;
      sink.on_reject(rejection{source, this_line, "line longer than 1 MiB"});
      continue;
    }
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (is_blank(line)) continue;
    ++stats.read;
    if (filter) {
      std::string_view id;
      if (leading_plain_id(line, id) && !sink.wants_id(id)) {
        ++stats.accepted;
        continue;
      }
    }
    const std::size_t line_end = static_cast<std::size_t>(line.data() - data.data()) + line.size();
    const std::size_t readable_after = data.size() - line_end + readable_padding;
    if (impl_->parse_line(line, readable_after, this_line, source, reason)) {
      ++stats.accepted;
      sink.on_record(impl_->rec);
    } else {
      ++stats.rejected;
      sink.on_reject(rejection{source, this_line, std::move(reason)});
      reason.clear();
    }
  }
  impl_->lines = newlines;
  return stats;
}

read_stats read_jsonl(const record_schema& schema, std::string_view data, std::uint32_t source, record_sink& sink,
                      std::uint64_t first_line) {
  jsonl_reader reader(schema);
  return reader.read(data, source, sink, first_line);
}

}  // namespace decorum
