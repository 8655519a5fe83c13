// bench/parse_jsonl/parse_jsonl.cpp — entry point: main (decorum_bench_parse_jsonl). The
// JSON Lines baseline: parses every line of a file with simdjson On-Demand and touches every
// key and value, and nothing else. It reads the way decorum does (4 MiB blocks, one
// `iterate` per line, parsed in place) so the gap to `decorum score` is decorum's own work:
// typing, validating, scoring and reporting.
//
//   decorum_bench_parse_jsonl FILE.jsonl
//
// Prints the counts and a checksum; the checksum is what keeps the compiler from dropping
// the work, and a run with a different checksum on the same file is a bug.
#include <simdjson.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace {

namespace od = simdjson::ondemand;

struct totals {
  std::uint64_t lines = 0;
  std::uint64_t fields = 0;
  std::uint64_t errors = 0;
  std::uint64_t checksum = 0;
};

/// Touches every field of one line; returns false on any simdjson error.
bool touch_line(od::parser& parser, const char* line, std::size_t size, std::size_t readable, totals& t) {
  od::document doc;
  if (parser.iterate(simdjson::padded_string_view(line, size, readable)).get(doc)) return false;
  od::object obj;
  if (doc.get_object().get(obj)) return false;
  for (auto result : obj) {
    od::field f;
    if (std::move(result).get(f)) return false;
    std::string_view key;
    if (f.unescaped_key().get(key)) return false;
    t.checksum += key.size();
    ++t.fields;
    od::value v = f.value();
    od::json_type type;
    if (v.type().get(type)) return false;
    switch (type) {
      case od::json_type::string: {
        std::string_view s;
        if (v.get_string().get(s)) return false;
        t.checksum += s.size() + static_cast<unsigned char>(s.empty() ? 0 : s[0]);
        break;
      }
      case od::json_type::number: {
        double d = 0;
        if (v.get_double().get(d)) return false;
        t.checksum += static_cast<std::uint64_t>(d * 100.0);
        break;
      }
      case od::json_type::boolean: {
        bool b = false;
        if (v.get_bool().get(b)) return false;
        t.checksum += b;
        break;
      }
      case od::json_type::null: {
        bool n = false;
        if (v.is_null().get(n)) return false;
        break;
      }
      default:
        // Nested values do not occur in decorum logs; skipping them is simdjson's job.
        break;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: decorum_bench_parse_jsonl FILE.jsonl\n");
    return 2;
  }
  const int fd = std::strcmp(argv[1], "-") == 0 ? 0 : ::open(argv[1], O_RDONLY);
  if (fd < 0) {
    std::perror(argv[1]);
    return 1;
  }
  const auto start = std::chrono::steady_clock::now();
  constexpr std::size_t block = std::size_t{4} << 20;
  constexpr std::size_t max_line = std::size_t{1} << 20;
  // Room for a carried partial line, a block, and simdjson's padding after the last byte.
  std::vector<char> buf(max_line + block + simdjson::SIMDJSON_PADDING);
  od::parser parser;
  totals t;
  std::uint64_t bytes = 0;
  std::size_t have = 0;  // bytes of a line carried over from the previous block
  for (;;) {
    const ssize_t got = ::read(fd, buf.data() + have, block);
    if (got < 0) {
      std::perror("read");
      return 1;
    }
    bytes += static_cast<std::uint64_t>(got);
    const std::size_t end = have + static_cast<std::size_t>(got);
    const bool last = got == 0;
    std::memset(buf.data() + end, ' ', simdjson::SIMDJSON_PADDING);
    std::size_t pos = 0;
    for (;;) {
      const char* nl = static_cast<const char*>(std::memchr(buf.data() + pos, '\n', end - pos));
      if (!nl && !(last && pos < end)) break;
      const std::size_t line_end = nl ? static_cast<std::size_t>(nl - buf.data()) : end;
      std::size_t size = line_end - pos;
      if (size && buf[pos + size - 1] == '\r') --size;
      if (size) {
        ++t.lines;
        // Everything up to the buffer's end is readable, which is all the padding simdjson needs.
        if (!touch_line(parser, buf.data() + pos, size, buf.size() - pos, t)) ++t.errors;
      }
      pos = nl ? line_end + 1 : end;
    }
    if (last) break;
    have = end - pos;
    if (have > max_line) {
      std::fprintf(stderr, "decorum_bench_parse_jsonl: a line over 1 MiB\n");
      return 1;
    }
    std::memmove(buf.data(), buf.data() + pos, have);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("records=%llu fields=%llu errors=%llu bytes=%llu checksum=%llu seconds=%.3f rec/s=%.0f MB/s=%.1f\n",
              static_cast<unsigned long long>(t.lines), static_cast<unsigned long long>(t.fields),
              static_cast<unsigned long long>(t.errors), static_cast<unsigned long long>(bytes),
              static_cast<unsigned long long>(t.checksum), seconds, static_cast<double>(t.lines) / seconds,
              static_cast<double>(bytes) / 1e6 / seconds);
  return t.errors ? 1 : 0;
}
