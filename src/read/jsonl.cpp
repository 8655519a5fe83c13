// src/read/jsonl.cpp — entry points: decorum::jsonl_reader, decorum::read_jsonl. Parses JSON
// Lines with simdjson On-Demand into one reused `record`, strictly typed per SPEC §3. Numbers
// are read from their raw token so decimals stay exact (a double would turn 0.1 into
// 0.1000000000000000055…), and every field is gathered before any is judged, so malformed
// JSON is always reported as such, ahead of schema complaints.
#include "decorum/read/read.hpp"

#include <simdjson.h>

#include <fmt/format.h>

#include <cstring>
#include <string>
#include <algorithm>

namespace decorum {

static_assert(simdjson::SIMDJSON_PADDING <= detail::jsonl_padding, "read_input leaves too little room for simdjson");

namespace {

namespace od = simdjson::ondemand;

constexpr std::uint32_t no_name = 0xFFFF'FFFFu;

/// The JSON type of a gathered value.
enum class json_kind : std::uint8_t { string, number, boolean, null_, object, array };

/// One key/value of the line's object, gathered before the kind is known.
struct pending_field {
  std::uint32_t name = no_name;  ///< schema-wide field name id, or no_name
  std::string_view key;          ///< unescaped key (in the parser's string buffer)
  json_kind kind = json_kind::null_;
  std::string_view text;         ///< string: unescaped text in record storage; number: raw token
  bool boolean = false;
};

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

constexpr bool is_json_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool is_blank(std::string_view s) noexcept {
  for (char c : s)
    if (!is_json_space(c)) return false;
  return true;
}

/// A field name laid out for comparing against a raw (still escaped) key in place: the
/// name's first 16 bytes as two words plus masks for its length, so a match is two loads and
/// a byte check instead of unescaping the key and hashing it.
struct key_pattern {
  std::uint64_t word[2] = {0, 0};
  std::uint64_t mask[2] = {0, 0};
  std::string_view name;
  bool plain = false;  // no quote or backslash: a raw key equal to the bytes is the name
};

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

/// True when the raw key at `raw` (just past its opening quote, inside simdjson's padded
/// input, so 16 bytes past it are readable) is exactly `k.name`. The name has no quote or
/// backslash, so equal bytes followed by a quote can only be that key, unescaped or not.
inline bool key_is(const char* raw, const key_pattern& k) noexcept {
  if (!k.plain || raw[k.name.size()] != '"') return false;
  std::uint64_t a[2];
  std::memcpy(a, raw, 16);
  if (((a[0] ^ k.word[0]) & k.mask[0]) | ((a[1] ^ k.word[1]) & k.mask[1])) return false;
  return k.name.size() <= 16 || std::memcmp(raw + 16, k.name.data() + 16, k.name.size() - 16) == 0;
}

#if defined(__SSE2__)
/// Offset of the first '"', '\\' or control character at or after `p`; bytes up to
/// `limit` + 15 are readable. `high` gets whether a byte >= 0x80 came before it. The result
/// may lie past `limit` when none is found before it.
inline std::size_t string_stop(const char* p, const char* limit, bool& high) noexcept {
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), space = _mm_set1_epi8(0x20);
  unsigned seen_high = 0;
  for (const char* q = p;; q += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
    const unsigned signs = static_cast<unsigned>(_mm_movemask_epi8(v));
    // A signed compare below 0x20 also catches bytes >= 0x80; the sign bits take them out.
    const unsigned stop = static_cast<unsigned>(_mm_movemask_epi8(
                              _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)))) |
                          (static_cast<unsigned>(_mm_movemask_epi8(_mm_cmplt_epi8(v, space))) & ~signs);
    if (stop) {
      seen_high |= signs & ((stop & (0u - stop)) - 1);
      high = seen_high != 0;
      return static_cast<std::size_t>(q - p) + static_cast<std::size_t>(__builtin_ctz(stop));
    }
    seen_high |= signs;
    if (q + 16 > limit) {
      high = seen_high != 0;
      return static_cast<std::size_t>(limit - p) + 16;
    }
  }
}
#else
inline std::size_t string_stop(const char* p, const char* limit, bool& high) noexcept {
  high = false;
  const char* q = p;
  for (; q < limit; ++q) {
    const auto c = static_cast<unsigned char>(*q);
    if (c == '"' || c == '\\' || c < 0x20) break;
    high |= c >= 0x80;
  }
  return static_cast<std::size_t>(q - p);
}
#endif

