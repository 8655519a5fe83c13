// src/read/jsonl_simdjson.cpp — entry point: jsonl_reader::impl::gather. Gathers a JSON
// Lines line's fields: by the flat scanner (src/read/jsonl_flat.cpp) when it takes the line,
// else with simdjson On-Demand, which also decides every malformed line and whose errors are
// worded here. Numbers are kept as their raw token so decimals stay exact (a double would
// turn 0.1 into 0.1000000000000000055…), and every field is gathered before any is judged,
// so malformed JSON is always reported as such, ahead of schema complaints.
#include "jsonl_impl.hpp"

#include <simdjson.h>

#include <fmt/format.h>

#include <algorithm>
#include <string>

namespace decorum {

namespace {

namespace od = simdjson::ondemand;

using detail::is_json_space;
using detail::json_kind;
using detail::key_is;
using detail::no_name;
using detail::pending_field;

/// Short texts for the simdjson errors a log line can produce; simdjson's own messages are
/// sentences written for programmers.
std::string json_error_text(simdjson::error_code e) {
  switch (e) {
    case simdjson::TAPE_ERROR: return "malformed structure (missing comma, colon, key or bracket?)";
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT: return "unclosed object or array";
    case simdjson::UNCLOSED_STRING: return "unclosed string";
    case simdjson::STRING_ERROR: return "bad string escape";
    case simdjson::UNESCAPED_CHARS: return "control character in a string";
    case simdjson::NUMBER_ERROR: return "bad number";
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR: return "bad literal (expected true, false or null)";
    case simdjson::DEPTH_ERROR: return "nested too deeply";
    case simdjson::EMPTY: return "empty document";
    case simdjson::CAPACITY: return "line too large";
    case simdjson::MEMALLOC: return "out of memory";
    default: return simdjson::error_message(e);
  }
}

}  // namespace

/// Parses the line with simdjson and gathers its fields; only JSON-level problems fail here.
/// Texts stay where simdjson put them (its string buffer, or the line for number tokens):
/// both live until the next line is parsed, and sinks consume a record within on_record.
bool jsonl_reader::impl::gather(std::string_view line, std::size_t readable_after, std::string& reason) {
  simdjson::padded_string_view input;
  if (readable_after >= simdjson::SIMDJSON_PADDING) {
    input = simdjson::padded_string_view(line.data(), line.size(), line.size() + readable_after);
  } else {
    scratch.assign(line);
    scratch.append(simdjson::SIMDJSON_PADDING, ' ');
    input = simdjson::padded_string_view(scratch.data(), line.size(), scratch.size());
  }
  if (gather_flat(input.data(), input.data() + line.size())) return true;
  fields.clear();
  if (line.size() > parser.capacity()) {
    // Grow geometrically so a file of ever-longer lines does not reallocate per line.
    const std::size_t want = std::max({line.size(), 2 * parser.capacity(), std::size_t{64} << 10});
    if (auto e = parser.allocate(want); e) {
      reason = "invalid JSON: " + json_error_text(e);
      return false;
    }
  }
  auto invalid = [&](simdjson::error_code e) {
    // Bad encoding outranks whatever JSON error it caused: a GBK trail byte can be 0x5C ('\')
    // and escape a closing quote, and the encoding hint is what the user needs.
    if (e == simdjson::UTF8_ERROR || detail::find_invalid_utf8(line) != std::string_view::npos)
      reason = detail::invalid_text_reason(line, encoding);
    else if (const std::size_t nul = line.find('\0'); nul != std::string_view::npos)
      // simdjson sees the end of its input at a NUL and calls a complete object unclosed.
      reason = fmt::format("invalid JSON: NUL byte at byte {}", nul + 1);
    else
      reason = "invalid JSON: " + json_error_text(e);
    return false;
  };

  od::document doc;
  if (auto e = parser.iterate(input).get(doc); e) return invalid(e);
  od::json_type top;
  if (auto e = doc.type().get(top); e) return invalid(e);
  if (top != od::json_type::object) {
    const char* what = top == od::json_type::array    ? "an array"
                       : top == od::json_type::string ? "a string"
                       : top == od::json_type::number ? "a number"
                       : top == od::json_type::boolean ? "a bool"
                                                       : "null";
    reason = fmt::format("expected a JSON object, got {}", what);
    return false;
  }
  od::object obj;
  if (auto e = doc.get_object().get(obj); e) return invalid(e);
  ++stamp;
  bool duplicate = false;
  std::uint32_t previous = name_count;  // "start of object" in next_key
  kind_at = ~std::size_t{0};
  for (auto result : obj) {
    od::field field;
    if (auto e = std::move(result).get(field); e) return invalid(e);
    pending_field& p = fields.emplace_back();
    const std::uint32_t guess = next_key[previous];
    if (guess != no_name && key_is(field.key().raw(), patterns[guess])) {
      p.name = guess;
      p.key = patterns[guess].name;
    } else {
      if (auto e = field.unescaped_key().get(p.key); e) return invalid(e);
      const std::uint32_t id = name_ids.find(p.key);
      p.name = id == detail::name_index::npos ? no_name : id;
      next_key[previous] = p.name;
    }
    if (p.name != no_name) {
      if (seen[p.name] == stamp && !duplicate) {
        duplicate = true;
        reason = fmt::format("duplicate key '{}'", p.key);
      }
      seen[p.name] = stamp;
      if (p.name == kind_name) kind_at = fields.size() - 1;
      previous = p.name;
    } else {
      previous = name_count + 1;  // after an unknown key: a slot of its own
    }
    od::value v = field.value();
    od::json_type t;
    if (auto e = v.type().get(t); e) return invalid(e);
    switch (t) {
      case od::json_type::string:
        if (auto e = v.get_string().get(p.text); e) return invalid(e);
        p.kind = json_kind::string;
        break;
      case od::json_type::number: {
        std::string_view token = v.raw_json_token();
        while (!token.empty() && is_json_space(token.back())) token.remove_suffix(1);
        // On-Demand does not validate a number we only look at; do it here so bad syntax
        // is "invalid JSON" whatever the field.
        if (!detail::is_json_number(token)) {
          invalid(simdjson::NUMBER_ERROR);
          if (reason == "invalid JSON: bad number") reason += " " + detail::clipped(token);
          return false;
        }
        p.kind = json_kind::number;
        p.text = token;
        break;
      }
      case od::json_type::boolean:
        // get_bool reports a misspelt literal ("tru") as a type error; it is bad JSON.
        if (v.get_bool().get(p.boolean) != simdjson::SUCCESS) return invalid(simdjson::T_ATOM_ERROR);
        p.kind = json_kind::boolean;
        break;
      case od::json_type::null: {
        bool is_null = false;
        // A misspelt null ("nul") comes back as a type error; it is bad JSON too.
        if (v.is_null().get(is_null) != simdjson::SUCCESS || !is_null) return invalid(simdjson::N_ATOM_ERROR);
        p.kind = json_kind::null_;
        break;
      }
      case od::json_type::object: p.kind = json_kind::object; break;  // left unread: skipped by simdjson
      case od::json_type::array: p.kind = json_kind::array; break;
    }
  }
  // simdjson 3.0 has no document::at_end(); a position past the last token means "done".
  const char* rest = nullptr;
  if (doc.current_location().get(rest) == simdjson::SUCCESS) {
    reason = "invalid JSON: unexpected text after the object";
    return false;
  }
  return !duplicate;
}

}  // namespace decorum
