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
/// shards, then `decorum merge`. A rule is named by compiled_rule::key: its id, or "id@N"
/// for the N-th version of an id in file order (SPEC §9).
struct scorer_state {
  /// One rule's accumulator inside a tally.
  struct rule_part {
    std::string rule;              ///< rule key (compiled_rule::key)
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
  /// A window rule's accumulator for one employee and window (SPEC §8.1).
  struct window_part {
    std::string rule, employee;
    std::int32_t key = 0;          ///< period_key() of the rule's window kind
    bool active = false;           ///< an active-kind record of the employee fell in it
    std::uint64_t count = 0;       ///< records that counted
    bool has_first = false;        ///< the first record that counted, in time order:
    std::int64_t first_time = 0;   ///< local seconds,
    std::uint32_t first_source = 0;///< input (index into sources),
    std::uint64_t first_line = 0;  ///< line
    /// One aggregate's running state.
    struct aggregate {
      std::uint64_t n = 0;         ///< records with the condition true, or with a value
      std::int64_t a = 0;          ///< sum/avg: the sum (raw decimal); min/max: the least value (raw)
      std::int64_t b = 0;          ///< sum/avg: 1 when the sum overflowed; min/max: the greatest value
    };
    std::vector<aggregate> aggregates;  ///< in the rule's order
  };
  /// A duty a deadline rule opened (SPEC §8.2), priced on its opening record.
  struct duty_part {
    std::uint32_t tally = 0;       ///< index into tallies: the opening record's
    std::string rule;
    std::uint32_t source = 0;
    std::uint64_t line = 0;
    timestamp time;                ///< the opening record's time
    std::int64_t due = 0;          ///< raw decimal seconds of local time
    std::string match;             ///< the match value, typed ("3:T-17")
    std::uint64_t occurrences = 0;
    decimal points, fine;
    std::string matched;
  };
  /// A record that may discharge a deadline rule's duties.
  struct discharge_part {
    std::string rule, match;
    std::int64_t time = 0;         ///< local seconds
    std::uint32_t source = 0;
    std::uint64_t line = 0;
  };
  /// An employee's earliest scored record (local seconds): `per: all` windows start there.
  struct first_part {
    std::string employee;
    std::int64_t time = 0;
  };
  std::string rulebook;                 ///< rule set name, checked on import
  period_kind period = period_kind::month;
  std::vector<std::string> sources;     ///< input names
  std::vector<tally_part> tallies;
  std::vector<finding_part> findings;
  std::vector<id_part> ids;
  std::vector<rejection> rejections;    ///< `source` indexes `sources`
  std::vector<window_part> windows;     ///< by employee, rule, window
  std::vector<duty_part> duties;        ///< by tally, input, line, rule
  std::vector<discharge_part> discharges;  ///< by rule, match, time, input, line
  std::vector<first_part> firsts;       ///< by employee
  bool has_latest = false;              ///< a record was scored…
  std::int64_t latest = 0;              ///< …and the latest one's time (local seconds)
  std::uint64_t read = 0, scored = 0, rejected = 0;
};

}  // namespace decorum
