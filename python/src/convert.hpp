// python/src/convert.hpp — entry points: `cell_batch`, `add_python_value`, `add_column_rows`,
// `score_batch_cells`. Python values become plain C++ cells while the GIL is held; the cells
// are then built into records and scored with the GIL released, so no Python object is
// touched by a thread that does not hold it (issue 17).
#pragma once

#include "decorum/api/record_builder.hpp"
#include "decorum/base/chrono.hpp"
#include "decorum/tally/tally.hpp"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <string>
#include <vector>

namespace decorum::python {

namespace py = pybind11;

/// How a cell's value is held: the record_builder overload it goes to.
enum class cell_tag : std::uint8_t { text, integer, real, boolean, time };

/// One field value of one row, owning nothing (text lives in cell_batch::text).
struct cell {
  std::uint32_t field = 0;     ///< index into cell_batch::names
  cell_tag tag = cell_tag::text;
  std::int64_t integer = 0;    ///< integer, boolean (0/1), time (timestamp::local_seconds), text offset
  double real = 0;             ///< real
  std::uint32_t length = 0;    ///< text length
  std::int32_t offset_minutes = 0;  ///< time: the UTC offset…
  bool has_offset = false;     ///< …when one was given
  bool date_only = false;      ///< time: a date without a clock
};

/// Rows of cells ready to be built into records without Python: field names interned once.
struct cell_batch {
  std::vector<std::string> names;      ///< field names
  std::string text;                    ///< every text cell's bytes
  std::vector<cell> cells;             ///< row after row
  std::vector<std::size_t> row_end;    ///< one past each row's last cell
  std::vector<std::uint64_t> lines;    ///< each row's line (1-based row number)
  /// Forgets the rows, keeping the names and the buffers' capacity.
  void clear_rows() {
    text.clear();
    cells.clear();
    row_end.clear();
    lines.clear();
  }
  /// The index of a field name, added when new.
  std::uint32_t intern(std::string_view name);
};

/// Values that mean "absent" besides None and NaN (pandas.NA, pandas.NaT), set by the
/// Python layer when pandas is importable so the module itself never imports pandas.
void set_missing_values(py::list values);

/// Converts one Python value of field `field` into a cell of the batch's current row; None,
/// NaN and the missing values add nothing. Throws py::type_error naming the field and
/// `line` for a type no field can hold (a list, a dict, an arbitrary object).
void add_python_value(cell_batch& b, std::uint32_t field, py::handle v, std::uint64_t line);

/// Appends rows [first, last) of column arrays as cells. `kinds` per column: 'i' int64
/// array, 'f' float64 (NaN absent), 'b' bool, 'M' int64 wall-clock nanoseconds (INT64_MIN
/// absent) with an optional int32 offset-minutes array, 'O' object array.
void add_column_rows(cell_batch& b, const std::vector<std::uint32_t>& fields, const std::string& kinds,
                     const std::vector<py::array>& arrays, const std::vector<py::object>& offsets, std::size_t first,
                     std::size_t last, std::uint64_t first_line);

/// Builds and scores every row of the batch (call with the GIL released): each row becomes a
/// record of `source` or, when a value does not fit the schema, a rejection.
void score_cells(const cell_batch& b, record_builder& builder, scorer& s, std::uint32_t source);

}  // namespace decorum::python
