// src/api/rule_tests_file.cpp — entry points: run_test_file, run_rulebook_tests,
// is_test_file_text. Loads what `decorum test` is given: a rulebook with its own `tests:`, or
// a test file naming its rulebook by a path relative to itself; reads it under the rulebook
// size limit and hands the tests to run_tests (src/api/rule_tests.cpp).
#include "decorum/api/rule_tests.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>

namespace decorum {

namespace {

using rulebook::scalar;

/// Reads a whole file; false with a diagnostic when it cannot be read or is too large.
bool read_file(const std::string& path, std::string& text, std::vector<diagnostic>& diags) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    diags.push_back({severity::error, path, {}, "cannot read file (is it a directory?)", nullptr, diag_code::cannot_read});
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diags.push_back({severity::error, path, {}, "cannot open file", nullptr, diag_code::cannot_read});
    return false;
  }
  in.seekg(0, std::ios::end);
  const auto size = in.tellg();
  if (size < 0) {
    diags.push_back({severity::error, path, {}, "cannot read file", nullptr, diag_code::cannot_read});
    return false;
  }
  if (static_cast<std::size_t>(size) > rulebook::max_rulebook_bytes) {
    diags.push_back({severity::error, path, {},
                     fmt::format("file is {} bytes; the limit is {} bytes (8 MiB)", static_cast<long long>(size),
                                 rulebook::max_rulebook_bytes),
                     nullptr, diag_code::too_large});
    return false;
  }
  in.seekg(0);
  text.assign(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), size);
  if (!in) {
    diags.push_back({severity::error, path, {}, "cannot read file", nullptr, diag_code::cannot_read});
    return false;
  }
  return true;
}

}  // namespace

test_run run_rulebook_tests(std::string name, std::string text, const test_selector& select) {
  std::vector<diagnostic> diags;
  std::string file = name;
  auto rules = compile_rulebook(std::move(name), std::move(text), diags);
  test_run run = rules ? run_tests(rules, rules->model().tests, rules->model().source, select) : test_run{};
  run.file = file;
  run.diagnostics = std::move(diags);
  return run;
}

bool is_test_file_text(std::string_view text) noexcept {
  bool rulebook_key = false;
  std::size_t i = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
  while (i < text.size()) {
    std::size_t end = text.find('\n', i);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(i, end - i);
    auto is_key = [&](std::string_view key) {
      for (std::string_view q : {"", "\"", "'"}) {
        std::string k = std::string(q) + std::string(key) + std::string(q);
        if (line.substr(0, k.size()) == k) {
          std::string_view rest = line.substr(k.size());
          while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
          if (!rest.empty() && rest.front() == ':') return true;
        }
      }
      return false;
    };
    if (is_key("decorum")) return false;
    if (is_key("rulebook")) rulebook_key = true;
    i = end + 1;
  }
  return rulebook_key;
}

test_run run_test_file(const std::string& path, const test_selector& select) {
  test_run run;
  run.file = path;
  std::string text;
  if (!read_file(path, text, run.diagnostics)) return run;
  if (!is_test_file_text(text)) {
    test_run r = run_rulebook_tests(path, std::move(text), select);
    return r;
  }
  scalar rulebook_path;
  rulebook::rulebook_model model = rulebook::load_test_file(path, std::move(text), rulebook_path, run.diagnostics);
  if (has_errors(run.diagnostics)) return run;
  namespace fs = std::filesystem;
  fs::path target(rulebook_path.text);
  if (target.is_relative()) target = fs::path(path).parent_path() / target;
  const std::string resolved = target.lexically_normal().string();
  std::error_code ec;
  if (!fs::is_regular_file(target, ec)) {
    run.diagnostics.push_back({severity::error, path, rulebook_path.pos,
                               fmt::format("cannot open rulebook '{}' ({} {})", rulebook_path.text, resolved,
                                           fs::exists(target, ec) ? "is not a file" : "does not exist"),
                               model.source, diag_code::test_rulebook_missing,
                               model.source ? rulebook::end_of_scalar(*model.source, rulebook_path.mark, rulebook_path.text)
                                            : source_pos{}});
    return run;
  }
  auto rules = compile_rulebook_file(resolved, run.diagnostics);
  if (!rules) {
    run.rulebook_file = resolved;
    return run;
  }
  std::vector<diagnostic> diags = std::move(run.diagnostics);
  run = run_tests(rules, model.tests, model.source, select);
  run.file = path;
  run.diagnostics = std::move(diags);
  return run;
}

}  // namespace decorum
