// src/rulebook_load.cpp — entry point: rulebook::load_rulebook. YAML (via yaml-cpp) into
// the typed rulebook model of SPEC §1. Validates shape, keys and constants; expressions
// stay text here and are parsed and type-checked by check.cpp. Every problem is a
// diagnostic with file, line and column; loading never stops at the first one.
#include "decorum/rulebook/model.hpp"
#include "decorum/detail/text.hpp"

#include <yaml-cpp/yaml.h>
#include <yaml-cpp/eventhandler.h>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <typeinfo>
#include <fstream>
#include <set>
#include <string>
#include <tuple>
#include <sstream>

namespace decorum::rulebook {

source_pos locate_in_scalar(const source_file& file, const scalar& s, std::size_t offset) {
  const std::string& src = file.text();
  std::size_t p = std::min(s.mark, src.size());
  if (p < src.size()) {
    char c = src[p];
    if (c == '"' || c == '\'') {
      ++p;
    } else if (c == '|' || c == '>') {
      // Block scalar: content starts on the line after the header.
      std::size_t nl = src.find('\n', p);
      p = nl == std::string::npos ? src.size() : nl + 1;
    }
  }
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  std::string_view text = s.text;
  offset = std::min(offset, text.size());
  // Walk the decoded text and the source side by side, matching each non-space character
  // to its next occurrence in the source; folding, indentation and escapes are skipped.
  for (std::size_t k = 0; k <= offset && k < text.size(); ++k) {
    if (is_space(text[k])) continue;
    std::size_t limit = std::min(src.size(), p + 64);
    std::size_t q = p;
    while (q < limit && src[q] != text[k]) ++q;
    if (q >= limit) return s.pos;  // escapes we cannot follow: blame the scalar
    if (k == offset) return file.position_of(q);
    p = q + 1;
  }
  // Offset at the end (e.g. "expected operand" after the last token): just past it.
  while (p < src.size() && p > 0 && is_space(src[p]) && src[p] != '\n') ++p;
  return file.position_of(p);
}

namespace {

/// What one event pass of yaml-cpp's parser saw: documents, nodes, and where it stuck.
struct document_shape {
  std::size_t documents = 0;
  std::size_t nodes = 0;
  std::optional<std::size_t> stuck_at;  ///< byte offset of a token the parser cannot pass
};

/// Counts one document's nodes and remembers where its first one is.
class event_counter final : public YAML::EventHandler {
 public:
  std::size_t nodes = 0;
  std::optional<std::size_t> lone_null_at;  ///< set when the document is a single null

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& m, YAML::anchor_t) override {
    if (nodes++ == 0) lone_null_at = static_cast<std::size_t>(std::max(0, m.pos));
  }
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override { node(); }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override { node(); }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    node();
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override { node(); }
  void OnMapEnd() override {}

 private:
  void node() {
    ++nodes;
    lone_null_at.reset();
  }
};

/// Runs the parser over every document without building nodes. A parser that yields a
/// null document at the same place twice is stuck (the LoadAll loop); as a second guard,
/// no text holds more documents than bytes. Stops early once the node limit is passed,
/// so the pass is bounded in time and memory by the text's size. Throws YAML::Exception
/// on a syntax error, as yaml-cpp does.
document_shape probe_documents(const std::string& src) {
  document_shape shape;
  std::istringstream in(src);
  YAML::Parser parser(in);
  std::optional<std::size_t> last_null;
  for (;;) {
    event_counter doc;
    if (!parser.HandleNextDocument(doc)) break;
    ++shape.documents;
    shape.nodes += doc.nodes;
    if (doc.lone_null_at && doc.nodes == 1 && last_null == doc.lone_null_at) {
      shape.stuck_at = doc.lone_null_at;
      break;
    }
    last_null = doc.nodes == 1 ? doc.lone_null_at : std::nullopt;
    if (shape.documents > src.size() + 1) {
      shape.stuck_at = src.size();
      break;
    }
    if (shape.nodes > max_rulebook_nodes) break;
  }
  return shape;
}

/// Per-load state: the file, the diagnostics and a budget against alias bombs.
class loader {
 public:
  loader(std::shared_ptr<const source_file> file, std::vector<diagnostic>& diags)
      : file_(std::move(file)), diags_(diags) {}

