// decorum/base/text.hpp — entry points: fold_text, fold_text_view, did_you_mean. Text
// utilities below every stage: SPEC §2's folding (the checker compares folded phrases, the
// matcher and the evaluators fold texts) and the typo suggestion of "did you mean".
//
// Folding trims leading and trailing white space as well as collapsing runs of it. SPEC §2 only
// says runs fold to one space; we also trim so that a record whose text carries a stray leading
// or trailing space (common in exported logs) still meets starts_with / ends_with / `in`, and so
// that a phrase written as " 不知道 " means the same as "不知道". A consequence: a phrase cannot
// demand a space at its own edge (" ok" matches exactly where "ok" does).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace decorum::detail {

/// Folds `text` for phrase matching: full-width U+FF01–U+FF5E become ASCII (except U+FF0C '，',
/// which stays a Chinese comma); ASCII letters become lower case; each run of white space
/// (Unicode's White_Space: ASCII space, \t, \n, \r, \v, \f, U+0085, U+00A0, U+1680,
/// U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000) becomes one ASCII space; white space at
/// either end is dropped. `text` is assumed to be valid UTF-8 (callers validate first); invalid
/// bytes are copied through, never read past. `out` is cleared first and reused, so a caller
/// scanning many records can keep one buffer and allocate nothing after the first.
void fold_text(std::string_view text, std::string& out);

/// Convenience form of fold_text(text, out) returning a fresh string.
std::string fold_text(std::string_view text);

/// fold_text without the copy when there is nothing to fold: returns `text` itself (same
/// data pointer) when folding would leave it unchanged — no ASCII upper case, no full-width
/// form other than '，', no white space other than single ASCII spaces
/// between visible characters — and otherwise folds into `buf` (cleared and reused as by
/// fold_text) and returns a view of `buf`. The result is only valid while both `text` and
/// `buf` are unchanged. Most Chinese utterances take the first path.
std::string_view fold_text_view(std::string_view text, std::string& buf);

/// The closest candidate to `word` when it is close enough to be a likely typo, else "".
std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace decorum::detail
