// src/cli/output.cpp — entry points: prepare_logs, name_encodings, show_progress, load_rules, read_bytes, compile_rulebook_arg, choose_format,
// binary_to_terminal, html_has_destination, finish_report,
// write_text. The steps every reporting subcommand shares: which logs and how to read them,
// which rulebook, which format, writing the output and the exit status that follows from
// rejected records.
#include "commands.hpp"

#include <algorithm>
#include <cctype>
#include <thread>

#include "decorum/base/text.hpp"
#include "decorum/compile/compile.hpp"
#include "decorum/read/appeals.hpp"
#include "decorum/report/xlsx.hpp"
#include "decorum/tally/appeals.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <unistd.h>

namespace decorum::cli {

bool prepare_logs(std::vector<std::string> logs, const std::string& format_name, const std::string& encoding,
                  const std::string& period, const std::string& as_of, int jobs, std::string_view command,
                  std::vector<batch_input>& inputs, batch_options& options) {
  if (!period.empty()) {
    options.scoring.period = parse_period_kind(period);
    if (!options.scoring.period) {
      fmt::print(stderr, "decorum {}: --period must be day, week, month, quarter, year or all\n", command);
      return false;
    }
  }
  if (encoding == "auto") options.encoding = text_encoding::automatic;
  else if (encoding == "utf-8" || encoding == "utf8") options.encoding = text_encoding::utf8;
  else if (encoding == "gbk") options.encoding = text_encoding::gbk;
  else if (encoding == "gb18030") options.encoding = text_encoding::gb18030;
  else if (encoding == "utf-16le") options.encoding = text_encoding::utf16le;
  else if (encoding == "utf-16be") options.encoding = text_encoding::utf16be;
  else {
    fmt::print(stderr, "decorum {}: --encoding must be auto, utf-8, gbk, gb18030, utf-16le or utf-16be\n", command);
    return false;
  }
  if (logs.empty()) logs.push_back("-");
  std::sort(logs.begin(), logs.end());
  inputs.clear();
  for (const auto& l : logs) {
    std::optional<input_format> f;
    if (format_name == "jsonl") f = input_format::jsonl;
    else if (format_name == "csv") f = input_format::csv;
    else if (l != "-") f = format_from_path(l);
    if (!f) {
      if (l == "-") fmt::print(stderr, "decorum {}: reading standard input needs --input-format jsonl|csv\n", command);
      else fmt::print(stderr, "decorum {}: {}: cannot tell the format from the name; use --input-format jsonl|csv\n", command, l);
      return false;
    }
    inputs.push_back({l, *f, nullptr, {}});
  }
  options.threads = static_cast<unsigned>(jobs);
  return parse_as_of(as_of, options.scoring.as_of, command);
}

void name_encodings(const std::vector<std::string>& names, const std::vector<std::string>& encodings,
                    std::string_view command) {
  for (std::size_t i = 0; i < names.size() && i < encodings.size(); ++i)
    if (!encodings[i].empty() && encodings[i] != "UTF-8")
      fmt::print(stderr, "decorum {}: {}: read as {}\n", command, names[i] == "-" ? "<stdin>" : names[i], encodings[i]);
}

bool check_group_by(const std::string& field, const rule_set& rules, std::string_view command) {
  if (rules.schema().any_kind_has(field)) return true;
  std::vector<std::string_view> names;
  for (const kind_schema& k : rules.schema().kinds())
    for (const field_schema& f : k.fields)
      if (std::find(names.begin(), names.end(), f.name) == names.end()) names.push_back(f.name);
  const std::string near = detail::did_you_mean(field, names);
  fmt::print(stderr, "decorum {}: --group-by: no record kind of rulebook '{}' has a field '{}'{}\n", command, rules.name(),
             field, near.empty() ? std::string() : fmt::format("; did you mean '{}'?", near));
  return false;
}

void show_progress(batch_options& options, std::uint64_t& shown) {
  if (!stderr_is_tty()) return;
  options.progress = [&shown](std::uint64_t bytes) {
    if (bytes - shown >= (64u << 20)) {
      shown = bytes;
      fmt::print(stderr, "\r{} MB read…", bytes >> 20);
    }
  };
}

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

std::optional<std::string> read_bytes(const std::string& path) {
  std::FILE* in = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (!in) return std::nullopt;
  std::string text;
  char buf[65536];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, in)) > 0;) text.append(buf, n);
  const bool failed = std::ferror(in) != 0;  // a directory opens, then fails to read
  if (in != stdin) std::fclose(in);
  if (failed) return std::nullopt;
  return text;
}