constexpr bool is_number_byte(char c) noexcept {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
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

struct jsonl_reader::impl {
  explicit impl(const record_schema& s) : schema(&s) {
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
    for (auto n : names) patterns.push_back(make_pattern(n));
    next_key.assign(name_count + 2, no_name);
    slot_of.assign(s.kinds().size() * name_count, csv_header::no_slot);
    required.resize(s.kinds().size());
    for (std::size_t k = 0; k < s.kinds().size(); ++k) {
      for (const auto& f : s.kinds()[k].fields) {
        slot_of[k * name_count + name_ids.find(f.name)] = f.slot;
        if (f.required) required[k].push_back(f.slot);
      }
    }
    std::vector<std::string_view> kind_names;
    for (const auto& k : s.kinds()) kind_names.push_back(k.name);
    kinds = detail::name_index(kind_names);
    kind_name = name_ids.find("kind");
    seen.assign(name_count, 0);
    fields.reserve(32);
  }

  bool parse_line(std::string_view line, std::size_t readable_after, std::uint64_t line_no, std::uint32_t source,
                  std::string& reason);
  bool gather(std::string_view line, std::size_t readable_after, std::string& reason);
  bool gather_flat(const char* p, const char* end);
  bool judge(std::string& reason);

  const record_schema* schema;
  od::parser parser;
  record rec;
  std::vector<pending_field> fields;
  std::size_t kind_at = 0;                                      // index in fields of `kind`, or fields.size()
  std::string scratch;                                          // padded copy of lines near the end
  detail::name_index name_ids;                                  // field names of every kind
  std::vector<key_pattern> patterns;                            // by name id
  // name id (or name_count for "start of object") -> the key that followed it on the last
  // line that had it: logs repeat their key order, so this guess is nearly always right.
  std::vector<std::uint32_t> next_key;
  detail::name_index kinds;                                     // kind names
  std::vector<std::uint32_t> slot_of;                           // [kind * name_count + name] -> slot
  std::vector<std::vector<std::uint32_t>> required;             // kind -> slots of required fields
  std::uint32_t name_count = 0;
  std::uint32_t kind_name = 0;
  std::vector<std::uint64_t> seen;  // name id -> stamp of the last line that had it
  std::uint64_t stamp = 0;
  std::uint64_t sequence = 0;
  std::uint64_t lines = 0;
  text_encoding encoding = text_encoding::utf8;
};

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

/// Resolves the gathered fields against the schema into `rec`.
bool jsonl_reader::impl::judge(std::string& reason) {
  const pending_field* kind_field = kind_at < fields.size() ? &fields[kind_at] : nullptr;
  if (!kind_field || kind_field->kind == json_kind::null_) {
    reason = "missing required field 'kind'";
    return false;
  }
  if (kind_field->kind != json_kind::string) {
    reason = fmt::format("kind: expected text, got {}", shown(*kind_field));
    return false;
  }
  const std::uint32_t found = kinds.find(kind_field->text);
  const int k = found == detail::name_index::npos ? -1 : static_cast<int>(found);
  if (k < 0) {
    reason = detail::unknown_kind_reason(*schema, kind_field->text);
    return false;
  }
  const kind_schema& ks = schema->kinds()[static_cast<std::size_t>(k)];
  const std::uint32_t* slots = slot_of.data() + static_cast<std::size_t>(k) * name_count;
  for (const auto& p : fields) {
    if (p.name == no_name || slots[p.name] == csv_header::no_slot) {
      reason = detail::unknown_field_reason(ks, p.key);
      return false;
    }
  }
  rec.kind = k;
  value* values = rec.values.data();
  for (const auto& p : fields) {
    const std::uint32_t slot = slots[p.name];
    const field_schema& f = ks.fields[slot];
    value& v = values[slot];
    switch (p.kind) {
      case json_kind::string:
        if (slot == slot::kind) {
          v = value::of_text(p.text);
        } else if (slot == slot::employee && p.text.empty()) {
          reason = "employee: must not be empty";
          return false;
        } else if (!detail::convert_text_fast(f, p.text, false, v, reason, slot == slot::time ? &rec.time : nullptr)) {
          return false;
        }
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
      case json_kind::null_: break;  // SPEC: null is an absent field
    }
  }
  for (const std::uint32_t s : required[static_cast<std::size_t>(k)])
    if (!values[s].present()) return detail::check_required(ks, rec, reason);  // names the first missing
  return true;
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
