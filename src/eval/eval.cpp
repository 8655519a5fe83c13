// src/eval/eval.cpp — entry points: evaluator::begin, holds, number, run. Per record, the
// folded-text and phrase-scan caches; the lowered interpreter of the section below.
#include "decorum/eval/eval.hpp"

#include <algorithm>
#include <cstring>

namespace decorum {

evaluator::evaluator(const rule_set& rules) : rules_(rules), plain_(rules) {
  std::size_t slots = rules.schema().max_slots();
  folded_gen_.assign(slots, 0);
  folded_.resize(slots);
  folded_view_.resize(slots);
  nsets_ = static_cast<std::uint32_t>(rules.phrase_set_count());
  scan_gen_.assign(slots * nsets_, 0);
  scans_.resize(slots * nsets_);
  combined_gen_.assign(rules.combined_count(), 0);
  std::uint32_t total = 0;
  for (std::size_t c = 0; c < rules.combined_count(); ++c) {
    combined_at_.push_back(total);
    total += static_cast<std::uint32_t>(rules.combined_sets(static_cast<std::int32_t>(c)).size());
  }
  combined_out_.resize(total);
}

void evaluator::begin(const record& r) noexcept {
  rec_ = &r;
  if (++generation_ == 0) {  // wrapped: clear stamps so stale entries cannot match
    std::fill(folded_gen_.begin(), folded_gen_.end(), 0);
    std::fill(scan_gen_.begin(), scan_gen_.end(), 0);
    std::fill(combined_gen_.begin(), combined_gen_.end(), 0);
    generation_ = 1;
  }
}

std::string_view evaluator::folded(std::uint32_t slot) {
  if (folded_gen_[slot] != generation_) {
    // Most texts need no folding: then the view is the record's own text, not a copy.
    folded_view_[slot] = detail::fold_text_view(rec_->values[slot].text, folded_[slot]);
    folded_gen_[slot] = generation_;
  }
  return folded_view_[slot];
}

const detail::phrase_scan* evaluator::combined_scan(std::uint32_t c, std::uint32_t slot) {
  detail::phrase_scan* out = combined_out_.data() + combined_at_[c];
  // One walk answers every set asked about this field.
  rules_.combined(static_cast<std::int32_t>(c)).scan_each(folded(slot), out);
  combined_gen_[c] = generation_;
  return out;
}

inline const detail::phrase_scan& evaluator::field_scan(const detail::lnode& x) {
  if (x.b != 0) {
    const std::uint32_t c = x.b - 1;
    // The scan runs out of line, once per record; every later test is this load.
    if (combined_gen_[c] == generation_) return combined_out_[combined_at_[c] + x.c];
    return combined_scan(c, x.slot)[x.c];
  }
  return scan(x.slot, x.phrase);
}

const detail::phrase_scan& evaluator::scan(std::uint32_t slot, std::int32_t set) {
  if (const std::int32_t c = rules_.combined_for(rec_->kind, slot); c >= 0) {
    const auto& sets = rules_.combined_sets(c);
    const auto it = std::lower_bound(sets.begin(), sets.end(), set);
    if (it != sets.end() && *it == set) {
      const auto u = static_cast<std::uint32_t>(c);
      if (combined_gen_[u] != generation_) combined_scan(u, slot);
      return combined_out_[combined_at_[u] + static_cast<std::uint32_t>(it - sets.begin())];
    }
  }
  std::size_t i = slot * nsets_ + static_cast<std::uint32_t>(set);
  if (scan_gen_[i] != generation_) {
    scans_[i] = rules_.phrases(set).scan(folded(slot));
    scan_gen_[i] = generation_;
  }
  return scans_[i];
}

}  // namespace decorum

// ---------------------------------------------------------------------------------------------
// Lowered programs (decorum/compile/lowered.hpp). Same semantics as the plain interpreter (compile/interpret.cpp), checked
// against it and against the reference evaluator in tests/eval/test_eval.cpp.

