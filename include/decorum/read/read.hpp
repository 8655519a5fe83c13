// decorum/read/read.hpp — entry points: `read_input`, `read_jsonl`, `parse_csv_header`,
// `read_csv_rows`, `last_record_boundary`, `load_input`, `split_buffer`. The log readers of SPEC §3: JSON Lines and CSV
// turned into reusable `record`s, every unusable record turned into a `rejection` value (never
// an exception), reading files in fixed-size blocks so memory stays flat however big the log.
#pragma once

#include "decorum/base/diagnostic.hpp"
#include "decorum/base/result.hpp"
#include "decorum/check/record.hpp"
#include "decorum/check/schema.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace decorum {

/// The two log formats of SPEC §3.
enum class input_format { jsonl, csv };

/// What bytes a log file holds: `automatic` decides per file (a byte-order mark, else valid
/// UTF-8, else what libuchardet detects); the others force one encoding. Anything but UTF-8
/// is transcoded to UTF-8 with iconv before parsing.
enum class text_encoding { utf8, gbk, gb18030, automatic, utf16le, utf16be };

/// The longest record accepted (a JSON line or a CSV row, without its final line break).
/// Longer ones are rejected unparsed, which also bounds the memory a reader carries.
inline constexpr std::size_t max_record_bytes = std::size_t{1} << 20;

/// How much read_input reads at a time: large enough that per-block overhead vanishes,
/// small enough to stay in the last-level cache's neighbourhood.
inline constexpr std::size_t default_block_size = std::size_t{4} << 20;

/// Receives records and rejections in input order. The record is only valid during the call.
class record_sink {
 public:
  /// Virtual so sinks can be owned through a base pointer.
  virtual ~record_sink() = default;
  /// An accepted record; its text views die when the call returns.
  virtual void on_record(const record& r) = 0;
  /// A rejected record.
  virtual void on_reject(rejection r) = 0;
  /// True for a sink that needs only the records with certain ids (the duplicate-id check
  /// reads every input again for a handful of ids): readers then skip, untyped, a record whose
  /// id they can see exactly without parsing it and that `wants_id` refuses. Skipped records
  /// count as read and accepted; every other record is delivered as usual.
  virtual bool filters_ids() const noexcept { return false; }
  /// With filters_ids(): whether records with this id are needed.
  virtual bool wants_id(std::string_view id) const {
    (void)id;
    return true;
  }
};

/// Counts: read = accepted + rejected (for this reader; duplicate-id rejection happens later,
/// in the scorer).
struct read_stats {
  std::uint64_t read = 0;      ///< records seen (non-blank JSON lines, CSV data rows)
  std::uint64_t accepted = 0;  ///< records handed to on_record
  std::uint64_t rejected = 0;  ///< records handed to on_reject

  /// Adds another block's counts.
  read_stats& operator+=(const read_stats& o) noexcept {
    read += o.read;
    accepted += o.accepted;
    rejected += o.rejected;
    return *this;
  }
  /// Field-wise equality (tests compare whole stats).
  friend bool operator==(const read_stats&, const read_stats&) = default;
};

namespace detail {

/// A read-only name → index table for the few names of a schema. Cheaper than
/// std::unordered_map for short keys: the hash reads the length and three bytes, and a probe
/// compares lengths before bytes.
class name_index {
 public:
  /// Returned by find for an unknown name.
  static constexpr std::uint32_t npos = 0xFFFF'FFFFu;
  /// Indexes names[i] as i; the viewed strings must outlive the index.
  explicit name_index(std::vector<std::string_view> names = {});
  /// The index of `key`, or npos. Inline: the readers look up a kind per record.
  std::uint32_t find(std::string_view key) const noexcept {
    for (std::size_t i = hash(key) & mask_;; i = (i + 1) & mask_) {
      const std::uint32_t id = table_[i];
      if (id == npos) return npos;
      const std::string_view name = names_[id];
      if (name.size() == key.size() && std::memcmp(name.data(), key.data(), key.size()) == 0) return id;
    }
  }
  /// How many names are indexed.
  std::size_t size() const noexcept { return names_.size(); }

 private:
  static std::size_t hash(std::string_view key) noexcept {
    if (key.empty()) return 0;
    const auto byte = [&](std::size_t i) { return static_cast<std::size_t>(static_cast<unsigned char>(key[i])); };
    const std::size_t h = (key.size() << 16) ^ (byte(0) << 8) ^ (byte(key.size() / 2) << 4) ^ byte(key.size() - 1);
    return h ^ (h >> 7) ^ (h >> 13);
  }
  std::vector<std::string_view> names_;
  std::vector<std::uint32_t> table_;  // open addressing, linear probing
  std::size_t mask_ = 0;
};

}  // namespace detail

