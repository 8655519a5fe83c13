// tests/support/test_util.hpp — entry points: `slurp`, `spit`, `repeat`, `scratch_dir`,
// `render_diagnostics`, `diag_line`. The small helpers several stages' tests need: reading and
// writing whole files, a per-process scratch directory, and diagnostics rendered one per line
// so a whole expected list is one string comparison.
#pragma once

#include "decorum/base/diagnostic.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace decorum::test {

/// A whole file's bytes; fails the test when the file cannot be opened.
inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  REQUIRE_MESSAGE(in, "cannot open ", p.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Writes `data` to `p`, replacing it; returns the path as text for command lines.
inline std::string spit(const std::filesystem::path& p, std::string_view data) {
  std::ofstream out(p, std::ios::binary);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  REQUIRE_MESSAGE(out, "cannot write ", p.string());
  return p.string();
}

/// `s` repeated `n` times.
inline std::string repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

/// A directory of this process's own under the temporary directory (test runs may overlap),
/// emptied when made and removed with everything in it when destroyed.
struct scratch_dir {
  std::filesystem::path path;  ///< the directory
  /// Makes `<tmp>/<stem>-<pid>`.
  explicit scratch_dir(std::string_view stem) {
    path = std::filesystem::temp_directory_path() / (std::string(stem) + "-" + std::to_string(::getpid()));
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
    std::filesystem::create_directories(path);
  }
  ~scratch_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  scratch_dir(const scratch_dir&) = delete;
  scratch_dir& operator=(const scratch_dir&) = delete;
  /// Writes a file in the directory and returns its path.
  std::string write(const std::string& name, std::string_view bytes) const { return spit(path / name, bytes); }
};

/// Diagnostics in file order (stable: equal positions keep their emission order), one per
/// line as `LINE:COL: severity: message`; a diagnostic of a file other than `main_file` is
/// prefixed with `other_prefix` + its file name + "] ".
inline std::string render_diagnostics(std::vector<diagnostic> ds, std::string_view main_file = "t.yaml",
                                      std::string_view other_prefix = "[") {
  sort_by_position(ds);
  std::string out;
  for (const auto& d : ds) {
    if (d.file != main_file) out += std::string(other_prefix) + d.file + "] ";
    out += std::to_string(d.pos.line) + ":" + std::to_string(d.pos.column) + ": " +
           std::string(to_string(d.severity)) + ": " + d.message + "\n";
  }
  return out;
}

/// One expected line of render_diagnostics: an error at `line`:`col`.
inline std::string diag_line(unsigned line, unsigned col, std::string_view msg, std::string_view sev = "error") {
  return std::to_string(line) + ":" + std::to_string(col) + ": " + std::string(sev) + ": " + std::string(msg) + "\n";
}

}  // namespace decorum::test
