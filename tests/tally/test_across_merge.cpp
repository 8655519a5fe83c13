// tests/tally/test_across_merge.cpp — entry point: doctest cases "merge: across …". SPEC §8.3:
// window and deadline rules keep every promise of §4. Random records over a rulebook with
// window rules (per day, week, month, all, period; where, active, roles, every aggregate,
// progressive prices, caps, flags) and deadline rules (`within` an expression, a `within`
// that may be null or negative, `until` of the opening's own kind) are split at random into
// shards — so a window's records, and a duty's opening and its discharge, often lie in
// different shards — each shard shuffled and scored alone, saved as a partial result, read
// back and merged: the report equals, byte for byte, one scorer over every record, findings
// and pending duties included, with and without an as-of time. The same records written as
// JSON Lines files are scored by score_batch on 1 and 2 threads (small blocks, so one file's
// records land in several workers' scorers) and in either file order: the same bytes again.
#include "decorum/api/batch.hpp"
#include "decorum/api/partial.hpp"
#include "decorum/api/record_builder.hpp"
#include "decorum/report/report.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include "support/test_util.hpp"

using namespace decorum;

namespace {

constexpr const char* across_yaml = R"(decorum: 1
name: across-merge
scoring:
  base: 100
  period: week
  floor: 0
records:
  shift: {}
  patrol: {area: [lobby, garage, roof], minutes: int, took: duration, at: time}
  call: {rings: int}
  complaint: {ticket: text, priority: [normal, urgent], hours: duration}
  closed: {ticket: text}
rules:
  - id: rings
    on: call
    when: rings > 4
    deduct: [1, 2]
  - id: patrol.daily
    on: patrol
    per: day
    where: area != "lobby"
    active: [shift, patrol]
    when: count() < 2
    times: 2 - count()
    deduct: [1.5, 2.5]
    cap: 9
    flag: patrol-review
  - id: patrol.stats
    on: patrol
    roles: [guard]
    per: week
    active: [shift]
    when: count() == 0 or max(took) > 1h or min(at) < max(at)
    times: if(count(minutes > 20) > 1, 2, 1)
    points: if(avg(minutes) > 15, sum(minutes) / 100, -1.25)
    fine: if(share(area == "roof") > 0.3, 7.5, 0)
  - id: calls.month
    on: call
    roles: [receptionist]
    per: month
    when: share(rings <= 3) < 0.9
    deduct: 3
  - id: calls.all
    on: call
    per: all
    when: count() > 3
    bonus: count(rings <= 2) / 2
  - id: calls.period
    on: call
    per: period
    when: sum(rings) > 10
    fine: [5, 10]
  - id: complaint.24h
    on: complaint
    until: closed
    match: ticket
    within: if(priority == "urgent", 2h, 24h)
    deduct: [4, 6]
    flag: late-review
  - id: complaint.promise
    on: complaint
    until: closed
    match: ticket
    within: hours - 1h
    fine: 2.5
  - id: complaint.repeat
    on: complaint
    until: complaint
    match: ticket
    within: 12h
    bonus: 1
    cap: 3
)";

std::shared_ptr<const rule_set> across_rules() {
  static std::shared_ptr<const rule_set> rs = [] {
    std::vector<diagnostic> diags;
    auto r = compile_rulebook("across-merge.yaml", across_yaml, diags);
    for (const auto& d : diags) MESSAGE(format_diagnostic(d));
    REQUIRE(r);
    return r;
  }();
  return rs;
}

const decorum::test::scratch_dir& scratch() {
  static const decorum::test::scratch_dir d("decorum-across-merge");
  return d;
}

/// One field value as both a JSON Lines log and a record_builder take it.
using field_value = std::variant<std::string, std::int64_t>;

/// One generated observation: its input and line, and its fields (or a rejected line).
struct event {
  std::size_t source = 0;  // index into source_paths()
  std::uint64_t line = 0;
  bool reject = false;
  std::vector<std::pair<std::string, field_value>> fields;  // kind, time, employee first

  std::string json() const {
    std::string out = "{";
    for (const auto& [k, v] : fields) {
      out += (out.size() > 1 ? ",\"" : "\"") + k + "\":";
      if (const auto* s = std::get_if<std::string>(&v)) out += "\"" + *s + "\"";
      else out += std::to_string(std::get<std::int64_t>(v));
    }
    // The reader's own message for this value (checked against the scorer path below).
    if (reject) out += ",\"rings\":\"four\"";
    return out + "}";
  }
  record_builder builder() const {
    record_builder b(*across_rules());
    for (const auto& [k, v] : fields) {
      if (k == "kind") b.kind(std::get<std::string>(v));
      else if (k == "time") b.time(std::get<std::string>(v));
      else if (k == "employee") b.employee(std::get<std::string>(v));
      else if (const auto* s = std::get_if<std::string>(&v)) b.set(k, *s);
      else b.set(k, std::get<std::int64_t>(v));
    }
    return b;
  }
};

constexpr const char* reject_reason = "rings: expected int, got \"four\"";

