// tests/cli/test_fmt.cpp — entry point: doctest cases "fmt: …". `decorum fmt` end to end:
// rewriting in place and naming the changed files, --check's diff and exit status, standard
// input to standard output, the errors (a file that does not load, one that cannot be read,
// '-' among files), and for every shipped rulebook: the formatted copy lists the same rules and
// passes the same tests.
#include <doctest/doctest.h>

#ifdef DECORUM_CLI

#include <filesystem>
#include <string>

#include "support/cli_run.hpp"

namespace fs = std::filesystem;
using namespace decorum::test;

namespace {

const std::string messy =
    "name: demo\n"
    "decorum: 1\n"
    "records:\n"
    "    visit: {late: bool}\n"
    "rules:\n"
    "  # lateness costs ten\n"
    "  - on: visit\n"
    "    id: visit.late\n"
    "    deduct: 10\n"
    "    when: late\n";
const std::string tidy =
    "decorum: 1\n"
    "name: demo\n"
    "records:\n"
    "  visit: {late: bool}\n"
    "rules:\n"
    "  # lateness costs ten\n"
    "  - id: visit.late\n"
    "    on: visit\n"
    "    when: late\n"
    "    deduct: 10\n";

}  // namespace

TEST_CASE("fmt: rewrites in place, names what it changed, and is quiet the second time") {
  scratch_dir dir("decorum_test_fmt");
  dir.write("a.yaml", messy);
  dir.write("b.yaml", tidy);
  run_result r = run_cli("fmt", "a.yaml b.yaml", dir.path);
  CHECK(r.status == 0);
  CHECK(r.out.empty());
  CHECK(r.err == "decorum fmt: formatted a.yaml\n");
  CHECK(slurp(dir.path / "a.yaml") == tidy);
  CHECK(slurp(dir.path / "b.yaml") == tidy);
  r = run_cli("fmt", "a.yaml b.yaml", dir.path);
  CHECK(r.status == 0);
  CHECK(r.err.empty());
}

TEST_CASE("fmt: --check rewrites nothing, prints a unified diff and exits 1; 0 when canonical") {
  scratch_dir dir("decorum_test_fmt_check");
  dir.write("a.yaml", messy);
  dir.write("b.yaml", tidy);
  run_result r = run_cli("fmt", "--check a.yaml b.yaml", dir.path);
  CHECK(r.status == 1);
  CHECK(slurp(dir.path / "a.yaml") == messy);
  CHECK(r.out ==
        "--- a.yaml\n+++ a.yaml (formatted)\n"
        "@@ -1,10 +1,10 @@\n"
        "-name: demo\n"
        " decorum: 1\n"
        "+name: demo\n"
        " records:\n"
        "-    visit: {late: bool}\n"
        "+  visit: {late: bool}\n"
        " rules:\n"
        "   # lateness costs ten\n"
        "-  - on: visit\n"
        "-    id: visit.late\n"
        "-    deduct: 10\n"
        "+  - id: visit.late\n"
        "+    on: visit\n"
        "     when: late\n"
        "+    deduct: 10\n");
  CHECK(r.err == "decorum fmt: 1 file is not in canonical layout (`decorum fmt FILE` rewrites it)\n");
  r = run_cli("fmt", "--check b.yaml", dir.path);
  CHECK(r.status == 0);
  CHECK(r.out.empty());
  CHECK(r.err.empty());
}

TEST_CASE("fmt: '-' reads standard input and writes standard output") {
  scratch_dir dir("decorum_test_fmt_stdin");
  dir.write("a.yaml", messy);
  run_result r = run_cli("fmt", "-", dir.path, dir.path / "a.yaml");
  CHECK(r.status == 0);
  CHECK(r.out == tidy);
  r = run_cli("fmt", "--check -", dir.path, dir.path / "a.yaml");
  CHECK(r.status == 1);
  CHECK(r.out.rfind("--- <stdin>\n+++ <stdin> (formatted)\n", 0) == 0);
  r = run_cli("fmt", "- a.yaml", dir.path);
  CHECK(r.status == 2);
  CHECK(r.err == "decorum fmt: '-' (standard input to standard output) cannot be mixed with files\n");
}

