// src/read/csv.cpp — entry points: decorum::csv_reader, decorum::read_csv_rows. RFC 4180 CSV
// rows (quoted cells with commas, doubled quotes and line breaks; LF or CRLF) into one reused
// `record`: with the header resolved once into per-kind column→slot tables
// (src/read/csv_header.cpp), a row costs one pass to split and one to convert, the latter by
// the shared assembly steps of src/read/assemble.hpp.
#include "decorum/read/read.hpp"

#include "decorum/base/text.hpp"

#include "assemble.hpp"
#include "csv_cells.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <type_traits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace decorum {

using detail::is_cell_space;
using detail::trim_cell;

namespace {

/// Cell `column` of an unquoted row when it holds no space or control byte, so that trimming
/// cannot change it: then those bytes are the cell's value.
bool plain_cell(std::string_view row, std::uint32_t column, std::string_view& cell) noexcept {
  std::size_t start = 0;
  for (std::uint32_t c = 0; c < column; ++c) {
    const std::size_t comma = row.find(',', start);
    if (comma == std::string_view::npos) return false;
    start = comma + 1;
  }
  std::size_t end = row.find(',', start);
  if (end == std::string_view::npos) end = row.size();
  for (std::size_t i = start; i < end; ++i)
    if (static_cast<unsigned char>(row[i]) <= ' ') return false;
  cell = row.substr(start, end - start);
  return true;
}

/// A row with no content at all: spreadsheets export emptied rows as ",,,,", which are as
/// blank as an empty line.
bool is_blank_row(std::string_view row) noexcept {
  for (char c : row)
    if (c != ',' && !is_cell_space(c)) return false;
  return true;
}

/// The kind names in schema order, for the reader's index of them.
std::vector<std::string_view> kind_names(const record_schema& schema) {
  std::vector<std::string_view> names;
  for (const auto& k : schema.kinds()) names.push_back(k.name);
  return names;
}
}  // namespace

/// Room past the kept cells: the fast splitter stores a whole block's cells before checking
/// for too many, so the check costs once per block instead of once per cell.
constexpr std::size_t cell_slack = 64;

csv_reader::csv_reader(const record_schema& schema, csv_header header)
    : schema_(&schema), kinds_(kind_names(schema)), header_(std::move(header)) {
  cells_.resize(header_.column_count() + 1 + cell_slack);
  filled_.resize(header_.column_count() + 1 + cell_slack);
  rec_.values.assign(schema.max_slots(), value{});  // fill_record resets them in place
  for (const auto& k : schema.kinds())
    required_.push_back(static_cast<std::uint32_t>(
        std::count_if(k.fields.begin(), k.fields.end(), [](const field_schema& f) { return f.required; })));
}

/// Appends a cell (already unquoted), keeping at most one more than the header has: enough
/// to tell "too many", without letting a malformed row grow the buffers. A quoted cell is
/// kept exactly (its spaces are data: `" ab "` has length 4, as the same JSON string has);
/// only an unquoted one is trimmed.
inline void csv_reader::add_cell(std::string_view text, bool quoted) {
  const std::size_t k = cell_count_++;
  if (k > header_.column_count()) return;
  if (!quoted && !text.empty() && (is_cell_space(text.front()) || is_cell_space(text.back())))
    text = trim_cell(text);
  if (!text.empty()) filled_[filled_count_++] = static_cast<std::uint32_t>(k);
  cells_[k] = text;
}

#if defined(__SSE2__)
/// Set bits of a 16-bit mask, by table: popcnt is not baseline x86-64.
constexpr auto byte_bits = [] {
  std::array<std::uint8_t, 256> t{};
  for (unsigned i = 0; i < 256; ++i) t[i] = static_cast<std::uint8_t>((i & 1) + t[i / 2]);
  return t;
}();
inline std::size_t bits16(unsigned m) noexcept { return std::size_t{byte_bits[m & 0xFF]} + byte_bits[m >> 8]; }
#endif

