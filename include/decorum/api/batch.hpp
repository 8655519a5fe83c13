// decorum/api/batch.hpp — entry point: `score_batch`. Scores whole log files on many threads:
// the reading thread splits each input into chunks of whole records (read.hpp), workers
// parse and score chunks with their own scorers, and the partial tallies are merged. The
// report is byte-identical to one thread's, whatever the thread count or input order.
#pragma once

#include "decorum/read/read.hpp"
#include "decorum/tally/state.hpp"
#include "decorum/tally/tally.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace decorum {

/// Scores what a reader reads: each record goes to `scorer::add`, each rejection to
/// `scorer::reject` (read_input(…, sink) straight into a scorer). The scorer must outlive it.
class scorer_sink final : public record_sink {
 public:
  /// Feeds `s`.
  explicit scorer_sink(scorer& s) : scorer_(s) {}
  /// Scores one record.
  void on_record(const record& r) override { scorer_.add(r); }
  /// Counts one rejection, with its input, line and reason.
  void on_reject(rejection r) override { scorer_.reject(r.source, r.line, std::move(r.reason)); }

 private:
  scorer& scorer_;
};

/// One log to score.
struct batch_input {
  std::string path;             ///< file name, or "-" for standard input
  input_format format = input_format::jsonl;
  /// When set, the log's UTF-8 text already in memory (load_input): it is split from there
  /// and `path` only names it, so one reading of a file can feed several batches.
  std::shared_ptr<const std::string> text;
  /// With `text`: the encoding it was decoded from (load_input's), for batch_result::encodings.
  std::string encoding;
};

/// How to score a batch.
struct batch_options {
  text_encoding encoding = text_encoding::automatic;  ///< of every input; automatic: per file
  score_options scoring;                         ///< period override, findings
  unsigned threads = 0;                          ///< 0: all cores
  std::size_t block_size = default_block_size;   ///< chunk size (tests shrink it)
  /// Also return the merged scorer's state (for `decorum score --format partial`).
  bool keep_state = false;
  /// Called on the reading thread after each chunk with the bytes read so far (progress).
  std::function<void(std::uint64_t bytes)> progress;
};

/// The outcome: a report, or the diagnostic of an input that could not be read at all.
struct batch_result {
  std::optional<diagnostic> fatal;   ///< missing file, directory, bad CSV header, …
  /// True unless an input could not be read at all (`fatal`).
  bool ok() const noexcept { return !fatal; }
  score_report report;               ///< valid when ok
  std::optional<scorer_state> state;  ///< the merged scorer's state, when keep_state was set
  /// Per input, in the report's `sources` order: the encoding it was decoded from ("UTF-8",
  /// "GB18030", "UTF-16LE"; see input_result::encoding).
  std::vector<std::string> encodings;
};

/// Scores the inputs (read in name order). Duplicate `id`s are settled globally: records
/// are scored optimistically while 4-byte (48-bit) id hashes are collected; only if two hashes
/// collide are the inputs read again to reject every copy but the first. Standard input
/// cannot be read twice, so a batch that includes it runs on one thread with exact ids
/// (unless its `text` is given: memory can be read again).
batch_result score_batch(std::shared_ptr<const rule_set> rules, std::vector<batch_input> inputs,
                         const batch_options& options);

}  // namespace decorum
