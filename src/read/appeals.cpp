// src/read/appeals.cpp — entry points: parse_appeals, read_appeals. Turns an appeals file
// (JSON Lines with simdjson's DOM, or CSV with a header) into `appeal` values, checking each
// line against SPEC §10: known keys, text values, a known decision, a non-empty reviewer and
// reason, a finding named by a record id or by an employee and a window. Every bad line is
// reported, none is skipped silently.
#include "decorum/read/appeals.hpp"

#include "decorum/base/chrono.hpp"
#include "decorum/base/text.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <string_view>

namespace decorum {

namespace {

constexpr std::array<std::string_view, 9> appeal_keys{"rule",     "record", "employee", "window", "decision",
                                                      "reviewer", "reason", "time",     "note"};

/// Collects one file's appeals and errors; every error points into `src`.
struct appeal_parser {
  std::string text;                        // the file as read: what is parsed
  std::shared_ptr<const source_file> src;  // for positions: lines end at '\n' only, as in logs
  appeals_read out;

  /// Past this many errors the rest of the file is not read: the first ones say what is
  /// wrong, and a file of garbage must not print a million lines.
  static constexpr std::size_t max_errors = 100;
  bool full() const noexcept { return out.errors.size() >= max_errors; }

  void error(diag_code code, std::size_t offset, std::string message) {
    if (full()) return;
    diagnostic d;
    d.code = code;
    d.file = src->name();
    d.pos = src->position_of(offset);
    d.message = std::move(message);
    d.source = src;
    out.errors.push_back(std::move(d));
    if (full()) {
      diagnostic stop = out.errors.back();
      stop.severity = severity::note;
      stop.code = diag_code::none;
      stop.end = {};
      stop.message = fmt::format("{} errors; the rest of the file was not read", max_errors);
      out.errors.push_back(std::move(stop));
    }
  }

  /// The field a key names, or null (with an error at `offset`) for an unknown key.
  std::string* field(appeal& a, std::string_view key, std::size_t offset, std::string_view what) {
    if (std::string* f = appeal_text_field(a, key)) return f;
    std::vector<std::string_view> known(appeal_keys.begin(), appeal_keys.end());
    const std::string hint = detail::did_you_mean(key, known);
    error(diag_code::appeal_unknown_key, offset, fmt::format("unknown {} '{}' in an appeal{}", what, key,
                              hint.empty() ? std::string() : fmt::format("; did you mean '{}'?", hint)));
    return nullptr;
  }

  /// Checks a whole appeal and keeps it, or reports what is wrong with it at `offset`.
  void finish(appeal a, std::string_view decision, bool has_decision, std::size_t offset) {
    const std::vector<std::string> problems = complete_appeal(a, decision, has_decision);
    for (const auto& p : problems) error(diag_code::appeal_bad_value, offset, p);
    if (!problems.empty()) return;
    a.source = src->name();
    a.line = src->position_of(offset).line;
    a.text = src;
    out.appeals.push_back(std::move(a));
  }

  void parse_jsonl() {
    simdjson::dom::parser parser;
    std::size_t start = 0;
    while (start < text.size() && !full()) {
      std::size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      std::string_view line(text.data() + start, end - start);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      parse_json_line(parser, line, start);
      start = end + 1;
    }
  }

  void parse_json_line(simdjson::dom::parser& parser, std::string_view line, std::size_t at) {
    if (line.find_first_not_of(" \t") == std::string_view::npos) return;  // blank lines are no appeals
    if (const std::size_t bad = detail::find_invalid_utf8(line); bad != std::string_view::npos)
      return error(diag_code::bad_encoding, at + bad, "invalid UTF-8 (is the file in another encoding? see --encoding)");
    simdjson::dom::element doc;
    if (auto err = parser.parse(line.data(), line.size()).get(doc))
      return error(diag_code::appeal_syntax, at, fmt::format("bad JSON: {}", simdjson::error_message(err)));
    simdjson::dom::object obj;
    if (doc.get_object().get(obj)) return error(diag_code::appeal_syntax, at, "an appeal must be a JSON object");
    appeal a;
    std::string decision;
    bool has_decision = false, bad = false;
    for (auto [key, val] : obj) {
      // The key's place in the line, for the caret (the first spelling of it as a key).
      const std::size_t k = line.find(fmt::format("\"{}\"", key));
      const std::size_t offset = at + (k == std::string_view::npos ? 0 : k);
      std::string_view s;
      if (val.get_string().get(s)) {
        if (!(val.is_null() && (key == "time" || key == "note"))) {
          error(diag_code::appeal_bad_value, offset, fmt::format("{}: expected text", key));
          bad = true;
        }
        continue;
      }
      if (key == "decision") {
        decision.assign(s);
        has_decision = true;
      } else if (std::string* f = field(a, key, offset, "key")) {
        f->assign(s);
      } else {
        bad = true;
      }
    }
    if (!bad) finish(std::move(a), decision, has_decision, at);
  }

