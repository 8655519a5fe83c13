// src/rulebook/yaml.cpp — entry points: rulebook::locate_in_scalar and the YAML access of
// loading::loader (src/rulebook/yaml.hpp). Guards every YAML input before and while yaml-cpp
// parses it (size, UTF-8, emptiness, tabs, nesting depth, a parser that stops moving, node
// and document counts), then gives the section loaders checked access to its nodes: shape
// expectations, scalars with positions, mapping entries with key checks, and the alias
// budget. Every problem is a diagnostic with file, line and column.
#include "yaml.hpp"

#include "decorum/base/text.hpp"

#include <yaml-cpp/eventhandler.h>

#include <sstream>
#include <typeinfo>

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

source_pos end_of_scalar(const source_file& file, std::size_t at, std::string_view text) {
  const std::string& src = file.text();
  if (text.empty() || text.find_first_of("\r\n") != std::string_view::npos || at >= src.size()) return {};
  std::size_t end = std::string::npos;
  if (src.compare(at, text.size(), text) == 0) {
    end = at + text.size();
  } else if ((src[at] == '"' || src[at] == '\'') && src.compare(at + 1, text.size(), text) == 0 &&
             at + 1 + text.size() < src.size() && src[at + 1 + text.size()] == src[at]) {
    end = at + text.size() + 2;
  }
  if (end == std::string::npos) return {};
  return file.position_of(end);
}

source_pos end_in_scalar(const source_file& file, const scalar& s, std::size_t offset, std::size_t length) {
  if (length == 0 || offset + length > s.text.size()) return {};
  const source_pos first = locate_in_scalar(file, s, offset);
  // The token's last character, from its first byte, then one character on.
  std::size_t back = offset + length - 1;
  while (back > offset && (static_cast<unsigned char>(s.text[back]) & 0xC0) == 0x80) --back;
  const source_pos last = locate_in_scalar(file, s, back);
  if (last.line != first.line || last.column < first.column) return {};
  const std::size_t at = file.offset_of(last);
  std::size_t next = at;
  if (next < file.text().size()) detail::decode_utf8(file.text(), next);
  return file.position_of(next);
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

}  // namespace

namespace loading {

void loader::report(severity s, diag_code c, source_pos p, std::string msg, source_pos end) {
  if (!reported_.emplace(p.line, p.column, msg).second) return;
  diags_.push_back({s, file_->name(), p, std::move(msg), file_, c, end});
}

source_pos loader::end_of(const YAML::Node& n) const {
  if (!n.IsScalar() || n.Mark().pos < 0) return {};
  return end_of_scalar(*file_, static_cast<std::size_t>(n.Mark().pos), n.Scalar());
}

bool loader::spend(const YAML::Node& n) {
  if (++budget_ <= file_->text().size() + 1000) return true;
  if (!budget_reported_) {
    budget_reported_ = true;
    error(diag_code::too_large, n, "the document expands to far more nodes than its text holds (recursive or exponential aliases)");
  }
  return false;
}

std::string loader::type_name(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Null: return "nothing";
    case YAML::NodeType::Scalar: return fmt::format("\"{}\"", n.Scalar());
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a mapping";
    default: return "nothing";
  }
}

bool loader::expect_map(const YAML::Node& n, std::string_view what) {
  if (n.IsMap()) return true;
  error(diag_code::wrong_type, n, fmt::format("{} must be a mapping, got {}", what, type_name(n)));
  return false;
}

bool loader::expect_seq(const YAML::Node& n, std::string_view what) {
  if (n.IsSequence()) return true;
  error(diag_code::wrong_type, n, fmt::format("{} must be a list, got {}", what, type_name(n)));
  return false;
}

std::optional<std::string> loader::expect_scalar(const YAML::Node& n, std::string_view what) {
  if (n.IsScalar()) return n.Scalar();
  error(diag_code::wrong_type, n, fmt::format("{} must be a single value, got {}", what, type_name(n)));
  return std::nullopt;
}

scalar loader::to_scalar(const YAML::Node& n) {
  scalar s;
  s.text = n.Scalar();
  s.mark = n.Mark().pos;
  s.pos = pos(n);
  s.present = true;
  return s;
}

