// tests/cli/test_guide.cpp — entry point: doctest cases "guide cli: …" (ctest e2e-guide).
// A CLI that guides (issue 16): a mistyped command or option answered with the nearest real
// one, number options that say what they accept, rulebooks from standard input (`check -`,
// `-r -`), `decorum completion bash|zsh|fish` (the bash script driven through bash itself),
// the manual page docs/decorum.1 checked against the CLI's own options, and the README's
// shell blocks all marked for CI (scripts/readme_snippets.py --shell).
#include <doctest/doctest.h>

#ifdef DECORUM_CLI

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>

#include "support/cli_run.hpp"

namespace fs = std::filesystem;

namespace {

using namespace decorum::test;

/// Runs `script` with bash (or another shell) in `cwd`, DECORUM naming the built CLI.
run_result run_shell(const std::string& shell, const std::string& script, const fs::path& cwd = e2e_dir) {
  static int n = 0;
  const fs::path file = e2e_scratch() / ("script" + std::to_string(n++));
  spit(file, "export DECORUM=" + shell_quote(DECORUM_CLI) + "\n" + script);
  return run_command(shell + " " + shell_quote(file.string()), cwd);
}

/// What the bash completion offers for the words of a command line (the last one is completed).
std::string complete_bash(const std::string& words, int cword, const fs::path& cwd = e2e_dir) {
  const run_result r = run_shell("bash", "source <(\"$DECORUM\" completion bash)\nCOMP_WORDS=(" + words +
                                             ")\nCOMP_CWORD=" + std::to_string(cword) + "\n_decorum\necho \"${COMPREPLY[*]}\"\n",
                                 cwd);
  INFO("bash stderr: " << r.err);
  CHECK(r.status == 0);
  return r.out.empty() ? r.out : r.out.substr(0, r.out.size() - 1);
}

/// tests/golden/check_bad.yaml: a rulebook full of mistakes.
const fs::path bad_rulebook = fs::path(DECORUM_TEST_DIR) / "golden" / "check_bad.yaml";

/// The words of `s` in order: compgen -f lists files in directory order.
std::string sorted_words(const std::string& s) {
  std::set<std::string> w;
  std::string cur;
  for (char c : s + " ") {
    if (c != ' ') cur += c;
    else if (!cur.empty()) w.insert(cur), cur.clear();
  }
  std::string out;
  for (const auto& x : w) out += (out.empty() ? "" : " ") + x;
  return out;
}

bool on_path(const std::string& program) {
  return std::system(("command -v " + program + " >/dev/null 2>&1").c_str()) == 0;
}

}  // namespace

TEST_CASE("guide cli: a mistyped command gets the nearest one, not \"a subcommand is required\"") {
  const run_result r = run_cli("scroe", "");
  CHECK(r.status == 2);
  CHECK(r.err == "decorum: error: unknown command 'scroe'; did you mean 'score'?\n");
  CHECK(run_cli("chekc", "rules.yaml").err == "decorum: error: unknown command 'chekc'; did you mean 'check'?\n");
  // Nothing close: the commands are listed instead.
  const run_result far = run_cli("frobnicate", "");
  CHECK(far.status == 2);
  CHECK(has(far.err, "decorum: error: unknown command 'frobnicate'; the commands are check, fmt, rules, score, test"));
  CHECK(has(far.err, "completion\n"));
  // Top-level options still work, and an unknown one before the command is named.
  CHECK(run_cli("--version", "").status == 0);
  const run_result top = run_cli("--verison", "");
  CHECK(top.status == 2);
  CHECK(top.err == "decorum: error: unknown option '--verison'; did you mean '--version'?\n");
}

TEST_CASE("guide cli: a mistyped option gets the nearest option of that command") {
  const run_result r = run_cli("score", "--findngs cap.jsonl");
  CHECK(r.status == 2);
  CHECK(r.err == "decorum score: error: unknown option '--findngs'; did you mean '--findings'?\n");
  CHECK(r.out.empty());
  // With an inline value, the name alone is shown and matched.
  CHECK(run_cli("score", "--fromat=json cap.jsonl").err ==
        "decorum score: error: unknown option '--fromat'; did you mean '--format'?\n");
  // The nearest option of this command: explain has --period-kind, score has not.
  CHECK(has(run_cli("explain", "E1 --period-knd day").err, "did you mean '--period-kind'?"));
  // Nothing close, or an unknown short option: where to look.
  const run_result far = run_cli("check", "--xyzzy cap.yaml");
  CHECK(far.status == 2);
  CHECK(far.err == "decorum check: error: unknown option '--xyzzy' (decorum check --help lists them)\n");
  CHECK(run_cli("rules", "-x").err == "decorum rules: error: unknown option '-x' (decorum rules --help lists them)\n");
  // An option's value that starts with '-' is a value (a --run pattern, a negative number), and
  // after `--` everything is positional.
  CHECK(!has(run_cli("test", "--run -x testrun/calls.yaml").err, "unknown option"));
  CHECK(!has(run_cli("score", "-- --not-an-option").err, "unknown option"));
}

