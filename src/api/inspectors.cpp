// src/api/inspectors.cpp — entry point: inspect_batch. Two passes over the logs: score_batch
// for the findings (every thread, duplicate ids settled, appeals applied), then a plain read
// that pairs each scored record's inspector and kind with the findings on its line.
#include "decorum/api/inspectors.hpp"

#include <map>
#include <set>
#include <unordered_map>

namespace decorum {

namespace {

/// (input index, line) of a record.
using place = std::pair<std::uint32_t, std::uint64_t>;

struct place_hash {
  std::size_t operator()(const place& p) const noexcept { return std::hash<std::uint64_t>()(p.second * 1'000'003u + p.first); }
};

/// Adds every scored record to its inspector's and kind's cell.
struct cell_sink final : record_sink {
  const record_schema& schema;
  const std::set<place>& rejected;  // duplicate ids: rejected by the scorer, accepted by a plain read
  const std::unordered_map<place, std::pair<std::uint64_t, decimal>, place_hash>& found;
  std::map<std::pair<std::optional<std::string>, std::int32_t>, inspector_cell> cells;
  cell_sink(const record_schema& s, const std::set<place>& r,
            const std::unordered_map<place, std::pair<std::uint64_t, decimal>, place_hash>& f)
      : schema(s), rejected(r), found(f) {}
  void on_record(const record& r) override {
    if (!rejected.empty() && rejected.count({r.source, r.line})) return;
    const std::string_view who = r.text(slot::inspector);
    std::optional<std::string> inspector;
    if (!who.empty()) inspector.emplace(who);
    inspector_cell& c = cells[{inspector, r.kind}];
    if (c.records == 0) {
      c.inspector = std::move(inspector);
      c.kind = schema.kinds()[static_cast<std::size_t>(r.kind)].name;
    }
    ++c.records;
    if (auto it = found.find({r.source, r.line}); it != found.end()) {
      c.findings += it->second.first;
      c.points = add(c.points, it->second.second).value_or(c.points);
    }
  }
  void on_reject(rejection) override {}
};

/// Parses the chunks of one input into the sink, as the batch's readers do.
struct chunk_reader final : chunk_handler {
  const record_schema& schema;
  std::uint32_t source;
  record_sink& sink;
  std::optional<csv_header> header;
  chunk_reader(const record_schema& s, std::uint32_t src, record_sink& k) : schema(s), source(src), sink(k) {}
  void on_header(const csv_header& h) override { header = h; }
  std::uint64_t on_chunk(std::string_view data, std::uint64_t first_line, std::size_t) override {
    if (header) read_csv_rows(schema, *header, data, source, sink, first_line);
    else read_jsonl(schema, data, source, sink, first_line);
    return ~std::uint64_t{0};
  }
  void on_reject(rejection) override {}
};

}  // namespace

inspector_run inspect_batch(std::shared_ptr<const rule_set> rules, std::vector<batch_input> inputs, batch_options options,
                            std::uint64_t min_records) {
  inspector_run out;
  for (batch_input& in : inputs)
    if (in.path == "-" && !in.text) {
      auto text = load_input(in.path, options.encoding, &in.encoding);
      if (!text) {
        out.fatal = text.error();
        return out;
      }
      in.text = std::make_shared<const std::string>(std::move(*text));
    }
  options.scoring.keep_findings = true;
  batch_result res = score_batch(rules, inputs, options);
  if (!res.ok()) {
    out.fatal = res.fatal;
    return out;
  }
  score_report& rep = res.report;
  std::map<std::string, std::uint32_t> source_of;
  for (std::uint32_t i = 0; i < rep.sources.size(); ++i) source_of.emplace(rep.sources[i], i);
  std::unordered_map<place, std::pair<std::uint64_t, decimal>, place_hash> found;
  for (const finding& f : rep.findings) {
    if (f.from != finding::origin::record || !f.has_source) continue;
    if (f.appeal && f.appeal->decision == appeal_decision::void_finding) continue;
    auto& x = found[{source_of[f.source], f.line}];
    ++x.first;
    x.second = add(x.second, f.points).value_or(x.second);
  }
  std::set<place> rejected;
  for (const rejection& r : rep.rejections) rejected.insert({r.source, r.line});
  cell_sink sink(rules->schema(), rejected, found);
  for (std::uint32_t i = 0; i < inputs.size(); ++i) {
    chunk_reader h(rules->schema(), i, sink);
    const batch_input& in = inputs[i];
    input_result r = in.text ? split_buffer(rules->schema(), *in.text, in.path, in.format, i, h)
                             : split_input(rules->schema(), in.path, in.format, options.encoding, i, h);
    if (!r.ok()) {
      out.fatal = r.fatal;  // the file changed or vanished since it was scored
      return out;
    }
  }
  std::vector<inspector_cell> cells;
  for (auto& [key, c] : sink.cells) cells.push_back(std::move(c));
  out.report.rows = inspector_stats(cells, min_records);
  out.report.min_records = min_records;
  rep.tallies.clear();
  rep.findings.clear();
  out.report.run = std::move(rep);
  return out;
}

}  // namespace decorum
