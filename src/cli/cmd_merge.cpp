// src/cli/cmd_merge.cpp — entry point: run_merge. `decorum merge PARTIAL...`: reads the
// partial results that `decorum score --format partial` wrote for shards of the logs
// (partial.hpp), merges them into one scorer and writes the report one run over every input
// would have written. What a merge cannot settle (an id in two shards) is said on stderr.
#include "commands.hpp"

#include "decorum/compile/compile.hpp"
#include "decorum/api/partial.hpp"
#include "decorum/report/report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

namespace decorum::cli {

int run_merge(const merge_options& o) {
  if (!o.group_by.empty()) {
    // A partial result keeps tallies, not the records' fields, so it cannot tell a tally's group.
    fmt::print(stderr, "decorum merge: --group-by needs the records' fields, which partial results do not carry; run "
                       "`decorum score --group-by {}` over the logs instead\n", o.group_by);
    return exit_usage;
  }
  if (!html_has_destination(o.format, o.output, "merge")) return exit_usage;
  const report_format fmt_out = choose_format(o.format, o.output);
  if (binary_to_terminal(fmt_out, o.output, "merge")) return exit_usage;
  auto rules = load_rules(o.rules_file);
  if (!rules) return exit_failure;

  std::vector<partial_result> parts;
  for (const auto& path : o.partials) {
    auto p = read_partial_file(path);
    if (!p) {
      fmt::print(stderr, "decorum merge: {}: {}\ndecorum merge: no report written\n", p.error().file, p.error().message);
      return exit_failure;
    }
    if (p->state.rulebook != rules->name()) {
      fmt::print(stderr, "decorum merge: {}: scored with rulebook '{}', not '{}'{}\ndecorum merge: no report written\n", path,
                 p->state.rulebook, rules->name(), o.rules_file.empty() ? " (give it with -r)" : "");
      return exit_failure;
    }
    parts.push_back(std::move(*p));
  }
  std::optional<timestamp> as_of;
  if (!parse_as_of(o.as_of, as_of, "merge")) return exit_usage;
  merge_outcome m = merge_partials(rules, parts, o.partials, as_of);
  if (!m.merged) {
    fmt::print(stderr, "decorum merge: {}\ndecorum merge: no report written\n", m.error);
    return exit_failure;
  }
  for (const auto& w : m.warnings) fmt::print(stderr, "decorum merge: warning: {}\n", w);
  if (m.duplicate_ids > 0)
    fmt::print(stderr,
               "decorum merge: warning: {} record id{} occur in more than one partial; each shard scored its own "
               "copy and a merge cannot un-score them (give each shard disjoint inputs)\n",
               m.duplicate_ids, m.duplicate_ids == 1 ? "" : "s");

  score_report rep = m.merged->report();
  rep.source_encodings = m.encodings;
  const bool findings = std::all_of(parts.begin(), parts.end(), [](const partial_result& p) { return p.findings_kept; });
  return finish_report(rep, fmt_out, findings, o.output, o.strict, "merge", 1, wants_bom(fmt_out, o.output, o.bom));
}

}  // namespace decorum::cli
