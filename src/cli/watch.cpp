// src/cli/watch.cpp — entry point: watch_tests. `decorum test --watch`: Linux inotify on every
// file a run read and on the directories holding them, so editors that save by writing a new
// file and renaming it over the old one (vim, most IDEs) are seen as well as in-place writes.
// SIGINT and SIGTERM arrive through a signalfd, so the wait in poll() ends cleanly on Ctrl-C.
#include "watch.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>

#include <poll.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <unistd.h>

namespace decorum::cli {

namespace {

/// Changes quieter than this after the last event are one change: an editor's save is often
/// several events (truncate, write, close; or write-new, rename, attrib).
constexpr int debounce_ms = 100;

/// An inotify instance watching a set of files and their directories. Rebuilt after every run:
/// a file replaced by rename is a new inode, and its old watch is gone with the old one.
class watcher {
 public:
  explicit watcher(const std::set<std::string>& files) : fd_(inotify_init1(IN_CLOEXEC | IN_NONBLOCK)) {
    if (fd_ < 0) return;
    namespace fs = std::filesystem;
    for (const auto& f : files) {
      const fs::path p(f);
      const int file_wd = inotify_add_watch(fd_, f.c_str(), IN_MODIFY | IN_CLOSE_WRITE | IN_ATTRIB | IN_MOVE_SELF |
                                                                IN_DELETE_SELF);
      if (file_wd >= 0) file_wds_.insert(file_wd);
      const fs::path dir = p.parent_path().empty() ? fs::path(".") : p.parent_path();
      const int dir_wd =
          inotify_add_watch(fd_, dir.c_str(), IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE | IN_DELETE | IN_ONLYDIR);
      if (dir_wd >= 0) names_[dir_wd].insert(p.filename().string());
    }
  }
  ~watcher() {
    if (fd_ >= 0) ::close(fd_);
  }
  watcher(const watcher&) = delete;
  watcher& operator=(const watcher&) = delete;

  int fd() const noexcept { return fd_; }

  /// Reads the pending events; true when one concerns a watched file.
  bool relevant_events() {
    alignas(inotify_event) char buf[8192];
    bool hit = false;
    while (true) {
      const ssize_t n = ::read(fd_, buf, sizeof buf);
      if (n <= 0) break;
      for (ssize_t at = 0; at < n;) {
        const auto* e = reinterpret_cast<const inotify_event*>(buf + at);
        if (file_wds_.count(e->wd)) hit = true;
        auto it = names_.find(e->wd);
        if (it != names_.end() && e->len && it->second.count(e->name)) hit = true;
        at += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
      }
    }
    return hit;
  }

 private:
  int fd_;
  std::set<int> file_wds_;
  std::map<int, std::set<std::string>> names_;  // directory watch → the watched names in it
};

}  // namespace

int watch_tests(const std::vector<std::string>& files, const std::function<void(std::vector<std::string>&)>& run) {
  // Block the signals and read them from a descriptor poll() can wait on with inotify's.
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGINT);
  sigaddset(&mask, SIGTERM);
  if (sigprocmask(SIG_BLOCK, &mask, nullptr) != 0) {
    fmt::print(stderr, "decorum test: --watch: cannot block signals: {}\n", std::strerror(errno));
    return 1;
  }
  const int sfd = signalfd(-1, &mask, SFD_CLOEXEC);
  if (sfd < 0) {
    fmt::print(stderr, "decorum test: --watch: signalfd: {}\n", std::strerror(errno));
    return 1;
  }
  int runs = 0;
  while (true) {
    std::vector<std::string> inputs(files);
    const auto started = std::filesystem::file_time_type::clock::now();
    run(inputs);
    ++runs;
    const std::set<std::string> watched(inputs.begin(), inputs.end());
    fmt::print(stderr, "decorum test: watching {} file{} (run {}); Ctrl-C to stop\n", watched.size(),
               watched.size() == 1 ? "" : "s", runs);
    std::fflush(stdout);
    std::fflush(stderr);
    watcher w(watched);
    if (w.fd() < 0) {
      fmt::print(stderr, "decorum test: --watch: inotify: {}\n", std::strerror(errno));
      ::close(sfd);
      return 1;
    }
    // The watches start after the run (so its own reads are not seen as changes); a save
    // made while it ran shows in the file's modification time instead.
    bool changed = false;
    for (const auto& f : inputs) {
      std::error_code ec;
      const auto t = std::filesystem::last_write_time(f, ec);
      if (!ec && t > started) changed = true;
    }
    while (true) {
      pollfd fds[2] = {{sfd, POLLIN, 0}, {w.fd(), POLLIN, 0}};
      // Once a change is seen, wait only for the editor's burst of events to end.
      const int ready = ::poll(fds, 2, changed ? debounce_ms : -1);
      if (ready < 0 && errno == EINTR) continue;
      if (ready < 0) {
        fmt::print(stderr, "decorum test: --watch: poll: {}\n", std::strerror(errno));
        ::close(sfd);
        return 1;
      }
      if (fds[0].revents & POLLIN) {
        signalfd_siginfo info;
        [[maybe_unused]] const ssize_t n = ::read(sfd, &info, sizeof info);
        fmt::print(stderr, "decorum test: --watch stopped\n");
        ::close(sfd);
        return 0;
      }
      if (ready == 0) break;  // quiet for debounce_ms after a change
      if (fds[1].revents & POLLIN && w.relevant_events()) changed = true;
    }
    // Each run stands apart from the last one.
    fmt::print("\n=== decorum test: re-running after a change ===\n\n");
  }
}

}  // namespace decorum::cli
