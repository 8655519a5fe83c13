// src/compile/lowered.cpp — entry point: detail::lower. Rewrites a folded post-order program into the
// typed tree the evaluator runs (decorum/compile/lowered.hpp), choosing a specialised node
// wherever the operands' shape is known at compile time: a numeric field against a constant,
// an enum field against one of its names (an integer compare at run time), a phrase test on
// a field (served from the per-record scan cache), clock(time) between two constant clocks.
#include "decorum/compile/lowered.hpp"

#include <algorithm>

namespace decorum::detail {

namespace {

lkind category_of(value_type t) noexcept {
  switch (t) {
    case value_type::boolean: return lkind::truth;
    case value_type::text: return lkind::text;
    default: return lkind::number;
  }
}

lcmp cmp_of(opcode op) noexcept {
  switch (op) {
    case opcode::eq: return lcmp::eq;
    case opcode::ne: return lcmp::ne;
    case opcode::lt: return lcmp::lt;
    case opcode::le: return lcmp::le;
    case opcode::gt: return lcmp::gt;
    default: return lcmp::ge;
  }
}

/// `k op x` as `x op' k`, so a constant on the left still makes a field-against-constant node.
lcmp mirrored(lcmp c) noexcept {
  switch (c) {
    case lcmp::lt: return lcmp::gt;
    case lcmp::le: return lcmp::ge;
    case lcmp::gt: return lcmp::lt;
    case lcmp::ge: return lcmp::le;
    default: return c;
  }
}

class lowerer {
 public:
  lowerer(const program& p, const kind_schema& kind) : p_(p), kind_(kind) {}

  lowered run() {
    const program_node& root = p_.nodes[p_.root()];
    out_.type = root.type;
    out_.root = go(p_.root(), category_of(root.type));
    return std::move(out_);
  }

 private:
  const program& p_;
  const kind_schema& kind_;
  lowered out_;

  const program_node& node(std::uint32_t i) const { return p_.nodes[i]; }
  std::uint32_t child(const program_node& n, std::uint32_t k) const { return p_.children[n.args + k]; }
  const program_node& kid(const program_node& n, std::uint32_t k) const { return node(child(n, k)); }

  std::uint32_t emit(lnode n) {
    out_.nodes.push_back(n);
    return static_cast<std::uint32_t>(out_.nodes.size() - 1);
  }

  std::uint32_t null_of(lkind want) {
    lnode n;
    switch (want) {
      case lkind::truth: n.op = lop::b_const; n.k = 2; break;
      case lkind::number: n.op = lop::n_const; n.null_const = true; break;
      case lkind::text: n.op = lop::t_const; n.null_const = true; break;
    }
    return emit(n);
  }

  bool is_const(const program_node& n) const { return n.op == opcode::constant && n.constant.present(); }
  bool is_field(const program_node& n) const { return n.op == opcode::field; }
  bool is_enum_field(const program_node& n) const {
    return is_field(n) && n.slot < kind_.fields.size() && kind_.fields[n.slot].type == field_type::enumeration;
  }
  /// The 0-based position of `text` in the enum of field `slot`, or -1.
  std::int64_t ordinal(std::uint32_t slot, std::string_view text) const {
    const auto& values = kind_.fields[slot].enum_values;
    auto it = std::find(values.begin(), values.end(), text);
    return it == values.end() ? -1 : static_cast<std::int64_t>(it - values.begin());
  }

