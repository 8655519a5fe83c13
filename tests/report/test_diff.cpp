// tests/report/test_diff.cpp — doctest cases "diff: …". The comparison behind `decorum diff`
// (SPEC §11) on reports built by hand, table-driven: which (employee, period) pairs are
// listed, old and new sides (null when a rulebook has no tally), delta = new − old with a
// missing side counted as its rulebook's base clamped, and the order (largest |delta|, then
// employee, then period). Every expected number is worked out in the comment beside it.
#include "decorum/report/diff.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

namespace {

using decorum::decimal;

decimal d(const char* s) { return *decimal::parse(s); }

/// A tally with the numbers a diff compares (score as given: the tests choose it).
struct t {
  const char* employee;
  const char* period;
  const char* score;
  const char* deductions;
  const char* bonuses;
  const char* fines;
  const char* grade;  // nullptr: no band reached
};

decorum::score_report report_of(const std::vector<t>& tallies) {
  decorum::score_report r;
  for (const t& x : tallies) {
    decorum::tally y;
    y.employee = x.employee;
    y.name = std::string("name of ") + x.employee;
    y.period = x.period;
    y.base = d("100");
    y.score = d(x.score);
    y.deductions = d(x.deductions);
    y.bonuses = d(x.bonuses);
    y.fines = d(x.fines);
    if (x.grade) y.grade = x.grade;
    r.tallies.push_back(y);
  }
  return r;
}

/// A listed change as "employee period old-score new-score delta" ("null" for a missing side).
std::string row(const decorum::tally_change& c) {
  auto side = [](const std::optional<decorum::diff_side>& s) { return s ? s->score.to_string() : std::string("null"); };
  return c.employee + " " + c.period + " " + side(c.old_side) + " " + side(c.new_side) + " " + c.delta.to_string();
}

struct diff_case {
  const char* name;
  std::vector<t> old_tallies, new_tallies;
  const char* old_empty;  // each rulebook's base, clamped
  const char* new_empty;
  std::vector<std::string> want;  // rows, in order
  std::size_t compared;
};

}  // namespace

