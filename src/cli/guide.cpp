// src/cli/guide.cpp — entry points: name_typo, at_least, percent, describe_cli. A mistyped
// command or option answered with the nearest real one (the same did_you_mean the rulebook
// loader uses), and number options that say what they accept instead of CLI11's range of
// doubles.
#include "guide.hpp"

#include "commands.hpp"
#include "decorum/base/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>

namespace decorum::cli {

namespace {

bool is_number(std::string_view a) {
  double d = 0;
  auto [p, ec] = std::from_chars(a.data(), a.data() + a.size(), d);
  return ec == std::errc() && p == a.data() + a.size();
}

/// The option of `cmd` that `arg` (starting with '-') names, or null.
const CLI::Option* find_option(const CLI::App& cmd, std::string_view arg) {
  for (const CLI::Option* o : cmd.get_options()) {
    if (arg.substr(0, 2) == "--") {
      const std::string name(arg.substr(2, arg.find('=') == std::string_view::npos ? std::string_view::npos : arg.find('=') - 2));
      for (const auto& l : o->get_lnames())
        if (l == name) return o;
    } else {
      for (const auto& s : o->get_snames())
        if (s.size() == 1 && arg.size() >= 2 && s[0] == arg[1]) return o;
    }
  }
  return nullptr;
}

/// Checks the options among argv[from, argc) against `cmd`; the exit code, or -1 when all are known.
int scan_options(const CLI::App& cmd, std::string_view who, int from, int argc, char** argv) {
  for (int i = from; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--") return -1;  // the rest are positional
    if (a.size() < 2 || a[0] != '-' || is_number(a)) continue;
    if (const CLI::Option* o = find_option(cmd, a)) {
      // The next word is this option's value when it takes one and was not given inline
      // (`--format=json`, `-fjson`): `--run -x` is a pattern, not an option.
      const bool inline_value = a.substr(0, 2) == "--" ? a.find('=') != std::string_view::npos : a.size() > 2;
      if (o->get_items_expected_max() > 0 && !inline_value) ++i;
      continue;
    }
    std::string hint;
    if (a.substr(0, 2) == "--") {
      std::vector<std::string> names;
      for (const CLI::Option* o : cmd.get_options())
        for (const auto& l : o->get_lnames()) names.push_back(l);
      const std::string name(a.substr(2, a.find('=') == std::string_view::npos ? std::string_view::npos : a.find('=') - 2));
      const std::string near = detail::did_you_mean(name, {names.begin(), names.end()});
      if (!near.empty()) hint = fmt::format("; did you mean '--{}'?", near);
    }
    if (hint.empty()) hint = fmt::format(" ({} --help lists them)", who);
    fmt::print(stderr, "{}: error: unknown option '{}'{}\n", who, a.substr(0, a.find('=')), hint);
    return exit_usage;
  }
  return -1;
}

}  // namespace

int name_typo(const CLI::App& app, int argc, char** argv) {
  // Top-level options (--help, --version) may come before the command.
  int i = 1;
  while (i < argc && argv[i][0] == '-' && std::string_view(argv[i]) != "-" && std::string_view(argv[i]) != "--") {
    if (!find_option(app, argv[i])) return scan_options(app, "decorum", i, i + 1, argv);
    ++i;
  }
  if (i >= argc || std::string_view(argv[i]) == "--") return -1;
  const std::string word = argv[i];
  std::vector<std::string> names;
  const CLI::App* cmd = nullptr;
  for (const CLI::App* s : app.get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(s->get_name());
    if (s->get_name() == word) cmd = s;
  }
  if (!cmd) {
    const std::string near = detail::did_you_mean(word, {names.begin(), names.end()});
    if (!near.empty())
      fmt::print(stderr, "decorum: error: unknown command '{}'; did you mean '{}'?\n", word, near);
    else
      fmt::print(stderr, "decorum: error: unknown command '{}'; the commands are {}\n", word, fmt::join(names, ", "));
    return exit_usage;
  }
  return scan_options(*cmd, "decorum " + word, i + 1, argc, argv);
}

namespace {

/// How many times standard input is read when `rulebooks` rulebooks come from it and so do
/// `logs` (none: standard input) when given; 0 when no rulebook does (logs alone are fine).
int stdin_uses(int rulebooks, const std::vector<std::string>* logs) {
  if (rulebooks == 0) return 0;
  const auto dashes = logs ? std::count(logs->begin(), logs->end(), "-") : 0;
  return rulebooks + (logs && (logs->empty() || dashes) ? 1 : 0);
}

bool once(int uses, std::string_view command) {
  if (uses <= 1) return true;
  fmt::print(stderr, "decorum {}: standard input can be read only once: {}\n", command,
             command == "check" ? "name '-' once" : "with a rulebook from '-', give the logs as files");
  return false;
}

}  // namespace

bool stdin_read_once(const score_options& score, const check_options& check, const rules_options&,
                     const test_options& test, const diff_options& diff,
                     const explain_options& explain, const inspectors_options& insp) {
  if (std::count(test.files.begin(), test.files.end(), "-")) {
    fmt::print(stderr, "decorum test: '-' (standard input) is not supported: a test file names its rulebook by path, "
                       "and --watch watches files; give the file name\n");
    return false;
  }
  const auto dash = [](const std::string& f) { return f == "-" ? 1 : 0; };
  return once(static_cast<int>(std::count(check.files.begin(), check.files.end(), "-")), "check") &&
         once(stdin_uses(dash(score.rules_file), &score.logs), "score") &&
         once(stdin_uses(dash(diff.old_rules) + dash(diff.new_rules), &diff.logs), "diff") &&
         once(stdin_uses(dash(explain.rules_file), &explain.logs), "explain") &&
         once(stdin_uses(dash(insp.rules_file), &insp.logs), "inspectors");
}

CLI::Validator at_least(int min) {
  return CLI::Validator(
      [min](std::string& s) -> std::string {
        int v = 0;
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec == std::errc() && p == s.data() + s.size() && v >= min) return {};
        return fmt::format("must be {} or more (got '{}')", min, s);
      },
      "", "at_least");
}

