// src/api/diff.cpp — entry point: diff_batch. Reads every log once into memory and hands the
// same bytes to score_batch under each rulebook: the readers type records against a rulebook's
// schema, so each side parses the text itself, but nothing is read from disk (or standard
// input) twice.
#include "decorum/api/diff.hpp"

#include <algorithm>
#include <utility>

namespace decorum {

result<score_diff> diff_batch(std::shared_ptr<const rule_set> old_rules, std::shared_ptr<const rule_set> new_rules,
                              std::vector<batch_input> inputs, const batch_options& options) {
  // Name order, as score_batch reads them: the first unreadable log in that order is the one
  // reported, whatever the command line's order.
  std::sort(inputs.begin(), inputs.end(), [](const batch_input& a, const batch_input& b) { return a.path < b.path; });
  for (batch_input& in : inputs) {
    if (in.text) continue;
    result<std::string> text = load_input(in.path, options.encoding, &in.encoding);
    if (!text) return std::move(text).error();
    in.text = std::make_shared<const std::string>(std::move(*text));
  }
  batch_options opts = options;
  opts.keep_state = false;
  opts.scoring.keep_findings = false;
  score_diff d;
  // Progress counts both scorings: the second continues from the bytes of the first.
  std::uint64_t offset = 0, total = 0;
  for (const batch_input& in : inputs) total += in.text ? in.text->size() : 0;
  if (options.progress) opts.progress = [&](std::uint64_t bytes) { options.progress(offset + bytes); };
  for (auto [rules, report] : {std::pair{&old_rules, &d.old_report}, std::pair{&new_rules, &d.new_report}}) {
    batch_result r = score_batch(*rules, inputs, opts);
    offset += total;
    if (!r.ok()) return std::move(*r.fatal);
    *report = std::move(r.report);
  }
  diff_tallies(d, empty_score(old_rules->scoring()), empty_score(new_rules->scoring()));
  return d;
}

}  // namespace decorum