namespace decorum {

namespace {

constexpr std::uint8_t f3 = 0, t3 = 1, n3 = 2;  // false, true, null

bool compare_ints(detail::lcmp c, std::int64_t a, std::int64_t b) noexcept {
  switch (c) {
    case detail::lcmp::eq: return a == b;
    case detail::lcmp::ne: return a != b;
    case detail::lcmp::lt: return a < b;
    case detail::lcmp::le: return a <= b;
    case detail::lcmp::gt: return a > b;
    case detail::lcmp::ge: return a >= b;
  }
  return false;
}

std::uint8_t fact(const detail::phrase_scan& s, detail::ltest t) noexcept {
  switch (t) {
    case detail::ltest::contains: return s.contains;
    case detail::ltest::starts: return s.starts_with;
    case detail::ltest::ends: return s.ends_with;
    case detail::ltest::in: return s.equals;
    case detail::ltest::not_in: return !s.equals;
  }
  return n3;
}

std::int64_t count_raw(std::uint32_t count) noexcept { return decimal::from_int(count)->raw(); }

// Characters of UTF-8 text: its bytes less its continuation bytes (10xxxxxx), eight bytes
// at a time, since len() runs on every utterance and a byte loop was most of its cost.
std::int64_t utf8_chars(std::string_view t) noexcept {
  constexpr std::uint64_t high = 0x8080808080808080ULL;
  const auto* p = t.data();
  std::size_t n = t.size(), continuation = 0;
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t x;
    std::memcpy(&x, p, 8);
    // Bit 7 of each byte: set when bit 7 is and bit 6 is not; summed by one multiply.
    continuation += (((x & ~(x << 1) & high) >> 7) * 0x0101010101010101ULL) >> 56;
  }
  for (; n > 0; ++p, --n) continuation += (static_cast<unsigned char>(*p) & 0xC0) == 0x80;
  return static_cast<std::int64_t>(t.size() - continuation);
}

}  // namespace

detail::phrase_scan evaluator::scan_text(std::string_view text, std::int32_t set) {
  return rules_.phrases(set).scan(detail::fold_text_view(text, scratch_));
}

// The node kinds rules are mostly made of, in a function small enough that a call saves few
// registers: truth() recurses for every `and`/`or`/`not`, so its prologue is paid per node.
// The rest are in truth_rare().
std::uint8_t evaluator::truth(std::uint32_t i) {
  using detail::lop;
  const detail::lnode& x = lp_->nodes[i];
  switch (x.op) {
    case lop::b_const: return static_cast<std::uint8_t>(x.k);
    case lop::b_field: {
      const value& v = rec_->values[x.slot];
      return v.present() ? static_cast<std::uint8_t>(v.boolean) : n3;
    }
    case lop::b_has: return rec_->values[x.slot].present();
    case lop::b_and: {
      const std::uint8_t a = truth(x.a);
      if (a == f3) return f3;
      const std::uint8_t b = truth(x.b);
      if (b == f3) return f3;
      return a == t3 && b == t3 ? t3 : n3;
    }
    case lop::b_or: {
      const std::uint8_t a = truth(x.a);
      if (a == t3) return t3;
      const std::uint8_t b = truth(x.b);
      if (b == t3) return t3;
      return a == f3 && b == f3 ? f3 : n3;
    }
    case lop::b_not: {
      const std::uint8_t a = truth(x.a);
      return a == n3 ? n3 : static_cast<std::uint8_t>(1 - a);
    }
    case lop::b_cmp_field_const: {
      const value& v = rec_->values[x.slot];
      return v.present() ? compare_ints(x.cmp, v.num, x.k) : n3;
    }
    case lop::b_cmp_n_const: {
      std::int64_t a = 0;
      if (!num(x.a, a)) return n3;
      return compare_ints(x.cmp, a, x.k);
    }
    case lop::b_enum_is: {
      const value& v = rec_->values[x.slot];
      if (!v.present()) return n3;
      const bool e = v.num ? v.num == x.k : v.text == x.text;
      return e == (x.cmp == detail::lcmp::eq);
    }
    case lop::b_phrase_field: {
      if (!rec_->values[x.slot].present()) return n3;
      return fact(field_scan(x), x.test);
    }
    case lop::b_clock_between: {
      const value& v = rec_->values[x.slot];
      if (!v.present()) return n3;
      const std::int64_t c = clock_of(timestamp{v.num, 0, false, false});
      return x.k <= x.k2 ? (c >= x.k && c < x.k2) : (c >= x.k || c < x.k2);
    }
    default: return truth_rare(x);
  }
}

