// src/report/inspectors.cpp — entry points: inspector_stats, write_inspectors. The inspector
// consistency statistic in exact integer and decimal arithmetic (no floating point: the same
// bytes on every platform) and its table, JSON and CSV.
#include "decorum/report/inspectors.hpp"

#include "decorum/base/diagnostic.hpp"
#include "report/parts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace decorum {

namespace {

using wide = detail::decimal_wide;
constexpr wide one = decimal::scale;  // the raw of 1

/// A raw (10^-6) value rounded half away from zero to 0.01.
decimal round2(wide raw) { return decimal::from_raw(static_cast<std::int64_t>(detail::div_round_half_away(raw, 10'000) * 10'000)); }

/// ⌊√v⌋ for v ≥ 0, by bisection: exact whatever the size.
wide isqrt(wide v) {
  wide lo = 0, hi = 1;
  while (hi * hi <= v) hi *= 2;  // v < 2^126, so hi stays below 2^64
  while (hi - lo > 1) {
    const wide mid = lo + (hi - lo) / 2;
    (mid * mid <= v ? lo : hi) = mid;
  }
  return lo;
}

std::string opt(const std::optional<decimal>& d, std::string_view none) { return d ? d->to_string() : std::string(none); }

}  // namespace

std::vector<inspector_row> inspector_stats(const std::vector<inspector_cell>& cells, std::uint64_t min_records) {
  // (inspector, kind) -> cell; the null inspector sorts last, after every name.
  auto key_of = [](const std::optional<std::string>& i) { return std::pair(!i.has_value(), i.value_or("")); };
  std::map<std::pair<std::pair<bool, std::string>, std::string>, inspector_cell> by;
  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> named_by_kind;  // kind -> records, findings of named inspectors
  for (const inspector_cell& c : cells) {
    inspector_cell& x = by[{key_of(c.inspector), c.kind}];
    x.inspector = c.inspector;
    x.kind = c.kind;
    x.records += c.records;
    x.findings += c.findings;
    x.points = add(x.points, c.points).value_or(x.points);
    if (c.inspector) {
      named_by_kind[c.kind].first += c.records;
      named_by_kind[c.kind].second += c.findings;
    }
  }
  std::vector<inspector_row> rows;
  wide points_raw = 0, expected_raw = 0;
  auto finish = [&](inspector_row& r) {
    if (r.records > 0) {
      r.findings_per_100 = round2(static_cast<wide>(r.findings) * 100 * one / static_cast<wide>(r.records));
      r.points_per_100 = round2(detail::div_round_half_away(points_raw * 100, static_cast<wide>(r.records)));
    }
    r.points = decimal::from_raw(static_cast<std::int64_t>(points_raw));
    if (!r.inspector || r.comparable_records == 0) return;
    r.expected = round2(expected_raw);
    if (expected_raw > 0)
      r.ratio = round2(detail::div_round_half_away(static_cast<wide>(r.observed) * one * one, expected_raw));
    // z² = (O − E)² / max(E, 1), as a raw 10^-6 value; the outlier test uses it exactly.
    const wide diff = static_cast<wide>(r.observed) * one - expected_raw;
    const wide den = std::max(expected_raw, one);
    const wide abs_z = isqrt(diff * diff / den * one);  // |z| to 10^-6, truncated
    r.z = round2(diff < 0 ? -abs_z : abs_z);
    r.outlier = r.comparable_records >= min_records && diff * diff >= 9 * one * den;
  };
  for (const auto& [key, c] : by) {
    if (rows.empty() || rows.back().inspector != c.inspector) {
      if (!rows.empty()) finish(rows.back());
      rows.emplace_back();
      rows.back().inspector = c.inspector;
      points_raw = 0;
      expected_raw = 0;
    }
    inspector_row& r = rows.back();
    r.records += c.records;
    r.findings += c.findings;
    points_raw += c.points.raw();
    inspector_kind k{c.kind, c.records, c.findings, 0, 0};
    if (c.inspector) {
      const auto& all = named_by_kind[c.kind];
      k.others_records = all.first - c.records;
      k.others_findings = all.second - c.findings;
      if (k.others_records > 0) {
        r.comparable_records += c.records;
        r.observed += c.findings;
        expected_raw += detail::div_round_half_away(static_cast<wide>(c.records) * static_cast<wide>(k.others_findings) * one,
                                                    static_cast<wide>(k.others_records));
      }
    }
    r.kinds.push_back(std::move(k));
  }
  if (!rows.empty()) finish(rows.back());
  return rows;
}

std::string write_inspectors(const inspector_report& r, report_format f) {
  const auto name = [](const inspector_row& x, std::string_view none) { return x.inspector ? *x.inspector : std::string(none); };
  const auto compared = [](const inspector_row& x) { return x.inspector && x.comparable_records > 0; };
  std::string o;
  if (f == report_format::json) {
    o += "{\n  \"decorum\": 1,\n";
    o += fmt::format("  \"rulebook\": {},\n", detail::json_rulebook(r.run));
    o += fmt::format("  \"input\": {},\n", detail::json_input(r.run));
    o += fmt::format("  \"statistic\": {{\"z\": \"(observed - expected) / sqrt(max(expected, 1))\", \"outlier\": \"|z| >= 3\", "
                     "\"min_records\": {}}},\n",
                     r.min_records);
    o += "  \"inspectors\": [";
    for (std::size_t i = 0; i < r.rows.size(); ++i) {
      const inspector_row& x = r.rows[i];
      const bool c = compared(x);
      o += fmt::format(
          "{}\n    {{\"inspector\": {}, \"records\": {}, \"findings\": {}, \"findings_per_100\": {}, \"points\": {}, "
          "\"points_per_100\": {}, \"comparable_records\": {}, \"observed\": {}, \"expected\": {}, \"ratio\": {}, \"z\": {}, "
          "\"outlier\": {},\n     \"kinds\": [",
          i ? "," : "", x.inspector ? detail::json_quote(*x.inspector) : "null", x.records, x.findings,
          x.findings_per_100.to_string(), x.points.to_string(), x.points_per_100.to_string(), x.comparable_records, x.observed,
          c ? x.expected.to_string() : "null", opt(x.ratio, "null"), opt(x.z, "null"), x.outlier ? "true" : "false");
      for (std::size_t k = 0; k < x.kinds.size(); ++k) {
        const inspector_kind& kd = x.kinds[k];
        o += fmt::format("{}{{\"kind\": {}, \"records\": {}, \"findings\": {}, \"others_records\": {}, \"others_findings\": {}}}",
                         k ? ", " : "", detail::json_quote(kd.kind), kd.records, kd.findings, kd.others_records,
                         kd.others_findings);
      }
      o += "]}";
    }
    o += r.rows.empty() ? "]\n}\n" : "\n  ]\n}\n";
    return o;
  }
  if (f == report_format::csv) {
    o += "inspector,records,findings,findings_per_100,points,points_per_100,comparable_records,observed,expected,ratio,z,outlier\n";
    for (const inspector_row& x : r.rows)
      o += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{}\n", detail::csv_cell(name(x, "")), x.records, x.findings,
                       x.findings_per_100.to_string(), x.points.to_string(), x.points_per_100.to_string(), x.comparable_records,
                       x.observed, compared(x) ? x.expected.to_string() : "", opt(x.ratio, ""), opt(x.z, ""),
                       x.outlier ? "yes" : "no");
    return o;
  }
  std::vector<std::vector<std::string>> rows = {
      {"inspector", "records", "findings", "per 100", "points", "per 100", "compared", "observed", "expected", "ratio", "z", "outlier"}};
  for (const inspector_row& x : r.rows) {
    const bool c = compared(x);
    rows.push_back({name(x, "(none)"), std::to_string(x.records), std::to_string(x.findings), x.findings_per_100.to_string(),
                    x.points.to_string(), x.points_per_100.to_string(), std::to_string(x.comparable_records),
                    c ? std::to_string(x.observed) : "-", c ? x.expected.to_string() : "-", opt(x.ratio, "-"), opt(x.z, "-"),
                    x.outlier ? "OUTLIER" : ""});
  }
  std::vector<std::size_t> w(rows.front().size());
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) w[c] = std::max(w[c], static_cast<std::size_t>(detail::display_width(row[c])));
  for (const auto& row : rows) {
    std::string l;
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c) l += "  ";
      l += c + 1 == row.size() ? row[c] : detail::pad_to_width(row[c], w[c], c > 0);
    }
    while (!l.empty() && l.back() == ' ') l.pop_back();
    o += l + '\n';
  }
  o += fmt::format(
      "\nexpected: the findings the other inspectors' rates on the same record kinds predict for this inspector's records;\n"
      "z = (observed - expected) / sqrt(max(expected, 1)); outlier: |z| >= 3 with at least {} compared records\n",
      r.min_records);
  o += fmt::format("{} records: {} scored, {} rejected; {}\n", r.run.records, r.run.scored, r.run.rejected,
                   detail::rulebook_footer(r.run));
  return o;
}

}  // namespace decorum
