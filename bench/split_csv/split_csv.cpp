// bench/split_csv/split_csv.cpp — entry point: main (decorum_bench_split_csv). The CSV
// baseline: splits an RFC 4180 file into rows and cells (quotes, doubled quotes, line breaks
// inside quotes, CRLF) and counts them, and nothing else — no UTF-8 validation, no types. It
// reads 4 MiB blocks as decorum does, so the gap to `decorum score` is decorum's own work.
//
//   decorum_bench_split_csv FILE.csv
//
// Special bytes (, " \n) are found 16 at a time with SSE2 and walked as a bit mask, the
// usual trick of fast CSV parsers: most bytes of a log are inside cells and never branch.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace {

struct totals {
  std::uint64_t rows = 0;    // data rows and the header
  std::uint64_t cells = 0;
  std::uint64_t filled = 0;  // non-empty cells
  std::uint64_t checksum = 0;
};

/// Splits buf[0, end) and stops after the last complete row, returning where it stopped.
/// Counts go to `totals` only when a row ends, so the partial row at a block's end can be
/// rescanned with the next block without being counted twice.
class splitter {
 public:
  std::size_t run(const char* buf, std::size_t end, bool last, totals& t) {
    row_start_ = 0;
    start_row(0);
    std::size_t i = 0;
#if defined(__SSE2__)
    const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"'), newline = _mm_set1_epi8('\n');
    for (; i + 16 <= end; i += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf + i));
      auto mask = static_cast<unsigned>(_mm_movemask_epi8(
          _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, quote)), _mm_cmpeq_epi8(v, newline))));
      while (mask) {
        const std::size_t at = i + static_cast<std::size_t>(__builtin_ctz(mask));
        mask &= mask - 1;
        if (at >= skip_until_) special(buf, end, at, t);  // else: the second quote of a doubled pair
      }
    }
#endif
    for (; i < end; ++i) {
      const char c = buf[i];
      if ((c == ',' || c == '"' || c == '\n') && i >= skip_until_) special(buf, end, i, t);
    }
    if (last && row_start_ < end && !in_quotes_) {
      end_cell(buf, end);
      end_row(t, end);
    }
    skip_until_ = 0;
    return row_start_;
  }

 private:
  /// Handles the special byte at `at`.
  void special(const char* buf, std::size_t end, std::size_t at, totals& t) {
    const char c = buf[at];
    if (c == '"') {
      if (!in_quotes_) {
        // Only a quote that opens a cell starts quoting; a stray one inside an unquoted cell
        // is kept as text, as lenient readers do.
        if (at == cell_start_) in_quotes_ = quoted_ = true;
      } else if (at + 1 < end && buf[at + 1] == '"') {
        skip_until_ = at + 2;
        ++escapes_;
      } else {
        in_quotes_ = false;
      }
      return;
    }
    if (in_quotes_) return;
    if (c == ',') {
      end_cell(buf, at);
      cell_start_ = at + 1;
      return;
    }
    std::size_t cell_end = at;
    if (cell_end > cell_start_ && buf[cell_end - 1] == '\r') --cell_end;
    end_cell(buf, cell_end);
    end_row(t, at + 1);
  }

  void start_row(std::size_t at) {
    row_start_ = cell_start_ = at;
    in_quotes_ = quoted_ = false;
    escapes_ = 0;
    row_cells_ = row_filled_ = row_sum_ = 0;
    row_quoted_ = false;
  }

  void end_cell(const char* buf, std::size_t cell_end) {
    std::size_t size = cell_end - cell_start_;
    if (quoted_) size = size >= 2 + escapes_ ? size - 2 - escapes_ : 0;  // the text between the quotes, unescaped
    ++row_cells_;
    if (size) {
      ++row_filled_;
      row_sum_ += size + static_cast<unsigned char>(buf[cell_start_ + (quoted_ ? 1 : 0)]);
    }
    row_quoted_ |= quoted_;
    quoted_ = false;
    escapes_ = 0;
  }

  void end_row(totals& t, std::size_t next) {
    // A blank line is no row, as decorum skips it.
    if (row_cells_ > 1 || row_filled_ || row_quoted_) {
      ++t.rows;
      t.cells += row_cells_;
      t.filled += row_filled_;
      t.checksum += row_sum_;
    }
    start_row(next);
  }

  std::size_t row_start_ = 0;
  std::size_t cell_start_ = 0;
  std::size_t skip_until_ = 0;
  std::size_t escapes_ = 0;
  std::uint64_t row_cells_ = 0, row_filled_ = 0, row_sum_ = 0;
  bool in_quotes_ = false;
  bool quoted_ = false;
  bool row_quoted_ = false;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: decorum_bench_split_csv FILE.csv\n");
    return 2;
  }
  const int fd = std::strcmp(argv[1], "-") == 0 ? 0 : ::open(argv[1], O_RDONLY);
  if (fd < 0) {
    std::perror(argv[1]);
    return 1;
  }
  const auto start = std::chrono::steady_clock::now();
  constexpr std::size_t block = std::size_t{4} << 20;
  constexpr std::size_t max_row = std::size_t{1} << 20;
  std::vector<char> buf(max_row + block);
  splitter s;
  totals t;
  std::uint64_t bytes = 0;
  std::size_t have = 0;
  for (;;) {
    const ssize_t got = ::read(fd, buf.data() + have, block);
    if (got < 0) {
      std::perror("read");
      return 1;
    }
    bytes += static_cast<std::uint64_t>(got);
    const std::size_t end = have + static_cast<std::size_t>(got);
    const bool last = got == 0;
    // Rescanning the carried tail costs one partial row per block, and keeps the splitter
    // free of state across blocks.
    const std::size_t used = s.run(buf.data(), end, last, t);
    if (last) break;
    have = end - used;
    if (have > max_row) {
      std::fprintf(stderr, "decorum_bench_split_csv: a row over 1 MiB (or an unclosed quote)\n");
      return 1;
    }
    std::memmove(buf.data(), buf.data() + used, have);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::uint64_t records = t.rows ? t.rows - 1 : 0;  // without the header
  std::printf("records=%llu cells=%llu filled=%llu bytes=%llu checksum=%llu seconds=%.3f rec/s=%.0f MB/s=%.1f\n",
              static_cast<unsigned long long>(records), static_cast<unsigned long long>(t.cells),
              static_cast<unsigned long long>(t.filled), static_cast<unsigned long long>(bytes),
              static_cast<unsigned long long>(t.checksum), seconds, static_cast<double>(records) / seconds,
              static_cast<double>(bytes) / 1e6 / seconds);
  return 0;
}