/// A JSON Lines parser that keeps its simdjson parser, record and scratch buffers between
/// calls, so after the longest line so far nothing is allocated per record. One per thread.
class jsonl_reader {
 public:
  /// The schema must outlive the reader.
  explicit jsonl_reader(const record_schema& schema);
  /// Out of line: the parser state is private to src/read/jsonl.cpp.
  ~jsonl_reader();
  /// Movable so a thread can own one in a vector.
  jsonl_reader(jsonl_reader&&) noexcept;
  /// See the move constructor.
  jsonl_reader& operator=(jsonl_reader&&) noexcept;

  /// Parses whole lines of UTF-8 JSON Lines, the first being line `first_line`. A final line
  /// without a line break is parsed too (complete JSON is accepted, anything else rejected).
  /// `readable_padding` promises that many readable bytes after `data` (any content), which
  /// lets lines near the end be parsed in place instead of copied.
  read_stats read(std::string_view data, std::uint32_t source, record_sink& sink, std::uint64_t first_line = 1,
                  std::size_t readable_padding = 0);

  /// The sequence number the next accepted record gets (a running count of accepted records).
  std::uint64_t next_sequence() const noexcept;
  /// Continues the numbering, e.g. after another reader handled the file's earlier blocks.
  void set_next_sequence(std::uint64_t s) noexcept;
  /// Which encoding the bytes were transcoded from; changes the invalid-text message, since
  /// suggesting `--encoding gb18030` to someone already using it would mislead.
  void set_source_encoding(text_encoding e) noexcept;
  /// Line breaks the last read() consumed, so a caller reading blocks knows the next block's
  /// first line without counting them again.
  std::uint64_t lines_consumed() const noexcept;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// Parses a whole buffer of JSON Lines that is already UTF-8 (lines numbered from first_line).
/// Never throws for bad data.
read_stats read_jsonl(const record_schema& schema, std::string_view data, std::uint32_t source, record_sink& sink,
                      std::uint64_t first_line = 1);

/// A CSV header row resolved against the schema: which field each column fills in each kind,
/// precomputed so rows map cells to slots by index, without hashing names.
struct csv_header {
  /// Marks a column that is no field of a kind (or has no name).
  static constexpr std::uint32_t no_slot = 0xFFFF'FFFFu;

  std::vector<std::string> columns;   ///< column index -> field name as written ("" when unnamed)
  std::uint32_t time_column = 0;      ///< index of the `time` column
  std::uint32_t employee_column = 0;  ///< index of the `employee` column
  std::uint32_t kind_column = 0;      ///< index of the `kind` column
  std::vector<std::uint32_t> slots;   ///< [kind * column_count() + column] -> slot or no_slot

  /// How many cells every row must have.
  std::size_t column_count() const noexcept { return columns.size(); }
  /// The slot `column` fills in records of kind `kind`, or no_slot.
  std::uint32_t slot(std::size_t kind, std::size_t column) const noexcept {
    return slots[kind * columns.size() + column];
  }
};

/// Resolves a header row (without or with its line break, BOM allowed). A column that is no
/// field of any kind, a duplicate column, or a missing time/employee/kind column gives
/// nullopt and a message in `error` naming the column.
std::optional<csv_header> parse_csv_header(const record_schema& schema, std::string_view header_line,
                                           std::string& error);

/// A CSV row parser that keeps its record and cell buffers between calls. One per thread.
class csv_reader {
 public:
  /// The schema must outlive the reader; the header is copied.
  csv_reader(const record_schema& schema, csv_header header);

  /// Parses data rows (the text after the header), the first starting on line `first_line`.
  /// A final row without a line break is parsed too; one left inside an open quote is rejected.
  read_stats read(std::string_view data, std::uint32_t source, record_sink& sink, std::uint64_t first_line);

  /// The sequence number the next accepted record gets.
  std::uint64_t next_sequence() const noexcept { return sequence_; }
  /// Continues the numbering from an earlier reader.
  void set_next_sequence(std::uint64_t s) noexcept { sequence_ = s; }
  /// See jsonl_reader::set_source_encoding.
  void set_source_encoding(text_encoding e) noexcept { encoding_ = e; }
  /// See jsonl_reader::lines_consumed.
  std::uint64_t lines_consumed() const noexcept { return lines_; }

 private:
  std::size_t split_plain(const char* p, std::size_t start, std::size_t n, bool& quote);
  void add_cell(std::string_view text, bool quoted);
  bool parse_row(std::string_view row, std::string& reason);
  bool fill_record(std::string& reason);

