// src/syntax/grammar.cpp — entry point: parse_expression. The one translation unit that
// instantiates the X3 grammar; everything else sees only syntax/grammar.hpp.
#include "decorum/syntax/detail/grammar_def.hpp"

#include <fmt/format.h>

namespace decorum::syntax {
namespace x3 = boost::spirit::x3;

namespace parser {
BOOST_SPIRIT_INSTANTIATE(expression_type, iterator_type, context_type)
}  // namespace parser

parser::expression_type const& expression() { return parser::expression; }

namespace {

/// Refuses input nested deeper than max_nesting before the recursive parser sees it. Counts
/// open brackets plus the run of prefix operators (`-`, `!`, `not`) in front of an operand,
/// which are the only ways the grammar recurses without consuming a closing token.
std::optional<parse_error> check_nesting(std::string_view s) {
  int depth = 0;
  int prefix = 0;
  char quote = 0;
  bool after_operand = false;  // a '-' after an operand is binary, not a prefix
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quote) {
      if (c == '\\') ++i;
      else if (c == quote) quote = 0, after_operand = true;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    bool is_prefix = false;
    if (c == '"' || c == '\'') {
      quote = c;
      prefix = 0;
      continue;
    }
    if (c == '(' || c == '[') {
      if (++depth + prefix > max_nesting)
        return parse_error{i, fmt::format("expression nested deeper than {} levels", max_nesting)};
      after_operand = false;
      continue;
    }
    if (c == ')' || c == ']') {
      if (depth > 0) --depth;
      after_operand = true;
      prefix = 0;
      continue;
    }
    if (c == '!' && (i + 1 >= s.size() || s[i + 1] != '=')) is_prefix = true;
    else if (c == '-' && !after_operand) is_prefix = true;
    else if (s.substr(i, 3) == "not" && (i + 3 >= s.size() || !(std::isalnum(static_cast<unsigned char>(s[i + 3])) || s[i + 3] == '_')) &&
             (i == 0 || !(std::isalnum(static_cast<unsigned char>(s[i - 1])) || s[i - 1] == '_'))) {
      is_prefix = true;
    }
    if (is_prefix) {
      if (depth + ++prefix > max_nesting)
        return parse_error{i, fmt::format("expression nested deeper than {} levels", max_nesting)};
      if (c == 'n') i += 2;  // the rest of "not"
      after_operand = false;
      continue;
    }
    bool word = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || static_cast<unsigned char>(c) >= 0x80;
    if (word) {
      prefix = 0;
      after_operand = true;
    } else {
      after_operand = false;  // an operator or comma: a following '-' is a prefix
    }
  }
  return std::nullopt;
}

std::string describe_token(std::string_view rest) {
  if (rest.empty()) return "end of expression";
  std::size_t n = 1;
  auto c = static_cast<unsigned char>(rest[0]);
  if (std::isalnum(c) || c == '_') {
    while (n < rest.size() && (std::isalnum(static_cast<unsigned char>(rest[n])) || rest[n] == '_')) ++n;
  } else if (c >= 0x80) {
    while (n < rest.size() && (static_cast<unsigned char>(rest[n]) & 0xC0) == 0x80) ++n;
  } else if (n < rest.size() && std::string_view("=<>!&|").find(static_cast<char>(c)) != std::string_view::npos &&
             std::string_view("=&|").find(rest[1]) != std::string_view::npos) {
    n = 2;
  }
  return fmt::format("'{}'", rest.substr(0, n));
}

}  // namespace

parse_result parse_expression(std::string_view text) {
  parse_result result;
  if (auto err = check_nesting(text)) {
    result.error = std::move(err);
    return result;
  }
  const char* const begin = text.data();
  const char* const end = begin + text.size();
  const char* it = begin;
  parser::text_begin state{begin};
  ast::expr root;
  auto skip_ws = [&](const char* p) {
    while (p != end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) ++p;
    return p;
  };
  try {
    bool ok = x3::phrase_parse(it, end, x3::with<parser::text_begin_tag>(state)[parser::expression], x3::ascii::space,
                               root);
    it = skip_ws(it);
    if (ok && it == end) {
      result.root = std::move(root);
      return result;
    }
    std::size_t at = static_cast<std::size_t>((ok ? it : skip_ws(begin)) - begin);
    std::string_view rest = text.substr(at);
    if (!ok && rest.empty()) {
      result.error = parse_error{at, "empty expression"};
    } else if (rest.size() >= 1 && rest[0] == '=' && (rest.size() == 1 || rest[1] != '=')) {
      result.error = parse_error{at, "'=' is not an operator; compare with '=='"};
    } else {
      result.error = parse_error{at, fmt::format("unexpected {}", describe_token(rest))};
    }
  } catch (const x3::expectation_failure<const char*>& e) {
    std::size_t at = static_cast<std::size_t>(skip_ws(e.where()) - begin);
    result.error = parse_error{at, fmt::format("expected {}, found {}", e.which(), describe_token(text.substr(at)))};
  }
  return result;
}

}  // namespace decorum::syntax
