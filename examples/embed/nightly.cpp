// examples/embed/nightly.cpp — entry point: main. The shape of an HR system's nightly job
// that links decorum: load the rulebook (the built-in one, or a file given as argument),
// turn the day's inspection rows from its own database into records with record_builder,
// score them, and print each employee's tally. A row decorum cannot use is not lost: it
// comes back as a rejection, listed with its row number.
#include <decorum/compile/compile.hpp>
#include <decorum/api/record_builder.hpp>
#include <decorum/tally/tally.hpp>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace {

/// A row of the HR system's own inspection table (here in memory; in life, a SQL query).
struct inspection_row {
  std::uint64_t row_id;
  std::string employee, name, role, kind, at;
  std::vector<std::pair<std::string, std::string>> observed;  // field -> value as stored
};

std::vector<inspection_row> load_todays_rows() {
  return {
      {1, "E017", "王芳", "receptionist", "phone_call", "2026-11-03T09:12:00+08:00", {{"rings", "4"}, {"opening", "喂,你好"}}},
      {2, "E017", "王芳", "receptionist", "dress_check", "2026-11-03T08:30:00+08:00", {{"badge", "missing"}, {"nail_polish", "yes"}}},
      {3, "E021", "李娜", "receptionist", "phone_call", "2026-11-03T10:05:00+08:00", {{"rings", "2"}, {"opening", "您好,物业服务中心"}}},
      {4, "E021", "李娜", "receptionist", "utterance", "2026-11-03T11:00:00+08:00", {{"text", "这与我无关"}}},
      {5, "E030", "张伟", "butler", "phone_call", "2026-11-03T14:20:00+08:00", {{"rings", "three"}}},  // a data-entry slip
  };
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<decorum::diagnostic> diags;
  auto rules = argc > 1 ? decorum::compile_rulebook_file(argv[1], diags) : decorum::builtin_rule_set(diags);
  for (const auto& d : diags) std::fprintf(stderr, "%s\n", decorum::format_diagnostic(d).c_str());
  if (!rules) return 1;

  decorum::scorer scorer(rules);
  const std::uint32_t table = scorer.add_source("hr.inspections");
  decorum::record_builder b(*rules);
  for (const auto& row : load_todays_rows()) {
    b.clear().origin(table, row.row_id).kind(row.kind).time(row.at).employee(row.employee).name(row.name).role(row.role);
    for (const auto& [field, value] : row.observed) b.set(field, value);
    (void)b.add_to(scorer);  // a bad row becomes a listed rejection, never an exception
  }

  decorum::score_report report = scorer.report();
  std::printf("%-6s %-6s %-8s %6s %5s %10s %6s\n", "staff", "name", "period", "score", "grade", "deductions", "fines");
  for (const auto& t : report.tallies)
    std::printf("%-6s %-6s %-8s %6s %5s %10s %6s\n", t.employee.c_str(), t.name.c_str(), t.period.c_str(),
                t.score.to_string().c_str(), t.grade.value_or("-").c_str(), t.deductions.to_string().c_str(),
                t.fines.to_string().c_str());
  for (const auto& r : report.rejections)
    std::printf("rejected %s row %llu: %s\n", report.source_name(r).c_str(), static_cast<unsigned long long>(r.line),
                r.reason.c_str());
  std::printf("%llu rows: %llu scored, %llu rejected\n", static_cast<unsigned long long>(report.records),
              static_cast<unsigned long long>(report.scored), static_cast<unsigned long long>(report.rejected));
  return 0;
}
