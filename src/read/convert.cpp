// src/read/convert.cpp — entry points: detail::convert_text, convert_number, parse_common_time
// and the rejection messages. Turning one field's text or JSON number into a typed value,
// and the words every reader uses for what was wrong: shared by JSON Lines, CSV, the record
// builder and rule tests, so a bad value is described the same way wherever it came from.
#include "decorum/read/read.hpp"

#include "decorum/base/text.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace decorum {

// ---------------------------------------------------------------------------------------
// Shared conversions and messages
// ---------------------------------------------------------------------------------------

namespace detail {

namespace {

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

/// Why decimal::parse refused a syntactically valid number, so the message can say which
/// limit was hit rather than a vague "bad number".
enum class number_failure { invalid, too_precise, out_of_range };

/// Classifies a number that decimal::parse refused. Accepts an optional sign and leading
/// zeros (CSV strips them before parsing anyway).
number_failure classify_number(std::string_view s) noexcept {
  std::size_t i = 0;
  const std::size_t n = s.size();
  if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
  const std::size_t int_start = i;
  while (i < n && is_digit(s[i])) ++i;
  const std::size_t int_end = i;
  if (int_end == int_start) return number_failure::invalid;
  std::size_t frac_start = i, frac_end = i;
  if (i < n && s[i] == '.') {
    frac_start = ++i;
    while (i < n && is_digit(s[i])) ++i;
    frac_end = i;
    if (frac_end == frac_start) return number_failure::invalid;
  }
  std::int64_t exponent = 0;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool negative = false;
    if (i < n && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
    if (i >= n || !is_digit(s[i])) return number_failure::invalid;
    while (i < n && is_digit(s[i])) {
      if (exponent < 1'000'000) exponent = exponent * 10 + (s[i] - '0');  // saturate
      ++i;
    }
    if (negative) exponent = -exponent;
  }
  if (i != n) return number_failure::invalid;
  // The value is digits × 10^(exponent − fraction length); the last nonzero digit decides
  // how many decimals it needs.
  std::int64_t last_nonzero_power = 0;
  bool any_nonzero = false;
  // Walk digits from the right: fraction digits have negative powers, integer digits >= 0.
  std::int64_t power = -static_cast<std::int64_t>(frac_end - frac_start);
  for (std::size_t k = frac_end; k > frac_start; --k, ++power)
    if (s[k - 1] != '0' && !any_nonzero) any_nonzero = true, last_nonzero_power = power;
  for (std::size_t k = int_end; k > int_start; --k, ++power)
    if (s[k - 1] != '0' && !any_nonzero) any_nonzero = true, last_nonzero_power = power;
  if (any_nonzero && last_nonzero_power + exponent < -decimal::digits) return number_failure::too_precise;
  return number_failure::out_of_range;
}

/// The allowed values of an enum, as messages list them.
std::string enum_list(const field_schema& f) {
  std::string s;
  for (std::size_t i = 0; i < f.enum_values.size(); ++i) {
    if (i) s += ", ";
    s += f.enum_values[i];
  }
  return s;
}

}  // namespace

std::string expected_phrase(const field_schema& f) {
  switch (f.type) {
    case field_type::int_: return "int";
    case field_type::number: return "number";
    case field_type::text: return "text";
    case field_type::boolean: return "bool";
    case field_type::time: return "ISO 8601 time";
    case field_type::duration: return "duration like 90s or 5m";
    case field_type::enumeration: return "one of " + enum_list(f);
  }
  return "?";
}

std::string type_mismatch_reason(const field_schema& f, std::string_view shown) {
  return fmt::format("{}: expected {}, got {}", f.name, expected_phrase(f), shown);
}

bool ascii_iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

namespace {

/// CSV spellings of bool (SPEC §3): yes/no, true/false, 1/0, 是/否, any case.
std::optional<bool> parse_csv_bool(std::string_view s) noexcept {
  if (ascii_iequals(s, "true") || ascii_iequals(s, "yes") || s == "1" || s == "是") return true;
  if (ascii_iequals(s, "false") || ascii_iequals(s, "no") || s == "0" || s == "否") return false;
  return std::nullopt;
}

/// CSV number text: JSON number syntax, but spreadsheets pad with zeros ("05"), so leading
/// zeros are dropped before decimal::parse, which follows JSON and would refuse them.
std::optional<decimal> parse_csv_decimal(std::string_view s) noexcept {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty() || !is_digit(s[0])) return std::nullopt;
  std::size_t zeros = 0;
  while (zeros + 1 < s.size() && s[zeros] == '0' && is_digit(s[zeros + 1])) ++zeros;
  std::optional<decimal> d = decimal::parse(s.substr(zeros));
  if (d && negative) return -*d;
  return d;
}

/// The reason for a number that did not parse, for fields of `f`'s type.
std::string number_failure_reason(const field_schema& f, std::string_view shown, number_failure why) {
  if (why == number_failure::invalid || (why == number_failure::too_precise && f.type == field_type::int_))
    return type_mismatch_reason(f, shown);
  if (why == number_failure::too_precise) return fmt::format("{}: {} has more than 6 decimal places", f.name, shown);
  return fmt::format("{}: {} is out of range", f.name, shown);
}

/// Finishes a parsed number for its field type (int must be integral). `show` makes the
/// value's text for a message; it is called only on failure, so accepting allocates nothing.
template <class Show>
bool accept_number(const field_schema& f, decimal d, Show show, value& out, std::string& reason) {
  if (f.type == field_type::int_ && !d.is_integer()) {
    reason = fmt::format("{}: expected int, got {}", f.name, show());
    return false;
  }
  out = value::of_number(d);
  return true;
}

constexpr unsigned digit_at(std::string_view s, std::size_t i) noexcept {
  return static_cast<unsigned>(static_cast<unsigned char>(s[i])) - '0';
}

}  // namespace

