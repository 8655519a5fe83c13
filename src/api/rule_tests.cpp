// src/api/rule_tests.cpp — entry points: run_tests, run_test_file. The rulebook test runner
// of SPEC §7: builds records from a test's maps with the CSV conversion of each field,
// scores them with a fresh scorer, compares every expectation with the tally it names, and
// collects which rules fired so `decorum test` can report coverage.
#include "decorum/api/rule_tests.hpp"

#include "decorum/read/read.hpp"
#include "decorum/tally/tally.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

namespace decorum {

namespace {

using rulebook::scalar;
using rulebook::test_map;

/// The keys an expectation may hold, in the order they are compared and reported.
constexpr std::string_view expect_keys[] = {"employee", "period", "name",     "deductions", "bonuses",    "score",
                                            "grade",    "fines",  "findings", "flags",      "categories", "rules"};

/// Where the key of a value is written: the nearest occurrence of `key` before the value's
/// byte offset `value_at`, not before `floor` (the start of the enclosing mapping). The
/// model keeps value positions only; the key sits just before its value in the text.
source_pos key_pos(const source_file& file, std::string_view key, std::size_t value_at, std::size_t floor,
                   source_pos fallback) {
  const std::string& src = file.text();
  if (key.empty() || value_at > src.size() || value_at < floor + key.size()) return fallback;
  // The key ends before its value starts (`scores: scores` must not find the value).
  std::size_t at = src.rfind(key, value_at - key.size());
  if (at == std::string::npos || at < floor) return fallback;
  return file.position_of(at);
}

/// Per-test state: the file, the failures and the rule set.
class test_runner {
 public:
  test_runner(std::shared_ptr<const rule_set> rules, const source_file& file, test_result& out)
      : owner_(std::move(rules)), rules_(*owner_), file_(file), out_(out) {}

  /// Builds, scores and checks one test; adds the ids of the rules that fired to `fired`.
  void run(const rulebook::test_decl& t, std::set<std::string>& fired);

 private:
  std::shared_ptr<const rule_set> owner_;
  const rule_set& rules_;
  const source_file& file_;
  test_result& out_;

  void error(source_pos pos, std::string message, std::string subject = {}) {
    test_failure f;
    f.subject = std::move(subject);
    f.message = std::move(message);
    f.pos = pos;
    f.error = true;
    out_.failures.push_back(std::move(f));
  }
  void mismatch(const std::string& subject, std::string key, std::string expected, std::string actual, source_pos pos) {
    test_failure f;
    f.subject = subject;
    f.message = fmt::format("{}: expected {}, got {}", key, expected, actual);
    f.key = std::move(key);
    f.expected = std::move(expected);
    f.actual = std::move(actual);
    f.pos = pos;
    out_.failures.push_back(std::move(f));
  }

  std::size_t offset_of(source_pos p) const { return file_.offset_of(p); }
  /// The position of a scalar entry's key inside `map`.
  source_pos entry_key_pos(const test_map& map, const std::string& key, const scalar& value) const {
    return key_pos(file_, key, value.mark, offset_of(map.pos), value.pos.line ? value.pos : map.pos);
  }
  /// The position of a nested map's key inside `map`.
  source_pos map_key_pos(const test_map& map, const std::string& key, const test_map& value) const {
    return key_pos(file_, key, offset_of(value.pos), offset_of(map.pos), value.pos);
  }
  /// The position of a list's key inside `map`.
  source_pos list_key_pos(const test_map& map, const std::string& key, const std::vector<scalar>& items) const {
    if (items.empty()) return map.pos;
    return key_pos(file_, key, items.front().mark, offset_of(map.pos), items.front().pos);
  }

