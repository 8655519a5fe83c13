// decorum::detail::phrase_set and fold_text: folding text for phrase matching and building /
// scanning the Aho–Corasick automaton that answers contains/starts_with/ends_with/count/in.
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
  out.clear();
  // Folding never lengthens text (every rewrite shrinks or keeps a character's bytes), so one
  // reserve suffices and a reused buffer stops allocating once it has seen its longest text.
  out.reserve(text.size());
  // A space is emitted only before the next visible character, which collapses runs and drops
  // leading and trailing white space in one rule.
  bool pending_space = false;
  auto emit = [&](char c) {
    if (pending_space && !out.empty()) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
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
  const std::size_t states = terminal_.size();

  // Breadth-first failure links. Visiting states by depth means fail[s] (shallower) already has
  // a complete row, so missing entries can be copied from it: the table becomes a full DFA.
  std::vector<std::uint32_t> fail(states, 0);
  next_output_.assign(states, -1);
  std::vector<std::uint32_t> order;
  order.reserve(states);
  order.push_back(0);
  for (std::size_t qi = 0; qi < order.size(); ++qi) {
    const std::uint32_t s = order[qi];
    for (std::uint32_t c = 0; c < stride_; ++c) {
      std::uint32_t& entry = go[std::size_t{s} * stride_ + c];
      const std::uint32_t via_fail = s == 0 ? 0 : go[std::size_t{fail[s]} * stride_ + c];
      if (entry == missing) {
        entry = via_fail;
      } else {
        const std::uint32_t t = entry;
        fail[t] = via_fail;
        const std::uint32_t f = fail[t];
        // The nearest shorter phrase ending at t is f's own, or whatever f chains to.
        next_output_[t] = terminal_[f] != -1 ? static_cast<std::int32_t>(f) : next_output_[f];
        order.push_back(t);
      }
    }
  }

  delta_.resize(go.size());
  for (std::size_t i = 0; i < go.size(); ++i) {
    const std::uint32_t t = go[i];
    const bool has_output = terminal_[t] != -1 || next_output_[t] != -1;
    delta_[i] = (t * stride_) | (has_output ? has_output_bit : 0u);
  }
}

phrase_scan phrase_set::scan(std::string_view folded) const noexcept {
  phrase_scan result;
  if (max_len_ == 0 || folded.empty()) return result;

  // Greedy counting must know the longest phrase starting at a position before moving past it,
  // and every phrase starting at s has ended by s + max_len_ - 1. So a ring of max_len_ slots,
  // one per pending start position, suffices for any text length. A slot holds the longest
  // unique phrase + 1 starting there, 0 for none.
  const std::size_t window = max_len_;
  std::uint32_t stack_ring[max_stack_phrase_bytes];
  std::vector<std::uint32_t> heap_ring;
  std::uint32_t* ring = stack_ring;
  if (window > max_stack_phrase_bytes) {
    // Only a phrase over 1 KiB gets here; bad_alloc would terminate, which is acceptable for a
    // rulebook that unreasonable.
    heap_ring.resize(window);
    ring = heap_ring.data();
  }
  std::fill(ring, ring + window, 0u);

  std::size_t cursor = 0;  // the first start position a new counted occurrence may use
  std::size_t pending = 0;  // non-zero ring slots: while none, the loop is one table step per byte
  auto settle = [&](std::size_t start, std::size_t slot) {
    const std::uint32_t v = ring[slot];
    if (v == 0) return;
    ring[slot] = 0;
    --pending;
    if (start < cursor) return;
    const std::uint32_t u = v - 1;
    if (result.count == 0) result.first = unique_index_[u];
    ++result.count;
    cursor = start + unique_len_[u];
  };

  const std::size_t n = folded.size();
  const auto* bytes = reinterpret_cast<const unsigned char*>(folded.data());
  std::uint32_t row = 0;
  std::size_t slot = 0;  // == i % window, kept incrementally to avoid a division per byte
  for (std::size_t i = 0; i < n; ++i) {
    // Start i - window can no longer gain a match; it shares its slot with start i.
    if (pending && i >= window) settle(i - window, slot);
    const std::uint32_t entry = delta_[row + byte_class_[bytes[i]]];
    row = entry & ~has_output_bit;
    if (entry & has_output_bit) {
      const std::uint32_t state = row / stride_;
      std::int32_t h = terminal_[state] != -1 ? static_cast<std::int32_t>(state) : next_output_[state];
      for (; h != -1; h = next_output_[static_cast<std::size_t>(h)]) {
        const auto u = static_cast<std::uint32_t>(terminal_[static_cast<std::size_t>(h)]);
        const std::uint32_t len = unique_len_[u];
        const std::size_t start = i + 1 - len;
        result.contains = true;
        if (start == 0) result.starts_with = true;
        if (i + 1 == n) {
          result.ends_with = true;
          if (start == 0) result.equals = true;
        }
        // len <= window, so one wrap-around correction is enough.
        const std::size_t start_slot = slot + 1 >= len ? slot + 1 - len : slot + 1 + window - len;
        std::uint32_t& best = ring[start_slot];
        if (best == 0) {
          ++pending;
          best = u + 1;
        } else if (unique_len_[best - 1] < len) {
          best = u + 1;
        }
      }
    }
    if (++slot == window) slot = 0;
  }
  // Settle the starts still pending, in order: max(0, n - window) .. n - 1.
  if (!pending) return result;
  std::size_t start = n > window ? n - window : 0;
  slot = start % window;
  for (; start < n; ++start) {
    settle(start, slot);
    if (++slot == window) slot = 0;
  }
  return result;
}

const std::vector<std::string>& phrase_set::phrases() const noexcept { return phrases_; }

std::size_t phrase_set::size() const noexcept { return phrases_.size(); }

}  // namespace decorum::detail