TEST_CASE("diff: which pairs are listed, their sides and deltas, and their order") {
  const std::vector<diff_case> cases = {
      {"identical reports list nothing",
       {{"E1", "2026-11", "90", "10", "0", "0", "A"}},
       {{"E1", "2026-11", "90", "10", "0", "0", "A"}},
       "100", "100", {}, 1},
      {"a score change: delta = new − old = 70 − 90 = −20",
       {{"E1", "2026-11", "90", "10", "0", "0", "A"}},
       {{"E1", "2026-11", "70", "30", "0", "0", "C"}},
       "100", "100", {"E1 2026-11 90 70 -20"}, 1},
      {"deductions alone differ (both clamped at the floor 0): listed with delta 0",
       {{"E1", "2026-11", "0", "480", "0", "500", "D"}},
       {{"E1", "2026-11", "0", "490", "0", "500", "D"}},
       "100", "100", {"E1 2026-11 0 0 0"}, 1},
      {"bonuses, fines alone differ: listed with delta 0",
       {{"E1", "2026-11", "120", "0", "30", "0", "A"}, {"E2", "2026-11", "100", "0", "0", "0", "A"}},
       {{"E1", "2026-11", "120", "0", "40", "0", "A"}, {"E2", "2026-11", "100", "0", "0", "0.01", "A"}},
       "100", "100", {"E1 2026-11 120 120 0", "E2 2026-11 100 100 0"}, 2},
      {"the grade alone differs (new bands): listed with delta 0",
       {{"E1", "2026-11", "75", "25", "0", "0", "B"}},
       {{"E1", "2026-11", "75", "25", "0", "0", "C"}},
       "100", "100", {"E1 2026-11 75 75 0"}, 1},
      {"a grade reached against none reached",
       {{"E1", "2026-11", "50", "50", "0", "0", nullptr}},
       {{"E1", "2026-11", "50", "50", "0", "0", "D"}},
       "100", "100", {"E1 2026-11 50 50 0"}, 1},
      {"exact decimals: 0.1 + 0.2 written as 0.3 is no change; 0.3 against 0.31 is",
       {{"E1", "2026-11", "99.7", "0.3", "0", "0", "A"}, {"E2", "2026-11", "99.7", "0.3", "0", "0", "A"}},
       {{"E1", "2026-11", "99.7", "0.3", "0", "0", "A"}, {"E2", "2026-11", "99.69", "0.31", "0", "0", "A"}},
       "100", "100", {"E2 2026-11 99.7 99.69 -0.01"}, 2},
      {"no new tally: new counts as the new base clamped (base 100, ceiling 90 -> 90); 90 − 40 = 50",
       {{"E1", "2026-11", "40", "60", "0", "0", "D"}},
       {},
       "100", "90", {"E1 2026-11 40 null 50"}, 1},
      {"no old tally: old counts as the old base clamped (base -5, floor 0 -> 0); 80 − 0 = 80",
       {},
       {{"E1", "2026-11", "80", "20", "0", "0", "B"}},
       "0", "100", {"E1 2026-11 null 80 80"}, 1},
      {"a one-sided pair is listed even at delta 0 (the tally appears)",
       {},
       {{"E1", "2026-11", "100", "0", "0", "0", "A"}},
       "100", "100", {"E1 2026-11 null 100 0"}, 1},
      {"different periods match nothing: month tallies against week tallies, each with a null side",
       {{"E1", "2026-11", "90", "10", "0", "0", "A"}},
       {{"E1", "2026-W45", "80", "20", "0", "0", "B"}},
       "100", "100", {"E1 2026-W45 null 80 -20", "E1 2026-11 90 null 10"}, 2},
      {"order: |delta| descending (−30 before +20 before −10), then employee, then period",
       {{"E1", "2026-11", "90", "10", "0", "0", "A"},
        {"E2", "2026-10", "90", "10", "0", "0", "A"},
        {"E2", "2026-11", "90", "10", "0", "0", "A"},
        {"E3", "2026-11", "50", "50", "0", "0", "D"},
        {"E4", "2026-11", "70", "30", "0", "0", "C"}},
       {{"E1", "2026-11", "80", "20", "0", "0", "B"},    // −10
        {"E2", "2026-10", "80", "20", "0", "0", "B"},    // −10: after E1 (employee)
        {"E2", "2026-11", "80", "20", "0", "0", "B"},    // −10: after E2 2026-10 (period)
        {"E3", "2026-11", "70", "30", "0", "0", "C"},    // +20
        {"E4", "2026-11", "40", "60", "0", "0", "D"}},   // −30
       "100", "100",
       {"E4 2026-11 70 40 -30", "E3 2026-11 50 70 20", "E1 2026-11 90 80 -10", "E2 2026-10 90 80 -10",
        "E2 2026-11 90 80 -10"},
       5},
      {"employees sort by code point: E10 before E9, 王 (U+738B) after ASCII",
       {{"E9", "2026-11", "90", "10", "0", "0", "A"}, {"E10", "2026-11", "90", "10", "0", "0", "A"},
        {"王芳", "2026-11", "90", "10", "0", "0", "A"}},
       {{"E9", "2026-11", "80", "20", "0", "0", "B"}, {"E10", "2026-11", "80", "20", "0", "0", "B"},
        {"王芳", "2026-11", "80", "20", "0", "0", "B"}},
       "100", "100", {"E10 2026-11 90 80 -10", "E9 2026-11 90 80 -10", "王芳 2026-11 90 80 -10"}, 3},
  };
  for (const diff_case& c : cases) {
    CAPTURE(c.name);
    decorum::score_diff diff;
    diff.old_report = report_of(c.old_tallies);
    diff.new_report = report_of(c.new_tallies);
    decorum::diff_tallies(diff, d(c.old_empty), d(c.new_empty));
    std::vector<std::string> got;
    for (const auto& ch : diff.changes) got.push_back(row(ch));
    CHECK(got == c.want);
    CHECK(diff.compared == c.compared);
  }
}

