// src/api/c_api.cpp — entry points: the decorum_* functions of decorum/decorum.h. Wraps the C++
// API in opaque handles for C and any language with a C FFI. Every function catches
// everything at the boundary (an exception unwinding into C or Python is undefined
// behaviour) and turns it into a status; strings cross as malloc'd UTF-8 the caller frees.
#include "decorum/decorum.h"

#include "decorum/compile/compile.hpp"
#include "decorum/api/partial.hpp"
#include "decorum/read/appeals.hpp"
#include "decorum/read/read.hpp"
#include "decorum/api/record_builder.hpp"
#include "decorum/report/report.hpp"
#include "decorum/tally/tally.hpp"

#include <fmt/format.h>

#include <array>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <new>
#include <string>
#include <unordered_map>
#include <vector>

struct decorum_rules {
  std::shared_ptr<const decorum::rule_set> rules;
};

struct decorum_record {
  std::shared_ptr<const decorum::rule_set> rules;  // keeps the schema the builder points at alive
  mutable decorum::record_builder builder;  // adding sets only its origin, never its fields
};

struct decorum_scorer {
  std::shared_ptr<const decorum::rule_set> rules;
  decorum::scorer s;
  bool keep_findings = false;
  // Sources by name, so callers pass names instead of managing scorer input indices, and
  // the next line number of each for callers that do not count lines themselves.
  std::unordered_map<std::string, std::uint32_t> sources;
  std::unordered_map<std::uint32_t, std::uint64_t> next_line;
  std::unique_ptr<decorum::jsonl_reader> reader;  // made on first use, then reused
  std::string line;                               // the JSON object flattened to one line
};

struct decorum_report {
  decorum::score_report report;
  bool with_findings = false;
  std::vector<std::array<std::string, 12>> values;  // per tally, in tally_keys order
};

namespace {

using namespace decorum;

constexpr std::array<std::string_view, 12> tally_keys = {"employee", "name",  "period",   "base",     "deductions", "bonuses",
                                                         "score",    "grade", "fines",    "findings", "flags",   "voided"};

/// A malloc'd copy, so callers in any language free it with one plain free().
char* dup(std::string_view s) {
  char* p = static_cast<char*>(std::malloc(s.size() + 1));
  if (!p) throw std::bad_alloc();
  std::memcpy(p, s.data(), s.size());
  p[s.size()] = '\0';
  return p;
}

void give(char** out, std::string_view s) {
  if (out) *out = dup(s);
}

/// Runs `body` with every exception turned into a status: nothing may unwind into C.
template <class F>
decorum_status guarded(F&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return DECORUM_OUT_OF_MEMORY;
  } catch (...) {
    return DECORUM_INTERNAL_ERROR;
  }
}

std::string join_diagnostics(const std::vector<diagnostic>& diags) {
  std::string text;
  for (const auto& d : diags) {
    text += format_diagnostic(d);
    if (text.empty() || text.back() != '\n') text += '\n';
  }
  return text;
}

decorum_status loaded(std::shared_ptr<const rule_set> rs, const std::vector<diagnostic>& diags, decorum_rules** out,
                      char** diagnostics) {
  std::string text = join_diagnostics(diags);
  if (!rs) {
    give(diagnostics, text);
    return DECORUM_INVALID_RULEBOOK;
  }
  auto* r = new decorum_rules{std::move(rs)};
  try {
    give(diagnostics, text);
  } catch (...) {
    delete r;
    throw;
  }
  *out = r;
  return DECORUM_OK;
}

std::uint32_t source_of(decorum_scorer& sc, const char* name) {
  std::string key = name ? name : "api";
  auto it = sc.sources.find(key);
  if (it != sc.sources.end()) return it->second;
  std::uint32_t index = sc.s.add_source(key);
  sc.sources.emplace(std::move(key), index);
  return index;
}

/// The caller's line, or one past the last line of that source when the caller gave 0.
std::uint64_t line_of(decorum_scorer& sc, std::uint32_t source, std::uint64_t line) {
  std::uint64_t& next = sc.next_line[source];
  if (line == 0) line = next == 0 ? 1 : next;
  next = std::max(next, line + 1);
  return line;
}

