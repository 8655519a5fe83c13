// src/base/text.cpp — entry points: detail::fold_text, detail::fold_text_view, did_you_mean.
// Text utilities every stage may use: SPEC §2's folding for phrase matching (the checker
// compares folded phrases, the matcher and the evaluator fold texts) and the typo suggestion
// behind "did you mean" in the loader and the readers.
#include "decorum/base/text.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace decorum::detail {

namespace {

constexpr bool is_ascii_space(unsigned char b) noexcept {
  return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\v' || b == '\f';
}

constexpr char ascii_lower(unsigned char b) noexcept {
  return static_cast<char>(b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b);
}

// True when the character starting at p[k] is one folding rewrites or drops: ASCII upper case,
// white space (Unicode's White_Space property: ASCII's six, U+0085, U+00A0, U+1680,
// U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000), or a full-width form U+FF01–U+FF5E
// other than U+FF0C. Continuation bytes are never special, so a match is always at a
// character's start.
bool is_special(const unsigned char* p, std::size_t k, std::size_t n) noexcept {
  const unsigned b = p[k];
  if (b < 0x80) return (b >= 'A' && b <= 'Z') || is_ascii_space(static_cast<unsigned char>(b));
  const unsigned b1 = k + 1 < n ? p[k + 1] : 0;
  if (b == 0xC2) return b1 == 0xA0 || b1 == 0x85;
  const unsigned b2 = k + 2 < n ? p[k + 2] : 0;
  switch (b) {
    case 0xE1: return b1 == 0x9A && b2 == 0x80;
    case 0xE2:
      return (b1 == 0x80 && (b2 <= 0x8A || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF) && b2 >= 0x80) ||
             (b1 == 0x81 && b2 == 0x9F);
    case 0xE3: return b1 == 0x80 && b2 == 0x80;
    case 0xEF:
      return (b1 == 0xBC && b2 >= 0x81 && b2 <= 0xBF && b2 != 0x8C) || (b1 == 0xBD && b2 >= 0x80 && b2 <= 0x9E);
    default: return false;
  }
}

// White space starts at p[k] (the characters a run of white space is made of): every special
// character that is neither ASCII nor full width.
bool starts_white(const unsigned char* p, std::size_t k, std::size_t n) noexcept {
  const unsigned b = p[k];
  return is_ascii_space(static_cast<unsigned char>(b)) || (b >= 0x80 && b != 0xEF && is_special(p, k, n));
}

#if defined(__SSE2__)
// is_special for 16 positions at once, given the bytes at, one after and two after each.
// Chinese text is mostly E4–E9 lead bytes and '，' (EF BC 8C), none of which may send a text
// to the slow path, so the multi-byte cases compare all three bytes rather than flag on the
// lead byte alone.
[[gnu::always_inline]] inline std::uint32_t special_mask16(__m128i b0, __m128i b1, __m128i b2) noexcept {
  const auto eq = [](__m128i x, int c) { return _mm_cmpeq_epi8(x, _mm_set1_epi8(static_cast<char>(c))); };
  // lo <= x <= lo + span, unsigned: SSE2 has no unsigned byte compare, but min does.
  const auto in = [](__m128i x, int lo, int span) {
    const __m128i d = _mm_sub_epi8(x, _mm_set1_epi8(static_cast<char>(lo)));
    return _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(static_cast<char>(span))), d);
  };
  __m128i m = _mm_or_si128(in(b0, 'A', 25), _mm_or_si128(in(b0, '\t', 4), eq(b0, ' ')));
  m = _mm_or_si128(m, _mm_and_si128(eq(b0, 0xC2), _mm_or_si128(eq(b1, 0xA0), eq(b1, 0x85))));
  m = _mm_or_si128(m, _mm_and_si128(eq(b0, 0xE3), _mm_and_si128(eq(b1, 0x80), eq(b2, 0x80))));
  m = _mm_or_si128(m, _mm_and_si128(eq(b0, 0xE1), _mm_and_si128(eq(b1, 0x9A), eq(b2, 0x80))));
  // U+2000–U+200A, U+2028, U+2029, U+202F, U+205F; not the quotes, dashes and ellipsis that
  // share the E2 80 prefix, which are common in Chinese text.
  const __m128i e280 = _mm_and_si128(
      eq(b1, 0x80), _mm_or_si128(in(b2, 0x80, 0x0A), _mm_or_si128(in(b2, 0xA8, 0x01), eq(b2, 0xAF))));
  const __m128i e281 = _mm_and_si128(eq(b1, 0x81), eq(b2, 0x9F));
  m = _mm_or_si128(m, _mm_and_si128(eq(b0, 0xE2), _mm_or_si128(e280, e281)));
  const __m128i bc = _mm_andnot_si128(eq(b2, 0x8C), _mm_and_si128(eq(b1, 0xBC), in(b2, 0x81, 0x3E)));
  const __m128i bd = _mm_and_si128(eq(b1, 0xBD), in(b2, 0x80, 0x1E));
  m = _mm_or_si128(m, _mm_and_si128(eq(b0, 0xEF), _mm_or_si128(bc, bd)));
  return static_cast<std::uint32_t>(_mm_movemask_epi8(m));
}

// The 16 positions of the last 16 bytes p[0..15], whose followers are past the end: shifting
// zeros in gives exactly is_special's "0 past the end".
[[gnu::always_inline]] inline std::uint32_t special_mask_last16(const unsigned char* p) noexcept {
  const __m128i b0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  return special_mask16(b0, _mm_srli_si128(b0, 1), _mm_srli_si128(b0, 2));
}
#endif