  rulebook_model run();

 private:
  std::shared_ptr<const source_file> file_;
  std::vector<diagnostic>& diags_;
  std::size_t budget_ = 0;
  bool budget_reported_ = false;

  /// yaml-cpp marks an empty value where the next token starts (often the next line), so an
  /// empty value is blamed on its key instead.
  source_pos pos(const YAML::Node& n) const {
    if (n.IsNull() && null_value_pos_.line) return null_value_pos_;
    return file_->position_of(n.Mark().pos);
  }
  source_pos null_value_pos_;
  // One diagnostic per cause: an alias makes the loader walk one node many times, and each
  // walk would otherwise repeat the node's errors.
  void error(source_pos p, std::string msg) { report(severity::error, p, std::move(msg)); }
  void warning(source_pos p, std::string msg) { report(severity::warning, p, std::move(msg)); }
  void report(severity s, source_pos p, std::string msg) {
    if (!reported_.emplace(p.line, p.column, msg).second) return;
    diags_.push_back({s, file_->name(), p, std::move(msg), file_});
  }
  std::set<std::tuple<std::uint32_t, std::uint32_t, std::string>> reported_;

  /// Every node visited costs one unit; aliases make a small file describe a huge tree,
  /// so the walk stops once it has seen far more nodes than the text could hold.
  bool spend(const YAML::Node& n) {
    if (++budget_ <= file_->text().size() + 1000) return true;
    if (!budget_reported_) {
      budget_reported_ = true;
      error(pos(n), "the document expands to far more nodes than its text holds (recursive or exponential aliases)");
    }
    return false;
  }

  static std::string type_name(const YAML::Node& n) {
    switch (n.Type()) {
      case YAML::NodeType::Null: return "nothing";
      case YAML::NodeType::Scalar: return fmt::format("\"{}\"", n.Scalar());
      case YAML::NodeType::Sequence: return "a list";
      case YAML::NodeType::Map: return "a mapping";
      default: return "nothing";
    }
  }

  bool expect_map(const YAML::Node& n, std::string_view what) {
    if (n.IsMap()) return true;
    error(pos(n), fmt::format("{} must be a mapping, got {}", what, type_name(n)));
    return false;
  }
  bool expect_seq(const YAML::Node& n, std::string_view what) {
    if (n.IsSequence()) return true;
    error(pos(n), fmt::format("{} must be a list, got {}", what, type_name(n)));
    return false;
  }
  std::optional<std::string> expect_scalar(const YAML::Node& n, std::string_view what) {
    if (n.IsScalar()) return n.Scalar();
    error(pos(n), fmt::format("{} must be a single value, got {}", what, type_name(n)));
    return std::nullopt;
  }

  scalar to_scalar(const YAML::Node& n) {
    scalar s;
    s.text = n.Scalar();
    s.mark = n.Mark().pos;
    s.pos = pos(n);
    s.present = true;
    return s;
  }

  /// Iterates a mapping's entries, reporting non-scalar keys, duplicate keys and keys not in
  /// `allowed` (with a did-you-mean); calls f(key, value) for the accepted ones.
  template <typename F>
  void for_each_entry(const YAML::Node& map, std::string_view where, const std::vector<std::string_view>* allowed,
                      F&& f) {
    std::set<std::string> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
      if (!spend(it->first)) return;
      if (!it->first.IsScalar()) {
        error(pos(it->first), fmt::format("a key in {} must be a single value", where));
        continue;
      }
      const std::string& key = it->first.Scalar();
      if (!seen.insert(key).second) {
        error(pos(it->first), fmt::format("duplicate key '{}' in {}", key, where));
        continue;
      }
      if (allowed && std::find(allowed->begin(), allowed->end(), key) == allowed->end()) {
        std::string hint = did_you_mean(key, *allowed);
        error(pos(it->first), hint.empty() ? fmt::format("unknown key '{}' in {}", key, where)
                                           : fmt::format("unknown key '{}' in {}; did you mean '{}'?", key, where, hint));
        continue;
      }
      null_value_pos_ = file_->position_of(it->first.Mark().pos);
      f(key, it->first, it->second);
    }
  }