TEST_CASE("guide cli: every number option says what it accepts") {
  // -j of every command that has it: 0, negative, text and too large are all refused alike.
  for (const std::string cmd : {"score cap.jsonl", "diff diff-old.yaml diff-new.yaml diff.jsonl", "explain E1 cap.jsonl",
                                "inspectors inspectors.jsonl"}) {
    for (const std::string bad : {"-1", "0", "abc", "99999999999", "1.5"}) {
      CAPTURE(cmd);
      CAPTURE(bad);
      const run_result r = run_cli(cmd.substr(0, cmd.find(' ')), cmd.substr(cmd.find(' ') + 1) + " -j " + bad);
      CHECK(r.status == 2);
      CHECK(has(r.err, "--jobs: must be 1 or more (got '" + bad + "')"));
      CHECK(r.err.size() < 200);  // not a range of 300-digit doubles
    }
  }
  CHECK(run_cli("score", "-j 2 -f json cap.jsonl -r cap.yaml").status == 0);
  for (const std::string bad : {"-1", "x"}) {
    const run_result r = run_cli("inspectors", "inspectors.jsonl --min-records " + bad);
    CHECK(r.status == 2);
    CHECK(has(r.err, "--min-records: must be 0 or more (got '" + bad + "')"));
  }
  CHECK(run_cli("inspectors", "-f json inspectors.jsonl -r inspectors.yaml --min-records 0").status == 0);
  for (const std::string bad : {"-1", "100.5", "abc"}) {
    const run_result r = run_cli("test", "--min-coverage " + bad + " testrun/calls.tests.yaml");
    CHECK(r.status == 2);
    CHECK(has(r.err, "--min-coverage: must be a number from 0 to 100 (got '" + bad + "')"));
  }
  CHECK(run_cli("test", "--min-coverage 0 testrun/calls.tests.yaml").status == 0);
}

TEST_CASE("guide cli: check - reads the rulebook from standard input, named <stdin>") {
  const run_result ok = run_cli("check", "-", e2e_dir, e2e_dir / "cap.yaml");
  CHECK(ok.status == 0);
  CHECK(has(ok.out, "<stdin>: ok, 3 rules, 0 warnings"));
  // One rule is "1 rule", not "1 rules".
  const fs::path one = e2e_scratch() / "one-rule.yaml";
  std::ofstream(one) << "decorum: 1\nname: one\nrecords:\n  call:\n    rings: int\nrules:\n"
                        "  - id: a\n    on: call\n    when: rings > 3\n    deduct: 1\n";
  CHECK(has(run_cli("check", "-", e2e_dir, one).out, "<stdin>: ok, 1 rule, 0 warnings"));
  const run_result file = run_cli("check", "cap.yaml");
  CHECK(ok.out.substr(ok.out.find(':')) == file.out.substr(file.out.find(':')));
  // Diagnostics name it like a file, line and column included; a file and '-' mix.
  const run_result bad = run_cli("check", "cap.yaml -", e2e_dir, bad_rulebook);
  CHECK(bad.status == 1);
  CHECK(has(bad.err, "<stdin>:"));
  CHECK(std::regex_search(bad.err, std::regex("(^|\n)<stdin>:[0-9]+:[0-9]+: error\\[D[0-9]+\\]: ")));
  CHECK(has(bad.out, "cap.yaml: ok"));
  CHECK(has(bad.out, "<stdin>: "));
  const run_result json = run_cli("check", "--format json -", e2e_dir, bad_rulebook);
  CHECK(json.status == 1);
  CHECK(has(json.out, "\"<stdin>\""));
  // Standard input is read once.
  const run_result twice = run_cli("check", "- -", e2e_dir, e2e_dir / "cap.yaml");
  CHECK(twice.status == 2);
  CHECK(twice.err == "decorum check: standard input can be read only once: name '-' once\n");
}

