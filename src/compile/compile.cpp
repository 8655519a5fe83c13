// src/compile/compile.cpp — entry point: rule_set::compile. Folds constant subexpressions, drops
// dead nodes, builds one phrase automaton per set and the per-kind rule index, and warns
// about rules that can never fire. The result is immutable and thread-safe to share.
#include "decorum/compile/compile.hpp"

#include "decorum/base/sha256.hpp"
#include "decorum/compile/interpret.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

namespace decorum {

std::string compiled_rule::describe_points() const {
  std::string sign = amount == rulebook::amount_kind::deduct ? "-" : amount == rulebook::amount_kind::bonus ? "+" : "";
  if (amount == rulebook::amount_kind::none) return "0";
  if (!progressive.empty()) {
    std::vector<std::string> steps;
    for (auto d : progressive) steps.push_back(d.to_string());
    return fmt::format("{}[{}]", sign, fmt::join(steps, ", "));
  }
  if (value_constant) return sign + value_constant->to_string();
  return sign.empty() ? value.source : fmt::format("{}({})", sign, value.source);
}

std::span<const std::uint32_t> rule_set::rules_for_kind(std::int32_t kind) const noexcept {
  if (kind < 0 || static_cast<std::size_t>(kind) >= by_kind_.size()) return {};
  return by_kind_[static_cast<std::size_t>(kind)];
}

namespace {

bool foldable(opcode op) {
  switch (op) {
    case opcode::constant:
    case opcode::field:
    case opcode::has:
    case opcode::phrase_contains:
    case opcode::phrase_starts:
    case opcode::phrase_ends:
    case opcode::phrase_count:
    case opcode::phrase_in:
    case opcode::phrase_not_in: return false;
    default: return true;
  }
}

/// Links each node to what may be skipped after it, so `a and b` never evaluates b when a is
/// false (and never scans a text for phrases it does not need). In post-order a subtree is
/// the contiguous range [start, root], which makes every skip a forward jump.
void link_jumps(program& p) {
  std::vector<std::uint32_t> start(p.nodes.size());
  for (std::uint32_t i = 0; i < p.nodes.size(); ++i) {
    program_node& n = p.nodes[i];
    start[i] = n.argc ? start[p.children[n.args]] : i;
    using j = program_node::jump;
    if ((n.op == opcode::and_ || n.op == opcode::or_) && n.argc == 2) {
      program_node& left = p.nodes[p.children[n.args]];
      left.jump_kind = n.op == opcode::and_ ? j::and_left : j::or_left;
      left.jump_target = i;
    } else if (n.op == opcode::if_ && n.argc == 3) {
      program_node& cond = p.nodes[p.children[n.args]];
      program_node& then_root = p.nodes[p.children[n.args + 1]];
      cond.jump_kind = j::if_cond;
      cond.jump_target = start[p.children[n.args + 2]];
      then_root.jump_kind = j::to_parent;
      then_root.jump_target = i;
    }
  }
}

/// Replaces every operation whose operands are all constant by its value, then keeps only
/// the nodes the root still reaches, so the hot loop never recomputes `2 * 5`.
program fold(const program& in, interpreter& ev, const record& empty) {
  if (in.nodes.empty()) return in;
  program out;
  out.strings = in.strings;
  out.source = in.source;
  std::vector<std::uint32_t> map(in.nodes.size());
  for (std::size_t i = 0; i < in.nodes.size(); ++i) {
    program_node n = in.nodes[i];
    std::vector<std::uint32_t> kids;
    bool all_const = n.argc > 0;
    for (std::uint32_t k = 0; k < n.argc; ++k) {
      std::uint32_t c = map[in.children[n.args + k]];
      kids.push_back(c);
      if (out.nodes[c].op != opcode::constant) all_const = false;
    }
    // Three-valued short cuts: `x and false` is false and `x or true` is true even when x is
    // null, so such a condition is constant whatever the record holds.
    if ((n.op == opcode::and_ || n.op == opcode::or_) && !all_const) {
      for (auto c : kids) {
        const program_node& k = out.nodes[c];
        if (k.op == opcode::constant && k.constant.present() && k.constant.boolean == (n.op == opcode::or_)) {
          program_node cn;
          cn.op = opcode::constant;
          cn.type = value_type::boolean;
          cn.constant = value::of_bool(n.op == opcode::or_);
          cn.offset = n.offset;
          out.nodes.push_back(cn);
          map[i] = static_cast<std::uint32_t>(out.nodes.size() - 1);
          goto next;
        }
      }
    }
    if (foldable(n.op) && all_const) {
      program tiny;
      for (auto c : kids) tiny.nodes.push_back(out.nodes[c]);
      program_node t = n;
      t.args = 0;
      for (std::uint32_t k = 0; k < kids.size(); ++k) tiny.children.push_back(k);
      tiny.nodes.push_back(t);
      value v = ev.run(tiny, empty);
      program_node c;
      c.op = opcode::constant;
      c.type = v.present() ? n.type : value_type::null_;
      c.constant = v;
      if (v.present()) c.constant.type = n.type == value_type::null_ ? v.type : v.type;
      c.offset = n.offset;
      out.nodes.push_back(c);
    } else {
      n.args = static_cast<std::uint32_t>(out.children.size());
      for (auto c : kids) out.children.push_back(c);
      out.nodes.push_back(n);
    }
    map[i] = static_cast<std::uint32_t>(out.nodes.size() - 1);
  next:;
  }
  // Compact: keep nodes reachable from the root, preserving post-order.
  std::vector<bool> live(out.nodes.size(), false);
  live.back() = true;
  for (std::size_t i = out.nodes.size(); i-- > 0;)
    if (live[i])
      for (std::uint32_t k = 0; k < out.nodes[i].argc; ++k) live[out.children[out.nodes[i].args + k]] = true;
  program res;
  res.strings = out.strings;
  res.source = out.source;
  std::vector<std::uint32_t> remap(out.nodes.size());
  for (std::size_t i = 0; i < out.nodes.size(); ++i) {
    if (!live[i]) continue;
    program_node n = out.nodes[i];
    std::uint32_t args = static_cast<std::uint32_t>(res.children.size());
    for (std::uint32_t k = 0; k < n.argc; ++k) res.children.push_back(remap[out.children[n.args + k]]);
    n.args = args;
    res.nodes.push_back(n);
    remap[i] = static_cast<std::uint32_t>(res.nodes.size() - 1);
  }
  link_jumps(res);
  return res;
}

/// Finds an enum test that `when` cannot hold without: the root, or the leftmost operand of
/// a chain of `and`s (`situation == "greet" and …`). Rule sets often have several rules per
/// kind that each start by picking one value of the same enum; the scorer then skips all but
/// the matching ones with one integer test each.
void set_guard(compiled_rule& r, const kind_schema& kind) {
  const detail::lowered& w = r.when_code;
  if (w.empty()) return;
  std::uint32_t at = w.root;
  while (w.nodes[at].op == detail::lop::b_and) at = w.nodes[at].a;
  const detail::lnode& g = w.nodes[at];
  if (g.op != detail::lop::b_enum_is && g.op != detail::lop::b_enum_in) return;
  const std::size_t values = kind.fields[g.slot].enum_values.size();
  if (values >= 64) return;
  const std::uint64_t all = (std::uint64_t{1} << values) - 1;
  std::uint64_t bits = 0;
  if (g.op == detail::lop::b_enum_is) {
    bits = std::uint64_t{1} << (g.k - 1);
    if (g.cmp == detail::lcmp::ne) bits = all & ~bits;
  } else {
    bits = static_cast<std::uint64_t>(g.k);
    if (g.negate) bits = all & ~bits;
  }
  r.guard_slot = g.slot;
  r.guard_bits = bits;
}

bool is_constant(const program& p) { return !p.nodes.empty() && p.nodes.back().op == opcode::constant; }

}  // namespace

namespace {

/// The parts of a window or deadline rule (SPEC §8) a compiled rule carries: the checked
/// programs as they are (they read record fields, so nothing folds) and lowered.
void compile_across(const rulebook::rule_decl& d, const checked_rule& cr, const kind_schema& ks, compiled_rule& r) {
  if (d.is_window()) {
    r.window = true;
    r.per = d.per_kind;
    r.where = cr.where;
    r.where_code = detail::lower(r.where, ks);
    for (const auto& a : cr.aggregates) {
      compiled_rule::aggregate x;
      x.fn = a.fn;
      x.type = a.type;
      x.text = a.text;
      x.arg = a.arg;
      x.arg_code = detail::lower(x.arg, ks);
      r.aggregates.push_back(std::move(x));
    }
    r.active = cr.active;
  }
  if (d.is_deadline()) {
    r.deadline = true;
    r.until_kind = cr.until_kind;
    r.match_slot = cr.match_slot;
    r.until_match_slot = cr.until_match_slot;
    r.within = cr.within;
    r.within_code = detail::lower(r.within, ks);
  }
}

}  // namespace

std::shared_ptr<const rule_set> rule_set::compile(std::unique_ptr<checked_rulebook> checked,
                                                  std::vector<diagnostic>& diags) {
  if (!checked || has_errors(diags)) return nullptr;
  auto rs = std::shared_ptr<rule_set>(new rule_set());
  rs->model_ = std::move(checked->model);
  rs->schema_ = std::move(checked->schema);
  rs->phrase_names_ = std::move(checked->phrase_set_names);
  for (std::size_t i = 0; i < checked->phrase_sets.size(); ++i) {
    auto set = detail::phrase_set::make(std::move(checked->phrase_sets[i]));
    if (!set) {
      diagnostic d = std::move(set).error();
      if (rs->model_.source) d.file = rs->model_.source->name();
      d.message = fmt::format("phrases.{}: {}", rs->phrase_names_[i], d.message);
      d.code = diag_code::phrase_set_limit;
      diags.push_back(std::move(d));
      return nullptr;
    }
    rs->phrase_sets_.push_back(std::move(*set));
  }
  std::size_t biggest = 1;
  for (const auto& cr : checked->rules)
    for (const program* p : {&cr.when, &cr.times, &cr.value, &cr.fine}) biggest = std::max(biggest, p->nodes.size());
  rs->max_program_ = biggest;
  interpreter ev(*rs);
  record empty;
  empty.reset(rs->schema_.max_slots());

  const auto& file = rs->model_.source;
  auto warn = [&](diag_code code, source_pos p, std::string msg) {
    diags.push_back({severity::warning, file->name(), p, std::move(msg), file, code});
  };
  bool failed = false;
  rs->by_kind_.resize(rs->schema_.kinds().size());
  for (std::size_t i = 0; i < checked->rules.size(); ++i) {
    const checked_rule& cr = checked->rules[i];
    // The model moved into the rule set; find the declaration there by position.
    const rulebook::rule_decl& d = rs->model_.rules[i];
    compiled_rule r;
    std::tie(r.id, r.title, r.description, r.category, r.ref, r.flag, r.roles) =
        std::tie(d.id, d.title, d.description, d.category, d.ref, d.flag, d.roles);
    std::sort(r.roles.begin(), r.roles.end());
    r.severity = d.severity;
    r.kind = cr.kind;
    r.amount = d.kind;
    // Constant arithmetic that overflows would fold to null and silently disable the rule.
    bool rule_failed = false;
    auto fold_checked = [&](const program& p, const rulebook::scalar& where, std::string_view what) {
      ev.clear_overflow();
      program out = fold(p, ev, empty);
      if (const overflow_note& o = ev.last_overflow(); o.hit) {
        diags.push_back({severity::error, file->name(), rulebook::locate_in_scalar(*file, where, 0),
                         overflow_message(d.id, what, overflow_expression(o)), file, diag_code::constant_overflow});
        failed = rule_failed = true;
      }
      return out;
    };
    r.when = fold_checked(cr.when, d.when, "when");
    r.times = fold_checked(cr.times, d.times, "times");
    r.value = fold_checked(cr.value, d.value.expr, to_string(d.kind));
    r.fine = fold_checked(cr.fine, d.fine.expr, "fine");
    r.progressive = d.value.progressive;
    r.fine_progressive = d.fine.progressive;
    r.cap = d.cap;
    r.enabled = d.enabled;
    r.index = static_cast<std::uint32_t>(i);
    r.pos = d.pos;
    r.effective = d.effective;
    // Constant amounts skip the interpreter entirely.
    auto constant_of = [](program& p) -> std::optional<decimal> {
      if (!is_constant(p) || !p.nodes.back().constant.present()) return std::nullopt;
      decimal v = p.nodes.back().constant.as_decimal();
      p = program{};
      return v;
    };
    r.value_constant = constant_of(r.value);
    r.fine_constant = constant_of(r.fine);
    if (!rule_failed && is_constant(r.when)) {
      const value& w = r.when.nodes.back().constant;
      if (!w.present() || !w.boolean) {
        warn(diag_code::never_fires, rulebook::locate_in_scalar(*file, d.when, 0), fmt::format("rule '{}' can never fire: its condition is always {}", d.id, w.present() ? "false" : "null"));
      } else {
        r.when = program{};  // always true
      }
    }
    if (!rule_failed && is_constant(r.times)) {
      const value& t = r.times.nodes.back().constant;
      if (!t.present() || t.as_decimal().trunc() < 1)
        warn(diag_code::never_fires, rulebook::locate_in_scalar(*file, d.times, 0), fmt::format("rule '{}' can never fire: 'times' is always {}", d.id,
                                      t.present() ? t.as_decimal().to_string() : "null"));
    }
    if (r.kind >= 0) {
      const kind_schema& ks = rs->schema_.kinds()[static_cast<std::size_t>(r.kind)];
      // A window rule's own programs read aggregates, not the fields of any kind.
      static const kind_schema window_record;
      const kind_schema& own = d.is_window() ? window_record : ks;
      r.when_code = detail::lower(r.when, own);
      r.times_code = detail::lower(r.times, own);
      r.value_code = detail::lower(r.value, own);
      r.fine_code = detail::lower(r.fine, own);
      if (!d.is_window()) set_guard(r, ks);
      compile_across(d, cr, ks, r);
    }
    if (r.kind >= 0 && r.enabled && r.window) rs->window_rules_.push_back(r.index);
    else if (r.kind >= 0 && r.enabled) rs->by_kind_[static_cast<std::size_t>(r.kind)].push_back(r.index);
    if (r.kind >= 0 && r.enabled && r.deadline) rs->deadline_rules_.push_back(r.index);
    rs->rules_.push_back(std::move(r));
  }
  if (failed) return nullptr;
  rs->sha256_ = detail::sha256_hex(file->text());
  // Versions (SPEC §9): the loader made sure versions of an id do not overlap.
  rs->versions_.resize(rs->rules_.size());
  {
    std::map<std::string, std::uint32_t> first;
    for (auto& r : rs->rules_) {
      auto [it, inserted] = first.try_emplace(r.id, r.index);
      r.identity = it->second;
      auto& list = rs->versions_[r.identity];
      r.key = inserted ? r.id : fmt::format("{}@{}", r.id, list.size() + 1);
      list.push_back(r.index);
    }
    rs->distinct_ = first.size();
    for (auto& list : rs->versions_) {
      std::stable_sort(list.begin(), list.end(), [&](std::uint32_t a, std::uint32_t b) {
        const auto &x = rs->rules_[a].effective.from, &y = rs->rules_[b].effective.from;
        return x.value_or(INT64_MIN) < y.value_or(INT64_MIN);
      });
      for (std::uint32_t k = 0; k < list.size(); ++k) rs->rules_[list[k]].rank = k;
    }
  }
  // Roles as small integers: a record's role is found once, not once per rule.
  rs->kind_roles_.assign(rs->schema_.kinds().size(), false);
  for (auto& r : rs->rules_) {
    for (const auto& role : r.roles)
      if (rs->role_id(role) < 0) rs->role_names_.push_back(role);
    if (!r.roles.empty() && r.kind >= 0 && r.enabled) rs->kind_roles_[static_cast<std::size_t>(r.kind)] = true;
  }
  for (auto& r : rs->rules_) {
    if (r.roles.empty()) continue;
    r.role_bits.assign((rs->role_names_.size() + 63) / 64, 0);
    for (const auto& role : r.roles) {
      const auto id = static_cast<std::uint32_t>(rs->role_id(role));
      r.role_bits[id / 64] |= std::uint64_t{1} << (id % 64);
    }
  }
  rs->plans_.resize(rs->by_kind_.size());
  for (std::size_t k = 0; k < rs->by_kind_.size(); ++k)
    for (std::uint32_t ri : rs->by_kind_[k]) {
      const compiled_rule& r = rs->rules_[ri];
      rule_plan plan;
      plan.rule = ri;
      plan.guard_slot = r.guard_slot;
      plan.guard_bits = r.guard_bits;
      plan.role_bits = r.role_bits.empty() ? nullptr : r.role_bits.data();
      plan.when = r.when_code.empty() ? nullptr : &r.when_code;
      plan.from_day = r.effective.from.value_or(INT64_MIN);
      plan.until_day = r.effective.until.value_or(INT64_MAX);
      rs->plans_[k].push_back(plan);
    }
  // One pass per field: the phrase sets the enabled rules of a kind ask about one field
  // share a combined matcher, so a record's text is walked once however many sets apply.
  std::map<std::pair<std::int32_t, std::uint32_t>, std::set<std::int32_t>> asked;
  for (const auto& r : rs->rules_) {
    if (!r.enabled || r.kind < 0) continue;
    for (const program* p : {&r.when, &r.times, &r.value, &r.fine})
      for (const auto& n : p->nodes)
        if (n.op >= opcode::phrase_contains && n.op <= opcode::phrase_not_in) {
          const program_node& child = p->nodes[p->children[n.args]];
          if (child.op == opcode::field) asked[{r.kind, child.slot}].insert(n.phrase);
        }
  }
  rs->combined_at_.assign(rs->schema_.kinds().size(), std::vector<std::int32_t>(rs->schema_.max_slots(), -1));
  for (const auto& [where, sets] : asked) {
    if (sets.size() < 2 || sets.size() > 64) continue;
    std::vector<std::vector<std::string>> lists;
    std::vector<std::int32_t> ids(sets.begin(), sets.end());
    for (auto id : ids) lists.push_back(rs->phrase_sets_[static_cast<std::size_t>(id)].phrases());
    auto combined = detail::phrase_set::combined(lists);
    // Combining is only a speed-up: a union too large for one automaton keeps its sets apart.
    if (!combined) continue;
    rs->combined_at_[static_cast<std::size_t>(where.first)][where.second] = static_cast<std::int32_t>(rs->combined_.size());
    rs->combined_.push_back(std::move(*combined));
    rs->combined_sets_.push_back(std::move(ids));
  }
  // Point each phrase test on a field at its place in the combined matcher (lowered.hpp).
  for (auto& r : rs->rules_) {
    if (r.kind < 0) continue;
    for (detail::lowered* code : {&r.when_code, &r.times_code, &r.value_code, &r.fine_code})
      for (detail::lnode& n : code->nodes) {
        if (n.op != detail::lop::b_phrase_field && n.op != detail::lop::n_phrase_count) continue;
        const std::int32_t c = rs->combined_for(r.kind, n.slot);
        if (c < 0) continue;
        const auto& sets = rs->combined_sets_[static_cast<std::size_t>(c)];
        const auto it = std::lower_bound(sets.begin(), sets.end(), n.phrase);
        if (it == sets.end() || *it != n.phrase) continue;  // a disabled rule's set: scanned alone
        n.b = static_cast<std::uint32_t>(c) + 1;
        n.c = static_cast<std::uint32_t>(it - sets.begin());
      }
  }
  return rs;
}

namespace {

/// Check and compile a loaded model; compile only when this rulebook has no error so far.
std::shared_ptr<const rule_set> check_and_compile(rulebook::rulebook_model model, std::size_t first_diag,
                                                  std::vector<diagnostic>& diags) {
  if (!model.source) return nullptr;
  auto checked = check(std::move(model), diags);
  if (std::any_of(diags.begin() + static_cast<std::ptrdiff_t>(first_diag), diags.end(),
                  [](const diagnostic& d) { return d.severity == severity::error; }))
    return nullptr;
  std::vector<diagnostic> warnings;  // fresh: earlier, unrelated errors in `diags` must not block this one
  auto rs = rule_set::compile(std::move(checked), warnings);
  diags.insert(diags.end(), warnings.begin(), warnings.end());
  return rs;
}

}  // namespace

std::shared_ptr<const rule_set> compile_rulebook(std::string name, std::string text, std::vector<diagnostic>& diags) {
  std::size_t before = diags.size();
  return check_and_compile(rulebook::load_rulebook(std::move(name), std::move(text), diags), before, diags);
}

std::shared_ptr<const rule_set> compile_rulebook_file(const std::string& path, std::vector<diagnostic>& diags) {
  std::size_t before = diags.size();
  return check_and_compile(rulebook::load_rulebook_file(path, diags), before, diags);
}

std::shared_ptr<const rule_set> builtin_rule_set(std::vector<diagnostic>& diags) {
  return compile_rulebook(std::string(detail::builtin_rulebook_name()), std::string(detail::builtin_rulebook_text()), diags);
}

}  // namespace decorum
