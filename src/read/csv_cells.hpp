// src/read/csv_cells.hpp — internal: what the CSV header parser (src/read/csv_header.cpp) and
// the row reader (src/read/csv.cpp) agree a cell is: spaces and tabs around an unquoted cell
// are no part of it.
#pragma once

#include <string_view>

namespace decorum::detail {

/// The white space trimmed from the edges of an unquoted cell (RFC 4180 has none; logs
/// written by hand do).
constexpr bool is_cell_space(char c) noexcept { return c == ' ' || c == '\t'; }

/// `s` without the cell spaces at its edges.
inline std::string_view trim_cell(std::string_view s) noexcept {
  while (!s.empty() && is_cell_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_cell_space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace decorum::detail
