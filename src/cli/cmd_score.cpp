// src/cli/cmd_score.cpp — entry point: run_score. The main job: read logs (read.hpp),
// score them (tally.hpp) with the chosen or built-in rulebook, write the report
// (report.hpp). Inputs are read in name order so a shuffled command line yields the same
// report, byte for byte.
#include "commands.hpp"

#include "decorum/batch.hpp"
#include "decorum/compile.hpp"
#include "decorum/partial.hpp"
#include "decorum/read.hpp"
#include "decorum/report.hpp"
#include "decorum/tally.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <unistd.h>

namespace decorum::cli {

namespace {

/// Feeds one reader's records and rejections straight into a scorer.
class scorer_sink final : public record_sink {
 public:
  explicit scorer_sink(scorer& s) : s_(s) {}
  void on_record(const record& r) override { s_.add(r); }
  void on_reject(rejection r) override { s_.reject(r.source, r.line, std::move(r.reason)); }

 private:
  scorer& s_;
};

/// `--format partial`: one scorer on this thread, so its whole state can be saved.
/// score_batch merges its workers' scorers internally and hands back only the report; until
/// it can hand back the merged state too, partials are scored here. Inputs are still read
/// in name order and ids checked exactly, so the state counts what a batch run would count.
int score_partial(std::shared_ptr<const rule_set> rules, const std::vector<std::string>& logs,
                  const std::vector<input_format>& formats, text_encoding enc, const decorum::score_options& opts,
                  const score_options& o) {
  scorer s(rules, opts);
  scorer_sink sink(s);
  for (std::size_t i = 0; i < logs.size(); ++i) {
    std::uint32_t src = s.add_source(logs[i]);
    input_result res = read_input(rules->schema(), logs[i], formats[i], enc, src, sink);
    if (!res.ok) {
      if (res.fatal) fmt::print(stderr, "{}\n", format_diagnostic(*res.fatal));
      fmt::print(stderr, "decorum score: no partial result written\n");
      return exit_failure;
    }
  }
  scorer_state st = s.export_state();
  std::string text = write_partial(st, *rules, opts.keep_findings);
  if (!write_text(o.output, text, "score")) return exit_failure;
  if (st.rejected > 0) {
    fmt::print(stderr, "decorum score: {} of {} records rejected (listed in the partial result)\n", st.rejected, st.read);
    if (o.strict) return exit_failure;
  }
  return exit_ok;
}

}  // namespace

int run_score(const score_options& o) {
  // Usage first: nothing is read when the command line is wrong.
  std::optional<period_kind> period;
  if (!o.period.empty()) {
    period = parse_period_kind(o.period);
    if (!period) {
      fmt::print(stderr, "decorum score: --period must be day, week, month, quarter, year or all\n");
      return exit_usage;
    }
  }
  text_encoding enc = text_encoding::utf8;
  if (o.encoding == "gbk") enc = text_encoding::gbk;
  else if (o.encoding == "gb18030") enc = text_encoding::gb18030;
  else if (o.encoding != "utf-8" && o.encoding != "utf8") {
    fmt::print(stderr, "decorum score: --encoding must be utf-8, gbk or gb18030\n");
    return exit_usage;
  }
  std::vector<std::string> logs = o.logs.empty() ? std::vector<std::string>{"-"} : o.logs;
  std::sort(logs.begin(), logs.end());
  std::vector<input_format> formats;
  for (const auto& l : logs) {
    std::optional<input_format> f;
    if (o.input_format == "jsonl") f = input_format::jsonl;
    else if (o.input_format == "csv") f = input_format::csv;
    else if (l != "-") f = format_from_path(l);
    if (!f) {
      if (l == "-") fmt::print(stderr, "decorum score: reading standard input needs --input-format jsonl|csv\n");
      else fmt::print(stderr, "decorum score: {}: cannot tell the format from the name; use --input-format jsonl|csv\n", l);
      return exit_usage;
    }
    formats.push_back(*f);
  }
  report_format fmt_out = isatty(fileno(stdout)) && o.output.empty() ? report_format::table : report_format::json;
  if (o.format == "table") fmt_out = report_format::table;
  else if (o.format == "json") fmt_out = report_format::json;
  else if (o.format == "csv") fmt_out = report_format::csv;
  const bool partial = o.format == "partial";

  std::vector<diagnostic> diags;
  auto rules = o.rules_file.empty() ? builtin_rule_set(diags) : compile_rulebook_file(o.rules_file, diags);
  for (const auto& d : diags)
    if (d.severity == severity::error) fmt::print(stderr, "{}\n", format_diagnostic(d));
  if (!rules) return exit_failure;

  if (partial) {
    decorum::score_options so;
    so.period = period;
    so.keep_findings = o.findings;
    return score_partial(rules, logs, formats, enc, so, o);
  }

  batch_options bo;
  bo.encoding = enc;
  bo.scoring.period = period;
  bo.scoring.keep_findings = o.findings;
  bo.threads = static_cast<unsigned>(o.jobs);
  bool progress = stderr_is_tty();
  std::uint64_t shown = 0;
  if (progress)
    bo.progress = [&](std::uint64_t bytes) {
      if (bytes - shown >= (64u << 20)) {
        shown = bytes;
        fmt::print(stderr, "\r{} MB read…", bytes >> 20);
      }
    };
  std::vector<batch_input> inputs;
  for (std::size_t i = 0; i < logs.size(); ++i) inputs.push_back({logs[i], formats[i]});
  batch_result res = score_batch(rules, std::move(inputs), bo);
  if (progress && shown) fmt::print(stderr, "\r\033[K");
  if (!res.ok) {
    // An input that cannot be read at all fails the run: a partial report would look
    // complete and silently lose that file's records.
    if (res.fatal) fmt::print(stderr, "{}\n", format_diagnostic(*res.fatal));
    fmt::print(stderr, "decorum score: no report written\n");
    return exit_failure;
  }
  score_report& rep = res.report;
  std::string text = write_report(rep, fmt_out, o.findings);
  if (o.output.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
  } else {
    std::ofstream out(o.output, std::ios::binary);
    out << text;
    if (!out) {
      fmt::print(stderr, "decorum score: cannot write {}\n", o.output);
      return exit_failure;
    }
  }
  if (rep.rejected > 0) {
    fmt::print(stderr, "decorum score: {} of {} records rejected (listed in the report)\n", rep.rejected, rep.records);
    if (o.strict) return exit_failure;
  }
  return exit_ok;
}

}  // namespace decorum::cli
