// src/api/partial.cpp — entry points: write_partial, parse_partial, merge_partials. The JSON
// form of a scorer_state: written with fmt, read back with simdjson's DOM (partials are
// small next to the logs they summarise), validated key by key so a damaged or foreign file
// is refused with a message naming the key rather than merged into a wrong report.
#include "decorum/api/partial.hpp"

#include "decorum/base/diagnostic.hpp"
#include "decorum/read/read.hpp"
#include "partial_json.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

namespace decorum {

using detail::put_decimal;
using detail::put_string;

namespace {



/// The period_key of a period label (inverse of period_label_from_key), checked by
/// printing it back: "2026-02-30" or "2026-W60" are refused, not normalised.
std::optional<std::int32_t> period_key_of_label(period_kind k, std::string_view label) {
  std::int32_t key = 0;
  auto digits = [&](std::size_t at, std::size_t n) -> int {
    if (label.size() < at + n) return -1;
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (label[i] < '0' || label[i] > '9') return -1;
      v = v * 10 + (label[i] - '0');
    }
    return v;
  };
  const int year = k == period_kind::all ? 0 : digits(0, 4);
  if (year < 0) return std::nullopt;
  switch (k) {
    case period_kind::day: {
      const int m = digits(5, 2), d = digits(8, 2);
      if (m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
      key = static_cast<std::int32_t>(days_from_civil(year, static_cast<unsigned>(m), static_cast<unsigned>(d)));
      break;
    }
    case period_kind::week: {
      // Week 53 exists only in some years: the week's Monday must lie in that ISO week.
      const int w = digits(6, 2);
      if (w < 1 || w > 53) return std::nullopt;
      key = year * 100 + w;
      if (!(iso_week_of(period_start_day(k, key)) == iso_week{year, static_cast<unsigned>(w)})) return std::nullopt;
      break;
    }
    case period_kind::month: key = year * 12 + digits(5, 2) - 1; break;
    case period_kind::quarter: key = year * 4 + digits(6, 1) - 1; break;
    case period_kind::year: key = year; break;
    case period_kind::all: key = 0; break;
  }
  if (period_label_from_key(k, key) != label) return std::nullopt;
  return key;
}

std::optional<period_kind> period_of_word(std::string_view w) { return parse_period_kind(w); }


}  // namespace

std::string rulebook_digest(const rule_set& rules) { return "sha256:" + rules.sha256(); }

std::string write_partial(const scorer_state& st, const rule_set& rules, bool findings_kept,
                          const std::vector<std::string>& encodings) {
  std::string out;
  out.reserve(256 + st.tallies.size() * 160 + st.findings.size() * 200 + st.ids.size() * 40);
  out += fmt::format("{{\"decorum_partial\":{},\n\"rulebook\":{{\"name\":", partial_format_version);
  put_string(out, st.rulebook);
  out += fmt::format(",\"rules\":{},\"digest\":\"{}\"}},\n\"period\":\"{}\",\n\"findings_kept\":{},\n", rules.distinct_rules(),
                     rulebook_digest(rules), to_string(st.period), findings_kept ? "true" : "false");
  out += fmt::format("\"input\":{{\"records\":{},\"scored\":{},\"rejected\":{}}},\n\"sources\":[", st.read, st.scored,
                     st.rejected);
  for (std::size_t i = 0; i < st.sources.size(); ++i) {
    if (i) out += ',';
    put_string(out, st.sources[i]);
  }
  if (!encodings.empty()) {
    out += "],\n\"encodings\":[";
    for (std::size_t i = 0; i < encodings.size(); ++i) {
      if (i) out += ',';
      put_string(out, encodings[i]);
    }
  }
  out += "],\n\"tallies\":[";
  for (std::size_t i = 0; i < st.tallies.size(); ++i) {
    const auto& t = st.tallies[i];
    out += i ? ",\n" : "\n";
    out += "{\"employee\":";
    put_string(out, t.employee);
    out += ",\"period\":";
    put_string(out, period_label_from_key(st.period, t.period_key));
    out += ",\"name\":";
    if (t.has_name) {
      out += "{\"text\":";
      put_string(out, t.name);
      out += fmt::format(",\"time\":\"{}\",\"source\":{},\"line\":{}}}", format_time(timestamp{t.name_time, 0, false, false}),
                         t.name_source, t.name_line);
    } else {
      out += "null";
    }
    out += ",\"rules\":[";
    for (std::size_t j = 0; j < t.rules.size(); ++j) {
      const auto& r = t.rules[j];
      if (j) out += ',';
      out += "{\"id\":";
      put_string(out, r.rule);
      out += fmt::format(",\"count\":{},\"findings\":{},\"points\":", r.count, r.findings);
      put_decimal(out, r.points);
      out += ",\"fines\":";
      put_decimal(out, r.fines);
      out += '}';
    }
    out += "]}";
  }
  out += "],\n\"findings\":[";
  for (std::size_t i = 0; i < st.findings.size(); ++i) {
    const auto& f = st.findings[i];
    out += i ? ",\n" : "\n";
    out += fmt::format("{{\"tally\":{},\"rule\":", f.tally);
    put_string(out, f.rule);
    out += fmt::format(",\"source\":{},\"line\":{},\"occurrences\":{},\"time\":\"{}\",", f.source, f.line,
                       f.occurrences, format_time(f.time));
    detail::put_priced(out, f.points, f.fine, f.matched);
  }
  out += "],\n\"ids\":[";
  for (std::size_t i = 0; i < st.ids.size(); ++i) {
    const auto& d = st.ids[i];
    out += i ? ",\n" : "\n";
    out += "{\"id\":";
    put_string(out, d.id);
    out += fmt::format(",\"source\":{},\"line\":{}}}", d.source, d.line);
  }
  out += "],\n\"rejected\":[";
  for (std::size_t i = 0; i < st.rejections.size(); ++i) {
    const auto& r = st.rejections[i];
    out += i ? ",\n" : "\n";
    out += "{\"source\":";
    put_string(out, st.sources.at(r.source));
    out += fmt::format(",\"line\":{},\"error\":", r.line);
    put_string(out, r.reason);
    out += '}';
  }
  out += ']';
  detail::write_across(out, st);
  out += "}\n";
  return out;
}

result<partial_result> parse_partial(std::string_view json, std::string_view name) {
  auto fail = [&](std::string message) { return make_error(std::move(message), std::string(name)); };
  try {
    simdjson::dom::parser parser;
    simdjson::padded_string padded(json.data(), json.size());
    simdjson::dom::element doc;
    if (auto e = parser.parse(padded).get(doc); e != simdjson::SUCCESS) {
      return fail(fmt::format("not a decorum partial result: invalid JSON ({})", simdjson::error_message(e)));
    }
    detail::partial_reader rd;
    partial_result out;
    scorer_state& st = out.state;
    simdjson::dom::object top;
    simdjson::dom::element e;
    std::uint64_t version = 0;
    if (doc.get_object().get(top) != simdjson::SUCCESS || top["decorum_partial"].get(e) != simdjson::SUCCESS ||
        e.get_uint64().get(version) != simdjson::SUCCESS) {
      return fail("not a decorum partial result (no \"decorum_partial\" version)");
    }
    if (version != partial_format_version) {
      return fail(fmt::format("partial result format {} is not supported (this decorum reads format {})", version,
                              partial_format_version));
    }
    auto done = [&]() -> result<partial_result> { return fail(rd.error); };

    simdjson::dom::object rb;
    std::uint64_t rules = 0;
    if (!rd.field(top, "", "rulebook", e) || !rd.object(e, "rulebook", rb) || !rd.field(rb, "rulebook", "name", e) ||
        !rd.text(e, "rulebook.name", st.rulebook) || !rd.field(rb, "rulebook", "rules", e) ||
        !rd.count(e, "rulebook.rules", rules) || !rd.field(rb, "rulebook", "digest", e) ||
        !rd.text(e, "rulebook.digest", out.rulebook_digest))
      return done();
    out.rule_count = static_cast<std::size_t>(rules);

    std::string word;
    if (!rd.field(top, "", "period", e) || !rd.text(e, "period", word)) return done();
    auto pk = period_of_word(word);
    if (!pk) {
      rd.fail("period", fmt::format("\"{}\" is not day, week, month, quarter, year or all", detail::clipped(word)));
      return done();
    }
    st.period = *pk;
    if (!rd.field(top, "", "findings_kept", e)) return done();
    if (e.get_bool().get(out.findings_kept) != simdjson::SUCCESS) {
      rd.fail("findings_kept", "expected true or false");
      return done();
    }

    simdjson::dom::object input;
    if (!rd.field(top, "", "input", e) || !rd.object(e, "input", input) || !rd.field(input, "input", "records", e) ||
        !rd.count(e, "input.records", st.read) || !rd.field(input, "input", "scored", e) ||
        !rd.count(e, "input.scored", st.scored) || !rd.field(input, "input", "rejected", e) ||
        !rd.count(e, "input.rejected", st.rejected))
      return done();
    if (st.read != st.scored + st.rejected) {
      rd.fail("input", "records is not scored + rejected");
      return done();
    }

    simdjson::dom::array arr;
    if (!rd.field(top, "", "sources", e) || !rd.array(e, "sources", arr)) return done();
    for (simdjson::dom::element s : arr) {
      st.sources.emplace_back();
      if (!rd.text(s, fmt::format("sources[{}]", st.sources.size() - 1), st.sources.back())) return done();
    }
    const std::size_t nsources = st.sources.size();
    // Optional (issue 16): partials written before it, or by the C API, do not carry them.
    if (top["encodings"].get(e) == simdjson::SUCCESS) {
      if (!rd.array(e, "encodings", arr)) return done();
      for (simdjson::dom::element s : arr) {
        out.encodings.emplace_back();
        if (!rd.text(s, fmt::format("encodings[{}]", out.encodings.size() - 1), out.encodings.back())) return done();
      }
      if (out.encodings.size() != nsources) {
        rd.fail("encodings", "expected one per source");
        return done();
      }
    }

    using object = simdjson::dom::object;
    const auto tally = [&](object o, const std::string& path, scorer_state::tally_part& t) {
      std::string label;
      if (!rd.text_at(o, path, "employee", t.employee) || !rd.text_at(o, path, "period", label)) return false;
      auto key = period_key_of_label(st.period, label);
      if (!key)
        return rd.fail(path + ".period", fmt::format("\"{}\" is not a {} period", detail::clipped(label), to_string(st.period)));
      t.period_key = *key;
      if (!rd.field(o, path, "name", e)) return false;
      if (!e.is_null()) {
        object no;
        timestamp when;
        const std::string at = path + ".name";
        if (!rd.object(e, at, no) || !rd.text_at(no, at, "text", t.name) || !rd.time_at(no, at, "time", when) ||
            !rd.index_at(no, at, "source", t.name_source, nsources) || !rd.count_at(no, at, "line", t.name_line))
          return false;
        t.has_name = true;
        t.name_time = when.local_seconds;
      }
      return rd.each(o, path, "rules", t.rules, [&](object ro, const std::string& rpath, scorer_state::rule_part& r) {
        return rd.text_at(ro, rpath, "id", r.rule) && rd.count_at(ro, rpath, "count", r.count) &&
               rd.count_at(ro, rpath, "findings", r.findings) && rd.number_at(ro, rpath, "points", r.points) &&
               rd.number_at(ro, rpath, "fines", r.fines);
      });
    };
    if (!rd.each(top, "", "tallies", st.tallies, tally)) return done();
    const std::size_t ntallies = st.tallies.size();

    const auto finding = [&](object o, const std::string& path, scorer_state::finding_part& f) {
      return rd.index_at(o, path, "tally", f.tally, ntallies) && rd.text_at(o, path, "rule", f.rule) &&
             rd.index_at(o, path, "source", f.source, nsources) && rd.count_at(o, path, "line", f.line) &&
             rd.count_at(o, path, "occurrences", f.occurrences) && rd.time_at(o, path, "time", f.time) &&
             rd.number_at(o, path, "points", f.points) && rd.number_at(o, path, "fine", f.fine) &&
             rd.text_at(o, path, "matched", f.matched);
    };
    const auto id = [&](object o, const std::string& path, scorer_state::id_part& d) {
      return rd.text_at(o, path, "id", d.id) && rd.index_at(o, path, "source", d.source, nsources) &&
             rd.count_at(o, path, "line", d.line);
    };
    const auto rejected = [&](object o, const std::string& path, rejection& r) {
      std::string source;
      if (!rd.text_at(o, path, "source", source) || !rd.count_at(o, path, "line", r.line) ||
          !rd.text_at(o, path, "error", r.reason))
        return false;
      // Written as the input's name (readable, and stable across format versions); every
      // rejected record comes from a listed input.
      const auto at = std::find(st.sources.begin(), st.sources.end(), source);
      if (at == st.sources.end())
        return rd.fail(path + ".source", fmt::format("\"{}\" is not listed in sources", detail::clipped(source)));
      r.source = static_cast<std::uint32_t>(at - st.sources.begin());
      return true;
    };
    if (!rd.each(top, "", "findings", st.findings, finding) || !rd.each(top, "", "ids", st.ids, id) ||
        !rd.each(top, "", "rejected", st.rejections, rejected))
      return done();
    if (st.rejections.size() != st.rejected) {
      rd.fail("rejected", fmt::format("lists {} records but input.rejected is {}", st.rejections.size(), st.rejected));
      return done();
    }
    if (!detail::read_across(rd, top, st)) return done();
    return out;
  } catch (const std::bad_alloc&) {
    return fail("out of memory reading a partial result");
  }
}

result<partial_result> read_partial_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("cannot read", path);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in.good() && !in.eof()) return make_error("cannot read", path);
  return parse_partial(text.str(), path);
}