/// The fast splitter for rows without quotes (nearly all): finds commas and the row's line
/// break 16 bytes at a time and takes each cell as a view into the data, copying nothing.
/// Only non-empty cells are stored (and the kind cell cleared): most cells of a wide log are
/// empty, and fill_record reads no others. Returns the offset of the row's end (its '\n', or
/// n); when it meets a quote first, sets `quote` and returns that offset, leaving the row to
/// the careful path.
std::size_t csv_reader::split_plain(const char* p, std::size_t start, std::size_t n, bool& quote) {
  quote = false;
  // Counts in locals, not members: the stores of cell views could alias members, which
  // would make the compiler reload them after every cell.
  const std::size_t columns = header_.column_count();
  std::string_view* const cells = cells_.data();
  std::uint32_t* const filled = filled_.data();
  std::size_t k = 0;   // cells so far
  std::size_t nf = 0;  // non-empty ones
  std::size_t cell = start;
  std::size_t i = start;
  cells[header_.kind_column] = std::string_view();
  // Cell `index` is p[from, end), not empty.
  auto take = [&](std::size_t index, std::size_t from, std::size_t end) {
    const char* b = p + from;
    std::string_view text(b, end - from);
    // One compare per edge sieves out spaces and tabs.
    if (static_cast<unsigned char>(b[0]) <= ' ' || static_cast<unsigned char>(text.back()) <= ' ') [[unlikely]]
      text = trim_cell(text);
    cells[index] = text;
    filled[nf] = static_cast<std::uint32_t>(index);
    nf += !text.empty();
  };
  auto done = [&](std::size_t at) {
    cell_count_ = k;
    filled_count_ = nf;
    return at;
  };
  auto finish = [&](std::size_t end) {
    std::size_t e = end;
    if (e > cell && p[e - 1] == '\r') --e;  // CRLF: the CR is no part of the last cell
    if (e > cell) take(k, cell, e);
    ++k;
    return done(end);
  };
  // More cells than the buffers keep: the rest is only counted, for the message.
  auto overflow = [&](std::size_t from) {
    for (std::size_t j = from; j < n; ++j) {
      if (p[j] == ',') {
        ++k;
      } else if (p[j] == '\n') {
        ++k;
        return done(j);
      } else if (p[j] == '"') {
        quote = true;
        return done(j);
      }
    }
    ++k;
    return done(n);
  };
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(','), newline = _mm_set1_epi8('\n'), dquote = _mm_set1_epi8('"');
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    unsigned commas = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma)));
    const unsigned stops = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, newline), _mm_cmpeq_epi8(v, dquote))));
    if (stops) commas &= (stops & -stops) - 1;  // only commas before the first stop
    if (commas) {
      // A comma right after the previous delimiter ends an empty cell: nothing to store.
      unsigned full = commas & ~((commas << 1) | (cell == i ? 1u : 0u));
      while (full) {
        const unsigned bit = static_cast<unsigned>(__builtin_ctz(full));
        const unsigned below = commas & ((1u << bit) - 1);
        const std::size_t from = below ? i + 32 - static_cast<std::size_t>(__builtin_clz(below)) : cell;
        take(k + bits16(below), from, i + bit);
        full &= full - 1;
      }
      k += bits16(commas);
      cell = i + 32 - static_cast<std::size_t>(__builtin_clz(commas));
    }
    if (stops) {
      const std::size_t at = i + static_cast<std::size_t>(__builtin_ctz(stops));
      if (p[at] == '"') {
        quote = true;
        return done(at);
      }
      return finish(at);
    }
    if (k > columns) return overflow(i + 16);  // a block adds at most 16: the slack holds them
  }
#endif
  for (; i < n; ++i) {
    const char c = p[i];
    if (c == ',') {
      if (k > columns) return overflow(i);
      if (i > cell) take(k, cell, i);
      ++k;
      cell = i + 1;
    } else if (c == '\n') {
      return finish(i);
    } else if (c == '"') {
      quote = true;
      return done(i);
    }
  }
  return finish(n);
}

