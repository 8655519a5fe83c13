// python/src/convert.cpp — entry points: add_python_value, add_column_rows, score_cells. The
// one place Python values are read: each becomes the record_builder overload a log reader's
// value would (str → text read as a CSV cell, int, float, bool, Decimal → exact text,
// datetime/pandas.Timestamp → timestamp), so a DataFrame row and the same row in a CSV file
// are accepted or rejected alike.
#include "convert.hpp"

#include <datetime.h>

#include <cmath>
#include <cstring>

namespace decorum::python {

namespace {

// Module-lifetime Python objects: deliberately leaked, since destroying them after the
// interpreter finalized would crash at exit.
// Kept as raw pointers (each value referenced by the list below): checked for every cell, so
// no Python iteration per check.
std::vector<PyObject*>& missing_values() {
  static auto* v = new std::vector<PyObject*>();
  return *v;
}

py::list& missing_owner() {
  static auto* v = new py::list();
  return *v;
}

PyObject* decimal_type() {
  static PyObject* t = py::object(py::module_::import("decimal").attr("Decimal")).release().ptr();
  return t;
}

void ensure_datetime_api() {
  if (!PyDateTimeAPI) PyDateTime_IMPORT;
  if (!PyDateTimeAPI) throw py::error_already_set();
}

bool is_missing(PyObject* o) {
  for (PyObject* m : missing_values())
    if (o == m) return true;
  return false;
}

void push_text(cell_batch& b, std::uint32_t field, std::string_view s) {
  cell c;
  c.field = field;
  c.tag = cell_tag::text;
  c.integer = static_cast<std::int64_t>(b.text.size());
  c.length = static_cast<std::uint32_t>(s.size());
  b.text.append(s);
  b.cells.push_back(c);
}

void push_integer(cell_batch& b, std::uint32_t field, std::int64_t v, cell_tag tag = cell_tag::integer) {
  cell c;
  c.field = field;
  c.tag = tag;
  c.integer = v;
  b.cells.push_back(c);
}

// A float: whole values go as integers, so an int column that pandas turned into float64
// because of a missing value still fills an int field (4.0 is the int 4).
void push_real(cell_batch& b, std::uint32_t field, double d) {
  if (std::isnan(d)) return;
  if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9007199254740992.0) {
    push_integer(b, field, static_cast<std::int64_t>(d));
    return;
  }
  cell c;
  c.field = field;
  c.tag = cell_tag::real;
  c.real = d;
  b.cells.push_back(c);
}

void push_time(cell_batch& b, std::uint32_t field, std::int64_t local_seconds, std::optional<std::int32_t> offset,
               bool date_only) {
  cell c;
  c.field = field;
  c.tag = cell_tag::time;
  c.integer = local_seconds;
  c.has_offset = offset.has_value();
  c.offset_minutes = offset.value_or(0);
  c.date_only = date_only;
  b.cells.push_back(c);
}

std::string_view utf8_of(PyObject* o) {
  Py_ssize_t n = 0;
  const char* p = PyUnicode_AsUTF8AndSize(o, &n);
  if (!p) throw py::error_already_set();  // a lone surrogate: UnicodeEncodeError, clear enough
  return {p, static_cast<std::size_t>(n)};
}

}  // namespace

std::uint32_t cell_batch::intern(std::string_view name) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<std::uint32_t>(i);
  names.emplace_back(name);
  return static_cast<std::uint32_t>(names.size() - 1);
}

void set_missing_values(py::list values) {
  missing_values().clear();
  for (py::handle v : values) missing_values().push_back(v.ptr());
  missing_owner() = std::move(values);  // keeps them alive
}

void add_python_value(cell_batch& b, std::uint32_t field, py::handle v, std::uint64_t line) {
  PyObject* o = v.ptr();
  if (o == Py_None) return;
  if (PyUnicode_Check(o)) return push_text(b, field, utf8_of(o));
  if (is_missing(o)) return;
  if (PyBool_Check(o)) return push_integer(b, field, o == Py_True ? 1 : 0, cell_tag::boolean);
  if (PyLong_Check(o)) {
    int overflow = 0;
    const long long x = PyLong_AsLongLongAndOverflow(o, &overflow);
    if (overflow == 0) return push_integer(b, field, x);
    // Too big for int64: its digits, for the field to reject (or an id to keep as text).
    return push_text(b, field, py::str(v).cast<std::string>());
  }
  if (PyFloat_Check(o)) return push_real(b, field, PyFloat_AS_DOUBLE(o));
  ensure_datetime_api();
  if (PyDateTime_Check(o)) {
    const std::int64_t days = days_from_civil(PyDateTime_GET_YEAR(o), PyDateTime_GET_MONTH(o), PyDateTime_GET_DAY(o));
    const std::int64_t secs = days * 86400 + PyDateTime_DATE_GET_HOUR(o) * 3600 + PyDateTime_DATE_GET_MINUTE(o) * 60 +
                              PyDateTime_DATE_GET_SECOND(o);
    std::optional<std::int32_t> offset;
    py::object off = v.attr("utcoffset")();
    if (!off.is_none()) {
      PyObject* d = off.ptr();
      offset = static_cast<std::int32_t>((PyDateTime_DELTA_GET_DAYS(d) * 86400 + PyDateTime_DELTA_GET_SECONDS(d)) / 60);
    }
    return push_time(b, field, secs, offset, false);
  }
  if (PyDate_Check(o)) {
    const std::int64_t days = days_from_civil(PyDateTime_GET_YEAR(o), PyDateTime_GET_MONTH(o), PyDateTime_GET_DAY(o));
    return push_time(b, field, days * 86400, std::nullopt, true);
  }
  if (PyDelta_Check(o)) {  // a duration field: seconds
    const std::int64_t secs = std::int64_t{PyDateTime_DELTA_GET_DAYS(o)} * 86400 + PyDateTime_DELTA_GET_SECONDS(o);
    const int micro = PyDateTime_DELTA_GET_MICROSECONDS(o);
    if (micro == 0) return push_integer(b, field, secs);
    return push_real(b, field, static_cast<double>(secs) + micro / 1e6);
  }
  const int is_decimal = PyObject_IsInstance(o, decimal_type());
  if (is_decimal < 0) throw py::error_already_set();
  if (is_decimal) {
    if (v.attr("is_nan")().cast<bool>()) return;
    // Fixed-point digits ("1E+1" would not read as a number), exactly as given.
    return push_text(b, field, v.attr("__format__")("f").cast<std::string>());
  }
  // numpy scalars (numpy.int64, numpy.float64, numpy.bool_) from object columns or dicts
  // built from arrays: their Python value.
  if (py::hasattr(v, "dtype") && py::hasattr(v, "item")) {
    py::object item = v.attr("item")();
    if (item.ptr() != o && !py::hasattr(item, "dtype")) return add_python_value(b, field, item, line);
  }
  throw py::type_error("decorum: field '" + b.names[field] + "' (row " + std::to_string(line) +
                       "): cannot score a value of type " + py::str(py::type::of(v).attr("__name__")).cast<std::string>() +
                       "; give str, int, float, bool, decimal.Decimal, datetime, date, timedelta or None");
}

