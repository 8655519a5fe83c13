// src/cli/main.cpp — entry point: main. Parses the decorum command line (CLI11) and
// dispatches to one function per subcommand (commands.hpp). Usage errors exit 2.
#include "commands.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <exception>

int main(int argc, char** argv) {
  using namespace decorum::cli;
  CLI::App app{"decorum — score service staff against a written conduct standard"};
  app.set_version_flag("--version", "decorum 0.1.0");
  app.require_subcommand(1);

  check_options check;
  auto* c = app.add_subcommand("check", "validate rulebooks; diagnostics as FILE:LINE:COL: error|warning: MESSAGE");
  c->add_option("rulebook", check.files, "rulebook files")->required();
  c->add_option("--format", check.format, "text or json")->check(CLI::IsMember({"text", "json"}));

  rules_options rules;
  auto* r = app.add_subcommand("rules", "list the compiled rules (id, on, points, category, title)");
  r->add_option("-r,--rules", rules.rules_file, "rulebook (default: the built-in one)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : exit_usage;
  }
  try {
    if (c->parsed()) return run_check(check);
    if (r->parsed()) return run_rules(rules);
  } catch (const std::exception& e) {
    fmt::print(stderr, "decorum: error: {}\n", e.what());
    return exit_failure;
  }
  return exit_usage;
}
