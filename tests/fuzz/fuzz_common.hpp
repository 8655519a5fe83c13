// tests/fuzz/fuzz_common.hpp — shared pieces of the libFuzzer targets: a failed check that
// stops the fuzzer with a message, the fixed rulebook the log readers are fuzzed with, a
// sink that feeds a scorer, scratch files, and report normalisation for comparing a log
// read whole with the same log read in pieces.
#pragma once

#include "decorum/api/batch.hpp"
#include "decorum/compile/compile.hpp"
#include "decorum/base/diagnostic.hpp"
#include "decorum/read/read.hpp"
#include "decorum/report/report.hpp"
#include "decorum/tally/tally.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace fuzz {

/// Stops the run with `what` (and, when given, the two texts that should have been equal):
/// libFuzzer saves the input as a crash.
[[noreturn]] inline void fail(const char* what, std::string_view a = {}, std::string_view b = {}) {
  std::fprintf(stderr, "\n==== decorum fuzz check failed: %s\n", what);
  if (!a.empty() || !b.empty()) {
    std::fprintf(stderr, "---- expected:\n%.*s\n---- got:\n%.*s\n----\n", static_cast<int>(a.size()), a.data(),
                 static_cast<int>(b.size()), b.data());
  }
  std::fflush(stderr);
  __builtin_trap();
}

#define FUZZ_CHECK(cond, what)      \
  do {                              \
    if (!(cond)) ::fuzz::fail(what); \
  } while (0)

/// Checks that two texts are equal, else fails showing both.
inline void check_equal(std::string_view expected, std::string_view got, const char* what) {
  if (expected != got) fail(what, expected, got);
}

/// A known defect whose check is skipped: DECORUM_FUZZ_SKIP holds a comma-separated list of
/// names (see README.md), so a long run can look past a defect already reported. Unset in CI.
inline bool skipped(std::string_view name) {
  static const std::string list = [] {
    const char* s = std::getenv("DECORUM_FUZZ_SKIP");
    return std::string(",") + (s ? s : "") + ",";
  }();
  return list.find(std::string(",") + std::string(name) + ",") != std::string::npos;
}

/// Compiles a rulebook that must compile (the fixed ones of the harnesses); aborts otherwise.
inline std::shared_ptr<const decorum::rule_set> must_compile(const char* name, std::string_view text) {
  std::vector<decorum::diagnostic> diags;
  auto rs = decorum::compile_rulebook(name, std::string(text), diags);
  if (!rs || decorum::has_errors(diags)) {
    for (const auto& d : diags) std::fprintf(stderr, "%s\n", decorum::format_diagnostic(d).c_str());
    fail("the harness's fixed rulebook does not compile");
  }
  return rs;
}

/// The rulebook the log readers are fuzzed with: every field type, an enum, phrase sets with
/// full-width and overlapping phrases, progressive prices, caps, fines, flags, roles, `times`,
/// signed points, clamps and grades. Kinds share field names with different types (`v`), so
/// a CSV column means different things per kind.
inline constexpr std::string_view log_rulebook = R"(decorum: 1
name: fuzz-logs
title: 模糊测试
scoring:
  base: 100
  period: week
  floor: -1000
  ceiling: 1000
  currency: CNY
  grades:
    - {min: 90, grade: A}
    - {min: 0, grade: B}
records:
  call:
    rings: int
    opening: text
    private: bool
    duration: duration
    v: int
  check:
    badge: [left_chest, elsewhere, missing]
    nails: number
    at: time
    v: [a, b]
  say:
    text: {type: text, required: true}
    v: number
  kpi:
    rate: {type: number, required: true}
phrases:
  greeting: [您好, 早上好, hello]
  forbidden: [这与我无关, 不知道, 知道, "喂，说话呀", ＡＢＣ, a b]
rules:
  - id: call.rings
    on: call
    when: rings > 3
    deduct: [10, 20, 50]
    cap: 70
    category: phone
  - id: call.opening
    on: call
    when: has(opening) and not starts_with(opening, phrases.greeting)
    deduct: 5
    category: phone
  - id: call.private
    on: call
    when: private and duration > 5m
    fine: [100, 200]
    flag: private-calls
    roles: [receptionist, butler]
  - id: call.v
    on: call
    times: v
    bonus: 0.5
  - id: check.badge
    on: check
    when: badge != "left_chest"
    deduct: 10
    severity: minor
    flag: badge
  - id: check.nails
    on: check
    when: nails > 1.5
    points: (1.5 - nails) * 10
  - id: check.late
    on: check
    when: hour(at) >= 9 or between(clock(time), 22:00, 06:00) or weekday(time) == 7
    deduct: 3
    cap: 9
  - id: say.forbidden
    on: say
    when: contains(text, phrases.forbidden)
    times: count(text, phrases.forbidden)
    deduct: [10, 20]
    cap: 100
    category: language
  - id: say.long
    on: say
    when: len(text) > 20 or ends_with(text, "谢谢")
    bonus: 1
    category: language
  - id: say.v
    on: say
    when: v != 0
    points: v / 3
    fine: abs(v) % 7
  - id: kpi
    on: kpi
    points: (25 - rate) * 1000
)";

