// src/read/boundaries.cpp — entry points: last_record_boundary, detail::boundary_scanner,
// count_newlines, format_from_path. Where records end: a line break in JSON Lines, a line
// break outside quotes in CSV, found 64 bytes at a time as bit masks, so blocks of a file can
// be cut at record boundaries and parsed independently; and the CSV header's resolution with
// its caret diagnostic.
#include "decorum/read/read.hpp"

#include <algorithm>
#include <memory>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace decorum {

namespace detail {

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

}  // namespace decorum
