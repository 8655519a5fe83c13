// src/report/xlsx.cpp — entry point: write_xlsx. The report as an Excel workbook, written
// with libxlsxwriter in its constant-memory mode (each row goes to a temporary file as it is
// written), so a report of many findings is never held whole as cells. Each sheet is walked
// twice: once to size its columns and count its rows, once to write them.
#include "decorum/report/xlsx.hpp"

#include "decorum/report/groups.hpp"

#include "decorum/base/chrono.hpp"
#include "decorum/base/diagnostic.hpp"

#include <fmt/format.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string_view>
#include <unistd.h>
#include <vector>

namespace decorum {

namespace {

/// One cell: blank (a JSON null), text, or a number.
struct cell {
  enum class kind : std::uint8_t { blank, text, number } k = kind::blank;
  std::string text;  ///< the text, or the number as written (for the column width)
  double number = 0;
};

/// A row under construction; cells are appended in column order.
struct row {
  std::vector<cell> cells;
  void clear() { cells.clear(); }
  row& blank() {
    cells.push_back({});
    return *this;
  }
  row& text(std::string_view s) {
    cells.push_back({cell::kind::text, std::string(s), 0});
    return *this;
  }
  row& text_or_blank(bool present, std::string_view s) { return present ? text(s) : blank(); }
  /// A number written in decimal: a number cell when a double holds it exactly as written
  /// (at most 15 significant digits), else text with the exact digits.
  row& number(std::string s) {
    int significant = 0;
    bool leading = true;
    for (char c : s) {
      if (c < '0' || c > '9') continue;
      if (leading && c == '0') continue;
      leading = false;
      ++significant;
    }
    double v = 0;
    // from_chars, not strtod: a locale's decimal comma must not change the value.
    if (significant <= 15 && std::from_chars(s.data(), s.data() + s.size(), v).ec == std::errc())
      cells.push_back({cell::kind::number, std::move(s), v});
    else cells.push_back({cell::kind::text, std::move(s), 0});
    return *this;
  }
  row& number(decimal d) { return number(d.to_string()); }
  row& number(std::uint64_t n) { return number(std::to_string(n)); }
};

/// Produces a sheet's rows: calls its argument once per row, in order, with the row filled.
using row_source = std::function<void(const std::function<void(const row&)>&)>;

/// Column widths in Excel's units (about one Latin character): the widest cell by display
/// width (a Chinese character counts two), plus a margin, within bounds.
constexpr double min_width = 6, max_width = 72;

/// The workbook being written, and the first error met (later calls then do nothing).
struct book {
  lxw_workbook* wb = nullptr;
  lxw_format* bold = nullptr;
  std::string error;

  void fail(lxw_error e, std::string_view sheet, std::size_t r, std::size_t c) {
    if (e == LXW_NO_ERROR || !error.empty()) return;
    error = fmt::format("sheet {}, row {}, column {}: {}", sheet, r + 1, c + 1, lxw_strerror(e));
  }

