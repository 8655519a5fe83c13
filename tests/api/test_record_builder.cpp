// tests/api/test_record_builder.cpp — entry point: doctest cases "record_builder: …". A record
// built in code must score like the same record read from a log, and a bad one must come
// back as the same rejection message a log reader gives, never as an exception.
#include "decorum/read/read.hpp"
#include "decorum/api/record_builder.hpp"
#include "decorum/report/report.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace decorum;

namespace {

constexpr const char* yaml = R"(decorum: 1
name: builder-test
records:
  phone_call:
    rings: int
    opening: text
    private: bool
    duration: duration
  dress_check:
    badge: [left_chest, elsewhere, missing]
    nail_length_mm: {type: number, required: true}
  visit:
    arrived: time
phrases:
  greeting: [您好]
rules:
  - id: rings
    on: phone_call
    when: rings > 3
    deduct: 10
  - id: greeting
    on: phone_call
    when: not starts_with(opening, phrases.greeting)
    deduct: 5
  - id: long-call
    on: phone_call
    when: duration > 5m and private
    deduct: 20
  - id: nails
    on: dress_check
    when: nail_length_mm > 2.5
    deduct: 3
)";

std::shared_ptr<const rule_set> rules() {
  static auto rs = [] {
    std::vector<diagnostic> diags;
    auto r = compile_rulebook("builder.yaml", yaml, diags);
    REQUIRE(r);
    return r;
  }();
  return rs;
}

/// What the JSON Lines reader says about one line (the reason, or "" when accepted).
std::string jsonl_reason(std::string_view line) {
  struct sink_t : record_sink {
    std::string reason;
    void on_record(const record&) override {}
    void on_reject(rejection r) override { reason = r.reason; }
  } sink;
  read_jsonl(rules()->schema(), line, 0, sink);
  return sink.reason;
}

std::string built_reason(const record_builder& b) {
  auto r = b.build();
  return r ? std::string() : r.error().reason;
}

}  // namespace

TEST_CASE("record_builder: a built record scores like the same record read from a log") {
  auto rs = rules();
  scorer built(rs), read(rs);
  std::uint32_t s1 = built.add_source("hr"), s2 = read.add_source("hr");
  record_builder b(*rs);
  b.origin(s1, 1).kind("phone_call").time("2026-11-03T09:00:00+08:00").employee("E1").set("rings", 4).set("opening", "喂");
  CHECK(b.add_to(built));
  b.clear().origin(s1, 2).employee("E1").time("2026-11-04 10:00").kind("phone_call").set("private", true).set("duration", 600);
  b.set("opening", std::string("您好")).name("王芳");
  CHECK(b.add_to(built));
  b.clear().origin(s1, 3).kind("dress_check").time("2026-11-05").employee("E2").set("nail_length_mm", 2.75);
  CHECK(b.add_to(built));
  b.clear().origin(s1, 4).kind("dress_check").time("2026-11-05").employee("E3").set("nail_length_mm", "3").set("badge", "missing");
  CHECK(b.add_to(built));

  const std::string log =
      R"({"kind":"phone_call","time":"2026-11-03T09:00:00+08:00","employee":"E1","rings":4,"opening":"喂"}
{"employee":"E1","time":"2026-11-04 10:00","kind":"phone_call","private":true,"duration":600,"opening":"您好","name":"王芳"}
{"kind":"dress_check","time":"2026-11-05","employee":"E2","nail_length_mm":2.75}
{"kind":"dress_check","time":"2026-11-05","employee":"E3","nail_length_mm":3,"badge":"missing"}
)";
  struct sink_t : record_sink {
    scorer* s;
    void on_record(const record& r) override { s->add(r); }
    void on_reject(rejection r) override { s->reject(r.source, r.line, r.reason); }
  } sink;
  sink.s = &read;
  read_jsonl(rs->schema(), log, s2, sink);
  CHECK(write_json(built.report(), false) == write_json(read.report(), false));
}

