// src/api/rule_tests.cpp — entry point: run_tests. The rulebook test runner of SPEC §7: for
// each test, builds its records from the test's maps with the log readers' assembly steps
// (src/read/assemble.hpp) and CSV conversions, scores them with a fresh scorer, has every
// expectation checked against the tally it names (src/api/rule_tests_expect.cpp), and
// collects which rules fired so `decorum test` can report coverage. Reading test files is
// src/api/rule_tests_file.cpp.
#include "decorum/api/rule_tests.hpp"

#include "decorum/read/read.hpp"
#include "decorum/tally/tally.hpp"

#include "../read/assemble.hpp"
#include "rule_tests_runner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

namespace decorum {

namespace detail {

using rulebook::scalar;
using rulebook::test_map;

source_pos key_pos(const source_file& file, std::string_view key, std::size_t value_at, std::size_t floor,
                   source_pos fallback) {
  const std::string& src = file.text();
  if (key.empty() || value_at > src.size() || value_at < floor + key.size()) return fallback;
  // The key ends before its value starts (`scores: scores` must not find the value).
  std::size_t at = src.rfind(key, value_at - key.size());
  if (at == std::string::npos || at < floor) return fallback;
  return file.position_of(at);
}

bool test_runner::build_record(const test_map& m, record& rec) {
  const record_schema& schema = rules_.schema();
  bool ok = true;
  for (const auto& [key, sub] : m.maps) {
    error(map_key_pos(m, key, sub), fmt::format("'{}' in a test record must be a single value", key));
    ok = false;
  }
  for (const auto& [key, items] : m.lists) {
    error(list_key_pos(m, key, items), fmt::format("'{}' in a test record must be a single value", key));
    ok = false;
  }
  const scalar* kind = nullptr;
  std::size_t bytes = 0;
  for (const auto& [key, cell] : m.entries) {
    if (key == "kind") kind = &cell;
    bytes += cell.text.size();
  }
  // The steps of src/read/assemble.hpp, with a test's rules: a value left empty is an absent
  // field, as an empty CSV cell is, and every bad field is reported, not only the first.
  std::string reason;
  const bool has_kind = kind && !kind->text.empty();
  const int k = resolve_kind(schema, has_kind ? std::optional<std::string_view>(kind->text) : std::nullopt, reason);
  if (k < 0) {
    error(kind ? kind->pos : m.pos, reason);
    return false;
  }
  const kind_schema& ks = schema.kinds()[static_cast<std::size_t>(k)];
  rec.reset(schema.max_slots());
  rec.kind = k;
  // Text values are views into `storage`; reserving every byte up front keeps them valid.
  rec.storage.reserve(bytes);
  for (const auto& [key, cell] : m.entries) {
    const field_schema* f = resolve_field(ks, key, reason);
    if (!f) {
      error(entry_key_pos(m, key, cell), reason);
      ok = false;
      continue;
    }
    if (cell.text.empty()) continue;  // like an empty CSV cell: the field is absent
    const std::size_t at = rec.storage.size();
    rec.storage.append(cell.text);
    const std::string_view text(rec.storage.data() + at, cell.text.size());
    value v;
    if (!convert_field_text(ks, f->slot, text, text_origin::csv_cell, v, rec.time, reason)) {
      error(cell.pos, reason);
      ok = false;
      continue;
    }
    rec.values[f->slot] = v;
  }
  if (!ok) return false;
  if (!check_required(ks, rec, reason)) {
    error(m.pos, reason);
    return false;
  }
  return true;
}

std::shared_ptr<const appeal_set> test_runner::load_appeals(const std::vector<rulebook::test_map>& maps, bool& ok) {
  std::vector<appeal> appeals;
  for (const auto& m : maps) {
    appeal a;
    std::string decision;
    bool has_decision = false, good = true;
    for (const auto& [key, v] : m.entries) {
      std::string* field = key == "decision" ? &decision : appeal_text_field(a, key);
      if (!field) {
        error(v.pos, fmt::format("unknown key '{}' in an appeal", key));
        good = false;
        continue;
      }
      *field = v.text;
      if (key == "decision") has_decision = true;
    }
    for (const auto& [key, items] : m.lists) {
      error(m.pos, fmt::format("'{}' in an appeal must be a single value", key));
      good = false;
    }
    for (const auto& problem : complete_appeal(a, decision, has_decision)) {
      error(m.pos, problem);
      good = false;
    }
    if (!good) continue;
    a.source = file_.name();
    a.line = m.pos.line;
    appeals.push_back(std::move(a));
  }
  if (appeals.size() != maps.size()) {
    ok = false;
    return nullptr;
  }
  auto set = appeal_set::make(rules_, std::move(appeals));
  if (set) return *set;
  for (const auto& d : set.error()) error(d.pos, d.message);
  ok = false;
  return nullptr;
}

void test_runner::run(const rulebook::test_decl& t, std::set<std::string>& fired) {
  out_.name = t.name;
  out_.file = file_.name();
  out_.pos = t.pos;
  // A fresh scorer per test: tests never see each other's records.
  scorer sc(owner_);
  bool records_ok = true;
  if (!t.appeals.empty()) sc.set_appeals(load_appeals(t.appeals, records_ok)).check();
  const std::uint32_t source = sc.add_source(file_.name());
  record rec;
  std::uint64_t sequence = 0;
  for (const auto& m : t.records) {
    if (!build_record(m, rec)) {
      records_ok = false;
      continue;
    }
    rec.source = source;
    rec.line = m.pos.line;
    rec.sequence = sequence++;
    if (!sc.add(rec)) {
      const score_report r = sc.report();
      error(m.pos, r.rejections.empty() ? std::string("record rejected") : r.rejections.back().reason);
      records_ok = false;
    }
  }
  const score_report report = sc.report();
  std::set<std::string> here;
  for (const auto& tl : report.tallies)
    for (const auto& rt : tl.rules)
      if (rt.count > 0) here.insert(rt.id);
  out_.fired.assign(here.begin(), here.end());
  fired.insert(here.begin(), here.end());
  // With a bad record the tallies are incomplete, so comparing them would only add noise;
  // the expectations are still checked for unknown keys and bad values.
  for (const auto& e : t.expect) check_expect(e, report, records_ok);
}

}  // namespace detail

double test_coverage::percent() const noexcept {
  return total() == 0 ? 100.0 : 100.0 * static_cast<double>(fired.size()) / static_cast<double>(total());
}

bool test_coverage::at_least(double pct) const noexcept {
  // fired / total >= pct / 100, without the rounding of percent().
  return static_cast<double>(fired.size()) * 100.0 >= pct * static_cast<double>(total()) || total() == 0;
}

std::string test_coverage::describe() const {
  double shown = std::round(percent() * 10.0) / 10.0;
  if (shown >= 100.0 && !not_fired.empty()) shown = 99.9;
  return fmt::format("{}/{} rules fired ({:.1f}%)", fired.size(), total(), shown);
}

std::size_t test_run::passed() const noexcept {
  return static_cast<std::size_t>(std::count_if(tests.begin(), tests.end(), [](const test_result& t) { return t.passed(); }));
}

test_run run_tests(std::shared_ptr<const rule_set> rules, const std::vector<rulebook::test_decl>& tests,
                   std::shared_ptr<const source_file> file, const test_selector& select) {
  test_run run;
  run.file = file ? file->name() : std::string();
  run.rules = rules;
  if (!rules || !file) return run;
  run.rulebook_file = rules->file();
  std::set<std::string> fired;
  for (const auto& t : tests) {
    if (select && !select(t.name)) {
      ++run.skipped;
      continue;
    }
    test_result result;
    detail::test_runner(rules, *file, result).run(t, fired);
    run.tests.push_back(std::move(result));
  }
  // Versions of one id are one rule (SPEC §9): listed once, at the first enabled version.
  std::set<std::string> listed;
  for (const auto& r : rules->rules()) {
    if (!r.enabled || !listed.insert(r.id).second) continue;
    coverage_rule c{r.id, r.pos, {}};
    for (const auto& t : run.tests)
      if (std::binary_search(t.fired.begin(), t.fired.end(), r.id)) c.tests.push_back(t.name);
    (fired.count(r.id) ? run.coverage.fired : run.coverage.not_fired).push_back(std::move(c));
  }
  return run;
}

}  // namespace decorum
