// tests/test_read.cpp — entry point: doctest cases "read*".
// Pins the log readers (SPEC §3): accepted values field by field, every rejection reason with
// its exact line, CSV quoting and line numbering, the file driver (BOM, missing files,
// directories, GBK, overlong lines, records straddling blocks), and randomised checks that
// nothing is ever lost: read == accepted + rejected, and block size never changes the outcome.
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
struct temp_dir {
  std::filesystem::path path;
  temp_dir() {
    path = std::filesystem::temp_directory_path() / ("decorum_test_read_" + std::to_string(::getpid()));
    std::filesystem::create_directories(path);
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string write(const std::string& name, std::string_view bytes) const {
    const std::string p = (path / name).string();
    std::ofstream out(p, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return p;
  }
};

const temp_dir& tmp() {
  static const temp_dir d;
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
  CHECK(r.ok == !r.fatal.has_value());
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

TEST_CASE("read jsonl: accepted values field by field") {
  const std::string text =
      call(R"("name":"王芳","role":"receptionist","rings":4,"opening":"喂,你好","private":true,"duration":90)") + "\n" +
      R"({"time":"2026-11-03 09:12","employee":17,"kind":"phone_call","rings":-2,"private":false,"duration":"5m","id":12345678901234567890})" "\n" +
      R"({"kind":"dress_check","time":"2026-11-03","employee":"E1","badge":"left_chest","nail_length_mm":2.5,"nail_polish":false})" "\n" +
      R"({"time":"2026-11-03T08:00:00Z","employee":"E2","kind":"visit","purpose":"a\"b\\c\u00e9\n","arrived":"2026-11-03T07:59:00"})" "\n" +
      call(R"("rings":4.0,"duration":2.5,"opening":null,"note":"")") + "\n" +
      call(R"("duration":"1h30m","rings":1e2)") + "\n";
  collect c = jsonl(text);
  REQUIRE(c.rejects.empty());
  REQUIRE(c.records.size() == 6);

  const got_record& a = c.records[0];
  CHECK(a.kind_name() == "phone_call");
  CHECK(a.line == 1);
  CHECK(a.sequence == 0);
  CHECK(a["employee"] == "\"E017\"");
  CHECK(a["kind"] == "\"phone_call\"");
  CHECK(a["name"] == "\"王芳\"");
  CHECK(a["role"] == "\"receptionist\"");
  CHECK(a["rings"] == "n:4000000");
  CHECK(a["opening"] == "\"喂,你好\"");
  CHECK(a["private"] == "true");
  CHECK(a["duration"] == "d:90000000");
  CHECK(a["site"] == "null");
  const std::int64_t nov3 = 20760 * 86400;
  CHECK(a["time"] == "t:" + std::to_string(nov3 + 9 * 3600 + 12 * 60));
  CHECK(a.time.local_seconds == nov3 + 9 * 3600 + 12 * 60);
  CHECK(a.time.has_offset);
  CHECK(a.time.offset_minutes == 480);

  const got_record& b = c.records[1];
  CHECK(b.line == 2);
  CHECK(b.sequence == 1);
  CHECK(b["employee"] == "\"17\"");
  CHECK(b["id"] == "\"12345678901234567890\"");  // as written, not through a double
  CHECK(b["rings"] == "n:-2000000");
  CHECK(b["private"] == "false");
  CHECK(b["duration"] == "d:300000000");
  CHECK(!b.time.has_offset);

  const got_record& d = c.records[2];
  CHECK(d.kind_name() == "dress_check");
  CHECK(d["badge"] == "\"left_chest\"");
  CHECK(d["nail_length_mm"] == "n:2500000");
  CHECK(d["nail_polish"] == "false");
  CHECK(d.time.date_only);

  const got_record& v = c.records[3];
  CHECK(v["purpose"] == "\"a\"b\\c\xC3\xA9\n\"");
  CHECK(v["arrived"] == "t:" + std::to_string(nov3 + 7 * 3600 + 59 * 60));

  const got_record& e = c.records[4];
  CHECK(e["rings"] == "n:4000000");  // an integral number is an int
  CHECK(e["duration"] == "d:2500000");
  CHECK(e["opening"] == "null");  // null is absent
  CHECK(e["note"] == "\"\"");

  CHECK(c.records[5]["duration"] == "d:5400000000");
  CHECK(c.records[5]["rings"] == "n:100000000");
}

TEST_CASE("read jsonl: every rejection reason") {
  struct row {
    std::string line;
    std::string reason;
  };
  const std::string bad_utf8 = call(R"("name":"王)" "\xCD\xF5" R"(")");
  const std::vector<row> rows = {
      {R"({"time":)", "invalid JSON: unclosed object or array"},
      {R"({"time":"2026-11-03)", "invalid JSON: unclosed string"},
      {call(R"("rings":tru)"), "invalid JSON: bad literal (expected true, false or null)"},
      {call(R"("rings":01)"), "invalid JSON: bad number 01"},
      {call(R"("rings":1.)"), "invalid JSON: bad number 1."},
      {call() + " x", "invalid JSON: unclosed object or array"},
      {call() + call(), "invalid JSON: unexpected text after the object"},
      {call() + "}", "invalid JSON: unexpected text after the object"},
      // Issue 11: simdjson stops at a NUL, and a complete object was called "unclosed".
      {call() + std::string(1, '\0'), "invalid JSON: NUL byte at byte " + std::to_string(call().size() + 1)},
      {std::string(1, '\0') + call(), "invalid JSON: NUL byte at byte 1"},
      {R"([1,2])", "expected a JSON object, got an array"},
      {R"("phone_call")", "expected a JSON object, got a string"},
      {R"(42)", "expected a JSON object, got a number"},
      {R"({"time":"2026-11-03","kind":"phone_call"})", "missing required field 'employee'"},
      {R"({"employee":"E1","kind":"phone_call"})", "missing required field 'time'"},
      {R"({"time":"2026-11-03","employee":"E1"})", "missing required field 'kind'"},
      {R"({"time":"2026-11-03","employee":"E1","kind":null})", "missing required field 'kind'"},
      {R"({"time":"2026-11-03","employee":null,"kind":"phone_call"})", "missing required field 'employee'"},
      {R"({"time":"2026-11-03","employee":"E1","kind":"visit"})", "missing required field 'purpose'"},
      {R"({"time":"2026-11-03","employee":"E1","kind":"phone_cal"})", "unknown kind 'phone_cal'; did you mean 'phone_call'?"},
      {R"({"time":"2026-11-03","employee":"E1","kind":"xyzzy"})", "unknown kind 'xyzzy'"},
      {R"({"time":"2026-11-03","employee":"E1","kind":5})", "kind: expected text, got 5"},
      {call(R"("foo":1)"), "unknown field 'foo' for kind 'phone_call'"},
      {call(R"("ring":1)"), "unknown field 'ring' for kind 'phone_call'; did you mean 'rings'?"},
      {call(R"("badge":"missing")"), "unknown field 'badge' for kind 'phone_call'"},
      {call(R"("rings":"four")"), R"(rings: expected int, got "four")"},
      {call(R"("rings":"4")"), R"(rings: expected int, got "4")"},
      {call(R"("rings":2.5)"), "rings: expected int, got 2.5"},
      {call(R"("rings":true)"), "rings: expected int, got true"},
      {call(R"("rings":1e30)"), "rings: 1e30 is out of range"},
      {call(R"("rings":{"a":1})"), "rings: expected int, got an object"},
      {call(R"("opening":[1])"), "opening: expected text, got an array"},
      {call(R"("opening":5)"), "opening: expected text, got 5"},
      {call(R"("private":"yes")"), R"(private: expected bool, got "yes")"},
      {call(R"("private":1)"), "private: expected bool, got 1"},
      {call(R"("duration":"soon")"), R"(duration: expected duration like 90s or 5m, got "soon")"},
      {call(R"("duration":-5)"), "duration: expected duration like 90s or 5m, got -5"},
      {call(R"("duration":true)"), "duration: expected duration like 90s or 5m, got true"},
      {R"({"time":"yesterday","employee":"E1","kind":"phone_call"})", R"(time: expected ISO 8601 time, got "yesterday")"},
      {R"({"time":20261103,"employee":"E1","kind":"phone_call"})", "time: expected ISO 8601 time, got 20261103"},
      {R"({"time":"2026-02-30","employee":"E1","kind":"phone_call"})", R"(time: expected ISO 8601 time, got "2026-02-30")"},
      {R"({"time":"2026-11-03","employee":2.5,"kind":"phone_call"})", "employee: expected text, got 2.5"},
      {R"({"time":"2026-11-03","employee":"","kind":"phone_call"})", "employee: must not be empty"},
      {R"({"time":"2026-11-03","employee":"E1","kind":"phone_call","id":true})", "id: expected text, got true"},
      {R"({"time":"2026-11-03","employee":"E1","kind":"dress_check","badge":"pocket"})",
       R"(badge: "pocket" is not one of left_chest, elsewhere, missing)"},
      {R"({"time":"2026-11-03","employee":"E1","kind":"dress_check","badge":3})",
       "badge: expected one of left_chest, elsewhere, missing, got 3"},
      {R"({"time":"2026-11-03","employee":"E1","kind":"dress_check","nail_length_mm":"2.5"})",
       R"(nail_length_mm: expected number, got "2.5")"},
      {R"({"time":"2026-11-03","employee":"E1","kind":"dress_check","nail_length_mm":1.0000001})",
       "nail_length_mm: 1.0000001 has more than 6 decimal places"},
      {R"({"time":"2026-11-03","employee":"E1","kind":"dress_check","nail_length_mm":1e-7})",
       "nail_length_mm: 1e-7 has more than 6 decimal places"},
      {R"({"time":"2026-11-03","employee":"E1","kind":"dress_check","nail_length_mm":-1e13})",
       "nail_length_mm: -1e13 is out of range"},
      {R"({"time":"2026-11-03","employee":"E1","kind":"visit","purpose":"x","arrived":"now"})",
       R"(arrived: expected ISO 8601 time, got "now")"},
      {call(R"("rings":1,"rings":2)"), "duplicate key 'rings'"},
      {call(R"("rings":null,"rings":2)"), "duplicate key 'rings'"},
      {call(R"("r\u0069ngs":1,"rings":2)"), "duplicate key 'rings'"},
      {R"({"time":"2026-11-03","employee":"E1","kind":"phone_call","kind":"phone_call"})", "duplicate key 'kind'"},
      {bad_utf8, "invalid UTF-8 at byte " + std::to_string(bad_utf8.find('\xCD') + 1) +
                     "; if the log came from Excel try --encoding gb18030"},
      {std::string(max_record_bytes + 1, ' '), "line longer than 1 MiB"},
      {call(R"("opening":")" + std::string(max_record_bytes, 'x') + "\""), "line longer than 1 MiB"},
      // Long values are clipped in messages.
      {call(R"("rings":")" + std::string(100, 'x') + "\""),
       R"(rings: expected int, got ")" + std::string(40, 'x') + "…\""},
  };
  for (const auto& r : rows) {
    CAPTURE(r.line.substr(0, 200));
    CHECK(jsonl_reason(r.line) == r.reason);
  }
}

