// decorum/report/diagnostics.hpp — entry points: diagnostics_to_sarif, diagnostics_to_github.
// The machine-readable renderings of `decorum check`'s diagnostics for code-scanning tools:
// a SARIF 2.1.0 log (GitHub code scanning, IDEs) and GitHub Actions workflow commands (inline
// annotations on a pull request without an upload step). The plain JSON array is
// diagnostics_to_json in base/diagnostic.hpp.
#pragma once

#include "decorum/base/diagnostic.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace decorum {

/// A SARIF 2.1.0 log with one run: tool.driver "decorum" at `tool_version`, a `rules` entry for
/// every code the diagnostics use (id, short and full description, helpUri into
/// docs/diagnostics.md), and one result per diagnostic with its region. Columns count Unicode
/// code points, as the run's `columnKind` declares; endColumn is exclusive, as SARIF defines it.
std::string diagnostics_to_sarif(const std::vector<diagnostic>& ds, std::string_view tool_version);

/// One GitHub workflow command per diagnostic, each line ending in '\n':
/// `::error file=F,line=L,col=C,endLine=L,endColumn=E,title=D203::message` (`warning`,
/// `notice` for notes); endColumn is exclusive, as in SARIF; properties and message are
/// escaped as the runner expects.
std::string diagnostics_to_github(const std::vector<diagnostic>& ds);

namespace detail {
/// Escapes a workflow command's message: '%', CR and LF become %25, %0D, %0A.
std::string github_escape_data(std::string_view s);
/// Escapes a workflow command's property value: as data, plus ':' → %3A and ',' → %2C.
std::string github_escape_property(std::string_view s);
/// A relative path as a URI reference: bytes other than unreserved characters and '/' are
/// percent-encoded (a space, '#', Chinese names), so SARIF readers resolve it.
std::string uri_reference(std::string_view path);
}  // namespace detail

}  // namespace decorum
