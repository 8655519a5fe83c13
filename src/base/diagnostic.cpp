// src/base/diagnostic.cpp — entry point: format_diagnostic. Line indexing, UTF-8 decoding and
// the compiler-style rendering of diagnostics shared by every stage.
#include "decorum/base/diagnostic.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace decorum {

std::string_view to_string(severity s) noexcept {
  switch (s) {
    case severity::error: return "error";
    case severity::warning: return "warning";
    case severity::note: return "note";
  }
  return "error";
}

namespace {
/// Bytes between checkpoints: a lookup decodes at most about this many bytes.
constexpr std::size_t checkpoint_stride = 256;
}  // namespace

source_file::source_file(std::string name, std::string text)
    : name_(std::move(name)), text_(std::move(text)) {
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text_.size(); ++i) {
    // A lone CR counts as a line break too, as YAML does.
    if (text_[i] == '\n' || (text_[i] == '\r' && (i + 1 == text_.size() || text_[i + 1] != '\n')))
      line_starts_.push_back(i + 1);
  }
  // Checkpoints are where the decoder itself arrives, so a walk from one counts exactly as a
  // walk from the line's start would, invalid bytes included.
  for (std::size_t l = 0; l < line_starts_.size(); ++l) {
    const std::size_t b = line_starts_[l];
    const std::size_t e = l + 1 < line_starts_.size() ? line_starts_[l + 1] : text_.size();
    if (e - b <= checkpoint_stride) continue;
    const std::string_view line(text_.data(), e);  // offsets stay file offsets
    std::uint32_t col = 1;
    std::size_t next = b + checkpoint_stride;
    for (std::size_t i = b; i < e;) {
      if (i >= next) {
        checkpoints_.push_back({i, col});
        next = i + checkpoint_stride;
      }
      detail::decode_utf8(line, i);
      ++col;
    }
  }
}

source_file::checkpoint source_file::nearest_checkpoint(std::size_t line_start, std::size_t off) const noexcept {
  auto it = std::upper_bound(checkpoints_.begin(), checkpoints_.end(), off,
                             [](std::size_t o, const checkpoint& c) { return o < c.offset; });
  if (it == checkpoints_.begin() || std::prev(it)->offset < line_start) return {line_start, 1};
  return *std::prev(it);
}

source_pos source_file::position_of(std::size_t off) const noexcept {
  off = std::min(off, text_.size());
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), off);
  std::size_t line = static_cast<std::size_t>(it - line_starts_.begin());  // 1-based
  const checkpoint from = nearest_checkpoint(line_starts_[line - 1], off);
  std::uint32_t col = from.column;
  for (std::size_t i = from.offset; i < off;) {
    detail::decode_utf8(text_, i);
    ++col;
  }
  return {static_cast<std::uint32_t>(line), col};
}

std::size_t source_file::offset_of(source_pos pos) const noexcept {
  if (pos.line == 0 || pos.line > line_starts_.size()) return text_.size();
  const std::size_t start = line_starts_[pos.line - 1];
  std::string_view line = line_text(pos.line);
  // The last checkpoint of this line whose column is not past the one wanted.
  auto lo = std::lower_bound(checkpoints_.begin(), checkpoints_.end(), start,
                             [](const checkpoint& c, std::size_t o) { return c.offset < o; });
  auto hi = std::lower_bound(lo, checkpoints_.end(), start + line.size(),
                             [](const checkpoint& c, std::size_t o) { return c.offset < o; });
  auto at = std::upper_bound(lo, hi, pos.column, [](std::uint32_t c, const checkpoint& k) { return c < k.column; });
  std::size_t i = 0;
  std::uint32_t c = 1;
  if (at != lo) {
    i = std::prev(at)->offset - start;
    c = std::prev(at)->column;
  }
  for (; c < pos.column && i < line.size(); ++c) detail::decode_utf8(line, i);
  return start + i;
}

std::string_view source_file::line_text(std::uint32_t line) const noexcept {
  if (line == 0 || line > line_starts_.size()) return {};
  std::size_t b = line_starts_[line - 1];
  std::size_t e = line < line_starts_.size() ? line_starts_[line] : text_.size();
  std::string_view v(text_.data() + b, e - b);
  while (!v.empty() && (v.back() == '\n' || v.back() == '\r')) v.remove_suffix(1);
  return v;
}

