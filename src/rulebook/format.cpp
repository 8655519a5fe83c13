// src/rulebook/format.cpp — entry point: format_rulebook (decorum/rulebook/format.hpp).
// yaml-cpp forgets comments when it parses, so the layout is done on the author's lines:
// each block mapping or sequence is cut into entries (a key or list item with the comment
// lines above it), entries of the mappings the SPEC orders are sorted into its order, and
// each entry is re-indented as one piece. Anything this does not understand (a flow mapping,
// a block scalar, an anchor) is moved as it stands. Before the text goes back, both texts are
// parsed and their YAML trees compared: a layout that would change a value is refused.
#include "decorum/rulebook/format.hpp"

#include "decorum/rulebook/load.hpp"

#include <yaml-cpp/yaml.h>
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string_view>

namespace decorum {
namespace {

/// One line of the input: its indentation and the text after it ("" for a blank line).
struct src_line {
  int indent = 0;
  std::string body;
  bool blank() const { return body.empty(); }
  bool comment() const { return !body.empty() && body[0] == '#'; }
  bool content() const { return !blank() && !comment(); }
};
using lines = std::vector<src_line>;

/// Where a block sits in the file: it decides the key order and what its children are.
enum class at { root, test_root, scoring, grades, grade, records, kind, field, phrases, rules, rule, effective, tests, test, other };

at child_of(at c, std::string_view key) {
  switch (c) {
    case at::root:
      if (key == "scoring") return at::scoring;
      if (key == "records") return at::records;
      if (key == "phrases") return at::phrases;
      if (key == "rules") return at::rules;
      if (key == "tests") return at::tests;
      return at::other;
    case at::test_root: return key == "tests" ? at::tests : at::other;
    case at::scoring: return key == "grades" ? at::grades : at::other;
    case at::records: return at::kind;
    case at::kind: return at::field;
    case at::rule: return key == "effective" ? at::effective : at::other;
    default: return at::other;
  }
}

at item_of(at c) {
  if (c == at::grades) return at::grade;
  if (c == at::rules) return at::rule;
  if (c == at::tests) return at::test;
  return at::other;
}

/// The SPEC's key order of a mapping (§1, §7, §8, §9); null: keep the author's order.
const std::vector<std::string_view>* key_order(at c) {
  // Top level and scoring as SPEC §1 lists them.
  static const std::vector<std::string_view> root = {"decorum", "name",    "title", "version", "scoring",
                                                     "records", "phrases", "rules", "tests"};
  static const std::vector<std::string_view> test_root = {"rulebook", "tests"};
  static const std::vector<std::string_view> scoring = {"base", "period", "floor", "ceiling", "currency", "grades"};
  static const std::vector<std::string_view> grade = {"min", "grade"};
  static const std::vector<std::string_view> field = {"type", "required", "description"};
  // A rule reads as: what it is, when it is in force, which records it looks at (kind,
  // window, whose), what it finds there, and what a finding costs (docs/decisions.md,
  // "decorum fmt"). The shipped rulebooks are written in this order.
  static const std::vector<std::string_view> rule = {
      "id",     "title", "description", "category", "ref",  "severity", "effective", "enabled", "on",
      "per",    "where", "active",      "roles",    "when", "until",    "match",     "within",  "times",
      "deduct", "bonus", "points",      "fine",     "cap",  "flag"};
  static const std::vector<std::string_view> effective = {"from", "until"};
  static const std::vector<std::string_view> test = {"name", "records", "appeals", "expect"};
  switch (c) {
    case at::root: return &root;
    case at::test_root: return &test_root;
    case at::scoring: return &scoring;
    case at::grade: return &grade;
    case at::field: return &field;
    case at::rule: return &rule;
    case at::effective: return &effective;
    case at::test: return &test;
    default: return nullptr;
  }
}

/// A `key:` line: the key as written (quotes removed) and what follows the colon.
struct key_line {
  std::string key;
  std::string rest;  ///< after the colon and its spaces; may be a comment
  bool nested() const { return rest.empty() || rest[0] == '#'; }
  bool block_scalar() const { return !rest.empty() && (rest[0] == '|' || rest[0] == '>'); }
};

std::optional<key_line> parse_key(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::size_t i = 0;
  key_line k;
  if (s[0] == '"' || s[0] == '\'') {
    const char q = s[0];
    for (i = 1; i < s.size(); ++i) {
      if (q == '"' && s[i] == '\\') ++i;
      else if (s[i] == q && q == '\'' && i + 1 < s.size() && s[i + 1] == '\'') ++i;
      else if (s[i] == q) break;
    }
    if (i >= s.size()) return std::nullopt;
    k.key = std::string(s.substr(1, i - 1));
    ++i;
    while (i < s.size() && s[i] == ' ') ++i;
    if (i >= s.size() || s[i] != ':') return std::nullopt;
  } else {
    // Indicators that cannot start a plain key (a sequence entry, a flow collection, an
    // anchor, a tag, a complex key): such a line is moved as it stands.
    if (std::string_view("-?:,[]{}#&*!|>%@`").find(s[0]) != std::string_view::npos) return std::nullopt;
    for (i = 0; i < s.size(); ++i) {
      if (s[i] == ':' && (i + 1 == s.size() || s[i + 1] == ' ')) break;
      if (s[i] == '#' && s[i - 1] == ' ') return std::nullopt;
    }
    if (i == s.size()) return std::nullopt;
    k.key = std::string(s.substr(0, i));
    while (!k.key.empty() && k.key.back() == ' ') k.key.pop_back();
  }
  std::size_t r = i + 1;
  while (r < s.size() && s[r] == ' ') ++r;
  k.rest = std::string(s.substr(r));
  return k;
}

/// A `- ` list item line: what follows the dash, and its column.
bool is_item(const src_line& l) { return l.content() && l.body[0] == '-' && (l.body.size() == 1 || l.body[1] == ' '); }

/// One entry of a block: the comment and blank lines above it, its first line, the rest.
struct entry {
  lines head;
  src_line first;
  lines body;
};

/// A phrase list item that reads the same inside `[…]`: a one-line quoted scalar, or a plain
/// one without the characters that mean something there.
bool flow_safe(std::string_view s) {
  if (s.empty()) return false;
  if (s[0] == '"' || s[0] == '\'') return s.size() >= 2 && s.back() == s[0] && s.find(" #") == std::string_view::npos;
  if (std::string_view("-?:&*!|>%@`").find(s[0]) != std::string_view::npos) return false;
  return s.find_first_of(",[]{}#:\"'") == std::string_view::npos && s.back() != ' ';
}

constexpr int max_flow_width = 100;

/// The laid-out text, one line at a time; `verbatim` lines (inside a value moved as it
/// stands) keep their blank lines.
class layout {
 public:
  struct out_line {
    std::string text;
    bool verbatim = false;
  };
  std::vector<out_line> out;

