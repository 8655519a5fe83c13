// python/src/module.cpp — entry point: PYBIND11_MODULE(_decorum). The C++ half of the Python
// package (issue 17): compiling rulebooks, scoring files (score_batch, as `decorum score`),
// scoring Python rows through a scorer with the GIL released, and partial results. Reports
// cross as the JSON report's text and partials as their bytes, so Python sees exactly what
// the CLI writes; python/decorum/ turns them into objects.
#include "convert.hpp"

#include "decorum/decorum.hpp"

#include <pybind11/stl.h>

#include <algorithm>
#include <map>
#include <mutex>

namespace decorum::python {

namespace {

/// A compiled rulebook, shared by every scorer made from it (it is immutable).
struct py_rule_set {
  std::shared_ptr<const rule_set> rules;
};

py::tuple diagnostic_tuple(const diagnostic& d) {
  return py::make_tuple(std::string(to_string(d.severity)), d.file, d.pos.line, d.pos.column, d.message,
                        format_diagnostic(d), d.code == diag_code::none ? std::string() : code_name(d.code));
}

// (rule set or None, [(severity, file, line, column, message, formatted, code), …]).
py::tuple compiled(std::shared_ptr<const rule_set> rules, std::vector<diagnostic> diags) {
  sort_by_position(diags);
  py::list out;
  for (const auto& d : diags) out.append(diagnostic_tuple(d));
  if (!rules) return py::make_tuple(py::none(), out);
  return py::make_tuple(py_rule_set{std::move(rules)}, out);
}

std::optional<period_kind> period_of(const std::optional<std::string>& period) {
  if (!period) return std::nullopt;
  auto p = parse_period_kind(*period);
  if (!p) throw py::value_error("decorum: period must be day, week, month, quarter, year or all, not '" + *period + "'");
  return p;
}

std::optional<timestamp> as_of_of(const std::optional<std::string>& as_of) {
  if (!as_of) return std::nullopt;
  auto t = parse_time(*as_of);
  if (!t) throw py::value_error("decorum: as_of needs an ISO time such as 2026-11-30T18:00, got '" + *as_of + "'");
  return t;
}

input_format format_of(const std::string& path, const std::optional<std::string>& format) {
  if (format) {
    if (*format == "jsonl") return input_format::jsonl;
    if (*format == "csv") return input_format::csv;
    throw py::value_error("decorum: format must be 'jsonl' or 'csv', not '" + *format + "'");
  }
  auto f = format_from_path(path);
  if (!f) throw py::value_error("decorum: " + path + ": cannot tell the format from the name; give format='jsonl' or 'csv'");
  return *f;
}

/// Scores files as `decorum score` does (all threads, name order, global duplicate ids):
/// the JSON report's text, or with `partial` the partial result's bytes.
py::object score_files(const py_rule_set& rs, std::vector<std::string> paths, std::optional<std::string> period,
                       bool findings, std::optional<std::string> as_of, unsigned threads, bool partial,
                       std::optional<std::string> format) {
  std::sort(paths.begin(), paths.end());
  std::vector<batch_input> inputs;
  for (const auto& p : paths) inputs.push_back({p, format_of(p, format), nullptr, {}});
  batch_options bo;
  bo.scoring.period = period_of(period);
  bo.scoring.as_of = as_of_of(as_of);
  bo.scoring.keep_findings = findings;
  bo.threads = threads;
  bo.keep_state = partial;
  std::string out;
  std::optional<diagnostic> fatal;
  {
    py::gil_scoped_release unlocked;
    batch_result res = score_batch(rs.rules, std::move(inputs), bo);
    if (!res.ok()) fatal = res.fatal;
    else if (partial) out = write_partial(*res.state, *rs.rules, findings, res.encodings);
    else out = write_json(res.report, findings);
  }
  if (fatal) {
    PyErr_SetString(PyExc_OSError, format_diagnostic(*fatal).c_str());
    throw py::error_already_set();
  }
  if (partial) return py::bytes(out);
  return py::str(out);
}


/// A scorer for incremental use. Calls on one Scorer from several threads are serialized
/// by its mutex (taken after the GIL is released, so a waiting thread never blocks Python).
class py_scorer {
 public:
  py_scorer(const py_rule_set& rs, std::optional<std::string> period, bool findings, std::optional<std::string> as_of)
      : rules_(rs.rules), findings_(findings) {
    score_options o;
    o.period = period_of(period);
    o.as_of = as_of_of(as_of);
    o.keep_findings = findings;
    s_.emplace(rules_, o);
  }
  py_scorer(std::shared_ptr<const rule_set> rules, scorer merged, bool findings)
      : rules_(std::move(rules)), findings_(findings), s_(std::move(merged)) {}

