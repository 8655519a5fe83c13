// src/phrase_set.cpp — entry points: detail::phrase_set, detail::fold_text. Folds text for
// phrase matching and builds and scans the per-set trie (behind a first-character filter)
// that answers contains / starts_with / ends_with / count / `in phrases.NAME`.
#include "decorum/detail/phrase_set.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <unordered_map>
#include <utility>

namespace decorum::detail {

namespace {

constexpr bool is_ascii_space(unsigned char b) noexcept {
  return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\v' || b == '\f';
}

constexpr char ascii_lower(unsigned char b) noexcept {
  return static_cast<char>(b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b);
}

}  // namespace

void fold_text(std::string_view text, std::string& out) {
  // Folding never lengthens text (every rewrite shrinks or keeps a character's bytes), so the
  // output is written through a pointer into a buffer sized once, then trimmed to length.
  out.resize(text.size());
  char* const base = out.data();
  char* w = base;
  // A space is emitted only before the next visible character, which collapses runs and drops
  // leading and trailing white space in one rule.
  bool pending_space = false;
  auto emit = [&](char c) {
    if (pending_space && w != base) *w++ = ' ';
    pending_space = false;
    *w++ = c;
  };
  const std::size_t n = text.size();
  // Byte-wise is safe on valid UTF-8: the lead bytes tested below (C2, E3, EF) never occur as
  // continuation bytes, so every other character's bytes are copied through unchanged.
  for (std::size_t i = 0; i < n; ++i) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      if (is_ascii_space(b)) {
        pending_space = true;
      } else {
        emit(ascii_lower(b));
      }
      continue;
    }
    if (b == 0xC2 && i + 1 < n && static_cast<unsigned char>(text[i + 1]) == 0xA0) {  // U+00A0
      pending_space = true;
      i += 1;
      continue;
    }
    if ((b == 0xE3 || b == 0xEF) && i + 2 < n) {
      const auto b1 = static_cast<unsigned char>(text[i + 1]);
      const auto b2 = static_cast<unsigned char>(text[i + 2]);
      const std::uint32_t cp = (std::uint32_t{b & 0x0Fu} << 12) | (std::uint32_t{b1 & 0x3Fu} << 6) |
                               std::uint32_t{b2 & 0x3Fu};
      if (cp == 0x3000) {
        pending_space = true;
        i += 2;
        continue;
      }
      if (cp >= 0xFF01 && cp <= 0xFF5E && cp != 0xFF0C) {
        emit(ascii_lower(static_cast<unsigned char>(cp - 0xFEE0)));
        i += 2;
        continue;
      }
    }
    emit(static_cast<char>(b));
  }
  out.resize(static_cast<std::size_t>(w - base));
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
  // Row offsets must fit beside has_output_bit; a set this large is far beyond any rulebook.
  const std::size_t max_states = total_bytes + 1;
  if (max_states > (std::size_t{has_output_bit} - 1) / stride_) {
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
  // The trie as a dense table: 0 means "no edge" (the root is never a child).
  trie_.resize(go.size());
  // An edge into a state that ends a phrase carries has_output_bit, so the walk divides by
  // the stride (to find which phrase) only on a match.
  for (std::size_t k = 0; k < go.size(); ++k)
    trie_[k] = go[k] == missing ? 0 : (go[k] * stride_) | (terminal_[go[k]] >= 0 ? has_output_bit : 0u);
  // Filter on where a phrase can start: one bit per first character (its code point's low
  // 16 bits, exact for Chinese and all of the BMP), so a position whose character begins no
  // phrase costs one bit test.
  first_char_.assign(65536 / 64, 0);
  for (const auto& p : unique) {
    const auto* b = reinterpret_cast<const unsigned char*>(p.data());
    const std::uint32_t key = char_key(b, b + p.size());
    first_char_[key >> 6] |= std::uint64_t{1} << (key & 63);
  }
}

