// src/read_input.cpp — entry point: decorum::read_input. The file-level driver of the log
// readers: reads a file in blocks (through iconv for gbk/gb18030), hands whole records to the
// JSON Lines or CSV reader and carries a straddling record to the next block. Also holds the
// value conversions and rejection messages both formats share.
#include "decorum/read.hpp"

#include "split_mapped.hpp"

#include "decorum/detail/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <cerrno>
#include <cstring>
#include <memory>

#include <fcntl.h>
#include <iconv.h>
#include <sys/stat.h>
#include <unistd.h>

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

namespace {

/// `b` must be lower case; only ASCII folds, so 是/否 compare exactly.
bool ascii_iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

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
  if (source_encoding != text_encoding::utf8) {
    // The transcoder marks undecodable bytes; positions in the UTF-8 text would not match
    // the file, so the message names the encoding instead of a byte.
    return fmt::format("bytes that are not valid {}; check --encoding",
                       source_encoding == text_encoding::gbk ? "GBK" : "GB18030");
  }
  const std::size_t at = find_invalid_utf8(record_text);
  if (at == std::string_view::npos) return "invalid UTF-8; if the log came from Excel try --encoding gb18030";
  return fmt::format("invalid UTF-8 at byte {}; if the log came from Excel try --encoding gb18030", at + 1);
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

std::uint64_t count_newlines(std::string_view text) noexcept {
  // 16 bytes a step: the compare gives -1 per line break, subtracted into byte counters that
  // are summed (psadbw) before they can wrap. A memchr call per line cost about a hundred
  // cycles per line; this costs a few.
  const char* p = text.data();
  std::size_t size = text.size();
  std::uint64_t n = 0;
#if defined(__SSE2__)
  const __m128i newline = _mm_set1_epi8('\n');
  while (size >= 16) {
    const std::size_t steps = std::min<std::size_t>(size / 16, 255);
    __m128i counts = _mm_setzero_si128();
    for (std::size_t k = 0; k < steps; ++k, p += 16)
      counts = _mm_sub_epi8(counts, _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), newline));
    const __m128i sums = _mm_sad_epu8(counts, _mm_setzero_si128());
    n += static_cast<std::uint64_t>(_mm_cvtsi128_si64(sums)) +
         static_cast<std::uint64_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums)));
    size -= steps * 16;
  }
#endif
  for (std::size_t i = 0; i < size; ++i) n += p[i] == '\n';
  return n;
}

#if defined(__SSE2__)
namespace {

/// Bit i set where byte i of the 64 at `p` equals `c`.
inline std::uint64_t byte_mask64(const char* p, __m128i c) noexcept {
  const auto part = [&](int k) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    return static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, c))));
  };
  return part(0) | part(1) << 16 | part(2) << 32 | part(3) << 48;
}

/// Bit i set when an odd number of bits at or below i are set: with quote bits in, the
/// bytes inside quotes. Shifts, since carry-less multiply is not baseline x86-64.
inline std::uint64_t prefix_xor(std::uint64_t m) noexcept {
  m ^= m << 1;
  m ^= m << 2;
  m ^= m << 4;
  m ^= m << 8;
  m ^= m << 16;
  m ^= m << 32;
  return m;
}

/// For 64 bytes at `p` and the quote state before them: the line breaks outside quotes, and
/// the state after them. A line break is no quote, so the parity at its bit is the parity
/// before it.
inline std::uint64_t csv_record_ends64(const char* p, bool& in_quotes) noexcept {
  const std::uint64_t quotes = byte_mask64(p, _mm_set1_epi8('"'));
  const std::uint64_t breaks = byte_mask64(p, _mm_set1_epi8('\n'));
  if (quotes == 0) return in_quotes ? 0 : breaks;  // most blocks: the state stays as it is
  const std::uint64_t inside = prefix_xor(quotes) ^ (in_quotes ? ~std::uint64_t{0} : 0);
  in_quotes = (inside >> 63) != 0;
  return breaks & ~inside;
}

}  // namespace
#endif