TEST_CASE("record_builder: bad values are rejections worded as the log readers word them") {
  auto rs = rules();
  record_builder b(*rs);
  auto base = [&] { b.clear().kind("phone_call").time("2026-11-03T09:00").employee("E1"); };

  base();
  b.set("rings", "four");
  CHECK(built_reason(b) == "rings: expected int, got \"four\"");
  base();
  b.set("rings", 2.5);
  CHECK(built_reason(b) == jsonl_reason(R"({"kind":"phone_call","time":"2026-11-03T09:00","employee":"E1","rings":2.5})"));
  base();
  b.set("opening", 3);
  CHECK(built_reason(b) == jsonl_reason(R"({"kind":"phone_call","time":"2026-11-03T09:00","employee":"E1","opening":3})"));
  base();
  b.set("ringz", 3);
  CHECK(built_reason(b) == jsonl_reason(R"({"kind":"phone_call","time":"2026-11-03T09:00","employee":"E1","ringz":3})"));
  base();
  b.set("private", 1);
  CHECK(built_reason(b) == "private: expected bool, got 1");
  b.set("private", "是");  // CSV spellings of a bool are fine as text
  CHECK(built_reason(b).empty());
  b.set("duration", -5);
  CHECK(built_reason(b) == jsonl_reason(R"({"kind":"phone_call","time":"2026-11-03T09:00","employee":"E1","duration":-5})"));
  b.unset("duration");
  CHECK(built_reason(b).empty());

  b.clear().kind("phone_cal").time("2026-11-03").employee("E1");
  CHECK(built_reason(b) == jsonl_reason(R"({"kind":"phone_cal","time":"2026-11-03","employee":"E1"})"));
  b.clear().time("2026-11-03").employee("E1");
  CHECK(built_reason(b) == "missing required field 'kind'");
  b.clear().kind("phone_call").employee("E1");
  CHECK(built_reason(b) == "missing required field 'time'");
  b.clear().kind("phone_call").time("2026-11-03").employee("");
  CHECK(built_reason(b) == "employee: must not be empty");
  b.clear().kind("phone_call").time("2026-13-03").employee("E1");
  CHECK(built_reason(b) == jsonl_reason(R"({"kind":"phone_call","time":"2026-13-03","employee":"E1"})"));
  b.clear().kind("dress_check").time("2026-11-03").employee("E1");
  CHECK(built_reason(b) == "missing required field 'nail_length_mm'");
  b.set("nail_length_mm", 1).set("badge", "pocket");
  CHECK(built_reason(b) == jsonl_reason(R"({"kind":"dress_check","time":"2026-11-03","employee":"E1","nail_length_mm":1,"badge":"pocket"})"));
  b.set("badge", "left_chest").set("nail_length_mm", 0.1234567);
  CHECK(built_reason(b) == jsonl_reason(R"({"kind":"dress_check","time":"2026-11-03","employee":"E1","nail_length_mm":0.1234567})"));
  b.set("nail_length_mm", std::string("\xff"));
  CHECK(built_reason(b) == "nail_length_mm: invalid UTF-8");

  // An employee code or id may be an integer, as in a JSON log.
  b.clear().kind("visit").time("2026-11-03").set("employee", 17).set("id", 12345).set("arrived", timestamp{-100'000'000'000});
  CHECK(built_reason(b) == "arrived: time outside the years 1–9999");
  b.set("employee", *parse_time("2026-11-03"));
  CHECK(built_reason(b) == "employee: expected text, got \"2026-11-03\"");
  b.set("employee", 17);
  b.set("arrived", *parse_time("2026-11-03T08:59"));
  auto r = b.build();
  REQUIRE(r);
  CHECK(r->text(slot::employee) == "17");
  CHECK(r->text(slot::id) == "12345");
}

TEST_CASE("record_builder: a rejected record is counted and listed with its origin") {
  auto rs = rules();
  scorer s(rs);
  std::uint32_t src = s.add_source("hr-db");
  record_builder b(*rs);
  b.origin(src, 42).kind("phone_call").time("2026-11-03").employee("E1").set("rings", "many");
  auto bad = b.add_to(s);
  REQUIRE_FALSE(bad);
  CHECK(bad.error() == rejection{src, 42, "rings: expected int, got \"many\""});
  b.set("rings", 1).id("x").origin(src, 43);
  CHECK(b.add_to(s));
  b.origin(src, 44);
  auto dup = b.add_to(s);
  REQUIRE_FALSE(dup);
  CHECK(dup.error().reason == "duplicate id \"x\"");
  CHECK(dup.error().line == 44);
  score_report rep = s.report();
  CHECK(rep.records == 3);
  CHECK(rep.scored == 1);
  REQUIRE(rep.rejections.size() == 2);
  CHECK(rep.source_name(rep.rejections[0]) == "hr-db");
  CHECK(rep.rejections[0].line == 42);
  CHECK(rep.rejections[1].reason == "duplicate id \"x\" (first seen at hr-db:43)");
}

TEST_CASE("record_builder: a built record's text survives moves (short texts included)") {
  auto rs = rules();
  record_builder b(*rs);
  b.kind("phone_call").time("2026-11-03").employee("E").set("opening", "hi");
  std::vector<record> kept;
  for (int i = 0; i < 20; ++i) {
    auto r = b.build();
    REQUIRE(r);
    kept.push_back(std::move(*r));  // the vector grows and moves every record again
  }
  for (const auto& r : kept) {
    CHECK(r.text(slot::employee) == "E");
    CHECK(r.text(rs->schema().kinds()[0].find("opening")->slot) == "hi");
  }
}

TEST_CASE("record_builder: reused for many records, cleared and unset, against the scorer's id table") {
  // The builder keeps its entries between records and the scorer's ids live in a flat table
  // that grows by doubling: neither may carry a value over or lose an id.
  auto rs = rules();
  scorer s(rs);
  const std::uint32_t src = s.add_source("hr-db");
  record_builder b(*rs);
  const int n = 5000;
  std::uint64_t expected_dups = 0;
  for (int i = 1; i <= n; ++i) {
    // Every 7th record repeats the id of the record 3 lines earlier.
    const int id_of = i % 7 == 0 ? i - 3 : i;
    if (i + 4 <= n) s.prefetch_id("call-" + std::to_string(i + 4));  // a hint only
    b.clear().origin(src, static_cast<std::uint64_t>(i)).kind("phone_call").time("2026-11-03").employee("E1");
    b.id("call-" + std::to_string(id_of));
    if (i % 2 == 0) b.set("rings", 5).set("opening", "hello");  // odd records: no rings, no opening
    const bool accepted = static_cast<bool>(b.add_to(s));
    CHECK(accepted == (id_of == i));
    if (id_of != i) ++expected_dups;
  }
  score_report rep = s.report();
  CHECK(rep.records == static_cast<std::uint64_t>(n));
  CHECK(rep.rejections.size() == expected_dups);
  CHECK(rep.rejections.front().reason == "duplicate id \"call-4\" (first seen at hr-db:4)");
  // Odd records carried no rings or opening over from the even one before them: only even
  // accepted records fire `rings` and `greeting` (an absent opening is null, which fires nothing).
  std::uint64_t even_accepted = 0;
  for (int i = 2; i <= n; i += 2)
    if (i % 7 != 0) ++even_accepted;
  REQUIRE(rep.tallies.size() == 1);
  REQUIRE(rep.tallies[0].rules.size() == 2);
  for (const auto& rt : rep.tallies[0].rules) CHECK(rt.count == even_accepted);
  // unset keeps the other fields in the order given: the unknown name is still reported.
  b.clear().kind("phone_call").time("2026-11-03").employee("E1").set("rings", 1).set("ringz", 2).set("opening", "x");
  b.unset("rings");
  auto bad = b.build();
  REQUIRE_FALSE(bad);
  CHECK(bad.error().reason.find("unknown field 'ringz'") != std::string::npos);
}
