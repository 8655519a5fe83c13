// tests/api/test_merge.cpp — entry point: doctest cases "merge: …". The partial-result property
// of issue #6: random records over a rulebook with progressive prices, caps, fines and
// names, split at random into shards, each shard scored alone, its state written as a
// partial result, read back and merged — the report equals, byte for byte, one scorer over
// every record. Also the partial format's own guarantees (round trip, refusals with the key
// named), ids across shards, and `decorum score --format partial` + `decorum merge`.
#include "decorum/api/partial.hpp"
#include "decorum/api/record_builder.hpp"
#include "decorum/report/report.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "support/test_util.hpp"

using namespace decorum;

namespace {

constexpr const char* rulebook_yaml = R"(decorum: 1
name: merge-test
scoring:
  base: 100
  period: week
  floor: 0
  grades:
    - {min: 95, grade: A}
    - {min: 50, grade: B}
records:
  call:
    rings: int
    opening: text
  check:
    badge: [ok, missing]
    mark: number
phrases:
  greeting: [您好, hello]
rules:
  - id: rings
    category: phone
    on: call
    when: rings > 3
    deduct: [1.5, 2.25, 5]
    cap: 20
  - id: greeting
    category: phone
    on: call
    when: not contains(opening, phrases.greeting)
    deduct: 2
    fine: [10, 20.5]
  - id: praise
    on: call
    when: contains(opening, phrases.greeting)
    times: count(opening, phrases.greeting)
    bonus: 0.5
    cap: 3
  - id: badge
    category: dress
    on: check
    when: badge == "missing"
    deduct: 3
    fine: 12.34
    flag: badge-review
  - id: mark
    on: check
    points: (mark - 50) / 3
)";

std::shared_ptr<const rule_set> test_rules() {
  static std::shared_ptr<const rule_set> rs = [] {
    std::vector<diagnostic> diags;
    auto r = compile_rulebook("merge-test.yaml", rulebook_yaml, diags);
    for (const auto& d : diags) MESSAGE(format_diagnostic(d));
    REQUIRE(r);
    return r;
  }();
  return rs;
}

/// One generated observation: where it is from, and either a record or a rejection.
struct event {
  std::string source;
  std::uint64_t line = 0;
  bool reject = false;
  record_builder fields;
};

const std::vector<std::string> source_names = {"a.jsonl", "b.jsonl", "c.csv", "d.csv"};

std::vector<event> generate(std::mt19937& rng, std::size_t n, bool with_ids) {
  std::vector<event> out;
  std::vector<std::uint64_t> next_line(source_names.size(), 1);
  const std::vector<std::string> names = {"王芳", "李娜", "张伟", "Ann"};
  const std::vector<std::string> openings = {"您好", "喂", "hello 您好 hello", "", "在吗"};
  auto pick = [&](std::size_t k) { return std::uniform_int_distribution<std::size_t>(0, k - 1)(rng); };
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t s = pick(source_names.size());
    event e{source_names[s], next_line[s]++, pick(20) == 0, record_builder(*test_rules())};
    // Hour granularity over five weeks: equal times (and so name ties) are common.
    const int day = 1 + static_cast<int>(pick(35));
    const std::string time =
        fmt::format("2026-{:02}-{:02}T{:02}:00:00+08:00", day > 30 ? 12 : 11, day > 30 ? day - 30 : day, 8 + pick(3));
    e.fields.employee(fmt::format("E{}", pick(7))).time(time);
    if (pick(3) == 0) e.fields.name(names[pick(names.size())]);
    if (with_ids && pick(2) == 0) e.fields.id(fmt::format("r{}", i));
    if (pick(2) == 0) {
      e.fields.kind("call").set("rings", static_cast<int>(pick(8)));
      if (const auto& o = openings[pick(openings.size())]; !o.empty()) e.fields.set("opening", o);
    } else {
      e.fields.kind("check").set("badge", pick(3) == 0 ? "missing" : "ok");
      e.fields.set("mark", decimal::from_raw(static_cast<std::int64_t>(pick(10'000'000))) );
    }
    out.push_back(std::move(e));
  }
  return out;
}

/// Scores events into a scorer, registering their inputs in name order first (as one
/// `decorum score` run does) when `register_all`, else as they come.
void feed(scorer& s, const std::vector<const event*>& events, bool register_all) {
  std::map<std::string, std::uint32_t> src;
  if (register_all)
    for (const auto& n : source_names) src.emplace(n, s.add_source(n));
  for (const event* e : events) {
    auto it = src.find(e->source);
    if (it == src.end()) it = src.emplace(e->source, s.add_source(e->source)).first;
    if (e->reject) {
      s.reject(it->second, e->line, "rings: expected int, got \"four\"");
      continue;
    }
    record_builder b = e->fields;
    b.origin(it->second, e->line);
    auto added = b.add_to(s);
    REQUIRE_MESSAGE(added, (added ? std::string() : added.error().reason));
  }
}

std::string whole_report(const std::vector<event>& events, const score_options& opts) {
  scorer s(test_rules(), opts);
  std::vector<const event*> all;
  for (const auto& e : events) all.push_back(&e);
  feed(s, all, true);
  return write_json(s.report(), opts.keep_findings);
}

