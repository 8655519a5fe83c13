// decorum/api/diff.hpp — entry point: `diff_batch`. What changes if the rules change (SPEC
// §11), for HR systems as for `decorum diff`: each log is read once into memory, then scored
// under both rulebooks by the batch scorer (threads and all), and the two reports compared.
#pragma once

#include "decorum/api/batch.hpp"
#include "decorum/report/diff.hpp"

#include <memory>
#include <vector>

namespace decorum {

/// Scores `inputs` under `old_rules` and `new_rules` and compares the reports per (employee,
/// period) (report/diff.hpp). Each input is read from disk or standard input once
/// (load_input; inputs whose `text` is already set are not read at all) and typed against
/// each rulebook's own schema, so the two may declare different kinds and fields.
/// `options` apply to both sides (period override, as-of time, encoding, threads);
/// `keep_state` and `keep_findings` are ignored. Fails with the diagnostic of an input that
/// cannot be read, or that one of the rulebooks cannot read (a CSV column neither declares).
result<score_diff> diff_batch(std::shared_ptr<const rule_set> old_rules, std::shared_ptr<const rule_set> new_rules,
                              std::vector<batch_input> inputs, const batch_options& options);

}  // namespace decorum
