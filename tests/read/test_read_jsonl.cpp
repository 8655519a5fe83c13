// tests/read/test_read_jsonl.cpp — entry point: doctest cases "read jsonl: …". The JSON Lines
// reader (SPEC §3): accepted values field by field, every rejection reason, line numbers, key
// orders, and the flat fast path against simdjson.
#include "support/read_fixture.hpp"

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
