// tests/report/test_explain.cpp — doctest cases "explain: …". explain_tally through the library:
// for every tally of examples/ under the built-in rulebook it reaches the tally's numbers with
// no disagreement; a tally altered after scoring is caught (both figures named), so the check
// is not the tally read back.
#include "decorum/api/batch.hpp"
#include "decorum/compile/compile.hpp"
#include "decorum/report/explain.hpp"

#include <doctest/doctest.h>

#include <string>

namespace {

decorum::score_report examples_report(std::shared_ptr<const decorum::rule_set>& rules) {
  std::vector<decorum::diagnostic> diags;
  rules = decorum::builtin_rule_set(diags);
  REQUIRE(rules);
  const std::string ex = std::string(DECORUM_SOURCE_DIR) + "/examples/";
  decorum::batch_options bo;
  bo.scoring.keep_findings = true;
  bo.threads = 2;
  auto res = decorum::score_batch(rules,
                                  {{ex + "nov-2026-front-desk.csv", decorum::input_format::csv, nullptr},
                                   {ex + "nov-2026.jsonl", decorum::input_format::jsonl, nullptr}},
                                  bo);
  REQUIRE(res.ok());
  return std::move(res.report);
}

}  // namespace

TEST_CASE("explain: every tally of examples/ is explained to its own numbers") {
  std::shared_ptr<const decorum::rule_set> rules;
  const decorum::score_report rep = examples_report(rules);
  REQUIRE(rep.tallies.size() >= 5);
  for (const decorum::tally& t : rep.tallies) {
    const decorum::explanation e = decorum::explain_tally(rep, *rules, t);
    INFO(decorum::write_explanation(e));
    CHECK(e.disagreements.empty());
    CHECK(e.score == t.score);
    CHECK(e.deductions == t.deductions);
    CHECK(e.bonuses == t.bonuses);
    CHECK(e.grade == t.grade);
    CHECK(e.findings == t.findings);
    CHECK(e.lines.back() == "  = " + t.score.to_string() + ", as tallied");
  }
}

TEST_CASE("explain: a tally that does not follow from its findings is caught, both figures shown") {
  std::shared_ptr<const decorum::rule_set> rules;
  decorum::score_report rep = examples_report(rules);
  decorum::tally* with_rules = nullptr;
  for (auto& t : rep.tallies)
    if (!t.rules.empty()) with_rules = &t;
  REQUIRE(with_rules);
  decorum::tally t = *with_rules;
  t.score = *decorum::add(t.score, *decorum::decimal::parse("1"));
  t.rules.front().count += 1;
  const decorum::explanation e = decorum::explain_tally(rep, *rules, t);
  REQUIRE(e.disagreements.size() == 2);
  CHECK(e.disagreements[0] == t.rules.front().id + " occurrences: explained " + std::to_string(t.rules.front().count - 1) +
                                  ", tally " + std::to_string(t.rules.front().count));
  CHECK(e.disagreements[1] == "score: explained " + with_rules->score.to_string() + ", tally " + t.score.to_string());
  const std::string text = decorum::write_explanation(e);
  CHECK(text.find("the explanation disagrees with the tally:") != std::string::npos);
  CHECK(text.find("(the tally says " + t.score.to_string() + ")") != std::string::npos);
}
