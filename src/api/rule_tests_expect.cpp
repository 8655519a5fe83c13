// src/api/rule_tests_expect.cpp — entry point: detail::test_runner::check_expect. Reads one
// expectation of a rulebook test (SPEC §7) — its keys, then its values, then its `rules` and
// `categories` maps, each malformed piece reported where it is written — finds the tally it
// names and compares every wanted value with it, in the order of the expectation keys.
#include "decorum/read/read.hpp"

#include "rule_tests_runner.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <iterator>

namespace decorum::detail {

namespace {

using rulebook::scalar;
using rulebook::test_map;

/// The keys an expectation may hold, in the order they are compared and reported.
constexpr std::string_view expect_keys[] = {"employee", "period", "name",     "deductions", "bonuses",    "score",
                                            "grade",    "fines",  "findings", "voided",     "flags",      "categories", "rules"};

/// A decimal from an expectation's text, or nullopt.
std::optional<decimal> parse_number(const scalar& s) { return decimal::parse(s.text); }

/// A non-negative whole number from an expectation's text, or nullopt.
std::optional<std::uint64_t> parse_count(const scalar& s) {
  auto d = decimal::parse(s.text);
  if (!d || !d->is_integer() || *d < decimal()) return std::nullopt;
  return static_cast<std::uint64_t>(d->trunc());
}

/// A list of flags as a mismatch shows it: "[a, b]".
std::string show_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
  return out + "]";
}

/// A text as a mismatch shows it, "none" when empty.
std::string or_none(std::string_view s) { return s.empty() ? std::string("none") : std::string(s); }

}  // namespace

void test_runner::check_expect(const test_map& e, const score_report& report, bool compare) {
  expectation x;
  // Shape first: unknown keys, the required employee, and values of the right kind.
  if (!read_expect_keys(e, x)) return;
  x.subject = x.period && !x.period->text.empty() ? x.employee->text + " " + x.period->text : x.employee->text;
  read_expect_values(e, x);
  read_expect_maps(x);
  if (!x.valid || !compare) return;
  if (const tally* t = pick_tally(x, report)) compare_expect(e, x, *t);
}

bool test_runner::read_expect_keys(const test_map& e, expectation& x) {
  std::vector<std::string_view> known(std::begin(expect_keys), std::end(expect_keys));
  auto unknown = [&](const std::string& key, source_pos at) {
    std::string hint = key.size() <= 64 ? rulebook::did_you_mean(key, known) : std::string();
    error(at, hint.empty() ? fmt::format("unknown key '{}' in an expectation", key)
                           : fmt::format("unknown key '{}' in an expectation; did you mean '{}'?", key, hint));
  };
  auto is_known = [&](std::string_view key) { return std::find(known.begin(), known.end(), key) != known.end(); };
  for (const auto& [key, value] : e.entries) {
    if (!is_known(key)) {
      unknown(key, entry_key_pos(e, key, value));
      x.valid = false;
    } else if (key == "employee") {
      x.employee = &value;
    } else if (key == "period") {
      x.period = &value;
    } else if (key == "flags") {
      x.flags_scalar = &value;
    } else if ((key == "rules" || key == "categories") && !value.text.empty()) {
      error(value.pos, fmt::format("{} must be a mapping of {} to {}", key, key == "rules" ? "rule id" : "category",
                                   key == "rules" ? "occurrence count" : "points"));
      x.valid = false;
    }
  }
  for (const auto& [key, value] : e.maps) {
    if (!is_known(key)) {
      unknown(key, map_key_pos(e, key, value));
      x.valid = false;
    } else if (key == "rules") {
      x.rules_map = &value;
    } else if (key == "categories") {
      x.categories_map = &value;
    } else {
      error(map_key_pos(e, key, value), fmt::format("'{}' in an expectation must be a single value", key));
      x.valid = false;
    }
  }
  for (const auto& [key, items] : e.lists) {
    if (!is_known(key)) {
      unknown(key, list_key_pos(e, key, items));
      x.valid = false;
    } else if (key == "flags") {
      x.flags_list = &items;
    } else {
      error(list_key_pos(e, key, items), fmt::format("'{}' in an expectation must be a single value", key));
      x.valid = false;
    }
  }
  if (!x.employee || x.employee->text.empty()) {
    error(x.employee ? x.employee->pos : e.pos, "an expectation needs 'employee'");
    return false;
  }
  return true;
}

void test_runner::read_expect_values(const test_map& e, expectation& x) {
  // Values: each must read as its key's type; a bad one is an error, not a mismatch.
  auto number_of = [&](const char* key) -> wanted<decimal> {
    for (const auto& [k, v] : e.entries)
      if (k == key) {
        if (auto d = parse_number(v)) return std::pair(*d, &v);
        error(v.pos, fmt::format("{} must be a number, got \"{}\"", key, detail::clipped(v.text)), x.subject);
        x.valid = false;
      }
    return std::nullopt;
  };
  x.deductions = number_of("deductions");
  x.bonuses = number_of("bonuses");
  x.score = number_of("score");
  x.fines = number_of("fines");
  for (const auto& [k, v] : e.entries) {
    if (k == "findings" || k == "voided") {
      if (auto n = parse_count(v)) (k == "findings" ? x.findings : x.voided) = std::pair(*n, &v);
      else {
        error(v.pos, fmt::format("{} must be a whole number, got \"{}\"", k, detail::clipped(v.text)), x.subject);
        x.valid = false;
      }
    } else if (k == "name") {
      x.name = &v;
    } else if (k == "grade") {
      x.grade = &v;
    }
  }
}

