// src/cli/cmd_fmt.cpp — entry point: run_fmt. `decorum fmt FILE...` lays rulebooks out
// canonically (rulebook/format.hpp) and rewrites the ones that change, naming them; `--check`
// rewrites nothing and shows what would change as a unified diff (exit 1), as `gofmt -d` and
// `black --check --diff` do; `-` reads standard input and writes the result to standard output.
#include "commands.hpp"

#include "decorum/rulebook/format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

namespace decorum::cli {
namespace {

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> v;
  std::size_t at = 0;
  while (at < s.size()) {
    std::size_t nl = s.find('\n', at);
    if (nl == std::string::npos) nl = s.size();
    v.push_back(s.substr(at, nl - at));
    at = nl + 1;
  }
  return v;
}

/// What `--check` prints: the changes from `before` to `after` as a unified diff (3 lines of context).
std::string unified_diff(const std::string& name, const std::string& before, const std::string& after) {
  const std::vector<std::string> a = split(before), b = split(after);
  // Common head and tail first; the longest common subsequence of what is left (a rulebook
  // fmt changes is a few hundred lines; beyond 4000 × 4000 the middle is one hunk).
  std::size_t pre = 0;
  while (pre < a.size() && pre < b.size() && a[pre] == b[pre]) ++pre;
  std::size_t suf = 0;
  while (suf < a.size() - pre && suf < b.size() - pre && a[a.size() - 1 - suf] == b[b.size() - 1 - suf]) ++suf;
  const std::size_t n = a.size() - pre - suf, m = b.size() - pre - suf;
  // ops: ' ' same, '-' only in a, '+' only in b, in order, over the whole files.
  std::vector<std::pair<char, std::size_t>> ops;  // (op, index in a or b)
  for (std::size_t i = 0; i < pre; ++i) ops.push_back({' ', i});
  if (n * m <= 16'000'000) {
    std::vector<std::uint32_t> lcs((n + 1) * (m + 1), 0);
    auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& { return lcs[i * (m + 1) + j]; };
    for (std::size_t i = n; i-- > 0;)
      for (std::size_t j = m; j-- > 0;)
        at(i, j) = a[pre + i] == b[pre + j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
    std::size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[pre + i] == b[pre + j]) ops.push_back({' ', pre + i++}), ++j;
      else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) ops.push_back({'-', pre + i++});  // deletions first
      else ops.push_back({'+', pre + j++});
    }
  } else {
    for (std::size_t i = 0; i < n; ++i) ops.push_back({'-', pre + i});
    for (std::size_t j = 0; j < m; ++j) ops.push_back({'+', pre + j});
  }
  for (std::size_t i = 0; i < suf; ++i) ops.push_back({' ', a.size() - suf + i});

  std::string out = fmt::format("--- {}\n+++ {} (formatted)\n", name, name);
  constexpr std::size_t context = 3;
  std::size_t k = 0;
  // Line numbers in a and b at each op.
  std::vector<std::size_t> la(ops.size() + 1), lb(ops.size() + 1);
  for (std::size_t x = 0; x < ops.size(); ++x) {
    la[x + 1] = la[x] + (ops[x].first != '+');
    lb[x + 1] = lb[x] + (ops[x].first != '-');
  }
  while (k < ops.size()) {
    if (ops[k].first == ' ') {
      ++k;
      continue;
    }
    // A hunk: from `context` lines before this change to `context` lines after the last
    // change that is at most 2 × context lines away.
    const std::size_t from = k >= context ? k - context : 0;
    std::size_t to = k;
    while (to < ops.size()) {
      std::size_t next = to;
      while (next < ops.size() && ops[next].first == ' ') ++next;
      if (next == ops.size() || next - to > 2 * context) break;
      while (next < ops.size() && ops[next].first != ' ') ++next;
      to = next;
    }
    const std::size_t end = std::min(ops.size(), to + context);
    out += fmt::format("@@ -{},{} +{},{} @@\n", la[from] + 1, la[end] - la[from], lb[from] + 1, lb[end] - lb[from]);
    for (std::size_t x = from; x < end; ++x)
      out += fmt::format("{}{}\n", ops[x].first, ops[x].first == '+' ? b[ops[x].second] : a[ops[x].second]);
    k = end;
  }
  return out;
}

}  // namespace

int run_fmt(const fmt_options& o) {
  int code = exit_ok;
  if (std::count(o.files.begin(), o.files.end(), "-") > 0 && o.files.size() > 1) {
    fmt::print(stderr, "decorum fmt: '-' (standard input to standard output) cannot be mixed with files\n");
    return exit_usage;
  }
  std::size_t changed = 0;
  for (const auto& f : o.files) {
    const bool stdin_ = f == "-";
    const std::optional<std::string> read = read_bytes(f);
    if (!read) {
      fmt::print(stderr, "decorum fmt: cannot read {}\n", f);
      code = exit_failure;
      continue;
    }
    const std::string& text = *read;
    const std::string name = stdin_ ? "<stdin>" : f;
    auto formatted = format_rulebook(name, text);
    if (!formatted) {
      for (const auto& d : formatted.error()) fmt::print(stderr, "{}\n", format_diagnostic(d));
      code = exit_failure;
      continue;
    }
    if (o.check) {
      if (*formatted != text) {
        ++changed;
        fmt::print("{}", unified_diff(name, text, *formatted));
        code = exit_failure;
      }
      continue;
    }
    if (stdin_) {
      if (!write_text("", *formatted, "fmt")) code = exit_failure;
      continue;
    }
    if (*formatted == text) continue;
    if (!write_text(f, *formatted, "fmt")) {
      code = exit_failure;
      continue;
    }
    ++changed;
    fmt::print(stderr, "decorum fmt: formatted {}\n", f);
  }
  if (o.check && changed > 0)
    fmt::print(stderr, "decorum fmt: {} file{} not in canonical layout (`decorum fmt FILE` rewrites {})\n", changed,
               changed == 1 ? " is" : "s are", changed == 1 ? "it" : "them");
  return code;
}

}  // namespace decorum::cli