std::string merged_report(const std::vector<event>& events, const score_options& opts, std::size_t k, std::mt19937& rng,
                          std::uint64_t* dups = nullptr) {
  std::vector<std::vector<const event*>> shards(k);
  for (const auto& e : events) shards[std::uniform_int_distribution<std::size_t>(0, k - 1)(rng)].push_back(&e);
  std::vector<partial_result> parts;
  for (auto& shard : shards) {
    std::shuffle(shard.begin(), shard.end(), rng);  // order within a shard must not matter either
    scorer s(test_rules(), opts);
    feed(s, shard, false);
    std::string text = write_partial(s.export_state(), *test_rules(), opts.keep_findings);
    auto p = parse_partial(text);
    REQUIRE_MESSAGE(p, (p ? std::string() : p.error().message));
    CHECK(write_partial(p->state, *test_rules(), p->findings_kept) == text);  // lossless
    parts.push_back(std::move(*p));
  }
  merge_outcome m = merge_partials(test_rules(), parts);
  REQUIRE_MESSAGE(m.merged, m.error);
  if (dups) *dups = m.duplicate_ids;
  return write_json(m.merged->report(), opts.keep_findings);
}

}  // namespace

TEST_CASE("merge: random shards merge to the report of one scorer, byte for byte") {
  std::mt19937 rng(20261103);
  for (int round = 0; round < 12; ++round) {
    const std::size_t n = 50 + static_cast<std::size_t>(round) * 40;
    auto events = generate(rng, n, true);
    score_options opts;
    opts.keep_findings = round % 2 == 1;
    if (round % 3 == 2) opts.period = period_kind::month;
    const std::size_t k = 1 + static_cast<std::size_t>(round % 5);
    CAPTURE(round);
    CAPTURE(k);
    std::uint64_t dups = 1;
    const std::string whole = whole_report(events, opts);
    CHECK(merged_report(events, opts, k, rng, &dups) == whole);
    CHECK(dups == 0);
  }
}

TEST_CASE("merge: an id in two shards is kept once but both records stay scored") {
  auto rs = test_rules();
  auto shard = [&](const char* source) {
    scorer s(rs);
    std::uint32_t src = s.add_source(source);
    record_builder b(*rs);
    b.kind("check").time("2026-11-03T09:00").employee("E1").id("same").set("badge", "missing").origin(src, 1);
    REQUIRE(b.add_to(s));
    auto p = parse_partial(write_partial(s.export_state(), *rs, false));
    REQUIRE(p);
    return *p;
  };
  std::vector<partial_result> parts = {shard("a.jsonl"), shard("b.jsonl")};
  merge_outcome m = merge_partials(rs, parts);
  REQUIRE(m.merged);
  CHECK(m.duplicate_ids == 1);
  score_report rep = m.merged->report();
  CHECK(rep.scored == 2);
  REQUIRE(rep.tallies.size() == 1);
  CHECK(rep.tallies[0].deductions == *decimal::from_int(6));
}

TEST_CASE("merge: partial results are refused with the key at fault named") {
  auto rs = test_rules();
  scorer s(rs);
  std::uint32_t src = s.add_source("a.jsonl");
  record_builder b(*rs);
  b.kind("call").time("2026-11-03T09:00").employee("E1").name("王芳").set("rings", 5).set("opening", "喂").origin(src, 1);
  REQUIRE(b.add_to(s));
  const std::string good = write_partial(s.export_state(), *rs, false);
  REQUIRE(parse_partial(good));

  auto refused = [&](const std::string& from, const std::string& to) {
    std::string text = good;
    auto at = text.find(from);
    REQUIRE_MESSAGE(at != std::string::npos, from);
    text.replace(at, from.size(), to);
    auto p = parse_partial(text);
    REQUIRE_FALSE(p);
    return p.error().message;
  };
  CHECK(refused("\"decorum_partial\":2", "\"decorum_partial\":1").find("format 1 is not supported") != std::string::npos);
  CHECK(refused("\"points\":\"-2\"", "\"points\":-2") == "tallies[0].rules[1].points: expected a decimal as a string (\"-10.5\")");
  CHECK(refused("\"points\":\"-2\"", "\"points\":\"-2.0000001\"") ==
        "tallies[0].rules[1].points: \"-2.0000001\" is not an exact decimal");
  CHECK(refused("\"period\":\"2026-W45\"", "\"period\":\"2026-W60\"") == "tallies[0].period: \"2026-W60\" is not a week period");
  CHECK(refused("\"source\":0,\"line\":1}", "\"source\":3,\"line\":1}") == "tallies[0].name.source: index 3 out of range (0–0)");
  CHECK(refused("\"time\":\"2026-11-03T09:00:00\"", "\"time\":\"yesterday\"") ==
        "tallies[0].name.time: \"yesterday\" is not an ISO time");
  CHECK(refused("\"scored\":1", "\"scored\":2") == "input: records is not scored + rejected");
  CHECK(refused("\"ids\":[", "\"idz\":[") == "missing key 'ids'");
  auto not_partial = parse_partial("{\"decorum\":1}", "x.json");
  REQUIRE_FALSE(not_partial);
  CHECK(not_partial.error().message == "not a decorum partial result (no \"decorum_partial\" version)");
  CHECK(not_partial.error().file == "x.json");
  CHECK_FALSE(parse_partial("not json"));
  // Damaged files (cut short anywhere) are refused, never half-read.
  for (std::size_t cut = 0; cut + 2 < good.size(); cut += 3) CHECK_FALSE(parse_partial(good.substr(0, cut)));

  // A partial of another rulebook, or counted per another period, is not merged.
  std::string other = good;
  other.replace(other.find("merge-test"), 10, "other-test");
  auto p = parse_partial(other);
  REQUIRE(p);
  merge_outcome m = merge_partials(rs, {*p});
  CHECK_FALSE(m.merged);
  CHECK(m.error == "partial #1: partial result is for rulebook 'other-test', not 'merge-test'");
  auto q = parse_partial(good);
  REQUIRE(q);
  auto r = *q;
  r.state.period = period_kind::day;
  m = merge_partials(rs, {*q, r}, {"q.json", "r.json"});
  CHECK_FALSE(m.merged);
  CHECK(m.error == "r.json: partial result counts per day, not per week");
}

