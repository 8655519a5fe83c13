// decorum/tally/tally.hpp — entry points: `scorer`, `score_report`. Evaluates every applicable
// rule on each record and accumulates per-employee, per-period tallies (SPEC §4): points,
// progressive prices, caps, fines, flags, categories, clamps and grades. Memory grows with
// employees × periods × fired rules, not with records (unless findings are kept for an
// audit trail). Tallies of scorers over disjoint shards merge exactly.
#pragma once

#include "decorum/base/result.hpp"
#include "decorum/compile/compile.hpp"
#include "decorum/eval/eval.hpp"
#include "decorum/check/record.hpp"
#include "decorum/tally/appeals.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace decorum {

/// One rule's part of a tally.
struct rule_tally {
  std::string id;          ///< rule id
  std::uint64_t count = 0; ///< occurrences (sum of `times`)
  decimal points;          ///< net points after the cap
  decimal fines;           ///< money
};

/// One employee's result for one period.
struct tally {
  std::string employee, name, period;  ///< who, the last name given in time order, and when
  /// False for a tally that only a window finding made (SPEC §8.1: the employee has no record
  /// in the period): its name is null in JSON.
  bool has_records = true;
  decimal base, deductions, bonuses, score, fines;
  std::optional<std::string> grade;    ///< null when no band is reached
  std::uint64_t findings = 0;          ///< findings that stand (record × rule that fired, not voided)
  std::uint64_t voided = 0;            ///< findings voided by an appeal (SPEC §10)
  std::vector<std::string> flags;      ///< sorted, unique
  std::vector<std::pair<std::string, decimal>> categories;  ///< sorted by category
  std::vector<rule_tally> rules;       ///< fired rules in rulebook order
  /// With score_options::group_by: the field's value on the employee's records of the
  /// period, the last given in time order (like `name`); null when none carries it.
  std::optional<std::string> group;
};

/// An appeal's decision as the audit trail shows it on the finding it names (SPEC §10).
struct appeal_note {
  appeal_decision decision = appeal_decision::upheld;  ///< void or upheld
  std::string reviewer, reason;        ///< who decided, and why
  std::string source;                  ///< the appeals file…
  std::uint64_t line = 0;              ///< …and the appeal's line there
};

/// One finding of the audit trail: every point traces to a rule and a record.
struct finding {
  std::string employee, period, rule;  ///< who, when, which rule
  std::string time;                    ///< the record's time as ISO text
  std::uint64_t occurrences = 0;       ///< `times`
  decimal points, fine;                ///< this finding's share (progressive prices in time order; before the cap)
  std::string source;                  ///< input file
  std::uint64_t line = 0;              ///< record line
  std::string rule_file;               ///< rulebook file
  std::uint32_t rule_line = 0;         ///< the rule's line in the rulebook
  std::string matched;                 ///< what matched: phrases found, field values compared

  /// Which kind of rule made the finding (SPEC §8).
  enum class origin : std::uint8_t { record, window, deadline };
  origin from = origin::record;        ///< a record's rule, a window rule or a deadline rule
  /// False for a window finding in which no record counted: `source` is empty, `line` 0, and
  /// reports show null (SPEC §8.1).
  bool has_source = true;
  /// Window findings: the window's name ("2026-11-03", "2026-W45", "all").
  std::string window;
  std::string aggregates;              ///< window findings: what the aggregates came to
  bool discharged = false;             ///< deadline findings: a discharging record exists…
  std::string discharge_source;        ///< …in this input,
  std::uint64_t discharge_line = 0;    ///< …on this line
  std::string due;                     ///< deadline findings: when the duty fell due
  decimal late;                        ///< deadline findings: seconds past due (to the discharge or the as-of time)
  /// The appeal decided about this finding, if any: a voided finding has 0 occurrences,
  /// points and fine, and counts in no tally but its `voided`.
  std::optional<appeal_note> appeal;
};

/// An appeal that named no finding (SPEC §10), and why.
struct unmatched_appeal {
  std::string source;                  ///< the appeals file
  std::uint64_t line = 0;              ///< the appeal's line
  std::string reason;                  ///< "unknown rule 'x'; did you mean 'y'?", "no scored record has id 'r'", …
};

/// What the appeals of a run came to (SPEC §10); all zero without appeals.
struct appeals_summary {
  std::uint64_t applied = 0;           ///< appeals that matched a finding (voided + upheld)
  std::uint64_t voided = 0;            ///< of them, `void`
  std::uint64_t upheld = 0;            ///< of them, `upheld`
  std::vector<unmatched_appeal> unmatched;  ///< the others, in the order given
};

/// A duty of a deadline rule not yet due at the as-of time (SPEC §8.2): no finding yet.
struct pending_duty {
  std::string employee, rule;          ///< whose, and which rule opened it
  std::string source;                  ///< the opening record's input…
  std::uint64_t line = 0;              ///< …and line
  std::string due;                     ///< when it falls due
};

/// A rule as reports name it: the HTML report (issue 15) shows titles and categories, and a
/// report writer sees only the score_report, not the rule set.
struct rule_info {
  std::string id;        ///< rule id
  std::string title;     ///< its `title:` (of the first version, for a versioned id)
  std::string category;  ///< its `category:` ("" when none)
};