// Bit j set when is_special(p, i + j, n), for the positions [i, min(i + 16, n)).
[[gnu::always_inline]] inline std::uint32_t special_mask(const unsigned char* p, std::size_t i, std::size_t n) noexcept {
#if defined(__SSE2__)
  if (n - i >= 18) {
    const auto* q = reinterpret_cast<const __m128i*>(p + i);
    return special_mask16(_mm_loadu_si128(q), _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 1)),
                          _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 2)));
  }
  // The tail: the text's last 16 bytes, realigned to i, so nothing is read past the end.
  if (n >= 16) {
    const std::size_t last = n - 16;
    if (i >= last) return special_mask_last16(p + last) >> (i - last);
    return ((special_mask_last16(p + last) << 1) | std::uint32_t{is_special(p, i, n)}) & 0xFFFFu;  // i == n - 17
  }
  unsigned char pad[16] = {};
  std::memcpy(pad, p, n);
  return special_mask_last16(pad) >> i;
#else
  std::uint32_t m = 0;
  const std::size_t stop = std::min(n, i + 16);
  for (std::size_t k = i; k < stop; ++k) m |= std::uint32_t{is_special(p, k, n)} << (k - i);
  return m;
#endif
}

// The first position from which folding changes `text`, or its size when it changes nothing.
// A single space between two visible characters is special but survives folding unchanged,
// so it does not count.
std::size_t first_change(const unsigned char* p, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; i += 16) {
    for (std::uint32_t m = special_mask(p, i, n); m; m &= m - 1) {
      const std::size_t k = i + static_cast<std::size_t>(__builtin_ctz(m));
      if (p[k] == ' ' && k > 0 && k + 1 < n && !starts_white(p, k + 1, n)) continue;
      return k;
    }
  }
  return n;
}

// Folds p[start..n) after p[0..start), which folding leaves as it is, into `out`.
void fold_from(const unsigned char* p, std::size_t n, std::size_t start, std::string& out) {
  // Folding never lengthens text (every rewrite shrinks or keeps a character's bytes), so the
  // output is written through a pointer into a buffer sized once, then trimmed to length.
  out.resize(n);
  char* const base = out.data();
  if (start > 0) std::memcpy(base, p, start);
  char* w = base + start;
  // A space is emitted only before the next visible character, which collapses runs and drops
  // leading and trailing white space in one rule.
  bool pending_space = false;
  const auto copy = [&](std::size_t from, std::size_t to) {
    if (from == to) return;
    if (pending_space && w != base) *w++ = ' ';
    pending_space = false;
    std::memcpy(w, p + from, to - from);
    w += to - from;
  };
  // Runs without special characters, the bulk of Chinese text, are copied whole; only the
  // special characters the mask points at are looked at one by one.
  std::size_t i = start;
  while (i < n) {
    const std::size_t block = i;
    const std::size_t block_end = std::min(n, block + 16);
    for (std::uint32_t m = special_mask(p, block, n); m; m &= m - 1) {
      const std::size_t k = block + static_cast<std::size_t>(__builtin_ctz(m));
      copy(i, k);
      const unsigned b = p[k];
      if (b < 0x80 && !(b >= 'A' && b <= 'Z')) {
        pending_space = true;
        i = k + 1;
        continue;
      }
      if (b >= 0x80 && b != 0xEF) {  // multi-byte white space: U+0085 and U+00A0 take 2 bytes, the rest 3
        pending_space = true;
        i = k + (b == 0xC2 ? 2 : 3);
        continue;
      }
      // Upper case or full width: one visible ASCII character.
      char c;
      if (b < 0x80) {
        c = ascii_lower(static_cast<unsigned char>(b));
        i = k + 1;
      } else {
        const std::uint32_t cp = 0xF000u | ((std::uint32_t{p[k + 1]} & 0x3Fu) << 6) | (std::uint32_t{p[k + 2]} & 0x3Fu);
        c = ascii_lower(static_cast<unsigned char>(cp - 0xFEE0));
        i = k + 3;
      }
      if (pending_space && w != base) *w++ = ' ';
      pending_space = false;
      *w++ = c;
    }
    // A special character may run past the block's end; its remainder is never copied.
    if (i < block_end) {
      copy(i, block_end);
      i = block_end;
    }
  }
  out.resize(static_cast<std::size_t>(w - base));
}

}  // namespace

void fold_text(std::string_view text, std::string& out) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  fold_from(p, text.size(), first_change(p, text.size()), out);
}

std::string_view fold_text_view(std::string_view text, std::string& buf) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t start = first_change(p, text.size());
  if (start == text.size()) return text;
  fold_from(p, text.size(), start, buf);
  return buf;
}

std::string fold_text(std::string_view text) {
  std::string out;
  fold_text(text, out);
  return out;
}


std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates) {
  std::string_view best;
  std::size_t best_d = std::string_view::npos;
  for (auto c : candidates) {
    // Levenshtein distance, plus prefix matches (`deduc` → `deduct`) count as close.
    // Optimal string alignment: a swap of two neighbouring letters (`titel`) is one edit.
    std::vector<std::size_t> prev2(c.size() + 1), prev(c.size() + 1), cur(c.size() + 1);
    for (std::size_t j = 0; j <= c.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= word.size(); ++i) {
      cur[0] = i;
      for (std::size_t j = 1; j <= c.size(); ++j) {
        cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (word[i - 1] == c[j - 1] ? 0 : 1)});
        if (i > 1 && j > 1 && word[i - 1] == c[j - 2] && word[i - 2] == c[j - 1]) cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      }
      prev2 = prev;
      std::swap(prev, cur);
    }
    std::size_t d = prev[c.size()];
    if (d < best_d) best_d = d, best = c;
  }
  std::size_t limit = std::max<std::size_t>(1, word.size() / 3);
  if (best_d != std::string_view::npos && best_d <= limit && best_d < word.size()) return std::string(best);
  return {};
}

}  // namespace decorum::detail
