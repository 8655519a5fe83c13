// tests/base/test_diagnostic_codes.cpp — the table of diagnostic codes (issue 16): one row per
// code in number order, every row complete, parsing of `D203`, the caret extended under a
// token's end (display width aware), the JSON members, and docs/diagnostics.md generated from
// the table (DECORUM_UPDATE_GOLDEN=1 rewrites it).
#include "decorum/base/diagnostic.hpp"
#include "decorum/base/diagnostic_codes.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <set>
#include <string>

#include "support/test_util.hpp"

using namespace decorum;

TEST_CASE("diagnostic codes: one complete table row per code, in number order") {
  std::vector<diag_code> listed;
#define DECORUM_LIST(name, number) listed.push_back(diag_code::name);
  DECORUM_DIAGNOSTIC_CODES(DECORUM_LIST)
#undef DECORUM_LIST
  const auto rows = all_codes();
  REQUIRE(rows.size() == listed.size());
  std::set<std::string> titles;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    INFO(code_name(rows[i].code));
    CHECK(rows[i].code == listed[i]);
    if (i) CHECK(static_cast<int>(rows[i - 1].code) < static_cast<int>(rows[i].code));
    const int n = static_cast<int>(rows[i].code);
    CHECK(n >= 101);
    CHECK(n <= 599);
    CHECK_FALSE(rows[i].title.empty());
    CHECK(titles.insert(std::string(rows[i].title)).second);
    CHECK(rows[i].explanation.size() > 40);
    CHECK_FALSE(rows[i].wrong.empty());
    CHECK_FALSE(rows[i].right.empty());
    CHECK(rows[i].wrong != rows[i].right);
    CHECK(find_code(rows[i].code) == &rows[i]);
  }
  CHECK(find_code(diag_code::none) == nullptr);
}

TEST_CASE("diagnostic codes: names, anchors and parsing") {
  CHECK(code_name(diag_code::type_mismatch) == "D203");
  CHECK(code_name(diag_code::yaml_syntax) == "D101");
  CHECK(code_name(diag_code::none).empty());
  CHECK(code_anchor(diag_code::type_mismatch) == "d203");
  CHECK(parse_code("D203") == diag_code::type_mismatch);
  CHECK(parse_code("d110") == diag_code::unknown_key);
  CHECK_FALSE(parse_code("D999"));
  CHECK_FALSE(parse_code("D20"));
  CHECK_FALSE(parse_code("X203"));
  CHECK_FALSE(parse_code("D2O3"));
  CHECK_FALSE(parse_code(""));
  const std::string e = explain_code(*find_code(diag_code::unknown_key));
  CHECK(e.rfind("D110: unknown key\n\n", 0) == 0);
  CHECK(e.find("Wrong:\n\n    rules:\n") != std::string::npos);
  CHECK(e.find("Right:\n\n") != std::string::npos);
  CHECK(e.find("    deduct: 10\n") != std::string::npos);
}

TEST_CASE("diagnostic codes: docs/diagnostics.md is the table") {
  const auto path = std::filesystem::path(DECORUM_SOURCE_DIR) / "docs" / "diagnostics.md";
  const std::string want = diagnostics_markdown();
  if (const char* u = std::getenv("DECORUM_UPDATE_GOLDEN"); u && *u == '1') decorum::test::spit(path, want);
  REQUIRE(std::filesystem::exists(path));
  const std::string doc = decorum::test::slurp(path);
  CHECK_MESSAGE(doc == want, "docs/diagnostics.md differs from the table in src/base/diagnostic_codes.cpp; "
                             "run the tests with DECORUM_UPDATE_GOLDEN=1 and review the diff");
  // Every code has its own section (an anchor the SARIF helpUri and --explain point at).
  for (const auto& i : all_codes()) CHECK(doc.find("\n## " + code_name(i.code) + "\n") != std::string::npos);
}

TEST_CASE("format_diagnostic: the code after the severity, the caret extended to the token's end") {
  auto src = std::make_shared<source_file>("r.yaml", "a: 1\n  when: 开场 > 3\n");
  diagnostic d{severity::error, "r.yaml", {2, 9}, "unknown field '开场'", src, diag_code::unknown_field, {2, 11}};
  // Two wide characters: '^' under the first column of 开, '~' for the rest of the 4 columns.
  CHECK(format_diagnostic(d) == "r.yaml:2:9: error[D202]: unknown field '开场'\n  when: 开场 > 3\n        ^~~~");
  CHECK(format_diagnostic(d, false) == "r.yaml:2:9: error[D202]: unknown field '开场'");
  // A one-character token, an end on another line or before the start: the plain caret.
  d.end = {2, 10};
  CHECK(format_diagnostic(d).substr(format_diagnostic(d).rfind('\n') + 1) == "        ^~");
  d.pos = {2, 14};
  d.end = {2, 15};
  CHECK(format_diagnostic(d).substr(format_diagnostic(d).rfind('\n') + 1) == "               ^");
  d.end = {3, 1};
  CHECK(valid_end(d) == source_pos{});
  CHECK(format_diagnostic(d).substr(format_diagnostic(d).rfind('\n') + 1) == "               ^");
  d.end = {2, 14};
  CHECK(valid_end(d) == source_pos{});
  // No code, no line: as before.
  diagnostic plain{severity::warning, "x.yaml", {}, "empty", nullptr};
  CHECK(format_diagnostic(plain) == "x.yaml: warning: empty");
  plain.code = diag_code::bad_document;
  CHECK(format_diagnostic(plain) == "x.yaml: warning[D105]: empty");
}

TEST_CASE("diagnostics_to_json: code and end members") {
  auto src = std::make_shared<source_file>("r.yaml", "abc: x\n");
  std::vector<diagnostic> ds{{severity::error, "r.yaml", {1, 1}, "unknown key 'abc'", src, diag_code::unknown_key, {1, 4}},
                             {severity::warning, "r.yaml", {1, 6}, "no code", src}};
  CHECK(diagnostics_to_json(ds) ==
        "[\n  {\"file\": \"r.yaml\", \"line\": 1, \"column\": 1, \"end_line\": 1, \"end_column\": 4, \"severity\": \"error\", "
        "\"code\": \"D110\", \"message\": \"unknown key 'abc'\"},\n"
        "  {\"file\": \"r.yaml\", \"line\": 1, \"column\": 6, \"end_line\": 0, \"end_column\": 0, \"severity\": "
        "\"warning\", \"code\": null, \"message\": \"no code\"}\n]");
}