  const record_schema* schema_;
  detail::name_index kinds_;
  csv_header header_;
  record rec_;
  std::vector<std::string_view> cells_;   // the current row's cells, trimmed and unquoted
  std::vector<std::uint32_t> filled_;     // indexes of its non-empty cells, in column order
  std::vector<std::uint32_t> required_;   // per kind: how many of its fields are required
  std::size_t filled_count_ = 0;          // valid entries of filled_ (both are sized once)
  std::size_t cell_count_ = 0;            // cells in the row (cells_ keeps at most columns + 1)
  std::uint64_t sequence_ = 0;
  std::uint64_t lines_ = 0;
  text_encoding encoding_ = text_encoding::utf8;
};

/// Parses CSV data rows after a header parsed with parse_csv_header.
read_stats read_csv_rows(const record_schema& schema, const csv_header& header, std::string_view data,
                         std::uint32_t source, record_sink& sink, std::uint64_t first_line);

/// The outcome of reading one input: counts, and a diagnostic when the input could not be
/// read at all (missing, a directory, unreadable, bad CSV header). Records delivered before a
/// read error stay delivered.
struct input_result {
  read_stats stats;                 ///< what was read
  std::optional<diagnostic> fatal;  ///< file name, line/column where it makes sense
  /// The encoding the input was decoded from ("UTF-8", "GB18030", "UTF-16LE"); empty when
  /// it could not be opened.
  std::string encoding;
  /// True unless the input could not be read at all (`fatal`).
  bool ok() const noexcept { return !fatal; }
};

/// Receives one input split into chunks of whole records, for parsing elsewhere (the
/// parallel scorer parses chunks on worker threads). Called on the reading thread.
class chunk_handler {
 public:
  /// Virtual so handlers can be owned through a base pointer.
  virtual ~chunk_handler() = default;
  /// A CSV input's header, before its first chunk.
  virtual void on_header(const csv_header& header) = 0;
  /// Whole records starting on line `first_line`; `padding` readable bytes follow `data`.
  /// Returns the number of line breaks in `data` when the handler counted them, or
  /// ~0 to have the splitter count them.
  virtual std::uint64_t on_chunk(std::string_view data, std::uint64_t first_line, std::size_t padding) = 0;
  /// A record rejected while splitting (longer than max_record_bytes).
  virtual void on_reject(rejection r) = 0;
};

/// Splits one log file ("-" = standard input) into chunks of whole records, with the same
/// BOM, transcoding, header and over-long-record handling as read_input.
input_result split_input(const record_schema& schema, const std::string& path, input_format format,
                         text_encoding enc, std::uint32_t source, chunk_handler& handler,
                         std::size_t block_size = default_block_size);

/// Reads one log file ("-" = standard input) block by block: strips a UTF-8 BOM, transcodes
/// gbk/gb18030 to UTF-8 with iconv, keeps a record that straddles a block boundary for the
/// next block, and rejects records over max_record_bytes without buffering them, so memory is
/// about block_size + max_record_bytes whatever the file's size. `block_size` is a parameter
/// so tests can make records straddle blocks.
input_result read_input(const record_schema& schema, const std::string& path, input_format format,
                        text_encoding enc, std::uint32_t source, record_sink& sink,
                        std::size_t block_size = default_block_size);

/// A whole small file ("-" = standard input) as UTF-8, transcoded from `enc` (an undecodable
/// byte becomes 0xFF, as in logs), a UTF-8 BOM removed; an error naming the file when it
/// cannot be read, is a directory, or holds more than `limit` bytes.
result<std::string> read_text_file(const std::string& path, text_encoding enc, std::size_t limit);

/// Reads one log file ("-" = standard input) into memory whole, transcoding gbk/gb18030 to
/// UTF-8 the way read_input does (an undecodable byte becomes one invalid byte, so only its
/// record is rejected). For a caller that types the same log more than once (`decorum diff`,
/// against two rulebooks) without reading it twice; the failure is read_input's diagnostic.
/// The encoding used is stored in `*encoding_used` when given.
result<std::string> load_input(const std::string& path, text_encoding enc, std::string* encoding_used = nullptr);

/// split_input over a log already in memory as UTF-8 (load_input's text): the same BOM, CSV
/// header and over-long-record rules and messages; `path` names the input ("-": <stdin>).
input_result split_buffer(const record_schema& schema, std::string_view text, const std::string& path,
                          input_format format, std::uint32_t source, chunk_handler& handler,
                          std::size_t block_size = default_block_size);

/// Format from the extension (any case): .jsonl/.ndjson -> jsonl, .csv -> csv, else nullopt.
std::optional<input_format> format_from_path(std::string_view path);

/// The offset just past the last complete record in `block` (0 when there is none), for
/// splitting a file into blocks that parse independently. `block` must start at a record
/// boundary, so a CSV block starts outside quotes; a line break inside quotes ends nothing.
std::size_t last_record_boundary(std::string_view block, input_format format) noexcept;

namespace detail {

/// ASCII-case-insensitive equality; `b` must be lower case (only ASCII folds, so 是/否
/// compare exactly).
bool ascii_iequals(std::string_view a, std::string_view b) noexcept;

/// Counts line breaks; memchr skips long runs quickly.
std::uint64_t count_newlines(std::string_view text) noexcept;

/// Finds record ends incrementally, remembering CSV quote state between calls so a growing
/// buffer is scanned once, not once per block.
struct boundary_scanner {
  input_format format = input_format::jsonl;  ///< which rule ends a record
  bool in_quotes = false;                     ///< CSV: inside a quoted cell at the scan position

