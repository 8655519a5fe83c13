// src/tally/id_store.cpp — entry points: detail::id_table (a scorer's exact ids),
// detail::id_hash_store, detail::scorer_ids (a scorer's id modes). Remembers the ids of
// a parallel run as 48-bit hashes in 65,536 buckets and finds the hashes held more than
// once across all scorers, so duplicate ids are settled globally after scoring.
#include "tally_impl.hpp"

#include "decorum/base/parallel.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

namespace decorum::detail {

std::pair<id_table::where, bool> id_table::emplace(std::string_view id, where at) {
  // Grown at 1/2 full, so linear probes stay short.
  if ((size_ + 1) * 2 > slots_.size()) grow();
  const std::uint64_t h = hash_bytes(id);
  const std::uint64_t tag = h >> 32 << 32;
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = static_cast<std::size_t>(h) & mask;; i = (i + 1) & mask) {
    const std::uint64_t s = slots_[i];
    if (s == 0) {
      if ((size_ >> block_bits) == blocks_.size())
        blocks_.push_back(std::make_unique_for_overwrite<entry[]>(std::size_t{1} << block_bits));
      this->at(size_++) = {arena_.size(), at.line, static_cast<std::uint32_t>(id.size()), at.source};
      arena_.append(id);
      slots_[i] = tag | size_;
      return {at, true};
    }
    if ((s & ~std::uint64_t{0xFFFFFFFF}) == tag) {
      const entry& e = this->at((s & 0xFFFFFFFF) - 1);
      if (e.length == id.size() && std::memcmp(arena_.data() + e.offset, id.data(), id.size()) == 0)
        return {where{e.source, e.line}, false};
    }
  }
}

void id_table::prefetch(std::string_view id) const noexcept {
  if (slots_.empty()) return;
  __builtin_prefetch(&slots_[static_cast<std::size_t>(hash_bytes(id)) & (slots_.size() - 1)]);
}

void id_table::grow() {
  std::vector<std::uint64_t> slots(std::max<std::size_t>(64, slots_.size() * 2), 0);
  const std::size_t mask = slots.size() - 1;
  for (std::uint64_t s : slots_) {
    if (s == 0) continue;
    const entry& e = at((s & 0xFFFFFFFF) - 1);
    // Only the low bits place a slot; the stored top 32 cannot, so hash again.
    std::size_t i = static_cast<std::size_t>(hash_bytes(std::string_view(arena_.data() + e.offset, e.length))) & mask;
    while (slots[i] != 0) i = (i + 1) & mask;
    slots[i] = s;
  }
  slots_ = std::move(slots);
}

void scorer_ids::set_mode(scorer& s, id_mode m) { s.impl_->mode = m; }

void scorer_ids::keep_ids(scorer& s, bool keep) { s.impl_->keep_ids = keep; }

id_hash_store scorer_ids::take_fingerprints(scorer& s) { return std::exchange(s.impl_->fingerprints, id_hash_store{}); }

void id_hash_store::flush() {
  if (pending_size_ == 0) return;
  // Two byte-wide counting-sort passes order the batch by bucket (the top 16 bits).
  if (!sorted_) sorted_ = std::make_unique_for_overwrite<std::uint64_t[]>(pending_capacity);
  std::uint64_t* from = pending_.get();
  std::uint64_t* to = sorted_.get();
  for (int shift : {48, 56}) {
    std::size_t start[257] = {};
    for (std::size_t i = 0; i < pending_size_; ++i) ++start[((from[i] >> shift) & 0xFF) + 1];
    for (std::size_t d = 1; d < 257; ++d) start[d] += start[d - 1];
    for (std::size_t i = 0; i < pending_size_; ++i) to[start[(from[i] >> shift) & 0xFF]++] = from[i];
    std::swap(from, to);
  }
  // After two passes the sorted batch is back in `pending_`.
  for (std::size_t i = 0; i < pending_size_; ++i) insert(from[i]);
  pending_size_ = 0;
}

void id_hash_store::insert(std::uint64_t h) {
  if (head_.empty()) {
    head_.assign(bucket_count, 0);
    count_.assign(bucket_count, 0);
  }
  const std::size_t b = h >> 48;
  const std::uint32_t fill = count_[b] % chunk_values;
  if (fill == 0) {
    if (used_ == slabs_.size() * slab_chunks) slabs_.push_back(std::make_unique<chunk[]>(slab_chunks));
    auto index = static_cast<std::uint32_t>(++used_);
    at(index).next = head_[b];
    head_[b] = index;
  }
  at(head_[b]).values[fill] = static_cast<std::uint32_t>(h >> 16);
  ++count_[b];
}

template <typename F>
void id_hash_store::for_each_in(std::size_t bucket, F&& f) {
  flush();
  if (head_.empty()) return;
  // The newest chunk is partly filled; every older one is full.
  std::uint32_t left = count_[bucket];
  for (std::uint32_t c = head_[bucket]; c != 0; c = at(c).next) {
    std::uint32_t in_chunk = left % chunk_values == 0 ? static_cast<std::uint32_t>(chunk_values) : left % chunk_values;
    const chunk& ch = at(c);
    for (std::uint32_t k = 0; k < in_chunk; ++k) f(ch.values[k]);
    left -= in_chunk;
  }
}

void id_hash_store::append(id_hash_store&& other) {
  other.flush();
  if (other.head_.empty()) return;
  for (std::size_t b = 0; b < bucket_count; ++b)
    other.for_each_in(b, [&](std::uint32_t v) { insert((static_cast<std::uint64_t>(b) << 48) | (static_cast<std::uint64_t>(v) << 16)); });
  other = id_hash_store{};
}

std::vector<std::uint64_t> id_hash_store::duplicates(std::vector<id_hash_store>& stores, unsigned threads) {
  for (auto& s : stores) s.flush();  // for_each_in must not write while threads read
  // Buckets are independent: split them into ranges, one per thread, and concatenate the
  // ranges' results in order, so the answer does not depend on the thread count.
  threads = std::clamp(threads, 1u, 16u);
  std::vector<std::vector<std::uint64_t>> found(threads);
  auto scan_range = [&](unsigned part) {
    std::vector<std::uint32_t> scratch;
    std::vector<std::uint64_t>& out = found[part];
    const std::size_t from = bucket_count * part / threads, to = bucket_count * (part + 1) / threads;
    for (std::size_t b = from; b < to; ++b) {
      scratch.clear();
      for (auto& s : stores) s.for_each_in(b, [&](std::uint32_t v) { scratch.push_back(v); });
      std::sort(scratch.begin(), scratch.end());
      for (std::size_t k = 1; k < scratch.size(); ++k) {
        const std::uint64_t h = (static_cast<std::uint64_t>(b) << 48) | (static_cast<std::uint64_t>(scratch[k]) << 16);
        if (scratch[k] == scratch[k - 1] && (out.empty() || out.back() != h)) out.push_back(h);
      }
    }
  };
  detail::run_parts(threads, scan_range);
  std::vector<std::uint64_t> out;
  for (auto& part : found) out.insert(out.end(), part.begin(), part.end());
  for (auto& s : stores) s = id_hash_store{};
  return out;
}

std::uint64_t scorer_ids::fingerprint(std::string_view id) noexcept {
  // Stable across platforms and runs (std::hash is not); ids of up to 8 bytes never collide.
  return hash_bytes(id);
}

void scorer_ids::resolve(scorer& s, std::shared_ptr<const first_seen_map> firsts) {
  s.impl_->firsts = std::move(firsts);
  s.impl_->mode = id_mode::resolved;
}

}  // namespace decorum::detail
