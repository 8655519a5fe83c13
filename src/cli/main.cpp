// src/cli/main.cpp — entry point: main. Parses the decorum command line (CLI11) and
// dispatches to one function per subcommand (commands.hpp). Usage errors exit 2.
#include "commands.hpp"
#include "guide.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <exception>

#ifdef __GLIBC__
#include <malloc.h>
#endif

int main(int argc, char** argv) {
  using namespace decorum::cli;
#ifdef __GLIBC__
  // Scoring threads allocate almost nothing per record, but glibc gives each thread its own
  // arena, and their fragments cost ~20 MB of resident memory on a 10 M-record run for no
  // measurable speed (bench/RESULTS.md). One arena keeps memory flat.
  mallopt(M_ARENA_MAX, 1);
#endif
  CLI::App app{"decorum — score service staff against a written conduct standard"};
  app.set_version_flag("--version", "decorum 0.1.0");
  app.require_subcommand(1);

  check_options check;
  auto* c = add_check_command(app, check);

  fmt_options fmt_opts;
  auto* f = app.add_subcommand("fmt", "lay rulebooks out canonically (key order, indentation), keeping comments");
  f->add_option("files", fmt_opts.files, "rulebooks or test files, rewritten in place ('-': standard input to output)")
      ->required();
  f->add_flag("--check", fmt_opts.check, "rewrite nothing: print what differs as a diff, exit 1 if anything does");

  rules_options rules;
  auto* r = app.add_subcommand("rules", "list the compiled rules (id, on, points, category, title)");
  r->add_option("-r,--rules", rules.rules_file, "rulebook ('-': standard input; default: the built-in one)");

  score_options score;
  auto* s = app.add_subcommand("score", "score inspection logs ('-' or none: standard input)");
  s->add_option("logs", score.logs, "JSON Lines (.jsonl/.ndjson) or CSV (.csv) logs");
  s->add_option("-r,--rules", score.rules_file,
                "rulebook ('-': standard input, the logs then files; default: the built-in rules/property-customer-service.yaml)");
  s->add_option("-f,--format", score.format,
                 "table, json, csv, xlsx (a workbook: -o FILE or a redirected standard output), html (one self-contained "
                 "page with charts; needs -o FILE or a pipe), or partial "
                 "(a partial result for `decorum merge`; default: table on a terminal, else json)")
      ->check(CLI::IsMember({"table", "json", "csv", "xlsx", "html", "partial"}));
  s->add_option("-o,--output", score.output, "write the report to FILE");
  s->add_flag("--bom", score.bom, "start a CSV report with a UTF-8 BOM so Excel reads it as UTF-8 (automatic for -o *.csv)");
  s->add_option("--period", score.period, "override the rulebook's period: day, week, month, quarter, year, all")
      ->check(CLI::IsMember({"day", "week", "month", "quarter", "year", "all"}));
  s->add_flag("--findings", score.findings, "include every finding (an audit trail)");
  s->add_option("--input-format", score.input_format, "jsonl or csv (required for standard input)")
      ->check(CLI::IsMember({"jsonl", "csv"}));
  s->add_option("--encoding", score.encoding, "auto (default: BOM, else UTF-8, else detected), utf-8, gbk, gb18030, utf-16le or utf-16be")->check(CLI::IsMember({"auto", "utf-8", "utf8", "gbk", "gb18030", "utf-16le", "utf-16be"}));
  s->add_flag("--strict", score.strict, "exit 1 if any record was rejected");
  s->add_option("-j,--jobs", score.jobs, "threads (default: all cores)")->check(at_least(1));
  s->add_option("--as-of", score.as_of, "judge deadline rules' open duties as of TIME (default: the latest record's time)");
  s->add_option("--appeals", score.appeals,
                "apply appeals (JSON Lines or CSV): void or uphold findings; repeatable, one file each")
      ->allow_extra_args(false);
  s->add_option("--group-by", score.group_by,
                "add roll-ups by a record field (site, role, inspector or a declared one): employees, mean and median "
                "score, deductions by category, grade counts");

  test_options test;
  auto* t = app.add_subcommand("test", "run rulebook tests; ends with \"N passed, N failed\"");
  t->add_option("files", test.files, "rulebooks with tests, or test files (rulebook: PATH, tests:)")->required();
  t->add_option("--min-coverage", test.min_coverage, "fail when the tests of a file fire fewer than PCT% of its rules")
      ->check(percent());
  t->add_option("--run", test.run,
                "run only the tests whose name PATTERN (a regular expression) finds; repeatable, any one matches")
      ->allow_extra_args(false);
  t->add_option("--junit", test.junit, "also write the results as JUnit XML to FILE (for CI)");
  t->add_option("--coverage", test.coverage,
                "text (default), or json: per rule the tests that made it fire, on standard output (the text report "
                "then goes to standard error)")
      ->check(CLI::IsMember({"text", "json"}));
  t->add_flag("--watch", test.watch, "run again whenever a file (or the rulebook a test file names) changes; Ctrl-C stops");

  merge_options merge;
  auto* m = app.add_subcommand("merge", "merge partial results (score --format partial) into one report");
  m->add_option("partials", merge.partials, "partial results")->required();
  m->add_option("-r,--rules", merge.rules_file, "rulebook they were scored with (default: the built-in one)");
  m->add_option("-f,--format", merge.format, "table, json, csv, xlsx or html (default: table on a terminal, else json)")
      ->check(CLI::IsMember({"table", "json", "csv", "xlsx", "html"}));
  m->add_option("-o,--output", merge.output, "write the report to FILE");
  m->add_flag("--bom", merge.bom, "start a CSV report with a UTF-8 BOM so Excel reads it as UTF-8 (automatic for -o *.csv)");
  m->add_flag("--strict", merge.strict, "exit 1 if any record was rejected");
  m->add_option("--as-of", merge.as_of, "judge deadline rules' open duties as of TIME (default: the latest record's time)");
  m->add_option("--group-by", merge.group_by, "not available: partial results carry no record fields (use score --group-by)");

  diff_options diff;
  auto* d = app.add_subcommand("diff", "what changes if the rules change: score logs under OLD and NEW, list the changed tallies");
  d->add_option("old", diff.old_rules, "the rulebook in force (OLD.yaml)")->required();
  d->add_option("new", diff.new_rules, "the proposed rulebook (NEW.yaml)")->required();
  d->add_option("logs", diff.logs, "JSON Lines (.jsonl/.ndjson) or CSV (.csv) logs ('-' or none: standard input)");
  d->add_option("-f,--format", diff.format, "table, json or csv (default: table on a terminal, else json)")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  d->add_option("-o,--output", diff.output, "write the report to FILE");
  d->add_flag("--bom", diff.bom, "start a CSV report with a UTF-8 BOM so Excel reads it as UTF-8 (automatic for -o *.csv)");
  d->add_option("--period", diff.period, "override both rulebooks' period: day, week, month, quarter, year, all")
      ->check(CLI::IsMember({"day", "week", "month", "quarter", "year", "all"}));
  d->add_option("--input-format", diff.input_format, "jsonl or csv (required for standard input)")
      ->check(CLI::IsMember({"jsonl", "csv"}));
  d->add_option("--encoding", diff.encoding, "auto (default: BOM, else UTF-8, else detected), utf-8, gbk, gb18030, utf-16le or utf-16be")->check(CLI::IsMember({"auto", "utf-8", "utf8", "gbk", "gb18030", "utf-16le", "utf-16be"}));
  d->add_flag("--strict", diff.strict, "exit 1 if any record was rejected under either rulebook");
  d->add_option("-j,--jobs", diff.jobs, "threads (default: all cores)")->check(at_least(1));
  d->add_option("--as-of", diff.as_of, "judge deadline rules' open duties as of TIME (default: the latest record's time)");

  explain_options explain;
  auto* x = app.add_subcommand("explain", "one employee's score worked out line by line, ending at the tallied number");
  x->add_option("employee", explain.employee, "employee code")->required();
  x->add_option("logs", explain.logs, "JSON Lines (.jsonl/.ndjson) or CSV (.csv) logs ('-' or none: standard input)");
  x->add_option("-r,--rules", explain.rules_file, "rulebook (default: the built-in one)");
  x->add_option("-o,--output", explain.output, "write the explanation to FILE");
  x->add_option("--period", explain.period, "explain only this period (its label, e.g. 2026-11; default: every one)");
  x->add_option("--period-kind", explain.period_kind, "override the rulebook's period: day, week, month, quarter, year, all")
      ->check(CLI::IsMember({"day", "week", "month", "quarter", "year", "all"}));
  x->add_option("--input-format", explain.input_format, "jsonl or csv (required for standard input)")
      ->check(CLI::IsMember({"jsonl", "csv"}));
  x->add_option("--encoding", explain.encoding, "auto (default: BOM, else UTF-8, else detected), utf-8, gbk, gb18030, utf-16le or utf-16be")->check(CLI::IsMember({"auto", "utf-8", "utf8", "gbk", "gb18030", "utf-16le", "utf-16be"}));
  x->add_option("-j,--jobs", explain.jobs, "threads (default: all cores)")->check(at_least(1));
  x->add_option("--as-of", explain.as_of, "judge deadline rules' open duties as of TIME (default: the latest record's time)");
  x->add_option("--appeals", explain.appeals, "apply appeals (JSON Lines or CSV); repeatable, one file each")
      ->allow_extra_args(false);

  inspectors_options insp;
  auto* i = app.add_subcommand("inspectors", "inspector consistency: findings and points per 100 records, outliers flagged");
  i->add_option("logs", insp.logs, "JSON Lines (.jsonl/.ndjson) or CSV (.csv) logs ('-' or none: standard input)");
  i->add_option("-r,--rules", insp.rules_file, "rulebook (default: the built-in one)");
  i->add_option("-f,--format", insp.format, "table, json or csv (default: table on a terminal, else json)")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  i->add_option("-o,--output", insp.output, "write the report to FILE");
  i->add_flag("--bom", insp.bom, "start a CSV report with a UTF-8 BOM so Excel reads it as UTF-8 (automatic for -o *.csv)");
  i->add_option("--input-format", insp.input_format, "jsonl or csv (required for standard input)")
      ->check(CLI::IsMember({"jsonl", "csv"}));
  i->add_option("--encoding", insp.encoding, "auto (default: BOM, else UTF-8, else detected), utf-8, gbk, gb18030, utf-16le or utf-16be")->check(CLI::IsMember({"auto", "utf-8", "utf8", "gbk", "gb18030", "utf-16le", "utf-16be"}));
  i->add_option("-j,--jobs", insp.jobs, "threads (default: all cores)")->check(at_least(1));
  i->add_option("--as-of", insp.as_of, "judge deadline rules' open duties as of TIME (default: the latest record's time)");
  i->add_option("--appeals", insp.appeals, "apply appeals: voided findings do not count; repeatable")->allow_extra_args(false);
  i->add_option("--min-records", insp.min_records, "flag only inspectors with at least N records (default 20)")
      ->check(at_least(0));

  std::string shell;
  auto* k = app.add_subcommand("completion", "print a completion script for bash, zsh or fish (source <(decorum completion bash))");
  k->add_option("shell", shell, "bash, zsh or fish")->required()->check(CLI::IsMember({"bash", "zsh", "fish"}));

  if (int code = name_typo(app, argc, argv); code >= 0) return code;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : exit_usage;
  }
  if (!stdin_read_once(score, check, rules, test, diff, explain, insp)) return exit_usage;
  try {
    if (k->parsed()) {
      fmt::print("{}", completion_script(app, shell));
      return exit_ok;
    }
    if (s->parsed()) return run_score(score);
    if (c->parsed()) return run_check(check);
    if (f->parsed()) return run_fmt(fmt_opts);
    if (r->parsed()) return run_rules(rules);
    if (t->parsed()) return run_test(test);
    if (m->parsed()) return run_merge(merge);
    if (d->parsed()) return run_diff(diff);
    if (x->parsed()) return run_explain(explain);
    if (i->parsed()) return run_inspectors(insp);
  } catch (const std::exception& e) {
    fmt::print(stderr, "decorum: error: {}\n", e.what());
    return exit_failure;
  }
  return exit_usage;
}
