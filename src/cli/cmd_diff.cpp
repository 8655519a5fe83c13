// src/cli/cmd_diff.cpp — entry point: run_diff. `decorum diff OLD.yaml NEW.yaml [LOG...]`
// (SPEC §11): both rulebooks compiled (each one's errors printed), the logs read once and
// scored under each (api/diff.hpp), the changed (employee, period) pairs written as a table,
// JSON or CSV.
#include "commands.hpp"

#include "decorum/api/diff.hpp"
#include "decorum/report/diff.hpp"

#include <fmt/format.h>

namespace decorum::cli {

int run_diff(const diff_options& o) {
  // Usage first: nothing is read when the command line is wrong.
  std::vector<batch_input> inputs;
  batch_options bo;
  if (!prepare_logs(o.logs, o.input_format, o.encoding, o.period, o.as_of, o.jobs, "diff", inputs, bo)) return exit_usage;
  // Both rulebooks are compiled before either gives up, so one run shows every error of both.
  auto old_rules = load_rules(o.old_rules);
  auto new_rules = load_rules(o.new_rules);
  if (!old_rules || !new_rules) {
    fmt::print(stderr, "decorum diff: no report written\n");
    return exit_failure;
  }
  std::uint64_t shown = 0;
  show_progress(bo, shown);
  result<score_diff> d = diff_batch(old_rules, new_rules, std::move(inputs), bo);
  if (shown) fmt::print(stderr, "\r\033[K");
  if (!d) {
    fmt::print(stderr, "{}\n", format_diagnostic(d.error()));
    fmt::print(stderr, "decorum diff: no report written\n");
    return exit_failure;
  }
  // Both sides read the same bytes, so the old side's encodings are the new side's too.
  name_encodings(d->old_report.sources, d->old_report.source_encodings, "diff");
  const report_format f = choose_format(o.format, o.output, false);
  if (!write_text(o.output, (wants_bom(f, o.output, o.bom) ? utf8_bom : "") + write_diff(*d, f), "diff")) return exit_failure;
  // Rejections are counted per rulebook: each types the records against its own schema, so
  // a record one accepts the other may reject.
  bool rejected = false;
  for (const auto& [side, r] : {std::pair<const char*, const score_report*>{"old", &d->old_report}, {"new", &d->new_report}})
    if (r->rejected > 0) {
      rejected = true;
      fmt::print(stderr, "decorum diff: {} of {} records rejected under the {} rulebook ({})\n", r->rejected, r->records,
                 side, r->rulebook);
    }
  return rejected && o.strict ? exit_failure : exit_ok;
}

}  // namespace decorum::cli
