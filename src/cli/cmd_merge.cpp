// src/cli/cmd_merge.cpp — entry point: run_merge. `decorum merge PARTIAL...`: reads the
// partial results that `decorum score --format partial` wrote for shards of the logs
// (partial.hpp), merges them into one scorer and writes the report one run over every input
// would have written. What a merge cannot settle (an id in two shards) is said on stderr.
#include "commands.hpp"

#include "decorum/compile.hpp"
#include "decorum/partial.hpp"
#include "decorum/report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <unistd.h>

namespace decorum::cli {

bool write_text(const std::string& output, std::string_view text, std::string_view command) {
  if (output.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return true;
  }
  std::ofstream out(output, std::ios::binary);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) {
    fmt::print(stderr, "decorum {}: cannot write {}\n", command, output);
    return false;
  }
  return true;
}

int run_merge(const merge_options& o) {
  report_format fmt_out = isatty(fileno(stdout)) && o.output.empty() ? report_format::table : report_format::json;
  if (o.format == "table") fmt_out = report_format::table;
  else if (o.format == "json") fmt_out = report_format::json;
  else if (o.format == "csv") fmt_out = report_format::csv;

  std::vector<diagnostic> diags;
  auto rules = o.rules_file.empty() ? builtin_rule_set(diags) : compile_rulebook_file(o.rules_file, diags);
  for (const auto& d : diags)
    if (d.severity == severity::error) fmt::print(stderr, "{}\n", format_diagnostic(d));
  if (!rules) return exit_failure;

  std::vector<partial_result> parts;
  for (const auto& path : o.partials) {
    std::string error;
    auto p = read_partial_file(path, error);
    if (!p) {
      fmt::print(stderr, "decorum merge: {}\ndecorum merge: no report written\n", error);
      return exit_failure;
    }
    if (p->state.rulebook != rules->name()) {
      fmt::print(stderr, "decorum merge: {}: scored with rulebook '{}', not '{}'{}\ndecorum merge: no report written\n", path,
                 p->state.rulebook, rules->name(), o.rules_file.empty() ? " (give it with -r)" : "");
      return exit_failure;
    }
    parts.push_back(std::move(*p));
  }
  merge_outcome m = merge_partials(rules, parts, o.partials);
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
  const bool findings = std::all_of(parts.begin(), parts.end(), [](const partial_result& p) { return p.findings_kept; });
  if (!write_text(o.output, write_report(rep, fmt_out, findings), "merge")) return exit_failure;
  if (rep.rejected > 0) {
    fmt::print(stderr, "decorum merge: {} of {} records rejected (listed in the report)\n", rep.rejected, rep.records);
    if (o.strict) return exit_failure;
  }
  return exit_ok;
}

}  // namespace decorum::cli