TEST_CASE("read jsonl: a bad line's reason does not depend on the bytes after it (issue 11)") {
  // Found by fuzzing: `{}}` read in place, with junk after it, was "unclosed object or array";
  // read alone, "unexpected text after the object".
  for (const std::string line : {std::string("{}}"), call() + "}", call() + " x"}) {
    CAPTURE(line);
    const std::string alone = jsonl_reason(line);
    for (const std::string junk : {std::string(64, ' '), std::string("}\"\n,{:]1") + std::string(56, '['),
                                   std::string(64, '"')}) {
      std::string buf = line + junk;
      collect c;
      jsonl_reader reader(schema());
      reader.read(std::string_view(buf.data(), line.size()), 0, c, 1, junk.size());
      REQUIRE(c.rejects.size() == 1);
      CHECK(c.rejects[0].reason == alone);
    }
  }
}

TEST_CASE("read jsonl: line numbers, blank lines, CRLF, BOM and a truncated last line") {
  const std::string text = "\xEF\xBB\xBF" + call() + "\r\n" +  // 1
                           "\r\n" +                            // 2 blank
                           "   \t\n" +                         // 3 blank
                           call(R"("rings":"x")") + "\n" +     // 4 rejected
                           "\n" +                              // 5 blank
                           call(R"("rings":3)") + "\r\n" +     // 6
                           R"({"time":"2026-11-03","employ)";  // 7 truncated
  collect c = jsonl(text);
  REQUIRE(c.events.size() == 4);
  CHECK(c.events[0] == "1:ok");
  CHECK(c.events[1] == R"(4:rings: expected int, got "x")");
  CHECK(c.events[2] == "6:ok");
  CHECK(c.events[3] == "7:invalid JSON: unclosed string");
  CHECK(c.records[1].sequence == 1);  // a running count of accepted records

  // A complete last line without a line break is a record like any other.
  collect last = jsonl(call() + "\n" + call(R"("rings":5)"));
  REQUIRE(last.records.size() == 2);
  CHECK(last.records[1]["rings"] == "n:5000000");
  CHECK(last.records[1].line == 2);

  // Lines count from first_line when a caller parses a later block.
  collect later = jsonl(call() + "\n\n" + "{", 41);
  CHECK(later.events == std::vector<std::string>{"41:ok", "43:invalid JSON: unclosed object or array"});

  CHECK(jsonl("").events.empty());
  CHECK(jsonl("\n\n \n").events.empty());
}

TEST_CASE("read csv: header resolution") {
  CHECK(header_error("time,employee,kind,rings,badge") == "ok");
  CHECK(header_error("\xEF\xBB\xBFtime,employee,kind\r\n") == "ok");
  CHECK(header_error(R"("time", employee ,"kind")") == "ok");
  CHECK(header_error("time,employee,kind,colour") ==
        "unknown column 'colour' (column 4): no record kind has such a field");
  CHECK(header_error("time,employee,kind,ringz") ==
        "unknown column 'ringz' (column 4): no record kind has such a field; did you mean 'rings'?");
  CHECK(header_error("time,employee,rings,kind,rings") == "duplicate column 'rings' (columns 3 and 5)");
  CHECK(header_error("time,kind,rings") == "missing required column 'employee'");
  CHECK(header_error("employee,kind") == "missing required column 'time'");
  CHECK(header_error("time,employee,badge") == "missing required column 'kind'");
  CHECK(header_error(R"(time,employee,kind,"rings)") == "column 4: unterminated quoted name");

  std::string error;
  std::optional<csv_header> h = parse_csv_header(schema(), "rings,kind,time,employee,badge,", error);
  REQUIRE(h);
  CHECK(h->column_count() == 6);
  CHECK(h->kind_column == 1);
  CHECK(h->time_column == 2);
  CHECK(h->employee_column == 3);
  const std::size_t phone = static_cast<std::size_t>(schema().find_kind("phone_call"));
  const std::size_t dress = static_cast<std::size_t>(schema().find_kind("dress_check"));
  CHECK(h->slot(phone, 0) == schema().kinds()[phone].find("rings")->slot);
  CHECK(h->slot(phone, 1) == slot::kind);
  CHECK(h->slot(phone, 4) == csv_header::no_slot);
  CHECK(h->slot(dress, 0) == csv_header::no_slot);
  CHECK(h->slot(dress, 4) == schema().kinds()[dress].find("badge")->slot);
  CHECK(h->slot(dress, 5) == csv_header::no_slot);  // an unnamed column
}

TEST_CASE("read csv: values, quoting and line numbers") {
  const std::string text =
      "time,employee,kind,name,rings,opening,private,duration,badge,nail_length_mm,nail_polish,note\r\n"  // 1
      "2026-11-03 09:12,E017,phone_call,王芳,4,\"喂,你好\",yes,90s,,,,\r\n"                              // 2
      "2026-11-03T09:13:00+08:00,17,phone_call,,05,\"she said \"\"hi\"\"\",否,5m,,,,\r\n"                 // 3
      "\r\n"                                                                                               // 4 blank
      "2026-11-03,E2,dress_check,,,,,,missing,05.50,TRUE,\"two\r\nlines\"\r\n"                             // 5-6
      ",,,,,,,,,,,\r\n"                                                                                    // 7 blank
      "2026-11-03,E3,phone_call,,-3,,0,300,,,,\r\n"                                                        // 8
      "2026-11-03,E4,phone_call,, 7 ,,No,,,,,\"\"\n";                                                      // 9
  collect c = csv(text);
  for (const auto& r : c.rejects) MESSAGE(r.line, ": ", r.reason);
  REQUIRE(c.rejects.empty());
  REQUIRE(c.records.size() == 5);
  const got_record& a = c.records[0];
  CHECK(a.line == 2);
  CHECK(a["employee"] == "\"E017\"");
  CHECK(a["name"] == "\"王芳\"");
  CHECK(a["rings"] == "n:4000000");
  CHECK(a["opening"] == "\"喂,你好\"");
  CHECK(a["private"] == "true");
  CHECK(a["duration"] == "d:90000000");
  CHECK(a["note"] == "null");
  const got_record& b = c.records[1];
  CHECK(b.line == 3);
  CHECK(b["employee"] == "\"17\"");
  CHECK(b["name"] == "null");
  CHECK(b["rings"] == "n:5000000");
  CHECK(b["opening"] == "\"she said \"hi\"\"");
  CHECK(b["private"] == "false");
  CHECK(b["duration"] == "d:300000000");
  CHECK(b.time.has_offset);
  const got_record& d = c.records[2];
  CHECK(d.line == 5);
  CHECK(d["badge"] == "\"missing\"");
  CHECK(d["nail_length_mm"] == "n:5500000");
  CHECK(d["nail_polish"] == "true");
  CHECK(d["note"] == "\"two\r\nlines\"");
  CHECK(c.records[3].line == 8);  // the embedded line break moved it down one line
  CHECK(c.records[3]["rings"] == "n:-3000000");
  CHECK(c.records[3]["private"] == "false");
  CHECK(c.records[3]["duration"] == "d:300000000");
  CHECK(c.records[4].line == 9);
  CHECK(c.records[4]["rings"] == "n:7000000");  // unquoted cells are trimmed
  CHECK(c.records[4]["private"] == "false");
  CHECK(c.records[4]["note"] == "null");  // "" is an empty cell
  CHECK(c.records[4].sequence == 4);
}

TEST_CASE("read csv: quoted cells are kept exactly, as JSON Lines keeps strings (issue 11)") {
  // Before the fix the careful splitter trimmed the unquoted text: `" ab "` had 2 characters,
  // `"  "` was an absent field and `"E2 "` became `E2`.
  const std::string header = "time,employee,kind,name,opening\n";
  collect c = csv(header +
                  "2026-11-03,\"E2 \",phone_call,\" ab \",\"  \"\n"  // 2
                  "2026-11-03,E3,phone_call, ab ,\"\"\n");                  // 3: unquoted is trimmed
  for (const auto& r : c.rejects) MESSAGE(r.line, ": ", r.reason);
  REQUIRE(c.records.size() == 2);
  CHECK(c.records[0]["employee"] == "\"E2 \"");
  CHECK(c.records[0]["name"] == "\" ab \"");
  CHECK(c.records[0]["opening"] == "\"  \"");  // present: has(opening) is true
  CHECK(c.records[1]["name"] == "\"ab\"");
  CHECK(c.records[1]["opening"] == "null");  // "" is an empty cell, hence absent (SPEC §3)

  // The same values through JSON Lines give the same record.
  collect j = jsonl(R"({"time":"2026-11-03","employee":"E2 ","kind":"phone_call","name":" ab ","opening":"  "})");
  REQUIRE(j.records.size() == 1);
  CHECK(j.records[0].values == c.records[0].values);

  // A quoted number keeps its spaces too, so it is no number; the reason says so.
  collect n = csv("time,employee,kind,rings\n2026-11-03,E1,phone_call,\" 5\"\n");
  REQUIRE(n.rejects.size() == 1);
  CHECK(n.rejects[0].reason.find("rings") != std::string::npos);
}

TEST_CASE("read csv: bool spellings") {
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"yes", "true"},  {"YES", "true"},   {"Yes", "true"},  {"true", "true"},   {"True", "true"}, {"1", "true"},
      {"是", "true"},   {"no", "false"},   {"NO", "false"},  {"false", "false"}, {"FALSE", "false"},
      {"0", "false"},   {"否", "false"},
  };
  for (const auto& row : rows) {
    const auto& cell = row.first;  // not a structured binding: clang 14 cannot capture one
    const auto& want = row.second;
    CAPTURE(cell);
    collect c = csv("time,employee,kind,private\n2026-11-03,E1,phone_call," + cell + "\n");
    REQUIRE(c.records.size() == 1);
    CHECK(c.records[0]["private"] == want);
  }
  collect bad = csv("time,employee,kind,private\n2026-11-03,E1,phone_call,maybe\n2026-11-03,E1,phone_call,2\n");
  REQUIRE(bad.rejects.size() == 2);
  CHECK(bad.rejects[0].reason == R"(private: expected bool, got "maybe")");
  CHECK(bad.rejects[1].reason == R"(private: expected bool, got "2")");
}