  /// Adds a sheet with a frozen, bold header row and then the rows of `rows`.
  void sheet(const char* name, const std::vector<std::string>& head, const row_source& rows) {
    if (!error.empty()) return;
    std::vector<int> width(head.size());
    for (std::size_t c = 0; c < head.size(); ++c) width[c] = detail::display_width(head[c]);
    std::size_t count = 0;
    rows([&](const row& r) {
      ++count;
      for (std::size_t c = 0; c < r.cells.size() && c < width.size(); ++c)
        width[c] = std::max(width[c], detail::display_width(r.cells[c].text));
    });
    if (count >= LXW_ROW_MAX) {
      error = fmt::format("sheet {} needs {} rows, more than the {} an xlsx sheet holds below its header; "
                          "write JSON or CSV instead",
                          name, count, LXW_ROW_MAX - 1);
      return;
    }
    lxw_worksheet* ws = workbook_add_worksheet(wb, name);
    if (!ws) {
      error = fmt::format("cannot add sheet {}", name);
      return;
    }
    for (std::size_t c = 0; c < head.size(); ++c) {
      const auto col = static_cast<lxw_col_t>(c);
      fail(worksheet_set_column(ws, col, col, std::clamp(width[c] + 2.0, min_width, max_width), nullptr), name, 0, c);
    }
    worksheet_freeze_panes(ws, 1, 0);
    for (std::size_t c = 0; c < head.size(); ++c)
      fail(worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), head[c].c_str(), bold), name, 0, c);
    lxw_row_t at = 1;
    rows([&](const row& r) {
      for (std::size_t c = 0; c < r.cells.size(); ++c) {
        const cell& x = r.cells[c];
        const auto col = static_cast<lxw_col_t>(c);
        // Text is always a string cell: "=cmd|…" stays text, never a formula.
        if (x.k == cell::kind::text && !x.text.empty()) fail(worksheet_write_string(ws, at, col, x.text.c_str(), nullptr), name, at, c);
        else if (x.k == cell::kind::number) fail(worksheet_write_number(ws, at, col, x.number, nullptr), name, at, c);
      }
      ++at;
    });
  }
};

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (std::size_t k = 0; k < v.size(); ++k) out += (k ? ", " : "") + v[k];
  return out;
}

void cover_sheet(book& b, const score_report& r, bool with_findings) {
  b.sheet("Cover", {"field", "value"}, [&](const std::function<void(const row&)>& emit) {
    row x;
    auto text = [&](std::string_view field, bool present, std::string_view v) {
      x.clear();
      emit(x.text(field).text_or_blank(present, v));
    };
    auto count = [&](std::string_view field, std::uint64_t n) {
      x.clear();
      emit(x.text(field).number(n));
    };
    text("rulebook", true, r.rulebook);
    text("version", r.rulebook_version.has_value(), r.rulebook_version.value_or(""));
    count("rules", r.rule_count);
    text("sha256", true, r.rulebook_sha256);
    text("period", true, to_string(r.period));
    text("currency", true, r.currency);
    count("records", r.records);
    count("scored", r.scored);
    count("rejected", r.rejected);
    text("as_of", r.as_of.has_value(), r.as_of.value_or(""));
    count("tallies", r.tallies.size());
    if (with_findings) count("findings", r.findings.size());
    count("pending", r.pending.size());
    count("appeals applied", r.appeals.applied);
    count("appeals voided", r.appeals.voided);
    count("appeals upheld", r.appeals.upheld);
    count("appeals unmatched", r.appeals.unmatched.size());
  });
}

void tally_sheets(book& b, const score_report& r) {
  // One column per category any tally has, in name order, after the fixed columns.
  std::vector<std::string> categories;
  for (const tally& t : r.tallies)
    for (const auto& c : t.categories) categories.push_back(c.first);
  std::sort(categories.begin(), categories.end());
  categories.erase(std::unique(categories.begin(), categories.end()), categories.end());
  std::vector<std::string> head = {"employee", "name",  "period",   "base",   "deductions", "bonuses",
                                   "score",    "grade", "fines",    "findings", "voided",   "flags"};
  const bool grouped = !r.group_by.empty();
  if (grouped) head.push_back("group");  // score --group-by: the group the tally rolls up into
  for (const auto& c : categories) head.push_back("category " + c);
  b.sheet("Tallies", head, [&](const std::function<void(const row&)>& emit) {
    row x;
    for (const tally& t : r.tallies) {
      x.clear();
      x.text(t.employee).text_or_blank(t.has_records, t.name).text(t.period);
      x.number(t.base).number(t.deductions).number(t.bonuses).number(t.score);
      x.text_or_blank(t.grade.has_value(), t.grade.value_or("")).number(t.fines).number(t.findings).number(t.voided);
      x.text(joined(t.flags));
      if (grouped) x.text_or_blank(t.group.has_value(), t.group.value_or(""));
      // Both lists are sorted: one merge pass puts each amount under its column.
      auto it = t.categories.begin();
      for (const auto& c : categories) {
        if (it != t.categories.end() && it->first == c) x.number((it++)->second);
        else x.blank();
      }
      emit(x);
    }
  });
  b.sheet("Rules", {"employee", "name", "period", "rule", "count", "points", "fines"},
          [&](const std::function<void(const row&)>& emit) {
            row x;
            for (const tally& t : r.tallies)
              for (const rule_tally& k : t.rules) {
                x.clear();
                x.text(t.employee).text_or_blank(t.has_records, t.name).text(t.period).text(k.id);
                emit(x.number(k.count).number(k.points).number(k.fines));
              }
          });
}