std::optional<decimal> loader::number(const YAML::Node& n, std::string_view what, bool non_negative) {
  auto s = expect_scalar(n, what);
  if (!s) return std::nullopt;
  auto d = decimal::parse(*s);
  if (!d) {
    error(diag_code::bad_value, n, fmt::format("{} must be a number with at most 6 decimal places, got \"{}\"", what, *s));
    return std::nullopt;
  }
  if (non_negative && *d < decimal()) {
    error(diag_code::bad_value, n, fmt::format("{} must not be negative, got {}", what, *s));
    return std::nullopt;
  }
  return d;
}

std::string loader::text(const YAML::Node& n, std::string_view what) {
  if (n.IsNull()) return {};
  auto s = expect_scalar(n, what);
  return s ? *s : std::string();
}

bool loader::boolean(const YAML::Node& n, std::string_view what, bool fallback) {
  auto s = expect_scalar(n, what);
  if (!s) return fallback;
  if (*s == "true" || *s == "True" || *s == "TRUE" || *s == "yes") return true;
  if (*s == "false" || *s == "False" || *s == "FALSE" || *s == "no") return false;
  error(diag_code::bad_value, n, fmt::format("{} must be true or false, got \"{}\"", what, *s));
  return fallback;
}

bool loader::parse_document(YAML::Node& root, std::string_view what, std::string_view empty_message) {
  const std::string& src = file_->text();
  if (src.size() > max_rulebook_bytes) {
    diags_.push_back({severity::error, file_->name(), {},
                      fmt::format("{} is {} bytes; the limit is {} bytes (8 MiB)", what, src.size(), max_rulebook_bytes),
                      nullptr, diag_code::too_large});
    return false;
  }
  if (auto bad = detail::find_invalid_utf8(src); bad != std::string_view::npos) {
    error(diag_code::bad_encoding, file_->position_of(bad), fmt::format("invalid UTF-8 (a {} must be UTF-8 encoded)", what));
    return false;
  }
  if (src.find_first_not_of(" \t\r\n\xEF\xBB\xBF") == std::string::npos) {
    diags_.push_back({severity::error, file_->name(), {}, std::string(empty_message), nullptr, diag_code::bad_document});
    return false;
  }
  if (auto tab = find_indent_tab(src)) {
    error(diag_code::yaml_syntax, file_->position_of(*tab), "tab character in indentation; YAML allows only spaces there");
    return false;
  }
  if (auto deep = find_deep_flow(src, 100)) {
    error(diag_code::yaml_syntax, file_->position_of(*deep), "YAML nested deeper than 100 levels");
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
      error(diag_code::yaml_syntax, file_->position_of(at),
            fmt::format("malformed YAML: unexpected '{}'", std::string_view(src).substr(at, end - at)), file_->position_of(end));
      return false;
    }
    if (shape.nodes > max_rulebook_nodes) {
      error(diag_code::too_large, {1, 1}, fmt::format("a {} holds at most {} YAML values; this file holds more", what, max_rulebook_nodes));
      return false;
    }
    if (shape.documents > 1) {
      error(diag_code::bad_document, {1, 1}, fmt::format("a {} is one YAML document; this file holds {}", what, shape.documents));
      return false;
    }
    if (shape.documents == 1) root = YAML::Load(src);
    if (shape.documents == 0 || root.IsNull()) {
      diags_.push_back({severity::error, file_->name(), {}, std::string(empty_message), nullptr, diag_code::bad_document});
      return false;
    }
  } catch (const YAML::Exception& e) {
    std::string msg = e.msg;
    // yaml-cpp's depth guard (YAML::DeepRecursion, not in its public headers) says "bad file".
    if (std::string_view(typeid(e).name()).find("DeepRecursion") != std::string_view::npos)
      msg = "nested too deeply";
    else if (msg == "bad file" || msg.empty())
      msg = "syntax error";
    error(diag_code::yaml_syntax, e.mark.is_null() ? source_pos{1, 1} : file_->position_of(static_cast<std::size_t>(std::max(0, e.mark.pos))),
          fmt::format("malformed YAML: {}", msg));
    return false;
  } catch (const std::exception& e) {
    error(diag_code::yaml_syntax, {1, 1}, fmt::format("malformed YAML: {}", e.what()));
    return false;
  }
  return expect_map(root, fmt::format("a {}", what));
}

}  // namespace loading
}  // namespace decorum::rulebook