std::string format_diagnostic(const diagnostic& d, bool with_source_line) {
  std::string out;
  const std::string code = d.code == diag_code::none ? std::string() : fmt::format("[{}]", code_name(d.code));
  if (d.pos.line > 0)
    out = fmt::format("{}:{}:{}: {}{}: {}", d.file, d.pos.line, d.pos.column, to_string(d.severity), code, d.message);
  else
    out = fmt::format("{}: {}{}: {}", d.file, to_string(d.severity), code, d.message);
  if (with_source_line && d.source && d.pos.line > 0 && d.pos.line <= d.source->line_count()) {
    std::string_view line = d.source->line_text(d.pos.line);
    // Very long lines (minified or generated files) would flood the terminal: they are not
    // shown, and their caret is not worked out, so many diagnostics on one cost no more.
    if (line.size() <= 400) {
      std::size_t i = 0;
      std::string prefix;
      for (std::uint32_t c = 1; c < d.pos.column && i < line.size(); ++c) {
        char32_t ch = detail::decode_utf8(line, i);
        if (ch == '\t') prefix += '\t';
        else prefix.append(static_cast<std::size_t>(detail::display_width(ch)), ' ');
      }
      out += '\n';
      // Invalid UTF-8 (the very thing being reported, sometimes) is shown as U+FFFD so the
      // terminal is not fed stray bytes.
      for (std::size_t k = 0; k < line.size();) {
        std::size_t start = k;
        char32_t ch = detail::decode_utf8(line, k);
        if (ch == 0xFFFD && !(k - start == 3 && line.substr(start, 3) == "\xEF\xBF\xBD")) out += "\xEF\xBF\xBD";
        else out.append(line.substr(start, k - start));
      }
      out += '\n';
      out += prefix;
      out += '^';
      // The underline spans the token's display width: '^' for the first column, '~' after.
      if (const source_pos e = valid_end(d); e.line) {
        int width = 0;
        for (std::uint32_t c = d.pos.column; c < e.column && i < line.size(); ++c)
          width += detail::display_width(detail::decode_utf8(line, i));
        if (width > 1) out.append(static_cast<std::size_t>(width - 1), '~');
      }
    }
  }
  return out;
}

source_pos valid_end(const diagnostic& d) noexcept {
  if (d.pos.line == 0 || d.end.line != d.pos.line || d.end.column <= d.pos.column) return {};
  return d.end;
}

std::string diagnostics_to_json(const std::vector<diagnostic>& ds) {
  std::string out = "[";
  bool first = true;
  for (const auto& d : ds) {
    if (!first) out += ',';
    first = false;
    out += "\n  {\"file\": \"";
    detail::append_json_escaped(out, d.file);
    const source_pos e = valid_end(d);
    out += fmt::format("\", \"line\": {}, \"column\": {}, \"end_line\": {}, \"end_column\": {}, \"severity\": \"{}\", "
                       "\"code\": {}, \"message\": \"",
                       d.pos.line, d.pos.column, e.line, e.column, to_string(d.severity),
                       d.code == diag_code::none ? std::string("null") : fmt::format("\"{}\"", code_name(d.code)));
    detail::append_json_escaped(out, d.message);
    out += "\"}";
  }
  out += first ? "]" : "\n]";
  return out;
}

void sort_by_position(std::vector<diagnostic>& ds) {
  std::stable_sort(ds.begin(), ds.end(), [](const diagnostic& a, const diagnostic& b) {
    return std::pair(a.pos.line, a.pos.column) < std::pair(b.pos.line, b.pos.column);
  });
}

bool has_errors(const std::vector<diagnostic>& ds) noexcept {
  return std::any_of(ds.begin(), ds.end(), [](const diagnostic& d) { return d.severity == severity::error; });
}

namespace detail {

int display_width(char32_t c) noexcept {
  if (c == 0) return 0;
  if ((c >= 0x0300 && c <= 0x036F) || (c >= 0x200B && c <= 0x200F) || (c >= 0xFE00 && c <= 0xFE0F)) return 0;
  if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) || (c >= 0x3041 && c <= 0x33FF) ||
      (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
      (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
      (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
      (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD))
    return 2;
  return 1;
}

int display_width(std::string_view s) noexcept {
  int w = 0;
  for (std::size_t i = 0; i < s.size();) w += display_width(decode_utf8(s, i));
  return w;
}

char32_t decode_utf8(std::string_view s, std::size_t& i) noexcept {
  auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int len = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) len = 2, cp = b0 & 0x1F, min = 0x80;
  else if ((b0 & 0xF0) == 0xE0) len = 3, cp = b0 & 0x0F, min = 0x800;
  else if ((b0 & 0xF8) == 0xF0) len = 4, cp = b0 & 0x07, min = 0x10000;
  else {
    ++i;
    return 0xFFFD;
  }
  if (i + static_cast<std::size_t>(len) > s.size()) {
    ++i;
    return 0xFFFD;
  }
  for (int k = 1; k < len; ++k) {
    auto b = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return 0xFFFD;
  }
  i += static_cast<std::size_t>(len);
  return cp;
}

std::size_t find_invalid_utf8(std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < s.size()) {
    // Skip ASCII eight bytes at a time: logs and rulebooks are mostly ASCII.
    while (i + 8 <= s.size()) {
      std::uint64_t w;
      __builtin_memcpy(&w, s.data() + i, 8);
      if (w & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= s.size()) break;
    std::size_t at = i;
    char32_t c = decode_utf8(s, i);
    if (c == 0xFFFD && !(i - at == 3 && s.substr(at, 3) == "\xEF\xBF\xBD")) return at;
  }
  return std::string_view::npos;
}

void append_json_escaped(std::string& out, std::string_view s) {
  // Reports hold thousands of names and ids that need no escape: append those whole.
  const auto plain = [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return c >= 0x20 && c != '"' && c != '\\';
  };
  if (std::all_of(s.begin(), s.end(), plain)) {
    out.append(s);
    return;
  }
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) out += fmt::format("\\u{:04x}", c);
        else out += ch;
    }
  }
}

}  // namespace detail
}  // namespace decorum