/// The careful splitter, for rows with quotes: unquotes into rec_.storage (reserved to the
/// row's length, which unquoting never exceeds, so views taken earlier stay valid).
bool csv_reader::parse_row(std::string_view row, std::string& reason) {
  rec_.storage.clear();
  rec_.storage.reserve(row.size());
  filled_count_ = 0;
  cell_count_ = 0;
  std::string& out = rec_.storage;
  const std::size_t n = row.size();
  std::size_t i = 0;
  while (true) {
    const std::size_t column = cell_count_ + 1;
    std::size_t j = i;
    while (j < n && is_cell_space(row[j])) ++j;
    const std::size_t offset = out.size();
    const bool quoted = j < n && row[j] == '"';
    if (quoted) {
      ++j;
      while (true) {
        const void* hit = std::memchr(row.data() + j, '"', n - j);
        if (!hit) {
          reason = fmt::format("column {}: unterminated quoted cell", column);
          return false;
        }
        const std::size_t q = static_cast<std::size_t>(static_cast<const char*>(hit) - row.data());
        out.append(row.data() + j, q - j);
        j = q + 1;
        if (j < n && row[j] == '"') {  // a doubled quote is one quote
          out += '"';
          ++j;
          continue;
        }
        break;
      }
      while (j < n && is_cell_space(row[j])) ++j;
      if (j < n && row[j] != ',') {
        reason = fmt::format("column {}: text after the closing quote", column);
        return false;
      }
    } else {
      const void* hit = std::memchr(row.data() + i, ',', n - i);
      const std::size_t comma = hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - row.data()) : n;
      const std::string_view text = trim_cell(row.substr(i, comma - i));
      // Only an odd quote inside an unquoted cell can carry the row across a line break.
      if (text.find('\n') != std::string_view::npos) {
        reason = fmt::format("column {}: line break outside quotes (unbalanced quote?)", column);
        return false;
      }
      out.append(text);
      j = comma;
    }
    add_cell(std::string_view(out.data() + offset, out.size() - offset), quoted);
    if (j >= n) break;
    i = j + 1;  // past the comma
  }
  return true;
}

/// Maps the cells to slots of the row's kind and converts them, by the steps of
/// src/read/assemble.hpp over the header's slot tables.
bool csv_reader::fill_record(std::string& reason) {
  if (cell_count_ != header_.column_count()) {
    reason = fmt::format("expected {} cells, got {}", header_.column_count(), cell_count_);
    return false;
  }
  // Not rec_.reset(): that would also drop the storage the careful splitter's cells view.
  // All-zero bytes are the null value, and one memset of the few hundred bytes costs less
  // than assigning slot by slot.
  static_assert(std::is_trivially_copyable_v<value>);
  rec_.kind = -1;
  std::memset(static_cast<void*>(rec_.values.data()), 0, rec_.values.size() * sizeof(value));
  const std::string_view kind_text = cells_[header_.kind_column];
  // An empty cell is an absent field, so an empty kind cell is a missing kind.
  const int k = detail::resolve_kind(*schema_, kinds_, kind_text.empty() ? std::nullopt : std::optional(kind_text),
                                     reason);
  if (k < 0) return false;
  const kind_schema& ks = schema_->kinds()[static_cast<std::size_t>(k)];
  const std::size_t columns = header_.column_count();
  const std::uint32_t* slots = header_.slots.data() + static_cast<std::size_t>(k) * columns;
  const std::uint32_t* const filled = filled_.data();
  const std::size_t filled_count = filled_count_;
  // SPEC: empty cells of other kinds' columns are fine; a filled one rejects the record,
  // whatever else is wrong with it.
  auto unknown_column = [&](std::size_t from) {
    for (std::size_t i = from; i < filled_count; ++i) {
      const std::uint32_t c = filled[i];
      if (slots[c] != detail::no_slot) continue;
      if (header_.columns[c].empty()) reason = fmt::format("column {} has a value but no name in the header", c + 1);
      else detail::reject_unknown_field(ks, header_.columns[c], reason);
      return true;
    }
    return false;
  };
  value* const values = rec_.values.data();
  const std::string_view* const cells = cells_.data();
  // One pass converts and checks the columns: a column no field of the kind is rare, so
  // its check is redone only when the pass stops. Columns are distinct fields, so counting
  // the required ones filled replaces a pass over every field of the kind.
  std::size_t filled_required = 0;
  for (std::size_t i = 0; i < filled_count; ++i) {  // an empty cell is an absent field
    const std::uint32_t c = filled[i];
    const std::uint32_t slot = slots[c];
    if (slot == detail::no_slot) {
      unknown_column(i);
      return false;
    }
    filled_required += ks.fields[slot].required;
    if (!detail::convert_field_text(ks, slot, cells[c], detail::text_origin::csv_cell, values[slot], rec_.time,
                                    reason)) {
      unknown_column(i + 1);
      return false;
    }
  }
  rec_.kind = k;
  return detail::required_present(ks, rec_, filled_required, required_[static_cast<std::size_t>(k)], reason);
}

