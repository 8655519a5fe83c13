// decorum/base/parallel.hpp — entry point: run_parts. The one way decorum splits a
// finished job (finding duplicate ids, building and writing a report) over threads: part 0
// on the calling thread, the others on their own, every part writing only its own output,
// so the result never depends on how many parts there were.
#pragma once

#include <exception>
#include <thread>
#include <vector>

namespace decorum::detail {

/// Calls `f(part)` for every part in [0, parts) and returns when all have finished. An
/// exception from the calling thread's part is rethrown after the other parts are joined.
template <typename F>
void run_parts(unsigned parts, F&& f) {
  std::vector<std::thread> helpers;
  for (unsigned part = 1; part < parts; ++part) helpers.emplace_back([&f, part] { f(part); });
  std::exception_ptr error;
  try {
    f(0u);
  } catch (...) {
    error = std::current_exception();
  }
  for (auto& h : helpers) h.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace decorum::detail