  /// Scores an iterable of dicts as rows of input `source_name`, in chunks: each chunk is
  /// converted with the GIL held and scored without it.
  void add_rows(py::iterable rows, const std::string& source_name) {
    cell_batch b;
    std::uint64_t line = 0;
    {
      py::gil_scoped_release unlocked;  // never wait for another thread's scoring holding the GIL
      std::lock_guard lock(m_);
      line = next_line(source_name);
    }
    for (py::handle row : rows) {
      if (!PyDict_Check(row.ptr()))
        throw py::type_error("decorum: record " + std::to_string(line) + " is a " +
                             py::str(py::type::of(row).attr("__name__")).cast<std::string>() + ", not a dict");
      for (auto [k, v] : py::reinterpret_borrow<py::dict>(row)) {
        if (!PyUnicode_Check(k.ptr())) throw py::type_error("decorum: record " + std::to_string(line) + ": a field name is not a str");
        add_python_value(b, b.intern(k.cast<std::string_view>()), v, line);
      }
      b.row_end.push_back(b.cells.size());
      b.lines.push_back(line++);
      if (b.row_end.size() == chunk_rows) flush(b, source_name);
    }
    flush(b, source_name);
  }

  /// Scores DataFrame columns (see add_column_rows) as rows first_line, first_line + 1, … of
  /// input `source_name`.
  void add_columns(const std::vector<std::string>& names, const std::string& kinds, const std::vector<py::array>& arrays,
                   const std::vector<py::object>& offsets, std::size_t rows, const std::string& source_name,
                   std::optional<std::uint64_t> first_line) {
    if (names.size() != kinds.size() || names.size() != arrays.size() || names.size() != offsets.size())
      throw py::value_error("decorum: add_columns: names, kinds, arrays and offsets differ in length");
    for (std::size_t c = 0; c < arrays.size(); ++c) {
      const py::array& a = arrays[c];
      const char k = kinds[c];
      const bool fits = a.ndim() == 1 && static_cast<std::size_t>(a.shape(0)) == rows &&
                        (a.flags() & py::array::c_style) &&
                        ((k == 'i' && a.dtype().kind() == 'i' && a.itemsize() == 8) ||
                         (k == 'f' && a.dtype().kind() == 'f' && a.itemsize() == 8) ||
                         (k == 'b' && a.dtype().kind() == 'b') ||
                         (k == 'M' && a.dtype().kind() == 'i' && a.itemsize() == 8) ||
                         (k == 'O' && a.dtype().kind() == 'O'));
      if (!fits) throw py::value_error("decorum: column '" + names[c] + "': array does not match its kind");
    }
    cell_batch b;
    std::vector<std::uint32_t> fields;
    for (const auto& n : names) fields.push_back(b.intern(n));
    std::uint64_t line = 0;
    {
      py::gil_scoped_release unlocked;
      std::lock_guard lock(m_);
      line = first_line ? *first_line : next_line(source_name);
      // The frame's rows are known: reserve their numbers now, so a frame added by another
      // thread meanwhile is numbered after them.
      auto& next = lines_[source_name];
      next = std::max(next, line + rows);
    }
    for (std::size_t at = 0; at < rows; at += chunk_rows) {
      const std::size_t end = std::min(rows, at + chunk_rows);
      add_column_rows(b, fields, kinds, arrays, offsets, at, end, line + at);
      flush(b, source_name);
    }
  }

