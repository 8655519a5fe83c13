/* decorum/decorum.h — entry points: decorum_rules_load_file, decorum_scorer_new,
 * decorum_scorer_add_json, decorum_scorer_report. The C API of decorum, for HR systems
 * written in any language (C, Python ctypes, Go cgo, Java FFM, .NET P/Invoke): opaque
 * handles, UTF-8 strings, status codes. No C++ type or exception crosses this boundary; a
 * bad record is a status plus a reason, never a crash.
 *
 * Ownership: every handle made by a *_new / *_load / *_builtin / *_report function is freed
 * by the matching *_free; every `char**` result is a new string freed with
 * decorum_string_free. Threads: a decorum_rules may be shared by any number of scorers on
 * any number of threads; a scorer, record or report is used by one thread at a time. */
#ifndef DECORUM_DECORUM_H
#define DECORUM_DECORUM_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#define DECORUM_API __declspec(dllexport)
#else
#define DECORUM_API __attribute__((visibility("default")))
#endif

/* C++ callers see the functions as noexcept, which they are: the implementation catches
 * everything at the boundary. */
#ifdef __cplusplus
#define DECORUM_NOEXCEPT noexcept
#else
#define DECORUM_NOEXCEPT
#endif

#ifdef __cplusplus
extern "C" {
#endif

/// What a call did. Zero is success; every other value leaves out-parameters untouched
/// except the error text (`diagnostics`, `reason`, `error`) when one was asked for.
typedef enum decorum_status {
  DECORUM_OK = 0,               ///< done
  DECORUM_REJECTED = 1,         ///< the record was rejected: counted and listed in the report, reason given
  DECORUM_INVALID_RULEBOOK = 2, ///< the rulebook has errors: see the diagnostics text
  DECORUM_BAD_ARGUMENT = 3,     ///< a null handle or pointer, or an unknown option value
  DECORUM_IO_ERROR = 4,         ///< a file could not be read
  DECORUM_MISMATCH = 5,         ///< a scorer or partial result of another rulebook or period kind
  DECORUM_BAD_PARTIAL = 6,      ///< text that is not a decorum partial result
  DECORUM_OUT_OF_MEMORY = 7,    ///< an allocation failed; the handle is as it was
  DECORUM_INTERNAL_ERROR = 8,   ///< a bug in decorum; please report it
  DECORUM_INVALID_APPEALS = 9   ///< appeals that are malformed or name one finding twice: see the diagnostics text
} decorum_status;

/// A compiled rulebook (immutable, shareable across threads).
typedef struct decorum_rules decorum_rules;
/// Accumulates tallies for records; one thread at a time.
typedef struct decorum_scorer decorum_scorer;
/// A record being built field by field.
typedef struct decorum_record decorum_record;
/// A computed report: counts, tallies, and its JSON, CSV or table text.
typedef struct decorum_report decorum_report;

/// The library version, "0.1.0".
DECORUM_API const char* decorum_version(void) DECORUM_NOEXCEPT;
/// A status's name, "DECORUM_REJECTED"; never null.
DECORUM_API const char* decorum_status_name(decorum_status status) DECORUM_NOEXCEPT;
/// Frees a string returned through a `char**`; null is fine.
DECORUM_API void decorum_string_free(char* s) DECORUM_NOEXCEPT;

/// Loads, checks and compiles a rulebook file. On DECORUM_INVALID_RULEBOOK (or IO_ERROR)
/// `*out` is null. `diagnostics` (may be null) gets every error and warning, one
/// `FILE:LINE:COL: error[CODE]: MESSAGE` block each (docs/diagnostics.md lists the codes), or
/// "" when there are none.
DECORUM_API decorum_status decorum_rules_load_file(const char* path, decorum_rules** out, char** diagnostics) DECORUM_NOEXCEPT;
/// The same from text; `name` names it in diagnostics, `length` is its size in bytes.
DECORUM_API decorum_status decorum_rules_load_string(const char* name, const char* text, size_t length,
                                                     decorum_rules** out, char** diagnostics) DECORUM_NOEXCEPT;
/// The built-in rulebook (property-customer-service).
DECORUM_API decorum_status decorum_rules_builtin(decorum_rules** out) DECORUM_NOEXCEPT;
/// Frees rules; scorers made from them keep their own reference and stay valid.
DECORUM_API void decorum_rules_free(decorum_rules* rules) DECORUM_NOEXCEPT;
/// The rulebook's `name:`; valid while the rules live; "" for null.
DECORUM_API const char* decorum_rules_name(const decorum_rules* rules) DECORUM_NOEXCEPT;
/// How many rules it has (disabled ones included; versions of one id count once, SPEC §9); 0 for null.
DECORUM_API size_t decorum_rules_count(const decorum_rules* rules) DECORUM_NOEXCEPT;
/// The rulebook's `version:` (SPEC §9), or null when it has none (or for null).
DECORUM_API const char* decorum_rules_version(const decorum_rules* rules) DECORUM_NOEXCEPT;
/// The SHA-256 of the rulebook's text, 64 lower-case hex digits, as reports name it; "" for null.
DECORUM_API const char* decorum_rules_sha256(const decorum_rules* rules) DECORUM_NOEXCEPT;

/// A scorer over `rules`. `period` overrides the rulebook's period ("day", "week", "month",
/// "quarter", "year", "all"; null keeps it); `keep_findings` non-zero keeps the audit trail.
DECORUM_API decorum_status decorum_scorer_new(const decorum_rules* rules, const char* period, int keep_findings,
                                              decorum_scorer** out) DECORUM_NOEXCEPT;
/// Frees a scorer.
DECORUM_API void decorum_scorer_free(decorum_scorer* scorer) DECORUM_NOEXCEPT;
/// Gives a scorer that has seen no record the appeals of SPEC §10: `text` is the content of an
/// appeals file called `name` (".jsonl" or ".csv" decides the format; the name is what reports
/// and diagnostics show). DECORUM_INVALID_APPEALS, with every error in `diagnostics`, when an
/// appeal is malformed or two name one finding: then nothing changes. DECORUM_BAD_ARGUMENT
/// once records were added, or for a name of neither format.
DECORUM_API decorum_status decorum_scorer_set_appeals(decorum_scorer* scorer, const char* name, const char* text,
                                                      size_t length, char** diagnostics) DECORUM_NOEXCEPT;

/// Sets the as-of time of deadline rules (SPEC §8.2) for later reports, as ISO text
/// ("2026-11-30T18:00"); null clears it (open duties are then judged as of the latest scored
/// record). DECORUM_BAD_ARGUMENT for a time that does not parse.
DECORUM_API decorum_status decorum_scorer_set_as_of(decorum_scorer* scorer, const char* time) DECORUM_NOEXCEPT;

/// Scores one record given as a JSON object, read exactly as a line of a JSON Lines log
/// (SPEC §3). `source` names where it came from (null: "api"); `line` is its line or row
/// there (0: one more than the last record of that source). DECORUM_REJECTED means it was
/// counted and listed as rejected; `reason` (may be null) then gets why.
DECORUM_API decorum_status decorum_scorer_add_json(decorum_scorer* scorer, const char* json, size_t length,
                                                   const char* source, uint64_t line, char** reason) DECORUM_NOEXCEPT;

/// A record builder for `rules`' kinds (see decorum/api/record_builder.hpp).
DECORUM_API decorum_status decorum_record_new(const decorum_rules* rules, decorum_record** out) DECORUM_NOEXCEPT;
/// Frees a record builder.
DECORUM_API void decorum_record_free(decorum_record* record) DECORUM_NOEXCEPT;
/// Forgets every field, for the next record.
DECORUM_API decorum_status decorum_record_clear(decorum_record* record) DECORUM_NOEXCEPT;
/// Sets a field (`kind`, `time`, `employee` or any other) from text, read as a CSV cell is:
/// "4" for an int, "yes" for a bool, "5m" for a duration. A bad value is reported when the
/// record is added, as a rejection.
DECORUM_API decorum_status decorum_record_set(decorum_record* record, const char* field, const char* text) DECORUM_NOEXCEPT;
/// Sets an int, number or duration (seconds) field; `employee`/`id` take it as text.
DECORUM_API decorum_status decorum_record_set_int(decorum_record* record, const char* field, int64_t value) DECORUM_NOEXCEPT;
/// Sets a number field from a double, as its shortest round-trip text (0.1 is 0.1).
DECORUM_API decorum_status decorum_record_set_double(decorum_record* record, const char* field, double value) DECORUM_NOEXCEPT;
/// Sets a bool field (non-zero is true).
DECORUM_API decorum_status decorum_record_set_bool(decorum_record* record, const char* field, int value) DECORUM_NOEXCEPT;
/// Removes a field set earlier.
DECORUM_API decorum_status decorum_record_unset(decorum_record* record, const char* field) DECORUM_NOEXCEPT;
/// Scores the record built so far (the builder keeps its fields); `source`, `line` and
/// `reason` as for decorum_scorer_add_json. The record and the scorer must come from the
/// same decorum_rules handle (slots differ between rulebooks), else DECORUM_MISMATCH.
DECORUM_API decorum_status decorum_scorer_add_record(decorum_scorer* scorer, const decorum_record* record,
                                                     const char* source, uint64_t line, char** reason) DECORUM_NOEXCEPT;

/// Adds everything `from` has accumulated to `into` (same rulebook and period kind); `from`
/// is unchanged. `duplicate_ids` (may be null) gets how many record ids both had: such a
/// record was scored by each and cannot be un-scored, so give scorers disjoint inputs.
DECORUM_API decorum_status decorum_scorer_merge(decorum_scorer* into, const decorum_scorer* from,
                                                uint64_t* duplicate_ids, char** error) DECORUM_NOEXCEPT;
/// The scorer's state as a partial result (the JSON `decorum score --format partial` writes).
DECORUM_API decorum_status decorum_scorer_export_partial(const decorum_scorer* scorer, char** json) DECORUM_NOEXCEPT;
/// Adds a partial result (from any process) to the scorer; `duplicate_ids` as for merge.
DECORUM_API decorum_status decorum_scorer_import_partial(decorum_scorer* scorer, const char* json, size_t length,
                                                         uint64_t* duplicate_ids, char** error) DECORUM_NOEXCEPT;

/// Computes the report of everything scored so far; the scorer may go on scoring.
DECORUM_API decorum_status decorum_scorer_report(const decorum_scorer* scorer, decorum_report** out) DECORUM_NOEXCEPT;
/// Frees a report.
DECORUM_API void decorum_report_free(decorum_report* report) DECORUM_NOEXCEPT;
/// Records read (= scored + rejected); 0 for null.
DECORUM_API uint64_t decorum_report_records(const decorum_report* report) DECORUM_NOEXCEPT;
/// Records scored; 0 for null.
DECORUM_API uint64_t decorum_report_scored(const decorum_report* report) DECORUM_NOEXCEPT;
/// Records rejected; 0 for null.
DECORUM_API uint64_t decorum_report_rejected(const decorum_report* report) DECORUM_NOEXCEPT;
/// How many tallies (employee × period); 0 for null.
DECORUM_API size_t decorum_report_tally_count(const decorum_report* report) DECORUM_NOEXCEPT;
/// What the scorer's appeals came to (SPEC §10): any out-pointer may be null.
DECORUM_API decorum_status decorum_report_appeals(const decorum_report* report, uint64_t* applied, uint64_t* voided,
                                                  uint64_t* upheld, uint64_t* unmatched) DECORUM_NOEXCEPT;
/// One value of tally `index` as text: "employee", "name", "period", "base", "deductions",
/// "bonuses", "score", "grade" ("" when none), "fines", "findings", "flags" (joined by ';'),
/// "voided" (findings voided by appeals).
/// Valid while the report lives; null for an unknown key or index.
DECORUM_API const char* decorum_report_tally_value(const decorum_report* report, size_t index, const char* key) DECORUM_NOEXCEPT;
/// The JSON report of SPEC §5 (findings included when the scorer kept them).
DECORUM_API decorum_status decorum_report_json(const decorum_report* report, char** out) DECORUM_NOEXCEPT;
/// The CSV report: one row per tally.
DECORUM_API decorum_status decorum_report_csv(const decorum_report* report, char** out) DECORUM_NOEXCEPT;
/// The table for people, with rejected records listed.
DECORUM_API decorum_status decorum_report_table(const decorum_report* report, char** out) DECORUM_NOEXCEPT;

#ifdef __cplusplus
}
#endif

#endif /* DECORUM_DECORUM_H */
