// src/phrase_set.cpp — entry points: detail::phrase_set, detail::fold_text,
// detail::fold_text_view. Folds text for phrase matching and builds and scans the per-set
// trie (behind first-byte and start-key filters) that answers contains / starts_with /
// ends_with / count / `in phrases.NAME`.
#include "decorum/detail/phrase_set.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <unordered_map>
#include <utility>

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

phrase_set::phrase_set(std::vector<std::string> phrases) : phrases_(std::move(phrases)) {
  // Dedupe after folding, keeping the lowest index, so `first` is stable whatever the
  // duplicates and the automaton carries each distinct phrase once.
  std::vector<std::string> unique;
  {
    std::unordered_map<std::string, std::int32_t> seen;
    std::string folded;
    if (phrases_.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
      throw std::length_error("phrase_set: too many phrases");
    }
    for (std::size_t i = 0; i < phrases_.size(); ++i) {
      fold_text(phrases_[i], folded);
      if (folded.empty()) continue;
      if (seen.emplace(folded, static_cast<std::int32_t>(unique.size())).second) {
        unique.push_back(folded);
        unique_index_.push_back(static_cast<std::int32_t>(i));
      }
    }
  }
  if (unique.empty()) return;

  // Byte classes: one per distinct byte used by some phrase, plus class 0 for all others.
  std::array<bool, 256> used{};
  std::size_t total_bytes = 0;
  for (const auto& p : unique) {
    for (char ch : p) used[static_cast<unsigned char>(ch)] = true;
    total_bytes += p.size();
    if (p.size() > std::numeric_limits<std::uint32_t>::max() / 2) {
      throw std::length_error("phrase_set: phrase too long");
    }
    unique_len_.push_back(static_cast<std::uint32_t>(p.size()));
    max_len_ = std::max(max_len_, static_cast<std::uint32_t>(p.size()));
  }
  std::uint32_t classes = 1;
  for (std::size_t b = 0; b < 256; ++b) {
    byte_class_[b] = used[b] ? static_cast<std::uint16_t>(classes++) : 0;
  }
  stride_ = classes;
  // Row offsets must fit beside has_output_bit and has_tail_bit; a set this large is far
  // beyond any rulebook.
  const std::size_t max_states = total_bytes + 1;
  if (max_states > (std::size_t{has_tail_bit} - 1) / stride_) {
    throw std::length_error("phrase_set: phrases too large for the automaton");
  }

  // Trie. During construction an entry holds a child's state number, or `missing`.
  constexpr std::uint32_t missing = std::numeric_limits<std::uint32_t>::max();
  std::vector<std::uint32_t> go(stride_, missing);
  terminal_.assign(1, -1);
  for (std::size_t u = 0; u < unique.size(); ++u) {
    std::uint32_t s = 0;
    for (char ch : unique[u]) {
      const auto b = static_cast<unsigned char>(ch);
      std::uint32_t& next = go[std::size_t{s} * stride_ + byte_class_[b]];
      if (next == missing) {
        next = static_cast<std::uint32_t>(terminal_.size());
        terminal_.push_back(-1);
        go.resize(go.size() + stride_, missing);
      }
      s = go[std::size_t{s} * stride_ + byte_class_[b]];
    }
    terminal_[s] = static_cast<std::int32_t>(u);
  }
  // Tails: a state from which only one path leads on, through no other phrase's end, to a
  // leaf. Long phrases (请问有什么可以帮您) are mostly such a chain, and comparing the chain's
  // bytes at once replaces a dependent table load per byte.
  const std::size_t states = terminal_.size();
  std::array<unsigned char, 256> byte_of_class{};
  for (std::size_t b = 0; b < 256; ++b) byte_of_class[byte_class_[b]] = static_cast<unsigned char>(b);
  std::vector<std::uint32_t> children(states, 0), only_child(states, missing);
  std::vector<unsigned char> only_byte(states, 0);
  for (std::size_t st = 0; st < states; ++st)
    for (std::uint32_t c = 1; c < stride_; ++c)
      if (const std::uint32_t t = go[st * stride_ + c]; t != missing) {
        ++children[st];
        only_child[st] = t;
        only_byte[st] = byte_of_class[c];
      }
  tails_.assign(states, tail{});
  for (std::size_t st = 1; st < states; ++st) {
    if (children[st] != 1) continue;
    const auto offset = static_cast<std::uint32_t>(tail_bytes_.size());
    std::uint32_t t = static_cast<std::uint32_t>(st);
    for (;;) {
      tail_bytes_.push_back(static_cast<char>(only_byte[t]));
      t = only_child[t];
      if (children[t] != 1 || terminal_[t] >= 0) break;
    }
    if (children[t] != 0 || tail_bytes_.size() - offset < 2) {  // a branch or a short chain: walk it
      tail_bytes_.resize(offset);
      continue;
    }
    tails_[st] = tail{offset, static_cast<std::uint32_t>(tail_bytes_.size() - offset), terminal_[t]};
  }

  // The trie as a dense table: 0 means "no edge" (the root is never a child).
  trie_.resize(go.size());
  // An edge into a state that ends a phrase carries has_output_bit, so the walk divides by
  // the stride (to find which phrase) only on a match; one into a state with a tail carries
  // has_tail_bit.
  for (std::size_t k = 0; k < go.size(); ++k)
    trie_[k] = go[k] == missing ? 0
                                : (go[k] * stride_) | (terminal_[go[k]] >= 0 ? has_output_bit : 0u) |
                                      (tails_[go[k]].length > 0 ? has_tail_bit : 0u);
  // Filter on where a phrase can start: one bit per start_key of a phrase's first three
  // bytes, exact for a Chinese first character and a hash otherwise, so each candidate
  // position costs a bit test with no UTF-8 decoding. A phrase shorter than three bytes sets
  // its key for every byte that may follow it, or stand for the end of the text (0). No
  // phrase starts with a continuation byte, which keeps matches on character boundaries.
  first_key_.assign(65536 / 64, 0);
  const auto set_key = [&](unsigned b0, unsigned b1, unsigned b2) {
    const std::uint32_t key = start_key(b0, b1, b2);
    first_key_[key >> 6] |= std::uint64_t{1} << (key & 63);
  };
  first_lo_ = 0xFF;
  first_hi_ = 0;
  for (const auto& p : unique) {
    const auto b0 = static_cast<unsigned char>(p[0]);
    first_lo_ = std::min(first_lo_, b0);
    first_hi_ = std::max(first_hi_, b0);
    if (p.size() >= 3) {
      set_key(b0, static_cast<unsigned char>(p[1]), static_cast<unsigned char>(p[2]));
    } else if (p.size() == 2) {
      for (unsigned b2 = 0; b2 < 256; ++b2) set_key(b0, static_cast<unsigned char>(p[1]), b2);
    } else {
      for (unsigned b1 = 0; b1 < 256; ++b1)
        for (unsigned b2 = 0; b2 < 256; ++b2) set_key(b0, b1, b2);
    }
  }
}

