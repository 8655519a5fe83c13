// decorum/api/inspectors.hpp — entry point: `inspect_batch`. The run behind `decorum
// inspectors`: scores the logs with the audit trail kept (score_batch), then reads them once
// more to learn each scored record's inspector and kind, and adds up the findings of record
// rules per inspector and kind (report/inspectors.hpp computes the statistic).
#pragma once

#include "decorum/api/batch.hpp"
#include "decorum/report/inspectors.hpp"

#include <memory>
#include <optional>
#include <vector>

namespace decorum {

/// The outcome: an inspector report, or the diagnostic of an input that could not be read.
struct inspector_run {
  std::optional<diagnostic> fatal;  ///< missing file, bad CSV header, …
  inspector_report report;          ///< valid when `fatal` is empty
};

/// Scores `inputs` as score_batch does (findings kept whatever `options` says) and counts, per
/// inspector and record kind, the scored records and the standing findings of record rules on
/// them with their points. Window and deadline findings judge an employee's pattern over many
/// records, not one inspector's look at one record, so they are left out. Standard input is
/// read into memory first, so that it can be read twice.
inspector_run inspect_batch(std::shared_ptr<const rule_set> rules, std::vector<batch_input> inputs, batch_options options,
                            std::uint64_t min_records);

}  // namespace decorum