  /// Reads and scores one log file through the library's reader (same lines and rejections
  /// as the CLI); OSError when it cannot be read at all.
  void add_file(const std::string& path, std::optional<std::string> format) {
    const input_format f = format_of(path, format);
    std::optional<diagnostic> fatal;
    {
      py::gil_scoped_release unlocked;
      std::lock_guard lock(m_);
      const std::uint32_t src = s_->add_source(path);
      scorer_sink sink(*s_);
      input_result r = read_input(rules_->schema(), path, f, text_encoding::automatic, src, sink);
      fatal = r.fatal;
      if (encodings_.size() <= src) encodings_.resize(src + 1);
      encodings_[src] = r.encoding;
    }
    if (fatal) {
      PyErr_SetString(PyExc_OSError, format_diagnostic(*fatal).c_str());
      throw py::error_already_set();
    }
  }

  /// The JSON report of everything scored so far.
  std::string report_json() {
    py::gil_scoped_release unlocked;
    std::lock_guard lock(m_);
    score_report rep = s_->report();
    if (read_files()) rep.source_encodings = encodings_;
    return write_json(rep, findings_);
  }

  /// The partial result (`decorum score -f partial`) of everything scored so far.
  py::bytes to_partial() {
    std::string out;
    {
      py::gil_scoped_release unlocked;
      std::lock_guard lock(m_);
      out = write_partial(s_->export_state(), *rules_, findings_, read_files() ? encodings_ : std::vector<std::string>{});
    }
    return py::bytes(out);
  }

  /// Merges partial results (as `decorum merge`): (scorer, warnings, duplicate ids).
  static py::tuple merge(const py_rule_set& rs, const std::vector<std::string>& partials,
                         std::vector<std::string> names, std::optional<std::string> as_of) {
    std::vector<partial_result> parts;
    std::string error;
    merge_outcome m;
    {
      py::gil_scoped_release unlocked;
      for (std::size_t i = 0; i < partials.size() && error.empty(); ++i) {
        const std::string name = i < names.size() ? names[i] : "partial #" + std::to_string(i + 1);
        auto p = parse_partial(partials[i], name);
        if (!p) error = p.error().file + ": " + p.error().message;
        else parts.push_back(std::move(*p));
      }
    }
    if (!error.empty()) throw py::value_error("decorum: " + error);
    const auto when = as_of_of(as_of);
    {
      py::gil_scoped_release unlocked;
      m = merge_partials(rs.rules, parts, names, when);
    }
    if (!m.merged) throw py::value_error("decorum: " + m.error);
    const bool findings =
        !parts.empty() && std::all_of(parts.begin(), parts.end(), [](const partial_result& p) { return p.findings_kept; });
    auto merged = std::make_unique<py_scorer>(rs.rules, std::move(*m.merged), findings);
    // The files the partials read keep their encodings in the merged report, as in `decorum merge`.
    merged->encodings_ = std::move(m.encodings);
    return py::make_tuple(py::cast(std::move(merged)), m.warnings, m.duplicate_ids);
  }

 private:
  static constexpr std::size_t chunk_rows = 65536;

  // Reports name their files' encodings (as the CLI's do) only when some input was a file.
  bool read_files() const {
    return std::any_of(encodings_.begin(), encodings_.end(), [](const std::string& e) { return !e.empty(); });
  }

  // The next line number of a Python input, so rows given in several calls are numbered on.
  std::uint64_t next_line(const std::string& source) {
    auto it = lines_.find(source);
    return it == lines_.end() ? 1 : it->second;
  }

