// src/read/mapped.cpp — entry points: detail::split_mapped, detail::split_region. split_input's
// path for regular UTF-8 files: the file is memory-mapped and each chunk is a view into the
// mapping, so no record is copied out of the page cache by read(2) (a quarter of the kernel's
// share of a one-thread run). Pages already handed out are released as it goes, which keeps
// the resident size near one block however large the file. BOM, CSV header, quote-aware
// record ends and over-long records follow split_input's rules exactly. The same walk serves
// a log already in memory (split_buffer), without the page hooks.
#include "mapped.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>

#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace decorum::detail {

namespace {

/// Unmaps on every way out, including an exception thrown by a handler.
struct mapping {
  void* base = MAP_FAILED;
  std::size_t length = 0;
  ~mapping() {
    if (base != MAP_FAILED) ::munmap(base, length);
  }
};

/// The page hooks of a mapped file: gives back pages already handed out, and maps a block's
/// pages in one call ahead of the scan.
class mapping_pages final : public region_pages {
 public:
  mapping_pages(const char* base, std::size_t page) : base_(base), page_(page) {}
  void release(std::size_t upto) override {
    const std::size_t to = upto / page_ * page_;
    if (to <= released_) return;
    // The pages are clean copies of the page cache: dropping them only lowers the resident
    // size (a later touch would map them again).
    ::madvise(const_cast<char*>(base_) + released_, to - released_, MADV_DONTNEED);
    released_ = to;
  }
  /// Lets a second walk from the start give its pages back too.
  void restart() { released_ = 0; }
  void populate(std::size_t from, std::size_t to) override {
    // One call maps a whole block's pages instead of a page fault every 16 pages; kernels
    // before 5.14 lack it and fall back to faulting.
#ifdef MADV_POPULATE_READ
    const std::size_t first = from / page_ * page_;
    if (can_populate_ && to > first && ::madvise(const_cast<char*>(base_) + first, to - first, MADV_POPULATE_READ) != 0)
      can_populate_ = false;
#else
    (void)from;
    (void)to;
#endif
  }

 private:
  const char* base_;
  std::size_t page_;
  std::size_t released_ = 0;  // pages below this are given back
  bool can_populate_ = true;
};

/// Where the first invalid UTF-8 byte of a mapped file is (npos: none). Deciding the encoding
/// on the whole file must neither make the whole file resident nor cost a slow pass: blocks
/// are checked with simdjson's vectorised validator and given back behind the scan.
std::size_t first_invalid_utf8(std::string_view all, mapping_pages& pages) {
  constexpr std::size_t step = std::size_t{4} << 20;
  std::size_t from = 0;
  while (from < all.size()) {
    std::size_t to = std::min(all.size(), from + step);
    // End the block on a character's first byte, so no sequence is cut in two.
    for (int back = 0; to < all.size() && back < 3 && (static_cast<unsigned char>(all[to]) & 0xC0) == 0x80; ++back) --to;
    pages.populate(from, to);
    const std::string_view block = all.substr(from, to - from);
    if (!simdjson::validate_utf8(block.data(), block.size())) {
      const std::size_t bad = find_invalid_utf8(block);
      if (bad != std::string_view::npos) return from + bad;
    }
    pages.release(to);
    from = to;
  }
  pages.restart();
  return std::string_view::npos;
}

}  // namespace

std::optional<input_result> split_mapped(const record_schema& schema, int fd, const std::string& name,
                                         input_format format, std::uint32_t source, chunk_handler& handler,
                                         std::size_t block_size, text_encoding enc, std::optional<decoding>& chosen) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) return std::nullopt;
  const auto size = static_cast<std::size_t>(st.st_size);
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  mapping map;
  map.length = (size + page - 1) / page * page;
  map.base = ::mmap(nullptr, map.length, PROT_READ, MAP_PRIVATE, fd, 0);
  if (map.base == MAP_FAILED) return std::nullopt;  // the read(2) path still works
  ::madvise(map.base, map.length, MADV_SEQUENTIAL);
  const char* const base = static_cast<const char*>(map.base);
  mapping_pages pages(base, page);
  std::optional<std::size_t> invalid_at;
  if (enc == text_encoding::automatic) {
    // choose_decoding's answer depends on the rest of the file only through whether it holds
    // an invalid byte at all (the guess itself is made on the first MiB). When the answer
    // for "it does" is plain UTF-8 too, as for any log with Chinese text near its start, the
    // whole-file walk would change nothing: the invalid lines are rejected as they are read.
    result<decoding> if_invalid = choose_decoding(std::string_view(base, size), true, enc, name, std::size_t{0});
    const bool utf8_either_way = if_invalid && if_invalid->iconv.empty();
    invalid_at = utf8_either_way ? std::string_view::npos : first_invalid_utf8(std::string_view(base, size), pages);
  }
  result<decoding> dec = choose_decoding(std::string_view(base, size), true, enc, name, invalid_at);
  if (!dec) {
    input_result failed;
    return fail_input(failed, name, std::move(dec.error().message));
  }
  if (!dec->iconv.empty()) {
    chosen = std::move(*dec);
    return std::nullopt;
  }
  input_result res = split_region(schema, std::string_view(base, size), map.length, name, format, source, handler,
                                  block_size, &pages);
  res.encoding = dec->name;
  return res;
}

