// tests/read/test_read_csv.cpp — entry point: doctest cases "read csv: …". The CSV reader (SPEC
// §3): header resolution, values and quoting (quoted cells kept exactly), bool spellings, every
// rejection reason, and the fast splitter against the careful one.
#include "support/read_fixture.hpp"

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
