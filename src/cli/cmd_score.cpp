// src/cli/cmd_score.cpp — entry point: run_score. The main job: read logs (read.hpp),
// score them (tally.hpp) with the chosen or built-in rulebook, write the report
// (report.hpp). Inputs are read in name order so a shuffled command line yields the same
// report, byte for byte.
#include "commands.hpp"

#include "decorum/api/batch.hpp"
#include "decorum/compile/compile.hpp"
#include "decorum/api/partial.hpp"
#include "decorum/read/read.hpp"
#include "decorum/report/report.hpp"
#include "decorum/tally/tally.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace decorum::cli {

int run_score(const score_options& o) {
  // Usage first: nothing is read when the command line is wrong.
  std::vector<batch_input> inputs;
  batch_options bo;
  if (!prepare_logs(o.logs, o.input_format, o.encoding, o.period, o.as_of, o.jobs, "score", inputs, bo)) return exit_usage;
  const bool partial = o.format == "partial";
  if (!html_has_destination(o.format, o.output, "score")) return exit_usage;
  if (partial && !o.appeals.empty()) {
    fmt::print(stderr, "decorum score: --appeals cannot go into a partial result; score the whole run with them\n");
    return exit_usage;
  }
  if (!partial && binary_to_terminal(choose_format(o.format, o.output), o.output, "score")) return exit_usage;
  if (!partial && !csv_findings_have_room(choose_format(o.format, o.output), o.findings, o.output, "score")) return exit_usage;
  if (partial && !o.group_by.empty()) {
    fmt::print(stderr, "decorum score: --group-by cannot go into a partial result (it carries no groups); use it on the "
                       "whole run\n");
    return exit_usage;
  }
  auto rules = load_rules(o.rules_file);
  if (!rules) return exit_failure;
  if (!o.group_by.empty() && !check_group_by(o.group_by, *rules, "score")) return exit_usage;
  // SPEC §10: appeals change pay, so a bad one stops the run before anything is scored.
  bool appeals_ok = true;
  auto appeals = load_appeals(o.appeals, bo.encoding, *rules, appeals_ok);
  if (!appeals_ok) {
    fmt::print(stderr, "decorum score: no report written\n");
    return exit_failure;
  }

  // The HTML report shows each employee's findings: without them it would be a table with
  // charts, so `-f html` keeps them as --findings does (memory grows with findings).
  const report_format chosen = choose_format(o.format, o.output);
  const bool html = !partial && chosen == report_format::html;
  bo.scoring.keep_findings = o.findings || html;
  bo.scoring.appeals = appeals;
  bo.scoring.group_by = o.group_by;
  bo.keep_state = partial;
  std::uint64_t shown = 0;
  show_progress(bo, shown);
  batch_result res = score_batch(rules, std::move(inputs), bo);
  if (shown) fmt::print(stderr, "\r\033[K");
  if (!res.ok()) {
    // An input that cannot be read at all fails the run: a partial report would look
    // complete and silently lose that file's records.
    if (res.fatal) fmt::print(stderr, "{}\n", format_diagnostic(*res.fatal));
    fmt::print(stderr, "decorum score: no report written\n");
    return exit_failure;
  }
  const score_report& rep = res.report;
  name_encodings(rep.sources, rep.source_encodings, "score");
  if (!partial) {
    int code = finish_report(rep, chosen, o.findings || html, o.output, o.strict, "score", static_cast<unsigned>(o.jobs),
                             wants_bom(chosen, o.output, o.bom));
    // The report and the tallies behind it are hundreds of thousands of small allocations;
    // freeing them one by one took longer than writing the report. The process is done, so
    // let its exit return the memory (streams flushed first).
    if (std::fflush(nullptr) != 0 && code == exit_ok) {
      std::fputs("decorum score: cannot write standard output\n", stderr);
      code = exit_failure;
    }
    std::_Exit(code);
  }
  if (!write_text(o.output, write_partial(*res.state, *rules, o.findings, res.encodings), "score")) return exit_failure;
  if (rep.rejected > 0) {
    fmt::print(stderr, "decorum score: {} of {} records rejected (listed in the partial result)\n", rep.rejected,
               rep.records);
    if (o.strict) return exit_failure;
  }
  return exit_ok;
}

}  // namespace decorum::cli
