// src/cli/completion.cpp — entry point: completion_script. `decorum completion bash|zsh|fish`:
// a completion script written from describe_cli (the CLI11 app's own subcommands, options and
// IsMember values), so a new option completes the day it is added. Values of enumerated
// options (--format, --encoding, …) complete from their list, numbers complete to nothing,
// and everything else (rulebooks, logs, -o FILE) to file names.
#include "guide.hpp"

#include <fmt/format.h>

namespace decorum::cli {

namespace {

/// The help text up to its first aside, for the one-line descriptions shells show.
std::string short_help(std::string_view help) {
  std::size_t end = help.size();
  for (std::string_view stop : {" (", ";", ":", ", or ", ". "}) end = std::min(end, help.find(stop));
  std::string s(help.substr(0, end));
  if (s.size() > 70) {
    const auto sp = s.rfind(' ', 67);
    s = s.substr(0, sp == std::string::npos ? 67 : sp) + "…";
  }
  return s;
}

/// `s` inside single quotes, for bash, zsh and fish alike ('\'' closes, escapes, reopens).
std::string sq(std::string_view s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

/// The spellings of `o`: -f --format.
std::vector<std::string> spellings(const cli_option& o) {
  std::vector<std::string> out;
  for (const auto& s : o.shorts) out.push_back("-" + s);
  for (const auto& l : o.longs) out.push_back("--" + l);
  return out;
}

/// The top-level options (--help, --version) of `app`, as a pseudo-command.
cli_command top_options(const CLI::App& app) {
  cli_command top;
  for (const CLI::Option* o : app.get_options())
    if (!o->get_lnames().empty() || !o->get_snames().empty())
      top.options.push_back({o->get_lnames(), o->get_snames(), false, false, false, {}, o->get_description()});
  return top;
}

std::string bash_script(const CLI::App& app) {
  const auto cmds = describe_cli(app);
  std::vector<std::string> words;
  for (const auto& c : cmds) words.push_back(c.name);
  for (const auto& o : top_options(app).options)
    for (const auto& s : spellings(o)) words.push_back(s);
  std::string out = fmt::format(
      "# bash completion for decorum; written by `decorum completion bash` from the command's own\n"
      "# options. Load it with: source <(decorum completion bash)\n"
      "_decorum() {{\n"
      "  local cur=\"${{COMP_WORDS[COMP_CWORD]}}\" prev=\"\" cmd=\"\" i\n"
      "  [[ $COMP_CWORD -gt 0 ]] && prev=\"${{COMP_WORDS[COMP_CWORD-1]}}\"\n"
      "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      "    case \"${{COMP_WORDS[i]}}\" in -*) ;; *) cmd=\"${{COMP_WORDS[i]}}\"; break ;; esac\n"
      "  done\n"
      "  COMPREPLY=()\n"
      "  if [[ -z \"$cmd\" ]]; then\n"
      "    COMPREPLY=($(compgen -W \"{}\" -- \"$cur\"))\n"
      "    return 0\n"
      "  fi\n"
      "  case \"$cmd\" in\n",
      fmt::join(words, " "));
  for (const auto& c : cmds) {
    out += fmt::format("    {})\n      case \"$prev\" in\n", c.name);
    std::vector<std::string> opts;
    for (const auto& o : c.options) {
      const auto sp = spellings(o);
      opts.insert(opts.end(), sp.begin(), sp.end());
      if (!o.takes_value) continue;
      if (!o.values.empty())
        out += fmt::format("        {}) COMPREPLY=($(compgen -W \"{}\" -- \"$cur\")); return 0 ;;\n", fmt::join(sp, "|"),
                           fmt::join(o.values, " "));
      else if (o.number)
        out += fmt::format("        {}) return 0 ;;\n", fmt::join(sp, "|"));
      else
        out += fmt::format("        {}) COMPREPLY=($(compgen -f -- \"$cur\")); return 0 ;;\n", fmt::join(sp, "|"));
    }
    out += "      esac\n";
    out += fmt::format("      if [[ \"$cur\" == -* ]]; then\n        COMPREPLY=($(compgen -W \"{}\" -- \"$cur\"))\n",
                       fmt::join(opts, " "));
    if (!c.positional_values.empty())
      out += fmt::format("      else\n        COMPREPLY=($(compgen -W \"{}\" -- \"$cur\"))\n", fmt::join(c.positional_values, " "));
    else if (c.positionals)
      out += "      else\n        COMPREPLY=($(compgen -f -- \"$cur\"))\n";
    out += "      fi\n      ;;\n";
  }
  out +=
      "  esac\n"
      "  return 0\n"
      "}\n"
      "complete -o filenames -F _decorum decorum\n";
  return out;
}

std::string zsh_script(const CLI::App& app) {
  const auto cmds = describe_cli(app);
  // A description inside an _arguments [...] may not hold a closing bracket.
  auto desc = [](std::string_view help) {
    std::string s = short_help(help);
    for (char& ch : s)
      if (ch == '[') ch = '(';
      else if (ch == ']') ch = ')';
    return s;
  };
  // `exclusive`: the option ends completion (--help, --version), else it excludes its other spellings.
  auto spec = [&](const cli_option& o, bool exclusive = false) {
    const auto sp = spellings(o);
    std::string s;
    if (exclusive) s = "'(- *)'";
    else if (o.repeatable) s = "'*'";
    else if (sp.size() > 1) s = sq("(" + fmt::format("{}", fmt::join(sp, " ")) + ")");
    s += sp.size() > 1 ? "{" + fmt::format("{}", fmt::join(sp, ",")) + "}" : sp[0];
    std::string rest = "[" + desc(o.help) + "]";
    if (o.takes_value) {
      const std::string what = o.longs.empty() ? std::string("value") : o.longs[0];
      if (!o.values.empty()) rest += fmt::format(":{}:({})", what, fmt::join(o.values, " "));
      else if (o.number) rest += fmt::format(":{}: ", what);
      else rest += fmt::format(":{}:_files", what);
    }
    return s + sq(rest);
  };
  std::string out =
      "#compdef decorum\n"
      "# zsh completion for decorum; written by `decorum completion zsh` from the command's own\n"
      "# options. Load it with: source <(decorum completion zsh), or save it as _decorum in $fpath.\n"
      "_decorum() {\n"
      "  local curcontext=\"$curcontext\" state line ret=1\n"
      "  typeset -A opt_args\n"
      "  _arguments -C \\\n";
  for (const auto& o : top_options(app).options) out += "    " + spec(o, true) + " \\\n";
  out +=
      "    '1: :->command' \\\n"
      "    '*:: :->args' && ret=0\n"
      "  case $state in\n"
      "    command)\n"
      "      local -a commands\n"
      "      commands=(\n";
  for (const auto& c : cmds) out += "        " + sq(c.name + ":" + short_help(c.help)) + "\n";
  out +=
      "      )\n"
      "      _describe -t commands 'decorum command' commands && ret=0\n"
      "      ;;\n"
      "    args)\n"
      "      case $line[1] in\n";
  for (const auto& c : cmds) {
    out += fmt::format("        {})\n          _arguments \\\n", c.name);
    for (const auto& o : c.options) out += "            " + spec(o) + " \\\n";
    if (!c.positional_values.empty())
      out += fmt::format("            '1:{}:({})' \\\n", c.name == "completion" ? "shell" : "value", fmt::join(c.positional_values, " "));
    else if (c.positionals)
      out += "            '*:file:_files' \\\n";
    out += "            && ret=0\n          ;;\n";
  }
  out +=
      "      esac\n"
      "      ;;\n"
      "  esac\n"
      "  return ret\n"
      "}\n"
      "if [ \"$funcstack[1]\" = \"_decorum\" ]; then _decorum \"$@\"; else compdef _decorum decorum; fi\n";
  return out;
}

std::string fish_script(const CLI::App& app) {
  const auto cmds = describe_cli(app);
  std::string out =
      "# fish completion for decorum; written by `decorum completion fish` from the command's own\n"
      "# options. Load it with: decorum completion fish | source\n"
      "complete -c decorum -f\n";
  auto option_line = [](const std::string& cond, const cli_option& o) {
    std::string s = "complete -c decorum -n " + cond;
    for (const auto& sh : o.shorts) s += " -s " + sh;
    for (const auto& l : o.longs) s += " -l " + l;
    if (o.takes_value) {
      if (!o.values.empty()) s += " -x -a " + sq(fmt::format("{}", fmt::join(o.values, " ")));
      else if (o.number) s += " -x";
      else s += " -r -F";
    }
    return s + " -d " + sq(short_help(o.help)) + "\n";
  };
  for (const auto& o : top_options(app).options) out += option_line("__fish_use_subcommand", o);
  for (const auto& c : cmds)
    out += fmt::format("complete -c decorum -n __fish_use_subcommand -a {} -d {}\n", c.name, sq(short_help(c.help)));
  for (const auto& c : cmds) {
    const std::string cond = sq("__fish_seen_subcommand_from " + c.name);
    for (const auto& o : c.options) out += option_line(cond, o);
    if (!c.positional_values.empty())
      out += fmt::format("complete -c decorum -n {} -x -a {}\n", cond, sq(fmt::format("{}", fmt::join(c.positional_values, " "))));
    else if (c.positionals)
      out += fmt::format("complete -c decorum -n {} -F\n", cond);
  }
  return out;
}

}  // namespace

std::string completion_script(const CLI::App& app, std::string_view shell) {
  if (shell == "bash") return bash_script(app);
  if (shell == "zsh") return zsh_script(app);
  return fish_script(app);
}

}  // namespace decorum::cli