// Fixed offsets instead of parse_time's general scan. Any doubt (other spelling, a part out
// of range) returns false and leaves the verdict to parse_time, so both paths accept the same
// texts the same way.
bool parse_common_time(std::string_view s, timestamp& t) noexcept {
  const std::size_t n = s.size();
  if (n < 16 || s[4] != '-' || s[7] != '-' || s[13] != ':') return false;
  const char sep = s[10];
  if (sep != 'T' && sep != ' ' && sep != 't') return false;
  constexpr std::size_t date_digits[] = {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15};
  unsigned bad = 0;
  for (std::size_t i : date_digits) bad |= digit_at(s, i) > 9 ? 1u : 0u;
  std::size_t i = 16;
  unsigned ss = 0;
  if (n >= 19 && s[16] == ':') {
    bad |= (digit_at(s, 17) > 9 ? 1u : 0u) | (digit_at(s, 18) > 9 ? 1u : 0u);
    ss = digit_at(s, 17) * 10 + digit_at(s, 18);
    i = 19;
  }
  if (bad) return false;
  const unsigned hh = digit_at(s, 11) * 10 + digit_at(s, 12);
  const unsigned mm = digit_at(s, 14) * 10 + digit_at(s, 15);
  if (hh > 23 || mm > 59 || ss > 60) return false;
  // Logs come in time order, so nearly every record falls on the previous one's date: a
  // ten-byte compare then replaces the calendar arithmetic. Per thread, so readers on
  // different threads never share it.
  struct date_cache {
    std::uint64_t head = 0;     // "YYYY-MM-" as bytes
    std::uint16_t tail = 0;     // "DD"
    std::int64_t days = 0;
    bool valid = false;
  };
  static thread_local date_cache cache;
  std::uint64_t head;
  std::uint16_t tail;
  std::memcpy(&head, s.data(), 8);
  std::memcpy(&tail, s.data() + 8, 2);
  std::int64_t days;
  if (cache.valid && cache.head == head && cache.tail == tail) {
    days = cache.days;
  } else {
    const int year = static_cast<int>(digit_at(s, 0) * 1000 + digit_at(s, 1) * 100 + digit_at(s, 2) * 10 + digit_at(s, 3));
    const unsigned month = digit_at(s, 5) * 10 + digit_at(s, 6);
    const unsigned day = digit_at(s, 8) * 10 + digit_at(s, 9);
    if (year < 1 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) return false;
    days = days_from_civil(year, month, day);
    cache = date_cache{head, tail, days, true};
  }
  timestamp r;
  if (i == n) {
    // no offset
  } else if (i + 1 == n && (s[i] == 'Z' || s[i] == 'z')) {
    r.has_offset = true;
  } else if (i + 6 == n && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':' && digit_at(s, i + 1) <= 9 &&
             digit_at(s, i + 2) <= 9 && digit_at(s, i + 4) <= 9 && digit_at(s, i + 5) <= 9) {
    const unsigned oh = digit_at(s, i + 1) * 10 + digit_at(s, i + 2);
    const unsigned om = digit_at(s, i + 4) * 10 + digit_at(s, i + 5);
    if (oh > 23 || om > 59) return false;
    r.has_offset = true;
    r.offset_minutes = (s[i] == '-' ? -1 : 1) * static_cast<std::int32_t>(oh * 60 + om);
  } else {
    return false;
  }
  if (ss == 60) ss = 59;  // as parse_time: a leap second stays in its minute
  r.local_seconds = days * 86400 + static_cast<std::int64_t>(hh * 3600 + mm * 60 + ss);
  t = r;
  return true;
}

