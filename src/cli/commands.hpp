// src/cli/commands.hpp — entry points: run_check, run_rules, … One function per
// subcommand of the decorum CLI; main.cpp parses the command line and dispatches.
#pragma once

#include "decorum/api/batch.hpp"
#include "decorum/report/report.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace CLI {
class App;
}

namespace decorum::cli {

/// Exit codes of SPEC §6.
enum exit_code : int { exit_ok = 0, exit_failure = 1, exit_usage = 2 };

/// Options of `decorum check`.
struct check_options {
  std::vector<std::string> files;
  std::string format = "text";  ///< text, json, sarif or github
  std::string explain;          ///< `--explain CODE`: print the code's explanation instead
};
/// Declares `decorum check` and its options on `app` (cmd_check.cpp keeps them with the command).
CLI::App* add_check_command(CLI::App& app, check_options& o);
/// `decorum check`: validates rulebooks; exit 1 when any has an error.
int run_check(const check_options& o);

/// Options of `decorum fmt`.
struct fmt_options {
  std::vector<std::string> files;  ///< rulebooks or test files; "-": standard input to standard output
  bool check = false;              ///< --check: rewrite nothing; show what differs, exit 1 if anything does
};
/// `decorum fmt`: lays rulebooks out canonically (rulebook/format.hpp), in place, naming the
/// files it changed; exit 1 when a file cannot be read or laid out (or, with --check, differs).
int run_fmt(const fmt_options& o);

/// Options of `decorum rules`.
struct rules_options {
  std::string rules_file;  ///< empty: the built-in rulebook
  std::string format = "table";
};
/// `decorum rules`: lists the compiled rules.
int run_rules(const rules_options& o);

/// Options of `decorum score`.
struct score_options {
  std::vector<std::string> logs;       ///< inputs; "-" is standard input
  std::string rules_file;              ///< empty: the built-in rulebook
  std::string format;                  ///< table|json|csv|xlsx|html|partial; empty: table on a terminal, else json
  std::string output;                  ///< -o FILE; empty: standard output
  bool bom = false;                    ///< --bom: a UTF-8 BOM before a CSV report (automatic for -o *.csv)
  std::string period;                  ///< overrides the rulebook's period
  bool findings = false;               ///< include the audit trail
  std::string input_format;            ///< jsonl|csv; required for standard input
  std::string encoding = "auto";       ///< auto|utf-8|gbk|gb18030|utf-16le|utf-16be
  bool strict = false;                 ///< exit 1 if any record was rejected
  int jobs = 0;                        ///< threads (-j, 1 or more); 0: not given, all cores
  std::string as_of;                   ///< deadline rules' as-of time; empty: the latest record's
  std::vector<std::string> appeals;    ///< --appeals FILE (repeatable): SPEC §10
  std::string group_by;                ///< --group-by FIELD: roll-ups by that record field; empty: none
};
/// `decorum score`: scores logs and writes the report.
int run_score(const score_options& o);

/// Options of `decorum diff`.
struct diff_options {
  std::string old_rules, new_rules;    ///< OLD.yaml and NEW.yaml
  std::vector<std::string> logs;       ///< inputs; "-" is standard input
  std::string format;                  ///< table|json|csv; empty: table on a terminal, else json
  std::string output;                  ///< -o FILE; empty: standard output
  bool bom = false;                    ///< --bom: a UTF-8 BOM before a CSV report (automatic for -o *.csv)
  std::string period;                  ///< overrides both rulebooks' periods
  std::string input_format;            ///< jsonl|csv; required for standard input
  std::string encoding = "auto";       ///< auto|utf-8|gbk|gb18030|utf-16le|utf-16be
  bool strict = false;                 ///< exit 1 if any record was rejected under either rulebook
  int jobs = 0;                        ///< threads (-j, 1 or more); 0: not given, all cores
  std::string as_of;                   ///< deadline rules' as-of time; empty: each side's latest record's
};
/// `decorum diff`: scores logs under two rulebooks and lists the tallies that change (SPEC §11).
int run_diff(const diff_options& o);

/// Options of `decorum test`.
struct test_options {
  std::vector<std::string> files;  ///< rulebooks with `tests:` and test files with `rulebook:`
  double min_coverage = 0;         ///< --min-coverage PCT: fail a file whose tests fire fewer rules
  std::vector<std::string> run;    ///< --run PATTERN (repeatable): run only tests whose name a pattern finds (ECMAScript regex)
  std::string junit;               ///< --junit FILE: also write JUnit XML there
  std::string coverage = "text";   ///< --coverage text|json: json puts the per-rule coverage on stdout, the text on stderr
  bool watch = false;              ///< --watch: re-run when a file changes, until SIGINT/SIGTERM
};
/// `decorum test`: runs rulebook tests; ends with "N passed, N failed"; exit 1 on any failure.
int run_test(const test_options& o);

/// Options of `decorum merge`.
struct merge_options {
  std::vector<std::string> partials;  ///< files written by `decorum score --format partial`
  std::string rules_file;             ///< empty: the built-in rulebook
  std::string format;                 ///< table|json|csv|xlsx|html; empty: table on a terminal, else json
  std::string output;                 ///< -o FILE; empty: standard output
  bool bom = false;                    ///< --bom: a UTF-8 BOM before a CSV report (automatic for -o *.csv)
  bool strict = false;                ///< exit 1 if any record was rejected
  std::string as_of;                  ///< deadline rules' as-of time; empty: the latest record's
  std::string group_by;               ///< --group-by: refused, partial results carry no record fields
};
/// `decorum merge`: merges partial results into the report one run over every input gives.
int run_merge(const merge_options& o);

/// Options of `decorum explain`.
struct explain_options {
  std::string employee;                ///< the employee code to explain
  std::vector<std::string> logs;       ///< inputs; "-" is standard input
  std::string rules_file;              ///< empty: the built-in rulebook
  std::string output;                  ///< -o FILE; empty: standard output
  std::string period;                  ///< one period's label ("2026-11"); empty: every period of theirs
  std::string period_kind;             ///< overrides the rulebook's period (score's --period)
  std::string input_format;            ///< jsonl|csv; required for standard input
  std::string encoding = "auto";       ///< auto|utf-8|gbk|gb18030|utf-16le|utf-16be
  int jobs = 0;                        ///< threads (-j, 1 or more); 0: not given, all cores
  std::string as_of;                   ///< deadline rules' as-of time; empty: the latest record's
  std::vector<std::string> appeals;    ///< --appeals FILE (repeatable): SPEC §10
};
/// `decorum explain`: one employee's score worked out line by line; exit 1 when the employee
/// or period is not in the logs, or when the explanation does not reach the tally.
int run_explain(const explain_options& o);

/// Options of `decorum inspectors`.
struct inspectors_options {
  std::vector<std::string> logs;       ///< inputs; "-" is standard input
  std::string rules_file;              ///< empty: the built-in rulebook
  std::string format;                  ///< table|json|csv; empty: table on a terminal, else json
  std::string output;                  ///< -o FILE; empty: standard output
  bool bom = false;                    ///< --bom: a UTF-8 BOM before a CSV report (automatic for -o *.csv)
  std::string input_format;            ///< jsonl|csv; required for standard input
  std::string encoding = "auto";       ///< auto|utf-8|gbk|gb18030|utf-16le|utf-16be
  int jobs = 0;                        ///< threads (-j, 1 or more); 0: not given, all cores
  std::string as_of;                   ///< deadline rules' as-of time; empty: the latest record's
  std::vector<std::string> appeals;    ///< --appeals FILE (repeatable): voided findings do not count
  int min_records = 20;                ///< flag only inspectors with at least this many records
};
/// `decorum inspectors`: per inspector, records, findings and points per 100 records, and how
/// far their findings sit from what the other inspectors find on the same kinds of records.
int run_inspectors(const inspectors_options& o);

/// Names on standard error each input that was not plain UTF-8 ("x.csv: read as GB18030"), so
/// a detected encoding is never a surprise; `names` and `encodings` are parallel.
void name_encodings(const std::vector<std::string>& names, const std::vector<std::string>& encodings,
                    std::string_view command);

/// The log options `score` and `diff` share, turned into batch inputs (in name order; none:
/// standard input) and batch options; false, having said why for `command`, on a usage error.
bool prepare_logs(std::vector<std::string> logs, const std::string& format_name, const std::string& encoding,
                  const std::string& period, const std::string& as_of, int jobs, std::string_view command,
                  std::vector<batch_input>& inputs, batch_options& options);

/// True when `field` is a field of some record kind of `rules` (standard or declared); else
/// says so for `command`, with the nearest field name, and returns false (a usage error).
bool check_group_by(const std::string& field, const rule_set& rules, std::string_view command);

/// Shows "N MB read…" on standard error while `options`' batch runs, when it is a terminal
/// (as `score` does); `shown` (bytes last shown) must outlive the batch, and a caller clears the
/// line afterwards when it is not 0.
void show_progress(batch_options& options, std::uint64_t& shown);

/// Parses `--as-of TIME` for `command`; false (having said why) when it is not an ISO time.
bool parse_as_of(const std::string& text, std::optional<timestamp>& out, std::string_view command);

/// Writes `text` to `output` (empty: standard output); on failure says so for `command`.
bool write_text(const std::string& output, std::string_view text, std::string_view command);
/// The bytes of file `path` as they are ('-': standard input), or nothing when it cannot be
/// read (missing, a directory, a read error).
std::optional<std::string> read_bytes(const std::string& path);

/// The rulebook at `path`, or ("-") the one on standard input, named `<stdin>` in diagnostics.
std::shared_ptr<const rule_set> compile_rulebook_arg(const std::string& path, std::vector<diagnostic>& diags);

/// The rulebook of `-r FILE` ("-": standard input), or the built-in one when `rules_file` is empty; its errors are
/// printed, and null comes back when it does not compile.
std::shared_ptr<const rule_set> load_rules(const std::string& rules_file);

/// The appeals of `files` (SPEC §10) checked against `rules`: every malformed or duplicate
/// appeal is printed and null comes back (no report may be written); an empty list gives an
/// empty pointer and `ok` stays true.
std::shared_ptr<const appeal_set> load_appeals(const std::vector<std::string>& files, text_encoding enc,
                                               const rule_set& rules, bool& ok);

/// The report format a `-f` value asks for; with none, a table on a terminal, else JSON.
/// With no -f, `-o` names it by extension: .csv, .json, and (when `workbooks`: score and merge)
/// .xlsx and .html.
report_format choose_format(const std::string& format, const std::string& output, bool workbooks = true);

/// The UTF-8 byte-order mark that makes Excel read a CSV file as UTF-8 (not the ANSI code page).
inline constexpr const char* utf8_bom = "\xEF\xBB\xBF";

/// False, having said why, for `-f csv --findings` to standard output: CSV has no room for the
/// findings and there is no file name to put them next to (a usage error, exit 2).
bool csv_findings_have_room(report_format f, bool findings, const std::string& output, std::string_view command);

/// True when a CSV report gets a BOM: `--bom`, or an output file named *.csv (Excel opens it).
bool wants_bom(report_format f, const std::string& output, bool bom);

/// True, having said so for `command`, when an xlsx workbook would go to a terminal (no -o
/// and standard output is one): a usage error, found before anything is read.
bool binary_to_terminal(report_format f, const std::string& output, std::string_view command);
/// False, having said why for `command`, when `-f html` would write a page of markup and
/// inlined JavaScript to a terminal (no -o FILE, standard output a terminal): a usage error.
bool html_has_destination(const std::string& format, const std::string& output, std::string_view command);

/// Writes a report to `output` (empty: standard output) in pieces, and then says on standard
/// error how many records were rejected. The exit code: 1 when writing failed, or when
/// records were rejected under `strict`; else 0. `threads` format the report (0: all cores).
int finish_report(const score_report& rep, report_format f, bool findings, const std::string& output, bool strict,
                  std::string_view command, unsigned threads = 1, bool bom = false);

/// True when standard error is a terminal (for colour and progress).
bool stderr_is_tty();

}  // namespace decorum::cli
