// src/read/jsonl_impl.hpp — internal: the state of decorum::jsonl_reader (jsonl_reader::impl)
// and the byte-level helpers its two gatherers share. The reader is split by job:
// src/read/jsonl.cpp drives it (lines, judging fields against the schema), jsonl_flat.cpp is
// its own scanner for the common flat line, jsonl_simdjson.cpp the simdjson fallback that
// decides everything else and words every JSON error.
#pragma once

#include "decorum/read/read.hpp"

#include <simdjson.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace decorum {

namespace detail {

/// A key that is no field name of any kind (pending_field::name, next_key).
inline constexpr std::uint32_t no_name = 0xFFFF'FFFFu;

/// The JSON type of a gathered value.
enum class json_kind : std::uint8_t { string, number, boolean, null_, object, array };

/// One key/value of the line's object, gathered before the kind is known.
struct pending_field {
  std::uint32_t name = no_name;  ///< schema-wide field name id, or no_name
  std::string_view key;          ///< unescaped key (in the parser's string buffer)
  json_kind kind = json_kind::null_;
  std::string_view text;         ///< string: unescaped text in record storage; number: raw token
  bool boolean = false;          ///< the value of a boolean
};

/// JSON's white space.
constexpr bool is_json_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/// A field name laid out for comparing against a raw (still escaped) key in place: the
/// name's first 16 bytes as two words plus masks for its length, so a match is two loads and
/// a byte check instead of unescaping the key and hashing it.
struct key_pattern {
  std::uint64_t word[2] = {0, 0};  ///< the name's first 16 bytes (zero-filled)
  std::uint64_t mask[2] = {0, 0};  ///< 0xFF for each of those bytes the name has
  std::string_view name;           ///< the whole name
  bool plain = false;              ///< no quote or backslash: a raw key equal to the bytes is the name
};

/// The pattern of field name `name` (which must outlive it).
key_pattern make_pattern(std::string_view name);

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
/// Offset of the first '"', '\\' or control character at or after `p`, or of `limit`;
/// `high` gets whether a byte >= 0x80 came before it.
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

}  // namespace detail

/// The reader's state, kept between lines so that after the longest line nothing is allocated.
struct jsonl_reader::impl {
  /// Resolves every field name of the schema once (src/read/jsonl.cpp).
  explicit impl(const record_schema& s);

  /// Gathers and judges one line into `rec` (src/read/jsonl.cpp).
  bool parse_line(std::string_view line, std::size_t readable_after, std::uint64_t line_no, std::uint32_t source,
                  std::string& reason);
  /// Gathers the line's fields, by gather_flat or else simdjson; only JSON-level problems
  /// fail here (src/read/jsonl_simdjson.cpp).
  bool gather(std::string_view line, std::size_t readable_after, std::string& reason);
  /// The flat-line scanner; false, having decided nothing, for anything it does not take
  /// (src/read/jsonl_flat.cpp).
  bool gather_flat(const char* p, const char* end);
  /// Resolves the gathered fields against the schema into `rec` (src/read/jsonl.cpp).
  bool judge(std::string& reason);

  const record_schema* schema;
  simdjson::ondemand::parser parser;
  record rec;
  std::vector<detail::pending_field> fields;
  std::size_t kind_at = 0;                                      // index in fields of `kind`, or fields.size()
  std::string scratch;                                          // padded copy of lines near the end
  detail::name_index name_ids;                                  // field names of every kind
  std::vector<detail::key_pattern> patterns;                    // by name id
  // name id (or name_count for "start of object") -> the key that followed it on the last
  // line that had it: logs repeat their key order, so this guess is nearly always right.
  std::vector<std::uint32_t> next_key;
  detail::name_index kinds;                                     // kind names
  std::vector<std::uint32_t> slot_of;                           // [kind * name_count + name] -> slot
  std::vector<std::uint32_t> required;                          // kind -> how many of its fields are required
  std::uint32_t name_count = 0;
  std::uint32_t kind_name = 0;
  std::vector<std::uint64_t> seen;  // name id -> stamp of the last line that had it
  std::uint64_t stamp = 0;
  std::uint64_t sequence = 0;
  std::uint64_t lines = 0;
  text_encoding encoding = text_encoding::utf8;
};

}  // namespace decorum