  std::optional<decimal> number(const YAML::Node& n, std::string_view what, bool non_negative) {
    auto s = expect_scalar(n, what);
    if (!s) return std::nullopt;
    auto d = decimal::parse(*s);
    if (!d) {
      error(pos(n), fmt::format("{} must be a number with at most 6 decimal places, got \"{}\"", what, *s));
      return std::nullopt;
    }
    if (non_negative && *d < decimal()) {
      error(pos(n), fmt::format("{} must not be negative, got {}", what, *s));
      return std::nullopt;
    }
    return d;
  }

  std::string text(const YAML::Node& n, std::string_view what) {
    if (n.IsNull()) return {};
    auto s = expect_scalar(n, what);
    return s ? *s : std::string();
  }

  bool boolean(const YAML::Node& n, std::string_view what, bool fallback) {
    auto s = expect_scalar(n, what);
    if (!s) return fallback;
    if (*s == "true" || *s == "True" || *s == "TRUE" || *s == "yes") return true;
    if (*s == "false" || *s == "False" || *s == "FALSE" || *s == "no") return false;
    error(pos(n), fmt::format("{} must be true or false, got \"{}\"", what, *s));
    return fallback;
  }

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

  void load_scoring(const YAML::Node& n, scoring_decl& sc);
  void load_records(const YAML::Node& n, rulebook_model& m);
  void load_phrases(const YAML::Node& n, rulebook_model& m);
  void load_rules(const YAML::Node& n, rulebook_model& m);
  void load_rule(const YAML::Node& n, rule_decl& r);
  void load_amount(const YAML::Node& n, amount& a, std::string_view what);
  void load_tests(const YAML::Node& n, rulebook_model& m);
  test_map load_test_map(const YAML::Node& n, std::string_view what, int depth);

 public:
  /// Loads a test file (SPEC §7): `rulebook: PATH` and `tests:`; the path goes to `rulebook`.
  rulebook_model run_test_file(scalar& rulebook);

 private:
  /// The guards of run() and the YAML parse, for a test file; false after a diagnostic.
  /// The checks every YAML input gets before and while yaml-cpp parses it: size, UTF-8,
  /// emptiness, tabs, nesting, one document, a mapping at the top.
  bool parse_document(YAML::Node& root, std::string_view what, std::string_view empty_message);
};

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
      else error(pos(v), fmt::format("scoring.period must be one of day, week, month, quarter, year, all; got \"{}\"", *s));
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
        if (!has_min) error(band.pos, "a grade band needs 'min'");
        if (!has_grade) error(band.pos, "a grade band needs 'grade'");
        if (has_min && has_grade) sc.grades.push_back(std::move(band));
      }
    }
  });
  if (sc.floor && sc.ceiling && *sc.floor > *sc.ceiling)
    error(sc.pos, fmt::format("scoring.floor ({}) is above scoring.ceiling ({})", sc.floor->to_string(),
                              sc.ceiling->to_string()));
}