  /// Scans text[from, size) and returns the offset just past the last record end found
  /// there, or npos when none. `from` must be where the previous scan stopped (or 0).
  std::size_t scan(std::string_view text, std::size_t from) noexcept;
  /// Like scan, but stops at the first record end: for skipping one overlong record.
  std::size_t first(std::string_view text, std::size_t from) noexcept;
};

/// Bytes simdjson may read past a JSON line; read_input leaves this much room after a block.
inline constexpr std::size_t jsonl_padding = 64;

/// Converts a field's value from text (a CSV cell or a JSON string) into `out`, storing
/// nothing (text views point at `text`). `from_csv` allows the text spellings of int, number
/// and bool. A time also lands in `*time` when given (the record keeps the full timestamp).
/// On failure `reason` gets the rejection message naming the field.
bool convert_text(const field_schema& field, std::string_view text, bool from_csv, value& out, std::string& reason,
                  timestamp* time = nullptr);

/// parse_time restricted to the spellings logs nearly always use ("YYYY-MM-DDTHH:MM:SS",
/// "YYYY-MM-DD HH:MM", either with "Z" or "+HH:MM"): true with `t` set when `text` is one
/// of them and valid; false for anything else, which parse_time then decides.
bool parse_common_time(std::string_view text, timestamp& t) noexcept;

/// convert_text with its frequent cases (text, an enum value that is in the list, a time in
/// a common spelling) decided inline, since the readers call it for nearly every field;
/// everything else, including every failure message, is convert_text's.
inline bool convert_text_fast(const field_schema& field, std::string_view text, bool from_csv, value& out,
                              std::string& reason, timestamp* time = nullptr) {
  switch (field.type) {
    case field_type::text: out = value::of_text(text); return true;
    case field_type::enumeration:
      for (std::size_t i = 0; i < field.enum_values.size(); ++i)
        if (field.enum_values[i] == text) {
          out = value::of_enum(text, i);
          return true;
        }
      break;
    case field_type::time: {
      timestamp t;
      if (!parse_common_time(text, t)) break;
      out = value::of_time(t.local_seconds);
      if (time) *time = t;
      return true;
    }
    default: break;
  }
  return convert_text(field, text, from_csv, out, reason, time);
}

/// Converts a JSON number token (already checked to be JSON number syntax) for a field:
/// int needs an integral value, number any value with at most six decimals, duration a
/// non-negative number of seconds; other types reject it.
bool convert_number(const field_schema& field, std::string_view token, value& out, std::string& reason);

/// True when `token` is JSON number syntax: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
bool is_json_number(std::string_view token) noexcept;

/// What a field expects, as in "expected int" or "expected one of a, b".
std::string expected_phrase(const field_schema& field);

/// "{field}: expected {expected_phrase}, got {shown}".
std::string type_mismatch_reason(const field_schema& field, std::string_view shown);

/// A value as shown in a message: the text JSON-quoted and cut to a readable length.
std::string shown_text(std::string_view text);

/// A cut of `text` to at most `limit` bytes on a UTF-8 character boundary, with "…" when cut.
std::string clipped(std::string_view text, std::size_t limit = 40);

/// "unknown kind 'x'", with a did-you-mean when a kind is close.
std::string unknown_kind_reason(const record_schema& schema, std::string_view kind);

/// "unknown field 'x' for kind 'k'", with a did-you-mean among the kind's fields.
std::string unknown_field_reason(const kind_schema& kind, std::string_view field);

/// The invalid-text message for a record whose bytes failed UTF-8 validation at `offset`.
std::string invalid_text_reason(std::string_view record_text, text_encoding source_encoding);

/// parse_csv_header, also giving the byte offset in `header_line` of the column at fault
/// (npos when the whole row is meant), so read_input can put a caret under it.
std::optional<csv_header> parse_csv_header_at(const record_schema& schema, std::string_view header_line,
                                              std::string& error, std::size_t& error_offset);

/// True when every required field of the record's kind is present; else names the first
/// missing one in `reason`.
bool check_required(const kind_schema& kind, const record& r, std::string& reason);

}  // namespace detail

}  // namespace decorum
