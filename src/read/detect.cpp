// src/read/detect.cpp — entry point: detail::choose_decoding. Which encoding a log (or an
// appeals file) is read in: a byte-order mark decides; else text that is valid UTF-8 is
// UTF-8; else libuchardet guesses, and a trial decode of the sample with iconv confirms the
// guess before any record is read, so an undecodable file fails once instead of rejecting
// every line. docs/decisions.md "Encodings" gives the reasons for each rule.
#include "detect.hpp"

#include "decorum/base/diagnostic.hpp"

#include <fmt/format.h>

#include <uchardet.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>

#include <iconv.h>

namespace decorum::detail {

namespace {

constexpr std::size_t probe_bytes = std::size_t{1} << 20;

/// A byte-order mark at the start of `s`, as a decoding; nullopt when there is none.
std::optional<decoding> bom_of(std::string_view s) {
  if (s.size() >= 3 && std::memcmp(s.data(), "\xEF\xBB\xBF", 3) == 0) return decoding{"UTF-8", "", 3};
  if (s.size() >= 2 && std::memcmp(s.data(), "\xFF\xFE", 2) == 0) return decoding{"UTF-16LE", "UTF-16LE", 2};
  if (s.size() >= 2 && std::memcmp(s.data(), "\xFE\xFF", 2) == 0) return decoding{"UTF-16BE", "UTF-16BE", 2};
  return std::nullopt;
}

/// The decoding `--encoding` names.
decoding forced(text_encoding e) {
  switch (e) {
    case text_encoding::gbk: return {"GBK", "GBK", 0};
    case text_encoding::gb18030: return {"GB18030", "GB18030", 0};
    case text_encoding::utf16le: return {"UTF-16LE", "UTF-16LE", 0};
    case text_encoding::utf16be: return {"UTF-16BE", "UTF-16BE", 0};
    default: return {"UTF-8", "", 0};
  }
}

/// Bytes of `s` that iconv cannot decode from `from`, or nullopt when this system's iconv
/// does not know `from`. A sequence cut off at the end of an incomplete sample is not counted.
std::optional<std::size_t> undecodable(const std::string& from, std::string_view s, bool complete) {
  iconv_t cd = ::iconv_open("UTF-8", from.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  std::unique_ptr<void, int (*)(iconv_t)> close(cd, ::iconv_close);
  std::string out(4096, '\0');
  char* in = const_cast<char*>(s.data());
  std::size_t in_left = s.size(), bad = 0;
  while (in_left > 0) {
    char* o = out.data();
    std::size_t o_left = out.size();
    if (::iconv(cd, &in, &in_left, &o, &o_left) != static_cast<std::size_t>(-1)) break;
    if (errno == E2BIG) continue;
    if (errno == EINVAL) {  // cut off at the end
      if (complete) bad += in_left;
      break;
    }
    ++bad;  // EILSEQ: skip one byte, as text_source does
    ++in;
    --in_left;
  }
  return bad;
}

/// Well-formed multi-byte UTF-8 sequences in `s` (`good`) and bytes that begin none (`bad`);
/// a statistic, so overlong forms and surrogates pass as well-formed.
void utf8_census(std::string_view s, std::size_t& good, std::size_t& bad) {
  good = bad = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    const std::size_t n = c >= 0xC2 && c <= 0xDF ? 1 : c >= 0xE0 && c <= 0xEF ? 2 : c >= 0xF0 && c <= 0xF4 ? 3 : 0;
    bool ok = n > 0 && i + n < s.size();
    for (std::size_t k = 1; ok && k <= n; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (ok) {
      ++good;
      i += n + 1;
    } else {
      ++bad;
      ++i;
    }
  }
}

/// True for uchardet's single-byte answers, which it gives too readily for short samples.
bool single_byte(const std::string& cs) {
  for (const char* p : {"ISO-8859", "WINDOWS-125", "KOI8", "IBM", "MAC", "TIS-620", "VISCII", "CP"})
    if (cs.rfind(p, 0) == 0) return true;
  return false;
}

}  // namespace

result<decoding> choose_decoding(std::string_view sample, bool complete, text_encoding requested,
                                 const std::string& name, std::optional<std::size_t> invalid_at) {
  const std::optional<decoding> bom = bom_of(sample);
  if (requested != text_encoding::automatic) {
    decoding d = forced(requested);
    if (bom) {
      if (bom->name != d.name)
        return make_error(fmt::format("starts with a {} byte-order mark, but --encoding {} was given", bom->name, d.name),
                          name);
      d.bom = bom->bom;
    }
    return d;
  }
  if (bom) return *bom;

  // Valid UTF-8 (ASCII included) is UTF-8; a stream's sample may end inside a character.
  const std::size_t bad_at = invalid_at ? *invalid_at : find_invalid_utf8(sample);
  if (bad_at == std::string_view::npos || (!complete && bad_at + 4 > sample.size())) return decoding{"UTF-8", "", 0};

  // uchardet and the trial decode look at the first MiB: enough to judge, bounded on any file.
  if (sample.size() > probe_bytes) {
    sample = sample.substr(0, probe_bytes);
    complete = false;
  }
  // Mostly UTF-8 with a few stray bytes is a UTF-8 log with damage (those records are
  // rejected, as with --encoding utf-8), not a legacy encoding.
  std::size_t good = 0, stray = 0;
  utf8_census(sample, good, stray);
  if (good > 0 && good >= 4 * stray) return decoding{"UTF-8", "", 0};
  std::unique_ptr<std::remove_pointer_t<uchardet_t>, void (*)(uchardet_t)> ud(uchardet_new(), uchardet_delete);
  std::string cs;
  if (ud && uchardet_handle_data(ud.get(), sample.data(), sample.size()) == 0) {
    uchardet_data_end(ud.get());
    cs = uchardet_get_charset(ud.get());
  }
  std::transform(cs.begin(), cs.end(), cs.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  // GB18030 is a superset of GBK and GB2312, and what Excel on Chinese Windows writes is in
  // its GBK part: decoding with the superset never loses a character.
  if (cs == "GB2312" || cs == "GBK" || cs == "GB18030" || cs == "HZ-GB-2312") cs = "GB18030";
  // A few Chinese characters among ASCII is too little for uchardet's statistics, and it
  // answers some single-byte code page; text that decodes as GB18030 throughout is read so.
  if ((cs.empty() || single_byte(cs)) && undecodable("GB18030", sample, complete) == std::size_t{0}) cs = "GB18030";
  if (cs == "ASCII" || cs == "UTF-8") return decoding{"UTF-8", "", 0};  // uchardet sees damaged UTF-8 too
  if (cs.empty())
    return make_error("is neither UTF-8 nor an encoding decorum can recognise; give --encoding", name);
  const std::optional<std::size_t> bad = undecodable(cs, sample, complete);
  if (!bad) return make_error(fmt::format("looks like {}, which this system's iconv cannot decode", cs), name);
  // One undecodable byte in ten of the sample: the guess is wrong or the file is not text.
  if (*bad * 10 > sample.size())
    return make_error(fmt::format("is neither UTF-8 nor decodable as {} (the closest guess); give --encoding", cs), name);
  return decoding{cs, cs, 0};
}

}  // namespace decorum::detail
