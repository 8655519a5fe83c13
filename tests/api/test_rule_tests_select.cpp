// Tests for the selection and per-test coverage of decorum::run_rulebook_tests (issue 16,
// `decorum test --run` and `--coverage json`): the rules each test made fire, the tests
// each rule fired in, and a selector that skips tests so coverage covers only those run.
#include "decorum/api/rule_tests.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace {

// Three enabled rules, one disabled; three tests: the first fires phone.rings, the second
// phone.rings and phone.opening, the third nothing.
const std::string rulebook = R"(decorum: 1
name: t
records:
  phone_call: {rings: int, opening: text}
  incident: {type: [fight, quarrel]}
rules:
  - {id: phone.rings, on: phone_call, when: rings > 3, deduct: 10}
  - {id: phone.opening, on: phone_call, when: 'has(opening) and not starts_with(opening, "您好")', deduct: 5}
  - {id: conduct.fight, on: incident, when: type == "fight", deduct: 50}
  - {id: conduct.quarrel, on: incident, when: type == "quarrel", deduct: 1, enabled: false}
tests:
  - name: four rings
    records:
      - {time: 2026-11-03T09:00:00+08:00, employee: E1, kind: phone_call, rings: 4}
    expect:
      - {employee: E1, score: 90}
  - name: five rings, rude
    records:
      - {time: 2026-11-03T09:00:00+08:00, employee: E1, kind: phone_call, rings: 5, opening: 喂}
    expect:
      - {employee: E1, score: 85}
  - name: quiet
    records:
      - {time: 2026-11-03T09:00:00+08:00, employee: E1, kind: phone_call, rings: 1}
    expect:
      - {employee: E1, score: 100}
)";

using strings = std::vector<std::string>;

}  // namespace

TEST_CASE("rulebook test: each test lists the rules it fired, each rule the tests it fired in") {
  const decorum::test_run r = decorum::run_rulebook_tests("t.yaml", rulebook);
  REQUIRE(r.loaded());
  REQUIRE(r.tests.size() == 3);
  CHECK(r.skipped == 0);
  CHECK(r.tests[0].fired == strings{"phone.rings"});
  CHECK(r.tests[1].fired == strings{"phone.opening", "phone.rings"});  // sorted
  CHECK(r.tests[2].fired.empty());
  REQUIRE(r.coverage.fired.size() == 2);
  CHECK(r.coverage.fired[0].id == "phone.rings");
  CHECK(r.coverage.fired[0].tests == strings{"four rings", "five rings, rude"});
  CHECK(r.coverage.fired[1].id == "phone.opening");
  CHECK(r.coverage.fired[1].tests == strings{"five rings, rude"});
  REQUIRE(r.coverage.not_fired.size() == 1);  // conduct.quarrel is disabled: in neither list
  CHECK(r.coverage.not_fired[0].id == "conduct.fight");
  CHECK(r.coverage.not_fired[0].tests.empty());
}

TEST_CASE("rulebook test: a selector runs only the tests it chooses, and coverage covers those") {
  const decorum::test_run r = decorum::run_rulebook_tests(
      "t.yaml", rulebook, [](std::string_view name) { return name == "four rings" || name == "quiet"; });
  REQUIRE(r.tests.size() == 2);
  CHECK(r.tests[0].name == "four rings");
  CHECK(r.tests[1].name == "quiet");
  CHECK(r.skipped == 1);
  CHECK(r.passed() == 2);
  CHECK(r.coverage.fired.size() == 1);
  CHECK(r.coverage.fired[0].tests == strings{"four rings"});
  CHECK(r.coverage.not_fired.size() == 2);  // phone.opening fired only in the skipped test
  CHECK(r.coverage.describe() == "1/3 rules fired (33.3%)");

  const decorum::test_run none = decorum::run_rulebook_tests("t.yaml", rulebook, [](std::string_view) { return false; });
  CHECK(none.tests.empty());
  CHECK(none.skipped == 3);
  CHECK(none.coverage.fired.empty());
  CHECK(none.coverage.not_fired.size() == 3);
}