TEST_CASE("diff: empty_score is the base clamped once to floor and ceiling") {
  decorum::rulebook::scoring_decl s;
  CHECK(decorum::empty_score(s) == d("100"));  // default base 100, no clamps
  s.ceiling = d("90");
  CHECK(decorum::empty_score(s) == d("90"));
  s.ceiling.reset();
  s.base = d("-5");
  s.floor = d("0");
  CHECK(decorum::empty_score(s) == d("0"));
  s.base = d("60");
  CHECK(decorum::empty_score(s) == d("60"));
}

TEST_CASE("diff: JSON and CSV carry both sides, null for a missing one, numbers as the score report prints them") {
  decorum::score_diff diff;
  diff.old_report = report_of({{"E1", "2026-11", "97.5", "2.5", "0", "0", "A"}});
  diff.new_report = report_of({{"E1", "2026-11", "95", "5", "0", "10", "A"}, {"E2", "2026-11", "90", "10", "0", "0", "A"}});
  for (auto* r : {&diff.old_report, &diff.new_report}) {
    r->rulebook = "r";
    r->rulebook_sha256 = std::string(64, 'a');
    r->rule_count = 2;
    r->records = r->scored = 3;
    r->sources = {"a.jsonl"};
  }
  diff.old_report.source_encodings = {"GB18030"};
  diff.new_report.source_encodings = {""};  // not known (a partial that did not say): null
  diff.new_report.rulebook_version = "2";
  decorum::diff_tallies(diff, d("100"), d("100"));
  // E1: 95 − 97.5 = −2.5; E2: 90 − base 100 = −10, first by |delta|.
  CHECK(decorum::write_diff(diff, decorum::report_format::json) ==
        "{\n  \"decorum\": 1,\n"
        "  \"old\": {\"rulebook\": {\"name\": \"r\", \"version\": null, \"rules\": 2, \"sha256\": \"" +
            std::string(64, 'a') +
            "\"}, \"period\": \"month\", \"input\": {\"records\": 3, \"scored\": 3, \"rejected\": 0, \"files\": [{\"path\": "
            "\"a.jsonl\", \"encoding\": \"GB18030\"}]}},\n"
            "  \"new\": {\"rulebook\": {\"name\": \"r\", \"version\": \"2\", \"rules\": 2, \"sha256\": \"" +
            std::string(64, 'a') +
            "\"}, \"period\": \"month\", \"input\": {\"records\": 3, \"scored\": 3, \"rejected\": 0, \"files\": [{\"path\": "
            "\"a.jsonl\", \"encoding\": null}]}},\n"
            "  \"changes\": [\n"
            "    {\"employee\": \"E2\", \"period\": \"2026-11\", \"old\": null, \"new\": {\"score\": 90, \"deductions\": 10, "
            "\"bonuses\": 0, \"fines\": 0, \"grade\": \"A\"}, \"delta\": -10},\n"
            "    {\"employee\": \"E1\", \"period\": \"2026-11\", \"old\": {\"score\": 97.5, \"deductions\": 2.5, \"bonuses\": 0, "
            "\"fines\": 0, \"grade\": \"A\"}, \"new\": {\"score\": 95, \"deductions\": 5, \"bonuses\": 0, \"fines\": 10, "
            "\"grade\": \"A\"}, \"delta\": -2.5}\n"
            "  ]\n}\n");
  CHECK(decorum::write_diff(diff, decorum::report_format::csv) ==
        "employee,period,old_score,new_score,delta,old_deductions,new_deductions,old_bonuses,new_bonuses,old_fines,"
        "new_fines,old_grade,new_grade\n"
        "E2,2026-11,,90,-10,,10,,0,,0,,A\n"
        "E1,2026-11,97.5,95,-2.5,2.5,5,0,0,0,10,A,A\n");
  const std::string table = decorum::write_diff(diff, decorum::report_format::table);
  CHECK(table.find("2 of 2 (employee, period) changed") != std::string::npos);
  CHECK(table.find("new: rulebook r version 2 (sha256 aaaaaaaaaaaa, 2 rules), period month") != std::string::npos);
}
