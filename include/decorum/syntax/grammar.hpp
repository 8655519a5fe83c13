// decorum/syntax/grammar.hpp — entry point: `parse_expression`. Declares the X3 grammar of
// the expression language (SPEC §2); detail/grammar_def.hpp defines it and src/syntax/grammar.cpp
// instantiates it, so only one translation unit pays Spirit's compile time.
#pragma once

#include "decorum/syntax/ast.hpp"

#include <boost/spirit/home/x3.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace decorum::syntax {

namespace parser {
namespace x3 = boost::spirit::x3;
/// The grammar reads expression text through plain pointers.
using iterator_type = const char*;
/// Where the expression text begins, for turning iterators into byte offsets.
struct text_begin { const char* begin; };
/// Context tag under which `text_begin` travels through the parse.
struct text_begin_tag;
/// The skipper context: ASCII white space between tokens.
using phrase_context_type = x3::phrase_parse_context<x3::ascii::space_type>::type;
/// The full context the grammar is instantiated with.
using context_type = x3::context<text_begin_tag, text_begin, phrase_context_type>;

/// The top rule: a whole expression.
struct expression_class;
/// Its type, declared here, defined in detail/grammar_def.hpp.
using expression_type = x3::rule<expression_class, ast::expr>;
BOOST_SPIRIT_DECLARE(expression_type)
}  // namespace parser

/// The grammar's start rule, for tests and tools that run the parser directly.
parser::expression_type const& expression();

/// Why an expression failed to parse, and where: a byte offset into the expression text.
struct parse_error {
  std::size_t offset = 0;  ///< byte offset of the offending token
  std::string message;     ///< e.g. "expected ')'"
};

/// The outcome of parsing one expression: a tree, or an error.
struct parse_result {
  std::optional<ast::expr> root;     ///< set on success
  std::optional<parse_error> error;  ///< set on failure
};

/// The deepest nesting of brackets and prefix operators accepted. Deeper input is refused
/// before Spirit sees it: a recursive-descent parser would otherwise run out of stack.
inline constexpr int max_nesting = 64;

/// Parses one expression. Never throws and never recurses deeper than `max_nesting` levels.
parse_result parse_expression(std::string_view text);

}  // namespace decorum::syntax
