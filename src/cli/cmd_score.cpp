// src/cli/cmd_score.cpp — entry point: run_score. The main job: read logs (read.hpp),
// score them (tally.hpp) with the chosen or built-in rulebook, write the report
// (report.hpp). Inputs are read in name order so a shuffled command line yields the same
// report, byte for byte.
#include "commands.hpp"

#include "decorum/compile.hpp"
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

/// Feeds reader output into a scorer, and shows progress on a terminal.
class scoring_sink final : public record_sink {
 public:
  scoring_sink(scorer& s, bool progress) : scorer_(s), progress_(progress) {}
  void on_record(const record& r) override {
    scorer_.add(r);
    tick();
  }
  void on_reject(rejection r) override {
    scorer_.reject(r.source, r.line, std::move(r.reason));
    tick();
  }
  void done() {
    if (progress_ && count_ >= step) fmt::print(stderr, "\r{} records read\n", count_);
  }

 private:
  static constexpr std::uint64_t step = 1u << 20;
  scorer& scorer_;
  bool progress_;
  std::uint64_t count_ = 0;
  void tick() {
    if (++count_ % step == 0 && progress_) fmt::print(stderr, "\r{} records read…", count_);
  }
};

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

  std::vector<diagnostic> diags;
  auto rules = o.rules_file.empty() ? builtin_rule_set(diags) : compile_rulebook_file(o.rules_file, diags);
  for (const auto& d : diags)
    if (d.severity == severity::error) fmt::print(stderr, "{}\n", format_diagnostic(d));
  if (!rules) return exit_failure;

  decorum::score_options so;
  so.period = period;
  so.keep_findings = o.findings;
  scorer s(rules, so);
  scoring_sink sink(s, stderr_is_tty());
  for (std::size_t i = 0; i < logs.size(); ++i) {
    std::uint32_t src = s.add_source(logs[i]);
    input_result res = read_input(rules->schema(), logs[i], formats[i], enc, src, sink);
    if (!res.ok) {
      // An input that cannot be read at all fails the run: a partial report would look
      // complete and silently lose that file's records.
      if (res.fatal) fmt::print(stderr, "{}\n", format_diagnostic(*res.fatal));
      fmt::print(stderr, "decorum score: no report written\n");
      return exit_failure;
    }
  }
  sink.done();
  score_report rep = s.report();
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
