// src/api/partial_json.hpp — entry points: detail::put_string, detail::put_decimal,
// detail::partial_reader, write_across, read_across. The JSON pieces partial results are
// written and read with (partial.cpp), shared with the section for rules across records
// (partial_across.cpp).
#pragma once

#include "decorum/base/chrono.hpp"
#include "decorum/base/decimal.hpp"
#include "decorum/read/read.hpp"
#include "decorum/tally/state.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace decorum::detail {

/// Appends `s` as a JSON string.
inline void put_string(std::string& out, std::string_view s) {
  out += '"';
  append_json_escaped(out, s);
  out += '"';
}

/// Appends a decimal as a JSON string of its exact value. Decimals travel as strings of their exact value: a JSON number would invite readers
/// (and writers) to go through binary floating point.
inline void put_decimal(std::string& out, decimal d) { put_string(out, d.to_string()); }

/// Appends `"points":…,"fine":…,"matched":…}`, the end of a saved finding or duty.
inline void put_priced(std::string& out, decimal points, decimal fine, std::string_view matched) {
  out += "\"points\":";
  put_decimal(out, points);
  out += ",\"fine\":";
  put_decimal(out, fine);
  out += ",\"matched\":";
  put_string(out, matched);
  out += '}';
}

/// Reads typed values out of the DOM, remembering the first failure with its key path.
class partial_reader {
 public:
  std::string error;

  bool fail(std::string_view path, std::string_view what) {
    if (error.empty()) error = path.empty() ? std::string(what) : fmt::format("{}: {}", path, what);
    return false;
  }

  bool field(simdjson::dom::object o, std::string_view path, std::string_view key, simdjson::dom::element& out) {
    if (o[key].get(out) != simdjson::SUCCESS) return fail(path, fmt::format("missing key '{}'", key));
    return true;
  }
  bool text(simdjson::dom::element e, std::string_view path, std::string& out) {
    std::string_view s;
    if (e.get_string().get(s) != simdjson::SUCCESS) return fail(path, "expected a string");
    out.assign(s);
    return true;
  }
  bool integer(simdjson::dom::element e, std::string_view path, std::int64_t& out) {
    if (e.get_int64().get(out) != simdjson::SUCCESS) return fail(path, "expected an integer");
    return true;
  }
  bool flag(simdjson::dom::element e, std::string_view path, bool& out) {
    if (e.get_bool().get(out) != simdjson::SUCCESS) return fail(path, "expected true or false");
    return true;
  }
  bool count(simdjson::dom::element e, std::string_view path, std::uint64_t& out) {
    if (e.get_uint64().get(out) != simdjson::SUCCESS) return fail(path, "expected a non-negative integer");
    return true;
  }
  bool index(simdjson::dom::element e, std::string_view path, std::uint32_t& out, std::size_t limit) {
    std::uint64_t v = 0;
    if (!count(e, path, v)) return false;
    if (v >= limit) return fail(path, fmt::format("index {} out of range (0–{})", v, limit == 0 ? 0 : limit - 1));
    out = static_cast<std::uint32_t>(v);
    return true;
  }
  bool number(simdjson::dom::element e, std::string_view path, decimal& out) {
    std::string_view s;
    if (e.get_string().get(s) != simdjson::SUCCESS) return fail(path, "expected a decimal as a string (\"-10.5\")");
    auto d = decimal::parse(s);
    if (!d) return fail(path, fmt::format("\"{}\" is not an exact decimal", detail::clipped(s)));
    out = *d;
    return true;
  }
  bool time(simdjson::dom::element e, std::string_view path, timestamp& out) {
    std::string_view s;
    if (e.get_string().get(s) != simdjson::SUCCESS) return fail(path, "expected an ISO time string");
    auto t = parse_time(s);
    if (!t) return fail(path, fmt::format("\"{}\" is not an ISO time", detail::clipped(s)));
    out = *t;
    return true;
  }
  bool array(simdjson::dom::element e, std::string_view path, simdjson::dom::array& out) {
    if (e.get_array().get(out) != simdjson::SUCCESS) return fail(path, "expected an array");
    return true;
  }
  bool object(simdjson::dom::element e, std::string_view path, simdjson::dom::object& out) {
    if (e.get_object().get(out) != simdjson::SUCCESS) return fail(path, "expected an object");
    return true;
  }

  // Reading one key of an object at `path`: a missing key fails at `path`, a value of the
  // wrong type at `path.key`.
  /// Reads `key` of `o` with `read(element, key_path)`.
  template <class Read>
  bool at(simdjson::dom::object o, std::string_view path, std::string_view key, Read&& read) {
    simdjson::dom::element e;
    if (!field(o, path, key, e)) return false;
    return read(e, path.empty() ? std::string(key) : fmt::format("{}.{}", path, key));
  }
  /// A string key.
  bool text_at(simdjson::dom::object o, std::string_view path, std::string_view key, std::string& out) {
    return at(o, path, key, [&](simdjson::dom::element e, const std::string& p) { return text(e, p, out); });
  }
  /// A non-negative integer key.
  bool count_at(simdjson::dom::object o, std::string_view path, std::string_view key, std::uint64_t& out) {
    return at(o, path, key, [&](simdjson::dom::element e, const std::string& p) { return count(e, p, out); });
  }
  /// An integer key.
  bool integer_at(simdjson::dom::object o, std::string_view path, std::string_view key, std::int64_t& out) {
    return at(o, path, key, [&](simdjson::dom::element e, const std::string& p) { return integer(e, p, out); });
  }
  /// A boolean key.
  bool flag_at(simdjson::dom::object o, std::string_view path, std::string_view key, bool& out) {
    return at(o, path, key, [&](simdjson::dom::element e, const std::string& p) { return flag(e, p, out); });
  }
  /// An index below `limit`.
  bool index_at(simdjson::dom::object o, std::string_view path, std::string_view key, std::uint32_t& out, std::size_t limit) {
    return at(o, path, key, [&](simdjson::dom::element e, const std::string& p) { return index(e, p, out, limit); });
  }
  /// A decimal written as a string.
  bool number_at(simdjson::dom::object o, std::string_view path, std::string_view key, decimal& out) {
    return at(o, path, key, [&](simdjson::dom::element e, const std::string& p) { return number(e, p, out); });
  }
  /// An ISO time string.
  bool time_at(simdjson::dom::object o, std::string_view path, std::string_view key, timestamp& out) {
    return at(o, path, key, [&](simdjson::dom::element e, const std::string& p) { return time(e, p, out); });
  }
  /// An array of objects under `key`: each appended to `out` and read by
  /// `read(object, item_path, item)`, item paths `path.key[i]`.
  template <class V, class Read>
  bool each(simdjson::dom::object o, std::string_view path, std::string_view key, V& out, Read&& read) {
    return at(o, path, key, [&](simdjson::dom::element e, const std::string& p) {
      simdjson::dom::array items;
      if (!array(e, p, items)) return false;
      for (simdjson::dom::element item : items) {
        const std::string item_path = fmt::format("{}[{}]", p, out.size());
        auto& x = out.emplace_back();
        simdjson::dom::object io;
        if (!object(item, item_path, io) || !read(io, item_path, x)) return false;
      }
      return true;
    });
  }
};

/// Appends the `"across"` key of a partial result (windows, duties, discharges, first and
/// latest times; SPEC §8) after the other keys, with its leading comma.
void write_across(std::string& out, const scorer_state& st);

/// Reads the `"across"` object of a partial result into `st`; false with rd.error set.
bool read_across(partial_reader& rd, simdjson::dom::object top, scorer_state& st);

}  // namespace decorum::detail