namespace {

// Bit j set when byte i + j, for the positions [i, min(i + 16, n)), lies in [lo, hi] and is
// not a UTF-8 continuation byte: where a phrase may start, by its first byte alone. Chinese
// text is two-thirds continuation bytes, so this drops most positions sixteen at a time
// before the per-position pair filter.
[[gnu::always_inline]] inline std::uint32_t start_mask(const unsigned char* p, std::size_t i, std::size_t n,
                                                       unsigned char lo, unsigned char hi) noexcept {
#if defined(__SSE2__)
  const auto in = [](__m128i x, unsigned char from, unsigned span) {
    const __m128i d = _mm_sub_epi8(x, _mm_set1_epi8(static_cast<char>(from)));
    return _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(static_cast<char>(span))), d);
  };
  const auto mask = [&](__m128i b) {
    return static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_andnot_si128(in(b, 0x80, 0x3F), in(b, lo, hi - lo))));
  };
  if (n - i >= 16) return mask(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i)));
  // The tail: the text's last 16 bytes realigned to i, or a padded copy of a shorter text.
  if (n >= 16) return mask(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + n - 16))) >> (i - (n - 16));
  unsigned char pad[16];
  std::memset(pad, 0x80, sizeof pad);  // continuation bytes: never a start
  std::memcpy(pad, p, n);
  return mask(_mm_loadu_si128(reinterpret_cast<const __m128i*>(pad))) >> i;
#else
  std::uint32_t m = 0;
  const std::size_t stop = std::min(n, i + 16);
  for (std::size_t k = i; k < stop; ++k)
    m |= std::uint32_t{(p[k] & 0xC0) != 0x80 && p[k] >= lo && p[k] <= hi} << (k - i);
  return m;
#endif
}