  /// Lowers node i, whose result the parent reads as category `want`.
  std::uint32_t go(std::uint32_t i, lkind want) {
    const program_node& n = node(i);
    if (n.type == value_type::null_) return null_of(want);  // always null, whatever it is
    lnode x;
    switch (n.op) {
      case opcode::constant:
        if (!n.constant.present()) return null_of(want);
        if (want == lkind::truth) {
          x.op = lop::b_const;
          x.k = n.constant.boolean ? 1 : 0;
        } else if (want == lkind::number) {
          x.op = lop::n_const;
          x.k = n.constant.num;
        } else {
          x.op = lop::t_const;
          x.text = n.constant.text;
        }
        return emit(x);
      case opcode::field:
        x.op = want == lkind::truth ? lop::b_field : want == lkind::number ? lop::n_field : lop::t_field;
        x.slot = n.slot;
        return emit(x);
      case opcode::has:
        x.op = lop::b_has;
        x.slot = n.slot;
        return emit(x);
      case opcode::and_:
      case opcode::or_:
        x.op = n.op == opcode::and_ ? lop::b_and : lop::b_or;
        x.a = go(child(n, 0), lkind::truth);
        x.b = go(child(n, 1), lkind::truth);
        return emit(x);
      case opcode::not_:
        x.op = lop::b_not;
        x.a = go(child(n, 0), lkind::truth);
        return emit(x);
      case opcode::neg:
      case opcode::abs:
        x.op = n.op == opcode::neg ? lop::n_neg : lop::n_abs;
        x.a = go(child(n, 0), lkind::number);
        return emit(x);
      case opcode::add:
      case opcode::sub:
      case opcode::mul:
      case opcode::div:
      case opcode::mod: {
        const program_node &l = kid(n, 0), &r = kid(n, 1);
        x.arith = n.op == opcode::add   ? larith::add
                  : n.op == opcode::sub ? larith::sub
                  : n.op == opcode::mul ? larith::mul
                  : n.op == opcode::div ? larith::div
                                        : larith::mod;
        if (n.type == value_type::time) {
          x.op = lop::n_time_shift;
          x.swapped = l.type != value_type::time;
        } else if (l.type == value_type::time && r.type == value_type::time) {
          x.op = lop::n_time_diff;
        } else {
          x.op = lop::n_arith;
        }
        x.a = go(child(n, 0), lkind::number);
        x.b = go(child(n, 1), lkind::number);
        return emit(x);
      }
      case opcode::eq:
      case opcode::ne:
      case opcode::lt:
      case opcode::le:
      case opcode::gt:
      case opcode::ge: return compare(n);
      case opcode::in_list:
      case opcode::not_in_list: return in_list(n);
      case opcode::phrase_contains:
      case opcode::phrase_starts:
      case opcode::phrase_ends:
      case opcode::phrase_in:
      case opcode::phrase_not_in:
      case opcode::phrase_count: {
        const program_node& text = kid(n, 0);
        if (text.type == value_type::null_) return null_of(want);
        const bool count = n.op == opcode::phrase_count;
        x.phrase = n.phrase;
        x.test = n.op == opcode::phrase_contains ? ltest::contains
                 : n.op == opcode::phrase_starts ? ltest::starts
                 : n.op == opcode::phrase_ends   ? ltest::ends
                 : n.op == opcode::phrase_in     ? ltest::in
                                                 : ltest::not_in;
        if (is_field(text)) {
          x.op = count ? lop::n_phrase_count : lop::b_phrase_field;
          x.slot = text.slot;
        } else {
          x.op = count ? lop::n_phrase_count_expr : lop::b_phrase_expr;
          x.a = go(child(n, 0), lkind::text);
        }
        return emit(x);
      }
      case opcode::len:
        x.op = lop::n_len;
        x.a = go(child(n, 0), lkind::text);
        return emit(x);
      case opcode::clock_of:
      case opcode::weekday:
      case opcode::hour:
        x.op = n.op == opcode::clock_of ? lop::n_clock : n.op == opcode::weekday ? lop::n_weekday : lop::n_hour;
        x.a = go(child(n, 0), lkind::number);
        return emit(x);
      case opcode::between: {
        const program_node &c = kid(n, 0), &from = kid(n, 1), &to = kid(n, 2);
        if (c.op == opcode::clock_of && is_field(kid(c, 0)) && is_const(from) && is_const(to)) {
          x.op = lop::b_clock_between;
          x.slot = kid(c, 0).slot;
          x.k = from.constant.num;
          x.k2 = to.constant.num;
          return emit(x);
        }
        x.op = lop::b_between;
        x.a = go(child(n, 0), lkind::number);
        x.b = go(child(n, 1), lkind::number);
        x.c = go(child(n, 2), lkind::number);
        return emit(x);
      }
      case opcode::min:
      case opcode::max:
        x.op = n.op == opcode::min ? lop::n_min : lop::n_max;
        x.a = go(child(n, 0), lkind::number);
        x.b = go(child(n, 1), lkind::number);
        return emit(x);
      case opcode::if_:
        x.op = want == lkind::truth ? lop::b_if : want == lkind::number ? lop::n_if : lop::t_if;
        x.a = go(child(n, 0), lkind::truth);
        x.b = go(child(n, 1), want);
        x.c = go(child(n, 2), want);
        return emit(x);
    }
    return null_of(want);
  }

