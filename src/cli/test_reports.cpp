// src/cli/test_reports.cpp — entry points: junit_xml, coverage_json, write_file_atomically.
// The machine-readable outputs of `decorum test`: JUnit XML for CI test panels and the
// per-rule coverage as JSON. Both are built from the same test_run values the text report
// prints, so the three never disagree.
#include "test_reports.hpp"

#include "decorum/base/diagnostic.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <unistd.h>

namespace decorum::cli {

namespace {

/// A JSON string literal, quotes included.
std::string json_str(std::string_view s) {
  std::string out = "\"";
  detail::append_json_escaped(out, s);
  out += '"';
  return out;
}

/// One failure as the line a CI panel shows: "file:line: subject: message".
std::string failure_line(const test_result& t, const test_failure& f) {
  if (f.error) return fmt::format("{}:{}:{}: error: {}", t.file, f.pos.line, f.pos.column, f.message);
  return fmt::format("{}:{}: {}: {}", t.file, f.pos.line, f.subject, f.message);
}

/// Enabled rules in rulebook order, fired or not.
std::vector<const coverage_rule*> all_rules(const test_coverage& c) {
  std::vector<const coverage_rule*> out;
  for (const auto& r : c.fired) out.push_back(&r);
  for (const auto& r : c.not_fired) out.push_back(&r);
  std::stable_sort(out.begin(), out.end(), [](const coverage_rule* a, const coverage_rule* b) {
    return a->pos.line != b->pos.line ? a->pos.line < b->pos.line : a->pos.column < b->pos.column;
  });
  return out;
}

}  // namespace

std::string xml_escaped(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') out += "\xEF\xBF\xBD";
        else out += c;
    }
  }
  return out;
}

std::string junit_xml(const std::vector<test_run>& runs) {
  std::size_t tests = 0, failures = 0, errors = 0, skipped = 0;
  std::string body;
  for (const auto& run : runs) {
    const std::string file = xml_escaped(run.file);
    if (!run.loaded()) {
      // A file that did not load is one errored case, so CI shows it rather than nothing.
      std::string text;
      for (const auto& d : run.diagnostics)
        if (d.severity == severity::error) text += format_diagnostic(d, false) + "\n";
      const std::string first = text.substr(0, text.find('\n'));
      body += fmt::format("  <testsuite name=\"{}\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n", file);
      body += fmt::format("    <testcase name=\"(load)\" classname=\"{0}\" file=\"{0}\">\n", file);
      body += fmt::format("      <error message=\"{}\" type=\"load\">{}</error>\n", xml_escaped(first), xml_escaped(text));
      body += "    </testcase>\n  </testsuite>\n";
      ++tests;
      ++errors;
      continue;
    }
    std::size_t f_count = 0, e_count = 0;
    std::string cases;
    for (const auto& t : run.tests) {
      const std::string head = fmt::format("    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\"",
                                           xml_escaped(t.name), file, xml_escaped(t.file), t.pos.line);
      if (t.passed()) {
        cases += head + "/>\n";
        continue;
      }
      // A test with any error cannot be compared as written: it errored rather than failed.
      const bool error = std::any_of(t.failures.begin(), t.failures.end(), [](const test_failure& f) { return f.error; });
      (error ? e_count : f_count)++;
      std::string text;
      for (const auto& f : t.failures) text += failure_line(t, f) + "\n";
      const char* element = error ? "error" : "failure";
      cases += head + ">\n";
      cases += fmt::format("      <{0} message=\"{1}\" type=\"{2}\">{3}</{0}>\n", element,
                           xml_escaped(t.failures.front().message), error ? "malformed" : "mismatch", xml_escaped(text));
      cases += "    </testcase>\n";
    }
    body += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">\n", file,
                        run.tests.size(), f_count, e_count, run.skipped);
    body += cases;
    body += "  </testsuite>\n";
    tests += run.tests.size();
    failures += f_count;
    errors += e_count;
    skipped += run.skipped;
  }
  return fmt::format(
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
             "<testsuites name=\"decorum test\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">\n",
             tests, failures, errors, skipped) +
         body + "</testsuites>\n";
}

std::string coverage_json(const std::vector<test_run>& runs) {
  std::size_t fired = 0, total = 0;
  std::string out = "{\n  \"files\": [";
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const test_run& run = runs[i];
    out += i ? ",\n" : "\n";
    out += fmt::format("    {{\n      \"file\": {},\n      \"rulebook\": {},\n      \"loaded\": {},\n", json_str(run.file),
                       json_str(run.rulebook_file), run.loaded() ? "true" : "false");
    out += fmt::format("      \"tests\": {},\n      \"skipped\": {},\n      \"fired\": {},\n      \"total\": {},\n",
                       run.tests.size(), run.skipped, run.coverage.fired.size(), run.coverage.total());
    out += "      \"rules\": [";
    const auto rules = all_rules(run.coverage);
    for (std::size_t k = 0; k < rules.size(); ++k) {
      const coverage_rule& r = *rules[k];
      std::string names;
      for (std::size_t n = 0; n < r.tests.size(); ++n) names += (n ? ", " : "") + json_str(r.tests[n]);
      out += fmt::format("{}\n        {{\"id\": {}, \"file\": {}, \"line\": {}, \"tests\": [{}]}}", k ? "," : "",
                         json_str(r.id), json_str(run.rulebook_file), r.pos.line, names);
    }
    out += rules.empty() ? "]\n    }" : "\n      ]\n    }";
    fired += run.coverage.fired.size();
    total += run.coverage.total();
  }
  out += runs.empty() ? "]" : "\n  ]";
  out += fmt::format(",\n  \"fired\": {},\n  \"total\": {}\n}}\n", fired, total);
  return out;
}

bool write_file_atomically(const std::string& path, std::string_view text, std::string_view command) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path tmp = target.parent_path() / fmt::format(".{}.tmp-{}", target.filename().string(), ::getpid());
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  int err = errno;
  bool ok = f != nullptr;
  if (ok) {
    ok = std::fwrite(text.data(), 1, text.size(), f) == text.size() && std::fflush(f) == 0;
    if (!ok) err = errno;
    if (std::fclose(f) != 0 && ok) {
      ok = false;
      err = errno;
    }
    if (ok && std::rename(tmp.c_str(), target.c_str()) != 0) {
      ok = false;
      err = errno;
    }
    if (!ok) std::remove(tmp.c_str());
  }
  if (!ok) fmt::print(stderr, "decorum {}: cannot write {}: {}\n", command, path, std::strerror(err));
  return ok;
}

}  // namespace decorum::cli
