// src/api/partial_across.cpp — entry points: detail::write_across, detail::read_across. The
// `"across"` section of a partial result (format 2): window accumulators, open duties,
// possible discharges, employees' first record times and the latest record time of SPEC §8,
// so `merge` settles windows and duties whose records lie in different shards.
#include "partial_json.hpp"

namespace decorum::detail {

void write_across(std::string& out, const scorer_state& st) {
  out += ",\n\"across\":{\"windows\":[";
  for (std::size_t i = 0; i < st.windows.size(); ++i) {
    const auto& w = st.windows[i];
    out += i ? ",\n" : "\n";
    out += "{\"rule\":";
    put_string(out, w.rule);
    out += ",\"employee\":";
    put_string(out, w.employee);
    out += fmt::format(",\"key\":{},\"active\":{},\"count\":{},\"first\":", w.key, w.active ? "true" : "false", w.count);
    if (w.has_first) out += fmt::format("{{\"time\":{},\"source\":{},\"line\":{}}}", w.first_time, w.first_source, w.first_line);
    else out += "null";
    out += ",\"aggregates\":[";
    for (std::size_t j = 0; j < w.aggregates.size(); ++j) {
      const auto& g = w.aggregates[j];
      out += fmt::format("{}{{\"n\":{},\"a\":{},\"b\":{}}}", j ? "," : "", g.n, g.a, g.b);
    }
    out += "]}";
  }
  out += "],\n\"duties\":[";
  for (std::size_t i = 0; i < st.duties.size(); ++i) {
    const auto& d = st.duties[i];
    out += i ? ",\n" : "\n";
    out += fmt::format("{{\"tally\":{},\"rule\":", d.tally);
    put_string(out, d.rule);
    out += fmt::format(",\"source\":{},\"line\":{},\"time\":\"{}\",\"due\":{},\"match\":", d.source, d.line, format_time(d.time),
                       d.due);
    put_string(out, d.match);
    out += fmt::format(",\"occurrences\":{},\"points\":", d.occurrences);
    put_decimal(out, d.points);
    out += ",\"fine\":";
    put_decimal(out, d.fine);
    out += ",\"matched\":";
    put_string(out, d.matched);
    out += '}';
  }
  out += "],\n\"discharges\":[";
  for (std::size_t i = 0; i < st.discharges.size(); ++i) {
    const auto& x = st.discharges[i];
    out += i ? ",\n" : "\n";
    out += "{\"rule\":";
    put_string(out, x.rule);
    out += ",\"match\":";
    put_string(out, x.match);
    out += fmt::format(",\"time\":{},\"source\":{},\"line\":{}}}", x.time, x.source, x.line);
  }
  out += "],\n\"firsts\":[";
  for (std::size_t i = 0; i < st.firsts.size(); ++i) {
    out += i ? "," : "";
    out += "{\"employee\":";
    put_string(out, st.firsts[i].employee);
    out += fmt::format(",\"time\":{}}}", st.firsts[i].time);
  }
  out += "],\n\"latest\":";
  out += st.has_latest ? std::to_string(st.latest) : std::string("null");
  out += '}';
}

bool read_across(partial_reader& rd, simdjson::dom::object top, scorer_state& st) {
  simdjson::dom::element e, x;
  simdjson::dom::object across;
  simdjson::dom::array arr, aggs;
  const std::size_t nsources = st.sources.size();
  if (!rd.field(top, "", "across", e) || !rd.object(e, "across", across)) return false;

  if (!rd.field(across, "across", "windows", e) || !rd.array(e, "across.windows", arr)) return false;
  for (simdjson::dom::element we : arr) {
    const std::string path = fmt::format("across.windows[{}]", st.windows.size());
    auto& w = st.windows.emplace_back();
    simdjson::dom::object o, first;
    std::int64_t key = 0;
    if (!rd.object(we, path, o) || !rd.field(o, path, "rule", e) || !rd.text(e, path + ".rule", w.rule) ||
        !rd.field(o, path, "employee", e) || !rd.text(e, path + ".employee", w.employee) || !rd.field(o, path, "key", e) ||
        !rd.integer(e, path + ".key", key) || !rd.field(o, path, "active", e) || !rd.flag(e, path + ".active", w.active) ||
        !rd.field(o, path, "count", e) || !rd.count(e, path + ".count", w.count) || !rd.field(o, path, "first", e))
      return false;
    w.key = static_cast<std::int32_t>(key);
    if (!e.is_null()) {
      w.has_first = true;
      if (!rd.object(e, path + ".first", first) || !rd.field(first, path + ".first", "time", x) ||
          !rd.integer(x, path + ".first.time", w.first_time) || !rd.field(first, path + ".first", "source", x) ||
          !rd.index(x, path + ".first.source", w.first_source, nsources) || !rd.field(first, path + ".first", "line", x) ||
          !rd.count(x, path + ".first.line", w.first_line))
        return false;
    }
    if (!rd.field(o, path, "aggregates", e) || !rd.array(e, path + ".aggregates", aggs)) return false;
    for (simdjson::dom::element ge : aggs) {
      const std::string gpath = fmt::format("{}.aggregates[{}]", path, w.aggregates.size());
      auto& g = w.aggregates.emplace_back();
      simdjson::dom::object go;
      if (!rd.object(ge, gpath, go) || !rd.field(go, gpath, "n", x) || !rd.count(x, gpath + ".n", g.n) ||
          !rd.field(go, gpath, "a", x) || !rd.integer(x, gpath + ".a", g.a) || !rd.field(go, gpath, "b", x) ||
          !rd.integer(x, gpath + ".b", g.b))
        return false;
    }
  }

  if (!rd.field(across, "across", "duties", e) || !rd.array(e, "across.duties", arr)) return false;
  for (simdjson::dom::element de : arr) {
    const std::string path = fmt::format("across.duties[{}]", st.duties.size());
    auto& d = st.duties.emplace_back();
    simdjson::dom::object o;
    if (!rd.object(de, path, o) || !rd.field(o, path, "tally", e) || !rd.index(e, path + ".tally", d.tally, st.tallies.size()) ||
        !rd.field(o, path, "rule", e) || !rd.text(e, path + ".rule", d.rule) || !rd.field(o, path, "source", e) ||
        !rd.index(e, path + ".source", d.source, nsources) || !rd.field(o, path, "line", e) ||
        !rd.count(e, path + ".line", d.line) || !rd.field(o, path, "time", e) || !rd.time(e, path + ".time", d.time) ||
        !rd.field(o, path, "due", e) || !rd.integer(e, path + ".due", d.due) || !rd.field(o, path, "match", e) ||
        !rd.text(e, path + ".match", d.match) || !rd.field(o, path, "occurrences", e) ||
        !rd.count(e, path + ".occurrences", d.occurrences) || !rd.field(o, path, "points", e) ||
        !rd.number(e, path + ".points", d.points) || !rd.field(o, path, "fine", e) || !rd.number(e, path + ".fine", d.fine) ||
        !rd.field(o, path, "matched", e) || !rd.text(e, path + ".matched", d.matched))
      return false;
  }

  if (!rd.field(across, "across", "discharges", e) || !rd.array(e, "across.discharges", arr)) return false;
  for (simdjson::dom::element xe : arr) {
    const std::string path = fmt::format("across.discharges[{}]", st.discharges.size());
    auto& d = st.discharges.emplace_back();
    simdjson::dom::object o;
    if (!rd.object(xe, path, o) || !rd.field(o, path, "rule", e) || !rd.text(e, path + ".rule", d.rule) ||
        !rd.field(o, path, "match", e) || !rd.text(e, path + ".match", d.match) || !rd.field(o, path, "time", e) ||
        !rd.integer(e, path + ".time", d.time) || !rd.field(o, path, "source", e) ||
        !rd.index(e, path + ".source", d.source, nsources) || !rd.field(o, path, "line", e) ||
        !rd.count(e, path + ".line", d.line))
      return false;
  }

  if (!rd.field(across, "across", "firsts", e) || !rd.array(e, "across.firsts", arr)) return false;
  for (simdjson::dom::element fe : arr) {
    const std::string path = fmt::format("across.firsts[{}]", st.firsts.size());
    auto& f = st.firsts.emplace_back();
    simdjson::dom::object o;
    if (!rd.object(fe, path, o) || !rd.field(o, path, "employee", e) || !rd.text(e, path + ".employee", f.employee) ||
        !rd.field(o, path, "time", e) || !rd.integer(e, path + ".time", f.time))
      return false;
  }
  if (!rd.field(across, "across", "latest", e)) return false;
  st.has_latest = !e.is_null();
  return !st.has_latest || rd.integer(e, "across.latest", st.latest);
}

}  // namespace decorum::detail