phrase_scan phrase_set::scan(std::string_view folded) const noexcept {
  phrase_scan result;
  if (max_len_ == 0 || folded.empty()) return result;
  const std::size_t n = folded.size();
  const auto* bytes = reinterpret_cast<const unsigned char*>(folded.data());
  std::size_t cursor = 0;  // the first start a new counted occurrence may use
  // Step by character, not byte: matches start on character boundaries, and Chinese text
  // has three bytes per character. An invalid lead byte steps one byte, never past the end.
  static constexpr unsigned char step_of[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4};
  const unsigned char* const end = bytes + n;
  for (std::size_t i = 0; i < n; i += step_of[bytes[i] >> 4]) {
    const std::uint32_t key = char_key(bytes + i, end);
    if (!((first_char_[key >> 6] >> (key & 63)) & 1)) continue;
    // Walk the trie from i: every terminal on the way is a phrase starting at i. Phrases are
    // valid UTF-8 and so are texts, so a match can only start on a character boundary.
    std::uint32_t row = 0;
    std::uint32_t longest = 0;
    std::int32_t longest_u = -1;
    const std::size_t limit = std::min<std::size_t>(n, i + max_len_);
    for (std::size_t k = i; k < limit; ++k) {
      const std::uint32_t entry = trie_[row + byte_class_[bytes[k]]];
      if (entry == 0) break;
      row = entry & ~has_output_bit;
      if (!(entry & has_output_bit)) continue;
      const std::int32_t u = terminal_[row / stride_];
      const std::size_t end = k + 1;
      result.contains = true;
      if (i == 0) result.starts_with = true;
      if (end == n) {
        result.ends_with = true;
        if (i == 0) result.equals = true;
      }
      longest = static_cast<std::uint32_t>(end - i);
      longest_u = u;
    }
    if (longest_u >= 0 && i >= cursor) {
      if (result.count == 0) result.first = unique_index_[static_cast<std::size_t>(longest_u)];
      ++result.count;
      cursor = i + longest;
    }
  }
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
  m.members_.assign(m.unique_index_.size(), {});
  m.set_count_ = sets.size();
  for (std::size_t s = 0; s < sets.size(); ++s)
    for (std::size_t j = 0; j < sets[s].size(); ++j) {
      fold_text(sets[s][j], folded);
      auto it = unique_of.find(folded);
      if (it == unique_of.end()) continue;  // folds to nothing
      auto& mem = m.members_[it->second];
      if (std::none_of(mem.begin(), mem.end(), [&](const auto& e) { return e.first == s; }))
        mem.emplace_back(static_cast<std::uint8_t>(s), static_cast<std::int32_t>(j));
    }
  return m;
}

void phrase_set::scan_each(std::string_view folded, phrase_scan* out) const noexcept {
  for (std::size_t s = 0; s < set_count_; ++s) out[s] = phrase_scan{};
  if (max_len_ == 0 || folded.empty()) return;
  const std::size_t n = folded.size();
  const auto* bytes = reinterpret_cast<const unsigned char*>(folded.data());
  const unsigned char* const end = bytes + n;
  std::size_t cursor[64] = {};
  std::uint32_t longest[64];
  std::int32_t longest_index[64];
  static constexpr unsigned char step_of[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4};
  for (std::size_t i = 0; i < n; i += step_of[bytes[i] >> 4]) {
    const std::uint32_t key = char_key(bytes + i, end);
    if (!((first_char_[key >> 6] >> (key & 63)) & 1)) continue;
    std::uint64_t hit = 0;
    std::uint32_t row = 0;
    const std::size_t limit = std::min<std::size_t>(n, i + max_len_);
    for (std::size_t k = i; k < limit; ++k) {
      const std::uint32_t entry = trie_[row + byte_class_[bytes[k]]];
      if (entry == 0) break;
      row = entry & ~has_output_bit;
      if (!(entry & has_output_bit)) continue;
      const auto u = static_cast<std::size_t>(terminal_[row / stride_]);
      const std::size_t stop = k + 1;
      // Longer phrases come later in the walk, so the last one seen per set is its longest.
      for (const auto& [s, j] : members_[u]) {
        phrase_scan& r = out[s];
        r.contains = true;
        if (i == 0) r.starts_with = true;
        if (stop == n) {
          r.ends_with = true;
          if (i == 0) r.equals = true;
        }
        longest[s] = static_cast<std::uint32_t>(stop - i);
        longest_index[s] = j;
        hit |= std::uint64_t{1} << s;
      }
    }
    for (; hit; hit &= hit - 1) {
      const auto s = static_cast<std::size_t>(__builtin_ctzll(hit));
      if (i < cursor[s]) continue;
      phrase_scan& r = out[s];
      if (r.count == 0) r.first = longest_index[s];
      ++r.count;
      cursor[s] = i + longest[s];
    }
  }
}

const std::vector<std::string>& phrase_set::phrases() const noexcept { return phrases_; }

std::size_t phrase_set::size() const noexcept { return phrases_.size(); }

}  // namespace decorum::detail
