// tests/read/test_encoding.cpp — entry point: doctest cases "encoding: …". read_input,
// load_input and read_text_file with text_encoding::automatic: a BOM decides, valid (or
// mostly valid) UTF-8 stays UTF-8, GBK and code pages are detected, UTF-16 is split after
// decoding whatever the block size, and an undecodable file is one fatal error.
#include "support/read_fixture.hpp"

namespace {

/// `text` (UTF-8) as UTF-16 little- or big-endian (BMP only), with a BOM.
std::string utf16(std::string_view text, bool little) {
  std::string out = little ? "\xFF\xFE" : "\xFE\xFF";
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    unsigned cp = c;
    std::size_t n = 1;
    if (c >= 0xE0) cp = c & 0x0F, n = 3;
    else if (c >= 0xC0) cp = c & 0x1F, n = 2;
    for (std::size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    i += n;
    const char hi = static_cast<char>(cp >> 8), lo = static_cast<char>(cp & 0xFF);
    out += little ? std::string{lo, hi} : std::string{hi, lo};
  }
  return out;
}

const std::string csv_text = "time,employee,kind,name\r\n2026-11-03,E1,phone_call,王芳\r\n2026-11-03,E2,phone_call,\"欧阳\r\n娜娜\"\r\n";

}  // namespace

TEST_CASE("encoding: BOMs and detection give the same records as UTF-8, at any block size") {
  const std::string plain = tmp().write("enc-plain.csv", csv_text);
  const collect want = from_file(plain, input_format::csv, text_encoding::automatic);
  REQUIRE(want.records.size() == 2);
  CHECK(want.records[1]["name"].find("娜娜") != std::string::npos);
  // 王芳 欧阳娜娜 in GBK.
  const std::string gbk = "time,employee,kind,name\r\n2026-11-03,E1,phone_call,\xCD\xF5\xB7\xBC\r\n"
                          "2026-11-03,E2,phone_call,\"\xC5\xB7\xD1\xF4\r\n\xC4\xC8\xC4\xC8\"\r\n";
  const struct {
    const char* file;
    std::string bytes;
    const char* encoding;
  } cases[] = {
      {"enc-bom.csv", "\xEF\xBB\xBF" + csv_text, "UTF-8"},
      {"enc-le.csv", utf16(csv_text, true), "UTF-16LE"},
      {"enc-be.csv", utf16(csv_text, false), "UTF-16BE"},
      {"enc-gbk.csv", gbk, "GB18030"},
  };
  for (const auto& c : cases) {
    const std::string p = tmp().write(c.file, c.bytes);
    for (std::size_t block : {std::size_t{64}, std::size_t{67}, default_block_size}) {
      CAPTURE(c.file);
      CAPTURE(block);
      input_result res;
      const collect got = from_file(p, input_format::csv, text_encoding::automatic, block, &res);
      CHECK(res.ok());
      CHECK(res.encoding == c.encoding);
      CHECK(got.events == want.events);
      REQUIRE(got.records.size() == 2);
      CHECK(got.records[1]["name"] == want.records[1]["name"]);
    }
    std::string used;
    auto text = load_input(p, text_encoding::automatic, &used);
    REQUIRE(text);
    CHECK(*text == csv_text);
    CHECK(used == c.encoding);
    auto small = read_text_file(p, text_encoding::automatic, 1 << 20);
    REQUIRE(small);
    CHECK(*small == csv_text);
  }
}

TEST_CASE("encoding: damaged UTF-8 stays UTF-8; undecodable files and contradicting BOMs are fatal") {
  // Much UTF-8 and one stray byte: that record is rejected, the rest read as UTF-8.
  std::string damaged = csv_text + csv_text.substr(csv_text.find('\n') + 1) + "2026-11-03,E3,phone_call,\xFF\r\n";
  input_result res;
  collect c = from_file(tmp().write("enc-damaged.csv", damaged), input_format::csv, text_encoding::automatic,
                        default_block_size, &res);
  CHECK(res.encoding == "UTF-8");
  CHECK(c.records.size() == 4);
  REQUIRE(c.rejects.size() == 1);
  CHECK(c.rejects[0].reason == "invalid UTF-8 at byte 26; if the log came from Excel try --encoding gb18030");

  std::string noise;
  for (int i = 0; i < 512; ++i) noise += static_cast<char>((i * 167 + 13) % 256);
  const std::string bin = tmp().write("enc-noise.jsonl", noise);
  collect none = from_file(bin, input_format::jsonl, text_encoding::automatic, default_block_size, &res);
  REQUIRE(res.fatal);
  CHECK(res.fatal->file == bin);
  CHECK(res.fatal->message.find("give --encoding") != std::string::npos);
  CHECK(none.events.empty());
  CHECK(!load_input(bin, text_encoding::automatic));

  const std::string le = tmp().write("enc-le2.csv", utf16(csv_text, true));
  from_file(le, input_format::csv, text_encoding::utf8, default_block_size, &res);
  REQUIRE(res.fatal);
  CHECK(res.fatal->message == "starts with a UTF-16LE byte-order mark, but --encoding UTF-8 was given");
  from_file(le, input_format::csv, text_encoding::utf16le, default_block_size, &res);
  CHECK(res.ok());
}

TEST_CASE("encoding: a mapped file is judged whole, a block at a time, whatever lies on a block's edge") {
  // The whole-file UTF-8 check walks 4 MiB blocks; put a three-byte character across each
  // of the first edges (every shift of it) and, in a second file, one stray byte far past the
  // first block: the first reads as UTF-8 with nothing rejected, the second rejects only the
  // damaged record, as a small file would.
  const std::string header = "time,employee,kind,name\n";
  const std::string row = "2026-11-03,E1,phone_call,王芳\n";  // 王 and 芳: three bytes each
  constexpr std::size_t edge = std::size_t{4} << 20;
  for (std::size_t shift = 0; shift < 3; ++shift) {
    std::string text = header;
    // ASCII rows up to just before the edge, then a row whose 王 straddles it.
    const std::string ascii_row = "2026-11-03,E1,phone_call,ab\n";
    while (text.size() + ascii_row.size() + row.size() < edge) text += ascii_row;
    const std::size_t lead = edge - shift - (text.size() + row.find("王"));
    text += "2026-11-03,E1,phone_call," + std::string(lead, 'x') + "王芳\n";
    CHECK(text.substr(edge - shift, 3) == "王");
    for (int i = 0; i < 1000; ++i) text += row;
    CAPTURE(shift);
    input_result res;
    const collect got = from_file(tmp().write("enc-edge.csv", text), input_format::csv, text_encoding::automatic,
                                  default_block_size, &res);
    CHECK(res.ok());
    CHECK(res.encoding == "UTF-8");
    CHECK(got.rejects.empty());
    CHECK(got.records.size() == static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n') - 1));
  }
  std::string late = header;
  while (late.size() < 3 * edge / 2) late += row;
  late += "2026-11-03,E3,phone_call,\xFF\n";
  for (int i = 0; i < 10; ++i) late += row;
  input_result res;
  const collect got = from_file(tmp().write("enc-late.csv", late), input_format::csv, text_encoding::automatic,
                                default_block_size, &res);
  CHECK(res.encoding == "UTF-8");
  REQUIRE(got.rejects.size() == 1);
  CHECK(got.rejects[0].line == static_cast<std::uint64_t>(std::count(late.begin(), late.end(), '\n') - 10));
}
