// tests/read/test_read.cpp — entry point: doctest cases "read input: …" and "read: …". The file
// driver (BOM, missing files, directories, GBK, overlong lines, records straddling blocks,
// mapped files against pipes) and randomised checks that nothing is ever lost: read ==
// accepted + rejected, and block size never changes the outcome. The JSON Lines and CSV
// readers' own cases are in test_read_jsonl.cpp and test_read_csv.cpp.
#include "support/read_fixture.hpp"

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
      CHECK(r.ok());
      CHECK(r.stats == read_stats{});
      collect b = from_file(tmp().write("empty.csv", bytes), input_format::csv, text_encoding::utf8,
                            default_block_size, &r);
      CHECK(r.ok());
      CHECK(r.stats == read_stats{});
    }
    input_result r;
    from_file(tmp().write("header_only.csv", "time,employee,kind\r\n"), input_format::csv, text_encoding::utf8,
              default_block_size, &r);
    CHECK(r.ok());
    CHECK(r.stats.read == 0);
  }
  SUBCASE("a missing file") {
    input_result r;
    from_file(tmp().path.string() + "/no-such.jsonl", input_format::jsonl, text_encoding::utf8, default_block_size, &r);
    REQUIRE(r.fatal);
    CHECK(!r.ok());
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
    CHECK(r.ok());
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
