// tests/report/test_report.cpp — doctest cases "report: …". Reports built and written on several
// threads (scorer::report(threads), write_report(…, threads)) must be byte-identical to one
// thread's, and a tally's JSON must hold the numbers worked out by hand.
#include "decorum/compile/compile.hpp"
#include "decorum/report/report.hpp"
#include "decorum/tally/tally.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <deque>
#include <string>
#include <vector>

namespace {

constexpr const char* rulebook = R"(decorum: 1
name: r
scoring: {period: month, grades: [{min: 90, grade: A}, {min: 0, grade: D}]}
records:
  phone_call: {rings: int}
rules:
  - id: phone.rings
    category: phone
    on: phone_call
    when: rings > 3
    deduct: [10, 20]
    flag: slow
  - id: phone.quick
    category: bonus
    on: phone_call
    when: rings <= 1
    bonus: 1.5
)";

/// A scorer fed `employees` × 3 records each in November 2026: rings 5, 5 and 1 (two slow
/// answers at 10 then 20 points, one quick one worth 1.5).
decorum::scorer scored(std::shared_ptr<const decorum::rule_set> rs, int employees, std::deque<std::string>& keep) {
  decorum::scorer sc(rs);
  sc.add_source("log");
  const auto& kind = rs->schema().kinds()[0];
  const std::uint32_t rings = kind.find("rings")->slot;
  std::uint64_t line = 0;
  for (int e = 0; e < employees; ++e) {
    keep.push_back("E" + std::to_string(100000 + e));
    for (int r : {5, 5, 1}) {
      decorum::record rec;
      rec.reset(rs->schema().max_slots());
      rec.kind = 0;
      rec.line = ++line;
      rec.time = *decorum::parse_time("2026-11-03T09:00:00");
      rec.values[decorum::slot::time] = decorum::value::of_time(rec.time.local_seconds);
      rec.values[decorum::slot::employee] = decorum::value::of_text(keep.back());
      rec.values[decorum::slot::kind] = decorum::value::of_text("phone_call");
      rec.values[rings] = decorum::value::of_number(*decorum::decimal::from_int(r));
      REQUIRE(sc.add(rec));
    }
  }
  return sc;
}

std::string written(const decorum::score_report& rep, unsigned threads) {
  std::FILE* f = std::tmpfile();
  REQUIRE(f);
  REQUIRE(decorum::write_report(rep, decorum::report_format::json, false, f, threads));
  std::string out;
  std::rewind(f);
  char buf[65536];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) out.append(buf, n);
  std::fclose(f);
  return out;
}

}  // namespace

TEST_CASE("report: tallies built and written on several threads are byte-identical to one thread's") {
  std::vector<decorum::diagnostic> ds;
  auto rs = decorum::compile_rulebook("r.yaml", rulebook, ds);
  REQUIRE(rs);
  std::deque<std::string> keep;
  // 3,000 tallies: above the size where threads are used, and not a multiple of a batch.
  decorum::scorer sc = scored(rs, 3000, keep);
  const decorum::score_report one = sc.report(1);
  REQUIRE(one.tallies.size() == 3000);
  const decorum::tally& t = one.tallies[0];
  CHECK(t.employee == "E100000");
  CHECK(t.deductions.to_string() == "30");  // 10 + 20 (progressive)
  CHECK(t.bonuses.to_string() == "1.5");
  CHECK(t.score.to_string() == "71.5");     // 100 − 30 + 1.5
  CHECK(t.grade == std::optional<std::string>("D"));
  REQUIRE(t.categories.size() == 2);        // sorted by name
  CHECK(t.categories[0].first == "bonus");
  CHECK(t.categories[1].first == "phone");
  CHECK(t.categories[1].second.to_string() == "-30");
  CHECK(t.flags == std::vector<std::string>{"slow"});
  const std::string expected = written(one, 1);
  CHECK(expected.find("{\"employee\": \"E100000\", \"name\": \"\", \"period\": \"2026-11\", \"base\": 100, "
                      "\"deductions\": 30, \"bonuses\": 1.5, \"score\": 71.5, \"grade\": \"D\", \"fines\": 0, "
                      "\"findings\": 3, \"voided\": 0, \"flags\": [\"slow\"],\n     \"categories\": {\"bonus\": 1.5, \"phone\": -30},\n"
                      "     \"rules\": [{\"id\": \"phone.rings\", \"count\": 2, \"points\": -30, \"fines\": 0}, "
                      "{\"id\": \"phone.quick\", \"count\": 1, \"points\": 1.5, \"fines\": 0}]}") != std::string::npos);
  CHECK(decorum::write_json(one, false) == expected);
  for (unsigned threads : {2u, 3u, 7u}) {
    CAPTURE(threads);
    const decorum::score_report many = sc.report(threads);
    CHECK(written(many, 1) == expected);
    CHECK(written(one, threads) == expected);
  }
}