TEST_CASE("guide cli: -r - takes the rulebook from standard input where the logs are files") {
  const run_result rules = run_cli("rules", "-r -", e2e_dir, e2e_dir / "cap.yaml");
  CHECK(rules.status == 0);
  CHECK(has(rules.out, " from <stdin> ("));
  const run_result score = run_cli("score", "-r - -f json cap.jsonl", e2e_dir, e2e_dir / "cap.yaml");
  CHECK(score.status == 0);
  // The same report as from the file, but for the rulebook's name.
  std::string from_file = run_cli("score", "-r cap.yaml -f json cap.jsonl").out;
  CHECK(has(from_file, "\"tallies\""));
  for (std::size_t p; (p = from_file.find("cap.yaml")) != std::string::npos;) from_file.replace(p, 8, "<stdin>");
  CHECK(score.out == from_file);
  const run_result broken = run_cli("rules", "-r -", e2e_dir, bad_rulebook);
  CHECK(broken.status == 1);
  CHECK(has(broken.err, "<stdin>:"));
  // The logs cannot come from standard input too: said before anything is read.
  for (const std::string args : {"score -r -", "score -r - -", "explain -r - E1", "inspectors -r - --input-format jsonl",
                                 "diff - diff-new.yaml", "diff - - diff.jsonl"}) {
    CAPTURE(args);
    const run_result r = run_cli(args.substr(0, args.find(' ')), args.substr(args.find(' ') + 1), e2e_dir, e2e_dir / "cap.yaml");
    CHECK(r.status == 2);
    CHECK(has(r.err, "standard input can be read only once"));
  }
  CHECK(run_cli("diff", "- diff-new.yaml diff.jsonl -f json", e2e_dir, e2e_dir / "diff-old.yaml").status == 0);
  // decorum test reads files it can name and watch: '-' is refused, not read as a file named '-'.
  const run_result test = run_cli("test", "-", e2e_dir, e2e_dir / "cap.yaml");
  CHECK(test.status == 2);
  CHECK(has(test.err, "decorum test: '-' (standard input) is not supported"));
}

TEST_CASE("guide cli: bash completion completes commands, options, enumerated values and files") {
  CHECK(complete_bash("decorum sc", 1) == "score");
  CHECK(complete_bash("decorum ''", 1).find("check fmt rules score test merge diff explain inspectors completion") == 0);
  CHECK(complete_bash("decorum score --fi", 2) == "--findings");
  CHECK(complete_bash("decorum score --f", 2) == "--format --findings");
  CHECK(complete_bash("decorum score -f ''", 3) == "table json csv xlsx html partial");
  CHECK(complete_bash("decorum score --encoding gb", 3) == "gbk gb18030");
  CHECK(complete_bash("decorum diff --period q", 3) == "quarter");
  CHECK(complete_bash("decorum explain E1 --period-kind m", 4) == "month");
  CHECK(complete_bash("decorum inspectors --input-format ''", 3) == "jsonl csv");
  CHECK(complete_bash("decorum check --format j", 3) == "json");
  CHECK(complete_bash("decorum completion ''", 2) == "bash zsh fish");
  // Numbers complete to nothing; files everywhere else.
  CHECK(complete_bash("decorum score -j ''", 3).empty());
  CHECK(sorted_words(complete_bash("decorum score ca", 2)) == "cap.jsonl cap.yaml");
  CHECK(complete_bash("decorum score -r cap.y", 3) == "cap.yaml");
  CHECK(sorted_words(complete_bash("decorum check clamps.", 2)) == "clamps.jsonl clamps.yaml");
  // The options of the command given, not of another one.
  CHECK(complete_bash("decorum test --", 2).find("--watch") != std::string::npos);
  CHECK(complete_bash("decorum score --", 2).find("--watch") == std::string::npos);
  CHECK(run_cli("completion", "tcsh").status == 2);
  CHECK(run_cli("completion", "").status == 2);
}