/// `score --group-by`: one row per group and period, as the JSON report's `groups`; category
/// and grade columns in name order, as in Tallies.
void groups_sheet(book& b, const score_report& r) {
  const std::vector<group_tally> groups = group_tallies(r);
  std::vector<std::string> categories, grades;
  for (const group_tally& g : groups) {
    for (const auto& c : g.categories) categories.push_back(c.first);
    for (const auto& x : g.grades) grades.push_back(x.first);
  }
  for (auto* v : {&categories, &grades}) {
    std::sort(v->begin(), v->end());
    v->erase(std::unique(v->begin(), v->end()), v->end());
  }
  std::vector<std::string> head = {"group", "period", "employees", "mean", "median", "deductions", "bonuses"};
  for (const auto& c : categories) head.push_back("category " + c);
  for (const auto& g : grades) head.push_back("grade " + g);
  head.push_back("ungraded");
  b.sheet("Groups", head, [&](const std::function<void(const row&)>& emit) {
    row x;
    for (const group_tally& g : groups) {
      x.clear();
      x.text_or_blank(g.group.has_value(), g.group.value_or("")).text(g.period).number(g.employees);
      x.number(g.mean).number(g.median).number(g.deductions).number(g.bonuses);
      auto ci = g.categories.begin();
      for (const auto& c : categories) {
        if (ci != g.categories.end() && ci->first == c) x.number((ci++)->second);
        else x.blank();
      }
      auto gi = g.grades.begin();
      for (const auto& name : grades) {
        if (gi != g.grades.end() && gi->first == name) x.number((gi++)->second);
        else x.blank();
      }
      emit(x.number(g.ungraded));
    }
  });
}

void findings_sheet(book& b, const score_report& r) {
  b.sheet("Findings",
          {"employee", "period", "rule", "time", "occurrences", "points", "fine", "source", "line", "rule_file", "rule_line",
           "matched", "window", "aggregates", "discharge_source", "discharge_line", "due", "late", "appeal", "reviewer",
           "reason", "appeal_source", "appeal_line"},
          [&](const std::function<void(const row&)>& emit) {
            row x;
            for (const finding& f : r.findings) {
              x.clear();
              x.text(f.employee).text(f.period).text(f.rule).text(f.time).number(f.occurrences).number(f.points).number(f.fine);
              if (f.has_source) x.text(f.source).number(f.line);
              else x.blank().blank();
              x.text(f.rule_file).number(std::uint64_t{f.rule_line}).text(f.matched);
              const bool window = f.from == finding::origin::window, deadline = f.from == finding::origin::deadline;
              x.text_or_blank(window, f.window).text_or_blank(window, f.aggregates);
              if (deadline && f.discharged) x.text(f.discharge_source).number(f.discharge_line);
              else x.blank().blank();
              x.text_or_blank(deadline, f.due);
              if (deadline) x.number(f.late);
              else x.blank();
              if (f.appeal) {
                const appeal_note& a = *f.appeal;
                x.text(a.decision == appeal_decision::void_finding ? "voided" : "upheld").text(a.reviewer).text(a.reason);
                x.text(a.source).number(a.line);
              }
              emit(x);
            }
          });
}

