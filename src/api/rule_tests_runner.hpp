// src/api/rule_tests_runner.hpp — internal: detail::test_runner, which runs one rulebook test
// of SPEC §7. Its work is split by job: src/api/rule_tests.cpp builds the test's records and
// scores them, src/api/rule_tests_expect.cpp reads its expectations and compares them with
// the tallies; both report through the failure helpers declared here.
#pragma once

#include "decorum/api/rule_tests.hpp"
#include "decorum/tally/tally.hpp"

#include <fmt/format.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace decorum::detail {

/// Where the key of a value is written: the nearest occurrence of `key` before the value's
/// byte offset `value_at`, not before `floor` (the start of the enclosing mapping). The
/// model keeps value positions only; the key sits just before its value in the text.
source_pos key_pos(const source_file& file, std::string_view key, std::size_t value_at, std::size_t floor,
                   source_pos fallback);

/// Per-test state: the file, the failures and the rule set.
class test_runner {
 public:
  /// Failures go to `out`; `file` is the file the test was written in.
  test_runner(std::shared_ptr<const rule_set> rules, const source_file& file, test_result& out)
      : owner_(std::move(rules)), rules_(*owner_), file_(file), out_(out) {}

  /// Builds, scores and checks one test; adds the ids of the rules that fired to `fired`.
  void run(const rulebook::test_decl& t, std::set<std::string>& fired);

 private:
  using scalar = rulebook::scalar;
  using test_map = rulebook::test_map;

  /// A wanted number and the scalar it was written as (for the mismatch's position).
  template <class T>
  using wanted = std::optional<std::pair<T, const scalar*>>;

  /// One entry of an expectation's `rules` map.
  struct rule_expect {
    std::string id;
    std::uint64_t count;
    source_pos pos;
  };
  /// One entry of an expectation's `categories` map.
  struct category_expect {
    std::string category;
    decimal points;
    source_pos pos;
  };
  /// An expectation as read from the test: which tally it names and what it wants of it.
  struct expectation {
    const scalar* employee = nullptr;
    const scalar* period = nullptr;
    const test_map* rules_map = nullptr;
    const test_map* categories_map = nullptr;
    const std::vector<scalar>* flags_list = nullptr;
    const scalar* flags_scalar = nullptr;
    std::string subject;  // the failures' subject: employee, plus the period when given
    wanted<decimal> deductions, bonuses, score, fines;
    wanted<std::uint64_t> findings, voided;
    const scalar* name = nullptr;
    const scalar* grade = nullptr;
    std::vector<rule_expect> rules;
    std::vector<category_expect> categories;
    bool valid = true;  // false once anything was malformed: nothing is then compared
  };

  std::shared_ptr<const rule_set> owner_;
  const rule_set& rules_;
  const source_file& file_;
  test_result& out_;

  /// The test's appeals (SPEC §10) checked against the rulebook; null when it has none or
  /// one is malformed (reported).
  std::shared_ptr<const appeal_set> load_appeals(const std::vector<rulebook::test_map>& maps, bool& ok);

  /// Records a malformed test (or an expectation matching no single tally).
  void error(source_pos pos, std::string message, std::string subject = {}) {
    test_failure f;
    f.subject = std::move(subject);
    f.message = std::move(message);
    f.pos = pos;
    f.error = true;
    out_.failures.push_back(std::move(f));
  }
  /// Records a value that differs from the tally's.
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

  /// The byte offset of a position in the test's file.
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

  /// Builds one test record into `rec`; false (with every error reported) when it is bad.
  bool build_record(const test_map& m, record& rec);

  /// Checks expectation `e` against the report; with `compare` false (a record was bad, so
  /// the tallies are incomplete) only its keys and values are checked (rule_tests_expect.cpp).
  void check_expect(const test_map& e, const score_report& report, bool compare);
  /// Sorts the expectation's keys into `x`, reporting unknown and misplaced ones; false when
  /// it names no employee, which ends its checking.
  bool read_expect_keys(const test_map& e, expectation& x);
  /// Reads the wanted values (numbers, counts, name, grade) into `x`, reporting bad ones.
  void read_expect_values(const test_map& e, expectation& x);
  /// Reads the `rules` and `categories` maps into `x`, reporting unknown ids and bad values.
  void read_expect_maps(expectation& x);
  /// The tally `x` names (by employee and period, or the employee's only one), or null
  /// having reported why there is none.
  const tally* pick_tally(const expectation& x, const score_report& report);
  /// Compares what `x` wants with tally `t`, in the order of the expectation keys.
  void compare_expect(const test_map& e, const expectation& x, const tally& t);
};

}  // namespace decorum::detail