const std::vector<std::string>& source_paths() {
  static const std::vector<std::string> p = {(scratch().path / "a.jsonl").string(), (scratch().path / "b.jsonl").string(),
                                             (scratch().path / "c.jsonl").string()};
  return p;
}

/// Times at 30-minute steps from 20 October to 25 November 2026: several events share a
/// time, windows straddle the month's end, and due times of 2h and 24h often meet a closing.
std::string random_time(std::mt19937& rng) {
  auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  const int day = pick(37);  // 0 = 2026-10-20
  const int month = day < 12 ? 10 : 11, dom = day < 12 ? 20 + day : day - 11;
  return fmt::format("2026-{:02}-{:02}T{:02}:{:02}:00", month, dom, 6 + pick(16), pick(2) * 30);
}

std::vector<event> generate(std::mt19937& rng, std::size_t n) {
  auto pick = [&](std::size_t k) { return std::uniform_int_distribution<std::size_t>(0, k - 1)(rng); };
  std::vector<event> out;
  std::vector<std::uint64_t> next_line(source_paths().size(), 1);
  const char* roles[] = {"guard", "receptionist", ""};
  const char* areas[] = {"lobby", "garage", "roof"};
  const char* hours[] = {"", "30m", "1h", "3h", "26h"};  // null, negative, zero, 2h, 25h
  for (std::size_t i = 0; i < n; ++i) {
    event e;
    e.source = pick(source_paths().size());
    e.line = next_line[e.source]++;
    e.reject = pick(25) == 0;
    const std::size_t k = e.reject ? 0 : pick(10);
    const char* kind = k < 2 ? "call" : k < 3 ? "shift" : k < 6 ? "patrol" : k < 8 ? "complaint" : "closed";
    e.fields.emplace_back("kind", std::string(kind));
    e.fields.emplace_back("time", random_time(rng));
    e.fields.emplace_back("employee", fmt::format("E{}", pick(5)));
    if (pick(4) == 0) e.fields.emplace_back("name", std::string(pick(2) ? "王芳" : "Ann"));
    if (const char* role = roles[pick(3)]; *role) e.fields.emplace_back("role", std::string(role));
    if (e.reject) {
      out.push_back(std::move(e));
      continue;
    }
    const std::string ticket = fmt::format("T{}", pick(12));
    if (std::string_view(kind) == "call") {
      e.fields.emplace_back("rings", static_cast<std::int64_t>(pick(8)));
    } else if (std::string_view(kind) == "patrol") {
      e.fields.emplace_back("area", std::string(areas[pick(3)]));
      if (pick(5)) e.fields.emplace_back("minutes", static_cast<std::int64_t>(pick(40)));
      if (pick(5)) e.fields.emplace_back("took", fmt::format("{}m", 5 + pick(90)));
      if (pick(2)) e.fields.emplace_back("at", random_time(rng));
    } else if (std::string_view(kind) == "complaint") {
      if (pick(8)) e.fields.emplace_back("ticket", ticket);  // else a null match: no duty
      if (pick(5)) e.fields.emplace_back("priority", std::string(pick(3) ? "normal" : "urgent"));
      if (const char* h = hours[pick(5)]; *h) e.fields.emplace_back("hours", std::string(h));
    } else if (std::string_view(kind) == "closed") {
      if (pick(8)) e.fields.emplace_back("ticket", ticket);
    }
    out.push_back(std::move(e));
  }
  return out;
}

/// Scores events into a scorer, its inputs registered in name order first (as `decorum
/// score` does) when `register_all`, else as they come.
void feed(scorer& s, const std::vector<const event*>& events, bool register_all) {
  std::map<std::size_t, std::uint32_t> src;
  if (register_all)
    for (std::size_t i = 0; i < source_paths().size(); ++i) src.emplace(i, s.add_source(source_paths()[i]));
  for (const event* e : events) {
    auto it = src.find(e->source);
    if (it == src.end()) it = src.emplace(e->source, s.add_source(source_paths()[e->source])).first;
    if (e->reject) {
      s.reject(it->second, e->line, reject_reason);
      continue;
    }
    record_builder b = e->builder();
    b.origin(it->second, e->line);
    auto added = b.add_to(s);
    REQUIRE_MESSAGE(added, (added ? std::string() : added.error().reason));
  }
}

std::string whole_report(const std::vector<event>& events, const score_options& opts) {
  scorer s(across_rules(), opts);
  std::vector<const event*> all;
  for (const auto& e : events) all.push_back(&e);
  feed(s, all, true);
  return write_json(s.report(), opts.keep_findings);
}

