// decorum/rulebook/format.hpp — entry point: `format_rulebook`. The canonical layout of a
// rulebook or test file (`decorum fmt`): keys in SPEC order, two spaces per level, short
// phrase sets as flow lists, and every comment kept. It rearranges the author's own lines
// rather than printing the YAML anew (yaml-cpp drops comments when it parses), and checks
// that the result means exactly what the input meant before handing it back.
#pragma once

#include "decorum/base/diagnostic.hpp"
#include "decorum/base/result.hpp"

#include <string>
#include <vector>

namespace decorum {

/// The canonical layout of rulebook (or test file, SPEC §7) `text`, named `name` in
/// diagnostics. Keys go in SPEC order (top level, `scoring`, each rule, grade, long-hand field,
/// `effective` and test), block mappings and sequences are indented two spaces per level, a
/// phrase set written as a block list becomes a flow list when it fits in 100 columns, runs of
/// blank lines become one and the file ends with one line break. Comments move with the key
/// or list item that follows them; a comment after a value stays on its line; the comments
/// that open the file, up to its last blank line before the first key, stay first. Mapping order inside `records`, list order and every value's text
/// are kept as written. Idempotent: formatting the result gives it back unchanged.
///
/// Fails, leaving the text to the caller untouched, with the loader's errors when the file
/// does not load (fmt lays out only what `decorum check` can read), or with one error when
/// the new layout would not load to the same YAML tree (a construct the line-based layout
/// cannot move safely; the file is then best left as it is).
result<std::string, std::vector<diagnostic>> format_rulebook(const std::string& name, const std::string& text);

}  // namespace decorum
