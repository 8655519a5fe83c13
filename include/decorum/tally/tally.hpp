// decorum/tally/tally.hpp — entry points: `scorer`, `score_report`. Evaluates every applicable
// rule on each record and accumulates per-employee, per-period tallies (SPEC §4): points,
// progressive prices, caps, fines, flags, categories, clamps and grades. Memory grows with
// employees × periods × fired rules, not with records (unless findings are kept for an
// audit trail). Tallies of scorers over disjoint shards merge exactly.
#pragma once

#include "decorum/base/result.hpp"
#include "decorum/compile/compile.hpp"
#include "decorum/eval/eval.hpp"
#include "decorum/check/record.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace decorum {

/// One rule's part of a tally.
struct rule_tally {
  std::string id;          ///< rule id
  std::uint64_t count = 0; ///< occurrences (sum of `times`)
  decimal points;          ///< net points after the cap
  decimal fines;           ///< money
};

/// One employee's result for one period.
struct tally {
  std::string employee, name, period;  ///< who, the last name given in time order, and when
  decimal base, deductions, bonuses, score, fines;
  std::optional<std::string> grade;    ///< null when no band is reached
  std::uint64_t findings = 0;          ///< findings (record × rule that fired)
  std::vector<std::string> flags;      ///< sorted, unique
  std::vector<std::pair<std::string, decimal>> categories;  ///< sorted by category
  std::vector<rule_tally> rules;       ///< fired rules in rulebook order
};

/// One finding of the audit trail: every point traces to a rule and a record.
struct finding {
  std::string employee, period, rule;  ///< who, when, which rule
  std::string time;                    ///< the record's time as ISO text
  std::uint64_t occurrences = 0;       ///< `times`
  decimal points, fine;                ///< this finding's share (progressive prices in time order; before the cap)
  std::string source;                  ///< input file
  std::uint64_t line = 0;              ///< record line
  std::string rule_file;               ///< rulebook file
  std::uint32_t rule_line = 0;         ///< the rule's line in the rulebook
  std::string matched;                 ///< what matched: phrases found, field values compared
};

/// The result of a scoring run (SPEC §5).
struct score_report {
  std::string rulebook;                ///< rulebook name
  std::size_t rule_count = 0;          ///< rules in the rulebook
  period_kind period = period_kind::month;
  std::string currency = "CNY";
  std::uint64_t records = 0, scored = 0, rejected = 0;  ///< records = scored + rejected
  std::vector<tally> tallies;          ///< by employee (code point order) then period
  std::vector<std::string> sources;    ///< input names as given; rejection::source indexes this
  std::vector<rejection> rejections;   ///< in input order (input name, then line)
  std::vector<finding> findings;       ///< when requested; by employee, period, time

  /// The name of the input a rejection comes from.
  const std::string& source_name(const rejection& r) const { return sources.at(r.source); }
};

/// Scoring options.
struct score_options {
  std::optional<period_kind> period;   ///< overrides the rulebook's period
  bool keep_findings = false;          ///< keep the audit trail (memory grows with findings)
};

