// tests/cli/test_html.cpp — doctest cases "html cli: …". `decorum score -f html` and `decorum
// merge -f html` (issue 15) as a user runs them: a page for examples/, the findings kept
// without --findings, merge giving the page one run gives, and the error paths (an output
// that cannot be written: exit 1 and a message; no -o on a terminal: exit 2). The page's
// rendering is checked in a browser by tests/html/check_html.py.
#include <doctest/doctest.h>

#ifdef DECORUM_CLI

#include "support/cli_run.hpp"

#include <filesystem>
#include <string>

namespace fs = std::filesystem;
using namespace decorum::test;

namespace {

const std::string examples = shell_quote((fs::path(DECORUM_SOURCE_DIR) / "examples" / "nov-2026.jsonl").string()) + " " +
                             shell_quote((fs::path(DECORUM_SOURCE_DIR) / "examples" / "nov-2026-front-desk.csv").string());

}  // namespace

TEST_CASE("html cli: score -f html -o FILE writes one page with every employee and their findings") {
  const fs::path out = e2e_scratch() / "examples.html";
  const run_result r = run_cli("score", "-f html -o " + shell_quote(out.string()) + " " + examples);
  CHECK(r.status == 0);
  CHECK(r.out.empty());
  CHECK(r.err.find("records rejected") != std::string::npos);  // examples hold bad lines on purpose
  const std::string page = slurp(out);
  CHECK(page.rfind("<!DOCTYPE html>", 0) == 0);
  for (const char* code : {"E001", "E002", "E003", "E004", "E005", "E006", "E007", "E008"})
    CHECK_MESSAGE(page.find(std::string("\"") + code + "\"") != std::string::npos, code);
  // The audit trail without --findings: a finding names the log and line it came from.
  CHECK(page.find("\"findings_kept\": true") != std::string::npos);
  CHECK(page.find("nov-2026.jsonl") != std::string::npos);
}

TEST_CASE("html cli: merge -f html of partials with findings gives the page one run gives") {
  const fs::path src = fs::path(DECORUM_SOURCE_DIR) / "examples";
  const fs::path a = e2e_scratch() / "html-a.partial", b = e2e_scratch() / "html-b.partial";
  const fs::path whole = e2e_scratch() / "html-whole.html", merged = e2e_scratch() / "html-merged.html";
  REQUIRE(run_cli("score", "-f partial --findings -o " + shell_quote(a.string()) + " nov-2026.jsonl", src).status == 0);
  REQUIRE(run_cli("score", "-f partial --findings -o " + shell_quote(b.string()) + " nov-2026-front-desk.csv", src).status == 0);
  const run_result m =
      run_cli("merge", "-f html -o " + shell_quote(merged.string()) + " " + shell_quote(a.string()) + " " + shell_quote(b.string()));
  CHECK(m.status == 0);
  const run_result s =
      run_cli("score", "-f html -o " + shell_quote(whole.string()) + " nov-2026.jsonl nov-2026-front-desk.csv", src);
  CHECK(s.status == 0);
  const std::string page = slurp(merged);
  CHECK(page.find("\"findings_kept\": true") != std::string::npos);
  CHECK(page == slurp(whole));
  // Partials without --findings: the page says the findings were not kept.
  REQUIRE(run_cli("score", "-f partial -o " + shell_quote(a.string()) + " nov-2026.jsonl", src).status == 0);
  CHECK(run_cli("merge", "-f html -o " + shell_quote(merged.string()) + " " + shell_quote(a.string())).status == 0);
  CHECK(slurp(merged).find("\"findings_kept\": false") != std::string::npos);
}

TEST_CASE("html cli: an output that cannot be written fails with a message naming it") {
  const std::string bad = (e2e_scratch() / "no-such-dir" / "r.html").string();
  for (const char* command : {"score", "merge"}) {
    CAPTURE(command);
    std::string args = "-r tallies.yaml -f html -o " + shell_quote(bad) + " ";
    if (std::string(command) == "score") {
      args += "tallies.jsonl";
    } else {
      const fs::path p = e2e_scratch() / "html-c.partial";
      REQUIRE(run_cli("score", "-r tallies.yaml -f partial -o " + shell_quote(p.string()) + " tallies.jsonl").status == 0);
      args += shell_quote(p.string());
    }
    const run_result r = run_cli(command, args);
    CHECK(r.status == 1);
    CHECK(r.err.find("cannot write " + bad) != std::string::npos);
  }
}

TEST_CASE("html cli: a page is not written to a terminal; -o FILE or a pipe") {
  // `script` gives the command a terminal for standard output.
  if (std::system("command -v script >/dev/null 2>&1") != 0) return;
  const fs::path err = e2e_scratch() / "html-tty.err";
  const std::string cmd = "cd " + shell_quote(e2e_dir.string()) + " && script -qec " +
                          shell_quote(shell_quote(DECORUM_CLI) + " score -r tallies.yaml -f html tallies.jsonl 2>" +
                                      shell_quote(err.string())) +
                          " /dev/null >/dev/null";
  const int w = std::system(cmd.c_str());
  REQUIRE(WIFEXITED(w));
  CHECK(WEXITSTATUS(w) == 2);
  CHECK(slurp(err).find("give -o FILE") != std::string::npos);
}

#endif
