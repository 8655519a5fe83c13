// tests/fuzz/fuzz_logs.hpp — the body of fuzz_jsonl and fuzz_csv: the input bytes are one
// log, scored with the fixed rulebook of fuzz_common.hpp in every way decorum can read it,
// and every way must give the same report:
//
//   A  in memory, one reader over the whole text (the reference)
//   P  the same with readable padding after the text holding junk (simdjson's in-place path)
//   B  in memory, the text cut at a record boundary and read in two calls of one reader,
//      the second continuing the line numbers: byte-identical JSON report and read_stats.
//      Every boundary when the text has at most 16 records, else one the first byte picks.
//   X  the records the reader accepted, written in the other format (JSON Lines as CSV with
//      every text cell quoted; CSV as JSON Lines) and read back by the other reader: every
//      one accepted, and the same kind, time and values, slot by slot (SPEC §3: the two
//      formats carry the same records)
//   F  score_batch on the text as a regular file (memory-mapped), one thread, small blocks
//   G  score_batch on the text through a pipe (split_input's block reader), small blocks
//   S  score_batch on the text cut into two files (CSV: the second gets the header), two
//      threads, small blocks: the same counts, tallies and rejection messages (lines and
//      file names differ, so they are not compared)
//
// Each input runs one of F, G and S (see below). Cut points and block sizes come from the
// first input byte. Every report is also checked for records read = scored + rejected and
// rendered in every format.
#pragma once

#include "fuzz_common.hpp"

#include <optional>