std::uint8_t evaluator::truth_rare(const detail::lnode& x) {
  using detail::lop;
  switch (x.op) {
    case lop::b_if: return truth(x.a) == t3 ? truth(x.b) : truth(x.c);
    case lop::b_cmp_nn: {
      std::int64_t a = 0, b = 0;
      if (!num(x.a, a) || !num(x.b, b)) return n3;
      return compare_ints(x.cmp, a, b);
    }
    case lop::b_enum_in: {
      const value& v = rec_->values[x.slot];
      if (!v.present()) return n3;
      bool found = false;
      if (v.num) {
        found = (x.k >> (v.num - 1)) & 1;
      } else {
        for (std::uint32_t k = 0; k < x.b && !found; ++k) found = lp_->texts[x.a + k] == v.text;
      }
      return found != x.negate;
    }
    case lop::b_eq_tt: {
      std::string_view a, b;
      if (!txt(x.a, a) || !txt(x.b, b)) return n3;
      return (a == b) == (x.cmp == detail::lcmp::eq);
    }
    case lop::b_eq_bb: {
      const std::uint8_t a = truth(x.a);
      if (a == n3) return n3;
      const std::uint8_t b = truth(x.b);
      if (b == n3) return n3;
      return (a == b) == (x.cmp == detail::lcmp::eq);
    }
    case lop::b_in_list: {
      bool found = false, unknown = false;
      const std::uint32_t* items = lp_->list.data() + x.b;
      switch (x.kind) {
        case detail::lkind::truth: {
          const std::uint8_t a = truth(x.a);
          if (a == n3) return n3;
          for (std::uint32_t k = 0; k < x.c; ++k) {
            const std::uint8_t b = truth(items[k]);
            if (b == n3) unknown = true;
            else if (a == b) found = true;
          }
          break;
        }
        case detail::lkind::number: {
          std::int64_t a = 0, b = 0;
          if (!num(x.a, a)) return n3;
          for (std::uint32_t k = 0; k < x.c; ++k) {
            if (!num(items[k], b)) unknown = true;
            else if (a == b) found = true;
          }
          break;
        }
        case detail::lkind::text: {
          std::string_view a, b;
          if (!txt(x.a, a)) return n3;
          for (std::uint32_t k = 0; k < x.c; ++k) {
            if (!txt(items[k], b)) unknown = true;
            else if (a == b) found = true;
          }
          break;
        }
      }
      if (!found && unknown) return n3;
      return found != x.negate;
    }
    case lop::b_phrase_expr: {
      std::string_view t;
      if (!txt(x.a, t)) return n3;
      return fact(scan_text(t, x.phrase), x.test);
    }
    case lop::b_between: {
      std::int64_t c = 0, from = 0, to = 0;
      if (!num(x.a, c) || !num(x.b, from) || !num(x.c, to)) return n3;
      return from <= to ? (c >= from && c < to) : (c >= from || c < to);
    }
    // The common kinds are handled in truth() and never reach here; a number or text node
    // read as a truth value the lowering never produces.
    default: return n3;
  }
}

