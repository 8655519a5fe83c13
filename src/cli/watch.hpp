// src/cli/watch.hpp — entry point: watch_tests. `decorum test --watch`: runs the tests, then
// again whenever one of the files changes, until SIGINT or SIGTERM (src/cli/watch.cpp).
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace decorum::cli {

/// Calls `run` (which adds any further files it read, such as the rulebook a test file names,
/// to the list it is given), then waits for a change to `files` or those further files and
/// calls it again. Returns 0 when SIGINT or SIGTERM arrives, 1 when inotify is unavailable.
int watch_tests(const std::vector<std::string>& files, const std::function<void(std::vector<std::string>&)>& run);

}  // namespace decorum::cli