  void parse_csv() {
    std::size_t pos = 0;
    std::vector<std::string> cells;
    std::vector<std::size_t> offsets;
    std::vector<std::string> header_names;  // the header: which field each column fills
    std::size_t row_start = 0;
    const row_kind head = next_row(text, pos, cells, offsets, row_start);
    if (head == row_kind::end) return error(diag_code::appeal_syntax, 0, "empty appeals file: expected a header row");
    if (head == row_kind::bad) return;
    header_names = cells;
    bool header_ok = true;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      std::string_view c = cells[i];
      appeal probe;
      if (c != "decision" && !field(probe, c, offsets[i], "column")) header_ok = false;
      for (std::size_t j = 0; j < i; ++j)
        if (cells[j] == c) {
          error(diag_code::appeal_unknown_key, offsets[i], fmt::format("duplicate column '{}'", c));
          header_ok = false;
        }
    }
    if (!header_ok) return;
    for (row_kind k; !full() && (k = next_row(text, pos, cells, offsets, row_start)) != row_kind::end;) {
      if (k == row_kind::bad) continue;
      if (cells.size() == 1 && cells[0].empty()) continue;  // a blank line
      if (cells.size() != header_names.size()) {
        error(diag_code::appeal_syntax, row_start, fmt::format("row has {} cells, the header {}", cells.size(), header_names.size()));
        continue;
      }
      appeal a;
      std::string decision;
      bool has_decision = false;
      for (std::size_t i = 0; i < cells.size(); ++i) {
        if (header_names[i] == "decision") {
          decision = cells[i];
          has_decision = !cells[i].empty();
        } else {
          *field(a, header_names[i], 0, "column") = cells[i];
        }
      }
      finish(std::move(a), decision, has_decision, row_start);
    }
  }

  /// What next_row found.
  enum class row_kind { row, bad, end };

  /// True when a line ends at `p`: '\n', or "\r\n" (a lone '\r' is text, as in logs).
  static bool line_end(const std::string& text, std::size_t p) {
    return text[p] == '\n' || (text[p] == '\r' && p + 1 < text.size() && text[p + 1] == '\n');
  }

  /// One RFC 4180 row from `pos` (quoted cells may hold commas, quotes and line breaks;
  /// unquoted cells are trimmed of spaces, as in logs). A malformed row is reported and
  /// skipped to the end of its line (`bad`); `end` at the end of the text.
  row_kind next_row(const std::string& text, std::size_t& pos, std::vector<std::string>& cells,
                    std::vector<std::size_t>& offsets, std::size_t& row_start) {
    cells.clear();
    offsets.clear();
    row_start = pos;
    if (pos >= text.size()) return row_kind::end;
    for (;;) {
      std::size_t p = pos;
      while (p < text.size() && (text[p] == ' ' || text[p] == '\t')) ++p;
      std::string cell;
      offsets.push_back(p);
      if (p < text.size() && text[p] == '"') {
        ++p;
        for (;;) {
          if (p >= text.size()) {
            error(diag_code::appeal_syntax, offsets.back(), "unterminated quoted cell");
            pos = text.size();
            return row_kind::bad;
          }
          if (text[p] == '"') {
            if (p + 1 < text.size() && text[p + 1] == '"') {
              cell += '"';
              p += 2;
              continue;
            }
            ++p;
            break;
          }
          cell += text[p++];
        }
        while (p < text.size() && (text[p] == ' ' || text[p] == '\t')) ++p;
        if (p < text.size() && text[p] != ',' && !line_end(text, p)) {
          error(diag_code::appeal_syntax, p, "text after a quoted cell");
          pos = skip_line(text, p);
          return row_kind::bad;
        }
      } else {
        const std::size_t from = p;
        while (p < text.size() && text[p] != ',' && !line_end(text, p)) ++p;
        std::size_t to = p;
        while (to > from && (text[to - 1] == ' ' || text[to - 1] == '\t')) --to;
        cell.assign(text, from, to - from);
      }
      if (const std::size_t bad = detail::find_invalid_utf8(cell); bad != std::string::npos) {
        error(diag_code::bad_encoding, offsets.back(), "invalid UTF-8 (is the file in another encoding? see --encoding)");
        pos = skip_line(text, p);
        return row_kind::bad;
      }
      cells.push_back(std::move(cell));
      if (p >= text.size()) {
        pos = p;
        return row_kind::row;
      }
      if (text[p] == ',') {
        pos = p + 1;
        continue;
      }
      pos = skip_line(text, p);
      return row_kind::row;
    }
  }

