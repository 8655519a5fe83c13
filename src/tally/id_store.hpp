// src/tally/id_store.hpp — entry points: `detail::id_table`, `detail::id_hash_store`,
// `detail::scorer_ids`. A scorer's exact table of the ids it has seen, and the duplicate-id
// machinery of the parallel batch driver (api/batch.cpp), kept out of the public tally.hpp:
// scorers that split one run's input remember 4-byte id hashes, the driver finds the hashes
// seen twice across all of them, and a last pass rejects every later copy.
#pragma once

#include "decorum/tally/tally.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace decorum::detail {

/// Every id a scorer has seen exactly, with its first record (input index, line). An
/// open-addressing table of 8-byte slots (32 bits of the id's hash, 1-based entry index) over
/// entries in fixed blocks whose bytes live in one arena: no allocation per id, and growing
/// copies slots only, never entries or strings. A `std::unordered_map<std::string, …>` spent a node, a
/// string and their frees per id (docs/decisions.md, "The Python package's speed").
class id_table {
 public:
  /// Where an id was first seen.
  struct where {
    std::uint32_t source = 0;  ///< input index
    std::uint64_t line = 0;    ///< line
  };
  /// Adds `id` first seen at `at`: {at, true} when new; otherwise the first record's place,
  /// false (the table keeps the first).
  std::pair<where, bool> emplace(std::string_view id, where at);
  /// Loads the slot emplace(id) will probe first (see scorer::prefetch_id).
  void prefetch(std::string_view id) const noexcept;
  /// Number of ids held.
  std::size_t size() const noexcept { return size_; }
  /// Calls f(id, where) for every id, in the order they were added.
  template <typename F>
  void for_each(F&& f) const {
    for (std::size_t i = 0; i < size_; ++i) {
      const entry& e = at(i);
      f(std::string_view(arena_.data() + e.offset, e.length), where{e.source, e.line});
    }
  }

 private:
  struct entry {  // 24 bytes: `where` inline, not padded to 16
    std::uint64_t offset = 0;  // into arena_
    std::uint64_t line = 0;
    std::uint32_t length = 0;
    std::uint32_t source = 0;
  };
  void grow();
  // Entries in blocks that never move: a vector would copy them all at each doubling, and
  // fault in their new pages again.
  static constexpr std::size_t block_bits = 16;
  entry& at(std::size_t i) const noexcept { return blocks_[i >> block_bits][i & ((std::size_t{1} << block_bits) - 1)]; }
  std::vector<std::uint64_t> slots_;  // 0 empty, else hash's top 32 bits << 32 | (entry index + 1)
  std::vector<std::unique_ptr<entry[]>> blocks_;
  std::size_t size_ = 0;
  std::string arena_;
};

/// A compact multiset of 48-bit id hashes, 4 bytes each: the top 16 bits pick one of 65,536
/// buckets and the next 32 are stored. Finding duplicate ids needs every id remembered; this
/// keeps 10 M ids in about 40 MB, and two distinct ids share a 48-bit hash only with odds of
/// about 1 in 5 at that size (a shared hash just triggers an exact check).
class id_hash_store {
 public:
  /// Number of buckets.
  static constexpr std::size_t bucket_count = std::size_t{1} << 16;
  /// Keeps the top 48 bits of `h`.
  void add(std::uint64_t h) {
    pending_[pending_size_++] = h;
    if (pending_size_ == pending_capacity) flush();
  }
  /// Moves every hash of `other` into this store.
  void append(id_hash_store&& other);
  /// The hashes held more than once across `stores`, as 48-bit values in the top bits (the
  /// low 16 bits are zero), in increasing order; `threads` share the work. Frees the stores.
  static std::vector<std::uint64_t> duplicates(std::vector<id_hash_store>& stores, unsigned threads = 1);
  /// What `add` keeps of a hash, for comparing with duplicates().
  static constexpr std::uint64_t key(std::uint64_t h) noexcept { return h & ~std::uint64_t{0xFFFF}; }

 private:
  // Buckets are chains of 64-byte chunks carved from 1 MiB slabs: per-bucket vectors would
  // waste up to half their capacity, and one big array would need a copy to grow.
  static constexpr std::size_t chunk_values = 15;
  struct chunk {
    std::uint32_t next = 0;  // 1-based index of the next chunk in the chain, 0 at the end
    std::uint32_t values[chunk_values];
  };
  static constexpr std::size_t slab_chunks = 16384;
  // Hashes wait in a small buffer and go into their buckets in bucket order, a few thousand
  // at a time: adding each at once touched a random bucket and chunk per record, a cache
  // miss the hot loop paid for in full.
  static constexpr std::size_t pending_capacity = 4096;
  std::unique_ptr<std::uint64_t[]> pending_ = std::make_unique<std::uint64_t[]>(pending_capacity);
  std::size_t pending_size_ = 0;
  std::unique_ptr<std::uint64_t[]> sorted_;  // flush()'s radix-sort buffer, made on first use
  void flush();
  void insert(std::uint64_t h);
  std::vector<std::unique_ptr<chunk[]>> slabs_;
  std::size_t used_ = 0;              // chunks handed out
  std::vector<std::uint32_t> head_;   // per bucket: 1-based index of its newest chunk, 0 if none
  std::vector<std::uint32_t> count_;  // per bucket: values held
  chunk& at(std::uint32_t one_based) { return slabs_[(one_based - 1) / slab_chunks][(one_based - 1) % slab_chunks]; }
  template <typename F>
  void for_each_in(std::size_t bucket, F&& f);
};

/// How a scorer checks records carrying an `id` for duplicates.
enum class id_mode {
  exact,         ///< remember every id (default; exact, memory grows with ids)
  fingerprint,   ///< score everything, remember 4-byte id hashes for a later global check
  resolved       ///< reject records named in a list of known duplicates (see scorer_ids::resolve)
};

/// A known duplicate id's first record (input name, index, line); in resolved mode a record
/// with such an id is rejected unless it is that first one.
struct first_seen {
  std::string name;          ///< input name, for the message
  std::uint32_t source = 0;  ///< input index (a file named twice is two inputs)
  std::uint64_t line = 0;    ///< line
};

/// Duplicate ids → their first record.
using first_seen_map = std::unordered_map<std::string, first_seen>;

/// The batch driver's access to a scorer's duplicate-id modes (a friend of scorer).
struct scorer_ids {
  /// Switches the id mode of a scorer that is one of many splitting a run's input.
  static void set_mode(scorer& s, id_mode m);
  /// Takes the id hashes collected in fingerprint mode.
  static id_hash_store take_fingerprints(scorer& s);
  /// In fingerprint and resolved modes, also remember each accepted id exactly, so a saved
  /// state (a partial result) can flag ids that recur in another shard.
  static void keep_ids(scorer& s, bool keep);
  /// Installs the duplicate list (shared read-only by all scorers of a run) and switches to
  /// resolved mode.
  static void resolve(scorer& s, std::shared_ptr<const first_seen_map> firsts);
  /// The hash used for id fingerprints: stable across platforms and runs.
  static std::uint64_t fingerprint(std::string_view id) noexcept;
};

}  // namespace decorum::detail
