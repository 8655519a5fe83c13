// src/read/input.cpp — entry points: decorum::read_input, split_input, load_input, split_buffer.
// The file-level driver of the log readers: reads a file in blocks (through iconv for
// gbk/gb18030), hands whole records to the JSON Lines or CSV reader and carries a straddling
// record to the next block; or reads a log into memory once for callers that parse it more
// than once. Conversions are in convert.cpp, record boundaries in boundaries.cpp.
#include "decorum/read/read.hpp"

#include "detect.hpp"
#include "mapped.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <string_view>

#include <fcntl.h>
#include <iconv.h>
#include <sys/stat.h>
#include <unistd.h>

namespace decorum {

// ---------------------------------------------------------------------------------------
// The block driver
// ---------------------------------------------------------------------------------------

namespace {

/// strerror in the lower-case style of diagnostics.
std::string errno_text(int err) {
  std::string s = std::strerror(err);
  if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') s[0] = static_cast<char>(s[0] - 'A' + 'a');
  return s;
}

/// Reads until `cap` bytes or end of file, so pipes that deliver little at a time still give
/// full blocks. Returns false on a read error (errno set).
bool read_fully(int fd, char* dest, std::size_t cap, std::size_t& got) {
  got = 0;
  while (got < cap) {
    const ssize_t r = ::read(fd, dest + got, cap - got);
    if (r < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    if (r == 0) break;
    got += static_cast<std::size_t>(r);
  }
  return true;
}

/// Supplies UTF-8 text block by block: straight from the file, or decoded by iconv, after
/// the bytes already read to sniff the encoding (`head`). An undecodable byte becomes 0xFF,
/// which is never valid UTF-8, so only the record holding it is rejected rather than the
/// whole file.
class text_source {
 public:
  text_source(int fd, const std::string& from, std::size_t block_size, std::string head = {})
      : fd_(fd), head_(std::move(head)) {
    if (from.empty()) return;
    cd_ = ::iconv_open("UTF-8", from.c_str());
    if (cd_ == reinterpret_cast<iconv_t>(-1)) return;
    raw_cap_ = std::max(block_size, head_.size() + 16);
    raw_.reset(new char[raw_cap_]);
    std::memcpy(raw_.get(), head_.data(), head_.size());
    raw_end_ = head_.size();
    head_.clear();
  }
  ~text_source() {
    if (transcoding()) ::iconv_close(cd_);
  }
  text_source(const text_source&) = delete;
  text_source& operator=(const text_source&) = delete;

  /// False when the encoding is not supported by this system's iconv.
  bool usable(const std::string& from) const noexcept { return from.empty() || transcoding(); }

  /// Fills up to `cap` bytes (cap >= 16); got == 0 means end of input. False on a read error.
  bool fill(char* dest, std::size_t cap, std::size_t& got) {
    if (!transcoding()) {
      const std::size_t n = std::min(cap, head_.size() - head_used_);
      std::memcpy(dest, head_.data() + head_used_, n);
      head_used_ += n;
      std::size_t more = 0;
      if (n < cap && !read_fully(fd_, dest + n, cap - n, more)) return false;
      got = n + more;
      return true;
    }
    char* out = dest;
    std::size_t out_left = cap;
    // 16 bytes leave room for any one character (UTF-8 needs at most 4), so iconv always
    // makes progress and E2BIG only means "block full".
    while (out_left >= 16) {
      if (!raw_eof_ && raw_end_ - raw_begin_ < 16) {
        std::memmove(raw_.get(), raw_.get() + raw_begin_, raw_end_ - raw_begin_);
        raw_end_ -= raw_begin_;
        raw_begin_ = 0;
        std::size_t n = 0;
        if (!read_fully(fd_, raw_.get() + raw_end_, raw_cap_ - raw_end_, n)) return false;
        if (n == 0) raw_eof_ = true;
        raw_end_ += n;
      }
      if (raw_begin_ == raw_end_) {
        if (raw_eof_) break;
        continue;
      }
      char* in = raw_.get() + raw_begin_;
      std::size_t in_left = raw_end_ - raw_begin_;
      const std::size_t r = ::iconv(cd_, &in, &in_left, &out, &out_left);
      raw_begin_ = static_cast<std::size_t>(in - raw_.get());
      if (r != static_cast<std::size_t>(-1)) continue;
      const int err = errno;
      if (err == E2BIG) break;
      if (err == EINVAL && !raw_eof_ && raw_end_ - raw_begin_ < 16) continue;  // sequence split by the read
      // EILSEQ, or a sequence cut off by the end of the file.
      *out++ = '\xFF';
      --out_left;
      raw_begin_ = err == EINVAL && raw_eof_ ? raw_end_ : raw_begin_ + 1;
    }
    got = static_cast<std::size_t>(out - dest);
    return true;
  }

 private:
  bool transcoding() const noexcept { return raw_ != nullptr; }

  int fd_;
  std::string head_;           // sniffed bytes not yet handed out (UTF-8 only)
  std::size_t head_used_ = 0;
  iconv_t cd_ = reinterpret_cast<iconv_t>(-1);
  std::unique_ptr<char[]> raw_;
  std::size_t raw_cap_ = 0, raw_begin_ = 0, raw_end_ = 0;
  bool raw_eof_ = false;
};

/// Closes a file descriptor we opened (never standard input).
struct fd_guard {
  int fd = -1;
  ~fd_guard() {
    if (fd > 0) ::close(fd);
  }
};

/// Opens `path` ("-": standard input) for reading into `guard`, and stats it; the reason it
/// cannot be read, or nullopt. `what` and `expected` word the messages ("log", "a log file").
std::optional<std::string> open_input(const std::string& path, std::string_view what, std::string_view expected,
                                      fd_guard& guard, int& fd, struct stat& st) {
  fd = 0;
  if (path != "-") {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return fmt::format("cannot open {}: {}", what, errno_text(errno));
    guard.fd = fd;
  }
  if (::fstat(fd, &st) != 0) st = {};
  if (S_ISDIR(st.st_mode)) return fmt::format("is a directory, not {}", expected);
  return std::nullopt;
}

/// Reads the head of an opened input and decides its decoding (detect.hpp); `head` keeps
/// the bytes read, past any byte-order mark, for the text_source.
result<detail::decoding> sniff(int fd, text_encoding enc, const std::string& name, std::string& head) {
  head.resize(detail::sniff_bytes);
  std::size_t got = 0;
  if (!read_fully(fd, head.data(), head.size(), got)) return make_error(fmt::format("read failed: {}", errno_text(errno)), name);
  head.resize(got);
  result<detail::decoding> d = detail::choose_decoding(head, got < detail::sniff_bytes, enc, name);
  if (d) head.erase(0, d->bom);
  return d;
}

/// All of an opened input as UTF-8, decoded as `enc` says (detected when automatic; the
/// encoding used goes to `used`); an error naming `name` when it cannot be read, cannot be
/// decoded, or holds more than `limit` bytes.
result<std::string> read_whole(int fd, const struct stat& st, text_encoding enc, std::size_t limit, const std::string& name,
                               std::string* used) {
  std::string head;
  result<detail::decoding> dec = sniff(fd, enc, name, head);
  if (!dec) return dec.error();
  if (used) *used = dec->name;
  text_source input(fd, dec->iconv, default_block_size, std::move(head));
  if (!input.usable(dec->iconv)) return make_error(fmt::format("this system's iconv cannot decode {}", dec->name), name);
  std::string text;
  if (S_ISREG(st.st_mode) && dec->iconv.empty() && static_cast<std::size_t>(st.st_size) <= limit)
    text.reserve(static_cast<std::size_t>(st.st_size));
  std::size_t have = 0;
  for (;;) {
    text.resize(have + default_block_size);
    std::size_t got = 0;
    if (!input.fill(text.data() + have, default_block_size, got))
      return make_error(fmt::format("read failed: {}", errno_text(errno)), name);
    if (got == 0) break;
    have += got;
    if (have > limit) return make_error(fmt::format("larger than {} MiB", limit >> 20), name);
  }
  text.resize(have);
  return text;
}


}  // namespace

input_result split_input(const record_schema& schema, const std::string& path, input_format format,
                         text_encoding enc, std::uint32_t source, chunk_handler& handler, std::size_t block_size) {
  input_result result;
  const std::string name = path == "-" ? "<stdin>" : path;
  auto fail = [&](std::string message, source_pos pos = {}, std::shared_ptr<const source_file> src = nullptr) {
    return detail::fail_input(result, name, std::move(message), pos, std::move(src));
  };

  fd_guard guard;
  int fd = 0;
  struct stat st {};
  if (auto why = open_input(path, "log", "a log file", guard, fd, st)) return fail(std::move(*why));
  // A regular file is mapped and its encoding decided on the whole of it; UTF-8 is split in
  // place, anything else is decoded through the read(2) path below.
  std::optional<detail::decoding> dec;
  if (path != "-")
    if (auto mapped = detail::split_mapped(schema, fd, name, format, source, handler, block_size, enc, dec)) return *mapped;
  std::string head;
  if (dec) {
    char bom[4];
    std::size_t got = 0;
    if (dec->bom > 0 && !read_fully(fd, bom, dec->bom, got)) return fail(fmt::format("read failed: {}", errno_text(errno)));
  } else {
    auto d = sniff(fd, enc, name, head);
    if (!d) return fail(std::move(d.error().message));
    dec = std::move(*d);
  }
  result.encoding = dec->name;

  block_size = std::max<std::size_t>(block_size, 64);
  text_source input(fd, dec->iconv, block_size, std::move(head));
  if (!input.usable(dec->iconv)) return fail(fmt::format("this system's iconv cannot decode {}", dec->name));

  // One buffer for the whole file: a carried partial record (at most max_record_bytes, longer
  // ones are skipped), one fresh block, and simdjson's padding.
  const std::size_t capacity = max_record_bytes + block_size + detail::jsonl_padding;
  std::unique_ptr<char[]> buffer(new char[capacity]);
  char* const buf = buffer.get();
  std::size_t have = 0;       // bytes in buf
  std::uint64_t line = 1;     // line number of buf[0]
  bool at_start = true;       // BOM not yet checked
  bool eof = false;
  bool header_done = format == input_format::jsonl;
  bool skipping = false;      // inside a record longer than max_record_bytes
  std::uint64_t skip_line = 0;
  detail::boundary_scanner scanner{format, false};

  const char* too_long = format == input_format::jsonl ? "line longer than 1 MiB" : "row longer than 1 MiB";
  auto reject_long = [&]() {
    handler.on_reject(rejection{source, skip_line, too_long});
    skipping = false;
  };
  // Drops consumed bytes; `lines` is their line-break count when the caller knows it.
  auto drop_front = [&](std::size_t n, std::uint64_t lines = ~std::uint64_t{0}) {
    line += lines != ~std::uint64_t{0} ? lines : detail::count_newlines(std::string_view(buf, n));
    std::memmove(buf, buf + n, have - n);
    have -= n;
  };

  while (!eof) {
    std::size_t got = 0;
    if (!input.fill(buf + have, block_size, got)) return fail(fmt::format("read failed: {}", errno_text(errno)));
    eof = got == 0;
    std::size_t fresh = have;  // where unscanned bytes start
    have += got;

    if (at_start) {
      if (have < 3 && !eof) continue;  // a pipe may deliver the BOM piecemeal
      at_start = false;
      if (have >= 3 && std::memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
        std::memmove(buf, buf + 3, have - 3);
        have -= 3;
      }
      fresh = 0;
    }

    if (skipping) {
      const std::size_t end = scanner.first(std::string_view(buf, have), 0);
      if (end == std::string_view::npos) {
        drop_front(have);
        if (eof) reject_long();
        continue;
      }
      drop_front(end);
      reject_long();
      scanner.in_quotes = false;
      fresh = 0;
    }

    if (!header_done) {
      // The header is the first non-blank row; it must be whole before any row is read.
      std::size_t end = scanner.first(std::string_view(buf, have), fresh);
      while (end != std::string_view::npos && detail::is_blank_line(std::string_view(buf, end))) {
        drop_front(end);
        scanner.in_quotes = false;
        end = scanner.first(std::string_view(buf, have), 0);
      }
      if (end == std::string_view::npos) {
        if (!eof) {
          if (have > max_record_bytes) return fail("header row longer than 1 MiB", source_pos{static_cast<std::uint32_t>(line), 0});
          continue;  // scanner state covers buf[0, have)
        }
        if (detail::is_blank_line(std::string_view(buf, have))) return result;  // empty file: nothing to read
        end = have;
      }
      diagnostic bad_header;
      std::optional<csv_header> header = detail::resolve_header(schema, name, std::string_view(buf, end), line, bad_header);
      if (!header) return fail(std::move(bad_header.message), bad_header.pos, std::move(bad_header.source));
      handler.on_header(*header);
      header_done = true;
      drop_front(end);
      scanner.in_quotes = false;
      fresh = 0;
    }

    std::size_t boundary = scanner.scan(std::string_view(buf, have), fresh);
    if (eof) boundary = have;  // the last record may lack its line break
    else if (boundary == std::string_view::npos) boundary = 0;
    if (boundary > 0) {
      const std::string_view chunk(buf, boundary);
      // simdjson may read past a line; make the bytes past the data defined.
      std::memset(buf + have, ' ', detail::jsonl_padding);
      std::uint64_t lines = handler.on_chunk(chunk, line, capacity - boundary);
      drop_front(boundary, lines);
    }
    if (!eof && have > max_record_bytes) {
      // The carried record can only grow past the limit: reject it without keeping it.
      skipping = true;
      skip_line = line;
      drop_front(have);
    }
  }
  return result;
}

result<std::string> load_input(const std::string& path, text_encoding enc, std::string* encoding_used) {
  const std::string name = path == "-" ? "<stdin>" : path;
  // The same messages as split_input's, so a log that cannot be read reads the same here.
  fd_guard guard;
  int fd = 0;
  struct stat st {};
  if (auto why = open_input(path, "log", "a log file", guard, fd, st)) return make_error(std::move(*why), name);
  return read_whole(fd, st, enc, std::numeric_limits<std::size_t>::max(), name, encoding_used);
}

input_result split_buffer(const record_schema& schema, std::string_view text, const std::string& path,
                          input_format format, std::uint32_t source, chunk_handler& handler, std::size_t block_size) {
  return detail::split_region(schema, text, text.size(), path == "-" ? "<stdin>" : path, format, source, handler,
                              block_size, nullptr);
}

namespace {

/// Parses each chunk as it comes, on the calling thread: the single-threaded reader.
class inline_parser final : public chunk_handler {
 public:
  inline_parser(const record_schema& schema, input_format format, text_encoding enc, std::uint32_t source,
                record_sink& sink, read_stats& stats)
      : schema_(schema), enc_(enc), source_(source), sink_(sink), stats_(stats) {
    if (format == input_format::jsonl) {
      jsonl_.emplace(schema);
      jsonl_->set_source_encoding(enc);
    }
  }
  void on_header(const csv_header& h) override {
    csv_.emplace(schema_, h);
    csv_->set_source_encoding(enc_);
  }
  std::uint64_t on_chunk(std::string_view data, std::uint64_t first_line, std::size_t padding) override {
    if (jsonl_) {
      stats_ += jsonl_->read(data, source_, sink_, first_line, padding);
      return jsonl_->lines_consumed();
    }
    stats_ += csv_->read(data, source_, sink_, first_line);
    return csv_->lines_consumed();
  }
  void on_reject(rejection r) override {
    ++stats_.read;
    ++stats_.rejected;
    sink_.on_reject(std::move(r));
  }

 private:
  const record_schema& schema_;
  text_encoding enc_;
  std::uint32_t source_;
  record_sink& sink_;
  read_stats& stats_;
  std::optional<jsonl_reader> jsonl_;
  std::optional<csv_reader> csv_;
};

}  // namespace

input_result read_input(const record_schema& schema, const std::string& path, input_format format,
                        text_encoding enc, std::uint32_t source, record_sink& sink, std::size_t block_size) {
  read_stats stats;
  inline_parser parser(schema, format, enc, source, sink, stats);
  input_result result = split_input(schema, path, format, enc, source, parser, block_size);
  result.stats = stats;
  return result;
}

result<std::string> read_text_file(const std::string& path, text_encoding enc, std::size_t limit) {
  const std::string name = path == "-" ? "<stdin>" : path;
  fd_guard guard;
  int fd = 0;
  struct stat st {};
  if (auto why = open_input(path, "file", "a file", guard, fd, st)) return make_error(std::move(*why), name);
  result<std::string> text = read_whole(fd, st, enc, limit, name, nullptr);
  if (text && text->size() >= 3 && text->compare(0, 3, "\xEF\xBB\xBF") == 0) text->erase(0, 3);
  return text;
}

}  // namespace decorum
