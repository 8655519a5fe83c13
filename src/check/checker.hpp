// src/check/checker.hpp — internal to the check stage: `detail::checker`, shared by check.cpp
// (the rulebook-level checks: phrase sets, rules, scoring) and expr.cpp (typing one
// expression and emitting its program).
#pragma once

#include "decorum/check/check.hpp"
#include "decorum/syntax/ast.hpp"

#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace decorum::detail {

namespace ast = syntax::ast;

/// A checked subexpression: its node index and type, plus facts the parent may need.
struct typed {
  std::uint32_t node = 0;
  value_type type = value_type::null_;
  const field_schema* field = nullptr;     ///< set when the operand is a bare field reference
  std::int32_t phrase = -1;                ///< set when the operand is `phrases.NAME`
  bool ok = true;                          ///< false after an error (suppresses cascades)
  bool is_string_literal = false;
  std::string literal;                     ///< the string literal's value
};

class checker {
 public:
  checker(checked_rulebook& out, std::vector<diagnostic>& diags) : out_(out), diags_(diags) {}

  void run();

 private:
  checked_rulebook& out_;
  std::vector<diagnostic>& diags_;
  // Per-expression state.
  const rulebook::scalar* scalar_ = nullptr;
  const kind_schema* kind_ = nullptr;
  program* prog_ = nullptr;
  std::vector<bool> phrase_used_;
  std::map<std::string, std::int32_t> literal_sets_;
  // Where aggregates (SPEC §8.1) stand in the expression being checked: not allowed (a
  // plain rule), not allowed because judged per record (`where`), allowed and the only way
  // to read fields (a window rule's own expressions), or inside one (fields, no aggregates).
  enum class agg_mode { none, where, outer, inside };
  agg_mode agg_mode_ = agg_mode::none;
  std::vector<checked_aggregate>* aggs_ = nullptr;

  const source_file& file() const { return *out_.model.source; }

  /// An error at byte `offset` of the expression; `length` > 0 underlines that many bytes
  /// (an identifier) when they sit on one line of the file.
  void error_at(diag_code c, std::size_t offset, std::string msg, std::size_t length = 0) {
    diags_.push_back({severity::error, file().name(), rulebook::locate_in_scalar(file(), *scalar_, offset),
                      std::move(msg), out_.model.source, c,
                      rulebook::end_in_scalar(file(), *scalar_, offset, length)});
  }
  void error_pos(diag_code c, source_pos p, std::string msg, source_pos end = {}) {
    diags_.push_back({severity::error, file().name(), p, std::move(msg), out_.model.source, c, end});
  }
  void warning_pos(diag_code c, source_pos p, std::string msg, source_pos end = {}) {
    diags_.push_back({severity::warning, file().name(), p, std::move(msg), out_.model.source, c, end});
  }
  /// Just past a scalar of the rulebook as written (for underlining a kind or field name).
  source_pos end_of(const rulebook::scalar& s) const { return rulebook::end_of_scalar(file(), s.mark, s.text); }

  /// Appends node `n` with children `kids` (any range of node indices); returns its index.
  template <class Kids>
  std::uint32_t emit_n(program_node n, const Kids& kids) {
    n.args = static_cast<std::uint32_t>(prog_->children.size());
    n.argc = static_cast<std::uint32_t>(std::size(kids));
    for (auto k : kids) prog_->children.push_back(k);
    prog_->nodes.push_back(n);
    return static_cast<std::uint32_t>(prog_->nodes.size() - 1);
  }
  std::uint32_t emit(program_node n, std::initializer_list<std::uint32_t> kids) { return emit_n(n, kids); }
  /// Emits an operation of result type `type` at expression offset `at` over `kids`.
  typed emit_typed(opcode op, value_type type, std::size_t at, std::initializer_list<std::uint32_t> kids) {
    program_node n;
    n.op = op;
    n.type = type;
    n.offset = static_cast<std::uint32_t>(at);
    typed t;
    t.node = emit(n, kids);
    t.type = type;
    return t;
  }
  typed constant(value v, std::size_t offset) {
    program_node n;
    n.op = opcode::constant;
    n.type = v.type;
    n.constant = v;
    n.offset = static_cast<std::uint32_t>(offset);
    typed t;
    t.node = emit(n, {});
    t.type = v.type;
    return t;
  }
  typed failed() {
    typed t;
    t.ok = false;
    return t;
  }

  /// Compiles one expression scalar into `p`, requiring `want` (or null_ for "any").
  bool compile_expr(const rulebook::scalar& s, const kind_schema& kind, program& p, value_type want,
                    std::string_view what);

  typed visit(const ast::expr& e);
  typed visit_operand(const ast::operand& o);
  typed visit_binary(typed lhs, const ast::operation& op);
  typed visit_call(const ast::call& c);
  typed visit_aggregate(const ast::call& c);
  // The rules across records of SPEC §8 (check.cpp).
  void check_window(const rulebook::rule_decl& r, checked_rule& cr);
  void check_deadline(const rulebook::rule_decl& r, checked_rule& cr);
  typed visit_path(const ast::path& p, bool allow_phrases);
  typed phrase_arg(const ast::expr& e, std::string_view fn);
  typed compare(ast::op op, typed lhs, typed rhs, std::size_t at);
  void check_enum_literal(const typed& field_side, const typed& lit_side, std::size_t at);
  bool numeric(value_type t) const { return t == value_type::number || t == value_type::duration; }
};

/// True for the call forms SPEC §8.1 makes aggregates (aggregate.cpp).
bool is_aggregate(const ast::call& c);

/// The single operand an expression reduces to when it has no operators: the grammar wraps
/// a lone `phrases.x` in one expr per precedence level, and callers want the operand itself.
const ast::operand* lone_operand(const ast::expr& e);

}  // namespace decorum::detail