std::shared_ptr<const rule_set> compile_rulebook_arg(const std::string& path, std::vector<diagnostic>& diags) {
  if (path != "-") return compile_rulebook_file(path, diags);
  // Named <stdin> in diagnostics and reports, as the log readers name it.
  return compile_rulebook("<stdin>", read_bytes("-").value_or(std::string()), diags);
}

std::shared_ptr<const rule_set> load_rules(const std::string& rules_file) {
  std::vector<diagnostic> diags;
  auto rules = rules_file.empty() ? builtin_rule_set(diags) : compile_rulebook_arg(rules_file, diags);
  for (const auto& d : diags)
    if (d.severity == severity::error) fmt::print(stderr, "{}\n", format_diagnostic(d));
  return rules;
}

std::shared_ptr<const appeal_set> load_appeals(const std::vector<std::string>& files, text_encoding enc,
                                               const rule_set& rules, bool& ok) {
  ok = true;
  if (files.empty()) return nullptr;
  // Every file is read and every error shown before giving up: a reviewer fixes them in one go.
  std::vector<appeal> all;
  std::vector<diagnostic> errors;
  for (const auto& f : files) {
    appeals_read r = read_appeals(f, enc);
    for (auto& d : r.errors) errors.push_back(std::move(d));
    for (auto& a : r.appeals) all.push_back(std::move(a));
  }
  if (errors.empty()) {
    auto set = appeal_set::make(rules, std::move(all));
    if (set) return *set;
    errors = set.error();
  }
  for (const auto& d : errors) fmt::print(stderr, "{}\n", format_diagnostic(d));
  ok = false;
  return nullptr;
}

namespace {

bool ends_with(std::string_view s, std::string_view tail) {
  if (s.size() < tail.size()) return false;
  for (std::size_t i = 0; i < tail.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[s.size() - tail.size() + i])) != tail[i]) return false;
  return true;
}

}  // namespace

report_format choose_format(const std::string& format, const std::string& output, bool workbooks) {
  if (format == "table") return report_format::table;
  if (format == "json") return report_format::json;
  if (format == "csv") return report_format::csv;
  if (format == "xlsx") return report_format::xlsx;
  if (format == "html") return report_format::html;
  if (format.empty()) {
    // -o names the format when -f does not: report.csv is CSV, not JSON in a .csv file.
    if (ends_with(output, ".csv")) return report_format::csv;
    if (ends_with(output, ".json")) return report_format::json;
    if (workbooks && ends_with(output, ".xlsx")) return report_format::xlsx;
    if (workbooks && (ends_with(output, ".html") || ends_with(output, ".htm"))) return report_format::html;
  }
  return isatty(fileno(stdout)) && output.empty() ? report_format::table : report_format::json;
}

bool csv_findings_have_room(report_format f, bool findings, const std::string& output, std::string_view command) {
  if (f != report_format::csv || !findings || !output.empty()) return true;
  fmt::print(stderr,
             "decorum {}: a CSV report holds only the tallies; with --findings give -o FILE.csv (findings go to "
             "FILE.findings.csv) or use -f json or xlsx\n",
             command);
  return false;
}