// a[0..len) == b[0..len), eight bytes at a time: tails are short, and a libc call would cost
// more than the comparison.
bool same_bytes(const unsigned char* a, const char* b, std::size_t len) noexcept {
  for (; len >= 8; a += 8, b += 8, len -= 8) {
    std::uint64_t x, y;
    std::memcpy(&x, a, 8);
    std::memcpy(&y, b, 8);
    if (x != y) return false;
  }
  for (; len > 0; ++a, ++b, --len)
    if (*a != static_cast<unsigned char>(*b)) return false;
  return true;
}

}  // namespace

std::uint32_t phrase_set::candidates(const unsigned char* bytes, std::size_t block, std::size_t n) const noexcept {
  // Without a branch per position: which positions pass is data the predictor cannot learn,
  // and the positions that do pass are few.
  std::uint32_t pass = 0;
  const std::uint32_t m = start_mask(bytes, block, n, first_lo_, first_hi_);
  const auto test = [&](std::uint32_t j, unsigned b1, unsigned b2) {
    const std::uint32_t key = start_key(bytes[block + j], b1, b2);
    pass |= static_cast<std::uint32_t>((first_key_[key >> 6] >> (key & 63)) & 1) << j;
  };
  if (n - block >= 18) {  // every position's two followers are in the text
    for (std::uint32_t r = m; r; r &= r - 1) {
      const auto j = static_cast<std::uint32_t>(__builtin_ctz(r));
      test(j, bytes[block + j + 1], bytes[block + j + 2]);
    }
  } else {
    for (std::uint32_t r = m; r; r &= r - 1) {
      const auto j = static_cast<std::uint32_t>(__builtin_ctz(r));
      const std::size_t i = block + j;
      test(j, i + 1 < n ? bytes[i + 1] : 0u, i + 2 < n ? bytes[i + 2] : 0u);
    }
  }
  return pass;
}

template <class OnMatch>
void phrase_set::walk(const unsigned char* bytes, std::size_t i, std::size_t n, OnMatch&& on_match) const noexcept {
  // Every terminal on the way is a phrase starting at i, shortest first. Phrases are valid
  // UTF-8 and so are texts, so a match can only start on a character boundary.
  std::uint32_t row = 0;
  const std::size_t limit = std::min<std::size_t>(n, i + max_len_);
  for (std::size_t k = i; k < limit; ++k) {
    const std::uint32_t entry = trie_[row + byte_class_[bytes[k]]];
    if (entry == 0) return;
    row = entry & ~(has_output_bit | has_tail_bit);
    if (entry & has_output_bit) on_match(static_cast<std::size_t>(terminal_[row / stride_]), k + 1);
    if (entry & has_tail_bit) {
      const tail& t = tails_[row / stride_];
      if (n - (k + 1) >= t.length && same_bytes(bytes + k + 1, tail_bytes_.data() + t.offset, t.length))
        on_match(static_cast<std::size_t>(t.phrase), k + 1 + t.length);
      return;
    }
  }
}

phrase_scan phrase_set::scan(std::string_view folded) const noexcept {
  phrase_scan result;
  if (max_len_ == 0 || folded.empty()) return result;
  const std::size_t n = folded.size();
  const auto* bytes = reinterpret_cast<const unsigned char*>(folded.data());
  std::size_t cursor = 0;  // the first start a new counted occurrence may use
  const auto at = [&](std::size_t i) {
    std::size_t longest_end = 0;
    std::int32_t longest_u = -1;
    walk(bytes, i, n, [&](std::size_t u, std::size_t stop) {
      result.contains = true;
      if (i == 0) result.starts_with = true;
      if (stop == n) {
        result.ends_with = true;
        if (i == 0) result.equals = true;
      }
      longest_end = stop;
      longest_u = static_cast<std::int32_t>(u);
    });
    if (longest_u >= 0 && i >= cursor) {
      if (result.count == 0) result.first = unique_index_[static_cast<std::size_t>(longest_u)];
      ++result.count;
      cursor = longest_end;
    }
  };
  for (std::size_t block = 0; block < n; block += 16)
    for (std::uint32_t m = candidates(bytes, block, n); m; m &= m - 1) at(block + static_cast<std::size_t>(__builtin_ctz(m)));
  return result;
}

