// src/read/csv_header.cpp — entry points: decorum::parse_csv_header,
// detail::parse_csv_header_at. Resolves a CSV header row once into the per-kind column→slot
// tables the row reader (src/read/csv.cpp) maps cells by, and words what is wrong with a
// header (unknown, duplicate or missing columns, bad quoting) with the column's offset so
// read_input can put a caret under it.
#include "decorum/read/read.hpp"

#include "decorum/base/text.hpp"

#include "csv_cells.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

namespace decorum {

namespace {

using detail::is_cell_space;
using detail::trim_cell;

/// One header cell: its unquoted name and where it starts in the header line.
struct header_cell {
  std::string name;
  std::size_t offset = 0;
};

/// Splits a header row into cells, unquoting as rows are. False (with a message) on a quote
/// left open or text after a closing quote.
bool split_header(std::string_view row, std::size_t base, std::vector<header_cell>& out, std::string& error,
                  std::size_t& error_offset) {
  std::size_t i = 0;
  const std::size_t n = row.size();
  while (true) {
    std::size_t j = i;
    while (j < n && is_cell_space(row[j])) ++j;
    header_cell c;
    c.offset = base + j;
    if (j < n && row[j] == '"') {
      ++j;
      while (true) {
        const std::size_t q = row.find('"', j);
        if (q == std::string_view::npos) {
          error = fmt::format("column {}: unterminated quoted name", out.size() + 1);
          error_offset = c.offset;
          return false;
        }
        c.name.append(row.substr(j, q - j));
        j = q + 1;
        if (j < n && row[j] == '"') {
          c.name += '"';
          ++j;
          continue;
        }
        break;
      }
      while (j < n && is_cell_space(row[j])) ++j;
      if (j < n && row[j] != ',') {
        error = fmt::format("column {}: text after the closing quote", out.size() + 1);
        error_offset = base + j;
        return false;
      }
    } else {
      const std::size_t comma = std::min(row.find(',', i), n);
      c.name = std::string(trim_cell(row.substr(i, comma - i)));
      j = comma;
    }
    out.push_back(std::move(c));
    if (j >= n) return true;
    i = j + 1;
  }
}

}  // namespace

namespace detail {

std::optional<csv_header> parse_csv_header_at(const record_schema& schema, std::string_view header_line,
                                              std::string& error, std::size_t& error_offset) {
  error_offset = std::string_view::npos;
  std::size_t base = 0;
  std::string_view row = header_line;
  if (row.substr(0, 3) == "\xEF\xBB\xBF") {
    row.remove_prefix(3);
    base = 3;
  }
  if (!row.empty() && row.back() == '\n') row.remove_suffix(1);
  if (!row.empty() && row.back() == '\r') row.remove_suffix(1);

  std::vector<header_cell> cells;
  if (!split_header(row, base, cells, error, error_offset)) return std::nullopt;

  csv_header h;
  std::vector<std::string_view> all_fields;  // for did-you-mean, built only on error
  std::unordered_map<std::string_view, std::size_t> first_column;
  for (std::size_t c = 0; c < cells.size(); ++c) {
    const std::string& name = cells[c].name;
    if (!name.empty() && !schema.any_kind_has(name)) {
      for (auto f : standard_fields) all_fields.push_back(f);
      for (const auto& k : schema.kinds())
        for (const auto& f : k.fields) all_fields.push_back(f.name);
      const std::string hint = name.size() <= 64 ? detail::did_you_mean(name, all_fields) : std::string();
      error = fmt::format("unknown column '{}' (column {}): no record kind has such a field", clipped(name), c + 1);
      if (!hint.empty()) error += fmt::format("; did you mean '{}'?", hint);
      error_offset = cells[c].offset;
      return std::nullopt;
    }
    // A map, not a scan of earlier columns: a 1 MiB header can have half a million columns.
    if (!name.empty()) {
      const auto [it, fresh] = first_column.emplace(name, c);
      if (!fresh) {
        error = fmt::format("duplicate column '{}' (columns {} and {})", clipped(name), it->second + 1, c + 1);
        error_offset = cells[c].offset;
        return std::nullopt;
      }
    }
    h.columns.push_back(name);
  }
  for (std::string_view required : {std::string_view("time"), std::string_view("employee"), std::string_view("kind")}) {
    const auto it = std::find(h.columns.begin(), h.columns.end(), required);
    if (it == h.columns.end()) {
      error = fmt::format("missing required column '{}'", required);
      return std::nullopt;
    }
    const auto index = static_cast<std::uint32_t>(it - h.columns.begin());
    if (required == "time") h.time_column = index;
    else if (required == "employee") h.employee_column = index;
    else h.kind_column = index;
  }
  h.slots.assign(schema.kinds().size() * h.columns.size(), csv_header::no_slot);
  for (std::size_t k = 0; k < schema.kinds().size(); ++k) {
    for (std::size_t c = 0; c < h.columns.size(); ++c) {
      if (h.columns[c].empty()) continue;
      if (const field_schema* f = schema.kinds()[k].find(h.columns[c])) h.slots[k * h.columns.size() + c] = f->slot;
    }
  }
  return h;
}

}  // namespace detail

std::optional<csv_header> parse_csv_header(const record_schema& schema, std::string_view header_line,
                                           std::string& error) {
  std::size_t offset = 0;
  return detail::parse_csv_header_at(schema, header_line, error, offset);
}

}  // namespace decorum