void loader::load_records(const YAML::Node& n, rulebook_model& m) {
  if (!expect_map(n, "records")) return;
  for_each_entry(n, "records", nullptr, [&](const std::string& kind, const YAML::Node& k, const YAML::Node& v) {
    record_kind_decl decl;
    decl.name = kind;
    decl.pos = pos(k);
    if (!valid_identifier(kind)) error(decl.pos, fmt::format("record kind '{}' must be a name of letters, digits and '_'", kind));
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
                       error(f.pos, fmt::format("field '{}' is a standard field of every record and cannot be declared", fname));
                       return;
                     }
                     if (!valid_identifier(fname) || fname == "phrases") {
                       error(f.pos, fmt::format("field name '{}' must be a name of letters, digits and '_' (and not 'phrases')", fname));
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
                         error(f.pos, fmt::format("field '{}' needs a 'type'", fname));
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
                         if (s->empty()) error(pos(e), "an enum value must not be empty");
                         else if (!seen.insert(*s).second) error(pos(e), fmt::format("duplicate enum value '{}'", *s));
                         else f.enum_values.push_back(*s);
                       }
                       if (f.enum_values.empty()) error(pos(type_node), fmt::format("enum field '{}' lists no values", fname));
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
                         error(pos(type_node),
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
    if (!valid_identifier(name)) error(set.pos, fmt::format("phrase set name '{}' must be a name of letters, digits and '_'", name));
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
      error(pos(v), "points takes a number or an expression, not a list (use deduct or bonus for progressive prices)");
      return;
    }
    for (const auto& e : v) {
      if (!spend(e)) return;
      if (auto d = number(e, fmt::format("each {} step", what), true)) {
        if (d->round(2) != *d)
          error(pos(e), fmt::format("{} step {} has more than 2 decimal places; points and fines count in hundredths", what, e.Scalar()));
        a.progressive.push_back(*d);
      }
    }
    if (v.size() == 0) error(pos(v), fmt::format("a progressive {} list must not be empty", what));
    return;
  }
  if (!expect_scalar(v, what)) return;
  a.expr = to_scalar(v);
  if (a.expr.text.empty()) {
    error(pos(v), fmt::format("{} needs a value", what));
    a.expr.present = false;
    return;
  }
  // A constant is checked here, where the rule author sees it; expressions are checked later.
  if (auto d = decimal::parse(a.expr.text)) {
    if (what != "points" && *d < decimal()) error(pos(v), fmt::format("{} must not be negative, got {}", what, a.expr.text));
    // Findings are rounded to 0.01; a constant finer than that would be silently changed.
    else if (d->round(2) != *d)
      error(pos(v), fmt::format("{} {} has more than 2 decimal places; points and fines count in hundredths", what, a.expr.text));
  }
}

