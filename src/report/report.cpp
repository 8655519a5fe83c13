// src/report/report.cpp — entry point: write_report. JSON, CSV and table renderings of a report,
// and the shared pieces of report writing (parts.hpp) that `decorum diff` writes the same way.
#include "decorum/report/report.hpp"
#include "decorum/report/xlsx.hpp"

#include "decorum/base/parallel.hpp"
#include "decorum/report/groups.hpp"
#include "report/parts.hpp"

#include <fmt/format.h>

#include <charconv>
#include <vector>
#include <algorithm>

namespace decorum {

namespace {

using detail::out_buffer;

std::string q(std::string_view s) { return detail::json_quote(s); }

using detail::csv_cell;

std::string pad(std::string_view s, std::size_t width, bool right = false) { return detail::pad_to_width(s, width, right); }

/// One tally's JSON object. Tallies are most of a report: written straight into the buffer,
/// without the temporary strings fmt::format and q() would build for every field.
void append_tally(std::string& b, const tally& t, bool grouped) {
  const auto str = [&b](std::string_view s) {
    b += '"';
    detail::append_json_escaped(b, s);
    b += '"';
  };
  const auto dec = [&b](decimal d) { b += d.to_string(); };
  const auto count = [&b](std::uint64_t v) {
    char digits[24];
    b.append(digits, std::to_chars(digits, digits + sizeof digits, v).ptr);
  };
  // Keys are literals: appended as they are, each with the separator before it.
  const auto key = [&b](std::string_view k) {
    b += ", \"";
    b += k;
    b += "\": ";
  };
  b += "{\"employee\": ";
  str(t.employee);
  key("name");
  if (t.has_records) str(t.name);
  else b += "null";
  key("period"), str(t.period);
  key("base"), dec(t.base);
  key("deductions"), dec(t.deductions);
  key("bonuses"), dec(t.bonuses);
  key("score"), dec(t.score);
  key("grade");
  if (t.grade) str(*t.grade);
  else b += "null";
  key("fines"), dec(t.fines);
  key("findings"), count(t.findings);
  key("voided"), count(t.voided);
  if (grouped) {  // score --group-by: the group this tally rolls up into
    key("group");
    if (t.group) str(*t.group);
    else b += "null";
  }
  b += ", \"flags\": [";
  for (std::size_t k = 0; k < t.flags.size(); ++k) {
    if (k) b += ", ";
    str(t.flags[k]);
  }
  b += "],\n     \"categories\": {";
  for (std::size_t k = 0; k < t.categories.size(); ++k) {
    if (k) b += ", ";
    str(t.categories[k].first);
    b += ": ";
    dec(t.categories[k].second);
  }
  b += "},\n     \"rules\": [";
  for (std::size_t k = 0; k < t.rules.size(); ++k) {
    b += k ? ", {\"id\": " : "{\"id\": ";
    str(t.rules[k].id);
    b += ", \"count\": ";
    count(t.rules[k].count);
    b += ", \"points\": ";
    dec(t.rules[k].points);
    b += ", \"fines\": ";
    dec(t.rules[k].fines);
    b += '}';
  }
  b += "]}";
}

/// The keys a window or deadline finding adds (SPEC §8.1, §8.2), with a leading comma.
std::string across_fields(const finding& f) {
  if (f.from == finding::origin::window)
    return fmt::format(", \"window\": {}, \"aggregates\": {}", q(f.window), q(f.aggregates));
  if (f.from == finding::origin::deadline)
    return fmt::format(", \"discharge\": {}, \"due\": {}, \"late\": {}",
                       f.discharged ? fmt::format("{{\"source\": {}, \"line\": {}}}", q(f.discharge_source), f.discharge_line)
                                    : std::string("null"),
                       q(f.due), f.late.to_string());
  return {};
}

/// SPEC §10: `"voided": {…}` or `"upheld": {…}` on a finding an appeal decided, with a
/// leading comma; empty otherwise.
std::string appeal_fields(const finding& f) {
  if (!f.appeal) return {};
  const appeal_note& a = *f.appeal;
  return fmt::format(", \"{}\": {{\"reviewer\": {}, \"reason\": {}, \"source\": {}, \"line\": {}}}",
                     a.decision == appeal_decision::void_finding ? "voided" : "upheld", q(a.reviewer), q(a.reason), q(a.source),
                     a.line);
}

void json_to(const score_report& r, bool with_findings, out_buffer& o, unsigned threads = 1) {
  o += "{\n";
  o += "  \"decorum\": 1,\n";
  o += fmt::format("  \"rulebook\": {},\n", detail::json_rulebook(r));
  o += fmt::format("  \"period\": {},\n", q(to_string(r.period)));
  o += fmt::format("  \"currency\": {},\n", q(r.currency));
  o += fmt::format("  \"input\": {},\n", detail::json_input(r));
  o += fmt::format("  \"as_of\": {},\n", r.as_of ? q(*r.as_of) : std::string("null"));
  o += "  \"tallies\": [";
  // Tallies go out in batches; with several threads each formats a share of a batch into
  // its own buffer, and the buffers are written in order, so the bytes never depend on the
  // thread count and at most one batch is held in memory.
  const std::size_t n = r.tallies.size();
  const unsigned parts = n >= 1024 ? std::clamp(threads, 1u, 16u) : 1u;
  if (parts == 1) {
    for (std::size_t i = 0; i < n; ++i) {
      o += i ? ",\n    " : "\n    ";
      append_tally(o.buf, r.tallies[i], !r.group_by.empty());
      o.maybe_flush();
    }
  } else {
    // About 1 KB a tally: a batch of 256 per thread keeps the buffers small.
    const std::size_t batch = std::size_t{256} * parts;
    std::vector<std::string> pieces(parts);
    for (std::size_t from = 0; from < n; from += batch) {
      const std::size_t to = std::min(n, from + batch);
      auto format_part = [&](unsigned part) {
        std::string& b = pieces[part];
        b.clear();
        for (std::size_t i = from + (to - from) * part / parts; i < from + (to - from) * (part + 1) / parts; ++i) {
          b += i ? ",\n    " : "\n    ";
          append_tally(b, r.tallies[i], !r.group_by.empty());
        }
      };
      detail::run_parts(parts, format_part);
      for (const auto& piece : pieces) {
        o += piece;
        o.maybe_flush();
      }
    }
  }
  o += r.tallies.empty() ? "],\n" : "\n  ],\n";
  o += detail::json_groups(r);
  o += "  \"rejected\": [";
  for (std::size_t i = 0; i < r.rejections.size(); ++i) {
    const auto& x = r.rejections[i];
    o += fmt::format("{}\n    {{\"source\": {}, \"line\": {}, \"error\": {}}}", i ? "," : "", q(r.source_name(x)), x.line, q(x.reason));
    o.maybe_flush();
  }
  o += r.rejections.empty() ? "],\n" : "\n  ],\n";
  o += "  \"pending\": [";
  for (std::size_t i = 0; i < r.pending.size(); ++i) {
    const pending_duty& d = r.pending[i];
    o += fmt::format("{}\n    {{\"employee\": {}, \"rule\": {}, \"source\": {}, \"line\": {}, \"due\": {}}}", i ? "," : "",
                     q(d.employee), q(d.rule), q(d.source), d.line, q(d.due));
    o.maybe_flush();
  }
  o += r.pending.empty() ? "],\n" : "\n  ],\n";
  o += fmt::format("  \"appeals\": {{\"applied\": {}, \"voided\": {}, \"upheld\": {}, \"unmatched\": [", r.appeals.applied,
                   r.appeals.voided, r.appeals.upheld);
  for (std::size_t i = 0; i < r.appeals.unmatched.size(); ++i) {
    const unmatched_appeal& u = r.appeals.unmatched[i];
    o += fmt::format("{}\n    {{\"source\": {}, \"line\": {}, \"reason\": {}}}", i ? "," : "", q(u.source), u.line, q(u.reason));
  }
  o += r.appeals.unmatched.empty() ? "]},\n" : "\n  ]},\n";
  o += "  \"findings\": [";
  if (with_findings)
    for (std::size_t i = 0; i < r.findings.size(); ++i) {
      const finding& f = r.findings[i];
      o += fmt::format(
          "{}\n    {{\"employee\": {}, \"period\": {}, \"rule\": {}, \"time\": {}, \"occurrences\": {}, \"points\": {}, "
          "\"fine\": {}, \"source\": {}, \"line\": {}, \"rule_file\": {}, \"rule_line\": {}, \"matched\": {}{}{}}}",
          i ? "," : "", q(f.employee), q(f.period), q(f.rule), q(f.time), f.occurrences, f.points.to_string(),
          f.fine.to_string(), f.has_source ? q(f.source) : "null", f.has_source ? std::to_string(f.line) : "null", q(f.rule_file),
          f.rule_line, q(f.matched), across_fields(f), appeal_fields(f));
      o.maybe_flush();
    }
  o += (with_findings && !r.findings.empty()) ? "\n  ]\n" : "]\n";
  o += "}\n";
}

void csv_to(const score_report& r, out_buffer& o) {
  o += "employee,name,period,base,deductions,bonuses,score,grade,fines,findings,flags\n";
  for (const tally& t : r.tallies) {
    std::string flags;
    for (std::size_t k = 0; k < t.flags.size(); ++k) flags += (k ? ";" : "") + t.flags[k];
    o += fmt::format("{},{},{},{},{},{},{},{},{},{},{}\n", csv_cell(t.employee), csv_cell(t.name), csv_cell(t.period),
                     t.base.to_string(), t.deductions.to_string(), t.bonuses.to_string(), t.score.to_string(),
                     csv_cell(t.grade.value_or("")), t.fines.to_string(), t.findings, csv_cell(flags));
    o.maybe_flush();
  }
  o += detail::csv_groups(r);
}

void table_to(const score_report& r, bool with_findings, out_buffer& o) {
  std::vector<std::string> head = {"employee", "name", "period", "score", "grade", "deductions", "bonuses", "fines", "findings", "flags"};
  std::vector<std::vector<std::string>> rows;
  for (const tally& t : r.tallies) {
    std::string flags;
    for (std::size_t k = 0; k < t.flags.size(); ++k) flags += (k ? ", " : "") + t.flags[k];
    rows.push_back({t.employee, t.name, t.period, t.score.to_string(), t.grade.value_or("-"), t.deductions.to_string(),
                    t.bonuses.to_string(), t.fines.to_string(), std::to_string(t.findings), flags});
  }
  std::vector<std::size_t> w(head.size());
  for (std::size_t c = 0; c < head.size(); ++c) {
    w[c] = head[c].size();
    for (const auto& row : rows) w[c] = std::max(w[c], static_cast<std::size_t>(detail::display_width(row[c])));
  }
  auto right = [](std::size_t c) { return c >= 3 && c <= 8 && c != 4; };
  auto line = [&](const std::vector<std::string>& row) {
    std::string l;
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c) l += "  ";
      l += c + 1 == row.size() ? row[c] : pad(row[c], w[c], right(c));
    }
    while (!l.empty() && l.back() == ' ') l.pop_back();
    o += l;
    o += '\n';
    o.maybe_flush();
  };
  line(head);
  for (const auto& row : rows) line(row);
  o += detail::table_groups(r);
  // SPEC §9: the footer names the rules that produced the report.
  o += fmt::format("\n{} records: {} scored, {} rejected; {} tallies; {}, period {}\n", r.records, r.scored, r.rejected,
                   r.tallies.size(), detail::rulebook_footer(r), to_string(r.period));
  if (!r.pending.empty())
    o += fmt::format("{} dut{} pending, not yet due as of {}\n", r.pending.size(), r.pending.size() == 1 ? "y" : "ies",
                     r.as_of.value_or("-"));
  if (r.appeals.applied + r.appeals.unmatched.size() > 0)
    o += fmt::format("appeals: {} applied ({} voided, {} upheld), {} unmatched\n", r.appeals.applied, r.appeals.voided,
                     r.appeals.upheld, r.appeals.unmatched.size());
  if (!r.appeals.unmatched.empty()) {
    o += "\nunmatched appeals:\n";
    for (const auto& u : r.appeals.unmatched) o += fmt::format("  {}:{}: {}\n", u.source, u.line, u.reason);
  }
  if (!r.rejections.empty()) {
    o += "\nrejected:\n";
    for (const auto& x : r.rejections) o += fmt::format("  {}:{}: {}\n", r.source_name(x), x.line, x.reason);
  }
  if (with_findings && !r.findings.empty()) {
    o += "\nfindings:\n";
    for (const finding& f : r.findings) {
      o += fmt::format("  {} {} {} {} x{} points {} fine {} — {} (rule {}:{}){}{}\n", f.employee, f.period, f.time, f.rule,
                       f.occurrences, f.points.to_string(), f.fine.to_string(),
                       f.has_source ? fmt::format("{}:{}", f.source, f.line) : std::string("no record counted"), f.rule_file,
                       f.rule_line, f.matched.empty() ? "" : ": ", f.matched);
      if (f.appeal)
        o += fmt::format("    {} by {} ({}:{}): {}\n", f.appeal->decision == appeal_decision::void_finding ? "voided" : "upheld",
                         f.appeal->reviewer, f.appeal->source, f.appeal->line, f.appeal->reason);
    }
  }
}