TEST_CASE("guide cli: zsh and fish completion scripts are written and parse") {
  const run_result zsh = run_cli("completion", "zsh");
  CHECK(zsh.status == 0);
  CHECK(zsh.out.rfind("#compdef decorum\n", 0) == 0);
  CHECK(has(zsh.out, "compdef _decorum decorum"));
  CHECK(has(zsh.out, "'score:score inspection logs'"));
  CHECK(has(zsh.out, "'(-f --format)'{-f,--format}'[table, json, csv, xlsx"));
  CHECK(has(zsh.out, ":format:(table json csv xlsx html partial)'"));
  CHECK(has(zsh.out, "'1:shell:(bash zsh fish)'"));
  CHECK(has(zsh.out, "'*'--appeals'["));
  const run_result fish = run_cli("completion", "fish");
  CHECK(fish.status == 0);
  CHECK(has(fish.out, "complete -c decorum -n __fish_use_subcommand -a score -d 'score inspection logs'\n"));
  CHECK(has(fish.out, "complete -c decorum -n '__fish_seen_subcommand_from score' -s f -l format -x -a 'table json csv xlsx html partial'"));
  CHECK(has(fish.out, "complete -c decorum -n '__fish_seen_subcommand_from score' -s r -l rules -r -F"));
  CHECK(has(fish.out, "complete -c decorum -n '__fish_seen_subcommand_from score' -l findings -d"));
  // Where the shells are installed (scripts/deps.sh --test installs them), they parse the scripts.
  if (on_path("zsh")) {
    const run_result r = run_shell("zsh", "\"$DECORUM\" completion zsh > \"$0.zsh\" && zsh -n \"$0.zsh\"\n");
    INFO("zsh: " << r.err);
    CHECK(r.status == 0);
    // Loaded for real: compinit, then the script registers _decorum for decorum.
    const run_result load = run_shell("zsh", "autoload -U compinit && compinit -u -D && source <(\"$DECORUM\" completion zsh) && "
                                             "print -r -- ${_comps[decorum]}\n");
    INFO("zsh: " << load.err);
    CHECK(load.out == "_decorum\n");
  } else {
    MESSAGE("zsh not installed: the zsh script is checked by content only");
  }
  if (on_path("fish")) {
    const run_result r = run_shell("bash", "\"$DECORUM\" completion fish > \"$0.fish\" && fish -n \"$0.fish\"\n");
    INFO("fish: " << r.err);
    CHECK(r.status == 0);
    // fish itself completes from the script.
    const run_result c = run_shell("bash", "fish -c 'source (\"$DECORUM\" completion fish | psub); complete -C \"decorum score --enc\"'\n");
    INFO("fish: " << c.err);
    CHECK(has(c.out, "--encoding"));
  } else {
    MESSAGE("fish not installed: the fish script is checked by content only");
  }
}

TEST_CASE("guide cli: the manual page names every command and every long option") {
  std::string man = slurp(fs::path(DECORUM_SOURCE_DIR) / "docs" / "decorum.1");
  for (std::size_t p; (p = man.find("\\-")) != std::string::npos;) man.replace(p, 2, "-");
  // The CLI's own list, from the fish script (one line per option, per command).
  const std::string fish = run_cli("completion", "fish").out;
  std::set<std::string> commands, options;
  const std::regex cmd_re("__fish_use_subcommand -a ([a-z-]+) "), opt_re(" -l ([a-z-]+)");
  for (auto it = std::sregex_iterator(fish.begin(), fish.end(), cmd_re); it != std::sregex_iterator(); ++it)
    commands.insert((*it)[1]);
  for (auto it = std::sregex_iterator(fish.begin(), fish.end(), opt_re); it != std::sregex_iterator(); ++it)
    options.insert((*it)[1]);
  CHECK(commands.size() >= 9);
  CHECK(options.size() >= 20);
  for (const auto& c : commands) {
    INFO("command " << c << " is missing from docs/decorum.1 (.B " << c << ")");
    CHECK(std::regex_search(man, std::regex("\n\\.B (decorum )?" + c + "\\b")));
  }
  for (const auto& o : options) {
    INFO("option --" << o << " is missing from docs/decorum.1");
    CHECK(std::regex_search(man, std::regex("--" + o + "\\b(?!-)")));
  }
  // man renders it without a warning, where man-db is installed.
  if (on_path("man")) {
    const run_result r = run_shell("bash", "MANWIDTH=80 man --warnings -E UTF-8 -l " +
                                               shell_quote((fs::path(DECORUM_SOURCE_DIR) / "docs" / "decorum.1").string()) +
                                               " 2>&1 >/dev/null\n");
    CHECK(r.status == 0);
    CHECK(r.out.empty());
  }
}

TEST_CASE("guide cli: every shell block of the README is marked for CI") {
  if (!on_path("python3")) return;
  const fs::path src = DECORUM_SOURCE_DIR;
  const run_result r = run_shell("bash", "python3 " + shell_quote((src / "scripts" / "readme_snippets.py").string()) +
                                             " --shell " + shell_quote((src / "README.md").string()) + " \"$0.sh\"\n");
  INFO(r.err);
  CHECK(r.status == 0);
}

#endif