  static std::size_t skip_line(const std::string& text, std::size_t p) {
    const std::size_t nl = text.find('\n', p);
    return nl == std::string::npos ? text.size() : nl + 1;
  }
};

}  // namespace

std::string* appeal_text_field(appeal& a, std::string_view key) noexcept {
  if (key == "rule") return &a.rule;
  if (key == "record") return &a.record;
  if (key == "employee") return &a.employee;
  if (key == "window") return &a.window;
  if (key == "reviewer") return &a.reviewer;
  if (key == "reason") return &a.reason;
  if (key == "time") return &a.time;
  if (key == "note") return &a.note;
  return nullptr;
}

std::vector<std::string> complete_appeal(appeal& a, std::string_view decision, bool has_decision) {
  std::vector<std::string> out;
  auto blank = [](const std::string& s) { return s.find_first_not_of(" \t") == std::string::npos; };
  if (blank(a.rule)) out.push_back("appeal without a rule id: `rule` is required");
  if (!has_decision) out.push_back("appeal without a decision: `decision` must be void or upheld");
  else if (decision == "void") a.decision = appeal_decision::void_finding;
  else if (decision == "upheld") a.decision = appeal_decision::upheld;
  else out.push_back(fmt::format("unknown decision '{}': expected void or upheld", decision));
  if (blank(a.reviewer)) out.push_back("appeal without a reviewer: `reviewer` must be non-empty text");
  if (blank(a.reason)) out.push_back("appeal without a reason: `reason` must be non-empty text");
  const bool by_record = !a.record.empty(), by_window = !a.employee.empty() || !a.window.empty();
  if (by_record && by_window)
    out.push_back("an appeal names a finding by `record`, or by `employee` and `window`, not both");
  else if (!by_record && !by_window)
    out.push_back("appeal names no finding: give `record` (a record id), or `employee` and `window`");
  else if (by_window && (a.employee.empty() || a.window.empty()))
    out.push_back("a window finding is named by both `employee` and `window`");
  if (!a.time.empty() && !parse_time(a.time)) out.push_back(fmt::format("time: expected an ISO 8601 time, got \"{}\"", a.time));
  return out;
}

appeals_read parse_appeals(std::string name, std::string text, input_format format) {
  if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
  appeal_parser p;
  // Lines are numbered as in logs, by '\n' alone; source_file would also end one at a lone
  // '\r' (as YAML does), so it gets a copy with those blanked (offsets unchanged).
  std::string shown = text;
  for (std::size_t i = 0; i < shown.size(); ++i)
    if (shown[i] == '\r' && (i + 1 == shown.size() || shown[i + 1] != '\n')) shown[i] = ' ';
  p.text = std::move(text);
  p.src = std::make_shared<const source_file>(std::move(name), std::move(shown));
  if (format == input_format::jsonl) p.parse_jsonl();
  else p.parse_csv();
  return std::move(p.out);
}

appeals_read read_appeals(const std::string& path, text_encoding encoding, std::optional<input_format> format) {
  appeals_read out;
  if (!format) format = format_from_path(path);
  if (!format) {
    out.errors.push_back(make_error("cannot tell the format of appeals from the name; use .jsonl or .csv", path));
    out.errors.back().code = diag_code::appeal_syntax;
    return out;
  }
  // Appeals are a reviewer's decisions, not a log: a file this large is a mistake.
  result<std::string> text = read_text_file(path, encoding, std::size_t{64} << 20);
  if (!text) {
    out.errors.push_back(text.error());
    // Unreadable, too large or undecodable: the file as a whole (D103, D102 is for bad bytes at a place).
    out.errors.back().code = diag_code::cannot_read;
    return out;
  }
  return parse_appeals(path, std::move(*text), *format);
}

}  // namespace decorum