TEST_CASE("read csv: every rejection reason") {
  const std::string header = "time,employee,kind,rings,badge,nail_length_mm,,purpose\n";
  struct row {
    std::string line;
    std::string reason;
  };
  const std::vector<row> rows = {
      {"2026-11-03,E1,phone_call,4,,", "expected 8 cells, got 6"},
      {"2026-11-03,E1,phone_call,4,,,,,", "expected 8 cells, got 9"},
      {"2026-11-03,E1,phone_call,4,left_chest,,,", "unknown field 'badge' for kind 'phone_call'"},
      {"2026-11-03,E1,phone_call,4,,,x,", "column 7 has a value but no name in the header"},
      {"2026-11-03,E1,phone_call,4,,,,x", "unknown field 'purpose' for kind 'phone_call'"},
      {"2026-11-03,E1,visit,,,,,", "missing required field 'purpose'"},
      {"2026-11-03,,phone_call,4,,,,", "missing required field 'employee'"},
      {",E1,phone_call,4,,,,", "missing required field 'time'"},
      {"2026-11-03,E1,,4,,,,", "missing required field 'kind'"},
      {"2026-11-03,E1,phone_cal,4,,,,", "unknown kind 'phone_cal'; did you mean 'phone_call'?"},
      {"2026-11-03,E1,phone_call,four,,,,", R"(rings: expected int, got "four")"},
      {"2026-11-03,E1,phone_call,2.5,,,,", R"(rings: expected int, got "2.5")"},
      {"2026-11-03,E1,phone_call,1e30,,,,", R"(rings: "1e30" is out of range)"},
      {"2026-11-03,E1,dress_check,,pocket,,,", R"(badge: "pocket" is not one of left_chest, elsewhere, missing)"},
      {"2026-11-03,E1,dress_check,,,2.5mm,,", R"(nail_length_mm: expected number, got "2.5mm")"},
      {"2026-11-03,E1,dress_check,,,0.0000001,,", R"(nail_length_mm: "0.0000001" has more than 6 decimal places)"},
      {"2026/11/03,E1,phone_call,4,,,,", R"(time: expected ISO 8601 time, got "2026/11/03")"},
      {"2026-11-03,E1,phone_call,\"4\"x,,,,", "column 4: text after the closing quote"},
      {"2026-11-03,E1,phone_call,4\",,,,\n,\"", "column 8: line break outside quotes (unbalanced quote?)"},
      {"2026-11-03,\xCD\xF5,phone_call,4,,,,", "invalid UTF-8 at byte 12; if the log came from Excel try --encoding gb18030"},
      {"2026-11-03,E1,phone_call,4,,,,\"" + std::string(max_record_bytes, 'x') + "\"", "row longer than 1 MiB"},
      {"2026-11-03,E1,phone_call,4,,,,\"never closed\nstill open", "unterminated quoted cell (missing closing quote)"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.line.substr(0, 200));
    collect c = csv(header + r.line);
    REQUIRE(c.rejects.size() == 1);
    CHECK(c.records.empty());
    CHECK(c.rejects[0].line == 2);
    CHECK(c.rejects[0].reason == r.reason);
  }
}

TEST_CASE("read input: files, BOM, CRLF and fatal problems") {
  const std::string dir = test_data_dir();

  SUBCASE("a mixed JSON Lines file from tests/data") {
    collect c = from_file(dir + "mixed.jsonl", input_format::jsonl);
    CHECK(c.events == std::vector<std::string>{"1:ok", "2:ok", R"(4:rings: expected int, got "four")",
                                               "5:unknown kind 'phone'", "6:invalid JSON: unclosed string"});
    REQUIRE(c.records.size() == 2);
    CHECK(c.records[0].source == 3);
    CHECK(c.records[1]["badge"] == "\"left_chest\"");
  }
  SUBCASE("an Excel-style CSV from tests/data: BOM, CRLF, quoted line break") {
    collect c = from_file(dir + "excel.csv", input_format::csv);
    CHECK(c.events == std::vector<std::string>{"2:ok", "3:ok", "6:expected 5 cells, got 4", "7:ok"});
    REQUIRE(c.records.size() == 3);
    CHECK(c.records[1]["opening"] == "\"您好,\r\n请讲\"");
    CHECK(c.records[2]["employee"] == "\"E003\"");
  }
  SUBCASE("empty files read nothing") {
    for (const char* bytes : {"", "\xEF\xBB\xBF", "\n\r\n"}) {
      input_result r;
      collect a = from_file(tmp().write("empty.jsonl", bytes), input_format::jsonl, text_encoding::utf8,
                            default_block_size, &r);
      CHECK(r.ok);
      CHECK(r.stats == read_stats{});
      collect b = from_file(tmp().write("empty.csv", bytes), input_format::csv, text_encoding::utf8,
                            default_block_size, &r);
      CHECK(r.ok);
      CHECK(r.stats == read_stats{});
    }
    input_result r;
    from_file(tmp().write("header_only.csv", "time,employee,kind\r\n"), input_format::csv, text_encoding::utf8,
              default_block_size, &r);
    CHECK(r.ok);
    CHECK(r.stats.read == 0);
  }
  SUBCASE("a missing file") {
    input_result r;
    from_file(tmp().path.string() + "/no-such.jsonl", input_format::jsonl, text_encoding::utf8, default_block_size, &r);
    REQUIRE(r.fatal);
    CHECK(!r.ok);
    CHECK(r.fatal->file == tmp().path.string() + "/no-such.jsonl");
    CHECK(r.fatal->message == "cannot open log: no such file or directory");
  }
  SUBCASE("a directory") {
    input_result r;
    from_file(tmp().path.string(), input_format::csv, text_encoding::utf8, default_block_size, &r);
    REQUIRE(r.fatal);
    CHECK(r.fatal->message == "is a directory, not a log file");
  }
  SUBCASE("an unknown CSV column fails the file before any row") {
    input_result r;
    collect c = from_file(tmp().write("unknown.csv", "\n\"time\",employee,kind,颜色\n2026-11-03,E1,phone_call,red\n"),
                          input_format::csv, text_encoding::utf8, default_block_size, &r);
    REQUIRE(r.fatal);
    CHECK(c.events.empty());
    CHECK(r.stats.read == 0);
    CHECK(r.fatal->message == "unknown column '颜色' (column 4): no record kind has such a field");
    CHECK(r.fatal->pos.line == 2);
    CHECK(r.fatal->pos.column == 22);
    CHECK(format_diagnostic(*r.fatal).find("^") != std::string::npos);
  }
  SUBCASE("a missing CSV column") {
    input_result r;
    from_file(tmp().write("missing.csv", "time,kind\n"), input_format::csv, text_encoding::utf8, default_block_size, &r);
    REQUIRE(r.fatal);
    CHECK(r.fatal->message == "missing required column 'employee'");
    CHECK(r.fatal->pos.line == 1);
  }
  SUBCASE("standard input") {
    // Redirect stdin to a file for the duration of the read.
    const std::string p = tmp().write("stdin.jsonl", call() + "\n");
    const int saved = ::dup(0);
    std::FILE* f = std::fopen(p.c_str(), "rb");
    REQUIRE(f);
    ::dup2(::fileno(f), 0);
    input_result r;
    collect c = from_file("-", input_format::jsonl, text_encoding::utf8, default_block_size, &r);
    ::dup2(saved, 0);
    ::close(saved);
    std::fclose(f);
    CHECK(r.ok);
    CHECK(c.records.size() == 1);
  }
}

