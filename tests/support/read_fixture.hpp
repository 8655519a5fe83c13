// tests/support/read_fixture.hpp — the log readers' test fixture, shared by test_read.cpp
// (the file driver and cross-cutting checks), test_read_jsonl.cpp and test_read_csv.cpp: the
// schema every case reads against, records copied out of the sink, and readers of text, CSV
// text and files that check read == accepted + rejected on the way.
#pragma once

#include "decorum/read/read.hpp"

#include "decorum/rulebook/load.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

#include <thread>

#include "support/test_util.hpp"

using namespace decorum;

#if defined(__SANITIZE_ADDRESS__)
extern "C" int __sanitizer_install_malloc_and_free_hooks(void (*malloc_hook)(const volatile void*, std::size_t),
                                                         void (*free_hook)(const volatile void*));
#endif

namespace {

constexpr std::string_view rulebook_yaml = R"(decorum: 1
name: t
records:
  phone_call:
    rings: int
    opening: text
    private: bool
    duration: duration
  dress_check:
    badge: [left_chest, elsewhere, missing]
    nail_length_mm: number
    nail_polish: bool
  visit:
    purpose: text
    arrived: time
rules: []
)";

/// The schema every case uses, loaded once.
const record_schema& schema() {
  static const record_schema s = [] {
    std::vector<diagnostic> diags;
    rulebook::rulebook_model model = rulebook::load_rulebook("t.yaml", std::string(rulebook_yaml), diags);
    for (const auto& d : diags) MESSAGE(format_diagnostic(d));
    REQUIRE(!has_errors(diags));
    // `purpose` is made required here rather than with the long-hand `{type: text, required:
    // true}`, which the loader currently mishandles (it assigns through a YAML::Node
    // reference while iterating the map).
    for (auto& k : model.records)
      for (auto& f : k.fields)
        if (f.name == "purpose") f.required = true;
    return record_schema(model.records);
  }();
  return s;
}

/// A value as one comparable string: "null", "true", "n:4000000" (raw), "\"E017\"",
/// "t:<seconds>", "d:<raw seconds>".
std::string render(const value& v) {
  switch (v.type) {
    case value_type::null_: return "null";
    case value_type::boolean: return v.boolean ? "true" : "false";
    case value_type::number: return "n:" + std::to_string(v.num);
    case value_type::text: return "\"" + std::string(v.text) + "\"";
    case value_type::time: return "t:" + std::to_string(v.num);
    case value_type::duration: return "d:" + std::to_string(v.num);
    default: return "?";
  }
}

/// A copy of a record that outlives the sink call.
struct got_record {
  int kind = -1;
  timestamp time;
  std::uint32_t source = 0;
  std::uint64_t line = 0, sequence = 0;
  std::vector<std::string> values;  // rendered, by slot

  /// The rendered value of a field by name.
  std::string operator[](std::string_view name) const {
    const field_schema* f = schema().kinds()[static_cast<std::size_t>(kind)].find(name);
    REQUIRE_MESSAGE(f != nullptr, "no field ", std::string(name));
    return values[f->slot];
  }
  std::string kind_name() const { return schema().kinds()[static_cast<std::size_t>(kind)].name; }
};

/// Keeps everything it is given, in order; `events` interleaves both kinds as "line:ok" /
/// "line:reason" so input order can be checked too.
struct collect : record_sink {
  std::vector<got_record> records;
  std::vector<rejection> rejects;
  std::vector<std::string> events;
  void on_record(const record& r) override {
    got_record g;
    g.kind = r.kind;
    g.time = r.time;
    g.source = r.source;
    g.line = r.line;
    g.sequence = r.sequence;
    for (const auto& v : r.values) g.values.push_back(render(v));
    // Text views may point into the reader's buffers (valid only during this call), so
    // they are rendered into owned strings right here; ASan catches a view that dangles.
    events.push_back(std::to_string(r.line) + ":ok");
    records.push_back(std::move(g));
  }
  void on_reject(rejection r) override {
    events.push_back(std::to_string(r.line) + ":" + r.reason);
    rejects.push_back(std::move(r));
  }
};

/// Reads JSON Lines text and checks the count invariant on the way.
collect jsonl(std::string_view text, std::uint64_t first_line = 1) {
  collect c;
  const read_stats st = read_jsonl(schema(), text, 0, c, first_line);
  CHECK(st.read == st.accepted + st.rejected);
  CHECK(st.accepted == c.records.size());
  CHECK(st.rejected == c.rejects.size());
  return c;
}

/// The single rejection reason for one JSON line ("accepted" when it was accepted).
std::string jsonl_reason(std::string_view line) {
  collect c = jsonl(line);
  REQUIRE(c.records.size() + c.rejects.size() == 1);
  return c.rejects.empty() ? "accepted" : c.rejects[0].reason;
}

/// Reads CSV text (header row included).
collect csv(std::string_view text) {
  const std::size_t header_end = text.find('\n');
  std::string error;
  std::optional<csv_header> h = parse_csv_header(schema(), text.substr(0, header_end), error);
  REQUIRE_MESSAGE(h.has_value(), error);
  collect c;
  const std::string_view rows = header_end == std::string_view::npos ? std::string_view() : text.substr(header_end + 1);
  const read_stats st = read_csv_rows(schema(), *h, rows, 0, c, 2);
  CHECK(st.read == st.accepted + st.rejected);
  CHECK(st.accepted == c.records.size());
  CHECK(st.rejected == c.rejects.size());
  return c;
}

/// The header error for a CSV header row ("ok" when it parses).
std::string header_error(std::string_view header) {
  std::string error;
  return parse_csv_header(schema(), header, error) ? "ok" : error;
}

/// A scratch directory removed at exit.
const decorum::test::scratch_dir& tmp() {
  static const decorum::test::scratch_dir d("decorum_test_read");
  return d;
}

/// Reads a file through read_input and checks the count invariant.
collect from_file(const std::string& path, input_format f, text_encoding e = text_encoding::utf8,
                  std::size_t block = default_block_size, input_result* out = nullptr) {
  collect c;
  input_result r = read_input(schema(), path, f, e, 3, c, block);
  CHECK(r.stats.read == r.stats.accepted + r.stats.rejected);
  CHECK(r.stats.accepted == c.records.size());
  CHECK(r.stats.rejected == c.rejects.size());
  if (out) *out = std::move(r);
  return c;
}

std::string test_data_dir() {
#ifdef DECORUM_TEST_DIR
  return std::string(DECORUM_TEST_DIR) + "/data/read/";
#else
  return "tests/data/read/";
#endif
}

constexpr std::string_view head = R"({"time":"2026-11-03T09:12:00+08:00","employee":"E017","kind":"phone_call")";

/// A phone_call line with extra members appended.
std::string call(std::string_view extra = "") {
  std::string s(head);
  if (!extra.empty()) (s += ',') += extra;
  return s + "}";
}

}  // namespace
