// src/rulebook/load.cpp — entry points: rulebook::load_rulebook, load_rulebook_file. YAML
// (via yaml-cpp) into the typed rulebook model of SPEC §1: the section loaders (scoring,
// records, phrases, rules, amounts) over the guarded YAML access of yaml.cpp; the
// `tests:` section is loaded by tests_load.cpp. Validates shape, keys and
// constants; expressions stay text here and are parsed and type-checked by check.cpp. Every
// problem is a diagnostic with file, line and column; loading never stops at the first one.
#include "yaml.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

namespace decorum::rulebook {

namespace {

bool valid_name(std::string_view s, bool allow_dash) {
  if (s.empty()) return false;
  auto first = static_cast<unsigned char>(s[0]);
  if (!(std::islower(first) || std::isdigit(first) || (!allow_dash && s[0] == '_'))) return false;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    bool ok = std::islower(c) || std::isdigit(c) || c == '_' || (allow_dash && (c == '.' || c == '-'));
    if (!ok) return false;
  }
  return true;
}

bool valid_identifier(std::string_view s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

}  // namespace

std::string effective_range::describe() const {
  auto date = [](std::int64_t d) { return period_label_from_key(period_kind::day, static_cast<std::int32_t>(d)); };
  if (from && until) return fmt::format("from {} until {}", date(*from), date(*until));
  if (from) return fmt::format("from {}", date(*from));
  if (until) return fmt::format("until {}", date(*until));
  return "always";
}

namespace loading {

void loader::load_effective(const YAML::Node& v, rule_decl& r) {
  effective_range& e = r.effective;
  e.present = true;
  e.pos = pos(v);
  if (!expect_map(v, "effective")) return;
  static const std::vector<std::string_view> keys = {"from", "until"};
  source_pos until_pos;
  bool bad = false;
  for_each_entry(v, "effective", &keys, [&](const std::string& key, const YAML::Node&, const YAML::Node& d) {
    auto s = expect_scalar(d, fmt::format("effective.{}", key));
    if (!s) {
      bad = true;
      return;
    }
    const auto t = parse_time(*s);
    if (!t || !t->date_only) {
      error(diag_code::bad_value, d, fmt::format("effective.{} must be a date (YYYY-MM-DD); got \"{}\"", key, *s));
      bad = true;
      return;
    }
    (key == "from" ? e.from : e.until) = days_of(*t);
    if (key == "until") until_pos = pos(d);
  });
  if (!bad && e.from && e.until && *e.from >= *e.until) {
    error(diag_code::bad_value, until_pos, fmt::format("effective.until ({}) must be after effective.from ({})",
                                 period_label_from_key(period_kind::day, static_cast<std::int32_t>(*e.until)),
                                 period_label_from_key(period_kind::day, static_cast<std::int32_t>(*e.from))));
    bad = true;
  }
  // A range that failed to load must not also be blamed for overlapping: treat it as empty.
  if (bad) e.from = e.until = 0;
}

void loader::load_scoring(const YAML::Node& n, scoring_decl& sc) {
  sc.pos = pos(n);
  if (n.IsNull() || !expect_map(n, "scoring")) return;
  static const std::vector<std::string_view> keys = {"base", "period", "floor", "ceiling", "currency", "grades"};
  for_each_entry(n, "scoring", &keys, [&](const std::string& key, const YAML::Node&, const YAML::Node& v) {
    if (key == "base") {
      if (auto d = number(v, "scoring.base", false)) sc.base = *d;
    } else if (key == "period") {
      auto s = expect_scalar(v, "scoring.period");
      if (!s) return;
      if (auto p = parse_period_kind(*s)) sc.period = *p;
      else error(diag_code::bad_value, v, fmt::format("scoring.period must be one of day, week, month, quarter, year, all; got \"{}\"", *s));
    } else if (key == "floor") {
      sc.floor = number(v, "scoring.floor", false);
    } else if (key == "ceiling") {
      sc.ceiling = number(v, "scoring.ceiling", false);
    } else if (key == "currency") {
      sc.currency = text(v, "scoring.currency");
    } else if (key == "grades") {
      if (!expect_seq(v, "scoring.grades")) return;
      static const std::vector<std::string_view> gkeys = {"min", "grade"};
      for (const auto& g : v) {
        if (!spend(g) || !expect_map(g, "a grade band")) continue;
        grade_band band;
        band.pos = pos(g);
        bool has_min = false, has_grade = false;
        for_each_entry(g, "a grade band", &gkeys, [&](const std::string& k, const YAML::Node&, const YAML::Node& gv) {
          if (k == "min") {
            if (auto d = number(gv, "min", false)) band.min = *d, has_min = true;
          } else {
            band.grade = text(gv, "grade");
            has_grade = !band.grade.empty();
          }
        });
        if (!has_min) error(diag_code::missing_key, band.pos, "a grade band needs 'min'");
        if (!has_grade) error(diag_code::missing_key, band.pos, "a grade band needs 'grade'");
        if (has_min && has_grade) sc.grades.push_back(std::move(band));
      }
    }
  });
  if (sc.floor && sc.ceiling && *sc.floor > *sc.ceiling)
    error(diag_code::bad_value, sc.pos, fmt::format("scoring.floor ({}) is above scoring.ceiling ({})", sc.floor->to_string(),
                              sc.ceiling->to_string()));
}

void loader::load_records(const YAML::Node& n, rulebook_model& m) {
  if (!expect_map(n, "records")) return;
  for_each_entry(n, "records", nullptr, [&](const std::string& kind, const YAML::Node& k, const YAML::Node& v) {
    record_kind_decl decl;
    decl.name = kind;
    decl.pos = pos(k);
    if (!valid_identifier(kind)) error(diag_code::bad_name, decl.pos, fmt::format("record kind '{}' must be a name of letters, digits and '_'", kind));
    if (v.IsNull()) {
      m.records.push_back(std::move(decl));
      return;
    }
    if (!expect_map(v, fmt::format("record kind '{}'", kind))) return;
    for_each_entry(v, fmt::format("record kind '{}'", kind), nullptr,
                   [&](const std::string& fname, const YAML::Node& fk, const YAML::Node& fv) {
                     field_decl f;
                     f.name = fname;
                     f.pos = pos(fk);
                     if (std::find(std::begin(standard_fields), std::end(standard_fields), fname) !=
                         std::end(standard_fields)) {
                       error(diag_code::reserved_field, f.pos, fmt::format("field '{}' is a standard field of every record and cannot be declared", fname));
                       return;
                     }
                     if (!valid_identifier(fname) || fname == "phrases") {
                       error(diag_code::bad_name, f.pos, fmt::format("field name '{}' must be a name of letters, digits and '_' (and not 'phrases')", fname));
                       return;
                     }
                     YAML::Node type_node = fv;
                     if (fv.IsMap()) {
                       static const std::vector<std::string_view> fkeys = {"type", "required", "description"};
                       bool has_type = false;
                       for_each_entry(fv, fmt::format("field '{}'", fname), &fkeys,
                                      [&](const std::string& key, const YAML::Node&, const YAML::Node& x) {
                                        if (key == "type") type_node.reset(x), has_type = true;  // reset: operator= would overwrite the node itself
                                        else if (key == "required") f.required = boolean(x, "required", false);
                                        else text(x, "description");
                                      });
                       if (!has_type) {
                         error(diag_code::missing_key, f.pos, fmt::format("field '{}' needs a 'type'", fname));
                         return;
                       }
                     }
                     if (type_node.IsSequence()) {
                       f.type = field_type::enumeration;
                       std::set<std::string> seen;
                       for (const auto& e : type_node) {
                         if (!spend(e)) return;
                         auto s = expect_scalar(e, "an enum value");
                         if (!s) continue;
                         if (s->empty()) error(diag_code::bad_value, e, "an enum value must not be empty");
                         else if (!seen.insert(*s).second) error(diag_code::duplicate_id, e, fmt::format("duplicate enum value '{}'", *s));
                         else f.enum_values.push_back(*s);
                       }
                       if (f.enum_values.empty()) error(diag_code::bad_value, type_node, fmt::format("enum field '{}' lists no values", fname));
                     } else {
                       auto s = expect_scalar(type_node, fmt::format("the type of field '{}'", fname));
                       if (!s) return;
                       static const std::vector<std::string_view> types = {"int", "number", "text", "bool", "time", "duration"};
                       if (*s == "int") f.type = field_type::int_;
                       else if (*s == "number") f.type = field_type::number;
                       else if (*s == "text") f.type = field_type::text;
                       else if (*s == "bool") f.type = field_type::boolean;
                       else if (*s == "time") f.type = field_type::time;
                       else if (*s == "duration") f.type = field_type::duration;
                       else {
                         std::string hint = did_you_mean(*s, types);
                         error(diag_code::bad_value, type_node,
                               fmt::format("unknown field type '{}'{}; types are int, number, text, bool, time, duration or a list of values",
                                           *s, hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
                         return;
                       }
                     }
                     decl.fields.push_back(std::move(f));
                   });
    m.records.push_back(std::move(decl));
  });
}

void loader::load_phrases(const YAML::Node& n, rulebook_model& m) {
  if (!expect_map(n, "phrases")) return;
  for_each_entry(n, "phrases", nullptr, [&](const std::string& name, const YAML::Node& k, const YAML::Node& v) {
    phrase_set_decl set;
    set.name = name;
    set.pos = pos(k);
    if (!valid_identifier(name)) error(diag_code::bad_name, set.pos, fmt::format("phrase set name '{}' must be a name of letters, digits and '_'", name));
    if (!expect_seq(v, fmt::format("phrase set '{}'", name))) return;
    for (const auto& p : v) {
      if (!spend(p)) return;
      ++set.listed;
      if (!expect_scalar(p, "a phrase")) continue;
      set.phrases.push_back(to_scalar(p));
    }
    m.phrases.push_back(std::move(set));
  });
}

void loader::load_amount(const YAML::Node& v, amount& a, std::string_view what) {
  a.pos = pos(v);
  if (v.IsSequence()) {
    if (what == "points") {
      error(diag_code::wrong_type, v, "points takes a number or an expression, not a list (use deduct or bonus for progressive prices)");
      return;
    }
    for (const auto& e : v) {
      if (!spend(e)) return;
      if (auto d = number(e, fmt::format("each {} step", what), true)) {
        if (d->round(2) != *d)
          error(diag_code::bad_value, e, fmt::format("{} step {} has more than 2 decimal places; points and fines count in hundredths", what, e.Scalar()));
        a.progressive.push_back(*d);
      }
    }
    if (v.size() == 0) error(diag_code::bad_value, v, fmt::format("a progressive {} list must not be empty", what));
    return;
  }
  if (!expect_scalar(v, what)) return;
  a.expr = to_scalar(v);
  if (a.expr.text.empty()) {
    error(diag_code::missing_key, v, fmt::format("{} needs a value", what));
    a.expr.present = false;
    return;
  }
  // A constant is checked here, where the rule author sees it; expressions are checked later.
  if (auto d = decimal::parse(a.expr.text)) {
    if (what != "points" && *d < decimal()) error(diag_code::bad_value, v, fmt::format("{} must not be negative, got {}", what, a.expr.text));
    // Findings are rounded to 0.01; a constant finer than that would be silently changed.
    else if (d->round(2) != *d)
      error(diag_code::bad_value, v, fmt::format("{} {} has more than 2 decimal places; points and fines count in hundredths", what, a.expr.text));
  }
}

void loader::load_across(const std::string& key, const YAML::Node& v, rule_decl& r) {
  if (key == "active") {
    r.has_active = true;
    r.active_pos = pos(v);
    if (v.IsScalar()) {
      r.active.push_back(to_scalar(v));
    } else if (expect_seq(v, "active")) {
      for (const auto& e : v)
        if (spend(e) && expect_scalar(e, "a record kind")) r.active.push_back(to_scalar(e));
      if (r.active.empty()) error(diag_code::bad_value, v, "active needs at least one record kind");
    }
    return;
  }
  if (!expect_scalar(v, key)) return;
  scalar s = to_scalar(v);
  if (s.text.empty()) {
    error(diag_code::missing_key, v, fmt::format("{} needs a value", key));
    return;
  }
  if (key == "per") {
    if (s.text != "period") {
      r.per_kind = parse_period_kind(s.text);
      if (!r.per_kind) {
        error(diag_code::bad_value, v, fmt::format("per must be day, week, month, quarter, year, all or period; got \"{}\"", s.text));
        return;
      }
    }
    r.per = std::move(s);
  } else if (key == "where") r.where = std::move(s);
  else if (key == "until") r.until = std::move(s);
  else if (key == "match") r.match = std::move(s);
  else if (key == "within") r.within = std::move(s);
}

void loader::check_across(const rule_decl& r) {
  const std::string who = r.id.empty() ? std::string("a rule") : fmt::format("rule '{}'", r.id);
  if (r.per.present && r.until.present) {
    error(diag_code::conflicting_keys, r.until.pos, fmt::format("{} has both 'per' and 'until': a rule is a window rule or a deadline rule, not both", who));
    return;
  }
  // "Give 'per' too" would be wrong advice for a deadline rule: it cannot have both.
  if (!r.per.present) {
    if (r.where.present)
      error(diag_code::conflicting_keys, r.where.pos, r.until.present ? "'where' belongs to window rules, not deadline rules: put the condition in 'when'"
                                         : "'where' belongs to window rules: give 'per' too, or put the condition in 'when'");
    if (r.has_active)
      error(diag_code::conflicting_keys, r.active_pos, r.until.present ? "'active' belongs to window rules, not deadline rules"
                                          : "'active' belongs to window rules: give 'per' too");
  }
  if (!r.until.present) {
    if (r.match.present)
      error(diag_code::conflicting_keys, r.match.pos, r.per.present ? "'match' belongs to deadline rules, not window rules"
                                       : "'match' belongs to deadline rules: give 'until' too");
    if (r.within.present)
      error(diag_code::conflicting_keys, r.within.pos, r.per.present ? "'within' belongs to deadline rules, not window rules"
                                        : "'within' belongs to deadline rules: give 'until' too");
  } else {
    if (!r.match.present) error(diag_code::missing_key, r.until.pos, fmt::format("{} has 'until' but no 'match' (the field both kinds share)", who));
    if (!r.within.present) error(diag_code::missing_key, r.until.pos, fmt::format("{} has 'until' but no 'within' (how long a duty may stay open)", who));
  }
}

void loader::load_rule(const YAML::Node& n, rule_decl& r) {
  static const std::vector<std::string_view> keys = {"id",    "title", "description", "category", "ref",
                                                     "severity", "on", "when",       "times",    "deduct",
                                                     "bonus", "points", "fine",      "cap",      "flag",
                                                     "roles", "enabled", "per",    "where",    "active",
                                                     "until", "match", "within", "effective"};
  bool has_on = false;
  for_each_entry(n, r.id.empty() ? std::string("a rule") : fmt::format("rule '{}'", r.id), &keys,
                 [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
                   if (key == "id") {
                     r.id = text(v, "id");
                     r.id_pos = pos(v);
                     if (v.IsScalar() && !valid_name(r.id, true))  // else text() said what is wrong
                       error(diag_code::bad_name, v, fmt::format("rule id '{}' must match [a-z0-9][a-z0-9._-]*", r.id));
                   } else if (key == "title") r.title = text(v, "title");
                   else if (key == "description") r.description = text(v, "description");
                   else if (key == "category") r.category = text(v, "category");
                   else if (key == "ref") r.ref = text(v, "ref");
                   else if (key == "flag") r.flag = text(v, "flag");
                   else if (key == "severity") {
                     std::string s = text(v, "severity");
                     if (s == "minor") r.severity = rule_severity::minor;
                     else if (s == "major") r.severity = rule_severity::major;
                     else if (s == "critical") r.severity = rule_severity::critical;
                     else error(diag_code::bad_value, v, fmt::format("severity must be minor, major or critical; got \"{}\"", s));
                   } else if (key == "on") {
                     if (expect_scalar(v, "on")) r.on = to_scalar(v), has_on = true;
                   } else if (key == "when" || key == "times") {
                     if (!expect_scalar(v, key)) return;
                     (key == "when" ? r.when : r.times) = to_scalar(v);
                     if ((key == "when" ? r.when : r.times).text.empty()) error(diag_code::missing_key, v, fmt::format("{} needs a value", key));
                   } else if (key == "deduct" || key == "bonus" || key == "points") {
                     if (r.kind != amount_kind::none) {
                       error(diag_code::conflicting_keys, k, "a rule takes at most one of deduct, bonus and points");
                       return;
                     }
                     r.kind = key == "deduct" ? amount_kind::deduct : key == "bonus" ? amount_kind::bonus : amount_kind::points;
                     load_amount(v, r.value, key);
                   } else if (key == "fine") {
                     load_amount(v, r.fine, "fine");
                   } else if (key == "cap") {
                     r.cap = number(v, "cap", true);
                   } else if (key == "roles") {
                     if (v.IsScalar()) {
                       r.roles.push_back(v.Scalar());
                     } else if (expect_seq(v, "roles")) {
                       for (const auto& e : v)
                         if (spend(e))
                           if (auto s = expect_scalar(e, "a role")) r.roles.push_back(*s);
                     }
                   } else if (key == "enabled") {
                     r.enabled = boolean(v, "enabled", true);
                   } else if (key == "effective") {
                     load_effective(v, r);
                   } else {
                     load_across(key, v, r);
                   }
                   (void)k;
                 });
  check_across(r);
  if (r.id.empty() && r.id_pos.line == 0) error(diag_code::missing_key, r.pos, "a rule needs an 'id'");
  if (!has_on)
    error(diag_code::missing_key, r.pos, r.id.empty() ? std::string("a rule needs 'on' (the record kind it applies to)")
                              : fmt::format("rule '{}' needs 'on' (the record kind it applies to)", r.id));
}

void loader::load_rules(const YAML::Node& n, rulebook_model& m) {
  if (n.IsNull()) return;
  if (!expect_seq(n, "rules")) return;
  std::vector<std::pair<std::string, source_pos>> ids;
  for (const auto& item : n) {
    if (!spend(item)) return;
    if (!expect_map(item, "a rule")) continue;
    rule_decl r;
    r.pos = pos(item);
    if (auto id = item["id"]; id && id.IsScalar()) r.id = id.Scalar();  // for messages while loading
    load_rule(item, r);
    m.rules.push_back(std::move(r));
  }
  // Versions (SPEC §9): rules may share an id when their effective ranges do not overlap.
  // A later rule without `effective` is blamed at its id; one with it, at its `effective`.
  for (std::size_t i = 0; i < m.rules.size(); ++i) {
    const rule_decl& r = m.rules[i];
    if (r.id.empty()) continue;
    for (std::size_t j = 0; j < i; ++j) {
      const rule_decl& o = m.rules[j];
      if (o.id != r.id) continue;
      if (r.effective.overlaps(o.effective)) {
        if (!r.effective.present && !o.effective.present)
          error(diag_code::duplicate_id, r.id_pos, fmt::format("duplicate rule id '{}' (first defined at line {})", r.id, o.id_pos.line));
        else if (!r.effective.present)
          error(diag_code::overlapping_versions, r.id_pos, fmt::format("rule '{}' has no 'effective' range, so it overlaps its version at line {} (in effect {})",
                                      r.id, o.id_pos.line, o.effective.describe()));
        else
          error(diag_code::overlapping_versions, r.effective.pos, fmt::format("rule '{}' is in effect {}, which overlaps its version at line {} (in effect {})",
                                             r.id, r.effective.describe(), o.id_pos.line, o.effective.describe()));
        break;
      }
      if (r.on.present && o.on.present && r.on.text != o.on.text) {
        error(diag_code::overlapping_versions, r.on.pos, fmt::format("rule '{}' is on '{}', but its version at line {} is on '{}': versions of a rule "
                                    "must judge the same record kind",
                                    r.id, r.on.text, o.id_pos.line, o.on.text));
        break;
      }
    }
  }
}

rulebook_model loader::run() {
  rulebook_model m;
  m.source = file_;
  YAML::Node root;
  if (!parse_document(root, "rulebook", "empty rulebook (expected at least 'decorum', 'name', 'records' and 'rules')"))
    return m;
  static const std::vector<std::string_view> keys = {"decorum", "name",    "title", "version", "scoring",
                                                     "records", "phrases", "rules", "tests"};
  bool has_version = false, has_name = false, has_rules = false, has_records = false;
  for_each_entry(root, "the rulebook", &keys, [&](const std::string& key, const YAML::Node&, const YAML::Node& v) {
    if (key == "decorum") {
      has_version = true;
      auto s = expect_scalar(v, "decorum");
      if (s && *s != "1") error(diag_code::bad_value, v, fmt::format("unsupported rulebook format version {}; this decorum reads version 1", *s));
    } else if (key == "name") {
      has_name = true;
      m.name = text(v, "name");
      if (v.IsScalar() && !valid_name(m.name, true)) error(diag_code::bad_name, v, fmt::format("rulebook name '{}' must match [a-z0-9][a-z0-9._-]*", m.name));
    } else if (key == "title") {
      m.title = text(v, "title");
    } else if (key == "version") {
      if (!v.IsNull())
        if (auto s = expect_scalar(v, "version")) m.edition = *s;
    } else if (key == "scoring") {
      load_scoring(v, m.scoring);
    } else if (key == "records") {
      has_records = true;
      load_records(v, m);
    } else if (key == "phrases") {
      if (!v.IsNull()) load_phrases(v, m);
    } else if (key == "rules") {
      has_rules = true;
      load_rules(v, m);
    } else if (key == "tests") {
      load_tests(v, m);
    }
  });
  if (budget_reported_) return m;  // the walk stopped early: "missing" keys may be there
  if (!has_version) error(diag_code::missing_key, {1, 1}, "missing 'decorum: 1' (the rulebook format version)");
  if (!has_name) error(diag_code::missing_key, {1, 1}, "missing 'name'");
  if (!has_records) error(diag_code::missing_key, {1, 1}, "missing 'records' (the observation kinds logs may hold)");
  if (!has_rules) error(diag_code::missing_key, {1, 1}, "missing 'rules'");
  return m;
}

}  // namespace loading

rulebook_model load_rulebook(std::string name, std::string text, std::vector<diagnostic>& diags) {
  auto file = std::make_shared<const source_file>(std::move(name), std::move(text));
  return loading::loader(file, diags).run();
}

rulebook_model load_rulebook_file(const std::string& path, std::vector<diagnostic>& diags) {
  std::error_code dir_ec;
  if (std::filesystem::is_directory(path, dir_ec)) {
    diags.push_back({severity::error, path, {}, "cannot read file (is it a directory?)", nullptr, diag_code::cannot_read});
    return {};
  }
  std::ifstream in(path, std::ios::binary);
  std::error_code ec;
  if (!in) {
    diags.push_back({severity::error, path, {}, "cannot open file", nullptr, diag_code::cannot_read});
    return {};
  }
  in.seekg(0, std::ios::end);
  auto size = in.tellg();
  if (size < 0) {
    diags.push_back({severity::error, path, {}, "cannot read file (is it a directory?)", nullptr, diag_code::cannot_read});
    return {};
  }
  if (static_cast<std::size_t>(size) > max_rulebook_bytes) {
    diags.push_back({severity::error, path, {},
                     fmt::format("rulebook is {} bytes; the limit is {} bytes (8 MiB)", static_cast<long long>(size), max_rulebook_bytes),
                     nullptr, diag_code::too_large});
    return {};
  }
  in.seekg(0);
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), size);
  if (!in) {
    diags.push_back({severity::error, path, {}, "cannot read file (is it a directory?)", nullptr, diag_code::cannot_read});
    return {};
  }
  return load_rulebook(path, std::move(text), diags);
}

}  // namespace decorum::rulebook
