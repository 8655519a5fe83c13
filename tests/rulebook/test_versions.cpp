// tests/rulebook/test_versions.cpp — doctest cases "versions: …". Rule versions and effective
// dates (SPEC §9) as the loader and compiler see them: `version:` and `effective:` read into
// the model; overlapping versions, bad dates, an empty range and versions on different record
// kinds as load errors with their exact line, column and message (counted by hand); and the
// compiled rule set's identities, effective order, partial-result keys and distinct count.
#include "decorum/compile/compile.hpp"
#include "decorum/rulebook/load.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "support/test_util.hpp"

namespace rb = decorum::rulebook;

namespace {

std::string load(const std::string& text) {
  std::vector<decorum::diagnostic> ds;
  rb::load_rulebook("t.yaml", text, ds);
  return decorum::test::render_diagnostics(std::move(ds));
}

std::string e(unsigned line, unsigned col, std::string_view msg) { return decorum::test::diag_line(line, col, msg); }

/// Lines 1–7: rule r begins on line 6; a rule's further keys follow from line 8.
const std::string top =
    "decorum: 1\n"            // 1
    "name: t\n"               // 2
    "records:\n"              // 3
    "  call: {rings: int}\n"  // 4
    "rules:\n"                // 5
    "  - id: r\n"             // 6
    "    on: call\n";         // 7

/// Rule r (line 6) in effect `first`, then a second rule r (line 10) in effect `second`.
std::string two(std::string_view first, std::string_view second) {
  return top + "    effective: " + std::string(first) + "\n" +  // 8
         "    deduct: 1\n"                                     // 9
         "  - id: r\n"                                         // 10
         "    effective: " + std::string(second) + "\n" +      // 11
         "    on: call\n"                                      // 12
         "    deduct: 2\n";                                    // 13
}

}  // namespace

TEST_CASE("versions: effective ranges and overlapping versions are located load errors") {
  struct row {
    std::string_view name;
    std::string text;
    std::string expected;
  };
  const std::vector<row> rows = {
      {"adjacent ranges: until is exclusive", two("{until: 2026-12-01}", "{from: 2026-12-01}"), ""},
      {"versions written latest first", two("{from: 2026-12-01}", "{until: 2026-12-01}"), ""},
      {"a closed range between two", two("{from: 2026-10-01, until: 2026-11-01}", "{from: 2026-11-01, until: 2026-12-01}"), ""},
      {"overlap: blamed at the later rule's effective, naming the other's line",
       two("{until: 2026-12-01}", "{from: 2026-11-15}"),
       e(11, 16, "rule 'r' is in effect from 2026-11-15, which overlaps its version at line 6 (in effect until 2026-12-01)")},
      {"overlap of two open ranges", two("{until: 2026-12-01}", "{until: 2027-01-01}"),
       e(11, 16, "rule 'r' is in effect until 2027-01-01, which overlaps its version at line 6 (in effect until 2026-12-01)")},
      {"overlap by one day", two("{from: 2026-11-01, until: 2026-11-16}", "{from: 2026-11-15}"),
       e(11, 16,
         "rule 'r' is in effect from 2026-11-15, which overlaps its version at line 6 (in effect from 2026-11-01 until "
         "2026-11-16)")},
      {"an empty effective map is always in effect", two("{until: 2026-12-01}", "{}"),
       e(11, 16, "rule 'r' is in effect always, which overlaps its version at line 6 (in effect until 2026-12-01)")},
      {"a later version without effective",
       top + "    effective: {until: 2026-12-01}\n    deduct: 1\n  - id: r\n    on: call\n    deduct: 2\n",
       e(10, 9, "rule 'r' has no 'effective' range, so it overlaps its version at line 6 (in effect until 2026-12-01)")},
      {"the third version overlaps the first",
       two("{until: 2026-11-01}", "{from: 2026-11-01, until: 2026-12-01}") +
           "  - id: r\n    effective: {from: 2026-10-01, until: 2026-10-15}\n    on: call\n    deduct: 3\n",
       e(15, 16,
         "rule 'r' is in effect from 2026-10-01 until 2026-10-15, which overlaps its version at line 6 (in effect until "
         "2026-11-01)")},
      {"a month that does not exist", top + "    effective: {from: 2026-13-01}\n    deduct: 1\n",
       e(8, 23, "effective.from must be a date (YYYY-MM-DD); got \"2026-13-01\"")},
      {"a day that does not exist", top + "    effective: {until: 2026-02-29}\n    deduct: 1\n",
       e(8, 24, "effective.until must be a date (YYYY-MM-DD); got \"2026-02-29\"")},
      {"a time is not a date", top + "    effective: {from: 2026-12-01T08:00}\n    deduct: 1\n",
       e(8, 23, "effective.from must be a date (YYYY-MM-DD); got \"2026-12-01T08:00\"")},
      {"from after until", top + "    effective: {from: 2026-12-01, until: 2026-11-01}\n    deduct: 1\n",
       e(8, 42, "effective.until (2026-11-01) must be after effective.from (2026-12-01)")},
      {"from equal to until: an empty range", top + "    effective: {from: 2026-12-01, until: 2026-12-01}\n    deduct: 1\n",
       e(8, 42, "effective.until (2026-12-01) must be after effective.from (2026-12-01)")},
      {"a bad range is not also called an overlap", two("{until: 2026-12-01}", "{from: 2026-12-01, until: 2026-11-30}"),
       e(11, 42, "effective.until (2026-11-30) must be after effective.from (2026-12-01)")},
      {"versions on different record kinds",
       "decorum: 1\nname: t\nrecords:\n  call: {rings: int}\n  visit: {rings: int}\nrules:\n"
       "  - id: r\n    on: call\n    effective: {until: 2026-12-01}\n    deduct: 1\n"
       "  - id: r\n    on: visit\n    effective: {from: 2026-12-01}\n    deduct: 2\n",
       e(12, 9, "rule 'r' is on 'visit', but its version at line 7 is on 'call': versions of a rule must judge the same "
                "record kind")},
      {"an unknown key in effective", top + "    effective: {since: 2026-12-01}\n    deduct: 1\n",
       e(8, 17, "unknown key 'since' in effective")},
      {"effective is a mapping", top + "    effective: 2026-12-01\n    deduct: 1\n",
       e(8, 16, "effective must be a mapping, got \"2026-12-01\"")},
      {"version is one value", "decorum: 1\nname: t\nversion: [1]\nrecords:\n  call: {rings: int}\nrules: []\n",
       e(3, 10, "version must be a single value, got a list")},
      {"two rules without effective keep the duplicate-id message",
       top + "    deduct: 1\n  - id: r\n    on: call\n    deduct: 2\n", e(9, 9, "duplicate rule id 'r' (first defined at line 6)")},
  };
  for (const row& r : rows) {
    CAPTURE(r.name);
    CHECK(load(r.text) == r.expected);
  }
}

