// src/check/check.cpp — entry point: check. The rulebook-level checks of SPEC §1–§2: the schema,
// phrase sets (empty and duplicate phrases after folding), and each rule's expressions
// (expr.cpp) and amounts. All errors of a file are collected; a bad expression does
// not stop the others from being checked.
#include "checker.hpp"

#include "decorum/base/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace decorum {

namespace detail {

void checker::run() {
  auto& m = out_.model;
  out_.schema = record_schema(m.records);
  // Phrase sets: names first so `phrases.NAME` resolves by index.
  for (const auto& set : m.phrases) {
    out_.phrase_set_names.push_back(set.name);
    std::vector<std::string> phrases;
    std::map<std::string, source_pos> seen;
    for (const auto& p : set.phrases) {
      std::string folded = detail::fold_text(p.text);
      if (folded.empty()) {
        // An empty phrase would match every text: an error, not the warning of SPEC §6 (issue #2).
        error_pos(diag_code::empty_phrase, p.pos, fmt::format("phrase set '{}' holds an empty phrase, which would match every text", set.name));
        continue;
      }
      auto [it, inserted] = seen.emplace(folded, p.pos);
      if (!inserted)
        warning_pos(diag_code::duplicate_phrase, p.pos, fmt::format("duplicate phrase \"{}\" in set '{}' (first at line {})", p.text, set.name,
                                       it->second.line));
      phrases.push_back(p.text);
    }
    // A set whose items were all refused (and reported) is not empty as written.
    if (set.phrases.empty() && set.listed == 0) warning_pos(diag_code::empty_phrase_set, set.pos, fmt::format("phrase set '{}' is empty", set.name));
    out_.phrase_sets.push_back(std::move(phrases));
  }
  phrase_used_.assign(m.phrases.size(), false);

  std::vector<std::string_view> kind_names;
  for (const auto& k : out_.schema.kinds()) kind_names.push_back(k.name);

  for (const auto& r : m.rules) {
    checked_rule cr;
    cr.decl = &r;
    if (r.on.present) {
      cr.kind = out_.schema.find_kind(r.on.text);
      if (cr.kind < 0) {
        std::string hint = rulebook::did_you_mean(r.on.text, kind_names);
        error_pos(diag_code::unknown_kind, r.on.pos, hint.empty() ? fmt::format("unknown record kind '{}'", r.on.text)
                                         : fmt::format("unknown record kind '{}'; did you mean '{}'?", r.on.text, hint),
                  end_of(r.on));
      }
    }
    if (cr.kind >= 0 && r.is_window()) {
      check_window(r, cr);
    } else if (cr.kind >= 0) {
      const kind_schema& k = out_.schema.kinds()[static_cast<std::size_t>(cr.kind)];
      if (r.is_deadline()) check_deadline(r, cr);
      if (r.when.present) compile_expr(r.when, k, cr.when, value_type::boolean, "when");
      if (r.times.present) compile_expr(r.times, k, cr.times, value_type::number, "times");
      const char* what = r.kind == rulebook::amount_kind::deduct ? "deduct" : r.kind == rulebook::amount_kind::bonus ? "bonus" : "points";
      if (r.value.expr.present) compile_expr(r.value.expr, k, cr.value, value_type::number, what);
      if (r.fine.expr.present) compile_expr(r.fine.expr, k, cr.fine, value_type::number, "fine");
    }
    if (r.kind == rulebook::amount_kind::none && !r.fine.present() && r.flag.empty())
      error_pos(diag_code::no_effect, r.pos, fmt::format("rule '{}' has no effect: give it deduct, bonus, points, fine or flag", r.id));
    if (r.cap && r.kind == rulebook::amount_kind::none)
      error_pos(diag_code::no_effect, r.pos, fmt::format("rule '{}' has a cap but no points to cap", r.id));
    out_.rules.push_back(std::move(cr));
  }
  for (std::size_t i = 0; i < m.phrases.size(); ++i)
    if (!phrase_used_[i]) warning_pos(diag_code::unused_phrase_set, m.phrases[i].pos, fmt::format("phrase set '{}' is never used", m.phrases[i].name));

  // Grade bands: the first band whose min the score reaches wins, so a band whose min is not
  // below every earlier band's min is shadowed; one above the ceiling cannot be reached either.
  const auto& sc = m.scoring;
  for (std::size_t i = 0; i < sc.grades.size(); ++i) {
    const auto& g = sc.grades[i];
    bool shadowed = false;
    for (std::size_t j = 0; j < i; ++j)
      if (sc.grades[j].min <= g.min) shadowed = true;
    if (shadowed)
      warning_pos(diag_code::unreachable_grade, g.pos, fmt::format("grade band '{}' (min {}) can never be reached: an earlier band's min is not higher",
                                     g.grade, g.min.to_string()));
    else if (sc.ceiling && g.min > *sc.ceiling)
      warning_pos(diag_code::unreachable_grade, g.pos, fmt::format("grade band '{}' (min {}) can never be reached: the ceiling is {}", g.grade,
                                     g.min.to_string(), sc.ceiling->to_string()));
    else if (sc.floor && i > 0 && sc.grades[i - 1].min <= *sc.floor)
      warning_pos(diag_code::unreachable_grade, g.pos, fmt::format("grade band '{}' (min {}) can never be reached: scores never fall below the floor {}",
                                     g.grade, g.min.to_string(), sc.floor->to_string()));
  }
}

void checker::check_window(const rulebook::rule_decl& r, checked_rule& cr) {
  const kind_schema& k = out_.schema.kinds()[static_cast<std::size_t>(cr.kind)];
  if (r.where.present) {
    agg_mode_ = agg_mode::where;
    compile_expr(r.where, k, cr.where, value_type::boolean, "where");
  }
  for (const auto& a : r.active) {
    const std::int32_t kind = out_.schema.find_kind(a.text);
    if (kind < 0) {
      std::vector<std::string_view> names;
      for (const auto& ks : out_.schema.kinds()) names.push_back(ks.name);
      const std::string hint = rulebook::did_you_mean(a.text, names);
      error_pos(diag_code::unknown_kind, a.pos, hint.empty() ? fmt::format("unknown record kind '{}' in active", a.text)
                                    : fmt::format("unknown record kind '{}' in active; did you mean '{}'?", a.text, hint),
                end_of(a));
    } else if (std::find(cr.active.begin(), cr.active.end(), kind) == cr.active.end()) {
      cr.active.push_back(kind);
    }
  }
  // The rule's own expressions see the records only through aggregates.
  agg_mode_ = agg_mode::outer;
  aggs_ = &cr.aggregates;
  if (r.when.present) compile_expr(r.when, k, cr.when, value_type::boolean, "when");
  if (r.times.present) compile_expr(r.times, k, cr.times, value_type::number, "times");
  if (r.value.expr.present) compile_expr(r.value.expr, k, cr.value, value_type::number, rulebook::to_string(r.kind));
  if (r.fine.expr.present) compile_expr(r.fine.expr, k, cr.fine, value_type::number, "fine");
  agg_mode_ = agg_mode::none;
  aggs_ = nullptr;
}

void checker::check_deadline(const rulebook::rule_decl& r, checked_rule& cr) {
  const kind_schema& k = out_.schema.kinds()[static_cast<std::size_t>(cr.kind)];
  std::vector<std::string_view> kind_names;
  for (const auto& ks : out_.schema.kinds()) kind_names.push_back(ks.name);
  cr.until_kind = out_.schema.find_kind(r.until.text);
  if (cr.until_kind < 0) {
    const std::string hint = rulebook::did_you_mean(r.until.text, kind_names);
    error_pos(diag_code::unknown_kind, r.until.pos, hint.empty() ? fmt::format("unknown record kind '{}' in until", r.until.text)
                                        : fmt::format("unknown record kind '{}' in until; did you mean '{}'?", r.until.text, hint),
              end_of(r.until));
  }
  if (r.within.present) compile_expr(r.within, k, cr.within, value_type::duration, "within");
  if (!r.match.present || cr.until_kind < 0) return;
  const kind_schema& u = out_.schema.kinds()[static_cast<std::size_t>(cr.until_kind)];
  const field_schema* a = k.find(r.match.text);
  const field_schema* b = u.find(r.match.text);
  if (!a || !b) {
    error_pos(diag_code::bad_match_field, r.match.pos, fmt::format("match field '{}' is not declared by kind '{}'", r.match.text, (!a ? k : u).name),
              end_of(r.match));
    return;
  }
  if (a->type != b->type || a->enum_values != b->enum_values) {
    // Two enums differ in their values: "enum but enum" would not say how.
    const auto type_of = [](const field_schema& f) {
      return f.type == field_type::enumeration ? fmt::format("enum [{}]", fmt::join(f.enum_values, ", "))
                                               : std::string(to_string(f.type));
    };
    error_pos(diag_code::bad_match_field, r.match.pos, fmt::format("match field '{}' has type {} in kind '{}' but {} in kind '{}'", r.match.text,
                                       type_of(*a), k.name, type_of(*b), u.name));
    return;
  }
  cr.match_slot = a->slot;
  cr.until_match_slot = b->slot;
}

}  // namespace detail

std::unique_ptr<checked_rulebook> check(rulebook::rulebook_model model, std::vector<diagnostic>& diags) {
  auto out = std::make_unique<checked_rulebook>();
  out->model = std::move(model);
  if (!out->model.source) return out;
  detail::checker(*out, diags).run();
  return out;
}

}  // namespace decorum