void add_column_rows(cell_batch& b, const std::vector<std::uint32_t>& fields, const std::string& kinds,
                     const std::vector<py::array>& arrays, const std::vector<py::object>& offsets, std::size_t first,
                     std::size_t last, std::uint64_t first_line) {
  const std::size_t n = fields.size();
  std::vector<const void*> data(n);
  std::vector<const std::int32_t*> offs(n, nullptr);
  for (std::size_t c = 0; c < n; ++c) {
    data[c] = arrays[c].data();
    if (!offsets[c].is_none()) offs[c] = static_cast<const std::int32_t*>(offsets[c].cast<py::array>().data());
  }
  for (std::size_t r = first; r < last; ++r) {
    const std::uint64_t line = first_line + (r - first);
    for (std::size_t c = 0; c < n; ++c) {
      const std::uint32_t f = fields[c];
      switch (kinds[c]) {
        case 'i': push_integer(b, f, static_cast<const std::int64_t*>(data[c])[r]); break;
        case 'f': push_real(b, f, static_cast<const double*>(data[c])[r]); break;
        case 'b': push_integer(b, f, static_cast<const std::uint8_t*>(data[c])[r] ? 1 : 0, cell_tag::boolean); break;
        case 'M': {
          const std::int64_t ns = static_cast<const std::int64_t*>(data[c])[r];
          if (ns == INT64_MIN) break;  // NaT
          std::optional<std::int32_t> off;
          if (offs[c]) off = offs[c][r];
          push_time(b, f, detail::floor_div(ns, 1'000'000'000), off, false);
          break;
        }
        default: add_python_value(b, f, static_cast<PyObject* const*>(data[c])[r], line); break;
      }
    }
    b.row_end.push_back(b.cells.size());
    b.lines.push_back(line);
  }
}

void score_cells(const cell_batch& b, record_builder& builder, scorer& s, std::uint32_t source) {
  // Each record's id probes a table far larger than the caches at a random place; the rows
  // are all here, so the probe for a row a few ahead is started now.
  constexpr std::size_t ahead = 8;
  std::uint32_t id_field = UINT32_MAX;
  for (std::size_t i = 0; i < b.names.size(); ++i)
    if (b.names[i] == "id") id_field = static_cast<std::uint32_t>(i);
  const auto prefetch_row = [&](std::size_t r) {
    for (std::size_t i = r == 0 ? 0 : b.row_end[r - 1]; i < b.row_end[r]; ++i)
      if (b.cells[i].field == id_field) {
        if (b.cells[i].tag == cell_tag::text) s.prefetch_id(std::string_view(b.text.data() + b.cells[i].integer, b.cells[i].length));
        return;
      }
  };
  if (id_field != UINT32_MAX)
    for (std::size_t r = 0; r < ahead && r < b.row_end.size(); ++r) prefetch_row(r);
  std::size_t at = 0;
  for (std::size_t r = 0; r < b.row_end.size(); ++r) {
    if (id_field != UINT32_MAX && r + ahead < b.row_end.size()) prefetch_row(r + ahead);
    builder.clear();
    for (; at < b.row_end[r]; ++at) {
      const cell& c = b.cells[at];
      const std::string& name = b.names[c.field];
      switch (c.tag) {
        case cell_tag::text:
          builder.set(name, std::string_view(b.text.data() + c.integer, c.length));
          break;
        case cell_tag::integer: builder.set(name, c.integer); break;
        case cell_tag::real: builder.set(name, c.real); break;
        case cell_tag::boolean: builder.set(name, c.integer != 0); break;
        case cell_tag::time: {
          timestamp t;
          t.local_seconds = c.integer;
          t.offset_minutes = c.offset_minutes;
          t.has_offset = c.has_offset;
          t.date_only = c.date_only;
          builder.set(name, t);
          break;
        }
      }
    }
    builder.origin(source, b.lines[r]);
    (void)builder.add_to(s);  // a rejection is counted and listed by the scorer
  }
}

}  // namespace decorum::python
