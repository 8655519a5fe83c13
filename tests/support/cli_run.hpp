// tests/support/cli_run.hpp — entry points: `run_cli`, `check_report`, `same_bytes`,
// `expected`. Runs the built `decorum` (DECORUM_CLI) the way a user does, in tests/e2e/ so
// reports name files as given, and compares its output byte for byte with a golden file in
// tests/e2e/expected/ (DECORUM_UPDATE_GOLDEN=1 rewrites the golden files: review the diff).
// Shared by the end-to-end cases of tests/cli/.
#pragma once

#include "support/test_util.hpp"

#include <doctest/doctest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <string_view>

namespace decorum::test {

/// tests/e2e/: the rulebooks and logs of the end-to-end cases.
inline const std::filesystem::path e2e_dir = std::filesystem::path(DECORUM_TEST_DIR) / "e2e";

/// This process's scratch directory for the CLI's output and generated inputs.
inline const std::filesystem::path& e2e_scratch() {
  static const scratch_dir d("decorum-e2e");
  return d.path;
}

/// `s` quoted for the shell.
inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'') q += "'\\''";
    else q += c;
  }
  return q + "'";
}

/// What a run of the CLI gave.
struct run_result {
  int status = -1;  ///< exit status, or -1 when the process did not exit normally
  std::string out, err;
};

/// Runs the shell command line `line` in `cwd` with standard input from `stdin_file` (default
/// /dev/null), capturing its exit status and both outputs.
inline run_result run_command(const std::string& line, const std::filesystem::path& cwd = e2e_dir,
                              const std::filesystem::path& stdin_file = {}) {
  static int n = 0;
  const std::filesystem::path out = e2e_scratch() / ("out" + std::to_string(n));
  const std::filesystem::path err = e2e_scratch() / ("err" + std::to_string(n++));
  const std::string cmd = "cd " + shell_quote(cwd.string()) + " && " + line + " <" +
                          shell_quote(stdin_file.empty() ? "/dev/null" : stdin_file.string()) + " >" +
                          shell_quote(out.string()) + " 2>" + shell_quote(err.string());
  const int w = std::system(cmd.c_str());
  run_result r;
  r.status = (w != -1 && WIFEXITED(w)) ? WEXITSTATUS(w) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

/// Runs `decorum COMMAND ARGS` in `cwd` with standard input from `stdin_file` (default /dev/null).
inline run_result run_cli(const std::string& command, const std::string& args, const std::filesystem::path& cwd = e2e_dir,
                          const std::filesystem::path& stdin_file = {}) {
  return run_command(shell_quote(DECORUM_CLI) + " " + command + " " + args, cwd, stdin_file);
}

/// The golden file tests/e2e/expected/NAME.
inline std::string expected(const std::string& name) {
  const std::filesystem::path p = e2e_dir / "expected" / name;
  REQUIRE_MESSAGE(std::filesystem::exists(p), "missing expected file ", p.string());
  return slurp(p);
}

/// Byte-for-byte comparison that reports the first differing line rather than two whole reports.
inline void same_bytes(const std::string& actual, const std::string& want, const std::string& what) {
  if (actual == want) {
    CHECK(true);
    return;
  }
  std::istringstream a(actual), w(want);
  std::string la, lw;
  int line = 0;
  while (true) {
    ++line;
    const bool ga = static_cast<bool>(std::getline(a, la)), gw = static_cast<bool>(std::getline(w, lw));
    if (!ga && !gw) {
      la = "(same lines; the line ends or the final line break differ)";
      lw.clear();
      break;
    }
    if (!ga) la = "(end of output)";
    if (!gw) lw = "(end of expected)";
    if (!ga || !gw || la != lw) break;
  }
  FAIL_CHECK(what << " differs from the expected bytes at line " << line << "\n  got:      " << la
                  << "\n  expected: " << lw);
}

/// The exit status, and the output against tests/e2e/expected/EXPECTED_FILE.
inline void check_report(const run_result& r, const std::string& expected_file, int status = 0) {
  INFO("stderr: " << r.err);
  CHECK(r.status == status);
  if (const char* u = std::getenv("DECORUM_UPDATE_GOLDEN"); u && *u == '1') spit(e2e_dir / "expected" / expected_file, r.out);
  same_bytes(r.out, expected(expected_file), expected_file);
}

/// True when `hay` contains `needle`.
inline bool has(const std::string& hay, std::string_view needle) { return hay.find(needle) != std::string::npos; }

}  // namespace decorum::test