TEST_CASE("read input: GBK and GB18030") {
  // 王芳 in GBK is CD F5 B7 BC; 喂 is CE B9.
  const std::string gbk_jsonl = R"({"time":"2026-11-03","employee":"E1","kind":"phone_call","name":")"
                                "\xCD\xF5\xB7\xBC"
                                R"(","opening":")"
                                "\xCE\xB9"
                                "\"}\n";
  const std::string p = tmp().write("gbk.jsonl", gbk_jsonl);

  collect plain = from_file(p, input_format::jsonl);
  REQUIRE(plain.rejects.size() == 1);
  CHECK(plain.rejects[0].line == 1);
  CHECK(plain.rejects[0].reason == "invalid UTF-8 at byte " + std::to_string(gbk_jsonl.find('\xCD') + 1) +
                                       "; if the log came from Excel try --encoding gb18030");

  for (text_encoding e : {text_encoding::gbk, text_encoding::gb18030}) {
    collect c = from_file(p, input_format::jsonl, e);
    REQUIRE(c.records.size() == 1);
    CHECK(c.records[0]["name"] == "\"王芳\"");
    CHECK(c.records[0]["opening"] == "\"喂\"");
  }

  // CSV from Excel on a Chinese Windows: GBK with CRLF; tiny blocks split the two-byte characters.
  const std::string gbk_csv = "time,employee,kind,name\r\n2026-11-03,E1,phone_call,\xCD\xF5\xB7\xBC\r\n"
                              "2026-11-03,E2,phone_call,\x80\r\n"
                              "2026-11-03,E3,phone_call,\xCD\xF5\r\n";
  const std::string q = tmp().write("gbk.csv", gbk_csv);
  for (std::size_t block : {std::size_t{64}, std::size_t{65}, default_block_size}) {
    CAPTURE(block);
    collect c = from_file(q, input_format::csv, text_encoding::gb18030, block);
    REQUIRE(c.records.size() == 2);
    CHECK(c.records[0]["name"] == "\"王芳\"");
    CHECK(c.records[1]["name"] == "\"王\"");
    REQUIRE(c.rejects.size() == 1);
    CHECK(c.rejects[0].line == 3);
    CHECK(c.rejects[0].reason == "bytes that are not valid GB18030; check --encoding");
  }
  // A character cut off by the end of the file rejects only the last record.
  collect cut = from_file(tmp().write("cut.jsonl", call() + "\n" + call(R"("name":")") + "\xCD"),
                          input_format::jsonl, text_encoding::gbk);
  CHECK(cut.events == std::vector<std::string>{"1:ok", "2:bytes that are not valid GBK; check --encoding"});
}

