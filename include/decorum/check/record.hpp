// decorum/check/record.hpp — entry point: `record`. One observation ready to score: its kind,
// its values by slot, and where it came from. Readers reuse one record per thread, so
// reading a log allocates only while the longest record so far grows the buffers; their
// text values may view the reader's own buffers, which is why a record handed to a
// record_sink is only valid during the call.
#pragma once

#include "decorum/check/schema.hpp"

#include <string>
#include <vector>

namespace decorum {

/// A record: values by slot for its kind, plus its origin for audit trails.
struct record {
  std::int32_t kind = -1;          ///< index into record_schema::kinds()
  timestamp time;                  ///< the parsed `time` (also in values[slot::time])
  std::vector<value> values;       ///< by slot; text points into `storage` or the reader's buffers
  std::string storage;             ///< owns the bytes of text values that need a copy
  std::uint32_t source = 0;        ///< index of the input file
  std::uint64_t line = 0;          ///< 1-based line where the record starts
  std::uint64_t sequence = 0;      ///< input order, for ties in time order

  /// The text of a standard or declared text slot ("" when absent).
  std::string_view text(std::uint32_t s) const noexcept {
    return s < values.size() && values[s].type == value_type::text ? values[s].text : std::string_view();
  }
  /// Resets for reuse with `slots` null values, keeping capacity.
  void reset(std::uint32_t slots) {
    kind = -1;
    values.assign(slots, value{});
    storage.clear();
  }
};

}  // namespace decorum