bool wants_bom(report_format f, const std::string& output, bool bom) {
  return f == report_format::csv && (bom || ends_with(output, ".csv"));
}

bool binary_to_terminal(report_format f, const std::string& output, std::string_view command) {
  if (f != report_format::xlsx || !output.empty() || !isatty(fileno(stdout))) return false;
  fmt::print(stderr, "decorum {}: an xlsx workbook is not for a terminal; give -o FILE or redirect standard output\n", command);
  return true;
}

bool html_has_destination(const std::string& format, const std::string& output, std::string_view command) {
  if (format != "html" || !output.empty() || !isatty(fileno(stdout))) return true;
  fmt::print(stderr, "decorum {}: an HTML report is a file to open in a browser; give -o FILE (or pipe it)\n", command);
  return false;
}

int finish_report(const score_report& rep, report_format f, bool findings, const std::string& output, bool strict,
                  std::string_view command, unsigned threads, bool bom) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  // The report is written in pieces: a run over many employees never holds it whole. The
  // file is opened here for every format, so a path that cannot be written fails alike.
  std::FILE* out = output.empty() ? stdout : std::fopen(output.c_str(), "wb");
  bool written = false;
  std::string why;
  if (out && f == report_format::xlsx) {
    auto w = write_xlsx(rep, findings, out);
    written = w.ok();
    if (!w) why = ": " + w.error();
  } else if (out) {
    written = (!bom || std::fputs(utf8_bom, out) >= 0) && write_report(rep, f, findings, out, threads);
  }
  if (out && out != stdout && std::fclose(out) != 0) written = false;
  if (!written) {
    fmt::print(stderr, "decorum {}: cannot write {}{}\n", command, output.empty() ? "standard output" : output, why);
    return exit_failure;
  }
  // CSV holds one table, the tallies: the findings and rejected rows go to companion files
  // next to it (X.findings.csv, X.rejected.csv), named here, so nothing is lost quietly.
  std::string rejected_where = "listed in the report";
  if (f == report_format::csv) {
    const std::string stem = ends_with(output, ".csv") ? output.substr(0, output.size() - 4) : output;
    auto companion = [&](const std::string& path, const std::string& text, const char* what) {
      if (!write_text(path, (bom ? utf8_bom : "") + text, command)) return false;
      fmt::print(stderr, "decorum {}: {} written to {}\n", command, what, path);
      return true;
    };
    if (output.empty()) {
      rejected_where = "CSV keeps only the tallies: -o FILE.csv lists them in FILE.rejected.csv, -f json in the report";
      // score refuses this before reading (csv_findings_have_room); merge learns of the
      // findings from the partial results, so it says where they went instead.
      if (findings && !rep.findings.empty())
        fmt::print(stderr, "decorum {}: {} findings are not in a CSV report: -o FILE.csv writes them to FILE.findings.csv\n",
                   command, rep.findings.size());
    } else {
      if (findings && !companion(stem + ".findings.csv", write_findings_csv(rep), "findings")) return exit_failure;
      if (rep.rejected > 0) {
        if (!companion(stem + ".rejected.csv", write_rejected_csv(rep), "rejected records")) return exit_failure;
        rejected_where = "listed in " + stem + ".rejected.csv";
      }
    }
  }
  int code = exit_ok;
  if (rep.rejected > 0) {
    fmt::print(stderr, "decorum {}: {} of {} records rejected ({})\n", command, rep.rejected, rep.records, rejected_where);
    if (strict) code = exit_failure;
  }
  // SPEC §10: an appeal that matched nothing is listed; --strict makes it fatal.
  if (!rep.appeals.unmatched.empty()) {
    fmt::print(stderr, "decorum {}: {} appeal{} matched no finding (listed in the report)\n", command,
               rep.appeals.unmatched.size(), rep.appeals.unmatched.size() == 1 ? "" : "s");
    if (strict) code = exit_failure;
  }
  return code;
}

}  // namespace decorum::cli