bool evaluator::num(std::uint32_t i, std::int64_t& out) {
  using detail::lop;
  const detail::lnode& x = lp_->nodes[i];
  switch (x.op) {
    case lop::n_const:
      out = x.k;
      return !x.null_const;
    case lop::n_field: {
      const value& v = rec_->values[x.slot];
      out = v.num;
      return v.present();
    }
    case lop::n_neg:
      if (!num(x.a, out)) return false;
      out = (-decimal::from_raw(out)).raw();
      return true;
    case lop::n_abs:
      if (!num(x.a, out)) return false;
      if (out < 0) out = (-decimal::from_raw(out)).raw();
      return true;
    case lop::n_arith: {
      std::int64_t a = 0, b = 0;
      if (!num(x.a, a) || !num(x.b, b)) return false;
      const decimal p = decimal::from_raw(a), q = decimal::from_raw(b);
      std::optional<decimal> r;
      switch (x.arith) {
        case detail::larith::add: r = add(p, q); break;
        case detail::larith::sub: r = sub(p, q); break;
        case detail::larith::mul: r = mul(p, q); break;
        case detail::larith::div: r = div(p, q); break;
        case detail::larith::mod: r = mod(p, q); break;
      }
      if (!r) {
        // A division or remainder by zero is SPEC §2's null; anything else is overflow.
        const bool by_zero = (x.arith == detail::larith::div || x.arith == detail::larith::mod) && b == 0;
        if (!by_zero) overflow_.note("+-*/%"[static_cast<int>(x.arith)], a, b);
        return false;
      }
      out = r->raw();
      return true;
    }
    case lop::n_time_shift: {
      std::int64_t a = 0, b = 0;
      if (!num(x.a, a) || !num(x.b, b)) return false;
      const std::int64_t t = x.swapped ? b : a;
      const std::int64_t secs = decimal::from_raw(x.swapped ? a : b).trunc();
      out = x.arith == detail::larith::sub ? t - secs : t + secs;
      return true;
    }
    case lop::n_time_diff: {
      std::int64_t a = 0, b = 0;
      if (!num(x.a, a) || !num(x.b, b)) return false;
      const std::optional<decimal> d = decimal::from_int(a - b);
      if (!d) return false;
      out = d->raw();
      return true;
    }
    case lop::n_min:
    case lop::n_max: {
      std::int64_t a = 0, b = 0;
      if (!num(x.a, a) || !num(x.b, b)) return false;
      out = (x.op == lop::n_min ? a <= b : a >= b) ? a : b;
      return true;
    }
    case lop::n_if: return truth(x.a) == t3 ? num(x.b, out) : num(x.c, out);
    case lop::n_phrase_count:
      if (!rec_->values[x.slot].present()) return false;
      out = count_raw(field_scan(x).count);
      return true;
    case lop::n_phrase_count_expr: {
      std::string_view t;
      if (!txt(x.a, t)) return false;
      out = count_raw(scan_text(t, x.phrase).count);
      return true;
    }
    case lop::n_len: {
      std::string_view t;
      if (!txt(x.a, t)) return false;
      out = decimal::from_int(utf8_chars(t))->raw();
      return true;
    }
    case lop::n_clock:
    case lop::n_weekday:
    case lop::n_hour: {
      std::int64_t t = 0;
      if (!num(x.a, t)) return false;
      const timestamp ts{t, 0, false, false};
      out = x.op == lop::n_clock     ? clock_of(ts)
            : x.op == lop::n_weekday ? decimal::from_int(weekday(ts))->raw()
                                     : decimal::from_int(hour(ts))->raw();
      return true;
    }
    default: return false;
  }
}

bool evaluator::txt(std::uint32_t i, std::string_view& out) {
  using detail::lop;
  const detail::lnode& x = lp_->nodes[i];
  switch (x.op) {
    case lop::t_const:
      out = x.text;
      return !x.null_const;
    case lop::t_field: {
      const value& v = rec_->values[x.slot];
      out = v.text;
      return v.present();
    }
    case lop::t_if: return truth(x.a) == t3 ? txt(x.b, out) : txt(x.c, out);
    default: return false;
  }
}

value evaluator::run(const detail::lowered& p) {
  if (p.empty() || p.type == value_type::null_) return value::null();
  lp_ = &p;
  if (p.type == value_type::text) {
    std::string_view t;
    return txt(p.root, t) ? value::of_text(t) : value::null();
  }
  if (p.type == value_type::boolean) {
    const std::uint8_t b = truth(p.root);
    return b == n3 ? value::null() : value::of_bool(b == t3);
  }
  std::int64_t n = 0;
  if (!num(p.root, n)) return value::null();
  return value{p.type, false, n, {}};
}

bool evaluator::number(const detail::lowered& p, std::int64_t& out) {
  if (p.empty()) return false;
  lp_ = &p;
  return num(p.root, out);
}

}  // namespace decorum