void report_to(const score_report& r, report_format f, bool with_findings, out_buffer& o, unsigned threads = 1) {
  switch (f) {
    case report_format::json: json_to(r, with_findings, o, threads); break;
    case report_format::csv: csv_to(r, o); break;
    case report_format::table: table_to(r, with_findings, o); break;
    case report_format::xlsx: break;  // binary: the callers write it (xlsx.cpp)
    case report_format::html: detail::html_to(r, o); break;
  }
}

}  // namespace

namespace detail {

std::string json_quote(std::string_view s) {
  std::string out = "\"";
  append_json_escaped(out, s);
  out += '"';
  return out;
}

std::string csv_cell(std::string_view s) {
  // OWASP's CSV-injection advice: Excel reads a cell starting with = + - @ (or tab, CR) as a
  // formula; a leading ' makes it show the text. Only text cells come here: decorum's own
  // numbers (a negative deduction) are written as numbers.
  std::string guarded;
  if (!s.empty() && std::string_view("=+-@\t\r").find(s[0]) != std::string_view::npos) {
    guarded.reserve(s.size() + 1);
    guarded += '\'';
    guarded.append(s);
    s = guarded;
  }
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string pad_to_width(std::string_view s, std::size_t width, bool right) {
  auto w = static_cast<std::size_t>(display_width(s));
  std::string fill(width > w ? width - w : 0, ' ');
  return right ? fill + std::string(s) : std::string(s) + fill;
}

std::string json_rulebook(const score_report& r) {
  return fmt::format("{{\"name\": {}, \"version\": {}, \"rules\": {}, \"sha256\": {}}}", json_quote(r.rulebook),
                     r.rulebook_version ? json_quote(*r.rulebook_version) : std::string("null"), r.rule_count,
                     json_quote(r.rulebook_sha256));
}

std::string json_input(const score_report& r) {
  std::string o = fmt::format("{{\"records\": {}, \"scored\": {}, \"rejected\": {}", r.records, r.scored, r.rejected);
  // Per input, the encoding it was read as (issue 16): a GBK export is named as such in the
  // report as on standard error. Only for inputs decorum read (or merged partials of them,
  // null when a partial does not say): a scorer fed records through the API has sources that
  // are labels, not files.
  if (r.source_encodings.empty()) return o + "}";
  o += ", \"files\": [";
  for (std::size_t i = 0; i < r.sources.size(); ++i) {
    const std::string enc = i < r.source_encodings.size() ? r.source_encodings[i] : std::string();
    o += fmt::format("{}{{\"path\": {}, \"encoding\": {}}}", i ? ", " : "", q(r.sources[i]), enc.empty() ? "null" : q(enc));
  }
  return o + "]}";
}

std::string rulebook_footer(const score_report& r) {
  return fmt::format("rulebook {}{} (sha256 {}, {} rules)", r.rulebook,
                     r.rulebook_version ? " version " + *r.rulebook_version : std::string(), r.rulebook_sha256.substr(0, 12),
                     r.rule_count);
}

}  // namespace detail

std::string write_json(const score_report& r, bool with_findings) {
  out_buffer o;
  json_to(r, with_findings, o);
  return std::move(o.buf);
}

std::string write_csv(const score_report& r) {
  out_buffer o;
  csv_to(r, o);
  return std::move(o.buf);
}

std::string write_findings_csv(const score_report& r) {
  std::string o = "employee,period,rule,time,occurrences,points,fine,source,line,rule_file,rule_line,matched,appeal,reviewer,"
                  "appeal_reason\n";
  for (const finding& f : r.findings) {
    const char* decision =
        !f.appeal ? "" : f.appeal->decision == appeal_decision::void_finding ? "void" : "upheld";
    o += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", csv_cell(f.employee), csv_cell(f.period),
                     csv_cell(f.rule), csv_cell(f.time), f.occurrences, f.points.to_string(), f.fine.to_string(),
                     f.has_source ? csv_cell(f.source) : "", f.has_source ? std::to_string(f.line) : "",
                     csv_cell(f.rule_file), f.rule_line, csv_cell(f.matched), decision,
                     f.appeal ? csv_cell(f.appeal->reviewer) : "", f.appeal ? csv_cell(f.appeal->reason) : "");
  }
  return o;
}