/// Shards of `events` (each shuffled) scored alone, saved, read back and merged.
std::string merged_report(const std::vector<event>& events, const score_options& opts, std::size_t k, std::mt19937& rng) {
  std::vector<std::vector<const event*>> shards(k);
  for (const auto& e : events) shards[std::uniform_int_distribution<std::size_t>(0, k - 1)(rng)].push_back(&e);
  std::vector<partial_result> parts;
  for (auto& shard : shards) {
    std::shuffle(shard.begin(), shard.end(), rng);
    score_options shard_opts = opts;
    shard_opts.as_of.reset();  // the as-of time is the merge's to set
    scorer s(across_rules(), shard_opts);
    feed(s, shard, false);
    const std::string text = write_partial(s.export_state(), *across_rules(), opts.keep_findings);
    auto p = parse_partial(text);
    REQUIRE_MESSAGE(p, (p ? std::string() : p.error().message));
    CHECK(write_partial(p->state, *across_rules(), p->findings_kept) == text);  // lossless
    parts.push_back(std::move(*p));
  }
  merge_outcome m = merge_partials(across_rules(), parts, {}, opts.as_of);
  REQUIRE_MESSAGE(m.merged, m.error);
  CHECK(m.duplicate_ids == 0);
  return write_json(m.merged->report(), opts.keep_findings);
}

/// The events as JSON Lines files, each event on its own line of its own input.
void write_logs(const std::vector<event>& events) {
  std::vector<std::vector<std::string>> lines(source_paths().size());
  for (const auto& e : events) {
    auto& file = lines[e.source];
    if (file.size() < e.line) file.resize(e.line);
    file[e.line - 1] = e.json();
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string text;
    for (const auto& l : lines[i]) text += l + "\n";
    decorum::test::spit(source_paths()[i], text);
  }
}

std::string batch_report(const score_options& opts, unsigned threads, std::size_t block, bool reverse_inputs) {
  std::vector<batch_input> inputs;
  for (const auto& p : source_paths()) inputs.push_back({p, input_format::jsonl});
  if (reverse_inputs) std::reverse(inputs.begin(), inputs.end());
  batch_options bo;
  bo.scoring = opts;
  bo.threads = threads;
  bo.block_size = block;
  batch_result r = score_batch(across_rules(), inputs, bo);
  REQUIRE_MESSAGE(r.ok(), (r.fatal ? r.fatal->message : std::string()));
  // The in-memory scorer it is compared with reads no files, so knows no encodings.
  r.report.source_encodings.clear();
  return write_json(r.report, opts.keep_findings);
}

}  // namespace

TEST_CASE("merge: across records: random shards of window and deadline rules merge to one scorer's report, byte for byte") {
  std::mt19937 rng(20261108);
  // What the reports must hold somewhere, or the comparison proves little.
  const char* kinds_of_finding[] = {"\"window\": \"20",       "\"window\": \"all\"", "\"source\": null",
                                    "\"discharge\": {",         "\"discharge\": null",   "\"pending\": [\n",
                                    "\"flags\": [\"late-review\", \"patrol-review\"]", "\"name\": null"};
  bool seen[std::size(kinds_of_finding)] = {};
  for (int round = 0; round < 12; ++round) {
    const std::size_t n = 80 + static_cast<std::size_t>(round) * 40;
    const auto events = generate(rng, n);
    score_options opts;
    opts.keep_findings = round % 4 != 3;  // findings kept in most rounds: the audit trail must merge too
    if (round % 3 == 1) opts.period = period_kind::month;
    if (round % 3 == 2) opts.period = period_kind::day;
    if (round % 2 == 1) opts.as_of = *parse_time("2026-11-12T12:00:00");  // closings after it still count
    const std::size_t k = 2 + static_cast<std::size_t>(round % 4);
    CAPTURE(round);
    CAPTURE(k);
    const std::string whole = whole_report(events, opts);
    for (std::size_t i = 0; i < std::size(seen); ++i) seen[i] = seen[i] || whole.find(kinds_of_finding[i]) != std::string::npos;
    CHECK(merged_report(events, opts, k, rng) == whole);
    // One shard per record, in random order: the extreme split.
    if (round < 2) CHECK(merged_report(events, opts, n, rng) == whole);
  }
  for (std::size_t i = 0; i < std::size(seen); ++i) {
    CAPTURE(kinds_of_finding[i]);
    CHECK(seen[i]);
  }
}

TEST_CASE("merge: across records: score_batch on 1 and 2 threads, small blocks, either file order, equals one scorer") {
  std::mt19937 rng(7);
  for (int round = 0; round < 4; ++round) {
    const auto events = generate(rng, 300);
    write_logs(events);
    score_options opts;
    opts.keep_findings = true;
    if (round % 2 == 1) opts.as_of = *parse_time("2026-11-12T12:00:00");
    if (round == 2) opts.period = period_kind::month;
    CAPTURE(round);
    const std::string one = batch_report(opts, 1, default_block_size, false);
    CHECK(one == whole_report(events, opts));  // the logs' records are the builder's records
    for (std::size_t block : {std::size_t{256}, std::size_t{1024}}) {
      CAPTURE(block);
      CHECK(batch_report(opts, 2, block, false) == one);
      CHECK(batch_report(opts, 2, block, true) == one);
      CHECK(batch_report(opts, 1, block, true) == one);
    }
  }
}