std::size_t boundary_scanner::scan(std::string_view text, std::size_t from) noexcept {
  const char* p = text.data();
  const std::size_t n = text.size();
  if (from >= n) return std::string_view::npos;
  if (format == input_format::jsonl) {
    const void* hit = ::memrchr(p + from, '\n', n - from);
    return hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - p) + 1 : std::string_view::npos;
  }
  // CSV: a line break ends a record only outside quotes. A doubled quote toggles twice, so
  // quote parity is the whole state machine.
  std::size_t last = std::string_view::npos;
  std::size_t i = from;
#if defined(__SSE2__)
  // 64 bytes a step as bit masks: a memchr and a quote count per line cost far more on
  // rows of a hundred bytes.
  for (; i + 64 <= n; i += 64)
    if (const std::uint64_t ends = csv_record_ends64(p + i, in_quotes))
      last = i + 64 - static_cast<std::size_t>(__builtin_clzll(ends));
  if (i < n) {
    alignas(16) char tail[64] = {};  // zeros are neither quotes nor line breaks
    std::memcpy(tail, p + i, n - i);
    if (const std::uint64_t ends = csv_record_ends64(tail, in_quotes))
      last = i + 64 - static_cast<std::size_t>(__builtin_clzll(ends));
  }
#else
  while (i < n) {
    const void* hit = std::memchr(p + i, '\n', n - i);
    const std::size_t end = hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - p) : n;
    if (std::count(p + i, p + end, '"') & 1) in_quotes = !in_quotes;
    if (!hit) break;
    if (!in_quotes) last = end + 1;
    i = end + 1;
  }
#endif
  return last;
}

std::size_t boundary_scanner::first(std::string_view text, std::size_t from) noexcept {
  const char* p = text.data();
  const std::size_t n = text.size();
  std::size_t i = from;
#if defined(__SSE2__)
  if (format == input_format::csv) {
    for (; i < n; i += 64) {
      std::uint64_t ends;
      if (i + 64 <= n) {
        ends = csv_record_ends64(p + i, in_quotes);
      } else {
        alignas(16) char tail[64] = {};
        std::memcpy(tail, p + i, n - i);
        ends = csv_record_ends64(tail, in_quotes);
      }
      if (ends) {
        in_quotes = false;  // the state at the end returned, not at the block's end
        return i + static_cast<std::size_t>(__builtin_ctzll(ends)) + 1;
      }
    }
    return std::string_view::npos;
  }
#endif
  while (i < n) {
    const void* hit = std::memchr(p + i, '\n', n - i);
    const std::size_t end = hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - p) : n;
    if (format == input_format::csv && (std::count(p + i, p + end, '"') & 1)) in_quotes = !in_quotes;
    if (!hit) break;
    if (!in_quotes) return end + 1;
    i = end + 1;
  }
  return std::string_view::npos;
}

bool is_blank_line(std::string_view s) noexcept {
  for (char c : s)
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
  return true;
}

std::optional<csv_header> resolve_header(const record_schema& schema, const std::string& name,
                                         std::string_view header_text, std::uint64_t line, diagnostic& error_out) {
  std::string error;
  std::size_t error_offset = std::string_view::npos;
  std::optional<csv_header> header = parse_csv_header_at(schema, header_text, error, error_offset);
  if (header) return header;
  // Line numbers in the source text count from the header's line.
  std::string text(line > 1 ? line - 1 : 0, '\n');
  text.append(header_text);
  auto src = std::make_shared<const source_file>(name, std::move(text));
  error_out.file = name;
  error_out.pos = source_pos{static_cast<std::uint32_t>(line), 0};
  if (error_offset != std::string_view::npos) error_out.pos = src->position_of(static_cast<std::size_t>(line - 1) + error_offset);
  error_out.message = std::move(error);
  error_out.source = std::move(src);
  return std::nullopt;
}

}  // namespace detail

