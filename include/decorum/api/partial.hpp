// decorum/api/partial.hpp — entry points: `write_partial`, `parse_partial`, `merge_partials`.
// Partial results: a scorer's state saved as versioned JSON (`decorum score --format
// partial`), so shards scored on different machines or nights merge into one report
// (`decorum merge`) equal, byte for byte, to scoring everything at once. Decimals are strings
// of their exact value and times ISO text, so nothing is lost to floating point.
#pragma once

#include "decorum/base/result.hpp"
#include "decorum/tally/state.hpp"
#include "decorum/tally/tally.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace decorum {

/// The version written in `"decorum_partial"`; a reader refuses any other.
inline constexpr int partial_format_version = 2;  // 2: rules across records (SPEC §8)

/// A partial result as read back: the scorer state plus what identifies its rulebook.
struct partial_result {
  scorer_state state;           ///< tallies, findings, ids, rejections, counts
  std::size_t rule_count = 0;   ///< rules in the rulebook that scored it
  std::string rulebook_digest;  ///< digest of that rulebook's text (see rulebook_digest)
  bool findings_kept = false;   ///< scored with --findings: its audit trail is complete
  /// Parallel to `state.sources`: the encoding each input was read as (issue 16); empty when
  /// the partial does not say (written without them).
  std::vector<std::string> encodings;
};

/// The digest of a rule set's source text, "sha256:<64 hex>" (rule_set::sha256): a merge
/// refuses a partial whose digest differs from its rulebook's (SPEC §9).
std::string rulebook_digest(const rule_set& rules);

/// The partial result of a scorer's state as one JSON object (ending in a line break):
/// `{"decorum_partial": 1, "rulebook": {...}, "period": "month", "findings_kept": …,
/// "input": {...}, "sources": [...], "encodings": [...], "tallies": [...], "findings": [...], "ids": [...],
/// "rejected": [...]}`. Deterministic: the same state gives the same bytes. `encodings`
/// (parallel to the state's sources: batch_result::encodings) is written only when given.
std::string write_partial(const scorer_state& state, const rule_set& rules, bool findings_kept,
                          const std::vector<std::string>& encodings = {});

/// Reads a partial result; on anything that is not a well-formed version-1 partial, an error
/// whose message names the offending key and whose file is `name` (never throws for bad
/// input).
result<partial_result> parse_partial(std::string_view json, std::string_view name = {});

/// Reads a partial result from a file; the error's file is `path`.
result<partial_result> read_partial_file(const std::string& path);

/// The outcome of merging partial results.
struct merge_outcome {
  std::optional<scorer> merged;       ///< null when `error` is set
  std::string error;                  ///< why nothing was merged (another rulebook digest, a period mismatch, …)
  std::uint64_t duplicate_ids = 0;    ///< ids found in more than one partial (see merge_partials)
  std::vector<std::string> warnings;  ///< a different rulebook text, an input in two partials, …
  /// Parallel to the merged report's `sources`: the encoding each input was read as, from
  /// the partial that scored it ("" when that partial does not say).
  std::vector<std::string> encodings;
};

/// Merges partial results into one scorer over `rules` (whose name and digest must match theirs; the
/// period kind comes from the partials and must agree). Inputs are registered in name order
/// first, so ties and rejections order as in one `decorum score` run over every input.
/// A record `id` present in several partials is kept once among the known ids, but each
/// shard already scored its record: a merge cannot un-score it, so such ids are counted in
/// `duplicate_ids` for the caller to report. Give every shard disjoint inputs.
/// `names` (one per partial, optional) name the partials in warnings.
/// `as_of` is the as-of time of deadline rules (default: the latest record's time).
merge_outcome merge_partials(std::shared_ptr<const rule_set> rules, const std::vector<partial_result>& parts,
                             const std::vector<std::string>& names = {}, std::optional<timestamp> as_of = std::nullopt);

}  // namespace decorum
