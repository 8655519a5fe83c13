// src/cli/guide.hpp — entry points: name_typo, at_least, percent, describe_cli, completion_script.
// What makes the command line guide its user (issue 16): a "did you mean" for a mistyped
// command or option, number checks that say what is allowed, and shell completion scripts
// worked out from the CLI11 app itself, so they cannot fall behind it.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace decorum::cli {

/// Exit 2 and a message ("decorum: error: unknown command 'scroe'; did you mean 'score'?")
/// when argv names a command or a long option `app` does not have; -1 when every name is
/// known (the rest is left to CLI11). Runs before parsing, so a typo is never reported as a
/// missing subcommand or a stray argument.
int name_typo(const CLI::App& app, int argc, char** argv);

struct score_options;
struct check_options;
struct rules_options;
struct test_options;
struct diff_options;
struct explain_options;
struct inspectors_options;

/// False, having said why, when standard input would be read twice (`check - -`, or
/// `score -r -` with logs from standard input too) or where it is not read at all
/// (`decorum test -`): a usage error, found before anything is read.
bool stdin_read_once(const score_options& score, const check_options& check, const rules_options& rules,
                     const test_options& test, const diff_options& diff,
                     const explain_options& explain, const inspectors_options& insp);

/// A whole number no smaller than `min` (and no larger than an int): "must be 1 or more".
CLI::Validator at_least(int min);

/// A number from 0 to 100 (a percentage): "must be a number from 0 to 100".
CLI::Validator percent();

/// One option of a subcommand, as completion scripts and the man page test see it.
struct cli_option {
  std::vector<std::string> longs, shorts;  ///< without dashes
  bool takes_value = false;                ///< false: a flag
  bool number = false;                     ///< its value is a number (nothing to complete)
  bool repeatable = false;                 ///< may be given more than once (--appeals, --run)
  std::vector<std::string> values;         ///< the allowed values (an IsMember check); empty: any / a file
  std::string help;                        ///< its one-line description
};

/// One subcommand: its options and what its positional arguments are.
struct cli_command {
  std::string name, help;
  std::vector<cli_option> options;
  bool positionals = false;             ///< takes positional arguments (files, unless `positional_values`)
  std::vector<std::string> positional_values;  ///< allowed positional values (completion: bash|zsh|fish)
};

/// Every subcommand of `app` with its options, in the order they were added.
std::vector<cli_command> describe_cli(const CLI::App& app);

/// The completion script of `shell` (bash, zsh or fish) for `app`.
std::string completion_script(const CLI::App& app, std::string_view shell);

}  // namespace decorum::cli
