// tests/fuzz/fuzz_expr.cpp — libFuzzer target: the expression grammar, type checker, constant
// folder, lowering and both interpreters. The input's first byte picks where the expression
// goes (`when`, `points`, `times`, `fine`, `deduct`), which record kind the rule is on and
// how it is written in the YAML (plain on the key's line, or a `|-` block); the rest is the
// expression, embedded into a fixed rulebook with every field type, enums and phrase sets.
// When the rulebook compiles, fixed records (ordinary values, absent fields, extremes) are
// scored with it through record_builder and the scorer, with findings kept; and for every
// rule and record the plain interpreter (evaluator::run on the folded program) and the
// lowered one (what the scorer runs) must give the same value.
#include "fuzz_common.hpp"

#include "decorum/eval/eval.hpp"
#include "decorum/api/record_builder.hpp"

#include <cstdint>
#include <limits>

namespace {

using namespace decorum;

constexpr std::string_view head = R"(decorum: 1
name: fuzz-expr
scoring:
  period: week
  floor: -100000
records:
  obs:
    n: int
    x: number
    t: text
    b: bool
    at: time
    d: duration
    e: [red, green, 蓝色, "a b"]
  other:
    n: number
    t: text
    e: [x, y]
phrases:
  greeting: [您好, hello, ＨＩ, "早上 好"]
  bad: [不知道, 知道, "a  b", ｘ]
rules:
  - id: base
    on: obs
    when: n > 0
    deduct: 1
  - id: fuzz
)";

/// The rulebook with the expression at the place the mode byte picks.
std::string rulebook_for(std::uint8_t mode, std::string_view expr) {
  static constexpr const char* keys[] = {"when", "points", "times", "fine", "deduct", "when", "bonus", "when"};
  const char* key = keys[mode & 7];
  std::string y(head);
  y += (mode & 8) ? "    on: other\n" : "    on: obs\n";
  auto put = [&](const char* k, std::string_view e) {
    y += "    ";
    y += k;
    if (mode & 16) {
      // A literal block: every line indented, taken verbatim.
      y += ": |-\n";
      std::size_t from = 0;
      for (;;) {
        const std::size_t nl = e.find('\n', from);
        y += "      ";
        y.append(e.substr(from, nl == std::string_view::npos ? std::string_view::npos : nl - from));
        y += '\n';
        if (nl == std::string_view::npos) break;
        from = nl + 1;
      }
    } else {
      y += ": ";
      y.append(e);
      y += '\n';
    }
  };
  put(key, expr);
  const std::string_view k(key);
  if (k == "when" || k == "times") y += (mode & 32) ? "    deduct: [1, 2, 5]\n    cap: 6\n" : "    points: -3\n";
  if (k == "fine") y += "    flag: fined\n";
  if (mode & 64) y += "    roles: [receptionist]\n";
  return y;
}

/// The fixed records: ordinary values, absent fields, and the extremes of every type.
struct record_spec {
  const char* kind;
  const char* time;
  const char* employee;
  const char* role;
  std::vector<std::pair<const char*, const char*>> text_fields;  // set(field, text)
  std::vector<std::pair<const char*, std::int64_t>> int_fields;  // set(field, int64)
};

