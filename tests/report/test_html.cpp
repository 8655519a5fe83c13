// tests/report/test_html.cpp — doctest cases "html: …". The HTML report's writer (issue 15):
// every value from a log escaped (no "<" of a log reaches the page; the data blob parses back
// to the exact text), Chart.js inlined, rule titles and per-period overviews worked out by
// hand, the file written in pieces equal to the string, and 10,000 employees within the size
// bench/RESULTS.md records. The page in a browser: tests/html/check_html.py.
#include "decorum/compile/compile.hpp"
#include "decorum/report/report.hpp"
#include "decorum/tally/tally.hpp"

#include <doctest/doctest.h>
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <string>
#include <vector>

namespace {

using decorum::decimal;

decimal dec(const char* s) { return *decimal::parse(s); }

/// The page's data: the text of <script type="application/json" id="decorum-data">.
std::string blob_of(const std::string& page) {
  const std::string open = "<script type=\"application/json\" id=\"decorum-data\">";
  const auto from = page.find(open);
  REQUIRE(from != std::string::npos);
  const auto to = page.find("</script>", from);
  REQUIRE(to != std::string::npos);
  return page.substr(from + open.size(), to - from - open.size());
}

std::size_t count(const std::string& s, std::string_view what) {
  std::size_t n = 0;
  for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

/// A report as a log full of markup would give it.
decorum::score_report hostile() {
  decorum::score_report r;
  r.rulebook = "r<b>";
  r.rulebook_sha256 = std::string(64, 'a');
  r.rule_count = 1;
  r.records = r.scored = 2;
  r.rules = {{"late", "迟到 </script><script>alert(1)</script>", "纪律 & <i>"}};
  decorum::tally t;
  t.employee = "<script>alert('x')</script>";
  t.name = "王\"芳\" & <!-- 李 -->";
  t.period = "2026-11";
  t.base = dec("100");
  t.deductions = dec("-12.5");
  t.score = dec("87.5");
  t.grade = "<A>";
  t.findings = 1;
  t.flags = {"</SCRIPT >"};
  t.categories = {{"纪律 & <i>", dec("-12.5")}};
  t.rules = {{"late", 1, dec("-12.5"), dec("0")}};
  r.tallies = {t};
  decorum::finding f;
  f.employee = t.employee;
  f.period = t.period;
  f.rule = "late";
  f.time = "2026-11-03T09:00:00";
  f.occurrences = 1;
  f.points = dec("-12.5");
  f.source = "log<1>.jsonl";
  f.line = 7;
  f.matched = "note: </script><img src=x onerror=alert(1)>";
  f.appeal = decorum::appeal_note{decorum::appeal_decision::upheld, "<reviewer>", "reason </script>", "a.csv", 2};
  r.findings = {f};
  r.sources = {"log<1>.jsonl"};
  r.rejections = {{0, 9, "bad value \"</script>\""}};
  r.rejected = 1;
  r.records = 3;
  return r;
}

}  // namespace

TEST_CASE("html: values from logs never become markup, and the data blob parses back to them exactly") {
  const decorum::score_report r = hostile();
  const std::string page = decorum::write_html(r);
  CHECK(page.rfind("<!DOCTYPE html>", 0) == 0);
  // Four script elements, all the page's own (error recorder, Chart.js, data, renderer); no
  // "</script" or "<!--" of a log's, in any case, and none of its tags.
  CHECK(count(lower(page), "</script") == 4);
  CHECK(count(page, "<!--") == 0);
  CHECK(page.find("<img") == std::string::npos);
  CHECK(page.find("<i>") == std::string::npos);
  CHECK(page.find("<A>") == std::string::npos);
  CHECK(page.find("Chart.js v") != std::string::npos);  // inlined, not fetched
  CHECK(page.find("src=\"http") == std::string::npos);
  CHECK(page.find("<link") == std::string::npos);

  const std::string blob = blob_of(page);
  CHECK(blob.find('<') == std::string::npos);
  simdjson::dom::parser parser;
  simdjson::dom::element d;
  REQUIRE(parser.parse(blob).get(d) == simdjson::SUCCESS);
  auto text = [](simdjson::dom::element e) { return std::string(std::string_view(e.get_string().value())); };
  CHECK(text(d["rulebook"]["name"]) == "r<b>");
  auto t = d["tallies"].at(0);
  CHECK(text(t.at(0)) == "<script>alert('x')</script>");
  CHECK(text(t.at(1)) == "王\"芳\" & <!-- 李 -->");
  CHECK(text(t.at(6)) == "87.5");      // decimals as their exact text
  CHECK(text(t.at(4)) == "-12.5");
  CHECK(text(t.at(7)) == "<A>");
  CHECK(text(t.at(11).at(0)) == "</SCRIPT >");
  auto rule = d["rules"].at(0);
  CHECK(text(rule.at(1)) == "迟到 </script><script>alert(1)</script>");
  CHECK(text(rule.at(2)) == "纪律 & <i>");
  auto f = d["findings"].at(0);
  CHECK(int64_t(f.at(0)) == 0);        // the tally it belongs to
  CHECK(text(f.at(8)) == "note: </script><img src=x onerror=alert(1)>");
  CHECK(text(f.at(9).at(2)) == "reason </script>");
  CHECK(text(d["sources"].at(0)) == "log<1>.jsonl");
  CHECK(text(d["rejected"].at(0).at(2)) == "bad value \"</script>\"");
  CHECK(bool(d["findings_kept"]) == true);
}

TEST_CASE("html: a report scored by a rule set names its rules, and each period's overview adds up") {
  constexpr const char* rulebook = R"(decorum: 1
name: r
scoring: {period: month, grades: [{min: 90, grade: A}, {min: 0, grade: D}]}
records:
  phone_call: {rings: int}
rules:
  - id: phone.rings
    title: 响铃超过三声
    category: phone
    on: phone_call
    when: rings > 3
    deduct: [10, 20]
  - id: phone.quick
    title: Quick answer
    category: bonus
    on: phone_call
    when: rings <= 1
    bonus: 1.5
)";
  std::vector<decorum::diagnostic> ds;
  auto rs = decorum::compile_rulebook("r.yaml", rulebook, ds);
  REQUIRE(rs);
  decorum::score_options opts;
  opts.keep_findings = true;
  decorum::scorer sc(rs, opts);
  sc.add_source("log");
  const std::uint32_t rings = rs->schema().kinds()[0].find("rings")->slot;
  std::deque<std::string> keep;
  std::uint64_t line = 0;
  // E1 in October: rings 5 (-10); E1 and E2 in November: 5, 5, 1 (-10, -20, +1.5) each.
  auto add = [&](const char* employee, const char* time, int r) {
    keep.push_back(employee);
    decorum::record rec;
    rec.reset(rs->schema().max_slots());
    rec.kind = 0;
    rec.line = ++line;
    rec.time = *decorum::parse_time(time);
    rec.values[decorum::slot::time] = decorum::value::of_time(rec.time.local_seconds);
    rec.values[decorum::slot::employee] = decorum::value::of_text(keep.back());
    rec.values[decorum::slot::kind] = decorum::value::of_text("phone_call");
    rec.values[rings] = decorum::value::of_number(*decimal::from_int(r));
    REQUIRE(sc.add(rec));
  };
  add("E1", "2026-10-03T09:00:00", 5);
  for (const char* e : {"E1", "E2"})
    for (int r : {5, 5, 1}) add(e, "2026-11-03T09:00:00", r);
  const decorum::score_report rep = sc.report();
  REQUIRE(rep.rules.size() == 2);
  CHECK(rep.rules[0].id == "phone.rings");
  CHECK(rep.rules[0].title == "响铃超过三声");
  CHECK(rep.rules[1].category == "bonus");