  void put(int indent, std::string_view body, bool verbatim = false) {
    out.push_back({body.empty() ? std::string() : std::string(static_cast<std::size_t>(std::max(indent, 0)), ' ') +
                                                      std::string(body),
                   verbatim});
  }

  /// Moves `ls` as they stand, `delta` columns right (left when negative).
  void opaque(const lines& ls, int delta) {
    for (const auto& l : ls) put(l.indent + delta, l.body, true);
  }

  /// Comment lines at the entry's indentation; blank lines as they are.
  void head(const lines& ls, int t) {
    for (const auto& l : ls) put(t, l.body);
  }

  /// Any nested block, laid out at indentation `t`: a mapping or sequence when it is one
  /// this understands, else moved as it stands.
  void block(const lines& ls, int t, at c) {
    auto first = std::find_if(ls.begin(), ls.end(), [](const src_line& l) { return l.content(); });
    if (first == ls.end()) {
      head(ls, t);
      return;
    }
    layout sub;
    const bool ok = is_item(*first) ? sub.sequence(ls, first->indent, t, c)
                    : parse_key(first->body) ? sub.mapping(ls, first->indent, t, c, false)
                                             : false;
    if (ok) out.insert(out.end(), sub.out.begin(), sub.out.end());
    else opaque(ls, t - first->indent);
  }

  /// Cuts `ls` (a block whose entries start at indentation `n`) into entries; false when a
  /// line sits left of `n`, or one at `n` does not start an entry (`items`: a list item, else
  /// a key). Comment and blank lines at the end of an entry go to the next one's head, except
  /// inside a block scalar, whose deeper lines are its text.
  /// A block scalar's comment-like lines deeper than its key, and the blank lines before
  /// them, are its text: they stay in the entry.
  static void absorb(entry& e, lines& pending, int n) {
    auto k = parse_key(e.first.body);
    if (!k || !k->block_scalar()) return;
    std::size_t keep = 0;
    for (std::size_t i = 0; i < pending.size(); ++i)
      if (!pending[i].blank() && pending[i].indent > n) keep = i + 1;
    e.body.insert(e.body.end(), pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(keep));
    pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(keep));
  }