  bool build_record(const test_map& m, record& rec);
  void check_expect(const test_map& e, const score_report& report, bool compare);
};

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
  if (!kind || kind->text.empty()) {
    error(kind ? kind->pos : m.pos, "missing required field 'kind'");
    return false;
  }
  const int k = schema.find_kind(kind->text);
  if (k < 0) {
    error(kind->pos, detail::unknown_kind_reason(schema, kind->text));
    return false;
  }
  const kind_schema& ks = schema.kinds()[static_cast<std::size_t>(k)];
  rec.reset(schema.max_slots());
  rec.kind = k;
  // Text values are views into `storage`; reserving every byte up front keeps them valid.
  rec.storage.reserve(bytes);
  for (const auto& [key, cell] : m.entries) {
    const field_schema* f = ks.find(key);
    if (!f) {
      error(entry_key_pos(m, key, cell), detail::unknown_field_reason(ks, key));
      ok = false;
      continue;
    }
    if (cell.text.empty()) continue;  // like an empty CSV cell: the field is absent
    const std::size_t at = rec.storage.size();
    rec.storage.append(cell.text);
    const std::string_view text(rec.storage.data() + at, cell.text.size());
    value v;
    std::string reason;
    if (f->slot == slot::kind) {
      v = value::of_text(text);
    } else if (!detail::convert_text(*f, text, true, v, reason, f->slot == slot::time ? &rec.time : nullptr)) {
      error(cell.pos, reason);
      ok = false;
      continue;
    }
    rec.values[f->slot] = v;
  }
  if (!ok) return false;
  std::string reason;
  if (!detail::check_required(ks, rec, reason)) {
    error(m.pos, reason);
    return false;
  }
  return true;
}

/// A decimal from an expectation's text, or nullopt.
std::optional<decimal> parse_number(const scalar& s) { return decimal::parse(s.text); }

/// A non-negative whole number from an expectation's text, or nullopt.
std::optional<std::uint64_t> parse_count(const scalar& s) {
  auto d = decimal::parse(s.text);
  if (!d || !d->is_integer() || *d < decimal()) return std::nullopt;
  return static_cast<std::uint64_t>(d->trunc());
}

std::string show_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
  return out + "]";
}

std::string or_none(std::string_view s) { return s.empty() ? std::string("none") : std::string(s); }

