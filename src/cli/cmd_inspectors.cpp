// src/cli/cmd_inspectors.cpp — entry point: run_inspectors. `decorum inspectors LOG...`: how
// consistently inspectors find fault — per inspector, records, findings and points per 100
// records, and an outlier flag against the other inspectors on the same kinds of records
// (api/inspectors.hpp, report/inspectors.hpp).
#include "commands.hpp"

#include "decorum/api/inspectors.hpp"
#include "decorum/report/inspectors.hpp"

#include <fmt/format.h>

namespace decorum::cli {

int run_inspectors(const inspectors_options& o) {
  std::vector<batch_input> inputs;
  batch_options bo;
  if (!prepare_logs(o.logs, o.input_format, o.encoding, "", o.as_of, o.jobs, "inspectors", inputs, bo)) return exit_usage;
  auto rules = load_rules(o.rules_file);
  if (!rules) return exit_failure;
  bool appeals_ok = true;
  bo.scoring.appeals = load_appeals(o.appeals, bo.encoding, *rules, appeals_ok);
  if (!appeals_ok) {
    fmt::print(stderr, "decorum inspectors: no report written\n");
    return exit_failure;
  }
  std::uint64_t shown = 0;
  show_progress(bo, shown);
  inspector_run run = inspect_batch(rules, std::move(inputs), std::move(bo), static_cast<std::uint64_t>(o.min_records));
  if (shown) fmt::print(stderr, "\r\033[K");
  if (run.fatal) {
    fmt::print(stderr, "{}\n", format_diagnostic(*run.fatal));
    fmt::print(stderr, "decorum inspectors: no report written\n");
    return exit_failure;
  }
  name_encodings(run.report.run.sources, run.report.run.source_encodings, "inspectors");
  const report_format f = choose_format(o.format, o.output, false);
  if (!write_text(o.output, (wants_bom(f, o.output, o.bom) ? utf8_bom : "") + write_inspectors(run.report, f), "inspectors"))
    return exit_failure;
  const score_report& rep = run.report.run;
  if (rep.rejected > 0)
    fmt::print(stderr, "decorum inspectors: {} of {} records rejected (`decorum score` lists them)\n", rep.rejected, rep.records);
  return exit_ok;
}

}  // namespace decorum::cli