const std::vector<record_spec>& records() {
  static const std::vector<record_spec> specs = {
      {"obs", "2026-11-03T09:12:00+08:00", "E1", "receptionist",
       {{"x", "2.5"}, {"t", "您好，我是 Hello"}, {"b", "yes"}, {"at", "2026-11-03T08:59:59"}, {"d", "5m"}, {"e", "red"}},
       {{"n", 4}}},
      {"obs", "2026-11-03", "E1", "", {}, {}},
      {"obs", "9999-12-31T23:59:59-14:00", "E2", "butler",
       {{"x", "9223372036854.775807"}, {"t", "  ＨＩ　 不知道不知道 a  b ｘ\u2003"}, {"b", "否"}, {"at", "9999-12-31T23:59:59+14:00"},
        {"d", "9223372036854"}, {"e", "蓝色"}},
       {{"n", std::numeric_limits<std::int64_t>::max() / 1000000}}},
      {"obs", "0001-01-01T00:00:00Z", "E3", "receptionist",
       {{"x", "-9223372036854.775807"}, {"t", ""}, {"b", "false"}, {"at", "0001-01-01"}, {"d", "0s"}, {"e", "a b"}},
       {{"n", -(std::numeric_limits<std::int64_t>::max() / 1000000)}}},
      {"obs", "2026-02-28T23:59:59", "E3", "receptionist",
       {{"x", "-0.000001"}, {"t", "知道不知道知道"}, {"b", "1"}, {"at", "2026-03-01T00:00:00+05:45"}, {"d", "1d"}, {"e", "green"}},
       {{"n", 0}}},
      {"other", "2026-11-04T12:00:00", "E1", "receptionist", {{"n", "0.000001"}, {"t", "hello"}, {"e", "y"}}, {}},
      {"other", "2027-01-01T00:00:00", "E4", "", {{"n", "-123456.5"}, {"t", "x"}}, {}},
  };
  return specs;
}

bool same_value(const value& a, const value& b) {
  if (a.type != b.type) return false;
  switch (a.type) {
    case value_type::null_: return true;
    case value_type::boolean: return a.boolean == b.boolean;
    case value_type::text: return a.text == b.text;
    default: return a.num == b.num;
  }
}

std::string shown(const value& v) {
  std::string s(to_string(v.type));
  if (v.type == value_type::boolean) s += v.boolean ? " true" : " false";
  else if (v.type == value_type::text) s += " \"" + std::string(v.text) + "\"";
  else if (v.type != value_type::null_) s += " " + std::to_string(v.num);
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t mode = data[0];
  const std::string_view expr(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::string yaml = rulebook_for(mode, expr);

  std::vector<diagnostic> diags;
  auto rs = compile_rulebook("expr.yaml", yaml, diags);
  FUZZ_CHECK(static_cast<bool>(rs) != has_errors(diags), "compile_rulebook: a rule set with errors, or none without");
  for (const auto& d : diags) (void)format_diagnostic(d);
  if (!rs) return 0;
  for (const auto& r : rs->rules()) (void)r.describe_points();

  score_options opts;
  opts.keep_findings = true;
  scorer s(rs, opts);
  const std::uint32_t src = s.add_source("records");
  evaluator ev(*rs);
  std::uint64_t line = 0;
  for (const auto& spec : records()) {
    record_builder b(*rs);
    b.origin(src, ++line).kind(spec.kind).time(spec.time).employee(spec.employee);
    if (*spec.role) b.role(spec.role);
    for (const auto& [f, v] : spec.text_fields) b.set(f, v);
    for (const auto& [f, v] : spec.int_fields) b.set(f, v);
    auto r = b.build();
    if (!r) {
      s.reject(src, line, r.error().reason);
      continue;
    }
    // Both interpreters on every program of every rule of the record's kind.
    ev.begin(*r);
    for (const auto& rule : rs->rules()) {
      if (rule.kind != r->kind) continue;
      const std::pair<const program*, const detail::lowered*> progs[] = {
          {&rule.when, &rule.when_code}, {&rule.times, &rule.times_code},
          {&rule.value, &rule.value_code}, {&rule.fine, &rule.fine_code}};
      for (const auto& [p, l] : progs) {
        if (p->empty()) continue;
        const value plain = ev.run(*p);
        const value low = ev.run(*l);
        if (!same_value(plain, low))
          fuzz::fail("the plain and the lowered interpreter disagree", shown(plain), shown(low));
      }
    }
    s.add(*r);
  }
  score_report rep = s.report();
  fuzz::check_report(rep);
  (void)write_json(rep, true);
  return 0;
}