void test_runner::check_expect(const test_map& e, const score_report& report, bool compare) {
  // Shape first: unknown keys, the required employee, and values of the right kind.
  std::vector<std::string_view> known(std::begin(expect_keys), std::end(expect_keys));
  auto unknown = [&](const std::string& key, source_pos at) {
    std::string hint = key.size() <= 64 ? rulebook::did_you_mean(key, known) : std::string();
    error(at, hint.empty() ? fmt::format("unknown key '{}' in an expectation", key)
                           : fmt::format("unknown key '{}' in an expectation; did you mean '{}'?", key, hint));
  };
  auto is_known = [&](std::string_view key) { return std::find(known.begin(), known.end(), key) != known.end(); };
  bool valid = true;
  const scalar* employee = nullptr;
  const scalar* period = nullptr;
  const test_map* rules_map = nullptr;
  const test_map* categories_map = nullptr;
  const std::vector<scalar>* flags_list = nullptr;
  const scalar* flags_scalar = nullptr;
  for (const auto& [key, value] : e.entries) {
    if (!is_known(key)) {
      unknown(key, entry_key_pos(e, key, value));
      valid = false;
    } else if (key == "employee") {
      employee = &value;
    } else if (key == "period") {
      period = &value;
    } else if (key == "flags") {
      flags_scalar = &value;
    } else if ((key == "rules" || key == "categories") && !value.text.empty()) {
      error(value.pos, fmt::format("{} must be a mapping of {} to {}", key, key == "rules" ? "rule id" : "category",
                                   key == "rules" ? "occurrence count" : "points"));
      valid = false;
    }
  }
  for (const auto& [key, value] : e.maps) {
    if (!is_known(key)) {
      unknown(key, map_key_pos(e, key, value));
      valid = false;
    } else if (key == "rules") {
      rules_map = &value;
    } else if (key == "categories") {
      categories_map = &value;
    } else {
      error(map_key_pos(e, key, value), fmt::format("'{}' in an expectation must be a single value", key));
      valid = false;
    }
  }
  for (const auto& [key, items] : e.lists) {
    if (!is_known(key)) {
      unknown(key, list_key_pos(e, key, items));
      valid = false;
    } else if (key == "flags") {
      flags_list = &items;
    } else {
      error(list_key_pos(e, key, items), fmt::format("'{}' in an expectation must be a single value", key));
      valid = false;
    }
  }
  if (!employee || employee->text.empty()) {
    error(employee ? employee->pos : e.pos, "an expectation needs 'employee'");
    return;
  }
  const std::string subject = period && !period->text.empty() ? employee->text + " " + period->text : employee->text;

  // Values: each must read as its key's type; a bad one is an error, not a mismatch.
  auto number_of = [&](const char* key) -> std::optional<std::pair<decimal, const scalar*>> {
    for (const auto& [k, v] : e.entries)
      if (k == key) {
        if (auto d = parse_number(v)) return std::pair(*d, &v);
        error(v.pos, fmt::format("{} must be a number, got \"{}\"", key, detail::clipped(v.text)), subject);
        valid = false;
      }
    return std::nullopt;
  };
  const auto deductions = number_of("deductions");
  const auto bonuses = number_of("bonuses");
  const auto score = number_of("score");
  const auto fines = number_of("fines");
  std::optional<std::pair<std::uint64_t, const scalar*>> findings;
  const scalar* name = nullptr;
  const scalar* grade = nullptr;
  for (const auto& [k, v] : e.entries) {
    if (k == "findings") {
      if (auto n = parse_count(v)) findings = std::pair(*n, &v);
      else {
        error(v.pos, fmt::format("findings must be a whole number, got \"{}\"", detail::clipped(v.text)), subject);
        valid = false;
      }
    } else if (k == "name") {
      name = &v;
    } else if (k == "grade") {
      grade = &v;
    }
  }
  struct rule_expect {
    std::string id;
    std::uint64_t count;
    source_pos pos;
  };
  std::vector<rule_expect> rule_expects;
  if (rules_map) {
    std::vector<std::string_view> ids;
    for (const auto& r : rules_.rules()) ids.push_back(r.id);
    for (const auto& [id, v] : rules_map->entries) {
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
        std::string hint = id.size() <= 64 ? rulebook::did_you_mean(id, ids) : std::string();
        error(entry_key_pos(*rules_map, id, v),
              hint.empty() ? fmt::format("unknown rule '{}'", id) : fmt::format("unknown rule '{}'; did you mean '{}'?", id, hint),
              subject);
        valid = false;
      } else if (auto n = parse_count(v)) {
        rule_expects.push_back({id, *n, v.pos});
      } else {
        error(v.pos, fmt::format("the count of rule '{}' must be a whole number, got \"{}\"", id, detail::clipped(v.text)),
              subject);
        valid = false;
      }
    }
  }
  struct category_expect {
    std::string category;
    decimal points;
    source_pos pos;
  };
  std::vector<category_expect> category_expects;
  if (categories_map) {
    std::vector<std::string_view> cats;
    for (const auto& r : rules_.rules())
      if (!r.category.empty() && std::find(cats.begin(), cats.end(), r.category) == cats.end()) cats.push_back(r.category);
    for (const auto& [cat, v] : categories_map->entries) {
      if (std::find(cats.begin(), cats.end(), cat) == cats.end()) {
        std::string hint = cat.size() <= 64 ? rulebook::did_you_mean(cat, cats) : std::string();
        error(entry_key_pos(*categories_map, cat, v),
              hint.empty() ? fmt::format("unknown category '{}' (no rule has it)", cat)
                           : fmt::format("unknown category '{}'; did you mean '{}'?", cat, hint),
              subject);
        valid = false;
      } else if (auto d = parse_number(v)) {
        category_expects.push_back({cat, *d, v.pos});
      } else {
        error(v.pos, fmt::format("the points of category '{}' must be a number, got \"{}\"", cat, detail::clipped(v.text)),
              subject);
        valid = false;
      }
    }
  }
  if (!valid || !compare) return;

  // The tally: by employee and period, or the employee's only one.
  std::vector<const tally*> mine;
  for (const auto& t : report.tallies)
    if (t.employee == employee->text) mine.push_back(&t);
  std::vector<std::string> periods;
  for (const tally* t : mine) periods.push_back(t->period);
  const tally* t = nullptr;
  if (period && !period->text.empty()) {
    for (const tally* c : mine)
      if (c->period == period->text) t = c;
    if (!t) {
      error(period->pos,
            mine.empty() ? fmt::format("no tally for employee {} in period {} (no record of this test has employee {})",
                                       employee->text, period->text, employee->text)
                         : fmt::format("no tally for employee {} in period {} ({} has tallies for {})", employee->text,
                                       period->text, employee->text, fmt::join(periods, ", ")),
            subject);
      return;
    }
  } else if (mine.size() != 1) {
    error(employee->pos,
          mine.empty() ? fmt::format("no tally for employee {} (no record of this test has employee {})", employee->text,
                                     employee->text)
                       : fmt::format("employee {} has {} tallies ({}); give a period to choose one", employee->text,
                                     mine.size(), fmt::join(periods, ", ")),
          subject);
    return;
  } else {
    t = mine.front();
  }

  // Compare in the order of expect_keys.
  if (name && name->text != t->name) mismatch(subject, "name", or_none(name->text), or_none(t->name), name->pos);
  auto compare_number = [&](const char* key, const std::optional<std::pair<decimal, const scalar*>>& want, decimal got) {
    if (want && want->first != got) mismatch(subject, key, want->first.to_string(), got.to_string(), want->second->pos);
  };
  compare_number("deductions", deductions, t->deductions);
  compare_number("bonuses", bonuses, t->bonuses);
  compare_number("score", score, t->score);
  if (grade && grade->text != t->grade.value_or(""))
    mismatch(subject, "grade", or_none(grade->text), or_none(t->grade.value_or("")), grade->pos);
  compare_number("fines", fines, t->fines);
  if (findings && findings->first != t->findings)
    mismatch(subject, "findings", std::to_string(findings->first), std::to_string(t->findings), findings->second->pos);
  if (flags_list || flags_scalar) {
    std::vector<std::string> want;
    source_pos at = e.pos;
    if (flags_list) {
      for (const auto& f : *flags_list) want.push_back(f.text);
      at = flags_list->empty() ? list_key_pos(e, "flags", *flags_list) : flags_list->front().pos;
    } else {
      if (!flags_scalar->text.empty()) want.push_back(flags_scalar->text);
      at = flags_scalar->pos;
    }
    std::sort(want.begin(), want.end());
    want.erase(std::unique(want.begin(), want.end()), want.end());
    if (want != t->flags) mismatch(subject, "flags", show_list(want), show_list(t->flags), at);
  }
  for (const auto& c : category_expects) {
    decimal got;
    for (const auto& [cat, pts] : t->categories)
      if (cat == c.category) got = pts;
    if (got != c.points) mismatch(subject, "categories." + c.category, c.points.to_string(), got.to_string(), c.pos);
  }
  for (const auto& r : rule_expects) {
    std::uint64_t got = 0;
    for (const auto& rt : t->rules)
      if (rt.id == r.id) got = rt.count;
    if (got != r.count) mismatch(subject, "rules." + r.id, std::to_string(r.count), std::to_string(got), r.pos);
  }
}