/// Everything a scorer has accumulated, by name rather than by index, so it can be saved
/// (a partial result), loaded elsewhere and merged: `decorum score --format partial` on
/// shards, then `decorum merge`.
struct scorer_state {
  /// One rule's accumulator inside a tally.
  struct rule_part {
    std::string rule;              ///< rule id
    std::uint64_t count = 0;       ///< occurrences
    std::uint64_t findings = 0;    ///< records it fired on
    decimal points, fines;         ///< sums of rounded finding amounts (progressive: priced at report time)
  };
  /// One employee × period accumulator.
  struct tally_part {
    std::string employee;
    std::int32_t period_key = 0;   ///< period_key() of the scorer's period kind
    bool has_name = false;         ///< a name was given
    std::string name;              ///< the latest name given…
    std::int64_t name_time = 0;    ///< …at this written time,
    std::uint32_t name_source = 0; ///< …in this input (index into sources),
    std::uint64_t name_line = 0;   ///< …on this line
    std::vector<rule_part> rules;
  };
  /// One kept finding (audit trail).
  struct finding_part {
    std::uint32_t tally = 0;       ///< index into tallies
    std::string rule;
    std::uint32_t source = 0;
    std::uint64_t line = 0, occurrences = 0;
    timestamp time;
    decimal points, fine;
    std::string matched;
  };
  /// An id seen in exact mode and where.
  struct id_part {
    std::string id;
    std::uint32_t source = 0;
    std::uint64_t line = 0;
  };
  std::string rulebook;                 ///< rule set name, checked on import
  period_kind period = period_kind::month;
  std::vector<std::string> sources;     ///< input names
  std::vector<tally_part> tallies;
  std::vector<finding_part> findings;
  std::vector<id_part> ids;
  std::vector<rejection> rejections;    ///< `source` indexes `sources`
  std::uint64_t read = 0, scored = 0, rejected = 0;
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

/// Accumulates tallies for records. One scorer per thread; the rule set is shared.
class scorer {
 public:
  /// A scorer over a compiled rule set.
  explicit scorer(std::shared_ptr<const rule_set> rules, score_options opts = {});
  ~scorer();
  scorer(scorer&&) noexcept;
  scorer& operator=(scorer&&) noexcept;

  /// Registers an input; records carry the returned index in `record::source`. Naming the
  /// same file twice registers two inputs.
  std::uint32_t add_source(std::string name);
  /// Scores one well-typed record (from a reader or built in code). A record whose `id`
  /// an accepted record already carries is rejected instead (returns false).
  bool add(const record& r);
  /// Counts a rejected record and lists it.
  void reject(std::uint32_t source, std::uint64_t line, std::string reason);
  /// Folds another scorer's tallies into this one (disjoint shards, same rule set): the
  /// result equals one scorer having seen both inputs.
  void merge(scorer&& other);
  /// A copy of everything accumulated so far.
  scorer_state export_state() const;
  /// Adds a saved state (from a scorer over the same rulebook and period kind) to this one.
  /// Fails, changing nothing, when the rulebook name, period kind or a rule id does not
  /// match. An id present in both is kept once; the record behind it was scored twice, and
  /// the result is the count of such ids.
  result<std::uint64_t> import_state(const scorer_state& s);
  /// Computes the report: tallies, clamps, grades; does not consume the scorer, so more
  /// records may follow and a later report includes them. `threads` build the tallies
  /// (the result does not depend on how many).
  score_report report(unsigned threads = 1) const;

  /// The rule set in use.
  const rule_set& rules() const noexcept { return *rules_; }

  /// How records carrying an `id` are checked for duplicates.
  enum class id_mode {
    exact,         ///< remember every id (default; exact, memory grows with ids)
    fingerprint,   ///< score everything, remember 4-byte id hashes for a later global check
    resolved       ///< reject records named in a list of known duplicates (see resolve_ids)
  };
  /// Switches the id mode; for the parallel batch driver, which splits the input over many
  /// scorers and settles duplicates globally afterwards.
  void set_id_mode(id_mode m);
  /// Takes the id hashes collected in fingerprint mode.
  id_hash_store take_id_fingerprints();
  /// In fingerprint and resolved modes, also remember each accepted id exactly, so a saved
  /// state (a partial result) can flag ids that recur in another shard.
  void set_keep_ids(bool keep);
  /// The hash used for id fingerprints.
  static std::uint64_t id_fingerprint(std::string_view id) noexcept;
  /// Known duplicate ids and where each was first seen (input name, line); in resolved mode
  /// a record with such an id is rejected unless it is that first one.
  struct first_seen {
    std::string name;          ///< input name, for the message
    std::uint32_t source = 0;  ///< input index (a file named twice is two inputs)
    std::uint64_t line = 0;    ///< line
  };
  /// Duplicate ids → their first record.
  using first_seen_map = std::unordered_map<std::string, first_seen>;
  /// Installs the duplicate list (shared read-only by all scorers of a run).
  void resolve_ids(std::shared_ptr<const first_seen_map> firsts);

 private:
  struct impl;
  std::shared_ptr<const rule_set> rules_;
  std::unique_ptr<impl> impl_;
};

}  // namespace decorum
