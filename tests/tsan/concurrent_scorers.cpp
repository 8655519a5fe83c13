// tests/tsan/concurrent_scorers.cpp — entry point: main. Many scorers on many threads over
// ONE shared rule_set, built with -fsanitize=thread (tests/tsan/CMakeLists.txt), so a data
// race anywhere in the "compiled once, shared read-only" promise of compile.hpp is caught:
// JSON Lines readers, record_builder, phrase automata, evaluation, reports, partial results
// and the C API, all at once. Every thread must also get the single-threaded answer.
// Usage: decorum_tsan EXAMPLES_DIR; ends with "N passed, N failed".
#include <decorum/compile/compile.hpp>
#include <decorum/decorum.h>
#include <decorum/api/partial.hpp>
#include <decorum/read/read.hpp>
#include <decorum/api/record_builder.hpp>
#include <decorum/report/report.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int threads = 6;
constexpr int rounds = 8;  // enough work per thread that the threads really overlap

/// Feeds a reader's output into a scorer.
struct scorer_sink final : decorum::record_sink {
  decorum::scorer& s;
  explicit scorer_sink(decorum::scorer& sc) : s(sc) {}
  void on_record(const decorum::record& r) override { s.add(r); }
  void on_reject(decorum::rejection r) override { s.reject(r.source, r.line, std::move(r.reason)); }
};

/// Scores the whole log with a scorer of this thread; returns the JSON report with findings.
std::string score_log(std::shared_ptr<const decorum::rule_set> rules, const std::string& log) {
  decorum::scorer s(rules, {std::nullopt, true});
  scorer_sink sink(s);
  decorum::jsonl_reader reader(rules->schema());
  reader.read(log, s.add_source("nov-2026.jsonl"), sink);
  return decorum::write_json(s.report(), true);
}

/// Synthetic records `first`, `first + step`, … built in code (no ids, so shards are disjoint).
decorum::scorer score_slice(std::shared_ptr<const decorum::rule_set> rules, int first, int step, int count) {
  decorum::scorer s(rules);
  const std::uint32_t src = s.add_source("hr-db");
  decorum::record_builder b(*rules);
  const char* openings[] = {"您好", "喂", "你好,请讲", "早上好 您好"};
  for (int i = first; i < count; i += step) {
    b.clear().origin(src, static_cast<std::uint64_t>(i) + 1).employee("E" + std::to_string(i % 9));
    b.time("2026-11-" + std::string(i % 28 < 9 ? "0" : "") + std::to_string(i % 28 + 1) + "T09:00:00+08:00");
    if (i % 2) b.kind("phone_call").set("rings", i % 6).set("opening", openings[i % 4]);
    else b.kind("utterance").set("text", i % 3 ? "这与我无关,不知道" : "您好,请稍等");
    (void)b.add_to(s);
  }
  return s;
}

/// The C API on this thread, through the shared rules handle.
std::string score_with_c_api(const decorum_rules* rules, const std::string& log) {
  decorum_scorer* s = nullptr;
  decorum_scorer_new(rules, nullptr, 0, &s);
  std::istringstream lines(log);
  std::string line;
  for (std::uint64_t n = 1; std::getline(lines, line); ++n)
    if (!line.empty()) decorum_scorer_add_json(s, line.data(), line.size(), "nov-2026.jsonl", n, nullptr);
  decorum_report* rep = nullptr;
  char* json = nullptr;
  decorum_scorer_report(s, &rep);
  decorum_report_json(rep, &json);
  std::string out = json ? json : "";
  decorum_string_free(json);
  decorum_report_free(rep);
  decorum_scorer_free(s);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: decorum_tsan EXAMPLES_DIR\n");
    return 2;
  }
  std::ifstream in(std::string(argv[1]) + "/nov-2026.jsonl", std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  const std::string log = text.str();
  if (log.empty()) {
    std::fprintf(stderr, "decorum_tsan: cannot read %s/nov-2026.jsonl\n", argv[1]);
    return 2;
  }

  std::vector<decorum::diagnostic> diags;
  std::shared_ptr<const decorum::rule_set> rules = decorum::builtin_rule_set(diags);
  decorum_rules* c_rules = nullptr;
  if (!rules || decorum_rules_builtin(&c_rules) != DECORUM_OK) return 2;

  // Answers worked out on one thread first.
  const std::string expected_log = score_log(rules, log);
  const std::string expected_c = score_with_c_api(c_rules, log);
  constexpr int synthetic = 3000;
  const std::string expected_slices = decorum::write_json(score_slice(rules, 0, 1, synthetic).report(), false);

  std::vector<std::string> got_log(threads), got_c(threads), got_partial(threads);
  std::vector<std::optional<decorum::scorer>> slices(threads);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      for (int r = 0; r < rounds; ++r) {
        got_log[t] = score_log(rules, log);
        got_c[t] = score_with_c_api(c_rules, log);
      }
      slices[t].emplace(score_slice(rules, t, threads, synthetic));
      got_partial[t] = decorum::write_partial(slices[t]->export_state(), *rules, false);
    });
  for (auto& th : pool) th.join();

  int passed = 0, failed = 0;
  auto check = [&](bool ok, const char* what, int t) {
    ok ? ++passed : ++failed;
    if (!ok) std::fprintf(stderr, "thread %d: %s differs from the single-threaded answer\n", t, what);
  };
  std::vector<decorum::partial_result> parts;
  for (int t = 0; t < threads; ++t) {
    check(got_log[t] == expected_log, "report of the log", t);
    check(got_c[t] == expected_c, "C API report", t);
    auto p = decorum::parse_partial(got_partial[t]);
    check(p.ok(), "partial result", t);
    if (p) parts.push_back(std::move(*p));
  }
  decorum::scorer merged(rules);
  for (auto& s : slices) merged.merge(std::move(*s));
  check(decorum::write_json(merged.report(), false) == expected_slices, "merged slices", -1);
  auto from_partials = decorum::merge_partials(rules, parts);
  check(from_partials.merged && decorum::write_json(from_partials.merged->report(), false) == expected_slices,
        "merged partial results", -1);
  decorum_rules_free(c_rules);
  std::printf("tsan: %d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