TEST_CASE("read input: lines over 1 MiB are rejected without buffering them") {
  const std::string huge_json = call(R"("opening":")" + std::string(max_record_bytes + 10, 'x') + "\"");
  const std::string text = call() + "\n" + huge_json + "\n" + call(R"("rings":2)") + "\n" + huge_json;
  const std::string p = tmp().write("huge.jsonl", text);
  for (std::size_t block : {std::size_t{4096}, std::size_t{300'000}, default_block_size}) {
    CAPTURE(block);
    collect c = from_file(p, input_format::jsonl, text_encoding::utf8, block);
    CHECK(c.events == std::vector<std::string>{"1:ok", "2:line longer than 1 MiB", "3:ok", "4:line longer than 1 MiB"});
  }
  // CSV: the overlong row spans lines inside quotes; the next row keeps its physical line.
  const std::string huge_cell = "\"" + std::string(max_record_bytes / 2, 'y') + "\n" +
                                std::string(max_record_bytes / 2 + 10, 'z') + "\"";
  const std::string csv_text = "time,employee,kind,note\n2026-11-03,E1,phone_call,a\n2026-11-03,E2,phone_call," +
                               huge_cell + "\n2026-11-03,E3,phone_call,b\n";
  const std::string q = tmp().write("huge.csv", csv_text);
  for (std::size_t block : {std::size_t{4096}, default_block_size}) {
    CAPTURE(block);
    collect c = from_file(q, input_format::csv, text_encoding::utf8, block);
    CHECK(c.events == std::vector<std::string>{"2:ok", "3:row longer than 1 MiB", "5:ok"});
  }
}

TEST_CASE("read input: records straddling block boundaries") {
  // Records of varied lengths (some with multi-byte characters and, in CSV, quoted line
  // breaks) read with many block sizes must give exactly what one whole-buffer pass gives.
  std::string jsonl_text, csv_text = "time,employee,kind,note,rings\r\n";
  for (int i = 0; i < 300; ++i) {
    const std::string note = std::string(static_cast<std::size_t>(i % 37), 'n') + (i % 3 ? "王芳" : "");
    jsonl_text += call(R"("note":")" + note + R"(","rings":)" + std::to_string(i)) + (i % 5 ? "\n" : "\r\n");
    if (i % 7 == 0) jsonl_text += "\n";
    if (i % 11 == 0) jsonl_text += call(R"("rings":"bad")") + "\n";
    csv_text += "2026-11-03,E" + std::to_string(i) + ",phone_call,\"" + note + (i % 4 ? "" : "\r\nmore,\"\"x\"\"") +
                "\"," + std::to_string(i) + "\r\n";
    if (i % 13 == 0) csv_text += "2026-11-03,E,phone_call,x\r\n";
  }
  const std::string pj = tmp().write("blocks.jsonl", jsonl_text);
  const std::string pc = tmp().write("blocks.csv", csv_text);
  const collect whole_j = jsonl(jsonl_text);
  const collect whole_c = csv(csv_text);
  REQUIRE(whole_j.records.size() == 300);
  REQUIRE(whole_c.records.size() == 300);
  CHECK(whole_c.records[299].line == 2 + 299 + 75 + 23);  // 75 quoted line breaks, 23 bad rows before it
  for (std::size_t block : {64, 65, 100, 127, 256, 1000, 4099, 1 << 20}) {
    CAPTURE(block);
    collect j = from_file(pj, input_format::jsonl, text_encoding::utf8, block);
    CHECK(j.events == whole_j.events);
    REQUIRE(j.records.size() == whole_j.records.size());
    for (std::size_t i = 0; i < j.records.size(); ++i) {
      CHECK(j.records[i].values == whole_j.records[i].values);
      CHECK(j.records[i].sequence == i);
    }
    collect c = from_file(pc, input_format::csv, text_encoding::utf8, block);
    CHECK(c.events == whole_c.events);
    REQUIRE(c.records.size() == whole_c.records.size());
    for (std::size_t i = 0; i < c.records.size(); ++i) CHECK(c.records[i].values == whole_c.records[i].values);
  }
}

TEST_CASE("read: adversarial lines stay cheap and are rejected, not crashed on") {
  // A GBK trail byte 0x5C is a backslash: 乗 (81 5C) escapes the closing quote, yet the
  // message must still be about the encoding.
  CHECK(jsonl_reason(call(R"("name":")" "\x81\x5C" R"(")")) ==
        "invalid UTF-8 at byte " + std::to_string(call().size() + 9) +
            "; if the log came from Excel try --encoding gb18030");
  CHECK(jsonl_reason(call(R"("rings":)" + std::string(5000, '[') + std::string(5000, ']'))) ==
        "rings: expected int, got an array");
  CHECK(jsonl_reason(std::string(5000, '[') + std::string(5000, ']')) == "expected a JSON object, got an array");
  CHECK(jsonl_reason(call(R"("rings":1e999999999999)")) == "rings: 1e999999999999 is out of range");
  CHECK(jsonl_reason(call(R"("opening":"\ud800")")) == "invalid JSON: bad string escape");
  CHECK(jsonl_reason(call(R"("rings":1,)")) ==
        "invalid JSON: malformed structure (missing comma, colon, key or bracket?)");
  CHECK(jsonl_reason(call(R"("rings":  7  )") + "  ") == "accepted");
  std::string many_keys(head);
  for (int i = 0; i < 50'000; ++i) many_keys += ",\"k" + std::to_string(i) + "\":1";
  CHECK(jsonl_reason(many_keys + "}") == "unknown field 'k0' for kind 'phone_call'");
  std::string repeated(head);
  for (int i = 0; i < 50'000; ++i) repeated += ",\"note\":null";
  CHECK(jsonl_reason(repeated + "}") == "duplicate key 'note'");
  const std::string long_key(100'000, 'q');
  CHECK(jsonl_reason(call("\"" + long_key + "\":1")) ==
        "unknown field '" + std::string(40, 'q') + "…' for kind 'phone_call'");

  // A header of half a million columns is refused quickly (duplicates are found by map).
  std::string wide = "time,employee,kind";
  for (int i = 0; i < 500'000; ++i) wide += ",";
  wide += "rings,rings";
  CHECK(header_error(wide) == "duplicate column 'rings' (columns 500003 and 500004)");
}

TEST_CASE("read: last_record_boundary and format_from_path") {
  CHECK(last_record_boundary("", input_format::jsonl) == 0);
  CHECK(last_record_boundary("{}", input_format::jsonl) == 0);
  CHECK(last_record_boundary("{}\n{}\n{", input_format::jsonl) == 6);
  CHECK(last_record_boundary("a,b\n\"x\ny\",z\n\"open\n", input_format::csv) == 12);
  CHECK(last_record_boundary("a,\"b\"\"\nc\"\n", input_format::csv) == 10);
  CHECK(last_record_boundary("\"\n", input_format::csv) == 0);

  CHECK(format_from_path("a/b.jsonl") == input_format::jsonl);
  CHECK(format_from_path("b.NDJSON") == input_format::jsonl);
  CHECK(format_from_path("x.y/b.CSV") == input_format::csv);
  CHECK(format_from_path("b.json") == std::nullopt);
  CHECK(format_from_path("csv") == std::nullopt);
  CHECK(format_from_path("dir.csv/file") == std::nullopt);
}

TEST_CASE("read: randomised lines never lose a record") {
  std::mt19937_64 rng(20261103);
  const std::vector<std::string> pieces = {
      call(), call(R"("rings":4)"), call(R"("rings":"x")"), "{", "}", "\"", ",", "[", "]", ":", "null", "1e5",
      R"("rings")", R"("kind":"phone_call")", "王", "\xCD", "\xFF", "\r", " ", "\t", "\\", "\\u12", "0", "-",
      R"({"time":"2026-11-03","employee":"E1","kind":"dress_check","badge":"missing"})", "\"\"", "tru", "x"};
  for (int round = 0; round < 300; ++round) {
    std::string text;
    std::uint64_t lines = 0, non_blank = 0;
    const int n = static_cast<int>(rng() % 40);
    for (int i = 0; i < n; ++i) {
      std::string line;
      const int parts = static_cast<int>(rng() % 6);
      for (int k = 0; k < parts; ++k) line += pieces[rng() % pieces.size()];
      if (rng() % 10 == 0 && !line.empty()) line.resize(rng() % line.size());  // truncate mid-token
      bool blank = true;
      for (char ch : line)
        if (ch != ' ' && ch != '\t' && ch != '\r') blank = false;
      non_blank += blank ? 0 : 1;
      ++lines;
      text += line;
      if (i + 1 < n || rng() % 2) text += '\n';
    }
    CAPTURE(text);
    collect j;
    const read_stats sj = read_jsonl(schema(), text, 0, j);
    CHECK(sj.read == sj.accepted + sj.rejected);
    CHECK(sj.read == non_blank);
    CHECK(j.events.size() == sj.read);

    collect c;
    std::string error;
    std::optional<csv_header> h = parse_csv_header(schema(), "time,employee,kind,rings,note", error);
    REQUIRE(h);
    const read_stats sc = read_csv_rows(schema(), *h, text, 0, c, 2);
    CHECK(sc.read == sc.accepted + sc.rejected);
    CHECK(c.events.size() == sc.read);

    // Through the driver with small blocks the outcome is the same.
    const std::string p = tmp().write("random.jsonl", text);
    collect d = from_file(p, input_format::jsonl, text_encoding::utf8, 64 + rng() % 64);
    CHECK(d.events == j.events);
    const std::string q = tmp().write("random.csv", "time,employee,kind,rings,note\n" + text);
    collect e = from_file(q, input_format::csv, text_encoding::utf8, 64 + rng() % 64);
    CHECK(e.events == c.events);
    (void)lines;
  }
}

#if defined(__SANITIZE_ADDRESS__)
namespace {
thread_local bool read_counting = false;
thread_local std::size_t read_allocations = 0;
void read_count_malloc(const volatile void*, std::size_t) {
  if (read_counting) ++read_allocations;
}
void read_ignore_free(const volatile void*) {}

/// Counts records without allocating.
struct counting_sink : record_sink {
  std::uint64_t records = 0, rejects = 0;
  void on_record(const record&) override { ++records; }
  void on_reject(rejection) override { ++rejects; }
};
}  // namespace

TEST_CASE("read: no allocation per record after warm-up") {
  static const bool installed = __sanitizer_install_malloc_and_free_hooks(read_count_malloc, read_ignore_free) != 0;
  REQUIRE(installed);
  std::string jsonl_text, csv_text;
  for (int i = 0; i < 200; ++i) {
    jsonl_text += call(R"("name":"王芳","note":"a\"b","rings":)" + std::to_string(i % 9) + R"(,"duration":"5m","private":true)") + "\n";
    csv_text += "2026-11-03," + std::to_string(i) + ",phone_call,\"a,\"\"b\"\"\"," + std::to_string(i % 9) + ",yes\r\n";
  }
  counting_sink sink;
  jsonl_reader jr(schema());
  jr.read(jsonl_text, 0, sink, 1);  // warm-up: buffers grow to the longest line
  read_allocations = 0;
  read_counting = true;
  jr.read(jsonl_text, 0, sink, 1);
  read_counting = false;
  CHECK(read_allocations == 0);

  std::string error;
  csv_reader cr(schema(), *parse_csv_header(schema(), "time,employee,kind,note,rings,private", error));
  cr.read(csv_text, 0, sink, 2);
  read_allocations = 0;
  read_counting = true;
  cr.read(csv_text, 0, sink, 2);
  read_counting = false;
  CHECK(read_allocations == 0);
  CHECK(sink.records == 800);
  CHECK(sink.rejects == 0);
}
#endif

TEST_CASE("read: times through the common-spelling fast path and parse_time agree") {
  // Expected seconds worked out from the calendar: 2026-11-03 is day 20,760 after 1970-01-01,
  // so 09:12 that day is 20,760 × 86,400 + 33,120 = 1,793,697,120.
  struct row {
    std::string_view text;
    bool fast;            // parse_common_time takes it
    bool valid;           // parse_time accepts it
    std::int64_t seconds;
    std::int32_t offset;
    bool has_offset;
  };
  const row rows[] = {
      {"2026-11-03T09:12:00", true, true, 1'793'697'120, 0, false},
      {"2026-11-03 09:12", true, true, 1'793'697'120, 0, false},
      {"2026-11-03t09:12:07", true, true, 1'793'697'127, 0, false},
      {"2026-11-03T09:12:00+08:00", true, true, 1'793'697'120, 480, true},
      {"2026-11-03T09:12-05:30", true, true, 1'793'697'120, -330, true},
      {"2026-11-03T09:12:00Z", true, true, 1'793'697'120, 0, true},
      {"2026-11-03 09:12:00z", true, true, 1'793'697'120, 0, true},
      {"2026-11-03T09:12:60", true, true, 1'793'697'179, 0, false},  // leap second stays in its minute
      {"2024-02-29T00:00:00", true, true, 1'709'164'800, 0, false},
      {"0001-01-01T00:00:00", true, true, -62'135'596'800, 0, false},
      {"9999-12-31T23:59:59", true, true, 253'402'300'799, 0, false},
      // Accepted only by the general path.
      {"2026-11-03", false, true, 1'793'664'000, 0, false},
      {"2026-11-03T09:12:00.123", false, true, 1'793'697'120, 0, false},
      {"2026-11-03T09:12:00,5+08:00", false, true, 1'793'697'120, 480, true},
      {"2026-11-03T09:12:00+0800", false, true, 1'793'697'120, 480, true},
      // Rejected by both.
      {"2026-02-29T00:00:00", false, false, 0, 0, false},
      {"2026-11-31T00:00:00", false, false, 0, 0, false},
      {"2026-13-01T00:00:00", false, false, 0, 0, false},
      {"2026-00-01T00:00:00", false, false, 0, 0, false},
      {"0000-01-01T00:00:00", false, false, 0, 0, false},
      {"2026-11-03T24:00:00", false, false, 0, 0, false},
      {"2026-11-03T09:60:00", false, false, 0, 0, false},
      {"2026-11-03T09:12:61", false, false, 0, 0, false},
      {"2026-11-03T09:12:00+24:00", false, false, 0, 0, false},
      {"2026-11-03T09:12:00+08:60", false, false, 0, 0, false},
      {"2026-11-03T09:12:00+08:0", false, false, 0, 0, false},
      {"2026-11-03X09:12:00", false, false, 0, 0, false},
      {"2026-11-03T09:1a:00", false, false, 0, 0, false},
      {"2026-11-03T09:12:00 ", false, false, 0, 0, false},
      {"2026-11-03T09:12:", false, false, 0, 0, false},
      {"2026/11/03T09:12:00", false, false, 0, 0, false},
  };
  field_schema f;
  f.name = "arrived";
  f.type = rulebook::field_type::time;
  for (const row& r : rows) {
    CAPTURE(r.text);
    timestamp fast;
    CHECK(detail::parse_common_time(r.text, fast) == r.fast);
    const std::optional<timestamp> general = parse_time(r.text);
    REQUIRE(general.has_value() == r.valid);
    if (r.fast) CHECK(fast == *general);
    value v;
    timestamp t;
    std::string reason;
    CHECK(detail::convert_text_fast(f, r.text, true, v, reason, &t) == r.valid);
    CHECK(detail::convert_text(f, r.text, false, v, reason, &t) == r.valid);
    if (!r.valid) {
      CHECK(reason == "arrived: expected ISO 8601 time, got \"" + std::string(r.text) + "\"");
      continue;
    }
    CHECK(v.type == value_type::time);
    CHECK(v.num == r.seconds);
    CHECK(t.local_seconds == r.seconds);
    CHECK(t.offset_minutes == r.offset);
    CHECK(t.has_offset == r.has_offset);
  }
}

TEST_CASE("read: convert_text_fast gives enum values their ordinal, like convert_text") {
  const field_schema& badge = *schema().kinds()[static_cast<std::size_t>(schema().find_kind("dress_check"))].find("badge");
  const std::pair<std::string_view, std::int64_t> cases[] = {{"left_chest", 1}, {"elsewhere", 2}, {"missing", 3}};
  for (const auto& [text, num] : cases) {
    value fast, slow;
    std::string reason;
    CHECK(detail::convert_text_fast(badge, text, false, fast, reason));
    CHECK(detail::convert_text(badge, text, false, slow, reason));
    CHECK(fast.num == num);
    CHECK(slow.num == num);
    CHECK(fast.text == text);
  }
  value v;
  std::string reason;
  CHECK_FALSE(detail::convert_text_fast(badge, "Missing", false, v, reason));
  CHECK(reason == "badge: \"Missing\" is not one of left_chest, elsewhere, missing");
}

TEST_CASE("read jsonl: key order changes, escaped keys and duplicates after a guessed order") {
  // The reader guesses each key from the one that followed the previous key last time; every
  // line here breaks the previous line's order some way.
  const std::string text =
      R"({"time":"2026-11-03T09:12:00","employee":"E1","kind":"phone_call","rings":3})" "\n"
      R"({"time":"2026-11-03T09:12:00","employee":"E2","kind":"phone_call","rings":4})" "\n"   // same order
      R"({"kind":"phone_call","rings":5,"employee":"E3","time":"2026-11-03 09:13"})" "\n"     // reversed
      R"({"time":"2026-11-03T09:12:00","employee":"E4","name":"N","kind":"phone_call"})" "\n" // one inserted
      R"({"t\u0069me":"2026-11-03T09:12:00","employee":"E\u0035","kin\u0064":"phone_call"})" "\n"  // escaped keys
      R"({"time":"2026-11-03T09:12:00","employee":"E6","kind":"phone_call","time":"2026-11-03"})" "\n"
      R"({"time":"2026-11-03T09:12:00","employee":"E7","ki\u006ed":"phone_call","kind":"visit"})" "\n"
      R"({"time":"2026-11-03T09:12:00","employee":"E8","kindx":"phone_call","kind":"phone_call"})" "\n"
      R"({"time":"2026-11-03T09:12:00","employee":"E9","kind":"phone_call","rings":6})" "\n";
  collect c = jsonl(text);
  REQUIRE(c.records.size() == 6);
  REQUIRE(c.rejects.size() == 3);
  CHECK(c.records[0]["employee"] == "\"E1\"");
  CHECK(c.records[1]["rings"] == "n:4000000");
  CHECK(c.records[2]["employee"] == "\"E3\"");
  CHECK(c.records[2]["rings"] == "n:5000000");
  CHECK(c.records[2].time.local_seconds == 1'793'697'180);
  CHECK(c.records[3]["name"] == "\"N\"");
  CHECK(c.records[4]["employee"] == "\"E5\"");
  CHECK(c.records[4].kind_name() == "phone_call");
  CHECK(c.records[4].time.local_seconds == 1'793'697'120);
  CHECK(c.records[5]["employee"] == "\"E9\"");
  CHECK(c.records[5]["rings"] == "n:6000000");
  CHECK(c.rejects[0].line == 6);
  CHECK(c.rejects[0].reason == "duplicate key 'time'");
  CHECK(c.rejects[1].line == 7);
  CHECK(c.rejects[1].reason == "duplicate key 'kind'");
  CHECK(c.rejects[2].line == 8);
  CHECK(c.rejects[2].reason == "unknown field 'kindx' for kind 'phone_call'; did you mean 'kind'?");
}

TEST_CASE("read csv: the fast splitter and the careful one agree on cells") {
  // Rows are long enough to cross 16-byte blocks at varied places; each row's cells are
  // worked out by hand. Rows with a quote anywhere take the careful path.
  const std::string header = "time,employee,kind,name,rings,opening,private,duration,badge,nail_length_mm,nail_polish,note\n";
  struct row {
    std::string text;
    std::string outcome;  // "ok" or the rejection reason
    std::string name, opening, note;
  };
  const row rows[] = {
      {"2026-11-03T09:12:00,E1,phone_call,Alexandra Longname,3,hello there,yes,90s,,,,\n", "ok", "\"Alexandra Longname\"",
       "\"hello there\"", "null"},
      {"2026-11-03T09:12:00,E1,phone_call,,3,,yes,90s,,,,\r\n", "ok", "null", "null", "null"},
      {"2026-11-03T09:12:00,E1,phone_call,  padded  ,3,,yes,90s,,,,last\r\n", "ok", "\"padded\"", "null", "\"last\""},
      {"2026-11-03T09:12:00,E1,phone_call,,3,\"a,b\",yes,90s,,,,\r\n", "ok", "null", "\"a,b\"", "null"},
      {"2026-11-03T09:12:00,E1,phone_call,,3,,yes,90s,,,,\"x\"\"y\"\n", "ok", "null", "null", "\"x\"y\""},
      {"2026-11-03T09:12:00,E1,phone_call,a\"b\"c,3,,yes,90s,,,,\n", "ok", "\"a\"b\"c\"", "null", "null"},
      {"2026-11-03T09:12:00,E1,phone_call,,3,,yes,90s,,,\n", "expected 12 cells, got 11", "", "", ""},
      {"2026-11-03T09:12:00,E1,phone_call,,3,,yes,90s,,,,,\n", "expected 12 cells, got 13", "", "", ""},
      {"2026-11-03T09:12:00,E1,phone_call,,3,,yes,90s,,,,,,,,,,,,,,,,,,,,,,,,\n", "expected 12 cells, got 32", "", "", ""},
      {"2026-11-03T09:12:00,E1,phone_call,,3,,yes,90s,missing,,,\n", "unknown field 'badge' for kind 'phone_call'", "", "",
       ""},
      {"2026-11-03T09:12:00,E1,phone_call,,3,,yes,90s,,,,\r", "ok", "null", "null", "null"},  // last row, no LF
      {"2026-11-03T09:12:00,E1,phone_call,,3,,yes,90s,,,,note\r\r\n", "ok", "null", "null", "\"note\r\""},
  };
  for (const row& r : rows) {
    CAPTURE(r.text);
    collect c = csv(header + r.text);
    REQUIRE(c.records.size() + c.rejects.size() == 1);
    if (r.outcome != "ok") {
      REQUIRE(c.rejects.size() == 1);
      CHECK(c.rejects[0].reason == r.outcome);
      CHECK(c.rejects[0].line == 2);
      continue;
    }
    REQUIRE(c.records.size() == 1);
    CHECK(c.records[0].line == 2);
    CHECK(c.records[0]["name"] == r.name);
    CHECK(c.records[0]["opening"] == r.opening);
    CHECK(c.records[0]["note"] == r.note);
    CHECK(c.records[0]["rings"] == "n:3000000");
  }
  // Blank rows of every shape are skipped, also one with more commas than columns; line
  // numbers keep counting through them.
  collect c = csv(header + "\n,,,\r\n , ,\t,,,,,,,,,,,,,,,,,,,,,,,,,\n\r\n" +
                  "2026-11-03T09:12:00,E1,phone_call,,3,,yes,90s,,,,\n");
  REQUIRE(c.rejects.empty());
  REQUIRE(c.records.size() == 1);
  CHECK(c.records[0].line == 6);
}

TEST_CASE("read jsonl: the flat fast path and simdjson agree at every edge") {
  // Flat lines are read without simdjson; anything the fast path does not take goes to
  // simdjson. Each row is read alone and inside a block of lines (so the bytes after it
  // are the next line, not padding): the outcome must be the same either way.
  struct row {
    std::string line;
    std::string want;  // "accepted:<field>=<rendered>" or the rejection reason
  };
  const std::vector<row> rows = {
      {" \t{ \"time\" : \"2026-11-03T09:12:00\" ,\"employee\":\"E1\",\"kind\":\"phone_call\" , \"rings\" : 3 } \t",
       "accepted:rings=n:3000000"},
      {call(R"("rings":-1.5e1)"), "accepted:rings=n:-15000000"},
      {call(R"("opening":"您好！小区客服中心")"), "accepted:opening=\"您好！小区客服中心\""},
      {call(R"("opening":"a)" "\x7F" R"(b")"), "accepted:opening=\"a\x7F" "b\""},  // DEL needs no escape
      {call(R"("opening":"a\"b")"), "accepted:opening=\"a\"b\""},                    // escape: simdjson
      {call(R"("opening":"\u60a8\u597d")"), "accepted:opening=\"您好\""},
      {call(R"("private":true,"duration":null)"), "accepted:private=true"},
      {call(R"("private":false)"), "accepted:private=false"},
      {R"({"ti\u006de":"2026-11-03T09:12:00","employee":"E1","kind":"phone_call"})", "accepted:employee=\"E1\""},
      {call(R"("opening":"a)" "\x01" R"(b")"), "invalid JSON: control character in a string"},
      {call(R"("opening":"王)" "\xCD\xF5" R"(")"),
       "invalid UTF-8 at byte 108: \\xcd\\xf5\"} (is the log GBK? try --encoding gbk)"},
      {call("\"opening\":\"\xED\xA0\x80\""), "invalid UTF-8"},  // a surrogate is not UTF-8
      {call(R"("rings":{"a":1})"), "rings: expected int, got an object"},
      {call(R"("rings":[1])"), "rings: expected int, got an array"},
      {call(R"("rings":3,"rings":4)"), "duplicate key 'rings'"},
      {call(R"("rings":truex)"), "invalid JSON: bad literal (expected true, false or null)"},
      {call(R"("rings":nul)"), "invalid JSON: bad literal (expected true, false or null)"},
      {call(R"("rings":1e)"), "invalid JSON: bad number 1e"},
      {call(R"("rings":+1)"), "invalid JSON: malformed structure (missing comma, colon, key or bracket?)"},
      {call(R"("rings" 3)"), "invalid JSON: malformed structure (missing comma, colon, key or bracket?)"},
      {call(R"("rings":3,)"), "invalid JSON: malformed structure (missing comma, colon, key or bracket?)"},
      {call(R"("名":3)"), "unknown field '名' for kind 'phone_call'"},
      {call(R"("opening":"abc)"), "invalid JSON: unclosed string"},
      {R"({"time":"2026-11-03T09:12:00","employee":"E1","kind":"phone_call"} x)",
       "invalid JSON: unclosed object or array"},  // simdjson's wording, pinned above too
      {"{}", "missing required field 'kind'"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.line);
    for (int inside = 0; inside < 2; ++inside) {
      const std::string text = inside ? call() + "\n" + r.line + "\n" + call(R"("opening":"x")") + "\n" : r.line;
      collect c = jsonl(text);
      const std::size_t at = inside ? 1 : 0;
      std::string got;
      const auto reject = std::find_if(c.rejects.begin(), c.rejects.end(), [&](const rejection& j) { return j.line == at + 1; });
      if (reject != c.rejects.end()) {
        got = reject->reason;
      } else {
        const auto rec = std::find_if(c.records.begin(), c.records.end(), [&](const got_record& g) { return g.line == at + 1; });
        REQUIRE(rec != c.records.end());
        const std::string field = r.want.substr(9, r.want.find('=') - 9);
        got = "accepted:" + field + "=" + (*rec)[field];
      }
      if (r.want == "invalid UTF-8") CHECK(got.rfind("invalid UTF-8", 0) == 0);
      else if (r.want.rfind("invalid UTF-8", 0) == 0) CHECK(got.rfind("invalid UTF-8", 0) == 0);
      else CHECK(got == r.want);
      CHECK(c.records.size() + c.rejects.size() == (inside ? 3u : 1u));
    }
  }
}

namespace {

/// Reads `text` through a named pipe, so read_input takes its read(2) path rather than
/// mapping the file.
collect from_pipe(const std::string& name, std::string_view text, input_format f, std::size_t block) {
  const std::string p = (tmp().path / name).string();
  ::unlink(p.c_str());
  REQUIRE(::mkfifo(p.c_str(), 0600) == 0);
  std::thread writer([&] {
    std::ofstream out(p, std::ios::binary);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
  });
  collect c = from_file(p, f, text_encoding::utf8, block);
  writer.join();
  ::unlink(p.c_str());
  return c;
}

}  // namespace

TEST_CASE("read input: a mapped file and a pipe give the same records") {
  // Regular files are memory-mapped; pipes are read with read(2). Both must split alike:
  // BOM, blank lines before a CSV header, quoted line breaks, over-long records, and a file
  // whose last record ends right at a page boundary (its chunk is copied to get padding).
  std::string jsonl_text = "\xEF\xBB\xBF";
  std::string csv_text = "\xEF\xBB\xBF\n \n" "time,employee,kind,note,rings\n";
  for (int i = 0; i < 200; ++i) {
    jsonl_text += call(R"("note":")" + std::string(static_cast<std::size_t>(i % 29), 'n') + R"(王","rings":)" +
                       std::to_string(i)) + "\n";
    csv_text += "2026-11-03,E" + std::to_string(i) + ",phone_call,\"a\nb" + std::string(static_cast<std::size_t>(i % 31), 'x') +
                "\"," + std::to_string(i) + "\n";
  }
  jsonl_text += call(R"("opening":")" + std::string(max_record_bytes + 5, 'x') + "\"") + "\n" + call() + "\n";
  csv_text += "2026-11-03,E,phone_call,\"" + std::string(max_record_bytes + 5, 'y') + "\",1\n2026-11-03,E9,phone_call,z,2";
  // Pad the JSON Lines text with blank lines to an exact multiple of 4096 bytes.
  const std::size_t page = 4096;
  std::string exact = jsonl_text.substr(0, 3) + call() + "\n";
  exact.append(page - exact.size() % page - (call().size() + 1), ' ');
  exact += call() + "\n";
  REQUIRE(exact.size() % page == 0);
  const std::string pj = tmp().write("mapped.jsonl", jsonl_text);
  const std::string pc = tmp().write("mapped.csv", csv_text);
  const std::string pe = tmp().write("exact.jsonl", exact);
  for (std::size_t block : {std::size_t{64}, std::size_t{777}, std::size_t{70'000}, default_block_size}) {
    CAPTURE(block);
    const collect mj = from_file(pj, input_format::jsonl, text_encoding::utf8, block);
    const collect pj2 = from_pipe("pipe.jsonl", jsonl_text, input_format::jsonl, block);
    CHECK(mj.records.size() == 201);
    CHECK(mj.events == pj2.events);
    CHECK(mj.events[200] == "201:line longer than 1 MiB");
    for (std::size_t i = 0; i < std::min(mj.records.size(), pj2.records.size()); ++i)
      CHECK(mj.records[i].values == pj2.records[i].values);
    const collect mc = from_file(pc, input_format::csv, text_encoding::utf8, block);
    const collect pc2 = from_pipe("pipe.csv", csv_text, input_format::csv, block);
    CHECK(mc.records.size() == 201);
    CHECK(mc.events == pc2.events);
    CHECK(mc.events.front() == "4:ok");
    CHECK(mc.events[200] == "404:row longer than 1 MiB");
    CHECK(mc.events[201] == "405:ok");
    for (std::size_t i = 0; i < std::min(mc.records.size(), pc2.records.size()); ++i)
      CHECK(mc.records[i].values == pc2.records[i].values);
    const collect me = from_file(pe, input_format::jsonl, text_encoding::utf8, block);
    CHECK(me.events == std::vector<std::string>{"1:ok", "2:ok"});
  }
}

TEST_CASE("read: the block-wide CSV boundary scan agrees with a line-by-line reference") {
  // The reference is the rule itself: a line break ends a record when the quotes before it
  // (since a point known to be outside quotes) are even. Texts are dense in quotes and line
  // breaks, and are scanned in growing pieces so the quote state crosses calls and 64-byte
  // blocks at every offset.
  std::mt19937 rng(7);
  const char alphabet[] = {'"', '"', '\n', '\n', ',', 'a', ' ', '\r'};
  for (int round = 0; round < 400; ++round) {
    std::string text(static_cast<std::size_t>(rng() % 300), 'x');
    for (char& ch : text) ch = rng() % 3 == 0 ? alphabet[rng() % sizeof alphabet] : 'x';
    std::vector<std::size_t> ends;  // reference: offsets just past each record end
    bool inside = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '"') inside = !inside;
      else if (text[i] == '\n' && !inside) ends.push_back(i + 1);
    }
    CAPTURE(text);
    detail::boundary_scanner scanner{input_format::csv, false};
    std::size_t from = 0;
    while (from < text.size()) {
      const std::size_t to = std::min(text.size(), from + 1 + static_cast<std::size_t>(rng() % 130));
      const std::size_t got = scanner.scan(std::string_view(text.data(), to), from);
      std::size_t want = std::string_view::npos;
      bool want_inside = false;
      for (std::size_t e : ends)
        if (e > from && e <= to) want = e;
      for (std::size_t i = 0; i < to; ++i) want_inside ^= text[i] == '"';
      CHECK(got == want);
      CHECK(scanner.in_quotes == want_inside);
      from = to;
    }
    CHECK(last_record_boundary(text, input_format::csv) == (ends.empty() ? 0 : ends.back()));
    // first: the first record end at or after `from`, with the state left as after it.
    for (std::size_t start = 0; start <= text.size(); start += 1 + rng() % 40) {
      bool before = false;
      for (std::size_t i = 0; i < start; ++i) before ^= text[i] == '"';
      detail::boundary_scanner first{input_format::csv, before};
      const std::size_t got = first.first(text, start);
      const auto it = std::find_if(ends.begin(), ends.end(), [&](std::size_t e) { return e > start; });
      if (it == ends.end()) {
        CHECK(got == std::string_view::npos);
        bool after = false;
        for (char ch : text) after ^= ch == '"';
        CHECK(first.in_quotes == after);
      } else {
        CHECK(got == *it);
        CHECK_FALSE(first.in_quotes);
      }
    }
  }
}

TEST_CASE("read csv: rows read together or one by one give the same outcome") {
  // One reader keeps its buffers and record between rows; nothing of one row may show in
  // the next. Rows mix valid and invalid values, empties, padding, quotes, unknown columns
  // and wrong cell counts (up to far more than the buffers keep), so every path runs after
  // every other.
  const std::string header = "time,employee,kind,rings,badge,nail_length_mm,,purpose,opening,private\n";
  const std::vector<std::string> kinds = {"phone_call", "dress_check", "visit", "phone_cal", "", " visit "};
  const std::vector<std::string> cells = {"4",     " 7 ",   "2.5", "x",   "\"q,r\"", "left_chest", "pocket",
                                          "yes",   " \t",   "\"a\"\"b\"", "hello world", "90s", "\"\""};
  std::mt19937 rng(11);
  std::size_t accepted = 0;
  for (int round = 0; round < 300; ++round) {
    std::vector<std::string> rows;
    const int count = 1 + static_cast<int>(rng() % 6);
    for (int r = 0; r < count; ++r) {
      std::string row = rng() % 8 == 0 ? "" : "2026-11-03T09:12:00";
      row += rng() % 8 == 0 ? "," : ",E1";
      row += "," + kinds[rng() % kinds.size()];
      std::size_t extra = 7;
      if (rng() % 5 == 0) extra = static_cast<std::size_t>(rng() % 120);
      // Mostly empty, as in real logs, so that many rows are accepted.
      for (std::size_t c = 0; c < extra; ++c) row += "," + (rng() % 3 != 0 ? std::string() : cells[rng() % cells.size()]);
      row += rng() % 3 == 0 ? "\r\n" : "\n";
      rows.push_back(row);
    }
    std::string all = header;
    for (const auto& r : rows) all += r;
    CAPTURE(all);
    const collect together = csv(all);
    std::vector<std::string> alone;  // events of each row read by a fresh reader
    std::vector<std::vector<std::string>> alone_values;
    for (const auto& r : rows) {
      const collect one = csv(header + r);
      for (const auto& e : one.events) alone.push_back(e);
      for (const auto& rec : one.records) alone_values.push_back(rec.values);
    }
    // Line numbers differ (each alone starts on line 2): compare the outcomes only.
    std::vector<std::string> joined;
    for (const auto& e : together.events) joined.push_back(e.substr(e.find(':')));
    for (auto& e : alone) e = e.substr(e.find(':'));
    CHECK(joined == alone);
    REQUIRE(together.records.size() == alone_values.size());
    for (std::size_t i = 0; i < alone_values.size(); ++i) CHECK(together.records[i].values == alone_values[i]);
    accepted += alone_values.size();
  }
  CHECK(accepted > 30);  // the mix must not drift into rejecting everything
}

namespace {

/// Wants only records with id "b"; counts what the reader asked about.
struct id_filter_sink : collect {
  mutable std::vector<std::string> asked;
  bool filters_ids() const noexcept override { return true; }
  bool wants_id(std::string_view id) const override {
    asked.emplace_back(id);
    return id == "b";
  }
};

}  // namespace

TEST_CASE("read: a sink that filters ids gets every record it may want, and only those are typed") {
  // The duplicate-id check reads the inputs again for a few ids. A record whose id the
  // reader can see exactly is skipped when refused; any doubt (escapes, a later key,
  // spaces around a CSV cell, quotes in the row) means a full parse, so nothing wanted is lost.
  const std::string jsonl_text =
      R"({"id":"a","time":"2026-11-03T09:12:00","employee":"E1","kind":"phone_call"})" "\n"
      R"({"id":"b","time":"2026-11-03T09:12:00","employee":"E2","kind":"phone_call"})" "\n"
      R"({"time":"2026-11-03T09:12:00","id":"a","employee":"E3","kind":"phone_call"})" "\n"
      R"({"id":"\u0062","time":"2026-11-03T09:12:00","employee":"E4","kind":"phone_call"})" "\n"
      R"({"id":"a","time":"bad","employee":"E5","kind":"phone_call"})" "\n"
      R"({"id":"b","time":"bad","employee":"E6","kind":"phone_call"})" "\n";
  id_filter_sink j;
  const read_stats sj = read_jsonl(schema(), jsonl_text, 0, j);
  CHECK(sj.read == 6);
  CHECK(sj.read == sj.accepted + sj.rejected);
  CHECK(j.asked == std::vector<std::string>{"a", "b", "a", "b"});  // lines 1, 2, 5, 6
  // Line 1 and 5 skipped; 2 accepted; 3 and 4 parsed in full (id not leading, escaped); 6 rejected.
  CHECK(j.events == std::vector<std::string>{"2:ok", "3:ok", "4:ok",
                                             "6:time: expected ISO 8601 time, got \"bad\""});
  REQUIRE(j.records.size() == 3);
  CHECK(j.records[2]["id"] == "\"b\"");

  const std::string csv_text =
      "time,id,employee,kind,opening\n"
      "2026-11-03,a,E1,phone_call,x\n"
      "2026-11-03,b,E2,phone_call,x\n"
      "2026-11-03, b ,E3,phone_call,x\n"
      "2026-11-03,a,E4,phone_call,\"q\"\n"
      "2026-11-03,,E5,phone_call,x\n";
  std::string error;
  std::optional<csv_header> h = parse_csv_header(schema(), csv_text.substr(0, csv_text.find('\n')), error);
  REQUIRE(h.has_value());
  id_filter_sink c;
  const read_stats sc = read_csv_rows(schema(), *h, std::string_view(csv_text).substr(csv_text.find('\n') + 1), 0, c, 2);
  CHECK(sc.read == 5);
  CHECK(sc.read == sc.accepted + sc.rejected);
  CHECK(c.asked == std::vector<std::string>{"a", "b", ""});  // rows 2, 3, 6
  CHECK(c.events == std::vector<std::string>{"3:ok", "4:ok", "5:ok"});
  REQUIRE(c.records.size() == 3);
  CHECK(c.records[1]["id"] == "\"b\"");
}
