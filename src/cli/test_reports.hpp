// src/cli/test_reports.hpp — entry points: junit_xml, coverage_json, write_file_atomically.
// What `decorum test --junit FILE` and `--coverage json` write, from the runs of
// decorum::run_test_file (src/cli/test_reports.cpp).
#pragma once

#include "decorum/api/rule_tests.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace decorum::cli {

/// JUnit XML for CI: <testsuites>, one <testsuite> per file, one <testcase> per test run;
/// a failing comparison is a <failure>, a malformed test (or a file that did not load) an
/// <error>, each with its messages as file:line lines.
std::string junit_xml(const std::vector<test_run>& runs);

/// The coverage of each file as JSON: per rule its id, file and line and the names of the
/// tests that made it fire (empty when none), with fired/total counts per file and overall.
std::string coverage_json(const std::vector<test_run>& runs);

/// `text` with & < > " ' escaped for XML text and attributes; characters XML 1.0 cannot
/// carry (control characters other than tab and newlines) become U+FFFD.
std::string xml_escaped(std::string_view text);

/// Writes `text` to `path` through a temporary file in the same directory renamed over it,
/// so a reader never sees half a file; false (having named the path) when it cannot.
bool write_file_atomically(const std::string& path, std::string_view text, std::string_view command);

}  // namespace decorum::cli