phrase_set phrase_set::combined(const std::vector<std::vector<std::string>>& sets) {
  if (sets.size() > 64) throw std::length_error("phrase_set: more than 64 sets combined");
  std::vector<std::string> all;
  for (const auto& set : sets) all.insert(all.end(), set.begin(), set.end());
  phrase_set m(all);
  // Map each folded phrase of the union to the sets that hold it (lowest index per set).
  std::unordered_map<std::string, std::size_t> unique_of;
  std::string folded;
  for (std::size_t u = 0; u < m.unique_index_.size(); ++u) {
    fold_text(m.phrases_[static_cast<std::size_t>(m.unique_index_[u])], folded);
    unique_of.emplace(folded, u);
  }
  std::vector<std::vector<std::pair<std::uint8_t, std::int32_t>>> members(m.unique_index_.size());
  m.set_count_ = sets.size();
  for (std::size_t s = 0; s < sets.size(); ++s)
    for (std::size_t j = 0; j < sets[s].size(); ++j) {
      fold_text(sets[s][j], folded);
      auto it = unique_of.find(folded);
      if (it == unique_of.end()) continue;  // folds to nothing
      auto& mem = members[it->second];
      if (std::none_of(mem.begin(), mem.end(), [&](const auto& e) { return e.first == s; }))
        mem.emplace_back(static_cast<std::uint8_t>(s), static_cast<std::int32_t>(j));
    }
  // Flat, so a match reads one mask and one contiguous run instead of chasing a vector.
  m.member_mask_.assign(members.size(), 0);
  m.member_begin_.assign(1, 0);
  for (std::size_t u = 0; u < members.size(); ++u) {
    for (const auto& [s, j] : members[u]) {
      m.member_mask_[u] |= std::uint64_t{1} << s;
      m.member_set_.push_back(s);
      m.member_index_.push_back(j);
    }
    m.member_begin_.push_back(static_cast<std::uint32_t>(m.member_set_.size()));
  }
  return m;
}

void phrase_set::scan_each(std::string_view folded, phrase_scan* out) const noexcept {
  const std::size_t n = folded.size();
  const auto* bytes = reinterpret_cast<const unsigned char*>(folded.data());
  // The flags are kept as one bit per set, and every result is written once at the end; the
  // per-set arrays are read only for sets whose `counted` bit is set.
  std::uint64_t starts = 0, ends = 0, equals = 0, counted = 0;
  std::size_t cursor[64];
  std::size_t longest_end[64];
  std::int32_t longest_index[64];
  std::uint32_t count[64];
  std::int32_t first[64];
  const auto at = [&](std::size_t i) {
    std::uint64_t hit = 0;
    walk(bytes, i, n, [&](std::size_t u, std::size_t stop) {
      const std::uint64_t mask = member_mask_[u];
      hit |= mask;
      if (stop == n) ends |= mask;
      // Longer phrases come later in the walk, so the last one seen per set is its longest.
      for (std::uint32_t e = member_begin_[u]; e < member_begin_[u + 1]; ++e) {
        longest_end[member_set_[e]] = stop;
        longest_index[member_set_[e]] = member_index_[e];
      }
    });
    if (!hit) return;
    if (i == 0) {
      starts = hit;
      equals = hit & ends;  // ends holds only phrases starting at 0 so far
    }
    for (; hit; hit &= hit - 1) {
      const auto s = static_cast<std::size_t>(__builtin_ctzll(hit));
      const std::uint64_t bit = std::uint64_t{1} << s;
      if (!(counted & bit)) {
        counted |= bit;
        first[s] = longest_index[s];
        count[s] = 0;
      } else if (i < cursor[s]) {
        continue;
      }
      ++count[s];
      cursor[s] = longest_end[s];
    }
  };
  if (max_len_ != 0 && n != 0 && set_count_ != 0) {  // a matcher not built by combined() has no sets
    for (std::size_t block = 0; block < n; block += 16)
      for (std::uint32_t m = candidates(bytes, block, n); m; m &= m - 1) at(block + static_cast<std::size_t>(__builtin_ctz(m)));
  }
  // A set with no match (most of them, for most texts) gets the constant empty result; the
  // first occurrence of a match is always counted, so `counted` is `contains`.
  for (std::size_t s = 0; s < set_count_; ++s) {
    if (!((counted >> s) & 1)) {
      out[s] = phrase_scan{};
      continue;
    }
    out[s] = phrase_scan{true, static_cast<bool>((starts >> s) & 1), static_cast<bool>((ends >> s) & 1),
                         static_cast<bool>((equals >> s) & 1), count[s], first[s]};
  }
}

const std::vector<std::string>& phrase_set::phrases() const noexcept { return phrases_; }

std::size_t phrase_set::size() const noexcept { return phrases_.size(); }

}  // namespace decorum::detail
