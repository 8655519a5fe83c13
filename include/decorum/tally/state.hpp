// decorum/tally/state.hpp — entry point: `scorer_state`. A scorer's accumulated tallies,
// findings, ids and rejections by name rather than by index, the content of a partial result
// (api/partial.hpp): saved on one machine, read back and imported into a scorer elsewhere.
#pragma once

#include "decorum/base/chrono.hpp"
#include "decorum/base/decimal.hpp"
#include "decorum/base/result.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace decorum {

/// Everything a scorer has accumulated, by name rather than by index, so it can be saved
/// (a partial result), loaded elsewhere and merged: `decorum score --format partial` on
/// shards, then `decorum merge`.
struct scorer_state {
  /// One rule's accumulator inside a tally.
  struct rule_part {
    std::string rule;              ///< rule id
    std::uint64_t count = 0;       ///< occurrences
    std::uint64_t findings = 0;    ///< records it fired on
    decimal points, fines;         ///< sums of rounded finding amounts (progressive: priced at report time)
  };
  /// One employee × period accumulator.
  struct tally_part {
    std::string employee;
    std::int32_t period_key = 0;   ///< period_key() of the scorer's period kind
    bool has_name = false;         ///< a name was given
    std::string name;              ///< the latest name given…
    std::int64_t name_time = 0;    ///< …at this written time,
    std::uint32_t name_source = 0; ///< …in this input (index into sources),
    std::uint64_t name_line = 0;   ///< …on this line
    std::vector<rule_part> rules;
  };
  /// One kept finding (audit trail).
  struct finding_part {
    std::uint32_t tally = 0;       ///< index into tallies
    std::string rule;
    std::uint32_t source = 0;
    std::uint64_t line = 0, occurrences = 0;
    timestamp time;
    decimal points, fine;
    std::string matched;
  };
  /// An id seen in exact mode and where.
  struct id_part {
    std::string id;
    std::uint32_t source = 0;
    std::uint64_t line = 0;
  };
  std::string rulebook;                 ///< rule set name, checked on import
  period_kind period = period_kind::month;
  std::vector<std::string> sources;     ///< input names
  std::vector<tally_part> tallies;
  std::vector<finding_part> findings;
  std::vector<id_part> ids;
  std::vector<rejection> rejections;    ///< `source` indexes `sources`
  std::uint64_t read = 0, scored = 0, rejected = 0;
};

}  // namespace decorum
