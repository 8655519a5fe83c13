// src/report/parts.hpp — internal: the pieces every report writer shares (src/report/report.cpp
// defines them): quoting for JSON and CSV, padding by display width, and how a report names
// its rulebook and counts its input, so `decorum diff` writes those exactly as `score` does.
#pragma once

#include "decorum/tally/tally.hpp"

#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>

namespace decorum::detail {

/// Where a report goes: a string, or a file written in 64 KiB pieces, so a report of many
/// tallies never sits in memory whole.
struct out_buffer {
  std::string buf;              ///< what is not yet written (all of it, without a file)
  std::FILE* file = nullptr;    ///< null: the report stays in `buf`
  out_buffer& operator+=(std::string_view s) {
    buf.append(s);
    return *this;
  }
  out_buffer& operator+=(char c) {
    buf.push_back(c);
    return *this;
  }
  /// Writes the buffer out once it holds 64 KiB.
  void maybe_flush() {
    if (file && buf.size() >= (64u << 10)) flush();
  }
  /// Writes the buffer out (nothing without a file).
  void flush() {
    if (file) {
      std::fwrite(buf.data(), 1, buf.size(), file);
      buf.clear();
    }
  }
};

/// The HTML report (src/report/html.cpp): one self-contained page.
void html_to(const score_report& r, out_buffer& o);

/// `s` as a JSON string literal, quotes included.
std::string json_quote(std::string_view s);

/// `s` as one CSV cell: quoted (quotes doubled) only when it holds a comma, quote or line break;
/// a leading = + - @ tab or CR gets a ' first, so Excel shows it as text (OWASP). For text
/// cells only: numbers are written without it.
std::string csv_cell(std::string_view s);

/// `s` padded with spaces to `width` terminal columns (Chinese characters count two), on the
/// right, or on the left when `right` (numbers).
std::string pad_to_width(std::string_view s, std::size_t width, bool right = false);

/// The JSON report's `rulebook` object: {"name", "version", "rules", "sha256"} (SPEC §9).
std::string json_rulebook(const score_report& r);

/// The JSON report's `input` object: {"records", "scored", "rejected", "files": [{"path",
/// "encoding"}]}; `files` only when the report knows its inputs' encodings (source_encodings).
std::string json_input(const score_report& r);

/// How the table footer names the rulebook: "rulebook NAME[ version V] (sha256 HEX12, N rules)".
std::string rulebook_footer(const score_report& r);

}  // namespace decorum::detail
