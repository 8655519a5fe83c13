// decorum::detail::phrase_set: the multi-pattern matching behind contains, starts_with,
// ends_with, count and `x in phrases.NAME` (SPEC §2 "Phrase matching"), over texts folded by
// detail/text.hpp.
#pragma once

#include "decorum/base/result.hpp"
#include "decorum/base/text.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace decorum::detail {

/// The facts one pass over a folded text yields for one phrase set; every rule that asks about
/// the same (field, set) pair can share one scan.
struct phrase_scan {
  /// Some phrase occurs anywhere in the text.
  bool contains = false;
  /// Some phrase is a prefix of the text.
  bool starts_with = false;
  /// Some phrase is a suffix of the text.
  bool ends_with = false;
  /// The whole text equals some phrase (`x in phrases.NAME`).
  bool equals = false;
  /// Non-overlapping occurrences, scanning left to right and taking the longest phrase at each
  /// position (SPEC §2 count()).
  std::uint32_t count = 0;
  /// Index into phrase_set::phrases() of the leftmost occurrence (the longest one starting
  /// there; among duplicates after folding, the lowest index) for audit trails; -1 if none.
  std::int32_t first = -1;
};

/// An immutable multi-pattern matcher over the bytes of folded UTF-8, built once per phrase
/// set: a trie of all phrases behind two filters on where a phrase may start. The first
/// looks at 16 bytes at once and keeps character starts whose first byte some phrase has;
/// the second tests each of those against one bit per key of its first three bytes (exact
/// for a Chinese first character). The trie is walked only from the positions that pass,
/// and a branchless chain of the trie is compared as one string. This measured faster than
/// a full Aho–Corasick DFA on short Chinese utterances, where the DFA's per-byte bookkeeping
/// for leftmost-longest counting dominated. scan() touches no mutable state, so one instance
/// may be scanned from many threads at once.
class phrase_set {
 public:
  /// Builds the matcher from phrases as the rule author wrote them; each is folded here.
  /// Phrases that fold to nothing are ignored (the checker warns about them separately);
  /// duplicates after folding are matched once and reported by their lowest index. Fails
  /// only past limits no rulebook reaches (2^31 phrases, a 2 GB phrase, an automaton whose
  /// row offsets would not fit its 30 bits), which the loader's caps already rule out.
  static result<phrase_set> make(std::vector<std::string> phrases);

  /// An empty set: scan() finds nothing.
  phrase_set() = default;

  /// One matcher for several sets (at most 64) that are asked about the same text: one pass
  /// answers for all of them through scan_each(). Each phrase of the union is in the trie
  /// once and knows which sets hold it.
  static result<phrase_set> combined(const std::vector<std::vector<std::string>>& sets);

  /// For a matcher built by combined(): the scan of each set, in the order given there, from
  /// one pass over `folded`. `out` must hold one entry per set.
  void scan_each(std::string_view folded, phrase_scan* out) const noexcept;

  /// Scans `folded`, which must already be folded with fold_text, in one pass: O(len) filter
  /// work plus a trie walk of at most the longest phrase's length from each position that
  /// passes the filters. Allocates nothing.
  phrase_scan scan(std::string_view folded) const noexcept;

  /// The phrases as written (not folded), in the order given; phrase_scan::first indexes this.
  const std::vector<std::string>& phrases() const noexcept;

  /// The number of phrases as written, including duplicates and ones that fold to nothing.
  std::size_t size() const noexcept;


 private:
  static constexpr std::uint32_t has_output_bit = 0x8000'0000u;  // bound on table size
  static constexpr std::uint32_t has_tail_bit = 0x4000'0000u;

  /// Walks the trie from byte `i` of the `n` bytes at `bytes`, calling on_match(unique
  /// phrase, end offset) for each phrase starting at i, shortest first.
  template <class OnMatch>
  void walk(const unsigned char* bytes, std::size_t i, std::size_t n, OnMatch&& on_match) const noexcept;

  /// The filter key of a position from its first three bytes (0 past the text's end):
  /// for a three-byte character, its code point's low 16 bits moved by a constant, so two
  /// Chinese characters never share a key; for anything else a hash.
  static std::uint32_t start_key(unsigned b0, unsigned b1, unsigned b2) noexcept {
    return ((b0 << 12) ^ (b1 << 6) ^ b2) & 0xFFFFu;
  }
  /// Bit j set when a phrase may start at byte block + j, for the positions [block,
  /// min(block + 16, n)): the first-byte and start-key filters.
  std::uint32_t candidates(const unsigned char* bytes, std::size_t block, std::size_t n) const noexcept;

  std::vector<std::string> phrases_;
  // Bytes that occur in no phrase share class 0; compressing the alphabet keeps rows short.
  std::array<std::uint16_t, 256> byte_class_{};
  std::uint32_t stride_ = 1;
  std::vector<std::uint32_t> trie_;         // states * stride_: child's row offset, 0 for no edge
  std::vector<std::uint64_t> first_key_;    // bit per start_key a phrase can start with
  unsigned char first_lo_ = 0, first_hi_ = 0;  // the range of phrases' first bytes
  std::vector<std::int32_t> terminal_;      // per state: unique phrase ending here, or -1
  // A state below which the trie is one chain ending in a phrase: the chain's bytes in
  // tail_bytes_ and that phrase; length 0 for states without one.
  struct tail {
    std::uint32_t offset = 0;
    std::uint32_t length = 0;
    std::int32_t phrase = -1;
  };
  std::vector<tail> tails_;                 // per state
  std::string tail_bytes_;
  // combined() only: per unique phrase, the sets holding it (a bit each) and, in
  // member_begin_[u] .. member_begin_[u + 1], each set with the lowest index it has there.
  std::vector<std::uint64_t> member_mask_;
  std::vector<std::uint32_t> member_begin_;
  std::vector<std::uint8_t> member_set_;
  std::vector<std::int32_t> member_index_;
  std::size_t set_count_ = 0;
  std::vector<std::uint32_t> unique_len_;   // per unique folded phrase: length in bytes
  std::vector<std::int32_t> unique_index_;  // per unique folded phrase: lowest index in phrases_
  std::uint32_t max_len_ = 0;

  // Folds phrases_ and builds the automaton; the limit passed, or null.
  const char* build();
};

}  // namespace decorum::detail