read_stats csv_reader::read(std::string_view data, std::uint32_t source, record_sink& sink, std::uint64_t first_line) {
  read_stats stats;
  const char* p = data.data();
  const std::size_t n = data.size();
  std::size_t pos = 0;
  std::uint64_t line = first_line;
  std::string reason;
  // One SIMD pass over the whole chunk; rows are checked one by one only when it fails.
  const bool all_valid_utf8 = simdjson::validate_utf8(data.data(), data.size());
  const bool filter = sink.filters_ids();
  std::uint32_t id_column = csv_header::no_slot;
  if (filter && !schema_->kinds().empty())
    for (std::uint32_t c = 0; c < header_.column_count(); ++c)
      if (header_.slot(0, c) == slot::id) id_column = c;
  while (pos < n) {
    const std::size_t start = pos;
    const std::uint64_t start_line = line;
    bool quote = false;
    std::size_t end = split_plain(p, start, n, quote);
    bool ended = end < n;
    bool in_quotes = false;
    if (quote) {
      // Find the row's end the careful way: the first line break with an even number of
      // quotes before it.
      ended = false;
      end = n;
      std::size_t i = start;
      while (i < n) {
        const void* hit = std::memchr(p + i, '\n', n - i);
        const std::size_t e = hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - p) : n;
        if (std::count(p + i, p + e, '"') & 1) in_quotes = !in_quotes;
        if (!hit) break;
        ++line;
        if (!in_quotes) {
          end = e;
          ended = true;
          break;
        }
        i = e + 1;
      }
    } else if (ended) {
      ++line;
    }
    pos = ended ? end + 1 : n;
    std::string_view row(p + start, end - start);
    const std::size_t raw_size = row.size();
    if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
    // A row of nothing but commas and spaces is blank; the fast splitter already knows
    // whether any cell has content (unless the row had too many cells to keep).
    if (quote || cell_count_ > header_.column_count() + 1 ? is_blank_row(row) : filled_count_ == 0) continue;
    ++stats.read;
    if (filter && !quote && id_column != csv_header::no_slot) {
      std::string_view id;
      if (plain_cell(row, id_column, id) && !sink.wants_id(id)) {
        ++stats.accepted;
        continue;
      }
    }
    bool ok = false;
    if (raw_size > max_record_bytes) {
      reason = "row longer than 1 MiB";
    } else if (!ended && in_quotes) {
      reason = "unterminated quoted cell (missing closing quote)";
    } else if (!all_valid_utf8 && !simdjson::validate_utf8(row.data(), row.size())) {
      reason = detail::invalid_text_reason(row, encoding_);
    } else {
      ok = (!quote || parse_row(row, reason)) && fill_record(reason);
    }
    if (ok) {
      rec_.line = start_line;
      rec_.source = source;
      rec_.sequence = sequence_++;
      ++stats.accepted;
      sink.on_record(rec_);
    } else {
      ++stats.rejected;
      sink.on_reject(rejection{source, start_line, std::move(reason)});
      reason.clear();
    }
  }
  lines_ = line - first_line;
  return stats;
}

read_stats read_csv_rows(const record_schema& schema, const csv_header& header, std::string_view data,
                         std::uint32_t source, record_sink& sink, std::uint64_t first_line) {
  csv_reader reader(schema, header);
  return reader.read(data, source, sink, first_line);
}

}  // namespace decorum