void test_runner::run(const rulebook::test_decl& t, std::set<std::string>& fired) {
  out_.name = t.name;
  out_.file = file_.name();
  out_.pos = t.pos;
  // A fresh scorer per test: tests never see each other's records.
  scorer sc(owner_);
  const std::uint32_t source = sc.add_source(file_.name());
  bool records_ok = true;
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
  for (const auto& tl : report.tallies)
    for (const auto& rt : tl.rules)
      if (rt.count > 0) fired.insert(rt.id);
  // With a bad record the tallies are incomplete, so comparing them would only add noise;
  // the expectations are still checked for unknown keys and bad values.
  for (const auto& e : t.expect) check_expect(e, report, records_ok);
}

/// Reads a whole file; false with a diagnostic when it cannot be read or is too large.
bool read_file(const std::string& path, std::string& text, std::vector<diagnostic>& diags) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    diags.push_back({severity::error, path, {}, "cannot read file (is it a directory?)", nullptr});
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diags.push_back({severity::error, path, {}, "cannot open file", nullptr});
    return false;
  }
  in.seekg(0, std::ios::end);
  const auto size = in.tellg();
  if (size < 0) {
    diags.push_back({severity::error, path, {}, "cannot read file", nullptr});
    return false;
  }
  if (static_cast<std::size_t>(size) > rulebook::max_rulebook_bytes) {
    diags.push_back({severity::error, path, {},
                     fmt::format("file is {} bytes; the limit is {} bytes (8 MiB)", static_cast<long long>(size),
                                 rulebook::max_rulebook_bytes),
                     nullptr});
    return false;
  }
  in.seekg(0);
  text.assign(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), size);
  if (!in) {
    diags.push_back({severity::error, path, {}, "cannot read file", nullptr});
    return false;
  }
  return true;
}

}  // namespace

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
                   std::shared_ptr<const source_file> file) {
  test_run run;
  run.file = file ? file->name() : std::string();
  run.rules = rules;
  if (!rules || !file) return run;
  run.rulebook_file = rules->file();
  std::set<std::string> fired;
  for (const auto& t : tests) {
    test_result result;
    test_runner(rules, *file, result).run(t, fired);
    run.tests.push_back(std::move(result));
  }
  for (const auto& r : rules->rules()) {
    if (!r.enabled) continue;
    (fired.count(r.id) ? run.coverage.fired : run.coverage.not_fired).push_back({r.id, r.pos});
  }
  return run;
}

