// decorum/report/inspectors.hpp — entry points: `inspector_stats`, `write_inspectors`. Inspector
// consistency: per inspector, records inspected, findings and points per 100 records, and how
// their findings compare with what the other inspectors find on the same kinds of records
// (leave-one-out expectation, Poisson z-score; docs/decisions.md says why). Exact decimals
// throughout, so the report is the same on every platform.
#pragma once

#include "decorum/report/report.hpp"
#include "decorum/tally/tally.hpp"

#include <optional>
#include <string>
#include <vector>

namespace decorum {

/// What one inspector did on one record kind: the input of the statistic.
struct inspector_cell {
  std::optional<std::string> inspector;  ///< null: records without an `inspector`
  std::string kind;                      ///< record kind
  std::uint64_t records = 0;             ///< scored records
  std::uint64_t findings = 0;            ///< standing findings of record rules on them
  decimal points;                        ///< those findings' points as priced (before caps)
};

/// One kind of one inspector's row, against the others on that kind.
struct inspector_kind {
  std::string kind;                      ///< record kind
  std::uint64_t records = 0, findings = 0;  ///< this inspector's
  std::uint64_t others_records = 0, others_findings = 0;  ///< every other inspector's
};

/// One inspector's row.
struct inspector_row {
  std::optional<std::string> inspector;  ///< null: records without an `inspector` (never compared)
  std::uint64_t records = 0, findings = 0;
  decimal points;                        ///< findings' points as priced (before caps)
  decimal findings_per_100, points_per_100;  ///< rounded half away from zero to 0.01
  /// Records of kinds some other inspector also inspected: the only ones compared.
  std::uint64_t comparable_records = 0;
  std::uint64_t observed = 0;            ///< findings on the comparable records
  decimal expected;                      ///< Σ over kinds: records × the others' findings per record (0.01)
  std::optional<decimal> ratio;          ///< observed / expected (0.01); null when expected is 0
  std::optional<decimal> z;              ///< (observed − expected) / √max(expected, 1) (0.01); null for no comparison
  bool outlier = false;                  ///< |z| ≥ 3 with at least min_records comparable records
  std::vector<inspector_kind> kinds;     ///< by kind name
};

/// The inspector report: rows by inspector (code point order; records without one last).
struct inspector_report {
  std::vector<inspector_row> rows;       ///< one per inspector
  std::uint64_t min_records = 20;        ///< the threshold used for `outlier`
  score_report run;                      ///< the scoring run's header (rulebook, input counts); no tallies
};

/// Computes the rows from cells (any order; equal inspector and kind are added up). An
/// inspector is an outlier when it has at least `min_records` comparable records and its z
/// is at least 3 in absolute value (decided on the exact square, not the rounded z).
std::vector<inspector_row> inspector_stats(const std::vector<inspector_cell>& cells, std::uint64_t min_records);

/// The report as table, JSON or CSV (one row per inspector; the JSON adds each one's kinds).
std::string write_inspectors(const inspector_report& r, report_format f);

}  // namespace decorum
