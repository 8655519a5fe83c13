// tests/read/test_assemble.cpp — entry point: doctest cases "assemble: …". The shared steps of
// record assembly (src/read/assemble.hpp), which the JSON Lines and CSV readers, the record
// builder and the rule-test loader all go through: each step's messages word for word, and the
// rules that differ by where a text comes from (an empty employee, CSV spellings).
#include "../../src/read/assemble.hpp"

#include "decorum/compile/compile.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

using namespace decorum;

namespace {

constexpr const char* yaml = R"(decorum: 1
name: assemble-test
records:
  phone_call:
    rings: int
    private: bool
  dress_check:
    nail_length_mm: {type: number, required: true}
rules:
  - id: rings
    on: phone_call
    when: rings > 3
    deduct: 10
)";

std::shared_ptr<const rule_set> rules() {
  static const std::shared_ptr<const rule_set> r = [] {
    std::vector<diagnostic> diags;
    auto set = compile_rulebook("assemble-test.yaml", yaml, diags);
    REQUIRE(set);
    return set;
  }();
  return r;
}

/// The readers' index of the kind names.
detail::name_index kind_index(const record_schema& s) {
  std::vector<std::string_view> names;
  for (const auto& k : s.kinds()) names.push_back(k.name);
  return detail::name_index(names);
}

const kind_schema& kind_named(const record_schema& s, std::string_view name) {
  const int k = s.find_kind(name);
  REQUIRE(k >= 0);
  return s.kinds()[static_cast<std::size_t>(k)];
}

}  // namespace

TEST_CASE("assemble: resolving the kind, with and without the readers' index") {
  const record_schema& s = rules()->schema();
  const detail::name_index kinds = kind_index(s);
  std::string reason;
  CHECK(detail::resolve_kind(s, kinds, std::string_view("dress_check"), reason) == s.find_kind("dress_check"));
  CHECK(detail::resolve_kind(s, std::string_view("dress_check"), reason) == s.find_kind("dress_check"));
  CHECK(reason.empty());

  CHECK(detail::resolve_kind(s, kinds, std::nullopt, reason) == -1);
  CHECK(reason == "missing required field 'kind'");
  reason.clear();
  CHECK(detail::resolve_kind(s, std::nullopt, reason) == -1);
  CHECK(reason == "missing required field 'kind'");

  CHECK(detail::resolve_kind(s, kinds, std::string_view("phone_cal"), reason) == -1);
  CHECK(reason == "unknown kind 'phone_cal'; did you mean 'phone_call'?");
  reason.clear();
  CHECK(detail::resolve_kind(s, std::string_view("phone_cal"), reason) == -1);
  CHECK(reason == "unknown kind 'phone_cal'; did you mean 'phone_call'?");
  // An empty name is a kind's name like any other (the caller decides whether it is "none").
  CHECK(detail::resolve_kind(s, kinds, std::string_view(""), reason) == -1);
  CHECK(reason == "unknown kind ''");
}

TEST_CASE("assemble: a field name to its slot, or the unknown-field message") {
  const record_schema& s = rules()->schema();
  const kind_schema& ks = kind_named(s, "phone_call");
  std::string reason;
  const field_schema* f = detail::resolve_field(ks, "rings", reason);
  REQUIRE(f);
  CHECK(f->name == "rings");
  CHECK(detail::known_slot(f->slot, ks, "rings", reason));
  CHECK(reason.empty());

  CHECK_FALSE(detail::resolve_field(ks, "rngs", reason));
  CHECK(reason == "unknown field 'rngs' for kind 'phone_call'; did you mean 'rings'?");
  reason.clear();
  CHECK_FALSE(detail::known_slot(detail::no_slot, ks, "rngs", reason));
  CHECK(reason == "unknown field 'rngs' for kind 'phone_call'; did you mean 'rings'?");
}

TEST_CASE("assemble: converting one text into its slot") {
  const record_schema& s = rules()->schema();
  const kind_schema& ks = kind_named(s, "phone_call");
  const std::uint32_t rings = ks.find("rings")->slot;
  const std::uint32_t priv = ks.find("private")->slot;
  record rec;
  rec.reset(s.max_slots());
  std::string reason;

  SUBCASE("the kind keeps its text") {
    REQUIRE(detail::convert_field_text(ks, slot::kind, "phone_call", detail::text_origin::json_string,
                                       rec.values[slot::kind], rec.time, reason));
    CHECK(rec.text(slot::kind) == "phone_call");
  }
  SUBCASE("a time also lands in the record's timestamp") {
    REQUIRE(detail::convert_field_text(ks, slot::time, "2026-11-03T09:30:00+08:00", detail::text_origin::csv_cell,
                                       rec.values[slot::time], rec.time, reason));
    CHECK(rec.values[slot::time].present());
    CHECK(rec.time.has_offset);
    CHECK(rec.time.offset_minutes == 480);
    CHECK(rec.time.local_seconds == rec.values[slot::time].num);
  }
  SUBCASE("an empty employee is refused where a text can be empty") {
    for (auto origin : {detail::text_origin::json_string, detail::text_origin::given}) {
      reason.clear();
      CHECK_FALSE(detail::convert_field_text(ks, slot::employee, "", origin, rec.values[slot::employee], rec.time,
                                             reason));
      CHECK(reason == "employee: must not be empty");
    }
  }
  SUBCASE("CSV spellings are read from cells and given texts, not from JSON strings") {
    CHECK(detail::convert_field_text(ks, rings, "4", detail::text_origin::csv_cell, rec.values[rings], rec.time,
                                     reason));
    CHECK(detail::convert_field_text(ks, priv, "是", detail::text_origin::given, rec.values[priv], rec.time, reason));
    CHECK(reason.empty());
    CHECK_FALSE(detail::convert_field_text(ks, rings, "4", detail::text_origin::json_string, rec.values[rings],
                                           rec.time, reason));
    CHECK(reason == "rings: expected int, got \"4\"");
    CHECK_FALSE(detail::convert_field_text(ks, rings, "四", detail::text_origin::csv_cell, rec.values[rings],
                                           rec.time, reason));
    CHECK(reason == "rings: expected int, got \"四\"");
  }
}

TEST_CASE("assemble: the required-field check names the first missing field") {
  const record_schema& s = rules()->schema();
  const kind_schema& ks = kind_named(s, "dress_check");
  std::size_t required = 0;
  for (const auto& f : ks.fields) required += f.required;
  record rec;
  rec.reset(s.max_slots());
  std::string reason;
  CHECK(detail::required_present(ks, rec, required, required, reason));
  CHECK(reason.empty());
  CHECK_FALSE(detail::required_present(ks, rec, 0, required, reason));
  CHECK(reason == "missing required field 'time'");
  rec.values[slot::time] = value::of_time(0);
  rec.values[slot::employee] = value::of_text("E1");
  rec.values[slot::kind] = value::of_text("dress_check");
  CHECK_FALSE(detail::required_present(ks, rec, 3, required, reason));
  CHECK(reason == "missing required field 'nail_length_mm'");
}
