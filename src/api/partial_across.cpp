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
    out += fmt::format(",\"occurrences\":{},", d.occurrences);
    put_priced(out, d.points, d.fine, d.matched);
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
  using object = simdjson::dom::object;
  const std::size_t nsources = st.sources.size();
  simdjson::dom::element e;
  object across;
  if (!rd.field(top, "", "across", e) || !rd.object(e, "across", across)) return false;
  const auto window = [&](object o, const std::string& path, scorer_state::window_part& w) {
    std::int64_t key = 0;
    if (!rd.text_at(o, path, "rule", w.rule) || !rd.text_at(o, path, "employee", w.employee) ||
        !rd.integer_at(o, path, "key", key) || !rd.flag_at(o, path, "active", w.active) ||
        !rd.count_at(o, path, "count", w.count) || !rd.field(o, path, "first", e))
      return false;
    w.key = static_cast<std::int32_t>(key);
    if (!e.is_null()) {
      w.has_first = true;
      object first;
      const std::string at = path + ".first";
      if (!rd.object(e, at, first) || !rd.integer_at(first, at, "time", w.first_time) ||
          !rd.index_at(first, at, "source", w.first_source, nsources) || !rd.count_at(first, at, "line", w.first_line))
        return false;
    }
    return rd.each(o, path, "aggregates", w.aggregates, [&](object go, const std::string& gpath, auto& g) {
      return rd.count_at(go, gpath, "n", g.n) && rd.integer_at(go, gpath, "a", g.a) && rd.integer_at(go, gpath, "b", g.b);
    });
  };
  const auto duty = [&](object o, const std::string& path, scorer_state::duty_part& d) {
    return rd.index_at(o, path, "tally", d.tally, st.tallies.size()) && rd.text_at(o, path, "rule", d.rule) &&
           rd.index_at(o, path, "source", d.source, nsources) && rd.count_at(o, path, "line", d.line) &&
           rd.time_at(o, path, "time", d.time) && rd.integer_at(o, path, "due", d.due) &&
           rd.text_at(o, path, "match", d.match) && rd.count_at(o, path, "occurrences", d.occurrences) &&
           rd.number_at(o, path, "points", d.points) && rd.number_at(o, path, "fine", d.fine) &&
           rd.text_at(o, path, "matched", d.matched);
  };
  const auto discharge = [&](object o, const std::string& path, scorer_state::discharge_part& d) {
    return rd.text_at(o, path, "rule", d.rule) && rd.text_at(o, path, "match", d.match) &&
           rd.integer_at(o, path, "time", d.time) && rd.index_at(o, path, "source", d.source, nsources) &&
           rd.count_at(o, path, "line", d.line);
  };
  const auto first = [&](object o, const std::string& path, scorer_state::first_part& f) {
    return rd.text_at(o, path, "employee", f.employee) && rd.integer_at(o, path, "time", f.time);
  };
  if (!rd.each(across, "across", "windows", st.windows, window) || !rd.each(across, "across", "duties", st.duties, duty) ||
      !rd.each(across, "across", "discharges", st.discharges, discharge) ||
      !rd.each(across, "across", "firsts", st.firsts, first) || !rd.field(across, "across", "latest", e))
    return false;
  st.has_latest = !e.is_null();
  return !st.has_latest || rd.integer(e, "across.latest", st.latest);
}

}  // namespace decorum::detail