/// The result of a scoring run (SPEC §5).
struct score_report {
  std::string rulebook;                ///< rulebook name
  std::optional<std::string> rulebook_version;  ///< its top-level `version:` (SPEC §9)
  std::string rulebook_sha256;         ///< SHA-256 of its text, 64 hex digits (SPEC §9)
  std::size_t rule_count = 0;          ///< distinct rule ids in the rulebook (versions count once)
  period_kind period = period_kind::month;
  std::string currency = "CNY";
  std::uint64_t records = 0, scored = 0, rejected = 0;  ///< records = scored + rejected
  std::vector<tally> tallies;          ///< by employee (code point order) then period
  std::vector<std::string> sources;    ///< input names as given; rejection::source indexes this
  /// Parallel to `sources`: the encoding each input was decoded from ("UTF-8", "GB18030",
  /// "UTF-16LE", …; issue 16), for the JSON report's `input.files`. Empty when the inputs were
  /// not read by decorum (records given through the API): no `files` then; an empty entry
  /// when one is not known (a merged partial that does not say): null.
  std::vector<std::string> source_encodings;
  std::vector<rejection> rejections;   ///< in input order (input name, then line)
  std::vector<finding> findings;       ///< when requested; by employee, period, time
  std::optional<std::string> as_of;    ///< the as-of time of deadline rules (null: no records)
  std::vector<pending_duty> pending;   ///< open duties not yet due, by employee, rule, source, line
  appeals_summary appeals;             ///< what the run's appeals did
  std::string group_by;                ///< score_options::group_by ("" when tallies carry no group)
  std::vector<rule_info> rules;        ///< every distinct rule id, in rulebook order (issue 15)

  /// The name of the input a rejection comes from.
  const std::string& source_name(const rejection& r) const { return sources.at(r.source); }
};

/// Scoring options.
struct score_options {
  std::optional<period_kind> period;   ///< overrides the rulebook's period
  bool keep_findings = false;          ///< keep the audit trail (memory grows with findings)
  /// The as-of time of deadline rules (SPEC §8.2); default: the latest scored record's time.
  std::optional<timestamp> as_of;
  /// Appeals to apply (SPEC §10), made for the same rule set; null: none. Every scorer of a
  /// run shares one set, so threads and shards agree on which appeal matched.
  std::shared_ptr<const appeal_set> appeals;
  /// A record field (standard or declared, e.g. "site") whose value each tally remembers as
  /// its `group` for roll-ups; "" for none. Not part of a saved state (scorer_state).
  std::string group_by;
};


struct scorer_state;  // decorum/tally/state.hpp
namespace detail {
struct scorer_ids;
}

/// Accumulates tallies for records. One scorer per thread; the rule set is shared.
class scorer {
 public:
  /// A scorer over a compiled rule set.
  explicit scorer(std::shared_ptr<const rule_set> rules, score_options opts = {});
  ~scorer();
  scorer(scorer&&) noexcept;
  scorer& operator=(scorer&&) noexcept;

  /// Registers an input; records carry the returned index in `record::source`. Naming the
  /// same file twice registers two inputs.
  std::uint32_t add_source(std::string name);
  /// Scores one well-typed record (from a reader or built in code). A record whose `id`
  /// an accepted record already carries is rejected instead (returns false).
  bool add(const record& r);
  /// A hint, with no effect on results: a record with this `id` will be added soon. Loads the
  /// part of the duplicate-id table that add() will probe, so a caller holding many records
  /// in memory (the Python package's DataFrames) can ask a few records ahead instead of
  /// waiting on a cache miss per record.
  void prefetch_id(std::string_view id) const noexcept;
  /// Counts a rejected record and lists it.
  void reject(std::uint32_t source, std::uint64_t line, std::string reason);
  /// Folds another scorer's tallies into this one (disjoint shards, same rule set): the
  /// result equals one scorer having seen both inputs.
  void merge(scorer&& other);
  /// A copy of everything accumulated so far. Appeals are not part of a saved state (a
  /// voided finding is simply absent), so save the states of scorers without appeals; the
  /// CLI refuses `--appeals` with `--format partial`.
  scorer_state export_state() const;
  /// Adds a saved state (from a scorer over the same rulebook and period kind) to this one.
  /// Fails, changing nothing, when the rulebook name, period kind or a rule id does not
  /// match, or when this scorer has appeals (they are applied while records are scored, so a
  /// saved state cannot be appealed afterwards). An id present in both is kept once; the record behind it was scored twice, and
  /// the result is the count of such ids.
  result<std::uint64_t> import_state(const scorer_state& s);
  /// Computes the report: tallies, clamps, grades; does not consume the scorer, so more
  /// records may follow and a later report includes them. `threads` build the tallies
  /// (the result does not depend on how many).
  score_report report(unsigned threads = 1) const;

  /// Sets (or, with nullopt, clears) the as-of time of deadline rules (SPEC §8.2) for later
  /// reports; without one, a report judges open duties as of the latest scored record.
  void set_as_of(std::optional<timestamp> t);

  /// Sets the appeals (SPEC §10) of a scorer that has seen no record yet (they are applied as
  /// records are scored); fails, changing nothing, once it has. Null clears them.
  result<void> set_appeals(std::shared_ptr<const appeal_set> appeals);

  /// The rule set in use.
  const rule_set& rules() const noexcept { return *rules_; }

 private:
  friend struct detail::scorer_ids;  // the batch driver's duplicate-id modes (src/tally/id_store.hpp)
  struct impl;
  std::shared_ptr<const rule_set> rules_;
  std::unique_ptr<impl> impl_;
};

}  // namespace decorum