namespace {

}  // namespace

std::string clipped(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) return std::string(text);
  std::size_t cut = limit;
  // Back up to a character start so the message itself stays valid UTF-8.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  std::string s(text.substr(0, cut));
  s += "…";
  return s;
}

std::string shown_text(std::string_view text) {
  std::string s = "\"";
  append_json_escaped(s, clipped(text));
  s += '"';
  return s;
}

bool is_json_number(std::string_view s) noexcept {
  std::size_t i = 0;
  const std::size_t n = s.size();
  if (i < n && s[i] == '-') ++i;
  if (i >= n || !is_digit(s[i])) return false;
  if (s[i] == '0') {
    ++i;
  } else {
    while (i < n && is_digit(s[i])) ++i;
  }
  if (i < n && s[i] == '.') {
    ++i;
    if (i >= n || !is_digit(s[i])) return false;
    while (i < n && is_digit(s[i])) ++i;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (i >= n || !is_digit(s[i])) return false;
    while (i < n && is_digit(s[i])) ++i;
  }
  return i == n;
}

bool convert_text(const field_schema& f, std::string_view text, bool from_csv, value& out, std::string& reason,
                  timestamp* time) {
  switch (f.type) {
    case field_type::text: out = value::of_text(text); return true;
    case field_type::enumeration:
      for (std::size_t i = 0; i < f.enum_values.size(); ++i)
        if (f.enum_values[i] == text) {
          out = value::of_enum(text, i);
          return true;
        }
      reason = fmt::format("{}: {} is not one of {}", f.name, shown_text(text), enum_list(f));
      return false;
    case field_type::time: {
      timestamp t;
      if (!parse_common_time(text, t)) {
        const std::optional<timestamp> general = parse_time(text);
        if (!general) break;
        t = *general;
      }
      out = value::of_time(t.local_seconds);
      if (time) *time = t;
      return true;
    }
    case field_type::duration: {
      const std::optional<decimal> d = parse_duration(text);
      if (!d) break;
      out = value::of_duration(*d);
      return true;
    }
    case field_type::boolean: {
      if (!from_csv) break;  // JSON is strict: true/false literals only
      const std::optional<bool> b = parse_csv_bool(text);
      if (!b) break;
      out = value::of_bool(*b);
      return true;
    }
    case field_type::int_:
    case field_type::number: {
      if (!from_csv) break;  // SPEC: a number inside a JSON string is rejected
      const std::optional<decimal> d = parse_csv_decimal(text);
      if (d) return accept_number(f, *d, [&] { return shown_text(text); }, out, reason);
      std::string_view digits = text;
      if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) digits.remove_prefix(1);
      reason = number_failure_reason(f, shown_text(text), classify_number(digits));
      return false;
    }
  }
  reason = type_mismatch_reason(f, shown_text(text));
  return false;
}

