// tests/fuzz/fuzz_appeals.cpp — libFuzzer target: the appeals reader (SPEC §10). The first
// byte picks JSON Lines or CSV, the rest is the file. Checks: every diagnostic is located
// inside the file; each appeal read is well-formed again when re-checked; when the appeals
// resolve, a fixed log scored with them keeps its invariants (records = scored + rejected,
// applied = voided + upheld, applied + unmatched = appeals, tallies' voided sum = voided
// findings of the audit trail), and -j1 equals two scorers merged.
#include "fuzz_common.hpp"

#include "decorum/read/appeals.hpp"
#include "decorum/tally/appeals.hpp"

namespace {

constexpr const char* rulebook_text = R"(decorum: 1
name: fuzz-appeals
records:
  call: {rings: int}
  shift: {}
  complaint: {ticket: text}
  closed: {ticket: text}
rules:
  - {id: rings, on: call, when: rings > 3, deduct: [10, 20, 30], cap: 50, flag: slow}
  - {id: patrol, on: shift, per: day, when: count() < 2, deduct: 5}
  - {id: close, on: complaint, until: closed, match: ticket, within: 2h, deduct: 7}
)";

constexpr const char* log_lines[] = {
    R"({"id":"c1","time":"2026-11-02T09:00","employee":"E1","kind":"call","rings":5})",
    R"({"id":"c2","time":"2026-11-03T09:00","employee":"E1","kind":"call","rings":6})",
    R"({"id":"c3","time":"2026-11-04T09:00","employee":"E1","kind":"call","rings":4})",
    R"({"id":"s1","time":"2026-11-04T08:00","employee":"E2","kind":"shift"})",
    R"({"id":"k1","time":"2026-11-05T09:00","employee":"E2","kind":"complaint","ticket":"T"})",
    R"({"id":"k2","time":"2026-11-06T09:00","employee":"E1","kind":"closed","ticket":"T"})",
};

decorum::score_report run(const std::shared_ptr<const decorum::rule_set>& rules,
                          const std::shared_ptr<const decorum::appeal_set>& appeals, unsigned split) {
  decorum::score_options opts;
  opts.keep_findings = true;
  opts.appeals = appeals;
  decorum::scorer a(rules, opts), b(rules, opts);
  const std::uint32_t sa = a.add_source("log.jsonl"), sb = b.add_source("log.jsonl");
  decorum::jsonl_reader reader(rules->schema());
  std::uint64_t line = 0;
  for (const char* l : log_lines) {
    ++line;
    decorum::scorer& s = line <= split ? a : b;
    fuzz::scorer_sink sink(s);
    reader.read(l, line <= split ? sa : sb, sink, line);
  }
  a.merge(std::move(b));
  return a.report();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto format = (data[0] & 1) ? decorum::input_format::csv : decorum::input_format::jsonl;
  std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::size_t lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  decorum::appeals_read read = decorum::parse_appeals("a.appeals", text, format);
  for (const auto& d : read.errors) {
    FUZZ_CHECK(!d.message.empty(), "an appeals diagnostic without a message");
    FUZZ_CHECK(d.pos.line >= 1 && d.pos.line <= lines, "an appeals diagnostic outside the file");
    (void)decorum::format_diagnostic(d);
  }
  for (auto a : read.appeals) {
    FUZZ_CHECK(a.line >= 1 && a.line <= lines, "an appeal's line outside the file");
    const bool is_void = a.decision == decorum::appeal_decision::void_finding;
    FUZZ_CHECK(decorum::complete_appeal(a, is_void ? "void" : "upheld", true).empty(), "an accepted appeal is malformed");
  }
  if (!read.ok()) return 0;
  static const auto rules = [] {
    std::vector<decorum::diagnostic> diags;
    auto r = decorum::compile_rulebook("fuzz-appeals.yaml", rulebook_text, diags);
    if (!r) fuzz::fail("the fixed appeals rulebook does not compile");
    return r;
  }();
  const std::size_t given = read.appeals.size();
  auto set = decorum::appeal_set::make(*rules, std::move(read.appeals));
  if (!set) {
    for (const auto& d : set.error()) FUZZ_CHECK(d.pos.line >= 1 && d.pos.line <= lines, "a duplicate appeal outside the file");
    return 0;
  }
  const decorum::score_report one = run(rules, *set, 6);
  const decorum::score_report split = run(rules, *set, 2);
  FUZZ_CHECK(one.records == one.scored + one.rejected, "records != scored + rejected");
  const auto& ap = one.appeals;
  FUZZ_CHECK(ap.applied == ap.voided + ap.upheld, "applied != voided + upheld");
  FUZZ_CHECK(ap.applied + ap.unmatched.size() == given, "an appeal neither applied nor unmatched");
  std::uint64_t voided_tallies = 0, voided_findings = 0;
  for (const auto& t : one.tallies) voided_tallies += t.voided;
  for (const auto& f : one.findings)
    if (f.appeal && f.appeal->decision == decorum::appeal_decision::void_finding) {
      ++voided_findings;
      FUZZ_CHECK(f.points == decorum::decimal() && f.fine == decorum::decimal(), "a voided finding with points");
    }
  FUZZ_CHECK(voided_tallies == voided_findings && voided_findings == ap.voided, "voided counts disagree");
  const std::string a = decorum::write_json(one, true), b = decorum::write_json(split, true);
  if (a != b) fuzz::fail("appeals: one scorer and two merged differ", a, b);
  return 0;
}
