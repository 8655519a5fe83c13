// src/read/mapped.hpp — internal: split_input's memory-mapped path and the in-memory walk it
// shares with split_buffer (src/read/mapped.cpp).
#pragma once

#include "decorum/read/read.hpp"
#include "detect.hpp"

#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace decorum::detail {

/// Maps the regular file open on `fd` (read from offset 0) and decides its decoding from the
/// whole of it (choose_decoding, with `enc`). UTF-8 is split into chunks of whole records
/// that point into the mapping, with split_input's rules and messages; a file that cannot
/// be decoded at all is a fatal result. Returns nothing, having read nothing, when the file
/// cannot be mapped (a pipe, an empty file, a failed mmap) or needs transcoding: the caller
/// then reads it with read(2), with `chosen` set in the second case.
std::optional<input_result> split_mapped(const record_schema& schema, int fd, const std::string& name,
                                         input_format format, std::uint32_t source, chunk_handler& handler,
                                         std::size_t block_size, text_encoding enc, std::optional<decoding>& chosen);

/// What a memory-mapped region does besides being read: split_region calls these so a mapped
/// file's pages are faulted in ahead and given back behind; a buffer in memory needs neither.
class region_pages {
 public:
  /// Virtual so the mapping's hooks can be passed through a base pointer.
  virtual ~region_pages() = default;
  /// Bytes [0, upto) are no longer needed.
  virtual void release(std::size_t upto) = 0;
  /// Bytes [from, to) are about to be scanned.
  virtual void populate(std::size_t from, std::size_t to) = 0;
};

/// Splits a whole UTF-8 log held in memory into chunks of whole records, with split_input's
/// rules and messages (BOM, CSV header, over-long records). `readable` (>= all.size()) is
/// how many bytes from all.data() may be read, so chunks near the end can keep simdjson's
/// padding in place; `pages` may be null.
input_result split_region(const record_schema& schema, std::string_view all, std::size_t readable,
                          const std::string& name, input_format format, std::uint32_t source, chunk_handler& handler,
                          std::size_t block_size, region_pages* pages);

/// Marks `result` failed with a fatal diagnostic about input `name` and returns it (stats
/// so far kept). Shared by both splitters, so a fatal problem reads the same either way.
inline input_result& fail_input(input_result& result, const std::string& name, std::string message, source_pos pos = {},
                                std::shared_ptr<const source_file> src = nullptr) {
  diagnostic d;
  d.file = name;
  d.pos = pos;
  d.message = std::move(message);
  d.source = std::move(src);
  result.fatal = std::move(d);
  return result;
}

/// True when `s` holds only spaces, tabs and line breaks. Shared by both splitters.
bool is_blank_line(std::string_view s) noexcept;

/// Resolves the CSV header row found on `line` of input `name`; on failure fills `error`
/// with the message, its position and the source text to show it in. Shared by both
/// splitters, so a bad header reads the same whether the file was mapped or not.
std::optional<csv_header> resolve_header(const record_schema& schema, const std::string& name,
                                         std::string_view header_text, std::uint64_t line, diagnostic& error);

}  // namespace decorum::detail