void loader::load_rule(const YAML::Node& n, rule_decl& r) {
  static const std::vector<std::string_view> keys = {"id",    "title", "description", "category", "ref",
                                                     "severity", "on", "when",       "times",    "deduct",
                                                     "bonus", "points", "fine",      "cap",      "flag",
                                                     "roles", "enabled"};
  bool has_on = false;
  for_each_entry(n, r.id.empty() ? std::string("a rule") : fmt::format("rule '{}'", r.id), &keys,
                 [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
                   if (key == "id") {
                     r.id = text(v, "id");
                     r.id_pos = pos(v);
                     if (v.IsScalar() && !valid_name(r.id, true))  // else text() said what is wrong
                       error(pos(v), fmt::format("rule id '{}' must match [a-z0-9][a-z0-9._-]*", r.id));
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
                     else error(pos(v), fmt::format("severity must be minor, major or critical; got \"{}\"", s));
                   } else if (key == "on") {
                     if (expect_scalar(v, "on")) r.on = to_scalar(v), has_on = true;
                   } else if (key == "when" || key == "times") {
                     if (!expect_scalar(v, key)) return;
                     (key == "when" ? r.when : r.times) = to_scalar(v);
                     if ((key == "when" ? r.when : r.times).text.empty()) error(pos(v), fmt::format("{} needs a value", key));
                   } else if (key == "deduct" || key == "bonus" || key == "points") {
                     if (r.kind != amount_kind::none) {
                       error(pos(k), "a rule takes at most one of deduct, bonus and points");
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
                   }
                   (void)k;
                 });
  if (r.id.empty() && r.id_pos.line == 0) error(r.pos, "a rule needs an 'id'");
  if (!has_on)
    error(r.pos, r.id.empty() ? std::string("a rule needs 'on' (the record kind it applies to)")
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
  for (std::size_t i = 0; i < m.rules.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (!m.rules[i].id.empty() && m.rules[i].id == m.rules[j].id) {
        error(m.rules[i].id_pos, fmt::format("duplicate rule id '{}' (first defined at line {})", m.rules[i].id,
                                             m.rules[j].id_pos.line));
        break;
      }
}

test_map loader::load_test_map(const YAML::Node& n, std::string_view what, int depth) {
  test_map t;
  t.pos = pos(n);
  if (!expect_map(n, what)) return t;
  for_each_entry(n, what, nullptr, [&](const std::string& key, const YAML::Node&, const YAML::Node& v) {
    if (v.IsMap() && depth == 0) {
      t.maps.push_back({key, load_test_map(v, key, depth + 1)});
    } else if (v.IsSequence() && depth == 0) {
      std::vector<scalar> items;
      for (const auto& e : v)
        if (spend(e) && expect_scalar(e, "a list item")) items.push_back(to_scalar(e));
      t.lists.emplace_back(key, std::move(items));
    } else if (v.IsScalar() || v.IsNull()) {
      scalar s = v.IsNull() ? scalar{} : to_scalar(v);
      if (v.IsNull()) s.mark = v.Mark().pos, s.pos = pos(v), s.present = true;
      t.entries.emplace_back(key, std::move(s));
    } else {
      error(pos(v), fmt::format("'{}' in {} must be a single value", key, what));
    }
  });
  return t;
}

void loader::load_tests(const YAML::Node& n, rulebook_model& m) {
  if (n.IsNull()) return;
  if (!expect_seq(n, "tests")) return;
  static const std::vector<std::string_view> keys = {"name", "records", "expect"};
  for (const auto& item : n) {
    if (!spend(item) || !expect_map(item, "a test")) continue;
    test_decl t;
    t.pos = pos(item);
    for_each_entry(item, "a test", &keys, [&](const std::string& key, const YAML::Node&, const YAML::Node& v) {
      if (key == "name") t.name = text(v, "name");
      else if (expect_seq(v, key))
        for (const auto& e : v)
          if (spend(e)) (key == "records" ? t.records : t.expect).push_back(load_test_map(e, key == "records" ? "a test record" : "an expectation", 0));
    });
    if (t.name.empty()) t.name = fmt::format("test at line {}", t.pos.line);
    m.tests.push_back(std::move(t));
  }
}

/// YAML forbids tabs in indentation, and yaml-cpp's complaint about one is obscure;
/// a pre-scan names the exact spot instead.
std::optional<std::size_t> find_indent_tab(std::string_view text) {
  bool at_line_start = true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') {
      at_line_start = true;
    } else if (at_line_start && c == '\t') {
      // A tab before any content on the line; ignore lines that are blank or comments.
      std::size_t j = i;
      while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
      if (j < text.size() && text[j] != '\n' && text[j] != '\r' && text[j] != '#') return i;
    } else if (c != ' ') {
      at_line_start = false;
    }
  }
  return std::nullopt;
}

/// yaml-cpp parses flow collections recursively; very deep `[[[[…` would exhaust the stack
/// or hit its internal guard with an unhelpful message, so depth is checked up front.
std::optional<std::size_t> find_deep_flow(std::string_view text, int limit) {
  int depth = 0;
  char quote = 0;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') line_start = i + 1;
    if (quote) {
      if (c == '\\' && quote == '"') ++i;
      else if (c == quote) quote = 0;
      else if (c == '\n' && depth == 0) quote = 0;
      continue;
    }
    if (c == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t')) {
      while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
      continue;
    }
    if (depth > 0) {
      if (c == '"' || c == '\'') quote = c;
      else if (c == '[' || c == '{') {
        if (++depth > limit) return i;
      } else if (c == ']' || c == '}') {
        --depth;
      }
      continue;
    }
    // Outside flow collections a bracket opens one only where a value starts (after ": ",
    // "- " or at the start of a line); elsewhere it is text, e.g. inside a quoted title.
    std::size_t j = i;
    while (j > line_start && text[j - 1] == ' ') --j;
    bool value_start = j == line_start || (j >= line_start + 1 && (text[j - 1] == ':' || text[j - 1] == '-' ||
                                                                   text[j - 1] == '?'));
    if ((c == '[' || c == '{') && value_start) {
      depth = 1;
      if (depth > limit) return i;
    } else if ((c == '"' || c == '\'') && value_start) {
      quote = c;
    } else if (c == '-' && i + 1 < text.size() && text[i + 1] == ' ' && value_start) {
      // Compact block sequences ("- - - x") nest on one line.
      int run = 0;
      std::size_t k = i;
      while (k + 1 < text.size() && text[k] == '-' && text[k + 1] == ' ') {
        if (++run > limit) return k;
        k += 2;
        while (k < text.size() && text[k] == ' ') ++k;
      }
      i = k > i ? k - 1 : i;
    }
  }
  return std::nullopt;
}