input_result split_region(const record_schema& schema, std::string_view all, std::size_t readable,
                          const std::string& name, input_format format, std::uint32_t source, chunk_handler& handler,
                          std::size_t block_size, region_pages* pages) {
  const char* const base = all.data();
  const std::size_t size = all.size();
  input_result result;
  auto fail = [&](std::string message, source_pos pos = {}, std::shared_ptr<const source_file> src = nullptr) {
    return fail_input(result, name, std::move(message), pos, std::move(src));
  };

  auto release = [&](std::size_t upto) {
    if (pages) pages->release(upto);
  };
  auto populate = [&](std::size_t from, std::size_t to) {
    if (pages) pages->populate(from, to);
  };

  std::size_t pos = size >= 3 && std::memcmp(base, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  std::uint64_t line = 1;
  boundary_scanner scanner{format, false};

  if (format == input_format::csv) {
    // The header is the first non-blank row.
    std::size_t end = scanner.first(all, pos);
    while (end != std::string_view::npos && is_blank_line(all.substr(pos, end - pos))) {
      line += count_newlines(all.substr(pos, end - pos));
      pos = end;
      scanner.in_quotes = false;
      end = scanner.first(all, pos);
    }
    if (end == std::string_view::npos) {
      if (is_blank_line(all.substr(pos))) return result;  // empty file: nothing to read
      end = size;
    }
    if (end - pos > max_record_bytes)
      return fail("header row longer than 1 MiB", source_pos{static_cast<std::uint32_t>(line), 0});
    const std::string_view header_text = all.substr(pos, end - pos);
    diagnostic bad_header;
    std::optional<csv_header> header = resolve_header(schema, name, header_text, line, bad_header);
    if (!header) return fail(std::move(bad_header.message), bad_header.pos, std::move(bad_header.source));
    handler.on_header(*header);
    line += count_newlines(header_text);
    pos = end;
    scanner.in_quotes = false;
  }

  const char* too_long = format == input_format::jsonl ? "line longer than 1 MiB" : "row longer than 1 MiB";
  block_size = std::max<std::size_t>(block_size, 64);
  std::string tail;  // the last chunk, copied when the mapping leaves too little padding after it
  std::size_t scanned = pos;
  while (pos < size) {
    const std::size_t stop = std::min(size, scanned + block_size);
    populate(scanned, stop);
    std::size_t boundary = scanner.scan(all.substr(0, stop), scanned);
    scanned = stop;
    if (stop == size) boundary = size;  // the last record may lack its line break
    if (boundary == std::string_view::npos || boundary <= pos) {
      if (scanned - pos > max_record_bytes) {
        // Rejected like split_input does, and skipped without being handed to a parser.
        handler.on_reject(rejection{source, line, too_long});
        std::size_t end = scanner.first(all, scanned);
        if (end == std::string_view::npos) end = size;
        line += count_newlines(all.substr(pos, end - pos));
        pos = scanned = end;
        scanner.in_quotes = false;
        release(pos);
      }
      continue;
    }
    std::string_view chunk = all.substr(pos, boundary - pos);
    std::size_t padding = readable - boundary;
    if (padding < jsonl_padding) {
      tail.assign(chunk);
      tail.append(jsonl_padding, ' ');
      chunk = std::string_view(tail.data(), chunk.size());
      padding = jsonl_padding;
    }
    const std::uint64_t lines = handler.on_chunk(chunk, line, padding);
    line += lines != ~std::uint64_t{0} ? lines : count_newlines(chunk);
    pos = boundary;
    release(pos);
  }
  return result;
}

}  // namespace decorum::detail