  // Scores the batch's rows with the GIL released, then empties it.
  void flush(cell_batch& b, const std::string& source_name) {
    if (b.row_end.empty()) return;
    {
      py::gil_scoped_release unlocked;
      std::lock_guard lock(m_);
      auto [it, added] = sources_.try_emplace(source_name, 0);
      if (added) it->second = s_->add_source(source_name);
      if (!builder_) builder_.emplace(*rules_);
      score_cells(b, *builder_, *s_, it->second);
      auto& next = lines_[source_name];
      next = std::max(next, b.lines.back() + 1);
    }
    b.clear_rows();
  }

  std::shared_ptr<const rule_set> rules_;
  bool findings_ = false;
  std::optional<scorer> s_;
  std::optional<record_builder> builder_;
  std::map<std::string, std::uint32_t> sources_;
  std::map<std::string, std::uint64_t> lines_;
  std::mutex m_;
  std::vector<std::string> encodings_;  // a merged scorer's: the encodings of the files its partials read
};

}  // namespace

PYBIND11_MODULE(_decorum, m) {
  m.doc() = "decorum's C++ core; use the `decorum` package, not this module.";

  py::class_<py_rule_set>(m, "RuleSet")
      .def_property_readonly("name", [](const py_rule_set& r) { return r.rules->name(); }, "The rulebook's name.")
      .def_property_readonly("file", [](const py_rule_set& r) { return r.rules->file(); }, "The file it came from.")
      .def_property_readonly("sha256", [](const py_rule_set& r) { return r.rules->sha256(); }, "SHA-256 of its text.")
      .def_property_readonly(
          "fields",
          [](const py_rule_set& r) {
            std::map<std::string, std::vector<std::string>> out;
            for (const kind_schema& k : r.rules->schema().kinds())
              for (const field_schema& f : k.fields) out[k.name].push_back(f.name);
            return out;
          },
          "Field names per record kind.");

  m.def("compile_file", [](const std::string& path) {
    std::vector<diagnostic> diags;
    std::shared_ptr<const rule_set> rules;
    {
      py::gil_scoped_release unlocked;
      rules = compile_rulebook_file(path, diags);
    }
    return compiled(std::move(rules), std::move(diags));
  });
  m.def("compile_text", [](std::string name, std::string text) {
    std::vector<diagnostic> diags;
    std::shared_ptr<const rule_set> rules;
    {
      py::gil_scoped_release unlocked;
      rules = compile_rulebook(std::move(name), std::move(text), diags);
    }
    return compiled(std::move(rules), std::move(diags));
  });
  m.def("builtin", [] {
    std::vector<diagnostic> diags;
    return compiled(builtin_rule_set(diags), std::move(diags));
  });
  m.def("score_files", &score_files, py::arg("rules"), py::arg("paths"), py::arg("period") = py::none(),
        py::arg("findings") = false, py::arg("as_of") = py::none(), py::arg("threads") = 0u, py::arg("partial") = false,
        py::arg("format") = py::none());
  m.def("set_missing_values", &set_missing_values);

  py::class_<py_scorer>(m, "Scorer")
      .def(py::init<const py_rule_set&, std::optional<std::string>, bool, std::optional<std::string>>(), py::arg("rules"),
           py::arg("period") = py::none(), py::arg("findings") = false, py::arg("as_of") = py::none())
      .def("add_rows", &py_scorer::add_rows, py::arg("rows"), py::arg("source"))
      .def("add_columns", &py_scorer::add_columns, py::arg("names"), py::arg("kinds"), py::arg("arrays"),
           py::arg("offsets"), py::arg("rows"), py::arg("source"), py::arg("first_line") = py::none())
      .def("add_file", &py_scorer::add_file, py::arg("path"), py::arg("format") = py::none())
      .def("report_json", &py_scorer::report_json)
      .def("to_partial", &py_scorer::to_partial)
      .def_static("merge", &py_scorer::merge, py::arg("rules"), py::arg("partials"), py::arg("names"),
                  py::arg("as_of") = py::none());
}

}  // namespace decorum::python
