// src/report/parts.hpp — internal: the pieces every report writer shares (src/report/report.cpp
// defines them): quoting for JSON and CSV, padding by display width, and how a report names
// its rulebook and counts its input, so `decorum diff` writes those exactly as `score` does.
#pragma once

#include "decorum/tally/tally.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace decorum::detail {

/// `s` as a JSON string literal, quotes included.
std::string json_quote(std::string_view s);

/// `s` as one CSV cell: quoted (quotes doubled) only when it holds a comma, quote or line break.
std::string csv_cell(std::string_view s);

/// `s` padded with spaces to `width` terminal columns (Chinese characters count two), on the
/// right, or on the left when `right` (numbers).
std::string pad_to_width(std::string_view s, std::size_t width, bool right = false);

/// The JSON report's `rulebook` object: {"name", "version", "rules", "sha256"} (SPEC §9).
std::string json_rulebook(const score_report& r);

/// The JSON report's `input` object: {"records", "scored", "rejected"}.
std::string json_input(const score_report& r);

/// How the table footer names the rulebook: "rulebook NAME[ version V] (sha256 HEX12, N rules)".
std::string rulebook_footer(const score_report& r);

}  // namespace decorum::detail
