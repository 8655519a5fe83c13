// src/report/diagnostics.cpp — entry points: diagnostics_to_sarif, diagnostics_to_github.
// SARIF and GitHub workflow-command renderings of diagnostics; the code table
// (base/diagnostic_codes.hpp) supplies the SARIF rules, so a code's description is written
// once.
#include "decorum/report/diagnostics.hpp"

#include "report/parts.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace decorum {

namespace {

using detail::json_quote;

/// GitHub's workflow command for a severity (it has `notice`, not `note`).
std::string_view github_command(severity s) {
  switch (s) {
    case severity::error: return "error";
    case severity::warning: return "warning";
    case severity::note: return "notice";
  }
  return "error";
}

}  // namespace

namespace detail {

std::string github_escape_data(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else out += c;
  }
  return out;
}

std::string github_escape_property(std::string_view s) {
  std::string out;
  for (char c : github_escape_data(s)) {
    if (c == ':') out += "%3A";
    else if (c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

std::string uri_reference(std::string_view path) {
  std::string out;
  for (char ch : path) {
    const auto c = static_cast<unsigned char>(ch);
    const bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '.' || c == '_' || c == '~' || c == '/';
    if (keep) out += ch;
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

}  // namespace detail

std::string diagnostics_to_sarif(const std::vector<diagnostic>& ds, std::string_view tool_version) {
  // The rules array lists the codes used, in code order; results point at them by index.
  std::vector<diag_code> used;
  for (const auto& d : ds)
    if (d.code != diag_code::none && find_code(d.code)) used.push_back(d.code);
  std::sort(used.begin(), used.end());
  used.erase(std::unique(used.begin(), used.end()), used.end());

  std::string out = "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n";
  out += "  \"runs\": [\n    {\n      \"tool\": {\n        \"driver\": {\n          \"name\": \"decorum\",\n";
  out += fmt::format("          \"version\": {},\n          \"rules\": [", json_quote(tool_version));
  for (std::size_t k = 0; k < used.size(); ++k) {
    const code_info& i = *find_code(used[k]);
    out += k ? ",\n" : "\n";
    out += fmt::format(
        "            {{\"id\": {}, \"name\": {}, \"shortDescription\": {{\"text\": {}}}, \"fullDescription\": {{\"text\": "
        "{}}}, \"helpUri\": {}, \"help\": {{\"text\": {}}}}}",
        json_quote(code_name(i.code)), json_quote(i.title), json_quote(i.title), json_quote(i.explanation),
        json_quote(fmt::format("docs/diagnostics.md#{}", code_anchor(i.code))), json_quote(explain_code(i)));
  }
  out += used.empty() ? "]\n" : "\n          ]\n";
  out += "        }\n      },\n      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": [";
  for (std::size_t k = 0; k < ds.size(); ++k) {
    const diagnostic& d = ds[k];
    out += k ? ",\n" : "\n";
    out += "        {";
    if (d.code != diag_code::none && find_code(d.code)) {
      const auto index = std::lower_bound(used.begin(), used.end(), d.code) - used.begin();
      out += fmt::format("\"ruleId\": {}, \"ruleIndex\": {}, ", json_quote(code_name(d.code)), index);
    }
    // SARIF's levels (§3.27.10) are decorum's severity names: error, warning, note.
    out += fmt::format("\"level\": \"{}\", \"message\": {{\"text\": {}}}, ", to_string(d.severity), json_quote(d.message));
    out += fmt::format("\"locations\": [{{\"physicalLocation\": {{\"artifactLocation\": {{\"uri\": {}}}",
                       json_quote(detail::uri_reference(d.file)));
    if (d.pos.line > 0) {
      out += fmt::format(", \"region\": {{\"startLine\": {}, \"startColumn\": {}", d.pos.line, std::max<std::uint32_t>(d.pos.column, 1));
      if (const source_pos e = valid_end(d); e.line) out += fmt::format(", \"endLine\": {}, \"endColumn\": {}", e.line, e.column);
      out += "}";
    }
    out += "}}]}";
  }
  out += ds.empty() ? "]\n" : "\n      ]\n";
  out += "    }\n  ]\n}\n";
  return out;
}

std::string diagnostics_to_github(const std::vector<diagnostic>& ds) {
  std::string out;
  for (const auto& d : ds) {
    std::vector<std::string> props{"file=" + detail::github_escape_property(d.file)};
    if (d.pos.line > 0) {
      props.push_back(fmt::format("line={}", d.pos.line));
      if (d.pos.column > 0) props.push_back(fmt::format("col={}", d.pos.column));
      // The runner takes columns only on one line; endLine says so rather than leaving it to a default.
      if (const source_pos e = valid_end(d); e.line) {
        props.push_back(fmt::format("endLine={}", e.line));
        props.push_back(fmt::format("endColumn={}", e.column));
      }
    }
    if (d.code != diag_code::none) props.push_back("title=" + detail::github_escape_property(code_name(d.code)));
    out += fmt::format("::{} {}::{}\n", github_command(d.severity), fmt::join(props, ","),
                       detail::github_escape_data(d.message));
  }
  return out;
}

}  // namespace decorum
