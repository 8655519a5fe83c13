// src/rulebook/tests_load.cpp — entry point: rulebook::load_test_file. Loads rulebook tests
// (SPEC §7): a test file (`rulebook: PATH` and `tests:`) and the `tests:` section that a
// rulebook or a test file holds — each test's name, its records and its expectations as
// untyped maps of scalars, typed later against the rulebook under test.
#include "yaml.hpp"

#include <string>
#include <utility>
#include <vector>

namespace decorum::rulebook {
namespace loading {

test_map loader::load_test_map(const YAML::Node& n, std::string_view what, int depth) {
  test_map t;
  t.pos = pos(n);
  if (!expect_map(n, what)) return t;
  for_each_entry(n, what, nullptr, [&](const std::string& key, const YAML::Node&, const YAML::Node& v) {
    if (v.IsMap() && depth == 0) {
      t.maps.push_back({key, load_test_map(v, key, depth + 1)});
    } else if (v.IsSequence() && depth == 0) {
      std::vector<scalar> items;
      for (const auto& e : v)
        if (spend(e) && expect_scalar(e, "a list item")) items.push_back(to_scalar(e));
      t.lists.emplace_back(key, std::move(items));
    } else if (v.IsScalar() || v.IsNull()) {
      scalar s = v.IsNull() ? scalar{} : to_scalar(v);
      if (v.IsNull()) s.mark = v.Mark().pos, s.pos = pos(v), s.present = true;
      t.entries.emplace_back(key, std::move(s));
    } else {
      error(diag_code::wrong_type, v, fmt::format("'{}' in {} must be a single value", key, what));
    }
  });
  return t;
}

void loader::load_tests(const YAML::Node& n, rulebook_model& m) {
  if (n.IsNull()) return;
  if (!expect_seq(n, "tests")) return;
  static const std::vector<std::string_view> keys = {"name", "records", "expect", "appeals"};
  for (const auto& item : n) {
    if (!spend(item) || !expect_map(item, "a test")) continue;
    test_decl t;
    t.pos = pos(item);
    for_each_entry(item, "a test", &keys, [&](const std::string& key, const YAML::Node&, const YAML::Node& v) {
      if (key == "name") t.name = text(v, "name");
      else if (expect_seq(v, key))
        for (const auto& e : v)
          if (spend(e))
            (key == "records" ? t.records : key == "expect" ? t.expect : t.appeals)
                .push_back(load_test_map(e, key == "records" ? "a test record" : key == "expect" ? "an expectation" : "an appeal", 0));
    });
    if (t.name.empty()) t.name = fmt::format("test at line {}", t.pos.line);
    m.tests.push_back(std::move(t));
  }
}

rulebook_model loader::run_test_file(scalar& rulebook) {
  rulebook_model m;
  m.source = file_;
  rulebook = scalar{};
  YAML::Node root;
  if (!parse_document(root, "test file", "empty test file (expected 'rulebook' and 'tests')")) return m;
  static const std::vector<std::string_view> keys = {"rulebook", "tests"};
  bool has_tests = false, has_rulebook = false;
  for_each_entry(root, "the test file", &keys, [&](const std::string& key, const YAML::Node&, const YAML::Node& v) {
    if (key == "rulebook") {
      has_rulebook = true;
      if (!expect_scalar(v, "rulebook")) return;
      rulebook = to_scalar(v);
      if (rulebook.text.empty()) {
        error(diag_code::missing_key, v, "rulebook needs a path (relative to the test file)");
        rulebook.present = false;
      }
    } else {
      has_tests = true;
      load_tests(v, m);
    }
  });
  if (!has_rulebook) error(diag_code::missing_key, {1, 1}, "missing 'rulebook' (the path of the rulebook under test)");
  if (!has_tests) error(diag_code::missing_key, {1, 1}, "missing 'tests'");
  return m;
}

}  // namespace loading

rulebook_model load_test_file(std::string name, std::string text, scalar& rulebook, std::vector<diagnostic>& diags) {
  auto file = std::make_shared<const source_file>(std::move(name), std::move(text));
  return loading::loader(file, diags).run_test_file(rulebook);
}

}  // namespace decorum::rulebook