/// Feeds a reader's records and rejections into a scorer.
class scorer_sink final : public decorum::record_sink {
 public:
  explicit scorer_sink(decorum::scorer& s) : s_(s) {}
  void on_record(const decorum::record& r) override { s_.add(r); }
  void on_reject(decorum::rejection r) override { s_.reject(r.source, r.line, std::move(r.reason)); }

 private:
  decorum::scorer& s_;
};

/// A private scratch directory, removed with its files when the process exits.
class scratch {
 public:
  static scratch& get() {
    static scratch s;
    return s;
  }
  /// Writes `data` to file `name` in the directory; returns its path.
  std::string write(const std::string& name, std::string_view data) {
    std::string path = dir_ + "/" + name;
    FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) fail("cannot create a scratch file");
    if (!data.empty() && std::fwrite(data.data(), 1, data.size(), f) != data.size()) fail("cannot write a scratch file");
    std::fclose(f);
    // The same few names are written on every run: remember each once (a list growing by
    // one entry per run would also look like a leak to libFuzzer's malloc/free counting).
    bool known = false;
    for (const auto& p : files_) known = known || p == path;
    if (!known) files_.push_back(path);
    return path;
  }
  ~scratch() {
    for (const auto& f : files_) ::unlink(f.c_str());
    ::rmdir(dir_.c_str());
  }

 private:
  scratch() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : (::access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp")) +
                       "/decorum-fuzz-XXXXXX";
    if (!::mkdtemp(tmpl.data())) fail("cannot create a scratch directory");
    dir_ = tmpl;
  }
  std::string dir_;
  std::vector<std::string> files_;
};

/// A pipe holding `data` (written whole, write end closed), named as a path the batch
/// scorer can open ("/dev/fd/N"): it is not a regular file, so split_input reads it block
/// by block instead of mapping it. Closed on destruction.
class pipe_input {
 public:
  explicit pipe_input(std::string_view data) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) fail("pipe failed");
    read_fd_ = fds[0];
    std::size_t done = 0;
    while (done < data.size()) {
      const ssize_t n = ::write(fds[1], data.data() + done, data.size() - done);
      if (n <= 0) fail("pipe write failed (input larger than the pipe buffer?)");
      done += static_cast<std::size_t>(n);
    }
    ::close(fds[1]);
    path_ = "/dev/fd/" + std::to_string(read_fd_);
  }
  ~pipe_input() { ::close(read_fd_); }
  const std::string& path() const { return path_; }
  /// Inputs larger than this are not sent through a pipe (the write would block).
  static constexpr std::size_t max_size = 60000;

 private:
  int read_fd_ = -1;
  std::string path_;
};

/// What a report says, for comparison. With `keep_places`, the JSON report with the
/// inputs' names replaced by `LOG`; without, also the lines of rejections and the
/// "(first seen at FILE:LINE)" of duplicate ids dropped: the counts, tallies and rejection
/// messages a log split into two inputs must reproduce.
inline std::string normalized(decorum::score_report r, const std::vector<std::string>& names, bool keep_places) {
  static constexpr std::string_view dup = "duplicate id ", seen = " (first seen at ";
  for (auto& name : r.sources) name = "LOG";
  for (auto& rej : r.rejections) {
    if (!keep_places) rej.line = 0;
    // An input's name appears in a message only at the end of a duplicate id's, as
    // "duplicate id "ID" (first seen at NAME:LINE)"; the same letters elsewhere are the
    // log's own text (quoted in a message) and stay.
    std::string& e = rej.reason;
    if (e.compare(0, dup.size(), dup) != 0 || e.empty() || e.back() != ')') continue;
    const std::size_t at = e.rfind(seen), colon = e.rfind(':');
    if (at == std::string::npos || colon == std::string::npos || colon < at + seen.size()) continue;
    if (!keep_places) {
      e.erase(at);
      continue;
    }
    const std::string_view name = std::string_view(e).substr(at + seen.size(), colon - at - seen.size());
    for (const auto& n : names)
      if (name == n) {
        e.replace(at + seen.size(), name.size(), "LOG");
        break;
      }
  }
  return decorum::write_json(r, false);
}

/// The report's own invariants (SPEC §3, §5): records read = scored + rejected, every
/// rejection listed, rendering works in every format.
inline void check_report(const decorum::score_report& r) {
  FUZZ_CHECK(r.records == r.scored + r.rejected, "records read != scored + rejected");
  FUZZ_CHECK(r.rejections.size() == r.rejected, "rejected count != rejections listed");
  for (const auto& t : r.tallies) FUZZ_CHECK(!t.employee.empty(), "a tally without an employee");
  (void)decorum::write_csv(r);
  (void)decorum::write_table(r, false);
}

/// The offsets just past every record end of `text` (a line break; for CSV only outside
/// quotes, quote parity being the whole state machine), from `from` on.
inline std::vector<std::size_t> record_ends(std::string_view text, bool csv, std::size_t from = 0) {
  std::vector<std::size_t> ends;
  bool quoted = false;
  for (std::size_t i = from; i < text.size(); ++i) {
    if (csv && text[i] == '"') quoted = !quoted;
    else if (text[i] == '\n' && !quoted) ends.push_back(i + 1);
  }
  return ends;
}

/// Counts line breaks.
inline std::uint64_t newlines(std::string_view s) {
  std::uint64_t n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

inline constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

}  // namespace fuzz