std::size_t last_record_boundary(std::string_view block, input_format format) noexcept {
  detail::boundary_scanner scanner{format, false};
  const std::size_t b = scanner.scan(block, 0);
  return b == std::string_view::npos ? 0 : b;
}

std::optional<input_format> format_from_path(std::string_view path) {
  const std::size_t slash = path.find_last_of('/');
  const std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const std::size_t dot = base.find_last_of('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const std::string_view ext = base.substr(dot + 1);
  if (detail::ascii_iequals(ext, "jsonl") || detail::ascii_iequals(ext, "ndjson")) return input_format::jsonl;
  if (detail::ascii_iequals(ext, "csv")) return input_format::csv;
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------
// The block driver
// ---------------------------------------------------------------------------------------

namespace {

/// strerror in the lower-case style of diagnostics.
std::string errno_text(int err) {
  std::string s = std::strerror(err);
  if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') s[0] = static_cast<char>(s[0] - 'A' + 'a');
  return s;
}

/// Reads until `cap` bytes or end of file, so pipes that deliver little at a time still give
/// full blocks. Returns false on a read error (errno set).
bool read_fully(int fd, char* dest, std::size_t cap, std::size_t& got) {
  got = 0;
  while (got < cap) {
    const ssize_t r = ::read(fd, dest + got, cap - got);
    if (r < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    if (r == 0) break;
    got += static_cast<std::size_t>(r);
  }
  return true;
}

/// Supplies UTF-8 text block by block: straight from the file, or decoded by iconv. An
/// undecodable byte becomes 0xFF, which is never valid UTF-8, so only the record holding it
/// is rejected rather than the whole file.
class text_source {
 public:
  text_source(int fd, text_encoding enc, std::size_t block_size) : fd_(fd) {
    if (enc == text_encoding::utf8) return;
    cd_ = ::iconv_open("UTF-8", enc == text_encoding::gbk ? "GBK" : "GB18030");
    if (cd_ == reinterpret_cast<iconv_t>(-1)) return;
    raw_cap_ = block_size;
    raw_.reset(new char[raw_cap_]);
  }
  ~text_source() {
    if (transcoding()) ::iconv_close(cd_);
  }
  text_source(const text_source&) = delete;
  text_source& operator=(const text_source&) = delete;

  /// False when the encoding is not supported by this system's iconv.
  bool usable(text_encoding enc) const noexcept { return enc == text_encoding::utf8 || transcoding(); }

  /// Fills up to `cap` bytes (cap >= 16); got == 0 means end of input. False on a read error.
  bool fill(char* dest, std::size_t cap, std::size_t& got) {
    if (!transcoding()) return read_fully(fd_, dest, cap, got);
    char* out = dest;
    std::size_t out_left = cap;
    // 16 bytes leave room for any one character (UTF-8 needs at most 4), so iconv always
    // makes progress and E2BIG only means "block full".
    while (out_left >= 16) {
      if (!raw_eof_ && raw_end_ - raw_begin_ < 16) {
        std::memmove(raw_.get(), raw_.get() + raw_begin_, raw_end_ - raw_begin_);
        raw_end_ -= raw_begin_;
        raw_begin_ = 0;
        std::size_t n = 0;
        if (!read_fully(fd_, raw_.get() + raw_end_, raw_cap_ - raw_end_, n)) return false;
        if (n == 0) raw_eof_ = true;
        raw_end_ += n;
      }
      if (raw_begin_ == raw_end_) {
        if (raw_eof_) break;
        continue;
      }
      char* in = raw_.get() + raw_begin_;
      std::size_t in_left = raw_end_ - raw_begin_;
      const std::size_t r = ::iconv(cd_, &in, &in_left, &out, &out_left);
      raw_begin_ = static_cast<std::size_t>(in - raw_.get());
      if (r != static_cast<std::size_t>(-1)) continue;
      const int err = errno;
      if (err == E2BIG) break;
      if (err == EINVAL && !raw_eof_ && raw_end_ - raw_begin_ < 16) continue;  // sequence split by the read
      // EILSEQ, or a sequence cut off by the end of the file.
      *out++ = '\xFF';
      --out_left;
      raw_begin_ = err == EINVAL && raw_eof_ ? raw_end_ : raw_begin_ + 1;
    }
    got = static_cast<std::size_t>(out - dest);
    return true;
  }

 private:
  bool transcoding() const noexcept { return raw_ != nullptr; }

  int fd_;
  iconv_t cd_ = reinterpret_cast<iconv_t>(-1);
  std::unique_ptr<char[]> raw_;
  std::size_t raw_cap_ = 0, raw_begin_ = 0, raw_end_ = 0;
  bool raw_eof_ = false;
};

/// Closes a file descriptor we opened (never standard input).
struct fd_guard {
  int fd = -1;
  ~fd_guard() {
    if (fd > 0) ::close(fd);
  }
};


}  // namespace

input_result split_input(const record_schema& schema, const std::string& path, input_format format,
                         text_encoding enc, std::uint32_t source, chunk_handler& handler, std::size_t block_size) {
  input_result result;
  const std::string name = path == "-" ? "<stdin>" : path;
  auto fail = [&](std::string message, source_pos pos = {}, std::shared_ptr<const source_file> src = nullptr) {
    result.ok = false;
    diagnostic d;
    d.file = name;
    d.pos = pos;
    d.message = std::move(message);
    d.source = std::move(src);
    result.fatal = std::move(d);
    return result;
  };

  fd_guard guard;
  int fd = 0;
  if (path != "-") {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return fail(fmt::format("cannot open log: {}", errno_text(errno)));
    guard.fd = fd;
  }
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) return fail("is a directory, not a log file");
  if (path != "-" && enc == text_encoding::utf8)
    if (auto mapped = detail::split_mapped(schema, fd, name, format, source, handler, block_size)) return *mapped;

  block_size = std::max<std::size_t>(block_size, 64);
  text_source input(fd, enc, block_size);
  if (!input.usable(enc))
    return fail(fmt::format("this system's iconv cannot decode {}", enc == text_encoding::gbk ? "GBK" : "GB18030"));

  // One buffer for the whole file: a carried partial record (at most max_record_bytes, longer
  // ones are skipped), one fresh block, and simdjson's padding.
  const std::size_t capacity = max_record_bytes + block_size + detail::jsonl_padding;
  std::unique_ptr<char[]> buffer(new char[capacity]);
  char* const buf = buffer.get();
  std::size_t have = 0;       // bytes in buf
  std::uint64_t line = 1;     // line number of buf[0]
  bool at_start = true;       // BOM not yet checked
  bool eof = false;
  bool header_done = format == input_format::jsonl;
  bool skipping = false;      // inside a record longer than max_record_bytes
  std::uint64_t skip_line = 0;
  detail::boundary_scanner scanner{format, false};

  const char* too_long = format == input_format::jsonl ? "line longer than 1 MiB" : "row longer than 1 MiB";
  auto reject_long = [&]() {
    handler.on_reject(rejection{source, skip_line, too_long});
    skipping = false;
  };
  // Drops consumed bytes; `lines` is their line-break count when the caller knows it.
  auto drop_front = [&](std::size_t n, std::uint64_t lines = ~std::uint64_t{0}) {
    line += lines != ~std::uint64_t{0} ? lines : detail::count_newlines(std::string_view(buf, n));
    std::memmove(buf, buf + n, have - n);
    have -= n;
  };

  while (!eof) {
    std::size_t got = 0;
    if (!input.fill(buf + have, block_size, got)) return fail(fmt::format("read failed: {}", errno_text(errno)));
    eof = got == 0;
    std::size_t fresh = have;  // where unscanned bytes start
    have += got;

    if (at_start) {
      if (have < 3 && !eof) continue;  // a pipe may deliver the BOM piecemeal
      at_start = false;
      if (have >= 3 && std::memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
        std::memmove(buf, buf + 3, have - 3);
        have -= 3;
      }
      fresh = 0;
    }

    if (skipping) {
      const std::size_t end = scanner.first(std::string_view(buf, have), 0);
      if (end == std::string_view::npos) {
        drop_front(have);
        if (eof) reject_long();
        continue;
      }
      drop_front(end);
      reject_long();
      scanner.in_quotes = false;
      fresh = 0;
    }

    if (!header_done) {
      // The header is the first non-blank row; it must be whole before any row is read.
      std::size_t end = scanner.first(std::string_view(buf, have), fresh);
      while (end != std::string_view::npos && detail::is_blank_line(std::string_view(buf, end))) {
        drop_front(end);
        scanner.in_quotes = false;
        end = scanner.first(std::string_view(buf, have), 0);
      }
      if (end == std::string_view::npos) {
        if (!eof) {
          if (have > max_record_bytes) return fail("header row longer than 1 MiB", source_pos{static_cast<std::uint32_t>(line), 0});
          continue;  // scanner state covers buf[0, have)
        }
        if (detail::is_blank_line(std::string_view(buf, have))) return result;  // empty file: nothing to read
        end = have;
      }
      diagnostic bad_header;
      std::optional<csv_header> header = detail::resolve_header(schema, name, std::string_view(buf, end), line, bad_header);
      if (!header) return fail(std::move(bad_header.message), bad_header.pos, std::move(bad_header.source));
      handler.on_header(*header);
      header_done = true;
      drop_front(end);
      scanner.in_quotes = false;
      fresh = 0;
    }

    std::size_t boundary = scanner.scan(std::string_view(buf, have), fresh);
    if (eof) boundary = have;  // the last record may lack its line break
    else if (boundary == std::string_view::npos) boundary = 0;
    if (boundary > 0) {
      const std::string_view chunk(buf, boundary);
      // simdjson may read past a line; make the bytes past the data defined.
      std::memset(buf + have, ' ', detail::jsonl_padding);
      std::uint64_t lines = handler.on_chunk(chunk, line, capacity - boundary);
      drop_front(boundary, lines);
    }
    if (!eof && have > max_record_bytes) {
      // The carried record can only grow past the limit: reject it without keeping it.
      skipping = true;
      skip_line = line;
      drop_front(have);
    }
  }
  return result;
}

namespace {

/// Parses each chunk as it comes, on the calling thread: the single-threaded reader.
class inline_parser final : public chunk_handler {
 public:
  inline_parser(const record_schema& schema, input_format format, text_encoding enc, std::uint32_t source,
                record_sink& sink, read_stats& stats)
      : schema_(schema), enc_(enc), source_(source), sink_(sink), stats_(stats) {
    if (format == input_format::jsonl) {
      jsonl_.emplace(schema);
      jsonl_->set_source_encoding(enc);
    }
  }
  void on_header(const csv_header& h) override {
    csv_.emplace(schema_, h);
    csv_->set_source_encoding(enc_);
  }
  std::uint64_t on_chunk(std::string_view data, std::uint64_t first_line, std::size_t padding) override {
    if (jsonl_) {
      stats_ += jsonl_->read(data, source_, sink_, first_line, padding);
      return jsonl_->lines_consumed();
    }
    stats_ += csv_->read(data, source_, sink_, first_line);
    return csv_->lines_consumed();
  }
  void on_reject(rejection r) override {
    ++stats_.read;
    ++stats_.rejected;
    sink_.on_reject(std::move(r));
  }

 private:
  const record_schema& schema_;
  text_encoding enc_;
  std::uint32_t source_;
  record_sink& sink_;
  read_stats& stats_;
  std::optional<jsonl_reader> jsonl_;
  std::optional<csv_reader> csv_;
};

}  // namespace

input_result read_input(const record_schema& schema, const std::string& path, input_format format,
                        text_encoding enc, std::uint32_t source, record_sink& sink, std::size_t block_size) {
  read_stats stats;
  inline_parser parser(schema, format, enc, source, sink, stats);
  input_result result = split_input(schema, path, format, enc, source, parser, block_size);
  result.stats = stats;
  return result;
}

}  // namespace decorum