TEST_CASE("fmt: errors: a rulebook that does not load is left alone, naming the line; unreadable files") {
  scratch_dir dir("decorum_test_fmt_errors");
  const std::string broken = "decorum: 1\nname: t\nrecords: {v: {x: bool}}\nrules:\n  - on: v\n    id: a\n    dedcut: 1\n";
  dir.write("bad.yaml", broken);
  dir.write("a.yaml", messy);
  run_result r = run_cli("fmt", "bad.yaml a.yaml missing.yaml", dir.path);
  CHECK(r.status == 1);
  CHECK(has(r.err, "bad.yaml:7:5: error[D110]: unknown key 'dedcut' in rule 'a'; did you mean 'deduct'?"));
  CHECK(has(r.err, "decorum fmt: cannot read missing.yaml"));
  CHECK(has(r.err, "decorum fmt: formatted a.yaml"));  // the good file is still done
  CHECK(slurp(dir.path / "bad.yaml") == broken);
  CHECK(run_cli("fmt", ".", dir.path).status == 1);
  CHECK(run_cli("fmt", "''", dir.path).status == 1);
  CHECK(run_cli("fmt", "--bogus a.yaml", dir.path).status == 2);
  CHECK(run_cli("fmt", "", dir.path).status == 2);  // a file is required
}

TEST_CASE("fmt: the shipped rulebooks are in canonical layout") {
  const run_result r = run_cli("fmt", "--check ../../rules/hotline.yaml ../../rules/property-customer-service.yaml "
                                      "../../rules/sales-centre-posts.yaml ../../rules/service-centre.yaml");
  CHECK(r.status == 0);
  CHECK(r.out.empty());
}

TEST_CASE("fmt: every shipped rulebook, formatted, lists the same rules and passes the same tests") {
  scratch_dir dir("decorum_test_fmt_shipped");
  const fs::path root = fs::path(DECORUM_TEST_DIR).parent_path();
  for (const auto& e : fs::directory_iterator(root / "rules")) {
    if (e.path().extension() != ".yaml") continue;
    CAPTURE(e.path().string());
    const fs::path copy = dir.path / e.path().filename();
    fs::copy_file(e.path(), copy, fs::copy_options::overwrite_existing);
    // Test files name their rulebook relative to themselves: the schema they point at is
    // ../schema, not needed to load.
    const run_result f = run_cli("fmt", shell_quote(copy.string()), dir.path);
    CHECK(f.status == 0);
    const run_result before = run_cli("rules", "-r " + shell_quote(e.path().string()), dir.path);
    const run_result after = run_cli("rules", "-r " + shell_quote(copy.string()), dir.path);
    CHECK(before.status == 0);
    // All but the last line, which names the file.
    auto listing = [](const std::string& s) { return s.substr(0, s.rfind(" from ")); };
    CHECK(listing(after.out) == listing(before.out));
    const run_result t0 = run_cli("test", shell_quote(e.path().string()), dir.path);
    const run_result t1 = run_cli("test", shell_quote(copy.string()), dir.path);
    CHECK(t1.status == t0.status);
    CHECK(has(t1.out + t1.err, " passed, 0 failed"));
  }
  // The end-to-end rulebooks score their logs to the same report (all but the rulebook's
  // digest, which is of its text; findings would name moved lines, so tallies only).
  for (const char* name : {"window", "deadline", "versions", "progressive", "cap", "roles", "flags"}) {
    CAPTURE(name);
    const fs::path copy = dir.path / (std::string(name) + ".yaml");
    fs::copy_file(e2e_dir / (std::string(name) + ".yaml"), copy, fs::copy_options::overwrite_existing);
    CHECK(run_cli("fmt", shell_quote(copy.string())).status == 0);
    auto strip_digest = [](std::string s) {
      const std::size_t at = s.find("\"sha256\": \"");
      if (at != std::string::npos) s.erase(at, 11 + 64);
      return s;
    };
    const std::string log = std::string(name) + ".jsonl";
    if (!fs::exists(e2e_dir / log)) continue;
    const run_result a = run_cli("score", "-f json -r " + std::string(name) + ".yaml " + log);
    const run_result b = run_cli("score", "-f json -r " + shell_quote(copy.string()) + " " + log);
    CHECK(strip_digest(b.out) == strip_digest(a.out));
  }
}

#endif  // DECORUM_CLI