test_run run_rulebook_tests(std::string name, std::string text) {
  std::vector<diagnostic> diags;
  std::string file = name;
  auto rules = compile_rulebook(std::move(name), std::move(text), diags);
  test_run run = rules ? run_tests(rules, rules->model().tests, rules->model().source) : test_run{};
  run.file = file;
  run.diagnostics = std::move(diags);
  return run;
}

bool is_test_file_text(std::string_view text) noexcept {
  bool rulebook_key = false;
  std::size_t i = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
  while (i < text.size()) {
    std::size_t end = text.find('\n', i);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(i, end - i);
    auto is_key = [&](std::string_view key) {
      for (std::string_view q : {"", "\"", "'"}) {
        std::string k = std::string(q) + std::string(key) + std::string(q);
        if (line.substr(0, k.size()) == k) {
          std::string_view rest = line.substr(k.size());
          while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
          if (!rest.empty() && rest.front() == ':') return true;
        }
      }
      return false;
    };
    if (is_key("decorum")) return false;
    if (is_key("rulebook")) rulebook_key = true;
    i = end + 1;
  }
  return rulebook_key;
}

test_run run_test_file(const std::string& path) {
  test_run run;
  run.file = path;
  std::string text;
  if (!read_file(path, text, run.diagnostics)) return run;
  if (!is_test_file_text(text)) {
    test_run r = run_rulebook_tests(path, std::move(text));
    return r;
  }
  scalar rulebook_path;
  rulebook::rulebook_model model = rulebook::load_test_file(path, std::move(text), rulebook_path, run.diagnostics);
  if (has_errors(run.diagnostics)) return run;
  namespace fs = std::filesystem;
  fs::path target(rulebook_path.text);
  if (target.is_relative()) target = fs::path(path).parent_path() / target;
  const std::string resolved = target.lexically_normal().string();
  std::error_code ec;
  if (!fs::is_regular_file(target, ec)) {
    run.diagnostics.push_back({severity::error, path, rulebook_path.pos,
                               fmt::format("cannot open rulebook '{}' ({} {})", rulebook_path.text, resolved,
                                           fs::exists(target, ec) ? "is not a file" : "does not exist"),
                               model.source});
    return run;
  }
  auto rules = compile_rulebook_file(resolved, run.diagnostics);
  if (!rules) {
    run.rulebook_file = resolved;
    return run;
  }
  std::vector<diagnostic> diags = std::move(run.diagnostics);
  run = run_tests(rules, model.tests, model.source);
  run.file = path;
  run.diagnostics = std::move(diags);
  return run;
}

}  // namespace decorum
