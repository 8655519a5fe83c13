// tests/report/test_diagnostics_formats.cpp — the SARIF and GitHub renderings of diagnostics
// (issue 16): workflow-command escaping (% CR LF everywhere, : and , in properties), the
// properties written, and the SARIF log's rules, results and regions. The log's conformance
// to the official schema is the ctest `sarif-schema` (tests/schema/check_sarif.py).
#include "decorum/report/diagnostics.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

using namespace decorum;

TEST_CASE("github: escaping of data and properties") {
  CHECK(detail::github_escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b");
  CHECK(detail::github_escape_property("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext%3A a%2C b");
  CHECK(detail::github_escape_property("rules/a,b:c.yaml") == "rules/a%2Cb%3Ac.yaml");
  CHECK(detail::github_escape_data("%0A") == "%250A");  // an escape in the text is not decoded
  CHECK(detail::github_escape_property("") == "");
}

TEST_CASE("github: one workflow command per diagnostic") {
  auto src = std::make_shared<source_file>("a,b.yaml", "titels: x\n");
  std::vector<diagnostic> ds{
      {severity::error, "a,b.yaml", {1, 1}, "unknown key 'titels' in the rulebook; did you mean 'title'?", src,
       diag_code::unknown_key, {1, 7}},
      {severity::warning, "r.yaml", {3, 5}, "phrase set 'x' is never used\nsecond line 100%", nullptr,
       diag_code::unused_phrase_set},
      {severity::note, "r.yaml", {}, "100 errors; the rest of the file was not read", nullptr},
  };
  CHECK(diagnostics_to_github(ds) ==
        "::error file=a%2Cb.yaml,line=1,col=1,endLine=1,endColumn=7,title=D110::unknown key 'titels' in the rulebook; did you "
        "mean 'title'?\n"
        "::warning file=r.yaml,line=3,col=5,title=D301::phrase set 'x' is never used%0Asecond line 100%25\n"
        "::notice file=r.yaml::100 errors; the rest of the file was not read\n");
  CHECK(diagnostics_to_github({}).empty());
}

TEST_CASE("sarif: rules for the codes used, results pointing at them, regions in code points") {
  auto src = std::make_shared<source_file>("规则 1.yaml", "x: 开场\n");
  std::vector<diagnostic> ds{
      {severity::warning, "规则 1.yaml", {1, 4}, "said \"hi\"", src, diag_code::unused_phrase_set, {1, 6}},
      {severity::error, "规则 1.yaml", {1, 1}, "unknown key 'x'", src, diag_code::unknown_key, {1, 2}},
      {severity::error, "规则 1.yaml", {}, "cannot open file", nullptr, diag_code::cannot_read},
      {severity::note, "规则 1.yaml", {2, 1}, "no code", nullptr},
  };
  const std::string s = diagnostics_to_sarif(ds, "0.1.0");
  const auto has = [&](std::string_view needle) { return s.find(needle) != std::string::npos; };
  CHECK(has("\"version\": \"2.1.0\""));
  CHECK(has("\"name\": \"decorum\""));
  CHECK(has("\"version\": \"0.1.0\""));
  CHECK(has("\"columnKind\": \"unicodeCodePoints\""));
  // Rules in code order: D103, D110, D301 (indices 0, 1, 2).
  const auto d103 = s.find("{\"id\": \"D103\""), d110 = s.find("{\"id\": \"D110\""), d301 = s.find("{\"id\": \"D301\"");
  REQUIRE(d103 != std::string::npos);
  CHECK(d103 < d110);
  CHECK(d110 < d301);
  CHECK(has("\"helpUri\": \"docs/diagnostics.md#d110\""));
  CHECK(has("\"shortDescription\": {\"text\": \"unknown key\"}"));
  CHECK(has("\"ruleId\": \"D301\", \"ruleIndex\": 2, \"level\": \"warning\", \"message\": {\"text\": \"said \\\"hi\\\"\"}"));
  CHECK(has("\"ruleId\": \"D110\", \"ruleIndex\": 1, \"level\": \"error\""));
  CHECK(has("\"ruleId\": \"D103\", \"ruleIndex\": 0"));
  CHECK(has("\"artifactLocation\": {\"uri\": \"%E8%A7%84%E5%88%99%201.yaml\"}"));
  CHECK(has("\"region\": {\"startLine\": 1, \"startColumn\": 4, \"endLine\": 1, \"endColumn\": 6}"));
  CHECK(has("\"region\": {\"startLine\": 1, \"startColumn\": 1, \"endLine\": 1, \"endColumn\": 2}"));
  // Without a line, no region; without a code, no ruleId.
  CHECK(has("{\"uri\": \"%E8%A7%84%E5%88%99%201.yaml\"}}}]}"));
  CHECK(has("{\"level\": \"note\", \"message\": {\"text\": \"no code\"}, \"locations\": [{\"physicalLocation\": "
            "{\"artifactLocation\": {\"uri\": \"%E8%A7%84%E5%88%99%201.yaml\"}, \"region\": {\"startLine\": 2, "
            "\"startColumn\": 1}}}]}"));
  const std::string empty = diagnostics_to_sarif({}, "0.1.0");
  CHECK(empty.find("\"rules\": []") != std::string::npos);
  CHECK(empty.find("\"results\": []") != std::string::npos);
}

TEST_CASE("sarif: artifact URIs percent-encode what a URI reference cannot hold") {
  CHECK(detail::uri_reference("rules/a-b_c.~1.yaml") == "rules/a-b_c.~1.yaml");
  CHECK(detail::uri_reference("my rules/#1%.yaml") == "my%20rules/%231%25.yaml");
  CHECK(detail::uri_reference("../x.yaml") == "../x.yaml");
}
