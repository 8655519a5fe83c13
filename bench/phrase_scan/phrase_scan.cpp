// bench/phrase_scan/phrase_scan.cpp — entry point: main (decorum_bench_phrase_scan). Times
// the phrase-matching share of scoring in isolation: folding each utterance's `text` and
// walking it once with the combined matcher the rulebook compiles for (utterance, text).
//
//   decorum_bench_phrase_scan FILE.jsonl [RULEBOOK.yaml]
//
// The rulebook defaults to bench/rules/bench.yaml (the path baked in at build time). Texts
// are extracted with simdjson before timing, so only fold + scan_each is measured. Each
// phase runs several times and the best is reported; a checksum of every phrase_scan must
// be the same in every repetition, or the run fails.
#include "decorum/compile/compile.hpp"
#include "decorum/compile/phrase_set.hpp"

#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#ifndef DECORUM_BENCH_RULEBOOK
#define DECORUM_BENCH_RULEBOOK "bench/rules/bench.yaml"
#endif

namespace {

namespace od = simdjson::ondemand;
using decorum::detail::phrase_scan;
using decorum::detail::phrase_set;

/// Texts laid end to end in one buffer, in file order: read in sequence, as decorum reads
/// records, rather than scattered over the heap, where a cache miss per text would swamp
/// the few hundred instructions being measured.
struct text_arena {
  std::string bytes;
  std::vector<std::pair<std::size_t, std::size_t>> spans;  // offset, size
  void add(std::string_view t) {
    spans.emplace_back(bytes.size(), t.size());
    bytes.append(t);
  }
  std::vector<std::string_view> views() const {
    std::vector<std::string_view> v;
    for (const auto& [off, size] : spans) v.emplace_back(bytes.data() + off, size);
    return v;
  }
};

/// The `text` of every utterance record, unescaped, in file order.
text_arena utterance_texts(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    std::exit(2);
  }
  const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  text_arena texts;
  od::parser parser;
  std::size_t pos = 0;
  while (pos < data.size()) {
    std::size_t eol = data.find('\n', pos);
    if (eol == std::string::npos) eol = data.size();
    const std::string_view line(data.data() + pos, eol - pos);
    pos = eol + 1;
    // Cheap pre-filter: only utterances are parsed; their key order is not relied upon.
    if (line.find("\"utterance\"") == std::string_view::npos) continue;
    const simdjson::padded_string padded(line);
    od::document doc;
    if (parser.iterate(padded).get(doc)) continue;
    std::string_view kind, text;
    if (doc["kind"].get_string().get(kind) || kind != "utterance") continue;
    if (doc["text"].get_string().get(text)) continue;
    texts.add(text);
  }
  return texts;
}

/// Folds into every field of every result, so no part of a scan can be skipped unseen.
std::uint64_t mix(std::uint64_t h, const phrase_scan& r) {
  const std::uint64_t v = (std::uint64_t{r.contains} | std::uint64_t{r.starts_with} << 1 |
                           std::uint64_t{r.ends_with} << 2 | std::uint64_t{r.equals} << 3) ^
                          (std::uint64_t{r.count} << 4) ^ (static_cast<std::uint64_t>(r.first + 1) << 24);
  return (h ^ v) * 0x100000001B3ull;
}

struct timing {
  double best_ns = 1e300;
  std::uint64_t checksum = 0;
};