void other_sheets(book& b, const score_report& r) {
  b.sheet("Rejected", {"source", "line", "error"}, [&](const std::function<void(const row&)>& emit) {
    row x;
    for (const rejection& j : r.rejections) {
      x.clear();
      emit(x.text(r.source_name(j)).number(j.line).text(j.reason));
    }
  });
  if (!r.pending.empty())
    b.sheet("Pending", {"employee", "rule", "source", "line", "due"}, [&](const std::function<void(const row&)>& emit) {
      row x;
      for (const pending_duty& d : r.pending) {
        x.clear();
        emit(x.text(d.employee).text(d.rule).text(d.source).number(d.line).text(d.due));
      }
    });
  if (!r.appeals.unmatched.empty())
    b.sheet("Appeals", {"source", "line", "reason"}, [&](const std::function<void(const row&)>& emit) {
      row x;
      for (const unmatched_appeal& u : r.appeals.unmatched) {
        x.clear();
        emit(x.text(u.source).number(u.line).text(u.reason));
      }
    });
}

}  // namespace

result<void, std::string> write_xlsx(const score_report& r, bool with_findings, const std::string& path) {
  // A path that cannot be written fails here, with the system's reason, before any work
  // (libxlsxwriter would find out only when closing, and print to standard error).
  if (std::FILE* probe = std::fopen(path.c_str(), "wb")) std::fclose(probe);
  else return std::string(std::strerror(errno));
  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE;
  options.use_zip64 = LXW_TRUE;
  book b;
  b.wb = workbook_new_opt(path.c_str(), &options);
  if (!b.wb) return std::string("cannot start a workbook (out of memory)");
  // The creation time is the report's as-of time, not the clock's: the same report gives
  // the same bytes. Without records there is none, and the zip format's epoch stands in.
  std::string title = "decorum report: " + r.rulebook;
  lxw_doc_properties props{};
  props.title = title.data();
  props.created = 315532800;  // 1980-01-01T00:00:00Z
  if (r.as_of)
    if (auto t = parse_time(*r.as_of); t && t->local_seconds > props.created) props.created = static_cast<time_t>(t->local_seconds);
  workbook_set_properties(b.wb, &props);
  b.bold = workbook_add_format(b.wb);
  format_set_bold(b.bold);

  cover_sheet(b, r, with_findings);
  tally_sheets(b, r);
  if (!r.group_by.empty()) groups_sheet(b, r);
  if (with_findings) findings_sheet(b, r);
  other_sheets(b, r);
  // The workbook is closed even after an error, to free it and its temporary files.
  const lxw_error closed = workbook_close(b.wb);
  if (!b.error.empty()) {
    std::error_code ec;
    std::filesystem::remove(path, ec);
    return b.error;
  }
  if (closed != LXW_NO_ERROR) return std::string(lxw_strerror(closed));
  return {};
}

result<void, std::string> write_xlsx(const score_report& r, bool with_findings, std::FILE* file) {
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
  if (ec) dir = "/tmp";
  std::string name = (dir / "decorum-XXXXXX").string();
  const int fd = mkstemp(name.data());
  if (fd < 0) return fmt::format("cannot create a temporary file in {}", dir.string());
  close(fd);
  auto written = write_xlsx(r, with_findings, name);
  if (written) {
    std::FILE* in = std::fopen(name.c_str(), "rb");
    bool copied = in != nullptr;
    char buf[1 << 16];
    while (copied) {
      const std::size_t n = std::fread(buf, 1, sizeof buf, in);
      if (n == 0) break;
      copied = std::fwrite(buf, 1, n, file) == n;
    }
    if (in && std::ferror(in)) copied = false;
    if (in) std::fclose(in);
    if (!copied || std::fflush(file) != 0 || std::ferror(file)) written = std::string("write error");
  }
  std::filesystem::remove(name, ec);
  return written;
}

}  // namespace decorum
