// tests/cli/test_check_formats.cpp — entry point: doctest cases "check cli: …". `decorum
// check` end to end (issue 16): the code in the text output with the caret under the token,
// --format github and sarif on a broken rulebook, --explain for a known code (exit 0), an
// unknown one (exit 2 with a did-you-mean or the list hint) and `list`, and check without a
// rulebook (exit 2).
#include <doctest/doctest.h>

#ifdef DECORUM_CLI

#include <filesystem>
#include <string>

#include "support/cli_run.hpp"

namespace fs = std::filesystem;

namespace {

using namespace decorum::test;

/// A rulebook with an unknown field on line 8 (`ring`, columns 11–14) and an unknown key on
/// line 10 (`titel`, columns 5–9).
constexpr const char* bad_rulebook =
    "decorum: 1\n"
    "name: t\n"
    "records:\n"
    "  call: {rings: int}\n"
    "rules:\n"
    "  - id: a\n"
    "    on: call\n"
    "    when: ring > 3\n"
    "    deduct: 5\n"
    "    titel: x\n";

fs::path write_bad() {
  const fs::path dir = e2e_scratch() / "check-formats";
  fs::create_directories(dir);
  spit(dir / "bad.yaml", bad_rulebook);
  return dir;
}

}  // namespace

TEST_CASE("check cli: text names the code and underlines the token") {
  const fs::path dir = write_bad();
  const run_result r = run_cli("check", "bad.yaml", dir);
  CHECK(r.status == 1);
  CHECK(r.err ==
        "bad.yaml:8:11: error[D202]: unknown field 'ring' for kind 'call'; did you mean 'rings'?\n"
        "    when: ring > 3\n"
        "          ^~~~\n"
        "bad.yaml:10:5: error[D110]: unknown key 'titel' in rule 'a'; did you mean 'title'?\n"
        "    titel: x\n"
        "    ^~~~~\n");
  CHECK(r.out == "bad.yaml: 2 errors, 0 warnings\n");
}

TEST_CASE("check cli: the README shows what decorum check prints") {
  const fs::path dir = write_bad();
  const run_result r = run_cli("check", "bad.yaml", dir);
  const std::string readme = slurp(fs::path(DECORUM_SOURCE_DIR) / "README.md");
  CHECK(has(readme, "$ decorum check bad.yaml\n" + r.err + r.out + "```\n"));
}

TEST_CASE("check cli: --format github and --format sarif") {
  const fs::path dir = write_bad();
  const run_result g = run_cli("check", "--format github bad.yaml", dir);
  CHECK(g.status == 1);
  CHECK(g.out ==
        "::error file=bad.yaml,line=8,col=11,endLine=8,endColumn=15,title=D202::unknown field 'ring' for kind 'call'; did you "
        "mean 'rings'?\n"
        "::error file=bad.yaml,line=10,col=5,endLine=10,endColumn=10,title=D110::unknown key 'titel' in rule 'a'; did you mean "
        "'title'?\n");
  CHECK(g.err.empty());
  const run_result s = run_cli("check", "--format sarif bad.yaml", dir);
  CHECK(s.status == 1);
  CHECK(has(s.out, "\"ruleId\": \"D202\""));
  CHECK(has(s.out, "\"region\": {\"startLine\": 8, \"startColumn\": 11, \"endLine\": 8, \"endColumn\": 15}"));
  CHECK(has(s.out, "\"region\": {\"startLine\": 10, \"startColumn\": 5, \"endLine\": 10, \"endColumn\": 10}"));
  CHECK(s.err.empty());
  // A valid rulebook: an empty log, exit 0.
  const run_result ok = run_cli("check", "--format sarif " + (fs::path(DECORUM_SOURCE_DIR) / "rules" / "hotline.yaml").string());
  CHECK(ok.status == 0);
  CHECK(has(ok.out, "\"results\": []"));
  const run_result bad_format = run_cli("check", "--format xml bad.yaml", dir);
  CHECK(bad_format.status == 2);
}

TEST_CASE("check cli: --explain") {
  const run_result r = run_cli("check", "--explain D203");
  CHECK(r.status == 0);
  CHECK(r.out.rfind("D203: type mismatch\n\n", 0) == 0);
  CHECK(has(r.out, "Wrong:\n\n        when: rings == \"3\"\n"));
  CHECK(has(r.out, "Right:\n\n        when: rings == 3\n"));
  CHECK(run_cli("check", "--explain d110").out.rfind("D110: unknown key", 0) == 0);
  const run_result near = run_cli("check", "--explain D2O3");
  CHECK(near.status == 2);
  CHECK(near.out.empty());
  CHECK(near.err == "decorum check: unknown diagnostic code 'D2O3' (did you mean D203?); `decorum check --explain list` lists them\n");
  const run_result far = run_cli("check", "--explain nonsense");
  CHECK(far.status == 2);
  CHECK(far.err == "decorum check: unknown diagnostic code 'nonsense'; `decorum check --explain list` lists them\n");
  const run_result list = run_cli("check", "--explain list");
  CHECK(list.status == 0);
  CHECK(list.out.rfind("D101  malformed YAML\n", 0) == 0);
  CHECK(has(list.out, "D203  type mismatch\n"));
  const run_result none = run_cli("check", "");
  CHECK(none.status == 2);
  CHECK(has(none.err, "give one or more rulebook files"));
}

#endif