  const std::string page = decorum::write_html(rep);
  simdjson::dom::parser parser;
  simdjson::dom::element d;
  const std::string blob = blob_of(page);
  REQUIRE(parser.parse(blob).get(d) == simdjson::SUCCESS);
  auto text = [](simdjson::dom::element e) { return std::string(std::string_view(e.get_string().value())); };
  CHECK(text(d["rules"].at(0).at(1)) == "响铃超过三声");
  REQUIRE(d["periods"].get_array().size() == 2);
  auto oct = d["periods"].at(0);
  auto nov = d["periods"].at(1);
  CHECK(text(oct["period"]) == "2026-10");
  CHECK(int64_t(oct["tallies"]) == 1);
  CHECK(text(nov["period"]) == "2026-11");
  CHECK(int64_t(nov["tallies"]) == 2);
  // November: both at 100 - 30 + 1.5 = 71.5, grade D; phone -60, bonus 3; the costliest rule first.
  CHECK(text(nov["grades"].at(0).at(0)) == "D");
  CHECK(int64_t(nov["grades"].at(0).at(1)) == 2);
  CHECK(text(nov["categories"].at(0).at(0)) == "bonus");
  CHECK(text(nov["categories"].at(0).at(1)) == "3");
  CHECK(text(nov["categories"].at(1).at(1)) == "-60");
  CHECK(int64_t(nov["rules"].at(0).at(0)) == 0);
  CHECK(int64_t(nov["rules"].at(0).at(1)) == 4);
  CHECK(text(nov["rules"].at(0).at(2)) == "-60");
  CHECK(text(nov["rules"].at(1).at(2)) == "3");
  CHECK(text(d["tallies"].at(1).at(6)) == "71.5");
  // Findings: 1 + 3 + 3 kept, each pointing at its tally (E1 October is tally 0).
  CHECK(d["findings"].get_array().size() == 7);
  CHECK(int64_t(d["findings"].at(0).at(0)) == 0);
  CHECK(bool(d["findings_kept"]) == true);

