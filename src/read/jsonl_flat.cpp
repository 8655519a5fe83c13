// src/read/jsonl_flat.cpp — entry point: jsonl_reader::impl::gather_flat. decorum's own
// scanner for the common JSON Lines line: one flat object whose keys and strings have no
// escapes. Taking such a line without simdjson saved about 10% of the instructions of a
// scored record end to end (bench/README.md); anything else goes to the simdjson fallback in
// src/read/jsonl_simdjson.cpp, this scanner having decided nothing.
#include "jsonl_impl.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cstring>

namespace decorum {

namespace detail {

key_pattern make_pattern(std::string_view name) {
  key_pattern k;
  k.name = name;
  k.plain = name.find_first_of("\"\\") == std::string_view::npos;
  char bytes[16] = {};
  std::memcpy(bytes, name.data(), std::min<std::size_t>(name.size(), 16));
  std::memcpy(k.word, bytes, 16);
  for (std::size_t i = 0; i < std::min<std::size_t>(name.size(), 16); ++i)
    k.mask[i / 8] |= std::uint64_t{0xFF} << (8 * (i % 8));
  return k;
}

}  // namespace detail

namespace {

using detail::is_json_space;
using detail::json_kind;
using detail::key_is;
using detail::no_name;
using detail::pending_field;
using detail::string_stop;

/// The bytes a JSON number token can hold; is_json_number then checks their order.
constexpr bool is_number_byte(char c) noexcept {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

}  // namespace

/// The common case without simdjson: one flat object, keys and strings without escapes,
/// numbers, literals. Anything else — an escape, a nested value, non-ASCII outside a string,
/// invalid UTF-8, a duplicate key, any syntax error — returns false having decided nothing,
/// and the line goes to simdjson, which gives the same fields or the error message. So this
/// path only has to be right about what it accepts. `end` is followed by at least
/// jsonl_padding readable bytes; texts are views into the line.
bool jsonl_reader::impl::gather_flat(const char* p, const char* end) {
  // *end is readable (padding), and most bytes are above ' ', so one compare usually ends it.
  auto skip_space = [&] {
    while (static_cast<unsigned char>(*p) <= ' ' && p < end && is_json_space(*p)) ++p;
  };
  skip_space();
  if (p >= end || *p != '{') return false;
  ++p;
  skip_space();
  ++stamp;
  std::uint32_t previous = name_count;  // "start of object" in next_key
  kind_at = ~std::size_t{0};
  if (p < end && *p == '}') {
    ++p;
  } else {
    for (;;) {
      if (p >= end || *p != '"') return false;
      ++p;
      pending_field& f = fields.emplace_back();
      const std::uint32_t guess = next_key[previous];
      if (guess != no_name && static_cast<std::size_t>(end - p) > patterns[guess].name.size() &&
          key_is(p, patterns[guess])) {
        f.name = guess;
        f.key = patterns[guess].name;
        p += f.key.size() + 1;
      } else {
        bool high = false;
        const std::size_t n = string_stop(p, end, high);
        if (high || p + n >= end || p[n] != '"') return false;
        f.key = std::string_view(p, n);
        p += n + 1;
        const std::uint32_t id = name_ids.find(f.key);
        f.name = id == detail::name_index::npos ? no_name : id;
        next_key[previous] = f.name;
      }
      if (f.name != no_name) {
        if (seen[f.name] == stamp) return false;  // simdjson's path words the duplicate
        seen[f.name] = stamp;
        if (f.name == kind_name) kind_at = fields.size() - 1;
        previous = f.name;
      } else {
        previous = name_count + 1;
      }
      skip_space();
      if (p >= end || *p != ':') return false;
      ++p;
      skip_space();
      if (p >= end) return false;
      const char c = *p;
      if (c == '"') {
        ++p;
        bool high = false;
        const std::size_t n = string_stop(p, end, high);
        if (p + n >= end || p[n] != '"') return false;
        if (high && !simdjson::validate_utf8(p, n)) return false;
        f.kind = json_kind::string;
        f.text = std::string_view(p, n);
        p += n + 1;
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        const char* q = p;
        while (q < end && is_number_byte(*q)) ++q;
        f.text = std::string_view(p, static_cast<std::size_t>(q - p));
        if (!detail::is_json_number(f.text)) return false;
        f.kind = json_kind::number;
        p = q;
      } else if (c == 't' && end - p >= 4 && std::memcmp(p, "true", 4) == 0) {
        f.kind = json_kind::boolean;
        f.boolean = true;
        p += 4;
      } else if (c == 'f' && end - p >= 5 && std::memcmp(p, "false", 5) == 0) {
        f.kind = json_kind::boolean;
        f.boolean = false;
        p += 5;
      } else if (c == 'n' && end - p >= 4 && std::memcmp(p, "null", 4) == 0) {
        f.kind = json_kind::null_;
        p += 4;
      } else {
        return false;
      }
      skip_space();
      if (p >= end) return false;
      if (*p == '}') {
        ++p;
        break;
      }
      if (*p != ',') return false;
      ++p;
      skip_space();
    }
  }
  skip_space();
  return p == end;
}

}  // namespace decorum
