// src/compile/phrase_set.cpp — entry points: detail::phrase_set, detail::fold_text,
// detail::fold_text_view. Folds text for phrase matching and builds and scans the per-set
// trie (behind first-byte and start-key filters) that answers contains / starts_with /
// ends_with / count / `in phrases.NAME`.
#include "decorum/compile/phrase_set.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <unordered_map>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace decorum::detail {

result<phrase_set> phrase_set::make(std::vector<std::string> phrases) {
  phrase_set m;
  m.phrases_ = std::move(phrases);
  if (const char* why = m.build()) return make_error(fmt::format("phrase set: {}", why));
  return m;
}

const char* phrase_set::build() {
  // Dedupe after folding, keeping the lowest index, so `first` is stable whatever the
  // duplicates and the automaton carries each distinct phrase once.
  std::vector<std::string> unique;
  {
    std::unordered_map<std::string, std::int32_t> seen;
    std::string folded;
    if (phrases_.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
      return "too many phrases";
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
  if (unique.empty()) return nullptr;

  // Byte classes: one per distinct byte used by some phrase, plus class 0 for all others.
  std::array<bool, 256> used{};
  std::size_t total_bytes = 0;
  for (const auto& p : unique) {
    for (char ch : p) used[static_cast<unsigned char>(ch)] = true;
    total_bytes += p.size();
    if (p.size() > std::numeric_limits<std::uint32_t>::max() / 2) {
      return "a phrase too long";
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
    return "phrases too large for the automaton";
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
  return nullptr;
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

result<phrase_set> phrase_set::combined(const std::vector<std::vector<std::string>>& sets) {
  if (sets.size() > 64) return make_error("phrase set: more than 64 sets combined");
  phrase_set m;
  for (const auto& set : sets) m.phrases_.insert(m.phrases_.end(), set.begin(), set.end());
  if (const char* why = m.build()) return make_error(fmt::format("phrase set: {}", why));
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