merge_outcome merge_partials(std::shared_ptr<const rule_set> rules, const std::vector<partial_result>& parts,
                             const std::vector<std::string>& names, std::optional<timestamp> as_of) {
  merge_outcome out;
  auto name_of = [&](std::size_t i) { return i < names.size() ? names[i] : fmt::format("partial #{}", i + 1); };
  if (parts.empty()) {
    out.error = "no partial results to merge";
    return out;
  }
  score_options opts;
  opts.period = parts.front().state.period;
  opts.as_of = as_of;
  opts.keep_findings = std::all_of(parts.begin(), parts.end(), [](const partial_result& p) { return p.findings_kept; });
  if (!opts.keep_findings && std::any_of(parts.begin(), parts.end(), [](const partial_result& p) { return p.findings_kept; }))
    out.warnings.push_back("findings are left out: not every partial was scored with --findings");
  scorer s(rules, opts);

  // One batch run numbers its inputs in name order; registering the union that way first
  // means nothing in the merged scorer depends on the order the partials were given in.
  std::map<std::string, std::size_t> first_part;
  for (std::size_t i = 0; i < parts.size(); ++i)
    for (const auto& src : parts[i].state.sources) {
      auto [it, inserted] = first_part.emplace(src, i);
      if (!inserted && it->second != i)
        out.warnings.push_back(fmt::format("input '{}' appears in {} and {}: was it scored twice?", src,
                                           name_of(it->second), name_of(i)));
    }
  for (const auto& [src, i] : first_part) {
    s.add_source(src);
    const auto& ps = parts[i].state.sources;
    const std::size_t at = static_cast<std::size_t>(std::find(ps.begin(), ps.end(), src) - ps.begin());
    out.encodings.push_back(at < parts[i].encodings.size() ? parts[i].encodings[at] : std::string());
  }

  // SPEC §9: a report names the rules that produced it, so partials of another rulebook text
  // (even one of the same name) are refused, before anything is merged.
  const std::string digest = rulebook_digest(*rules);
  for (std::size_t i = 0; i < parts.size(); ++i)
    if (parts[i].rulebook_digest != digest) {
      out.error = fmt::format("{}: made by another rulebook ({}), not by {} ({}); merge partials with the rulebook that scored them",
                              name_of(i), parts[i].rulebook_digest, rules->file(), digest);
      return out;
    }
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const partial_result& p = parts[i];
    auto dups = s.import_state(p.state);
    if (!dups) {
      out.error = fmt::format("{}: {}", name_of(i), dups.error().message);
      return out;
    }
    out.duplicate_ids += *dups;
  }
  out.merged.emplace(std::move(s));
  return out;
}

}  // namespace decorum
