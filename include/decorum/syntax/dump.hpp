// decorum/syntax/dump.hpp — entry point: `dump`. Renders an expression tree as a compact
// S-expression with byte offsets, so grammar tests can state the exact tree and positions.
#pragma once

#include "decorum/syntax/ast.hpp"

#include <string>

namespace decorum::syntax {

/// The spelling of an operator token in dumps and messages ("==", "and", "not in", …).
std::string_view op_name(ast::op o) noexcept;

/// `(+ (num 1 @0) (path rings @4))`-style rendering; `@N` is the node's byte offset.
std::string dump(const ast::expr& e);

}  // namespace decorum::syntax
