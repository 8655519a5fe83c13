// src/cli/cmd_check.cpp — entry points: add_check_command, run_check, run_rules. Rule authors'
// commands: validate rulebooks with compiler-style diagnostics (or SARIF, GitHub annotations,
// JSON), explain a diagnostic code, and list what a rulebook compiles to.
#include "commands.hpp"

#include "decorum/base/text.hpp"
#include "decorum/compile/compile.hpp"
#include "decorum/decorum.h"
#include "decorum/report/diagnostics.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <unistd.h>

namespace decorum::cli {

bool stderr_is_tty() { return isatty(fileno(stderr)) != 0; }

CLI::App* add_check_command(CLI::App& app, check_options& o) {
  auto* c = app.add_subcommand("check", "validate rulebooks; diagnostics as FILE:LINE:COL: error[CODE]: MESSAGE");
  c->add_option("rulebook", o.files, "rulebook files ('-': standard input, named <stdin>)");
  c->add_option("--format", o.format, "text, json, sarif (SARIF 2.1.0) or github (workflow commands)")
      ->check(CLI::IsMember({"text", "json", "sarif", "github"}));
  c->add_option("--explain", o.explain, "print what a diagnostic code (D203) means, with an example; 'list' lists them");
  return c;
}

namespace {

/// `--explain CODE`: the code's entry of the table, or a usage error with a hint.
int explain(const std::string& name) {
  if (name == "list") {
    for (const auto& i : all_codes()) fmt::print("{}  {}\n", code_name(i.code), i.title);
    return exit_ok;
  }
  if (auto c = parse_code(name)) {
    fmt::print("{}", explain_code(*find_code(*c)));
    return exit_ok;
  }
  std::vector<std::string> names;
  for (const auto& i : all_codes()) names.push_back(code_name(i.code));
  std::string upper = name;
  for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  const std::string hint = detail::did_you_mean(upper, std::vector<std::string_view>(names.begin(), names.end()));
  fmt::print(stderr, "decorum check: unknown diagnostic code '{}'{}; `decorum check --explain list` lists them\n", name,
             hint.empty() ? std::string() : fmt::format(" (did you mean {}?)", hint));
  return exit_usage;
}

}  // namespace

int run_check(const check_options& o) {
  if (!o.explain.empty()) return explain(o.explain);
  if (o.files.empty()) {
    fmt::print(stderr, "decorum check: give one or more rulebook files (or --explain CODE)\n");
    return exit_usage;
  }
  std::vector<diagnostic> all;
  std::size_t errors = 0, warnings = 0;
  std::string summary;
  for (const auto& f : o.files) {
    std::vector<diagnostic> diags;
    auto rs = compile_rulebook_arg(f, diags);  // "-": standard input
    sort_by_position(diags);
    std::size_t e = 0, w = 0;
    for (const auto& d : diags) (d.severity == severity::error ? e : w) += 1;
    errors += e;
    warnings += w;
    if (o.format == "text") {
      const std::string name = f == "-" ? "<stdin>" : f;  // as its diagnostics name it
      for (const auto& d : diags) fmt::print(stderr, "{}\n", format_diagnostic(d));
      if (rs) {
        const std::size_t n = rs->distinct_rules();
        summary += fmt::format("{}: ok, {} rule{}, {} warning{}\n", name, n, n == 1 ? "" : "s", w, w == 1 ? "" : "s");
      } else {
        summary += fmt::format("{}: {} error{}, {} warning{}\n", name, e, e == 1 ? "" : "s", w, w == 1 ? "" : "s");
      }
    }
    all.insert(all.end(), diags.begin(), diags.end());
  }
  if (o.format == "json") {
    fmt::print("{{\"files\": {}, \"errors\": {}, \"warnings\": {}, \"diagnostics\": {}}}\n", o.files.size(), errors,
               warnings, diagnostics_to_json(all));
  } else if (o.format == "sarif") {
    fmt::print("{}", diagnostics_to_sarif(all, decorum_version()));
  } else if (o.format == "github") {
    fmt::print("{}", diagnostics_to_github(all));
  } else {
    fmt::print("{}", summary);
  }
  return errors ? exit_failure : exit_ok;
}

int run_rules(const rules_options& o) {
  auto rs = load_rules(o.rules_file);
  if (!rs) return exit_failure;
  const auto& kinds = rs->schema().kinds();
  std::size_t wid = 2, won = 2, wpts = 6, wcat = 8;
  for (const auto& r : rs->rules()) {
    wid = std::max(wid, r.id.size());
    won = std::max(won, kinds[static_cast<std::size_t>(r.kind)].name.size());
    wpts = std::max(wpts, static_cast<std::size_t>(detail::display_width(r.describe_points())));
    wcat = std::max(wcat, r.category.size());
  }
  wpts = std::min<std::size_t>(wpts, 40);
  auto pad = [](std::string_view s, std::size_t w) {
    auto dw = static_cast<std::size_t>(detail::display_width(s));
    return std::string(s) + std::string(w > dw ? w - dw : 0, ' ');
  };
  // SPEC §9: every version of a rule is listed with its range; the column appears only when
  // some rule has an `effective` range, so listings of unversioned rulebooks stay as they were.
  const bool dated = std::any_of(rs->rules().begin(), rs->rules().end(), [](const compiled_rule& r) { return r.effective.present; });
  std::size_t weff = 9;
  for (const auto& r : rs->rules()) weff = std::max(weff, r.effective.describe().size());
  const std::string eff_head = dated ? pad("effective", weff) + "  " : std::string();
  fmt::print("{}  {}  {}{}  {}  {}\n", pad("id", wid), pad("on", won), eff_head, pad("points", wpts), pad("category", wcat),
             "title");
  for (const auto& r : rs->rules()) {
    std::string pts = r.describe_points();
    if (r.fine_constant || !r.fine_progressive.empty() || !r.fine.empty()) {
      std::string fine = r.fine_constant ? r.fine_constant->to_string() : !r.fine.empty() ? r.fine.source : "[…]";
      pts += fmt::format(" fine {}", fine);
    }
    if (r.cap) pts += fmt::format(" cap {}", r.cap->to_string());
    const std::string eff = dated ? pad(r.effective.describe(), weff) + "  " : std::string();
    fmt::print("{}  {}  {}{}  {}  {}{}\n", pad(r.id, wid), pad(kinds[static_cast<std::size_t>(r.kind)].name, won), eff,
               pad(pts, wpts), pad(r.category, wcat), r.title, r.enabled ? "" : " (disabled)");
  }
  if (rs->has_versions())
    fmt::print("{} rules ({} versions) from {} ({})\n", rs->distinct_rules(), rs->rules().size(), rs->file(), rs->name());
  else
    fmt::print("{} rule{} from {} ({})\n", rs->rules().size(), rs->rules().size() == 1 ? "" : "s", rs->file(), rs->name());
  return exit_ok;
}

}  // namespace decorum::cli