std::string write_rejected_csv(const score_report& r) {
  std::string o = "source,line,error\n";
  for (const auto& x : r.rejections) o += fmt::format("{},{},{}\n", csv_cell(r.source_name(x)), x.line, csv_cell(x.reason));
  return o;
}

std::string write_table(const score_report& r, bool with_findings) {
  out_buffer o;
  table_to(r, with_findings, o);
  return std::move(o.buf);
}

std::string write_html(const score_report& r) {
  out_buffer o;
  detail::html_to(r, o);
  return std::move(o.buf);
}

std::string write_report(const score_report& r, report_format f, bool with_findings) {
  if (f == report_format::xlsx) {
    std::string bytes;
    std::FILE* tmp = std::tmpfile();
    if (tmp && write_xlsx(r, with_findings, tmp) && std::fseek(tmp, 0, SEEK_SET) == 0) {
      char buf[1 << 16];
      for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, tmp)) > 0;) bytes.append(buf, n);
    }
    if (tmp) std::fclose(tmp);
    return bytes;
  }
  out_buffer o;
  report_to(r, f, with_findings, o);
  return std::move(o.buf);
}

bool write_report(const score_report& r, report_format f, bool with_findings, std::FILE* file, unsigned threads) {
  if (f == report_format::xlsx) return write_xlsx(r, with_findings, file).ok();
  out_buffer o;
  o.file = file;
  report_to(r, f, with_findings, o, threads);
  o.flush();
  return std::fflush(file) == 0 && !std::ferror(file);
}

}  // namespace decorum