void test_runner::read_expect_maps(expectation& x) {
  if (x.rules_map) {
    std::vector<std::string_view> ids;
    for (const auto& r : rules_.rules()) ids.push_back(r.id);
    for (const auto& [id, v] : x.rules_map->entries) {
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
        std::string hint = id.size() <= 64 ? rulebook::did_you_mean(id, ids) : std::string();
        error(entry_key_pos(*x.rules_map, id, v),
              hint.empty() ? fmt::format("unknown rule '{}'", id) : fmt::format("unknown rule '{}'; did you mean '{}'?", id, hint),
              x.subject);
        x.valid = false;
      } else if (auto n = parse_count(v)) {
        x.rules.push_back({id, *n, v.pos});
      } else {
        error(v.pos, fmt::format("the count of rule '{}' must be a whole number, got \"{}\"", id, detail::clipped(v.text)),
              x.subject);
        x.valid = false;
      }
    }
  }
  if (x.categories_map) {
    std::vector<std::string_view> cats;
    for (const auto& r : rules_.rules())
      if (!r.category.empty() && std::find(cats.begin(), cats.end(), r.category) == cats.end()) cats.push_back(r.category);
    for (const auto& [cat, v] : x.categories_map->entries) {
      if (std::find(cats.begin(), cats.end(), cat) == cats.end()) {
        std::string hint = cat.size() <= 64 ? rulebook::did_you_mean(cat, cats) : std::string();
        error(entry_key_pos(*x.categories_map, cat, v),
              hint.empty() ? fmt::format("unknown category '{}' (no rule has it)", cat)
                           : fmt::format("unknown category '{}'; did you mean '{}'?", cat, hint),
              x.subject);
        x.valid = false;
      } else if (auto d = parse_number(v)) {
        x.categories.push_back({cat, *d, v.pos});
      } else {
        error(v.pos, fmt::format("the points of category '{}' must be a number, got \"{}\"", cat, detail::clipped(v.text)),
              x.subject);
        x.valid = false;
      }
    }
  }
}

const tally* test_runner::pick_tally(const expectation& x, const score_report& report) {
  const scalar* employee = x.employee;
  const scalar* period = x.period;
  std::vector<const tally*> mine;
  for (const auto& t : report.tallies)
    if (t.employee == employee->text) mine.push_back(&t);
  std::vector<std::string> periods;
  for (const tally* t : mine) periods.push_back(t->period);
  if (period && !period->text.empty()) {
    const tally* t = nullptr;
    for (const tally* c : mine)
      if (c->period == period->text) t = c;
    if (!t) {
      error(period->pos,
            mine.empty() ? fmt::format("no tally for employee {} in period {} (no record of this test has employee {})",
                                       employee->text, period->text, employee->text)
                         : fmt::format("no tally for employee {} in period {} ({} has tallies for {})", employee->text,
                                       period->text, employee->text, fmt::join(periods, ", ")),
            x.subject);
    }
    return t;
  }
  if (mine.size() != 1) {
    error(employee->pos,
          mine.empty() ? fmt::format("no tally for employee {} (no record of this test has employee {})", employee->text,
                                     employee->text)
                       : fmt::format("employee {} has {} tallies ({}); give a period to choose one", employee->text,
                                     mine.size(), fmt::join(periods, ", ")),
          x.subject);
    return nullptr;
  }
  return mine.front();
}

void test_runner::compare_expect(const test_map& e, const expectation& x, const tally& t) {
  const std::string& subject = x.subject;
  if (x.name && x.name->text != t.name) mismatch(subject, "name", or_none(x.name->text), or_none(t.name), x.name->pos);
  auto compare_number = [&](const char* key, const wanted<decimal>& want, decimal got) {
    if (want && want->first != got) mismatch(subject, key, want->first.to_string(), got.to_string(), want->second->pos);
  };
  compare_number("deductions", x.deductions, t.deductions);
  compare_number("bonuses", x.bonuses, t.bonuses);
  compare_number("score", x.score, t.score);
  if (x.grade && x.grade->text != t.grade.value_or(""))
    mismatch(subject, "grade", or_none(x.grade->text), or_none(t.grade.value_or("")), x.grade->pos);
  compare_number("fines", x.fines, t.fines);
  if (x.findings && x.findings->first != t.findings)
    mismatch(subject, "findings", std::to_string(x.findings->first), std::to_string(t.findings), x.findings->second->pos);
  if (x.voided && x.voided->first != t.voided)
    mismatch(subject, "voided", std::to_string(x.voided->first), std::to_string(t.voided), x.voided->second->pos);
  if (x.flags_list || x.flags_scalar) {
    std::vector<std::string> want;
    source_pos at = e.pos;
    if (x.flags_list) {
      for (const auto& f : *x.flags_list) want.push_back(f.text);
      at = x.flags_list->empty() ? list_key_pos(e, "flags", *x.flags_list) : x.flags_list->front().pos;
    } else {
      if (!x.flags_scalar->text.empty()) want.push_back(x.flags_scalar->text);
      at = x.flags_scalar->pos;
    }
    std::sort(want.begin(), want.end());
    want.erase(std::unique(want.begin(), want.end()), want.end());
    if (want != t.flags) mismatch(subject, "flags", show_list(want), show_list(t.flags), at);
  }
  for (const auto& c : x.categories) {
    decimal got;
    for (const auto& [cat, pts] : t.categories)
      if (cat == c.category) got = pts;
    if (got != c.points) mismatch(subject, "categories." + c.category, c.points.to_string(), got.to_string(), c.pos);
  }
  for (const auto& r : x.rules) {
    std::uint64_t got = 0;
    for (const auto& rt : t.rules)
      if (rt.id == r.id) got = rt.count;
    if (got != r.count) mismatch(subject, "rules." + r.id, std::to_string(r.count), std::to_string(got), r.pos);
  }
}

}  // namespace decorum::detail
