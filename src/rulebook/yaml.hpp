// src/rulebook/yaml.hpp — internal: the rulebook loader's YAML access (src/rulebook/yaml.cpp):
// the per-load `loader` state, its node helpers, guards, alias budget and diagnostics. The
// section loaders (src/rulebook/load.cpp) and the test loaders (src/rulebook/tests_load.cpp)
// are members of the same class and share all of it.
#pragma once

#include "decorum/rulebook/load.hpp"

#include <yaml-cpp/yaml.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

// Not `detail`: inside decorum::rulebook that name must keep meaning decorum::detail.
namespace decorum::rulebook::loading {

/// Per-load state: the file, the diagnostics and a budget against alias bombs.
class loader {
 public:
  loader(std::shared_ptr<const source_file> file, std::vector<diagnostic>& diags)
      : file_(std::move(file)), diags_(diags) {}

  /// Loads a rulebook (SPEC §1); defined in load.cpp.
  rulebook_model run();

  /// Loads a test file (SPEC §7): `rulebook: PATH` and `tests:`; the path goes to `rulebook`.
  rulebook_model run_test_file(scalar& rulebook);

 private:
  std::shared_ptr<const source_file> file_;
  std::vector<diagnostic>& diags_;
  std::size_t budget_ = 0;
  bool budget_reported_ = false;

  /// yaml-cpp marks an empty value where the next token starts (often the next line), so an
  /// empty value is blamed on its key instead.
  source_pos pos(const YAML::Node& n) const {
    if (n.IsNull() && null_value_pos_.line) return null_value_pos_;
    return file_->position_of(n.Mark().pos);
  }
  source_pos null_value_pos_;
  // One diagnostic per cause: an alias makes the loader walk one node many times, and each
  // walk would otherwise repeat the node's errors.
  void error(diag_code c, source_pos p, std::string msg, source_pos end = {}) {
    report(severity::error, c, p, std::move(msg), end);
  }
  /// An error about a node: its position, and its end when it is a scalar written on one line.
  void error(diag_code c, const YAML::Node& n, std::string msg) {
    report(severity::error, c, pos(n), std::move(msg), end_of(n));
  }
  void report(severity s, diag_code c, source_pos p, std::string msg, source_pos end);
  /// Just past a scalar node's text (quotes included) when the file holds it verbatim on one
  /// line, so the caret can underline it; {} otherwise (escapes, folded or block scalars).
  source_pos end_of(const YAML::Node& n) const;
  std::set<std::tuple<std::uint32_t, std::uint32_t, std::string>> reported_;

  /// Every node visited costs one unit; aliases make a small file describe a huge tree,
  /// so the walk stops once it has seen far more nodes than the text could hold.
  bool spend(const YAML::Node& n);

  static std::string type_name(const YAML::Node& n);

  bool expect_map(const YAML::Node& n, std::string_view what);
  bool expect_seq(const YAML::Node& n, std::string_view what);
  std::optional<std::string> expect_scalar(const YAML::Node& n, std::string_view what);

  scalar to_scalar(const YAML::Node& n);

  /// Iterates a mapping's entries, reporting non-scalar keys, duplicate keys and keys not in
  /// `allowed` (with a did-you-mean); calls f(key, value) for the accepted ones.
  template <typename F>
  void for_each_entry(const YAML::Node& map, std::string_view where, const std::vector<std::string_view>* allowed,
                      F&& f) {
    std::set<std::string> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
      if (!spend(it->first)) return;
      if (!it->first.IsScalar()) {
        error(diag_code::wrong_type, it->first, fmt::format("a key in {} must be a single value", where));
        continue;
      }
      const std::string& key = it->first.Scalar();
      if (!seen.insert(key).second) {
        error(diag_code::duplicate_key, it->first, fmt::format("duplicate key '{}' in {}", key, where));
        continue;
      }
      if (allowed && std::find(allowed->begin(), allowed->end(), key) == allowed->end()) {
        std::string hint = did_you_mean(key, *allowed);
        error(diag_code::unknown_key, it->first, hint.empty() ? fmt::format("unknown key '{}' in {}", key, where)
                                           : fmt::format("unknown key '{}' in {}; did you mean '{}'?", key, where, hint));
        continue;
      }
      null_value_pos_ = file_->position_of(it->first.Mark().pos);
      f(key, it->first, it->second);
    }
  }

  std::optional<decimal> number(const YAML::Node& n, std::string_view what, bool non_negative);
  std::string text(const YAML::Node& n, std::string_view what);
  bool boolean(const YAML::Node& n, std::string_view what, bool fallback);

  // Section loaders: load.cpp.
  void load_scoring(const YAML::Node& n, scoring_decl& sc);
  void load_records(const YAML::Node& n, rulebook_model& m);
  void load_phrases(const YAML::Node& n, rulebook_model& m);
  void load_rules(const YAML::Node& n, rulebook_model& m);
  void load_rule(const YAML::Node& n, rule_decl& r);
  // Rules across records (SPEC §8): the window and deadline keys, and which belong together.
  void load_across(const std::string& key, const YAML::Node& v, rule_decl& r);
  void check_across(const rule_decl& r);
  /// `effective: {from, until}` (SPEC §9).
  void load_effective(const YAML::Node& v, rule_decl& r);
  void load_amount(const YAML::Node& n, amount& a, std::string_view what);

  // Test loaders: tests_load.cpp.
  void load_tests(const YAML::Node& n, rulebook_model& m);
  test_map load_test_map(const YAML::Node& n, std::string_view what, int depth);

  /// The guards of run() and the YAML parse, for a test file; false after a diagnostic.
  /// The checks every YAML input gets before and while yaml-cpp parses it: size, UTF-8,
  /// emptiness, tabs, nesting, one document, a mapping at the top.
  bool parse_document(YAML::Node& root, std::string_view what, std::string_view empty_message);
};

}  // namespace decorum::rulebook::loading
