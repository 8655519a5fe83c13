// tests/cli/test_versions.cpp — entry point: doctest cases "score: …" (ctest e2e-score) about
// rule versions and effective dates (SPEC §9). The built CLI on tests/e2e/versions.{yaml,jsonl}:
// a version change in the middle of a month with one shared cap, progressive prices numbered
// across two versions, a window rule and a deadline rule with versions (the report compared
// byte for byte with expected/versions.json, worked out by hand in tests/e2e/README.md); the
// rulebook's name, version and SHA-256 in JSON and in the table footer (also for the built-in
// rulebook); `decorum rules` listing every version with its range; shards merged from partial
// results equal one run; and `merge` refusing a partial of another rulebook, naming both digests.
#include <doctest/doctest.h>

#ifdef DECORUM_CLI

#include "decorum/base/sha256.hpp"
#include "decorum/compile/compile.hpp"

#include <filesystem>
#include <sstream>
#include <string>

#include "support/cli_run.hpp"

namespace fs = std::filesystem;

namespace {

using namespace decorum::test;

run_result score(const std::string& args, const fs::path& cwd = e2e_dir) { return run_cli("score", args, cwd); }

std::string versions_sha() { return decorum::detail::sha256_hex(slurp(e2e_dir / "versions.yaml")); }

}  // namespace

TEST_CASE("score: rule versions: a mid-month change with one cap, progressive prices across versions, window and deadline versions") {
  check_report(score("-r versions.yaml --format json versions.jsonl"), "versions.json");
  // The report names the rulebook by name, version and the SHA-256 of the file's bytes.
  const run_result json = score("-r versions.yaml --format json versions.jsonl");
  CHECK(has(json.out, "\"rulebook\": {\"name\": \"versions\", \"version\": \"2026.12\", \"rules\": 4, \"sha256\": \"" +
                          versions_sha() + "\"}"));
  // The audit trail prices each occurrence by its version, numbered across versions.
  const run_result findings = score("-r versions.yaml --format json --findings versions.jsonl");
  CHECK(findings.status == 0);
  CHECK(has(findings.out, "\"time\": \"2026-11-17T09:00:00\", \"occurrences\": 1, \"points\": -30"));
  CHECK(has(findings.out, "\"time\": \"2026-11-25T09:00:00\", \"occurrences\": 1, \"points\": -40"));
  CHECK(has(findings.out, "\"time\": \"2026-12-02T09:00:00\", \"occurrences\": 1, \"points\": -1"));
}

TEST_CASE("score: the table footer names the rulebook, its version and the first 12 hex digits of its SHA-256") {
  const run_result table = score("-r versions.yaml --format table versions.jsonl");
  CHECK(table.status == 0);
  CHECK(has(table.out, "rulebook versions version 2026.12 (sha256 " + versions_sha().substr(0, 12) + ", 4 rules), period month"));
  // A rulebook without `version:`: JSON null, nothing in the footer; the built-in rulebook's
  // digest is that of its embedded text.
  const std::string builtin = decorum::detail::sha256_hex(decorum::detail::builtin_rulebook_text());
  const run_result plain = score("--format json empty.jsonl");
  CHECK(has(plain.out, "\"version\": null"));
  CHECK(has(plain.out, "\"sha256\": \"" + builtin + "\""));
  const run_result plain_table = score("--format table empty.jsonl");
  CHECK(has(plain_table.out, "rulebook property-customer-service (sha256 " + builtin.substr(0, 12) + ", "));
}

TEST_CASE("score: decorum rules lists every version with its range") {
  const run_result r = run_cli("rules", "-r versions.yaml");
  CHECK(r.status == 0);
  std::istringstream in(r.out);
  std::string header, line;
  std::getline(in, header);
  CHECK(has(header, "effective"));
  int versions = 0;
  for (; std::getline(in, line);) {
    if (line.rfind("phone.rings", 0) == 0) {
      ++versions;
      CHECK((has(line, "until 2026-11-16") || has(line, "from 2026-11-16")));
    }
  }
  CHECK(versions == 2);
  CHECK(has(r.out, "4 rules (8 versions) from versions.yaml (versions)"));
}

TEST_CASE("score: versions across shards: merged partials equal one run; merge refuses another rulebook's partial") {
  const fs::path dir = e2e_scratch() / "versions-split";
  fs::create_directories(dir);
  // Shifts, closings and December apart from the rest: windows, duties and the occurrence
  // numbering of every versioned rule span both shards.
  std::istringstream in(slurp(e2e_dir / "versions.jsonl"));
  std::string a, b;
  for (std::string line; std::getline(in, line);)
    ((has(line, "\"shift\"") || has(line, "\"closed\"") || has(line, "2026-11-1")) ? a : b) += line + "\n";
  spit(dir / "a.jsonl", a);
  spit(dir / "b.jsonl", b);
  const std::string rules = shell_quote((e2e_dir / "versions.yaml").string());
  const run_result one = score("-r " + rules + " --format json --findings a.jsonl b.jsonl", dir);
  REQUIRE(one.status == 0);
  REQUIRE(score("-r " + rules + " --format partial --findings -o pa.json a.jsonl", dir).status == 0);
  REQUIRE(score("-r " + rules + " --format partial --findings -o pb.json b.jsonl", dir).status == 0);
  CHECK(has(slurp(dir / "pa.json"), "\"digest\":\"sha256:" + versions_sha() + "\""));
  const run_result merged = run_cli("merge", "-r " + rules + " --format json pb.json pa.json", dir);
  CHECK(merged.status == 0);
  same_bytes(merged.out, one.out, "merge of the partials");

  // The same name, another text (one comment more): refused, naming both digests.
  const std::string edited = slurp(e2e_dir / "versions.yaml") + "# edited\n";
  spit(dir / "versions.yaml", edited);
  const run_result refused = run_cli("merge", "-r versions.yaml --format json pa.json pb.json", dir);
  CHECK(refused.status == 1);
  CHECK(refused.out.empty());
  CHECK(has(refused.err, "pa.json: made by another rulebook (sha256:" + versions_sha() + "), not by versions.yaml (sha256:" +
                             decorum::detail::sha256_hex(edited) + ")"));
}

#endif  // DECORUM_CLI