TEST_CASE("versions: `version` and `effective` are read into the model") {
  std::vector<decorum::diagnostic> ds;
  const std::string text = "decorum: 1\nname: t\nversion: 2026.12\nrecords:\n  call: {rings: int}\nrules:\n"
                           "  - id: r\n    on: call\n    effective: {from: 2026-12-01, until: 2027-01-01}\n    deduct: 1\n";
  rb::rulebook_model m = rb::load_rulebook("t.yaml", text, ds);
  CHECK(ds.empty());
  REQUIRE(m.edition);
  CHECK(*m.edition == "2026.12");
  REQUIRE(m.rules.size() == 1);
  const rb::effective_range& eff = m.rules[0].effective;
  CHECK(eff.present);
  CHECK(eff.describe() == "from 2026-12-01 until 2027-01-01");
  CHECK(eff.contains(decorum::days_from_civil(2026, 12, 1)));
  CHECK(eff.contains(decorum::days_from_civil(2026, 12, 31)));
  CHECK(!eff.contains(decorum::days_from_civil(2027, 1, 1)));
  CHECK(!eff.contains(decorum::days_from_civil(2026, 11, 30)));
}

TEST_CASE("versions: one identity per id, versions in effective order, keys for partial results") {
  std::vector<decorum::diagnostic> ds;
  // File order: a (latest range), b, a (earliest), a (middle).
  const std::string text =
      "decorum: 1\nname: t\nrecords:\n  call: {rings: int}\nrules:\n"
      "  - {id: a, on: call, effective: {from: 2027-01-01}, deduct: 3}\n"
      "  - {id: b, on: call, deduct: 1}\n"
      "  - {id: a, on: call, effective: {until: 2026-12-01}, deduct: 1}\n"
      "  - {id: a, on: call, effective: {from: 2026-12-01, until: 2027-01-01}, deduct: 2}\n";
  auto rs = decorum::compile_rulebook("t.yaml", text, ds);
  REQUIRE(rs);
  CHECK(rs->rules().size() == 4);
  CHECK(rs->distinct_rules() == 2);
  CHECK(rs->has_versions());
  const auto& r = rs->rules();
  CHECK(r[0].identity == 0);
  CHECK(r[1].identity == 1);
  CHECK(r[2].identity == 0);
  CHECK(r[3].identity == 0);
  CHECK(rs->versions(0) == std::vector<std::uint32_t>{2, 3, 0});
  CHECK(r[2].rank == 0);
  CHECK(r[3].rank == 1);
  CHECK(r[0].rank == 2);
  CHECK(r[0].key == "a");
  CHECK(r[1].key == "b");
  CHECK(r[2].key == "a@2");
  CHECK(r[3].key == "a@3");
}