bool convert_number(const field_schema& f, std::string_view token, value& out, std::string& reason) {
  const auto shown = [&] { return clipped(token); };
  switch (f.type) {
    case field_type::int_:
    case field_type::number:
    case field_type::duration: {
      const std::optional<decimal> d = decimal::parse(token);
      if (!d) {
        reason = number_failure_reason(f, shown(), classify_number(token));
        return false;
      }
      if (f.type != field_type::duration) return accept_number(f, *d, shown, out, reason);
      if (d->raw() < 0) {
        reason = type_mismatch_reason(f, shown());
        return false;
      }
      out = value::of_duration(*d);
      return true;
    }
    default: break;
  }
  reason = type_mismatch_reason(f, shown());
  return false;
}

std::string unknown_kind_reason(const record_schema& schema, std::string_view kind) {
  std::string hint;
  // did_you_mean is quadratic in the word: only worth it (and only safe) for short words.
  if (kind.size() <= 64) {
    std::vector<std::string_view> names;
    for (const auto& k : schema.kinds()) names.push_back(k.name);
    hint = detail::did_you_mean(kind, names);
  }
  std::string s = fmt::format("unknown kind '{}'", clipped(kind));
  if (!hint.empty()) s += fmt::format("; did you mean '{}'?", hint);
  return s;
}

std::string unknown_field_reason(const kind_schema& kind, std::string_view field) {
  std::string hint;
  if (field.size() <= 64) {
    std::vector<std::string_view> names;
    for (const auto& f : kind.fields) names.push_back(f.name);
    hint = detail::did_you_mean(field, names);
  }
  std::string s = fmt::format("unknown field '{}' for kind '{}'", clipped(field), kind.name);
  if (!hint.empty()) s += fmt::format("; did you mean '{}'?", hint);
  return s;
}

std::string invalid_text_reason(std::string_view record_text, text_encoding source_encoding) {
  const std::size_t at = find_invalid_utf8(record_text);
  switch (source_encoding) {
    case text_encoding::utf8:
    case text_encoding::automatic:
      // Detection read the file as mostly UTF-8 (these bytes are strays) or decoded it from
      // a legacy encoding that this record does not fit: either way, the GB18030 hint is
      // what a log from Excel needs.
      if (at == std::string_view::npos) return "invalid UTF-8; if the log came from Excel try --encoding gb18030";
      return fmt::format("invalid UTF-8 at byte {}; if the log came from Excel try --encoding gb18030", at + 1);
    default: {
      // The transcoder marks undecodable bytes; positions in the UTF-8 text would not match
      // the file, so the message names the encoding instead of a byte.
      const char* name = source_encoding == text_encoding::gbk       ? "GBK"
                         : source_encoding == text_encoding::gb18030 ? "GB18030"
                         : source_encoding == text_encoding::utf16le ? "UTF-16LE"
                                                                     : "UTF-16BE";
      return fmt::format("bytes that are not valid {}; check --encoding", name);
    }
  }
}

bool check_required(const kind_schema& kind, const record& r, std::string& reason) {
  for (const auto& f : kind.fields) {
    if (f.required && (f.slot >= r.values.size() || !r.values[f.slot].present())) {
      reason = fmt::format("missing required field '{}'", f.name);
      return false;
    }
  }
  return true;
}

name_index::name_index(std::vector<std::string_view> names) : names_(std::move(names)) {
  std::size_t size = 8;  // never empty, so find needs no check
  while (size < 4 * names_.size()) size *= 2;  // load factor <= 1/4 keeps probes short
  table_.assign(size, npos);
  mask_ = size - 1;
  for (std::size_t id = 0; id < names_.size(); ++id) {
    if (find(names_[id]) != npos) continue;  // a repeated name keeps its first index
    std::size_t i = hash(names_[id]) & mask_;
    while (table_[i] != npos) i = (i + 1) & mask_;
    table_[i] = static_cast<std::uint32_t>(id);
  }
}

}  // namespace detail

}  // namespace decorum