CLI::Validator percent() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        double v = 0;
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec == std::errc() && p == s.data() + s.size() && v >= 0 && v <= 100) return {};
        return fmt::format("must be a number from 0 to 100 (got '{}')", s);
      },
      "", "percent");
}

namespace {

/// The values of an IsMember check, read back from the type name CLI11 shows ("TEXT:{a,b}").
std::vector<std::string> member_values(const CLI::Option& o) {
  const std::string t = o.get_type_name();
  const auto open = t.find('{'), close = t.rfind('}');
  std::vector<std::string> out;
  if (open == std::string::npos || close == std::string::npos || close < open) return out;
  std::string cur;
  for (char c : t.substr(open + 1, close - open - 1)) {
    if (c == ',') out.push_back(std::move(cur)), cur.clear();
    else cur += c;
  }
  out.push_back(cur);
  return out;
}

}  // namespace

std::vector<cli_command> describe_cli(const CLI::App& app) {
  std::vector<cli_command> out;
  for (const CLI::App* s : app.get_subcommands([](const CLI::App*) { return true; })) {
    cli_command c{s->get_name(), s->get_description(), {}, false, {}};
    for (const CLI::Option* o : s->get_options()) {
      if (o->get_lnames().empty() && o->get_snames().empty()) {
        c.positionals = true;
        if (auto v = member_values(*o); !v.empty()) c.positional_values = v;
        continue;
      }
      const std::string type = o->get_type_name();
      const bool number = type.rfind("INT", 0) == 0 || type.rfind("FLOAT", 0) == 0 || type.rfind("UINT", 0) == 0;
      c.options.push_back({o->get_lnames(), o->get_snames(), o->get_items_expected_max() > 0, number,
                           o->get_expected_max() > 1, member_values(*o), o->get_description()});
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace decorum::cli