  // Written to a file in pieces, the page is the same bytes.
  std::FILE* file = std::tmpfile();
  REQUIRE(file);
  REQUIRE(decorum::write_report(rep, decorum::report_format::html, false, file));
  std::string streamed;
  std::rewind(file);
  char buf[65536];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, file)) > 0;) streamed.append(buf, n);
  std::fclose(file);
  CHECK(streamed == page);
}

TEST_CASE("html: a report scored without findings says so instead of showing none") {
  decorum::score_report r = hostile();
  r.findings.clear();
  simdjson::dom::parser parser;
  simdjson::dom::element d;
  const std::string blob = blob_of(decorum::write_html(r));
  REQUIRE(parser.parse(blob).get(d) == simdjson::SUCCESS);
  CHECK(bool(d["findings_kept"]) == false);
  r.tallies[0].findings = 0;  // nothing to keep: nothing missing
  const std::string blob2 = blob_of(decorum::write_html(r));
  REQUIRE(parser.parse(blob2).get(d) == simdjson::SUCCESS);
  CHECK(bool(d["findings_kept"]) == true);
}

TEST_CASE("html: 10,000 employees with a finding each stay a file of a few megabytes") {
  decorum::score_report r;
  r.rulebook = "big";
  r.rules = {{"late", "迟到", "纪律"}, {"rude", "态度恶劣", "态度"}};
  for (int e = 0; e < 10000; ++e) {
    decorum::tally t;
    t.employee = "E" + std::to_string(100000 + e);
    t.name = "员工" + std::to_string(e);
    t.period = "2026-11";
    t.base = dec("100");
    t.deductions = dec("-5");
    t.score = dec("95");
    t.grade = "A";
    t.findings = 1;
    t.categories = {{"纪律", dec("-5")}};
    t.rules = {{"late", 1, dec("-5"), dec("0")}};
    decorum::finding f;
    f.employee = t.employee;
    f.period = t.period;
    f.rule = "late";
    f.time = "2026-11-03T09:00:00";
    f.occurrences = 1;
    f.points = dec("-5");
    f.source = "log.jsonl";
    f.line = static_cast<std::uint64_t>(e + 1);
    r.findings.push_back(f);
    r.tallies.push_back(std::move(t));
  }
  const auto start = std::chrono::steady_clock::now();
  const std::string page = decorum::write_html(r);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  MESSAGE("10,000 employees: ", page.size(), " bytes in ", ms, " ms");
  // Measured 2.0 MB (Chart.js 0.2 MB of it; about 180 bytes a tally with its finding): the
  // bound leaves room for a longer page script, not for a blob that grew per employee.
  CHECK(page.size() < 3'000'000);
  simdjson::dom::parser parser;
  simdjson::dom::element d;
  const std::string blob = blob_of(page);
  REQUIRE(parser.parse(blob).get(d) == simdjson::SUCCESS);
  CHECK(d["tallies"].get_array().size() == 10000);
  CHECK(std::string_view(d["periods"].at(0)["categories"].at(0).at(1).get_string().value()) == "-50000");
}