  static bool cut(const lines& ls, int n, bool items, std::vector<entry>& es, lines& tail) {
    lines pending;
    for (const auto& l : ls) {
      if (!l.content()) {
        pending.push_back(l);
        continue;
      }
      if (l.indent < n) return false;
      // YAML lets a block sequence stand in its key's column (`tests:` then `- name: …`).
      if (l.indent == n && !items && is_item(l) && !es.empty() && parse_key(es.back().first.body)->nested()) {
        es.back().body.insert(es.back().body.end(), pending.begin(), pending.end());
        pending.clear();
        es.back().body.push_back(l);
        continue;
      }
      if (l.indent == n) {
        if (items ? !is_item(l) : !parse_key(l.body)) return false;
        if (!es.empty() && !items) absorb(es.back(), pending, n);
        es.push_back({std::move(pending), l, {}});
        pending.clear();
        continue;
      }
      if (es.empty()) return false;
      es.back().body.insert(es.back().body.end(), pending.begin(), pending.end());
      pending.clear();
      es.back().body.push_back(l);
    }
    if (es.empty()) return false;
    if (!items) absorb(es.back(), pending, n);
    tail = std::move(pending);
    return true;
  }

  bool mapping(const lines& ls, int n, int t, at c, bool root) {
    std::vector<entry> es;
    lines tail;
    if (!cut(ls, n, false, es, tail)) return false;
    // Comments before the first key, up to the last blank line there, are the file's
    // header: they stay first. Comment lines right above the key are its own and go with it.
    if (root) {
      lines& h = es.front().head;
      auto last_blank = std::find_if(h.rbegin(), h.rend(), [](const src_line& x) { return x.blank(); });
      auto header_end = last_blank.base();  // just past the last blank line; begin() when none
      // Blank lines alone are no header: they separate the key from what will come before it.
      if (std::none_of(h.begin(), header_end, [](const src_line& x) { return x.comment(); })) header_end = h.begin();
      head(lines(h.begin(), header_end), t);
      h.erase(h.begin(), header_end);
    }
    if (const auto* order = key_order(c)) {
      auto rank = [&](const entry& e) {
        const auto k = parse_key(e.first.body);
        return std::find(order->begin(), order->end(), k->key) - order->begin();
      };
      std::stable_sort(es.begin(), es.end(), [&](const entry& a, const entry& b) { return rank(a) < rank(b); });
    }
    for (const auto& e : es) {
      head(e.head, t);
      const key_line k = *parse_key(e.first.body);
      if (c == at::phrases && k.rest.empty() && flow_list(e, t)) continue;
      put(t, e.first.body);
      if (k.nested()) block(e.body, t + 2, child_of(c, k.key));
      else opaque(e.body, t - n);
    }
    head(tail, t);
    return true;
  }

  /// A phrase set written as a block list of simple items, as one `key: [a, b]` line when it
  /// fits; false (nothing written) otherwise.
  bool flow_list(const entry& e, int t) {
    std::string items;
    for (const auto& l : e.body) {
      if (!is_item(l) || l.body.size() < 3) return false;
      const std::string_view v = std::string_view(l.body).substr(2);
      if (v.find_first_not_of(' ') != 0 || !flow_safe(v)) return false;
      if (!items.empty()) items += ", ";
      items += v;
    }
    if (items.empty()) return false;
    const std::string text = fmt::format("{}: [{}]", std::string_view(e.first.body).substr(0, e.first.body.find(':')), items);
    if (t + detail::display_width(text) > max_flow_width) return false;
    put(t, text);
    return true;
  }

  bool sequence(const lines& ls, int n, int t, at c) {
    std::vector<entry> es;
    lines tail;
    if (!cut(ls, n, true, es, tail)) return false;
    for (const auto& e : es) {
      head(e.head, t);
      const std::string_view b = e.first.body;
      const std::size_t skip = b.size() == 1 ? 1 : b.find_first_not_of(' ', 1);
      const std::string_view rest = skip == std::string_view::npos ? std::string_view() : b.substr(skip);
      if (rest.empty() || rest[0] == '#') {
        put(t, b.size() == 1 || rest.empty() ? std::string("-") : fmt::format("- {}", rest));
        block(e.body, t + 2, item_of(c));
        continue;
      }
      if (rest.rfind("- ", 0) != 0 && parse_key(rest)) {
        // `- key: value` opens a mapping whose keys stand in the column of `key`.
        lines m{{n + static_cast<int>(skip), std::string(rest)}};
        m.insert(m.end(), e.body.begin(), e.body.end());
        layout sub;
        if (sub.mapping(m, n + static_cast<int>(skip), t + 2, item_of(c), false)) {
          bool dashed = false;
          for (auto& o : sub.out) {
            if (dashed) {
              out.push_back(std::move(o));
            } else if (o.text.empty()) {
              continue;  // a blank line between a dash and its first key would split the item
            } else if (o.text[static_cast<std::size_t>(t + 2)] == '#') {
              put(t, std::string_view(o.text).substr(static_cast<std::size_t>(t + 2)));
            } else {
              put(t, "- " + o.text.substr(static_cast<std::size_t>(t + 2)));
              dashed = true;
            }
          }
          continue;
        }
      }
      put(t, fmt::format("- {}", rest));
      opaque(e.body, t - n);
    }
    head(tail, t);
    return true;
  }
};

lines split_lines(std::string_view text) {
  lines ls;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t nl = text.find('\n', at);
    std::string_view l = text.substr(at, nl == std::string_view::npos ? std::string_view::npos : nl - at);
    at = nl == std::string_view::npos ? text.size() : nl + 1;
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    const std::size_t i = l.find_first_not_of(' ');
    if (i == std::string_view::npos) ls.push_back({0, {}});
    else ls.push_back({static_cast<int>(i), std::string(l.substr(i))});
  }
  return ls;
}