  std::uint32_t compare(const program_node& n) {
    const program_node &l = kid(n, 0), &r = kid(n, 1);
    if (l.type == value_type::null_ || r.type == value_type::null_) return null_of(lkind::truth);
    lnode x;
    x.cmp = cmp_of(n.op);
    const lkind cat = category_of(l.type);
    if (cat == lkind::text) {
      // An enum field against one of its names: compared as integers when the record came
      // from a reader (which checked the name and kept its position).
      for (int side = 0; side < 2; ++side) {
        const program_node& f = side == 0 ? l : r;
        const program_node& k = side == 0 ? r : l;
        if (is_enum_field(f) && is_const(k)) {
          const std::int64_t ord = ordinal(f.slot, k.constant.text);
          if (ord < 0) break;  // cannot happen after checking; the general node is still right
          x.op = lop::b_enum_is;
          x.slot = f.slot;
          x.k = ord + 1;
          x.text = k.constant.text;
          return emit(x);
        }
      }
      x.op = lop::b_eq_tt;
      x.a = go(child(n, 0), lkind::text);
      x.b = go(child(n, 1), lkind::text);
      return emit(x);
    }
    if (cat == lkind::truth) {
      x.op = lop::b_eq_bb;
      x.a = go(child(n, 0), lkind::truth);
      x.b = go(child(n, 1), lkind::truth);
      return emit(x);
    }
    if (is_field(l) && is_const(r)) {
      x.op = lop::b_cmp_field_const;
      x.slot = l.slot;
      x.k = r.constant.num;
      return emit(x);
    }
    if (is_const(l) && is_field(r)) {
      x.op = lop::b_cmp_field_const;
      x.cmp = mirrored(x.cmp);
      x.slot = r.slot;
      x.k = l.constant.num;
      return emit(x);
    }
    if (is_const(r)) {
      x.op = lop::b_cmp_n_const;
      x.a = go(child(n, 0), lkind::number);
      x.k = r.constant.num;
      return emit(x);
    }
    if (is_const(l)) {
      x.op = lop::b_cmp_n_const;
      x.cmp = mirrored(x.cmp);
      x.a = go(child(n, 1), lkind::number);
      x.k = l.constant.num;
      return emit(x);
    }
    x.op = lop::b_cmp_nn;
    x.a = go(child(n, 0), lkind::number);
    x.b = go(child(n, 1), lkind::number);
    return emit(x);
  }

  std::uint32_t in_list(const program_node& n) {
    const program_node& subject = kid(n, 0);
    if (subject.type == value_type::null_) return null_of(lkind::truth);
    lnode x;
    x.negate = n.op == opcode::not_in_list;
    if (is_enum_field(subject) && kind_.fields[subject.slot].enum_values.size() < 63) {
      bool all_names = true;
      std::int64_t bits = 0;
      std::vector<std::string_view> texts;
      for (std::uint32_t k = 1; k < n.argc; ++k) {
        const program_node& item = kid(n, k);
        const std::int64_t ord = is_const(item) ? ordinal(subject.slot, item.constant.text) : -1;
        if (ord < 0) {
          all_names = false;
          break;
        }
        bits |= std::int64_t{1} << ord;
        texts.push_back(item.constant.text);
      }
      if (all_names) {
        x.op = lop::b_enum_in;
        x.slot = subject.slot;
        x.k = bits;
        x.a = static_cast<std::uint32_t>(out_.texts.size());
        x.b = static_cast<std::uint32_t>(texts.size());
        out_.texts.insert(out_.texts.end(), texts.begin(), texts.end());
        return emit(x);
      }
    }
    x.op = lop::b_in_list;
    x.kind = category_of(subject.type);
    x.a = go(child(n, 0), x.kind);
    std::vector<std::uint32_t> items;
    for (std::uint32_t k = 1; k < n.argc; ++k) items.push_back(go(child(n, k), x.kind));
    x.b = static_cast<std::uint32_t>(out_.list.size());
    x.c = static_cast<std::uint32_t>(items.size());
    out_.list.insert(out_.list.end(), items.begin(), items.end());
    return emit(x);
  }
};

}  // namespace

lowered lower(const program& p, const kind_schema& kind) {
  if (p.empty()) return {};
  return lowerer(p, kind).run();
}

}  // namespace decorum::detail