/// Runs `pass` `reps` times; returns the best time and the checksum, which must not change.
template <class Pass>
timing best_of(int reps, Pass pass) {
  timing t;
  for (int rep = 0; rep < reps; ++rep) {
    const auto start = std::chrono::steady_clock::now();
    const std::uint64_t sum = pass();
    const double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
    if (rep > 0 && sum != t.checksum) {
      std::fprintf(stderr, "checksum changed between repetitions: %llx vs %llx\n",
                   static_cast<unsigned long long>(t.checksum), static_cast<unsigned long long>(sum));
      std::exit(1);
    }
    t.checksum = sum;
    t.best_ns = std::min(t.best_ns, ns);
  }
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 4) {
    std::fprintf(stderr, "usage: decorum_bench_phrase_scan FILE.jsonl [RULEBOOK.yaml] [REPS]\n");
    return 2;
  }
  const std::string rulebook = argc >= 3 ? argv[2] : DECORUM_BENCH_RULEBOOK;
  const int reps = argc >= 4 ? std::max(1, std::atoi(argv[3])) : 7;

  std::vector<decorum::diagnostic> diags;
  const auto rules = decorum::compile_rulebook_file(rulebook, diags);
  if (!rules) {
    for (const auto& d : diags) std::fprintf(stderr, "%s: %s\n", d.file.c_str(), d.message.c_str());
    return 2;
  }
  const int kind = rules->schema().find_kind("utterance");
  const auto* field = kind >= 0 ? rules->schema().kinds()[static_cast<std::size_t>(kind)].find("text") : nullptr;
  const std::int32_t c = field ? rules->combined_for(kind, field->slot) : -1;
  if (c < 0) {
    std::fprintf(stderr, "%s: no combined matcher for utterance.text\n", rulebook.c_str());
    return 2;
  }
  const phrase_set& matcher = rules->combined(c);
  const std::size_t sets = rules->combined_sets(c).size();

  const text_arena arena = utterance_texts(argv[1]);
  const std::vector<std::string_view> texts = arena.views();
  if (texts.empty()) {
    std::fprintf(stderr, "%s: no utterance texts\n", argv[1]);
    return 2;
  }
  std::size_t bytes = 0;
  for (const auto& t : texts) bytes += t.size();

  std::string buf;
  std::vector<phrase_scan> out(sets);
  // Pre-folded copies, so scan_each can be timed alone.
  text_arena folded_arena;
  for (const auto& t : texts) {
    decorum::detail::fold_text(t, buf);
    folded_arena.add(buf);
  }
  const std::vector<std::string_view> folded = folded_arena.views();

  const timing fold = best_of(reps, [&] {
    std::uint64_t h = 0;
    for (const auto& t : texts) {
      const std::string_view v = decorum::detail::fold_text_view(t, buf);
      h = (h ^ v.size() ^ static_cast<unsigned char>(v.empty() ? 0 : v.back())) * 0x100000001B3ull;
    }
    return h;
  });
  // The copying form, for comparison with the view.
  const timing fold_copy = best_of(reps, [&] {
    std::uint64_t h = 0;
    for (const auto& t : texts) {
      decorum::detail::fold_text(t, buf);
      h = (h ^ buf.size() ^ static_cast<unsigned char>(buf.empty() ? 0 : buf.back())) * 0x100000001B3ull;
    }
    return h;
  });
  if (fold_copy.checksum != fold.checksum) {
    std::fprintf(stderr, "fold_text and fold_text_view disagree\n");
    return 1;
  }
  std::size_t unchanged = 0;
  for (const auto& t : texts) unchanged += decorum::detail::fold_text_view(t, buf).data() == t.data();
  const timing scan = best_of(reps, [&] {
    std::uint64_t h = 0;
    for (const auto& f : folded) {
      matcher.scan_each(f, out.data());
      for (const auto& r : out) h = mix(h, r);
    }
    return h;
  });
  const timing both = best_of(reps, [&] {
    std::uint64_t h = 0;
    for (const auto& t : texts) {
      const std::string_view v = decorum::detail::fold_text_view(t, buf);
      matcher.scan_each(v, out.data());
      for (const auto& r : out) h = mix(h, r);
    }
    return h;
  });
  if (both.checksum != scan.checksum) {
    std::fprintf(stderr, "fold+scan and scan of pre-folded texts disagree\n");
    return 1;
  }

  const double n = static_cast<double>(texts.size());
  std::printf("texts %zu  bytes %zu  sets %zu  reps %d\n", texts.size(), bytes, sets, reps);
  std::printf("texts folding leaves unchanged: %zu (%.1f%%)\n", unchanged, 100.0 * static_cast<double>(unchanged) / n);
  std::printf("fold_text  %7.1f ns/text\n", fold_copy.best_ns / n);
  std::printf("fold_view  %7.1f ns/text\n", fold.best_ns / n);
  std::printf("scan_each  %7.1f ns/text\n", scan.best_ns / n);
  std::printf("fold+scan  %7.1f ns/text  checksum %016llx\n", both.best_ns / n,
              static_cast<unsigned long long>(both.checksum));
  return 0;
}