rulebook_model loader::run() {
  rulebook_model m;
  m.source = file_;
  YAML::Node root;
  if (!parse_document(root, "rulebook", "empty rulebook (expected at least 'decorum', 'name', 'records' and 'rules')"))
    return m;
  static const std::vector<std::string_view> keys = {"decorum", "name", "title", "scoring", "records", "phrases", "rules", "tests"};
  bool has_version = false, has_name = false, has_rules = false, has_records = false;
  for_each_entry(root, "the rulebook", &keys, [&](const std::string& key, const YAML::Node&, const YAML::Node& v) {
    if (key == "decorum") {
      has_version = true;
      auto s = expect_scalar(v, "decorum");
      if (s && *s != "1") error(pos(v), fmt::format("unsupported rulebook format version {}; this decorum reads version 1", *s));
    } else if (key == "name") {
      has_name = true;
      m.name = text(v, "name");
      if (v.IsScalar() && !valid_name(m.name, true)) error(pos(v), fmt::format("rulebook name '{}' must match [a-z0-9][a-z0-9._-]*", m.name));
    } else if (key == "title") {
      m.title = text(v, "title");
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
  if (!has_version) error({1, 1}, "missing 'decorum: 1' (the rulebook format version)");
  if (!has_name) error({1, 1}, "missing 'name'");
  if (!has_records) error({1, 1}, "missing 'records' (the observation kinds logs may hold)");
  if (!has_rules) error({1, 1}, "missing 'rules'");
  return m;
}

bool loader::parse_document(YAML::Node& root, std::string_view what, std::string_view empty_message) {
  const std::string& src = file_->text();
  if (src.size() > max_rulebook_bytes) {
    diags_.push_back({severity::error, file_->name(), {},
                      fmt::format("{} is {} bytes; the limit is {} bytes (8 MiB)", what, src.size(), max_rulebook_bytes),
                      nullptr});
    return false;
  }
  if (auto bad = detail::find_invalid_utf8(src); bad != std::string_view::npos) {
    error(file_->position_of(bad), fmt::format("invalid UTF-8 (a {} must be UTF-8 encoded)", what));
    return false;
  }
  if (src.find_first_not_of(" \t\r\n\xEF\xBB\xBF") == std::string::npos) {
    diags_.push_back({severity::error, file_->name(), {}, std::string(empty_message), nullptr});
    return false;
  }
  if (auto tab = find_indent_tab(src)) {
    error(file_->position_of(*tab), "tab character in indentation; YAML allows only spaces there");
    return false;
  }
  if (auto deep = find_deep_flow(src, 100)) {
    error(file_->position_of(*deep), "YAML nested deeper than 100 levels");
    return false;
  }
  try {
    // Not YAML::LoadAll: yaml-cpp 0.7 (Debian 12) loops for ever, allocating, on a stray
    // flow token such as a lone ','. A first pass over the events counts documents and
    // nodes without building any, and notices a parser that stops moving.
    auto shape = probe_documents(src);
    if (shape.stuck_at) {
      std::size_t at = std::min(*shape.stuck_at, src.size());
      std::size_t end = at;
      if (end < src.size()) detail::decode_utf8(src, end);
      error(file_->position_of(at), fmt::format("malformed YAML: unexpected '{}'", std::string_view(src).substr(at, end - at)));
      return false;
    }
    if (shape.nodes > max_rulebook_nodes) {
      error({1, 1}, fmt::format("a {} holds at most {} YAML values; this file holds more", what, max_rulebook_nodes));
      return false;
    }
    if (shape.documents > 1) {
      error({1, 1}, fmt::format("a {} is one YAML document; this file holds {}", what, shape.documents));
      return false;
    }
    if (shape.documents == 1) root = YAML::Load(src);
    if (shape.documents == 0 || root.IsNull()) {
      diags_.push_back({severity::error, file_->name(), {}, std::string(empty_message), nullptr});
      return false;
    }
  } catch (const YAML::Exception& e) {
    std::string msg = e.msg;
    // yaml-cpp's depth guard (YAML::DeepRecursion, not in its public headers) says "bad file".
    if (std::string_view(typeid(e).name()).find("DeepRecursion") != std::string_view::npos)
      msg = "nested too deeply";
    else if (msg == "bad file" || msg.empty())
      msg = "syntax error";
    error(e.mark.is_null() ? source_pos{1, 1} : file_->position_of(static_cast<std::size_t>(std::max(0, e.mark.pos))),
          fmt::format("malformed YAML: {}", msg));
    return false;
  } catch (const std::exception& e) {
    error({1, 1}, fmt::format("malformed YAML: {}", e.what()));
    return false;
  }
  return expect_map(root, fmt::format("a {}", what));
}

rulebook_model loader::run_test_file(scalar& rulebook) {
  rulebook_model m;
  m.source = file_;
  rulebook = scalar{};
  YAML::Node root;
  if (!parse_document(root, "test file", "empty test file (expected 'rulebook' and 'tests')")) return m;
  static const std::vector<std::string_view> keys = {"rulebook", "tests"};
  bool has_tests = false, has_rulebook = false;
  for_each_entry(root, "the test file", &keys, [&](const std::string& key, const YAML::Node&, const YAML::Node& v) {
    if (key == "rulebook") {
      has_rulebook = true;
      if (!expect_scalar(v, "rulebook")) return;
      rulebook = to_scalar(v);
      if (rulebook.text.empty()) {
        error(pos(v), "rulebook needs a path (relative to the test file)");
        rulebook.present = false;
      }
    } else {
      has_tests = true;
      load_tests(v, m);
    }
  });
  if (!has_rulebook) error({1, 1}, "missing 'rulebook' (the path of the rulebook under test)");
  if (!has_tests) error({1, 1}, "missing 'tests'");
  return m;
}

}  // namespace

rulebook_model load_rulebook(std::string name, std::string text, std::vector<diagnostic>& diags) {
  auto file = std::make_shared<const source_file>(std::move(name), std::move(text));
  return loader(file, diags).run();
}

rulebook_model load_test_file(std::string name, std::string text, scalar& rulebook, std::vector<diagnostic>& diags) {
  auto file = std::make_shared<const source_file>(std::move(name), std::move(text));
  return loader(file, diags).run_test_file(rulebook);
}

rulebook_model load_rulebook_file(const std::string& path, std::vector<diagnostic>& diags) {
  std::error_code dir_ec;
  if (std::filesystem::is_directory(path, dir_ec)) {
    diags.push_back({severity::error, path, {}, "cannot read file (is it a directory?)", nullptr});
    return {};
  }
  std::ifstream in(path, std::ios::binary);
  std::error_code ec;
  if (!in) {
    diags.push_back({severity::error, path, {}, "cannot open file", nullptr});
    return {};
  }
  in.seekg(0, std::ios::end);
  auto size = in.tellg();
  if (size < 0) {
    diags.push_back({severity::error, path, {}, "cannot read file (is it a directory?)", nullptr});
    return {};
  }
  if (static_cast<std::size_t>(size) > max_rulebook_bytes) {
    diags.push_back({severity::error, path, {},
                     fmt::format("rulebook is {} bytes; the limit is {} bytes (8 MiB)", static_cast<long long>(size), max_rulebook_bytes),
                     nullptr});
    return {};
  }
  in.seekg(0);
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), size);
  if (!in) {
    diags.push_back({severity::error, path, {}, "cannot read file (is it a directory?)", nullptr});
    return {};
  }
  return load_rulebook(path, std::move(text), diags);
}

}  // namespace decorum::rulebook
