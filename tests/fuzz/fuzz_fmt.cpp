// tests/fuzz/fuzz_fmt.cpp — libFuzzer target: `decorum fmt` on arbitrary bytes
// (format_rulebook). What it promises is checked on every input: it either fails with located
// diagnostics or returns a layout that formats to itself (idempotent), still loads, and
// keeps every comment line's text.
#include "fuzz_common.hpp"

#include "decorum/rulebook/format.hpp"

#include <algorithm>

namespace {

/// The comment texts of `s` (from '#' at a line start, after blanks) — a multiset, sorted.
std::vector<std::string> comment_lines(const std::string& s) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < s.size()) {
    std::size_t end = s.find('\n', at);
    if (end == std::string::npos) end = s.size();
    std::string line = s.substr(at, end - at);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::size_t first = line.find_first_not_of(" \t");
    if (first != std::string::npos && line[first] == '#') out.push_back(line.substr(first));
    at = end + 1;
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace decorum;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::string name = "fuzz.yaml";
  auto once = format_rulebook(name, text);
  if (!once) {
    FUZZ_CHECK(!once.error().empty(), "fmt failed without saying why");
    for (const auto& d : once.error()) {
      FUZZ_CHECK(!d.message.empty(), "a diagnostic without a message");
      (void)format_diagnostic(d, true);
    }
    return 0;
  }
  auto twice = format_rulebook(name, *once);
  FUZZ_CHECK(static_cast<bool>(twice), "fmt's own output does not format");
  FUZZ_CHECK(*twice == *once, "fmt is not idempotent");
  // Comments a line starts with keep their text; trailing comments stay on their lines, so
  // those are not compared here.
  FUZZ_CHECK(comment_lines(*once) == comment_lines(text), "fmt lost or changed a comment line");
  return 0;
}
