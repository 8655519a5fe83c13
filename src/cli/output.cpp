// src/cli/output.cpp — entry points: load_rules, choose_format, finish_report, write_text.
// The steps every reporting subcommand shares: which rulebook, which format, writing the
// output and the exit status that follows from rejected records.
#include "commands.hpp"

#include <algorithm>
#include <thread>

#include "decorum/compile/compile.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <unistd.h>

namespace decorum::cli {

bool parse_as_of(const std::string& text, std::optional<timestamp>& out, std::string_view command) {
  if (text.empty()) return true;
  out = parse_time(text);
  if (!out) fmt::print(stderr, "decorum {}: --as-of needs an ISO time such as 2026-11-30T18:00, got \"{}\"\n", command, text);
  return out.has_value();
}

bool write_text(const std::string& output, std::string_view text, std::string_view command) {
  std::FILE* out = output.empty() ? stdout : std::fopen(output.c_str(), "wb");
  bool written = out && std::fwrite(text.data(), 1, text.size(), out) == text.size() && std::fflush(out) == 0;
  if (out && out != stdout && std::fclose(out) != 0) written = false;
  if (!written) fmt::print(stderr, "decorum {}: cannot write {}\n", command, output.empty() ? "standard output" : output);
  return written;
}

std::shared_ptr<const rule_set> load_rules(const std::string& rules_file) {
  std::vector<diagnostic> diags;
  auto rules = rules_file.empty() ? builtin_rule_set(diags) : compile_rulebook_file(rules_file, diags);
  for (const auto& d : diags)
    if (d.severity == severity::error) fmt::print(stderr, "{}\n", format_diagnostic(d));
  return rules;
}

report_format choose_format(const std::string& format, const std::string& output) {
  if (format == "table") return report_format::table;
  if (format == "json") return report_format::json;
  if (format == "csv") return report_format::csv;
  return isatty(fileno(stdout)) && output.empty() ? report_format::table : report_format::json;
}

int finish_report(const score_report& rep, report_format f, bool findings, const std::string& output, bool strict,
                  std::string_view command, unsigned threads) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  // The report is written in pieces: a run over many employees never holds it whole.
  std::FILE* out = output.empty() ? stdout : std::fopen(output.c_str(), "wb");
  bool written = out && write_report(rep, f, findings, out, threads);
  if (out && out != stdout && std::fclose(out) != 0) written = false;
  if (!written) {
    fmt::print(stderr, "decorum {}: cannot write {}\n", command, output.empty() ? "standard output" : output);
    return exit_failure;
  }
  if (rep.rejected > 0) {
    fmt::print(stderr, "decorum {}: {} of {} records rejected (listed in the report)\n", command, rep.rejected, rep.records);
    if (strict) return exit_failure;
  }
  return exit_ok;
}

}  // namespace decorum::cli