/// Collects the one outcome of reading one JSON object.
class one_record_sink final : public record_sink {
 public:
  explicit one_record_sink(scorer& s) : s_(s) {}
  void on_record(const record& r) override {
    handled = true;
    if (!s_.add(r)) {
      rejected = true;
      reason = fmt::format("duplicate id \"{}\"", r.text(slot::id));
    }
  }
  void on_reject(rejection r) override {
    handled = true;
    rejected = true;
    reason = r.reason;
    s_.reject(r.source, r.line, std::move(r.reason));
  }
  bool handled = false, rejected = false;
  std::string reason;

 private:
  scorer& s_;
};

std::optional<period_kind> period_option(const char* period, bool& bad) {
  bad = false;
  if (!period) return std::nullopt;
  auto k = parse_period_kind(period);
  if (!k) bad = true;
  return k;
}

}  // namespace

extern "C" {

const char* decorum_version(void) noexcept { return "0.1.0"; }

const char* decorum_status_name(decorum_status status) noexcept {
  switch (status) {
    case DECORUM_OK: return "DECORUM_OK";
    case DECORUM_REJECTED: return "DECORUM_REJECTED";
    case DECORUM_INVALID_RULEBOOK: return "DECORUM_INVALID_RULEBOOK";
    case DECORUM_BAD_ARGUMENT: return "DECORUM_BAD_ARGUMENT";
    case DECORUM_IO_ERROR: return "DECORUM_IO_ERROR";
    case DECORUM_MISMATCH: return "DECORUM_MISMATCH";
    case DECORUM_BAD_PARTIAL: return "DECORUM_BAD_PARTIAL";
    case DECORUM_OUT_OF_MEMORY: return "DECORUM_OUT_OF_MEMORY";
    case DECORUM_INTERNAL_ERROR: return "DECORUM_INTERNAL_ERROR";
    case DECORUM_INVALID_APPEALS: return "DECORUM_INVALID_APPEALS";
  }
  return "DECORUM_UNKNOWN_STATUS";
}

void decorum_string_free(char* s) noexcept { std::free(s); }

decorum_status decorum_rules_load_file(const char* path, decorum_rules** out, char** diagnostics) noexcept {
  if (diagnostics) *diagnostics = nullptr;
  if (!path || !out) return DECORUM_BAD_ARGUMENT;
  *out = nullptr;
  return guarded([&] {
    // Told apart from an invalid rulebook so a caller can tell "fix the file" from "find it".
    const bool readable = std::ifstream(path, std::ios::binary).good();
    std::vector<diagnostic> diags;
    auto rs = compile_rulebook_file(path, diags);
    decorum_status st = loaded(std::move(rs), diags, out, diagnostics);
    return st == DECORUM_INVALID_RULEBOOK && !readable ? DECORUM_IO_ERROR : st;
  });
}

decorum_status decorum_rules_load_string(const char* name, const char* text, size_t length, decorum_rules** out,
                                         char** diagnostics) noexcept {
  if (diagnostics) *diagnostics = nullptr;
  if (!text || !out) return DECORUM_BAD_ARGUMENT;
  *out = nullptr;
  return guarded([&] {
    std::vector<diagnostic> diags;
    auto rs = compile_rulebook(name ? name : "rulebook", std::string(text, length), diags);
    return loaded(std::move(rs), diags, out, diagnostics);
  });
}

decorum_status decorum_rules_builtin(decorum_rules** out) noexcept {
  if (!out) return DECORUM_BAD_ARGUMENT;
  *out = nullptr;
  return guarded([&] {
    std::vector<diagnostic> diags;
    return loaded(builtin_rule_set(diags), diags, out, nullptr);
  });
}

void decorum_rules_free(decorum_rules* rules) noexcept { delete rules; }

const char* decorum_rules_name(const decorum_rules* rules) noexcept {
  return rules ? rules->rules->name().c_str() : "";
}

size_t decorum_rules_count(const decorum_rules* rules) noexcept { return rules ? rules->rules->distinct_rules() : 0; }

const char* decorum_rules_version(const decorum_rules* rules) noexcept {
  return rules && rules->rules->version() ? rules->rules->version()->c_str() : nullptr;
}

const char* decorum_rules_sha256(const decorum_rules* rules) noexcept { return rules ? rules->rules->sha256().c_str() : ""; }

decorum_status decorum_scorer_new(const decorum_rules* rules, const char* period, int keep_findings,
                                  decorum_scorer** out) noexcept {
  if (!rules || !out) return DECORUM_BAD_ARGUMENT;
  *out = nullptr;
  return guarded([&] {
    bool bad = false;
    decorum::score_options opts;
    opts.period = period_option(period, bad);
    if (bad) return DECORUM_BAD_ARGUMENT;
    opts.keep_findings = keep_findings != 0;
    *out = new decorum_scorer{rules->rules, scorer(rules->rules, opts), opts.keep_findings, {}, {}, nullptr, {}};
    return DECORUM_OK;
  });
}

void decorum_scorer_free(decorum_scorer* scorer) noexcept { delete scorer; }

decorum_status decorum_scorer_set_appeals(decorum_scorer* sc, const char* name, const char* text, size_t length,
                                          char** diagnostics) noexcept {
  if (diagnostics) *diagnostics = nullptr;
  if (!sc || !name || (!text && length > 0)) return DECORUM_BAD_ARGUMENT;
  return guarded([&] {
    const std::optional<input_format> format = format_from_path(name);
    // Appeals apply while records are scored: only a scorer that has seen none can take them.
    if (!format) return DECORUM_BAD_ARGUMENT;
    appeals_read read = parse_appeals(name, std::string(text ? text : "", length), *format);
    std::vector<diagnostic> errors = std::move(read.errors);
    std::shared_ptr<const appeal_set> set;
    if (errors.empty()) {
      auto made = appeal_set::make(*sc->rules, std::move(read.appeals));
      if (made) set = *made;
      else errors = made.error();
    }
    if (!errors.empty()) {
      if (diagnostics) {
        std::string all;
        for (const auto& d : errors) all += format_diagnostic(d) + "\n";
        *diagnostics = dup(all);
      }
      return DECORUM_INVALID_APPEALS;
    }
    return sc->s.set_appeals(std::move(set)) ? DECORUM_OK : DECORUM_BAD_ARGUMENT;
  });
}

decorum_status decorum_scorer_set_as_of(decorum_scorer* sc, const char* time) noexcept {
  if (!sc) return DECORUM_BAD_ARGUMENT;
  return guarded([&] {
    std::optional<decorum::timestamp> t;
    if (time) {
      t = decorum::parse_time(time);
      if (!t) return DECORUM_BAD_ARGUMENT;
    }
    sc->s.set_as_of(t);
    return DECORUM_OK;
  });
}

decorum_status decorum_scorer_add_json(decorum_scorer* sc, const char* json, size_t length, const char* source,
                                       uint64_t line, char** reason) noexcept {
  if (reason) *reason = nullptr;
  if (!sc || (!json && length > 0)) return DECORUM_BAD_ARGUMENT;
  return guarded([&] {
    const std::uint32_t src = source_of(*sc, source);
    const std::uint64_t at = line_of(*sc, src, line);
    // A raw line break can only be white space in valid JSON (strings escape theirs), so
    // flattening keeps a pretty-printed object one record instead of several broken ones.
    sc->line.assign(json ? json : "", length);
    for (char& c : sc->line)
      if (c == '\n' || c == '\r') c = ' ';
    if (!sc->reader) sc->reader = std::make_unique<jsonl_reader>(sc->rules->schema());
    one_record_sink sink(sc->s);
    sc->reader->read(sc->line, src, sink, at);
    if (!sink.handled) {
      sink.rejected = true;
      sink.reason = "empty record";
      sc->s.reject(src, at, sink.reason);
    }
    if (!sink.rejected) return DECORUM_OK;
    give(reason, sink.reason);
    return DECORUM_REJECTED;
  });
}

decorum_status decorum_record_new(const decorum_rules* rules, decorum_record** out) noexcept {
  if (!rules || !out) return DECORUM_BAD_ARGUMENT;
  *out = nullptr;
  return guarded([&] {
    *out = new decorum_record{rules->rules, record_builder(*rules->rules)};
    return DECORUM_OK;
  });
}

void decorum_record_free(decorum_record* record) noexcept { delete record; }

decorum_status decorum_record_clear(decorum_record* record) noexcept {
  if (!record) return DECORUM_BAD_ARGUMENT;
  record->builder.clear();
  return DECORUM_OK;
}

decorum_status decorum_record_set(decorum_record* record, const char* field, const char* text) noexcept {
  if (!record || !field || !text) return DECORUM_BAD_ARGUMENT;
  return guarded([&] {
    record->builder.set(field, std::string_view(text));
    return DECORUM_OK;
  });
}

decorum_status decorum_record_set_int(decorum_record* record, const char* field, int64_t value) noexcept {
  if (!record || !field) return DECORUM_BAD_ARGUMENT;
  return guarded([&] {
    record->builder.set(field, static_cast<std::int64_t>(value));
    return DECORUM_OK;
  });
}

decorum_status decorum_record_set_double(decorum_record* record, const char* field, double value) noexcept {
  if (!record || !field) return DECORUM_BAD_ARGUMENT;
  return guarded([&] {
    record->builder.set(field, value);
    return DECORUM_OK;
  });
}

decorum_status decorum_record_set_bool(decorum_record* record, const char* field, int value) noexcept {
  if (!record || !field) return DECORUM_BAD_ARGUMENT;
  return guarded([&] {
    record->builder.set(field, value != 0);
    return DECORUM_OK;
  });
}

decorum_status decorum_record_unset(decorum_record* record, const char* field) noexcept {
  if (!record || !field) return DECORUM_BAD_ARGUMENT;
  return guarded([&] {
    record->builder.unset(field);
    return DECORUM_OK;
  });
}

decorum_status decorum_scorer_add_record(decorum_scorer* sc, const decorum_record* record, const char* source,
                                         uint64_t line, char** reason) noexcept {
  if (reason) *reason = nullptr;
  if (!sc || !record) return DECORUM_BAD_ARGUMENT;
  if (record->rules != sc->rules) return DECORUM_MISMATCH;  // slots differ between rulebooks
  return guarded([&] {
    const std::uint32_t src = source_of(*sc, source);
    const std::uint64_t at = line_of(*sc, src, line);
    record->builder.origin(src, at);
    auto done = record->builder.add_to(sc->s);
    if (done) return DECORUM_OK;
    give(reason, done.error().reason);
    return DECORUM_REJECTED;
  });
}

namespace {

/// Imports a saved state into a scorer: the C statuses of scorer::import_state.
decorum_status import_into(decorum::scorer& s, const decorum::scorer_state& st, uint64_t* duplicate_ids, char** error) {
  auto dups = s.import_state(st);
  if (!dups) {
    give(error, dups.error().message);
    return DECORUM_MISMATCH;
  }
  if (duplicate_ids) *duplicate_ids = *dups;
  return DECORUM_OK;
}

}  // namespace

decorum_status decorum_scorer_merge(decorum_scorer* into, const decorum_scorer* from, uint64_t* duplicate_ids,
                                    char** error) noexcept {
  if (error) *error = nullptr;
  if (!into || !from || into == from) return DECORUM_BAD_ARGUMENT;
  return guarded([&] {
    // Through the saved state rather than scorer::merge, which consumes its argument.
    return import_into(into->s, from->s.export_state(), duplicate_ids, error);
  });
}

decorum_status decorum_scorer_export_partial(const decorum_scorer* sc, char** json) noexcept {
  if (json) *json = nullptr;
  if (!sc || !json) return DECORUM_BAD_ARGUMENT;
  return guarded([&] {
    *json = dup(write_partial(sc->s.export_state(), *sc->rules, sc->keep_findings));
    return DECORUM_OK;
  });
}

decorum_status decorum_scorer_import_partial(decorum_scorer* sc, const char* json, size_t length, uint64_t* duplicate_ids,
                                             char** error) noexcept {
  if (error) *error = nullptr;
  if (!sc || (!json && length > 0)) return DECORUM_BAD_ARGUMENT;
  return guarded([&] {
    auto p = parse_partial(std::string_view(json ? json : "", length));
    if (!p) {
      give(error, p.error().message);
      return DECORUM_BAD_PARTIAL;
    }
    return import_into(sc->s, p->state, duplicate_ids, error);
  });
}

decorum_status decorum_scorer_report(const decorum_scorer* sc, decorum_report** out) noexcept {
  if (!sc || !out) return DECORUM_BAD_ARGUMENT;
  *out = nullptr;
  return guarded([&] {
    auto r = std::make_unique<decorum_report>();
    r->report = sc->s.report();
    r->with_findings = sc->keep_findings;
    for (const tally& t : r->report.tallies) {
      std::string flags;
      for (const auto& f : t.flags) flags += (flags.empty() ? "" : ";") + f;
      r->values.push_back({t.employee, t.name, t.period, t.base.to_string(), t.deductions.to_string(),
                           t.bonuses.to_string(), t.score.to_string(), t.grade.value_or(""), t.fines.to_string(),
                           std::to_string(t.findings), flags, std::to_string(t.voided)});
    }
    *out = r.release();
    return DECORUM_OK;
  });
}

void decorum_report_free(decorum_report* report) noexcept { delete report; }

uint64_t decorum_report_records(const decorum_report* report) noexcept { return report ? report->report.records : 0; }

decorum_status decorum_report_appeals(const decorum_report* report, uint64_t* applied, uint64_t* voided, uint64_t* upheld,
                                      uint64_t* unmatched) noexcept {
  if (!report) return DECORUM_BAD_ARGUMENT;
  const appeals_summary& a = report->report.appeals;
  if (applied) *applied = a.applied;
  if (voided) *voided = a.voided;
  if (upheld) *upheld = a.upheld;
  if (unmatched) *unmatched = a.unmatched.size();
  return DECORUM_OK;
}
uint64_t decorum_report_scored(const decorum_report* report) noexcept { return report ? report->report.scored : 0; }
uint64_t decorum_report_rejected(const decorum_report* report) noexcept { return report ? report->report.rejected : 0; }
size_t decorum_report_tally_count(const decorum_report* report) noexcept { return report ? report->values.size() : 0; }

const char* decorum_report_tally_value(const decorum_report* report, size_t index, const char* key) noexcept {
  if (!report || !key || index >= report->values.size()) return nullptr;
  for (std::size_t k = 0; k < tally_keys.size(); ++k)
    if (tally_keys[k] == key) return report->values[index][k].c_str();
  return nullptr;
}

decorum_status decorum_report_json(const decorum_report* report, char** out) noexcept {
  if (out) *out = nullptr;
  if (!report || !out) return DECORUM_BAD_ARGUMENT;
  return guarded([&] {
    *out = dup(write_json(report->report, report->with_findings));
    return DECORUM_OK;
  });
}

decorum_status decorum_report_csv(const decorum_report* report, char** out) noexcept {
  if (out) *out = nullptr;
  if (!report || !out) return DECORUM_BAD_ARGUMENT;
  return guarded([&] {
    *out = dup(write_csv(report->report));
    return DECORUM_OK;
  });
}

decorum_status decorum_report_table(const decorum_report* report, char** out) noexcept {
  if (out) *out = nullptr;
  if (!report || !out) return DECORUM_BAD_ARGUMENT;
  return guarded([&] {
    *out = dup(write_table(report->report, report->with_findings));
    return DECORUM_OK;
  });
}

}  // extern "C"