#ifdef DECORUM_CLI

namespace {

std::string slurp_file(const std::filesystem::path& p) { return decorum::test::slurp(p); }

}  // namespace

TEST_CASE("merge: decorum score --format partial on shards, then decorum merge, equals decorum score") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("decorum-merge-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string cli = DECORUM_CLI;
  const std::string ex = std::string(DECORUM_SOURCE_DIR) + "/examples/";
  const std::string d = dir.string() + "/";
  auto run = [](const std::string& cmd) { return std::system(cmd.c_str()); };
  // Run from examples/ so every report names the inputs the same way.
  const std::string cd = "cd '" + ex + "' && '" + cli + "' ";
  REQUIRE(run(cd + "score -f json --findings nov-2026.jsonl nov-2026-front-desk.csv > '" + d + "whole.json' 2>/dev/null") == 0);
  REQUIRE(run(cd + "score -f partial --findings nov-2026.jsonl -o '" + d + "p1.json' 2>/dev/null") == 0);
  REQUIRE(run(cd + "score -f partial --findings nov-2026-front-desk.csv -o '" + d + "p2.json' 2>/dev/null") == 0);
  REQUIRE(run("'" + cli + "' merge -f json '" + d + "p2.json' '" + d + "p1.json' > '" + d + "merged.json' 2>'" + d +
              "err.txt'") == 0);
  CHECK(slurp_file(dir / "merged.json") == slurp_file(dir / "whole.json"));
  // The same partial twice: its ids are in both, which merge can only warn about.
  CHECK(run("'" + cli + "' merge -f csv '" + d + "p1.json' '" + d + "p1.json' > /dev/null 2>'" + d + "err.txt'") == 0);
  const std::string err = slurp_file(dir / "err.txt");
  CHECK(err.find("appears in") != std::string::npos);
  // A partial for another rulebook is refused (exit 1, no report).
  REQUIRE(run(cd + "score -f partial -r ../tests/e2e/cap.yaml ../tests/e2e/cap.jsonl -o '" + d + "cap.json' 2>/dev/null") == 0);
  CHECK(run("'" + cli + "' merge -f json '" + d + "cap.json' > '" + d + "none.json' 2>/dev/null") != 0);
  CHECK(slurp_file(dir / "none.json").empty());
  fs::remove_all(dir);
}

#endif

TEST_CASE("merge: a partial's rejections name listed inputs and come back as the same rejection values") {
  auto rs = test_rules();
  scorer s(rs);
  s.add_source("a.jsonl");
  const std::uint32_t b = s.add_source("b.jsonl");
  s.reject(b, 7, "rings: expected int, got \"four\"");
  const std::string text = write_partial(s.export_state(), *rs, false);
  auto p = parse_partial(text, "p.json");
  REQUIRE(p);
  REQUIRE(p->state.rejections.size() == 1);
  CHECK(p->state.rejections[0] == rejection{b, 7, "rings: expected int, got \"four\""});
  merge_outcome m = merge_partials(rs, {*p});
  REQUIRE(m.merged);
  const score_report rep = m.merged->report();
  REQUIRE(rep.rejections.size() == 1);
  CHECK(rep.source_name(rep.rejections[0]) == "b.jsonl");
  CHECK(rep.rejections[0].reason == "rings: expected int, got \"four\"");

  std::string bad = text;
  const std::string from = "{\"source\":\"b.jsonl\",\"line\":7";
  REQUIRE(bad.find(from) != std::string::npos);
  bad.replace(bad.find(from), from.size(), "{\"source\":\"c.jsonl\",\"line\":7");
  auto q = parse_partial(bad, "p.json");
  REQUIRE_FALSE(q);
  CHECK(q.error().file == "p.json");
  CHECK(q.error().message == "rejected[0].source: \"c.jsonl\" is not listed in sources");
}
