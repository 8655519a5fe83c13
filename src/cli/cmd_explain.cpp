// src/cli/cmd_explain.cpp — entry point: run_explain. `decorum explain EMPLOYEE LOG...`: scores
// the logs as `score` does, with the audit trail kept, and works one employee's tallies out
// line by line (report/explain.hpp). An explanation that does not end at the tally's number is
// printed with both figures and fails the command: it is never silently wrong.
#include "commands.hpp"

#include "decorum/api/batch.hpp"
#include "decorum/base/text.hpp"
#include "decorum/compile/compile.hpp"
#include "decorum/report/explain.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace decorum::cli {

int run_explain(const explain_options& o) {
  std::vector<batch_input> inputs;
  batch_options bo;
  if (!prepare_logs(o.logs, o.input_format, o.encoding, o.period_kind, o.as_of, o.jobs, "explain", inputs, bo))
    return exit_usage;
  auto rules = load_rules(o.rules_file);
  if (!rules) return exit_failure;
  bool appeals_ok = true;
  auto appeals = load_appeals(o.appeals, bo.encoding, *rules, appeals_ok);
  if (!appeals_ok) {
    fmt::print(stderr, "decorum explain: nothing explained\n");
    return exit_failure;
  }
  bo.scoring.keep_findings = true;
  bo.scoring.appeals = appeals;
  std::uint64_t shown = 0;
  show_progress(bo, shown);
  batch_result res = score_batch(rules, std::move(inputs), bo);
  if (shown) fmt::print(stderr, "\r\033[K");
  if (!res.ok()) {
    if (res.fatal) fmt::print(stderr, "{}\n", format_diagnostic(*res.fatal));
    fmt::print(stderr, "decorum explain: nothing explained\n");
    return exit_failure;
  }
  const score_report& rep = res.report;
  name_encodings(rep.sources, res.encodings, "explain");
  std::vector<const tally*> theirs;
  for (const tally& t : rep.tallies)
    if (t.employee == o.employee) theirs.push_back(&t);
  if (theirs.empty()) {
    // Suggest the nearest code; someone who typed a name is told whose it is.
    std::vector<std::string_view> codes;
    std::vector<std::string> named;
    for (const tally& t : rep.tallies) {
      if (codes.empty() || codes.back() != t.employee) codes.push_back(t.employee);
      if (t.name == o.employee && (named.empty() || named.back() != t.employee)) named.push_back(t.employee);
    }
    std::string hint;
    if (!named.empty()) hint = fmt::format("; '{}' is the name of {}", o.employee, fmt::join(named, ", "));
    else if (auto near = detail::did_you_mean(o.employee, codes); !near.empty()) hint = fmt::format("; did you mean '{}'?", near);
    else if (!codes.empty())
      hint = fmt::format("; the logs have {} employee{}: {}{}", codes.size(), codes.size() == 1 ? "" : "s",
                         fmt::join(codes.begin(), codes.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(codes.size(), 10)), ", "),
                         codes.size() > 10 ? ", …" : "");
    fmt::print(stderr, "decorum explain: no tally for employee '{}' in these logs{}\n", o.employee, hint);
    return exit_failure;
  }
  if (!o.period.empty()) {
    auto it = std::find_if(theirs.begin(), theirs.end(), [&](const tally* t) { return t->period == o.period; });
    if (it == theirs.end()) {
      std::vector<std::string_view> periods;
      for (const tally* t : theirs) periods.push_back(t->period);
      fmt::print(stderr, "decorum explain: employee '{}' has no tally in period '{}'; theirs: {}\n", o.employee, o.period,
                 fmt::join(periods, ", "));
      return exit_failure;
    }
    theirs = {*it};
  }
  std::string text;
  bool agree = true;
  for (std::size_t i = 0; i < theirs.size(); ++i) {
    const explanation e = explain_tally(rep, *rules, *theirs[i]);
    if (i) text += '\n';
    text += write_explanation(e);
    agree = agree && e.disagreements.empty();
  }
  if (!write_text(o.output, text, "explain")) return exit_failure;
  if (rep.rejected > 0)
    fmt::print(stderr, "decorum explain: {} of {} records rejected (`decorum score` lists them)\n", rep.rejected, rep.records);
  if (!agree) {
    fmt::print(stderr, "decorum explain: the explanation of '{}' does not reach the tallied numbers (both shown); please report this\n",
               o.employee);
    return exit_failure;
  }
  return exit_ok;
}

}  // namespace decorum::cli
