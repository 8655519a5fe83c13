// tests/cli/test_xlsx.cpp — doctest cases "score: xlsx …" (ctest e2e-score) for `--format xlsx`
// of `decorum score` and `decorum merge`: a redirected standard output gets the same bytes as
// -o FILE, whatever the thread count; a path that cannot be written fails with exit 1 naming
// it; a terminal gets no workbook (exit 2). tests/xlsx/ reads the cells back with openpyxl.

#ifdef DECORUM_CLI

#include <filesystem>
#include <string>

#include "support/cli_run.hpp"

namespace fs = std::filesystem;

namespace {

using namespace decorum::test;

const std::string appeals = "-r appeals.yaml appeals.jsonl --appeals appeals-decisions.jsonl --findings -f xlsx ";

}  // namespace

TEST_CASE("score: xlsx to a file and to standard output, the same bytes on any number of threads") {
  scratch_dir dir("xlsx-cli");
  const std::string file = (dir.path / "r.xlsx").string();
  const run_result to_file = run_cli("score", appeals + "-o " + shell_quote(file));
  REQUIRE(to_file.status == 0);
  CHECK(to_file.out.empty());
  const std::string bytes = slurp(file);
  CHECK(bytes.compare(0, 4, "PK\x03\x04") == 0);
  const run_result one = run_cli("score", appeals + "-j 1");
  const run_result two = run_cli("score", appeals + "-j 2");
  CHECK(one.status == 0);
  CHECK(one.out == bytes);
  CHECK(two.out == bytes);
  // merge writes the workbook of the merged report.
  const std::string partial = (dir.path / "p.json").string();
  REQUIRE(run_cli("score", "-r appeals.yaml appeals.jsonl --findings -f partial -o " + shell_quote(partial)).status == 0);
  const run_result merged = run_cli("merge", "-r appeals.yaml -f xlsx " + shell_quote(partial));
  CHECK(merged.status == 0);
  CHECK(merged.out.compare(0, 4, "PK\x03\x04") == 0);
}

TEST_CASE("score: xlsx to a path that cannot be written fails with exit 1, naming it") {
  const run_result r = run_cli("score", appeals + "-o /nonexistent-dir/r.xlsx");
  CHECK(r.status == 1);
  CHECK(r.err.find("decorum score: cannot write /nonexistent-dir/r.xlsx") != std::string::npos);
  scratch_dir dir("xlsx-merge");
  const std::string partial = (dir.path / "p.json").string();
  REQUIRE(run_cli("score", "-r appeals.yaml appeals.jsonl -f partial -o " + shell_quote(partial)).status == 0);
  const run_result m = run_cli("merge", "-r appeals.yaml -f xlsx -o /nonexistent-dir/m.xlsx " + shell_quote(partial));
  CHECK(m.status == 1);
  CHECK(m.err.find("decorum merge: cannot write /nonexistent-dir/m.xlsx") != std::string::npos);
}

TEST_CASE("score: xlsx is not written to a terminal (exit 2 before anything is read)") {
  // `script` (util-linux) runs the command on a pseudo-terminal.
  if (std::system("command -v script >/dev/null 2>&1") != 0) {
    MESSAGE("script(1) not installed: the terminal case is not run");
    return;
  }
  const run_result r = run_cli("score", appeals);  // redirected: fine
  REQUIRE(r.status == 0);
  scratch_dir dir("xlsx-tty");
  const fs::path out = dir.path / "tty.txt";
  for (const std::string& cmd : {"score " + appeals, std::string("merge -f xlsx missing.json")}) {
    const std::string line = "cd " + shell_quote(e2e_dir.string()) + " && script -qec " +
                             shell_quote(shell_quote(DECORUM_CLI) + " " + cmd + " 2>&1") + " /dev/null > " +
                             shell_quote(out.string());
    const int w = std::system(line.c_str());
    CHECK((w != -1 && WIFEXITED(w) ? WEXITSTATUS(w) : -1) == 2);
    CHECK(slurp(out).find("an xlsx workbook is not for a terminal; give -o FILE or redirect standard output") !=
          std::string::npos);
  }
}

TEST_CASE("score: xlsx is no format of decorum diff (exit 2)") {
  const run_result r = run_cli("diff", "diff-old.yaml diff-new.yaml diff.jsonl -f xlsx");
  CHECK(r.status == 2);
}

#endif
