// Tests for decorum::detail::fold_text and phrase_set (SPEC §2 "Phrase matching"): hand-worked
// tables, then randomised agreement with a naive reference matcher.
#include "decorum/compile/phrase_set.hpp"

#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

using decorum::detail::fold_text;
using decorum::detail::fold_text_view;
using decorum::detail::phrase_scan;
using decorum::detail::phrase_set;

#if defined(__SANITIZE_ADDRESS__)
// The sanitizer runtime lets us observe allocations without replacing the global operator new,
// which would collide with any other test file that does the same.
extern "C" int __sanitizer_install_malloc_and_free_hooks(void (*malloc_hook)(const volatile void*, std::size_t),
                                                         void (*free_hook)(const volatile void*));
#endif

namespace {

// Counts this thread's allocations while armed, so other threads cannot disturb the count.
thread_local bool allocation_counting = false;
thread_local std::size_t allocations_seen = 0;

[[maybe_unused]] void count_malloc(const volatile void*, std::size_t) {
  if (allocation_counting) ++allocations_seen;
}
[[maybe_unused]] void ignore_free(const volatile void*) {}

bool allocation_hook_available() {
#if defined(__SANITIZE_ADDRESS__)
  static const bool installed = __sanitizer_install_malloc_and_free_hooks(count_malloc, ignore_free) != 0;
  return installed;
#else
  return false;
#endif
}

// Folding written the slow, obvious way, character by character, for fold_text and
// fold_text_view to agree with. Valid UTF-8 only.
std::string naive_fold(std::string_view text) {
  std::vector<std::string> words;  // runs of visible characters
  std::string word;
  for (std::size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    const std::size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    std::uint32_t cp = len == 1 ? b : len == 2 ? b & 0x1Fu : len == 3 ? b & 0x0Fu : b & 0x07u;
    for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3Fu);
    // Unicode's White_Space property, listed from PropList.txt.
    const bool white = cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
                       (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
                       cp == 0x205F || cp == 0x3000;
    if (white) {
      if (!word.empty()) words.push_back(word);
      word.clear();
    } else if (cp >= 0xFF01 && cp <= 0xFF5E && cp != 0xFF0C) {
      const auto c = static_cast<char>(cp - 0xFEE0);
      word += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
    } else if (cp >= 'A' && cp <= 'Z') {
      word += static_cast<char>(cp + 32);
    } else {
      word.append(text.substr(i, len));
    }
    i += len;
  }
  if (!word.empty()) words.push_back(word);
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

// The obviously-correct matcher the automaton must agree with: at every byte position, try
// every phrase.
phrase_scan naive_scan(const std::vector<std::string>& phrases, std::string_view folded) {
  std::vector<std::string> fp;
  for (const auto& p : phrases) fp.push_back(fold_text(p));
  const std::size_t n = folded.size();
  // longest[pos] = index of the longest phrase starting at pos (lowest index among equals), or -1.
  std::vector<int> longest(n, -1);
  phrase_scan r;
  for (std::size_t i = 0; i < fp.size(); ++i) {
    const std::string& p = fp[i];
    if (p.empty()) continue;
    if (folded == p) r.equals = true;
    if (folded.size() >= p.size() && folded.substr(folded.size() - p.size()) == p) r.ends_with = true;
  }
  for (std::size_t pos = 0; pos < n; ++pos) {
    for (std::size_t i = 0; i < fp.size(); ++i) {
      const std::string& p = fp[i];
      if (p.empty() || folded.substr(pos, p.size()) != p) continue;
      if (longest[pos] == -1 || fp[static_cast<std::size_t>(longest[pos])].size() < p.size()) {
        longest[pos] = static_cast<int>(i);
      }
    }
  }
  std::size_t pos = 0;
  while (pos < n) {
    if (longest[pos] == -1) {
      ++pos;
      continue;
    }
    if (r.count == 0) r.first = longest[pos];
    ++r.count;
    pos += fp[static_cast<std::size_t>(longest[pos])].size();
  }
  r.contains = r.count > 0;
  r.starts_with = n > 0 && longest[0] != -1;
  return r;
}

void check_same(const phrase_scan& got, const phrase_scan& want) {
  CHECK(got.contains == want.contains);
  CHECK(got.starts_with == want.starts_with);
  CHECK(got.ends_with == want.ends_with);
  CHECK(got.equals == want.equals);
  CHECK(got.count == want.count);
  CHECK(got.first == want.first);
}

// Deterministic across standard libraries (unlike std::uniform_int_distribution).
std::size_t pick(std::mt19937& rng, std::size_t n) { return static_cast<std::size_t>(rng() % n); }

}  // namespace

TEST_CASE("phrase: fold_text table") {
  struct row {
    const char* in;
    const char* want;
  };
  const row rows[] = {
      {"ＡＢＣ１", "abc1"},
      {"Ａ１", "a1"},
      {"ｈｅｌｌｏ！", "hello!"},
      {"！～", "!~"},                       // both ends of U+FF01–U+FF5E
      {"｟", "｟"},                          // U+FF5F is outside the range
      {"你好，世界", "你好，世界"},         // U+FF0C stays a Chinese comma
      {"好，ＯＫ，", "好，ok，"},
      {"Hello,World", "hello,world"},
      {"您好ＡＢＣ先生", "您好abc先生"},
      {"a\u3000\u3000b", "a b"},
      {"a\t \tb", "a b"},
      {"ＡＢ\u3000ｃｄ", "ab cd"},
      {"  前后  ", "前后"},
      {"\u3000前\u00A0后\n", "前 后"},
      {"a\r\n\v\fb", "a b"},
      {"\u3000", ""},
      // Unicode's White_Space beyond ASCII, U+00A0 and U+3000 (issue 11).
      {"a\u2003b\u205Fc\u202Fd", "a b c d"},
      {"\u2028您好\u2029\u0085\u1680", "您好"},
      {"\u2000\u2001\u2002\u2004\u2005\u2006\u2007\u2008\u2009\u200A", ""},
      // Quotes, dashes, the ellipsis and U+200B share their lead bytes and are no white space.
      {"\u201C好\u201D\u2014\u2026\u200B", "\u201C好\u201D\u2014\u2026\u200B"},
      {"   ", ""},
      {"", ""},
      {"我 不 知道", "我 不 知道"},
      {"。、？", "。、?"},                  // U+3002 and U+3001 are not full-width forms; U+FF1F is
  };
  for (const auto& r : rows) {
    CAPTURE(r.in);
    CHECK(fold_text(r.in) == r.want);
  }
}

TEST_CASE("phrase: fold_text reuses its buffer") {
  std::string out = "stale contents";
  fold_text("ＸＹ", out);
  CHECK(out == "xy");
  fold_text("", out);
  CHECK(out.empty());
}

TEST_CASE("phrase: fold_text_view returns the text itself when folding changes nothing") {
  struct row {
    const char* in;
    const char* want;  // nullptr: the same text, not a copy
  };
  const row rows[] = {
      {"", nullptr},
      {"你好，世界。", nullptr},                 // '，' U+FF0C and '。' U+3002 stay
      {"您好，请问您找哪一位？", "您好，请问您找哪一位?"},  // U+FF1F folds
      {"您好！", "您好!"},
      {"ok 好的", nullptr},                      // one space between visible characters stays
      {"a b c", nullptr},
      {"a  b", "a b"},
      {" a", "a"},
      {"a ", "a"},
      {"a\tb", "a b"},
      {"a \tb", "a b"},
      {"a \u3000b", "a b"},
      {"a\u3000b", "a b"},
      {"a\u00A0b", "a b"},
      {"\u00A9\u00B7", nullptr},               // other C2 characters stay
      {"\u3001\u3002\u300C\u300D", nullptr},  // other E3 80 characters stay
      {"\uFF00\uFF5F\uFFE5", nullptr},         // EF BC 80 and EF BD 9F are outside the range
      {"ＷＩＦＩ密码", "wifi密码"},
      {"WiFi密码", "wifi密码"},
      {"wifi密码", nullptr},
      {"～", "~"},                               // U+FF5E, the last one folded
      {"！", "!"},                               // U+FF01, the first
      {"  前后  ", "前后"},
      {"\u3000", ""},
      // Unicode's White_Space beyond ASCII, U+00A0 and U+3000 (issue 11).
      {"a\u2003b\u205Fc\u202Fd", "a b c d"},
      {"\u2028您好\u2029\u0085\u1680", "您好"},
      {"\u2000\u2001\u2002\u2004\u2005\u2006\u2007\u2008\u2009\u200A", ""},
      // Quotes, dashes, the ellipsis and U+200B share their lead bytes and are no white space.
      {"\u201C好\u201D\u2014\u2026\u200B", nullptr},
      // Past 16 and 32 bytes, so the special character falls in a full block, the last
      // block, and across a block boundary.
      {"一二三四五六七八九十一二三四五六七八九十", nullptr},
      {"一二三四五六七八九十一二三四五六七八九十Ａ", "一二三四五六七八九十一二三四五六七八九十a"},
      {"一二三四五Ａ六七八九十一二三四五六七八九十", "一二三四五a六七八九十一二三四五六七八九十"},
      {"abcdefghijklmnoＰqrstuvwxyz0123456789", "abcdefghijklmnopqrstuvwxyz0123456789"},
      {"abcdefghijklmnopqrstuvwxyz 0123456789 ", "abcdefghijklmnopqrstuvwxyz 0123456789"},
      {"abcdefghijklmn，opqrstuvwxyz，", nullptr},
  };
  std::string buf = "stale";
  for (const auto& r : rows) {
    CAPTURE(r.in);
    const std::string_view text = r.in;
    const std::string_view got = fold_text_view(text, buf);
    if (r.want == nullptr) {
      CHECK(got.data() == text.data());
      CHECK(got.size() == text.size());
    } else {
      CHECK(got.data() == buf.data());
      CHECK(got == r.want);
    }
    CHECK(got == fold_text(text));
    CHECK(got == naive_fold(text));
  }
}

TEST_CASE("phrase: fold_text and fold_text_view agree with a naive fold on random text") {
  std::mt19937 rng(5150u);
  // Every kind of character folding treats differently, and neighbours of the special ones.
  const std::vector<std::string> pool = {
      "a", "Z", "M", "z", "0", "!", " ", " ", "\t", "\n", "\r", "\v", "\f", "\x01", "\x1F",
      "\u00A0", "\u00A9", "\u3000", "\u3001", "\u3002", "\u3100", "，", "！", "Ａ", "ｚ", "～",
      // White_Space beyond ASCII (issue 11), and their E2 80 / C2 / E1 neighbours that are not.
      "\u0085", "\u0084", "\u1680", "\u1681", "\u2000", "\u200A", "\u200B", "\u2028", "\u2029", "\u202F",
      "\u205F", "\u201C", "\u2014", "\u2026", "\u2030", "\u2060",
      "\uFF00", "\uFF5F", "\uFFE5", "你", "好", "您", "\u4E00", "\u9FA5", "\u00E9", "\U0001F600"};
  std::string buf, folded;
  std::size_t same = 0;
  for (int t = 0; t < 4000; ++t) {
    std::string text;
    const std::size_t chars = pick(rng, t % 10 == 0 ? 120 : 30);
    // Mostly plain Chinese, so many texts need no folding at all.
    const bool plain = pick(rng, 3) == 0;
    for (std::size_t i = 0; i < chars; ++i) {
      const std::string& c = pool[pick(rng, pool.size())];
      text += plain && (c == " " || c.size() < 3 || c == "！" || c == "Ａ" || c == "ｚ" || c == "～" || c == "\u3000")
                  ? std::string("好")
                  : c;
    }
    CAPTURE(t);
    CAPTURE(text);
    const std::string want = naive_fold(text);
    fold_text(text, folded);
    CHECK(folded == want);
    // An allocation of exactly the text's size, so a read past its end is a sanitizer error
    // (a std::string would have its terminator and spare capacity there).
    const std::unique_ptr<char[]> exact(new char[text.size()]);
    std::memcpy(exact.get(), text.data(), text.size());
    const std::string_view copy(exact.get(), text.size());
    const std::string_view got = fold_text_view(copy, buf);
    CHECK(got == want);
    CHECK((got.data() == copy.data()) == (want == copy));
    same += got.data() == copy.data();
  }
  CHECK(same > 500);
}

TEST_CASE("phrase: scan table") {
  struct row {
    std::vector<std::string> phrases;
    const char* text;  // folded by the test before scanning
    bool contains, starts_with, ends_with, equals;
    std::uint32_t count;
    std::int32_t first;
  };
  const row rows[] = {
      // phrases sharing a suffix: at 不 the longest is 不知道
      {{"不知道", "知道"}, "我不知道", true, false, true, false, 1, 0},
      {{"不知道", "知道"}, "知道不知道", true, true, true, false, 2, 1},
      {{"不知道", "知道"}, "不知道不知道", true, true, true, false, 2, 0},
      {{"不知道", "知道"}, "不知道", true, true, true, true, 1, 0},
      {{"不知道", "知道"}, "知道", true, true, true, true, 1, 1},
      {{"不知道", "知道"}, "我不清楚", false, false, false, false, 0, -1},
      // longest at each position, then skip past it
      {{"ab", "abc"}, "abcab", true, true, true, false, 2, 1},
      {{"ab", "abc"}, "abc", true, true, true, true, 1, 1},
      {{"ab", "abc"}, "ab", true, true, true, true, 1, 0},
      {{"bc", "abcd"}, "abcd", true, true, true, true, 1, 1},
      {{"bcd", "ab"}, "abcd", true, true, true, false, 1, 1},  // bcd overlaps ab, not counted
      {{"abc", "cde"}, "abcde", true, true, true, false, 1, 0},
      {{"he", "she", "his", "hers"}, "ushers", true, false, true, false, 1, 1},
      {{"aa"}, "aaaa", true, true, true, false, 2, 0},
      {{"aa"}, "aaa", true, true, true, false, 1, 0},
      {{"请稍等", "稍等"}, "请您稍等", true, false, true, false, 1, 1},
      // folding applies to phrase and text alike
      {{"ＯＫ"}, "Ok 吗", true, true, false, false, 1, 0},
      {{"thank  you"}, "THANK\tYOU!", true, true, false, false, 1, 0},
      {{"投诉", "complain"}, "我要投诉，COMPLAIN now", true, false, false, false, 2, 0},
      {{"，"}, "好，好，", true, false, true, false, 2, 0},
      {{","}, "好，", false, false, false, false, 0, -1},  // ， is not folded to ,
      {{"结束"}, "  结束\u3000", true, true, true, true, 1, 0},  // trimming keeps ends meeting
      // duplicates after folding report the lowest index
      {{"好的", "好的", "ＯＫ", "ok"}, "ok好的", true, true, true, false, 2, 2},
      // empty set, empty text, phrases that fold to nothing
      {{}, "anything", false, false, false, false, 0, -1},
      {{"x"}, "", false, false, false, false, 0, -1},
      {{"", "   ", "\u3000"}, "abc", false, false, false, false, 0, -1},
      {{"", "b"}, "abc", true, false, false, false, 1, 1},
      {{"a"}, "a", true, true, true, true, 1, 0},
  };
  for (const auto& r : rows) {
    CAPTURE(r.text);
    CAPTURE(r.phrases.size());
    const phrase_set set = phrase_set::make(r.phrases).value();
    const phrase_scan got = set.scan(fold_text(r.text));
    check_same(got, phrase_scan{r.contains, r.starts_with, r.ends_with, r.equals, r.count, r.first});
    // The hand-worked values and the reference must agree too, or one of them is wrong.
    check_same(naive_scan(r.phrases, fold_text(r.text)), got);
  }
}

TEST_CASE("phrase: accessors and the default set") {
  const phrase_set empty;
  CHECK(empty.size() == 0);
  CHECK(empty.phrases().empty());
  check_same(empty.scan("abc"), phrase_scan{});

  const phrase_set set = phrase_set::make({"ＯＫ", "", "ok"}).value();
  CHECK(set.size() == 3);
  REQUIRE(set.phrases().size() == 3);
  CHECK(set.phrases()[0] == "ＯＫ");  // as written, not folded
}

TEST_CASE("phrase: texts over 4 KiB") {
  const phrase_set set = phrase_set::make({"不知道", "知道", "稍等"}).value();
  std::string text;
  // 1000 repeats of 不知道 (9 bytes) = 9000 bytes, then 知道 at the very end.
  for (int i = 0; i < 1000; ++i) text += "不知道";
  text += "嗯知道";
  REQUIRE(text.size() > 4096);
  const phrase_scan got = set.scan(text);
  check_same(got, phrase_scan{true, true, true, false, 1001, 0});
  check_same(naive_scan(set.phrases(), text), got);

  std::string quiet(10000, 'x');
  quiet += "稍等";
  check_same(set.scan(quiet), phrase_scan{true, false, true, false, 1, 2});
}

TEST_CASE("phrase: a phrase longer than the stack window") {
  const std::string long_phrase(3000, 'q');
  const phrase_set set = phrase_set::make({long_phrase, "qq", "z"}).value();
  std::string text = "z" + std::string(7000, 'q') + "z";
  // Greedy: z, then two 3000-byte runs (6000 q), then 1000 q as 500 "qq", then z.
  const phrase_scan got = set.scan(text);
  check_same(got, phrase_scan{true, true, true, false, 1 + 2 + 500 + 1, 2});
  check_same(naive_scan(set.phrases(), text), got);
}

TEST_CASE("phrase: scan allocates nothing for texts up to 4 KiB") {
  if (!allocation_hook_available()) {
    MESSAGE("allocation counting needs -fsanitize=address; skipped");
    return;
  }
  // Sanity: the hook really sees allocations.
  allocation_counting = true;
  allocations_seen = 0;
  { std::vector<int> probe(100); (void)probe; }
  allocation_counting = false;
  REQUIRE(allocations_seen > 0);

  const phrase_set set = phrase_set::make({"不知道", "知道", "稍等", "ab", "abc"}).value();
  std::string text;
  while (text.size() < 4096 - 16) text += "不知道abcab稍等";
  phrase_scan got;
  allocation_counting = true;
  allocations_seen = 0;
  got = set.scan(text);
  allocation_counting = false;
  CHECK(allocations_seen == 0);
  CHECK(got.count > 0);
}

TEST_CASE("phrase: 100-phrase set agrees with the naive reference") {
  std::mt19937 rng(20240607u);
  // A small alphabet makes phrases overlap, share prefixes and suffixes, and repeat.
  const std::vector<std::string> alphabet = {"不", "知", "道", "稍", "等", "请", "您", "好",
                                             "，", "a", "b", "c", " "};
  // Written forms that fold into the alphabet, so phrases and texts exercise folding too.
  const std::vector<std::string> variants = {"Ａ", "B", "ｃ", "\u3000", "\t"};
  auto random_piece = [&](std::size_t min_chars, std::size_t max_chars) {
    std::string s;
    const std::size_t len = min_chars + pick(rng, max_chars - min_chars + 1);
    for (std::size_t i = 0; i < len; ++i) {
      s += pick(rng, 6) == 0 ? variants[pick(rng, variants.size())] : alphabet[pick(rng, alphabet.size())];
    }
    return s;
  };

  std::vector<std::string> phrases;
  while (phrases.size() < 100) {
    const std::size_t kind = pick(rng, 10);
    if (kind == 0 && !phrases.empty()) {
      phrases.push_back(phrases[pick(rng, phrases.size())]);  // a duplicate
    } else if (kind == 1 && !phrases.empty()) {
      phrases.push_back(phrases[pick(rng, phrases.size())] + random_piece(1, 3));  // extends one
    } else if (kind == 2 && !phrases.empty()) {
      phrases.push_back(random_piece(1, 2) + phrases[pick(rng, phrases.size())]);  // shares a suffix
    } else {
      phrases.push_back(random_piece(1, 6));
    }
  }
  const phrase_set set = phrase_set::make(phrases).value();
  REQUIRE(set.size() == 100);

  std::string folded;
  std::uint64_t total_count = 0;
  for (int t = 0; t < 300; ++t) {
    std::string text;
    // Mostly short records, some past 4 KiB.
    const std::size_t pieces = t % 25 == 0 ? 600 + pick(rng, 200) : pick(rng, 30);
    for (std::size_t i = 0; i < pieces; ++i) {
      text += pick(rng, 2) == 0 ? phrases[pick(rng, phrases.size())] : random_piece(1, 3);
    }
    fold_text(text, folded);
    CAPTURE(t);
    CAPTURE(folded.size());
    const phrase_scan got = set.scan(folded);
    check_same(got, naive_scan(phrases, folded));
    total_count += got.count;
  }
  CHECK(total_count > 1000);  // the texts really were full of matches
}

TEST_CASE("phrase: a combined matcher answers for each set as that set alone would") {
  std::mt19937 rng(77u);
  const std::vector<std::string> alphabet = {"不", "知", "道", "您", "好", "请", "，", "a", "B", " "};
  auto piece = [&](std::size_t max_chars) {
    std::string s;
    const std::size_t len = 1 + pick(rng, max_chars);
    for (std::size_t i = 0; i < len; ++i) s += alphabet[pick(rng, alphabet.size())];
    return s;
  };
  for (int round = 0; round < 40; ++round) {
    // Sets that overlap: some phrases in several sets, duplicates inside a set, and an empty set.
    std::vector<std::vector<std::string>> sets(1 + pick(rng, 6));
    std::vector<std::string> pool;
    for (int k = 0; k < 12; ++k) pool.push_back(piece(4));
    for (auto& set : sets) {
      const std::size_t n = pick(rng, 8);
      for (std::size_t k = 0; k < n; ++k) set.push_back(pick(rng, 3) == 0 ? piece(3) : pool[pick(rng, pool.size())]);
    }
    const phrase_set all = phrase_set::combined(sets).value();
    std::vector<phrase_set> alone;
    for (const auto& set : sets) alone.push_back(phrase_set::make(set).value());
    std::string folded;
    for (int t = 0; t < 30; ++t) {
      std::string text;
      const std::size_t pieces = pick(rng, 12);
      for (std::size_t k = 0; k < pieces; ++k) text += pick(rng, 2) == 0 ? pool[pick(rng, pool.size())] : piece(2);
      fold_text(text, folded);
      std::vector<phrase_scan> got(sets.size());
      all.scan_each(folded, got.data());
      for (std::size_t s = 0; s < sets.size(); ++s) {
        CAPTURE(round);
        CAPTURE(t);
        CAPTURE(s);
        check_same(got[s], alone[s].scan(folded));
        check_same(got[s], naive_scan(sets[s], folded));
      }
    }
  }
}

TEST_CASE("phrase: long phrases, shared prefixes and cut-off phrases agree with the reference") {
  // The bench rulebook's utterance sets: long single-path phrases (compared as a whole once
  // the trie has no branch left), phrases that are prefixes of others, shared first bytes,
  // and ASCII phrases of one and two bytes (the filter's special cases at a text's end).
  const std::vector<std::vector<std::string>> sets = {
      {"您好", "早上好", "下午好", "晚上好", "您回来了"},
      {"再见", "明天见", "祝您一路平安", "欢迎您下次再来"},
      {"对不起", "不好意思", "让您久等了", "打扰您了", "抱歉"},
      {"您好", "请", "谢谢", "对不起", "再见"},
      {"请问您找哪一位", "请问您找哪位", "我可以帮助您吗", "请问有什么可以帮您"},
      {"这与我无关", "与我无关", "不关我的事", "不归我管", "不知道", "不清楚", "不太清楚"},
      {"滚开", "闭嘴", "你烦不烦", "烦死了", "你懂什么", "爱找谁找谁", "少啰嗦"},
      {"!", "ok", "o", "ok 好的", "？"},
  };
  std::vector<std::string> pieces;
  for (const auto& set : sets)
    for (const auto& p : set) {
      pieces.push_back(p);
      // Every proper prefix that ends on a character boundary: walks that run out mid-phrase.
      for (std::size_t k = 1; k < p.size(); ++k)
        if ((static_cast<unsigned char>(p[k]) & 0xC0) != 0x80) pieces.push_back(p.substr(0, k));
    }
  for (const char* filler : {"的", "，", "。", "！", " ", "a", "K", "\u3000", "一", "问", "您"}) pieces.push_back(filler);

  const phrase_set all = phrase_set::combined(sets).value();
  std::vector<phrase_set> alone;
  for (const auto& set : sets) alone.push_back(phrase_set::make(set).value());
  std::mt19937 rng(424242u);
  std::string folded;
  std::vector<phrase_scan> got(sets.size());
  std::uint64_t matches = 0;
  for (int t = 0; t < 3000; ++t) {
    std::string text;
    const std::size_t n = pick(rng, t % 50 == 0 ? 200 : 12);
    for (std::size_t k = 0; k < n; ++k) text += pieces[pick(rng, pieces.size())];
    fold_text(text, folded);
    // Scanned from an allocation of exactly its size, so no read past the end goes unseen.
    const std::unique_ptr<char[]> exact(new char[folded.size()]);
    std::memcpy(exact.get(), folded.data(), folded.size());
    const std::string_view view(exact.get(), folded.size());
    all.scan_each(view, got.data());
    for (std::size_t s = 0; s < sets.size(); ++s) {
      CAPTURE(t);
      CAPTURE(s);
      CAPTURE(folded);
      const phrase_scan want = naive_scan(sets[s], folded);
      check_same(got[s], want);
      check_same(alone[s].scan(view), want);
      matches += want.count;
    }
  }
  CHECK(matches > 5000);
}
