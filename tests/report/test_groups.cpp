// tests/report/test_groups.cpp — doctest cases "groups: …". group_tallies on hand-made tallies:
// the mean rounded once, half away from zero, to 0.01 (never a rounded sum divided again); the
// median exact, the mean of the middle two when the count is even; the order of groups (null
// last) and the sums of categories and grades; a tally's group is the same whatever the
// threads and chunking (scorers merged: the last value in time order wins everywhere).
#include "decorum/api/batch.hpp"
#include "decorum/compile/compile.hpp"
#include "decorum/report/groups.hpp"
#include "decorum/report/report.hpp"

#include <doctest/doctest.h>

namespace {

decorum::decimal d(const char* s) { return *decorum::decimal::parse(s); }

decorum::tally make(const char* employee, std::optional<std::string> group, const char* score,
                    std::optional<std::string> grade = std::nullopt) {
  decorum::tally t;
  t.employee = employee;
  t.period = "2026-11";
  t.group = std::move(group);
  t.score = d(score);
  t.grade = std::move(grade);
  return t;
}

}  // namespace

TEST_CASE("groups: the mean is rounded once, half away from zero; the median is exact") {
  decorum::score_report r;
  r.group_by = "site";
  r.tallies = {make("E1", "a", "1"), make("E2", "a", "1"), make("E3", "a", "2"),           // mean 4/3
               make("E4", "b", "0.01"), make("E5", "b", "0.02"),                          // mean and median 0.015
               make("E6", "c", "-0.01"), make("E7", "c", "-0.02"),                        // -0.015
               make("E8", std::nullopt, "50", "B")};
  const auto g = decorum::group_tallies(r);
  REQUIRE(g.size() == 4);
  CHECK(*g[0].group == "a");
  CHECK(g[0].employees == 3);
  CHECK(g[0].mean.to_string() == "1.33");
  CHECK(g[0].median.to_string() == "1");
  CHECK(g[0].ungraded == 3);
  CHECK(g[1].mean.to_string() == "0.02");
  CHECK(g[1].median.to_string() == "0.015");
  CHECK(g[2].mean.to_string() == "-0.02");
  CHECK(g[2].median.to_string() == "-0.015");
  CHECK(!g[3].group);  // null last
  CHECK(g[3].grades == std::vector<std::pair<std::string, std::uint64_t>>{{"B", 1}});
}

TEST_CASE("groups: categories add up across the group's tallies; no group_by writes nothing") {
  decorum::score_report r;
  auto t1 = make("E1", "a", "80"), t2 = make("E2", "a", "90");
  t1.categories = {{"phone", d("-20")}};
  t2.categories = {{"conduct", d("-5")}, {"phone", d("-10")}};
  t1.deductions = d("20");
  t2.deductions = d("15");
  r.tallies = {t1, t2};
  CHECK(decorum::detail::json_groups(r).empty());
  CHECK(decorum::detail::csv_groups(r).empty());
  CHECK(decorum::detail::table_groups(r).empty());
  r.group_by = "site";
  const auto g = decorum::group_tallies(r);
  REQUIRE(g.size() == 1);
  CHECK(g[0].deductions.to_string() == "35");
  CHECK(g[0].mean.to_string() == "85");
  CHECK(g[0].categories == std::vector<std::pair<std::string, decorum::decimal>>{{"conduct", d("-5")}, {"phone", d("-30")}});
  CHECK(decorum::detail::csv_groups(r) ==
        "\ngroup_by:site,period,employees,mean,median,deductions,bonuses,grades,ungraded,categories\n"
        "a,2026-11,2,85,85,35,0,,2,conduct:-5;phone:-30\n");
}

TEST_CASE("groups: a tally's group does not depend on threads or chunk sizes") {
  std::vector<decorum::diagnostic> diags;
  const std::string dir = std::string(DECORUM_TEST_DIR) + "/e2e/";
  auto rules = decorum::compile_rulebook_file(dir + "groups.yaml", diags);
  REQUIRE(rules);
  auto run = [&](unsigned threads, std::size_t block) {
    decorum::batch_options bo;
    bo.scoring.group_by = "site";
    bo.threads = threads;
    bo.block_size = block;
    auto res = decorum::score_batch(rules, {{dir + "groups.jsonl", decorum::input_format::jsonl, nullptr}}, bo);
    REQUIRE(res.ok());
    return decorum::write_json(res.report, false);
  };
  const std::string one = run(1, decorum::default_block_size);
  CHECK(one.find("\"employee\": \"E5\", \"name\": \"陈静\"") != std::string::npos);
  CHECK(one.find("\"group_by\": \"site\"") != std::string::npos);
  for (std::size_t block : {64u, 150u, 400u}) CHECK(run(3, block) == one);
}