std::string join(const std::vector<layout::out_line>& out) {
  std::string s;
  bool last_blank = true;  // no blank lines at the top
  std::size_t blank_run = 0;
  for (const auto& o : out) {
    if (o.text.empty() && !o.verbatim && last_blank) continue;
    s += o.text;
    s += '\n';
    last_blank = o.text.empty();
    blank_run = last_blank ? blank_run + 1 : 0;
  }
  // No blank lines at the end either.
  while (blank_run-- > 0 && s.size() >= 2 && s[s.size() - 2] == '\n') s.pop_back();
  return s;
}

/// True when two YAML trees hold the same values: mapping keys in any order, style ignored.
/// `budget` bounds the walk (an alias makes one node many).
bool same_tree(const YAML::Node& a, const YAML::Node& b, std::size_t& budget) {
  if (budget == 0) return false;
  --budget;
  if (a.Type() != b.Type() || a.Tag() != b.Tag()) return false;
  switch (a.Type()) {
    case YAML::NodeType::Scalar: return a.Scalar() == b.Scalar();
    case YAML::NodeType::Sequence: {
      if (a.size() != b.size()) return false;
      for (std::size_t i = 0; i < a.size(); ++i)
        if (!same_tree(a[i], b[i], budget)) return false;
      return true;
    }
    case YAML::NodeType::Map: {
      if (a.size() != b.size()) return false;
      for (auto i = a.begin(); i != a.end(); ++i) {
        bool found = false;
        for (auto j = b.begin(); j != b.end() && !found; ++j)
          found = same_tree(i->first, j->first, budget) && same_tree(i->second, j->second, budget);
        if (!found) return false;
      }
      return true;
    }
    default: return true;
  }
}

bool is_test_file(const lines& ls) {
  return std::any_of(ls.begin(), ls.end(), [](const src_line& l) {
    return l.indent == 0 && (l.body.rfind("rulebook:", 0) == 0 || l.body.rfind("\"rulebook\":", 0) == 0);
  });
}

/// The loader's errors for `text` (a rulebook or, when `test_file`, a test file).
std::vector<diagnostic> load_errors(const std::string& name, const std::string& text, bool test_file) {
  std::vector<diagnostic> diags, errors;
  if (test_file) {
    rulebook::scalar path;
    (void)rulebook::load_test_file(name, text, path, diags);
  } else {
    (void)rulebook::load_rulebook(name, text, diags);
  }
  for (auto& d : diags)
    if (d.severity == severity::error) errors.push_back(std::move(d));
  return errors;
}

}  // namespace

result<std::string, std::vector<diagnostic>> format_rulebook(const std::string& name, const std::string& text) {
  static constexpr std::string_view bom = "\xEF\xBB\xBF";
  const bool has_bom = std::string_view(text).substr(0, 3) == bom;
  const lines ls = split_lines(std::string_view(text).substr(has_bom ? 3 : 0));
  const bool test_file = is_test_file(ls);
  // Only a file the loader reads is laid out: its guards keep yaml-cpp away from inputs it
  // mishandles, and an error is better fixed where the author put it.
  if (auto errors = load_errors(name, text, test_file); !errors.empty()) return errors;

  layout l;
  auto first = std::find_if(ls.begin(), ls.end(), [](const src_line& x) { return x.content(); });
  if (first == ls.end() || first->indent != 0 || !l.mapping(ls, 0, 0, test_file ? at::test_root : at::root, true)) {
    l.out.clear();
    l.opaque(ls, 0);
  }
  std::string formatted = (has_bom ? std::string(bom) : std::string()) + join(l.out);

  auto refuse = [&](std::string why) {
    return std::vector<diagnostic>{diagnostic{severity::error, name, {}, std::move(why), nullptr}};
  };
  if (!load_errors(name, formatted, test_file).empty())
    return refuse("cannot lay this file out without changing it (the new layout does not load); left as it is");
  std::size_t budget = 64 * text.size() + 4096;
  try {
    if (!same_tree(YAML::Load(text), YAML::Load(formatted), budget))
      return refuse("cannot lay this file out without changing a value; left as it is");
  } catch (const YAML::Exception& e) {
    return refuse(fmt::format("cannot lay this file out: {}; left as it is", e.what()));
  }
  return formatted;
}

}  // namespace decorum