namespace fuzz {

namespace detail_logs {

inline bool blank(std::string_view s) {
  for (char c : s)
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
  return true;
}

struct batch_run {
  decorum::batch_result result;
  std::vector<std::string> names;
};

inline batch_run run_batch(const std::shared_ptr<const decorum::rule_set>& rules, std::vector<std::string> paths,
                           decorum::input_format format, unsigned threads, std::size_t block) {
  decorum::batch_options o;
  // The reference is the in-memory UTF-8 reader; `--encoding auto` (the default) judges each
  // file on its own bytes, so a log cut into two files could be decoded two ways.
  o.encoding = decorum::text_encoding::utf8;
  o.threads = threads;
  o.block_size = block;
  std::vector<decorum::batch_input> inputs;
  for (const auto& p : paths) inputs.push_back({p, format});
  batch_run r;
  r.result = decorum::score_batch(rules, std::move(inputs), o);
  // The report names each file's encoding (input.files), which the in-memory reference has
  // no files to name: checked here, then left out of the comparison.
  if (r.result.ok()) {
    for (const auto& e : r.result.report.source_encodings) FUZZ_CHECK(e == "UTF-8", "a file forced to UTF-8 named another encoding");
    r.result.report.source_encodings.clear();
  }
  r.names = std::move(paths);
  return r;
}


/// A record copied out of a sink call (a reader's record dies when the call returns).
struct owned_value {
  decorum::value_type type = decorum::value_type::null_;
  bool boolean = false;
  std::int64_t num = 0;
  std::string text;
  bool operator==(const owned_value&) const = default;
};
struct owned_record {
  std::int32_t kind = -1;
  decorum::timestamp time;
  std::vector<owned_value> values;
  std::uint64_t line = 0;
};

/// Keeps copies of every record and rejection a reader delivers.
class collecting_sink final : public decorum::record_sink {
 public:
  void on_record(const decorum::record& r) override {
    owned_record o;
    o.kind = r.kind;
    o.time = r.time;
    o.line = r.line;
    for (const auto& v : r.values) o.values.push_back({v.type, v.boolean, v.num, std::string(v.text)});
    records.push_back(std::move(o));
  }
  void on_reject(decorum::rejection r) override { rejections.push_back(std::move(r)); }
  std::vector<owned_record> records;
  std::vector<decorum::rejection> rejections;
};

inline std::string show_record(const decorum::record_schema& schema, const owned_record& r) {
  std::string out = "line " + std::to_string(r.line) + ", kind " + std::to_string(r.kind) + ", time " +
                    decorum::format_time(r.time) + (r.time.date_only ? " (date only)" : "") + "\n";
  const auto* kind = r.kind >= 0 && static_cast<std::size_t>(r.kind) < schema.kinds().size()
                         ? &schema.kinds()[static_cast<std::size_t>(r.kind)]
                         : nullptr;
  for (std::size_t s = 0; s < r.values.size(); ++s) {
    const owned_value& v = r.values[s];
    if (v.type == decorum::value_type::null_) continue;
    out += "  ";
    out += kind && s < kind->fields.size() ? kind->fields[s].name : "slot " + std::to_string(s);
    out += ": ";
    out += decorum::to_string(v.type);
    out += " num=" + std::to_string(v.num) + (v.boolean ? " true" : "");
    if (v.type == decorum::value_type::text) {
      out += " \"";
      for (unsigned char c : v.text) {
        if (c >= 0x20 && c != 0x7F && c != '\\') out += static_cast<char>(c);
        else {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02X", c);
          out += buf;
        }
      }
      out += '"';
    }
    out += '\n';
  }
  return out;
}

/// The columns of the CSV a JSON Lines log is rewritten as: the standard fields, then every
/// declared field name once, in schema order.
inline std::vector<std::string> csv_columns(const decorum::record_schema& schema) {
  std::vector<std::string> cols;
  for (const auto& k : schema.kinds())
    for (const auto& f : k.fields) {
      bool known = false;
      for (const auto& c : cols) known = known || c == f.name;
      if (!known) cols.push_back(f.name);
    }
  return cols;
}

/// A value as the text a log carries: numbers and durations as decimals (seconds), times in
/// ISO form (the record's `time` with its offset as written), texts as they are.
inline std::string value_text(const owned_record& r, std::uint32_t slot, const owned_value& v) {
  using decorum::value_type;
  switch (v.type) {
    case value_type::text: return v.text;
    case value_type::number:
    case value_type::duration: return decorum::decimal::from_raw(v.num).to_string();
    case value_type::boolean: return v.boolean ? "true" : "false";
    case value_type::time: {
      if (slot == decorum::slot::time) return decorum::format_time(r.time);
      decorum::timestamp t;
      t.local_seconds = v.num;
      return decorum::format_time(t);
    }
    default: fail("a reader produced a value of a type no field has");
  }
}

/// True when a record can be written in the other format with the same meaning: an empty
/// text is a present value in JSON but an empty cell (absent) in CSV (SPEC §3), so records
/// holding one are left out.
inline bool representable(const owned_record& r) {
  for (const auto& v : r.values) {
    if (v.type != decorum::value_type::text) continue;
    if (v.text.empty()) return false;
  }
  return true;
}

/// The records as CSV (header line first), every text cell quoted.
inline std::string to_csv(const decorum::record_schema& schema, const std::vector<std::string>& cols,
                          const std::vector<const owned_record*>& recs) {
  std::string out;
  for (std::size_t c = 0; c < cols.size(); ++c) out += (c ? "," : "") + cols[c];
  out += '\n';
  for (const owned_record* r : recs) {
    const auto& kind = schema.kinds()[static_cast<std::size_t>(r->kind)];
    for (std::size_t c = 0; c < cols.size(); ++c) {
      if (c) out += ',';
      const decorum::field_schema* f = kind.find(cols[c]);
      if (!f) continue;
      const owned_value& v = r->values[f->slot];
      if (v.type == decorum::value_type::null_) continue;
      const std::string t = value_text(*r, f->slot, v);
      if (v.type != decorum::value_type::text) {
        out += t;
        continue;
      }
      out += '"';
      for (char ch : t) {
        if (ch == '"') out += '"';
        out += ch;
      }
      out += '"';
    }
    out += '\n';
  }
  return out;
}

/// A JSON string literal (escaped here, not with decorum's own escaper).
inline void json_string(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

/// The records as JSON Lines: numbers, durations and bools as JSON values, the rest strings.
inline std::string to_jsonl(const decorum::record_schema& schema, const std::vector<const owned_record*>& recs) {
  using decorum::value_type;
  std::string out;
  for (const owned_record* r : recs) {
    const auto& kind = schema.kinds()[static_cast<std::size_t>(r->kind)];
    out += '{';
    bool first = true;
    for (std::uint32_t s = 0; s < r->values.size() && s < kind.fields.size(); ++s) {
      const owned_value& v = r->values[s];
      if (v.type == value_type::null_) continue;
      if (!first) out += ',';
      first = false;
      json_string(out, kind.fields[s].name);
      out += ':';
      const std::string t = value_text(*r, s, v);
      if (v.type == value_type::number || v.type == value_type::duration || v.type == value_type::boolean) out += t;
      else json_string(out, t);
    }
    out += "}\n";
  }
  return out;
}

/// X: the accepted records of a log, in the other format, read back by the other reader.
inline void check_other_format(const decorum::record_schema& schema, const std::vector<owned_record>& records,
                               bool from_csv) {
  std::vector<const owned_record*> recs;
  for (const auto& r : records)
    if (representable(r)) recs.push_back(&r);
  if (recs.empty()) return;
  collecting_sink back;
  std::string other;
  if (from_csv) {
    other = to_jsonl(schema, recs);
    decorum::jsonl_reader reader(schema);
    (void)reader.read(other, 0, back, 1);
  } else {
    static const std::vector<std::string> cols = csv_columns(schema);
    other = to_csv(schema, cols, recs);
    const std::size_t nl = other.find('\n');
    std::string error;
    const std::optional<decorum::csv_header> header = decorum::parse_csv_header(schema, other.substr(0, nl + 1), error);
    if (!header) fail("the CSV header written for the records is refused", other.substr(0, nl), error);
    decorum::csv_reader reader(schema, *header);
    (void)reader.read(std::string_view(other).substr(nl + 1), 0, back, 2);
  }
  const char* what = from_csv ? "a CSV record written as JSON Lines reads differently"
                              : "a JSON Lines record written as CSV reads differently";
  if (!back.rejections.empty())
    fail(what, show_record(schema, *recs[0]) + "(first of the records)",
         "rejected on line " + std::to_string(back.rejections[0].line) + ": " + back.rejections[0].reason +
             "\n---- the text read:\n" + other);
  if (back.records.size() != recs.size())
    fail(what, std::to_string(recs.size()) + " records", std::to_string(back.records.size()) + " records\n" + other);
  for (std::size_t i = 0; i < recs.size(); ++i) {
    const owned_record& a = *recs[i];
    const owned_record& b = back.records[i];
    if (a.kind != b.kind || a.time != b.time || a.values != b.values)
      fail(what, show_record(schema, a), show_record(schema, b) + "---- the text read:\n" + other);
  }
}

}  // namespace detail_logs

inline int run_log_target(const std::uint8_t* data, std::size_t size, bool csv) {
  using namespace decorum;
  using detail_logs::blank;
  static const std::shared_ptr<const rule_set> rules = must_compile("fuzz-logs.yaml", log_rulebook);
  const record_schema& schema = rules->schema();
  const input_format format = csv ? input_format::csv : input_format::jsonl;
  const std::string ext = csv ? ".csv" : ".jsonl";

  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::uint8_t knob = size ? data[0] : 0;  // picks the cut point and block sizes
  // read_input drops one leading BOM; the in-memory readers get the text after it.
  const std::size_t bom = text.substr(0, 3) == utf8_bom ? 3 : 0;
  const std::string_view body = text.substr(bom);

  // CSV: the header is the first non-blank record; rows follow it.
  std::size_t rows_at = 0;            // offset in body of the first data row
  std::string_view header_text;
  std::optional<csv_header> header;
  std::string header_error;
  if (csv) {
    std::size_t pos = 0;
    bool found = false;
    for (std::size_t end : record_ends(body, true)) {
      if (!blank(body.substr(pos, end - pos))) {
        header_text = body.substr(pos, end - pos);
        rows_at = end;
        found = true;
        break;
      }
      pos = end;
    }
    if (!found) {
      header_text = body.substr(pos);
      rows_at = body.size();
      if (blank(header_text)) header_text = {};
    }
    if (!header_text.empty()) {
      header = parse_csv_header(schema, header_text, header_error);
      if (!header) FUZZ_CHECK(!header_error.empty(), "a refused CSV header without a message");
    }
  }
  const bool unreadable = csv && !header_text.empty() && !header;  // the whole run fails
  const std::string_view rows = body.substr(rows_at);
  const std::uint64_t rows_line = 1 + newlines(body.substr(0, rows_at));

  // Reads `parts` (consecutive pieces of `rows`) with one reader into a fresh scorer.
  auto read_in_memory = [&](const std::vector<std::string_view>& parts, std::size_t padding,
                            read_stats& stats) -> score_report {
    scorer s(rules);
    const std::uint32_t src = s.add_source("log" + ext);
    scorer_sink sink(s);
    std::uint64_t line = rows_line;
    std::optional<jsonl_reader> jr;
    std::optional<csv_reader> cr;
    if (!csv) jr.emplace(schema);
    else if (header) cr.emplace(schema, *header);
    else return s.report();  // a blank CSV file: nothing to read
    std::string padded;
    for (std::string_view part : parts) {
      read_stats st;
      if (padding) {
        // Junk after the text that looks like more JSON or CSV: a reader that reads past
        // the text it was given, into the padding, would change its records.
        padded.assign(part);
        for (std::size_t i = 0; i < padding; ++i) padded.push_back("}\"\n,{:]1"[i % 8]);
        part = std::string_view(padded.data(), part.size());
      }
      if (csv) st = cr->read(part, src, sink, line);
      else st = jr->read(part, src, sink, line, padding);
      FUZZ_CHECK(st.read == st.accepted + st.rejected, "read_stats: read != accepted + rejected");
      stats += st;
      line += newlines(part);
    }
    score_report rep = s.report();
    check_report(rep);
    return rep;
  };

  const std::vector<std::string> mem_names{"log" + ext};
  std::string ref_places, ref_counts;  // the reference report, with and without lines
  if (!unreadable) {
    // A: the reference.
    read_stats stats;
    const score_report ref = read_in_memory({rows}, 0, stats);
    FUZZ_CHECK(ref.records == stats.read, "report records != records the reader read");
    ref_places = normalized(ref, mem_names, true);
    ref_counts = normalized(ref, mem_names, false);

    // P: padding after the text. DECORUM_FUZZ_SKIP=padding skips it (a final line without
    // a line break is rejected for another reason when padding follows: see README.md).
    if (!skipped("padding")) {
      read_stats st;
      check_equal(ref_places, normalized(read_in_memory({rows}, detail::jsonl_padding, st), mem_names, true),
                  "the same text read with readable padding after it");
    }

    // B: one reader, two calls.
    {
      std::vector<std::size_t> cuts{0};
      for (std::size_t e : record_ends(rows, csv)) cuts.push_back(e);
      std::vector<std::size_t> tried;
      if (cuts.size() <= 17) tried = cuts;
      else tried.push_back(cuts[knob % cuts.size()]);
      for (std::size_t cut : tried) {
        read_stats st;
        const score_report two = read_in_memory({rows.substr(0, cut), rows.substr(cut)}, 0, st);
        FUZZ_CHECK(st == stats, "read_stats differ when the text is read in two calls");
        check_equal(ref_places, normalized(two, mem_names, true), "the text read in two calls of one reader");
      }
    }

    // X: the same records in the other format.
    if (!skipped("cross-format") && (!csv || header)) {
      detail_logs::collecting_sink got;
      if (csv) (void)csv_reader(schema, *header).read(rows, 0, got, rows_line);
      else (void)jsonl_reader(schema).read(rows, 0, got, rows_line);
      FUZZ_CHECK(got.records.size() == stats.accepted && got.rejections.size() == stats.rejected,
                 "a second reader over the same text counts differently");
      detail_logs::check_other_format(schema, got.records, csv);
    }
  }

  // Compares a batch run with the reference (or, for an unreadable CSV header, with its error).
  // A UTF-16 byte-order mark contradicts the UTF-8 the batch runs are told to read (issue 16):
  // the file fails as a whole, naming the mark, where the in-memory reader sees bytes.
  const bool utf16_mark = text.size() >= 2 && ((static_cast<unsigned char>(text[0]) == 0xFE && static_cast<unsigned char>(text[1]) == 0xFF) ||
                                               (static_cast<unsigned char>(text[0]) == 0xFF && static_cast<unsigned char>(text[1]) == 0xFE));
  // A log cut into two files may put such a mark at the start of the second.
  const bool inner_mark = text.find("\n\xFE\xFF") != std::string_view::npos || text.find("\n\xFF\xFE") != std::string_view::npos;
  auto compare_batch = [&](const detail_logs::batch_run& run, bool keep_places, const char* what) {
    if (inner_mark && !keep_places && !run.result.ok() && run.result.fatal &&
        run.result.fatal->message.find("byte-order mark") != std::string::npos)
      return;
    if (utf16_mark) {
      FUZZ_CHECK(!run.result.ok() && run.result.fatal && run.result.fatal->message.find("byte-order mark") != std::string::npos,
                 "a file starting with a UTF-16 byte-order mark read as UTF-8");
      return;
    }
    if (unreadable) {
      FUZZ_CHECK(!run.result.ok() && run.result.fatal, "a CSV header refused in memory was accepted by score_batch");
      check_equal(header_error, run.result.fatal->message, "CSV header error");
      (void)format_diagnostic(*run.result.fatal);
      return;
    }
    if (!run.result.ok()) {
      std::string shown = run.result.fatal ? format_diagnostic(*run.result.fatal) : std::string("(no diagnostic)");
      fail(what, "a report", shown);
    }
    check_report(run.result.report);
    check_equal(keep_places ? ref_places : ref_counts, normalized(run.result.report, run.names, keep_places), what);
  };

  scratch& dir = scratch::get();
  const std::size_t block = 64 + (knob & 0x0F) * 48;  // 64 … 784 bytes

  // Every score_batch call has a fixed cost (its duplicate-id check walks 65,536 hash
  // buckets) that under the sanitizers is ten times that of reading a small log, so an
  // input runs one of F, G and S, picked by its length and first byte (every input of a
  // corpus thus meets all three over a run); DECORUM_FUZZ_ALL_BATCHES=1 runs all three.
  static const bool all_batches = [] {
    const char* s = std::getenv("DECORUM_FUZZ_ALL_BATCHES");
    return s && *s && *s != '0';
  }();
  unsigned pick = (knob + size) % 3;                    // 0 F, 1 G, 2 S
  if (pick == 1 && size > pipe_input::max_size) pick = 0;
  if (pick == 2 && unreadable) pick = 0;
  auto runs = [&](unsigned variant) { return all_batches || pick == variant; };

  // F: a regular file.
  if (runs(0))
    compare_batch(detail_logs::run_batch(rules, {dir.write("whole" + ext, text)}, format, 1, block), true,
                  "score_batch on the text as one file");

  // G: a pipe, named /dev/fd/N as a shell's <(…) names one. A pipe cannot be read twice,
  // so a duplicate id (settled in a second pass) is where it may differ: DECORUM_FUZZ_SKIP=
  // pipe-dup-id skips those inputs here.
  if (runs(1) && size <= pipe_input::max_size &&
      !(skipped("pipe-dup-id") && ref_counts.find("duplicate id") != std::string::npos)) {
    pipe_input pipe(text);
    compare_batch(detail_logs::run_batch(rules, {pipe.path()}, format, 1, block), true,
                  "score_batch on the text through a pipe");
  }

  // S: two files, two threads.
  if (runs(2) && !unreadable) {
    // Cut points: record ends in the text after the header (the first part keeps the BOM).
    const std::size_t rows_off = bom + rows_at;
    std::vector<std::size_t> cuts{rows_off};
    for (std::size_t e : record_ends(text.substr(rows_off), csv)) cuts.push_back(rows_off + e);
    const std::size_t cut = cuts[(knob >> 4) % cuts.size()];
    std::string second = csv ? std::string(header_text) : std::string();
    second.append(text.substr(cut));
    // A record that starts with a BOM would lose it as a file's first bytes.
    if (csv || std::string_view(second).substr(0, 3) != utf8_bom) {
      const std::string a = dir.write("part-a" + ext, text.substr(0, cut));
      const std::string b = dir.write("part-b" + ext, second);
      compare_batch(detail_logs::run_batch(rules, {a, b}, format, 2, block), false,
                    "score_batch on the text cut into two files");
    }
  }
  return 0;
}

}  // namespace fuzz
